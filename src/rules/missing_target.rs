//! `missing-target`: an incident's priority has no target in its service's policy.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    for incident in &context.repo.incidents {
        let record = &incident.record;
        let Some(service) = context.services.get(record.service.as_str()) else {
            continue;
        };
        let Some(policy_id) = &service.record.policy else {
            continue;
        };
        let Some(policy) = context.policies.get(policy_id.as_str()) else {
            continue;
        };
        let targets = &policy.record.targets;
        if targets.contains_key(record.priority.as_str()) {
            continue;
        }
        let diagnostic = Diagnostic::error(
            Rule::MissingTarget,
            &incident.file,
            record.priority.pos,
            format!(
                "priority `{}` has no target in policy `{}` of service `{}`",
                record.priority.value, policy_id.value, record.service.value
            ),
        );
        let known: Vec<&str> = targets.keys().map(String::as_str).collect();
        out.push(
            match crate::diagnostic::did_you_mean(&record.priority, known.iter().copied()) {
                Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
                None => diagnostic.with_help(format!(
                    "use one of {} or add a `{}` target to {}",
                    known.join(", "),
                    record.priority.value,
                    policy.file
                )),
            },
        );
    }
}
