//! Closed forms of the Kepler arc from the ground: the apogee of the arc
//! that covers a range at a given launch angle, and of the minimum-energy arc.
//! The fit starts from them, and `Observables::validate` rejects apogees no
//! ballistic arc can have.

use crate::earth::RADIUS;

/// The shallowest burnout flight-path angle a reported test may imply, degrees.
pub const MIN_FLIGHT_PATH_DEG: f64 = 3.0;

/// Apogee, km above the sphere, of the Kepler arc that leaves the surface at
/// flight-path angle `gamma_deg` and comes down `range_km` away. From the
/// free-flight range equation sin(2 gamma + psi/2) = (2 - nu)/nu sin(psi/2),
/// with nu = v^2 r / mu. Infinite where no bound arc exists.
pub fn ballistic_apogee_km(range_km: f64, gamma_deg: f64) -> f64 {
    let r = RADIUS / 1000.0;
    let half = range_km / r / 2.0;
    let gamma = gamma_deg.to_radians();
    let nu = 2.0 * half.sin() / (half.sin() + (2.0 * gamma + half).sin());
    if !(0.0..2.0).contains(&nu) {
        // no closed arc: the speed needed is at or beyond escape
        return f64::INFINITY;
    }
    let e = (1.0 - nu * (2.0 - nu) * gamma.cos().powi(2))
        .max(0.0)
        .sqrt();
    r * (1.0 + e) / (2.0 - nu) - r
}

/// Apogee of the minimum-energy arc over `range_km`, km: its launch angle is
/// (pi - psi) / 4.
pub fn min_energy_apogee_km(range_km: f64) -> f64 {
    let psi = range_km / (RADIUS / 1000.0);
    ballistic_apogee_km(range_km, ((std::f64::consts::PI - psi) / 4.0).to_degrees())
}
