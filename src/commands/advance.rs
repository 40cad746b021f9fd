//! `svc advance <id> [--to STAGE]`: move a service forward, checking every gate on
//! the way, and append one history entry in the file's own style.

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use super::write::{self, Change};
use crate::cli::AdvanceArgs;
use crate::edit::{self, Edit, HistoryEntry, SERVICE_STAGE};
use crate::lifecycle::Neighbours;
use crate::lifecycle::transition;

/// Runs `svc advance`.
pub fn run(args: &AdvanceArgs, context: &Context) -> Result<ExitCode> {
    let session = write::begin(context)?;
    let (root, repo) = (&session.root, &session.repo);
    let located = super::find_service(repo, &args.id)?;
    let service = &located.record;
    let config = &repo.config;
    let target = transition::target_stage(config, service, args.to.as_deref())?;
    let neighbours = Neighbours::new(config, &repo.services, &repo.incidents);
    transition::require_gates(config, service, &target, &neighbours)?;
    transition::require_loaded_records(config, service, &target, &repo.doubtful())?;
    let at = write::history_time(&args.change, context)?;
    transition::require_later_than_history(service, &at)?;
    let original = session.read(located)?;
    let text = String::from_utf8_lossy(&original);
    let entry = HistoryEntry {
        state: target.clone(),
        at,
        by: write::author(root),
        note: args.change.note.clone(),
    };
    let cannot = |e| write::cannot_edit(&located.file, e);
    let mut edit = Edit::new(&text).map_err(cannot)?;
    edit::move_to_state(&mut edit, &SERVICE_STAGE, &entry).map_err(cannot)?;
    let edited = edit.finish().map_err(cannot)?;
    transition::revalidate(&located.file, &edited)?;
    let change = Change {
        file: located.file.clone(),
        original: Some(&original),
        text: edited,
        message: format!("svc: advance {} to {target}", service.id.value),
    };
    if write::apply(root, &change, &args.change)? && !context.global.quiet {
        // Stage names come from svc.toml and the record: escaped like any output.
        let message = format!(
            "advanced `{}` from `{}` to `{target}`",
            service.id.value,
            service.stage_name().unwrap_or("-")
        );
        eprintln!("{}", crate::render::sanitize(&message));
    }
    Ok(ExitCode::SUCCESS)
}
