// SPDX-License-Identifier: MIT
// The citsim command line: parses arguments and maps errors to exit codes (0 ok, 2 bad input,
// 1 internal failure). Everything else lives in libcitsim.
#include <cstdio>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "citsim/core/error.hpp"
#include "citsim/core/git_hash.hpp"
#include "citsim/core/logging.hpp"
#include "citsim/core/version.hpp"
#include "commands.hpp"

namespace {

constexpr const char* k_description =
    "citsim simulates collagen induction therapy (microneedling): for a patient, the treated\n"
    "areas and a device (roller, pen or stamp) it computes how deep the needles really go, how\n"
    "many channels they open per cm2, whether they reach the capillary loops (pinpoint\n"
    "bleeding) and how fast the channels reseal; `citsim plan` chooses a safe treatment\n"
    "for a patient. Decision support for a qualified professional, not a medical device.";

constexpr const char* k_footer =
    "\nExamples:\n"
    "  citsim run examples/default.toml -o out/default   simulate the bundled example\n"
    "  citsim plan examples/patient.toml -o out/plan     plan a treatment for a patient\n"
    "  citsim list regions                               the skin regions and their layers\n"
    "  citsim list devices                               rollers, pens and stamps\n"
    "  citsim validate                                   measured vs published figures\n"
    "  citsim run --help                                 the scenario keys and outputs\n"
    "\nExit status: 0 success, 2 bad input (the message names file, line, key and range),\n"
    "1 internal error. Data: $CITSIM_DATA_DIR or the source tree's data/.";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{k_description, "citsim"};
  app.footer(k_footer);
  app.set_version_flag("--version",
                       fmt::format("citsim {} ({})", citsim::k_version, citsim::k_git_hash));
  app.require_subcommand(1);
  bool quiet = false;
  bool verbose = false;
  app.add_flag("-q,--quiet", quiet, "Print only warnings and errors");
  app.add_flag("-v,--verbose", verbose, "Print debugging detail");

  auto* run = app.add_subcommand("run", "Simulate a scenario (TOML) and write its results");
  std::string scenario_path;
  std::string out_dir = "out";
  run->add_option("SCENARIO", scenario_path, "Scenario file; see examples/ and docs/scenario.md")
      ->required();
  run->add_option("-o,--output", out_dir,
                  "Output folder; gets report.html (a self-contained page to open in a browser), "
                  "result.json, timeline.csv (open channels over time) and config.toml (the "
                  "scenario with every default filled)")
      ->capture_default_str();
  run->footer(
      "\nThe scenario names [patient], one or more [[area]], an optional [device] (without it\n"
      "the run is the intact-skin control), [technique], [topical], [protocol], [simulation].\n"
      "Units are in the key names (needle_length_mm, interval_days). Unknown keys and values\n"
      "out of range are errors. Same scenario and seed give the same bytes.");

  auto* plan = app.add_subcommand(
      "plan", "Plan a treatment for a patient file: screening, device, depth, protocol, care");
  std::string patient_path;
  std::string plan_dir = "out/plan";
  plan->add_option("PATIENT", patient_path, "Patient file (TOML); see examples/patient.toml")
      ->required();
  plan->add_option("-o,--output", plan_dir,
                   "Output folder; gets report.html and result.json (screening, the chosen plan "
                   "and two alternatives with why they lost, care, and the chosen plan's "
                   "simulated sessions, timeline and outcomes)")
      ->capture_default_str();
  plan->footer(
      "\nA patient file has [patient] (age_years, fitzpatrick, sex, history = [flags]), one or\n"
      "more [[area]] (region, area_cm2, concerns, history = [area flags]) and optionally\n"
      "[constraints] (max_sessions, default 6; max_downtime_days per session, default 14).\n"
      "It names no [device], [technique], [topical] or [protocol]: the planner chooses them.\n"
      "\n"
      "What it does:\n"
      "  1. screening: each history flag against data/contraindications.toml; an absolute one\n"
      "     makes the patient or area not a candidate (exit 0, candidate = false, with the\n"
      "     reason); a relative one adds precautions and may tighten depth, passes, interval.\n"
      "     citsim list contraindications shows the flags.\n"
      "  2. safety cap per area: the needle stays inside the dermis of the modelled skin and\n"
      "     below the region's cap (data/planner.toml); shallower and fewer passes, longer\n"
      "     intervals for Fitzpatrick IV-VI.\n"
      "  3. search: devices, needle lengths, passes, sessions, intervals; each plan simulated\n"
      "     on the patient (injury, transport, healing) and ranked by improvement against\n"
      "     downtime, hyperpigmentation risk and visits (docs/model.md, planner).\n"
      "  4. the chosen plan through the full pipeline with the virtual cohort; care before,\n"
      "     during and after each session (data/care.toml).\n"
      "\n"
      "Bad input (exit 2, nothing written): no [[area]], a concern not treated on its region\n"
      "(e.g. hair_loss on the perioral area), an unknown history flag, max_sessions = 0, a\n"
      "treatment table in a patient file.");

  auto* list = app.add_subcommand(
      "list", "Print a catalogue: regions, devices, molecules, concerns, contraindications");
  std::string what;
  list->add_option("WHAT", what, "regions | devices | molecules | concerns | contraindications")
      ->required()
      ->check(CLI::IsMember({"regions", "devices", "molecules", "concerns", "contraindications"}));

  auto* validate = app.add_subcommand(
      "validate", "Run the validation cases: measured against analytic and published figures");
  std::string case_filter;
  bool calibrate = false;
  validate->add_option("--case", case_filter, "Run only the cases whose name contains this");
  validate->add_flag("--calibrate", calibrate,
                     "Also re-fit the calibrated parameters and print them beside data/'s");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 2;
  }

  citsim::core::setup_logging(quiet     ? citsim::core::Verbosity::quiet
                              : verbose ? citsim::core::Verbosity::verbose
                                        : citsim::core::Verbosity::normal);
  try {
    if (*run) return citsim::app::run_command(scenario_path, out_dir);
    if (*plan) return citsim::app::plan_command(patient_path, plan_dir);
    if (*list) return citsim::app::list_command(what);
    if (*validate) return citsim::app::validate_command(case_filter, calibrate);
  } catch (const citsim::core::InputError& error) {
    std::fprintf(stderr, "citsim: error: %s\n", error.what());
    return 2;
  } catch (const std::exception& error) {
    std::fprintf(stderr, "citsim: internal error: %s\n", error.what());
    return 1;
  }
  return 1;
}
