//! `kind: Service`: a service in the catalog and its lifecycle.

use chrono::{DateTime, FixedOffset};

use super::decode::{Decoder, Fields, Spanned};
use crate::yaml::Node;

/// Retirement reasons of SPEC §1.
pub const RETIREMENT_REASONS: [&str; 5] = [
    "contract-ended",
    "demand-changed",
    "regulatory",
    "replaced",
    "other",
];

/// A service record.
#[derive(Clone, Debug)]
pub struct Service {
    /// Lower-case kebab id, equal to the file stem.
    pub id: Spanned<String>,
    /// Display name (defaults to the id).
    pub name: Option<String>,
    /// Owning team.
    pub owner: Option<Spanned<String>>,
    /// 1 (most critical) to 4; default 3.
    pub tier: u8,
    /// SlaPolicy id.
    pub policy: Option<Spanned<String>>,
    /// Services this one depends on.
    pub depends_on: Vec<Spanned<String>>,
    /// Current lifecycle stage.
    pub stage: Spanned<String>,
    /// Stage history, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Retirement record, if any.
    pub retirement: Option<Retirement>,
    /// The whole document, for gates that name arbitrary dotted field paths.
    pub document: Node,
}

/// One entry of `lifecycle.history`.
#[derive(Clone, Debug)]
pub struct HistoryEntry {
    /// The stage entered.
    pub stage: Spanned<String>,
    /// When.
    pub at: Option<Spanned<DateTime<FixedOffset>>>,
    /// `at` exactly as written (offset and precision included), for display.
    pub at_text: Option<String>,
    /// Who.
    pub by: Option<String>,
    /// Why, if the entry says.
    pub note: Option<String>,
}

/// The `retirement` block.
#[derive(Clone, Debug)]
pub struct Retirement {
    /// One of [`RETIREMENT_REASONS`].
    pub reason: Option<Spanned<String>>,
    /// The successor service, when replaced.
    pub replaced_by: Option<Spanned<String>>,
    /// Where the data went (`data.migrated_to`).
    pub migrated_to: Option<String>,
    /// Where the data backup is kept (`data.backup`).
    pub backup: Option<String>,
    /// When the data was purged.
    pub purged_at: Option<Spanned<DateTime<FixedOffset>>>,
}

impl Service {
    /// When the service entered its current stage (the last history entry's time).
    pub fn stage_since(&self) -> Option<DateTime<FixedOffset>> {
        self.stage_entry()
            .and_then(|entry| entry.at.as_ref().map(|at| at.value))
    }

    /// The history entry that entered the current stage: the last one, when it
    /// names the current stage.
    pub fn stage_entry(&self) -> Option<&HistoryEntry> {
        self.history
            .last()
            .filter(|entry| entry.stage.value == self.stage.value)
    }
}

pub(super) fn decode(
    decoder: &mut Decoder,
    fields: &mut Fields,
    id: Spanned<String>,
    root: &Node,
) -> Option<Service> {
    let name = fields.get("name").and_then(|n| decoder.string(n, "name"));
    if let Some(n) = fields.get("description") {
        decoder.string(n, "description");
    }
    let owner = fields
        .require(decoder, "owner", "")
        .and_then(|n| decoder.string(n, "owner"));
    let tier = fields
        .get("tier")
        .and_then(|n| decoder.integer(n, "tier", 1, 4))
        .map_or(3, |t| t.value as u8);
    let policy = fields
        .get("policy")
        .and_then(|n| decoder.string(n, "policy"));
    let depends_on = fields
        .get("depends_on")
        .map(|n| decoder.strings(n, "depends_on"))
        .unwrap_or_default();
    if let Some(contacts) = fields.get("contacts") {
        decode_contacts(decoder, contacts);
    }
    if let Some(links) = fields.get("links") {
        decode_links(decoder, links);
    }
    let lifecycle = fields
        .require(decoder, "lifecycle", "")
        .and_then(|n| decode_lifecycle(decoder, n));
    let retirement = fields
        .get("retirement")
        .and_then(|n| decode_retirement(decoder, n));
    let (stage, history) = lifecycle?;
    Some(Service {
        id,
        name: name.map(|n| n.value),
        owner,
        tier,
        policy,
        depends_on,
        stage,
        history,
        retirement,
        document: root.clone(),
    })
}

fn decode_contacts(decoder: &mut Decoder, node: &Node) {
    let Some(mut fields) = decoder.fields(node, "contacts") else {
        return;
    };
    if let Some(n) = fields.get("oncall") {
        decoder.string(n, "contacts.oncall");
    }
    if let Some(n) = fields.get("escalation") {
        if n.as_str().is_some() {
            decoder.string(n, "contacts.escalation");
        } else {
            decoder.strings(n, "contacts.escalation");
        }
    }
    fields.finish(decoder);
}

/// Links are free-form names (runbook, dashboard, repo, docs, ...) to URLs; an
/// empty link is allowed (a new service's template leaves them to be filled in).
fn decode_links(decoder: &mut Decoder, node: &Node) {
    if decoder.fields(node, "links").is_none() {
        return;
    }
    for (key, value) in node.as_map().unwrap_or_default() {
        if !value.is_null() {
            decoder.string(value, &format!("links.{}", key.as_str().unwrap_or("?")));
        }
    }
}

fn decode_lifecycle(
    decoder: &mut Decoder,
    node: &Node,
) -> Option<(Spanned<String>, Vec<HistoryEntry>)> {
    let mut fields = decoder.fields(node, "lifecycle")?;
    let stage = fields
        .require(decoder, "stage", "lifecycle")
        .and_then(|n| decoder.string(n, "lifecycle.stage"));
    let history = match fields.get("history") {
        Some(list) => decoder
            .list(list, "lifecycle.history")
            .unwrap_or_default()
            .iter()
            .filter_map(|item| decode_history_entry(decoder, item))
            .collect(),
        None => Vec::new(),
    };
    fields.finish(decoder);
    Some((stage?, history))
}

fn decode_history_entry(decoder: &mut Decoder, node: &Node) -> Option<HistoryEntry> {
    let mut fields = decoder.fields(node, "lifecycle.history entry")?;
    let stage = fields
        .require(decoder, "stage", "history entry")
        .and_then(|n| decoder.string(n, "stage"));
    let at_node = fields.require(decoder, "at", "history entry");
    let at = at_node.and_then(|n| decoder.timestamp(n, "at"));
    let at_text = at_node
        .filter(|_| at.is_some())
        .and_then(Node::as_str)
        .map(|t| t.trim().to_string());
    let by = fields.get("by").and_then(|n| decoder.string(n, "by"));
    let note = fields.get("note").and_then(|n| decoder.string(n, "note"));
    fields.finish(decoder);
    Some(HistoryEntry {
        stage: stage?,
        at,
        at_text,
        by: by.map(|b| b.value),
        note: note.map(|n| n.value),
    })
}

fn decode_retirement(decoder: &mut Decoder, node: &Node) -> Option<Retirement> {
    let mut fields = decoder.fields(node, "retirement")?;
    let reason = fields
        .get("reason")
        .and_then(|n| decoder.one_of(n, "retirement.reason", &RETIREMENT_REASONS));
    let replaced_by = fields
        .get("replaced_by")
        .and_then(|n| decoder.string(n, "retirement.replaced_by"));
    if reason.as_ref().is_some_and(|r| r.value == "replaced") && replaced_by.is_none() {
        decoder.schema::<()>(
            reason.as_ref().map_or(fields.pos, |r| r.pos),
            "`retirement.replaced_by` is required when the reason is `replaced`",
        );
    }
    let (mut purged_at, mut migrated_to, mut backup) = (None, None, None);
    if let Some(data) = fields.get("data")
        && let Some(mut data_fields) = decoder.fields(data, "retirement.data")
    {
        migrated_to = data_fields
            .get("migrated_to")
            .and_then(|n| decoder.string(n, "migrated_to"))
            .map(|s| s.value);
        backup = data_fields
            .get("backup")
            .and_then(|n| decoder.string(n, "backup"))
            .map(|s| s.value);
        purged_at = data_fields
            .get("purged_at")
            .and_then(|n| decoder.timestamp(n, "purged_at"));
        data_fields.finish(decoder);
    }
    fields.finish(decoder);
    Some(Retirement {
        reason,
        replaced_by,
        migrated_to,
        backup,
        purged_at,
    })
}
