/* Tests of the gaussian filters and the derivative compositions of the C API:
 * ndi_gaussian_kernel1d (against the formula computed here with the C library's exp),
 * ndi_gaussian_filter1d / ndi_gaussian_filter (the library's and a caller's kernels, skipped
 * axes, radii), ndi_sobel, ndi_prewitt, ndi_laplace, ndi_generic_laplace,
 * ndi_generic_gradient_magnitude (the library's derivatives and a caller's), ndi_gaussian_laplace,
 * ndi_gaussian_gradient_magnitude, and their validation errors with nothing written. */
#include "test_util.h"

static double test_value(intptr_t k, int salt) {
    return (double)((k * 7 + salt * 3 + (k * k) % 5) % 23) - 5.0;
}

static intptr_t clampi(intptr_t i, intptr_t n) { return i < 0 ? 0 : (i >= n ? n - 1 : i); }

/* ------------------------------------------------------------------------------------------ */
/* The kernel                                                                                  */

/* scipy's kernel for radius <= 3 (fewer than 8 values, so NumPy sums left to right from 0):
 * exp(-0.5 / s^2 * k^2) / sum; order 1: (0 + k p) phi; order 2: fma(k^2, p^2, p) phi with
 * p = 1 / -s^2. */
static void ref_kernel(double sigma, int order, int radius, double *out) {
    double s2 = sigma * sigma, c = -0.5 / s2, p = 1.0 / -s2, sum = 0.0;
    int k, n = 2 * radius + 1;
    for (k = 0; k < n; k++) {
        double x = (double)(k - radius);
        out[k] = exp(c * (x * x));
    }
    for (k = 0; k < n; k++) sum += out[k];
    sum = 0.0 + sum;
    for (k = 0; k < n; k++) out[k] /= sum;
    for (k = 0; k < n; k++) {
        double x = (double)(k - radius);
        if (order == 1) out[k] *= 0.0 + x * p;
        if (order == 2) out[k] *= fma(x * x, p * p, p + x * 0.0);
    }
}

static void test_kernel(void) {
    static const double sigmas[] = {0.3, 0.8, 1.0, 1.7, 2.5, -1.2};
    double k[7], want[7];
    size_t s;
    int order, radius, j;
    for (s = 0; s < sizeof sigmas / sizeof sigmas[0]; s++) {
        for (order = 0; order <= 2; order++) {
            for (radius = 0; radius <= 3; radius++) {
                TU_CTX("kernel sigma %g order %d radius %d", sigmas[s], order, radius);
                CHECK_STATUS(ndi_gaussian_kernel1d(sigmas[s], order, radius, k, 2 * radius + 1),
                             NDI_OK);
                ref_kernel(sigmas[s], order, radius, want);
                for (j = 0; j <= 2 * radius; j++) CHECK_EQ(k[j], want[j]);
            }
        }
    }
    /* properties of a long kernel (pairwise sum): normalised, symmetric; odd orders
     * antisymmetric with an exact zero at the centre */
    {
        static double big[401];
        double total = 0.0;
        TU_CTX("long kernels");
        CHECK_STATUS(ndi_gaussian_kernel1d(50.0, 0, 200, big, 401), NDI_OK);
        for (j = 0; j < 401; j++) total += big[j];
        CHECK_NEAR(total, 1.0, 1e-14);
        for (j = 0; j < 200; j++) CHECK(big[j] == big[400 - j]);
        for (order = 1; order <= 3; order += 2) {
            CHECK_STATUS(ndi_gaussian_kernel1d(7.0, order, 200, big, 401), NDI_OK);
            CHECK(big[200] == 0.0);
            for (j = 0; j < 200; j++) CHECK(big[j] == -big[400 - j]);
        }
        CHECK_STATUS(ndi_gaussian_kernel1d(7.0, 6, 20, big, 41), NDI_OK);
    }
    TU_CTX("kernel errors");
    CHECK_STATUS(ndi_gaussian_kernel1d(1.0, 0, 2, k, 4), NDI_ERR_SHAPE_MISMATCH);
    CHECK_STATUS(ndi_gaussian_kernel1d(1.0, 0, 2, NULL, 5), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_gaussian_kernel1d(1.0, -1, 2, k, 5), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_gaussian_kernel1d(1.0, 0, -1, k, -1), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_gaussian_kernel1d(0.0, 0, 2, k, 5), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_gaussian_kernel1d(NAN, 0, 2, k, 5), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_gaussian_kernel1d(1.0, 0, INTPTR_MAX, k, 5), NDI_ERR_SHAPE_MISMATCH);
}

/* ------------------------------------------------------------------------------------------ */
/* gaussian_filter1d / gaussian_filter with a caller's kernels                                 */

typedef struct {
    int calls;
    int fail;
    int last_axis, last_order;
    intptr_t last_radius;
    double last_sigma;
} kernel_state;

/* kernel(k) = 1 + k + 3 * order + axis for k = -radius..radius (asymmetric: the reversal
 * shows) */
static int test_kernel_cb(int axis, double sigma, int order, intptr_t radius, double *kernel,
                          void *user_data) {
    kernel_state *s = (kernel_state *)user_data;
    intptr_t j;
    s->calls++;
    s->last_axis = axis;
    s->last_order = order;
    s->last_radius = radius;
    s->last_sigma = sigma;
    if (s->fail) return 0;
    for (j = 0; j <= 2 * radius; j++) kernel[j] = (double)(1 + (j - radius) + 3 * order + axis);
    return 1;
}

/* correlation of a line (nearest) with the callback's kernel reversed */
static double ref_custom_point(const double *line, intptr_t n, intptr_t i, intptr_t radius,
                               int order, int axis) {
    double acc = 0.0;
    intptr_t j;
    for (j = -radius; j <= radius; j++) {
        /* correlation weight at offset j is kernel[-j] */
        double w = (double)(1 - j + 3 * order + axis);
        acc += w * line[clampi(i + j, n)];
    }
    return acc;
}

static void test_gaussian_custom(void) {
    intptr_t shape[2] = {4, 6};
    tarr in, out;
    kernel_state st;
    intptr_t k, i, j;
    double vals[24];
    TU_CTX("gaussian_filter1d, caller's kernel");
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_F);
    for (k = 0; k < 24; k++) tarr_set(&in, k, test_value(k, 1));
    for (k = 0; k < 24; k++) vals[k] = tarr_get(&in, k);
    memset(&st, 0, sizeof st);
    /* radius from truncate: int(3 * 0.6 + 0.5) = 2 */
    CHECK_STATUS(ndi_gaussian_filter1d(&in.arr, &out.arr, 0.6, 1, 1, NDI_MODE_NEAREST, 0.0, 3.0,
                                       -1, test_kernel_cb, &st, NULL),
                 NDI_OK);
    CHECK(st.calls == 1 && st.last_axis == 1 && st.last_order == 1 && st.last_radius == 2);
    CHECK_EQ(st.last_sigma, 0.6);
    for (i = 0; i < 4; i++)
        for (j = 0; j < 6; j++)
            CHECK_EQ(tarr_get(&out, i * 6 + j), ref_custom_point(vals + i * 6, 6, j, 2, 1, 1));
    /* an explicit radius wins; a failing callback writes nothing */
    memset(&st, 0, sizeof st);
    st.fail = 1;
    tarr_reset(&out);
    CHECK_STATUS(ndi_gaussian_filter1d(&in.arr, &out.arr, 0.6, 0, 0, NDI_MODE_NEAREST, 0.0, 3.0,
                                       5, test_kernel_cb, &st, NULL),
                 NDI_ERR_CALLBACK_FAILED);
    CHECK(st.last_radius == 5);
    CHECK_MESSAGE_HAS("kernel");
    CHECK(tarr_untouched(&out));
    /* gaussian_filter: sigma 0 and 1e-16 axes are skipped with their orders; one request per
     * pass */
    {
        double sigmas[2] = {1e-16, 0.5};
        int orders[2] = {3, 2};
        intptr_t radii[2] = {-1, 1};
        memset(&st, 0, sizeof st);
        CHECK_STATUS(ndi_gaussian_filter(&in.arr, &out.arr, sigmas, orders, radii, NULL, 0,
                                         NDI_MODE_NEAREST, NULL, 0.0, 4.0, test_kernel_cb, &st,
                                         NULL),
                     NDI_OK);
        CHECK(st.calls == 1 && st.last_axis == 1 && st.last_order == 2 && st.last_radius == 1);
        for (i = 0; i < 4; i++)
            for (j = 0; j < 6; j++)
                CHECK_EQ(tarr_get(&out, i * 6 + j), ref_custom_point(vals + i * 6, 6, j, 1, 2, 1));
        /* every axis skipped: the input is assigned (float64 to float64: a copy) */
        sigmas[1] = -2.0;
        memset(&st, 0, sizeof st);
        CHECK_STATUS(ndi_gaussian_filter(&in.arr, &out.arr, sigmas, orders, NULL, NULL, 0,
                                         NDI_MODE_NEAREST, NULL, 0.0, 4.0, test_kernel_cb, &st,
                                         NULL),
                     NDI_OK);
        CHECK(st.calls == 0);
        for (k = 0; k < 24; k++) CHECK_EQ(tarr_get(&out, k), vals[k]);
    }
    tarr_free(&in);
    tarr_free(&out);
}

/* The library's kernels: gaussian_filter1d equals correlate1d with the reversed kernel. */
static void test_gaussian_library(void) {
    intptr_t shape[2] = {9, 7};
    int axis, order, mode;
    double kernel[25], rev[25];
    for (axis = 0; axis < 2; axis++) {
        for (order = 0; order <= 3; order++) {
            for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode += 3) {
                tarr in, a, b;
                intptr_t k, radius = (intptr_t)(4.0 * 1.3 + 0.5), n = 2 * radius + 1;
                ndi_array w;
                TU_CTX("library kernel axis %d order %d mode %d", axis, order, mode);
                tarr_init(&in, NDI_DTYPE_UINT16, 2, shape, LAY_STRIDED);
                tarr_init(&a, NDI_DTYPE_FLOAT32, 2, shape, LAY_C);
                tarr_init(&b, NDI_DTYPE_FLOAT32, 2, shape, LAY_C);
                for (k = 0; k < in.len; k++) tarr_set(&in, k, fabs(test_value(k, order)) * 10);
                CHECK_STATUS(ndi_gaussian_kernel1d(1.3, order, radius, kernel, n), NDI_OK);
                for (k = 0; k < n; k++) rev[k] = kernel[n - 1 - k];
                w = tu_desc(rev, NDI_DTYPE_FLOAT64, 1, &n, NULL);
                CHECK_STATUS(ndi_gaussian_filter1d(&in.arr, &a.arr, 1.3, axis, order, mode, 2.0,
                                                   4.0, -1, NULL, NULL, NULL),
                             NDI_OK);
                CHECK_STATUS(ndi_correlate1d(&in.arr, &b.arr, &w, axis, 0, mode, 2.0, NULL),
                             NDI_OK);
                CHECK(memcmp(a.mem, b.mem, a.memlen) == 0);
                tarr_free(&in);
                tarr_free(&a);
                tarr_free(&b);
            }
        }
    }
}

static void test_gaussian_errors(void) {
    intptr_t shape[2] = {3, 4};
    double sigmas[2] = {1.0, 1.0};
    int orders[2] = {0, -1};
    intptr_t radii[2] = {-1, -1};
    tarr in, out;
    kernel_state st;
    TU_CTX("gaussian errors");
    memset(&st, 0, sizeof st);
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
#define EXPECT_ERR(call, status)     \
    do {                             \
        tarr_reset(&out);            \
        CHECK_STATUS(call, status);  \
        CHECK(tarr_untouched(&out)); \
    } while (0)
    EXPECT_ERR(ndi_gaussian_filter1d(&in.arr, &out.arr, 0.0, 0, 0, NDI_MODE_REFLECT, 0, 4.0, -1,
                                     NULL, NULL, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_gaussian_filter1d(&in.arr, &out.arr, NAN, 0, 0, NDI_MODE_REFLECT, 0, 4.0, -1,
                                     NULL, NULL, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    /* int(-2 * 1 + 0.5) = -1: scipy's "Radius must be a nonnegative integer" */
    EXPECT_ERR(ndi_gaussian_filter1d(&in.arr, &out.arr, 1.0, 0, 0, NDI_MODE_REFLECT, 0, -2.0, -1,
                                     NULL, NULL, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("radius");
    EXPECT_ERR(ndi_gaussian_filter1d(&in.arr, &out.arr, 1.0, 0, -1, NDI_MODE_REFLECT, 0, 4.0, -1,
                                     NULL, NULL, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_gaussian_filter1d(&in.arr, &out.arr, 1.0, 2, 0, NDI_MODE_REFLECT, 0, 4.0, -1,
                                     NULL, NULL, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_gaussian_filter1d(&in.arr, &out.arr, 1.0, 0, 0, NDI_DTYPE_BOOL, 0, 4.0, -1,
                                     NULL, NULL, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_gaussian_filter(&in.arr, &out.arr, NULL, NULL, NULL, NULL, 0,
                                   NDI_MODE_REFLECT, NULL, 0, 4.0, NULL, NULL, NULL),
               NDI_ERR_NULL_POINTER);
    EXPECT_ERR(ndi_gaussian_filter(&in.arr, &out.arr, sigmas, orders, NULL, NULL, 0,
                                   NDI_MODE_REFLECT, NULL, 0, 4.0, NULL, NULL, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("order");
    /* the second axis' kernel fails: nothing written, not even the first pass */
    st.fail = 1;
    orders[1] = 0;
    EXPECT_ERR(ndi_gaussian_filter(&in.arr, &out.arr, sigmas, orders, radii, NULL, 0,
                                   NDI_MODE_REFLECT, NULL, 0, 4.0, test_kernel_cb, &st, NULL),
               NDI_ERR_CALLBACK_FAILED);
    EXPECT_ERR(ndi_gaussian_laplace(&in.arr, &out.arr, NULL, NULL, NULL, 0, NDI_MODE_REFLECT,
                                    NULL, 0, 4.0, NULL, NULL, NULL),
               NDI_ERR_NULL_POINTER);
    {
        tarr cin;
        ndi_options opt;
        tarr_init(&cin, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
        memset(cin.mem, 0, cin.memlen);
        EXPECT_ERR(ndi_gaussian_gradient_magnitude(&cin.arr, &out.arr, sigmas, NULL, NULL, 0,
                                                   NDI_MODE_REFLECT, NULL, 0, 4.0, NULL, NULL,
                                                   NULL),
                   NDI_ERR_INVALID_ARRAY);
        ndi_options_init(&opt, sizeof opt);
        opt.cval_imag = 1.0;
        EXPECT_ERR(ndi_gaussian_gradient_magnitude(&in.arr, &out.arr, sigmas, NULL, NULL, 0,
                                                   NDI_MODE_REFLECT, NULL, 0, 4.0, NULL, NULL,
                                                   &opt),
                   NDI_ERR_INVALID_ARGUMENT);
        tarr_free(&cin);
    }
    tarr_free(&in);
    tarr_free(&out);
}

/* ------------------------------------------------------------------------------------------ */
/* sobel, prewitt, laplace                                                                     */

/* 2-D sobel/prewitt along `axis` with `nearest`: derivative d[i] = x[i+1] - x[i-1], then the
 * smoothing s[-1] x[i-1] + s[0] x[i] + s[1] x[i+1] along the other axis. */
static void ref_edge(const double *x, intptr_t n0, intptr_t n1, int axis, double centre,
                     double *out) {
    double d[64];
    intptr_t i, j;
    for (i = 0; i < n0; i++)
        for (j = 0; j < n1; j++)
            d[i * n1 + j] = axis == 0 ? x[clampi(i + 1, n0) * n1 + j] - x[clampi(i - 1, n0) * n1 + j]
                                      : x[i * n1 + clampi(j + 1, n1)] - x[i * n1 + clampi(j - 1, n1)];
    for (i = 0; i < n0; i++)
        for (j = 0; j < n1; j++)
            out[i * n1 + j] =
                axis == 0 ? d[i * n1 + clampi(j - 1, n1)] + centre * d[i * n1 + j] +
                                d[i * n1 + clampi(j + 1, n1)]
                          : d[clampi(i - 1, n0) * n1 + j] + centre * d[i * n1 + j] +
                                d[clampi(i + 1, n0) * n1 + j];
}

static void test_edges(void) {
    intptr_t shape[2] = {5, 6};
    int axis, layout;
    for (axis = -2; axis < 2; axis++) {
        for (layout = 0; layout < LAY_COUNT; layout++) {
            tarr in, out;
            intptr_t k;
            double vals[30], want[30];
            int ax = axis < 0 ? axis + 2 : axis;
            TU_CTX("sobel/prewitt axis %d layout %s", axis, tu_layout_name(layout));
            tarr_init(&in, NDI_DTYPE_INT16, 2, shape, layout);
            tarr_init(&out, NDI_DTYPE_INT32, 2, shape, (layout + 2) % LAY_COUNT);
            for (k = 0; k < 30; k++) tarr_set(&in, k, test_value(k, layout));
            for (k = 0; k < 30; k++) vals[k] = tarr_get(&in, k);
            CHECK_STATUS(ndi_sobel(&in.arr, &out.arr, axis, NDI_MODE_NEAREST, NULL, 0.0, NULL),
                         NDI_OK);
            ref_edge(vals, 5, 6, ax, 2.0, want);
            for (k = 0; k < 30; k++) CHECK_EQ(tarr_get(&out, k), want[k]);
            CHECK_STATUS(ndi_prewitt(&in.arr, &out.arr, axis, NDI_MODE_NEAREST, NULL, 0.0, NULL),
                         NDI_OK);
            ref_edge(vals, 5, 6, ax, 1.0, want);
            for (k = 0; k < 30; k++) CHECK_EQ(tarr_get(&out, k), want[k]);
            tarr_free(&in);
            tarr_free(&out);
        }
    }
    /* uint8 output wraps after each pass (scipy's intermediates in the output type):
     * [0, 0, 200, 200] along axis 1 gives 0, 200, 200, 0, then the 1-row smoothing x4 */
    {
        intptr_t s2[2] = {1, 4};
        uint8_t x[4] = {0, 0, 200, 200}, y[4];
        ndi_array a = tu_desc(x, NDI_DTYPE_UINT8, 2, s2, NULL);
        ndi_array b = tu_desc(y, NDI_DTYPE_UINT8, 2, s2, NULL);
        ndi_mode modes[2] = {NDI_MODE_REFLECT, NDI_MODE_NEAREST};
        TU_CTX("sobel uint8 wrap");
        CHECK_STATUS(ndi_sobel(&a, &b, 1, 0, modes, 0.0, NULL), NDI_OK);
        CHECK(y[0] == 0 && y[1] == (uint8_t)(200 * 4) && y[2] == (uint8_t)(200 * 4) && y[3] == 0);
    }
}

static void test_laplace(void) {
    intptr_t shape[3] = {3, 4, 5};
    int axes[2] = {2, 0};
    ndi_mode modes[2] = {NDI_MODE_WRAP, NDI_MODE_CONSTANT};
    tarr in, out;
    intptr_t k, i, j, l;
    double vals[60];
    TU_CTX("laplace");
    tarr_init(&in, NDI_DTYPE_FLOAT64, 3, shape, LAY_NEG);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 3, shape, LAY_C);
    for (k = 0; k < 60; k++) tarr_set(&in, k, test_value(k, 4));
    for (k = 0; k < 60; k++) vals[k] = tarr_get(&in, k);
    CHECK_STATUS(ndi_laplace(&in.arr, &out.arr, axes, 2, 0, modes, 1.5, NULL), NDI_OK);
    for (i = 0; i < 3; i++)
        for (j = 0; j < 4; j++)
            for (l = 0; l < 5; l++) {
                double c = vals[(i * 4 + j) * 5 + l];
                double d2 = vals[(i * 4 + j) * 5 + (l + 4) % 5] + vals[(i * 4 + j) * 5 + (l + 1) % 5] -
                            2 * c;
                double up = i > 0 ? vals[((i - 1) * 4 + j) * 5 + l] : 1.5;
                double down = i < 2 ? vals[((i + 1) * 4 + j) * 5 + l] : 1.5;
                CHECK_EQ(tarr_get(&out, (i * 4 + j) * 5 + l), d2 + (up + down - 2 * c));
            }
    tarr_free(&in);
    tarr_free(&out);
}

/* ------------------------------------------------------------------------------------------ */
/* generic_laplace / generic_gradient_magnitude                                                */

typedef struct {
    int calls;
    int fail_at;
    int temp_not_zero;
    int axes_seen[8];
    double scale;
} deriv_state;

/* out = scale * (x[i+1] - x[i-1]) along axis (nearest); checks a temporary is zeroed */
static int test_derivative(const ndi_array *input, int axis, const ndi_array *output,
                           ndi_mode mode, double cval, void *user_data) {
    deriv_state *s = (deriv_state *)user_data;
    tarr view_in, view_out;
    intptr_t k, len = 1, idx[8];
    int a, rank = input->rank;
    (void)mode;
    (void)cval;
    if (s->calls < 8) s->axes_seen[s->calls] = axis;
    s->calls++;
    if (s->fail_at && s->calls == s->fail_at) return 0;
    /* wrap the descriptors in tarr views for element access */
    memset(&view_in, 0, sizeof view_in);
    memset(&view_out, 0, sizeof view_out);
    view_in.arr = *input;
    view_out.arr = *output;
    view_in.rank = view_out.rank = rank;
    view_in.item = tu_item_size(input->dtype);
    view_out.item = tu_item_size(output->dtype);
    for (a = 0; a < rank; a++) {
        view_in.shape[a] = view_out.shape[a] = input->shape[a];
        view_in.strides[a] = input->strides[a];
        view_out.strides[a] = output->strides[a];
        len *= input->shape[a];
    }
    view_in.len = view_out.len = len;
    for (k = 0; k < len; k++) {
        intptr_t rem = k, up, down;
        double v;
        if (s->calls > 1 && tarr_get(&view_out, k) != 0.0) s->temp_not_zero++;
        for (a = rank - 1; a >= 0; a--) {
            idx[a] = rem % input->shape[a];
            rem /= input->shape[a];
        }
        up = clampi(idx[axis] + 1, input->shape[axis]);
        down = clampi(idx[axis] - 1, input->shape[axis]);
        {
            intptr_t ku = 0, kd = 0;
            for (a = 0; a < rank; a++) {
                ku = ku * input->shape[a] + (a == axis ? up : idx[a]);
                kd = kd * input->shape[a] + (a == axis ? down : idx[a]);
            }
            v = s->scale * (tarr_get(&view_in, ku) - tarr_get(&view_in, kd));
        }
        tarr_set(&view_out, k, v);
    }
    return 1;
}

static void test_generic(void) {
    intptr_t shape[3] = {3, 4, 5};
    tarr in, out, ref;
    deriv_state st;
    intptr_t k;
    int axes[3] = {1, 2, 0};
    TU_CTX("generic compositions");
    tarr_init(&in, NDI_DTYPE_FLOAT64, 3, shape, LAY_F);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 3, shape, LAY_C);
    tarr_init(&ref, NDI_DTYPE_FLOAT64, 3, shape, LAY_C);
    for (k = 0; k < 60; k++) tarr_set(&in, k, test_value(k, 2));
    memset(&st, 0, sizeof st);
    st.scale = 0.5;
    CHECK_STATUS(ndi_generic_gradient_magnitude(&in.arr, &out.arr, test_derivative, &st, axes, 3,
                                                NDI_MODE_NEAREST, NULL, 0.0, NULL),
                 NDI_OK);
    CHECK(st.calls == 3 && st.axes_seen[0] == 1 && st.axes_seen[1] == 2 && st.axes_seen[2] == 0);
    CHECK(st.temp_not_zero == 0);
    {
        /* the reference: the same derivative by hand, squares summed in the order of axes */
        double vals[60], d[3][60];
        int q;
        intptr_t i, j, l;
        for (k = 0; k < 60; k++) vals[k] = tarr_get(&in, k);
        for (q = 0; q < 3; q++) {
            int ax = axes[q];
            for (i = 0; i < 3; i++)
                for (j = 0; j < 4; j++)
                    for (l = 0; l < 5; l++) {
                        intptr_t p[3] = {i, j, l}, u[3], dn[3];
                        memcpy(u, p, sizeof p);
                        memcpy(dn, p, sizeof p);
                        u[ax] = clampi(p[ax] + 1, shape[ax]);
                        dn[ax] = clampi(p[ax] - 1, shape[ax]);
                        d[q][(i * 4 + j) * 5 + l] =
                            0.5 * (vals[(u[0] * 4 + u[1]) * 5 + u[2]] -
                                   vals[(dn[0] * 4 + dn[1]) * 5 + dn[2]]);
                    }
        }
        for (k = 0; k < 60; k++) {
            double acc = d[0][k] * d[0][k];
            acc += d[1][k] * d[1][k];
            acc += d[2][k] * d[2][k];
            CHECK_EQ(tarr_get(&out, k), sqrt(acc));
        }
        /* generic_laplace with the same derivative: the plain sum */
        memset(&st, 0, sizeof st);
        st.scale = 0.5;
        CHECK_STATUS(ndi_generic_laplace(&in.arr, &out.arr, test_derivative, &st, axes, 3,
                                         NDI_MODE_NEAREST, NULL, 0.0, NULL),
                     NDI_OK);
        for (k = 0; k < 60; k++) CHECK_EQ(tarr_get(&out, k), (d[0][k] + d[1][k]) + d[2][k]);
    }
    /* a failing derivative: the status and the axis in the message */
    memset(&st, 0, sizeof st);
    st.scale = 1.0;
    st.fail_at = 2;
    CHECK_STATUS(ndi_generic_laplace(&in.arr, &out.arr, test_derivative, &st, axes, 3,
                                     NDI_MODE_NEAREST, NULL, 0.0, NULL),
                 NDI_ERR_CALLBACK_FAILED);
    CHECK_MESSAGE_HAS("axis 2");
    /* the library's sobel derivative equals the sum of ndi_sobel along each axis */
    {
        ndi_options opt;
        ndi_options_init(&opt, sizeof opt);
        opt.threads = 2;
        CHECK_STATUS(ndi_generic_laplace(&in.arr, &out.arr, ndi_derivative_sobel, &opt, NULL, 0,
                                         NDI_MODE_REFLECT, NULL, 0.0, NULL),
                     NDI_OK);
        for (k = 0; k < 60; k++) {
            double sum = 0.0;
            int a;
            for (a = 0; a < 3; a++) {
                CHECK_STATUS(ndi_sobel(&in.arr, &ref.arr, a, NDI_MODE_REFLECT, NULL, 0.0, NULL),
                             NDI_OK);
                sum = a == 0 ? tarr_get(&ref, k) : sum + tarr_get(&ref, k);
            }
            CHECK_EQ(tarr_get(&out, k), sum);
            if (k > 3) break; /* the sums above cost three passes per element checked */
        }
        /* a failing library derivative passes its message on */
        {
            tarr bad;
            intptr_t s2[2] = {3, 4};
            tarr_init(&bad, NDI_DTYPE_FLOAT64, 2, s2, LAY_C);
            opt.threads = -7;
            CHECK_STATUS(ndi_generic_gradient_magnitude(&bad.arr, &bad.arr, ndi_derivative_prewitt,
                                                        &opt, NULL, 0, NDI_MODE_REFLECT, NULL,
                                                        0.0, NULL),
                         NDI_ERR_CALLBACK_FAILED);
            CHECK_MESSAGE_HAS("threads");
            tarr_free(&bad);
        }
    }
    /* errors */
    CHECK_STATUS(ndi_generic_laplace(&in.arr, &out.arr, NULL, NULL, NULL, 0, NDI_MODE_REFLECT,
                                     NULL, 0.0, NULL),
                 NDI_ERR_NULL_POINTER);
    {
        tarr cin, cout;
        tarr_init(&cin, NDI_DTYPE_COMPLEX64, 3, shape, LAY_C);
        tarr_init(&cout, NDI_DTYPE_COMPLEX64, 3, shape, LAY_C);
        CHECK_STATUS(ndi_generic_gradient_magnitude(&cin.arr, &cout.arr, test_derivative, &st,
                                                    NULL, 0, NDI_MODE_REFLECT, NULL, 0.0, NULL),
                     NDI_ERR_INVALID_ARRAY);
        CHECK(tarr_untouched(&cout));
        tarr_free(&cin);
        tarr_free(&cout);
    }
    tarr_free(&in);
    tarr_free(&out);
    tarr_free(&ref);
}

/* gaussian_laplace is the sum of gaussian_filter with order 2 on each axis; ggm the root of
 * the sum of squares of order-1 filters (both with the library's kernels). */
static void test_gaussian_compositions(void) {
    intptr_t shape[2] = {6, 7};
    double sigmas[2] = {1.1, 0.7};
    int o20[2] = {2, 0}, o02[2] = {0, 2}, o10[2] = {1, 0}, o01[2] = {0, 1};
    tarr in, out, a, b;
    intptr_t k;
    TU_CTX("gaussian compositions");
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_STRIDED);
    tarr_init(&a, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&b, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    for (k = 0; k < 42; k++) tarr_set(&in, k, test_value(k, 5));
    CHECK_STATUS(ndi_gaussian_laplace(&in.arr, &out.arr, sigmas, NULL, NULL, 0, NDI_MODE_MIRROR,
                                      NULL, 0.0, 4.0, NULL, NULL, NULL),
                 NDI_OK);
    CHECK_STATUS(ndi_gaussian_filter(&in.arr, &a.arr, sigmas, o20, NULL, NULL, 0, NDI_MODE_MIRROR,
                                     NULL, 0.0, 4.0, NULL, NULL, NULL),
                 NDI_OK);
    CHECK_STATUS(ndi_gaussian_filter(&in.arr, &b.arr, sigmas, o02, NULL, NULL, 0, NDI_MODE_MIRROR,
                                     NULL, 0.0, 4.0, NULL, NULL, NULL),
                 NDI_OK);
    for (k = 0; k < 42; k++) CHECK_EQ(tarr_get(&out, k), tarr_get(&a, k) + tarr_get(&b, k));
    CHECK_STATUS(ndi_gaussian_gradient_magnitude(&in.arr, &out.arr, sigmas, NULL, NULL, 0,
                                                 NDI_MODE_MIRROR, NULL, 0.0, 4.0, NULL, NULL,
                                                 NULL),
                 NDI_OK);
    CHECK_STATUS(ndi_gaussian_filter(&in.arr, &a.arr, sigmas, o10, NULL, NULL, 0, NDI_MODE_MIRROR,
                                     NULL, 0.0, 4.0, NULL, NULL, NULL),
                 NDI_OK);
    CHECK_STATUS(ndi_gaussian_filter(&in.arr, &b.arr, sigmas, o01, NULL, NULL, 0, NDI_MODE_MIRROR,
                                     NULL, 0.0, 4.0, NULL, NULL, NULL),
                 NDI_OK);
    for (k = 0; k < 42; k++) {
        double x = tarr_get(&a, k), y = tarr_get(&b, k);
        CHECK_EQ(tarr_get(&out, k), sqrt(x * x + y * y));
    }
    /* one axis of two: gaussian_laplace gives the other axis sigma 0 (skipped) */
    {
        int axes[1] = {1};
        double s1[1] = {0.9}, s2[2] = {0.0, 0.9};
        CHECK_STATUS(ndi_gaussian_laplace(&in.arr, &out.arr, s1, NULL, axes, 1, NDI_MODE_WRAP,
                                          NULL, 0.0, 4.0, NULL, NULL, NULL),
                     NDI_OK);
        CHECK_STATUS(ndi_gaussian_filter(&in.arr, &a.arr, s2, o02, NULL, NULL, 0, NDI_MODE_WRAP,
                                         NULL, 0.0, 4.0, NULL, NULL, NULL),
                     NDI_OK);
        for (k = 0; k < 42; k++) CHECK_EQ(tarr_get(&out, k), tarr_get(&a, k));
    }
    tarr_free(&in);
    tarr_free(&out);
    tarr_free(&a);
    tarr_free(&b);
}

int main(void) {
    test_kernel();
    test_gaussian_custom();
    test_gaussian_library();
    test_gaussian_errors();
    test_edges();
    test_laplace();
    test_generic();
    test_gaussian_compositions();
    return TU_DONE();
}
