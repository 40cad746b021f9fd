//! `business-days` (warning): a policy on a business calendar uses `d`, which there
//! means 24 *working* hours (`3d` is 72 working hours, not three business days).

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::policy::ALWAYS_ON;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    for policy in &context.records.policies {
        let record = &policy.record;
        // A calendar that does not exist is an `unknown-reference` already;
        // whether it counts working hours is unknown, so say nothing here.
        let calendar = record.calendar_id();
        let exists =
            context.calendars.contains_key(calendar) || context.may_exist("Calendar", calendar);
        if calendar == ALWAYS_ON || !exists {
            continue;
        }
        for (priority, targets) in record
            .targets
            .iter()
            .filter_map(|(p, t)| Some((p, t.as_ref()?)))
        {
            for (name, target) in [
                ("response", &targets.response),
                ("resolution", &targets.resolution),
            ] {
                if !target.uses_days {
                    continue;
                }
                let hours = target.seconds / 3600;
                out.push(
                    Diagnostic::warning(
                        Rule::BusinessDays,
                        &policy.file,
                        target.pos,
                        format!(
                            "`{priority}.{name}` uses days on business calendar `{}`: `d` counts 24 working hours, so this is {hours} working hours",
                            record.calendar_id()
                        ),
                    )
                    .with_help(format!("write `{hours}h` to say so explicitly")),
                );
            }
        }
    }
}
