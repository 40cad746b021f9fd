//! Behaviour tests through the `svc` binary, one module per area.

// Test helpers may panic: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod boundary;
mod change;
mod change_report;
mod check;
mod checker;
mod ci;
mod common;
mod editors;
mod export;
mod first_hour;
/// The fuzz targets' bodies, to replay their regression inputs.
#[path = "../../fuzz/harness.rs"]
mod harness;
mod import;
mod incident;
mod lifecycle;
mod output_safety;
mod problem;
mod problem_report;
mod record_rules;
mod reliability;
mod review;
mod scale;
mod show;
mod sla;
