// pages.mjs - the pages `weekly build --all` writes, in Debian's chromium,
// served from a static server on loopback: Lighthouse (mobile profile:
// accessibility, best practices and SEO 100, performance 99 or more, the
// median of three runs) and
// axe-core (no violation) on an issue page, the archive page, a season's
// page and a topic's page, no horizontal scroll at 320, 390 and 1280 px, light and dark; the
// same for the page of a long season (20 issues, hundreds of items, in
// long/); with --shots DIR, screenshots of each page kind at 390 and
// 1280 px, light and dark.
//
// usage: node pages.mjs BUILD_DIR [--shots DIR]
// Prints PASS/FAIL lines and "N passed, M failed"; exits 1 on a failure.
import { createServer } from "node:http";
import { readFileSync, existsSync, mkdirSync } from "node:fs";
import { join, extname, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";
import lighthouse from "lighthouse";

const here = dirname(fileURLToPath(import.meta.url));
const [build, flag, shotsDir] = process.argv.slice(2);
const PAGES = { issue: "004.html", index: "index.html", season: "season-1.html",
  topic: "topics/profiling.html", "long season": "long/season-1.html" };
// The page kinds of docs/screenshots (the long season is a season's page).
const SHOTS = new Set(["issue", "index", "season", "topic"]);
const TYPES = { ".html": "text/html; charset=utf-8", ".xml": "application/xml",
  ".json": "application/json", ".js": "text/javascript", ".txt": "text/plain" };
let passed = 0, failed = 0;

function check(name, good, detail = "") {
  if (good) { passed++; console.log(`PASS ${name}`); }
  else { failed++; console.log(`FAIL ${name}${detail ? ": " + detail : ""}`); }
}

// A static server for build/ on 127.0.0.1, with the caching headers a host
// would send.
function serve() {
  const server = createServer((req, res) => {
    const path = join(build, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!path.startsWith(build) || !existsSync(path) || path.endsWith("/")) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, { "Content-Type": TYPES[extname(path)] || "application/octet-stream",
      "Cache-Control": "max-age=3600" }).end(readFileSync(path));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

async function axe(page) {
  await page.addScriptTag({ content: readFileSync(join(here, "node_modules/axe-core/axe.min.js"), "utf8") });
  return page.evaluate(async () => (await window.axe.run(document)).violations
    .map((v) => `${v.id} (${v.nodes.length})`));
}

async function widths(browser, url, kind) {
  const page = await browser.newPage();
  for (const dark of [false, true]) {
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: dark ? "dark" : "light" }]);
    for (const width of [320, 390, 1280]) {
      await page.setViewport({ width, height: 900, isMobile: width < 600 });
      await page.goto(url, { waitUntil: "load" });
      const w = await page.evaluate(() => Math.max(document.documentElement.scrollWidth,
        document.body.scrollWidth));
      const scheme = dark ? "dark" : "light";
      check(`${kind}, ${width} px, ${scheme}: no horizontal scroll (${w} px)`, w <= width);
      if (width === 390 || width === 1280) {
        const v = await axe(page);
        check(`${kind}, ${width} px, ${scheme}: axe-core finds no violation`, v.length === 0, v.join(", "));
        if (shotsDir && SHOTS.has(kind))
          await page.screenshot({ path: join(shotsDir, `${kind}-${width}-${scheme}.png`), fullPage: true });
      }
    }
  }
  await page.close();
}

// Lighthouse's performance score moves from run to run on a busy machine:
// it is the median of PERF_RUNS runs, as Lighthouse's own guidance on
// variability advises; the other categories are the first run's.
const PERF_RUNS = 3;

async function lighthouseRun(browser, url) {
  const port = new URL(browser.wsEndpoint()).port;
  const r = await lighthouse(url, { port, output: "json", logLevel: "error", formFactor: "mobile",
    onlyCategories: ["performance", "accessibility", "best-practices", "seo"] });
  return r.lhr;
}

async function audit(browser, url, kind) {
  const runs = [];
  for (let i = 0; i < PERF_RUNS; i++) runs.push(await lighthouseRun(browser, url));
  const score = (lhr, k) => Math.round(lhr.categories[k].score * 100);
  const low = Object.values(runs[0].audits)
    .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary").map((a) => a.id);
  for (const k of ["accessibility", "best-practices", "seo"])
    check(`Lighthouse ${kind}: ${k} ${score(runs[0], k)}`, score(runs[0], k) === 100, low.join(", "));
  const perf = runs.map((lhr) => score(lhr, "performance")).sort((a, b) => a - b);
  const median = perf[Math.floor(perf.length / 2)];
  check(`Lighthouse ${kind}: performance ${median}, the median of ${perf.join(", ")} (99 or more)`,
    median >= 99);
}

const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/`;
if (shotsDir) mkdirSync(shotsDir, { recursive: true });
const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"] });
try {
  for (const [kind, file] of Object.entries(PAGES)) {
    await widths(browser, base + file, kind);
    await audit(browser, base + file, kind);
  }
} catch (e) {
  check("the browser runs the pages", false, String(e));
} finally {
  await browser.close();
  server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
