// SPDX-License-Identifier: MIT
// The HTML report in a real browser: headless Chromium (Debian's /usr/bin/chromium, or
// $CITSIM_CHROMIUM) driven by playwright-core. Four pages:
//   1. the report `citsim run examples/default.toml` writes;
//   2. a `citsim plan` result (tests/e2e/fixtures/report_overlay.json merged into page 1's result:
//      screening, a candidate cheek with its plan, alternatives, precautions and care, and a
//      forehead that is not a candidate), rendered by the render_report helper through the same
//      C++ code;
//   3. a plan result for a patient who is not a candidate (fixtures/report_plan_not_candidate.json);
//   4. the report `citsim plan examples/patient.toml` writes.
// For each: no console error, no page error, no request leaving the file; every chart drew
// points (data-rendered-points > 0); cross-sections, sources and disclaimer are there; the plan
// pages show every plan section with the fixture's text.
// Screenshots in BUILD_DIR: report-screenshot.png (1), report-screenshot-plan.png (2),
// report-screenshot-not-candidate.png (3) and report-screenshot-patient-plan.png (4); each page is also printed to PDF (in memory) to check
// the print layout.
//
//   node report_browser_test.mjs CITSIM RENDER_REPORT SOURCE_DIR NODE_MODULES_DIR BUILD_DIR
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [citsim, renderReport, sourceDir, modulesDir, buildDir] = process.argv.slice(2);
if (!buildDir) {
  console.error("usage: node report_browser_test.mjs CITSIM RENDER_REPORT SOURCE_DIR NODE_MODULES_DIR BUILD_DIR");
  process.exit(2);
}
const chromiumPath = process.env.CITSIM_CHROMIUM || "/usr/bin/chromium";
if (!existsSync(chromiumPath)) {
  console.error(`report_browser_test: no Chromium at ${chromiumPath}; scripts/install-deps.sh ` +
    "installs Debian's chromium (or set CITSIM_CHROMIUM)");
  process.exit(1);
}
const require = createRequire(join(modulesDir, "noop.js"));
const { chromium } = require("playwright-core");

let failed = 0;
let passed = 0;
function check(name, ok, reason) {
  if (ok) {
    passed += 1;
    console.log(`ok - ${name}`);
  } else {
    failed += 1;
    console.log(`not ok - ${name}: ${reason}`);
  }
}

const tmp = mkdtempSync(join(tmpdir(), "citsim-report-"));
const run = (file, args) => execFileSync(file, args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });

// 1. The bundled example, as a user runs it.
const exampleDir = join(tmp, "default");
run(citsim, ["--quiet", "run", join(sourceDir, "examples", "default.toml"), "-o", exampleDir]);
const result = JSON.parse(readFileSync(join(exampleDir, "result.json"), "utf8"));

// 2. A plan result: the example's result with the fixture merged in the way its _comment says.
const fixtures = join(sourceDir, "tests/e2e/fixtures");
const overlay = JSON.parse(readFileSync(join(fixtures, "report_overlay.json"), "utf8"));
const plan = structuredClone(result);
delete plan.device;  // a plan has no single device; its areas say which they use
for (const [key, value] of Object.entries(overlay)) {
  if (key === "areas" || key === "sources" || key.startsWith("_")) continue;
  plan[key] = value;
}
plan.sources = result.sources.concat(overlay.sources);
plan.areas = overlay.areas.map((extra) => {
  if (extra.candidate === false) return structuredClone(extra);
  const simulated = result.areas.find((a) => a.region === extra.region);
  return Object.assign(structuredClone(simulated), extra);
});
// A hostile string must stay data: the page would throw or show it as markup otherwise.
plan.scenario.title = "Fixture </script><script>throw new Error('escaped')</script> & <b>more</b>";
writeFileSync(join(tmp, "plan.json"), JSON.stringify(plan));
run(renderReport, [join(tmp, "plan.json"), join(tmp, "plan.html")]);

// 3. A patient who is not a candidate at all, as the planner writes it (no area simulated).
const notCandidate = JSON.parse(readFileSync(join(fixtures, "report_plan_not_candidate.json"), "utf8"));
run(renderReport, [join(fixtures, "report_plan_not_candidate.json"), join(tmp, "not_candidate.html")]);

// 4. The bundled example patient, planned by `citsim plan` as a user runs it.
const patientDir = join(tmp, "patient");
run(citsim, ["--quiet", "plan", join(sourceDir, "examples", "patient.toml"), "-o", patientDir]);
const planned = JSON.parse(readFileSync(join(patientDir, "result.json"), "utf8"));
const plannedAreas = planned.areas.filter((a) => a.candidate !== false).length;

const pages = [
  {
    name: "example report", file: join(exampleDir, "report.html"), screenshot: join(buildDir, "report-screenshot.png"),
    result, charts: { open_fraction: 2, absorption: 2, timeline: 2, outcome_: 2 }, sections: [],
  },
  {
    name: "plan report", file: join(tmp, "plan.html"), screenshot: join(buildDir, "report-screenshot-plan.png"),
    result: plan, charts: { open_fraction: 1, absorption: 1, timeline: 1, outcome_: 1 }, sections: ["screening"],
  },
  {
    name: "not-candidate report", file: join(tmp, "not_candidate.html"), screenshot: join(buildDir, "report-screenshot-not-candidate.png"),
    result: notCandidate, charts: {}, sections: ["screening"],
  },
  {
    name: "example patient's plan", file: join(patientDir, "report.html"), screenshot: join(buildDir, "report-screenshot-patient-plan.png"),
    result: planned, charts: { open_fraction: plannedAreas, absorption: plannedAreas, timeline: plannedAreas, outcome_: plannedAreas }, sections: ["screening"],
  },
];

const mm = (x) => x.toFixed(2).replace(/(\.\d)0$/, "$1");  // 0.5, 0.75, 1.0 as the page writes them
/// The cell's leading number is the value rounded to the digits the page shows.
const shows = (cell, value) => {
  const text = cell.trim().split(/\s/)[0];
  const digits = (text.split(".")[1] || "").length;
  return Math.abs(Number(text) - value) <= 0.5 * 10 ** -digits + 1e-12;
};
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const cellTexts = (page, selector) => page.$$eval(selector, (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));

/// Every plan section shows the result's own text: verdicts and reasons, the screening table
/// (present first, absolute ones marked), per area the plan, its alternatives with their
/// why-not, the safe needle limit and the cross-section at the deepest planned needle,
/// precautions and the care schedules; non-candidate areas show their reasons and nothing else.
async function checkPlanSections(page, name, result) {
  const screening = "section[data-section='screening']";
  const verdict = await page.$eval(`${screening} .verdict`, (v) => ({ kind: v.dataset.verdict, reasons: [...v.querySelectorAll("li")].map((li) => li.textContent) }));
  check(`${name}: the patient's verdict and every reason`,
    verdict.kind === (result.candidate ? "candidate" : "not-candidate") && same(verdict.reasons, result.reasons), JSON.stringify(verdict));

  const flags = await page.$$eval(`${screening} table[data-table='screening'] tbody tr`, (trs) => trs.map((tr) => ({
    flag: tr.dataset.flag, tone: ["absolute", "relative", "absent"].find((c) => tr.classList.contains(c)), effect: tr.cells[4].textContent, where: tr.cells[2].textContent })));
  const rank = (f) => (!f.present ? 2 : f.kind === "absolute" ? 0 : 1);
  const order = result.screening.map((f, i) => [f, i]).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([f]) => f.flag);
  check(`${name}: every contraindication checked, present ones first`, same(flags.map((f) => f.flag), order),
    `shown ${JSON.stringify(flags.map((f) => f.flag))}, expected ${JSON.stringify(order)}`);
  const marked = result.screening.every((f) => {
    const row = flags.find((r) => r.flag === f.flag);
    if (!row) return false;
    if (!f.present) return row.tone === "absent" && row.effect === "—";
    return row.tone === f.kind && row.effect === f.effect && (f.scope !== "area" || f.areas.every((a) => row.where.toLowerCase().includes(a)));
  });
  check(`${name}: present contraindications marked by kind, with their effect and areas`, marked, JSON.stringify(flags));

  for (const area of result.areas) {
    const at = `section.area[data-area='${area.region}']`;
    const shown = await page.$eval(at, (s) => ({
      verdict: s.querySelector(".verdict").dataset.verdict,
      reasons: [...s.querySelectorAll(".verdict li")].map((li) => li.textContent),
      canvases: s.querySelectorAll("canvas").length, pictures: s.querySelectorAll("svg").length, tables: s.querySelectorAll("table").length,
    }));
    check(`${name}: ${area.region} verdict and reasons`,
      shown.verdict === (area.candidate ? "candidate" : "not-candidate") && same(shown.reasons, area.reasons), JSON.stringify(shown));
    if (area.candidate === false) {
      check(`${name}: ${area.region} (not a candidate) shows no plan, table, picture or chart`,
        shown.canvases === 0 && shown.pictures === 0 && shown.tables === 0, JSON.stringify(shown));
      continue;
    }
    const options = await cellTexts(page, `${at} table[data-table='plan'] tbody tr`);
    const all = [area.plan].concat(area.alternatives);
    check(`${name}: ${area.region} plan table: the plan and its ${area.alternatives.length} alternatives`,
      options.length === all.length && all.every((p, i) => options[i][1] === p.device && options[i][2] === p.needle_length_mm.map(mm).join(", ")),
      JSON.stringify(options));
    check(`${name}: ${area.region} plan figures (improvement, downtime, PIH risk %, score)`,
      shows(options[0][6], area.plan.predicted_improvement_pct) && shows(options[0][7], area.plan.downtime_days_total) &&
      shows(options[0][8], 100 * area.plan.pih_risk_max) && shows(options[0][9], area.plan.score), JSON.stringify(options[0]));
    const whyNot = await page.$$eval(`${at} ul.why-not .why`, (list) => list.map((s) => s.textContent));
    check(`${name}: ${area.region} why not each alternative`, same(whyNot, area.alternatives.map((a) => a.why_not)), JSON.stringify(whyNot));
    const limit = await page.$eval(`${at} [data-safe-limit]`, (p) => Number(p.dataset.safeLimit)).catch(() => null);
    check(`${name}: ${area.region} max safe needle length`, limit === area.max_safe_needle_length_mm, `shown ${limit}`);
    const needle = await page.$eval(`${at} svg[data-cross-section]`, (s) => Number(s.dataset.needleLengthUm)).catch(() => null);
    check(`${name}: ${area.region} cross-section at the deepest planned needle`,
      needle === 1000 * Math.max(...area.plan.needle_length_mm), `needle line at ${needle} µm`);
    const precautions = await cellTexts(page, `${at} table[data-table='precautions'] tbody tr`);
    check(`${name}: ${area.region} precautions with reasons`, same(precautions, area.precautions.map((p) => [p.text, p.reason, p.source])), JSON.stringify(precautions));
    const pre = await cellTexts(page, `${at} table[data-table='care-pre'] tbody tr`);
    check(`${name}: ${area.region} pre-care steps, timing, reasons`, same(pre, area.care.pre.map((c) => [c.step, c.timing, c.reason, c.source])), JSON.stringify(pre));
    const sterile = await page.$$eval(`${at} ul[data-list='sterilization'] .step`, (list) => list.map((s) => s.textContent));
    check(`${name}: ${area.region} sterilization checklist`, same(sterile, area.care.sterilization.map((c) => c.step)), JSON.stringify(sterile));
    const post = await cellTexts(page, `${at} table[data-table='care-post'] tbody tr`);
    const byDay = [...area.care.post].sort((a, b) => a.day_from - b.day_from);
    check(`${name}: ${area.region} post-care day by day, in day order`,
      post.length === byDay.length && byDay.every((c, i) => post[i][0].includes(String(c.day_from)) && post[i][0].includes(String(c.day_to)) &&
        post[i][1] === c.care && post[i][2] === c.reason), JSON.stringify(post));
  }
}

const browser = await chromium.launch({ executablePath: chromiumPath, headless: true });
try {
  for (const spec of pages) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = [];
    const requests = [];
    page.on("console", (message) => { if (message.type() === "error") errors.push(`console: ${message.text()}`); });
    page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
    page.on("request", (request) => { if (!/^(file|data|blob|about):/.test(request.url())) requests.push(request.url()); });
    await page.goto(pathToFileURL(spec.file).href, { waitUntil: "load" });
    const ready = await page.waitForSelector("html[data-report-ready='true']", { timeout: 10000 }).then(() => true, () => false);
    check(`${spec.name}: page built`, ready, "html[data-report-ready] never set");
    // Charts draw on the next animation frame after they are made.
    await page.waitForFunction(() => [...document.querySelectorAll("canvas[data-chart]")].every((c) => c.dataset.renderedPoints !== undefined), null, { timeout: 10000 }).catch(() => {});

    const charts = await page.$$eval("canvas[data-chart]", (list) => list.map((c) => ({ name: c.dataset.chart, points: Number(c.dataset.renderedPoints || 0), width: c.width })));
    const empty = charts.filter((c) => !(c.points > 0) || !(c.width > 0));
    const expected = Object.values(spec.charts).reduce((a, b) => a + b, 0);
    check(`${spec.name}: ${expected} charts, every one drew points`, charts.length === expected && empty.length === 0,
      `${charts.length} charts; without points: ${empty.map((c) => c.name).join(", ")}`);
    for (const [prefix, count] of Object.entries(spec.charts)) {
      const found = charts.filter((c) => c.name.startsWith(prefix)).length;
      check(`${spec.name}: ${count} ${prefix} chart(s)`, found === count, `found ${found}`);
    }
    const simulated = spec.result.areas.filter((a) => a.candidate !== false && Array.isArray(a.sessions));
    const crossSections = await page.$$eval("svg[data-cross-section]", (list) => list.map((s) => Number(s.getAttribute("data-layers"))));
    check(`${spec.name}: a cross-section with its layers per simulated area`,
      crossSections.length === simulated.length && crossSections.every((n) => n >= 4), `layers drawn: ${JSON.stringify(crossSections)}`);
    const sources = await page.$$eval("ol.sources li", (list) => list.length);
    check(`${spec.name}: sources listed`, sources > 0 && sources === (spec.result.sources || []).length, `${sources} listed, result has ${(spec.result.sources || []).length}`);
    const text = await page.evaluate(() => document.body.innerText);
    check(`${spec.name}: says it is not a medical device`, /not a medical device/i.test(text), "no such text");
    const rows = await page.$$eval("section.area", (list) => list.map((a) => a.querySelectorAll("table[data-table='protocol'] tbody tr").length));
    const sessions = spec.result.areas.map((a) => (a.candidate === false ? 0 : a.sessions.length));
    check(`${spec.name}: a protocol table per simulated area with a row per session`,
      JSON.stringify(rows) === JSON.stringify(sessions), `rows ${JSON.stringify(rows)}, sessions ${JSON.stringify(sessions)}`);
    for (const name of spec.sections) {
      check(`${spec.name}: ${name} section`, (await page.$(`section[data-section='${name}']`)) !== null, "missing");
    }
    if (spec.result.command === "plan") {
      await checkPlanSections(page, spec.name, spec.result).catch((error) => check(`${spec.name}: plan sections`, false, error.message));
    }
    if (spec.result === plan) {
      const title = await page.$eval("h1", (h) => h.textContent);
      check(`${spec.name}: a title with </script> and markup stays text`, title === plan.scenario.title, `h1 is ${JSON.stringify(title)}`);
    }
    check(`${spec.name}: no console or page errors`, errors.length === 0, errors.join(" | "));
    check(`${spec.name}: nothing fetched from the network`, requests.length === 0, requests.join(", "));
    await page.screenshot({ path: spec.screenshot, fullPage: true });
    console.log(`# screenshot: ${spec.screenshot}`);
    // Printable: the print layout (A4, one area per page) makes a PDF, still without errors.
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    check(`${spec.name}: prints to PDF without errors`, pdf.length > 10000 && errors.length === 0,
      `${pdf.length} bytes; ${errors.join(" | ")}`);
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(tmp, { recursive: true, force: true });
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
