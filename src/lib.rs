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
pub mod lifecycle;
pub mod model;
pub mod render;
pub mod repo;
pub mod rules;
pub mod schema;
pub mod sla;
pub mod yaml;

use std::io::Write;
use std::process::ExitCode;

pub use commands::run;

/// Prints a failure on stderr as `error:` / `caused by:` / `help:` and returns
/// its exit code (2 unless it is a refusal). A closed stdout (`svc list incidents | head -1`) ends quietly.
pub fn report_error(error: &anyhow::Error) -> ExitCode {
    let broken_pipe = error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    });
    if broken_pipe {
        return ExitCode::SUCCESS;
    }
    // Messages quote ids and values from records and the command line; none of
    // them may drive the terminal.
    let clean = |text: String| {
        text.split('\n')
            .map(|line| render::sanitize(line).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    };
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
