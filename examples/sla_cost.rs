//! Measures what one counted-time computation costs for incidents open an hour,
//! a day, a month, a year and ten years, on a business calendar with a lunch
//! break, holidays and DST (run by scripts/bench.sh; see docs/performance.md).
//!
//! cargo run --release --example sla_cost

use std::hint::black_box;
use std::time::Instant;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use svc::sla::calendar::{BusinessCalendar, WorkCalendar};

fn main() {
    let day = vec![(9 * 60, 12 * 60 + 30), (13 * 60 + 30, 18 * 60)];
    let hours = [
        day.clone(),
        day.clone(),
        day.clone(),
        day.clone(),
        vec![(9 * 60, 16 * 60)],
        vec![],
        vec![],
    ];
    let holidays = (2020..2040).flat_map(|y| {
        [(1, 1), (5, 1), (10, 3), (12, 24), (12, 25), (12, 26)]
            .into_iter()
            .filter_map(move |(m, d)| NaiveDate::from_ymd_opt(y, m, d))
    });
    let calendar = WorkCalendar::Business(BusinessCalendar::new(
        chrono_tz::Europe::Berlin,
        hours,
        holidays,
    ));
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-03-02T08:14:00Z")
        .map(|t| t.to_utc())
        .unwrap_or_default();
    let pause = [(start + Duration::hours(30), start + Duration::hours(50))];
    // Warm up: the first long query on a zone finds its DST changes once.
    black_box(calendar.counted(start, start + Duration::days(3650), &pause));
    println!("| open for | counted() per call |\n|---|---:|");
    for (label, span) in [
        ("1 hour", Duration::hours(1)),
        ("1 day", Duration::days(1)),
        ("1 month", Duration::days(30)),
        ("1 year", Duration::days(365)),
        ("10 years", Duration::days(3650)),
    ] {
        let runs = 200_000u32;
        let began = Instant::now();
        for i in 0..runs {
            let offset = Duration::minutes(i64::from(i % 1000));
            black_box(calendar.counted(start + offset, start + offset + span, &pause));
        }
        println!(
            "| {label} | {:.2} µs |",
            began.elapsed().as_secs_f64() * 1e6 / f64::from(runs)
        );
    }
}
