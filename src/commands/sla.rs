//! `svc sla`: SLA compliance per service for a period, or the open incidents.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::{Context, exit_code, find_service};
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
    let mut out = super::output::stdout();
    if let Some(id) = &args.service {
        find_service(&repo, id)?;
    }
    if args.open {
        let (rows, skipped) = report::open_incidents(&repo, context.now, args.service.as_deref());
        report_skipped(&skipped, context);
        render::render_open(&mut out, &rows, context.now, format, tz)?;
        out.flush()?;
        let breached = rows.iter().any(|row| row.breached());
        return Ok(exit_code(args.fail_on_breach && breached));
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
    if !args.fail_on_breach {
        return Ok(ExitCode::SUCCESS);
    }
    // Objectives belong to a service's policy: whatever the grouping, the
    // check is whether any shown service misses one (SPEC §3.4).
    let per_service = match options.group_by {
        GroupBy::Service => None,
        _ => Some(report::build(
            &repo,
            &Options {
                group_by: GroupBy::Service,
                ..options
            },
        )),
    };
    let groups = &per_service.as_ref().unwrap_or(&report).groups;
    Ok(exit_code(groups.iter().any(|g| g.misses_objective())))
}

fn report_skipped(skipped: &[String], context: &Context) {
    if context.global.quiet {
        return;
    }
    for reason in skipped {
        eprintln!(
            "warning: left out of the figures: {}",
            crate::render::sanitize(reason)
        );
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
                "give a date like `2026-03-01` (repo time zone) or an RFC 3339 timestamp, in the years 1970 to 2099",
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
        let help = match (&args.since, &args.until) {
            (Some(_), Some(_)) => "swap the dates",
            (None, Some(_)) => {
                "give --since as well: the default starts in the month of the first incident"
            }
            _ => "give --since, or a --now after the month of the first incident",
        };
        return Err(UserError::with_help(
            format!(
                "the period is empty: it would end ({}) before it starts ({})",
                until.to_rfc3339(),
                since.to_rfc3339()
            ),
            help,
        )
        .into());
    }
    Ok(Period { since, until })
}
