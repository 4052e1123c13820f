/* Tests of the library-wide API: version, status strings, the per-thread error message, and
 * the options struct's versioning rules. */
#include "test_util.h"

#include <pthread.h>
#include <stddef.h>

static int sum_cb(double *buffer, intptr_t size, double *result, void *user_data) {
    double s = 0.0;
    intptr_t k;
    (void)user_data;
    for (k = 0; k < size; k++) s += buffer[k];
    *result = s;
    return 1;
}

/* A call that succeeds and one that fails (invalid mode), on private arrays. */
static ndi_status good_call(const ndi_options *options) {
    double in[4] = {1, 2, 3, 4}, out[4];
    intptr_t shape[1] = {4}, size[1] = {3};
    ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    ndi_array b = tu_desc(out, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    return ndi_generic_filter(&a, &b, NULL, size, NULL, NDI_MODE_REFLECT, 0.0, sum_cb, NULL,
                              options);
}

static ndi_status bad_call(void) {
    double in[4] = {1, 2, 3, 4}, out[4];
    intptr_t shape[1] = {4}, size[1] = {3};
    ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    ndi_array b = tu_desc(out, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    return ndi_generic_filter(&a, &b, NULL, size, NULL, 99, 0.0, sum_cb, NULL, NULL);
}

static void test_version(void) {
    char expect[64];
    TU_CTX("version");
    CHECK(ndi_version() ==
          (uint32_t)(NDI_VERSION_MAJOR * 10000 + NDI_VERSION_MINOR * 100 + NDI_VERSION_PATCH));
    CHECK(ndi_version_string() != NULL);
    snprintf(expect, sizeof expect, "%d.%d.%d", NDI_VERSION_MAJOR, NDI_VERSION_MINOR,
             NDI_VERSION_PATCH);
    CHECK_MSG(strcmp(ndi_version_string(), expect) == 0, "\"%s\" vs \"%s\"",
              ndi_version_string(), expect);
    /* the string is static: the same pointer every time */
    CHECK(ndi_version_string() == ndi_version_string());
    CHECK(NDI_VERSION_MINOR < 100 && NDI_VERSION_PATCH < 100);
    tu_context[0] = '\0';
}

static void test_status_strings(void) {
    static const ndi_status codes[] = {NDI_OK,
                                       NDI_ERR_NULL_POINTER,
                                       NDI_ERR_INVALID_ARGUMENT,
                                       NDI_ERR_INVALID_ARRAY,
                                       NDI_ERR_SHAPE_MISMATCH,
                                       NDI_ERR_CALLBACK_FAILED,
                                       NDI_ERR_OUT_OF_MEMORY,
                                       NDI_ERR_INTERNAL,
                                       NDI_ERR_CANCELLED};
    static const ndi_status unknown[] = {-1, 9, 100, INT32_MAX, INT32_MIN};
    size_t i, j;
    /* the documented values never change */
    CHECK(NDI_OK == 0 && NDI_ERR_NULL_POINTER == 1 && NDI_ERR_INVALID_ARGUMENT == 2 &&
          NDI_ERR_INVALID_ARRAY == 3 && NDI_ERR_SHAPE_MISMATCH == 4 &&
          NDI_ERR_CALLBACK_FAILED == 5 && NDI_ERR_OUT_OF_MEMORY == 6 && NDI_ERR_INTERNAL == 7 &&
          NDI_ERR_CANCELLED == 8);
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *s = ndi_status_string(codes[i]);
        TU_CTX("status %d", (int)codes[i]);
        CHECK(s != NULL);
        if (!s) continue;
        CHECK(s[0] != '\0');
        CHECK(strcmp(s, "unknown status") != 0);
        CHECK(s == ndi_status_string(codes[i])); /* static */
        for (j = 0; j < i; j++) CHECK(strcmp(s, ndi_status_string(codes[j])) != 0);
    }
    CHECK(strcmp(ndi_status_string(NDI_OK), "success") == 0);
    for (i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *s = ndi_status_string(unknown[i]);
        TU_CTX("unknown status %d", (int)unknown[i]);
        CHECK(s != NULL && strcmp(s, "unknown status") == 0);
    }
    tu_context[0] = '\0';
}

static void test_last_error_message(void) {
    const char *m;
    char copy[512];
    TU_CTX("last error message");
    /* never NULL, empty before any call on this thread */
    m = ndi_last_error_message();
    CHECK(m != NULL && m[0] == '\0');
    CHECK_STATUS(good_call(NULL), NDI_OK);
    CHECK(ndi_last_error_message()[0] == '\0');
    CHECK_STATUS(bad_call(), NDI_ERR_INVALID_ARGUMENT);
    m = ndi_last_error_message();
    CHECK(m != NULL && strlen(m) > 10);
    CHECK_MESSAGE_HAS("ndi_generic_filter");
    CHECK_MESSAGE_HAS("99");
    snprintf(copy, sizeof copy, "%s", m);
    /* functions that return no status leave the message alone */
    (void)ndi_status_string(NDI_ERR_INTERNAL);
    (void)ndi_version();
    (void)ndi_version_string();
    {
        ndi_options o;
        ndi_options_init(&o, sizeof o);
        ndi_options_init(NULL, 0);
    }
    CHECK(strcmp(ndi_last_error_message(), copy) == 0);
    /* the pointer stays valid (and unchanged) until the next call */
    CHECK(strcmp(m, copy) == 0);
    /* a later failure replaces it, a success clears it */
    CHECK_STATUS(ndi_generic_filter(NULL, NULL, NULL, NULL, NULL, NDI_MODE_REFLECT, 0.0, sum_cb, NULL, NULL),
                 NDI_ERR_NULL_POINTER);
    CHECK(strcmp(ndi_last_error_message(), copy) != 0);
    CHECK_MESSAGE_HAS("NULL");
    CHECK_STATUS(good_call(NULL), NDI_OK);
    CHECK(ndi_last_error_message()[0] == '\0');
    tu_context[0] = '\0';
}

/* Every function with every pointer NULL: a status, no crash. */
static void test_all_null(void) {
    TU_CTX("all NULL");
    CHECK_STATUS(ndi_generic_filter(NULL, NULL, NULL, NULL, NULL, NDI_MODE_REFLECT, 0.0, NULL, NULL, NULL),
                 NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_generic_filter1d(NULL, NULL, 3, 0, 0, NDI_MODE_REFLECT, 0.0, NULL, NULL, NULL),
                 NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_geometric_transform(NULL, NULL, 1, NDI_MODE_REFLECT, 0.0, 0, NULL, NULL, NULL),
                 NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_spline_filter1d(NULL, NULL, 3, 0, NDI_MODE_REFLECT, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_spline_filter(NULL, NULL, 3, NDI_MODE_REFLECT, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_map_coordinates(NULL, NULL, NULL, 1, NDI_MODE_REFLECT, 0.0, 0, NULL),
                 NDI_ERR_NULL_POINTER);
    {
        intptr_t ms[2] = {2, 2};
        CHECK_STATUS(ndi_affine_transform(NULL, NULL, NULL, ms, 2, NULL, 1, NDI_MODE_REFLECT, 0.0, 0, NULL),
                     NDI_ERR_NULL_POINTER);
    }
    CHECK_STATUS(ndi_shift(NULL, NULL, NULL, 1, NDI_MODE_REFLECT, 0.0, 0, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_zoom(NULL, NULL, 0, 1, NDI_MODE_REFLECT, 0.0, 0, NULL), NDI_ERR_NULL_POINTER);
    tu_context[0] = '\0';
}

/* ------------------------------------------------------------------------------------------ */
/* Thread-locality of the message                                                             */

typedef struct {
    pthread_barrier_t *barrier;
    int fail;              /* this thread's last call fails */
    int before_empty;      /* message empty before the thread's first call */
    int status_ok;         /* its call returned the expected status */
    int after_ok;          /* after the other threads' calls, its message is still its own */
    char message[512];
} thread_arg;

static void *message_thread(void *p) {
    thread_arg *t = (thread_arg *)p;
    ndi_status st;
    int round;
    t->before_empty = ndi_last_error_message()[0] == '\0';
    t->status_ok = 1;
    t->after_ok = 1;
    for (round = 0; round < 20; round++) {
        st = t->fail ? bad_call() : good_call(NULL);
        if (st != (t->fail ? NDI_ERR_INVALID_ARGUMENT : NDI_OK)) t->status_ok = 0;
        snprintf(t->message, sizeof t->message, "%s", ndi_last_error_message());
        /* wait until every thread has made its call, then read the message again */
        pthread_barrier_wait(t->barrier);
        if (strcmp(ndi_last_error_message(), t->message) != 0) t->after_ok = 0;
        if ((t->message[0] == '\0') != !t->fail) t->after_ok = 0;
        pthread_barrier_wait(t->barrier);
    }
    return NULL;
}

static void test_thread_locality(void) {
    enum { N = 4 };
    pthread_t threads[N];
    thread_arg args[N];
    pthread_barrier_t barrier;
    char mine[512];
    int i;
    TU_CTX("thread-local message");
    /* this thread fails first: the other threads must not see it */
    CHECK_STATUS(bad_call(), NDI_ERR_INVALID_ARGUMENT);
    snprintf(mine, sizeof mine, "%s", ndi_last_error_message());
    CHECK(pthread_barrier_init(&barrier, NULL, N) == 0);
    for (i = 0; i < N; i++) {
        memset(&args[i], 0, sizeof args[i]);
        args[i].barrier = &barrier;
        args[i].fail = i % 2;
        CHECK(pthread_create(&threads[i], NULL, message_thread, &args[i]) == 0);
    }
    for (i = 0; i < N; i++) CHECK(pthread_join(threads[i], NULL) == 0);
    pthread_barrier_destroy(&barrier);
    for (i = 0; i < N; i++) {
        TU_CTX("thread %d (fail %d)", i, args[i].fail);
        CHECK(args[i].before_empty);
        CHECK(args[i].status_ok);
        CHECK(args[i].after_ok);
    }
    TU_CTX("main thread after the others");
    CHECK(strcmp(ndi_last_error_message(), mine) == 0);
    tu_context[0] = '\0';
}

/* ------------------------------------------------------------------------------------------ */
/* Options                                                                                    */

/* A caller compiled against a later version: the struct has more fields. */
typedef struct {
    ndi_options base;
    uint64_t future[4];
} ndi_options_future;

static void test_options(void) {
    ndi_options o;
    ndi_options_future big;
    unsigned char raw[sizeof(ndi_options)];
    int bit;
    TU_CTX("ndi_options_init");
    memset(&o, 0xFF, sizeof o);
    ndi_options_init(&o, sizeof o);
    CHECK(o.struct_size == sizeof(ndi_options));
    CHECK(o.flags == 0);
    CHECK(o.cval_imag == 0.0);
#ifdef NDI_THREADS_DEFAULT
    CHECK(o.threads == NDI_THREADS_DEFAULT);
#endif
    ndi_options_init(NULL, 0); /* does nothing */
    CHECK_STATUS(good_call(&o), NDI_OK);

    /* ndi_options_init writes no more than the caller's struct_size: an older (shorter) or
     * newer (longer) struct is safe; a longer one's unknown tail is zeroed */
    TU_CTX("ndi_options_init sizes");
    {
        union { ndi_options o; unsigned char b[sizeof(ndi_options) + 16]; } buf;
        size_t k, short_size = offsetof(ndi_options, cval_imag), got;
        memset(buf.b, 0xAB, sizeof buf.b);
        ndi_options_init(&buf.o, short_size);
        for (k = short_size; k < sizeof buf.b; k++) CHECK(buf.b[k] == 0xAB);
        memcpy(&got, buf.b, sizeof got);
        CHECK(got == short_size);
        memset(buf.b, 0xAB, sizeof buf.b);
        ndi_options_init(&buf.o, sizeof buf.b);
        for (k = sizeof(ndi_options); k < sizeof buf.b; k++) CHECK(buf.b[k] == 0);
        memcpy(&got, buf.b, sizeof got);
        CHECK(got == sizeof buf.b);
        CHECK_STATUS(good_call(&buf.o), NDI_OK); /* a zero tail is accepted */
        memset(buf.b, 0xAB, sizeof buf.b);
        ndi_options_init(&buf.o, 3); /* smaller than struct_size itself: nothing written */
        for (k = 0; k < sizeof buf.b; k++) CHECK(buf.b[k] == 0xAB);
    }
    TU_CTX("ndi_options_init");
    CHECK_STATUS(good_call(NULL), NDI_OK);

    /* an older caller's shorter struct: only the fields it has are read */
    TU_CTX("shorter struct_size");
    ndi_options_init(&o, sizeof o);
    o.struct_size = sizeof(uintptr_t); /* only struct_size */
    o.flags = 0xFFFFFFFFu;             /* beyond the caller's struct: ignored */
    CHECK_STATUS(good_call(&o), NDI_OK);
    ndi_options_init(&o, sizeof o);
    o.struct_size = offsetof(ndi_options, cval_imag);
    CHECK_STATUS(good_call(&o), NDI_OK);
    o.flags = 0x80000000u; /* inside the caller's struct: checked */
    CHECK_STATUS(good_call(&o), NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("flags");
    ndi_options_init(&o, sizeof o);
    o.struct_size = offsetof(ndi_options, cval_imag) + sizeof(double);
    CHECK_STATUS(good_call(&o), NDI_OK);
    /* shorter than struct_size itself: rejected */
    TU_CTX("struct_size below its own size");
    ndi_options_init(&o, sizeof o);
    o.struct_size = 0;
    CHECK_STATUS(good_call(&o), NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("struct_size");
    o.struct_size = sizeof(uintptr_t) - 1;
    CHECK_STATUS(good_call(&o), NDI_ERR_INVALID_ARGUMENT);

    /* a fields beyond a short struct_size are not read: cval_imag ignored when the caller's
     * struct ends before it (checked through a complex constant-mode shift) */
    TU_CTX("cval_imag beyond struct_size is not read");
    {
        double z[2][2] = {{1, 2}, {3, 4}}, out[2][2], s[1] = {1.0};
        intptr_t shape[1] = {2}, st[1] = {16};
        ndi_array a = tu_desc(z, NDI_DTYPE_COMPLEX128, 1, shape, st);
        ndi_array b = tu_desc(out, NDI_DTYPE_COMPLEX128, 1, shape, st);
        ndi_options_init(&o, sizeof o);
        o.cval_imag = 5.0;
        CHECK_STATUS(ndi_shift(&a, &b, s, 0, NDI_MODE_CONSTANT, 9.0, 0, &o), NDI_OK);
        CHECK(out[0][0] == 9.0 && out[0][1] == 5.0 && out[1][0] == 1.0 && out[1][1] == 2.0);
        o.struct_size = offsetof(ndi_options, cval_imag);
        CHECK_STATUS(ndi_shift(&a, &b, s, 0, NDI_MODE_CONSTANT, 9.0, 0, &o), NDI_OK);
        CHECK(out[0][0] == 9.0 && out[0][1] == 0.0);
    }

    /* a newer caller's longer struct: accepted when the unknown tail is zero */
    TU_CTX("longer struct_size");
    memset(&big, 0, sizeof big);
    ndi_options_init(&big.base, sizeof big.base);
    big.base.struct_size = sizeof big;
    CHECK_STATUS(good_call(&big.base), NDI_OK);
    big.future[3] = (uint64_t)1 << 56; /* last byte of the tail */
    CHECK_STATUS(good_call(&big.base), NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("options");
    big.future[3] = 0;
    big.future[0] = 1;
    CHECK_STATUS(good_call(&big.base), NDI_ERR_INVALID_ARGUMENT);
    big.future[0] = 0;
    /* a non-zero byte just past struct_size is not read */
    big.base.struct_size = sizeof(ndi_options) + 8;
    big.future[1] = 0xFFFFFFFFFFFFFFFFull;
    CHECK_STATUS(good_call(&big.base), NDI_OK);
    big.future[1] = 0;
    /* absurd sizes are rejected */
    big.base.struct_size = (uintptr_t)1 << 20;
    CHECK_STATUS(good_call(&big.base), NDI_ERR_INVALID_ARGUMENT);
    big.base.struct_size = UINTPTR_MAX;
    CHECK_STATUS(good_call(&big.base), NDI_ERR_INVALID_ARGUMENT);

    /* unknown flag bits are rejected, each one */
    for (bit = 0; bit < 32; bit++) {
        uint32_t flag = (uint32_t)1 << bit;
#ifdef NDI_FLAG_THREAD_SAFE_CALLBACK
        if (flag & (uint32_t)NDI_FLAG_THREAD_SAFE_CALLBACK) continue;
#endif
        TU_CTX("flag bit %d", bit);
        ndi_options_init(&o, sizeof o);
        o.flags = flag;
        CHECK_STATUS(good_call(&o), NDI_ERR_INVALID_ARGUMENT);
    }
    /* options are only read: the struct is not modified */
    TU_CTX("options not written");
    ndi_options_init(&o, sizeof o);
    memcpy(raw, &o, sizeof o);
    CHECK_STATUS(good_call(&o), NDI_OK);
    CHECK(memcmp(raw, &o, sizeof o) == 0);
    tu_context[0] = '\0';
}

/* The public types have the documented sizes and layout. */
static void test_abi(void) {
    TU_CTX("ABI");
    CHECK(sizeof(ndi_status) == 4);
    CHECK(sizeof(ndi_dtype) == 4);
    CHECK(sizeof(ndi_mode) == 4);
    CHECK(offsetof(ndi_array, data) == 0);
    CHECK(offsetof(ndi_array, dtype) == sizeof(void *));
    CHECK(offsetof(ndi_array, rank) == sizeof(void *) + 4);
    CHECK(offsetof(ndi_array, shape) == sizeof(void *) + 8);
    CHECK(sizeof(ndi_array) == 3 * sizeof(void *) + 8);
    CHECK(offsetof(ndi_options, struct_size) == 0);
    CHECK(NDI_MAX_RANK == 64);
    /* Each code family has a range of its own (version 0.2): a code passed in the wrong
     * argument is rejected. */
    CHECK(NDI_DTYPE_BOOL == 0x100 && NDI_DTYPE_FLOAT64 == 0x10a && NDI_DTYPE_COMPLEX128 == 0x10c);
    CHECK(NDI_MODE_REFLECT == 0x200 && NDI_MODE_GRID_WRAP == 0x207);
    tu_context[0] = '\0';
}

int main(void) {
    test_last_error_message(); /* first: checks the message before any call */
    test_version();
    test_status_strings();
    test_all_null();
    test_thread_locality();
    test_options();
    test_abi();
    return TU_DONE();
}
