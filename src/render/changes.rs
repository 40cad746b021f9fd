//! Renderers for `svc report changes`: JSON with SPEC §6's keys, a table for
//! people, CSV and Markdown, all from the same [`ChangesReport`].

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{Value, json};

use super::sla::human_duration;
use super::table::CsvCell;
use super::{json as json_out, sanitize, table};
use crate::report::changes::{ChangeFigures, ChangesReport, UPCOMING_HOURS, Upcoming};

fn timestamp(at: DateTime<Utc>, tz: Tz) -> String {
    super::timestamp(at, tz)
}

/// One service's object of the `services` array of SPEC §6 (the service
/// review's `changes` section is this one).
pub fn service_json(f: &ChangeFigures) -> Value {
    json!({
        "service": f.service,
        "changes": f.changes,
        "standard": f.standard,
        "normal": f.normal,
        "emergency": f.emergency,
        "successful": f.successful,
        "failed": f.failed,
        "rolled_back": f.rolled_back,
        "change_failure_rate_pct": f.change_failure_rate_pct(),
        "lead_time_median_seconds": f.lead_time_median_seconds,
        "incidents_caused": f.incidents_caused.len(),
    })
}

fn upcoming_json(u: &Upcoming, tz: Tz) -> Value {
    json!({
        "change": u.change,
        "service": u.service,
        "state": u.state,
        "window": {"start": timestamp(u.start, tz), "end": u.end.map(|e| timestamp(e, tz))},
        "conflicts": u.conflicts,
    })
}

/// Writes `{"period", "now", "services", "upcoming", "skipped"}` (SPEC §6).
pub fn render_json(out: &mut impl Write, report: &ChangesReport, tz: Tz) -> io::Result<()> {
    let value = json!({
        "period": {"since": timestamp(report.period.since, tz), "until": timestamp(report.period.until, tz)},
        "now": timestamp(report.now, Tz::UTC),
        "services": report.services.iter().map(service_json).collect::<Vec<_>>(),
        "upcoming": report.upcoming.iter().map(|u| upcoming_json(u, tz)).collect::<Vec<_>>(),
        "skipped": report.skipped,
    });
    json_out::write(out, &value)
}

const SERVICE_HEADER: [&str; 11] = [
    "service",
    "changes",
    "standard",
    "normal",
    "emergency",
    "successful",
    "failed",
    "rolled back",
    "failure rate",
    "lead time (median)",
    "incidents caused",
];

const UPCOMING_HEADER: [&str; 7] = [
    "change",
    "service",
    "state",
    "window start",
    "window end",
    "conflicts",
    "title",
];

/// A service's figures as cells: `percent` and `duration` format them for
/// people or for spreadsheets.
fn service_cells(
    f: &ChangeFigures,
    percent: impl Fn(Option<f64>) -> String,
    duration: impl Fn(Option<i64>) -> String,
) -> Vec<String> {
    vec![
        f.service.to_string(),
        f.changes.to_string(),
        f.standard.to_string(),
        f.normal.to_string(),
        f.emergency.to_string(),
        f.successful.to_string(),
        f.failed.to_string(),
        f.rolled_back.to_string(),
        percent(f.change_failure_rate_pct()),
        duration(f.lead_time_median_seconds),
        f.incidents_caused.len().to_string(),
    ]
}

fn people_percent(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.2}%"))
}

fn people_duration(value: Option<i64>) -> String {
    value.map_or_else(|| "-".to_string(), human_duration)
}

/// An upcoming change as cells for people.
fn upcoming_cells(u: &Upcoming, tz: Tz) -> Vec<String> {
    vec![
        u.change.to_string(),
        u.service.to_string(),
        u.state.to_string(),
        timestamp(u.start, tz),
        u.end.map(|e| timestamp(e, tz)).unwrap_or_default(),
        u.conflicts.join(", "),
        u.title.unwrap_or_default().to_string(),
    ]
}

fn heading(report: &ChangesReport, tz: Tz) -> String {
    format!(
        "Change report {} to {} (now {})",
        timestamp(report.period.since, tz),
        timestamp(report.period.until, tz),
        timestamp(report.now, Tz::UTC)
    )
}

const NO_CHANGES: &str = "no change was implemented in this period";
const NO_UPCOMING: &str = "no open change starts in the next 14 days";

/// The table for people: the figures per service, then the upcoming changes.
pub fn render_table(out: &mut impl Write, report: &ChangesReport, tz: Tz) -> io::Result<()> {
    writeln!(out, "{}", heading(report, tz))?;
    if report.services.is_empty() {
        writeln!(out, "{NO_CHANGES}")?;
    } else {
        let mut t = table::new(&SERVICE_HEADER);
        for f in &report.services {
            let cells = service_cells(f, people_percent, people_duration);
            t.add_row(cells.into_iter().map(|c| sanitize(&c).into_owned()));
        }
        writeln!(out, "{t}")?;
    }
    writeln!(
        out,
        "\nUpcoming changes (next {} days)",
        UPCOMING_HOURS / 24
    )?;
    if report.upcoming.is_empty() {
        return writeln!(out, "{NO_UPCOMING}");
    }
    let mut t = table::new(&UPCOMING_HEADER);
    for u in &report.upcoming {
        let cells = upcoming_cells(u, tz);
        t.add_row(cells.into_iter().map(|c| sanitize(&c).into_owned()));
    }
    writeln!(out, "{t}")
}

/// CSV: the service rows with the JSON key names and raw numbers (null is
/// empty), a blank line, then the upcoming changes.
pub fn render_csv(out: &mut impl Write, report: &ChangesReport, tz: Tz) -> io::Result<()> {
    let header = [
        "service",
        "changes",
        "standard",
        "normal",
        "emergency",
        "successful",
        "failed",
        "rolled_back",
        "change_failure_rate_pct",
        "lead_time_median_seconds",
        "incidents_caused",
    ];
    let raw_percent = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let raw_seconds = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    // The service id is record text; every other cell is a figure.
    let service_row = |f: &ChangeFigures| {
        let mut cells = service_cells(f, raw_percent, raw_seconds).into_iter();
        let service = CsvCell::text(cells.next().unwrap_or_default());
        std::iter::once(service).chain(cells.map(|c| CsvCell::figure(Some(c))))
    };
    table::csv(&mut *out, &header, report.services.iter().map(service_row))?;
    writeln!(out)?;
    let header = [
        "change",
        "service",
        "state",
        "window_start",
        "window_end",
        "conflicts",
        "title",
    ];
    let upcoming_row = |u: &Upcoming| {
        [
            CsvCell::text(u.change),
            CsvCell::text(u.service),
            CsvCell::text(u.state),
            CsvCell::figure(Some(timestamp(u.start, tz))),
            CsvCell::figure(u.end.map(|e| timestamp(e, tz))),
            CsvCell::text(u.conflicts.join(" ")),
            CsvCell::text(u.title.unwrap_or_default()),
        ]
    };
    table::csv(out, &header, report.upcoming.iter().map(upcoming_row))
}

/// Markdown for reviews: a heading, the service table and the upcoming changes.
pub fn render_markdown(out: &mut impl Write, report: &ChangesReport, tz: Tz) -> io::Result<()> {
    writeln!(
        out,
        "## Changes {} to {}\n",
        timestamp(report.period.since, tz),
        timestamp(report.period.until, tz)
    )?;
    if report.services.is_empty() {
        writeln!(out, "{NO_CHANGES}.")?;
    } else {
        table::markdown(
            out,
            &SERVICE_HEADER,
            report
                .services
                .iter()
                .map(|f| service_cells(f, people_percent, people_duration)),
        )?;
    }
    writeln!(
        out,
        "\n### Upcoming changes ({} days from {})\n",
        UPCOMING_HOURS / 24,
        timestamp(report.now, Tz::UTC)
    )?;
    if report.upcoming.is_empty() {
        return writeln!(out, "{NO_UPCOMING}.");
    }
    table::markdown(
        out,
        &UPCOMING_HEADER,
        report.upcoming.iter().map(|u| upcoming_cells(u, tz)),
    )
}
