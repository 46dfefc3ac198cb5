// SPDX-License-Identifier: MIT
// Property tests: whatever the input, the loader either returns a scenario or throws
// InputError; it never crashes, hangs or throws anything else.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "citsim/core/error.hpp"
#include "citsim/core/scenario.hpp"

namespace citsim::core {
namespace {

constexpr const char* k_valid = R"([patient]
age_years = 40
fitzpatrick = 2
sex = "female"
[[area]]
region = "cheek"
area_cm2 = 30
concerns = [{ kind = "fine_lines", severity = 2 }]
[device]
kind = "roller"
model = "roller-192"
needle_length_mm = 0.5
[technique]
passes = 3
[topical]
product = "niacinamide"
[protocol]
sessions = 2
[simulation]
seed = 7
)";

bool loads_or_rejects_cleanly(const std::string& text) {
  try {
    (void)parse_scenario(text, "property.toml");
  } catch (const InputError& error) {
    return std::string(error.what()).find("property.toml") != std::string::npos;
  }
  return true;
}

RC_GTEST_PROP(ScenarioProperties, ArbitraryBytesNeverCrashTheLoader, (const std::string& text)) {
  RC_ASSERT(loads_or_rejects_cleanly(text));
}

RC_GTEST_PROP(ScenarioProperties, MutatedValidScenarioNeverCrashesTheLoader, ()) {
  std::string text = k_valid;
  const auto edits = *rc::gen::inRange(1, 6);
  for (int i = 0; i < edits; ++i) {
    const auto position = *rc::gen::inRange<std::size_t>(0, text.size());
    switch (*rc::gen::inRange(0, 3)) {
      case 0:
        text.erase(position, *rc::gen::inRange<std::size_t>(1, 8));
        break;
      case 1:
        text.insert(position, 1, *rc::gen::elementOf(std::string("=[]{}\"'.,#\n -019eaz")));
        break;
      default:
        text[position] = *rc::gen::arbitrary<char>();
        break;
    }
  }
  RC_ASSERT(loads_or_rejects_cleanly(text));
}

RC_GTEST_PROP(ScenarioProperties, AnyNumberForANumericKeyIsAcceptedOrRejectedWithItsKey,
              (double value)) {
  const std::string text = std::string(k_valid) + "[simulation]\n";  // duplicate table: rejected
  RC_ASSERT(loads_or_rejects_cleanly(text));
  std::string with_value = k_valid;
  const std::string key = "needle_length_mm = 0.5";
  with_value.replace(with_value.find(key), key.size(),
                     "needle_length_mm = " + std::to_string(value));
  try {
    const Scenario s = parse_scenario(with_value, "property.toml");
    RC_ASSERT(*s.device->needle_length_m >= 0.1e-3 && *s.device->needle_length_m <= 3.0e-3);
  } catch (const InputError& error) {
    RC_ASSERT(std::string(error.what()).find("device.needle_length_mm") != std::string::npos);
  }
}

TEST(ScenarioProperties, TheValidBaseScenarioLoads) {
  EXPECT_NO_THROW(parse_scenario(k_valid, "property.toml"));
}

}  // namespace
}  // namespace citsim::core
