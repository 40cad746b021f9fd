//! The rows of `svc export incidents`: one per incident opened in the period,
//! with its record fields and its SLA evaluation (docs/warehouse.md).
//!
//! The rows are exactly the incidents `svc sla` counts for the same period: the
//! selection and the evaluation are the SLA engine's own
//! ([`crate::sla::report::select`]), so a `GROUP BY service` over the export
//! gives the `met` and `breached` of `svc sla`, and the records `svc sla` leaves
//! out are left out here, with the same `skipped` list. Nothing here counts SLA
//! time; the only arithmetic is wall-clock lengths (pauses, outages, time to
//! acknowledge and resolve), which a warehouse needs and cannot derive from
//! the rounded timestamps alone.

use chrono::{DateTime, FixedOffset, Utc};

use crate::model::incident::PrioritySource;
use crate::model::{Incident, Records};
use crate::sla::evaluate::Evaluation;
use crate::sla::period::Period;
use crate::sla::report::{self, GroupBy, Options};
use crate::sla::skip::{LeftOut, Skipped};
use crate::sla::{NANOS_PER_SECOND, merge_spans, nanos_to_seconds};

/// The columns of the export, in their stable order (docs/warehouse.md). JSON
/// Lines writes every key of every row in this order; CSV has this header.
pub const COLUMNS: [&str; 38] = [
    "id",
    "service",
    "owner",
    "title",
    "priority",
    "priority_source",
    "impact",
    "urgency",
    "category",
    "status",
    "opened_at",
    "acknowledged_at",
    "effective_acknowledged_at",
    "resolved_at",
    "closed_at",
    "pauses",
    "paused_seconds",
    "outages",
    "outage_seconds",
    "satisfaction",
    "feedback",
    "problem",
    "caused_by_change",
    "root_cause",
    "postmortem",
    "policy",
    "business_hours",
    "response_target_seconds",
    "response_counted_seconds",
    "response_state",
    "resolution_target_seconds",
    "resolution_counted_seconds",
    "resolution_state",
    "state",
    "time_to_acknowledge_seconds",
    "time_to_resolve_seconds",
    "evaluated_at",
    "external",
];

/// The whole export: the rows and what was left out.
#[derive(Clone, Debug)]
pub struct IncidentExport<'r> {
    /// The period the incidents were opened in.
    pub period: Period,
    /// The clock the evaluation used (`--now`).
    pub now: DateTime<Utc>,
    /// One row per incident, in id order.
    pub rows: Vec<IncidentExportRow<'r>>,
    /// Records left out (SPEC §3.4), in file order, as `svc sla` lists them.
    pub skipped: Vec<Skipped>,
}

/// One incident: its record and, when its service has a policy, its evaluation.
#[derive(Clone, Debug)]
pub struct IncidentExportRow<'r> {
    /// The incident record (id, title, timestamps, links).
    pub incident: &'r Incident,
    /// Service id.
    pub service: &'r str,
    /// The service's owner.
    pub owner: Option<&'r str>,
    /// The effective priority (SPEC §1).
    pub priority: &'r str,
    /// The SLA policy and its evaluation; `None` when the service has no
    /// policy (the incident still counts in MTTA, MTTR and CSAT).
    pub sla: Option<RowSla<'r>>,
    /// Wall-clock seconds in pauses (a running pause until now).
    pub paused_seconds: i64,
    /// Wall-clock seconds in the union of the incident's outage windows.
    pub outage_seconds: i64,
    /// Wall-clock seconds from opening to the effective acknowledgement.
    pub time_to_acknowledge_seconds: Option<i64>,
    /// Wall-clock seconds from opening to resolution.
    pub time_to_resolve_seconds: Option<i64>,
}

/// The SLA side of a row.
#[derive(Clone, Debug)]
pub struct RowSla<'r> {
    /// Policy id.
    pub policy: &'r str,
    /// True when the policy counts on a business calendar (working hours).
    pub business_hours: bool,
    /// Targets, counted seconds and states, from the SLA engine.
    pub evaluation: Evaluation,
}

impl IncidentExportRow<'_> {
    /// `written` or `matrix` (SPEC §1).
    pub fn priority_source(&self) -> &'static str {
        match self.incident.priority_source {
            PrioritySource::Written => "written",
            PrioritySource::Matrix => "matrix",
        }
    }
}

/// The export of the incidents opened in `period`, evaluated at `now`, leaving
/// out what `left_out` says.
pub fn build<'r>(
    records: &'r Records,
    left_out: &LeftOut,
    period: Period,
    now: DateTime<Utc>,
) -> IncidentExport<'r> {
    let options = Options {
        period,
        now,
        group_by: GroupBy::Service,
        service: None,
    };
    let selection = report::select(records, left_out, &options);
    let evaluated = selection.incidents.into_iter().map(|row| {
        let sla = RowSla {
            policy: row.policy,
            business_hours: row.business_hours,
            evaluation: row.evaluation,
        };
        (
            row.incident,
            row.service,
            row.owner,
            row.priority,
            Some(sla),
        )
    });
    let unevaluated = selection
        .unevaluated
        .into_iter()
        .map(|row| (row.incident, row.service, row.owner, row.priority, None));
    let mut rows: Vec<IncidentExportRow<'r>> = evaluated
        .chain(unevaluated)
        .map(|(incident, service, owner, priority, sla)| {
            row(incident, service, owner, priority, sla, now)
        })
        .collect();
    rows.sort_by(|a, b| a.incident.id.as_str().cmp(b.incident.id.as_str()));
    IncidentExport {
        period,
        now,
        rows,
        skipped: selection.skipped,
    }
}

fn row<'r>(
    incident: &'r Incident,
    service: &'r str,
    owner: Option<&'r str>,
    priority: &'r str,
    sla: Option<RowSla<'r>>,
    now: DateTime<Utc>,
) -> IncidentExportRow<'r> {
    let opened = incident.opened();
    let since_opened = |end: Option<DateTime<FixedOffset>>| {
        Some(nanos_to_seconds(wall_nanos(
            opened?.to_utc(),
            end?.to_utc(),
        )))
    };
    let paused: i128 = incident
        .paused
        .iter()
        .map(|p| {
            let to = p.to.as_ref().map_or(now, |to| to.value.to_utc());
            wall_nanos(p.from.value.to_utc(), to).max(0)
        })
        .sum();
    let outage: i128 = merge_spans(
        incident
            .outage
            .iter()
            .map(|w| (w.from.value.to_utc(), w.to.value.to_utc())),
        DateTime::<Utc>::MIN_UTC,
        DateTime::<Utc>::MAX_UTC,
    )
    .into_iter()
    .map(|(from, to)| wall_nanos(from, to))
    .sum();
    IncidentExportRow {
        incident,
        service,
        owner,
        priority,
        sla,
        paused_seconds: nanos_to_seconds(paused),
        outage_seconds: nanos_to_seconds(outage),
        time_to_acknowledge_seconds: since_opened(incident.effective_acknowledgement()),
        time_to_resolve_seconds: since_opened(incident.resolved_at.as_ref().map(|t| t.value)),
    }
}

/// Exact wall-clock nanoseconds from `from` to `to` (negative when `to` is earlier).
fn wall_nanos(from: DateTime<Utc>, to: DateTime<Utc>) -> i128 {
    let elapsed = to - from;
    elapsed.num_nanoseconds().map_or_else(
        || i128::from(elapsed.num_seconds()) * NANOS_PER_SECOND,
        i128::from,
    )
}
