//! `svc report review` (SPEC §9): the service review pack as HTML, Markdown or
//! JSON, to stdout or written atomically to `--output`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::{Context, find_service};
use crate::cli::{ReviewArgs, ReviewFormat};
use crate::error::UserError;
use crate::render::review::{html, json, markdown, view};
use crate::report::review::{self, Options};

/// The longest trend: a thousand periods (19 years of weeks) is more than any
/// review shows, and keeps a mistyped `--trend 4000000000` from building
/// billions of periods.
pub const MAX_TREND: u32 = 1000;

/// Runs `svc report review`.
pub fn run(args: &ReviewArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(args.format, ReviewFormat::Html)?;
    if args.trend > MAX_TREND {
        return Err(UserError::with_help(
            format!("--trend {} is too long", args.trend),
            format!("the trend shows at most {MAX_TREND} earlier periods"),
        )
        .into());
    }
    let repo = context.load()?;
    if let Some(id) = &args.service {
        find_service(&repo, id)?;
    }
    let tz = repo.config.timezone;
    let resolved = context.period(&args.period, &repo)?;
    let options = Options {
        period: resolved.period,
        earlier: resolved.earlier(args.trend, tz),
        now: context.now,
        service: args.service.clone(),
    };
    let left_out = context.left_out(&repo);
    let review = review::build(&repo, &left_out, &options);
    context.report_skipped(&review.skipped);
    let mut bytes = Vec::new();
    match format {
        ReviewFormat::Json => json::render(&mut bytes, &review, tz)?,
        ReviewFormat::Markdown => {
            markdown::render(&mut bytes, &view::page(&review, repo_name(&repo), tz))?;
        }
        ReviewFormat::Html => {
            html::render(&mut bytes, &view::page(&review, repo_name(&repo), tz))?;
        }
    }
    match &args.output {
        Some(path) => crate::edit::write_atomic(path, &bytes).map_err(|e| {
            UserError::with_help(
                format!("cannot write {}: {e}", path.display()),
                "check that the folder exists and is writable",
            )
        })?,
        None => {
            let mut out = super::output::stdout();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The repo's name for the page title: `[repo] name`, else the root folder's.
fn repo_name(repo: &crate::repo::Repo) -> &str {
    repo.config
        .name
        .as_deref()
        .or_else(|| repo.root.file_name().and_then(|n| n.to_str()))
        .unwrap_or("svc")
}
