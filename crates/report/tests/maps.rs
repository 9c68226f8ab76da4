//! The maps an analyst puts on a slide: the README's `reach` examples, the
//! whole arsenal minus the ICBMs, and the residual maps of every example deal
//! (the world's and each ally's region) have no label drawn over another
//! (boxes from `reach::map::text_box`).

use report::assess::Assessor;
use report::reach::{render, ReachFormat, ReachRequest};
use report::Site;

fn reach_svg(missiles: &[&str], from: Option<&str>, minus: &[&str]) -> String {
    let req = ReachRequest {
        missiles: missiles.iter().map(|m| m.to_string()).collect(),
        minus: minus.iter().map(|m| m.to_string()).collect(),
        from: from.map(|f| Site::Facility(f.to_string())),
        ..Default::default()
    };
    render(&req, ReachFormat::Svg).expect("a map")
}

#[test]
fn reach_maps_have_no_overlapping_labels() {
    for (name, svg) in [
        (
            "hwasong-12 from pyongyang",
            reach_svg(&["hwasong-12"], Some("pyongyang"), &[]),
        ),
        (
            "nodong, hwasong-12 from pyongyang",
            reach_svg(&["nodong", "hwasong-12"], Some("pyongyang"), &[]),
        ),
        (
            "the whole arsenal minus ICBM",
            reach_svg(&[], None, &["ICBM"]),
        ),
        ("the whole arsenal", reach_svg(&[], None, &[])),
        (
            "hwasong-15 from pyongsong",
            reach_svg(&["hwasong-15"], Some("pyongsong"), &[]),
        ),
    ] {
        let o = reach::map::label_overlaps(&svg);
        assert!(o.is_empty(), "{name}: {o:?}");
        assert!(
            svg.contains("Seoul") || name.contains("15"),
            "{name}: Seoul labelled"
        );
    }
}

#[test]
fn residual_maps_of_every_example_deal_have_no_overlapping_labels() {
    let a = Assessor::bundled().expect("profiles");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/deals");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("examples") {
        let p = e.expect("entry").path();
        if p.extension().is_none_or(|x| x != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&p).expect("readable");
        let html = a
            .document(&p.display().to_string(), &text)
            .expect("assessed")
            .html()
            .expect("html");
        // the world map and each ally's regional map
        let mut rest = html.as_str();
        while let Some(i) = rest.find("<svg") {
            let j = rest[i..].find("</svg>").map_or(rest.len(), |j| i + j + 6);
            let o = reach::map::label_overlaps(&rest[i..j]);
            assert!(o.is_empty(), "{}: {o:?}", p.display());
            n += 1;
            rest = &rest[j..];
        }
    }
    // the world map of each deal that leaves missiles, and regional maps for
    // Japan, South Korea and China where missiles reach them
    assert!(n >= 20, "{n} residual maps");
}
