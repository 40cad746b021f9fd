//! `kind: Problem` (SPEC §7): the cause behind one or more incidents, and the
//! improvement actions that keep it from coming back. Its states and history are
//! the shared [`progress`](super::progress) machinery, like a change's.

use chrono::NaiveDate;

use super::decode::{Decoder, Fields, Invalid, Spanned};
use super::incident::Timestamp;
use super::progress::{self, Machine, Progress};
use crate::diagnostic::{Diagnostic, Rule};
use crate::yaml::{Node, Pos};

/// The states in order.
pub const STATES: [&str; 5] = ["new", "investigating", "known-error", "resolved", "closed"];

/// The problem state machine.
pub fn machine() -> Machine {
    Machine::linear(&STATES)
}

/// A problem record.
#[derive(Clone, Debug)]
pub struct Problem {
    /// Id, equal to the file stem.
    pub id: Spanned<String>,
    /// The service it affects.
    pub service: Option<Spanned<String>>,
    /// What the problem is.
    pub title: Option<Spanned<String>>,
    /// State and history.
    pub progress: Option<Progress>,
    /// The incidents it caused (Incident ids).
    pub incidents: Vec<Spanned<String>>,
    /// Why it happens.
    pub root_cause: Option<Spanned<String>>,
    /// How to live with it meanwhile.
    pub workaround: Option<Spanned<String>>,
    /// The change that fixes it.
    pub fix_change: Option<Spanned<String>>,
    /// Improvement actions.
    pub actions: Vec<Action>,
    /// The check that the fix works.
    pub verification: Option<Verification>,
    /// Where the record starts.
    pub pos: Pos,
    /// Required fields that are missing and fields that did not decode.
    pub invalid: Invalid,
}

/// One improvement action.
#[derive(Clone, Debug)]
pub struct Action {
    /// Where it was written.
    pub pos: Pos,
    /// `A1`, `A2`, ...
    pub id: Spanned<String>,
    /// What is to be done.
    pub title: Option<String>,
    /// Who does it.
    pub owner: Option<String>,
    /// By when (a local date in the repo time zone).
    pub due: Option<Spanned<NaiveDate>>,
    /// When it was done.
    pub done_at: Option<Spanned<Timestamp>>,
}

/// `verification: { at, by, note }`.
#[derive(Clone, Debug)]
pub struct Verification {
    /// Where it was written.
    pub pos: Pos,
    /// When the fix was verified.
    pub at: Option<Spanned<Timestamp>>,
    /// By whom.
    pub by: Option<String>,
    /// What was seen.
    pub note: Option<String>,
}

impl Action {
    /// True when the action is not done and `now` is at or past the local
    /// midnight after its `due` date in `tz` (SPEC §7).
    pub fn is_overdue(&self, now: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> bool {
        let Some(due) = &self.due else {
            return false;
        };
        self.done_at.is_none()
            && due
                .value
                .succ_opt()
                .is_some_and(|next| now >= crate::model::local_midnight(next, tz))
    }
}

impl Problem {
    /// The current state, when it decoded.
    pub fn state(&self) -> Option<&str> {
        self.progress.as_ref().map(|p| p.state.value.as_str())
    }

    /// True in any state but `closed`.
    pub fn is_open(&self) -> bool {
        self.state().is_some_and(|s| s != "closed")
    }

    /// True when the state is at or past `threshold`.
    pub fn reached(&self, threshold: &str) -> bool {
        self.state()
            .is_some_and(|s| machine().reached(s, threshold))
    }

    /// The service id, when it decoded.
    pub fn service_id(&self) -> Option<&str> {
        self.service.as_ref().map(|s| s.value.as_str())
    }

    /// Actions not yet done.
    pub fn open_actions(&self) -> impl Iterator<Item = &Action> {
        self.actions.iter().filter(|a| a.done_at.is_none())
    }
}

pub(super) fn decode(decoder: &mut Decoder, fields: &mut Fields, id: Spanned<String>) -> Problem {
    let pos = fields.pos;
    let service = fields.required(decoder, "service", |d, n| d.non_empty_string(n, "service"));
    let title = fields.required(decoder, "title", |d, n| d.non_empty_string(n, "title"));
    let progress = progress::decode_fixed(decoder, fields, &STATES);
    let incidents = fields
        .decode(decoder, "incidents", |d, n| {
            Some(d.non_empty_strings(n, "incidents"))
        })
        .unwrap_or_default();
    let mut text = |key: &'static str| fields.decode(decoder, key, |d, n| d.string(n, key));
    let root_cause = text("root_cause").filter(|t| !t.trim().is_empty());
    let workaround = text("workaround").filter(|t| !t.trim().is_empty());
    text("description");
    let fix_change = fields.decode(decoder, "fix_change", |d, n| {
        d.non_empty_string(n, "fix_change")
    });
    let actions = fields
        .decode(decoder, "actions", |d, n| Some(decode_actions(d, n)))
        .unwrap_or_default();
    let verification = fields.decode(decoder, "verification", decode_verification);
    Problem {
        id,
        service,
        title,
        progress,
        incidents,
        root_cause,
        workaround,
        fix_change,
        actions,
        verification,
        pos,
        invalid: fields.invalid(),
    }
}

fn decode_actions(decoder: &mut Decoder, node: &Node) -> Vec<Action> {
    let items = decoder.list(node, "actions").unwrap_or_default();
    let mut actions: Vec<Action> = Vec::with_capacity(items.len());
    for item in items {
        let Some(mut fields) = decoder.fields(item, "action") else {
            continue;
        };
        let id = fields
            .require(decoder, "id", "action")
            .and_then(|n| decoder.non_empty_string(n, "id"));
        let title = fields
            .require(decoder, "title", "action")
            .and_then(|n| decoder.non_empty_string(n, "title"));
        let owner = fields
            .require(decoder, "owner", "action")
            .and_then(|n| decoder.non_empty_string(n, "owner"));
        let due = fields
            .require(decoder, "due", "action")
            .and_then(|n| decoder.date(n, "due"));
        let done_at = fields
            .get("done_at")
            .and_then(|n| decoder.timestamp(n, "done_at"));
        fields.finish(decoder);
        let Some(id) = id else {
            continue;
        };
        if let Some(first) = actions.iter().find(|a| a.id.value == id.value) {
            decoder.push(
                Diagnostic::error(
                    Rule::Schema,
                    decoder.file,
                    id.pos,
                    format!(
                        "action id `{}` is used twice (first on line {})",
                        id.value,
                        first.id.pos.line + 1
                    ),
                )
                .with_help("give each action its own id (`A1`, `A2`, ...)"),
            );
        }
        actions.push(Action {
            pos: item.pos,
            id,
            title: title.map(|t| t.value),
            owner: owner.map(|o| o.value),
            due,
            done_at,
        });
    }
    actions
}

fn decode_verification(decoder: &mut Decoder, node: &Node) -> Option<Verification> {
    let mut fields = decoder.fields(node, "verification")?;
    let at = fields
        .require(decoder, "at", "verification")
        .and_then(|n| decoder.timestamp(n, "verification.at"));
    let by = fields.get("by").and_then(|n| decoder.string(n, "by"));
    let note = fields.get("note").and_then(|n| decoder.string(n, "note"));
    fields.finish(decoder);
    Some(Verification {
        pos: node.pos,
        at,
        by: by.map(|b| b.value),
        note: note.map(|n| n.value),
    })
}
