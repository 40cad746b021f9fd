//! `kind: Service`: a service in the catalog and its lifecycle.

use chrono::{DateTime, FixedOffset};

use super::decode::{Decoder, Fields, Invalid, Spanned};
pub use super::progress::HistoryEntry;
use super::progress::{self, Layout, Progress};
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
    /// Who is called.
    pub contacts: Contacts,
    /// `links`, in the order written: name and URL (`None` when left empty).
    pub links: Vec<(Spanned<String>, Option<String>)>,
    /// Stage and history; `None` when `lifecycle` or its stage is missing or broken.
    pub lifecycle: Option<Progress>,
    /// Retirement record, if any.
    pub retirement: Option<Retirement>,
    /// The whole document, for gates that name arbitrary dotted field paths.
    pub document: Node,
    /// Required fields that are missing and fields that did not decode.
    pub invalid: Invalid,
}

/// `contacts`.
#[derive(Clone, Debug, Default)]
pub struct Contacts {
    /// The on-call address.
    pub oncall: Option<String>,
    /// Who is told next, in order.
    pub escalation: Vec<String>,
}

/// The link names svc knows (gates, `svc show`): a key under `links` close to
/// one of them is probably misspelt (rule `unknown-link`).
pub const KNOWN_LINKS: [&str; 5] = ["runbook", "dashboard", "repo", "docs", "status"];

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
    /// The current lifecycle stage, when it decoded.
    pub fn stage(&self) -> Option<&Spanned<String>> {
        self.lifecycle.as_ref().map(|l| &l.state)
    }

    /// The current stage's name, when it decoded.
    pub fn stage_name(&self) -> Option<&str> {
        self.stage().map(|s| s.value.as_str())
    }

    /// The stage history, oldest first (empty when `lifecycle` did not decode).
    pub fn history(&self) -> &[HistoryEntry] {
        self.lifecycle
            .as_ref()
            .map_or(&[], |l| l.history.as_slice())
    }

    /// When the service entered its current stage (the last history entry's time).
    pub fn stage_since(&self) -> Option<DateTime<FixedOffset>> {
        self.lifecycle.as_ref().and_then(Progress::since)
    }

    /// The history entry that entered the current stage: the last one, when it
    /// names the current stage.
    pub fn stage_entry(&self) -> Option<&HistoryEntry> {
        self.lifecycle.as_ref().and_then(Progress::entry)
    }

    /// True when the service is in `terminal` (the configured last stage).
    pub fn is_in(&self, stage: &str) -> bool {
        self.stage_name() == Some(stage)
    }

    /// The URL of link `name`, when given and not empty.
    pub fn link(&self, name: &str) -> Option<&str> {
        self.links
            .iter()
            .find(|(key, _)| key.value == name)
            .and_then(|(_, url)| url.as_deref())
            .filter(|url| !url.trim().is_empty())
    }
}

pub(super) fn decode(
    decoder: &mut Decoder,
    fields: &mut Fields,
    id: Spanned<String>,
    root: &Node,
) -> Service {
    let name = fields.decode(decoder, "name", |d, n| d.string(n, "name"));
    fields.decode(decoder, "description", |d, n| d.string(n, "description"));
    let owner = fields.required(decoder, "owner", |d, n| d.non_empty_string(n, "owner"));
    let tier = fields
        .decode(decoder, "tier", |d, n| d.integer(n, "tier", 1, 4))
        .map_or(3, |t| u8::try_from(t.value).unwrap_or(3));
    let policy = fields.decode(decoder, "policy", |d, n| d.non_empty_string(n, "policy"));
    let depends_on = fields
        .decode(decoder, "depends_on", |d, n| {
            Some(d.non_empty_strings(n, "depends_on"))
        })
        .unwrap_or_default();
    let contacts = fields
        .decode(decoder, "contacts", decode_contacts)
        .unwrap_or_default();
    let links = fields
        .decode(decoder, "links", decode_links)
        .unwrap_or_default();
    let lifecycle = fields.required(decoder, "lifecycle", decode_lifecycle);
    let retirement = fields.decode(decoder, "retirement", |d, n| decode_retirement(d, n, &id));
    Service {
        id,
        name: name.map(|n| n.value),
        owner,
        tier,
        policy,
        depends_on,
        contacts,
        links,
        lifecycle,
        retirement,
        document: root.clone(),
        invalid: fields.invalid(),
    }
}

fn decode_contacts(decoder: &mut Decoder, node: &Node) -> Option<Contacts> {
    let mut fields = decoder.fields(node, "contacts")?;
    let oncall = fields
        .get("oncall")
        .and_then(|n| decoder.string(n, "contacts.oncall"))
        .map(|s| s.value);
    let escalation = match fields.get("escalation") {
        Some(n) if n.as_str().is_some() => decoder
            .string(n, "contacts.escalation")
            .map(|s| vec![s.value])
            .unwrap_or_default(),
        Some(n) => decoder
            .strings(n, "contacts.escalation")
            .into_iter()
            .map(|s| s.value)
            .collect(),
        None => Vec::new(),
    };
    fields.finish(decoder);
    Some(Contacts { oncall, escalation })
}

/// Links are free-form names (runbook, dashboard, repo, docs, ...) to URLs; an
/// empty link is allowed (a new service's template leaves them to be filled in).
fn decode_links(
    decoder: &mut Decoder,
    node: &Node,
) -> Option<Vec<(Spanned<String>, Option<String>)>> {
    decoder.fields(node, "links")?;
    let mut links = Vec::new();
    for (key, value) in node.as_map().unwrap_or_default() {
        let Some(name) = decoder.string(key, "links") else {
            continue;
        };
        let url = if value.is_null() {
            None
        } else {
            decoder
                .string(value, &format!("links.{}", name.value))
                .map(|u| u.value)
        };
        links.push((name, url));
    }
    Some(links)
}

fn decode_lifecycle(decoder: &mut Decoder, node: &Node) -> Option<Progress> {
    let mut fields = decoder.fields(node, "lifecycle")?;
    let (state, history) = progress::decode(decoder, &mut fields, Layout::SERVICE, "lifecycle");
    fields.finish(decoder);
    Some(Progress {
        state: state?,
        history,
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
