//! Working-time calendars and counted time (SPEC §3.1).
//!
//! An SLA clock only runs during a calendar's working intervals: the local
//! wall-clock ranges of `hours` on every local date that is not a holiday,
//! turned into instants in the calendar's time zone. [`WorkCalendar::counted`]
//! measures how much of `[a, b)` falls inside them, minus pauses, and
//! [`WorkCalendar::deadline`] inverts it. Counted time is exact to the
//! nanosecond and rounded to whole seconds only for display.
//!
//! # DST rules
//!
//! An instant is working time when the calendar's wall clock shows a time
//! inside one of the ranges of a working date. Every range therefore counts
//! the time that really elapses while the clock is inside it:
//!
//! - wall-clock times that a gap (spring forward) skips never occur, so
//!   `01:00-04:00` on a day whose clock skips `02:00-03:00` counts 2 h, and a
//!   range endpoint in the gap acts as the instant the gap ends;
//! - wall-clock times that fall back repeats occur twice and count twice:
//!   `01:00-04:00` across a repeated `02:00-03:00` counts 4 h, and
//!   `02:00-02:20` counts 40 minutes, twenty in each pass;
//! - `24:00` is local midnight of the next day, and ranges that touch
//!   (`00:00-24:00` every day) join seamlessly.
//!
//! The work is split by job: [`business`] holds a calendar's weekly hours and
//! holidays and counts them in time independent of the span, [`zone`] finds a
//! time zone's offset changes, and this module counts counted time (minus
//! pauses) and inverts it into deadlines.

mod business;
#[cfg(test)]
mod tests;
mod zone;

use chrono::{DateTime, Utc};

pub use business::BusinessCalendar;
use zone::DAY;

use super::{NANOS_PER_SECOND, merge_spans, nanos_to_seconds};

/// How far ahead `deadline` looks: twenty years of 365.25 days.
const DEADLINE_HORIZON: i64 = 7_305 * DAY;

/// Working-time calendar.
#[derive(Debug, Clone)]
pub enum WorkCalendar {
    /// The built-in `24x7` calendar: every second counts.
    AlwaysOn,
    /// Weekly working hours in a time zone, holidays excepted.
    Business(BusinessCalendar),
}

impl WorkCalendar {
    /// Working time in `[a, b)` minus the union of `pauses` (each `[from, to)`),
    /// in whole seconds, halves rounded away from zero (SPEC §3.4).
    ///
    /// Pauses may be unsorted or overlapping; time in a pause outside working
    /// hours is not subtracted twice. Returns 0 if `b <= a`.
    #[must_use]
    pub fn counted(
        &self,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
        pauses: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> i64 {
        nanos_to_seconds(self.counted_nanos(a, b, pauses))
    }

    /// [`counted`](Self::counted) to the nanosecond, unrounded: what a target
    /// is compared with, so 900.4 s against a 900 s target is a breach.
    #[must_use]
    pub fn counted_nanos(
        &self,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
        pauses: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> i128 {
        if b <= a {
            return 0;
        }
        let mut total = self.working_nanos(a, b);
        for (from, to) in merge_spans(pauses.iter().copied(), a, b) {
            total -= self.working_nanos(from, to);
        }
        total.max(0)
    }

    /// The instant at which `counted(a, t, pauses)` first reaches `budget`
    /// seconds (the deadline), or `None` if it never does within a horizon of
    /// 20 years.
    ///
    /// That is the earliest whole-second `t >= a` with
    /// `counted(a, t, pauses) == budget`; a `budget` of 0 (or less) gives `a`
    /// itself. Found by galloping and then bisecting over `counted`, so it
    /// takes O(log horizon) counts.
    #[must_use]
    pub fn deadline(
        &self,
        a: DateTime<Utc>,
        budget: i64,
        pauses: &[(DateTime<Utc>, DateTime<Utc>)],
    ) -> Option<DateTime<Utc>> {
        if budget <= 0 {
            return Some(a);
        }
        let start = a.timestamp();
        let horizon = start.saturating_add(DEADLINE_HORIZON);
        let pauses = merge_pauses(pauses, start, horizon);
        let reached = |t: i64| self.counted_seconds(start, t, &pauses) >= budget;
        // The clock runs at most one second per second, so the deadline is at
        // least `budget` away: `below` has certainly not reached it.
        let mut below = start.saturating_add(budget - 1);
        if below >= horizon {
            return None;
        }
        let mut above = below + 1;
        let mut step = budget;
        while !reached(above) {
            if above >= horizon {
                return None;
            }
            below = above;
            above = below.saturating_add(step).min(horizon);
            step = step.saturating_mul(2);
        }
        while above - below > 1 {
            let middle = below + (above - below) / 2;
            if reached(middle) {
                above = middle;
            } else {
                below = middle;
            }
        }
        DateTime::from_timestamp(above, 0)
    }

    /// Counted seconds in `[a, b)` given sorted, disjoint pauses.
    fn counted_seconds(&self, a: i64, b: i64, pauses: &[(i64, i64)]) -> i64 {
        if b <= a {
            return 0;
        }
        let mut total = self.working_seconds(a, b);
        for &(from, to) in pauses {
            let (from, to) = (from.max(a), to.min(b));
            if from < to {
                total -= self.working_seconds(from, to);
            }
        }
        total.max(0)
    }

    /// Working seconds in `[a, b)`, without pauses.
    fn working_seconds(&self, a: i64, b: i64) -> i64 {
        match self {
            WorkCalendar::AlwaysOn => (b - a).max(0),
            WorkCalendar::Business(calendar) => calendar.working_seconds(a, b),
        }
    }

    /// Working nanoseconds in `[a, b)`, without pauses. Every boundary of
    /// working time falls on a whole second (zone offsets and `hours` are whole
    /// seconds), so each second is wholly working or not: count the whole
    /// seconds from `a`'s to `b`'s, then take off the part of `a`'s second
    /// before `a` and add the part of `b`'s second before `b`.
    fn working_nanos(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i128 {
        if b <= a {
            return 0;
        }
        let (first, last) = (a.timestamp(), b.timestamp());
        let fraction = |at: DateTime<Utc>, second: i64| {
            let nanos = i128::from(at.timestamp_subsec_nanos()).min(NANOS_PER_SECOND - 1);
            if nanos > 0 && self.working_seconds(second, second + 1) > 0 {
                nanos
            } else {
                0
            }
        };
        i128::from(self.working_seconds(first, last)) * NANOS_PER_SECOND - fraction(a, first)
            + fraction(b, last)
    }
}

/// Pauses as whole-second intervals clipped to `[lo, hi)`, sorted and merged.
fn merge_pauses(pauses: &[(DateTime<Utc>, DateTime<Utc>)], lo: i64, hi: i64) -> Vec<(i64, i64)> {
    merge_spans(
        pauses
            .iter()
            .map(|(from, to)| (from.timestamp(), to.timestamp())),
        lo,
        hi,
    )
}
