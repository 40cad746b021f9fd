//! `svc completions <shell>` and `svc man [--output DIR]`: both are generated
//! from the clap definitions in `cli.rs`, so a new flag or command reaches the
//! shell and the man pages without anyone writing it twice.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs, Shell};

/// Runs `svc completions`: prints the script for the shell on stdout.
pub fn run_completions(args: &CompletionsArgs) -> Result<ExitCode> {
    let shell = match args.shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
        Shell::Powershell => clap_complete::Shell::PowerShell,
    };
    let mut command = Cli::command();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    clap_complete::generate(shell, &mut command, "svc", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Runs `svc man`: `svc.1` on stdout, or with `--output DIR` one page per
/// command (`svc.1`, `svc-check.1`, `svc-report-lifecycle.1`, ...) in DIR.
pub fn run_man(args: &ManArgs) -> Result<ExitCode> {
    let command = Cli::command();
    let Some(dir) = &args.output else {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        clap_mangen::Man::new(command).render(&mut out)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    clap_mangen::generate_to(command, dir)
        .with_context(|| format!("cannot write man pages into {}", dir.display()))?;
    Ok(ExitCode::SUCCESS)
}
