/*
 * generic_filter_demo.c: scipy.ndimage.generic_filter from C.
 *
 * A 3x3 mean filter over a small 4x5 float64 image, boundary mode "reflect". The callback has
 * exactly the prototype scipy's generic_filter accepts as a LowLevelCallable, so the same
 * function could be handed to scipy unchanged.
 *
 * Prints the input, the output (each value with the fewest digits that read back as the same
 * double) and whether the output equals scipy's, which it checks against SCIPY_RESULT below:
 * the values scipy 1.17.1 returned for this image, produced once with
 *
 *     image = np.array([[0, 1, 2, 3, 4], [5, 6, 70, 8, 9],
 *                       [10, 11, 12, 13, 14], [15, 16, 17, 18, 0.5]])
 *     for row in scipy.ndimage.generic_filter(image, np.mean, size=3, mode="reflect"):
 *         print(", ".join(repr(float(v)) for v in row))
 *
 * (the same numbers, bit for bit, as generic_filter with this C callback wrapped in a
 * scipy.LowLevelCallable, or with a Python function summing in this order). The demo exits
 * with 1 if any value differs. scripts/run-examples.sh also compares the printed output with
 * a live scipy (examples/check_examples.py).
 */
#include <ndimage.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 4
#define COLS 5

/* scipy.ndimage.generic_filter(image, np.mean, size=3, mode="reflect"), scipy 1.17.1. */
static const double SCIPY_RESULT[ROWS][COLS] = {
    {2.0, 9.666666666666666, 10.666666666666666, 11.666666666666666, 5.333333333333333},
    {5.333333333333333, 13.0, 14.0, 15.0, 8.666666666666666},
    {10.333333333333334, 18.0, 19.0, 17.944444444444443, 9.555555555555555},
    {13.666666666666666, 14.333333333333334, 15.333333333333334, 12.222222222222221,
     8.777777777777779},
};

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

/* Prints v with the fewest significant digits that read back as exactly v (without an
 * exponent when one of those is exact: 70, not 7e+01). */
static void print_exact(double v, int width) {
    char text[32];
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(text, sizeof text, "%.*g", digits, v);
        if (strtod(text, NULL) == v && strchr(text, 'e') == NULL) break;
        if (digits == 17) snprintf(text, sizeof text, "%.17g", v);
    }
    printf(" %*s", width, text);
}

static void print_image(const char *label, double values[ROWS][COLS], int width) {
    printf("%s\n", label);
    for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < COLS; c++) {
            print_exact(values[r][c], width);
        }
        printf("\n");
    }
    printf("\n");
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

    printf("libndimage %s: ndi_generic_filter with a C callback, the mean of each 3x3 window,\n"
           "boundary mode \"reflect\", on a %dx%d float64 image.\n\n",
           ndi_version_string(), ROWS, COLS);

    ndi_status status = ndi_generic_filter(&input, &output, NULL /* footprint */, size,
                                           NULL /* origins: 0 */, NDI_MODE_REFLECT,
                                           0.0 /* cval, unused by reflect */, mean_callback,
                                           NULL /* user_data */, NULL /* options */);
    if (status != NDI_OK) {
        fprintf(stderr, "ndi_generic_filter failed: %s: %s\n", ndi_status_string(status),
                ndi_last_error_message());
        return 1;
    }

    print_image("input:", image, 4);
    print_image("output:", result, 18);

    int differ = 0;
    for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < COLS; c++) {
            if (memcmp(&result[r][c], &SCIPY_RESULT[r][c], sizeof(double)) != 0) {
                printf("output[%d][%d] = %.17g, scipy: %.17g\n", r, c, result[r][c],
                       SCIPY_RESULT[r][c]);
                differ++;
            }
        }
    }
    if (differ) {
        printf("DIFFERS from scipy.ndimage.generic_filter(image, np.mean, size=3, "
               "mode=\"reflect\") in %d of %d values\n", differ, ROWS * COLS);
        return 1;
    }
    printf("equals scipy: the %d output values are bit for bit those scipy 1.17.1 returns for\n"
           "  scipy.ndimage.generic_filter(image, np.mean, size=3, mode=\"reflect\")\n"
           "(checked against scipy's values, stored in this program)\n", ROWS * COLS);
    return 0;
}
