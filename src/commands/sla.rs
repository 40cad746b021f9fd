//! `svc sla`: SLA compliance per service for a period, or the open incidents.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::{Context, exit_code, find_service};
use crate::cli::{ReportFormat, SlaArgs, SlaGroupBy};
use crate::render::sla as render;
use crate::sla::report::{self, GroupBy, Options};

/// Runs `svc sla`.
pub fn run(args: &SlaArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(args.format, ReportFormat::Table)?;
    let repo = context.load()?;
    let tz = repo.config.timezone;
    if let Some(id) = &args.service {
        find_service(&repo, id)?;
    }
    let left_out = context.left_out(&repo);
    let mut out = super::output::stdout();
    if args.open {
        let (rows, skipped) =
            report::open_incidents(&repo, &left_out, context.now, args.service.as_deref());
        context.report_skipped(&skipped);
        render::render_open(&mut out, &rows, context.now, format, tz)?;
        out.flush()?;
        let breached = rows.iter().any(|row| row.breached());
        return Ok(exit_code(args.fail_on_breach && breached));
    }
    let options = Options {
        period: context.period(&args.period, &repo)?.period,
        now: context.now,
        group_by: match args.group_by {
            SlaGroupBy::Service => GroupBy::Service,
            SlaGroupBy::Policy => GroupBy::Policy,
            SlaGroupBy::Owner => GroupBy::Owner,
            SlaGroupBy::Priority => GroupBy::Priority,
        },
        service: args.service.clone(),
    };
    let report = report::build(&repo, &left_out, &options);
    context.report_skipped(&report.skipped);
    if !report.unevaluated.is_empty() && !context.global.quiet {
        let services: std::collections::BTreeSet<&str> =
            report.unevaluated.iter().map(|(_, s)| *s).collect();
        let services: Vec<&str> = services.into_iter().collect();
        eprintln!(
            "note: {} of {} with no SLA policy counted in the figures but not evaluated",
            crate::render::count(report.unevaluated.len(), "incident", "incidents"),
            crate::render::sanitize(&services.join(", "))
        );
    }
    match format {
        ReportFormat::Json => render::render_json(&mut out, &report, tz)?,
        ReportFormat::Csv => render::render_csv(&mut out, &report, args.detail)?,
        ReportFormat::Markdown => render::render_markdown(&mut out, &report, tz, args.detail)?,
        ReportFormat::Table => {
            render::render_table(&mut out, &report, tz, args.detail, context.color())?;
        }
    }
    out.flush()?;
    if !args.fail_on_breach {
        return Ok(ExitCode::SUCCESS);
    }
    // Objectives belong to a service's policy: whatever the grouping, the
    // check is whether any shown service misses one (SPEC §3.4).
    let per_service = match options.group_by {
        GroupBy::Service => None,
        _ => Some(report::build(
            &repo,
            &left_out,
            &Options {
                group_by: GroupBy::Service,
                ..options
            },
        )),
    };
    let groups = &per_service.as_ref().unwrap_or(&report).groups;
    Ok(exit_code(groups.iter().any(|g| g.misses_objective())))
}
