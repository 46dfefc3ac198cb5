// SPDX-License-Identifier: MIT
#include "citsim/validation/validation.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "citsim/core/scenario.hpp"
#include "citsim/core/units.hpp"
#include "citsim/device/puncture_pattern.hpp"
#include "citsim/numerics/statistics.hpp"
#include "citsim/validation/case_builders.hpp"

namespace citsim::validation {

namespace {

namespace units = citsim::units;
using detail::healing_cases;
using detail::within_fraction;
using detail::within_range;

constexpr std::uint64_t k_seed = 20240601;

core::Patient reference_patient(double age_years = 35) {
  core::Patient patient;
  patient.age_years = age_years;
  patient.fitzpatrick = 3;
  return patient;
}

/// Mean channel depth and bleeding of one pass of a device on a skin.
injury::SessionInjury one_session(const injury::InjuryModel& model,
                                  const device::DeviceSpec& device, const anatomy::SkinModel& skin,
                                  int passes = 2, bool occluded = false) {
  core::Technique technique;
  technique.passes = passes;
  core::Rng rng(k_seed);
  const auto punctures = device::generate_punctures(device, technique, 20 * units::mm, rng);
  return model.simulate(punctures, device, skin, core::Pressure::moderate, occluded, rng);
}

/// Donnelly 2011: an 11 x 11 array of 600 um polymer needles (300 um base, 300 um apart), pressed
/// into the volar forearm of volunteers; OCT showed about 460 um in the skin.
device::DeviceSpec donnelly_array() {
  device::DeviceSpec d;
  d.id = "donnelly2011-array";
  d.kind = core::DeviceKind::stamp;
  d.needles = 121;
  d.footprint_width_m = d.footprint_height_m = 11 * 0.6 * units::mm;
  d.needle.length_m = 0.6 * units::mm;
  d.needle.diameter_m = 0.3 * units::mm;
  d.needle.tip_angle_rad = 2 * std::atan(0.15 / 0.6);  // a cone over the whole height
  d.needle.tip_radius_m = 10 * units::um;
  d.needle.material = "gantrez_an139";
  return d;
}

double donnelly_depth_m(const simulation::Catalogs& catalogs, double prestrain) {
  injury::PenetrationParameters p = catalogs.injury.penetration();
  p.membrane_prestrain = prestrain;
  const injury::InjuryModel model(p, catalogs.injury.resealing());
  const auto skin = catalogs.regions.skin_for("upper_arm", reference_patient());
  return one_session(model, donnelly_array(), skin).mean_depth_m;
}

void density_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out) {
  // The generator against the closed form, averaged over seeds: lane offsets and ring phases are
  // random, so one patch fluctuates, but the expectation must match.
  for (const auto& id : catalogs.devices.ids()) {
    const auto& device = catalogs.devices.spec(id);
    core::Technique technique;
    technique.passes = 4;
    double sum = 0;
    constexpr int seeds = 16;
    for (int seed = 0; seed < seeds; ++seed) {
      core::Rng rng(k_seed + seed);
      sum += device::generate_punctures(device, technique, 10 * units::mm, rng).per_m2();
    }
    const double closed_form = 4 * device::punctures_per_m2_per_pass(device);
    out.push_back(within_fraction("density_closed_form_" + id, Role::analytic,
                                  "punctures per cm2 after 4 passes, mean of 16 patches",
                                  sum / seeds * units::cm2, closed_form * units::cm2, 0.03, "1/cm2",
                                  "closed form (docs/model.md, Device)"));
  }
  const auto& roller = catalogs.devices.spec("roller-192");
  out.push_back(within_fraction(
      "density_doddaballapur2009", Role::check, "roller-192 punctures per cm2 after 15 passes",
      15 * device::punctures_per_m2_per_pass(roller) * units::cm2, 250, 0.15, "1/cm2",
      "Doddaballapur S. J Cutan Aesthet Surg 2009;2(2):110-111"));
}

void penetration_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out) {
  const auto& model = catalogs.injury;
  out.push_back(within_fraction(
      "penetration_donnelly2011", Role::calibration,
      "depth of 600 um polymer needles, human forearm in vivo",
      donnelly_depth_m(catalogs, model.penetration().membrane_prestrain) / units::um, 460, 0.05,
      "um", "Donnelly RF et al. Pharm Res 2011;28(1):41-57 (PMC3016610)"));

  // Lima 2013 treated live pig flank skin, whose dermis (1.5-2.5 mm) is closer to the human
  // back than to the face; the back is the stand-in (docs/model.md says what the cheek gives).
  const std::string lima = "Lima EVA, Lima MA, Takano D. Surg Cosmet Dermatol 2013;5(2):110-114";
  const auto pig = catalogs.regions.skin_for("back", reference_patient());
  const double papillary_bottom = pig.epidermis_m() + pig.papillary_dermis_m;
  auto roller = catalogs.devices.spec("roller-192");
  roller.needle.length_m = 0.5 * units::mm;
  const auto shallow = one_session(model, roller, pig);
  auto c = within_range("penetration_lima2013_0.5mm", Role::check,
                        "0.5 mm roller: mean depth in the papillary dermis, visible bleeding",
                        shallow.mean_depth_m / units::um, pig.epidermis_m() / units::um,
                        papillary_bottom / units::um, "um", lima);
  c.passed = c.passed && shallow.bleeding;
  c.note = fmt::format("pinpoint bleeding in {:.0f}% of channels", 100 * shallow.bleeding_fraction);
  out.push_back(c);
  for (double length_mm : {1.0, 1.5}) {
    roller.needle.length_m = length_mm * units::mm;
    const auto mid = one_session(model, roller, pig);
    out.push_back(within_range(fmt::format("penetration_lima2013_{:.1f}mm", length_mm), Role::check,
                               "mean depth: in the reticular dermis", mid.mean_depth_m / units::um,
                               papillary_bottom / units::um, pig.cutis_m() / units::um, "um",
                               lima));
  }
  roller.needle.length_m = 2.0 * units::mm;
  const auto deep = one_session(model, roller, pig);
  const double mid_reticular = papillary_bottom + 0.5 * pig.reticular_dermis_m;
  out.push_back(within_range("penetration_lima2013_2.0mm", Role::check,
                             "mean depth: deep, past the middle of the reticular dermis",
                             deep.mean_depth_m / units::um, mid_reticular / units::um,
                             roller.needle.length_m / units::um, "um", lima));

  // Clinical convention: a 0.5 mm roller on the face already draws pinpoint bleeding.
  const auto cheek = catalogs.regions.skin_for("cheek", reference_patient());
  roller.needle.length_m = 0.5 * units::mm;
  const auto face = one_session(model, roller, cheek);
  CaseResult bleeding{
      "bleeding_0.5mm_roller_cheek",
      Role::check,
      "fraction of channels past the cheek's capillary loops, 0.5 mm roller",
      face.bleeding_fraction,
      model.penetration().visible_bleeding_fraction,
      "",
      "at least the visible fraction",
      face.bleeding,
      "capillary_loops note of the reference set (clinical convention)",
      fmt::format("mean depth {:.0f} um, loops at {:.0f} um", face.mean_depth_m / units::um,
                  cheek.capillary_loop_depth_m / units::um)};
  out.push_back(bleeding);

  // Kalluri 2011 measured channels in hairless rat, whose thin loose skin deflects far more than
  // human skin; the model has no rat skin, so the figure is reported against human abdomen skin.
  auto dermaroller = catalogs.devices.spec("roller-192");
  dermaroller.needle.length_m = 0.77 * units::mm;
  dermaroller.needle.diameter_m = 0.14 * units::mm;
  const auto abdomen = catalogs.regions.skin_for("abdomen", reference_patient());
  auto kalluri =
      within_fraction("penetration_kalluri2011", Role::known_gap,
                      "channel depth of a 770 um roller (rat in the paper, human abdomen here)",
                      one_session(model, dermaroller, abdomen).mean_depth_m / units::um, 152.5, 0.3,
                      "um", "Kalluri H, Kolli CS, Banga AK. AAPS J 2011;13(3):473-481");
  kalluri.note = "rat skin is not modelled; human skin deflects less";
  out.push_back(kalluri);

  // Lam 2008: steel needles pressed into pig skin on silicone buried less than half their
  // length below 1 mm.
  auto stamp = catalogs.devices.spec(catalogs.devices.ids().back());
  for (const auto& id : catalogs.devices.ids()) {
    if (catalogs.devices.spec(id).kind == core::DeviceKind::stamp)
      stamp = catalogs.devices.spec(id);
  }
  stamp.needle.length_m = 0.75 * units::mm;
  const double buried = one_session(model, stamp, pig).mean_depth_m / stamp.needle.length_m;
  CaseResult lam{"penetration_lam2008",
                 Role::known_gap,
                 "buried fraction of 0.75 mm steel needles pressed by hand",
                 buried,
                 0.5,
                 "",
                 "below 0.5",
                 buried < 0.5,
                 "Lam DCC et al. BIODEVICES 2008",
                 "ex vivo pig skin on a silicone backing"};
  out.push_back(lam);
}

void resealing_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out) {
  const auto& p = catalogs.injury.resealing();
  const double reference = p.reference_depth_m;
  out.push_back(
      within_range("resealing_brogden2021_occluded", Role::calibration,
                   "occluded channel half-life at the reference depth",
                   injury::channel_half_life_s(p, reference, true) / units::hour, 20.2, 25.9, "h",
                   "Brogden group, micropore closure by site under occlusion (PMC8259462)"));
  const double closed95 =
      injury::channel_half_life_s(p, reference, false) * std::log2(20.0) / units::hour;
  out.push_back(within_range("resealing_gupta2011_open", Role::calibration,
                             "time to 95% closure without occlusion", closed95, 0, 2, "h",
                             "Gupta J et al. J Control Release 2011;154(2):148-155"));
  out.push_back(within_fraction("resealing_kalluri2011_depth_ratio", Role::calibration,
                                "closure time ratio, 770 um over 370 um roller",
                                injury::channel_half_life_s(p, 770 * units::um, false) /
                                    injury::channel_half_life_s(p, 370 * units::um, false),
                                18.0 / 12.0, 0.05, "",
                                "Kalluri H et al. AAPS J 2011;13(3):473-481"));
  // Gupta 2011 reported that under occlusion resealing grows with needle length: held out.
  const double short_needle = injury::channel_half_life_s(p, 300 * units::um, true);
  const double long_needle = injury::channel_half_life_s(p, 900 * units::um, true);
  CaseResult gupta{"resealing_gupta2011_length",
                   Role::check,
                   "occluded half-life, 900 um over 300 um channels (must exceed 1)",
                   long_needle / short_needle,
                   1,
                   "",
                   "above 1",
                   long_needle > short_needle,
                   "Gupta J et al. J Control Release 2011;154(2):148-155",
                   {}};
  out.push_back(gupta);
}

/// One session of a scenario given as TOML: the active's whereabouts with channels and intact.
simulation::AbsorptionCurves absorption(const simulation::Catalogs& catalogs,
                                        const std::string& toml_text) {
  const auto scenario = core::parse_scenario(toml_text, "validation");
  return *simulation::simulate(scenario, catalogs).areas.front().absorption;
}

/// Sample of a curve at (or just before) time t.
const transport::AbsorptionSample& at(const std::vector<transport::AbsorptionSample>& curve,
                                      double t_s) {
  const transport::AbsorptionSample* best = &curve.front();
  for (const auto& s : curve) {
    if (s.t_s <= t_s + 1e-6) best = &s;
  }
  return *best;
}

double ratio(double with_channels, double intact) {
  return intact > 0 ? with_channels / intact : std::numeric_limits<double>::infinity();
}

/// Uptake rate into the circulation (cleared) between two samples of a curve.
double systemic_rate(const std::vector<transport::AbsorptionSample>& curve, double from_s,
                     double to_s) {
  return (at(curve, to_s).cleared - at(curve, from_s).cleared) / (to_s - from_s);
}

void wermeling_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out) {
  // Wermeling 2008: naltrexone gel patches on the upper arm of volunteers, occluded for 72 h,
  // on skin pretreated with arrays of 620 um steel microneedles, or on intact skin. Plasma was
  // undetectable without microneedles; with them it reached steady state within 2 h and kept it
  // for at least 48 h. The patch is an infinite dose; the circulation receives what is cleared.
  // Tolerances, fixed before the first run: intact below a tenth of the pretreated uptake over
  // 72 h; the pretreated uptake rate at 1.5-2 h and at 36-48 h at least half its peak.
  const auto run = absorption(catalogs, R"(
[patient]
age_years = 30
fitzpatrick = 2
[[area]]
region = "upper_arm"
area_cm2 = 1
[technique]
passes = 2
[protocol]
sessions = 1
[device]
kind = "stamp"
model = "stamp-35"
needle_length_mm = 0.62
[topical]
product = "naltrexone"
infinite_dose = true
occluded = true
exposure_h = 72
)");
  const double hour = units::hour;
  const std::string source =
      "Wermeling DP et al. Proc Natl Acad Sci USA 2008;105(6):2058-2063 (PMC2538880)";
  const double days3 = 72 * hour;
  auto intact = within_range("closure_wermeling2008_intact", Role::check,
                             "naltrexone patch, 72 h: intact over pretreated uptake",
                             at(run.intact, days3).cleared / at(run.with_channels, days3).cleared,
                             0, 0.1, "", source + "; undetectable in plasma without microneedles");
  out.push_back(intact);
  double peak = 0;
  const double grid[] = {0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 6, 8, 12, 18, 24, 36, 48, 72};
  for (std::size_t i = 1; i < std::size(grid); ++i) {
    peak = std::max(peak, systemic_rate(run.with_channels, grid[i - 1] * hour, grid[i] * hour));
  }
  out.push_back(within_range("closure_wermeling2008_steady_by_2h", Role::check,
                             "pretreated uptake rate at 1.5-2 h over its peak",
                             systemic_rate(run.with_channels, 1.5 * hour, 2 * hour) / peak, 0.5,
                             1.0, "", source + "; steady state within 2 h"));
  // Failed on its first run: a known gap (docs/model.md, §5).
  auto kept = within_range("closure_wermeling2008_kept_48h", Role::known_gap,
                           "pretreated uptake rate at 36-48 h over its peak",
                           systemic_rate(run.with_channels, 36 * hour, 48 * hour) / peak, 0.5, 1.0,
                           "", source + "; kept for at least 48 h");
  kept.note =
      "channels close with the occluded half-life fitted to Brogden's impedance (about a day), "
      "so uptake falls by 48 h; the stamp stands in for the paper's arrays";
  out.push_back(kept);
}

void enhancement_cases(const simulation::Catalogs& catalogs, std::vector<CaseResult>& out) {
  // In vitro Franz cells keep the donor wet (occluded) on excised (abdominal) human skin: no
  // blood flow, so no capillary clearance; the receptor below the skin is the only sink.
  const std::string franz = R"(
[simulation]
tissue = "excised"
[patient]
age_years = 40
fitzpatrick = 2
[[area]]
region = "abdomen"
area_cm2 = 1
[technique]
passes = 4
[protocol]
sessions = 1
[device]
kind = "roller"
model = "roller-192"
needle_length_mm = 0.5
)";
  const double day = 24 * units::hour;
  // Mohammed imaged the fluorescence of the peptide in the skin by confocal microscopy, so the
  // measured quantity is what the skin holds (stratum corneum and below), not what crossed it.
  const auto peptide = absorption(catalogs, franz + R"(
[topical]
product = "palmitoyl_pentapeptide"
occluded = true
exposure_h = 24
)");
  auto in_skin = [&](const std::vector<transport::AbsorptionSample>& curve) {
    const auto& s = at(curve, day);
    return s.in_stratum_corneum + s.in_viable_tissue;
  };
  // Written as a check with this measurand; it failed on its first run and again with excised
  // tissue (no clearance), so it stays a known gap (docs/model.md, §5).
  auto mohammed = within_range(
      "enhancement_mohammed2014_peptide", Role::known_gap,
      "palmitoyl pentapeptide in the skin at 24 h (SC and below), 0.5 mm roller over intact, "
      "excised human skin",
      ratio(in_skin(peptide.with_channels), in_skin(peptide.intact)), 2, 22, "x",
      "Mohammed YH et al. PLoS One 2014;9(7):e101956 (2- to 22-fold)");
  auto entered = [&](const std::vector<transport::AbsorptionSample>& curve) {
    return in_skin(curve) + at(curve, day).cleared;
  };
  mohammed.note = fmt::format(
      "excised skin, no clearance: the channels drain the 20 ug/cm2 film through the dermis "
      "into the receptor ({:.3g} ug/cm2 there by 24 h, {:.3g} held); counting the receptor as "
      "held: {:.3g}x; past the SC only: {:.3g}x",
      at(peptide.with_channels, day).out_bottom / (units::ug / units::cm2),
      in_skin(peptide.with_channels) / (units::ug / units::cm2),
      ratio(entered(peptide.with_channels), entered(peptide.intact)),
      ratio(at(peptide.with_channels, day).absorbed(), at(peptide.intact, day).absorbed()));
  out.push_back(mohammed);

  // Ita dosed amantadine hydrochloride; the catalogue's amantadine carries its pKa, so the
  // stratum corneum sees log D at skin pH, not the base's log P.
  const auto amantadine = absorption(catalogs, franz + R"(
[topical]
product = "amantadine"
occluded = true
exposure_h = 24
)");
  // Written as a check after the log D change; it failed on its first run and again with excised
  // tissue (docs/model.md, §5).
  auto ita = within_range(
      "enhancement_ita2015_amantadine", Role::known_gap,
      "amantadine absorbed in 24 h, steel roller over intact skin (paper: flux "
      "2.2x, not significant)",
      ratio(at(amantadine.with_channels, day).absorbed(), at(amantadine.intact, day).absorbed()),
      1.1, 4.4, "x", "Ita K et al. Pharmaceutics 2015 (PMC4695825); tolerance: a factor of 2");
  ita.note =
      "at skin pH 5 amantadine (pKa 10.1) is all cation; with no polar pathway for ions the "
      "stratum corneum all but closes (with log P of the base the ratio was 1.00); the SC "
      "pore pathway of Mitragotri 2003 is not modelled";
  out.push_back(ita);

  wermeling_cases(catalogs, out);
}

}  // namespace

std::string to_string(Role role) {
  switch (role) {
    case Role::analytic:
      return "analytic";
    case Role::calibration:
      return "calibration";
    case Role::check:
      return "check";
    case Role::known_gap:
      return "known gap";
  }
  return "?";
}

std::vector<CaseResult> run_cases(const simulation::Catalogs& catalogs) {
  std::vector<CaseResult> out;
  density_cases(catalogs, out);
  penetration_cases(catalogs, out);
  resealing_cases(catalogs, out);
  enhancement_cases(catalogs, out);
  detail::transport_analytic_cases(catalogs, out);
  healing_cases(catalogs, out);
  return out;
}

double calibrate_membrane_prestrain(const simulation::Catalogs& catalogs) {
  const double target = 460 * units::um;
  double low = 1e-5;
  double high = 1;
  // Depth rises with the membrane's tension; bisect in log space.
  for (int i = 0; i < 60; ++i) {
    const double mid = std::sqrt(low * high);
    (donnelly_depth_m(catalogs, mid) > target ? high : low) = mid;
  }
  return std::sqrt(low * high);
}

}  // namespace citsim::validation
