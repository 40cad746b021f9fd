//! `duplicate-id`: two records of one kind share an id. Every copy gets its own
//! diagnostic naming the others, so `--changed-since` shows the problem whichever
//! file changed (audit of issue 2, finding 2).

use std::collections::HashMap;

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Located;
use crate::model::decode::Spanned;

/// How many other places one message names before it says "and N more".
const NAMED: usize = 3;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let records = context.records;
    find(&records.services, "service", |r| &r.id, out);
    find(&records.policies, "policy", |r| &r.id, out);
    find(&records.calendars, "calendar", |r| &r.id, out);
    find(&records.incidents, "incident", |r| &r.id, out);
    find(&records.changes, "change", |r| &r.id, out);
    find(&records.problems, "problem", |r| &r.id, out);
}

fn find<T>(
    records: &[Located<T>],
    kind: &str,
    id: impl Fn(&T) -> &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) {
    let mut by_id: HashMap<&str, Vec<&Located<T>>> = HashMap::with_capacity(records.len());
    for record in records {
        by_id
            .entry(id(&record.record).as_str())
            .or_default()
            .push(record);
    }
    for copies in by_id.values().filter(|copies| copies.len() > 1) {
        // Each copy names at most NAMED others: the first ones other than
        // itself. Listing all others for every copy was quadratic in the
        // number of copies (issue 11, finding 12: thousands of one id).
        let places: Vec<String> = copies
            .iter()
            .take(NAMED + 1)
            .map(|other| {
                let at = id(&other.record).pos;
                format!("{}:{}:{}", other.file, at.line + 1, at.col + 1)
            })
            .collect();
        for (index, record) in copies.iter().enumerate() {
            let this = id(&record.record);
            let others = copies.len() - 1;
            let mut named = places
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != index)
                .take(NAMED)
                .map(|(_, place)| place.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            if others > NAMED {
                named.push_str(&format!(" and {} more", others - NAMED));
            }
            out.push(
                Diagnostic::error(
                    Rule::DuplicateId,
                    &record.file,
                    this.pos,
                    format!("{kind} id `{}` is also used by {named}", this.value),
                )
                .with_help("give each record its own id (and file name)"),
            );
        }
    }
}
