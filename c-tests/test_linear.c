/* Tests of the linear filters' C API (ndi_correlate1d, ndi_convolve1d, ndi_correlate,
 * ndi_convolve, ndi_uniform_filter1d, ndi_uniform_filter, the gaussian filters and kernel,
 * the derivative compositions): results against references written here (integer-valued
 * data and weights, so that every summation order gives the same exact double), layouts,
 * dtypes, complex data, aliasing, and every validation error with nothing written. */
#include "test_util.h"

/* Position i on an axis of length n under a filter boundary mode, by repeated reflection.
 * -1: cval. */
static intptr_t ref_map(intptr_t i, intptr_t n, int mode) {
    switch (mode) {
    case NDI_MODE_CONSTANT:
    case NDI_MODE_GRID_CONSTANT:
        return (i < 0 || i >= n) ? -1 : i;
    case NDI_MODE_NEAREST:
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    case NDI_MODE_WRAP:
    case NDI_MODE_GRID_WRAP:
        while (i < 0) i += n;
        while (i >= n) i -= n;
        return i;
    case NDI_MODE_REFLECT:
    case NDI_MODE_GRID_MIRROR:
        while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - 1 - i;
        return i;
    case NDI_MODE_MIRROR:
        if (n == 1) return 0;
        while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
        return i;
    default:
        return -1;
    }
}

static double test_value(intptr_t k, int salt) {
    return (double)((k * 7 + salt * 3 + (k * k) % 5) % 23) - 5.0;
}

/* C-order index -> per-axis index */
static void unravel(intptr_t k, int rank, const intptr_t *shape, intptr_t *idx) {
    int a;
    for (a = rank - 1; a >= 0; a--) {
        idx[a] = k % shape[a];
        k /= shape[a];
    }
}

/* The value of `in` (C order, `shape`) at `idx` moved by `off` through `mode`, or cval. */
static double ref_at(const double *in, int rank, const intptr_t *shape, const intptr_t *idx,
                     const intptr_t *off, int mode, double cval) {
    intptr_t src = 0;
    int a;
    for (a = 0; a < rank; a++) {
        intptr_t p = ref_map(idx[a] + off[a], shape[a], mode);
        if (p < 0) return cval;
        src = src * shape[a] + p;
    }
    return in[src];
}

/* n-D correlation: weights of `wshape` (rank `rank`), footprint element k reads
 * idx + k - (wshape / 2 + origin). Taps with |w| <= DBL_EPSILON are skipped (scipy). */
static void ref_correlate(const double *in, int rank, const intptr_t *shape, const double *w,
                          const intptr_t *wshape, const intptr_t *origins, int mode,
                          double cval, double *out) {
    intptr_t len = 1, wlen = 1, k, j;
    intptr_t idx[NDI_MAX_RANK], widx[NDI_MAX_RANK], off[NDI_MAX_RANK];
    int a;
    for (a = 0; a < rank; a++) {
        len *= shape[a];
        wlen *= wshape[a];
    }
    for (k = 0; k < len; k++) {
        double acc = 0.0;
        unravel(k, rank, shape, idx);
        for (j = 0; j < wlen; j++) {
            if (fabs(w[j]) <= 2.220446049250313e-16) continue;
            unravel(j, rank, wshape, widx);
            for (a = 0; a < rank; a++)
                off[a] = widx[a] - (wshape[a] / 2 + (origins ? origins[a] : 0));
            acc += w[j] * ref_at(in, rank, shape, idx, off, mode, cval);
        }
        out[k] = acc;
    }
}

/* 1-D correlation along `axis`: the n-D correlation with weights extended by 1s. */
static void ref_correlate1d(const double *in, int rank, const intptr_t *shape, int axis,
                            const double *w, intptr_t fs, intptr_t origin, int mode,
                            double cval, double *out) {
    intptr_t wshape[NDI_MAX_RANK], origins[NDI_MAX_RANK];
    int a;
    for (a = 0; a < rank; a++) {
        wshape[a] = a == axis ? fs : 1;
        origins[a] = a == axis ? origin : 0;
    }
    ref_correlate(in, rank, shape, w, wshape, origins, mode, cval, out);
}

static double *values_of(const tarr *t) {
    double *v = (double *)malloc(sizeof(double) * (size_t)(t->len > 0 ? t->len : 1));
    intptr_t k;
    if (!v) exit(2);
    for (k = 0; k < t->len; k++) v[k] = tarr_get(t, k);
    return v;
}

/* Every element of `out` equals the truncated reference. */
static int matches(const tarr *out, const double *expect) {
    intptr_t k;
    for (k = 0; k < out->len; k++) {
        double want = tu_truncated(out->arr.dtype, expect[k]);
        double got = tarr_get(out, k);
        if (got != want && !(got != got && want != want)) {
            fprintf(stderr, "  element %ld: got %.17g want %.17g\n", (long)k, got, want);
            return 0;
        }
    }
    return 1;
}

/* A 1-D weights descriptor over `w` (float64, n values). */
static ndi_array weights_1d(double *w, intptr_t *n) {
    return tu_desc(w, NDI_DTYPE_FLOAT64, 1, n, NULL);
}

/* ------------------------------------------------------------------------------------------ */
/* correlate1d / convolve1d                                                                   */

static void test_correlate1d_results(void) {
    static const intptr_t shapes[][4] = {{9, 0, 0, 0}, {1, 0, 0, 0}, {3, 5, 0, 0},
                                         {2, 3, 4, 0}, {2, 1, 3, 2}, {4, 1, 1, 1}};
    static const int ranks[] = {1, 1, 2, 3, 4, 4};
    static const int axes[] = {0, -1, 1, -2, 2, 0};
    /* symmetric, antisymmetric, general odd, even, one tap, wider than the axis */
    static double kernels[][9] = {{1, 2, 1}, {-1, 0, 1}, {3, -1, 2, 5, 1}, {1, -2, 4, 2},
                                  {-3}, {1, 2, 3, 4, 5, 4, 3, 2, 1}};
    static intptr_t lengths[] = {3, 3, 5, 4, 1, 9};
    static const intptr_t origins[] = {1, -1, 2, -2, 0, 3};
    size_t c, q;
    int mode, layout;
    for (c = 0; c < sizeof ranks / sizeof ranks[0]; c++) {
        for (q = 0; q < sizeof lengths / sizeof lengths[0]; q++) {
            for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
                layout = (int)((c + q + (size_t)mode) % LAY_COUNT);
                {
                    tarr in, out;
                    intptr_t k, fs = lengths[q];
                    intptr_t origin = origins[q];
                    ndi_array w = weights_1d(kernels[q], &lengths[q]);
                    double *vals, *expect;
                    int ax = axes[c] < 0 ? axes[c] + ranks[c] : axes[c];
                    TU_CTX("correlate1d case %d kernel %d mode %d layout %s", (int)c, (int)q,
                           mode, tu_layout_name(layout));
                    tarr_init(&in, NDI_DTYPE_INT16, ranks[c], shapes[c], layout);
                    tarr_init(&out, NDI_DTYPE_FLOAT64, ranks[c], shapes[c],
                              (layout + 3) % LAY_COUNT);
                    for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, (int)c + mode));
                    vals = values_of(&in);
                    expect = (double *)malloc(sizeof(double) * (size_t)in.len);
                    ref_correlate1d(vals, ranks[c], in.shape, ax, kernels[q], fs, origin, mode,
                                    -3.0, expect);
                    CHECK_STATUS(ndi_correlate1d(&in.arr, &out.arr, &w, axes[c], origin, mode,
                                                 -3.0, NULL),
                                 NDI_OK);
                    CHECK(matches(&out, expect));
                    CHECK(tarr_gaps_untouched(&out));
                    /* convolve1d = correlate1d with reversed weights, origin -o - (even) */
                    {
                        double rev[9];
                        intptr_t j;
                        for (j = 0; j < fs; j++) rev[j] = kernels[q][fs - 1 - j];
                        ref_correlate1d(vals, ranks[c], in.shape, ax, rev, fs,
                                        -origin - (fs % 2 == 0), mode, -3.0, expect);
                        if (-origin - (fs % 2 == 0) >= -(fs / 2) &&
                            -origin - (fs % 2 == 0) <= (fs - 1) / 2) {
                            CHECK_STATUS(ndi_convolve1d(&in.arr, &out.arr, &w, axes[c], origin,
                                                        mode, -3.0, NULL),
                                         NDI_OK);
                            CHECK(matches(&out, expect));
                        } else {
                            tarr_reset(&out);
                            CHECK_STATUS(ndi_convolve1d(&in.arr, &out.arr, &w, axes[c], origin,
                                                        mode, -3.0, NULL),
                                         NDI_ERR_INVALID_ARGUMENT);
                            CHECK(tarr_untouched(&out));
                        }
                    }
                    free(vals);
                    free(expect);
                    tarr_free(&in);
                    tarr_free(&out);
                }
            }
        }
    }
}

/* Values scipy documents: the centre product is always evaluated (inf under a zero centre
 * weight gives NaN), a one-tap kernel keeps -0.0, near-symmetric kernels use the left
 * weights only. */
static void test_correlate1d_order(void) {
    intptr_t n = 3, three = 3, one = 1;
    double x[3] = {1.0, INFINITY, 1.0}, y[3];
    double sob[3] = {-1.0, 0.0, 1.0};
    double neg[1] = {1.0};
    double z[3] = {-0.0, -0.0, -0.0};
    double near[3] = {1.0, 0.0, 1.0 + 1e-16};
    double data[3] = {1.0, 2.0, 4.0};
    ndi_array in = tu_desc(x, NDI_DTYPE_FLOAT64, 1, &n, NULL);
    ndi_array out = tu_desc(y, NDI_DTYPE_FLOAT64, 1, &n, NULL);
    ndi_array w = weights_1d(sob, &three);
    TU_CTX("correlate1d operation order");
    CHECK_STATUS(ndi_correlate1d(&in, &out, &w, 0, 0, NDI_MODE_REFLECT, 0.0, NULL), NDI_OK);
    CHECK(y[0] == INFINITY && y[1] != y[1] && y[2] == -INFINITY);
    in.data = z;
    w = weights_1d(neg, &one);
    CHECK_STATUS(ndi_correlate1d(&in, &out, &w, 0, 0, NDI_MODE_REFLECT, 0.0, NULL), NDI_OK);
    CHECK(y[0] == 0.0 && signbit(y[0]) && signbit(y[1]) && signbit(y[2]));
    in.data = data;
    w = weights_1d(near, &three);
    CHECK_STATUS(ndi_correlate1d(&in, &out, &w, 0, 0, NDI_MODE_CONSTANT, 0.0, NULL), NDI_OK);
    /* left weight 1.0 for both sides: (0 + 2), (1 + 4), (2 + 0) */
    CHECK_EQ(y[0], 2.0);
    CHECK_EQ(y[1], 5.0);
    CHECK_EQ(y[2], 2.0);
}

static void test_correlate1d_dtypes(void) {
    static const ndi_dtype types[] = {NDI_DTYPE_BOOL,   NDI_DTYPE_INT8,    NDI_DTYPE_UINT8,
                                      NDI_DTYPE_INT16,  NDI_DTYPE_UINT16,  NDI_DTYPE_INT32,
                                      NDI_DTYPE_UINT32, NDI_DTYPE_INT64,   NDI_DTYPE_UINT64,
                                      NDI_DTYPE_FLOAT32, NDI_DTYPE_FLOAT64};
    intptr_t shape[2] = {4, 5}, three = 3;
    double w[3] = {1.0, 2.0, 1.0};
    ndi_array wd = weights_1d(w, &three);
    size_t i, o;
    for (i = 0; i < sizeof types / sizeof types[0]; i++) {
        for (o = 0; o < sizeof types / sizeof types[0]; o++) {
            tarr in, out;
            intptr_t k;
            double *vals, expect[20];
            TU_CTX("dtypes %d -> %d", (int)types[i], (int)types[o]);
            tarr_init(&in, types[i], 2, shape, LAY_C);
            tarr_init(&out, types[o], 2, shape, LAY_STRIDED);
            for (k = 0; k < in.len; k++)
                tarr_set(&in, k, types[i] == NDI_DTYPE_BOOL ? (double)(k % 3 == 0)
                                                            : fabs(test_value(k, 2)));
            vals = values_of(&in);
            ref_correlate1d(vals, 2, shape, 1, w, 3, 0, NDI_MODE_NEAREST, 0.0, expect);
            CHECK_STATUS(ndi_correlate1d(&in.arr, &out.arr, &wd, 1, 0, NDI_MODE_NEAREST, 0.0,
                                         NULL),
                         NDI_OK);
            CHECK(matches(&out, expect));
            free(vals);
            tarr_free(&in);
            tarr_free(&out);
        }
    }
}

/* Complex input and weights: out = sum conj(w_k) x (correlate1d) or w_k x (convolve1d). */
static void test_correlate1d_complex(void) {
    intptr_t n = 5, three = 3;
    double w[6] = {1.0, 2.0, -1.0, 0.0, 3.0, -2.0}; /* 1+2i, -1, 3-2i */
    double x[10], y[10];
    ndi_array in = tu_desc(x, NDI_DTYPE_COMPLEX128, 1, &n, NULL);
    ndi_array out = tu_desc(y, NDI_DTYPE_COMPLEX128, 1, &n, NULL);
    ndi_array wd = tu_desc(w, NDI_DTYPE_COMPLEX128, 1, &three, NULL);
    ndi_options opt;
    int k, j;
    for (k = 0; k < 10; k++) x[k] = test_value(k, 1);
    ndi_options_init(&opt, sizeof opt);
    opt.cval_imag = 2.0;
    TU_CTX("complex correlate1d");
    CHECK_STATUS(ndi_correlate1d(&in, &out, &wd, 0, 0, NDI_MODE_CONSTANT, 1.0, &opt), NDI_OK);
    for (k = 0; k < 5; k++) {
        double re = 0.0, im = 0.0;
        for (j = 0; j < 3; j++) {
            int p = k + j - 1;
            double xr = p < 0 || p >= 5 ? 1.0 : x[2 * p];
            double xi = p < 0 || p >= 5 ? 2.0 : x[2 * p + 1];
            double wr = w[2 * j], wi = -w[2 * j + 1];
            re += wr * xr - wi * xi;
            im += wr * xi + wi * xr;
        }
        CHECK_EQ(y[2 * k], re);
        CHECK_EQ(y[2 * k + 1], im);
    }
    /* real input, complex weights: a complex output; a complex cval is rejected */
    {
        double xr[5], yr[10];
        ndi_array rin = tu_desc(xr, NDI_DTYPE_FLOAT64, 1, &n, NULL);
        ndi_array rout = tu_desc(yr, NDI_DTYPE_FLOAT64, 1, &n, NULL);
        for (k = 0; k < 5; k++) xr[k] = test_value(k, 4);
        out.data = yr;
        CHECK_STATUS(ndi_correlate1d(&rin, &out, &wd, 0, 0, NDI_MODE_NEAREST, 0.0, NULL),
                     NDI_OK);
        for (k = 0; k < 5; k++) {
            double re = 0.0, im = 0.0;
            for (j = 0; j < 3; j++) {
                int p = k + j - 1;
                double v = xr[p < 0 ? 0 : (p > 4 ? 4 : p)];
                re += w[2 * j] * v;
                im += -w[2 * j + 1] * v;
            }
            CHECK_EQ(yr[2 * k], re);
            CHECK_EQ(yr[2 * k + 1], im);
        }
        CHECK_STATUS(ndi_correlate1d(&rin, &out, &wd, 0, 0, NDI_MODE_NEAREST, 0.0, &opt),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK_MESSAGE_HAS("complex cval");
        /* a real output for complex weights */
        CHECK_STATUS(ndi_correlate1d(&rin, &rout, &wd, 0, 0, NDI_MODE_NEAREST, 0.0, NULL),
                     NDI_ERR_INVALID_ARRAY);
        CHECK_MESSAGE_HAS("complex");
    }
}

/* In place (the output is the input) gives the out-of-place result. */
static void test_correlate_in_place(void) {
    intptr_t shape[2] = {5, 6}, three = 3;
    double w[3] = {1.0, -2.0, 3.0}, w2[9] = {1, 0, 2, 0, -1, 0, 3, 0, 1};
    intptr_t wshape[2] = {3, 3};
    ndi_array wd = weights_1d(w, &three);
    ndi_array wd2 = tu_desc(w2, NDI_DTYPE_FLOAT64, 2, wshape, NULL);
    int axis;
    for (axis = 0; axis < 2; axis++) {
        tarr a, b;
        intptr_t k;
        TU_CTX("in place, axis %d", axis);
        tarr_init(&a, NDI_DTYPE_FLOAT64, 2, shape, LAY_F);
        tarr_init(&b, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
        for (k = 0; k < a.len; k++) tarr_set(&a, k, test_value(k, axis));
        CHECK_STATUS(ndi_correlate1d(&a.arr, &b.arr, &wd, axis, 0, NDI_MODE_MIRROR, 0.0, NULL),
                     NDI_OK);
        CHECK_STATUS(ndi_correlate1d(&a.arr, &a.arr, &wd, axis, 0, NDI_MODE_MIRROR, 0.0, NULL),
                     NDI_OK);
        for (k = 0; k < a.len; k++) CHECK_EQ(tarr_get(&a, k), tarr_get(&b, k));
        for (k = 0; k < a.len; k++) tarr_set(&a, k, test_value(k, axis));
        CHECK_STATUS(ndi_correlate(&a.arr, &b.arr, &wd2, NULL, NULL, 0, NDI_MODE_WRAP, 0.0,
                                   NULL),
                     NDI_OK);
        CHECK_STATUS(ndi_correlate(&a.arr, &a.arr, &wd2, NULL, NULL, 0, NDI_MODE_WRAP, 0.0,
                                   NULL),
                     NDI_OK);
        for (k = 0; k < a.len; k++) CHECK_EQ(tarr_get(&a, k), tarr_get(&b, k));
        tarr_free(&a);
        tarr_free(&b);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* correlate / convolve                                                                       */

static void test_correlate_results(void) {
    static const intptr_t shapes[][3] = {{7, 0, 0}, {3, 4, 0}, {1, 5, 0}, {3, 2, 4}};
    static const int ranks[] = {1, 2, 2, 3};
    static const intptr_t wshapes[][3] = {{4, 0, 0}, {3, 2, 0}, {2, 3, 0}, {2, 3, 2}};
    static const intptr_t origins[][3] = {{-2, 0, 0}, {1, 0, 0}, {0, -1, 0}, {0, 1, -1}};
    size_t c;
    int mode, layout = 0;
    for (c = 0; c < sizeof ranks / sizeof ranks[0]; c++) {
        for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
            tarr in, out;
            intptr_t k, wlen = 1;
            double w[32], flip[32], *vals, *expect;
            intptr_t corigins[3];
            ndi_array wd;
            int a;
            layout = (layout + 1) % LAY_COUNT;
            TU_CTX("correlate case %d mode %d layout %s", (int)c, mode, tu_layout_name(layout));
            for (a = 0; a < ranks[c]; a++) wlen *= wshapes[c][a];
            for (k = 0; k < wlen; k++) w[k] = (double)((k * 5) % 7) - 3.0; /* zeros too */
            wd = tu_desc(w, NDI_DTYPE_FLOAT64, ranks[c], wshapes[c], NULL);
            tarr_init(&in, NDI_DTYPE_UINT8, ranks[c], shapes[c], layout);
            tarr_init(&out, NDI_DTYPE_FLOAT32, ranks[c], shapes[c], (layout + 2) % LAY_COUNT);
            for (k = 0; k < in.len; k++) tarr_set(&in, k, fabs(test_value(k, mode)));
            vals = values_of(&in);
            expect = (double *)malloc(sizeof(double) * (size_t)in.len);
            ref_correlate(vals, ranks[c], in.shape, w, wshapes[c], origins[c], mode, 7.0,
                          expect);
            CHECK_STATUS(ndi_correlate(&in.arr, &out.arr, &wd, origins[c], NULL, 0, mode, 7.0,
                                       NULL),
                         NDI_OK);
            CHECK(matches(&out, expect));
            CHECK(tarr_gaps_untouched(&out));
            /* convolve: flipped weights, origins -o - (even extent) */
            for (k = 0; k < wlen; k++) flip[k] = w[wlen - 1 - k];
            for (a = 0; a < ranks[c]; a++)
                corigins[a] = -origins[c][a] - (wshapes[c][a] % 2 == 0);
            ref_correlate(vals, ranks[c], in.shape, flip, wshapes[c], corigins, mode, 7.0,
                          expect);
            {
                int valid = 1;
                for (a = 0; a < ranks[c]; a++)
                    if (corigins[a] < -(wshapes[c][a] / 2) ||
                        corigins[a] > (wshapes[c][a] - 1) / 2)
                        valid = 0;
                tarr_reset(&out);
                CHECK_STATUS(ndi_convolve(&in.arr, &out.arr, &wd, origins[c], NULL, 0, mode, 7.0,
                                          NULL),
                             valid ? NDI_OK : NDI_ERR_INVALID_ARGUMENT);
                if (valid)
                    CHECK(matches(&out, expect));
                else
                    CHECK(tarr_untouched(&out));
            }
            free(vals);
            free(expect);
            tarr_free(&in);
            tarr_free(&out);
        }
    }
}

/* axes: weights of rank len(axes) go to the listed axes in increasing order; origins follow
 * the order of the list. */
static void test_correlate_axes(void) {
    intptr_t shape[3] = {3, 4, 5};
    intptr_t wshape[2] = {2, 3};          /* goes to axes 0 and 2 */
    intptr_t full[3] = {2, 1, 3};
    double w[6] = {1, -2, 3, 4, 0, -1};
    int axes[2] = {2, 0};
    intptr_t origins[2] = {1, -1};          /* axis 2 gets 1, axis 0 gets -1 */
    intptr_t full_origins[3] = {-1, 0, 1};
    tarr in, out;
    intptr_t k;
    double *vals, expect[60];
    ndi_array wd = tu_desc(w, NDI_DTYPE_FLOAT64, 2, wshape, NULL);
    TU_CTX("correlate axes");
    tarr_init(&in, NDI_DTYPE_FLOAT64, 3, shape, LAY_NEG);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 3, shape, LAY_C);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, 3));
    vals = values_of(&in);
    ref_correlate(vals, 3, shape, w, full, full_origins, NDI_MODE_REFLECT, 0.0, expect);
    CHECK_STATUS(ndi_correlate(&in.arr, &out.arr, &wd, origins, axes, 2, NDI_MODE_REFLECT, 0.0,
                               NULL),
                 NDI_OK);
    CHECK(matches(&out, expect));
    /* negative axes count from the end */
    axes[0] = -1;
    axes[1] = -3;
    tarr_reset(&out);
    CHECK_STATUS(ndi_correlate(&in.arr, &out.arr, &wd, origins, axes, 2, NDI_MODE_REFLECT, 0.0,
                               NULL),
                 NDI_OK);
    CHECK(matches(&out, expect));
    free(vals);
    tarr_free(&in);
    tarr_free(&out);
}

/* ------------------------------------------------------------------------------------------ */
/* Errors: status, message, nothing written                                                    */

/* A call that must fail with `status` and leave the test array `out` untouched. */
#define EXPECT_ERR(call, status)       \
    do {                               \
        tarr_reset(&out);              \
        CHECK_STATUS(call, status);    \
        CHECK(tarr_untouched(&out));   \
    } while (0)

static void test_correlate_errors(void) {
    intptr_t shape[2] = {3, 4}, other[2] = {4, 3}, three = 3, zero = 0, wshape[2] = {3, 3};
    double w[9] = {1, 2, 1, 2, 4, 2, 1, 2, 1};
    tarr in, out;
    ndi_array wd = weights_1d(w, &three), wempty = weights_1d(w, &zero);
    ndi_array w2 = tu_desc(w, NDI_DTYPE_FLOAT64, 2, wshape, NULL);
    ndi_array bad, mismatched;
    ndi_options opt;
    int axes_dup[2] = {1, 1}, axes_far[1] = {2};
    intptr_t origins_bad[2] = {2, 0};
    TU_CTX("correlate errors");
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    mismatched = tu_desc(out.arr.data, NDI_DTYPE_FLOAT64, 2, other, NULL);
    EXPECT_ERR(ndi_correlate1d(NULL, &out.arr, &wd, 0, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_NULL_POINTER);
    EXPECT_ERR(ndi_correlate1d(&in.arr, NULL, &wd, 0, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_NULL_POINTER);
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, NULL, 0, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_NULL_POINTER);
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, &wd, 2, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("axis");
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, &wd, -3, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, &wd, 0, 2, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("origin");
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, &wd, 0, INTPTR_MIN, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, &wempty, 0, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("weights");
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, &w2, 0, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    /* codes of another family are rejected: a dtype code as the mode */
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, &wd, 0, 0, NDI_DTYPE_FLOAT64, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, &wd, 0, 0, 7, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    bad = in.arr;
    bad.dtype = NDI_MODE_REFLECT;
    EXPECT_ERR(ndi_correlate1d(&bad, &out.arr, &wd, 0, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARRAY);
    EXPECT_ERR(ndi_correlate1d(&in.arr, &mismatched, &wd, 0, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_SHAPE_MISMATCH);
    bad = wd;
    bad.dtype = 0;
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, &bad, 0, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARRAY);
    /* a real input with a complex output, or cval_imag for a real input */
    {
        tarr cout;
        tarr_init(&cout, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
        CHECK_STATUS(ndi_correlate1d(&in.arr, &cout.arr, &wd, 0, 0, NDI_MODE_REFLECT, 0, NULL),
                     NDI_ERR_INVALID_ARRAY);
        CHECK(tarr_untouched(&cout));
        tarr_free(&cout);
    }
    ndi_options_init(&opt, sizeof opt);
    opt.cval_imag = 1.0;
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, &wd, 0, 0, NDI_MODE_REFLECT, 0, &opt),
               NDI_ERR_INVALID_ARGUMENT);
    ndi_options_init(&opt, sizeof opt);
    opt.struct_size = 3;
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, &wd, 0, 0, NDI_MODE_REFLECT, 0, &opt),
               NDI_ERR_INVALID_ARGUMENT);
    ndi_options_init(&opt, sizeof opt);
    opt.threads = -5;
    EXPECT_ERR(ndi_correlate1d(&in.arr, &out.arr, &wd, 0, 0, NDI_MODE_REFLECT, 0, &opt),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_convolve1d(&in.arr, &out.arr, &wd, 0, -2, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    /* n-D */
    EXPECT_ERR(ndi_correlate(NULL, &out.arr, &w2, NULL, NULL, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_NULL_POINTER);
    EXPECT_ERR(ndi_correlate(&in.arr, &out.arr, NULL, NULL, NULL, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_NULL_POINTER);
    EXPECT_ERR(ndi_correlate(&in.arr, &out.arr, &wd, NULL, NULL, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_SHAPE_MISMATCH);
    CHECK_MESSAGE_HAS("rank");
    EXPECT_ERR(ndi_correlate(&in.arr, &out.arr, &w2, origins_bad, NULL, 0, NDI_MODE_REFLECT, 0,
                             NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_correlate(&in.arr, &out.arr, &wd, NULL, axes_dup, 2, NDI_MODE_REFLECT, 0,
                             NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_correlate(&in.arr, &out.arr, &wd, NULL, axes_far, 1, NDI_MODE_REFLECT, 0,
                             NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_correlate(&in.arr, &out.arr, &wd, NULL, axes_far, -1, NDI_MODE_REFLECT, 0,
                             NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_correlate(&in.arr, &out.arr, &wd, NULL, NULL, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_SHAPE_MISMATCH);
    EXPECT_ERR(ndi_correlate(&in.arr, &mismatched, &w2, NULL, NULL, 0, NDI_MODE_REFLECT, 0,
                             NULL),
               NDI_ERR_SHAPE_MISMATCH);
    EXPECT_ERR(ndi_convolve(&in.arr, &out.arr, &w2, origins_bad, NULL, 0, NDI_MODE_REFLECT, 0,
                            NULL),
               NDI_ERR_INVALID_ARGUMENT);
    {
        intptr_t zshape[2] = {0, 3};
        ndi_array wz = tu_desc(w, NDI_DTYPE_FLOAT64, 2, zshape, NULL);
        EXPECT_ERR(ndi_correlate(&in.arr, &out.arr, &wz, NULL, NULL, 0, NDI_MODE_REFLECT, 0,
                                 NULL),
                   NDI_ERR_INVALID_ARGUMENT);
    }
    tarr_free(&in);
    tarr_free(&out);
}

/* Empty arrays: nothing to compute, success. */
static void test_empty(void) {
    intptr_t shape[2] = {0, 4}, three = 3;
    double w[3] = {1, 2, 3};
    ndi_array wd = weights_1d(w, &three);
    tarr in, out;
    TU_CTX("empty");
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_INT32, 2, shape, LAY_C);
    CHECK_STATUS(ndi_correlate1d(&in.arr, &out.arr, &wd, 0, 0, NDI_MODE_REFLECT, 0, NULL),
                 NDI_OK);
    CHECK_STATUS(ndi_correlate1d(&in.arr, &out.arr, &wd, 1, 0, NDI_MODE_REFLECT, 0, NULL),
                 NDI_OK);
    CHECK(tarr_untouched(&out));
    tarr_free(&in);
    tarr_free(&out);
}

/* ------------------------------------------------------------------------------------------ */
/* uniform_filter1d / uniform_filter                                                          */

/* The mean over `fs` samples along `axis`, window starting at i - (fs/2 + origin); with
 * integer data the window sum is exact whatever its order, so the mean is too. */
static void ref_uniform1d(const double *in, int rank, const intptr_t *shape, int axis,
                          intptr_t fs, intptr_t origin, int mode, double cval, double *out) {
    double w[64];
    intptr_t j;
    for (j = 0; j < fs; j++) w[j] = 1.0;
    ref_correlate1d(in, rank, shape, axis, w, fs, origin, mode, cval, out);
    {
        intptr_t len = 1, k;
        int a;
        for (a = 0; a < rank; a++) len *= shape[a];
        for (k = 0; k < len; k++) out[k] /= (double)fs;
    }
}

static void test_uniform1d_results(void) {
    static const intptr_t shapes[][3] = {{11, 0, 0}, {1, 0, 0}, {4, 6, 0}, {3, 2, 5}};
    static const int ranks[] = {1, 1, 2, 3};
    static const intptr_t sizes[] = {1, 2, 3, 4, 7, 25};
    size_t c, q;
    int mode;
    for (c = 0; c < sizeof ranks / sizeof ranks[0]; c++) {
        for (q = 0; q < sizeof sizes / sizeof sizes[0]; q++) {
            for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
                int layout = (int)((c * 7 + q + (size_t)mode) % LAY_COUNT);
                int axis = (int)((c + q) % (size_t)ranks[c]);
                intptr_t fs = sizes[q], origin = (fs - 1) / 2 - (intptr_t)(q % 2);
                tarr in, out;
                intptr_t k;
                double *vals, *expect;
                TU_CTX("uniform1d case %d size %d mode %d layout %s", (int)c, (int)fs, mode,
                       tu_layout_name(layout));
                tarr_init(&in, NDI_DTYPE_INT32, ranks[c], shapes[c], layout);
                tarr_init(&out, NDI_DTYPE_FLOAT64, ranks[c], shapes[c], (layout + 1) % LAY_COUNT);
                for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, mode));
                vals = values_of(&in);
                expect = (double *)malloc(sizeof(double) * (size_t)in.len);
                ref_uniform1d(vals, ranks[c], in.shape, axis, fs, origin, mode, 2.0, expect);
                CHECK_STATUS(ndi_uniform_filter1d(&in.arr, &out.arr, fs, axis, origin, mode, 2.0,
                                                  NULL),
                             NDI_OK);
                CHECK(matches(&out, expect));
                CHECK(tarr_gaps_untouched(&out));
                free(vals);
                free(expect);
                tarr_free(&in);
                tarr_free(&out);
            }
        }
    }
}

/* uniform_filter: passes in the order of `axes`, each stored in the output's type (an int16
 * output truncates between passes), sizes <= 1 skipped. Sizes 2 and 4 keep every partial
 * mean exact in double. */
static void test_uniform_separable(void) {
    intptr_t shape[3] = {3, 5, 4};
    intptr_t sizes[2] = {4, 2}, origins[2] = {-1, 0}, skip[3] = {1, 0, -3};
    int axes[2] = {2, 0};
    ndi_mode modes[2] = {NDI_MODE_WRAP, NDI_MODE_CONSTANT};
    tarr in, out;
    intptr_t k;
    double *vals, step[60], expect[60];
    TU_CTX("uniform separable");
    tarr_init(&in, NDI_DTYPE_INT8, 3, shape, LAY_F);
    tarr_init(&out, NDI_DTYPE_INT16, 3, shape, LAY_NEG);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, 9));
    vals = values_of(&in);
    ref_uniform1d(vals, 3, shape, 2, 4, -1, NDI_MODE_WRAP, 0.0, step);
    for (k = 0; k < 60; k++) step[k] = trunc(step[k]);
    ref_uniform1d(step, 3, shape, 0, 2, 0, NDI_MODE_CONSTANT, -7.0, expect);
    CHECK_STATUS(ndi_uniform_filter(&in.arr, &out.arr, sizes, origins, axes, 2, 0, modes, -7.0,
                                    NULL),
                 NDI_OK);
    CHECK(matches(&out, expect));
    /* every size <= 1: the input is assigned with NumPy's casting */
    {
        tarr f, u, b, big, bigout, cplx;
        intptr_t three[1] = {3};
        double fv[3] = {-3.7, 300.0, 0.5};
        tarr_init(&f, NDI_DTYPE_FLOAT64, 1, three, LAY_C);
        tarr_init(&u, NDI_DTYPE_UINT8, 1, three, LAY_STRIDED);
        tarr_init(&b, NDI_DTYPE_BOOL, 1, three, LAY_C);
        tarr_fill(&f, fv);
        CHECK_STATUS(ndi_uniform_filter(&f.arr, &u.arr, skip, NULL, NULL, 0, NDI_MODE_REFLECT,
                                        NULL, 0.0, NULL),
                     NDI_OK);
        CHECK_EQ(tarr_get(&u, 0), 253.0);
        CHECK_EQ(tarr_get(&u, 1), 44.0);
        CHECK_EQ(tarr_get(&u, 2), 0.0);
        CHECK_STATUS(ndi_uniform_filter(&f.arr, &b.arr, skip, NULL, NULL, 0, NDI_MODE_REFLECT,
                                        NULL, 0.0, NULL),
                     NDI_OK);
        /* NumPy's bool cast: non-zero is true (the filter rule would store bytes 253, 44, 0) */
        CHECK_EQ(tarr_get(&b, 0), 1.0);
        CHECK_EQ(tarr_get(&b, 1), 1.0);
        CHECK_EQ(tarr_get(&b, 2), 1.0);
        tarr_init(&big, NDI_DTYPE_INT64, 1, three, LAY_C);
        tarr_init(&bigout, NDI_DTYPE_INT64, 1, three, LAY_NEG);
        for (k = 0; k < 3; k++) {
            int64_t v = ((int64_t)1 << 60) + 1 + k;
            memcpy(tarr_ptr(&big, k), &v, 8);
        }
        CHECK_STATUS(ndi_uniform_filter(&big.arr, &bigout.arr, skip, NULL, NULL, 0,
                                        NDI_MODE_REFLECT, NULL, 0.0, NULL),
                     NDI_OK);
        for (k = 0; k < 3; k++) {
            int64_t v;
            memcpy(&v, tarr_ptr(&bigout, k), 8);
            CHECK(v == ((int64_t)1 << 60) + 1 + k);
        }
        tarr_init(&cplx, NDI_DTYPE_COMPLEX64, 1, three, LAY_C);
        CHECK_STATUS(ndi_uniform_filter(&f.arr, &cplx.arr, skip, NULL, NULL, 0,
                                        NDI_MODE_REFLECT, NULL, 0.0, NULL),
                     NDI_OK);
        CHECK_EQ(tarr_get(&cplx, 0), (double)(float)-3.7);
        CHECK_EQ(tarr_get_im(&cplx, 0), 0.0);
        /* a complex input with a real output is rejected when filtering */
        CHECK_STATUS(ndi_uniform_filter(&cplx.arr, &f.arr, sizes, NULL, NULL, 0,
                                        NDI_MODE_REFLECT, NULL, 0.0, NULL),
                     NDI_ERR_INVALID_ARRAY);
        tarr_free(&f);
        tarr_free(&u);
        tarr_free(&b);
        tarr_free(&big);
        tarr_free(&bigout);
        tarr_free(&cplx);
    }
    free(vals);
    tarr_free(&in);
    tarr_free(&out);
}

static void test_uniform_errors(void) {
    intptr_t shape[2] = {3, 4}, sizes[2] = {3, 3}, bad_origins[2] = {0, 2};
    ndi_mode modes[2] = {NDI_MODE_REFLECT, NDI_DTYPE_INT8};
    int dup[2] = {0, 0};
    tarr in, out;
    TU_CTX("uniform errors");
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    EXPECT_ERR(ndi_uniform_filter1d(&in.arr, &out.arr, 0, 0, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("size");
    EXPECT_ERR(ndi_uniform_filter1d(&in.arr, &out.arr, -3, 0, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_uniform_filter1d(&in.arr, &out.arr, 3, 0, 2, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_uniform_filter1d(&in.arr, &out.arr, 3, 5, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_uniform_filter1d(NULL, &out.arr, 3, 0, 0, NDI_MODE_REFLECT, 0, NULL),
               NDI_ERR_NULL_POINTER);
    EXPECT_ERR(ndi_uniform_filter1d(&in.arr, &out.arr, INTPTR_MAX, 0, 0, NDI_MODE_REFLECT, 0,
                                    NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_uniform_filter(&in.arr, &out.arr, NULL, NULL, NULL, 0, NDI_MODE_REFLECT,
                                  NULL, 0, NULL),
               NDI_ERR_NULL_POINTER);
    EXPECT_ERR(ndi_uniform_filter(&in.arr, &out.arr, sizes, bad_origins, NULL, 0,
                                  NDI_MODE_REFLECT, NULL, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_uniform_filter(&in.arr, &out.arr, sizes, NULL, NULL, 0, NDI_MODE_REFLECT,
                                  modes, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_uniform_filter(&in.arr, &out.arr, sizes, NULL, dup, 2, NDI_MODE_REFLECT,
                                  NULL, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_uniform_filter(&in.arr, &out.arr, sizes, NULL, dup, -2, NDI_MODE_REFLECT,
                                  NULL, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERR(ndi_uniform_filter(&in.arr, &out.arr, sizes, NULL, NULL, 0, 3, NULL, 0, NULL),
               NDI_ERR_INVALID_ARGUMENT);
    tarr_free(&in);
    tarr_free(&out);
}

int main(void) {
    test_correlate1d_results();
    test_correlate1d_order();
    test_correlate1d_dtypes();
    test_correlate1d_complex();
    test_correlate_in_place();
    test_correlate_results();
    test_correlate_axes();
    test_correlate_errors();
    test_empty();
    test_uniform1d_results();
    test_uniform_separable();
    test_uniform_errors();
    return TU_DONE();
}
