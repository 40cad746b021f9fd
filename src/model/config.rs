//! `svc.toml`: the repo configuration, with SPEC's defaults.
//!
//! The file is read into a positioned TOML tree and decoded key by key instead of
//! being deserialised in one go: one typo must not throw away every other setting
//! and leave the records to be checked against the defaults (audit of issue 2,
//! finding 4). Each problem is a `schema` diagnostic at its own key or value, and
//! only the setting it concerns falls back to its default.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use chrono::{DateTime, FixedOffset};
use chrono_tz::Tz;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Rule, did_you_mean};
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

/// The folders scanned when `include` is not given.
pub const DEFAULT_INCLUDE: [&str; 6] = [
    "services",
    "policies",
    "calendars",
    "incidents",
    "changes",
    "problems",
];

/// The ids `svc incident open` allocates when svc.toml does not say.
pub const DEFAULT_INCIDENT_ID_FORMAT: &str = "INC-{year}-{seq:04}";

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
    /// Folders scanned for records: relative, `/`-separated, inside the repo,
    /// none inside another.
    pub include: Vec<String>,
    /// Where each `include` entry was written in svc.toml; empty when `include`
    /// is left at its default.
    pub include_positions: BTreeMap<String, Pos>,
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
    /// `[priority] matrix`: rows are impact 1..3, columns urgency 1..3.
    pub priority_matrix: Option<PriorityMatrix>,
    /// `[sla] require_pause_reason`: a pause without `reason` is a schema error.
    pub require_pause_reason: bool,
    /// `[incidents] id_format`: the ids `svc incident open` allocates.
    pub incident_ids: IdFormat,
    /// `[incidents] postmortem`: which resolved incidents need a root cause or
    /// postmortem, and within how many days.
    pub postmortem: Option<PostmortemPolicy>,
    /// `[problems] recurring`: how many incidents of one service and category
    /// within how many days make a recurring problem.
    pub recurring: Option<Recurring>,
    /// `[[changes.freeze]]`: periods in which normal and standard changes may not be planned.
    pub freezes: Vec<Freeze>,
}

/// The priority matrix of ServiceNow's layout: `rows[impact - 1][urgency - 1]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriorityMatrix {
    /// Three rows (impact 1..3) of three priorities (urgency 1..3).
    pub rows: [[String; 3]; 3],
}

impl PriorityMatrix {
    /// The priority for `impact` and `urgency` (each 1..3).
    pub fn lookup(&self, impact: u8, urgency: u8) -> Option<&str> {
        let row = self.rows.get(usize::from(impact).checked_sub(1)?)?;
        row.get(usize::from(urgency).checked_sub(1)?)
            .map(String::as_str)
    }
}

/// `[incidents] postmortem = { priorities = ["P1"], within_days = 5 }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostmortemPolicy {
    /// Priorities that need a postmortem.
    pub priorities: Vec<String>,
    /// Days (of 24 h) after `resolved_at` by which it is due.
    pub within_days: u32,
}

/// `[problems] recurring = { count = 3, days = 30 }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recurring {
    /// Incidents that make a recurrence.
    pub count: u32,
    /// Within this many days (of 24 h) between the first and the last `opened_at`.
    pub days: u32,
}

/// One `[[changes.freeze]]` period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Freeze {
    /// Start.
    pub from: DateTime<FixedOffset>,
    /// End (exclusive).
    pub to: DateTime<FixedOffset>,
    /// Why, as written.
    pub reason: Option<String>,
    /// Where the table was written in svc.toml.
    pub pos: Pos,
}

/// An id pattern such as `INC-{year}-{seq:04}`: literal id characters, at most
/// one `{year}` and exactly one `{seq}` or `{seq:0N}` (zero-padded to N digits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdFormat {
    /// The pattern as written.
    pub pattern: String,
    parts: Vec<IdPart>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum IdPart {
    Literal(String),
    Year,
    Seq { width: usize },
}

impl IdFormat {
    /// Parses a pattern, or says what is wrong with it.
    pub fn parse(pattern: &str) -> Result<IdFormat, String> {
        let mut parts = Vec::new();
        let mut rest = pattern;
        let (mut years, mut seqs) = (0, 0);
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let Some(end) = after.find('}') else {
                    return Err("has a `{` without its `}`".into());
                };
                let field = &after[..end];
                match field {
                    "year" => {
                        years += 1;
                        parts.push(IdPart::Year);
                    }
                    "seq" => {
                        seqs += 1;
                        parts.push(IdPart::Seq { width: 0 });
                    }
                    _ => {
                        let width = field
                            .strip_prefix("seq:0")
                            .and_then(|w| w.parse::<usize>().ok())
                            .filter(|w| (1..=12).contains(w));
                        let Some(width) = width else {
                            return Err(format!(
                                "has an unknown field `{{{field}}}`; use `{{year}}`, `{{seq}}` or `{{seq:04}}`"
                            ));
                        };
                        seqs += 1;
                        parts.push(IdPart::Seq { width });
                    }
                }
                rest = &after[end + 1..];
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                let literal = &rest[..end];
                if !literal
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
                {
                    return Err(format!(
                        "holds `{literal}`; ids use only letters, digits, `.`, `_` and `-`"
                    ));
                }
                parts.push(IdPart::Literal(literal.to_string()));
                rest = &rest[end..];
            }
        }
        if seqs != 1 || years > 1 {
            return Err(
                "needs exactly one `{seq}` (or `{seq:04}`) and at most one `{year}`".into(),
            );
        }
        if !matches!(parts.first(), Some(IdPart::Literal(l)) if l.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric))
            && !matches!(parts.first(), Some(IdPart::Year | IdPart::Seq { .. }))
        {
            return Err("must start with a letter or digit".into());
        }
        Ok(IdFormat {
            pattern: pattern.to_string(),
            parts,
        })
    }

    /// The id for sequence number `seq` in `year`.
    pub fn format(&self, year: i32, seq: u64) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                IdPart::Literal(text) => text.clone(),
                IdPart::Year => format!("{year:04}"),
                IdPart::Seq { width } => format!("{seq:0width$}"),
            })
            .collect()
    }

    /// The sequence number of `id` when it is an id of this format for `year`.
    pub fn sequence(&self, id: &str, year: i32) -> Option<u64> {
        let mut rest = id;
        let mut seq = None;
        for (index, part) in self.parts.iter().enumerate() {
            match part {
                IdPart::Literal(text) => rest = rest.strip_prefix(text.as_str())?,
                IdPart::Year => rest = rest.strip_prefix(&format!("{year:04}"))?,
                IdPart::Seq { .. } => {
                    // Digits up to the next literal (or the end).
                    let digits = match self.parts.get(index + 1) {
                        Some(IdPart::Literal(next)) => rest.find(next.as_str())?,
                        _ => rest.bytes().take_while(u8::is_ascii_digit).count(),
                    };
                    let number = &rest[..digits];
                    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
                        return None;
                    }
                    seq = Some(number.parse().ok()?);
                    rest = &rest[digits..];
                }
            }
        }
        rest.is_empty().then_some(seq).flatten()
    }
}

impl Default for IdFormat {
    fn default() -> Self {
        match IdFormat::parse(DEFAULT_INCIDENT_ID_FORMAT) {
            Ok(format) => format,
            Err(_) => IdFormat {
                pattern: DEFAULT_INCIDENT_ID_FORMAT.to_string(),
                parts: vec![IdPart::Seq { width: 4 }],
            },
        }
    }
}

/// What must hold to enter (and stay in) a stage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gate {
    /// Dotted field paths that must be present and non-empty.
    pub require: Vec<String>,
    /// No unresolved incident on the service.
    pub no_open_incidents: bool,
    /// No non-retired service depends on it.
    pub no_active_dependents: bool,
}

impl Default for Config {
    fn default() -> Self {
        let stages: Vec<String> = DEFAULT_STAGES.map(String::from).to_vec();
        Config {
            name: None,
            timezone: Tz::UTC,
            include: DEFAULT_INCLUDE.map(String::from).to_vec(),
            include_positions: BTreeMap::new(),
            gates: default_gates(&stages),
            stages,
            stale_after_days: BTreeMap::new(),
            max_file_bytes: DEFAULT_MAX_FILE_BYTES,
            max_files: DEFAULT_MAX_FILES,
            max_depth: crate::yaml::MAX_DEPTH,
            priority_matrix: None,
            require_pause_reason: false,
            incident_ids: IdFormat::default(),
            postmortem: None,
            recurring: None,
            freezes: Vec::new(),
        }
    }
}

/// The gates that apply to `stages` when svc.toml has no table for them: SPEC's
/// `operational` gate on a stage named `operational`, if there is one, and SPEC's
/// `retired` gate on the terminal stage, whatever it is named (SPEC calls the
/// last stage "the terminal (retired) stage"). A terminal stage named
/// `operational` gets the retired gate.
pub fn default_gates(stages: &[String]) -> BTreeMap<String, Gate> {
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
    let mut gates = BTreeMap::new();
    if stages.iter().any(|s| s == "operational") {
        gates.insert(
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
        );
    }
    if let Some(terminal) = stages.last() {
        gates.insert(
            terminal.clone(),
            Gate {
                require: strings(&["retirement.reason", "retirement.data.backup"]),
                no_open_incidents: true,
                no_active_dependents: true,
            },
        );
    }
    gates
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

/// Parses `svc.toml`. Problems are `schema` diagnostics on `svc.toml`; each
/// setting that could not be read keeps its default and everything else is used,
/// so the rest of the repo is still checked against what the user configured.
pub fn parse(text: &str) -> (Config, Vec<Diagnostic>) {
    let mut reader = Reader {
        text,
        diagnostics: Vec::new(),
    };
    // Recoverable parsing keeps every table that is well formed even when
    // another part of the file has a syntax error.
    let (document, errors) = DeTable::parse_recoverable(text);
    for error in errors {
        let span = error.span().unwrap_or(0..0);
        let message = format!("invalid svc.toml: {}", error.message().trim());
        reader.error(span, message, None);
    }
    let config = reader.config(document.get_ref());
    (config, reader.diagnostics)
}

type Value<'i> = Spanned<DeValue<'i>>;

/// Decodes the TOML tree into a [`Config`], collecting diagnostics.
struct Reader<'t> {
    text: &'t str,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn pos(&self, span: &Range<usize>) -> Pos {
        pos_at(self.text, span.start)
    }

    fn error(&mut self, span: Range<usize>, message: String, help: Option<String>) {
        let diagnostic = Diagnostic::error(Rule::Schema, CONFIG_FILE, self.pos(&span), message);
        self.diagnostics.push(match help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        });
    }

    fn warning(&mut self, span: Range<usize>, message: String, help: String) {
        let diagnostic = Diagnostic::warning(Rule::Schema, CONFIG_FILE, self.pos(&span), message);
        self.diagnostics.push(diagnostic.with_help(help));
    }

    fn config(&mut self, root: &DeTable) -> Config {
        let mut config = Config::default();
        self.unknown_keys(
            root,
            None,
            &[
                "repo",
                "lifecycle",
                "limits",
                "priority",
                "sla",
                "incidents",
                "problems",
                "changes",
            ],
        );
        if let Some(repo) = self.section(root, "repo") {
            self.unknown_keys(repo, Some("repo"), &["name", "timezone", "include"]);
            self.repo(repo, &mut config);
        }
        let lifecycle = self.section(root, "lifecycle");
        if let Some(lifecycle) = lifecycle {
            self.unknown_keys(
                lifecycle,
                Some("lifecycle"),
                &["stages", "stale_after_days", "gates"],
            );
            if let Some(stages) = lifecycle.get("stages") {
                self.stages(stages, &mut config);
            }
        }
        config.gates = default_gates(&config.stages);
        if let Some(lifecycle) = lifecycle {
            if let Some(stale) = lifecycle.get("stale_after_days") {
                self.stale_after_days(stale, &mut config);
            }
            if let Some(gates) = lifecycle.get("gates") {
                self.gates(gates, &mut config);
            }
        }
        if let Some(limits) = self.section(root, "limits") {
            self.unknown_keys(
                limits,
                Some("limits"),
                &["max_file_bytes", "max_files", "max_depth"],
            );
            self.limits(limits, &mut config);
        }
        if let Some(priority) = self.section(root, "priority") {
            self.unknown_keys(priority, Some("priority"), &["matrix"]);
            if let Some(matrix) = priority.get("matrix") {
                config.priority_matrix = self.matrix(matrix);
            }
        }
        if let Some(sla) = self.section(root, "sla") {
            self.unknown_keys(sla, Some("sla"), &["require_pause_reason"]);
            if let Some(value) = sla.get("require_pause_reason") {
                config.require_pause_reason = self
                    .boolean(value, "sla.require_pause_reason")
                    .unwrap_or(false);
            }
        }
        if let Some(incidents) = self.section(root, "incidents") {
            self.unknown_keys(incidents, Some("incidents"), &["id_format", "postmortem"]);
            if let Some(value) = incidents.get("id_format")
                && let Some(pattern) = self.string(value, "incidents.id_format")
            {
                match IdFormat::parse(pattern) {
                    Ok(format) => config.incident_ids = format,
                    Err(problem) => self.error(
                        value.span(),
                        format!("`incidents.id_format` `{pattern}` {problem}"),
                        Some(format!("for example `{DEFAULT_INCIDENT_ID_FORMAT}`")),
                    ),
                }
            }
            if let Some(value) = incidents.get("postmortem") {
                config.postmortem = self.postmortem(value);
            }
        }
        if let Some(problems) = self.section(root, "problems") {
            self.unknown_keys(problems, Some("problems"), &["recurring"]);
            if let Some(value) = problems.get("recurring") {
                config.recurring = self.recurring(value);
            }
        }
        if let Some(changes) = self.section(root, "changes") {
            self.unknown_keys(changes, Some("changes"), &["freeze"]);
            if let Some(value) = changes.get("freeze") {
                config.freezes = self.freezes(value);
            }
        }
        config
    }

    /// `[priority] matrix`: three rows of three non-empty priorities. A
    /// malformed matrix is one error here, never one per incident (SPEC §1).
    fn matrix(&mut self, value: &Value) -> Option<PriorityMatrix> {
        let shape = "`priority.matrix` must be 3 rows (impact 1..3) of 3 priorities (urgency 1..3)";
        let example = "e.g. `matrix = [[\"P1\", \"P2\", \"P3\"], [\"P2\", \"P3\", \"P4\"], [\"P3\", \"P4\", \"P5\"]]`";
        let fail = |reader: &mut Self, span: Range<usize>, message: String| {
            reader.error(span, message, Some(example.to_string()));
            None
        };
        let DeValue::Array(rows) = value.get_ref() else {
            return fail(self, value.span(), shape.to_string());
        };
        if rows.len() != 3 {
            return fail(
                self,
                value.span(),
                format!("{shape}, found {} rows", rows.len()),
            );
        }
        let mut out: [[String; 3]; 3] = Default::default();
        for (r, row) in rows.iter().enumerate() {
            let DeValue::Array(cells) = row.get_ref() else {
                return fail(self, row.span(), shape.to_string());
            };
            if cells.len() != 3 {
                return fail(
                    self,
                    row.span(),
                    format!("{shape}, found a row of {} priorities", cells.len()),
                );
            }
            for (c, cell) in cells.iter().enumerate() {
                match cell.get_ref() {
                    DeValue::String(text) if !text.trim().is_empty() => {
                        out[r][c] = text.to_string();
                    }
                    _ => {
                        return fail(
                            self,
                            cell.span(),
                            format!(
                                "{shape}: each priority is a non-empty string, found {}",
                                describe(cell.get_ref())
                            ),
                        );
                    }
                }
            }
        }
        Some(PriorityMatrix { rows: out })
    }

    fn postmortem(&mut self, value: &Value) -> Option<PostmortemPolicy> {
        let table = self.table(value, "incidents.postmortem")?;
        self.unknown_keys(
            table,
            Some("incidents.postmortem"),
            &["priorities", "within_days"],
        );
        let priorities = match table.get("priorities") {
            Some(list) => self
                .strings(list, "incidents.postmortem.priorities")
                .into_iter()
                .map(|(p, _)| p.to_string())
                .collect(),
            None => {
                self.error(
                    value.span(),
                    "missing key `priorities` in `incidents.postmortem`".into(),
                    Some("e.g. `postmortem = { priorities = [\"P1\"], within_days = 5 }`".into()),
                );
                return None;
            }
        };
        let within_days = match table.get("within_days") {
            Some(days) => self.integer(days, "incidents.postmortem.within_days", 0, 3650)?,
            None => {
                self.error(
                    value.span(),
                    "missing key `within_days` in `incidents.postmortem`".into(),
                    Some("e.g. `postmortem = { priorities = [\"P1\"], within_days = 5 }`".into()),
                );
                return None;
            }
        };
        Some(PostmortemPolicy {
            priorities,
            within_days: u32::try_from(within_days).unwrap_or(3650),
        })
    }

    fn recurring(&mut self, value: &Value) -> Option<Recurring> {
        let table = self.table(value, "problems.recurring")?;
        self.unknown_keys(table, Some("problems.recurring"), &["count", "days"]);
        let mut number = |key: &str, min: u64, max: u64| match table.get(key) {
            Some(n) => self.integer(n, &format!("problems.recurring.{key}"), min, max),
            None => {
                self.error(
                    value.span(),
                    format!("missing key `{key}` in `problems.recurring`"),
                    Some("e.g. `recurring = { count = 3, days = 30 }`".into()),
                );
                None
            }
        };
        let count = number("count", 2, 1_000_000);
        let days = number("days", 1, 3650);
        Some(Recurring {
            count: u32::try_from(count?).unwrap_or(u32::MAX),
            days: u32::try_from(days?).unwrap_or(3650),
        })
    }

    fn freezes(&mut self, value: &Value) -> Vec<Freeze> {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type::<()>(
                value,
                "changes.freeze",
                "an array of tables (`[[changes.freeze]]`)",
            );
            return Vec::new();
        };
        let mut freezes = Vec::new();
        for item in items {
            let Some(table) = self.table(item, "changes.freeze") else {
                continue;
            };
            self.unknown_keys(table, Some("changes.freeze"), &["from", "to", "reason"]);
            let mut instant = |key: &str| match table.get(key) {
                Some(v) => self.datetime(v, &format!("changes.freeze.{key}")),
                None => {
                    self.error(
                        item.span(),
                        format!("missing key `{key}` in `[[changes.freeze]]`"),
                        Some("give `from` and `to` as timestamps with an offset".into()),
                    );
                    None
                }
            };
            let (from, to) = (instant("from"), instant("to"));
            let reason = table
                .get("reason")
                .and_then(|r| self.string(r, "changes.freeze.reason"))
                .map(String::from);
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            if to <= from {
                self.error(
                    item.span(),
                    "a `[[changes.freeze]]` period ends before it starts".into(),
                    Some("swap `from` and `to`".into()),
                );
                continue;
            }
            freezes.push(Freeze {
                from,
                to,
                reason,
                pos: self.pos(&item.span()),
            });
        }
        freezes
    }

    /// A timestamp with an offset: a TOML offset date-time or an RFC 3339 string.
    fn datetime(&mut self, value: &Value, key: &str) -> Option<DateTime<FixedOffset>> {
        let text = match value.get_ref() {
            DeValue::Datetime(datetime) => datetime.to_string(),
            DeValue::String(text) => text.to_string(),
            _ => return self.wrong_type(value, key, "a timestamp with an offset"),
        };
        match DateTime::parse_from_rfc3339(&text) {
            Ok(at) => Some(at),
            Err(_) => {
                self.error(
                    value.span(),
                    format!("`{key}` must be a timestamp with an offset, found `{text}`"),
                    Some("e.g. `2026-12-18T00:00:00+01:00`".into()),
                );
                None
            }
        }
    }

    fn section<'v, 'i>(&mut self, root: &'v DeTable<'i>, name: &str) -> Option<&'v DeTable<'i>> {
        let value = root.get(name)?;
        self.table(value, name)
    }

    /// Reports every key of `table` not in `allowed`, with a did-you-mean.
    fn unknown_keys(&mut self, table: &DeTable, section: Option<&str>, allowed: &[&str]) {
        for key in table.keys() {
            let name: &str = key.get_ref();
            if allowed.contains(&name) {
                continue;
            }
            let message = match section {
                Some(section) => format!("unknown key `{name}` in `[{section}]`"),
                None => format!("unknown table `[{name}]`"),
            };
            let help = match did_you_mean(name, allowed.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("expected one of: {}", allowed.join(", ")),
            };
            self.error(key.span(), message, Some(help));
        }
    }

    fn wrong_type<T>(&mut self, value: &Value, key: &str, expected: &str) -> Option<T> {
        let message = format!(
            "`{key}` must be {expected}, found {}",
            describe(value.get_ref())
        );
        self.error(value.span(), message, None);
        None
    }

    fn table<'v, 'i>(&mut self, value: &'v Value<'i>, key: &str) -> Option<&'v DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(table) => Some(table),
            _ => self.wrong_type(value, key, "a table"),
        }
    }

    fn string<'v>(&mut self, value: &'v Value, key: &str) -> Option<&'v str> {
        match value.get_ref() {
            DeValue::String(text) => Some(text.as_ref()),
            _ => self.wrong_type(value, key, "a string"),
        }
    }

    /// An array of strings; items of another type are reported and left out.
    fn strings<'v>(&mut self, value: &'v Value, key: &str) -> Vec<(&'v str, Range<usize>)> {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type::<()>(value, key, "an array of strings");
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| Some((self.string(item, key)?, item.span())))
            .collect()
    }

    fn boolean(&mut self, value: &Value, key: &str) -> Option<bool> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => self.wrong_type(value, key, "`true` or `false`"),
        }
    }

    /// A whole number in `min..=max`.
    fn integer(&mut self, value: &Value, key: &str, min: u64, max: u64) -> Option<u64> {
        let DeValue::Integer(integer) = value.get_ref() else {
            return self.wrong_type(value, key, "a whole number");
        };
        let number = i128::from_str_radix(integer.as_str(), integer.radix()).ok();
        match number.and_then(|n| u64::try_from(n).ok()) {
            Some(n) if (min..=max).contains(&n) => Some(n),
            _ => {
                let message = format!(
                    "`{key}` must be between {min} and {max}, found {}",
                    integer.as_str()
                );
                self.error(value.span(), message, None);
                None
            }
        }
    }

    fn repo(&mut self, repo: &DeTable, config: &mut Config) {
        if let Some(name) = repo.get("name") {
            config.name = self.string(name, "repo.name").map(String::from);
        }
        if let Some(tz) = repo.get("timezone")
            && let Some(name) = self.string(tz, "repo.timezone")
        {
            match super::calendar::parse_timezone(name) {
                Ok(zone) => config.timezone = zone,
                Err(unknown) => {
                    let d = unknown.into_diagnostic(CONFIG_FILE, self.pos(&tz.span()));
                    self.diagnostics.push(d);
                }
            }
        }
        if let Some(include) = repo.get("include") {
            let entries = self.strings(include, "repo.include");
            self.include(&entries, config);
        }
    }

    /// Keeps the `include` entries that name folders inside the repo. An entry
    /// that leaves the repo would scan (and print) files elsewhere, and one inside
    /// another would read every record twice and report it as its own duplicate.
    fn include(&mut self, entries: &[(&str, Range<usize>)], config: &mut Config) {
        let mut folders: Vec<(String, Range<usize>)> = Vec::new();
        for (entry, span) in entries {
            match normalize_include(entry) {
                Ok(folder) => folders.push((folder, span.clone())),
                Err(problem) => self.error(
                    span.clone(),
                    format!("`include` entry `{entry}` {problem}"),
                    Some("list folders relative to the repo root, e.g. `services`".into()),
                ),
            }
        }
        let mut kept = Vec::new();
        for (index, (folder, span)) in folders.iter().enumerate() {
            let covering = folders.iter().enumerate().find(|(other, (outer, _))| {
                (outer == folder && *other < index) || folder.starts_with(&format!("{outer}/"))
            });
            match covering {
                Some((_, (outer, _))) => self.warning(
                    span.clone(),
                    format!("`include` entry `{folder}` is already scanned as part of `{outer}`"),
                    format!("remove `{folder}` from `include`"),
                ),
                None => kept.push((folder.clone(), self.pos(span))),
            }
        }
        config.include = kept.iter().map(|(folder, _)| folder.clone()).collect();
        config.include_positions = kept.into_iter().collect();
    }

    fn stages(&mut self, value: &Value, config: &mut Config) {
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong_type::<()>(value, "lifecycle.stages", "an array of strings");
            return;
        };
        let entries = self.strings(value, "lifecycle.stages");
        // A list with a bad entry is not used at all: dropping one stage would
        // shift the terminal stage and every gate.
        let mut usable = entries.len() == items.len();
        let mut stages: Vec<String> = Vec::new();
        for (stage, span) in &entries {
            if stage.trim().is_empty() {
                self.error(
                    span.clone(),
                    "a stage name in `lifecycle.stages` is empty".into(),
                    None,
                );
                usable = false;
            } else if stages.iter().any(|s| s == stage) {
                self.error(
                    span.clone(),
                    format!("stage `{stage}` is listed twice in `lifecycle.stages`"),
                    None,
                );
                usable = false;
            }
            stages.push(stage.to_string());
        }
        if items.len() < 2 {
            self.error(
                value.span(),
                "`lifecycle.stages` needs at least two stages".into(),
                None,
            );
        } else if usable {
            config.stages = stages;
        }
    }

    fn stale_after_days(&mut self, value: &Value, config: &mut Config) {
        let Some(table) = self.table(value, "lifecycle.stale_after_days") else {
            return;
        };
        for (stage, days) in table.iter() {
            let name: &str = stage.get_ref();
            if !self.known_stage(stage, config, "`stale_after_days`") {
                continue;
            }
            let key = format!("lifecycle.stale_after_days.{name}");
            if let Some(days) = self.integer(days, &key, 0, u64::from(u32::MAX)) {
                let days = u32::try_from(days).unwrap_or(u32::MAX);
                config.stale_after_days.insert(name.to_string(), days);
            }
        }
    }

    /// True when the table key `stage` names a configured stage; otherwise
    /// reports that `what` names an unknown stage, with a did-you-mean.
    fn known_stage(&mut self, stage: &Spanned<Cow<str>>, config: &Config, what: &str) -> bool {
        let name: &str = stage.get_ref();
        if config.stage_index(name).is_some() {
            return true;
        }
        let help = self.stage_help(name, config);
        self.error(
            stage.span(),
            format!("{what} names unknown stage `{name}`"),
            Some(help),
        );
        false
    }

    fn stage_help(&self, name: &str, config: &Config) -> String {
        match did_you_mean(name, config.stages.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the stages are: {}", config.stages.join(", ")),
        }
    }

    fn gates(&mut self, value: &Value, config: &mut Config) {
        let Some(table) = self.table(value, "lifecycle.gates") else {
            return;
        };
        for (stage, gate) in table.iter() {
            let name: &str = stage.get_ref();
            if !self.known_stage(stage, config, &format!("`lifecycle.gates.{name}`")) {
                continue;
            }
            if let Some(gate) = self.gate(gate, name) {
                config.gates.insert(name.to_string(), gate);
            }
        }
    }

    /// One `[lifecycle.gates.<stage>]` table. It replaces the default gate of its
    /// stage even when some of its entries are wrong: the wrong ones are reported
    /// and left out, the rest still apply.
    fn gate(&mut self, value: &Value, stage: &str) -> Option<Gate> {
        let section = format!("lifecycle.gates.{stage}");
        let table = self.table(value, &section)?;
        self.unknown_keys(
            table,
            Some(&section),
            &["require", "no_open_incidents", "no_active_dependents"],
        );
        let mut gate = Gate::default();
        if let Some(require) = table.get("require") {
            for (path, span) in self.strings(require, &format!("{section}.require")) {
                match super::service::field_path_problem(path) {
                    None => gate.require.push(path.to_string()),
                    Some((problem, help)) => self.error(
                        span,
                        format!("`{section}.require` names `{path}`, which {problem}"),
                        help,
                    ),
                }
            }
        }
        let mut flag = |key: &str| {
            table
                .get(key)
                .and_then(|v| self.boolean(v, &format!("{section}.{key}")))
                .unwrap_or(false)
        };
        gate.no_open_incidents = flag("no_open_incidents");
        gate.no_active_dependents = flag("no_active_dependents");
        Some(gate)
    }

    fn limits(&mut self, limits: &DeTable, config: &mut Config) {
        if let Some(value) = limits.get("max_file_bytes")
            && let Some(n) = self.integer(value, "limits.max_file_bytes", 1, u64::MAX)
        {
            config.max_file_bytes = n;
        }
        let most = u64::try_from(usize::MAX).unwrap_or(u64::MAX);
        if let Some(value) = limits.get("max_files")
            && let Some(n) = self.integer(value, "limits.max_files", 1, most)
        {
            config.max_files = usize::try_from(n).unwrap_or(usize::MAX);
        }
        let deepest = u64::try_from(MAX_DEPTH_LIMIT).unwrap_or(u64::MAX);
        if let Some(value) = limits.get("max_depth")
            && let Some(n) = self.integer(value, "limits.max_depth", 1, deepest)
        {
            config.max_depth = usize::try_from(n).unwrap_or(MAX_DEPTH_LIMIT);
        }
    }
}

/// A TOML value as named in "found ..." messages.
fn describe(value: &DeValue) -> String {
    match value {
        DeValue::String(text) => format!("the string {text:?}"),
        DeValue::Integer(n) => format!("the number {}", n.as_str()),
        DeValue::Float(n) => format!("the number {}", n.as_str()),
        DeValue::Boolean(b) => format!("`{b}`"),
        DeValue::Datetime(_) => "a date".to_string(),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

/// An `include` entry as a clean relative path (`services/2026`), or why it does
/// not name a folder inside the repo.
fn normalize_include(entry: &str) -> Result<String, &'static str> {
    let has_drive = entry.len() >= 2 && entry.as_bytes()[1] == b':';
    if entry.starts_with('/') || entry.starts_with('\\') || has_drive {
        return Err("is an absolute path; it must be a folder inside the repo");
    }
    let mut parts = Vec::new();
    for part in entry.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return Err("leaves the repo (`..`); it must be a folder inside the repo"),
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err("names the repo root itself; list the record folders instead");
    }
    Ok(parts.join("/"))
}

/// The 0-based line and column of byte `offset` in `text`.
pub fn pos_at(text: &str, offset: usize) -> Pos {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        col: u32::try_from(before[line_start..].chars().count()).unwrap_or(u32::MAX),
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
        assert!(config.include_positions.is_empty());
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
    fn one_bad_key_keeps_every_other_setting() {
        let (config, diagnostics) = parse(
            "[repo]\ntimezon = \"UTC\"\ntimezone = \"Europe/Berlin\"\n\
             [lifecycle]\nstages = [\"idea\", \"live\", \"gone\"]\n\
             stale_after_days = { idea = \"x\", live = 5 }\n[limits]\nmax_files = -1\nmax_depth = 8\n",
        );
        assert_eq!(diagnostics.len(), 3, "{diagnostics:#?}");
        assert_eq!(config.timezone, chrono_tz::Europe::Berlin);
        assert_eq!(config.stages, ["idea", "live", "gone"]);
        assert_eq!(config.stale_after_days.get("live"), Some(&5));
        assert_eq!(config.max_depth, 8);
        assert_eq!(config.max_files, DEFAULT_MAX_FILES);
    }

    #[test]
    fn a_syntax_error_keeps_the_well_formed_tables() {
        let (config, diagnostics) =
            parse("[lifecycle]\nstages = [\"idea\", \"gone\"]\n[repo]\nname = \n");
        assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
        assert_eq!(config.stages, ["idea", "gone"]);
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
        let (config, diagnostics) =
            parse("[limits]\nmax_file_bytes = 0\nmax_files = 0\nmax_depth = 0\n");
        assert_eq!(diagnostics.len(), 3);
        assert_eq!(config.max_file_bytes, DEFAULT_MAX_FILE_BYTES);
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

    #[test]
    fn default_gates_follow_the_configured_stages() {
        let (config, _) = parse("[lifecycle]\nstages = [\"idea\", \"live\", \"gone\"]\n");
        assert_eq!(config.gates.keys().collect::<Vec<_>>(), ["gone"]);
        assert!(config.gates["gone"].no_active_dependents);
        let (config, _) = parse(
            "[lifecycle]\nstages = [\"idea\", \"operational\", \"gone\"]\n\
             [lifecycle.gates.gone]\nrequire = [\"owner\"]\n",
        );
        assert_eq!(config.gates["gone"].require, ["owner"]);
        assert!(!config.gates["gone"].no_open_incidents);
        assert!(config.gates.contains_key("operational"));
    }

    #[test]
    fn include_entries_stay_inside_the_repo() {
        let (config, diagnostics) = parse(
            "[repo]\ninclude = [\"../outside\", \"/abs\", \"./services/\", \"services/2026\", \"\"]\n",
        );
        assert_eq!(config.include, ["services"]);
        let errors: Vec<u32> = diagnostics.iter().map(|d| d.pos.col).collect();
        assert_eq!(errors.len(), 4, "{diagnostics:#?}");
        assert_eq!(
            config.include_positions["services"],
            Pos { line: 1, col: 33 }
        );
    }

    #[test]
    fn gate_paths_must_be_able_to_exist() {
        let (config, diagnostics) = parse(
            "[lifecycle.gates.operational]\nrequire = [\"owner\", \"ownr\", \"contacts.oncal\", \"links.wiki\"]\n",
        );
        assert_eq!(config.gates["operational"].require, ["owner", "links.wiki"]);
        assert_eq!(diagnostics.len(), 2);
        assert_eq!(
            diagnostics[0].help.as_deref(),
            Some("did you mean `owner`?")
        );
        assert_eq!(
            diagnostics[1].help.as_deref(),
            Some("did you mean `oncall`?")
        );
    }
}
