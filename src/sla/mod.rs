//! SLA arithmetic (SPEC §3): business calendars and counted time, incident
//! evaluation, report periods and the figures per service. Pure: no I/O, no clock.

pub mod calendar;
pub mod evaluate;
pub mod period;
pub mod report;
pub mod skip;

/// Nanoseconds in a second: counted time and durations are exact to the
/// nanosecond and rounded to whole seconds only for output.
pub const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// `numerator / denominator` (denominator > 0) rounded to an integer, halves
/// away from zero: the rounding of every figure in SPEC §3.4.
#[must_use]
pub fn div_round(numerator: i128, denominator: i128) -> i128 {
    numerator.signum() * ((2 * numerator.abs() + denominator) / (2 * denominator))
}

/// Nanoseconds as whole seconds, halves away from zero.
#[must_use]
pub fn nanos_to_seconds(nanos: i128) -> i64 {
    let seconds = div_round(nanos, NANOS_PER_SECOND);
    i64::try_from(seconds).unwrap_or(if seconds < 0 { i64::MIN } else { i64::MAX })
}

/// A share `part / whole` kept exact: rounded to 2 decimals for output, compared
/// with an objective's target unrounded (99.947 % misses a 99.95 % objective).
/// Every percentage of a report is one (SLA figures, change failure rates).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Share {
    part: usize,
    whole: usize,
}

impl Share {
    /// The share, or None when `whole` is 0 (nothing to measure).
    #[must_use]
    pub fn new(part: usize, whole: usize) -> Option<Share> {
        (whole > 0).then_some(Share { part, whole })
    }

    /// The part counted.
    #[must_use]
    pub fn part(self) -> usize {
        self.part
    }

    /// What it is a part of (never 0).
    #[must_use]
    pub fn whole(self) -> usize {
        self.whole
    }

    /// As a percentage rounded to 2 decimals, halves away from zero.
    #[must_use]
    pub fn percent(self) -> f64 {
        // In integers: through `f64` a decimal half such as 1.005 % is stored
        // as 1.00499… and would round down.
        div_round(10_000 * self.part as i128, self.whole as i128) as f64 / 100.0
    }

    /// True when the unrounded percentage is at least `target` (an objective
    /// where higher is better). Dividing two integers in `f64` is correctly
    /// rounded, so a share exactly equal to the written target (999 of 1,000
    /// against 99.9 %) compares equal.
    #[must_use]
    pub fn reaches(self, target: f64) -> bool {
        self.unrounded() >= target
    }

    /// True when the unrounded percentage is at most `target` (an objective
    /// where lower is better, such as a change failure rate).
    #[must_use]
    pub fn stays_within(self, target: f64) -> bool {
        self.unrounded() <= target
    }

    fn unrounded(self) -> f64 {
        self.part as f64 * 100.0 / self.whole as f64
    }
}

/// `spans` clipped to `[lo, hi)`, without empty ones, sorted and merged into
/// disjoint spans.
pub fn merge_spans<T: Ord + Copy>(
    spans: impl Iterator<Item = (T, T)>,
    lo: T,
    hi: T,
) -> Vec<(T, T)> {
    let mut clipped: Vec<(T, T)> = spans
        .map(|(from, to)| (from.max(lo), to.min(hi)))
        .filter(|(from, to)| from < to)
        .collect();
    clipped.sort_unstable();
    let mut merged: Vec<(T, T)> = Vec::with_capacity(clipped.len());
    for (from, to) in clipped {
        match merged.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn lower_is_better_objectives_allow_the_target_itself() {
        // 3 of 20 is exactly 15 %: a 15 % failure-rate objective is met.
        assert!(Share::new(3, 20).unwrap().stays_within(15.0));
        // 1,501 of 10,000 is shown as 15.01 and misses it.
        assert!(!Share::new(1_501, 10_000).unwrap().stays_within(15.0));
        // 15.004 % is shown as 15.0 but misses it all the same.
        let share = Share::new(15_004, 100_000).unwrap();
        assert_eq!(share.percent(), 15.0);
        assert!(!share.stays_within(15.0));
    }

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(div_round(5, 2), 3);
        assert_eq!(div_round(-5, 2), -3);
        assert_eq!(div_round(7, 3), 2);
        assert_eq!(div_round(0, 3), 0);
        assert_eq!(nanos_to_seconds(899_500_000_000), 900);
        assert_eq!(nanos_to_seconds(899_499_999_999), 899);
        assert_eq!(nanos_to_seconds(-1_500_000_000), -2);
    }
}
