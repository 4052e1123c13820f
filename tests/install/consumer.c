/*
 * consumer.c: a program built against an *installed* libndimage (scripts/test-install.sh
 * builds it with pkg-config, shared and static, and with CMake's ndimage::ndimage and
 * ndimage::ndimage_static targets).
 *
 * Checks that the header and the library agree on the version, and that one
 * ndi_generic_filter call (3x3 sum, mode reflect) gives scipy's result:
 *
 *     scipy.ndimage.generic_filter([[1, 2, 3], [4, 5, 6]], np.sum, size=3, mode="reflect")
 *     -> [[21, 27, 33], [30, 36, 42]]
 *
 * Prints "consumer: OK ..." and exits 0, or says what is wrong and exits 1.
 */
#include <ndimage.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

/* Sum of the window; user_data counts the calls. */
static int sum_callback(double *buffer, intptr_t filter_size, double *return_value,
                        void *user_data) {
    double sum = 0.0;
    for (intptr_t i = 0; i < filter_size; i++) {
        sum += buffer[i];
    }
    *return_value = sum;
    ++*(int *)user_data;
    return 1;
}

int main(void) {
    int failures = 0;

    /* The header's macros, the version number and the version string must all agree. */
    const char *expected_version =
        STR(NDI_VERSION_MAJOR) "." STR(NDI_VERSION_MINOR) "." STR(NDI_VERSION_PATCH);
    const char *version = ndi_version_string();
    if (version == NULL || strcmp(version, expected_version) != 0) {
        fprintf(stderr, "consumer: ndi_version_string() = \"%s\", header says \"%s\"\n",
                version ? version : "(null)", expected_version);
        failures++;
    }
    uint32_t expected_number =
        NDI_VERSION_MAJOR * 10000u + NDI_VERSION_MINOR * 100u + NDI_VERSION_PATCH;
    if (ndi_version() != expected_number) {
        fprintf(stderr, "consumer: ndi_version() = %u, header says %u\n",
                (unsigned)ndi_version(), (unsigned)expected_number);
        failures++;
    }

    double in[2][3] = {{1, 2, 3}, {4, 5, 6}};
    double out[2][3] = {{-1, -1, -1}, {-1, -1, -1}};
    const double expected[2][3] = {{21, 27, 33}, {30, 36, 42}};
    intptr_t shape[2] = {2, 3};
    intptr_t size[2] = {3, 3};
    ndi_array input = {in, NDI_DTYPE_FLOAT64, 2, shape, NULL};
    ndi_array output = {out, NDI_DTYPE_FLOAT64, 2, shape, NULL};

    ndi_options options;
    ndi_options_init(&options, sizeof options);
    int calls = 0;
    ndi_status status = ndi_generic_filter(&input, &output, NULL, size, NULL, NDI_MODE_REFLECT,
                                           0.0, sum_callback, &calls, &options);
    if (status != NDI_OK) {
        fprintf(stderr, "consumer: ndi_generic_filter returned %d (%s): %s\n", (int)status,
                ndi_status_string(status), ndi_last_error_message());
        return 1;
    }
    if (calls != 6) {
        fprintf(stderr, "consumer: callback called %d times, expected 6\n", calls);
        failures++;
    }
    for (int r = 0; r < 2; r++) {
        for (int c = 0; c < 3; c++) {
            if (out[r][c] != expected[r][c]) {
                fprintf(stderr, "consumer: out[%d][%d] = %.17g, expected %.17g\n", r, c,
                        out[r][c], expected[r][c]);
                failures++;
            }
        }
    }

    /* An error path through the installed library: a NULL callback. */
    status = ndi_generic_filter(&input, &output, NULL, size, NULL, NDI_MODE_REFLECT, 0.0, NULL,
                                NULL, NULL);
    if (status != NDI_ERR_NULL_POINTER || ndi_last_error_message()[0] == '\0') {
        fprintf(stderr, "consumer: NULL callback gave status %d, message \"%s\"\n",
                (int)status, ndi_last_error_message());
        failures++;
    }

    if (failures) {
        fprintf(stderr, "consumer: FAILED (%d problems)\n", failures);
        return 1;
    }
    printf("consumer: OK (libndimage %s, generic_filter matches scipy)\n", version);
    return 0;
}
