use flight::*;
use std::time::Instant;
fn main() {
    let drag = Some(Drag{cd:0.3, rv_ballistic_kg_m2: 5000.0});
    let h15 = Rocket { stages: vec![
        Stage { burn_s: 140.0, isp_s: 290.0, propellant_kg: 50_000.0, dry_kg: 5_000.0 },
        Stage { burn_s: 150.0, isp_s: 310.0, propellant_kg: 7_500.0, dry_kg: 1_100.0 }], payload_kg: 1000.0, diameter_m: 2.4 };
    let h12 = Rocket { stages: vec![Stage { burn_s: 140.0, isp_s: 290.0, propellant_kg: 19_000.0, dry_kg: 2_500.0 }], payload_kg: 650.0, diameter_m: 1.65 };
    let h14 = Rocket { stages: vec![Stage { burn_s: 140.0, isp_s: 290.0, propellant_kg: 19_000.0, dry_kg: 2_500.0 },
        Stage { burn_s: 150.0, isp_s: 300.0, propellant_kg: 2_500.0, dry_kg: 500.0 }], payload_kg: 500.0, diameter_m: 1.65 };
    let h17 = Rocket { stages: vec![Stage { burn_s: 150.0, isp_s: 290.0, propellant_kg: 80_000.0, dry_kg: 8_000.0 },
        Stage { burn_s: 150.0, isp_s: 310.0, propellant_kg: 15_000.0, dry_kg: 2_000.0 }], payload_kg: 1500.0, diameter_m: 2.9 };
    let mus = Rocket { stages: vec![Stage { burn_s: 130.0, isp_s: 290.0, propellant_kg: 10_000.0, dry_kg: 1_400.0 }], payload_kg: 650.0, diameter_m: 1.5 };
    let p = GeoPoint{lat_deg:39.2,lon_deg:125.67};
    for (name, rocket, obs, bearing, expert) in [
        ("H15 2017", h15.clone(), Observables{apogee_km:4475.0, range_km:950.0, flight_time_s:Some(3180.0)}, 76.0, 13000.0),
        ("H15 2017 untimed", h15.clone(), Observables{apogee_km:4475.0, range_km:950.0, flight_time_s:None}, 76.0, 13000.0),
        ("H15 2023", h15.clone(), Observables{apogee_km:5768.5, range_km:989.0, flight_time_s:Some(4015.0)}, 90.0, 13000.0),
        ("H12 May", h12.clone(), Observables{apogee_km:2111.5, range_km:787.0, flight_time_s:None}, 71.0, 4500.0),
        ("H12 May timed", h12.clone(), Observables{apogee_km:2111.5, range_km:787.0, flight_time_s:Some(1800.0)}, 71.0, 4500.0),
        ("H14 Jul4", h14.clone(), Observables{apogee_km:2802.0, range_km:933.0, flight_time_s:Some(2220.0)}, 90.0, 6700.0),
        ("H14 Jul28", h14.clone(), Observables{apogee_km:3724.9, range_km:998.0, flight_time_s:Some(2832.0)}, 90.0, 10400.0),
        ("H17 2022", h17.clone(), Observables{apogee_km:6248.5, range_km:1090.0, flight_time_s:Some(4111.0)}, 90.0, 15000.0),
        ("Musudan 2016", mus.clone(), Observables{apogee_km:1413.6, range_km:400.0, flight_time_s:None}, 90.0, 3500.0),
    ] {
        let model = Model { rocket: rocket.clone(), vertical_s: 10.0, kick_s: 10.0, j2: false, drag, burn_scale_bounds: (0.5, 2.0) };
        let geom = TestGeometry { site: p, bearing_deg: bearing, rotating: true };
        let t = Instant::now();
        match fit(&model, &obs, &geom, None) {
            Ok(f) => { let b = best_range(&model, &rocket, f.tuning, p, 90.0, false, None).unwrap();
                println!("{name}: k {:.3} s {:.3} T {:.0} -> {:.0} km (expert {expert}) {:+.0}% [{} evals, {:?}]", f.tuning.dv_scale, f.tuning.burn_scale, f.flight.flight_time_s, b.range_km, 100.0*(b.range_km/expert-1.0), f.evaluations, t.elapsed()); }
            Err(e) => println!("{name}: {e}"),
        }
    }
    let model = Model { rocket: h12.clone(), vertical_s: 10.0, kick_s: 10.0, j2: false, drag, burn_scale_bounds: (0.5, 2.0) };
    let t = Instant::now();
    let az = range_by_azimuth(&model, &h12, Tuning{dv_scale:1.18, burn_scale:1.0}, p, 23.0).unwrap();
    println!("az sweep {:?} east {:.0} west {:.0}", t.elapsed(), az[90], az[270]);
}
