//! `change-outcome`: a change at or past `implemented` without
//! `implemented.start`, or at or past `reviewed` without an `outcome`. A
//! cancelled change is exempt.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Change;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    for change in &context.records.changes {
        out.extend(problems(&change.record, &change.file));
    }
}

/// The `change-outcome` diagnostics of one change.
pub fn problems(change: &Change, file: &str) -> Vec<Diagnostic> {
    let Some(progress) = &change.progress else {
        return Vec::new();
    };
    let state = &progress.state;
    let mut out = Vec::new();
    if change.reached("implemented")
        && change.implemented_start().is_none()
        && !change.invalid.has("implemented")
    {
        out.push(
            Diagnostic::error(
                Rule::ChangeOutcome,
                file,
                change.implemented.as_ref().map_or(state.pos, |i| i.pos),
                format!(
                    "change `{}` is `{}` without `implemented.start`",
                    change.id.value, state.value
                ),
            )
            .with_help("record when the work began (`svc change advance` sets it on entering `implemented`)"),
        );
    }
    if change.reached("reviewed") && change.outcome.is_none() && !change.invalid.has("outcome") {
        out.push(
            Diagnostic::error(
                Rule::ChangeOutcome,
                file,
                state.pos,
                format!(
                    "change `{}` is `{}` without an `outcome`",
                    change.id.value, state.value
                ),
            )
            .with_help("set `outcome: successful`, `failed` or `rolled-back` (`svc change advance --outcome ...`)"),
        );
    }
    out
}
