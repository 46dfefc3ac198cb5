// SPDX-License-Identifier: MIT
// The citsim report page: reads the result embedded in <script id="citsim-data"> (result.json's
// document) and draws the summary, tables, the skin cross-section (SVG) and the charts
// (Chart.js). It computes no physics: every curve comes from the result. A `citsim plan` result
// (command "plan"; docs in the planner's result contract) adds the screening verdict and table,
// and per area the verdict, plan with its runners-up, precautions and care schedules; areas that
// are not candidates show only their reasons. Sections whose data are absent are left out.
// After each chart draws, its canvas gets data-rendered-points (the points it drew) and, when
// the whole page is built, <html> gets data-report-ready="true" (the browser test waits on it).
(function () {
  "use strict";

  const PALETTE = ["#1f5f8b", "#c0504d", "#4f8f3a", "#8064a2", "#d08a1f", "#2aa198", "#6b6b6b"];
  const LAYER_COLOURS = {
    stratum_corneum: "#e6cf9f",
    viable_epidermis: "#f2c7ab",
    papillary_dermis: "#f3b3ac",
    reticular_dermis: "#e49a98",
    hypodermis: "#f7e6a6",
  };
  const charts = [];

  // ---------------------------------------------------------------------------------------------
  // Small helpers: elements, numbers, words.
  // ---------------------------------------------------------------------------------------------
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of [].concat(children || [])) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function isNumber(x) {
    return typeof x === "number" && Number.isFinite(x);
  }

  /// A number with `digits` significant digits and thousands separators; "—" when absent.
  function num(x, digits) {
    if (!isNumber(x)) return "—";
    if (x === 0) return "0";
    const d = digits || 3;
    const magnitude = Math.floor(Math.log10(Math.abs(x)));
    const decimals = Math.max(0, d - 1 - magnitude);
    return x.toLocaleString("en-GB", {
      minimumFractionDigits: 0,
      maximumFractionDigits: Math.min(decimals, 6),
    });
  }

  function words(id) {
    if (typeof id !== "string") return String(id);
    const text = id.replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /// A table; each row is a list of cells, or { cells, attrs } to mark the row (its class, data-*).
  function table(headers, rows, numeric, attrs) {
    const isNum = (i) => (numeric || []).includes(i);
    return el("table", attrs || {}, [
      el("thead", {}, el("tr", {}, headers.map((h, i) => el("th", { class: isNum(i) ? "num" : null }, h)))),
      el("tbody", {}, rows.map((row) => {
        const cells = Array.isArray(row) ? row : row.cells;
        return el("tr", Array.isArray(row) ? {} : row.attrs, cells.map((cell, i) => el("td", { class: isNum(i) ? "num" : null }, cell)));
      })),
    ]);
  }

  function factBox(title, pairs) {
    const dl = el("dl");
    for (const [key, value] of pairs) {
      if (value === undefined || value === null || value === "") continue;
      dl.append(el("dt", { text: key }), el("dd", { text: String(value) }));
    }
    return el("div", { class: "fact" }, [el("h4", { text: title }), dl]);
  }

  /// A list of plain-language lines (reasons, why-nots); empty lists say so.
  function textList(lines, attrs) {
    const items = (Array.isArray(lines) ? lines : [lines]).filter((t) => t !== undefined && t !== null);
    if (!items.length) return el("p", { class: "note", text: "none given" });
    return el("ul", Object.assign({ class: "reasons" }, attrs || {}), items.map((t) => el("li", { text: String(t) })));
  }

  function badge(text, tone) {
    return el("span", { class: `status ${tone}`, text });
  }

  function section(title, children, attrs) {
    return el("section", attrs || {}, [el("h2", { text: title })].concat(children));
  }

  // ---------------------------------------------------------------------------------------------
  // Charts.
  // ---------------------------------------------------------------------------------------------

  // Records on each canvas how many points it drew, once it has drawn.
  const renderedPointsPlugin = {
    id: "citsimRenderedPoints",
    afterRender(chart) {
      let points = 0;
      chart.data.datasets.forEach((dataset, i) => {
        if (!chart.isDatasetVisible(i)) return;
        points += dataset.data.filter((v) => v !== null && v !== undefined).length;
      });
      chart.canvas.dataset.renderedPoints = String(points);
    },
  };
  Chart.register(renderedPointsPlugin);
  Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
  Chart.defaults.color = "#1d232a";

  function axis(title, extra) {
    return Object.assign({ type: "linear", title: { display: true, text: title } }, extra || {});
  }

  /// Vertical lines at the session days (annotation plugin), labelled S1, S2, ...
  function sessionMarkers(days) {
    const out = {};
    days.forEach((day, i) => {
      out["session" + i] = {
        type: "line", xMin: day, xMax: day, borderColor: "rgba(80,80,80,0.55)", borderWidth: 1,
        borderDash: [4, 3],
        label: { display: true, content: "S" + (i + 1), position: "start", backgroundColor: "rgba(255,255,255,0.85)", color: "#444", font: { size: 10 }, padding: 2 },
      };
    });
    return out;
  }

  function chartFigure(name, caption, config) {
    const canvas = el("canvas", { "data-chart": name, role: "img", "aria-label": caption });
    const figure = el("figure", { class: "chart" }, [el("div", { class: "chart-box" }, canvas), el("figcaption", { text: caption })]);
    // Built once the figure is in the page, so the chart knows its size.
    figure.citsimBuild = () => {
      const options = config.options || {};
      options.animation = false;
      options.responsive = true;
      options.maintainAspectRatio = false;
      options.plugins = Object.assign({ legend: { position: "bottom", labels: { boxWidth: 14 } } }, options.plugins || {});
      config.options = options;
      charts.push(new Chart(canvas, config));
    };
    return figure;
  }

  function lineDataset(label, points, colour, extra) {
    return Object.assign({ label, data: points, borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: 0, tension: 0 }, extra || {});
  }

  function openFractionChart(area) {
    const sessions = (area.sessions || []).filter((s) => s.open_fraction && s.open_fraction.fraction && s.open_fraction.fraction.length);
    if (!sessions.length) return null;
    // Show the hours until every session's channels are 99 % closed, not a flat tail to 72 h.
    let until = 0;
    for (const s of sessions) {
      const { hours_after_session: hours, fraction } = s.open_fraction;
      const j = fraction.findIndex((f) => f < 0.01);
      until = Math.max(until, j < 0 ? hours[hours.length - 1] : hours[j]);
    }
    const xMax = Math.max(2, Math.ceil(until * 1.15));
    const datasets = sessions.map((s, i) => lineDataset(
      `Session ${(s.index !== undefined ? s.index : (area.sessions.indexOf(s))) + 1} (day ${num(s.day, 3)}), half-life ${num(s.channel_half_life_h, 2)} h`,
      s.open_fraction.hours_after_session.map((h, j) => ({ x: h, y: 100 * s.open_fraction.fraction[j] })).filter((p) => p.x <= xMax),
      PALETTE[i % PALETTE.length]));
    return chartFigure("open_fraction",
      "Channels still open after each session, from the injury model's resealing (per-channel half-lives by depth; longer under occlusion).",
      {
        type: "line", data: { datasets },
        options: { scales: { x: axis("Hours after the session (h)", { min: 0, max: xMax }), y: axis("Channels still open (%)", { min: 0, max: 100 }) } },
      });
  }

  function absorptionChart(area, days) {
    const a = area.absorption;
    if (!a || !a.day || !a.day.length) return null;
    const product = (area.plan && area.plan.serum) || (data.scenario && data.scenario.topical && data.scenario.topical.product) || "the topical";
    const pts = (ys) => a.day.map((d, j) => ({ x: d, y: ys[j] }));
    return chartFigure("absorption",
      `Cumulative ${words(String(product)).toLowerCase()} absorbed past the stratum corneum, with the needle channels and on intact skin (same dose and times); dashed lines mark the sessions.`,
      {
        type: "line",
        data: { datasets: [
          lineDataset("With channels", pts(a.absorbed_ug_cm2), PALETTE[0]),
          lineDataset("Intact skin", pts(a.intact_absorbed_ug_cm2), PALETTE[1], { borderDash: [6, 4] }),
        ] },
        options: {
          scales: { x: axis("Day of the protocol (d)", { min: 0 }), y: axis("Absorbed (µg/cm²)", { min: 0 }) },
          plugins: { annotation: { annotations: sessionMarkers(days) } },
        },
      });
  }

  function timelineChart(area, days) {
    const t = area.timeline;
    if (!t || !Array.isArray(t.day) || !t.day.length) return null;
    const series = [
      ["collagen_I_rel", "Collagen I"],
      ["collagen_III_rel", "Collagen III"],
      ["elastin_rel", "Elastin"],
    ].filter(([key]) => Array.isArray(t[key]));
    if (!series.length) return null;
    const datasets = series.map(([key, label], i) => lineDataset(label, t.day.map((d, j) => ({ x: d, y: t[key][j] })), PALETTE[[0, 2, 4][i]]));
    return chartFigure("timeline",
      "Dermal collagen I, collagen III and elastin relative to the patient's baseline (1 = unchanged) over the protocol and follow-up; dashed lines mark the sessions.",
      {
        type: "line", data: { datasets },
        options: {
          scales: { x: axis("Day of the protocol (d)", { min: 0 }), y: axis("Level (× baseline)") },
          plugins: { annotation: { annotations: sessionMarkers(days) } },
        },
      });
  }

  function outcomeChart(outcome, index) {
    const unit = outcome.unit || "score";
    const ci = Array.isArray(outcome.ci95) ? outcome.ci95 : null;
    const datasets = [{
      label: "Value", data: [outcome.baseline, outcome.predicted],
      backgroundColor: ["#b7c3ce", PALETTE[0]], borderWidth: 0, barPercentage: 0.6, grouped: false, order: 2,
    }];
    if (ci) {
      datasets.push({
        label: "95% interval", data: [null, [ci[0], ci[1]]], backgroundColor: "rgba(29,35,42,0.85)",
        borderWidth: 0, barPercentage: 0.08, grouped: false, order: 1,
      });
    }
    return chartFigure("outcome_" + index,
      `${words(outcome.concern)}: baseline and predicted (${unit})${ci ? ", with the 95% interval of the prediction" : ""}; improvement ${num(outcome.improvement_pct, 2)} %.`,
      {
        type: "bar",
        data: { labels: ["Baseline", "Predicted"], datasets },
        options: {
          scales: {
            x: { type: "category", title: { display: true, text: words(outcome.concern) } },
            y: axis(`${words(outcome.concern)} (${unit})`, { beginAtZero: true }),
          },
          plugins: { legend: { display: !!ci, position: "bottom", labels: { filter: (item) => item.text !== "Value" } } },
        },
      });
  }

  // ---------------------------------------------------------------------------------------------
  // The skin cross-section (SVG, to scale).
  // ---------------------------------------------------------------------------------------------
  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /// `drawn` is the session whose channels are drawn (null: none), `needleLengthUm` the needle
  /// length used for it and `safeLimitUm` the planner's cap for the area (null when not a plan).
  function crossSection(area, drawn, needleLengthUm, safeLimitUm) {
    const skin = area.skin;
    if (!skin || !Array.isArray(skin.layers) || !skin.layers.length) return null;
    const session = drawn ? drawn.session : null;
    const loop = skin.capillary_loop_depth_um;
    const reticular = skin.layers.find((l) => l.layer === "reticular_dermis");
    const dermisEnd = reticular ? reticular.bottom_um : skin.layers[skin.layers.length - 1].bottom_um;
    const deepest = Math.max(dermisEnd * 1.12, session ? session.max_depth_um * 1.15 : 0, (needleLengthUm || 0) * 1.1, (safeLimitUm || 0) * 1.1);
    const shown = Math.min(deepest, skin.layers[skin.layers.length - 1].bottom_um);

    const W = 760, H = 320, left = 64, right = 210, top = 16, bottom = 30;
    const plotW = W - left - right, plotH = H - top - bottom;
    const y = (um) => top + plotH * Math.min(um, shown) / shown;
    const widthUm = 1000;  // the strip drawn is 1 mm wide
    const x = (um) => left + plotW * um / widthUm;
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "data-cross-section": area.region || "" });
    if (isNumber(needleLengthUm)) root.setAttribute("data-needle-length-um", String(needleLengthUm));
    root.append(svg("title", {}, `Cross-section of the ${area.region_name || area.region} skin`));

    // Layer labels beside the strip, at each layer's middle, pushed apart where layers are thin.
    const labels = [];
    for (const layer of skin.layers) {
      if (layer.top_um >= shown) continue;
      const y0 = y(layer.top_um), y1 = y(layer.bottom_um);
      root.append(svg("rect", { x: left, y: y0, width: plotW, height: Math.max(0.5, y1 - y0), fill: LAYER_COLOURS[layer.layer] || "#ddd", stroke: "#b08a80", "stroke-width": 0.4 }));
      labels.push({ at: (y0 + y1) / 2, text: `${words(layer.layer)} ${num(layer.bottom_um - layer.top_um, 3)} µm` });
    }
    let next = top;
    for (const label of labels) {
      const ly = Math.max(label.at, next);
      next = ly + 14;
      root.append(svg("line", { x1: left + plotW, x2: left + plotW + 6, y1: label.at, y2: ly, stroke: "#888", "stroke-width": 0.6 }));
      root.append(svg("text", { x: left + plotW + 9, y: ly + 4, "font-size": 11, fill: "#333" }, label.text));
    }

    // Channels: as many per mm as the areal density gives along a line (√(per mm²)), at the
    // session's mean depth ± its spread; capped so the picture stays legible.
    if (session && isNumber(session.channels_per_cm2) && session.channels_per_cm2 > 0) {
      const perMm = Math.sqrt(session.channels_per_cm2 / 100);
      const n = Math.max(1, Math.min(60, Math.round(perMm)));
      const sd = isNumber(session.sd_depth_um) ? session.sd_depth_um : 0;
      const pattern = [0, 0.8, -0.6, 0.3, -1.1, 0.5, -0.2, 1.0, -0.8, 0.1];
      for (let i = 0; i < n; ++i) {
        const cx = x((i + 0.5) * widthUm / n);
        const depth = Math.max(0, session.mean_depth_um + sd * pattern[i % pattern.length]);
        const half = 2.2;
        root.append(svg("path", { d: `M ${cx - half} ${y(0)} L ${cx + half} ${y(0)} L ${cx} ${y(depth)} Z`, fill: "#5a2a2a", opacity: 0.75 }));
      }
    }

    // Depth lines, each labelled at its own place along the strip so close depths stay legible.
    function depthLine(um, colour, dash, label, xFraction, below) {
      if (!isNumber(um) || um <= 0 || um > shown) return;
      root.append(svg("line", { x1: left, x2: left + plotW, y1: y(um), y2: y(um), stroke: colour, "stroke-width": 1.6, "stroke-dasharray": dash }));
      const tx = left + plotW * xFraction;
      const ty = y(um) + (below ? 13 : -4);
      const text = svg("text", { x: tx, y: ty, "font-size": 11, fill: colour, "font-weight": 600, "paint-order": "stroke", stroke: "rgba(255,255,255,0.85)", "stroke-width": 3 }, label);
      root.append(text);
    }
    depthLine(loop, "#b0171f", "6 4", `capillary loops ${num(loop, 3)} µm`, 0.01, false);
    if (session) {
      depthLine(session.mean_depth_um, "#1d232a", "", `reached, mean ${num(session.mean_depth_um, 3)} µm`, 0.01, false);
      depthLine(session.max_depth_um, "#1d232a", "2 3", `deepest ${num(session.max_depth_um, 3)} µm`, 0.36, !isNumber(needleLengthUm) || needleLengthUm >= session.max_depth_um);
    }
    depthLine(needleLengthUm, "#1f5f8b", "10 4", `needle length ${num(needleLengthUm, 3)} µm`, 0.66, !session || needleLengthUm > session.max_depth_um);
    // Labelled above its line and at its own place, so it stays legible when the plan is at the cap.
    depthLine(safeLimitUm, "#b35900", "3 3", `safe limit ${num(safeLimitUm, 3)} µm`, 0.36, false);

    // Depth axis, in µm.
    const step = shown > 2500 ? 500 : shown > 1200 ? 250 : shown > 500 ? 100 : 50;
    root.append(svg("line", { x1: left, x2: left, y1: top, y2: top + plotH, stroke: "#333" }));
    for (let d = 0; d <= shown + 1e-9; d += step) {
      root.append(svg("line", { x1: left - 5, x2: left, y1: y(d), y2: y(d), stroke: "#333" }));
      root.append(svg("text", { x: left - 8, y: y(d) + 4, "font-size": 11, "text-anchor": "end" }, num(d, 4)));
    }
    root.append(svg("text", { x: 14, y: top + plotH / 2, "font-size": 12, "text-anchor": "middle", transform: `rotate(-90 14 ${top + plotH / 2})` }, "Depth below the surface (µm)"));
    root.append(svg("line", { x1: left, x2: left + plotW, y1: H - 12, y2: H - 12, stroke: "#333" }));
    root.append(svg("text", { x: left + plotW / 2, y: H - 16, "font-size": 11, "text-anchor": "middle" }, "1 mm of skin surface (to scale with depth)"));
    root.setAttribute("data-layers", String(skin.layers.filter((l) => l.top_um < shown).length));

    const limit = isNumber(safeLimitUm) ? " The orange line is the planner's limit for this area (modelled anatomy and risk rules)." : "";
    const caption = session
      ? `To scale. Channels of session ${drawn.number}${drawn.why || ""} at ${num(session.channels_per_cm2, 3)} per cm² (about ${num(Math.sqrt(session.channels_per_cm2 / 100), 2)} per mm along a line), drawn at the mean depth reached ± its spread; the skin tents before it is pierced, so the needles reach less than their length.${limit}`
      : "To scale. No needling in this run (intact-skin control).";
    return el("figure", { class: "cross-section" }, [root, el("figcaption", { text: caption })]);
  }

  // ---------------------------------------------------------------------------------------------
  // Sections.
  // ---------------------------------------------------------------------------------------------
  const data = JSON.parse(document.getElementById("citsim-data").textContent);
  const scenario = data.scenario || {};
  const isPlan = data.command === "plan" || data.candidate !== undefined;
  const disclaimer = data.disclaimer ||
    "citsim is decision support for a qualified professional, not a medical device.";

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
  function needleList(plan) {
    const lengths = Array.isArray(plan.needle_length_mm) ? plan.needle_length_mm : [plan.needle_length_mm];
    return lengths.map((l) => (isNumber(l) ? l.toLocaleString("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 2 }) : "—")).join(", ");
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
        `${num(area.max_safe_needle_length_mm, 3)} mm, from the modelled anatomy of this area and the risk rules`,
        isNumber(deepest) ? `; the plan's deepest session uses ${num(deepest, 3)} mm.` : ".",
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
})();
