//! A business calendar's weekly hours and holidays, counted in a time
//! independent of the span.
//!
//! Reports ask for counted time over months or years and `deadline` searches up
//! to twenty years ahead, so the cost must not grow with the length of `[a, b)`.
//! Time is cut into local-day slots `[start of day d, start of day d + 1)`. Away
//! from DST transitions a slot holds exactly its weekday's nominal working
//! seconds, or none on a holiday, so a run of whole slots is summed in one step:
//! whole weeks times the weekly total, minus a prefix sum over the sorted
//! holidays. The few days around each DST transition form a *cluster* whose
//! exact count differs from that; the corrections of all clusters are computed
//! once per calendar (on the first long query) and kept as a prefix sum too.
//! Only the partial first and last days, and a cluster cut by the span's ends,
//! are computed interval by interval. A query costs a few binary searches plus
//! a few days of exact work, whether it spans an hour or a century.
//!

use std::fmt;
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use super::zone::{
    DAY, MAX_OFFSET, TABLE_END, TABLE_START, first_instant, offset_at, scan_transitions,
    transition_table,
};
use crate::sla::merge_spans;

/// Minutes in a day, the largest allowed range end (`24:00`).
const MINUTES_PER_DAY: u16 = 1_440;
/// `NaiveDate::num_days_from_ce` of 1970-01-01, to number days from the epoch.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;
/// Days kept clear of the table's edges, so every transition that can touch a
/// day inside the table's day window is in the table.
const TABLE_MARGIN_DAYS: i64 = 10;
/// Days on either side of a transition's local date that are counted exactly.
/// Offsets in the tz database move by at most 24 h at once, so a transition
/// disturbs at most the day before and the day after its own; the rest is margin.
const CLUSTER_RADIUS_DAYS: i64 = 3;
/// Local days on either side of a span generated when counting it exactly.
const EXACT_MARGIN_DAYS: i64 = 3;
/// Spans with fewer whole middle days than this are counted exactly.
const SHORT_SPAN_DAYS: i64 = 7;

/// Weekly working hours in a time zone plus holidays (a `kind: Calendar` record).
///
/// Cheap to clone and to share between threads: clones share their data,
/// including the lazily built DST corrections.
#[derive(Clone)]
pub struct BusinessCalendar {
    data: Arc<CalendarData>,
}

/// The data of a [`BusinessCalendar`] and its counting logic.
struct CalendarData {
    tz: Tz,
    /// Per weekday (Monday first): sorted, disjoint `[start, end)` ranges in
    /// seconds from local midnight.
    ranges: [Vec<(i64, i64)>; 7],
    /// Nominal working seconds per weekday (Monday first).
    day_seconds: [i64; 7],
    /// Sum of `day_seconds`.
    week_seconds: i64,
    /// Holidays as days since 1970-01-01, sorted and unique.
    holidays: Vec<i64>,
    /// `holiday_prefix[i]` = nominal seconds of `holidays[..i]`.
    holiday_prefix: Vec<i64>,
    /// Offset changes of `tz` between `TABLE_START` and `TABLE_END`. Spans
    /// reaching outside that window scan the outside part on demand, at a cost
    /// that grows with it (about 120 offset look-ups per year).
    transitions: Arc<[i64]>,
    /// Exact corrections around `transitions`, built on the first long query.
    clusters: OnceLock<ClusterTable>,
}

/// Runs of days around DST transitions with their exact corrections.
#[derive(Clone, Debug, Default)]
struct ClusterTable {
    clusters: Vec<Cluster>,
    /// `prefix[i]` = sum over `clusters[..i]` of exact minus scheduled seconds.
    prefix: Vec<i64>,
}

/// Local days `[first_day, end_day)` around one or more DST transitions.
#[derive(Clone, Copy, Debug)]
struct Cluster {
    first_day: i64,
    end_day: i64,
}

impl fmt::Debug for BusinessCalendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BusinessCalendar")
            .field("tz", &self.data.tz)
            .field("ranges", &self.data.ranges)
            .field("holidays", &self.data.holidays.len())
            .finish_non_exhaustive()
    }
}

impl BusinessCalendar {
    /// A calendar in `tz` with weekly `hours` and `holidays` (whole local dates).
    ///
    /// `hours[0]` = Monday .. `hours[6]` = Sunday; each range is
    /// `(start_minute, end_minute)` of local wall-clock time, `0..=1440`
    /// (`1440` = `24:00`), start < end, sorted, non-overlapping (the caller
    /// validates). Out-of-contract ranges are tolerated all the same: ends are
    /// clamped to `24:00`, empty ranges dropped and overlapping ones merged.
    pub fn new(
        tz: Tz,
        hours: [Vec<(u16, u16)>; 7],
        holidays: impl IntoIterator<Item = NaiveDate>,
    ) -> Self {
        let ranges = hours.map(|day| normalize_ranges(&day));
        let day_seconds: [i64; 7] =
            std::array::from_fn(|w| ranges[w].iter().map(|(start, end)| end - start).sum());
        let week_seconds = day_seconds.iter().sum();
        let mut holidays: Vec<i64> = holidays.into_iter().map(epoch_day).collect();
        holidays.sort_unstable();
        holidays.dedup();
        let mut holiday_prefix = Vec::with_capacity(holidays.len() + 1);
        let mut running = 0;
        holiday_prefix.push(running);
        for &day in &holidays {
            running += day_seconds[weekday(day)];
            holiday_prefix.push(running);
        }
        let data = CalendarData {
            tz,
            ranges,
            day_seconds,
            week_seconds,
            holidays,
            holiday_prefix,
            transitions: transition_table(tz),
            clusters: OnceLock::new(),
        };
        BusinessCalendar {
            data: Arc::new(data),
        }
    }
}

impl BusinessCalendar {
    /// Working seconds in `[a, b)` (whole-second instants), without pauses.
    pub(super) fn working_seconds(&self, a: i64, b: i64) -> i64 {
        self.data.working_seconds(a, b)
    }
}

impl CalendarData {
    /// Working seconds in `[a, b)` (whole-second instants), without pauses.
    fn working_seconds(&self, a: i64, b: i64) -> i64 {
        if b <= a {
            return 0;
        }
        // The whole day slots start two local days after `a`'s and end one
        // before `b`'s, so neither edge can fall inside them even next to a
        // transition; the two edges are counted exactly.
        let first_slot = self.local_day(a) + 2;
        let end_slot = self.local_day(b) - 1;
        if end_slot - first_slot < SHORT_SPAN_DAYS {
            return self.exact_seconds(a, b);
        }
        let middle_start = self.day_start(first_slot);
        let middle_end = self.day_start(end_slot);
        if !(a <= middle_start && middle_start <= middle_end && middle_end <= b) {
            // Only a zone that skips whole days could get here.
            return self.exact_seconds(a, b);
        }
        self.exact_seconds(a, middle_start)
            + self.slot_seconds(first_slot, end_slot)
            + self.exact_seconds(middle_end, b)
    }

    /// Working seconds of the day slots `[first, end)`, in O(log) time for the
    /// days the transition table covers.
    fn slot_seconds(&self, first: i64, end: i64) -> i64 {
        if end <= first {
            return 0;
        }
        let window_first = TABLE_START.div_euclid(DAY) + TABLE_MARGIN_DAYS;
        let window_end = TABLE_END.div_euclid(DAY) - TABLE_MARGIN_DAYS;
        let inner_first = first.max(window_first).min(end);
        let inner_end = end.min(window_end).max(inner_first);
        self.slot_seconds_scanned(first, inner_first)
            + self.slot_seconds_tabled(inner_first, inner_end)
            + self.slot_seconds_scanned(inner_end, end)
    }

    /// `slot_seconds` inside the table window, from the cached cluster table.
    fn slot_seconds_tabled(&self, first: i64, end: i64) -> i64 {
        if end <= first {
            return 0;
        }
        let table = self.clusters.get_or_init(|| self.build_cluster_table());
        let clusters = &table.clusters;
        let mut total = self.scheduled_seconds(first, end);
        let mut lo = clusters.partition_point(|c| c.end_day <= first);
        let mut hi = clusters.partition_point(|c| c.first_day < end);
        if lo >= hi {
            return total;
        }
        // The first and last overlapping clusters may be cut by the span.
        let cut = |c: &Cluster| c.first_day < first || c.end_day > end;
        if let Some(c) = clusters.get(lo).filter(|c| cut(c)) {
            total += self.exact_correction(c.first_day.max(first), c.end_day.min(end));
            lo += 1;
        }
        if hi > lo
            && let Some(c) = clusters.get(hi - 1).filter(|c| cut(c))
        {
            total += self.exact_correction(c.first_day.max(first), c.end_day.min(end));
            hi -= 1;
        }
        if hi > lo {
            total += table.prefix.get(hi).copied().unwrap_or(0)
                - table.prefix.get(lo).copied().unwrap_or(0);
        }
        total
    }

    /// `slot_seconds` outside the table window: transitions scanned on demand.
    fn slot_seconds_scanned(&self, first: i64, end: i64) -> i64 {
        if end <= first {
            return 0;
        }
        let mut transitions = Vec::new();
        scan_transitions(
            self.tz,
            self.day_start(first) - 2 * CLUSTER_RADIUS_DAYS * DAY,
            self.day_start(end) + 2 * CLUSTER_RADIUS_DAYS * DAY,
            &mut transitions,
        );
        let mut total = self.scheduled_seconds(first, end);
        for (cluster_first, cluster_end) in cluster_days(self.tz, &transitions) {
            let (lo, hi) = (cluster_first.max(first), cluster_end.min(end));
            if lo < hi {
                total += self.exact_correction(lo, hi);
            }
        }
        total
    }

    /// Clusters around every transition in the table, with their corrections.
    fn build_cluster_table(&self) -> ClusterTable {
        let mut table = ClusterTable::default();
        table.prefix.push(0);
        let mut running = 0;
        for (first_day, end_day) in cluster_days(self.tz, &self.transitions) {
            running += self.exact_correction(first_day, end_day);
            table.clusters.push(Cluster { first_day, end_day });
            table.prefix.push(running);
        }
        table
    }

    /// Exact working seconds of the slots `[first, end)` minus their scheduled seconds.
    fn exact_correction(&self, first: i64, end: i64) -> i64 {
        self.exact_seconds(self.day_start(first), self.day_start(end))
            - self.scheduled_seconds(first, end)
    }

    /// Working seconds of the slots `[first, end)` if no DST transition were
    /// near: nominal weekday seconds minus holidays.
    fn scheduled_seconds(&self, first: i64, end: i64) -> i64 {
        if end <= first {
            return 0;
        }
        let days = end - first;
        let mut total = days / 7 * self.week_seconds;
        for day in first..first + days % 7 {
            total += self.day_seconds[weekday(day)];
        }
        let prefix = |day: i64| {
            let index = self.holidays.partition_point(|&h| h < day);
            self.holiday_prefix.get(index).copied().unwrap_or(0)
        };
        total - (prefix(end) - prefix(first))
    }

    /// Working seconds in `[a, b)` from the actual intervals of every local day
    /// that can reach it; cost grows with the span, so only used on short ones.
    fn exact_seconds(&self, a: i64, b: i64) -> i64 {
        if b <= a {
            return 0;
        }
        let mut intervals = Vec::new();
        let first = self.local_day(a) - EXACT_MARGIN_DAYS;
        let last = self.local_day(b) + EXACT_MARGIN_DAYS;
        for day in first..=last {
            self.push_working_intervals(day, &mut intervals);
        }
        merge_spans(intervals.into_iter(), a, b)
            .iter()
            .map(|(start, end)| end - start)
            .sum()
    }

    /// Appends the working intervals (instants) of local day `day`: every
    /// instant at which the wall clock shows a time inside one of the day's
    /// ranges. Between two offset changes the wall clock is the instant plus a
    /// fixed offset, so each range maps to one interval per such stretch.
    fn push_working_intervals(&self, day: i64, out: &mut Vec<(i64, i64)>) {
        let ranges = &self.ranges[weekday(day)];
        if ranges.is_empty() || self.holidays.binary_search(&day).is_ok() {
            return;
        }
        let midnight = day * DAY;
        // Every instant whose wall clock can show a time of this day.
        let (lo, hi) = (midnight - MAX_OFFSET, midnight + DAY + MAX_OFFSET);
        let scanned;
        let changes: &[i64] = if TABLE_START < lo && hi <= TABLE_END {
            let first = self.transitions.partition_point(|&t| t <= lo);
            let end = self.transitions.partition_point(|&t| t <= hi);
            self.transitions.get(first..end).unwrap_or_default()
        } else {
            let mut found = Vec::new();
            scan_transitions(self.tz, lo, hi, &mut found);
            scanned = found;
            &scanned
        };
        let starts = std::iter::once(lo).chain(changes.iter().copied());
        let ends = changes.iter().copied().chain(std::iter::once(hi));
        for (from, to) in starts.zip(ends) {
            let offset = offset_at(self.tz, from);
            for &(start, end) in ranges {
                let start = (midnight + start - offset).max(from);
                let end = (midnight + end - offset).min(to);
                if start < end {
                    out.push((start, end));
                }
            }
        }
    }

    /// The instant local day `day` begins (local midnight, or the end of a gap).
    fn day_start(&self, day: i64) -> i64 {
        first_instant(self.tz, day * DAY)
    }

    /// The local date (days since 1970-01-01) at `instant`.
    fn local_day(&self, instant: i64) -> i64 {
        (instant + offset_at(self.tz, instant)).div_euclid(DAY)
    }
}

/// One weekday's ranges in seconds from midnight, sorted and disjoint.
fn normalize_ranges(day: &[(u16, u16)]) -> Vec<(i64, i64)> {
    let seconds = day
        .iter()
        .map(|&(start, end)| (i64::from(start) * 60, i64::from(end) * 60));
    merge_spans(seconds, 0, i64::from(MINUTES_PER_DAY) * 60)
}

/// Days since 1970-01-01.
fn epoch_day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - EPOCH_DAYS_FROM_CE
}

/// Weekday index of a day since 1970-01-01, Monday = 0 (1970-01-01 was a Thursday).
fn weekday(day: i64) -> usize {
    // rem_euclid(7) is in 0..7, so the cast cannot truncate.
    (day + 3).rem_euclid(7) as usize
}

/// Local day ranges `[first, end)` to count exactly around `transitions`,
/// sorted and merged.
fn cluster_days(tz: Tz, transitions: &[i64]) -> Vec<(i64, i64)> {
    let days = transitions.iter().map(|&t| {
        let before = (t - 1 + offset_at(tz, t - 1)).div_euclid(DAY);
        let after = (t + offset_at(tz, t)).div_euclid(DAY);
        (
            before.min(after) - CLUSTER_RADIUS_DAYS,
            before.max(after) + CLUSTER_RADIUS_DAYS + 1,
        )
    });
    merge_spans(days, i64::MIN, i64::MAX)
}
