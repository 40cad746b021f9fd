//! `unknown-reference`: a policy, calendar, service, `depends_on`, `replaced_by`,
//! an incident's `problem` or `caused_by_change`, a change's service, or a
//! problem's service, `incidents` or `fix_change` that names no existing record. A record whose file exists but did not load is
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
    for service in &context.records.services {
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
    for policy in &context.records.policies {
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
    let exists = |kind: &str, id: &str| {
        let known = match kind {
            "Incident" => context.incidents.contains_key(id),
            "Change" => context.changes.contains_key(id),
            "Problem" => context.problems.contains_key(id),
            _ => context.services.contains_key(id),
        };
        known || context.may_exist(kind, id)
    };
    // Each kind's ids are listed once, and only when a reference misses.
    let lists: [std::cell::OnceCell<Vec<&str>>; 4] = Default::default();
    let ids = |kind: &str| -> &[&str] {
        let slot = match kind {
            "Incident" => 0,
            "Change" => 1,
            "Problem" => 2,
            _ => 3,
        };
        lists[slot].get_or_init(|| match slot {
            0 => context.incidents.keys().copied().collect(),
            1 => context.changes.keys().copied().collect(),
            2 => context.problems.keys().copied().collect(),
            _ => context.services.keys().copied().collect(),
        })
    };
    // (file, reference, field, kind of record named, what the message calls it)
    let mut references: Vec<(&str, &Spanned<String>, &str, &str, &str)> = Vec::new();
    for incident in &context.records.incidents {
        let record = &incident.record;
        let file = incident.file.as_str();
        references.extend(
            record
                .service
                .iter()
                .map(|r| (file, r, "service", "Service", "service")),
        );
        references.extend(
            record
                .problem
                .iter()
                .map(|r| (file, r, "problem", "Problem", "problem")),
        );
        references.extend(
            record
                .caused_by_change
                .iter()
                .map(|r| (file, r, "caused_by_change", "Change", "change")),
        );
    }
    for change in &context.records.changes {
        let file = change.file.as_str();
        references.extend(
            change
                .record
                .service
                .iter()
                .map(|r| (file, r, "service", "Service", "service")),
        );
    }
    for problem in &context.records.problems {
        let record = &problem.record;
        let file = problem.file.as_str();
        references.extend(
            record
                .service
                .iter()
                .map(|r| (file, r, "service", "Service", "service")),
        );
        references.extend(
            record
                .incidents
                .iter()
                .map(|r| (file, r, "incidents", "Incident", "incident")),
        );
        references.extend(
            record
                .fix_change
                .iter()
                .map(|r| (file, r, "fix_change", "Change", "change")),
        );
    }
    for (file, reference, field, kind, name) in references {
        if !exists(kind, reference) {
            out.push(missing(
                file,
                reference,
                field,
                name,
                ids(kind).iter().copied(),
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
    diagnostic.with_suggestion_or(
        &reference.value,
        known.iter().copied(),
        format!("create the {kind} or fix the id"),
    )
}
