// SPDX-License-Identifier: MIT
#include "citsim/numerics/diffusion3d_problem.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace citsim::numerics {

namespace {

bool finite_non_negative(double value) {
  return std::isfinite(value) && value >= 0;
}

}  // namespace

void validate_materials(std::span<const Material> materials) {
  if (materials.empty() || materials.size() > k_max_materials) {
    throw std::invalid_argument("diffusion: between 1 and 256 materials are needed, got " +
                                std::to_string(materials.size()));
  }
  for (std::size_t m = 0; m < materials.size(); ++m) {
    const Material& material = materials[m];
    const std::string which = "diffusion: material " + std::to_string(m) + ": ";
    if (!std::isfinite(material.storage) || material.storage <= 0) {
      throw std::invalid_argument(which + "storage must be positive, got " +
                                  std::to_string(material.storage));
    }
    if (!finite_non_negative(material.conductivity_m2_s) ||
        !finite_non_negative(material.sink_rate_1_s) ||
        !finite_non_negative(material.top_exchange)) {
      throw std::invalid_argument(which +
                                  "conductivity, sink rate and top exchange must be "
                                  "finite and non-negative");
    }
  }
}

void validate_material_ids(std::span<const std::uint8_t> ids, std::size_t material_count) {
  const auto bad = std::find_if(ids.begin(), ids.end(), [material_count](std::uint8_t id) {
    return static_cast<std::size_t>(id) >= material_count;
  });
  if (bad != ids.end()) {
    throw std::invalid_argument("diffusion: voxel " + std::to_string(bad - ids.begin()) +
                                " has material id " + std::to_string(static_cast<int>(*bad)) +
                                " but only " + std::to_string(material_count) +
                                " materials are defined");
  }
}

namespace detail {

bool outside_inactive_parallel_regions() {
  return omp_get_level() == omp_get_active_level();
}

ScratchSizes scratch_sizes(std::size_t nx, std::size_t ny, std::size_t nz, std::size_t real_bytes) {
  const std::size_t x_lines = std::min(x_block(real_bytes), ny);
  const std::size_t y_lanes = std::min(k_y_strip, nx);
  const std::size_t z_lanes = std::min(k_z_strip, nx);
  ScratchSizes sizes;
  sizes.upper = std::max({nx * x_lines, ny * y_lanes, nz * z_lanes});
  sizes.correction = std::max(nx * x_lines, ny * y_lanes);
  sizes.gathered = nx * x_lines;
  sizes.lanes = std::max({x_lines, y_lanes, z_lanes});
  sizes.sums = z_lanes;
  // A block sets at most a quarter of its lines aside.
  sizes.odd = std::max(nx * x_lines, ny * y_lanes) / 4;
  return sizes;
}

}  // namespace detail

std::size_t diffusion3d_bytes(std::size_t nx, std::size_t ny, std::size_t nz,
                              std::size_t real_bytes, std::size_t threads, std::size_t materials) {
  const std::size_t cells = nx * ny * nz;
  // Four coefficient tables of k_max_materials reals, the face tables, dz and dz/2 in the
  // kernel's type, one balance (three doubles) per y-plane.
  const std::size_t faces = materials * materials * (nz > 0 ? nz : 1) + 2 * materials;
  const std::size_t fixed = cells * (real_bytes + 1) + 4 * k_max_materials * real_bytes +
                            faces * real_bytes + 2 * nz * real_bytes + ny * 3 * sizeof(double);
  const detail::ScratchSizes s = detail::scratch_sizes(nx, ny, nz, real_bytes);
  // The odd lines' factors (x or y lines): five reals and an id per cell of each line kept,
  // and the key being looked up.
  const std::size_t per_thread =
      (s.upper + s.correction + s.gathered + detail::k_lane_arrays * s.lanes + s.odd) * real_bytes +
      s.gathered + s.odd + s.sums * sizeof(double) +
      (detail::k_odd_line_tables * (5 * real_bytes + 1) + 1) * std::max(nx, ny);
  // The two-pass step: every column's class, each (row, strip)'s shared class, three balance
  // sums per part of a plane and column of x, per strip at most max_column_classes(strip·ny)
  // classes (trie nodes of 16 bytes and their leaf numbers, twice for the vectors' growth; the
  // rows' shared prefixes; sequences and the factor tables), and what the two parts of a plane
  // hand each other, for even and odd planes (the lines set aside, a plane of reals at most,
  // and five reals per column).
  const std::size_t strip = detail::k_two_pass_strip;
  const std::size_t strips = (nx + strip - 1) / strip;
  const std::size_t classes = std::max<std::size_t>(64, strip * ny / 16);
  const std::size_t nodes = classes * nz + 1;
  const std::size_t two_pass = nx * ny * 4 + ny * strips * 4 + 2 * 3 * nx * sizeof(double) +
                               strips * (nodes * (2 * 16 + 2 * 4) + ny * 4 + classes * nz +
                                         (4 * nz + 2) * classes * real_bytes) +
                               2 * (nx * ny + 5 * nx) * real_bytes;
  // Each thread's plane sweep: three reals and two bytes per column, a few words per strip, and
  // the lines it solves apart (reals and ids, a plane at most).
  const std::size_t plane_sweep =
      nx * (3 * real_bytes + 2) + strips * 64 + nx * ny * (real_bytes + 1);
  return fixed + threads * (per_thread + plane_sweep) + two_pass;
}

void check_diffusion3d_memory(std::size_t nx, std::size_t ny, std::size_t nz,
                              std::size_t real_bytes, std::size_t budget_bytes) {
  const std::size_t needed = diffusion3d_bytes(nx, ny, nz, real_bytes);
  if (needed > budget_bytes) {
    throw std::length_error("the 3D diffusion grid of " + std::to_string(nx) + " x " +
                            std::to_string(ny) + " x " + std::to_string(nz) + " cells needs " +
                            std::to_string(needed) + " bytes, more than the budget of " +
                            std::to_string(budget_bytes) + " bytes");
  }
}

}  // namespace citsim::numerics
