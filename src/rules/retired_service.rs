//! `retired-service` (warning): an incident opened, or a change requested, after
//! its service was retired. A change without a history is judged by its window.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::decode::Spanned;
use crate::model::incident::Timestamp;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    for incident in &context.records.incidents {
        let record = &incident.record;
        if let (Some(service), Some(opened)) = (&record.service, &record.opened_at) {
            flag(
                context,
                &incident.file,
                "incident opened",
                service,
                opened,
                out,
            );
        }
    }
    for change in &context.records.changes {
        let record = &change.record;
        let requested = record
            .progress
            .as_ref()
            .and_then(|p| p.history.first())
            .and_then(|entry| entry.at.as_ref())
            .or_else(|| record.window.as_ref().and_then(|w| w.start.as_ref()));
        if let (Some(service), Some(requested)) = (&record.service, requested) {
            flag(
                context,
                &change.file,
                "change requested",
                service,
                requested,
                out,
            );
        }
    }
}

fn flag(
    context: &Context,
    file: &str,
    what: &str,
    service_id: &Spanned<String>,
    at: &Spanned<Timestamp>,
    out: &mut Vec<Diagnostic>,
) {
    let terminal = context.records.config.terminal_stage();
    let Some(service) = context.services.get(service_id.as_str()) else {
        return;
    };
    if !service.record.is_in(terminal) {
        return;
    }
    let Some(retired_at) = service.record.stage_since() else {
        return;
    };
    if at.value <= retired_at {
        return;
    }
    let successor = service
        .record
        .retirement
        .as_ref()
        .and_then(|r| r.replaced_by.as_ref());
    let help = match successor {
        Some(successor) => format!("did it happen on the successor `{}`?", successor.value),
        None => "file it against the service that is running now".to_string(),
    };
    out.push(
        Diagnostic::warning(
            Rule::RetiredService,
            file,
            at.pos,
            format!(
                "{what} {} on service `{}`, which was retired {}",
                at.value.to_rfc3339(),
                service_id.value,
                retired_at.to_rfc3339()
            ),
        )
        .with_help(help),
    );
}
