//! `unknown-reference`: a policy, calendar, service, `depends_on`, `replaced_by`,
//! an incident's `problem` or `caused_by_change`, a change's service, or a
//! problem's service, `incidents` or `fix_change` that names no existing record. A record whose file exists but did not load is
//! not reported as missing: its file has an error already, and "does not exist"
//! would be false (audit of issue 2, finding 3).

use super::Context;
use crate::diagnostic::{Diagnostic, Rule, Suggester};
use crate::model::decode::Spanned;
use crate::model::policy::ALWAYS_ON;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    // One suggester per kind of target, its ids sorted once: a did-you-mean
    // over every id for every reference was quadratic (issue 11, finding 12).
    let mut services = Suggester::sorted(context.services.keys().copied());
    let mut policies = Suggester::sorted(context.policies.keys().copied());
    let mut calendars = Suggester::sorted(context.calendars.keys().copied().chain([ALWAYS_ON]));
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
    for policy in &context.records.policies {
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
    let mut incidents = Suggester::sorted(context.incidents.keys().copied());
    let mut changes = Suggester::sorted(context.changes.keys().copied());
    let mut problems = Suggester::sorted(context.problems.keys().copied());
    // (file, reference, field, kind of record named)
    let mut references: Vec<(&str, &Spanned<String>, &str, &str)> = Vec::new();
    for incident in &context.records.incidents {
        let (record, file) = (&incident.record, incident.file.as_str());
        for (named, field, kind) in [
            (&record.service, "service", "Service"),
            (&record.problem, "problem", "Problem"),
            (&record.caused_by_change, "caused_by_change", "Change"),
        ] {
            references.extend(named.iter().map(|r| (file, r, field, kind)));
        }
    }
    for change in &context.records.changes {
        let file = change.file.as_str();
        references.extend(
            change
                .record
                .service
                .iter()
                .map(|r| (file, r, "service", "Service")),
        );
    }
    for problem in &context.records.problems {
        let (record, file) = (&problem.record, problem.file.as_str());
        references.extend(
            record
                .service
                .iter()
                .map(|r| (file, r, "service", "Service")),
        );
        references.extend(
            record
                .fix_change
                .iter()
                .map(|r| (file, r, "fix_change", "Change")),
        );
        references.extend(
            record
                .incidents
                .iter()
                .map(|r| (file, r, "incidents", "Incident")),
        );
    }
    for (file, reference, field, kind) in references {
        let (exists, known, name) = match kind {
            "Incident" => (
                context.incidents.contains_key(reference.as_str()),
                &mut incidents,
                "incident",
            ),
            "Change" => (
                context.changes.contains_key(reference.as_str()),
                &mut changes,
                "change",
            ),
            "Problem" => (
                context.problems.contains_key(reference.as_str()),
                &mut problems,
                "problem",
            ),
            _ => (
                context.services.contains_key(reference.as_str()),
                &mut services,
                "service",
            ),
        };
        if !exists && !context.may_exist(kind, reference) {
            out.push(missing(file, reference, field, name, known));
        }
    }
}

fn missing(
    file: &str,
    reference: &Spanned<String>,
    field: &str,
    kind: &str,
    known: &mut Suggester,
) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        Rule::UnknownReference,
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
