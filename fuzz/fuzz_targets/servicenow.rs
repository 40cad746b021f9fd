//! The ServiceNow import mapping (CSV or zip bytes → incidents → record
//! files) never panics and keeps its properties. The body is
//! `fuzz/harness.rs`, which the regression replay test shares.
#![no_main]

// Each target uses one of the harness functions.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::servicenow(data));
