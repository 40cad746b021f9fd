//! svc: a local-first ITSM toolkit. This crate holds the whole program; `main.rs`
//! only parses the command line and calls [`run`].
//!
//! Data flows one way: files → positioned YAML trees → typed model → rules /
//! lifecycle → plain results → renderers.

pub mod cli;
pub mod commands;
pub mod diagnostic;
pub mod edit;
pub mod error;
pub mod export;
pub mod import;
pub mod lifecycle;
pub mod model;
pub mod render;
pub mod repo;
pub mod report;
pub mod rules;
pub mod schema;
pub mod sla;
pub mod yaml;

use std::io::Write;
use std::process::ExitCode;

pub use commands::run;

/// Prints a failure on stderr as `error:` / `caused by:` / `help:` and returns
/// its exit code (2 unless it is a refusal). A closed stdout never gets here:
/// commands write their result through `commands::output`, which ends the
/// output quietly and keeps the command's own exit code (issue 11, finding 7).
/// Should a broken pipe still arrive, it is an error like any other: mapping it
/// to success once let `svc check | head -c1` pass a broken repo in CI.
pub fn report_error(error: &anyhow::Error) -> ExitCode {
    // Messages quote ids and values from records and the command line; none of
    // them may drive the terminal.
    let clean = |text: String| render::sanitize_lines(&text).into_owned();
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "error: {}", clean(error.to_string()));
    for cause in error.chain().skip(1) {
        let _ = writeln!(stderr, "  caused by: {}", clean(cause.to_string()));
    }
    let user_error = error.downcast_ref::<error::UserError>();
    if let Some(help) = user_error.and_then(|e| e.help.as_ref()) {
        let _ = writeln!(stderr, "  help: {}", clean(help.clone()));
    }
    ExitCode::from(user_error.map_or(2, |e| e.code))
}
