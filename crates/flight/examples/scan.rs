use flight::*;
fn main() {
    let rocket = Rocket { stages: vec![
            Stage { burn_s: 140.0, isp_s: 290.0, propellant_kg: 50000.0, dry_kg: 5000.0 },
            Stage { burn_s: 150.0, isp_s: 310.0, propellant_kg: 7500.0, dry_kg: 7500.0/7.0 }], payload_kg: 150.0, diameter_m: 2.4 };
    let model = Model { rocket: rocket.clone(), vertical_s: 5.0, kick_s: 10.0, j2: false, drag: Some(Drag{cd:0.3, rv_ballistic_kg_m2: 5000.0}), burn_scale_bounds: (0.3, 3.0) };
    let site = GeoPoint{lat_deg:39.282,lon_deg:125.869};
    let kmin = 1.0001/rocket.liftoff_thrust_to_weight(Tuning::default());
    let solve = |kick: f64| increasing_root(|k| match model.fly(&rocket, Tuning{dv_scale:k, burn_scale:1.0}, kick, site, 76.0, true) {
            Ok(f) => Ok((f.apogee_km/4475.0).ln()), Err(FlightError::NoImpact(_)) => Err(false), Err(_) => Err(true)}, kmin, 6.0, 1e-10, 100);
    for kick in [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 8.0] {
        let k = solve(kick);
        let f = k.map(|k| model.fly(&rocket, Tuning{dv_scale:k, burn_scale:1.0}, kick, site, 76.0, true));
        println!("kick {kick}: k {k:?} -> {:?}", f.as_ref().map(|f| f.as_ref().map(|f| (f.apogee_km, f.ground_range_km))));
    }
    for k in [0.80, 0.81, 0.82, 0.83, 0.84, 0.85, 0.9, 1.0] {
        let f = model.fly(&rocket, Tuning{dv_scale:k, burn_scale:1.0}, 3.0, site, 76.0, true);
        println!("k {k}: {:?}", f.map(|f| (f.apogee_km, f.ground_range_km)));
    }
}
