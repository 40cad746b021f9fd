//! `kind: Service`: a service in the catalog and its lifecycle.

use chrono::{DateTime, FixedOffset};

use super::decode::{Decoder, Fields, Spanned};
use crate::diagnostic::{Diagnostic, Rule};
use crate::yaml::Node;

/// Retirement reasons of SPEC §1.
pub const RETIREMENT_REASONS: [&str; 5] = [
    "contract-ended",
    "demand-changed",
    "regulatory",
    "replaced",
    "other",
];

/// The fields a Service may have.
pub const FIELDS: [&str; 13] = [
    "apiVersion",
    "kind",
    "id",
    "name",
    "description",
    "owner",
    "tier",
    "policy",
    "depends_on",
    "contacts",
    "links",
    "lifecycle",
    "retirement",
];

/// What may lie below a dotted field path of a Service.
enum Below {
    /// A mapping with these fields.
    Fields(&'static [&'static str]),
    /// A mapping with free-form keys whose values are plain values (`links`).
    AnyKey,
    /// A plain value or a list: no dotted path goes further.
    Nothing,
}

fn below(parent: &str) -> Below {
    match parent {
        "" => Below::Fields(&FIELDS),
        "contacts" => Below::Fields(&["oncall", "escalation"]),
        "lifecycle" => Below::Fields(&["stage", "history"]),
        "retirement" => Below::Fields(&["reason", "replaced_by", "data"]),
        "retirement.data" => Below::Fields(&["migrated_to", "backup", "purged_at"]),
        "links" => Below::AnyKey,
        _ => Below::Nothing,
    }
}

/// Why the dotted `path` (a gate's `require` entry) can never name a value of a
/// Service, with a did-you-mean when one is close; `None` when it can.
pub fn field_path_problem(path: &str) -> Option<(String, Option<String>)> {
    let mut parent = String::new();
    let mut free_form = false;
    for segment in path.split('.') {
        if segment.is_empty() {
            return Some((
                "is not a dotted field path like `contacts.oncall`".to_string(),
                None,
            ));
        }
        let shape = if free_form {
            Below::Nothing
        } else {
            below(&parent)
        };
        match shape {
            Below::Fields(fields) if !fields.contains(&segment) => {
                let within = if parent.is_empty() {
                    "a Service field".to_string()
                } else {
                    format!("a field of `{parent}`")
                };
                let help = crate::diagnostic::did_you_mean(segment, fields.iter().copied())
                    .map(|best| format!("did you mean `{best}`?"))
                    .or_else(|| Some(format!("expected one of: {}", fields.join(", "))));
                return Some((
                    format!("can never exist on a Service: `{segment}` is not {within}"),
                    help,
                ));
            }
            Below::Fields(_) => {}
            Below::AnyKey => free_form = true,
            Below::Nothing => {
                return Some((
                    format!("can never exist on a Service: `{parent}` holds a value, not fields"),
                    None,
                ));
            }
        }
        if !parent.is_empty() {
            parent.push('.');
        }
        parent.push_str(segment);
    }
    None
}

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
        .and_then(|n| decoder.non_empty_string(n, "owner"));
    let tier = fields
        .get("tier")
        .and_then(|n| decoder.integer(n, "tier", 1, 4))
        .map_or(3, |t| t.value as u8);
    let policy = fields
        .get("policy")
        .and_then(|n| decoder.non_empty_string(n, "policy"));
    let depends_on = fields
        .get("depends_on")
        .map(|n| decoder.non_empty_strings(n, "depends_on"))
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
        .and_then(|n| decode_retirement(decoder, n, &id));
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
        .and_then(|n| decoder.non_empty_string(n, "lifecycle.stage"));
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
        .and_then(|n| decoder.non_empty_string(n, "stage"));
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

fn decode_retirement(
    decoder: &mut Decoder,
    node: &Node,
    id: &Spanned<String>,
) -> Option<Retirement> {
    let mut fields = decoder.fields(node, "retirement")?;
    let reason = fields
        .get("reason")
        .and_then(|n| decoder.one_of(n, "retirement.reason", &RETIREMENT_REASONS));
    let replaced_by_node = fields.get("replaced_by");
    let replaced_by =
        replaced_by_node.and_then(|n| decoder.non_empty_string(n, "retirement.replaced_by"));
    if let Some(successor) = &replaced_by
        && successor.value == id.value
    {
        decoder.push(
            Diagnostic::error(
                Rule::Schema,
                decoder.file,
                successor.pos,
                format!(
                    "`retirement.replaced_by` names the service itself (`{}`)",
                    successor.value
                ),
            )
            .with_help("name the service that took over, or choose another `reason`"),
        );
    }
    if reason.as_ref().is_some_and(|r| r.value == "replaced") && replaced_by_node.is_none() {
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
