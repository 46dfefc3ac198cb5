// SPDX-License-Identifier: MIT
// The citsim report page: draws the summary, tables, pictures and charts from the embedded result
// (report_base.js, report_figures.js and report_plan.js come before this file, in one scope).
// A plan result adds the screening section and, per area, the plan, precautions and care; areas
// that are not candidates show only their reasons. Sections whose data are absent are left out.
// When the whole page is built, <html> gets data-report-ready="true" (the browser test waits on it).

function header() {
  const title = scenario.title || "Microneedling simulation";
  document.title = `citsim report: ${title}`;
  const kind = isPlan ? "Screening and treatment plan" : "Simulation of a treatment protocol";
  return el("header", {}, [
    el("h1", { text: title }),
    el("p", { class: "subtitle", text: `${kind} · citsim ${data.citsim_version || "?"} (${data.git_hash || "?"})` }),
    el("div", { class: "disclaimer", role: "note" }, [el("strong", { text: "Decision support only. " }),
      `${disclaimer} The figures are model predictions for a typical patient with these characteristics; they do not replace clinical judgement, examination or the device maker's instructions.`]),
  ]);
}

function concernsText(area, index) {
  const concerns = Array.isArray(area.concerns) ? area.concerns : ((scenario.area || [])[index] || {}).concerns || [];
  return concerns.map((c) => `${words(c.kind)} (severity ${num(c.severity, 3)})`).join("; ") || "—";
}

function areaName(area) {
  return area.region_name || words(area.region);
}

/// A history flag by the name the screening gives it, else by its id in words.
function historyName(flag) {
  const checked = Array.isArray(data.screening) ? data.screening.find((f) => f.flag === flag) : null;
  return checked && checked.name ? checked.name : words(flag);
}

function patientSection() {
  const p = scenario.patient || {};
  const boxes = [factBox("Patient", [
    ["Age", isNumber(p.age_years) ? `${num(p.age_years, 3)} years` : null],
    ["Sex", p.sex],
    ["Fitzpatrick type", p.fitzpatrick],
    ["History", Array.isArray(p.history) ? (p.history.length ? p.history.map(historyName).join("; ") : "none recorded") : null],
  ])];
  const limits = data.constraints || scenario.constraints;
  if (isPlan && limits) {
    boxes.push(factBox("Planning limits", [
      ["Sessions, at most", limits.max_sessions],
      ["Downtime, at most", isNumber(limits.max_downtime_days) ? `${num(limits.max_downtime_days, 3)} days` : null],
    ]));
  }
  const d = data.device;
  if (d) {
    boxes.push(factBox("Device", [
      ["Model", d.name || d.model], ["Kind", d.kind], ["Needles", d.needles],
      ["Needle length", isNumber(d.needle_length_mm) ? `${num(d.needle_length_mm, 3)} mm` : null],
      ["Needle diameter", isNumber(d.needle_diameter_mm) ? `${num(d.needle_diameter_mm, 3)} mm` : null],
    ]));
  } else if (scenario.protocol) {
    boxes.push(factBox("Device", [["Needling", "none (intact-skin control)"]]));
  }
  const t = scenario.technique;
  if (t) boxes.push(factBox("Technique", [["Passes", t.passes], ["Pattern", t.pattern], ["Pressure", t.pressure]]));
  const top = scenario.topical;
  if (top) {
    boxes.push(factBox("Topical", [
      ["Product", words(String(typeof top.product === "object" ? top.product.name : top.product))],
      ["Dose", isNumber(top.dose_mg_cm2) ? `${num(top.dose_mg_cm2, 3)} mg/cm²${top.infinite_dose ? " (infinite dose)" : ""}` : null],
      ["Concentration", isNumber(top.concentration_pct) ? `${num(top.concentration_pct, 3)} %` : null],
      ["Occluded", top.occluded === undefined ? null : top.occluded ? "yes" : "no"],
      ["On the skin", isNumber(top.exposure_h) ? `${num(top.exposure_h, 3)} h` : null],
      ["At home", top.daily_applications ? `${top.daily_applications} a day` : null],
    ]));
  }
  const pr = scenario.protocol;
  if (pr) {
    boxes.push(factBox("Protocol", [
      ["Sessions", pr.sessions],
      ["Interval", isNumber(pr.interval_days) ? `${num(pr.interval_days, 3)} days` : null],
      ["Follow-up", isNumber(pr.follow_up_days) ? `${num(pr.follow_up_days, 3)} days` : null],
    ]));
  }
  const headers = ["Area", "Region id", "Size (cm²)", "Concerns"];
  const areas = (data.areas || []).map((a, i) => {
    const row = [areaName(a), a.region, num(a.area_cm2, 3), concernsText(a, i)];
    if (isPlan) row.push(candidateBadge(a.candidate));
    return row;
  });
  if (isPlan) headers.push("Candidate");
  return section("Patient and treated areas", [
    el("div", { class: "facts" }, boxes),
    el("h3", { text: "Areas" }),
    table(headers, areas, [2], { "data-table": "areas" }),
  ]);
}

// ---- One area: the plan (when planned), the simulated sessions, the pictures and charts.

function protocolTable(area) {
  const d = data.device || {};
  const t = scenario.technique || {};
  const plan = area.plan || {};
  const planned = Array.isArray(plan.needle_length_mm) ? plan.needle_length_mm : [];
  const rows = (area.sessions || []).map((s, i) => {
    const needled = isNumber(s.mean_depth_um) && s.mean_depth_um > 0;
    const needle = isNumber(s.needle_length_mm) ? s.needle_length_mm : isNumber(planned[i]) ? planned[i] : isNumber(plan.needle_length_mm) ? plan.needle_length_mm : d.needle_length_mm;
    const passes = s.passes !== undefined ? s.passes : plan.passes !== undefined ? plan.passes : t.passes;
    return [
      String(i + 1),
      num(s.day, 4),
      s.device || plan.device || d.model || "none",
      num(needle, 3),
      passes !== undefined ? passes : "—",
      needled ? `${num(s.mean_depth_um, 3)} ± ${num(s.sd_depth_um, 2)}` : "—",
      needled ? num(s.max_depth_um, 3) : "—",
      num(s.channels_per_cm2, 3),
      s.bleeding ? `yes (${num(100 * (s.bleeding_fraction || 0), 2)} %)` : "no",
      num(s.channel_half_life_h, 2),
      num(s.absorbed_ug_cm2, 3),
      isNumber(s.enhancement_ratio) ? `${num(s.enhancement_ratio, 3)} ×`
        : isNumber(s.absorbed_ug_cm2) && s.intact_absorbed_ug_cm2 === 0 ? "no intact uptake" : "—",
    ];
  });
  return el("div", { class: "table-wrap" }, table(
    ["Session", "Day", "Device", "Needle (mm)", "Passes", "Depth, mean ± SD (µm)", "Deepest (µm)",
      "Channels (per cm²)", "Pinpoint bleeding", "Channel half-life (h)", "Absorbed (µg/cm²)", "With vs intact skin"],
    rows, [1, 3, 4, 5, 6, 7, 9, 10, 11], { "data-table": "protocol" }));
}

function outcomesTable(outcomes) {
  return table(["Concern", "Unit", "Baseline", "Predicted", "95% interval", "Improvement (%)"],
    outcomes.map((o) => [words(o.concern), o.unit || "—", num(o.baseline, 3), num(o.predicted, 3),
      Array.isArray(o.ci95) ? `${num(o.ci95[0], 3)} to ${num(o.ci95[1], 3)}` : "—", num(o.improvement_pct, 3)]),
    [2, 3, 5]);
}

/// The session the cross-section draws and the needle length it was made with: for a plan,
/// the deepest planned session; for a run, the first needled session at the device's length.
function pictureSession(area) {
  const sessions = area.sessions || [];
  const needled = (s) => s && isNumber(s.mean_depth_um) && s.mean_depth_um > 0;
  if (area.plan) {
    const deepest = deepestNeedleMm(area.plan);
    const lengths = Array.isArray(area.plan.needle_length_mm) ? area.plan.needle_length_mm : [];
    const k = lengths.indexOf(deepest);
    const index = k >= 0 && needled(sessions[k]) ? k : sessions.findIndex(needled);
    const why = lengths.length > 1 ? " (the deepest planned)" : "";
    return {
      drawn: index >= 0 ? { session: sessions[index], number: index + 1, why } : null,
      needleUm: isNumber(deepest) ? deepest * 1000 : null,
    };
  }
  const index = sessions.findIndex(needled);
  const d = data.device;
  return {
    drawn: index >= 0 ? { session: sessions[index], number: index + 1, why: "" } : null,
    needleUm: d && isNumber(d.needle_length_mm) ? d.needle_length_mm * 1000 : null,
  };
}

function simulationBlocks(area, index) {
  const children = [];
  const days = (area.sessions || []).map((s) => s.day).filter(isNumber);
  if (Array.isArray(area.sessions) && area.sessions.length) {
    children.push(el("h3", { text: area.plan ? "The plan, simulated session by session" : "Protocol" }), protocolTable(area));
  }
  const { drawn, needleUm } = pictureSession(area);
  const safeUm = area.plan && isNumber(area.max_safe_needle_length_mm) ? area.max_safe_needle_length_mm * 1000 : null;
  const picture = crossSection(area, drawn, needleUm, safeUm);
  if (picture) children.push(el("h3", { text: "Skin cross-section" }), picture);
  const figures = [openFractionChart(area), absorptionChart(area, days), timelineChart(area, days)].filter(Boolean);
  if (figures.length) children.push(el("h3", { text: "Over time" }), el("div", { class: "figure-row" }, figures));
  if (Array.isArray(area.outcomes) && area.outcomes.length) {
    children.push(el("h3", { text: "Predicted outcome" }), outcomesTable(area.outcomes),
      el("div", { class: "figure-row" }, area.outcomes.map((o, i) => outcomeChart(o, `${index}_${i}`))));
  }
  return children;
}

function areaSection(area, index) {
  const children = [el("p", { class: "note", text: `${num(area.area_cm2, 3)} cm² · region id ${area.region} · ${concernsText(area, index)}` })];
  if (isPlan) {
    children.push(verdict(area.candidate, area.reasons, `Candidate for microneedling of the ${areaName(area).toLowerCase()}`));
    // Not a candidate: the reasons are the whole story; nothing was planned or simulated.
    if (area.candidate === false || !area.plan) {
      return section(`Area ${index + 1}: ${areaName(area)}`, children, { class: "area", "data-area": area.region, "data-candidate": String(area.candidate) });
    }
    children.push(el("h3", { text: "Recommended plan" }), ...planBlock(area));
  }
  children.push(...simulationBlocks(area, index));
  if (isPlan && Array.isArray(area.precautions) && area.precautions.length) {
    children.push(el("h3", { text: "Precautions" }), precautionsBlock(area.precautions));
  }
  if (isPlan && area.care && typeof area.care === "object") {
    const care = careBlock(area.care);
    if (care.length) children.push(el("h3", { text: "Care schedule" }), el("div", { class: "care", "data-care": area.region }, care));
  }
  return section(`Area ${index + 1}: ${areaName(area)}`, children, { class: "area", "data-area": area.region, "data-candidate": isPlan ? String(area.candidate) : null });
}

function sourcesSection() {
  const sources = Array.isArray(data.sources) ? data.sources : [];
  if (!sources.length) return null;
  return section("Sources", [
    el("p", { class: "note", text: "The published figures behind the data this result used (citsim's data/ catalogues, where every number carries its source)." }),
    el("ol", { class: "sources" }, sources.map((s) => el("li", {}, [s.citation || s.id, " ", el("span", { class: "file", text: `[${s.file || ""}${s.id ? ": " + s.id : ""}]` })]))),
  ], { "data-section": "sources" });
}

function build() {
  const root = document.getElementById("report");
  const parts = [header(), patientSection(), screeningSection()];
  (data.areas || []).forEach((area, i) => parts.push(areaSection(area, i)));
  parts.push(sourcesSection());
  parts.push(el("footer", {}, [el("p", {}, [el("strong", { text: "Not a medical device. " }), disclaimer]),
    el("p", { text: "Generated by citsim from result.json (embedded in this file, which needs no network). Charts: Chart.js." })]));
  for (const part of parts) if (part) root.append(part);
  for (const figure of root.querySelectorAll("figure.chart")) figure.citsimBuild();
  window.addEventListener("beforeprint", () => charts.forEach((c) => c.resize()));
  document.documentElement.dataset.reportReady = "true";
}

build();
