// SPDX-License-Identifier: MIT
#include "citsim/planner/planner_data.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "citsim/core/text.hpp"
#include "citsim/core/units.hpp"

namespace citsim::planner {

namespace {

namespace units = citsim::units;

/// A cite key must name a source of the file, as numbers' sources do.
std::string read_cite(core::DataFile::Entry& entry, const core::DataFile& file,
                      std::string_view key = "cite") {
  auto& reader = entry.reader();
  const std::string cite = reader.string(key);
  if (!file.sources().contains(cite)) {
    reader.fail(key, "\"" + cite + "\"", "must be an id of [sources]");
  }
  return cite;
}

Contraindication read_contraindication(const core::DataFile& file, const std::string& id) {
  auto entry = file.entry(id);
  auto& reader = entry.reader();
  Contraindication c;
  c.id = id;
  c.name = reader.string("name");
  c.kind = reader.choice_or("kind", "", {"absolute", "relative"}) == "absolute"
               ? Severity::absolute
               : Severity::relative;
  c.scope = reader.choice_or("scope", "", {"patient", "area"}) == "patient" ? Scope::patient
                                                                            : Scope::area;
  c.effect = reader.string("effect");
  c.cite = read_cite(entry, file);
  if (reader.has("also_cite")) (void)read_cite(entry, file, "also_cite");
  c.depth_factor = entry.optional_number("depth_factor", {0.1, 1, ""});
  if (auto passes = entry.optional_integer("max_passes", 1, 20)) {
    c.max_passes = static_cast<int>(*passes);
  }
  if (auto days = entry.optional_number("min_interval_days", {1, 365, "days"})) {
    c.min_interval_s = *days * units::day;
  }
  const bool tightens = c.depth_factor || c.max_passes || c.min_interval_s;
  if (c.kind == Severity::absolute && tightens) {
    reader.fail("kind", "\"absolute\"",
                "an absolute contraindication excludes; depth_factor, max_passes and "
                "min_interval_days belong to relative ones");
  }
  entry.finish();
  return c;
}

CareStep read_care_step(const core::DataFile& file, const std::string& id) {
  auto entry = file.entry(id);
  auto& reader = entry.reader();
  CareStep step;
  step.id = id;
  const std::string phase = reader.choice_or("phase", "", {"pre", "sterilization", "post"});
  step.phase = phase == "pre"    ? CarePhase::pre
               : phase == "post" ? CarePhase::post
                                 : CarePhase::sterilization;
  step.text = reader.string("text");
  step.reason = reader.string("reason");
  step.cite = read_cite(entry, file);
  if (step.phase == CarePhase::pre) step.timing = reader.string("timing");
  if (step.phase == CarePhase::post) {
    step.day_from = entry.number("day_from", {0, 365, "days"});
    step.day_to = entry.number("day_to", {step.day_from, 365, "days"});
    step.day_to_per_mm = entry.optional_number("day_to_per_mm", {0, 30, "days per mm"}).value_or(0);
    step.until_downtime = reader.boolean_or("until_downtime", false);
  }
  for (const auto& kind : reader.string_list_or("devices", {})) {
    if (kind == "pen")
      step.devices.push_back(core::DeviceKind::pen);
    else if (kind == "roller")
      step.devices.push_back(core::DeviceKind::roller);
    else if (kind == "stamp")
      step.devices.push_back(core::DeviceKind::stamp);
    else
      reader.fail("devices", "\"" + kind + "\"", "each must be pen, roller or stamp");
  }
  if (auto mm = entry.optional_number("min_needle_mm", {0, 3, "mm"})) {
    step.min_needle_m = *mm * units::mm;
  }
  entry.finish();
  return step;
}

std::vector<std::string> in_file_order(const core::DataFile& file) {
  std::vector<std::pair<int, std::string>> lines;
  for (const auto& id : file.ids()) {
    auto entry = file.entry(id);
    lines.emplace_back(entry.reader().location().line, id);
  }
  std::sort(lines.begin(), lines.end());
  std::vector<std::string> out;
  for (auto& [line, id] : lines) out.push_back(std::move(id));
  return out;
}

std::vector<int> integers(const std::vector<double>& values) {
  std::vector<int> out;
  for (double v : values) out.push_back(static_cast<int>(v));
  return out;
}

}  // namespace

PlannerCatalog::PlannerCatalog(const std::filesystem::path& dir)
    : m_contra_file(dir / "contraindications.toml", "contraindication"),
      m_care_file(dir / "care.toml", "step"),
      m_planner_file(dir / "planner.toml", "concern") {
  // In file order: the files group and order their entries (care steps in the order they are
  // done), while the TOML table itself is sorted by id.
  for (const auto& id : in_file_order(m_contra_file)) {
    m_contraindications.push_back(read_contraindication(m_contra_file, id));
  }
  for (const auto& id : in_file_order(m_care_file)) {
    m_care.push_back(read_care_step(m_care_file, id));
  }

  for (const auto& id : m_planner_file.ids()) {
    auto entry = m_planner_file.entry(id);
    auto& reader = entry.reader();
    ConcernRule rule;
    rule.id = id;
    rule.regions = reader.string_list_or("regions", {});
    rule.regions_note = reader.string("regions_note");
    rule.serum = reader.string("serum");
    rule.serum_concentration_fraction =
        entry.number("serum_concentration_pct", {0.001, 100, "% w/w"}) / 100;
    rule.serum_daily_applications =
        static_cast<int>(entry.integer("serum_daily_applications", 0, 6));
    rule.serum_note = reader.string("serum_note");
    entry.finish();
    m_concerns[id] = rule;
  }
  {
    auto e = m_planner_file.section("search");
    for (double mm : e.number_list("needle_lengths_mm", {0.1, 3, "mm"})) {
      m_search.needle_lengths_m.push_back(mm * units::mm);
    }
    std::sort(m_search.needle_lengths_m.begin(), m_search.needle_lengths_m.end());
    m_search.passes = integers(e.number_list("passes", {1, 20, ""}));
    m_search.sessions = integers(e.number_list("sessions", {1, 24, ""}));
    for (double days : e.number_list("interval_days", {1, 365, "days"})) {
      m_search.intervals_s.push_back(days * units::day);
    }
    m_search.ramp_from_m = e.number("ramp_from_mm", {0, 3, "mm"}) * units::mm;
    m_search.follow_up_s = e.number("follow_up_days", {0, 3650, "days"}) * units::day;
    m_search.serum_dose_kg_m2 =
        e.number("serum_dose_mg_cm2", {0.01, 100, "mg/cm2"}) * units::mg / units::cm2;
    m_search.serum_exposure_s = e.number("serum_exposure_h", {0.01, 168, "h"}) * units::hour;
    e.finish();
    if (m_search.needle_lengths_m.empty() || m_search.passes.empty() || m_search.sessions.empty() ||
        m_search.intervals_s.empty()) {
      throw core::InputError(m_planner_file.file() +
                             ": [search] needs needle_lengths_mm, passes, sessions and "
                             "interval_days, each with at least one value");
    }
  }
  {
    auto e = m_planner_file.section("devices");
    m_devices = e.reader().string_list_or("ids", {});
    e.finish();
  }
  {
    auto e = m_planner_file.section("depth_cap");
    m_dermis_fraction = e.number("dermis_fraction", {0.1, 1, ""});
    for (const auto& key : e.reader().keys()) {
      if (key.size() > 3 && key.ends_with("_mm") && !key.ends_with("_source")) {
        m_region_caps_m[key.substr(0, key.size() - 3)] = e.number(key, {0.1, 3, "mm"}) * units::mm;
      }
    }
    e.finish();
  }
  {
    auto e = m_planner_file.section("skin_of_colour");
    m_skin_of_colour.from_type = static_cast<int>(e.integer("from_type", 1, 7));
    m_skin_of_colour.depth_factor = e.number("depth_factor", {0.1, 1, ""});
    m_skin_of_colour.max_passes = static_cast<int>(e.integer("max_passes", 1, 20));
    m_skin_of_colour.min_interval_s = e.number("min_interval_days", {1, 365, "days"}) * units::day;
    e.finish();
  }
  {
    auto e = m_planner_file.section("score");
    m_score.downtime_per_day = e.number("downtime_weight_per_day", {0, 1, "per day"});
    m_score.pih = e.number("pih_weight", {0, 100, ""});
    m_score.per_session = e.number("session_weight", {0, 1, "per session"});
    e.finish();
  }
}

const Contraindication* PlannerCatalog::find(const std::string& flag) const {
  for (const auto& c : m_contraindications) {
    if (c.id == flag) return &c;
  }
  return nullptr;
}

const ConcernRule& PlannerCatalog::concern(const std::string& id) const {
  const auto found = m_concerns.find(id);
  if (found == m_concerns.end()) {
    throw core::InputError(fmt::format("{}: no [concern.{}] rule (regions, serum) for the planner",
                                       m_planner_file.file(), id));
  }
  return found->second;
}

double PlannerCatalog::region_cap_m(const std::string& region) const {
  const auto found = m_region_caps_m.find(region);
  if (found == m_region_caps_m.end()) {
    throw core::InputError(fmt::format("{}: [depth_cap] has no {}_mm for region \"{}\"",
                                       m_planner_file.file(), region, region));
  }
  return found->second;
}

namespace {

/// The first year (19xx or 20xx, as a whole word) in a reference, or empty. A plain scan: GCC
/// 12's <regex> trips -Wmaybe-uninitialized in the sanitizer build.
std::string first_year(const std::string& text) {
  const auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  for (std::size_t i = 0; i + 4 <= text.size(); ++i) {
    const bool starts = i == 0 || !is_word(text[i - 1]);
    const bool ends = i + 4 == text.size() || !is_word(text[i + 4]);
    const bool digits =
        std::all_of(text.begin() + static_cast<long>(i), text.begin() + static_cast<long>(i + 4),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (starts && ends && digits &&
        (text.compare(i, 2, "19") == 0 || text.compare(i, 2, "20") == 0)) {
      return text.substr(i, 4);
    }
  }
  return {};
}

}  // namespace

std::string short_citation(const std::string& reference) {
  const std::string year = first_year(reference);
  if (year.empty()) return reference.substr(0, reference.find(" ("));
  if (reference.starts_with("U.S. Food and Drug Administration")) return "FDA " + year;
  std::string author;
  for (char ch : reference) {
    if (ch == ' ' || ch == ',') break;
    author += ch;
  }
  return author + " " + year;
}

std::string to_string(Severity kind) {
  return kind == Severity::absolute ? "absolute" : "relative";
}

std::string to_string(Scope scope) {
  return scope == Scope::patient ? "patient" : "area";
}

}  // namespace citsim::planner
