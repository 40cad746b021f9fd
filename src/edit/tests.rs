//! The editor's golden files and property test. Each case under
//! `tests/fixtures/edit/<case>/` holds `before.yaml` and either `after.yaml`
//! (the exact result) or `refused.txt` (the exact refusal); [`CASES`] names
//! the operation of each. Every case also runs with CRLF line ends, with a
//! byte-order mark and without a final newline, derived from the LF files, and
//! must give the same result in that form. `SVC_BLESS=1 cargo test --lib
//! edit::tests` writes missing `after.yaml` files for review.

use std::path::PathBuf;

use super::*;

const AT: &str = "2026-10-01T09:00:00Z";

/// Moves a service to `stage`, as `svc advance` does.
fn advance(edit: &mut Edit, stage: &str, note: Option<&str>) -> Result<(), EditError> {
    let entry = HistoryEntry {
        state: stage.into(),
        at: AT.into(),
        by: "ana@example.com".into(),
        note: note.map(str::to_string),
    };
    move_to_state(edit, &SERVICE_STAGE, &entry)
}

fn set(edit: &mut Edit, route: &str, value: Scalar) -> Result<(), EditError> {
    edit.set(&route.parse()?, value)?;
    Ok(())
}

fn append(edit: &mut Edit, route: &str, item: Item) -> Result<(), EditError> {
    edit.append(&route.parse()?, item)?;
    Ok(())
}

/// `svc retire` with a reason and a backup.
fn retire(edit: &mut Edit, reason: &str, backup: &str) -> Result<(), EditError> {
    set(edit, "retirement.reason", Scalar::text(reason))?;
    set(edit, "retirement.data.backup", Scalar::text(backup))?;
    advance(edit, "retired", None)
}

fn pause(from: &str, reason: &str) -> Item {
    Item::map([
        ("from", Scalar::timestamp(from)),
        ("reason", Scalar::text(reason)),
    ])
}

fn window(from: &str, to: &str) -> Item {
    Item::map([
        ("from", Scalar::timestamp(from)),
        ("to", Scalar::timestamp(to)),
    ])
}

type Operation = fn(&mut Edit) -> Result<(), EditError>;

/// Every golden case and its operation.
const CASES: &[(&str, Operation)] = &[
    // Services: the layouts of the lifecycle tests and of the example repo.
    ("service-flow-history", |e| advance(e, "deprecated", None)),
    ("service-flow-history-note", |e| {
        advance(e, "deprecated", Some("replaced by the new shop"))
    }),
    ("service-block-history", |e| advance(e, "deprecated", None)),
    ("service-block-history-with-notes", |e| {
        advance(e, "deprecated", None)
    }),
    ("service-compact-history", |e| {
        advance(e, "development", None)
    }),
    ("service-tight-braces", |e| advance(e, "testing", None)),
    ("service-one-line-flow-sequence", |e| {
        advance(e, "testing", None)
    }),
    ("service-multi-line-flow-sequence", |e| {
        advance(e, "testing", None)
    }),
    ("service-multi-line-flow-sequence-trailing-comma", |e| {
        advance(e, "testing", None)
    }),
    ("service-empty-flow-sequence", |e| {
        advance(e, "testing", None)
    }),
    ("service-missing-history", |e| advance(e, "testing", None)),
    ("service-missing-lifecycle", |e| {
        advance(e, "planning", None)
    }),
    ("service-null-history", |e| advance(e, "deprecated", None)),
    ("service-empty-history-key", |e| {
        advance(e, "deprecated", None)
    }),
    ("service-lone-dash-items", |e| {
        advance(e, "deprecated", None)
    }),
    ("service-single-quoted-stage", |e| {
        advance(e, "deprecated", None)
    }),
    ("service-double-quoted-stage-comment", |e| {
        advance(e, "deprecated", None)
    }),
    ("service-tab-comment-stage", |e| {
        advance(e, "deprecated", None)
    }),
    ("service-tab-comment-flow-history", |e| {
        advance(e, "deprecated", None)
    }),
    ("service-stage-on-next-line", |e| {
        advance(e, "deprecated", None)
    }),
    ("service-comments-everywhere", |e| {
        advance(e, "deprecated", None)
    }),
    ("service-flow-lifecycle", |e| advance(e, "testing", None)),
    ("service-note-needs-quotes", |e| {
        advance(e, "deprecated", Some("go-live: done, #1"))
    }),
    ("service-yaml11-values-quoted", |e| {
        let entry = HistoryEntry {
            state: "deprecated".into(),
            at: AT.into(),
            by: "12:30".into(),
            note: Some("2026-01-01".into()),
        };
        move_to_state(e, &SERVICE_STAGE, &entry)
    }),
    ("service-template-of-svc-new", |e| {
        advance(e, "planning", None)
    }),
    ("service-anchored-stage", |e| advance(e, "deprecated", None)),
    ("service-flow-entry-continued-shallower", |e| {
        advance(e, "testing", None)
    }),
    ("service-bare-carriage-returns", |e| {
        advance(e, "deprecated", None)
    }),
    ("retire-new-block", |e| retire(e, "replaced", "s3://b/x")),
    ("retire-replaced-by", |e| {
        set(e, "retirement.reason", Scalar::text("replaced"))?;
        set(e, "retirement.replaced_by", Scalar::text("payments-v2"))?;
        set(e, "retirement.data.backup", Scalar::text("s3://b/x"))?;
        advance(e, "retired", None)
    }),
    ("retire-partial-block", |e| {
        set(e, "retirement.reason", Scalar::text("regulatory"))?;
        set(e, "retirement.data.backup", Scalar::text("s3://b/x"))?;
        set(
            e,
            "retirement.data.purged_at",
            Scalar::timestamp("2026-12-01T00:00:00Z"),
        )
    }),
    ("retire-keys-after-data", |e| {
        set(e, "retirement.reason", Scalar::text("replaced"))?;
        set(e, "retirement.replaced_by", Scalar::text("v2"))
    }),
    ("retire-null-block", |e| retire(e, "other", "s3://new")),
    ("retire-null-data", |e| retire(e, "regulatory", "s3://new")),
    ("retire-tab-comments", |e| {
        retire(e, "regulatory", "s3://new")
    }),
    ("retire-backslashes-in-double-quotes", |e| {
        retire(e, "regulatory", "C:\\new\\backup")
    }),
    ("retire-quotes-in-double-quotes", |e| {
        retire(e, "regulatory", "say \"hi\"")
    }),
    ("retire-quotes-in-single-quotes", |e| {
        retire(e, "regulatory", "it's \"here\"")
    }),
    ("retire-line-break-into-single-quotes", |e| {
        retire(e, "regulatory", "two\nlines")
    }),
    ("retire-literal-block-value", |e| {
        retire(e, "regulatory", "s3://new")
    }),
    ("retire-folded-block-with-comments", |e| {
        retire(e, "regulatory", "s3://new")
    }),
    ("retire-wrapped-plain-value", |e| {
        retire(e, "regulatory", "s3://new")
    }),
    ("retire-double-quoted-over-two-lines", |e| {
        retire(e, "regulatory", "s3://new")
    }),
    ("retire-value-on-next-line", |e| {
        retire(e, "regulatory", "s3://new")
    }),
    ("retire-comment-between-key-and-value", |e| {
        retire(e, "regulatory", "s3://new")
    }),
    ("retire-scalar-data", |e| retire(e, "regulatory", "s3://x")),
    ("retire-numbers-quoted-timestamps-plain", |e| {
        set(e, "retirement.reason", Scalar::text("other"))?;
        set(e, "retirement.data.backup", Scalar::text("1_000"))?;
        set(
            e,
            "retirement.data.purged_at",
            Scalar::timestamp("2026-09-30T00:00:00Z"),
        )
    }),
    // Incidents: what `svc incident ack|pause|resume|resolve|close|outage` write.
    ("incident-ack-absent", |e| {
        set(
            e,
            "acknowledged_at",
            Scalar::timestamp("2026-03-02T09:20:00+01:00"),
        )
    }),
    ("incident-ack-present", |e| {
        set(
            e,
            "acknowledged_at",
            Scalar::timestamp("2026-03-02T09:25:00+01:00"),
        )
    }),
    ("incident-ack-null", |e| {
        set(
            e,
            "acknowledged_at",
            Scalar::timestamp("2026-03-02T09:20:00+01:00"),
        )
    }),
    ("incident-ack-empty", |e| {
        set(
            e,
            "acknowledged_at",
            Scalar::timestamp("2026-03-02T09:20:00+01:00"),
        )
    }),
    ("incident-resolve-closing-the-open-pause", |e| {
        set(
            e,
            "resolved_at",
            Scalar::timestamp("2026-03-02T11:02:00+01:00"),
        )?;
        set(
            e,
            "paused[-1].to",
            Scalar::timestamp("2026-03-02T11:02:00+01:00"),
        )?;
        set(
            e,
            "root_cause",
            Scalar::text("Expired intermediate certificate."),
        )?;
        set(
            e,
            "postmortem",
            Scalar::text("https://wiki.example.com/pm/INC-2026-0042"),
        )
    }),
    ("incident-resolve-null", |e| {
        set(
            e,
            "resolved_at",
            Scalar::timestamp("2026-03-02T11:02:00+01:00"),
        )
    }),
    ("incident-close-absent", |e| {
        set(
            e,
            "closed_at",
            Scalar::timestamp("2026-03-03T10:00:00+01:00"),
        )?;
        set(e, "satisfaction", Scalar::Integer(4))?;
        set(e, "feedback", Scalar::text("Quick fix: thanks!"))
    }),
    ("incident-close-present-and-null", |e| {
        set(
            e,
            "closed_at",
            Scalar::timestamp("2026-03-03T10:00:00+01:00"),
        )?;
        set(e, "satisfaction", Scalar::Integer(5))?;
        set(e, "feedback", Scalar::text("yes"))
    }),
    ("incident-pause-absent", |e| {
        append(
            e,
            "paused",
            pause("2026-03-02T10:00:00+01:00", "awaiting-customer"),
        )
    }),
    ("incident-pause-block-list", |e| {
        append(
            e,
            "paused",
            pause("2026-03-02T10:40:00+01:00", "awaiting-vendor"),
        )
    }),
    ("incident-pause-block-mapping-items", |e| {
        append(
            e,
            "paused",
            pause("2026-03-02T10:40:00+01:00", "awaiting-vendor"),
        )
    }),
    ("incident-pause-flow-list", |e| {
        append(
            e,
            "paused",
            pause("2026-03-02T10:40:00+01:00", "awaiting-vendor"),
        )
    }),
    ("incident-pause-flow-list-over-lines", |e| {
        append(
            e,
            "paused",
            pause("2026-03-02T10:40:00+01:00", "awaiting-vendor"),
        )
    }),
    ("incident-pause-empty-flow-list", |e| {
        append(
            e,
            "paused",
            pause("2026-03-02T10:00:00+01:00", "awaiting-customer"),
        )
    }),
    ("incident-pause-empty-flow-list-spaced", |e| {
        append(
            e,
            "paused",
            pause("2026-03-02T10:00:00+01:00", "awaiting-customer"),
        )
    }),
    ("incident-pause-null", |e| {
        append(
            e,
            "paused",
            pause("2026-03-02T10:00:00+01:00", "awaiting-customer"),
        )
    }),
    ("incident-resume-flow-item", |e| {
        set(
            e,
            "paused[-1].to",
            Scalar::timestamp("2026-03-02T10:30:00+01:00"),
        )
    }),
    ("incident-resume-block-item", |e| {
        set(
            e,
            "paused[-1].to",
            Scalar::timestamp("2026-03-02T10:30:00+01:00"),
        )
    }),
    ("incident-resume-flow-item-over-lines", |e| {
        set(
            e,
            "paused[-1].to",
            Scalar::timestamp("2026-03-02T10:30:00+01:00"),
        )
    }),
    ("incident-resume-without-pause", |e| {
        set(
            e,
            "paused[-1].to",
            Scalar::timestamp("2026-03-02T10:30:00+01:00"),
        )
    }),
    ("incident-outage-absent", |e| {
        append(
            e,
            "outage",
            window("2026-03-02T09:10:00+01:00", "2026-03-02T10:45:00+01:00"),
        )
    }),
    ("incident-outage-block-list", |e| {
        append(
            e,
            "outage",
            window("2026-03-02T11:00:00+01:00", "2026-03-02T11:20:00+01:00"),
        )
    }),
    ("incident-outage-flow-list", |e| {
        append(
            e,
            "outage",
            window("2026-03-02T11:00:00+01:00", "2026-03-02T11:20:00+01:00"),
        )
    }),
    ("incident-external-flow-mapping", |e| {
        set(e, "external.servicenow_number", Scalar::text("INC0000045"))
    }),
    // Changes and problems: the same state move on other routes (SPEC §6, §7).
    ("change-approve-and-implement", |e| {
        append(
            e,
            "approvals",
            Item::map([
                ("by", Scalar::text("cab@example.com")),
                ("at", Scalar::timestamp("2026-03-01T10:00:00+01:00")),
            ]),
        )?;
        let entry = HistoryEntry {
            state: "implemented".into(),
            at: "2026-03-05T22:04:00+01:00".into(),
            by: "ana@example.com".into(),
            note: None,
        };
        move_to_state(e, &CHANGE_STATE, &entry)?;
        set(
            e,
            "implemented.start",
            Scalar::timestamp("2026-03-05T22:04:00+01:00"),
        )
    }),
    ("problem-action-done", |e| {
        set(
            e,
            "actions[0].done_at",
            Scalar::timestamp("2026-03-20T12:00:00+01:00"),
        )?;
        let entry = HistoryEntry {
            state: "resolved".into(),
            at: "2026-03-21T09:00:00+01:00".into(),
            by: "ana@example.com".into(),
            note: Some("fix deployed".into()),
        };
        move_to_state(e, &PROBLEM_STATE, &entry)
    }),
];

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/edit")
}

fn run(operation: Operation, text: &str) -> Result<String, EditError> {
    let mut edit = Edit::new(text)?;
    operation(&mut edit)?;
    edit.finish()
}

/// The LF text in another form: CRLF, with a byte-order mark, without a final newline.
fn variants(text: &str) -> Vec<(&'static str, String)> {
    vec![
        ("LF", text.to_string()),
        ("CRLF", text.replace('\n', "\r\n")),
        ("BOM", format!("\u{feff}{text}")),
        (
            "no final newline",
            text.strip_suffix('\n').unwrap_or(text).to_string(),
        ),
    ]
}

#[test]
fn golden_files() {
    let bless = std::env::var_os("SVC_BLESS").is_some();
    let mut failures = Vec::new();
    for (name, operation) in CASES {
        let dir = fixtures().join(name);
        let before = std::fs::read_to_string(dir.join("before.yaml"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let after = std::fs::read_to_string(dir.join("after.yaml")).ok();
        let refused = std::fs::read_to_string(dir.join("refused.txt")).ok();
        let result = run(*operation, &before);
        match (&result, &after, &refused) {
            (Ok(out), None, None) if bless => std::fs::write(dir.join("after.yaml"), out).unwrap(),
            (Err(e), None, None) if bless => {
                std::fs::write(dir.join("refused.txt"), format!("{e}\n")).unwrap()
            }
            _ => {}
        }
        let after = std::fs::read_to_string(dir.join("after.yaml")).ok();
        let refused = std::fs::read_to_string(dir.join("refused.txt")).ok();
        // A text with a bare CR only makes sense as written.
        let forms = if before.contains('\r') {
            vec![("as written", before.clone())]
        } else {
            variants(&before)
        };
        let expected: Vec<Option<String>> = match &after {
            Some(after) if !before.contains('\r') => {
                variants(after).into_iter().map(|(_, t)| Some(t)).collect()
            }
            Some(after) => vec![Some(after.clone())],
            None => vec![None; forms.len()],
        };
        for ((form, input), expected) in forms.into_iter().zip(expected) {
            let result = run(*operation, &input);
            let ok = match (&result, &expected, &refused) {
                (Ok(out), Some(want), _) => out == want,
                (Err(e), None, Some(why)) => e.to_string() == why.trim_end(),
                _ => false,
            };
            if !ok {
                failures.push(format!(
                    "{name} ({form}): got {result:?}\nwanted {:?}",
                    expected.as_ref().ok_or(&refused)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_fixture_folder_has_a_case() {
    let mut folders: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut named: Vec<String> = CASES.iter().map(|(n, _)| n.to_string()).collect();
    named.sort();
    assert_eq!(folders, named);
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    #[derive(Clone, Copy, Debug)]
    enum Style {
        FlowSpaced,
        FlowTight,
        Block,
        Compact,
    }

    /// Key order, a comment before each block, history style, CRLF, final
    /// newline, quoted stage, number of history entries.
    type Parts = (
        Vec<usize>,
        Vec<Option<String>>,
        Style,
        bool,
        bool,
        bool,
        usize,
    );

    /// A service file built from parts, with the stage and history as given.
    fn service(parts: &Parts, stage: &str, entries: &[&str]) -> String {
        let (order, comments, style, crlf, final_newline, quoted, _) = parts;
        let eol = if *crlf { "\r\n" } else { "\n" };
        let stage_value = if *quoted {
            format!("'{stage}'")
        } else {
            stage.to_string()
        };
        let mut history = String::new();
        for (i, entry) in entries.iter().enumerate() {
            let at = format!("2025-0{}-01T09:00:00Z", 1 + i % 9);
            history += &match style {
                Style::FlowSpaced => {
                    format!("    - {{ stage: {entry}, at: {at}, by: a@x.org }}{eol}")
                }
                Style::FlowTight => format!("    - {{stage: {entry}, at: {at}, by: a@x.org}}{eol}"),
                Style::Block => {
                    format!("    - stage: {entry}{eol}      at: {at}{eol}      by: a@x.org{eol}")
                }
                Style::Compact => format!("  - {{ stage: {entry}, at: {at}, by: a@x.org }}{eol}"),
            };
        }
        let blocks = [
            format!("kind: Service{eol}"),
            format!("id: x{eol}"),
            format!("owner: team  # the owning team{eol}"),
            format!("links:{eol}  runbook: https://wiki.example.com/x{eol}"),
            format!(
                "lifecycle:{eol}  stage: {stage_value}   # keep in step{eol}  history:{eol}{history}"
            ),
        ];
        let mut text = String::new();
        for (i, block) in order.iter().enumerate() {
            if let Some(Some(comment)) = comments.get(i) {
                text += &format!("# {comment}{eol}");
            }
            text += &blocks[*block];
        }
        if !final_newline {
            text.truncate(text.len() - eol.len());
        }
        text
    }

    fn parts() -> impl Strategy<Value = Parts> {
        (
            Just((0..5).collect::<Vec<usize>>()).prop_shuffle(),
            prop::collection::vec(prop::option::of("[a-z :#,-]{0,20}"), 5),
            prop_oneof![
                Just(Style::FlowSpaced),
                Just(Style::FlowTight),
                Just(Style::Block),
                Just(Style::Compact)
            ],
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            1usize..4,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// A stage move changes exactly the stage value and adds exactly the
        /// new entry after the last one, whatever the layout around them.
        #[test]
        fn advance_changes_exactly_the_expected_lines(parts in parts()) {
            let stages = ["proposed", "planning", "design", "development", "testing"];
            let count = parts.6;
            let input = service(&parts, stages[count - 1], &stages[..count]);
            let entry = HistoryEntry {
                state: stages[count].to_string(),
                at: format!("2025-0{}-01T09:00:00Z", 1 + count % 9),
                by: "a@x.org".to_string(),
                note: None,
            };
            let mut edit = Edit::new(&input).unwrap();
            move_to_state(&mut edit, &SERVICE_STAGE, &entry).unwrap();
            let output = edit.finish().unwrap();
            let expected = service(&parts, stages[count], &stages[..=count]);
            prop_assert_eq!(output, expected);
        }
    }
}
