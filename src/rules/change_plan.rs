//! `change-plan`: a normal or emergency change at or past `approved` without a
//! `rollback_plan` or a `verification_plan` (either one missing). Standard and
//! cancelled changes are exempt.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Change;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    for change in &context.records.changes {
        out.extend(problems(&change.record, &change.file));
    }
}

/// The `change-plan` diagnostics of one change.
pub fn problems(change: &Change, file: &str) -> Vec<Diagnostic> {
    let Some(progress) = &change.progress else {
        return Vec::new();
    };
    let kind = change.change_type.value.as_str();
    if kind == "standard" || !change.reached("approved") {
        return Vec::new();
    }
    let missing: Vec<&str> = [
        ("rollback_plan", &change.rollback_plan),
        ("verification_plan", &change.verification_plan),
    ]
    .into_iter()
    .filter(|(key, plan)| plan.is_none() && !change.invalid.has(key))
    .map(|(key, _)| key)
    .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let listed: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
    vec![
        Diagnostic::error(
            Rule::ChangePlan,
            file,
            progress.state.pos,
            format!(
                "{kind} change `{}` is `{}` without {}",
                change.id.value,
                progress.state.value,
                listed.join(" and ")
            ),
        )
        .with_help("say how to undo the change and how to tell it worked before it is approved"),
    ]
}
