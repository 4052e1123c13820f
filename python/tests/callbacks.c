/* C callbacks for the libndimage differential tests (compiled by conftest.py).
 *
 * Every generic_filter callback has scipy's prototype
 *     int f(double *buffer, intptr_t filter_size, double *return_value, void *user_data)
 * and every generic_filter1d callback
 *     int f(double *in, intptr_t in_len, double *out, intptr_t out_len, void *user_data).
 * The weights (i + 1.37) make any change in the order of the values visible. */
#include <stdint.h>
#include <stddef.h>
#include <signal.h>

/* sum(buf[i] * (i + 1.37)) */
int gf_wsum(double *buf, intptr_t n, double *ret, void *user_data)
{
    double s = 0.0;
    (void)user_data;
    for (intptr_t i = 0; i < n; i++)
        s += buf[i] * ((double)i + 1.37);
    *ret = s;
    return 1;
}

/* max(buf); -1.5 for an empty footprint */
int gf_max(double *buf, intptr_t n, double *ret, void *user_data)
{
    (void)user_data;
    if (n == 0) {
        *ret = -1.5;
        return 1;
    }
    double m = buf[0];
    for (intptr_t i = 1; i < n; i++)
        if (buf[i] > m)
            m = buf[i];
    *ret = m;
    return 1;
}

/* mean(buf) (0/0 = NaN for an empty footprint) */
int gf_mean(double *buf, intptr_t n, double *ret, void *user_data)
{
    double s = 0.0;
    (void)user_data;
    for (intptr_t i = 0; i < n; i++)
        s += buf[i];
    *ret = s / (double)n;
    return 1;
}

/* last value of the buffer (passes extreme input values straight to the output
 * conversion); 7.25 for an empty footprint */
int gf_last(double *buf, intptr_t n, double *ret, void *user_data)
{
    (void)user_data;
    *ret = n ? buf[n - 1] : 7.25;
    return 1;
}

/* sum(buf[i] * (i + 1.37)) * *(double *)user_data, or * 1000.5 if user_data is NULL */
int gf_scaled(double *buf, intptr_t n, double *ret, void *user_data)
{
    double scale = user_data ? *(double *)user_data : 1000.5;
    double s = 0.0;
    for (intptr_t i = 0; i < n; i++)
        s += buf[i] * ((double)i + 1.37);
    *ret = s * scale;
    return 1;
}

/* like gf_wsum, but *(long *)user_data counts calls down and the call that finds it at
 * 0 fails (returns 0) */
int gf_fail_after(double *buf, intptr_t n, double *ret, void *user_data)
{
    long *left = (long *)user_data;
    if (*left <= 0)
        return 0;
    --*left;
    return gf_wsum(buf, n, ret, NULL);
}

/* raises SIGINT from the library's own thread at call *(long *)user_data (counted down),
 * as Ctrl-C arriving while the library runs; returns the buffer size */
int gf_raise_sigint(double *buf, intptr_t n, double *ret, void *user_data)
{
    (void)buf;
    if (--*(long *)user_data == 0)
        raise(SIGINT);
    *ret = (double)n;
    return 1;
}

/* counts calls in *(long *)user_data, returns the buffer size */
int gf_count(double *buf, intptr_t n, double *ret, void *user_data)
{
    (void)buf;
    ++*(long *)user_data;
    *ret = (double)n;
    return 1;
}

/* out[i] = sum_k in[i + k] * (k + 1.37), window length in_len - out_len + 1 */
int gf1d_wmoving(double *in, intptr_t in_len, double *out, intptr_t out_len, void *user_data)
{
    intptr_t fs = in_len - out_len + 1;
    (void)user_data;
    for (intptr_t i = 0; i < out_len; i++) {
        double s = 0.0;
        for (intptr_t k = 0; k < fs; k++)
            s += in[i + k] * ((double)k + 1.37);
        out[i] = s;
    }
    return 1;
}

/* out[i] = in[i + fs - 1] (the window's last value: extreme values reach the output
 * conversion unchanged) */
int gf1d_last(double *in, intptr_t in_len, double *out, intptr_t out_len, void *user_data)
{
    intptr_t fs = in_len - out_len + 1;
    (void)user_data;
    for (intptr_t i = 0; i < out_len; i++)
        out[i] = in[i + fs - 1];
    return 1;
}

/* out[i] = (i + 0.25) * in_len - 3 * in[i]: sees the whole extended line */
int gf1d_line(double *in, intptr_t in_len, double *out, intptr_t out_len, void *user_data)
{
    (void)user_data;
    for (intptr_t i = 0; i < out_len; i++)
        out[i] = ((double)i + 0.25) * (double)in_len - 3.0 * in[in_len - 1 - i];
    return 1;
}

/* gf1d_wmoving times *(double *)user_data (1000.5 if NULL) */
int gf1d_scaled(double *in, intptr_t in_len, double *out, intptr_t out_len, void *user_data)
{
    double scale = user_data ? *(double *)user_data : 1000.5;
    gf1d_wmoving(in, in_len, out, out_len, NULL);
    for (intptr_t i = 0; i < out_len; i++)
        out[i] *= scale;
    return 1;
}

/* gf1d_wmoving; *(long *)user_data counts lines down, fails at 0 */
int gf1d_fail_after(double *in, intptr_t in_len, double *out, intptr_t out_len,
                    void *user_data)
{
    long *left = (long *)user_data;
    if (*left <= 0)
        return 0;
    --*left;
    return gf1d_wmoving(in, in_len, out, out_len, NULL);
}

/* Sets a Python exception through the C API and fails, like a C extension would.
 * user_data points to {PyErr_SetString, exception type, calls left before failing};
 * the addresses come from ctypes.pythonapi, so no Python headers are needed. */
typedef struct {
    void (*set_string)(void *type, const char *message);
    void *type;
    long left;
} set_error_data;

int gf_set_error(double *buf, intptr_t n, double *ret, void *user_data)
{
    set_error_data *d = (set_error_data *)user_data;
    if (d->left <= 0) {
        d->set_string(d->type, "raised from C");
        return 0;
    }
    --d->left;
    return gf_wsum(buf, n, ret, NULL);
}

int gf1d_set_error(double *in, intptr_t in_len, double *out, intptr_t out_len,
                   void *user_data)
{
    set_error_data *d = (set_error_data *)user_data;
    if (d->left <= 0) {
        d->set_string(d->type, "raised from C (1d)");
        return 0;
    }
    --d->left;
    return gf1d_wmoving(in, in_len, out, out_len, NULL);
}

/* geometric_transform mappings, scipy's prototype
 *     int f(intptr_t *out, double *in, int out_rank, int in_rank, void *user_data). */

/* in[h] = offset[h] + sum_k out[k] * matrix[h * out_rank + k] (offset first, then the
 * terms in order); user_data points to {matrix, offset} sized for the ranks in use. */
typedef struct {
    const double *matrix;
    const double *offset;
} gt_affine_data;

int gt_affine(intptr_t *out, double *in, int out_rank, int in_rank, void *user_data)
{
    const gt_affine_data *d = (const gt_affine_data *)user_data;
    for (int h = 0; h < in_rank; h++) {
        double v = d->offset[h];
        for (int k = 0; k < out_rank; k++)
            v += (double)out[k] * d->matrix[h * out_rank + k];
        in[h] = v;
    }
    return 1;
}

/* in[h] = out[h] - *(double *)user_data (0.5 if NULL); equal ranks: scipy's guide example */
int gt_shift(intptr_t *out, double *in, int out_rank, int in_rank, void *user_data)
{
    double s = user_data ? *(double *)user_data : 0.5;
    (void)out_rank;
    for (int h = 0; h < in_rank; h++)
        in[h] = (double)out[h] - s;
    return 1;
}

/* Writes in[h] only when (out[out_rank - 1] + h) is even, so the other coordinates keep
 * the values of an earlier call (zeros before the first write). */
int gt_sparse(intptr_t *out, double *in, int out_rank, int in_rank, void *user_data)
{
    (void)user_data;
    for (int h = 0; h < in_rank; h++)
        if ((out[out_rank - 1] + h) % 2 == 0)
            in[h] = 0.75 * (double)out[0] + 0.5 * (double)h - 0.25;
    return 1;
}

/* Maps like gt_shift with 0.25, then overwrites the output index it was given (scipy
 * documents it as read-only: writing it corrupts scipy's iteration; libndimage passes a
 * copy, so the result must equal gt_shift's). */
int gt_scribble(intptr_t *out, double *in, int out_rank, int in_rank, void *user_data)
{
    double s = 0.25;
    gt_shift(out, in, out_rank, in_rank, &s);
    for (int k = 0; k < out_rank; k++)
        out[k] = -7 - k;
    (void)user_data;
    return 1;
}

/* gt_shift by 0.5; *(long *)user_data counts calls down, the call that finds 0 fails */
int gt_fail_after(intptr_t *out, double *in, int out_rank, int in_rank, void *user_data)
{
    long *left = (long *)user_data;
    if (*left <= 0)
        return 0;
    --*left;
    return gt_shift(out, in, out_rank, in_rank, NULL);
}

/* Sets a Python exception through the C API after `left` calls (see set_error_data). */
int gt_set_error(intptr_t *out, double *in, int out_rank, int in_rank, void *user_data)
{
    set_error_data *d = (set_error_data *)user_data;
    if (d->left <= 0) {
        d->set_string(d->type, "raised from C (mapping)");
        return 0;
    }
    --d->left;
    return gt_shift(out, in, out_rank, in_rank, NULL);
}
