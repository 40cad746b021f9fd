//! `timestamp`: incident timestamps out of order or closed without being
//! resolved, pauses outside the incident or overlapping, outages that end before
//! they start, and a `status` that disagrees with the timestamps. (Timestamps
//! without an offset are found while decoding.)

use chrono::{DateTime, Utc};

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Incident;
use crate::model::decode::Spanned;
use crate::model::incident::Timestamp;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    for located in &context.records.incidents {
        out.extend(problems(&located.record, &located.file, context.now));
    }
}

/// The `timestamp` diagnostics of one incident read from `file`, judged at
/// `now` (a running pause lasts until then). `svc incident` runs exactly this
/// on the record it is about to write, so a command and `svc check` cannot
/// disagree on what the order rules of SPEC §1 allow.
pub fn problems(incident: &Incident, file: &str, now: DateTime<Utc>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let steps = [
        ("opened_at", incident.opened_at.as_ref()),
        ("acknowledged_at", incident.acknowledged_at.as_ref()),
        ("resolved_at", incident.resolved_at.as_ref()),
        ("closed_at", incident.closed_at.as_ref()),
    ];
    let mut previous: Option<(&str, &Spanned<Timestamp>)> = None;
    for (name, value) in steps {
        let Some(value) = value else { continue };
        if let Some((before_name, before)) = previous
            && value.value < before.value
        {
            out.push(
                Diagnostic::error(
                    Rule::Timestamp,
                    file,
                    value.pos,
                    format!(
                        "`{name}` ({}) is before `{before_name}` ({})",
                        value.value.to_rfc3339(),
                        before.value.to_rfc3339()
                    ),
                )
                .with_help(
                    "the order must be opened_at <= acknowledged_at <= resolved_at <= closed_at",
                ),
            );
        }
        previous = Some((name, value));
    }
    if let (Some(closed), None) = (&incident.closed_at, &incident.resolved_at)
        && !incident.invalid.has("resolved_at")
    {
        out.push(
            Diagnostic::error(
                Rule::Timestamp,
                file,
                closed.pos,
                "`closed_at` without `resolved_at`: an incident is resolved before it is closed",
            )
            .with_help("add `resolved_at` (it may equal `closed_at`)"),
        );
    }
    // The derived status rests on which timestamps are present: a broken
    // one would make any written status look wrong.
    let timestamps_known = !incident
        .invalid
        .any(&["acknowledged_at", "resolved_at", "closed_at"]);
    if let Some(status) = incident.status.as_ref().filter(|_| timestamps_known) {
        let derived = incident.derived_status();
        // A closed incident was resolved: SPEC's own example writes
        // `status: resolved` beside a `closed_at`.
        let agrees = status.value == derived || (status.value == "resolved" && derived == "closed");
        if !agrees {
            out.push(
                Diagnostic::error(
                    Rule::Timestamp,
                    file,
                    status.pos,
                    format!(
                        "`status` is `{}`, but the timestamps say `{derived}`",
                        status.value
                    ),
                )
                .with_help(format!(
                    "set `status: {derived}`, remove it, or fix the timestamps"
                )),
            );
        }
    }
    let end = incident.resolved_at.as_ref().map(|r| r.value);
    let end_name = if end.is_some() { "resolved_at" } else { "now" };
    let end = end.unwrap_or_else(|| now.fixed_offset());
    let opened = incident.opened();
    let mut pauses: Vec<_> = incident.paused.iter().collect();
    pauses.sort_by_key(|p| p.from.value);
    for pause in &pauses {
        // A running pause lasts until now.
        let until = pause.to.as_ref().map_or(end, |to| to.value);
        if let Some(to) = &pause.to
            && to.value <= pause.from.value
        {
            out.push(Diagnostic::error(
                Rule::Timestamp,
                file,
                to.pos,
                "a pause must end after it starts",
            ));
        } else if opened.is_some_and(|opened| pause.from.value < opened) || until > end {
            out.push(
                Diagnostic::error(
                    Rule::Timestamp,
                    file,
                    pause.pos,
                    format!("the pause lies outside the incident (opened_at to {end_name})"),
                )
                .with_help("a pause must lie inside [opened_at, resolved_at]"),
            );
        }
    }
    for pair in pauses.windows(2) {
        let earlier_end = pair[0].to.as_ref().map_or(end, |to| to.value);
        if pair[1].from.value < earlier_end {
            out.push(
                Diagnostic::error(Rule::Timestamp, file, pair[1].pos, "pauses overlap").with_help(
                    format!("merge it with the pause on line {}", pair[0].pos.line + 1),
                ),
            );
        }
    }
    for outage in &incident.outage {
        if outage.to.value <= outage.from.value {
            out.push(Diagnostic::error(
                Rule::Timestamp,
                file,
                outage.to.pos,
                "an outage must end after it starts (`from` < `to`)",
            ));
        }
    }
    out
}
