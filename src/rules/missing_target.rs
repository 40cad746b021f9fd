//! `missing-target`: an incident's effective priority has no target in its
//! service's policy. A priority whose targets are written but broken, or a policy
//! whose `targets` did not decode, has its own diagnostic at the policy; its
//! incidents are not reported again (SPEC §2: one broken value, one diagnostic).
//! A priority looked up in the matrix is reported at `impact`.

use std::collections::HashMap;

use super::Context;
use crate::diagnostic::{Diagnostic, Rule, Suggester};
use crate::model::incident::PrioritySource;
use crate::model::{Incident, Located, SlaPolicy};

/// Priorities a help line lists before it says "and N more".
const LISTED: usize = 10;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    // One suggester per policy, built on first use: a did-you-mean over the
    // policy's priorities per incident was quadratic (issue 11, finding 12).
    let mut suggesters: HashMap<&str, Suggester> = HashMap::new();
    for incident in &context.records.incidents {
        let Some(service) = incident
            .record
            .service_id()
            .and_then(|id| context.services.get(id))
        else {
            continue;
        };
        let Some(policy) = service
            .record
            .policy
            .as_ref()
            .and_then(|id| context.policies.get(id.as_str()))
        else {
            continue;
        };
        let suggest = |priority: &str| {
            suggesters
                .entry(policy.file.as_str())
                .or_insert_with(|| Suggester::new(policy.record.targets.keys().map(String::as_str)))
                .suggest(priority)
        };
        out.extend(diagnose(&incident.record, &incident.file, policy, suggest));
    }
}

/// The `missing-target` diagnostics of one incident read from `file`, whose
/// service's policy is `policy`. `svc incident open` runs exactly this on the
/// incident it is about to write.
pub fn problems(incident: &Incident, file: &str, policy: &Located<SlaPolicy>) -> Vec<Diagnostic> {
    let mut suggester = Suggester::new(policy.record.targets.keys().map(String::as_str));
    diagnose(incident, file, policy, |priority| {
        suggester.suggest(priority)
    })
    .into_iter()
    .collect()
}

/// The diagnostic, if any; `suggest` finds a close priority of the policy.
fn diagnose<'p>(
    incident: &Incident,
    file: &str,
    policy: &'p Located<SlaPolicy>,
    suggest: impl FnOnce(&str) -> Option<&'p str>,
) -> Option<Diagnostic> {
    let (Some(service_id), Some(priority)) = (&incident.service, &incident.priority) else {
        return None;
    };
    let targets = &policy.record.targets;
    if targets.contains_key(priority.as_str()) || policy.record.invalid.has("targets") {
        return None;
    }
    let from = match incident.priority_source {
        PrioritySource::Written => String::new(),
        PrioritySource::Matrix => " (from the priority matrix for its impact and urgency)".into(),
    };
    let diagnostic = Diagnostic::error(
        Rule::MissingTarget,
        file,
        priority.pos,
        format!(
            "priority `{}`{from} has no target in policy `{}` of service `{}`",
            priority.value, policy.record.id.value, service_id.value
        ),
    );
    let mut listed: Vec<&str> = targets.keys().take(LISTED).map(String::as_str).collect();
    if targets.len() > LISTED {
        listed.push("…");
    }
    Some(match suggest(&priority.value) {
        Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
        None => diagnostic.with_help(format!(
            "use one of {} or add a `{}` target to {}",
            listed.join(", "),
            priority.value,
            policy.file
        )),
    })
}
