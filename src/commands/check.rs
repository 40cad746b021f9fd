//! `svc check`: load the repo, run every rule, report every problem.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::{Context, exit_code};
use crate::cli::{CheckArgs, CheckFormat};
use crate::diagnostic::Severity;
use crate::render::{github, human, json, junit, sarif};
use crate::repo;

/// Runs `svc check`.
pub fn run(args: &CheckArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(args.format, CheckFormat::Human)?;
    let repo = context.load()?;
    let mut diagnostics = crate::rules::check(&repo, context.now);
    let mut files = repo.files_checked();
    if let Some(since) = &args.changed_since {
        let changed = repo::changed_files(&repo.root, since, context.global.rev.as_deref())?;
        diagnostics.retain(|d| changed.contains(&d.file));
        files.retain(|f| changed.contains(*f));
    }
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let mut out = super::output::stdout();
    match format {
        CheckFormat::Json => json::diagnostics(&mut out, &diagnostics)?,
        CheckFormat::Github => github::render(&mut out, &diagnostics)?,
        CheckFormat::Junit => junit::render(&mut out, &files, &diagnostics)?,
        CheckFormat::Sarif => sarif::render(&mut out, &diagnostics)?,
        CheckFormat::Human => {
            let mut sources = HashMap::new();
            for d in &diagnostics {
                if !sources.contains_key(&d.file)
                    && let Some(text) = repo.read_text(&d.file)
                {
                    sources.insert(d.file.clone(), human::SourceText::new(text));
                }
            }
            let style = human::Style {
                color: context.color(),
            };
            human::render(
                &mut out,
                &diagnostics,
                &sources,
                repo.files,
                style,
                context.global.quiet,
            )?;
        }
    }
    out.flush()?;
    Ok(exit_code(failed))
}
