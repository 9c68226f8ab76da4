//! Writing results: JSON goes to stdout as one document; text and Markdown
//! are built by each command. A closed pipe (`| head`) ends quietly.

use std::io::Write;

/// Writes a string to stdout, treating a closed pipe as success.
pub fn emit(s: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Pretty JSON plus a newline.
pub fn emit_json(v: &serde_json::Value) -> anyhow::Result<()> {
    emit(&(serde_json::to_string_pretty(v)? + "\n"))
}

/// Rounds for display and for stable JSON (reports should not pretend to 15 digits).
pub fn round(x: f64, digits: i32) -> f64 {
    let k = 10f64.powi(digits);
    (x * k).round() / k
}

/// A whole number with thousands separators (126529100 -> "126,529,100").
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A Content-Security-Policy for the standalone HTML reports: they carry no
/// script at all, so a string that escaped escaping still could not run when a
/// colleague opens the file (defence in depth; every user string is escaped).
pub const REPORT_CSP_META: &str = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">";
