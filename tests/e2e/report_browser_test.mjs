// SPDX-License-Identifier: MIT
// The HTML report in a real browser: headless Chromium (Debian's /usr/bin/chromium, or
// $CITSIM_CHROMIUM) driven by playwright-core. Two pages:
//   1. the report `citsim run examples/default.toml` writes;
//   2. the same result with a fixture merged in (tests/e2e/fixtures/report_overlay.json: the
//      screening, plan, healing timelines, outcomes and care that later stages add), rendered by
//      the render_report helper through the same C++ code.
// For each: no console error, no page error, no request leaving the file; every chart drew
// points (data-rendered-points > 0); the cross-sections, sources and disclaimer are there.
// Screenshots: BUILD_DIR/report-screenshot.png (1) and report-screenshot-full.png (2); each page
// is also printed to PDF (in memory) to check the print layout.
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

// 2. The example's result with the fixture's sections merged in, area by area.
const overlay = JSON.parse(readFileSync(join(sourceDir, "tests/e2e/fixtures/report_overlay.json"), "utf8"));
const full = structuredClone(result);
for (const [key, value] of Object.entries(overlay)) {
  if (key === "areas" || key.startsWith("_")) continue;
  full[key] = value;
}
overlay.areas.forEach((extra, i) => Object.assign(full.areas[i], extra));
// A hostile string must stay data: the page would throw or show it as markup otherwise.
full.scenario.title = "Fixture </script><script>throw new Error('escaped')</script> & <b>more</b>";
writeFileSync(join(tmp, "full.json"), JSON.stringify(full));
run(renderReport, [join(tmp, "full.json"), join(tmp, "full.html")]);

const pages = [
  {
    name: "example report", file: join(exampleDir, "report.html"), screenshot: join(buildDir, "report-screenshot.png"),
    charts: { open_fraction: 2, absorption: 2 }, sections: [],
  },
  {
    name: "fixture report", file: join(tmp, "full.html"), screenshot: join(buildDir, "report-screenshot-full.png"),
    charts: { open_fraction: 2, absorption: 2, timeline: 2, outcome_: 3 }, sections: ["screening", "care"],
  },
];

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
    check(`${spec.name}: every chart drew points`, charts.length > 0 && empty.length === 0,
      `${charts.length} charts; without points: ${empty.map((c) => c.name).join(", ")}`);
    for (const [prefix, count] of Object.entries(spec.charts)) {
      const found = charts.filter((c) => c.name.startsWith(prefix)).length;
      check(`${spec.name}: ${count} ${prefix} chart(s)`, found >= count, `found ${found}`);
    }
    const crossSections = await page.$$eval("svg[data-cross-section]", (list) => list.map((s) => Number(s.getAttribute("data-layers"))));
    check(`${spec.name}: a cross-section with its layers per area`,
      crossSections.length === result.areas.length && crossSections.every((n) => n >= 4), `layers drawn: ${JSON.stringify(crossSections)}`);
    const sources = await page.$$eval("ol.sources li", (list) => list.length);
    check(`${spec.name}: sources listed`, sources > 0 && sources === (result.sources || []).length, `${sources} listed, result has ${(result.sources || []).length}`);
    const text = await page.evaluate(() => document.body.innerText);
    check(`${spec.name}: says it is not a medical device`, /not a medical device/i.test(text), "no such text");
    const rows = await page.$$eval("section.area", (list) => list.map((a) => a.querySelectorAll(".table-wrap tbody tr").length));
    const sessions = result.areas.map((a) => a.sessions.length);
    check(`${spec.name}: a protocol table per area with a row per session`,
      JSON.stringify(rows) === JSON.stringify(sessions), `rows ${JSON.stringify(rows)}, sessions ${JSON.stringify(sessions)}`);
    for (const name of spec.sections) {
      check(`${spec.name}: ${name} section`, (await page.$(`section[data-section='${name}']`)) !== null, "missing");
    }
    if (spec.name === "fixture report") {
      const title = await page.$eval("h1", (h) => h.textContent);
      check("fixture report: a title with </script> and markup stays text", title === full.scenario.title, `h1 is ${JSON.stringify(title)}`);
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
