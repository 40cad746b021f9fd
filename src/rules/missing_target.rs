//! `missing-target`: an incident's effective priority has no target in its
//! service's policy. A priority whose targets are written but broken, or a policy
//! whose `targets` did not decode, has its own diagnostic at the policy; its
//! incidents are not reported again (SPEC §2: one broken value, one diagnostic).
//! A priority looked up in the matrix is reported at `impact`.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::incident::PrioritySource;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
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
        let known: Vec<&str> = targets.keys().map(String::as_str).collect();
        out.push(
            Diagnostic::error(
                Rule::MissingTarget,
                &incident.file,
                priority.pos,
                format!(
                    "priority `{}`{from} has no target in policy `{}` of service `{}`",
                    priority.value, policy_id.value, service_id.value
                ),
            )
            .with_suggestion_or(
                &priority.value,
                known.iter().copied(),
                format!(
                    "use one of {} or add a `{}` target to {}",
                    known.join(", "),
                    priority.value,
                    policy.file
                ),
            ),
        );
    }
}
