//! `svc report lifecycle`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use crate::cli::{ReportArgs, ReportFormat, ReportKind};
use crate::lifecycle::report;
use crate::render::lifecycle as render;

/// Runs `svc report`.
pub fn run(args: &ReportArgs, context: &Context) -> Result<ExitCode> {
    let options = match &args.report {
        ReportKind::Lifecycle(options) => options,
        ReportKind::Changes(_) | ReportKind::Problems(_) | ReportKind::Review(_) => {
            return Err(crate::error::UserError::new("PENDING: report not built yet").into());
        }
    };
    let format = context.format(options.format, ReportFormat::Table)?;
    let repo = context.load()?;
    context.warn_about_problems(&repo);
    let mut report = report::build(&repo, context.now);
    if options.stale {
        report.only_stale();
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        ReportFormat::Json => render::render_json(&mut out, &report)?,
        ReportFormat::Csv => render::render_csv(&mut out, &report)?,
        ReportFormat::Markdown => render::render_markdown(&mut out, &report)?,
        ReportFormat::Table => render::render_table(&mut out, &report, !options.stale)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
