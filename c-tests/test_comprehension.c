/* Tests of ndi_labeled_comprehension and ndi_histogram: what the callback receives (values
 * and positions in C order, entries in label order, user_data), defaults, conversions,
 * callback failure (stops the call, nothing written), threads, and histogram counts against
 * a reference, with every validation error. */
#include "test_util.h"

#define N 60

static double values[N];
static int labels_v[N];

static void make_data(void) {
    int k;
    for (k = 0; k < N; k++) {
        values[k] = (double)((k * 37) % 23) - 7.5;
        labels_v[k] = (k * 7) % 5; /* 0..4 */
    }
}

typedef struct {
    int calls;
    int fail_at;           /* 1-based call that fails; 0 = never */
    intptr_t order[16];    /* entries in call order */
    int bad;               /* mismatches seen by the callback */
} lc_state;

/* Checks what it gets against the data; returns sum * 10 + count. */
static int lc_check(const double *v, const intptr_t *p, intptr_t n, intptr_t entry, double *r,
                    void *ud) {
    lc_state *s = (lc_state *)ud;
    double sum = 0.0;
    intptr_t i;
    if (s->calls < 16) s->order[s->calls] = entry;
    s->calls++;
    if (s->fail_at && s->calls == s->fail_at) return 0;
    if (*r != -2.0) s->bad++; /* the default on entry */
    for (i = 0; i < n; i++) {
        if (p[i] < 0 || p[i] >= N || v[i] != values[p[i]]) s->bad++;
        if (i > 0 && p[i] <= p[i - 1]) s->bad++; /* C order */
        sum += v[i];
    }
    *r = sum * 10.0 + (double)n;
    return 1;
}

static int lc_positions_only(const double *v, const intptr_t *p, intptr_t n, intptr_t entry,
                             double *r, void *ud) {
    (void)entry;
    (void)ud;
    *r = (v == NULL && (n == 0 || p != NULL)) ? (double)n : -100.0;
    return 1;
}

static void test_comprehension(void) {
    intptr_t shape[2] = {6, 10}, six = 6, one = 1;
    tarr in, lab, idx, out, cin, one_out;
    /* index: 3, 1, 9 (absent), 1 (again), 0, 4 */
    double index_v[6] = {3, 1, 9, 1, 0, 4};
    int k, layout;
    make_data();
    for (layout = 0; layout < LAY_COUNT; layout++) {
        lc_state st;
        int g;
        ndi_options opt;
        ndi_options_init(&opt, sizeof opt);
        opt.threads = 1;
        tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, layout);
        tarr_init(&lab, NDI_DTYPE_INT16, 2, shape, (layout + 1) % LAY_COUNT);
        tarr_init(&idx, NDI_DTYPE_UINT8, 1, &six, LAY_C);
        tarr_init(&out, NDI_DTYPE_FLOAT64, 1, &six, layout);
        for (k = 0; k < N; k++) {
            tarr_set(&in, k, values[k]);
            tarr_set(&lab, k, (double)labels_v[k]);
        }
        for (k = 0; k < 6; k++) tarr_set(&idx, k, index_v[k]);
        memset(&st, 0, sizeof st);
        TU_CTX("labeled_comprehension layout %s", tu_layout_name(layout));
        CHECK_STATUS(ndi_labeled_comprehension(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr,
                                               lc_check, &st, NDI_PASS_VALUES | NDI_PASS_POSITIONS,
                                               -2.0, &out.arr, &opt),
                     NDI_OK);
        CHECK(st.bad == 0);
        CHECK(st.calls == 5);
        /* label order: 0 (entry 4), 1 (entries 1, 3), 3 (entry 0), 4 (entry 5) */
        CHECK(st.order[0] == 4 && st.order[1] == 1 && st.order[2] == 3 && st.order[3] == 0 &&
              st.order[4] == 5);
        for (g = 0; g < 6; g++) {
            double sum = 0.0, want;
            int n = 0;
            for (k = 0; k < N; k++)
                if (labels_v[k] == (int)index_v[g]) {
                    sum += values[k];
                    n++;
                }
            want = n ? sum * 10.0 + n : -2.0;
            CHECK_EQ(tarr_get(&out, g), want);
        }
        CHECK(tarr_gaps_untouched(&out));
        /* a failing call stops the others and writes nothing */
        tarr_reset(&out);
        memset(&st, 0, sizeof st);
        st.fail_at = 3;
        CHECK_STATUS(ndi_labeled_comprehension(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr,
                                               lc_check, &st, NDI_PASS_VALUES | NDI_PASS_POSITIONS,
                                               -2.0, &out.arr, &opt),
                     NDI_ERR_CALLBACK_FAILED);
        CHECK(st.calls == 3);
        CHECK(tarr_untouched(&out));
        tarr_free(&in);
        tarr_free(&lab);
        tarr_free(&idx);
        tarr_free(&out);
    }
    TU_CTX("%s", "");
    /* positions only (complex input allowed then), integer output truncates, threads */
    tarr_init(&cin, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    tarr_init(&lab, NDI_DTYPE_INT32, 2, shape, LAY_C);
    tarr_init(&idx, NDI_DTYPE_INT32, 1, &six, LAY_C);
    tarr_init(&out, NDI_DTYPE_INT32, 1, &six, LAY_C);
    for (k = 0; k < N; k++) tarr_set(&lab, k, (double)labels_v[k]);
    for (k = 0; k < 6; k++) tarr_set(&idx, k, index_v[k]);
    {
        int threads;
        for (threads = 1; threads <= 3; threads++) {
            ndi_options opt;
            ndi_options_init(&opt, sizeof opt);
            opt.threads = threads;
            opt.flags = NDI_FLAG_THREAD_SAFE_CALLBACK;
            TU_CTX("positions only, threads %d", threads);
            CHECK_STATUS(ndi_labeled_comprehension(&cin.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr,
                                                   lc_positions_only, NULL, NDI_PASS_POSITIONS,
                                                   -7.9, &out.arr, &opt),
                         NDI_OK);
            CHECK_EQ(tarr_get(&out, 0), 12.0); /* 12 elements of label 3 */
            CHECK_EQ(tarr_get(&out, 2), -7.0); /* default -7.9 truncated */
        }
        TU_CTX("%s", "");
        /* complex values cannot be passed as double */
        CHECK_STATUS(ndi_labeled_comprehension(&cin.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr,
                                               lc_positions_only, NULL, NDI_PASS_VALUES, 0.0,
                                               &out.arr, NULL),
                     NDI_ERR_INVALID_ARRAY);
        CHECK_STATUS(ndi_labeled_comprehension(&cin.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr,
                                               NULL, NULL, NDI_PASS_POSITIONS, 0.0, &out.arr, NULL),
                     NDI_ERR_NULL_POINTER);
        CHECK_STATUS(ndi_labeled_comprehension(&cin.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr,
                                               lc_positions_only, NULL, 4, 0.0, &out.arr, NULL),
                     NDI_ERR_INVALID_ARGUMENT);
    }
    /* one group: called once, also without elements; NULL output allowed */
    {
        lc_state st;
        intptr_t zero[2] = {0, 3};
        tarr e, el;
        tarr_init(&e, NDI_DTYPE_FLOAT64, 2, zero, LAY_C);
        tarr_init(&el, NDI_DTYPE_INT32, 2, zero, LAY_C);
        tarr_init(&one_out, NDI_DTYPE_FLOAT64, 1, &one, LAY_C);
        memset(&st, 0, sizeof st);
        CHECK_STATUS(ndi_labeled_comprehension(&e.arr, &el.arr, NDI_SELECT_POSITIVE, NULL, lc_check,
                                               &st, NDI_PASS_VALUES | NDI_PASS_POSITIONS, -2.0,
                                               &one_out.arr, NULL),
                     NDI_OK);
        CHECK(st.calls == 1 && st.order[0] == 0);
        CHECK_EQ(tarr_get(&one_out, 0), 0.0);
        CHECK_STATUS(ndi_labeled_comprehension(&e.arr, NULL, NDI_SELECT_ALL, NULL, lc_check, &st,
                                               NDI_PASS_VALUES, -2.0, NULL, NULL),
                     NDI_OK);
        CHECK(st.calls == 2);
        tarr_free(&e);
        tarr_free(&el);
        tarr_free(&one_out);
    }
    tarr_free(&cin);
    tarr_free(&lab);
    tarr_free(&idx);
    tarr_free(&out);
}

static void test_histogram(void) {
    intptr_t shape[2] = {6, 10}, three = 3, cshape[2] = {3, 4};
    double edges[5] = {-8.0, -2.0, 0.0, 0.0, 8.0};
    double bad_edges[3] = {0.0, 2.0, 1.0};
    tarr in, lab, idx, counts, sizes, small;
    int k, g, b;
    make_data();
    tarr_init(&in, NDI_DTYPE_FLOAT32, 2, shape, LAY_F);
    tarr_init(&lab, NDI_DTYPE_UINT8, 2, shape, LAY_NEG);
    tarr_init(&idx, NDI_DTYPE_INT64, 1, &three, LAY_C);
    tarr_init(&counts, NDI_DTYPE_INT64, 2, cshape, LAY_STRIDED);
    tarr_init(&sizes, NDI_DTYPE_INT64, 1, &three, LAY_C);
    for (k = 0; k < N; k++) {
        tarr_set(&in, k, k == 5 ? NAN : values[k]);
        tarr_set(&lab, k, (double)labels_v[k]);
    }
    tarr_set(&idx, 0, 2.0);
    tarr_set(&idx, 1, 7.0); /* absent */
    tarr_set(&idx, 2, 1.0);
    CHECK_STATUS(ndi_histogram(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, edges, 5,
                               &counts.arr, &sizes.arr, NULL),
                 NDI_OK);
    for (g = 0; g < 3; g++) {
        int want[4] = {0, 0, 0, 0}, size = 0;
        int label = (int)tarr_get(&idx, g);
        for (k = 0; k < N; k++) {
            double v = tarr_get(&in, k);
            if (labels_v[k] != label) continue;
            size++;
            if (v != v || v < -8.0 || v > 8.0) continue;
            if (v < -2.0) want[0]++;
            else if (v < 0.0) want[1]++;
            else want[3]++; /* the bin [0, 0) is empty; 0 goes to [0, 8] */
        }
        for (b = 0; b < 4; b++) CHECK_EQ(tarr_get(&counts, g * 4 + b), want[b]);
        CHECK_EQ(tarr_get(&sizes, g), size);
    }
    CHECK(tarr_gaps_untouched(&counts));
    tarr_init(&small, NDI_DTYPE_INT64, 1, &three, LAY_C);
    CHECK_STATUS(ndi_histogram(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, edges, 5,
                               &small.arr, NULL, NULL),
                 NDI_ERR_SHAPE_MISMATCH);
    CHECK(tarr_untouched(&small));
    CHECK_STATUS(ndi_histogram(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, bad_edges, 3,
                               &small.arr, NULL, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_histogram(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, edges, 1,
                               &small.arr, NULL, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_histogram(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, NULL, 5,
                               &counts.arr, NULL, NULL),
                 NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_histogram(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, edges, -3,
                               &counts.arr, NULL, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK(tarr_untouched(&small));
    tarr_free(&in);
    tarr_free(&lab);
    tarr_free(&idx);
    tarr_free(&counts);
    tarr_free(&sizes);
    tarr_free(&small);
}

int main(void) {
    test_comprehension();
    test_histogram();
    return TU_DONE();
}
