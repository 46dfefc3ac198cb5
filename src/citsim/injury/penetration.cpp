// SPDX-License-Identifier: MIT
#include "citsim/injury/penetration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "citsim/core/units.hpp"
#include "citsim/device/puncture_pattern.hpp"

namespace citsim::injury {

namespace {

namespace units = citsim::units;

/// Half the mean distance from each needle to its nearest neighbour among those entering
/// together: the device holds the skin there, so the tent around a needle cannot be wider.
double support_radius_m(const std::vector<device::Point2>& needles, double max_radius_m) {
  if (needles.size() < 2) return max_radius_m;
  double total = 0;
  for (std::size_t i = 0; i < needles.size(); ++i) {
    double nearest = std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < needles.size(); ++j) {
      if (i != j) {
        nearest =
            std::min(nearest, std::hypot(needles[i].x - needles[j].x, needles[i].y - needles[j].y));
      }
    }
    total += nearest;
  }
  return std::min(max_radius_m, 0.5 * total / static_cast<double>(needles.size()));
}

}  // namespace

PenetrationParameters PenetrationParameters::read(const core::DataFile& file) {
  auto entry = file.entry("penetration");
  PenetrationParameters p;
  p.puncture_force_floor_n = entry.number("puncture_force_floor_n", {0, 5, "N"});
  p.puncture_force_per_tip_area_pa =
      entry.number("puncture_force_per_tip_area_mpa", {0, 1000, "MPa"}) * units::mpa;
  p.membrane_prestrain = entry.number("membrane_prestrain", {1e-6, 1, ""});
  p.max_support_radius_m = entry.number("max_support_radius_mm", {0.1, 100, "mm"}) * units::mm;
  p.strain_rate_reference_per_s = entry.number("strain_rate_reference_per_s", {1e-6, 1e6, "1/s"});
  p.strain_rate_exponent = entry.number("strain_rate_exponent", {0, 1, ""});
  p.local_modulus_cv = entry.number("local_modulus_cv", {0, 2, ""});
  const char* levels[] = {"light", "moderate", "firm"};
  for (int i = 0; i < 3; ++i) {
    p.pressure_pa[i] =
        entry.number(std::string(levels[i]) + "_pressure_kpa", {0, 500, "kPa"}) * units::kpa;
    p.hand_force_n[i] = entry.number(std::string(levels[i]) + "_force_n", {0, 100, "N"});
  }
  p.channel_recoil_ratio = entry.number("channel_recoil_ratio", {0.05, 1, ""});
  p.visible_bleeding_fraction = entry.number("visible_bleeding_fraction", {0, 1, ""});
  entry.finish();
  return p;
}

PenetrationSetup setup_penetration(const PenetrationParameters& p, const device::DeviceSpec& device,
                                   const anatomy::SkinModel& skin, core::Pressure pressure) {
  PenetrationSetup s;
  const auto& needle = device.needle;
  const double tip_area = std::numbers::pi * needle.tip_radius_m * needle.tip_radius_m;
  s.puncture_force_n = p.puncture_force_floor_n + p.puncture_force_per_tip_area_pa * tip_area;

  const auto level = static_cast<std::size_t>(pressure);
  const std::vector<device::Point2> contact = device::contact_set(device);
  // A pen's motor drives its needles; a roller or stamp has only the hand's force to share.
  s.available_force_n = device.kind == core::DeviceKind::pen
                            ? std::numeric_limits<double>::infinity()
                            : p.hand_force_n[level] / static_cast<double>(contact.size());
  s.pierces = s.available_force_n >= s.puncture_force_n;

  const double a = needle.radius_m();
  s.strain_rate_per_s = device::insertion_speed_m_s(device) / a;
  s.rate_stiffening = std::max(
      1.0, std::pow(s.strain_rate_per_s / p.strain_rate_reference_per_s, p.strain_rate_exponent));
  s.support_radius_m = std::max(support_radius_m(contact, p.max_support_radius_m), 2 * a);
  s.membrane_tension_n_m =
      p.membrane_prestrain * skin.young_modulus_pa * skin.cutis_m() * s.rate_stiffening;
  s.tenting_m = s.puncture_force_n * std::log(s.support_radius_m / a) /
                (2 * std::numbers::pi * s.membrane_tension_n_m);
  s.compression = std::min(0.5, p.pressure_pa[level] / skin.young_modulus_pa);
  return s;
}

double penetration_depth_m(const PenetrationSetup& setup, const device::DeviceSpec& device,
                           const anatomy::SkinModel& skin, double local_modulus_pa) {
  if (!setup.pierces) return 0.0;
  // Tenting scales inversely with the local modulus.
  const double tenting = setup.tenting_m * skin.young_modulus_pa / local_modulus_pa;
  const double reach_in_compressed = std::max(0.0, device.needle.length_m - tenting);
  // Depth below the undisturbed surface: compressed tissue springs back once the needle leaves.
  return std::min(device.needle.length_m, reach_in_compressed / (1.0 - setup.compression));
}

double channel_radius_m(const PenetrationParameters& p, const device::NeedleGeometry& needle,
                        double channel_depth_m, double z_m) {
  if (z_m < 0 || z_m > channel_depth_m) return 0.0;
  const double distance_from_tip = channel_depth_m - z_m;
  const double needle_radius =
      std::min(needle.radius_m(),
               needle.tip_radius_m + distance_from_tip * std::tan(0.5 * needle.tip_angle_rad));
  return p.channel_recoil_ratio * needle_radius;
}

}  // namespace citsim::injury
