// SPDX-License-Identifier: MIT
// The planner's sections of the report (a `citsim plan` result, as the planner's result contract
// defines it): the screening verdict and contraindication table, and per area the plan beside
// its alternatives, precautions and care schedules. Text from the result goes in as text only.

// ---- The planner's screening: is the patient a candidate, and which contraindications apply.

function candidateBadge(candidate) {
  if (candidate === true) return badge("candidate", "ok");
  if (candidate === false) return badge("not a candidate", "bad");
  return badge("not assessed", "neutral");
}

function verdict(candidate, reasons, subject) {
  const tone = candidate === true ? "ok" : candidate === false ? "bad" : "neutral";
  const answer = candidate === true ? "Yes" : candidate === false ? "No" : "Not assessed";
  return el("div", { class: `verdict ${tone}`, "data-verdict": candidate === true ? "candidate" : candidate === false ? "not-candidate" : "unknown" }, [
    el("p", { class: "verdict-line" }, [`${subject}: `, el("strong", { text: answer })]),
    textList(reasons),
  ]);
}

function screeningRank(flag) {
  if (!flag.present) return 2;
  return flag.kind === "absolute" ? 0 : 1;
}

function screeningTable(flags) {
  // Present first (absolute before relative), then the rest, each group in the planner's order.
  const ordered = flags.map((f, i) => [f, i]).sort((a, b) => screeningRank(a[0]) - screeningRank(b[0]) || a[1] - b[1]).map(([f]) => f);
  const rows = ordered.map((f) => {
    const where = f.scope === "area"
      ? (f.present && Array.isArray(f.areas) && f.areas.length ? f.areas.map(words).join(", ") : "each area")
      : "whole patient";
    const tone = !f.present ? "absent" : f.kind === "absolute" ? "absolute" : "relative";
    return {
      cells: [
        f.name || words(f.flag),
        badge(f.kind || "—", f.kind === "absolute" ? "kind-absolute" : "kind-relative"),
        where,
        f.present ? badge("present", f.kind === "absolute" ? "bad" : "warn") : "no",
        f.present ? f.effect || "—" : "—",
        f.source || "—",
      ],
      attrs: { class: `flag ${tone}`, "data-flag": f.flag },
    };
  });
  return el("div", { class: "table-wrap" }, table(
    ["Contraindication", "Kind", "Applies to", "Present", "Effect on the plan", "Source"], rows, [], { "data-table": "screening" }));
}

function screeningSection() {
  if (!isPlan) return null;
  const children = [verdict(data.candidate, data.reasons, "Candidate for microneedling")];
  const planned = (data.areas || []).filter((a) => a.plan);
  if ((data.areas || []).length) {
    children.push(el("h3", { text: "By area" }), table(
      ["Area", "Candidate", "Recommended plan, or why none", "Improvement (%)", "Downtime, total (days)"],
      data.areas.map((a) => [areaName(a), candidateBadge(a.candidate), a.plan ? a.plan.label || "—" : (a.reasons || [])[0] || "—",
        a.plan ? num(a.plan.predicted_improvement_pct, 3) : "—", a.plan ? num(a.plan.downtime_days_total, 3) : "—"]),
      [3, 4], { "data-table": "summary" }));
    if (planned.length) children.push(el("p", { class: "note", text: "Improvement is the mean over the area's concerns for a typical patient with these characteristics; downtime is summed over the sessions." }));
  }
  if (Array.isArray(data.screening)) {
    const present = data.screening.filter((f) => f.present).length;
    children.push(el("h3", { text: "Contraindications checked" }),
      el("p", { class: "note", text: `${data.screening.length} checked, ${present} present. Absolute: the patient or area is not treated. Relative: treated with the change shown.` }),
      screeningTable(data.screening));
  }
  return section("Screening", children, { "data-section": "screening" });
}

// ---- The plan of one area, its runners-up, precautions and care.

/// Needle lengths as clinicians write them: 0.5, 0.75, 1.0 (mm).
function needleMm(length) {
  return isNumber(length) ? length.toLocaleString("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 2 }) : "—";
}

function needleList(plan) {
  const lengths = Array.isArray(plan.needle_length_mm) ? plan.needle_length_mm : [plan.needle_length_mm];
  return lengths.map(needleMm).join(", ");
}

function deepestNeedleMm(plan) {
  const lengths = (Array.isArray(plan.needle_length_mm) ? plan.needle_length_mm : [plan.needle_length_mm]).filter(isNumber);
  return lengths.length ? Math.max(...lengths) : null;
}

function serumName(serum) {
  return serum === null || serum === undefined || serum === "" ? "none" : words(String(serum));
}

function planRow(option, plan, attrs) {
  const technique = [plan.passes !== undefined ? `${plan.passes} passes` : null, plan.pattern, plan.pressure ? `${plan.pressure} pressure` : null].filter(Boolean).join(", ");
  return {
    cells: [
      option, plan.device || "—", needleList(plan), technique || "—",
      isNumber(plan.sessions) ? `${plan.sessions} × every ${num(plan.interval_days, 3)} days` : "—",
      serumName(plan.serum),
      num(plan.predicted_improvement_pct, 3),
      `${num(plan.downtime_days_total, 3)} (${num(plan.downtime_days_max, 2)})`,
      isNumber(plan.pih_risk_max) ? num(100 * plan.pih_risk_max, 2) : "—",
      num(plan.score, 2),
    ],
    attrs,
  };
}

function planBlock(area) {
  const plan = area.plan;
  const alternatives = Array.isArray(area.alternatives) ? area.alternatives : [];
  const rows = [planRow(el("strong", { text: "Recommended" }), plan, { class: "recommended", "data-option": "plan" })]
    .concat(alternatives.map((alt, i) => planRow(`Alternative ${i + 1}`, alt, { "data-option": `alternative-${i + 1}` })));
  const children = [
    el("p", { class: "plan-label" }, [el("strong", { text: plan.label || "—" })]),
    el("div", { class: "table-wrap" }, table(
      ["Option", "Device", "Needle length per session (mm)", "Technique", "Sessions", "Serum", "Improvement (%)",
        "Downtime, days: total (longest)", "PIH risk, highest (%)", "Score"],
      rows, [6, 7, 8, 9], { "data-table": "plan" })),
  ];
  const deepest = deepestNeedleMm(plan);
  if (isNumber(area.max_safe_needle_length_mm)) {
    children.push(el("p", { "data-safe-limit": String(area.max_safe_needle_length_mm) }, [
      el("strong", { text: "Needle length limit here: " }),
      `${needleMm(area.max_safe_needle_length_mm)} mm, from the modelled anatomy of this area and the risk rules`,
      isNumber(deepest) ? `; the plan's deepest session uses ${needleMm(deepest)} mm.` : ".",
    ]));
  }
  children.push(el("p", { class: "note", text: "Score: the planner's ranking (higher is better), weighing the predicted improvement against downtime and the risk of post-inflammatory hyperpigmentation (PIH) within the planning limits." }));
  if (alternatives.length) {
    children.push(el("h4", { text: "Why not the alternatives" }), el("ul", { class: "why-not", "data-list": "why-not" },
      alternatives.map((alt, i) => el("li", {}, [el("strong", { text: `Alternative ${i + 1}` }), ` (${alt.label || "—"}): `, el("span", { class: "why", text: alt.why_not || "—" })]))));
  } else {
    children.push(el("p", { class: "note", text: "No other plan was feasible within the limits." }));
  }
  return children;
}

function precautionsBlock(precautions) {
  return table(["Precaution", "Why", "Source"],
    precautions.map((p) => (typeof p === "string" ? [p, "—", "—"] : [p.text || "—", p.reason || "—", p.source || "—"])),
    [], { "data-table": "precautions" });
}

function dayRange(from, to) {
  const f = isNumber(from) ? from : null;
  const t = isNumber(to) ? to : f;
  if (f === null) return "—";
  const name = (d) => (d === 0 ? "0 (session day)" : num(d, 3));
  return t === f || t === null ? `Day ${name(f)}` : `Days ${num(f, 3)}–${num(t, 3)}${f === 0 ? " (0: session day)" : ""}`;
}

function careBlock(care) {
  const children = [];
  const pre = Array.isArray(care.pre) ? care.pre : [];
  const sterilization = Array.isArray(care.sterilization) ? care.sterilization : [];
  const post = Array.isArray(care.post) ? care.post : [];
  const record = (x) => (typeof x === "string" ? { step: x, care: x } : x || {});
  if (pre.length) {
    children.push(el("h4", { text: "Before each session" }), table(["Step", "When", "Why", "Source"],
      pre.map(record).map((c) => [c.step || "—", c.timing || "—", c.reason || "—", c.source || "—"]), [], { "data-table": "care-pre" }));
  }
  if (sterilization.length) {
    children.push(el("h4", { text: "Device and sterilization checklist" }), el("ul", { class: "checklist", "data-list": "sterilization" },
      sterilization.map(record).map((c) => el("li", {}, [el("span", { class: "step", text: c.step || "—" }),
        c.reason ? el("span", { class: "why", text: ` ${c.reason}` }) : null,
        c.source ? el("span", { class: "source", text: ` (${c.source})` }) : null]))));
  }
  if (post.length) {
    const rows = post.map(record).map((c, i) => [c, i])
      .sort((a, b) => (isNumber(a[0].day_from) ? a[0].day_from : 0) - (isNumber(b[0].day_from) ? b[0].day_from : 0) || a[1] - b[1])
      .map(([c]) => [el("strong", { text: dayRange(c.day_from, c.day_to) }), c.care || "—", c.reason || "—", c.source || "—"]);
    children.push(el("h4", { text: "After each session, day by day" }),
      el("p", { class: "note", text: "Day 0 is the day of the session; the schedule starts again after every session." }),
      table(["Days", "What to do", "Why", "Source"], rows, [], { "data-table": "care-post", class: "schedule" }));
  }
  return children;
}
