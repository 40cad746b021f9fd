//! `schema` checks that depend on svc.toml, so they cannot run while a file is
//! decoded: a service in the terminal stage must have a `retirement` record
//! (SPEC §1, "required once retired") with a `reason`. This holds whatever the
//! gates say, since a `[lifecycle.gates.<terminal>]` table may drop the default
//! requirements (audit of issue 2, finding 1).

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::service::RETIREMENT_REASONS;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let terminal = context.records.config.terminal_stage();
    for service in &context.records.services {
        let record = &service.record;
        let Some(stage) = record.stage().filter(|s| s.value == terminal) else {
            continue;
        };
        // A `retirement` that is written but malformed already has its own
        // diagnostic from decoding; only absent values are reported here.
        let written = record.document.get("retirement").filter(|n| !n.is_null());
        let Some(retirement) = written else {
            out.push(
                Diagnostic::error(
                    Rule::Schema,
                    &service.file,
                    stage.pos,
                    "missing required field `retirement`",
                )
                .with_help(format!(
                    "a service in the terminal stage `{terminal}` needs `retirement` with a `reason` (`svc retire` fills it in)"
                )),
            );
            continue;
        };
        let reason_written = retirement.get("reason").is_some_and(|n| !n.is_null());
        if retirement.as_map().is_some() && !reason_written {
            out.push(
                Diagnostic::error(
                    Rule::Schema,
                    &service.file,
                    retirement.pos,
                    "missing required field `reason` in `retirement`",
                )
                .with_help(format!("use one of: {}", RETIREMENT_REASONS.join(", "))),
            );
        }
    }
}
