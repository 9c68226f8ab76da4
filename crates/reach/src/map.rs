//! An SVG map in the azimuthal equidistant projection centred on the launch
//! point: the honest projection for range rings, since distance from the
//! centre is true in every direction. Country outlines, distance rings, one
//! footprint per missile, labelled cities and military sites.
//!
//! Rendering only: every number comes from the exposure query and the places.

use std::fmt::Write;

use crate::exposure::Exposure;
use crate::footprint::ring;
use crate::geodesy::{sphere_azimuth, sphere_km, unit_vector, SPHERE_KM};
use crate::places::{Places, COUNTRIES_CITATION, GEONAMES_CITATION, OUTLINES_CITATION};
use crate::{Launch, MissileReach, RangeModel};

const SIZE: f64 = 1000.0;
const MARGIN: f64 = 40.0;
/// The colour of a class, and of a missile within it: every map and chart
/// of allylens uses these (the class's base colour for the class, and one of
/// three shades for each missile, fixed by its id).
pub fn class_color(class: &str, missile: Option<&str>) -> &'static str {
    let shades: [&str; 3] = match class {
        "SRBM" => ["#2171b5", "#4292c6", "#08519c"],
        "MRBM" => ["#238b45", "#41ab5d", "#006d2c"],
        "IRBM" => ["#d7301f", "#ef6548", "#b30000"],
        "ICBM" => ["#6a51a3", "#807dba", "#4a1486"],
        _ => ["#525252", "#737373", "#252525"],
    };
    match missile {
        None => shades[0],
        Some(id) => shades[id.bytes().map(usize::from).sum::<usize>() % 3],
    }
}

/// The box a text occupies, (x0, y0, x1, y1) in pixels: an estimate from
/// Helvetica's average advance (0.56 em per character), the cap above the
/// baseline and the descender below it, with a pixel of padding.
pub fn text_box(x: f64, y: f64, size: f64, anchor: &str, text: &str) -> [f64; 4] {
    let w = 0.56 * size * text.chars().count() as f64;
    let x0 = match anchor {
        "middle" => x - w / 2.0,
        "end" => x - w,
        _ => x,
    };
    [
        x0 - 1.0,
        y - 0.78 * size - 1.0,
        x0 + w + 1.0,
        y + 0.24 * size + 1.0,
    ]
}

/// The pairs of `<text>` elements of an SVG whose boxes ([`text_box`]) meet:
/// empty for a map without overlapping labels. Reads each element's x, y,
/// font-size and text-anchor (the maps write them on every text).
pub fn label_overlaps(svg: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let key = format!(" {name}=\"");
        let i = tag.find(&key)? + key.len();
        let j = tag[i..].find('"')? + i;
        Some(tag[i..j].to_string())
    };
    let mut texts: Vec<(String, [f64; 4])> = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        let after = &rest[i..];
        let Some(close) = after.find('>') else { break };
        let tag = &after[..close];
        let Some(end) = after.find("</text>") else {
            break;
        };
        let body = &after[close + 1..end];
        let text = body
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'");
        let num = |n: &str| attr(tag, n).and_then(|v| v.parse::<f64>().ok());
        if let (Some(x), Some(y)) = (num("x"), num("y")) {
            let size = num("font-size").unwrap_or(16.0);
            let anchor = attr(tag, "text-anchor").unwrap_or_else(|| "start".into());
            texts.push((text.clone(), text_box(x, y, size, &anchor, &text)));
        }
        rest = &after[end + 7..];
    }
    let mut out = Vec::new();
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            // a count drawn inside its launch marker overlaps nothing but the marker
            if overlaps(&a.1, &b.1) {
                out.push((a.0.clone(), b.0.clone()));
            }
        }
    }
    out
}

fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// A label placed: its anchor point, its anchor, and the far end of its
/// leader line when it stands away from its point.
type Placed = (f64, f64, &'static str, Option<(f64, f64)>);

/// Labels placed so far: a label goes where its box meets no other box
/// (greedy, most important first), or is left out.
#[derive(Default)]
struct Layout {
    /// Everything a label must not cover: labels and markers.
    boxes: Vec<[f64; 4]>,
    /// Labels alone (a city's dot may sit beside a marker, not under a label).
    texts: Vec<[f64; 4]>,
}

impl Layout {
    fn free(&self, b: &[f64; 4]) -> bool {
        b[0] >= 0.0 && b[2] <= SIZE && b[1] >= 0.0 && !self.boxes.iter().any(|x| overlaps(x, b))
    }

    fn reserve(&mut self, b: [f64; 4]) {
        self.boxes.push(b);
    }

    /// A place for a label beside the point (x, y): right, left, above,
    /// below, the diagonals, then the same farther out with a leader line
    /// back to the point; None when none is free. Returns the text's anchor
    /// point, its anchor, and the leader line's far end when there is one.
    fn beside(
        &mut self,
        x: f64,
        y: f64,
        size: f64,
        text: &str,
    ) -> Option<(f64, f64, &'static str)> {
        self.beside_with_leader(x, y, size, text)
            .map(|(tx, ty, a, _)| (tx, ty, a))
    }

    fn beside_with_leader(&mut self, x: f64, y: f64, size: f64, text: &str) -> Option<Placed> {
        let up = size * 0.35;
        for gap in [5.0, 11.0, 24.0, 40.0] {
            let d = gap * 0.75;
            for (tx, ty, anchor) in [
                (x + gap, y + up, "start"),
                (x - gap, y + up, "end"),
                (x, y - gap, "middle"),
                (x, y + gap + size * 0.8, "middle"),
                (x + d, y - d, "start"),
                (x + d, y + d + size * 0.8, "start"),
                (x - d, y - d, "end"),
                (x - d, y + d + size * 0.8, "end"),
            ] {
                let b = text_box(tx, ty, size, anchor, text);
                if self.free(&b) {
                    self.reserve(b);
                    self.texts.push(b);
                    // beyond the nearest rings, a leader line to the box's nearest edge
                    let leader = (gap > 11.0).then(|| {
                        (
                            tx.clamp(b[0] + 1.0, b[2] - 1.0).clamp(b[0], b[2]),
                            (ty - size * 0.3).clamp(b[1], b[3]),
                        )
                    });
                    return Some((tx, ty, anchor, leader));
                }
            }
        }
        None
    }
}

/// One `<text>` with its size and anchor written out (the label test reads them).
fn label(s: &mut String, x: f64, y: f64, size: f64, anchor: &str, fill: &str, text: &str) {
    let _ = write!(
        s,
        r##"<text x="{x:.1}" y="{y:.1}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" stroke="#ffffff" stroke-width="2.5" paint-order="stroke">{}</text>"##,
        escape(text)
    );
}

/// Escapes text for SVG.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

struct Projection {
    lat: f64,
    lon: f64,
    centre: [f64; 3],
    /// km per pixel
    scale: f64,
}

impl Projection {
    fn xy(&self, lat: f64, lon: f64) -> (f64, f64, f64) {
        let d = sphere_km(&self.centre, &unit_vector(lat, lon));
        let az = sphere_azimuth(self.lat, self.lon, lat, lon).to_radians();
        let r = d / self.scale;
        (SIZE / 2.0 + r * az.sin(), SIZE / 2.0 - r * az.cos(), d)
    }
}

fn nice_step(view_km: f64) -> f64 {
    for s in [250.0, 500.0, 1000.0, 2000.0, 2500.0, 5000.0] {
        if view_km / s <= 8.0 {
            return s;
        }
    }
    5000.0
}

/// Renders the map. `centre` is the launch point the map is centred on.
pub fn render(
    places: &Places,
    centre: &Launch,
    launches: &[Launch],
    missiles: &[MissileReach],
    exposure: &Exposure,
    title: &str,
) -> String {
    render_with_band(places, centre, launches, missiles, exposure, title, &[])
}

/// [`render`] with an uncertainty band: `band[i]`, when given, holds missile
/// `i`'s footprints at its P5 and P95 draws, drawn as dashed outlines either
/// side of its own.
pub fn render_with_band(
    places: &Places,
    centre: &Launch,
    launches: &[Launch],
    missiles: &[MissileReach],
    exposure: &Exposure,
    title: &str,
    band: &[Option<(RangeModel, RangeModel)>],
) -> String {
    let frame = Frame {
        lat: centre.lat,
        lon: centre.lon,
        name: centre.name.clone(),
        radius_km: None,
    };
    render_framed(places, &frame, launches, missiles, exposure, title, band)
}

/// Where a map looks: the point it is centred on (distances from it are
/// true) and how far it reaches (None: far enough for every footprint).
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub lat: f64,
    pub lon: f64,
    pub name: String,
    pub radius_km: Option<f64>,
}

/// [`render_with_band`] centred anywhere: a regional view of one ally's
/// residual reach is centred on its capital.
pub fn render_framed(
    places: &Places,
    frame: &Frame,
    launches: &[Launch],
    missiles: &[MissileReach],
    exposure: &Exposure,
    title: &str,
    band: &[Option<(RangeModel, RangeModel)>],
) -> String {
    let max_range = missiles
        .iter()
        .enumerate()
        .map(|(i, m)| {
            band.get(i)
                .and_then(|b| b.as_ref())
                .map_or(0.0, |b| b.1.max_km())
                .max(m.range.max_km())
        })
        .fold(0.0, f64::max);
    let spread = launches
        .iter()
        .map(|l| {
            sphere_km(
                &unit_vector(frame.lat, frame.lon),
                &unit_vector(l.lat, l.lon),
            )
        })
        .fold(0.0, f64::max);
    let view_km = frame
        .radius_km
        .unwrap_or((max_range + spread) * 1.12)
        .clamp(500.0, 0.97 * std::f64::consts::PI * SPHERE_KM);
    let p = Projection {
        lat: frame.lat,
        lon: frame.lon,
        centre: unit_vector(frame.lat, frame.lon),
        scale: view_km / (SIZE / 2.0 - MARGIN),
    };
    let rim = SIZE / 2.0 - MARGIN;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="Helvetica, Arial, sans-serif">
<title>{t}</title>
<defs><clipPath id="disk"><circle cx="{c}" cy="{c}" r="{rim}"/></clipPath></defs>
<rect width="{w}" height="{h}" fill="#ffffff"/>
<circle cx="{c}" cy="{c}" r="{rim}" fill="#dbe9f6" stroke="#6b7b8c" stroke-width="1"/>
<g clip-path="url(#disk)">
"##,
        w = SIZE,
        h = SIZE + 110.0 + 18.0 * layers(missiles).len().div_ceil(2) as f64,
        c = SIZE / 2.0,
        t = escape(title),
    );
    // land
    s.push_str(r##"<g fill="#f4f1e8" stroke="#9a9a8a" stroke-width="0.6">"##);
    let far = 0.85 * std::f64::consts::PI * SPHERE_KM;
    // the outlines are embedded and parsed on first use; a failure to read
    // them is written on the map, not hidden
    let (outlines, land_error) = match places.outlines() {
        Ok(o) => (o, None),
        Err(e) => (&[][..], Some(e.to_string())),
    };
    for o in outlines {
        for r in &o.rings {
            let pts: Vec<(f64, f64, f64)> = r.chunks_exact(2).map(|q| p.xy(q[1], q[0])).collect();
            // skip rings near the antipode (they wrap the rim) and rings wholly out of view
            if pts.iter().any(|q| q.2 > far) || pts.iter().all(|q| q.2 > view_km * 1.3) {
                continue;
            }
            s.push_str("<path d=\"");
            for (i, q) in pts.iter().enumerate() {
                let _ = write!(s, "{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, q.0, q.1);
            }
            s.push_str("Z\"/>");
        }
    }
    s.push_str("</g>\n");
    if let Some(e) = land_error {
        let _ = writeln!(
            s,
            r##"<text x="{m}" y="{y}" font-size="12" fill="#b00">country outlines unavailable: {e}</text>"##,
            m = MARGIN,
            y = SIZE - MARGIN,
            e = escape(&e)
        );
    }
    // distance rings
    let step = nice_step(view_km);
    s.push_str(r##"<g fill="none" stroke="#8899aa" stroke-width="0.5" stroke-dasharray="3,3">"##);
    let mut k = step;
    while k < view_km {
        let _ = write!(
            s,
            r#"<circle cx="{c}" cy="{c}" r="{r:.1}"/>"#,
            c = SIZE / 2.0,
            r = k / p.scale
        );
        k += step;
    }
    s.push_str("</g>\n");
    // footprints: one outline per missile (per class when there are many),
    // the union over launch points drawn in the map's plane
    let layers = layers(missiles);
    let offsets: Vec<(f64, f64)> = launches
        .iter()
        .map(|l| {
            let (x, y, _) = p.xy(l.lat, l.lon);
            (x - SIZE / 2.0, y - SIZE / 2.0)
        })
        .collect();
    // one closed outline of a range model in the map's plane (the union over launch points)
    let outline = |range: &RangeModel| -> String {
        let mut d = String::new();
        if launches.len() == 1 {
            let l = &launches[0];
            for (j, (la, lo)) in ring(l.lat, l.lon, &range.for_launch(l.lat), 1.0)
                .iter()
                .enumerate()
            {
                let q = p.xy(*la, *lo);
                let _ = write!(d, "{}{:.1},{:.1}", if j == 0 { "M" } else { "L" }, q.0, q.1);
            }
        } else {
            for j in 0..360 {
                let th = (j as f64).to_radians();
                let (ux, uy) = (th.sin(), -th.cos());
                let r = range
                    .at(j as f64)
                    .min(0.999 * std::f64::consts::PI * SPHERE_KM)
                    / p.scale;
                let t = offsets
                    .iter()
                    .filter_map(|&(ox, oy)| {
                        let b = ux * ox + uy * oy;
                        let disc = r * r - (ox * ox + oy * oy) + b * b;
                        (disc >= 0.0).then(|| b + disc.sqrt())
                    })
                    .fold(0.0, f64::max);
                let _ = write!(
                    d,
                    "{}{:.1},{:.1}",
                    if j == 0 { "M" } else { "L" },
                    SIZE / 2.0 + t * ux,
                    SIZE / 2.0 + t * uy
                );
            }
        }
        d.push('Z');
        d
    };
    for (label, range, source, color) in layers.iter() {
        let color = *color;
        if let Some((lo, hi)) = source.and_then(|k| band.get(k)).and_then(|b| b.as_ref()) {
            for (edge, which) in [(lo, "P5"), (hi, "P95")] {
                let _ = write!(
                    s,
                    r#"<path fill="none" stroke="{color}" stroke-width="1.2" stroke-dasharray="6,4" d="{}"><title>{} ({which} of the draws)</title></path>"#,
                    outline(edge),
                    escape(label)
                );
                s.push('\n');
            }
        }
        let _ = write!(
            s,
            r#"<path fill="{color}" fill-opacity="0.07" stroke="{color}" stroke-width="1.8" d="{}"><title>{}</title></path>"#,
            outline(range),
            escape(label)
        );
        s.push('\n');
    }
    s.push_str("</g>\n");
    // labels: the title first, then launch points, ring labels, U.S. sites and
    // cities, each placed only where it meets no other
    let mut layout = Layout::default();
    layout.reserve(text_box(20.0, 28.0, 18.0, "start", title));
    layout
        .texts
        .push(text_box(20.0, 28.0, 18.0, "start", title));
    let mut marks = String::new();
    let mut labels = String::new();
    // launch points: one marker per cluster (sites within 20 px), with its count
    let mut clusters: Vec<(f64, f64, Vec<&Launch>)> = Vec::new();
    for l in launches {
        let (x, y, _) = p.xy(l.lat, l.lon);
        match clusters
            .iter_mut()
            .find(|(cx, cy, _)| (cx - x).hypot(cy - y) < 20.0)
        {
            Some(c) => c.2.push(l),
            None => clusters.push((x, y, vec![l])),
        }
    }
    clusters.sort_by_key(|c| std::cmp::Reverse(c.2.len()));
    for (x, y, members) in &clusters {
        let names: Vec<&str> = members.iter().map(|l| l.name.as_str()).collect();
        let r = if members.len() > 1 { 7.0 } else { 3.5 };
        let _ = write!(
            marks,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="{r}" fill="#000"><title>{}</title></circle>"##,
            escape(&names.join(", "))
        );
        layout.reserve([x - r, y - r, x + r, y + r]);
        if members.len() > 1 {
            let n = members.len().to_string();
            let _ = write!(
                marks,
                r##"<text x="{x:.1}" y="{:.1}" font-size="8" text-anchor="middle" fill="#ffffff">{n}</text>"##,
                y + 2.8
            );
        }
    }
    // the launch point named (the largest cluster when there are several)
    if let Some((x, y, members)) = clusters.first() {
        let text = match (members.len(), launches.len()) {
            (1, 1) => format!("launch: {}", members[0].name),
            (_, n) if n == members.len() => format!("{n} launch sites"),
            (k, n) => format!("{k} of {n} launch sites"),
        };
        if let Some((tx, ty, a)) = layout.beside(*x, *y, 11.0, &text) {
            label(&mut labels, tx, ty, 11.0, a, "#000000", &text);
        }
    }
    // ring labels, at the top of each ring
    let mut k = step;
    while k < view_km {
        let text = format!("{k:.0} km");
        let (x, y) = (SIZE / 2.0 + 3.0, SIZE / 2.0 - k / p.scale - 2.0);
        let b = text_box(x, y, 10.0, "start", &text);
        if layout.free(&b) {
            layout.reserve(b);
            layout.texts.push(b);
            label(&mut labels, x, y, 10.0, "start", "#556677", &text);
        }
        k += step;
    }
    // military sites: markers, then one label per area (Japan, South Korea, Guam, ...)
    for site in &exposure.sites {
        let (x, y, d) = p.xy(site.lat, site.lon);
        if d > view_km * 0.97 {
            continue;
        }
        let hit = !site.classes.is_empty();
        let _ = write!(
            marks,
            r##"<path d="M{:.1},{:.1}l4,7h-8z" fill="{f}" stroke="#000" stroke-width="0.6"><title>{t}</title></path>"##,
            x,
            y - 4.0,
            f = if hit { "#ff7f00" } else { "#ffffff" },
            t = escape(&format!(
                "{} ({}): {:.0} km{}",
                site.name,
                site.country,
                site.distance_km,
                site.personnel
                    .map_or(String::new(), |n| format!(", {n} personnel"))
            ))
        );
        layout.reserve([x - 4.0, y - 4.0, x + 4.0, y + 3.0]);
    }
    let mut areas: Vec<(&str, usize, f64, f64)> = Vec::new();
    for site in &exposure.sites {
        let (x, y, d) = p.xy(site.lat, site.lon);
        if d > view_km * 0.97 {
            continue;
        }
        match areas.iter_mut().find(|a| a.0 == site.country) {
            Some(a) => a.1 += 1,
            None => areas.push((site.country.as_str(), 1, x, y)),
        }
    }
    // cities: capitals first, then the most populous, marked by whether they are in reach
    // by name and country, as a reader of the map would match them
    let reached: std::collections::HashSet<(&str, &str)> = exposure
        .in_reach
        .iter()
        .map(|&i| {
            (
                places.cities.name(i as usize),
                places.cities.country(i as usize),
            )
        })
        .collect();
    let in_reach = |name: &str, country: &str| reached.contains(&(name, country));
    let mut view: Vec<crate::City> = places
        .cities
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            (c.population >= 300_000 || c.feature == "PPLC")
                && sphere_km(&p.centre, &places.cities.unit(*i)) < view_km * 0.97
        })
        .map(|(_, c)| c)
        .collect();
    let capital = |c: &crate::City| c.feature == "PPLC" && c.population >= 200_000;
    view.sort_by_key(|c| (!capital(c), std::cmp::Reverse(c.population)));
    // the U.S. sites' areas are labelled after the capitals, before other cities
    let mut areas_done = false;
    let label_areas = |layout: &mut Layout, labels: &mut String| {
        for (area, n, x, y) in &areas {
            let text = format!("{n} U.S. site{} ({area})", if *n == 1 { "" } else { "s" });
            if let Some((tx, ty, a, leader)) = layout.beside_with_leader(*x, *y, 10.0, &text) {
                if let Some((lx, ly)) = leader {
                    let _ = write!(
                        labels,
                        r##"<line x1="{x:.1}" y1="{y:.1}" x2="{lx:.1}" y2="{ly:.1}" stroke="#7f3b08" stroke-width="0.6"/>"##
                    );
                }
                label(labels, tx, ty, 10.0, a, "#7f3b08", &text);
            }
        }
    };
    let mut shown = 0;
    for c in view.iter() {
        if !areas_done && !capital(c) {
            label_areas(&mut layout, &mut labels);
            areas_done = true;
        }
        if shown >= 32 {
            break;
        }
        let (x, y, _) = p.xy(c.lat, c.lon);
        // the marker itself must be clear of other labels
        let dot = [x - 3.0, y - 3.0, x + 3.0, y + 3.0];
        if layout.texts.iter().any(|t| overlaps(t, &dot)) {
            continue;
        }
        layout.reserve(dot);
        let Some((tx, ty, a, leader)) = layout.beside_with_leader(x, y, 11.0, c.name) else {
            layout.boxes.pop();
            continue;
        };
        if let Some((lx, ly)) = leader {
            let _ = write!(
                marks,
                r##"<line x1="{x:.1}" y1="{y:.1}" x2="{lx:.1}" y2="{ly:.1}" stroke="#555" stroke-width="0.6"/>"##
            );
        }
        shown += 1;
        let hit = in_reach(c.name, c.country);
        let _ = write!(
            marks,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{f}" stroke="#222" stroke-width="0.6"><title>{t}</title></circle>"##,
            f = if hit { "#b2182b" } else { "#ffffff" },
            t = escape(&format!("{} ({})", c.name, c.country))
        );
        label(&mut labels, tx, ty, 11.0, a, "#1a1a1a", c.name);
    }
    if !areas_done {
        label_areas(&mut layout, &mut labels);
    }
    s.push_str(&marks);
    s.push('\n');
    s.push_str(&labels);
    s.push('\n');
    // title and legend
    let base = SIZE + 10.0;
    let _ = write!(
        s,
        r##"<text x="20" y="28" font-size="18" text-anchor="start" font-weight="bold">{}</text>"##,
        escape(title)
    );
    for (i, (label, _, _, color)) in layers.iter().enumerate() {
        let (x, y) = (
            20.0 + (i % 2) as f64 * 480.0,
            base + 8.0 + (i / 2) as f64 * 18.0,
        );
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{y}" width="14" height="10" fill="{color}" fill-opacity="0.35" stroke="{color}"/><text x="{tx}" y="{ty}" font-size="12" text-anchor="start">{t}</text>"##,
            tx = x + 20.0,
            ty = y + 9.5,
            t = escape(label)
        );
    }
    let rows = layers.len().div_ceil(2) as f64;
    let y = base + 14.0 + rows * 18.0;
    let _ = write!(
        s,
        r##"<g fill="#333"><circle cx="26" cy="{a}" r="3" fill="#b2182b" stroke="#222"/><text x="36" y="{b}" font-size="11" text-anchor="start">city in reach</text><circle cx="126" cy="{a}" r="3" fill="#fff" stroke="#222"/><text x="136" y="{b}" font-size="11" text-anchor="start">out of reach</text><path d="M226,{c}l4,7h-8z" fill="#ff7f00" stroke="#000"/><text x="236" y="{b}" font-size="11" text-anchor="start">U.S. site in reach</text><circle cx="356" cy="{a}" r="5" fill="#000"/><text x="366" y="{b}" font-size="11" text-anchor="start">launch site(s)</text><text x="470" y="{b}" font-size="11" text-anchor="start">rings every {step:.0} km from {centre}</text></g>"##,
        centre = escape(&frame.name),
        a = y,
        b = y + 4.0,
        c = y - 4.0
    );
    let notes = [
        format!("Outlines: {OUTLINES_CITATION}."),
        format!("Cities: {GEONAMES_CITATION}."),
        format!("Countries: {COUNTRIES_CITATION}. Launch sites: CNS North Korea Missile Test Database. U.S. sites: data/military_sites.csv."),
        format!("Drawn by allylens {} on {}. A label that would overlap another is left out; every place in reach is in the JSON and GeoJSON.", env!("CARGO_PKG_VERSION"), today()),
        if band.iter().any(|b| b.is_some()) {
            "Solid outline: the median (P50) draw's footprint; dashed outlines of the same colour: the P5 and P95 draws.".to_string()
        } else {
            String::new()
        },
    ];
    for (i, n) in notes.iter().enumerate() {
        let _ = write!(
            s,
            r##"<text x="20" y="{:.1}" font-size="9" text-anchor="start" fill="#555">{}</text>"##,
            y + 24.0 + 12.0 * i as f64,
            escape(n)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Today's date (UTC), YYYY-MM-DD, for the caption.
fn today() -> String {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// What to outline: each missile, or with more than four, each class at the
/// range of its longest missile.
type Layer = (String, RangeModel, Option<usize>, &'static str);

fn layers(missiles: &[MissileReach]) -> Vec<Layer> {
    if missiles.len() <= 4 {
        return missiles
            .iter()
            .enumerate()
            .map(|(i, m)| {
                (
                    format!("{} ({}), {:.0} km", m.name, m.class, m.range.max_km()),
                    m.range.clone(),
                    Some(i),
                    class_color(&m.class, Some(&m.id)),
                )
            })
            .collect();
    }
    let mut out = Vec::new();
    for &class in crate::CLASSES.iter().rev() {
        let longest = missiles
            .iter()
            .enumerate()
            .filter(|(_, m)| m.class == class)
            .max_by(|a, b| a.1.range.max_km().total_cmp(&b.1.range.max_km()));
        if let Some((i, m)) = longest {
            let n = missiles.iter().filter(|x| x.class == class).count();
            out.push((
                format!(
                    "{class}: {n} missiles, longest {} at {:.0} km",
                    m.name,
                    m.range.max_km()
                ),
                m.range.clone(),
                Some(i),
                class_color(class, None),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exposure;

    fn launch(id: &str, lat: f64, lon: f64) -> Launch {
        Launch {
            id: id.into(),
            name: id.into(),
            lat,
            lon,
        }
    }

    fn missile(id: &str, class: &str, km: f64) -> MissileReach {
        MissileReach {
            id: id.into(),
            name: id.into(),
            class: class.into(),
            range: RangeModel::Constant(km),
            range_source: "test".into(),
        }
    }

    #[test]
    fn overlapping_labels_are_found_and_maps_have_none() {
        // the checker finds two labels drawn on top of each other
        let svg = r#"<svg><text x="10" y="20" font-size="11" text-anchor="start">Tokyo</text><text x="14" y="22" font-size="11">Yokohama</text></svg>"#;
        assert_eq!(label_overlaps(svg).len(), 1);
        let places = Places::bundled().expect("places");
        let pyongyang = launch("pyongyang", 39.2, 125.67);
        let sites = [
            pyongyang.clone(),
            launch("wonsan", 39.17, 127.48),
            launch("sohae", 39.66, 124.7),
            launch("sunan", 39.2, 125.68),
        ];
        let arsenal = [
            missile("scud-c", "SRBM", 600.0),
            missile("nodong", "MRBM", 1_300.0),
            missile("pukguksong-2", "MRBM", 2_000.0),
            missile("musudan", "IRBM", 4_000.0),
            missile("hwasong-12", "IRBM", 5_000.0),
        ];
        for (launches, missiles) in [
            (vec![pyongyang.clone()], vec![arsenal[4].clone()]),
            (
                vec![pyongyang.clone()],
                vec![arsenal[1].clone(), arsenal[4].clone()],
            ),
            (sites.to_vec(), arsenal.to_vec()),
            (
                vec![pyongyang.clone()],
                vec![missile("hwasong-15", "ICBM", 13_000.0)],
            ),
        ] {
            let e = exposure(places, &launches, &missiles);
            let svg = render(places, &pyongyang, &launches, &missiles, &e, "a title");
            assert_eq!(label_overlaps(&svg), Vec::<(String, String)>::new());
            // the cluster of launch sites is one marker with its count
            if launches.len() > 1 {
                assert!(svg.contains(">4</text>"), "a count of 4");
                assert!(svg.contains("4 launch sites"));
            } else {
                assert!(svg.contains("launch: pyongyang"));
            }
        }
    }

    #[test]
    fn colours_are_fixed_per_class_and_missile() {
        assert_eq!(class_color("IRBM", None), "#d7301f");
        assert_eq!(
            class_color("ICBM", Some("hwasong-15")),
            class_color("ICBM", Some("hwasong-15"))
        );
        // the shade of a missile is its own, whatever the list it is drawn in
        let places = Places::bundled().expect("places");
        let p = launch("pyongyang", 39.2, 125.67);
        let a = [
            missile("nodong", "MRBM", 1_300.0),
            missile("hwasong-12", "IRBM", 5_000.0),
        ];
        let b = [missile("kn-23", "SRBM", 800.0), a[0].clone(), a[1].clone()];
        let svg_a = render(
            places,
            &p,
            std::slice::from_ref(&p),
            &a,
            &exposure(places, std::slice::from_ref(&p), &a),
            "a",
        );
        let svg_b = render(
            places,
            &p,
            std::slice::from_ref(&p),
            &b,
            &exposure(places, std::slice::from_ref(&p), &b),
            "b",
        );
        let nodong = class_color("MRBM", Some("nodong"));
        for svg in [svg_a, svg_b] {
            assert!(svg.contains(&format!(r#"fill="{nodong}" fill-opacity="0.07""#)));
        }
    }
}
