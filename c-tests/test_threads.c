/* Threads: concurrent calls from several application threads (re-entrancy), the options'
 * thread count and NDI_FLAG_THREAD_SAFE_CALLBACK, identical results for every thread count,
 * and the process-wide default. */
#include "test_util.h"

#include <pthread.h>

static double test_value(intptr_t k, int salt) {
    return (double)((k * 7 + salt * 3 + (k * k) % 5) % 23) - 5.0;
}

/* ------------------------------------------------------------------------------------------ */
/* Callbacks that count their calls (under a mutex) and note the thread they ran on.          */

typedef struct {
    pthread_mutex_t lock;
    long calls;
    long off_thread;        /* calls not on `caller` */
    pthread_t caller;
    double fail_value;      /* buffer[0] value at which to fail (NAN: never) */
} shared_state;

static void ss_init(shared_state *s) {
    pthread_mutex_init(&s->lock, NULL);
    s->calls = 0;
    s->off_thread = 0;
    s->caller = pthread_self();
    s->fail_value = NAN;
}

static int ss_note(shared_state *s) {
    int off = !pthread_equal(pthread_self(), s->caller);
    pthread_mutex_lock(&s->lock);
    s->calls++;
    s->off_thread += off;
    pthread_mutex_unlock(&s->lock);
    return off;
}

static int weighted_sum(double *buffer, intptr_t size, double *result, void *ud) {
    shared_state *s = (shared_state *)ud;
    double acc = 0.0;
    intptr_t k;
    ss_note(s);
    if (size > 0 && buffer[size / 2] == s->fail_value) return 0;
    for (k = 0; k < size; k++) acc += buffer[k] * (double)(k + 1);
    *result = acc;
    return 1;
}

static int line_filter(double *in, intptr_t in_len, double *out, intptr_t out_len, void *ud) {
    shared_state *s = (shared_state *)ud;
    intptr_t i;
    (void)in_len;
    ss_note(s);
    if (in[1] == s->fail_value) return 0;
    for (i = 0; i < out_len; i++) out[i] = in[i] - 2.0 * in[i + 1] + 3.0 * in[i + 2];
    return 1;
}

static int map_rotate(intptr_t *oc, double *ic, int orank, int irank, void *ud) {
    shared_state *s = (shared_state *)ud;
    (void)orank;
    (void)irank;
    ss_note(s);
    ic[0] = (double)oc[1] * 0.9 + 0.3;
    ic[1] = (double)oc[0] * 1.1 - 0.2;
    return 1;
}

#ifdef NDI_FLAG_THREAD_SAFE_CALLBACK

static void set_threads(ndi_options *o, int32_t threads, uint32_t flags) {
    ndi_options_init(o, sizeof *o);
    o->threads = threads;
    o->flags = flags;
}

/* Callback functions: without the flag every call is on the calling thread whatever the
 * thread count; with it, results equal the single-thread ones for every count. */
static void test_callback_threads(void) {
    intptr_t shape[2] = {24, 17}, size[2] = {3, 4};
    static const int32_t counts[] = {1, 2, 3, 5, NDI_THREADS_ALL, NDI_THREADS_DEFAULT};
    tarr in, ref, out;
    ndi_options o;
    shared_state s;
    size_t c;
    intptr_t k;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&ref, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_STRIDED);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, 1));

    /* generic_filter */
    TU_CTX("generic_filter reference, 1 thread");
    ss_init(&s);
    set_threads(&o, 1, 0);
    CHECK_STATUS(ndi_generic_filter(&in.arr, &ref.arr, NULL, size, NULL, NDI_MODE_MIRROR, 0.0,
                                    weighted_sum, &s, &o),
                 NDI_OK);
    CHECK(s.calls == in.len && s.off_thread == 0);
    for (c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        int flag;
        for (flag = 0; flag <= 1; flag++) {
            int ok = 1;
            TU_CTX("generic_filter threads %d flag %d", (int)counts[c], flag);
            tarr_reset(&out);
            ss_init(&s);
            set_threads(&o, counts[c], flag ? NDI_FLAG_THREAD_SAFE_CALLBACK : 0);
            CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, NULL, size, NULL,
                                            NDI_MODE_MIRROR, 0.0, weighted_sum, &s, &o),
                         NDI_OK);
            CHECK(s.calls == in.len);
            if (!flag || counts[c] == 1) CHECK(s.off_thread == 0);
            for (k = 0; k < in.len; k++)
                if (tarr_get(&out, k) != tarr_get(&ref, k)) ok = 0;
            CHECK(ok);
            CHECK(tarr_gaps_untouched(&out));
        }
    }
    /* a failing thread-safe callback: the call fails, nothing crashes */
    TU_CTX("generic_filter failure with threads");
    ss_init(&s);
    s.fail_value = tarr_get(&in, 200);
    set_threads(&o, 3, NDI_FLAG_THREAD_SAFE_CALLBACK);
    CHECK_STATUS(ndi_generic_filter(&in.arr, &out.arr, NULL, size, NULL, NDI_MODE_MIRROR, 0.0,
                                    weighted_sum, &s, &o),
                 NDI_ERR_CALLBACK_FAILED);
    CHECK(s.calls >= 1 && s.calls <= in.len);
    CHECK_MESSAGE_HAS("callback");

    /* generic_filter1d */
    TU_CTX("generic_filter1d reference");
    ss_init(&s);
    set_threads(&o, 1, 0);
    CHECK_STATUS(ndi_generic_filter1d(&in.arr, &ref.arr, 3, 0, 0, NDI_MODE_WRAP, 0.0,
                                      line_filter, &s, &o),
                 NDI_OK);
    CHECK(s.calls == 17);
    for (c = 0; c < sizeof counts / sizeof counts[0]; c++) {
        int ok = 1;
        TU_CTX("generic_filter1d threads %d", (int)counts[c]);
        ss_init(&s);
        set_threads(&o, counts[c], NDI_FLAG_THREAD_SAFE_CALLBACK);
        CHECK_STATUS(ndi_generic_filter1d(&in.arr, &out.arr, 3, 0, 0, NDI_MODE_WRAP, 0.0,
                                          line_filter, &s, &o),
                     NDI_OK);
        CHECK(s.calls == 17);
        for (k = 0; k < in.len; k++)
            if (tarr_get(&out, k) != tarr_get(&ref, k)) ok = 0;
        CHECK(ok);
        TU_CTX("generic_filter1d threads %d without the flag", (int)counts[c]);
        ss_init(&s);
        set_threads(&o, counts[c], 0);
        CHECK_STATUS(ndi_generic_filter1d(&in.arr, &out.arr, 3, 0, 0, NDI_MODE_WRAP, 0.0,
                                          line_filter, &s, &o),
                     NDI_OK);
        CHECK(s.calls == 17 && s.off_thread == 0);
    }
    TU_CTX("generic_filter1d failure with threads");
    ss_init(&s);
    s.fail_value = tarr_get(&in, 5);
    set_threads(&o, 2, NDI_FLAG_THREAD_SAFE_CALLBACK);
    CHECK_STATUS(ndi_generic_filter1d(&in.arr, &out.arr, 3, 0, 0, NDI_MODE_WRAP, 0.0,
                                      line_filter, &s, &o),
                 NDI_ERR_CALLBACK_FAILED);
    CHECK(s.calls >= 1 && s.calls <= 17);

    /* geometric_transform */
    TU_CTX("geometric_transform reference");
    ss_init(&s);
    set_threads(&o, 1, 0);
    {
        intptr_t oshape[2] = {15, 20};
        tarr gref, gout;
        tarr_init(&gref, NDI_DTYPE_FLOAT64, 2, oshape, LAY_C);
        tarr_init(&gout, NDI_DTYPE_FLOAT64, 2, oshape, LAY_F);
        CHECK_STATUS(ndi_geometric_transform(&in.arr, &gref.arr, 3, NDI_MODE_REFLECT, 0.0, 1,
                                             map_rotate, &s, &o),
                     NDI_OK);
        CHECK(s.calls == 300 && s.off_thread == 0);
        for (c = 0; c < sizeof counts / sizeof counts[0]; c++) {
            int flag;
            for (flag = 0; flag <= 1; flag++) {
                int ok = 1;
                TU_CTX("geometric_transform threads %d flag %d", (int)counts[c], flag);
                ss_init(&s);
                set_threads(&o, counts[c], flag ? NDI_FLAG_THREAD_SAFE_CALLBACK : 0);
                CHECK_STATUS(ndi_geometric_transform(&in.arr, &gout.arr, 3, NDI_MODE_REFLECT, 0.0,
                                                     1, map_rotate, &s, &o),
                             NDI_OK);
                CHECK(s.calls == 300);
                if (!flag) CHECK(s.off_thread == 0);
                for (k = 0; k < 300; k++)
                    if (tarr_get(&gout, k) != tarr_get(&gref, k)) ok = 0;
                CHECK(ok);
            }
        }
        tarr_free(&gref);
        tarr_free(&gout);
    }
    tarr_free(&in);
    tarr_free(&ref);
    tarr_free(&out);
    tu_context[0] = '\0';
}

/* Functions without callbacks: bit-identical results for every thread count. */
static void test_interpolation_threads(void) {
    intptr_t ishape[2] = {20, 13}, oshape[2] = {31, 9}, cshape[3] = {2, 31, 9};
    static const int32_t counts[] = {2, 3, 4, 7, NDI_THREADS_ALL, NDI_THREADS_DEFAULT};
    tarr in, coords, ref, out;
    ndi_options o;
    double matrix[4] = {0.7, 0.2, -0.1, 1.3}, offset[2] = {0.5, -1.0}, sh[2] = {1.25, -0.5};
    intptr_t ms[2] = {2, 2};
    intptr_t k;
    int f;
    size_t c;
    tarr_init(&in, NDI_DTYPE_FLOAT32, 2, ishape, LAY_NEG);
    tarr_init(&coords, NDI_DTYPE_FLOAT64, 3, cshape, LAY_C);
    for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, 2));
    for (k = 0; k < coords.len; k++) tarr_set(&coords, k, (double)(k % 23) * 0.61 - 1.0);
    for (f = 0; f < 6; f++) {
        int same = f <= 1; /* spline filters: output shape = input shape */
        tarr_init(&ref, NDI_DTYPE_FLOAT64, 2, same ? ishape : oshape, LAY_C);
        tarr_init(&out, NDI_DTYPE_FLOAT64, 2, same ? ishape : oshape, LAY_F);
        for (c = 0; c <= sizeof counts / sizeof counts[0]; c++) {
            tarr *dst = c == 0 ? &ref : &out;
            ndi_status st = -1;
            int32_t threads = c == 0 ? 1 : counts[c - 1];
            int ok = 1;
            TU_CTX("function %d threads %d", f, (int)threads);
            ndi_options_init(&o, sizeof o);
            o.threads = threads;
            switch (f) {
            case 0: st = ndi_spline_filter1d(&in.arr, &dst->arr, 4, 0, NDI_MODE_MIRROR, &o); break;
            case 1: st = ndi_spline_filter(&in.arr, &dst->arr, 5, NDI_MODE_NEAREST, &o); break;
            case 2:
                st = ndi_map_coordinates(&in.arr, &coords.arr, &dst->arr, 3, NDI_MODE_GRID_CONSTANT,
                                         1.5, 1, &o);
                break;
            case 3:
                st = ndi_affine_transform(&in.arr, &dst->arr, matrix, ms, 2, offset, 2,
                                          NDI_MODE_REFLECT, 0.0, 1, &o);
                break;
            case 4: st = ndi_shift(&in.arr, &dst->arr, sh, 5, NDI_MODE_WRAP, 0.0, 1, &o); break;
            case 5: st = ndi_zoom(&in.arr, &dst->arr, 1, 3, NDI_MODE_GRID_MIRROR, 0.0, 1, &o); break;
            }
            CHECK_STATUS(st, NDI_OK);
            if (c > 0) {
                for (k = 0; k < ref.len; k++)
                    if (memcmp(tarr_ptr(&ref, k), tarr_ptr(&out, k), 8) != 0) ok = 0;
                CHECK_MSG(ok, "results differ from the single-thread ones");
                CHECK(tarr_gaps_untouched(&out));
            }
        }
        tarr_free(&ref);
        tarr_free(&out);
    }
    tarr_free(&in);
    tarr_free(&coords);
    tu_context[0] = '\0';
}

static void test_thread_count_validation(void) {
    static const int32_t bad[] = {-2, -1000, INT32_MIN, 1025, INT32_MAX};
    /* (1024 is valid too, but would start a pool of 1024 threads kept for the process) */
    static const int32_t good[] = {1, 2, 16, NDI_THREADS_ALL, NDI_THREADS_DEFAULT};
    double in[6] = {1, 2, 3, 4, 5, 6}, out[6], sh[1] = {1.0};
    intptr_t shape[1] = {6};
    ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    ndi_array b = tu_desc(out, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    ndi_options o;
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        TU_CTX("options.threads %d", (int)bad[i]);
        ndi_options_init(&o, sizeof o);
        o.threads = bad[i];
        memset(out, 0xA5, sizeof out);
        CHECK_STATUS(ndi_shift(&a, &b, sh, 1, NDI_MODE_NEAREST, 0.0, 0, &o),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK_MESSAGE_HAS("thread");
        CHECK(((unsigned char *)out)[0] == 0xA5 && ((unsigned char *)out)[47] == 0xA5);
        CHECK_STATUS(ndi_spline_filter1d(&a, &b, 3, 0, NDI_MODE_MIRROR, &o),
                     NDI_ERR_INVALID_ARGUMENT);
        /* also for callback functions, with or without the flag */
        o.flags = NDI_FLAG_THREAD_SAFE_CALLBACK;
        CHECK(ndi_generic_filter1d(&a, &b, 1, 0, 0, NDI_MODE_MIRROR, 0.0, line_filter, NULL,
                                   &o) == NDI_ERR_INVALID_ARGUMENT);
        o.flags = 0;
        CHECK(ndi_generic_filter1d(&a, &b, 1, 0, 0, NDI_MODE_MIRROR, 0.0, line_filter, NULL,
                                   &o) == NDI_ERR_INVALID_ARGUMENT);
    }
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        TU_CTX("options.threads %d", (int)good[i]);
        ndi_options_init(&o, sizeof o);
        o.threads = good[i];
        CHECK_STATUS(ndi_shift(&a, &b, sh, 1, NDI_MODE_NEAREST, 0.0, 0, &o), NDI_OK);
        CHECK(out[0] == 1 && out[1] == 1 && out[5] == 5);
    }
    /* the process-wide default */
    TU_CTX("default threads");
    CHECK(ndi_get_default_threads() == NDI_THREADS_ALL);
    CHECK_STATUS(ndi_set_default_threads(-1), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_set_default_threads(1025), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_set_default_threads(INT32_MIN), NDI_ERR_INVALID_ARGUMENT);
    CHECK(ndi_get_default_threads() == NDI_THREADS_ALL);
    CHECK_STATUS(ndi_set_default_threads(3), NDI_OK);
    CHECK(ndi_get_default_threads() == 3);
    CHECK_STATUS(ndi_shift(&a, &b, sh, 1, NDI_MODE_NEAREST, 0.0, 0, NULL), NDI_OK);
    CHECK(out[0] == 1 && out[1] == 1 && out[5] == 5);
    CHECK_STATUS(ndi_set_default_threads(1), NDI_OK);
    CHECK(ndi_get_default_threads() == 1);
    CHECK_STATUS(ndi_set_default_threads(NDI_THREADS_ALL), NDI_OK);
    CHECK(ndi_get_default_threads() == NDI_THREADS_ALL);
    tu_context[0] = '\0';
}

#endif /* NDI_FLAG_THREAD_SAFE_CALLBACK */

/* ------------------------------------------------------------------------------------------ */
/* Re-entrancy: several application threads call the library at once on different outputs.   */

typedef struct {
    int id;
    int ok;
    int checks;
} worker_arg;

static void *worker(void *p) {
    worker_arg *w = (worker_arg *)p;
    intptr_t shape[2] = {9, 11}, size[2] = {3, 3};
    double in[99], out1[99], out2[99], zin[99], zout[99], sh[2] = {0.5, -1.5};
    ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    ndi_array b1 = tu_desc(out1, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    ndi_array b2 = tu_desc(out2, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    ndi_array za = tu_desc(zin, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    ndi_array zb = tu_desc(zout, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    shared_state s;
    int round;
    intptr_t k;
    w->ok = 1;
    for (k = 0; k < 99; k++) in[k] = test_value(k, w->id);
    ss_init(&s);
    if (ndi_generic_filter(&a, &b1, NULL, size, NULL, NDI_MODE_REFLECT, 0.0, weighted_sum, &s,
                           NULL) != NDI_OK)
        w->ok = 0;
    if (ndi_shift(&a, &zb, sh, 3, NDI_MODE_MIRROR, 0.0, 1, NULL) != NDI_OK) w->ok = 0;
    memcpy(zin, zout, sizeof zout);
    for (round = 0; round < 10; round++) {
        ss_init(&s);
        if (ndi_generic_filter(&a, &b2, NULL, size, NULL, NDI_MODE_REFLECT, 0.0, weighted_sum,
                               &s, NULL) != NDI_OK)
            w->ok = 0;
        if (s.calls != 99 || s.off_thread != 0) w->ok = 0;
        if (memcmp(out1, out2, sizeof out1) != 0) w->ok = 0;
        if (ndi_shift(&a, &zb, sh, 3, NDI_MODE_MIRROR, 0.0, 1, NULL) != NDI_OK) w->ok = 0;
        if (memcmp(zin, zout, sizeof zout) != 0) w->ok = 0;
        /* interleave failures: this thread's message is its own */
        if (ndi_spline_filter(&a, &b2, 1, NDI_MODE_MIRROR, NULL) != NDI_ERR_INVALID_ARGUMENT)
            w->ok = 0;
        if (strstr(ndi_last_error_message(), "ndi_spline_filter") == NULL) w->ok = 0;
        w->checks++;
    }
    (void)za;
    return NULL;
}

static void test_reentrancy(void) {
    enum { N = 4 };
    pthread_t t[N];
    worker_arg w[N];
    int i;
    TU_CTX("concurrent calls");
    for (i = 0; i < N; i++) {
        w[i].id = i;
        w[i].ok = 0;
        w[i].checks = 0;
        CHECK(pthread_create(&t[i], NULL, worker, &w[i]) == 0);
    }
    for (i = 0; i < N; i++) {
        CHECK(pthread_join(t[i], NULL) == 0);
        CHECK(w[i].ok);
        CHECK(w[i].checks == 10);
    }
    tu_context[0] = '\0';
}

int main(void) {
#ifdef NDI_FLAG_THREAD_SAFE_CALLBACK
    test_thread_count_validation();
    test_callback_threads();
    test_interpolation_threads();
#else
    fprintf(stderr, "test_threads: the header has no thread options; only re-entrancy tested\n");
#endif
    test_reentrancy();
    return TU_DONE();
}
