//! The review as people read it: every figure of a [`Review`] formatted once,
//! as text, for the HTML template and the Markdown renderer alike (so the two
//! show the same content, and no template computes anything). Record text is
//! kept as it is here; each output escapes it for its own syntax.

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use super::chart::{self, BarChart, LineChart, Marker};
use crate::render::sla::{counted_duration, human_duration};
use crate::report::review::{Review, ServiceReview, TrendPoint};
use crate::sla::period::Period;

/// How a figure measured up: drives the badge and its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The objective was met.
    Met,
    /// The objective was missed.
    Missed,
    /// No objective, or nothing to measure.
    None,
}

impl Verdict {
    fn of(ok: Option<bool>) -> Verdict {
        match ok {
            Some(true) => Verdict::Met,
            Some(false) => Verdict::Missed,
            None => Verdict::None,
        }
    }

    /// The CSS class of the badge.
    pub fn class(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Missed => "missed",
            Verdict::None => "none",
        }
    }

    /// The word shown with the figure (the badge never relies on colour alone).
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Missed => "missed",
            Verdict::None => "not measured",
        }
    }
}

/// A figure with its verdict against an objective.
#[derive(Clone, Debug)]
pub struct Judged {
    /// The figure (`99.95%`, `-`).
    pub text: String,
    /// The objective (`≥ 99.90%`), empty without one.
    pub target: String,
    /// Met, missed or none.
    pub verdict: Verdict,
}

/// One row of the summary page.
#[derive(Clone, Debug)]
pub struct SummaryRow {
    /// The anchor of the service's section.
    pub anchor: String,
    /// Service id.
    pub service: String,
    /// Display name.
    pub name: String,
    /// Owner.
    pub owner: String,
    /// Incidents opened in the period.
    pub incidents: String,
    /// Breached incidents.
    pub breached: String,
    /// Compliance against its objective.
    pub compliance: Judged,
    /// Availability against its objective.
    pub availability: Judged,
    /// CSAT against its objective.
    pub csat: Judged,
    /// Change failure rate against its objective.
    pub change_failure: Judged,
    /// `all met`, `2 missed`, `no objectives`.
    pub status: String,
    /// The overall verdict.
    pub verdict: Verdict,
}

impl SummaryRow {
    /// Compliance, availability, CSAT and change failure rate, in column order.
    pub fn cells(&self) -> [&Judged; 4] {
        [
            &self.compliance,
            &self.availability,
            &self.csat,
            &self.change_failure,
        ]
    }
}

/// A chart and the table of its figures (its text alternative).
#[derive(Clone, Debug)]
pub struct ChartView {
    /// The chart's title.
    pub title: String,
    /// The inline `<svg>` (HTML only).
    pub svg: String,
    /// The header of the figures table.
    pub head: Vec<String>,
    /// Its rows.
    pub rows: Vec<Vec<String>>,
}

/// A labelled value.
#[derive(Clone, Debug)]
pub struct Field {
    /// The label.
    pub label: String,
    /// The value.
    pub value: String,
}

/// One objective of the service's policy.
#[derive(Clone, Debug)]
pub struct ObjectiveRow {
    /// Its name, for people.
    pub name: String,
    /// The target (`≥ 95.00%`).
    pub target: String,
    /// The measured figure.
    pub actual: String,
    /// Met, missed or none.
    pub verdict: Verdict,
}

/// A breached incident, for people.
#[derive(Clone, Debug)]
pub struct BreachView {
    /// Incident id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Priority.
    pub priority: String,
    /// `resolution +2h 10m`, one per missed target.
    pub missed: String,
    /// Root cause, or `-`.
    pub root_cause: String,
    /// Postmortem reference, or `-`.
    pub postmortem: String,
    /// Problem id, or `-`.
    pub problem: String,
}

/// A customer's rating and comment.
#[derive(Clone, Debug)]
pub struct FeedbackView {
    /// Incident id.
    pub id: String,
    /// `4/5`, or `-`.
    pub rating: String,
    /// The comment, or `-`.
    pub comment: String,
}

/// A titled table.
#[derive(Clone, Debug)]
pub struct TableView {
    /// Its caption.
    pub caption: String,
    /// Header cells.
    pub head: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
}

/// One service's section.
#[derive(Clone, Debug)]
pub struct ServiceView {
    /// The anchor of the section.
    pub anchor: String,
    /// `Payments API (payments-api)`.
    pub heading: String,
    /// Owner, policy and stage in one line.
    pub facts: Vec<Field>,
    /// The overall verdict text and kind.
    pub status: String,
    /// The overall verdict.
    pub verdict: Verdict,
    /// The SLA figures of the period.
    pub figures: Vec<Field>,
    /// The policy's objectives.
    pub objectives: Vec<ObjectiveRow>,
    /// The charts.
    pub charts: Vec<ChartView>,
    /// The error budget lines (None without an availability objective).
    pub error_budget: Option<Vec<Field>>,
    /// True when the error budget is spent.
    pub budget_spent: bool,
    /// Breached incidents.
    pub breaches: Vec<BreachView>,
    /// CSAT and its objective, in one line.
    pub csat: String,
    /// Ratings and comments.
    pub feedback: Vec<FeedbackView>,
    /// Change figures (None: no change in the period).
    pub changes: Option<Vec<Field>>,
    /// Problem tables (None: nothing to show).
    pub problems: Option<Vec<TableView>>,
    /// Lifecycle lines (None: no stage).
    pub lifecycle: Option<Vec<Field>>,
}

/// The whole page.
#[derive(Clone, Debug)]
pub struct Page {
    /// `Service review 2026-Q3`.
    pub title: String,
    /// The repo's name.
    pub repo: String,
    /// `2026-07-01 to 2026-10-01 (Europe/Berlin)`.
    pub period: String,
    /// The clock.
    pub now: String,
    /// Every service at a glance.
    pub summary: Vec<SummaryRow>,
    /// A section per service.
    pub services: Vec<ServiceView>,
    /// Records left out: `file (reason)`.
    pub skipped: Vec<String>,
    /// Show the changes section (the repo records changes at all).
    pub show_changes: bool,
    /// Show the problems section (the repo records problems at all).
    pub show_problems: bool,
}

/// `12.34%` or `-`.
pub fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.2}%"))
}

fn duration(value: Option<i64>) -> String {
    value.map_or_else(|| "-".to_string(), human_duration)
}

/// The name of a period as people write it: `2026-03`, `2026-Q1`, `2026-W09`,
/// `2026`, else its local dates.
pub fn period_label(period: Period, tz: Tz) -> String {
    let since = period.since.with_timezone(&tz).date_naive();
    let until = period.until.with_timezone(&tz).date_naive();
    let first_of_month = since.day() == 1;
    let months = |n: u32| since.checked_add_months(chrono::Months::new(n)) == Some(until);
    if first_of_month && since.month() == 1 && months(12) {
        return format!("{}", since.year());
    }
    if first_of_month && since.month0().is_multiple_of(3) && months(3) {
        return format!("{}-Q{}", since.year(), since.month0() / 3 + 1);
    }
    if first_of_month && months(1) {
        return since.format("%Y-%m").to_string();
    }
    if since.weekday() == chrono::Weekday::Mon && (until - since).num_days() == 7 {
        let week = since.iso_week();
        return format!("{}-W{:02}", week.year(), week.week());
    }
    let last = until.pred_opt().unwrap_or(until);
    format!("{} – {}", short_date(since), short_date(last))
}

/// `1 Jul 2026 – 30 Sep 2026 (Europe/Berlin)`: the local dates of a period,
/// its last day included.
pub fn period_dates(period: Period, tz: Tz) -> String {
    let since = period.since.with_timezone(&tz);
    let until = period.until.with_timezone(&tz);
    let midnight = |t: &chrono::DateTime<Tz>| t.time() == chrono::NaiveTime::MIN;
    if midnight(&since) && midnight(&until) {
        let last = until.date_naive().pred_opt().unwrap_or(until.date_naive());
        format!(
            "{} – {} ({tz})",
            since.format("%-d %b %Y"),
            last.format("%-d %b %Y")
        )
    } else {
        format!(
            "{} – {} ({tz})",
            since.format("%-d %b %Y %H:%M"),
            until.format("%-d %b %Y %H:%M")
        )
    }
}

fn short_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn objective_name(name: &str) -> &str {
    match name {
        "compliance" => "SLA compliance",
        "availability" => "Availability",
        "satisfaction" => "Customer satisfaction (CSAT)",
        "change_failure_rate" => "Change failure rate",
        other => other,
    }
}

fn judged(s: &ServiceReview, name: &str, value: Option<f64>) -> Judged {
    let objective = s.figures.objectives.iter().find(|o| o.name == name);
    let relation = if name == "change_failure_rate" {
        "≤"
    } else {
        "≥"
    };
    Judged {
        text: pct(value),
        target: objective.map_or_else(String::new, |o| {
            format!("{relation} {}", pct(Some(o.target)))
        }),
        verdict: Verdict::of(objective.and_then(|o| o.ok)),
    }
}

fn status(s: &ServiceReview) -> (String, Verdict) {
    let objectives = &s.figures.objectives;
    let missed = objectives.iter().filter(|o| o.ok == Some(false)).count();
    let measured = objectives.iter().filter(|o| o.ok.is_some()).count();
    if missed > 0 {
        (
            format!("{missed} of {} missed", objectives.len()),
            Verdict::Missed,
        )
    } else if measured > 0 {
        ("all met".to_string(), Verdict::Met)
    } else if objectives.is_empty() {
        ("no objectives".to_string(), Verdict::None)
    } else {
        ("nothing to measure".to_string(), Verdict::None)
    }
}

fn anchor(service: &str) -> String {
    let cleaned: String = service
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("svc-{cleaned}")
}

fn summary_row(s: &ServiceReview) -> SummaryRow {
    let (status, verdict) = status(s);
    let f = &s.figures;
    let change_failure = s
        .figures
        .objectives
        .iter()
        .find(|o| o.name == "change_failure_rate")
        .and_then(|o| o.actual)
        .or_else(|| s.changes.as_ref().and_then(|c| c.change_failure_rate_pct()));
    SummaryRow {
        anchor: anchor(s.service),
        service: s.service.to_string(),
        name: s.name.unwrap_or(s.service).to_string(),
        owner: s.owner.unwrap_or("-").to_string(),
        incidents: f.incidents.to_string(),
        breached: f.breached.to_string(),
        compliance: judged(s, "compliance", f.compliance_pct),
        availability: judged(s, "availability", f.availability_pct),
        csat: judged(s, "satisfaction", f.csat_pct),
        change_failure: judged(s, "change_failure_rate", change_failure),
        status,
        verdict,
    }
}

fn field(label: &str, value: impl Into<String>) -> Field {
    Field {
        label: label.to_string(),
        value: value.into(),
    }
}

fn charts(s: &ServiceReview, tz: Tz) -> Vec<ChartView> {
    let series: Vec<TrendPoint> = s.series();
    let labels: Vec<String> = series.iter().map(|p| period_label(p.period, tz)).collect();
    let id = anchor(s.service);
    // The figures tables run across, one column per period, so that they
    // stay short under their chart.
    let head: Vec<String> = std::iter::once("period".to_string())
        .chain(labels.iter().cloned())
        .collect();
    let trend_row = |name: &str, value: &dyn Fn(&TrendPoint) -> String| -> Vec<String> {
        std::iter::once(name.to_string())
            .chain(series.iter().map(value))
            .collect()
    };
    let target_text = |name: &str| {
        s.objective_target(name).map_or_else(
            || "no objective".to_string(),
            |t| format!("objective {}", pct(Some(t))),
        )
    };
    let mut out = Vec::new();
    for (name, title, colour, marker, pick) in [
        (
            "compliance",
            "SLA compliance by period",
            chart::BLUE,
            Marker::Circle,
            (|p: &TrendPoint| p.compliance_pct) as fn(&TrendPoint) -> Option<f64>,
        ),
        (
            "availability",
            "Availability by period",
            chart::GREEN,
            Marker::Square,
            |p: &TrendPoint| p.availability_pct,
        ),
    ] {
        let values: Vec<Option<f64>> = series.iter().map(pick).collect();
        let description = format!(
            "{title} for {}, {} (dashed line): {}.",
            s.service,
            target_text(name),
            labels
                .iter()
                .zip(&values)
                .map(|(l, v)| format!("{l} {}", pct(*v)))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let svg = chart::line_chart(&LineChart {
            id: format!("{id}-{name}"),
            title: title.to_string(),
            description,
            labels: labels.clone(),
            values,
            target: s.objective_target(name),
            percent: true,
            marker,
            colour,
        });
        let caption = match s.objective_target(name) {
            Some(t) => format!("{title} (objective ≥ {})", pct(Some(t))),
            None => format!("{title} (no objective)"),
        };
        out.push(ChartView {
            title: caption,
            svg,
            head: head.clone(),
            rows: vec![trend_row(objective_name(name), &|p| pct(pick(p)))],
        });
    }
    // Incidents of the period by priority.
    let title = format!("Incidents by priority, {}", period_label(s.period, tz));
    let priorities: Vec<String> = s.by_priority.iter().map(|(p, _)| p.to_string()).collect();
    let counts: Vec<Option<f64>> = s.by_priority.iter().map(|(_, n)| Some(*n as f64)).collect();
    let count_labels: Vec<String> = s.by_priority.iter().map(|(_, n)| n.to_string()).collect();
    let description = if priorities.is_empty() {
        format!("No incident of {} was opened in the period.", s.service)
    } else {
        format!(
            "Incidents of {} opened in the period by priority: {}.",
            s.service,
            priorities
                .iter()
                .zip(&count_labels)
                .map(|(p, n)| format!("{p} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    out.push(ChartView {
        svg: chart::bar_chart(&BarChart {
            id: format!("{id}-priority"),
            title: title.clone(),
            description,
            labels: if priorities.is_empty() {
                vec!["none".to_string()]
            } else {
                priorities.clone()
            },
            values: if counts.is_empty() {
                vec![Some(0.0)]
            } else {
                counts
            },
            value_labels: if count_labels.is_empty() {
                vec!["0".to_string()]
            } else {
                count_labels.clone()
            },
            unit: "incidents".to_string(),
            categorical: true,
        }),
        title,
        head: std::iter::once("priority".to_string())
            .chain(if priorities.is_empty() {
                vec!["none".to_string()]
            } else {
                priorities
            })
            .collect(),
        rows: vec![
            std::iter::once("incidents".to_string())
                .chain(if count_labels.is_empty() {
                    vec!["0".to_string()]
                } else {
                    count_labels
                })
                .collect(),
        ],
    });
    // MTTR by period, in hours.
    let mttr: Vec<Option<i64>> = series.iter().map(|p| p.mttr_seconds).collect();
    let title = "Mean time to resolve (MTTR) by period".to_string();
    let description = format!(
        "MTTR of {} by period: {}.",
        s.service,
        labels
            .iter()
            .zip(&mttr)
            .map(|(l, v)| format!("{l} {}", duration(*v)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push(ChartView {
        svg: chart::bar_chart(&BarChart {
            id: format!("{id}-mttr"),
            title: title.clone(),
            description,
            labels: labels.clone(),
            values: mttr.iter().map(|v| v.map(|s| s as f64 / 3600.0)).collect(),
            value_labels: mttr
                .iter()
                .map(|v| v.map_or_else(|| "–".to_string(), short_hours))
                .collect(),
            unit: "hours".to_string(),
            categorical: false,
        }),
        title,
        head,
        rows: vec![trend_row("MTTR", &|p| duration(p.mttr_seconds))],
    });
    out
}

/// `3.5h`, `45m`: a bar label short enough to sit above a bar.
fn short_hours(seconds: i64) -> String {
    if seconds < 3600 {
        format!("{}m", (seconds + 30) / 60)
    } else {
        format!("{:.1}h", seconds as f64 / 3600.0)
    }
}

fn service_view(s: &ServiceReview, tz: Tz) -> ServiceView {
    let f = &s.figures;
    let (status, verdict) = status(s);
    let heading = match s.name {
        Some(name) if name != s.service => format!("{name} ({})", s.service),
        _ => s.service.to_string(),
    };
    let mut facts = vec![
        field("owner", s.owner.unwrap_or("-")),
        field("policy", f.policy.as_deref().unwrap_or("-")),
    ];
    if let Some(l) = &s.lifecycle {
        facts.push(field("stage", l.stage.clone()));
    }
    let figures = vec![
        field("incidents", f.incidents.to_string()),
        field("met", f.met.to_string()),
        field("breached", f.breached.to_string()),
        field("pending", f.pending.to_string()),
        field("compliance", pct(f.compliance_pct)),
        field("response met", pct(f.response_met_pct)),
        field("resolution met", pct(f.resolution_met_pct)),
        field("MTTA", duration(f.mtta_seconds)),
        field("MTTR", duration(f.mttr_seconds)),
        field("availability", pct(f.availability_pct)),
        field("CSAT", pct(f.csat_pct)),
    ];
    let objectives = f
        .objectives
        .iter()
        .map(|o| {
            let relation = if o.name == "change_failure_rate" {
                "≤"
            } else {
                "≥"
            };
            ObjectiveRow {
                name: objective_name(o.name).to_string(),
                target: format!("{relation} {}", pct(Some(o.target))),
                actual: pct(o.actual),
                verdict: Verdict::of(o.ok),
            }
        })
        .collect();
    let error_budget = s.error_budget.map(|b| {
        vec![
            field("allowed downtime", human_duration(b.allowed_seconds)),
            field("outage", human_duration(b.used_seconds)),
            field("remaining", human_duration(b.remaining_seconds)),
            field("used", pct(b.used_pct())),
        ]
    });
    let budget_spent = s.error_budget.is_some_and(|b| b.remaining_seconds < 0);
    let breaches = s
        .breaches
        .iter()
        .map(|b| {
            let mut missed = Vec::new();
            if let Some(over) = b.response_over {
                missed.push(format!(
                    "response +{}",
                    counted_duration(over, b.business_hours)
                ));
            }
            if let Some(over) = b.resolution_over {
                missed.push(format!(
                    "resolution +{}",
                    counted_duration(over, b.business_hours)
                ));
            }
            BreachView {
                id: b.id.to_string(),
                title: b.title.unwrap_or("-").to_string(),
                priority: b.priority.to_string(),
                missed: missed.join(", "),
                root_cause: b.root_cause.unwrap_or("-").to_string(),
                postmortem: b.postmortem.unwrap_or("-").to_string(),
                problem: b.problem.unwrap_or("-").to_string(),
            }
        })
        .collect();
    let csat = judged(s, "satisfaction", f.csat_pct);
    let csat = if csat.target.is_empty() {
        format!("CSAT {}", csat.text)
    } else {
        format!("CSAT {} (objective {})", csat.text, csat.target)
    };
    let feedback = s
        .feedback
        .iter()
        .map(|fb| FeedbackView {
            id: fb.id.to_string(),
            rating: fb
                .satisfaction
                .map_or_else(|| "-".to_string(), |r| format!("{r}/5")),
            comment: fb.feedback.unwrap_or("-").to_string(),
        })
        .collect();
    let changes = s.changes.as_ref().map(|c| {
        vec![
            field("changes", c.changes.to_string()),
            field(
                "by type",
                format!(
                    "{} standard, {} normal, {} emergency",
                    c.standard, c.normal, c.emergency
                ),
            ),
            field(
                "outcomes",
                format!(
                    "{} successful, {} failed, {} rolled back",
                    c.successful, c.failed, c.rolled_back
                ),
            ),
            field("change failure rate", pct(c.change_failure_rate_pct())),
            field("lead time (median)", duration(c.lead_time_median_seconds)),
            field(
                "incidents caused",
                if c.incidents_caused.is_empty() {
                    "0".to_string()
                } else {
                    format!(
                        "{} ({})",
                        c.incidents_caused.len(),
                        c.incidents_caused.join(", ")
                    )
                },
            ),
        ]
    });
    let problems = s.problems.as_ref().map(|p| {
        let refs = |caption: &str, list: &[crate::report::review::ProblemRef]| TableView {
            caption: caption.to_string(),
            head: vec!["problem".into(), "title".into(), "state".into()],
            rows: list
                .iter()
                .map(|r| {
                    vec![
                        r.problem.to_string(),
                        r.title.unwrap_or("-").to_string(),
                        r.state.to_string(),
                    ]
                })
                .collect(),
        };
        let mut tables = vec![
            refs("Opened in the period", &p.opened),
            refs("Resolved in the period", &p.resolved),
            TableView {
                caption: "Still open".to_string(),
                head: [
                    "problem",
                    "title",
                    "state",
                    "age (days)",
                    "incidents",
                    "open actions",
                    "overdue actions",
                ]
                .map(String::from)
                .to_vec(),
                rows: p
                    .open
                    .iter()
                    .map(|r| {
                        vec![
                            r.problem.to_string(),
                            r.title.unwrap_or("-").to_string(),
                            r.state.to_string(),
                            r.age_days
                                .map_or_else(|| "-".to_string(), |d| d.to_string()),
                            r.incidents.to_string(),
                            r.actions_open.to_string(),
                            r.actions_overdue.to_string(),
                        ]
                    })
                    .collect(),
            },
            TableView {
                caption: "Overdue improvement actions".to_string(),
                head: ["problem", "action", "title", "owner", "due"]
                    .map(String::from)
                    .to_vec(),
                rows: p
                    .overdue_actions
                    .iter()
                    .map(|a| {
                        vec![
                            a.problem.to_string(),
                            a.action.to_string(),
                            a.title.unwrap_or("-").to_string(),
                            a.owner.unwrap_or("-").to_string(),
                            a.due.to_string(),
                        ]
                    })
                    .collect(),
            },
        ];
        tables.retain(|t| !t.rows.is_empty());
        tables
    });
    let lifecycle = s.lifecycle.as_ref().map(|l| {
        vec![
            field("stage", l.stage.clone()),
            field("since", l.since.clone().unwrap_or_else(|| "-".to_string())),
            field(
                "days in stage",
                l.days_in_stage
                    .map_or_else(|| "-".to_string(), |d| d.to_string()),
            ),
            field("stale", if l.stale { "yes" } else { "no" }),
        ]
    });
    ServiceView {
        anchor: anchor(s.service),
        heading,
        facts,
        status,
        verdict,
        figures,
        objectives,
        charts: charts(s, tz),
        error_budget,
        budget_spent,
        breaches,
        csat,
        feedback,
        changes,
        problems,
        lifecycle,
    }
}

/// The page of `review` for the repo named `repo`, times in `tz`.
pub fn page(review: &Review, repo: &str, tz: Tz) -> Page {
    let label = period_label(review.period, tz);
    Page {
        title: format!("Service review {label}"),
        repo: repo.to_string(),
        period: period_dates(review.period, tz),
        now: crate::render::timestamp(review.now, Tz::UTC),
        summary: review.services.iter().map(summary_row).collect(),
        services: review
            .services
            .iter()
            .map(|s| service_view(s, tz))
            .collect(),
        skipped: review
            .skipped
            .iter()
            .map(|s| format!("{} ({}, {})", s.file, s.id, s.reason))
            .collect(),
        show_changes: review.records_changes,
        show_problems: review.records_problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sla::period::start_of_day;

    fn period(a: (i32, u32, u32), b: (i32, u32, u32), tz: Tz) -> Period {
        let d = |(y, m, d)| start_of_day(NaiveDate::from_ymd_opt(y, m, d).unwrap(), tz);
        Period {
            since: d(a),
            until: d(b),
        }
    }

    #[test]
    fn periods_are_named_as_people_write_them() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        assert_eq!(
            period_label(period((2026, 3, 1), (2026, 4, 1), tz), tz),
            "2026-03"
        );
        assert_eq!(
            period_label(period((2026, 10, 1), (2027, 1, 1), tz), tz),
            "2026-Q4"
        );
        assert_eq!(
            period_label(period((2026, 1, 1), (2027, 1, 1), tz), tz),
            "2026"
        );
        assert_eq!(
            period_label(period((2026, 2, 23), (2026, 3, 2), tz), tz),
            "2026-W09"
        );
        assert_eq!(
            period_label(period((2026, 3, 5), (2026, 3, 20), tz), tz),
            "2026-03-05 – 2026-03-19"
        );
    }
}
