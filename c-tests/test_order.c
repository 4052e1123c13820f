/* Tests of the order filters and grey morphology through the C API: results against a
 * reference written here (windows by repeated reflection, order statistics by sorting) over
 * layouts, dtypes, modes, origins and axes; scipy's documented values; NaN policies; and
 * every validation error, with nothing written after one. */
#include "test_util.h"

/* Position i on an axis of length n under a filter boundary mode (-1: cval). */
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

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#define MAXK 64

/* The `rank`-th smallest value under a 2-D footprint (fh x fw, mask fp) of element (i, j) of
 * a C-order h x w image, with origins (oh, ow), `mode`, `cval`. rank -1: the largest. */
static double ref_rank2(const double *x, intptr_t h, intptr_t w, intptr_t i, intptr_t j,
                        const unsigned char *fp, intptr_t fh, intptr_t fw, intptr_t oh,
                        intptr_t ow, int mode, double cval, int rank) {
    double buf[MAXK];
    int k = 0;
    intptr_t a, b;
    for (a = 0; a < fh; a++)
        for (b = 0; b < fw; b++) {
            intptr_t si, sj;
            if (!fp[a * fw + b]) continue;
            si = ref_map(i + a - (fh / 2 + oh), h, mode);
            sj = ref_map(j + b - (fw / 2 + ow), w, mode);
            buf[k++] = (si < 0 || sj < 0) ? cval : x[si * w + sj];
        }
    qsort(buf, (size_t)k, sizeof buf[0], cmp_double);
    return buf[rank < 0 ? k + rank : rank];
}

static const ndi_dtype REAL_TYPES[] = {NDI_DTYPE_BOOL,   NDI_DTYPE_INT8,    NDI_DTYPE_UINT8,
                                       NDI_DTYPE_INT16,  NDI_DTYPE_UINT16,  NDI_DTYPE_INT32,
                                       NDI_DTYPE_UINT32, NDI_DTYPE_INT64,   NDI_DTYPE_UINT64,
                                       NDI_DTYPE_FLOAT32, NDI_DTYPE_FLOAT64};
#define N_REAL ((int)(sizeof REAL_TYPES / sizeof REAL_TYPES[0]))

static const int MODES[] = {NDI_MODE_REFLECT, NDI_MODE_CONSTANT, NDI_MODE_NEAREST,
                            NDI_MODE_MIRROR,  NDI_MODE_WRAP,     NDI_MODE_GRID_CONSTANT,
                            NDI_MODE_GRID_MIRROR, NDI_MODE_GRID_WRAP};

static unsigned long rng_state = 12345;
static unsigned long rnd(void) {
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return (rng_state >> 33);
}

/* Results of the filters on small images against the reference: every dtype (values 0..9, so
 * every type holds them and cval 3 fits), layout, mode, origin; box and holes. */
static void test_against_reference(void) {
    const intptr_t shape[2] = {5, 7};
    double x[35];
    int t, lay, m, trial;
    for (trial = 0; trial < 35; trial++) x[trial] = (double)(rnd() % 10);
    for (t = 0; t < N_REAL; t++) {
        ndi_dtype d = REAL_TYPES[t];
        for (lay = 0; lay < LAY_COUNT; lay++) {
            for (m = 0; m < 8; m++) {
                tarr in, out, fpa;
                unsigned char fp[6] = {1, 0, 1, 1, 1, 0};
                const intptr_t fshape[2] = {2, 3};
                intptr_t size[2] = {2, 3}, origins[2] = {-1, 1}, k;
                int mode = MODES[m];
                double vals[35];
                for (k = 0; k < 35; k++) vals[k] = d == NDI_DTYPE_BOOL ? (double)(x[k] > 4) : x[k];
                tarr_init(&in, d, 2, shape, lay);
                tarr_fill(&in, vals);
                tarr_init(&out, d, 2, shape, (lay + 1) % LAY_COUNT);
                tarr_init(&fpa, NDI_DTYPE_UINT8, 2, fshape, LAY_C);
                for (k = 0; k < 6; k++) tarr_set(&fpa, k, fp[k]);
                TU_CTX("dtype %#x layout %s mode %#x", (unsigned)d, tu_layout_name(lay), (unsigned)mode);
                /* box minimum (separable), footprint maximum, footprint median, box rank 2 */
                {
                    unsigned char ones[6] = {1, 1, 1, 1, 1, 1};
                    int ok = 1;
                    CHECK_STATUS(ndi_minimum_filter(&in.arr, &out.arr, NULL, size, NULL, 0,
                                                    origins, &mode, 1, 3.0, NULL), NDI_OK);
                    for (k = 0; k < 35 && ok; k++)
                        ok = tarr_get(&out, k) == ref_rank2(vals, 5, 7, k / 7, k % 7, ones, 2, 3,
                                                            -1, 1, mode, 3.0, 0);
                    CHECK_MSG(ok, "minimum at %ld", (long)k - 1);
                    CHECK(tarr_gaps_untouched(&out));
                    CHECK_STATUS(ndi_maximum_filter(&in.arr, &out.arr, &fpa.arr, NULL, NULL, 0,
                                                    origins, &mode, 1, 3.0, NULL), NDI_OK);
                    for (k = 0, ok = 1; k < 35 && ok; k++)
                        ok = tarr_get(&out, k) == ref_rank2(vals, 5, 7, k / 7, k % 7, fp, 2, 3,
                                                            -1, 1, mode, 3.0, -1);
                    CHECK_MSG(ok, "maximum at %ld", (long)k - 1);
                    CHECK_STATUS(ndi_median_filter(&in.arr, &out.arr, &fpa.arr, NULL, NULL, 0,
                                                   origins, &mode, 1, 3.0, NULL), NDI_OK);
                    for (k = 0, ok = 1; k < 35 && ok; k++)
                        ok = tarr_get(&out, k) == ref_rank2(vals, 5, 7, k / 7, k % 7, fp, 2, 3,
                                                            -1, 1, mode, 3.0, 2);
                    CHECK_MSG(ok, "median at %ld", (long)k - 1);
                    CHECK_STATUS(ndi_rank_filter(&in.arr, &out.arr, 2, NULL, size, NULL, 0,
                                                 origins, &mode, 1, 3.0, NULL), NDI_OK);
                    for (k = 0, ok = 1; k < 35 && ok; k++)
                        ok = tarr_get(&out, k) == ref_rank2(vals, 5, 7, k / 7, k % 7, ones, 2, 3,
                                                            -1, 1, mode, 3.0, 2);
                    CHECK_MSG(ok, "rank 2 at %ld", (long)k - 1);
                    CHECK(tarr_gaps_untouched(&out));
                }
                tarr_free(&in);
                tarr_free(&out);
                tarr_free(&fpa);
            }
        }
    }
}

/* Values scipy 1.17.1 gives (its documentation and the semantics' verified examples). */
static void test_scipy_values(void) {
    const intptr_t n8[1] = {8}, n3[1] = {3};
    tarr in, out, st;
    double x[8] = {2, 8, 0, 4, 1, 9, 9, 0};
    double min_want[8] = {2, 0, 0, 0, 1, 1, 0, 0}, max_want[8] = {8, 8, 8, 4, 9, 9, 9, 9};
    int k, mode = NDI_MODE_REFLECT;
    intptr_t three = 3;
    tarr_init(&in, NDI_DTYPE_INT64, 1, n8, LAY_C);
    tarr_init(&out, NDI_DTYPE_INT64, 1, n8, LAY_NEG);
    tarr_fill(&in, x);
    TU_CTX("minimum_filter1d / maximum_filter1d docstring values");
    CHECK_STATUS(ndi_minimum_filter1d(&in.arr, &out.arr, 3, -1, 0, mode, 0.0, NULL), NDI_OK);
    for (k = 0; k < 8; k++) CHECK_EQ(tarr_get(&out, k), min_want[k]);
    CHECK_STATUS(ndi_maximum_filter1d(&in.arr, &out.arr, 3, 0, 0, mode, 0.0, NULL), NDI_OK);
    for (k = 0; k < 8; k++) CHECK_EQ(tarr_get(&out, k), max_want[k]);
    tarr_free(&in);
    tarr_free(&out);

    /* uint8 [10, 20, 30], structure [.5, .5, .5], nearest: dilation [20, 30, 30] (the .5 is
     * cast to uint8 for every element but the first); erosion of [0, 5, 0] with [1, 1, 1]:
     * [255, 255, 4] (wrapping in uint8). */
    tarr_init(&in, NDI_DTYPE_UINT8, 1, n3, LAY_C);
    tarr_init(&out, NDI_DTYPE_UINT8, 1, n3, LAY_C);
    tarr_init(&st, NDI_DTYPE_FLOAT64, 1, n3, LAY_C);
    {
        double a[3] = {10, 20, 30}, half[3] = {0.5, 0.5, 0.5}, b[3] = {0, 5, 0},
               one[3] = {1, 1, 1};
        double dil[3] = {20, 30, 30}, ero[3] = {255, 255, 4}, lap[3] = {5, 251, 5},
               top[3] = {4, 0, 4}, c[3] = {5, 1, 5};
        mode = NDI_MODE_NEAREST;
        TU_CTX("grey morphology examples");
        tarr_fill(&in, a);
        tarr_fill(&st, half);
        CHECK_STATUS(ndi_grey_dilation(&in.arr, &out.arr, NULL, &st.arr, NULL, NULL, 0, NULL,
                                       &mode, 1, 0.0, NULL), NDI_OK);
        for (k = 0; k < 3; k++) CHECK_EQ(tarr_get(&out, k), dil[k]);
        mode = NDI_MODE_REFLECT;
        tarr_fill(&in, b);
        tarr_fill(&st, one);
        CHECK_STATUS(ndi_grey_erosion(&in.arr, &out.arr, NULL, &st.arr, NULL, NULL, 0, NULL,
                                      &mode, 1, 0.0, NULL), NDI_OK);
        for (k = 0; k < 3; k++) CHECK_EQ(tarr_get(&out, k), ero[k]);
        /* morphological_laplace([0, 5, 0], size=3) = [5, 251, 5] in uint8 */
        CHECK_STATUS(ndi_morphological_laplace(&in.arr, &out.arr, NULL, NULL, &three, NULL, 0,
                                               NULL, &mode, 1, 0.0, NULL), NDI_OK);
        for (k = 0; k < 3; k++) CHECK_EQ(tarr_get(&out, k), lap[k]);
        /* white_tophat([5, 1, 5], structure=[1, 1, 1]) = [4, 0, 4] */
        tarr_fill(&in, c);
        CHECK_STATUS(ndi_white_tophat(&in.arr, &out.arr, NULL, &st.arr, NULL, NULL, 0, NULL,
                                      &mode, 1, 0.0, NULL), NDI_OK);
        for (k = 0; k < 3; k++) CHECK_EQ(tarr_get(&out, k), top[k]);
    }
    tarr_free(&in);
    tarr_free(&out);
    tarr_free(&st);

    /* n-D minimum casts cval to the input type, the separable one does not: uint8 [5, 6, 7],
     * constant, cval -1: footprint [1, 1, 0] -> [5, 5, 6]; size 2 -> [255, 5, 6]. */
    tarr_init(&in, NDI_DTYPE_UINT8, 1, n3, LAY_C);
    tarr_init(&out, NDI_DTYPE_UINT8, 1, n3, LAY_C);
    {
        double a[3] = {5, 6, 7}, nd_want[3] = {5, 5, 6}, sep_want[3] = {255, 5, 6};
        unsigned char fpv[3] = {1, 1, 0};
        ndi_array fp = tu_desc(fpv, NDI_DTYPE_UINT8, 1, n3, NULL);
        intptr_t two = 2;
        mode = NDI_MODE_CONSTANT;
        TU_CTX("cval casts");
        tarr_fill(&in, a);
        CHECK_STATUS(ndi_minimum_filter(&in.arr, &out.arr, &fp, NULL, NULL, 0, NULL, &mode, 1,
                                        -1.0, NULL), NDI_OK);
        for (k = 0; k < 3; k++) CHECK_EQ(tarr_get(&out, k), nd_want[k]);
        CHECK_STATUS(ndi_minimum_filter(&in.arr, &out.arr, NULL, &two, NULL, 0, NULL, &mode, 1,
                                        -1.0, NULL), NDI_OK);
        for (k = 0; k < 3; k++) CHECK_EQ(tarr_get(&out, k), sep_want[k]);
    }
    tarr_free(&in);
    tarr_free(&out);
}

/* NaN policies on a line with NaNs. */
static void test_nan_policy(void) {
    const intptr_t n5[1] = {5};
    double x[5] = {1.0, NAN, 3.0, 4.0, 5.0};
    tarr in, out;
    ndi_options opt;
    int mode = NDI_MODE_REFLECT, k;
    intptr_t three = 3;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 1, n5, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 1, n5, LAY_C);
    tarr_fill(&in, x);
    ndi_options_init(&opt, sizeof opt);
    CHECK(opt.nan_policy == NDI_NAN_SCIPY);
    TU_CTX("nan_policy");
    /* scipy's 1-D median of [1, nan, 3, 4, 5], 3: [1, 1, 3, 4, 5] */
    CHECK_STATUS(ndi_median_filter(&in.arr, &out.arr, NULL, &three, NULL, 0, NULL, &mode, 1,
                                   0.0, &opt), NDI_OK);
    {
        double want[5] = {1, 1, 3, 4, 5};
        for (k = 0; k < 5; k++) CHECK_EQ(tarr_get(&out, k), want[k]);
    }
    opt.nan_policy = NDI_NAN_PROPAGATE;
    CHECK_STATUS(ndi_median_filter(&in.arr, &out.arr, NULL, &three, NULL, 0, NULL, &mode, 1,
                                   0.0, &opt), NDI_OK);
    CHECK(isnan(tarr_get(&out, 0)) && isnan(tarr_get(&out, 1)) && isnan(tarr_get(&out, 2)));
    CHECK_EQ(tarr_get(&out, 3), 4.0);
    opt.nan_policy = NDI_NAN_OMIT;
    /* windows [1 1 nan], [1 nan 3], [nan 3 4], [3 4 5], [4 5 5]: upper medians of the rest */
    CHECK_STATUS(ndi_median_filter(&in.arr, &out.arr, NULL, &three, NULL, 0, NULL, &mode, 1,
                                   0.0, &opt), NDI_OK);
    {
        double want[5] = {1, 3, 4, 4, 5};
        for (k = 0; k < 5; k++) CHECK_EQ(tarr_get(&out, k), want[k]);
    }
    CHECK_STATUS(ndi_minimum_filter1d(&in.arr, &out.arr, 3, 0, 0, mode, 0.0, &opt), NDI_OK);
    {
        double want[5] = {1, 1, 3, 3, 4};
        for (k = 0; k < 5; k++) CHECK_EQ(tarr_get(&out, k), want[k]);
    }
    /* a zeroed field means the default */
    opt.nan_policy = 0;
    CHECK_STATUS(ndi_median_filter(&in.arr, &out.arr, NULL, &three, NULL, 0, NULL, &mode, 1,
                                   0.0, &opt), NDI_OK);
    CHECK_EQ(tarr_get(&out, 1), 1.0);
    tarr_free(&in);
    tarr_free(&out);
}

/* Every validation error: a status, a message, and nothing written. */
static void test_errors(void) {
    const intptr_t shape[2] = {4, 5}, other[2] = {4, 6}, fshape[2] = {3, 3};
    tarr in, out, cin, fpz, st2;
    ndi_array bad_out;
    ndi_options opt;
    intptr_t size[2] = {3, 3}, huge[2] = {INTPTR_MAX / 2, 3}, neg[2] = {-1, 3};
    intptr_t bad_origin[2] = {2, 0};
    int mode = NDI_MODE_REFLECT, modes2[2] = {NDI_MODE_REFLECT, NDI_MODE_WRAP};
    int bad_mode = NDI_DTYPE_FLOAT64, axes[2] = {0, 0}, axes1[1] = {1};
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_F);
    tarr_init(&cin, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    tarr_init(&fpz, NDI_DTYPE_BOOL, 2, fshape, LAY_C);
    tarr_init(&st2, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    {
        intptr_t k;
        for (k = 0; k < in.len; k++) tarr_set(&in, k, (double)k);
        for (k = 0; k < fpz.len; k++) tarr_set(&fpz, k, 0.0);
    }
    bad_out = out.arr;
    bad_out.shape = other;

#define EXPECT_ERROR(call, status)                                    \
    do {                                                              \
        tarr_reset(&out);                                             \
        CHECK_STATUS(call, status);                                   \
        CHECK(tarr_untouched(&out));                                  \
    } while (0)

    TU_CTX("errors");
    EXPECT_ERROR(ndi_minimum_filter(NULL, &out.arr, NULL, size, NULL, 0, NULL, &mode, 1, 0.0,
                                    NULL), NDI_ERR_NULL_POINTER);
    EXPECT_ERROR(ndi_minimum_filter(&in.arr, NULL, NULL, size, NULL, 0, NULL, &mode, 1, 0.0,
                                    NULL), NDI_ERR_NULL_POINTER);
    EXPECT_ERROR(ndi_maximum_filter(&in.arr, &out.arr, NULL, NULL, NULL, 0, NULL, &mode, 1, 0.0,
                                    NULL), NDI_ERR_NULL_POINTER);
    EXPECT_ERROR(ndi_median_filter(&in.arr, &out.arr, NULL, size, NULL, 0, NULL, NULL, 1, 0.0,
                                   NULL), NDI_ERR_NULL_POINTER);
    EXPECT_ERROR(ndi_median_filter(&in.arr, &out.arr, NULL, size, NULL, 2, NULL, &mode, 1, 0.0,
                                   NULL), NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(ndi_median_filter(&in.arr, &out.arr, NULL, size, axes, 2, NULL, &mode, 1, 0.0,
                                   NULL), NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(ndi_median_filter(&in.arr, &out.arr, NULL, size, axes1, -1, NULL, &mode, 1,
                                   0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(ndi_median_filter(&in.arr, &out.arr, NULL, size, NULL, 0, NULL, &bad_mode, 1,
                                   0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(ndi_median_filter(&in.arr, &out.arr, NULL, size, NULL, 0, NULL, modes2, 3,
                                   0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    /* a mode per axis: fine for a box minimum, not for a rank in the middle */
    tarr_reset(&out);
    CHECK_STATUS(ndi_minimum_filter(&in.arr, &out.arr, NULL, size, NULL, 0, NULL, modes2, 2,
                                    0.0, NULL), NDI_OK);
    EXPECT_ERROR(ndi_median_filter(&in.arr, &out.arr, NULL, size, NULL, 0, NULL, modes2, 2,
                                   0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("sequence of modes");
    EXPECT_ERROR(ndi_minimum_filter(&in.arr, &bad_out, NULL, size, NULL, 0, NULL, &mode, 1,
                                    0.0, NULL), NDI_ERR_SHAPE_MISMATCH);
    EXPECT_ERROR(ndi_minimum_filter(&cin.arr, &out.arr, NULL, size, NULL, 0, NULL, &mode, 1,
                                    0.0, NULL), NDI_ERR_INVALID_ARRAY);
    EXPECT_ERROR(ndi_minimum_filter(&in.arr, &out.arr, NULL, huge, NULL, 0, NULL, &mode, 1,
                                    0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(ndi_minimum_filter(&in.arr, &out.arr, NULL, neg, NULL, 0, NULL, &mode, 1,
                                    0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(ndi_minimum_filter(&in.arr, &out.arr, NULL, size, NULL, 0, bad_origin, &mode,
                                    1, 0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(ndi_rank_filter(&in.arr, &out.arr, 9, NULL, size, NULL, 0, NULL, &mode, 1,
                                 0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("rank not within filter footprint size");
    EXPECT_ERROR(ndi_rank_filter(&in.arr, &out.arr, -10, NULL, size, NULL, 0, NULL, &mode, 1,
                                 0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(ndi_percentile_filter(&in.arr, &out.arr, NAN, NULL, size, NULL, 0, NULL, &mode,
                                       1, 0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(ndi_percentile_filter(&in.arr, &out.arr, 100.5, NULL, size, NULL, 0, NULL,
                                       &mode, 1, 0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("invalid percentile");
    EXPECT_ERROR(ndi_maximum_filter(&in.arr, &out.arr, &fpz.arr, NULL, NULL, 0, NULL, &mode, 1,
                                    0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("All-zero footprint");
    EXPECT_ERROR(ndi_minimum_filter1d(&in.arr, &out.arr, 0, 0, 0, mode, 0.0, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(ndi_minimum_filter1d(&in.arr, &out.arr, 3, 2, 0, mode, 0.0, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(ndi_maximum_filter1d(&in.arr, &out.arr, 3, 0, 2, mode, 0.0, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    EXPECT_ERROR(ndi_maximum_filter1d(&in.arr, &out.arr, 3, 0, 0, bad_mode, 0.0, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    /* grey: no size, footprint or structure; a structure of another shape; all-zero
     * footprint with a structure (scipy crashes there) */
    EXPECT_ERROR(ndi_grey_erosion(&in.arr, &out.arr, NULL, NULL, NULL, NULL, 0, NULL, &mode, 1,
                                  0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("size, footprint, or structure must be specified");
    EXPECT_ERROR(ndi_grey_dilation(&in.arr, &out.arr, &fpz.arr, &st2.arr, NULL, NULL, 0, NULL,
                                   &mode, 1, 0.0, NULL), NDI_ERR_SHAPE_MISMATCH);
    {
        tarr st3;
        tarr_init(&st3, NDI_DTYPE_FLOAT64, 2, fshape, LAY_C);
        EXPECT_ERROR(ndi_grey_opening(&in.arr, &out.arr, &fpz.arr, &st3.arr, NULL, NULL, 0,
                                      NULL, &mode, 1, 0.0, NULL), NDI_ERR_INVALID_ARGUMENT);
        tarr_free(&st3);
    }
    /* compositions: numpy's casting rules (float64 - float64 into int32 is refused) */
    {
        tarr iout;
        tarr_init(&iout, NDI_DTYPE_INT32, 2, shape, LAY_C);
        tarr_reset(&iout);
        CHECK_STATUS(ndi_morphological_gradient(&in.arr, &iout.arr, NULL, NULL, size, NULL, 0,
                                                NULL, &mode, 1, 0.0, NULL),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK_MESSAGE_HAS("same_kind");
        CHECK(tarr_untouched(&iout));
        tarr_free(&iout);
    }
    /* options: bad NaN policy code (a mode code is not a policy) */
    ndi_options_init(&opt, sizeof opt);
    opt.nan_policy = NDI_MODE_REFLECT;
    EXPECT_ERROR(ndi_median_filter(&in.arr, &out.arr, NULL, size, NULL, 0, NULL, &mode, 1, 0.0,
                                   &opt), NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("nan_policy");
    opt.nan_policy = NDI_NAN_OMIT;
    opt.threads = -7;
    EXPECT_ERROR(ndi_median_filter(&in.arr, &out.arr, NULL, size, NULL, 0, NULL, &mode, 1, 0.0,
                                   &opt), NDI_ERR_INVALID_ARGUMENT);
#undef EXPECT_ERROR
    tarr_free(&in);
    tarr_free(&out);
    tarr_free(&cin);
    tarr_free(&fpz);
    tarr_free(&st2);
}

/* Zero-size arrays, one-element axes, axes lists, in-place calls, thread counts. */
static void test_shapes_axes_threads(void) {
    const intptr_t empty[2] = {0, 5}, shape[3] = {3, 1, 40};
    tarr in, out, out2;
    ndi_options opt;
    intptr_t size1[1] = {5}, k;
    int axes[1] = {-1}, mode = NDI_MODE_MIRROR, t;
    tarr_init(&in, NDI_DTYPE_UINT16, 2, empty, LAY_C);
    tarr_init(&out, NDI_DTYPE_UINT16, 2, empty, LAY_C);
    TU_CTX("zero-size");
    CHECK_STATUS(ndi_median_filter(&in.arr, &out.arr, NULL, size1, axes, 1, NULL, &mode, 1, 0.0,
                                   NULL), NDI_OK);
    CHECK_STATUS(ndi_grey_closing(&in.arr, &out.arr, NULL, NULL, size1, axes, 1, NULL, &mode, 1,
                                  0.0, NULL), NDI_OK);
    tarr_free(&in);
    tarr_free(&out);

    tarr_init(&in, NDI_DTYPE_FLOAT32, 3, shape, LAY_NEG);
    tarr_init(&out, NDI_DTYPE_FLOAT32, 3, shape, LAY_C);
    tarr_init(&out2, NDI_DTYPE_FLOAT32, 3, shape, LAY_F);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, (double)((k * 37) % 23));
    TU_CTX("axes and threads");
    ndi_options_init(&opt, sizeof opt);
    opt.threads = 1;
    CHECK_STATUS(ndi_percentile_filter(&in.arr, &out.arr, 20.0, NULL, size1, axes, 1, NULL,
                                       &mode, 1, 0.0, &opt), NDI_OK);
    for (t = 2; t <= 4; t++) {
        int same = 1;
        opt.threads = t;
        CHECK_STATUS(ndi_percentile_filter(&in.arr, &out2.arr, 20.0, NULL, size1, axes, 1, NULL,
                                           &mode, 1, 0.0, &opt), NDI_OK);
        for (k = 0; k < out.len; k++) same &= tarr_get(&out, k) == tarr_get(&out2, k);
        CHECK_MSG(same, "%d threads", t);
    }
    /* filtering along the last axis only: each of the 3 lines on its own */
    {
        intptr_t i, j;
        int ok = 1;
        for (i = 0; i < 3; i++)
            for (j = 0; j < 40; j++) {
                double w[5];
                int b;
                for (b = 0; b < 5; b++)
                    w[b] = tarr_get(&in, i * 40 + ref_map(j + b - 2, 40, mode));
                qsort(w, 5, sizeof w[0], cmp_double);
                ok &= tarr_get(&out, i * 40 + j) == w[1];
            }
        CHECK(ok);
    }
    /* in place: the output is the input */
    for (k = 0; k < in.len; k++) tarr_set(&out2, k, tarr_get(&in, k));
    CHECK_STATUS(ndi_percentile_filter(&out2.arr, &out2.arr, 20.0, NULL, size1, axes, 1, NULL,
                                       &mode, 1, 0.0, NULL), NDI_OK);
    {
        int same = 1;
        for (k = 0; k < out.len; k++) same &= tarr_get(&out, k) == tarr_get(&out2, k);
        CHECK(same);
    }
    tarr_free(&in);
    tarr_free(&out);
    tarr_free(&out2);
}

static int stop_at_once(double fraction, void *ud) {
    (void)fraction;
    ++*(int *)ud;
    return 0;
}

static void test_cancel(void) {
    const intptr_t shape[2] = {400, 400};
    tarr in, out;
    ndi_options opt;
    intptr_t size[2] = {5, 5};
    int mode = NDI_MODE_REFLECT, calls = 0;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    memset(in.arr.data, 0, (size_t)in.len * 8);
    ndi_options_init(&opt, sizeof opt);
    opt.progress = stop_at_once;
    opt.progress_user_data = &calls;
    TU_CTX("cancellation");
    CHECK_STATUS(ndi_median_filter(&in.arr, &out.arr, NULL, size, NULL, 0, NULL, &mode, 1, 0.0,
                                   &opt), NDI_ERR_CANCELLED);
    CHECK(calls >= 1);
    tarr_free(&in);
    tarr_free(&out);
}

int main(void) {
    test_against_reference();
    test_scipy_values();
    test_nan_policy();
    test_errors();
    test_shapes_axes_threads();
    test_cancel();
    return TU_DONE();
}
