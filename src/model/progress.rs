//! What every record with a life of its own shares: a current state (a service's
//! lifecycle stage, a change's or a problem's state), a history of the states it
//! entered, and the ordered list of states it may pass through. A service, a change
//! and a problem differ here only in data — where the state and the history are
//! written, what a history entry calls its state, and which states exist — so one
//! decoder, one `history` rule and one transition planner serve all three.

use chrono::{DateTime, FixedOffset};

use super::decode::{Decoder, Fields, Spanned};
use crate::yaml::Node;

/// The current state and the history of one record.
#[derive(Clone, Debug)]
pub struct Progress {
    /// The current stage or state.
    pub state: Spanned<String>,
    /// The states entered, oldest first.
    pub history: Vec<HistoryEntry>,
}

impl Progress {
    /// When the record entered its current state: the last history entry's time,
    /// when that entry names the current state.
    pub fn since(&self) -> Option<DateTime<FixedOffset>> {
        self.entry()
            .and_then(|entry| entry.at.as_ref().map(|at| at.value))
    }

    /// The history entry that entered the current state.
    pub fn entry(&self) -> Option<&HistoryEntry> {
        self.history
            .last()
            .filter(|entry| entry.state.value == self.state.value)
    }

    /// The first history entry's time (when the record was created).
    pub fn created(&self) -> Option<DateTime<FixedOffset>> {
        self.history
            .first()
            .and_then(|entry| entry.at.as_ref())
            .map(|at| at.value)
    }

    /// The latest history time, whatever the order entries were written in.
    pub fn latest(&self) -> Option<DateTime<FixedOffset>> {
        self.history
            .iter()
            .filter_map(|entry| entry.at.as_ref())
            .map(|at| at.value)
            .max()
    }
}

/// One history entry: `{ stage: ..., at: ..., by: ..., note: ... }` (or `state:`).
#[derive(Clone, Debug)]
pub struct HistoryEntry {
    /// The state entered.
    pub state: Spanned<String>,
    /// When.
    pub at: Option<Spanned<DateTime<FixedOffset>>>,
    /// `at` exactly as written (offset and precision included), for display.
    pub at_text: Option<String>,
    /// Who.
    pub by: Option<String>,
    /// Why, if the entry says.
    pub note: Option<String>,
}

/// Where a kind writes its state and history, and what it calls them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// The mapping that holds both (`lifecycle` for a service), or `None` when
    /// they are top-level fields of the record.
    pub parent: Option<&'static str>,
    /// The key of the current state (`stage` or `state`).
    pub state_key: &'static str,
    /// The key of a history entry's state (`stage` or `state`).
    pub entry_key: &'static str,
}

impl Layout {
    /// A service's `lifecycle: { stage, history: [{ stage, ... }] }`.
    pub const SERVICE: Layout = Layout {
        parent: Some("lifecycle"),
        state_key: "stage",
        entry_key: "stage",
    };
    /// A change's or a problem's top-level `state` and `history: [{ state, ... }]`.
    pub const RECORD: Layout = Layout {
        parent: None,
        state_key: "state",
        entry_key: "state",
    };

    /// The dotted path of the state (`lifecycle.stage`, `state`).
    pub fn state_path(&self) -> String {
        self.path(self.state_key)
    }

    /// The dotted path of the history (`lifecycle.history`, `history`).
    pub fn history_path(&self) -> String {
        self.path("history")
    }

    fn path(&self, key: &str) -> String {
        match self.parent {
            Some(parent) => format!("{parent}.{key}"),
            None => key.to_string(),
        }
    }
}

/// The states a kind passes through, in order, and those nothing leaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Machine {
    /// Every state, each with its rank: a move must go to a higher rank. Two
    /// states may share a rank (a change is `cancelled` instead of `implemented`).
    pub states: Vec<(String, u8)>,
    /// States that end the record: nothing moves out of them.
    pub finals: Vec<String>,
}

impl Machine {
    /// A machine whose states follow one another in `order`, the last one final.
    pub fn linear<S: AsRef<str>>(order: &[S]) -> Machine {
        Machine {
            states: order
                .iter()
                .enumerate()
                .map(|(rank, s)| {
                    (
                        s.as_ref().to_string(),
                        u8::try_from(rank).unwrap_or(u8::MAX),
                    )
                })
                .collect(),
            finals: order
                .last()
                .map(|s| vec![s.as_ref().to_string()])
                .unwrap_or_default(),
        }
    }

    /// The rank of `state`, if it is one of the machine's states.
    pub fn rank(&self, state: &str) -> Option<u8> {
        self.states
            .iter()
            .find(|(name, _)| name == state)
            .map(|(_, rank)| *rank)
    }

    /// True when nothing leaves `state`.
    pub fn is_final(&self, state: &str) -> bool {
        self.finals.iter().any(|f| f == state)
    }

    /// The state names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.states.iter().map(|(name, _)| name.as_str())
    }

    /// The first state (where a new record starts).
    pub fn first(&self) -> &str {
        self.states.first().map_or("", |(name, _)| name.as_str())
    }

    /// True when `from` may be followed by `to` in a history: a higher rank, and
    /// `from` not final.
    pub fn may_follow(&self, from: &str, to: &str) -> bool {
        match (self.rank(from), self.rank(to)) {
            (Some(a), Some(b)) => b > a && !self.is_final(from),
            _ => true,
        }
    }

    /// True when `state` is at or past `threshold` in the order (a final state
    /// that shares no rank with the threshold's path counts by its rank too).
    pub fn reached(&self, state: &str, threshold: &str) -> bool {
        match (self.rank(state), self.rank(threshold)) {
            (Some(a), Some(b)) => a >= b,
            _ => false,
        }
    }
}

/// Decodes a state and its history from `fields` (the record's top level, or the
/// `lifecycle` mapping), laid out as `layout` says. `within` names the mapping in
/// messages. Returns `None` when the state is missing or malformed; the history
/// entries that decode are kept either way.
pub fn decode(
    decoder: &mut Decoder,
    fields: &mut Fields,
    layout: Layout,
    within: &str,
) -> (Option<Spanned<String>>, Vec<HistoryEntry>) {
    let state_path = layout.state_path();
    let state = fields
        .require(decoder, layout.state_key, within)
        .and_then(|n| decoder.non_empty_string(n, &state_path));
    let history_path = layout.history_path();
    let history = match fields.get("history") {
        Some(list) => decoder
            .list(list, &history_path)
            .unwrap_or_default()
            .iter()
            .filter_map(|item| decode_entry(decoder, item, layout, &history_path))
            .collect(),
        None => Vec::new(),
    };
    (state, history)
}

/// [`decode`] for a kind whose states are the fixed list `states` (a change, a
/// problem): a state outside it is a `schema` error with a did-you-mean, and
/// the record then has no [`Progress`] (`state` is marked invalid).
pub fn decode_fixed(
    decoder: &mut Decoder,
    fields: &mut Fields,
    states: &[&str],
) -> Option<Progress> {
    let (state, history) = decode(decoder, fields, Layout::RECORD, "");
    match state {
        Some(state) if states.contains(&state.value.as_str()) => Some(Progress { state, history }),
        other => {
            if let Some(state) = other {
                decoder.push(
                    crate::diagnostic::Diagnostic::error(
                        crate::diagnostic::Rule::Schema,
                        decoder.file,
                        state.pos,
                        format!(
                            "`state` must be one of {}, found `{}`",
                            states.join(", "),
                            state.value
                        ),
                    )
                    .with_suggestion(&state.value, states.iter().copied()),
                );
            }
            fields.mark_invalid("state");
            None
        }
    }
}

fn decode_entry(
    decoder: &mut Decoder,
    node: &Node,
    layout: Layout,
    history_path: &str,
) -> Option<HistoryEntry> {
    let mut fields = decoder.fields(node, &format!("{history_path} entry"))?;
    let state = fields
        .require(decoder, layout.entry_key, "history entry")
        .and_then(|n| decoder.non_empty_string(n, layout.entry_key));
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
        state: state?,
        at,
        at_text,
        by: by.map(|b| b.value),
        note: note.map(|n| n.value),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_final_state_ends_the_order() {
        let machine = Machine {
            states: vec![
                ("requested".into(), 0),
                ("approved".into(), 1),
                ("implemented".into(), 2),
                ("cancelled".into(), 2),
            ],
            finals: vec!["cancelled".into()],
        };
        assert!(machine.may_follow("requested", "implemented"));
        assert!(machine.may_follow("approved", "cancelled"));
        assert!(!machine.may_follow("implemented", "cancelled"));
        assert!(!machine.may_follow("cancelled", "implemented"));
        assert!(!machine.may_follow("approved", "requested"));
        assert!(machine.reached("implemented", "approved"));
        assert!(!machine.reached("requested", "approved"));
    }

    #[test]
    fn linear_machines_end_at_their_last_state() {
        let machine = Machine::linear(&["a", "b", "c"]);
        assert_eq!(machine.first(), "a");
        assert!(machine.is_final("c"));
        assert!(!machine.may_follow("c", "c"));
        assert!(machine.may_follow("a", "c"));
    }
}
