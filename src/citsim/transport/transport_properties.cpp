// SPDX-License-Identifier: MIT
#include "citsim/transport/transport_properties.hpp"

#include <cmath>
#include <numbers>

#include "citsim/core/units.hpp"

namespace citsim::transport {

namespace {
namespace units = citsim::units;
constexpr double k_angstrom = 1e-10;
}  // namespace

TransportParameters TransportParameters::read(const core::DataFile& file) {
  TransportParameters p;
  {
    auto entry = file.entry("stratum_corneum");
    p.lipid_permeability_prefactor_m_s =
        entry.number("lipid_permeability_prefactor_cm_s", {1e-9, 1e-3, "cm/s"}) * units::cm;
    p.lipid_partition_exponent = entry.number("lipid_partition_exponent", {0.1, 2, ""});
    p.lipid_size_coefficient_per_m2 =
        entry.number("lipid_size_coefficient_per_a2", {0.01, 5, "1/A2"}) /
        (k_angstrom * k_angstrom);
    p.molecular_volume_m3_per_da = entry.number("molecular_volume_a3_per_da", {0.3, 3, "A3/Da"}) *
                                   k_angstrom * k_angstrom * k_angstrom;
    p.skin_surface_ph = entry.number("skin_surface_ph", {3, 9, ""});
    entry.finish();
  }
  {
    auto entry = file.entry("viable_tissue");
    p.viable_epidermis_hindrance = entry.number("viable_epidermis_hindrance", {1e-4, 1, ""});
    p.dermis_hindrance = entry.number("dermis_hindrance", {1e-4, 1, ""});
    p.clearance_rate_per_s = entry.number("clearance_rate_per_h", {0, 100, "1/h"}) / units::hour;
    p.clearance_reference_diffusivity_m2_s =
        entry.number("clearance_reference_diffusivity_m2_s", {1e-12, 1e-8, "m2/s"});
    entry.finish();
  }
  {
    auto entry = file.entry("vehicle");
    p.vehicle_density_kg_m3 = entry.number("density_g_cm3", {0.5, 2, "g/cm3"}) * 1000.0;
    p.evaporation_kg_m2_s = entry.number("evaporation_mg_cm2_h", {0, 100, "mg/cm2/h"}) * units::mg /
                            units::cm2 / units::hour;
    p.dry_fraction = entry.number("dry_fraction", {0.001, 0.9, ""});
    entry.finish();
  }
  return p;
}

double solute_radius_m(const TransportParameters& p, double molecular_weight_da) {
  const double volume_m3 = molecular_weight_da * p.molecular_volume_m3_per_da;
  return std::cbrt(3 * volume_m3 / (4 * std::numbers::pi));
}

double stratum_corneum_partition(const TransportParameters& p, const Molecule& molecule) {
  return std::pow(10.0, p.lipid_partition_exponent * log_d_at_ph(molecule, p.skin_surface_ph));
}

double stratum_corneum_permeability_m_s(const TransportParameters& p, const Molecule& molecule) {
  const double r = solute_radius_m(p, molecule.molecular_weight_da);
  const double kp = p.lipid_permeability_prefactor_m_s * stratum_corneum_partition(p, molecule) *
                    std::exp(-p.lipid_size_coefficient_per_m2 * r * r);
  // Below 1e-30 m/s (proteins, polysaccharides: exp(-0.46 r^2) is 1e-25 for EGF and underflows
  // for hyaluronan) nothing crosses in a lifetime; a clean zero keeps denormal numbers out of
  // the solver.
  return kp < 1e-30 ? 0.0 : kp;
}

double stokes_einstein_diffusivity_m2_s(double molecular_weight_da) {
  constexpr double boltzmann = 1.380649e-23;
  constexpr double avogadro = 6.02214076e23;
  constexpr double temperature_k = 305.15;
  constexpr double water_viscosity_pa_s = 0.765e-3;  // at 32 C
  constexpr double density_kg_m3 = 1300;
  const double volume_m3 = molecular_weight_da * 1e-3 / avogadro / density_kg_m3;
  const double radius_m = std::cbrt(3 * volume_m3 / (4 * std::numbers::pi));
  return boltzmann * temperature_k / (6 * std::numbers::pi * water_viscosity_pa_s * radius_m);
}

MoleculeInSkin molecule_in_skin(const TransportParameters& p, const Molecule& molecule,
                                const anatomy::SkinModel& skin) {
  MoleculeInSkin out;
  out.aqueous_diffusivity_m2_s =
      molecule.aqueous_diffusivity_m2_s > 0
          ? molecule.aqueous_diffusivity_m2_s
          : stokes_einstein_diffusivity_m2_s(molecule.molecular_weight_da);
  out.permeability_m_s = stratum_corneum_permeability_m_s(p, molecule);
  // The D^0.7 factor is partitioning into the lipids; the rest is (diffusivity / thickness).
  const double partition = stratum_corneum_partition(p, molecule);
  out.stratum_corneum = {partition, out.permeability_m_s * skin.stratum_corneum_m / partition};
  out.viable_epidermis = {1.0, out.aqueous_diffusivity_m2_s * p.viable_epidermis_hindrance};
  out.dermis = {1.0, out.aqueous_diffusivity_m2_s * p.dermis_hindrance};
  out.clearance_rate_per_s =
      p.clearance_rate_per_s *
      std::min(1.0, out.aqueous_diffusivity_m2_s / p.clearance_reference_diffusivity_m2_s);
  return out;
}

}  // namespace citsim::transport
