// SPDX-License-Identifier: MIT
#include "citsim/anatomy/region_catalog.hpp"

#include <algorithm>

#include "citsim/core/units.hpp"

namespace citsim::anatomy {

namespace {

using core::Range;
namespace units = citsim::units;

constexpr std::array<const char*, 7> k_region_keys = {
    "stratum_corneum_um", "viable_epidermis_um",     "papillary_dermis_um", "reticular_dermis_um",
    "hypodermis_um",      "capillary_loop_depth_um", "young_modulus_kpa"};

AnatomyModifiers read_modifiers(const core::DataFile& file) {
  auto entry = file.section("modifiers");
  AnatomyModifiers m;
  m.reference_age_years = entry.number("reference_age_years", {18, 80, "years"});
  m.dermis_thinning_per_year = entry.number("dermis_thinning_per_year_over_ref", {0, 0.05, "/y"});
  m.epidermis_thinning_per_year =
      entry.number("epidermis_thinning_per_year_over_ref", {0, 0.05, "/y"});
  m.young_modulus_young_pa = entry.number("young_modulus_young_kpa", {1, 1e5, "kPa"}) * units::kpa;
  m.young_modulus_old_pa = entry.number("young_modulus_old_kpa", {1, 1e5, "kPa"}) * units::kpa;
  m.female_dermis_factor = entry.number("female_dermis_factor", {0.5, 1.5, ""});
  m.collagen_loss_per_year = entry.number("collagen_loss_per_year", {0, 0.05, "/y"});
  entry.finish();
  return m;
}

// Agache et al. measured two age groups (under and over 30 y); a linear ramp from 25 to 45 y
// replaces their step so that stiffness does not jump at a birthday.
double stiffness_age_factor(const AnatomyModifiers& m, double age_years) {
  const double ramp = std::clamp((age_years - 25.0) / 20.0, 0.0, 1.0);
  return (m.young_modulus_young_pa + ramp * (m.young_modulus_old_pa - m.young_modulus_young_pa));
}

}  // namespace

RegionCatalog::RegionCatalog(const std::filesystem::path& data_dir)
    : m_file(data_dir / "regions.toml", "region") {
  m_modifiers = read_modifiers(m_file);
  for (const auto& id : m_file.ids()) {
    auto entry = m_file.entry(id);
    SkinModel skin;
    skin.region = id;
    skin.region_name = entry.reader().string("name");
    const Range thickness{0.1, 100000, "um"};
    skin.stratum_corneum_m = entry.number("stratum_corneum_um", thickness) * units::um;
    skin.viable_epidermis_m = entry.number("viable_epidermis_um", thickness) * units::um;
    skin.papillary_dermis_m = entry.number("papillary_dermis_um", thickness) * units::um;
    skin.reticular_dermis_m = entry.number("reticular_dermis_um", thickness) * units::um;
    skin.hypodermis_m = entry.number("hypodermis_um", thickness) * units::um;
    skin.capillary_loop_depth_m = entry.number("capillary_loop_depth_um", thickness) * units::um;
    skin.young_modulus_pa = entry.number("young_modulus_kpa", {1, 1e5, "kPa"}) * units::kpa;
    for (const char* key : k_region_keys) m_sources[id][key] = entry.source_of(key);
    entry.finish();
    // The loops sit in the dermal papillae: below the epidermis, above the papillary dermis'
    // lower limit. Anything else is a data error, caught here rather than in a wrong result.
    const double loop = skin.capillary_loop_depth_m;
    if (loop <= skin.epidermis_m() || loop >= skin.epidermis_m() + skin.papillary_dermis_m) {
      throw core::InputError(m_file.file() + ": [region." + id +
                             "] capillary_loop_depth_um must lie inside the papillary dermis "
                             "(below the epidermis, above the papillary dermis' lower limit)");
    }
    m_regions.emplace(id, skin);
  }
}

const SkinModel& RegionCatalog::reference(const std::string& region,
                                          const core::SourceLocation& asked_at,
                                          const std::string& key) const {
  const auto found = m_regions.find(region);
  if (found == m_regions.end()) {
    (void)m_file.entry(region, asked_at, key);  // throws with the known ids and a suggestion
    throw core::InternalError("unreachable: unknown region " + region);
  }
  return found->second;
}

SkinModel RegionCatalog::skin_for(const std::string& region, const core::Patient& patient,
                                  const core::SourceLocation& asked_at,
                                  const std::string& key) const {
  SkinModel skin = reference(region, asked_at, key);
  const AnatomyModifiers& m = m_modifiers;
  const double years_over = std::max(0.0, patient.age_years - m.reference_age_years);
  const double dermis_age = std::max(0.5, 1.0 - m.dermis_thinning_per_year * years_over);
  const double epidermis_age = std::max(0.5, 1.0 - m.epidermis_thinning_per_year * years_over);
  // Regional values are sex-averaged; the female/male ratio splits them around that mean.
  const double mean_sex = 0.5 * (1.0 + m.female_dermis_factor);
  double dermis_sex = 1.0;
  if (patient.sex == core::Sex::female) dermis_sex = m.female_dermis_factor / mean_sex;
  if (patient.sex == core::Sex::male) dermis_sex = 1.0 / mean_sex;
  const double dermis_factor = dermis_age * dermis_sex;

  const double loop_into_papillary = skin.capillary_loop_depth_m - skin.epidermis_m();
  skin.viable_epidermis_m *= epidermis_age;
  skin.papillary_dermis_m *= dermis_factor;
  skin.reticular_dermis_m *= dermis_factor;
  skin.capillary_loop_depth_m = skin.epidermis_m() + loop_into_papillary * dermis_factor;
  skin.young_modulus_pa *=
      stiffness_age_factor(m, patient.age_years) / stiffness_age_factor(m, m.reference_age_years);
  skin.collagen_rel =
      std::max(0.3, 1.0 - m.collagen_loss_per_year * (patient.age_years - m.reference_age_years));
  return skin;
}

std::string RegionCatalog::source(const std::string& region, const std::string& key) const {
  const auto found = m_sources.find(region);
  if (found == m_sources.end()) return {};
  const auto value = found->second.find(key);
  return value == found->second.end() ? std::string{} : m_file.citation(value->second);
}

std::vector<std::string> RegionCatalog::cited_sources(const std::string& region) const {
  std::vector<std::string> out;
  const auto found = m_sources.find(region);
  if (found == m_sources.end()) return out;
  for (const auto& [key, source] : found->second) {
    if (m_file.sources().contains(source)) out.push_back(source);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace citsim::anatomy
