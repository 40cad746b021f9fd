//! `problem-state`: a problem at or past `known-error` without a `root_cause`; a
//! `resolved` or `closed` problem without a `verification`, or with an
//! improvement action not done. States are cumulative: a resolved problem was a
//! known error first. The same check is the gate of `svc problem advance`.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Problem;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    for problem in &context.records.problems {
        out.extend(problems(&problem.record, &problem.file));
    }
}

/// The `problem-state` diagnostics of one problem.
pub fn problems(problem: &Problem, file: &str) -> Vec<Diagnostic> {
    let Some(progress) = &problem.progress else {
        return Vec::new();
    };
    let state = &progress.state;
    let id = &problem.id.value;
    let mut out = Vec::new();
    if problem.reached("known-error")
        && problem.root_cause.is_none()
        && !problem.invalid.has("root_cause")
    {
        out.push(
            Diagnostic::error(
                Rule::ProblemState,
                file,
                state.pos,
                format!("problem `{id}` is `{}` without a `root_cause`", state.value),
            )
            .with_help(format!(
                "a known error has a known cause: `svc problem advance {id} --root-cause \"...\"`"
            )),
        );
    }
    if !problem.reached("resolved") {
        return out;
    }
    if problem.verification.is_none() && !problem.invalid.has("verification") {
        out.push(
            Diagnostic::error(
                Rule::ProblemState,
                file,
                state.pos,
                format!("problem `{id}` is `{}` without a `verification`", state.value),
            )
            .with_help(format!(
                "check that the fix works, then record it: `svc problem advance {id} --to resolved --verified-note \"...\"`"
            )),
        );
    }
    if !problem.invalid.has("actions") {
        for action in problem.open_actions() {
            out.push(
                Diagnostic::error(
                    Rule::ProblemState,
                    file,
                    action.id.pos,
                    format!(
                        "problem `{id}` is `{}`, but action `{}` is not done",
                        state.value, action.id.value
                    ),
                )
                .with_help(format!(
                    "finish it first: `svc problem action {id} --done {}`",
                    action.id.value
                )),
            );
        }
    }
    out
}
