//! The Earth model: a sphere for the surface and for ground range, point-mass
//! gravity with optional J2, and a constant rotation rate.
//!
//! Why a sphere: published range estimates are ground ranges on a spherical
//! Earth, and the ellipsoid changes a 10,000 km range by well under 0.5 %.
//! Distances to real places are measured on WGS84 by the reach layer; the
//! difference is stated in every report's assumptions.

use crate::vec3::Vec3;

/// Earth's gravitational parameter, m^3/s^2 (WGS84 / EGM96).
pub const MU: f64 = 3.986_004_418e14;
/// Mean Earth radius, m (IUGG R1), used for the spherical surface.
pub const RADIUS: f64 = 6_371_008.8;
/// WGS84 equatorial radius, m, the reference radius of J2.
pub const EQUATORIAL_RADIUS: f64 = 6_378_137.0;
/// Second zonal harmonic (EGM96, unnormalised).
pub const J2: f64 = 1.082_626_68e-3;
/// Sidereal rotation rate, rad/s (WGS84).
pub const OMEGA: f64 = 7.292_115e-5;
/// Standard gravity, m/s^2, to turn specific impulse in seconds into exhaust speed.
pub const G0: f64 = 9.806_65;

/// The physical switches of a flight: rotation, J2, drag.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EarthModel {
    /// Rotation rate in rad/s; zero for a non-rotating Earth.
    pub omega: f64,
    /// Include the J2 oblateness term in gravity.
    pub j2: bool,
}

impl EarthModel {
    pub const NON_ROTATING: EarthModel = EarthModel {
        omega: 0.0,
        j2: false,
    };
    pub const ROTATING: EarthModel = EarthModel {
        omega: OMEGA,
        j2: false,
    };

    /// Gravitational acceleration at inertial position `r` (m), m/s^2.
    #[inline]
    pub fn gravity(&self, r: Vec3) -> Vec3 {
        let r2 = r.dot(r);
        let rn = r2.sqrt();
        let k = -MU / (r2 * rn);
        if !self.j2 {
            return r * k;
        }
        let z2 = r.z * r.z / r2;
        let f = 1.5 * J2 * EQUATORIAL_RADIUS * EQUATORIAL_RADIUS / r2;
        let xy = k * (1.0 + f * (1.0 - 5.0 * z2));
        let zz = k * (1.0 + f * (3.0 - 5.0 * z2));
        Vec3::new(r.x * xy, r.y * xy, r.z * zz)
    }

    /// Velocity of the ground (or the air, which turns with it) at `r`.
    #[inline]
    pub fn ground_velocity(&self, r: Vec3) -> Vec3 {
        Vec3::new(-self.omega * r.y, self.omega * r.x, 0.0)
    }
}

/// A point on the sphere given by latitude and longitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GeoPoint {
    pub lat_deg: f64,
    pub lon_deg: f64,
}

impl GeoPoint {
    /// Earth-fixed position on the spherical surface, m. At t = 0 the inertial
    /// frame coincides with the Earth-fixed one.
    pub fn to_ecef(self, radius: f64) -> Vec3 {
        let (sla, cla) = self.lat_deg.to_radians().sin_cos();
        let (slo, clo) = self.lon_deg.to_radians().sin_cos();
        Vec3::new(radius * cla * clo, radius * cla * slo, radius * sla)
    }

    pub fn from_ecef(p: Vec3) -> GeoPoint {
        let lat = (p.z / p.norm()).clamp(-1.0, 1.0).asin().to_degrees();
        let lon = p.y.atan2(p.x).to_degrees();
        GeoPoint {
            lat_deg: lat,
            lon_deg: lon,
        }
    }
}

/// Local east, north, up unit vectors at position `r`. At a pole, where east is
/// undefined, the x axis stands in for it so the frame is still orthonormal.
pub fn local_frame(r: Vec3) -> (Vec3, Vec3, Vec3) {
    let up = r.unit();
    let mut east = Vec3::Z.cross(up);
    if east.norm() < 1e-12 {
        east = Vec3::new(0.0, 1.0, 0.0).cross(up);
        if up.z < 0.0 {
            east = -east;
        }
    }
    let east = east.unit();
    let north = up.cross(east);
    (east, north, up)
}

/// Great-circle angle between two vectors, radians, in [0, pi].
pub fn central_angle(a: Vec3, b: Vec3) -> f64 {
    a.cross(b).norm().atan2(a.dot(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecef_round_trip() {
        let p = GeoPoint {
            lat_deg: 39.2,
            lon_deg: 125.67,
        };
        let q = GeoPoint::from_ecef(p.to_ecef(RADIUS));
        assert!((p.lat_deg - q.lat_deg).abs() < 1e-9);
        assert!((p.lon_deg - q.lon_deg).abs() < 1e-9);
    }

    #[test]
    fn local_frame_is_orthonormal_even_at_the_pole() {
        for lat in [90.0, -90.0, 39.0, 0.0] {
            let r = GeoPoint {
                lat_deg: lat,
                lon_deg: 10.0,
            }
            .to_ecef(RADIUS);
            let (e, n, u) = local_frame(r);
            for (a, b) in [(e, n), (n, u), (e, u)] {
                assert!(a.dot(b).abs() < 1e-12, "lat {lat}");
            }
            for v in [e, n, u] {
                assert!((v.norm() - 1.0).abs() < 1e-12);
            }
            // right-handed: east x north = up
            assert!((e.cross(n) - u).norm() < 1e-12);
        }
    }

    #[test]
    fn ground_speed_at_39_north_is_about_360_m_s() {
        let r = GeoPoint {
            lat_deg: 39.0,
            lon_deg: 125.0,
        }
        .to_ecef(RADIUS);
        let v = EarthModel::ROTATING.ground_velocity(r).norm();
        assert!((v - 361.1).abs() < 1.0, "{v}");
    }

    #[test]
    fn j2_strengthens_gravity_at_the_equator() {
        let eq = Vec3::new(RADIUS, 0.0, 0.0);
        let plain = EarthModel::NON_ROTATING.gravity(eq).norm();
        let j2 = EarthModel {
            omega: 0.0,
            j2: true,
        }
        .gravity(eq)
        .norm();
        // 1.5 J2 (Re/r)^2 relative increase
        let expected = 1.5 * J2 * (EQUATORIAL_RADIUS / RADIUS).powi(2);
        assert!(((j2 / plain - 1.0) - expected).abs() < 1e-12);
    }
}
