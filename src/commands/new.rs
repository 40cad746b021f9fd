//! `svc new <id>`: write `services/<id>.yaml` in the first stage, from a commented
//! template that says what the later gates will require.

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use super::change::{self, Change};
use crate::cli::NewArgs;
use crate::edit::yaml_scalar;
use crate::error::UserError;
use crate::lifecycle::transition;
use crate::model::{Config, is_kebab_id};

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
    let session = change::begin(context)?;
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
        let ids = repo.policies.iter().map(|p| p.record.id.as_str());
        let help = match crate::diagnostic::did_you_mean(policy, ids) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "run `svc list policies` to see the ids".to_string(),
        };
        return Err(UserError::refused(format!("no SLA policy `{policy}`"), help).into());
    }
    let at = change::history_time(&args.change, context)?;
    let text = template(&repo.config, args, &at, &change::author(root));
    transition::revalidate(&file, &text)?;
    std::fs::create_dir_all(root.join("services"))?;
    let change = Change {
        file: file.clone(),
        original: None,
        text,
        message: format!("svc: new {id}"),
    };
    if change::apply(root, &change, &args.change)? && !context.global.quiet {
        eprintln!("created {file} in stage `{}`", repo.config.stages[0]);
    }
    Ok(ExitCode::SUCCESS)
}

/// The new service file: the given fields, and commented placeholders for what the
/// gates of later stages require.
fn template(config: &Config, args: &NewArgs, at: &str, by: &str) -> String {
    let first = &config.stages[0];
    let mut requirements: Vec<String> = Vec::new();
    for stage in &config.stages[1..] {
        if let Some(gate) = config.gates.get(stage) {
            let mut needs = gate.require.clone();
            if gate.no_open_incidents {
                needs.push("no open incidents".into());
            }
            if gate.no_active_dependents {
                needs.push("no active dependents".into());
            }
            if !needs.is_empty() {
                requirements.push(format!("#   before {stage}: {}", needs.join(", ")));
            }
        }
    }
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
         # Fill in what the gates of later stages require:\n\
         {requirements}\n\
         kind: Service\n\
         id: {id}\n\
         name: {name}\n\
         {description}\
         owner: {owner}\n\
         tier: 3                       # 1 (most critical) .. 4\n\
         {policy}\
         depends_on: []                # Service ids\n\
         contacts:\n\
         \x20 oncall:                      # the on-call address\n\
         links:\n\
         \x20 runbook:                     # URL of the runbook\n\
         \x20 dashboard:                   # URL of the main dashboard\n\
         lifecycle:\n\
         \x20 stage: {first}\n\
         \x20 history:\n\
         \x20   - {{ stage: {first}, at: {at}, by: {by} }}\n",
        id = args.id,
        requirements = requirements.join("\n"),
        name = yaml_scalar(&args.name),
        owner = yaml_scalar(&args.owner),
        by = yaml_scalar(by),
    )
}
