//! One flight: powered ascent integrated in an Earth-centred inertial frame,
//! then free flight to impact, analytic (a Kepler conic) when gravity is a
//! point mass and there is no air, numeric otherwise.
//!
//! The inertial frame coincides with the Earth-fixed frame at lift-off. On a
//! rotating Earth the rocket starts with the ground's velocity, steers relative
//! to the air (which turns with the Earth), and its impact point is rotated back
//! into the Earth-fixed frame at the moment of impact.

use serde::{Deserialize, Serialize};

use crate::atmosphere;
use crate::earth::{central_angle, local_frame, EarthModel, GeoPoint, G0, MU, RADIUS};
use crate::ode::{integrate, DormandPrince54, Stepper, System, Tolerances};
use crate::rocket::{Rocket, Tuning};
use crate::vec3::Vec3;
use crate::FlightError;

/// How the rocket steers after its vertical rise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PitchMode {
    /// A kick of `kick_deg` from the vertical toward the azimuth, held for
    /// `kick_s`, then a gravity turn (thrust along the air-relative velocity).
    GravityTurn,
    /// The thrust tilts from the vertical at a steady rate, reaching
    /// `kick_deg` from the vertical at burnout, in the launch plane (which
    /// turns with the Earth). An open-loop attitude programme: its burnout
    /// angle follows the parameter smoothly, so lofted fits are well posed.
    Programmed,
}

/// The pitch programme: a vertical rise, then a pitch-over whose size is set
/// by `kick_deg` (see [`PitchMode`]). A small angle lofts the flight, a large
/// one depresses it; the range-maximising angle is found by the reconstruction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PitchProgram {
    pub mode: PitchMode,
    pub vertical_s: f64,
    pub kick_deg: f64,
    pub kick_s: f64,
}

/// Drag: a constant drag coefficient on the body during powered flight, and a
/// ballistic coefficient for the payload in free flight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Drag {
    pub cd: f64,
    /// m / (Cd A) of the re-entry vehicle, kg/m^2.
    pub rv_ballistic_kg_m2: f64,
}

/// Everything that defines one flight.
#[derive(Debug, Clone)]
pub struct FlightSpec<'a> {
    pub rocket: &'a Rocket,
    pub tuning: Tuning,
    pub pitch: PitchProgram,
    pub site: GeoPoint,
    /// Launch azimuth, degrees clockwise from north.
    pub azimuth_deg: f64,
    pub earth: EarthModel,
    pub drag: Option<Drag>,
    pub precision: Precision,
}

/// The state at the end of powered flight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Burnout {
    /// Earth-relative speed, km/s.
    pub speed_km_s: f64,
    /// Inertial speed, km/s (equal to the above on a non-rotating Earth).
    pub inertial_speed_km_s: f64,
    /// Angle of the Earth-relative velocity above the local horizontal, degrees.
    pub flight_path_angle_deg: f64,
    pub altitude_km: f64,
    pub time_s: f64,
    /// Ground distance covered by burnout, km.
    pub downrange_km: f64,
}

/// What a flight gives.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Flight {
    pub apogee_km: f64,
    /// Great-circle distance on the sphere from the launch point to impact, km.
    pub ground_range_km: f64,
    pub flight_time_s: f64,
    pub burnout: Burnout,
    pub impact: GeoPoint,
    /// Steps taken by the integrator (for benchmarks and diagnostics).
    pub steps: u32,
}

/// How tightly a flight is integrated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    /// Every figure reported for one flight or one fit: a 13,000 km flight
    /// reproducible to a few tens of metres.
    #[default]
    Reference,
    /// Tolerances ten times looser, for the range searches of Monte Carlo
    /// draws, whose spread is thousands of kilometres: about a third fewer
    /// steps; over 2,000 Hwasong-15 draws the best range moved by at most
    /// 2.7 km from [`Precision::Reference`] (1.3 km at the 99th percentile,
    /// -0.03 km on average). Test: `survey_precision_moves_a_best_range_by_little_in_fewer_steps`.
    Survey,
}

impl Precision {
    fn factor(self) -> f64 {
        match self {
            Precision::Reference => 1.0,
            Precision::Survey => 10.0,
        }
    }
}

/// Integration tolerances, chosen so a 13,000 km flight is reproducible to a
/// few tens of metres; tenfold tighter settings change ranges by under 100 m.
fn tolerances(precision: Precision) -> Tolerances<7> {
    let k = precision.factor();
    Tolerances {
        atol: [
            1e-1 * k,
            1e-1 * k,
            1e-1 * k,
            1e-4 * k,
            1e-4 * k,
            1e-4 * k,
            1e-2 * k,
        ],
        rtol: 1e-8 * k,
    }
}

/// Looser tolerances for the plunge through the air after re-entry, where the
/// drag model itself (a constant ballistic coefficient) is good to percents:
/// the impact point moves by well under 100 m.
fn reentry_tolerances(precision: Precision) -> Tolerances<7> {
    let k = precision.factor();
    Tolerances {
        atol: [
            1.0 * k,
            1.0 * k,
            1.0 * k,
            1e-3 * k,
            1e-3 * k,
            1e-3 * k,
            1.0 * k,
        ],
        rtol: 1e-7 * k,
    }
}

#[derive(Clone, Copy)]
enum Steering {
    Vertical,
    Kick(Vec3),
    GravityTurn,
    /// Pitch from the vertical = rate * (t - t0), in the plane whose
    /// Earth-fixed normal is `normal`.
    Programmed {
        t0: f64,
        rate: f64,
        normal: Vec3,
        omega: f64,
    },
}

struct Powered {
    earth: EarthModel,
    thrust: f64,
    mdot: f64,
    steering: Steering,
    /// Cd * A of the body, m^2 (zero without drag).
    cda: f64,
}

#[inline]
fn drag_accel(earth: &EarthModel, r: Vec3, v: Vec3, per_mass: f64) -> Vec3 {
    // per_mass = Cd A / m (m^2/kg)
    let alt = r.norm() - RADIUS;
    let rho = atmosphere::density(alt);
    if rho == 0.0 {
        return Vec3::ZERO;
    }
    let vr = v - earth.ground_velocity(r);
    vr * (-0.5 * rho * vr.norm() * per_mass)
}

impl System<7> for Powered {
    #[inline]
    fn derivs(&self, t: f64, y: &[f64; 7]) -> [f64; 7] {
        let r = Vec3::new(y[0], y[1], y[2]);
        let v = Vec3::new(y[3], y[4], y[5]);
        let m = y[6];
        let dir = match self.steering {
            Steering::Programmed {
                t0,
                rate,
                normal,
                omega,
            } => {
                let up = r.unit();
                let n = normal.rotate_z(omega * t);
                let horizontal = n.cross(up).unit();
                let (sp, cp) = (rate * (t - t0)).sin_cos();
                up * cp + horizontal * sp
            }
            Steering::Vertical => r.unit(),
            Steering::Kick(d) => d,
            Steering::GravityTurn => {
                let vr = v - self.earth.ground_velocity(r);
                if vr.norm() > 1e-3 {
                    vr.unit()
                } else {
                    r.unit()
                }
            }
        };
        let mut a = self.earth.gravity(r) + dir * (self.thrust / m);
        if self.cda > 0.0 {
            a += drag_accel(&self.earth, r, v, self.cda / m);
        }
        [v.x, v.y, v.z, a.x, a.y, a.z, -self.mdot]
    }
}

struct Coast {
    earth: EarthModel,
    /// 1 / ballistic coefficient, m^2/kg (zero without drag).
    inv_beta: f64,
}

impl System<7> for Coast {
    #[inline]
    fn derivs(&self, _t: f64, y: &[f64; 7]) -> [f64; 7] {
        let r = Vec3::new(y[0], y[1], y[2]);
        let v = Vec3::new(y[3], y[4], y[5]);
        let mut a = self.earth.gravity(r);
        if self.inv_beta > 0.0 {
            a += drag_accel(&self.earth, r, v, self.inv_beta);
        }
        [v.x, v.y, v.z, a.x, a.y, a.z, 0.0]
    }
}

fn split(y: &[f64; 7]) -> (Vec3, Vec3) {
    (Vec3::new(y[0], y[1], y[2]), Vec3::new(y[3], y[4], y[5]))
}

/// Where a ballistic arc from (r, v) meets the sphere of radius `radius`.
#[derive(Debug, Clone, Copy)]
pub struct ConicImpact {
    /// Largest radius reached after the given state, m (the state's own radius if descending).
    pub max_radius: f64,
    /// Time from the given state to impact, s.
    pub time_s: f64,
    /// Inertial position at the crossing, m.
    pub position: Vec3,
    /// Inertial velocity at the crossing, m/s.
    pub velocity: Vec3,
    /// Angle swept from the given state to impact, radians (read by the tests).
    #[cfg_attr(not(feature = "numerics"), allow(dead_code))]
    pub transfer_angle: f64,
}

/// The Kepler conic from inertial state (r, v) to its descending crossing of
/// `radius`. Errors when the arc escapes or never comes down to that radius.
pub fn kepler_impact(r: Vec3, v: Vec3, radius: f64) -> Result<ConicImpact, FlightError> {
    let rn = r.norm();
    let h = r.cross(v);
    let hn = h.norm();
    let energy = 0.5 * v.dot(v) - MU / rn;
    if energy >= 0.0 {
        return Err(FlightError::NoImpact("the arc escapes Earth".into()));
    }
    let a = -MU / (2.0 * energy);
    if hn <= 1e-12 * rn * v.norm() {
        return radial_impact(r, v, radius, a);
    }
    let e_vec = v.cross(h) * (1.0 / MU) - r.unit();
    let e = e_vec.norm();
    let p = hn * hn / MU;
    let r_peri = a * (1.0 - e);
    if r_peri >= radius {
        return Err(FlightError::NoImpact("the arc goes into orbit".into()));
    }
    let nu_of = |rad: f64| ((p / rad - 1.0) / e).clamp(-1.0, 1.0).acos();
    let ascending = r.dot(v) > 0.0;
    let nu0 = if ascending {
        nu_of(rn)
    } else {
        std::f64::consts::TAU - nu_of(rn)
    };
    let nu_i = std::f64::consts::TAU - nu_of(radius);
    let ecc_anom = |nu: f64| {
        let ea =
            2.0 * ((1.0 - e).sqrt() * (nu / 2.0).sin()).atan2((1.0 + e).sqrt() * (nu / 2.0).cos());
        if ea < 0.0 {
            ea + std::f64::consts::TAU
        } else {
            ea
        }
    };
    let mean = |nu: f64| {
        let ea = ecc_anom(nu);
        ea - e * ea.sin()
    };
    let n = (MU / (a * a * a)).sqrt();
    let time_s = ((mean(nu_i) - mean(nu0)) / n).max(0.0);
    let dnu = (nu_i - nu0).max(0.0);
    let p_hat = r.unit();
    let q_hat = h.unit().cross(p_hat);
    let u = p_hat * dnu.cos() + q_hat * dnu.sin();
    let position = u * radius;
    let radial = (MU / p).sqrt() * e * nu_i.sin();
    let velocity = u * radial + h.unit().cross(u) * (hn / radius);
    let max_radius = if ascending { a * (1.0 + e) } else { rn };
    Ok(ConicImpact {
        max_radius,
        time_s,
        position,
        velocity,
        transfer_angle: dnu,
    })
}

/// A flight's ground track from launch to impact, for telling whether it
/// passes the antipode (half the circumference). The track: the launch point, the sub-point at burnout,
/// then the free-flight conic from burnout sampled in true anomaly (each
/// sample's time from Kepler's equation, its position turned into the
/// Earth-fixed frame of that time), and the impact point, summed as
/// great-circle chords. Drag and J2 bend the real free flight a little from
/// this conic; the track is for telling a flight that passes the antipode
/// from one that does not, not for ranging.
///
/// Most flights are far from it: a bound is tried first. Each chord between
/// two samples is at most the angle the conic sweeps between them plus the
/// angle the Earth turns meanwhile (a turn about the axis moves a point by
/// at most its own angle), so the sampled track is at most the sweep to
/// burnout, the conic's whole sweep, the Earth's turn over the free flight
/// and the gap between the conic's own landing point and the impact. Only
/// when that bound reaches half the circumference is the track sampled (48
/// samples, a few hundred trigonometric calls: a tenth of a flight's cost).
#[derive(Clone, Copy)]
struct Track {
    /// The launch point, Earth-fixed.
    r0_fixed: Vec3,
    /// The inertial state at burnout, and its time, s.
    rb: Vec3,
    vb: Vec3,
    t_b: f64,
    /// The impact time, s, and point, Earth-fixed.
    t_impact: f64,
    impact_fixed: Vec3,
    /// The Earth's rotation rate, rad/s.
    omega: f64,
}

impl Track {
    /// Whether the track passes the antipode: the bound first, the sampled
    /// track only when the bound reaches it.
    fn passes_antipode(&self) -> bool {
        // a margin for rounding in the bound's own terms
        self.bound() >= std::f64::consts::PI - 1e-9 && self.angle() >= std::f64::consts::PI
    }
}

/// The free-flight conic from burnout as the ground track samples it: its
/// plane, its shape, and the true anomalies at burnout and where it comes
/// down to the ground. One definition for [`Track::bound`] and
/// [`Track::angle`], so the bound is of the very track it bounds.
struct TrackConic {
    a: f64,
    e: f64,
    p: f64,
    p_hat: Vec3,
    q_hat: Vec3,
    nu_b: f64,
    nu_ground: f64,
}

impl TrackConic {
    /// None when the arc escapes or has no plane (a vertical shot).
    fn of(rb: Vec3, vb: Vec3) -> Option<TrackConic> {
        let rn = rb.norm();
        let h = rb.cross(vb);
        let hn = h.norm();
        let energy = 0.5 * vb.dot(vb) - MU / rn;
        if !(energy < 0.0 && hn > 1e-9 * rn * vb.norm()) {
            return None;
        }
        let a = -MU / (2.0 * energy);
        let e_vec = vb.cross(h) * (1.0 / MU) - rb.unit();
        let e = e_vec.norm().min(0.999_999);
        let p = hn * hn / MU;
        // the true anomaly at burnout, measured from perigee in the orbit's plane
        let p_hat = if e > 1e-9 { e_vec.unit() } else { rb.unit() };
        let q_hat = h.unit().cross(p_hat);
        let nu_b = rb
            .dot(q_hat)
            .atan2(rb.dot(p_hat))
            .rem_euclid(std::f64::consts::TAU);
        // how far the conic turns before it comes down to the ground
        let c = ((p / RADIUS - 1.0) / e.max(1e-12)).clamp(-1.0, 1.0).acos();
        Some(TrackConic {
            a,
            e,
            p,
            p_hat,
            q_hat,
            nu_b,
            nu_ground: std::f64::consts::TAU - c,
        })
    }

    /// The angle the conic sweeps from burnout to the ground, radians.
    fn sweep(&self) -> f64 {
        (self.nu_ground - self.nu_b).rem_euclid(std::f64::consts::TAU)
    }

    /// The inertial position at true anomaly `nu`.
    fn at(&self, nu: f64) -> Vec3 {
        let r = self.p / (1.0 + self.e * nu.cos());
        (self.p_hat * nu.cos() + self.q_hat * nu.sin()) * r
    }
}

impl Track {
    /// A point of the inertial frame at time `t`, in the Earth-fixed frame.
    fn fixed(&self, r: Vec3, t: f64) -> Vec3 {
        r.rotate_z(-self.omega * t)
    }

    /// The burnout point, Earth-fixed, and the angle from launch to it.
    fn launch_to_burnout(&self) -> (Vec3, f64) {
        let rb_fixed = self.fixed(self.rb, self.t_b);
        (rb_fixed, central_angle(self.r0_fixed, rb_fixed))
    }

    /// An upper bound of [`Track::angle`], radians, for a tenth of its cost.
    fn bound(&self) -> f64 {
        let (rb_fixed, to_burnout) = self.launch_to_burnout();
        match TrackConic::of(self.rb, self.vb) {
            // where the conic itself comes down, turned with the Earth to the
            // impact time (the last sample is within the sweep and turn of it)
            Some(k) => {
                to_burnout
                    + k.sweep()
                    + self.omega.abs() * (self.t_impact - self.t_b).max(0.0)
                    + central_angle(
                        self.fixed(k.at(k.nu_ground), self.t_impact),
                        self.impact_fixed,
                    )
            }
            // no conic to sample: the track is the two chords
            None => to_burnout + central_angle(rb_fixed, self.impact_fixed),
        }
    }

    /// The angle swept over the rotating ground from launch to impact,
    /// radians, as [`Track`] describes it.
    fn angle(&self) -> f64 {
        let (mut last, mut swept) = self.launch_to_burnout();
        if let Some(k) = TrackConic::of(self.rb, self.vb) {
            let e = k.e;
            let n = (MU / (k.a * k.a * k.a)).sqrt();
            // unwrapped mean anomaly of a true anomaly (monotone past 2 pi)
            let mean = |nu: f64| {
                let turns = (nu / std::f64::consts::TAU).floor();
                let v = nu - turns * std::f64::consts::TAU;
                let ea = (2.0
                    * ((1.0 - e).sqrt() * (v / 2.0).sin())
                        .atan2((1.0 + e).sqrt() * (v / 2.0).cos()))
                .rem_euclid(std::f64::consts::TAU);
                ea - e * ea.sin() + turns * std::f64::consts::TAU
            };
            let mut dnu = k.sweep();
            if dnu < 1e-9 {
                dnu = 0.0;
            }
            let m_b = mean(k.nu_b);
            const SAMPLES: usize = 48;
            for i in 1..SAMPLES {
                let nu = k.nu_b + dnu * i as f64 / SAMPLES as f64;
                let t = self.t_b + (mean(nu) - m_b) / n;
                let f = self.fixed(k.at(nu), t.min(self.t_impact));
                swept += central_angle(last, f);
                last = f;
            }
        }
        swept + central_angle(last, self.impact_fixed)
    }
}

/// The apogee radius of the conic through (r, v), m; None when it escapes.
fn conic_apogee(r: Vec3, v: Vec3) -> Option<f64> {
    let rn = r.norm();
    let energy = 0.5 * v.dot(v) - MU / rn;
    if energy >= 0.0 {
        return None;
    }
    let a = -MU / (2.0 * energy);
    let h = r.cross(v);
    let e = (v.cross(h) * (1.0 / MU) - r.unit()).norm();
    Some(a * (1.0 + e))
}

/// A purely vertical flight (zero angular momentum): up and straight back down.
fn radial_impact(r: Vec3, v: Vec3, radius: f64, a: f64) -> Result<ConicImpact, FlightError> {
    let rn = r.norm();
    let vr = r.dot(v) / rn;
    let r_max = 2.0 * a; // energy = -mu / r_max at the top
                         // time to fall from r_max to radius x on a radial ellipse (e = 1):
                         // t(x) = sqrt(r_max^3 / (2 mu)) * (acos(sqrt(x / r_max))... ) standard form
    let fall = |x: f64| {
        let u = (x / r_max).clamp(0.0, 1.0);
        (r_max.powi(3) / (2.0 * MU)).sqrt() * ((u * (1.0 - u)).sqrt() + u.sqrt().acos())
    };
    let time_s = if vr > 0.0 {
        fall(rn) + fall(radius)
    } else {
        fall(radius) - fall(rn)
    };
    Ok(ConicImpact {
        max_radius: if vr > 0.0 { r_max } else { rn },
        time_s,
        position: r.unit() * radius,
        velocity: r.unit() * -(2.0 * MU * (1.0 / radius - 1.0 / r_max)).max(0.0).sqrt(),
        transfer_angle: 0.0,
    })
}

/// Flies one trajectory to impact.
pub fn fly(spec: &FlightSpec<'_>) -> Result<Flight, FlightError> {
    fly_with(spec, &DormandPrince54)
}

/// Flies one trajectory with a chosen stepper.
pub fn fly_with<St: Stepper>(spec: &FlightSpec<'_>, stepper: &St) -> Result<Flight, FlightError> {
    let rocket = spec.rocket;
    let tune = spec.tuning;
    if !(tune.dv_scale.is_finite()
        && tune.dv_scale > 0.0
        && tune.burn_scale.is_finite()
        && tune.burn_scale > 0.0)
    {
        return Err(FlightError::InvalidRocket(format!(
            "tuning factors must be positive, not {:?}",
            tune
        )));
    }
    let twr = rocket.liftoff_thrust_to_weight(tune);
    if twr <= 1.0 {
        return Err(FlightError::NoLiftoff {
            thrust_to_weight: twr,
        });
    }
    let earth = spec.earth;
    let r0 = spec.site.to_ecef(RADIUS);
    let v0 = earth.ground_velocity(r0);
    let (east, north, up) = local_frame(r0);
    let az = spec.azimuth_deg.to_radians();
    let horizontal = north * az.cos() + east * az.sin();
    let kick = spec.pitch.kick_deg.to_radians();
    let kick_dir = up * kick.cos() + horizontal * kick.sin();
    // the launch plane's normal, Earth-fixed (so that horizontal = normal x up)
    let plane_normal = up.cross(horizontal);

    // the phase boundaries: stage burnouts and the pitch programme's switches
    let mut stage_end = Vec::with_capacity(rocket.stages.len());
    let mut t_acc = 0.0;
    for s in &rocket.stages {
        t_acc += s.burn_s * tune.burn_scale;
        stage_end.push(t_acc);
    }
    let t_burnout = t_acc;
    let t_kick0 = spec.pitch.vertical_s.clamp(0.0, t_burnout);
    let t_kick1 = match spec.pitch.mode {
        PitchMode::GravityTurn => {
            (spec.pitch.vertical_s + spec.pitch.kick_s).clamp(t_kick0, t_burnout)
        }
        PitchMode::Programmed => t_kick0,
    };
    let mut cuts: Vec<f64> = stage_end.clone();
    cuts.extend([t_kick0, t_kick1]);
    cuts.retain(|&c| c > 0.0);
    cuts.sort_by(f64::total_cmp);
    cuts.dedup_by(|a, b| (*a - *b).abs() < 1e-9);

    let tol = tolerances(spec.precision);
    let mut y = [r0.x, r0.y, r0.z, v0.x, v0.y, v0.z, rocket.liftoff_mass_kg()];
    let mut t = 0.0;
    let mut steps = 0u32;
    let mut max_r = r0.norm();
    let below_ground =
        |_t: f64, y: &[f64; 7]| (y[0] * y[0] + y[1] * y[1] + y[2] * y[2]).sqrt() - (RADIUS - 1.0);
    let cda = match spec.drag {
        Some(d) => d.cd * std::f64::consts::PI * rocket.diameter_m * rocket.diameter_m / 4.0,
        None => 0.0,
    };
    let mut stage = 0usize;
    for &t_next in &cuts {
        if t_next <= t {
            continue;
        }
        while stage < stage_end.len() && stage_end[stage] <= t + 1e-9 {
            y[6] -= rocket.stages[stage].dry_kg;
            stage += 1;
        }
        let Some(st) = rocket.stages.get(stage) else {
            break;
        };
        let mdot = st.propellant_kg / (st.burn_s * tune.burn_scale);
        let thrust = mdot * st.isp_s * G0 * tune.dv_scale;
        let mid = 0.5 * (t + t_next);
        let steering = match spec.pitch.mode {
            _ if mid < t_kick0 => Steering::Vertical,
            PitchMode::GravityTurn if mid < t_kick1 => Steering::Kick(kick_dir),
            PitchMode::GravityTurn => Steering::GravityTurn,
            PitchMode::Programmed => Steering::Programmed {
                t0: t_kick0,
                rate: kick / (t_burnout - t_kick0).max(1e-6),
                normal: plane_normal,
                omega: earth.omega,
            },
        };
        let sys = Powered {
            earth,
            thrust,
            mdot,
            steering,
            cda,
        };
        let out = integrate(stepper, &sys, t, y, t_next, 1.0, &tol, Some(&below_ground))?;
        steps += out.steps;
        if out.event {
            return Err(FlightError::ImpactDuringBurn { time_s: out.t });
        }
        t = out.t;
        y = out.y;
        max_r = max_r.max(split(&y).0.norm());
    }
    // drop the last stage's structure; the payload flies on
    y[6] = rocket.payload_kg;
    let (rb, vb) = split(&y);
    let burnout = burnout_state(&earth, r0, rb, vb, t);

    let inv_beta = spec.drag.map_or(0.0, |d| 1.0 / d.rv_ballistic_kg_m2);
    let coast = Coast { earth, inv_beta };
    let (apogee_r, t_impact, impact_inertial) = if earth.j2 {
        numeric_coast(stepper, &coast, t, y, max_r, spec.precision, &mut steps)?
    } else if spec.drag.is_none() {
        let c = kepler_impact(rb, vb, RADIUS)?;
        (c.max_radius.max(max_r), t + c.time_s, c.position)
    } else {
        hybrid_coast(stepper, &coast, t, y, max_r, spec.precision, &mut steps)?
    };
    let impact_fixed = impact_inertial.rotate_z(-earth.omega * t_impact);
    let range_m = RADIUS * central_angle(r0, impact_fixed);
    // a flight whose ground track (the distance travelled over the rotating
    // ground) passes half the circumference is no impact but global reach
    let track = Track {
        r0_fixed: r0,
        rb,
        vb,
        t_b: t,
        t_impact,
        impact_fixed,
        omega: earth.omega,
    };
    if track.passes_antipode() {
        return Err(FlightError::NoImpact(
            "the ground track passes the antipode: the missile can reach any point on Earth".into(),
        ));
    }
    let flight = Flight {
        apogee_km: (apogee_r - RADIUS) / 1000.0,
        ground_range_km: range_m / 1000.0,
        flight_time_s: t_impact,
        burnout,
        impact: GeoPoint::from_ecef(impact_fixed),
        steps,
    };
    if !(flight.apogee_km.is_finite()
        && flight.ground_range_km.is_finite()
        && flight.flight_time_s.is_finite())
    {
        return Err(FlightError::NoImpact(
            "the flight produced a non-finite result".into(),
        ));
    }
    Ok(flight)
}

/// Radius above which drag is neglected: at 120 km the standard atmosphere's
/// density (2.2e-8 kg/m^3) slows a re-entry vehicle by under 1e-6 m/s^2.
const ATMOSPHERE_TOP: f64 = RADIUS + 120_000.0;

fn radius_of(y: &[f64; 7]) -> f64 {
    (y[0] * y[0] + y[1] * y[1] + y[2] * y[2]).sqrt()
}

/// Free flight with J2: integrated all the way (apogee by its radial-speed event).
fn numeric_coast<St: Stepper>(
    stepper: &St,
    sys: &Coast,
    t: f64,
    y: [f64; 7],
    max_r: f64,
    precision: Precision,
    steps: &mut u32,
) -> Result<(f64, f64, Vec3), FlightError> {
    let tol = tolerances(precision);
    let horizon = t + 4.0 * 86_400.0;
    let (mut tt, mut yy, mut top) = (t, y, max_r);
    let (r, v) = split(&y);
    if r.dot(v) > 0.0 {
        let radial_speed = |_t: f64, y: &[f64; 7]| y[0] * y[3] + y[1] * y[4] + y[2] * y[5];
        let up = integrate(
            stepper,
            sys,
            tt,
            yy,
            horizon,
            10.0,
            &tol,
            Some(&radial_speed),
        )?;
        *steps += up.steps;
        if !up.event {
            return Err(FlightError::NoImpact("no apogee within four days".into()));
        }
        tt = up.t;
        yy = up.y;
        top = top.max(radius_of(&yy));
    }
    let ground = |_t: f64, y: &[f64; 7]| radius_of(y) - RADIUS;
    let down = integrate(stepper, sys, tt, yy, horizon, 10.0, &tol, Some(&ground))?;
    *steps += down.steps;
    if !down.event {
        return Err(FlightError::NoImpact("no impact within four days".into()));
    }
    Ok((top, down.t, split(&down.y).0))
}

/// Free flight with drag: integrated inside the atmosphere, a Kepler conic above it.
fn hybrid_coast<St: Stepper>(
    stepper: &St,
    sys: &Coast,
    t: f64,
    y: [f64; 7],
    max_r: f64,
    precision: Precision,
    steps: &mut u32,
) -> Result<(f64, f64, Vec3), FlightError> {
    let tol = tolerances(precision);
    let horizon = t + 4.0 * 86_400.0;
    let (mut tt, mut yy, mut top) = (t, y, max_r);
    let (r, v) = split(&yy);
    if r.norm() < ATMOSPHERE_TOP && r.dot(v) > 0.0 {
        // climb until the apogee or the top of the air, whichever comes first
        let climb = |_t: f64, y: &[f64; 7]| {
            let vr = y[0] * y[3] + y[1] * y[4] + y[2] * y[5];
            vr.signum() * (ATMOSPHERE_TOP - radius_of(y)).min(vr.abs())
        };
        let up = integrate(stepper, sys, tt, yy, horizon, 1.0, &tol, Some(&climb))?;
        *steps += up.steps;
        tt = up.t;
        yy = up.y;
        top = top.max(radius_of(&yy));
    }
    let (r, v) = split(&yy);
    if r.norm() >= ATMOSPHERE_TOP - 1.0 {
        // above the air the arc is a conic: its apogee is the flight's, even
        // when one step of the climb carried the state over the top and down
        // to the edge of the air again (the apogee then read 120.0 km)
        if let Some(apo) = conic_apogee(r, v) {
            top = top.max(apo);
        }
        let c = kepler_impact(r, v, ATMOSPHERE_TOP)?;
        top = top.max(c.max_radius);
        tt += c.time_s;
        yy = [
            c.position.x,
            c.position.y,
            c.position.z,
            c.velocity.x,
            c.velocity.y,
            c.velocity.z,
            yy[6],
        ];
    }
    let ground = |_t: f64, y: &[f64; 7]| radius_of(y) - RADIUS;
    let down = integrate(
        stepper,
        sys,
        tt,
        yy,
        horizon,
        1.0,
        &reentry_tolerances(precision),
        Some(&ground),
    )?;
    *steps += down.steps;
    if !down.event {
        return Err(FlightError::NoImpact("no impact within four days".into()));
    }
    Ok((top, down.t, split(&down.y).0))
}

fn burnout_state(earth: &EarthModel, r0: Vec3, r: Vec3, v: Vec3, t: f64) -> Burnout {
    let vrel = v - earth.ground_velocity(r);
    let up = r.unit();
    let speed = vrel.norm();
    let gamma = if speed > 0.0 {
        (vrel.dot(up) / speed).clamp(-1.0, 1.0).asin()
    } else {
        0.0
    };
    let r_fixed = r.rotate_z(-earth.omega * t);
    Burnout {
        speed_km_s: speed / 1000.0,
        inertial_speed_km_s: v.norm() / 1000.0,
        flight_path_angle_deg: gamma.to_degrees(),
        altitude_km: (r.norm() - RADIUS) / 1000.0,
        time_s: t,
        downrange_km: RADIUS * central_angle(r0, r_fixed) / 1000.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bound is what lets most flights skip the sampled track: it must
    /// never fall below it. Burnout states from a fixed pseudo-random stream
    /// (6 to 7.9 km/s, pitched 5 to 60 degrees, 100 to 1,000 km up), their
    /// Kepler impacts nudged by up to 50 km as drag would, on the rotating Earth.
    #[test]
    fn the_track_bound_is_never_below_the_sampled_track() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut uniform = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let omega = crate::earth::OMEGA;
        let (mut checked, mut past_antipode, mut skipped) = (0, 0, 0);
        for _ in 0..5_000 {
            let lat = (uniform() * 2.0 - 1.0) * 80.0;
            let lon = uniform() * 360.0 - 180.0;
            let r0 = GeoPoint {
                lat_deg: lat,
                lon_deg: lon,
            }
            .to_ecef(RADIUS);
            let (east, north, up) = local_frame(r0);
            let az = uniform() * std::f64::consts::TAU;
            let pitch = (5.0 + 55.0 * uniform()).to_radians();
            let dir = (north * az.cos() + east * az.sin()) * pitch.cos() + up * pitch.sin();
            let t_b = 60.0 + 240.0 * uniform();
            let rb = r0.unit() * (RADIUS + 100_000.0 + 900_000.0 * uniform());
            let vb = dir * (6_000.0 + 1_900.0 * uniform());
            let Ok(c) = kepler_impact(rb, vb, RADIUS) else {
                continue;
            };
            let t_impact = t_b + c.time_s;
            let nudge = (uniform() - 0.5) * 2.0 * 50_000.0 / RADIUS;
            let impact_fixed = c.position.rotate_z(-omega * t_impact + nudge);
            let track = Track {
                r0_fixed: r0,
                rb,
                vb,
                t_b,
                t_impact,
                impact_fixed,
                omega,
            };
            let (exact, bound) = (track.angle(), track.bound());
            assert!(
                bound >= exact - 1e-12,
                "bound {bound} below the track {exact}"
            );
            checked += 1;
            past_antipode += usize::from(exact >= std::f64::consts::PI);
            skipped += usize::from(bound < std::f64::consts::PI);
        }
        // the stream covers both sides of the antipode, and the bound lets
        // most flights skip the sampling
        assert!(checked > 2_000, "{checked} states checked");
        assert!(
            past_antipode > 50,
            "{past_antipode} of {checked} tracks past the antipode"
        );
        assert!(skipped > checked / 2, "{skipped} of {checked} skipped");
    }
}
