//! Any bytes as a record file: decoding and every check rule must finish without
//! a panic, whatever the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use svc::model::{Config, decode_file};
use svc::repo::{Repo, Source};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for file in [
        "services/x.yaml",
        "policies/x.yaml",
        "calendars/x.yaml",
        "incidents/x.yaml",
    ] {
        let (record, diagnostics) = decode_file(file, text);
        let mut repo = Repo {
            root: std::path::PathBuf::from("/nonexistent"),
            source: Source::WorkTree,
            config: Config::default(),
            services: Vec::new(),
            policies: Vec::new(),
            calendars: Vec::new(),
            incidents: Vec::new(),
            diagnostics,
            unloaded: Vec::new(),
            files: 1,
        };
        if let Some(record) = record {
            repo.add(file.to_string(), record, 0);
        }
        let now = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        let _ = svc::rules::check(&repo, now);
    }
});
