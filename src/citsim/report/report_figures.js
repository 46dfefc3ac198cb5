// SPDX-License-Identifier: MIT
// The report's pictures: the charts (Chart.js; every curve comes from the result, none is computed
// here) and the to-scale skin cross-section (SVG). After each chart draws, its canvas gets
// data-rendered-points (the points it drew; the browser test reads it).

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
