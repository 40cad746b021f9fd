//! The edits of the incident and change commands on any text. The body is
//! `fuzz/harness.rs`, which the regression replay test shares.
#![no_main]

// Each target uses one of the harness functions.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::record_edit(data));
