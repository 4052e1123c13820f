/*
 * C callbacks for the benchmark (benches/compare.py), shared by scipy.ndimage (through
 * scipy.LowLevelCallable) and libndimage (through the C API): both libraries call exactly
 * the same machine code, so the comparison measures the libraries, not the callbacks.
 *
 * Every callback is thread-safe: it reads user_data and writes only its own arguments, and
 * keeps no state between calls.
 *
 * Build: gcc -O2 -shared -fPIC -o target/bench/libbench_callbacks.so benches/callbacks.c
 * (scripts/bench.sh does it).
 */

#include <stdint.h>

/* generic_filter: int f(double *buffer, intptr_t filter_size, double *return_value,
 * void *user_data) */

/* Mean of the window (summed in footprint order). */
int bench_mean(double *buffer, intptr_t filter_size, double *return_value, void *user_data) {
    (void)user_data;
    double sum = 0.0;
    for (intptr_t i = 0; i < filter_size; i++) sum += buffer[i];
    *return_value = filter_size > 0 ? sum / (double)filter_size : 0.0;
    return 1;
}

/* Maximum of the window (0.0 for an empty one). */
int bench_max(double *buffer, intptr_t filter_size, double *return_value, void *user_data) {
    (void)user_data;
    if (filter_size <= 0) {
        *return_value = 0.0;
        return 1;
    }
    double m = buffer[0];
    for (intptr_t i = 1; i < filter_size; i++)
        if (buffer[i] > m) m = buffer[i];
    *return_value = m;
    return 1;
}

/* generic_filter1d: int f(double *in, intptr_t in_len, double *out, intptr_t out_len,
 * void *user_data) */

/* Moving average over the window size in_len - out_len + 1 (7 in the benchmark): each
 * output is the plain sum of its window divided by the size, no running sum, so every
 * output depends only on its own window. */
int bench_moving_average(double *in, intptr_t in_len, double *out, intptr_t out_len,
                         void *user_data) {
    (void)user_data;
    intptr_t size = in_len - out_len + 1;
    if (size < 1) return 0;
    double scale = 1.0 / (double)size;
    for (intptr_t i = 0; i < out_len; i++) {
        double sum = 0.0;
        for (intptr_t k = 0; k < size; k++) sum += in[i + k];
        out[i] = sum * scale;
    }
    return 1;
}

/* geometric_transform: int f(intptr_t *out_coords, double *in_coords, int out_rank,
 * int in_rank, void *user_data) */

/* input coordinate = output index - shift, the same shift on every axis;
 * user_data: const double *shift. */
int bench_shift_mapping(intptr_t *out_coords, double *in_coords, int out_rank, int in_rank,
                        void *user_data) {
    const double shift = *(const double *)user_data;
    if (out_rank != in_rank) return 0;
    for (int k = 0; k < in_rank; k++) in_coords[k] = (double)out_coords[k] - shift;
    return 1;
}

/* Rotation about the first axis (axis 0 kept, axes 1 and 2 rotated) around a centre, for
 * 3-D arrays; user_data: const double[4] = {cos, sin, centre of axis 1, centre of axis 2}. */
int bench_rotate_mapping(intptr_t *out_coords, double *in_coords, int out_rank, int in_rank,
                         void *user_data) {
    const double *p = (const double *)user_data;
    if (out_rank != 3 || in_rank != 3) return 0;
    double y = (double)out_coords[1] - p[2];
    double x = (double)out_coords[2] - p[3];
    in_coords[0] = (double)out_coords[0];
    in_coords[1] = p[0] * y - p[1] * x + p[2];
    in_coords[2] = p[1] * y + p[0] * x + p[3];
    return 1;
}

/* vectorized_filter: int f(double *windows, intptr_t n_windows, intptr_t window_size,
 * double *results, void *user_data) */

/* The mean of each window, with bench_mean's arithmetic (summed in footprint order from 0.0,
 * then divided by the size): the same numbers, one call per batch of windows. */
int bench_batch_mean(double *windows, intptr_t n_windows, intptr_t window_size,
                     double *results, void *user_data) {
    (void)user_data;
    for (intptr_t w = 0; w < n_windows; w++) {
        const double *v = windows + w * window_size;
        double sum = 0.0;
        for (intptr_t i = 0; i < window_size; i++) sum += v[i];
        results[w] = window_size > 0 ? sum / (double)window_size : 0.0;
    }
    return 1;
}

