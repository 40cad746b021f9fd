//! SPEC §11 through the binary: `svc schema`, `svc init`'s editor wiring and
//! example records, `svc completions` (loaded into a real bash) and `svc man`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::{command, example, snapshot, svc};

/// Runs svc in `dir` without `--repo`.
fn svc_in(dir: &Path, args: &[&str]) -> crate::common::Run {
    command()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("svc runs")
        .into()
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// A YAML record as the JSON instance yaml-language-server validates: the
/// YAML files svc writes hold plain strings, integers, mappings and lists.
fn yaml_instance(text: &str) -> Value {
    fn scalar(text: &str) -> Value {
        if let Ok(n) = text.parse::<i64>() {
            return Value::from(n);
        }
        match text {
            "" | "~" | "null" => Value::Null,
            _ => Value::String(text.to_string()),
        }
    }
    fn convert(node: &svc::yaml::Node) -> Value {
        match &node.value {
            svc::yaml::Value::Scalar { text, quoted: true } => Value::String(text.clone()),
            svc::yaml::Value::Scalar {
                text,
                quoted: false,
            } => scalar(text),
            svc::yaml::Value::Seq(items) => Value::Array(items.iter().map(convert).collect()),
            svc::yaml::Value::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), convert(v)))
                    .collect(),
            ),
        }
    }
    convert(&svc::yaml::parse_document(text).unwrap().unwrap())
}

fn assert_valid(schema: &Value, instance: &Value, what: &str) {
    let validator = jsonschema::validator_for(schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:?}");
}

#[test]
fn schema_prints_one_kind_or_the_any_kind_schema() {
    let run = svc(&example(), &["schema", "Service"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let service = run.json();
    assert_eq!(
        service["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(service["properties"]["kind"]["const"], "Service");
    assert_eq!(service["additionalProperties"], false);
    // Kind names are matched without regard to case.
    let lower = svc(&example(), &["schema", "sla-policy"]);
    assert_eq!(lower.code, 2, "sla-policy is no kind name");
    assert!(
        lower.stderr.contains("did you mean `SlaPolicy`?"),
        "{}",
        lower.stderr
    );
    assert_eq!(
        svc(&example(), &["schema", "slapolicy"]).json()["title"],
        "svc SlaPolicy"
    );
    let any = svc(&example(), &["schema"]).json();
    assert_eq!(any["title"], "svc record (any kind)");
    assert!(any["$defs"]["Incident"].is_object());
    let unknown = svc(&example(), &["schema", "Incidnet"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `Incident`?"),
        "{}",
        unknown.stderr
    );
    let refused = svc(&example(), &["--format", "json", "schema"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
}

#[test]
fn schema_output_writes_every_schema_and_they_validate_the_example_repo() {
    let out = tempfile::tempdir().unwrap();
    let run = svc(
        &example(),
        &["schema", "--output", out.path().to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("wrote 8 schemas"), "{}", run.stderr);
    let mut files: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "calendar.schema.json",
            "change.schema.json",
            "incident.schema.json",
            "problem.schema.json",
            "record.schema.json",
            "service.schema.json",
            "sla-policy.schema.json",
            "svc-toml.schema.json"
        ]
    );
    let payments = std::fs::read_to_string(example().join("services/payments-api.yaml")).unwrap();
    assert_valid(
        &read_json(&out.path().join("service.schema.json")),
        &yaml_instance(&payments),
        "payments-api",
    );
    // One kind only.
    let one = tempfile::tempdir().unwrap();
    let run = svc(
        &example(),
        &[
            "schema",
            "Calendar",
            "--output",
            one.path().to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_dir(one.path()).unwrap().count(), 1);
}

#[test]
fn init_writes_six_folders_examples_schemas_and_editor_settings_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("shop");
    let run = svc_in(dir.path(), &["init", "shop"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for folder in svc::model::FOLDERS {
        assert!(repo.join(folder).is_dir(), "{folder}/");
    }
    let check = svc(&repo, &["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert_eq!(check.stdout.trim(), "0 errors, 0 warnings in 2 files");
    let json = svc(&repo, &["check", "--format", "json"]);
    assert_eq!(json.json(), serde_json::json!([]));
    // The examples are real records: listed, and usable by a new service.
    let policies = svc(&repo, &["list", "policies", "--format", "json"]).json();
    assert_eq!(policies[0]["id"], "standard", "{policies}");
    let new = svc(
        &repo,
        &[
            "--now=2026-11-02T10:00:00Z",
            "new",
            "checkout",
            "--name",
            "Checkout",
            "--owner",
            "team-shop",
            "--policy",
            "standard",
        ],
    );
    assert_eq!(new.code, 0, "{}", new.stderr);
    assert_eq!(svc(&repo, &["check"]).code, 0);

    // The editor settings map each record folder to a schema that init wrote,
    // and the records validate against them, as yaml-language-server would.
    let settings = read_json(&repo.join(".vscode/settings.json"));
    let schemas = settings["yaml.schemas"].as_object().unwrap();
    assert_eq!(schemas.len(), 6);
    for (schema, globs) in schemas {
        let path = repo.join(schema.trim_start_matches("./"));
        assert!(path.is_file(), "{schema}");
        let folder = globs[0].as_str().unwrap().split('/').next().unwrap();
        for entry in std::fs::read_dir(repo.join(folder)).unwrap() {
            let file = entry.unwrap().path();
            let text = std::fs::read_to_string(&file).unwrap();
            assert_valid(
                &read_json(&path),
                &yaml_instance(&text),
                &file.display().to_string(),
            );
        }
    }
    // The examples name their schema in a modeline, for editors without the settings.
    for (file, schema) in [
        ("calendars/office-hours.yaml", "calendar.schema.json"),
        ("policies/standard.yaml", "sla-policy.schema.json"),
    ] {
        let text = std::fs::read_to_string(repo.join(file)).unwrap();
        let first = text.lines().next().unwrap();
        assert_eq!(
            first,
            format!("# yaml-language-server: $schema=../.svc/schemas/{schema}")
        );
        assert!(
            repo.join(file)
                .parent()
                .unwrap()
                .join("../.svc/schemas")
                .join(schema)
                .is_file()
        );
    }
    let config: toml::Value =
        toml::from_str(&std::fs::read_to_string(repo.join("svc.toml")).unwrap()).unwrap();
    assert_eq!(config["repo"]["name"].as_str(), Some("shop"));
    assert_eq!(
        config["repo"]["include"].as_array().unwrap().len(),
        6,
        "svc.toml lists the six folders"
    );
}

#[test]
fn init_leaves_existing_editor_settings_alone() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".vscode")).unwrap();
    std::fs::write(
        dir.path().join(".vscode/settings.json"),
        "{\"editor.tabSize\": 2}\n",
    )
    .unwrap();
    let run = svc_in(dir.path(), &["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".vscode/settings.json")).unwrap(),
        "{\"editor.tabSize\": 2}\n"
    );
    assert!(run.stderr.contains("left alone"), "{}", run.stderr);
}

/// `init` prints no report: a `--format` before or after it is refused with
/// exit 2, and nothing is created.
#[test]
fn init_refuses_a_format() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--format", "json", "init"][..],
        &["init", "--format", "json"][..],
    ] {
        let before = snapshot(dir.path());
        let run = svc_in(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains("--format"), "{}", run.stderr);
        assert_eq!(snapshot(dir.path()), before);
        assert!(!dir.path().join("svc.toml").exists());
        assert!(!dir.path().join("services").exists());
    }
}

fn bash_complete(script: &Path, line: &[&str]) -> Vec<String> {
    let words = line
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let program = format!(
        "source '{}'\nCOMP_WORDS=({words})\nCOMP_CWORD={}\nCOMP_LINE='{}'\nCOMP_POINT=${{#COMP_LINE}}\n_svc svc '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script.display(),
        line.len() - 1,
        line.join(" "),
        line[line.len() - 1],
        line[line.len() - 2],
    );
    let output = Command::new("bash")
        .arg("--norc")
        .arg("-c")
        .arg(program)
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn bash_completion_completes_subcommands_and_flags_in_bash() {
    let run = svc(&example(), &["completions", "bash"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("svc.bash");
    std::fs::write(&script, &run.stdout).unwrap();
    assert_eq!(bash_complete(&script, &["svc", "che"]), ["check"]);
    assert_eq!(bash_complete(&script, &["svc", "rep"]), ["report"]);
    let flags = bash_complete(&script, &["svc", "check", "--for"]);
    assert_eq!(flags, ["--format"]);
    let formats = bash_complete(&script, &["svc", "check", "--format", ""]);
    for format in ["human", "json", "github", "junit", "sarif"] {
        assert!(formats.contains(&format.to_string()), "{formats:?}");
    }
}

#[test]
fn completions_for_every_shell_name_the_commands() {
    for (shell, marker) in [
        ("zsh", "#compdef svc"),
        ("fish", "complete -c svc"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = svc(&example(), &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{shell}");
        assert!(run.stdout.contains("retire"), "{shell}");
    }
    let unknown = svc(&example(), &["completions", "tcsh"]);
    assert_eq!(unknown.code, 2);
    let refused = svc(&example(), &["--format", "json", "completions", "bash"]);
    assert_eq!(refused.code, 2);
}

#[test]
fn man_prints_svc_1_or_writes_a_page_per_command() {
    let run = svc(&example(), &["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\n.TH svc 1 "), "{}", run.stdout);
    assert!(run.stdout.contains(".SH NAME"));
    assert!(run.stdout.contains("check"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    let run = svc(&example(), &["man", "--output", out.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "svc.1",
        "svc-check.1",
        "svc-sla.1",
        "svc-report-lifecycle.1",
    ] {
        let text = std::fs::read_to_string(out.join(page)).unwrap_or_else(|_| panic!("{page}"));
        assert!(text.contains(".SH NAME"), "{page}");
    }
    let check = std::fs::read_to_string(out.join("svc-check.1")).unwrap();
    assert!(check.contains("changed\\-since"), "{check}");
}
