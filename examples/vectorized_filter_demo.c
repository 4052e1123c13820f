/*
 * vectorized_filter_demo.c: scipy.ndimage.vectorized_filter from C, with a batched callback.
 *
 * The local variance over 3x3 windows of a 6x8 float64 image, boundary mode "reflect". The
 * callback of ndi_vectorized_filter receives many windows per call (here every window of an
 * output line: 8 per call, 6 calls), where ndi_generic_filter calls its callback once per
 * window (48 calls) with the same arithmetic; both results are printed and must be equal.
 * Same result as
 *
 *     def variance(windows, axis):            # windows: (..., 3, 3); axis: (-2, -1)
 *         w = windows.reshape(windows.shape[:-2] + (9,))
 *         s = w[..., 0]
 *         for k in range(1, 9): s = s + w[..., k]
 *         mean = s / 9
 *         d = w[..., 0] - mean; q = d * d
 *         for k in range(1, 9): d = w[..., k] - mean; q = q + d * d
 *         return q / 9
 *     scipy.ndimage.vectorized_filter(x, variance, size=3, mode="reflect")
 *
 * Output: the call counts, then "output:" and one row per line, values printed with %.17g.
 */
#include <ndimage.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ROWS 6
#define COLS 8

/* The variance of one window of n values: sequential sums, the mean first. */
static double variance(const double *w, intptr_t n) {
    double s = w[0], mean, q, d;
    for (intptr_t k = 1; k < n; k++) s += w[k];
    mean = s / (double)n;
    d = w[0] - mean;
    q = d * d;
    for (intptr_t k = 1; k < n; k++) {
        d = w[k] - mean;
        q += d * d;
    }
    return q / (double)n;
}

/* ndi_vectorized_func: n_windows windows of window_size values, one after another; one result
 * per window. user_data counts the calls. Returns 1 on success. */
static int batch_variance(double *windows, intptr_t n_windows, intptr_t window_size,
                          double *results, void *user_data) {
    ++*(long *)user_data;
    for (intptr_t i = 0; i < n_windows; i++) {
        results[i] = variance(windows + i * window_size, window_size);
    }
    return 1;
}

/* ndi_filter_func (scipy's generic_filter LowLevelCallable prototype): one window per call. */
static int single_variance(double *buffer, intptr_t filter_size, double *result,
                           void *user_data) {
    ++*(long *)user_data;
    *result = variance(buffer, filter_size);
    return 1;
}

int main(void) {
    double data[ROWS][COLS];
    double batched[ROWS][COLS], single[ROWS][COLS];
    for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < COLS; c++) {
            data[r][c] = (double)((r * 7 + c * 5) % 11) * 0.5 + (c == r ? 10.0 : 0.0);
        }
    }

    intptr_t shape[2] = {ROWS, COLS};
    intptr_t size[2] = {3, 3};
    ndi_array input = {data, NDI_DTYPE_FLOAT64, 2, shape, NULL};
    ndi_array out_batched = {batched, NDI_DTYPE_FLOAT64, 2, shape, NULL};
    ndi_array out_single = {single, NDI_DTYPE_FLOAT64, 2, shape, NULL};

    long batch_calls = 0, single_calls = 0;
    ndi_status status = ndi_vectorized_filter(
        &input, &out_batched, NULL /* footprint */, size, NULL /* origins */, NDI_MODE_REFLECT,
        0.0 /* cval */, NDI_BATCH_MEMORY_DEFAULT, batch_variance, &batch_calls, NULL);
    if (status != NDI_OK) {
        fprintf(stderr, "ndi_vectorized_filter failed: %s: %s\n", ndi_status_string(status),
                ndi_last_error_message());
        return 1;
    }
    status = ndi_generic_filter(&input, &out_single, NULL, size, NULL, NDI_MODE_REFLECT, 0.0,
                                single_variance, &single_calls, NULL);
    if (status != NDI_OK) {
        fprintf(stderr, "ndi_generic_filter failed: %s: %s\n", ndi_status_string(status),
                ndi_last_error_message());
        return 1;
    }

    printf("ndi_vectorized_filter: %ld calls (%ld windows each)\n", batch_calls,
           (long)(ROWS * COLS) / batch_calls);
    printf("ndi_generic_filter: %ld calls\n", single_calls);
    printf("equal: %s\n", memcmp(batched, single, sizeof batched) == 0 ? "yes" : "NO");
    printf("output:\n");
    for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < COLS; c++) {
            printf(c ? " %.17g" : "%.17g", batched[r][c]);
        }
        printf("\n");
    }
    return memcmp(batched, single, sizeof batched) == 0 ? 0 : 1;
}
