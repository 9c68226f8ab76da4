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
const COLORS: [&str; 8] = [
    "#d7301f", "#fc8d59", "#6a51a3", "#2171b5", "#238b45", "#b8860b", "#e7298a", "#525252",
];

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
                &unit_vector(centre.lat, centre.lon),
                &unit_vector(l.lat, l.lon),
            )
        })
        .fold(0.0, f64::max);
    let view_km =
        ((max_range + spread) * 1.12).clamp(500.0, 0.97 * std::f64::consts::PI * SPHERE_KM);
    let p = Projection {
        lat: centre.lat,
        lon: centre.lon,
        centre: unit_vector(centre.lat, centre.lon),
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
    for o in &places.outlines {
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
    for (i, (label, range, source)) in layers.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
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
    // ring labels
    s.push_str(r##"<g font-size="10" fill="#556677">"##);
    let mut k = step;
    while k < view_km {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}">{:.0} km</text>"#,
            SIZE / 2.0 + 3.0,
            SIZE / 2.0 - k / p.scale - 2.0,
            k
        );
        k += step;
    }
    s.push_str("</g>\n");
    // cities: the most populous in view, marked by whether they are in reach
    let in_reach = |name: &str, country: &str| {
        exposure
            .cities
            .iter()
            .any(|c| c.name == name && c.country == country)
    };
    let mut view: Vec<&crate::City> = places
        .cities
        .iter()
        .filter(|c| c.population >= 300_000 && sphere_km(&p.centre, &c.unit) < view_km * 0.97)
        .collect();
    view.sort_by_key(|c| std::cmp::Reverse(c.population));
    let mut placed: Vec<(f64, f64)> = Vec::new();
    s.push_str(r##"<g font-size="11">"##);
    for c in view.iter() {
        if placed.len() >= 28 {
            break;
        }
        let (x, y, _) = p.xy(c.lat, c.lon);
        if placed
            .iter()
            .any(|(px, py)| (px - x).abs() < 70.0 && (py - y).abs() < 14.0)
        {
            continue;
        }
        placed.push((x, y));
        let hit = in_reach(&c.name, &c.country);
        let _ = write!(
            s,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{f}" stroke="#222" stroke-width="0.6"/><text x="{tx:.1}" y="{ty:.1}" fill="#1a1a1a" stroke="#ffffff" stroke-width="2.5" paint-order="stroke">{n}</text>"##,
            f = if hit { "#b2182b" } else { "#ffffff" },
            tx = x + 5.0,
            ty = y + 4.0,
            n = escape(&c.name)
        );
    }
    s.push_str("</g>\n");
    // military sites
    s.push_str(r##"<g font-size="9">"##);
    for site in &exposure.sites {
        let (x, y, d) = p.xy(site.lat, site.lon);
        if d > view_km * 0.97 {
            continue;
        }
        let hit = !site.classes.is_empty();
        let _ = write!(
            s,
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
    }
    // one label per U.S. territory outside the host countries' labelled cities
    let mut labelled: Vec<&str> = Vec::new();
    for site in &exposure.sites {
        let (x, y, d) = p.xy(site.lat, site.lon);
        if d > view_km * 0.97
            || site.iso2 == "JP"
            || site.iso2 == "KR"
            || labelled.contains(&site.country.as_str())
        {
            continue;
        }
        labelled.push(site.country.as_str());
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" fill="#1a1a1a" stroke="#ffffff" stroke-width="2.5" paint-order="stroke">{}</text>"##,
            x + 7.0,
            y + 4.0,
            escape(&site.country)
        );
    }
    s.push_str("</g>\n");
    // launch points
    for l in launches {
        let (x, y, _) = p.xy(l.lat, l.lon);
        let _ = write!(
            s,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="#000"><title>{}</title></circle>"##,
            escape(&l.name)
        );
    }
    // title and legend
    let base = SIZE + 10.0;
    let _ = write!(
        s,
        r##"<text x="20" y="28" font-size="18" font-weight="bold">{}</text>"##,
        escape(title)
    );
    for (i, (label, _, _)) in layers.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        let (x, y) = (
            20.0 + (i % 2) as f64 * 480.0,
            base + 8.0 + (i / 2) as f64 * 18.0,
        );
        let _ = write!(
            s,
            r##"<rect x="{x}" y="{y}" width="14" height="10" fill="{color}" fill-opacity="0.35" stroke="{color}"/><text x="{tx}" y="{ty}" font-size="12">{t}</text>"##,
            tx = x + 20.0,
            ty = y + 9.5,
            t = escape(label)
        );
    }
    let rows = layers.len().div_ceil(2) as f64;
    let y = base + 14.0 + rows * 18.0;
    let _ = write!(
        s,
        r##"<g font-size="11" fill="#333"><circle cx="26" cy="{a}" r="3" fill="#b2182b" stroke="#222"/><text x="36" y="{b}">city in reach</text><circle cx="136" cy="{a}" r="3" fill="#fff" stroke="#222"/><text x="146" y="{b}">out of reach</text><path d="M246,{c}l4,7h-8z" fill="#ff7f00" stroke="#000"/><text x="256" y="{b}">U.S. site in reach</text><text x="400" y="{b}">dashed rings: {step:.0} km from the launch point (azimuthal equidistant)</text></g>"##,
        a = y,
        b = y + 4.0,
        c = y - 4.0
    );
    let notes = [
        format!("Outlines: {OUTLINES_CITATION}."),
        format!("Cities: {GEONAMES_CITATION}."),
        format!("Countries: {COUNTRIES_CITATION}. Launch sites: CNS North Korea Missile Test Database. U.S. sites: data/military_sites.csv."),
        if band.iter().any(|b| b.is_some()) {
            "Solid outline: the median (P50) draw's footprint; dashed outlines of the same colour: the P5 and P95 draws.".to_string()
        } else {
            String::new()
        },
    ];
    for (i, n) in notes.iter().enumerate() {
        let _ = write!(
            s,
            r##"<text x="20" y="{:.1}" font-size="9" fill="#555">{}</text>"##,
            y + 24.0 + 12.0 * i as f64,
            escape(n)
        );
    }
    s.push_str("</svg>\n");
    s
}

/// What to outline: each missile, or with more than four, each class at the
/// range of its longest missile.
fn layers(missiles: &[MissileReach]) -> Vec<(String, RangeModel, Option<usize>)> {
    if missiles.len() <= 4 {
        return missiles
            .iter()
            .enumerate()
            .map(|(i, m)| {
                (
                    format!("{} ({}), {:.0} km", m.name, m.class, m.range.max_km()),
                    m.range.clone(),
                    Some(i),
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
            ));
        }
    }
    out
}
