//! `svc init [DIR]`: create a service repo: a commented svc.toml, the six record
//! folders, a commented example calendar and policy that pass `svc check` (the
//! quick start is editing, not typing), and the editor wiring of docs/editors.md:
//! the JSON Schemas in `.svc/schemas/` and `.vscode/settings.json` mapping each
//! record folder to its schema for yaml-language-server.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use serde_json::{Map, Value, json};

use super::Context;
use crate::cli::InitArgs;
use crate::error::UserError;
use crate::model::FOLDERS;
use crate::model::config::CONFIG_FILE;

/// Where `svc init` writes the schemas, relative to the repo root.
pub const SCHEMA_DIR: &str = ".svc/schemas";

/// Runs `svc init`.
pub fn run(args: &InitArgs, context: &Context) -> Result<ExitCode> {
    let dir = match &args.dir {
        Some(dir) => dir.clone(),
        None => std::env::current_dir()?,
    };
    let config_path = dir.join(CONFIG_FILE);
    if config_path.exists() {
        return Err(UserError::with_help(
            format!("{} already exists", config_path.display()),
            "this is already a service repo; edit svc.toml instead",
        )
        .into());
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // Named only once the folder exists: canonicalising a folder that does not
    // exist yet fails, and `svc init newdir` was named `services`.
    let name = args.name.clone().unwrap_or_else(|| {
        dir.canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "services".to_string())
    });
    for folder in FOLDERS {
        std::fs::create_dir_all(dir.join(folder))
            .with_context(|| format!("cannot create {folder}/"))?;
    }
    // The examples first and svc.toml last: svc.toml marks the repo root, so
    // an init that failed half-way can simply be run again.
    let mut written = Vec::new();
    for (file, text) in [
        (EXAMPLE_CALENDAR_FILE, EXAMPLE_CALENDAR),
        (EXAMPLE_POLICY_FILE, EXAMPLE_POLICY),
    ] {
        if write_if_missing(&dir.join(file), text)? {
            written.push(file.to_string());
        }
    }
    super::schema::write_all(&dir.join(SCHEMA_DIR), &crate::schema::all())?;
    written.push(format!("{SCHEMA_DIR}/"));
    let settings = dir.join(VSCODE_SETTINGS);
    let editor_note = if write_if_missing(&settings, &vscode_settings())? {
        written.push(VSCODE_SETTINGS.to_string());
        None
    } else {
        Some(format!(
            "note: {VSCODE_SETTINGS} exists and was left alone; add the `yaml.schemas` of docs/editors.md to it"
        ))
    };
    crate::repo::write_new_file(&config_path, template(&name).as_bytes())
        .with_context(|| format!("cannot write {}", config_path.display()))?;
    if !context.global.quiet {
        let mut err = std::io::stderr().lock();
        writeln!(
            err,
            "created {} with {}/ and {}",
            config_path.display(),
            FOLDERS.join("/, "),
            written.join(", ")
        )?;
        if let Some(note) = editor_note {
            writeln!(err, "{note}")?;
        }
        writeln!(
            err,
            "next: edit {EXAMPLE_CALENDAR_FILE} and {EXAMPLE_POLICY_FILE}, then `svc new ID --name NAME --owner TEAM --policy standard` and `svc check`"
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `text` as a TOML basic string: `"` and `\` escaped, and every character
/// TOML forbids raw (C0 controls, DEL) or svc never writes raw
/// ([`crate::render::is_hazard`]: C1 and bidi controls, line separators) as a
/// `\uXXXX` escape. Only `"` and `\` were escaped once, so a name holding a
/// newline or ESC made a svc.toml that svc itself rejected (issue 11, finding 10).
fn toml_string(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if crate::render::is_hazard(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The commented svc.toml of a new repo named `name`.
/// Writes `text` to `path` unless a file is there already; true when written.
fn write_if_missing(path: &Path, text: &str) -> Result<bool> {
    if path.exists() {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    crate::repo::write_new_file(path, text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(true)
}

/// The VS Code settings file `svc init` writes.
pub const VSCODE_SETTINGS: &str = ".vscode/settings.json";

/// `yaml.schemas` of the YAML extension (yaml-language-server): each record
/// folder's files to their kind's schema.
fn vscode_settings() -> String {
    let mut schemas = Map::new();
    for (folder, file) in crate::schema::folder_files() {
        schemas.insert(
            format!("./{SCHEMA_DIR}/{file}"),
            json!([format!("{folder}/**/*.yaml"), format!("{folder}/**/*.yml")]),
        );
    }
    let settings = json!({"yaml.schemas": Value::Object(schemas)});
    let mut text = serde_json::to_string_pretty(&settings).unwrap_or_default();
    text.push('\n');
    text
}

/// The example calendar's file.
pub const EXAMPLE_CALENDAR_FILE: &str = "calendars/office-hours.yaml";
/// The example policy's file.
pub const EXAMPLE_POLICY_FILE: &str = "policies/standard.yaml";

const EXAMPLE_CALENDAR: &str = r#"# yaml-language-server: $schema=../.svc/schemas/calendar.schema.json
# An example business calendar written by `svc init`: edit it to your team's
# hours (reference: docs/format.md). SLA clocks on it run only in these hours.
kind: Calendar
id: office-hours                # equal to the file name
timezone: UTC                   # IANA zone of the hours, e.g. Europe/Berlin
hours:                          # local working ranges per weekday
  mon: ["09:00-17:00"]
  tue: ["09:00-17:00"]
  wed: ["09:00-17:00"]
  thu: ["09:00-17:00"]
  fri: ["09:00-17:00"]
  # sat: ["10:00-14:00"]        # a missing day has no working hours
holidays:                       # whole local dates without working hours
  - { date: 2026-12-25, name: Christmas Day }
  - 2027-01-01
"#;

const EXAMPLE_POLICY: &str = r#"# yaml-language-server: $schema=../.svc/schemas/sla-policy.schema.json
# An example SLA policy written by `svc init`: edit the targets, or copy the
# file for another level of service (reference: docs/format.md, docs/sla.md).
kind: SlaPolicy
id: standard                    # equal to the file name
name: Standard support
calendar: office-hours          # a Calendar id; leave it out for 24x7
targets:                        # counted working time from opened_at
  P1: { response: 30m, resolution: 8h }
  P2: { response: 1h, resolution: 16h }
  P3: { response: 4h, resolution: 40h }   # a working week (`5d` would be 120 working hours)
  P4: { response: 8h, resolution: 80h }
objectives:                     # each optional
  compliance: 90%               # share of decided incidents that met both targets
  availability: 99.5%           # per report period, from outage windows
escalation:                     # who is told when the clock has run this far
  - { after: 75%, notify: team-lead }
"#;

fn template(name: &str) -> String {
    let name = toml_string(name);
    format!(
        r#"# svc repo configuration. This file marks the repo root.
# Reference: docs/format.md

[repo]
name = {name}
# IANA time zone for date-only inputs (--period, --since) and for display.
timezone = "UTC"
# Folders scanned (recursively) for *.yaml and *.yml records.
include = ["services", "policies", "calendars", "incidents", "changes", "problems"]

[lifecycle]
# Ordered stages; services only move forward, and the last stage is terminal.
stages = ["proposed", "planning", "design", "development", "testing",
          "operational", "deprecated", "retired"]
# Services that stay longer than this in a stage are flagged as stale.
# stale_after_days = {{ design = 90, development = 180 }}

# Gates must hold to enter (and stay in) a stage. Without these tables the two
# gates below are the defaults; a table replaces the default for its stage only.
#
# [lifecycle.gates.operational]
# require = ["owner", "policy", "contacts.oncall", "links.runbook", "links.dashboard"]
#
# [lifecycle.gates.retired]
# require = ["retirement.reason", "retirement.data.backup"]
# no_open_incidents = true
# no_active_dependents = true

# [limits]
# max_file_bytes = 10485760   # record files larger than this are not read (10 MiB)
# max_files = 5000000         # a repo with more record files is refused
# max_depth = 64              # deepest nesting accepted in one record (1..256)
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_name_makes_a_svc_toml_that_parses_back_to_it() {
        for name in [
            "acme",
            "two\nlines",
            "esc\u{1b}[31m",
            "q\" \\ b",
            "tab\t\u{7f}",
            "\u{2028}\u{85}\u{202e}",
            "'''",
        ] {
            let (config, diagnostics) = crate::model::config::parse(&template(name));
            assert!(diagnostics.is_empty(), "{name:?}: {diagnostics:?}");
            assert_eq!(config.name.as_deref(), Some(name));
        }
    }
}
