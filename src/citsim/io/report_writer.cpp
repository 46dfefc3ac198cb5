// SPDX-License-Identifier: MIT
#include "citsim/io/report_writer.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "citsim/core/error.hpp"
#include "citsim/core/version.hpp"
#include "citsim/io/atomic_file.hpp"

namespace citsim::io {

std::filesystem::path report_template_path() {
  if (const char* from_env = std::getenv("CITSIM_REPORT_TEMPLATE"); from_env && *from_env) {
    return from_env;
  }
  return k_build_report_template;
}

std::string load_report_template() {
  const std::filesystem::path path = report_template_path();
  const std::string fix =
      "build it (make build, or cmake --build --preset release: the build runs npm ci and makes "
      "report/report_template.html) or set CITSIM_REPORT_TEMPLATE to a built "
      "report_template.html";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::InputError(path.string() + ": no HTML report template here; " + fix);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    throw core::InputError(path.string() + ": cannot read the HTML report template; " + fix);
  }
  std::string out = text.str();
  if (out.find(k_report_data_placeholder) == std::string::npos) {
    throw core::InputError(path.string() + ": not a citsim report template (no " +
                           std::string(k_report_data_placeholder) + "); " + fix);
  }
  return out;
}

std::string escape_json_for_script(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    // In JSON these characters occur only inside strings, where the \u escape means the same.
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string report_html(std::string_view template_html, const nlohmann::ordered_json& data) {
  const std::size_t at = template_html.find(k_report_data_placeholder);
  if (at == std::string_view::npos) {
    throw std::invalid_argument("report template has no data placeholder");
  }
  std::string out;
  const std::string json = escape_json_for_script(data.dump());
  out.reserve(template_html.size() + json.size());
  out.append(template_html.substr(0, at));
  out.append(json);
  out.append(template_html.substr(at + k_report_data_placeholder.size()));
  return out;
}

void write_report(const std::filesystem::path& path, std::string_view template_html,
                  const nlohmann::ordered_json& data) {
  write_file_atomically(path, report_html(template_html, data));
}

}  // namespace citsim::io
