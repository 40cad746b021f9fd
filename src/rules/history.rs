//! `history`: a history whose states do not move forward, whose `at` decreases, or
//! whose last entry differs from the current state. One check serves services
//! (`lifecycle.history`, stages from svc.toml), changes and problems (`history`,
//! their fixed states): they differ only in their [`Layout`] and [`Machine`]. A
//! history may begin at any state and skip states; nothing follows a final state.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::progress::{Layout, Machine, Progress};
use crate::model::{change, problem};

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let records = context.records;
    let stages = Machine::linear(&records.config.stages);
    for service in &records.services {
        if let Some(lifecycle) = &service.record.lifecycle {
            out.extend(problems(&service.file, lifecycle, Layout::SERVICE, &stages));
        }
    }
    let change_states = change::machine();
    for change in &records.changes {
        if let Some(progress) = &change.record.progress {
            out.extend(problems(
                &change.file,
                progress,
                Layout::RECORD,
                &change_states,
            ));
        }
    }
    let problem_states = problem::machine();
    for problem in &records.problems {
        if let Some(progress) = &problem.record.progress {
            out.extend(problems(
                &problem.file,
                progress,
                Layout::RECORD,
                &problem_states,
            ));
        }
    }
}

/// The `history` diagnostics of one record's `progress`, laid out as `layout`
/// says, against `machine` (also the gate of the change and problem commands).
pub fn problems(
    file: &str,
    progress: &Progress,
    layout: Layout,
    machine: &Machine,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let what = if layout == Layout::SERVICE {
        "stage"
    } else {
        "state"
    };
    for pair in progress.history.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        let (a, b) = (&before.state.value, &after.state.value);
        let known = machine.rank(a).is_some() && machine.rank(b).is_some();
        if known && !machine.may_follow(a, b) {
            let (message, help) = if a == b {
                (
                    format!("`{b}` appears twice in a row in history"),
                    format!("a {what} is entered once; remove the repeated entry"),
                )
            } else if machine.is_final(a) {
                (
                    format!("history goes on after the final {what} `{a}` (to `{b}`)"),
                    format!("nothing leaves `{a}`; remove the later entries"),
                )
            } else {
                (
                    format!("history goes from `{a}` back to `{b}`"),
                    format!("{what}s only move forward; history entries are listed oldest first"),
                )
            };
            out.push(
                Diagnostic::error(Rule::History, file, after.state.pos, message).with_help(help),
            );
        }
        if let (Some(a), Some(b)) = (&before.at, &after.at)
            && b.value < a.value
        {
            out.push(
                Diagnostic::error(
                    Rule::History,
                    file,
                    b.pos,
                    format!(
                        "history time {} is before the previous entry's {}",
                        b.value.to_rfc3339(),
                        a.value.to_rfc3339()
                    ),
                )
                .with_help("history entries are listed oldest first"),
            );
        }
    }
    if let Some(last) = progress
        .history
        .last()
        .filter(|last| last.state.value != progress.state.value)
    {
        let command = if layout == Layout::SERVICE {
            "`svc advance`"
        } else {
            "the `svc change` and `svc problem` commands"
        };
        out.push(
            Diagnostic::error(
                Rule::History,
                file,
                progress.state.pos,
                format!(
                    "`{}` is `{}`, but the last history entry is `{}`",
                    layout.state_path(),
                    progress.state.value,
                    last.state.value
                ),
            )
            .with_help(format!(
                "use {command} to change {what}s: they keep the {what} and history in step"
            )),
        );
    }
    out
}
