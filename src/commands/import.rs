//! `svc import` (being built; see the open issues).

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use crate::cli::ImportArgs;
use crate::error::UserError;

/// Runs `svc import`.
pub fn run(_args: &ImportArgs, _context: &Context) -> Result<ExitCode> {
    Err(UserError::new("PENDING: svc import is not built yet").into())
}
