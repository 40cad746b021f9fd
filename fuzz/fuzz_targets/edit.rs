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
    // A stage value that spans lines (`stage:` then the value on the next line,
    // a block scalar, a wrapped scalar) is replaced with all its lines.
    let stage_breaks = stage_line_breaks(text, &before).unwrap_or(0);
    assert!(
        removed <= 2 + stage_breaks,
        "more than the stage lines and one history line changed:\n{text}\n---\n{edited}"
    );
});

/// How many LFs lie between the `stage` key and the end of its value.
fn stage_line_breaks(text: &str, service: &svc::model::Service) -> Option<usize> {
    let key = service
        .document
        .get("lifecycle")?
        .as_map()?
        .iter()
        .find(|(k, _)| k.as_str() == Some("stage"))?
        .0
        .pos;
    let spans = svc::yaml::scalar_spans(text).ok()?;
    let start = spans.iter().find(|s| s.start == key)?.start_char;
    let end = spans
        .iter()
        .find(|s| s.start == service.stage.pos)?
        .end_char;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Some(
        text.chars()
            .skip(start)
            .take(end.saturating_sub(start))
            .filter(|&c| c == '\n')
            .count(),
    )
}
