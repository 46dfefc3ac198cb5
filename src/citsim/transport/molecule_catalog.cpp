// SPDX-License-Identifier: MIT
#include "citsim/transport/molecule_catalog.hpp"

#include <cmath>

namespace citsim::transport {

double log_d_at_ph(const Molecule& molecule, double ph) {
  switch (molecule.charge) {
    case ChargeClass::neutral:
      return molecule.log_p;
    case ChargeClass::acid:
      return molecule.log_p - std::log10(1 + std::pow(10.0, ph - molecule.pka));
    case ChargeClass::base:
      return molecule.log_p - std::log10(1 + std::pow(10.0, molecule.pka - ph));
  }
  return molecule.log_p;
}

MoleculeCatalog::MoleculeCatalog(const std::filesystem::path& data_dir)
    : m_file(data_dir / "molecules.toml", "molecule") {
  for (const auto& id : m_file.ids()) {
    auto entry = m_file.entry(id);
    Molecule molecule;
    molecule.id = id;
    molecule.name = entry.reader().string("name");
    molecule.molecular_weight_da = entry.number("molecular_weight_da", {10, 1e8, "Da"});
    molecule.log_p = entry.number("log_p", {-20, 20, ""});
    molecule.aqueous_diffusivity_m2_s =
        entry.number("aqueous_diffusivity_m2_s", {1e-14, 1e-8, "m2/s"});
    const std::string charge =
        entry.reader().choice_or("charge", "neutral", {"neutral", "acid", "base"});
    if (charge != "neutral") {
      molecule.charge = charge == "acid" ? ChargeClass::acid : ChargeClass::base;
      // An ionisable molecule without its pKa would silently count as neutral.
      molecule.pka = entry.number("pka", {-5, 20, ""});
    } else if (entry.reader().has("pka")) {
      entry.reader().fail("pka", "given", "only with charge = \"acid\" or \"base\"");
    }
    entry.finish();
    m_molecules.push_back(molecule);
  }
}

Molecule MoleculeCatalog::resolve(const core::Topical& topical) const {
  if (topical.inline_molecule) {
    return {topical.inline_molecule->name, topical.inline_molecule->name,
            topical.inline_molecule->molecular_weight_da, topical.inline_molecule->log_p, 0.0};
  }
  for (const auto& molecule : m_molecules) {
    if (molecule.id == topical.product) return molecule;
  }
  (void)m_file.entry(topical.product, topical.product_where, "topical.product");  // throws
  throw core::InternalError("unreachable: unknown molecule " + topical.product);
}

}  // namespace citsim::transport
