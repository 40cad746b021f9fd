//! Renderers for `svc report lifecycle`: a stage funnel and a table for people,
//! JSON with SPEC §4's keys, CSV and Markdown.

use std::io::{self, Write};

use serde_json::{Map, Value, json};

use super::table::CsvCell;
use super::{json as json_out, sanitize, table};
use crate::lifecycle::report::{LifecycleReport, LifecycleRow};

const HEADER: [&str; 9] = [
    "service",
    "owner",
    "stage",
    "since",
    "days in stage",
    "stale",
    "next stage",
    "next gate",
    "missing",
];

fn cells(row: &LifecycleRow) -> Vec<String> {
    vec![
        row.service.clone(),
        row.owner.clone().unwrap_or_default(),
        row.stage.clone(),
        row.since.clone().unwrap_or_default(),
        row.days_in_stage.map(|d| d.to_string()).unwrap_or_default(),
        if row.stale {
            "stale".into()
        } else {
            String::new()
        },
        row.next_stage.clone().unwrap_or_else(|| "-".into()),
        match row.next_gate_ok {
            Some(true) => "ok".into(),
            Some(false) => "blocked".into(),
            None => "-".into(),
        },
        row.missing.join(", "),
    ]
}

/// JSON: `{"services": [...], "stages": {"<stage>": count}}`.
pub fn render_json(out: &mut impl Write, report: &LifecycleReport) -> io::Result<()> {
    let services: Vec<Value> = report
        .services
        .iter()
        .map(|r| {
            json!({
                "service": r.service,
                "stage": r.stage,
                "since": r.since,
                "days_in_stage": r.days_in_stage,
                "stale": r.stale,
                "next_stage": r.next_stage,
                "next_gate_ok": r.next_gate_ok,
                "missing": r.missing,
            })
        })
        .collect();
    let stages: Map<String, Value> = report
        .stages
        .iter()
        .map(|(s, n)| (s.clone(), json!(n)))
        .collect();
    json_out::write(out, &json!({"services": services, "stages": stages}))
}

/// The funnel of stage counts (when `chart`), then one row per service. With
/// `--stale` there is no chart: the question is which services, not how many.
pub fn render_table(out: &mut impl Write, report: &LifecycleReport, chart: bool) -> io::Result<()> {
    if chart {
        render_chart(out, report)?;
    }
    let mut t = table::new(&HEADER);
    for row in &report.services {
        t.add_row(cells(row).into_iter().map(|c| sanitize(&c).into_owned()));
    }
    writeln!(out, "{t}")
}

fn render_chart(out: &mut impl Write, report: &LifecycleReport) -> io::Result<()> {
    let width = report
        .stages
        .iter()
        .map(|(s, _)| s.len())
        .max()
        .unwrap_or(0);
    let most = report
        .stages
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(0)
        .max(1);
    for (stage, count) in &report.stages {
        let bar = "█".repeat((count * 40).div_ceil(most));
        writeln!(out, "{:<width$}  {count:>4}  {bar}", sanitize(stage))?;
    }
    writeln!(out)
}

/// CSV, one row per service, with the JSON key names and raw values for scripts.
pub fn render_csv(out: &mut impl Write, report: &LifecycleReport) -> io::Result<()> {
    let header = [
        "service",
        "owner",
        "stage",
        "since",
        "days_in_stage",
        "stale",
        "next_stage",
        "next_gate_ok",
        "missing",
    ];
    let text = |value: Option<&String>| CsvCell::text(value.cloned().unwrap_or_default());
    let rows = report.services.iter().map(|row| {
        vec![
            CsvCell::text(row.service.clone()),
            text(row.owner.as_ref()),
            CsvCell::text(row.stage.clone()),
            text(row.since.as_ref()),
            CsvCell::figure(row.days_in_stage),
            CsvCell::figure(Some(row.stale)),
            text(row.next_stage.as_ref()),
            CsvCell::figure(row.next_gate_ok),
            CsvCell::text(row.missing.join("; ")),
        ]
    });
    table::csv(out, &header, rows)
}

/// Markdown: the stage counts and the service table.
pub fn render_markdown(out: &mut impl Write, report: &LifecycleReport) -> io::Result<()> {
    writeln!(out, "## Service lifecycle\n")?;
    table::markdown(
        out,
        &["stage", "services"],
        report
            .stages
            .iter()
            .map(|(s, n)| vec![s.clone(), n.to_string()]),
    )?;
    writeln!(out)?;
    table::markdown(out, &HEADER, report.services.iter().map(cells))
}
