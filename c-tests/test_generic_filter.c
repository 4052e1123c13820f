/* Tests of ndi_generic_filter: results against an independent reference written here, every
 * layout and several dtypes, callbacks and user_data, and every validation error. */
#include "test_util.h"

/* ------------------------------------------------------------------------------------------ */
/* Reference                                                                                  */

/* Position i on an axis of length n under a filter boundary mode, by repeated reflection /
 * wrapping (a formulation deliberately different from a closed-form modulo). -1: cval. */
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
    case NDI_MODE_GRID_MIRROR: /* d c b a | a b c d | d c b a */
        while (i < 0 || i >= n) i = i < 0 ? -i - 1 : 2 * n - 1 - i;
        return i;
    case NDI_MODE_MIRROR: /* d c b | a b c d | c b a */
        if (n == 1) return 0;
        while (i < 0 || i >= n) i = i < 0 ? -i : 2 * (n - 1) - i;
        return i;
    default:
        return -1;
    }
}

/* scipy.ndimage.generic_filter on a C-contiguous double array, by definition: for every output
 * index (C order), gather the input under the footprint's selected elements (footprint C order),
 * position i + k - (fs/2 + origin) per axis, and call f. Returns the number of calls made (stops
 * at a failing one, like the library). */
static long ref_generic_filter(const double *in, int rank, const intptr_t *shape,
                               const intptr_t *fshape, const unsigned char *fmask,
                               const intptr_t *origins, int mode, double cval,
                               ndi_filter_func f, void *ud, double *out) {
    intptr_t len = 1, flen = 1, k, j;
    int a;
    long calls = 0;
    double *buf;
    for (a = 0; a < rank; a++) {
        len *= shape[a];
        flen *= fshape[a];
    }
    buf = (double *)malloc(sizeof(double) * (size_t)(flen > 0 ? flen : 1));
    for (k = 0; k < len; k++) {
        intptr_t idx[NDI_MAX_RANK], rem = k, count = 0;
        double r = 0.0;
        for (a = rank - 1; a >= 0; a--) {
            idx[a] = rem % shape[a];
            rem /= shape[a];
        }
        for (j = 0; j < flen; j++) {
            intptr_t fidx[NDI_MAX_RANK], frem = j, src = 0;
            int outside = 0;
            if (!fmask[j]) continue;
            for (a = rank - 1; a >= 0; a--) {
                fidx[a] = frem % fshape[a];
                frem /= fshape[a];
            }
            for (a = 0; a < rank; a++) {
                intptr_t o = origins ? origins[a] : 0;
                intptr_t p = ref_map(idx[a] + fidx[a] - (fshape[a] / 2 + o), shape[a], mode);
                if (p < 0) outside = 1;
                src = src * shape[a] + (p < 0 ? 0 : p);
            }
            buf[count++] = outside ? cval : in[src];
        }
        calls++;
        if (!f(buf, count, &r, ud)) break;
        out[k] = r;
    }
    free(buf);
    return calls;
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

typedef struct {
    long calls;
    long fail_at;      /* 1-based call that returns 0; 0 = never */
    double scale;      /* parameter the callback multiplies with */
    long bad_entry;    /* calls where *return_value was not 0.0 on entry */
    intptr_t last_size;
} cb_state;

static void cb_state_init(cb_state *s) {
    s->calls = 0;
    s->fail_at = 0;
    s->scale = 1.0;
    s->bad_entry = 0;
    s->last_size = -1;
}

/* Order-sensitive: sum of buffer[k] * (k + 1), times the user's scale. */
static int weighted_sum(double *buffer, intptr_t size, double *result, void *user_data) {
    cb_state *s = (cb_state *)user_data;
    double acc = 0.0;
    intptr_t k;
    s->calls++;
    s->last_size = size;
    if (*result != 0.0) s->bad_entry++;
    if (s->fail_at && s->calls == s->fail_at) return 0;
    for (k = 0; k < size; k++) acc += buffer[k] * (double)(k + 1);
    *result = acc * s->scale;
    return 1;
}

static int plain_sum(double *buffer, intptr_t size, double *result, void *user_data) {
    double acc = 0.0;
    intptr_t k;
    (void)user_data;
    for (k = 0; k < size; k++) acc += buffer[k];
    *result = acc;
    return 1;
}

static int mean_cb(double *buffer, intptr_t size, double *result, void *user_data) {
    double acc = 0.0;
    intptr_t k;
    (void)user_data;
    for (k = 0; k < size; k++) acc += buffer[k];
    *result = acc / (double)size;
    return 1;
}

/* Median without scribbling before reading, used for the reference. */
static int median_ref(double *buffer, intptr_t size, double *result, void *user_data) {
    intptr_t i, j;
    (void)user_data;
    for (i = 1; i < size; i++) {
        double v = buffer[i];
        for (j = i; j > 0 && buffer[j - 1] > v; j--) buffer[j] = buffer[j - 1];
        buffer[j] = v;
    }
    *result = buffer[size / 2];
    return 1;
}

/* Median that sorts in place, records the median, then scribbles over the buffer. */
static int median_scribble(double *buffer, intptr_t size, double *result, void *user_data) {
    intptr_t i;
    median_ref(buffer, size, result, user_data);
    for (i = 0; i < size; i++) buffer[i] = -12345.0;
    return 1;
}

static int do_nothing(double *buffer, intptr_t size, double *result, void *user_data) {
    (void)buffer;
    (void)size;
    (void)result;
    (void)user_data;
    return 1;
}

/* Returns a fixed value stored in user_data. */
static int constant_cb(double *buffer, intptr_t size, double *result, void *user_data) {
    (void)buffer;
    (void)size;
    *result = *(const double *)user_data;
    return 1;
}

static int first_value(double *buffer, intptr_t size, double *result, void *user_data) {
    (void)user_data;
    *result = size > 0 ? buffer[0] : -1.0;
    return 1;
}

static int count_calls(double *buffer, intptr_t size, double *result, void *user_data) {
    (void)buffer;
    (void)size;
    (void)result;
    ++*(long *)user_data;
    return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

/* Deterministic small integers (exact in every dtype used with them). */
static double test_value(intptr_t k, int salt) {
    return (double)((k * 7 + salt * 3 + (k * k) % 5) % 23) - 5.0;
}

static double nonneg_value(intptr_t k, int salt) {
    return (double)((k * 5 + salt + (k * k) % 7) % 19);
}

/* Runs the library on `in` -> `out` (both tarr) and compares with the reference computed on
 * the input's values. `fmask` NULL means a full box of fshape (passed as `size`). */
static void compare_with_reference(tarr *in, tarr *out, const intptr_t *fshape,
                                   const unsigned char *fmask, const intptr_t *origins, int mode,
                                   double cval, ndi_filter_func f) {
    int rank = in->rank, a;
    intptr_t len = in->len, flen = 1, k;
    double *vals = (double *)malloc(sizeof(double) * (size_t)(len > 0 ? len : 1));
    double *expect = (double *)malloc(sizeof(double) * (size_t)(len > 0 ? len : 1));
    unsigned char *mask;
    cb_state s1, s2;
    tarr fp;
    int ok = 1;
    for (a = 0; a < rank; a++) flen *= fshape[a];
    mask = (unsigned char *)malloc((size_t)flen);
    for (k = 0; k < flen; k++) mask[k] = fmask ? fmask[k] : 1;
    for (k = 0; k < len; k++) vals[k] = tarr_get(in, k);
    cb_state_init(&s1);
    cb_state_init(&s2);
    ref_generic_filter(vals, rank, in->shape, fshape, mask, origins, mode, cval, f, &s1, expect);
    if (fmask) {
        tarr_init(&fp, NDI_DTYPE_UINT8, rank, fshape, LAY_C);
        for (k = 0; k < flen; k++) tarr_set(&fp, k, fmask[k] ? 1.0 : 0.0);
        CHECK_STATUS(ndi_generic_filter(&in->arr, &out->arr, &fp.arr, NULL, origins, mode, cval,
                                        f, &s2, NULL),
                     NDI_OK);
        tarr_free(&fp);
    } else {
        CHECK_STATUS(ndi_generic_filter(&in->arr, &out->arr, NULL, fshape, origins, mode, cval,
                                        f, &s2, NULL),
                     NDI_OK);
    }
    for (k = 0; k < len; k++) {
        double want = tu_truncated(out->arr.dtype, expect[k]);
        double got = tarr_get(out, k);
        if (got != want) {
            if (ok)
                fprintf(stderr, "  element %ld: got %.17g, want %.17g\n", (long)k, got, want);
            ok = 0;
        }
    }
    CHECK_MSG(ok, "library result differs from the reference");
    if (f == weighted_sum) CHECK(s2.calls == len);
    CHECK(tarr_gaps_untouched(out));
    free(mask);
    free(vals);
    free(expect);
}

/* ------------------------------------------------------------------------------------------ */
/* Correct results                                                                            */

/* The README example, value checked by hand: mean of the 3x3 reflect window at [0][0] of
 * {{1,2,3},{4,5,6}} covers rows {0,0,1} x cols {0,0,1}: (4*1 + 2*2 + 2*4 + 5) / 9 = 21/9. */
static void test_readme_example(void) {
    double in[2][3] = {{1, 2, 3}, {4, 5, 6}}, out[2][3];
    intptr_t shape[2] = {2, 3}, size[2] = {3, 3};
    ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    ndi_array b = tu_desc(out, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    TU_CTX("readme example");
    CHECK_STATUS(ndi_generic_filter(&a, &b, NULL, size, NULL, NDI_MODE_REFLECT, 0.0, mean_cb,
                                    NULL, NULL),
                 NDI_OK);
    CHECK_NEAR(out[0][0], 21.0 / 9.0, 1e-15);
    /* [1][2]: rows {0,1,1} x cols {1,2,2}: 2 + 3*2 + 5*2 + 6*4 = 42 -> 42/9 */
    CHECK_NEAR(out[1][2], 42.0 / 9.0, 1e-15);
    tu_context[0] = '\0';
}

/* A 3x3 box sum with reflect mode, by an explicit loop written for this case only. */
static void test_box_sum_reflect_loop(void) {
    enum { R = 4, C = 5 };
    double in[R][C], out[R][C];
    intptr_t shape[2] = {R, C}, size[2] = {3, 3};
    ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    ndi_array b = tu_desc(out, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    int i, j, di, dj, ok = 1;
    for (i = 0; i < R; i++)
        for (j = 0; j < C; j++) in[i][j] = (double)(i * 10 + j * j);
    TU_CTX("3x3 sum, reflect");
    CHECK_STATUS(ndi_generic_filter(&a, &b, NULL, size, NULL, NDI_MODE_REFLECT, 0.0, plain_sum,
                                    NULL, NULL),
                 NDI_OK);
    for (i = 0; i < R; i++)
        for (j = 0; j < C; j++) {
            double s = 0.0;
            for (di = -1; di <= 1; di++)
                for (dj = -1; dj <= 1; dj++) {
                    int ii = i + di, jj = j + dj;
                    if (ii < 0) ii = 0;          /* reflect: -1 -> 0 */
                    if (ii >= R) ii = R - 1;     /* R -> R-1 */
                    if (jj < 0) jj = 0;
                    if (jj >= C) jj = C - 1;
                    s += in[ii][jj];
                }
            if (out[i][j] != s) ok = 0;
        }
    CHECK(ok);
    /* constant mode with cval 100: the corner sees 5 outside samples */
    CHECK_STATUS(ndi_generic_filter(&a, &b, NULL, size, NULL, NDI_MODE_CONSTANT, 100.0,
                                    plain_sum, NULL, NULL),
                 NDI_OK);
    CHECK_EQ(out[0][0], 500.0 + in[0][0] + in[0][1] + in[1][0] + in[1][1]);
    tu_context[0] = '\0';
}

/* Every mode, every layout pair, a 2-D array with a non-box footprint and origins. */
static void test_modes_and_layouts(void) {
    intptr_t shape[2] = {4, 5}, fshape[2] = {3, 4};
    unsigned char fmask[12] = {1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1};
    intptr_t origins[2] = {1, -2};
    int mode, li, lo;
    tarr in, out;
    intptr_t k;
    for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
        for (li = 0; li < LAY_COUNT; li++) {
            for (lo = 0; lo < LAY_COUNT; lo++) {
                if (mode != NDI_MODE_REFLECT && li != lo && lo != LAY_C) continue;
                TU_CTX("mode %d, input %s, output %s", mode, tu_layout_name(li),
                       tu_layout_name(lo));
                tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, li);
                tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, lo);
                for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, mode));
                compare_with_reference(&in, &out, fshape, fmask, origins, mode, -7.5,
                                       weighted_sum);
                CHECK(tarr_gaps_untouched(&in));
                tarr_free(&in);
                tarr_free(&out);
            }
        }
    }
    tu_context[0] = '\0';
}

/* Ranks 1 to 4 with boxes, 1-element axes, origins at both limits, footprints wider than the
 * axis (reflect far beyond the edge included). */
static void test_ranks(void) {
    static const intptr_t shapes[][4] = {{7, 0, 0, 0}, {1, 0, 0, 0}, {3, 1, 0, 0},
                                         {2, 3, 4, 0}, {2, 1, 3, 2}, {1, 1, 1, 1}};
    static const int ranks[] = {1, 1, 2, 3, 4, 4};
    static const intptr_t fshapes[][4] = {{3, 0, 0, 0}, {5, 0, 0, 0}, {2, 3, 0, 0},
                                          {3, 2, 5, 0}, {2, 2, 3, 3}, {3, 1, 2, 1}};
    static const intptr_t origins[][4] = {{1, 0, 0, 0}, {-2, 0, 0, 0}, {-1, 1, 0, 0},
                                          {-1, 0, 2, 0}, {0, -1, 1, -1}, {1, 0, -1, 0}};
    size_t c;
    int mode, layout;
    intptr_t k;
    for (c = 0; c < sizeof ranks / sizeof ranks[0]; c++) {
        for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
            for (layout = 0; layout < LAY_COUNT; layout += 2) {
                tarr in, out;
                TU_CTX("case %d, mode %d, layout %s", (int)c, mode, tu_layout_name(layout));
                tarr_init(&in, NDI_DTYPE_FLOAT64, ranks[c], shapes[c], layout);
                tarr_init(&out, NDI_DTYPE_FLOAT64, ranks[c], shapes[c], LAY_COUNT - 1 - layout);
                for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, (int)c));
                compare_with_reference(&in, &out, fshapes[c], NULL, origins[c], mode, 2.0,
                                       weighted_sum);
                tarr_free(&in);
                tarr_free(&out);
            }
        }
    }
    /* A window of 11 on an axis of 2 in reflect and mirror mode reaches 4n past the edge. */
    {
        intptr_t shape[1] = {2}, fs[1] = {11};
        for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
            tarr in, out;
            TU_CTX("wide window, mode %d", mode);
            tarr_init(&in, NDI_DTYPE_FLOAT64, 1, shape, LAY_C);
            tarr_init(&out, NDI_DTYPE_FLOAT64, 1, shape, LAY_C);
            tarr_set(&in, 0, 3.0);
            tarr_set(&in, 1, 10.0);
            compare_with_reference(&in, &out, fs, NULL, NULL, mode, 1.0, weighted_sum);
            tarr_free(&in);
            tarr_free(&out);
        }
    }
    tu_context[0] = '\0';
}

/* A rank-32 array, axes of length 1 or 2, and the maximum rank. */
static void test_high_rank(void) {
    intptr_t shape[NDI_MAX_RANK], fshape[NDI_MAX_RANK], origins[NDI_MAX_RANK];
    tarr in, out;
    int a;
    intptr_t k;
    for (a = 0; a < 32; a++) {
        shape[a] = (a % 4 == 0 || a == 31) ? 2 : 1; /* 9 axes of 2: 512 elements */
        fshape[a] = (a == 0 || a == 8 || a == 31) ? 2 : (a == 5 ? 3 : 1);
        origins[a] = a == 8 ? -1 : 0;
    }
    TU_CTX("rank 32");
    tarr_init(&in, NDI_DTYPE_INT32, 32, shape, LAY_NEG);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 32, shape, LAY_STRIDED);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, 32));
    compare_with_reference(&in, &out, fshape, NULL, origins, NDI_MODE_REFLECT, 0.0,
                           weighted_sum);
    compare_with_reference(&in, &out, fshape, NULL, origins, NDI_MODE_CONSTANT, 0.5,
                           weighted_sum);
    tarr_free(&in);
    tarr_free(&out);

    /* rank 64, every axis of length 1 */
    for (a = 0; a < NDI_MAX_RANK; a++) {
        shape[a] = 1;
        fshape[a] = a == 63 ? 3 : 1;
    }
    TU_CTX("rank 64");
    tarr_init(&in, NDI_DTYPE_FLOAT64, NDI_MAX_RANK, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, NDI_MAX_RANK, shape, LAY_F);
    tarr_set(&in, 0, 4.0);
    compare_with_reference(&in, &out, fshape, NULL, NULL, NDI_MODE_CONSTANT, 1.0, weighted_sum);
    CHECK_EQ(tarr_get(&out, 0), 1.0 + 2.0 * 4.0 + 3.0 * 1.0);
    tarr_free(&in);
    tarr_free(&out);
    tu_context[0] = '\0';
}

/* Footprints: given as arrays of several dtypes and layouts (non-zero = selected), all-zero
 * masks, and a footprint selecting one element (a shift). */
static void test_footprints(void) {
    intptr_t shape[2] = {3, 4}, fshape[2] = {2, 3};
    double fvals[6] = {0.5, 0.0, -1.0, 0.0, 2.0, 1e-300};
    unsigned char expect_mask[6] = {1, 0, 1, 0, 1, 1};
    static const ndi_dtype fdtypes[] = {NDI_DTYPE_FLOAT64, NDI_DTYPE_FLOAT32, NDI_DTYPE_INT32,
                                        NDI_DTYPE_BOOL, NDI_DTYPE_UINT8};
    size_t d;
    tarr in, out, ref, fp;
    intptr_t k;
    cb_state s;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, 3));
    tarr_init(&ref, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    compare_with_reference(&in, &ref, fshape, expect_mask, NULL, NDI_MODE_MIRROR, 0.0,
                           weighted_sum);
    for (d = 0; d < sizeof fdtypes / sizeof fdtypes[0]; d++) {
        int layout = (int)d % LAY_COUNT, ok = 1;
        TU_CTX("footprint dtype %d layout %s", (int)fdtypes[d], tu_layout_name(layout));
        tarr_init(&fp, fdtypes[d], 2, fshape, layout);
        for (k = 0; k < 6; k++) {
            double v = fvals[k];
            /* integers and bool: any non-zero stays non-zero */
            if (fdtypes[d] != NDI_DTYPE_FLOAT64 && fdtypes[d] != NDI_DTYPE_FLOAT32 && v != 0.0)
                v = (fdtypes[d] == NDI_DTYPE_INT32 && v < 0) ? -1.0 : (k == 5 ? 9.0 : 1.0);
            if (fdtypes[d] == NDI_DTYPE_FLOAT32 && k == 5) v = 1e-30; /* tiny but non-zero */
            tarr_set(&fp, k, v);
        }
        if (fdtypes[d] == NDI_DTYPE_BOOL) tu_store(NDI_DTYPE_BOOL, tarr_ptr(&fp, 5), 200.0);
        tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
        cb_state_init(&s);
        CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, &fp.arr, NULL, NULL, NDI_MODE_MIRROR,
                                        0.0, weighted_sum, &s, NULL),
                     NDI_OK);
        CHECK(s.last_size == 4);
        for (k = 0; k < in.len; k++)
            if (tarr_get(&out, k) != tarr_get(&ref, k)) ok = 0;
        CHECK(ok);
        CHECK(tarr_gaps_untouched(&fp)); /* and the footprint was not written */
        tarr_free(&fp);
        tarr_free(&out);
    }
    /* When a footprint is given, `size` is ignored (even if invalid). */
    {
        intptr_t bad_size[2] = {0, -4};
        int ok = 1;
        TU_CTX("footprint with ignored size");
        tarr_init(&fp, NDI_DTYPE_UINT8, 2, fshape, LAY_C);
        for (k = 0; k < 6; k++) tarr_set(&fp, k, expect_mask[k]);
        tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
        cb_state_init(&s);
        CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, &fp.arr, bad_size, NULL,
                                        NDI_MODE_MIRROR, 0.0, weighted_sum, &s, NULL),
                     NDI_OK);
        for (k = 0; k < in.len; k++)
            if (tarr_get(&out, k) != tarr_get(&ref, k)) ok = 0;
        CHECK(ok);
        tarr_free(&fp);
        tarr_free(&out);
    }
    /* An all-zero mask is allowed: the callback gets filter_size 0 once per element. */
    {
        double value = 3.0;
        int ok = 1;
        TU_CTX("all-zero footprint");
        tarr_init(&fp, NDI_DTYPE_UINT8, 2, fshape, LAY_C);
        for (k = 0; k < 6; k++) tarr_set(&fp, k, 0.0);
        tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
        cb_state_init(&s);
        CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, &fp.arr, NULL, NULL,
                                        NDI_MODE_REFLECT, 0.0, weighted_sum, &s, NULL),
                     NDI_OK);
        CHECK(s.calls == in.len);
        CHECK(s.last_size == 0);
        for (k = 0; k < in.len; k++)
            if (tarr_get(&out, k) != 0.0) ok = 0;
        CHECK(ok);
        CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, &fp.arr, NULL, NULL,
                                        NDI_MODE_REFLECT, 0.0, constant_cb, &value, NULL),
                     NDI_OK);
        CHECK_EQ(tarr_get(&out, 11), 3.0);
        tarr_free(&fp);
        tarr_free(&out);
    }
    /* A single selected element at the footprint's corner is a shift (constant mode). */
    {
        double a[3][4], b[3][4];
        intptr_t s3[2] = {3, 3};
        unsigned char m[9] = {1, 0, 0, 0, 0, 0, 0, 0, 0};
        int i, j, ok = 1;
        tarr inp, outp;
        TU_CTX("single-element footprint");
        tarr_init(&inp, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
        tarr_init(&outp, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
        for (i = 0; i < 3; i++)
            for (j = 0; j < 4; j++) {
                a[i][j] = i * 4 + j + 1;
                tarr_set(&inp, i * 4 + j, a[i][j]);
            }
        tarr_init(&fp, NDI_DTYPE_UINT8, 2, s3, LAY_C);
        for (k = 0; k < 9; k++) tarr_set(&fp, k, m[k]);
        CHECK_STATUS(ndi_generic_filter(&inp.arr, &outp.arr, &fp.arr, NULL, NULL,
                                        NDI_MODE_CONSTANT, -1.0, first_value, NULL, NULL),
                     NDI_OK);
        for (i = 0; i < 3; i++)
            for (j = 0; j < 4; j++) {
                b[i][j] = (i > 0 && j > 0) ? a[i - 1][j - 1] : -1.0;
                if (tarr_get(&outp, i * 4 + j) != b[i][j]) ok = 0;
            }
        CHECK(ok);
        tarr_free(&fp);
        tarr_free(&inp);
        tarr_free(&outp);
    }
    tarr_free(&ref);
    tarr_free(&in);
    tu_context[0] = '\0';
}

/* Origins at the limits -(fs/2) and (fs-1)/2 for even and odd sizes. */
static void test_origin_limits(void) {
    intptr_t shape[1] = {6};
    intptr_t fs;
    tarr in, out;
    intptr_t k;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 1, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 1, shape, LAY_C);
    for (k = 0; k < 6; k++) tarr_set(&in, k, test_value(k, 9));
    for (fs = 1; fs <= 6; fs++) {
        intptr_t lo = -(fs / 2), hi = (fs - 1) / 2, o;
        for (o = lo; o <= hi; o++) {
            intptr_t size[1], origins[1];
            size[0] = fs;
            origins[0] = o;
            TU_CTX("fs %ld origin %ld", (long)fs, (long)o);
            compare_with_reference(&in, &out, size, NULL, origins, NDI_MODE_WRAP, 0.0,
                                   weighted_sum);
        }
    }
    tarr_free(&in);
    tarr_free(&out);
    tu_context[0] = '\0';
}

/* Callbacks: user_data, call count, failure, return value zeroed on entry, buffer may be
 * overwritten. */
static void test_callbacks(void) {
    intptr_t shape[2] = {3, 4}, size[2] = {3, 3};
    tarr in, out;
    intptr_t k;
    cb_state s;
    double vals[12], expect[12];
    unsigned char mask[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    int ok;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_STRIDED);
    for (k = 0; k < 12; k++) {
        vals[k] = test_value(k, 1);
        tarr_set(&in, k, vals[k]);
    }

    /* user_data parameters reach the callback; one call per element; *result is 0 on entry */
    TU_CTX("user_data scale");
    cb_state_init(&s);
    s.scale = -2.5;
    CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_NEAREST, 0.0,
                                    weighted_sum, &s, NULL),
                 NDI_OK);
    CHECK(s.calls == 12);
    CHECK(s.bad_entry == 0);
    CHECK(s.last_size == 9);
    {
        cb_state r;
        cb_state_init(&r);
        r.scale = -2.5;
        ref_generic_filter(vals, 2, shape, size, mask, NULL, NDI_MODE_NEAREST, 0.0,
                           weighted_sum, &r, expect);
        ok = 1;
        for (k = 0; k < 12; k++)
            if (tarr_get(&out, k) != expect[k]) ok = 0;
        CHECK(ok);
    }

    /* A callback that never sets *result: every output is 0.0. */
    TU_CTX("result untouched");
    tarr_reset(&out);
    CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_NEAREST, 0.0,
                                    do_nothing, NULL, NULL),
                 NDI_OK);
    ok = 1;
    for (k = 0; k < 12; k++)
        if (tarr_get(&out, k) != 0.0) ok = 0;
    CHECK(ok);

    /* A callback that sorts and scribbles over its buffer: later windows are unaffected. */
    TU_CTX("buffer overwritten by the callback");
    tarr_reset(&out);
    {
        cb_state r;
        cb_state_init(&r);
        ref_generic_filter(vals, 2, shape, size, mask, NULL, NDI_MODE_MIRROR, 0.0, median_ref,
                           &r, expect);
    }
    CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_MIRROR, 0.0,
                                    median_scribble, NULL, NULL),
                 NDI_OK);
    ok = 1;
    for (k = 0; k < 12; k++)
        if (tarr_get(&out, k) != expect[k]) ok = 0;
    CHECK(ok);

    /* Failure at the 6th call: status, message, no further calls, elements 0..4 written and
     * the rest untouched. */
    TU_CTX("callback failure");
    tarr_reset(&out);
    cb_state_init(&s);
    s.fail_at = 6;
    CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_NEAREST, 0.0,
                                    weighted_sum, &s, NULL),
                 NDI_ERR_CALLBACK_FAILED);
    CHECK_MESSAGE_HAS("callback");
    CHECK_MESSAGE_HAS("ndi_generic_filter");
    CHECK(s.calls == 6);
    {
        cb_state r;
        cb_state_init(&r);
        ref_generic_filter(vals, 2, shape, size, mask, NULL, NDI_MODE_NEAREST, 0.0,
                           weighted_sum, &r, expect);
    }
    ok = 1;
    for (k = 0; k < 5; k++)
        if (tarr_get(&out, k) != expect[k]) ok = 0;
    CHECK_MSG(ok, "elements before the failing one are written");
    ok = 1;
    for (k = 5; k < 12; k++) {
        size_t b;
        for (b = 0; b < 8; b++)
            if (tarr_ptr(&out, k)[b] != TU_SENTINEL) ok = 0;
    }
    CHECK_MSG(ok, "elements from the failing one on are not written");
    CHECK(tarr_gaps_untouched(&out));

    /* Failure at the very first call writes nothing. */
    TU_CTX("callback failure at the first call");
    tarr_reset(&out);
    cb_state_init(&s);
    s.fail_at = 1;
    CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_NEAREST, 0.0,
                                    weighted_sum, &s, NULL),
                 NDI_ERR_CALLBACK_FAILED);
    CHECK(s.calls == 1);
    CHECK(tarr_untouched(&out));

    /* Failure at the last call: everything but the last element written. */
    TU_CTX("callback failure at the last call");
    tarr_reset(&out);
    cb_state_init(&s);
    s.fail_at = 12;
    CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_NEAREST, 0.0,
                                    weighted_sum, &s, NULL),
                 NDI_ERR_CALLBACK_FAILED);
    CHECK(s.calls == 12);
    CHECK_EQ(tarr_get(&out, 10), expect[10]);
    CHECK(tarr_ptr(&out, 11)[0] == TU_SENTINEL && tarr_ptr(&out, 11)[7] == TU_SENTINEL);

    /* A success after the failure clears the message. */
    TU_CTX("success after failure");
    CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_NEAREST, 0.0,
                                    plain_sum, NULL, NULL),
                 NDI_OK);
    tarr_free(&in);
    tarr_free(&out);
    tu_context[0] = '\0';
}

/* dtypes: conversions in and out. */
static void test_dtypes(void) {
    intptr_t shape[2] = {3, 4}, size[2] = {2, 3};
    static const ndi_dtype all[] = {NDI_DTYPE_BOOL,   NDI_DTYPE_INT8,    NDI_DTYPE_UINT8,
                                    NDI_DTYPE_INT16,  NDI_DTYPE_UINT16,  NDI_DTYPE_INT32,
                                    NDI_DTYPE_UINT32, NDI_DTYPE_INT64,   NDI_DTYPE_UINT64,
                                    NDI_DTYPE_FLOAT32, NDI_DTYPE_FLOAT64};
    size_t di, dout;
    intptr_t k;
    /* Every input dtype into every output dtype: non-negative small values, plain sum (fits
     * in int8: at most 6 * 18 = 108). bool input reads as 0/1. */
    for (di = 0; di < sizeof all / sizeof all[0]; di++) {
        for (dout = 0; dout < sizeof all / sizeof all[0]; dout++) {
            tarr in, out;
            TU_CTX("dtype %d -> %d", (int)all[di], (int)all[dout]);
            tarr_init(&in, all[di], 2, shape, (int)((di + dout) % LAY_COUNT));
            tarr_init(&out, all[dout], 2, shape, (int)((di + 2 * dout) % LAY_COUNT));
            for (k = 0; k < 12; k++)
                tarr_set(&in, k, all[di] == NDI_DTYPE_BOOL ? (double)(k % 3 != 0)
                                                            : nonneg_value(k, (int)di));
            /* a bool output stores the raw truncated byte: the sums stay below 128 */
            compare_with_reference(&in, &out, size, NULL, NULL, NDI_MODE_REFLECT, 0.0,
                                   plain_sum);
            tarr_free(&in);
            tarr_free(&out);
        }
    }
    /* bool input: a byte reads as its value (README: "a bool byte reads as its value, 0 or 1
     * for numpy bools, as in scipy") */
    {
        unsigned char b[4] = {0, 1, 7, 255};
        double out[4];
        intptr_t s1[1] = {4}, one[1] = {1};
        ndi_array a = tu_desc(b, NDI_DTYPE_BOOL, 1, s1, NULL);
        ndi_array o = tu_desc(out, NDI_DTYPE_FLOAT64, 1, s1, NULL);
        TU_CTX("bool input bytes");
        CHECK_STATUS(ndi_generic_filter(&a, &o, NULL, one, NULL, NDI_MODE_REFLECT, 0.0,
                                        plain_sum, NULL, NULL),
                     NDI_OK);
        CHECK(out[0] == 0.0 && out[1] == 1.0 && out[2] == 7.0 && out[3] == 255.0);
    }
    /* int64 input beyond 2^53 is read with a plain conversion (round to nearest even). */
    {
        int64_t v[2] = {((int64_t)1 << 53) + 1, -(((int64_t)1 << 53) + 3)};
        double out[2];
        intptr_t s1[1] = {2}, one[1] = {1};
        ndi_array a = tu_desc(v, NDI_DTYPE_INT64, 1, s1, NULL);
        ndi_array o = tu_desc(out, NDI_DTYPE_FLOAT64, 1, s1, NULL);
        TU_CTX("int64 input beyond 2^53");
        CHECK_STATUS(ndi_generic_filter(&a, &o, NULL, one, NULL, NDI_MODE_REFLECT, 0.0,
                                        plain_sum, NULL, NULL),
                     NDI_OK);
        CHECK_EQ(out[0], (double)v[0]);
        CHECK_EQ(out[1], (double)v[1]);
    }
    /* uint8 in, float64 out: the mean is not truncated. */
    {
        uint8_t in[5] = {0, 255, 3, 4, 200};
        double out[5];
        intptr_t s1[1] = {5}, three[1] = {3};
        ndi_array a = tu_desc(in, NDI_DTYPE_UINT8, 1, s1, NULL);
        ndi_array o = tu_desc(out, NDI_DTYPE_FLOAT64, 1, s1, NULL);
        TU_CTX("uint8 -> float64 mean");
        CHECK_STATUS(ndi_generic_filter(&a, &o, NULL, three, NULL, NDI_MODE_NEAREST, 0.0,
                                        mean_cb, NULL, NULL),
                     NDI_OK);
        CHECK_NEAR(out[0], (0.0 + 0.0 + 255.0) / 3.0, 1e-15);
        CHECK_NEAR(out[1], (0.0 + 255.0 + 3.0) / 3.0, 1e-15);
        CHECK_NEAR(out[4], (4.0 + 200.0 + 200.0) / 3.0, 1e-15);
    }
    tu_context[0] = '\0';
}

/* The README's store rule for values out of range and fractions (the filter rule). */
typedef struct {
    ndi_dtype dtype;
    double value;
    double expect; /* as read back by tu_load */
} conv_case;

static void test_store_rule(void) {
    const double two63 = 9223372036854775808.0;
    conv_case cases[] = {
        {NDI_DTYPE_INT16, 2.7, 2.0},
        {NDI_DTYPE_INT16, -2.7, -2.0},
        {NDI_DTYPE_INT16, 40000.0, 40000.0 - 65536.0},  /* low 16 bits of the int32 */
        {NDI_DTYPE_INT16, -40000.9, -40000.0 + 65536.0},
        {NDI_DTYPE_UINT8, 300.0, 44.0},                  /* README: 300 -> 44 */
        {NDI_DTYPE_UINT8, -3.7, 253.0},                  /* README: -3.7 -> 253 */
        {NDI_DTYPE_INT8, 200.0, 200.0 - 256.0},
        {NDI_DTYPE_UINT16, 70000.5, 70000.0 - 65536.0},
        {NDI_DTYPE_INT32, 3e9, -2147483648.0},           /* out of range: minimum */
        {NDI_DTYPE_INT32, -3e9, -2147483648.0},
        {NDI_DTYPE_INT32, -2147483648.9, -2147483648.0}, /* truncates into range */
        {NDI_DTYPE_INT32, 2147483647.9, 2147483647.0},
        {NDI_DTYPE_INT32, NAN, -2147483648.0},
        {NDI_DTYPE_INT32, INFINITY, -2147483648.0},
        {NDI_DTYPE_INT32, -INFINITY, -2147483648.0},
        {NDI_DTYPE_INT64, 1e19, -two63},
        {NDI_DTYPE_INT64, NAN, -two63},
        {NDI_DTYPE_INT64, -1e3 - 0.5, -1000.0},
        {NDI_DTYPE_UINT32, 5e9, 5e9 - 4294967296.0},     /* low 32 bits of the int64 */
        {NDI_DTYPE_UINT32, -1.5, 4294967295.0},          /* int64 -1 -> 0xffffffff */
        {NDI_DTYPE_UINT64, 1e19, 1e19},                  /* >= 2^63 via v - 2^63 */
        {NDI_DTYPE_UINT64, two63, two63},
        {NDI_DTYPE_UINT64, NAN, two63},
        {NDI_DTYPE_UINT64, INFINITY, 0.0},
        {NDI_DTYPE_UINT64, 12345.9, 12345.0},
        {NDI_DTYPE_BOOL, 3.0, 3.0},                      /* raw truncated byte */
        {NDI_DTYPE_BOOL, 2.9, 2.0},
        {NDI_DTYPE_FLOAT32, 0.1, (double)0.1f},
        {NDI_DTYPE_FLOAT32, 1e40, (double)INFINITY},
        {NDI_DTYPE_FLOAT64, -0.3, -0.3},
    };
    size_t c;
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double in = 0.0;
        unsigned char out[16];
        intptr_t s1[1] = {1}, one[1] = {1};
        ndi_array a = tu_desc(&in, NDI_DTYPE_FLOAT64, 1, s1, NULL);
        ndi_array o = tu_desc(out, cases[c].dtype, 1, s1, NULL);
        TU_CTX("store %.17g as dtype %d", cases[c].value, (int)cases[c].dtype);
        memset(out, TU_SENTINEL, sizeof out);
        CHECK_STATUS(ndi_generic_filter(&a, &o, NULL, one, NULL, NDI_MODE_REFLECT, 0.0,
                                        constant_cb, &cases[c].value, NULL),
                     NDI_OK);
        CHECK_EQ(tu_load(cases[c].dtype, out), cases[c].expect);
        CHECK(out[tu_item_size(cases[c].dtype)] == TU_SENTINEL);
    }
    /* uint64 exactly. generic_filter stores a negative v as the negation of its magnitude's
     * conversion (README): -1.5 -> -(1) = 2^64 - 1, -1e19 -> 2^64 - 1e19, -1e20 and -inf -> 0
     * (the magnitude's conversion is 0: >= 2^64, or +inf). */
    {
        static const double vals[] = {1e19, 9223372036854775808.0, -1.5, -1e19, -1e20,
                                      -INFINITY, -0.5};
        static const uint64_t want[] = {UINT64_C(10000000000000000000),
                                        UINT64_C(9223372036854775808), UINT64_MAX,
                                        UINT64_C(8446744073709551616), 0, 0, 0};
        size_t i;
        for (i = 0; i < sizeof vals / sizeof vals[0]; i++) {
            double in = 0.0, v = vals[i];
            uint64_t out = 12345;
            intptr_t s1[1] = {1}, one[1] = {1};
            ndi_array a = tu_desc(&in, NDI_DTYPE_FLOAT64, 1, s1, NULL);
            ndi_array o = tu_desc(&out, NDI_DTYPE_UINT64, 1, s1, NULL);
            TU_CTX("uint64 exact, %.17g", v);
            CHECK_STATUS(ndi_generic_filter(&a, &o, NULL, one, NULL, NDI_MODE_REFLECT, 0.0,
                                            constant_cb, &v, NULL),
                         NDI_OK);
            CHECK_MSG(out == want[i], "got %llu, want %llu", (unsigned long long)out,
                      (unsigned long long)want[i]);
        }
    }
    /* float64 in, int16 out through a mean: truncation toward zero of each mean */
    {
        double in[4] = {1.0, 2.0, -4.0, -6.0};
        int16_t out[4];
        intptr_t s1[1] = {4}, two[1] = {2};
        ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, s1, NULL);
        ndi_array o = tu_desc(out, NDI_DTYPE_INT16, 1, s1, NULL);
        TU_CTX("float64 mean -> int16");
        /* size 2, origin 0: window [i-1, i]; nearest */
        CHECK_STATUS(ndi_generic_filter(&a, &o, NULL, two, NULL, NDI_MODE_NEAREST, 0.0,
                                        mean_cb, NULL, NULL),
                     NDI_OK);
        CHECK(out[0] == 1);  /* (1+1)/2 = 1 */
        CHECK(out[1] == 1);  /* 1.5 -> 1 */
        CHECK(out[2] == -1); /* -1 -> -1 */
        CHECK(out[3] == -5); /* -5 */
    }
    tu_context[0] = '\0';
}

/* Zero-size arrays: no callback, NDI_OK, nothing written; data may be NULL. */
static void test_empty(void) {
    static const intptr_t shapes[][3] = {{0, 0, 0}, {3, 0, 0}, {0, 4, 0}, {2, 0, 3}};
    static const int ranks[] = {1, 2, 2, 3};
    intptr_t size[3] = {3, 3, 3};
    size_t c;
    for (c = 0; c < sizeof ranks / sizeof ranks[0]; c++) {
        tarr in, out;
        long calls = 0;
        ndi_array a, b;
        intptr_t zero_strides[3] = {0, 0, 0};
        TU_CTX("empty case %d", (int)c);
        tarr_init(&in, NDI_DTYPE_FLOAT64, ranks[c], shapes[c], LAY_C);
        tarr_init(&out, NDI_DTYPE_INT32, ranks[c], shapes[c], LAY_F);
        CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_REFLECT,
                                        0.0, count_calls, &calls, NULL),
                     NDI_OK);
        CHECK(calls == 0);
        CHECK(tarr_untouched(&out));
        a = tu_desc(NULL, NDI_DTYPE_FLOAT64, ranks[c], shapes[c], NULL);
        b = tu_desc(NULL, NDI_DTYPE_UINT8, ranks[c], shapes[c], zero_strides);
        CHECK_STATUS(ndi_generic_filter(&a, &b, NULL, size, NULL, NDI_MODE_WRAP, 0.0,
                                        count_calls, &calls, NULL),
                     NDI_OK);
        CHECK(calls == 0);
        tarr_free(&in);
        tarr_free(&out);
    }
    tu_context[0] = '\0';
}

/* Input and output memory that overlap give the result of separate memory. */
static void test_overlap(void) {
    intptr_t shape[2] = {4, 5}, size[2] = {3, 3};
    double orig[20], expect[20], buf[26];
    unsigned char mask[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
    intptr_t k;
    cb_state s;
    ndi_array a, b;
    int ok, shift;
    for (k = 0; k < 20; k++) orig[k] = test_value(k, 4);
    cb_state_init(&s);
    ref_generic_filter(orig, 2, shape, size, mask, NULL, NDI_MODE_REFLECT, 0.0, weighted_sum, &s,
                       expect);
    /* the same memory (in place) */
    TU_CTX("in place");
    memcpy(buf, orig, sizeof orig);
    a = tu_desc(buf, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    cb_state_init(&s);
    CHECK_STATUS(ndi_generic_filter(&a, &a, NULL, size, NULL, NDI_MODE_REFLECT, 0.0,
                                    weighted_sum, &s, NULL),
                 NDI_OK);
    ok = 1;
    for (k = 0; k < 20; k++)
        if (buf[k] != expect[k]) ok = 0;
    CHECK(ok);
    /* output shifted by +-1..3 elements from the input */
    for (shift = -3; shift <= 3; shift++) {
        TU_CTX("overlap shifted by %d", shift);
        for (k = 0; k < 26; k++) buf[k] = -999.0;
        memcpy(buf + 3, orig, sizeof orig);
        a = tu_desc(buf + 3, NDI_DTYPE_FLOAT64, 2, shape, NULL);
        b = tu_desc(buf + 3 + shift, NDI_DTYPE_FLOAT64, 2, shape, NULL);
        cb_state_init(&s);
        CHECK_STATUS(ndi_generic_filter(&a, &b, NULL, size, NULL, NDI_MODE_REFLECT, 0.0,
                                        weighted_sum, &s, NULL),
                     NDI_OK);
        ok = 1;
        for (k = 0; k < 20; k++)
            if (buf[3 + shift + k] != expect[k]) ok = 0;
        CHECK(ok);
    }
    /* a footprint stored in the output's memory is read before anything is written */
    {
        double o[6] = {1, 0, 1, 0, 0, 0}, in6[6] = {1, 2, 3, 4, 5, 6};
        intptr_t s6[1] = {6}, s3[1] = {3};
        ndi_array a6 = tu_desc(in6, NDI_DTYPE_FLOAT64, 1, s6, NULL);
        ndi_array b6 = tu_desc(o, NDI_DTYPE_FLOAT64, 1, s6, NULL);
        ndi_array fp = tu_desc(o, NDI_DTYPE_FLOAT64, 1, s3, NULL); /* mask {1, 0, 1} */
        TU_CTX("footprint inside the output");
        CHECK_STATUS(ndi_generic_filter(&a6, &b6, &fp, NULL, NULL, NDI_MODE_NEAREST, 0.0,
                                        plain_sum, NULL, NULL),
                     NDI_OK);
        /* window {i-1, i+1} */
        CHECK(o[0] == 1 + 2 && o[1] == 1 + 3 && o[2] == 2 + 4 && o[5] == 5 + 6);
    }
    /* input read backwards over the same memory the output is written forwards */
    {
        intptr_t s1[1] = {20}, neg[1] = {-8}, five[1] = {5};
        double rev[20], exp1[20];
        unsigned char m5[5] = {1, 1, 1, 1, 1};
        TU_CTX("overlap, reversed input");
        for (k = 0; k < 20; k++) {
            buf[k] = orig[k];
            rev[k] = orig[19 - k];
        }
        cb_state_init(&s);
        ref_generic_filter(rev, 1, s1, five, m5, NULL, NDI_MODE_MIRROR, 0.0, weighted_sum, &s,
                           exp1);
        a = tu_desc(buf + 19, NDI_DTYPE_FLOAT64, 1, s1, neg);
        b = tu_desc(buf, NDI_DTYPE_FLOAT64, 1, s1, NULL);
        CHECK_STATUS(ndi_generic_filter(&a, &b, NULL, five, NULL, NDI_MODE_MIRROR, 0.0,
                                        weighted_sum, &s, NULL),
                     NDI_OK);
        ok = 1;
        for (k = 0; k < 20; k++)
            if (buf[k] != exp1[k]) ok = 0;
        CHECK(ok);
    }
    /* float32 output inside a float64 input's bytes */
    {
        intptr_t s1[1] = {6}, three[1] = {3};
        double d[6], exp1[6], vals[6];
        unsigned char m3[3] = {1, 1, 1};
        TU_CTX("overlap, different dtypes");
        for (k = 0; k < 6; k++) vals[k] = d[k] = test_value(k, 8);
        cb_state_init(&s);
        ref_generic_filter(vals, 1, s1, three, m3, NULL, NDI_MODE_NEAREST, 0.0, weighted_sum,
                           &s, exp1);
        a = tu_desc(d, NDI_DTYPE_FLOAT64, 1, s1, NULL);
        b = tu_desc((unsigned char *)d + 4, NDI_DTYPE_FLOAT32, 1, s1, NULL);
        CHECK_STATUS(ndi_generic_filter(&a, &b, NULL, three, NULL, NDI_MODE_NEAREST, 0.0,
                                        weighted_sum, &s, NULL),
                     NDI_OK);
        ok = 1;
        for (k = 0; k < 6; k++) {
            float f;
            memcpy(&f, (unsigned char *)d + 4 + 4 * k, 4);
            if ((double)f != (double)(float)exp1[k]) ok = 0;
        }
        CHECK(ok);
    }
    tu_context[0] = '\0';
}

/* Input strides of 0 (broadcast) are fine; output zero stride on an axis of length 1 too. */
static void test_zero_strides(void) {
    double row[4] = {1, 2, 3, 4}, out[3][4], expect[12], vals[12];
    intptr_t shape[2] = {3, 4}, in_strides[2] = {0, 8}, size[2] = {3, 2};
    unsigned char mask[6] = {1, 1, 1, 1, 1, 1};
    ndi_array a = tu_desc(row, NDI_DTYPE_FLOAT64, 2, shape, in_strides);
    ndi_array b = tu_desc(out, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    cb_state s;
    intptr_t k;
    int ok = 1;
    TU_CTX("broadcast input");
    for (k = 0; k < 12; k++) vals[k] = row[k % 4];
    cb_state_init(&s);
    ref_generic_filter(vals, 2, shape, size, mask, NULL, NDI_MODE_CONSTANT, 0.5, weighted_sum,
                       &s, expect);
    CHECK_STATUS(ndi_generic_filter(&a, &b, NULL, size, NULL, NDI_MODE_CONSTANT, 0.5,
                                    weighted_sum, &s, NULL),
                 NDI_OK);
    for (k = 0; k < 12; k++)
        if (out[k / 4][k % 4] != expect[k]) ok = 0;
    CHECK(ok);
    CHECK(row[0] == 1 && row[3] == 4);
    {
        intptr_t s2[2] = {1, 4}, st[2] = {0, 8}, sz[2] = {1, 3};
        double o[4];
        ndi_array a2 = tu_desc(row, NDI_DTYPE_FLOAT64, 2, s2, NULL);
        ndi_array b2 = tu_desc(o, NDI_DTYPE_FLOAT64, 2, s2, st);
        TU_CTX("zero output stride on a length-1 axis");
        CHECK_STATUS(ndi_generic_filter(&a2, &b2, NULL, sz, NULL, NDI_MODE_NEAREST, 0.0,
                                        plain_sum, NULL, NULL),
                     NDI_OK);
        CHECK(o[0] == 4.0 && o[1] == 6.0 && o[2] == 9.0 && o[3] == 11.0);
    }
    tu_context[0] = '\0';
}

/* ------------------------------------------------------------------------------------------ */
/* Errors: every validation, the output untouched each time.                                  */

typedef struct {
    ndi_array in, out, fp;
    const ndi_array *in_p, *out_p, *fp_p;
    const intptr_t *size, *origins;
    int mode;
    ndi_filter_func cb;
    const ndi_options *options;
} gf_args;

static tarr g_in, g_out, g_fp;
static intptr_t g_size[2] = {3, 3};
static long g_calls;

static void gf_defaults(gf_args *a) {
    a->in = g_in.arr;
    a->out = g_out.arr;
    a->fp = g_fp.arr;
    a->in_p = &a->in;
    a->out_p = &a->out;
    a->fp_p = NULL;
    a->size = g_size;
    a->origins = NULL;
    a->mode = NDI_MODE_REFLECT;
    a->cb = count_calls;
    a->options = NULL;
}

static void gf_expect(const gf_args *a, ndi_status expected, const char *what, int line) {
    ndi_status st;
    TU_CTX("error case '%s' (line %d)", what, line);
    tarr_reset(&g_out);
    g_calls = 0;
    st = ndi_generic_filter(a->in_p, a->out_p, a->fp_p, a->size, a->origins, a->mode, 1.0, a->cb,
                            &g_calls, a->options);
    tu_check_status(st, expected, what, __FILE__, line);
    if (expected != NDI_OK) {
        CHECK_MESSAGE_HAS("ndi_generic_filter");
        CHECK_MSG(tarr_untouched(&g_out), "output written on error");
        CHECK(g_calls == 0);
    }
    CHECK(tarr_gaps_untouched(&g_in));
}

#define EXPECT(a, status, what) gf_expect(&(a), (status), (what), __LINE__)

static void test_errors(void) {
    intptr_t shape[2] = {3, 4}, fshape[2] = {3, 2};
    intptr_t big_shape[NDI_MAX_RANK + 1];
    gf_args a;
    int i;
    tarr_init(&g_in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    for (i = 0; i < 12; i++) tarr_set(&g_in, i, (double)i);
    tarr_init(&g_out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&g_fp, NDI_DTYPE_UINT8, 2, fshape, LAY_C);
    for (i = 0; i < 6; i++) tarr_set(&g_fp, i, 1.0);
    for (i = 0; i < NDI_MAX_RANK + 1; i++) big_shape[i] = 1;

    gf_defaults(&a);
    EXPECT(a, NDI_OK, "valid call");

    /* NULL pointers, ranks, shapes, strides, dtype and mode codes, orders, options: the
     * error matrix (test_error_matrix.c). Here: what is particular to this function. */

    /* dtypes */
    gf_defaults(&a); a.in.dtype = NDI_DTYPE_COMPLEX64; a.in.strides = NULL;
    EXPECT(a, NDI_ERR_INVALID_ARRAY, "complex64 input");
    gf_defaults(&a); a.in.dtype = NDI_DTYPE_COMPLEX128; a.in.strides = NULL;
    a.in.shape = fshape; /* 3x2 complex128 = 96 bytes fit the 96-byte input */
    a.out.shape = fshape; a.out.strides = NULL;
    EXPECT(a, NDI_ERR_INVALID_ARRAY, "complex128 input");
    gf_defaults(&a); a.out.dtype = NDI_DTYPE_COMPLEX128; a.out.shape = fshape;
    a.out.strides = NULL; a.in.shape = fshape; a.in.strides = NULL;
    EXPECT(a, NDI_ERR_INVALID_ARRAY, "complex128 output");
    gf_defaults(&a); a.fp_p = &a.fp; a.fp.dtype = NDI_DTYPE_COMPLEX64; a.fp.strides = NULL;
    a.fp.shape = big_shape; /* 1x1: 8 bytes of the 6-byte footprint would be too many */
    {
        static uint64_t complex_fp = 0x3f800000; /* 1.0f + 0i */
        a.fp.data = &complex_fp;
        EXPECT(a, NDI_ERR_INVALID_ARRAY, "complex64 footprint");
    }


    /* origins: for fs 3 the range is -1..1, for fs 2 (footprint axis 1) -1..0 */
    {
        intptr_t o[2];
        o[0] = 2; o[1] = 0;
        gf_defaults(&a); a.origins = o; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin 2, size 3");
        o[0] = -2; o[1] = 0;
        gf_defaults(&a); a.origins = o; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin -2, size 3");
        o[0] = 1; o[1] = -1;
        gf_defaults(&a); a.origins = o; EXPECT(a, NDI_OK, "origins 1, -1, size 3");
        o[0] = 0; o[1] = 1;
        gf_defaults(&a); a.fp_p = &a.fp; a.origins = o;
        EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin 1, footprint extent 2");
        o[0] = 0; o[1] = -1;
        gf_defaults(&a); a.fp_p = &a.fp; a.origins = o;
        EXPECT(a, NDI_OK, "origin -1, footprint extent 2");
        o[0] = 0; o[1] = -2;
        gf_defaults(&a); a.fp_p = &a.fp; a.origins = o;
        EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin -2, footprint extent 2");
        o[0] = INTPTR_MAX; o[1] = 0;
        gf_defaults(&a); a.origins = o;
        EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin INTPTR_MAX");
        o[0] = INTPTR_MIN; o[1] = 0;
        gf_defaults(&a); a.origins = o;
        EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin INTPTR_MIN");
    }


    /* The input is never written, even on success. */
    gf_defaults(&a);
    EXPECT(a, NDI_OK, "valid call again");
    for (i = 0; i < 12; i++) CHECK_EQ(tarr_get(&g_in, i), (double)i);

    tarr_free(&g_in);
    tarr_free(&g_out);
    tarr_free(&g_fp);
    tu_context[0] = '\0';
}

#include <sys/wait.h>
#include <unistd.h>

/* A box far larger than memory must fail with a status (NDI_ERR_OUT_OF_MEMORY, or an argument
 * error) instead of aborting the process (as an unchecked allocation would, for sizes from
 * about 2^32 up to 2^59); the call runs in a child process so that an abort is seen as a
 * failed check. */
static void test_huge_size(void) {
    static const int shifts[] = {36, 44, 59};
    size_t i;
    for (i = 0; i < sizeof shifts / sizeof shifts[0]; i++) {
        pid_t pid;
        int wstatus = 0;
        TU_CTX("size 2^%d on a 3-element input", shifts[i]);
        fflush(NULL);
        pid = fork();
        if (pid == 0) {
            double in[3] = {1, 2, 3}, out[3] = {0, 0, 0};
            intptr_t shape[1] = {3}, size[1];
            ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, shape, NULL);
            ndi_array b = tu_desc(out, NDI_DTYPE_FLOAT64, 1, shape, NULL);
            ndi_status st;
            size[0] = (intptr_t)1 << shifts[i];
            st = ndi_generic_filter(&a, &b, NULL, size, NULL, NDI_MODE_REFLECT, 0.0, plain_sum,
                                    NULL, NULL);
            _exit((st == NDI_ERR_OUT_OF_MEMORY || st == NDI_ERR_INVALID_ARGUMENT) &&
                          out[0] == 0.0
                      ? 0
                      : 1);
        }
        CHECK(pid > 0);
        if (pid <= 0) continue;
        CHECK(waitpid(pid, &wstatus, 0) == pid);
        CHECK_MSG(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0,
                  "child %s %d", WIFSIGNALED(wstatus) ? "killed by signal" : "exited with",
                  WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : WEXITSTATUS(wstatus));
    }
    tu_context[0] = '\0';
}

int main(void) {
    test_readme_example();
    test_box_sum_reflect_loop();
    test_modes_and_layouts();
    test_ranks();
    test_high_rank();
    test_footprints();
    test_origin_limits();
    test_callbacks();
    test_dtypes();
    test_store_rule();
    test_empty();
    test_overlap();
    test_zero_strides();
    test_errors();
    test_huge_size();
    return TU_DONE();
}
