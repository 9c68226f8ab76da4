//! # flight
//!
//! Point-mass flight physics for ballistic missiles, and the reconstruction of
//! a missile's full range from the observables of a lofted test.
//!
//! Why powered flight: a vacuum Kepler fit from the ground puts the whole
//! delta-v in at once, so it misses the gravity loss of a near-vertical ascent
//! and lands 15-25 % below expert estimates. Here the rocket burns its stages
//! along a pitch programme, in an Earth-centred inertial frame with optional
//! rotation, J2 and drag; free flight after burnout is an exact Kepler conic
//! when gravity is a point mass and there is no air.
//!
//! ```
//! use flight::{fly, EarthModel, FlightSpec, GeoPoint, PitchMode, PitchProgram, Precision, Rocket, Stage, Tuning};
//! let rocket = Rocket {
//!     stages: vec![Stage { burn_s: 110.0, isp_s: 230.0, propellant_kg: 12_900.0, dry_kg: 2_100.0 }],
//!     payload_kg: 1_000.0,
//!     diameter_m: 1.36,
//! };
//! let f = fly(&FlightSpec {
//!     rocket: &rocket,
//!     tuning: Tuning::default(),
//!     pitch: PitchProgram { mode: PitchMode::GravityTurn, vertical_s: 10.0, kick_deg: 12.0, kick_s: 10.0 },
//!     site: GeoPoint { lat_deg: 39.0, lon_deg: 125.7 },
//!     azimuth_deg: 90.0,
//!     earth: EarthModel::NON_ROTATING,
//!     drag: None,
//!     precision: Precision::Reference,
//! })
//! .expect("flies");
//! assert!(f.ground_range_km > 500.0 && f.ground_range_km < 2_000.0);
//! ```
//!
//! This crate knows nothing of places, deals, files or HTTP.

mod atmosphere;
mod earth;
mod montecarlo;
mod ode;
mod optimize;
mod reconstruct;
mod rocket;
mod trajectory;
mod vec3;

pub use earth::{EarthModel, GeoPoint, EQUATORIAL_RADIUS, G0, J2, MU, OMEGA, RADIUS};
pub use montecarlo::{percentile, sample, Sample, SampleSettings, Spread};
pub use ode::OdeError;
pub use reconstruct::{
    ballistic_apogee_km, best_range, best_range_near, best_range_toward, fit, min_energy_apogee_km,
    range_by_azimuth, range_by_bearing, reconstruct, refit, Aim, BestRange, Fitted, Model,
    Observables, Plan, Reconstruction, TestGeometry, DEFAULT_FLIGHT_TIME_SIGMA_S,
    FLIGHT_TIME_CONFLICT_SIGMAS, GLOBAL_RANGE_KM, MIN_FLIGHT_PATH_DEG,
};
pub use rocket::{Rocket, Stage, Tuning};
pub use trajectory::{fly, Burnout, Drag, Flight, FlightSpec, PitchMode, PitchProgram, Precision};

/// The generic numerics behind the physics, exported with the `numerics`
/// feature only: this crate's tests check them against closed forms, and the
/// benchmarks time them. Other crates use the physics above, not these.
#[cfg(feature = "numerics")]
pub use {
    atmosphere::density as air_density,
    earth::{central_angle, local_frame},
    ode::{integrate, DormandPrince54, Outcome, Rk4Doubling, Stepper, System, Tolerances},
    optimize::{increasing_root, levenberg_marquardt, maximize},
    trajectory::{fly_with, kepler_impact, ConicImpact},
    vec3::Vec3,
};

/// Why a flight or a reconstruction could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FlightError {
    #[error("invalid rocket: {0}")]
    InvalidRocket(String),
    #[error("invalid {field}: {value} (must be a positive, finite number)")]
    InvalidObservable { field: &'static str, value: f64 },
    #[error("apogee {apogee_km} km is too low for a ballistic flight of {range_km} km: at least {min_km:.1} km (a burnout angle of 3 degrees) is needed")]
    ApogeeTooLow {
        apogee_km: f64,
        range_km: f64,
        min_km: f64,
    },
    #[error("the rocket cannot lift off (thrust-to-weight {thrust_to_weight:.2})")]
    NoLiftoff { thrust_to_weight: f64 },
    #[error("the rocket hits the ground during powered flight at t = {time_s:.1} s")]
    ImpactDuringBurn { time_s: f64 },
    #[error("no impact: {0}")]
    NoImpact(String),
    #[error("fit failed: {0}")]
    FitFailed(String),
    #[error("the reported flight time {reported_s:.0} s conflicts with the apogee and range: the best fit flies {fitted_s:.0} s, {sigmas:.1} standard deviations of {sigma_s:.0} s away (check the reported time, or state its uncertainty)")]
    FlightTimeConflict {
        reported_s: f64,
        fitted_s: f64,
        sigma_s: f64,
        sigmas: f64,
    },
    #[error(transparent)]
    Integration(#[from] OdeError),
}
