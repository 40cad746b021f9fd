//! The `svc` binary: parse the command line, run, exit with SPEC §5's code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = svc::cli::Cli::parse();
    match svc::run(cli) {
        Ok(code) => code,
        Err(error) => svc::report_error(&error),
    }
}
