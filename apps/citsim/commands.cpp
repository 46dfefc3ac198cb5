// SPDX-License-Identifier: MIT
#include "commands.hpp"

#include <cmath>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "citsim/core/data_dir.hpp"
#include "citsim/core/progress.hpp"
#include "citsim/core/scenario.hpp"
#include "citsim/core/units.hpp"
#include "citsim/io/plan_writer.hpp"
#include "citsim/io/report_writer.hpp"
#include "citsim/io/result_writer.hpp"
#include "citsim/planner/planner.hpp"
#include "citsim/simulation/simulation.hpp"
#include "citsim/validation/validation.hpp"

namespace citsim::app {

namespace {

namespace units = citsim::units;

void print_summary(const simulation::SimulationResult& result) {
  if (result.device) {
    fmt::print("Device: {} ({}), needle {:.2f} mm, {} passes, {} pressure\n", result.device->name,
               result.device->id, result.device->needle.length_m / units::mm,
               result.scenario.technique.passes,
               core::to_string(result.scenario.technique.pressure));
  } else {
    fmt::print("No device: intact-skin control arm.\n");
  }
  if (result.molecule) {
    const auto& t = *result.scenario.topical;
    fmt::print("Topical: {}, {:g} mg/cm2 at {:g}%, {} for {:g} h{}\n", result.molecule->name,
               t.dose_kg_m2 / (units::mg / units::cm2), 100 * t.concentration_fraction,
               t.occluded ? "occluded" : "not occluded", t.exposure_s / units::hour,
               t.daily_applications > 0
                   ? fmt::format(", and {} a day at home", t.daily_applications)
                   : "");
  }
  for (const auto& area : result.areas) {
    fmt::print("\n{} ({}), loops at {:.0f} um, dermis ends at {:.0f} um\n", area.skin.region_name,
               area.area.region, area.skin.capillary_loop_depth_m / units::um,
               area.skin.cutis_m() / units::um);
    const bool topical = area.absorption.has_value();
    fmt::print("  {:>7} {:>5} {:>12} {:>12} {:>10} {:>9} {:>9} {:>11}{}\n", "session", "day",
               "punct./cm2", "chan./cm2", "mean um", "max um", "bleeding", "half-life h",
               topical ? fmt::format(" {:>13} {:>10}", "absorbed ug/cm2", "x intact") : "");
    for (const auto& s : area.sessions) {
      const auto& i = s.injury;
      std::string absorption;
      if (topical) {
        const double ug = units::ug / units::cm2;
        absorption =
            fmt::format(" {:>15.3g} {:>10}", s.absorbed_kg_m2 / ug,
                        s.intact_absorbed_kg_m2 > 0
                            ? fmt::format("{:.3g}", s.absorbed_kg_m2 / s.intact_absorbed_kg_m2)
                            : std::string("(none)"));
      }
      fmt::print("  {:>7} {:>5.0f} {:>12.0f} {:>12.0f} {:>10.0f} {:>9.0f} {:>9} {:>11.2f}{}\n",
                 s.index + 1, s.day, i.punctures_per_m2 * units::cm2,
                 i.channels_per_m2 * units::cm2, i.mean_depth_m / units::um,
                 i.max_depth_m / units::um,
                 i.bleeding ? fmt::format("yes {:.0f}%", 100 * i.bleeding_fraction) : "no",
                 i.channel_half_life_s / units::hour, absorption);
    }
    if (!area.sessions.empty() && result.device) {
      const auto& first = area.sessions.front();
      fmt::print("  downtime {:.1f} days per session, PIH risk {:.2g}% per session (session 1)\n",
                 first.downtime_days, 100 * first.pih_risk);
    }
    for (const auto& o : area.outcomes) {
      fmt::print("  {:<20} {:g} -> {:.2f} {} (95% {:.2f}-{:.2f}), {:+.0f}% at day {:.0f}\n",
                 o.concern, o.baseline, o.predicted, o.unit, o.ci95[0], o.ci95[1],
                 o.improvement_pct, o.assessment_day);
    }
  }
}

/// The simulation reports what the needles do; a clinician should hear when that is past the
/// dermis (into fat) or bleeds on thin skin, without digging through the table.
void warn_about_depth(const simulation::SimulationResult& result) {
  for (const auto& area : result.areas) {
    for (const auto& session : area.sessions) {
      if (session.injury.max_depth_m > area.skin.cutis_m()) {
        spdlog::warn(
            "{}: session {} reaches {:.0f} um, past the dermis ({:.0f} um) into the "
            "hypodermis; this depth exceeds what the modelled anatomy allows",
            area.area.region, session.index + 1, session.injury.max_depth_m / units::um,
            area.skin.cutis_m() / units::um);
        break;
      }
    }
  }
}

/// voxel3d simulates a corner of the puncture patch: one too small for the channel density
/// holds none, and then its "with channels" absorption is intact skin's. Say so, with the side
/// that holds one channel on average.
void warn_about_empty_voxel_patch(const simulation::SimulationResult& result) {
  const double side = result.scenario.simulation.voxel_patch_side_m;
  for (const auto& area : result.areas) {
    if (!area.voxel_fields || area.voxel_fields->channels > 0) continue;
    double channels_per_m2 = 0;
    for (const auto& session : area.sessions) channels_per_m2 += session.injury.channels_per_m2;
    if (channels_per_m2 <= 0) continue;
    spdlog::warn(
        "{}: no channel falls in the voxel3d patch ({:g} mm side; {:.2f} expected from {:.0f} "
        "channels/cm2 over the sessions), so its absorption is that of intact skin; a "
        "simulation.voxel_patch_mm of {:.2f} or more holds one channel on average",
        area.area.region, side / units::mm, channels_per_m2 * side * side,
        channels_per_m2 * units::cm2, 1.0 / std::sqrt(channels_per_m2) / units::mm);
  }
}

void create_output_folder(const std::filesystem::path& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec || !std::filesystem::is_directory(out_dir)) {
    throw core::InputError(fmt::format("{}: cannot create the output folder ({})", out_dir.string(),
                                       ec ? ec.message() : "a file of that name exists"));
  }
}

void print_plan(const planner::PlanResult& result) {
  fmt::print("Patient: {}\n", result.candidate ? "a candidate" : "NOT a candidate");
  for (const auto& reason : result.reasons) fmt::print("  {}\n", reason);
  for (const auto& check : result.screening.checks) {
    if (!check.present) continue;
    const auto& c = *check.contraindication;
    fmt::print("  flag {} ({}, {}): {}\n", c.id, planner::to_string(c.kind),
               planner::to_string(c.scope), c.effect);
  }
  for (const auto& area : result.areas) {
    fmt::print("\n{} ({}): {}\n", area.skin.region_name, area.area.region,
               area.candidate ? "candidate" : "not a candidate");
    for (const auto& reason : area.reasons) fmt::print("  {}\n", reason);
    if (!area.candidate) continue;
    const auto& f = area.plan->figures;
    fmt::print("  safe needle length at most {:.2f} mm\n", area.max_safe_needle_m / units::mm);
    fmt::print("  plan: {}\n", area.plan->label);
    fmt::print(
        "    {:+.1f}% predicted improvement, downtime {:.1f} days in total ({:.1f} at most), "
        "PIH risk {:.2f}% per session at most, score {:.3f}\n",
        f.improvement_pct, f.downtime_days_total, f.downtime_days_max, 100 * f.pih_risk_max,
        f.score);
    for (const auto& o : area.simulated->outcomes) {
      fmt::print("    {:<20} {:g} -> {:.2f} {} (95% {:.2f}-{:.2f}, virtual cohort)\n", o.concern,
                 o.baseline, o.predicted, o.unit, o.ci95[0], o.ci95[1]);
    }
    for (const auto& alternative : area.alternatives) {
      fmt::print("  not: {}\n    {}\n", alternative.label, alternative.why_not);
    }
    for (const auto& p : area.precautions) fmt::print("  precaution: {}\n", p.text);
  }
}

}  // namespace

int plan_command(const std::filesystem::path& patient_path, const std::filesystem::path& out_dir) {
  const core::Scenario scenario = core::load_scenario(patient_path);
  const simulation::Catalogs catalogs(core::data_dir());
  const planner::PlannerCatalog planner(catalogs.data_dir);
  planner::check_patient_file(scenario, catalogs, planner);
  const std::string report_template = io::load_report_template();
  // Every input check (constraints included) happens in make_plan before the folder exists.
  const auto result = planner::make_plan(scenario, catalogs, planner);
  create_output_folder(out_dir);
  io::write_plan_outputs(out_dir, result, report_template);
  print_plan(result);
  fmt::print("\nWrote {}/report.html and result.json\n", out_dir.string());
  return 0;
}

int run_command(const std::filesystem::path& scenario_path, const std::filesystem::path& out_dir) {
  const core::Scenario scenario = core::load_scenario(scenario_path);
  const simulation::Catalogs catalogs(core::data_dir());
  spdlog::debug("data from {}", catalogs.data_dir.string());
  simulation::check_scenario(scenario, catalogs);
  if (scenario.constraints) {
    throw core::InputError(scenario.constraints->where, "constraints", "(given)",
                           "[constraints] is for citsim plan, which chooses the treatment; "
                           "citsim run simulates the one the file gives");
  }
  // Read before any work: a run that cannot write its report writes nothing.
  const std::string report_template = io::load_report_template();
  create_output_folder(out_dir);

  const std::size_t total = scenario.areas.size() * scenario.protocol.sessions;
  core::Progress progress("simulating", total);
  const auto result = simulation::simulate(scenario, catalogs, [&] { progress.advance(); });
  progress.finish();

  warn_about_depth(result);
  warn_about_empty_voxel_patch(result);
  io::write_run_outputs(out_dir, result, report_template);
  print_summary(result);
  fmt::print("\nWrote {}/report.html, result.json, timeline.csv and config.toml\n",
             out_dir.string());
  return 0;
}

int list_command(const std::string& what) {
  const auto dir = core::data_dir();
  if (what == "regions") {
    const anatomy::RegionCatalog regions(dir);
    fmt::print("{:<12} {:<32} {:>6} {:>6} {:>6} {:>6} {:>7} {:>7}\n", "id", "name", "SC um",
               "VE um", "PD um", "RD um", "loop um", "E kPa");
    for (const auto& id : regions.ids()) {
      const auto& s = regions.reference(id);
      fmt::print("{:<12} {:<32} {:>6.1f} {:>6.1f} {:>6.0f} {:>6.0f} {:>7.0f} {:>7.0f}\n", id,
                 s.region_name, s.stratum_corneum_m / units::um, s.viable_epidermis_m / units::um,
                 s.papillary_dermis_m / units::um, s.reticular_dermis_m / units::um,
                 s.capillary_loop_depth_m / units::um, s.young_modulus_pa / units::kpa);
    }
    fmt::print(
        "\nSC stratum corneum, VE viable epidermis, PD/RD papillary/reticular dermis, loop "
        "depth of the capillary loops, E Young's modulus; reference adult of {:.0f} y.\n"
        "Sources: {}\n",
        regions.modifiers().reference_age_years, regions.file().file());
  } else if (what == "devices") {
    const device::DeviceCatalog devices(dir);
    fmt::print("{:<12} {:<7} {:>7} {:>9} {:>8} {}\n", "id", "kind", "needles", "length mm",
               "diam mm", "name");
    for (const auto& id : devices.ids()) {
      const auto& d = devices.spec(id);
      fmt::print("{:<12} {:<7} {:>7} {:>9.2f} {:>8.2f} {}\n", id, core::to_string(d.kind),
                 d.needles, d.needle.length_m / units::mm, d.needle.diameter_m / units::mm, d.name);
    }
  } else if (what == "molecules") {
    const transport::MoleculeCatalog molecules(dir);
    fmt::print("{:<24} {:>11} {:>6} {:>12} {}\n", "id", "MW Da", "log P", "D_aq m2/s", "name");
    for (const auto& m : molecules.molecules()) {
      fmt::print("{:<24} {:>11.6g} {:>6.2f} {:>12.3g} {}\n", m.id, m.molecular_weight_da, m.log_p,
                 m.aqueous_diffusivity_m2_s, m.name);
    }
  } else if (what == "contraindications") {
    const planner::PlannerCatalog planner(dir);
    fmt::print("{:<26} {:<9} {:<8} {}\n", "flag", "kind", "scope", "name");
    for (const auto& c : planner.contraindications()) {
      fmt::print("{:<26} {:<9} {:<8} {}\n    {}\n", c.id, planner::to_string(c.kind),
                 planner::to_string(c.scope), c.name, c.effect);
    }
    fmt::print(
        "\nFlags go in [patient] history = [...], area flags also in an [[area]]'s history.\n"
        "Sources: {}\n",
        planner.contraindications_file().file());
  } else if (what == "concerns") {
    const outcome::ConcernCatalog concerns(dir);
    for (const auto& c : concerns.concerns()) {
      fmt::print("{} — {}\n  scale: {} ({:g} to {:g} {}, {} is better)\n", c.id, c.name, c.scale,
                 c.severity_min, c.severity_max, c.unit, c.lower_is_better ? "lower" : "higher");
      for (const auto& level : c.levels) fmt::print("    {}\n", level);
    }
  }
  return 0;
}

int validate_command(const std::string& filter, bool calibrate) {
  const simulation::Catalogs catalogs(core::data_dir());
  if (calibrate) {
    fmt::print(
        "membrane_prestrain calibrated to Donnelly 2011: {:.5f} (data/injury.toml: {:.5f})\n",
        validation::calibrate_membrane_prestrain(catalogs),
        catalogs.injury.penetration().membrane_prestrain);
    const auto fit = validation::fit_side_effects(catalogs);
    const auto& downtime = catalogs.outcomes.downtime;
    const auto& pih = catalogs.outcomes.pih;
    const auto refitted = [](const char* name, double fitted, double in_data) {
      fmt::print("{} re-fitted: {:.4f} (data/outcomes.toml: {:.4f})\n", name, fitted, in_data);
    };
    refitted("downtime epidermal_days", fit.downtime_epidermal_days,
             downtime.epidermal_s / units::day);
    refitted("downtime dermal_fill_mm_per_day", fit.downtime_dermal_fill_mm_per_day,
             downtime.dermal_fill_m_per_s * units::day / units::mm);
    refitted("pih intercept", fit.pih_intercept, pih.intercept);
    refitted("pih per_fitzpatrick_type", fit.pih_per_fitzpatrick_type, pih.per_fitzpatrick_type);
  }
  int failed = 0;
  int gaps = 0;
  int shown = 0;
  fmt::print("{:<40} {:<11} {:>11} {:>11} {:<6} {:<22} {}\n", "case", "role", "measured",
             "reference", "unit", "tolerance", "result");
  for (const auto& c : validation::run_cases(catalogs)) {
    if (!filter.empty() && c.name.find(filter) == std::string::npos) continue;
    ++shown;
    const bool must_pass = c.role != validation::Role::known_gap;
    const std::string verdict = c.passed ? "pass" : must_pass ? "FAIL" : "outside (known gap)";
    if (!c.passed && must_pass) ++failed;
    if (!must_pass) ++gaps;
    fmt::print("{:<40} {:<11} {:>11.4g} {:>11.4g} {:<6} {:<22} {}\n", c.name,
               validation::to_string(c.role), c.measured, c.reference, c.unit, c.tolerance,
               verdict);
    fmt::print("    {}; {}{}\n", c.quantity, c.source, c.note.empty() ? "" : "; " + c.note);
  }
  if (shown == 0) throw core::InputError("validate --case '" + filter + "': no case matches");
  fmt::print("\n{} passed, {} failed, {} skipped\n", shown - failed - gaps, failed, gaps);
  if (gaps > 0) {
    fmt::print("(skipped: known gaps, reported but not asserted; see docs/model.md)\n");
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace citsim::app
