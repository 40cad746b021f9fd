//! Writes a large, realistic service repo for benchmarks (see scripts/bench.sh):
//! 1,000 services in every lifecycle stage, 20 SLA policies, 5 calendars (zones
//! with and without DST, holidays, lunch breaks) and N incidents over three years
//! with pauses, outages, open ones and mixed UTC offsets; optionally C changes
//! (every type and outcome, some open with windows in the fortnight after the
//! benchmark's `--now`, some caused incidents) and P problems (every state,
//! linked both ways, with actions). The output passes `svc check` without errors.
//!
//! cargo run --release --example generate -- --incidents 100000 --out /tmp/bench-100k
//! cargo run --release --example generate -- --incidents 100000 --changes 20000 --problems 5000 --out DIR

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use svc::model::config::DEFAULT_STAGES as STAGES;
const CALENDARS: [(&str, &str, i32); 5] = [
    ("office-berlin", "Europe/Berlin", 1),
    ("office-london", "Europe/London", 0),
    ("support-newyork", "America/New_York", -5),
    ("office-tokyo", "Asia/Tokyo", 9),
    ("office-sydney", "Australia/Sydney", 10),
];
const SERVICES: usize = 1000;
const POLICIES: usize = 20;

/// A small deterministic generator (SplitMix64), so runs are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let incidents: usize = value("--incidents")
        .unwrap_or_else(|| "10000".into())
        .parse()?;
    let changes: usize = value("--changes").unwrap_or_else(|| "0".into()).parse()?;
    let problems: usize = value("--problems").unwrap_or_else(|| "0".into()).parse()?;
    let out = PathBuf::from(value("--out").ok_or("--out DIR is required")?);
    if out.join("svc.toml").exists() {
        return Err(format!("{} already holds a repo", out.display()).into());
    }
    let mut rng = Rng(0x5eed_2026);
    // Changes, problems and the links to them draw from their own generator, so
    // the incidents of a repo without them are the same as they always were.
    let mut links = Rng(0x0c4a_2026);
    write(
        &out,
        "svc.toml",
        "[repo]\nname = \"bench\"\ntimezone = \"Europe/Berlin\"\n\n[lifecycle]\nstale_after_days = { design = 90, development = 180 }\n",
    )?;
    for (id, zone, _) in CALENDARS {
        let lunch = if id.starts_with("office") {
            "[\"09:00-12:30\", \"13:30-18:00\"]"
        } else {
            "[\"08:00-20:00\"]"
        };
        let mut text = format!("kind: Calendar\nid: {id}\ntimezone: {zone}\nhours:\n");
        for day in ["mon", "tue", "wed", "thu"] {
            writeln!(text, "  {day}: {lunch}")?;
        }
        text.push_str("  fri: [\"09:00-16:00\"]\nholidays:\n");
        for year in 2024..=2026 {
            writeln!(
                text,
                "  - {year}-01-01\n  - {{ date: {year}-12-25, name: Christmas Day }}\n  - {year}-05-01"
            )?;
        }
        write(&out, &format!("calendars/{id}.yaml"), &text)?;
    }
    for p in 0..POLICIES {
        let calendar = if p % 4 == 0 {
            "24x7".to_string()
        } else {
            CALENDARS[p % CALENDARS.len()].0.to_string()
        };
        let scale = 1 + (p % 3) as u64;
        let mut text = format!(
            "kind: SlaPolicy\nid: policy-{p:02}\ncalendar: {calendar}\ntargets:\n  P1: {{ response: {}m, resolution: {}h }}\n  P2: {{ response: {}m, resolution: {}h }}\n  P3: {{ response: {}h, resolution: {}h }}\n  P4: {{ response: {}h, resolution: {}h }}\nobjectives:\n  compliance: 90%\n  availability: 99.5%\n  satisfaction: 80%\nescalation:\n  - {{ after: 50%, notify: team-lead }}\n  - {{ after: 100%, notify: head-of-ops }}\n",
            15 * scale,
            4 * scale,
            30 * scale,
            8 * scale,
            2 * scale,
            24 * scale,
            8 * scale,
            72 * scale
        );
        // Only a repo with changes gets the objective on them, so a repo without
        // is byte for byte what earlier benchmarks measured.
        if changes > 0 {
            text = text.replace(
                "  satisfaction: 80%\n",
                "  satisfaction: 80%\n  change_failure_rate: 15%\n",
            );
        }
        write(&out, &format!("policies/policy-{p:02}.yaml"), &text)?;
    }
    // Services: most operational; the retired ones depend on nothing and nobody
    // depends on them; dependencies only point to lower-numbered operational services.
    let stage_of = |s: usize| match s % 20 {
        0 => "proposed",
        1 => "planning",
        2 => "design",
        3 => "development",
        4 => "testing",
        5 => "deprecated",
        6 => "retired",
        _ => "operational",
    };
    let running: Vec<usize> = (0..SERVICES)
        .filter(|s| matches!(stage_of(*s), "operational" | "deprecated"))
        .collect();
    for s in 0..SERVICES {
        let stage = stage_of(s);
        let index = STAGES.iter().position(|x| *x == stage).unwrap_or(0);
        let mut text = format!(
            "# Generated service {s}.\nkind: Service\nid: service-{s:04}\nname: Service {s}\nowner: team-{:02}\ntier: {}\npolicy: policy-{:02}\n",
            s % 40,
            1 + s % 4,
            s % POLICIES
        );
        let deps: Vec<String> = running
            .iter()
            .filter(|d| **d < s && stage != "retired")
            .take(2)
            .map(|d| format!("service-{d:04}"))
            .collect();
        writeln!(text, "depends_on: [{}]", deps.join(", "))?;
        writeln!(
            text,
            "contacts:\n  oncall: team-{:02}@example.com\nlinks:\n  runbook: https://wiki.example.com/{s}\n  dashboard: https://grafana.example.com/{s}",
            s % 40
        )?;
        writeln!(text, "lifecycle:\n  stage: {stage}\n  history:")?;
        for (step, name) in STAGES[..=index]
            .iter()
            .enumerate()
            .filter(|(i, _)| *i == 0 || *i + 1 == index + 1 || *i == 5)
        {
            writeln!(
                text,
                "    - {{ stage: {name}, at: 2023-{:02}-01T09:00:00Z, by: owner{}@example.com }}",
                1 + step,
                s % 40
            )?;
        }
        if stage == "retired" {
            text.push_str("retirement:\n  reason: demand-changed\n  data:\n    backup: s3://backups/service\n");
        }
        write(&out, &format!("services/service-{s:04}.yaml"), &text)?;
    }
    // Incidents on running services (open ones are never on retired services).
    let start: i64 = 1_704_067_200; // 2024-01-01T00:00:00Z
    let span: u64 = 3 * 365 * 86_400 - 40 * 86_400;
    for i in 0..incidents {
        let service = running[rng.below(running.len() as u64) as usize];
        let offset_hours = [0, 1, 2, -5, -4, 9, 10, 11][rng.below(8) as usize];
        let opened = start + rng.below(span) as i64;
        let priority = 1 + rng.below(4);
        let mut text = format!(
            "kind: Incident\nid: INC-{i:07}\nservice: service-{service:04}\ntitle: Generated incident {i}\npriority: P{priority}\nopened_at: {}\n",
            stamp(opened, offset_hours)
        );
        let open = i + 1 >= incidents.saturating_sub(incidents / 200);
        if !open {
            let ack = opened + 60 + rng.below(7200) as i64;
            let longest = if rng.chance(10) {
                30 * 86_400
            } else {
                2 * 86_400
            };
            let resolved = ack + 600 + rng.below(longest) as i64;
            writeln!(
                text,
                "acknowledged_at: {}\nresolved_at: {}",
                stamp(ack, offset_hours),
                stamp(resolved, offset_hours)
            )?;
            if rng.chance(50) {
                writeln!(
                    text,
                    "closed_at: {}",
                    stamp(resolved + 86_400, offset_hours)
                )?;
            }
            if rng.chance(20) && resolved - ack > 1200 {
                let from = ack + 300;
                let to = from + (resolved - from) / 2;
                writeln!(
                    text,
                    "paused:\n  - {{ from: {}, to: {}, reason: awaiting-customer }}",
                    stamp(from, offset_hours),
                    stamp(to, offset_hours)
                )?;
            }
            if priority <= 2 && rng.chance(40) {
                writeln!(
                    text,
                    "outage:\n  - {{ from: {}, to: {} }}",
                    stamp(opened - 120, 0),
                    stamp(opened + 600 + rng.below(7200) as i64, 0)
                )?;
            }
            if rng.chance(60) {
                writeln!(text, "satisfaction: {}", 1 + rng.below(5))?;
            }
        }
        if changes > 0 && links.chance(2) {
            writeln!(
                text,
                "caused_by_change: CHG-{:06}",
                links.below(changes as u64)
            )?;
        }
        if problems > 0 && links.chance(1) {
            writeln!(text, "problem: PRB-{:05}", links.below(problems as u64))?;
        }
        let year = 2024 + (opened - start) / (365 * 86_400);
        write(
            &out,
            &format!("incidents/{year}/{:03}/INC-{i:07}.yaml", i / 1000),
            &text,
        )?;
    }
    for c in 0..changes {
        let service = running[links.below(running.len() as u64) as usize];
        write(
            &out,
            &format!("changes/{:03}/CHG-{c:06}.yaml", c / 1000),
            &change(c, service, changes, &mut links)?,
        )?;
    }
    for p in 0..problems {
        let service = running[links.below(running.len() as u64) as usize];
        write(
            &out,
            &format!("problems/PRB-{p:05}.yaml"),
            &problem(p, service, incidents, &mut links)?,
        )?;
    }
    eprintln!(
        "wrote {SERVICES} services, {POLICIES} policies, {} calendars, {incidents} incidents, {changes} changes and {problems} problems to {}",
        CALENDARS.len(),
        out.display()
    );
    Ok(())
}

/// 2027-01-01T00:00:00Z, the `--now` of scripts/bench.sh.
const BENCH_NOW: i64 = 1_798_761_600;

/// One change: most closed with an outcome over three years, some still
/// implemented, a few cancelled, and the last 1% open with a window in the
/// three weeks after the benchmark's `--now` (so `upcoming` has work to do).
fn change(
    c: usize,
    service: usize,
    total: usize,
    rng: &mut Rng,
) -> Result<String, std::fmt::Error> {
    let start: i64 = 1_704_067_200;
    let change_type = match rng.below(10) {
        0 => "emergency",
        1 | 2 => "standard",
        _ => "normal",
    };
    let risk = ["low", "medium", "high"][rng.below(3) as usize];
    let mut text = format!(
        "kind: Change\nid: CHG-{c:06}\nservice: service-{service:04}\ntitle: Generated change {c}\ntype: {change_type}\nrisk: {risk}\n"
    );
    let plans = "rollback_plan: Redeploy the previous release.\nverification_plan: Error rate and latency stay at their baseline for an hour.\n";
    let by = format!("by: owner{}@example.com", service % 40);
    if c + 1 >= total.saturating_sub(total / 100) {
        let window = BENCH_NOW + rng.below(21 * 86_400) as i64;
        let requested = BENCH_NOW - 10 * 86_400 - rng.below(20 * 86_400) as i64;
        let state = ["requested", "approved", "scheduled"][rng.below(3) as usize];
        writeln!(
            text,
            "state: {state}\nwindow: {{ start: {}, end: {} }}\n{plans}",
            stamp(window, 1),
            stamp(window + 3600, 1)
        )?;
        if state != "requested" {
            writeln!(
                text,
                "approvals:\n  - {{ by: cab@example.com, at: {} }}",
                stamp(requested + 86_400, 0)
            )?;
        }
        writeln!(
            text,
            "history:\n  - {{ state: requested, at: {}, {by} }}",
            stamp(requested, 0)
        )?;
        if state != "requested" {
            writeln!(
                text,
                "  - {{ state: {state}, at: {}, {by} }}",
                stamp(requested + 86_400, 0)
            )?;
        }
        return Ok(text);
    }
    let requested = start + rng.below(3 * 365 * 86_400 - 30 * 86_400) as i64;
    if rng.chance(3) {
        writeln!(
            text,
            "state: cancelled\ncancel_reason: No longer needed.\nhistory:\n  - {{ state: requested, at: {}, {by} }}\n  - {{ state: cancelled, at: {}, {by} }}",
            stamp(requested, 0),
            stamp(requested + 86_400, 0)
        )?;
        return Ok(text);
    }
    let window = requested + 86_400 + rng.below(14 * 86_400) as i64;
    let begun = window + rng.below(600) as i64;
    let ended = begun + 300 + rng.below(5400) as i64;
    let still_running = rng.chance(3);
    let state = if still_running {
        "implemented"
    } else {
        "closed"
    };
    writeln!(
        text,
        "state: {state}\nwindow: {{ start: {}, end: {} }}\n{plans}approvals:\n  - {{ by: cab@example.com, at: {} }}",
        stamp(window, 1),
        stamp(window + 7200, 1),
        stamp(requested + 3600, 0)
    )?;
    if still_running {
        writeln!(text, "implemented: {{ start: {} }}", stamp(begun, 1))?;
    } else {
        let outcome = match rng.below(20) {
            0 | 1 => "failed",
            2 => "rolled-back",
            _ => "successful",
        };
        writeln!(
            text,
            "implemented: {{ start: {}, end: {} }}\noutcome: {outcome}",
            stamp(begun, 1),
            stamp(ended, 1)
        )?;
    }
    writeln!(
        text,
        "history:\n  - {{ state: requested, at: {}, {by} }}\n  - {{ state: {state}, at: {}, {by} }}",
        stamp(requested, 0),
        stamp(if still_running { begun } else { ended + 86_400 }, 0)
    )?;
    Ok(text)
}

/// One problem: linked to a few incidents, in every state, with actions done,
/// open (due after the benchmark's `--now`) and, for resolved and closed
/// problems, all done and verified.
fn problem(
    p: usize,
    service: usize,
    incidents: usize,
    rng: &mut Rng,
) -> Result<String, std::fmt::Error> {
    let start: i64 = 1_704_067_200;
    let states = ["new", "investigating", "known-error", "resolved", "closed"];
    let state = states[rng.below(5) as usize];
    let finished = matches!(state, "resolved" | "closed");
    let created = start + rng.below(3 * 365 * 86_400 - 60 * 86_400) as i64;
    let mut text = format!(
        "kind: Problem\nid: PRB-{p:05}\nservice: service-{service:04}\ntitle: Generated problem {p}\nstate: {state}\n"
    );
    if incidents > 0 {
        let linked: Vec<String> = (0..1 + rng.below(3))
            .map(|_| format!("INC-{:07}", rng.below(incidents as u64)))
            .collect();
        writeln!(text, "incidents: [{}]", linked.join(", "))?;
    }
    if matches!(state, "known-error" | "resolved" | "closed") {
        text.push_str("root_cause: A generated root cause.\nworkaround: Restart the service.\n");
    }
    text.push_str("actions:\n");
    for a in 1..=1 + rng.below(3) {
        let due = created + (10 + rng.below(30) as i64) * 86_400;
        let done = finished || rng.chance(50);
        if done {
            writeln!(
                text,
                "  - {{ id: A{a}, title: Action {a}, owner: team-{:02}, due: {}, done_at: {} }}",
                service % 40,
                &stamp(due, 0)[..10],
                stamp(due - 86_400, 0)
            )?;
        } else {
            writeln!(
                text,
                "  - {{ id: A{a}, title: Action {a}, owner: team-{:02}, due: {} }}",
                service % 40,
                &stamp(BENCH_NOW + (1 + rng.below(90) as i64) * 86_400, 0)[..10]
            )?;
        }
    }
    if finished {
        writeln!(
            text,
            "verification: {{ at: {}, by: owner{}@example.com }}",
            stamp(created + 50 * 86_400, 0),
            service % 40
        )?;
    }
    writeln!(
        text,
        "history:\n  - {{ state: new, at: {}, by: owner{}@example.com }}",
        stamp(created, 0),
        service % 40
    )?;
    if state != "new" {
        writeln!(
            text,
            "  - {{ state: {state}, at: {}, by: owner{}@example.com }}",
            stamp(created + 55 * 86_400, 0),
            service % 40
        )?;
    }
    Ok(text)
}

/// RFC 3339 for `seconds` since the epoch, written with a fixed offset.
fn stamp(seconds: i64, offset_hours: i32) -> String {
    let local = seconds + i64::from(offset_hours) * 3600;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let offset = if offset_hours == 0 {
        "Z".to_string()
    } else {
        format!(
            "{}{:02}:00",
            if offset_hours < 0 { '-' } else { '+' },
            offset_hours.abs()
        )
    };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}{offset}",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn write(root: &Path, file: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}
