//! Exposure queries against independently computed distances.

use reach::*;

fn launch(lat: f64, lon: f64) -> Launch {
    Launch {
        id: "x".into(),
        name: "x".into(),
        lat,
        lon,
    }
}

fn missile(class: &str, km: f64) -> MissileReach {
    MissileReach {
        id: class.to_lowercase(),
        name: class.into(),
        class: class.into(),
        range: RangeModel::Constant(km),
        range_source: "test".into(),
    }
}

#[test]
fn every_city_inside_is_inside_and_every_city_outside_is_outside() {
    let places = Places::bundled().expect("places");
    let l = launch(39.2, 125.67);
    let e = exposure(
        places,
        std::slice::from_ref(&l),
        &[missile("MRBM", 1_300.0)],
    );
    assert!(e.cities.len() > 1_000);
    for c in &e.cities {
        let (d, _) = geodesy::inverse(l.lat, l.lon, c.lat, c.lon);
        assert!(d <= 1_300.0 + 1e-6, "{} at {d}", c.name);
        assert!(
            (c.distance_km - d).abs() < 0.02,
            "reported distance within 20 m"
        );
    }
    // a sample of places not listed are beyond the range
    let listed: std::collections::HashSet<(u64, &str)> =
        e.cities.iter().map(|c| (c.population, c.name)).collect();
    for c in places.cities.iter().step_by(97) {
        if !listed.contains(&(c.population, c.name)) {
            let (d, _) = geodesy::inverse(l.lat, l.lon, c.lat, c.lon);
            assert!(d > 1_300.0, "{} at {d} km should be in reach", c.name);
        }
    }
}

#[test]
fn exposure_grows_with_range() {
    let places = Places::bundled().expect("places");
    let l = launch(39.2, 125.67);
    let mut last = (0usize, 0u64);
    for km in [500.0, 1_000.0, 2_000.0, 4_000.0, 8_000.0] {
        let e = exposure(places, std::slice::from_ref(&l), &[missile("IRBM", km)]);
        assert!(e.cities.len() >= last.0 && e.population >= last.1, "{km}");
        last = (e.cities.len(), e.population);
    }
}

#[test]
fn azimuth_dependent_ranges_are_honoured() {
    let places = Places::bundled().expect("places");
    let l = launch(39.2, 125.67);
    // 1,500 km toward the east half, 500 km toward the west half
    let v: Vec<f64> = (0..360)
        .map(|az| {
            if (0..180).contains(&az) {
                1_500.0
            } else {
                500.0
            }
        })
        .collect();
    let m = MissileReach {
        id: "m".into(),
        name: "m".into(),
        class: "MRBM".into(),
        range: RangeModel::ByAzimuth(v),
        range_source: "test".into(),
    };
    let e = exposure(places, &[l], &[m]);
    let has = |n: &str| e.cities.iter().any(|c| c.name == n);
    assert!(has("Osaka"), "east, about 1,000 km");
    assert!(!has("Beijing"), "west, about 800 km");
    assert!(has("Dandong"), "west, about 170 km");
}

#[test]
fn japan_is_wholly_in_reach_of_an_irbm() {
    let places = Places::bundled().expect("places");
    let e = exposure(places, &[launch(39.2, 125.67)], &[missile("IRBM", 4_500.0)]);
    let jp = e.countries.iter().find(|c| c.iso2 == "JP").expect("Japan");
    assert_eq!(jp.population_in_reach, jp.population_total);
    assert!(jp.population_total > 120_000_000);
    assert_eq!(jp.us_personnel_in_reach, Some(50_000));
    assert_eq!(e.by_class["IRBM"].population, e.population);
}

#[test]
fn a_listing_of_the_most_populous_is_the_head_of_the_full_list() {
    let places = Places::bundled().expect("places");
    let launches = [launch(39.2, 125.67), launch(41.0, 129.0)];
    let missiles = [missile("MRBM", 1_300.0), missile("IRBM", 4_500.0)];
    let all = exposure(places, &launches, &missiles);
    for n in [0, 1, 100, 5_000] {
        let some = exposure_listing(places, &launches, &missiles, |_| true, n);
        assert_eq!(some.cities.len(), n, "{n} listed");
        assert_eq!(some.cities[..], all.cities[..n], "the same head, in order");
        // everything but the listing is the same
        assert_eq!(some.cities_in_reach, all.cities.len());
        assert_eq!(some.in_reach, all.in_reach);
        assert_eq!(
            (
                some.population,
                &some.countries,
                &some.by_class,
                &some.sites
            ),
            (all.population, &all.countries, &all.by_class, &all.sites)
        );
    }
    // membership by index agrees with the full list
    let listed: std::collections::HashSet<(u64, u64)> = all
        .cities
        .iter()
        .map(|c| (c.lat.to_bits(), c.lon.to_bits()))
        .collect();
    for i in (0..places.cities.len()).step_by(37) {
        let key = (
            places.cities.lat(i).to_bits(),
            places.cities.lon(i).to_bits(),
        );
        assert_eq!(all.reaches_city(i), listed.contains(&key), "city {i}");
    }
    assert!(all.cities_in_reach > 10_000, "{}", all.cities_in_reach);
}
