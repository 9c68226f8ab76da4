//! `verification`: the deal is verified at `min_verification` or above, in
//! the written text when `written`. One level short, or the right level only
//! orally, is partial; anything less crosses it.

use super::Finding;
use crate::model::{Deal, Layer, VerificationLevel};
use crate::outcome::Status;

pub(crate) fn check(deal: &Deal, min: VerificationLevel, written: bool) -> Finding {
    let fields = vec!["verification".to_string()];
    let Some(v) = &deal.verification else {
        return Finding::new(Status::Crossed, "no verification in the deal", fields);
    };
    let layer_ok = v.layer == Layer::Written || !written;
    let status = if v.level >= min && layer_ok {
        Status::Met
    } else if v.level >= min
        || (v.level as u8 + 1 >= min as u8 && v.level != VerificationLevel::None)
    {
        Status::Partial
    } else {
        Status::Crossed
    };
    Finding::new(
        status,
        format!(
            "verification by {} ({}); the profile asks for {}",
            v.level,
            if v.layer == Layer::Written {
                "written"
            } else {
                "oral only"
            },
            min
        ),
        fields,
    )
}

#[cfg(test)]
mod tests {
    use super::super::testing::deal;
    use super::*;

    fn verification(level: &str, layer: &str) -> String {
        format!("[verification]\nlevel = \"{level}\"\nlayer = \"{layer}\"\n")
    }

    #[test]
    fn table() {
        use VerificationLevel::*;
        // (deal body, profile's minimum, written, status)
        let rows: Vec<(String, VerificationLevel, bool, Status)> = vec![
            (
                verification("inspections", "written"),
                Inspections,
                true,
                Status::Met,
            ),
            (
                verification("inspections", "oral"),
                Inspections,
                true,
                Status::Partial,
            ),
            (
                verification("inspections", "oral"),
                Inspections,
                false,
                Status::Met,
            ),
            (
                verification("monitoring", "written"),
                Inspections,
                true,
                Status::Partial,
            ),
            (
                verification("declarations", "written"),
                Inspections,
                true,
                Status::Crossed,
            ),
            (
                verification("declarations", "written"),
                Monitoring,
                true,
                Status::Partial,
            ),
            (
                verification("none", "written"),
                Declarations,
                true,
                Status::Crossed,
            ),
            (
                verification("monitoring", "written"),
                Declarations,
                true,
                Status::Met,
            ),
            (String::new(), Declarations, true, Status::Crossed),
        ];
        for (body, min, written, status) in rows {
            let f = check(&deal(&body), min, written);
            assert_eq!(f.status, status, "{body} min {min}");
            assert_eq!(f.fields, vec!["verification".to_string()]);
        }
    }
}
