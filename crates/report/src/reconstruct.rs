//! `reconstruct`: from a test's observables to the missile's range, as a
//! typed document with every assumption and source, and its text and
//! Markdown views.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

use catalog::{Catalog, FlightOptions, Missile, MissileClass};
use flight::{
    percentile, reconstruct, sample, FlightError, GeoPoint, Model, Observables, Plan,
    SampleSettings, Spread, TestGeometry,
};
use serde::Serialize;
use serde_json::{json, Value};

use crate::request::{resolve_site, FieldNames, ResolvedSite, Site};
use crate::{round, Error, Progress};

/// The uncertainty of a reported flight time when none is stated, s.
pub const DEFAULT_FLIGHT_TIME_SIGMA_S: f64 = flight::DEFAULT_FLIGHT_TIME_SIGMA_S;

/// The ranges for which a reconstruction reports the payload that brings the
/// standard range down to them, km.
pub const PAYLOAD_FOR_RANGES_KM: [f64; 3] = [15_000.0, 13_000.0, 11_000.0];

/// Monte Carlo draws one request may ask for.
pub const MAX_SAMPLES: usize = 200_000;

/// A reconstruction as asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ReconstructRequest {
    /// Reported apogee, km above the surface.
    pub apogee_km: f64,
    /// Reported ground range, km.
    pub range_km: f64,
    /// Reported flight time, s.
    pub flight_time_s: Option<f64>,
    /// Its uncertainty (one standard deviation), s; default 75.
    pub flight_time_sigma_s: Option<f64>,
    /// Launch point: with it the test is fitted on the rotating Earth.
    pub from: Option<Site>,
    /// Bearing of the test, degrees clockwise from north (default 90).
    pub bearing_deg: Option<f64>,
    /// Catalogue id of the missile; without it the class is guessed from the apogee.
    pub missile: Option<String>,
    /// A payload to fly the fitted rocket with too, kg.
    pub payload_kg: Option<f64>,
    /// A target (lat, lon) in degrees.
    pub toward: Option<(f64, f64)>,
    pub samples: usize,
    pub seed: u64,
    pub j2: bool,
    pub vacuum: bool,
    /// How errors name the fields.
    pub names: FieldNames,
}

impl ReconstructRequest {
    /// A request with the observables and every option at its default.
    pub fn new(apogee_km: f64, range_km: f64) -> ReconstructRequest {
        ReconstructRequest {
            apogee_km,
            range_km,
            flight_time_s: None,
            flight_time_sigma_s: None,
            from: None,
            bearing_deg: None,
            missile: None,
            payload_kg: None,
            toward: None,
            samples: 0,
            seed: 1,
            j2: false,
            vacuum: false,
            names: FieldNames::Flags,
        }
    }

    fn check(&self) -> Result<(), Error> {
        let n = |f: &str| self.names.of(f);
        let bad = |f: &str, m: String| Error::invalid(format!("{}: {m}", n(f)));
        crate::request::positive(self.apogee_km).map_err(|m| bad("apogee_km", m))?;
        crate::request::positive(self.range_km).map_err(|m| bad("range_km", m))?;
        if let Some(t) = self.flight_time_s {
            crate::request::positive(t).map_err(|m| bad("flight_time_s", m))?;
        }
        if let Some(t) = self.flight_time_sigma_s {
            crate::request::positive(t).map_err(|m| bad("flight_time_sigma_s", m))?;
            if self.flight_time_s.is_none() {
                return Err(Error::invalid(format!(
                    "{} needs {}",
                    n("flight_time_sigma_s"),
                    n("flight_time_s")
                )));
            }
        }
        if let Some(p) = self.payload_kg {
            crate::request::positive(p).map_err(|m| bad("payload_kg", m))?;
        }
        if let Some(b) = self.bearing_deg {
            crate::request::nonneg(b).map_err(|m| bad("bearing", m))?;
            if b >= 360.0 {
                return Err(Error::invalid(format!(
                    "{} {b}: must be below 360 degrees",
                    n("bearing")
                )));
            }
        }
        if let Some((lat, lon)) = self.toward {
            crate::request::latlon(lat, lon).map_err(|m| bad("toward", m))?;
        }
        if self.samples > MAX_SAMPLES {
            return Err(Error::invalid(format!(
                "{} {}: at most {MAX_SAMPLES} draws",
                n("samples"),
                self.samples
            )));
        }
        Ok(())
    }
}

/// The launch point or target of a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlaceDoc {
    pub id: Option<String>,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputDoc {
    pub apogee_km: f64,
    pub range_km: f64,
    pub flight_time_s: Option<f64>,
    pub from: Option<PlaceDoc>,
    pub bearing_deg: f64,
    pub payload_kg: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissileDoc {
    pub id: String,
    pub name: String,
    pub class: &'static str,
    pub catalogue_range_km: [f64; 2],
    pub catalogue_source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResidualsDoc {
    pub apogee: f64,
    pub ground_range: f64,
    pub flight_time: Option<f64>,
}

/// How the reported flight time entered the fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlightTimeDoc {
    pub reported_s: f64,
    pub sigma_s: f64,
    pub fitted_s: f64,
    /// Fitted minus reported, s, and in standard deviations.
    pub residual_s: f64,
    pub residual_sigmas: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitDoc {
    pub apogee_km: f64,
    pub ground_range_km: f64,
    pub flight_time_s: f64,
    pub residual_pct: ResidualsDoc,
    pub dv_scale: f64,
    pub burn_scale: f64,
    pub ideal_delta_v_km_s: f64,
    pub pitch_deg: f64,
    pub evaluations: usize,
    /// The reported flight time as a soft constraint (null without one).
    pub flight_time: Option<FlightTimeDoc>,
    /// Whether the burn-time scale sits on a bound of its allowed range.
    pub burn_scale_at_bound: bool,
    /// Lift-off thrust-to-weight of the fitted rocket, and its engine class's band.
    pub liftoff_thrust_to_weight: f64,
    pub thrust_to_weight_band: [f64; 2],
    pub propulsion: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BurnoutDoc {
    pub speed_km_s: f64,
    pub inertial_speed_km_s: f64,
    pub flight_path_angle_deg: f64,
    pub altitude_km: f64,
    pub time_s: f64,
    pub downrange_km: f64,
    /// Inertial speed as a fraction of the circular orbital speed at the
    /// burnout altitude (1 or more: the payload is in orbit or leaving).
    pub circular_speed_fraction: f64,
}

impl From<&flight::Burnout> for BurnoutDoc {
    fn from(b: &flight::Burnout) -> BurnoutDoc {
        BurnoutDoc {
            speed_km_s: round(b.speed_km_s, 4),
            inertial_speed_km_s: round(b.inertial_speed_km_s, 4),
            flight_path_angle_deg: round(b.flight_path_angle_deg, 3),
            altitude_km: round(b.altitude_km, 2),
            time_s: round(b.time_s, 2),
            downrange_km: round(b.downrange_km, 2),
            circular_speed_fraction: round(
                b.inertial_speed_km_s * 1000.0
                    / (flight::MU / (flight::RADIUS + b.altitude_km * 1000.0)).sqrt(),
                4,
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandardRangeDoc {
    /// Non-rotating standard range, km; null when `global`.
    pub non_rotating: Option<f64>,
    /// True when the range-maximising flight goes into orbit or its ground
    /// track passes the antipode: the missile can reach any point on Earth.
    pub global: bool,
    /// Half the circumference, km (the farthest any point on the sphere is).
    pub global_reach_km: f64,
    /// Shortest and longest range over the azimuths, km; a null `max` with
    /// `global_azimuths` above zero means some azimuths are global.
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub min_azimuth_deg: Option<usize>,
    pub max_azimuth_deg: Option<usize>,
    /// How many of the 360 azimuths are global.
    pub global_azimuths: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayloadPointDoc {
    pub payload_kg: f64,
    /// Null when the flight fails, or when it is global (then `global`).
    pub non_rotating_km: Option<f64>,
    pub global: bool,
}

/// The payload that brings the standard range down to a given range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PayloadForRangeDoc {
    pub range_km: f64,
    /// Null when no payload from a tenth to twenty times the nominal does.
    pub payload_kg: Option<f64>,
}

/// An assumption: its name, its value (a number, a word or a record) and
/// where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assumption {
    pub name: String,
    pub value: Value,
    pub source: String,
}

fn assumption(name: &str, value: Value, source: &str) -> Assumption {
    Assumption {
        name: name.into(),
        value,
        source: source.into(),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TowardDoc {
    pub lat: f64,
    pub lon: f64,
    /// The target's bearing from the launch point (WGS84), degrees.
    pub azimuth_deg: f64,
    /// The launch azimuth that puts the impact on the target's track on the
    /// rotating Earth, degrees.
    pub launch_azimuth_deg: f64,
    pub distance_km: f64,
    /// The range along the target's track, km; null when `global`.
    pub range_km: Option<f64>,
    pub global: bool,
    pub reaches: bool,
    /// Range minus distance, km; null when global.
    pub margin_km: Option<f64>,
    /// The heaviest payload, kg, that still reaches the target along its
    /// track (null when none from a tenth to twenty times the nominal does).
    pub heaviest_payload_kg: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Percentiles {
    /// Null when the percentile falls among the global draws.
    pub p5: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    /// The share of draws that are global (counted as the longest outcome).
    pub global_share: f64,
}

/// A range, km, rounded; None when it is the global placeholder.
fn km(x: f64) -> Option<f64> {
    (x < flight::GLOBAL_RANGE_KM - 0.5).then(|| round(x, 1))
}

fn pct(v: &[f64]) -> Option<Percentiles> {
    if v.is_empty() {
        return None;
    }
    let p = |q| percentile(v, q).and_then(km);
    let global = v.iter().filter(|x| km(**x).is_none()).count();
    Some(Percentiles {
        p5: p(5.0),
        p50: p(50.0),
        p95: p(95.0),
        global_share: round(global as f64 / v.len() as f64, 4),
    })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistributionsDoc {
    pub apogee: String,
    pub ground_range: String,
    pub flight_time: String,
    pub vertical_rise_s: String,
    pub stage_burn_times: String,
    pub stage_specific_impulse: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UncertaintyDoc {
    pub samples: usize,
    pub failed: usize,
    pub failure_reasons: BTreeMap<String, usize>,
    pub seed: u64,
    pub non_rotating_km: Option<Percentiles>,
    pub toward_km: Option<Percentiles>,
    pub reaches_probability: Option<f64>,
    pub distributions: DistributionsDoc,
    pub source: String,
}

/// The reconstruction document (the JSON contract of `reconstruct` and
/// `POST /api/reconstruct`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReconstructDoc {
    pub input: InputDoc,
    pub missile: MissileDoc,
    pub fit: FitDoc,
    pub burnout: BurnoutDoc,
    pub standard_range_km: StandardRangeDoc,
    pub standard_burnout: Option<BurnoutDoc>,
    pub standard_kick_deg: f64,
    pub payload_trade: Vec<PayloadPointDoc>,
    /// The payloads that bring the standard range down to 15,000, 13,000 and 11,000 km.
    pub payload_for_range: Vec<PayloadForRangeDoc>,
    pub assumptions: Vec<Assumption>,
    pub sources: Vec<String>,
    /// Range toward each whole degree of azimuth on the rotating Earth, km;
    /// null where global.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub range_by_azimuth_km: Option<Vec<Option<f64>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toward: Option<TowardDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<UncertaintyDoc>,
}

fn missile_for<'c>(
    cat: &'c Catalog,
    id: Option<&str>,
    apogee_km: f64,
    names: FieldNames,
) -> Result<(&'c Missile, Option<String>), Error> {
    match id {
        Some(id) => {
            let m = crate::request::find_missile(cat, id, &names.of("missile"))?;
            Ok((m, None))
        }
        None => {
            let class = MissileClass::from_lofted_apogee_km(apogee_km);
            let m = cat.missile(class.representative()).ok_or_else(|| {
                Error::internal(format!(
                    "no representative missile for class {}",
                    class.as_str()
                ))
            })?;
            Ok((
                m,
                Some(format!(
                    "no missile named: an apogee of {apogee_km} km suggests the {} class, whose rocket is the {}",
                    class.as_str(),
                    m.name
                )),
            ))
        }
    }
}

/// Library errors about input become errors naming the field; a flight no
/// rocket of the class can fly is not reconstructible.
fn flight_error(e: FlightError, names: FieldNames) -> Error {
    match e {
        FlightError::InvalidObservable { field, value } => {
            let f = match field {
                "apogee_km" => "apogee_km",
                "range_km" => "range_km",
                _ => "flight_time_s",
            };
            Error::invalid(format!("{} {value}: not a valid value ({e})", names.of(f)))
        }
        FlightError::ApogeeTooLow { apogee_km, .. } => {
            Error::invalid(format!("{} {apogee_km}: {e}", names.of("apogee_km")))
        }
        other => Error::not_reconstructible(format!("reconstruction failed: {other}")),
    }
}

/// Builds the reconstruction document.
pub fn build(req: &ReconstructRequest, progress: &dyn Progress) -> Result<ReconstructDoc, Error> {
    req.check()?;
    let cat = Catalog::bundled()?;
    let obs = Observables {
        apogee_km: req.apogee_km,
        range_km: req.range_km,
        flight_time_s: req.flight_time_s,
        flight_time_sigma_s: req
            .flight_time_sigma_s
            .unwrap_or(flight::DEFAULT_FLIGHT_TIME_SIGMA_S),
    };
    obs.validate().map_err(|e| flight_error(e, req.names))?;
    let (missile, guessed) = missile_for(cat, req.missile.as_deref(), req.apogee_km, req.names)?;
    let site = match &req.from {
        Some(s) => Some(resolve_site(cat, s, &req.names.of("from"))?),
        None => None,
    };
    if req.toward.is_some() && site.is_none() {
        return Err(Error::invalid(format!(
            "{} needs {}: a distance and an azimuth need a launch point",
            req.names.of("toward"),
            req.names.of("from")
        )));
    }
    let mm = cat
        .missile_model(
            missile,
            FlightOptions {
                j2: req.j2,
                vacuum: req.vacuum,
            },
        )
        .ok_or_else(|| {
            Error::internal(format!("no rocket assumption for missile {}", missile.id))
        })?;
    let model = mm.model.clone();
    let bearing = req.bearing_deg.unwrap_or(90.0);
    let geom = match &site {
        Some(s) => TestGeometry {
            site: s.point,
            bearing_deg: bearing,
            rotating: true,
        },
        None => TestGeometry {
            site: GeoPoint {
                lat_deg: 0.0,
                lon_deg: 0.0,
            },
            bearing_deg: bearing,
            rotating: false,
        },
    };
    let toward = match (req.toward, &site) {
        (Some((lat, lon)), Some(s)) => {
            let target = GeoPoint {
                lat_deg: lat,
                lon_deg: lon,
            };
            let (d, az) = reach::geodesy::inverse(s.point.lat_deg, s.point.lon_deg, lat, lon);
            Some((target, d, az))
        }
        _ => None,
    };
    let nominal = model.rocket.payload_kg;
    let mut payloads: Vec<f64> = [0.5, 0.75, 1.0, 1.5, 2.0]
        .iter()
        .map(|f| f * nominal)
        .collect();
    if let Some(p) = req.payload_kg {
        payloads.push(p);
    }
    let plan = Plan {
        sweep_site: site.as_ref().map(|s| s.point),
        toward_azimuth_deg: toward.map(|t| t.2),
        toward_distance_km: toward.map(|t| t.1),
        payloads_kg: payloads,
        payload_for_ranges_km: PAYLOAD_FOR_RANGES_KM.to_vec(),
    };
    let rec = reconstruct(&model, &obs, &geom, &plan).map_err(|e| {
        let mut err = flight_error(e, req.names);
        // say what kind of flight a test no ballistic arc reproduces was
        let ratio = req.apogee_km / flight::min_energy_apogee_km(req.range_km);
        if err.kind == crate::ErrorKind::NotReconstructible && ratio < 0.7 {
            err.message += &format!(
                " (a depressed trajectory: apogee {ratio:.2} of the minimum-energy apogee for {} km; a ballistic model cannot reproduce it, and its {} km is a demonstrated range, a lower bound)",
                req.range_km, req.range_km
            );
        }
        err
    })?;
    if progress.cancelled() {
        return Err(Error::internal("cancelled"));
    }
    let uncertainty = (req.samples > 0).then(|| {
        run_samples(
            req,
            &model,
            &obs,
            &geom,
            &rec,
            // on the target's track: the launch azimuth solved for the nominal fit
            rec.toward
                .as_ref()
                .map(|(_, launch_az)| (geom.site, *launch_az)),
            progress,
        )
    });
    Ok(document(
        req,
        missile,
        guessed.as_deref(),
        &mm,
        site.as_ref(),
        bearing,
        &rec,
        toward,
        uncertainty,
    ))
}

struct Uncertainty {
    flight_time_sigma_s: f64,
    samples: usize,
    failed: BTreeMap<String, usize>,
    seed: u64,
    non_rotating: Vec<f64>,
    toward: Vec<f64>,
    spread: Spread,
}

fn run_samples(
    req: &ReconstructRequest,
    model: &Model,
    obs: &Observables,
    geom: &TestGeometry,
    rec: &flight::Reconstruction,
    toward: Option<(GeoPoint, f64)>,
    progress: &dyn Progress,
) -> Uncertainty {
    let spread = Spread::default();
    let settings = SampleSettings {
        samples: req.samples,
        seed: req.seed,
        spread,
        toward,
    };
    progress.start(req.samples as u64, "sampling");
    let done = AtomicU64::new(0);
    let tick = || {
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(16) || n == req.samples as u64 {
            progress.set(n);
        }
        !progress.cancelled()
    };
    let (draws, failed) = sample(
        model,
        obs,
        geom,
        &rec.fit,
        rec.standard.kick_deg,
        &settings,
        &tick,
    );
    progress.finish();
    Uncertainty {
        flight_time_sigma_s: obs.flight_time_sigma_s,
        samples: req.samples,
        failed,
        seed: req.seed,
        non_rotating: draws.iter().map(|d| d.non_rotating_km).collect(),
        toward: draws.iter().filter_map(|d| d.toward_km).collect(),
        spread,
    }
}

#[allow(clippy::too_many_arguments)]
fn document(
    req: &ReconstructRequest,
    missile: &Missile,
    guessed: Option<&str>,
    mm: &catalog::MissileModel,
    site: Option<&ResolvedSite>,
    bearing: f64,
    rec: &flight::Reconstruction,
    toward: Option<(GeoPoint, f64, f64)>,
    unc: Option<Uncertainty>,
) -> ReconstructDoc {
    let model = &mm.model;
    let rocket_basis = mm.basis.as_str();
    let propulsion = mm.propulsion;
    let f = &rec.fit;
    let fl = &f.flight;
    let extreme = |better: fn(f64, f64) -> bool| {
        rec.by_azimuth.as_ref().and_then(|v| {
            v.iter()
                .enumerate()
                .fold(None, |acc: Option<(usize, f64)>, (i, &x)| match acc {
                    Some((_, y)) if !better(x, y) => acc,
                    _ => Some((i, x)),
                })
        })
    };
    let min = extreme(|x, y| x < y);
    let max = extreme(|x, y| x > y);
    let place = |s: &ResolvedSite| PlaceDoc {
        id: s.id.clone(),
        name: s.name.clone(),
        lat: s.point.lat_deg,
        lon: s.point.lon_deg,
    };
    let mut assumptions = vec![
        assumption("missile", json!(missile.id), guessed.unwrap_or("named by the user")),
        assumption("rocket", serde_json::to_value(&model.rocket).unwrap_or(Value::Null), rocket_basis),
        assumption(
            "earth",
            json!({"radius_km": flight::RADIUS / 1000.0, "mu_km3_s2": flight::MU / 1e9, "rotation_rad_s": flight::OMEGA, "j2": model.j2}),
            "spherical Earth of mean radius (IUGG); WGS84 GM and rotation rate; J2 only when asked (--j2). Ground ranges are on the sphere; distances to a target on the WGS84 ellipsoid (they differ by under 0.5 %).",
        ),
        assumption(
            "atmosphere",
            match model.drag {
                Some(d) => json!({"model": "US Standard Atmosphere 1976", "body_cd": d.cd, "rv_ballistic_coefficient_kg_m2": d.rv_ballistic_kg_m2, "top_km": 120}),
                None => json!("vacuum (asked with --vacuum)"),
            },
            "allylens assumptions: Cd 0.3 for a slender body at supersonic speed; an RV ballistic coefficient of 5,000 kg/m^2; drag neglected above 120 km",
        ),
        assumption(
            "pitch_programme",
            json!({"vertical_rise_s": model.vertical_s, "test_flight": "programmed pitch-over in the launch plane, angle at burnout fitted", "range_flights": "kick held for 10 s then gravity turn, kick chosen to maximise range"}),
            "allylens assumption: tests are flown by attitude programme, operational flights by gravity turn",
        ),
        assumption(
            "fitted",
            json!({"dv_scale": round(f.tuning.dv_scale, 5), "burn_scale": round(f.tuning.burn_scale, 5), "burn_scale_fitted": f.burn_scale_fitted, "test_pitch_deg": round(f.kick_deg, 4)}),
            if f.burn_scale_fitted {
                "delta-v scale and pitch fitted to apogee and range exactly; the burn-time scale is the most probable one given the reported flight time (normal, with its stated uncertainty) and the prior on burn times"
            } else {
                "delta-v scale and pitch fitted to apogee and range exactly; burn times as assumed, the prior's mode (no flight time given)"
            },
        ),
        assumption(
            "burn_time_prior",
            json!({"propulsion": propulsion.as_str(), "liftoff_thrust_to_weight_band": propulsion.liftoff_thrust_to_weight_band(), "ln_burn_scale_sigma": round(model.burn_prior_ln_sigma, 4), "burn_scale_bounds": model.burn_scale_bounds}),
            "allylens assumption: ln(burn-time scale) is normal about the assumed burn times of data/rockets.csv, its spread the engine class's lift-off thrust-to-weight band taken as two standard deviations either side",
        ),
        assumption(
            "bearing_deg",
            json!(bearing),
            if req.bearing_deg.is_some() {
                "given by the user"
            } else {
                "no bearing given: 90 (east) assumed"
            },
        ),
    ];
    match site {
        Some(s) => assumptions.push(assumption(
            "launch_point",
            json!({"id": s.id, "name": s.name, "lat": s.point.lat_deg, "lon": s.point.lon_deg}),
            &s.source,
        )),
        None => assumptions.push(assumption(
            "launch_point",
            Value::Null,
            "no launch point given: the test is fitted on a non-rotating Earth and no azimuth sweep is made",
        )),
    }
    let uncertainty = unc.map(|u| {
        let reaches_probability = toward.and_then(|(_, d, _)| {
            (!u.toward.is_empty()).then(|| {
                round(
                    u.toward.iter().filter(|&&r| r >= d).count() as f64 / u.toward.len() as f64,
                    4,
                )
            })
        });
        UncertaintyDoc {
            samples: u.samples,
            failed: u.failed.values().sum(),
            failure_reasons: u.failed,
            seed: u.seed,
            non_rotating_km: pct(&u.non_rotating),
            toward_km: pct(&u.toward),
            reaches_probability,
            distributions: DistributionsDoc {
                apogee: format!("normal, sigma {} % of the reported value", u.spread.apogee_rel_sigma * 100.0),
                ground_range: format!("normal, sigma {} %", u.spread.range_rel_sigma * 100.0),
                flight_time: format!("normal, sigma {} s (the stated uncertainty of the reported time)", u.flight_time_sigma_s),
                vertical_rise_s: format!("uniform {}-{} times the model's {} s", u.spread.vertical_factor.0, u.spread.vertical_factor.1, model.vertical_s),
                stage_burn_times: format!("each stage apart: ln(burn time) normal, sigma {:.3} (the burn-time prior)", model.burn_prior_ln_sigma),
                stage_specific_impulse: format!("each stage apart: normal, sigma {} %", u.spread.isp_rel_sigma * 100.0),
            },
            source: "reported figures differ between Japan, South Korea and North Korea by a few percent (data/README.md)".into(),
        }
    });
    ReconstructDoc {
        input: InputDoc {
            apogee_km: req.apogee_km,
            range_km: req.range_km,
            flight_time_s: req.flight_time_s,
            from: site.map(place),
            bearing_deg: bearing,
            payload_kg: req.payload_kg,
        },
        missile: MissileDoc {
            id: missile.id.clone(),
            name: missile.name.clone(),
            class: missile.class.as_str(),
            catalogue_range_km: [missile.range_km_low, missile.range_km_high],
            catalogue_source: missile.source.clone(),
        },
        fit: FitDoc {
            apogee_km: round(fl.apogee_km, 3),
            ground_range_km: round(fl.ground_range_km, 3),
            flight_time_s: round(fl.flight_time_s, 2),
            residual_pct: ResidualsDoc {
                apogee: round(f.apogee_residual_pct, 5),
                ground_range: round(f.range_residual_pct, 5),
                flight_time: f.flight_time_residual_pct.map(|x| round(x, 4)),
            },
            dv_scale: round(f.tuning.dv_scale, 5),
            burn_scale: round(f.tuning.burn_scale, 5),
            ideal_delta_v_km_s: round(model.rocket.ideal_delta_v(f.tuning) / 1000.0, 4),
            pitch_deg: round(f.kick_deg, 4),
            evaluations: f.evaluations,
            flight_time: match (req.flight_time_s, f.flight_time_residual_s) {
                (Some(t), Some(r)) => {
                    let sigma = req
                        .flight_time_sigma_s
                        .unwrap_or(flight::DEFAULT_FLIGHT_TIME_SIGMA_S);
                    Some(FlightTimeDoc {
                        reported_s: t,
                        sigma_s: sigma,
                        fitted_s: round(fl.flight_time_s, 1),
                        residual_s: round(r, 1),
                        residual_sigmas: round(r / sigma, 2),
                    })
                }
                _ => None,
            },
            burn_scale_at_bound: f.burn_scale_at_bound,
            liftoff_thrust_to_weight: round(f.liftoff_thrust_to_weight, 3),
            thrust_to_weight_band: {
                let (a, b) = propulsion.liftoff_thrust_to_weight_band();
                [a, b]
            },
            propulsion: propulsion.as_str(),
        },
        burnout: (&fl.burnout).into(),
        standard_range_km: StandardRangeDoc {
            non_rotating: if rec.standard.global {
                None
            } else {
                km(rec.standard.range_km)
            },
            global: rec.standard.global,
            global_reach_km: round(flight::GLOBAL_RANGE_KM, 1),
            min: min.and_then(|(_, x)| km(x)),
            max: max.and_then(|(_, x)| km(x)),
            min_azimuth_deg: min.map(|(i, _)| i),
            max_azimuth_deg: max.map(|(i, _)| i),
            global_azimuths: rec
                .by_azimuth
                .as_ref()
                .map(|v| v.iter().filter(|x| km(**x).is_none()).count()),
        },
        standard_burnout: rec.standard.flight.as_ref().map(|f| (&f.burnout).into()),
        standard_kick_deg: round(rec.standard.kick_deg, 3),
        payload_trade: rec
            .payload_trade
            .iter()
            .map(|(p, r)| PayloadPointDoc {
                payload_kg: round(*p, 1),
                non_rotating_km: r.and_then(km),
                global: r.is_some_and(|x| km(x).is_none()),
            })
            .collect(),
        payload_for_range: rec
            .payload_for_range
            .iter()
            .map(|(r, p)| PayloadForRangeDoc {
                range_km: *r,
                payload_kg: p.map(|x| round(x, 0)),
            })
            .collect(),
        assumptions,
        sources: vec![
            catalog::CNS_CITATION.into(),
            "data/rockets.csv (allylens assumptions)".into(),
            "data/missile_catalog.csv".into(),
        ],
        range_by_azimuth_km: rec
            .by_azimuth
            .as_ref()
            .map(|v| v.iter().map(|x| km(*x)).collect()),
        toward: match (toward, &rec.toward) {
            (Some((target, d, az)), Some((b, launch_az))) => Some(TowardDoc {
                lat: target.lat_deg,
                lon: target.lon_deg,
                azimuth_deg: round(az, 3),
                launch_azimuth_deg: round(*launch_az, 3),
                distance_km: round(d, 1),
                range_km: if b.global { None } else { km(b.range_km) },
                global: b.global,
                reaches: b.global || b.range_km >= d,
                margin_km: (!b.global).then(|| round(b.range_km - d, 1)),
                heaviest_payload_kg: rec.heaviest_payload_toward.map(|x| round(x, 0)),
            }),
            _ => None,
        },
        uncertainty,
    }
}

fn num(v: f64) -> String {
    if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn opt(v: Option<f64>) -> String {
    v.map_or("-".into(), num)
}

fn exact(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| x.to_string())
}

impl ReconstructDoc {
    /// The rows the text and Markdown views share.
    fn lines(&self) -> Vec<(String, String)> {
        let fit = &self.fit;
        let b = &self.burnout;
        let range = |x: Option<f64>, global: bool| {
            if global {
                "global (can reach any point on Earth)".to_string()
            } else {
                x.map_or("-".into(), |v| format!("{} km", num(v)))
            }
        };
        let mut rows = vec![
            (
                "missile".to_string(),
                format!("{} ({})", self.missile.name, self.missile.class),
            ),
            (
                "fit: apogee / range / time".into(),
                format!(
                    "{} km / {} km / {} s",
                    num(fit.apogee_km),
                    num(fit.ground_range_km),
                    num(fit.flight_time_s)
                ),
            ),
            (
                "fit residuals (%)".into(),
                format!(
                    "apogee {}, range {}, time {}",
                    fit.residual_pct.apogee,
                    fit.residual_pct.ground_range,
                    exact(fit.residual_pct.flight_time)
                ),
            ),
        ];
        if let Some(t) = &fit.flight_time {
            rows.push((
                "flight time".into(),
                format!(
                    "reported {:.0} s (sigma {:.0} s), fitted {:.0} s: {:+} s, {:+} sigma",
                    t.reported_s, t.sigma_s, t.fitted_s, t.residual_s, t.residual_sigmas
                ),
            ));
        }
        rows.push((
            "fitted delta-v scale / burn scale".into(),
            format!(
                "{} / {}{} (ideal delta-v {} km/s; lift-off thrust-to-weight {}, {} band {}-{})",
                fit.dv_scale,
                fit.burn_scale,
                if fit.burn_scale_at_bound {
                    " AT ITS BOUND"
                } else {
                    ""
                },
                fit.ideal_delta_v_km_s,
                fit.liftoff_thrust_to_weight,
                fit.propulsion,
                fit.thrust_to_weight_band[0],
                fit.thrust_to_weight_band[1]
            ),
        ));
        rows.push((
            "test burnout".into(),
            format!(
                "{} km/s at {} deg, {} km, t = {} s",
                b.speed_km_s, b.flight_path_angle_deg, b.altitude_km, b.time_s
            ),
        ));
        if let Some(sb) = &self.standard_burnout {
            rows.push((
                "standard burnout".into(),
                format!(
                    "{} km/s inertial, {} of circular speed",
                    sb.inertial_speed_km_s, sb.circular_speed_fraction
                ),
            ));
        }
        let s = &self.standard_range_km;
        rows.push((
            "STANDARD RANGE, non-rotating".into(),
            range(s.non_rotating, s.global),
        ));
        if s.global_azimuths == Some(360) {
            rows.push((
                "rotating Earth".into(),
                "global toward every azimuth".into(),
            ));
        } else if let (Some(imin), Some(imax)) = (s.min_azimuth_deg, s.max_azimuth_deg) {
            let g = s.global_azimuths.unwrap_or(0);
            rows.push((
                "rotating Earth, min / max".into(),
                format!(
                    "{} (toward {imin} deg) / {} (toward {imax} deg){}",
                    range(s.min, s.min.is_none()),
                    range(s.max, s.max.is_none()),
                    if g > 0 {
                        format!("; global toward {g} of 360 azimuths")
                    } else {
                        String::new()
                    }
                ),
            ));
        }
        if let Some(t) = &self.toward {
            rows.push((
                "toward target".into(),
                format!(
                    "distance {} km at bearing {} deg; launched at {} deg to land on its track: {}: {}{}",
                    num(t.distance_km),
                    num(t.azimuth_deg),
                    num(t.launch_azimuth_deg),
                    range(t.range_km, t.global),
                    if t.reaches {
                        "REACHES"
                    } else {
                        "does not reach"
                    },
                    t.heaviest_payload_kg
                        .map_or(String::new(), |p| format!(" (heaviest payload that reaches it: {} kg)", num(p)))
                ),
            ));
        }
        let trade: Vec<String> = self
            .payload_trade
            .iter()
            .map(|p| {
                format!(
                    "{} kg: {}",
                    num(p.payload_kg),
                    if p.global {
                        "global".to_string()
                    } else {
                        opt(p.non_rotating_km) + " km"
                    }
                )
            })
            .collect();
        rows.push(("payload trade (non-rotating)".into(), trade.join("; ")));
        let heavier: Vec<String> = self
            .payload_for_range
            .iter()
            .map(|p| {
                format!(
                    "{} km: {}",
                    num(p.range_km),
                    p.payload_kg
                        .map_or("-".into(), |x| format!("{} kg", num(x)))
                )
            })
            .collect();
        rows.push(("payload for a standard range of".into(), heavier.join("; ")));
        if let Some(u) = &self.uncertainty {
            let p = u.non_rotating_km.as_ref();
            let show = |x: Option<f64>| match (x, p.map_or(0.0, |p| p.global_share)) {
                (Some(v), _) => num(v),
                (None, g) if g > 0.0 => "global".into(),
                _ => "-".into(),
            };
            rows.push((
                "uncertainty (non-rotating)".into(),
                format!(
                    "p5 {} / p50 {} / p95 {} km over {} draws ({} failed, seed {}; {} % global)",
                    show(p.and_then(|p| p.p5)),
                    show(p.and_then(|p| p.p50)),
                    show(p.and_then(|p| p.p95)),
                    u.samples,
                    u.failed,
                    u.seed,
                    p.map_or(0.0, |p| round(p.global_share * 100.0, 1))
                ),
            ));
            if !u.failure_reasons.is_empty() {
                let why: Vec<String> = u
                    .failure_reasons
                    .iter()
                    .map(|(k, v)| format!("{v}: {k}"))
                    .collect();
                rows.push(("failed draws".into(), why.join("; ")));
            }
        }
        rows
    }

    /// Plain text for a terminal.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (k, v) in self.lines() {
            s += &format!("{k:<34} {v}\n");
        }
        s += "\nassumptions:\n";
        for a in &self.assumptions {
            s += &format!("  - {}: {}\n      ({})\n", a.name, a.value, a.source);
        }
        s
    }

    /// Markdown tables.
    pub fn markdown(&self) -> String {
        let mut s = String::from("# Range reconstruction\n\n| quantity | value |\n|---|---|\n");
        for (k, v) in self.lines() {
            s += &format!("| {k} | {v} |\n");
        }
        s += "\n## Assumptions\n\n| assumption | value | source |\n|---|---|---|\n";
        for a in &self.assumptions {
            s += &format!(
                "| {} | `{}` | {} |\n",
                a.name,
                a.value.to_string().replace('|', "\\|"),
                a.source.replace('|', "\\|")
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NoProgress;

    #[test]
    fn errors_name_the_field_as_the_door_spells_it() {
        let mut r = ReconstructRequest::new(10.0, 5000.0);
        let e = build(&r, &NoProgress)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(e.starts_with("--apogee-km 10"), "{e}");
        r.names = FieldNames::Json;
        let e = build(&r, &NoProgress)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(e.starts_with("apogee_km 10"), "{e}");
        let mut r = ReconstructRequest::new(1000.0, 900.0);
        r.toward = Some((10.0, 10.0));
        let e = build(&r, &NoProgress).err();
        assert_eq!(e.as_ref().map(|e| e.kind), Some(crate::ErrorKind::Invalid));
        r.toward = None;
        r.bearing_deg = Some(400.0);
        assert!(build(&r, &NoProgress).is_err());
        r.bearing_deg = None;
        r.samples = MAX_SAMPLES + 1;
        let e = build(&r, &NoProgress)
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(e.contains("--samples"), "{e}");
    }

    #[test]
    fn infeasible_observables_are_not_reconstructible() {
        let r = ReconstructRequest::new(744_869.0, 933.2);
        let e = build(&r, &NoProgress).err();
        assert_eq!(
            e.as_ref().map(|e| e.kind),
            Some(crate::ErrorKind::NotReconstructible),
            "{e:?}"
        );
    }
}
