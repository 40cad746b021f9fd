//! The checks of `svc check` (SPEC §2) that look across records. Each rule lives
//! in a file named after its id and adds diagnostics; rules never fail the run.
//! The per-file rules (`yaml-syntax`, `schema`, `id-mismatch`, `unreadable` and
//! offset-less timestamps) are found while decoding, in `model`; the few `schema`
//! checks that depend on svc.toml live in `schema.rs`.

mod action_overdue;
mod business_days;
pub mod change_approval;
pub mod change_conflict;
pub mod change_outcome;
pub mod change_plan;
pub mod change_window;
mod dependency_cycle;
mod duplicate_id;
pub mod future_timestamp;
mod gate;
pub mod history;
pub mod missing_target;
mod postmortem;
mod priority_matrix;
pub mod problem_state;
mod recurring_incidents;
mod retired_service;
mod schema;
pub mod timestamp;
mod unknown_link;
mod unknown_reference;
mod unknown_stage;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::diagnostic::{self, Diagnostic};
use crate::lifecycle::Neighbours;
use crate::model::{Calendar, Change, Incident, Located, Problem, Records, Service, SlaPolicy};

/// What the cross-record rules share: the records, the clock and id indexes.
pub struct Context<'r> {
    /// The records checked.
    pub records: &'r Records,
    /// `--now`, or the clock.
    pub now: DateTime<Utc>,
    /// Services by id (the first of duplicates wins).
    pub services: HashMap<&'r str, &'r Located<Service>>,
    /// Policies by id.
    pub policies: HashMap<&'r str, &'r Located<SlaPolicy>>,
    /// Calendars by id.
    pub calendars: HashMap<&'r str, &'r Located<Calendar>>,
    /// Incidents by id.
    pub incidents: HashMap<&'r str, &'r Located<Incident>>,
    /// Changes by id.
    pub changes: HashMap<&'r str, &'r Located<Change>>,
    /// Problems by id.
    pub problems: HashMap<&'r str, &'r Located<Problem>>,
    /// Open incidents and active dependents, for gates.
    pub neighbours: Neighbours<'r>,
    /// The file stems of record files that did not load, with the kind their
    /// folder implies (`None` when the folder does not tell).
    unloaded: HashSet<(Option<&'r str>, &'r str)>,
}

fn index<T>(records: &[Located<T>], id: impl Fn(&T) -> &str) -> HashMap<&str, &Located<T>> {
    let mut map = HashMap::with_capacity(records.len());
    for record in records {
        map.entry(id(&record.record)).or_insert(record);
    }
    map
}

impl<'r> Context<'r> {
    /// Builds the indexes for `records`.
    pub fn new(records: &'r Records, now: DateTime<Utc>) -> Self {
        Context {
            records,
            now,
            services: index(&records.services, |s| s.id.as_str()),
            policies: index(&records.policies, |p| p.id.as_str()),
            calendars: index(&records.calendars, |c| c.id.as_str()),
            incidents: index(&records.incidents, |i| i.id.as_str()),
            changes: index(&records.changes, |c| c.id.as_str()),
            problems: index(&records.problems, |p| p.id.as_str()),
            neighbours: Neighbours::new(&records.config, &records.services, &records.incidents),
            unloaded: records
                .unloaded
                .iter()
                .map(|unloaded| {
                    // The kind the file declares, else the one its folder implies.
                    let kind = unloaded.kind.as_deref().or_else(|| {
                        unloaded
                            .file
                            .split('/')
                            .next()
                            .and_then(crate::model::kind_of_folder)
                    });
                    (kind, crate::model::file_stem(&unloaded.file))
                })
                .collect(),
        }
    }

    /// True when the file of a `kind` record with this `id` exists but did not
    /// load: the record may exist, so a reference to it is not reported (its
    /// own file already has an error).
    pub fn may_exist(&self, kind: &str, id: &str) -> bool {
        self.unloaded.contains(&(Some(kind), id)) || self.unloaded.contains(&(None, id))
    }
}

/// Runs every rule over `records` and returns all diagnostics of the repo
/// (decoding ones included), in the stable report order.
pub fn check(records: &Records, now: DateTime<Utc>) -> Vec<Diagnostic> {
    let context = Context::new(records, now);
    let mut out = records.diagnostics.clone();
    schema::check(&context, &mut out);
    duplicate_id::check(&context, &mut out);
    unknown_reference::check(&context, &mut out);
    dependency_cycle::check(&context, &mut out);
    timestamp::check(&context, &mut out);
    unknown_stage::check(&context, &mut out);
    history::check(&context, &mut out);
    gate::check(&context, &mut out);
    missing_target::check(&context, &mut out);
    retired_service::check(&context, &mut out);
    business_days::check(&context, &mut out);
    future_timestamp::check(&context, &mut out);
    priority_matrix::check(&context, &mut out);
    unknown_link::check(&context, &mut out);
    postmortem::check(&context, &mut out);
    change_approval::check(&context, &mut out);
    change_plan::check(&context, &mut out);
    change_window::check(&context, &mut out);
    change_outcome::check(&context, &mut out);
    change_conflict::check(&context, &mut out);
    problem_state::check(&context, &mut out);
    action_overdue::check(&context, &mut out);
    recurring_incidents::check(&context, &mut out);
    diagnostic::sort(&mut out);
    out.dedup();
    out
}
