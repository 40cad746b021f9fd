//! Renderers for `svc sla`: JSON (SPEC §3.4 keys), table, CSV and Markdown, all
//! from the same [`SlaReport`], plus the open-incident view.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use comfy_table::{Cell, Color};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value, json};

use super::table::CsvCell;
use super::{json as json_out, sanitize, table};
use crate::cli::ReportFormat;
use crate::sla::evaluate::{State, TargetResult};
use crate::sla::report::{Figures, GroupBy, IncidentRow, OpenRow, SlaReport};

/// The name of a group's key field. Whatever the grouping, the groups are in
/// the `services` array, so the top-level keys of SPEC §3.4 never change.
fn group_key_name(group_by: GroupBy) -> &'static str {
    match group_by {
        GroupBy::Service => "service",
        GroupBy::Policy => "policy",
        GroupBy::Owner => "owner",
        GroupBy::Priority => "priority",
    }
}

fn timestamp(at: DateTime<Utc>, tz: Tz) -> String {
    super::timestamp(at, tz)
}

/// One group's object of the `services` array of SPEC §3.4 (the service
/// review's `sla` object is this one, SPEC §9).
pub fn group_json(report: &SlaReport, g: &Figures) -> Value {
    let key_name = group_key_name(report.group_by);
    let mut object = Map::new();
    object.insert(key_name.into(), json!(g.key));
    if report.group_by == GroupBy::Service {
        object.insert("policy".into(), json!(g.policy));
    }
    let fields = [
        ("incidents", json!(g.incidents)),
        ("met", json!(g.met)),
        ("breached", json!(g.breached)),
        ("pending", json!(g.pending)),
        ("compliance_pct", json!(g.compliance_pct)),
        ("response_met_pct", json!(g.response_met_pct)),
        ("resolution_met_pct", json!(g.resolution_met_pct)),
        ("mtta_seconds", json!(g.mtta_seconds)),
        ("mttr_seconds", json!(g.mttr_seconds)),
        ("availability_pct", json!(g.availability_pct)),
        ("csat_pct", json!(g.csat_pct)),
    ];
    for (key, value) in fields {
        object.insert(key.into(), value);
    }
    let objectives: Map<String, Value> = g
        .objectives
        .iter()
        .map(|o| {
            (
                o.name.to_string(),
                json!({"target": o.target, "actual": o.actual, "ok": o.ok}),
            )
        })
        .collect();
    object.insert("objectives".into(), Value::Object(objectives));
    Value::Object(object)
}

/// The JSON document of SPEC §3.4, serialised as it is written: the incident
/// list (100,000 entries in a big repo) is never built as a JSON tree.
struct JsonReport<'a, 'r> {
    report: &'a SlaReport<'r>,
    tz: Tz,
}

#[derive(Serialize)]
struct IncidentJson<'a> {
    id: &'a str,
    service: &'a str,
    priority: &'a str,
    response: &'a TargetResult,
    resolution: &'a TargetResult,
    state: State,
}

impl Serialize for JsonReport<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let report = self.report;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry(
            "period",
            &json!({"since": timestamp(report.period.since, self.tz), "until": timestamp(report.period.until, self.tz)}),
        )?;
        map.serialize_entry("now", &timestamp(report.now, Tz::UTC))?;
        let groups: Vec<Value> = report
            .groups
            .iter()
            .map(|g| group_json(report, g))
            .collect();
        map.serialize_entry("services", &groups)?;
        let incidents = Incidents(&report.incidents);
        map.serialize_entry("incidents", &incidents)?;
        map.serialize_entry("skipped", &report.skipped)?;
        map.end()
    }
}

struct Incidents<'a, 'r>(&'a [IncidentRow<'r>]);

impl Serialize for Incidents<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|i| IncidentJson {
            id: i.id,
            service: i.service,
            priority: i.priority,
            response: &i.evaluation.response,
            resolution: &i.evaluation.resolution,
            state: i.evaluation.state,
        }))
    }
}

/// Writes the JSON document of SPEC §3.4.
pub fn render_json(out: &mut impl Write, report: &SlaReport, tz: Tz) -> io::Result<()> {
    json_out::write(out, &JsonReport { report, tz })
}

/// `1h 05m`; under a minute `45s`; negative durations keep their sign.
pub fn human_duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    if s < 60 {
        return format!("{sign}{s}s");
    }
    let days = s / 86_400;
    let hours = (s % 86_400) / 3600;
    let minutes = (s % 3600) / 60;
    if days > 0 {
        format!("{sign}{days}d {hours:02}h {minutes:02}m")
    } else {
        format!("{sign}{hours}h {minutes:02}m")
    }
}

/// `24h 05m`: a duration in hours, never days, for time counted on a business
/// calendar, where a "day" of 24 counted hours would read as one office day.
pub fn human_hours(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let s = seconds.unsigned_abs();
    if s < 60 {
        return format!("{sign}{s}s");
    }
    format!("{sign}{}h {:02}m", s / 3600, (s % 3600) / 60)
}

/// Counted time as people read it: hours on a business calendar, else with days.
pub fn counted_duration(seconds: i64, business_hours: bool) -> String {
    if business_hours {
        human_hours(seconds)
    } else {
        human_duration(seconds)
    }
}

fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.2}%"))
}

fn seconds(value: Option<i64>) -> String {
    value.map_or_else(|| "-".to_string(), human_duration)
}

fn objectives_text(g: &Figures) -> String {
    g.objectives
        .iter()
        .map(|o| {
            let mark = match o.ok {
                Some(true) => "ok",
                Some(false) => "MISSED",
                None => "n/a",
            };
            format!(
                "{} {}/{} {mark}",
                o.name,
                pct(o.actual),
                pct(Some(o.target))
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

const GROUP_COLUMNS: [&str; 13] = [
    "incidents",
    "met",
    "breached",
    "pending",
    "compliance",
    "response met",
    "resolution met",
    "MTTA",
    "MTTR",
    "availability",
    "CSAT",
    "problems",
    "objectives",
];

/// The problems linked to a group's incidents, for people: `3 (1 open)`.
fn problems_text(g: &Figures) -> String {
    format!("{} ({} open)", g.problems.all, g.problems.open)
}

/// A group's figures as cells, in [`GROUP_COLUMNS`] order: `percent` and
/// `duration` format them for people or for spreadsheets, and `problems` is
/// one cell for people or two (all, open) for spreadsheets.
fn group_cells(
    g: &Figures,
    percent: impl Fn(Option<f64>) -> String,
    duration: impl Fn(Option<i64>) -> String,
    problems: Vec<String>,
    objectives: String,
) -> Vec<String> {
    vec![
        g.incidents.to_string(),
        g.met.to_string(),
        g.breached.to_string(),
        g.pending.to_string(),
        percent(g.compliance_pct),
        percent(g.response_met_pct),
        percent(g.resolution_met_pct),
        duration(g.mtta_seconds),
        duration(g.mttr_seconds),
        percent(g.availability_pct),
        percent(g.csat_pct),
    ]
    .into_iter()
    .chain(problems)
    .chain([objectives])
    .collect()
}

fn group_header(report: &SlaReport) -> Vec<&'static str> {
    let mut header = vec![group_key_name(report.group_by)];
    if report.group_by == GroupBy::Service {
        header.push("policy");
    }
    header.extend(GROUP_COLUMNS);
    header
}

fn group_row(report: &SlaReport, g: &Figures) -> Vec<String> {
    let mut row = vec![g.key.clone()];
    if report.group_by == GroupBy::Service {
        row.push(g.policy.clone().unwrap_or_default());
    }
    row.extend(group_cells(
        g,
        pct,
        seconds,
        vec![problems_text(g)],
        objectives_text(g),
    ));
    row
}

const INCIDENT_COLUMNS: [&str; 6] = [
    "incident",
    "service",
    "priority",
    "response",
    "resolution",
    "state",
];

fn target_text(t: &TargetResult, business_hours: bool) -> String {
    format!(
        "{} / {} {}",
        counted_duration(t.counted_seconds, business_hours),
        counted_duration(t.target_seconds, business_hours),
        t.state.as_str()
    )
}

fn incident_row(i: &IncidentRow) -> Vec<String> {
    vec![
        i.id.to_string(),
        i.service.to_string(),
        i.priority.to_string(),
        target_text(&i.evaluation.response, i.business_hours),
        target_text(&i.evaluation.resolution, i.business_hours),
        i.evaluation.state.as_str().to_string(),
    ]
}

/// The table for people; breaches and missed objectives in red when `color`.
pub fn render_table(
    out: &mut impl Write,
    report: &SlaReport,
    tz: Tz,
    detail: bool,
    color: bool,
) -> io::Result<()> {
    writeln!(
        out,
        "SLA report {} to {} (now {})",
        timestamp(report.period.since, tz),
        timestamp(report.period.until, tz),
        timestamp(report.now, Tz::UTC)
    )?;
    // Rows with a breach or a missed objective are red when colour is on.
    let row = |cells: Vec<String>, bad: bool| {
        cells.into_iter().map(move |text| {
            let cell = Cell::new(sanitize(&text));
            if bad && color {
                cell.fg(Color::Red)
            } else {
                cell
            }
        })
    };
    // The choice to colour was made from --color, NO_COLOR and the terminal;
    // comfy-table would otherwise drop the colour whenever stdout is a pipe.
    let styled = |mut t: comfy_table::Table| {
        if color {
            t.enforce_styling();
        }
        t
    };
    let mut t = styled(table::new(&group_header(report)));
    for g in &report.groups {
        t.add_row(row(
            group_row(report, g),
            g.breached > 0 || g.misses_objective(),
        ));
    }
    writeln!(out, "{t}")?;
    if detail {
        let mut t = styled(table::new(&INCIDENT_COLUMNS));
        for i in &report.incidents {
            t.add_row(row(incident_row(i), i.evaluation.state == State::Breached));
        }
        writeln!(out, "{t}")?;
    }
    Ok(())
}

/// CSV: the group rows, or with `detail` the incident rows alone: one table
/// per document, so pandas and spreadsheets read it (docs/sla.md). Numbers are
/// raw (seconds, percentages) for spreadsheets; null is empty.
pub fn render_csv(out: &mut impl Write, report: &SlaReport, detail: bool) -> io::Result<()> {
    if detail {
        return render_incidents_csv(out, report);
    }
    let mut header = vec![group_key_name(report.group_by)];
    if report.group_by == GroupBy::Service {
        header.push("policy");
    }
    header.extend([
        "incidents",
        "met",
        "breached",
        "pending",
        "compliance_pct",
        "response_met_pct",
        "resolution_met_pct",
        "mtta_seconds",
        "mttr_seconds",
        "availability_pct",
        "csat_pct",
        "problems",
        "problems_open",
        "objectives_missed",
    ]);
    let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let opt_i = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let group_rows = report.groups.iter().map(|g| {
        // The group key is record text whatever the grouping (a service id,
        // an owner, a priority key): neutralised, unlike the figures.
        let mut row = vec![CsvCell::text(g.key.clone())];
        if report.group_by == GroupBy::Service {
            row.push(CsvCell::text(g.policy.clone().unwrap_or_default()));
        }
        let missed: Vec<&str> = g
            .objectives
            .iter()
            .filter(|o| o.ok == Some(false))
            .map(|o| o.name)
            .collect();
        let problems = vec![g.problems.all.to_string(), g.problems.open.to_string()];
        let mut cells = group_cells(g, opt, opt_i, problems, missed.join(" "));
        let objectives = cells.pop().unwrap_or_default();
        row.extend(cells.into_iter().map(|c| CsvCell::figure(Some(c))));
        row.push(CsvCell::text(objectives));
        row
    });
    table::csv(out, &header, group_rows)
}

/// The incident rows of `--detail --format csv`.
fn render_incidents_csv(out: &mut impl Write, report: &SlaReport) -> io::Result<()> {
    let header = [
        "incident",
        "service",
        "priority",
        "response_counted_seconds",
        "response_target_seconds",
        "response_state",
        "resolution_counted_seconds",
        "resolution_target_seconds",
        "resolution_state",
        "state",
    ];
    let rows = report.incidents.iter().map(|i| {
        let (r, s) = (&i.evaluation.response, &i.evaluation.resolution);
        vec![
            CsvCell::text(i.id),
            CsvCell::text(i.service),
            CsvCell::text(i.priority),
            CsvCell::figure(Some(r.counted_seconds)),
            CsvCell::figure(Some(r.target_seconds)),
            CsvCell::figure(Some(r.state.as_str())),
            CsvCell::figure(Some(s.counted_seconds)),
            CsvCell::figure(Some(s.target_seconds)),
            CsvCell::figure(Some(s.state.as_str())),
            CsvCell::figure(Some(i.evaluation.state.as_str())),
        ]
    });
    table::csv(out, &header, rows)
}

/// Markdown for service reviews: a heading, the group table and, with `detail`, the incidents.
pub fn render_markdown(
    out: &mut impl Write,
    report: &SlaReport,
    tz: Tz,
    detail: bool,
) -> io::Result<()> {
    writeln!(
        out,
        "## SLA report {} to {}\n",
        timestamp(report.period.since, tz),
        timestamp(report.period.until, tz)
    )?;
    table::markdown(
        out,
        &group_header(report),
        report.groups.iter().map(|g| group_row(report, g)),
    )?;
    if detail {
        writeln!(out, "\n### Incidents\n")?;
        table::markdown(
            out,
            &INCIDENT_COLUMNS,
            report.incidents.iter().map(incident_row),
        )?;
    }
    Ok(())
}

fn left_text(t: &Option<TargetResult>, business_hours: bool) -> String {
    t.map_or_else(
        || "responded".to_string(),
        |t| counted_duration(t.seconds_left(), business_hours),
    )
}

/// The `--open` view as a table or JSON.
pub fn render_open(
    out: &mut impl Write,
    rows: &[OpenRow],
    now: DateTime<Utc>,
    format: ReportFormat,
    tz: Tz,
) -> io::Result<()> {
    if format == ReportFormat::Json {
        let open_target = |t: &TargetResult| {
            json!({"counted_seconds": t.counted_seconds, "target_seconds": t.target_seconds,
                   "left_seconds": t.seconds_left(), "state": t.state.as_str()})
        };
        let items: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "id": r.id, "service": r.service, "priority": r.priority,
                    "opened_at": timestamp(r.opened_at, tz),
                    "response": r.response.as_ref().map(open_target),
                    "resolution": open_target(&r.resolution),
                    "escalation": r.escalation.as_ref().map(|(after, notify)| json!({"after_pct": after, "notify": notify})),
                })
            })
            .collect();
        return json_out::write(out, &json!({"now": timestamp(now, Tz::UTC), "open": items}));
    }
    let header = [
        "incident",
        "service",
        "priority",
        "opened",
        "counted",
        "response left",
        "resolution left",
        "escalation",
    ];
    let cells = |r: &OpenRow| {
        vec![
            r.id.clone(),
            r.service.clone(),
            r.priority.clone(),
            timestamp(r.opened_at, tz),
            counted_duration(r.resolution.counted_seconds, r.business_hours),
            left_text(&r.response, r.business_hours),
            counted_duration(r.resolution.seconds_left(), r.business_hours),
            r.escalation.as_ref().map_or_else(
                || "-".to_string(),
                |(after, notify)| format!("{notify} (at {after}%)"),
            ),
        ]
    };
    match format {
        ReportFormat::Csv => {
            // Raw numbers for spreadsheets, as in the report's CSV.
            let header = [
                "incident",
                "service",
                "priority",
                "opened_at",
                "counted_seconds",
                "response_left_seconds",
                "resolution_left_seconds",
                "escalation_after_pct",
                "escalation_notify",
            ];
            let rows = rows.iter().map(|r| {
                let after = r.escalation.as_ref().map(|(after, _)| *after);
                let notify = r
                    .escalation
                    .as_ref()
                    .map_or(String::new(), |(_, notify)| notify.clone());
                vec![
                    CsvCell::text(r.id.clone()),
                    CsvCell::text(r.service.clone()),
                    CsvCell::text(r.priority.clone()),
                    CsvCell::figure(Some(timestamp(r.opened_at, tz))),
                    CsvCell::figure(Some(r.resolution.counted_seconds)),
                    // Negative once a target is breached: a number, not a formula.
                    CsvCell::figure(r.response.map(|t| t.seconds_left())),
                    CsvCell::figure(Some(r.resolution.seconds_left())),
                    CsvCell::figure(after),
                    CsvCell::text(notify),
                ]
            });
            table::csv(out, &header, rows)
        }
        ReportFormat::Markdown => table::markdown(out, &header, rows.iter().map(cells)),
        ReportFormat::Table | ReportFormat::Json => {
            let mut t = table::new(&header);
            for r in rows {
                t.add_row(cells(r).into_iter().map(|c| sanitize(&c).into_owned()));
            }
            writeln!(out, "{t}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_durations() {
        assert_eq!(human_duration(3900), "1h 05m");
        assert_eq!(human_duration(45), "45s");
        assert_eq!(human_duration(-720), "-0h 12m");
        assert_eq!(human_duration(97_200), "1d 03h 00m");
        assert_eq!(human_hours(86_400), "24h 00m");
        assert_eq!(human_hours(97_260), "27h 01m");
        assert_eq!(human_hours(-720), "-0h 12m");
        assert_eq!(counted_duration(86_400, false), "1d 00h 00m");
    }

    #[test]
    fn markdown_cells_escape_pipes() {
        assert_eq!(table::markdown_cell("a|b"), "a\\|b");
    }
}
