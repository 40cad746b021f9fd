//! The CI formats of `svc check` as CI systems read them (docs/ci.md): SARIF
//! validated against the OASIS schema, JUnit in the shape GitLab and Jenkins
//! read, GitHub annotations with their help, and every `svc` command of the
//! docs/ci.md recipes run on the example repo.

use std::path::Path;

use serde_json::Value;

use crate::common::{copy_repo, example, git_init, replace_in, svc};

const NOW: &str = "--now=2026-10-01T12:00:00Z";

/// The example repo with errors in two files and a warning in a third.
fn broken() -> tempfile::TempDir {
    let repo = copy_repo(&example());
    replace_in(
        repo.path(),
        "services/payments-api.yaml",
        "owner: team-payments",
        "ownr: team-payments",
    );
    replace_in(
        repo.path(),
        "services/search.yaml",
        "tier:",
        "tier: 9\nx_tier:",
    );
    replace_in(
        repo.path(),
        "policies/gold.yaml",
        "resolution: 45h",
        "resolution: 2d",
    );
    repo
}

fn diagnostics(repo: &Path) -> Vec<Value> {
    svc(repo, &[NOW, "check", "--format", "json"])
        .json()
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft4::new(&schema).expect("the SARIF schema compiles");
    for repo in [copy_repo(&example()), broken()] {
        let run = svc(repo.path(), &[NOW, "check", "--format", "sarif"]);
        let sarif = run.json();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
        let results = sarif["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), diagnostics(repo.path()).len());
    }
}

#[test]
fn junit_has_one_suite_one_case_per_file_and_one_failure_per_file_with_errors() {
    let repo = broken();
    let run = svc(repo.path(), &[NOW, "check", "--format", "junit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let document = roxmltree::Document::parse(&run.stdout).expect("well-formed XML");
    let suites: Vec<_> = document
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1);
    let cases: Vec<_> = suites[0]
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    // Every record file and svc.toml, each once.
    let mut expected: Vec<String> = walkdir::WalkDir::new(repo.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| {
            e.path()
                .strip_prefix(repo.path())
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .chain(["svc.toml".to_string()])
        .collect();
    expected.sort();
    let mut names: Vec<String> = cases
        .iter()
        .map(|c| c.attribute("name").unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, expected, "one test case per file checked");
    assert_eq!(
        suites[0].attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    let diagnostics = diagnostics(repo.path());
    let of = |file: &str, severity: &str| {
        diagnostics
            .iter()
            .filter(|d| d["file"] == file && d["severity"] == severity)
            .count()
    };
    let mut failed = 0;
    for case in &cases {
        let file = case.attribute("name").unwrap();
        let failures: Vec<_> = case
            .children()
            .filter(|n| n.has_tag_name("failure"))
            .collect();
        let errors = of(file, "error");
        if errors == 0 {
            assert!(failures.is_empty(), "{file}");
        } else {
            failed += 1;
            assert_eq!(failures.len(), 1, "{file}: one failure per file");
            let expected = if errors == 1 {
                "1 error".to_string()
            } else {
                format!("{errors} errors")
            };
            assert_eq!(
                failures[0].attribute("message"),
                Some(expected.as_str()),
                "{file}"
            );
            assert_eq!(
                failures[0].text().unwrap().lines().count(),
                errors,
                "{file}"
            );
        }
        let out = case.children().find(|n| n.has_tag_name("system-out"));
        let warnings = of(file, "warning");
        assert_eq!(
            out.and_then(|n| n.text()).map_or(0, |t| t
                .lines()
                .filter(|l| l.starts_with("warning: "))
                .count()),
            warnings,
            "{file}: warnings in system-out"
        );
    }
    assert_eq!(failed, 2);
    assert_eq!(suites[0].attribute("failures"), Some("2"));
    assert!(of("policies/gold.yaml", "warning") >= 1);
}

#[test]
fn github_annotations_carry_the_help() {
    let repo = broken();
    let run = svc(repo.path(), &[NOW, "check", "--format", "github"]);
    assert_eq!(run.code, 1);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("unknown field `ownr`"))
        .unwrap();
    assert!(
        line.starts_with("::error file=services/payments-api.yaml,line="),
        "{line}"
    );
    assert!(
        line.ends_with("title=schema::unknown field `ownr`%0Ahelp: did you mean `owner`?"),
        "{line}"
    );
    // No `error(s)`: every count in every format has its noun right.
    for format in ["human", "github", "junit", "sarif", "json"] {
        let run = svc(repo.path(), &[NOW, "check", "--format", format]);
        assert!(!run.stdout.contains("(s)"), "{format}");
    }
}

/// The `svc` commands of docs/ci.md's code blocks, one per line.
fn recipe_commands() -> Vec<String> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ci.md")).unwrap();
    let mut commands = Vec::new();
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code {
            continue;
        }
        let line = line
            .trim()
            .trim_start_matches("- ")
            .trim_start_matches("run: ");
        let line = line.trim_start_matches("sh '").trim_end_matches('\'');
        if let Some(rest) = line.strip_prefix("svc ") {
            let command = rest
                .split(" > ")
                .next()
                .unwrap()
                .split(" || ")
                .next()
                .unwrap();
            commands.push(command.trim().to_string());
        }
    }
    commands
}

/// Every `svc` command the recipes run works on the example repo (a Git
/// repository, as in CI): no usage error, and the files they write exist.
#[test]
fn every_recipe_command_runs_on_the_example_repo() {
    let commands = recipe_commands();
    assert!(commands.len() >= 6, "{commands:?}");
    let repo = copy_repo(&example());
    git_init(repo.path());
    let mut ran = 0;
    for command in commands {
        // The shell variables of the CI systems, as they are there.
        let command = command
            .replace("\"origin/${{ github.base_ref }}\"", "HEAD")
            .replace("\"origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME\"", "HEAD");
        let args: Vec<&str> = command.split_whitespace().collect();
        if args.first() == Some(&"report") && args.get(1) == Some(&"review") {
            // Being built (issue 15): its flags must parse all the same.
            let help = svc(repo.path(), &["report", "review", "--help"]);
            for flag in ["--period", "--format", "--output"] {
                assert!(help.stdout.contains(flag), "{flag}");
            }
            continue;
        }
        let mut full = vec![NOW];
        full.extend(&args);
        let run = svc(repo.path(), &full);
        assert!(
            run.code == 0 || run.code == 1,
            "svc {command}: {}",
            run.stderr
        );
        ran += 1;
    }
    assert!(ran >= 5);
    let hooks = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let hooks = svc::yaml::parse_document(&hooks).unwrap().unwrap();
    let ids: Vec<&str> = match &hooks.value {
        svc::yaml::Value::Seq(items) => {
            items.iter().filter_map(|h| h.get("id")?.as_str()).collect()
        }
        _ => Vec::new(),
    };
    assert_eq!(ids, ["svc-check", "svc-check-system"]);
}
