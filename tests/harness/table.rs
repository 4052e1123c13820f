//! Every `extern "C"` entry point as one row: `row!(function: role, role, ...)`, the roles of
//! its parameters in order (fields of [`Call`], drawn by `Case::draw_role`). The rows of
//! functions that return an `ndi_status` are also the rows of the C error matrix,
//! `c-tests/entry_points.def`, with the same roles (`tests/fuzz_entry_points.rs` checks that
//! both tables list every such function of the header, alike).
//!
//! A function that returns something else than a status is a `plain!` row: its result is
//! checked for sanity and the row reports `NDI_OK`.

use super::Call;
use ndimage::capi::*;

/// One entry point.
pub struct Row {
    pub name: &'static str,
    pub roles: &'static [&'static str],
    /// Whether it returns an `ndi_status` (and sets the message).
    pub status: bool,
    /// Calls it with the roles of `c`.
    pub call: unsafe fn(&Call) -> ndi_status,
}

macro_rules! row {
    ($f:ident: $($role:ident),*) => {
        Row {
            name: stringify!($f),
            roles: &[$(stringify!($role)),*],
            status: true,
            call: {
                unsafe fn call(c: &Call) -> ndi_status {
                    // SAFETY: the harness's contract on `c` (see Case::run).
                    #[allow(unused_unsafe)]
                    unsafe {
                        $f($(c.$role),*)
                    }
                }
                call
            },
        }
    };
}

macro_rules! plain {
    ($f:ident: $($role:ident),* => |$r:ident| $check:expr) => {
        Row {
            name: stringify!($f),
            roles: &[$(stringify!($role)),*],
            status: false,
            call: {
                unsafe fn call(c: &Call) -> ndi_status {
                    let _ = c;
                    // SAFETY: the harness's contract on `c` (see Case::run).
                    #[allow(unused_unsafe)]
                    let $r = unsafe { $f($(c.$role),*) };
                    assert!($check, concat!(stringify!($f), " returned something wrong"));
                    NDI_OK
                }
                call
            },
        }
    };
}

fn c_string_ok(p: *const std::ffi::c_char) -> bool {
    // SAFETY: the library returns NUL-terminated static or thread-local strings.
    !p.is_null() && unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes().len() < 4096
}

pub static ROWS: &[Row] = &[
    plain!(ndi_last_error_message: => |r| c_string_ok(r)),
    plain!(ndi_status_string: status_code => |r| c_string_ok(r)),
    row!(ndi_set_default_threads: thread_count),
    plain!(ndi_get_default_threads: => |r| (0..=1024).contains(&r)),
    plain!(ndi_version: => |r| r == 200),
    plain!(ndi_version_string: => |r| c_string_ok(r)),
    plain!(ndi_options_init: options_out, struct_size => |_r| true),
    row!(ndi_mode_from_string: mode_name, mode_out),
    row!(ndi_generic_filter: input, output, footprint, size, origins, mode, cval, filter_cb, user_data, options),
    row!(ndi_generic_filter1d: input, output, filter_size, axis, origin, mode, cval, filter1d_cb, user_data, options),
    row!(ndi_geometric_transform: input, output_free, order, mode, cval, prefilter, transform_cb, user_data, options),
    row!(ndi_spline_filter1d: input, output, order, axis, mode, options),
    row!(ndi_spline_filter: input, output, order, mode, options),
    row!(ndi_map_coordinates: input, coordinates, output_coords, order, mode, cval, prefilter, options),
    row!(ndi_affine_transform: input, output_free, matrix, matrix_shape, matrix_ndim, offset, order, mode, cval, prefilter, options),
    row!(ndi_shift: input, output_free, shift, order, mode, cval, prefilter, options),
    row!(ndi_zoom: input, output_free, grid_mode, order, mode, cval, prefilter, options),
    row!(ndi_zoom_shape: shape, rank, zoom, out_shape, identity),
    row!(ndi_rotate_shape: shape, rank, angle, axis0, axis1, reshape, out_shape),
    row!(ndi_rotate: input, output, angle, axis0, axis1, reshape, order, mode, cval, prefilter, options),
    // linear filters
    row!(ndi_correlate1d: input, output, weights1d, axis, origin, mode, cval, options),
    row!(ndi_convolve1d: input, output, weights1d, axis, origin, mode, cval, options),
    row!(ndi_correlate: input, output, weights, origins, axes, n_axes, mode, cval, options),
    row!(ndi_convolve: input, output, weights, origins, axes, n_axes, mode, cval, options),
    row!(ndi_uniform_filter1d: input, output, filter_size, axis, origin, mode, cval, options),
    row!(ndi_uniform_filter: input, output, sizes, origins, axes, n_axes, mode, modes, cval, options),
    row!(ndi_gaussian_kernel1d: sigma, gauss_order, kernel_radius, kernel_out, length),
    row!(ndi_gaussian_filter1d: input, output, sigma, axis, gauss_order, mode, cval, truncate, radius, kernel_cb, user_data, options),
    row!(ndi_gaussian_filter: input, output, sigmas, gauss_orders, radii, axes, n_axes, mode, modes, cval, truncate, kernel_cb, user_data, options),
    row!(ndi_gaussian_laplace: input, output, sigmas, radii, axes, n_axes, mode, modes, cval, truncate, kernel_cb, user_data, options),
    row!(ndi_gaussian_gradient_magnitude: input, output, sigmas, radii, axes, n_axes, mode, modes, cval, truncate, kernel_cb, user_data, options),
    row!(ndi_sobel: input, output, axis, mode, modes, cval, options),
    row!(ndi_prewitt: input, output, axis, mode, modes, cval, options),
    row!(ndi_laplace: input, output, axes, n_axes, mode, modes, cval, options),
    row!(ndi_generic_laplace: input, output, derivative_cb, user_data, axes, n_axes, mode, modes, cval, options),
    row!(ndi_generic_gradient_magnitude: input, output, derivative_cb, user_data, axes, n_axes, mode, modes, cval, options),
    plain!(ndi_derivative_sobel: input, axis, output, mode, cval, deriv_options => |r| r == 0 || r == 1),
    plain!(ndi_derivative_prewitt: input, axis, output, mode, cval, deriv_options => |r| r == 0 || r == 1),
    // order filters and grey morphology
    row!(ndi_minimum_filter1d: input, output, filter_size, axis, origin, mode, cval, options),
    row!(ndi_maximum_filter1d: input, output, filter_size, axis, origin, mode, cval, options),
    row!(ndi_minimum_filter: input, output, footprint, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    row!(ndi_maximum_filter: input, output, footprint, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    row!(ndi_rank_filter: input, output, filter_rank, footprint, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    row!(ndi_median_filter: input, output, footprint, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    row!(ndi_percentile_filter: input, output, percentile, footprint, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    row!(ndi_grey_erosion: input, output, footprint, grey_structure, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    row!(ndi_grey_dilation: input, output, footprint, grey_structure, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    row!(ndi_grey_opening: input, output, footprint, grey_structure, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    row!(ndi_grey_closing: input, output, footprint, grey_structure, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    row!(ndi_morphological_gradient: input, output, footprint, grey_structure, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    row!(ndi_morphological_laplace: input, output, footprint, grey_structure, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    row!(ndi_white_tophat: input, output, footprint, grey_structure, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    row!(ndi_black_tophat: input, output, footprint, grey_structure, size, axes, n_axes, origins, mode_list, n_modes, cval, options),
    // Fourier filters
    row!(ndi_fourier_gaussian: input, output, fourier_sizes, fourier_n, axis, options),
    row!(ndi_fourier_uniform: input, output, fourier_sizes, fourier_n, axis, options),
    row!(ndi_fourier_ellipsoid: input, output, fourier_sizes, fourier_n, axis, options),
    row!(ndi_fourier_shift: input, output_complex, shift, fourier_n, axis, options),
    // binary morphology
    row!(ndi_binary_erosion: input, output, structure, mask, iterations, border_value, origins, options),
    row!(ndi_binary_dilation: input, output, structure, mask, iterations, border_value, origins, options),
    row!(ndi_binary_opening: input, output, structure, mask, iterations, border_value, origins, options),
    row!(ndi_binary_closing: input, output, structure, mask, iterations, border_value, origins, options),
    row!(ndi_binary_hit_or_miss: input, output, structure, structure2, origins, origins2, options),
    row!(ndi_binary_propagation: input, output, structure, mask, border_value, origins, options),
    row!(ndi_binary_fill_holes: input, output, structure, origins, options),
    // structuring elements
    row!(ndi_generate_binary_structure: structure_output, connectivity, options),
    row!(ndi_iterate_structure_shape: shape, rank, structure_iterations, out_shape),
    row!(ndi_iterate_structure: structure_in, structure_iterations, iterated_output, options),
    // distance transforms
    row!(ndi_metric_from_string: metric_name, metric_out),
    row!(ndi_distance_transform_edt: input, sampling, distances, indices, options),
    row!(ndi_distance_transform_bf: input, metric, sampling, distances, indices, options),
    row!(ndi_distance_transform_cdt: input, chamfer_metric, distances, indices, options),
    // the spline helpers of the interpolation tiles
    row!(ndi_spline_padding: order, mode, prefilter, npad),
    row!(ndi_spline_coefficients: input, coeff_output, order, mode, cval, prefilter, options),
    // vectorized_filter
    row!(ndi_vectorized_filter: input, output, footprint, size, origins, mode, cval, batch_memory, vectorized_cb, user_data, options),
    // statistics
    row!(ndi_sum_labels: input, labels, select, index, stat_output, options),
    row!(ndi_mean: input, labels, select, index, stat_output, options),
    row!(ndi_variance: input, labels, select, index, stat_output, options),
    row!(ndi_standard_deviation: input, labels, select, index, stat_output, options),
    row!(ndi_minimum: input, labels, select, index, stat_output, options),
    row!(ndi_maximum: input, labels, select, index, stat_output, options),
    row!(ndi_median: input, labels, select, index, stat_output, options),
    row!(ndi_minimum_position: input, labels, select, index, positions, options),
    row!(ndi_maximum_position: input, labels, select, index, positions, options),
    row!(ndi_extrema: input, labels, select, index, extrema_minimum, extrema_maximum, extrema_min_positions, extrema_max_positions, options),
    row!(ndi_center_of_mass: input, labels, select, index, com_output, options),
    row!(ndi_histogram: input, labels, select, index, edges, n_edges, hist_counts, group_sizes, options),
    row!(ndi_labeled_comprehension: input, labels, select, index, label_cb, user_data, pass_flags, default_value, comp_output, options),
    // labels
    row!(ndi_label: input, output, label_structure, num_labels, options),
    row!(ndi_find_objects: input, max_label, boxes, num_labels, options),
    row!(ndi_value_indices: input, ignore_value, vi_values, vi_counts, vi_indices, num_values, num_positions, options),
    row!(ndi_watershed_ift: input, markers, label_structure, output, options),
];
