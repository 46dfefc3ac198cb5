// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace citsim::io {

/// The text in the report template that the result data replaces; it appears exactly once,
/// inside <script id="citsim-data" type="application/json">.
inline constexpr std::string_view k_report_data_placeholder = "__CITSIM_REPORT_DATA__";

/// Where the report template is: $CITSIM_REPORT_TEMPLATE if set, else the one the build made
/// (build/<preset>/report/report_template.html, compiled in).
std::filesystem::path report_template_path();

/// Reads the report template (the page with its scripts, styles and charting library inlined).
/// Throws InputError naming the path and how to make it when it is missing, unreadable or has
/// no data placeholder. Call it before any work, so a run without a template writes nothing.
std::string load_report_template();

/// JSON text made safe to embed in an HTML <script> element: '<', '>' and '&' become \u003c,
/// \u003e and \u0026 (so no "</script>" or "<!--" can end or change the element), and
/// U+2028/U+2029 become \u2028/\u2029. The result parses as the same JSON.
std::string escape_json_for_script(std::string_view json);

/// The report page: `template_html` with `data` (result.json's document) embedded in place of
/// the placeholder. Throws std::invalid_argument if the template has no placeholder.
std::string report_html(std::string_view template_html, const nlohmann::ordered_json& data);

/// Writes report_html(...) to `path` atomically.
void write_report(const std::filesystem::path& path, std::string_view template_html,
                  const nlohmann::ordered_json& data);

}  // namespace citsim::io
