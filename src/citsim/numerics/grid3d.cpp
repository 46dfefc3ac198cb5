// SPDX-License-Identifier: MIT
#include "citsim/numerics/grid3d.hpp"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace citsim::numerics {

namespace {

bool positive_finite(double value) {
  return std::isfinite(value) && value > 0;
}

}  // namespace

Grid3d::Grid3d(std::size_t nx, std::size_t ny, double dx_m, std::vector<double> dz_m)
    : m_nx(nx), m_ny(ny), m_dx_m(dx_m), m_dz_m(std::move(dz_m)) {
  if (m_nx == 0 || m_ny == 0 || m_dz_m.empty()) {
    throw std::invalid_argument("Grid3d: nx, ny and nz must be at least 1");
  }
  if (!positive_finite(m_dx_m)) {
    throw std::invalid_argument("Grid3d: dx must be finite and positive, got " +
                                std::to_string(m_dx_m));
  }
  m_z_face_m.reserve(m_dz_m.size() + 1);
  m_z_face_m.push_back(0.0);
  for (std::size_t k = 0; k < m_dz_m.size(); ++k) {
    if (!positive_finite(m_dz_m[k])) {
      throw std::invalid_argument("Grid3d: dz[" + std::to_string(k) +
                                  "] must be finite and positive, got " +
                                  std::to_string(m_dz_m[k]));
    }
    m_z_face_m.push_back(m_z_face_m.back() + m_dz_m[k]);
  }
}

std::vector<double> layered_spacing(std::span<const double> thickness_m,
                                    std::span<const std::size_t> cells) {
  if (thickness_m.size() != cells.size()) {
    throw std::invalid_argument("layered_spacing: one cell count per layer is needed");
  }
  std::vector<double> dz;
  for (std::size_t l = 0; l < cells.size(); ++l) {
    if (cells[l] == 0) throw std::invalid_argument("layered_spacing: a layer has no cells");
    for (std::size_t c = 0; c < cells[l]; ++c) {
      dz.push_back(thickness_m[l] / static_cast<double>(cells[l]));
    }
  }
  return dz;
}

}  // namespace citsim::numerics
