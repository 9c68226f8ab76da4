//! The parametric rocket: one to three stages burning in sequence with no
//! coast, each with a burn time, a specific impulse, propellant and dry mass,
//! carrying a payload (re-entry vehicle plus any bus).
//!
//! Two scale factors let a reconstruction fit the unknown real performance:
//! `dv_scale` multiplies every stage's exhaust speed (so the ideal delta-v
//! scales by exactly that factor, and thrust with it), and `burn_scale`
//! stretches every burn (same propellant, lower thrust, more gravity loss).

use serde::{Deserialize, Serialize};

use crate::earth::G0;
use crate::FlightError;

/// One stage of a rocket.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stage {
    /// Burn time, s.
    pub burn_s: f64,
    /// Effective specific impulse over the burn, s.
    pub isp_s: f64,
    /// Propellant burnt, kg.
    pub propellant_kg: f64,
    /// Mass dropped at the end of the burn (structure and engine), kg.
    pub dry_kg: f64,
}

/// A rocket of one to three stages and its payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rocket {
    pub stages: Vec<Stage>,
    /// Mass carried to the end of powered flight, kg.
    pub payload_kg: f64,
    /// Body diameter for drag, m.
    pub diameter_m: f64,
}

/// Performance factors fitted by a reconstruction (1.0 = the nominal rocket).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Tuning {
    pub dv_scale: f64,
    pub burn_scale: f64,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            dv_scale: 1.0,
            burn_scale: 1.0,
        }
    }
}

impl Rocket {
    /// Checks that every number is finite and physical.
    pub fn validate(&self) -> Result<(), FlightError> {
        if self.stages.is_empty() || self.stages.len() > 3 {
            return Err(FlightError::InvalidRocket(format!(
                "a rocket has one to three stages, not {}",
                self.stages.len()
            )));
        }
        let positive = |name: &str, v: f64| {
            if v.is_finite() && v > 0.0 {
                Ok(())
            } else {
                Err(FlightError::InvalidRocket(format!(
                    "{name} must be a positive number, not {v}"
                )))
            }
        };
        for (i, s) in self.stages.iter().enumerate() {
            let n = i + 1;
            positive(&format!("stage {n} burn_s"), s.burn_s)?;
            positive(&format!("stage {n} isp_s"), s.isp_s)?;
            positive(&format!("stage {n} propellant_kg"), s.propellant_kg)?;
            positive(&format!("stage {n} dry_kg"), s.dry_kg)?;
        }
        positive("payload_kg", self.payload_kg)?;
        positive("diameter_m", self.diameter_m)?;
        Ok(())
    }

    /// Mass at lift-off, kg.
    pub fn liftoff_mass_kg(&self) -> f64 {
        self.payload_kg
            + self
                .stages
                .iter()
                .map(|s| s.propellant_kg + s.dry_kg)
                .sum::<f64>()
    }

    /// Mass at ignition of stage `i` (0-based), kg.
    pub fn ignition_mass_kg(&self, i: usize) -> f64 {
        self.payload_kg
            + self.stages[i..]
                .iter()
                .map(|s| s.propellant_kg + s.dry_kg)
                .sum::<f64>()
    }

    /// Ideal (rocket-equation) delta-v, m/s, with the given tuning.
    pub fn ideal_delta_v(&self, tuning: Tuning) -> f64 {
        (0..self.stages.len())
            .map(|i| {
                let s = &self.stages[i];
                let m0 = self.ignition_mass_kg(i);
                tuning.dv_scale * s.isp_s * G0 * (m0 / (m0 - s.propellant_kg)).ln()
            })
            .sum()
    }

    /// Total burn time, s, with the given tuning.
    pub fn burn_time_s(&self, tuning: Tuning) -> f64 {
        tuning.burn_scale * self.stages.iter().map(|s| s.burn_s).sum::<f64>()
    }

    /// Thrust-to-weight ratio at lift-off.
    pub fn liftoff_thrust_to_weight(&self, tuning: Tuning) -> f64 {
        let s = &self.stages[0];
        let mdot = s.propellant_kg / (s.burn_s * tuning.burn_scale);
        mdot * s.isp_s * G0 * tuning.dv_scale / (self.liftoff_mass_kg() * G0)
    }

    /// The same rocket with another payload.
    pub fn with_payload(&self, payload_kg: f64) -> Rocket {
        Rocket {
            payload_kg,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_stage() -> Rocket {
        Rocket {
            stages: vec![
                Stage {
                    burn_s: 100.0,
                    isp_s: 250.0,
                    propellant_kg: 8000.0,
                    dry_kg: 1000.0,
                },
                Stage {
                    burn_s: 60.0,
                    isp_s: 300.0,
                    propellant_kg: 800.0,
                    dry_kg: 100.0,
                },
            ],
            payload_kg: 100.0,
            diameter_m: 1.0,
        }
    }

    #[test]
    fn delta_v_is_the_sum_of_the_rocket_equation_per_stage() {
        let r = two_stage();
        let dv1 = 250.0 * G0 * (10_000.0f64 / 2_000.0).ln();
        let dv2 = 300.0 * G0 * (1_000.0f64 / 200.0).ln();
        assert!((r.ideal_delta_v(Tuning::default()) - (dv1 + dv2)).abs() < 1e-9);
        let k = Tuning {
            dv_scale: 1.1,
            burn_scale: 1.0,
        };
        assert!((r.ideal_delta_v(k) - 1.1 * (dv1 + dv2)).abs() < 1e-9);
    }

    #[test]
    fn heavier_payload_means_less_delta_v() {
        let r = two_stage();
        let t = Tuning::default();
        assert!(r.with_payload(200.0).ideal_delta_v(t) < r.ideal_delta_v(t));
    }

    #[test]
    fn rejects_nonsense() {
        let mut r = two_stage();
        r.stages[1].isp_s = f64::NAN;
        assert!(r.validate().is_err());
        r.stages.clear();
        assert!(r.validate().is_err());
    }
}
