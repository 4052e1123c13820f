/* Tests of ndi_generic_filter1d: results against a reference written here, line order, the
 * callback's buffers, user_data, failures, layouts, dtypes, and every validation error. */
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

/* The filter the tests use: out[i] = scale * sum_k (k + 1) * line[i + k], k < fs (order
 * sensitive), plus a line-dependent offset so that mixed-up lines show. */
typedef struct {
    long calls;
    long fail_at;
    double scale;
    intptr_t fs;            /* expected filter size */
    long bad_length;        /* calls where input_length != output_length + fs - 1 */
    long bad_output_entry;  /* calls where output_line did not hold the previous values */
    double *prev;           /* what the previous call wrote */
    intptr_t prev_len;
    double first_values[64];/* line[before] of each call, to check the line order */
    intptr_t before;
} f1_state;

static void f1_init(f1_state *s, intptr_t fs, intptr_t before) {
    memset(s, 0, sizeof *s);
    s->scale = 1.0;
    s->fs = fs;
    s->before = before;
}

static int f1_weighted(double *line, intptr_t in_len, double *out, intptr_t out_len, void *ud) {
    f1_state *s = (f1_state *)ud;
    intptr_t i, k;
    s->calls++;
    if (in_len != out_len + s->fs - 1) s->bad_length++;
    /* output_line: zeros on the first call, then the previous call's values */
    for (i = 0; i < out_len; i++) {
        double want = (s->prev && s->prev_len == out_len) ? s->prev[i] : 0.0;
        if (out[i] != want) {
            s->bad_output_entry++;
            break;
        }
    }
    if (s->calls <= 64) s->first_values[s->calls - 1] = line[s->before];
    if (s->fail_at && s->calls == s->fail_at) return 0;
    for (i = 0; i < out_len; i++) {
        double acc = 0.0;
        for (k = 0; k < s->fs; k++) acc += (double)(k + 1) * line[i + k];
        out[i] = acc * s->scale;
    }
    free(s->prev);
    s->prev = (double *)malloc(sizeof(double) * (size_t)(out_len > 0 ? out_len : 1));
    memcpy(s->prev, out, sizeof(double) * (size_t)out_len);
    s->prev_len = out_len;
    return 1;
}

static void f1_free(f1_state *s) {
    free(s->prev);
    s->prev = NULL;
}

/* Reference: for every line along `axis` (other axes in C order), extend it by the mode with
 * `before = fs/2 + origin` samples in front, and apply the weighted sum. */
static void ref_filter1d(const double *in, int rank, const intptr_t *shape, int axis,
                         intptr_t fs, intptr_t origin, int mode, double cval, double scale,
                         double *out) {
    intptr_t len = 1, k, j;
    intptr_t before = fs / 2 + origin;
    int a;
    for (a = 0; a < rank; a++) len *= shape[a];
    for (k = 0; k < len; k++) {
        /* k indexes the output element; compute its index and the line's values */
        intptr_t idx[NDI_MAX_RANK], rem = k;
        double acc = 0.0;
        for (a = rank - 1; a >= 0; a--) {
            idx[a] = rem % shape[a];
            rem /= shape[a];
        }
        for (j = 0; j < fs; j++) {
            intptr_t p = ref_map(idx[axis] + j - before, shape[axis], mode);
            double v;
            if (p < 0) {
                v = cval;
            } else {
                intptr_t src = 0;
                for (a = 0; a < rank; a++) src = src * shape[a] + (a == axis ? p : idx[a]);
                v = in[src];
            }
            acc += (double)(j + 1) * v;
        }
        out[k] = acc * scale;
    }
}

static double test_value(intptr_t k, int salt) {
    return (double)((k * 7 + salt * 3 + (k * k) % 5) % 23) - 5.0;
}

/* Library vs reference for one configuration. */
static void compare(tarr *in, tarr *out, int axis, intptr_t fs, intptr_t origin, int mode,
                    double cval) {
    int rank = in->rank;
    int ax = axis < 0 ? axis + rank : axis;
    intptr_t k, lines;
    double *vals = (double *)malloc(sizeof(double) * (size_t)(in->len > 0 ? in->len : 1));
    double *expect = (double *)malloc(sizeof(double) * (size_t)(in->len > 0 ? in->len : 1));
    f1_state s;
    int ok = 1;
    for (k = 0; k < in->len; k++) vals[k] = tarr_get(in, k);
    ref_filter1d(vals, rank, in->shape, ax, fs, origin, mode, cval, 0.5, expect);
    f1_init(&s, fs, fs / 2 + origin);
    s.scale = 0.5;
    CHECK_STATUS(ndi_generic_filter1d(&in->arr, &out->arr, fs, axis, origin, mode, cval,
                                      f1_weighted, &s, NULL),
                 NDI_OK);
    for (k = 0; k < in->len; k++) {
        double want = tu_truncated(out->arr.dtype, expect[k]);
        if (tarr_get(out, k) != want) {
            if (ok)
                fprintf(stderr, "  element %ld: got %.17g want %.17g\n", (long)k,
                        tarr_get(out, k), want);
            ok = 0;
        }
    }
    CHECK_MSG(ok, "library result differs from the reference");
    lines = in->shape[ax] > 0 ? in->len / in->shape[ax] : 0;
    CHECK(s.calls == lines);
    CHECK(s.bad_length == 0);
    CHECK(s.bad_output_entry == 0);
    CHECK(tarr_gaps_untouched(out));
    f1_free(&s);
    free(vals);
    free(expect);
}

static void test_results(void) {
    static const intptr_t shapes[][4] = {{9, 0, 0, 0}, {1, 0, 0, 0}, {3, 5, 0, 0},
                                         {2, 3, 4, 0}, {2, 1, 3, 2}, {4, 1, 1, 1}};
    static const int ranks[] = {1, 1, 2, 3, 4, 4};
    static const int axes[] = {0, -1, 1, -2, 2, 0};
    static const intptr_t sizes[] = {4, 3, 5, 2, 3, 7};
    static const intptr_t origins[] = {-2, 1, 2, 0, -1, 3};
    size_t c;
    int mode, layout;
    intptr_t k;
    for (c = 0; c < sizeof ranks / sizeof ranks[0]; c++) {
        for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
            for (layout = 0; layout < LAY_COUNT; layout++) {
                tarr in, out;
                TU_CTX("case %d, mode %d, layout %s", (int)c, mode, tu_layout_name(layout));
                tarr_init(&in, NDI_DTYPE_FLOAT64, ranks[c], shapes[c], layout);
                tarr_init(&out, NDI_DTYPE_FLOAT64, ranks[c], shapes[c],
                          (layout + 3) % LAY_COUNT);
                for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, (int)c + mode));
                compare(&in, &out, axes[c], sizes[c], origins[c], mode, -3.25);
                tarr_free(&in);
                tarr_free(&out);
            }
        }
    }
    /* every axis of a 3-D array, both signs, and a window much wider than the axis */
    {
        intptr_t shape[3] = {3, 2, 4};
        int axis;
        for (axis = -3; axis < 3; axis++) {
            for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
                tarr in, out;
                TU_CTX("axis %d, mode %d", axis, mode);
                tarr_init(&in, NDI_DTYPE_INT16, 3, shape, LAY_F);
                tarr_init(&out, NDI_DTYPE_FLOAT64, 3, shape, LAY_NEG);
                for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, axis + 7));
                compare(&in, &out, axis, 11, -5, mode, 4.0);
                compare(&in, &out, axis, 1, 0, mode, 4.0);
                tarr_free(&in);
                tarr_free(&out);
            }
        }
    }
    tu_context[0] = '\0';
}

/* A hand-checked case: sum over 3 neighbours with mirror mode on [1 2 3 4]:
 * extended  2 | 1 2 3 4 | 3, sums 5 6 9 10 (weights 1,1,1 via user_data scale...). Here the
 * weighted filter with fs 3: out[i] = 0.5 * (1*x[i-1] + 2*x[i] + 3*x[i+1]). */
static void test_hand_checked(void) {
    double in[4] = {1, 2, 3, 4}, out[4];
    intptr_t shape[1] = {4};
    ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    ndi_array b = tu_desc(out, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    f1_state s;
    TU_CTX("hand-checked mirror");
    f1_init(&s, 3, 1);
    s.scale = 0.5;
    CHECK_STATUS(ndi_generic_filter1d(&a, &b, 3, 0, 0, NDI_MODE_MIRROR, 0.0, f1_weighted, &s,
                                      NULL),
                 NDI_OK);
    CHECK_EQ(out[0], 0.5 * (2 + 2 * 1 + 3 * 2));
    CHECK_EQ(out[1], 0.5 * (1 + 2 * 2 + 3 * 3));
    CHECK_EQ(out[2], 0.5 * (2 + 2 * 3 + 3 * 4));
    CHECK_EQ(out[3], 0.5 * (3 + 2 * 4 + 3 * 3));
    f1_free(&s);
    /* constant mode, origin -1 (window [i, i+2]) and cval 10 */
    TU_CTX("hand-checked constant, origin -1");
    f1_init(&s, 3, 0);
    s.scale = 1.0;
    CHECK_STATUS(ndi_generic_filter1d(&a, &b, 3, 0, -1, NDI_MODE_CONSTANT, 10.0, f1_weighted,
                                      &s, NULL),
                 NDI_OK);
    CHECK_EQ(out[0], 1 + 2 * 2 + 3 * 3);
    CHECK_EQ(out[2], 3 + 2 * 4 + 3 * 10);
    CHECK_EQ(out[3], 4 + 2 * 10 + 3 * 10);
    f1_free(&s);
    tu_context[0] = '\0';
}

/* Lines are processed in C order of the other axes; user_data parameters arrive; failures
 * stop at once with the earlier lines written. */
static void test_callbacks(void) {
    intptr_t shape[3] = {4, 3, 2};
    tarr in, out;
    intptr_t k;
    f1_state s;
    int ok, line;
    double vals[24], expect[24];
    tarr_init(&in, NDI_DTYPE_FLOAT64, 3, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 3, shape, LAY_C);
    /* in[i][j][k] = 100 i + 10 j + k */
    for (k = 0; k < 24; k++) {
        vals[k] = 100.0 * (double)(k / 6) + 10.0 * (double)((k / 2) % 3) + (double)(k % 2);
        tarr_set(&in, k, vals[k]);
    }
    TU_CTX("line order along axis 0");
    f1_init(&s, 3, 1);
    CHECK_STATUS(ndi_generic_filter1d(&in.arr, &out.arr, 3, 0, 0, NDI_MODE_NEAREST, 0.0,
                                      f1_weighted, &s, NULL),
                 NDI_OK);
    CHECK(s.calls == 6);
    ok = 1;
    for (line = 0; line < 6; line++) /* lines (j, k) in C order: line[before] = in[0][j][k] */
        if (s.first_values[line] != 10.0 * (line / 2) + (line % 2)) ok = 0;
    CHECK(ok);
    f1_free(&s);

    TU_CTX("line order along axis 1");
    f1_init(&s, 2, 1);
    CHECK_STATUS(ndi_generic_filter1d(&in.arr, &out.arr, 2, 1, 0, NDI_MODE_NEAREST, 0.0,
                                      f1_weighted, &s, NULL),
                 NDI_OK);
    CHECK(s.calls == 8);
    ok = 1;
    for (line = 0; line < 8; line++) /* lines (i, k): in[i][0][k] */
        if (s.first_values[line] != 100.0 * (line / 2) + (line % 2)) ok = 0;
    CHECK(ok);
    f1_free(&s);

    TU_CTX("user_data scale");
    f1_init(&s, 2, 1);
    s.scale = -3.0;
    CHECK_STATUS(ndi_generic_filter1d(&in.arr, &out.arr, 2, -1, 0, NDI_MODE_REFLECT, 0.0,
                                      f1_weighted, &s, NULL),
                 NDI_OK);
    ref_filter1d(vals, 3, shape, 2, 2, 0, NDI_MODE_REFLECT, 0.0, -3.0, expect);
    ok = 1;
    for (k = 0; k < 24; k++)
        if (tarr_get(&out, k) != expect[k]) ok = 0;
    CHECK(ok);
    f1_free(&s);

    /* failure on the 4th of 6 lines (axis 0): lines 0..2 written, 3..5 untouched */
    TU_CTX("callback failure");
    tarr_reset(&out);
    f1_init(&s, 3, 1);
    s.fail_at = 4;
    s.scale = 0.5;
    CHECK_STATUS(ndi_generic_filter1d(&in.arr, &out.arr, 3, 0, 0, NDI_MODE_WRAP, 0.0,
                                      f1_weighted, &s, NULL),
                 NDI_ERR_CALLBACK_FAILED);
    CHECK_MESSAGE_HAS("callback");
    CHECK_MESSAGE_HAS("ndi_generic_filter1d");
    CHECK(s.calls == 4);
    ref_filter1d(vals, 3, shape, 0, 3, 0, NDI_MODE_WRAP, 0.0, 0.5, expect);
    ok = 1;
    for (k = 0; k < 24; k++) {
        int line_of_k = (int)(k % 6); /* (j, k) pair of the element */
        if (line_of_k < 3) {
            if (tarr_get(&out, k) != expect[k]) ok = 0;
        } else {
            size_t b;
            for (b = 0; b < 8; b++)
                if (tarr_ptr(&out, k)[b] != TU_SENTINEL) ok = 0;
        }
    }
    CHECK_MSG(ok, "earlier lines written, later lines untouched");
    f1_free(&s);

    TU_CTX("callback failure on the first line");
    tarr_reset(&out);
    f1_init(&s, 3, 1);
    s.fail_at = 1;
    CHECK_STATUS(ndi_generic_filter1d(&in.arr, &out.arr, 3, 0, 0, NDI_MODE_WRAP, 0.0,
                                      f1_weighted, &s, NULL),
                 NDI_ERR_CALLBACK_FAILED);
    CHECK(s.calls == 1);
    CHECK(tarr_untouched(&out));
    f1_free(&s);
    tarr_free(&in);
    tarr_free(&out);
    tu_context[0] = '\0';
}

static void test_dtypes(void) {
    static const ndi_dtype all[] = {NDI_DTYPE_INT8,   NDI_DTYPE_UINT8,  NDI_DTYPE_INT16,
                                    NDI_DTYPE_UINT16, NDI_DTYPE_INT32,  NDI_DTYPE_UINT32,
                                    NDI_DTYPE_INT64,  NDI_DTYPE_UINT64, NDI_DTYPE_FLOAT32,
                                    NDI_DTYPE_FLOAT64};
    intptr_t shape[2] = {3, 4};
    size_t di, dout;
    intptr_t k;
    for (di = 0; di < sizeof all / sizeof all[0]; di++) {
        for (dout = 0; dout < sizeof all / sizeof all[0]; dout++) {
            tarr in, out;
            TU_CTX("dtype %d -> %d", (int)all[di], (int)all[dout]);
            tarr_init(&in, all[di], 2, shape, (int)(di % LAY_COUNT));
            tarr_init(&out, all[dout], 2, shape, (int)(dout % LAY_COUNT));
            /* non-negative values: 0.5 * (1a + 2b) <= 0.5 * 3 * 18 = 27, fits every type */
            for (k = 0; k < 12; k++) tarr_set(&in, k, (double)((k * 5 + 3) % 19));
            compare(&in, &out, 1, 2, 0, NDI_MODE_NEAREST, 0.0);
            tarr_free(&in);
            tarr_free(&out);
        }
    }
    /* float64 in, int16 out: truncation toward zero; uint8 out: README's wrap rule */
    {
        double in[3] = {5.0, -7.0, 601.0};
        int16_t o16[3];
        uint8_t o8[3];
        intptr_t s1[1] = {3};
        ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, s1, NULL);
        ndi_array b = tu_desc(o16, NDI_DTYPE_INT16, 1, s1, NULL);
        ndi_array c = tu_desc(o8, NDI_DTYPE_UINT8, 1, s1, NULL);
        f1_state s;
        TU_CTX("truncation");
        f1_init(&s, 1, 0);
        s.scale = 0.5; /* out = 0.5 * x: 2.5, -3.5, 300.5 */
        CHECK_STATUS(ndi_generic_filter1d(&a, &b, 1, 0, 0, NDI_MODE_NEAREST, 0.0, f1_weighted,
                                          &s, NULL),
                     NDI_OK);
        CHECK(o16[0] == 2 && o16[1] == -3 && o16[2] == 300);
        f1_free(&s);
        f1_init(&s, 1, 0);
        s.scale = 0.5;
        CHECK_STATUS(ndi_generic_filter1d(&a, &c, 1, 0, 0, NDI_MODE_NEAREST, 0.0, f1_weighted,
                                          &s, NULL),
                     NDI_OK);
        /* 2.5 -> 2; -3.5 -> -3 -> low byte 253; 300.5 -> 300 -> 44 */
        CHECK(o8[0] == 2 && o8[1] == 253 && o8[2] == 44);
        f1_free(&s);
    }
    tu_context[0] = '\0';
}

static void test_empty_and_overlap(void) {
    static const intptr_t shapes[][2] = {{0, 0}, {0, 3}, {3, 0}};
    static const int ranks[] = {1, 2, 2};
    size_t c;
    for (c = 0; c < 3; c++) {
        tarr in, out;
        f1_state s;
        ndi_array a, b;
        int axis;
        for (axis = 0; axis < ranks[c]; axis++) {
            TU_CTX("empty %d axis %d", (int)c, axis);
            tarr_init(&in, NDI_DTYPE_FLOAT64, ranks[c], shapes[c], LAY_C);
            tarr_init(&out, NDI_DTYPE_FLOAT32, ranks[c], shapes[c], LAY_NEG);
            f1_init(&s, 3, 1);
            CHECK_STATUS(ndi_generic_filter1d(&in.arr, &out.arr, 3, axis, 0, NDI_MODE_REFLECT,
                                              0.0, f1_weighted, &s, NULL),
                         NDI_OK);
            CHECK(s.calls == 0);
            CHECK(tarr_untouched(&out));
            a = tu_desc(NULL, NDI_DTYPE_FLOAT64, ranks[c], shapes[c], NULL);
            b = tu_desc(NULL, NDI_DTYPE_FLOAT64, ranks[c], shapes[c], NULL);
            CHECK_STATUS(ndi_generic_filter1d(&a, &b, 3, axis, 0, NDI_MODE_REFLECT, 0.0,
                                              f1_weighted, &s, NULL),
                         NDI_OK);
            CHECK(s.calls == 0);
            f1_free(&s);
            tarr_free(&in);
            tarr_free(&out);
        }
    }
    /* in place and shifted overlap equal separate memory */
    {
        intptr_t shape[2] = {3, 5};
        double orig[15], expect[15], buf[21];
        intptr_t k;
        int shift, ok;
        ndi_array a, b;
        f1_state s;
        for (k = 0; k < 15; k++) orig[k] = test_value(k, 2);
        ref_filter1d(orig, 2, shape, 1, 4, 1, NDI_MODE_REFLECT, 0.0, 0.5, expect);
        for (shift = -3; shift <= 3; shift++) {
            TU_CTX("overlap shift %d", shift);
            for (k = 0; k < 21; k++) buf[k] = -1.0;
            memcpy(buf + 3, orig, sizeof orig);
            a = tu_desc(buf + 3, NDI_DTYPE_FLOAT64, 2, shape, NULL);
            b = tu_desc(buf + 3 + shift, NDI_DTYPE_FLOAT64, 2, shape, NULL);
            f1_init(&s, 4, 3);
            s.scale = 0.5;
            CHECK_STATUS(ndi_generic_filter1d(&a, shift == 0 ? &a : &b, 4, 1, 1,
                                              NDI_MODE_REFLECT, 0.0, f1_weighted, &s, NULL),
                         NDI_OK);
            ok = 1;
            for (k = 0; k < 15; k++)
                if (buf[3 + shift + k] != expect[k]) ok = 0;
            CHECK(ok);
            f1_free(&s);
        }
    }
    tu_context[0] = '\0';
}

/* A rank-32 array with axes of 1 and 2. */
static void test_high_rank(void) {
    intptr_t shape[32];
    tarr in, out;
    intptr_t k;
    int a;
    for (a = 0; a < 32; a++) shape[a] = (a % 3 == 0) ? 2 : 1; /* 11 axes of 2: 2048 */
    tarr_init(&in, NDI_DTYPE_FLOAT32, 32, shape, LAY_STRIDED);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 32, shape, LAY_F);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, 5));
    TU_CTX("rank 32, axis 30");
    compare(&in, &out, 30, 3, 0, NDI_MODE_MIRROR, 0.0);
    TU_CTX("rank 32, axis -32");
    compare(&in, &out, -32, 4, -1, NDI_MODE_CONSTANT, 1.5);
    tarr_free(&in);
    tarr_free(&out);
    tu_context[0] = '\0';
}

/* Errors */
static int never_called(double *a, intptr_t b, double *c, intptr_t d, void *ud) {
    (void)a; (void)b; (void)c; (void)d;
    ++*(long *)ud;
    return 1;
}

typedef struct {
    ndi_array in, out;
    const ndi_array *in_p, *out_p;
    intptr_t fs, origin;
    int32_t axis;
    int mode;
    ndi_filter1d_func cb;
    const ndi_options *options;
} f1_args;

static tarr g_in, g_out;
static long g_calls;

static void defaults(f1_args *a) {
    a->in = g_in.arr;
    a->out = g_out.arr;
    a->in_p = &a->in;
    a->out_p = &a->out;
    a->fs = 3;
    a->origin = 0;
    a->axis = 1;
    a->mode = NDI_MODE_REFLECT;
    a->cb = never_called;
    a->options = NULL;
}

static void expect_status(const f1_args *a, ndi_status expected, const char *what, int line) {
    ndi_status st;
    TU_CTX("error case '%s' (line %d)", what, line);
    tarr_reset(&g_out);
    g_calls = 0;
    st = ndi_generic_filter1d(a->in_p, a->out_p, a->fs, a->axis, a->origin, a->mode, 0.0, a->cb,
                              &g_calls, a->options);
    tu_check_status(st, expected, what, __FILE__, line);
    if (expected != NDI_OK) {
        CHECK_MESSAGE_HAS("ndi_generic_filter1d");
        CHECK_MSG(tarr_untouched(&g_out), "output written on error");
        CHECK(g_calls == 0);
    }
}

#define EXPECT(a, st, what) expect_status(&(a), (st), (what), __LINE__)

static void test_errors(void) {
    intptr_t shape[2] = {3, 4}, st[2];
    f1_args a;
    int i;
    tarr_init(&g_in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    for (i = 0; i < 12; i++) tarr_set(&g_in, i, (double)i);
    tarr_init(&g_out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);

    defaults(&a); EXPECT(a, NDI_OK, "valid");
    /* NULL pointers, ranks, shapes, strides, dtype and mode codes, options: the error
     * matrix (test_error_matrix.c). Here: what is particular to this function. */
    st[0] = 0; st[1] = 8;
    defaults(&a); a.in.strides = st; EXPECT(a, NDI_OK, "input zero stride is fine");

    defaults(&a); a.in.dtype = NDI_DTYPE_COMPLEX64; a.in.strides = NULL;
    EXPECT(a, NDI_ERR_INVALID_ARRAY, "complex64 input");
    defaults(&a); a.out.dtype = NDI_DTYPE_COMPLEX64; a.out.strides = NULL;
    EXPECT(a, NDI_ERR_INVALID_ARRAY, "complex64 output");


    defaults(&a); a.fs = 0; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "filter_size 0");
    defaults(&a); a.fs = -5; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "filter_size -5");
    defaults(&a); a.fs = INTPTR_MIN; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "filter_size min");

    defaults(&a); a.axis = 2; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "axis 2 of rank 2");
    defaults(&a); a.axis = -3; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "axis -3 of rank 2");
    defaults(&a); a.axis = INT32_MIN; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "axis INT32_MIN");
    defaults(&a); a.axis = INT32_MAX; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "axis INT32_MAX");
    defaults(&a); a.axis = -2; EXPECT(a, NDI_OK, "axis -2 of rank 2");

    /* origin range for fs 3: -1..1; fs 4: -2..1 */
    defaults(&a); a.origin = 2; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin 2, fs 3");
    defaults(&a); a.origin = -2; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin -2, fs 3");
    defaults(&a); a.fs = 4; a.origin = -2; EXPECT(a, NDI_OK, "origin -2, fs 4");
    defaults(&a); a.fs = 4; a.origin = 1; EXPECT(a, NDI_OK, "origin 1, fs 4");
    defaults(&a); a.fs = 4; a.origin = 2; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin 2, fs 4");
    defaults(&a); a.fs = 4; a.origin = -3;
    EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin -3, fs 4");
    defaults(&a); a.fs = 1; a.origin = 1; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin 1, fs 1");
    defaults(&a); a.origin = INTPTR_MAX; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin max");
    defaults(&a); a.origin = INTPTR_MIN; EXPECT(a, NDI_ERR_INVALID_ARGUMENT, "origin min");

    /* a filter far larger than memory: an error status, never an abort */
    {
        ndi_status s;
        defaults(&a);
        a.fs = INTPTR_MAX;
        TU_CTX("filter_size INTPTR_MAX");
        tarr_reset(&g_out);
        g_calls = 0;
        s = ndi_generic_filter1d(a.in_p, a.out_p, a.fs, a.axis, a.origin, a.mode, 0.0, a.cb,
                                 &g_calls, NULL);
        CHECK_MSG(s == NDI_ERR_OUT_OF_MEMORY || s == NDI_ERR_INVALID_ARGUMENT, "status %d: %s",
                  (int)s, ndi_last_error_message());
        CHECK(tarr_untouched(&g_out));
        CHECK(g_calls == 0);
    }


    for (i = 0; i < 12; i++) CHECK_EQ(tarr_get(&g_in, i), (double)i);
    tarr_free(&g_in);
    tarr_free(&g_out);
    tu_context[0] = '\0';
}

/* Records the first input value of each line (the line's sample at its start) and fails at
 * call `fail_at` (0: never). */
typedef struct {
    double firsts[16];
    int calls, fail_at;
} line_log;

static int log_lines(double *in, intptr_t in_len, double *out, intptr_t out_len, void *data) {
    line_log *log = (line_log *)data;
    intptr_t i;
    (void)in_len;
    if (log->calls < 16) log->firsts[log->calls] = in[0];
    log->calls++;
    if (log->calls == log->fail_at) return 0;
    for (i = 0; i < out_len; i++) out[i] = in[i] + 100.0;
    return 1;
}

/* Regression (issue 13, defect 2): on one thread the lines come in C order of the other axes
 * for every input layout, so a failure leaves the documented prefix. A float64 2x3x4 array in
 * Fortran order, axis 1, filter size 1: the lines start at values 0, 1, 2, ... (x[i, 0, k] =
 * 4 i + k), not in memory order (0, 12, 1, ...). */
static void test_line_order_fortran(void) {
    double in[24], out[24];
    intptr_t shape[3] = {2, 3, 4}, fstrides[3] = {8, 16, 48};
    int i, j, k, ok = 1;
    ndi_array a, b;
    line_log log;
    TU_CTX("line order, Fortran layout");
    for (i = 0; i < 2; i++)
        for (j = 0; j < 3; j++)
            for (k = 0; k < 4; k++) in[i + 2 * j + 6 * k] = (double)(4 * i + k) + 10.0 * j;
    a = tu_desc(in, NDI_DTYPE_FLOAT64, 3, shape, fstrides);
    b = tu_desc(out, NDI_DTYPE_FLOAT64, 3, shape, fstrides);
    memset(&log, 0, sizeof log);
    CHECK_STATUS(ndi_generic_filter1d(&a, &b, 1, 1, 0, NDI_MODE_REFLECT, 0.0, log_lines, &log,
                                      NULL),
                 NDI_OK);
    CHECK(log.calls == 8);
    for (k = 0; k < 8; k++) CHECK_EQ(log.firsts[k], (double)k);
    /* fail at the fourth line: lines 0..2 of C order written, the rest untouched */
    memset(&log, 0, sizeof log);
    log.fail_at = 4;
    for (k = 0; k < 24; k++) out[k] = -1.0;
    CHECK_STATUS(ndi_generic_filter1d(&a, &b, 1, 1, 0, NDI_MODE_REFLECT, 0.0, log_lines, &log,
                                      NULL),
                 NDI_ERR_CALLBACK_FAILED);
    for (i = 0; i < 2; i++)
        for (k = 0; k < 4; k++)
            for (j = 0; j < 3; j++) {
                double v = out[i + 2 * j + 6 * k];
                int written = 4 * i + k < 3;
                if (written ? v != in[i + 2 * j + 6 * k] + 100.0 : v != -1.0) ok = 0;
            }
    CHECK(ok);
    tu_context[0] = '\0';
}

int main(void) {
    test_line_order_fortran();
    test_hand_checked();
    test_results();
    test_callbacks();
    test_dtypes();
    test_empty_and_overlap();
    test_high_rank();
    test_errors();
    return TU_DONE();
}
