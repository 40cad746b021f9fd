//! `svc schema` (being built; see the open issues).

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use crate::cli::SchemaArgs;
use crate::error::UserError;

/// Runs `svc schema`.
pub fn run(_args: &SchemaArgs, _context: &Context) -> Result<ExitCode> {
    Err(UserError::new("PENDING: svc schema is not built yet").into())
}
