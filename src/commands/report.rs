//! `svc report lifecycle`, `svc report changes` and `svc report problems`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::{Context, find_service};
use crate::cli::{
    ChangesReportArgs, LifecycleReportArgs, ProblemsReportArgs, ReportArgs, ReportFormat,
    ReportKind,
};
use crate::lifecycle::report;
use crate::render::changes as render_changes;
use crate::render::lifecycle as render;
use crate::render::problems as render_problems;
use crate::report::{changes, problems};

/// Runs `svc report`.
pub fn run(args: &ReportArgs, context: &Context) -> Result<ExitCode> {
    match &args.report {
        ReportKind::Lifecycle(options) => lifecycle(options, context),
        ReportKind::Changes(options) => changes(options, context),
        ReportKind::Problems(options) => problems(options, context),
        ReportKind::Review(options) => super::review::run(options, context),
    }
}

/// `svc report lifecycle`.
fn lifecycle(options: &LifecycleReportArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(options.format, ReportFormat::Table)?;
    let repo = context.load()?;
    context.warn_about_problems(&repo);
    let mut report = report::build(&repo, context.now);
    if options.stale {
        report.only_stale();
    }
    let mut out = super::output::stdout();
    match format {
        ReportFormat::Json => render::render_json(&mut out, &report)?,
        ReportFormat::Csv => render::render_csv(&mut out, &report)?,
        ReportFormat::Markdown => render::render_markdown(&mut out, &report)?,
        ReportFormat::Table => render::render_table(&mut out, &report, !options.stale)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `svc report changes`: the default period starts in the month of the first
/// `implemented.start`, as `svc sla`'s starts in that of the first incident.
fn changes(args: &ChangesReportArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(args.format, ReportFormat::Table)?;
    let repo = context.load()?;
    if let Some(id) = &args.service {
        find_service(&repo, id)?;
    }
    let earliest = repo
        .changes
        .iter()
        .filter_map(|c| c.record.implemented_start())
        .map(|at| at.to_utc())
        .min();
    let options = changes::Options {
        period: context.period_from(&args.period, &repo, earliest)?.period,
        now: context.now,
        service: args.service.clone(),
    };
    let left_out = context.left_out(&repo);
    let report = changes::build(&repo, &left_out, &options);
    context.report_skipped(&report.skipped);
    let tz = repo.config.timezone;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        ReportFormat::Json => render_changes::render_json(&mut out, &report, tz)?,
        ReportFormat::Csv => render_changes::render_csv(&mut out, &report, tz)?,
        ReportFormat::Markdown => render_changes::render_markdown(&mut out, &report, tz)?,
        ReportFormat::Table => render_changes::render_table(&mut out, &report, tz)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `svc report problems`.
fn problems(args: &ProblemsReportArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(args.format, ReportFormat::Table)?;
    let repo = context.load()?;
    if let Some(id) = &args.service {
        find_service(&repo, id)?;
    }
    let left_out = context.left_out(&repo);
    let report = problems::build(&repo, &left_out, context.now, args.service.as_deref());
    context.report_skipped(&report.skipped);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match format {
        ReportFormat::Json => render_problems::render_json(&mut out, &report)?,
        ReportFormat::Csv => render_problems::render_csv(&mut out, &report)?,
        ReportFormat::Markdown => render_problems::render_markdown(&mut out, &report)?,
        ReportFormat::Table => render_problems::render_table(&mut out, &report)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
