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
