// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <filesystem>
#include <vector>

#include "citsim/anatomy/skin_model.hpp"
#include "citsim/core/data_table.hpp"
#include "citsim/core/rng.hpp"
#include "citsim/device/puncture_pattern.hpp"
#include "citsim/injury/penetration.hpp"
#include "citsim/injury/resealing.hpp"

namespace citsim::injury {

/// One channel through the stratum corneum left by a puncture.
struct Channel {
  double x_m = 0;
  double y_m = 0;
  double t_s = 0;
  double depth_m = 0;
  double surface_radius_m = 0;
  double half_life_s = 0;
  bool bleeds = false;
};

/// How far channels reach into one layer, over the channels that enter it.
struct LayerDamage {
  anatomy::Layer layer;
  double channels_per_m2 = 0;          ///< channels that reach into this layer
  double damaged_volume_fraction = 0;  ///< channel volume in the layer per layer volume
};

/// Every layer, untouched: what a session without needling leaves.
inline std::array<LayerDamage, 5> undamaged_layers() {
  std::array<LayerDamage, 5> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i].layer = anatomy::k_layers[i];
  return out;
}

/// The injury of one session on one area.
struct SessionInjury {
  PenetrationSetup setup;
  std::vector<Channel> channels;
  double punctures_per_m2 = 0;  ///< needle entries, whether or not they pierced
  double channels_per_m2 = 0;   ///< entries that crossed the stratum corneum
  double mean_depth_m = 0;
  double sd_depth_m = 0;
  double max_depth_m = 0;
  double bleeding_fraction = 0;
  bool bleeding = false;
  double channel_half_life_s = 0;  ///< population half-life of the channels
  std::array<LayerDamage, 5> layers = undamaged_layers();
  /// Open channels per m^2 a time t after the session.
  [[nodiscard]] double open_channels_per_m2(double t_s) const;
  /// Fraction of this session's channels still open a time t after it (0 without channels).
  [[nodiscard]] double open_fraction(double t_s) const;
};

/// Penetration, channel geometry, bleeding and resealing for a session (docs/model.md, "Injury").
class InjuryModel {
 public:
  explicit InjuryModel(const std::filesystem::path& data_dir);
  InjuryModel(const PenetrationParameters& penetration, const ResealingParameters& resealing)
      : m_penetration(penetration), m_resealing(resealing) {}

  [[nodiscard]] SessionInjury simulate(const device::PunctureSet& punctures,
                                       const device::DeviceSpec& device,
                                       const anatomy::SkinModel& skin, core::Pressure pressure,
                                       bool occluded, core::Rng& rng) const;

  [[nodiscard]] const PenetrationParameters& penetration() const { return m_penetration; }
  [[nodiscard]] const ResealingParameters& resealing() const { return m_resealing; }

 private:
  PenetrationParameters m_penetration;
  ResealingParameters m_resealing;
};

}  // namespace citsim::injury
