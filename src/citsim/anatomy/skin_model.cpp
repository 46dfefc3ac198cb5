// SPDX-License-Identifier: MIT
#include "citsim/anatomy/skin_model.hpp"

#include <algorithm>

namespace citsim::anatomy {

std::string_view to_string(Layer layer) {
  switch (layer) {
    case Layer::stratum_corneum:
      return "stratum_corneum";
    case Layer::viable_epidermis:
      return "viable_epidermis";
    case Layer::papillary_dermis:
      return "papillary_dermis";
    case Layer::reticular_dermis:
      return "reticular_dermis";
    case Layer::hypodermis:
      return "hypodermis";
  }
  return "?";
}

std::array<LayerSlab, 5> SkinModel::layers() const {
  const std::array thickness = {stratum_corneum_m, viable_epidermis_m, papillary_dermis_m,
                                reticular_dermis_m, hypodermis_m};
  std::array<LayerSlab, 5> out{};
  double top = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = {k_layers[i], top, top + thickness[i]};
    top += thickness[i];
  }
  return out;
}

Layer SkinModel::layer_at(double depth_m) const {
  for (const auto& slab : layers()) {
    if (depth_m < slab.bottom_m) return slab.layer;
  }
  return Layer::hypodermis;
}

double SkinModel::crossed_m(Layer layer, double depth_m) const {
  for (const auto& slab : layers()) {
    if (slab.layer == layer) return std::clamp(depth_m - slab.top_m, 0.0, slab.thickness_m());
  }
  return 0;
}

}  // namespace citsim::anatomy
