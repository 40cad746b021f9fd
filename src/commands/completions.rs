//! `svc completions` and `svc man` (being built).

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{CompletionsArgs, ManArgs};
use crate::error::UserError;

/// Runs `svc completions`.
pub fn run_completions(_args: &CompletionsArgs) -> Result<ExitCode> {
    Err(UserError::new("PENDING: svc completions is not built yet").into())
}

/// Runs `svc man`.
pub fn run_man(_args: &ManArgs) -> Result<ExitCode> {
    Err(UserError::new("PENDING: svc man is not built yet").into())
}
