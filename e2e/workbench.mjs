// End-to-end test of the workbench page in a real headless browser (Debian's
// /usr/bin/chromium driven by playwright-core), plus the XSS payload checks of
// the HTML reports and the page.
//
//   node e2e/workbench.mjs [--bin target/debug/allylens] [--screenshot docs/workbench.png]
//
// It starts `allylens serve` on a free loopback port with a fresh database,
// then: loads the page; reads Japan's verdict on the ICBM-only example; ticks
// "also dismantle the IRBMs, MRBMs and SRBMs" and waits for Japan's verdict to
// change; saves the scenario and finds it through the API; then types
// <script> and "onload= payloads into a deal name, a scenario title and a
// pasted agreement text and checks that they render as text and never run.
// The same payloads go through `allylens assess --format html` and
// `allylens clauses --format html`, and those pages are opened in the browser.
// Exit status 0 when every check holds, 1 otherwise (each failure is named).

import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { createServer, request as httpRequest } from "node:http";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const bin = resolve(root, opt("--bin", "target/debug/allylens"));
const screenshot = opt("--screenshot", null);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

let failures = 0, passes = 0;
function check(name, ok, detail = "") {
  if (ok) { passes++; console.log("  ok   " + name); }
  else { failures++; console.log("  FAIL " + name + (detail ? ": " + detail : "")); }
}

for (const [what, path] of [["allylens binary (cargo build first)", bin], ["Chromium (apt-get install chromium)", CHROMIUM]]) {
  if (!existsSync(path)) { console.error(`e2e: ${what} not found at ${path}`); process.exit(2); }
}

const work = mkdtempSync(join(tmpdir(), "allylens-e2e-"));
const server = spawn(bin, ["serve", "--addr", "127.0.0.1:0", "--db", join(work, "scenarios.db")], { stdio: ["ignore", "ignore", "pipe"] });
const base = await new Promise((ok, fail) => {
  let err = "";
  const timer = setTimeout(() => fail(new Error("server did not start in 20 s: " + err)), 20000);
  server.stderr.on("data", (d) => {
    err += d;
    const m = err.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
    if (m) { clearTimeout(timer); ok("http://" + m[1]); }
  });
  server.on("exit", (code) => fail(new Error(`server exited (${code}): ${err}`)));
});
console.log("e2e: server at " + base);

// Payloads: if any runs, it sets window.__xss (and for the HTML reports the
// page title, which is also checked).
const PAYLOADS = [
  `<script>window.__xss = 1</script>`,
  `"onload="window.__xss=2" x="`,
  `<img src=x onerror="window.__xss=3">`,
  `</textarea><svg onload="window.__xss=4">`,
];

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("dialog", (d) => { pageErrors.push("dialog: " + d.message()); d.dismiss(); });

  console.log("workbench: verdict flip and saved scenario");
  await page.goto(base + "/");
  await page.waitForSelector("body[data-ready='1']", { timeout: 30000 });
  const verdict = (ally) => page.locator(`#verdict-table tr[data-ally='${ally}'] td:nth-child(2)`).textContent();
  const before = await verdict("jp");
  check("ICBM-only: Japan's verdict is red-line-crossed", before === "red-line-crossed", before);
  check("ICBM-only: the United States is satisfied", (await verdict("us")) === "satisfied");
  console.log("workbench: the interactive map");
  {
    await page.waitForFunction(() => document.body.dataset.mapBase === "1" && Number(document.body.dataset.mapFeatures) > 0, null, { timeout: 30000 });
    check("the interactive map draws the outlines and the residual reach", Number(await page.getAttribute("body", "data-map-features")) > 10);
    const z0 = Number(await page.getAttribute("body", "data-map-zoom"));
    await page.click(".leaflet-control-zoom-in");
    const zoomed = await page.waitForFunction((z) => Number(document.body.dataset.mapZoom) > z, z0, { timeout: 10000 }).then(() => true, () => false);
    check("the map zooms in", zoomed, `${z0} -> ${await page.getAttribute("body", "data-map-zoom")}`);
    const c0 = await page.getAttribute("body", "data-map-center");
    const box = await page.locator("#livemap").boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 160, box.y + box.height / 2 - 60, { steps: 10 });
    await page.mouse.up();
    const panned = await page.waitForFunction((c) => document.body.dataset.mapCenter !== c, c0, { timeout: 10000 }).then(() => true, () => false);
    check("the map pans", panned, `${c0} -> ${await page.getAttribute("body", "data-map-center")}`);
    // click a place: its distance, margin and the classes that reach it
    await page.evaluate(() => { liveLayer.eachLayer((l) => { const p = l.feature && l.feature.properties; if (p && p.kind === "city" && p.name === "Tokyo") live.setView(l.getLatLng(), 6, { animate: false }); }); });
    await page.waitForTimeout(300);
    const xy = await page.evaluate(() => { let out = null; liveLayer.eachLayer((l) => { const p = l.feature && l.feature.properties; if (!out && p && p.kind === "city" && p.name === "Tokyo") { const b = l.getElement().getBoundingClientRect(); out = [b.x + b.width / 2, b.y + b.height / 2]; } }); return out; });
    check("Tokyo is drawn on the map", xy !== null);
    if (xy) {
      await page.mouse.click(xy[0], xy[1]);
      const shown = await page.waitForSelector(".leaflet-popup-content", { timeout: 5000 }).then(() => true, () => false);
      const text = shown ? await page.locator(".leaflet-popup-content").textContent() : "";
      check("clicking a place shows its distance, margin and the classes that reach it", /distance/.test(text) && /inside the reach by/.test(text) && /reached by: .*IRBM/.test(text), text);
    }
    await page.evaluate(() => { live.closePopup(); live.setView([36, 140], 3, { animate: false }); });
  }
  const n = Number(await page.getAttribute("body", "data-assessments"));
  await page.check("#irbm");
  await page.waitForFunction((k) => Number(document.body.dataset.assessments) > k, n, { timeout: 30000 });
  const after = await verdict("jp");
  check("with the IRBMs, MRBMs and SRBMs added, Japan's verdict changes", after !== before, `${before} -> ${after}`);
  check("... to satisfied", after === "satisfied", after);
  const edited = await page.inputValue("#deal");
  check("the editor shows the classes the box added", /covers = \["ICBM", "IRBM", "MRBM", "SRBM"\]/.test(edited), edited.slice(0, 400));
  const mapText = await page.locator("#map").textContent();
  check("the map says no residual reach", mapText.includes("no residual reach"), mapText);
  if (screenshot) {
    await page.uncheck("#irbm");
    await page.waitForFunction((k) => Number(document.body.dataset.assessments) > k, n + 1, { timeout: 30000 });
    await page.screenshot({ path: resolve(root, screenshot), fullPage: false });
    console.log("e2e: screenshot written to " + screenshot);
    await page.check("#irbm");
    await page.waitForFunction((k) => Number(document.body.dataset.assessments) > k, n + 2, { timeout: 30000 });
    const ticked = screenshot.replace(/\.png$/, "") + "-ticked.png";
    await page.screenshot({ path: resolve(root, ticked), fullPage: false });
    console.log("e2e: screenshot written to " + ticked);
  }
  await page.fill("#title", "ICBM-only plus every class that reaches Japan");
  await page.click("#save");
  await page.waitForFunction(() => document.getElementById("error").textContent.startsWith("saved as "), null, { timeout: 10000 });
  const id = (await page.locator("#error").textContent()).match(/^saved as (\S+)/)[1];
  const saved = await (await fetch(`${base}/api/scenarios/${encodeURIComponent(id)}`)).json();
  check("the saved scenario is in the database", saved.title === "ICBM-only plus every class that reaches Japan", JSON.stringify(saved).slice(0, 200));
  check("the saved deal holds the added classes", /"IRBM"/.test(saved.deal_toml || "") && /"SRBM"/.test(saved.deal_toml || ""));
  const options = await page.locator("#scenarios option").allTextContents();
  check("the scenario list shows it", options.some((o) => o.startsWith("ICBM-only plus every class")), options.join(" | "));

  console.log("workbench: revisions and permalinks");
  {
    check("the address is the scenario's permalink", new URL(page.url()).pathname === `/s/${id}/1`, page.url());
    const verdictsRev1 = await page.locator("#verdict-table").textContent();
    // a second save is a new revision of the same scenario, not a second scenario
    await page.uncheck("#irbm");
    await page.waitForFunction(() => !document.getElementById("deal").value.includes('"IRBM"'), null, { timeout: 30000 });
    await page.waitForFunction(() => document.querySelector("#verdict-table tr[data-ally='jp'] td:nth-child(2)").textContent === "red-line-crossed", null, { timeout: 30000 });
    await page.click("#save");
    await page.waitForFunction(() => /\(rev 2\)/.test(document.getElementById("error").textContent), null, { timeout: 10000 });
    const opts = await page.locator("#scenarios option").allTextContents();
    check("a second save makes revision 2 of the same scenario", opts.filter((o) => o.startsWith("ICBM-only plus every class")).length === 1 && opts.some((o) => o.endsWith("(rev 2)")), opts.join(" | "));
    check("the address follows the revision", new URL(page.url()).pathname === `/s/${id}/2`, page.url());
    const verdictsRev2 = await page.locator("#verdict-table").textContent();
    // a fresh page opened at each permalink shows that revision's verdicts
    for (const [rev, want] of [[2, verdictsRev2], [1, verdictsRev1]]) {
      const fresh = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await fresh.goto(`${base}/s/${id}/${rev}`);
      await fresh.waitForSelector("body[data-ready='1']", { timeout: 30000 });
      const got = await fresh.locator("#verdict-table").textContent();
      check(`the permalink of revision ${rev} opens with the same verdicts`, got === want, got.slice(0, 120));
      await fresh.close();
    }
    check("the two revisions differ for Japan", verdictsRev1 !== verdictsRev2);
    // a deal that does not read leaves the results marked stale
    const saveDeal = await page.inputValue("#deal");
    await page.fill("#deal", saveDeal + "\n[[weapons\n");
    const e0 = Number(await page.getAttribute("body", "data-errors") || 0);
    await page.click("#assess");
    await page.waitForFunction((k) => Number(document.body.dataset.errors || 0) > k, e0, { timeout: 10000 });
    check("after an error the results are marked stale", await page.evaluate(() => document.body.classList.contains("stale")));
    const errText = await page.locator("#error").textContent();
    const marked = await page.locator("#gutter .bad").allTextContents();
    const lines = (await page.inputValue("#deal")).split("\n").length;
    check("the editor numbers its lines and marks the one the error names", marked.length === 1 && errText.includes(":" + marked[0] + ":") && (await page.locator("#gutter span").count()) === lines, `${marked} | ${errText}`);
    const k = Number(await page.getAttribute("body", "data-assessments"));
    await page.fill("#deal", saveDeal);
    await page.click("#assess");
    await page.waitForFunction((k) => Number(document.body.dataset.assessments) > k, k, { timeout: 30000 });
    check("... and no longer once it reads", !(await page.evaluate(() => document.body.classList.contains("stale"))));
  }

  console.log("workbench: the quick-edit form");
  {
    // on the ICBM-only deal, dismantle every class through the form
    await page.click("#quick summary");
    const k = Number(await page.getAttribute("body", "data-assessments"));
    for (const c of ["IRBM", "MRBM", "SRBM"]) await page.check(`.qclass[value='${c}']`);
    await page.click("#qapply");
    await page.waitForFunction((k) => Number(document.body.dataset.assessments) > k, k, { timeout: 30000 });
    const deal = await page.inputValue("#deal");
    check("the form writes the classes into the deal's text", /covers = \["ICBM", "IRBM", "MRBM", "SRBM"\]/.test(deal), deal.slice(0, 300));
    check("... keeping its comments", deal.startsWith("# Hypothetical"));
    check("... and Japan's verdict follows", (await verdict("jp")) === "satisfied");
    const k2 = Number(await page.getAttribute("body", "data-assessments"));
    for (const c of ["IRBM", "MRBM", "SRBM"]) await page.uncheck(`.qclass[value='${c}']`);
    await page.click("#qapply");
    await page.waitForFunction((k) => Number(document.body.dataset.assessments) > k, k2, { timeout: 30000 });
    check("unticked again, Japan's red line is crossed again", (await verdict("jp")) === "red-line-crossed");
  }

  console.log("workbench: exports");
  // with the ICBMs only, residual reach remains to export
  await page.uncheck("#irbm");
  await page.waitForFunction(() => !document.getElementById("deal").value.includes('"IRBM"'), null, { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector("#verdict-table tr[data-ally='jp'] td:nth-child(2)").textContent === "red-line-crossed", null, { timeout: 30000 });
  const grab = async (kind) => {
    const [dl] = await Promise.all([page.waitForEvent("download", { timeout: 30000 }), page.click(`[data-export='${kind}']`)]);
    const file = join(work, "export-" + kind);
    await dl.saveAs(file);
    return readFileSync(file, "utf8");
  };
  const geo = await grab("geojson");
  let parsed = null;
  try { parsed = JSON.parse(geo); } catch (e) { parsed = null; }
  check("the GeoJSON export parses", parsed !== null, geo.slice(0, 80));
  check("... and holds the footprints", parsed !== null && parsed.features.some((f) => f.properties.kind === "footprint"), String(parsed && parsed.features.length));
  const md = await grab("md");
  const dealFile = join(work, "on-screen.toml");
  writeFileSync(dealFile, await page.inputValue("#deal"));
  const cliMd = execFileSync(bin, ["assess", dealFile, "--format", "md"], { maxBuffer: 64 << 20 }).toString();
  check("the Markdown export is the CLI's report for the same deal", md === cliMd, md.slice(0, 120) + " | " + cliMd.slice(0, 120));

  console.log("workbench: the range basis and the arsenal's date");
  {
    const k0 = Number(await page.getAttribute("body", "data-assessments"));
    await page.selectOption("#example", "after-first-icbm-2017");
    await page.waitForFunction((k) => Number(document.body.dataset.assessments) > k, k0, { timeout: 30000 });
    const arsenal = await page.locator("#arsenal").textContent();
    check("the arsenal is the deal's date's", arsenal.includes("as of 2017-07-10 (the deal's date)"), arsenal);
    check("... and names what had not flown", arsenal.includes("Hwasong-15"), arsenal);
    const cat = await verdict("us");
    check("catalogue ranges: the U.S. red line is crossed (Hwasong-14 at 10,000 km)", cat === "red-line-crossed", cat);
    const k1 = Number(await page.getAttribute("body", "data-assessments"));
    await page.selectOption("#basis", "demonstrated");
    await page.waitForFunction((k) => Number(document.body.dataset.assessments) > k, k1, { timeout: 60000 });
    const dem = await verdict("us");
    check("demonstrated by the 4 July 2017 test: the U.S. verdict changes to satisfied", dem === "satisfied", `${cat} -> ${dem}`);
    check("the page says the ranges are demonstrated", (await page.locator("#arsenal").textContent()).includes("demonstrated"));
    const k2 = Number(await page.getAttribute("body", "data-assessments"));
    await page.fill("#samples", "200");
    await page.dispatchEvent("#samples", "change");
    await page.waitForFunction((k) => Number(document.body.dataset.assessments) > k, k2, { timeout: 60000 });
    const mapSvg = await page.locator("#map").innerHTML();
    check("with draws, the map draws the P5-P95 band", mapSvg.includes("P95 of the draws") && mapSvg.includes("median (P50)"), mapSvg.slice(0, 120));
    const k3 = Number(await page.getAttribute("body", "data-assessments"));
    await page.selectOption("#asof-mode", "today");
    await page.waitForFunction((k) => Number(document.body.dataset.assessments) > k, k3, { timeout: 60000 });
    const today = await verdict("us");
    check("against today's arsenal the U.S. red line is crossed again", today === "red-line-crossed", today);
    // the API answers the same
    const deal = await page.inputValue("#deal");
    const viaApi = await (await fetch(`${base}/api/assess?basis=demonstrated`, { method: "POST", headers: { "Content-Type": "text/plain", "X-Allylens": "1" }, body: deal })).json();
    check("the API takes basis= too", viaApi.perspectives.find((x) => x.id === "us").verdict === "satisfied");
    // back to the defaults for what follows
    await page.fill("#samples", "0");
    await page.selectOption("#asof-mode", "deal");
    const k4 = Number(await page.getAttribute("body", "data-assessments"));
    await page.selectOption("#basis", "catalogue");
    await page.waitForFunction((k) => Number(document.body.dataset.assessments) > k, k4, { timeout: 60000 });
    const k5 = Number(await page.getAttribute("body", "data-assessments"));
    await page.selectOption("#example", "icbm-only");
    await page.waitForFunction((k) => Number(document.body.dataset.assessments) > k && document.getElementById("dealname").textContent.startsWith("ICBM-only"), k5, { timeout: 30000 });
  }

  console.log("workbench: payloads typed by a user render as text");
  for (const p of PAYLOADS) {
    const toml = (await page.inputValue("#deal")).replace(/^name = ".*"$/m, "name = " + JSON.stringify(p));
    const k = Number(await page.getAttribute("body", "data-assessments"));
    await page.fill("#deal", toml);
    await page.click("#assess");
    // wait for this deal's answer, not one still in flight from the example loaded before
    // (both bump the counter; under load the earlier one can land after the click)
    await page
      .waitForFunction(
        ([k, p]) => Number(document.body.dataset.assessments) > k && document.getElementById("dealname").textContent.startsWith(p),
        [k, p],
        { timeout: 30000 },
      )
      .catch(() => {});
    const shown = await page.locator("#dealname").textContent();
    check(`deal name ${JSON.stringify(p)} is shown as text`, shown.startsWith(p), shown);
    await page.fill("#title", p);
    await page.click("#save-new");
    await page.waitForFunction(() => document.getElementById("error").textContent.startsWith("saved as "), null, { timeout: 10000 });
    const listed = await page.waitForFunction((p) => Array.from(document.querySelectorAll("#scenarios option")).some((o) => o.textContent.startsWith(p)), p, { timeout: 10000 }).then(() => true, () => false);
    check(`scenario title ${JSON.stringify(p)} is listed as text`, listed);
    await page.fill("#text", `Article 1\n\nThe parties agree ${p} to a phased and reversible freeze.`);
    await page.click("#read");
    // wait for this text's clauses, not the previous payload's (they share the selector)
    const shownAsText = await page
      .waitForFunction((p) => document.getElementById("clauses").textContent.includes(p), p, { timeout: 10000 })
      .then(() => true, () => false);
    const clauses = await page.locator("#clauses").textContent();
    check(`clause text ${JSON.stringify(p)} is shown as text`, shownAsText, clauses.slice(0, 200));
    check("each clause shows its type", /c1 \(heading\)/.test(clauses) && /c2 \(provision\)/.test(clauses), clauses.slice(0, 200));
  }
  // Load a scenario whose title is a payload: it goes back into an input and the deal editor.
  await page.selectOption("#scenarios", { index: 2 });
  await page.click("#load");
  await page.waitForTimeout(500);
  check("no payload ran in the page", (await page.evaluate(() => window.__xss)) === undefined, String(await page.evaluate(() => window.__xss)));
  check("no element injected by a payload", (await page.locator("#dealname script, #verdicts img, #clauses img, #clauses script, #scenarios svg").count()) === 0);
  check("no script error or dialog in the page", pageErrors.length === 0, pageErrors.join("; "));

  console.log("reports: the HTML of `assess` and `clauses` escape the payloads");
  const template = readFileSync(join(root, "examples/deals/singapore-2018.toml"), "utf8");
  for (const [i, p] of PAYLOADS.entries()) {
    const dealFile = join(work, `deal-${i}.toml`);
    writeFileSync(dealFile, template.replace(/^name = ".*"$/m, "name = " + JSON.stringify(p))
      .replace(/^source = ".*"$/m, "source = " + JSON.stringify(p)));
    const html = execFileSync(bin, ["assess", dealFile, "--format", "html"], { maxBuffer: 64 << 20 }).toString();
    const htmlFile = join(work, `report-${i}.html`);
    writeFileSync(htmlFile, html);
    const textFile = join(work, `text-${i}.txt`);
    writeFileSync(textFile, `Article 1\n\n${p} The two sides will hold talks on a peace regime.\n\nArticle 2\n\nSanctions ${p} will be eased in phases.`);
    const clausesHtml = execFileSync(bin, ["clauses", textFile, "--format", "html"], { maxBuffer: 64 << 20 }).toString();
    const clausesFile = join(work, `clauses-${i}.html`);
    writeFileSync(clausesFile, clausesHtml);
    for (const [what, file] of [["assess report", htmlFile], ["clauses report", clausesFile]]) {
      const r = await browser.newPage();
      const errs = [];
      r.on("dialog", (d) => { errs.push(d.message()); d.dismiss(); });
      await r.goto("file://" + file);
      const ran = await r.evaluate(() => window.__xss);
      const body = await r.locator("body").textContent();
      check(`${what}: ${JSON.stringify(p)} does not run`, ran === undefined && errs.length === 0, String(ran));
      check(`${what}: ${JSON.stringify(p)} is shown as text`, body.includes(p));
      await r.close();
    }
  }

  console.log("other origins: a page elsewhere cannot change scenarios, a foreign Host reads nothing");
  // the API, asked as the page would (same origin, with the intent header)
  const own = async (method, path, body) => {
    const r = await fetch(base + path, { method, headers: { "Content-Type": "application/json", "X-Allylens": "1" }, body });
    return { status: r.status, body: r.status === 204 ? null : await r.json() };
  };
  const victim = (await own("POST", "/api/scenarios", JSON.stringify({ title: "victim", deal: "[deal]" }))).body;
  const countBefore = (await own("GET", "/api/scenarios")).body.scenarios.length;
  // the attacker's page, served from another origin (another port on loopback)
  const target = base;
  const attackerHtml = `<!DOCTYPE html><html><body>
<form id="f" method="POST" action="${target}/api/scenarios" enctype="text/plain" target="sink"><input name='{"title": "csrf-form", "deal": "x", "pad": "' value='"}'></form>
<iframe name="sink"></iframe>
<img src="${target}/api/scenarios/${victim.id}?delete=1">
<script>
window.__done = (async () => {
  const tries = [];
  const go = (name, p) => p.then(() => tries.push(name + ": sent"), (e) => tries.push(name + ": " + e.name));
  await go("no-cors text/plain POST", fetch("${target}/api/scenarios", { method: "POST", mode: "no-cors", headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ title: "csrf-fetch", deal: "x" }) }));
  await go("cors JSON POST", fetch("${target}/api/scenarios", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ title: "csrf-cors", deal: "x" }) }));
  await go("cors PUT with intent", fetch("${target}/api/scenarios/${victim.id}", { method: "PUT", headers: { "Content-Type": "application/json", "X-Allylens": "1" }, body: JSON.stringify({ title: "changed", deal: "x" }) }));
  await go("cors DELETE with intent", fetch("${target}/api/scenarios/${victim.id}", { method: "DELETE", headers: { "X-Allylens": "1" } }));
  document.getElementById("f").submit();
  await new Promise((r) => setTimeout(r, 1500));
  return tries;
})();
</script></body></html>`;
  const attacker = createServer((req, res) => { res.writeHead(200, { "Content-Type": "text/html" }); res.end(attackerHtml); });
  await new Promise((r) => attacker.listen(0, "127.0.0.1", r));
  const evil = await browser.newPage();
  await evil.goto(`http://127.0.0.1:${attacker.address().port}/`);
  const tries = await evil.evaluate(() => window.__done);
  await evil.close();
  attacker.close();
  const listed = (await own("GET", "/api/scenarios")).body.scenarios;
  check("no scenario created from another origin (fetch, cors fetch, form)", listed.length === countBefore, `${countBefore} -> ${listed.length}; ${tries.join("; ")}`);
  const still = await own("GET", "/api/scenarios/" + victim.id);
  check("the victim scenario is neither changed nor deleted (PUT, DELETE, image)", still.status === 200 && still.body.title === "victim", JSON.stringify(still));
  // DNS rebinding: a request whose Host names another site is refused
  const foreign = await new Promise((ok) => {
    const u = new URL(base);
    const rq = httpRequest({ host: u.hostname, port: u.port, path: "/api/scenarios", method: "GET", headers: { Host: "evil.example:" + u.port } }, (res) => { res.resume(); ok(res.statusCode); });
    rq.on("error", () => ok(0));
    rq.end();
  });
  check("a foreign Host is refused", foreign === 403, String(foreign));
} catch (e) {
  failures++;
  console.log("  FAIL " + (e && e.stack ? e.stack : e));
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
console.log(`e2e: ${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
