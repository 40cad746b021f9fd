//! The bodies of the fuzz targets, shared with the test that replays the inputs
//! once found to crash them (`tests/cli/reliability.rs`,
//! `fuzz_regressions_do_not_crash`), so a regression input is run through
//! exactly the code and the property it broke. Each function panics when the
//! property fails.

use svc::edit::{
    CHANGE_STATE, Edit, EditError, HistoryEntry, Item, Route, SERVICE_STAGE, Scalar, move_to_state,
};
use svc::model::{Record, Records, decode_file};

/// Any bytes as each kind of record file: decoding, every check rule, the SLA
/// report, the lifecycle report and every other report and export (changes,
/// problems, the review, incidents and Backstage, in each format) finish
/// without a panic.
pub fn record(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let now = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
    for file in [
        "services/x.yaml",
        "policies/x.yaml",
        "calendars/x.yaml",
        "incidents/x.yaml",
        "changes/x.yaml",
        "problems/x.yaml",
    ] {
        let (record, diagnostics) = decode_file(file, text);
        let mut records = Records {
            diagnostics,
            files: 1,
            ..Records::default()
        };
        if let Some(record) = record {
            records.add(file.to_string(), record, 0);
        }
        let all = svc::rules::check(&records, now);
        let left_out = svc::sla::skip::LeftOut::new(&records, &all);
        let period = svc::sla::period::Period {
            since: chrono::DateTime::from_timestamp(0, 0).unwrap_or_default(),
            until: now,
        };
        let options = svc::sla::report::Options {
            period,
            now,
            group_by: svc::sla::report::GroupBy::Service,
            service: None,
        };
        let _ = svc::sla::report::build(&records, &left_out, &options);
        let _ = svc::sla::report::open_incidents(&records, &left_out, now, None);
        let _ = svc::lifecycle::report::build(&records, now);
        reports(&records, &left_out, period, now);
    }
}

/// The reports and exports of every command that reads records, rendered in
/// every format into a sink: none may panic on whatever decoded.
fn reports(
    records: &Records,
    left_out: &svc::sla::skip::LeftOut,
    period: svc::sla::period::Period,
    now: chrono::DateTime<chrono::Utc>,
) {
    use svc::render;
    let tz = records.config.timezone;
    let mut sink = std::io::sink();
    let changes = svc::report::changes::build(
        records,
        left_out,
        &svc::report::changes::Options {
            period,
            now,
            service: None,
        },
    );
    let _ = render::changes::render_json(&mut sink, &changes, tz);
    let _ = render::changes::render_markdown(&mut sink, &changes, tz);
    let problems = svc::report::problems::build(records, left_out, now, None);
    let _ = render::problems::render_json(&mut sink, &problems);
    let earlier = svc::sla::period::Period {
        since: period.since - chrono::Duration::days(30),
        until: period.since,
    };
    let review = svc::report::review::build(
        records,
        left_out,
        &svc::report::review::Options {
            period,
            earlier: vec![earlier],
            now,
            service: None,
        },
    );
    let _ = render::review::json::render(&mut sink, &review, tz);
    let page = render::review::view::page(&review, "fuzz", tz);
    let _ = render::review::html::render(&mut sink, &page);
    let _ = render::review::markdown::render(&mut sink, &page);
    let export = svc::export::incidents::build(records, left_out, period, now);
    let _ = render::export::render_jsonl(&mut sink, &export);
    let _ = render::export::render_csv(&mut sink, &export);
    let catalog = svc::export::backstage::build(records, left_out);
    let _ = render::backstage::render(&mut sink, &catalog);
}

/// Any string through the small parsers of user input: durations, working
/// ranges, report periods, instants, timestamps and percentages never panic.
pub fn parsers(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = svc::model::decode::parse_duration(text);
    let _ = svc::model::calendar::parse_range(text);
    let _ = svc::sla::period::parse_period(text);
    let _ = svc::sla::period::parse_instant(text, chrono_tz::Tz::Europe__Berlin);
    let document = format!("at: {text}\n");
    if let Ok(Some(node)) = svc::yaml::parse_document(&document)
        && let Some(value) = node.get("at")
    {
        let mut decoder = svc::model::decode::Decoder::new("f.yaml");
        let _ = decoder.timestamp(value, "at");
        let _ = decoder.duration(value, "at");
        let _ = decoder.percent(value, "at");
    }
}

/// The stage move of `svc advance` through the editor.
fn advance_stage(text: &str, entry: &HistoryEntry) -> Result<String, EditError> {
    let mut edit = Edit::new(text)?;
    move_to_state(&mut edit, &SERVICE_STAGE, entry)?;
    edit.finish()
}

/// For any text that decodes as a service, the stage move either refuses or
/// returns text that decodes, has the new stage and one more history entry,
/// and differs from the input only in the edited lines: the stage value's
/// lines, at most one history line that gains an inserted piece (a flow list
/// gaining `, { ... }`) or loses the null the entry replaces (`history: ~`),
/// and the lines of the new entry.
pub fn edit(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The commands move only records free of errors (a record with errors is
    // refused: "run svc check"), so a partly decoded service is not a case.
    let (Some(Record::Service(before)), diagnostics) = decode_file("services/x.yaml", text) else {
        return;
    };
    if diagnostics
        .iter()
        .any(|d| d.severity == svc::diagnostic::Severity::Error)
    {
        return;
    }
    let entry = HistoryEntry {
        state: "deprecated".into(),
        at: "2026-10-01T09:00:00Z".into(),
        by: "fuzz@example.com".into(),
        note: Some("a: b, #c".into()),
    };
    let Ok(edited) = advance_stage(text, &entry) else {
        return;
    };
    let Some(Record::Service(after)) = decode_file("services/x.yaml", &edited).0 else {
        panic!("the edited text no longer decodes as a service:\n{edited}");
    };
    assert_eq!(after.stage_name(), Some("deprecated"), "{edited}");
    assert_eq!(
        after.history().len(),
        before.history().len() + 1,
        "{edited}"
    );
    let last = after.history().last().map(|h| h.state.value.as_str());
    assert_eq!(last, Some("deprecated"), "{edited}");
    // A bare CR is a line break to YAML but not to a split at LF, so the line
    // numbers below would disagree; the checks above still hold.
    if text.replace("\r\n", "\n").contains('\r') {
        return;
    }
    let old: Vec<&str> = text.split('\n').collect();
    let new: Vec<&str> = edited.split('\n').collect();
    let diff = similar::TextDiff::from_slices(&old, &new);
    let added: Vec<&str> = diff
        .iter_all_changes()
        .filter(|c| c.tag() == similar::ChangeTag::Insert)
        .map(|c| c.value())
        .collect();
    let (stage_key_line, stage_breaks) = stage_lines(text, &before).unwrap_or((usize::MAX, 0));
    let stage_span = stage_key_line..=stage_key_line.saturating_add(stage_breaks);
    let mut removed = 0;
    let mut widened = 0;
    for change in diff.iter_all_changes() {
        if change.tag() != similar::ChangeTag::Delete {
            continue;
        }
        removed += 1;
        if change.old_index().is_some_and(|i| stage_span.contains(&i)) {
            continue;
        }
        // Any other removed line comes back with one piece inserted into it,
        // or, for the line of a null history (`history: ~`) that the new entry
        // replaces, with that one piece (the null) taken out.
        let line = change.value();
        let null_filled = change.old_index() == null_history_line(&before)
            && added.iter().any(|new| gains_one_piece(new, line));
        assert!(
            null_filled || added.iter().any(|new| gains_one_piece(line, new)),
            "the line `{line}` was changed, not only extended:\n{text}\n---\n{edited}"
        );
        widened += 1;
    }
    assert!(
        removed <= stage_breaks + 2 && widened <= 1,
        "more than the stage lines and one history line changed:\n{text}\n---\n{edited}"
    );
    // The new stage line, one widened line and a new entry of at most five
    // lines (`- stage:`, `at:`, `by:`, `note:` and a closing line).
    assert!(
        added.len() <= 1 + widened + 5,
        "more lines were added than one history entry needs:\n{text}\n---\n{edited}"
    );
}

/// True when `new` is `old` with one contiguous piece inserted.
fn gains_one_piece(old: &str, new: &str) -> bool {
    let prefix = old
        .bytes()
        .zip(new.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old
        .bytes()
        .rev()
        .zip(new.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    new.len() >= old.len() && prefix + suffix >= old.len()
}

/// The line of the `history` key when its value is a null written out (`~`,
/// `null`), which a new entry must replace.
fn null_history_line(service: &svc::model::Service) -> Option<usize> {
    let (key, value) = service.document.get("lifecycle")?.entry("history")?;
    (value.is_null() && value.range.start < value.range.end).then_some(key.pos.line as usize)
}

/// The line of the `stage` key and how many LFs lie between it and the end
/// of its value.
fn stage_lines(text: &str, service: &svc::model::Service) -> Option<(usize, usize)> {
    let (key, value) = service.document.get("lifecycle")?.entry("stage")?;
    let between = text.get(key.range.start..value.range.end)?;
    Some((key.pos.line as usize, between.matches('\n').count()))
}

/// The edits the incident, change and problem commands make, on any text: the
/// first byte chooses the kind and the edit, the rest is the file. Each edit
/// either refuses or gives text that still decodes as the same kind and reads
/// back every value it set.
pub fn record_edit(data: &[u8]) {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let at = "2026-10-01T09:00:00+02:00";
    let (file, kind) = if choice % 2 == 0 {
        ("incidents/x.yaml", "Incident")
    } else {
        ("changes/x.yaml", "Change")
    };
    let decoded = decode_file(file, text).0;
    let same_kind = |record: &Option<Record>| match record {
        Some(Record::Incident(_)) => kind == "Incident",
        Some(Record::Change(_)) => kind == "Change",
        _ => false,
    };
    if !same_kind(&decoded) {
        return;
    }
    let Ok(mut edit) = Edit::new(text) else {
        return;
    };
    let route = |r: &str| r.parse::<Route>().unwrap_or_else(|_| panic!("route {r}"));
    let mut expected: Vec<(&str, String)> = Vec::new();
    let result: Result<(), EditError> = (|| {
        match (kind, (choice / 2) % 4) {
            ("Incident", 0) => {
                edit.set(&route("acknowledged_at"), Scalar::timestamp(at))?;
                expected.push(("acknowledged_at", at.to_string()));
            }
            ("Incident", 1) => {
                let item = Item::map([
                    ("from", Scalar::timestamp(at)),
                    ("reason", Scalar::text("awaiting: customer, #1")),
                ]);
                edit.append(&route("paused"), item)?;
            }
            ("Incident", 2) => {
                edit.set(&route("paused[-1].to"), Scalar::timestamp(at))?;
            }
            ("Incident", _) => {
                edit.set(&route("satisfaction"), Scalar::Integer(4))?;
                edit.set(&route("feedback"), Scalar::text("yes: \"fine\"\u{2028}"))?;
                expected.push(("satisfaction", "4".into()));
                expected.push(("feedback", "yes: \"fine\"\u{2028}".into()));
            }
            (_, n) => {
                let entry = HistoryEntry {
                    state: ["approved", "implemented", "reviewed", "cancelled"][n as usize % 4]
                        .into(),
                    at: at.into(),
                    by: "fuzz@example.com".into(),
                    note: Some("a: b, #c".into()),
                };
                move_to_state(&mut edit, &CHANGE_STATE, &entry)?;
                edit.set(&route("implemented.start"), Scalar::timestamp(at))?;
                expected.push(("state", entry.state.clone()));
            }
        }
        Ok(())
    })();
    if result.is_err() {
        return;
    }
    let Ok(edited) = edit.finish() else {
        return;
    };
    assert!(
        same_kind(&decode_file(file, &edited).0),
        "the edited text no longer decodes as a {kind}:\n{text}\n---\n{edited}"
    );
    let Ok(Some(root)) = svc::yaml::parse_document(&edited) else {
        panic!("the edited text does not parse:\n{edited}");
    };
    for (key, value) in expected {
        assert_eq!(
            root.get(key).and_then(|n| n.as_str()),
            Some(value.as_str()),
            "`{key}` does not read back:\n{text}\n---\n{edited}"
        );
    }
}

/// Any bytes as a ServiceNow export (`svc import servicenow`; the first byte
/// picks the zone, among ones with DST gaps of an hour and of half an hour):
/// the mapping never panics, every incident it gives keeps SPEC §1's order
/// (opened ≤ acknowledged ≤ resolved ≤ closed, pauses sorted, disjoint and
/// inside the incident), has an svc id and a kebab service, renders as a file
/// that decodes without a diagnostic (a missing priority aside), and importing
/// it again over that file changes nothing.
pub fn servicenow(data: &[u8]) {
    use svc::import::{render, servicenow};
    let Some((choice, rest)) = data.split_first() else {
        return;
    };
    let zones = [
        chrono_tz::Tz::UTC,
        chrono_tz::Tz::Europe__Berlin,
        chrono_tz::Tz::America__Sao_Paulo,
        chrono_tz::Tz::Australia__Lord_Howe,
    ];
    let zone = zones[usize::from(*choice) % zones.len()];
    let unpacked;
    let bytes = if svc::import::is_zip(rest) {
        match svc::import::unpack(rest) {
            Ok(b) => {
                unpacked = b;
                &unpacked[..]
            }
            Err(_) => return,
        }
    } else {
        rest
    };
    let Ok(parsed) = servicenow::parse(bytes, zone) else {
        return;
    };
    for incident in &parsed.incidents {
        assert!(svc::model::is_valid_id(&incident.id), "{}", incident.id);
        assert!(
            svc::model::is_kebab_id(&incident.service),
            "{}",
            incident.service
        );
        let opened = incident.opened_at;
        let acknowledged = incident.acknowledged_at.unwrap_or(opened);
        let resolved = incident.resolved_at;
        assert!(opened <= acknowledged, "{incident:?}");
        if let Some(resolved) = resolved {
            assert!(acknowledged <= resolved, "{incident:?}");
            assert!(
                incident.closed_at.is_none_or(|c| resolved <= c),
                "{incident:?}"
            );
        }
        let mut last_end = opened;
        for (index, pause) in incident.paused.iter().enumerate() {
            assert!(pause.from >= last_end, "{incident:?}");
            match pause.to {
                Some(to) => {
                    assert!(
                        pause.from < to && resolved.is_none_or(|r| to <= r),
                        "{incident:?}"
                    );
                    last_end = to;
                }
                None => assert!(
                    resolved.is_none() && index + 1 == incident.paused.len(),
                    "{incident:?}"
                ),
            }
        }
        let links = render::Links::default();
        let text = render::new_file(incident, &links);
        let file = format!("incidents/{}.yaml", incident.id);
        let (record, diagnostics) = decode_file(&file, &text);
        let expected = usize::from(incident.priority.is_none());
        assert_eq!(diagnostics.len(), expected, "{diagnostics:?}\n{text}");
        let Some(Record::Incident(decoded)) = record else {
            panic!("no incident from\n{text}");
        };
        assert_eq!(
            render::update(&text, &decoded, incident, &links),
            Ok(None),
            "{text}"
        );
    }
}
