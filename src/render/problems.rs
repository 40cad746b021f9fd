//! Renderers for `svc report problems`: JSON with SPEC §7's keys (and the
//! `skipped` list every report carries), a table for people, CSV and Markdown,
//! all from the same [`ProblemsReport`].

use std::io::{self, Write};

use serde_json::json;

use super::table::CsvCell;
use super::{json as json_out, sanitize, table};
use crate::report::problems::{ProblemRow, ProblemsReport};

/// Writes `{"problems": [...], "skipped": [...]}`.
pub fn render_json(out: &mut impl Write, report: &ProblemsReport) -> io::Result<()> {
    let problems: Vec<serde_json::Value> = report
        .problems
        .iter()
        .map(|p| {
            json!({
                "problem": p.problem,
                "service": p.service,
                "state": p.state,
                "age_days": p.age_days,
                "incidents": p.incidents,
                "actions_open": p.actions_open,
                "actions_overdue": p.actions_overdue,
            })
        })
        .collect();
    json_out::write(
        out,
        &json!({"problems": problems, "skipped": report.skipped}),
    )
}

const HEADER: [&str; 8] = [
    "problem",
    "service",
    "state",
    "age (days)",
    "incidents",
    "open actions",
    "overdue actions",
    "title",
];

fn cells(p: &ProblemRow, unknown_age: &str) -> Vec<String> {
    vec![
        p.problem.to_string(),
        p.service.to_string(),
        p.state.to_string(),
        p.age_days
            .map_or_else(|| unknown_age.to_string(), |d| d.to_string()),
        p.incidents.to_string(),
        p.actions_open.to_string(),
        p.actions_overdue.to_string(),
        p.title.unwrap_or_default().to_string(),
    ]
}

const NONE_OPEN: &str = "no open problem";

/// The table for people, most in need of attention first.
pub fn render_table(out: &mut impl Write, report: &ProblemsReport) -> io::Result<()> {
    if report.problems.is_empty() {
        return writeln!(out, "{NONE_OPEN}");
    }
    let mut t = table::new(&HEADER);
    for p in &report.problems {
        t.add_row(cells(p, "-").into_iter().map(|c| sanitize(&c).into_owned()));
    }
    writeln!(out, "{t}")
}

/// CSV with the JSON key names (and the title); an unknown age is empty.
pub fn render_csv(out: &mut impl Write, report: &ProblemsReport) -> io::Result<()> {
    let header = [
        "problem",
        "service",
        "state",
        "age_days",
        "incidents",
        "actions_open",
        "actions_overdue",
        "title",
    ];
    let row = |p: &ProblemRow| {
        [
            CsvCell::text(p.problem),
            CsvCell::text(p.service),
            CsvCell::text(p.state),
            CsvCell::figure(p.age_days),
            CsvCell::figure(Some(p.incidents)),
            CsvCell::figure(Some(p.actions_open)),
            CsvCell::figure(Some(p.actions_overdue)),
            CsvCell::text(p.title.unwrap_or_default()),
        ]
    };
    table::csv(out, &header, report.problems.iter().map(row))
}

/// Markdown for reviews: a heading and the table.
pub fn render_markdown(out: &mut impl Write, report: &ProblemsReport) -> io::Result<()> {
    writeln!(out, "## Open problems\n")?;
    if report.problems.is_empty() {
        return writeln!(out, "{NONE_OPEN}.");
    }
    table::markdown(out, &HEADER, report.problems.iter().map(|p| cells(p, "-")))
}
