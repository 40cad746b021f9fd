//! `unknown-link` (warning): a key under a service's `links` that is not a link
//! svc knows but is close to one (`runbok` for `runbook`). Other extra keys are
//! allowed: teams link whatever they like.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule, did_you_mean};
use crate::model::service::KNOWN_LINKS;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    for service in &context.records.services {
        let links = &service.record.links;
        for (name, _) in links {
            if KNOWN_LINKS.contains(&name.value.as_str()) {
                continue;
            }
            let Some(best) = did_you_mean(&name.value, KNOWN_LINKS) else {
                continue;
            };
            // `runbok` next to a real `runbook` is a second link, not a typo.
            if links.iter().any(|(other, _)| other.value == best) {
                continue;
            }
            out.push(
                Diagnostic::warning(
                    Rule::UnknownLink,
                    &service.file,
                    name.pos,
                    format!("unknown link `{}` under `links`", name.value),
                )
                .with_help(format!("did you mean `{best}`?")),
            );
        }
    }
}
