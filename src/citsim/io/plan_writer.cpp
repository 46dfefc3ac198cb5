// SPDX-License-Identifier: MIT
#include "citsim/io/plan_writer.hpp"

#include "citsim/core/units.hpp"
#include "citsim/io/atomic_file.hpp"
#include "citsim/io/report_writer.hpp"
#include "citsim/io/result_writer.hpp"

namespace citsim::io {

namespace {

namespace units = citsim::units;
using nlohmann::ordered_json;

ordered_json plan_entry(const planner::RankedPlan& plan) {
  const auto& spec = plan.spec;
  const auto& f = plan.figures;
  ordered_json lengths = ordered_json::array();
  for (double m : spec.needle_length_m) lengths.push_back(m / units::mm);
  ordered_json out = {{"label", plan.label},
                      {"device", spec.device_id},
                      {"device_kind", core::to_string(spec.device_kind)},
                      {"needle_length_mm", lengths},
                      {"passes", spec.passes},
                      {"pattern", core::to_string(spec.pattern)},
                      {"pressure", core::to_string(spec.pressure)},
                      {"sessions", spec.sessions},
                      {"interval_days", spec.interval_s / units::day},
                      {"serum", spec.serum.empty() ? ordered_json() : ordered_json(spec.serum)},
                      {"predicted_improvement_pct", f.improvement_pct},
                      {"downtime_days_total", f.downtime_days_total},
                      {"downtime_days_max", f.downtime_days_max},
                      {"pih_risk_max", f.pih_risk_max},
                      {"score", f.score}};
  if (!plan.why_not.empty()) out["why_not"] = plan.why_not;
  return out;
}

ordered_json screening_json(const planner::PlanResult& result) {
  ordered_json out = ordered_json::array();
  for (const auto& check : result.screening.checks) {
    const auto& c = *check.contraindication;
    out.push_back({{"flag", c.id},
                   {"name", c.name},
                   {"kind", planner::to_string(c.kind)},
                   {"scope", planner::to_string(c.scope)},
                   {"present", check.present},
                   {"areas", check.areas},
                   {"effect", c.effect},
                   {"source", check.source}});
  }
  return out;
}

ordered_json care_json(const planner::CarePlan& care) {
  ordered_json pre = ordered_json::array();
  for (const auto& i : care.pre) {
    pre.push_back(
        {{"step", i.step}, {"timing", i.timing}, {"reason", i.reason}, {"source", i.source}});
  }
  ordered_json sterilization = ordered_json::array();
  for (const auto& i : care.sterilization) {
    sterilization.push_back({{"step", i.step}, {"reason", i.reason}, {"source", i.source}});
  }
  ordered_json post = ordered_json::array();
  for (const auto& i : care.post) {
    post.push_back({{"day_from", i.day_from},
                    {"day_to", i.day_to},
                    {"care", i.step},
                    {"reason", i.reason},
                    {"source", i.source}});
  }
  return {{"pre", pre}, {"sterilization", sterilization}, {"post", post}};
}

ordered_json area_plan_json(const planner::AreaPlan& area) {
  ordered_json concerns = ordered_json::array();
  for (const auto& c : area.area.concerns) {
    concerns.push_back({{"kind", c.kind}, {"severity", c.severity}});
  }
  ordered_json out = {{"region", area.area.region},
                      {"region_name", area.skin.region_name},
                      {"area_cm2", area.area.area_m2 / units::cm2},
                      {"concerns", concerns},
                      {"candidate", area.candidate},
                      {"reasons", area.reasons},
                      {"max_safe_needle_length_mm", area.max_safe_needle_m / units::mm}};
  ordered_json precautions = ordered_json::array();
  for (const auto& p : area.precautions) {
    precautions.push_back({{"text", p.text}, {"reason", p.reason}, {"source", p.source}});
  }
  if (!area.candidate) {
    if (!precautions.empty()) out["precautions"] = precautions;
    return out;
  }
  out["plan"] = plan_entry(*area.plan);
  ordered_json alternatives = ordered_json::array();
  for (const auto& a : area.alternatives) alternatives.push_back(plan_entry(a));
  out["alternatives"] = alternatives;
  out["candidates_evaluated"] = area.evaluated;
  out["precautions"] = precautions;
  if (area.care) out["care"] = care_json(*area.care);
  // The chosen plan through the full pipeline, exactly as `run` writes an area.
  const ordered_json simulated = area_json(*area.simulated);
  for (const auto& [key, value] : simulated.items()) {
    if (!out.contains(key)) out[key] = value;
  }
  return out;
}

}  // namespace

ordered_json plan_json(const planner::PlanResult& result) {
  ordered_json out = result_header(result.scenario, "plan");
  // A patient file has no treatment of its own: the scenario echo leaves out the defaults of
  // the tables the planner chooses.
  for (const char* key : {"technique", "protocol"}) out["scenario"].erase(key);
  out["candidate"] = result.candidate;
  out["reasons"] = result.reasons;
  out["screening"] = screening_json(result);
  out["constraints"] = {{"max_sessions", result.constraints.max_sessions},
                        {"max_downtime_days", result.constraints.max_downtime_days}};
  ordered_json areas = ordered_json::array();
  for (const auto& area : result.areas) areas.push_back(area_plan_json(area));
  out["areas"] = areas;
  out["sources"] = sources_json(result.sources);
  return out;
}

void write_plan_outputs(const std::filesystem::path& dir, const planner::PlanResult& result,
                        std::string_view report_template) {
  prepare_output_dir(dir);
  const ordered_json document = plan_json(result);
  write_report(dir / "report.html", report_template, document);
  write_file_atomically(dir / "result.json", document.dump(2) + "\n");
}

}  // namespace citsim::io
