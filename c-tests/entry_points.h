/*
 * Every C entry point as one row (c-tests/entry_points.def), over one fixture of valid
 * arguments, for the runners that treat all functions alike: the error matrix
 * (test_error_matrix.c) and progress/cancellation (test_progress.c).
 *
 *   ep_fixture fx; ep_fixture_init(&fx, rows, cols);  valid arguments for every role
 *   ep_call c; ep_call_defaults(&c, &fx);             a call made of them
 *   ep_rows[k].call(&c)                               calls function k with c's roles
 *   ep_has_role(&ep_rows[k], "output")                whether function k takes that role
 *
 * The fixture: a rows x cols float64 input and output (C order), a 3x2 footprint, coordinates
 * [2, rows, cols] inside the input, size {3, 3}, order 3, mode mirror, axis 1, ... Callbacks
 * count their calls in `fx.state` (and can fail or spin); `fx.state.calls` is the number of
 * calls of any callback since ep_state_reset.
 *
 * Include test_util.h first.
 */
#ifndef NDI_ENTRY_POINTS_H
#define NDI_ENTRY_POINTS_H

#include <time.h>

/* The arguments of every entry point, by role (see entry_points.def). */
typedef struct ep_call {
    const ndi_array *output_complex; /* the output, complex128 (ep_fixture_complex_output) */
    const ndi_array *input, *output, *output_free, *output_coords, *footprint, *coordinates;
    const intptr_t *size, *origins;
    intptr_t filter_size, origin;
    int32_t axis, axis0, axis1, order, mode, prefilter, grid_mode, reshape, rank, thread_count;
    double cval, angle;
    const double *shift, *offset, *zoom;
    const double *matrix;
    const intptr_t *matrix_shape;
    int32_t matrix_ndim;
    ndi_filter_func filter_cb;
    ndi_filter1d_func filter1d_cb;
    ndi_transform_func transform_cb;
    void *user_data;
    const intptr_t *shape;
    intptr_t *out_shape;
    int32_t *identity;
    const char *mode_name;
    ndi_mode *mode_out;
    const ndi_options *options;
    /* the filters' roles */
    const ndi_array *weights1d, *weights;
    const intptr_t *sizes;
    const int32_t *axes;
    int32_t n_axes;
    const ndi_mode *modes;
    const double *sigmas;
    const int *gauss_orders;
    const intptr_t *radii;
    double sigma, truncate;
    int gauss_order;
    intptr_t radius, kernel_radius, length;
    double *kernel_out;
    ndi_kernel1d_func kernel_cb;
    ndi_derivative_func derivative_cb;
    /* the order filters' and grey morphology's roles */
    const ndi_mode *mode_list;
    int32_t n_modes;
    intptr_t filter_rank;
    double percentile;
    const ndi_array *grey_structure;
    /* the Fourier filters' roles */
    const double *fourier_sizes;
    intptr_t fourier_n;
    /* binary morphology's roles */
    const ndi_array *structure, *structure2, *mask;
    int64_t iterations;
    int32_t border_value;
    const intptr_t *origins2;
    /* the structuring elements' roles */
    const ndi_array *structure_output, *structure_in, *iterated_output;
    double connectivity;
    int64_t structure_iterations;
    /* the distance transforms' roles */
    const double *sampling;
    const ndi_array *distances, *indices, *chamfer_metric;
    ndi_metric metric;
    const char *metric_name;
    ndi_metric *metric_out;
    /* the spline helpers' roles */
    intptr_t *npad;
    const ndi_array *coeff_output;
    /* vectorized_filter's roles */
    uintptr_t batch_memory;
    ndi_vectorized_func vectorized_cb;
    /* the statistics' roles */
    const ndi_array *labels, *index, *stat_output, *com_output, *positions;
    ndi_select select;
    const ndi_array *extrema_minimum, *extrema_maximum, *extrema_min_positions,
        *extrema_max_positions;
    /* histogram's and labeled_comprehension's roles */
    const double *edges;
    intptr_t n_edges;
    const ndi_array *hist_counts, *group_sizes, *comp_output;
    ndi_label_func label_cb;
    uint32_t pass_flags;
    double default_value;
    /* the labels' roles */
    const ndi_array *label_structure, *boxes, *ignore_value, *vi_values, *vi_counts,
        *vi_indices, *markers;
    intptr_t *num_labels, *num_values, *num_positions;
    intptr_t max_label;
} ep_call;

typedef struct ep_row {
    const char *name;
    const char *roles; /* "input, output, ..." as written in entry_points.def */
    ndi_status (*call)(const ep_call *c);
} ep_row;

/* ---- rows: EP(fn, roles...) becomes a call adapter and a table entry ------------------ */

#define EP_CAT_(a, b) a##b
#define EP_CAT(a, b) EP_CAT_(a, b)
#define EP_NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, N, ...) N
#define EP_NARGS(...) \
    EP_NARGS_(__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define EP_A1(a) c->a
#define EP_A2(a, ...) c->a, EP_A1(__VA_ARGS__)
#define EP_A3(a, ...) c->a, EP_A2(__VA_ARGS__)
#define EP_A4(a, ...) c->a, EP_A3(__VA_ARGS__)
#define EP_A5(a, ...) c->a, EP_A4(__VA_ARGS__)
#define EP_A6(a, ...) c->a, EP_A5(__VA_ARGS__)
#define EP_A7(a, ...) c->a, EP_A6(__VA_ARGS__)
#define EP_A8(a, ...) c->a, EP_A7(__VA_ARGS__)
#define EP_A9(a, ...) c->a, EP_A8(__VA_ARGS__)
#define EP_A10(a, ...) c->a, EP_A9(__VA_ARGS__)
#define EP_A11(a, ...) c->a, EP_A10(__VA_ARGS__)
#define EP_A12(a, ...) c->a, EP_A11(__VA_ARGS__)
#define EP_A13(a, ...) c->a, EP_A12(__VA_ARGS__)
#define EP_A14(a, ...) c->a, EP_A13(__VA_ARGS__)
#define EP_A15(a, ...) c->a, EP_A14(__VA_ARGS__)
#define EP_A16(a, ...) c->a, EP_A15(__VA_ARGS__)
#define EP_ARGS(...) EP_CAT(EP_A, EP_NARGS(__VA_ARGS__))(__VA_ARGS__)

#define EP(fn, ...) \
    static ndi_status ep_call_##fn(const ep_call *c) { return fn(EP_ARGS(__VA_ARGS__)); }
#include "entry_points.def"
#undef EP

#define EP(fn, ...) {#fn, #__VA_ARGS__, ep_call_##fn},
static const ep_row ep_rows[] = {
#include "entry_points.def"
};
#undef EP
#define EP_COUNT ((int)(sizeof ep_rows / sizeof ep_rows[0]))

/* Whether `row` takes `role` (a whole word of its role list). */
static inline int ep_has_role(const ep_row *row, const char *role) {
    size_t n = strlen(role);
    const char *p = row->roles;
    while ((p = strstr(p, role)) != NULL) {
        int starts = p == row->roles || p[-1] == ' ' || p[-1] == ',' || p[-1] == '\n';
        char after = p[n];
        if (starts && (after == '\0' || after == ',' || after == ' ')) return 1;
        p += n;
    }
    return 0;
}

/* Whether the row writes an array (does work that progress reports cover). */
static inline int ep_writes_array(const ep_row *row) {
    return ep_has_role(row, "output") || ep_has_role(row, "output_free") ||
           ep_has_role(row, "output_coords");
}

/* Whether the row takes a callback. */
static inline int ep_has_callback(const ep_row *row) {
    return ep_has_role(row, "filter_cb") || ep_has_role(row, "filter1d_cb") ||
           ep_has_role(row, "transform_cb");
}

/* ---- callbacks ---------------------------------------------------------------------- */

/* What the callbacks share (their user_data): calls counted, a failure at call `fail_at`
 * (0: never), `spin_ns` of busy waiting per call (to make calls slow), and a hook called
 * from every call (test_progress.c calls the library from inside a callback with it). */
typedef struct ep_state ep_state;
struct ep_state {
    long calls;
    long fail_at;
    long spin_ns;
    void (*hook)(ep_state *s);
    int inside; /* set while the hook runs */
};

static inline void ep_state_reset(ep_state *s) {
    memset(s, 0, sizeof *s);
}

static inline double ep_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static inline void ep_spin(long ns) {
    double until;
    if (ns <= 0) return;
    until = ep_now() + 1e-9 * (double)ns;
    while (ep_now() < until) {
    }
}

/* Counts the call; returns 0 when it is the one to fail. */
static inline int ep_note(void *user_data) {
    ep_state *s = (ep_state *)user_data;
    if (!s) return 1;
    /* (atomic: the runners also call callbacks from several threads) */
    __sync_add_and_fetch(&s->calls, 1);
    ep_spin(s->spin_ns);
    if (s->hook) {
        s->inside = 1;
        s->hook(s);
        s->inside = 0;
    }
    return !(s->fail_at > 0 && s->calls == s->fail_at);
}

static int ep_filter(double *buffer, intptr_t size, double *result, void *user_data) {
    double acc = 0.0;
    intptr_t k;
    for (k = 0; k < size; k++) acc += buffer[k] * (double)(k + 1);
    *result = acc;
    return ep_note(user_data);
}

static int ep_filter1d(double *in, intptr_t in_len, double *out, intptr_t out_len,
                       void *user_data) {
    intptr_t i, fs = in_len - out_len + 1;
    for (i = 0; i < out_len; i++) out[i] = in[i] - 2.0 * in[i + fs / 2] + 0.5 * in[i + fs - 1];
    return ep_note(user_data);
}

static int ep_transform(intptr_t *oc, double *ic, int orank, int irank, void *user_data) {
    int a;
    for (a = 0; a < irank; a++) ic[a] = (double)oc[a < orank ? a : orank - 1] * 0.9 + 0.3 * a;
    return ep_note(user_data);
}

/* A gaussian kernel provider: any kernel of the requested length will do. */
static int ep_kernel(int axis, double sigma, int order, intptr_t radius, double *kernel,
                     void *user_data) {
    intptr_t i;
    for (i = 0; i <= 2 * radius; i++)
        kernel[i] = 1.0 / (double)(2 * radius + 1) + 0.01 * (double)((i - radius) * (order + 1)) +
                    1e-3 * sigma + 1e-4 * axis;
    return ep_note(user_data);
}

/* A batched callback of vectorized_filter: a weighted sum of each window. */
static int ep_vectorized(double *windows, intptr_t n_windows, intptr_t window_size,
                         double *results, void *user_data) {
    intptr_t w, k;
    for (w = 0; w < n_windows; w++) {
        double acc = 0.0;
        for (k = 0; k < window_size; k++) acc += windows[w * window_size + k] * (double)(k + 2);
        results[w] = acc;
    }
    return ep_note(user_data);
}

/* A labeled_comprehension callback: a weighted sum of the values and positions given. */
static int ep_label(const double *values, const intptr_t *positions, intptr_t count,
                    intptr_t entry, double *result, void *user_data) {
    intptr_t k;
    double acc = 0.5 * (double)entry;
    for (k = 0; k < count; k++) {
        if (values) acc += values[k] * (double)(k + 1);
        if (positions) acc += 0.25 * (double)positions[k];
    }
    *result += acc;
    return ep_note(user_data);
}

/* A derivative for generic_laplace/generic_gradient_magnitude: the library's sobel. */
static int ep_derivative(const ndi_array *input, int axis, const ndi_array *output,
                         ndi_mode mode, double cval, void *user_data) {
    if (!ndi_derivative_sobel(input, axis, output, mode, cval, NULL)) return 0;
    return ep_note(user_data);
}

/* ---- the fixture -------------------------------------------------------------------- */

typedef struct ep_fixture {
    tarr in, out, fp, coords, w1, wn, gs;
    tarr st, st2, mk; /* 3x3 cross, 3x3 corners, a rows x cols mask */
    tarr it;          /* 5x5: the cross iterated twice */
    tarr ind;         /* int32 [2, rows, cols]: a distance transform's indices */
    intptr_t so_shape[2], so_strides[2]; /* a 3x3 view of the output */
    double sampling[2];
    ndi_metric metric_out;
    intptr_t npad;
    tarr lb, ix;          /* int32 labels k % 3 (rows x cols), int32 index {1, 2, 5} */
    tarr pos, pos2;       /* int64 [6]: positions of 3 groups */
    tarr emin, emax;      /* float64 [3]: extrema */
    intptr_t n3[1], n6[1]; /* 3 and 6 elements of the output */
    tarr hc, gsz;          /* int64 [9] histogram counts (3 groups x 3 bins), [3] sizes */
    double edges[4];
    tarr bx;               /* int64 [12]: find_objects' boxes of 3 labels */
    tarr ig, vv, vc, vx;   /* value_indices: int32 {2} ignored; int32 [2], int64 [2], [16] */
    tarr mks;              /* int32 markers: 1 at the first element, 2 at the last */
    intptr_t num_labels, num_values, num_positions;
    intptr_t size[2], origins[2], matrix_shape[2], shape[2], out_shape[2];
    double shift[2], offset[2], zoom[2], matrix[4];
    intptr_t sizes[2];
    double sigmas[2], kernel[16];
    ndi_mode mode_list[2];
    int gauss_orders[2];
    int32_t identity;
    ndi_mode mode_out;
    ep_state state;
} ep_fixture;

static inline double ep_value(intptr_t k) {
    return (double)((k * 7 + (k * k) % 5) % 23) - 5.0 + 0.25 * (double)(k % 3);
}

/* Valid arguments for every role: rows x cols float64 arrays (rows, cols >= 2). */
static inline void ep_fixture_init(ep_fixture *fx, intptr_t rows, intptr_t cols) {
    intptr_t shape[2], cshape[3], fshape[2] = {3, 2}, k;
    shape[0] = rows;
    shape[1] = cols;
    cshape[0] = 2;
    cshape[1] = rows;
    cshape[2] = cols;
    memset(fx, 0, sizeof *fx);
    tarr_init(&fx->in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&fx->out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&fx->fp, NDI_DTYPE_UINT8, 2, fshape, LAY_C);
    tarr_init(&fx->coords, NDI_DTYPE_FLOAT64, 3, cshape, LAY_C);
    for (k = 0; k < fx->in.len; k++) tarr_set(&fx->in, k, ep_value(k));
    for (k = 0; k < fx->fp.len; k++) tarr_set(&fx->fp, k, k == 1 ? 0.0 : 1.0);
    {
        intptr_t w1shape[1] = {3}, wnshape[2] = {3, 2};
        tarr_init(&fx->w1, NDI_DTYPE_FLOAT64, 1, w1shape, LAY_C);
        tarr_init(&fx->wn, NDI_DTYPE_FLOAT64, 2, wnshape, LAY_C);
        tarr_set(&fx->w1, 0, 1.0);
        tarr_set(&fx->w1, 1, -2.0);
        tarr_set(&fx->w1, 2, 0.5);
        for (k = 0; k < fx->wn.len; k++) tarr_set(&fx->wn, k, 0.5 * (double)k - 1.0);
        tarr_init(&fx->gs, NDI_DTYPE_FLOAT64, 2, wnshape, LAY_C);
        for (k = 0; k < fx->gs.len; k++) tarr_set(&fx->gs, k, 0.25 * (double)(k % 3));
    }
    {
        intptr_t s3[2] = {3, 3};
        tarr_init(&fx->st, NDI_DTYPE_UINT8, 2, s3, LAY_C);
        tarr_init(&fx->st2, NDI_DTYPE_UINT8, 2, s3, LAY_C);
        tarr_init(&fx->mk, NDI_DTYPE_UINT8, 2, shape, LAY_C);
        for (k = 0; k < 9; k++) {
            tarr_set(&fx->st, k, k % 2 == 1 || k == 4 ? 1.0 : 0.0);
            tarr_set(&fx->st2, k, k % 2 == 0 && k != 4 ? 1.0 : 0.0);
        }
        for (k = 0; k < fx->mk.len; k++) tarr_set(&fx->mk, k, k % 5 == 2 ? 0.0 : 1.0);
    }
    {
        intptr_t s5[2] = {5, 5}, is[3];
        is[0] = 2;
        is[1] = rows;
        is[2] = cols;
        tarr_init(&fx->it, NDI_DTYPE_FLOAT64, 2, s5, LAY_C);
        tarr_init(&fx->ind, NDI_DTYPE_INT32, 3, is, LAY_C);
        fx->so_shape[0] = fx->so_shape[1] = 3;
        fx->so_strides[0] = 8 * cols;
        fx->so_strides[1] = 8;
        fx->sampling[0] = 1.5;
        fx->sampling[1] = 0.75;
    }
    {
        intptr_t s3[1] = {3}, s6[1] = {6};
        tarr_init(&fx->lb, NDI_DTYPE_INT32, 2, shape, LAY_C);
        for (k = 0; k < fx->lb.len; k++) tarr_set(&fx->lb, k, (double)(k % 3));
        tarr_init(&fx->ix, NDI_DTYPE_INT32, 1, s3, LAY_C);
        tarr_set(&fx->ix, 0, 1.0);
        tarr_set(&fx->ix, 1, 2.0);
        tarr_set(&fx->ix, 2, 5.0);
        tarr_init(&fx->pos, NDI_DTYPE_INT64, 1, s6, LAY_C);
        tarr_init(&fx->pos2, NDI_DTYPE_INT64, 1, s6, LAY_C);
        tarr_init(&fx->emin, NDI_DTYPE_FLOAT64, 1, s3, LAY_C);
        tarr_init(&fx->emax, NDI_DTYPE_FLOAT64, 1, s3, LAY_C);
        fx->n3[0] = 3;
        fx->n6[0] = 6;
    }
    {
        intptr_t s9[1] = {9}, s3[1] = {3};
        tarr_init(&fx->hc, NDI_DTYPE_INT64, 1, s9, LAY_C);
        tarr_init(&fx->gsz, NDI_DTYPE_INT64, 1, s3, LAY_C);
        fx->edges[0] = -10.0;
        fx->edges[1] = 0.0;
        fx->edges[2] = 5.0;
        fx->edges[3] = 20.0;
    }
    {
        intptr_t s12[1] = {12}, s1[1] = {1}, s2[1] = {2}, s16[1], mshape[2];
        /* value_indices of the int32 input k % 3 without the 2s: values 0 and 1 */
        s16[0] = 2 * (rows * cols - (rows * cols + 0) / 3);
        mshape[0] = rows;
        mshape[1] = cols;
        tarr_init(&fx->bx, NDI_DTYPE_INT64, 1, s12, LAY_C);
        tarr_init(&fx->ig, NDI_DTYPE_INT32, 1, s1, LAY_C);
        tarr_set(&fx->ig, 0, 2.0);
        tarr_init(&fx->vv, NDI_DTYPE_INT32, 1, s2, LAY_C);
        tarr_init(&fx->vc, NDI_DTYPE_INT64, 1, s2, LAY_C);
        tarr_init(&fx->vx, NDI_DTYPE_INT64, 1, s16, LAY_C);
        tarr_init(&fx->mks, NDI_DTYPE_INT32, 2, mshape, LAY_C);
        for (k = 0; k < fx->mks.len; k++)
            tarr_set(&fx->mks, k, k == 0 ? 1.0 : k == fx->mks.len - 1 ? 2.0 : 0.0);
    }
    fx->mode_list[0] = NDI_MODE_MIRROR;
    fx->mode_list[1] = NDI_MODE_MIRROR;
    fx->sizes[0] = 3;
    fx->sizes[1] = 2;
    fx->sigmas[0] = 1.0;
    fx->sigmas[1] = 0.7;
    fx->gauss_orders[0] = 0;
    fx->gauss_orders[1] = 1;
    for (k = 0; k < fx->coords.len; k++) {
        /* coordinate k of axis k / (rows*cols): a point inside the input, off the grid */
        intptr_t axis = k / (rows * cols), n = axis == 0 ? rows : cols;
        tarr_set(&fx->coords, k, (double)((k * 5) % n) * 0.97 + 0.1);
    }
    fx->size[0] = 3;
    fx->size[1] = 3;
    fx->shift[0] = 0.5;
    fx->shift[1] = -1.25;
    fx->offset[0] = 0.25;
    fx->offset[1] = 1.0;
    fx->zoom[0] = 2.0;
    fx->zoom[1] = 0.5;
    fx->matrix[0] = 0.9;
    fx->matrix[1] = 0.1;
    fx->matrix[2] = -0.2;
    fx->matrix[3] = 1.1;
    fx->matrix_shape[0] = 2;
    fx->matrix_shape[1] = 2;
    fx->shape[0] = rows;
    fx->shape[1] = cols;
}

/* For rows whose output must be complex (role output_complex): the fixture's output made
 * complex128, of the same shape. */
static inline void ep_fixture_complex_output(ep_fixture *fx, const ep_row *row) {
    intptr_t shape[2];
    if (!ep_has_role(row, "output_complex")) return;
    shape[0] = fx->out.shape[0];
    shape[1] = fx->out.shape[1];
    tarr_free(&fx->out);
    tarr_init(&fx->out, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
}

static inline void ep_fixture_free(ep_fixture *fx) {
    tarr_free(&fx->in);
    tarr_free(&fx->out);
    tarr_free(&fx->fp);
    tarr_free(&fx->coords);
    tarr_free(&fx->w1);
    tarr_free(&fx->wn);
    tarr_free(&fx->gs);
    tarr_free(&fx->st);
    tarr_free(&fx->st2);
    tarr_free(&fx->mk);
    tarr_free(&fx->it);
    tarr_free(&fx->ind);
    tarr_free(&fx->lb);
    tarr_free(&fx->ix);
    tarr_free(&fx->pos);
    tarr_free(&fx->pos2);
    tarr_free(&fx->emin);
    tarr_free(&fx->emax);
    tarr_free(&fx->hc);
    tarr_free(&fx->gsz);
    tarr_free(&fx->bx);
    tarr_free(&fx->ig);
    tarr_free(&fx->vv);
    tarr_free(&fx->vc);
    tarr_free(&fx->vx);
    tarr_free(&fx->mks);
}

/* For value_indices (role ignore_value: int32 values k % 3) and watershed_ift (role markers:
 * uint8 grey levels) the fixture's input of another type, of the same shape. */
static inline void ep_fixture_integer_input(ep_fixture *fx, const ep_row *row) {
    intptr_t shape[2], k;
    int vi = ep_has_role(row, "ignore_value");
    if (!vi && !ep_has_role(row, "markers")) return;
    shape[0] = fx->in.shape[0];
    shape[1] = fx->in.shape[1];
    tarr_free(&fx->in);
    tarr_init(&fx->in, vi ? NDI_DTYPE_INT32 : NDI_DTYPE_UINT8, 2, shape, LAY_C);
    for (k = 0; k < fx->in.len; k++) tarr_set(&fx->in, k, vi ? (double)(k % 3) : (double)((k * 7) % 5));
}

/* For the chamfer distance transform's rows (role chamfer_metric): the fixture's output made
 * int32 (its distances), of the same shape. */
static inline void ep_fixture_int32_output(ep_fixture *fx, const ep_row *row) {
    intptr_t shape[2];
    if (!ep_has_role(row, "chamfer_metric") && !ep_has_role(row, "markers")) return;
    shape[0] = fx->out.shape[0];
    shape[1] = fx->out.shape[1];
    tarr_free(&fx->out);
    tarr_init(&fx->out, NDI_DTYPE_INT32, 2, shape, LAY_C);
}

/* Every output of the fixture back to the sentinel bytes / whether all still hold them. */
static inline void ep_fixture_reset_outputs(ep_fixture *fx) {
    tarr_reset(&fx->out);
    tarr_reset(&fx->it);
    tarr_reset(&fx->ind);
    tarr_reset(&fx->pos);
    tarr_reset(&fx->pos2);
    tarr_reset(&fx->emin);
    tarr_reset(&fx->emax);
    tarr_reset(&fx->hc);
    tarr_reset(&fx->gsz);
    tarr_reset(&fx->bx);
    tarr_reset(&fx->vv);
    tarr_reset(&fx->vc);
    tarr_reset(&fx->vx);
}

static inline int ep_fixture_outputs_untouched(const ep_fixture *fx) {
    return tarr_untouched(&fx->out) && tarr_untouched(&fx->it) && tarr_untouched(&fx->ind) &&
           tarr_untouched(&fx->pos) && tarr_untouched(&fx->pos2) && tarr_untouched(&fx->emin) &&
           tarr_untouched(&fx->emax) && tarr_untouched(&fx->hc) && tarr_untouched(&fx->gsz) &&
           tarr_untouched(&fx->bx) && tarr_untouched(&fx->vv) && tarr_untouched(&fx->vc) &&
           tarr_untouched(&fx->vx);
}

/* A call of the fixture's arguments; descriptors are copied into `d` so that a runner can
 * change them (and point the role at its copy). */
typedef struct ep_descs {
    ndi_array input, output, footprint, coordinates, weights1d, weights, grey_structure;
    ndi_array structure, structure2, mask;
    ndi_array structure_output, structure_in, iterated_output, distances, indices;
    ndi_array chamfer_metric;
    ndi_array labels, index, stat_output, com_output, positions, extrema_minimum,
        extrema_maximum, extrema_min_positions, extrema_max_positions;
    ndi_array hist_counts, group_sizes, comp_output;
    ndi_array label_structure, boxes, ignore_value, vi_values, vi_counts, vi_indices, markers;
} ep_descs;

static inline void ep_call_defaults(ep_call *c, ep_descs *d, ep_fixture *fx) {
    memset(c, 0, sizeof *c);
    d->input = fx->in.arr;
    d->output = fx->out.arr;
    d->footprint = fx->fp.arr;
    d->coordinates = fx->coords.arr;
    c->input = &d->input;
    c->output = c->output_free = c->output_coords = c->output_complex = &d->output;
    c->footprint = NULL; /* `size` is used; the matrix also tries the footprint */
    c->coordinates = &d->coordinates;
    c->size = fx->size;
    c->origins = NULL;
    c->filter_size = 3;
    c->origin = 0;
    c->axis = 1;
    c->axis0 = 0;
    c->axis1 = 1;
    c->order = 3;
    c->mode = NDI_MODE_MIRROR;
    c->prefilter = 1;
    c->grid_mode = 0;
    c->reshape = 0;
    c->rank = 2;
    c->thread_count = NDI_THREADS_ALL;
    c->cval = 0.5;
    c->angle = 30.0;
    c->shift = fx->shift;
    c->offset = fx->offset;
    c->zoom = fx->zoom;
    c->matrix = fx->matrix;
    c->matrix_shape = fx->matrix_shape;
    c->matrix_ndim = 2;
    c->filter_cb = ep_filter;
    c->filter1d_cb = ep_filter1d;
    c->transform_cb = ep_transform;
    c->user_data = &fx->state;
    c->shape = fx->shape;
    c->out_shape = fx->out_shape;
    c->identity = &fx->identity;
    c->mode_name = "grid-wrap";
    c->mode_out = &fx->mode_out;
    c->options = NULL;
    d->weights1d = fx->w1.arr;
    d->weights = fx->wn.arr;
    c->weights1d = &d->weights1d;
    c->weights = &d->weights;
    c->sizes = fx->sizes;
    c->axes = NULL;
    c->n_axes = 0;
    c->modes = NULL;
    c->sigmas = fx->sigmas;
    c->gauss_orders = fx->gauss_orders;
    c->radii = NULL;
    c->sigma = 1.2;
    c->gauss_order = 1;
    c->truncate = 4.0;
    c->radius = -1;
    c->kernel_radius = 2;
    c->length = 5;
    c->kernel_out = fx->kernel;
    c->kernel_cb = ep_kernel;
    c->derivative_cb = ep_derivative;
    c->mode_list = fx->mode_list;
    c->n_modes = 1;
    c->filter_rank = 1;
    c->percentile = 40.0;
    d->grey_structure = fx->gs.arr;
    c->grey_structure = NULL; /* `size` is used; the matrix also tries the structure */
    c->fourier_sizes = fx->sigmas;
    c->fourier_n = -1;
    d->structure = fx->st.arr;
    d->structure2 = fx->st2.arr;
    d->mask = fx->mk.arr;
    c->structure = &d->structure;
    c->structure2 = &d->structure2;
    c->mask = NULL; /* the mutations also try the mask */
    c->iterations = 2;
    c->border_value = 0;
    c->origins2 = NULL;
    /* the output's first 3 x 3 elements (its rows and columns are at least 3) */
    d->structure_output = fx->out.arr;
    d->structure_output.shape = fx->so_shape;
    d->structure_output.strides = fx->so_strides;
    d->structure_in = fx->st.arr;
    d->iterated_output = fx->it.arr;
    c->structure_output = &d->structure_output;
    c->structure_in = &d->structure_in;
    c->iterated_output = &d->iterated_output;
    c->connectivity = 1.0;
    c->structure_iterations = 2;
    d->distances = fx->out.arr;
    d->indices = fx->ind.arr;
    d->chamfer_metric = fx->st.arr;
    c->sampling = fx->sampling;
    c->distances = &d->distances;
    c->indices = &d->indices;
    c->chamfer_metric = NULL; /* chessboard; the mutations also try the cross */
    c->metric = NDI_METRIC_EUCLIDEAN;
    c->metric_name = "CityBlock";
    c->metric_out = &fx->metric_out;
    c->npad = &fx->npad;
    /* order 3, mirror mode: no padding, so the coefficients have the input's shape */
    c->coeff_output = &d->output;
    c->batch_memory = 0;
    c->vectorized_cb = ep_vectorized;
    /* the statistics: 3 groups (labels 1, 2 and the absent 5) */
    d->labels = fx->lb.arr;
    d->index = fx->ix.arr;
    d->stat_output = fx->out.arr;
    d->stat_output.rank = 1;
    d->stat_output.shape = fx->n3;
    d->stat_output.strides = NULL;
    d->com_output = d->stat_output;
    d->com_output.shape = fx->n6;
    d->positions = fx->pos.arr;
    d->extrema_minimum = fx->emin.arr;
    d->extrema_maximum = fx->emax.arr;
    d->extrema_min_positions = fx->pos.arr;
    d->extrema_max_positions = fx->pos2.arr;
    c->labels = &d->labels;
    c->index = &d->index;
    c->select = NDI_SELECT_EACH;
    c->stat_output = &d->stat_output;
    c->com_output = &d->com_output;
    c->positions = &d->positions;
    c->extrema_minimum = &d->extrema_minimum;
    c->extrema_maximum = &d->extrema_maximum;
    c->extrema_min_positions = &d->extrema_min_positions;
    c->extrema_max_positions = &d->extrema_max_positions;
    d->hist_counts = fx->hc.arr;
    d->group_sizes = fx->gsz.arr;
    d->comp_output = d->stat_output;
    c->edges = fx->edges;
    c->n_edges = 4;
    c->hist_counts = &d->hist_counts;
    c->group_sizes = &d->group_sizes;
    c->comp_output = &d->comp_output;
    c->label_cb = ep_label;
    c->pass_flags = NDI_PASS_VALUES | NDI_PASS_POSITIONS;
    c->default_value = -1.0;
    d->label_structure = fx->st.arr;
    d->boxes = fx->bx.arr;
    d->ignore_value = fx->ig.arr;
    d->vi_values = fx->vv.arr;
    d->vi_counts = fx->vc.arr;
    d->vi_indices = fx->vx.arr;
    d->markers = fx->mks.arr;
    c->label_structure = &d->label_structure;
    c->boxes = &d->boxes;
    c->ignore_value = &d->ignore_value;
    c->vi_values = &d->vi_values;
    c->vi_counts = &d->vi_counts;
    c->vi_indices = &d->vi_indices;
    c->markers = &d->markers;
    c->num_labels = &fx->num_labels;
    c->num_values = &fx->num_values;
    c->num_positions = &fx->num_positions;
    c->max_label = 3;
}

#endif /* NDI_ENTRY_POINTS_H */
