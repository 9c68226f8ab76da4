//! Parsers for command-line values. Each error names what was wrong with the
//! value; clap adds the flag, so the user reads both in one line.

/// A launch point as given on the command line.
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
pub fn parse_positive(s: &str) -> Result<f64, String> {
    let v = number(s)?;
    if v <= 0.0 {
        return Err(format!("{v} must be greater than zero"));
    }
    Ok(v)
}

/// A finite number at or above zero.
pub fn parse_nonneg(s: &str) -> Result<f64, String> {
    let v = number(s)?;
    if v < 0.0 {
        return Err(format!("{v} must not be negative"));
    }
    Ok(v)
}

/// LAT,LON in degrees (latitude -90..90, longitude -180..180).
pub fn parse_latlon(s: &str) -> Result<(f64, f64), String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("'{s}' is not LAT,LON"))?;
    let lat = number(a)?;
    let lon = number(b)?;
    if !(-90.0..=90.0).contains(&lat) {
        return Err(format!("latitude {lat} is outside -90..90"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is outside -180..180"));
    }
    Ok((lat, lon))
}

/// A facility id or LAT,LON. Facility ids are checked against the catalogue later.
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
    }
}
