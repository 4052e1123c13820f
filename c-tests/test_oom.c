/*
 * Allocations that cannot be satisfied: each call runs in a child process whose address
 * space is limited (setrlimit(RLIMIT_AS)) to what it already uses plus 48 MiB, with arrays
 * allocated before the limit and temporaries that need more than that: the call must return
 * NDI_ERR_OUT_OF_MEMORY with a message, leave the output unwritten, and not abort.
 *
 * Skipped under valgrind and AddressSanitizer (both need address space of their own).
 */
#include "test_util.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define HEADROOM ((size_t)48 << 20)

static size_t address_space_in_use(void) {
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    if (fscanf(f, "%lu", &pages) != 1) pages = 0;
    fclose(f);
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

static void limit_address_space(void) {
    struct rlimit r;
    r.rlim_cur = r.rlim_max = address_space_in_use() + HEADROOM;
    if (setrlimit(RLIMIT_AS, &r) != 0) {
        perror("setrlimit");
        _exit(90);
    }
}

enum {
    PREFILTER,       /* shift, order 3: a float64 coefficient array of the input's shape */
    ALIAS_COPY,      /* generic_filter1d, input overlapping the output: a copy of the input */
    FOOTPRINT_BOX,   /* generic_filter, size 2^22 x 4: the box and its walk */
    LINE_BUFFER,     /* generic_filter1d, filter_size 2^26: the extended line */
    ZOOM_TABLES,     /* zoom onto 1 x 2^21: the per-index supports of the long axis */
    THREAD_POOL,     /* 200 threads: their stacks */
    CASES
};

static const char *case_names[CASES] = {"shift's prefilter", "aliasing copy",
                                        "footprint box", "extended line",
                                        "zoom's support tables", "a pool of 200 threads"};

static int sum_cb(double *buffer, intptr_t size, double *result, void *user_data) {
    (void)user_data;
    *result = size > 0 ? buffer[0] : 0.0;
    return 1;
}

static int line_cb(double *in, intptr_t in_len, double *out, intptr_t out_len, void *ud) {
    (void)in;
    (void)in_len;
    (void)ud;
    memset(out, 0, sizeof(double) * (size_t)out_len);
    return 1;
}

/* In the child: allocates, limits, calls; exits 0 when the call failed with
 * NDI_ERR_OUT_OF_MEMORY, a message, and the output untouched. */
static void child(int which) {
    intptr_t big[2] = {3000, 3000}, small[2] = {4, 5}, one_long[2] = {1, (intptr_t)1 << 21};
    intptr_t n = big[0] * big[1];
    double shifts[2] = {0.5, 0.25};
    double *in = (double *)malloc(sizeof(double) * (size_t)n);
    double *out = (double *)malloc(sizeof(double) * (size_t)(n + 1));
    ndi_array a, b;
    ndi_options o;
    ndi_status st = NDI_OK;
    intptr_t k;
    if (!in || !out) _exit(91);
    for (k = 0; k < n; k++) in[k] = (double)(k % 13);
    for (k = 0; k <= n; k++) out[k] = -7.0;
    ndi_options_init(&o, sizeof o);
    o.threads = 1;
    /* warm up (thread-local state, the default pool) before the limit */
    {
        double x[4] = {1, 2, 3, 4}, y[4];
        intptr_t s4[1] = {4};
        ndi_array xa = tu_desc(x, NDI_DTYPE_FLOAT64, 1, s4, NULL);
        ndi_array ya = tu_desc(y, NDI_DTYPE_FLOAT64, 1, s4, NULL);
        if (ndi_shift(&xa, &ya, shifts, 3, NDI_MODE_MIRROR, 0.0, 1, NULL) != NDI_OK) _exit(92);
    }
    limit_address_space();
    switch (which) {
    case PREFILTER:
        a = tu_desc(in, NDI_DTYPE_FLOAT64, 2, big, NULL);
        b = tu_desc(out, NDI_DTYPE_FLOAT64, 2, big, NULL);
        st = ndi_shift(&a, &b, shifts, 3, NDI_MODE_MIRROR, 0.0, 1, &o);
        break;
    case ALIAS_COPY:
        /* the input is the output's memory one element on */
        a = tu_desc(out + 1, NDI_DTYPE_FLOAT64, 2, big, NULL);
        b = tu_desc(out, NDI_DTYPE_FLOAT64, 2, big, NULL);
        st = ndi_generic_filter1d(&a, &b, 3, 1, 0, NDI_MODE_REFLECT, 0.0, line_cb, NULL, &o);
        break;
    case FOOTPRINT_BOX: {
        intptr_t size[2] = {(intptr_t)1 << 22, 4};
        a = tu_desc(in, NDI_DTYPE_FLOAT64, 2, small, NULL);
        b = tu_desc(out, NDI_DTYPE_FLOAT64, 2, small, NULL);
        st = ndi_generic_filter(&a, &b, NULL, size, NULL, NDI_MODE_REFLECT, 0.0, sum_cb, NULL,
                                &o);
        break;
    }
    case LINE_BUFFER:
        a = tu_desc(in, NDI_DTYPE_FLOAT64, 2, small, NULL);
        b = tu_desc(out, NDI_DTYPE_FLOAT64, 2, small, NULL);
        st = ndi_generic_filter1d(&a, &b, (intptr_t)1 << 26, 1, 0, NDI_MODE_REFLECT, 0.0,
                                  line_cb, NULL, &o);
        break;
    case ZOOM_TABLES:
        a = tu_desc(in, NDI_DTYPE_FLOAT64, 2, small, NULL);
        b = tu_desc(out, NDI_DTYPE_FLOAT64, 2, one_long, NULL);
        st = ndi_zoom(&a, &b, 0, 1, NDI_MODE_NEAREST, 0.0, 0, &o);
        break;
    case THREAD_POOL:
        a = tu_desc(in, NDI_DTYPE_FLOAT64, 2, big, NULL);
        b = tu_desc(out, NDI_DTYPE_FLOAT64, 2, big, NULL);
        o.threads = 200;
        st = ndi_shift(&a, &b, shifts, 1, NDI_MODE_MIRROR, 0.0, 0, &o);
        break;
    }
    if (st != NDI_ERR_OUT_OF_MEMORY) {
        fprintf(stderr, "  %s: status %d (%s): %s\n", case_names[which], (int)st,
                ndi_status_string(st), ndi_last_error_message());
        _exit(1);
    }
    if (ndi_last_error_message()[0] == '\0') _exit(2);
    for (k = 0; k <= n; k++)
        if (out[k] != -7.0 && !(which == ALIAS_COPY)) _exit(3);
    _exit(0);
}

int main(void) {
    int which;
#if defined(__SANITIZE_ADDRESS__)
    printf("test_oom: skipped under AddressSanitizer (it needs the address space)\n");
    return TU_DONE();
#endif
    if (getenv("NDI_UNDER_VALGRIND")) {
        printf("test_oom: skipped under valgrind (it needs the address space)\n");
        return TU_DONE();
    }
    for (which = 0; which < CASES; which++) {
        pid_t pid;
        int wstatus = 0;
        TU_CTX("%s under a limited address space", case_names[which]);
        fflush(NULL);
        pid = fork();
        if (pid == 0) child(which);
        CHECK(pid > 0);
        if (pid <= 0) continue;
        CHECK(waitpid(pid, &wstatus, 0) == pid);
        CHECK_MSG(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0, "child %s %d",
                  WIFSIGNALED(wstatus) ? "killed by signal" : "exited with",
                  WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : WEXITSTATUS(wstatus));
    }
    tu_context[0] = '\0';
    return TU_DONE();
}
