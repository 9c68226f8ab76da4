//! The model of a missile as reconstruction flies it: what a test reported
//! ([`Observables`]), the assumed rocket and flight programme ([`Model`]),
//! where and how the test was flown ([`TestGeometry`]) and where a range
//! flight goes ([`Aim`]).

use serde::Serialize;

use super::kepler::{ballistic_apogee_km, MIN_FLIGHT_PATH_DEG};
use crate::earth::{EarthModel, GeoPoint, RADIUS};
use crate::rocket::{Rocket, Tuning};
use crate::trajectory::{fly, Drag, Flight, FlightSpec, PitchMode, PitchProgram, Precision};
use crate::FlightError;

/// The standard deviation of a reported flight time assumed when none is
/// given, s. Sources round and time differently: Japan's "about 45 minutes"
/// against KCNA's 47 min 12 s on 28 July 2017, Japan's 71 minutes against
/// KCNA's 4,052 s on 24 March 2022. A flight time is a soft constraint,
/// never an exact one.
pub const DEFAULT_FLIGHT_TIME_SIGMA_S: f64 = 90.0;

/// What a test reported.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Observables {
    pub apogee_km: f64,
    pub range_km: f64,
    pub flight_time_s: Option<f64>,
    /// The uncertainty of the reported flight time (one standard deviation), s.
    pub flight_time_sigma_s: f64,
}

impl Observables {
    /// Checks the numbers are physical; names the offending field.
    pub fn validate(&self) -> Result<(), FlightError> {
        let bad = |field: &'static str, value: f64| FlightError::InvalidObservable { field, value };
        if !(self.apogee_km.is_finite() && self.apogee_km > 0.0) {
            return Err(bad("apogee_km", self.apogee_km));
        }
        if !(self.range_km.is_finite() && self.range_km > 0.0) {
            return Err(bad("range_km", self.range_km));
        }
        if self.range_km >= std::f64::consts::PI * RADIUS / 1000.0 {
            return Err(bad("range_km", self.range_km));
        }
        if let Some(t) = self.flight_time_s {
            if !(t.is_finite() && t > 0.0) {
                return Err(bad("flight_time_s", t));
            }
        }
        if !(self.flight_time_sigma_s.is_finite() && self.flight_time_sigma_s > 0.0) {
            return Err(bad("flight_time_sigma_s", self.flight_time_sigma_s));
        }
        // a reported apogee below the arc launched 3 degrees above the horizon
        // is no ballistic flight (and no input this model can reproduce)
        let min_km = ballistic_apogee_km(self.range_km, MIN_FLIGHT_PATH_DEG);
        if self.apogee_km < min_km {
            return Err(FlightError::ApogeeTooLow {
                apogee_km: self.apogee_km,
                range_km: self.range_km,
                min_km,
            });
        }
        Ok(())
    }
}

/// The assumed rocket and flight programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    pub rocket: Rocket,
    /// Pitch programme of the fitted test flight (lofted or otherwise).
    pub fit_pitch: PitchMode,
    /// Pitch programme of the range-maximising flights.
    pub range_pitch: PitchMode,
    pub vertical_s: f64,
    pub kick_s: f64,
    pub j2: bool,
    pub drag: Option<Drag>,
    /// Bounds on the fitted burn-time scale.
    pub burn_scale_bounds: (f64, f64),
    /// The prior on the burn-time scale: ln(burn_scale) is normal about 0
    /// (the rocket's assumed burn times) with this standard deviation, the
    /// spread of the engine class's lift-off thrust-to-weight band.
    pub burn_prior_ln_sigma: f64,
    /// How tightly its flights are integrated.
    pub precision: Precision,
}

/// Where and how the test was flown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TestGeometry {
    pub site: GeoPoint,
    pub bearing_deg: f64,
    /// False: fit on a non-rotating Earth (site and bearing unknown).
    pub rotating: bool,
}

/// Where a range flight goes: the rocket and its fitted performance, the
/// launch point and the direction, on a rotating Earth or not.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aim<'a> {
    pub rocket: &'a Rocket,
    pub tuning: Tuning,
    pub site: GeoPoint,
    pub azimuth_deg: f64,
    pub rotating: bool,
}

impl Model {
    fn earth(&self, rotating: bool) -> EarthModel {
        EarthModel {
            omega: if rotating { crate::earth::OMEGA } else { 0.0 },
            j2: self.j2,
        }
    }

    /// One flight of the test's pitch programme.
    pub fn test_flight(
        &self,
        tuning: Tuning,
        kick_deg: f64,
        geom: &TestGeometry,
    ) -> Result<Flight, FlightError> {
        let aim = Aim {
            rocket: &self.rocket,
            tuning,
            site: geom.site,
            azimuth_deg: geom.bearing_deg,
            rotating: geom.rotating,
        };
        self.fly(self.fit_pitch, &aim, kick_deg)
    }

    /// One flight of the range-maximising pitch programme.
    pub fn range_flight(&self, aim: &Aim, kick_deg: f64) -> Result<Flight, FlightError> {
        self.fly(self.range_pitch, aim, kick_deg)
    }

    /// One flight of the model rocket with a pitch programme and kick.
    pub fn fly(&self, mode: PitchMode, aim: &Aim, kick_deg: f64) -> Result<Flight, FlightError> {
        fly(&FlightSpec {
            rocket: aim.rocket,
            tuning: aim.tuning,
            pitch: PitchProgram {
                mode,
                vertical_s: self.vertical_s,
                kick_deg,
                kick_s: self.kick_s,
            },
            site: aim.site,
            azimuth_deg: aim.azimuth_deg,
            earth: self.earth(aim.rotating),
            drag: self.drag,
            precision: self.precision,
        })
    }
}
