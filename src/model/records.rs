//! Every record of a repo, as plain data: what the pure layers (rules, the SLA
//! engine, the lifecycle) work on. Reading them from disk or Git is `repo`'s job;
//! nothing here does I/O.

use super::{Calendar, Change, Config, Incident, Located, Problem, Record, Service, SlaPolicy};
use crate::diagnostic::Diagnostic;

/// The records of one repo, each kind sorted by file.
#[derive(Debug, Default)]
pub struct Records {
    /// `svc.toml`, defaults filled in.
    pub config: Config,
    /// Services.
    pub services: Vec<Located<Service>>,
    /// SLA policies.
    pub policies: Vec<Located<SlaPolicy>>,
    /// Calendars.
    pub calendars: Vec<Located<Calendar>>,
    /// Incidents.
    pub incidents: Vec<Located<Incident>>,
    /// Changes.
    pub changes: Vec<Located<Change>>,
    /// Problems.
    pub problems: Vec<Located<Problem>>,
    /// Problems found while reading and decoding (svc.toml's included).
    pub diagnostics: Vec<Diagnostic>,
    /// Record files that yielded no record (unreadable, not YAML, too large, or
    /// too broken to tell their kind), sorted by file. The records they hold may
    /// well exist, so their names keep references to them from being reported as
    /// unknown, and gates that must prove an absence refuse while they exist.
    pub unloaded: Vec<Unloaded>,
    /// How many record files were found.
    pub files: usize,
}

/// A record file that yielded no record: unreadable, not YAML, or failed to
/// decode. Gates that must prove an absence (no open incident, no active
/// dependent) cannot do so while such a file might be the one that shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unloaded {
    /// Path relative to the repo root.
    pub file: String,
    /// The `kind` the file declares, when that much of it can be read.
    pub kind: Option<String>,
}

impl Records {
    /// The record files whose part in a gate that proves an absence (no open
    /// incident, no active dependent) cannot be known: those that did not
    /// load, incidents whose `service` or `resolved_at` did not decode, and
    /// services whose `depends_on` or `lifecycle` did not.
    pub fn doubtful(&self) -> Vec<Unloaded> {
        let incidents = self
            .incidents
            .iter()
            .filter(|i| i.record.invalid.any(&["service", "resolved_at"]))
            .map(|i| Unloaded {
                file: i.file.clone(),
                kind: Some("Incident".into()),
            });
        let services = self
            .services
            .iter()
            .filter(|s| s.record.invalid.any(&["depends_on", "lifecycle"]))
            .map(|s| Unloaded {
                file: s.file.clone(),
                kind: Some("Service".into()),
            });
        let mut out: Vec<Unloaded> = self
            .unloaded
            .iter()
            .cloned()
            .chain(incidents)
            .chain(services)
            .collect();
        out.sort_by(|a, b| a.file.cmp(&b.file));
        out
    }

    /// Every file checked: svc.toml and each record file, sorted.
    pub fn files_checked(&self) -> Vec<&str> {
        let mut files: Vec<&str> = std::iter::once(super::config::CONFIG_FILE)
            .chain(self.services.iter().map(|r| r.file.as_str()))
            .chain(self.policies.iter().map(|r| r.file.as_str()))
            .chain(self.calendars.iter().map(|r| r.file.as_str()))
            .chain(self.incidents.iter().map(|r| r.file.as_str()))
            .chain(self.changes.iter().map(|r| r.file.as_str()))
            .chain(self.problems.iter().map(|r| r.file.as_str()))
            .chain(self.unloaded.iter().map(|u| u.file.as_str()))
            .collect();
        files.sort_unstable();
        files.dedup();
        files
    }

    /// Files `record` (read from `file`, whose bytes have fingerprint `digest`)
    /// under its kind.
    pub fn add(&mut self, file: String, record: Record, digest: u64) {
        fn located<T>(file: String, record: T, digest: u64) -> Located<T> {
            Located {
                file,
                record,
                digest,
            }
        }
        match record {
            Record::Service(r) => self.services.push(located(file, r, digest)),
            Record::Policy(r) => self.policies.push(located(file, r, digest)),
            Record::Calendar(r) => self.calendars.push(located(file, r, digest)),
            Record::Incident(r) => self.incidents.push(located(file, r, digest)),
            Record::Change(r) => self.changes.push(located(file, r, digest)),
            Record::Problem(r) => self.problems.push(located(file, r, digest)),
        }
    }
}
