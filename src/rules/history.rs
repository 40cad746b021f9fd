//! `history`: lifecycle history stages not in forward order, `at` decreasing, or a
//! last entry whose stage differs from `lifecycle.stage`. A history may begin at
//! any stage and skip stages.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let config = &context.repo.config;
    for service in &context.repo.services {
        let file = service.file.as_str();
        let record = &service.record;
        for pair in record.history.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            if let (Some(a), Some(b)) = (
                config.stage_index(&before.stage),
                config.stage_index(&after.stage),
            ) && b <= a
            {
                let (message, help) = if a == b {
                    (
                        format!("`{}` appears twice in a row in history", after.stage.value),
                        "a stage is entered once; remove the repeated entry",
                    )
                } else {
                    (
                        format!(
                            "history goes from `{}` back to `{}`",
                            before.stage.value, after.stage.value
                        ),
                        "stages only move forward; history entries are listed oldest first",
                    )
                };
                out.push(
                    Diagnostic::error(Rule::History, file, after.stage.pos, message).with_help(help),
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
        if let Some(last) = record
            .history
            .last()
            .filter(|last| last.stage.value != record.stage.value)
        {
            out.push(
                Diagnostic::error(
                    Rule::History,
                    file,
                    record.stage.pos,
                    format!(
                        "`lifecycle.stage` is `{}`, but the last history entry is `{}`",
                        record.stage.value, last.stage.value
                    ),
                )
                .with_help(
                    "use `svc advance` to change stages: it keeps the stage and history in step",
                ),
            );
        }
    }
}
