/*
 * generic_filter1d_demo.c: scipy.ndimage.generic_filter1d from C.
 *
 * A moving average of size 3 along the last axis of a 3x6 float64 array, boundary mode
 * "reflect". The callback has exactly the prototype scipy's generic_filter1d accepts as a
 * LowLevelCallable; the filter size reaches it through user_data. Same result as
 *
 *     def moving_average(iline, oline):
 *         oline[...] = (iline[:-2] + iline[1:-1] + iline[2:]) / 3
 *     scipy.ndimage.generic_filter1d(x, moving_average, 3, axis=-1, mode="reflect")
 *
 * Output: one row per line, values separated by spaces, printed with %.17g.
 */
#include <ndimage.h>
#include <stdint.h>
#include <stdio.h>

#define ROWS 3
#define COLS 6

/* Called once per line. input_line holds the line extended by the boundary mode:
 * input_length = output_length + filter_size - 1, and input_line[i .. i + filter_size] is the
 * window of output i. Returns 1 on success. */
static int moving_average(double *input_line, intptr_t input_length, double *output_line,
                          intptr_t output_length, void *user_data) {
    intptr_t filter_size = *(const intptr_t *)user_data;
    if (input_length != output_length + filter_size - 1) {
        return 0; /* cannot happen; returning 0 makes the call fail with a status */
    }
    for (intptr_t i = 0; i < output_length; i++) {
        double sum = 0.0;
        for (intptr_t j = 0; j < filter_size; j++) {
            sum += input_line[i + j];
        }
        output_line[i] = sum / (double)filter_size;
    }
    return 1;
}

int main(void) {
    double data[ROWS][COLS] = {
        {1.0, 2.0, 4.0, 8.0, 16.0, 32.0},
        {0.5, -1.5, 2.25, 3.0, -4.0, 10.0},
        {0.1, 0.2, 0.3, 0.4, 0.5, 0.6},
    };
    double result[ROWS][COLS];

    intptr_t shape[2] = {ROWS, COLS};
    ndi_array input = {data, NDI_DTYPE_FLOAT64, 2, shape, NULL};
    ndi_array output = {result, NDI_DTYPE_FLOAT64, 2, shape, NULL};

    intptr_t filter_size = 3; /* passed both to the library and, via user_data, to the callback */

    ndi_status status = ndi_generic_filter1d(&input, &output, filter_size, -1 /* last axis */,
                                             0 /* origin */, NDI_MODE_REFLECT, 0.0 /* cval */,
                                             moving_average, &filter_size, NULL /* options */);
    if (status != NDI_OK) {
        fprintf(stderr, "ndi_generic_filter1d failed: %s: %s\n", ndi_status_string(status),
                ndi_last_error_message());
        return 1;
    }

    for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < COLS; c++) {
            printf(c ? " %.17g" : "%.17g", result[r][c]);
        }
        printf("\n");
    }
    return 0;
}
