// SPDX-License-Identifier: MIT
#pragma once

namespace citsim::transport {

/// The film on the surface: volume and amount per area, and whether it still touches the skin.
struct Film {
  double volume_m = 0;
  double amount = 0;
  double volume_applied_m = 0;
  bool wet = false;
  [[nodiscard]] double potential() const { return volume_m > 0 ? amount / volume_m : 0.0; }
};

}  // namespace citsim::transport
