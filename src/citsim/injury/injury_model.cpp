// SPDX-License-Identifier: MIT
#include "citsim/injury/injury_model.hpp"

#include <cmath>
#include <numbers>

#include "citsim/numerics/statistics.hpp"

namespace citsim::injury {

namespace {

/// Volume of a channel inside [top, bottom), by the midpoint rule over its radius profile.
double channel_volume_m3(const PenetrationParameters& p, const device::NeedleGeometry& needle,
                         double depth_m, double top_m, double bottom_m) {
  const double from = std::max(0.0, top_m);
  const double to = std::min(depth_m, bottom_m);
  if (to <= from) return 0.0;
  constexpr int steps = 32;
  const double dz = (to - from) / steps;
  double volume = 0;
  for (int i = 0; i < steps; ++i) {
    const double r = channel_radius_m(p, needle, depth_m, from + (i + 0.5) * dz);
    volume += std::numbers::pi * r * r * dz;
  }
  return volume;
}

}  // namespace

double SessionInjury::open_channels_per_m2(double t_s) const {
  return channels_per_m2 * open_fraction(t_s);
}

double SessionInjury::open_fraction(double t_s) const {
  std::vector<double> half_lives;
  half_lives.reserve(channels.size());
  for (const auto& channel : channels) half_lives.push_back(channel.half_life_s);
  return injury::open_fraction(half_lives, t_s);
}

InjuryModel::InjuryModel(const std::filesystem::path& data_dir) {
  const core::DataFile file(data_dir / "injury.toml", "model");
  m_penetration = PenetrationParameters::read(file);
  m_resealing = ResealingParameters::read(file);
}

SessionInjury InjuryModel::simulate(const device::PunctureSet& punctures,
                                    const device::DeviceSpec& device,
                                    const anatomy::SkinModel& skin, core::Pressure pressure,
                                    bool occluded, core::Rng& rng) const {
  SessionInjury out;
  out.setup = setup_penetration(m_penetration, device, skin, pressure);
  const double area_m2 = punctures.patch_side_m * punctures.patch_side_m;
  out.punctures_per_m2 = punctures.per_m2();

  std::vector<double> depths;
  std::vector<double> half_lives;
  std::size_t bleeding = 0;
  for (const auto& puncture : punctures.punctures) {
    const double local_modulus =
        rng.lognormal_median_cv(skin.young_modulus_pa, m_penetration.local_modulus_cv);
    const double depth = penetration_depth_m(out.setup, device, skin, local_modulus);
    // A tip that stops inside the stratum corneum dents it but opens no channel.
    if (depth <= skin.stratum_corneum_m) continue;
    Channel channel;
    channel.x_m = puncture.x_m;
    channel.y_m = puncture.y_m;
    channel.t_s = puncture.t_s;
    channel.depth_m = depth;
    channel.surface_radius_m = channel_radius_m(m_penetration, device.needle, depth, 0.0);
    channel.half_life_s = channel_half_life_s(m_resealing, depth, occluded);
    channel.bleeds = depth > skin.capillary_loop_depth_m;
    bleeding += channel.bleeds ? 1 : 0;
    depths.push_back(depth);
    half_lives.push_back(channel.half_life_s);
    out.channels.push_back(channel);
  }
  out.channels_per_m2 = static_cast<double>(out.channels.size()) / area_m2;
  const auto summary = numerics::summarize(depths);
  out.mean_depth_m = summary.mean;
  out.sd_depth_m = summary.sd;
  out.max_depth_m = summary.max;
  out.bleeding_fraction =
      depths.empty() ? 0.0 : static_cast<double>(bleeding) / static_cast<double>(depths.size());
  out.bleeding =
      !depths.empty() && out.bleeding_fraction >= m_penetration.visible_bleeding_fraction;
  out.channel_half_life_s = population_half_life_s(half_lives);

  const auto slabs = skin.layers();
  for (std::size_t i = 0; i < slabs.size(); ++i) {
    LayerDamage damage{slabs[i].layer};
    double volume = 0;
    std::size_t reaching = 0;
    for (const auto& channel : out.channels) {
      if (channel.depth_m <= slabs[i].top_m) continue;
      ++reaching;
      volume += channel_volume_m3(m_penetration, device.needle, channel.depth_m, slabs[i].top_m,
                                  slabs[i].bottom_m);
    }
    damage.channels_per_m2 = static_cast<double>(reaching) / area_m2;
    damage.damaged_volume_fraction = volume / (area_m2 * slabs[i].thickness_m());
    out.layers[i] = damage;
  }
  return out;
}

}  // namespace citsim::injury
