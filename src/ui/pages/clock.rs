//! Times as the organization reads them: in its time zone, with the zone's
//! abbreviation, so a page never shows a bare UTC time.

use crate::domain::zone::{self, Tz};
use crate::error::AppError;
use crate::service::App;
use chrono::{DateTime, Utc};

#[derive(Clone, Copy, Debug)]
pub struct Clock(pub Tz);

impl Clock {
    pub async fn of(app: &App, org_id: &str) -> Result<Clock, AppError> {
        Ok(Clock(crate::service::orgs::time_zone(app, org_id).await?))
    }

    /// `2026-11-21 10:30:05 CET`; a stored time that does not parse is shown as it is.
    pub fn at(&self, stored: &str) -> String {
        self.show(stored, |t| zone::show(t, self.0, true))
    }

    /// `2026-11-21 10:30 CET`.
    pub fn minute(&self, stored: &str) -> String {
        self.show(stored, |t| zone::show(t, self.0, false))
    }

    /// `10:30:05 CET`.
    pub fn time(&self, stored: &str) -> String {
        self.show(stored, |t| zone::show_time(t, self.0))
    }

    /// `2026-11-21` (the local date).
    pub fn date(&self, stored: &str) -> String {
        self.show(stored, |t| zone::show_date(t, self.0))
    }

    fn show(&self, stored: &str, f: impl Fn(DateTime<Utc>) -> String) -> String {
        DateTime::parse_from_rfc3339(stored)
            .map(|t| f(t.with_timezone(&Utc)))
            .unwrap_or_else(|_| stored.to_string())
    }
}
