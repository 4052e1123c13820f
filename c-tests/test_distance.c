/* Tests of the distance transforms: results against brute-force references written here
 * (nearest background element by exhaustive search, with each function's tie rule), every
 * layout, the thread count, and every validation error (nothing written after one). */
#include "test_util.h"

#define W 7
#define H 6

/* Progress callbacks: one that cancels at once, one that records what it was given. */
typedef struct {
    int calls;
    double last;
    int decreasing;
} progress_log;

static int cancel_now(double fraction, void *user_data) {
    (void)fraction;
    (void)user_data;
    return 0;
}

static int record_progress(double fraction, void *user_data) {
    progress_log *log = (progress_log *)user_data;
    if (log->calls > 0 && fraction < log->last) log->decreasing = 1;
    log->calls++;
    log->last = fraction;
    return 1;
}

/* A picture with ties: background at the four corners of a 5x5 square and a lone pixel. */
static void picture(unsigned char *x) {
    int k;
    for (k = 0; k < W * H; k++) x[k] = 1;
    x[0 * W + 0] = x[0 * W + 4] = x[4 * W + 0] = x[4 * W + 4] = 0;
    x[2 * W + 6] = 0;
}

/* Squared Euclidean distance with sampling, summed in axis order (scipy's order). */
static double sq(int i0, int i1, int q0, int q1, const double *s) {
    double t0 = (double)(i0 - q0) * (s ? s[0] : 1.0);
    double t1 = (double)(i1 - q1) * (s ? s[1] : 1.0);
    return t0 * t0 + t1 * t1;
}

/* The nearest background element of (i0, i1): the smallest squared distance, ties to the
 * lowest (q1, q0) in that order (the EDT's rule: the lower coordinate along the last axis
 * first) when `last_axis_first`, else to the last in C order (bf's rule). */
static void nearest(const unsigned char *x, int i0, int i1, const double *s, int edt_rule,
                    int *b0, int *b1, double *best) {
    int q0, q1;
    *best = -1.0;
    for (q0 = 0; q0 < H; q0++) {
        for (q1 = 0; q1 < W; q1++) {
            double d;
            if (x[q0 * W + q1]) continue;
            d = sq(i0, i1, q0, q1, s);
            if (*best < 0 || d < *best ||
                (d == *best && (edt_rule ? (q1 < *b1 || (q1 == *b1 && q0 < *b0)) : 1))) {
                *best = d;
                *b0 = q0;
                *b1 = q1;
            }
        }
    }
}

static void test_edt(void) {
    static const intptr_t shape[2] = {H, W};
    static const intptr_t ishape[3] = {2, H, W};
    static const double sampling[2] = {1.0, 1.0};
    unsigned char x[W * H];
    tarr in, dist, ind;
    int layout, threads, with_sampling;
    picture(x);
    for (layout = 0; layout < LAY_COUNT; layout++) {
        for (threads = 1; threads <= 3; threads += 2) {
            for (with_sampling = 0; with_sampling <= 1; with_sampling++) {
                ndi_options opt;
                int k;
                ndi_options_init(&opt, sizeof opt);
                opt.threads = threads;
                TU_CTX("edt layout %s threads %d sampling %d", tu_layout_name(layout), threads,
                       with_sampling);
                tarr_init(&in, NDI_DTYPE_INT16, 2, shape, layout);
                tarr_init(&dist, NDI_DTYPE_FLOAT64, 2, shape, (layout + 2) % LAY_COUNT);
                tarr_init(&ind, NDI_DTYPE_INT32, 3, ishape, (layout + 1) % LAY_COUNT);
                for (k = 0; k < W * H; k++) tarr_set(&in, k, x[k] ? 3.0 : 0.0);
                CHECK_STATUS(ndi_distance_transform_edt(&in.arr, with_sampling ? sampling : NULL,
                                                        &dist.arr, &ind.arr, &opt),
                             NDI_OK);
                for (k = 0; k < W * H; k++) {
                    int b0 = 0, b1 = 0;
                    double best;
                    nearest(x, k / W, k % W, NULL, 1, &b0, &b1, &best);
                    CHECK_EQ(tarr_get(&dist, k), sqrt(best));
                    CHECK_EQ(tarr_get(&ind, k), b0);
                    CHECK_EQ(tarr_get(&ind, W * H + k), b1);
                }
                CHECK(tarr_gaps_untouched(&dist));
                CHECK(tarr_gaps_untouched(&ind));
                /* Distances only (the passes on the distances alone). */
                tarr_reset(&dist);
                CHECK_STATUS(ndi_distance_transform_edt(&in.arr, NULL, &dist.arr, NULL, &opt),
                             NDI_OK);
                for (k = 0; k < W * H; k++) {
                    int b0 = 0, b1 = 0;
                    double best;
                    nearest(x, k / W, k % W, NULL, 1, &b0, &b1, &best);
                    CHECK_EQ(tarr_get(&dist, k), sqrt(best));
                }
                tarr_free(&in);
                tarr_free(&dist);
                tarr_free(&ind);
            }
        }
    }
    TU_CTX("%s", "");
}

static void test_sampling_and_no_background(void) {
    static const intptr_t shape[2] = {H, W};
    static const intptr_t ishape[3] = {2, H, W};
    static const double sampling[2] = {2.5, -0.75};
    static const double positive[2] = {2.5, 0.75};
    unsigned char x[W * H];
    tarr in, dist, ind;
    int k;
    picture(x);
    tarr_init(&in, NDI_DTYPE_BOOL, 2, shape, LAY_C);
    tarr_init(&dist, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&ind, NDI_DTYPE_INT32, 3, ishape, LAY_C);
    for (k = 0; k < W * H; k++) tarr_set(&in, k, x[k]);
    CHECK_STATUS(ndi_distance_transform_bf(&in.arr, NDI_METRIC_EUCLIDEAN, sampling, &dist.arr,
                                           &ind.arr, NULL),
                 NDI_OK);
    for (k = 0; k < W * H; k++) {
        int b0 = 0, b1 = 0;
        double best;
        nearest(x, k / W, k % W, sampling, 0, &b0, &b1, &best);
        CHECK_EQ(tarr_get(&dist, k), sqrt(best));
        CHECK_EQ(tarr_get(&ind, k), b0);
        CHECK_EQ(tarr_get(&ind, W * H + k), b1);
    }
    /* The EDT with positive sampling gives the same distances (its ties differ, not its
     * distances; with a negative spacing scipy's envelope test is not exact, and neither is
     * ours: the Python tests compare that case with scipy). */
    CHECK_STATUS(ndi_distance_transform_edt(&in.arr, positive, &dist.arr, NULL, NULL), NDI_OK);
    for (k = 0; k < W * H; k++) {
        int b0 = 0, b1 = 0;
        double best;
        nearest(x, k / W, k % W, positive, 1, &b0, &b1, &best);
        CHECK_EQ(tarr_get(&dist, k), sqrt(best));
    }
    /* No background at all: +inf and -1. */
    for (k = 0; k < W * H; k++) tarr_set(&in, k, 1.0);
    CHECK_STATUS(ndi_distance_transform_edt(&in.arr, NULL, &dist.arr, &ind.arr, NULL), NDI_OK);
    for (k = 0; k < W * H; k++) {
        CHECK(isinf(tarr_get(&dist, k)) && tarr_get(&dist, k) > 0);
        CHECK_EQ(tarr_get(&ind, k), -1);
        CHECK_EQ(tarr_get(&ind, W * H + k), -1);
    }
    CHECK_STATUS(ndi_distance_transform_bf(&in.arr, NDI_METRIC_EUCLIDEAN, NULL, &dist.arr,
                                           &ind.arr, NULL),
                 NDI_OK);
    CHECK(isinf(tarr_get(&dist, 0)));
    CHECK_EQ(tarr_get(&ind, 0), -1);
    tarr_free(&in);
    tarr_free(&dist);
    tarr_free(&ind);
}

/* Chamfer distances: with the cross (taxicab) they are city-block distances, with the full
 * 3x3 chessboard ones; the indices point at a background element at that distance. */
static void test_cdt(void) {
    static const intptr_t shape[2] = {H, W};
    static const intptr_t ishape[3] = {2, H, W};
    static const intptr_t mshape[2] = {3, 3};
    unsigned char x[W * H];
    tarr in, dist, ind, metric;
    int k, chess, layout;
    picture(x);
    for (layout = 0; layout < LAY_COUNT; layout++) {
        for (chess = 0; chess <= 1; chess++) {
            TU_CTX("cdt layout %s chessboard %d", tu_layout_name(layout), chess);
            tarr_init(&in, NDI_DTYPE_FLOAT32, 2, shape, layout);
            tarr_init(&dist, NDI_DTYPE_INT32, 2, shape, (layout + 1) % LAY_COUNT);
            tarr_init(&ind, NDI_DTYPE_INT32, 3, ishape, (layout + 3) % LAY_COUNT);
            tarr_init(&metric, NDI_DTYPE_UINT8, 2, mshape, LAY_C);
            CHECK_STATUS(ndi_generate_binary_structure(&metric.arr, chess ? 2.0 : 1.0, NULL),
                         NDI_OK);
            for (k = 0; k < W * H; k++) tarr_set(&in, k, x[k] ? -1.5 : 0.0);
            CHECK_STATUS(ndi_distance_transform_cdt(&in.arr, chess ? NULL : &metric.arr,
                                                    &dist.arr, &ind.arr, NULL),
                         NDI_OK);
            for (k = 0; k < W * H; k++) {
                int i0 = k / W, i1 = k % W, q0, q1, best = -1;
                int f0 = (int)tarr_get(&ind, k), f1 = (int)tarr_get(&ind, W * H + k);
                int d0, d1;
                for (q0 = 0; q0 < H; q0++)
                    for (q1 = 0; q1 < W; q1++) {
                        int a = abs(i0 - q0), b = abs(i1 - q1);
                        int d = chess ? (a > b ? a : b) : a + b;
                        if (!x[q0 * W + q1] && (best < 0 || d < best)) best = d;
                    }
                CHECK_EQ(tarr_get(&dist, k), best);
                CHECK(f0 >= 0 && f0 < H && f1 >= 0 && f1 < W && !x[f0 * W + f1]);
                d0 = abs(i0 - f0);
                d1 = abs(i1 - f1);
                CHECK_EQ(chess ? (d0 > d1 ? d0 : d1) : d0 + d1, best);
            }
            CHECK(tarr_gaps_untouched(&dist));
            tarr_free(&in);
            tarr_free(&dist);
            tarr_free(&ind);
            tarr_free(&metric);
        }
    }
    TU_CTX("%s", "");
}

static void test_metric_codes(void) {
    ndi_metric m = 0;
    CHECK_STATUS(ndi_metric_from_string("CityBlock", &m), NDI_OK);
    CHECK_EQ(m, NDI_METRIC_TAXICAB);
    CHECK_STATUS(ndi_metric_from_string("euclidean", &m), NDI_OK);
    CHECK_EQ(m, NDI_METRIC_EUCLIDEAN);
    CHECK_STATUS(ndi_metric_from_string("chess", &m), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_metric_from_string(NULL, &m), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_metric_from_string("taxicab", NULL), NDI_ERR_NULL_POINTER);
}

static void test_errors(void) {
    static const intptr_t shape[2] = {3, 4};
    static const intptr_t other[2] = {4, 3};
    static const intptr_t ishape[3] = {2, 3, 4};
    static const intptr_t bad_ishape[3] = {1, 3, 4};
    static const intptr_t m1[1] = {3};
    static const intptr_t m23[2] = {3, 2};
    tarr in, d64, d32, du32, ind, ind_bad, ind64, small, met1, met23;
    ndi_options opt;
    tarr_init(&in, NDI_DTYPE_BOOL, 2, shape, LAY_C);
    tarr_init(&d64, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&d32, NDI_DTYPE_INT32, 2, shape, LAY_C);
    tarr_init(&du32, NDI_DTYPE_UINT32, 2, shape, LAY_C);
    tarr_init(&ind, NDI_DTYPE_INT32, 3, ishape, LAY_C);
    tarr_init(&ind_bad, NDI_DTYPE_INT32, 3, bad_ishape, LAY_C);
    tarr_init(&ind64, NDI_DTYPE_INT64, 3, ishape, LAY_C);
    tarr_init(&small, NDI_DTYPE_FLOAT64, 2, other, LAY_C);
    tarr_init(&met1, NDI_DTYPE_BOOL, 1, m1, LAY_C);
    tarr_init(&met23, NDI_DTYPE_BOOL, 2, m23, LAY_C);
    {
        int k;
        for (k = 0; k < in.len; k++) tarr_set(&in, k, k % 3 != 0);
    }
    tarr_reset(&d64);
    tarr_reset(&ind);
    /* edt */
    CHECK_STATUS(ndi_distance_transform_edt(NULL, NULL, &d64.arr, NULL, NULL),
                 NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_distance_transform_edt(&in.arr, NULL, NULL, NULL, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_distance_transform_edt(&in.arr, NULL, &d32.arr, NULL, NULL),
                 NDI_ERR_INVALID_ARRAY);
    CHECK_STATUS(ndi_distance_transform_edt(&in.arr, NULL, &small.arr, NULL, NULL),
                 NDI_ERR_SHAPE_MISMATCH);
    CHECK_STATUS(ndi_distance_transform_edt(&in.arr, NULL, &d64.arr, &ind_bad.arr, NULL),
                 NDI_ERR_SHAPE_MISMATCH);
    CHECK_STATUS(ndi_distance_transform_edt(&in.arr, NULL, &d64.arr, &ind64.arr, NULL),
                 NDI_ERR_INVALID_ARRAY);
    CHECK_STATUS(ndi_distance_transform_edt(&in.arr, NULL, &d64.arr, &d64.arr, NULL),
                 NDI_ERR_INVALID_ARRAY);
    ndi_options_init(&opt, sizeof opt);
    opt.flags = 0x80;
    CHECK_STATUS(ndi_distance_transform_edt(&in.arr, NULL, &d64.arr, &ind.arr, &opt),
                 NDI_ERR_INVALID_ARGUMENT);
    /* bf */
    CHECK_STATUS(ndi_distance_transform_bf(&in.arr, NDI_MODE_REFLECT, NULL, &d64.arr, NULL,
                                           NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_distance_transform_bf(&in.arr, NDI_METRIC_TAXICAB, NULL, &d64.arr, NULL,
                                           NULL),
                 NDI_ERR_INVALID_ARRAY);
    CHECK_STATUS(ndi_distance_transform_bf(&in.arr, NDI_METRIC_EUCLIDEAN, NULL, &du32.arr, NULL,
                                           NULL),
                 NDI_ERR_INVALID_ARRAY);
    CHECK_STATUS(ndi_distance_transform_bf(&in.arr, NDI_METRIC_EUCLIDEAN, NULL, NULL,
                                           &ind_bad.arr, NULL),
                 NDI_ERR_SHAPE_MISMATCH);
    /* cdt */
    CHECK_STATUS(ndi_distance_transform_cdt(&in.arr, &met1.arr, &d32.arr, NULL, NULL),
                 NDI_ERR_SHAPE_MISMATCH);
    CHECK_STATUS(ndi_distance_transform_cdt(&in.arr, &met23.arr, &d32.arr, NULL, NULL),
                 NDI_ERR_SHAPE_MISMATCH);
    CHECK_STATUS(ndi_distance_transform_cdt(&in.arr, NULL, &d64.arr, NULL, NULL),
                 NDI_ERR_INVALID_ARRAY);
    CHECK_STATUS(ndi_distance_transform_cdt(&in.arr, NULL, NULL, &ind64.arr, NULL),
                 NDI_ERR_INVALID_ARRAY);
    CHECK_STATUS(ndi_distance_transform_cdt(&in.arr, NULL, NULL, NULL, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK(tarr_untouched(&d64));
    CHECK(tarr_untouched(&ind));
    /* An overflowing shape. */
    {
        intptr_t huge[2] = {INTPTR_MAX / 4, 8};
        ndi_array h = tu_desc(in.arr.data, NDI_DTYPE_BOOL, 2, huge, NULL);
        CHECK_STATUS(ndi_distance_transform_edt(&h, NULL, &d64.arr, NULL, NULL),
                     NDI_ERR_INVALID_ARRAY);
    }
    tarr_free(&in);
    tarr_free(&d64);
    tarr_free(&d32);
    tarr_free(&du32);
    tarr_free(&ind);
    tarr_free(&ind_bad);
    tarr_free(&ind64);
    tarr_free(&small);
    tarr_free(&met1);
    tarr_free(&met23);
}

/* Cancellation through the progress callback, and progress reaching 1. */
static void test_progress(void) {
    static const intptr_t shape[2] = {200, 300};
    static const intptr_t ishape[3] = {2, 200, 300};
    tarr in, d64, d32, ind;
    ndi_options opt;
    progress_log log = {0, 0.0, 0};
    intptr_t k;
    int threads;
    tarr_init(&in, NDI_DTYPE_UINT8, 2, shape, LAY_C);
    tarr_init(&d64, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&d32, NDI_DTYPE_INT32, 2, shape, LAY_C);
    tarr_init(&ind, NDI_DTYPE_INT32, 3, ishape, LAY_C);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, (k * 7919) % 97 != 0);
    for (threads = 1; threads <= 2; threads++) {
        TU_CTX("progress threads %d", threads);
        ndi_options_init(&opt, sizeof opt);
        opt.threads = threads;
        opt.progress = cancel_now;
        CHECK_STATUS(ndi_distance_transform_edt(&in.arr, NULL, &d64.arr, NULL, &opt),
                     NDI_ERR_CANCELLED);
        CHECK_STATUS(ndi_distance_transform_edt(&in.arr, NULL, &d64.arr, &ind.arr, &opt),
                     NDI_ERR_CANCELLED);
        CHECK_STATUS(ndi_distance_transform_cdt(&in.arr, NULL, &d32.arr, &ind.arr, &opt),
                     NDI_ERR_CANCELLED);
        opt.progress = record_progress;
        opt.progress_user_data = &log;
        log.calls = 0;
        CHECK_STATUS(ndi_distance_transform_edt(&in.arr, NULL, &d64.arr, &ind.arr, &opt), NDI_OK);
        CHECK(log.calls >= 1 && log.last == 1.0 && !log.decreasing);
        log.calls = 0;
        CHECK_STATUS(ndi_distance_transform_cdt(&in.arr, NULL, &d32.arr, NULL, &opt), NDI_OK);
        CHECK(log.calls >= 1 && log.last == 1.0 && !log.decreasing);
    }
    /* bf is quadratic: a smaller input. */
    {
        static const intptr_t small[2] = {30, 40};
        tarr s, sd;
        tarr_init(&s, NDI_DTYPE_BOOL, 2, small, LAY_C);
        tarr_init(&sd, NDI_DTYPE_FLOAT64, 2, small, LAY_C);
        for (k = 0; k < s.len; k++) tarr_set(&s, k, k % 13 != 0);
        ndi_options_init(&opt, sizeof opt);
        opt.progress = cancel_now;
        CHECK_STATUS(ndi_distance_transform_bf(&s.arr, NDI_METRIC_EUCLIDEAN, NULL, &sd.arr, NULL,
                                               &opt),
                     NDI_ERR_CANCELLED);
        tarr_free(&s);
        tarr_free(&sd);
    }
    TU_CTX("%s", "");
    tarr_free(&in);
    tarr_free(&d64);
    tarr_free(&d32);
    tarr_free(&ind);
}

int main(void) {
    test_progress();
    test_edt();
    test_sampling_and_no_background();
    test_cdt();
    test_metric_codes();
    test_errors();
    return TU_DONE();
}
