//! The figures of `svc report problems` (SPEC §7): the open problems (any state
//! but `closed`) with their age, linked incidents, open and overdue actions,
//! sorted by what needs attention first. Pure: no I/O, no clock.
//!
//! What is left out follows SPEC §3.4, as in `svc sla`: a problem whose file has
//! an error is left out for its own errors, and one whose service is left out
//! goes with it (`depends-on-skipped`). A link counts when the problem lists the
//! incident (the problem is free of errors, so its list is trusted) or when an
//! incident that `svc sla` would not leave out names the problem.

use chrono::{DateTime, Utc};

use super::links::ProblemLinks;
use crate::model::{Located, Problem, Records};
use crate::sla::skip::{CommonSkips, Dependencies, LeftOut, Skipped, may_be_of};

/// One open problem as the report lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemRow<'r> {
    /// The problem id.
    pub problem: &'r str,
    /// Its service.
    pub service: &'r str,
    /// Its title (for people; not in the JSON of SPEC §7).
    pub title: Option<&'r str>,
    /// Its state.
    pub state: &'r str,
    /// Whole days since the first history entry (0 when that lies after now;
    /// None without a dated history entry).
    pub age_days: Option<i64>,
    /// Incidents linked either way, each once.
    pub incidents: usize,
    /// Actions not done.
    pub actions_open: usize,
    /// Of those, the ones past their `due` date (rule `action-overdue`).
    pub actions_overdue: usize,
}

/// The whole `svc report problems` result.
#[derive(Clone, Debug)]
pub struct ProblemsReport<'r> {
    /// The clock used (ages and overdue actions are judged at it).
    pub now: DateTime<Utc>,
    /// Open problems, most in need of attention first (see [`attention_order`]).
    pub problems: Vec<ProblemRow<'r>>,
    /// Records left out (SPEC §3.4), in file order.
    pub skipped: Vec<Skipped>,
}

/// The problems of a repo that reports may use, with their links: built once,
/// then asked per service.
#[derive(Debug)]
pub struct ProblemIndex<'r> {
    records: &'r Records,
    /// Problems free of errors whose service is usable, in file order.
    usable: Vec<&'r Located<Problem>>,
    links: ProblemLinks<'r>,
    left_out_problems: Vec<(&'r Located<Problem>, Skipped)>,
    /// Left-out incidents that name a problem (`None`: their `problem` did
    /// not decode, so they may name any).
    left_out_incidents: Vec<(&'r str, Option<&'r str>, Skipped)>,
    /// Policies, calendars, unloaded files and services left out.
    common: CommonSkips<'r>,
}

impl<'r> ProblemIndex<'r> {
    /// Arranges `records`, leaving out what `left_out` says.
    pub fn new(records: &'r Records, left_out: &LeftOut) -> ProblemIndex<'r> {
        let dependencies = Dependencies::new(records, left_out);
        let mut usable = Vec::new();
        let mut left_out_problems = Vec::new();
        for located in &records.problems {
            let problem = &located.record;
            match dependencies.record_skipped(
                left_out,
                &located.file,
                &problem.id.value,
                problem.service_id(),
            ) {
                Some(skipped) => left_out_problems.push((located, skipped)),
                None => usable.push(located),
            }
        }
        let mut linking = Vec::new();
        let mut left_out_incidents = Vec::new();
        for located in &records.incidents {
            let incident = &located.record;
            let named = incident.problem.as_ref().map(|p| p.as_str());
            if named.is_none() && !incident.invalid.has("problem") {
                continue;
            }
            match dependencies.incident_skipped(left_out, &located.file, incident) {
                Some(skipped) => left_out_incidents.push((incident.id.as_str(), named, skipped)),
                None => linking.push(incident),
            }
        }
        let links = ProblemLinks::new(usable.iter().map(|p| &p.record), linking);
        ProblemIndex {
            records,
            usable,
            links,
            left_out_problems,
            left_out_incidents,
            common: CommonSkips::new(records, left_out),
        }
    }

    /// The links between the usable problems and incidents.
    pub fn links(&self) -> &ProblemLinks<'r> {
        &self.links
    }

    /// The usable problems (of `service`, or all), in file order.
    pub fn problems<'a>(
        &'a self,
        service: Option<&'a str>,
    ) -> impl Iterator<Item = &'r Problem> + 'a {
        self.usable
            .iter()
            .map(|p| &p.record)
            .filter(move |p| service.is_none_or(|s| p.service_id() == Some(s)))
    }

    /// `problem` as a report row at `now`; None when its service or state did
    /// not decode (a usable problem always has both).
    pub fn row(&self, problem: &'r Problem, now: DateTime<Utc>) -> Option<ProblemRow<'r>> {
        let tz = self.records.config.timezone;
        Some(ProblemRow {
            problem: problem.id.as_str(),
            service: problem.service_id()?,
            title: problem.title.as_ref().map(|t| t.as_str()),
            state: problem.state()?,
            age_days: problem
                .progress
                .as_ref()
                .and_then(|p| p.created())
                .map(|created| (now - created.to_utc()).num_days().max(0)),
            incidents: self.links.incidents_of(problem.id.as_str()).len(),
            actions_open: problem.open_actions().count(),
            actions_overdue: problem
                .open_actions()
                .filter(|a| a.is_overdue(now, tz))
                .count(),
        })
    }

    /// The open problems (of `service`, or all) at `now`, in
    /// [`attention_order`].
    pub fn open_rows(&self, now: DateTime<Utc>, service: Option<&str>) -> Vec<ProblemRow<'r>> {
        let mut rows: Vec<ProblemRow> = self
            .problems(service)
            .filter(|p| p.is_open())
            .filter_map(|p| self.row(p, now))
            .collect();
        rows.sort_by(attention_order);
        rows
    }

    /// What the report of the open problems (of `service`, or all) leaves out,
    /// in file order: policies, calendars and unloaded files; the services
    /// asked for that are left out; every left-out problem that might be open;
    /// and every left-out incident whose `problem` would have added a link to a
    /// listed problem (or did not decode).
    pub fn skipped(&self, service: Option<&str>) -> Vec<Skipped> {
        let wanted = |s: Option<&str>| may_be_of(service, s);
        let mut out = self.common.list(service);
        out.extend(
            self.left_out_problems
                .iter()
                .filter(|(p, _)| {
                    (p.record.is_open() || p.record.invalid.has("state"))
                        && wanted(p.record.service_id())
                })
                .map(|(_, s)| s.clone()),
        );
        let listed: std::collections::HashSet<&str> = self
            .problems(service)
            .filter(|p| p.is_open())
            .map(|p| p.id.as_str())
            .collect();
        out.extend(
            self.left_out_incidents
                .iter()
                .filter(|(incident, named, _)| match named {
                    Some(problem) => {
                        listed.contains(problem)
                            && !self.links.incidents_of(problem).contains(incident)
                    }
                    None => true,
                })
                .map(|(_, _, s)| s.clone()),
        );
        out.sort_by(|a, b| a.file.cmp(&b.file));
        out.dedup();
        out
    }
}

/// What needs attention first: more overdue actions, then older (a problem of
/// unknown age after every dated one), then more open actions, then the id.
pub fn attention_order(a: &ProblemRow, b: &ProblemRow) -> std::cmp::Ordering {
    b.actions_overdue
        .cmp(&a.actions_overdue)
        .then_with(|| b.age_days.cmp(&a.age_days))
        .then_with(|| b.actions_open.cmp(&a.actions_open))
        .then_with(|| a.problem.cmp(b.problem))
}

/// Computes the report for `records` at `now` (of `service`, or all),
/// leaving out what `left_out` says.
pub fn build<'r>(
    records: &'r Records,
    left_out: &LeftOut,
    now: DateTime<Utc>,
    service: Option<&str>,
) -> ProblemsReport<'r> {
    let index = ProblemIndex::new(records, left_out);
    ProblemsReport {
        now,
        problems: index.open_rows(now, service),
        skipped: index.skipped(service),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: &'static str, overdue: usize, age: Option<i64>, open: usize) -> ProblemRow<'static> {
        ProblemRow {
            problem: id,
            service: "s",
            title: None,
            state: "new",
            age_days: age,
            incidents: 0,
            actions_open: open,
            actions_overdue: overdue,
        }
    }

    #[test]
    fn overdue_actions_first_then_age_then_open_actions_then_id() {
        let mut rows = [
            row("P5", 0, None, 0),
            row("P4", 0, Some(3), 1),
            row("P3", 0, Some(3), 2),
            row("P2", 0, Some(10), 0),
            row("P1", 1, Some(1), 1),
            row("P0", 0, Some(3), 2),
        ];
        rows.sort_by(attention_order);
        let ids: Vec<&str> = rows.iter().map(|r| r.problem).collect();
        assert_eq!(ids, ["P1", "P2", "P0", "P3", "P4", "P5"]);
    }
}
