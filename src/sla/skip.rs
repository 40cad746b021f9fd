//! Which records a report leaves out (SPEC §3.4), so that no figure rests on a
//! record with errors and nothing is half-counted.
//!
//! A record is left out **for its own errors** when its file has any error —
//! except a service, which loses its SLA only to errors that make its record
//! untrustworthy (`yaml-syntax`, `unreadable`, `schema`, `id-mismatch`,
//! `duplicate-id`); lifecycle errors such as a missing runbook (`gate`) do not
//! take its figures away. An incident is left out **with** a record it depends
//! on (its service, that service's policy, the policy's calendar) when that
//! record is left out or does not exist. `svc sla`, `svc report review`, `svc
//! report changes` and `svc export incidents` all use this one list.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::model::policy::ALWAYS_ON;
use crate::model::{Incident, Records, file_stem};

/// The reason of a record left out because of a record it depends on.
pub const DEPENDS_ON_SKIPPED: &str = "depends-on-skipped";

/// The rules whose errors take a service's SLA away.
const SERVICE_BREAKING: [Rule; 5] = [
    Rule::YamlSyntax,
    Rule::Unreadable,
    Rule::Schema,
    Rule::IdMismatch,
    Rule::DuplicateId,
];

/// One record left out of a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The record's id (its file stem when the id could not be read).
    pub id: String,
    /// Its file, relative to the repo root.
    pub file: String,
    /// The rule of the file's first error, or [`DEPENDS_ON_SKIPPED`].
    pub reason: String,
}

impl Skipped {
    /// True when the record was left out for an error of its own.
    pub fn for_own_errors(&self) -> bool {
        self.reason != DEPENDS_ON_SKIPPED
    }
}

/// The record files left out for their own errors, and why.
#[derive(Clone, Debug, Default)]
pub struct LeftOut {
    /// File → the rule of its first error.
    own: HashMap<String, Rule>,
}

impl LeftOut {
    /// Finds the files left out for their own errors, from the diagnostics of
    /// `svc check` on `records` (sorted as it sorts them, so the first error of
    /// a file comes first).
    pub fn new(records: &Records, diagnostics: &[Diagnostic]) -> LeftOut {
        let services: HashSet<&str> = records.services.iter().map(|s| s.file.as_str()).collect();
        let mut own = HashMap::new();
        for d in diagnostics.iter().filter(|d| d.severity == Severity::Error) {
            if services.contains(d.file.as_str()) && !SERVICE_BREAKING.contains(&d.rule) {
                continue;
            }
            own.entry(d.file.clone()).or_insert(d.rule);
        }
        LeftOut { own }
    }

    /// True when `file` is left out for its own errors.
    pub fn contains(&self, file: &str) -> bool {
        self.own.contains_key(file)
    }

    /// The entry for `file` (with record id `id`) when it is left out for its
    /// own errors.
    pub fn own(&self, file: &str, id: &str) -> Option<Skipped> {
        self.own.get(file).map(|rule| Skipped {
            id: id.to_string(),
            file: file.to_string(),
            reason: rule.id().to_string(),
        })
    }

    /// The policies and calendars left out, and the record files that did not
    /// load at all (whatever they hold), in file order.
    pub fn shared(&self, records: &Records) -> Vec<Skipped> {
        let mut out: Vec<Skipped> = records
            .policies
            .iter()
            .filter_map(|p| self.own(&p.file, &p.record.id.value))
            .chain(
                records
                    .calendars
                    .iter()
                    .filter_map(|c| self.own(&c.file, &c.record.id.value)),
            )
            .chain(
                records
                    .unloaded
                    .iter()
                    .filter_map(|u| self.own(&u.file, file_stem(&u.file))),
            )
            .collect();
        out.sort_by(|a, b| a.file.cmp(&b.file));
        out
    }
}

/// The records an incident's evaluation rests on, with the left-out ones
/// removed: what the SLA engine may use.
#[derive(Debug, Default)]
pub struct Usable<'r> {
    /// Service ids whose records are usable.
    pub services: HashSet<&'r str>,
    /// Policy ids whose records are usable.
    pub policies: HashSet<&'r str>,
    /// Calendar ids whose records are usable (`24x7` always is).
    pub calendars: HashSet<&'r str>,
}

impl<'r> Usable<'r> {
    /// The usable services, policies and calendars of `records`. A duplicate id
    /// is left out on both files, so its id is not usable either.
    pub fn new(records: &'r Records, left_out: &LeftOut) -> Usable<'r> {
        let mut calendars: HashSet<&str> = records
            .calendars
            .iter()
            .filter(|c| !left_out.contains(&c.file))
            .map(|c| c.record.id.as_str())
            .collect();
        calendars.insert(ALWAYS_ON);
        Usable {
            services: records
                .services
                .iter()
                .filter(|s| !left_out.contains(&s.file))
                .map(|s| s.record.id.as_str())
                .collect(),
            policies: records
                .policies
                .iter()
                .filter(|p| !left_out.contains(&p.file))
                .map(|p| p.record.id.as_str())
                .collect(),
            calendars,
        }
    }
}

/// What the records a report counts without evaluating them rest on, so that the
/// reports on changes and problems leave out exactly the incidents `svc sla`
/// leaves out (SPEC §3.4), and a change or a problem with the service it belongs
/// to. Built once per report; each question is a hash look-up.
#[derive(Debug, Default)]
pub struct Dependencies<'r> {
    /// Usable service → its policy id (None: no policy; its incidents count
    /// unevaluated, as in `svc sla`).
    services: HashMap<&'r str, Option<&'r str>>,
    /// Usable policy → its calendar id.
    policies: HashMap<&'r str, &'r str>,
    /// Usable calendars.
    calendars: HashSet<&'r str>,
}

impl<'r> Dependencies<'r> {
    /// The usable services, policies and calendars of `records`, leaving out
    /// what `left_out` says.
    pub fn new(records: &'r Records, left_out: &LeftOut) -> Dependencies<'r> {
        let usable = Usable::new(records, left_out);
        let services = records
            .services
            .iter()
            .map(|s| &s.record)
            .filter(|s| usable.services.contains(s.id.as_str()))
            .map(|s| (s.id.as_str(), s.policy.as_ref().map(|p| p.as_str())))
            .collect();
        let policies = records
            .policies
            .iter()
            .map(|p| &p.record)
            .filter(|p| usable.policies.contains(p.id.as_str()))
            .map(|p| (p.id.as_str(), p.calendar_id()))
            .collect();
        Dependencies {
            services,
            policies,
            calendars: usable.calendars,
        }
    }

    /// True when `service` is a usable service.
    pub fn service_usable(&self, service: &str) -> bool {
        self.services.contains_key(service)
    }

    /// The id of the usable service `service`, borrowed from the records.
    pub fn usable_service(&self, service: &str) -> Option<&'r str> {
        self.services.get_key_value(service).map(|(id, _)| *id)
    }

    /// Why a change or a problem (id `id`, from `file`, of `service`) is left
    /// out, if it is: its own errors, or its service is left out or missing
    /// (figures per service never rest on a service record with errors).
    pub fn record_skipped(
        &self,
        left_out: &LeftOut,
        file: &str,
        id: &str,
        service: Option<&str>,
    ) -> Option<Skipped> {
        if let Some(own) = left_out.own(file, id) {
            return Some(own);
        }
        (!service.is_some_and(|s| self.service_usable(s))).then(|| Skipped {
            id: id.to_string(),
            file: file.to_string(),
            reason: DEPENDS_ON_SKIPPED.to_string(),
        })
    }

    /// Why the incident of `file` is left out, if it is: its own errors, or a
    /// service, policy or calendar it rests on that is left out or missing.
    pub fn incident_skipped(
        &self,
        left_out: &LeftOut,
        file: &str,
        incident: &Incident,
    ) -> Option<Skipped> {
        if let Some(own) = left_out.own(file, &incident.id.value) {
            return Some(own);
        }
        let rests_on_usable = incident
            .service_id()
            .and_then(|service| self.services.get(service))
            .is_some_and(|policy| {
                policy.is_none_or(|policy| {
                    self.policies
                        .get(policy)
                        .is_some_and(|calendar| self.calendars.contains(calendar))
                })
            });
        (!rests_on_usable).then(|| Skipped {
            id: incident.id.value.clone(),
            file: file.to_string(),
            reason: DEPENDS_ON_SKIPPED.to_string(),
        })
    }
}

/// The entries of `skipped` that every report on changes or problems carries,
/// whatever it counts: the policies, calendars and unloaded files left out
/// (as in `svc sla`), and the services left out for their own errors.
#[derive(Debug, Default)]
pub struct CommonSkips<'r> {
    shared: Vec<Skipped>,
    services: Vec<(&'r str, Skipped)>,
}

impl<'r> CommonSkips<'r> {
    /// The entries for `records`.
    pub fn new(records: &'r Records, left_out: &LeftOut) -> CommonSkips<'r> {
        CommonSkips {
            shared: left_out.shared(records),
            services: records
                .services
                .iter()
                .filter_map(|s| Some((s.record.id.as_str(), left_out.own(&s.file, &s.record.id)?)))
                .collect(),
        }
    }

    /// The entries of a report on `asked` (one service, or all): the shared
    /// ones and the left-out services asked for.
    pub fn list(&self, asked: Option<&str>) -> Vec<Skipped> {
        let mut out = self.shared.clone();
        out.extend(
            self.services
                .iter()
                .filter(|(id, _)| may_be_of(asked, Some(id)))
                .map(|(_, s)| s.clone()),
        );
        out
    }
}

/// True when a record of `service` (None: unknown, so possibly any) may belong
/// to a report on `asked` (one service, or all).
pub fn may_be_of(asked: Option<&str>, service: Option<&str>) -> bool {
    match (asked, service) {
        (Some(asked), Some(service)) => asked == service,
        _ => true,
    }
}

/// What the stderr note of a report says about `skipped` (nothing when empty):
/// the records left out for their own errors and the incidents left out with
/// them, counted apart, each with the first few ids.
pub fn summary(skipped: &[Skipped]) -> Option<String> {
    const NAMED: usize = 5;
    let (own, dependent): (Vec<&Skipped>, Vec<&Skipped>) =
        skipped.iter().partition(|s| s.for_own_errors());
    let describe = |list: &[&Skipped], one: &str, many: &str| -> Option<String> {
        let mut ids: Vec<&str> = list.iter().take(NAMED).map(|s| s.id.as_str()).collect();
        if list.len() > NAMED {
            ids.push("…");
        }
        match list.len() {
            0 => None,
            1 => Some(format!("1 {one} ({})", ids.join(", "))),
            n => Some(format!("{n} {many} ({})", ids.join(", "))),
        }
    };
    let parts: Vec<String> = [
        describe(
            &own,
            "record left out for its own errors",
            "records left out for their own errors",
        ),
        describe(
            &dependent,
            "record left out with a record it depends on",
            "records left out with records they depend on",
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parts.is_empty()).then(|| format!("{}; run `svc check` to see why", parts.join("; ")))
}
