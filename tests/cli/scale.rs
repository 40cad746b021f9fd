//! Issue 11, bounded cost for any input: one generated repo per rule (and per
//! pathological case the attack found), each with thousands of records that
//! trigger it. Every run is held to a generous bound — minutes of quadratic
//! work in a debug build would break it, ordinary load on a shared CI machine
//! does not — and to the exact number of diagnostics and a bounded output size.
//! `scripts/bench_scale.sh` times the same cases in a release build
//! (docs/performance.md).

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{Run, svc};

/// The bound every run must meet, even in a debug build on a busy machine.
const BOUND: Duration = Duration::from_secs(60);

/// Most bytes of output per diagnostic: messages are bounded, whatever the input.
const BYTES_PER_DIAGNOSTIC: usize = 1_200;

const NOW: &str = "--now=2026-10-01T00:00:00Z";

/// A repo with svc.toml, a business calendar and two policies (`gold` on it,
/// `always` on 24x7), and no services or incidents.
fn skeleton() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for folder in ["services", "policies", "calendars", "incidents/2026"] {
        std::fs::create_dir_all(root.join(folder)).unwrap();
    }
    write(
        root,
        "svc.toml",
        "[repo]\nname = \"scale\"\ntimezone = \"Europe/Berlin\"\n",
    );
    write(
        root,
        "calendars/office.yaml",
        "kind: Calendar\nid: office\ntimezone: Europe/Berlin\nhours:\n  mon: [\"09:00-17:00\"]\n  tue: [\"09:00-17:00\"]\n  wed: [\"09:00-17:00\"]\n  thu: [\"09:00-17:00\"]\n  fri: [\"09:00-17:00\"]\n",
    );
    write(
        root,
        "policies/gold.yaml",
        "kind: SlaPolicy\nid: gold\ncalendar: office\ntargets:\n  P1: { response: 15m, resolution: 4h }\n  P2: { response: 1h, resolution: 8h }\n",
    );
    write(
        root,
        "policies/always.yaml",
        "kind: SlaPolicy\nid: always\ntargets:\n  P1: { response: 15m, resolution: 4h }\n",
    );
    dir
}

fn write(root: &Path, file: &str, text: impl AsRef<[u8]>) {
    std::fs::write(root.join(file), text).unwrap();
}

/// A valid proposed service `id` with extra lines.
fn service(id: &str, extra: &str) -> String {
    format!(
        "kind: Service\nid: {id}\nowner: t\npolicy: gold\n{extra}lifecycle:\n  stage: proposed\n  history: [{{ stage: proposed, at: 2026-01-05T09:00:00Z, by: a }}]\n"
    )
}

/// An incident `id` on service `on`, opened at `opened`, with extra lines.
fn incident(id: &str, on: &str, opened: &str, extra: &str) -> String {
    format!(
        "kind: Incident\nid: {id}\nservice: {on}\ntitle: t\npriority: P1\nopened_at: {opened}\n{extra}"
    )
}

/// Runs svc within [`BOUND`], without a panic.
fn bounded(repo: &Path, args: &[&str]) -> Run {
    let started = Instant::now();
    let run = svc(repo, args);
    let took = started.elapsed();
    assert!(took < BOUND, "{args:?} took {took:?}");
    assert!(matches!(run.code, 0..=2), "{args:?}: {}", run.stderr);
    run
}

/// Runs `svc check --format json` and returns how many diagnostics of `rule`
/// it reported, after asserting the output is bounded per diagnostic.
fn count(repo: &Path, now: &str, rule: &str) -> usize {
    let run = bounded(repo, &[now, "check", "--format", "json"]);
    let all = run.json();
    let all = all.as_array().unwrap();
    assert!(
        run.stdout.len() <= (all.len() + 1) * BYTES_PER_DIAGNOSTIC,
        "{rule}: {} bytes for {} diagnostics",
        run.stdout.len(),
        all.len()
    );
    all.iter().filter(|d| d["rule"] == rule).count()
}

/// Writes `n` services `s-0000`… made by `text(i, id)`.
fn services(root: &Path, n: usize, text: impl Fn(usize, &str) -> String) {
    for i in 0..n {
        let id = format!("s-{i:04}");
        write(root, &format!("services/{id}.yaml"), text(i, &id));
    }
}

/// Writes `n` incidents `INC-0000`… made by `text(i, id)`.
fn incidents(root: &Path, n: usize, text: impl Fn(usize, &str) -> String) {
    for i in 0..n {
        let id = format!("INC-{i:04}");
        write(root, &format!("incidents/2026/{id}.yaml"), text(i, &id));
    }
}

const N: usize = 2_000;

/// Makes record `i` (with id `id`) of a generated repo.
type Generator = fn(usize, &str) -> String;

#[test]
fn per_file_rules_scale() {
    let cases: [(&str, Generator); 5] = [
        ("yaml-syntax", |_, id| {
            format!("kind: Service\nid: {id}\nowner: [t\n")
        }),
        ("schema", |_, id| service(id, "ownr: t\n")),
        ("id-mismatch", |i, _| service(&format!("x-{i:04}"), "")),
        ("unknown-stage", |_, id| {
            service(id, "").replace("stage: proposed\n", "stage: nosuch\n")
        }),
        ("history", |_, id| {
            service(id, "").replace(
                "history: [{ stage: proposed, at: 2026-01-05T09:00:00Z, by: a }]",
                "history: [{ stage: proposed, at: 2026-01-05T09:00:00Z }, { stage: proposed, at: 2025-01-05T09:00:00Z }]",
            )
        }),
    ];
    for (rule, text) in cases {
        let repo = skeleton();
        services(repo.path(), N, text);
        assert!(count(repo.path(), NOW, rule) >= N, "{rule}");
    }
}

#[test]
fn unreadable_files_scale() {
    let repo = skeleton();
    for i in 0..N {
        write(
            repo.path(),
            &format!("services/s-{i:04}.yaml"),
            b"kind: \xff\n",
        );
    }
    assert_eq!(count(repo.path(), NOW, "unreadable"), N);
}

/// Thousands of copies of one id: each copy names three others, so the work
/// and the output grow with the copies, not with their square.
#[test]
fn thousands_of_duplicate_ids_scale() {
    let repo = skeleton();
    services(repo.path(), 10_000, |_, _| service("dup", ""));
    for i in 0..N {
        write(
            repo.path(),
            &format!("incidents/2026/dup-{i:04}.yaml"),
            incident("dup", "dup", "2026-09-01T09:00:00Z", ""),
        );
    }
    assert_eq!(count(repo.path(), NOW, "duplicate-id"), 10_000 + N);
}

/// 5,000 services, each with a misspelt `depends_on`: the did-you-mean over all
/// ids per reference took 11.6 s in a release build.
#[test]
fn five_thousand_misspelt_references_scale() {
    let repo = skeleton();
    for i in 0..5_000 {
        let id = format!("service-{i:04}");
        let typo = format!("servce-{:04}", (i + 1) % 5_000);
        write(
            repo.path(),
            &format!("services/{id}.yaml"),
            service(&id, &format!("depends_on: [{typo}]\n")),
        );
    }
    let run = bounded(repo.path(), &[NOW, "check", "--format", "json"]);
    let d = run.json();
    let d = d.as_array().unwrap();
    assert_eq!(
        d.iter()
            .filter(|d| d["rule"] == "unknown-reference")
            .count(),
        5_000
    );
    // The early ones still get their suggestion.
    let first = d
        .iter()
        .find(|d| d["file"] == "services/service-0000.yaml")
        .unwrap();
    assert_eq!(first["help"], "did you mean `service-0001`?");
}

/// 2,000 services with 10 pseudo-random dependencies each (300 KB of YAML)
/// once needed 2.5 GB: one component, one bounded message per member.
#[test]
fn two_thousand_services_with_ten_random_dependencies_scale() {
    let repo = skeleton();
    let mut seed: u64 = 7;
    let mut random = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) as usize % N
    };
    for i in 0..N {
        let mut deps = String::new();
        for k in 0..10 {
            let _ = write!(deps, "{}s-{:04}", if k > 0 { ", " } else { "" }, random());
        }
        let id = format!("s-{i:04}");
        write(
            repo.path(),
            &format!("services/{id}.yaml"),
            service(&id, &format!("depends_on: [{deps}]\n")),
        );
    }
    let cycles = count(repo.path(), NOW, "dependency-cycle");
    assert!(cycles > 1_900 && cycles <= N, "{cycles}");
}

#[test]
fn incident_rules_scale() {
    // timestamp: resolved before opened; missing-target: no P3 in gold;
    // future-timestamp: opened after --now.
    let cases: [(&str, Generator); 3] = [
        ("timestamp", |_, id| {
            incident(
                id,
                "s-0000",
                "2026-09-01T09:00:00Z",
                "resolved_at: 2026-08-01T09:00:00Z\n",
            )
        }),
        ("missing-target", |_, id| {
            incident(id, "s-0000", "2026-09-01T09:00:00Z", "").replace("P1", "P3")
        }),
        ("future-timestamp", |_, id| {
            incident(id, "s-0000", "2026-12-01T09:00:00Z", "")
        }),
    ];
    for (rule, text) in cases {
        let repo = skeleton();
        services(repo.path(), 1, |_, id| service(id, ""));
        incidents(repo.path(), N, text);
        assert!(count(repo.path(), NOW, rule) >= N, "{rule}");
    }
}

/// A policy with 2,000 priorities and 2,000 incidents with misspelt ones: one
/// suggester per policy, and a help line that lists ten priorities, not 2,000.
#[test]
fn a_policy_with_thousands_of_priorities_scales() {
    let repo = skeleton();
    let mut policy = String::from("kind: SlaPolicy\nid: gold\ncalendar: office\ntargets:\n");
    for p in 0..N {
        let _ = writeln!(policy, "  Prio{p:04}: {{ response: 15m, resolution: 4h }}");
    }
    write(repo.path(), "policies/gold.yaml", policy);
    services(repo.path(), 1, |_, id| service(id, ""));
    incidents(repo.path(), N, |i, id| {
        incident(id, "s-0000", "2026-09-01T09:00:00Z", "").replace("P1", &format!("Prio{i:04}x"))
    });
    assert_eq!(count(repo.path(), NOW, "missing-target"), N);
}

#[test]
fn service_rules_scale() {
    // gate: operational without the operational gate's fields.
    let repo = skeleton();
    services(repo.path(), N, |_, id| {
        service(id, "").replace(
            "stage: proposed\n  history: [{ stage: proposed",
            "stage: operational\n  history: [{ stage: operational",
        )
    });
    assert!(count(repo.path(), NOW, "gate") >= N);
    // retired-service: incidents opened after their service was retired.
    let repo = skeleton();
    write(
        repo.path(),
        "services/old.yaml",
        "kind: Service\nid: old\nowner: t\nlifecycle:\n  stage: retired\n  history: [{ stage: retired, at: 2026-01-05T09:00:00Z }]\nretirement: { reason: other, data: { backup: s3://b } }\n",
    );
    incidents(repo.path(), N, |_, id| {
        incident(
            id,
            "old",
            "2026-09-01T09:00:00Z",
            "resolved_at: 2026-09-01T10:00:00Z\n",
        )
    });
    assert_eq!(count(repo.path(), NOW, "retired-service"), N);
    // business-days: `d` targets on a business calendar, in many policies.
    let repo = skeleton();
    for p in 0..N {
        write(
            repo.path(),
            &format!("policies/p-{p:04}.yaml"),
            format!(
                "kind: SlaPolicy\nid: p-{p:04}\ncalendar: office\ntargets:\n  P1: {{ response: 1d, resolution: 3d }}\n"
            ),
        );
    }
    assert!(count(repo.path(), NOW, "business-days") >= N);
}

/// Far-future and far-past clocks: open incidents since 1970 on a business
/// calendar counted up to the last accepted instant, and every timestamp in
/// the future of a 1970 `--now`.
#[test]
fn extreme_clocks_scale() {
    let repo = skeleton();
    services(repo.path(), 1, |_, id| service(id, ""));
    incidents(repo.path(), N, |i, id| {
        let opened = format!("{}-01-05T09:00:00Z", 1970 + i % 120);
        incident(id, "s-0000", &opened, "")
    });
    for now in [
        "--now=2099-12-31T23:59:59-23:59",
        "--now=1970-01-01T00:00:00Z",
    ] {
        for args in [
            &["check", "--format", "json"][..],
            &["sla", "--format", "json"][..],
            &["sla", "--open", "--format", "json"][..],
            &["report", "lifecycle", "--format", "json"][..],
        ] {
            let mut full = vec![now];
            full.extend(args);
            bounded(repo.path(), &full);
        }
    }
    // Every incident, and the service's history entry.
    assert_eq!(
        count(
            repo.path(),
            "--now=1970-01-01T00:00:00Z",
            "future-timestamp"
        ),
        N + 1
    );
}

/// Any timestamp svc accepts is computed correctly: chrono-tz has no DST
/// rules after 2099, so later years are refused with a `timestamp` error (in a
/// record) or exit 2 (a flag), and a far-future `--now` never prints a year an
/// RFC 3339 reader rejects.
#[test]
fn timestamps_outside_1970_to_2099_are_refused() {
    let repo = skeleton();
    services(repo.path(), 1, |_, id| service(id, ""));
    write(
        repo.path(),
        "incidents/2026/INC-2100.yaml",
        incident("INC-2100", "s-0000", "2100-07-01T09:00:00+02:00", ""),
    );
    write(
        repo.path(),
        "incidents/2026/INC-2099.yaml",
        incident(
            "INC-2099",
            "s-0000",
            "2099-07-01T09:00:00+02:00",
            "resolved_at: 2099-07-01T12:00:00+02:00\n",
        ),
    );
    let run = bounded(repo.path(), &[NOW, "check", "--format", "json"]);
    let d = run.json();
    let d = d.as_array().unwrap();
    let far = d
        .iter()
        .find(|d| d["file"] == "incidents/2026/INC-2100.yaml")
        .unwrap();
    assert_eq!(far["rule"], "timestamp");
    assert!(
        far["message"]
            .as_str()
            .unwrap()
            .contains("svc accepts years 1970 to 2099"),
        "{far}"
    );
    assert!(
        d.iter()
            .filter(|d| d["file"] == "incidents/2026/INC-2099.yaml")
            .all(|d| d["rule"] == "future-timestamp"),
        "{d:#?}"
    );
    for args in [
        &["--now=2100-01-01T00:00:00Z", "check"][..],
        &["--now=9999-12-31T23:59:59-23:59", "sla"][..],
        &[NOW, "sla", "--since", "2100-01-01"][..],
        &[NOW, "sla", "--until", "2100-01-01T00:00:00Z"][..],
        &[NOW, "sla", "--period", "2100"][..],
        &[NOW, "advance", "s-0000", "--at", "2100-01-01T00:00:00Z"][..],
        &[
            NOW,
            "retire",
            "s-0000",
            "--reason",
            "other",
            "--purged-at",
            "2100-01-01T00:00:00Z",
        ][..],
    ] {
        let run = bounded(repo.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("help:"), "{args:?}: {}", run.stderr);
    }
    // DST holds to the end of the range: on a Berlin calendar, a July 2099
    // incident open 09:00 to 12:00 local (CEST, +02:00) counts 3 working hours.
    let run = bounded(
        repo.path(),
        &[
            "--now=2099-12-31T00:00:00Z",
            "sla",
            "--period",
            "2099",
            "--detail",
            "--format",
            "json",
        ],
    );
    let report = run.json();
    let incident = report["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "INC-2099")
        .unwrap_or_else(|| panic!("{report:#}"));
    assert_eq!(
        incident["resolution"]["counted_seconds"],
        3 * 3_600,
        "{incident:#}"
    );
    // The clock's latest instant prints as RFC 3339.
    let run = bounded(
        repo.path(),
        &["--now=2099-12-31T23:59:59-23:59", "sla", "--format", "json"],
    );
    assert_eq!(run.json()["now"], "2100-01-01T23:58:59Z");
}
