//! Plain request types: what a user asks, whatever door they came in by. The
//! CLI fills them from flags, the server from JSON bodies and query strings;
//! builders take nothing else.
//!
//! Values are checked here too (a finite positive apogee, a latitude within
//! -90..90), so a request is checked the same way from either door; error
//! messages name the field as that door spells it ([`FieldNames`]).

use catalog::Catalog;
use flight::GeoPoint;

use crate::Error;

/// How errors name a request's fields: as command-line flags
/// (`--apogee-km`) or as JSON fields (`apogee_km`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum FieldNames {
    #[default]
    Flags,
    Json,
}

impl FieldNames {
    /// The name of a field (given in snake case) as the user wrote it.
    pub fn of(self, field: &str) -> String {
        match self {
            FieldNames::Flags => format!("--{}", field.replace('_', "-")),
            FieldNames::Json => field.to_string(),
        }
    }
}

/// A launch point as asked: a facility id or a latitude and longitude.
#[derive(Debug, Clone, PartialEq)]
pub enum Site {
    Facility(String),
    Point(f64, f64),
}

fn number(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a number"))?;
    if !v.is_finite() {
        return Err(format!("'{s}' is not a finite number"));
    }
    Ok(v)
}

/// A finite number above zero.
pub fn positive(v: f64) -> Result<f64, String> {
    if !v.is_finite() {
        return Err(format!("{v} is not a finite number"));
    }
    if v <= 0.0 {
        return Err(format!("{v} must be greater than zero"));
    }
    Ok(v)
}

/// A finite number at or above zero.
pub fn nonneg(v: f64) -> Result<f64, String> {
    if !v.is_finite() {
        return Err(format!("{v} is not a finite number"));
    }
    if v < 0.0 {
        return Err(format!("{v} must not be negative"));
    }
    Ok(v)
}

/// A latitude and longitude in degrees, each in range.
pub fn latlon(lat: f64, lon: f64) -> Result<(f64, f64), String> {
    if !lat.is_finite() || !lon.is_finite() {
        return Err(format!(
            "{lat},{lon} is not a finite latitude and longitude"
        ));
    }
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is outside -90..90"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is outside -180..180"));
    }
    Ok((lat, lon))
}

/// Text: a finite number above zero.
pub fn parse_positive(s: &str) -> Result<f64, String> {
    positive(number(s)?)
}

/// Text: a finite number at or above zero.
pub fn parse_nonneg(s: &str) -> Result<f64, String> {
    nonneg(number(s)?)
}

/// Text: LAT,LON in degrees (latitude -90..90, longitude -180..180).
pub fn parse_latlon(s: &str) -> Result<(f64, f64), String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("'{s}' is not LAT,LON"))?;
    latlon(number(a)?, number(b)?)
}

/// Text: a facility id or LAT,LON. Facility ids are checked against the
/// catalogue when the site is resolved.
pub fn parse_site(s: &str) -> Result<Site, String> {
    if s.contains(',') {
        let (lat, lon) = parse_latlon(s)?;
        return Ok(Site::Point(lat, lon));
    }
    let id = s.trim();
    if id.is_empty() {
        return Err("empty facility id".into());
    }
    Ok(Site::Facility(id.to_string()))
}

/// A catalogue missile by id, or an error naming the field and listing the ids.
pub fn find_missile<'c>(
    cat: &'c Catalog,
    id: &str,
    field: &str,
) -> Result<&'c catalog::Missile, Error> {
    cat.missile(id.trim()).ok_or_else(|| {
        let known: Vec<&str> = cat.missiles.iter().map(|m| m.id.as_str()).collect();
        Error::invalid(format!(
            "{field} '{id}': unknown missile (known: {})",
            known.join(", ")
        ))
    })
}

/// A launch point and what it is.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedSite {
    pub id: Option<String>,
    pub name: String,
    pub point: GeoPoint,
    pub source: String,
}

/// Looks a site up in the catalogue; `field` names it in errors.
pub fn resolve_site(cat: &Catalog, site: &Site, field: &str) -> Result<ResolvedSite, Error> {
    match site {
        Site::Point(lat, lon) => {
            let (lat, lon) =
                latlon(*lat, *lon).map_err(|m| Error::invalid(format!("{field}: {m}")))?;
            Ok(ResolvedSite {
                id: None,
                name: format!("{lat:.4}, {lon:.4}"),
                point: GeoPoint {
                    lat_deg: lat,
                    lon_deg: lon,
                },
                source: "given with the request".into(),
            })
        }
        Site::Facility(id) => {
            let f = cat.facility(id).ok_or_else(|| {
                let near: Vec<&str> = cat
                    .facilities
                    .iter()
                    .filter(|f| f.id.contains(id.as_str()) || id.contains(f.id.as_str()))
                    .map(|f| f.id.as_str())
                    .take(5)
                    .collect();
                let hint = if near.is_empty() {
                    "run `allylens flights --facilities` for the list".to_string()
                } else {
                    format!("did you mean {}?", near.join(", "))
                };
                Error::invalid(format!("{field} '{id}': unknown launch facility ({hint})"))
            })?;
            Ok(ResolvedSite {
                id: Some(f.id.clone()),
                name: f.name.clone(),
                point: GeoPoint {
                    lat_deg: f.lat,
                    lon_deg: f.lon,
                },
                source: catalog::CNS_CITATION.into(),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_positive("4475"), Ok(4475.0));
        assert!(parse_positive("-1").is_err());
        assert!(parse_positive("0").is_err());
        assert!(parse_positive("NaN").is_err());
        assert!(parse_positive("inf").is_err());
        assert!(parse_positive("abc").is_err());
        assert_eq!(parse_nonneg("0"), Ok(0.0));
        assert!(positive(f64::NAN).is_err());
        assert!(nonneg(-0.5).is_err());
    }

    #[test]
    fn coordinates() {
        assert_eq!(parse_latlon("13.48,144.79"), Ok((13.48, 144.79)));
        assert_eq!(parse_latlon(" -33.9 , 151.2"), Ok((-33.9, 151.2)));
        assert!(parse_latlon("91,0").is_err());
        assert!(parse_latlon("0,181").is_err());
        assert!(parse_latlon("13.48").is_err());
        assert_eq!(
            parse_site("pyongyang"),
            Ok(Site::Facility("pyongyang".into()))
        );
        assert_eq!(parse_site("39,125.5"), Ok(Site::Point(39.0, 125.5)));
        assert!(latlon(f64::NAN, 0.0).is_err());
    }

    #[test]
    fn field_names_follow_the_door() {
        assert_eq!(FieldNames::Flags.of("apogee_km"), "--apogee-km");
        assert_eq!(FieldNames::Json.of("apogee_km"), "apogee_km");
    }

    #[test]
    fn unknown_facilities_get_a_hint() {
        let cat = Catalog::bundled().expect("bundled");
        let e = resolve_site(cat, &Site::Facility("pyong".into()), "--from")
            .err()
            .map(|e| e.message)
            .unwrap_or_default();
        assert!(e.contains("'pyong'") && e.contains("did you mean"), "{e}");
        let s = resolve_site(cat, &Site::Point(39.0, 125.0), "from").expect("a point");
        assert_eq!(s.id, None);
    }
}
