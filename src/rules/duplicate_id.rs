//! `duplicate-id`: two records of one kind share an id.

use std::collections::HashMap;

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::model::Located;
use crate::model::decode::Spanned;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let repo = context.repo;
    find(&repo.services, "service", |r| &r.id, out);
    find(&repo.policies, "policy", |r| &r.id, out);
    find(&repo.calendars, "calendar", |r| &r.id, out);
    find(&repo.incidents, "incident", |r| &r.id, out);
}

fn find<T>(
    records: &[Located<T>],
    kind: &str,
    id: impl Fn(&T) -> &Spanned<String>,
    out: &mut Vec<Diagnostic>,
) {
    let mut first: HashMap<&str, &Located<T>> = HashMap::with_capacity(records.len());
    for record in records {
        let this = id(&record.record);
        match first.get(this.as_str()) {
            None => {
                first.insert(this.as_str(), record);
            }
            Some(original) => {
                let at = id(&original.record).pos;
                out.push(
                    Diagnostic::error(
                        "duplicate-id",
                        &record.file,
                        this.pos,
                        format!(
                            "{kind} id `{}` is also used by {}:{}:{}",
                            this.value,
                            original.file,
                            at.line + 1,
                            at.col + 1
                        ),
                    )
                    .with_help("give each record its own id (and file name)"),
                );
            }
        }
    }
}
