//! The lifecycle report (SPEC §4): every service with its stage, time in stage,
//! stale flag and whether the next stage's gates hold.

use chrono::{DateTime, Utc};

use super::{Neighbours, gate_failures};
use crate::model::Records;

/// One service's line of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct LifecycleRow {
    /// Service id.
    pub service: String,
    /// Owner.
    pub owner: Option<String>,
    /// Current stage.
    pub stage: String,
    /// When the current stage was entered: the last history entry's `at`, as
    /// written in the file (its own offset kept).
    pub since: Option<String>,
    /// Whole days since then; 0 when that time is after `now`.
    pub days_in_stage: Option<i64>,
    /// Longer in the stage than `stale_after_days` allows.
    pub stale: bool,
    /// The next stage (None in the terminal stage).
    pub next_stage: Option<String>,
    /// Whether the next stage's gates (and the earlier ones) hold.
    pub next_gate_ok: Option<bool>,
    /// What is missing for the next stage.
    pub missing: Vec<String>,
}

/// The report: services in stage order, then stage counts in stage order.
#[derive(Clone, Debug, PartialEq)]
pub struct LifecycleReport {
    /// One row per service.
    pub services: Vec<LifecycleRow>,
    /// `(stage, count)` for every configured stage.
    pub stages: Vec<(String, usize)>,
}

impl LifecycleReport {
    /// Keeps only the stale services (`--stale`), the stage counts counting
    /// only them, so every format shows the same services.
    pub fn only_stale(&mut self) {
        self.services.retain(|s| s.stale);
        for (stage, count) in &mut self.stages {
            *count = self.services.iter().filter(|s| &s.stage == stage).count();
        }
    }
}

/// Builds the lifecycle report of `records` at `now`. A service whose stage did
/// not decode has no place in it (its file has an error).
pub fn build(records: &Records, now: DateTime<Utc>) -> LifecycleReport {
    let config = &records.config;
    let neighbours = Neighbours::new(config, &records.services, &records.incidents);
    let mut services: Vec<LifecycleRow> = records
        .services
        .iter()
        .filter_map(|located| {
            let service = &located.record;
            let stage = service.stage()?;
            // A stage entered after `now` (a clock behind the file, or a
            // `--now` in the past) has been entered for no days yet, not for
            // a negative number (audit #19).
            let days_in_stage = service
                .stage_since()
                .map(|at| (now - at.to_utc()).num_days().max(0));
            let since = service
                .stage_entry()
                .and_then(|entry| entry.at_text.clone());
            let stale = match (config.stale_after_days.get(stage.as_str()), days_in_stage) {
                (Some(limit), Some(days)) => days > i64::from(*limit),
                _ => false,
            };
            let next_stage = config
                .stage_index(stage)
                .and_then(|i| config.stages.get(i + 1))
                .cloned();
            let missing: Vec<String> = next_stage
                .as_ref()
                .map(|next| {
                    gate_failures(config, service, next, &neighbours)
                        .iter()
                        .map(|f| f.missing())
                        .collect()
                })
                .unwrap_or_default();
            Some(LifecycleRow {
                service: service.id.value.clone(),
                owner: service.owner.as_ref().map(|o| o.value.clone()),
                stage: stage.value.clone(),
                since,
                days_in_stage,
                stale,
                next_gate_ok: next_stage.as_ref().map(|_| missing.is_empty()),
                next_stage,
                missing,
            })
        })
        .collect();
    services.sort_by(|a, b| {
        let rank = |stage: &str| config.stage_index(stage).unwrap_or(usize::MAX);
        rank(&a.stage)
            .cmp(&rank(&b.stage))
            .then_with(|| a.service.cmp(&b.service))
    });
    let stages = config
        .stages
        .iter()
        .map(|stage| {
            (
                stage.clone(),
                services.iter().filter(|s| &s.stage == stage).count(),
            )
        })
        .collect();
    LifecycleReport { services, stages }
}
