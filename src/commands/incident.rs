//! `svc incident` (being built; see the open issues).

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use crate::cli::IncidentArgs;
use crate::error::UserError;

/// Runs `svc incident`.
pub fn run(_args: &IncidentArgs, _context: &Context) -> Result<ExitCode> {
    Err(UserError::new("PENDING: svc incident is not built yet").into())
}
