// SPDX-License-Identifier: MIT
// Builds the self-contained report template: template.html with report.css, the charting
// library (Chart.js and its annotation plugin, from node_modules) and the page's script inlined,
// so the page needs nothing from the network. citsim fills in the data placeholder at run time.
// The page's script is PAGE_SCRIPTS joined, in order, inside one strict-mode function: the files
// share one scope (helpers first, the page's build last) and leave no globals.
//
//   node build_template.mjs SOURCE_DIR NODE_MODULES_DIR OUTPUT_HTML
import { readFileSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";

const [sourceDir, modulesDir, output] = process.argv.slice(2);
if (!output) {
  console.error("usage: node build_template.mjs SOURCE_DIR NODE_MODULES_DIR OUTPUT_HTML");
  process.exit(2);
}

const read = (path) => readFileSync(path, "utf8");
// Inline scripts must not close their element early; "<\/script" means the same to JavaScript.
const script = (text) => text.replace(/<\/script/gi, "<\\/script").replace(/<!--/g, "<\\!--");
const PAGE_SCRIPTS = ["report_base.js", "report_figures.js", "report_plan.js", "report.js"];
const pageScript = () => ['(function () {\n"use strict";']
  .concat(PAGE_SCRIPTS.map((name) => `// ---- ${name}\n${read(join(sourceDir, name))}`), ["})();\n"]).join("\n");
const packageVersion = (name) =>
  JSON.parse(read(join(modulesDir, name, "package.json"))).version;

const parts = {
  "/*@REPORT_CSS@*/": read(join(sourceDir, "report.css")).replace(/<\/style/gi, "<\\/style"),
  "/*@CHARTJS@*/": script(read(join(modulesDir, "chart.js/dist/chart.umd.min.js"))),
  "/*@CHARTJS_ANNOTATION@*/": script(
    read(join(modulesDir, "chartjs-plugin-annotation/dist/chartjs-plugin-annotation.min.js"))),
  "/*@REPORT_JS@*/": script(pageScript()),
  "@CHARTJS_VERSION@": packageVersion("chart.js"),
  "@CHARTJS_ANNOTATION_VERSION@": packageVersion("chartjs-plugin-annotation"),
};

let html = read(join(sourceDir, "template.html"));
for (const [marker, text] of Object.entries(parts)) {
  const count = html.split(marker).length - 1;
  if (count !== 1) throw new Error(`template.html: expected ${marker} once, found ${count}`);
  html = html.replace(marker, () => text);
}
const placeholder = "__CITSIM_REPORT_DATA__";
if (html.split(placeholder).length !== 2) {
  throw new Error(`the built template must hold ${placeholder} exactly once`);
}
writeFileSync(output + ".tmp", html);
renameSync(output + ".tmp", output);
