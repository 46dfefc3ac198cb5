// SPDX-License-Identifier: MIT
#include <cmath>
#include <numbers>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "citsim/core/error.hpp"
#include "citsim/core/units.hpp"
#include "citsim/device/device_catalog.hpp"
#include "citsim/device/puncture_pattern.hpp"

namespace citsim::device {
namespace {

using ::testing::HasSubstr;

class PunctureTest : public ::testing::Test {
 protected:
  DeviceCatalog devices{CITSIM_TEST_DATA_DIR};
};

TEST_F(PunctureTest, ClosedFormsByHand) {
  // MF8 roller: 192 / (pi * 2 cm * 2 cm) = 15.28 per cm2 and pass.
  const auto& roller = devices.spec("roller-192");
  EXPECT_NEAR(punctures_per_m2_per_pass(roller) * units::cm2, 192 / (std::numbers::pi * 4), 1e-9);
  DeviceSpec pen = devices.spec("pen-12");
  pen.stamps_per_s = 100;
  pen.glide_speed_m_s = 0.01;
  pen.cartridge_diameter_m = 0.004;
  // 12 * 100 / (1 cm/s * 0.4 cm) = 3000 per cm2.
  EXPECT_NEAR(punctures_per_m2_per_pass(pen) * units::cm2, 3000, 1e-9);
  DeviceSpec stamp = devices.spec("stamp-35");
  stamp.footprint_width_m = stamp.footprint_height_m = 0.005;
  EXPECT_NEAR(punctures_per_m2_per_pass(stamp) * units::cm2, 35 / 0.25, 1e-9);
}

TEST_F(PunctureTest, GeneratedDensityConvergesToTheClosedFormForEveryDevice) {
  core::Technique technique;
  technique.passes = 2;
  for (const auto& id : devices.ids()) {
    const auto& device = devices.spec(id);
    double total = 0;
    constexpr int seeds = 24;
    for (int seed = 0; seed < seeds; ++seed) {
      core::Rng rng(seed);
      total += generate_punctures(device, technique, 8 * units::mm, rng).per_m2();
    }
    const double expected = 2 * punctures_per_m2_per_pass(device);
    EXPECT_NEAR(total / seeds, expected, 0.04 * expected) << id;
  }
}

TEST_F(PunctureTest, PuncturesLieInsideThePatchAndTimeAdvancesByPass) {
  core::Technique technique;
  technique.passes = 4;
  core::Rng rng(3);
  const double side = 6 * units::mm;
  const auto set = generate_punctures(devices.spec("roller-192"), technique, side, rng);
  ASSERT_FALSE(set.punctures.empty());
  int last_pass = 0;
  double last_pass_start = -1;
  for (const auto& p : set.punctures) {
    EXPECT_GE(p.x_m, 0);
    EXPECT_LT(p.x_m, side);
    EXPECT_GE(p.y_m, 0);
    EXPECT_LT(p.y_m, side);
    EXPECT_GE(p.pass, last_pass);
    if (p.pass != last_pass) {
      EXPECT_GT(p.t_s, last_pass_start);
      last_pass = p.pass;
      last_pass_start = p.t_s;
    }
  }
  EXPECT_EQ(last_pass, 3);
}

TEST_F(PunctureTest, SameSeedSamePunctures) {
  core::Technique technique;
  core::Rng a(11);
  core::Rng b(11);
  const auto first = generate_punctures(devices.spec("pen-16"), technique, 5e-3, a);
  const auto second = generate_punctures(devices.spec("pen-16"), technique, 5e-3, b);
  ASSERT_EQ(first.punctures.size(), second.punctures.size());
  for (std::size_t i = 0; i < first.punctures.size(); ++i) {
    EXPECT_EQ(first.punctures[i].x_m, second.punctures[i].x_m);
  }
}

TEST_F(PunctureTest, CrosshatchCyclesDirections) {
  core::Technique technique;
  EXPECT_DOUBLE_EQ(pass_direction_rad(technique, 0), 0);
  EXPECT_DOUBLE_EQ(pass_direction_rad(technique, 1), std::numbers::pi / 2);
  EXPECT_DOUBLE_EQ(pass_direction_rad(technique, 4), 0);
  technique.pattern = core::Pattern::linear;
  EXPECT_DOUBLE_EQ(pass_direction_rad(technique, 1), 0);
}

TEST_F(PunctureTest, ContactSetsMatchTheDevices) {
  const auto& pen = devices.spec("pen-36");
  const auto cartridge = contact_set(pen);
  ASSERT_EQ(cartridge.size(), 36u);
  for (const auto& p : cartridge) {
    EXPECT_LE(std::hypot(p.x, p.y), 0.5 * pen.cartridge_diameter_m);
  }
  EXPECT_EQ(contact_set(devices.spec("roller-192")).size(), 8u);
  EXPECT_EQ(contact_set(devices.spec("stamp-35")).size(), 35u);
}

TEST_F(PunctureTest, InsertionSpeeds) {
  const auto& pen = devices.spec("pen-12");
  EXPECT_NEAR(insertion_speed_m_s(pen), std::numbers::pi * pen.stamps_per_s * pen.stroke_m, 1e-12);
  // A longer needle on the same drum enters steeper, hence faster.
  DeviceSpec roller = devices.spec("roller-192");
  roller.needle.length_m = 0.5e-3;
  const double shallow = insertion_speed_m_s(roller);
  roller.needle.length_m = 2e-3;
  EXPECT_GT(insertion_speed_m_s(roller), shallow);
}

TEST_F(PunctureTest, ResolveLaysInlineValuesOverTheModel) {
  core::DeviceSettings settings;
  settings.kind = core::DeviceKind::pen;
  settings.model = "pen-12";
  settings.needle_length_m = 1.5e-3;
  settings.glide_speed_m_s = 0.02;
  const DeviceSpec spec = devices.resolve(settings);
  EXPECT_DOUBLE_EQ(spec.needle.length_m, 1.5e-3);
  EXPECT_DOUBLE_EQ(spec.glide_speed_m_s, 0.02);
  EXPECT_EQ(spec.needles, 12);
}

std::string resolve_error(const DeviceCatalog& devices, const core::DeviceSettings& settings) {
  try {
    (void)devices.resolve(settings);
  } catch (const core::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_F(PunctureTest, ResolveRejectsInconsistentDevices) {
  core::DeviceSettings settings;
  settings.kind = core::DeviceKind::roller;
  settings.model = "pen-12";
  EXPECT_THAT(resolve_error(devices, settings), HasSubstr("is a pen, but device.kind is roller"));
  settings.kind = core::DeviceKind::pen;
  settings.rows = 4;
  EXPECT_THAT(resolve_error(devices, settings), HasSubstr("applies only to a roller"));
  settings.rows.reset();
  settings.needle_length_m = 0.1e-3;
  EXPECT_THAT(resolve_error(devices, settings), HasSubstr("depth setting must be from 0.25"));
  settings = {};
  settings.kind = core::DeviceKind::roller;
  settings.model = "roller-192";
  settings.needles = 190;
  EXPECT_THAT(resolve_error(devices, settings), HasSubstr("divide evenly"));
  settings.needles.reset();
  settings.model = "roler-192";
  EXPECT_THAT(resolve_error(devices, settings), HasSubstr("did you mean 'roller-192'"));
}

TEST_F(PunctureTest, InlineGeometryStartsFromTheKindsFirstModel) {
  core::DeviceSettings settings;
  settings.kind = core::DeviceKind::roller;
  settings.needles = 96;
  settings.rows = 8;
  const DeviceSpec spec = devices.resolve(settings);
  EXPECT_EQ(spec.kind, core::DeviceKind::roller);
  EXPECT_EQ(spec.needles, 96);
}

}  // namespace
}  // namespace citsim::device
