//! `svc incident open`: write `incidents/<YYYY>/<id>.yaml` for a new incident.
//! Without `--id` the id is the next of `[incidents] id_format` for the year of
//! `--at` in the repo time zone: one more than the highest sequence number any
//! incident of that year has, so a gap left by a deleted or renumbered incident
//! is never filled. The id is chosen while the session holds the repo's edit
//! lock and the file is written before the lock is released, so two opens at
//! the same moment queue up and never get one id.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use chrono::Datelike as _;

use super::{Context, at_or_now, review, tell_warnings};
use crate::cli::IncidentOpenArgs;
use crate::commands::write::{self, Change};
use crate::edit::quoting::{timestamp_scalar, yaml_scalar};
use crate::error::UserError;
use crate::model::{Config, is_valid_id};
use crate::repo::Repo;

/// Runs `svc incident open`.
pub fn run(args: &IncidentOpenArgs, context: &Context) -> Result<ExitCode> {
    // The id becomes a file name: only ids of SPEC §1, so never `/`, `\`,
    // a leading `.` (thus never `..`) or NUL.
    if let Some(id) = &args.id
        && !is_valid_id(id)
    {
        return Err(UserError::refused(
            format!("malformed incident id `{}`", id.escape_debug()),
            "ids start with a letter or digit and use only letters, digits, `.`, `_` and `-` \
             (at most 128), e.g. `INC-2026-0042`",
        )
        .into());
    }
    if args.priority.is_none() && args.impact.is_none() {
        return Err(UserError::with_help(
            "svc incident open needs a priority",
            "give --priority P, or --impact N and --urgency N for the priority matrix",
        )
        .into());
    }
    let session = write::begin(context)?;
    let (root, repo) = (&session.root, &session.repo);
    let config = &repo.config;
    let located = crate::commands::find_service(repo, &args.service)?;
    let service = &located.record;
    if service.is_in(config.terminal_stage()) {
        let successor = service
            .retirement
            .as_ref()
            .and_then(|r| r.replaced_by.as_ref())
            .map(|s| format!(" (replaced by `{}`)", s.value))
            .unwrap_or_default();
        return Err(UserError::refused(
            format!(
                "service `{}` is retired{successor}; nothing was written",
                args.service
            ),
            "open the incident on the service that runs now",
        )
        .into());
    }
    if args.impact.is_some() && config.priority_matrix.is_none() {
        return Err(UserError::refused(
            "--impact and --urgency need a `[priority] matrix` in svc.toml to give a priority",
            "give --priority P, or add the matrix to svc.toml (see docs/format.md)",
        )
        .into());
    }
    let (opened_at, at) = at_or_now(args.at.as_deref(), context, config.timezone)?;
    let year = at.with_timezone(&config.timezone).year();
    let id = match &args.id {
        Some(id) => {
            refuse_taken(repo, root, year, id)?;
            id.clone()
        }
        None => next_id(repo, root, config, year)?,
    };
    let file = path_of(year, &id);
    if !scanned(config, &file) {
        return Err(UserError::refused(
            format!("svc.toml's `include` does not list `incidents`, so svc would not read {file}"),
            "add \"incidents\" to `[repo] include` in svc.toml",
        )
        .into());
    }
    let text = template(&id, args, &opened_at);
    let what = format!("open incident `{id}`");
    let warnings = review(repo, &file, &text, &[], &what, context.now)?;
    tell_warnings(context, &warnings);
    let change = Change {
        file: file.clone(),
        original: None,
        text,
        message: format!("svc: incident open {id}"),
    };
    let done = format!("opened {id} on {} ({file})", args.service);
    if super::write(&session, &change, &args.write, context, &done)? {
        // The id on stdout, for the script or bot that opened it.
        let mut out = crate::commands::output::stdout();
        std::io::Write::write_all(&mut out, format!("{id}\n").as_bytes())?;
        std::io::Write::flush(&mut out)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Where the incident `id` opened in `year` is written.
fn path_of(year: i32, id: &str) -> String {
    format!("incidents/{year:04}/{id}.yaml")
}

/// True when `svc` reads `file`: it lies in a folder of `include`.
fn scanned(config: &Config, file: &str) -> bool {
    config
        .include
        .iter()
        .any(|folder| file.starts_with(&format!("{folder}/")))
}

/// Refuses `id` when an incident has it already: a loaded record, a file that
/// did not load, or a file at the path the new one would take.
fn refuse_taken(repo: &Repo, root: &Path, year: i32, id: &str) -> Result<(), UserError> {
    if let Some(file) = taken(repo, root, year, id) {
        return Err(UserError::refused(
            format!("incident `{id}` already exists ({file}); nothing was written"),
            "leave out --id to take the next free id, or choose another",
        ));
    }
    Ok(())
}

/// The file that holds (or may hold) incident `id`, if any.
fn taken(repo: &Repo, root: &Path, year: i32, id: &str) -> Option<String> {
    let loaded = repo
        .incidents
        .iter()
        .find(|i| i.record.id.value == id || crate::model::file_stem(&i.file) == id)
        .map(|i| i.file.clone());
    let unloaded = || {
        repo.unloaded
            .iter()
            .filter(|u| u.kind.as_deref().is_none_or(|k| k == "Incident"))
            .find(|u| crate::model::file_stem(&u.file) == id)
            .map(|u| u.file.clone())
    };
    let on_disk = || {
        ["yaml", "yml"]
            .iter()
            .map(|ext| format!("incidents/{year:04}/{id}.{ext}"))
            .find(|file| root.join(file).symlink_metadata().is_ok())
    };
    loaded.or_else(unloaded).or_else(on_disk)
}

/// The next id of `[incidents] id_format` for `year`: one more than the
/// highest sequence number of that year among the incidents (loaded or not),
/// skipping past a file already at the new path (one svc does not scan).
fn next_id(repo: &Repo, root: &Path, config: &Config, year: i32) -> Result<String, UserError> {
    let format = &config.incident_ids;
    let stems = repo
        .incidents
        .iter()
        .flat_map(|i| [i.record.id.as_str(), crate::model::file_stem(&i.file)])
        .chain(
            repo.unloaded
                .iter()
                .filter(|u| u.kind.as_deref().is_none_or(|k| k == "Incident"))
                .map(|u| crate::model::file_stem(&u.file)),
        );
    let highest = stems
        .filter_map(|id| format.sequence(id, year))
        .max()
        .unwrap_or(0);
    let mut seq = highest;
    loop {
        seq = seq.checked_add(1).ok_or_else(|| exhausted(format))?;
        let id = format.format(year, seq);
        if !is_valid_id(&id) {
            return Err(exhausted(format));
        }
        if taken(repo, root, year, &id).is_none() {
            return Ok(id);
        }
    }
}

/// The refusal when `id_format` has no next id that is a valid id.
fn exhausted(format: &crate::model::config::IdFormat) -> UserError {
    UserError::refused(
        format!(
            "`[incidents] id_format` `{}` has no next id of at most 128 characters",
            format.pattern
        ),
        "give the id with --id, or change `id_format` in svc.toml",
    )
}

/// The new incident file.
fn template(id: &str, args: &IncidentOpenArgs, opened_at: &str) -> String {
    let mut text = format!(
        "# Incident record (see docs/incidents.md). Record what happens next with\n\
         # `svc incident ack|pause|resume|resolve|close|outage {id}`.\n\
         kind: Incident\n\
         id: {id}\n\
         service: {service}\n\
         title: {title}\n",
        service = yaml_scalar(&args.service),
        title = yaml_scalar(&args.title),
    );
    match (&args.priority, args.impact, args.urgency) {
        (Some(priority), _, _) => text += &format!("priority: {}\n", yaml_scalar(priority)),
        (None, Some(impact), Some(urgency)) => {
            text += &format!("impact: {impact}\nurgency: {urgency}\n");
        }
        // clap requires --impact and --urgency together.
        _ => {}
    }
    if let Some(category) = &args.category {
        text += &format!("category: {}\n", yaml_scalar(category));
    }
    text += &format!("opened_at: {}\n", timestamp_scalar(opened_at));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_folders_in_include_are_scanned() {
        let config = Config::default();
        assert!(scanned(&config, "incidents/2026/INC-2026-0001.yaml"));
        let narrow = Config {
            include: vec!["services".into(), "incidents/2025".into()],
            ..Config::default()
        };
        assert!(!scanned(&narrow, "incidents/2026/INC-2026-0001.yaml"));
        assert!(scanned(&narrow, "incidents/2025/INC-2025-0001.yaml"));
    }
}
