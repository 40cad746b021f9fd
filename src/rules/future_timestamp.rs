//! `future-timestamp` (warning): a timestamp later than `--now` (or the clock).

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::decode::Spanned;
use crate::model::incident::Timestamp;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let now = context.now;
    let mut flag = |file: &str, name: &str, at: &Spanned<Timestamp>| {
        if at.value > now {
            out.push(
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
                .with_help("check the date and the offset"),
            );
        }
    };
    for incident in &context.records.incidents {
        let record = &incident.record;
        let fixed = [
            ("opened_at", record.opened_at.as_ref()),
            ("acknowledged_at", record.acknowledged_at.as_ref()),
            ("resolved_at", record.resolved_at.as_ref()),
            ("closed_at", record.closed_at.as_ref()),
        ];
        for (name, at) in fixed {
            if let Some(at) = at {
                flag(&incident.file, name, at);
            }
        }
        for pause in &record.paused {
            flag(&incident.file, "from", &pause.from);
            if let Some(to) = &pause.to {
                flag(&incident.file, "to", to);
            }
        }
        for window in &record.outage {
            flag(&incident.file, "from", &window.from);
            flag(&incident.file, "to", &window.to);
        }
    }
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
