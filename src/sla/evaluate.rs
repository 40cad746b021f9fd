//! One incident against its policy's targets (SPEC §3.1): counted response and
//! resolution time, and whether each target is met, breached or pending.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::calendar::WorkCalendar;
use crate::model::Incident;
use crate::model::policy::Targets;

/// The state of one target, or of a whole incident.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Counted time <= target.
    Met,
    /// Counted time > target.
    Breached,
    /// Not finished, and the clock has not yet run past the target.
    Pending,
}

impl State {
    /// The lower-case name used in every output.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Met => "met",
            State::Breached => "breached",
            State::Pending => "pending",
        }
    }
}

/// One evaluated target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct TargetResult {
    /// Counted seconds to the end timestamp, or to now while pending.
    pub counted_seconds: i64,
    /// The target in seconds.
    pub target_seconds: i64,
    /// Met, breached or pending.
    pub state: State,
}

impl TargetResult {
    /// Seconds left before the target is breached (negative once breached).
    pub fn seconds_left(&self) -> i64 {
        self.target_seconds - self.counted_seconds
    }
}

/// An incident evaluated against its targets.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// Response: opened_at to the effective acknowledgement.
    pub response: TargetResult,
    /// Resolution: opened_at to resolved_at.
    pub resolution: TargetResult,
    /// Met when both are met, breached when either is, else pending.
    pub state: State,
}

/// Evaluates `incident` with `targets` on `calendar`, with `now` as the clock.
pub fn evaluate(
    incident: &Incident,
    targets: &Targets,
    calendar: &WorkCalendar,
    now: DateTime<Utc>,
) -> Evaluation {
    let pauses: Vec<(DateTime<Utc>, DateTime<Utc>)> = incident
        .paused
        .iter()
        .map(|p| (p.from.value.to_utc(), p.to.value.to_utc()))
        .collect();
    let opened = incident.opened_at.value.to_utc();
    let target = |end: Option<DateTime<Utc>>, target_seconds: i64| {
        let counted_seconds = calendar.counted(opened, end.unwrap_or(now), &pauses);
        let state = if counted_seconds > target_seconds {
            State::Breached
        } else if end.is_some() {
            State::Met
        } else {
            State::Pending
        };
        TargetResult {
            counted_seconds,
            target_seconds,
            state,
        }
    };
    let response = target(
        incident.effective_acknowledgement().map(|t| t.to_utc()),
        targets.response.seconds,
    );
    let resolution = target(
        incident.resolved_at.as_ref().map(|t| t.value.to_utc()),
        targets.resolution.seconds,
    );
    let state = match (response.state, resolution.state) {
        (State::Breached, _) | (_, State::Breached) => State::Breached,
        (State::Met, State::Met) => State::Met,
        _ => State::Pending,
    };
    Evaluation {
        response,
        resolution,
        state,
    }
}
