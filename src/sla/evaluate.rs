//! One incident against its policy's targets (SPEC §3.1): counted response and
//! resolution time, and whether each target is met, breached or pending.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::calendar::WorkCalendar;
use super::{NANOS_PER_SECOND, nanos_to_seconds};
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

/// Evaluates `incident` with `targets` on `calendar`, with `now` as the clock;
/// `None` when its `opened_at` is unknown. A running pause lasts until now.
pub fn evaluate(
    incident: &Incident,
    targets: &Targets,
    calendar: &WorkCalendar,
    now: DateTime<Utc>,
) -> Option<Evaluation> {
    let pauses: Vec<(DateTime<Utc>, DateTime<Utc>)> = incident
        .paused
        .iter()
        .map(|p| {
            let to = p.to.as_ref().map_or(now, |to| to.value.to_utc());
            (p.from.value.to_utc(), to)
        })
        .collect();
    let opened = incident.opened()?.to_utc();
    let target = |end: Option<DateTime<Utc>>, target_seconds: i64| {
        let finished = end.is_some();
        let end = end.unwrap_or(now);
        // The state compares the exact time, the output shows it rounded: 900.4 s
        // against 900 s is a breach shown as 900.
        let counted = calendar.counted_nanos(opened, end, &pauses);
        let state = if counted > i128::from(target_seconds) * NANOS_PER_SECOND {
            State::Breached
        } else if finished {
            State::Met
        } else {
            State::Pending
        };
        TargetResult {
            counted_seconds: nanos_to_seconds(counted),
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
    Some(Evaluation {
        response,
        resolution,
        state,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Record, decode_file};
    use crate::sla::calendar::BusinessCalendar;

    const TARGETS: &str =
        "kind: SlaPolicy\nid: p\ntargets:\n  P1: { response: 15m, resolution: 4h }\n";

    fn targets() -> Targets {
        match decode_file("policies/p.yaml", TARGETS).0 {
            Some(Record::Policy(p)) => p.targets["P1"].clone().unwrap(),
            other => panic!("{other:?}"),
        }
    }

    fn incident(extra: &str) -> Incident {
        let text = format!(
            "kind: Incident\nid: I-1\nservice: s\ntitle: t\npriority: P1\nopened_at: 2026-03-02T09:00:00+01:00\n{extra}"
        );
        match decode_file("incidents/I-1.yaml", &text) {
            (Some(Record::Incident(i)), d) if d.is_empty() => i,
            other => panic!("{other:?}"),
        }
    }

    fn now(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn berlin_office() -> WorkCalendar {
        let day = vec![(9 * 60, 18 * 60)];
        let hours = [
            day.clone(),
            day.clone(),
            day.clone(),
            day.clone(),
            day,
            vec![],
            vec![],
        ];
        WorkCalendar::Business(BusinessCalendar::new(chrono_tz::Europe::Berlin, hours, []))
    }

    #[test]
    fn acknowledged_exactly_at_the_target_second_is_met() {
        let i = incident("acknowledged_at: 2026-03-02T09:15:00+01:00\n");
        let e = evaluate(
            &i,
            &targets(),
            &WorkCalendar::AlwaysOn,
            now("2026-03-02T09:30:00Z"),
        )
        .unwrap();
        assert_eq!(
            e.response,
            TargetResult {
                counted_seconds: 900,
                target_seconds: 900,
                state: State::Met
            }
        );
    }

    #[test]
    fn acknowledged_one_second_late_is_breached() {
        let i = incident("acknowledged_at: 2026-03-02T09:15:01+01:00\n");
        let e = evaluate(
            &i,
            &targets(),
            &WorkCalendar::AlwaysOn,
            now("2026-03-02T09:30:00Z"),
        )
        .unwrap();
        assert_eq!(e.response.state, State::Breached);
        assert_eq!(e.state, State::Breached);
    }

    #[test]
    fn open_incident_before_its_target_is_pending_with_time_so_far() {
        let i = incident("");
        let e = evaluate(
            &i,
            &targets(),
            &WorkCalendar::AlwaysOn,
            now("2026-03-02T08:10:00Z"),
        )
        .unwrap();
        assert_eq!(
            e.response,
            TargetResult {
                counted_seconds: 600,
                target_seconds: 900,
                state: State::Pending
            }
        );
        assert_eq!(e.state, State::Pending);
    }

    #[test]
    fn open_incident_exactly_at_its_target_is_still_pending() {
        let e = evaluate(
            &incident(""),
            &targets(),
            &WorkCalendar::AlwaysOn,
            now("2026-03-02T08:15:00Z"),
        )
        .unwrap();
        assert_eq!(e.response.state, State::Pending);
    }

    #[test]
    fn open_incident_past_its_target_is_breached() {
        let e = evaluate(
            &incident(""),
            &targets(),
            &WorkCalendar::AlwaysOn,
            now("2026-03-02T08:15:01Z"),
        )
        .unwrap();
        assert_eq!(e.response.state, State::Breached);
        assert_eq!(e.resolution.state, State::Pending);
        assert_eq!(e.state, State::Breached);
    }

    #[test]
    fn resolution_without_acknowledgement_is_the_first_response() {
        let i = incident("resolved_at: 2026-03-02T09:10:00+01:00\n");
        let e = evaluate(
            &i,
            &targets(),
            &WorkCalendar::AlwaysOn,
            now("2026-03-03T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(e.response.counted_seconds, 600);
        assert_eq!(e.state, State::Met);
    }

    #[test]
    fn spec_example_counts_pauses_out() {
        let i = incident(
            "acknowledged_at: 2026-03-02T09:06:00+01:00\nresolved_at: 2026-03-02T10:48:00+01:00\npaused:\n  - { from: 2026-03-02T09:46:00+01:00, to: 2026-03-02T10:16:00+01:00 }\n",
        );
        let e = evaluate(
            &i,
            &targets(),
            &WorkCalendar::AlwaysOn,
            now("2026-03-03T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(e.response.counted_seconds, 360);
        assert_eq!(e.resolution.counted_seconds, 4680);
    }

    #[test]
    fn business_hours_stop_the_clock_overnight() {
        // Opened Monday 17:00 Berlin, resolved Tuesday 10:00: 1 h Monday + 1 h Tuesday.
        let text = "kind: Incident\nid: I-2\nservice: s\ntitle: t\npriority: P1\nopened_at: 2026-03-02T17:00:00+01:00\nresolved_at: 2026-03-03T10:00:00+01:00\n";
        let Some(Record::Incident(i)) = decode_file("incidents/I-2.yaml", text).0 else {
            panic!()
        };
        let e = evaluate(
            &i,
            &targets(),
            &berlin_office(),
            now("2026-03-04T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(e.resolution.counted_seconds, 7200);
        assert_eq!(e.resolution.state, State::Met);
    }

    #[test]
    fn the_offset_a_timestamp_is_written_in_changes_nothing() {
        let a = incident("resolved_at: 2026-03-02T12:00:00+01:00\n");
        let b = incident("resolved_at: 2026-03-02T06:00:00-05:00\n");
        let calendar = berlin_office();
        let at = now("2026-03-04T00:00:00Z");
        assert_eq!(
            evaluate(&a, &targets(), &calendar, at).unwrap(),
            evaluate(&b, &targets(), &calendar, at).unwrap()
        );
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        fn written(instant: i64, offset_minutes: i32) -> String {
            let offset = chrono::FixedOffset::east_opt(offset_minutes * 60).unwrap();
            DateTime::from_timestamp(instant, 0)
                .unwrap()
                .with_timezone(&offset)
                .to_rfc3339()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(128))]

            /// The offset a timestamp is written in never changes a result.
            #[test]
            fn offsets_never_change_a_result(
                opened in 1_767_225_600i64..1_798_761_600,
                ack in 0i64..200_000,
                resolved in 0i64..2_000_000,
                pause in (0i64..100_000, 0i64..100_000),
                offsets in prop::collection::vec(-14 * 60..=14 * 60i32, 5),
            ) {
                let calendar = berlin_office();
                let at = now("2027-06-01T00:00:00Z");
                let text = |o: &[i32]| format!(
                    "acknowledged_at: {}\nresolved_at: {}\npaused:\n  - {{ from: {}, to: {} }}\n",
                    written(opened + ack, o[0]),
                    written(opened + ack + resolved, o[1]),
                    written(opened + pause.0, o[2]),
                    written(opened + pause.0 + pause.1, o[3]),
                );
                let in_utc = incident_opened(opened, 0, &text(&[0, 0, 0, 0]));
                let shifted = incident_opened(opened, offsets[4], &text(&offsets));
                prop_assert_eq!(
                    evaluate(&in_utc, &targets(), &calendar, at).unwrap(),
                    evaluate(&shifted, &targets(), &calendar, at).unwrap()
                );
            }
        }

        fn incident_opened(opened: i64, offset: i32, extra: &str) -> Incident {
            let text = format!(
                "kind: Incident\nid: I-1\nservice: s\ntitle: t\npriority: P1\nopened_at: {}\n{extra}",
                written(opened, offset)
            );
            match decode_file("incidents/I-1.yaml", &text).0 {
                Some(Record::Incident(i)) => i,
                other => panic!("{other:?}"),
            }
        }
    }
}
