/* Tiles of the interpolation functions: ndi_options' output and input regions,
 * NDI_FLAG_PREFILTERED, ndi_spline_coefficients and ndi_spline_padding.
 *
 * A tile of the output computed from a box of the whole input's coefficients must equal the
 * whole call's values there, byte for byte (the whole call is the reference: the tile call
 * must do exactly its arithmetic). Bad regions, regions that do not cover the support, NULL
 * pointers and options given to functions without tiles are errors that write nothing. */
#include "test_util.h"

#include <stddef.h>

#define ROWS 12
#define COLS 10

static const int MODES[] = {NDI_MODE_REFLECT,       NDI_MODE_CONSTANT,   NDI_MODE_NEAREST,
                            NDI_MODE_MIRROR,        NDI_MODE_WRAP,       NDI_MODE_GRID_CONSTANT,
                            NDI_MODE_GRID_MIRROR,   NDI_MODE_GRID_WRAP};
#define NMODES ((int)(sizeof MODES / sizeof MODES[0]))

static double input_value(intptr_t k) {
    return (double)((k * 37 + (k * k) % 11) % 29) * 0.75 - 7.0;
}

static ndi_options tile_options(const intptr_t *out_origin, const intptr_t *out_shape,
                                const intptr_t *in_origin, const intptr_t *in_shape,
                                int prefiltered) {
    ndi_options o;
    ndi_options_init(&o, sizeof o);
    o.threads = 2;
    o.output_origin = out_origin;
    o.output_shape = out_shape;
    o.input_origin = in_origin;
    o.input_shape = in_shape;
    if (prefiltered) o.flags |= NDI_FLAG_PREFILTERED;
    return o;
}

/* A box of a C-contiguous float64 array of shape `whole` (rank 2): a view into its memory. */
static ndi_array box_of(double *data, const intptr_t *whole, const intptr_t *origin,
                        const intptr_t *shape, intptr_t *strides) {
    strides[0] = whole[1] * (intptr_t)sizeof(double);
    strides[1] = (intptr_t)sizeof(double);
    return tu_desc(data + origin[0] * whole[1] + origin[1], NDI_DTYPE_FLOAT64, 2, shape, strides);
}

/* Whether the tile (out, shape `shape` at `origin` of the whole output `ref`) holds the
 * whole output's bytes. */
static int tile_matches(const tarr *out, const double *ref, const intptr_t *whole,
                        const intptr_t *origin) {
    intptr_t k;
    for (k = 0; k < out->len; k++) {
        intptr_t i = k / out->shape[1], j = k % out->shape[1];
        double want = ref[(origin[0] + i) * whole[1] + origin[1] + j];
        double got = tarr_get(out, k);
        if (memcmp(&want, &got, sizeof got) != 0) return 0;
    }
    return tarr_gaps_untouched(out);
}

static int shift_call(const ndi_array *in, const ndi_array *out, int order, int mode,
                      const ndi_options *o) {
    static const double shift[2] = {1.75, -2.5};
    return ndi_shift(in, out, shift, order, mode, 1.5, 1, o);
}

static intptr_t clamp(intptr_t v, intptr_t lo, intptr_t hi) {
    return v < lo ? lo : (v > hi ? hi : v);
}

/* Every mode and order: tiles of a shift from boxes of the coefficients, then the box one
 * sample too small (an error naming the point, nothing written). */
static void shift_tiles(void) {
    static const intptr_t shape[2] = {ROWS, COLS};
    static const intptr_t cuts[2][4] = {{0, 5, 6, ROWS}, {0, 3, 8, COLS}};
    double values[ROWS * COLS];
    tarr in;
    intptr_t k;
    int m, order;
    tarr_init(&in, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
    for (k = 0; k < in.len; k++) values[k] = input_value(k);
    tarr_fill(&in, values);
    for (m = 0; m < NMODES; m++) {
        for (order = 0; order <= 5; order++) {
            int mode = MODES[m], wraps = mode == NDI_MODE_WRAP || mode == NDI_MODE_GRID_WRAP;
            intptr_t npad = -1, whole[2], ti, tj;
            double ref[ROWS * COLS], *coeffs;
            ndi_array ref_desc = tu_desc(ref, NDI_DTYPE_FLOAT64, 2, shape, NULL), cdesc;
            TU_CTX("mode %d order %d", mode, order);
            CHECK_STATUS(shift_call(&in.arr, &ref_desc, order, mode, NULL), NDI_OK);
            CHECK_STATUS(ndi_spline_padding(order, mode, 1, &npad), NDI_OK);
            CHECK(npad == ((order > 1 && (mode == NDI_MODE_NEAREST ||
                                          mode == NDI_MODE_GRID_CONSTANT)) ? 12 : 0));
            whole[0] = ROWS + 2 * npad;
            whole[1] = COLS + 2 * npad;
            coeffs = (double *)malloc(sizeof(double) * (size_t)(whole[0] * whole[1]));
            cdesc = tu_desc(coeffs, NDI_DTYPE_FLOAT64, 2, whole, NULL);
            CHECK_STATUS(ndi_spline_coefficients(&in.arr, &cdesc, order, mode, 1.5, 1, NULL),
                         NDI_OK);
            for (ti = 0; ti < 3; ti++) {
                for (tj = 0; tj < 3; tj++) {
                    intptr_t origin[2] = {cuts[0][ti], cuts[1][tj]};
                    intptr_t tshape[2] = {cuts[0][ti + 1] - cuts[0][ti],
                                          cuts[1][tj + 1] - cuts[1][tj]};
                    intptr_t box_origin[2], box_shape[2], bstrides[2];
                    int a, layout = (int)((ti * 3 + tj) % LAY_COUNT);
                    ndi_options o;
                    ndi_array box;
                    tarr out;
                    /* The tile's coordinates (i + (-shift)) plus the support and a sample;
                     * the mode's reflections stay near the edges; wrapping reads the axis. */
                    for (a = 0; a < 2; a++) {
                        double s = a == 0 ? 1.75 : -2.5;
                        intptr_t lo = (intptr_t)floor(origin[a] - s) + npad - order / 2 - 2;
                        intptr_t hi = (intptr_t)floor(origin[a] + tshape[a] - 1 - s) + npad +
                                      order - order / 2 + 2;
                        lo = clamp(lo, 0, whole[a] - 1);
                        hi = clamp(hi, 0, whole[a] - 1);
                        if (mode == NDI_MODE_MIRROR || mode == NDI_MODE_REFLECT ||
                            mode == NDI_MODE_GRID_MIRROR || mode == NDI_MODE_CONSTANT) {
                            /* Near an edge, coordinates and supports reflect back in: a
                             * band of (shift + support + margin) samples from that edge. */
                            intptr_t band = 3 + order + 5;
                            if (lo <= band) {
                                lo = 0;
                                hi = hi > 2 * band ? hi : clamp(2 * band, 0, whole[a] - 1);
                            }
                            if (hi >= whole[a] - 1 - band) {
                                hi = whole[a] - 1;
                                lo = lo < whole[a] - 1 - 2 * band ? lo
                                                                  : clamp(whole[a] - 1 - 2 * band,
                                                                          0, whole[a] - 1);
                            }
                        }
                        if (wraps) {
                            lo = 0;
                            hi = whole[a] - 1;
                        }
                        box_origin[a] = lo;
                        box_shape[a] = hi - lo + 1;
                    }
                    TU_CTX("mode %d order %d tile %d,%d layout %s box %d+%d, %d+%d", mode,
                           order, (int)origin[0], (int)origin[1], tu_layout_name(layout),
                           (int)box_origin[0], (int)box_shape[0], (int)box_origin[1],
                           (int)box_shape[1]);
                    box = box_of(coeffs, whole, box_origin, box_shape, bstrides);
                    o = tile_options(origin, shape, box_origin, whole, 1);
                    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, tshape, layout);
                    CHECK_STATUS(shift_call(&box, &out.arr, order, mode, &o), NDI_OK);
                    CHECK(tile_matches(&out, ref, shape, origin));
                    /* One sample less of the box on a side it needs: an error, nothing
                     * written. Shrinking the low side of an interior tile is such a side. */
                    if (!wraps && box_origin[0] > 0 && box_shape[0] > 1) {
                        intptr_t smaller_origin[2] = {box_origin[0] + order + 3, box_origin[1]};
                        intptr_t smaller_shape[2] = {box_shape[0] - order - 3, box_shape[1]};
                        if (smaller_shape[0] > 0) {
                            box = box_of(coeffs, whole, smaller_origin, smaller_shape, bstrides);
                            o = tile_options(origin, shape, smaller_origin, whole, 1);
                            tarr_reset(&out);
                            CHECK_STATUS(shift_call(&box, &out.arr, order, mode, &o),
                                         NDI_ERR_INVALID_ARGUMENT);
                            CHECK_MESSAGE_HAS("outside the input box");
                            CHECK(tarr_untouched(&out));
                        }
                    }
                    tarr_free(&out);
                }
            }
            free(coeffs);
        }
    }
    TU_CTX("%s", "");
    tarr_free(&in);
}

/* The other interpolations: one interior tile each, from the whole coefficients (input region
 * = the whole array) and from a box. */
static void other_tiles(void) {
    static const intptr_t shape[2] = {ROWS, COLS};
    static const intptr_t oshape[2] = {15, 13};
    static const intptr_t tshape[2] = {5, 4};
    static const intptr_t origin[2] = {6, 5};
    static const double matrix[4] = {0.8, 0.25, -0.2, 0.9};
    static const intptr_t matrix_shape[2] = {2, 2};
    static const double offset[2] = {0.5, -1.0};
    static const int mode = NDI_MODE_NEAREST, order = 3;
    double values[ROWS * COLS], ref[15 * 15], *coeffs; /* the largest output: rotate, 15 x 15 */
    intptr_t k, npad = 0, whole[2], zero[2] = {0, 0}, rotated[2], bstrides[2];
    ndi_array in = tu_desc(values, NDI_DTYPE_FLOAT64, 2, shape, NULL), cdesc, box;
    ndi_array ref_desc, tile_desc;
    double tile[5 * 4];
    ndi_options o;
    int f;
    for (k = 0; k < ROWS * COLS; k++) values[k] = input_value(k);
    CHECK_STATUS(ndi_spline_padding(order, mode, 1, &npad), NDI_OK);
    whole[0] = ROWS + 2 * npad;
    whole[1] = COLS + 2 * npad;
    coeffs = (double *)malloc(sizeof(double) * (size_t)(whole[0] * whole[1]));
    cdesc = tu_desc(coeffs, NDI_DTYPE_FLOAT64, 2, whole, NULL);
    CHECK_STATUS(ndi_spline_coefficients(&in, &cdesc, order, mode, 0.0, 1, NULL), NDI_OK);
    CHECK_STATUS(ndi_rotate_shape(shape, 2, 30.0, 1, 0, 1, rotated), NDI_OK);
    tile_desc = tu_desc(tile, NDI_DTYPE_FLOAT64, 2, tshape, NULL);
    for (f = 0; f < 4; f++) {
        const intptr_t *os = f == 3 ? rotated : oshape;
        int use_box;
        ref_desc = tu_desc(ref, NDI_DTYPE_FLOAT64, 2, os, NULL);
        TU_CTX("function %d", f);
        switch (f) {
        case 0: CHECK_STATUS(ndi_zoom(&in, &ref_desc, 0, order, mode, 0.0, 1, NULL), NDI_OK); break;
        case 1: CHECK_STATUS(ndi_zoom(&in, &ref_desc, 1, order, mode, 0.0, 1, NULL), NDI_OK); break;
        case 2:
            CHECK_STATUS(ndi_affine_transform(&in, &ref_desc, matrix, matrix_shape, 2, offset,
                                              order, mode, 0.0, 1, NULL), NDI_OK);
            break;
        default:
            CHECK_STATUS(ndi_rotate(&in, &ref_desc, 30.0, 1, 0, 1, order, mode, 0.0, 1, NULL),
                         NDI_OK);
        }
        for (use_box = 0; use_box < 2; use_box++) {
            /* The box: the coefficients the tile reads lie well inside 4..whole-4. */
            intptr_t box_origin[2] = {4, 4};
            intptr_t box_shape[2] = {whole[0] - 8, whole[1] - 8};
            int status;
            if (!use_box) {
                box_origin[0] = box_origin[1] = 0;
                box_shape[0] = whole[0];
                box_shape[1] = whole[1];
            }
            box = box_of(coeffs, whole, box_origin, box_shape, bstrides);
            o = tile_options(origin, os, use_box ? box_origin : zero, whole, 1);
            memset(tile, 0, sizeof tile);
            switch (f) {
            case 0: status = ndi_zoom(&box, &tile_desc, 0, order, mode, 0.0, 1, &o); break;
            case 1: status = ndi_zoom(&box, &tile_desc, 1, order, mode, 0.0, 1, &o); break;
            case 2:
                status = ndi_affine_transform(&box, &tile_desc, matrix, matrix_shape, 2, offset,
                                              order, mode, 0.0, 1, &o);
                break;
            default:
                status = ndi_rotate(&box, &tile_desc, 30.0, 1, 0, 1, order, mode, 0.0, 1, &o);
            }
            CHECK_STATUS(status, NDI_OK);
            for (k = 0; k < 20; k++) {
                double want = ref[(origin[0] + k / 4) * os[1] + origin[1] + k % 4];
                CHECK_MSG(memcmp(&want, &tile[k], sizeof want) == 0, "element %d: %.17g vs %.17g",
                          (int)k, tile[k], want);
            }
        }
    }
    TU_CTX("%s", "");
    free(coeffs);
}

/* Tiles of map_coordinates (the coordinates of the tile, in the whole input) and of
 * geometric_transform (the mapping receives whole-output indices). */
static int mapping_shift(intptr_t *out, double *in, int out_rank, int in_rank, void *data) {
    (void)out_rank;
    (void)in_rank;
    (void)data;
    in[0] = (double)out[0] * 0.75 + 0.5;
    in[1] = (double)out[1] * 0.5 - 0.25;
    return 1;
}

static void coordinate_tiles(void) {
    static const intptr_t shape[2] = {ROWS, COLS};
    static const intptr_t oshape[2] = {9, 8};
    static const intptr_t tshape[2] = {3, 5};
    static const intptr_t origin[2] = {4, 2};
    static const intptr_t cshape[3] = {2, 3, 5};
    double values[ROWS * COLS], ref[9 * 8], tile[15], coords[2 * 15];
    intptr_t k, zero[2] = {0, 0}, in_origin[2] = {2, 0}, in_box[2] = {ROWS - 2, COLS};
    ndi_array in = tu_desc(values, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    ndi_array ref_desc = tu_desc(ref, NDI_DTYPE_FLOAT64, 2, oshape, NULL);
    ndi_array tile_desc = tu_desc(tile, NDI_DTYPE_FLOAT64, 2, tshape, NULL);
    ndi_array cdesc = tu_desc(coords, NDI_DTYPE_FLOAT64, 3, cshape, NULL);
    ndi_array box = tu_desc(values + 2 * COLS, NDI_DTYPE_FLOAT64, 2, in_box, NULL);
    ndi_options o;
    for (k = 0; k < ROWS * COLS; k++) values[k] = input_value(k);
    /* Order 1 without the prefilter reads the raw input: a box of it is a tile's input. */
    CHECK_STATUS(ndi_geometric_transform(&in, &ref_desc, 1, NDI_MODE_MIRROR, 0.0, 0,
                                         mapping_shift, NULL, NULL), NDI_OK);
    for (k = 0; k < 15; k++) {
        intptr_t i = origin[0] + k / 5, j = origin[1] + k % 5;
        coords[k] = (double)i * 0.75 + 0.5;
        coords[15 + k] = (double)j * 0.5 - 0.25;
    }
    o = tile_options(origin, oshape, in_origin, shape, 0);
    CHECK_STATUS(ndi_map_coordinates(&box, &cdesc, &tile_desc, 1, NDI_MODE_MIRROR, 0.0, 0, &o),
                 NDI_OK);
    for (k = 0; k < 15; k++) CHECK_EQ(tile[k], ref[(origin[0] + k / 5) * 8 + origin[1] + k % 5]);
    memset(tile, 0, sizeof tile);
    CHECK_STATUS(ndi_geometric_transform(&box, &tile_desc, 1, NDI_MODE_MIRROR, 0.0, 0,
                                         mapping_shift, NULL, &o), NDI_OK);
    for (k = 0; k < 15; k++) CHECK_EQ(tile[k], ref[(origin[0] + k / 5) * 8 + origin[1] + k % 5]);
    /* A box that misses rows the tile reads: map_coordinates checks first (nothing
     * written); geometric_transform stops at the point (the elements before are written). */
    in_origin[0] = 5;
    in_box[0] = ROWS - 5;
    box = tu_desc(values + 5 * COLS, NDI_DTYPE_FLOAT64, 2, in_box, NULL);
    o = tile_options(origin, oshape, in_origin, shape, 0);
    for (k = 0; k < 15; k++) tile[k] = -99.0;
    CHECK_STATUS(ndi_map_coordinates(&box, &cdesc, &tile_desc, 1, NDI_MODE_MIRROR, 0.0, 0, &o),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("output index [4, 2] reads input index 3 on axis 0");
    for (k = 0; k < 15; k++) CHECK_EQ(tile[k], -99.0);
    CHECK_STATUS(ndi_geometric_transform(&box, &tile_desc, 1, NDI_MODE_MIRROR, 0.0, 0,
                                         mapping_shift, NULL, &o), NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("outside the input box");
    (void)zero;
}

/* Argument errors: nothing is written. */
static void errors(void) {
    static const intptr_t shape[2] = {ROWS, COLS};
    static const intptr_t small[2] = {20, 20};
    static const intptr_t tshape[2] = {4, 4};
    intptr_t origin[2] = {2, 2}, bad_origin[2] = {-1, 0}, far[2] = {10, 0};
    intptr_t cshape[2] = {ROWS + 24, COLS + 24}, npad = 0;
    double values[ROWS * COLS];
    tarr out, coeffs;
    ndi_array in = tu_desc(values, NDI_DTYPE_FLOAT64, 2, shape, NULL);
    ndi_options o;
    intptr_t k;
    for (k = 0; k < ROWS * COLS; k++) values[k] = input_value(k);
    tarr_init(&out, NDI_DTYPE_FLOAT64, 2, tshape, LAY_C);
    TU_CTX("%s", "only one of the output region's arrays");
    o = tile_options(origin, NULL, NULL, NULL, 0);
    CHECK_STATUS(shift_call(&in, &out.arr, 3, NDI_MODE_MIRROR, &o), NDI_ERR_NULL_POINTER);
    CHECK_MESSAGE_HAS("output_shape");
    CHECK(tarr_untouched(&out));
    TU_CTX("%s", "only one of the input region's arrays");
    o = tile_options(NULL, NULL, NULL, shape, 1);
    CHECK_STATUS(shift_call(&in, &out.arr, 3, NDI_MODE_MIRROR, &o), NDI_ERR_NULL_POINTER);
    CHECK(tarr_untouched(&out));
    TU_CTX("%s", "negative origin");
    o = tile_options(bad_origin, shape, NULL, NULL, 0);
    CHECK_STATUS(shift_call(&in, &out.arr, 3, NDI_MODE_MIRROR, &o), NDI_ERR_INVALID_ARGUMENT);
    CHECK(tarr_untouched(&out));
    TU_CTX("%s", "output box beyond the whole output");
    o = tile_options(far, shape, NULL, NULL, 0);
    CHECK_STATUS(shift_call(&in, &out.arr, 3, NDI_MODE_MIRROR, &o), NDI_ERR_SHAPE_MISMATCH);
    CHECK(tarr_untouched(&out));
    TU_CTX("%s", "input box beyond the whole input");
    o = tile_options(NULL, NULL, far, shape, 0);
    CHECK_STATUS(shift_call(&in, &out.arr, 1, NDI_MODE_MIRROR, &o), NDI_ERR_SHAPE_MISMATCH);
    CHECK(tarr_untouched(&out));
    TU_CTX("%s", "an input region needs prefiltered coefficients (order > 1)");
    o = tile_options(NULL, NULL, origin, small, 0);
    CHECK_STATUS(shift_call(&in, &out.arr, 3, NDI_MODE_MIRROR, &o), NDI_ERR_INVALID_ARGUMENT);
    CHECK_MESSAGE_HAS("NDI_FLAG_PREFILTERED");
    CHECK(tarr_untouched(&out));
    TU_CTX("%s", "prefiltered coefficients smaller than their padding");
    o = tile_options(NULL, NULL, NULL, NULL, 1);
    {
        intptr_t tiny[2] = {20, 20};
        ndi_array t = tu_desc(values, NDI_DTYPE_FLOAT64, 2, tiny, NULL);
        tiny[0] = 4;
        tiny[1] = 30;
        t.shape = tiny;
        CHECK_STATUS(shift_call(&t, &out.arr, 3, NDI_MODE_NEAREST, &o), NDI_ERR_SHAPE_MISMATCH);
        CHECK(tarr_untouched(&out));
    }
    TU_CTX("%s", "tiles given to functions that take none");
    o = tile_options(origin, small, NULL, NULL, 0);
    {
        tarr full;
        tarr_init(&full, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
        CHECK_STATUS(ndi_spline_filter1d(&in, &full.arr, 3, 0, NDI_MODE_MIRROR, &o),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK_MESSAGE_HAS("takes no regions");
        CHECK(tarr_untouched(&full));
        o = tile_options(NULL, NULL, NULL, NULL, 1);
        CHECK_STATUS(ndi_spline_filter(&in, &full.arr, 3, NDI_MODE_MIRROR, &o),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK(tarr_untouched(&full));
        CHECK_STATUS(ndi_spline_coefficients(&in, &full.arr, 1, NDI_MODE_MIRROR, 0.0, 1, &o),
                     NDI_ERR_INVALID_ARGUMENT);
        CHECK(tarr_untouched(&full));
        tarr_free(&full);
    }
    TU_CTX("%s", "an older options struct: no regions");
    {
        ndi_options old;
        tarr full;
        ndi_options_init(&old, offsetof(ndi_options, output_origin));
        old.output_origin = far; /* beyond the struct the library reads: ignored */
        tarr_init(&full, NDI_DTYPE_FLOAT64, 2, shape, LAY_C);
        CHECK_STATUS(shift_call(&in, &full.arr, 3, NDI_MODE_MIRROR, &old), NDI_OK);
        tarr_free(&full);
    }
    TU_CTX("%s", "ndi_spline_padding arguments");
    CHECK_STATUS(ndi_spline_padding(3, NDI_MODE_NEAREST, 1, NULL), NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_spline_padding(6, NDI_MODE_NEAREST, 1, &npad), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_spline_padding(-1, NDI_MODE_NEAREST, 1, &npad), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_spline_padding(3, NDI_DTYPE_FLOAT64, 1, &npad), NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_spline_padding(3, NDI_MODE_NEAREST, 0, &npad), NDI_OK);
    CHECK(npad == 0);
    TU_CTX("%s", "ndi_spline_coefficients arguments");
    tarr_init(&coeffs, NDI_DTYPE_FLOAT64, 2, cshape, LAY_C);
    CHECK_STATUS(ndi_spline_coefficients(NULL, &coeffs.arr, 3, NDI_MODE_NEAREST, 0.0, 1, NULL),
                 NDI_ERR_NULL_POINTER);
    CHECK_STATUS(ndi_spline_coefficients(&in, NULL, 3, NDI_MODE_NEAREST, 0.0, 1, NULL),
                 NDI_ERR_NULL_POINTER);
    /* The shape without the padding, a wrong type, a bad order or mode. */
    CHECK_STATUS(ndi_spline_coefficients(&in, &coeffs.arr, 3, NDI_MODE_MIRROR, 0.0, 1, NULL),
                 NDI_ERR_SHAPE_MISMATCH);
    CHECK(tarr_untouched(&coeffs));
    tarr_free(&coeffs);
    tarr_init(&coeffs, NDI_DTYPE_FLOAT32, 2, cshape, LAY_C);
    CHECK_STATUS(ndi_spline_coefficients(&in, &coeffs.arr, 3, NDI_MODE_NEAREST, 0.0, 1, NULL),
                 NDI_ERR_INVALID_ARRAY);
    CHECK_STATUS(ndi_spline_coefficients(&in, &coeffs.arr, 7, NDI_MODE_NEAREST, 0.0, 1, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(ndi_spline_coefficients(&in, &coeffs.arr, 3, 12345, 0.0, 1, NULL),
                 NDI_ERR_INVALID_ARGUMENT);
    CHECK(tarr_untouched(&coeffs));
    tarr_free(&coeffs);
    TU_CTX("%s", "rotate of rank 3: the boxes must agree outside the plane");
    {
        intptr_t s3[3] = {2, ROWS, COLS / 2}, t3[3] = {1, 4, 4}, o3[3] = {1, 2, 0};
        intptr_t i3[3] = {0, 0, 0}, w3[3], rot[3];
        tarr out3;
        ndi_array in3 = tu_desc(values, NDI_DTYPE_FLOAT64, 3, s3, NULL);
        CHECK_STATUS(ndi_rotate_shape(s3, 3, 20.0, 2, 1, 1, rot), NDI_OK);
        w3[0] = 2;
        w3[1] = ROWS;
        w3[2] = COLS / 2;
        tarr_init(&out3, NDI_DTYPE_FLOAT64, 3, t3, LAY_C);
        o = tile_options(o3, rot, i3, w3, 0);
        CHECK_STATUS(ndi_rotate(&in3, &out3.arr, 20.0, 2, 1, 1, 1, NDI_MODE_CONSTANT, 0.0, 0, &o),
                     NDI_ERR_SHAPE_MISMATCH);
        CHECK_MESSAGE_HAS("outside the rotation plane");
        CHECK(tarr_untouched(&out3));
        tarr_free(&out3);
    }
    TU_CTX("%s", "");
    tarr_free(&out);
}

int main(void) {
    shift_tiles();
    other_tiles();
    coordinate_tiles();
    errors();
    return TU_DONE();
}
