//! Who may talk to the workbench. A server on loopback is still reachable
//! from every page its user opens, so:
//!
//! - **Host** must name this server (loopback names, the bound address, or a
//!   name given with `--allow-host`): a page on `evil.example` that rebinds
//!   its DNS to 127.0.0.1 still sends `Host: evil.example` and is refused
//!   (DNS rebinding). One Host header, no more, no less.
//! - A request that changes state or computes (POST, PUT, PATCH, DELETE) must
//!   be same-origin: an `Origin` header, when sent, must be this server's own
//!   (`http://` + the Host); `Sec-Fetch-Site`, when sent, must be
//!   `same-origin` or `none`; and it must carry `Content-Type:
//!   application/json` or the header `X-Allylens: 1`. Neither can be set by a
//!   cross-origin form or a no-cors fetch, and a cross-origin fetch that sets
//!   them needs a CORS preflight this server never grants (CSRF).
//!
//! Refusals are JSON 403s (`foreign_host`, `foreign_origin`,
//! `missing_intent`); a missing or doubled Host is a 400.

use axum::http::{header, HeaderMap, Method, StatusCode};

use crate::error::ApiError;

/// The host names this server answers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guard {
    names: Vec<String>,
}

impl Default for Guard {
    fn default() -> Self {
        Guard::loopback(None, &[])
    }
}

impl Guard {
    /// Loopback names, the bound address's IP, and the names given.
    pub fn loopback(bound: Option<std::net::SocketAddr>, extra: &[String]) -> Guard {
        let mut names: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if let Some(a) = bound {
            names.push(match a.ip() {
                std::net::IpAddr::V6(v6) => format!("[{v6}]"),
                ip => ip.to_string(),
            });
        }
        names.extend(extra.iter().map(|s| s.trim().to_ascii_lowercase()));
        names.sort();
        names.dedup();
        Guard { names }
    }

    /// The host part of a Host value ("localhost:8080" -> "localhost", "[::1]:80" -> "[::1]").
    fn host_part(value: &str) -> &str {
        if value.starts_with('[') {
            return value.split_inclusive(']').next().unwrap_or(value);
        }
        value.split(':').next().unwrap_or(value)
    }

    /// Checks a request's headers; the refusal when it may not pass.
    pub fn check(&self, method: &Method, headers: &HeaderMap) -> Result<(), ApiError> {
        let hosts: Vec<&str> = headers
            .get_all(header::HOST)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let host = match hosts.as_slice() {
            [h] => h.trim().to_ascii_lowercase(),
            _ => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "bad_host",
                    "a request needs exactly one Host header",
                ))
            }
        };
        if !self.names.iter().any(|n| n == Self::host_part(&host)) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "foreign_host",
                format!(
                    "Host '{host}' is not this server (serve --allow-host NAME to answer to it)"
                ),
            ));
        }
        let changes = matches!(
            *method,
            Method::POST | Method::PUT | Method::PATCH | Method::DELETE
        );
        if !changes {
            return Ok(());
        }
        if let Some(origin) = headers.get(header::ORIGIN) {
            let o = origin.to_str().unwrap_or("").trim().to_ascii_lowercase();
            if o != format!("http://{host}") {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "foreign_origin",
                    format!("a request from another origin ('{o}') may not change or compute anything here"),
                ));
            }
        }
        if let Some(site) = headers.get("sec-fetch-site") {
            let s = site.to_str().unwrap_or("");
            if s != "same-origin" && s != "none" {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "foreign_origin",
                    format!("a {s} request may not change or compute anything here"),
                ));
            }
        }
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        let intent = headers
            .get("x-allylens")
            .is_some_and(|v| v.as_bytes() == b"1");
        if !(json || intent) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "missing_intent",
                "send Content-Type: application/json, or the header X-Allylens: 1 (a cross-site form cannot)",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(
                axum::http::HeaderName::from_bytes(k.as_bytes()).expect("name"),
                HeaderValue::from_str(v).expect("value"),
            );
        }
        h
    }

    #[test]
    fn hosts_origins_and_intent() {
        let g = Guard::loopback(
            Some("127.0.0.1:8080".parse().expect("addr")),
            &["workbench.example".into()],
        );
        let code = |m: Method, h: &[(&str, &str)]| g.check(&m, &headers(h)).err().map(|e| e.code);
        // (method, headers, refusal)
        type Row<'a> = (Method, Vec<(&'a str, &'a str)>, Option<&'a str>);
        let rows: Vec<Row> = vec![
            (Method::GET, vec![("host", "127.0.0.1:8080")], None),
            (Method::GET, vec![("host", "localhost")], None),
            (Method::GET, vec![("host", "[::1]:8080")], None),
            (Method::GET, vec![("host", "workbench.example:8080")], None),
            (
                Method::GET,
                vec![("host", "evil.example:8080")],
                Some("foreign_host"),
            ),
            (
                Method::GET,
                vec![("host", "localhost.evil.example")],
                Some("foreign_host"),
            ),
            (Method::GET, vec![], Some("bad_host")),
            (
                Method::GET,
                vec![("host", "localhost"), ("host", "evil.example")],
                Some("bad_host"),
            ),
            (
                Method::POST,
                vec![
                    ("host", "localhost:8080"),
                    ("content-type", "application/json"),
                ],
                None,
            ),
            (
                Method::POST,
                vec![("host", "localhost:8080"), ("x-allylens", "1")],
                None,
            ),
            (
                Method::POST,
                vec![("host", "localhost:8080"), ("content-type", "text/plain")],
                Some("missing_intent"),
            ),
            (
                Method::DELETE,
                vec![("host", "localhost:8080")],
                Some("missing_intent"),
            ),
            (
                Method::POST,
                vec![
                    ("host", "localhost:8080"),
                    ("content-type", "application/json"),
                    ("origin", "http://localhost:8080"),
                ],
                None,
            ),
            (
                Method::POST,
                vec![
                    ("host", "localhost:8080"),
                    ("content-type", "application/json"),
                    ("origin", "http://localhost:9999"),
                ],
                Some("foreign_origin"),
            ),
            (
                Method::POST,
                vec![
                    ("host", "localhost:8080"),
                    ("x-allylens", "1"),
                    ("origin", "null"),
                ],
                Some("foreign_origin"),
            ),
            (
                Method::PUT,
                vec![
                    ("host", "localhost:8080"),
                    ("x-allylens", "1"),
                    ("sec-fetch-site", "same-site"),
                ],
                Some("foreign_origin"),
            ),
            (
                Method::PUT,
                vec![
                    ("host", "localhost:8080"),
                    ("x-allylens", "1"),
                    ("sec-fetch-site", "same-origin"),
                ],
                None,
            ),
        ];
        for (m, h, want) in rows {
            assert_eq!(code(m.clone(), &h), want, "{m} {h:?}");
        }
    }
}
