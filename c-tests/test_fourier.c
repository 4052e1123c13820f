/* Tests of ndi_fourier_gaussian, ndi_fourier_uniform, ndi_fourier_ellipsoid and
 * ndi_fourier_shift: results against references written here from the formulas (every layout,
 * real and complex dtypes, the real-FFT n/axis convention), thread counts, in-place and
 * overlapping calls, empty arrays, cancellation, and every validation error (nothing written
 * after one). */
#define _XOPEN_SOURCE 700 /* j1() */
#include "test_util.h"

enum { GAUSSIAN, UNIFORM, ELLIPSOID, SHIFT };

typedef ndi_status (*fourier_fn)(const ndi_array *, const ndi_array *, const double *, intptr_t,
                                 int32_t, const ndi_options *);

static fourier_fn function_of(int kind) {
    switch (kind) {
    case GAUSSIAN: return ndi_fourier_gaussian;
    case UNIFORM: return ndi_fourier_uniform;
    case ELLIPSOID: return ndi_fourier_ellipsoid;
    default: return ndi_fourier_shift;
    }
}

static const char *kind_name(int kind) {
    static const char *names[] = {"gaussian", "uniform", "ellipsoid", "shift"};
    return names[kind];
}

/* ------------------------------------------------------------------------------------------ */
/* Reference                                                                                  */

/* Frequency index of position p on an axis of length d (fftfreq order), or p itself on the
 * half-spectrum axis of a real FFT. */
static double ref_freq(intptr_t p, intptr_t d, int half) {
    if (half) return (double)p;
    return p <= (d - 1) / 2 ? (double)p : (double)(p - d);
}

/* The value axis `a` contributes at position p, and whether it contributes at all (gaussian,
 * uniform and shift ignore axes of length 1). `len` is the axis length in the formulas (n on
 * the half-spectrum axis). */
static int ref_axis_value(int kind, int rank, intptr_t p, intptr_t d, int half, double len,
                          double param, double *value) {
    double k = ref_freq(p, d, half);
    if (d <= 1 && kind != ELLIPSOID) return 0;
    switch (kind) {
    case GAUSSIAN: {
        double b = param * M_PI / len, t;
        b = -2.0 * b * b;
        t = b * k * k;
        *value = fabs(t) > 50.0 ? 0.0 : exp(t);
        break;
    }
    case UNIFORM: {
        double tau = M_PI * param / len;
        if (p == 0 || tau == 0.0) *value = 1.0;
        else *value = sin(tau * k) / (tau * k);
        break;
    }
    case ELLIPSOID: {
        double e = k * (M_PI * param / len);
        *value = rank > 1 ? e * e : e;
        break;
    }
    default:
        *value = -2.0 * M_PI * param / len * k;
        break;
    }
    return 1;
}

/* The multiplier (or, for the shift, the phase) of the element at index idx. */
static double ref_factor(int kind, int rank, const intptr_t *shape, const intptr_t *idx,
                         const double *params, intptr_t n, int axis) {
    double acc = (kind == ELLIPSOID || kind == SHIFT) ? 0.0 : 1.0, v, r;
    int a;
    for (a = 0; a < rank; a++) {
        int half = a == axis && n >= 0;
        double len = half ? (double)n : (double)shape[a];
        if (!ref_axis_value(kind, rank, idx[a], shape[a], half, len, params[a], &v)) continue;
        if (kind == ELLIPSOID || kind == SHIFT) acc += v;
        else acc *= v;
    }
    if (kind != ELLIPSOID) return acc;
    if (rank == 1) return acc != 0.0 ? sin(acc) / acc : 1.0;
    r = sqrt(acc);
    if (!(r > 0.0)) return 1.0;
    if (rank == 2) return 2.0 * j1(r) / r; /* glibc's J1, not Cephes': compared with a tolerance */
    return 3.0 * (sin(r) - r * cos(r)) / (r * r * r);
}

static double test_value(intptr_t k, int salt) {
    return (double)((k * 37 + salt * 11) % 29) - 9.5;
}

static void unravel(intptr_t k, int rank, const intptr_t *shape, intptr_t *idx) {
    int a;
    for (a = rank - 1; a >= 0; a--) {
        idx[a] = k % shape[a];
        k /= shape[a];
    }
}

/* Runs `kind` on `in` into `out` and compares every element with the reference. */
static void check_against_reference(int kind, tarr *in, tarr *out, const double *params,
                                    intptr_t n, int axis) {
    intptr_t k, idx[NDI_MAX_RANK];
    int rank = in->rank;
    int cin = tu_is_complex(in->arr.dtype), cout = tu_is_complex(out->arr.dtype);
    ndi_dtype od = out->arr.dtype;
    int32_t c_axis = axis;
    if (!CHECK_STATUS(function_of(kind)(&in->arr, &out->arr, params, n, c_axis, NULL), NDI_OK))
        return;
    CHECK(tarr_gaps_untouched(out));
    if (axis < 0) axis += rank;
    for (k = 0; k < in->len; k++) {
        double m, x = tarr_get(in, k), xi = cin ? tarr_get_im(in, k) : 0.0, re, im;
        unravel(k, rank, in->shape, idx);
        m = ref_factor(kind, rank, in->shape, idx, params, n, axis);
        if (kind == SHIFT) {
            double c = cos(m), s = sin(m);
            re = x * c - xi * s;
            im = x * s + xi * c;
            if (!cin) {
                re = x * c;
                im = x * s;
            }
        } else {
            re = m * x;
            im = m * xi;
        }
        {
            double tol = (kind == ELLIPSOID && rank == 2) ? 1e-12 : 0.0;
            ndi_dtype part = od == NDI_DTYPE_COMPLEX64    ? NDI_DTYPE_FLOAT32
                             : od == NDI_DTYPE_COMPLEX128 ? NDI_DTYPE_FLOAT64
                                                          : od;
            double want_re = tu_truncated(part, re), want_im = tu_truncated(part, im);
            if (tol > 0.0) {
                CHECK_NEAR(tarr_get(out, k), want_re, tol);
                if (cout) CHECK_NEAR(tarr_get_im(out, k), want_im, tol);
            } else {
                CHECK_EQ(tarr_get(out, k), want_re);
                if (cout) CHECK_EQ(tarr_get_im(out, k), want_im);
            }
        }
    }
}

static void fill_input(tarr *in, int salt) {
    intptr_t k;
    for (k = 0; k < in->len; k++) {
        double v = test_value(k, salt);
        if (in->arr.dtype == NDI_DTYPE_BOOL) v = (double)(k % 2);
        if (in->arr.dtype == NDI_DTYPE_UINT8) v = v + 9.5;
        tarr_set(in, k, v);
        if (tu_is_complex(in->arr.dtype)) tarr_set_im(in, k, test_value(k, salt + 5) / 4.0);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Results                                                                                    */

static void test_reference_every_layout(void) {
    static const intptr_t shapes[][3] = {{7, 0, 0}, {4, 5, 0}, {3, 1, 6}};
    static const int ranks[] = {1, 2, 3};
    static const ndi_dtype in_types[] = {NDI_DTYPE_FLOAT64, NDI_DTYPE_FLOAT32, NDI_DTYPE_INT16,
                                         NDI_DTYPE_UINT8, NDI_DTYPE_BOOL, NDI_DTYPE_COMPLEX128,
                                         NDI_DTYPE_COMPLEX64};
    static const ndi_dtype out_types[] = {NDI_DTYPE_FLOAT64, NDI_DTYPE_FLOAT32,
                                          NDI_DTYPE_COMPLEX128, NDI_DTYPE_COMPLEX64};
    static const double params[] = {1.5, 0.75, 2.0};
    int kind, s, ti, to, li, lo;
    for (kind = GAUSSIAN; kind <= SHIFT; kind++)
        for (s = 0; s < 3; s++)
            for (ti = 0; ti < 7; ti++)
                for (to = 0; to < 4; to++) {
                    ndi_dtype it = in_types[ti], ot = out_types[to];
                    if (tu_is_complex(it) && !tu_is_complex(ot)) continue;
                    if (kind == SHIFT && !tu_is_complex(ot)) continue;
                    for (li = 0; li < LAY_COUNT; li++)
                        for (lo = 0; lo < LAY_COUNT; lo += 2) {
                            tarr in, out;
                            TU_CTX("%s rank %d in %#x out %#x layouts %s/%s", kind_name(kind),
                                   ranks[s], it, ot, tu_layout_name(li), tu_layout_name(lo));
                            tarr_init(&in, it, ranks[s], shapes[s], li);
                            tarr_init(&out, ot, ranks[s], shapes[s], lo);
                            fill_input(&in, s + li);
                            check_against_reference(kind, &in, &out, params, -1, -1);
                            tarr_free(&in);
                            tarr_free(&out);
                        }
                }
    TU_CTX("%s", "");
}

static void test_real_fft_convention(void) {
    /* Axis `axis` holds the half spectrum of a signal of length n: frequencies 0, 1, ... and
     * length n in the formulas; other axes keep fftfreq order. */
    static const intptr_t shape[2] = {5, 4};
    static const double params[] = {2.0, 3.5};
    static const intptr_t ns[] = {0, 1, 6, 7, 100};
    int kind, ai, ni;
    for (kind = GAUSSIAN; kind <= SHIFT; kind++)
        for (ai = -2; ai < 2; ai++)
            for (ni = 0; ni < 5; ni++) {
                tarr in, out;
                /* n = 0 makes infinite radii, where Cephes' J1 (scipy's and ours) is NaN and
                 * the reference's glibc j1 is 0 (the Python tests compare that with scipy). */
                if (kind == ELLIPSOID && ns[ni] == 0) continue;
                TU_CTX("%s axis %d n %ld", kind_name(kind), ai, (long)ns[ni]);
                tarr_init(&in, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
                tarr_init(&out, NDI_DTYPE_COMPLEX128, 2, shape, LAY_F);
                fill_input(&in, ni);
                check_against_reference(kind, &in, &out, params, ns[ni], ai);
                tarr_free(&in);
                tarr_free(&out);
            }
    TU_CTX("%s", "");
}

static void test_special_parameters(void) {
    /* sigma 0 and shift 0: the identity (factor exactly 1). Uniform size 0: the identity too
     * (scipy 1.17.1 zeroes the non-DC coefficients), a negative size as its magnitude. */
    static const intptr_t shape[2] = {6, 5};
    static const double zeros[2] = {0.0, 0.0}, neg[2] = {-2.5, 3.0}, pos[2] = {2.5, 3.0};
    tarr in, a, b;
    intptr_t k;
    int kind;
    tarr_init(&in, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    tarr_init(&a, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    tarr_init(&b, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    fill_input(&in, 3);
    for (kind = GAUSSIAN; kind <= SHIFT; kind++) {
        if (kind == ELLIPSOID) continue;
        TU_CTX("%s of 0", kind_name(kind));
        CHECK_STATUS(function_of(kind)(&in.arr, &a.arr, zeros, -1, -1, NULL), NDI_OK);
        CHECK(memcmp(a.arr.data, in.arr.data, (size_t)in.len * in.item) == 0);
    }
    TU_CTX("uniform of a negative size");
    CHECK_STATUS(ndi_fourier_uniform(&in.arr, &a.arr, neg, -1, -1, NULL), NDI_OK);
    CHECK_STATUS(ndi_fourier_uniform(&in.arr, &b.arr, pos, -1, -1, NULL), NDI_OK);
    CHECK(memcmp(a.arr.data, b.arr.data, (size_t)in.len * in.item) == 0);
    TU_CTX("ellipsoid of 0");
    CHECK_STATUS(ndi_fourier_ellipsoid(&in.arr, &a.arr, zeros, -1, -1, NULL), NDI_OK);
    for (k = 0; k < in.len; k++) CHECK_EQ(tarr_get(&a, k), tarr_get(&in, k));
    tarr_free(&in);
    tarr_free(&a);
    tarr_free(&b);
    TU_CTX("%s", "");
}

static void test_threads_and_overlap(void) {
    /* Identical bytes on 1, 2, 3 and 4 threads; in place; and an output overlapping the input
     * in another layout (the input is then copied first: the result of separate memory). */
    static const intptr_t shape[2] = {61, 2101};
    static const double params[2] = {3.0, 1.25};
    tarr in, ref, out, work;
    ndi_options o;
    int kind, t;
    size_t bytes;
    tarr_init(&in, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    tarr_init(&ref, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    tarr_init(&work, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    bytes = (size_t)in.len * in.item;
    fill_input(&in, 1);
    ndi_options_init(&o, sizeof o);
    for (kind = GAUSSIAN; kind <= SHIFT; kind++) {
        ndi_array reversed;
        intptr_t rstrides[2];
        TU_CTX("%s threads", kind_name(kind));
        o.threads = 1;
        CHECK_STATUS(function_of(kind)(&in.arr, &ref.arr, params, -1, -1, &o), NDI_OK);
        for (t = 2; t <= 4; t++) {
            o.threads = t;
            tarr_reset(&out);
            CHECK_STATUS(function_of(kind)(&in.arr, &out.arr, params, -1, -1, &o), NDI_OK);
            CHECK(memcmp(out.arr.data, ref.arr.data, bytes) == 0);
        }
        TU_CTX("%s in place", kind_name(kind));
        memcpy(work.arr.data, in.arr.data, bytes);
        CHECK_STATUS(function_of(kind)(&work.arr, &work.arr, params, -1, -1, &o), NDI_OK);
        CHECK(memcmp(work.arr.data, ref.arr.data, bytes) == 0);
        /* The output is the same memory read backwards: the input is copied first. */
        TU_CTX("%s overlapping", kind_name(kind));
        memcpy(work.arr.data, in.arr.data, bytes);
        reversed = work.arr;
        rstrides[0] = -work.strides[0];
        rstrides[1] = -work.strides[1];
        reversed.strides = rstrides;
        reversed.data = (unsigned char *)work.arr.data + (shape[0] - 1) * work.strides[0] +
                        (shape[1] - 1) * work.strides[1];
        CHECK_STATUS(function_of(kind)(&work.arr, &reversed, params, -1, -1, &o), NDI_OK);
        CHECK_EQ(tarr_get(&work, work.len - 1), tarr_get(&ref, 0));
        CHECK_EQ(tarr_get_im(&work, 0), tarr_get_im(&ref, ref.len - 1));
    }
    tarr_free(&in);
    tarr_free(&ref);
    tarr_free(&out);
    tarr_free(&work);
    TU_CTX("%s", "");
}

static void test_empty(void) {
    static const intptr_t shape[2] = {0, 4};
    static const double params[2] = {1.0, 1.0};
    tarr in, out;
    int kind;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_COMPLEX64, 2, shape, LAY_C);
    for (kind = GAUSSIAN; kind <= SHIFT; kind++) {
        TU_CTX("%s empty", kind_name(kind));
        CHECK_STATUS(function_of(kind)(&in.arr, &out.arr, params, -1, 0, NULL), NDI_OK);
        CHECK(tarr_untouched(&out));
    }
    tarr_free(&in);
    tarr_free(&out);
    TU_CTX("%s", "");
}

static int cancel_now(double fraction, void *user_data) {
    (void)fraction;
    ++*(int *)user_data;
    return 0;
}

static void test_cancel(void) {
    static const intptr_t shape[2] = {400, 1000};
    static const double params[2] = {1.0, 2.0};
    tarr in, out;
    ndi_options o;
    int calls = 0, t;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    memset(in.arr.data, 0, (size_t)in.len * in.item);
    ndi_options_init(&o, sizeof o);
    o.progress = cancel_now;
    o.progress_user_data = &calls;
    for (t = 1; t <= 2; t++) {
        TU_CTX("cancel on %d threads", t);
        o.threads = t;
        calls = 0;
        CHECK_STATUS(ndi_fourier_shift(&in.arr, &out.arr, params, -1, -1, &o),
                     NDI_ERR_CANCELLED);
        CHECK(calls >= 1);
    }
    tarr_free(&in);
    tarr_free(&out);
    TU_CTX("%s", "");
}

/* ------------------------------------------------------------------------------------------ */
/* Errors                                                                                     */

static void expect_error(int kind, const ndi_array *in, const ndi_array *out, const double *p,
                         intptr_t n, int32_t axis, const ndi_options *o, ndi_status expected,
                         tarr *watched, const char *what) {
    TU_CTX("%s: %s", kind_name(kind), what);
    tarr_reset(watched);
    CHECK_STATUS(function_of(kind)(in, out, p, n, axis, o), expected);
    CHECK(tarr_untouched(watched));
}

static void test_errors(void) {
    static const intptr_t shape[2] = {3, 4}, other[2] = {4, 3}, rank4[4] = {2, 2, 2, 2};
    static const intptr_t huge[2] = {(intptr_t)1 << 40, (intptr_t)1 << 40};
    static const double p[4] = {1.0, 1.0, 1.0, 1.0};
    tarr in, out, cin, iout, fout, bad_shape, in4, out4;
    ndi_array desc;
    ndi_options o;
    int kind;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&out, NDI_DTYPE_COMPLEX128, 2, shape, LAY_C);
    tarr_init(&cin, NDI_DTYPE_COMPLEX64, 2, shape, LAY_C);
    tarr_init(&iout, NDI_DTYPE_INT32, 2, shape, LAY_C);
    tarr_init(&fout, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&bad_shape, NDI_DTYPE_COMPLEX128, 2, other, LAY_C);
    tarr_init(&in4, NDI_DTYPE_FLOAT64, 4, rank4, LAY_C);
    tarr_init(&out4, NDI_DTYPE_FLOAT64, 4, rank4, LAY_C);
    memset(in.arr.data, 0, (size_t)in.len * in.item);
    memset(cin.arr.data, 0, (size_t)cin.len * cin.item);
    memset(in4.arr.data, 0, (size_t)in4.len * in4.item);
    for (kind = GAUSSIAN; kind <= SHIFT; kind++) {
        expect_error(kind, NULL, &out.arr, p, -1, 0, NULL, NDI_ERR_NULL_POINTER, &out,
                     "NULL input");
        expect_error(kind, &in.arr, NULL, p, -1, 0, NULL, NDI_ERR_NULL_POINTER, &out,
                     "NULL output");
        expect_error(kind, &in.arr, &out.arr, NULL, -1, 0, NULL, NDI_ERR_NULL_POINTER, &out,
                     "NULL parameters");
        expect_error(kind, &in.arr, &bad_shape.arr, p, -1, 0, NULL, NDI_ERR_SHAPE_MISMATCH,
                     &bad_shape, "shape mismatch");
        expect_error(kind, &in.arr, &iout.arr, p, -1, 0, NULL, NDI_ERR_INVALID_ARRAY, &iout,
                     "int32 output");
        expect_error(kind, &cin.arr, &fout.arr, p, -1, 0, NULL, NDI_ERR_INVALID_ARRAY, &fout,
                     "complex input, real output");
        expect_error(kind, &in.arr, &out.arr, p, -1, 2, NULL, NDI_ERR_INVALID_ARGUMENT, &out,
                     "axis 2 (n < 0 too)");
        expect_error(kind, &in.arr, &out.arr, p, 5, -3, NULL, NDI_ERR_INVALID_ARGUMENT, &out,
                     "axis -3");
        desc = in.arr;
        desc.dtype = NDI_MODE_REFLECT;
        expect_error(kind, &desc, &out.arr, p, -1, 0, NULL, NDI_ERR_INVALID_ARRAY, &out,
                     "a mode code as dtype");
        desc = in.arr;
        desc.dtype = 0x10d;
        expect_error(kind, &desc, &out.arr, p, -1, 0, NULL, NDI_ERR_INVALID_ARRAY, &out,
                     "unknown dtype code");
        desc = in.arr;
        desc.rank = 0;
        expect_error(kind, &desc, &out.arr, p, -1, 0, NULL, NDI_ERR_INVALID_ARRAY, &out,
                     "rank 0");
        desc = out.arr;
        desc.shape = huge;
        desc.strides = NULL;
        expect_error(kind, &in.arr, &desc, p, -1, 0, NULL, NDI_ERR_INVALID_ARRAY, &out,
                     "overflowing output size");
        ndi_options_init(&o, sizeof o);
        o.struct_size = 3;
        expect_error(kind, &in.arr, &out.arr, p, -1, 0, &o, NDI_ERR_INVALID_ARGUMENT, &out,
                     "bad options size");
        ndi_options_init(&o, sizeof o);
        o.threads = -7;
        expect_error(kind, &in.arr, &out.arr, p, -1, 0, &o, NDI_ERR_INVALID_ARGUMENT, &out,
                     "bad thread count");
        ndi_options_init(&o, sizeof o);
        o.flags = 0x80;
        expect_error(kind, &in.arr, &out.arr, p, -1, 0, &o, NDI_ERR_INVALID_ARGUMENT, &out,
                     "unknown flag");
    }
    expect_error(SHIFT, &in.arr, &fout.arr, p, -1, 0, NULL, NDI_ERR_INVALID_ARRAY, &fout,
                 "real output");
    expect_error(ELLIPSOID, &in4.arr, &out4.arr, p, -1, 0, NULL, NDI_ERR_INVALID_ARRAY, &out4,
                 "rank 4");
    CHECK_MESSAGE_HAS("rank 1, 2 and 3");
    tarr_free(&in);
    tarr_free(&out);
    tarr_free(&cin);
    tarr_free(&iout);
    tarr_free(&fout);
    tarr_free(&bad_shape);
    tarr_free(&in4);
    tarr_free(&out4);
    TU_CTX("%s", "");
}

int main(void) {
    test_reference_every_layout();
    test_real_fft_convention();
    test_special_parameters();
    test_threads_and_overlap();
    test_empty();
    test_cancel();
    test_errors();
    return TU_DONE();
}
