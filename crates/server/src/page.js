// The workbench page's script, served as /app.js so that the Content-Security-Policy
// can forbid inline script: a payload that slipped into the DOM still could not run.
"use strict";
let EXAMPLES = {};
const $ = (id) => document.getElementById(id);
let last = null, assessments = 0;
function el(tag, text, cls) { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
function table(head, rows) {
  const t = el("table"); const tr = el("tr"); head.forEach(h => tr.appendChild(el("th", h))); t.appendChild(tr);
  rows.forEach(r => { const row = el("tr"); if (r.cls) row.className = r.cls; r.cells.forEach(c => row.appendChild(el("td", String(c)))); t.appendChild(row); });
  return t;
}
// The "also dismantle" box edits the deal text itself, so the editor always shows what is assessed
// and saved; unticking restores the text as it was before the tick.
let beforeTick = null;
// A deal with a written dismantle block gets the classes added to it; a deal
// without one gets a new written block; a deal that already covers them says so.
function addClasses(text) {
  const m = text.match(/covers = \[([^\]]*)\]\naction = "dismantle"/);
  if (m) {
    const add = ['"IRBM"', '"MRBM"', '"SRBM"'].filter(c => !m[1].includes(c));
    if (!add.length) return {text, note: "the deal already dismantles every class"};
    return {text: text.replace(m[0], 'covers = [' + [m[1]].concat(add).filter(x => x).join(", ") + ']\naction = "dismantle"'), note: ""};
  }
  return {text: text.replace(/\s*$/, "\n") + '\n[[weapons]]\ncovers = ["IRBM", "MRBM", "SRBM"]\naction = "dismantle"\nlayer = "written"\n',
    note: "the deal had no written dismantlement: one was added for these classes"};
}
function toggleClasses() {
  if ($("irbm").checked) { beforeTick = $("deal").value; const r = addClasses(beforeTick); $("deal").value = r.text; $("irbm-note").textContent = r.note; }
  else if (beforeTick !== null) { $("deal").value = beforeTick; beforeTick = null; $("irbm-note").textContent = ""; }
  assess();
}
// The scenario on screen: its id, the revision the editor holds, its share key.
let current = null;
function showLink() {
  const box = $("permalink"); box.replaceChildren();
  if (!current) return;
  const path = "/s/" + encodeURIComponent(current.id) + "/" + current.revision + (current.key ? "?key=" + encodeURIComponent(current.key) : "");
  history.replaceState(null, "", path);
  const a = el("a", location.origin + path); a.href = path; a.id = "permalink-link";
  box.append("Permalink (this revision): ", a);
}
// a team's workbench (serve --auth): the user's token comes in the link's
// fragment (#token=...), which browsers never send to the server, and stays
// for the tab's session
(function takeToken() {
  const m = location.hash.match(/token=([0-9a-f]+)/);
  if (m) { sessionStorage.setItem("allylens-token", m[1]); history.replaceState(null, "", location.pathname + location.search); }
})();
async function api(path, opts) {
  // the server refuses state-changing requests that do not show this intent
  // (a cross-site form or no-cors fetch cannot set the header)
  opts = opts || {};
  if (opts.method && opts.method !== "GET") opts.headers = Object.assign({"X-Allylens": "1"}, opts.headers || {});
  const token = sessionStorage.getItem("allylens-token");
  if (token) opts.headers = Object.assign({"Authorization": "Bearer " + token}, opts.headers || {});
  const r = await fetch(path, opts);
  const ct = r.headers.get("content-type") || "";
  const body = ct.includes("json") ? await r.json() : await r.text();
  if (!r.ok) throw new Error(body && body.error ? body.error.message : ("HTTP " + r.status));
  return body;
}
// The arsenal the deal is judged against: the same query on the assessment,
// the map and the exports, so the three always agree.
function arsenalQuery() {
  const q = new URLSearchParams();
  q.set("basis", $("basis").value);
  const mode = $("asof-mode").value;
  if (mode === "today") q.set("as_of", "today");
  if (mode === "date" && $("asof").value) q.set("as_of", $("asof").value);
  return q;
}
// the map takes the arsenal the assessment resolved (the deal's date included)
function mapQuery(a, extra) {
  const q = new URLSearchParams(extra);
  q.set("basis", a.arsenal.basis);
  q.set("as_of", a.arsenal.as_of || "today");
  q.set("missile", a.missiles.left_in_place.join(","));
  return q;
}
function describeArsenal(a) {
  const ar = a.arsenal;
  const when = ar.as_of ? ("as of " + ar.as_of + (ar.as_of_reason === "the deal's date" ? " (the deal's date)" : "")) : "as of today";
  const ranges = ar.basis === "demonstrated" ? "ranges demonstrated by each missile's most capable test by then" : "catalogue ranges";
  const fallback = ar.ranges.filter(r => r.basis.fallback).map(r => r.missile);
  let s = "Arsenal " + when + "; " + ranges + ".";
  if (ar.basis === "demonstrated" && fallback.length) s += " Catalogue range kept (no test to reconstruct): " + fallback.join(", ") + ".";
  if (ar.not_yet_flown.length) s += " Not yet flown: " + ar.not_yet_flown.map(x => x.name).join(", ") + ".";
  return s;
}
// Line numbers beside the deal editor, so an error's "line 18" can be found;
// the line an error names is marked.
let badLine = null;
function gutter() {
  const n = $("deal").value.split("\n").length;
  const g = $("gutter"); g.replaceChildren();
  for (let i = 1; i <= n; i++) {
    const s = el("span", String(i), i === badLine ? "bad" : undefined);
    g.appendChild(s); g.appendChild(document.createTextNode("\n"));
  }
  g.scrollTop = $("deal").scrollTop;
}
// "file:18:" or "line 18" in an error message
function errorLine(msg) {
  const m = msg.match(/:(\d+)(?::\d+)?[:\s]/) || msg.match(/line (\d+)/);
  return m ? Number(m[1]) : null;
}
// The interactive map (Leaflet, embedded): the bundled country outlines as its
// base layer, the residual reach from the same GeoJSON the API serves on top.
let live = null, liveLayer = null;
function initMap() {
  if (live || typeof L === "undefined") return;
  live = L.map("livemap", {worldCopyJump: true, minZoom: 1, maxZoom: 9}).setView([36, 140], 3);
  live.attributionControl.setPrefix("Leaflet");
  const mark = () => { const c = live.getCenter(); document.body.dataset.mapZoom = String(live.getZoom()); document.body.dataset.mapCenter = c.lat.toFixed(3) + "," + c.lng.toFixed(3); };
  live.on("zoomend moveend", mark); mark();
  api("/api/outlines").then(g => {
    L.geoJSON(typeof g === "string" ? JSON.parse(g) : g, {style: {color: "#9a9a8a", weight: 0.6, fillColor: "#f4f1e8", fillOpacity: 1}, interactive: false})
      .addTo(live).bringToBack();
    live.attributionControl.addAttribution("Outlines: Natural Earth (public domain); cities: GeoNames (CC-BY 4.0)");
    document.body.dataset.mapBase = "1";
  }).catch(e => { $("mapinfo").textContent = "base map: " + e.message; });
}
// a popup's content, built as text nodes (never HTML from the data)
function popup(lines) {
  const d = document.createElement("div"); d.className = "popup";
  lines.forEach((l, i) => { d.appendChild(el(i ? "div" : "strong", l)); });
  return d;
}
async function drawLive(a) {
  initMap();
  if (!live) return;
  if (liveLayer) { liveLayer.remove(); liveLayer = null; }
  const left = a.missiles.left_in_place;
  if (!left.length) { $("mapinfo").textContent = "Every missile of the arsenal is dismantled in the text: no residual reach."; document.body.dataset.mapFeatures = "0"; return; }
  const g0 = await api("/api/reach?" + mapQuery(a, {format: "geojson", limit: "300"}));
  const g = typeof g0 === "string" ? JSON.parse(g0) : g0;
  // one outline per missile, in its class's colour (the same as every map of allylens)
  const seen = new Set();
  // with more than four missiles, each class is drawn at its longest missile (as on the SVG map)
  const fps = g.features.filter(f => f.properties.kind === "footprint" && (!f.properties.level || f.properties.level === "nominal" || f.properties.level === "p50"));
  const longest = {};
  fps.forEach(f => { const p = f.properties; if (!longest[p.class] || p.range_km > longest[p.class].range_km) longest[p.class] = p; });
  const many = new Set(fps.map(f => f.properties.missile)).size > 4;
  const feats = g.features.filter(f => {
    const p = f.properties;
    if (p.kind !== "footprint") return true;
    if (!fps.includes(f)) return false;
    return !many || longest[p.class].missile === p.missile;
  });
  liveLayer = L.geoJSON({type: "FeatureCollection", features: feats}, {
    // outlines only: GeoJSON would otherwise restyle the place markers too
    style: f => (f.properties.kind === "footprint" ? {color: f.properties.color || "#525252", weight: 1.6, fillOpacity: 0.05} : {}),
    pointToLayer: (f, ll) => {
      const p = f.properties;
      if (p.kind === "launch") return L.circleMarker(ll, {radius: 3, color: "#000", fillColor: "#000", fillOpacity: 1, weight: 1});
      if (p.kind === "military_site") return L.circleMarker(ll, {radius: 5, color: "#000", weight: 1, fillColor: p.in_reach ? "#ff7f00" : "#ffffff", fillOpacity: 1});
      return L.circleMarker(ll, {radius: 3.5, color: "#222", weight: 0.6, fillColor: "#b2182b", fillOpacity: 0.9});
    },
    onEachFeature: (f, layer) => {
      const p = f.properties;
      if (p.kind === "footprint") {
        if (seen.has(p.missile)) return; seen.add(p.missile);
        layer.bindPopup(popup([p.name + " (" + p.class + ")", "range " + Math.round(p.range_min_km).toLocaleString() + "-" + Math.round(p.range_km).toLocaleString() + " km", p.range_source]));
      } else if (p.kind === "city" || p.kind === "military_site") {
        const lines = [p.name + " (" + p.country + ")", "distance " + Math.round(p.distance_km).toLocaleString() + " km"];
        if (p.margin_km !== undefined) lines.push((p.margin_km >= 0 ? "inside the reach by " : "outside the reach by ") + Math.abs(Math.round(p.margin_km)).toLocaleString() + " km");
        lines.push(p.classes && p.classes.length ? "reached by: " + p.classes.join(", ") : "not in reach");
        if (p.population) lines.push("population " + p.population.toLocaleString());
        if (p.personnel) lines.push("U.S. personnel " + p.personnel.toLocaleString());
        if (p.p_in_reach !== null && p.p_in_reach !== undefined) lines.push("probability of reach " + p.p_in_reach.toFixed(2));
        layer.bindPopup(popup(lines));
      }
    },
  }).addTo(live);
  document.body.dataset.mapFeatures = String(feats.length);
  $("mapinfo").textContent = "Drag to pan, scroll or use +/- to zoom, click a place or an outline. The 300 most populous places in reach are drawn; the JSON export lists them all.";
}
// The quick-edit form shows the deal last assessed, and writes its fields into
// the TOML through the server (comments and other fields kept).
function fillQuick(model) {
  const dismantled = new Set();
  (model.weapons || []).filter(w => w.action === "dismantle" && w.layer === "written").forEach(w => w.covers.forEach(c => { if (c.class) dismantled.add(c.class); }));
  document.querySelectorAll(".qclass").forEach(b => { b.checked = dismantled.has(b.value); });
  $("qverif").value = model.verification ? model.verification.level : "none";
  $("qseq").value = model.sequencing ? model.sequencing.mode : "upfront";
  $("qrev").checked = !!(model.sequencing && model.sequencing.reversible);
  $("qabd").checked = (model.issues || []).some(i => i.topic === "abductees" && i.layer === "written");
}
async function applyQuick() {
  $("error").textContent = "";
  const edit = {
    dismantle: Array.from(document.querySelectorAll(".qclass")).filter(b => b.checked).map(b => b.value),
    verification: $("qverif").value, sequencing: $("qseq").value, reversible: $("qrev").checked, abductees_written: $("qabd").checked,
  };
  try {
    const r = await api("/api/deal/edit", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({deal: $("deal").value, edit})});
    $("deal").value = r.deal; $("irbm").checked = false; beforeTick = null; $("irbm-note").textContent = "";
    await assess();
  } catch (e) { $("error").textContent = e.message; }
}
async function assess() {
  $("error").textContent = "";
  try {
    const a = await api("/api/assess?" + arsenalQuery(), {method: "POST", headers: {"Content-Type": "text/plain"}, body: $("deal").value});
    last = a;
    fillQuick(a.deal.model);
    $("dealname").textContent = a.deal.name + " (" + a.deal.date + ")";
    $("arsenal").textContent = describeArsenal(a);
    document.body.dataset.basis = a.arsenal.basis;
    const v = $("verdicts"); v.replaceChildren(table(["stakeholder", "verdict", "residual population", "residual U.S. personnel"],
      a.perspectives.map(p => ({cells: [p.name, p.verdict, p.residual_exposure.population.toLocaleString(), p.residual_exposure.us_personnel.toLocaleString()], cls: p.verdict === "satisfied" ? "met" : (p.verdict === "reservations" ? "partial" : "crossed")}))));
    v.firstChild.id = "verdict-table";
    const sum = el("ul"); sum.id = "summary"; a.summary.forEach(line => sum.appendChild(el("li", line))); v.prepend(sum);
    a.perspectives.forEach(p => { $("verdict-table").querySelectorAll("tr")[a.perspectives.indexOf(p) + 1].dataset.ally = p.id; });
    const c = $("checks"); c.replaceChildren();
    a.perspectives.forEach(p => { c.appendChild(el("h4", p.name + ": " + p.verdict)); c.appendChild(table(["check", "status", "evidence"], p.checks.map(k => ({cells: [k.name + " (" + k.id + ")", k.status, k.evidence], cls: k.status})))); });
    const left = a.missiles.left_in_place;
    if (left.length) {
      const n = Math.max(0, Math.min(2000, parseInt($("samples").value, 10) || 0));
      const q = mapQuery(a, {format: "svg"});
      if (n > 0 && a.arsenal.basis === "demonstrated") { q.set("samples", String(n)); }
      const svg = await api("/api/reach?" + q);
      drawLive(a).catch(e => { $("mapinfo").textContent = "interactive map: " + e.message; });
      const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
      $("map").replaceChildren(document.importNode(doc.documentElement, true));
    } else { $("map").replaceChildren(el("p", "Every missile of the arsenal is dismantled in the text: no residual reach.")); drawLive(a).catch(() => {}); }
    document.body.dataset.assessments = String(++assessments);
    document.body.classList.remove("stale");
    badLine = null; gutter();
  } catch (e) {
    badLine = errorLine(e.message); gutter();
    $("error").textContent = e.message + (last ? " (the results below are for the last deal that read, not the text now in the editor)" : "");
    document.body.classList.add("stale");
    document.body.dataset.errors = String(Number(document.body.dataset.errors || 0) + 1);
  }
}
async function refreshList() {
  const s = await api("/api/scenarios");
  const sel = $("scenarios"); sel.replaceChildren(el("option", "saved scenarios…"));
  sel.firstChild.value = "";
  s.scenarios.forEach(x => { const o = el("option", x.title + " (rev " + x.revision + ")"); o.value = x.id; sel.appendChild(o); });
}
function settings() {
  return {irbm: $("irbm").checked, basis: $("basis").value, as_of_mode: $("asof-mode").value, as_of: $("asof").value, samples: $("samples").value};
}
// Save: a new revision of the scenario on screen (a real revision, rev 2, 3, ...);
// Save as new, or the first save: a new scenario.
async function save(asNew) {
  $("error").textContent = "";
  try {
    const body = {title: $("title").value || "untitled", deal: $("deal").value, settings: settings(), assessment: last};
    let s;
    if (current && !asNew) {
      body.revision = current.revision;
      s = await api("/api/scenarios/" + encodeURIComponent(current.id), {method: "PUT", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
    } else {
      s = await api("/api/scenarios", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
    }
    current = {id: s.id, revision: s.revision, key: s.share_key || (current && current.id === s.id ? current.key : null)};
    showLink();
    await refreshList(); $("error").textContent = "saved as " + s.id + " (rev " + s.revision + ")";
  } catch (e) { $("error").textContent = e.message; }
}
function applySettings(st) {
  st = st || {};
  if (st.basis === "catalogue" || st.basis === "demonstrated") $("basis").value = st.basis;
  if (["deal", "today", "date"].includes(st.as_of_mode)) { $("asof-mode").value = st.as_of_mode; $("asof").hidden = st.as_of_mode !== "date"; }
  if (typeof st.as_of === "string") $("asof").value = st.as_of;
  if (st.samples !== undefined) $("samples").value = String(parseInt(st.samples, 10) || 0);
}
// Opens a scenario (a revision of it when `rev` is given) with the share key if any.
async function openScenario(id, rev, key) {
  const q = key ? "?key=" + encodeURIComponent(key) : "";
  const path = "/api/scenarios/" + encodeURIComponent(id) + (rev ? "/revisions/" + encodeURIComponent(rev) : "") + q;
  const s = await api(path);
  $("deal").value = s.deal_toml; $("title").value = s.title; $("irbm").checked = false; beforeTick = null; $("irbm-note").textContent = "";
  applySettings(s.settings);
  current = {id: s.id, revision: s.revision, key: key || s.share_key || null};
  showLink();
  await assess();
}
async function load() {
  const id = $("scenarios").value; if (!id) return;
  try { await openScenario(id, null, null); }
  catch (e) { $("error").textContent = e.message; }
}
async function readClauses() {
  try {
    const r = await api("/api/clauses", {method: "POST", headers: {"Content-Type": "text/plain"}, body: $("text").value});
    const box = $("clauses"); box.replaceChildren();
    r.clauses.forEach(c => {
      const d = el("div", undefined, "clause"); const chars = Array.from(c.text);
      const marks = c.tags.flatMap(t => t.evidence.map(e => e.span)).sort((a, b) => a[0] - b[0]);
      let at = c.span[0];
      marks.forEach(m => { if (m[0] < at) return; d.appendChild(document.createTextNode(chars.slice(at - c.span[0], m[0] - c.span[0]).join(""))); d.appendChild(el("mark", chars.slice(m[0] - c.span[0], m[1] - c.span[0]).join(""))); at = m[1]; });
      d.appendChild(document.createTextNode(chars.slice(at - c.span[0]).join("")));
      d.appendChild(el("div", c.id + " (" + c.type + ")" + (c.tags.length ? ": " : "") + c.tags.map(t => t.tag + " (" + t.confidence.toFixed(2) + ")").join(", ") + (c.excluded_stakeholders.length ? "; leaves out " + c.excluded_stakeholders.join(", ") : "")));
      box.appendChild(d);
    });
  } catch (e) { $("error").textContent = e.message; }
}
function download(name, text, type) { const a = document.createElement("a"); a.href = URL.createObjectURL(new Blob([text], {type})); a.download = name; a.click(); }
async function exportAs(kind) {
  if (!last) { await assess(); if (!last) return; }
  if (kind === "json") return download("assessment.json", JSON.stringify(last, null, 2), "application/json");
  if (kind === "geojson") {
    const left = last.missiles.left_in_place;
    // nothing left in place: there is no residual reach to export (an empty
    // missile list would ask for the whole catalogue)
    if (!left.length) { $("error").textContent = "The deal eliminates every catalogue missile: no residual reach to export."; return; }
    const g = await api("/api/reach?" + mapQuery(last, {format: "geojson", limit: "all"}));
    return download("residual-reach.geojson", typeof g === "string" ? g : JSON.stringify(g, null, 2), "application/geo+json");
  }
  // the CLI's own Markdown report for the deal on screen (every number, caveat and source, escaped)
  const q = arsenalQuery(); q.set("format", "md");
  const md = await api("/api/assess?" + q, {method: "POST", headers: {"Content-Type": "text/plain"}, body: $("deal").value});
  download("assessment.md", md, "text/markdown");
}
$("example").addEventListener("change", () => {
  $("deal").value = EXAMPLES[$("example").value]; $("irbm").checked = false; beforeTick = null; $("irbm-note").textContent = "";
  // an example is a new scenario until it is saved
  current = null; $("permalink").replaceChildren(); history.replaceState(null, "", "/");
  assess();
});
document.querySelectorAll("[data-export]").forEach(b => b.addEventListener("click", () => exportAs(b.dataset.export)));
$("irbm").addEventListener("change", toggleClasses);
$("assess").addEventListener("click", assess);
$("qapply").addEventListener("click", applyQuick);
$("deal").addEventListener("input", gutter);
$("deal").addEventListener("scroll", () => { $("gutter").scrollTop = $("deal").scrollTop; });
$("basis").addEventListener("change", assess);
$("samples").addEventListener("change", assess);
$("asof-mode").addEventListener("change", () => { $("asof").hidden = $("asof-mode").value !== "date"; if ($("asof-mode").value !== "date" || $("asof").value) assess(); });
$("asof").addEventListener("change", assess);
$("save").addEventListener("click", () => save(false));
$("save-new").addEventListener("click", () => save(true));
$("load").addEventListener("click", load);
$("read").addEventListener("click", readClauses);
async function start() {
  try {
    const ex = await api("/api/examples");
    ex.examples.forEach(x => { EXAMPLES[x.id] = x.toml; const o = el("option", x.id); o.value = x.id; $("example").appendChild(o); });
    $("example").value = "icbm-only"; $("deal").value = EXAMPLES["icbm-only"];
  } catch (e) { $("error").textContent = e.message; }
  // a permalink: /s/{id} or /s/{id}/{rev}, with ?key= for a shared one
  const m = location.pathname.match(/^\/s\/([0-9A-Za-z_-]+)(?:\/([0-9]+))?\/?$/);
  if (m) {
    try { await openScenario(m[1], m[2] || null, new URLSearchParams(location.search).get("key")); }
    catch (e) { $("error").textContent = "permalink: " + e.message; await assess(); }
  } else {
    await assess();
  }
  await refreshList();
  document.body.dataset.ready = "1";
}
start();
