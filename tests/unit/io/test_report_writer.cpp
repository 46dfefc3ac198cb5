// SPDX-License-Identifier: MIT
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "citsim/core/error.hpp"
#include "citsim/io/report_writer.hpp"

namespace citsim::io {
namespace {

constexpr const char* k_template =
    "<html><head><script id=\"citsim-data\" type=\"application/json\">__CITSIM_REPORT_DATA__"
    "</script></head><body></body></html>";

/// The text between the data element's tags of a rendered page.
std::string embedded(const std::string& html) {
  const std::string open = "type=\"application/json\">";
  const auto from = html.find(open) + open.size();
  return html.substr(from, html.find("</script>", from) - from);
}

TEST(ReportWriter, EmbedsTheDataInPlaceOfThePlaceholder) {
  const nlohmann::ordered_json data = {{"citsim_version", "0.1.0"}, {"areas", {1, 2, 3}}};
  const std::string html = report_html(k_template, data);
  EXPECT_EQ(html.find("__CITSIM_REPORT_DATA__"), std::string::npos);
  EXPECT_EQ(nlohmann::ordered_json::parse(embedded(html)), data);
  EXPECT_EQ(html.substr(0, 6), "<html>");
  EXPECT_EQ(html.substr(html.size() - 14), "</body></html>");
}

TEST(ReportWriter, ScriptEndingTextInTheDataStaysInsideTheElement) {
  const std::string hostile = "</script><script>alert(1)</script><!-- & \xE2\x80\xA8 end";
  const nlohmann::ordered_json data = {{"title", hostile}};
  const std::string html = report_html(k_template, data);
  // Exactly the template's own closing tag remains, and no comment opener.
  std::size_t closings = 0;
  for (auto at = html.find("</script"); at != std::string::npos; at = html.find("</script", at + 1))
    ++closings;
  EXPECT_EQ(closings, 1u);
  EXPECT_EQ(html.find("<!--"), std::string::npos);
  EXPECT_EQ(html.find("\xE2\x80\xA8"), std::string::npos);
  // The escaped text parses back to the same string.
  EXPECT_EQ(nlohmann::ordered_json::parse(embedded(html))["title"], hostile);
}

TEST(ReportWriter, EscapeLeavesOtherTextAlone) {
  EXPECT_EQ(escape_json_for_script(R"({"a":"b c","n":1.5})"), R"({"a":"b c","n":1.5})");
  EXPECT_EQ(escape_json_for_script("\"<>&\""), "\"\\u003c\\u003e\\u0026\"");
  EXPECT_EQ(escape_json_for_script("\"\xC3\xA9\xE2\x80\xA9\""), "\"\xC3\xA9\\u2029\"");
}

TEST(ReportWriter, ATemplateWithoutPlaceholderIsRefused) {
  EXPECT_THROW((void)report_html("<html></html>", nlohmann::ordered_json::object()),
               std::invalid_argument);
}

TEST(ReportWriter, AMissingTemplateIsAnInputErrorNamingThePath) {
  const auto path = std::filesystem::temp_directory_path() / "citsim_no_such_template.html";
  std::filesystem::remove(path);
  ::setenv("CITSIM_REPORT_TEMPLATE", path.c_str(), 1);
  EXPECT_EQ(report_template_path(), path);
  try {
    (void)load_report_template();
    ADD_FAILURE() << "no exception";
  } catch (const core::InputError& error) {
    EXPECT_NE(std::string(error.what()).find(path.string()), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("CITSIM_REPORT_TEMPLATE"), std::string::npos);
  }
  { std::ofstream(path) << "<html>no placeholder</html>"; }
  EXPECT_THROW((void)load_report_template(), core::InputError);
  { std::ofstream(path) << k_template; }
  EXPECT_EQ(load_report_template(), k_template);
  std::filesystem::remove(path);
  ::unsetenv("CITSIM_REPORT_TEMPLATE");
}

}  // namespace
}  // namespace citsim::io
