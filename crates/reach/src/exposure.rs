//! Exposure: the cities, military sites and countries inside the reach of a
//! set of missiles from a set of launch points, with population and U.S.
//! personnel totals, per country and per missile class.
//!
//! A place is in reach when its WGS84 geodesic distance from some launch point
//! is at most the range of some missile toward that place's azimuth. Population
//! in reach of a country is its GeoNames national total times the share of its
//! listed city population in reach (the population outside listed places is
//! assumed to live like the listed one); both figures are reported.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::geodesy::{inverse, lambert_km, sphere_azimuth, unit_vector, SPHERE_KM, SPHERE_MARGIN};
use crate::places::Places;
use crate::RangeModel;

/// A launch point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Launch {
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// A missile and the range model used for it.
#[derive(Debug, Clone, PartialEq)]
pub struct MissileReach {
    pub id: String,
    pub name: String,
    /// SRBM, MRBM, IRBM or ICBM.
    pub class: String,
    pub range: RangeModel,
    /// Where the range comes from (catalogue row and estimate, or a reconstruction).
    pub range_source: String,
}

/// A city in reach.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CityHit {
    /// Borrowed from the embedded places data: a hit costs no allocation.
    pub name: &'static str,
    pub country: &'static str,
    pub population: u64,
    pub lat: f64,
    pub lon: f64,
    /// WGS84 distance from the nearest launch point that reaches it, km
    /// (Andoyer-Lambert: within 0.03 km of the exact geodesic up to 13,000 km,
    /// 0.06 km up to 15,000 km).
    pub distance_km: f64,
    /// Range toward it from that launch point minus the distance, km.
    pub margin_km: f64,
    pub launch: String,
    /// The classes that reach it.
    pub classes: Vec<&'static str>,
}

/// A military site and whether it is in reach.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteHit {
    pub name: String,
    pub country: String,
    pub iso2: String,
    pub personnel: Option<u64>,
    pub personnel_source: String,
    pub personnel_year: String,
    pub lat: f64,
    pub lon: f64,
    /// Geodesic distance from the nearest launch point that reaches it (or
    /// from the nearest launch point when none does), km.
    pub distance_km: f64,
    /// Range toward it minus the distance, km (negative: out of reach by that much).
    pub margin_km: f64,
    pub launch: String,
    pub classes: Vec<&'static str>,
}

/// Totals for one country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryHit {
    pub iso2: String,
    pub name: String,
    pub cities_in_reach: usize,
    pub city_population_in_reach: u64,
    pub city_population_listed: u64,
    /// National population (GeoNames) times the share of listed city population in reach.
    pub population_in_reach: u64,
    pub population_total: u64,
    /// The sourced U.S. personnel figure for the country, if any.
    pub us_personnel_total: Option<u64>,
    pub us_personnel_source: Option<String>,
    /// U.S. personnel in reach, by area (a host country, or Hawaii, Alaska,
    /// Guam): the area's figure when every located site of it is in reach;
    /// otherwise the sum of sourced per-site figures in reach (a lower bound).
    pub us_personnel_in_reach: Option<u64>,
    /// Whether `us_personnel_in_reach` is a lower bound (an area partly in
    /// reach, or sites in reach without a sourced figure).
    pub us_personnel_lower_bound: bool,
    pub us_sites_in_reach: usize,
    pub us_sites_located: usize,
    /// population_in_reach per class that reaches the country.
    pub by_class: BTreeMap<String, u64>,
}

/// Totals for one class.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClassTotals {
    pub population: u64,
    pub us_personnel: u64,
    pub countries: usize,
    pub cities: usize,
}

/// The answer to an exposure query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exposure {
    /// Cities in reach, most populous first (ties by name): every one, or the
    /// first ones when the query asked for a listing ([`exposure_listing`]).
    pub cities: Vec<CityHit>,
    /// How many cities are in reach, listed or not.
    pub cities_in_reach: usize,
    /// Every city in reach, listed or not, as indices into `places.cities`
    /// in ascending order (for membership: [`Exposure::reaches_city`]).
    #[serde(skip)]
    pub in_reach: Vec<u32>,
    /// Every located site, in reach or not (`classes` empty when not).
    pub sites: Vec<SiteHit>,
    /// Countries with a city or site in reach, most exposed first.
    pub countries: Vec<CountryHit>,
    pub population: u64,
    pub us_personnel: u64,
    /// Whether `us_personnel` is a lower bound (see [`CountryHit`]).
    pub us_personnel_lower_bound: bool,
    pub by_class: BTreeMap<String, ClassTotals>,
    /// Sites the data cannot place (no coordinates).
    pub unplaced_sites: Vec<String>,
}

/// One launch point and the envelope of one class's ranges from it.
struct Envelope<'a> {
    launch: &'a Launch,
    unit: [f64; 3],
    class: usize,
    /// each missile's range from this launch point
    range: Vec<std::borrow::Cow<'a, RangeModel>>,
    max_km: f64,
    /// cosines of the central angles inside which a place is surely in, and
    /// beyond which surely out (the sphere-ellipsoid margin included)
    cos_in: f64,
    cos_out: f64,
    /// For ranges that vary by azimuth: the largest change of range over one
    /// degree of azimuth, km (the spherical azimuth differs from the
    /// ellipsoid's by well under a degree); None for constant ranges.
    slack_per_deg: Option<f64>,
}

fn cos_of_km(km: f64) -> f64 {
    let a = km / SPHERE_KM;
    if a >= std::f64::consts::PI {
        -1.0
    } else {
        a.cos()
    }
}

impl Envelope<'_> {
    fn range_at(&self, az: f64) -> f64 {
        self.range.iter().map(|r| r.at(az)).fold(0.0, f64::max)
    }

    fn dot(&self, unit: &[f64; 3]) -> f64 {
        self.unit[0] * unit[0] + self.unit[1] * unit[1] + self.unit[2] * unit[2]
    }

    /// Whether a place is in reach: a dot product decides the clear cases,
    /// the WGS84 geodesic the rest.
    fn reaches(&self, unit: &[f64; 3], lat: f64, lon: f64) -> bool {
        let dot = self.dot(unit);
        if dot < self.cos_out {
            return false;
        }
        if dot > self.cos_in {
            return true;
        }
        // a range by azimuth: the sphere decides all but the places near the
        // edge toward their own azimuth (distance within the sphere margin,
        // azimuth within a degree)
        if let Some(slack) = self.slack_per_deg {
            let d = crate::geodesy::sphere_km(&self.unit, unit);
            let r = self.range_at(sphere_azimuth(self.launch.lat, self.launch.lon, lat, lon));
            if d < r * (1.0 - SPHERE_MARGIN) - slack {
                return true;
            }
            if d > r * (1.0 + SPHERE_MARGIN) + slack {
                return false;
            }
        }
        let (g, az) = inverse(self.launch.lat, self.launch.lon, lat, lon);
        g <= self.range_at(az)
    }
}

/// Adds one country's run of totals into the map.
fn merge<'a>(
    per_country: &mut BTreeMap<&'a str, (usize, u64, Vec<u64>)>,
    (k, t): (&'a str, (usize, u64, Vec<u64>)),
) {
    let e = per_country.entry(k).or_insert((0, 0, vec![0; t.2.len()]));
    e.0 += t.0;
    e.1 += t.1;
    for (a, b) in e.2.iter_mut().zip(&t.2) {
        *a += b;
    }
}

impl Exposure {
    /// Whether the city at index `i` of `places.cities` is in reach.
    pub fn reaches_city(&self, i: usize) -> bool {
        u32::try_from(i).is_ok_and(|i| self.in_reach.binary_search(&i).is_ok())
    }
}

/// Runs an exposure query over every place, listing every city in reach.
pub fn exposure(places: &Places, launches: &[Launch], missiles: &[MissileReach]) -> Exposure {
    exposure_where(places, launches, missiles, |_| true)
}

/// Runs an exposure query over the places that `keep` selects (countries and
/// populations are then counted over those places only), listing every city
/// in reach.
pub fn exposure_where(
    places: &Places,
    launches: &[Launch],
    missiles: &[MissileReach],
    keep: impl Fn(&crate::City) -> bool,
) -> Exposure {
    exposure_listing(places, launches, missiles, keep, usize::MAX)
}

/// Runs an exposure query and lists only the `list` most populous cities in
/// reach; the totals, the counts and [`Exposure::reaches_city`] still cover
/// every city. A listed city's record (its distance on the ellipsoid, its
/// margin, its launch point and classes) is what costs: a Hwasong-12 from
/// Pyongyang has 16,251 cities in reach, and a web page lists 100. The
/// listed ones are chosen by a partial selection, not a full sort.
pub fn exposure_listing(
    places: &Places,
    launches: &[Launch],
    missiles: &[MissileReach],
    keep: impl Fn(&crate::City) -> bool,
    list: usize,
) -> Exposure {
    let mut classes: Vec<String> = missiles.iter().map(|m| m.class.clone()).collect();
    classes.sort_by_key(|c| class_order(c));
    classes.dedup();
    let mut envelopes = Vec::new();
    for l in launches {
        for (ci, c) in classes.iter().enumerate() {
            let range: Vec<std::borrow::Cow<RangeModel>> = missiles
                .iter()
                .filter(|m| &m.class == c)
                .map(|m| m.range.for_launch(l.lat))
                .collect();
            let max_km = range.iter().map(|r| r.max_km()).fold(0.0, f64::max);
            let min_km = range.iter().map(|r| r.min_km()).fold(0.0, f64::max);
            let slack_per_deg = range.iter().any(|r| r.varies_by_azimuth()).then(|| {
                range
                    .iter()
                    .map(|r| {
                        (0..360)
                            .map(|a| (r.at(a as f64 + 1.0) - r.at(a as f64)).abs())
                            .fold(0.0, f64::max)
                    })
                    .fold(0.0, f64::max)
            });
            envelopes.push(Envelope {
                launch: l,
                unit: unit_vector(l.lat, l.lon),
                class: ci,
                range,
                max_km,
                cos_in: cos_of_km(min_km * (1.0 - SPHERE_MARGIN)),
                cos_out: cos_of_km(max_km * (1.0 + SPHERE_MARGIN)),
                slack_per_deg,
            });
        }
    }
    // longest reach first: most places are decided by the first envelope that covers them
    envelopes.sort_by(|a, b| b.max_km.total_cmp(&a.max_km));
    // One cap around the launch points that holds every envelope's outer
    // circle: a place outside it is out of every envelope after one dot
    // product (with dozens of facilities and a short-range missile, most of
    // the world was otherwise tested against each envelope in turn). By the
    // triangle inequality on the sphere, a place farther from the centre than
    // (centre to launch point + outer radius) for every envelope is outside
    // each; the cap is widened by a microradian against rounding.
    let (cap_centre, cap_cos) = {
        let c = envelopes.iter().fold([0.0f64; 3], |c, e| {
            [c[0] + e.unit[0], c[1] + e.unit[1], c[2] + e.unit[2]]
        });
        let norm = (c[0] * c[0] + c[1] * c[1] + c[2] * c[2]).sqrt();
        if norm < 1e-9 {
            (c, -2.0)
        } else {
            let c = [c[0] / norm, c[1] / norm, c[2] / norm];
            let radius = envelopes
                .iter()
                .map(|e| {
                    let to_launch = e.dot(&c).clamp(-1.0, 1.0).acos();
                    to_launch + e.cos_out.clamp(-1.0, 1.0).acos()
                })
                .fold(0.0, f64::max)
                + 1e-6;
            if radius >= std::f64::consts::PI {
                (c, -2.0)
            } else {
                (c, radius.cos())
            }
        }
    };

    // Whether any range from a launch point depends on azimuth: when none does
    // (catalogue ranges), the azimuth toward each place is not needed.
    let by_azimuth: Vec<bool> = launches
        .iter()
        .map(|l| {
            envelopes
                .iter()
                .any(|e| std::ptr::eq(e.launch, l) && e.range.iter().any(|r| r.varies_by_azimuth()))
        })
        .collect();
    let class_names: Vec<&'static str> = classes.iter().map(|c| static_class(c)).collect();
    let bits_to_classes = |bits: u64| -> Vec<usize> {
        (0..classes.len())
            .filter(|&i| bits & (1 << i) != 0)
            .collect()
    };

    // (classes reached as bits, the nearest reaching launch point's index)
    let reached_by = |unit: &[f64; 3], lat: f64, lon: f64| -> Option<(u64, usize)> {
        // classes reached, as bits (at most a handful of classes)
        let mut reached = 0u64;
        // the nearest reaching launch point: largest dot product
        let mut best: Option<(f64, &Launch)> = None;
        for e in &envelopes {
            if reached & (1 << e.class) != 0 {
                continue;
            }
            if e.reaches(unit, lat, lon) {
                reached |= 1 << e.class;
                let d = e.dot(unit);
                if best.is_none_or(|(bd, _)| d > bd) {
                    best = Some((d, e.launch));
                }
            }
        }
        let (_, l) = best?;
        let li = launches
            .iter()
            .position(|x| std::ptr::eq(x, l))
            .unwrap_or(0);
        Some((reached, li))
    };
    // (distance, margin) from launch point `li`
    let measure = |li: usize, lat: f64, lon: f64, exact: bool| -> (f64, f64) {
        let l = &launches[li];
        let (g, az) = if exact {
            inverse(l.lat, l.lon, lat, lon)
        } else if by_azimuth[li] {
            (
                lambert_km(l.lat, l.lon, lat, lon),
                sphere_azimuth(l.lat, l.lon, lat, lon),
            )
        } else {
            (lambert_km(l.lat, l.lon, lat, lon), 0.0)
        };
        let reach_here = envelopes
            .iter()
            .filter(|e| std::ptr::eq(e.launch, l))
            .map(|e| e.range_at(az))
            .fold(0.0, f64::max);
        (g, reach_here - g)
    };
    // (classes reached as bits, distance, margin, launch index)
    type Hit = (u64, f64, f64, usize);
    let hit = |unit: &[f64; 3], lat: f64, lon: f64, exact: bool| -> Option<Hit> {
        let (bits, li) = reached_by(unit, lat, lon)?;
        let (g, margin) = measure(li, lat, lon, exact);
        Some((bits, g, margin, li))
    };

    // (index into places.cities, classes reached as bits, launch index)
    let mut hits: Vec<(u32, u64, usize)> = Vec::new();
    let mut class_cities = vec![0usize; classes.len()];
    // The places come grouped by country, so the totals are kept for the
    // current run of one country and merged into the map when it changes
    // (correct whatever the order; fast for the usual one).
    type Tally = (usize, u64, Vec<u64>);
    let mut per_country: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut run: Option<(&str, Tally)> = None;
    for i in 0..places.cities.len() {
        // the cheap test first, on the packed unit vectors: out of every
        // envelope; the city's record is read only for those that pass
        let unit = &places.cities.unit(i);
        let from_centre =
            unit[0] * cap_centre[0] + unit[1] * cap_centre[1] + unit[2] * cap_centre[2];
        if from_centre < cap_cos || envelopes.iter().all(|e| e.dot(unit) < e.cos_out) {
            continue;
        }
        let Some(c) = places.cities.get(i) else {
            continue;
        };
        if !keep(&c) {
            continue;
        }
        let Ok(index) = u32::try_from(i) else {
            continue;
        };
        if let Some((bits, li)) = reached_by(unit, c.lat, c.lon) {
            if run.as_ref().is_some_and(|(k, _)| *k != c.country) {
                if let Some(r) = run.take() {
                    merge(&mut per_country, r);
                }
            }
            let e = &mut run
                .get_or_insert_with(|| (c.country, (0, 0, vec![0; classes.len()])))
                .1;
            e.0 += 1;
            e.1 += c.population;
            for (k, n) in class_cities.iter_mut().enumerate() {
                if bits & (1 << k) != 0 {
                    e.2[k] += c.population;
                    *n += 1;
                }
            }
            hits.push((index, bits, li));
        }
    }
    if let Some(r) = run.take() {
        merge(&mut per_country, r);
    }
    let in_reach: Vec<u32> = hits.iter().map(|h| h.0).collect();
    let cities_in_reach = hits.len();
    // most populous first, ties by name: the listed ones by a partial
    // selection, then in order
    let cmp = |a: &(u32, u64, usize), b: &(u32, u64, usize)| {
        let (a, b) = (a.0 as usize, b.0 as usize);
        places
            .cities
            .population(b)
            .cmp(&places.cities.population(a))
            .then_with(|| places.cities.name(a).cmp(places.cities.name(b)))
            .then(a.cmp(&b))
    };
    let n = list.min(hits.len());
    if n > 0 && n < hits.len() {
        hits.select_nth_unstable_by(n - 1, cmp);
        hits.truncate(n);
    }
    hits.sort_unstable_by(cmp);
    let cities: Vec<CityHit> = hits
        .iter()
        .take(n)
        .map(|&(i, bits, li)| {
            let i = i as usize;
            let (lat, lon) = (places.cities.lat(i), places.cities.lon(i));
            let (distance_km, margin_km) = measure(li, lat, lon, false);
            CityHit {
                name: places.cities.name(i),
                country: places.cities.country(i),
                population: places.cities.population(i),
                lat,
                lon,
                distance_km,
                margin_km,
                launch: launches[li].id.clone(),
                classes: class_names
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| bits & (1 << k) != 0)
                    .map(|(_, name)| *name)
                    .collect(),
            }
        })
        .collect();

    let mut sites = Vec::new();
    let mut unplaced_sites = Vec::new();
    for s in &places.sites {
        let (Some(lat), Some(lon)) = (s.lat, s.lon) else {
            unplaced_sites.push(s.name.clone());
            continue;
        };
        let unit = unit_vector(lat, lon);
        let (cls, d, margin, li) = match hit(&unit, lat, lon, true) {
            Some((bits, d, margin, li)) => (bits_to_classes(bits), d, margin, Some(li)),
            None => {
                // out of reach: the best margin over launch points (negative),
                // chosen on the sphere, measured on the ellipsoid
                let best = envelopes
                    .iter()
                    .map(|e| {
                        let d = crate::geodesy::sphere_km(&e.unit, &unit);
                        (
                            e,
                            e.range_at(sphere_azimuth(e.launch.lat, e.launch.lon, lat, lon)) - d,
                        )
                    })
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(e, _)| {
                        let (g, az) = inverse(e.launch.lat, e.launch.lon, lat, lon);
                        (e.launch, g, e.range_at(az) - g)
                    });
                match best {
                    Some((l, g, m)) => (
                        vec![],
                        g,
                        m,
                        launches.iter().position(|x| std::ptr::eq(x, l)),
                    ),
                    None => (vec![], f64::NAN, f64::NAN, None),
                }
            }
        };
        sites.push(SiteHit {
            name: s.name.clone(),
            country: s.country.clone(),
            iso2: s.iso2.clone(),
            personnel: s.personnel,
            personnel_source: if s.personnel.is_some() {
                s.personnel_source.clone()
            } else {
                "no sourced figure".into()
            },
            personnel_year: s.personnel_year.clone(),
            lat,
            lon,
            distance_km: d,
            margin_km: margin,
            launch: li.map(|i| launches[i].id.clone()).unwrap_or_default(),
            classes: cls.iter().map(|&k| static_class(&classes[k])).collect(),
        });
    }

    // listed city population per country (the denominator of the share)
    let listed = places.listed_population();
    let mut iso_with_sites: Vec<&str> = sites
        .iter()
        .filter(|s| !s.classes.is_empty())
        .map(|s| s.iso2.as_str())
        .collect();
    iso_with_sites.sort();
    iso_with_sites.dedup();
    let mut isos: Vec<&str> = per_country.keys().copied().collect();
    for i in iso_with_sites {
        if !isos.contains(&i) {
            isos.push(i);
        }
    }
    let mut countries = Vec::new();
    let mut by_class: BTreeMap<String, ClassTotals> = classes
        .iter()
        .map(|c| (c.clone(), ClassTotals::default()))
        .collect();
    for iso in isos {
        let (n, pop_in, per_class) =
            per_country
                .get(iso)
                .cloned()
                .unwrap_or((0, 0, vec![0; classes.len()]));
        let listed_pop = listed.get(iso).copied().unwrap_or(0);
        let country = places.country(iso);
        let total = country.map_or(listed_pop, |c| c.population);
        let scale = |p: u64| {
            if listed_pop > 0 {
                (total as f64 * p as f64 / listed_pop as f64).round() as u64
            } else {
                0
            }
        };
        let located: Vec<&SiteHit> = sites.iter().filter(|s| s.iso2 == iso).collect();
        let in_reach: Vec<&SiteHit> = located
            .iter()
            .copied()
            .filter(|s| !s.classes.is_empty())
            .collect();
        // U.S. personnel by area (a host country, or Hawaii, Alaska, Guam): the
        // area's sourced figure when every located site of it is in reach,
        // else the sourced per-site figures in reach (a lower bound)
        let mut areas: Vec<&str> = located.iter().map(|s| s.country.as_str()).collect();
        areas.sort_unstable();
        areas.dedup();
        let figures: Vec<&crate::PersonnelTotal> = areas
            .iter()
            .filter_map(|a| places.us_personnel_area(iso, a))
            .collect();
        // (personnel, whether it is a lower bound)
        let us_in = |sites_in: &[&SiteHit]| -> Option<(u64, bool)> {
            if located.is_empty() {
                return None;
            }
            let mut total = 0u64;
            let mut lower = false;
            let mut any = false;
            for a in &areas {
                let here: Vec<&&SiteHit> = located.iter().filter(|s| s.country == *a).collect();
                let hit: Vec<&&SiteHit> = sites_in.iter().filter(|s| s.country == *a).collect();
                if hit.is_empty() {
                    continue;
                }
                match places.us_personnel_area(iso, a) {
                    Some(f) if hit.len() == here.len() => {
                        total += f.personnel;
                        any = true;
                    }
                    _ => {
                        let sourced: Vec<u64> = hit.iter().filter_map(|s| s.personnel).collect();
                        if !sourced.is_empty() {
                            any = true;
                        }
                        total += sourced.iter().sum::<u64>();
                        lower = true;
                    }
                }
            }
            if !any && !sites_in.is_empty() {
                return None;
            }
            Some((total, lower))
        };
        let in_reach_personnel = us_in(&in_reach);
        let us_personnel_in_reach = in_reach_personnel.map(|x| x.0);
        // a lower bound: a partial area, or sites in reach whose area has no figure
        let us_personnel_lower_bound = match in_reach_personnel {
            Some((_, lower)) => lower,
            None => !in_reach.is_empty(),
        };
        let mut class_pop = BTreeMap::new();
        for (k, c) in classes.iter().enumerate() {
            let sites_k: Vec<&SiteHit> = in_reach
                .iter()
                .copied()
                .filter(|s| s.classes.contains(&static_class(c)))
                .collect();
            let p = scale(per_class[k]);
            let t = by_class.entry(c.clone()).or_default();
            if p > 0 || !sites_k.is_empty() {
                t.countries += 1;
                class_pop.insert(c.clone(), p);
            }
            t.population += p;
            t.us_personnel += us_in(&sites_k).map_or(0, |x| x.0);
        }
        countries.push(CountryHit {
            iso2: iso.to_string(),
            name: country.map_or_else(|| iso.to_string(), |c| c.name.clone()),
            cities_in_reach: n,
            city_population_in_reach: pop_in,
            city_population_listed: listed_pop,
            population_in_reach: scale(pop_in),
            population_total: total,
            us_personnel_total: (!figures.is_empty())
                .then(|| figures.iter().map(|f| f.personnel).sum()),
            us_personnel_source: (!figures.is_empty()).then(|| {
                figures
                    .iter()
                    .map(|f| format!("{}: {} ({}, {})", f.country, f.source, f.basis, f.year))
                    .collect::<Vec<_>>()
                    .join("; ")
            }),
            us_personnel_in_reach,
            us_personnel_lower_bound,
            us_sites_in_reach: in_reach.len(),
            us_sites_located: located.len(),
            by_class: class_pop,
        });
    }
    for (k, c) in classes.iter().enumerate() {
        if let Some(t) = by_class.get_mut(c) {
            t.cities += class_cities[k];
        }
    }
    countries.sort_by(|a, b| {
        b.population_in_reach
            .cmp(&a.population_in_reach)
            .then(a.iso2.cmp(&b.iso2))
    });
    let population = countries.iter().map(|c| c.population_in_reach).sum();
    let us_personnel = countries
        .iter()
        .filter_map(|c| c.us_personnel_in_reach)
        .sum();
    let us_personnel_lower_bound = countries.iter().any(|c| c.us_personnel_lower_bound);
    Exposure {
        cities,
        cities_in_reach,
        in_reach,
        sites,
        countries,
        population,
        us_personnel,
        us_personnel_lower_bound,
        by_class,
        unplaced_sites,
    }
}

/// The class names as static strings (anything unknown is "other").
pub fn static_class(c: &str) -> &'static str {
    crate::CLASSES
        .iter()
        .find(|x| **x == c)
        .copied()
        .unwrap_or("other")
}

/// SRBM < MRBM < IRBM < ICBM; anything else after.
pub fn class_order(c: &str) -> usize {
    crate::CLASSES
        .iter()
        .position(|x| *x == c)
        .unwrap_or(crate::CLASSES.len())
}
