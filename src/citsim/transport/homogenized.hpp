// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "citsim/anatomy/skin_model.hpp"
#include "citsim/transport/transport_properties.hpp"

namespace citsim::transport {

/// The open micro-channels of one session as the transport sees them.
struct ChannelSet {
  double start_s = 0;                               ///< when the session made them
  double channels_per_m2 = 0;                       ///< channels through the stratum corneum
  double depth_m = 0;                               ///< mean channel depth
  double half_life_s = 0;                           ///< population half-life, to size time steps
  std::function<double(double z_m)> radius_m;       ///< lumen radius at depth z
  std::function<double(double t_s)> open_fraction;  ///< fraction still open t after start
};

/// One application of the product: the active's mass and the film's volume per area.
struct Application {
  double time_s = 0;
  double active_kg_m2 = 0;
  double film_m = 0;
};

struct HomogenizedInput {
  anatomy::SkinModel skin;
  MoleculeInSkin molecule;
  std::vector<Application> applications;
  double exposure_s = 0;  ///< the film is washed off this long after the latest application
  bool occluded = false;
  bool infinite_dose = false;
  double active_concentration_kg_m3 = 0;  ///< in the film as applied
  std::vector<ChannelSet> channels;
  std::vector<double> sample_times_s;  ///< ascending; the run ends at the last
};

/// Where the active is at one time, per unit area (kg/m^2).
struct AbsorptionSample {
  double t_s = 0;
  double on_surface = 0;  ///< in the film or dried on the skin
  double in_stratum_corneum = 0;
  double in_viable_tissue = 0;  ///< below the stratum corneum, tissue and channel lumen
  double cleared = 0;           ///< taken up by the capillaries or left at the bottom, cumulative
  double out_bottom = 0;        ///< of cleared: left through the bottom of the dermis, cumulative
  double washed_off = 0;        ///< removed with the film, cumulative
  double applied = 0;           ///< cumulative (finite dose) or drawn from the reservoir
  /// Delivered past the stratum corneum: in viable tissue plus cleared.
  [[nodiscard]] double absorbed() const { return in_viable_tissue + cleared; }
};

/// The larger of two mass-balance errors, and NaN if either is: a field gone to NaN must not
/// pass a bookkeeping check (std::max keeps its first argument against a NaN).
inline double worse_balance_error(double a, double b) {
  return std::isnan(a) || std::isnan(b) ? std::numeric_limits<double>::quiet_NaN() : std::max(a, b);
}

struct HomogenizedResult {
  std::vector<AbsorptionSample> samples;
  /// Largest |applied - (surface + SC + viable + cleared + washed off)| over the run, relative
  /// to what was applied: round-off if the bookkeeping is right.
  double mass_balance_error = 0;
  std::size_t steps = 0;
};

/// The fast layered model (docs/model.md, "Transport"): 1D in depth with two interpenetrating
/// compartments, tissue and channel lumen (double porosity), exchanging through the unit cell
/// around each channel; the film on top as a well-mixed reservoir that evaporates unless
/// occluded; capillary clearance below the loops; channels closing as the injury stage says.
HomogenizedResult simulate_homogenized(const HomogenizedInput& input,
                                       const TransportParameters& parameters);

}  // namespace citsim::transport
