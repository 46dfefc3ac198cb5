// SPDX-License-Identifier: MIT
#pragma once

#include "citsim/anatomy/skin_model.hpp"
#include "citsim/core/data_table.hpp"
#include "citsim/transport/molecule_catalog.hpp"

namespace citsim::transport {

/// Parameters of data/transport.toml, SI units.
struct TransportParameters {
  // Stratum corneum lipid pathway (Mitragotri 2002, scaled-particle theory).
  double lipid_permeability_prefactor_m_s = 0;
  double lipid_partition_exponent = 0;
  double lipid_size_coefficient_per_m2 = 0;
  double molecular_volume_m3_per_da = 0;
  double skin_surface_ph = 0;  ///< where log D is taken for ionisable molecules
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
  double permeability_m_s = 0;          ///< of the stratum corneum (Mitragotri 2002)
};

/// Solute radius from the molecular weight: a sphere of volume MW x molecular_volume.
double solute_radius_m(const TransportParameters& p, double molecular_weight_da);

/// Stratum corneum permeability through its lipids, m/s (Mitragotri 2002, scaled-particle
/// theory): kp = A D^0.7 exp(-0.46 r^2), r in angstrom, D the octanol/water distribution
/// coefficient at skin surface pH (log P for a neutral molecule).
double stratum_corneum_permeability_m_s(const TransportParameters& p, const Molecule& molecule);

/// Stratum corneum/water partition coefficient of the lipid pathway: D^0.7.
double stratum_corneum_partition(const TransportParameters& p, const Molecule& molecule);

/// The molecule's properties in this skin. A molecule without an aqueous diffusivity (inline)
/// gets one from its molecular weight (Stokes-Einstein with a globular radius, docs/model.md).
MoleculeInSkin molecule_in_skin(const TransportParameters& p, const Molecule& molecule,
                                const anatomy::SkinModel& skin);

/// Aqueous diffusivity at 32 C from the molecular weight: Stokes-Einstein with the radius of a
/// sphere of density 1.3 g/cm3 (an estimate for inline molecules only).
double stokes_einstein_diffusivity_m2_s(double molecular_weight_da);

}  // namespace citsim::transport
