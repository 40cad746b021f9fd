//! The figures of `svc sla` (SPEC §3.3) and the open-incident view, computed from a
//! loaded repo into plain structs that every output format renders.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, FixedOffset, Utc};
use rayon::prelude::*;

use super::calendar::{BusinessCalendar, WorkCalendar};
use super::evaluate::{Evaluation, State, TargetResult, evaluate};
use super::period::Period;
use super::skip::{DEPENDS_ON_SKIPPED, LeftOut, Skipped, Usable};
use super::{NANOS_PER_SECOND, div_round, merge_spans};
use crate::model::incident::Window;
use crate::model::policy::{ALWAYS_ON, Targets};
use crate::model::{Incident, Records, SlaPolicy};

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
    /// `compliance`, `availability` or `satisfaction`.
    pub name: &'static str,
    /// Target percentage.
    pub target: f64,
    /// Measured percentage (None when nothing could be measured).
    pub actual: Option<f64>,
    /// actual >= target (None when nothing could be measured).
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
    /// Share of rated incidents scored 4 or 5.
    pub csat_pct: Option<f64>,
    /// The policy's objectives.
    pub objectives: Vec<Objective>,
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

/// Computes the report for `records`, leaving out what `left_out` says (SPEC
/// §3.3, §3.4). Incidents are evaluated in parallel; each is independent.
pub fn build<'r>(records: &'r Records, left_out: &LeftOut, options: &Options) -> SlaReport<'r> {
    let resolver = Resolver::new(records, left_out);
    let period = options.period;
    let wanted = |service: &str| options.service.as_deref().is_none_or(|s| s == service);
    let outcomes: Vec<Outcome<'r>> = records
        .incidents
        .par_iter()
        .filter(|located| {
            let incident = &located.record;
            // An incident whose service or opening is unknown may belong
            // anywhere: it is listed as left out whatever the filters say.
            incident.service_id().is_none_or(wanted)
                && incident
                    .opened()
                    .is_none_or(|opened| period.contains(opened.to_utc()))
        })
        .map(|located| {
            let incident = &located.record;
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
            if service.policy.is_none() {
                return Outcome::WithoutPolicy(incident);
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
                    owner: service.owner.as_ref().map(|o| o.as_str()),
                    priority,
                    evaluation,
                    business_hours: policy.calendar_id() != ALWAYS_ON,
                }),
                None => depends(),
            }
        })
        .collect();
    let mut incidents = Vec::with_capacity(outcomes.len());
    let mut without_policy = Vec::new();
    let mut skipped = left_out.shared(records);
    skipped.extend(
        records
            .services
            .iter()
            .filter(|s| wanted(s.record.id.as_str()))
            .filter_map(|s| left_out.own(&s.file, &s.record.id.value)),
    );
    for outcome in outcomes {
        match outcome {
            Outcome::Evaluated(row) => incidents.push(row),
            Outcome::WithoutPolicy(incident) => without_policy.push(incident),
            Outcome::Skipped(entry) => skipped.push(entry),
        }
    }
    incidents.sort_unstable_by(|a, b| a.id.cmp(b.id));
    skipped.sort_by(|a, b| a.file.cmp(&b.file));

    let outages = outages_by_service(records, left_out);
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
            figures(key, policy, &group, availability, objectives_of)
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
    WithoutPolicy(&'r Incident),
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
}

/// A share `part / whole` kept exact: rounded to 2 decimals for output, compared
/// with an objective's target unrounded (99.947 % misses a 99.95 % objective).
#[derive(Clone, Copy, Debug)]
struct Share {
    part: usize,
    whole: usize,
}

impl Share {
    /// The share, or None when `whole` is 0 (nothing to measure).
    fn new(part: usize, whole: usize) -> Option<Share> {
        (whole > 0).then_some(Share { part, whole })
    }

    /// As a percentage rounded to 2 decimals, halves away from zero.
    fn percent(self) -> f64 {
        // In integers: through `f64` a decimal half such as 1.005 % is stored
        // as 1.00499… and would round down.
        div_round(10_000 * self.part as i128, self.whole as i128) as f64 / 100.0
    }

    /// True when the unrounded percentage is at least `target`. Dividing two
    /// integers in `f64` is correctly rounded, so a share exactly equal to the
    /// written target (999 of 1,000 against 99.9 %) compares equal.
    fn reaches(self, target: f64) -> bool {
        self.part as f64 * 100.0 / self.whole as f64 >= target
    }
}

fn figures(
    key: String,
    policy: Option<String>,
    group: &Group,
    availability: Option<Share>,
    objectives: Option<&crate::model::policy::Objectives>,
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
        for (name, target, actual) in [
            ("compliance", objectives.compliance, compliance),
            ("availability", objectives.availability, availability),
            ("satisfaction", objectives.satisfaction, csat),
        ] {
            if let Some(target) = target {
                list.push(Objective {
                    name,
                    target,
                    actual: actual.map(Share::percent),
                    ok: actual.map(|share| share.reaches(target)),
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
        csat_pct: csat.map(Share::percent),
        objectives: list,
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
        let elapsed_pct = [response, Some(evaluation.resolution)]
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
        let escalation = policy
            .escalation
            .iter()
            .filter(|step| step.after <= elapsed_pct)
            .max_by(|a, b| a.after.total_cmp(&b.after))
            .map(|step| (step.after, step.notify.clone()));
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
    use super::Share;

    fn percent(part: usize, whole: usize) -> Option<f64> {
        Share::new(part, whole).map(Share::percent)
    }

    #[test]
    fn percent_rounds_decimal_halves_away_from_zero() {
        // 201 of 20,000 is exactly 1.005 %; through f64 it became 1.00.
        assert_eq!(percent(201, 20_000), Some(1.01));
        assert_eq!(percent(1, 32), Some(3.13));
        assert_eq!(percent(2, 3), Some(66.67));
        assert_eq!(percent(1, 3), Some(33.33));
        assert_eq!(percent(0, 7), Some(0.0));
        assert_eq!(percent(7, 7), Some(100.0));
        assert_eq!(percent(0, 0), None);
    }

    #[test]
    fn objectives_compare_the_unrounded_share() {
        // 99.947 % is shown as 99.95 but misses a 99.95 % objective.
        let share = Share::new(99_947, 100_000).unwrap();
        assert_eq!(share.percent(), 99.95);
        assert!(!share.reaches(99.95));
        assert!(Share::new(999, 1_000).unwrap().reaches(99.9));
        assert!(Share::new(19, 20).unwrap().reaches(95.0));
    }
}
