//! `kind: Change` (SPEC §6): a change to a service, recorded before it happens and
//! closed after it is verified. Its states and history are the shared
//! [`progress`](super::progress) machinery; what is particular to a change is data:
//! its states, type, risk, window, plans, approvals and outcome.

use super::decode::{Decoder, Fields, Invalid, Spanned};
use super::incident::Timestamp;
use super::progress::{self, Machine, Progress};
use crate::yaml::{Node, Pos};

/// Change types: `standard` (pre-approved, low risk), `normal`, `emergency`.
pub const TYPES: [&str; 3] = ["standard", "normal", "emergency"];
/// Risk levels.
pub const RISKS: [&str; 3] = ["low", "medium", "high"];
/// Outcomes of an implemented change.
pub const OUTCOMES: [&str; 3] = ["successful", "failed", "rolled-back"];
/// The states in order; `cancelled` ends a change that was not implemented.
pub const STATES: [&str; 7] = [
    "requested",
    "approved",
    "scheduled",
    "implemented",
    "reviewed",
    "closed",
    "cancelled",
];
/// States in which a change is **open** (SPEC §6).
pub const OPEN_STATES: [&str; 3] = ["requested", "approved", "scheduled"];

/// The change state machine: `cancelled` shares `implemented`'s rank, so it may
/// follow any open state but nothing that was implemented, and ends the change.
pub fn machine() -> Machine {
    let ranks = [0, 1, 2, 3, 4, 5, 3];
    Machine {
        states: STATES
            .iter()
            .zip(ranks)
            .map(|(state, rank)| (state.to_string(), rank))
            .collect(),
        finals: vec!["closed".into(), "cancelled".into()],
    }
}

/// A change record.
#[derive(Clone, Debug)]
pub struct Change {
    /// Id, equal to the file stem.
    pub id: Spanned<String>,
    /// The service changed.
    pub service: Option<Spanned<String>>,
    /// What is changed.
    pub title: Option<Spanned<String>>,
    /// One of [`TYPES`]; `normal` when not written.
    pub change_type: Spanned<String>,
    /// One of [`RISKS`]; `medium` when not written.
    pub risk: Spanned<String>,
    /// State and history.
    pub progress: Option<Progress>,
    /// The planned implementation window.
    pub window: Option<ChangeWindow>,
    /// How to undo it.
    pub rollback_plan: Option<Spanned<String>>,
    /// How to tell it worked.
    pub verification_plan: Option<Spanned<String>>,
    /// Approvals, in the order written.
    pub approvals: Vec<Approval>,
    /// When it was really carried out.
    pub implemented: Option<Implemented>,
    /// One of [`OUTCOMES`].
    pub outcome: Option<Spanned<String>>,
    /// Why it was cancelled (`svc change cancel --reason`).
    pub cancel_reason: Option<String>,
    /// Where the record starts (for record-wide diagnostics).
    pub pos: Pos,
    /// Required fields that are missing and fields that did not decode.
    pub invalid: Invalid,
}

/// `window: { start, end }`.
#[derive(Clone, Debug)]
pub struct ChangeWindow {
    /// Where `window` was written.
    pub pos: Pos,
    /// Planned start.
    pub start: Option<Spanned<Timestamp>>,
    /// Planned end.
    pub end: Option<Spanned<Timestamp>>,
}

impl ChangeWindow {
    /// Start and end, when both decoded and the window does not end first.
    pub fn span(&self) -> Option<(Timestamp, Timestamp)> {
        let (start, end) = (self.start.as_ref()?.value, self.end.as_ref()?.value);
        (start <= end).then_some((start, end))
    }
}

/// One approval.
#[derive(Clone, Debug)]
pub struct Approval {
    /// Where it was written.
    pub pos: Pos,
    /// Who approved.
    pub by: Option<Spanned<String>>,
    /// When.
    pub at: Option<Spanned<Timestamp>>,
    /// A note (e.g. the CAB meeting).
    pub note: Option<String>,
}

/// `implemented: { start, end }`.
#[derive(Clone, Debug)]
pub struct Implemented {
    /// Where `implemented` was written.
    pub pos: Pos,
    /// When the work began.
    pub start: Option<Spanned<Timestamp>>,
    /// When it ended.
    pub end: Option<Spanned<Timestamp>>,
}

impl Change {
    /// The current state, when it decoded.
    pub fn state(&self) -> Option<&str> {
        self.progress.as_ref().map(|p| p.state.value.as_str())
    }

    /// True in `requested`, `approved` or `scheduled`.
    pub fn is_open(&self) -> bool {
        self.state().is_some_and(|s| OPEN_STATES.contains(&s))
    }

    /// True when the change was cancelled (exempt from the `change-*` rules).
    pub fn is_cancelled(&self) -> bool {
        self.state() == Some("cancelled")
    }

    /// True when its state is at or past `threshold` (a cancelled change is
    /// never past anything).
    pub fn reached(&self, threshold: &str) -> bool {
        !self.is_cancelled()
            && self
                .state()
                .is_some_and(|s| machine().reached(s, threshold))
    }

    /// `implemented.start`, when written.
    pub fn implemented_start(&self) -> Option<Timestamp> {
        self.implemented
            .as_ref()
            .and_then(|i| i.start.as_ref())
            .map(|s| s.value)
    }

    /// `implemented.end`, when written.
    pub fn implemented_end(&self) -> Option<Timestamp> {
        self.implemented
            .as_ref()
            .and_then(|i| i.end.as_ref())
            .map(|s| s.value)
    }

    /// The service id, when it decoded.
    pub fn service_id(&self) -> Option<&str> {
        self.service.as_ref().map(|s| s.value.as_str())
    }
}

pub(super) fn decode(decoder: &mut Decoder, fields: &mut Fields, id: Spanned<String>) -> Change {
    let pos = fields.pos;
    let service = fields.required(decoder, "service", |d, n| d.non_empty_string(n, "service"));
    let title = fields.required(decoder, "title", |d, n| d.non_empty_string(n, "title"));
    let change_type = fields
        .decode(decoder, "type", |d, n| d.one_of(n, "type", &TYPES))
        .unwrap_or_else(|| Spanned::new("normal".into(), pos));
    let risk = fields
        .decode(decoder, "risk", |d, n| d.one_of(n, "risk", &RISKS))
        .unwrap_or_else(|| Spanned::new("medium".into(), pos));
    let progress = progress::decode_fixed(decoder, fields, &STATES);
    let window = fields.decode(decoder, "window", |d, n| {
        let (pos, start, end) = decode_span(d, n, "window", "start", "end")?;
        Some(ChangeWindow { pos, start, end })
    });
    let mut text = |key: &'static str| fields.decode(decoder, key, |d, n| d.string(n, key));
    let rollback_plan = text("rollback_plan").filter(|t| !t.trim().is_empty());
    let verification_plan = text("verification_plan").filter(|t| !t.trim().is_empty());
    let cancel_reason = text("cancel_reason").map(|t| t.value);
    text("description");
    let approvals = fields
        .decode(decoder, "approvals", |d, n| Some(decode_approvals(d, n)))
        .unwrap_or_default();
    let implemented = fields.decode(decoder, "implemented", |d, n| {
        let (pos, start, end) = decode_span(d, n, "implemented", "start", "end")?;
        Some(Implemented { pos, start, end })
    });
    let outcome = fields.decode(decoder, "outcome", |d, n| d.one_of(n, "outcome", &OUTCOMES));
    Change {
        id,
        service,
        title,
        change_type,
        risk,
        progress,
        window,
        rollback_plan,
        verification_plan,
        approvals,
        implemented,
        outcome,
        cancel_reason,
        pos,
        invalid: fields.invalid(),
    }
}

/// A `{ start, end }` mapping whose two timestamps are each optional here (the
/// rules say when one is required).
type Span = (Pos, Option<Spanned<Timestamp>>, Option<Spanned<Timestamp>>);

fn decode_span(
    decoder: &mut Decoder,
    node: &Node,
    key: &str,
    start_key: &'static str,
    end_key: &'static str,
) -> Option<Span> {
    let mut fields = decoder.fields(node, key)?;
    let start = fields
        .get(start_key)
        .and_then(|n| decoder.timestamp(n, &format!("{key}.{start_key}")));
    let end = fields
        .get(end_key)
        .and_then(|n| decoder.timestamp(n, &format!("{key}.{end_key}")));
    fields.finish(decoder);
    Some((node.pos, start, end))
}

fn decode_approvals(decoder: &mut Decoder, node: &Node) -> Vec<Approval> {
    let items = decoder.list(node, "approvals").unwrap_or_default();
    items
        .iter()
        .filter_map(|item| {
            let mut fields = decoder.fields(item, "approval")?;
            let by = fields
                .require(decoder, "by", "approval")
                .and_then(|n| decoder.non_empty_string(n, "by"));
            let at = fields
                .require(decoder, "at", "approval")
                .and_then(|n| decoder.timestamp(n, "at"));
            let note = fields.get("note").and_then(|n| decoder.string(n, "note"));
            fields.finish(decoder);
            Some(Approval {
                pos: item.pos,
                by,
                at,
                note: note.map(|n| n.value),
            })
        })
        .collect()
}
