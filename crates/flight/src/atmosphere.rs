//! US Standard Atmosphere 1976: density from the seven layers below 86 km
//! (hydrostatic, exact to the standard's equations), and a log-linear
//! interpolation of the standard's tabulated densities from 86 to 1,000 km.
//! Above 1,000 km the air is taken as vacuum.

const R_AIR: f64 = 287.053_07; // J/(kg K), R* / M0 of the standard
const G0: f64 = 9.806_65;
const R0_KM: f64 = 6_356.766; // effective Earth radius of the standard, km

// (geopotential base height km, base temperature K, lapse rate K/km, base pressure Pa)
const LAYERS: [(f64, f64, f64, f64); 7] = [
    (0.0, 288.15, -6.5, 101_325.0),
    (11.0, 216.65, 0.0, 22_632.06),
    (20.0, 216.65, 1.0, 5_474.889),
    (32.0, 228.65, 2.8, 868.018_7),
    (47.0, 270.65, 0.0, 110.906_3),
    (51.0, 270.65, -2.8, 66.938_87),
    (71.0, 214.65, -2.0, 3.956_42),
];

// (geometric altitude km, density kg/m^3) from the standard's tables above 86 km
const UPPER: [(f64, f64); 8] = [
    (86.0, 6.958e-6),
    (100.0, 5.604e-7),
    (120.0, 2.222e-8),
    (150.0, 2.076e-9),
    (200.0, 2.541e-10),
    (300.0, 1.916e-11),
    (500.0, 5.215e-13),
    (1000.0, 3.561e-15),
];

/// Spacing of the lookup table, m.
const TABLE_STEP: f64 = 100.0;
const TABLE_TOP: f64 = 120_000.0;
const TABLE_LEN: usize = (TABLE_TOP / TABLE_STEP) as usize + 1;

/// ln(density) every 100 m from 0 to 120 km, built once from [`standard_density`].
fn table() -> &'static [f64; TABLE_LEN] {
    static T: std::sync::OnceLock<[f64; TABLE_LEN]> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        let mut t = [0.0; TABLE_LEN];
        for (i, v) in t.iter_mut().enumerate() {
            *v = standard_density(i as f64 * TABLE_STEP).ln();
        }
        t
    })
}

/// Air density in kg/m^3 at geometric altitude `alt_m` metres, for the
/// equations of motion: log-linear interpolation of a 100 m table of
/// [`standard_density`] below 120 km (relative error under 0.05 %, largest at layer boundaries), and the
/// standard's own values above.
#[inline]
pub fn density(alt_m: f64) -> f64 {
    if alt_m < TABLE_TOP {
        let x = alt_m.max(0.0) / TABLE_STEP;
        let i = (x as usize).min(TABLE_LEN - 2);
        let f = x - i as f64;
        let t = table();
        return (t[i] + f * (t[i + 1] - t[i])).exp();
    }
    standard_density(alt_m)
}

/// Air density in kg/m^3 at geometric altitude `alt_m` metres, from the
/// standard's equations (below 86 km) and tables (above).
pub fn standard_density(alt_m: f64) -> f64 {
    let z_km = alt_m / 1000.0;
    if z_km >= 1000.0 || z_km.is_nan() {
        return 0.0;
    }
    if z_km >= 86.0 {
        for w in UPPER.windows(2) {
            let ((z0, d0), (z1, d1)) = (w[0], w[1]);
            if z_km <= z1 {
                let f = (z_km - z0) / (z1 - z0);
                return (d0.ln() + f * (d1.ln() - d0.ln())).exp();
            }
        }
        return 0.0;
    }
    let z = z_km.max(0.0);
    let h = R0_KM * z / (R0_KM + z); // geopotential km
    let mut layer = LAYERS[0];
    for l in LAYERS {
        if h >= l.0 {
            layer = l;
        }
    }
    let (hb, tb, lapse, pb) = layer;
    let dh = h - hb;
    let t = tb + lapse * dh;
    let p = if lapse == 0.0 {
        pb * (-G0 * dh * 1000.0 / (R_AIR * tb)).exp()
    } else {
        pb * (tb / t).powf(G0 / (R_AIR * lapse / 1000.0))
    };
    p / (R_AIR * t)
}

#[cfg(test)]
mod tests {
    use super::density;

    #[test]
    fn matches_the_standard_tables() {
        // (altitude m, density kg/m^3) from the USSA-1976 tables
        for (z, rho) in [
            (0.0, 1.2250),
            (5_000.0, 0.73643),
            (11_000.0, 0.36480),
            (20_000.0, 0.088910),
            (32_000.0, 0.013555),
            (50_000.0, 0.0010269),
            (80_000.0, 1.8458e-5),
        ] {
            let d = density(z);
            assert!((d / rho - 1.0).abs() < 0.005, "{z} m: {d} vs {rho}");
        }
        assert!(density(2_000_000.0) == 0.0);
    }

    #[test]
    fn table_matches_the_equations() {
        for i in 0..12_000 {
            let z = i as f64 * 10.0 + 3.7;
            let (a, b) = (density(z), super::standard_density(z));
            assert!((a / b - 1.0).abs() < 5e-4, "{z}: {a} vs {b}");
        }
    }

    #[test]
    fn decreases_with_height() {
        let mut last = f64::INFINITY;
        for i in 0..1000 {
            let d = density(i as f64 * 1000.0);
            assert!(d < last, "at {i} km");
            last = d;
        }
    }
}
