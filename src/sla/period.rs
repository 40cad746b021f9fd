//! Report periods (SPEC §3.2): `2026-03`, `2026-Q1`, `2026-W09`, `2026`, or
//! `--since`/`--until` dates, all in the repo's time zone; `until` is exclusive.

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
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

    /// The part of the period that has elapsed by `now`: [since, min(until,
    /// now)), or `None` when that is empty (a period wholly after now).
    pub fn elapsed(&self, now: DateTime<Utc>) -> Option<Period> {
        let until = self.until.min(now);
        (until > self.since).then_some(Period {
            since: self.since,
            until,
        })
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

/// The calendar unit of a named period: the trend of a review walks back in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// An ISO week.
    Week,
    /// A month.
    Month,
    /// A quarter.
    Quarter,
    /// A year.
    Year,
}

impl Unit {
    /// The first local date of the unit `steps` units after the one starting on
    /// `first` (before it for negative `steps`).
    pub fn shift(self, first: NaiveDate, steps: i32) -> Option<NaiveDate> {
        let months = |n: i32| {
            let magnitude = chrono::Months::new(n.unsigned_abs());
            if n >= 0 {
                first.checked_add_months(magnitude)
            } else {
                first.checked_sub_months(magnitude)
            }
        };
        match self {
            Unit::Week => first.checked_add_signed(chrono::Duration::weeks(i64::from(steps))),
            Unit::Month => months(steps),
            Unit::Quarter => months(steps.checked_mul(3)?),
            Unit::Year => months(steps.checked_mul(12)?),
        }
    }
}

/// The relative periods of SPEC §3.2, each exactly its absolute form for the
/// local date of `now` in `tz`.
pub const RELATIVE_PERIODS: [&str; 8] = [
    "this-week",
    "last-week",
    "this-month",
    "last-month",
    "this-quarter",
    "last-quarter",
    "this-year",
    "last-year",
];

/// Parses any `--period` value, absolute or relative to `now` in `tz`, into
/// local dates [first, end) and their unit.
pub fn parse_named(text: &str, now: DateTime<Utc>, tz: Tz) -> Option<(NaiveDate, NaiveDate, Unit)> {
    let text = text.trim();
    let today = now.with_timezone(&tz).date_naive();
    let relative = |unit: Unit, steps: i32| {
        let first = match unit {
            Unit::Week => {
                today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()))
            }
            Unit::Month => today.with_day(1)?,
            Unit::Quarter => {
                NaiveDate::from_ymd_opt(today.year(), (today.month0() / 3) * 3 + 1, 1)?
            }
            Unit::Year => NaiveDate::from_ymd_opt(today.year(), 1, 1)?,
        };
        let first = unit.shift(first, steps)?;
        Some((first, unit.shift(first, 1)?, unit))
    };
    match text {
        "this-week" => return relative(Unit::Week, 0),
        "last-week" => return relative(Unit::Week, -1),
        "this-month" => return relative(Unit::Month, 0),
        "last-month" => return relative(Unit::Month, -1),
        "this-quarter" => return relative(Unit::Quarter, 0),
        "last-quarter" => return relative(Unit::Quarter, -1),
        "this-year" => return relative(Unit::Year, 0),
        "last-year" => return relative(Unit::Year, -1),
        _ => {}
    }
    let (first, end) = parse_period(text)?;
    let unit = match text.len() {
        4 => Unit::Year,
        _ if text.contains('W') => Unit::Week,
        _ if text.contains('Q') => Unit::Quarter,
        _ => Unit::Month,
    };
    Some((first, end, unit))
}

/// A period as asked for on the command line (SPEC §3.2).
#[derive(Clone, Copy, Debug, Default)]
pub struct Request<'a> {
    /// `--period`.
    pub period: Option<&'a str>,
    /// `--since`.
    pub since: Option<&'a str>,
    /// `--until`.
    pub until: Option<&'a str>,
}

/// A resolved period and, for a named one, its calendar unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The span.
    pub period: Period,
    /// The unit of a `--period`; `None` for `--since/--until` or the default.
    pub unit: Option<(Unit, NaiveDate)>,
}

impl Resolved {
    /// The `n` periods before this one, oldest first: the same calendar unit
    /// for a named period, equal spans otherwise (SPEC §9).
    pub fn earlier(&self, n: u32, tz: Tz) -> Vec<Period> {
        let steps: Vec<i32> = (1..=i32::try_from(n).unwrap_or(i32::MAX)).rev().collect();
        match self.unit {
            Some((unit, first)) => steps
                .iter()
                .filter_map(|k| {
                    let start = unit.shift(first, -k)?;
                    let end = unit.shift(start, 1)?;
                    Some(Period {
                        since: start_of_day(start, tz),
                        until: start_of_day(end, tz),
                    })
                })
                .collect(),
            None => {
                let length = self.period.until - self.period.since;
                steps
                    .iter()
                    .filter_map(|k| {
                        let since = self.period.since.checked_sub_signed(length * *k)?;
                        Some(Period {
                            since,
                            until: since.checked_add_signed(length)?,
                        })
                    })
                    .collect()
            }
        }
    }
}

/// Resolves `request` in `tz` at `now`. Without any flag the period runs from
/// the first day of the month of `earliest` (the first incident) to now. The
/// error is a message and a help line.
pub fn resolve(
    request: Request,
    tz: Tz,
    now: DateTime<Utc>,
    earliest: Option<DateTime<Utc>>,
) -> Result<Resolved, (String, String)> {
    if let Some(text) = request.period {
        let (first, end, unit) = parse_named(text, now, tz).ok_or_else(|| {
            (
                format!("invalid --period `{text}`"),
                format!(
                    "use a month `2026-03`, a quarter `2026-Q1`, an ISO week `2026-W09`, a year `2026`, or one of {}",
                    RELATIVE_PERIODS.join(", ")
                ),
            )
        })?;
        return Ok(Resolved {
            period: Period {
                since: start_of_day(first, tz),
                until: start_of_day(end, tz),
            },
            unit: Some((unit, first)),
        });
    }
    let instant = |flag: &str, text: &str| {
        parse_instant(text, tz).ok_or_else(|| {
            (
                format!("invalid {flag} `{text}`"),
                "give a date like `2026-03-01` (repo time zone) or an RFC 3339 timestamp"
                    .to_string(),
            )
        })
    };
    let since = match request.since {
        Some(text) => instant("--since", text)?,
        None => month_start(earliest.unwrap_or(now), tz),
    };
    let until = match request.until {
        Some(text) => instant("--until", text)?,
        None => now,
    };
    if until <= since {
        let help = match (request.since, request.until) {
            (Some(_), Some(_)) => "swap the dates",
            (None, Some(_)) => {
                "give --since as well: the default starts in the month of the first incident"
            }
            _ => "give --since, or a --now after the month of the first incident",
        };
        return Err((
            format!(
                "the period is empty: it would end ({}) before it starts ({})",
                until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            help.to_string(),
        ));
    }
    Ok(Resolved {
        period: Period { since, until },
        unit: None,
    })
}

/// Local midnight of `date` in `tz` as an instant (see [`local_midnight`]).
pub fn start_of_day(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    crate::model::local_midnight(date, tz)
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
