// SPDX-License-Identifier: MIT
// Small heterogeneous problems shared by the diffusion3d tests.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "citsim/numerics/diffusion3d_problem.hpp"
#include "citsim/numerics/grid3d.hpp"

namespace citsim::numerics::testing {

/// Material ids of the layered pattern below.
enum : std::uint8_t { k_bulk = 0, k_barrier = 1, k_channel = 2, k_deep = 3 };

/// Skin-like contrasts: a thin, poorly conducting top layer (100× thinner cells than the deep
/// ones), vertical channels that conduct 10⁴× better, a sink in the deep layers.
inline std::vector<Material> stiff_materials() {
  return {{1.0, 1e-11, 0.0, 0.0},    // bulk: no direct surface exchange
          {3.0, 1e-14, 0.0, 1.0},    // barrier (partitions 3×, conducts 1000× less)
          {1.0, 1e-10, 0.0, 1.0},    // open channel
          {0.8, 2e-11, 2e-3, 0.0}};  // deep tissue with clearance
}

/// The same pattern with mild contrasts, for comparisons with the explicit reference.
inline std::vector<Material> mild_materials() {
  return {{1.0, 1e-11, 0.0, 0.2},
          {2.0, 3e-12, 0.0, 1.0},
          {1.0, 4e-11, 0.0, 1.0},
          {0.8, 2e-11, 5e-3, 0.0}};
}

/// Layers: `top` cells of `top_dz_m`, then cells growing geometrically to 100× that size.
inline std::vector<double> graded_dz(std::size_t top, std::size_t below, double top_dz_m,
                                     double growth) {
  std::vector<double> dz(top, top_dz_m);
  double next = top_dz_m;
  for (std::size_t k = 0; k < below; ++k) {
    next = std::min(next * growth, 100 * top_dz_m);
    dz.push_back(next);
  }
  return dz;
}

/// Barrier in the top `barrier_layers`, channels in a few columns down to `channel_layers`,
/// sink material from `deep_layer` down.
inline void paint_layers(const Grid3d& grid, std::span<std::uint8_t> ids,
                         std::size_t barrier_layers, std::size_t channel_layers,
                         std::size_t deep_layer) {
  for (std::size_t k = 0; k < grid.nz(); ++k) {
    for (std::size_t j = 0; j < grid.ny(); ++j) {
      for (std::size_t i = 0; i < grid.nx(); ++i) {
        const bool channel = (i % 5 == 1 && j % 4 == 2) || (i == grid.nx() - 1 && j == 0);
        std::uint8_t id = k_bulk;
        if (k < barrier_layers) id = k_barrier;
        if (k >= deep_layer) id = k_deep;
        if (channel && k < channel_layers) id = k_channel;
        ids[grid.index(i, j, k)] = id;
      }
    }
  }
}

/// A smooth, non-uniform starting field (so that every sweep has work to do).
template <class Real>
void fill_bump(const Grid3d& grid, std::span<Real> u, double peak) {
  for (std::size_t k = 0; k < grid.nz(); ++k) {
    for (std::size_t j = 0; j < grid.ny(); ++j) {
      for (std::size_t i = 0; i < grid.nx(); ++i) {
        const double x =
            std::sin(6.283185307179586 * static_cast<double>(i) / static_cast<double>(grid.nx()));
        const double y =
            std::cos(6.283185307179586 * static_cast<double>(j) / static_cast<double>(grid.ny()));
        const double z = std::exp(-grid.z_centre_m(k) / (0.3 * grid.depth_m()));
        u[grid.index(i, j, k)] = static_cast<Real>(peak * (1.0 + 0.5 * x * y) * z);
      }
    }
  }
}

}  // namespace citsim::numerics::testing
