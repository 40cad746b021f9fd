//! `svc check`: load the repo, run every rule, report every problem.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::{Context, exit_code};
use crate::cli::CheckArgs;
use crate::diagnostic::Severity;
use crate::render::{github, human, json};
use crate::repo;

/// Runs `svc check`.
pub fn run(args: &CheckArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(&["human", "json", "github"])?;
    let repo = context.load()?;
    let mut diagnostics = crate::rules::check(&repo, context.now);
    if let Some(since) = &args.changed_since {
        let changed = repo::changed_files(&repo.root, since, context.global.rev.as_deref())?;
        diagnostics.retain(|d| changed.contains(&d.file));
    }
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let mut out = super::output::stdout();
    match format {
        "json" => json::diagnostics(&mut out, &diagnostics)?,
        "github" => github::render(&mut out, &diagnostics)?,
        _ => {
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
