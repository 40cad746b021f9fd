//! `svc new <id>`: write `services/<id>.yaml` in the first stage, from a commented
//! template that says what each stage's gate requires. The new record must hold
//! the first stage's gate, so the file passes `svc check` from the start.

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use super::write::{self, Change};
use crate::cli::NewArgs;
use crate::edit::quoting::yaml_scalar;
use crate::edit::{HistoryEntry, SERVICE_STAGE};
use crate::error::UserError;
use crate::lifecycle::{GateFailure, Neighbours, gate_failures, transition};
use crate::model::{Config, Service, is_kebab_id};

/// Runs `svc new`.
pub fn run(args: &NewArgs, context: &Context) -> Result<ExitCode> {
    let id = args.id.as_str();
    // The id becomes a file name: only lower-case kebab ids, so never `/`, `\`, `..` or NUL.
    if !is_kebab_id(id) {
        return Err(UserError::refused(
            format!("malformed service id `{}`", id.escape_debug()),
            "use a lower-case kebab id such as `payments-api` (letters, digits and single dashes)",
        )
        .into());
    }
    let session = write::begin(context)?;
    let (root, repo) = (&session.root, &session.repo);
    let file = format!("services/{id}.yaml");
    let taken = repo.services.iter().any(|s| s.record.id.value == id)
        || ["yaml", "yml"]
            .iter()
            .any(|ext| root.join(format!("services/{id}.{ext}")).exists());
    if taken {
        return Err(UserError::refused(
            format!("service `{id}` already exists"),
            "choose another id, or edit the existing file",
        )
        .into());
    }
    if let Some(policy) = &args.policy
        && !repo.policies.iter().any(|p| p.record.id.value == *policy)
    {
        let help = super::unknown_policy_help(repo, policy);
        return Err(UserError::refused(format!("no SLA policy `{policy}`"), help).into());
    }
    let entry = HistoryEntry {
        state: repo.config.stages[0].clone(),
        at: write::history_time(&args.change, context)?,
        by: write::author(root),
        note: args.change.note.clone(),
    };
    let text = template(&repo.config, args, &entry);
    let service = transition::revalidate(&file, &text)?;
    require_first_gate(repo, &service)?;
    let change = Change {
        file: file.clone(),
        original: None,
        text,
        message: format!("svc: new {id}"),
    };
    if write::apply(root, &change, &args.change)? && !context.global.quiet {
        let message = format!("created {file} in stage `{}`", repo.config.stages[0]);
        eprintln!("{}", crate::render::sanitize(&message));
    }
    Ok(ExitCode::SUCCESS)
}

/// The new service must hold its first stage's gate, as every service must hold
/// its stage's gate, so that the new file passes `svc check` (audit #9). What a
/// flag of `svc new` can supply is named with the flag.
pub(super) fn require_first_gate(repo: &crate::repo::Repo, service: &Service) -> Result<()> {
    let config = &repo.config;
    let first = &config.stages[0];
    let neighbours = Neighbours::new(config, &repo.services, &repo.incidents);
    let failures = gate_failures(config, service, first, &neighbours);
    if failures.is_empty() {
        return Ok(transition::require_loaded_records(
            config,
            service,
            first,
            &repo.doubtful(),
        )?);
    }
    let lines: Vec<String> = failures
        .iter()
        .map(|f| format!("  - {}", f.describe()))
        .collect();
    let help: Vec<String> = failures
        .iter()
        .map(|f| match f {
            GateFailure::MissingField { path, .. } => match path.as_str() {
                "policy" => "give --policy ID".to_string(),
                "description" => "give --description TEXT".to_string(),
                other => format!(
                    "svc new cannot fill `{other}`: write the file by hand, or relax `[lifecycle.gates.{first}]` in svc.toml"
                ),
            },
            GateFailure::OpenIncidents { ids, .. } => format!("resolve {}", ids.join(", ")),
            GateFailure::ActiveDependents { ids, .. } => {
                format!("retire or re-point {}", ids.join(", "))
            }
        })
        .collect();
    Err(UserError::refused(
        format!(
            "cannot create `{}` in `{first}`: {} failed\n{}",
            service.id.value,
            crate::render::count(failures.len(), "gate check", "gate checks"),
            lines.join("\n")
        ),
        help.join("; "),
    )
    .into())
}

/// The new service file: the given fields, and comments on what the gates
/// require, the first stage's included.
pub(super) fn template(config: &Config, args: &NewArgs, entry: &HistoryEntry) -> String {
    let first = &config.stages[0];
    let mut requirements: Vec<String> = Vec::new();
    for stage in &config.stages {
        if let Some(gate) = config.gates.get(stage) {
            let mut needs = gate.require.clone();
            if gate.no_open_incidents {
                needs.push("no open incidents".into());
            }
            if gate.no_active_dependents {
                needs.push("no active dependents".into());
            }
            if needs.is_empty() {
                continue;
            }
            let when = if stage == first {
                format!("in {stage} (now)")
            } else {
                format!("before {stage}")
            };
            requirements.push(format!("#   {when}: {}\n", needs.join(", ")));
        }
    }
    // No header over an empty list (audit #22).
    let requirements = if requirements.is_empty() {
        String::new()
    } else {
        format!(
            "# What the gates require (a gate keeps holding in later stages):\n{}",
            requirements.concat()
        )
    };
    let policy = match &args.policy {
        Some(p) => format!(
            "policy: {}                  # SlaPolicy id\n",
            yaml_scalar(p)
        ),
        None => "# policy: gold                # SlaPolicy id\n".to_string(),
    };
    let description = args.description.as_deref().map_or_else(
        || "# description: One sentence on what the service does.\n".to_string(),
        |d| format!("description: {}\n", yaml_scalar(d)),
    );
    format!(
        "# Service record (see docs/format.md). Move it on with `svc advance {id}`.\n\
         {requirements}\
         kind: Service\n\
         id: {id}\n\
         name: {name}\n\
         {description}\
         owner: {owner}\n\
         tier: 3                       # 1 (most critical) .. 4\n\
         {policy}\
         depends_on: []                # Service ids\n\
         contacts:\n\
         \x20 oncall:                     # the on-call address\n\
         links:\n\
         \x20 runbook:                    # URL of the runbook\n\
         \x20 dashboard:                  # URL of the main dashboard\n\
         lifecycle:\n\
         \x20 stage: {first}\n\
         \x20 history:\n\
         \x20   - {entry}\n",
        id = args.id,
        name = yaml_scalar(&args.name),
        owner = yaml_scalar(&args.owner),
        entry = entry.item(SERVICE_STAGE.entry_key).flow(true),
    )
}
