//! The physics checked against closed forms and conservation laws.

use flight::*;

/// Two-body gravity alone, in SI units, for checking the steppers.
struct TwoBody;
impl System<6> for TwoBody {
    fn derivs(&self, _t: f64, y: &[f64; 6]) -> [f64; 6] {
        let r = Vec3::new(y[0], y[1], y[2]);
        let a = EarthModel::NON_ROTATING.gravity(r);
        [y[3], y[4], y[5], a.x, a.y, a.z]
    }
}

fn tol6() -> Tolerances<6> {
    Tolerances {
        atol: [1e-3, 1e-3, 1e-3, 1e-6, 1e-6, 1e-6],
        rtol: 1e-11,
    }
}

fn energy(y: &[f64; 6]) -> f64 {
    let r = Vec3::new(y[0], y[1], y[2]);
    let v = Vec3::new(y[3], y[4], y[5]);
    0.5 * v.dot(v) - MU / r.norm()
}

fn ang_mom(y: &[f64; 6]) -> Vec3 {
    Vec3::new(y[0], y[1], y[2]).cross(Vec3::new(y[3], y[4], y[5]))
}

#[test]
fn circular_orbit_closes_after_one_kepler_period() {
    let r = RADIUS + 400_000.0;
    let v = (MU / r).sqrt();
    let period = std::f64::consts::TAU * (r * r * r / MU).sqrt();
    let y0 = [r, 0.0, 0.0, 0.0, v, 0.0];
    for out in [
        integrate(
            &DormandPrince54,
            &TwoBody,
            0.0,
            y0,
            period,
            10.0,
            &tol6(),
            None,
        )
        .expect("dp54"),
        integrate(&Rk4Doubling, &TwoBody, 0.0, y0, period, 10.0, &tol6(), None).expect("rk4"),
    ] {
        let miss = ((out.y[0] - r).powi(2) + out.y[1].powi(2) + out.y[2].powi(2)).sqrt();
        assert!(miss < 5.0, "orbit misses its start by {miss} m");
    }
}

#[test]
fn eccentric_orbit_conserves_energy_and_angular_momentum() {
    let r = RADIUS + 300_000.0;
    let y0 = [r, 0.0, 0.0, 300.0, 9_000.0, 1_500.0];
    let out = integrate(
        &DormandPrince54,
        &TwoBody,
        0.0,
        y0,
        20_000.0,
        10.0,
        &tol6(),
        None,
    )
    .expect("integrates");
    let de = (energy(&out.y) - energy(&y0)).abs() / energy(&y0).abs();
    let dh = (ang_mom(&out.y) - ang_mom(&y0)).norm() / ang_mom(&y0).norm();
    // DP5 is not symplectic: with rtol 1e-11 the drift over ~5.5 h stays near 1e-9
    assert!(de < 1e-8, "relative energy drift {de}");
    assert!(dh < 1e-8, "relative angular momentum drift {dh}");
}

#[test]
fn kepler_impact_matches_numeric_free_flight() {
    // a suborbital arc: 6 km/s at 30 degrees above the horizon from 200 km up
    let r = Vec3::new(RADIUS + 200_000.0, 0.0, 0.0);
    let g = 30f64.to_radians();
    let v = Vec3::new(6_000.0 * g.sin(), 6_000.0 * g.cos(), 0.0);
    let c = kepler_impact(r, v, RADIUS).expect("impacts");
    let ground = |_t: f64, y: &[f64; 6]| (y[0] * y[0] + y[1] * y[1] + y[2] * y[2]).sqrt() - RADIUS;
    let out = integrate(
        &DormandPrince54,
        &TwoBody,
        0.0,
        [r.x, r.y, r.z, v.x, v.y, v.z],
        1e5,
        5.0,
        &tol6(),
        Some(&ground),
    )
    .expect("integrates");
    assert!(out.event);
    assert!(
        (out.t - c.time_s).abs() < 1e-3,
        "time {} vs {}",
        out.t,
        c.time_s
    );
    let p = Vec3::new(out.y[0], out.y[1], out.y[2]);
    assert!(
        (p - c.position).norm() < 1.0,
        "impact points differ by {} m",
        (p - c.position).norm()
    );
    let vv = Vec3::new(out.y[3], out.y[4], out.y[5]);
    assert!((vv - c.velocity).norm() < 1e-3, "impact velocities differ");
}

#[test]
fn vertical_shot_reaches_the_closed_form_height_and_falls_back() {
    // v^2 / 2 = mu (1/R - 1/(R + h)) for a radial flight
    let v0 = 3_000.0;
    let r = Vec3::new(0.0, 0.0, RADIUS);
    let c = kepler_impact(r, Vec3::new(0.0, 0.0, v0), RADIUS).expect("falls back");
    let h = 1.0 / (1.0 / RADIUS - v0 * v0 / (2.0 * MU)) - RADIUS;
    assert!((c.max_radius - RADIUS - h).abs() < 1e-6 * h);
    assert!((c.position - r).norm() < 1e-6);
    // time: numeric integration of the same radial flight
    let ground =
        |_t: f64, y: &[f64; 6]| (y[0] * y[0] + y[1] * y[1] + y[2] * y[2]).sqrt() - (RADIUS - 1e-9);
    let out = integrate(
        &DormandPrince54,
        &TwoBody,
        0.0,
        [0.0, 0.0, RADIUS, 0.0, 0.0, v0],
        1e5,
        1.0,
        &tol6(),
        Some(&ground),
    )
    .expect("integrates");
    assert!((out.t - c.time_s).abs() < 1e-3, "{} vs {}", out.t, c.time_s);
}

#[test]
fn ballistic_apogee_formula_matches_the_conic() {
    for (range_km, gamma) in [
        (500.0, 45.0),
        (3_000.0, 30.0),
        (10_000.0, 20.0),
        (1_000.0, 80.0),
    ] {
        let apogee = ballistic_apogee_km(range_km, gamma);
        // launch with the speed the range equation gives and check the conic
        let psi: f64 = range_km / (RADIUS / 1000.0);
        let g = f64::to_radians(gamma);
        let nu = 2.0 * (psi / 2.0).sin() / ((psi / 2.0).sin() + (2.0 * g + psi / 2.0).sin());
        let v = (nu * MU / RADIUS).sqrt();
        let r = Vec3::new(RADIUS, 0.0, 0.0);
        let c =
            kepler_impact(r, Vec3::new(v * g.sin(), v * g.cos(), 0.0), RADIUS).expect("impacts");
        assert!(
            ((c.max_radius - RADIUS) / 1000.0 - apogee).abs() < 1e-6 * apogee.max(1.0),
            "{range_km} {gamma}"
        );
        assert!(
            (c.transfer_angle * RADIUS / 1000.0 - range_km).abs() < 1e-6 * range_km,
            "{range_km} {gamma}"
        );
    }
    // the minimum-energy arc has the lowest launch speed; its apogee is about range/4 for short ranges
    assert!((min_energy_apogee_km(100.0) - 25.0).abs() < 0.5);
}

fn rocket() -> Rocket {
    Rocket {
        stages: vec![Stage {
            burn_s: 140.0,
            isp_s: 290.0,
            propellant_kg: 19_000.0,
            dry_kg: 2_500.0,
        }],
        payload_kg: 650.0,
        diameter_m: 1.65,
    }
}

fn spec<'a>(
    r: &'a Rocket,
    az: f64,
    earth: EarthModel,
    drag: Option<Drag>,
    mode: PitchMode,
) -> FlightSpec<'a> {
    FlightSpec {
        rocket: r,
        tuning: Tuning {
            dv_scale: 1.15,
            burn_scale: 1.0,
        },
        pitch: PitchProgram {
            mode,
            vertical_s: 10.0,
            kick_deg: 20.0,
            kick_s: 10.0,
        },
        site: GeoPoint {
            lat_deg: 39.2,
            lon_deg: 125.7,
        },
        azimuth_deg: az,
        earth,
        drag,
        precision: Precision::Reference,
    }
}

const DRAG: Drag = Drag {
    cd: 0.3,
    rv_ballistic_kg_m2: 5_000.0,
};

#[test]
fn without_rotation_range_does_not_depend_on_azimuth() {
    let r = rocket();
    for drag in [None, Some(DRAG)] {
        for mode in [PitchMode::GravityTurn, PitchMode::Programmed] {
            let ranges: Vec<f64> = [0.0, 73.0, 180.0, 301.0]
                .iter()
                .map(|&az| {
                    fly(&spec(&r, az, EarthModel::NON_ROTATING, drag, mode))
                        .expect("flies")
                        .ground_range_km
                })
                .collect();
            for x in &ranges {
                assert!(
                    (x - ranges[0]).abs() < 0.05,
                    "{ranges:?} ({mode:?}, drag {})",
                    drag.is_some()
                );
            }
        }
    }
}

#[test]
fn rotation_helps_eastward_and_hinders_westward() {
    let r = rocket();
    let range = |az: f64, earth: EarthModel| {
        fly(&spec(&r, az, earth, Some(DRAG), PitchMode::GravityTurn))
            .expect("flies")
            .ground_range_km
    };
    let still = range(90.0, EarthModel::NON_ROTATING);
    let east = range(90.0, EarthModel::ROTATING);
    let west = range(270.0, EarthModel::ROTATING);
    assert!(east > still + 100.0, "east {east} vs {still}");
    assert!(west < still - 100.0, "west {west} vs {still}");
}

#[test]
fn steppers_agree_on_a_full_flight() {
    let r = rocket();
    let s = spec(
        &r,
        90.0,
        EarthModel::ROTATING,
        Some(DRAG),
        PitchMode::GravityTurn,
    );
    let a = fly_with(&s, &DormandPrince54).expect("dp54");
    let b = fly_with(&s, &Rk4Doubling).expect("rk4");
    assert!(
        (a.ground_range_km - b.ground_range_km).abs() < 0.1,
        "{} vs {}",
        a.ground_range_km,
        b.ground_range_km
    );
    assert!((a.apogee_km - b.apogee_km).abs() < 0.05);
}

#[test]
fn j2_changes_a_long_range_by_little() {
    let r = rocket();
    let plain = fly(&spec(
        &r,
        45.0,
        EarthModel::ROTATING,
        None,
        PitchMode::GravityTurn,
    ))
    .expect("flies");
    let j2 = fly(&spec(
        &r,
        45.0,
        EarthModel {
            omega: OMEGA,
            j2: true,
        },
        None,
        PitchMode::GravityTurn,
    ))
    .expect("flies");
    let rel = (j2.ground_range_km / plain.ground_range_km - 1.0).abs();
    assert!(rel > 1e-5 && rel < 0.02, "J2 changes range by {rel}");
}

#[test]
fn drag_costs_range() {
    let r = rocket();
    let vac = fly(&spec(
        &r,
        90.0,
        EarthModel::NON_ROTATING,
        None,
        PitchMode::GravityTurn,
    ))
    .expect("flies");
    let air = fly(&spec(
        &r,
        90.0,
        EarthModel::NON_ROTATING,
        Some(DRAG),
        PitchMode::GravityTurn,
    ))
    .expect("flies");
    assert!(air.ground_range_km < vac.ground_range_km);
    assert!(air.ground_range_km > 0.8 * vac.ground_range_km);
}

#[test]
fn burnout_speed_is_below_the_ideal_delta_v() {
    // gravity loss: the ideal rocket-equation delta-v is never reached in flight
    let r = rocket();
    let t = Tuning {
        dv_scale: 1.15,
        burn_scale: 1.0,
    };
    let f = fly(&spec(
        &r,
        90.0,
        EarthModel::NON_ROTATING,
        None,
        PitchMode::GravityTurn,
    ))
    .expect("flies");
    let ideal = r.ideal_delta_v(t) / 1000.0;
    assert!(
        f.burnout.speed_km_s < ideal && f.burnout.speed_km_s > 0.75 * ideal,
        "{} vs {ideal}",
        f.burnout.speed_km_s
    );
}

#[test]
fn bad_rockets_are_errors_not_panics() {
    let mut r = rocket();
    r.stages[0].propellant_kg = 100.0; // cannot lift its own weight
    assert!(matches!(
        fly(&spec(
            &r,
            90.0,
            EarthModel::ROTATING,
            None,
            PitchMode::GravityTurn
        )),
        Err(FlightError::NoLiftoff { .. })
    ));
    let r = rocket();
    let mut s = spec(&r, 90.0, EarthModel::ROTATING, None, PitchMode::GravityTurn);
    s.tuning.dv_scale = f64::NAN;
    assert!(fly(&s).is_err());
    s.tuning.dv_scale = 3.0; // escapes
    assert!(matches!(fly(&s), Err(FlightError::NoImpact(_))));
}

/// The Hwasong-12 test of 14 May 2017 from North Kusong (2,111.5 km apogee,
/// 787 km range, no flight time): its geometry and observables.
fn kusong_test() -> (TestGeometry, Observables) {
    (
        TestGeometry {
            site: GeoPoint {
                lat_deg: 40.07,
                lon_deg: 125.21,
            },
            bearing_deg: 71.0,
            rotating: true,
        },
        Observables {
            apogee_km: 2111.5,
            range_km: 787.0,
            flight_time_s: None,
            flight_time_sigma_s: DEFAULT_FLIGHT_TIME_SIGMA_S,
        },
    )
}

fn model() -> Model {
    Model {
        rocket: rocket(),
        fit_pitch: PitchMode::Programmed,
        range_pitch: PitchMode::GravityTurn,
        vertical_s: 10.0,
        kick_s: 10.0,
        j2: false,
        drag: Some(DRAG),
        burn_scale_bounds: (0.5, 2.0),
        burn_prior_ln_sigma: 0.082,
        precision: Precision::Reference,
    }
}

#[test]
fn fit_reproduces_the_observables_it_was_given() {
    let m = model();
    let (geom, _) = kusong_test();
    for obs in [
        Observables {
            apogee_km: 2111.5,
            range_km: 787.0,
            flight_time_s: None,
            flight_time_sigma_s: DEFAULT_FLIGHT_TIME_SIGMA_S,
        },
        Observables {
            apogee_km: 2111.5,
            range_km: 787.0,
            flight_time_s: Some(1800.0),
            flight_time_sigma_s: DEFAULT_FLIGHT_TIME_SIGMA_S,
        },
        Observables {
            apogee_km: 770.0,
            range_km: 3700.0,
            flight_time_s: None,
            flight_time_sigma_s: DEFAULT_FLIGHT_TIME_SIGMA_S,
        },
    ] {
        let f = fit(&m, &obs, &geom, None).expect("fits");
        assert!(f.apogee_residual_pct.abs() < 0.01, "{obs:?}: {f:?}");
        assert!(f.range_residual_pct.abs() < 0.01, "{obs:?}: {f:?}");
        // the flight time is a soft constraint: the fit stays within one
        // standard deviation of it here, and says how far it is
        if let Some(r) = f.flight_time_residual_s {
            assert!(r.abs() < obs.flight_time_sigma_s, "time residual {r} s");
            assert!(f.flight_time_residual_pct.is_some() && f.burn_scale_fitted);
            assert!(!f.burn_scale_at_bound);
        }
        // the reported flight is the model's own
        assert!((f.flight.apogee_km - obs.apogee_km).abs() < 0.01 * obs.apogee_km);
    }
}

#[test]
fn a_more_lofted_test_of_the_same_rocket_means_more_range() {
    let m = model();
    let (geom, _) = kusong_test();
    let range = |apogee: f64| {
        let f = fit(
            &m,
            &Observables {
                apogee_km: apogee,
                range_km: 800.0,
                flight_time_s: None,
                flight_time_sigma_s: DEFAULT_FLIGHT_TIME_SIGMA_S,
            },
            &geom,
            None,
        )
        .expect("fits");
        best_range(
            &m,
            &Aim {
                rocket: &m.rocket,
                tuning: f.tuning,
                site: geom.site,
                azimuth_deg: 90.0,
                rotating: false,
            },
            None,
        )
        .expect("range")
        .range_km
    };
    let (low, high) = (range(1500.0), range(2500.0));
    assert!(high > low + 500.0, "{low} -> {high}");
}

#[test]
fn interpolated_azimuth_sweep_matches_full_optimisation() {
    let m = model();
    let t = Tuning {
        dv_scale: 1.17,
        burn_scale: 1.0,
    };
    let site = GeoPoint {
        lat_deg: 39.2,
        lon_deg: 125.7,
    };
    let hint = best_range(
        &m,
        &Aim {
            rocket: &m.rocket,
            tuning: t,
            site,
            azimuth_deg: 90.0,
            rotating: false,
        },
        None,
    )
    .expect("range")
    .kick_deg;
    let sweep = range_by_azimuth(&m, &m.rocket, t, site, hint).expect("sweep");
    assert_eq!(sweep.len(), 360);
    for az in [3usize, 47, 95, 181, 266, 333] {
        let full = best_range(
            &m,
            &Aim {
                rocket: &m.rocket,
                tuning: t,
                site,
                azimuth_deg: az as f64,
                rotating: true,
            },
            None,
        )
        .expect("range")
        .range_km;
        assert!(
            (sweep[az] - full).abs() < 1.0,
            "azimuth {az}: {} vs {full}",
            sweep[az]
        );
    }
}

#[test]
fn footprint_by_bearing_matches_flights_aimed_at_each_bearing() {
    let m = model();
    let t = Tuning {
        dv_scale: 1.17,
        burn_scale: 1.0,
    };
    let site = GeoPoint {
        lat_deg: 39.2,
        lon_deg: 125.7,
    };
    let aim = |az: f64, rotating: bool| Aim {
        rocket: &m.rocket,
        tuning: t,
        site,
        azimuth_deg: az,
        rotating,
    };
    let hint = best_range(&m, &aim(90.0, false), None)
        .expect("range")
        .kick_deg;
    let by_bearing = range_by_bearing(&m, &m.rocket, t, site, hint).expect("sweep");
    assert_eq!(by_bearing.len(), 360);
    // the Earth's turn carries an eastward flight farther than a westward one
    assert!(
        by_bearing[90] > by_bearing[270] * 1.03,
        "east {} west {}",
        by_bearing[90],
        by_bearing[270]
    );
    // each whole bearing is the range of the flight whose impact lies on it
    for bearing in [20.0, 90.0, 161.0, 270.0] {
        let (toward, launch_az) =
            best_range_toward(&m, &aim(bearing, true), bearing, Some(hint)).expect("toward");
        let b = by_bearing[bearing as usize];
        assert!(
            (b - toward.range_km).abs() < 0.002 * toward.range_km,
            "bearing {bearing}: table {b} vs aimed {} (launched at {launch_az})",
            toward.range_km
        );
    }
}

#[test]
fn heavier_payload_flies_shorter() {
    let m = model();
    let t = Tuning {
        dv_scale: 1.17,
        burn_scale: 1.0,
    };
    let site = GeoPoint {
        lat_deg: 39.2,
        lon_deg: 125.7,
    };
    let light = best_range(
        &m,
        &Aim {
            rocket: &m.rocket.with_payload(500.0),
            tuning: t,
            site,
            azimuth_deg: 90.0,
            rotating: false,
        },
        None,
    )
    .expect("light")
    .range_km;
    let heavy = best_range(
        &m,
        &Aim {
            rocket: &m.rocket.with_payload(1000.0),
            tuning: t,
            site,
            azimuth_deg: 90.0,
            rotating: false,
        },
        None,
    )
    .expect("heavy")
    .range_km;
    assert!(light > heavy * 1.1, "{light} vs {heavy}");
}

#[test]
fn invalid_observables_name_their_field() {
    let m = model();
    let geom = TestGeometry {
        site: GeoPoint {
            lat_deg: 40.0,
            lon_deg: 125.0,
        },
        bearing_deg: 90.0,
        rotating: false,
    };
    let e = fit(
        &m,
        &Observables {
            apogee_km: f64::NAN,
            range_km: 800.0,
            flight_time_s: None,
            flight_time_sigma_s: DEFAULT_FLIGHT_TIME_SIGMA_S,
        },
        &geom,
        None,
    );
    assert!(matches!(
        e,
        Err(FlightError::InvalidObservable {
            field: "apogee_km",
            ..
        })
    ));
    let e = fit(
        &m,
        &Observables {
            apogee_km: 10.0,
            range_km: 5000.0,
            flight_time_s: None,
            flight_time_sigma_s: DEFAULT_FLIGHT_TIME_SIGMA_S,
        },
        &geom,
        None,
    );
    assert!(matches!(e, Err(FlightError::ApogeeTooLow { .. })));
    let e = fit(
        &m,
        &Observables {
            apogee_km: 1000.0,
            range_km: 800.0,
            flight_time_s: Some(-1.0),
            flight_time_sigma_s: DEFAULT_FLIGHT_TIME_SIGMA_S,
        },
        &geom,
        None,
    );
    assert!(matches!(
        e,
        Err(FlightError::InvalidObservable {
            field: "flight_time_s",
            ..
        })
    ));
}

#[test]
fn monte_carlo_is_deterministic_for_a_seed() {
    let m = model();
    let (geom, obs) = kusong_test();
    let f = fit(&m, &obs, &geom, None).expect("fits");
    let b = best_range(
        &m,
        &Aim {
            rocket: &m.rocket,
            tuning: f.tuning,
            site: geom.site,
            azimuth_deg: 90.0,
            rotating: false,
        },
        None,
    )
    .expect("range");
    let settings = SampleSettings {
        samples: 24,
        seed: 7,
        spread: Spread::default(),
        toward: None,
    };
    let (a, fa) = sample(&m, &obs, &geom, &f, b.kick_deg, &settings, &|| true);
    let (c, fc) = sample(&m, &obs, &geom, &f, b.kick_deg, &settings, &|| true);
    assert_eq!(a, c);
    assert_eq!(fa, fc);
    assert!(fa.values().sum::<usize>() <= 4, "{fa:?}");
    assert!(a.len() >= 20, "{} of 24 draws fitted", a.len());
    let p50 = percentile(
        &a.iter().map(|s| s.non_rotating_km).collect::<Vec<_>>(),
        50.0,
    )
    .expect("p50");
    assert!(
        (p50 / b.range_km - 1.0).abs() < 0.1,
        "median {p50} vs nominal {}",
        b.range_km
    );
}

#[test]
fn a_sampling_asked_to_stop_stops_and_counts_the_rest_as_cancelled() {
    let m = model();
    let (geom, obs) = kusong_test();
    let f = fit(&m, &obs, &geom, None).expect("fits");
    let settings = SampleSettings {
        samples: 400,
        seed: 3,
        spread: Spread::default(),
        toward: None,
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    // the asker gives up after 10 draws
    let (ok, failed) = sample(&m, &obs, &geom, &f, f.kick_deg, &settings, &|| {
        done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1 < 10
    });
    let cancelled = failed.get("cancelled").copied().unwrap_or(0);
    assert!(
        cancelled > 300,
        "{cancelled} of 400 cancelled ({} drawn)",
        ok.len()
    );
    assert_eq!(
        ok.len() + failed.values().sum::<usize>(),
        400,
        "every draw counted"
    );
}

/// A nominal fit with a flight time and a draw near it: the observables and
/// the rocket perturbed as a Monte Carlo draw perturbs them.
fn nominal_and_draw(timed: bool) -> (Model, Model, Observables, TestGeometry, Fitted) {
    let m = model();
    let (geom, untimed) = kusong_test();
    let first = fit(&m, &untimed, &geom, None).expect("fits");
    // a reported time a minute off the untimed fit's, so the burn scale moves
    let obs = Observables {
        flight_time_s: timed.then_some(first.flight.flight_time_s + 60.0),
        ..untimed
    };
    let nominal = fit(&m, &obs, &geom, None).expect("fits");
    let mut drawn = m.clone();
    drawn.vertical_s *= 1.2;
    drawn.rocket.stages[0].isp_s *= 1.03;
    drawn.rocket.stages[0].burn_s *= 0.95;
    let obs = Observables {
        apogee_km: obs.apogee_km * 1.02,
        range_km: obs.range_km * 0.98,
        flight_time_s: obs.flight_time_s.map(|t| t + 40.0),
        ..obs
    };
    (m, drawn, obs, geom, nominal)
}

#[test]
fn a_refit_from_the_nominal_agrees_with_the_full_fit_in_a_fraction_of_its_flights() {
    for timed in [false, true] {
        let (_, drawn, obs, geom, nominal) = nominal_and_draw(timed);
        let full = fit(&drawn, &obs, &geom, None).expect("full fit");
        let quick = refit(&drawn, &obs, &geom, &nominal).expect("refit");
        // both meet apogee and range to 1e-6 and settle ln(burn scale) to
        // 1e-4: the solutions agree to a few times that
        let d_dv = (quick.tuning.dv_scale / full.tuning.dv_scale).ln().abs();
        let d_burn = (quick.tuning.burn_scale / full.tuning.burn_scale)
            .ln()
            .abs();
        assert!(d_dv < 1e-4, "timed {timed}: dv scale {d_dv}");
        assert!(d_burn < 3e-4, "timed {timed}: burn scale {d_burn}");
        assert!(
            (quick.kick_deg - full.kick_deg).abs() < 0.01,
            "timed {timed}: kick {} vs {}",
            quick.kick_deg,
            full.kick_deg
        );
        assert!(quick.apogee_residual_pct.abs() < 1e-3);
        assert!(quick.range_residual_pct.abs() < 1e-3);
        assert_eq!(quick.burn_scale_fitted, timed);
        assert!(
            3 * quick.evaluations < full.evaluations,
            "timed {timed}: {} flights against {}",
            quick.evaluations,
            full.evaluations
        );
    }
}

#[test]
fn the_local_range_search_finds_the_top_the_full_search_finds() {
    let (m, _, obs, geom, _) = nominal_and_draw(false);
    let f = fit(&m, &obs, &geom, None).expect("fits");
    for rotating in [false, true] {
        let aim = Aim {
            rocket: &m.rocket,
            tuning: f.tuning,
            site: geom.site,
            azimuth_deg: 90.0,
            rotating,
        };
        let full = best_range(&m, &aim, None).expect("full search");
        // hints on the hill, a walk away from it, and far off it
        for offset in [-8.0, -1.5, 0.0, 0.3, 3.0, 9.0] {
            let near = best_range_near(&m, &aim, full.kick_deg + offset).expect("local search");
            // 0.02 degree from the top costs metres on this hill
            assert!(
                (near.range_km - full.range_km).abs() < 0.05,
                "offset {offset}: {} km vs {} km",
                near.range_km,
                full.range_km
            );
            assert!(
                (near.kick_deg - full.kick_deg).abs() < 0.05,
                "offset {offset}"
            );
        }
    }
}

#[test]
fn survey_precision_moves_a_best_range_by_little_in_fewer_steps() {
    let (m, _, obs, geom, _) = nominal_and_draw(false);
    let f = fit(&m, &obs, &geom, None).expect("fits");
    let survey = Model {
        precision: Precision::Survey,
        ..m.clone()
    };
    let aim = Aim {
        rocket: &m.rocket,
        tuning: f.tuning,
        site: geom.site,
        azimuth_deg: 90.0,
        rotating: true,
    };
    let reference = best_range(&m, &aim, None).expect("reference");
    let aim_survey = Aim {
        rocket: &survey.rocket,
        ..aim
    };
    let loose = best_range(&survey, &aim_survey, None).expect("survey");
    assert!(
        (loose.range_km - reference.range_km).abs() < 3.0,
        "{} km vs {} km",
        loose.range_km,
        reference.range_km
    );
    let steps = |b: &BestRange| b.flight.as_ref().map_or(0, |f| f.steps);
    assert!(
        steps(&loose) < steps(&reference),
        "{} vs {}",
        steps(&loose),
        steps(&reference)
    );
}
