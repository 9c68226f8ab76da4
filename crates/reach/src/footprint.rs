//! Footprints: the area a missile reaches from a launch point, as a polygon
//! on the WGS84 ellipsoid, and as GeoJSON that survives the antimeridian and
//! the poles (RFC 7946: rings closed, exteriors counter-clockwise, longitudes
//! within -180..180, split at the antimeridian).
//!
//! Method: a vertex every `step` degrees of azimuth, each by a geodesic
//! "direct" problem at that azimuth's range. The longitudes are unwrapped to be
//! continuous; a ring whose longitudes turn a full circle encloses a pole and is
//! closed along that pole's parallel; the result is clipped into 360-degree
//! strips and each strip shifted back into -180..180.

use serde_json::{json, Value};

use crate::geodesy::direct;
use crate::RangeModel;

/// Vertices of the footprint (lat, lon) in azimuth order, one every `step_deg`.
pub fn ring(lat: f64, lon: f64, range: &RangeModel, step_deg: f64) -> Vec<(f64, f64)> {
    let n = (360.0 / step_deg).round().max(8.0) as usize;
    (0..n)
        .map(|i| vertex(lat, lon, range, i as f64 * 360.0 / n as f64))
        .collect()
}

/// The footprint's edge toward azimuth `az`: (lat, lon).
fn vertex(lat: f64, lon: f64, range: &RangeModel, az: f64) -> (f64, f64) {
    direct(lat, lon, az, range.at(az).min(range.cap_km()))
}

/// The ring with extra vertices wherever two neighbours are more than 45
/// degrees of longitude apart (near a pole a few degrees of azimuth can swing
/// the longitude by more than 180, and unwrapping would then guess the wrong
/// way round).
fn dense_ring(lat: f64, lon: f64, range: &RangeModel, step_deg: f64) -> Vec<(f64, f64)> {
    let n = (360.0 / step_deg).round().max(8.0) as usize;
    let at = |az: f64| vertex(lat, lon, range, az);
    let apart = |a: (f64, f64), b: (f64, f64)| {
        let d = (b.1 - a.1).rem_euclid(360.0);
        d.min(360.0 - d) > 45.0
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (a0, a1) = (
            i as f64 * 360.0 / n as f64,
            (i + 1) as f64 * 360.0 / n as f64,
        );
        let (p0, p1) = (at(a0), at(a1));
        out.push(p0);
        // bisect the interval until neighbours are close in longitude (at most
        // 2^12 pieces: a pole passed within metres)
        let mut stack = vec![(a0, p0, a1, p1, 0u32)];
        let mut extra = Vec::new();
        while let Some((x0, q0, x1, q1, depth)) = stack.pop() {
            if depth >= 12 || !apart(q0, q1) {
                continue;
            }
            let xm = 0.5 * (x0 + x1);
            let qm = at(xm);
            extra.push((xm, qm));
            stack.push((x0, q0, xm, qm, depth + 1));
            stack.push((xm, qm, x1, q1, depth + 1));
        }
        extra.sort_by(|a, b| a.0.total_cmp(&b.0));
        out.extend(extra.into_iter().map(|(_, q)| q));
    }
    out
}

/// Polygons (each a list of rings of [lon, lat]) for GeoJSON, split at the
/// antimeridian and closed around an enclosed pole.
pub fn polygons(lat: f64, lon: f64, range: &RangeModel, step_deg: f64) -> Vec<Vec<Vec<[f64; 2]>>> {
    if range.max_km() >= range.cap_km() * 0.999 {
        // reaches every point: the whole world
        return vec![vec![vec![
            [-180.0, -90.0],
            [180.0, -90.0],
            [180.0, 90.0],
            [-180.0, 90.0],
            [-180.0, -90.0],
        ]]];
    }
    let pts = dense_ring(lat, lon, range, step_deg);
    // unwrap longitudes
    let mut unwrapped: Vec<[f64; 2]> = Vec::with_capacity(pts.len() + 4);
    let mut prev = pts[0].1;
    let mut offset = 0.0;
    for &(la, lo) in &pts {
        let d = lo - prev;
        if d > 180.0 {
            offset -= 360.0;
        } else if d < -180.0 {
            offset += 360.0;
        }
        prev = lo;
        unwrapped.push([lo + offset, la]);
    }
    // closing segment back to the start
    let first = unwrapped[0];
    let last = unwrapped[unwrapped.len() - 1];
    let mut close = first[0] - last[0];
    let mut turn: f64 = 0.0;
    while close > 180.0 {
        close -= 360.0;
        turn -= 360.0;
    }
    while close < -180.0 {
        close += 360.0;
        turn += 360.0;
    }
    // net change of longitude around the ring (the unwrapped deltas sum to
    // last - first; the normalised closing step adds first - last + turn)
    let winding = turn;
    let end_lon = last[0] + close;
    // Which side of the ring is reached is decided by the launch point, which
    // is always reached: beyond a hemisphere of range (or when the ring circles
    // a pole) the plane's "inside" of the ring can be the part not reached.
    let reached = |polys: &Vec<Vec<Vec<[f64; 2]>>>| contains(polys, lon, lat);
    if winding.abs() > 180.0 {
        // encloses a pole: the ring is closed along one pole's parallel; the
        // pole whose closure contains the launch point is the right one
        let first_pole = if winding < 0.0 { 90.0 } else { -90.0 };
        let out = strips(&closed_at_pole(&unwrapped, end_lon, first_pole));
        if reached(&out) {
            return out;
        }
        return strips(&closed_at_pole(&unwrapped, end_lon, -first_pole));
    }
    let mut ring = unwrapped;
    ring.push(ring[0]);
    let out = strips(&ring);
    if reached(&out) {
        out
    } else {
        complement(out)
    }
}

/// The ring closed along a pole's parallel (both poles lie outside a ring of
/// longitudes that turns a full circle, so one of them is added as an edge).
fn closed_at_pole(unwrapped: &[[f64; 2]], end_lon: f64, pole: f64) -> Vec<[f64; 2]> {
    let mut r = unwrapped.to_vec();
    let first = r[0];
    r.push([end_lon, pole]);
    r.push([first[0], pole]);
    r.push(first);
    r
}

/// Clips a closed ring in unwrapped longitudes into 360-degree strips and
/// shifts each back into -180..180 (exteriors counter-clockwise).
fn strips(unwrapped: &[[f64; 2]]) -> Vec<Vec<Vec<[f64; 2]>>> {
    let min = unwrapped.iter().map(|p| p[0]).fold(f64::INFINITY, f64::min);
    let max = unwrapped
        .iter()
        .map(|p| p[0])
        .fold(f64::NEG_INFINITY, f64::max);
    let mut out = Vec::new();
    let mut k = ((min + 180.0) / 360.0).floor() as i64;
    while (k as f64) * 360.0 - 180.0 < max {
        let lo = k as f64 * 360.0 - 180.0;
        let hi = lo + 360.0;
        let clipped = clip_x(&clip_x(unwrapped, lo, true), hi, false);
        if clipped.len() >= 4 {
            let shift = -(k as f64) * 360.0;
            let mut r: Vec<[f64; 2]> = clipped
                .iter()
                .map(|p| [(p[0] + shift).clamp(-180.0, 180.0), p[1]])
                .collect();
            if r.first() != r.last() {
                r.push(r[0]);
            }
            if signed_area(&r) < 0.0 {
                r.reverse();
            }
            if signed_area(&r).abs() > 1e-9 {
                out.push(vec![r]);
            }
        }
        k += 1;
    }
    out
}

/// The world minus the given pieces (the cap not reached, around the launch
/// point's antipode, when it holds no pole). A piece cut by the antimeridian
/// becomes a notch in the world's outline; a piece clear of it, a hole.
fn complement(pieces: Vec<Vec<Vec<[f64; 2]>>>) -> Vec<Vec<Vec<[f64; 2]>>> {
    const EDGE: f64 = 180.0 - 1e-9;
    let mut holes = Vec::new();
    let mut right: Vec<[f64; 2]> = Vec::new();
    let mut left: Vec<[f64; 2]> = Vec::new();
    for p in pieces {
        let mut r = p.into_iter().next().unwrap_or_default();
        r.pop(); // open the ring
        let on_edge = |q: &[f64; 2]| q[0].abs() >= EDGE;
        let Some(start) = (0..r.len()).find(|&i| on_edge(&r[i]) && !on_edge(&r[(i + 1) % r.len()]))
        else {
            // clear of the antimeridian: a hole, clockwise
            r.push(r[0]);
            if signed_area(&r) > 0.0 {
                r.reverse();
            }
            holes.push(r);
            continue;
        };
        // the curve from one edge point to the other, through the interior
        let mut path = vec![r[start]];
        let mut i = (start + 1) % r.len();
        while !on_edge(&r[i]) && i != start {
            path.push(r[i]);
            i = (i + 1) % r.len();
        }
        path.push(r[i]);
        let is_right = r[start][0] > 0.0;
        // the outline runs up the right edge and down the left one
        let rising = path[0][1] < path[path.len() - 1][1];
        if rising != is_right {
            path.reverse();
        }
        if is_right {
            right = path;
        } else {
            left = path;
        }
    }
    let mut outline = vec![[-180.0, -90.0], [180.0, -90.0]];
    outline.extend(right);
    outline.push([180.0, 90.0]);
    outline.push([-180.0, 90.0]);
    outline.extend(left);
    outline.push([-180.0, -90.0]);
    if signed_area(&outline) < 0.0 {
        outline.reverse();
    }
    let mut poly = vec![outline];
    poly.extend(holes);
    vec![poly]
}

/// Sutherland-Hodgman against a vertical line: keep x >= at (keep_right) or x <= at.
fn clip_x(poly: &[[f64; 2]], at: f64, keep_right: bool) -> Vec<[f64; 2]> {
    let inside = |p: &[f64; 2]| if keep_right { p[0] >= at } else { p[0] <= at };
    let mut out = Vec::with_capacity(poly.len());
    if poly.is_empty() {
        return out;
    }
    for i in 0..poly.len() {
        let cur = poly[i];
        let prev = poly[(i + poly.len() - 1) % poly.len()];
        let cross = |a: [f64; 2], b: [f64; 2]| {
            let t = (at - a[0]) / (b[0] - a[0]);
            [at, a[1] + t * (b[1] - a[1])]
        };
        match (inside(&prev), inside(&cur)) {
            (true, true) => out.push(cur),
            (true, false) => out.push(cross(prev, cur)),
            (false, true) => {
                out.push(cross(prev, cur));
                out.push(cur);
            }
            (false, false) => {}
        }
    }
    out
}

/// Shoelace area in the lon/lat plane (positive: counter-clockwise).
pub fn signed_area(r: &[[f64; 2]]) -> f64 {
    r.windows(2)
        .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
        .sum::<f64>()
        / 2.0
}

/// Ray-casting point-in-polygon test in the lon/lat plane: inside a
/// polygon's exterior ring and outside its holes.
pub fn contains(polys: &[Vec<Vec<[f64; 2]>>], lon: f64, lat: f64) -> bool {
    let in_ring = |r: &[[f64; 2]]| {
        let mut inside = false;
        for w in r.windows(2) {
            let (a, b) = (w[0], w[1]);
            if (a[1] > lat) != (b[1] > lat) {
                let x = a[0] + (lat - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
                if lon < x {
                    inside = !inside;
                }
            }
        }
        inside
    };
    polys.iter().any(|p| {
        p.first().is_some_and(|outer| in_ring(outer)) && !p[1..].iter().any(|h| in_ring(h))
    })
}

/// A GeoJSON Feature for one footprint.
pub fn feature(lat: f64, lon: f64, range: &RangeModel, step_deg: f64, properties: Value) -> Value {
    let polys = polygons(lat, lon, range, step_deg);
    let geometry = if polys.len() == 1 {
        json!({"type": "Polygon", "coordinates": polys[0]})
    } else {
        json!({"type": "MultiPolygon", "coordinates": polys})
    };
    json!({"type": "Feature", "geometry": geometry, "properties": properties})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_valid(polys: &[Vec<Vec<[f64; 2]>>]) {
        assert!(!polys.is_empty());
        for p in polys {
            let r = &p[0];
            assert!(r.len() >= 4);
            assert_eq!(r.first(), r.last(), "ring closed");
            assert!(signed_area(r) > 0.0, "counter-clockwise exterior");
            for q in r {
                assert!(
                    (-180.0..=180.0).contains(&q[0]) && (-90.0..=90.0).contains(&q[1]),
                    "{q:?}"
                );
            }
        }
    }

    #[test]
    fn a_small_footprint_is_one_polygon_around_its_centre() {
        let p = polygons(39.0, 125.7, &RangeModel::Constant(1_300.0), 1.0);
        check_valid(&p);
        assert_eq!(p.len(), 1);
        assert!(contains(&p, 125.7, 39.0));
        assert!(contains(&p, 126.99, 37.56)); // Seoul, about 200 km
        assert!(!contains(&p, 144.8, 13.5)); // Guam
    }

    #[test]
    fn a_footprint_across_the_antimeridian_is_split() {
        // from the Aleutians, 2,000 km: both sides of 180
        let p = polygons(52.0, 178.0, &RangeModel::Constant(2_000.0), 1.0);
        check_valid(&p);
        assert_eq!(p.len(), 2, "{}", p.len());
        assert!(contains(&p, 178.0, 52.0));
        assert!(contains(&p, -178.0, 52.0));
    }

    #[test]
    fn a_large_footprint_around_the_north_pole_contains_it() {
        // 5,900 km from Pyongyang crosses the pole (about 5,650 km away)
        let p = polygons(39.2, 125.7, &RangeModel::Constant(5_900.0), 1.0);
        check_valid(&p);
        assert!(contains(&p, 0.0, 89.9), "the pole");
        assert!(contains(&p, 125.7, 39.2), "the launch point");
        // Anchorage is 5,996.5 km away (GeographicLib)
        assert!(!contains(&p, -150.0, 61.2), "Anchorage");
        // a point just outside the ring on the far side of the pole
        assert!(!contains(&p, -60.0, 50.0));
        // 10,000 km: Anchorage and Seattle are in, Washington is not
        let p = polygons(39.2, 125.7, &RangeModel::Constant(10_000.0), 1.0);
        check_valid(&p);
        assert!(contains(&p, -149.9, 61.2) && contains(&p, -122.3, 47.6));
        assert!(!contains(&p, -77.0, 38.9));
    }

    #[test]
    fn a_southern_footprint_around_the_south_pole() {
        let p = polygons(-60.0, 20.0, &RangeModel::Constant(5_000.0), 1.0);
        check_valid(&p);
        assert!(contains(&p, 100.0, -89.9));
    }

    #[test]
    fn global_reach_is_the_whole_world() {
        let p = polygons(39.2, 125.7, &RangeModel::Constant(25_000.0), 1.0);
        check_valid(&p);
        assert!(contains(&p, -77.0, 38.9) && contains(&p, 0.0, -60.0));
    }
}

/// The point `km` from (lat, lon) toward azimuth `az` on the mean sphere.
fn sphere_direct(lat: f64, lon: f64, az: f64, km: f64) -> (f64, f64) {
    let (p1, l1, th) = (lat.to_radians(), lon.to_radians(), az.to_radians());
    let d = km / crate::geodesy::SPHERE_KM;
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * th.cos())
        .clamp(-1.0, 1.0)
        .asin();
    let l2 = l1 + (th.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    (
        p2.to_degrees(),
        (l2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0,
    )
}

/// The union of footprints from several launch points, as one range model
/// about `centre`: toward each whole degree of azimuth, the farthest point
/// that is still inside some launch point's footprint (`ranges[i]` is the
/// range model from `launches[i]`). Exact where the union is star-shaped
/// about the centre, which holds when every range is well beyond the launch
/// points' distance from the centre; None otherwise (draw each footprint).
/// Found by bisection on the mean sphere to 1 km (the sphere differs from the
/// ellipsoid by under 0.6 %: an outline, not a decision).
pub fn union_about(
    centre: (f64, f64),
    launches: &[(f64, f64)],
    ranges: &[std::borrow::Cow<RangeModel>],
) -> Option<RangeModel> {
    use crate::geodesy::{sphere_azimuth, sphere_km, unit_vector};
    let c = unit_vector(centre.0, centre.1);
    let spread = launches
        .iter()
        .map(|l| sphere_km(&c, &unit_vector(l.0, l.1)))
        .fold(0.0, f64::max);
    let shortest = ranges
        .iter()
        .map(|r| r.min_km())
        .fold(f64::INFINITY, f64::min);
    if launches.is_empty() || launches.len() != ranges.len() || shortest < 3.0 * spread {
        return None;
    }
    let cap = crate::GLOBAL_KM;
    let inside = |l: &(f64, f64), r: &RangeModel, p: (f64, f64)| {
        let d = sphere_km(&unit_vector(l.0, l.1), &unit_vector(p.0, p.1));
        d <= r.at(sphere_azimuth(l.0, l.1, p.0, p.1)).min(cap)
    };
    let table: Vec<f64> = (0..360)
        .map(|az| {
            let az = az as f64;
            launches
                .iter()
                .zip(ranges)
                .map(|(l, r)| {
                    if r.min_km() >= cap {
                        return cap;
                    }
                    let (mut lo, mut hi) = (0.0, (r.max_km() + spread).min(cap));
                    if inside(l, r, sphere_direct(centre.0, centre.1, az, hi)) {
                        return hi;
                    }
                    while hi - lo > 1.0 {
                        let mid = 0.5 * (lo + hi);
                        if inside(l, r, sphere_direct(centre.0, centre.1, az, mid)) {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    lo
                })
                .fold(0.0, f64::max)
        })
        .collect();
    Some(RangeModel::ByAzimuth(table))
}

#[cfg(test)]
mod union_tests {
    use super::*;

    #[test]
    fn the_union_of_circles_reaches_as_far_as_the_farthest_launch_point_toward_each_side() {
        // two launch points 200 km apart east-west, 2,000 km circles
        let a = (40.0, 125.0);
        let b = sphere_direct(40.0, 125.0, 90.0, 200.0);
        let centre = sphere_direct(40.0, 125.0, 90.0, 100.0);
        let r = RangeModel::Constant(2_000.0);
        let ranges = [
            std::borrow::Cow::Borrowed(&r),
            std::borrow::Cow::Borrowed(&r),
        ];
        let u = union_about(centre, &[a, b], &ranges).expect("star-shaped");
        // due east and due west: 100 km beyond the circle about the centre
        assert!((u.at(90.0) - 2_100.0).abs() < 3.0, "{}", u.at(90.0));
        assert!((u.at(270.0) - 2_100.0).abs() < 3.0, "{}", u.at(270.0));
        // due north: both circles stop a little short of 2,000 km from the
        // centre (about sqrt(2000^2 - 100^2) = 1,997.5 km in the plane)
        assert!(u.at(0.0) > 1_995.0 && u.at(0.0) < 2_000.0, "{}", u.at(0.0));
        // short ranges against the spread: no union
        let s = RangeModel::Constant(250.0);
        let short = [
            std::borrow::Cow::Borrowed(&s),
            std::borrow::Cow::Borrowed(&s),
        ];
        assert!(union_about(centre, &[a, b], &short).is_none());
    }
}
