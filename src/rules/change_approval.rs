//! `change-approval`: a normal change at or past `approved` without an approval,
//! or approved only after its implementation began; an emergency change at or
//! past `reviewed` without one. A standard change is pre-approved; a cancelled
//! change is exempt. The same check is the gate of `svc change advance`.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Change;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    for change in &context.records.changes {
        out.extend(problems(&change.record, &change.file));
    }
}

/// The `change-approval` diagnostics of one change.
pub fn problems(change: &Change, file: &str) -> Vec<Diagnostic> {
    let (Some(progress), false) = (&change.progress, change.invalid.has("approvals")) else {
        return Vec::new();
    };
    let state = &progress.state;
    let kind = change.change_type.value.as_str();
    let needs = match kind {
        "normal" => "approved",
        "emergency" => "reviewed",
        _ => return Vec::new(),
    };
    if !change.reached(needs) {
        return Vec::new();
    }
    if change.approvals.is_empty() {
        let why = if kind == "emergency" {
            "an emergency change may be implemented first, but it is approved before it is reviewed"
        } else {
            "a normal change is approved before it goes ahead"
        };
        return vec![
            Diagnostic::error(
                Rule::ChangeApproval,
                file,
                state.pos,
                format!(
                    "{kind} change `{}` is `{}` without an approval: {why}",
                    change.id.value, state.value
                ),
            )
            .with_help(format!(
                "record the approval with `svc change approve {}`",
                change.id.value
            )),
        ];
    }
    // One approval at or before the start of the work satisfies a normal change.
    if kind == "normal"
        && let Some(start) = change.implemented.as_ref().and_then(|i| i.start.as_ref())
        && !change
            .approvals
            .iter()
            .any(|a| a.at.as_ref().is_some_and(|at| at.value <= start.value))
        && change.approvals.iter().all(|a| a.at.is_some())
    {
        let first = change
            .approvals
            .iter()
            .filter_map(|a| a.at.as_ref())
            .min_by_key(|at| at.value);
        let pos = first.map_or(state.pos, |at| at.pos);
        return vec![
            Diagnostic::error(
                Rule::ChangeApproval,
                file,
                pos,
                format!(
                    "normal change `{}` was approved only after its implementation began ({})",
                    change.id.value,
                    start.value.to_rfc3339()
                ),
            )
            .with_help("a normal change needs an approval at or before `implemented.start`; if it had to go ahead first, make it `type: emergency`"),
        ];
    }
    Vec::new()
}
