// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>

#include "citsim/anatomy/skin_model.hpp"
#include "citsim/core/data_table.hpp"
#include "citsim/core/scenario.hpp"
#include "citsim/device/device_catalog.hpp"

namespace citsim::injury {

/// Parameters of the penetration model, from data/injury.toml [model.penetration], SI units.
struct PenetrationParameters {
  double puncture_force_floor_n = 0;
  double puncture_force_per_tip_area_pa = 0;
  double membrane_prestrain = 0;
  double max_support_radius_m = 0;
  double strain_rate_reference_per_s = 1;
  double strain_rate_exponent = 0;
  double local_modulus_cv = 0;
  double pressure_pa[3] = {0, 0, 0};  ///< light, moderate, firm
  double hand_force_n[3] = {0, 0, 0};
  double channel_recoil_ratio = 1;
  double visible_bleeding_fraction = 0;

  static PenetrationParameters read(const core::DataFile& file);
};

/// What is the same for every puncture of a device on a skin: forces, stiffening and tenting
/// at the region's mean modulus. Per-puncture depths scale from it with the local modulus.
struct PenetrationSetup {
  double puncture_force_n = 0;      ///< force at which the tip breaks the surface
  double available_force_n = 0;     ///< force each needle can push with
  double strain_rate_per_s = 0;     ///< at the tip while it enters
  double rate_stiffening = 1;       ///< T_eff / T: viscoelastic stiffening at the entry rate
  double support_radius_m = 0;      ///< where the device holds the skin around a needle
  double membrane_tension_n_m = 0;  ///< at the region's mean modulus
  double tenting_m = 0;             ///< at the region's mean modulus
  double compression = 0;           ///< strain of the tissue under the device base
  bool pierces = true;              ///< whether the available force exceeds the puncture force
};

/// The deterministic part of penetration for a device pressed on a skin.
PenetrationSetup setup_penetration(const PenetrationParameters& p, const device::DeviceSpec& device,
                                   const anatomy::SkinModel& skin, core::Pressure pressure);

/// Depth reached below the undisturbed surface for a local modulus `local_modulus_pa`; 0 when the
/// needle does not pierce. The needle can never reach deeper than its nominal length.
double penetration_depth_m(const PenetrationSetup& setup, const device::DeviceSpec& device,
                           const anatomy::SkinModel& skin, double local_modulus_pa);

/// Radius of the channel left at depth z in a channel of depth d (the needle's cone and shaft,
/// narrowed by the tissue's recoil).
double channel_radius_m(const PenetrationParameters& p, const device::NeedleGeometry& needle,
                        double channel_depth_m, double z_m);

}  // namespace citsim::injury
