// SPDX-License-Identifier: MIT
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "citsim/core/error.hpp"
#include "citsim/transport/molecule_catalog.hpp"

namespace citsim::transport {
namespace {

TEST(MoleculeCatalog, HoldsTheMoleculesTheTransportIssueNames) {
  const MoleculeCatalog catalog(CITSIM_TEST_DATA_DIR);
  for (const char* id :
       {"hyaluronic_acid", "hyaluronic_acid_lmw", "ascorbic_acid", "niacinamide", "tranexamic_acid",
        "minoxidil", "lidocaine", "retinol", "palmitoyl_pentapeptide", "egf"}) {
    core::Topical topical;
    topical.product = id;
    const Molecule m = catalog.resolve(topical);
    EXPECT_GT(m.molecular_weight_da, 0) << id;
    EXPECT_GT(m.aqueous_diffusivity_m2_s, 0) << id;
  }
}

TEST(MoleculeCatalog, LargerMoleculesDiffuseSlower) {
  const MoleculeCatalog catalog(CITSIM_TEST_DATA_DIR);
  core::Topical small;
  small.product = "niacinamide";
  core::Topical large;
  large.product = "hyaluronic_acid";
  EXPECT_GT(catalog.resolve(small).aqueous_diffusivity_m2_s,
            10 * catalog.resolve(large).aqueous_diffusivity_m2_s);
}

TEST(MoleculeCatalog, InlineMoleculeAndUnknownProduct) {
  const MoleculeCatalog catalog(CITSIM_TEST_DATA_DIR);
  core::Topical topical;
  topical.inline_molecule = core::InlineMolecule{"naloxone", 327.4, 2.09};
  EXPECT_DOUBLE_EQ(catalog.resolve(topical).log_p, 2.09);
  EXPECT_EQ(catalog.resolve(topical).charge, ChargeClass::neutral);  // inline: neutral by default
  core::Topical unknown;
  unknown.product = "minoxidill";
  try {
    (void)catalog.resolve(unknown);
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'minoxidil'"), std::string::npos);
  }
}

TEST(MoleculeCatalog, IonisableMoleculesCarryTheirPkaAndLogDFollowsHendersonHasselbalch) {
  const MoleculeCatalog catalog(CITSIM_TEST_DATA_DIR);
  core::Topical topical;
  topical.product = "lidocaine";
  const Molecule lidocaine = catalog.resolve(topical);
  ASSERT_EQ(lidocaine.charge, ChargeClass::base);
  // A base one unit below its pKa is 1/11 neutral; far above it, log D = log P.
  EXPECT_NEAR(log_d_at_ph(lidocaine, lidocaine.pka - 1), lidocaine.log_p - std::log10(11.0), 1e-12);
  EXPECT_NEAR(log_d_at_ph(lidocaine, lidocaine.pka + 6), lidocaine.log_p, 1e-5);
  topical.product = "ascorbic_acid";
  const Molecule ascorbic = catalog.resolve(topical);
  ASSERT_EQ(ascorbic.charge, ChargeClass::acid);
  EXPECT_NEAR(log_d_at_ph(ascorbic, ascorbic.pka), ascorbic.log_p - std::log10(2.0), 1e-12);
  EXPECT_NEAR(log_d_at_ph(ascorbic, ascorbic.pka - 6), ascorbic.log_p, 1e-5);
}

class MoleculeFileTest : public ::testing::Test {
 protected:
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("citsim_molecules_" + std::to_string(::getpid()));
  void write(const std::string& entry) {
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "molecules.toml") << "schema = 1\n[sources]\nx = \"test\"\n"
                                          << "[molecule.m]\nname = \"m\"\n"
                                          << "molecular_weight_da = 200\nlog_p = 1\n"
                                          << "aqueous_diffusivity_m2_s = 7e-10\n"
                                          << entry << "\n[molecule.m.source]\n"
                                          << "molecular_weight_da = \"x\"\nlog_p = \"x\"\n"
                                          << "aqueous_diffusivity_m2_s = \"x\"\npka = \"x\"\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string error() {
    try {
      const MoleculeCatalog catalog(dir);
    } catch (const core::InputError& e) {
      return e.what();
    }
    return {};
  }
};

TEST_F(MoleculeFileTest, ABaseWithoutItsPkaIsAnError) {
  write("charge = \"base\"");
  EXPECT_NE(error().find("pka"), std::string::npos) << error();
}

TEST_F(MoleculeFileTest, APkaOnANeutralMoleculeIsAnError) {
  write("pka = 4.0");
  EXPECT_NE(error().find("pka"), std::string::npos) << error();
}

TEST_F(MoleculeFileTest, AnUnknownChargeClassIsAnError) {
  write("charge = \"cation\"\npka = 9");
  EXPECT_NE(error().find("charge"), std::string::npos) << error();
}

}  // namespace
}  // namespace citsim::transport
