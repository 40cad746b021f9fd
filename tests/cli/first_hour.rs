//! The rough edges a newcomer hit in the first hour (issue 18), each through
//! the binary.

use std::path::Path;

use crate::common::{command, copy_repo, example, replace_in, snapshot, svc};

const NOW: &str = "--now=2026-10-01T12:00:00Z";

fn with_columns(repo: &Path, columns: Option<&str>, args: &[&str]) -> crate::common::Run {
    let mut command = command();
    command.env_remove("COLUMNS");
    if let Some(columns) = columns {
        command.env("COLUMNS", columns);
    }
    command
        .arg("--repo")
        .arg(repo)
        .args(args)
        .output()
        .unwrap()
        .into()
}

/// The widest table line (the report's title line is text, not a table).
fn widest(text: &str) -> usize {
    text.lines()
        .filter(|l| l.starts_with(['┌', '│', '╞', '├', '└']))
        .map(unicode_width_of)
        .max()
        .unwrap_or(0)
}

/// Box-drawing characters are one column wide; so is everything svc prints here.
fn unicode_width_of(line: &str) -> usize {
    line.chars().count()
}

#[test]
fn tables_fit_columns_and_keep_full_width_in_a_pipe() {
    let args = [NOW, "sla", "--period", "2026-05", "--detail"];
    let full = with_columns(&example(), None, &args);
    assert_eq!(full.code, 0, "{}", full.stderr);
    assert!(
        widest(&full.stdout) > 200,
        "a pipe keeps full width: {}",
        widest(&full.stdout)
    );
    for width in ["100", "80"] {
        let fitted = with_columns(&example(), Some(width), &args);
        assert_eq!(fitted.code, 0);
        let limit: usize = width.parse().unwrap();
        assert!(
            widest(&fitted.stdout) <= limit,
            "COLUMNS={width}:\n{}",
            fitted.stdout
        );
        // The ids are never wrapped: each incident id appears whole.
        for id in full
            .stdout
            .lines()
            .filter_map(|l| l.split(['│', '┆']).nth(1))
            .map(str::trim)
        {
            if id.starts_with("INC-") {
                assert!(fitted.stdout.contains(id), "{id} was wrapped");
            }
        }
    }
    let list = with_columns(&example(), Some("60"), &["list", "services"]);
    assert!(widest(&list.stdout) <= 60, "{}", list.stdout);
    // A width too small to mean anything is ignored.
    let tiny = with_columns(&example(), Some("5"), &args);
    assert_eq!(tiny.stdout, full.stdout);
}

#[test]
fn business_hours_print_in_hours_and_24x7_in_days() {
    // search is on the gold policy, on Berlin office hours.
    let detail = [NOW, "sla", "--service", "search", "--detail"];
    let run = svc(&example(), &detail);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let p4 = run
        .stdout
        .lines()
        .find(|l| l.contains("INC-2026-0065"))
        .unwrap();
    assert!(p4.contains("14h 08m / 45h 00m met"), "{p4}");
    let breached = run
        .stdout
        .lines()
        .find(|l| l.contains("INC-2026-0072"))
        .unwrap();
    assert!(breached.contains("23h 30m / 0h 30m breached"), "{breached}");
    let incidents: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains("┆ search "))
        .collect();
    let in_days = |l: &str| {
        l.split_whitespace().any(|w| {
            w.len() > 1 && w.ends_with('d') && w[..w.len() - 1].bytes().all(|b| b.is_ascii_digit())
        })
    };
    assert!(!incidents.iter().any(|l| in_days(l)), "{incidents:#?}");
    let mut markdown_args = detail.to_vec();
    markdown_args.extend(["--format", "markdown"]);
    let markdown = svc(&example(), &markdown_args);
    assert!(markdown.stdout.contains("/ 45h 00m"), "{}", markdown.stdout);
    // svc show: the targets of a business-hours policy, in hours.
    let search = svc(&example(), &[NOW, "show", "search"]).stdout;
    assert!(search.contains("resolution 27h 00m"), "{search}");
    assert!(!search.contains("1d 03h"), "{search}");
    // A 24x7 policy keeps days.
    let payments = svc(&example(), &[NOW, "show", "payments-api"]).stdout;
    assert!(!in_days(&search), "{search}");
    assert!(payments.contains("resolution 1d 00h 00m"), "{payments}");
}

#[test]
fn retiring_a_service_that_never_launched_checks_only_the_retired_gate() {
    let repo = copy_repo(&example());
    let run = svc(
        repo.path(),
        &[
            NOW,
            "retire",
            "partner-portal",
            "--reason",
            "demand-changed",
            "--backup",
            "none: no data was kept",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(repo.path().join("services/partner-portal.yaml")).unwrap();
    assert!(text.contains("stage: retired"), "{text}");
    assert!(
        !text.contains("runbook:") || text.contains("runbook"),
        "operational gate not asked"
    );
    assert_eq!(svc(repo.path(), &[NOW, "check"]).code, 0);
}

#[test]
fn a_quarter_in_progress_judges_availability_on_its_elapsed_part() {
    let repo = copy_repo(&example());
    std::fs::write(
        repo.path().join("incidents/2026/INC-2026-0900.yaml"),
        "kind: Incident\nid: INC-2026-0900\nservice: search\ntitle: Index down\npriority: P2\n\
         opened_at: 2026-11-10T10:00:00Z\nacknowledged_at: 2026-11-10T10:05:00Z\n\
         resolved_at: 2026-11-10T12:00:00Z\noutage:\n  - { from: 2026-11-10T10:00:00Z, to: 2026-11-10T12:00:00Z }\n",
    )
    .unwrap();
    // 2 h down in the 46 days (1,104 h) of Q4 before now; the whole quarter
    // would be 2,209 h (the clocks go back in October) and 99.91 %.
    let run = svc(
        repo.path(),
        &[
            "--now=2026-11-15T22:00:00Z",
            "sla",
            "--period",
            "2026-Q4",
            "--service",
            "search",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let search = &run.json()["services"][0];
    assert_eq!(search["availability_pct"], 99.82, "{search}");
}

#[test]
fn sla_detail_csv_is_the_incident_table_alone() {
    let run = svc(
        &example(),
        &[
            NOW, "sla", "--period", "2026-06", "--detail", "--format", "csv",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[0], "incident");
    assert_eq!(header.len(), 10);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r.len() == 10 && r[0].starts_with("INC-"))
    );
    assert!(!run.stdout.contains("\n\n"), "one table, no blank line");
    let groups = svc(
        &example(),
        &[NOW, "sla", "--period", "2026-06", "--format", "csv"],
    );
    assert!(
        groups.stdout.starts_with("service,policy,"),
        "{}",
        groups.stdout
    );
}

#[test]
fn no_sub_second_clock_time_is_printed() {
    let fraction = |text: &str| {
        text.split(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
            .any(|part| part.len() > 8 && part.contains(':') && part.contains('.'))
    };
    // Without --now: the clock has nanoseconds, none of which may show.
    for args in [
        &["sla"][..],
        &["sla", "--since", "2099-01-01"][..],
        &["sla", "--open"][..],
        &["sla", "--format", "json"][..],
        &["report", "lifecycle"][..],
    ] {
        let run = svc(&example(), args);
        assert!(
            !fraction(&run.stdout) && !fraction(&run.stderr),
            "{args:?}:\n{}{}",
            run.stdout,
            run.stderr
        );
    }
    let empty = svc(&example(), &["sla", "--since", "2099-01-01"]);
    assert_eq!(empty.code, 2);
    assert!(empty.stderr.contains("it would end ("), "{}", empty.stderr);
}

#[test]
fn show_history_columns_align_after_a_z_timestamp() {
    let repo = copy_repo(&example());
    replace_in(
        repo.path(),
        "services/payments-api.yaml",
        "at: 2025-04-01T10:00:00+02:00",
        "at: 2025-04-01T08:00:00Z",
    );
    let run = svc(repo.path(), &[NOW, "show", "payments-api"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let history: Vec<&str> = run
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("stage:"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(history.len(), 5, "{}", run.stdout);
    let columns: Vec<usize> = history.iter().map(|l| l.find("ana@").unwrap()).collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{history:#?}");
    let stages: Vec<usize> = history
        .iter()
        .map(|l| l.find(|c: char| c.is_ascii_lowercase()).unwrap())
        .collect();
    assert!(stages.windows(2).all(|w| w[0] == w[1]), "{history:#?}");
}

#[test]
fn the_new_service_template_aligns_its_comments() {
    let repo = copy_repo(&example());
    let run = svc(
        repo.path(),
        &[
            NOW,
            "new",
            "basket",
            "--name",
            "Basket",
            "--owner",
            "team-shop",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(repo.path().join("services/basket.yaml")).unwrap();
    let columns: Vec<usize> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.find(" # ").map(|i| i + 1))
        .collect();
    assert!(columns.len() >= 5, "{text}");
    assert!(
        columns.windows(2).all(|w| w[0] == w[1]),
        "{columns:?}\n{text}"
    );
}

#[test]
fn suggestions_skip_dissimilar_names_and_find_priorities_by_number() {
    let repo = copy_repo(&example());
    let run = svc(
        repo.path(),
        &[
            NOW,
            "new",
            "basket",
            "--name",
            "Basket",
            "--owner",
            "team-shop",
            "--policy",
            "gld",
        ],
    );
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("did you mean `gold`?"),
        "{}",
        run.stderr
    );
    let owners = svc(repo.path(), &["list", "services", "--owner", "team-nope"]);
    assert_eq!(owners.code, 2);
    assert!(!owners.stderr.contains("did you mean"), "{}", owners.stderr);
    let near = svc(repo.path(), &["list", "services", "--owner", "team-shpo"]);
    assert!(
        near.stderr.contains("did you mean `team-shop`?"),
        "{}",
        near.stderr
    );
    replace_in(
        repo.path(),
        "incidents/2026/INC-2026-0042.yaml",
        "priority: P1",
        "priority: 1",
    );
    let check = svc(repo.path(), &[NOW, "check", "--format", "json"]).json();
    let missing = check
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "missing-target")
        .expect("missing-target");
    assert_eq!(missing["help"], "did you mean `P1`?");
}

#[test]
fn at_takes_a_date_as_local_midnight_in_the_repo_zone() {
    let repo = copy_repo(&example());
    let run = svc(
        repo.path(),
        &[
            "--now=2026-11-02T12:00:00Z",
            "advance",
            "partner-portal",
            "--at",
            "2026-11-01",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(repo.path().join("services/partner-portal.yaml")).unwrap();
    // Berlin is at +01:00 in November.
    assert!(text.contains("at: 2026-11-01T00:00:00+01:00"), "{text}");
    let before = snapshot(repo.path());
    let bad = svc(
        repo.path(),
        &[
            "--now=2026-11-02T12:00:00Z",
            "advance",
            "partner-portal",
            "--at",
            "1 Nov",
        ],
    );
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("give a date like"), "{}", bad.stderr);
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn lifecycle_stale_lists_only_the_stale_services() {
    let run = svc(&example(), &[NOW, "report", "lifecycle", "--stale"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains('█'), "no stage chart:\n{}", run.stdout);
    let rows: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("│ ")).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().skip(1).all(|r| r.contains("stale")),
        "{}",
        run.stdout
    );
    let json = svc(
        &example(),
        &[NOW, "report", "lifecycle", "--stale", "--format", "json"],
    )
    .json();
    let services = json["services"].as_array().unwrap();
    assert!(services.iter().all(|s| s["stale"] == true));
    let counted: u64 = json["stages"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(counted as usize, services.len());
    let full = svc(&example(), &[NOW, "report", "lifecycle"]);
    assert!(full.stdout.contains('█'));
}
