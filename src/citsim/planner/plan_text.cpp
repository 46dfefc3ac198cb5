// SPDX-License-Identifier: MIT
// The plans in words: labels and why an alternative ranked lower.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "citsim/core/units.hpp"
#include "citsim/planner/search.hpp"

namespace citsim::planner {

namespace {

namespace units = citsim::units;

std::string weeks_or_days(double interval_s) {
  const double days = interval_s / units::day;
  const auto whole = static_cast<long>(std::lround(days));
  if (std::abs(days - static_cast<double>(whole)) < 1e-9 && whole % 7 == 0) {
    return whole == 7 ? "week" : fmt::format("{} weeks", whole / 7);
  }
  return fmt::format("{:g} days", days);
}

std::string millimetres(double m) {
  return fmt::format("{:.2f}", m / units::mm);
}

}  // namespace

std::string plan_label(const PlanSpec& spec) {
  const double first = spec.needle_length_m.front();
  const double planned = spec.planned_needle_m();
  const std::string depth =
      first < planned ? millimetres(first) + " then " + millimetres(planned) : millimetres(planned);
  std::string serum = spec.serum.empty() ? "no serum" : spec.serum;
  std::replace(serum.begin(), serum.end(), '_', ' ');
  return fmt::format("{}, {} mm, {} passes, {} session{} every {}, {}", spec.device_id, depth,
                     spec.passes, spec.sessions, spec.sessions == 1 ? "" : "s",
                     weeks_or_days(spec.interval_s), serum);
}

std::string why_not(const RankedPlan& alternative, const RankedPlan& chosen,
                    const ScoreWeights& w) {
  const auto& a = alternative.figures;
  const auto& c = chosen.figures;
  struct Term {
    double contribution;  // to (alternative score - chosen score)
    std::string worse;
    std::string better;
  };
  std::vector<Term> terms;
  terms.push_back({(a.improvement_pct - c.improvement_pct) / 100,
                   fmt::format("less predicted improvement ({:.1f}% vs {:.1f}%)", a.improvement_pct,
                               c.improvement_pct),
                   fmt::format("more predicted improvement ({:.1f}% vs {:.1f}%)", a.improvement_pct,
                               c.improvement_pct)});
  terms.push_back({-w.downtime_per_day * (a.downtime_days_total - c.downtime_days_total),
                   fmt::format("more downtime ({:.1f} vs {:.1f} days in total)",
                               a.downtime_days_total, c.downtime_days_total),
                   fmt::format("less downtime ({:.1f} vs {:.1f} days in total)",
                               a.downtime_days_total, c.downtime_days_total)});
  terms.push_back({-w.pih * (a.pih_risk_cumulative - c.pih_risk_cumulative),
                   fmt::format("a higher risk of hyperpigmentation ({:.2f}% vs {:.2f}% over the "
                               "plan)",
                               100 * a.pih_risk_cumulative, 100 * c.pih_risk_cumulative),
                   fmt::format("a lower risk of hyperpigmentation ({:.2f}% vs {:.2f}% over the "
                               "plan)",
                               100 * a.pih_risk_cumulative, 100 * c.pih_risk_cumulative)});
  terms.push_back(
      {-w.per_session * (alternative.spec.sessions - chosen.spec.sessions),
       fmt::format("more sessions ({} vs {})", alternative.spec.sessions, chosen.spec.sessions),
       fmt::format("fewer sessions ({} vs {})", alternative.spec.sessions, chosen.spec.sessions)});
  std::sort(terms.begin(), terms.end(),
            [](const Term& x, const Term& y) { return x.contribution < y.contribution; });
  std::vector<std::string> against;
  std::vector<std::string> for_it;
  // A difference below what the text prints (a hundredth of a percentage point) is no reason.
  constexpr double k_noticeable = 5e-5;
  for (const auto& t : terms) {
    if (t.contribution < -k_noticeable) against.push_back(t.worse);
    if (t.contribution > k_noticeable) for_it.push_back(t.better);
  }
  std::string text = fmt::format("score {:.3f} vs {:.3f} for the chosen plan", a.score, c.score);
  if (!against.empty()) text += ": " + fmt::format("{}", fmt::join(against, ", "));
  if (!for_it.empty()) text += "; it would give " + fmt::format("{}", fmt::join(for_it, ", "));
  if (against.empty()) text += " (equal figures; the chosen plan is the gentler one)";
  return text;
}

}  // namespace citsim::planner
