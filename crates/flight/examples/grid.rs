use flight::*;
fn main() {
    let site = GeoPoint{lat_deg:39.282,lon_deg:125.869};
    let geom = TestGeometry { site, bearing_deg: 76.0, rotating: true };
    let obs = Observables{apogee_km:4475.0, range_km:950.0, flight_time_s:Some(3180.0)};
    for (b1, b2, p1, p2, payload) in [(140.0,150.0,50000.0,7500.0,1000.0),(120.0,120.0,50000.0,7500.0,1000.0),(100.0,200.0,50000.0,7500.0,1000.0),(140.0,150.0,50000.0,12000.0,1000.0),(140.0,150.0,50000.0,7500.0,150.0),(140.0,60.0,50000.0,7500.0,1000.0),(150.0,250.0,50000.0,7500.0,1000.0)] {
      for vs in [5.0, 10.0] {
        let rocket = Rocket { stages: vec![
            Stage { burn_s: b1, isp_s: 290.0, propellant_kg: p1, dry_kg: p1/10.0 },
            Stage { burn_s: b2, isp_s: 310.0, propellant_kg: p2, dry_kg: p2/7.0 }], payload_kg: payload, diameter_m: 2.4 };
        let model = Model { rocket: rocket.clone(), vertical_s: vs, kick_s: 10.0, j2: false, drag: Some(Drag{cd:0.3, rv_ballistic_kg_m2: 5000.0}), burn_scale_bounds: (0.3, 3.0) };
        match fit(&model, &obs, &geom, None) {
            Ok(f) => { let b = best_range(&model, &rocket, f.tuning, site, 90.0, false, None).unwrap();
                let o2 = Observables{flight_time_s:None, ..obs}; let f2 = fit(&model, &o2, &geom, None).unwrap();
                println!("{b1} {b2} {p1} {p2} pl{payload} vs{vs}: s {:.3} k {:.3} burn {:.0} bo {:.2}@{:.0}km -> {:.0} km (untimed T {:.0})", f.tuning.burn_scale, f.tuning.dv_scale, f.flight.burnout.time_s, f.flight.burnout.speed_km_s, f.flight.burnout.altitude_km, b.range_km, f2.flight.flight_time_s) }
            Err(e) => println!("{b1} {b2}: {e}"),
        }
      }
    }
}
