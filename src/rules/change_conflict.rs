//! `change-conflict` (warning): two open changes (requested, approved or
//! scheduled) of one service whose planned windows overlap. Each is told about
//! the others. Found per service by sorting the windows once: a change overlaps
//! the changes that started before it and are still running, and those that
//! start before it ends — a binary search each, so thousands of changes cost
//! O(n log n) plus what is printed.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::incident::Timestamp;
use crate::model::{Change, Located};

/// How many conflicting changes one message names before it says "and N more".
const NAMED: usize = 5;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    for (change, others, total) in conflicts(&context.records.changes, NAMED) {
        let Some(window) = &change.record.window else {
            continue;
        };
        let more = total.saturating_sub(others.len());
        let mut names: Vec<String> = others.iter().map(|c| format!("`{c}`")).collect();
        if more > 0 {
            names.push(format!("{more} more"));
        }
        out.push(
            Diagnostic::warning(
                Rule::ChangeConflict,
                &change.file,
                window.pos,
                format!(
                    "the window of change `{}` overlaps open change{} {} of service `{}`",
                    change.record.id.value,
                    if total == 1 { "" } else { "s" },
                    names.join(", "),
                    change.record.service_id().unwrap_or("?")
                ),
            )
            .with_help("move one of the windows, or combine the changes"),
        );
    }
}

/// An open change with its planned window's start and end.
type Planned<'r> = (Timestamp, Timestamp, &'r Located<Change>);

/// Every open change whose window overlaps another open change of its service:
/// the change, the ids of up to `named` of those it overlaps (by start), and how
/// many it overlaps in all.
pub fn conflicts(
    changes: &[Located<Change>],
    named: usize,
) -> Vec<(&Located<Change>, Vec<&str>, usize)> {
    conflicts_where(changes, named, |_| true)
}

/// [`conflicts`] among `changes` (other changes do not take part), reported
/// only for the changes `listed` accepts: a report that names every conflict
/// of a few changes does not build the lists of all the others.
pub fn conflicts_where<'r>(
    changes: impl IntoIterator<Item = &'r Located<Change>>,
    named: usize,
    listed: impl Fn(&Located<Change>) -> bool,
) -> Vec<(&'r Located<Change>, Vec<&'r str>, usize)> {
    let mut by_service: HashMap<&str, Vec<Planned>> = HashMap::new();
    for change in changes {
        let record = &change.record;
        if !record.is_open() {
            continue;
        }
        if let (Some(service), Some((start, end))) = (
            record.service_id(),
            record.window.as_ref().and_then(|w| w.span()),
        ) && start < end
        {
            by_service
                .entry(service)
                .or_default()
                .push((start, end, change));
        }
    }
    let mut out = Vec::new();
    for windows in by_service.values_mut() {
        windows.sort_by(|a, b| {
            (a.0, a.1, &a.2.record.id.value).cmp(&(b.0, b.1, &b.2.record.id.value))
        });
        let starts: Vec<Timestamp> = windows.iter().map(|w| w.0).collect();
        // The earlier windows still running, by end: popped once they end,
        // since every later window starts later still.
        let mut running: BinaryHeap<Reverse<(Timestamp, usize)>> = BinaryHeap::new();
        for (index, (start, end, change)) in windows.iter().enumerate() {
            while running.peek().is_some_and(|Reverse((e, _))| e <= start) {
                running.pop();
            }
            let later_end = starts.partition_point(|s| s < end);
            let later = later_end.saturating_sub(index + 1);
            let total = running.len() + later;
            if total > 0 && listed(change) {
                let mut earlier: Vec<usize> = running
                    .iter()
                    .map(|Reverse((_, i))| *i)
                    .take(named)
                    .collect();
                earlier.sort_unstable();
                let ids: Vec<&str> = earlier
                    .into_iter()
                    .chain(index + 1..later_end)
                    .take(named)
                    .map(|i| windows[i].2.record.id.as_str())
                    .collect();
                out.push((*change, ids, total));
            }
            running.push(Reverse((*end, index)));
        }
    }
    out.sort_by(|a, b| a.0.file.cmp(&b.0.file));
    out
}
