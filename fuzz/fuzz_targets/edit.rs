//! The edit path: for any text that decodes as a service, `advance_stage` either
//! refuses or returns text that still decodes, has the new stage and one more
//! history entry, and differs from the input only in the edited lines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use svc::edit::{HistoryEntry, advance_stage};
use svc::model::{Record, decode_file};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some(Record::Service(before)) = decode_file("services/x.yaml", text).0 else {
        return;
    };
    let entry = HistoryEntry {
        stage: "deprecated".into(),
        at: "2026-10-01T09:00:00Z".into(),
        by: "fuzz@example.com".into(),
        note: Some("a: b, #c".into()),
    };
    let Ok(edited) = advance_stage(text, "deprecated", &entry) else {
        return;
    };
    let Some(Record::Service(after)) = decode_file("services/x.yaml", &edited).0 else {
        panic!("the edited text no longer decodes as a service:\n{edited}");
    };
    assert_eq!(after.stage.value, "deprecated", "{edited}");
    assert_eq!(after.history.len(), before.history.len() + 1, "{edited}");
    // Lines as the editor sees them: split at LF only (a bare CR inside a line is
    // a YAML line break, but the editor replaces such a value as a whole).
    let old: Vec<&str> = text.split('\n').collect();
    let new: Vec<&str> = edited.split('\n').collect();
    let removed = similar::TextDiff::from_slices(&old, &new)
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Delete)
        .count();
    assert!(
        removed <= 2,
        "more than the stage line and one history line changed:\n{text}\n---\n{edited}"
    );
});
