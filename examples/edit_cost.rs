//! Measures what one comment-preserving edit costs: `svc advance`'s stage move
//! (set `lifecycle.stage`, append a history entry, the post-edit check) on the
//! example repo's `checkout-web.yaml`, and an incident acknowledgement (see
//! docs/performance.md and docs/dependencies.md).
//!
//! cargo run --release --example edit_cost

use std::hint::black_box;
use std::time::Instant;

use svc::edit::{Edit, HistoryEntry, SERVICE_STAGE, Scalar, move_to_state};

fn main() {
    let service = include_str!("acme/services/checkout-web.yaml");
    let incident = "kind: Incident\nid: INC-2026-0042\nservice: payments-api\ntitle: Card payments failing\npriority: P1\nopened_at: 2026-03-02T09:14:00+01:00\n";
    let entry = HistoryEntry {
        state: "deprecated".into(),
        at: "2026-10-01T09:00:00Z".into(),
        by: "ana@example.com".into(),
        note: None,
    };
    let advance = || {
        let mut edit = Edit::new(black_box(service)).ok()?;
        move_to_state(&mut edit, &SERVICE_STAGE, &entry).ok()?;
        edit.finish().ok()
    };
    let ack = || {
        let mut edit = Edit::new(black_box(incident)).ok()?;
        let route = "acknowledged_at".parse().ok()?;
        edit.set(&route, Scalar::timestamp("2026-03-02T09:20:00+01:00"))
            .ok()?;
        edit.finish().ok()
    };
    println!("| edit | per edit |\n|---|---:|");
    for (name, run) in [
        (
            "advance checkout-web.yaml",
            &advance as &dyn Fn() -> Option<String>,
        ),
        ("acknowledge an incident", &ack),
    ] {
        assert!(run().is_some(), "{name} failed");
        let rounds = 2000;
        let start = Instant::now();
        for _ in 0..rounds {
            black_box(run());
        }
        let micros = start.elapsed().as_secs_f64() * 1e6 / f64::from(rounds);
        println!("| {name} | {micros:.1} µs |");
    }
}
