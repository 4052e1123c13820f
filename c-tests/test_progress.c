/*
 * Progress and cancellation (ndi_options.progress), for every entry point that writes an
 * array (the rows of entry_points.def):
 *
 * - reports: called from the calling thread only, fractions in [0, 1] and non-decreasing,
 *   1.0 last; the result is the one without a progress callback; on 1 and on 2 threads;
 * - cancellation: returning 0 stops the call with NDI_ERR_CANCELLED, the callback is not
 *   called again, nothing outside the output's elements is written, and functions with a
 *   callback leave what a failing callback leaves (on one thread: a C-order prefix);
 * - promptness: a long call (rank-20 inputs at order 1: a million coefficients per point) is
 *   stopped within a fraction of a second, and reports come every few milliseconds while it
 *   runs, on 1 and on 2 threads;
 * - calls made from inside a callback, or from inside the progress callback, do not report to
 *   the enclosing call.
 *
 * Under valgrind (run.sh sets NDI_UNDER_VALGRIND=1) the time bounds are ten times wider,
 * under AddressSanitizer four times, and NDI_TIME_SLACK=<factor> sets the factor (cargo test
 * runs the programs against a debug build: 10).
 */
#include "test_util.h"

#include "entry_points.h"

#include <pthread.h>
#include <stddef.h>

static double slack = 1.0;
/* Under valgrind, which runs one thread at a time, a loaded machine stalls a thread for
 * seconds of wall time: only the CPU-time gaps are checked there. */
static int wall_gaps_checked = 1;

/* ---- a recording progress callback ---------------------------------------------------- */

#define MAX_REPORTS 100000

typedef struct {
    pthread_t caller;
    long calls;
    long off_thread;
    long decreasing;
    long out_of_range;
    long after_cancel;
    double last;
    double start, cancelled_at, max_gap, prev_time;
    double prev_cpu, max_cpu_gap; /* the calling thread's CPU time */
    long cancel_at;          /* return 0 on this call (0: never) */
    double cancel_after;     /* or once this many seconds have passed since `start` */
    int cancelled;
    const ep_state *callbacks; /* reports while one of its callbacks runs a nested call */
    long during_callback;
    void (*hook)(void);      /* called from inside the report */
    double gaps[MAX_REPORTS]; /* CPU seconds of the calling thread since the previous report
                               * (or the start) */
} recorder;

static double cpu_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void rec_init(recorder *r) {
    memset(r, 0, offsetof(recorder, gaps));
    r->caller = pthread_self();
    r->last = -1.0;
    r->start = r->prev_time = ep_now();
    r->prev_cpu = cpu_now();
}

static int record(double fraction, void *user_data) {
    recorder *r = (recorder *)user_data;
    double now = ep_now();
    r->calls++;
    if (!pthread_equal(pthread_self(), r->caller)) r->off_thread++;
    if (r->cancelled) r->after_cancel++;
    if (!(fraction >= 0.0 && fraction <= 1.0)) r->out_of_range++;
    if (fraction < r->last) r->decreasing++;
    r->last = fraction;
    double cpu = cpu_now();
    if (now - r->prev_time > r->max_gap) r->max_gap = now - r->prev_time;
    if (cpu - r->prev_cpu > r->max_cpu_gap) r->max_cpu_gap = cpu - r->prev_cpu;
    if (r->calls <= MAX_REPORTS) r->gaps[r->calls - 1] = cpu - r->prev_cpu;
    r->prev_time = now;
    r->prev_cpu = cpu;
    if (r->callbacks && r->callbacks->inside) r->during_callback++;
    if (r->hook) r->hook();
    if ((r->cancel_at > 0 && r->calls >= r->cancel_at) ||
        (r->cancel_after > 0.0 && now - r->start >= r->cancel_after)) {
        if (!r->cancelled) r->cancelled_at = now;
        r->cancelled = 1;
        return 0;
    }
    return 1;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The 90th percentile of the gaps between reports (CPU time of the calling thread), the
 * gap from the last report to the end of the call (`end`, `end_cpu`) included. */
static double gap_p90(recorder *r, double end, double end_cpu) {
    long n = r->calls < MAX_REPORTS ? r->calls : MAX_REPORTS - 1;
    r->gaps[n] = end_cpu - r->prev_cpu;
    if (end - r->prev_time > r->max_gap) r->max_gap = end - r->prev_time;
    if (end_cpu - r->prev_cpu > r->max_cpu_gap) r->max_cpu_gap = end_cpu - r->prev_cpu;
    qsort(r->gaps, (size_t)n + 1, sizeof(double), compare_doubles);
    return r->gaps[(n * 9) / 10];
}

/* "At least every few milliseconds of work": gaps between reports measured in the calling
 * thread's CPU time (a loaded machine preempts threads for tens of milliseconds, which is
 * no gap in the library's reporting), 90% within 5 ms and none beyond 50 ms; and in wall
 * time none beyond a second (a missing report shows as a gap of the whole call), except
 * under valgrind. */
#define CHECK_GAPS(r, end)                                                                 \
    do {                                                                                   \
        double p90_ = gap_p90((r), (end), cpu_now());                                      \
        CHECK_MSG(p90_ < 0.005 * slack && (r)->max_cpu_gap < 0.050 * slack &&               \
                      ((r)->max_gap < 1.0 * slack || !wall_gaps_checked),                 \
                  "%ld reports, CPU gaps: 90%% within %.2f ms, longest %.1f ms; longest "  \
                  "wall gap %.1f ms", (r)->calls, 1e3 * p90_, 1e3 * (r)->max_cpu_gap,      \
                  1e3 * (r)->max_gap);                                                     \
    } while (0)

static void progress_options(ndi_options *o, recorder *r, int32_t threads) {
    ndi_options_init(o, sizeof *o);
    o->threads = threads;
    o->flags = threads == 1 ? 0 : NDI_FLAG_THREAD_SAFE_CALLBACK;
    o->progress = record;
    o->progress_user_data = r;
}

/* ---- reports -------------------------------------------------------------------------- */

static void test_reports(void) {
    int row, t;
    static const int32_t threads[2] = {1, 2};
    for (row = 0; row < EP_COUNT; row++) {
        const ep_row *ep = &ep_rows[row];
        ep_fixture fx;
        ep_call c;
        ep_descs d;
        unsigned char *plain;
        if (!ep_writes_array(ep)) continue;
        ep_fixture_init(&fx, 40, 50);
        ep_fixture_int32_output(&fx, ep);
        ep_fixture_integer_input(&fx, ep);
        plain = (unsigned char *)malloc(fx.out.memlen);
        if (!plain) exit(2);
        TU_CTX("%s without progress", ep->name);
        ep_call_defaults(&c, &d, &fx);
        CHECK_STATUS(ep->call(&c), NDI_OK);
        memcpy(plain, fx.out.mem, fx.out.memlen);
        for (t = 0; t < 2; t++) {
            static recorder r;
            ndi_options o;
            TU_CTX("%s with progress, %d threads", ep->name, (int)threads[t]);
            rec_init(&r);
            progress_options(&o, &r, threads[t]);
            ep_call_defaults(&c, &d, &fx);
            c.options = &o;
            tarr_reset(&fx.out);
            CHECK_STATUS(ep->call(&c), NDI_OK);
            CHECK(r.calls >= 1);
            CHECK(r.off_thread == 0);
            CHECK(r.decreasing == 0);
            CHECK(r.out_of_range == 0);
            CHECK_EQ(r.last, 1.0);
            CHECK_MSG(memcmp(plain, fx.out.mem, fx.out.memlen) == 0,
                      "result differs from the call without progress");
        }
        free(plain);
        ep_fixture_free(&fx);
    }
    tu_context[0] = '\0';
}

/* An empty output: the call has no work, and reports 1.0 once. */
static void test_empty(void) {
    double in[4] = {1, 2, 3, 4}, shift = 0.5;
    intptr_t shape[1] = {4}, empty[1] = {0};
    ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    ndi_array b = tu_desc(NULL, NDI_DTYPE_FLOAT64, 1, empty, NULL);
    static recorder r;
    ndi_options o;
    TU_CTX("empty output");
    rec_init(&r);
    progress_options(&o, &r, 1);
    CHECK_STATUS(ndi_shift(&a, &b, &shift, 1, NDI_MODE_NEAREST, 0.0, 0, &o), NDI_OK);
    CHECK(r.calls == 1);
    CHECK_EQ(r.last, 1.0);
    /* cancelled at that one report */
    rec_init(&r);
    r.cancel_at = 1;
    progress_options(&o, &r, 1);
    CHECK_STATUS(ndi_shift(&a, &b, &shift, 1, NDI_MODE_NEAREST, 0.0, 0, &o), NDI_ERR_CANCELLED);
    CHECK_MESSAGE_HAS("cancelled");
    tu_context[0] = '\0';
}

/* ---- cancellation --------------------------------------------------------------------- */

/* Whether every byte of element k still holds the sentinel. */
static int element_untouched(const tarr *t, intptr_t k) {
    const unsigned char *p = tarr_ptr(t, k);
    size_t i;
    for (i = 0; i < t->item; i++)
        if (p[i] != TU_SENTINEL) return 0;
    return 1;
}

static void test_cancel(void) {
    int row, t;
    static const int32_t threads[2] = {1, 2};
    for (row = 0; row < EP_COUNT; row++) {
        const ep_row *ep = &ep_rows[row];
        int callback = ep_has_callback(ep);
        ep_fixture fx;
        ep_call c;
        ep_descs d;
        tarr reference;
        intptr_t k;
        if (!ep_writes_array(ep)) continue;
        /* Large enough that the call takes well over the 2 ms between reports: slow
         * callbacks, or many points. */
        if (callback)
            ep_fixture_init(&fx, 60, 80);
        else
            ep_fixture_init(&fx, 300, 400);
        ep_fixture_int32_output(&fx, ep);
        ep_fixture_integer_input(&fx, ep);
        tarr_init(&reference, fx.out.arr.dtype, 2, fx.out.shape, LAY_C);
        TU_CTX("%s reference", ep->name);
        ep_call_defaults(&c, &d, &fx);
        if (callback) c.prefilter = 0;
        d.output = reference.arr;
        CHECK_STATUS(ep->call(&c), NDI_OK);
        for (t = 0; t < 2; t++) {
            static recorder r;
            ndi_options o;
            ndi_status st;
            intptr_t written = 0, prefix = 0, wrong = 0;
            /* Functions with a callback: cancelled at the second report, with no prefilter
             * pass, so that at least one line or segment is stored before it (the engines
             * report between them); the others at the first. */
            long cancel_at = callback ? 2 : 1;
            TU_CTX("%s cancelled at report %ld, %d threads", ep->name, cancel_at,
                   (int)threads[t]);
            rec_init(&r);
            r.cancel_at = cancel_at;
            progress_options(&o, &r, threads[t]);
            ep_call_defaults(&c, &d, &fx);
            if (callback) c.prefilter = 0;
            ep_state_reset(&fx.state);
            /* per call: an element, or a whole line for generic_filter1d */
            fx.state.spin_ns = ep_has_role(ep, "filter1d_cb") ? 500000 : 5000;
            c.options = &o;
            tarr_reset(&fx.out);
            st = ep->call(&c);
            CHECK_STATUS(st, NDI_ERR_CANCELLED);
            CHECK_MESSAGE_HAS(ep->name);
            CHECK_MESSAGE_HAS("cancelled");
            CHECK(r.calls == cancel_at && r.after_cancel == 0);
            CHECK(tarr_gaps_untouched(&fx.out));
            for (k = 0; k < fx.out.len; k++) {
                if (element_untouched(&fx.out, k)) continue;
                written++;
                if (tarr_get(&fx.out, k) != tarr_get(&reference, k)) wrong++;
                if (prefix == k) prefix++;
            }
            if (callback && threads[t] == 1) {
                /* What a failing callback leaves: the elements before it, in C order. */
                CHECK_MSG(written == prefix, "%ld elements written, not a prefix (%ld)",
                          (long)written, (long)prefix);
                CHECK_MSG(wrong == 0, "%ld written elements differ", (long)wrong);
                CHECK_MSG(written > 0 && written < fx.out.len,
                          "%ld of %ld written: not stopped midway", (long)written,
                          (long)fx.out.len);
            }
            CHECK_MSG(fx.state.calls < fx.out.len, "callback called %ld times",
                      fx.state.calls);
        }
        tarr_free(&reference);
        ep_fixture_free(&fx);
    }
    tu_context[0] = '\0';
}

/* ---- a long call, stopped ------------------------------------------------------------- */

#define R20 20

static int map_identity(intptr_t *oc, double *ic, int orank, int irank, void *ud) {
    int a;
    (void)ud;
    for (a = 0; a < irank; a++) ic[a] = a < orank ? (double)oc[a] + 0.25 : 0.5;
    return 1;
}

/* Rank-20 inputs at order 1: 2^20 coefficients per point, seconds per thousand points. The
 * call is cancelled 50 ms in; it must return soon after, and have reported every few
 * milliseconds until then. */
static void test_rank20(void) {
    enum { SHIFT, AFFINE, MAP, ZOOM, GEOMETRIC, KINDS };
    static const char *names[KINDS] = {"shift", "affine_transform", "map_coordinates", "zoom",
                                       "geometric_transform"};
    intptr_t shape[R20], mshape[2] = {R20, R20}, cshape[2] = {R20, 64}, oshape[1] = {64};
    double shifts[R20], matrix[R20 * R20], *in, *out, *coords;
    ndi_array a, b, cd, b1;
    int kind, t, i;
    static const int32_t threads[2] = {1, 2};
    for (i = 0; i < R20; i++) {
        shape[i] = 2;
        shifts[i] = 0.25;
    }
    for (i = 0; i < R20 * R20; i++) matrix[i] = (i % (R20 + 1)) == 0 ? 1.0 : 0.0;
    in = (double *)malloc(sizeof(double) << R20);
    out = (double *)malloc(sizeof(double) << R20);
    coords = (double *)malloc(sizeof(double) * R20 * 64);
    if (!in || !out || !coords) exit(2);
    for (i = 0; i < 1 << R20; i++) in[i] = ep_value(i);
    for (i = 0; i < R20 * 64; i++) coords[i] = 0.5 + 0.01 * (i % 7);
    a = tu_desc(in, NDI_DTYPE_FLOAT64, R20, shape, NULL);
    b = tu_desc(out, NDI_DTYPE_FLOAT64, R20, shape, NULL);
    cd = tu_desc(coords, NDI_DTYPE_FLOAT64, 2, cshape, NULL);
    b1 = tu_desc(out, NDI_DTYPE_FLOAT64, 1, oshape, NULL);
    for (kind = 0; kind < KINDS; kind++) {
        for (t = 0; t < 2; t++) {
            static recorder r;
            ndi_options o;
            ndi_status st = NDI_OK;
            double returned;
            TU_CTX("rank-20 %s at order 1, %d threads, cancelled after 50 ms", names[kind],
                   (int)threads[t]);
            rec_init(&r);
            r.cancel_after = 0.05 * slack;
            progress_options(&o, &r, threads[t]);
            r.start = r.prev_time = ep_now();
            switch (kind) {
            case SHIFT:
                st = ndi_shift(&a, &b, shifts, 1, NDI_MODE_MIRROR, 0.0, 0, &o);
                break;
            case AFFINE:
                st = ndi_affine_transform(&a, &b, matrix, mshape, 2, shifts, 1, NDI_MODE_WRAP,
                                          0.0, 0, &o);
                break;
            case MAP:
                st = ndi_map_coordinates(&a, &cd, &b1, 1, NDI_MODE_NEAREST, 0.0, 0, &o);
                break;
            case ZOOM:
                st = ndi_zoom(&a, &b, 1, 1, NDI_MODE_REFLECT, 0.0, 0, &o);
                break;
            case GEOMETRIC:
                st = ndi_geometric_transform(&a, &b, 1, NDI_MODE_NEAREST, 0.0, 0, map_identity,
                                             NULL, &o);
                break;
            }
            returned = ep_now();
            CHECK_STATUS(st, NDI_ERR_CANCELLED);
            CHECK(r.off_thread == 0 && r.decreasing == 0 && r.after_cancel == 0);
            CHECK_MSG(r.cancelled && returned - r.cancelled_at < 0.5 * slack,
                      "returned %.3f s after the cancellation", returned - r.cancelled_at);
            CHECK_GAPS(&r, r.cancelled_at);
            CHECK_MSG(r.calls >= 2, "%ld reports", r.calls);
        }
    }
    free(in);
    free(out);
    free(coords);
    tu_context[0] = '\0';
}

/* Reports every few milliseconds through calls of slow callbacks and a multi-pass filter,
 * on 1 and 2 threads. */
static void test_gaps(void) {
    int t;
    static const int32_t threads[2] = {1, 2};
    for (t = 0; t < 2; t++) {
        ep_fixture fx;
        ep_call c;
        ep_descs d;
        static recorder r;
        ndi_options o;
        double end;
        /* short lines: the engine reports between lines */
        ep_fixture_init(&fx, 500, 16);
        TU_CTX("generic_filter, 10 us per callback, %d threads", (int)threads[t]);
        rec_init(&r);
        progress_options(&o, &r, threads[t]);
        ep_call_defaults(&c, &d, &fx);
        fx.state.spin_ns = 10000;
        c.options = &o;
        CHECK_STATUS(ep_call_ndi_generic_filter(&c), NDI_OK);
        end = ep_now();
        CHECK_GAPS(&r, end);
        CHECK(r.calls >= 10);
        ep_fixture_free(&fx);

        ep_fixture_init(&fx, 700, 900);
        TU_CTX("spline_filter of 700x900, %d threads", (int)threads[t]);
        rec_init(&r);
        progress_options(&o, &r, threads[t]);
        ep_call_defaults(&c, &d, &fx);
        c.options = &o;
        CHECK_STATUS(ep_call_ndi_spline_filter(&c), NDI_OK);
        end = ep_now();
        CHECK_GAPS(&r, end);
        CHECK(r.decreasing == 0 && r.off_thread == 0);
        ep_fixture_free(&fx);
    }
    tu_context[0] = '\0';
}

/* ---- nested calls --------------------------------------------------------------------- */

static double nested_in[64], nested_out[64];
static long nested_calls;

static void nested_shift(void) {
    intptr_t shape[1] = {64};
    double shift = 0.3;
    ndi_array a = tu_desc(nested_in, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    ndi_array b = tu_desc(nested_out, NDI_DTYPE_FLOAT64, 1, shape, NULL);
    ndi_options o;
    ndi_options_init(&o, sizeof o);
    o.threads = 1;
    if (ndi_shift(&a, &b, &shift, 3, NDI_MODE_MIRROR, 0.0, 1, &o) == NDI_OK) nested_calls++;
}

static void nested_hook(ep_state *s) {
    (void)s;
    nested_shift();
}

static void test_nested(void) {
    ep_fixture fx;
    ep_call c;
    ep_descs d;
    static recorder r;
    ndi_options o;
    int i;
    for (i = 0; i < 64; i++) nested_in[i] = ep_value(i);

    /* A callback that calls the library: the inner calls do not report to the outer one. */
    ep_fixture_init(&fx, 30, 40);
    TU_CTX("generic_filter whose callback calls ndi_shift");
    rec_init(&r);
    progress_options(&o, &r, 1);
    r.callbacks = &fx.state;
    ep_call_defaults(&c, &d, &fx);
    fx.state.hook = nested_hook;
    fx.state.spin_ns = 2000;
    c.options = &o;
    nested_calls = 0;
    CHECK_STATUS(ep_call_ndi_generic_filter(&c), NDI_OK);
    CHECK(nested_calls == fx.in.len);
    CHECK_MSG(r.during_callback == 0, "%ld reports from inside the callback's call",
              r.during_callback);
    CHECK(r.decreasing == 0 && r.out_of_range == 0);
    CHECK_EQ(r.last, 1.0);

    /* A progress callback that calls the library. */
    TU_CTX("a progress callback that calls ndi_shift");
    rec_init(&r);
    r.hook = nested_shift;
    progress_options(&o, &r, 2);
    ep_call_defaults(&c, &d, &fx);
    fx.state.hook = NULL;
    c.options = &o;
    nested_calls = 0;
    CHECK_STATUS(ep_call_ndi_generic_filter(&c), NDI_OK);
    CHECK(nested_calls == r.calls);
    CHECK(r.decreasing == 0);
    CHECK_EQ(r.last, 1.0);
    ep_fixture_free(&fx);
    tu_context[0] = '\0';
}

/* A callback failure beats a later cancellation; a cancelled call does not call the
 * callback again; an older options struct (without the progress fields) reports nothing. */
static void test_interplay(void) {
    ep_fixture fx;
    ep_call c;
    ep_descs d;
    static recorder r;
    ndi_options o;
    ep_fixture_init(&fx, 30, 40);

    TU_CTX("callback fails at call 5, progress would cancel later");
    rec_init(&r);
    r.cancel_at = 1000;
    progress_options(&o, &r, 1);
    ep_call_defaults(&c, &d, &fx);
    fx.state.fail_at = 5;
    c.options = &o;
    CHECK_STATUS(ep_call_ndi_generic_filter(&c), NDI_ERR_CALLBACK_FAILED);
    CHECK(fx.state.calls == 5);

    TU_CTX("older options struct");
    rec_init(&r);
    progress_options(&o, &r, 1);
    o.struct_size = offsetof(ndi_options, progress);
    ep_call_defaults(&c, &d, &fx);
    ep_state_reset(&fx.state);
    c.options = &o;
    CHECK_STATUS(ep_call_ndi_shift(&c), NDI_OK);
    CHECK(r.calls == 0);
    ep_fixture_free(&fx);
    tu_context[0] = '\0';
}

int main(void) {
    if (getenv("NDI_UNDER_VALGRIND")) {
        slack = 10.0;
        wall_gaps_checked = 0;
    }
    if (getenv("NDI_TIME_SLACK")) slack = atof(getenv("NDI_TIME_SLACK"));
#if defined(__SANITIZE_ADDRESS__)
    slack = 4.0;
#endif
    test_reports();
    test_empty();
    test_cancel();
    test_rank20();
    test_gaps();
    test_nested();
    test_interplay();
    return TU_DONE();
}
