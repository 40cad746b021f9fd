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
//! # Cost independent of the span
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
//! chrono-tz does not expose its transition table, so the offset changes of a
//! zone are found once per process by sampling the offset every three days and
//! bisecting each change. The closest two offset changes in the tz database are
//! almost seven days apart (Gaza, and Brazil in 2000), so none is missed.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use chrono::{DateTime, Datelike, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{GapInfo, Tz};

use super::{NANOS_PER_SECOND, merge_spans, nanos_to_seconds};

/// Seconds in a local wall-clock day (DST makes some days last longer or shorter).
const DAY: i64 = 86_400;
/// Minutes in a day, the largest allowed range end (`24:00`).
const MINUTES_PER_DAY: u16 = 1_440;
/// `NaiveDate::num_days_from_ce` of 1970-01-01, to number days from the epoch.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;
/// Sampling step of the transition scan: less than half the closest spacing of
/// two offset changes in the tz database (about 6.96 days).
const SCAN_STRIDE: i64 = 3 * DAY;
/// 1900-01-01T00:00:00Z: start of the per-zone transition table. Transitions
/// outside the table are scanned on demand.
const TABLE_START: i64 = -2_208_988_800;
/// 2101-01-01T00:00:00Z: end of the per-zone transition table (chrono-tz has
/// no transitions after 2099).
const TABLE_END: i64 = 4_133_980_800;
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
/// How far ahead `deadline` looks: twenty years of 365.25 days.
const DEADLINE_HORIZON: i64 = 7_305 * DAY;
/// Bound for searching a gap's end by hand: offsets stay within ±26 h.
const MAX_OFFSET: i64 = 27 * 3_600;

/// Working-time calendar.
#[derive(Debug, Clone)]
pub enum WorkCalendar {
    /// The built-in `24x7` calendar: every second counts.
    AlwaysOn,
    /// Weekly working hours in a time zone, holidays excepted.
    Business(BusinessCalendar),
}

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
        intervals.sort_unstable();
        // Union of the sorted intervals, clipped to [a, b).
        let mut total = 0;
        let mut covered_until = a;
        for (start, end) in intervals {
            let start = start.max(covered_until);
            let end = end.min(b);
            if end > start {
                total += end - start;
                covered_until = end;
            }
        }
        total
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
            WorkCalendar::Business(calendar) => calendar.data.working_seconds(a, b),
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

/// One weekday's ranges in seconds from midnight, sorted and disjoint.
fn normalize_ranges(day: &[(u16, u16)]) -> Vec<(i64, i64)> {
    let mut minutes: Vec<(u16, u16)> = day
        .iter()
        .map(|&(start, end)| (start, end.min(MINUTES_PER_DAY)))
        .filter(|(start, end)| start < end)
        .collect();
    minutes.sort_unstable();
    let mut merged: Vec<(u16, u16)> = Vec::with_capacity(minutes.len());
    for (start, end) in minutes {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
        .into_iter()
        .map(|(start, end)| (i64::from(start) * 60, i64::from(end) * 60))
        .collect()
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

/// UTC offset in seconds at `instant`.
fn offset_at(tz: Tz, instant: i64) -> i64 {
    match DateTime::from_timestamp(instant, 0) {
        Some(utc) => i64::from(
            tz.offset_from_utc_datetime(&utc.naive_utc())
                .fix()
                .local_minus_utc(),
        ),
        None => 0,
    }
}

/// The first instant at which the wall clock shows local time `local`
/// (seconds since 1970-01-01 local), or, when a DST gap skips it, the instant
/// the gap ends.
fn first_instant(tz: Tz, local: i64) -> i64 {
    let Some(naive) = DateTime::from_timestamp(local, 0).map(|t| t.naive_utc()) else {
        return local;
    };
    let instant = |offset: chrono_tz::TzOffset| local - i64::from(offset.fix().local_minus_utc());
    match tz.offset_from_local_datetime(&naive) {
        LocalResult::Single(offset) => instant(offset),
        LocalResult::Ambiguous(first, second) => instant(first).min(instant(second)),
        LocalResult::None => gap_end(tz, local, &naive),
    }
}

/// The first instant after the DST gap that swallows local time `local`.
fn gap_end(tz: Tz, local: i64, naive: &NaiveDateTime) -> i64 {
    if let Some(end) = GapInfo::new(naive, &tz).and_then(|gap| gap.end) {
        return end.timestamp();
    }
    // chrono-tz always knows the end of a real gap; bisect just in case.
    let (mut before, mut after) = (local - MAX_OFFSET, local + MAX_OFFSET);
    while after - before > 1 {
        let middle = before + (after - before) / 2;
        if middle + offset_at(tz, middle) >= local {
            after = middle;
        } else {
            before = middle;
        }
    }
    after
}

/// Local day ranges `[first, end)` to count exactly around `transitions`,
/// sorted and merged.
fn cluster_days(tz: Tz, transitions: &[i64]) -> Vec<(i64, i64)> {
    let mut days: Vec<(i64, i64)> = transitions
        .iter()
        .map(|&t| {
            let before = (t - 1 + offset_at(tz, t - 1)).div_euclid(DAY);
            let after = (t + offset_at(tz, t)).div_euclid(DAY);
            (
                before.min(after) - CLUSTER_RADIUS_DAYS,
                before.max(after) + CLUSTER_RADIUS_DAYS + 1,
            )
        })
        .collect();
    days.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(days.len());
    for (first, end) in days {
        match merged.last_mut() {
            Some(last) if first <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((first, end)),
        }
    }
    merged
}

/// Appends every instant in `(lo, hi]` at which the UTC offset of `tz` changes
/// (the first instant with the new offset), assuming changes are more than
/// `SCAN_STRIDE` apart.
fn scan_transitions(tz: Tz, lo: i64, hi: i64, out: &mut Vec<i64>) {
    let mut at = lo;
    let mut offset = offset_at(tz, at);
    while at < hi {
        let next = at.saturating_add(SCAN_STRIDE).min(hi);
        if offset_at(tz, next) == offset {
            at = next;
            continue;
        }
        let (mut same, mut changed) = (at, next);
        while changed - same > 1 {
            let middle = same + (changed - same) / 2;
            if offset_at(tz, middle) == offset {
                same = middle;
            } else {
                changed = middle;
            }
        }
        out.push(changed);
        at = changed;
        offset = offset_at(tz, at);
    }
}

/// The offset changes of `tz` inside the table window, scanned once per
/// process and zone (a scan costs about 25 000 offset look-ups).
fn transition_table(tz: Tz) -> Arc<[i64]> {
    static TABLES: OnceLock<Mutex<HashMap<Tz, Arc<[i64]>>>> = OnceLock::new();
    let tables = TABLES.get_or_init(Mutex::default);
    if let Some(table) = tables
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&tz)
    {
        return Arc::clone(table);
    }
    // Scan without holding the lock; a racing thread computes the same table.
    let mut transitions = Vec::new();
    scan_transitions(tz, TABLE_START, TABLE_END, &mut transitions);
    let table: Arc<[i64]> = transitions.into();
    Arc::clone(
        tables
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(tz)
            .or_insert(table),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Days, Duration, TimeDelta};
    use chrono_tz::America::New_York;
    use chrono_tz::Europe::Berlin;
    use proptest::prelude::*;

    const HOUR: i64 = 3_600;

    /// Working hours per weekday, Monday first, as `BusinessCalendar::new` takes them.
    type WeekHours = [Vec<(u16, u16)>; 7];

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// An instant given as an unambiguous local wall-clock time in `tz`.
    fn at(tz: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        tz.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    fn utc(rfc3339: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn hm(h: u16, m: u16) -> u16 {
        h * 60 + m
    }

    fn weekdays(ranges: &[(u16, u16)]) -> WeekHours {
        std::array::from_fn(|w| if w < 5 { ranges.to_vec() } else { Vec::new() })
    }

    fn every_day(ranges: &[(u16, u16)]) -> WeekHours {
        std::array::from_fn(|_| ranges.to_vec())
    }

    fn sundays(ranges: &[(u16, u16)]) -> WeekHours {
        std::array::from_fn(|w| if w == 6 { ranges.to_vec() } else { Vec::new() })
    }

    fn business(tz: Tz, hours: WeekHours, holidays: &[NaiveDate]) -> WorkCalendar {
        WorkCalendar::Business(BusinessCalendar::new(tz, hours, holidays.iter().copied()))
    }

    /// The `office-berlin` calendar of SPEC §1.
    fn office_hours() -> WeekHours {
        let day = vec![(hm(9, 0), hm(18, 0))];
        [
            vec![(hm(9, 0), hm(12, 30)), (hm(13, 30), hm(18, 0))],
            day.clone(),
            day.clone(),
            day,
            vec![(hm(9, 0), hm(16, 0))],
            Vec::new(),
            Vec::new(),
        ]
    }

    fn nine_to_six() -> WeekHours {
        weekdays(&[(hm(9, 0), hm(18, 0))])
    }

    // ---- naive reference: day by day, stepping through gaps ----

    /// The instants (as `[start, end)` spans) at which the wall clock of `tz`
    /// shows a local time in `[from, to)`, found without any of the module's
    /// code: a range DST leaves alone maps to one span; any other is walked a
    /// local minute at a time, and a minute that a transition cuts a second at
    /// a time (offsets before 1900 have seconds).
    fn reference_instants(tz: Tz, from: NaiveDateTime, to: NaiveDateTime) -> Vec<(i64, i64)> {
        let regular = |a: NaiveDateTime, b: NaiveDateTime| match (
            tz.from_local_datetime(&a),
            tz.from_local_datetime(&b),
        ) {
            (LocalResult::Single(x), LocalResult::Single(y))
                if y.timestamp() - x.timestamp() == (b - a).num_seconds() =>
            {
                Some((x.timestamp(), y.timestamp()))
            }
            _ => None,
        };
        if let Some(span) = regular(from, to) {
            return vec![span];
        }
        let every = |at: NaiveDateTime| -> Vec<i64> {
            match tz.from_local_datetime(&at) {
                LocalResult::Single(x) => vec![x.timestamp()],
                LocalResult::Ambiguous(x, y) => vec![x.timestamp(), y.timestamp()],
                LocalResult::None => vec![],
            }
        };
        let mut spans = Vec::new();
        let mut minute = from;
        while minute < to {
            let next = (minute + Duration::minutes(1)).min(to);
            let last = next - Duration::seconds(1);
            let (starts, lasts) = (every(minute), every(last));
            let length = (next - minute).num_seconds();
            if starts.len() == lasts.len()
                && starts.iter().zip(&lasts).all(|(s, l)| l - s == length - 1)
            {
                spans.extend(starts.iter().map(|&s| (s, s + length)));
            } else {
                let mut second = minute;
                while second < next {
                    spans.extend(every(second).into_iter().map(|s| (s, s + 1)));
                    second += Duration::seconds(1);
                }
            }
            minute = next;
        }
        spans
    }

    fn reference_counted(
        tz: Tz,
        hours: &WeekHours,
        holidays: &[NaiveDate],
        a: i64,
        b: i64,
        pauses: &[(i64, i64)],
    ) -> i64 {
        if b <= a {
            return 0;
        }
        let local_date = |t: i64| {
            DateTime::from_timestamp(t, 0)
                .unwrap()
                .with_timezone(&tz)
                .date_naive()
        };
        let mut day = local_date(a) - Days::new(3);
        let last = local_date(b) + Days::new(3);
        let mut intervals = Vec::new();
        while day <= last {
            if !holidays.contains(&day) {
                let w = day.weekday().num_days_from_monday() as usize;
                let midnight = day.and_hms_opt(0, 0, 0).unwrap();
                for &(s, e) in &hours[w] {
                    intervals.extend(reference_instants(
                        tz,
                        midnight + Duration::minutes(i64::from(s)),
                        midnight + Duration::minutes(i64::from(e)),
                    ));
                }
            }
            day = day.succ_opt().unwrap();
        }
        let union = |mut v: Vec<(i64, i64)>| {
            v.sort();
            let mut out: Vec<(i64, i64)> = Vec::new();
            for (s, e) in v {
                let (s, e) = (s.max(a), e.min(b));
                if s >= e {
                    continue;
                }
                match out.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => out.push((s, e)),
                }
            }
            out
        };
        let working = union(intervals);
        let paused = union(pauses.to_vec());
        let mut total: i64 = working.iter().map(|(s, e)| e - s).sum();
        for &(ws, we) in &working {
            for &(ps, pe) in &paused {
                total -= (we.min(pe) - ws.max(ps)).max(0);
            }
        }
        total
    }

    fn reference_for(
        tz: Tz,
        hours: &WeekHours,
        holidays: &[NaiveDate],
        a: DateTime<Utc>,
        b: DateTime<Utc>,
    ) -> i64 {
        reference_counted(tz, hours, holidays, a.timestamp(), b.timestamp(), &[])
    }

    // ---- plain business hours ----

    #[test]
    fn monday_17_to_tuesday_10_counts_two_hours() {
        let cal = business(Berlin, nine_to_six(), &[]);
        let a = at(Berlin, 2026, 3, 2, 17, 0);
        let b = at(Berlin, 2026, 3, 3, 10, 0);
        assert_eq!(cal.counted(a, b, &[]), 2 * HOUR);
    }

    #[test]
    fn lunch_break_is_not_counted() {
        let cal = business(Berlin, office_hours(), &[]);
        let a = at(Berlin, 2026, 3, 2, 12, 0);
        let b = at(Berlin, 2026, 3, 2, 14, 0);
        assert_eq!(cal.counted(a, b, &[]), HOUR);
    }

    #[test]
    fn short_friday_ends_at_16() {
        let cal = business(Berlin, office_hours(), &[]);
        let a = at(Berlin, 2026, 3, 6, 15, 0);
        let b = at(Berlin, 2026, 3, 6, 18, 0);
        assert_eq!(cal.counted(a, b, &[]), HOUR);
    }

    #[test]
    fn weekend_is_skipped() {
        let cal = business(Berlin, office_hours(), &[]);
        let a = at(Berlin, 2026, 3, 6, 15, 0);
        let b = at(Berlin, 2026, 3, 9, 10, 0);
        assert_eq!(cal.counted(a, b, &[]), 2 * HOUR);
    }

    #[test]
    fn holiday_is_skipped() {
        let a = at(Berlin, 2026, 3, 3, 17, 0);
        let b = at(Berlin, 2026, 3, 5, 10, 0);
        let plain = business(Berlin, office_hours(), &[]);
        assert_eq!(plain.counted(a, b, &[]), 11 * HOUR);
        let with_holiday = business(Berlin, office_hours(), &[date(2026, 3, 4)]);
        assert_eq!(with_holiday.counted(a, b, &[]), 2 * HOUR);
    }

    #[test]
    fn office_week_adds_up() {
        // Mon 8 h (lunch), Tue 9 h, Wed holiday, Thu 9 h, Fri 7 h, weekend, Mon 1 h.
        let cal = business(Berlin, office_hours(), &[date(2026, 3, 4)]);
        let a = at(Berlin, 2026, 3, 2, 8, 0);
        let b = at(Berlin, 2026, 3, 9, 10, 0);
        assert_eq!(cal.counted(a, b, &[]), 34 * HOUR);
    }

    #[test]
    fn empty_or_reversed_span_counts_zero() {
        let cal = business(Berlin, nine_to_six(), &[]);
        let a = at(Berlin, 2026, 3, 2, 10, 0);
        let b = at(Berlin, 2026, 3, 2, 12, 0);
        assert_eq!(cal.counted(a, a, &[]), 0);
        assert_eq!(cal.counted(b, a, &[]), 0);
        assert_eq!(WorkCalendar::AlwaysOn.counted(b, a, &[]), 0);
    }

    // ---- DST ----

    #[test]
    fn spring_forward_full_day_counts_23_hours() {
        for (tz, day) in [(Berlin, 29), (New_York, 8)] {
            let cal = business(tz, every_day(&[(0, 1440)]), &[]);
            let a = at(tz, 2026, 3, day, 0, 0);
            let b = at(tz, 2026, 3, day + 1, 0, 0);
            assert_eq!(cal.counted(a, b, &[]), 23 * HOUR, "{tz}");
        }
    }

    #[test]
    fn spring_forward_range_across_gap_counts_true_length() {
        for (tz, day) in [(Berlin, 29), (New_York, 8)] {
            let cal = business(tz, sundays(&[(hm(1, 0), hm(4, 0))]), &[]);
            let a = at(tz, 2026, 3, day - 1, 0, 0);
            let b = at(tz, 2026, 3, day + 1, 0, 0);
            assert_eq!(cal.counted(a, b, &[]), 2 * HOUR, "{tz}");
        }
    }

    #[test]
    fn spring_forward_range_ending_in_gap_ends_when_gap_ends() {
        // 01:00-02:30 ends at 03:00 local (the gap's end): one hour.
        let cal = business(Berlin, sundays(&[(hm(1, 0), hm(2, 30))]), &[]);
        let a = at(Berlin, 2026, 3, 28, 0, 0);
        let b = at(Berlin, 2026, 3, 30, 0, 0);
        assert_eq!(cal.counted(a, b, &[]), HOUR);
    }

    #[test]
    fn spring_forward_daytime_range_is_unchanged() {
        for (tz, day) in [(Berlin, 29), (New_York, 8)] {
            let cal = business(tz, sundays(&[(hm(9, 0), hm(18, 0))]), &[]);
            let a = at(tz, 2026, 3, day - 1, 0, 0);
            let b = at(tz, 2026, 3, day + 1, 0, 0);
            assert_eq!(cal.counted(a, b, &[]), 9 * HOUR, "{tz}");
        }
    }

    #[test]
    fn fall_back_full_day_counts_25_hours() {
        for (tz, month, day) in [(Berlin, 10, 25), (New_York, 11, 1)] {
            let cal = business(tz, every_day(&[(0, 1440)]), &[]);
            let a = at(tz, 2026, month, day, 0, 0);
            let b = at(tz, 2026, month, day + 1, 0, 0);
            assert_eq!(cal.counted(a, b, &[]), 25 * HOUR, "{tz}");
        }
    }

    #[test]
    fn fall_back_range_containing_repeated_hour_counts_it_twice() {
        // New York repeats 01:00-02:00, Berlin 02:00-03:00 on these Sundays.
        for (tz, before, after) in [(New_York, (10, 31), (11, 2)), (Berlin, (10, 24), (10, 26))] {
            let cal = business(tz, sundays(&[(hm(1, 0), hm(4, 0))]), &[]);
            let a = at(tz, 2026, before.0, before.1, 0, 0);
            let b = at(tz, 2026, after.0, after.1, 0, 0);
            assert_eq!(cal.counted(a, b, &[]), 4 * HOUR, "{tz}");
        }
        // 01:00 EDT is 05:00Z and 04:00 EST is 09:00Z.
        let cal = business(New_York, sundays(&[(hm(1, 0), hm(4, 0))]), &[]);
        let start = cal.deadline(utc("2026-11-01T00:00:00Z"), 1, &[]).unwrap();
        assert_eq!(start, utc("2026-11-01T05:00:01Z"));
        assert_eq!(
            cal.counted(
                utc("2026-11-01T08:00:00Z"),
                utc("2026-11-02T00:00:00Z"),
                &[]
            ),
            HOUR
        );
    }

    #[test]
    fn fall_back_range_partly_in_repeated_hour_counts_only_its_own_times_twice() {
        // New York repeats 01:00-02:00 on 2026-11-01 (05:00Z-06:00Z EDT, then
        // 06:00Z-07:00Z EST). `00:00-01:30` is shown for 1 h, then 01:00-01:30
        // twice: 2 h; `01:30-03:00` is 01:30-02:00 twice, then 02:00-03:00: 2 h.
        let (a, b) = (utc("2026-10-31T12:00:00Z"), utc("2026-11-02T12:00:00Z"));
        let ends = business(New_York, sundays(&[(0, hm(1, 30))]), &[]);
        assert_eq!(ends.counted(a, b, &[]), 2 * HOUR);
        let starts = business(New_York, sundays(&[(hm(1, 30), hm(3, 0))]), &[]);
        assert_eq!(starts.counted(a, b, &[]), 2 * HOUR);
        // Berlin repeats 02:00-03:00 on 2026-10-25: `02:00-02:20` is 20 minutes
        // in each pass, and none of the 02:20-03:00 between them.
        let (a, b) = (utc("2026-10-24T12:00:00Z"), utc("2026-10-26T12:00:00Z"));
        let inside = business(Berlin, sundays(&[(hm(2, 0), hm(2, 20))]), &[]);
        assert_eq!(inside.counted(a, b, &[]), 2_400);
        let early = utc("2026-10-25T00:10:00Z"); // 02:10 CEST, first pass
        let late = utc("2026-10-25T01:10:00Z"); // 02:10 CET, second pass
        assert_eq!(inside.counted(early, late, &[]), 1_200);
    }

    #[test]
    fn fall_back_outside_working_hours_changes_nothing() {
        let cal = business(Berlin, nine_to_six(), &[]);
        let a = at(Berlin, 2026, 10, 19, 0, 0);
        let b = at(Berlin, 2026, 10, 26, 0, 0);
        assert_eq!(cal.counted(a, b, &[]), 45 * HOUR);
        let sunday = business(New_York, sundays(&[(hm(9, 0), hm(18, 0))]), &[]);
        let a = at(New_York, 2026, 10, 31, 0, 0);
        let b = at(New_York, 2026, 11, 2, 0, 0);
        assert_eq!(sunday.counted(a, b, &[]), 9 * HOUR);
    }

    #[test]
    fn touching_ranges_in_repeated_hour_count_once() {
        // 02:30 is repeated: the first range ends at its later instant and the
        // second starts at its earlier one, so they overlap by an hour.
        let split = business(Berlin, sundays(&[(0, hm(2, 30)), (hm(2, 30), 1440)]), &[]);
        let a = at(Berlin, 2026, 10, 24, 0, 0);
        let b = at(Berlin, 2026, 10, 27, 0, 0);
        assert_eq!(split.counted(a, b, &[]), 25 * HOUR);
    }

    #[test]
    fn full_days_merge_seamlessly_across_a_year_of_dst() {
        for tz in [Berlin, New_York] {
            let cal = business(tz, every_day(&[(0, 1440)]), &[]);
            let a = at(tz, 2026, 1, 1, 0, 0);
            let b = at(tz, 2027, 1, 1, 0, 0);
            assert_eq!(cal.counted(a, b, &[]), 365 * 24 * HOUR, "{tz}");
            let (a, b) = (utc("2025-02-03T04:05:06Z"), utc("2027-08-09T10:11:12Z"));
            assert_eq!(cal.counted(a, b, &[]), (b - a).num_seconds(), "{tz}");
        }
    }

    // ---- 24x7 and pauses ----

    #[test]
    fn always_on_counts_wall_clock_minus_pauses() {
        let cal = WorkCalendar::AlwaysOn;
        let a = utc("2026-03-28T20:00:00Z");
        let b = utc("2026-03-30T08:00:00Z");
        assert_eq!(cal.counted(a, b, &[]), 36 * HOUR);
        let pauses = [
            (utc("2026-03-29T10:00:00Z"), utc("2026-03-29T12:00:00Z")),
            (utc("2026-03-29T11:00:00Z"), utc("2026-03-29T13:00:00Z")),
            (utc("2026-03-28T18:00:00Z"), utc("2026-03-28T21:00:00Z")),
        ];
        assert_eq!(cal.counted(a, b, &pauses), 32 * HOUR);
    }

    #[test]
    fn pause_across_night_and_weekend_subtracts_only_working_time() {
        // Fri 9 h + Mon 9 h + Tue 9 h; the pause covers Fri 17-18 and Mon 9-10.
        let cal = business(Berlin, nine_to_six(), &[]);
        let a = at(Berlin, 2026, 3, 6, 9, 0);
        let b = at(Berlin, 2026, 3, 10, 18, 0);
        let pause = (at(Berlin, 2026, 3, 6, 17, 0), at(Berlin, 2026, 3, 9, 10, 0));
        assert_eq!(cal.counted(a, b, &[]), 27 * HOUR);
        assert_eq!(cal.counted(a, b, &[pause]), 25 * HOUR);
    }

    #[test]
    fn pause_starting_before_working_hours_subtracts_only_working_time() {
        let cal = business(Berlin, nine_to_six(), &[]);
        let a = at(Berlin, 2026, 3, 2, 0, 0);
        let b = at(Berlin, 2026, 3, 3, 0, 0);
        let pause = (at(Berlin, 2026, 3, 2, 7, 0), at(Berlin, 2026, 3, 2, 10, 0));
        assert_eq!(cal.counted(a, b, &[pause]), 8 * HOUR);
    }

    #[test]
    fn overlapping_pauses_subtract_their_union() {
        let cal = business(Berlin, nine_to_six(), &[]);
        let a = at(Berlin, 2026, 3, 2, 0, 0);
        let b = at(Berlin, 2026, 3, 3, 0, 0);
        let pauses = [
            (at(Berlin, 2026, 3, 2, 11, 0), at(Berlin, 2026, 3, 2, 13, 0)),
            (at(Berlin, 2026, 3, 2, 10, 0), at(Berlin, 2026, 3, 2, 12, 0)),
            (
                at(Berlin, 2026, 3, 2, 10, 30),
                at(Berlin, 2026, 3, 2, 11, 30),
            ),
        ];
        assert_eq!(cal.counted(a, b, &pauses), 6 * HOUR);
    }

    #[test]
    fn pause_outside_span_is_ignored_and_partial_pause_is_clipped() {
        let cal = business(Berlin, nine_to_six(), &[]);
        let a = at(Berlin, 2026, 3, 2, 9, 30);
        let b = at(Berlin, 2026, 3, 2, 18, 0);
        let elsewhere = (at(Berlin, 2026, 3, 3, 9, 0), at(Berlin, 2026, 3, 3, 12, 0));
        let reversed = (at(Berlin, 2026, 3, 2, 12, 0), at(Berlin, 2026, 3, 2, 11, 0));
        assert_eq!(cal.counted(a, b, &[elsewhere, reversed]), 8 * HOUR + 1_800);
        let partial = (at(Berlin, 2026, 3, 1, 20, 0), at(Berlin, 2026, 3, 2, 10, 0));
        assert_eq!(cal.counted(a, b, &[partial]), 8 * HOUR);
    }

    // ---- long spans ----

    #[test]
    fn year_long_span_matches_hand_count_and_reference() {
        // 2026 starts on a Thursday: 52 weeks and a Thursday, 261 weekdays.
        let holidays = [date(2026, 1, 1), date(2026, 12, 24), date(2026, 12, 25)];
        let cal = business(Berlin, nine_to_six(), &holidays);
        let a = at(Berlin, 2026, 1, 1, 0, 0);
        let b = at(Berlin, 2027, 1, 1, 0, 0);
        assert_eq!(cal.counted(a, b, &[]), 258 * 9 * HOUR);
        let hour = cal.counted(
            at(Berlin, 2026, 6, 1, 9, 0),
            at(Berlin, 2026, 6, 1, 10, 0),
            &[],
        );
        assert_eq!(hour, HOUR);

        for tz in [Berlin, New_York] {
            let hours = office_hours();
            let holidays = [date(2026, 3, 30), date(2026, 11, 2), date(2026, 10, 26)];
            let cal = business(tz, hours.clone(), &holidays);
            let (a, b) = (utc("2025-12-31T13:17:05Z"), utc("2027-01-02T08:59:59Z"));
            let pauses = [(utc("2026-03-27T16:00:00Z"), utc("2026-04-02T09:30:00Z"))];
            let expected =
                reference_counted(tz, &hours, &holidays, a.timestamp(), b.timestamp(), &[]);
            assert_eq!(cal.counted(a, b, &[]), expected, "{tz}");
            let expected = reference_counted(
                tz,
                &hours,
                &holidays,
                a.timestamp(),
                b.timestamp(),
                &[(pauses[0].0.timestamp(), pauses[0].1.timestamp())],
            );
            assert_eq!(cal.counted(a, b, &pauses), expected, "{tz}");
        }
    }

    #[test]
    fn spans_beyond_the_transition_table_match_reference() {
        // New York left local mean time in 1883 (before the table) and the
        // table ends in 2101; both ends are scanned on demand.
        let hours = weekdays(&[(hm(1, 30), hm(4, 0)), (hm(9, 0), 1440)]);
        let holidays = [date(1890, 7, 4), date(2100, 12, 25)];
        let cal = business(New_York, hours.clone(), &holidays);
        for (a, b) in [
            (utc("1879-05-06T07:08:09Z"), utc("1906-01-01T00:00:00Z")),
            (utc("2090-03-01T12:00:00Z"), utc("2112-11-30T23:00:00Z")),
            (utc("1899-12-01T00:00:00Z"), utc("1900-03-01T00:00:00Z")),
        ] {
            let expected = reference_for(New_York, &hours, &holidays, a, b);
            assert_eq!(cal.counted(a, b, &[]), expected, "{a} .. {b}");
        }
    }

    #[test]
    fn unusual_transitions_match_reference() {
        // Apia skipped 2011-12-30; Lord Howe moves by 30 minutes; Sao Paulo
        // changed clocks at midnight (gap on 2018-11-04, repeat on 2019-02-16).
        let cases = [
            (
                "Pacific/Apia",
                "2011-09-01T00:00:00Z",
                "2012-05-01T00:00:00Z",
                "2011-12-30T10:00:00Z",
            ),
            (
                "Australia/Lord_Howe",
                "2025-09-01T00:00:00Z",
                "2026-05-01T00:00:00Z",
                "2025-10-04T15:30:00Z",
            ),
            (
                "Australia/Lord_Howe",
                "2025-09-01T00:00:00Z",
                "2026-05-01T00:00:00Z",
                "2026-04-04T15:00:00Z",
            ),
            (
                "America/Sao_Paulo",
                "2018-10-01T00:00:00Z",
                "2019-03-01T00:00:00Z",
                "2018-11-04T03:00:00Z",
            ),
            (
                "America/Sao_Paulo",
                "2018-10-01T00:00:00Z",
                "2019-03-01T00:00:00Z",
                "2019-02-17T02:00:00Z",
            ),
        ];
        let hour_sets = [
            every_day(&[(0, 1440)]),
            every_day(&[(0, hm(0, 30)), (hm(0, 30), hm(2, 15)), (hm(23, 0), 1440)]),
            weekdays(&[(hm(1, 45), hm(2, 15)), (hm(9, 0), hm(17, 0))]),
        ];
        for (name, from, to, transition) in cases {
            let tz: Tz = name.parse().unwrap();
            for hours in &hour_sets {
                let cal = business(tz, hours.clone(), &[]);
                let (a, b) = (utc(from), utc(to));
                let whole = cal.counted(a, b, &[]);
                assert_eq!(whole, reference_for(tz, hours, &[], a, b), "{name}");
                let transition = utc(transition);
                let mut t = transition - TimeDelta::days(2);
                while t < transition + TimeDelta::days(2) {
                    let end = t + TimeDelta::hours(13);
                    let expected = reference_for(tz, hours, &[], t, end);
                    assert_eq!(cal.counted(t, end, &[]), expected, "{name} {t}");
                    let split = cal.counted(a, t, &[]) + cal.counted(t, b, &[]);
                    assert_eq!(split, whole, "{name} split at {t}");
                    t += TimeDelta::minutes(150);
                }
            }
        }
    }

    #[test]
    fn calendars_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<WorkCalendar>();
    }

    // ---- deadline ----

    #[test]
    fn deadline_of_zero_budget_is_the_start() {
        let cal = business(Berlin, nine_to_six(), &[]);
        let a = at(Berlin, 2026, 3, 7, 12, 0);
        assert_eq!(cal.deadline(a, 0, &[]), Some(a));
    }

    #[test]
    fn deadline_skips_the_night() {
        let cal = business(Berlin, nine_to_six(), &[]);
        let a = at(Berlin, 2026, 3, 2, 17, 0);
        assert_eq!(
            cal.deadline(a, 2 * HOUR, &[]),
            Some(at(Berlin, 2026, 3, 3, 10, 0))
        );
    }

    #[test]
    fn deadline_is_the_earliest_instant_at_the_end_of_a_range() {
        let cal = business(Berlin, nine_to_six(), &[]);
        let a = at(Berlin, 2026, 3, 2, 17, 0);
        assert_eq!(
            cal.deadline(a, HOUR, &[]),
            Some(at(Berlin, 2026, 3, 2, 18, 0))
        );
    }

    #[test]
    fn deadline_waits_out_pauses_and_holidays() {
        let cal = business(Berlin, nine_to_six(), &[date(2026, 3, 3)]);
        let a = at(Berlin, 2026, 3, 2, 17, 0);
        let pause = (at(Berlin, 2026, 3, 4, 8, 0), at(Berlin, 2026, 3, 4, 12, 0));
        assert_eq!(
            cal.deadline(a, 2 * HOUR, &[pause]),
            Some(at(Berlin, 2026, 3, 4, 13, 0))
        );
    }

    #[test]
    fn deadline_beyond_the_horizon_is_none() {
        let a = utc("2026-01-01T00:00:00Z");
        assert_eq!(
            WorkCalendar::AlwaysOn.deadline(a, 21 * 366 * 24 * HOUR, &[]),
            None
        );
        let never = business(Berlin, std::array::from_fn(|_| Vec::new()), &[]);
        assert_eq!(never.deadline(a, 1, &[]), None);
        let always = WorkCalendar::AlwaysOn;
        assert_eq!(
            always.deadline(a, 90, &[]),
            Some(a + TimeDelta::seconds(90))
        );
    }

    // ---- properties ----

    /// UTC instants of the 2025-2027 DST changes in Berlin and New York.
    const TRANSITIONS: [&str; 12] = [
        "2025-03-30T01:00:00Z",
        "2025-10-26T01:00:00Z",
        "2026-03-29T01:00:00Z",
        "2026-10-25T01:00:00Z",
        "2027-03-28T01:00:00Z",
        "2027-10-31T01:00:00Z",
        "2025-03-09T07:00:00Z",
        "2025-11-02T06:00:00Z",
        "2026-03-08T07:00:00Z",
        "2026-11-01T06:00:00Z",
        "2027-03-14T07:00:00Z",
        "2027-11-07T06:00:00Z",
    ];

    fn instant() -> impl Strategy<Value = i64> {
        let start = utc("2025-01-01T00:00:00Z").timestamp();
        let end = utc("2028-01-01T00:00:00Z").timestamp();
        let near = TRANSITIONS.map(|t| utc(t).timestamp()).to_vec();
        prop_oneof![
            start..end,
            (prop::sample::select(near), -4 * DAY..4 * DAY).prop_map(|(t, d)| t + d),
        ]
    }

    fn minute() -> impl Strategy<Value = u16> {
        prop_oneof![(0u16..=48).prop_map(|h| h * 30), 0u16..=1440]
    }

    fn day_hours() -> impl Strategy<Value = Vec<(u16, u16)>> {
        (prop::collection::vec(minute(), 0..=6), any::<bool>()).prop_map(|(mut points, touch)| {
            points.sort_unstable();
            points.dedup();
            if touch {
                points.windows(2).map(|w| (w[0], w[1])).collect()
            } else {
                points.chunks_exact(2).map(|c| (c[0], c[1])).collect()
            }
        })
    }

    fn calendar_spec() -> impl Strategy<Value = (Tz, WeekHours, Vec<NaiveDate>)> {
        let zone = prop_oneof![Just(Berlin), Just(New_York), Just(Tz::UTC)];
        let holidays = prop::collection::vec(
            (0u64..1_200).prop_map(|d| date(2024, 12, 25) + Days::new(d)),
            0..15,
        );
        (zone, prop::array::uniform7(day_hours()), holidays)
    }

    fn pauses() -> impl Strategy<Value = Vec<(i64, i64)>> {
        prop::collection::vec(
            (instant(), 0..3 * DAY).prop_map(|(t, len)| (t, t + len)),
            0..4,
        )
    }

    fn instant_of(t: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(t, 0).unwrap()
    }

    fn as_instants(pauses: &[(i64, i64)]) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        pauses
            .iter()
            .map(|&(from, to)| (instant_of(from), instant_of(to)))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn counted_is_additive_bounded_and_matches_reference(
            (tz, hours, holidays) in calendar_spec(),
            times in prop::collection::vec(instant(), 3),
            pauses in pauses(),
        ) {
            let mut times = times;
            times.sort_unstable();
            let (a, b, c) = (instant_of(times[0]), instant_of(times[1]), instant_of(times[2]));
            let cal = business(tz, hours.clone(), &holidays);
            let paused = as_instants(&pauses);

            let ab = cal.counted(a, b, &paused);
            let bc = cal.counted(b, c, &paused);
            let ac = cal.counted(a, c, &paused);
            prop_assert_eq!(ac, ab + bc);
            prop_assert!(0 <= ab && ab <= (b - a).num_seconds());

            let unpaused = cal.counted(a, c, &[]);
            prop_assert!(ac <= unpaused);
            prop_assert_eq!(
                unpaused,
                reference_counted(tz, &hours, &holidays, times[0], times[2], &[])
            );
            prop_assert_eq!(
                ac,
                reference_counted(tz, &hours, &holidays, times[0], times[2], &pauses)
            );

            let always = WorkCalendar::AlwaysOn;
            prop_assert_eq!(always.counted(a, c, &[]), (c - a).num_seconds());
            prop_assert!(always.counted(a, c, &paused) >= ac);
        }

        #[test]
        fn deadline_inverts_counted(
            (tz, hours, holidays) in calendar_spec(),
            times in prop::collection::vec(instant(), 2),
            pauses in pauses(),
        ) {
            let (a, b) = (instant_of(times[0].min(times[1])), instant_of(times[0].max(times[1])));
            let cal = business(tz, hours, &holidays);
            let paused = as_instants(&pauses);
            let budget = cal.counted(a, b, &paused);
            let due = cal.deadline(a, budget, &paused);
            prop_assert!(due.is_some());
            let due = due.unwrap_or(a);
            prop_assert!(a <= due && due <= b);
            prop_assert_eq!(cal.counted(a, due, &paused), budget);
            if budget > 0 {
                let before = due - TimeDelta::seconds(1);
                prop_assert!(cal.counted(a, before, &paused) < budget);
            }
        }
    }
}
