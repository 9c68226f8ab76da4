//! The flight model of a catalogue missile: its nominal rocket (from
//! `data/rockets.csv`) and the flight assumptions every reconstruction of this
//! project makes. They live here, beside the data, so the CLI, the server and
//! the history view fly the same missile; the physics that uses them is in
//! `flight`.

use flight::{Drag, Model, PitchMode, Precision};

use crate::{Catalog, Missile};

/// Drag coefficient of the missile body in powered flight (assumed; typical of
/// slender bodies at supersonic speed).
pub const BODY_CD: f64 = 0.3;
/// Ballistic coefficient of the re-entry vehicle, kg/m^2 (assumed; a blunt
/// early-generation RV lies near 1,000-2,000, a slender modern one near 10,000).
pub const RV_BETA: f64 = 5_000.0;
/// Vertical rise before the pitch-over, s (assumed), for a long-burning
/// first stage; a short-burning one rises for a tenth of its burn (a 30 s
/// solid motor pitches over after 3 s: with 10 s upright it could not fly
/// the flat 100 km-apogee tests of the KN-25).
pub const VERTICAL_S: f64 = 10.0;
/// Duration of the kick of a gravity turn, s (assumed).
pub const KICK_S: f64 = 10.0;
/// Bounds of the fitted burn-time scale.
pub const BURN_SCALE_BOUNDS: (f64, f64) = (0.5, 2.0);

/// How a missile is flown: with or without J2 gravity and the atmosphere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlightOptions {
    pub j2: bool,
    pub vacuum: bool,
}

/// A missile's model and the sentence that says where its rocket comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct MissileModel {
    pub model: Model,
    pub basis: String,
    /// The first stage's propellant (it sets the burn-time prior).
    pub propulsion: crate::Propulsion,
}

impl Catalog {
    /// The model of a catalogue missile: its rocket (or its class
    /// representative's, said so in `basis`) and the flight assumptions.
    pub fn missile_model(&self, m: &Missile, opts: FlightOptions) -> Option<MissileModel> {
        let r = self.rocket_for(m)?;
        let basis = if r.missile == m.id {
            format!("data/rockets.csv ({}): {}", r.missile, r.basis)
        } else {
            format!(
                "data/rockets.csv: no rocket for {}; the {} class rocket of {} stands in",
                m.id,
                m.class.as_str(),
                r.missile
            )
        };
        Some(MissileModel {
            model: Model {
                rocket: r.rocket.clone(),
                fit_pitch: PitchMode::Programmed,
                range_pitch: PitchMode::GravityTurn,
                vertical_s: VERTICAL_S
                    .min(0.1 * r.rocket.stages.first().map_or(100.0, |s| s.burn_s)),
                kick_s: KICK_S,
                j2: opts.j2,
                drag: (!opts.vacuum).then_some(Drag {
                    cd: BODY_CD,
                    rv_ballistic_kg_m2: RV_BETA,
                }),
                burn_scale_bounds: BURN_SCALE_BOUNDS,
                burn_prior_ln_sigma: r.propulsion.burn_prior_ln_sigma(),
                precision: Precision::Reference,
            },
            propulsion: r.propulsion,
            basis,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missile_without_its_own_rocket_says_whose_stands_in() {
        let cat = Catalog::bundled().expect("bundled");
        let own = cat.missile("hwasong-15").expect("in the catalogue");
        let m = cat
            .missile_model(own, FlightOptions::default())
            .expect("a rocket");
        assert!(
            m.basis.starts_with("data/rockets.csv (hwasong-15)"),
            "{}",
            m.basis
        );
        assert!(m.model.drag.is_some());
        let vac = cat
            .missile_model(
                own,
                FlightOptions {
                    j2: true,
                    vacuum: true,
                },
            )
            .expect("a rocket");
        assert!(vac.model.drag.is_none() && vac.model.j2);
        // a missile the rocket table does not list flies its class representative's rocket
        let mut unlisted = cat.missile("musudan").expect("in the catalogue").clone();
        unlisted.id = "musudan-b".into();
        let b = cat
            .missile_model(&unlisted, FlightOptions::default())
            .expect("its class representative's rocket");
        assert_eq!(
            b.model.rocket,
            cat.rocket_for(cat.missile("hwasong-12").expect("listed"))
                .expect("rocket")
                .rocket
        );
        assert!(
            b.basis
                .contains("the IRBM class rocket of hwasong-12 stands in"),
            "{}",
            b.basis
        );
    }

    #[test]
    fn every_rocket_lifts_off_inside_its_engine_class_band() {
        // the prior on burn times is centred on the assumed ones: they must
        // themselves give a lift-off thrust-to-weight of their class
        let cat = Catalog::bundled().expect("bundled");
        for r in &cat.rockets {
            let (lo, hi) = r.propulsion.liftoff_thrust_to_weight_band();
            let twr = r.rocket.liftoff_thrust_to_weight(flight::Tuning::default());
            assert!(
                (lo * 0.85..=hi * 1.15).contains(&twr),
                "{} ({}): lift-off thrust-to-weight {twr:.2} outside {lo}-{hi}",
                r.missile,
                r.propulsion.as_str()
            );
        }
        assert!((crate::Propulsion::Liquid.burn_prior_ln_sigma() - 0.0821).abs() < 1e-3);
    }

    #[test]
    fn the_class_vocabulary_is_the_reach_engines() {
        let ours: Vec<&str> = crate::MissileClass::ALL
            .iter()
            .map(|c| c.as_str())
            .collect();
        assert_eq!(ours, reach::CLASSES);
    }

    #[test]
    fn classes_parse_in_any_case_and_apogee_suggests_one() {
        use crate::MissileClass;
        assert_eq!(MissileClass::parse(" icbm"), Some(MissileClass::ICBM));
        assert_eq!(MissileClass::parse("Irbm"), Some(MissileClass::IRBM));
        assert_eq!(MissileClass::parse("ICBMs"), None);
        assert_eq!(
            MissileClass::from_lofted_apogee_km(4475.0),
            MissileClass::ICBM
        );
        assert_eq!(
            MissileClass::from_lofted_apogee_km(2111.5),
            MissileClass::IRBM
        );
        assert_eq!(
            MissileClass::from_lofted_apogee_km(400.0),
            MissileClass::MRBM
        );
        assert_eq!(
            MissileClass::from_lofted_apogee_km(60.0),
            MissileClass::SRBM
        );
    }
}
