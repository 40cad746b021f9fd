//! `action-overdue` (warning): an improvement action not done after its `due`
//! date. It is overdue from the local midnight after `due` in the repo time zone,
//! judged against `--now`.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let tz = context.records.config.timezone;
    for problem in &context.records.problems {
        let record = &problem.record;
        if !record.is_open() {
            continue;
        }
        for action in record.open_actions() {
            let Some(due) = action
                .due
                .as_ref()
                .filter(|_| action.is_overdue(context.now, tz))
            else {
                continue;
            };
            let owner = action
                .owner
                .as_deref()
                .map(|o| format!(" (owner {o})"))
                .unwrap_or_default();
            out.push(
                Diagnostic::warning(
                    Rule::ActionOverdue,
                    &problem.file,
                    due.pos,
                    format!(
                        "action `{}` of problem `{}`{owner} was due {} and is not done",
                        action.id.value, record.id.value, due.value
                    ),
                )
                .with_help(format!(
                    "finish it (`svc problem action {} --done {}`) or agree a new `due` date",
                    record.id.value, action.id.value
                )),
            );
        }
    }
}
