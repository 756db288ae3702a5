//! An organization's time zone (an IANA name such as `Europe/Berlin`) and
//! what follows from it: the wall clock policy conditions read, where weekly
//! rotation turns change hands, and how pages show an instant. Pure: callers
//! pass the instant and the zone.

use chrono::{DateTime, NaiveDateTime, Offset, TimeZone, Utc};
pub use chrono_tz::Tz;

/// The zone of an organization that never chose one.
pub const DEFAULT: Tz = Tz::UTC;

/// The zone an admin typed, any letter case; `None` when no IANA zone has
/// that name. Use `Tz::name` for the canonical spelling to store.
pub fn parse(name: &str) -> Option<Tz> {
    let name = name.trim();
    name.parse::<Tz>().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .copied()
            .find(|z| z.name().eq_ignore_ascii_case(name))
    })
}

/// A stored zone name; an unknown one (never stored by tapin) reads as UTC.
pub fn stored(name: &str) -> Tz {
    parse(name).unwrap_or(DEFAULT)
}

/// The wall clock in `tz` at `at`.
pub fn wall(at: DateTime<Utc>, tz: Tz) -> NaiveDateTime {
    at.with_timezone(&tz).naive_local()
}

/// The instant a wall-clock time in `tz` stands for. A time the clocks skip
/// (spring forward) counts from the offset before the jump; a repeated one
/// (fall back) is its first occurrence.
pub fn instant(local: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => t.with_timezone(&Utc),
        chrono::LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        chrono::LocalResult::None => {
            let before = tz.offset_from_utc_datetime(&(local - chrono::Duration::hours(3)));
            let secs = before.fix().local_minus_utc() as i64;
            (local - chrono::Duration::seconds(secs)).and_utc()
        }
    }
}

/// `at` as people read it in `tz`, with the zone's abbreviation (or offset
/// where the zone has none): `2026-11-21 10:30 CET`. `with_seconds` adds `:SS`.
pub fn show(at: DateTime<Utc>, tz: Tz, with_seconds: bool) -> String {
    let local = at.with_timezone(&tz);
    let fmt = if with_seconds {
        "%Y-%m-%d %H:%M:%S %Z"
    } else {
        "%Y-%m-%d %H:%M %Z"
    };
    local.format(fmt).to_string()
}

/// Only the time of day of [`show`]: `10:30:05 CET`.
pub fn show_time(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%H:%M:%S %Z").to_string()
}

/// Only the local date: `2026-11-21`.
pub fn show_date(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d").to_string()
}

/// The value of an `<input type="datetime-local">` for `at` in `tz`.
pub fn input_value(at: DateTime<Utc>, tz: Tz) -> String {
    wall(at, tz).format("%Y-%m-%dT%H:%M").to_string()
}

/// Reads what a person typed: a wall-clock time in `tz` (`2026-11-21T09:00`,
/// seconds optional, a space instead of `T` allowed), or an RFC 3339 instant
/// with its own offset.
pub fn read_input(s: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let s = s.replacen(' ', "T", 1);
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&s, f).ok())
        .map(|local| instant(local, tz))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn zones_parse_by_iana_name_in_any_case() {
        assert_eq!(parse("Europe/Berlin"), Some(Tz::Europe__Berlin));
        assert_eq!(parse(" europe/berlin "), Some(Tz::Europe__Berlin));
        assert_eq!(parse("UTC"), Some(Tz::UTC));
        assert_eq!(parse("Mars/Olympus"), None);
        assert_eq!(parse(""), None);
        assert_eq!(stored("garbage"), Tz::UTC);
    }

    #[test]
    fn instants_show_in_local_time_with_the_abbreviation() {
        let winter = t("2026-11-21T09:30:05Z");
        let summer = t("2026-07-01T09:30:05Z");
        assert_eq!(
            show(winter, Tz::Europe__Berlin, false),
            "2026-11-21 10:30 CET"
        );
        assert_eq!(
            show(summer, Tz::Europe__Berlin, true),
            "2026-07-01 11:30:05 CEST"
        );
        assert_eq!(show(winter, Tz::UTC, false), "2026-11-21 09:30 UTC");
        assert_eq!(show_time(winter, Tz::America__New_York), "04:30:05 EST");
        assert_eq!(
            show_date(t("2026-11-21T23:30:00Z"), Tz::Asia__Tokyo),
            "2026-11-22"
        );
    }

    #[test]
    fn typed_times_are_read_in_the_zone() {
        let tz = Tz::Europe__Berlin;
        assert_eq!(
            read_input("2026-11-21T10:30", tz),
            Some(t("2026-11-21T09:30:00Z"))
        );
        assert_eq!(
            read_input("2026-07-01 11:30:05", tz),
            Some(t("2026-07-01T09:30:05Z"))
        );
        assert_eq!(
            read_input("2026-11-21T10:30:00+01:00", Tz::UTC),
            Some(t("2026-11-21T09:30:00Z"))
        );
        assert_eq!(read_input("tomorrow", tz), None);
        assert_eq!(
            input_value(t("2026-11-21T09:30:00Z"), tz),
            "2026-11-21T10:30"
        );
        // 02:30 on the spring-forward night does not exist in Berlin: read as 03:30 CEST.
        assert_eq!(
            read_input("2026-03-29T02:30", tz),
            Some(t("2026-03-29T01:30:00Z"))
        );
        // 02:30 on the fall-back night happens twice: the first (CEST) counts.
        assert_eq!(
            read_input("2026-10-25T02:30", tz),
            Some(t("2026-10-25T00:30:00Z"))
        );
    }
}
