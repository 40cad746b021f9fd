//! Planning a stage move: which stage comes next, whether the move is forward,
//! and whether every gate on the way holds. Pure; the commands apply the result.

use super::{GateFailure, Neighbours, gate_failures};
use crate::diagnostic::Severity;
use crate::error::UserError;
use crate::model::{Config, Record, Service, decode_file};
use crate::repo::Unloaded;

/// The stage a service moves to: `to` when given, else the next one. Refuses
/// moving backwards, staying put, or leaving the terminal stage.
pub fn target_stage(
    config: &Config,
    service: &Service,
    to: Option<&str>,
) -> Result<String, UserError> {
    let current = service.stage.as_str();
    let Some(index) = config.stage_index(current) else {
        return Err(UserError::refused(
            format!(
                "service `{}` is in unknown stage `{current}`",
                service.id.value
            ),
            format!(
                "fix `lifecycle.stage`; the stages are: {}",
                config.stages.join(", ")
            ),
        ));
    };
    if index + 1 == config.stages.len() {
        return Err(UserError::refused(
            format!(
                "service `{}` is `{current}`, the terminal stage; nothing leaves it",
                service.id.value
            ),
            "create a new service instead",
        ));
    }
    let Some(to) = to else {
        return Ok(config.stages[index + 1].clone());
    };
    let Some(target) = config.stage_index(to) else {
        let help =
            match crate::diagnostic::did_you_mean(to, config.stages.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the stages are: {}", config.stages.join(", ")),
            };
        return Err(UserError::with_help(format!("unknown stage `{to}`"), help));
    };
    if target == index {
        return Err(UserError::refused(
            format!("service `{}` is already `{current}`", service.id.value),
            format!(
                "name a later stage to move on: {}",
                config.stages[index + 1..].join(", ")
            ),
        ));
    }
    if target < index {
        return Err(UserError::refused(
            format!(
                "service `{}` is `{current}`; moving to `{to}` would go backwards",
                service.id.value
            ),
            format!(
                "stages only move forward: {}",
                config.stages[index + 1..].join(", ")
            ),
        ));
    }
    Ok(to.to_string())
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
            "cannot move `{}` to `{stage}`: {} gate check(s) failed\n{}",
            service.id.value,
            failures.len(),
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
    let Some(last) = config.stage_index(stage) else {
        return Ok(());
    };
    let gates: Vec<_> = config.stages[..=last]
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
            "cannot move `{}` to `{stage}`: {} record file(s) could not be loaded, so svc cannot prove that it has {unproven}\n{}",
            service.id.value,
            files.len(),
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
    let (record, diagnostics) = decode_file(file, text);
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
    match record {
        Some(Record::Service(service)) => Ok(service),
        _ => Err(UserError::refused(
            format!("the edited {file} is not a service; nothing was written"),
            "run `svc check`",
        )),
    }
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
        .history
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
