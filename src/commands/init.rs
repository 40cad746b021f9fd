//! `svc init [DIR]`: create a commented svc.toml and the four record folders.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use super::Context;
use crate::cli::InitArgs;
use crate::error::UserError;
use crate::model::config::CONFIG_FILE;

const FOLDERS: [&str; 4] = ["services", "policies", "calendars", "incidents"];

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
    crate::repo::write_new_file(&config_path, template(&name).as_bytes())
        .with_context(|| format!("cannot write {}", config_path.display()))?;
    if !context.global.quiet {
        let mut err = std::io::stderr().lock();
        writeln!(
            err,
            "created {} and {}/",
            config_path.display(),
            FOLDERS.join("/, ")
        )?;
        writeln!(
            err,
            "next: add a calendar, a policy and a service, then run `svc check`"
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
include = ["services", "policies", "calendars", "incidents"]

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
