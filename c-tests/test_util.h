/*
 * Minimal test helpers for the libndimage C tests: no framework, valid C99 and C++.
 *
 * Include this header first in every test (it selects POSIX declarations for pthreads).
 *
 *   CHECK(cond)                   one check; prints the expression on failure
 *   CHECK_MSG(cond, fmt, ...)     the same with a printf-style explanation
 *   CHECK_STATUS(call, expected)  the status of an ndi_* call; on mismatch prints both statuses
 *                                 and ndi_last_error_message(). On a match it also requires the
 *                                 message to be empty after NDI_OK and non-empty after an error.
 *   CHECK_EQ(a, b)                two doubles compare equal (exact); prints both
 *   CHECK_NEAR(a, b, tol)         |a - b| <= tol * (1 + |b|); prints both
 *   TU_CTX(fmt, ...)              context printed with every later failure (loop variables)
 *   TU_DONE()                     prints "RESULT <file> <passed> <failed>" (read by run.sh) and
 *                                 returns the exit status from main
 *
 * Test arrays (tarr) own a guarded buffer filled with a sentinel byte, and describe it as an
 * ndi_array in one of several layouts, so that tests can check that nothing outside the
 * elements (or nothing at all, after an error) was written.
 */
#ifndef NDI_TEST_UTIL_H
#define NDI_TEST_UTIL_H

#if !defined(_POSIX_C_SOURCE) && !defined(__cplusplus)
#define _POSIX_C_SOURCE 200809L
#endif

#include <ndimage.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tu_passed = 0;
static int tu_failed = 0;
static char tu_context[512] = "";

static int tu_trace = -1;

/* Sets the failure context; with NDI_TEST_TRACE=1 in the environment also prints it (to find
 * the case a hanging or crashing test was in). */
static inline void tu_trace_context(void) {
    if (tu_trace < 0) tu_trace = getenv("NDI_TEST_TRACE") != NULL;
    if (tu_trace) {
        fprintf(stderr, "trace: %s\n", tu_context);
        fflush(stderr);
    }
}

#define TU_CTX(...) (snprintf(tu_context, sizeof tu_context, __VA_ARGS__), tu_trace_context())

static inline void tu_report(const char *file, int line, const char *what) {
    tu_failed++;
    if (tu_context[0])
        fprintf(stderr, "FAIL %s:%d: %s  [%s]\n", file, line, what, tu_context);
    else
        fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
}

static inline int tu_check(int ok, const char *expr, const char *file, int line) {
    if (ok) {
        tu_passed++;
    } else {
        tu_report(file, line, expr);
    }
    return ok;
}

#define CHECK(cond) tu_check((cond) ? 1 : 0, #cond, __FILE__, __LINE__)

#define CHECK_MSG(cond, ...)                                              \
    do {                                                                  \
        if (cond) {                                                       \
            tu_passed++;                                                  \
        } else {                                                          \
            char tu_buf_[512];                                            \
            int tu_n_ = snprintf(tu_buf_, sizeof tu_buf_, "%s: ", #cond); \
            if (tu_n_ < 0 || tu_n_ >= (int)sizeof tu_buf_) tu_n_ = 0;     \
            snprintf(tu_buf_ + tu_n_, sizeof tu_buf_ - tu_n_, __VA_ARGS__); \
            tu_report(__FILE__, __LINE__, tu_buf_);                       \
        }                                                                 \
    } while (0)

static inline int tu_check_status(ndi_status got, ndi_status expected, const char *expr,
                                  const char *file, int line) {
    const char *msg = ndi_last_error_message();
    char buf[1024];
    if (got != expected) {
        snprintf(buf, sizeof buf, "%s returned %d (%s), expected %d (%s); message: \"%s\"", expr,
                 (int)got, ndi_status_string(got), (int)expected, ndi_status_string(expected),
                 msg ? msg : "(NULL)");
        tu_report(file, line, buf);
        return 0;
    }
    if (msg == NULL || (expected == NDI_OK) != (msg[0] == '\0')) {
        snprintf(buf, sizeof buf, "%s returned %d as expected but the message is \"%s\"", expr,
                 (int)got, msg ? msg : "(NULL)");
        tu_report(file, line, buf);
        return 0;
    }
    tu_passed++;
    return 1;
}

#define CHECK_STATUS(call, expected) tu_check_status((call), (expected), #call, __FILE__, __LINE__)

static inline int tu_check_eq(double a, double b, const char *ea, const char *eb,
                              const char *file, int line) {
    char buf[512];
    if (a == b || (a != a && b != b)) {
        tu_passed++;
        return 1;
    }
    snprintf(buf, sizeof buf, "%s == %s: %.17g != %.17g", ea, eb, a, b);
    tu_report(file, line, buf);
    return 0;
}

#define CHECK_EQ(a, b) tu_check_eq((double)(a), (double)(b), #a, #b, __FILE__, __LINE__)

static inline int tu_check_near(double a, double b, double tol, const char *ea, const char *eb,
                                const char *file, int line) {
    char buf[512];
    if (fabs(a - b) <= tol * (1.0 + fabs(b))) {
        tu_passed++;
        return 1;
    }
    snprintf(buf, sizeof buf, "%s ~= %s: %.17g vs %.17g (tol %g)", ea, eb, a, b, tol);
    tu_report(file, line, buf);
    return 0;
}

#define CHECK_NEAR(a, b, tol) \
    tu_check_near((double)(a), (double)(b), (tol), #a, #b, __FILE__, __LINE__)

/* Checks that the last error message contains `needle` (case-sensitive). */
#define CHECK_MESSAGE_HAS(needle)                                                        \
    CHECK_MSG(strstr(ndi_last_error_message(), (needle)) != NULL,                        \
              "message \"%s\" lacks \"%s\"", ndi_last_error_message(), (needle))

static inline int tu_done(const char *file) {
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    printf("RESULT %s %d %d\n", base, tu_passed, tu_failed);
    fflush(stdout);
    return tu_failed == 0 ? 0 : 1;
}

#define TU_DONE() tu_done(__FILE__)

/* ------------------------------------------------------------------------------------------ */
/* Element types                                                                              */

static inline size_t tu_item_size(ndi_dtype d) {
    switch (d) {
    case NDI_DTYPE_BOOL: case NDI_DTYPE_INT8: case NDI_DTYPE_UINT8: return 1;
    case NDI_DTYPE_INT16: case NDI_DTYPE_UINT16: return 2;
    case NDI_DTYPE_INT32: case NDI_DTYPE_UINT32: case NDI_DTYPE_FLOAT32: return 4;
    case NDI_DTYPE_INT64: case NDI_DTYPE_UINT64: case NDI_DTYPE_FLOAT64: return 8;
    case NDI_DTYPE_COMPLEX64: return 8;
    case NDI_DTYPE_COMPLEX128: return 16;
    default: return 1;
    }
}

static inline int tu_is_complex(ndi_dtype d) {
    return d == NDI_DTYPE_COMPLEX64 || d == NDI_DTYPE_COMPLEX128;
}

/* Reads one (real) element of type `d` at `p` (any alignment) as a double. Bool reads the raw
 * byte so that tests can see what was stored. */
static inline double tu_load(ndi_dtype d, const unsigned char *p) {
    switch (d) {
    case NDI_DTYPE_BOOL: { unsigned char v; memcpy(&v, p, 1); return (double)v; }
    case NDI_DTYPE_INT8: { int8_t v; memcpy(&v, p, 1); return (double)v; }
    case NDI_DTYPE_UINT8: { uint8_t v; memcpy(&v, p, 1); return (double)v; }
    case NDI_DTYPE_INT16: { int16_t v; memcpy(&v, p, 2); return (double)v; }
    case NDI_DTYPE_UINT16: { uint16_t v; memcpy(&v, p, 2); return (double)v; }
    case NDI_DTYPE_INT32: { int32_t v; memcpy(&v, p, 4); return (double)v; }
    case NDI_DTYPE_UINT32: { uint32_t v; memcpy(&v, p, 4); return (double)v; }
    case NDI_DTYPE_INT64: { int64_t v; memcpy(&v, p, 8); return (double)v; }
    case NDI_DTYPE_UINT64: { uint64_t v; memcpy(&v, p, 8); return (double)v; }
    case NDI_DTYPE_FLOAT32: case NDI_DTYPE_COMPLEX64: { float v; memcpy(&v, p, 4); return (double)v; }
    case NDI_DTYPE_FLOAT64: case NDI_DTYPE_COMPLEX128: { double v; memcpy(&v, p, 8); return v; }
    default: return 0.0;
    }
}

/* Stores `v` (which must be representable in the type) at `p`. */
static inline void tu_store(ndi_dtype d, unsigned char *p, double v) {
    switch (d) {
    case NDI_DTYPE_BOOL: { unsigned char x = (unsigned char)v; memcpy(p, &x, 1); break; }
    case NDI_DTYPE_INT8: { int8_t x = (int8_t)v; memcpy(p, &x, 1); break; }
    case NDI_DTYPE_UINT8: { uint8_t x = (uint8_t)v; memcpy(p, &x, 1); break; }
    case NDI_DTYPE_INT16: { int16_t x = (int16_t)v; memcpy(p, &x, 2); break; }
    case NDI_DTYPE_UINT16: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case NDI_DTYPE_INT32: { int32_t x = (int32_t)v; memcpy(p, &x, 4); break; }
    case NDI_DTYPE_UINT32: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    case NDI_DTYPE_INT64: { int64_t x = (int64_t)v; memcpy(p, &x, 8); break; }
    case NDI_DTYPE_UINT64: { uint64_t x = (uint64_t)v; memcpy(p, &x, 8); break; }
    case NDI_DTYPE_FLOAT32: case NDI_DTYPE_COMPLEX64: { float x = (float)v; memcpy(p, &x, 4); break; }
    case NDI_DTYPE_FLOAT64: case NDI_DTYPE_COMPLEX128: memcpy(p, &v, 8); break;
    default: break;
    }
}

/* What the filter rule (truncation toward zero) stores for an in-range value, read back. */
static inline double tu_truncated(ndi_dtype d, double v) {
    switch (d) {
    case NDI_DTYPE_FLOAT32: return (double)(float)v;
    case NDI_DTYPE_FLOAT64: return v;
    default: return trunc(v);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Test arrays                                                                                */

enum {
    LAY_C,         /* C-contiguous, strides given explicitly */
    LAY_C_NULL,    /* C-contiguous, strides NULL */
    LAY_F,         /* Fortran order */
    LAY_STRIDED,   /* every other element of a C-contiguous buffer */
    LAY_NEG,       /* C order reversed on every axis: data points at the last element */
    LAY_UNALIGNED, /* item + 1 bytes per element, data at an odd address */
    LAY_COUNT
};

static inline const char *tu_layout_name(int layout) {
    static const char *names[LAY_COUNT] = {"C", "C/NULL", "F", "strided", "negative",
                                           "unaligned"};
    return (layout >= 0 && layout < LAY_COUNT) ? names[layout] : "?";
}

#define TU_GUARD 32
#define TU_SENTINEL 0xA5

typedef struct tarr {
    unsigned char *mem; /* allocation, TU_GUARD bytes of sentinel on both sides */
    size_t memlen;
    ndi_array arr;      /* describes the elements inside mem */
    intptr_t shape[NDI_MAX_RANK];
    intptr_t strides[NDI_MAX_RANK];
    int rank;
    intptr_t len;       /* number of elements */
    size_t item;
    int layout;
} tarr;

/* Allocates an array of `rank` axes in `layout`, every byte set to the sentinel. */
static inline void tarr_init(tarr *t, ndi_dtype dtype, int rank, const intptr_t *shape,
                             int layout) {
    intptr_t unit, lo = 0, hi = 0, offset;
    int a;
    memset(t, 0, sizeof *t);
    t->rank = rank;
    t->item = tu_item_size(dtype);
    t->layout = layout;
    t->len = 1;
    for (a = 0; a < rank; a++) {
        t->shape[a] = shape[a];
        t->len *= shape[a];
    }
    unit = (intptr_t)t->item;
    if (layout == LAY_STRIDED) unit = 2 * (intptr_t)t->item;
    if (layout == LAY_UNALIGNED) unit = (intptr_t)t->item + 1;
    if (layout == LAY_F) {
        intptr_t s = unit;
        for (a = 0; a < rank; a++) {
            t->strides[a] = s;
            s *= shape[a] > 0 ? shape[a] : 1;
        }
    } else {
        intptr_t s = unit;
        for (a = rank - 1; a >= 0; a--) {
            t->strides[a] = layout == LAY_NEG ? -s : s;
            s *= shape[a] > 0 ? shape[a] : 1;
        }
    }
    if (t->len > 0) {
        for (a = 0; a < rank; a++) {
            intptr_t reach = (shape[a] - 1) * t->strides[a];
            if (reach < 0) lo += reach; else hi += reach;
        }
    }
    hi += (intptr_t)t->item;
    offset = -lo + (layout == LAY_UNALIGNED ? 1 : 0);
    t->memlen = (size_t)(TU_GUARD + offset + hi + TU_GUARD);
    t->mem = (unsigned char *)malloc(t->memlen);
    if (!t->mem) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    memset(t->mem, TU_SENTINEL, t->memlen);
    t->arr.data = t->mem + TU_GUARD + offset;
    t->arr.dtype = dtype;
    t->arr.rank = rank;
    t->arr.shape = t->shape;
    t->arr.strides = layout == LAY_C_NULL ? NULL : t->strides;
}

static inline void tarr_free(tarr *t) {
    free(t->mem);
    t->mem = NULL;
}

/* Byte offset (from arr.data) of the element with C-order flat index k. */
static inline intptr_t tarr_offset(const tarr *t, intptr_t k) {
    intptr_t off = 0;
    int a;
    for (a = t->rank - 1; a >= 0; a--) {
        intptr_t n = t->shape[a];
        off += (k % n) * t->strides[a];
        k /= n;
    }
    return off;
}

static inline unsigned char *tarr_ptr(const tarr *t, intptr_t k) {
    return (unsigned char *)t->arr.data + tarr_offset(t, k);
}

static inline double tarr_get(const tarr *t, intptr_t k) {
    return tu_load(t->arr.dtype, tarr_ptr(t, k));
}

static inline void tarr_set(tarr *t, intptr_t k, double v) {
    tu_store(t->arr.dtype, tarr_ptr(t, k), v);
}

/* Imaginary part of a complex element. */
static inline double tarr_get_im(const tarr *t, intptr_t k) {
    return tu_load(t->arr.dtype, tarr_ptr(t, k) + t->item / 2);
}

static inline void tarr_set_im(tarr *t, intptr_t k, double v) {
    tu_store(t->arr.dtype, tarr_ptr(t, k) + t->item / 2, v);
}

/* Sets every element from a C-order array of doubles. */
static inline void tarr_fill(tarr *t, const double *values) {
    intptr_t k;
    for (k = 0; k < t->len; k++) tarr_set(t, k, values[k]);
}

/* Whether every byte of the allocation still holds the sentinel (nothing was written). */
static inline int tarr_untouched(const tarr *t) {
    size_t i;
    for (i = 0; i < t->memlen; i++)
        if (t->mem[i] != TU_SENTINEL) return 0;
    return 1;
}

/* Whether every byte that belongs to no element still holds the sentinel. */
static inline int tarr_gaps_untouched(const tarr *t) {
    unsigned char *mask = (unsigned char *)calloc(t->memlen, 1);
    size_t i;
    intptr_t k;
    int ok = 1;
    if (!mask) exit(2);
    for (k = 0; k < t->len; k++) {
        size_t start = (size_t)(tarr_ptr(t, k) - t->mem);
        for (i = 0; i < t->item; i++) mask[start + i] = 1;
    }
    for (i = 0; i < t->memlen; i++)
        if (!mask[i] && t->mem[i] != TU_SENTINEL) ok = 0;
    free(mask);
    return ok;
}

/* Resets every byte to the sentinel. */
static inline void tarr_reset(tarr *t) {
    memset(t->mem, TU_SENTINEL, t->memlen);
}

/* A descriptor pointing nowhere useful, for argument-validation tests. */
static inline ndi_array tu_desc(void *data, ndi_dtype dtype, int32_t rank, const intptr_t *shape,
                                const intptr_t *strides) {
    ndi_array a;
    a.data = data;
    a.dtype = dtype;
    a.rank = rank;
    a.shape = shape;
    a.strides = strides;
    return a;
}

#endif /* NDI_TEST_UTIL_H */
