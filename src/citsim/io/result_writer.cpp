// SPDX-License-Identifier: MIT
#include "citsim/io/result_writer.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include <fmt/format.h>

#include "citsim/core/git_hash.hpp"
#include "citsim/core/units.hpp"
#include "citsim/core/version.hpp"
#include "citsim/io/atomic_file.hpp"
#include "citsim/io/field_writer.hpp"
#include "citsim/io/report_writer.hpp"
#include "citsim/simulation/topical.hpp"

namespace citsim::io {

namespace {

namespace units = citsim::units;
using nlohmann::ordered_json;

constexpr double per_cm2(double per_m2) {
  return per_m2 * units::cm2;
}

std::string toml_text(const toml::table& table) {
  std::ostringstream out;
  out << table << '\n';
  return out.str();
}

ordered_json skin_json(const anatomy::SkinModel& skin) {
  ordered_json layers = ordered_json::array();
  for (const auto& slab : skin.layers()) {
    layers.push_back({{"layer", anatomy::to_string(slab.layer)},
                      {"top_um", slab.top_m / units::um},
                      {"bottom_um", slab.bottom_m / units::um}});
  }
  return {{"layers", layers},
          {"capillary_loop_depth_um", skin.capillary_loop_depth_m / units::um},
          {"young_modulus_kpa", skin.young_modulus_pa / units::kpa},
          {"collagen_rel", skin.collagen_rel}};
}

/// Micrograms per cm^2 from kg/m^2.
constexpr double ug_cm2(double kg_m2) {
  return kg_m2 / (units::ug / units::cm2);
}

/// Cumulative amount delivered past the stratum corneum at the sample nearest to t.
double absorbed_at(const std::vector<transport::AbsorptionSample>& samples, double t) {
  const transport::AbsorptionSample* best = nullptr;
  for (const auto& s : samples) {
    if (best == nullptr || std::abs(s.t_s - t) < std::abs(best->t_s - t)) best = &s;
  }
  return best ? best->absorbed() : 0.0;
}

/// Hours after a session at which result.json samples the open fraction of its channels: every
/// quarter hour while most close, then hourly to a day, then every 3 h to three days.
std::vector<double> open_fraction_hours() {
  std::vector<double> out;
  for (int q = 0; q <= 24; ++q) out.push_back(0.25 * q);
  for (int h = 7; h <= 24; ++h) out.push_back(h);
  for (int h = 27; h <= 72; h += 3) out.push_back(h);
  return out;
}

/// The fraction of a session's channels still open over the hours after it, from the injury
/// stage's resealing; null without channels.
ordered_json open_fraction_json(const injury::SessionInjury& injury) {
  if (injury.channels.empty()) return nullptr;
  ordered_json hours = ordered_json::array();
  ordered_json fraction = ordered_json::array();
  for (double h : open_fraction_hours()) {
    hours.push_back(h);
    fraction.push_back(injury.open_fraction(h * units::hour));
  }
  return {{"hours_after_session", hours}, {"fraction", fraction}};
}

ordered_json session_json(const simulation::SessionResult& session, bool with_topical) {
  const auto& injury = session.injury;
  ordered_json layers = ordered_json::array();
  for (const auto& layer : injury.layers) {
    layers.push_back({{"layer", anatomy::to_string(layer.layer)},
                      {"channels_per_cm2", per_cm2(layer.channels_per_m2)},
                      {"damaged_volume_fraction", layer.damaged_volume_fraction}});
  }
  return {{"day", session.day},
          {"punctures_per_cm2", per_cm2(injury.punctures_per_m2)},
          {"channels_per_cm2", per_cm2(injury.channels_per_m2)},
          {"mean_depth_um", injury.mean_depth_m / units::um},
          {"sd_depth_um", injury.sd_depth_m / units::um},
          {"max_depth_um", injury.max_depth_m / units::um},
          {"bleeding", injury.bleeding},
          {"bleeding_fraction", injury.bleeding_fraction},
          {"channel_half_life_h", injury.channel_half_life_s / units::hour},
          {"absorbed_ug_cm2",
           with_topical ? ordered_json(ug_cm2(session.absorbed_kg_m2)) : ordered_json()},
          {"intact_absorbed_ug_cm2",
           with_topical ? ordered_json(ug_cm2(session.intact_absorbed_kg_m2)) : ordered_json()},
          {"enhancement_ratio",
           with_topical && session.intact_absorbed_kg_m2 > 0
               ? ordered_json(session.absorbed_kg_m2 / session.intact_absorbed_kg_m2)
               : ordered_json()},
          {"dermal_damage_fraction", session.dermal_damage_fraction},
          {"downtime_days", session.downtime_days},
          {"pih_risk", session.pih_risk},
          {"layers", layers},
          {"open_fraction", open_fraction_json(injury)}};
}

/// The cumulative amount past the stratum corneum over the protocol, with the channels and on
/// intact skin, at the transport's sample times.
ordered_json absorption_json(const simulation::AbsorptionCurves& curves) {
  ordered_json day = ordered_json::array();
  ordered_json with_channels = ordered_json::array();
  ordered_json intact = ordered_json::array();
  for (const auto& s : curves.with_channels) {
    day.push_back(s.t_s / units::day);
    with_channels.push_back(ug_cm2(s.absorbed()));
    intact.push_back(ug_cm2(absorbed_at(curves.intact, s.t_s)));
  }
  return {{"day", day}, {"absorbed_ug_cm2", with_channels}, {"intact_absorbed_ug_cm2", intact}};
}

/// The healing trajectory's samples on whole days (the first sample of each day: before that
/// day's session), which result.json and timeline.csv report.
std::vector<const healing::HealingSample*> daily_samples(const healing::HealingTrajectory& t) {
  std::vector<const healing::HealingSample*> out;
  double last_day = -1;
  for (const auto& sample : t.samples) {
    const double day = sample.t_s / units::day;
    if (std::abs(day - std::round(day)) > 1e-6 || std::round(day) <= last_day) continue;
    last_day = std::round(day);
    out.push_back(&sample);
  }
  return out;
}

ordered_json timeline_json(const simulation::AreaResult& area) {
  ordered_json day = ordered_json::array();
  ordered_json collagen1 = ordered_json::array();
  ordered_json collagen3 = ordered_json::array();
  ordered_json elastin = ordered_json::array();
  ordered_json scar = ordered_json::array();
  for (const auto* sample : daily_samples(area.healing)) {
    const auto& y = sample->y;
    day.push_back(std::round(sample->t_s / units::day));
    collagen1.push_back(y[healing::k_collagen1_mature] + y[healing::k_collagen1_immature]);
    collagen3.push_back(y[healing::k_collagen3]);
    elastin.push_back(y[healing::k_elastin]);
    scar.push_back(y[healing::k_scar]);
  }
  return {{"day", day},
          {"collagen_I_rel", collagen1},
          {"collagen_III_rel", collagen3},
          {"elastin_rel", elastin},
          {"scar_matrix_rel", scar}};
}

ordered_json outcomes_json(const simulation::AreaResult& area) {
  ordered_json out = ordered_json::array();
  for (const auto& o : area.outcomes) {
    out.push_back({{"concern", o.concern},
                   {"unit", o.unit},
                   {"baseline", o.baseline},
                   {"predicted", o.predicted},
                   {"improvement_pct", o.improvement_pct},
                   {"ci95", {o.ci95[0], o.ci95[1]}},
                   {"assessment_day", o.assessment_day}});
  }
  return out;
}

/// DIR/fields.h5 + fields.xdmf (ParaView): the voxel3d concentration snapshots of the first
/// session, one field per area (area1_concentration_kg_m3, ...). An area whose skin gives another
/// grid goes to a file of its own, DIR/fields_areaN.h5.
void write_fields(const std::filesystem::path& dir, const simulation::SimulationResult& result) {
  std::vector<std::vector<std::size_t>> groups;  // area indices sharing one grid
  for (std::size_t a = 0; a < result.areas.size(); ++a) {
    const auto& fields = result.areas[a].voxel_fields;
    if (!fields || fields->snapshots.empty()) continue;
    bool placed = false;
    for (auto& group : groups) {
      const auto& first = *result.areas[group.front()].voxel_fields;
      if (first.nx == fields->nx && first.z_faces_m == fields->z_faces_m) {
        group.push_back(a);
        placed = true;
        break;
      }
    }
    if (!placed) groups.push_back({a});
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto& first = *result.areas[groups[g].front()].voxel_fields;
    const std::string name =
        g == 0 ? "fields.h5" : fmt::format("fields_area{}.h5", groups[g].front() + 1);
    FieldWriter writer(dir / name,
                       FieldGeometry{first.nx, first.nx, first.voxel_m, first.z_faces_m});
    for (std::size_t s = 0; s < first.snapshots.size(); ++s) {
      for (std::size_t a : groups[g]) {
        const auto& snapshot = result.areas[a].voxel_fields->snapshots[s];
        writer.append(fmt::format("area{}_concentration_kg_m3", a + 1), snapshot.t_s,
                      snapshot.concentration);
      }
    }
    writer.close();
  }
}

}  // namespace

ordered_json result_header(const core::Scenario& scenario, std::string_view command) {
  ordered_json out;
  out["citsim_version"] = k_version;
  out["git_hash"] = k_git_hash;
  out["command"] = command;
  out["disclaimer"] =
      "citsim is decision support for a qualified professional, not a medical device.";
  std::ostringstream scenario_text;
  scenario_text << toml::json_formatter(core::effective_config(scenario));
  out["scenario"] = ordered_json::parse(scenario_text.str());
  return out;
}

ordered_json area_json(const simulation::AreaResult& area) {
  ordered_json sessions = ordered_json::array();
  const bool with_topical = area.absorption.has_value();
  for (const auto& session : area.sessions) sessions.push_back(session_json(session, with_topical));
  ordered_json out = {{"region", area.area.region},
                      {"region_name", area.skin.region_name},
                      {"area_cm2", area.area.area_m2 / units::cm2},
                      {"skin", skin_json(area.skin)},
                      {"sessions", sessions},
                      {"timeline", timeline_json(area)},
                      {"outcomes", outcomes_json(area)}};
  if (with_topical) {
    out["absorption_mass_balance_error"] = area.absorption->mass_balance_error;
    out["absorption"] = absorption_json(*area.absorption);
  }
  return out;
}

ordered_json sources_json(const std::vector<simulation::Citation>& sources) {
  ordered_json out = ordered_json::array();
  for (const auto& c : sources) {
    out.push_back({{"file", c.file}, {"id", c.id}, {"citation", c.text}});
  }
  return out;
}

ordered_json device_json(const device::DeviceSpec& d) {
  ordered_json out = {{"model", d.id},
                      {"name", d.name},
                      {"kind", core::to_string(d.kind)},
                      {"needles", d.needles},
                      {"needle_length_mm", d.needle.length_m / units::mm},
                      {"needle_diameter_mm", d.needle.diameter_m / units::mm},
                      {"tip_angle_deg", d.needle.tip_angle_rad / units::degree},
                      {"tip_radius_um", d.needle.tip_radius_m / units::um}};
  return out;
}

ordered_json result_json(const simulation::SimulationResult& result) {
  ordered_json out = result_header(result.scenario, "run");
  if (result.device) out["device"] = device_json(*result.device);
  ordered_json areas = ordered_json::array();
  for (const auto& area : result.areas) areas.push_back(area_json(area));
  out["areas"] = areas;
  out["sources"] = sources_json(result.sources);
  return out;
}

std::string timeline_csv(const simulation::SimulationResult& result) {
  std::string out =
      "area,region,session,day,hours_after_session,open_channels_per_cm2,absorbed_ug_cm2,"
      "intact_absorbed_ug_cm2,collagen_I_rel,collagen_III_rel,elastin_rel\n";
  // One row per transport sample (dense in the hours after each session) and per whole day of
  // the healing timeline, in time order.
  struct Row {
    double t_s;
    std::size_t session;
  };
  for (std::size_t a = 0; a < result.areas.size(); ++a) {
    const auto& area = result.areas[a];
    if (area.sessions.empty()) continue;
    std::vector<Row> rows;
    for (std::size_t s = 0; s < area.sessions.size(); ++s) {
      for (double hours : simulation::k_hours_after_session)
        rows.push_back({area.sessions[s].day * units::day + hours * units::hour, s});
    }
    for (const auto* sample : daily_samples(area.healing)) {
      const double t = sample->t_s;
      const bool taken = std::any_of(rows.begin(), rows.end(),
                                     [t](const Row& r) { return std::abs(r.t_s - t) < 1e-6; });
      if (taken) continue;
      std::size_t latest = 0;  // the latest session at or before t
      for (std::size_t s = 0; s < area.sessions.size(); ++s) {
        if (area.sessions[s].day * units::day <= t + 1e-6) latest = s;
      }
      rows.push_back({t, latest});
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& x, const Row& y) { return x.t_s < y.t_s; });
    for (const auto& row : rows) {
      const auto& session = area.sessions[row.session];
      const double hours = std::max(0.0, (row.t_s - session.day * units::day) / units::hour);
      const double open = session.injury.open_channels_per_m2(hours * units::hour);
      std::string absorbed = ",";
      if (area.absorption) {
        absorbed = fmt::format("{:.6g},{:.6g}",
                               ug_cm2(absorbed_at(area.absorption->with_channels, row.t_s)),
                               ug_cm2(absorbed_at(area.absorption->intact, row.t_s)));
      }
      std::string matrix = ",,";
      if (!area.healing.samples.empty()) {
        const auto& y = area.healing.at(row.t_s).y;
        matrix = fmt::format("{:.6g},{:.6g},{:.6g}",
                             y[healing::k_collagen1_mature] + y[healing::k_collagen1_immature],
                             y[healing::k_collagen3], y[healing::k_elastin]);
      }
      out += fmt::format("{},{},{},{:.6g},{:g},{:.6g},{},{}\n", a + 1, area.area.region,
                         session.index + 1, row.t_s / units::day, hours, per_cm2(open), absorbed,
                         matrix);
    }
  }
  return out;
}

void write_run_outputs(const std::filesystem::path& dir, const simulation::SimulationResult& result,
                       std::string_view report_template) {
  prepare_output_dir(dir);
  write_file_atomically(dir / "config.toml", toml_text(core::effective_config(result.scenario)));
  write_file_atomically(dir / "timeline.csv", timeline_csv(result));
  write_fields(dir, result);
  const ordered_json document = result_json(result);
  write_report(dir / "report.html", report_template, document);
  write_file_atomically(dir / "result.json", document.dump(2) + "\n");
}

}  // namespace citsim::io
