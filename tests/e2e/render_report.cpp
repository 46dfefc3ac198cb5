// SPDX-License-Identifier: MIT
// Test helper: renders a report page from a result.json (e.g. a fixture with the timelines,
// outcomes and plan that later stages add) through the same io::report_html that `citsim run`
// uses.
//
//   render_report RESULT.json OUT.html      (template: $CITSIM_REPORT_TEMPLATE or the build's)
#include <cstdio>
#include <exception>
#include <fstream>

#include <nlohmann/json.hpp>

#include "citsim/io/report_writer.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: render_report RESULT.json OUT.html\n");
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    if (!in) {
      std::fprintf(stderr, "render_report: cannot open %s\n", argv[1]);
      return 2;
    }
    const auto data = nlohmann::ordered_json::parse(in);
    citsim::io::write_report(argv[2], citsim::io::load_report_template(), data);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "render_report: %s\n", error.what());
    return 1;
  }
  return 0;
}
