//! Building the cards of `svc show` for an incident, a change and a problem from
//! the loaded records: plain data for the pure renderers in `render::show`.

use chrono::{DateTime, FixedOffset, Utc};

use crate::model::decode::Spanned;
use crate::model::progress::Progress;
use crate::model::{Change, Incident, Located, Problem, Records};
use crate::render::show::{
    ActionView, ApprovalView, ChangeCard, EscalationView, HistoryView, IncidentCard,
    LinkedIncident, ProblemCard, SlaView, TargetView, WindowView,
};
use crate::sla::evaluate::TargetResult;
use crate::sla::report::incident_view;
use crate::sla::skip::LeftOut;

/// A timestamp as written in the record.
fn written(at: &Spanned<DateTime<FixedOffset>>) -> String {
    at.value
        .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

fn text(value: &Option<Spanned<String>>) -> Option<String> {
    value.as_ref().map(|v| v.value.clone())
}

fn history(progress: Option<&Progress>) -> Vec<HistoryView> {
    progress
        .map(|p| {
            p.history
                .iter()
                .map(|h| HistoryView {
                    state: h.state.value.clone(),
                    at: h.at_text.clone().or_else(|| h.at.as_ref().map(written)),
                    by: h.by.clone(),
                    note: h.note.clone(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn target(t: &TargetResult) -> TargetView {
    TargetView {
        counted_seconds: t.counted_seconds,
        target_seconds: t.target_seconds,
        left_seconds: t.seconds_left(),
        state: t.state.as_str(),
    }
}

/// The problems linked to `incident` either way, sorted.
fn problems_of<'r>(records: &'r Records, incident: &'r Incident) -> Vec<&'r str> {
    let id = incident.id.as_str();
    let mut ids: Vec<&str> = incident
        .problem
        .iter()
        .map(|p| p.as_str())
        .chain(
            records
                .problems
                .iter()
                .filter(|p| p.record.incidents.iter().any(|i| i.as_str() == id))
                .map(|p| p.record.id.as_str()),
        )
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The card of one incident.
pub fn incident(
    records: &Records,
    left_out: &LeftOut,
    located: &Located<Incident>,
    now: DateTime<Utc>,
) -> IncidentCard {
    let incident = &located.record;
    let view = incident_view(records, left_out, &located.file, incident, now);
    let sla_note = match &view {
        Some(_) => None,
        None if left_out.contains(&located.file) => {
            Some("not evaluated: the incident has errors (run `svc check`)".to_string())
        }
        None => Some(
            "not evaluated: its service has no SLA policy, or a record it rests on has errors"
                .to_string(),
        ),
    };
    let sla = view.map(|(policy, evaluation, escalation)| SlaView {
        policy: policy.to_string(),
        response: target(&evaluation.response),
        resolution: target(&evaluation.resolution),
        state: evaluation.state.as_str(),
        escalation: escalation.map(|(after_pct, notify)| EscalationView { after_pct, notify }),
    });
    IncidentCard {
        incident: incident.id.value.clone(),
        title: text(&incident.title),
        service: text(&incident.service),
        priority: text(&incident.priority),
        priority_from_matrix: incident.priority_source
            == crate::model::incident::PrioritySource::Matrix,
        status: incident.derived_status(),
        opened_at: incident.opened_at.as_ref().map(written),
        acknowledged_at: incident.acknowledged_at.as_ref().map(written),
        resolved_at: incident.resolved_at.as_ref().map(written),
        closed_at: incident.closed_at.as_ref().map(written),
        sla,
        paused: incident
            .paused
            .iter()
            .map(|p| WindowView {
                from: written(&p.from),
                to: p.to.as_ref().map(written),
                reason: p.reason.clone(),
            })
            .collect(),
        outage: incident
            .outage
            .iter()
            .map(|w| WindowView {
                from: written(&w.from),
                to: Some(written(&w.to)),
                reason: None,
            })
            .collect(),
        category: text(&incident.category),
        root_cause: text(&incident.root_cause),
        postmortem: text(&incident.postmortem),
        problems: problems_of(records, incident)
            .into_iter()
            .map(String::from)
            .collect(),
        caused_by_change: text(&incident.caused_by_change),
        satisfaction: incident.satisfaction.as_ref().map(|s| s.value),
        feedback: text(&incident.feedback),
        external: incident.external.clone(),
        sla_note,
    }
}

/// The card of one change.
pub fn change(records: &Records, located: &Located<Change>) -> ChangeCard {
    let change = &located.record;
    let id = change.id.as_str();
    let mut incidents_caused: Vec<String> = records
        .incidents
        .iter()
        .filter(|i| {
            i.record
                .caused_by_change
                .as_ref()
                .is_some_and(|c| c.as_str() == id)
        })
        .map(|i| i.record.id.value.clone())
        .collect();
    incidents_caused.sort();
    let mut fixes_problems: Vec<String> = records
        .problems
        .iter()
        .filter(|p| {
            p.record
                .fix_change
                .as_ref()
                .is_some_and(|c| c.as_str() == id)
        })
        .map(|p| p.record.id.value.clone())
        .collect();
    fixes_problems.sort();
    let span = |start: &Option<Spanned<DateTime<FixedOffset>>>,
                end: &Option<Spanned<DateTime<FixedOffset>>>| {
        start.as_ref().map(|s| WindowView {
            from: written(s),
            to: end.as_ref().map(written),
            reason: None,
        })
    };
    ChangeCard {
        change: change.id.value.clone(),
        title: text(&change.title),
        service: text(&change.service),
        change_type: change.change_type.value.clone(),
        risk: change.risk.value.clone(),
        state: change.state().map(String::from),
        window: change.window.as_ref().and_then(|w| span(&w.start, &w.end)),
        rollback_plan: text(&change.rollback_plan),
        verification_plan: text(&change.verification_plan),
        approvals: change
            .approvals
            .iter()
            .map(|a| ApprovalView {
                by: text(&a.by),
                at: a.at.as_ref().map(written),
                note: a.note.clone(),
            })
            .collect(),
        implemented: change
            .implemented
            .as_ref()
            .and_then(|i| span(&i.start, &i.end)),
        outcome: text(&change.outcome),
        history: history(change.progress.as_ref()),
        incidents_caused,
        fixes_problems,
    }
}

/// The card of one problem, with its incidents' SLA states.
pub fn problem(
    records: &Records,
    left_out: &LeftOut,
    located: &Located<Problem>,
    now: DateTime<Utc>,
) -> ProblemCard {
    let problem = &located.record;
    let id = problem.id.as_str();
    let tz = records.config.timezone;
    let mut linked: Vec<&str> = problem
        .incidents
        .iter()
        .map(|i| i.as_str())
        .chain(
            records
                .incidents
                .iter()
                .filter(|i| i.record.problem.as_ref().is_some_and(|p| p.as_str() == id))
                .map(|i| i.record.id.as_str()),
        )
        .collect();
    linked.sort_unstable();
    linked.dedup();
    let incidents = linked
        .into_iter()
        .map(|incident_id| {
            let found = records
                .incidents
                .iter()
                .find(|i| i.record.id.as_str() == incident_id);
            LinkedIncident {
                id: incident_id.to_string(),
                title: found.and_then(|i| text(&i.record.title)),
                status: found.map_or("unknown", |i| i.record.derived_status()),
                sla: found.and_then(|i| {
                    incident_view(records, left_out, &i.file, &i.record, now)
                        .map(|(_, evaluation, _)| evaluation.state.as_str())
                }),
            }
        })
        .collect();
    ProblemCard {
        problem: problem.id.value.clone(),
        title: text(&problem.title),
        service: text(&problem.service),
        state: problem.state().map(String::from),
        root_cause: text(&problem.root_cause),
        workaround: text(&problem.workaround),
        fix_change: text(&problem.fix_change),
        incidents,
        actions: problem
            .actions
            .iter()
            .map(|a| ActionView {
                id: a.id.value.clone(),
                title: a.title.clone(),
                owner: a.owner.clone(),
                due: a.due.as_ref().map(|d| d.value.to_string()),
                done_at: a.done_at.as_ref().map(written),
                overdue: a.is_overdue(now, tz),
            })
            .collect(),
        verification: problem.verification.as_ref().map(|v| ApprovalView {
            by: v.by.clone(),
            at: v.at.as_ref().map(written),
            note: v.note.clone(),
        }),
        history: history(problem.progress.as_ref()),
    }
}
