/* Batched callbacks of vectorized_filter for test_vectorized.py, prototype ndi_vectorized_func:
 * int f(double *windows, intptr_t n_windows, intptr_t window_size, double *results,
 *       void *user_data). Each has a Python twin in the tests computing the same thing. */
#include <math.h>
#include <stdint.h>

/* The values of each window added in window order: w[0] + w[1] + ... (0 for empty windows). */
int vf_sum(double *windows, intptr_t n, intptr_t size, double *results, void *user_data) {
    intptr_t i, k;
    (void)user_data;
    for (i = 0; i < n; i++) {
        const double *w = windows + i * size;
        double r = size > 0 ? w[0] : 0.0;
        for (k = 1; k < size; k++) r += w[k];
        results[i] = r;
    }
    return 1;
}

/* sum_k w[k] * (k + 1), from 0.0, in window order. */
int vf_weighted(double *windows, intptr_t n, intptr_t size, double *results, void *user_data) {
    intptr_t i, k;
    (void)user_data;
    for (i = 0; i < n; i++) {
        double r = 0.0;
        for (k = 0; k < size; k++) r += windows[i * size + k] * (double)(k + 1);
        results[i] = r;
    }
    return 1;
}

/* The last value of each window (NaN for empty windows). */
int vf_last(double *windows, intptr_t n, intptr_t size, double *results, void *user_data) {
    intptr_t i;
    (void)user_data;
    for (i = 0; i < n; i++) results[i] = size > 0 ? windows[i * size + size - 1] : NAN;
    return 1;
}

/* The window size (the footprint's count). */
int vf_size(double *windows, intptr_t n, intptr_t size, double *results, void *user_data) {
    intptr_t i;
    (void)windows;
    (void)user_data;
    for (i = 0; i < n; i++) results[i] = (double)size;
    return 1;
}

/* The number of windows in the batch, written to every result. */
int vf_batch(double *windows, intptr_t n, intptr_t size, double *results, void *user_data) {
    intptr_t i;
    (void)windows;
    (void)size;
    (void)user_data;
    for (i = 0; i < n; i++) results[i] = (double)n;
    return 1;
}

/* The sum times *(double *)user_data. */
int vf_scaled(double *windows, intptr_t n, intptr_t size, double *results, void *user_data) {
    intptr_t i;
    vf_sum(windows, n, size, results, 0);
    for (i = 0; i < n; i++) results[i] *= *(const double *)user_data;
    return 1;
}

/* Fails once *(long *)user_data calls have been made (counts them down). */
int vf_fail_after(double *windows, intptr_t n, intptr_t size, double *results,
                  void *user_data) {
    long *left = (long *)user_data;
    if (*left <= 0) return 0;
    --*left;
    return vf_sum(windows, n, size, results, 0);
}
