//! The review as Markdown for a wiki or a merge request: the same content as
//! the HTML page, each chart given as the table of its figures.

use std::io::{self, Write};

use super::view::{Field, Judged, Page, TableView};

/// Escapes record text for Markdown: table pipes and backslashes, and the
/// characters that would start raw HTML (many renderers pass HTML through).
fn md(text: &str) -> String {
    crate::render::table::markdown_cell(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

fn table(out: &mut impl Write, head: &[String], rows: &[Vec<String>]) -> io::Result<()> {
    let head: Vec<String> = head.iter().map(|h| md(h)).collect();
    writeln!(out, "| {} |", head.join(" | "))?;
    writeln!(out, "|{}|", vec!["---"; head.len()].join("|"))?;
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    writeln!(out)
}

fn fields(out: &mut impl Write, list: &[Field]) -> io::Result<()> {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|f| vec![f.label.clone(), f.value.clone()])
        .collect();
    table(out, &["figure".to_string(), "value".to_string()], &rows)
}

fn judged(j: &Judged) -> String {
    if j.target.is_empty() {
        j.text.clone()
    } else {
        format!("{} ({}, objective {})", j.text, j.verdict.word(), j.target)
    }
}

fn titled_table(out: &mut impl Write, t: &TableView) -> io::Result<()> {
    writeln!(out, "**{}**\n", md(&t.caption))?;
    table(out, &t.head, &t.rows)
}

/// Writes `page` as Markdown.
pub fn render(out: &mut impl Write, page: &Page) -> io::Result<()> {
    writeln!(out, "# {} ({})\n", md(&page.title), md(&page.repo))?;
    writeln!(
        out,
        "{}, figures as of {}.\n",
        md(&page.period),
        md(&page.now)
    )?;
    writeln!(out, "## Summary\n")?;
    if page.summary.is_empty() {
        writeln!(out, "No service to review in this period.\n")?;
    } else {
        let head = [
            "service",
            "owner",
            "incidents",
            "breached",
            "compliance",
            "availability",
            "CSAT",
            "change failure",
            "objectives",
        ]
        .map(String::from);
        let rows: Vec<Vec<String>> = page
            .summary
            .iter()
            .map(|r| {
                let mut row = vec![
                    r.service.clone(),
                    r.owner.clone(),
                    r.incidents.clone(),
                    r.breached.clone(),
                ];
                row.extend(r.cells().iter().map(|j| judged(j)));
                row.push(r.status.clone());
                row
            })
            .collect();
        table(out, &head, &rows)?;
    }
    for s in &page.services {
        writeln!(out, "## {}\n", md(&s.heading))?;
        let facts: Vec<String> = s
            .facts
            .iter()
            .map(|f| format!("{}: **{}**", md(&f.label), md(&f.value)))
            .collect();
        writeln!(out, "{}\n", facts.join(" · "))?;
        writeln!(out, "Objectives: **{}**\n", md(&s.status))?;
        fields(out, &s.figures)?;
        writeln!(out, "### Objectives\n")?;
        if s.objectives.is_empty() {
            writeln!(out, "The policy sets no objective.\n")?;
        } else {
            let rows: Vec<Vec<String>> = s
                .objectives
                .iter()
                .map(|o| {
                    let word = o.verdict.word();
                    vec![
                        o.name.clone(),
                        o.target.clone(),
                        o.actual.clone(),
                        if word.is_empty() {
                            "not measured"
                        } else {
                            word
                        }
                        .to_string(),
                    ]
                })
                .collect();
            table(
                out,
                &["objective", "target", "actual", "result"].map(String::from),
                &rows,
            )?;
        }
        writeln!(out, "### Trend\n")?;
        for c in &s.charts {
            writeln!(out, "**{}**\n", md(&c.title))?;
            table(out, &c.head, &c.rows)?;
        }
        writeln!(out, "### Error budget\n")?;
        match &s.error_budget {
            Some(lines) => {
                fields(out, lines)?;
                if s.budget_spent {
                    writeln!(out, "**The error budget is spent.**\n")?;
                }
            }
            None => writeln!(out, "No availability objective, so no error budget.\n")?,
        }
        writeln!(out, "### Breaches\n")?;
        if s.breaches.is_empty() {
            writeln!(out, "No incident breached its targets.\n")?;
        } else {
            let rows: Vec<Vec<String>> = s
                .breaches
                .iter()
                .map(|b| {
                    vec![
                        b.id.clone(),
                        b.title.clone(),
                        b.priority.clone(),
                        b.missed.clone(),
                        b.root_cause.clone(),
                        b.postmortem.clone(),
                        b.problem.clone(),
                    ]
                })
                .collect();
            table(
                out,
                &[
                    "incident",
                    "title",
                    "priority",
                    "missed by",
                    "root cause",
                    "postmortem",
                    "problem",
                ]
                .map(String::from),
                &rows,
            )?;
        }
        writeln!(out, "### Customer feedback\n")?;
        writeln!(out, "{}\n", md(&s.csat))?;
        if s.feedback.is_empty() {
            writeln!(out, "No rating or comment in this period.\n")?;
        } else {
            let rows: Vec<Vec<String>> = s
                .feedback
                .iter()
                .map(|f| vec![f.id.clone(), f.rating.clone(), f.comment.clone()])
                .collect();
            table(
                out,
                &["incident", "rating", "comment"].map(String::from),
                &rows,
            )?;
        }
        if page.show_changes {
            writeln!(out, "### Changes\n")?;
            match &s.changes {
                Some(lines) => fields(out, lines)?,
                None => writeln!(out, "No change was implemented in this period.\n")?,
            }
        }
        if page.show_problems {
            writeln!(out, "### Problems and improvement\n")?;
            match &s.problems {
                Some(tables) => {
                    for t in tables {
                        titled_table(out, t)?;
                    }
                }
                None => writeln!(out, "No problem opened, resolved or open.\n")?,
            }
        }
        writeln!(out, "### Lifecycle\n")?;
        match &s.lifecycle {
            Some(lines) => fields(out, lines)?,
            None => writeln!(out, "No lifecycle stage recorded.\n")?,
        }
    }
    if !page.skipped.is_empty() {
        writeln!(out, "## Left out\n")?;
        for s in &page.skipped {
            writeln!(out, "- {}", md(s))?;
        }
        writeln!(out)?;
    }
    Ok(())
}
