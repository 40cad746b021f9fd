//! `kind: Incident`: one incident with its timestamps, pauses and outages.
//!
//! Every field decodes on its own: a bad `opened_at` leaves `service`, `priority`
//! and the other timestamps in place, so the rules that do not depend on it still
//! run (issue 12). Required fields that are missing or broken are `None` and named
//! in [`Incident::invalid`].

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset};

use super::config::Config;
use super::decode::{Decoder, Fields, Invalid, Spanned};
use crate::diagnostic::{Diagnostic, Rule};
use crate::yaml::{Node, Pos};

/// Statuses, derived from the timestamps (SPEC §1).
pub const STATUSES: [&str; 4] = ["open", "acknowledged", "resolved", "closed"];

/// A timestamp as written: the instant plus the offset it was written in.
pub type Timestamp = DateTime<FixedOffset>;

/// Where an incident's effective priority comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrioritySource {
    /// Written as `priority`.
    Written,
    /// Looked up in svc.toml's `[priority] matrix` from `impact` and `urgency`.
    Matrix,
}

/// An incident record.
#[derive(Clone, Debug)]
pub struct Incident {
    /// Id, equal to the file stem.
    pub id: Spanned<String>,
    /// Service id.
    pub service: Option<Spanned<String>>,
    /// What happened.
    pub title: Option<Spanned<String>>,
    /// The effective priority (SPEC §1): the written one, else the matrix's for
    /// `impact` and `urgency`, positioned at `impact` then.
    pub priority: Option<Spanned<String>>,
    /// Where [`Incident::priority`] came from.
    pub priority_source: PrioritySource,
    /// 1 (highest) .. 3.
    pub impact: Option<Spanned<u8>>,
    /// 1 (highest) .. 3.
    pub urgency: Option<Spanned<u8>>,
    /// When it was opened.
    pub opened_at: Option<Spanned<Timestamp>>,
    /// First response.
    pub acknowledged_at: Option<Spanned<Timestamp>>,
    /// Resolution.
    pub resolved_at: Option<Spanned<Timestamp>>,
    /// Closure.
    pub closed_at: Option<Spanned<Timestamp>>,
    /// The status as written, if any (must agree with the timestamps).
    pub status: Option<Spanned<String>>,
    /// Clock-stopped windows; the last one of an unresolved incident may be open.
    pub paused: Vec<Pause>,
    /// Windows in which the service was down.
    pub outage: Vec<Window>,
    /// 1..5.
    pub satisfaction: Option<Spanned<u8>>,
    /// The customer's comment beside `satisfaction`.
    pub feedback: Option<Spanned<String>>,
    /// Free text used to spot recurring incidents.
    pub category: Option<Spanned<String>>,
    /// Why it happened.
    pub root_cause: Option<Spanned<String>>,
    /// Link to the postmortem.
    pub postmortem: Option<Spanned<String>>,
    /// The Problem behind it.
    pub problem: Option<Spanned<String>>,
    /// The Change that caused it.
    pub caused_by_change: Option<Spanned<String>>,
    /// Ids in other systems (never checked as references).
    pub external: BTreeMap<String, String>,
    /// Required fields that are missing and fields that did not decode.
    pub invalid: Invalid,
}

/// A `{from, to}` window.
#[derive(Clone, Debug)]
pub struct Window {
    /// Where the window was written.
    pub pos: Pos,
    /// Start.
    pub from: Spanned<Timestamp>,
    /// End.
    pub to: Spanned<Timestamp>,
}

/// A pause of the SLA clock; `to` is `None` while it runs.
#[derive(Clone, Debug)]
pub struct Pause {
    /// Where the pause was written.
    pub pos: Pos,
    /// Start.
    pub from: Spanned<Timestamp>,
    /// End; `None` for the running pause of an unresolved incident.
    pub to: Option<Spanned<Timestamp>>,
    /// Why the clock stopped.
    pub reason: Option<String>,
}

/// The status that an incident's timestamps imply (SPEC §1): the latest of
/// closed, resolved and acknowledged that is recorded, else open.
pub fn status_of(closed: bool, resolved: bool, acknowledged: bool) -> &'static str {
    if closed {
        "closed"
    } else if resolved {
        "resolved"
    } else if acknowledged {
        "acknowledged"
    } else {
        "open"
    }
}

impl Incident {
    /// The status the timestamps imply.
    pub fn derived_status(&self) -> &'static str {
        status_of(
            self.closed_at.is_some(),
            self.resolved_at.is_some(),
            self.acknowledged_at.is_some(),
        )
    }

    /// The first response: `acknowledged_at`, else `resolved_at` (SPEC §1).
    pub fn effective_acknowledgement(&self) -> Option<Timestamp> {
        self.acknowledged_at
            .as_ref()
            .or(self.resolved_at.as_ref())
            .map(|t| t.value)
    }

    /// The service id, when it decoded.
    pub fn service_id(&self) -> Option<&str> {
        self.service.as_ref().map(|s| s.value.as_str())
    }

    /// The effective priority, when there is one.
    pub fn priority_name(&self) -> Option<&str> {
        self.priority.as_ref().map(|p| p.value.as_str())
    }

    /// The opening time, when it decoded.
    pub fn opened(&self) -> Option<Timestamp> {
        self.opened_at.as_ref().map(|t| t.value)
    }

    /// True while the incident is not resolved (and its resolution decoded,
    /// so a broken `resolved_at` is not taken for an open incident).
    pub fn is_unresolved(&self) -> bool {
        self.resolved_at.is_none() && !self.invalid.has("resolved_at")
    }

    /// The running pause, if the last pause has no end.
    pub fn open_pause(&self) -> Option<&Pause> {
        self.paused.last().filter(|p| p.to.is_none())
    }
}

/// Decodes the fields of an incident. svc.toml supplies the priority matrix and
/// whether a pause needs a reason.
pub(super) fn decode(
    decoder: &mut Decoder,
    fields: &mut Fields,
    id: Spanned<String>,
    config: &Config,
) -> Incident {
    let service = fields.required(decoder, "service", |d, n| d.non_empty_string(n, "service"));
    let title = fields.required(decoder, "title", |d, n| d.non_empty_string(n, "title"));
    let written = fields.decode(decoder, "priority", |d, n| {
        d.non_empty_string(n, "priority")
    });
    let impact = fields.decode(decoder, "impact", |d, n| level(d, n, "impact"));
    let urgency = fields.decode(decoder, "urgency", |d, n| level(d, n, "urgency"));
    let (priority, priority_source) =
        effective_priority(decoder, fields, written, &impact, &urgency, config);
    let opened_at = fields.required(decoder, "opened_at", |d, n| d.timestamp(n, "opened_at"));
    let mut optional_time =
        |key: &'static str| fields.decode(decoder, key, |d, n| d.timestamp(n, key));
    let acknowledged_at = optional_time("acknowledged_at");
    let resolved_at = optional_time("resolved_at");
    let closed_at = optional_time("closed_at");
    let status = fields.decode(decoder, "status", |d, n| d.one_of(n, "status", &STATUSES));
    let unresolved = resolved_at.is_none() && !fields.invalid().has("resolved_at");
    let paused = fields
        .decode(decoder, "paused", |d, n| {
            Some(decode_pauses(d, n, unresolved, config.require_pause_reason))
        })
        .unwrap_or_default();
    let outage = fields
        .decode(decoder, "outage", |d, n| Some(decode_windows(d, n)))
        .unwrap_or_default();
    let satisfaction = fields.decode(decoder, "satisfaction", |d, n| {
        d.integer(n, "satisfaction", 1, 5)
            .map(|s| Spanned::new(u8::try_from(s.value).unwrap_or(1), s.pos))
    });
    let mut text = |key: &'static str| fields.decode(decoder, key, |d, n| d.string(n, key));
    let feedback = text("feedback");
    let category = text("category");
    let root_cause = text("root_cause");
    let postmortem = text("postmortem");
    for key in ["description", "reporter", "assignee"] {
        text(key);
    }
    let mut reference =
        |key: &'static str| fields.decode(decoder, key, |d, n| d.non_empty_string(n, key));
    let problem = reference("problem");
    let caused_by_change = reference("caused_by_change");
    let external = fields
        .decode(decoder, "external", |d, n| Some(decode_external(d, n)))
        .unwrap_or_default();
    Incident {
        id,
        service,
        title,
        priority,
        priority_source,
        impact,
        urgency,
        opened_at,
        acknowledged_at,
        resolved_at,
        closed_at,
        status,
        paused,
        outage,
        satisfaction,
        feedback,
        category,
        root_cause,
        postmortem,
        problem,
        caused_by_change,
        external,
        invalid: fields.invalid(),
    }
}

/// `impact` or `urgency`: 1, 2 or 3.
fn level(decoder: &mut Decoder, node: &Node, key: &str) -> Option<Spanned<u8>> {
    decoder
        .integer(node, key, 1, 3)
        .map(|n| Spanned::new(u8::try_from(n.value).unwrap_or(3), n.pos))
}

/// The written priority, else the matrix's for `impact` and `urgency` (SPEC §1).
/// Without a matrix, `priority` is required; with one, `priority` or both
/// `impact` and `urgency` are.
fn effective_priority(
    decoder: &mut Decoder,
    fields: &mut Fields,
    written: Option<Spanned<String>>,
    impact: &Option<Spanned<u8>>,
    urgency: &Option<Spanned<u8>>,
    config: &Config,
) -> (Option<Spanned<String>>, PrioritySource) {
    if let Some(written) = written {
        return (Some(written), PrioritySource::Written);
    }
    let invalid = fields.invalid();
    if invalid.has("priority") {
        return (None, PrioritySource::Written);
    }
    let Some(matrix) = &config.priority_matrix else {
        decoder.schema::<()>(fields.pos, "missing required field `priority`");
        fields.mark_invalid("priority");
        return (None, PrioritySource::Written);
    };
    match (impact, urgency) {
        (Some(impact), Some(urgency)) => {
            let priority = matrix
                .lookup(impact.value, urgency.value)
                .map(|p| Spanned::new(p.to_string(), impact.pos));
            (priority, PrioritySource::Matrix)
        }
        // A broken impact or urgency has its own diagnostic already.
        _ if invalid.any(&["impact", "urgency"]) => {
            fields.mark_invalid("priority");
            (None, PrioritySource::Matrix)
        }
        _ => {
            decoder.push(
                Diagnostic::error(
                    Rule::Schema,
                    decoder.file,
                    fields.pos,
                    "missing required field `priority` (or both `impact` and `urgency`)",
                )
                .with_help(
                    "give `priority`, or `impact` and `urgency` (1..3) for the priority matrix",
                ),
            );
            fields.mark_invalid("priority");
            (None, PrioritySource::Matrix)
        }
    }
}

fn decode_windows(decoder: &mut Decoder, node: &Node) -> Vec<Window> {
    let items = decoder.list(node, "outage").unwrap_or_default();
    items
        .iter()
        .filter_map(|item| {
            let mut fields: Fields = decoder.fields(item, "outage")?;
            let from = fields
                .require(decoder, "from", "outage")
                .and_then(|n| decoder.timestamp(n, "from"));
            let to = fields
                .require(decoder, "to", "outage")
                .and_then(|n| decoder.timestamp(n, "to"));
            if let Some(n) = fields.get("note") {
                decoder.string(n, "note");
            }
            fields.finish(decoder);
            Some(Window {
                pos: item.pos,
                from: from?,
                to: to?,
            })
        })
        .collect()
}

/// The pauses; only the last pause of an unresolved incident may lack `to`.
fn decode_pauses(
    decoder: &mut Decoder,
    node: &Node,
    unresolved: bool,
    require_reason: bool,
) -> Vec<Pause> {
    let items = decoder.list(node, "paused").unwrap_or_default();
    let last = items.len().saturating_sub(1);
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let mut fields: Fields = decoder.fields(item, "paused")?;
            let from = fields
                .require(decoder, "from", "paused")
                .and_then(|n| decoder.timestamp(n, "from"));
            let to = match fields.get("to") {
                Some(n) => Some(decoder.timestamp(n, "to")),
                None if index == last && unresolved => None,
                None => {
                    let why = if index == last {
                        "the incident is resolved, so its last pause must end"
                    } else {
                        "only the last pause of an unresolved incident may still run"
                    };
                    decoder.push(
                        Diagnostic::error(
                            Rule::Schema,
                            decoder.file,
                            item.pos,
                            format!("missing required field `to` in `paused`: {why}"),
                        )
                        .with_help("give the time the clock started again"),
                    );
                    Some(None)
                }
            };
            let reason = fields.get("reason").and_then(|n| decoder.string(n, "reason"));
            if require_reason && reason.is_none() {
                decoder.push(
                    Diagnostic::error(
                        Rule::Schema,
                        decoder.file,
                        item.pos,
                        "missing required field `reason` in `paused`",
                    )
                    .with_help("svc.toml sets `[sla] require_pause_reason = true`: say why the clock stopped, e.g. `reason: awaiting-customer`"),
                );
            }
            fields.finish(decoder);
            let to = match to {
                Some(Some(to)) => Some(to),
                Some(None) => return None,
                None => None,
            };
            Some(Pause {
                pos: item.pos,
                from: from?,
                to,
                reason: reason.map(|r| r.value),
            })
        })
        .collect()
}

/// `external`: a mapping of text to text.
fn decode_external(decoder: &mut Decoder, node: &Node) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if decoder.fields(node, "external").is_none() {
        return out;
    }
    for (key, value) in node.as_map().unwrap_or_default() {
        let Some(name) = decoder.string(key, "external") else {
            continue;
        };
        let path = format!("external.{}", name.value);
        if let Some(text) = decoder.string(value, &path) {
            out.insert(name.value, text.value);
        }
    }
    out
}
