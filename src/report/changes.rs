//! The figures of `svc report changes` (SPEC §6): per service, the changes whose
//! `implemented.start` lies in a period — counts by type and outcome, the change
//! failure rate, the median lead time and the incidents they caused — and the
//! open changes of the next fortnight with their conflicts.
//!
//! [`ChangeIndex`] reads the records once; its figures are then asked per
//! service and per period without reading anything again (a binary search per
//! question), which is what `svc sla` (the `change_failure_rate` objective) and
//! the service review (a trend of periods) need. Pure: no I/O, no clock.
//!
//! What is left out follows SPEC §3.4, as in `svc sla`: a change whose file has
//! an error is left out for its own errors; a change whose service is left out
//! (or does not exist as a usable record) is left out with it
//! (`depends-on-skipped`), since figures per service never rest on a service
//! record with errors; an incident is left out exactly when `svc sla` leaves it
//! out, and then causes nothing here.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::model::change::Change;
use crate::model::{Located, Records};
use crate::rules::change_conflict::conflicts_where;
use crate::sla::period::Period;
use crate::sla::skip::{CommonSkips, Dependencies, LeftOut, Skipped, may_be_of};
use crate::sla::{NANOS_PER_SECOND, Share, div_round};

/// How far ahead `upcoming` looks: 14 × 24 h from now.
pub const UPCOMING_HOURS: i64 = 14 * 24;

/// What to report on.
#[derive(Clone, Debug)]
pub struct Options {
    /// Changes count when their `implemented.start` lies in this period.
    pub period: Period,
    /// The clock: `upcoming` starts here.
    pub now: DateTime<Utc>,
    /// Only this service's figures (`upcoming` ignores it, SPEC §6).
    pub service: Option<String>,
}

/// One service's change figures for a period.
#[derive(Clone, Debug, PartialEq)]
pub struct ChangeFigures<'r> {
    /// The service id.
    pub service: &'r str,
    /// Changes whose `implemented.start` lies in the period.
    pub changes: usize,
    /// Of those, `type: standard`.
    pub standard: usize,
    /// `type: normal`.
    pub normal: usize,
    /// `type: emergency`.
    pub emergency: usize,
    /// `outcome: successful`.
    pub successful: usize,
    /// `outcome: failed`.
    pub failed: usize,
    /// `outcome: rolled-back`.
    pub rolled_back: usize,
    /// (failed + rolled back) / changes with an outcome, kept exact so that the
    /// `change_failure_rate` objective compares the unrounded share.
    pub change_failure_rate: Option<Share>,
    /// Median of first history entry → `implemented.end` over the changes that
    /// have both (mean of the middle two for an even count), whole seconds.
    pub lead_time_median_seconds: Option<i64>,
    /// The incidents whose `caused_by_change` is one of these changes, sorted
    /// (JSON gives their count).
    pub incidents_caused: Vec<&'r str>,
}

impl ChangeFigures<'_> {
    /// The change failure rate as a percentage, 2 decimals.
    pub fn change_failure_rate_pct(&self) -> Option<f64> {
        self.change_failure_rate.map(Share::percent)
    }
}

/// An open change whose window starts within the next fortnight.
#[derive(Clone, Debug, PartialEq)]
pub struct Upcoming<'r> {
    /// The change id.
    pub change: &'r str,
    /// Its service.
    pub service: &'r str,
    /// Its title (for people; not in the JSON of SPEC §6).
    pub title: Option<&'r str>,
    /// `requested`, `approved` or `scheduled`.
    pub state: &'r str,
    /// Planned start.
    pub start: DateTime<Utc>,
    /// Planned end, when written.
    pub end: Option<DateTime<Utc>>,
    /// Every open change of the same service whose window overlaps, by start.
    pub conflicts: Vec<&'r str>,
}

/// The whole `svc report changes` result.
#[derive(Clone, Debug)]
pub struct ChangesReport<'r> {
    /// The period reported on.
    pub period: Period,
    /// The clock used.
    pub now: DateTime<Utc>,
    /// Figures per service, in id order: every service with a change in the
    /// period, or exactly the one asked for.
    pub services: Vec<ChangeFigures<'r>>,
    /// Open changes whose window starts in [now, now + 14 d), by start.
    pub upcoming: Vec<Upcoming<'r>>,
    /// Records left out (SPEC §3.4), in file order.
    pub skipped: Vec<Skipped>,
}

/// A change that counts in the figures: free of errors, of a usable service,
/// with an `implemented.start`.
#[derive(Clone, Debug)]
struct Counted<'r> {
    id: &'r str,
    start: DateTime<Utc>,
    change_type: &'r str,
    outcome: Option<&'r str>,
    /// First history entry → `implemented.end`, in nanoseconds.
    lead_nanos: Option<i128>,
}

/// A left-out change and its entry in `skipped`.
#[derive(Clone, Debug)]
struct LeftOutChange<'r> {
    located: &'r Located<Change>,
    skipped: Skipped,
}

/// The records of a repo arranged for change figures: built once, then asked
/// per service and per period.
#[derive(Debug)]
pub struct ChangeIndex<'r> {
    dependencies: Dependencies<'r>,
    /// Counted changes per service, by `implemented.start`.
    by_service: BTreeMap<&'r str, Vec<Counted<'r>>>,
    /// Usable open changes with a window start.
    open: Vec<&'r Located<Change>>,
    /// Change id → the usable incidents it caused, sorted.
    caused: HashMap<&'r str, Vec<&'r str>>,
    left_out_changes: Vec<LeftOutChange<'r>>,
    /// Left-out incidents that name a change (`None`: their
    /// `caused_by_change` did not decode, so they may name any).
    left_out_incidents: Vec<(Option<&'r str>, Skipped)>,
    /// Policies, calendars, unloaded files and services left out.
    common: CommonSkips<'r>,
}

impl<'r> ChangeIndex<'r> {
    /// Arranges `records`, leaving out what `left_out` says.
    pub fn new(records: &'r Records, left_out: &LeftOut) -> ChangeIndex<'r> {
        let dependencies = Dependencies::new(records, left_out);
        let mut caused: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut left_out_incidents = Vec::new();
        for located in &records.incidents {
            let incident = &located.record;
            let cause = incident.caused_by_change.as_ref().map(|c| c.as_str());
            if cause.is_none() && !incident.invalid.has("caused_by_change") {
                continue;
            }
            match dependencies.incident_skipped(left_out, &located.file, incident) {
                Some(skipped) => left_out_incidents.push((cause, skipped)),
                None => {
                    if let Some(cause) = cause {
                        caused.entry(cause).or_default().push(incident.id.as_str());
                    }
                }
            }
        }
        for list in caused.values_mut() {
            list.sort_unstable();
        }
        let mut by_service: BTreeMap<&str, Vec<Counted>> = BTreeMap::new();
        let mut open = Vec::new();
        let mut left_out_changes = Vec::new();
        for located in &records.changes {
            let change = &located.record;
            let skipped = dependencies.record_skipped(
                left_out,
                &located.file,
                &change.id.value,
                change.service_id(),
            );
            if let Some(skipped) = skipped {
                left_out_changes.push(LeftOutChange { located, skipped });
                continue;
            }
            let Some(service) = change.service_id() else {
                continue;
            };
            if change.is_open() && window_start(change).is_some() {
                open.push(located);
            }
            if let Some(start) = change.implemented_start() {
                let lead_nanos = change
                    .progress
                    .as_ref()
                    .and_then(|p| p.created())
                    .zip(change.implemented_end())
                    .map(|(from, to)| nanos(to - from));
                by_service.entry(service).or_default().push(Counted {
                    id: change.id.as_str(),
                    start: start.to_utc(),
                    change_type: change.change_type.as_str(),
                    outcome: change.outcome.as_ref().map(|o| o.as_str()),
                    lead_nanos,
                });
            }
        }
        for list in by_service.values_mut() {
            list.sort_by(|a, b| (a.start, a.id).cmp(&(b.start, b.id)));
        }
        ChangeIndex {
            dependencies,
            by_service,
            open,
            caused,
            left_out_changes,
            left_out_incidents,
            common: CommonSkips::new(records, left_out),
        }
    }

    /// The counted changes of `service` whose `implemented.start` lies in `period`.
    fn in_period(&self, service: &str, period: Period) -> &[Counted<'r>] {
        let Some(list) = self.by_service.get(service) else {
            return &[];
        };
        let from = list.partition_point(|c| c.start < period.since);
        let to = list.partition_point(|c| c.start < period.until);
        &list[from..to.max(from)]
    }

    /// The figures of `service` for `period` (zeros and nulls when it had no
    /// change in it).
    pub fn figures(&self, service: &'r str, period: Period) -> ChangeFigures<'r> {
        let changes = self.in_period(service, period);
        let count_type = |t: &str| changes.iter().filter(|c| c.change_type == t).count();
        let count_outcome = |o: &str| changes.iter().filter(|c| c.outcome == Some(o)).count();
        let (successful, failed, rolled_back) = (
            count_outcome("successful"),
            count_outcome("failed"),
            count_outcome("rolled-back"),
        );
        let mut leads: Vec<i128> = changes.iter().filter_map(|c| c.lead_nanos).collect();
        leads.sort_unstable();
        let mut incidents_caused: Vec<&str> = changes
            .iter()
            .filter_map(|c| self.caused.get(c.id))
            .flatten()
            .copied()
            .collect();
        incidents_caused.sort_unstable();
        ChangeFigures {
            service,
            changes: changes.len(),
            standard: count_type("standard"),
            normal: count_type("normal"),
            emergency: count_type("emergency"),
            successful,
            failed,
            rolled_back,
            change_failure_rate: Share::new(
                failed + rolled_back,
                successful + failed + rolled_back,
            ),
            lead_time_median_seconds: median_seconds(&leads),
            incidents_caused,
        }
    }

    /// The figures of every service with a change in `period`, in id order;
    /// with `service`, exactly that one (none when it is left out or does not
    /// exist: it is then in `skipped`, or no service at all).
    pub fn services(&self, period: Period, service: Option<&str>) -> Vec<ChangeFigures<'r>> {
        match service {
            Some(asked) => self
                .dependencies
                .usable_service(asked)
                .map(|id| self.figures(id, period))
                .into_iter()
                .collect(),
            None => self
                .by_service
                .keys()
                .filter(|s| !self.in_period(s, period).is_empty())
                .map(|s| self.figures(s, period))
                .collect(),
        }
    }

    /// The change failure rate of `service` in `period` (None when no change
    /// with an outcome started in it).
    pub fn failure_rate(&self, service: &str, period: Period) -> Option<Share> {
        let changes = self.in_period(service, period);
        let failed = changes
            .iter()
            .filter(|c| matches!(c.outcome, Some("failed" | "rolled-back")))
            .count();
        let decided = changes.iter().filter(|c| c.outcome.is_some()).count();
        Share::new(failed, decided)
    }

    /// Every open change (whatever its service) whose window starts in
    /// [now, now + 14 × 24 h), by start then id, each with all the open
    /// changes its window overlaps.
    pub fn upcoming(&self, now: DateTime<Utc>) -> Vec<Upcoming<'r>> {
        let until = now
            .checked_add_signed(chrono::Duration::hours(UPCOMING_HOURS))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let soon = |change: &Change| {
            window_start(change).is_some_and(|start| now <= start && start < until)
        };
        let conflicts: HashMap<&str, Vec<&str>> =
            conflicts_where(self.open.iter().copied(), usize::MAX, |c| soon(&c.record))
                .into_iter()
                .map(|(change, ids, _)| (change.record.id.as_str(), ids))
                .collect();
        let mut list: Vec<Upcoming> = self
            .open
            .iter()
            .map(|located| &located.record)
            .filter(|change| soon(change))
            .filter_map(|change| {
                let id = change.id.as_str();
                Some(Upcoming {
                    change: id,
                    service: change.service_id()?,
                    title: change.title.as_ref().map(|t| t.as_str()),
                    state: change.state()?,
                    start: window_start(change)?,
                    end: change
                        .window
                        .as_ref()
                        .and_then(|w| w.end.as_ref())
                        .map(|e| e.value.to_utc()),
                    conflicts: conflicts.get(id).cloned().unwrap_or_default(),
                })
            })
            .collect();
        list.sort_by(|a, b| (a.start, a.change).cmp(&(b.start, b.change)));
        list
    }

    /// What a report for `period` (of `service`, or all) at `now` leaves out,
    /// in file order: policies, calendars and unloaded files; the services
    /// asked for that are left out; every left-out change that might have
    /// counted (its `implemented.start` in the period or unknown, or it might be
    /// upcoming); and every left-out incident that names a counted change (or
    /// whose `caused_by_change` did not decode).
    pub fn skipped(
        &self,
        period: Period,
        now: DateTime<Utc>,
        service: Option<&str>,
    ) -> Vec<Skipped> {
        let wanted = |s: Option<&str>| may_be_of(service, s);
        let until = now
            .checked_add_signed(chrono::Duration::hours(UPCOMING_HOURS))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let mut out = self.common.list(service);
        for LeftOutChange { located, skipped } in &self.left_out_changes {
            let change = &located.record;
            let start_known = !change.invalid.has("implemented");
            let in_period = match change.implemented_start() {
                Some(start) => period.contains(start.to_utc()),
                None => !start_known,
            };
            let state_known = !change.invalid.has("state");
            let window_known = !change.invalid.has("window");
            let may_be_upcoming = (change.is_open() || !state_known)
                && match window_start(change) {
                    Some(start) => now <= start && start < until,
                    None => !window_known,
                };
            if (in_period && wanted(change.service_id())) || may_be_upcoming {
                out.push(skipped.clone());
            }
        }
        let counted: HashSet<&str> = self
            .by_service
            .keys()
            .filter(|s| wanted(Some(s)))
            .flat_map(|s| self.in_period(s, period).iter().map(|c| c.id))
            .collect();
        out.extend(
            self.left_out_incidents
                .iter()
                .filter(|(cause, _)| cause.is_none_or(|c| counted.contains(c)))
                .map(|(_, s)| s.clone()),
        );
        out.sort_by(|a, b| a.file.cmp(&b.file));
        out.dedup();
        out
    }
}

/// Computes the report for `records`, leaving out what `left_out` says.
pub fn build<'r>(records: &'r Records, left_out: &LeftOut, options: &Options) -> ChangesReport<'r> {
    let index = ChangeIndex::new(records, left_out);
    let service = options.service.as_deref();
    ChangesReport {
        period: options.period,
        now: options.now,
        services: index.services(options.period, service),
        upcoming: index.upcoming(options.now),
        skipped: index.skipped(options.period, options.now, service),
    }
}

/// The planned start of a change's window, when it decoded.
fn window_start(change: &Change) -> Option<DateTime<Utc>> {
    change
        .window
        .as_ref()
        .and_then(|w| w.start.as_ref())
        .map(|s| s.value.to_utc())
}

/// A duration in nanoseconds (whole seconds beyond the nanosecond range).
fn nanos(elapsed: chrono::Duration) -> i128 {
    elapsed.num_nanoseconds().map_or_else(
        || i128::from(elapsed.num_seconds()) * NANOS_PER_SECOND,
        i128::from,
    )
}

/// The median of sorted nanosecond durations in whole seconds, halves away
/// from zero; the mean of the middle two for an even count.
fn median_seconds(sorted: &[i128]) -> Option<i64> {
    let n = sorted.len();
    let nanos = match n {
        0 => return None,
        _ if n % 2 == 1 => div_round(sorted[n / 2], NANOS_PER_SECOND),
        _ => div_round(sorted[n / 2 - 1] + sorted[n / 2], 2 * NANOS_PER_SECOND),
    };
    Some(i64::try_from(nanos).unwrap_or(if nanos < 0 { i64::MIN } else { i64::MAX }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i128 = NANOS_PER_SECOND;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median_seconds(&[]), None);
        assert_eq!(median_seconds(&[7 * S]), Some(7));
        assert_eq!(median_seconds(&[S, 5 * S, 100 * S]), Some(5));
        // The mean of the middle two: (2 s + 3 s) / 2 = 2.5 s, away from zero.
        assert_eq!(median_seconds(&[S, 2 * S, 3 * S, 50 * S]), Some(3));
        assert_eq!(median_seconds(&[2 * S, 4 * S]), Some(3));
        // Half a second in the middle value itself rounds up too.
        assert_eq!(median_seconds(&[S / 2]), Some(1));
        assert_eq!(median_seconds(&[S / 2 - 1]), Some(0));
        // A negative lead time (ended before it was recorded) keeps its sign.
        assert_eq!(median_seconds(&[-3 * S, -2 * S]), Some(-3));
    }
}
