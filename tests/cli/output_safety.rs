//! Issue 11, outputs that cannot be weaponised: no output of any command, in
//! any format, carries a character that drives a terminal or reorders text;
//! CSV cells from records cannot run as spreadsheet formulas; and whatever svc
//! writes, svc reads back.

use std::path::Path;

use crate::common::{Run, copy_repo, svc};

const NOW: &str = "--now=2026-10-01T12:00:00Z";

/// The hostile corpus: a repo whose titles, owners, names, priorities,
/// comments and svc.toml hold ESC, BEL, CSI, OSC, the C1 control U+009B, the
/// bidi override U+202E and the line separator U+2028.
fn hostile() -> tempfile::TempDir {
    copy_repo(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/terminal"))
}

/// The raw characters the corpus holds; none may reach stdout or stderr.
const RAW: [(char, &str); 7] = [
    ('\u{1b}', "ESC"),
    ('\u{7}', "BEL"),
    ('\u{9b}', "C1 CSI"),
    ('\u{202e}', "RIGHT-TO-LEFT OVERRIDE"),
    ('\u{2028}', "LINE SEPARATOR"),
    ('\u{2066}', "LEFT-TO-RIGHT ISOLATE"),
    ('\u{85}', "NEXT LINE"),
];

/// Asserts that `text` holds none of [`RAW`]; with `colour`, svc's own SGR
/// colour sequences (`ESC [ digits ; m`) are allowed and nothing else after ESC.
fn assert_clean(what: &str, text: &str, colour: bool) {
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        let after = &rest[at + 1..];
        let sgr = after.strip_prefix('[').and_then(|s| {
            let end = s.find(|c: char| !c.is_ascii_digit() && c != ';')?;
            s[end..].starts_with('m').then_some(end + 2)
        });
        match sgr {
            Some(len) if colour => rest = &after[len..],
            _ => panic!(
                "{what}: raw ESC in the output near {:?}\n{text}",
                &after[..after.len().min(20)]
            ),
        }
    }
    for (c, name) in RAW.iter().skip(1) {
        assert!(
            !text.contains(*c),
            "{what}: raw {name} in the output\n{text}"
        );
    }
}

fn assert_run_clean(args: &[&str], run: &Run) {
    let colour = args.contains(&"always");
    assert!(
        matches!(run.code, 0..=2),
        "{args:?} exited {}: {}",
        run.code,
        run.stderr
    );
    assert_clean(&format!("{args:?} stdout"), &run.stdout, colour);
    assert_clean(&format!("{args:?} stderr"), &run.stderr, false);
}

#[test]
fn no_output_of_any_format_carries_terminal_controls() {
    let repo = hostile();
    let commands: Vec<Vec<&str>> = vec![
        vec!["check"],
        vec!["--color", "never", "check"],
        vec!["--color", "always", "check"],
        vec!["check", "--format", "json"],
        vec!["check", "--format", "github"],
        vec!["list", "services"],
        vec!["list", "services", "--format", "json"],
        vec!["list", "policies"],
        vec!["list", "policies", "--format", "json"],
        vec!["list", "calendars"],
        vec!["list", "incidents"],
        vec!["list", "incidents", "--format", "json"],
        vec!["show", "payments"],
        vec!["show", "payments", "--format", "json"],
        vec!["show", "staged"],
        vec!["show", "paymants\u{1b}]0;x\u{7}"],
        vec!["sla"],
        vec!["--color", "always", "sla", "--detail"],
        vec!["sla", "--detail", "--format", "json"],
        vec!["sla", "--detail", "--format", "csv"],
        vec!["sla", "--detail", "--format", "markdown"],
        vec!["sla", "--group-by", "owner", "--format", "csv"],
        vec!["sla", "--group-by", "priority"],
        vec!["sla", "--group-by", "priority", "--format", "markdown"],
        vec!["sla", "--open"],
        vec!["sla", "--open", "--format", "json"],
        vec!["sla", "--open", "--format", "csv"],
        vec!["sla", "--open", "--format", "markdown"],
        vec!["report", "lifecycle"],
        vec!["report", "lifecycle", "--format", "json"],
        vec!["report", "lifecycle", "--format", "csv"],
        vec!["report", "lifecycle", "--format", "markdown"],
        vec!["advance", "payments", "--dry-run"],
        vec![
            "advance",
            "payments",
            "--dry-run",
            "--note",
            "n\u{1b}[31m\u{202e}",
        ],
        vec!["retire", "payments", "--reason", "other", "--dry-run"],
        vec![
            "new",
            "fresh",
            "--name",
            "N\u{1b}]0;t\u{7}\u{2028}",
            "--owner",
            "o\u{9b}",
            "--dry-run",
        ],
        vec!["advance", "nosuch\u{1b}[2J"],
        vec!["--now", "2026-13-01\u{1b}[2J", "check"],
    ];
    let mut ran = 0;
    for args in &commands {
        let mut full = vec![NOW];
        full.extend(args.iter().copied());
        let run = svc(repo.path(), &full);
        assert_run_clean(&full, &run);
        ran += 1;
    }
    assert_eq!(ran, commands.len());
    // The corpus does reach the outputs, escaped: the test is not vacuous.
    let table = svc(repo.path(), &[NOW, "list", "services"]);
    assert!(
        table.stdout.contains("Pay\\u{1b}[31mments\\u{7}"),
        "{}",
        table.stdout
    );
    let diff = svc(repo.path(), &[NOW, "advance", "payments", "--dry-run"]);
    assert!(
        diff.stdout
            .contains("raw in a comment: \\u{1b}]0;owned\\u{7}"),
        "{}",
        diff.stdout
    );
}

#[test]
fn json_keeps_the_values_and_escapes_the_controls() {
    let repo = hostile();
    let run = svc(repo.path(), &[NOW, "list", "services", "--format", "json"]);
    assert_run_clean(&["list"], &run);
    assert!(run.stdout.contains("\\u009b") && run.stdout.contains("\\u202e"));
    let services = run.json();
    let payments = services
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "payments")
        .unwrap();
    // A JSON reader gets the record's text exactly.
    assert_eq!(
        payments["name"],
        "Pay\u{1b}[31mments\u{7} \u{9b}2J \u{202e}evil\u{2028}"
    );
}

#[test]
fn csv_cells_from_records_cannot_run_as_formulas() {
    let repo = hostile();
    let run = svc(
        repo.path(),
        &[NOW, "sla", "--group-by", "owner", "--format", "csv"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let owners: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    assert!(
        owners.contains(&"'@owner\\u{1b}]0;x\\u{7}\\u{202e}"),
        "{owners:?}"
    );
    let by_priority = svc(
        repo.path(),
        &[NOW, "sla", "--group-by", "priority", "--format", "csv"],
    );
    assert!(
        by_priority
            .stdout
            .lines()
            .all(|l| !l.starts_with(['=', '+', '-', '@'])),
        "{}",
        by_priority.stdout
    );
    let open = svc(repo.path(), &[NOW, "sla", "--open", "--format", "csv"]);
    let row = open
        .stdout
        .lines()
        .find(|l| l.starts_with("INC-2,"))
        .unwrap_or_else(|| panic!("{}", open.stdout));
    // `notify` is record text: neutralised. The seconds left are svc's own
    // figures and stay numbers, negative ones included.
    let cells: Vec<&str> = row.split(',').collect();
    assert!(cells.last().unwrap().starts_with("\"'=HYPERLINK("), "{row}");
    assert!(cells[6].parse::<i64>().unwrap() < 0, "{row}");
    let lifecycle = svc(
        repo.path(),
        &[NOW, "report", "lifecycle", "--format", "csv"],
    );
    assert!(lifecycle.stdout.contains(",'=1+1,"), "{}", lifecycle.stdout);
}

#[test]
fn init_writes_a_svc_toml_that_svc_accepts_whatever_the_name() {
    for name in [
        "two\nlines",
        "esc\u{1b}[31m",
        "quote\" and \\ backslash",
        "tab\tand\u{7f}del",
        "sep\u{2028}\u{85}\u{202e}",
        "'''",
        "\"\"\"",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let init = crate::common::command()
            .args(["init", "--name", name])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(init.status.success(), "{name:?}: {init:?}");
        let check = svc(dir.path(), &[NOW, "check", "--format", "json"]);
        assert_eq!(
            (check.code, check.stdout.trim()),
            (0, "[]"),
            "{name:?}: {}",
            check.stderr
        );
    }
}

#[test]
fn what_the_editing_commands_write_reads_back_in_every_yaml_reader() {
    let repo = copy_repo(&crate::common::example());
    for (id, name) in [
        ("sep-line", "a\u{2028}b"),
        ("sep-para", "a\u{2029}b"),
        ("next-line", "a\u{85}b"),
        ("bom", "\u{feff}a"),
        ("bidi", "a\u{202e}b"),
    ] {
        let run = svc(
            repo.path(),
            &[NOW, "new", id, "--name", name, "--owner", "t"],
        );
        assert_eq!(run.code, 0, "{id}: {}", run.stderr);
        let text =
            std::fs::read_to_string(repo.path().join(format!("services/{id}.yaml"))).unwrap();
        let line = text.lines().find(|l| l.starts_with("name:")).unwrap();
        // Escaped inside double quotes, never raw: YAML 1.1 readers break
        // lines at U+2028, U+2029 and U+0085.
        assert!(
            line.starts_with("name: \"") && line.is_ascii(),
            "{id}: {line:?}"
        );
        let shown = svc(repo.path(), &[NOW, "show", id, "--format", "json"]);
        assert_eq!(shown.json()["name"], name, "{id}");
    }
}
