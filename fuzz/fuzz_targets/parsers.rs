//! The small parsers of user input never panic. The body is
//! `fuzz/harness.rs`, which the regression replay test shares.
#![no_main]

// Each target uses one of the harness functions.
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::parsers(data));
