/* Tests of ndi_label, ndi_find_objects and ndi_value_indices: results against independent
 * references written here (a flood fill numbering components in C order, boxes and value
 * positions by definition), every layout and several dtypes, thread counts, the two-call
 * pattern for results of unknown size, and every validation error (nothing written after
 * one). */
#include "test_util.h"

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                    */

static uint64_t rng_state = 88172645463325252ull;

static uint32_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

static intptr_t prod(const intptr_t *shape, int rank) {
    intptr_t n = 1;
    int a;
    for (a = 0; a < rank; a++) n *= shape[a];
    return n;
}

static void unravel(intptr_t k, const intptr_t *shape, int rank, intptr_t *index) {
    int a;
    for (a = rank - 1; a >= 0; a--) {
        index[a] = k % shape[a];
        k /= shape[a];
    }
}

/* Reference label: flood fill from each unlabelled foreground element in C order, through
 * the structure's offsets (3^rank mask in C order, centre ignored). Returns the count. */
static long ref_label(const unsigned char *fg, int rank, const intptr_t *shape,
                      const unsigned char *structure, long *labels) {
    intptr_t n = prod(shape, rank), k, head, tail;
    intptr_t *queue = (intptr_t *)malloc(sizeof(intptr_t) * (size_t)(n > 0 ? n : 1));
    int noff = 1, a, s;
    long count = 0;
    for (a = 0; a < rank; a++) noff *= 3;
    for (k = 0; k < n; k++) labels[k] = 0;
    for (k = 0; k < n; k++) {
        if (!fg[k] || labels[k]) continue;
        labels[k] = ++count;
        head = tail = 0;
        queue[tail++] = k;
        while (head < tail) {
            intptr_t v = queue[head++], idx[NDI_MAX_RANK];
            unravel(v, shape, rank, idx);
            for (s = 0; s < noff; s++) {
                intptr_t off[NDI_MAX_RANK], p = 0;
                int r = s, inside = 1, centre = 1;
                if (!structure[s]) continue;
                for (a = rank - 1; a >= 0; a--) {
                    off[a] = r % 3 - 1;
                    r /= 3;
                    if (off[a]) centre = 0;
                }
                if (centre) continue;
                for (a = 0; a < rank; a++) {
                    intptr_t j = idx[a] + off[a];
                    if (j < 0 || j >= shape[a]) inside = 0;
                    p = p * shape[a] + (j < 0 ? 0 : j);
                }
                if (inside && fg[p] && !labels[p]) {
                    labels[p] = count;
                    queue[tail++] = p;
                }
            }
        }
    }
    free(queue);
    return count;
}

static void cross_structure(int rank, unsigned char *s) {
    int n = 1, k, a;
    for (a = 0; a < rank; a++) n *= 3;
    for (k = 0; k < n; k++) {
        int r = k, nz = 0;
        for (a = 0; a < rank; a++) {
            nz += (r % 3) != 1;
            r /= 3;
        }
        s[k] = nz <= 1;
    }
}

/* A random point-symmetric structure. */
static void random_structure(int rank, unsigned char *s) {
    int n = 1, k, a;
    for (a = 0; a < rank; a++) n *= 3;
    for (k = 0; k < n / 2; k++) s[k] = s[n - 1 - k] = (unsigned char)(rnd() % 2);
    s[n / 2] = (unsigned char)(rnd() % 2);
}

static ndi_options threads_options(int threads) {
    ndi_options o;
    ndi_options_init(&o, sizeof o);
    o.threads = threads;
    return o;
}

/* ------------------------------------------------------------------------------------------ */
/* label                                                                                      */

static const ndi_dtype in_types[] = {NDI_DTYPE_UINT8, NDI_DTYPE_BOOL, NDI_DTYPE_INT32,
                                     NDI_DTYPE_FLOAT64, NDI_DTYPE_FLOAT32, NDI_DTYPE_INT64};
static const ndi_dtype out_types[] = {NDI_DTYPE_INT32, NDI_DTYPE_INT64, NDI_DTYPE_UINT16,
                                      NDI_DTYPE_FLOAT64, NDI_DTYPE_UINT32, NDI_DTYPE_FLOAT32};

static void test_label_against_reference(void) {
    int trial;
    for (trial = 0; trial < 240; trial++) {
        int rank = 1 + trial % 4, a, full = trial % 3 == 1, rand_s = trial % 3 == 2;
        intptr_t shape[4], n, k;
        unsigned char structure[81], *fg;
        long *expected, count;
        intptr_t got_count = -1;
        ndi_dtype it = in_types[trial % 6], ot = out_types[(trial / 6) % 6];
        int in_layout = trial % LAY_COUNT, out_layout = (trial / 3) % LAY_COUNT;
        int threads = 1 + trial % 3;
        tarr in, out, st;
        ndi_options opt = threads_options(threads);
        for (a = 0; a < rank; a++) shape[a] = 1 + (intptr_t)(rnd() % (rank == 1 ? 40 : rank == 2 ? 13 : 6));
        n = prod(shape, rank);
        if (full) {
            for (k = 0; k < 81; k++) structure[k] = 1;
        } else if (rand_s) {
            random_structure(rank, structure);
        } else {
            cross_structure(rank, structure);
        }
        fg = (unsigned char *)malloc((size_t)n);
        expected = (long *)malloc(sizeof(long) * (size_t)n);
        tarr_init(&in, it, rank, shape, in_layout);
        tarr_init(&out, ot, rank, shape, out_layout);
        for (k = 0; k < n; k++) {
            int on = rnd() % 100 < 55;
            fg[k] = (unsigned char)on;
            if (it == NDI_DTYPE_FLOAT64 || it == NDI_DTYPE_FLOAT32) {
                /* foreground includes NaN and negative values; -0.0 is background */
                tarr_set(&in, k, on ? (k % 7 == 0 ? NAN : -1.5 - (double)(k % 3)) : -0.0);
            } else {
                tarr_set(&in, k, on ? (double)(1 + k % 5) : 0.0);
            }
        }
        count = ref_label(fg, rank, shape, structure, expected);
        {
            intptr_t sshape[4] = {3, 3, 3, 3};
            tarr_init(&st, NDI_DTYPE_UINT8, rank, sshape, LAY_C);
            for (k = 0; k < st.len; k++) tarr_set(&st, k, structure[k]);
        }
        TU_CTX("label trial %d rank %d in %s out %s threads %d", trial, rank,
               tu_layout_name(in_layout), tu_layout_name(out_layout), threads);
        CHECK_STATUS(ndi_label(&in.arr, &out.arr, (full || rand_s) ? &st.arr : NULL, &got_count,
                               &opt),
                     NDI_OK);
        CHECK(got_count == count);
        {
            int ok = 1;
            for (k = 0; k < n; k++)
                if (tarr_get(&out, k) != (double)expected[k]) ok = 0;
            CHECK_MSG(ok, "labels differ from the reference");
        }
        CHECK(tarr_gaps_untouched(&out));
        tarr_free(&in);
        tarr_free(&out);
        tarr_free(&st);
        free(fg);
        free(expected);
    }
    TU_CTX("%s", "");
}

static void test_label_threads_agree(void) {
    intptr_t shape[3] = {37, 29, 31}, k;
    tarr in, a, b;
    int threads;
    unsigned char full[27];
    tarr st;
    intptr_t sshape[3] = {3, 3, 3};
    for (k = 0; k < 27; k++) full[k] = 1;
    tarr_init(&st, NDI_DTYPE_UINT8, 3, sshape, LAY_C);
    for (k = 0; k < 27; k++) tarr_set(&st, k, full[k]);
    tarr_init(&in, NDI_DTYPE_UINT8, 3, shape, LAY_C);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, rnd() % 100 < 30 ? 1.0 : 0.0);
    tarr_init(&a, NDI_DTYPE_INT32, 3, shape, LAY_C);
    tarr_init(&b, NDI_DTYPE_INT32, 3, shape, LAY_C);
    {
        ndi_options one = threads_options(1);
        intptr_t n1 = 0;
        CHECK_STATUS(ndi_label(&in.arr, &a.arr, &st.arr, &n1, &one), NDI_OK);
        for (threads = 2; threads <= 6; threads++) {
            ndi_options opt = threads_options(threads);
            intptr_t n = 0;
            TU_CTX("threads %d", threads);
            CHECK_STATUS(ndi_label(&in.arr, &b.arr, &st.arr, &n, &opt), NDI_OK);
            CHECK(n == n1);
            CHECK(memcmp(a.mem, b.mem, a.memlen) == 0);
        }
    }
    TU_CTX("%s", "");
    tarr_free(&in);
    tarr_free(&a);
    tarr_free(&b);
    tarr_free(&st);
}

static int stop_now(double fraction, void *user_data) {
    (void)fraction;
    ++*(int *)user_data;
    return 0;
}

static void test_label_errors(void) {
    intptr_t shape[2] = {4, 600}, other[2] = {4, 5}, k, count;
    intptr_t s33[2] = {3, 3}, s34[2] = {3, 4}, s3[1] = {3};
    tarr in, out, small, st, wide, skew, st1, cin;
    ndi_options bad;
    tarr_init(&in, NDI_DTYPE_UINT8, 2, shape, LAY_C);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, (k / 600 == 1 && k % 2 == 0) ? 1.0 : 0.0);
    tarr_init(&out, NDI_DTYPE_UINT8, 2, shape, LAY_C);
    tarr_init(&small, NDI_DTYPE_INT32, 2, other, LAY_C);
    tarr_init(&st, NDI_DTYPE_BOOL, 2, s33, LAY_C);
    for (k = 0; k < 9; k++) tarr_set(&st, k, 1.0);
    tarr_init(&wide, NDI_DTYPE_BOOL, 2, s34, LAY_C);
    for (k = 0; k < 12; k++) tarr_set(&wide, k, 1.0);
    tarr_init(&skew, NDI_DTYPE_BOOL, 2, s33, LAY_C);
    for (k = 0; k < 9; k++) tarr_set(&skew, k, k == 0 || k == 4 ? 1.0 : 0.0);
    tarr_init(&st1, NDI_DTYPE_BOOL, 1, s3, LAY_C);
    tarr_init(&cin, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);

    /* 300 components do not fit uint8: the count is reported, nothing written */
    count = -1;
    CHECK_STATUS(ndi_label(&in.arr, &out.arr, NULL, &count, NULL), NDI_ERR_INVALID_ARRAY);
    CHECK(count == 300);
    CHECK_MESSAGE_HAS("300 labels");
    CHECK(tarr_untouched(&out));

    count = -1;
    CHECK_STATUS(ndi_label(NULL, &out.arr, NULL, &count, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_label(&in.arr, NULL, NULL, &count, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_label(&in.arr, &small.arr, NULL, &count, NULL), NDI_ERR_SHAPE_MISMATCH);
    CHECK_STATUS(ndi_label(&in.arr, &out.arr, &wide.arr, &count, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_label(&in.arr, &out.arr, &skew.arr, &count, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("symmetric");
    CHECK_STATUS(ndi_label(&in.arr, &out.arr, &st1.arr, &count, NULL), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_label(&cin.arr, &out.arr, NULL, &count, NULL), NDI_ERR_INVALID_ARRAY);
    {
        ndi_array bad_code = in.arr;
        bad_code.dtype = NDI_MODE_REFLECT; /* a code of another enumeration */
        CHECK_STATUS(ndi_label(&bad_code, &out.arr, NULL, &count, NULL), NDI_ERR_INVALID_ARRAY);
        bad_code = in.arr;
        bad_code.rank = 0;
        CHECK_STATUS(ndi_label(&bad_code, &out.arr, NULL, &count, NULL), NDI_ERR_INVALID_ARRAY);
    }
    {
        intptr_t huge[2] = {INTPTR_MAX / 2, 4};
        ndi_array h = tu_desc(in.arr.data, NDI_DTYPE_UINT8, 2, huge, NULL);
        CHECK_STATUS(ndi_label(&h, &out.arr, NULL, &count, NULL), NDI_ERR_INVALID_ARRAY);
    }
    ndi_options_init(&bad, sizeof bad);
    bad.threads = -7;
    CHECK_STATUS(ndi_label(&in.arr, &out.arr, NULL, &count, &bad), NDI_ERR_INVALID_ARGUMENT);
    bad.threads = 1;
    bad.struct_size = 3;
    CHECK_STATUS(ndi_label(&in.arr, &out.arr, NULL, &count, &bad), NDI_ERR_INVALID_ARGUMENT);
    CHECK(count == -1);
    CHECK(tarr_untouched(&out));

    /* cancellation through the progress callback */
    {
        ndi_options opt = threads_options(1);
        int calls = 0;
        tarr ok;
        tarr_init(&ok, NDI_DTYPE_INT32, 2, shape, LAY_C);
        opt.progress = stop_now;
        opt.progress_user_data = &calls;
        CHECK_STATUS(ndi_label(&in.arr, &ok.arr, NULL, &count, &opt), NDI_ERR_CANCELLED);
        CHECK(calls >= 1);
        tarr_free(&ok);
    }
    /* a 300-label count fits int16; NULL num_labels is allowed */
    {
        tarr ok;
        tarr_init(&ok, NDI_DTYPE_INT16, 2, shape, LAY_NEG);
        CHECK_STATUS(ndi_label(&in.arr, &ok.arr, &st.arr, NULL, NULL), NDI_OK);
        CHECK(tarr_get(&ok, 600) == 1.0 && tarr_get(&ok, 1198) == 300.0);
        tarr_free(&ok);
    }
    tarr_free(&in);
    tarr_free(&out);
    tarr_free(&small);
    tarr_free(&st);
    tarr_free(&wide);
    tarr_free(&skew);
    tarr_free(&st1);
    tarr_free(&cin);
}

/* ------------------------------------------------------------------------------------------ */
/* find_objects                                                                               */

static void test_find_objects(void) {
    int trial;
    for (trial = 0; trial < 60; trial++) {
        int rank = 1 + trial % 4, a, layout = trial % LAY_COUNT;
        intptr_t shape[4], n, k, K = 0, maxv = 0, i;
        ndi_dtype dt = (trial % 3 == 0) ? NDI_DTYPE_FLOAT64 : (trial % 3 == 1 ? NDI_DTYPE_INT16 : NDI_DTYPE_UINT32);
        tarr in, boxes;
        int64_t *ref;
        intptr_t bshape[3];
        ndi_options opt = threads_options(1 + trial % 3);
        for (a = 0; a < rank; a++) shape[a] = 1 + (intptr_t)(rnd() % (rank == 1 ? 30 : 7));
        n = prod(shape, rank);
        tarr_init(&in, dt, rank, shape, layout);
        for (k = 0; k < n; k++) {
            intptr_t v = (intptr_t)(rnd() % 9) - (dt == NDI_DTYPE_INT16 ? 2 : 0);
            if (v == 4) v = 0; /* label 4 is absent */
            if (v > maxv) maxv = v;
            tarr_set(&in, k, (double)v);
            if (dt == NDI_DTYPE_FLOAT64 && k % 5 == 0) tarr_set(&in, k, 2.5); /* no label */
        }
        if (dt == NDI_DTYPE_FLOAT64) {
            maxv = 0;
            for (k = 0; k < n; k++) {
                double v = tarr_get(&in, k);
                if (v == floor(v) && v > (double)maxv) maxv = (intptr_t)v;
            }
        }
        TU_CTX("find_objects trial %d rank %d layout %s", trial, rank, tu_layout_name(layout));
        CHECK_STATUS(ndi_find_objects(&in.arr, 0, NULL, &K, &opt), NDI_OK);
        CHECK(K == maxv);
        if (trial % 4 == 3) K += 3; /* more labels than present: trailing empty boxes */
        if (K == 0) {
            tarr_free(&in);
            continue;
        }
        ref = (int64_t *)calloc((size_t)(K * rank * 2), sizeof(int64_t));
        for (i = 0; i < K; i++) ref[i * rank * 2] = -1;
        for (k = 0; k < n; k++) {
            double v = tarr_get(&in, k);
            intptr_t idx[4], L;
            if (v < 1 || v != floor(v) || v > (double)K) continue;
            L = (intptr_t)v - 1;
            unravel(k, shape, rank, idx);
            if (ref[L * rank * 2] < 0) {
                for (a = 0; a < rank; a++) {
                    ref[(L * rank + a) * 2] = idx[a];
                    ref[(L * rank + a) * 2 + 1] = idx[a] + 1;
                }
            } else {
                for (a = 0; a < rank; a++) {
                    if (idx[a] < ref[(L * rank + a) * 2]) ref[(L * rank + a) * 2] = idx[a];
                    if (idx[a] + 1 > ref[(L * rank + a) * 2 + 1]) ref[(L * rank + a) * 2 + 1] = idx[a] + 1;
                }
            }
        }
        for (i = 0; i < K; i++)
            if (ref[i * rank * 2] < 0)
                for (a = 0; a < 2 * rank; a++) ref[i * rank * 2 + a] = 0;
        bshape[0] = K;
        bshape[1] = rank;
        bshape[2] = 2;
        tarr_init(&boxes, NDI_DTYPE_INT64, 3, bshape, (trial / 2) % LAY_COUNT);
        CHECK_STATUS(ndi_find_objects(&in.arr, K, &boxes.arr, NULL, &opt), NDI_OK);
        {
            int ok = 1;
            for (k = 0; k < K * rank * 2; k++)
                if (tarr_get(&boxes, k) != (double)ref[k]) ok = 0;
            CHECK_MSG(ok, "boxes differ from the reference");
        }
        CHECK(tarr_gaps_untouched(&boxes));
        /* a buffer for one label fewer: shape mismatch, nothing written */
        if (K > 1) {
            tarr fewer;
            bshape[0] = K - 1;
            tarr_init(&fewer, NDI_DTYPE_INT64, 3, bshape, LAY_C);
            CHECK_STATUS(ndi_find_objects(&in.arr, K, &fewer.arr, NULL, &opt),
                         NDI_ERR_SHAPE_MISMATCH);
            CHECK(tarr_untouched(&fewer));
            tarr_free(&fewer);
        }
        free(ref);
        tarr_free(&boxes);
        tarr_free(&in);
    }
    TU_CTX("%s", "");
    {
        intptr_t shape[1] = {4}, bshape[3] = {2, 1, 2};
        tarr in, boxes, cin;
        tarr_init(&in, NDI_DTYPE_INT32, 1, shape, LAY_C);
        tarr_init(&cin, NDI_DTYPE_COMPLEX64, 1, shape, LAY_C);
        tarr_init(&boxes, NDI_DTYPE_INT32, 3, bshape, LAY_C);
        CHECK_STATUS(ndi_find_objects(&in.arr, 0, NULL, NULL, NULL), NDI_ERR_NULL_POINTER);
        CHECK_STATUS(ndi_find_objects(&in.arr, 2, &boxes.arr, NULL, NULL), NDI_ERR_INVALID_ARRAY);
        CHECK(tarr_untouched(&boxes));
        CHECK_STATUS(ndi_find_objects(&cin.arr, 2, NULL, NULL, NULL), NDI_ERR_INVALID_ARRAY);
        CHECK_STATUS(ndi_find_objects(NULL, 2, NULL, NULL, NULL), NDI_ERR_NULL_POINTER);
        tarr_free(&in);
        tarr_free(&cin);
        tarr_free(&boxes);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* value_indices                                                                              */

static int cmp_i64(const void *x, const void *y) {
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static void test_value_indices(void) {
    int trial;
    for (trial = 0; trial < 40; trial++) {
        int rank = 1 + trial % 4, a, layout = (trial * 5) % LAY_COUNT, ignore = trial % 2;
        intptr_t shape[4], n, k, K = -1, M = -1, j;
        ndi_dtype dt = trial % 4 == 0 ? NDI_DTYPE_INT8 : (trial % 4 == 1 ? NDI_DTYPE_UINT16 : NDI_DTYPE_INT64);
        tarr in, values, counts, indices, ig;
        intptr_t one[1] = {1}, ishape[2];
        int64_t *vals, *sorted;
        intptr_t nd = 0;
        for (a = 0; a < rank; a++) shape[a] = 1 + (intptr_t)(rnd() % (rank == 1 ? 30 : 6));
        n = prod(shape, rank);
        tarr_init(&in, dt, rank, shape, layout);
        vals = (int64_t *)malloc(sizeof(int64_t) * (size_t)n);
        sorted = (int64_t *)malloc(sizeof(int64_t) * (size_t)n);
        for (k = 0; k < n; k++) {
            int64_t v = (int64_t)(rnd() % 6);
            if (dt == NDI_DTYPE_INT8) v -= 3;
            if (dt == NDI_DTYPE_INT64 && v == 5) v = (int64_t)1 << 45; /* a wide range */
            vals[k] = v;
            tarr_set(&in, k, (double)v);
        }
        tarr_init(&ig, NDI_DTYPE_INT32, 1, one, LAY_C);
        tarr_set(&ig, 0, 1.0);
        for (k = 0; k < n; k++)
            if (!(ignore && vals[k] == 1)) sorted[nd++] = vals[k];
        qsort(sorted, (size_t)nd, sizeof(int64_t), cmp_i64);
        TU_CTX("value_indices trial %d rank %d layout %s", trial, rank, tu_layout_name(layout));
        CHECK_STATUS(ndi_value_indices(&in.arr, ignore ? &ig.arr : NULL, NULL, NULL, NULL, &K, &M, NULL),
                     NDI_OK);
        CHECK(M == nd);
        {
            intptr_t distinct = 0;
            for (k = 0; k < nd; k++)
                if (k == 0 || sorted[k] != sorted[k - 1]) distinct++;
            CHECK(K == distinct);
        }
        ishape[0] = rank;
        ishape[1] = M;
        tarr_init(&values, dt, 1, &K, (trial / 3) % LAY_COUNT);
        tarr_init(&counts, NDI_DTYPE_INT64, 1, &K, LAY_C);
        tarr_init(&indices, NDI_DTYPE_INT64, 2, ishape, (trial / 2) % LAY_COUNT);
        CHECK_STATUS(ndi_value_indices(&in.arr, ignore ? &ig.arr : NULL, &values.arr, &counts.arr,
                                       &indices.arr, NULL, NULL, NULL),
                     NDI_OK);
        {
            /* values ascending and distinct, counts sum to M, positions in C order per value
             * and holding that value */
            int ok = 1;
            intptr_t off = 0, g;
            for (g = 0; g < K; g++) {
                double v = tarr_get(&values, g);
                intptr_t c = (intptr_t)tarr_get(&counts, g), last = -1;
                if (g > 0 && !(v > tarr_get(&values, g - 1))) ok = 0;
                for (j = off; j < off + c; j++) {
                    intptr_t flat = 0;
                    for (a = 0; a < rank; a++)
                        flat = flat * shape[a] + (intptr_t)tarr_get(&indices, a * M + j);
                    if (flat <= last || (double)vals[flat] != v) ok = 0;
                    last = flat;
                }
                off += c;
            }
            CHECK_MSG(ok && off == M, "value_indices differ from the definition");
        }
        CHECK(tarr_gaps_untouched(&indices) && tarr_gaps_untouched(&values));
        /* wrong sizes: nothing written */
        {
            tarr wrong;
            intptr_t wshape[2] = {rank, M + 1};
            tarr_init(&wrong, NDI_DTYPE_INT64, 2, wshape, LAY_C);
            tarr_reset(&values);
            CHECK_STATUS(ndi_value_indices(&in.arr, ignore ? &ig.arr : NULL, &values.arr, &counts.arr,
                                           &wrong.arr, NULL, NULL, NULL),
                         NDI_ERR_SHAPE_MISMATCH);
            CHECK(tarr_untouched(&wrong) && tarr_untouched(&values));
            CHECK_STATUS(ndi_value_indices(&in.arr, NULL, &values.arr, NULL, &indices.arr, NULL,
                                           NULL, NULL),
                         NDI_ERR_NULL_POINTER);
            tarr_free(&wrong);
        }
        tarr_free(&in);
        tarr_free(&ig);
        tarr_free(&values);
        tarr_free(&counts);
        tarr_free(&indices);
        free(vals);
        free(sorted);
    }
    TU_CTX("%s", "");
    {
        intptr_t shape[1] = {3}, K, M;
        tarr f, b;
        tarr_init(&f, NDI_DTYPE_FLOAT64, 1, shape, LAY_C);
        tarr_init(&b, NDI_DTYPE_BOOL, 1, shape, LAY_C);
        CHECK_STATUS(ndi_value_indices(&f.arr, NULL, NULL, NULL, NULL, &K, &M, NULL),
                     NDI_ERR_INVALID_ARRAY);
        CHECK_STATUS(ndi_value_indices(&b.arr, NULL, NULL, NULL, NULL, &K, &M, NULL),
                     NDI_ERR_INVALID_ARRAY);
        CHECK_STATUS(ndi_value_indices(&f.arr, NULL, NULL, NULL, NULL, NULL, &M, NULL),
                     NDI_ERR_NULL_POINTER);
        tarr_free(&f);
        tarr_free(&b);
    }
}

int main(void) {
    test_label_against_reference();
    test_label_threads_agree();
    test_label_errors();
    test_find_objects();
    test_value_indices();
    return TU_DONE();
}
