//! `svc.toml`: the repo configuration, with SPEC's defaults.

use std::collections::BTreeMap;

use chrono_tz::Tz;
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::yaml::Pos;

/// The config file name that marks a repo root.
pub const CONFIG_FILE: &str = "svc.toml";

/// The default lifecycle stages.
pub const DEFAULT_STAGES: [&str; 8] = [
    "proposed",
    "planning",
    "design",
    "development",
    "testing",
    "operational",
    "deprecated",
    "retired",
];

/// Default largest record file read, in bytes (10 MiB).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// Default most record files read (a guard against an `include` that points at
/// the wrong tree).
pub const DEFAULT_MAX_FILES: usize = 5_000_000;
/// Highest nesting limit `[limits] max_depth` may set (the parser's own guard
/// against stack exhaustion lies above it).
pub const MAX_DEPTH_LIMIT: usize = 256;

/// The whole configuration, defaults filled in.
#[derive(Clone, Debug)]
pub struct Config {
    /// Repo name.
    pub name: Option<String>,
    /// Zone for date-only inputs and display.
    pub timezone: Tz,
    /// Folders scanned for records.
    pub include: Vec<String>,
    /// Ordered stages; the last one is terminal.
    pub stages: Vec<String>,
    /// Days after which a service in a stage is stale.
    pub stale_after_days: BTreeMap<String, u32>,
    /// Gate per stage.
    pub gates: BTreeMap<String, Gate>,
    /// Largest record file read, in bytes.
    pub max_file_bytes: u64,
    /// Most record files read; a larger repo is refused (exit 2).
    pub max_files: usize,
    /// Deepest nesting accepted in one record.
    pub max_depth: usize,
}

/// What must hold to enter (and stay in) a stage.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// Dotted field paths that must be present and non-empty.
    #[serde(default)]
    pub require: Vec<String>,
    /// No unresolved incident on the service.
    #[serde(default)]
    pub no_open_incidents: bool,
    /// No non-retired service depends on it.
    #[serde(default)]
    pub no_active_dependents: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            name: None,
            timezone: Tz::UTC,
            include: ["services", "policies", "calendars", "incidents"]
                .map(String::from)
                .to_vec(),
            stages: DEFAULT_STAGES.map(String::from).to_vec(),
            stale_after_days: BTreeMap::new(),
            gates: default_gates(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_files: DEFAULT_MAX_FILES,
            max_depth: crate::yaml::MAX_DEPTH,
        }
    }
}

fn default_gates() -> BTreeMap<String, Gate> {
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
    BTreeMap::from([
        (
            "operational".to_string(),
            Gate {
                require: strings(&[
                    "owner",
                    "policy",
                    "contacts.oncall",
                    "links.runbook",
                    "links.dashboard",
                ]),
                ..Gate::default()
            },
        ),
        (
            "retired".to_string(),
            Gate {
                require: strings(&["retirement.reason", "retirement.data.backup"]),
                no_open_incidents: true,
                no_active_dependents: true,
            },
        ),
    ])
}

impl Config {
    /// The terminal (retired) stage.
    pub fn terminal_stage(&self) -> &str {
        self.stages.last().map_or("retired", String::as_str)
    }

    /// Position of `stage` in the stage order.
    pub fn stage_index(&self, stage: &str) -> Option<usize> {
        self.stages.iter().position(|s| s == stage)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    repo: RawRepo,
    #[serde(default)]
    lifecycle: RawLifecycle,
    #[serde(default)]
    limits: RawLimits,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRepo {
    name: Option<String>,
    timezone: Option<toml::Spanned<String>>,
    include: Option<Vec<String>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLifecycle {
    stages: Option<toml::Spanned<Vec<String>>>,
    #[serde(default)]
    stale_after_days: BTreeMap<String, u32>,
    #[serde(default)]
    gates: BTreeMap<String, toml::Spanned<Gate>>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    max_file_bytes: Option<u64>,
    max_files: Option<usize>,
    max_depth: Option<toml::Spanned<usize>>,
}

/// Parses `svc.toml`. Problems are `schema` diagnostics on `svc.toml`; the parts
/// that could not be read fall back to the defaults so the rest of the repo is
/// still checked.
pub fn parse(text: &str) -> (Config, Vec<Diagnostic>) {
    let mut config = Config::default();
    let mut diagnostics = Vec::new();
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let pos = e
                .span()
                .map_or(Pos::default(), |span| pos_at(text, span.start));
            let message = e.message().trim().to_string();
            let mut diagnostic = Diagnostic::error(
                "schema",
                CONFIG_FILE,
                pos,
                format!("invalid svc.toml: {message}"),
            );
            if let Some(help) = unknown_key_help(&message) {
                diagnostic = diagnostic.with_help(help);
            }
            return (config, vec![diagnostic]);
        }
    };
    let mut error = |span: std::ops::Range<usize>, message: String, help: Option<String>| {
        let diagnostic =
            Diagnostic::error("schema", CONFIG_FILE, pos_at(text, span.start), message);
        diagnostics.push(match help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        });
    };
    config.name = raw.repo.name;
    if let Some(include) = raw.repo.include {
        config.include = include;
    }
    if let Some(tz) = raw.repo.timezone {
        match super::calendar::parse_timezone(tz.get_ref()) {
            Ok(zone) => config.timezone = zone,
            Err(unknown) => {
                let d = unknown.into_diagnostic(CONFIG_FILE, pos_at(text, tz.span().start));
                error(tz.span(), d.message, d.help);
            }
        }
    }
    if let Some(stages) = raw.lifecycle.stages {
        let list = stages.get_ref();
        let duplicate = list
            .iter()
            .enumerate()
            .find(|(i, s)| list[..*i].contains(s));
        if list.len() < 2 {
            error(
                stages.span(),
                "`lifecycle.stages` needs at least two stages".into(),
                None,
            );
        } else if let Some((_, stage)) = duplicate {
            error(
                stages.span(),
                format!("stage `{stage}` is listed twice in `lifecycle.stages`"),
                None,
            );
        } else {
            config.stages = stages.into_inner();
        }
    }
    for (stage, days) in raw.lifecycle.stale_after_days {
        if config.stage_index(&stage).is_some() {
            config.stale_after_days.insert(stage, days);
        } else {
            let span = find_key(text, &stage);
            error(
                span,
                format!("`stale_after_days` names unknown stage `{stage}`"),
                did_you_mean(&stage, config.stages.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?")),
            );
        }
    }
    for (stage, gate) in raw.lifecycle.gates {
        if config.stage_index(&stage).is_some() {
            config.gates.insert(stage, gate.into_inner());
        } else {
            error(
                gate.span(),
                format!("`lifecycle.gates.{stage}` names unknown stage `{stage}`"),
                did_you_mean(&stage, config.stages.iter().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?")),
            );
        }
    }
    config
        .gates
        .retain(|stage, _| config.stages.contains(stage));
    if let Some(limit) = raw.limits.max_file_bytes {
        config.max_file_bytes = limit;
    }
    if let Some(limit) = raw.limits.max_files {
        config.max_files = limit;
    }
    if let Some(limit) = raw.limits.max_depth {
        if (1..=MAX_DEPTH_LIMIT).contains(limit.get_ref()) {
            config.max_depth = limit.into_inner();
        } else {
            error(
                limit.span(),
                format!(
                    "`limits.max_depth` must be between 1 and {MAX_DEPTH_LIMIT}, found {}",
                    limit.get_ref()
                ),
                None,
            );
        }
    }
    (config, diagnostics)
}

/// The 0-based line and column of byte `offset` in `text`.
pub fn pos_at(text: &str, offset: usize) -> Pos {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        col: u32::try_from(before[line_start..].chars().count()).unwrap_or(u32::MAX),
    }
}

fn find_key(text: &str, key: &str) -> std::ops::Range<usize> {
    let start = text.find(key).unwrap_or(0);
    start..start + key.len()
}

/// Turns toml's "unknown field `x`, expected one of `a`, `b`" into a did-you-mean.
fn unknown_key_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (given, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match did_you_mean(given, candidates.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if !candidates.is_empty() => {
            Some(format!("expected one of: {}", candidates.join(", ")))
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_config_has_spec_defaults() {
        let (config, diagnostics) = parse("");
        assert!(diagnostics.is_empty());
        assert_eq!(config.stages.len(), 8);
        assert_eq!(config.terminal_stage(), "retired");
        assert_eq!(config.timezone, Tz::UTC);
        assert!(config.gates["retired"].no_open_incidents);
    }

    #[test]
    fn gate_table_replaces_only_its_stage() {
        let (config, _) = parse("[lifecycle.gates.operational]\nrequire = [\"owner\"]\n");
        assert_eq!(config.gates["operational"].require, vec!["owner"]);
        assert!(config.gates["retired"].no_active_dependents);
    }

    #[test]
    fn unknown_key_gets_a_suggestion_and_location() {
        let (_, diagnostics) = parse("[repo]\nname = \"x\"\ntimzone = \"UTC\"\n");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].pos.line, 2);
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("did you mean `timezone`?")
        );
    }

    #[test]
    fn limits_are_configurable_within_bounds() {
        let (config, diagnostics) =
            parse("[limits]\nmax_file_bytes = 1000\nmax_files = 10\nmax_depth = 8\n");
        assert!(diagnostics.is_empty());
        assert_eq!(
            (config.max_file_bytes, config.max_files, config.max_depth),
            (1000, 10, 8)
        );
        let (config, diagnostics) = parse("[limits]\nmax_depth = 100000\n");
        assert_eq!(config.max_depth, crate::yaml::MAX_DEPTH);
        assert_eq!(diagnostics[0].pos.line, 1);
    }

    #[test]
    fn unknown_zone_is_located_with_suggestion() {
        let (config, diagnostics) = parse("[repo]\ntimezone = \"Europe/Berlim\"\n");
        assert_eq!(config.timezone, Tz::UTC);
        assert_eq!(diagnostics[0].pos, Pos { line: 1, col: 11 });
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("did you mean `Europe/Berlin`?")
        );
    }
}
