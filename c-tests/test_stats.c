/* Tests of the statistics over labels (ndi_sum_labels, ndi_mean, ndi_variance,
 * ndi_standard_deviation, ndi_minimum, ndi_maximum, ndi_median, ndi_minimum_position,
 * ndi_maximum_position, ndi_extrema, ndi_center_of_mass): results against references written
 * here from the documented rules (sequential float64 sums per label, NumPy's pairwise sum for
 * one group, first extreme in C order), every selection, layouts, thread counts, and every
 * validation error (nothing written after one). */
#include "test_util.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

static ndi_options threads_options(int threads) {
    ndi_options o;
    ndi_options_init(&o, sizeof o);
    o.threads = threads;
    return o;
}

/* NumPy's pairwise summation of n doubles (its loops_utils.h algorithm, written again). */
static double pairwise(const double *a, intptr_t n) {
    if (n < 8) {
        double r = -0.0;
        intptr_t i;
        for (i = 0; i < n; i++) r += a[i];
        return r;
    }
    if (n <= 128) {
        double r[8], res;
        intptr_t i, j;
        for (j = 0; j < 8; j++) r[j] = a[j];
        for (i = 8; i < n - (n % 8); i += 8)
            for (j = 0; j < 8; j++) r[j] += a[i + j];
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) res += a[i];
        return res;
    } else {
        intptr_t n2 = n / 2;
        n2 -= n2 % 8;
        return pairwise(a, n2) + pairwise(a + n2, n - n2);
    }
}

#define N0 13
#define N1 11
#define N2 7
#define NN (N0 * N1 * N2)

static double values[NN];
static int labels_v[NN];

static void make_data(int with_nan) {
    intptr_t k;
    for (k = 0; k < NN; k++) {
        values[k] = (double)((int)(rnd() % 2000) - 1000) / 8.0;
        labels_v[k] = (int)(rnd() % 6); /* 0..5; label 4 removed below */
        if (labels_v[k] == 4) labels_v[k] = 3;
        if (with_nan && k == 100) values[k] = NAN;
    }
}

static const intptr_t shape3[3] = {N0, N1, N2};

static void fill(tarr *t, const double *v) {
    intptr_t k;
    for (k = 0; k < t->len; k++) tarr_set(t, k, v[k]);
}

static void fill_labels(tarr *t) {
    intptr_t k;
    for (k = 0; k < t->len; k++) tarr_set(t, k, (double)labels_v[k]);
}

/* The index used below: labels 3, 1, 4 (absent), 5, 1 (again), 0. */
static const double index_v[6] = {3, 1, 4, 5, 1, 0};

static void test_each_path(void) {
    int layout;
    for (layout = 0; layout < LAY_COUNT; layout++) {
        tarr in, lab, idx, out, pos, com;
        intptr_t six = 6, pshape[2] = {6, 3};
        int g, a, threads = 1 + layout % 3;
        ndi_options opt = threads_options(threads);
        make_data(0);
        tarr_init(&in, layout % 2 ? NDI_DTYPE_FLOAT64 : NDI_DTYPE_FLOAT32, 3, shape3, layout);
        tarr_init(&lab, layout % 3 ? NDI_DTYPE_INT16 : NDI_DTYPE_UINT8, 3, shape3,
                  (layout + 2) % LAY_COUNT);
        tarr_init(&idx, NDI_DTYPE_FLOAT64, 1, &six, LAY_C);
        tarr_init(&out, NDI_DTYPE_FLOAT64, 1, &six, layout);
        tarr_init(&pos, NDI_DTYPE_INT64, 2, pshape, LAY_C);
        tarr_init(&com, NDI_DTYPE_FLOAT64, 2, pshape, LAY_F);
        fill(&in, values);
        fill_labels(&lab);
        fill(&idx, index_v);
        TU_CTX("each path, layout %s, threads %d", tu_layout_name(layout), threads);
        {
            /* references: float64 sums in C order of each label */
            double sum[6], cnt[6], sq[6], mn[6], mx[6], cm[6][3];
            intptr_t mnp[6], mxp[6];
            for (g = 0; g < 6; g++) {
                intptr_t k;
                double m;
                sum[g] = cnt[g] = sq[g] = 0.0;
                cm[g][0] = cm[g][1] = cm[g][2] = 0.0;
                mnp[g] = mxp[g] = -1;
                mn[g] = mx[g] = 0.0;
                for (k = 0; k < NN; k++) {
                    double v = tarr_get(&in, k);
                    if (labels_v[k] != (int)index_v[g]) continue;
                    sum[g] += v;
                    cnt[g] += 1.0;
                    cm[g][0] += v * (double)(k / (N1 * N2));
                    cm[g][1] += v * (double)((k / N2) % N1);
                    cm[g][2] += v * (double)(k % N2);
                    if (mnp[g] < 0 || v < mn[g]) { mn[g] = v; mnp[g] = k; }
                    if (mxp[g] < 0 || v > mx[g]) { mx[g] = v; mxp[g] = k; }
                }
                m = sum[g] / cnt[g];
                for (k = 0; k < NN; k++)
                    if (labels_v[k] == (int)index_v[g]) {
                        double c = tarr_get(&in, k) - m;
                        sq[g] += c * c;
                    }
            }
            CHECK_STATUS(ndi_sum_labels(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &out.arr, &opt), NDI_OK);
            for (g = 0; g < 6; g++) CHECK_EQ(tarr_get(&out, g), sum[g]);
            CHECK(tarr_gaps_untouched(&out));
            CHECK_STATUS(ndi_mean(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &out.arr, &opt), NDI_OK);
            for (g = 0; g < 6; g++) CHECK_EQ(tarr_get(&out, g), sum[g] / cnt[g]);
            CHECK(isnan(tarr_get(&out, 2)));
            CHECK_STATUS(ndi_variance(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &out.arr, &opt), NDI_OK);
            for (g = 0; g < 6; g++) CHECK_EQ(tarr_get(&out, g), sq[g] / cnt[g]);
            CHECK_STATUS(ndi_standard_deviation(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &out.arr, &opt), NDI_OK);
            for (g = 0; g < 6; g++) CHECK_EQ(tarr_get(&out, g), sqrt(sq[g] / cnt[g]));
            CHECK_STATUS(ndi_minimum(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &out.arr, &opt), NDI_OK);
            for (g = 0; g < 6; g++)
                if (g != 2) CHECK_EQ(tarr_get(&out, g), mn[g]);
            CHECK(isnan(tarr_get(&out, 2))); /* absent label, float input */
            CHECK_STATUS(ndi_maximum(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &out.arr, &opt), NDI_OK);
            for (g = 0; g < 6; g++)
                if (g != 2) CHECK_EQ(tarr_get(&out, g), mx[g]);
            CHECK_STATUS(ndi_maximum_position(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &pos.arr, &opt), NDI_OK);
            for (g = 0; g < 6; g++) {
                intptr_t p = mxp[g];
                double want[3];
                want[0] = p < 0 ? -1 : (double)(p / (N1 * N2));
                want[1] = p < 0 ? -1 : (double)((p / N2) % N1);
                want[2] = p < 0 ? -1 : (double)(p % N2);
                for (a = 0; a < 3; a++) CHECK_EQ(tarr_get(&pos, g * 3 + a), want[a]);
            }
            CHECK_STATUS(ndi_center_of_mass(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &com.arr, &opt), NDI_OK);
            for (g = 0; g < 6; g++)
                for (a = 0; a < 3; a++) {
                    double want = cm[g][a] / sum[g], got = tarr_get(&com, g * 3 + a);
                    CHECK(got == want || (isnan(got) && isnan(want)));
                }
            {
                /* ndi_extrema agrees with the separate functions */
                tarr lo, lop;
                tarr_init(&lo, NDI_DTYPE_FLOAT64, 1, &six, LAY_C);
                tarr_init(&lop, NDI_DTYPE_INT64, 2, pshape, LAY_C);
                CHECK_STATUS(ndi_extrema(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &lo.arr, NULL, &lop.arr, NULL, &opt), NDI_OK);
                for (g = 0; g < 6; g++)
                    if (g != 2) CHECK_EQ(tarr_get(&lo, g), mn[g]);
                CHECK_EQ(tarr_get(&lop, 2 * 3), -1.0);
                tarr_free(&lo);
                tarr_free(&lop);
            }
        }
        tarr_free(&in);
        tarr_free(&lab);
        tarr_free(&idx);
        tarr_free(&out);
        tarr_free(&pos);
        tarr_free(&com);
    }
    TU_CTX("%s", "");
}

static void test_one_group_paths(void) {
    tarr in, lab, one, out, iin;
    intptr_t k, m = 0, n1 = 1;
    double *sel = (double *)malloc(sizeof(double) * NN);
    ndi_options opt = threads_options(2);
    make_data(0);
    tarr_init(&in, NDI_DTYPE_FLOAT64, 3, shape3, LAY_C);
    tarr_init(&iin, NDI_DTYPE_INT32, 3, shape3, LAY_NEG);
    tarr_init(&lab, NDI_DTYPE_INT32, 3, shape3, LAY_F);
    tarr_init(&one, NDI_DTYPE_INT64, 1, &n1, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 1, &n1, LAY_C);
    fill(&in, values);
    fill_labels(&lab);
    for (k = 0; k < NN; k++) tarr_set(&iin, k, (double)(labels_v[k] * 1000 - 1700));
    tarr_set(&one, 0, 3.0);
    /* NDI_SELECT_VALUE: pairwise over the selected values in C order */
    for (k = 0; k < NN; k++)
        if (labels_v[k] == 3) sel[m++] = values[k];
    CHECK_STATUS(ndi_sum_labels(&in.arr, &lab.arr, NDI_SELECT_VALUE, &one.arr, &out.arr, &opt), NDI_OK);
    CHECK_EQ(tarr_get(&out, 0), 0.0 + pairwise(sel, m));
    CHECK_STATUS(ndi_mean(&in.arr, &lab.arr, NDI_SELECT_VALUE, &one.arr, &out.arr, &opt), NDI_OK);
    CHECK_EQ(tarr_get(&out, 0), (0.0 + pairwise(sel, m)) / (double)m);
    /* NDI_SELECT_POSITIVE */
    m = 0;
    for (k = 0; k < NN; k++)
        if (labels_v[k] > 0) sel[m++] = values[k];
    CHECK_STATUS(ndi_sum_labels(&in.arr, &lab.arr, NDI_SELECT_POSITIVE, NULL, &out.arr, &opt), NDI_OK);
    CHECK_EQ(tarr_get(&out, 0), 0.0 + pairwise(sel, m));
    /* NDI_SELECT_ALL on a C-contiguous input: one pairwise run; labels not read */
    CHECK_STATUS(ndi_sum_labels(&in.arr, NULL, NDI_SELECT_ALL, NULL, &out.arr, &opt), NDI_OK);
    CHECK_EQ(tarr_get(&out, 0), 0.0 + pairwise(values, NN));
    /* integer sums are exact, in int64 */
    {
        tarr o64;
        int64_t want = 0;
        tarr_init(&o64, NDI_DTYPE_INT64, 1, &n1, LAY_C);
        for (k = 0; k < NN; k++) want += labels_v[k] * 1000 - 1700;
        CHECK_STATUS(ndi_sum_labels(&iin.arr, NULL, NDI_SELECT_ALL, NULL, &o64.arr, &opt), NDI_OK);
        CHECK_EQ(tarr_get(&o64, 0), (double)want);
        tarr_free(&o64);
    }
    /* minimum and its position over one group: the first minimum in C order */
    {
        tarr pos;
        intptr_t pshape[2] = {1, 3}, best = -1;
        tarr_init(&pos, NDI_DTYPE_INT64, 2, pshape, LAY_C);
        for (k = 0; k < NN; k++)
            if (labels_v[k] > 0 && (best < 0 || values[k] < values[best])) best = k;
        CHECK_STATUS(ndi_minimum(&in.arr, &lab.arr, NDI_SELECT_POSITIVE, NULL, &out.arr, &opt), NDI_OK);
        CHECK_EQ(tarr_get(&out, 0), values[best]);
        CHECK_STATUS(ndi_minimum_position(&in.arr, &lab.arr, NDI_SELECT_POSITIVE, NULL, &pos.arr, &opt), NDI_OK);
        CHECK_EQ(tarr_get(&pos, 0), (double)(best / (N1 * N2)));
        CHECK_EQ(tarr_get(&pos, 2), (double)(best % N2));
        /* with a NaN the minimum is NaN, at the NaN */
        make_data(1);
        fill(&in, values);
        CHECK_STATUS(ndi_minimum_position(&in.arr, NULL, NDI_SELECT_ALL, NULL, &pos.arr, &opt), NDI_OK);
        CHECK_EQ(tarr_get(&pos, 0), (double)(100 / (N1 * N2)));
        CHECK_EQ(tarr_get(&pos, 1), (double)((100 / N2) % N1));
        CHECK_EQ(tarr_get(&pos, 2), (double)(100 % N2));
        tarr_free(&pos);
    }
    /* median: sorted middle values */
    {
        double v[5] = {5.0, -1.0, 7.0, 3.0, 2.0};
        intptr_t five = 5;
        tarr t;
        tarr_init(&t, NDI_DTYPE_INT8, 1, &five, LAY_STRIDED);
        fill(&t, v);
        CHECK_STATUS(ndi_median(&t.arr, NULL, NDI_SELECT_ALL, NULL, &out.arr, NULL), NDI_OK);
        CHECK_EQ(tarr_get(&out, 0), 3.0);
        tarr_free(&t);
    }
    free(sel);
    tarr_free(&in);
    tarr_free(&iin);
    tarr_free(&lab);
    tarr_free(&one);
    tarr_free(&out);
}

static void test_threads_agree(void) {
    tarr in, lab, idx, a, b;
    intptr_t six = 6;
    int threads, f;
    make_data(0);
    tarr_init(&in, NDI_DTYPE_FLOAT64, 3, shape3, LAY_C);
    tarr_init(&lab, NDI_DTYPE_INT32, 3, shape3, LAY_C);
    tarr_init(&idx, NDI_DTYPE_INT32, 1, &six, LAY_C);
    tarr_init(&a, NDI_DTYPE_FLOAT64, 1, &six, LAY_C);
    tarr_init(&b, NDI_DTYPE_FLOAT64, 1, &six, LAY_C);
    fill(&in, values);
    fill_labels(&lab);
    fill(&idx, index_v);
    for (f = 0; f < 4; f++) {
        ndi_options one = threads_options(1);
        ndi_status (*fn)(const ndi_array *, const ndi_array *, ndi_select, const ndi_array *,
                         const ndi_array *, const ndi_options *) =
            f == 0 ? ndi_sum_labels : f == 1 ? ndi_variance : f == 2 ? ndi_maximum : ndi_median;
        CHECK_STATUS(fn(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &a.arr, &one), NDI_OK);
        for (threads = 2; threads <= 5; threads++) {
            ndi_options opt = threads_options(threads);
            TU_CTX("function %d threads %d", f, threads);
            CHECK_STATUS(fn(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &b.arr, &opt), NDI_OK);
            CHECK(memcmp(a.mem, b.mem, a.memlen) == 0);
        }
    }
    TU_CTX("%s", "");
    tarr_free(&in);
    tarr_free(&lab);
    tarr_free(&idx);
    tarr_free(&a);
    tarr_free(&b);
}

static void test_errors(void) {
    tarr in, lab, idx, out, small, cin, cout, pos, bad_lab, two;
    intptr_t six = 6, five = 5, n2 = 2, pshape[2] = {6, 3};
    make_data(0);
    tarr_init(&in, NDI_DTYPE_FLOAT64, 3, shape3, LAY_C);
    tarr_init(&cin, NDI_DTYPE_COMPLEX128, 3, shape3, LAY_C);
    tarr_init(&lab, NDI_DTYPE_INT32, 3, shape3, LAY_C);
    tarr_init(&idx, NDI_DTYPE_INT32, 1, &six, LAY_C);
    tarr_init(&two, NDI_DTYPE_INT32, 1, &n2, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 1, &six, LAY_C);
    tarr_init(&small, NDI_DTYPE_FLOAT64, 1, &five, LAY_C);
    tarr_init(&cout, NDI_DTYPE_COMPLEX128, 1, &six, LAY_C);
    tarr_init(&pos, NDI_DTYPE_INT32, 2, pshape, LAY_C);
    {
        intptr_t other[3] = {N0, N1, N2 + 1};
        tarr_init(&bad_lab, NDI_DTYPE_INT32, 3, other, LAY_C);
    }
    fill(&in, values);
    fill_labels(&lab);
    fill(&idx, index_v);
    tarr_reset(&out);
    CHECK_STATUS(ndi_mean(NULL, &lab.arr, NDI_SELECT_EACH, &idx.arr, &out.arr, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_mean(&in.arr, NULL, NDI_SELECT_EACH, &idx.arr, &out.arr, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_mean(&in.arr, &lab.arr, NDI_SELECT_EACH, NULL, &out.arr, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_mean(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, NULL, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_mean(&in.arr, &lab.arr, NDI_DTYPE_FLOAT64, &idx.arr, &out.arr, NULL), NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("selection code");
    CHECK_STATUS(ndi_mean(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &small.arr, NULL), NDI_ERR_SHAPE_MISMATCH);
    CHECK(tarr_untouched(&small));
    CHECK_STATUS(ndi_mean(&in.arr, &bad_lab.arr, NDI_SELECT_EACH, &idx.arr, &out.arr, NULL), NDI_ERR_SHAPE_MISMATCH);
    CHECK_STATUS(ndi_mean(&in.arr, &lab.arr, NDI_SELECT_VALUE, &two.arr, &out.arr, NULL), NDI_ERR_SHAPE_MISMATCH);
    CHECK_STATUS(ndi_sum_labels(&cin.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &cout.arr, NULL), NDI_ERR_INVALID_ARRAY);
    {
        intptr_t n1 = 1;
        tarr o1;
        tarr_init(&o1, NDI_DTYPE_FLOAT64, 1, &n1, LAY_C);
        /* a complex result needs a complex output */
        CHECK_STATUS(ndi_sum_labels(&cin.arr, NULL, NDI_SELECT_ALL, NULL, &o1.arr, NULL), NDI_ERR_INVALID_ARRAY);
        CHECK(tarr_untouched(&o1));
        /* no element in a one-group selection: no minimum */
        tarr_set(&two, 0, 9.0);
        {
            tarr v;
            tarr_init(&v, NDI_DTYPE_INT32, 1, &n1, LAY_C);
            tarr_set(&v, 0, 9.0);
            CHECK_STATUS(ndi_minimum(&in.arr, &lab.arr, NDI_SELECT_VALUE, &v.arr, &o1.arr, NULL), NDI_ERR_INVALID_ARGUMENT);
            CHECK(tarr_untouched(&o1));
            tarr_free(&v);
        }
        tarr_free(&o1);
    }
    CHECK_STATUS(ndi_minimum_position(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &pos.arr, NULL), NDI_ERR_INVALID_ARRAY);
    CHECK(tarr_untouched(&pos));
    CHECK_STATUS(ndi_extrema(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &small.arr, NULL, NULL, NULL, NULL), NDI_ERR_SHAPE_MISMATCH);
    CHECK(tarr_untouched(&small));
    CHECK_STATUS(ndi_center_of_mass(&in.arr, &lab.arr, NDI_SELECT_EACH, &idx.arr, &out.arr, NULL), NDI_ERR_SHAPE_MISMATCH);
    CHECK(tarr_untouched(&out));
    tarr_free(&in);
    tarr_free(&cin);
    tarr_free(&lab);
    tarr_free(&idx);
    tarr_free(&two);
    tarr_free(&out);
    tarr_free(&small);
    tarr_free(&cout);
    tarr_free(&pos);
    tarr_free(&bad_lab);
}

int main(void) {
    test_each_path();
    test_one_group_paths();
    test_threads_agree();
    test_errors();
    return TU_DONE();
}
