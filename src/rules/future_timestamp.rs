//! `future-timestamp` (warning): a timestamp later than `--now` (or the clock).

use chrono::{DateTime, Utc};

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Incident;
use crate::model::decode::Spanned;
use crate::model::incident::Timestamp;

/// The warning for `at` (the value of `name` in `file`) when it lies after `now`.
fn future(
    file: &str,
    name: &str,
    at: &Spanned<Timestamp>,
    now: DateTime<Utc>,
) -> Option<Diagnostic> {
    (at.value > now).then(|| {
        Diagnostic::warning(
            Rule::FutureTimestamp,
            file,
            at.pos,
            format!(
                "`{name}` {} is in the future (now is {})",
                at.value.to_rfc3339(),
                now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
        )
        .with_help("check the date and the offset")
    })
}

/// The `future-timestamp` warnings of one incident read from `file`: what
/// `svc incident` tells about a time it is asked to record.
pub fn incident_problems(incident: &Incident, file: &str, now: DateTime<Utc>) -> Vec<Diagnostic> {
    let fixed = [
        ("opened_at", incident.opened_at.as_ref()),
        ("acknowledged_at", incident.acknowledged_at.as_ref()),
        ("resolved_at", incident.resolved_at.as_ref()),
        ("closed_at", incident.closed_at.as_ref()),
    ];
    let fixed = fixed.into_iter().filter_map(|(name, at)| Some((name, at?)));
    let pauses = incident.paused.iter().flat_map(|pause| {
        std::iter::once(("from", &pause.from)).chain(pause.to.as_ref().map(|to| ("to", to)))
    });
    let outages = incident
        .outage
        .iter()
        .flat_map(|window| [("from", &window.from), ("to", &window.to)]);
    fixed
        .chain(pauses)
        .chain(outages)
        .filter_map(|(name, at)| future(file, name, at, now))
        .collect()
}

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let now = context.now;
    for incident in &context.records.incidents {
        out.extend(incident_problems(&incident.record, &incident.file, now));
    }
    let mut flag = |file: &str, name: &str, at: &Spanned<Timestamp>| {
        out.extend(future(file, name, at, now));
    };
    for service in &context.records.services {
        for entry in service.record.history() {
            if let Some(at) = &entry.at {
                flag(&service.file, "at", at);
            }
        }
    }
    for change in &context.records.changes {
        let record = &change.record;
        for entry in record.progress.iter().flat_map(|p| &p.history) {
            if let Some(at) = &entry.at {
                flag(&change.file, "at", at);
            }
        }
        for approval in &record.approvals {
            if let Some(at) = &approval.at {
                flag(&change.file, "at", at);
            }
        }
        if let Some(implemented) = &record.implemented {
            for (name, at) in [
                ("implemented.start", &implemented.start),
                ("implemented.end", &implemented.end),
            ] {
                if let Some(at) = at {
                    flag(&change.file, name, at);
                }
            }
        }
    }
    for problem in &context.records.problems {
        let record = &problem.record;
        for entry in record.progress.iter().flat_map(|p| &p.history) {
            if let Some(at) = &entry.at {
                flag(&problem.file, "at", at);
            }
        }
        for action in &record.actions {
            if let Some(at) = &action.done_at {
                flag(&problem.file, "done_at", at);
            }
        }
        if let Some(at) = record.verification.as_ref().and_then(|v| v.at.as_ref()) {
            flag(&problem.file, "verification.at", at);
        }
    }
}
