//! `kind: Incident`: one incident with its timestamps, pauses and outages.

use chrono::{DateTime, FixedOffset};

use super::decode::{Decoder, Fields, Spanned};
use crate::yaml::{Node, Pos};

/// Statuses, derived from the timestamps (SPEC §1).
pub const STATUSES: [&str; 4] = ["open", "acknowledged", "resolved", "closed"];

/// A timestamp as written: the instant plus the offset it was written in.
pub type Timestamp = DateTime<FixedOffset>;

/// An incident record.
#[derive(Clone, Debug)]
pub struct Incident {
    /// Id, equal to the file stem.
    pub id: Spanned<String>,
    /// Service id.
    pub service: Spanned<String>,
    /// Priority, a key of the policy's targets.
    pub priority: Spanned<String>,
    /// When it was opened.
    pub opened_at: Spanned<Timestamp>,
    /// First response.
    pub acknowledged_at: Option<Spanned<Timestamp>>,
    /// Resolution.
    pub resolved_at: Option<Spanned<Timestamp>>,
    /// Closure.
    pub closed_at: Option<Spanned<Timestamp>>,
    /// The status as written, if any (must agree with the timestamps).
    pub status: Option<Spanned<String>>,
    /// Clock-stopped windows.
    pub paused: Vec<Window>,
    /// Windows in which the service was down.
    pub outage: Vec<Window>,
    /// 1..5.
    pub satisfaction: Option<u8>,
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

impl Incident {
    /// The status the timestamps imply.
    pub fn derived_status(&self) -> &'static str {
        if self.closed_at.is_some() {
            "closed"
        } else if self.resolved_at.is_some() {
            "resolved"
        } else if self.acknowledged_at.is_some() {
            "acknowledged"
        } else {
            "open"
        }
    }

    /// The first response: `acknowledged_at`, else `resolved_at` (SPEC §1).
    pub fn effective_acknowledgement(&self) -> Option<Timestamp> {
        self.acknowledged_at
            .as_ref()
            .or(self.resolved_at.as_ref())
            .map(|t| t.value)
    }
}

pub(super) fn decode(
    decoder: &mut Decoder,
    fields: &mut Fields,
    id: Spanned<String>,
) -> Option<Incident> {
    let service = fields
        .require(decoder, "service", "")
        .and_then(|n| decoder.non_empty_string(n, "service"));
    if let Some(n) = fields.require(decoder, "title", "") {
        decoder.non_empty_string(n, "title");
    }
    let priority = fields
        .require(decoder, "priority", "")
        .and_then(|n| decoder.non_empty_string(n, "priority"));
    let opened_at = fields
        .require(decoder, "opened_at", "")
        .and_then(|n| decoder.timestamp(n, "opened_at"));
    let mut optional_time =
        |key: &'static str| fields.get(key).and_then(|n| decoder.timestamp(n, key));
    let acknowledged_at = optional_time("acknowledged_at");
    let resolved_at = optional_time("resolved_at");
    let closed_at = optional_time("closed_at");
    let status = fields
        .get("status")
        .and_then(|n| decoder.one_of(n, "status", &STATUSES));
    let paused = fields
        .get("paused")
        .map(|n| decode_windows(decoder, n, "paused", &["reason"]))
        .unwrap_or_default();
    let outage = fields
        .get("outage")
        .map(|n| decode_windows(decoder, n, "outage", &["note"]))
        .unwrap_or_default();
    let satisfaction = fields
        .get("satisfaction")
        .and_then(|n| decoder.integer(n, "satisfaction", 1, 5))
        .map(|s| s.value as u8);
    for key in [
        "root_cause",
        "postmortem",
        "description",
        "reporter",
        "assignee",
    ] {
        if let Some(n) = fields.get(key) {
            decoder.string(n, key);
        }
    }
    Some(Incident {
        id,
        service: service?,
        priority: priority?,
        opened_at: opened_at?,
        acknowledged_at,
        resolved_at,
        closed_at,
        status,
        paused,
        outage,
        satisfaction,
    })
}

fn decode_windows(
    decoder: &mut Decoder,
    node: &Node,
    key: &str,
    extra: &[&'static str],
) -> Vec<Window> {
    let items = decoder.list(node, key).unwrap_or_default();
    items
        .iter()
        .filter_map(|item| {
            let mut fields: Fields = decoder.fields(item, key)?;
            let from = fields
                .require(decoder, "from", key)
                .and_then(|n| decoder.timestamp(n, "from"));
            let to = fields
                .require(decoder, "to", key)
                .and_then(|n| decoder.timestamp(n, "to"));
            for extra_key in extra {
                if let Some(n) = fields.get(extra_key) {
                    decoder.string(n, extra_key);
                }
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
