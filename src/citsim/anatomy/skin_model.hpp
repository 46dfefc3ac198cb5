// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace citsim::anatomy {

enum class Layer {
  stratum_corneum,
  viable_epidermis,
  papillary_dermis,
  reticular_dermis,
  hypodermis
};

inline constexpr std::array k_layers = {Layer::stratum_corneum, Layer::viable_epidermis,
                                        Layer::papillary_dermis, Layer::reticular_dermis,
                                        Layer::hypodermis};

std::string_view to_string(Layer layer);

/// One layer's extent below the skin surface, in metres.
struct LayerSlab {
  Layer layer;
  double top_m;
  double bottom_m;
  [[nodiscard]] double thickness_m() const { return bottom_m - top_m; }
};

/// The layered skin of one area of one patient (after age and sex modifiers), SI units.
struct SkinModel {
  std::string region;
  std::string region_name;
  double stratum_corneum_m = 0;
  double viable_epidermis_m = 0;
  double papillary_dermis_m = 0;
  double reticular_dermis_m = 0;
  double hypodermis_m = 0;
  /// Depth below the surface of the tips of the papillary capillary loops: a channel reaching
  /// it bleeds (pinpoint bleeding).
  double capillary_loop_depth_m = 0;
  /// Effective in-vivo Young's modulus of the skin (dermis dominated), for penetration.
  double young_modulus_pa = 0;
  /// Dermal collagen content relative to the region's reference adult (1 = reference age).
  double collagen_rel = 1;

  [[nodiscard]] double epidermis_m() const { return stratum_corneum_m + viable_epidermis_m; }
  [[nodiscard]] double dermis_m() const { return papillary_dermis_m + reticular_dermis_m; }
  /// Depth of the dermis-hypodermis boundary.
  [[nodiscard]] double cutis_m() const { return epidermis_m() + dermis_m(); }
  [[nodiscard]] std::array<LayerSlab, 5> layers() const;
  /// The layer at a depth below the surface; depths past the hypodermis report hypodermis.
  [[nodiscard]] Layer layer_at(double depth_m) const;
  /// The thickness of `layer` above `depth_m` (how much of it a channel to that depth crosses).
  [[nodiscard]] double crossed_m(Layer layer, double depth_m) const;
};

}  // namespace citsim::anatomy
