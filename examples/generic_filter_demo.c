/*
 * generic_filter_demo.c: scipy.ndimage.generic_filter from C.
 *
 * A 3x3 mean filter over a small 4x5 float64 image, boundary mode "reflect". The callback has
 * exactly the prototype scipy's generic_filter accepts as a LowLevelCallable, so the same
 * function could be handed to scipy unchanged. Same result as
 *
 *     scipy.ndimage.generic_filter(image, np.mean, size=3, mode="reflect")
 *
 * Output: one image row per line, values separated by spaces, printed with %.17g.
 */
#include <ndimage.h>
#include <stdint.h>
#include <stdio.h>

#define ROWS 4
#define COLS 5

/* Called once per output element with the filter_size (here 9) input values under the
 * 3x3 window; stores their mean in *return_value. Returns 1 on success (0 would stop the
 * filter with NDI_ERR_CALLBACK_FAILED). */
static int mean_callback(double *buffer, intptr_t filter_size, double *return_value,
                         void *user_data) {
    (void)user_data; /* this filter needs no extra data */
    double sum = 0.0;
    for (intptr_t i = 0; i < filter_size; i++) {
        sum += buffer[i];
    }
    *return_value = sum / (double)filter_size;
    return 1;
}

int main(void) {
    /* A small image with some structure: a ramp plus a bright spot. */
    double image[ROWS][COLS] = {
        {0.0, 1.0, 2.0, 3.0, 4.0},
        {5.0, 6.0, 70.0, 8.0, 9.0},
        {10.0, 11.0, 12.0, 13.0, 14.0},
        {15.0, 16.0, 17.0, 18.0, 0.5},
    };
    double result[ROWS][COLS];

    intptr_t shape[2] = {ROWS, COLS};
    intptr_t size[2] = {3, 3}; /* the 3x3 box, used because footprint is NULL */

    /* NULL strides: C-contiguous arrays. */
    ndi_array input = {image, NDI_DTYPE_FLOAT64, 2, shape, NULL};
    ndi_array output = {result, NDI_DTYPE_FLOAT64, 2, shape, NULL};

    ndi_status status = ndi_generic_filter(&input, &output, NULL /* footprint */, size,
                                           NULL /* origins: 0 */, NDI_MODE_REFLECT,
                                           0.0 /* cval, unused by reflect */, mean_callback,
                                           NULL /* user_data */, NULL /* options */);
    if (status != NDI_OK) {
        fprintf(stderr, "ndi_generic_filter failed: %s: %s\n", ndi_status_string(status),
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
