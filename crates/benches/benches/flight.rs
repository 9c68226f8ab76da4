//! Speed of the flight engine. The acceptance targets: one reconstruction
//! with the 360-azimuth sweep under 100 ms on one core (issue 11, now with the
//! MAP burn-time fit, the toward solve and the payload solves of the CLI);
//! `--samples 10000` under 30 s on two cores (measured on the CLI, see README).
//!
//! The fit without a flight time (two parameters to apogee and range, which
//! the MAP fit did not change) is the baseline of the timed fit in the same run.
//!
//! Baselines in the same run: a single vacuum flight (the unit of work) and a
//! single flight with drag, so a regression in the integrator shows apart
//! from one in the search.

use catalog::Catalog;
use criterion::{criterion_group, criterion_main, Criterion};
use flight::*;

fn model(id: &str) -> Model {
    let cat = Catalog::bundled().expect("catalogue");
    let m = cat.missile(id).expect("missile");
    Model {
        rocket: cat.rocket_for(m).expect("rocket").rocket.clone(),
        fit_pitch: PitchMode::Programmed,
        range_pitch: PitchMode::GravityTurn,
        vertical_s: 10.0,
        kick_s: 10.0,
        j2: false,
        drag: Some(Drag {
            cd: 0.3,
            rv_ballistic_kg_m2: 5000.0,
        }),
        burn_scale_bounds: (0.5, 2.0),
        burn_prior_ln_sigma: 0.082,
        precision: Precision::Reference,
    }
}

fn benches(c: &mut Criterion) {
    let h12 = model("hwasong-12");
    let site = GeoPoint {
        lat_deg: 40.0659,
        lon_deg: 125.2099,
    };
    let spec = |drag| FlightSpec {
        rocket: &h12.rocket,
        tuning: Tuning {
            dv_scale: 1.2,
            burn_scale: 1.0,
        },
        pitch: PitchProgram {
            mode: PitchMode::GravityTurn,
            vertical_s: 10.0,
            kick_deg: 22.0,
            kick_s: 10.0,
        },
        site,
        azimuth_deg: 90.0,
        earth: EarthModel::ROTATING,
        drag,
        precision: Precision::Reference,
    };
    let mut g = c.benchmark_group("flight");
    g.bench_function("one flight, vacuum (baseline)", |b| {
        b.iter(|| fly(&spec(None)))
    });
    g.bench_function("one flight, drag", |b| b.iter(|| fly(&spec(h12.drag))));
    g.finish();

    let mut g = c.benchmark_group("reconstruct");
    g.sample_size(10);
    let plan = Plan {
        sweep_site: Some(site),
        toward_azimuth_deg: Some(141.5),
        toward_distance_km: Some(3_513.0),
        payloads_kg: vec![325.0, 487.5, 650.0, 975.0, 1300.0],
        payload_for_ranges_km: vec![15_000.0, 13_000.0, 11_000.0],
    };
    let obs12 = Observables {
        apogee_km: 2111.5,
        range_km: 787.0,
        flight_time_s: None,
        flight_time_sigma_s: DEFAULT_FLIGHT_TIME_SIGMA_S,
    };
    let geom12 = TestGeometry {
        site,
        bearing_deg: 71.0,
        rotating: true,
    };
    g.bench_function("hwasong-12 2017-05-14, fit + 360 azimuths", |b| {
        b.iter(|| reconstruct(&h12, &obs12, &geom12, &plan).expect("reconstructs"))
    });
    let h15 = model("hwasong-15");
    let site15 = GeoPoint {
        lat_deg: 39.282,
        lon_deg: 125.869,
    };
    let obs15 = Observables {
        apogee_km: 4475.0,
        range_km: 950.0,
        flight_time_s: Some(3180.0),
        flight_time_sigma_s: DEFAULT_FLIGHT_TIME_SIGMA_S,
    };
    let geom15 = TestGeometry {
        site: site15,
        bearing_deg: 76.0,
        rotating: true,
    };
    let plan15 = Plan {
        sweep_site: Some(site15),
        toward_azimuth_deg: Some(35.0),
        toward_distance_km: Some(11_000.0),
        payloads_kg: vec![500.0, 750.0, 1000.0, 1500.0, 2000.0],
        payload_for_ranges_km: vec![15_000.0, 13_000.0, 11_000.0],
    };
    g.bench_function(
        "hwasong-15 2017-11-28, timed fit + 360 azimuths + toward + payloads",
        |b| b.iter(|| reconstruct(&h15, &obs15, &geom15, &plan15).expect("reconstructs")),
    );
    let untimed15 = Observables {
        flight_time_s: None,
        ..obs15
    };
    g.bench_function("hwasong-15 fit without flight time (baseline)", |b| {
        b.iter(|| fit(&h15, &untimed15, &geom15, None).expect("fits"))
    });
    g.bench_function("hwasong-15 MAP fit with flight time", |b| {
        b.iter(|| fit(&h15, &obs15, &geom15, None).expect("fits"))
    });
    let fitted = fit(&h12, &obs12, &geom12, None).expect("fits");
    let best = best_range(
        &h12,
        &Aim {
            rocket: &h12.rocket,
            tuning: fitted.tuning,
            site,
            azimuth_deg: 90.0,
            rotating: false,
        },
        None,
    )
    .expect("range");
    g.bench_function("hwasong-12 360-azimuth sweep alone", |b| {
        b.iter(|| {
            range_by_azimuth(&h12, &h12.rocket, fitted.tuning, site, best.kick_deg).expect("sweep")
        })
    });
    g.finish();

    // a Monte Carlo draw of the Hwasong-15 case: the cheap methods against
    // the full ones they replace in `sample`, on the same draw
    let mut g = c.benchmark_group("monte carlo draw");
    g.sample_size(10);
    let nominal = fit(&h15, &obs15, &geom15, None).expect("fits");
    let nominal_best = best_range(
        &h15,
        &Aim {
            rocket: &h15.rocket,
            tuning: nominal.tuning,
            site: site15,
            azimuth_deg: 90.0,
            rotating: false,
        },
        None,
    )
    .expect("range");
    let mut drawn = h15.clone();
    drawn.vertical_s *= 1.2;
    drawn.rocket.stages[0].isp_s *= 1.03;
    drawn.rocket.stages[0].burn_s *= 0.95;
    let drawn_obs = Observables {
        apogee_km: obs15.apogee_km * 1.02,
        range_km: obs15.range_km * 0.98,
        flight_time_s: Some(3_220.0),
        ..obs15
    };
    let start = Some((nominal.tuning, nominal.kick_deg));
    g.bench_function("fit from the nominal (baseline)", |b| {
        b.iter(|| fit(&drawn, &drawn_obs, &geom15, start).expect("fits"))
    });
    g.bench_function("refit from the nominal", |b| {
        b.iter(|| refit(&drawn, &drawn_obs, &geom15, &nominal).expect("fits"))
    });
    let draw_fit = refit(&drawn, &drawn_obs, &geom15, &nominal).expect("fits");
    let aim = Aim {
        rocket: &drawn.rocket,
        tuning: draw_fit.tuning,
        site: site15,
        azimuth_deg: 90.0,
        rotating: false,
    };
    g.bench_function("best range, hinted full search (baseline)", |b| {
        b.iter(|| best_range(&drawn, &aim, Some(nominal_best.kick_deg)).expect("range"))
    });
    g.bench_function("best range near the hint", |b| {
        b.iter(|| best_range_near(&drawn, &aim, nominal_best.kick_deg).expect("range"))
    });
    let survey = Model {
        precision: Precision::Survey,
        ..drawn.clone()
    };
    let survey_aim = Aim {
        rocket: &survey.rocket,
        ..aim
    };
    g.bench_function("best range near the hint, survey precision", |b| {
        b.iter(|| best_range_near(&survey, &survey_aim, nominal_best.kick_deg).expect("range"))
    });
    g.finish();
}

criterion_group!(all, benches);
criterion_main!(all);
