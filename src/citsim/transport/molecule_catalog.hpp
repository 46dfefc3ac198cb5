// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "citsim/core/data_table.hpp"
#include "citsim/core/scenario.hpp"

namespace citsim::transport {

/// Whether a molecule ionises near skin pH, and how: the neutral fraction sets its log D.
enum class ChargeClass { neutral, acid, base };

/// A topical molecule's properties, SI units.
struct Molecule {
  std::string id;
  std::string name;
  double molecular_weight_da = 0;
  double log_p = 0;                     ///< of the neutral species
  double aqueous_diffusivity_m2_s = 0;  ///< 0 when not given (inline molecules)
  ChargeClass charge = ChargeClass::neutral;
  double pka = 0;  ///< of the ionising group (acid or base); unused when neutral
};

/// log10 of the octanol/water distribution coefficient at this pH: log P of the neutral species
/// plus log10 of its fraction (Henderson-Hasselbalch; ions taken as not partitioning).
double log_d_at_ph(const Molecule& molecule, double ph);

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
