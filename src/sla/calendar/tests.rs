//! Counted time and deadlines against hand counts and an independent
//! minute-by-minute reference.

use super::*;
use chrono::{
    Datelike, Days, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeDelta, TimeZone,
};
use chrono_tz::America::New_York;
use chrono_tz::Europe::Berlin;
use chrono_tz::Tz;
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
        let expected = reference_counted(tz, &hours, &holidays, a.timestamp(), b.timestamp(), &[]);
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
