//! `svc sla`: SLA compliance per service for a period, or the open incidents.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::{Context, exit_code};
use crate::cli::{SlaArgs, SlaGroupBy};
use crate::error::UserError;
use crate::render::sla as render;
use crate::repo::Repo;
use crate::sla::period::{self, Period};
use crate::sla::report::{self, GroupBy, Options};

/// Runs `svc sla`.
pub fn run(args: &SlaArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(&["table", "json", "csv", "markdown"])?;
    let repo = context.load()?;
    let tz = repo.config.timezone;
    context.warn_about_problems(&repo);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.open {
        let (rows, skipped) = report::open_incidents(&repo, context.now, args.service.as_deref());
        report_skipped(&skipped, context);
        render::render_open(&mut out, &rows, context.now, format, tz)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let options = Options {
        period: resolve_period(args, &repo, context)?,
        now: context.now,
        group_by: match args.group_by {
            SlaGroupBy::Service => GroupBy::Service,
            SlaGroupBy::Policy => GroupBy::Policy,
            SlaGroupBy::Owner => GroupBy::Owner,
            SlaGroupBy::Priority => GroupBy::Priority,
        },
        service: args.service.clone(),
    };
    let report = report::build(&repo, &options);
    report_skipped(&report.skipped, context);
    match format {
        "json" => render::render_json(&mut out, &report, tz)?,
        "csv" => render::render_csv(&mut out, &report, args.detail)?,
        "markdown" => render::render_markdown(&mut out, &report, tz, args.detail)?,
        _ => render::render_table(&mut out, &report, tz, args.detail, context.color())?,
    }
    out.flush()?;
    let missed = report.groups.iter().any(|g| g.misses_objective());
    Ok(exit_code(args.fail_on_breach && missed))
}

fn report_skipped(skipped: &[String], context: &Context) {
    if context.global.quiet {
        return;
    }
    for reason in skipped {
        eprintln!("warning: left out of the figures: {reason}");
    }
}

fn resolve_period(args: &SlaArgs, repo: &Repo, context: &Context) -> Result<Period> {
    let tz = repo.config.timezone;
    if let Some(text) = &args.period {
        let (first, end) = period::parse_period(text).ok_or_else(|| {
            UserError::with_help(
                format!("invalid --period `{text}`"),
                "use a month `2026-03`, a quarter `2026-Q1`, an ISO week `2026-W09` or a year `2026`",
            )
        })?;
        return Ok(Period {
            since: period::start_of_day(first, tz),
            until: period::start_of_day(end, tz),
        });
    }
    let instant = |flag: &str, text: &str| {
        period::parse_instant(text, tz).ok_or_else(|| {
            UserError::with_help(
                format!("invalid {flag} `{text}`"),
                "give a date like `2026-03-01` (repo time zone) or an RFC 3339 timestamp",
            )
        })
    };
    let since = match &args.since {
        Some(text) => instant("--since", text)?,
        None => {
            let earliest = repo
                .incidents
                .iter()
                .map(|i| i.record.opened_at.value.to_utc())
                .min();
            period::month_start(earliest.unwrap_or(context.now), tz)
        }
    };
    let until = match &args.until {
        Some(text) => instant("--until", text)?,
        None => context.now,
    };
    if until <= since {
        return Err(UserError::with_help(
            "the period is empty: --until is not after --since",
            "swap the dates",
        )
        .into());
    }
    Ok(Period { since, until })
}
