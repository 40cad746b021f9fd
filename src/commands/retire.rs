//! `svc retire <id> --reason R`: fill the retirement record and move the service to
//! the terminal stage, enforcing that stage's gates on the edited record.

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use super::write::{self, Change};
use crate::cli::{RetireArgs, RetirementReason};
use crate::edit::{self, Edit, HistoryEntry, Route, SERVICE_STAGE, Scalar};
use crate::error::UserError;
use crate::lifecycle::Neighbours;
use crate::lifecycle::transition;

/// Runs `svc retire`.
pub fn run(args: &RetireArgs, context: &Context) -> Result<ExitCode> {
    let session = write::begin(context)?;
    let (root, repo) = (&session.root, &session.repo);
    let located = super::find_service(repo, &args.id)?;
    let service = &located.record;
    let config = &repo.config;
    let terminal = config.terminal_stage().to_string();
    transition::target_stage(config, service, Some(&terminal))?;
    // What retire is asked to record must hold up; when it does not, retire
    // refuses (exit 1) like a failed gate. Only an unknown service id or stage is
    // a usage error (exit 2).
    if args.reason == RetirementReason::Replaced && args.replaced_by.is_none() {
        return Err(UserError::refused(
            "--reason replaced needs --replaced-by",
            "name the service that replaces it: --replaced-by ID",
        )
        .into());
    }
    if let Some(successor) = &args.replaced_by {
        let found = super::find_service(repo, successor).map_err(|e| UserError {
            message: format!("--replaced-by {successor}: {}", e.message),
            code: 1,
            ..e
        })?;
        if found.record.is_in(&terminal) {
            return Err(UserError::refused(
                format!("the successor `{successor}` is retired itself"),
                "name a service that is still running",
            )
            .into());
        }
        if successor == &args.id {
            return Err(UserError::refused(
                "a service cannot replace itself",
                "name another service",
            )
            .into());
        }
    }
    let purged_at = args
        .purged_at
        .as_deref()
        .map(|text| write::given_timestamp("--purged-at", text))
        .transpose()?;
    let at = write::history_time(&args.change, context)?;
    transition::require_later_than_history(service, &at)?;
    let original = session.read(located)?;
    let text = String::from_utf8_lossy(&original);
    // Each given field is set in place or added, in the order a person would
    // write them; fields not given are left as they are.
    let mut fields = vec![("retirement.reason", Scalar::text(args.reason.as_str()))];
    let optional = [
        (
            "retirement.replaced_by",
            args.replaced_by.clone().map(Scalar::Text),
        ),
        (
            "retirement.data.migrated_to",
            args.migrated_to.clone().map(Scalar::Text),
        ),
        (
            "retirement.data.backup",
            args.backup.clone().map(Scalar::Text),
        ),
        (
            "retirement.data.purged_at",
            purged_at.map(Scalar::Timestamp),
        ),
    ];
    fields.extend(
        optional
            .into_iter()
            .filter_map(|(route, value)| Some((route, value?))),
    );
    let entry = HistoryEntry {
        state: terminal.clone(),
        at,
        by: write::author(root),
        note: args.change.note.clone(),
    };
    let cannot = |e| write::cannot_edit(&located.file, e);
    let mut edit = Edit::new(&text).map_err(cannot)?;
    for (route, value) in fields {
        let route: Route = route.parse().map_err(cannot)?;
        edit.set(&route, value).map_err(cannot)?;
    }
    edit::move_to_state(&mut edit, &SERVICE_STAGE, &entry).map_err(cannot)?;
    let edited = edit.finish().map_err(cannot)?;
    let retired = transition::revalidate(&located.file, &edited)?;
    let neighbours = Neighbours::new(config, &repo.services, &repo.incidents);
    transition::require_gates(config, &retired, &terminal, &neighbours)?;
    transition::require_loaded_records(config, &retired, &terminal, &repo.doubtful())?;
    let change = Change {
        file: located.file.clone(),
        original: Some(&original),
        text: edited,
        message: format!("svc: retire {}", service.id.value),
    };
    if write::apply(root, &change, &args.change)? && !context.global.quiet {
        eprintln!("retired `{}` ({})", service.id.value, args.reason.as_str());
    }
    Ok(ExitCode::SUCCESS)
}
