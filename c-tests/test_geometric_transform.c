/* Tests of ndi_geometric_transform: exactly predictable transforms (identity, transposition,
 * integer shifts, linear interpolation), B-spline values computed here, the mapping callback's
 * contract, the interpolation store rule, complex arrays, layouts, and every validation error. */
#include "test_util.h"

/* ------------------------------------------------------------------------------------------ */
/* Mapping callbacks                                                                          */

typedef struct {
    long calls;
    long fail_at;           /* 1-based failing call, 0 = never */
    double shift[NDI_MAX_RANK];
    int bad_ranks;          /* calls whose ranks differ from the expected ones */
    int out_rank, in_rank;  /* expected */
    intptr_t seen[256][2];  /* output coordinates of the first calls (rank <= 2) */
    int first_coords_nonzero;
} map_state;

static void ms_init(map_state *s, int out_rank, int in_rank) {
    memset(s, 0, sizeof *s);
    s->out_rank = out_rank;
    s->in_rank = in_rank;
}

static void ms_note(map_state *s, const intptr_t *oc, const double *ic, int orank, int irank) {
    int h;
    s->calls++;
    if (orank != s->out_rank || irank != s->in_rank) s->bad_ranks++;
    if (s->calls <= 256) {
        s->seen[s->calls - 1][0] = oc[0];
        s->seen[s->calls - 1][1] = orank > 1 ? oc[1] : -1;
    }
    if (s->calls == 1)
        for (h = 0; h < irank; h++)
            if (ic[h] != 0.0) s->first_coords_nonzero = 1;
}

/* input = output - shift (equal ranks) */
static int map_shift(intptr_t *oc, double *ic, int orank, int irank, void *ud) {
    map_state *s = (map_state *)ud;
    int h;
    ms_note(s, oc, ic, orank, irank);
    if (s->fail_at && s->calls == s->fail_at) return 0;
    for (h = 0; h < irank; h++) ic[h] = (double)oc[h] - s->shift[h];
    return 1;
}

/* input (a, b) = output (b, a) */
static int map_transpose(intptr_t *oc, double *ic, int orank, int irank, void *ud) {
    map_state *s = (map_state *)ud;
    ms_note(s, oc, ic, orank, irank);
    ic[0] = (double)oc[1];
    ic[1] = (double)oc[0];
    return 1;
}

/* rank change: 1-D output o reads the 2-D input's diagonal (o, o) */
static int map_diagonal(intptr_t *oc, double *ic, int orank, int irank, void *ud) {
    map_state *s = (map_state *)ud;
    ms_note(s, oc, ic, orank, irank);
    ic[0] = ic[1] = (double)oc[0];
    return 1;
}

/* rank change: 2-D output (i, j) reads the 1-D input at i + j */
static int map_sum(intptr_t *oc, double *ic, int orank, int irank, void *ud) {
    map_state *s = (map_state *)ud;
    ms_note(s, oc, ic, orank, irank);
    ic[0] = (double)(oc[0] + oc[1]);
    return 1;
}

/* writes the coordinates on the first call only: they are not reset between calls */
static int map_first_only(intptr_t *oc, double *ic, int orank, int irank, void *ud) {
    map_state *s = (map_state *)ud;
    ms_note(s, oc, ic, orank, irank);
    if (s->calls == 1) ic[0] = 2.0;
    return 1;
}

/* identity, then scribbles over the output coordinates (a copy: no effect) */
static int map_scribble(intptr_t *oc, double *ic, int orank, int irank, void *ud) {
    map_state *s = (map_state *)ud;
    int h;
    ms_note(s, oc, ic, orank, irank);
    for (h = 0; h < irank; h++) ic[h] = (double)oc[h];
    for (h = 0; h < orank; h++) oc[h] = -1000000;
    return 1;
}

/* every output reads the same fractional coordinate held in user_data */
static int map_fixed(intptr_t *oc, double *ic, int orank, int irank, void *ud) {
    const double *c = (const double *)ud;
    int h;
    (void)oc;
    (void)orank;
    for (h = 0; h < irank; h++) ic[h] = c[h];
    return 1;
}

static double test_value(intptr_t k, int salt) {
    return (double)((k * 7 + salt * 3 + (k * k) % 5) % 23) - 5.0;
}

/* ------------------------------------------------------------------------------------------ */
/* Correct results                                                                            */

/* The identity reproduces the input: exactly for orders 0 and 1 (no prefilter needed), and to
 * rounding for orders 2..5 with the prefilter, in every mode and layout. */
static void test_identity(void) {
    intptr_t shape[2] = {5, 6};
    int order, mode, layout;
    intptr_t k;
    for (order = 0; order <= 5; order++) {
        for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
            for (layout = 0; layout < LAY_COUNT; layout++) {
                tarr in, out;
                map_state s;
                double worst = 0.0;
                if (order > 1 && layout != 0 && layout != LAY_NEG) continue;
                TU_CTX("identity order %d mode %d layout %s", order, mode,
                       tu_layout_name(layout));
                tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, layout);
                tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, (layout + 2) % LAY_COUNT);
                for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, order + mode));
                ms_init(&s, 2, 2);
                CHECK_STATUS(ndi_geometric_transform(&in.arr, &out.arr, order, mode, -1.0, 1,
                                                     map_shift, &s, NULL),
                             NDI_OK);
                CHECK(s.calls == 30);
                CHECK(s.bad_ranks == 0);
                for (k = 0; k < in.len; k++) {
                    double d = fabs(tarr_get(&out, k) - tarr_get(&in, k));
                    if (d > worst) worst = d;
                }
                if (order <= 1)
                    CHECK_MSG(worst == 0.0, "max error %g", worst);
                else
                    CHECK_MSG(worst <= 1e-10, "max error %g", worst);
                CHECK(tarr_gaps_untouched(&out));
                CHECK(tarr_gaps_untouched(&in));
                tarr_free(&in);
                tarr_free(&out);
            }
        }
    }
    tu_context[0] = '\0';
}

/* Integer shifts with order 0 and 1: each output is one input sample or cval. Per mode, the
 * input index of an integer position p on an axis of n samples (interpolation semantics):
 * constant/grid-constant: cval outside [0, n-1]; nearest: clamp; mirror: d c b | a b c d | c b a;
 * reflect/grid-mirror: d c b a | a b c d | d c b a; grid-wrap: period n. */
static intptr_t interp_index(intptr_t p, intptr_t n, int mode) {
    switch (mode) {
    case NDI_MODE_CONSTANT:
    case NDI_MODE_GRID_CONSTANT:
        return (p < 0 || p >= n) ? -1 : p;
    case NDI_MODE_NEAREST:
        return p < 0 ? 0 : (p >= n ? n - 1 : p);
    case NDI_MODE_MIRROR:
        if (n == 1) return 0;
        while (p < 0 || p >= n) p = p < 0 ? -p : 2 * (n - 1) - p;
        return p;
    case NDI_MODE_REFLECT:
    case NDI_MODE_GRID_MIRROR:
        while (p < 0 || p >= n) p = p < 0 ? -p - 1 : 2 * n - 1 - p;
        return p;
    case NDI_MODE_GRID_WRAP:
        while (p < 0) p += n;
        while (p >= n) p -= n;
        return p;
    case NDI_MODE_WRAP:
        /* scipy's "wrap" for interpolation has period n - 1 (the first and last samples
         * coincide); which of the two an integer position on the seam takes follows scipy's
         * map_coordinate: p < 0 -> p + (n-1) * (floor(-p / (n-1)) + 1); p > n-1 ->
         * p - (n-1) * floor(p / (n-1)). */
        if (n == 1) return 0;
        if (p < 0) return p + (n - 1) * ((-p) / (n - 1) + 1);
        if (p > n - 1) return p - (n - 1) * (p / (n - 1));
        return p;
    default:
        return -2;
    }
}

static void test_integer_shifts(void) {
    static const int modes[] = {NDI_MODE_CONSTANT, NDI_MODE_GRID_CONSTANT, NDI_MODE_NEAREST,
                                NDI_MODE_MIRROR,   NDI_MODE_REFLECT,       NDI_MODE_GRID_MIRROR,
                                NDI_MODE_GRID_WRAP, NDI_MODE_WRAP};
    intptr_t shape[2] = {4, 5};
    int shifts[][2] = {{0, 0}, {1, 0}, {0, -2}, {2, 3}, {-3, 1}, {7, -9}};
    size_t m, c;
    int order;
    intptr_t k;
    for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        for (c = 0; c < sizeof shifts / sizeof shifts[0]; c++) {
            for (order = 0; order <= 1; order++) {
                tarr in, out;
                map_state s;
                int ok = 1;
                TU_CTX("mode %d shift (%d,%d) order %d", modes[m], shifts[c][0], shifts[c][1],
                       order);
                tarr_init(&in, NDI_DTYPE_INT32, 2, shape, LAY_F);
                tarr_init(&out, NDI_DTYPE_FLOAT32, 2, shape, LAY_UNALIGNED);
                for (k = 0; k < 20; k++) tarr_set(&in, k, test_value(k, (int)c));
                ms_init(&s, 2, 2);
                s.shift[0] = shifts[c][0];
                s.shift[1] = shifts[c][1];
                CHECK_STATUS(ndi_geometric_transform(&in.arr, &out.arr, order, modes[m], 42.0, 0,
                                                     map_shift, &s, NULL),
                             NDI_OK);
                for (k = 0; k < 20; k++) {
                    intptr_t i = k / 5, j = k % 5;
                    intptr_t si = interp_index(i - shifts[c][0], 4, modes[m]);
                    intptr_t sj = interp_index(j - shifts[c][1], 5, modes[m]);
                    double want = (si < 0 || sj < 0) ? 42.0 : tarr_get(&in, si * 5 + sj);
                    if (tarr_get(&out, k) != want) {
                        if (ok)
                            fprintf(stderr, "  [%ld,%ld]: got %g want %g\n", (long)i, (long)j,
                                    tarr_get(&out, k), want);
                        ok = 0;
                    }
                }
                CHECK(ok);
                tarr_free(&in);
                tarr_free(&out);
            }
        }
    }
    tu_context[0] = '\0';
}

/* Order 1 between samples is linear interpolation; order 2 and 3 without prefilter evaluate
 * the B-spline with the samples as coefficients: at integer positions (x[i-1] + 6 x[i] +
 * x[i+1]) / 8 and (x[i-1] + 4 x[i] + x[i+1]) / 6, mirror-extended at the ends. */
static void test_spline_values(void) {
    double x[6] = {1.0, 4.0, -2.0, 8.0, 3.0, 0.5};
    intptr_t shape[1] = {6};
    ndi_array in = tu_desc(x, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    double out[6], c[1];
    ndi_array o = tu_desc(out, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    intptr_t i, one[1] = {1};
    ndi_array o1 = tu_desc(out, NDI_DTYPE_FLOAT64, 1, one, NULL);
    map_state s;
    int order;
    /* linear interpolation at 2.25 and 4.75 */
    TU_CTX("order 1 at fractional positions");
    c[0] = 2.25;
    CHECK_STATUS(ndi_geometric_transform(&in, &o1, 1, NDI_MODE_NEAREST, 0.0, 1, map_fixed, c,
                                         NULL),
                 NDI_OK);
    CHECK_NEAR(out[0], 0.75 * x[2] + 0.25 * x[3], 1e-15);
    c[0] = 4.75;
    CHECK_STATUS(ndi_geometric_transform(&in, &o1, 1, NDI_MODE_MIRROR, 0.0, 0, map_fixed, c,
                                         NULL),
                 NDI_OK);
    CHECK_NEAR(out[0], 0.25 * x[4] + 0.75 * x[5], 1e-15);
    for (order = 2; order <= 3; order++) {
        TU_CTX("order %d without prefilter", order);
        ms_init(&s, 1, 1);
        CHECK_STATUS(ndi_geometric_transform(&in, &o, order, NDI_MODE_MIRROR, 0.0, 0, map_shift,
                                             &s, NULL),
                     NDI_OK);
        for (i = 0; i < 6; i++) {
            double l = x[i == 0 ? 1 : i - 1], r = x[i == 5 ? 4 : i + 1];
            double want = order == 2 ? (l + 6.0 * x[i] + r) / 8.0 : (l + 4.0 * x[i] + r) / 6.0;
            CHECK_NEAR(out[i], want, 1e-14);
        }
    }
    /* order 3 halfway between samples, no prefilter: B-spline weights 1/48, 23/48, 23/48, 1/48 */
    TU_CTX("order 3 at 2.5 without prefilter");
    c[0] = 2.5;
    CHECK_STATUS(ndi_geometric_transform(&in, &o1, 3, NDI_MODE_MIRROR, 0.0, 0, map_fixed, c,
                                         NULL),
                 NDI_OK);
    CHECK_NEAR(out[0], (x[1] + 23.0 * x[2] + 23.0 * x[3] + x[4]) / 48.0, 1e-14);
    /* with the prefilter the spline interpolates: a linear function is reproduced exactly
     * between samples in the interior for orders >= 1 */
    {
        double lin[8];
        intptr_t s8[1] = {8};
        ndi_array li = tu_desc(lin, NDI_DTYPE_FLOAT64, 1, s8, NULL);
        for (i = 0; i < 8; i++) lin[i] = 3.0 * (double)i - 5.0;
        for (order = 1; order <= 5; order++) {
            TU_CTX("linear function, order %d", order);
            c[0] = 3.3;
            CHECK_STATUS(ndi_geometric_transform(&li, &o1, order, NDI_MODE_MIRROR, 0.0, 1,
                                                 map_fixed, c, NULL),
                         NDI_OK);
            /* mirror extension of a linear ramp is not linear: allow the boundary's decay */
            CHECK_NEAR(out[0], 3.0 * 3.3 - 5.0, order <= 1 ? 1e-14 : 1e-2);
        }
    }
    tu_context[0] = '\0';
}

/* Transposition, rank changes, and non-square outputs (order 0). */
static void test_rank_changes(void) {
    intptr_t s34[2] = {3, 4}, s43[2] = {4, 3}, s3[1] = {3}, s5[1] = {5}, s23[2] = {2, 3};
    tarr in, out;
    map_state s;
    intptr_t i, j;
    int ok;
    TU_CTX("transpose 3x4 -> 4x3");
    tarr_init(&in, NDI_DTYPE_UINT16, 2, s34, LAY_NEG);
    tarr_init(&out, NDI_DTYPE_INT64, 2, s43, LAY_STRIDED);
    for (i = 0; i < 12; i++) tarr_set(&in, i, (double)(i * 3 + 1));
    ms_init(&s, 2, 2);
    CHECK_STATUS(ndi_geometric_transform(&in.arr, &out.arr, 0, NDI_MODE_CONSTANT, 0.0, 0,
                                         map_transpose, &s, NULL),
                 NDI_OK);
    ok = 1;
    for (i = 0; i < 4; i++)
        for (j = 0; j < 3; j++)
            if (tarr_get(&out, i * 3 + j) != tarr_get(&in, j * 4 + i)) ok = 0;
    CHECK(ok);
    CHECK(s.calls == 12);
    /* C order of the output index */
    ok = 1;
    for (i = 0; i < 12; i++)
        if (s.seen[i][0] != i / 3 || s.seen[i][1] != i % 3) ok = 0;
    CHECK_MSG(ok, "output coordinates in C order");
    tarr_free(&in);
    tarr_free(&out);

    TU_CTX("2-D diagonal into 1-D");
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, s34, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 1, s3, LAY_C);
    for (i = 0; i < 12; i++) tarr_set(&in, i, test_value(i, 1));
    ms_init(&s, 1, 2);
    CHECK_STATUS(ndi_geometric_transform(&in.arr, &out.arr, 1, NDI_MODE_REFLECT, 0.0, 0,
                                         map_diagonal, &s, NULL),
                 NDI_OK);
    CHECK(s.bad_ranks == 0);
    for (i = 0; i < 3; i++) CHECK_EQ(tarr_get(&out, i), tarr_get(&in, i * 4 + i));
    tarr_free(&in);
    tarr_free(&out);

    TU_CTX("1-D into 2-D (Hankel)");
    tarr_init(&in, NDI_DTYPE_INT8, 1, s5, LAY_C);
    tarr_init(&out, NDI_DTYPE_INT8, 2, s23, LAY_F);
    for (i = 0; i < 5; i++) tarr_set(&in, i, (double)(i * i) - 7.0);
    ms_init(&s, 2, 1);
    CHECK_STATUS(ndi_geometric_transform(&in.arr, &out.arr, 0, NDI_MODE_NEAREST, 0.0, 1,
                                         map_sum, &s, NULL),
                 NDI_OK);
    CHECK(s.bad_ranks == 0);
    ok = 1;
    for (i = 0; i < 2; i++)
        for (j = 0; j < 3; j++)
            if (tarr_get(&out, i * 3 + j) != (double)((i + j) * (i + j)) - 7.0) ok = 0;
    CHECK(ok);
    tarr_free(&in);
    tarr_free(&out);
    tu_context[0] = '\0';
}

/* The mapping callback's contract. */
static void test_callback_contract(void) {
    double x[5] = {10, 20, 30, 40, 50}, out[5];
    intptr_t shape[1] = {5};
    ndi_array in = tu_desc(x, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    ndi_array o = tu_desc(out, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    map_state s;
    int i, ok;
    TU_CTX("coordinates kept between calls");
    ms_init(&s, 1, 1);
    CHECK_STATUS(ndi_geometric_transform(&in, &o, 0, NDI_MODE_NEAREST, 0.0, 0, map_first_only, &s,
                                         NULL),
                 NDI_OK);
    CHECK(s.first_coords_nonzero == 0);
    ok = 1;
    for (i = 0; i < 5; i++)
        if (out[i] != 30.0) ok = 0;
    CHECK(ok);

    TU_CTX("writing the output coordinates has no effect");
    ms_init(&s, 1, 1);
    CHECK_STATUS(ndi_geometric_transform(&in, &o, 1, NDI_MODE_NEAREST, 0.0, 0, map_scribble, &s,
                                         NULL),
                 NDI_OK);
    ok = 1;
    for (i = 0; i < 5; i++)
        if (out[i] != x[i] || s.seen[i][0] != i) ok = 0;
    CHECK(ok);

    TU_CTX("user_data parameters");
    ms_init(&s, 1, 1);
    s.shift[0] = -1.0; /* input = output + 1 */
    CHECK_STATUS(ndi_geometric_transform(&in, &o, 0, NDI_MODE_CONSTANT, -5.0, 0, map_shift, &s,
                                         NULL),
                 NDI_OK);
    CHECK(out[0] == 20.0 && out[3] == 50.0 && out[4] == -5.0);

    /* failure at call i: elements before it written, the others untouched, no further calls;
     * a 2x3 array (every call) and a 3x150 one whose lines are done in segments (calls at
     * and around the segment and line boundaries) */
    TU_CTX("callback failure");
    {
        static const intptr_t shapes[2][2] = {{2, 3}, {3, 150}};
        static const long long_calls[] = {1, 2, 63, 64, 65, 66, 128, 129, 150, 151, 152, 300, 450};
        int sh;
        for (sh = 0; sh < 2; sh++) {
            tarr in2, out2;
            intptr_t k, total = shapes[sh][0] * shapes[sh][1];
            int nfail = sh == 0 ? 6 : (int)(sizeof long_calls / sizeof long_calls[0]);
            int f;
            tarr_init(&in2, NDI_DTYPE_FLOAT64, 2, shapes[sh], LAY_C);
            tarr_init(&out2, NDI_DTYPE_FLOAT64, 2, shapes[sh], LAY_STRIDED);
            for (k = 0; k < total; k++) tarr_set(&in2, k, (double)(k + 1));
            for (f = 0; f < nfail; f++) {
                long at = sh == 0 ? f + 1 : long_calls[f];
                TU_CTX("callback failure at call %ld of %ld", at, (long)total);
                tarr_reset(&out2);
                ms_init(&s, 2, 2);
                s.fail_at = at;
                CHECK_STATUS(ndi_geometric_transform(&in2.arr, &out2.arr, 1, NDI_MODE_NEAREST,
                                                     0.0, 1, map_shift, &s, NULL),
                             NDI_ERR_CALLBACK_FAILED);
                CHECK_MESSAGE_HAS("callback");
                CHECK_MESSAGE_HAS("ndi_geometric_transform");
                CHECK(s.calls == at);
                ok = 1;
                for (k = 0; k < total; k++) {
                    if (k < at - 1) {
                        if (tarr_get(&out2, k) != (double)(k + 1)) ok = 0;
                    } else if (tarr_ptr(&out2, k)[0] != TU_SENTINEL ||
                               tarr_ptr(&out2, k)[7] != TU_SENTINEL) {
                        ok = 0;
                    }
                }
                CHECK_MSG(ok, "elements before the failing one written, the others untouched");
                CHECK(tarr_gaps_untouched(&out2));
            }
            tarr_free(&in2);
            tarr_free(&out2);
        }
    }
    tu_context[0] = '\0';
}

/* The interpolation store rule of the README (order 0 identity from float64). */
typedef struct {
    ndi_dtype dtype;
    double value;
    double expect;
} conv_case;

static void test_store_rule(void) {
    const double two63 = 9223372036854775808.0, two64 = 18446744073709551616.0;
    conv_case cases[] = {
        {NDI_DTYPE_INT16, 2.5, 3.0},
        {NDI_DTYPE_INT16, -2.5, -3.0},
        {NDI_DTYPE_INT16, 2.499, 2.0},
        {NDI_DTYPE_INT16, -0.4, 0.0},
        {NDI_DTYPE_INT16, 40000.0, 32767.0},
        {NDI_DTYPE_INT16, -40000.0, -32768.0},
        {NDI_DTYPE_INT16, NAN, 0.0},
        {NDI_DTYPE_INT8, 127.6, 127.0},
        {NDI_DTYPE_INT8, -200.0, -128.0},
        {NDI_DTYPE_INT8, NAN, 0.0},
        {NDI_DTYPE_UINT8, 0.5, 1.0},
        {NDI_DTYPE_UINT8, 254.5, 255.0},
        {NDI_DTYPE_UINT8, 300.0, 255.0},
        {NDI_DTYPE_UINT8, -3.0, 0.0},
        {NDI_DTYPE_UINT8, NAN, 0.0},
        {NDI_DTYPE_UINT16, 65535.7, 65535.0},
        {NDI_DTYPE_UINT16, -1.0, 0.0},
        {NDI_DTYPE_INT32, 3e9, 2147483647.0},
        {NDI_DTYPE_INT32, -3e9, -2147483648.0},
        {NDI_DTYPE_INT32, -7.5, -8.0},
        {NDI_DTYPE_INT32, NAN, -2147483648.0},
        {NDI_DTYPE_UINT32, 5e9, 4294967295.0},
        {NDI_DTYPE_UINT32, 7.5, 8.0},
        {NDI_DTYPE_UINT32, NAN, 0.0},
        {NDI_DTYPE_INT64, 1e19, 9223372036854775807.0},
        {NDI_DTYPE_INT64, -1e19, -two63},
        {NDI_DTYPE_INT64, NAN, -two63},
        {NDI_DTYPE_INT64, -1234567.5, -1234568.0},
        {NDI_DTYPE_UINT64, 1e19, 1e19},
        {NDI_DTYPE_UINT64, two64, 0.0},
        {NDI_DTYPE_UINT64, 3e19, 0.0},
        {NDI_DTYPE_UINT64, -5.0, 0.0},
        {NDI_DTYPE_UINT64, NAN, 0.0},
        {NDI_DTYPE_BOOL, 2.7, 2.0},
        {NDI_DTYPE_BOOL, 0.6, 0.0},
        {NDI_DTYPE_FLOAT32, 0.1, (double)0.1f},
        {NDI_DTYPE_FLOAT64, -2.5, -2.5},
    };
    size_t c;
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        double in = cases[c].value;
        unsigned char out[16];
        intptr_t one[1] = {1};
        ndi_array a = tu_desc(&in, NDI_DTYPE_FLOAT64, 1, one, NULL);
        ndi_array o = tu_desc(out, cases[c].dtype, 1, one, NULL);
        map_state s;
        TU_CTX("store %.17g into dtype %d", cases[c].value, (int)cases[c].dtype);
        memset(out, TU_SENTINEL, sizeof out);
        ms_init(&s, 1, 1);
        CHECK_STATUS(ndi_geometric_transform(&a, &o, 0, NDI_MODE_NEAREST, 0.0, 0, map_shift, &s,
                                             NULL),
                     NDI_OK);
        CHECK_EQ(tu_load(cases[c].dtype, out), cases[c].expect);
        CHECK(out[tu_item_size(cases[c].dtype)] == TU_SENTINEL);
    }
    /* int64 max exactly */
    {
        double in = 1e19;
        int64_t out = 0;
        intptr_t one[1] = {1};
        ndi_array a = tu_desc(&in, NDI_DTYPE_FLOAT64, 1, one, NULL);
        ndi_array o = tu_desc(&out, NDI_DTYPE_INT64, 1, one, NULL);
        map_state s;
        ms_init(&s, 1, 1);
        TU_CTX("int64 clip");
        CHECK_STATUS(ndi_geometric_transform(&a, &o, 0, NDI_MODE_NEAREST, 0.0, 0, map_shift, &s,
                                             NULL),
                     NDI_OK);
        CHECK(out == INT64_MAX);
    }
    /* order 1 halfway into int16: (0, 5) at 0.5 is 2.5 -> 3, (0, -5) -> -3 */
    {
        double in[2] = {0.0, 5.0}, c[1] = {0.5};
        int16_t out = 0;
        intptr_t two[1] = {2}, one[1] = {1};
        ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, two, NULL);
        ndi_array o = tu_desc(&out, NDI_DTYPE_INT16, 1, one, NULL);
        TU_CTX("order 1 rounding");
        CHECK_STATUS(ndi_geometric_transform(&a, &o, 1, NDI_MODE_NEAREST, 0.0, 0, map_fixed, c,
                                             NULL),
                     NDI_OK);
        CHECK(out == 3);
        in[1] = -5.0;
        CHECK_STATUS(ndi_geometric_transform(&a, &o, 1, NDI_MODE_NEAREST, 0.0, 0, map_fixed, c,
                                             NULL),
                     NDI_OK);
        CHECK(out == -3);
    }
    tu_context[0] = '\0';
}

/* Complex arrays: real and imaginary parts interpolated separately, cval_imag from options. */
static void test_complex(void) {
    intptr_t shape[2] = {3, 4};
    static const ndi_dtype types[2] = {NDI_DTYPE_COMPLEX128, NDI_DTYPE_COMPLEX64};
    int t, layout;
    intptr_t k;
    for (t = 0; t < 2; t++) {
        for (layout = 0; layout < LAY_COUNT; layout++) {
            tarr in, out;
            map_state s;
            ndi_options opt;
            int ok = 1;
            TU_CTX("complex dtype %d layout %s", (int)types[t], tu_layout_name(layout));
            tarr_init(&in, types[t], 2, shape, layout);
            tarr_init(&out, types[t], 2, shape, (layout + 1) % LAY_COUNT);
            for (k = 0; k < 12; k++) {
                tarr_set(&in, k, test_value(k, 1));
                tarr_set_im(&in, k, test_value(k, 2) * 0.5);
            }
            ndi_options_init(&opt, sizeof opt);
            opt.cval_imag = -6.5;
            ms_init(&s, 2, 2);
            s.shift[1] = 1.0; /* out[i][j] = in[i][j-1]; column 0 is cval */
            CHECK_STATUS(ndi_geometric_transform(&in.arr, &out.arr, 1, NDI_MODE_CONSTANT, 2.25, 0,
                                                 map_shift, &s, &opt),
                         NDI_OK);
            for (k = 0; k < 12; k++) {
                double re = k % 4 == 0 ? 2.25 : tarr_get(&in, k - 1);
                double im = k % 4 == 0 ? -6.5 : tarr_get_im(&in, k - 1);
                if (tarr_get(&out, k) != re || tarr_get_im(&out, k) != im) ok = 0;
            }
            CHECK(ok);
            CHECK(tarr_gaps_untouched(&out));
            /* NULL options: cval_imag 0 */
            ms_init(&s, 2, 2);
            s.shift[1] = 1.0;
            CHECK_STATUS(ndi_geometric_transform(&in.arr, &out.arr, 0, NDI_MODE_CONSTANT, 2.25, 0,
                                                 map_shift, &s, NULL),
                         NDI_OK);
            CHECK(tarr_get(&out, 4) == 2.25 && tarr_get_im(&out, 4) == 0.0);
            tarr_free(&in);
            tarr_free(&out);
        }
    }
    tu_context[0] = '\0';
}

/* A complex array with NULL strides is C-contiguous with the complex item size (16 bytes for
 * complex128), not the part's size (8): an output is accepted and an input is read as
 * (real, imaginary) pairs. */
static void test_complex_null_strides(void) {
    double in[3][2] = {{1, -1}, {2, -2}, {3, -3}}, out[3][2];
    intptr_t shape[1] = {3}, strides[1] = {16};
    ndi_array a = tu_desc(in, NDI_DTYPE_COMPLEX128, 1, shape, NULL);
    ndi_array a_explicit = tu_desc(in, NDI_DTYPE_COMPLEX128, 1, shape, strides);
    ndi_array b = tu_desc(out, NDI_DTYPE_COMPLEX128, 1, shape, NULL);
    ndi_array b_explicit = tu_desc(out, NDI_DTYPE_COMPLEX128, 1, shape, strides);
    map_state s;
    int k;
    TU_CTX("complex128 output with NULL strides");
    memset(out, 0, sizeof out);
    ms_init(&s, 1, 1);
    CHECK_STATUS(ndi_geometric_transform(&a_explicit, &b, 0, NDI_MODE_NEAREST, 0.0, 0, map_shift,
                                         &s, NULL),
                 NDI_OK);
    for (k = 0; k < 3; k++) CHECK(out[k][0] == in[k][0] && out[k][1] == in[k][1]);
    TU_CTX("complex128 input with NULL strides");
    memset(out, 0, sizeof out);
    ms_init(&s, 1, 1);
    CHECK_STATUS(ndi_geometric_transform(&a, &b_explicit, 0, NDI_MODE_NEAREST, 0.0, 0, map_shift,
                                         &s, NULL),
                 NDI_OK);
    for (k = 0; k < 3; k++) CHECK(out[k][0] == in[k][0] && out[k][1] == in[k][1]);
    tu_context[0] = '\0';
}

/* Layout, dtype, overlap and size corner cases. */
static void test_layouts(void) {
    /* in-place transposition of a square matrix */
    {
        double m[4][4], orig[4][4];
        intptr_t shape[2] = {4, 4};
        ndi_array a = tu_desc(m, NDI_DTYPE_FLOAT64, 2, shape, NULL);
        map_state s;
        int i, j, ok = 1;
        TU_CTX("in-place transpose");
        for (i = 0; i < 4; i++)
            for (j = 0; j < 4; j++) orig[i][j] = m[i][j] = i * 4 + j;
        ms_init(&s, 2, 2);
        CHECK_STATUS(ndi_geometric_transform(&a, &a, 0, NDI_MODE_CONSTANT, 0.0, 0, map_transpose,
                                             &s, NULL),
                     NDI_OK);
        for (i = 0; i < 4; i++)
            for (j = 0; j < 4; j++)
                if (m[i][j] != orig[j][i]) ok = 0;
        CHECK(ok);
        /* in place with the prefilter (order 3 identity) */
        TU_CTX("in-place order 3");
        ms_init(&s, 2, 2);
        CHECK_STATUS(ndi_geometric_transform(&a, &a, 3, NDI_MODE_MIRROR, 0.0, 1, map_transpose,
                                             &s, NULL),
                     NDI_OK);
        ok = 1;
        for (i = 0; i < 4; i++)
            for (j = 0; j < 4; j++)
                if (fabs(m[i][j] - orig[i][j]) > 1e-10) ok = 0;
        CHECK(ok);
    }
    /* uint8 in, float64 out; float64 in, int16 out */
    {
        uint8_t u[6] = {0, 255, 17, 3, 200, 99};
        double d[6];
        int16_t i16[6];
        intptr_t shape[1] = {6};
        ndi_array a = tu_desc(u, NDI_DTYPE_UINT8, 1, shape, NULL);
        ndi_array b = tu_desc(d, NDI_DTYPE_FLOAT64, 1, shape, NULL);
        ndi_array c = tu_desc(i16, NDI_DTYPE_INT16, 1, shape, NULL);
        map_state s;
        int k;
        TU_CTX("uint8 -> float64 -> int16");
        ms_init(&s, 1, 1);
        s.shift[0] = 0.5; /* linear: halfway between neighbours */
        CHECK_STATUS(ndi_geometric_transform(&a, &b, 1, NDI_MODE_NEAREST, 0.0, 0, map_shift, &s,
                                             NULL),
                     NDI_OK);
        CHECK_EQ(d[0], 0.0);
        for (k = 1; k < 6; k++) CHECK_EQ(d[k], 0.5 * (u[k - 1] + u[k]));
        ms_init(&s, 1, 1);
        s.shift[0] = 0.0;
        d[2] = -135.5;
        CHECK_STATUS(ndi_geometric_transform(&b, &c, 0, NDI_MODE_NEAREST, 0.0, 0, map_shift, &s,
                                             NULL),
                     NDI_OK);
        CHECK(i16[1] == 128 && i16[2] == -136 && i16[0] == 0);
    }
    /* empty output: no call, OK; empty input with a non-empty output: error */
    {
        intptr_t e[2] = {0, 3}, n[2] = {2, 3};
        tarr in, out, ein;
        map_state s;
        TU_CTX("empty output");
        tarr_init(&in, NDI_DTYPE_FLOAT64, 2, n, LAY_C);
        tarr_init(&out, NDI_DTYPE_FLOAT64, 2, e, LAY_C);
        tarr_init(&ein, NDI_DTYPE_FLOAT64, 2, e, LAY_C);
        ms_init(&s, 2, 2);
        CHECK_STATUS(ndi_geometric_transform(&in.arr, &out.arr, 3, NDI_MODE_MIRROR, 0.0, 1,
                                             map_shift, &s, NULL),
                     NDI_OK);
        CHECK(s.calls == 0);
        CHECK(tarr_untouched(&out));
        CHECK_STATUS(ndi_geometric_transform(&ein.arr, &out.arr, 3, NDI_MODE_MIRROR, 0.0, 1,
                                             map_shift, &s, NULL),
                     NDI_OK);
        CHECK(s.calls == 0);
        tarr_free(&out);
        TU_CTX("empty input, non-empty output");
        tarr_init(&out, NDI_DTYPE_FLOAT64, 2, n, LAY_C);
        CHECK_STATUS(ndi_geometric_transform(&ein.arr, &out.arr, 1, NDI_MODE_MIRROR, 0.0, 1,
                                             map_shift, &s, NULL),
                     NDI_ERR_INVALID_ARRAY);
        CHECK(s.calls == 0);
        CHECK(tarr_untouched(&out));
        tarr_free(&in);
        tarr_free(&out);
        tarr_free(&ein);
    }
    /* 1-element axes with every order and mode: the single sample everywhere */
    {
        intptr_t one[3] = {1, 1, 1}, big[3] = {2, 1, 3};
        tarr in, out;
        map_state s;
        int order, mode, ok;
        intptr_t k;
        for (order = 0; order <= 5; order++) {
            for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
                if (mode == NDI_MODE_CONSTANT || mode == NDI_MODE_GRID_CONSTANT) continue;
                TU_CTX("1-element input, order %d mode %d", order, mode);
                tarr_init(&in, NDI_DTYPE_FLOAT64, 3, one, LAY_C);
                tarr_init(&out, NDI_DTYPE_FLOAT64, 3, big, LAY_C);
                tarr_set(&in, 0, 7.0);
                ms_init(&s, 3, 3);
                s.shift[0] = 0.0;
                s.shift[2] = 1.0;
                CHECK_STATUS(ndi_geometric_transform(&in.arr, &out.arr, order, mode, 0.0, 1,
                                                     map_shift, &s, NULL),
                             NDI_OK);
                ok = 1;
                for (k = 0; k < 6; k++)
                    if (fabs(tarr_get(&out, k) - 7.0) > 1e-12) ok = 0;
                CHECK(ok);
                tarr_free(&in);
                tarr_free(&out);
            }
        }
    }
    /* rank 32 (axes of 1 and 2), shift by one along two axes, constant mode. Order 0: the
     * support of order k has (k + 1)^rank points per output element, as in scipy, so order 1
     * would take 2^32 steps per element. */
    {
        intptr_t shape[32];
        tarr in, out;
        map_state s;
        int a, ok = 1;
        intptr_t k;
        TU_CTX("rank 32");
        for (a = 0; a < 32; a++) shape[a] = (a % 5 == 0) ? 2 : 1; /* 7 axes of 2 */
        tarr_init(&in, NDI_DTYPE_FLOAT64, 32, shape, LAY_NEG);
        tarr_init(&out, NDI_DTYPE_FLOAT64, 32, shape, LAY_F);
        for (k = 0; k < in.len; k++) tarr_set(&in, k, (double)k);
        ms_init(&s, 32, 32);
        s.shift[0] = 1.0;
        s.shift[30] = -1.0;
        CHECK_STATUS(ndi_geometric_transform(&in.arr, &out.arr, 0, NDI_MODE_CONSTANT, -1.0, 0,
                                             map_shift, &s, NULL),
                     NDI_OK);
        CHECK(s.calls == in.len);
        for (k = 0; k < in.len; k++) {
            /* flat index bits: axis 0 is the highest of 7 binary digits, axis 30 the lowest
             * but one (axes 0,5,10,15,20,25,30 -> bits 6..0) */
            intptr_t i0 = (k >> 6) & 1, i30 = k & 1;
            double want;
            if (i0 - 1 < 0 || i30 + 1 > 1)
                want = -1.0;
            else
                want = (double)(k - 64 + 1);
            if (tarr_get(&out, k) != want) ok = 0;
        }
        CHECK(ok);
        tarr_free(&in);
        tarr_free(&out);
    }
    tu_context[0] = '\0';
}

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                     */

static long g_calls;
static int counting_map(intptr_t *oc, double *ic, int orank, int irank, void *ud) {
    (void)oc; (void)ic; (void)orank; (void)irank; (void)ud;
    g_calls++;
    return 1;
}

typedef struct {
    ndi_array in, out;
    const ndi_array *in_p, *out_p;
    int order, mode, prefilter;
    ndi_transform_func map;
    const ndi_options *options;
} gt_args;

static tarr g_in, g_out;

static void defaults(gt_args *a) {
    a->in = g_in.arr;
    a->out = g_out.arr;
    a->in_p = &a->in;
    a->out_p = &a->out;
    a->order = 3;
    a->mode = NDI_MODE_MIRROR;
    a->prefilter = 1;
    a->map = counting_map;
    a->options = NULL;
}

static void expect_status(const gt_args *a, ndi_status expected, const char *what, int line) {
    ndi_status st;
    TU_CTX("error case '%s' (line %d)", what, line);
    tarr_reset(&g_out);
    g_calls = 0;
    st = ndi_geometric_transform(a->in_p, a->out_p, a->order, a->mode, 0.0, a->prefilter, a->map,
                                 NULL, a->options);
    tu_check_status(st, expected, what, __FILE__, line);
    if (expected != NDI_OK) {
        CHECK_MESSAGE_HAS("ndi_geometric_transform");
        CHECK_MSG(tarr_untouched(&g_out), "output written on error");
        CHECK(g_calls == 0);
    }
}

#define EXPECT(a, st, what) expect_status(&(a), (st), (what), __LINE__)

static void test_errors(void) {
    intptr_t shape[2] = {3, 4}, oshape[2] = {2, 5};
    gt_args a;
    int i;
    tarr_init(&g_in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    for (i = 0; i < 12; i++) tarr_set(&g_in, i, (double)i);
    tarr_init(&g_out, NDI_DTYPE_FLOAT64, 2, oshape, LAY_C);

    defaults(&a); EXPECT(a, NDI_OK, "valid (output shape differs from input: allowed)");
    /* NULL pointers, ranks, shapes, strides, dtype and mode codes, orders, options: the
     * error matrix (test_error_matrix.c). Here: what is particular to this function. */
    defaults(&a); a.in.dtype = NDI_DTYPE_COMPLEX64; a.in.strides = NULL;
    EXPECT(a, NDI_ERR_INVALID_ARRAY, "complex input, real output");
    defaults(&a); a.out.dtype = NDI_DTYPE_COMPLEX64; a.out.strides = NULL;
    EXPECT(a, NDI_ERR_INVALID_ARRAY, "real input, complex output");

    for (i = 0; i <= 5; i++) {
        defaults(&a);
        a.order = i;
        EXPECT(a, NDI_OK, "orders 0..5 valid");
    }
    defaults(&a); a.prefilter = 7; EXPECT(a, NDI_OK, "prefilter: any non-zero");


    for (i = 0; i < 12; i++) CHECK_EQ(tarr_get(&g_in, i), (double)i);
    tarr_free(&g_in);
    tarr_free(&g_out);
    tu_context[0] = '\0';
}

int main(void) {
    test_identity();
    test_integer_shifts();
    test_spline_values();
    test_rank_changes();
    test_callback_contract();
    test_store_rule();
    test_complex();
    test_complex_null_strides();
    test_layouts();
    test_errors();
    return TU_DONE();
}
