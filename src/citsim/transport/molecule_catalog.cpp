// SPDX-License-Identifier: MIT
#include "citsim/transport/molecule_catalog.hpp"

namespace citsim::transport {

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
