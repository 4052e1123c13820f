/*
 * geometric_transform_shift.c: the example of scipy's "Extending scipy.ndimage in C" page,
 * as a plain C program.
 *
 * scipy's Python version:
 *
 *     def transform(output_coordinates, shift):
 *         input_coordinates = output_coordinates[0] - shift, output_coordinates[1] - shift
 *         return input_coordinates
 *
 *     im = np.arange(12).reshape(4, 3).astype(np.float64)
 *     shift = 0.5
 *     print(ndimage.geometric_transform(im, transform, extra_arguments=(shift,)))
 *
 * The page's C callback `_transform` (npy_intp is intptr_t) is used unchanged; the shift
 * reaches it through user_data, as through LowLevelCallable's user_data in scipy. Defaults of
 * geometric_transform: order 3, mode "constant", cval 0, prefilter on.
 *
 * Output: one row per line, values separated by spaces, printed with %.17g.
 */
#include <ndimage.h>
#include <stdint.h>
#include <stdio.h>

#define ROWS 4
#define COLS 3

/* Maps an output coordinate to the input coordinate it is interpolated from: shifted back by
 * *(double *)user_data along every axis. Returns 1 on success. */
static int _transform(intptr_t *output_coordinates, double *input_coordinates, int output_rank,
                      int input_rank, void *user_data) {
    intptr_t i;
    double shift = *(double *)user_data;
    (void)output_rank; /* equal to input_rank here */

    for (i = 0; i < input_rank; i++) {
        input_coordinates[i] = output_coordinates[i] - shift;
    }
    return 1;
}

int main(void) {
    /* np.arange(12, dtype=np.float64).reshape(4, 3) */
    double im[ROWS][COLS];
    for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < COLS; c++) {
            im[r][c] = (double)(r * COLS + c);
        }
    }
    double result[ROWS][COLS];

    intptr_t shape[2] = {ROWS, COLS};
    ndi_array input = {im, NDI_DTYPE_FLOAT64, 2, shape, NULL};
    ndi_array output = {result, NDI_DTYPE_FLOAT64, 2, shape, NULL};

    double shift = 0.5;
    ndi_status status = ndi_geometric_transform(&input, &output, 3 /* order */,
                                                NDI_MODE_CONSTANT, 0.0 /* cval */,
                                                1 /* prefilter */, _transform, &shift,
                                                NULL /* options */);
    if (status != NDI_OK) {
        fprintf(stderr, "ndi_geometric_transform failed: %s: %s\n", ndi_status_string(status),
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
