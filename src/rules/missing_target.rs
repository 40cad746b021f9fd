//! `missing-target`: an incident's effective priority has no target in its
//! service's policy. A priority whose targets are written but broken, or a policy
//! whose `targets` did not decode, has its own diagnostic at the policy; its
//! incidents are not reported again (SPEC §2: one broken value, one diagnostic).
//! A priority looked up in the matrix is reported at `impact`.

use std::collections::HashMap;

use super::Context;
use crate::diagnostic::{Diagnostic, Rule, Suggester};
use crate::model::incident::PrioritySource;

/// Priorities a help line lists before it says "and N more".
const LISTED: usize = 10;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    // One suggester per policy, built on first use: a did-you-mean over the
    // policy's priorities per incident was quadratic (issue 11, finding 12).
    let mut suggesters: HashMap<&str, Suggester> = HashMap::new();
    for incident in &context.records.incidents {
        let record = &incident.record;
        let (Some(service_id), Some(priority)) = (&record.service, &record.priority) else {
            continue;
        };
        let Some(service) = context.services.get(service_id.as_str()) else {
            continue;
        };
        let Some(policy_id) = &service.record.policy else {
            continue;
        };
        let Some(policy) = context.policies.get(policy_id.as_str()) else {
            continue;
        };
        let targets = &policy.record.targets;
        if targets.contains_key(priority.as_str()) || policy.record.invalid.has("targets") {
            continue;
        }
        let from = match record.priority_source {
            PrioritySource::Written => String::new(),
            PrioritySource::Matrix => {
                " (from the priority matrix for its impact and urgency)".into()
            }
        };
        let diagnostic = Diagnostic::error(
            Rule::MissingTarget,
            &incident.file,
            priority.pos,
            format!(
                "priority `{}`{from} has no target in policy `{}` of service `{}`",
                priority.value, policy_id.value, service_id.value
            ),
        );
        let suggester = suggesters
            .entry(policy.file.as_str())
            .or_insert_with(|| Suggester::new(targets.keys().map(String::as_str)));
        let mut listed: Vec<&str> = targets.keys().take(LISTED).map(String::as_str).collect();
        if targets.len() > LISTED {
            listed.push("…");
        }
        out.push(match suggester.suggest(&priority.value) {
            Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
            None => diagnostic.with_help(format!(
                "use one of {} or add a `{}` target to {}",
                listed.join(", "),
                priority.value,
                policy.file
            )),
        });
    }
}
