//! Behaviour tests through the `svc` binary, one module per area.

// Test helpers may panic: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod check;
mod ci;
mod common;
mod editors;
mod first_hour;
/// The fuzz targets' bodies, to replay their regression inputs.
#[path = "../../fuzz/harness.rs"]
mod harness;
mod lifecycle;
mod reliability;
mod sla;
