// SPDX-License-Identifier: MIT
#include "citsim/outcome/concern_catalog.hpp"

#include <fmt/format.h>

namespace citsim::outcome {

ConcernCatalog::ConcernCatalog(const std::filesystem::path& data_dir)
    : m_file(data_dir / "concerns.toml", "concern") {
  for (const auto& id : m_file.ids()) {
    auto entry = m_file.entry(id);
    auto& reader = entry.reader();
    ConcernScale concern;
    concern.id = id;
    concern.name = reader.string("name");
    concern.scale = reader.string("scale");
    concern.unit = reader.string("unit");
    concern.severity_min = entry.number("severity_min", {0, 1e4, ""});
    concern.severity_max = entry.number("severity_max", {0, 1e4, ""});
    concern.lower_is_better = reader.choice_or("better", "lower", {"lower", "higher"}) == "lower";
    concern.levels = reader.string_list_or("levels", {});
    concern.typical_depth_mm = entry.number_list("typical_depth_mm", {0.1, 3.0, "mm"});
    concern.source = entry.source_of("severity_min");
    entry.finish();
    if (concern.severity_max <= concern.severity_min) {
      reader.fail("severity_max", fmt::format("{:g}", concern.severity_max),
                  "must exceed severity_min");
    }
    m_concerns.push_back(concern);
  }
}

const ConcernScale& ConcernCatalog::scale(const std::string& id) const {
  for (const auto& concern : m_concerns) {
    if (concern.id == id) return concern;
  }
  (void)m_file.entry(id);  // throws with the known ids
  throw core::InternalError("unreachable: unknown concern " + id);
}

void ConcernCatalog::check(const core::Concern& concern, const std::string& key) const {
  const ConcernScale& s = scale(concern.kind);
  if (concern.severity < s.severity_min || concern.severity > s.severity_max) {
    throw core::InputError(
        concern.where, key, fmt::format("{:g}", concern.severity),
        fmt::format("{} severity is on the {} scale: from {:g} to {:g} {}", concern.kind, s.scale,
                    s.severity_min, s.severity_max, s.unit));
  }
}

}  // namespace citsim::outcome
