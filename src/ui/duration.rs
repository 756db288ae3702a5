//! Durations in words for people: "45 s", "4 min 12 s", "2 h 5 min", "3 d 4 h".
//! Used by the server (history) and in the browser (live waiting times).

pub fn human(seconds: i64) -> String {
    let s = seconds.max(0);
    let (d, h, m, sec) = (s / 86_400, s / 3_600 % 24, s / 60 % 60, s % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{sec} s"),
        (0, 0, _) => format!("{m} min {sec} s"),
        (0, _, _) => format!("{h} h {m} min"),
        _ => format!("{d} d {h} h"),
    }
}

#[cfg(feature = "ssr")]
/// Seconds from `from` to `to`, both RFC 3339 (0 when either does not parse).
pub fn between(from: &str, to: &str) -> i64 {
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    match (parse(from), parse(to)) {
        (Some(a), Some(b)) => (b - a).num_seconds(),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(human(0), "0 s");
        assert_eq!(human(45), "45 s");
        assert_eq!(human(252), "4 min 12 s");
        assert_eq!(human(7_500), "2 h 5 min");
        assert_eq!(human(273_600), "3 d 4 h");
        assert_eq!(human(-5), "0 s");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn between_reads_stored_times() {
        assert_eq!(
            between("2026-12-02T10:00:00.000000Z", "2026-12-02T10:04:12.500000Z"),
            252
        );
        assert_eq!(between("nonsense", "2026-12-02T10:00:00Z"), 0);
    }
}
