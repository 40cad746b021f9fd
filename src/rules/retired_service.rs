//! `retired-service` (warning): an incident opened after its service was retired.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let terminal = context.repo.config.terminal_stage();
    for incident in &context.repo.incidents {
        let record = &incident.record;
        let Some(service) = context.services.get(record.service.as_str()) else {
            continue;
        };
        if service.record.stage.value != terminal {
            continue;
        }
        let Some(retired_at) = service.record.stage_since() else {
            continue;
        };
        if record.opened_at.value > retired_at {
            out.push(
                Diagnostic::warning(
                    Rule::RetiredService,
                    &incident.file,
                    record.opened_at.pos,
                    format!(
                        "incident opened {} on service `{}`, which was retired {}",
                        record.opened_at.value.to_rfc3339(),
                        record.service.value,
                        retired_at.to_rfc3339()
                    ),
                )
                .with_help(
                    match service
                        .record
                        .retirement
                        .as_ref()
                        .and_then(|r| r.replaced_by.as_ref())
                    {
                        Some(successor) => {
                            format!("did it happen on the successor `{}`?", successor.value)
                        }
                        None => "file it against the service that is running now".to_string(),
                    },
                ),
            );
        }
    }
}
