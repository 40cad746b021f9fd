//! `unknown-reference`: a policy, calendar, service, `depends_on` or `replaced_by`
//! that names no existing record. A record whose file exists but did not load is
//! not reported as missing: its file has an error already, and "does not exist"
//! would be false (audit of issue 2, finding 3).

use super::Context;
use crate::diagnostic::{Diagnostic, Suggester};
use crate::model::decode::Spanned;
use crate::model::policy::ALWAYS_ON;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    // One suggester per kind of target, its ids sorted once: a did-you-mean
    // over every id for every reference was quadratic (issue 11, finding 12).
    let mut services = suggester(context.services.keys().copied());
    let mut policies = suggester(context.policies.keys().copied());
    let mut calendars = suggester(context.calendars.keys().copied().chain([ALWAYS_ON]));
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
                &mut policies,
            ));
        }
        for dependency in &record.depends_on {
            if !service_exists(dependency) {
                out.push(missing(
                    &service.file,
                    dependency,
                    "depends_on",
                    "service",
                    &mut services,
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
                &mut services,
            ));
        }
    }
    for policy in &context.repo.policies {
        if let Some(calendar) = &policy.record.calendar
            && calendar.value != ALWAYS_ON
            && !context.calendars.contains_key(calendar.as_str())
            && !context.may_exist("Calendar", calendar)
        {
            out.push(missing(
                &policy.file,
                calendar,
                "calendar",
                "calendar",
                &mut calendars,
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
                &mut services,
            ));
        }
    }
}

/// A suggester over `ids`, sorted (ties go to the last in that order).
fn suggester<'a>(ids: impl Iterator<Item = &'a str>) -> Suggester<'a> {
    let mut ids: Vec<&str> = ids.collect();
    ids.sort_unstable();
    Suggester::new(ids)
}

fn missing(
    file: &str,
    reference: &Spanned<String>,
    field: &str,
    kind: &str,
    known: &mut Suggester,
) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "unknown-reference",
        file,
        reference.pos,
        format!(
            "`{field}` names {kind} `{}`, which does not exist",
            reference.value
        ),
    );
    match known.suggest(&reference.value) {
        Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
        None => diagnostic.with_help(format!("create the {kind} or fix the id")),
    }
}
