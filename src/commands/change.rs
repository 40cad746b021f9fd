//! `svc change` (being built; see the open issues).

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use crate::cli::ChangeCommandArgs;
use crate::error::UserError;

/// Runs `svc change`.
pub fn run(_args: &ChangeCommandArgs, _context: &Context) -> Result<ExitCode> {
    Err(UserError::new("PENDING: svc change is not built yet").into())
}
