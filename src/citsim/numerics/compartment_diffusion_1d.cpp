// SPDX-License-Identifier: MIT
#include "citsim/numerics/compartment_diffusion_1d.hpp"

#include <algorithm>

#include <Eigen/SparseCore>
#include <Eigen/SparseLU>

#include "citsim/core/error.hpp"

namespace citsim::numerics {

struct SparseLuCache::Impl {
  Eigen::SparseLU<Eigen::SparseMatrix<double>> solver;
  std::vector<int> outer;  // the analysed pattern
  std::vector<int> inner;

  /// Factors `matrix`, reusing the symbolic analysis when the pattern is the one analysed last.
  void factor(const Eigen::SparseMatrix<double>& matrix) {
    const auto n_outer = static_cast<std::size_t>(matrix.outerSize()) + 1;
    const auto n_inner = static_cast<std::size_t>(matrix.nonZeros());
    const bool same = outer.size() == n_outer && inner.size() == n_inner &&
                      std::equal(outer.begin(), outer.end(), matrix.outerIndexPtr()) &&
                      std::equal(inner.begin(), inner.end(), matrix.innerIndexPtr());
    if (!same) {
      solver.analyzePattern(matrix);
      outer.assign(matrix.outerIndexPtr(), matrix.outerIndexPtr() + n_outer);
      inner.assign(matrix.innerIndexPtr(), matrix.innerIndexPtr() + n_inner);
    }
    solver.factorize(matrix);
  }
};

SparseLuCache::SparseLuCache() : m_impl(std::make_unique<Impl>()) {}
SparseLuCache::~SparseLuCache() = default;
SparseLuCache& SparseLuCache::operator=(const SparseLuCache& other) {
  if (this != &other) m_impl = std::make_unique<Impl>();
  return *this;
}
SparseLuCache::SparseLuCache(SparseLuCache&&) noexcept = default;
SparseLuCache& SparseLuCache::operator=(SparseLuCache&&) noexcept = default;

namespace {

void check_length(const std::vector<double>& values, std::size_t expected, const char* what) {
  if (values.size() != expected) {
    throw core::InternalError(std::string("CompartmentDiffusion1D: wrong length of ") + what);
  }
}

}  // namespace

CompartmentDiffusion1D::CompartmentDiffusion1D(std::vector<double> dz_m, std::size_t compartments)
    : m_dz(std::move(dz_m)), m_compartments(compartments) {
  if (m_dz.empty() || compartments == 0) {
    throw core::InternalError("CompartmentDiffusion1D needs cells and compartments");
  }
  const std::vector<double> zeros(m_dz.size(), 0.0);
  m_storage.assign(compartments, zeros);
  m_kappa.assign(compartments, zeros);
  m_sink.assign(compartments, zeros);
  m_exchange.assign(compartments > 1 ? compartments - 1 : 0, zeros);
  m_top_g.assign(compartments, 0.0);
  m_u.assign(compartments, zeros);
  m_fluxes.sunk.assign(m_dz.size(), 0.0);
}

void CompartmentDiffusion1D::set_storage(std::size_t c, std::vector<double> storage) {
  check_length(storage, cells(), "storage");
  m_storage[c] = std::move(storage);
}

void CompartmentDiffusion1D::set_conductivity(std::size_t c, std::vector<double> kappa_m2_s) {
  check_length(kappa_m2_s, cells(), "conductivity");
  m_kappa[c] = std::move(kappa_m2_s);
}

void CompartmentDiffusion1D::set_sink(std::size_t c, std::vector<double> rate_per_s) {
  check_length(rate_per_s, cells(), "sink");
  m_sink[c] = std::move(rate_per_s);
}

void CompartmentDiffusion1D::set_exchange(std::size_t c, std::vector<double> beta_per_s) {
  check_length(beta_per_s, cells(), "exchange");
  m_exchange[c] = std::move(beta_per_s);
}

void CompartmentDiffusion1D::set_top_conductance(std::size_t c, double g_m_s) {
  m_top_g[c] = g_m_s;
}

void CompartmentDiffusion1D::set_reservoir(double volume_m, double potential) {
  m_reservoir_volume = volume_m;
  m_reservoir_u = potential;
}

void CompartmentDiffusion1D::set_storage_keeping_amount(std::size_t c,
                                                        std::vector<double> storage) {
  check_length(storage, cells(), "storage");
  for (std::size_t k = 0; k < cells(); ++k) {
    const double amount = m_storage[c][k] * m_u[c][k];
    m_u[c][k] = storage[k] > 0 ? amount / storage[k] : 0.0;
  }
  m_storage[c] = std::move(storage);
}

void CompartmentDiffusion1D::resize_storage_conserving(std::size_t c, std::vector<double> storage,
                                                       std::size_t receiver) {
  check_length(storage, cells(), "storage");
  for (std::size_t k = 0; k < cells(); ++k) {
    const double released = (m_storage[c][k] - storage[k]) * m_u[c][k];
    if (released != 0.0 && m_storage[receiver][k] > 0) {
      m_u[receiver][k] += released / m_storage[receiver][k];
    }
    if (storage[k] <= 0) m_u[c][k] = 0.0;
  }
  m_storage[c] = std::move(storage);
}

double CompartmentDiffusion1D::face_conductance(std::size_t c, std::size_t k) const {
  const double a = m_kappa[c][k];
  const double b = m_kappa[c][k + 1];
  if (a <= 0 || b <= 0) return 0.0;
  return 1.0 / (0.5 * m_dz[k] / a + 0.5 * m_dz[k + 1] / b);
}

const CompartmentDiffusion1D::StepFluxes& CompartmentDiffusion1D::step(double dt_s) {
  const std::size_t n = cells();
  const std::size_t nc = m_compartments;
  const bool finite_reservoir = m_reservoir_volume > 0;
  const std::size_t unknowns = n * nc + (finite_reservoir ? 1 : 0);
  const std::size_t reservoir = n * nc;
  auto index = [nc](std::size_t c, std::size_t k) { return k * nc + c; };

  std::vector<Eigen::Triplet<double>> entries;
  entries.reserve(unknowns * 5);
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(unknowns));
  auto add = [&entries](std::size_t row, std::size_t col, double value) {
    entries.emplace_back(static_cast<int>(row), static_cast<int>(col), value);
  };

  for (std::size_t c = 0; c < nc; ++c) {
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t row = index(c, k);
      const double capacity = m_storage[c][k] * m_dz[k];
      double diagonal = capacity / dt_s + m_sink[c][k] * capacity;
      if (k > 0) {
        const double g = face_conductance(c, k - 1);
        diagonal += g;
        if (g > 0) add(row, index(c, k - 1), -g);
      }
      if (k + 1 < n) {
        const double g = face_conductance(c, k);
        diagonal += g;
        if (g > 0) add(row, index(c, k + 1), -g);
      } else if (m_bottom_absorbing && m_kappa[c][k] > 0) {
        diagonal += 2 * m_kappa[c][k] / m_dz[k];
      }
      for (std::size_t other : {c - 1, c + 1}) {
        if (other >= nc) continue;  // c - 1 wraps to a huge value at c = 0
        // A compartment without storage at this depth (no channel there) exchanges nothing.
        if (m_storage[c][k] <= 0 || m_storage[other][k] <= 0) continue;
        const double beta = m_exchange[std::min(c, other)][k] * m_dz[k];
        if (beta <= 0) continue;
        diagonal += beta;
        add(row, index(other, k), -beta);
      }
      if (k == 0 && m_top_g[c] > 0) {
        diagonal += m_top_g[c];
        if (finite_reservoir) {
          add(row, reservoir, -m_top_g[c]);
        } else {
          rhs[static_cast<Eigen::Index>(row)] += m_top_g[c] * m_reservoir_u;
        }
      }
      rhs[static_cast<Eigen::Index>(row)] += capacity / dt_s * m_u[c][k];
      // A cell with no storage and no connection (a channel absent at this depth) holds u = 0.
      add(row, row, diagonal > 0 ? diagonal : 1.0);
    }
  }
  if (finite_reservoir) {
    double diagonal = m_reservoir_volume / dt_s;
    for (std::size_t c = 0; c < nc; ++c) {
      if (m_top_g[c] <= 0) continue;
      diagonal += m_top_g[c];
      add(reservoir, index(c, 0), -m_top_g[c]);
    }
    add(reservoir, reservoir, diagonal);
    rhs[static_cast<Eigen::Index>(reservoir)] = m_reservoir_volume / dt_s * m_reservoir_u;
  }

  Eigen::SparseMatrix<double> matrix(static_cast<Eigen::Index>(unknowns),
                                     static_cast<Eigen::Index>(unknowns));
  matrix.setFromTriplets(entries.begin(), entries.end());
  matrix.makeCompressed();
  auto& solver = m_lu.impl().solver;
  m_lu.impl().factor(matrix);
  if (solver.info() != Eigen::Success) {
    throw core::InternalError("CompartmentDiffusion1D: the implicit system is singular");
  }
  const Eigen::VectorXd solution = solver.solve(rhs);

  for (std::size_t c = 0; c < nc; ++c) {
    for (std::size_t k = 0; k < n; ++k) {
      m_u[c][k] = solution[static_cast<Eigen::Index>(index(c, k))];
    }
  }
  if (finite_reservoir) m_reservoir_u = solution[static_cast<Eigen::Index>(reservoir)];

  m_fluxes.from_reservoir = 0;
  m_fluxes.out_bottom = 0;
  std::fill(m_fluxes.sunk.begin(), m_fluxes.sunk.end(), 0.0);
  for (std::size_t c = 0; c < nc; ++c) {
    if (m_top_g[c] > 0) m_fluxes.from_reservoir += dt_s * m_top_g[c] * (m_reservoir_u - m_u[c][0]);
    if (m_bottom_absorbing) {
      m_fluxes.out_bottom += dt_s * 2 * m_kappa[c][n - 1] / m_dz[n - 1] * m_u[c][n - 1];
    }
    for (std::size_t k = 0; k < n; ++k) {
      m_fluxes.sunk[k] += dt_s * m_sink[c][k] * m_storage[c][k] * m_dz[k] * m_u[c][k];
    }
  }
  return m_fluxes;
}

double CompartmentDiffusion1D::amount(std::size_t c, std::size_t first, std::size_t last) const {
  double total = 0;
  for (std::size_t k = first; k < last && k < cells(); ++k) {
    total += m_storage[c][k] * m_u[c][k] * m_dz[k];
  }
  return total;
}

double CompartmentDiffusion1D::total_amount() const {
  double total = m_reservoir_volume * m_reservoir_u;
  for (std::size_t c = 0; c < m_compartments; ++c) total += amount(c, 0, cells());
  return total;
}

}  // namespace citsim::numerics
