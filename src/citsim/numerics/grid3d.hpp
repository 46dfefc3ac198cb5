// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace citsim::numerics {

/// A box of nx × ny × nz cells: uniform spacing dx in x and y (the box is one period of a
/// laterally periodic medium), cell thicknesses dz[k] in z that may differ from layer to layer.
/// k = 0 is the top layer (its upper face is z = 0) and z grows downwards. Cells are numbered
/// i + nx·(j + ny·k): x fastest, then y, then z.
class Grid3d {
 public:
  /// Throws std::invalid_argument when a count is zero or a spacing is not finite and positive.
  /// `dx_m`: lateral spacing (m); `dz_m`: one thickness per layer, top first (m).
  Grid3d(std::size_t nx, std::size_t ny, double dx_m, std::vector<double> dz_m);

  std::size_t nx() const { return m_nx; }
  std::size_t ny() const { return m_ny; }
  std::size_t nz() const { return m_dz_m.size(); }
  /// Number of cells, nx·ny·nz.
  std::size_t size() const { return m_nx * m_ny * m_dz_m.size(); }
  /// Cells in one horizontal plane (one k), nx·ny.
  std::size_t plane_size() const { return m_nx * m_ny; }
  /// Flat index of cell (i, j, k).
  std::size_t index(std::size_t i, std::size_t j, std::size_t k) const {
    return i + m_nx * (j + m_ny * k);
  }

  /// Lateral spacing (m).
  double dx_m() const { return m_dx_m; }
  /// Thickness of layer k (m).
  double dz_m(std::size_t k) const { return m_dz_m[k]; }
  /// All thicknesses, top first (m).
  std::span<const double> dz_m() const { return m_dz_m; }
  /// Depth of the upper face of layer k (m); k = nz gives the depth of the bottom face.
  double z_face_m(std::size_t k) const { return m_z_face_m[k]; }
  /// Depth of the centre of layer k (m).
  double z_centre_m(std::size_t k) const { return m_z_face_m[k] + 0.5 * m_dz_m[k]; }
  /// Lateral extent of the box in x and in y (m).
  double length_x_m() const { return m_dx_m * static_cast<double>(m_nx); }
  double length_y_m() const { return m_dx_m * static_cast<double>(m_ny); }
  /// Depth of the bottom face (m).
  double depth_m() const { return m_z_face_m.back(); }
  /// Horizontal area of one column of cells, dx² (m²).
  double column_area_m2() const { return m_dx_m * m_dx_m; }
  /// Volume of a cell of layer k (m³).
  double cell_volume_m3(std::size_t k) const { return m_dx_m * m_dx_m * m_dz_m[k]; }

 private:
  std::size_t m_nx;
  std::size_t m_ny;
  double m_dx_m;
  std::vector<double> m_dz_m;
  std::vector<double> m_z_face_m;
};

/// Thicknesses that resolve layers of different thickness: layer l of `thickness_m[l]` (m) is cut
/// into `cells[l]` equal cells. Throws std::invalid_argument on mismatched sizes or zero counts.
std::vector<double> layered_spacing(std::span<const double> thickness_m,
                                    std::span<const std::size_t> cells);

}  // namespace citsim::numerics
