/* Tests of ndi_vectorized_filter: results against ndi_generic_filter with the same arithmetic
 * (every mode and layout, footprints, origins, dtypes) and against a reference written here
 * for windows inside the input (scipy's mode='valid'), batch sizes from batch_memory, calls
 * on the calling thread without NDI_FLAG_THREAD_SAFE_CALLBACK, identical results for every
 * thread count with it, user_data, a failing callback, cancellation, and every validation
 * error (nothing written after one). */
#include "test_util.h"

#include <pthread.h>

/* ------------------------------------------------------------------------------------------ */
/* Callbacks                                                                                  */

typedef struct {
    pthread_mutex_t lock;
    long calls;
    long windows;
    long off_thread;
    intptr_t largest; /* most windows in one call */
    intptr_t size;    /* window_size seen (-1: none yet, -2: varied) */
    pthread_t caller;
    long fail_at;     /* call number (from 1) that fails; 0: never */
} batch_state;

static void bs_init(batch_state *s) {
    pthread_mutex_init(&s->lock, NULL);
    s->calls = s->windows = s->off_thread = 0;
    s->largest = 0;
    s->size = -1;
    s->caller = pthread_self();
    s->fail_at = 0;
}

/* Notes the call; returns 0 if it is the one to fail. */
static int bs_note(batch_state *s, intptr_t n, intptr_t size) {
    long call;
    pthread_mutex_lock(&s->lock);
    call = ++s->calls;
    s->windows += (long)n;
    if (n > s->largest) s->largest = n;
    if (s->size == -1) s->size = size;
    else if (s->size != size) s->size = -2;
    if (!pthread_equal(pthread_self(), s->caller)) s->off_thread++;
    pthread_mutex_unlock(&s->lock);
    return call != s->fail_at;
}

/* sum_k w[k] * (k + 1) per window; scribbles over the windows afterwards (allowed). */
static int batch_weighted(double *windows, intptr_t n, intptr_t size, double *results,
                          void *ud) {
    intptr_t i, k;
    if (ud && !bs_note((batch_state *)ud, n, size)) return 0;
    for (i = 0; i < n; i++) {
        double acc = 0.0;
        if (results[i] != 0.0) return 0; /* results start at 0.0 */
        for (k = 0; k < size; k++) acc += windows[i * size + k] * (double)(k + 1);
        results[i] = acc;
        for (k = 0; k < size; k++) windows[i * size + k] = -12345.0;
    }
    return 1;
}

/* The same arithmetic, one window per call: ndi_generic_filter's prototype. */
static int single_weighted(double *buffer, intptr_t size, double *result, void *ud) {
    double acc = 0.0;
    intptr_t k;
    (void)ud;
    for (k = 0; k < size; k++) acc += buffer[k] * (double)(k + 1);
    *result = acc;
    return 1;
}

static int batch_fail(double *windows, intptr_t n, intptr_t size, double *results, void *ud) {
    (void)windows;
    (void)n;
    (void)size;
    (void)results;
    (void)ud;
    return 0;
}

static double test_value(intptr_t k, int salt) {
    return (double)((k * 37 + salt * 11 + (k * k) % 7) % 31) - 12.0;
}

static void fill(tarr *t, int salt) {
    intptr_t k;
    for (k = 0; k < t->len; k++) {
        double v = test_value(k, salt);
        if (t->arr.dtype == NDI_DTYPE_UINT8) v += 12.0;
        if (t->arr.dtype == NDI_DTYPE_BOOL) v = (double)(k % 3 == 0);
        tarr_set(t, k, v);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Results                                                                                    */

/* ndi_vectorized_filter equals ndi_generic_filter with the same arithmetic. */
static void compare_with_generic(tarr *in, ndi_dtype out_type, int out_layout,
                                 const ndi_array *footprint, const intptr_t *size,
                                 const intptr_t *origins, ndi_mode mode, double cval,
                                 size_t batch_memory) {
    tarr a, b;
    intptr_t k;
    tarr_init(&a, out_type, in->rank, in->shape, out_layout);
    tarr_init(&b, out_type, in->rank, in->shape, LAY_C);
    if (CHECK_STATUS(ndi_vectorized_filter(&in->arr, &a.arr, footprint, size, origins, mode,
                                           cval, batch_memory, batch_weighted, NULL, NULL),
                     NDI_OK) &&
        CHECK_STATUS(ndi_generic_filter(&in->arr, &b.arr, footprint, size, origins, mode, cval,
                                        single_weighted, NULL, NULL),
                     NDI_OK)) {
        for (k = 0; k < in->len; k++) CHECK_EQ(tarr_get(&a, k), tarr_get(&b, k));
        CHECK(tarr_gaps_untouched(&a));
    }
    tarr_free(&a);
    tarr_free(&b);
}

static void test_modes_layouts_dtypes(void) {
    static const ndi_mode modes[] = {NDI_MODE_REFLECT, NDI_MODE_CONSTANT, NDI_MODE_NEAREST,
                                     NDI_MODE_MIRROR, NDI_MODE_WRAP, NDI_MODE_GRID_CONSTANT,
                                     NDI_MODE_GRID_MIRROR, NDI_MODE_GRID_WRAP};
    static const ndi_dtype types[] = {NDI_DTYPE_FLOAT64, NDI_DTYPE_FLOAT32, NDI_DTYPE_INT16,
                                      NDI_DTYPE_UINT8, NDI_DTYPE_BOOL, NDI_DTYPE_INT64};
    static const intptr_t shape[2] = {5, 9}, size[2] = {3, 4}, origins[2] = {1, -2};
    int m, t, li, lo;
    for (m = 0; m < 8; m++)
        for (t = 0; t < 6; t++)
            for (li = 0; li < LAY_COUNT; li++)
                for (lo = 0; lo < LAY_COUNT; lo += 3) {
                    tarr in;
                    TU_CTX("mode %#x type %#x layouts %s/%s", modes[m], types[t],
                           tu_layout_name(li), tu_layout_name(lo));
                    tarr_init(&in, types[t], 2, shape, li);
                    fill(&in, m + t);
                    compare_with_generic(&in, t % 2 ? NDI_DTYPE_FLOAT64 : types[t], lo, NULL,
                                         size, origins, modes[m], -3.5, 0);
                    compare_with_generic(&in, NDI_DTYPE_FLOAT32, lo, NULL, size, NULL, modes[m],
                                         2.0, 8 * 12 * 2);
                    tarr_free(&in);
                }
    TU_CTX("%s", "");
}

static void test_footprints_and_ranks(void) {
    static const intptr_t shape3[3] = {4, 3, 6}, fshape3[3] = {2, 3, 3};
    static const intptr_t origins3[3] = {0, 1, -1};
    static const intptr_t shape1[1] = {7}, size1[1] = {11};
    tarr in, fp, in1;
    intptr_t k;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 3, shape3, LAY_F);
    tarr_init(&fp, NDI_DTYPE_UINT8, 3, fshape3, LAY_C);
    fill(&in, 4);
    for (k = 0; k < fp.len; k++) tarr_set(&fp, k, (double)((k * 5) % 3 != 0));
    TU_CTX("3-D footprint");
    compare_with_generic(&in, NDI_DTYPE_FLOAT64, LAY_NEG, &fp.arr, NULL, origins3,
                         NDI_MODE_MIRROR, 0.0, 0);
    TU_CTX("all-false footprint");
    memset(fp.arr.data, 0, (size_t)fp.len);
    compare_with_generic(&in, NDI_DTYPE_FLOAT64, LAY_C, &fp.arr, NULL, NULL, NDI_MODE_WRAP, 0.0,
                         8);
    TU_CTX("1-D window wider than the axis");
    tarr_init(&in1, NDI_DTYPE_INT32, 1, shape1, LAY_STRIDED);
    fill(&in1, 2);
    compare_with_generic(&in1, NDI_DTYPE_FLOAT64, LAY_C, NULL, size1, NULL, NDI_MODE_REFLECT,
                         0.0, 0);
    tarr_free(&in);
    tarr_free(&fp);
    tarr_free(&in1);
    TU_CTX("%s", "");
}

static void test_valid(void) {
    /* Output of shape n - fs + 1: output i is the window over input i .. i + fs, by the
     * definition here. */
    static const intptr_t shape[2] = {6, 7}, size[2] = {3, 2}, oshape[2] = {4, 6};
    static const intptr_t empty[2] = {0, 6}, small[2] = {2, 7}; /* 2 - 3 + 1 = 0 rows */
    static const intptr_t zeros[2] = {0, 0};
    tarr in, out, none, in_small;
    intptr_t i, j, a, b;
    int layout;
    for (layout = 0; layout < LAY_COUNT; layout++) {
        TU_CTX("valid, layout %s", tu_layout_name(layout));
        tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, layout);
        tarr_init(&out, NDI_DTYPE_FLOAT64, 2, oshape, LAY_C);
        fill(&in, layout);
        if (CHECK_STATUS(ndi_vectorized_filter(&in.arr, &out.arr, NULL, size, zeros,
                                               NDI_MODE_CONSTANT, 1e300, 0, batch_weighted,
                                               NULL, NULL),
                         NDI_OK)) {
            for (i = 0; i < 4; i++)
                for (j = 0; j < 6; j++) {
                    double acc = 0.0, w = 1.0;
                    for (a = 0; a < 3; a++)
                        for (b = 0; b < 2; b++, w += 1.0) acc += tarr_get(&in, (i + a) * 7 + j + b) * w;
                    CHECK_EQ(tarr_get(&out, i * 6 + j), acc);
                }
        }
        tarr_free(&in);
        tarr_free(&out);
    }
    TU_CTX("valid, no window fits");
    tarr_init(&in_small, NDI_DTYPE_FLOAT64, 2, small, LAY_C);
    tarr_init(&none, NDI_DTYPE_FLOAT64, 2, empty, LAY_C);
    fill(&in_small, 1);
    CHECK_STATUS(ndi_vectorized_filter(&in_small.arr, &none.arr, NULL, size, NULL,
                                       NDI_MODE_REFLECT, 0.0, 0, batch_weighted, NULL, NULL),
                 NDI_OK);
    CHECK(tarr_untouched(&none));
    tarr_free(&in_small);
    tarr_free(&none);
    TU_CTX("%s", "");
}

static void test_batches(void) {
    /* 3x3 windows (72 bytes): batch_memory 72 * 16 gives 16, 16, 16, 2 windows per line of 50
     * (a batch never spans lines); the default holds a whole line. */
    static const intptr_t shape[2] = {6, 50}, size[2] = {3, 3};
    tarr in, out;
    batch_state s;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    fill(&in, 0);
    bs_init(&s);
    TU_CTX("batches of 16");
    CHECK_STATUS(ndi_vectorized_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_REFLECT,
                                       0.0, 72 * 16 + 71, batch_weighted, &s, NULL),
                 NDI_OK);
    CHECK(s.calls == 6 * 4 && s.windows == 300 && s.largest == 16 && s.size == 9);
    bs_init(&s);
    TU_CTX("default batches");
    CHECK_STATUS(ndi_vectorized_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_REFLECT,
                                       0.0, NDI_BATCH_MEMORY_DEFAULT, batch_weighted, &s, NULL),
                 NDI_OK);
    CHECK(s.calls == 6 && s.windows == 300 && s.largest == 50);
    tarr_free(&in);
    tarr_free(&out);
    TU_CTX("%s", "");
}

static void test_threads(void) {
    static const intptr_t shape[3] = {30, 17, 40}, size[3] = {3, 2, 5};
    tarr in, ref, out;
    batch_state s;
    ndi_options o;
    int t;
    size_t bytes;
    tarr_init(&in, NDI_DTYPE_FLOAT32, 3, shape, LAY_C);
    tarr_init(&ref, NDI_DTYPE_FLOAT64, 3, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 3, shape, LAY_C);
    bytes = (size_t)ref.len * ref.item;
    fill(&in, 3);
    ndi_options_init(&o, sizeof o);
    o.threads = 4;
    bs_init(&s);
    TU_CTX("4 threads without the flag");
    CHECK_STATUS(ndi_vectorized_filter(&in.arr, &ref.arr, NULL, size, NULL, NDI_MODE_NEAREST,
                                       0.0, 0, batch_weighted, &s, &o),
                 NDI_OK);
    CHECK(s.off_thread == 0 && s.calls == 30 * 17);
    o.flags = NDI_FLAG_THREAD_SAFE_CALLBACK;
    for (t = 1; t <= 4; t++) {
        TU_CTX("%d threads with the flag", t);
        o.threads = t;
        bs_init(&s);
        tarr_reset(&out);
        CHECK_STATUS(ndi_vectorized_filter(&in.arr, &out.arr, NULL, size, NULL,
                                           NDI_MODE_NEAREST, 0.0, 0, batch_weighted, &s, &o),
                     NDI_OK);
        CHECK(memcmp(out.arr.data, ref.arr.data, bytes) == 0);
        CHECK(s.calls == 30 * 17 && s.largest == 40);
        if (t == 1) CHECK(s.off_thread == 0);
    }
    tarr_free(&in);
    tarr_free(&ref);
    tarr_free(&out);
    TU_CTX("%s", "");
}

static void test_failure_and_cancel(void) {
    static const intptr_t shape[2] = {5, 8}, size[2] = {1, 3};
    tarr in, out;
    batch_state s;
    intptr_t k;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    fill(&in, 1);
    bs_init(&s);
    s.fail_at = 3;
    TU_CTX("the third batch fails");
    CHECK_STATUS(ndi_vectorized_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_WRAP,
                                       0.0, 8 * 3 * 4, batch_weighted, &s, NULL),
                 NDI_ERR_CALLBACK_FAILED);
    CHECK_MESSAGE_HAS("vectorized_filter");
    /* 4 windows per call: line 0 (two calls) written, the rest untouched. */
    {
        tarr ref;
        unsigned char sentinel[8];
        memset(sentinel, TU_SENTINEL, 8);
        tarr_init(&ref, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
        CHECK_STATUS(ndi_generic_filter(&in.arr, &ref.arr, NULL, size, NULL, NDI_MODE_WRAP,
                                        0.0, single_weighted, NULL, NULL),
                     NDI_OK);
        for (k = 0; k < 8; k++) CHECK_EQ(tarr_get(&out, k), tarr_get(&ref, k));
        for (k = 8; k < 40; k++) CHECK(memcmp(tarr_ptr(&out, k), sentinel, 8) == 0);
        tarr_free(&ref);
    }
    TU_CTX("a callback that always fails");
    tarr_reset(&out);
    CHECK_STATUS(ndi_vectorized_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_WRAP,
                                       0.0, 0, batch_fail, NULL, NULL),
                 NDI_ERR_CALLBACK_FAILED);
    CHECK(tarr_untouched(&out));
    tarr_free(&in);
    tarr_free(&out);
    TU_CTX("%s", "");
}

static int stop_now(double fraction, void *ud) {
    (void)fraction;
    (void)ud;
    return 0;
}

static void test_cancel(void) {
    static const intptr_t shape[2] = {300, 300}, size[2] = {3, 3};
    tarr in, out;
    ndi_options o;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    fill(&in, 0);
    ndi_options_init(&o, sizeof o);
    o.progress = stop_now;
    TU_CTX("cancel");
    CHECK_STATUS(ndi_vectorized_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_WRAP,
                                       0.0, 0, batch_weighted, NULL, &o),
                 NDI_ERR_CANCELLED);
    tarr_free(&in);
    tarr_free(&out);
    TU_CTX("%s", "");
}

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                     */

static void expect(const ndi_array *in, const ndi_array *out, const ndi_array *fp,
                   const intptr_t *size, const intptr_t *origins, ndi_mode mode,
                   size_t batch_memory, ndi_vectorized_func f, const ndi_options *o,
                   ndi_status expected, tarr *watched, const char *what) {
    TU_CTX("%s", what);
    tarr_reset(watched);
    CHECK_STATUS(ndi_vectorized_filter(in, out, fp, size, origins, mode, 0.0, batch_memory, f,
                                       NULL, o),
                 expected);
    CHECK(tarr_untouched(watched));
}

static void test_errors(void) {
    static const intptr_t shape[2] = {4, 5}, size[2] = {3, 3}, zero[2] = {0, 3};
    static const intptr_t bad_origin[2] = {2, 0}, one_origin[2] = {1, 0};
    static const intptr_t other[2] = {4, 4}, valid[2] = {2, 3}, fshape[1] = {3};
    tarr in, out, cin, cout, wrong, vout, fp1;
    ndi_options o;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&cin, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    tarr_init(&cout, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    tarr_init(&wrong, NDI_DTYPE_FLOAT64, 2, other, LAY_C);
    tarr_init(&vout, NDI_DTYPE_FLOAT64, 2, valid, LAY_C);
    tarr_init(&fp1, NDI_DTYPE_BOOL, 1, fshape, LAY_C);
    memset(in.arr.data, 0, (size_t)in.len * in.item);
    memset(cin.arr.data, 0, (size_t)cin.len * cin.item);
    memset(fp1.arr.data, 1, 3);
    expect(NULL, &out.arr, NULL, size, NULL, NDI_MODE_REFLECT, 0, batch_weighted, NULL,
           NDI_ERR_NULL_POINTER, &out, "NULL input");
    expect(&in.arr, NULL, NULL, size, NULL, NDI_MODE_REFLECT, 0, batch_weighted, NULL,
           NDI_ERR_NULL_POINTER, &out, "NULL output");
    expect(&in.arr, &out.arr, NULL, NULL, NULL, NDI_MODE_REFLECT, 0, batch_weighted, NULL,
           NDI_ERR_NULL_POINTER, &out, "NULL footprint and size");
    expect(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_REFLECT, 0, NULL, NULL,
           NDI_ERR_NULL_POINTER, &out, "NULL callback");
    expect(&in.arr, &out.arr, NULL, size, NULL, NDI_DTYPE_FLOAT64, 0, batch_weighted, NULL,
           NDI_ERR_INVALID_ARGUMENT, &out, "a dtype code as mode");
    expect(&in.arr, &out.arr, NULL, zero, NULL, NDI_MODE_REFLECT, 0, batch_weighted, NULL,
           NDI_ERR_INVALID_ARGUMENT, &out, "size 0");
    expect(&in.arr, &out.arr, NULL, size, bad_origin, NDI_MODE_REFLECT, 0, batch_weighted,
           NULL, NDI_ERR_INVALID_ARGUMENT, &out, "origin out of range");
    expect(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_REFLECT, 71, batch_weighted, NULL,
           NDI_ERR_INVALID_ARGUMENT, &out, "batch_memory below one window");
    expect(&in.arr, &wrong.arr, NULL, size, NULL, NDI_MODE_REFLECT, 0, batch_weighted, NULL,
           NDI_ERR_SHAPE_MISMATCH, &wrong, "output neither shape");
    expect(&in.arr, &vout.arr, NULL, size, one_origin, NDI_MODE_REFLECT, 0, batch_weighted,
           NULL, NDI_ERR_INVALID_ARGUMENT, &vout, "valid with an origin");
    expect(&in.arr, &out.arr, &fp1.arr, NULL, NULL, NDI_MODE_REFLECT, 0, batch_weighted, NULL,
           NDI_ERR_SHAPE_MISMATCH, &out, "footprint rank");
    expect(&cin.arr, &out.arr, NULL, size, NULL, NDI_MODE_REFLECT, 0, batch_weighted, NULL,
           NDI_ERR_INVALID_ARRAY, &out, "complex input");
    expect(&in.arr, &cout.arr, NULL, size, NULL, NDI_MODE_REFLECT, 0, batch_weighted, NULL,
           NDI_ERR_INVALID_ARRAY, &cout, "complex output");
    ndi_options_init(&o, sizeof o);
    o.flags = 0x40;
    expect(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_REFLECT, 0, batch_weighted, &o,
           NDI_ERR_INVALID_ARGUMENT, &out, "unknown flag");
    tarr_free(&in);
    tarr_free(&out);
    tarr_free(&cin);
    tarr_free(&cout);
    tarr_free(&wrong);
    tarr_free(&vout);
    tarr_free(&fp1);
    TU_CTX("%s", "");
}

int main(void) {
    test_modes_layouts_dtypes();
    test_footprints_and_ranks();
    test_valid();
    test_batches();
    test_threads();
    test_failure_and_cancel();
    test_cancel();
    test_errors();
    return TU_DONE();
}
