// SPDX-License-Identifier: MIT
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
  core::Topical unknown;
  unknown.product = "minoxidill";
  try {
    (void)catalog.resolve(unknown);
    FAIL();
  } catch (const core::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("did you mean 'minoxidil'"), std::string::npos);
  }
}

}  // namespace
}  // namespace citsim::transport
