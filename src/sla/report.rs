//! The figures of `svc sla` (SPEC §3.3) and the open-incident view, computed from a
//! loaded repo into plain structs that every output format renders.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, Utc};
use rayon::prelude::*;

use super::calendar::{BusinessCalendar, WorkCalendar};
use super::evaluate::{Evaluation, State, TargetResult, evaluate};
use super::period::Period;
use super::skip::{DEPENDS_ON_SKIPPED, LeftOut, Skipped, Usable};
use super::{NANOS_PER_SECOND, Share, div_round, merge_spans};
use crate::model::incident::Window;
use crate::model::policy::{ALWAYS_ON, Targets};
use crate::model::{Incident, Records, SlaPolicy};
use crate::report::changes::ChangeIndex;
use crate::report::links::LinkedProblems;
use crate::report::problems::ProblemIndex;

/// How figures are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupBy {
    /// One row per service (the default).
    Service,
    /// One row per SLA policy.
    Policy,
    /// One row per owning team.
    Owner,
    /// One row per incident priority.
    Priority,
}

/// What to report on.
#[derive(Clone, Debug)]
pub struct Options {
    /// The period incidents are selected by (opened in it).
    pub period: Period,
    /// The clock.
    pub now: DateTime<Utc>,
    /// Grouping of the figures.
    pub group_by: GroupBy,
    /// Only this service.
    pub service: Option<String>,
}

/// One incident's evaluation, as listed in `incidents`; borrows from the records.
#[derive(Clone, Debug)]
pub struct IncidentRow<'r> {
    /// The incident record.
    pub incident: &'r Incident,
    /// Incident id.
    pub id: &'r str,
    /// Service id.
    pub service: &'r str,
    /// Policy id.
    pub policy: &'r str,
    /// Owner of the service.
    pub owner: Option<&'r str>,
    /// The effective priority.
    pub priority: &'r str,
    /// Targets and states.
    pub evaluation: Evaluation,
    /// True when the policy counts on a business calendar: its times are
    /// working hours and print as hours, never days (a "day" of 24 working
    /// hours is three office days).
    pub business_hours: bool,
}

/// An objective and how the period measured up to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Objective {
    /// `compliance`, `availability`, `satisfaction` or `change_failure_rate`.
    pub name: &'static str,
    /// Target percentage.
    pub target: f64,
    /// Measured percentage (None when nothing could be measured).
    pub actual: Option<f64>,
    /// The unrounded actual is at or above the target — at or below it for
    /// `change_failure_rate`, where lower is better (None when nothing could
    /// be measured).
    pub ok: Option<bool>,
}

/// The figures of one group (a service, unless grouped otherwise).
#[derive(Clone, Debug)]
pub struct Figures {
    /// The group key: service id, policy id, owner or priority.
    pub key: String,
    /// The service's policy (service grouping only).
    pub policy: Option<String>,
    /// Incidents opened in the period.
    pub incidents: usize,
    /// Incidents that met both targets.
    pub met: usize,
    /// Incidents that breached a target.
    pub breached: usize,
    /// Incidents not yet decided.
    pub pending: usize,
    /// met / (met + breached) × 100.
    pub compliance_pct: Option<f64>,
    /// Share of decided responses that met their target.
    pub response_met_pct: Option<f64>,
    /// Share of decided resolutions that met their target.
    pub resolution_met_pct: Option<f64>,
    /// Mean wall-clock seconds to the effective acknowledgement.
    pub mtta_seconds: Option<i64>,
    /// Mean wall-clock seconds to resolution.
    pub mttr_seconds: Option<i64>,
    /// 100 × (1 − outage / period).
    pub availability_pct: Option<f64>,
    /// The seconds of outage behind `availability_pct` (the union of the
    /// outage windows clipped to the elapsed period, summed over the group's
    /// services); None when availability is.
    pub outage_seconds: Option<usize>,
    /// Share of rated incidents scored 4 or 5.
    pub csat_pct: Option<f64>,
    /// The policy's objectives.
    pub objectives: Vec<Objective>,
    /// The problems linked to the group's incidents of the period (table, CSV
    /// and Markdown show them; the JSON keys of SPEC §3.4 do not).
    pub problems: LinkedProblems,
}

impl Figures {
    /// True when an objective was measured and missed.
    pub fn misses_objective(&self) -> bool {
        self.objectives.iter().any(|o| o.ok == Some(false))
    }
}

/// The whole `svc sla` result.
#[derive(Clone, Debug)]
pub struct SlaReport<'r> {
    /// The period reported on.
    pub period: Period,
    /// The clock used.
    pub now: DateTime<Utc>,
    /// The grouping.
    pub group_by: GroupBy,
    /// Figures per group, in key order.
    pub groups: Vec<Figures>,
    /// Every evaluated incident opened in the period, in id order.
    pub incidents: Vec<IncidentRow<'r>>,
    /// Records left out (SPEC §3.4), in file order.
    pub skipped: Vec<Skipped>,
    /// Incidents counted in their service's figures but not evaluated, since
    /// the service has no SLA policy: `(incident, service)`, in id order.
    pub unevaluated: Vec<(&'r str, &'r str)>,
}

/// An unresolved incident with the time left before each breach.
#[derive(Clone, Debug)]
pub struct OpenRow {
    /// Incident id.
    pub id: String,
    /// Service id.
    pub service: String,
    /// Priority.
    pub priority: String,
    /// When it was opened.
    pub opened_at: DateTime<Utc>,
    /// Response target, while no response was given.
    pub response: Option<TargetResult>,
    /// Resolution target.
    pub resolution: TargetResult,
    /// The escalation step now due: `(after %, notify)`.
    pub escalation: Option<(f64, String)>,
    /// True when the policy counts on a business calendar (see [`IncidentRow`]).
    pub business_hours: bool,
}

impl OpenRow {
    /// True when a target is already breached.
    pub fn breached(&self) -> bool {
        self.resolution.state == State::Breached
            || self.response.is_some_and(|r| r.state == State::Breached)
    }

    /// Seconds before the next breach (negative once breached).
    pub fn most_urgent(&self) -> i64 {
        let resolution = self.resolution.seconds_left();
        self.response
            .map_or(resolution, |r| r.seconds_left().min(resolution))
    }
}

/// Resolves each incident to its policy, targets and calendar, among the records
/// that are not left out.
struct Resolver<'r> {
    services: HashMap<&'r str, &'r crate::model::Service>,
    policies: HashMap<&'r str, &'r SlaPolicy>,
    calendars: HashMap<&'r str, WorkCalendar>,
}

impl<'r> Resolver<'r> {
    fn new(records: &'r Records, left_out: &LeftOut) -> Self {
        let usable = Usable::new(records, left_out);
        let mut calendars: HashMap<&str, WorkCalendar> = HashMap::new();
        calendars.insert(ALWAYS_ON, WorkCalendar::AlwaysOn);
        for c in records.calendars.iter().map(|c| &c.record) {
            if usable.calendars.contains(c.id.as_str()) {
                calendars.entry(c.id.as_str()).or_insert_with(|| {
                    WorkCalendar::Business(BusinessCalendar::new(
                        c.timezone,
                        c.hours.clone(),
                        c.holidays.iter().copied(),
                    ))
                });
            }
        }
        let mut services = HashMap::new();
        for s in records.services.iter().map(|s| &s.record) {
            if usable.services.contains(s.id.as_str()) {
                services.entry(s.id.as_str()).or_insert(s);
            }
        }
        let mut policies = HashMap::new();
        for p in records.policies.iter().map(|p| &p.record) {
            if usable.policies.contains(p.id.as_str()) {
                policies.entry(p.id.as_str()).or_insert(p);
            }
        }
        Resolver {
            services,
            policies,
            calendars,
        }
    }

    /// The policy, targets and calendar of `incident`; `None` when one of them
    /// is left out or missing.
    fn resolve(&self, incident: &Incident) -> Option<(&'r SlaPolicy, &'r Targets, &WorkCalendar)> {
        let service = self.services.get(incident.service_id()?)?;
        let policy = self.policies.get(service.policy.as_ref()?.as_str())?;
        let targets = policy.targets.get(incident.priority_name()?)?.as_ref()?;
        let calendar = self.calendars.get(policy.calendar_id())?;
        Some((policy, targets, calendar))
    }
}

/// An incident opened in the period whose service has no SLA policy: it counts
/// in the service's MTTA, MTTR and CSAT but has no targets to meet.
#[derive(Clone, Debug)]
pub struct UnevaluatedRow<'r> {
    /// The incident record.
    pub incident: &'r Incident,
    /// Service id.
    pub service: &'r str,
    /// Owner of the service.
    pub owner: Option<&'r str>,
    /// The effective priority.
    pub priority: &'r str,
}

/// The incidents of a period as `svc sla` selects them (SPEC §3.2, §3.4): those
/// opened in the period (of the one service asked for, if any), evaluated, not
/// evaluated for want of a policy, or left out. `svc export incidents` rests on
/// this same selection, so its rows are exactly the incidents `svc sla` counts.
#[derive(Clone, Debug)]
pub struct Selection<'r> {
    /// Every evaluated incident opened in the period, in id order.
    pub incidents: Vec<IncidentRow<'r>>,
    /// Incidents of services without a policy, in id order.
    pub unevaluated: Vec<UnevaluatedRow<'r>>,
    /// Records left out (SPEC §3.4), in file order.
    pub skipped: Vec<Skipped>,
}

/// The incidents of `options`' period and service, evaluated at `options.now`
/// (SPEC §3.1); see [`Selection`]. Incidents are evaluated in parallel.
pub fn select<'r>(records: &'r Records, left_out: &LeftOut, options: &Options) -> Selection<'r> {
    let resolver = Resolver::new(records, left_out);
    select_periods(&resolver, records, left_out, options, &[options.period])
        .pop()
        .unwrap_or_else(|| Selection {
            incidents: Vec::new(),
            unevaluated: Vec::new(),
            skipped: Vec::new(),
        })
}

/// Computes the report for `records`, leaving out what `left_out` says (SPEC
/// §3.3, §3.4). Incidents are evaluated in parallel; each is independent.
pub fn build<'r>(records: &'r Records, left_out: &LeftOut, options: &Options) -> SlaReport<'r> {
    let (report, _) = build_with_earlier(records, left_out, options, &[]);
    report
}

/// The report of [`build`] for `options.period`, and the same report for each
/// of `earlier` (the trend of the service review, SPEC §9), evaluating every
/// incident once: an incident belongs to the period it was opened in, so the
/// trend costs one evaluation of the incidents of all the periods, not one
/// `svc sla` run per period.
pub fn build_with_earlier<'r>(
    records: &'r Records,
    left_out: &LeftOut,
    options: &Options,
    earlier: &[Period],
) -> (SlaReport<'r>, Vec<SlaReport<'r>>) {
    let resolver = Resolver::new(records, left_out);
    let periods: Vec<Period> = std::iter::once(options.period)
        .chain(earlier.iter().copied())
        .collect();
    let selections = select_periods(&resolver, records, left_out, options, &periods);
    let outages = outages_by_service(records, left_out);
    // Change figures are only read for a policy that has an objective on them.
    let changes = resolver
        .policies
        .values()
        .any(|p| p.objectives.change_failure_rate.is_some())
        .then(|| ChangeIndex::new(records, left_out));
    let problems = ProblemIndex::new(records, left_out);
    let indexes = Indexes {
        resolver: &resolver,
        outages: &outages,
        changes: changes.as_ref(),
        problems: &problems,
    };
    let mut reports = periods
        .iter()
        .zip(selections)
        .map(|(period, selection)| aggregate(records, options, *period, &indexes, selection));
    let main = reports.next().unwrap_or_else(|| empty_report(options));
    (main, reports.collect())
}

/// The [`Selection`] of each of `periods`, evaluating every incident once: each
/// outcome goes to the period it was opened in; one whose opening is unknown
/// (left out) is listed in every period.
fn select_periods<'r>(
    resolver: &Resolver<'r>,
    records: &'r Records,
    left_out: &LeftOut,
    options: &Options,
    periods: &[Period],
) -> Vec<Selection<'r>> {
    let lookup = PeriodLookup::new(periods);
    let wanted = |service: &str| options.service.as_deref().is_none_or(|s| s == service);
    let outcomes: Vec<(Option<DateTime<Utc>>, Outcome<'r>)> = records
        .incidents
        .par_iter()
        .filter(|located| {
            let incident = &located.record;
            // An incident whose service or opening is unknown may belong
            // anywhere: it is listed as left out whatever the filters say.
            incident.service_id().is_none_or(wanted)
                && incident
                    .opened()
                    .is_none_or(|opened| !lookup.periods_of(opened.to_utc()).is_empty())
        })
        .map(|located| (located.record.opened().map(|o| o.to_utc()), located))
        .map(|(opened, located)| {
            let incident = &located.record;
            let outcome = (|| {
                if let Some(skipped) = left_out.own(&located.file, &incident.id.value) {
                    return Outcome::Skipped(skipped);
                }
                let depends = || {
                    Outcome::Skipped(Skipped {
                        id: incident.id.value.clone(),
                        file: located.file.clone(),
                        reason: DEPENDS_ON_SKIPPED.to_string(),
                    })
                };
                let (Some(service_id), Some(priority)) =
                    (incident.service_id(), incident.priority_name())
                else {
                    return depends();
                };
                let Some(service) = resolver.services.get(service_id) else {
                    return depends();
                };
                let owner = service.owner.as_ref().map(|o| o.as_str());
                if service.policy.is_none() {
                    return Outcome::WithoutPolicy(UnevaluatedRow {
                        incident,
                        service: service_id,
                        owner,
                        priority,
                    });
                }
                let resolved = resolver.resolve(incident);
                let evaluation = resolved.and_then(|(policy, targets, calendar)| {
                    Some((policy, evaluate(incident, targets, calendar, options.now)?))
                });
                match evaluation {
                    Some((policy, evaluation)) => Outcome::Evaluated(IncidentRow {
                        incident,
                        id: incident.id.as_str(),
                        service: service_id,
                        policy: policy.id.as_str(),
                        owner,
                        priority,
                        evaluation,
                        business_hours: policy.calendar_id() != ALWAYS_ON,
                    }),
                    None => depends(),
                }
            })();
            (opened, outcome)
        })
        .collect();
    let mut shared_skipped = left_out.shared(records);
    shared_skipped.extend(
        records
            .services
            .iter()
            .filter(|s| wanted(s.record.id.as_str()))
            .filter_map(|s| left_out.own(&s.file, &s.record.id.value)),
    );
    // Each outcome goes to the period it was opened in; one whose opening is
    // unknown (left out) is listed in every period.
    let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); periods.len()];
    let mut everywhere = Vec::new();
    for (at, (opened, _)) in outcomes.iter().enumerate() {
        match opened {
            Some(opened) => {
                for index in lookup.periods_of(*opened) {
                    if let Some(bucket) = buckets.get_mut(index) {
                        bucket.push(at);
                    }
                }
            }
            None => everywhere.push(at),
        }
    }
    buckets
        .iter()
        .map(|bucket| {
            let mut incidents = Vec::with_capacity(bucket.len());
            let mut unevaluated = Vec::new();
            let mut skipped = shared_skipped.clone();
            let mut members: Vec<usize> = bucket.iter().chain(&everywhere).copied().collect();
            members.sort_unstable();
            for (_, outcome) in members.iter().filter_map(|i| outcomes.get(*i)) {
                match outcome {
                    Outcome::Evaluated(row) => incidents.push(row.clone()),
                    Outcome::WithoutPolicy(row) => unevaluated.push(row.clone()),
                    Outcome::Skipped(entry) => skipped.push(entry.clone()),
                }
            }
            incidents.sort_unstable_by(|a, b| a.id.cmp(b.id));
            unevaluated.sort_by(|a, b| a.incident.id.as_str().cmp(b.incident.id.as_str()));
            skipped.sort_by(|a, b| a.file.cmp(&b.file));
            Selection {
                incidents,
                unevaluated,
                skipped,
            }
        })
        .collect()
}

/// Which of a run's periods an instant lies in: a binary search when the
/// periods do not overlap (the trend's never do), else a scan.
struct PeriodLookup {
    /// `(since, until, index)` by `since`.
    sorted: Vec<(DateTime<Utc>, DateTime<Utc>, usize)>,
    disjoint: bool,
}

impl PeriodLookup {
    fn new(periods: &[Period]) -> PeriodLookup {
        let mut sorted: Vec<(DateTime<Utc>, DateTime<Utc>, usize)> = periods
            .iter()
            .enumerate()
            .map(|(i, p)| (p.since, p.until, i))
            .collect();
        sorted.sort_unstable();
        let disjoint = sorted.windows(2).all(|w| w[0].1 <= w[1].0);
        PeriodLookup { sorted, disjoint }
    }

    /// The indexes of the periods that hold `at`.
    fn periods_of(&self, at: DateTime<Utc>) -> Vec<usize> {
        if self.disjoint {
            let after = self.sorted.partition_point(|(since, _, _)| *since <= at);
            return after
                .checked_sub(1)
                .and_then(|i| self.sorted.get(i))
                .filter(|(_, until, _)| at < *until)
                .map(|(_, _, index)| vec![*index])
                .unwrap_or_default();
        }
        self.sorted
            .iter()
            .filter(|(since, until, _)| *since <= at && at < *until)
            .map(|(_, _, index)| *index)
            .collect()
    }
}

/// The records every period of one run reads, built once.
struct Indexes<'a, 'r> {
    resolver: &'a Resolver<'r>,
    outages: &'a HashMap<&'r str, Vec<&'r Window>>,
    changes: Option<&'a ChangeIndex<'r>>,
    problems: &'a ProblemIndex<'r>,
}

/// A report with no figures (never reached: there is always a main period).
fn empty_report<'r>(options: &Options) -> SlaReport<'r> {
    SlaReport {
        period: options.period,
        now: options.now,
        group_by: options.group_by,
        groups: Vec::new(),
        incidents: Vec::new(),
        skipped: Vec::new(),
        unevaluated: Vec::new(),
    }
}

/// The figures of one period from its evaluated incidents.
fn aggregate<'r>(
    records: &'r Records,
    options: &Options,
    period: Period,
    indexes: &Indexes<'_, 'r>,
    selection: Selection<'r>,
) -> SlaReport<'r> {
    let Selection {
        incidents,
        unevaluated,
        skipped,
    } = selection;
    let without_policy: Vec<&'r Incident> = unevaluated.iter().map(|row| row.incident).collect();
    let resolver = indexes.resolver;
    let outages = indexes.outages;
    let changes = indexes.changes;
    let problems = indexes.problems;
    let wanted = |service: &str| options.service.as_deref().is_none_or(|s| s == service);

    let terminal = records.config.terminal_stage();
    let mut shown: BTreeMap<&str, &crate::model::Service> = BTreeMap::new();
    for service in resolver.services.values() {
        let retired_before = service.is_in(terminal)
            && service
                .stage_since()
                .is_none_or(|at| at.to_utc() <= period.since);
        if wanted(service.id.as_str()) && service.policy.is_some() && !retired_before {
            shown.insert(service.id.as_str(), service);
        }
    }
    let opened_in_period = incidents
        .iter()
        .map(|row| row.service)
        .chain(without_policy.iter().filter_map(|i| i.service_id()));
    for id in opened_in_period {
        if let Some(service) = resolver.services.get(id) {
            shown.insert(service.id.as_str(), service);
        }
    }

    // Availability is judged on the elapsed part of the period (SPEC §3.3).
    let elapsed = period.elapsed(options.now);
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for (id, service) in &shown {
        let key = match options.group_by {
            GroupBy::Service => Some(id.to_string()),
            GroupBy::Policy => service.policy.as_ref().map(|p| p.value.clone()),
            GroupBy::Owner => service.owner.as_ref().map(|o| o.value.clone()),
            GroupBy::Priority => None,
        };
        if let Some(key) = key {
            let uptime = elapsed.map_or(0, |elapsed| {
                uptime_seconds(outages.get(id).map_or(&[][..], Vec::as_slice), elapsed)
            });
            let group = groups.entry(key).or_default();
            group.members += 1;
            group.uptime_seconds += uptime;
            if let Some(rate) = changes.as_ref().and_then(|c| c.failure_rate(id, period)) {
                group.changes_decided += rate.whole();
                group.changes_failed += rate.part();
            }
        }
    }
    let owner_of = |service: &str| {
        resolver
            .services
            .get(service)
            .and_then(|s| s.owner.as_ref())
            .map_or(NO_OWNER, |o| o.as_str())
    };
    for row in &incidents {
        let key = match options.group_by {
            GroupBy::Service => row.service,
            GroupBy::Policy => row.policy,
            GroupBy::Owner => row.owner.unwrap_or(NO_OWNER),
            GroupBy::Priority => row.priority,
        };
        let group = groups.entry(key.to_string()).or_default();
        group.rows.push(row);
        group.incidents.push(row.incident);
    }
    for incident in &without_policy {
        let (Some(service), Some(priority)) = (incident.service_id(), incident.priority_name())
        else {
            continue;
        };
        let key = match options.group_by {
            GroupBy::Service => service,
            GroupBy::Policy => continue,
            GroupBy::Owner => owner_of(service),
            GroupBy::Priority => priority,
        };
        groups
            .entry(key.to_string())
            .or_default()
            .incidents
            .push(incident);
    }
    let elapsed_seconds = elapsed.map_or(0, |e| e.seconds());
    let groups = groups
        .into_iter()
        .map(|(key, group)| {
            let policy = match options.group_by {
                GroupBy::Service => shown
                    .get(key.as_str())
                    .and_then(|s| s.policy.as_ref())
                    .map(|p| p.value.clone()),
                GroupBy::Policy => Some(key.clone()),
                _ => None,
            };
            // Every member shares the elapsed period's length, so the mean of
            // their availabilities is their total uptime over members × length.
            let availability = match options.group_by {
                GroupBy::Priority => None,
                _ => Share::new(group.uptime_seconds, group.members * elapsed_seconds),
            };
            let objectives_of = policy
                .as_deref()
                .and_then(|p| resolver.policies.get(p))
                .map(|p| &p.objectives);
            let change_failures = Share::new(group.changes_failed, group.changes_decided);
            let linked = problems
                .links()
                .count_for(group.incidents.iter().map(|i| i.id.as_str()));
            figures(
                key,
                policy,
                &group,
                [availability, change_failures],
                objectives_of,
                linked,
            )
        })
        .collect();
    let mut unevaluated: Vec<(&str, &str)> = without_policy
        .iter()
        .filter_map(|i| Some((i.id.as_str(), i.service_id()?)))
        .collect();
    unevaluated.sort_unstable();
    SlaReport {
        period,
        now: options.now,
        group_by: options.group_by,
        groups,
        incidents,
        skipped,
        unevaluated,
    }
}

/// The group key of incidents whose service names no owner.
const NO_OWNER: &str = "(no owner)";

/// What became of one incident opened in the period.
enum Outcome<'r> {
    /// Evaluated against its policy's targets.
    Evaluated(IncidentRow<'r>),
    /// Its service has no SLA policy: it counts in the service's incident
    /// figures (MTTA, MTTR, CSAT) but has no targets to meet.
    WithoutPolicy(UnevaluatedRow<'r>),
    /// Left out of the report (SPEC §3.4).
    Skipped(Skipped),
}

/// The incidents and services of one row of the report.
#[derive(Default)]
struct Group<'a, 'r> {
    /// Incidents evaluated against their targets.
    rows: Vec<&'a IncidentRow<'r>>,
    /// Every incident of the group opened in the period, evaluated or not.
    incidents: Vec<&'r Incident>,
    /// Services in the group.
    members: usize,
    /// Their summed uptime over the period, in seconds.
    uptime_seconds: usize,
    /// Their changes with an outcome that started in the period, and how many
    /// of those failed or were rolled back (`change_failure_rate`).
    changes_decided: usize,
    changes_failed: usize,
}

/// The figures of one group; `availability` and `change_failures` are the
/// shares measured over its services.
fn figures(
    key: String,
    policy: Option<String>,
    group: &Group,
    [availability, change_failures]: [Option<Share>; 2],
    objectives: Option<&crate::model::policy::Objectives>,
    problems: LinkedProblems,
) -> Figures {
    let rows = &group.rows;
    let count = |state: State| rows.iter().filter(|r| r.evaluation.state == state).count();
    let (met, breached, pending) = (
        count(State::Met),
        count(State::Breached),
        count(State::Pending),
    );
    let met_share = |pick: fn(&Evaluation) -> State| {
        let met = rows
            .iter()
            .filter(|r| pick(&r.evaluation) == State::Met)
            .count();
        let breached = rows
            .iter()
            .filter(|r| pick(&r.evaluation) == State::Breached)
            .count();
        Share::new(met, met + breached).map(Share::percent)
    };
    // Means of exact wall-clock durations, rounded once (SPEC §3.4).
    let mean = |durations: Vec<i128>| {
        let count = i128::try_from(durations.len()).unwrap_or(i128::MAX);
        (count > 0).then(|| {
            let total: i128 = durations.iter().sum();
            i64::try_from(div_round(total, count * NANOS_PER_SECOND)).unwrap_or(i64::MAX)
        })
    };
    let nanos = |from: DateTime<FixedOffset>, to: DateTime<FixedOffset>| {
        let elapsed = to - from;
        elapsed.num_nanoseconds().map_or_else(
            || i128::from(elapsed.num_seconds()) * NANOS_PER_SECOND,
            i128::from,
        )
    };
    let incidents = &group.incidents;
    let mtta = mean(
        incidents
            .iter()
            .filter_map(|i| Some(nanos(i.opened()?, i.effective_acknowledgement()?)))
            .collect(),
    );
    let mttr = mean(
        incidents
            .iter()
            .filter_map(|i| Some(nanos(i.opened()?, i.resolved_at.as_ref()?.value)))
            .collect(),
    );
    let rated: Vec<u8> = incidents
        .iter()
        .filter_map(|i| i.satisfaction.as_ref().map(|s| s.value))
        .collect();
    let csat = Share::new(rated.iter().filter(|s| **s >= 4).count(), rated.len());
    let compliance = Share::new(met, met + breached);
    let mut list = Vec::new();
    if let Some(objectives) = objectives {
        let higher_is_better: fn(Share, f64) -> bool = Share::reaches;
        let lower_is_better: fn(Share, f64) -> bool = Share::stays_within;
        for (name, target, actual, ok) in [
            (
                "compliance",
                objectives.compliance,
                compliance,
                higher_is_better,
            ),
            (
                "availability",
                objectives.availability,
                availability,
                higher_is_better,
            ),
            (
                "satisfaction",
                objectives.satisfaction,
                csat,
                higher_is_better,
            ),
            (
                "change_failure_rate",
                objectives.change_failure_rate,
                change_failures,
                lower_is_better,
            ),
        ] {
            if let Some(target) = target {
                list.push(Objective {
                    name,
                    target,
                    actual: actual.map(Share::percent),
                    ok: actual.map(|share| ok(share, target)),
                });
            }
        }
    }
    Figures {
        key,
        policy,
        incidents: incidents.len(),
        met,
        breached,
        pending,
        compliance_pct: compliance.map(Share::percent),
        response_met_pct: met_share(|e| e.response.state),
        resolution_met_pct: met_share(|e| e.resolution.state),
        mtta_seconds: mtta,
        mttr_seconds: mttr,
        availability_pct: availability.map(Share::percent),
        outage_seconds: availability.map(|a| a.whole().saturating_sub(a.part())),
        csat_pct: csat.map(Share::percent),
        objectives: list,
        problems,
    }
}

/// The outage windows of every usable incident, by service, whenever they were
/// opened (SPEC §3.3).
fn outages_by_service<'r>(
    records: &'r Records,
    left_out: &LeftOut,
) -> HashMap<&'r str, Vec<&'r Window>> {
    let mut map: HashMap<&str, Vec<&Window>> = HashMap::new();
    for incident in records
        .incidents
        .iter()
        .filter(|i| !left_out.contains(&i.file))
    {
        if let Some(service) = incident.record.service_id() {
            map.entry(service)
                .or_default()
                .extend(incident.record.outage.iter());
        }
    }
    map
}

/// Period length minus the union of `windows` clipped to the period, in seconds.
fn uptime_seconds(windows: &[&Window], period: Period) -> usize {
    let spans = windows
        .iter()
        .map(|w| (w.from.value.to_utc(), w.to.value.to_utc()));
    let down: i64 = merge_spans(spans, period.since, period.until)
        .iter()
        .map(|(from, to)| (*to - *from).num_seconds())
        .sum();
    period
        .seconds()
        .saturating_sub(usize::try_from(down).unwrap_or(0))
}

/// The escalation step of `policy` now due for an open incident: the latest
/// step whose `after` the most advanced clock has reached, `(after %, notify)`.
/// `response` is `None` once the incident was responded to.
fn escalation_due(
    policy: &SlaPolicy,
    response: Option<TargetResult>,
    resolution: &TargetResult,
) -> Option<(f64, String)> {
    let elapsed_pct = [response, Some(*resolution)]
        .into_iter()
        .flatten()
        .map(|t| {
            if t.target_seconds == 0 {
                f64::INFINITY
            } else {
                t.counted_seconds as f64 * 100.0 / t.target_seconds as f64
            }
        })
        .fold(0.0, f64::max);
    policy
        .escalation
        .iter()
        .filter(|step| step.after <= elapsed_pct)
        .max_by(|a, b| a.after.total_cmp(&b.after))
        .map(|step| (step.after, step.notify.clone()))
}

/// The policy id, the evaluation and the escalation step due of one incident.
pub type IncidentView<'r> = (&'r str, Evaluation, Option<(f64, String)>);

/// One incident evaluated against its policy, as `svc show` shows it: the
/// policy id, the evaluation and, while it is unresolved, the escalation step
/// due. `None` when the incident or a record it rests on is left out.
pub fn incident_view<'r>(
    records: &'r Records,
    left_out: &LeftOut,
    file: &str,
    incident: &'r Incident,
    now: DateTime<Utc>,
) -> Option<IncidentView<'r>> {
    if left_out.contains(file) {
        return None;
    }
    let resolver = Resolver::new(records, left_out);
    let (policy, targets, calendar) = resolver.resolve(incident)?;
    let evaluation = evaluate(incident, targets, calendar, now)?;
    let escalation = incident.is_unresolved().then(|| {
        let response = incident
            .effective_acknowledgement()
            .is_none()
            .then_some(evaluation.response);
        escalation_due(policy, response, &evaluation.resolution)
    });
    Some((policy.id.as_str(), evaluation, escalation.flatten()))
}

/// Unresolved incidents (optionally of one service), most urgent first, and the
/// records left out.
pub fn open_incidents(
    records: &Records,
    left_out: &LeftOut,
    now: DateTime<Utc>,
    service: Option<&str>,
) -> (Vec<OpenRow>, Vec<Skipped>) {
    let resolver = Resolver::new(records, left_out);
    let mut rows = Vec::new();
    let mut skipped = left_out.shared(records);
    for located in &records.incidents {
        let incident = &located.record;
        if !incident.is_unresolved()
            || service.is_some_and(|s| incident.service_id().is_some_and(|id| id != s))
        {
            continue;
        }
        if let Some(entry) = left_out.own(&located.file, &incident.id.value) {
            skipped.push(entry);
            continue;
        }
        let evaluated = resolver
            .resolve(incident)
            .and_then(|(policy, targets, calendar)| {
                Some((policy, evaluate(incident, targets, calendar, now)?))
            });
        let (Some((policy, evaluation)), Some(service), Some(priority), Some(opened)) = (
            evaluated,
            incident.service_id(),
            incident.priority_name(),
            incident.opened(),
        ) else {
            skipped.push(Skipped {
                id: incident.id.value.clone(),
                file: located.file.clone(),
                reason: DEPENDS_ON_SKIPPED.to_string(),
            });
            continue;
        };
        let response = incident
            .effective_acknowledgement()
            .is_none()
            .then_some(evaluation.response);
        let escalation = escalation_due(policy, response, &evaluation.resolution);
        rows.push(OpenRow {
            id: incident.id.value.clone(),
            service: service.to_string(),
            priority: priority.to_string(),
            opened_at: opened.to_utc(),
            response,
            resolution: evaluation.resolution,
            escalation,
            business_hours: policy.calendar_id() != ALWAYS_ON,
        });
    }
    rows.sort_by(|a, b| {
        a.most_urgent()
            .cmp(&b.most_urgent())
            .then_with(|| a.id.cmp(&b.id))
    });
    skipped.sort_by(|a, b| a.file.cmp(&b.file));
    (rows, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn period(since: &str, until: &str) -> Period {
        Period {
            since: at(since),
            until: at(until),
        }
    }

    #[test]
    fn an_instant_lies_in_the_period_that_holds_it_and_in_no_other() {
        // The reviewed period first, then its trend, as the review passes them.
        let periods = [
            period("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"),
            period("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"),
            period("2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"),
        ];
        let lookup = PeriodLookup::new(&periods);
        assert!(lookup.disjoint);
        assert_eq!(lookup.periods_of(at("2026-03-31T23:59:59Z")), [0]);
        assert_eq!(lookup.periods_of(at("2026-02-01T00:00:00Z")), [2]);
        assert_eq!(lookup.periods_of(at("2026-01-15T00:00:00Z")), [1]);
        assert!(lookup.periods_of(at("2026-04-01T00:00:00Z")).is_empty());
        assert!(lookup.periods_of(at("2025-12-31T23:59:59Z")).is_empty());
        // Overlapping periods (not what a trend gives) are each asked.
        let overlapping = [
            period("2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"),
            period("2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z"),
        ];
        let lookup = PeriodLookup::new(&overlapping);
        assert!(!lookup.disjoint);
        assert_eq!(lookup.periods_of(at("2026-02-10T00:00:00Z")), [0, 1]);
    }
}
