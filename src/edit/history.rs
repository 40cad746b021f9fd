//! The one edit every record machine makes: move to a state and append a
//! history entry `{ <state key>, at, by, note }` recording it. Services keep
//! theirs in `lifecycle.stage` and `lifecycle.history` (SPEC §4), changes and
//! problems in `state` and `history` (SPEC §6, §7); the routes are parameters,
//! the edit is the same.

use super::{Edit, EditError, Item, Route, Scalar};

/// Where a record kind keeps its state and its history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateFields {
    /// The route of the current state (`lifecycle.stage`).
    pub state: &'static str,
    /// The route of the history sequence (`lifecycle.history`).
    pub history: &'static str,
    /// The key of the state in a history entry (`stage`).
    pub entry_key: &'static str,
}

/// A service's stage and stage history (SPEC §4).
pub const SERVICE_STAGE: StateFields = StateFields {
    state: "lifecycle.stage",
    history: "lifecycle.history",
    entry_key: "stage",
};

/// A change's state and history (SPEC §6).
pub const CHANGE_STATE: StateFields = StateFields {
    state: "state",
    history: "history",
    entry_key: "state",
};

/// A problem's state and history (SPEC §7).
pub const PROBLEM_STATE: StateFields = StateFields {
    state: "state",
    history: "history",
    entry_key: "state",
};

/// One history entry to append.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The state (or stage) entered.
    pub state: String,
    /// RFC 3339 time, written as given.
    pub at: String,
    /// Who made the change.
    pub by: String,
    /// Optional note.
    pub note: Option<String>,
}

impl HistoryEntry {
    /// The entry as a mapping item, its state under `entry_key`.
    pub fn item(&self, entry_key: &str) -> Item {
        let mut pairs = vec![
            (entry_key.to_string(), Scalar::text(&self.state)),
            ("at".to_string(), Scalar::timestamp(&self.at)),
            ("by".to_string(), Scalar::text(&self.by)),
        ];
        if let Some(note) = &self.note {
            pairs.push(("note".to_string(), Scalar::text(note)));
        }
        Item::Map(pairs)
    }
}

/// Sets the state at `fields.state` to `entry.state` and appends `entry` to
/// the history at `fields.history`, each in the file's own style.
pub fn move_to_state(
    edit: &mut Edit,
    fields: &StateFields,
    entry: &HistoryEntry,
) -> Result<(), EditError> {
    let state: Route = fields.state.parse()?;
    let history: Route = fields.history.parse()?;
    edit.set(&state, Scalar::text(&entry.state))?;
    edit.append(&history, entry.item(fields.entry_key))?;
    Ok(())
}
