// SPDX-License-Identifier: MIT
#pragma once

#include "citsim/anatomy/skin_model.hpp"
#include "citsim/core/data_table.hpp"
#include "citsim/transport/molecule_catalog.hpp"

namespace citsim::transport {

/// Parameters of data/transport.toml, SI units.
struct TransportParameters {
  double potts_guy_intercept = 0;
  double potts_guy_logp_slope = 0;
  double potts_guy_mw_slope = 0;
  double viable_epidermis_hindrance = 0;
  double dermis_hindrance = 0;
  double clearance_rate_per_s = 0;
  double clearance_reference_diffusivity_m2_s = 0;
  double vehicle_density_kg_m3 = 0;
  double evaporation_kg_m2_s = 0;
  double dry_fraction = 0;

  static TransportParameters read(const core::DataFile& file);
};

/// Partition coefficient (to water) and diffusivity of a molecule in one layer.
struct LayerTransport {
  double partition = 1;
  double diffusivity_m2_s = 0;
  /// Conductivity of the potential u = C / K: K * D.
  [[nodiscard]] double conductivity_m2_s() const { return partition * diffusivity_m2_s; }
};

/// A molecule's transport properties in each layer of a skin (docs/model.md, "Transport").
struct MoleculeInSkin {
  LayerTransport stratum_corneum;
  LayerTransport viable_epidermis;
  LayerTransport dermis;
  double aqueous_diffusivity_m2_s = 0;  ///< in an open channel
  double clearance_rate_per_s = 0;      ///< below the capillary loops
  double permeability_m_s = 0;          ///< of the stratum corneum (Potts-Guy)
};

/// Stratum corneum permeability, m/s: log10 kp[cm/h] = a + b log Kow - c MW (Potts and Guy 1992).
double potts_guy_permeability_m_s(const TransportParameters& p, const Molecule& molecule);

/// The molecule's properties in this skin. A molecule without an aqueous diffusivity (inline)
/// gets one from its molecular weight (Stokes-Einstein with a globular radius, docs/model.md).
MoleculeInSkin molecule_in_skin(const TransportParameters& p, const Molecule& molecule,
                                const anatomy::SkinModel& skin);

/// Aqueous diffusivity at 32 C from the molecular weight: Stokes-Einstein with the radius of a
/// sphere of density 1.3 g/cm3 (an estimate for inline molecules only).
double stokes_einstein_diffusivity_m2_s(double molecular_weight_da);

}  // namespace citsim::transport
