//! `svc schema [KIND] [--output DIR]`: the JSON Schemas of SPEC §11. With a
//! kind, that schema on stdout; without one, the schema that takes a record of
//! any kind; `--output DIR` writes the files instead (every schema, or the one
//! named), as `svc init` does into `.svc/schemas/`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, Result};

use super::Context;
use crate::cli::SchemaArgs;
use crate::error::UserError;
use crate::schema::{self, Schema};

/// Runs `svc schema`.
pub fn run(args: &SchemaArgs, context: &Context) -> Result<ExitCode> {
    let chosen = match &args.kind {
        Some(name) => vec![find(name)?],
        None if args.output.is_some() => schema::all(),
        None => vec![find("record")?],
    };
    let Some(dir) = &args.output else {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for schema in &chosen {
            out.write_all(schema::to_text(schema).as_bytes())?;
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    };
    write_all(dir, &chosen)?;
    if !context.global.quiet {
        eprintln!(
            "wrote {} to {}",
            crate::render::count(chosen.len(), "schema", "schemas"),
            dir.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Writes `schemas` into `dir` (created if missing), replacing older copies.
pub fn write_all(dir: &Path, schemas: &[Schema]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for schema in schemas {
        let path = dir.join(schema.file);
        std::fs::write(&path, schema::to_text(schema))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// The schema named `name`; the kind names are matched without regard to case
/// (`service` is `Service`), and an unknown one is a usage error with a
/// did-you-mean.
fn find(name: &str) -> Result<Schema, UserError> {
    let exact = schema::NAMES
        .iter()
        .find(|known| known.eq_ignore_ascii_case(name));
    if let Some(schema) = exact.and_then(|known| schema::find(known)) {
        return Ok(schema);
    }
    let help = crate::diagnostic::suggestion(
        name,
        schema::NAMES,
        format!("name one of: {}", schema::NAMES.join(", ")),
    );
    Err(UserError::with_help(
        format!("unknown schema `{name}`"),
        help,
    ))
}
