//! `missing-target`: an incident's priority has no target in its service's policy.

use std::collections::HashMap;

use super::Context;
use crate::diagnostic::{Diagnostic, Suggester};

/// Priorities a help line lists before it says "and N more".
const LISTED: usize = 10;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    // One suggester per policy, built on first use: a did-you-mean over the
    // policy's priorities per incident was quadratic (issue 11, finding 12).
    let mut suggesters: HashMap<&str, Suggester> = HashMap::new();
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
            "missing-target",
            &incident.file,
            record.priority.pos,
            format!(
                "priority `{}` has no target in policy `{}` of service `{}`",
                record.priority.value, policy_id.value, record.service.value
            ),
        );
        let suggester = suggesters
            .entry(policy.file.as_str())
            .or_insert_with(|| Suggester::new(targets.keys().map(String::as_str)));
        let mut listed: Vec<&str> = targets.keys().take(LISTED).map(String::as_str).collect();
        if targets.len() > LISTED {
            listed.push("…");
        }
        out.push(match suggester.suggest(&record.priority) {
            Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
            None => diagnostic.with_help(format!(
                "use one of {} or add a `{}` target to {}",
                listed.join(", "),
                record.priority.value,
                policy.file
            )),
        });
    }
}
