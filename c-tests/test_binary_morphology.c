/* Tests of the binary morphology functions and structuring elements: results against a
 * reference written here (the brute-force definitions), every layout and several dtypes, the
 * thread count, and every validation error (nothing written after one). */
#include "test_util.h"

/* ------------------------------------------------------------------------------------------ */
/* Reference                                                                                  */

/* One erosion (combine_all) or dilation step on C-ordered 0/1 bytes: out[i] = AND/OR over the
 * structure's true elements of x[i + sign * (k - (fs/2 + origin))], outside = border; where
 * the mask is 0 the output is x[i]. */
static void ref_step(const unsigned char *x, int rank, const intptr_t *shape,
                     const unsigned char *s, const intptr_t *fshape, const intptr_t *origins,
                     const unsigned char *mask, int border, int erosion, unsigned char *out) {
    intptr_t len = 1, flen = 1, k, j;
    int a;
    for (a = 0; a < rank; a++) {
        len *= shape[a];
        flen *= fshape[a];
    }
    for (k = 0; k < len; k++) {
        intptr_t idx[NDI_MAX_RANK], rem = k;
        int acc = erosion ? 1 : 0;
        for (a = rank - 1; a >= 0; a--) {
            idx[a] = rem % shape[a];
            rem /= shape[a];
        }
        for (j = 0; j < flen; j++) {
            intptr_t fidx[NDI_MAX_RANK], frem = j, src = 0;
            int outside = 0, v;
            if (!s[j]) continue;
            for (a = rank - 1; a >= 0; a--) {
                fidx[a] = frem % fshape[a];
                frem /= fshape[a];
            }
            for (a = 0; a < rank; a++) {
                intptr_t d = fidx[a] - (fshape[a] / 2 + (origins ? origins[a] : 0));
                intptr_t p = idx[a] + (erosion ? d : -d);
                if (p < 0 || p >= shape[a]) outside = 1;
                src = src * shape[a] + (outside ? 0 : p);
            }
            v = outside ? border : x[src];
            if (erosion) acc &= v; else acc |= v;
        }
        out[k] = (mask && !mask[k]) ? x[k] : (unsigned char)acc;
    }
}

/* `iterations` steps (>= 1). */
static void ref_iterate(const unsigned char *x, int rank, const intptr_t *shape,
                        const unsigned char *s, const intptr_t *fshape, const intptr_t *origins,
                        const unsigned char *mask, int border, int erosion, int iterations,
                        unsigned char *out) {
    intptr_t len = 1, k;
    int a, it;
    unsigned char *cur;
    for (a = 0; a < rank; a++) len *= shape[a];
    cur = (unsigned char *)malloc((size_t)len + 1);
    memcpy(cur, x, (size_t)len);
    for (it = 0; it < iterations; it++) {
        ref_step(cur, rank, shape, s, fshape, origins, mask, border, erosion, out);
        for (k = 0; k < len; k++) cur[k] = out[k];
    }
    free(cur);
}

/* Deterministic pseudo-random bytes. */
static unsigned tu_rand_state = 12345u;
static unsigned tu_rand(void) {
    tu_rand_state = tu_rand_state * 1103515245u + 12345u;
    return (tu_rand_state >> 16) & 0x7fff;
}

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

static const ndi_dtype DTYPES[] = {NDI_DTYPE_BOOL,   NDI_DTYPE_INT8,    NDI_DTYPE_UINT16,
                                   NDI_DTYPE_INT32,  NDI_DTYPE_UINT64,  NDI_DTYPE_FLOAT32,
                                   NDI_DTYPE_FLOAT64};
#define N_DTYPES ((int)(sizeof DTYPES / sizeof DTYPES[0]))

/* ------------------------------------------------------------------------------------------ */
/* Results                                                                                    */

typedef ndi_status (*binary_fn)(const ndi_array *, const ndi_array *, const ndi_array *,
                                const ndi_array *, int64_t, int32_t, const intptr_t *,
                                const ndi_options *);

static void test_against_reference(void) {
    static const intptr_t shape[2] = {7, 9};
    static const intptr_t fshape[2] = {3, 2};
    static const unsigned char s[6] = {1, 0, 1, 1, 0, 1};
    static const intptr_t origins[2] = {-1, 0};
    unsigned char x[63], mask[63], expect[63];
    tarr in, out, st, mk;
    int layout, d, erosion, iterations, use_mask, border;
    intptr_t k;
    for (k = 0; k < 63; k++) {
        x[k] = (unsigned char)(tu_rand() % 3 != 0);
        mask[k] = (unsigned char)(tu_rand() % 4 != 0);
    }
    tarr_init(&st, NDI_DTYPE_FLOAT64, 2, fshape, LAY_C);
    for (k = 0; k < 6; k++) tarr_set(&st, k, s[k] ? 0.5 : 0.0); /* non-zero = true */
    for (layout = 0; layout < LAY_COUNT; layout++) {
        for (d = 0; d < N_DTYPES; d++) {
            for (erosion = 0; erosion <= 1; erosion++) {
                for (iterations = 1; iterations <= 3; iterations += 2) {
                    for (use_mask = 0; use_mask <= 1; use_mask++) {
                        border = (layout + d) % 2;
                        TU_CTX("layout %s dtype %d erosion %d iterations %d mask %d",
                               tu_layout_name(layout), d, erosion, iterations, use_mask);
                        tarr_init(&in, DTYPES[d], 2, shape, layout);
                        tarr_init(&out, DTYPES[(d + 3) % N_DTYPES], 2, shape,
                                  (layout + 1) % LAY_COUNT);
                        tarr_init(&mk, DTYPES[(d + 1) % N_DTYPES], 2, shape, layout);
                        for (k = 0; k < 63; k++) {
                            tarr_set(&in, k, x[k] ? (double)(1 + k % 3) : 0.0);
                            tarr_set(&mk, k, mask[k] ? 1.0 : 0.0);
                        }
                        ref_iterate(x, 2, shape, s, fshape, origins, use_mask ? mask : NULL,
                                    border, erosion, iterations, expect);
                        CHECK_STATUS((erosion ? ndi_binary_erosion : ndi_binary_dilation)(
                                         &in.arr, &out.arr, &st.arr,
                                         use_mask ? &mk.arr : NULL, iterations, border,
                                         origins, NULL),
                                     NDI_OK);
                        for (k = 0; k < 63; k++) CHECK_EQ(tarr_get(&out, k), expect[k]);
                        CHECK(tarr_gaps_untouched(&out));
                        tarr_free(&in);
                        tarr_free(&out);
                        tarr_free(&mk);
                    }
                }
            }
        }
    }
    tarr_free(&st);
    TU_CTX("%s", "");
}

/* Opening, closing, iterating until nothing changes (the flood), hit-or-miss, fill_holes and
 * propagation on a picture with a hole, against the reference. */
static void test_compositions(void) {
    static const intptr_t shape[2] = {8, 10};
    /* A ring with a hole at (3..4, 4..5), a stray pixel at (0, 0), a line at row 6. */
    static const char *picture[8] = {"x.........", "...xxxx...", "..xx..xx..", "..x....x..",
                                     "..xx..xx..", "...xxxx...", ".xxxxxxxx.", ".........."};
    static const unsigned char cross[9] = {0, 1, 0, 1, 1, 1, 0, 1, 0};
    static const intptr_t fshape[2] = {3, 3};
    unsigned char x[80], a[80], b[80], filled[80];
    tarr in, out;
    intptr_t k;
    int changed, threads;
    for (k = 0; k < 80; k++) x[k] = picture[k / 10][k % 10] == 'x';
    tarr_init(&in, NDI_DTYPE_UINT8, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_BOOL, 2, shape, LAY_F);
    for (k = 0; k < 80; k++) tarr_set(&in, k, x[k]);

    /* opening = dilation(erosion) */
    ref_iterate(x, 2, shape, cross, fshape, NULL, NULL, 0, 1, 1, a);
    ref_iterate(a, 2, shape, cross, fshape, NULL, NULL, 0, 0, 1, b);
    CHECK_STATUS(ndi_binary_opening(&in.arr, &out.arr, NULL, NULL, 1, 0, NULL, NULL), NDI_OK);
    for (k = 0; k < 80; k++) CHECK_EQ(tarr_get(&out, k), b[k]);
    /* closing = erosion(dilation) */
    ref_iterate(x, 2, shape, cross, fshape, NULL, NULL, 0, 0, 1, a);
    ref_iterate(a, 2, shape, cross, fshape, NULL, NULL, 0, 1, 1, b);
    CHECK_STATUS(ndi_binary_closing(&in.arr, &out.arr, NULL, NULL, 1, 0, NULL, NULL), NDI_OK);
    for (k = 0; k < 80; k++) CHECK_EQ(tarr_get(&out, k), b[k]);

    /* fill_holes: the ring's inside becomes true, nothing else changes. */
    memcpy(filled, x, 80);
    filled[34] = filled[35] = filled[33] = filled[36] = 1;
    filled[23] = filled[24] = filled[25] = filled[26] = 1;
    filled[43] = filled[44] = filled[45] = filled[46] = 1;
    for (threads = 1; threads <= 3; threads++) {
        ndi_options opt;
        ndi_options_init(&opt, sizeof opt);
        opt.threads = threads;
        TU_CTX("fill_holes threads %d", threads);
        CHECK_STATUS(ndi_binary_fill_holes(&in.arr, &out.arr, NULL, NULL, &opt), NDI_OK);
        for (k = 0; k < 80; k++) CHECK_EQ(tarr_get(&out, k), filled[k]);
    }
    TU_CTX("%s", "");

    /* Dilation until nothing changes within a mask = the reference iterated to its end. */
    {
        tarr mk;
        unsigned char mask[80];
        tarr_init(&mk, NDI_DTYPE_FLOAT32, 2, shape, LAY_NEG);
        for (k = 0; k < 80; k++) {
            mask[k] = (unsigned char)(k % 10 != 8);
            tarr_set(&mk, k, mask[k] ? -2.0 : 0.0);
        }
        memcpy(a, x, 80);
        do {
            ref_step(a, 2, shape, cross, fshape, NULL, mask, 0, 0, b);
            changed = memcmp(a, b, 80) != 0;
            memcpy(a, b, 80);
        } while (changed);
        CHECK_STATUS(ndi_binary_dilation(&in.arr, &out.arr, NULL, &mk.arr, -1, 0, NULL, NULL),
                     NDI_OK);
        for (k = 0; k < 80; k++) CHECK_EQ(tarr_get(&out, k), a[k]);
        CHECK_STATUS(ndi_binary_propagation(&in.arr, &out.arr, NULL, &mk.arr, 0, NULL, NULL),
                     NDI_OK);
        for (k = 0; k < 80; k++) CHECK_EQ(tarr_get(&out, k), a[k]);
        /* 20 steps (the flood, layer by layer) = 20 reference steps. */
        ref_iterate(x, 2, shape, cross, fshape, NULL, mask, 1, 1, 20, b);
        CHECK_STATUS(ndi_binary_erosion(&in.arr, &out.arr, NULL, &mk.arr, 20, 1, NULL, NULL),
                     NDI_OK);
        for (k = 0; k < 80; k++) CHECK_EQ(tarr_get(&out, k), b[k]);
        tarr_free(&mk);
    }

    /* hit_or_miss with the default structures: isolated pixels (a cross of foreground with
     * background around, the complement of the cross). */
    {
        static const unsigned char one[9] = {0, 0, 0, 0, 1, 0, 0, 0, 0};
        static const unsigned char ring[9] = {1, 1, 1, 1, 0, 1, 1, 1, 1};
        tarr s1, s2;
        tarr_init(&s1, NDI_DTYPE_BOOL, 2, fshape, LAY_C);
        tarr_init(&s2, NDI_DTYPE_INT16, 2, fshape, LAY_STRIDED);
        for (k = 0; k < 9; k++) {
            tarr_set(&s1, k, one[k]);
            tarr_set(&s2, k, ring[k]);
        }
        CHECK_STATUS(ndi_binary_hit_or_miss(&in.arr, &out.arr, &s1.arr, &s2.arr, NULL, NULL,
                                            NULL),
                     NDI_OK);
        for (k = 0; k < 80; k++) CHECK_EQ(tarr_get(&out, k), k == 0 ? 1.0 : 0.0);
        /* structure2 NULL: the complement of structure1. */
        CHECK_STATUS(ndi_binary_hit_or_miss(&in.arr, &out.arr, &s1.arr, NULL, NULL, NULL, NULL),
                     NDI_OK);
        for (k = 0; k < 80; k++) CHECK_EQ(tarr_get(&out, k), k == 0 ? 1.0 : 0.0);
        tarr_free(&s1);
        tarr_free(&s2);
    }
    tarr_free(&in);
    tarr_free(&out);
}

/* Results do not depend on the thread count (a large enough array to be split). */
static void test_threads(void) {
    static const intptr_t shape[3] = {40, 30, 50};
    tarr in, out1, outn;
    intptr_t k;
    int f, threads;
    binary_fn fns[4] = {ndi_binary_erosion, ndi_binary_dilation, ndi_binary_opening,
                        ndi_binary_closing};
    tarr_init(&in, NDI_DTYPE_BOOL, 3, shape, LAY_C);
    tarr_init(&out1, NDI_DTYPE_UINT8, 3, shape, LAY_C);
    tarr_init(&outn, NDI_DTYPE_UINT8, 3, shape, LAY_C);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, tu_rand() % 5 != 0);
    for (f = 0; f < 4; f++) {
        for (threads = 2; threads <= 5; threads += 3) {
            ndi_options one, many;
            ndi_options_init(&one, sizeof one);
            ndi_options_init(&many, sizeof many);
            one.threads = 1;
            many.threads = threads;
            TU_CTX("function %d threads %d", f, threads);
            CHECK_STATUS(fns[f](&in.arr, &out1.arr, NULL, NULL, 2, 0, NULL, &one), NDI_OK);
            CHECK_STATUS(fns[f](&in.arr, &outn.arr, NULL, NULL, 2, 0, NULL, &many), NDI_OK);
            CHECK(memcmp(out1.mem, outn.mem, out1.memlen) == 0);
        }
    }
    TU_CTX("%s", "");
    tarr_free(&in);
    tarr_free(&out1);
    tarr_free(&outn);
}

static void test_structures(void) {
    static const intptr_t s3[3] = {3, 3, 3};
    static const intptr_t s2[2] = {3, 3};
    intptr_t shape_out[2], k;
    tarr out, st, it;
    /* rank 3, connectivity 1: the 6-neighbourhood plus the centre. */
    tarr_init(&out, NDI_DTYPE_INT32, 3, s3, LAY_F);
    CHECK_STATUS(ndi_generate_binary_structure(&out.arr, 1.0, NULL), NDI_OK);
    for (k = 0; k < 27; k++) {
        intptr_t i = k / 9, j = (k / 3) % 3, l = k % 3;
        intptr_t dist = (i > 1 ? i - 1 : 1 - i) + (j > 1 ? j - 1 : 1 - j) + (l > 1 ? l - 1 : 1 - l);
        CHECK_EQ(tarr_get(&out, k), dist <= 1 ? 1.0 : 0.0);
    }
    /* connectivity 0.5 counts as 1; 2.5 as 2 */
    CHECK_STATUS(ndi_generate_binary_structure(&out.arr, 0.5, NULL), NDI_OK);
    CHECK_EQ(tarr_get(&out, 0), 0.0);
    CHECK_EQ(tarr_get(&out, 4), 1.0);
    CHECK_STATUS(ndi_generate_binary_structure(&out.arr, 2.5, NULL), NDI_OK);
    CHECK_EQ(tarr_get(&out, 0), 0.0);
    CHECK_EQ(tarr_get(&out, 1), 1.0);
    tarr_free(&out);
    /* iterate_structure: the cross twice is the diamond of radius 2. */
    CHECK_STATUS(ndi_iterate_structure_shape(s2, 2, 2, shape_out), NDI_OK);
    CHECK_EQ(shape_out[0], 5);
    CHECK_EQ(shape_out[1], 5);
    CHECK_STATUS(ndi_iterate_structure_shape(s2, 2, 1, shape_out), NDI_OK);
    CHECK_EQ(shape_out[0], 3);
    tarr_init(&st, NDI_DTYPE_BOOL, 2, s2, LAY_C);
    CHECK_STATUS(ndi_generate_binary_structure(&st.arr, 1.0, NULL), NDI_OK);
    CHECK_STATUS(ndi_iterate_structure_shape(s2, 2, 2, shape_out), NDI_OK);
    tarr_init(&it, NDI_DTYPE_FLOAT32, 2, shape_out, LAY_NEG);
    CHECK_STATUS(ndi_iterate_structure(&st.arr, 2, &it.arr, NULL), NDI_OK);
    for (k = 0; k < 25; k++) {
        intptr_t i = k / 5, j = k % 5;
        intptr_t dist = (i > 2 ? i - 2 : 2 - i) + (j > 2 ? j - 2 : 2 - j);
        CHECK_EQ(tarr_get(&it, k), dist <= 2 ? 1.0 : 0.0);
    }
    /* errors */
    CHECK_STATUS(ndi_iterate_structure(&st.arr, 3, &it.arr, NULL), NDI_ERR_SHAPE_MISMATCH);
    CHECK_STATUS(ndi_iterate_structure(NULL, 2, &it.arr, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_iterate_structure_shape(NULL, 2, 2, shape_out), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_iterate_structure_shape(s2, 2, 2, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_iterate_structure_shape(s2, 0, 2, shape_out), NDI_ERR_INVALID_ARRAY);
    {
        static const intptr_t huge[2] = {INTPTR_MAX / 2, 3};
        CHECK_STATUS(ndi_iterate_structure_shape(huge, 2, 5, shape_out),
                     NDI_ERR_INVALID_ARGUMENT);
    }
    tarr_free(&it);
    tarr_init(&it, NDI_DTYPE_FLOAT32, 2, s2, LAY_C);
    CHECK_STATUS(ndi_generate_binary_structure(&it.arr, 1.0, NULL), NDI_OK);
    tarr_free(&it);
    {
        static const intptr_t s4[2] = {3, 4};
        tarr_init(&it, NDI_DTYPE_FLOAT32, 2, s4, LAY_C);
        CHECK_STATUS(ndi_generate_binary_structure(&it.arr, 1.0, NULL), NDI_ERR_SHAPE_MISMATCH);
        CHECK(tarr_untouched(&it));
        tarr_free(&it);
    }
    CHECK_STATUS(ndi_generate_binary_structure(NULL, 1.0, NULL), NDI_ERR_NULL_POINTER);
    tarr_free(&st);
}

/* ------------------------------------------------------------------------------------------ */
/* Errors: status, message, and nothing written                                               */

static void test_errors(void) {
    static const intptr_t shape[2] = {4, 5};
    static const intptr_t other[2] = {5, 4};
    static const intptr_t s1[1] = {3};
    static const intptr_t s22[2] = {3, 3};
    static const intptr_t s0[2] = {0, 3};
    static const intptr_t bad_origins[2] = {0, 2};
    static const intptr_t neg_origins[2] = {-2, 0};
    static const intptr_t s13[2] = {1, 3};
    tarr in, out, small, st1, st0, mk, cx, st2, st13;
    ndi_array bad;
    ndi_options opt;
    int f;
    binary_fn fns[4] = {ndi_binary_erosion, ndi_binary_dilation, ndi_binary_opening,
                        ndi_binary_closing};
    tarr_init(&in, NDI_DTYPE_BOOL, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_UINT8, 2, shape, LAY_C);
    tarr_init(&small, NDI_DTYPE_UINT8, 2, other, LAY_C);
    tarr_init(&st1, NDI_DTYPE_BOOL, 1, s1, LAY_C);
    tarr_init(&st0, NDI_DTYPE_BOOL, 2, s0, LAY_C);
    tarr_init(&st2, NDI_DTYPE_BOOL, 2, s22, LAY_C);
    tarr_init(&st13, NDI_DTYPE_BOOL, 2, s13, LAY_C);
    tarr_init(&mk, NDI_DTYPE_FLOAT64, 2, other, LAY_C);
    tarr_init(&cx, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    {
        intptr_t k;
        for (k = 0; k < in.len; k++) tarr_set(&in, k, 1.0);
        for (k = 0; k < 9; k++) tarr_set(&st2, k, k % 2 ? 1.0 : 0.0); /* centre false */
        for (k = 0; k < 3; k++) tarr_set(&st13, k, 1.0);
    }
    for (f = 0; f < 4; f++) {
        TU_CTX("function %d", f);
        tarr_reset(&out);
        CHECK_STATUS(fns[f](NULL, &out.arr, NULL, NULL, 1, 0, NULL, NULL), NDI_ERR_NULL_POINTER);
        CHECK_STATUS(fns[f](&in.arr, NULL, NULL, NULL, 1, 0, NULL, NULL), NDI_ERR_NULL_POINTER);
        CHECK_STATUS(fns[f](&in.arr, &small.arr, NULL, NULL, 1, 0, NULL, NULL),
                     NDI_ERR_SHAPE_MISMATCH);
        CHECK_STATUS(fns[f](&in.arr, &out.arr, &st1.arr, NULL, 1, 0, NULL, NULL),
                     NDI_ERR_SHAPE_MISMATCH);
        CHECK_MESSAGE_HAS("structure rank 1");
        CHECK_STATUS(fns[f](&in.arr, &out.arr, &st0.arr, NULL, 1, 0, NULL, NULL),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(fns[f](&in.arr, &out.arr, NULL, &mk.arr, 1, 0, NULL, NULL),
                     NDI_ERR_SHAPE_MISMATCH);
        CHECK_STATUS(fns[f](&in.arr, &out.arr, NULL, NULL, 1, 0, bad_origins, NULL),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK_MESSAGE_HAS("invalid origin");
        CHECK_STATUS(fns[f](&in.arr, &out.arr, NULL, NULL, 1, 0, neg_origins, NULL),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(fns[f](&cx.arr, &out.arr, NULL, NULL, 1, 0, NULL, NULL),
                     NDI_ERR_INVALID_ARRAY);
        CHECK_STATUS(fns[f](&in.arr, &cx.arr, NULL, NULL, 1, 0, NULL, NULL),
                     NDI_ERR_INVALID_ARRAY);
        bad = in.arr;
        bad.dtype = NDI_MODE_REFLECT; /* a mode code where a dtype code belongs */
        CHECK_STATUS(fns[f](&bad, &out.arr, NULL, NULL, 1, 0, NULL, NULL),
                     NDI_ERR_INVALID_ARRAY);
        bad = in.arr;
        bad.rank = 0;
        CHECK_STATUS(fns[f](&bad, &out.arr, NULL, NULL, 1, 0, NULL, NULL),
                     NDI_ERR_INVALID_ARRAY);
        ndi_options_init(&opt, sizeof opt);
        opt.struct_size = 3;
        CHECK_STATUS(fns[f](&in.arr, &out.arr, NULL, NULL, 1, 0, NULL, &opt),
                     NDI_ERR_INVALID_ARGUMENT);
        ndi_options_init(&opt, sizeof opt);
        opt.threads = -7;
        CHECK_STATUS(fns[f](&in.arr, &out.arr, NULL, NULL, 1, 0, NULL, &opt),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK(tarr_untouched(&out));
    }
    /* An iteration that cycles forever (centre false, until nothing changes). */
    {
        intptr_t k;
        for (k = 0; k < in.len; k++) tarr_set(&in, k, (k / 5 + k % 5) % 2);
        tarr_reset(&out);
        CHECK_STATUS(ndi_binary_erosion(&in.arr, &out.arr, &st2.arr, NULL, -1, 1, NULL, NULL),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK_MESSAGE_HAS("never settles");
        CHECK(tarr_untouched(&out));
    }
    /* An overflowing shape. */
    {
        intptr_t huge[2] = {INTPTR_MAX / 4, 8};
        ndi_array h = tu_desc(in.arr.data, NDI_DTYPE_BOOL, 2, huge, NULL);
        CHECK_STATUS(ndi_binary_erosion(&h, &h, NULL, NULL, 1, 0, NULL, NULL),
                     NDI_ERR_INVALID_ARRAY);
    }
    /* hit_or_miss: origin2 falls back to origin1, checked against structure2. */
    {
        static const intptr_t o1[2] = {-1, 0};
        tarr_reset(&out);
        CHECK_STATUS(ndi_binary_hit_or_miss(&in.arr, &out.arr, NULL, &st13.arr, o1, NULL, NULL),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(ndi_binary_hit_or_miss(&in.arr, &out.arr, &st1.arr, NULL, NULL, NULL, NULL),
                     NDI_ERR_SHAPE_MISMATCH);
        CHECK_STATUS(ndi_binary_hit_or_miss(NULL, &out.arr, NULL, NULL, NULL, NULL, NULL),
                     NDI_ERR_NULL_POINTER);
        CHECK_STATUS(ndi_binary_fill_holes(&in.arr, &small.arr, NULL, NULL, NULL),
                     NDI_ERR_SHAPE_MISMATCH);
        CHECK_STATUS(ndi_binary_fill_holes(&in.arr, &out.arr, NULL, bad_origins, NULL),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK_STATUS(ndi_binary_propagation(&in.arr, &out.arr, NULL, &mk.arr, 0, NULL, NULL),
                     NDI_ERR_SHAPE_MISMATCH);
        CHECK(tarr_untouched(&out));
    }
    TU_CTX("%s", "");
    tarr_free(&in);
    tarr_free(&out);
    tarr_free(&small);
    tarr_free(&st1);
    tarr_free(&st0);
    tarr_free(&st2);
    tarr_free(&st13);
    tarr_free(&mk);
    tarr_free(&cx);
}

/* Zero-size inputs: valid, nothing to write. */
static void test_empty(void) {
    static const intptr_t shape[2] = {0, 4};
    tarr in, out;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_BOOL, 2, shape, LAY_C);
    CHECK_STATUS(ndi_binary_erosion(&in.arr, &out.arr, NULL, NULL, 3, 0, NULL, NULL), NDI_OK);
    CHECK_STATUS(ndi_binary_fill_holes(&in.arr, &out.arr, NULL, NULL, NULL), NDI_OK);
    CHECK(tarr_untouched(&out));
    tarr_free(&in);
    tarr_free(&out);
}

/* Cancellation through the progress callback, and progress reaching 1. */
static void test_progress(void) {
    static const intptr_t shape[2] = {300, 400};
    tarr in, out;
    ndi_options opt;
    progress_log log = {0, 0.0, 0};
    intptr_t k;
    binary_fn fns[4] = {ndi_binary_erosion, ndi_binary_dilation, ndi_binary_opening,
                        ndi_binary_closing};
    int f, threads;
    tarr_init(&in, NDI_DTYPE_BOOL, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_BOOL, 2, shape, LAY_C);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, tu_rand() % 3 != 0);
    for (threads = 1; threads <= 2; threads++) {
        for (f = 0; f < 4; f++) {
            TU_CTX("progress function %d threads %d", f, threads);
            ndi_options_init(&opt, sizeof opt);
            opt.threads = threads;
            opt.progress = cancel_now;
            CHECK_STATUS(fns[f](&in.arr, &out.arr, NULL, NULL, f == 1 ? -1 : 3, 0, NULL, &opt),
                         NDI_ERR_CANCELLED);
            opt.progress = record_progress;
            opt.progress_user_data = &log;
            log.calls = 0;
            log.decreasing = 0;
            CHECK_STATUS(fns[f](&in.arr, &out.arr, NULL, NULL, f == 1 ? -1 : 3, 0, NULL, &opt),
                         NDI_OK);
            CHECK(log.calls >= 1 && log.last == 1.0 && !log.decreasing);
        }
        ndi_options_init(&opt, sizeof opt);
        opt.threads = threads;
        opt.progress = cancel_now;
        CHECK_STATUS(ndi_binary_fill_holes(&in.arr, &out.arr, NULL, NULL, &opt),
                     NDI_ERR_CANCELLED);
        CHECK_STATUS(ndi_binary_hit_or_miss(&in.arr, &out.arr, NULL, NULL, NULL, NULL, &opt),
                     NDI_ERR_CANCELLED);
    }
    TU_CTX("%s", "");
    tarr_free(&in);
    tarr_free(&out);
}

int main(void) {
    test_progress();
    test_against_reference();
    test_compositions();
    test_threads();
    test_structures();
    test_errors();
    test_empty();
    return TU_DONE();
}
