//! `postmortem` (warning): a resolved incident of a priority named in svc.toml's
//! `[incidents] postmortem` has neither `root_cause` nor `postmortem` once
//! `within_days` spans of 24 h have passed since its `resolved_at`.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let Some(policy) = &context.records.config.postmortem else {
        return;
    };
    let within = chrono::Duration::days(i64::from(policy.within_days));
    for incident in &context.records.incidents {
        let record = &incident.record;
        let (Some(priority), Some(resolved)) = (&record.priority, &record.resolved_at) else {
            continue;
        };
        if !policy.priorities.contains(&priority.value)
            || record.root_cause.is_some()
            || record.postmortem.is_some()
            || record.invalid.any(&["root_cause", "postmortem"])
        {
            continue;
        }
        let due = resolved.value.to_utc() + within;
        if context.now <= due {
            continue;
        }
        out.push(
            Diagnostic::warning(
                Rule::Postmortem,
                &incident.file,
                resolved.pos,
                format!(
                    "{} incident resolved {} has neither `root_cause` nor `postmortem` after {} days",
                    priority.value,
                    resolved.value.to_rfc3339(),
                    policy.within_days
                ),
            )
            .with_help("add `root_cause: ...` or `postmortem: <link to the write-up>` to the incident"),
        );
    }
}
