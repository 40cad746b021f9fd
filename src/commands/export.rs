//! `svc export incidents` and `svc export backstage` (SPEC §10): the builders in
//! `export`, the renderers in `render::export` and `render::backstage`; this
//! file loads the repo, picks the period and the format, and streams the result.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use crate::cli::{ExportArgs, ExportFormat, ExportIncidentsArgs, ExportKind};
use crate::error::UserError;
use crate::export::{backstage, incidents};
use crate::render::backstage as render_backstage;
use crate::render::export as render;

/// Runs `svc export`.
pub fn run(args: &ExportArgs, context: &Context) -> Result<ExitCode> {
    match &args.what {
        ExportKind::Incidents(args) => run_incidents(args, context),
        ExportKind::Backstage => run_backstage(context),
    }
}

/// `svc export incidents`: the incidents `svc sla` counts for the period, one
/// row each, and on stderr what it left out, as `svc sla` says it.
fn run_incidents(args: &ExportIncidentsArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(args.format, ExportFormat::Jsonl)?;
    let repo = context.load()?;
    let period = context.period(&args.period, &repo)?.period;
    let left_out = context.left_out(&repo);
    let export = incidents::build(&repo.records, &left_out, period, context.now);
    context.report_skipped(&export.skipped);
    let mut out = super::output::stdout();
    match format {
        ExportFormat::Jsonl => render::render_jsonl(&mut out, &export)?,
        ExportFormat::Csv => render::render_csv(&mut out, &export)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `svc export backstage`: one YAML stream of `Component` entities. Its only
/// format is YAML; a `--format` before the command must name it.
fn run_backstage(context: &Context) -> Result<ExitCode> {
    if let Some(given) = context.global.format.as_deref().filter(|f| *f != "yaml") {
        return Err(UserError::with_help(
            format!("unknown format `{given}` for this command"),
            "use one of: yaml",
        )
        .into());
    }
    let repo = context.load()?;
    let left_out = context.left_out(&repo);
    let catalog = backstage::build(&repo.records, &left_out);
    context.report_skipped(&catalog.skipped);
    let mut out = super::output::stdout();
    render_backstage::render(&mut out, &catalog)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
