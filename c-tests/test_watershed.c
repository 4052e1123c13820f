/* Tests of ndi_watershed_ift: results against a reference written here (per-level deques held
 * in plain arrays: LIFO for positive labels, FIFO for negative ones; neighbours checked per
 * axis), layouts and dtypes, in-place markers, and every validation error. */
#include "test_util.h"

static uint64_t rng_state = 0xC0FFEE123456789ull;

static uint32_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

/* Reference: 2-D images (rows x cols), 4- or 8-connectivity. */
static void ref_watershed(const int *image, const int *markers, int rows, int cols, int eight,
                          long *label) {
    int n = rows * cols, maxval = 0, k, level;
    int *cost = (int *)malloc(sizeof(int) * (size_t)n);
    char *done = (char *)calloc((size_t)n, 1);
    int **queue, *len;
    for (k = 0; k < n; k++)
        if (image[k] > maxval) maxval = image[k];
    queue = (int **)malloc(sizeof(int *) * (size_t)(maxval + 1));
    len = (int *)calloc((size_t)(maxval + 1), sizeof(int));
    for (level = 0; level <= maxval; level++) queue[level] = (int *)malloc(sizeof(int) * (size_t)(4 * n + 4));
    for (k = 0; k < n; k++) {
        label[k] = markers[k];
        cost[k] = markers[k] ? 0 : maxval + 1;
    }
    for (k = 0; k < n; k++) {
        if (markers[k] > 0) { /* front */
            memmove(queue[0] + 1, queue[0], sizeof(int) * (size_t)len[0]);
            queue[0][0] = k;
            len[0]++;
        } else if (markers[k] < 0) {
            queue[0][len[0]++] = k;
        }
    }
    for (level = 0; level <= maxval; level++) {
        while (len[level] > 0) {
            int v = queue[level][0], dr, dc;
            memmove(queue[level], queue[level] + 1, sizeof(int) * (size_t)(len[level] - 1));
            len[level]--;
            done[v] = 1;
            for (dr = -1; dr <= 1; dr++)
                for (dc = -1; dc <= 1; dc++) {
                    int r = v / cols + dr, c = v % cols + dc, p, w, m, i;
                    if ((dr == 0 && dc == 0) || (!eight && dr != 0 && dc != 0)) continue;
                    if (r < 0 || r >= rows || c < 0 || c >= cols) continue;
                    p = r * cols + c;
                    if (done[p]) continue;
                    w = abs(image[p] - image[v]);
                    m = cost[v] > w ? cost[v] : w;
                    if (m >= cost[p]) continue;
                    if (cost[p] <= maxval) { /* unqueue from its old level */
                        int old = cost[p];
                        for (i = 0; i < len[old]; i++)
                            if (queue[old][i] == p) break;
                        memmove(queue[old] + i, queue[old] + i + 1, sizeof(int) * (size_t)(len[old] - i - 1));
                        len[old]--;
                    }
                    cost[p] = m;
                    label[p] = label[v];
                    if (label[v] < 0) {
                        queue[m][len[m]++] = p;
                    } else {
                        memmove(queue[m] + 1, queue[m], sizeof(int) * (size_t)len[m]);
                        queue[m][0] = p;
                        len[m]++;
                    }
                }
        }
    }
    for (level = 0; level <= maxval; level++) free(queue[level]);
    free(queue);
    free(len);
    free(cost);
    free(done);
}

static void test_against_reference(void) {
    int trial;
    for (trial = 0; trial < 80; trial++) {
        int rows = 1 + (int)(rnd() % 12), cols = 1 + (int)(rnd() % 12), n = rows * cols, k;
        int eight = trial % 2, top = trial % 3 == 0 ? 3 : (trial % 3 == 1 ? 40 : 1000);
        intptr_t shape[2];
        int *image = (int *)malloc(sizeof(int) * (size_t)n);
        int *markers = (int *)calloc((size_t)n, sizeof(int));
        long *want = (long *)malloc(sizeof(long) * (size_t)n);
        tarr in, mk, out, st;
        intptr_t s33[2] = {3, 3};
        ndi_dtype it = top > 255 ? NDI_DTYPE_UINT16 : NDI_DTYPE_UINT8;
        ndi_dtype mt = trial % 4 == 0 ? NDI_DTYPE_INT8 : (trial % 4 == 1 ? NDI_DTYPE_INT64 : NDI_DTYPE_INT32);
        ndi_dtype ot = trial % 3 == 0 ? NDI_DTYPE_INT16 : NDI_DTYPE_INT64;
        shape[0] = rows;
        shape[1] = cols;
        for (k = 0; k < n; k++) image[k] = (int)(rnd() % (uint32_t)(top + 1));
        for (k = 0; k < 1 + trial % 4; k++) markers[rnd() % (uint32_t)n] = (k % 2) ? -(k + 1) : k + 1;
        ref_watershed(image, markers, rows, cols, eight, want);
        tarr_init(&in, it, 2, shape, trial % LAY_COUNT);
        tarr_init(&mk, mt, 2, shape, (trial + 1) % LAY_COUNT);
        tarr_init(&out, ot, 2, shape, (trial + 2) % LAY_COUNT);
        tarr_init(&st, NDI_DTYPE_BOOL, 2, s33, LAY_C);
        for (k = 0; k < n; k++) {
            tarr_set(&in, k, image[k]);
            tarr_set(&mk, k, markers[k]);
        }
        for (k = 0; k < 9; k++) tarr_set(&st, k, (eight || k % 2 == 1) ? 1.0 : 0.0);
        TU_CTX("watershed trial %d (%dx%d, %s)", trial, rows, cols, eight ? "8" : "4");
        CHECK_STATUS(ndi_watershed_ift(&in.arr, &mk.arr, eight ? &st.arr : NULL, &out.arr, NULL), NDI_OK);
        {
            int ok = 1;
            for (k = 0; k < n; k++)
                if (tarr_get(&out, k) != (double)want[k]) ok = 0;
            CHECK_MSG(ok, "labels differ from the reference");
        }
        CHECK(tarr_gaps_untouched(&out));
        /* in place: the markers array as the output */
        if (mt == ot || (mt == NDI_DTYPE_INT64 && ot == NDI_DTYPE_INT64)) {
            CHECK_STATUS(ndi_watershed_ift(&in.arr, &mk.arr, eight ? &st.arr : NULL, &mk.arr, NULL), NDI_OK);
            for (k = 0; k < n; k++) CHECK_EQ(tarr_get(&mk, k), (double)want[k]);
        }
        tarr_free(&in);
        tarr_free(&mk);
        tarr_free(&out);
        tarr_free(&st);
        free(image);
        free(markers);
        free(want);
    }
    TU_CTX("%s", "");
}

static void test_errors(void) {
    intptr_t shape[2] = {4, 5}, other[2] = {4, 6}, s34[2] = {3, 4};
    tarr in, i16, mk, mu, out, ou, small, wide;
    tarr_init(&in, NDI_DTYPE_UINT8, 2, shape, LAY_C);
    tarr_init(&i16, NDI_DTYPE_INT16, 2, shape, LAY_C);
    tarr_init(&mk, NDI_DTYPE_INT32, 2, shape, LAY_C);
    tarr_init(&mu, NDI_DTYPE_UINT32, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_INT32, 2, shape, LAY_C);
    tarr_init(&ou, NDI_DTYPE_UINT16, 2, shape, LAY_C);
    tarr_init(&small, NDI_DTYPE_INT32, 2, other, LAY_C);
    tarr_init(&wide, NDI_DTYPE_BOOL, 2, s34, LAY_C);
    memset(in.arr.data, 0, 20);
    CHECK_STATUS(ndi_watershed_ift(&i16.arr, &mk.arr, NULL, &out.arr, NULL), NDI_ERR_INVALID_ARRAY);
    CHECK_STATUS(ndi_watershed_ift(&in.arr, &mu.arr, NULL, &out.arr, NULL), NDI_ERR_INVALID_ARRAY);
    CHECK_STATUS(ndi_watershed_ift(&in.arr, &mk.arr, NULL, &ou.arr, NULL), NDI_ERR_INVALID_ARRAY);
    CHECK_STATUS(ndi_watershed_ift(&in.arr, &small.arr, NULL, &out.arr, NULL), NDI_ERR_SHAPE_MISMATCH);
    CHECK_STATUS(ndi_watershed_ift(&in.arr, &mk.arr, NULL, &small.arr, NULL), NDI_ERR_SHAPE_MISMATCH);
    CHECK_STATUS(ndi_watershed_ift(&in.arr, &mk.arr, &wide.arr, &out.arr, NULL), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_watershed_ift(NULL, &mk.arr, NULL, &out.arr, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_watershed_ift(&in.arr, NULL, NULL, &out.arr, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_watershed_ift(&in.arr, &mk.arr, NULL, NULL, NULL), NDI_ERR_NULL_POINTER);
    CHECK(tarr_untouched(&out) && tarr_untouched(&ou) && tarr_untouched(&small));
    tarr_free(&in);
    tarr_free(&i16);
    tarr_free(&mk);
    tarr_free(&mu);
    tarr_free(&out);
    tarr_free(&ou);
    tarr_free(&small);
    tarr_free(&wide);
}

int main(void) {
    test_against_reference();
    test_errors();
    return TU_DONE();
}
