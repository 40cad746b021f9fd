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
    for incident in &context.repo.incidents {
        let record = &incident.record;
        let fixed = [
            ("opened_at", Some(&record.opened_at)),
            ("acknowledged_at", record.acknowledged_at.as_ref()),
            ("resolved_at", record.resolved_at.as_ref()),
            ("closed_at", record.closed_at.as_ref()),
        ];
        for (name, at) in fixed {
            if let Some(at) = at {
                flag(&incident.file, name, at);
            }
        }
        for window in record.paused.iter().chain(&record.outage) {
            flag(&incident.file, "from", &window.from);
            flag(&incident.file, "to", &window.to);
        }
    }
    for service in &context.repo.services {
        for entry in &service.record.history {
            if let Some(at) = &entry.at {
                flag(&service.file, "at", at);
            }
        }
    }
}
