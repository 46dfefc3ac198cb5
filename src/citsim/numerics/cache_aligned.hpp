// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace citsim::numerics {

/// The size of a cache line on x86-64.
inline constexpr std::size_t k_cache_line_bytes = 64;

/// An allocator whose blocks start on a cache line. The wide (AVX-512) line solves load and
/// store a cache line at a time; malloc's large blocks start 16 bytes past a page, so each of
/// those accesses spanned two lines (out of cache the LOD step ran up to a fifth slower:
/// docs/performance.md, session 10).
template <class T>
struct CacheAlignedAllocator {
  using value_type = T;

  CacheAlignedAllocator() = default;
  template <class U>
  constexpr CacheAlignedAllocator(const CacheAlignedAllocator<U>& /*other*/) noexcept {}

  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{k_cache_line_bytes}));
  }
  void deallocate(T* p, std::size_t /*n*/) noexcept {
    ::operator delete (p, std::align_val_t{k_cache_line_bytes});
  }

  template <class U>
  friend bool operator==(const CacheAlignedAllocator& /*a*/,
                         const CacheAlignedAllocator<U>& /*b*/) noexcept {
    return true;
  }
};

/// A vector whose elements start on a cache line: for the kernels' fields.
template <class T>
using CacheAlignedVector = std::vector<T, CacheAlignedAllocator<T>>;

}  // namespace citsim::numerics
