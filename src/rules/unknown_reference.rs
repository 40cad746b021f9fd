//! `unknown-reference`: a policy, calendar, service, `depends_on` or `replaced_by`
//! that names no existing record. A record whose file exists but did not load is
//! not reported as missing: its file has an error already, and "does not exist"
//! would be false (audit of issue 2, finding 3).

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::decode::Spanned;
use crate::model::policy::ALWAYS_ON;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let service_ids = || context.services.keys().copied();
    let service_exists =
        |id: &str| context.services.contains_key(id) || context.may_exist("Service", id);
    for service in &context.repo.services {
        let record = &service.record;
        if let Some(policy) = &record.policy
            && !context.policies.contains_key(policy.as_str())
            && !context.may_exist("SlaPolicy", policy)
        {
            out.push(missing(
                &service.file,
                policy,
                "policy",
                "SlaPolicy",
                context.policies.keys().copied(),
            ));
        }
        for dependency in &record.depends_on {
            if !service_exists(dependency) {
                out.push(missing(
                    &service.file,
                    dependency,
                    "depends_on",
                    "service",
                    service_ids(),
                ));
            }
        }
        if let Some(successor) = record
            .retirement
            .as_ref()
            .and_then(|r| r.replaced_by.as_ref())
            && !service_exists(successor)
        {
            out.push(missing(
                &service.file,
                successor,
                "replaced_by",
                "service",
                service_ids(),
            ));
        }
    }
    for policy in &context.repo.policies {
        if let Some(calendar) = &policy.record.calendar
            && calendar.value != ALWAYS_ON
            && !context.calendars.contains_key(calendar.as_str())
            && !context.may_exist("Calendar", calendar)
        {
            let known = context.calendars.keys().copied().chain([ALWAYS_ON]);
            out.push(missing(
                &policy.file,
                calendar,
                "calendar",
                "calendar",
                known,
            ));
        }
    }
    for incident in &context.repo.incidents {
        let service = &incident.record.service;
        if !service_exists(service) {
            out.push(missing(
                &incident.file,
                service,
                "service",
                "service",
                service_ids(),
            ));
        }
    }
}

fn missing<'a>(
    file: &str,
    reference: &Spanned<String>,
    field: &str,
    kind: &str,
    known: impl Iterator<Item = &'a str>,
) -> Diagnostic {
    let mut known: Vec<&str> = known.collect();
    known.sort_unstable();
    let diagnostic = Diagnostic::error(
        Rule::UnknownReference,
        file,
        reference.pos,
        format!(
            "`{field}` names {kind} `{}`, which does not exist",
            reference.value
        ),
    );
    match crate::diagnostic::did_you_mean(&reference.value, known.iter().copied()) {
        Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
        None => diagnostic.with_help(format!("create the {kind} or fix the id")),
    }
}
