//! Report periods (SPEC §3.2): `2026-03`, `2026-Q1`, `2026-W09`, `2026`, or
//! `--since`/`--until` dates, all in the repo's time zone; `until` is exclusive.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use crate::model::decode::year_in_range;

/// A half-open span of time [since, until).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// Inclusive start.
    pub since: DateTime<Utc>,
    /// Exclusive end.
    pub until: DateTime<Utc>,
}

impl Period {
    /// Length in seconds (0 when empty).
    pub fn seconds(&self) -> usize {
        usize::try_from((self.until - self.since).num_seconds()).unwrap_or(0)
    }

    /// True when `at` lies in [since, until).
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.since <= at && at < self.until
    }
}

/// Parses a `--period` value into local dates [first, end): exactly `YYYY`,
/// `YYYY-MM`, `YYYY-Qn` or `YYYY-Www` (ISO week), digits only.
pub fn parse_period(text: &str) -> Option<(NaiveDate, NaiveDate)> {
    let number = |digits: &str, width: usize| {
        (digits.len() == width && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<u32>().ok())
            .flatten()
    };
    let (year, rest) = text.trim().split_at_checked(4)?;
    let year = i32::try_from(number(year, 4)?)
        .ok()
        .filter(|y| year_in_range(*y))?;
    if rest.is_empty() {
        let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
        return Some((first, NaiveDate::from_ymd_opt(year + 1, 1, 1)?));
    }
    let rest = rest.strip_prefix('-')?;
    if let Some(week) = rest.strip_prefix('W') {
        let first = NaiveDate::from_isoywd_opt(year, number(week, 2)?, Weekday::Mon)?;
        return Some((first, first + chrono::Days::new(7)));
    }
    let (first, months) = match rest.strip_prefix('Q') {
        Some(quarter) => {
            let quarter = number(quarter, 1).filter(|q| (1..=4).contains(q))?;
            (NaiveDate::from_ymd_opt(year, (quarter - 1) * 3 + 1, 1)?, 3)
        }
        None => (NaiveDate::from_ymd_opt(year, number(rest, 2)?, 1)?, 1),
    };
    Some((
        first,
        first.checked_add_months(chrono::Months::new(months))?,
    ))
}

/// Local midnight of `date` in `tz` as an instant (the first valid instant when a
/// DST change skips midnight).
pub fn start_of_day(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let mut time = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    for _ in 0..48 {
        if let Some(at) = tz.from_local_datetime(&time).earliest() {
            return at.to_utc();
        }
        time += chrono::Duration::minutes(30);
    }
    Utc.from_utc_datetime(&time)
}

/// Parses a `--since`/`--until` value: a date (local midnight in `tz`) or an RFC 3339 timestamp.
pub fn parse_instant(text: &str, tz: Tz) -> Option<DateTime<Utc>> {
    // Years outside MIN_YEAR..=MAX_YEAR are refused as in records (issue 11, finding 13).
    if let Ok(at) = DateTime::parse_from_rfc3339(text.trim()) {
        return year_in_range(at.year()).then(|| at.to_utc());
    }
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| year_in_range(d.year()))
        .map(|d| start_of_day(d, tz))
}

/// The first day of the month that holds `at` in `tz`.
pub fn month_start(at: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    let local = at.with_timezone(&tz).date_naive();
    start_of_day(local.with_day(1).unwrap_or(local), tz)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str) -> (String, String) {
        let (a, b) = parse_period(text).unwrap();
        (a.to_string(), b.to_string())
    }

    #[test]
    fn every_period_form() {
        assert_eq!(dates("2026-03"), ("2026-03-01".into(), "2026-04-01".into()));
        assert_eq!(dates("2026-12"), ("2026-12-01".into(), "2027-01-01".into()));
        assert_eq!(dates("2026-Q1"), ("2026-01-01".into(), "2026-04-01".into()));
        assert_eq!(dates("2026-Q4"), ("2026-10-01".into(), "2027-01-01".into()));
        assert_eq!(
            dates("2026-W09"),
            ("2026-02-23".into(), "2026-03-02".into())
        );
        assert_eq!(
            dates("2026-W01"),
            ("2025-12-29".into(), "2026-01-05".into())
        );
        assert_eq!(dates("2026"), ("2026-01-01".into(), "2027-01-01".into()));
        for bad in [
            "2026-13",
            "2026-Q5",
            "2026-W54",
            "26",
            "march",
            "2026-3",
            "2026-W9",
            "2026-+3",
            "0000",
            "+2026-03",
            "2026-Q01",
            "2026-Q0",
            "2026-03-01",
            "20260",
            "2026-",
            "2026-W+9",
        ] {
            assert_eq!(parse_period(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_local_midnight_in_the_repo_zone() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(
            parse_instant("2026-03-01", tz).unwrap().to_rfc3339(),
            "2026-02-28T23:00:00+00:00"
        );
        assert_eq!(
            parse_instant("2026-07-01", tz).unwrap().to_rfc3339(),
            "2026-06-30T22:00:00+00:00"
        );
        // Midnight does not exist on this day in Santiago (clocks jump 00:00 -> 01:00).
        let santiago: Tz = "America/Santiago".parse().unwrap();
        let start = parse_instant("2026-09-06", santiago).unwrap();
        assert_eq!(
            start.with_timezone(&santiago).to_rfc3339(),
            "2026-09-06T01:00:00-03:00"
        );
    }
}
