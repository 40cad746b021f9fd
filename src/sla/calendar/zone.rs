//! A time zone's offset changes (DST transitions) and local-time look-ups.
//!
//! chrono-tz does not expose its transition table, so the offset changes of a
//! zone are found once per process by sampling the offset every three days and
//! bisecting each change. The closest two offset changes in the tz database are
//! almost seven days apart (Gaza, and Brazil in 2000), so none is missed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{GapInfo, Tz};

/// Seconds in a local wall-clock day (DST makes some days last longer or shorter).
pub(super) const DAY: i64 = 86_400;
/// Sampling step of the transition scan: less than half the closest spacing of
/// two offset changes in the tz database (about 6.96 days).
pub(super) const SCAN_STRIDE: i64 = 3 * DAY;
/// 1900-01-01T00:00:00Z: start of the per-zone transition table. Transitions
/// outside the table are scanned on demand.
pub(super) const TABLE_START: i64 = -2_208_988_800;
/// 2101-01-01T00:00:00Z: end of the per-zone transition table (chrono-tz has
/// no transitions after 2099).
pub(super) const TABLE_END: i64 = 4_133_980_800;
/// Bound for searching a gap's end by hand: offsets stay within ±26 h.
pub(super) const MAX_OFFSET: i64 = 27 * 3_600;

/// UTC offset in seconds at `instant`.
pub(super) fn offset_at(tz: Tz, instant: i64) -> i64 {
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
pub(super) fn first_instant(tz: Tz, local: i64) -> i64 {
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

/// Appends every instant in `(lo, hi]` at which the UTC offset of `tz` changes
/// (the first instant with the new offset), assuming changes are more than
/// `SCAN_STRIDE` apart.
pub(super) fn scan_transitions(tz: Tz, lo: i64, hi: i64, out: &mut Vec<i64>) {
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
pub(super) fn transition_table(tz: Tz) -> Arc<[i64]> {
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
