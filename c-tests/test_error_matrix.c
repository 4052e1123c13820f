/*
 * The error matrix: every entry point of c-tests/entry_points.def, each of its arguments
 * broken in every way its role allows (each pointer NULL, each code out of range or swapped
 * with another enumeration's, sizes that overflow, strides beyond the address space, outputs
 * whose elements overlap, bad options), each expecting its status. After every error: the
 * message is non-empty and names the function, the output's memory (elements, gaps and guard
 * bytes) is untouched, no callback was called. Then aliasing: inputs and argument arrays in the
 * output's memory give the result of separate memory.
 *
 * A new entry point joins with its row in entry_points.def; a new role adds its mutations to
 * mutate() below.
 */
#include "test_util.h"

#include "entry_points.h"

#include <stddef.h>

/* What one mutation changes, and the status it must give (`also`: a second acceptable one,
 * for sizes that are either rejected or fail to allocate). */
typedef struct {
    const char *what;
    ndi_status expected;
    ndi_status also;
} mutation;

/* Scratch memory a mutation may point arguments at (lives during the call). */
typedef struct {
    intptr_t shape[NDI_MAX_RANK + 1];
    intptr_t strides[NDI_MAX_RANK + 1];
    intptr_t values[4];
    double doubles[4];
    unsigned char options[sizeof(ndi_options) + 64];
    ndi_options opt;
} scratch;

typedef struct {
    ep_call *c;
    ep_descs *d;
    ep_fixture *fx;
    scratch *s;
    const ep_row *row;
} ctx;

static mutation m(const char *what, ndi_status expected) {
    mutation r;
    r.what = what;
    r.expected = r.also = expected;
    return r;
}

static mutation m2(const char *what, ndi_status expected, ndi_status also) {
    mutation r = m(what, expected);
    r.also = also;
    return r;
}

static const mutation END = {NULL, 0, 0};

/* The k-th way to break array descriptor `d` (whose role pointer is `*slot`). */
static mutation mutate_array(ctx *x, ndi_array *d, const ndi_array **slot, int output,
                             int nullable, int k) {
    scratch *s = x->s;
    int a;
    switch (k) {
    case 0:
        *slot = NULL;
        return nullable ? m("NULL (allowed)", NDI_OK) : m("NULL", NDI_ERR_NULL_POINTER);
    case 1: d->data = NULL; return m("data NULL", NDI_ERR_NULL_POINTER);
    case 2: d->shape = NULL; return m("shape NULL", NDI_ERR_NULL_POINTER);
    case 3: d->dtype = -1; return m("dtype -1", NDI_ERR_INVALID_ARRAY);
    case 4: d->dtype = 0; return m("dtype 0", NDI_ERR_INVALID_ARRAY);
    case 5: d->dtype = NDI_DTYPE_COMPLEX128 + 1; return m("dtype past the last", NDI_ERR_INVALID_ARRAY);
    case 6: d->dtype = NDI_MODE_REFLECT; return m("a mode code as dtype", NDI_ERR_INVALID_ARRAY);
    case 7: d->dtype = 10; return m("dtype 10 (a 0.1 code)", NDI_ERR_INVALID_ARRAY);
    case 8: d->rank = 0; return m("rank 0", NDI_ERR_INVALID_ARRAY);
    case 9: d->rank = -1; return m("rank -1", NDI_ERR_INVALID_ARRAY);
    case 10:
        for (a = 0; a <= NDI_MAX_RANK; a++) s->shape[a] = 1;
        d->rank = NDI_MAX_RANK + 1;
        d->shape = s->shape;
        d->strides = NULL;
        return m("rank NDI_MAX_RANK + 1", NDI_ERR_INVALID_ARRAY);
    case 11:
        memcpy(s->shape, d->shape, sizeof(intptr_t) * (size_t)d->rank);
        s->shape[d->rank - 1] = -1;
        d->shape = s->shape;
        return m("negative size", NDI_ERR_INVALID_ARRAY);
    case 12:
        memcpy(s->shape, d->shape, sizeof(intptr_t) * (size_t)d->rank);
        s->shape[0] = INTPTR_MAX / 2;
        d->shape = s->shape;
        d->strides = NULL;
        return m("shape product overflows", NDI_ERR_INVALID_ARRAY);
    case 13:
        memcpy(s->shape, d->shape, sizeof(intptr_t) * (size_t)d->rank);
        s->shape[0] = (intptr_t)1 << 40;
        s->shape[d->rank - 1] = (intptr_t)1 << 40;
        d->shape = s->shape;
        d->strides = NULL;
        if (d->rank == 1) {
            /* one axis: 2^61 elements, 2^64 bytes */
            s->shape[0] = (intptr_t)1 << 61;
            return m("2^64 bytes", NDI_ERR_INVALID_ARRAY);
        }
        return m("2^80 elements", NDI_ERR_INVALID_ARRAY);
    case 14:
        /* (two elements one INTPTR_MAX / 2 apart would still lie below 2^63) */
        for (a = 0; a < d->rank; a++)
            s->strides[a] = d->rank == 1 && d->shape[0] == 2 ? INTPTR_MAX : INTPTR_MAX / 2;
        d->strides = s->strides;
        return m("strides overflow", NDI_ERR_INVALID_ARRAY);
    case 15:
        memcpy(s->strides, d->strides ? d->strides : d->shape, sizeof(intptr_t) * (size_t)d->rank);
        s->strides[0] = -((intptr_t)1 << 61);
        d->strides = s->strides;
        return m("strides below address 0", NDI_ERR_INVALID_ARRAY);
    case 16:
        /* from 2 bytes below 2^63: the span (at least 3 bytes here) crosses it */
        d->data = (void *)(((uintptr_t)1 << 63) - 2);
        return m("span across 2^63", NDI_ERR_INVALID_ARRAY);
    case 17:
        d->data = (void *)(((uintptr_t)1 << 63) + 4096);
        return m("data above 2^63", NDI_ERR_INVALID_ARRAY);
    case 18:
        d->data = (void *)(UINTPTR_MAX - 64);
        return m("span past the top of the address space", NDI_ERR_INVALID_ARRAY);
    }
    if (!output || d->rank < 2) return END;
    switch (k) {
    case 19:
        memcpy(s->strides, d->shape, sizeof(intptr_t) * (size_t)d->rank);
        s->strides[0] = 0;
        s->strides[d->rank - 1] = 8;
        d->strides = s->strides;
        return m("zero stride on an axis longer than 1", NDI_ERR_INVALID_ARRAY);
    case 20:
        /* elements half an element apart (8-byte ones 4 bytes apart) */
        s->strides[1] = (intptr_t)tu_item_size(d->dtype) / 2;
        s->strides[0] = s->strides[1] * d->shape[1];
        d->strides = s->strides;
        return m("elements overlap", NDI_ERR_INVALID_ARRAY);
    case 21:
        s->strides[0] = 8;
        s->strides[1] = 16; /* axis 0 inside axis 1's steps */
        d->strides = s->strides;
        return m("axes interleave", NDI_ERR_INVALID_ARRAY);
    }
    return END;
}

/* Whether the function reads the options' tile fields (regions, NDI_FLAG_PREFILTERED); every
 * other function rejects them. */
static int takes_tiles(const ep_row *row) {
    static const char *const names[] = {"ndi_geometric_transform", "ndi_map_coordinates",
                                        "ndi_affine_transform", "ndi_shift", "ndi_zoom",
                                        "ndi_rotate"};
    size_t i;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(row->name, names[i])) return 1;
    return 0;
}

/* The k-th way to break the options. */
static mutation mutate_options(ctx *x, int k) {
    scratch *s = x->s;
    ndi_options *o = &s->opt;
    ndi_options_init(o, sizeof *o);
    x->c->options = o;
    switch (k) {
    case 0: return m("default options", NDI_OK);
    case 1: o->flags = 0x80000000u; return m("unknown flag", NDI_ERR_INVALID_ARGUMENT);
    case 2: o->flags = 4; return m("flag 4", NDI_ERR_INVALID_ARGUMENT);
    case 3: o->struct_size = 0; return m("struct_size 0", NDI_ERR_INVALID_ARGUMENT);
    case 4: o->struct_size = 1; return m("struct_size 1", NDI_ERR_INVALID_ARGUMENT);
    case 5: o->struct_size = (size_t)1 << 20; return m("struct_size 1 MiB", NDI_ERR_INVALID_ARGUMENT);
    case 6: o->threads = -2; return m("threads -2", NDI_ERR_INVALID_ARGUMENT);
    case 7: o->threads = 1025; return m("threads 1025", NDI_ERR_INVALID_ARGUMENT);
    case 8: o->threads = INT32_MIN; return m("threads INT32_MIN", NDI_ERR_INVALID_ARGUMENT);
    case 9:
        /* a newer caller's struct with an unknown field set */
        memset(s->options, 0, sizeof s->options);
        ndi_options_init((ndi_options *)(void *)s->options, sizeof s->options);
        s->options[sizeof(ndi_options) + 3] = 1;
        x->c->options = (const ndi_options *)(const void *)s->options;
        return m("unknown field set", NDI_ERR_INVALID_ARGUMENT);
    case 10:
        memset(s->options, 0, sizeof s->options);
        ndi_options_init((ndi_options *)(void *)s->options, sizeof s->options);
        x->c->options = (const ndi_options *)(const void *)s->options;
        return m("newer struct, unknown fields zero", NDI_OK);
    case 11:
        /* an older caller's struct: without the progress fields (what lies beyond is ignored) */
        o->struct_size = offsetof(ndi_options, progress);
        o->progress_user_data = (void *)o;
        return m("older struct without progress", NDI_OK);
    case 12: o->threads = 3; return m("threads 3", NDI_OK);
    case 13:
        o->threads = 2;
        o->flags = NDI_FLAG_THREAD_SAFE_CALLBACK;
        return m("threads 2, thread-safe callback", NDI_OK);
    case 14:
        /* mirror mode: no padding, so a tile function reads the input as its coefficients */
        o->flags = NDI_FLAG_PREFILTERED;
        return m("NDI_FLAG_PREFILTERED",
                 takes_tiles(x->row) ? NDI_OK : NDI_ERR_INVALID_ARGUMENT);
    case 15:
        o->output_origin = s->values;
        return m("output_origin without output_shape",
                 takes_tiles(x->row) ? NDI_ERR_NULL_POINTER : NDI_ERR_INVALID_ARGUMENT);
    case 16:
        o->input_shape = s->values;
        return m("input_shape without input_origin",
                 takes_tiles(x->row) ? NDI_ERR_NULL_POINTER : NDI_ERR_INVALID_ARGUMENT);
    case 17:
        /* the 3 x 4 output at (5, 5) of a whole output of 1 x 1 */
        s->values[0] = s->values[1] = 5;
        s->values[2] = s->values[3] = 1;
        o->output_origin = s->values;
        o->output_shape = s->values + 2;
        return m("output box outside the whole output",
                 takes_tiles(x->row) ? NDI_ERR_SHAPE_MISMATCH : NDI_ERR_INVALID_ARGUMENT);
    case 18:
        s->values[0] = s->values[1] = 5;
        s->values[2] = s->values[3] = 1;
        o->input_origin = s->values;
        o->input_shape = s->values + 2;
        return m("input box outside the whole input",
                 takes_tiles(x->row) ? NDI_ERR_SHAPE_MISMATCH : NDI_ERR_INVALID_ARGUMENT);
    case 19: o->nan_policy = NDI_MODE_REFLECT; return m("nan_policy a mode code", NDI_ERR_INVALID_ARGUMENT);
    case 20: o->nan_policy = NDI_NAN_OMIT + 1; return m("nan_policy past the last", NDI_ERR_INVALID_ARGUMENT);
    case 21: o->nan_policy = NDI_NAN_OMIT; return m("nan_policy omit", NDI_OK);
    }
    return END;
}

/* The k-th way to break role `role` of the call (END past the last). */
static mutation mutate(ctx *x, const char *role, int k) {
    ep_call *c = x->c;
    ep_descs *d = x->d;
    scratch *s = x->s;
    if (!strcmp(role, "input"))
        return mutate_array(x, &d->input, &c->input, 0, 0, k);
    if (!strcmp(role, "output") || !strcmp(role, "output_free") ||
        !strcmp(role, "output_coords") || !strcmp(role, "output_complex")) {
        mutation r;
        int same_shape = strcmp(role, "output_free") != 0;
        c->output = c->output_free = c->output_coords = c->output_complex = &d->output;
        if (k < 22) {
            r = mutate_array(x, &d->output, &c->output, 1, 0, k);
            c->output_free = c->output_coords = c->output_complex = c->output;
            if (r.what) return r;
        }
        if (k == 22) {
            /* a smaller output of another shape (its buffer holds it) */
            s->shape[0] = d->output.shape[0] - 1;
            s->shape[1] = d->output.shape[1];
            d->output.shape = s->shape;
            d->output.strides = NULL;
            return same_shape ? m("another shape", NDI_ERR_SHAPE_MISMATCH)
                              : m("another shape (allowed)", NDI_OK);
        }
        if (k == 23 && same_shape) {
            d->output.rank = 1;
            d->output.strides = NULL;
            return m("rank 1 for a 2-D input", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    if (!strcmp(role, "coordinates")) {
        if (k < 19) return mutate_array(x, &d->coordinates, &c->coordinates, 0, 0, k);
        if (k == 19) {
            d->coordinates.dtype = NDI_DTYPE_COMPLEX64;
            return m("complex", NDI_ERR_INVALID_ARRAY);
        }
        if (k == 20) {
            d->coordinates.rank = 2;
            return m("rank 2", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    if (!strcmp(role, "footprint")) {
        /* given (size is then ignored), then broken */
        c->footprint = &d->footprint;
        if (k == 0) return m("given", NDI_OK);
        if (k == 1) {
            c->size = NULL;
            return m("given, size NULL", NDI_OK);
        }
        if (k < 20) return mutate_array(x, &d->footprint, &c->footprint, 0, 1, k - 1);
        if (k == 20) {
            d->footprint.rank = 1;
            return m("rank 1 for a 2-D input", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k == 21) {
            s->shape[0] = 3;
            s->shape[1] = 0;
            d->footprint.shape = s->shape;
            d->footprint.strides = NULL;
            return m("an empty axis", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    if (!strcmp(role, "size")) {
        c->size = s->values;
        s->values[0] = 3;
        s->values[1] = 3;
        switch (k) {
        case 0:
            /* (grey morphology: "size, footprint, or structure must be specified") */
            c->size = NULL;
            return m2("NULL without footprint", NDI_ERR_NULL_POINTER, NDI_ERR_INVALID_ARGUMENT);
        case 1: s->values[0] = 0; return m("0", NDI_ERR_INVALID_ARGUMENT);
        case 2: s->values[1] = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 3: s->values[0] = s->values[1] = INTPTR_MAX;
            return m("product overflows", NDI_ERR_INVALID_ARGUMENT);
        case 4: s->values[0] = s->values[1] = (intptr_t)1 << 31;
            return m2("2^62 elements", NDI_ERR_INVALID_ARGUMENT, NDI_ERR_OUT_OF_MEMORY);
        case 5: s->values[0] = (intptr_t)1 << 40; s->values[1] = 1 << 2;
            return m2("2^42 elements", NDI_ERR_INVALID_ARGUMENT, NDI_ERR_OUT_OF_MEMORY);
        }
        return END;
    }
    if (!strcmp(role, "origins")) {
        c->origins = s->values;
        s->values[0] = s->values[1] = 0;
        switch (k) {
        case 0: c->origins = NULL; return m("NULL (zeros)", NDI_OK);
        case 1: s->values[0] = 2; return m("2 for size 3", NDI_ERR_INVALID_ARGUMENT);
        case 2: s->values[1] = -2; return m("-2 for size 3", NDI_ERR_INVALID_ARGUMENT);
        case 3: s->values[0] = INTPTR_MAX; return m("INTPTR_MAX", NDI_ERR_INVALID_ARGUMENT);
        case 4: s->values[0] = INTPTR_MIN; return m("INTPTR_MIN", NDI_ERR_INVALID_ARGUMENT);
        case 5: s->values[0] = 1; s->values[1] = -1; return m("1, -1", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "filter_size")) {
        switch (k) {
        case 0: c->filter_size = 0; return m("0", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->filter_size = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->filter_size = INTPTR_MIN; return m("INTPTR_MIN", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->filter_size = INTPTR_MAX;
            return m2("INTPTR_MAX", NDI_ERR_INVALID_ARGUMENT, NDI_ERR_OUT_OF_MEMORY);
        case 4: c->filter_size = 1; return m("1", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "origin")) {
        switch (k) {
        case 0: c->origin = 2; return m("2 for size 3", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->origin = -2; return m("-2 for size 3", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->origin = INTPTR_MIN; return m("INTPTR_MIN", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->origin = -1; return m("-1", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "axis") || !strcmp(role, "axis0") || !strcmp(role, "axis1")) {
        int32_t *axis = !strcmp(role, "axis") ? &c->axis : !strcmp(role, "axis0") ? &c->axis0
                                                                                  : &c->axis1;
        int plane = strcmp(role, "axis") != 0; /* rotate's pair: equal axes are an error */
        switch (k) {
        case 0: *axis = 2; return m("2 of rank 2", NDI_ERR_INVALID_ARGUMENT);
        case 1: *axis = -3; return m("-3 of rank 2", NDI_ERR_INVALID_ARGUMENT);
        case 2: *axis = INT32_MIN; return m("INT32_MIN", NDI_ERR_INVALID_ARGUMENT);
        case 3: *axis = INT32_MAX; return m("INT32_MAX", NDI_ERR_INVALID_ARGUMENT);
        case 4:
            if (!plane) { *axis = -1; return m("-1", NDI_OK); }
            c->axis0 = c->axis1 = 1;
            return m("both axes 1", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    if (!strcmp(role, "order")) {
        switch (k) {
        case 0: c->order = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->order = 6; return m("6", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->order = NDI_MODE_NEAREST; return m("a mode code (swapped)", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->order = INT32_MIN; return m("INT32_MIN", NDI_ERR_INVALID_ARGUMENT);
        case 4: c->order = 2; return m("2", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "mode")) {
        switch (k) {
        case 0: c->mode = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->mode = 3; return m("3 (an order: swapped)", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->mode = 0; return m("0", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->mode = NDI_MODE_GRID_WRAP + 1; return m("past the last", NDI_ERR_INVALID_ARGUMENT);
        case 4: c->mode = NDI_DTYPE_FLOAT64; return m("a dtype code", NDI_ERR_INVALID_ARGUMENT);
        case 5: c->mode = INT32_MAX; return m("INT32_MAX", NDI_ERR_INVALID_ARGUMENT);
        case 6:
            c->mode = NDI_MODE_GRID_CONSTANT;
            /* (the spline coefficients are padded there: the fixture's output is too small) */
            return m("grid-constant", ep_has_role(x->row, "coeff_output") ? NDI_ERR_SHAPE_MISMATCH
                                                                         : NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "shift") || !strcmp(role, "zoom")) {
        const double **p = !strcmp(role, "shift") ? &c->shift : &c->zoom;
        if (k == 0) { *p = NULL; return m("NULL", NDI_ERR_NULL_POINTER); }
        if (k == 1 && p == &c->zoom) {
            s->doubles[0] = -1.0;
            s->doubles[1] = 1.0;
            *p = s->doubles;
            return m("negative zoom", NDI_ERR_INVALID_ARGUMENT);
        }
        if (k == 2 && p == &c->zoom) {
            s->doubles[0] = NAN;
            s->doubles[1] = 1.0;
            *p = s->doubles;
            return m("NaN zoom", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    if (!strcmp(role, "offset")) {
        if (k == 0) { c->offset = NULL; return m("NULL (zeros)", NDI_OK); }
        return END;
    }
    if (!strcmp(role, "matrix")) {
        if (k == 0) { c->matrix = NULL; return m("NULL", NDI_ERR_NULL_POINTER); }
        return END;
    }
    if (!strcmp(role, "matrix_shape")) {
        c->matrix_shape = s->values;
        s->values[0] = s->values[1] = 2;
        switch (k) {
        case 0: c->matrix_shape = NULL; return m("NULL", NDI_ERR_NULL_POINTER);
        case 1: s->values[0] = -2; return m("negative", NDI_ERR_INVALID_ARGUMENT);
        case 2: s->values[1] = 0; return m("zero", NDI_ERR_INVALID_ARGUMENT);
        case 3: s->values[0] = s->values[1] = (intptr_t)1 << 40;
            return m("2^80 elements", NDI_ERR_INVALID_ARGUMENT);
        case 4: s->values[0] = 3; return m("3x2 for rank 2", NDI_ERR_INVALID_ARGUMENT);
        case 5: s->values[1] = 1; return m("2x1 for output rank 2", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    if (!strcmp(role, "matrix_ndim")) {
        switch (k) {
        case 0: c->matrix_ndim = 0; return m("0", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->matrix_ndim = 3; return m("3", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->matrix_ndim = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->matrix_ndim = 1; return m("1 (the diagonal)", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "filter_cb") || !strcmp(role, "filter1d_cb") ||
        !strcmp(role, "transform_cb")) {
        if (k == 0) {
            c->filter_cb = NULL;
            c->filter1d_cb = NULL;
            c->transform_cb = NULL;
            return m("NULL", NDI_ERR_NULL_POINTER);
        }
        return END;
    }
    if (!strcmp(role, "user_data")) {
        if (k == 0) { c->user_data = NULL; return m("NULL (allowed)", NDI_OK); }
        return END;
    }
    if (!strcmp(role, "options")) return mutate_options(x, k);
    if (!strcmp(role, "shape")) {
        switch (k) {
        case 0: c->shape = NULL; return m("NULL", NDI_ERR_NULL_POINTER);
        case 1:
            s->values[0] = 3; s->values[1] = -1; c->shape = s->values;
            return m("negative", NDI_ERR_INVALID_ARRAY);
        }
        return END;
    }
    if (!strcmp(role, "rank")) {
        switch (k) {
        case 0: c->rank = 0; return m("0", NDI_ERR_INVALID_ARRAY);
        case 1: c->rank = -1; return m("-1", NDI_ERR_INVALID_ARRAY);
        case 2: c->rank = NDI_MAX_RANK + 1; return m("NDI_MAX_RANK + 1", NDI_ERR_INVALID_ARRAY);
        }
        return END;
    }
    if (!strcmp(role, "out_shape")) {
        if (k == 0) { c->out_shape = NULL; return m("NULL", NDI_ERR_NULL_POINTER); }
        return END;
    }
    if (!strcmp(role, "identity")) {
        if (k == 0) { c->identity = NULL; return m("NULL (allowed)", NDI_OK); }
        return END;
    }
    if (!strcmp(role, "mode_name")) {
        switch (k) {
        case 0: c->mode_name = NULL; return m("NULL", NDI_ERR_NULL_POINTER);
        case 1: c->mode_name = "Reflect"; return m("wrong case", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->mode_name = ""; return m("empty", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    if (!strcmp(role, "mode_out")) {
        if (k == 0) { c->mode_out = NULL; return m("NULL", NDI_ERR_NULL_POINTER); }
        return END;
    }
    if (!strcmp(role, "thread_count")) {
        switch (k) {
        case 0: c->thread_count = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->thread_count = 1025; return m("1025", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->thread_count = 2; return m("2", NDI_OK);
        }
        return END;
    }
    /* ---- the filters' roles ---- */
    if (!strcmp(role, "weights1d") || !strcmp(role, "weights")) {
        int one = !strcmp(role, "weights1d");
        ndi_array *w = one ? &d->weights1d : &d->weights;
        const ndi_array **slot = one ? &c->weights1d : &c->weights;
        if (k < 19) return mutate_array(x, w, slot, 0, 0, k);
        if (k == 19) {
            memcpy(s->shape, w->shape, sizeof(intptr_t) * (size_t)w->rank);
            s->shape[0] = 0;
            w->shape = s->shape;
            w->strides = NULL;
            return m("an empty axis", NDI_ERR_INVALID_ARGUMENT);
        }
        if (k == 20) {
            s->shape[0] = 3;
            s->shape[1] = 1;
            s->shape[2] = 1;
            w->rank = 3;
            w->shape = s->shape;
            w->strides = NULL;
            /* 1-D weights of rank 3 are a bad argument; N-D ones do not match the input */
            return one ? m("rank 3", NDI_ERR_INVALID_ARGUMENT)
                       : m("rank 3", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    if (!strcmp(role, "sizes")) {
        c->sizes = s->values;
        s->values[0] = 3;
        s->values[1] = 2;
        switch (k) {
        case 0: c->sizes = NULL; return m("NULL", NDI_ERR_NULL_POINTER);
        case 1: s->values[0] = s->values[1] = 1; return m("1, 1 (a copy)", NDI_OK);
        case 2: s->values[0] = 0; s->values[1] = -1; return m("0, -1 (skipped)", NDI_OK);
        case 3: s->values[1] = INTPTR_MAX;
            return m2("INTPTR_MAX", NDI_ERR_INVALID_ARGUMENT, NDI_ERR_OUT_OF_MEMORY);
        case 4: s->values[1] = (intptr_t)1 << 40;
            return m2("2^40", NDI_ERR_INVALID_ARGUMENT, NDI_ERR_OUT_OF_MEMORY);
        }
        return END;
    }
    if (!strcmp(role, "axes")) {
        static int32_t axes[4];
        c->axes = axes;
        switch (k) {
        case 0: axes[0] = 1; axes[1] = 0; c->n_axes = 2; return m("{1, 0}", NDI_OK);
        case 1: axes[0] = -1; axes[1] = 0; c->n_axes = 2; return m("{-1, 0}", NDI_OK);
        case 2: axes[0] = axes[1] = 0; c->n_axes = 2; return m("{0, 0}", NDI_ERR_INVALID_ARGUMENT);
        case 3: axes[0] = 2; c->n_axes = 1; return m("{2} of rank 2", NDI_ERR_INVALID_ARGUMENT);
        case 4: axes[0] = -3; c->n_axes = 1; return m("{-3} of rank 2", NDI_ERR_INVALID_ARGUMENT);
        case 5: axes[0] = INT32_MIN; c->n_axes = 1; return m("{INT32_MIN}", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    if (!strcmp(role, "n_axes")) {
        static int32_t axes[2] = {0, 1};
        if (k == 0) {
            c->axes = axes;
            c->n_axes = -1;
            return m("-1 with axes", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    if (!strcmp(role, "modes")) {
        static ndi_mode modes[2];
        c->modes = modes;
        modes[0] = NDI_MODE_WRAP;
        modes[1] = NDI_MODE_CONSTANT;
        switch (k) {
        case 0: return m("wrap, constant", NDI_OK);
        case 1: modes[0] = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 2: modes[1] = 3; return m("3 (an order)", NDI_ERR_INVALID_ARGUMENT);
        case 3: modes[1] = NDI_DTYPE_FLOAT64; return m("a dtype code", NDI_ERR_INVALID_ARGUMENT);
        case 4: modes[0] = NDI_MODE_GRID_WRAP + 1; return m("past the last", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    if (!strcmp(role, "sigmas")) {
        c->sigmas = s->doubles;
        s->doubles[0] = 1.0;
        s->doubles[1] = 0.7;
        switch (k) {
        case 0: c->sigmas = NULL; return m("NULL", NDI_ERR_NULL_POINTER);
        case 1: s->doubles[0] = s->doubles[1] = 0.0; return m("0, 0 (skipped)", NDI_OK);
        case 2: s->doubles[0] = INFINITY; return m("inf", NDI_ERR_INVALID_ARGUMENT);
        case 3: s->doubles[1] = 1e300;
            return m2("1e300", NDI_ERR_INVALID_ARGUMENT, NDI_ERR_OUT_OF_MEMORY);
        case 4: s->doubles[0] = -1.0; return m("-1 (skipped)", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "gauss_orders")) {
        static int orders[2];
        c->gauss_orders = orders;
        orders[0] = 0;
        orders[1] = 1;
        switch (k) {
        case 0: c->gauss_orders = NULL; return m("NULL (zeros)", NDI_OK);
        case 1: orders[0] = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 2: orders[1] = INT32_MIN; return m("INT32_MIN", NDI_ERR_INVALID_ARGUMENT);
        case 3: orders[0] = 4; return m("4", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "radii")) {
        c->radii = s->values;
        s->values[0] = 2;
        s->values[1] = 1;
        switch (k) {
        case 0: return m("2, 1", NDI_OK);
        case 1: s->values[0] = s->values[1] = -1; return m("-1, -1 (from truncate)", NDI_OK);
        case 2: s->values[1] = INTPTR_MAX;
            return m2("INTPTR_MAX", NDI_ERR_INVALID_ARGUMENT, NDI_ERR_OUT_OF_MEMORY);
        case 3: s->values[0] = (intptr_t)1 << 40;
            return m2("2^40", NDI_ERR_INVALID_ARGUMENT, NDI_ERR_OUT_OF_MEMORY);
        }
        return END;
    }
    if (!strcmp(role, "sigma")) {
        switch (k) {
        case 0:
            /* (a caller's provider is given sigma 0: only the library's kernels refuse it) */
            c->sigma = 0.0;
            c->kernel_cb = NULL;
            return m("0 (the library's kernels)", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->sigma = NAN; return m("NaN", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->sigma = INFINITY; return m("inf", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    if (!strcmp(role, "gauss_order")) {
        switch (k) {
        case 0: c->gauss_order = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->gauss_order = INT32_MIN; return m("INT32_MIN", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->gauss_order = 4; return m("4", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "truncate")) {
        switch (k) {
        case 0: c->truncate = NAN; return m("NaN", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->truncate = INFINITY; return m("inf", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->truncate = -4.0; return m("-4 (a negative radius)", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->truncate = 0.0; return m("0", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "radius")) {
        switch (k) {
        case 0: c->radius = 2; return m("2", NDI_OK);
        case 1: c->radius = -5; return m("-5 (from truncate)", NDI_OK);
        case 2: c->radius = INTPTR_MAX;
            return m2("INTPTR_MAX", NDI_ERR_INVALID_ARGUMENT, NDI_ERR_OUT_OF_MEMORY);
        case 3: c->radius = (intptr_t)1 << 40;
            return m2("2^40", NDI_ERR_INVALID_ARGUMENT, NDI_ERR_OUT_OF_MEMORY);
        }
        return END;
    }
    if (!strcmp(role, "kernel_radius")) {
        switch (k) {
        case 0: c->kernel_radius = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->kernel_radius = 1; return m("1 for length 5", NDI_ERR_SHAPE_MISMATCH);
        case 2: c->kernel_radius = INTPTR_MAX; return m("INTPTR_MAX", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    if (!strcmp(role, "length")) {
        switch (k) {
        case 0: c->length = 4; return m("4 for radius 2", NDI_ERR_SHAPE_MISMATCH);
        case 1: c->length = -1; return m("-1", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    if (!strcmp(role, "kernel_out")) {
        if (k == 0) { c->kernel_out = NULL; return m("NULL", NDI_ERR_NULL_POINTER); }
        return END;
    }
    if (!strcmp(role, "kernel_cb")) {
        if (k == 0) { c->kernel_cb = NULL; return m("NULL (the library's)", NDI_OK); }
        return END;
    }
    if (!strcmp(role, "derivative_cb")) {
        if (k == 0) { c->derivative_cb = NULL; return m("NULL", NDI_ERR_NULL_POINTER); }
        return END;
    }
    /* ---- the order filters' and grey morphology's roles ---- */
    if (!strcmp(role, "mode_list")) {
        static ndi_mode modes[2];
        c->mode_list = modes;
        modes[0] = modes[1] = NDI_MODE_MIRROR;
        switch (k) {
        case 0: c->mode_list = NULL; return m("NULL", NDI_ERR_NULL_POINTER);
        case 1: c->n_modes = 2; return m("mirror, mirror", NDI_OK);
        case 2: modes[0] = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 3: modes[0] = 3; return m("3 (an order)", NDI_ERR_INVALID_ARGUMENT);
        case 4: modes[1] = NDI_DTYPE_INT8; c->n_modes = 2; return m("a dtype code", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    if (!strcmp(role, "n_modes")) {
        switch (k) {
        case 0: c->n_modes = 0; return m("0", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->n_modes = 3; return m("3 for 2 axes", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->n_modes = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->n_modes = 2; return m("2", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "filter_rank")) {
        switch (k) {
        case 0: c->filter_rank = 9; return m("9 of 9", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->filter_rank = -10; return m("-10 of 9", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->filter_rank = INTPTR_MIN; return m("INTPTR_MIN", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->filter_rank = INTPTR_MAX; return m("INTPTR_MAX", NDI_ERR_INVALID_ARGUMENT);
        case 4: c->filter_rank = -1; return m("-1 (the largest)", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "percentile")) {
        switch (k) {
        case 0: c->percentile = 100.5; return m("100.5", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->percentile = -100.5; return m("-100.5", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->percentile = NAN; return m("NaN", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->percentile = -100.0; return m("-100", NDI_OK);
        case 4: c->percentile = 100.0; return m("100", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "grey_structure")) {
        /* given (with size: the structure's box is the footprint), then broken */
        c->grey_structure = &d->grey_structure;
        if (k == 0) return m("given", NDI_OK);
        if (k == 1) {
            c->size = NULL;
            return m("given, size NULL", NDI_OK);
        }
        if (k < 20) return mutate_array(x, &d->grey_structure, &c->grey_structure, 0, 1, k - 1);
        if (k == 20) {
            d->grey_structure.rank = 1;
            return m("rank 1 for a 2-D input", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k == 21) {
            s->shape[0] = 3;
            s->shape[1] = 0;
            d->grey_structure.shape = s->shape;
            d->grey_structure.strides = NULL;
            return m("an empty axis", NDI_ERR_INVALID_ARGUMENT);
        }
        if (k == 22) {
            /* with a footprint of another shape */
            c->footprint = &d->footprint;
            s->shape[0] = 2;
            s->shape[1] = 3;
            d->grey_structure.shape = s->shape;
            d->grey_structure.strides = NULL;
            return m("another shape than the footprint", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    /* ---- the Fourier filters' roles ---- */
    if (!strcmp(role, "fourier_sizes")) {
        c->fourier_sizes = s->doubles;
        s->doubles[0] = 1.0;
        s->doubles[1] = 0.5;
        switch (k) {
        case 0: c->fourier_sizes = NULL; return m("NULL", NDI_ERR_NULL_POINTER);
        case 1: s->doubles[0] = 0.0; return m("0", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "fourier_n")) {
        switch (k) {
        case 0: c->fourier_n = 7; return m("7 (a real FFT of 7 samples on axis 1)", NDI_OK);
        case 1: c->fourier_n = INTPTR_MIN; return m("INTPTR_MIN (a full spectrum)", NDI_OK);
        }
        return END;
    }
    /* ---- binary morphology's roles ---- */
    if (!strcmp(role, "structure") || !strcmp(role, "structure2") || !strcmp(role, "mask")) {
        int is_mask = !strcmp(role, "mask");
        ndi_array *a = is_mask ? &d->mask : !strcmp(role, "structure") ? &d->structure
                                                                        : &d->structure2;
        const ndi_array **slot = is_mask ? &c->mask : !strcmp(role, "structure") ? &c->structure
                                                                                   : &c->structure2;
        *slot = a;
        /* NULL: no mask, the default cross, structure2 the complement of structure */
        if (k < 19) return mutate_array(x, a, slot, 0, 1, k);
        if (k == 19) {
            a->dtype = NDI_DTYPE_COMPLEX128;
            return m("complex", NDI_ERR_INVALID_ARRAY);
        }
        if (k == 20) {
            a->rank = 1;
            return m("rank 1 for a 2-D input", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k == 21 && is_mask) {
            s->shape[0] = a->shape[0];
            s->shape[1] = a->shape[1] - 1;
            a->shape = s->shape;
            a->strides = NULL;
            return m("another shape than the input", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k == 21) {
            s->shape[0] = 3;
            s->shape[1] = 0;
            a->shape = s->shape;
            a->strides = NULL;
            return m("an empty axis", NDI_ERR_INVALID_ARGUMENT);
        }
        if (k == 22 && !is_mask && ep_has_role(x->row, "origins")) {
            /* 1 x 3: origin 1 on axis 0 leaves it (checked against each structure) */
            static const intptr_t o[2] = {1, 0};
            s->shape[0] = 1;
            s->shape[1] = 3;
            a->shape = s->shape;
            a->strides = NULL;
            c->origins = c->origins2 = o;
            return m("origin 1 on an axis of 1", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    if (!strcmp(role, "iterations")) {
        switch (k) {
        case 0: c->iterations = 0; return m("0 (until nothing changes)", NDI_OK);
        case 1: c->iterations = -1; return m("-1 (until nothing changes)", NDI_OK);
        case 2: c->iterations = INT64_MIN; return m("INT64_MIN (until nothing changes)", NDI_OK);
        case 3: c->iterations = (int64_t)1 << 40; return m("2^40 (settles first)", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "border_value")) {
        switch (k) {
        case 0: c->border_value = 1; return m("1", NDI_OK);
        case 1: c->border_value = INT32_MIN; return m("INT32_MIN (true)", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "origins2")) {
        c->origins2 = s->values;
        s->values[0] = s->values[1] = 0;
        switch (k) {
        case 0: c->origins2 = NULL; return m("NULL (origins)", NDI_OK);
        case 1: s->values[0] = 2; return m("2 for size 3", NDI_ERR_INVALID_ARGUMENT);
        case 2: s->values[1] = -2; return m("-2 for size 3", NDI_ERR_INVALID_ARGUMENT);
        case 3: s->values[0] = INTPTR_MIN; return m("INTPTR_MIN", NDI_ERR_INVALID_ARGUMENT);
        case 4: s->values[0] = 1; s->values[1] = -1; return m("1, -1", NDI_OK);
        }
        return END;
    }
    /* ---- the structuring elements' roles ---- */
    if (!strcmp(role, "structure_output") || !strcmp(role, "iterated_output")) {
        int gen = !strcmp(role, "structure_output");
        ndi_array *a = gen ? &d->structure_output : &d->iterated_output;
        const ndi_array **slot = gen ? &c->structure_output : &c->iterated_output;
        if (k < 22) return mutate_array(x, a, slot, 1, 0, k);
        if (k == 22) {
            s->shape[0] = a->shape[0];
            s->shape[1] = a->shape[1] - 1;
            a->shape = s->shape;
            a->strides = NULL;
            return m("one column less", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k == 23) {
            a->dtype = NDI_DTYPE_COMPLEX64;
            a->strides = NULL;
            return m("complex", NDI_ERR_INVALID_ARRAY);
        }
        if (k == 24 && gen) {
            a->rank = 1;
            return m("rank 1 (a 1-D structure)", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "connectivity")) {
        switch (k) {
        case 0: c->connectivity = 0.0; return m("0 (as 1)", NDI_OK);
        case 1: c->connectivity = -INFINITY; return m("-inf (as 1)", NDI_OK);
        case 2: c->connectivity = 2.0; return m("2", NDI_OK);
        case 3: c->connectivity = INFINITY; return m("inf", NDI_OK);
        case 4: c->connectivity = NAN; return m("NaN", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "structure_in")) {
        if (k < 19) return mutate_array(x, &d->structure_in, &c->structure_in, 0, 0, k);
        if (k == 19) {
            d->structure_in.dtype = NDI_DTYPE_COMPLEX128;
            return m("complex", NDI_ERR_INVALID_ARRAY);
        }
        if (k == 20) {
            d->structure_in.rank = 1;
            return m("rank 1 (a 5-element output)", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    if (!strcmp(role, "structure_iterations")) {
        /* iterate_structure's output is of the shape of 2 iterations */
        ndi_status other = ep_has_role(x->row, "iterated_output") ? NDI_ERR_SHAPE_MISMATCH
                                                                    : NDI_OK;
        switch (k) {
        case 0: c->structure_iterations = 1; return m("1 (the structure)", other);
        case 1: c->structure_iterations = 0; return m("0 (the structure)", other);
        case 2: c->structure_iterations = INT64_MIN; return m("INT64_MIN (the structure)", other);
        case 3: c->structure_iterations = 3; return m("3", other);
        case 4: c->structure_iterations = (int64_t)1 << 40; return m("2^40", other);
        case 5: c->structure_iterations = INT64_MAX;
            return m("INT64_MAX (the shape overflows)", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    /* ---- the distance transforms' roles ---- */
    if (!strcmp(role, "sampling")) {
        c->sampling = s->doubles;
        s->doubles[0] = 2.0;
        s->doubles[1] = 0.5;
        switch (k) {
        case 0: c->sampling = NULL; return m("NULL (ones)", NDI_OK);
        case 1: return m("2, 0.5", NDI_OK);
        case 2: s->doubles[1] = 0.0; return m("0 (any value)", NDI_OK);
        case 3: s->doubles[0] = -1.0; return m("-1 (any value)", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "distances") || !strcmp(role, "indices")) {
        int dist = !strcmp(role, "distances");
        ndi_array *a = dist ? &d->distances : &d->indices;
        const ndi_array **slot = dist ? &c->distances : &c->indices;
        /* NULL: only the other result (allowed) */
        if (k < 22) return mutate_array(x, a, slot, 1, 1, k);
        if (k == 22) {
            c->distances = c->indices = NULL;
            return m("both NULL", NDI_ERR_INVALID_ARGUMENT);
        }
        if (k == 23) {
            memcpy(s->shape, a->shape, sizeof(intptr_t) * (size_t)a->rank);
            s->shape[a->rank - 1] -= 1;
            a->shape = s->shape;
            a->strides = NULL;
            return m("one column less", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k == 24) {
            a->dtype = NDI_DTYPE_INT16;
            a->strides = NULL;
            return m("int16", NDI_ERR_INVALID_ARRAY);
        }
        if (k == 25 && !dist) {
            s->shape[0] = 1;
            s->shape[1] = a->shape[1];
            s->shape[2] = a->shape[2];
            a->shape = s->shape;
            return m("one coordinate of two", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    if (!strcmp(role, "metric")) {
        switch (k) {
        case 0: c->metric = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->metric = 0; return m("0", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->metric = NDI_MODE_REFLECT; return m("a mode code", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->metric = NDI_METRIC_CHESSBOARD + 1; return m("past the last", NDI_ERR_INVALID_ARGUMENT);
        case 4: c->metric = INT32_MAX; return m("INT32_MAX", NDI_ERR_INVALID_ARGUMENT);
        case 5:
            c->metric = NDI_METRIC_TAXICAB;
            return m("taxicab with float64 distances", NDI_ERR_INVALID_ARRAY);
        case 6:
            c->metric = NDI_METRIC_CHESSBOARD;
            c->distances = NULL;
            return m("chessboard, indices only", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "chamfer_metric")) {
        c->chamfer_metric = &d->chamfer_metric;
        if (k == 0) return m("the cross", NDI_OK);
        if (k < 20)
            return mutate_array(x, &d->chamfer_metric, &c->chamfer_metric, 0, 1, k - 1);
        if (k == 20) {
            d->chamfer_metric.dtype = NDI_DTYPE_COMPLEX128;
            return m("complex", NDI_ERR_INVALID_ARRAY);
        }
        if (k == 21) {
            d->chamfer_metric.rank = 1;
            return m("rank 1 for a 2-D input", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k == 22) {
            s->shape[0] = 3;
            s->shape[1] = 2;
            d->chamfer_metric.shape = s->shape;
            d->chamfer_metric.strides = NULL;
            return m("3 x 2", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    if (!strcmp(role, "metric_name")) {
        switch (k) {
        case 0: c->metric_name = NULL; return m("NULL", NDI_ERR_NULL_POINTER);
        case 1: c->metric_name = "chess"; return m("chess", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->metric_name = ""; return m("empty", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->metric_name = "taxicab "; return m("a trailing space", NDI_ERR_INVALID_ARGUMENT);
        case 4: c->metric_name = "EUCLIDEAN"; return m("upper case", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "metric_out")) {
        if (k == 0) { c->metric_out = NULL; return m("NULL", NDI_ERR_NULL_POINTER); }
        return END;
    }
    /* ---- the spline helpers' roles ---- */
    if (!strcmp(role, "npad")) {
        if (k == 0) { c->npad = NULL; return m("NULL", NDI_ERR_NULL_POINTER); }
        return END;
    }
    if (!strcmp(role, "coeff_output")) {
        c->output = c->coeff_output = &d->output;
        if (k < 22) {
            mutation r = mutate_array(x, &d->output, &c->coeff_output, 1, 0, k);
            c->output = c->coeff_output;
            return r;
        }
        if (k == 22) {
            /* nearest mode pads 12 samples per side: the input's shape is too small */
            c->mode = NDI_MODE_NEAREST;
            return m("unpadded in nearest mode", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k == 23) {
            d->output.dtype = NDI_DTYPE_FLOAT32;
            return m("float32", NDI_ERR_INVALID_ARRAY);
        }
        return END;
    }
    /* ---- vectorized_filter's roles ---- */
    if (!strcmp(role, "batch_memory")) {
        switch (k) {
        case 0: c->batch_memory = 8; return m("8 for windows of 9", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->batch_memory = 72; return m("one window", NDI_OK);
        case 2: c->batch_memory = UINTPTR_MAX; return m("UINTPTR_MAX", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "vectorized_cb")) {
        if (k == 0) { c->vectorized_cb = NULL; return m("NULL", NDI_ERR_NULL_POINTER); }
        return END;
    }
    /* ---- the statistics' roles ---- */
    if (!strcmp(role, "labels") || !strcmp(role, "index")) {
        int lab = !strcmp(role, "labels");
        ndi_array *a = lab ? &d->labels : &d->index;
        const ndi_array **slot = lab ? &c->labels : &c->index;
        if (k < 19) return mutate_array(x, a, slot, 0, 0, k);
        if (k == 19) {
            a->dtype = NDI_DTYPE_COMPLEX128;
            a->strides = NULL;
            return m("complex", NDI_ERR_INVALID_ARRAY);
        }
        if (k == 20) {
            memcpy(s->shape, a->shape, sizeof(intptr_t) * (size_t)a->rank);
            s->shape[a->rank - 1] -= 1;
            a->shape = s->shape;
            a->strides = NULL;
            return m("one element less on the last axis", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    if (!strcmp(role, "select")) {
        switch (k) {
        case 0: c->select = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->select = 0; return m("0", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->select = NDI_MODE_REFLECT; return m("a mode code", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->select = NDI_SELECT_ALL_BUFFERED + 1; return m("past the last", NDI_ERR_INVALID_ARGUMENT);
        case 4: c->select = NDI_SELECT_ALL; return m("one group for 3 outputs", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    /* ---- the labels' roles ---- */
    if (!strcmp(role, "label_structure")) {
        ndi_array *a = &d->label_structure;
        if (k < 19) return mutate_array(x, a, &c->label_structure, 0, 1, k);
        if (k == 19) {
            a->dtype = NDI_DTYPE_COMPLEX128;
            return m("complex", NDI_ERR_INVALID_ARRAY);
        }
        if (k == 20) {
            a->rank = 1;
            return m2("rank 1 for a 2-D input", NDI_ERR_SHAPE_MISMATCH, NDI_ERR_INVALID_ARGUMENT);
        }
        if (k == 21) {
            s->shape[0] = 3;
            s->shape[1] = 2;
            a->shape = s->shape;
            a->strides = NULL;
            return m2("3 x 2", NDI_ERR_SHAPE_MISMATCH, NDI_ERR_INVALID_ARGUMENT);
        }
        if (k == 22) {
            /* the corners without one: not symmetric (label requires it, watershed not) */
            static const uint8_t corners3[9] = {1, 0, 1, 0, 1, 0, 1, 0, 0};
            a->data = (void *)corners3;
            a->dtype = NDI_DTYPE_UINT8;
            a->strides = NULL;
            return m("not symmetric", ep_has_role(x->row, "num_labels") ? NDI_ERR_INVALID_ARGUMENT
                                                                        : NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "num_labels") || !strcmp(role, "num_values") ||
        !strcmp(role, "num_positions")) {
        intptr_t **p = !strcmp(role, "num_labels") ? &c->num_labels
                     : !strcmp(role, "num_values") ? &c->num_values : &c->num_positions;
        if (k == 0) { *p = NULL; return m("NULL (the results are given)", NDI_OK); }
        if (k == 1 && !strcmp(role, "num_labels") && ep_has_role(x->row, "boxes")) {
            c->num_labels = NULL;
            c->boxes = NULL;
            return m("NULL without boxes", NDI_ERR_NULL_POINTER);
        }
        if (k == 1 && strcmp(role, "num_labels")) {
            *p = NULL;
            c->vi_values = c->vi_counts = c->vi_indices = NULL;
            return m("NULL without the results", NDI_ERR_NULL_POINTER);
        }
        return END;
    }
    if (!strcmp(role, "max_label")) {
        switch (k) {
        case 0: c->max_label = 0; return m("0 (15 present, 3 boxes given)", NDI_ERR_SHAPE_MISMATCH);
        case 1: c->max_label = -1; return m("-1 (as 0)", NDI_ERR_SHAPE_MISMATCH);
        case 2: c->max_label = 2; return m("2 for 3 boxes", NDI_ERR_SHAPE_MISMATCH);
        case 3: c->max_label = INTPTR_MAX;
            return m2("INTPTR_MAX", NDI_ERR_INVALID_ARGUMENT, NDI_ERR_OUT_OF_MEMORY);
        case 4: c->max_label = INTPTR_MAX; c->boxes = NULL;
            return m("INTPTR_MAX, the count only", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "boxes")) {
        if (k < 19) return mutate_array(x, &d->boxes, &c->boxes, 1, 1, k);
        if (k == 19) {
            s->shape[0] = d->boxes.shape[0] - 1;
            d->boxes.shape = s->shape;
            return m("one element less", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k == 20) {
            d->boxes.dtype = NDI_DTYPE_FLOAT64;
            return m("float64", NDI_ERR_INVALID_ARRAY);
        }
        return END;
    }
    if (!strcmp(role, "ignore_value")) {
        if (k == 14 || k == 15) {
            mutation r = mutate_array(x, &d->ignore_value, &c->ignore_value, 0, 1, k);
            r.expected = r.also = NDI_OK; /* one element: its stride is never used */
            return r;
        }
        if (k == 0) {
            c->ignore_value = NULL;
            return m("NULL (nothing ignored: 3 values for 2)", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k < 19) return mutate_array(x, &d->ignore_value, &c->ignore_value, 0, 1, k);
        if (k == 19) {
            d->ignore_value.dtype = NDI_DTYPE_FLOAT64;
            return m("float64", NDI_ERR_INVALID_ARRAY);
        }
        if (k == 20) {
            s->shape[0] = 0;
            d->ignore_value.shape = s->shape;
            return m2("no element", NDI_ERR_INVALID_ARGUMENT, NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    if (!strcmp(role, "vi_values") || !strcmp(role, "vi_counts") || !strcmp(role, "vi_indices")) {
        ndi_array *a = !strcmp(role, "vi_values") ? &d->vi_values
                     : !strcmp(role, "vi_counts") ? &d->vi_counts : &d->vi_indices;
        const ndi_array **slot = !strcmp(role, "vi_values") ? &c->vi_values
                               : !strcmp(role, "vi_counts") ? &c->vi_counts : &c->vi_indices;
        if (k == 0) {
            c->vi_values = c->vi_counts = c->vi_indices = NULL;
            return m("all three NULL (the sizes)", NDI_OK);
        }
        /* (k == 1: this one NULL of three) */
        if (k < 20) return mutate_array(x, a, slot, 1, 0, k - 1);
        if (k == 20) {
            s->shape[0] = a->shape[0] - 1;
            a->shape = s->shape;
            return m("one element less", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k == 21) {
            a->dtype = NDI_DTYPE_FLOAT64;
            return m("float64", NDI_ERR_INVALID_ARRAY);
        }
        return END;
    }
    if (!strcmp(role, "markers")) {
        ndi_array *a = &d->markers;
        if (k < 19) return mutate_array(x, a, &c->markers, 0, 0, k);
        if (k == 19) { a->dtype = NDI_DTYPE_FLOAT64; return m("float64", NDI_ERR_INVALID_ARRAY); }
        if (k == 20) { a->dtype = NDI_DTYPE_UINT32; return m("uint32", NDI_ERR_INVALID_ARRAY); }
        if (k == 21) {
            s->shape[0] = a->shape[0];
            s->shape[1] = a->shape[1] - 1;
            a->shape = s->shape;
            a->strides = NULL;
            return m("one column less", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    if (!strcmp(role, "hist_counts") || !strcmp(role, "group_sizes") ||
        !strcmp(role, "comp_output")) {
        int counts = !strcmp(role, "hist_counts"), sizes = !strcmp(role, "group_sizes");
        ndi_array *a = counts ? &d->hist_counts : sizes ? &d->group_sizes : &d->comp_output;
        const ndi_array **slot = counts ? &c->hist_counts : sizes ? &c->group_sizes
                                                                   : &c->comp_output;
        /* the sizes and the comprehension's results may be NULL (not stored) */
        if (k < 19) return mutate_array(x, a, slot, 1, !counts, k);
        if (k == 19) {
            s->shape[0] = a->shape[0] - 1;
            a->shape = s->shape;
            return m("one element less", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k == 20) {
            a->dtype = counts || sizes ? NDI_DTYPE_FLOAT64 : NDI_DTYPE_COMPLEX128;
            return m(counts || sizes ? "float64" : "complex", NDI_ERR_INVALID_ARRAY);
        }
        return END;
    }
    if (!strcmp(role, "edges")) {
        c->edges = s->doubles;
        s->doubles[0] = -10.0;
        s->doubles[1] = 0.0;
        s->doubles[2] = 5.0;
        s->doubles[3] = 20.0;
        switch (k) {
        case 0: c->edges = NULL; return m("NULL", NDI_ERR_NULL_POINTER);
        case 1: s->doubles[2] = -1.0; return m("decreasing", NDI_ERR_INVALID_ARGUMENT);
        case 2: s->doubles[1] = NAN; return m("NaN", NDI_ERR_INVALID_ARGUMENT);
        case 3: s->doubles[1] = -10.0; return m("two equal", NDI_OK);
        }
        return END;
    }
    if (!strcmp(role, "n_edges")) {
        switch (k) {
        case 0: c->n_edges = 1; return m("1", NDI_ERR_INVALID_ARGUMENT);
        case 1: c->n_edges = 0; return m("0", NDI_ERR_INVALID_ARGUMENT);
        case 2: c->n_edges = -1; return m("-1", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->n_edges = INTPTR_MAX; return m("INTPTR_MAX", NDI_ERR_INVALID_ARGUMENT);
        case 4: c->n_edges = 3; return m("2 bins for 3 counts a group", NDI_ERR_SHAPE_MISMATCH);
        }
        return END;
    }
    if (!strcmp(role, "label_cb")) {
        if (k == 0) { c->label_cb = NULL; return m("NULL", NDI_ERR_NULL_POINTER); }
        return END;
    }
    if (!strcmp(role, "pass_flags")) {
        switch (k) {
        case 0: c->pass_flags = 0; return m("0 (count only)", NDI_OK);
        case 1: c->pass_flags = NDI_PASS_VALUES; return m("values", NDI_OK);
        case 2: c->pass_flags = 4; return m("4", NDI_ERR_INVALID_ARGUMENT);
        case 3: c->pass_flags = 0x80000000u; return m("bit 31", NDI_ERR_INVALID_ARGUMENT);
        }
        return END;
    }
    if (!strcmp(role, "stat_output") || !strcmp(role, "com_output") ||
        !strcmp(role, "positions") || !strncmp(role, "extrema_", 8)) {
        ndi_array *a = !strcmp(role, "stat_output") ? &d->stat_output
                     : !strcmp(role, "com_output") ? &d->com_output
                     : !strcmp(role, "positions") ? &d->positions
                     : !strcmp(role, "extrema_minimum") ? &d->extrema_minimum
                     : !strcmp(role, "extrema_maximum") ? &d->extrema_maximum
                     : !strcmp(role, "extrema_min_positions") ? &d->extrema_min_positions
                                                              : &d->extrema_max_positions;
        const ndi_array **slot = !strcmp(role, "stat_output") ? &c->stat_output
                               : !strcmp(role, "com_output") ? &c->com_output
                               : !strcmp(role, "positions") ? &c->positions
                               : !strcmp(role, "extrema_minimum") ? &c->extrema_minimum
                               : !strcmp(role, "extrema_maximum") ? &c->extrema_maximum
                               : !strcmp(role, "extrema_min_positions") ? &c->extrema_min_positions
                                                                        : &c->extrema_max_positions;
        int positions = strstr(role, "positions") != NULL;
        /* extrema's outputs may each be NULL (not computed) */
        if (k < 19) return mutate_array(x, a, slot, 1, !strncmp(role, "extrema_", 8), k);
        if (k == 19) {
            s->shape[0] = a->shape[0] - 1;
            a->shape = s->shape;
            return m("one element less", NDI_ERR_SHAPE_MISMATCH);
        }
        if (k == 20 && positions) {
            a->dtype = NDI_DTYPE_FLOAT64;
            return m("float64", NDI_ERR_INVALID_ARRAY);
        }
        return END;
    }
    /* roles with no invalid values: cval, angle, prefilter, grid_mode, reshape */
    if (!strcmp(role, "cval") || !strcmp(role, "angle") || !strcmp(role, "prefilter") ||
        !strcmp(role, "grid_mode") || !strcmp(role, "reshape") || !strcmp(role, "default_value"))
        return END;
    fprintf(stderr, "test_error_matrix: role '%s' has no mutations: add them to mutate()\n",
            role);
    tu_failed++;
    return END;
}

/* The roles of a row, one after another: copies role `i` into `out`; 0 past the last. */
static int role_at(const ep_row *row, int i, char *out, size_t size) {
    const char *p = row->roles;
    int k = 0;
    for (;;) {
        size_t n;
        while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\t') p++;
        if (!*p) return 0;
        n = strcspn(p, ", \n\t");
        if (k == i) {
            if (n >= size) n = size - 1;
            memcpy(out, p, n);
            out[n] = '\0';
            return 1;
        }
        p += n;
        k++;
    }
}

/* The bytes of the output's elements after a call (for comparisons). */
static void output_bytes(const tarr *t, unsigned char *out) {
    memcpy(out, t->mem, t->memlen);
}

static long total_cases;

static void run_row(const ep_row *row) {
    ep_fixture fx;
    ep_call c;
    ep_descs d;
    scratch s;
    ctx x;
    ndi_status st;
    char role[64];
    unsigned char *reference;
    int i, j, k;
    long cases = 0;
    ep_fixture_init(&fx, 3, 4);
    ep_fixture_complex_output(&fx, row);
    ep_fixture_int32_output(&fx, row);
    ep_fixture_integer_input(&fx, row);
    x.c = &c;
    x.d = &d;
    x.fx = &fx;
    x.s = &s;
    x.row = row;
    reference = (unsigned char *)malloc(fx.out.memlen);
    if (!reference) exit(2);

    TU_CTX("%s: the fixture's call", row->name);
    ep_call_defaults(&c, &d, &fx);
    CHECK_STATUS(row->call(&c), NDI_OK);
    output_bytes(&fx.out, reference);
    if (ep_writes_array(row)) CHECK(tarr_gaps_untouched(&fx.out));
    if (ep_has_callback(row)) CHECK(fx.state.calls > 0);

    for (i = 0; role_at(row, i, role, sizeof role); i++) {
        for (k = 0;; k++) {
            mutation mu;
            const char *msg;
            memset(&s, 0, sizeof s);
            ep_call_defaults(&c, &d, &fx);
            mu = mutate(&x, role, k);
            if (!mu.what) break;
            TU_CTX("%s: %s %s", row->name, role, mu.what);
            ep_fixture_reset_outputs(&fx);
            ep_state_reset(&fx.state);
            fx.metric_out = -7;
            fx.num_labels = fx.num_values = fx.num_positions = -7;
            fx.identity = -7;
            fx.mode_out = -7;
            fx.out_shape[0] = fx.out_shape[1] = -7;
            for (j = 0; j < 16; j++) fx.kernel[j] = -7.0;
            st = row->call(&c);
            cases++;
            if (st != mu.expected && st == mu.also) mu.expected = mu.also;
            CHECK_STATUS(st, mu.expected);
            msg = ndi_last_error_message();
            if (mu.expected == NDI_OK) {
                if (ep_writes_array(row)) CHECK(tarr_gaps_untouched(&fx.out));
                continue;
            }
            CHECK_MSG(strstr(msg, row->name) != NULL, "message \"%s\" lacks the name", msg);
            CHECK_MSG(ep_fixture_outputs_untouched(&fx), "output memory written on error");
            CHECK(fx.metric_out == -7);
            CHECK(fx.num_values == -7 && fx.num_positions == -7);
            /* (label reports a count its output cannot hold: the one value written) */
            if (!(ep_has_role(row, "output") && st == NDI_ERR_INVALID_ARRAY))
                CHECK(fx.num_labels == -7);
            CHECK_MSG(fx.state.calls == 0, "callback called %ld times on error",
                      fx.state.calls);
            CHECK(fx.identity == -7 && fx.mode_out == -7 && fx.out_shape[0] == -7 &&
                  fx.out_shape[1] == -7);
            for (j = 0; j < 16 && fx.kernel[j] == -7.0; j++) {
            }
            CHECK_MSG(j == 16, "kernel_out written on error");
        }
    }

    /* Aliasing: the input in the output's memory (the same array: in place), and each
     * argument array in the output's memory, give the result of separate memory. */
    /* (a complex output is not the float64 input's memory: its rows skip these two) */
    if (ep_has_role(row, "input") && ep_writes_array(row) && !ep_has_role(row, "output_complex") &&
        fx.in.arr.dtype == fx.out.arr.dtype) {
        TU_CTX("%s: input is the output", row->name);
        ep_call_defaults(&c, &d, &fx);
        tarr_reset(&fx.out);
        memcpy(fx.out.arr.data, fx.in.arr.data, (size_t)fx.in.len * fx.in.item);
        c.input = &d.output;
        CHECK_STATUS(row->call(&c), NDI_OK);
        CHECK_MSG(memcmp(fx.out.mem, reference, fx.out.memlen) == 0,
                  "in-place result differs from separate memory");
        cases++;

        TU_CTX("%s: input overlaps the output, one element on", row->name);
        {
            /* The input's elements start one element into the output buffer. */
            tarr big;
            intptr_t shape[1];
            unsigned char *base;
            shape[0] = fx.out.len + 1;
            tarr_init(&big, NDI_DTYPE_FLOAT64, 1, shape, LAY_C);
            base = (unsigned char *)big.arr.data;
            memcpy(base + 8, fx.in.arr.data, (size_t)fx.in.len * 8);
            ep_call_defaults(&c, &d, &fx);
            d.input.data = base + 8;
            d.output.data = base;
            st = row->call(&c);
            CHECK_STATUS(st, NDI_OK);
            CHECK_MSG(memcmp(base, reference + ((unsigned char *)fx.out.arr.data - fx.out.mem),
                             (size_t)fx.out.len * 8) == 0,
                      "overlapping input: result differs from separate memory");
            tarr_free(&big);
            cases++;
        }
    }
    /* The distance transforms: the input in the distances' memory (float64 distances). */
    if (ep_has_role(row, "input") && ep_has_role(row, "distances") && fx.out.item == fx.in.item) {
        TU_CTX("%s: input is the distances", row->name);
        ep_call_defaults(&c, &d, &fx);
        ep_fixture_reset_outputs(&fx);
        memcpy(fx.out.arr.data, fx.in.arr.data, (size_t)fx.in.len * fx.in.item);
        c.input = &d.distances;
        CHECK_STATUS(row->call(&c), NDI_OK);
        CHECK_MSG(memcmp(fx.out.mem, reference, fx.out.memlen) == 0,
                  "in-place result differs from separate memory");
        cases++;
    }
    {
        static const char *value_roles[] = {"size", "origins", "shift", "offset", "matrix"};
        size_t r;
        for (r = 0; r < sizeof value_roles / sizeof value_roles[0]; r++) {
            size_t bytes = 2 * sizeof(double);
            const void *src;
            if (!ep_has_role(row, value_roles[r])) continue;
            TU_CTX("%s: %s in the output's memory", row->name, value_roles[r]);
            ep_call_defaults(&c, &d, &fx);
            tarr_reset(&fx.out);
            src = r == 0 ? (const void *)c.size : r == 1 ? (const void *)s.values
                : r == 2 ? (const void *)c.shift : r == 3 ? (const void *)c.offset
                         : (const void *)c.matrix;
            if (r == 1) s.values[0] = s.values[1] = 0;
            if (r == 4) bytes = 4 * sizeof(double);
            memcpy(fx.out.arr.data, src, bytes);
            switch (r) {
            case 0: c.size = (const intptr_t *)fx.out.arr.data; break;
            case 1: c.origins = (const intptr_t *)fx.out.arr.data; break;
            case 2: c.shift = (const double *)fx.out.arr.data; break;
            case 3: c.offset = (const double *)fx.out.arr.data; break;
            default: c.matrix = (const double *)fx.out.arr.data; break;
            }
            CHECK_STATUS(row->call(&c), NDI_OK);
            CHECK_MSG(memcmp(fx.out.mem, reference, fx.out.memlen) == 0,
                      "result differs from separate memory");
            cases++;
        }
    }
    {
        /* per-axis arrays of the filters in the output's memory */
        static const char *value_roles[] = {"sizes", "sigmas"};
        size_t r;
        for (r = 0; r < sizeof value_roles / sizeof value_roles[0]; r++) {
            if (!ep_has_role(row, value_roles[r])) continue;
            TU_CTX("%s: %s in the output's memory", row->name, value_roles[r]);
            ep_call_defaults(&c, &d, &fx);
            tarr_reset(&fx.out);
            if (r == 0) {
                memcpy(fx.out.arr.data, c.sizes, 2 * sizeof(intptr_t));
                c.sizes = (const intptr_t *)fx.out.arr.data;
            } else {
                memcpy(fx.out.arr.data, c.sigmas, 2 * sizeof(double));
                c.sigmas = (const double *)fx.out.arr.data;
            }
            CHECK_STATUS(row->call(&c), NDI_OK);
            CHECK_MSG(memcmp(fx.out.mem, reference, fx.out.memlen) == 0,
                      "result differs from separate memory");
            cases++;
        }
    }
    ndi_set_default_threads(NDI_THREADS_ALL);
    printf("%s: %ld cases\n", row->name, cases);
    total_cases += cases;
    free(reference);
    ep_fixture_free(&fx);
    tu_context[0] = '\0';
}

int main(void) {
    int r;
    for (r = 0; r < EP_COUNT; r++) run_row(&ep_rows[r]);
    printf("error matrix: %d entry points, %ld cases\n", EP_COUNT, total_cases);
    return TU_DONE();
}
