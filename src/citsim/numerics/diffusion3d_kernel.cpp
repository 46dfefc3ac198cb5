// SPDX-License-Identifier: MIT
#include "citsim/numerics/diffusion3d_kernel.hpp"

#include <algorithm>
#include <cmath>

namespace citsim::numerics {

ExplicitSubsteps::ExplicitSubsteps(Grid3d grid, std::vector<Material> materials,
                                   Diffusion3dBoundary boundary, bool count_only)
    : m_reference(std::move(grid), std::move(materials), boundary), m_count_only(count_only) {}

void ExplicitSubsteps::set_materials(std::vector<Material> materials) {
  m_reference.set_materials(std::move(materials));
  m_limit_known = false;
}

StepBalance ExplicitSubsteps::step(double dt_s) {
  // The limit is a pass over the grid, about one substep's cost: only when materials change.
  if (!m_limit_known) {
    m_limit_s = m_reference.stable_time_step_s();
    m_limit_known = true;
  }
  const double n = std::isfinite(m_limit_s) ? std::max(1.0, std::ceil(dt_s / m_limit_s)) : 1.0;
  const auto substeps = static_cast<std::uint64_t>(n);
  m_substeps += substeps;
  StepBalance balance;
  if (m_count_only) return balance;
  for (std::uint64_t i = 0; i < substeps; ++i) balance += m_reference.step(dt_s / n);
  return balance;
}

std::size_t diffusion3d_kernel_bytes(Diffusion3dKernelKind kind, std::size_t nx, std::size_t ny,
                                     std::size_t nz) {
  switch (kind) {
    case Diffusion3dKernelKind::implicit:
      return diffusion3d_implicit_bytes(nx, ny, nz);
    case Diffusion3dKernelKind::lod:
      return diffusion3d_bytes(nx, ny, nz, sizeof(double));
    case Diffusion3dKernelKind::explicit_reference:
    case Diffusion3dKernelKind::explicit_reference_count_only:
      break;
  }
  // The explicit reference: the field and the next field in double, and the ids.
  return nx * ny * nz * (2 * sizeof(double) + 1);
}

}  // namespace citsim::numerics
