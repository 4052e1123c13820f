/* Tests of the spline and interpolation functions without callbacks: ndi_spline_filter1d,
 * ndi_spline_filter, ndi_map_coordinates, ndi_affine_transform, ndi_shift, ndi_zoom.
 * Expected values are computed here: the B-spline interpolation equations the prefilter must
 * satisfy, and transforms whose results are single samples or linear interpolations. */
#include "test_util.h"

static double test_value(intptr_t k, int salt) {
    return (double)((k * 7 + salt * 3 + (k * k) % 5) % 23) - 5.0;
}

/* Mode extensions by repeated reflection; -1 = outside (constant modes). */
static intptr_t ext_mirror(intptr_t p, intptr_t n) {
    if (n == 1) return 0;
    while (p < 0 || p >= n) p = p < 0 ? -p : 2 * (n - 1) - p;
    return p;
}
static intptr_t ext_reflect(intptr_t p, intptr_t n) {
    while (p < 0 || p >= n) p = p < 0 ? -p - 1 : 2 * n - 1 - p;
    return p;
}
static intptr_t ext_wrap(intptr_t p, intptr_t n) {
    while (p < 0) p += n;
    while (p >= n) p -= n;
    return p;
}

/* Index of an integer position for order-0/1 interpolation at integer coordinates. */
static intptr_t interp_index(intptr_t p, intptr_t n, int mode) {
    switch (mode) {
    case NDI_MODE_CONSTANT:
    case NDI_MODE_GRID_CONSTANT: return (p < 0 || p >= n) ? -1 : p;
    case NDI_MODE_NEAREST: return p < 0 ? 0 : (p >= n ? n - 1 : p);
    case NDI_MODE_MIRROR: return ext_mirror(p, n);
    case NDI_MODE_REFLECT:
    case NDI_MODE_GRID_MIRROR: return ext_reflect(p, n);
    case NDI_MODE_GRID_WRAP: return ext_wrap(p, n);
    case NDI_MODE_WRAP: /* period n - 1, scipy's map_coordinate on the seam */
        if (n == 1) return 0;
        if (p < 0) return p + (n - 1) * ((-p) / (n - 1) + 1);
        if (p > n - 1) return p - (n - 1) * (p / (n - 1));
        return p;
    default: return -2;
    }
}

/* The extension of the coefficients the prefilter of `mode` assumes (scipy's spline_filter1d:
 * mirror for mirror/constant/wrap/grid-constant, half-sample reflection for
 * reflect/grid-mirror/nearest, periodic for grid-wrap). */
static intptr_t coeff_index(intptr_t p, intptr_t n, int mode) {
    switch (mode) {
    case NDI_MODE_REFLECT:
    case NDI_MODE_GRID_MIRROR:
    case NDI_MODE_NEAREST: return ext_reflect(p, n);
    case NDI_MODE_GRID_WRAP: return ext_wrap(p, n);
    default: return ext_mirror(p, n);
    }
}

/* Centred B-spline of degree `order` at integer offsets -order/2 .. order/2. */
static int bspline_taps(int order, double *taps) {
    switch (order) {
    case 2: taps[0] = 1.0 / 8; taps[1] = 6.0 / 8; taps[2] = 1.0 / 8; return 1;
    case 3: taps[0] = 1.0 / 6; taps[1] = 4.0 / 6; taps[2] = 1.0 / 6; return 1;
    case 4:
        taps[0] = 1.0 / 384; taps[1] = 76.0 / 384; taps[2] = 230.0 / 384;
        taps[3] = 76.0 / 384; taps[4] = 1.0 / 384;
        return 2;
    case 5:
        taps[0] = 1.0 / 120; taps[1] = 26.0 / 120; taps[2] = 66.0 / 120;
        taps[3] = 26.0 / 120; taps[4] = 1.0 / 120;
        return 2;
    default: return -1;
    }
}

/* Whether coefficients c (line of n, stride `cs` in doubles) interpolate x (stride xs):
 * sum_k taps[k] c[ext(i + k - h)] == x[i] for every i. Returns the largest error. */
static double spline_residual(const double *c, intptr_t cs, const double *x, intptr_t xs,
                              intptr_t n, int order, int mode) {
    double taps[5], worst = 0.0;
    int h = bspline_taps(order, taps), k;
    intptr_t i;
    for (i = 0; i < n; i++) {
        double v = 0.0;
        for (k = -h; k <= h; k++) v += taps[k + h] * c[coeff_index(i + k, n, mode) * cs];
        if (fabs(v - x[i * xs]) > worst) worst = fabs(v - x[i * xs]);
    }
    return worst;
}

static const ndi_dtype float_types[2] = {NDI_DTYPE_FLOAT64, NDI_DTYPE_FLOAT32};

/* ------------------------------------------------------------------------------------------ */
/* spline_filter1d / spline_filter                                                            */

static void test_spline_filter1d(void) {
    int order, mode, layout;
    intptr_t n, k;
    /* constants stay constant, every order >= 2, every mode, several lengths */
    for (order = 2; order <= 5; order++) {
        for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
            for (n = 1; n <= 9; n += 4) {
                double in[9], out[9], worst = 0.0;
                intptr_t shape[1];
                ndi_array a, b;
                shape[0] = n;
                a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, shape, NULL);
                b = tu_desc(out, NDI_DTYPE_FLOAT64, 1, shape, NULL);
                TU_CTX("constant line, order %d mode %d n %ld", order, mode, (long)n);
                for (k = 0; k < n; k++) in[k] = 3.75;
                CHECK_STATUS(ndi_spline_filter1d(&a, &b, order, 0, mode, NULL), NDI_OK);
                for (k = 0; k < n; k++)
                    if (fabs(out[k] - 3.75) > worst) worst = fabs(out[k] - 3.75);
                CHECK_MSG(worst <= 1e-12, "max deviation %g", worst);
            }
        }
    }
    /* the interpolation equation, 1-D, lengths 2..12 */
    for (order = 2; order <= 5; order++) {
        for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
            for (n = 2; n <= 12; n += 5) {
                double in[12], out[12], r;
                intptr_t shape[1];
                ndi_array a, b;
                shape[0] = n;
                a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, shape, NULL);
                b = tu_desc(out, NDI_DTYPE_FLOAT64, 1, shape, NULL);
                TU_CTX("interpolation equation, order %d mode %d n %ld", order, mode, (long)n);
                for (k = 0; k < n; k++) in[k] = test_value(k, order + (int)n);
                CHECK_STATUS(ndi_spline_filter1d(&a, &b, order, -1, mode, NULL), NDI_OK);
                r = spline_residual(out, 1, in, 1, n, order, mode);
                CHECK_MSG(r <= 1e-10, "residual %g", r);
            }
        }
    }
    /* along each axis of a 3-D array, layouts, float32 in / float64 out */
    {
        intptr_t shape[3] = {4, 3, 5};
        int axis;
        for (axis = -3; axis < 3; axis++) {
            for (layout = 0; layout < LAY_COUNT; layout++) {
                tarr in, out;
                int ax = axis < 0 ? axis + 3 : axis, ok = 1;
                double line_c[5], line_x[5];
                intptr_t idx;
                TU_CTX("3-D axis %d layout %s", axis, tu_layout_name(layout));
                tarr_init(&in, NDI_DTYPE_FLOAT32, 3, shape, layout);
                tarr_init(&out, NDI_DTYPE_FLOAT64, 3, shape, (layout + 1) % LAY_COUNT);
                for (k = 0; k < in.len; k++) tarr_set(&in, k, test_value(k, axis + 9));
                CHECK_STATUS(ndi_spline_filter1d(&in.arr, &out.arr, 3, axis, NDI_MODE_MIRROR,
                                                 NULL),
                             NDI_OK);
                /* check every line along ax */
                for (idx = 0; idx < in.len; idx++) {
                    intptr_t pos[3], step = 1, base, j;
                    pos[0] = idx / 15;
                    pos[1] = (idx / 5) % 3;
                    pos[2] = idx % 5;
                    if (pos[ax] != 0) continue;
                    for (j = 2; j > ax; j--) step *= shape[j];
                    base = idx;
                    for (j = 0; j < shape[ax]; j++) {
                        line_c[j] = tarr_get(&out, base + j * step);
                        line_x[j] = tarr_get(&in, base + j * step);
                    }
                    if (spline_residual(line_c, 1, line_x, 1, shape[ax], 3, NDI_MODE_MIRROR) >
                        1e-10)
                        ok = 0;
                }
                CHECK(ok);
                CHECK(tarr_gaps_untouched(&out));
                tarr_free(&in);
                tarr_free(&out);
            }
        }
    }
    /* orders 0 and 1 copy; into integers with truncation */
    {
        double in[4] = {2.7, -2.7, 100.2, 0.0};
        int16_t o16[4];
        double o64[4];
        intptr_t shape[1] = {4};
        ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, shape, NULL);
        ndi_array b = tu_desc(o16, NDI_DTYPE_INT16, 1, shape, NULL);
        ndi_array c = tu_desc(o64, NDI_DTYPE_FLOAT64, 1, shape, NULL);
        for (order = 0; order <= 1; order++) {
            TU_CTX("order %d copies", order);
            CHECK_STATUS(ndi_spline_filter1d(&a, &b, order, 0, NDI_MODE_MIRROR, NULL), NDI_OK);
            CHECK(o16[0] == 2 && o16[1] == -2 && o16[2] == 100 && o16[3] == 0);
            CHECK_STATUS(ndi_spline_filter1d(&a, &c, order, 0, NDI_MODE_WRAP, NULL), NDI_OK);
            CHECK(memcmp(in, o64, sizeof in) == 0);
        }
    }
    /* in place equals separate memory */
    {
        double x[7], c[7], ip[7];
        intptr_t shape[1] = {7};
        ndi_array a = tu_desc(x, NDI_DTYPE_FLOAT64, 1, shape, NULL);
        ndi_array b = tu_desc(c, NDI_DTYPE_FLOAT64, 1, shape, NULL);
        ndi_array d = tu_desc(ip, NDI_DTYPE_FLOAT64, 1, shape, NULL);
        TU_CTX("in place");
        for (k = 0; k < 7; k++) ip[k] = x[k] = test_value(k, 4);
        CHECK_STATUS(ndi_spline_filter1d(&a, &b, 4, 0, NDI_MODE_REFLECT, NULL), NDI_OK);
        CHECK_STATUS(ndi_spline_filter1d(&d, &d, 4, 0, NDI_MODE_REFLECT, NULL), NDI_OK);
        CHECK(memcmp(c, ip, sizeof c) == 0);
    }
    /* empty arrays */
    {
        intptr_t shape[2] = {3, 0};
        tarr in, out;
        TU_CTX("empty");
        tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
        tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
        CHECK_STATUS(ndi_spline_filter1d(&in.arr, &out.arr, 3, 0, NDI_MODE_MIRROR, NULL), NDI_OK);
        CHECK_STATUS(ndi_spline_filter1d(&in.arr, &out.arr, 3, 1, NDI_MODE_MIRROR, NULL), NDI_OK);
        CHECK_STATUS(ndi_spline_filter(&in.arr, &out.arr, 3, NDI_MODE_MIRROR, NULL), NDI_OK);
        CHECK(tarr_untouched(&out));
        tarr_free(&in);
        tarr_free(&out);
    }
    tu_context[0] = '\0';
}

static void test_spline_filter(void) {
    intptr_t shape[2] = {5, 6};
    int order, mode, t;
    intptr_t k;
    for (t = 0; t < 2; t++) {
        for (order = 2; order <= 5; order++) {
            for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
                tarr in, out;
                double x[30], c[30], taps[5], worst = 0.0;
                int h = bspline_taps(order, taps), u, v;
                intptr_t i, j;
                TU_CTX("2-D spline_filter, input dtype %d, order %d mode %d", (int)float_types[t],
                       order, mode);
                tarr_init(&in, float_types[t], 2, shape, mode % LAY_COUNT);
                tarr_init(&out, NDI_DTYPE_FLOAT64, 2, shape, (mode + order) % LAY_COUNT);
                for (k = 0; k < 30; k++) {
                    tarr_set(&in, k, test_value(k, order));
                    x[k] = tarr_get(&in, k);
                }
                CHECK_STATUS(ndi_spline_filter(&in.arr, &out.arr, order, mode, NULL), NDI_OK);
                for (k = 0; k < 30; k++) c[k] = tarr_get(&out, k);
                /* tensor-product interpolation equation */
                for (i = 0; i < 5; i++)
                    for (j = 0; j < 6; j++) {
                        double s = 0.0;
                        for (u = -h; u <= h; u++)
                            for (v = -h; v <= h; v++)
                                s += taps[u + h] * taps[v + h] *
                                     c[coeff_index(i + u, 5, mode) * 6 +
                                       coeff_index(j + v, 6, mode)];
                        if (fabs(s - x[i * 6 + j]) > worst) worst = fabs(s - x[i * 6 + j]);
                    }
                CHECK_MSG(worst <= 1e-10, "residual %g", worst);
                CHECK(tarr_gaps_untouched(&out));
                tarr_free(&in);
                tarr_free(&out);
            }
        }
    }
    /* constants stay constant in 3-D */
    {
        intptr_t s3[3] = {3, 4, 2};
        double in[24], out[24];
        ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 3, s3, NULL);
        ndi_array b = tu_desc(out, NDI_DTYPE_FLOAT64, 3, s3, NULL);
        for (order = 2; order <= 5; order++) {
            for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
                double worst = 0.0;
                TU_CTX("3-D constant, order %d mode %d", order, mode);
                for (k = 0; k < 24; k++) in[k] = -1.5;
                CHECK_STATUS(ndi_spline_filter(&a, &b, order, mode, NULL), NDI_OK);
                for (k = 0; k < 24; k++)
                    if (fabs(out[k] + 1.5) > worst) worst = fabs(out[k] + 1.5);
                CHECK_MSG(worst <= 1e-12, "deviation %g", worst);
                /* in place */
                CHECK_STATUS(ndi_spline_filter(&a, &a, order, mode, NULL), NDI_OK);
                CHECK(memcmp(in, out, sizeof in) == 0);
            }
        }
    }
    /* complex: real and imaginary parts filtered separately */
    {
        intptr_t s1[1] = {6}, st[1] = {16};
        double z[6][2], o[6][2], re[6], im[6], cr[6], ci[6];
        ndi_array a = tu_desc(z, NDI_DTYPE_COMPLEX128, 1, s1, st);
        ndi_array b = tu_desc(o, NDI_DTYPE_COMPLEX128, 1, s1, st);
        TU_CTX("complex spline_filter");
        for (k = 0; k < 6; k++) {
            z[k][0] = re[k] = test_value(k, 1);
            z[k][1] = im[k] = test_value(k, 2);
        }
        CHECK_STATUS(ndi_spline_filter(&a, &b, 3, NDI_MODE_REFLECT, NULL), NDI_OK);
        for (k = 0; k < 6; k++) {
            cr[k] = o[k][0];
            ci[k] = o[k][1];
        }
        CHECK(spline_residual(cr, 1, re, 1, 6, 3, NDI_MODE_REFLECT) <= 1e-10);
        CHECK(spline_residual(ci, 1, im, 1, 6, 3, NDI_MODE_REFLECT) <= 1e-10);
        CHECK_STATUS(ndi_spline_filter1d(&a, &b, 5, 0, NDI_MODE_GRID_WRAP, NULL), NDI_OK);
        for (k = 0; k < 6; k++) {
            cr[k] = o[k][0];
            ci[k] = o[k][1];
        }
        CHECK(spline_residual(cr, 1, re, 1, 6, 5, NDI_MODE_GRID_WRAP) <= 1e-10);
        CHECK(spline_residual(ci, 1, im, 1, 6, 5, NDI_MODE_GRID_WRAP) <= 1e-10);
    }
    tu_context[0] = '\0';
}

/* ------------------------------------------------------------------------------------------ */
/* map_coordinates                                                                            */

static void test_map_coordinates(void) {
    intptr_t ishape[2] = {4, 5}, cshape[3] = {2, 2, 3}, oshape[2] = {2, 3};
    /* (row, col) pairs, some outside */
    static const int pts[6][2] = {{0, 0}, {3, 4}, {2, 1}, {-1, 2}, {1, 5}, {3, 0}};
    static const ndi_dtype ctypes[] = {NDI_DTYPE_FLOAT64, NDI_DTYPE_INT32, NDI_DTYPE_INT8,
                                       NDI_DTYPE_FLOAT32, NDI_DTYPE_INT64};
    static const int modes[] = {NDI_MODE_CONSTANT, NDI_MODE_NEAREST,   NDI_MODE_MIRROR,
                                NDI_MODE_REFLECT,  NDI_MODE_GRID_WRAP, NDI_MODE_GRID_CONSTANT,
                                NDI_MODE_WRAP};
    size_t ct, m;
    int order;
    intptr_t k;
    for (ct = 0; ct < sizeof ctypes / sizeof ctypes[0]; ct++) {
        for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
            for (order = 0; order <= 1; order++) {
                tarr in, coords, out;
                int ok = 1;
                TU_CTX("integer coordinates dtype %d, mode %d, order %d", (int)ctypes[ct],
                       modes[m], order);
                tarr_init(&in, NDI_DTYPE_FLOAT64, 2, ishape, (int)(m % LAY_COUNT));
                tarr_init(&coords, ctypes[ct], 3, cshape, (int)((ct + m) % LAY_COUNT));
                tarr_init(&out, NDI_DTYPE_FLOAT64, 2, oshape, (int)((ct + 2) % LAY_COUNT));
                for (k = 0; k < 20; k++) tarr_set(&in, k, test_value(k, (int)m));
                for (k = 0; k < 6; k++) {
                    tarr_set(&coords, k, pts[k][0]);     /* coordinates[0][...] = row */
                    tarr_set(&coords, 6 + k, pts[k][1]); /* coordinates[1][...] = col */
                }
                CHECK_STATUS(ndi_map_coordinates(&in.arr, &coords.arr, &out.arr, order, modes[m],
                                                 -9.0, 1, NULL),
                             NDI_OK);
                for (k = 0; k < 6; k++) {
                    intptr_t r = interp_index(pts[k][0], 4, modes[m]);
                    intptr_t c = interp_index(pts[k][1], 5, modes[m]);
                    double want = (r < 0 || c < 0) ? -9.0 : tarr_get(&in, r * 5 + c);
                    if (tarr_get(&out, k) != want) ok = 0;
                }
                CHECK(ok);
                CHECK(tarr_gaps_untouched(&coords));
                CHECK(tarr_gaps_untouched(&out));
                tarr_free(&in);
                tarr_free(&coords);
                tarr_free(&out);
            }
        }
    }
    /* prefiltered orders reproduce the samples at integer coordinates */
    for (order = 2; order <= 5; order++) {
        int mi;
        for (mi = NDI_MODE_REFLECT; mi <= NDI_MODE_GRID_WRAP; mi++) {
            double in[20], coords[2][20], out[20], worst = 0.0;
            intptr_t s2[2] = {4, 5}, c3[3] = {2, 4, 5};
            ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 2, s2, NULL);
            ndi_array c = tu_desc(coords, NDI_DTYPE_FLOAT64, 3, c3, NULL);
            ndi_array o = tu_desc(out, NDI_DTYPE_FLOAT64, 2, s2, NULL);
            TU_CTX("prefiltered identity, order %d mode %d", order, mi);
            for (k = 0; k < 20; k++) {
                in[k] = test_value(k, order);
                coords[0][k] = (double)(k / 5);
                coords[1][k] = (double)(k % 5);
            }
            CHECK_STATUS(ndi_map_coordinates(&a, &c, &o, order, mi, 0.0, 1, NULL), NDI_OK);
            for (k = 0; k < 20; k++)
                if (fabs(out[k] - in[k]) > worst) worst = fabs(out[k] - in[k]);
            CHECK_MSG(worst <= 1e-10, "max error %g", worst);
        }
    }
    /* bilinear interpolation at fractional coordinates (order 1) */
    {
        double in[3][3] = {{1, 2, 4}, {8, 16, 32}, {-1, -3, -9}};
        double coords[2][2] = {{0.25, 1.5}, {1.75, 0.5}}, out[2];
        intptr_t s2[2] = {3, 3}, c2[2] = {2, 2}, o1[1] = {2};
        ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 2, s2, NULL);
        ndi_array c = tu_desc(coords, NDI_DTYPE_FLOAT64, 2, c2, NULL);
        ndi_array o = tu_desc(out, NDI_DTYPE_FLOAT64, 1, o1, NULL);
        double r0 = 0.25, c0 = 1.75, r1 = 1.5, c1 = 0.5;
        TU_CTX("bilinear");
        CHECK_STATUS(ndi_map_coordinates(&a, &c, &o, 1, NDI_MODE_NEAREST, 0.0, 0, NULL), NDI_OK);
        CHECK_NEAR(out[0],
                   (1 - r0) * ((1 - (c0 - 1)) * in[0][1] + (c0 - 1) * in[0][2]) +
                       r0 * ((1 - (c0 - 1)) * in[1][1] + (c0 - 1) * in[1][2]),
                   1e-14);
        CHECK_NEAR(out[1],
                   (1 - (r1 - 1)) * ((1 - c1) * in[1][0] + c1 * in[1][1]) +
                       (r1 - 1) * ((1 - c1) * in[2][0] + c1 * in[2][1]),
                   1e-14);
    }
    /* coordinates sharing memory with the output; input sharing memory with the output */
    {
        double buf[8], in[4] = {10, 20, 30, 40};
        intptr_t c2[2] = {1, 4}, o1[1] = {4}, i1[1] = {4};
        ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, i1, NULL);
        ndi_array c = tu_desc(buf, NDI_DTYPE_FLOAT64, 2, c2, NULL);
        ndi_array o = tu_desc(buf, NDI_DTYPE_FLOAT64, 1, o1, NULL);
        ndi_array o2 = tu_desc(in, NDI_DTYPE_FLOAT64, 1, o1, NULL);
        TU_CTX("coordinates overlap the output");
        buf[0] = 3; buf[1] = 2; buf[2] = 1; buf[3] = 0;
        CHECK_STATUS(ndi_map_coordinates(&a, &c, &o, 0, NDI_MODE_NEAREST, 0.0, 0, NULL), NDI_OK);
        CHECK(buf[0] == 40 && buf[1] == 30 && buf[2] == 20 && buf[3] == 10);
        TU_CTX("input is the output");
        buf[0] = 3; buf[1] = 2; buf[2] = 1; buf[3] = 0;
        CHECK_STATUS(ndi_map_coordinates(&a, &c, &o2, 1, NDI_MODE_NEAREST, 0.0, 0, NULL), NDI_OK);
        CHECK(in[0] == 40 && in[1] == 30 && in[2] == 20 && in[3] == 10);
    }
    /* complex input with cval_imag */
    {
        double z[3][2] = {{1, -1}, {2, -2}, {3, -3}}, out[2][2], coords[1][2] = {{1.0, 5.0}};
        intptr_t s1[1] = {3}, zst[1] = {16}, c2[2] = {1, 2}, o1[1] = {2};
        ndi_array a = tu_desc(z, NDI_DTYPE_COMPLEX128, 1, s1, zst);
        ndi_array c = tu_desc(coords, NDI_DTYPE_FLOAT64, 2, c2, NULL);
        ndi_array o = tu_desc(out, NDI_DTYPE_COMPLEX128, 1, o1, zst);
        ndi_options opt;
        TU_CTX("complex map_coordinates");
        ndi_options_init(&opt, sizeof opt);
        opt.cval_imag = 0.5;
        CHECK_STATUS(ndi_map_coordinates(&a, &c, &o, 1, NDI_MODE_CONSTANT, 7.0, 0, &opt),
                     NDI_OK);
        CHECK(out[0][0] == 2 && out[0][1] == -2 && out[1][0] == 7.0 && out[1][1] == 0.5);
    }
    /* empty output: nothing to do; empty coordinates of the right shape */
    {
        double in[3] = {1, 2, 3}, coords[1], out[1] = {5.0};
        intptr_t s1[1] = {3}, c2[2] = {1, 0}, o1[1] = {0};
        ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, s1, NULL);
        ndi_array c = tu_desc(coords, NDI_DTYPE_FLOAT64, 2, c2, NULL);
        ndi_array o = tu_desc(out, NDI_DTYPE_FLOAT64, 1, o1, NULL);
        TU_CTX("empty map_coordinates");
        CHECK_STATUS(ndi_map_coordinates(&a, &c, &o, 3, NDI_MODE_MIRROR, 0.0, 1, NULL), NDI_OK);
        CHECK(out[0] == 5.0);
    }
    tu_context[0] = '\0';
}

/* ------------------------------------------------------------------------------------------ */
/* affine_transform                                                                           */

/* Compares out (rows x cols) with in (ir x ic) sampled at integer (r, c) = f(i, j). */
typedef struct {
    double m[3][3];
    double off[2];
} affine2;

static int affine_expect(const tarr *in, const tarr *out, const affine2 *t, double cval) {
    intptr_t rows = out->shape[0], cols = out->shape[1], i, j;
    int ok = 1;
    for (i = 0; i < rows; i++)
        for (j = 0; j < cols; j++) {
            double r = t->m[0][0] * (double)i + t->m[0][1] * (double)j + t->off[0];
            double c = t->m[1][0] * (double)i + t->m[1][1] * (double)j + t->off[1];
            intptr_t ri = (intptr_t)r, ci = (intptr_t)c;
            double want;
            if (r < 0 || c < 0 || ri >= in->shape[0] || ci >= in->shape[1])
                want = cval;
            else
                want = tarr_get(in, ri * in->shape[1] + ci);
            if (tarr_get(out, i * cols + j) != want) {
                if (ok)
                    fprintf(stderr, "  [%ld,%ld] got %g want %g\n", (long)i, (long)j,
                            tarr_get(out, i * cols + j), want);
                ok = 0;
            }
        }
    return ok;
}

static void test_affine(void) {
    intptr_t ishape[2] = {4, 5}, oshape[2] = {3, 6};
    tarr in, out;
    affine2 t;
    intptr_t k;
    int order;
    tarr_init(&in, NDI_DTYPE_INT16, 2, ishape, LAY_F);
    for (k = 0; k < 20; k++) tarr_set(&in, k, test_value(k, 3) * 10);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, oshape, LAY_NEG);
    for (order = 0; order <= 1; order++) {
        double full[4] = {1, 0, 0, 1}, offset[2] = {1, -2};
        double diag[2] = {2, 1};
        double transpose[4] = {0, 1, 1, 0};
        double h23[6] = {1, 0, 2, 0, 1, -1};
        double h33[9] = {0, 1, 1, 1, 0, 0, 0, 0, 1};
        intptr_t ms22[2] = {2, 2}, ms2[1] = {2}, ms23[2] = {2, 3}, ms33[2] = {3, 3};

        TU_CTX("affine full identity + offset, order %d", order);
        memset(&t, 0, sizeof t);
        t.m[0][0] = t.m[1][1] = 1;
        t.off[0] = 1;
        t.off[1] = -2;
        CHECK_STATUS(ndi_affine_transform(&in.arr, &out.arr, full, ms22, 2, offset, order,
                                          NDI_MODE_CONSTANT, -4.0, 0, NULL),
                     NDI_OK);
        CHECK(affine_expect(&in, &out, &t, -4.0));

        TU_CTX("affine NULL offset, order %d", order);
        t.off[0] = t.off[1] = 0;
        CHECK_STATUS(ndi_affine_transform(&in.arr, &out.arr, full, ms22, 2, NULL, order,
                                          NDI_MODE_CONSTANT, -4.0, 0, NULL),
                     NDI_OK);
        CHECK(affine_expect(&in, &out, &t, -4.0));

        TU_CTX("affine diagonal (2, 1) + offset, order %d", order);
        memset(&t, 0, sizeof t);
        t.m[0][0] = 2;
        t.m[1][1] = 1;
        t.off[0] = 1;
        t.off[1] = -2;
        CHECK_STATUS(ndi_affine_transform(&in.arr, &out.arr, diag, ms2, 1, offset, order,
                                          NDI_MODE_GRID_CONSTANT, 0.5, 0, NULL),
                     NDI_OK);
        CHECK(affine_expect(&in, &out, &t, 0.5));

        TU_CTX("affine transpose, order %d", order);
        memset(&t, 0, sizeof t);
        t.m[0][1] = t.m[1][0] = 1;
        CHECK_STATUS(ndi_affine_transform(&in.arr, &out.arr, transpose, ms22, 2, NULL, order,
                                          NDI_MODE_CONSTANT, 0.0, 1, NULL),
                     NDI_OK);
        CHECK(affine_expect(&in, &out, &t, 0.0));

        TU_CTX("affine homogeneous 2x3 (offset argument ignored), order %d", order);
        memset(&t, 0, sizeof t);
        t.m[0][0] = t.m[1][1] = 1;
        t.off[0] = 2;
        t.off[1] = -1;
        CHECK_STATUS(ndi_affine_transform(&in.arr, &out.arr, h23, ms23, 2, offset, order,
                                          NDI_MODE_CONSTANT, 3.0, 0, NULL),
                     NDI_OK);
        CHECK(affine_expect(&in, &out, &t, 3.0));

        TU_CTX("affine homogeneous 3x3, order %d", order);
        memset(&t, 0, sizeof t);
        t.m[0][1] = t.m[1][0] = 1;
        t.off[0] = 1;
        CHECK_STATUS(ndi_affine_transform(&in.arr, &out.arr, h33, ms33, 2, NULL, order,
                                          NDI_MODE_CONSTANT, 3.0, 0, NULL),
                     NDI_OK);
        CHECK(affine_expect(&in, &out, &t, 3.0));
    }
    /* order 1 halfway: diagonal 0.5 on a 1-D ramp: output o reads input o/2 */
    {
        double x[5] = {0, 10, 30, 60, 100}, o[9], half[1] = {0.5};
        intptr_t s5[1] = {5}, s9[1] = {9}, ms1[1] = {1};
        ndi_array a = tu_desc(x, NDI_DTYPE_FLOAT64, 1, s5, NULL);
        ndi_array b = tu_desc(o, NDI_DTYPE_FLOAT64, 1, s9, NULL);
        int i;
        TU_CTX("affine 1-D scale 0.5 order 1");
        CHECK_STATUS(ndi_affine_transform(&a, &b, half, ms1, 1, NULL, 1, NDI_MODE_NEAREST, 0.0,
                                          0, NULL),
                     NDI_OK);
        for (i = 0; i < 9; i++) {
            double want = i % 2 == 0 ? x[i / 2] : 0.5 * (x[i / 2] + x[i / 2 + 1]);
            CHECK_EQ(o[i], want);
        }
    }
    /* rank change: 2-D input, 1-D output along the diagonal, matrix [2, 1] */
    {
        double col[2] = {1, 1}, o[4];
        intptr_t ms21[2] = {2, 1}, s4[1] = {4};
        tarr d;
        ndi_array b = tu_desc(o, NDI_DTYPE_FLOAT64, 1, s4, NULL);
        int i;
        TU_CTX("affine 2-D -> 1-D diagonal");
        tarr_init(&d, NDI_DTYPE_FLOAT64, 2, ishape, LAY_STRIDED);
        for (k = 0; k < 20; k++) tarr_set(&d, k, (double)k);
        CHECK_STATUS(ndi_affine_transform(&d.arr, &b, col, ms21, 2, NULL, 0, NDI_MODE_CONSTANT,
                                          -1.0, 0, NULL),
                     NDI_OK);
        for (i = 0; i < 4; i++) CHECK_EQ(o[i], (double)(i * 5 + i));
        tarr_free(&d);
    }
    /* prefiltered identity reproduces the input (orders 2..5, every mode) */
    for (order = 2; order <= 5; order++) {
        int mode;
        for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
            double x[12], o[12], eye[4] = {1, 0, 0, 1}, worst = 0.0;
            intptr_t s34[2] = {3, 4}, ms22[2] = {2, 2};
            ndi_array a = tu_desc(x, NDI_DTYPE_FLOAT64, 2, s34, NULL);
            ndi_array b = tu_desc(o, NDI_DTYPE_FLOAT64, 2, s34, NULL);
            TU_CTX("affine prefiltered identity order %d mode %d", order, mode);
            for (k = 0; k < 12; k++) x[k] = test_value(k, mode);
            CHECK_STATUS(ndi_affine_transform(&a, &b, eye, ms22, 2, NULL, order, mode, 0.0, 1,
                                              NULL),
                         NDI_OK);
            for (k = 0; k < 12; k++)
                if (fabs(o[k] - x[k]) > worst) worst = fabs(o[k] - x[k]);
            CHECK_MSG(worst <= 1e-10, "max error %g", worst);
        }
    }
    tarr_free(&in);
    tarr_free(&out);
    tu_context[0] = '\0';
}

/* ------------------------------------------------------------------------------------------ */
/* shift and zoom                                                                             */

static void test_shift(void) {
    static const int modes[] = {NDI_MODE_CONSTANT, NDI_MODE_GRID_CONSTANT, NDI_MODE_NEAREST,
                                NDI_MODE_MIRROR,   NDI_MODE_REFLECT,       NDI_MODE_GRID_MIRROR,
                                NDI_MODE_GRID_WRAP, NDI_MODE_WRAP};
    static const double shifts[][3] = {{0, 0, 0}, {1, 0, -1}, {-2, 3, 1}, {5, -7, 2}};
    intptr_t shape[3] = {3, 4, 2};
    size_t m, c;
    int order;
    intptr_t k;
    for (m = 0; m < sizeof modes / sizeof modes[0]; m++) {
        for (c = 0; c < sizeof shifts / sizeof shifts[0]; c++) {
            for (order = 0; order <= 1; order++) {
                tarr in, out;
                int ok = 1;
                TU_CTX("shift (%g,%g,%g) mode %d order %d", shifts[c][0], shifts[c][1],
                       shifts[c][2], modes[m], order);
                tarr_init(&in, NDI_DTYPE_UINT8, 3, shape, (int)((m + c) % LAY_COUNT));
                tarr_init(&out, NDI_DTYPE_INT32, 3, shape, (int)((m + 2 * c + 1) % LAY_COUNT));
                for (k = 0; k < 24; k++) tarr_set(&in, k, (double)(k * 11 % 256));
                CHECK_STATUS(ndi_shift(&in.arr, &out.arr, shifts[c], order, modes[m], -3.0, 1,
                                       NULL),
                             NDI_OK);
                for (k = 0; k < 24; k++) {
                    intptr_t i = interp_index(k / 8 - (intptr_t)shifts[c][0], 3, modes[m]);
                    intptr_t j = interp_index((k / 2) % 4 - (intptr_t)shifts[c][1], 4, modes[m]);
                    intptr_t l = interp_index(k % 2 - (intptr_t)shifts[c][2], 2, modes[m]);
                    double want = (i < 0 || j < 0 || l < 0) ? -3.0
                                                            : tarr_get(&in, i * 8 + j * 2 + l);
                    if (tarr_get(&out, k) != want) ok = 0;
                }
                CHECK(ok);
                CHECK(tarr_gaps_untouched(&out));
                tarr_free(&in);
                tarr_free(&out);
            }
        }
    }
    /* fractional shift, order 1, nearest: out[i] = 0.75 x[i] + 0.25 x[i-1] */
    {
        double x[6] = {4, 8, -4, 0, 12, 2}, o[6], s[1] = {0.25};
        intptr_t s6[1] = {6};
        ndi_array a = tu_desc(x, NDI_DTYPE_FLOAT64, 1, s6, NULL);
        ndi_array b = tu_desc(o, NDI_DTYPE_FLOAT64, 1, s6, NULL);
        int i;
        TU_CTX("fractional shift");
        CHECK_STATUS(ndi_shift(&a, &b, s, 1, NDI_MODE_NEAREST, 0.0, 0, NULL), NDI_OK);
        CHECK_EQ(o[0], x[0]);
        for (i = 1; i < 6; i++) CHECK_EQ(o[i], 0.75 * x[i] + 0.25 * x[i - 1]);
    }
    /* prefiltered integer shift in grid-wrap mode is a roll */
    for (order = 2; order <= 5; order++) {
        double x[7], o[7], s[1] = {3.0}, worst = 0.0;
        intptr_t s7[1] = {7};
        ndi_array a = tu_desc(x, NDI_DTYPE_FLOAT64, 1, s7, NULL);
        ndi_array b = tu_desc(o, NDI_DTYPE_FLOAT64, 1, s7, NULL);
        int i;
        TU_CTX("roll order %d", order);
        for (i = 0; i < 7; i++) x[i] = test_value(i, order);
        CHECK_STATUS(ndi_shift(&a, &b, s, order, NDI_MODE_GRID_WRAP, 0.0, 1, NULL), NDI_OK);
        for (i = 0; i < 7; i++)
            if (fabs(o[i] - x[(i + 4) % 7]) > worst) worst = fabs(o[i] - x[(i + 4) % 7]);
        CHECK_MSG(worst <= 1e-10, "max error %g", worst);
    }
    /* output larger than the input (same rank) */
    {
        double x[3] = {1, 2, 3}, o[5], s[1] = {1.0};
        intptr_t s3[1] = {3}, s5[1] = {5};
        ndi_array a = tu_desc(x, NDI_DTYPE_FLOAT64, 1, s3, NULL);
        ndi_array b = tu_desc(o, NDI_DTYPE_FLOAT64, 1, s5, NULL);
        TU_CTX("shift into a larger output");
        CHECK_STATUS(ndi_shift(&a, &b, s, 0, NDI_MODE_CONSTANT, 9.0, 0, NULL), NDI_OK);
        CHECK(o[0] == 9 && o[1] == 1 && o[2] == 2 && o[3] == 3 && o[4] == 9);
    }
    /* in place */
    {
        double x[5] = {1, 2, 3, 4, 5}, s[1] = {-1.0};
        intptr_t s5[1] = {5};
        ndi_array a = tu_desc(x, NDI_DTYPE_FLOAT64, 1, s5, NULL);
        TU_CTX("shift in place");
        CHECK_STATUS(ndi_shift(&a, &a, s, 1, NDI_MODE_CONSTANT, 0.0, 0, NULL), NDI_OK);
        CHECK(x[0] == 2 && x[1] == 3 && x[2] == 4 && x[3] == 5 && x[4] == 0);
    }
    /* complex128 in place, and an output overlapping the input by half an element */
    {
        double z[5][2] = {{1, -1}, {2, -2}, {3, -3}, {4, -4}, {5, -5}}, s[1] = {1.0};
        double w[12] = {1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 0, 0};
        intptr_t s5[1] = {5}, st[1] = {16};
        ndi_array a = tu_desc(z, NDI_DTYPE_COMPLEX128, 1, s5, st);
        ndi_array in = tu_desc(w, NDI_DTYPE_COMPLEX128, 1, s5, st);
        ndi_array out = tu_desc(w + 1, NDI_DTYPE_COMPLEX128, 1, s5, st);
        int i;
        TU_CTX("complex shift in place");
        CHECK_STATUS(ndi_shift(&a, &a, s, 1, NDI_MODE_CONSTANT, 9.0, 0, NULL), NDI_OK);
        CHECK(z[0][0] == 9.0 && z[0][1] == 0.0);
        for (i = 1; i < 5; i++) CHECK(z[i][0] == i && z[i][1] == -i);
        TU_CTX("complex shift, output half an element after the input");
        s[0] = 0.0;
        CHECK_STATUS(ndi_shift(&in, &out, s, 0, NDI_MODE_CONSTANT, 9.0, 0, NULL), NDI_OK);
        CHECK(w[0] == 1 && w[11] == 0);
        for (i = 0; i < 5; i++) CHECK(w[1 + 2 * i] == i + 1 && w[2 + 2 * i] == -(i + 1));
    }
    /* rank 32, axes of 1 and 2, order 0 */
    {
        intptr_t shape32[32];
        double s[32];
        tarr in, out;
        int a, ok = 1;
        TU_CTX("shift rank 32");
        for (a = 0; a < 32; a++) {
            shape32[a] = a == 3 || a == 17 || a == 31 ? 2 : 1;
            s[a] = a == 17 ? 1.0 : 0.0;
        }
        tarr_init(&in, NDI_DTYPE_FLOAT64, 32, shape32, LAY_F);
        tarr_init(&out, NDI_DTYPE_FLOAT64, 32, shape32, LAY_NEG);
        for (k = 0; k < 8; k++) tarr_set(&in, k, (double)(k + 1));
        CHECK_STATUS(ndi_shift(&in.arr, &out.arr, s, 0, NDI_MODE_CONSTANT, -1.0, 0, NULL),
                     NDI_OK);
        /* flat index bits: axis 3 -> 4, axis 17 -> 2, axis 31 -> 1 */
        for (k = 0; k < 8; k++) {
            double want = (k & 2) ? (double)(k - 2 + 1) : -1.0;
            if (tarr_get(&out, k) != want) ok = 0;
        }
        CHECK(ok);
        tarr_free(&in);
        tarr_free(&out);
    }
    tu_context[0] = '\0';
}

static void test_zoom(void) {
    int order, mode, grid;
    intptr_t k;
    /* same shape: identity */
    for (grid = 0; grid <= 1; grid++) {
        for (order = 0; order <= 5; order++) {
            for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
                double x[12], o[12], worst = 0.0;
                intptr_t s[2] = {3, 4};
                ndi_array a = tu_desc(x, NDI_DTYPE_FLOAT64, 2, s, NULL);
                ndi_array b = tu_desc(o, NDI_DTYPE_FLOAT64, 2, s, NULL);
                TU_CTX("zoom 1, grid %d order %d mode %d", grid, order, mode);
                for (k = 0; k < 12; k++) x[k] = test_value(k, order);
                CHECK_STATUS(ndi_zoom(&a, &b, grid, order, mode, 0.0, 1, NULL), NDI_OK);
                for (k = 0; k < 12; k++)
                    if (fabs(o[k] - x[k]) > worst) worst = fabs(o[k] - x[k]);
                if (order <= 1)
                    CHECK_MSG(worst == 0.0, "max error %g", worst);
                else
                    CHECK_MSG(worst <= 1e-10, "max error %g", worst);
            }
        }
    }
    /* 3 -> 5, order 1: samples and midpoints */
    {
        double x[3] = {2, 10, -6}, o[5];
        intptr_t s3[1] = {3}, s5[1] = {5};
        ndi_array a = tu_desc(x, NDI_DTYPE_FLOAT64, 1, s3, NULL);
        ndi_array b = tu_desc(o, NDI_DTYPE_FLOAT64, 1, s5, NULL);
        TU_CTX("zoom 3 -> 5");
        CHECK_STATUS(ndi_zoom(&a, &b, 0, 1, NDI_MODE_CONSTANT, 0.0, 0, NULL), NDI_OK);
        CHECK(o[0] == 2 && o[1] == 6 && o[2] == 10 && o[3] == 2 && o[4] == -6);
        /* 5 -> 3, order 0: every other sample */
        TU_CTX("zoom 5 -> 3");
        {
            double y[5] = {1, 2, 3, 4, 5}, p[3];
            ndi_array c = tu_desc(y, NDI_DTYPE_FLOAT64, 1, s5, NULL);
            ndi_array d = tu_desc(p, NDI_DTYPE_FLOAT64, 1, s3, NULL);
            CHECK_STATUS(ndi_zoom(&c, &d, 0, 0, NDI_MODE_MIRROR, 0.0, 0, NULL), NDI_OK);
            CHECK(p[0] == 1 && p[1] == 3 && p[2] == 5);
        }
    }
    /* grid mode 2 -> 4, order 1, nearest: coordinates -0.25, 0.25, 0.75, 1.25 */
    {
        double x[2] = {4, 8}, o[4];
        intptr_t s2[1] = {2}, s4[1] = {4};
        ndi_array a = tu_desc(x, NDI_DTYPE_FLOAT64, 1, s2, NULL);
        ndi_array b = tu_desc(o, NDI_DTYPE_FLOAT64, 1, s4, NULL);
        TU_CTX("zoom grid mode 2 -> 4");
        CHECK_STATUS(ndi_zoom(&a, &b, 1, 1, NDI_MODE_NEAREST, 0.0, 0, NULL), NDI_OK);
        CHECK(o[0] == 4 && o[1] == 5 && o[2] == 7 && o[3] == 8);
    }
    /* output axis of length 1: factor 1, reads sample 0 */
    {
        double x[4] = {9, 1, 1, 1}, o[1];
        intptr_t s4[1] = {4}, s1[1] = {1};
        ndi_array a = tu_desc(x, NDI_DTYPE_FLOAT64, 1, s4, NULL);
        ndi_array b = tu_desc(o, NDI_DTYPE_FLOAT64, 1, s1, NULL);
        TU_CTX("zoom to one sample");
        CHECK_STATUS(ndi_zoom(&a, &b, 0, 1, NDI_MODE_NEAREST, 0.0, 0, NULL), NDI_OK);
        CHECK(o[0] == 9);
    }
    /* 2-D bilinear: 2x2 -> 3x3 */
    {
        double x[2][2] = {{0, 4}, {8, 16}}, o[3][3];
        intptr_t s2[2] = {2, 2}, s3[2] = {3, 3};
        ndi_array a = tu_desc(x, NDI_DTYPE_FLOAT64, 2, s2, NULL);
        ndi_array b = tu_desc(o, NDI_DTYPE_FLOAT64, 2, s3, NULL);
        TU_CTX("zoom 2-D bilinear");
        CHECK_STATUS(ndi_zoom(&a, &b, 0, 1, NDI_MODE_CONSTANT, 0.0, 1, NULL), NDI_OK);
        CHECK(o[0][0] == 0 && o[0][1] == 2 && o[0][2] == 4);
        CHECK(o[1][0] == 4 && o[1][1] == 7 && o[1][2] == 10);
        CHECK(o[2][0] == 8 && o[2][1] == 12 && o[2][2] == 16);
    }
    /* uint8 in, uint8 out with rounding (interpolation rule): (1 + 2) / 2 = 1.5 -> 2 */
    {
        uint8_t x[2] = {1, 2}, o[3];
        intptr_t s2[1] = {2}, s3[1] = {3};
        ndi_array a = tu_desc(x, NDI_DTYPE_UINT8, 1, s2, NULL);
        ndi_array b = tu_desc(o, NDI_DTYPE_UINT8, 1, s3, NULL);
        TU_CTX("zoom uint8 rounding");
        CHECK_STATUS(ndi_zoom(&a, &b, 0, 1, NDI_MODE_NEAREST, 0.0, 0, NULL), NDI_OK);
        CHECK(o[0] == 1 && o[1] == 2 && o[2] == 2);
    }
    tu_context[0] = '\0';
}

/* Non-finite and huge coordinates: a status, no crash or invalid access (valgrind), and the
 * finite coordinate among them still right. */
static void test_extreme_coordinates(void) {
    double in[5] = {1, 2, 3, 4, 5}, out[8];
    double coords[8] = {NAN, INFINITY, -INFINITY, 1e300, -1e300, 1e17, -1e17, 2.0};
    intptr_t s5[1] = {5}, cs[2] = {1, 8}, os[1] = {8};
    ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, s5, NULL);
    ndi_array c = tu_desc(coords, NDI_DTYPE_FLOAT64, 2, cs, NULL);
    ndi_array o = tu_desc(out, NDI_DTYPE_FLOAT64, 1, os, NULL);
    int16_t o16[8];
    uint64_t o64[8];
    ndi_array b16 = tu_desc(o16, NDI_DTYPE_INT16, 1, os, NULL);
    ndi_array b64 = tu_desc(o64, NDI_DTYPE_UINT64, 1, os, NULL);
    int order, mode;
    for (order = 0; order <= 5; order++) {
        for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
            TU_CTX("extreme coordinates, order %d mode %d", order, mode);
            CHECK_STATUS(ndi_map_coordinates(&a, &c, &o, order, mode, -7.0, 1, NULL), NDI_OK);
            CHECK_NEAR(out[7], 3.0, 1e-10);
            CHECK_STATUS(ndi_map_coordinates(&a, &c, &b16, order, mode, -7.0, 0, NULL), NDI_OK);
            CHECK_STATUS(ndi_map_coordinates(&a, &c, &b64, order, mode, -7.0, 1, NULL), NDI_OK);
        }
    }
    /* shifts and zoom factors that are not finite */
    {
        double sh[1] = {NAN}, o5[5];
        ndi_array b = tu_desc(o5, NDI_DTYPE_FLOAT64, 1, s5, NULL);
        TU_CTX("NaN and infinite shifts");
        CHECK_STATUS(ndi_shift(&a, &b, sh, 3, NDI_MODE_MIRROR, 0.0, 1, NULL), NDI_OK);
        sh[0] = INFINITY;
        CHECK_STATUS(ndi_shift(&a, &b, sh, 1, NDI_MODE_NEAREST, 0.0, 1, NULL), NDI_OK);
        sh[0] = -1e300;
        CHECK_STATUS(ndi_shift(&a, &b, sh, 5, NDI_MODE_GRID_WRAP, 0.0, 1, NULL), NDI_OK);
    }
    tu_context[0] = '\0';
}

/* A full (2-D) affine matrix that lies in the output's memory gives the result of separate
 * memory: it is copied before the output is written (as the offset, the shifts and
 * map_coordinates' coordinates are). */
static void test_affine_matrix_alias(void) {
    double in[4] = {10, 20, 30, 40}, buf[4];
    intptr_t s4[1] = {4}, ms[2] = {1, 1};
    ndi_array a = tu_desc(in, NDI_DTYPE_FLOAT64, 1, s4, NULL);
    ndi_array o = tu_desc(buf, NDI_DTYPE_FLOAT64, 1, s4, NULL);
    TU_CTX("affine matrix inside the output");
    buf[0] = 1.0;
    buf[1] = buf[2] = buf[3] = 0.0;
    CHECK_STATUS(ndi_affine_transform(&a, &o, buf, ms, 2, NULL, 0, NDI_MODE_NEAREST, 0.0, 0, NULL),
                 NDI_OK);
    CHECK(buf[0] == 10 && buf[1] == 20 && buf[2] == 30 && buf[3] == 40);
    tu_context[0] = '\0';
}

/* An array whose element count does not fit intptr_t is invalid (numpy's limit too), even
 * with zero strides, where the byte span stays small. */
static void test_shape_product_above_intptr_max(void) {
    double v = 5.0, out[6], sh[2] = {0, 0};
    intptr_t is[2] = {(intptr_t)1 << 62, 3}, zero[2] = {0, 0}, os[2] = {2, 3};
    ndi_array a = tu_desc(&v, NDI_DTYPE_FLOAT64, 2, is, zero);
    ndi_array o = tu_desc(out, NDI_DTYPE_FLOAT64, 2, os, NULL);
    TU_CTX("input of 3 * 2^62 elements with zero strides");
    CHECK_STATUS(ndi_shift(&a, &o, sh, 1, NDI_MODE_NEAREST, 0.0, 0, NULL),
                 NDI_ERR_INVALID_ARRAY);
    tu_context[0] = '\0';
}

/* ------------------------------------------------------------------------------------------ */
/* Errors of all six functions                                                                */

enum { F_SF1D, F_SF, F_MAP, F_AFFINE, F_SHIFT, F_ZOOM, F_COUNT };
static const char *fnames[F_COUNT] = {"ndi_spline_filter1d", "ndi_spline_filter",
                                      "ndi_map_coordinates", "ndi_affine_transform", "ndi_shift",
                                      "ndi_zoom"};

typedef struct {
    ndi_array in, out, coords;
    const ndi_array *in_p, *out_p, *coords_p;
    int order, mode, axis;
    const double *matrix;
    const intptr_t *matrix_shape;
    int matrix_ndim;
    const double *offset;
    const double *shift;
    const ndi_options *options;
} ia_args;

static tarr g_in, g_out, g_coords;
static double g_matrix[4] = {1, 0, 0, 1}, g_shift[2] = {0.5, -1}, g_offset[2] = {0, 1};
static intptr_t g_mshape[2] = {2, 2};

static void defaults(ia_args *a) {
    a->in = g_in.arr;
    a->out = g_out.arr;
    a->coords = g_coords.arr;
    a->in_p = &a->in;
    a->out_p = &a->out;
    a->coords_p = &a->coords;
    a->order = 3;
    a->mode = NDI_MODE_MIRROR;
    a->axis = 1;
    a->matrix = g_matrix;
    a->matrix_shape = g_mshape;
    a->matrix_ndim = 2;
    a->offset = g_offset;
    a->shift = g_shift;
    a->options = NULL;
}

static ndi_status call(int f, const ia_args *a) {
    switch (f) {
    case F_SF1D: return ndi_spline_filter1d(a->in_p, a->out_p, a->order, a->axis, a->mode,
                                            a->options);
    case F_SF: return ndi_spline_filter(a->in_p, a->out_p, a->order, a->mode, a->options);
    case F_MAP: return ndi_map_coordinates(a->in_p, a->coords_p, a->out_p, a->order, a->mode,
                                           0.0, 1, a->options);
    case F_AFFINE:
        return ndi_affine_transform(a->in_p, a->out_p, a->matrix, a->matrix_shape,
                                    a->matrix_ndim, a->offset, a->order, a->mode, 0.0, 1,
                                    a->options);
    case F_SHIFT: return ndi_shift(a->in_p, a->out_p, a->shift, a->order, a->mode, 0.0, 1,
                                   a->options);
    case F_ZOOM: return ndi_zoom(a->in_p, a->out_p, 0, a->order, a->mode, 0.0, 1, a->options);
    default: return -1;
    }
}

static void expect_status(int f, const ia_args *a, ndi_status expected, const char *what,
                          int line) {
    ndi_status st;
    TU_CTX("%s: error case '%s' (line %d)", fnames[f], what, line);
    tarr_reset(&g_out);
    st = call(f, a);
    tu_check_status(st, expected, what, __FILE__, line);
    if (expected != NDI_OK) {
        CHECK_MESSAGE_HAS(fnames[f]);
        CHECK_MSG(tarr_untouched(&g_out), "output written on error");
    }
}

#define EXPECT(f, a, st, what) expect_status((f), &(a), (st), (what), __LINE__)

static void test_errors(void) {
    intptr_t shape[2] = {3, 4}, cshape[3] = {2, 3, 4}, bad[2];
    ia_args a;
    int f, i;
    tarr_init(&g_in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    for (i = 0; i < 12; i++) tarr_set(&g_in, i, (double)i);
    tarr_init(&g_out, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&g_coords, NDI_DTYPE_FLOAT64, 3, cshape, LAY_C);
    for (i = 0; i < 24; i++) tarr_set(&g_coords, i, (double)(i % 3));

    for (f = 0; f < F_COUNT; f++) {
        defaults(&a); EXPECT(f, a, NDI_OK, "valid");
        /* NULL pointers, ranks, shapes, strides, dtype and mode codes, orders, options:
         * the error matrix (test_error_matrix.c). Here: what is particular to these. */
        defaults(&a); a.in.dtype = NDI_DTYPE_COMPLEX64; a.in.strides = NULL;
        EXPECT(f, a, NDI_ERR_INVALID_ARRAY, "complex input, real output");
        defaults(&a); a.out.dtype = NDI_DTYPE_COMPLEX64; a.out.strides = NULL;
        EXPECT(f, a, NDI_ERR_INVALID_ARRAY, "real input, complex output");

        for (i = 0; i <= 5; i++) {
            defaults(&a);
            a.order = i;
            EXPECT(f, a, (f == F_SF && i < 2) ? NDI_ERR_INVALID_ARGUMENT : NDI_OK,
                   "orders 0..5 (spline_filter: 2..5)");
        }


        /* shapes: output rank differs (for affine_transform a 2x2 matrix with a 1-D output
         * is scipy's homogeneous [in_rank, out_rank + 1] form: valid) */
        defaults(&a); a.out.rank = 1; a.out.strides = NULL;
        EXPECT(f, a, f == F_AFFINE ? NDI_OK : NDI_ERR_SHAPE_MISMATCH,
               "output rank 1 for a 2-D input");
    }

    /* same-shape functions: output shape differs */
    bad[0] = 4; bad[1] = 3;
    for (f = F_SF1D; f <= F_SF; f++) {
        defaults(&a); a.out.shape = bad; a.out.strides = NULL;
        EXPECT(f, a, NDI_ERR_SHAPE_MISMATCH, "output shape transposed");
    }
    /* interpolation functions: an output of another shape is fine */
    for (f = F_MAP + 1; f < F_COUNT; f++) {
        defaults(&a); a.out.shape = bad; a.out.strides = NULL;
        EXPECT(f, a, NDI_OK, "output shape 4x3 from a 3x4 input");
    }
    /* empty input, non-empty output (interpolation) */
    bad[0] = 0; bad[1] = 4;
    for (f = F_AFFINE; f < F_COUNT; f++) {
        defaults(&a); a.in.shape = bad; a.in.strides = NULL;
        EXPECT(f, a, NDI_ERR_INVALID_ARRAY, "empty input, non-empty output");
    }

    /* spline_filter1d axis */
    defaults(&a); a.axis = 2; EXPECT(F_SF1D, a, NDI_ERR_INVALID_ARGUMENT, "axis 2 of rank 2");
    defaults(&a); a.axis = -3; EXPECT(F_SF1D, a, NDI_ERR_INVALID_ARGUMENT, "axis -3 of rank 2");
    defaults(&a); a.axis = INT32_MIN;
    EXPECT(F_SF1D, a, NDI_ERR_INVALID_ARGUMENT, "axis INT32_MIN");
    defaults(&a); a.axis = -1; EXPECT(F_SF1D, a, NDI_OK, "axis -1");
    defaults(&a); a.axis = -2; EXPECT(F_SF1D, a, NDI_OK, "axis -2");

    /* map_coordinates: coordinates */
    defaults(&a); a.coords_p = NULL;
    EXPECT(F_MAP, a, NDI_ERR_NULL_POINTER, "coordinates NULL");
    defaults(&a); a.coords.data = NULL;
    EXPECT(F_MAP, a, NDI_ERR_NULL_POINTER, "coordinates data NULL");
    defaults(&a); a.coords.rank = 2;
    EXPECT(F_MAP, a, NDI_ERR_SHAPE_MISMATCH, "coordinates rank 2");
    defaults(&a); a.coords.rank = 0;
    EXPECT(F_MAP, a, NDI_ERR_INVALID_ARRAY, "coordinates rank 0");
    {
        intptr_t cs[3] = {3, 3, 4}, cs2[3] = {2, 4, 3}, cneg[3] = {2, -3, 4};
        defaults(&a); a.coords.shape = cs; a.coords.strides = NULL;
        a.coords.data = malloc(3 * 12 * sizeof(double));
        memset(a.coords.data, 0, 3 * 12 * sizeof(double));
        EXPECT(F_MAP, a, NDI_ERR_SHAPE_MISMATCH, "coordinates for rank 3");
        free(a.coords.data);
        defaults(&a); a.coords.shape = cs2; a.coords.strides = NULL;
        EXPECT(F_MAP, a, NDI_ERR_SHAPE_MISMATCH, "coordinates for another output shape");
        defaults(&a); a.coords.shape = cneg; a.coords.strides = NULL;
        EXPECT(F_MAP, a, NDI_ERR_INVALID_ARRAY, "coordinates negative shape");
    }
    defaults(&a); a.coords.dtype = NDI_DTYPE_COMPLEX64;
    a.coords.strides = NULL;
    {
        intptr_t cs[3] = {2, 3, 2}, os[2] = {3, 2};
        a.coords.shape = cs;
        a.out.shape = os;
        a.out.strides = NULL;
        EXPECT(F_MAP, a, NDI_ERR_INVALID_ARRAY, "complex coordinates");
    }
    defaults(&a); a.coords.dtype = 14;
    EXPECT(F_MAP, a, NDI_ERR_INVALID_ARRAY, "coordinates dtype 14");
    {
        intptr_t cst[3] = {0, 32, 8};
        defaults(&a); a.coords.strides = cst;
        EXPECT(F_MAP, a, NDI_OK, "coordinates with a zero stride (input: allowed)");
    }

    /* affine_transform: matrix */
    defaults(&a); a.matrix = NULL;
    EXPECT(F_AFFINE, a, NDI_ERR_NULL_POINTER, "matrix NULL");
    defaults(&a); a.matrix_shape = NULL;
    EXPECT(F_AFFINE, a, NDI_ERR_NULL_POINTER, "matrix_shape NULL");
    defaults(&a); a.matrix_ndim = 0;
    EXPECT(F_AFFINE, a, NDI_ERR_INVALID_ARGUMENT, "matrix_ndim 0");
    defaults(&a); a.matrix_ndim = 3;
    EXPECT(F_AFFINE, a, NDI_ERR_INVALID_ARGUMENT, "matrix_ndim 3");
    defaults(&a); a.matrix_ndim = -1;
    EXPECT(F_AFFINE, a, NDI_ERR_INVALID_ARGUMENT, "matrix_ndim -1");
    {
        static double m9[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        static double m9bad[9] = {1, 0, 0, 0, 1, 0, 0, 1, 1};
        intptr_t ms[2];
        ms[0] = 3; ms[1] = 2;
        defaults(&a); a.matrix = m9; a.matrix_shape = ms;
        EXPECT(F_AFFINE, a, NDI_ERR_INVALID_ARGUMENT, "matrix 3x2 for rank 2");
        ms[0] = 2; ms[1] = 1;
        defaults(&a); a.matrix = m9; a.matrix_shape = ms;
        EXPECT(F_AFFINE, a, NDI_ERR_INVALID_ARGUMENT, "matrix 2x1 for output rank 2");
        ms[0] = 1; ms[1] = 2;
        defaults(&a); a.matrix = m9; a.matrix_shape = ms;
        EXPECT(F_AFFINE, a, NDI_ERR_INVALID_ARGUMENT, "matrix 1x2 for input rank 2");
        ms[0] = 3; ms[1] = 3;
        defaults(&a); a.matrix = m9bad; a.matrix_shape = ms;
        EXPECT(F_AFFINE, a, NDI_ERR_INVALID_ARGUMENT, "homogeneous matrix, bad last row");
        defaults(&a); a.matrix = m9; a.matrix_shape = ms;
        EXPECT(F_AFFINE, a, NDI_OK, "homogeneous 3x3 identity");
        ms[0] = -2; ms[1] = 2;
        defaults(&a); a.matrix_shape = ms;
        EXPECT(F_AFFINE, a, NDI_ERR_INVALID_ARGUMENT, "negative matrix dimension");
        ms[0] = 0; ms[1] = 2;
        defaults(&a); a.matrix_shape = ms;
        EXPECT(F_AFFINE, a, NDI_ERR_INVALID_ARGUMENT, "zero matrix dimension");
        ms[0] = (intptr_t)1 << 40; ms[1] = (intptr_t)1 << 40;
        defaults(&a); a.matrix_shape = ms;
        EXPECT(F_AFFINE, a, NDI_ERR_INVALID_ARGUMENT, "huge matrix dimensions");
        ms[0] = 3;
        defaults(&a); a.matrix_shape = ms; a.matrix_ndim = 1;
        EXPECT(F_AFFINE, a, NDI_ERR_INVALID_ARGUMENT, "diagonal of 3 for rank 2");
        ms[0] = 2;
        defaults(&a); a.matrix_shape = ms; a.matrix_ndim = 1; a.out.rank = 1;
        a.out.strides = NULL;
        EXPECT(F_AFFINE, a, NDI_ERR_SHAPE_MISMATCH, "diagonal with output rank 1");
        defaults(&a); a.matrix_shape = ms; a.matrix_ndim = 1; a.offset = NULL;
        EXPECT(F_AFFINE, a, NDI_OK, "diagonal, NULL offset");
    }

    /* shift: NULL shift */
    defaults(&a); a.shift = NULL; EXPECT(F_SHIFT, a, NDI_ERR_NULL_POINTER, "shift NULL");

    for (i = 0; i < 12; i++) CHECK_EQ(tarr_get(&g_in, i), (double)i);
    CHECK(tarr_gaps_untouched(&g_coords));
    tarr_free(&g_in);
    tarr_free(&g_out);
    tarr_free(&g_coords);
    tu_context[0] = '\0';
}

/* ndi_rotate by multiples of 90 degrees is an exact permutation at order 0 (scipy's
 * cosdg/sindg give exact zeros and ones there); ndi_rotate_shape swaps the plane's sizes with
 * reshape; errors for bad axes, bad shapes and NULL pointers, leaving the output untouched. */
static void test_rotate(void) {
    double in[2][3] = {{1, 2, 3}, {4, 5, 6}}, out[3][2], out3[2][3][2];
    double in3[2][2][3] = {{{1, 2, 3}, {4, 5, 6}}, {{7, 8, 9}, {10, 11, 12}}};
    intptr_t s23[2] = {2, 3}, s32[2] = {3, 2}, rs[3] = {0, 0, 0}, s223[3] = {2, 2, 3},
             s232[3] = {2, 3, 2};
    ndi_array a = {in, NDI_DTYPE_FLOAT64, 2, s23, NULL};
    ndi_array b = {out, NDI_DTYPE_FLOAT64, 2, s32, NULL};
    int i, j, k;

    CHECK_STATUS(ndi_rotate_shape(s23, 2, 90.0, 1, 0, 1, rs), NDI_OK);
    CHECK(rs[0] == 3 && rs[1] == 2);
    CHECK_STATUS(ndi_rotate_shape(s23, 2, 90.0, 1, 0, 0, rs), NDI_OK);
    CHECK(rs[0] == 2 && rs[1] == 3);
    /* out[i][j] = in at (c*i + s*j + off0, -s*i + c*j + off1) with c = 0, s = 1 after
     * centring: out[i][j] = in[j][2 - i]. */
    CHECK_STATUS(ndi_rotate(&a, &b, 90.0, 1, 0, 1, 0, NDI_MODE_CONSTANT, -1.0, 1, NULL),
                 NDI_OK);
    for (i = 0; i < 3; i++)
        for (j = 0; j < 2; j++) CHECK_EQ(out[i][j], in[j][2 - i]);
    /* The same plane in each of the two planes of a rank-3 array (axes 1 and 2). */
    {
        ndi_array a3 = {in3, NDI_DTYPE_FLOAT64, 3, s223, NULL};
        ndi_array b3 = {out3, NDI_DTYPE_FLOAT64, 3, s232, NULL};
        CHECK_STATUS(ndi_rotate(&a3, &b3, 90.0, -1, 1, 1, 0, NDI_MODE_NEAREST, 0.0, 1, NULL),
                     NDI_OK);
        for (k = 0; k < 2; k++)
            for (i = 0; i < 3; i++)
                for (j = 0; j < 2; j++) CHECK_EQ(out3[k][i][j], in3[k][j][2 - i]);
    }
    /* Errors: the output untouched. */
    for (i = 0; i < 3; i++)
        for (j = 0; j < 2; j++) out[i][j] = -99.0;
    CHECK_STATUS(ndi_rotate(&a, &b, 30.0, 1, 0, 1, 1, NDI_MODE_CONSTANT, 0.0, 1, NULL),
                 NDI_ERR_SHAPE_MISMATCH);
    CHECK_STATUS(ndi_rotate(&a, &b, 90.0, 1, 1, 1, 1, NDI_MODE_CONSTANT, 0.0, 1, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_rotate(&a, &b, 90.0, 0, 2, 1, 1, NDI_MODE_CONSTANT, 0.0, 1, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_rotate(&a, &b, 90.0, 1, 0, 1, 6, NDI_MODE_CONSTANT, 0.0, 1, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_rotate(NULL, &b, 90.0, 1, 0, 1, 1, NDI_MODE_CONSTANT, 0.0, 1, NULL),
                 NDI_ERR_NULL_POINTER);
    for (i = 0; i < 3; i++)
        for (j = 0; j < 2; j++) CHECK_EQ(out[i][j], -99.0);
    CHECK_STATUS(ndi_rotate_shape(s23, 1, 90.0, 0, 0, 1, rs), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_rotate_shape(NULL, 2, 90.0, 1, 0, 1, rs), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_rotate_shape(s23, 2, 90.0, 1, 0, 1, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_rotate_shape(s23, 0, 90.0, 1, 0, 1, rs), NDI_ERR_INVALID_ARRAY);
}

/* Regression (issue 13, defect 1): complex map_coordinates with the coordinates in the
 * output's memory gives the result of separate memory (the imaginary pass must not read
 * coordinates the real pass overwrote). */
static void test_complex_coordinates_in_output(void) {
    double in[8] = {1, 10, 2, 20, 3, 30, 4, 40}, out[4];
    double coords[2] = {0.0, 2.0}, separate[4];
    intptr_t s4[1] = {4}, s2[1] = {2}, c12[2] = {1, 2};
    ndi_array a = tu_desc(in, NDI_DTYPE_COMPLEX128, 1, s4, NULL);
    ndi_array c = tu_desc(coords, NDI_DTYPE_FLOAT64, 2, c12, NULL);
    ndi_array o = tu_desc(separate, NDI_DTYPE_COMPLEX128, 1, s2, NULL);
    ndi_array shared_c = tu_desc(out, NDI_DTYPE_FLOAT64, 2, c12, NULL);
    ndi_array shared_o = tu_desc(out, NDI_DTYPE_COMPLEX128, 1, s2, NULL);
    int k;
    TU_CTX("complex map_coordinates, coordinates in the output");
    CHECK_STATUS(ndi_map_coordinates(&a, &c, &o, 1, NDI_MODE_NEAREST, 0.0, 0, NULL), NDI_OK);
    CHECK(separate[0] == 1 && separate[1] == 10 && separate[2] == 3 && separate[3] == 30);
    out[0] = 0.0;
    out[1] = 2.0;
    out[2] = out[3] = -7.0;
    CHECK_STATUS(ndi_map_coordinates(&a, &shared_c, &shared_o, 1, NDI_MODE_NEAREST, 0.0, 0, NULL),
                 NDI_OK);
    for (k = 0; k < 4; k++) CHECK_EQ(out[k], separate[k]);
    tu_context[0] = '\0';
}

/* A diagonal matrix holding a zero is the full matrix diag(m): the same bytes in every mode
 * and order, the zero's axis sampled at its offset (scipy divides by the zero). */
static void test_diagonal_with_a_zero(void) {
    intptr_t shape[2] = {3, 4}, dshape[1] = {2}, fshape[2] = {2, 2};
    double diag[2] = {0.0, 1.5}, full[4] = {0.0, 0.0, 0.0, 1.5}, offset[2] = {1.0, -0.5};
    tarr in, a, b;
    int mode, order;
    intptr_t k;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&a, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    tarr_init(&b, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    for (k = 0; k < 12; k++) tarr_set(&in, k, test_value(k, 4));
    for (mode = NDI_MODE_REFLECT; mode <= NDI_MODE_GRID_WRAP; mode++) {
        for (order = 0; order <= 5; order++) {
            int same = 1;
            TU_CTX("diagonal {0, 1.5}, mode %d, order %d", mode, order);
            CHECK_STATUS(ndi_affine_transform(&in.arr, &a.arr, diag, dshape, 1, offset, order,
                                              mode, -3.0, 1, NULL),
                         NDI_OK);
            CHECK_STATUS(ndi_affine_transform(&in.arr, &b.arr, full, fshape, 2, offset, order,
                                              mode, -3.0, 1, NULL),
                         NDI_OK);
            for (k = 0; k < 12; k++)
                if (memcmp(tarr_ptr(&a, k), tarr_ptr(&b, k), 8) != 0) same = 0;
            CHECK_MSG(same, "diagonal and full forms differ");
            if (order <= 1) {
                /* order 0/1 at row coordinate 1.0 exactly: every output row is input row 1
                 * interpolated along the columns, whatever its own row */
                for (k = 0; k < 4; k++) CHECK_EQ(tarr_get(&a, k), tarr_get(&a, 8 + k));
            }
        }
    }
    tarr_free(&in);
    tarr_free(&a);
    tarr_free(&b);
    tu_context[0] = '\0';
}

int main(void) {
    test_diagonal_with_a_zero();
    test_complex_coordinates_in_output();
    test_spline_filter1d();
    test_spline_filter();
    test_map_coordinates();
    test_affine();
    test_shift();
    test_zoom();
    test_extreme_coordinates();
    test_affine_matrix_alias();
    test_shape_product_above_intptr_max();
    test_errors();
    test_rotate();
    return TU_DONE();
}
