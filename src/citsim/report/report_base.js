// SPDX-License-Identifier: MIT
// The report page's shared pieces: the result embedded in <script id="citsim-data"> (result.json's
// document), colours, and small helpers for elements, numbers and words. build_template.mjs
// joins report_base.js, report_figures.js, report_plan.js and report.js, in that order, into
// one strict-mode function, so they share one scope and leave no globals.

const PALETTE = ["#1f5f8b", "#c0504d", "#4f8f3a", "#8064a2", "#d08a1f", "#2aa198", "#6b6b6b"];
const LAYER_COLOURS = {
  stratum_corneum: "#e6cf9f",
  viable_epidermis: "#f2c7ab",
  papillary_dermis: "#f3b3ac",
  reticular_dermis: "#e49a98",
  hypodermis: "#f7e6a6",
};
const charts = [];

const data = JSON.parse(document.getElementById("citsim-data").textContent);
const scenario = data.scenario || {};
// A `citsim plan` result (the planner's result contract) carries command "plan" and a verdict.
const isPlan = data.command === "plan" || data.candidate !== undefined;
const disclaimer = data.disclaimer ||
  "citsim is decision support for a qualified professional, not a medical device.";

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
