// SPDX-License-Identifier: MIT
#include "citsim/numerics/diffusion3d_columns.hpp"

#include <algorithm>

namespace citsim::numerics::detail {

namespace {
constexpr std::uint32_t k_none = 0xFFFFFFFFu;
}  // namespace

template <class Real>
void ColumnClasses<Real>::start(std::size_t nz) {
  m_nodes.clear();
  m_nodes.push_back({k_none, k_none, k_none, 0});  // the root: the empty prefix
  m_nz = nz;
  m_count = 0;
}

template <class Real>
bool ColumnClasses<Real>::add_plane(std::size_t nx, std::size_t ny, std::size_t k,
                                    const std::uint8_t* plane_ids, std::size_t i_begin,
                                    std::size_t i_end, std::size_t max_classes,
                                    std::uint32_t* class_of) {
  const auto child = [&](std::uint32_t parent, std::uint8_t material) {
    std::uint32_t c = m_nodes[parent].first_child;
    while (c != k_none && m_nodes[c].material != material) c = m_nodes[c].next_sibling;
    if (c == k_none) {
      c = static_cast<std::uint32_t>(m_nodes.size());
      m_nodes.push_back({k_none, m_nodes[parent].first_child, parent, material});
      m_nodes[parent].first_child = c;
    }
    return c;
  };
  if (k == 0) m_row_node.assign(ny, 0);  // every column starts at the root
  for (std::size_t j = 0; j < ny; ++j) {
    const std::uint8_t* row_ids = plane_ids + nx * j;
    std::uint32_t& shared = m_row_node[j];
    if (shared != k_none) {
      // The row's columns have shared their prefix so far; if they also share this material,
      // one look-up serves the row (class_of is written only once they part).
      const std::uint8_t material = row_ids[i_begin];
      unsigned differ = 0;
      for (std::size_t i = i_begin; i < i_end; ++i) differ |= row_ids[i] ^ material;
      if (differ == 0) {
        shared = child(shared, material);
        continue;
      }
      std::fill(class_of + nx * j + i_begin, class_of + nx * j + i_end, shared);
      shared = k_none;
    }
    // Neighbouring columns usually continue the same prefix with the same material: one
    // look-up per run.
    std::uint32_t last_parent = k_none;
    std::uint8_t last_material = 0;
    std::uint32_t last_child = 0;
    for (std::size_t i = i_begin; i < i_end; ++i) {
      const std::size_t c = i + nx * j;
      const std::uint32_t parent = class_of[c];
      const std::uint8_t material = plane_ids[c];
      if (parent != last_parent || material != last_material) {
        last_child = child(parent, material);
        last_parent = parent;
        last_material = material;
      }
      class_of[c] = last_child;
    }
  }
  return m_nodes.size() <= max_classes * m_nz + 1;
}

template <class Real>
bool ColumnClasses<Real>::finish(std::size_t nx, std::size_t ny, std::size_t i_begin,
                                 std::size_t i_end, std::size_t max_classes,
                                 std::uint32_t* class_of, std::uint32_t* row_class,
                                 std::size_t row_class_stride) {
  const std::size_t nz = m_nz;
  for (std::size_t j = 0; j < ny; ++j) {
    if (m_row_node[j] != k_none) {
      std::fill(class_of + nx * j + i_begin, class_of + nx * j + i_end, m_row_node[j]);
    }
  }
  // Leaves to dense class numbers, in the order the columns first reach them.
  m_leaf_class.assign(m_nodes.size(), k_none);
  for (std::size_t j = 0; j < ny; ++j) {
    for (std::size_t i = i_begin; i < i_end; ++i) {
      std::uint32_t& leaf = class_of[i + nx * j];
      if (m_leaf_class[leaf] == k_none) m_leaf_class[leaf] = static_cast<std::uint32_t>(m_count++);
      leaf = m_leaf_class[leaf];
    }
  }
  if (m_count > max_classes) return false;
  m_sequences.assign(m_count * nz, 0);
  for (std::size_t node = 0; node < m_nodes.size(); ++node) {
    if (m_leaf_class[node] == k_none) continue;
    std::uint8_t* sequence = m_sequences.data() + m_leaf_class[node] * nz;
    std::uint32_t at = static_cast<std::uint32_t>(node);
    for (std::size_t k = nz; k-- > 0;) {
      sequence[k] = m_nodes[at].material;
      at = m_nodes[at].parent;
    }
  }
  // A row whose columns never parted shares one class; columns that parted differ in some
  // layer, so their classes differ too.
  for (std::size_t j = 0; j < ny; ++j) {
    const std::uint32_t shared = m_row_node[j];
    row_class[j * row_class_stride] = shared != k_none ? m_leaf_class[shared] : k_mixed_class;
  }
  return true;
}

template <class Real>
void ColumnClasses<Real>::tabulate(const MaterialCoefficients<Real>& materials,
                                   std::span<const Real> dz, Real dt) {
  const std::size_t nz = m_nz;
  const std::size_t count = materials.count;
  for (auto* table : {&m_a, &m_b, &m_e, &m_sink}) table->resize(nz * m_count);
  m_top.resize(m_count);
  m_bottom.resize(m_count);
  for (std::size_t c = 0; c < m_count; ++c) {
    const std::uint8_t* sequence = m_sequences.data() + c * nz;
    // The expressions of the general z sweep (eliminate_row), factored per row.
    Real gup = materials.top[sequence[0]];
    Real e_above = 0;
    m_top[c] = gup;
    for (std::size_t k = 0; k < nz; ++k) {
      const std::uint8_t id = sequence[k];
      const Real gdn = k + 1 < nz ? materials.vertical[(k * count + id) * count + sequence[k + 1]]
                                  : materials.bottom[id];
      const Real mass = materials.storage[id] * dz[k];
      const Real sink = materials.sink_storage[id];
      Real diagonal = mass + dt * sink * dz[k] + gup + gdn;
      if (k > 0) diagonal -= gup * e_above;
      const Real m = Real(1) / diagonal;
      const std::size_t at = k * m_count + c;
      m_a[at] = mass * m;
      m_b[at] = gup * m;
      m_e[at] = gdn * m;
      m_sink[at] = dt * dz[k] * sink;
      e_above = m_e[at];
      gup = gdn;
    }
    m_bottom[c] = gup;
  }
}

template <class Real>
std::size_t ColumnClasses<Real>::bytes() const {
  return m_nodes.capacity() * sizeof(Node) +
         (m_leaf_class.capacity() + m_row_node.capacity()) * sizeof(std::uint32_t) +
         m_sequences.capacity() +
         (m_a.capacity() + m_b.capacity() + m_e.capacity() + m_sink.capacity() + m_top.capacity() +
          m_bottom.capacity()) *
             sizeof(Real);
}

template class ColumnClasses<float>;
template class ColumnClasses<double>;

}  // namespace citsim::numerics::detail
