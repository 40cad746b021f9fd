//! `svc export` (being built; see the open issues).

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use crate::cli::ExportArgs;
use crate::error::UserError;

/// Runs `svc export`.
pub fn run(_args: &ExportArgs, _context: &Context) -> Result<ExitCode> {
    Err(UserError::new("PENDING: svc export is not built yet").into())
}
