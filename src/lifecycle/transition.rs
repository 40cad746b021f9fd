//! Planning a stage move: which stage comes next, whether the move is forward,
//! and whether every gate on the way holds. Pure; the commands apply the result.

use super::{GateFailure, Neighbours, gate_failures};
use crate::diagnostic::Severity;
use crate::error::UserError;
use crate::model::progress::Machine;
use crate::model::{Config, Record, Service, Unloaded, decode_file_with};

/// What a planned move is about, for its messages: `service \`payments\`` moving
/// between stages, `change \`CHG-1\`` between states.
#[derive(Clone, Copy, Debug)]
pub struct Subject<'a> {
    /// `service`, `change` or `problem`.
    pub kind: &'a str,
    /// The record's id.
    pub id: &'a str,
    /// `stage` or `state`.
    pub word: &'a str,
    /// The field that holds it (`lifecycle.stage`, `state`).
    pub field: &'a str,
}

/// The state a record moves to: `to` when given, else the next one after
/// `current` in `machine`. Refuses moving backwards, staying put, leaving a
/// final state or an unknown state (exit 1); an unknown `to` is a usage error
/// (exit 2) with a did-you-mean.
pub fn target_state(
    machine: &Machine,
    current: &str,
    subject: Subject,
    to: Option<&str>,
) -> Result<String, UserError> {
    let Subject {
        kind,
        id,
        word,
        field,
    } = subject;
    let names: Vec<&str> = machine.names().collect();
    let Some(rank) = machine.rank(current) else {
        return Err(UserError::refused(
            format!("{kind} `{id}` is in unknown {word} `{current}`"),
            format!("fix `{field}`; the {word}s are: {}", names.join(", ")),
        ));
    };
    let later: Vec<&str> = machine
        .states
        .iter()
        .filter(|(_, r)| *r > rank)
        .map(|(name, _)| name.as_str())
        .collect();
    if machine.is_final(current) || later.is_empty() {
        // Services have one final stage, the terminal one; changes and problems
        // may end in more than one state.
        let end = if word == "stage" {
            "the terminal stage"
        } else {
            "a final state"
        };
        return Err(UserError::refused(
            format!("{kind} `{id}` is `{current}`, {end}; nothing leaves it"),
            format!("create a new {kind} instead"),
        ));
    }
    let Some(to) = to else {
        return Ok(later[0].to_string());
    };
    let Some(target) = machine.rank(to) else {
        return Err(UserError::with_help(
            format!("unknown {word} `{to}`"),
            crate::diagnostic::suggestion(
                to,
                names.iter().copied(),
                format!("the {word}s are: {}", names.join(", ")),
            ),
        ));
    };
    if to == current {
        return Err(UserError::refused(
            format!("{kind} `{id}` is already `{current}`"),
            format!("name a later {word} to move on: {}", later.join(", ")),
        ));
    }
    if target <= rank {
        return Err(UserError::refused(
            format!("{kind} `{id}` is `{current}`; moving to `{to}` would go backwards"),
            format!("{word}s only move forward: {}", later.join(", ")),
        ));
    }
    Ok(to.to_string())
}

/// The stage a service moves to: `to` when given, else the next one. Refuses
/// moving backwards, staying put, or leaving the terminal stage.
pub fn target_stage(
    config: &Config,
    service: &Service,
    to: Option<&str>,
) -> Result<String, UserError> {
    let Some(current) = service.stage_name() else {
        return Err(UserError::refused(
            format!(
                "service `{}` has no readable `lifecycle.stage`",
                service.id.value
            ),
            "run `svc check` and fix the file first",
        ));
    };
    let subject = Subject {
        kind: "service",
        id: &service.id.value,
        word: "stage",
        field: "lifecycle.stage",
    };
    target_state(&Machine::linear(&config.stages), current, subject, to)
}

/// Refuses when a gate up to `stage` does not hold, listing every failure.
pub fn require_gates(
    config: &Config,
    service: &Service,
    stage: &str,
    neighbours: &Neighbours,
) -> Result<(), UserError> {
    let failures = gate_failures(config, service, stage, neighbours);
    if failures.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = failures
        .iter()
        .map(|f| format!("  - {}", f.describe()))
        .collect();
    let help = failures
        .iter()
        .map(|f| match f {
            GateFailure::MissingField {
                path,
                near_miss: Some(near),
                ..
            } => format!("rename `{near}` to `{path}`"),
            GateFailure::MissingField { path, .. } => format!("fill in `{path}`"),
            GateFailure::OpenIncidents { ids, .. } => format!("resolve {}", ids.join(", ")),
            GateFailure::ActiveDependents { ids, .. } => {
                format!("retire or re-point {}", ids.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ");
    Err(UserError::refused(
        format!(
            "cannot move `{}` to `{stage}`: {} failed\n{}",
            service.id.value,
            crate::render::count(failures.len(), "gate check", "gate checks"),
            lines.join("\n")
        ),
        help,
    ))
}

/// Refuses a move into `stage` when a gate on the way must prove an absence —
/// `no_open_incidents` or `no_active_dependents` — while record files that could
/// disprove it failed to load: an incident file with a bad timestamp may be the
/// open incident, a broken service file the active dependent (audit #8). A file
/// whose `kind` cannot be read counts for both.
pub fn require_loaded_records(
    config: &Config,
    service: &Service,
    stage: &str,
    unloaded: &[Unloaded],
) -> Result<(), UserError> {
    let gates: Vec<_> = super::gated_stages(config, stage)
        .iter()
        .filter_map(|s| config.gates.get(s))
        .collect();
    let incidents = gates.iter().any(|g| g.no_open_incidents);
    let dependents = gates.iter().any(|g| g.no_active_dependents);
    let counts = |kind: Option<&str>| match kind {
        Some("Incident") => incidents,
        Some("Service") => dependents,
        Some(_) => false,
        None => incidents || dependents,
    };
    let files: Vec<&str> = unloaded
        .iter()
        .filter(|u| counts(u.kind.as_deref()))
        .map(|u| u.file.as_str())
        .collect();
    if files.is_empty() {
        return Ok(());
    }
    let unproven = match (incidents, dependents) {
        (true, true) => "no open incident and no active dependent",
        (true, false) => "no open incident",
        _ => "no active dependent",
    };
    Err(UserError::refused(
        format!(
            "cannot move `{}` to `{stage}`: {} could not be loaded, so svc cannot prove that it has {unproven}\n{}",
            service.id.value,
            crate::render::count(files.len(), "record file", "record files"),
            files
                .iter()
                .map(|f| format!("  - {f}"))
                .collect::<Vec<_>>()
                .join("\n")
        ),
        "run `svc check` and fix these files first",
    ))
}

/// Decodes edited text again and refuses if it is no longer a valid service:
/// svc never writes a file it could not read back.
pub fn revalidate(file: &str, text: &str) -> Result<Service, UserError> {
    revalidate_as(
        file,
        text,
        &Config::default(),
        "service",
        |record| match record {
            Record::Service(service) => Some(service),
            _ => None,
        },
    )
}

/// Decodes edited text against `config` and returns the record `of` finds in
/// it; refuses (naming the first error) if the text has an error or holds no
/// such record — a `kind` in messages.
pub fn revalidate_as<T>(
    file: &str,
    text: &str,
    config: &Config,
    kind: &str,
    of: impl FnOnce(Record) -> Option<T>,
) -> Result<T, UserError> {
    let (record, diagnostics) = decode_file_with(file, text, config);
    if let Some(problem) = diagnostics.iter().find(|d| d.severity == Severity::Error) {
        return Err(UserError::refused(
            format!(
                "the edited {file} would not be valid ({} at line {}: {}); nothing was written",
                problem.rule,
                problem.pos.line + 1,
                problem.message
            ),
            "run `svc check` and fix the file first",
        ));
    }
    record.and_then(of).ok_or_else(|| {
        UserError::refused(
            format!("the edited {file} is not a {kind}; nothing was written"),
            "run `svc check`",
        )
    })
}

/// Refuses a history time earlier than the service's last history entry.
pub fn require_later_than_history(service: &Service, at: &str) -> Result<(), UserError> {
    let Ok(at) = chrono::DateTime::parse_from_rfc3339(at) else {
        return Err(UserError::with_help(
            format!("invalid timestamp `{at}`"),
            "use RFC 3339",
        ));
    };
    let last = service
        .history()
        .iter()
        .filter_map(|h| h.at.as_ref())
        .map(|a| a.value)
        .max();
    match last {
        Some(last) if at < last => Err(UserError::refused(
            format!(
                "the history time {} is before the last history entry ({})",
                at.to_rfc3339(),
                last.to_rfc3339()
            ),
            "give a later --at",
        )),
        _ => Ok(()),
    }
}
