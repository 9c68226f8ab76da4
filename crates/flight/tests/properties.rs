//! Property tests: any valid input gives finite numbers or a typed error.

use flight::*;
use proptest::prelude::*;

fn arb_rocket() -> impl Strategy<Value = Rocket> {
    (
        prop::collection::vec(
            (
                20.0..200.0f64,
                200.0..320.0f64,
                500.0..60_000.0f64,
                0.05..0.3f64,
            ),
            1..=3,
        ),
        50.0..2_000.0f64,
        0.3..3.0f64,
    )
        .prop_map(|(stages, payload_kg, diameter_m)| Rocket {
            stages: stages
                .into_iter()
                .map(|(burn_s, isp_s, propellant_kg, dry_frac)| Stage {
                    burn_s,
                    isp_s,
                    propellant_kg,
                    dry_kg: propellant_kg * dry_frac,
                })
                .collect(),
            payload_kg,
            diameter_m,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn flights_are_finite_or_typed_errors(
        rocket in arb_rocket(),
        kick in 0.0..80.0f64,
        az in 0.0..360.0f64,
        lat in -90.0..90.0f64,
        lon in -180.0..180.0f64,
        rotating in any::<bool>(),
        drag in any::<bool>(),
        programmed in any::<bool>(),
    ) {
        let spec = FlightSpec {
            rocket: &rocket,
            tuning: Tuning::default(),
            pitch: PitchProgram {
                mode: if programmed { PitchMode::Programmed } else { PitchMode::GravityTurn },
                vertical_s: 10.0, kick_deg: kick, kick_s: 10.0,
            },
            site: GeoPoint { lat_deg: lat, lon_deg: lon },
            azimuth_deg: az,
            earth: if rotating { EarthModel::ROTATING } else { EarthModel::NON_ROTATING },
            drag: drag.then_some(Drag { cd: 0.3, rv_ballistic_kg_m2: 5000.0 }),
        };
        if let Ok(f) = fly(&spec) {
            prop_assert!(f.apogee_km.is_finite() && f.apogee_km >= 0.0);
            prop_assert!(f.ground_range_km.is_finite() && f.ground_range_km >= 0.0);
            prop_assert!(f.ground_range_km <= std::f64::consts::PI * RADIUS / 1000.0 + 1e-6);
            prop_assert!(f.flight_time_s.is_finite() && f.flight_time_s > 0.0);
            prop_assert!(f.burnout.speed_km_s.is_finite());
            prop_assert!(f.impact.lat_deg.abs() <= 90.0);
        }
    }

    #[test]
    fn free_flight_conserves_energy(
        alt_km in 50.0..1_000.0f64,
        speed in 1_000.0..7_500.0f64,
        gamma in -20.0..89.0f64,
    ) {
        let r = Vec3::new(RADIUS + alt_km * 1000.0, 0.0, 0.0);
        let g = gamma.to_radians();
        let v = Vec3::new(speed * g.sin(), speed * g.cos(), 0.0);
        if let Ok(c) = kepler_impact(r, v, RADIUS) {
            let e0 = 0.5 * v.dot(v) - MU / r.norm();
            let e1 = 0.5 * c.velocity.dot(c.velocity) - MU / c.position.norm();
            prop_assert!(((e1 - e0) / e0).abs() < 1e-9);
            let h0 = r.cross(v).norm();
            let h1 = c.position.cross(c.velocity).norm();
            prop_assert!(((h1 - h0) / h0).abs() < 1e-9);
            prop_assert!(c.time_s >= 0.0 && c.max_radius >= r.norm() * (1.0 - 1e-12));
        }
    }

    #[test]
    fn observables_never_panic(a in prop::num::f64::ANY, r in prop::num::f64::ANY, t in prop::option::of(prop::num::f64::ANY)) {
        let _ = Observables { apogee_km: a, range_km: r, flight_time_s: t }.validate();
    }
}
