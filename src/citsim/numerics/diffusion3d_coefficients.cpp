// SPDX-License-Identifier: MIT
// The sweeps' per-step tables: material coefficients, face conductances and the uniform-line
// factors, and the threads' scratch.
#include <atomic>
#include <limits>

#include "citsim/numerics/diffusion3d_sweeps.hpp"

namespace citsim::numerics::detail {

template <class Real>
MaterialCoefficients<Real>::MaterialCoefficients()
    : storage(k_max_materials, std::numeric_limits<Real>::quiet_NaN()),
      inv_kappa(k_max_materials, std::numeric_limits<Real>::infinity()),
      sink_storage(k_max_materials, Real(0)),
      inv_top(k_max_materials, std::numeric_limits<Real>::infinity()) {}

template <class Real>
void MaterialCoefficients<Real>::assign(std::span<const Material> materials,
                                        const Diffusion3dBoundary& boundary) {
  constexpr Real inf = std::numeric_limits<Real>::infinity();
  std::fill(storage.begin(), storage.end(), std::numeric_limits<Real>::quiet_NaN());
  std::fill(inv_kappa.begin(), inv_kappa.end(), inf);
  std::fill(sink_storage.begin(), sink_storage.end(), Real(0));
  std::fill(inv_top.begin(), inv_top.end(), inf);
  for (std::size_t m = 0; m < materials.size(); ++m) {
    const Material& material = materials[m];
    storage[m] = static_cast<Real>(material.storage);
    const auto kappa = static_cast<Real>(material.conductivity_m2_s);
    inv_kappa[m] = kappa > 0 ? Real(1) / kappa : inf;
    sink_storage[m] = static_cast<Real>(material.sink_rate_1_s * material.storage);
    const double h = material.top_exchange * boundary.top_transfer_m_s;
    const bool open = boundary.top == TopBoundary::exchange && h > 0;
    inv_top[m] = open ? static_cast<Real>(1.0 / h) : inf;
  }
  count = materials.size();
}

template <class Real>
void MaterialCoefficients<Real>::set_step(Real dt, Real dt_over_dx2, std::span<const Real> half_dz,
                                          Real inv_bottom) {
  const std::size_t nz = half_dz.size();
  // Unique across every set of coefficients, so that tables kept for one never pass for
  // another's.
  static std::atomic<std::uint64_t> last_serial{0};
  serial = last_serial.fetch_add(1, std::memory_order_relaxed) + 1;
  lateral.resize(count * count);
  vertical.resize(count * count * (nz > 0 ? nz - 1 : 0));
  top.resize(count);
  bottom.resize(count);
  // The same expressions the sweeps evaluated per face before: the same bits.
  for (std::size_t a = 0; a < count; ++a) {
    for (std::size_t b = 0; b < count; ++b) {
      lateral[a * count + b] = harmonic_conductance(dt_over_dx2, inv_kappa[a], inv_kappa[b]);
      for (std::size_t p = 0; p + 1 < nz; ++p) {
        vertical[(p * count + a) * count + b] =
            dt / (half_dz[p] * inv_kappa[a] + half_dz[p + 1] * inv_kappa[b]);
      }
    }
    top[a] = dt / (inv_top[a] + half_dz[0] * inv_kappa[a]);
    bottom[a] = dt / (half_dz[nz - 1] * inv_kappa[a] + inv_bottom);
  }
}

template <class Real>
std::size_t MaterialCoefficients<Real>::bytes() const {
  return (storage.size() + inv_kappa.size() + sink_storage.size() + inv_top.size() +
          lateral.size() + vertical.size() + top.size() + bottom.size()) *
             sizeof(Real) +
         lines_x.bytes() + lines_y.bytes();
}

template <class Real>
void MaterialCoefficients<Real>::set_uniform_lines(std::size_t nx, std::size_t ny,
                                                   std::size_t y_split) {
  lines_x.tabulate(*this, nx, nx);
  lines_y.tabulate(*this, ny, y_split);
}

namespace {

/// The elimination factors of one periodic line of n (≥ 3) cells (LineFactors' form), from
/// solve_periodic's expressions: storage(p) is cell p's storage, face(p, q) the conductance of
/// the face between cells p and q. Lines of one material and lines kept apart share it, so a
/// line of one material gets the same bits either way.
template <class Real, class Storage, class Face>
void factor_periodic_line(std::size_t n, Storage storage, Face face, Real* al, Real* be, Real* we,
                          Real* up, Real* z, Real& ratio, Real& scale) {
  const Real gw = face(n - 1, 0);
  const Real s0 = storage(0);
  const Real b0 = s0 + gw + face(0, 1);
  Real mult = Real(1) / (b0 + b0);
  al[0] = s0 * mult;
  be[0] = 0;
  we[0] = 1;
  up[0] = face(0, 1) * mult;
  z[0] = -b0 * mult;
  for (std::size_t p = 1; p < n; ++p) {
    const bool last = p + 1 == n;
    const Real s = storage(p);
    const Real gup = face(p - 1, p);
    const Real gdn = last ? Real(0) : face(p, p + 1);
    const Real diagonal =
        last ? s + gup + gw + gw * gw / b0 - gup * up[p - 1] : s + gup + gdn - gup * up[p - 1];
    mult = Real(1) / diagonal;
    al[p] = s * mult;
    be[p] = gup * mult;
    we[p] = we[p - 1] * up[p - 1];
    up[p] = last ? Real(0) : gdn * mult;
    z[p] = last ? (gup * z[p - 1] - gw) * mult : gup * z[p - 1] * mult;
  }
  // Back-substitute the correction vector once; it does not depend on the field.
  for (std::size_t p = n - 1; p-- > 0;) z[p] += up[p] * z[p + 1];
  ratio = gw / b0;
  scale = Real(1) / (Real(1) + z[0] + ratio * z[n - 1]);
}

}  // namespace

template <class Real>
void MaterialCoefficients<Real>::UniformLines::tabulate(const MaterialCoefficients& materials,
                                                        std::size_t length, std::size_t split_row) {
  n = length;
  split = split_row;
  if (n < 3) return;
  const std::size_t count = materials.count;
  for (auto* table : {&alpha, &beta, &weight, &upper, &correction, &carry, &weight_split}) {
    table->resize(count * n);
  }
  for (auto* values : {&ratio, &scale, &carry_weight, &carry_weight_split}) {
    values->resize(count);
  }
  for (std::size_t m = 0; m < count; ++m) {
    // Every cell of material m: the same storage and faces on every row.
    const Real s = materials.storage[m];
    const Real g = materials.lateral[m * count + m];
    Real* be = beta.data() + m * n;
    Real* we = weight.data() + m * n;
    Real* up = upper.data() + m * n;
    factor_periodic_line(
        n, [s](std::size_t) { return s; }, [g](std::size_t, std::size_t) { return g; },
        alpha.data() + m * n, be, we, up, correction.data() + m * n, ratio[m], scale[m]);
    Real* ca = carry.data() + m * n;
    Real* ws = weight_split.data() + m * n;
    carry_weight[m] = 0;
    carry_weight_split[m] = 0;
    for (std::size_t p = split; p < n; ++p) {
      ca[p] = p == split ? be[p] : ca[p - 1] * be[p];
      ws[p] = p == split ? Real(1) : ws[p - 1] * up[p - 1];
      carry_weight[m] += we[p] * ca[p];
      carry_weight_split[m] += ws[p] * ca[p];
    }
  }
}

template <class Real>
std::size_t MaterialCoefficients<Real>::UniformLines::bytes() const {
  return (alpha.size() + beta.size() + weight.size() + upper.size() + correction.size() +
          carry.size() + weight_split.size() + ratio.size() + scale.size() + carry_weight.size() +
          carry_weight_split.size()) *
         sizeof(Real);
}

template <class Real>
LineFactors<Real> OddLineTables<Real>::find(const MaterialCoefficients<Real>& materials,
                                            std::size_t n, const std::uint8_t* ids,
                                            std::size_t id_stride) {
  m_key.resize(n);
  for (std::size_t p = 0; p < n; ++p) m_key[p] = ids[p * id_stride];
  const auto factors = [n](const Entry& entry) {
    const Real* v = entry.values.data();
    return LineFactors<Real>{v, v + n, v + 2 * n, v + 3 * n, v + 4 * n, entry.ratio, entry.scale};
  };
  for (const Entry& entry : m_entries) {
    if (entry.serial == materials.serial && entry.ids == m_key) {
      return factors(entry);
    }
  }
  if (m_entries.size() < k_capacity) {
    m_entries.emplace_back();
    m_replace = m_entries.size() - 1;
  } else {
    m_replace = (m_replace + 1) % k_capacity;
  }
  Entry& entry = m_entries[m_replace];
  entry.serial = materials.serial;
  entry.ids = m_key;
  entry.values.resize(5 * n);
  Real* v = entry.values.data();
  // UniformLines::tabulate's factors with each cell's storage and faces.
  const std::size_t count = materials.count;
  factor_periodic_line(
      n, [&](std::size_t p) { return materials.storage[m_key[p]]; },
      [&](std::size_t p, std::size_t q) { return materials.lateral[m_key[p] * count + m_key[q]]; },
      v, v + n, v + 2 * n, v + 3 * n, v + 4 * n, entry.ratio, entry.scale);
  return factors(entry);
}

template <class Real>
std::size_t OddLineTables<Real>::bytes() const {
  std::size_t total = m_key.capacity();
  for (const Entry& entry : m_entries) {
    total += entry.ids.capacity() + entry.values.capacity() * sizeof(Real);
  }
  return total;
}

template <class Real>
SweepScratch<Real>::SweepScratch(const ScratchSizes& sizes)
    : upper(sizes.upper),
      correction(sizes.correction),
      gathered(sizes.gathered),
      gathered_ids(sizes.gathered),
      lanes(k_lane_arrays * sizes.lanes),
      odd(sizes.odd),
      odd_ids(sizes.odd),
      sums(sizes.sums),
      m_lane_size(sizes.lanes) {}

template <class Real>
std::size_t SweepScratch<Real>::bytes() const {
  return (upper.size() + correction.size() + gathered.size() + lanes.size() + odd.size()) *
             sizeof(Real) +
         gathered_ids.size() + odd_ids.size() + sums.size() * sizeof(double) + odd_lines.bytes();
}

template struct MaterialCoefficients<float>;
template struct MaterialCoefficients<double>;
template class OddLineTables<float>;
template class OddLineTables<double>;
template struct SweepScratch<float>;
template struct SweepScratch<double>;

}  // namespace citsim::numerics::detail
