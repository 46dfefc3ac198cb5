// SPDX-License-Identifier: MIT
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "citsim/core/data_table.hpp"
#include "citsim/core/error.hpp"

namespace citsim::core {
namespace {

using ::testing::HasSubstr;

class DataTableTest : public ::testing::Test {
 protected:
  std::filesystem::path write(const std::string& text) {
    const auto path =
        std::filesystem::temp_directory_path() /
        ("citsim_data_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml");
    std::ofstream(path) << text;
    m_files.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const auto& f : m_files) std::filesystem::remove(f);
  }
  std::vector<std::filesystem::path> m_files;
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_F(DataTableTest, ReadsSourcedNumbers) {
  const auto path = write(R"(schema = 1
[sources]
a2000 = "A et al. 2000"
[thing.x]
value_um = 3.5
other = 2
other_source = "estimate: half of 4"
[thing.x.source]
value_um = "a2000"
)");
  DataFile file(path, "thing");
  auto entry = file.entry("x");
  EXPECT_DOUBLE_EQ(entry.number("value_um", {0, 10, "um"}), 3.5);
  EXPECT_DOUBLE_EQ(entry.number("other", {0, 10, ""}), 2);
  EXPECT_NO_THROW(entry.finish());
  EXPECT_EQ(file.citation(entry.source_of("value_um")), "A et al. 2000");
  EXPECT_EQ(entry.source_of("other"), "estimate: half of 4");
}

TEST_F(DataTableTest, NumberWithoutSourceIsRejected) {
  const auto path = write("schema = 1\n[thing.x]\nvalue_um = 3.5\n");
  DataFile file(path, "thing");
  auto entry = file.entry("x");
  EXPECT_THAT(error_of([&] {
                entry.number("value_um", {0, 10, "um"});
              }),
              HasSubstr("needs its source"));
}

TEST_F(DataTableTest, SourceMustBeKnownOrAnEstimate) {
  const auto path =
      write("schema = 1\n[sources]\na = \"A\"\n[thing.x]\nv = 1\n[thing.x.source]\nv = \"b\"\n");
  DataFile file(path, "thing");
  auto entry = file.entry("x");
  EXPECT_THAT(error_of([&] { entry.number("v", {0, 10, ""}); }), HasSubstr("id of [sources]"));
}

TEST_F(DataTableTest, SourceForAMissingValueIsRejected) {
  const auto path = write(
      "schema = 1\n[sources]\na = \"A\"\n[thing.x]\nv = 1\n[thing.x.source]\nv = \"a\"\nw = "
      "\"a\"\n");
  DataFile file(path, "thing");
  auto entry = file.entry("x");
  entry.number("v", {0, 10, ""});
  EXPECT_THAT(error_of([&] { entry.finish(); }), HasSubstr("thing.x.source.w"));
}

TEST_F(DataTableTest, UnknownIdSuggestsTheNearest) {
  const auto path = write("schema = 1\n[thing.cheek]\n[thing.chin]\n");
  DataFile file(path, "thing");
  EXPECT_THAT(error_of([&] {
                (void)file.entry("cheeck", {"s.toml", 4}, "area[1].region");
              }),
              testing::AllOf(HasSubstr("s.toml:4:"), HasSubstr("area[1].region"),
                             HasSubstr("did you mean 'cheek'")));
}

TEST_F(DataTableTest, WrongSchemaIsRejected) {
  const auto path = write("schema = 2\n[thing.x]\n");
  EXPECT_THAT(error_of([&] { DataFile file(path, "thing"); }), HasSubstr("schema"));
}

}  // namespace
}  // namespace citsim::core
