//! `svc problem` (being built; see the open issues).

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use crate::cli::ProblemArgs;
use crate::error::UserError;

/// Runs `svc problem`.
pub fn run(_args: &ProblemArgs, _context: &Context) -> Result<ExitCode> {
    Err(UserError::new("PENDING: svc problem is not built yet").into())
}
