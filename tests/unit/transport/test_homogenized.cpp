// SPDX-License-Identifier: MIT
// The homogenized transport model: its limits (no channels = intact skin, large molecules only
// through channels, infinite dose reaches the stratum corneum steady flux kp C), occlusion,
// and mass balance.
#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

#include "citsim/anatomy/region_catalog.hpp"
#include "citsim/core/units.hpp"
#include "citsim/transport/homogenized.hpp"

namespace citsim::transport {
namespace {

namespace units = citsim::units;

class HomogenizedTest : public ::testing::Test {
 protected:
  anatomy::RegionCatalog regions{CITSIM_TEST_DATA_DIR};
  MoleculeCatalog molecules{CITSIM_TEST_DATA_DIR};
  TransportParameters parameters = TransportParameters::read(
      core::DataFile(std::filesystem::path(CITSIM_TEST_DATA_DIR) / "transport.toml", "model"));
  const anatomy::SkinModel& cheek = regions.reference("cheek");

  Molecule molecule(const std::string& id) {
    core::Topical topical;
    topical.product = id;
    return molecules.resolve(topical);
  }

  /// 2 mg/cm2 of a 1% serum at t = 0, sampled hourly for a day.
  HomogenizedInput input(const std::string& id, bool occluded = false) {
    HomogenizedInput in;
    in.skin = cheek;
    in.molecule = molecule_in_skin(parameters, molecule(id), cheek);
    const double dose = 2 * units::mg / units::cm2;
    in.applications = {{0.0, 0.01 * dose, dose / parameters.vehicle_density_kg_m3}};
    in.exposure_s = 24 * units::hour;
    in.occluded = occluded;
    in.active_concentration_kg_m3 = 0.01 * parameters.vehicle_density_kg_m3;
    for (int h = 0; h <= 24; ++h) in.sample_times_s.push_back(h * units::hour);
    return in;
  }

  /// 100 channels per cm2, 600 um deep, 30 um radius, closing with the given half-life.
  static ChannelSet channels(double half_life_s) {
    ChannelSet set;
    set.channels_per_m2 = 100 / units::cm2;
    set.depth_m = 600e-6;
    set.half_life_s = half_life_s;
    set.radius_m = [](double) { return 30e-6; };
    set.open_fraction = [half_life_s](double t) { return std::exp2(-t / half_life_s); };
    return set;
  }
};

TEST_F(HomogenizedTest, StratumCorneumPermeabilityByHand) {
  // Caffeine, MW 194.19, log P -0.07 (neutral): r = (3 x 0.9087 x 194.19 / 4 pi)^(1/3) = 3.4795 A,
  // kp = 5.6e-6 cm/s x 10^(0.7 x -0.07) x exp(-0.46 r^2) = 1.90e-8 cm/s.
  const double r_a = std::cbrt(3 * 0.9087 * 194.19 / (4 * std::numbers::pi));
  EXPECT_NEAR(r_a, 3.4795, 1e-4);
  const double expected = 5.6e-6 * std::pow(10.0, 0.7 * -0.07) * std::exp(-0.46 * r_a * r_a);
  EXPECT_NEAR(stratum_corneum_permeability_m_s(parameters, molecule("caffeine")) / units::cm,
              expected, 1e-9 * expected);
  // A lidocaine cation does not enter the lipids: at skin pH 5, 10^-2.86 of it is neutral.
  auto neutral_lidocaine = molecule("lidocaine");
  neutral_lidocaine.charge = ChargeClass::neutral;
  EXPECT_NEAR(stratum_corneum_permeability_m_s(parameters, molecule("lidocaine")) /
                  stratum_corneum_permeability_m_s(parameters, neutral_lidocaine),
              std::pow(1 + std::pow(10.0, 7.86 - 5.0), -0.7), 1e-9);
  EXPECT_EQ(stratum_corneum_permeability_m_s(parameters, molecule("hyaluronic_acid")), 0.0);
}

TEST_F(HomogenizedTest, LipidPathwayStaysWithinAFactorOfThreeOfPottsGuyForSmallMolecules) {
  // Both fit the same permeability data below 500 Da (Lian 2008); above it the scaled-particle
  // size term replaces Potts-Guy's linear extrapolation in MW. Neutral species, 151-802 Da;
  // Potts RO, Guy RH. Pharm Res 1992;9:663: log10 kp [cm/h] = -2.72 + 0.71 log P - 0.0061 MW.
  for (const char* id : {"caffeine", "minoxidil", "lidocaine", "retinol", "naltrexone",
                         "amantadine", "palmitoyl_pentapeptide"}) {
    auto m = molecule(id);
    m.charge = ChargeClass::neutral;
    const double potts_guy_cm_h =
        std::pow(10.0, -2.72 + 0.71 * m.log_p - 0.0061 * m.molecular_weight_da);
    const double kp_cm_h =
        stratum_corneum_permeability_m_s(parameters, m) / (units::cm / units::hour);
    EXPECT_GT(kp_cm_h, potts_guy_cm_h / 3) << id;
    EXPECT_LT(kp_cm_h, potts_guy_cm_h * 3) << id;
  }
}

TEST_F(HomogenizedTest, NoChannelsIsIntactSkin) {
  auto intact = input("niacinamide");
  auto with_empty = intact;
  auto none = channels(3600);
  none.channels_per_m2 = 0;
  with_empty.channels = {none};
  const auto a = simulate_homogenized(intact, parameters);
  const auto b = simulate_homogenized(with_empty, parameters);
  ASSERT_EQ(a.samples.size(), b.samples.size());
  EXPECT_DOUBLE_EQ(a.samples.back().absorbed(), b.samples.back().absorbed());
  EXPECT_GT(a.samples.back().absorbed(), 0);
}

TEST_F(HomogenizedTest, ATooLargeMoleculeEntersOnlyThroughChannels) {
  // A growth factor and a high-MW hyaluronan: intact skin delivers under 1% of what one
  // session's channels (1 h half-life) deliver in a day.
  for (const char* id : {"egf", "hyaluronic_acid"}) {
    auto in = input(id, true);
    const double intact = simulate_homogenized(in, parameters).samples.back().absorbed();
    in.channels = {channels(3600)};
    const double through_channels = simulate_homogenized(in, parameters).samples.back().absorbed();
    EXPECT_GT(through_channels, 0.0) << id;
    EXPECT_LT(intact, 0.01 * through_channels) << id;
  }
}

TEST_F(HomogenizedTest, ChannelsEnhanceAndLongerOpenChannelsEnhanceMore) {
  auto in = input("egf", true);
  in.channels = {channels(0.5 * units::hour)};
  const double short_open = simulate_homogenized(in, parameters).samples.back().absorbed();
  in.channels = {channels(24 * units::hour)};
  const double long_open = simulate_homogenized(in, parameters).samples.back().absorbed();
  EXPECT_GT(long_open, short_open);
}

TEST_F(HomogenizedTest, OcclusionKeepsTheFilmAndRaisesUptake) {
  const double open =
      simulate_homogenized(input("caffeine", false), parameters).samples.back().absorbed();
  const double occluded =
      simulate_homogenized(input("caffeine", true), parameters).samples.back().absorbed();
  EXPECT_GT(occluded, open);
}

TEST_F(HomogenizedTest, MassBalanceToRoundOff) {
  for (const char* id : {"niacinamide", "minoxidil", "retinol", "egf", "hyaluronic_acid_lmw"}) {
    for (bool occluded : {false, true}) {
      auto in = input(id, occluded);
      in.channels = {channels(1800)};
      in.applications.push_back(
          {6 * units::hour, in.applications[0].active_kg_m2, in.applications[0].film_m});
      in.exposure_s = 8 * units::hour;
      const auto result = simulate_homogenized(in, parameters);
      EXPECT_LT(result.mass_balance_error, 1e-11) << id << " occluded " << occluded;
      const auto& last = result.samples.back();
      EXPECT_NEAR(last.applied, 2 * in.applications[0].active_kg_m2, 1e-20) << id;
    }
  }
}

TEST_F(HomogenizedTest, InfiniteDoseReachesTheStratumCorneumSteadyFlux) {
  // Intact skin under an infinite dose: after several lag times the flux past the stratum
  // corneum is kp * C (the viable tissue's resistance is 1e-4 of the stratum corneum's).
  auto in = input("caffeine", true);
  in.infinite_dose = true;
  in.exposure_s = 48 * units::hour;
  in.sample_times_s = {0, 40 * units::hour, 48 * units::hour};
  const auto result = simulate_homogenized(in, parameters);
  const double flux = (result.samples[2].applied - result.samples[1].applied) / (8 * units::hour);
  const double expected = in.molecule.permeability_m_s * in.active_concentration_kg_m3;
  EXPECT_NEAR(flux, expected, 0.02 * expected);
}

TEST_F(HomogenizedTest, ChannelsThatNeverCloseGiveASteadyFlux) {
  auto in = input("niacinamide", true);
  in.infinite_dose = true;
  auto never = channels(1.0);
  never.open_fraction = [](double) { return 1.0; };
  never.half_life_s = 1e9;
  in.channels = {never};
  in.exposure_s = 30 * units::hour;
  in.sample_times_s = {0, 20 * units::hour, 25 * units::hour, 30 * units::hour};
  const auto s = simulate_homogenized(in, parameters).samples;
  const double early = s[2].applied - s[1].applied;
  const double late = s[3].applied - s[2].applied;
  EXPECT_NEAR(late, early, 0.01 * early);
  // And it exceeds intact skin's steady flux by far.
  EXPECT_GT(late / (5 * units::hour),
            10 * in.molecule.permeability_m_s * in.active_concentration_kg_m3);
}

TEST_F(HomogenizedTest, TissueDiffusivitiesOfMacromoleculesMatchWei2018) {
  // Wei 2018 measured dextrans (70-2000 kDa) in human skin: epidermis 1-8, dermis 1-20 um2/s.
  for (const char* id : {"hyaluronic_acid_lmw", "hyaluronic_acid"}) {
    const auto m = molecule_in_skin(parameters, molecule(id), cheek);
    EXPECT_GE(m.dermis.diffusivity_m2_s, 1e-12) << id;
    EXPECT_LE(m.dermis.diffusivity_m2_s, 20e-12) << id;
  }
  const auto lmw = molecule_in_skin(parameters, molecule("hyaluronic_acid_lmw"), cheek);
  EXPECT_GE(lmw.viable_epidermis.diffusivity_m2_s, 1e-12);
  EXPECT_LE(lmw.viable_epidermis.diffusivity_m2_s, 8e-12);
}

TEST_F(HomogenizedTest, StokesEinsteinGivesSmallMoleculeDiffusivities) {
  // Sucrose (342 Da) diffuses at 5.2e-10 m2/s in water at 25 C (Longsworth 1953); at 32 C ~6e-10.
  EXPECT_NEAR(stokes_einstein_diffusivity_m2_s(342.3), 6.2e-10, 1.5e-10);
}

}  // namespace
}  // namespace citsim::transport
