// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "citsim/core/data_table.hpp"
#include "citsim/core/scenario.hpp"

namespace citsim::transport {

/// A topical molecule's properties, SI units.
struct Molecule {
  std::string id;
  std::string name;
  double molecular_weight_da = 0;
  double log_p = 0;
  double aqueous_diffusivity_m2_s = 0;  ///< 0 when not given (inline molecules)
};

/// The molecules of data/molecules.toml.
class MoleculeCatalog {
 public:
  explicit MoleculeCatalog(const std::filesystem::path& data_dir);

  [[nodiscard]] std::vector<std::string> ids() const { return m_file.ids(); }
  [[nodiscard]] const std::vector<Molecule>& molecules() const { return m_molecules; }
  /// The scenario's product: a catalogue molecule, or the inline one.
  [[nodiscard]] Molecule resolve(const core::Topical& topical) const;
  [[nodiscard]] const core::DataFile& file() const { return m_file; }

 private:
  core::DataFile m_file;
  std::vector<Molecule> m_molecules;
};

}  // namespace citsim::transport
