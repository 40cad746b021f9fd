//! `svc report lifecycle`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use crate::cli::{ReportArgs, ReportKind};
use crate::lifecycle::report;
use crate::render::lifecycle as render;

/// Runs `svc report`.
pub fn run(args: &ReportArgs, context: &Context) -> Result<ExitCode> {
    let ReportKind::Lifecycle(options) = &args.report;
    let format = context.format(&["table", "json", "csv", "markdown"])?;
    let repo = context.load()?;
    context.warn_about_problems(&repo);
    let mut report = report::build(&repo, context.now);
    if options.stale {
        report.services.retain(|s| s.stale);
    }
    let mut out = super::output::stdout();
    match format {
        "json" => render::render_json(&mut out, &report)?,
        "csv" => render::render_csv(&mut out, &report)?,
        "markdown" => render::render_markdown(&mut out, &report)?,
        _ => render::render_table(&mut out, &report)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
