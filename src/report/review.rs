//! The service review (SPEC §9): per service, the `svc sla` figures of a period,
//! the trend of the periods before it, the error budget, the breaches with their
//! causes, the customers' feedback, the period's changes, the problems and the
//! lifecycle stage — one plain struct that the HTML, Markdown and JSON renderers
//! of `render::review` all draw from, so they cannot disagree.
//!
//! Nothing here is a second implementation of a figure: the SLA figures and the
//! trend come from one run of the SLA engine over every period
//! ([`sla::report::build_with_earlier`], each incident evaluated once), the
//! change figures from [`ChangeIndex`], the problems from [`ProblemIndex`] and
//! the stage from the lifecycle report. Pure: no I/O, no clock.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::changes::{ChangeFigures, ChangeIndex};
use super::problems::{ProblemIndex, ProblemRow};
use crate::lifecycle::report::{self as lifecycle, LifecycleRow};
use crate::model::{Problem, Records};
use crate::sla::evaluate::{State, TargetResult};
use crate::sla::period::Period;
use crate::sla::report::{self, Figures, GroupBy, IncidentRow, SlaReport};
use crate::sla::skip::{LeftOut, Skipped};

/// What to review.
#[derive(Clone, Debug)]
pub struct Options {
    /// The period under review.
    pub period: Period,
    /// The periods of the trend, oldest first (`Resolved::earlier`).
    pub earlier: Vec<Period>,
    /// The clock.
    pub now: DateTime<Utc>,
    /// Only this service.
    pub service: Option<String>,
}

/// The whole review.
#[derive(Clone, Debug)]
pub struct Review<'r> {
    /// The period under review.
    pub period: Period,
    /// The clock used.
    pub now: DateTime<Utc>,
    /// The `svc sla` report of the period, exactly as `svc sla` builds it:
    /// each service's `sla` object is rendered from its groups.
    pub sla: SlaReport<'r>,
    /// One section per service of `sla`, in id order.
    pub services: Vec<ServiceReview<'r>>,
    /// Records left out (SPEC §3.4) by the SLA figures, the change figures and
    /// the problems, in file order, each once.
    pub skipped: Vec<Skipped>,
    /// The repo records changes at all (else the pages leave the section out).
    pub records_changes: bool,
    /// The repo records problems at all.
    pub records_problems: bool,
}

/// One service's part of the review.
#[derive(Clone, Debug)]
pub struct ServiceReview<'r> {
    /// The service id.
    pub service: &'r str,
    /// Its display name.
    pub name: Option<&'r str>,
    /// Its owner.
    pub owner: Option<&'r str>,
    /// Index of its figures in `Review::sla.groups`.
    pub sla_index: usize,
    /// The period under review.
    pub period: Period,
    /// The figures of the period (a copy of `sla.groups[sla_index]`).
    pub figures: Figures,
    /// The earlier periods, oldest first.
    pub trend: Vec<TrendPoint>,
    /// The error budget, when the policy has an availability objective and
    /// part of the period has elapsed.
    pub error_budget: Option<ErrorBudget>,
    /// Incidents of the period opened per priority, in priority order.
    pub by_priority: Vec<(&'r str, usize)>,
    /// The breached incidents of the period, in id order.
    pub breaches: Vec<Breach<'r>>,
    /// Rated or commented incidents of the period, in id order.
    pub feedback: Vec<Feedback<'r>>,
    /// The change figures of the period (None when no change started in it).
    pub changes: Option<ChangeFigures<'r>>,
    /// The problems (None when there is nothing to show).
    pub problems: Option<ProblemsSection<'r>>,
    /// The lifecycle stage (None when the stage did not decode).
    pub lifecycle: Option<LifecycleRow>,
}

impl ServiceReview<'_> {
    /// The target of one of the policy's objectives, by name.
    pub fn objective_target(&self, name: &str) -> Option<f64> {
        self.figures
            .objectives
            .iter()
            .find(|o| o.name == name)
            .map(|o| o.target)
    }

    /// The trend followed by the period under review: what the charts show.
    pub fn series(&self) -> Vec<TrendPoint> {
        let mut points = self.trend.clone();
        points.push(TrendPoint::of(self.period, Some(&self.figures)));
        points
    }
}

/// One period of a trend.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrendPoint {
    /// The period.
    pub period: Period,
    /// Incidents opened in it.
    pub incidents: usize,
    /// met / (met + breached) × 100.
    pub compliance_pct: Option<f64>,
    /// Availability over its elapsed part.
    pub availability_pct: Option<f64>,
    /// Mean time to resolve.
    pub mttr_seconds: Option<i64>,
}

impl TrendPoint {
    /// The point of `figures` (a service not shown in that period had no
    /// incident and no figure).
    fn of(period: Period, figures: Option<&Figures>) -> TrendPoint {
        TrendPoint {
            period,
            incidents: figures.map_or(0, |f| f.incidents),
            compliance_pct: figures.and_then(|f| f.compliance_pct),
            availability_pct: figures.and_then(|f| f.availability_pct),
            mttr_seconds: figures.and_then(|f| f.mttr_seconds),
        }
    }
}

/// The downtime an availability objective allows over the elapsed period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorBudget {
    /// (1 − objective) × elapsed period, whole seconds.
    pub allowed_seconds: i64,
    /// Outage seconds in the elapsed period.
    pub used_seconds: i64,
    /// allowed − used (negative once the budget is spent).
    pub remaining_seconds: i64,
}

impl ErrorBudget {
    /// The budget of `objective_pct` over `elapsed_seconds`, `used_seconds` of
    /// it spent. The allowance is rounded to whole seconds, halves away from
    /// zero, after rounding the product to a millisecond so that binary
    /// fractions (99.9 % is not exact) do not move it.
    pub fn new(objective_pct: f64, elapsed_seconds: usize, used_seconds: usize) -> ErrorBudget {
        let elapsed = elapsed_seconds as f64;
        let allowed = ((100.0 - objective_pct) * elapsed / 100.0 * 1000.0).round() / 1000.0;
        let allowed = allowed.round().max(0.0) as i64;
        let used = i64::try_from(used_seconds).unwrap_or(i64::MAX);
        ErrorBudget {
            allowed_seconds: allowed,
            used_seconds: used,
            remaining_seconds: allowed.saturating_sub(used),
        }
    }

    /// The share of the allowance spent, in percent (None for a zero allowance).
    pub fn used_pct(&self) -> Option<f64> {
        (self.allowed_seconds > 0)
            .then(|| self.used_seconds as f64 * 100.0 / self.allowed_seconds as f64)
    }
}

/// A breached incident.
#[derive(Clone, Debug, PartialEq)]
pub struct Breach<'r> {
    /// Incident id.
    pub id: &'r str,
    /// Its title.
    pub title: Option<&'r str>,
    /// Its effective priority.
    pub priority: &'r str,
    /// Counted seconds beyond the response target (None when it was not missed).
    pub response_over: Option<i64>,
    /// Counted seconds beyond the resolution target (None when not missed).
    pub resolution_over: Option<i64>,
    /// Its root cause.
    pub root_cause: Option<&'r str>,
    /// Its postmortem link.
    pub postmortem: Option<&'r str>,
    /// Its problem: the one it names, else the first problem that lists it.
    pub problem: Option<&'r str>,
    /// True when the policy counts on a business calendar (times in hours).
    pub business_hours: bool,
}

impl Breach<'_> {
    /// The targets missed: `response`, `resolution` or both, in that order.
    pub fn missed(&self) -> Vec<&'static str> {
        let mut missed = Vec::new();
        if self.response_over.is_some() {
            missed.push("response");
        }
        if self.resolution_over.is_some() {
            missed.push("resolution");
        }
        missed
    }
}

/// A customer's rating and comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feedback<'r> {
    /// Incident id.
    pub id: &'r str,
    /// 1..5, when rated.
    pub satisfaction: Option<u8>,
    /// The comment, when given.
    pub feedback: Option<&'r str>,
}

/// A problem named in the review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemRef<'r> {
    /// The problem id.
    pub problem: &'r str,
    /// Its title.
    pub title: Option<&'r str>,
    /// Its state now.
    pub state: &'r str,
}

/// An improvement action past its due date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverdueAction<'r> {
    /// The problem it belongs to.
    pub problem: &'r str,
    /// The action id (`A1`).
    pub action: &'r str,
    /// Its title.
    pub title: Option<&'r str>,
    /// Its owner.
    pub owner: Option<&'r str>,
    /// Its due date.
    pub due: NaiveDate,
}

/// The problems of a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemsSection<'r> {
    /// Problems whose first history entry lies in the period.
    pub opened: Vec<ProblemRef<'r>>,
    /// Problems that entered `resolved` (or `closed`, when they skipped it)
    /// in the period.
    pub resolved: Vec<ProblemRef<'r>>,
    /// The problems open now, most in need of attention first.
    pub open: Vec<ProblemRow<'r>>,
    /// Actions of open problems past their due date now.
    pub overdue_actions: Vec<OverdueAction<'r>>,
}

impl ProblemsSection<'_> {
    fn is_empty(&self) -> bool {
        self.opened.is_empty()
            && self.resolved.is_empty()
            && self.open.is_empty()
            && self.overdue_actions.is_empty()
    }
}

impl ServiceReview<'_> {
    /// True when one of the service's objectives was measured and missed.
    pub fn misses_objective(&self) -> bool {
        self.figures.misses_objective()
    }
}

/// Builds the review of `records`, leaving out what `left_out` says.
pub fn build<'r>(records: &'r Records, left_out: &LeftOut, options: &Options) -> Review<'r> {
    let sla_options = report::Options {
        period: options.period,
        now: options.now,
        group_by: GroupBy::Service,
        service: options.service.clone(),
    };
    let (sla, earlier) =
        report::build_with_earlier(records, left_out, &sla_options, &options.earlier);
    let changes = ChangeIndex::new(records, left_out);
    let problems = ProblemIndex::new(records, left_out);
    let lifecycle = lifecycle::build(records, options.now);
    let tz = records.config.timezone;
    let service_records: BTreeMap<&str, &crate::model::Service> = records
        .services
        .iter()
        .map(|s| (s.record.id.as_str(), &s.record))
        .collect();
    let mut rows_of: BTreeMap<&str, Vec<&IncidentRow>> = BTreeMap::new();
    for row in &sla.incidents {
        rows_of.entry(row.service).or_default().push(row);
    }
    let elapsed_seconds = options.period.elapsed(options.now).map(|p| p.seconds());
    let services = sla
        .groups
        .iter()
        .enumerate()
        .filter_map(|(index, figures)| {
            let (&id, record) = service_records.get_key_value(figures.key.as_str())?;
            let rows = rows_of.get(id).map_or(&[][..], Vec::as_slice);
            let trend = earlier
                .iter()
                .map(|report| {
                    // Groups are in key order (`SlaReport::groups`).
                    let figures = report
                        .groups
                        .binary_search_by(|g| g.key.as_str().cmp(id))
                        .ok()
                        .and_then(|i| report.groups.get(i));
                    TrendPoint::of(report.period, figures)
                })
                .collect();
            let availability_target = figures
                .objectives
                .iter()
                .find(|o| o.name == "availability")
                .map(|o| o.target);
            let error_budget = match (availability_target, elapsed_seconds, figures.outage_seconds)
            {
                (Some(target), Some(elapsed), Some(used)) => {
                    Some(ErrorBudget::new(target, elapsed, used))
                }
                _ => None,
            };
            let mut by_priority: BTreeMap<&str, usize> = BTreeMap::new();
            for row in rows {
                *by_priority.entry(row.priority).or_default() += 1;
            }
            let breaches = rows
                .iter()
                .filter(|row| row.evaluation.state == State::Breached)
                .map(|row| breach(row, &problems))
                .collect();
            let feedback = rows
                .iter()
                .filter(|row| {
                    row.incident.satisfaction.is_some() || row.incident.feedback.is_some()
                })
                .map(|row| Feedback {
                    id: row.id,
                    satisfaction: row.incident.satisfaction.as_ref().map(|s| s.value),
                    feedback: row.incident.feedback.as_ref().map(|f| f.as_str()),
                })
                .collect();
            let change_figures =
                Some(changes.figures(id, options.period)).filter(|f| f.changes > 0);
            let problems_section = problems_section(&problems, id, options, tz);
            Some(ServiceReview {
                service: id,
                name: record.name.as_deref(),
                owner: record.owner.as_ref().map(|o| o.as_str()),
                sla_index: index,
                period: options.period,
                figures: figures.clone(),
                trend,
                error_budget,
                by_priority: by_priority.into_iter().collect(),
                breaches,
                feedback,
                changes: change_figures,
                problems: Some(problems_section).filter(|p| !p.is_empty()),
                lifecycle: lifecycle.services.iter().find(|r| r.service == id).cloned(),
            })
        })
        .collect();
    let service = options.service.as_deref();
    let mut skipped = sla.skipped.clone();
    skipped.extend(changes.skipped(options.period, options.now, service));
    skipped.extend(problems.skipped(service));
    skipped.sort_by(|a, b| a.file.cmp(&b.file).then_with(|| a.id.cmp(&b.id)));
    skipped.dedup();
    Review {
        period: options.period,
        now: options.now,
        sla,
        services,
        skipped,
        records_changes: !records.changes.is_empty(),
        records_problems: !records.problems.is_empty(),
    }
}

/// Counted seconds beyond a missed target.
fn over(target: &TargetResult) -> Option<i64> {
    (target.state == State::Breached).then(|| target.counted_seconds - target.target_seconds)
}

fn breach<'r>(row: &IncidentRow<'r>, problems: &ProblemIndex<'r>) -> Breach<'r> {
    let incident = row.incident;
    let problem = incident
        .problem
        .as_ref()
        .map(|p| p.as_str())
        .or_else(|| problems.links().problems_of(row.id).first().copied());
    Breach {
        id: row.id,
        title: incident.title.as_ref().map(|t| t.as_str()),
        priority: row.priority,
        response_over: over(&row.evaluation.response),
        resolution_over: over(&row.evaluation.resolution),
        root_cause: incident.root_cause.as_ref().map(|r| r.as_str()),
        postmortem: incident.postmortem.as_ref().map(|p| p.as_str()),
        problem,
        business_hours: row.business_hours,
    }
}

fn problem_ref(problem: &Problem) -> Option<ProblemRef<'_>> {
    Some(ProblemRef {
        problem: problem.id.as_str(),
        title: problem.title.as_ref().map(|t| t.as_str()),
        state: problem.state()?,
    })
}

/// When `problem` was resolved: its first history entry in `resolved`, else
/// in `closed` (a history may skip states).
fn resolved_at(problem: &Problem) -> Option<DateTime<Utc>> {
    let history = &problem.progress.as_ref()?.history;
    let entered = |state: &str| {
        history
            .iter()
            .find(|e| e.state.value == state)
            .and_then(|e| e.at.as_ref())
            .map(|at| at.value.to_utc())
    };
    entered("resolved").or_else(|| entered("closed"))
}

fn problems_section<'r>(
    index: &ProblemIndex<'r>,
    service: &'r str,
    options: &Options,
    tz: chrono_tz::Tz,
) -> ProblemsSection<'r> {
    let period = options.period;
    let mut opened = Vec::new();
    let mut resolved = Vec::new();
    let mut overdue_actions = Vec::new();
    let mut problems: Vec<&Problem> = index.problems(Some(service)).collect();
    problems.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    for problem in problems {
        let created = problem.progress.as_ref().and_then(|p| p.created());
        if created.is_some_and(|at| period.contains(at.to_utc())) {
            opened.extend(problem_ref(problem));
        }
        if resolved_at(problem).is_some_and(|at| period.contains(at)) {
            resolved.extend(problem_ref(problem));
        }
        if problem.is_open() {
            for action in problem.open_actions() {
                if let (true, Some(due)) = (action.is_overdue(options.now, tz), &action.due) {
                    overdue_actions.push(OverdueAction {
                        problem: problem.id.as_str(),
                        action: action.id.as_str(),
                        title: action.title.as_deref(),
                        owner: action.owner.as_deref(),
                        due: due.value,
                    });
                }
            }
        }
    }
    ProblemsSection {
        opened,
        resolved,
        open: index.open_rows(options.now, Some(service)),
        overdue_actions,
    }
}
