//! The schema of `svc.toml` (SPEC §1), table by table as `model::config` reads
//! it. TOML values are typed, so unlike the record schemas a string is a string;
//! an editor with a TOML language server (Taplo, Even Better TOML) validates and
//! completes svc.toml with it.

use serde_json::{Map, Value, json};

use super::build::any_year_timestamp;
use super::records::time_zone;
use crate::model::config::{
    DEFAULT_INCIDENT_ID_FORMAT, DEFAULT_INCLUDE, DEFAULT_STAGES, MAX_DEPTH_LIMIT,
};

/// A table with exactly these keys (unknown keys are `schema` errors in svc.toml).
fn table(description: &str, required: &[&str], keys: Vec<(&str, Value)>) -> Value {
    let properties: Map<String, Value> = keys
        .into_iter()
        .map(|(key, schema)| (key.to_string(), schema))
        .collect();
    let mut table = json!({
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        table["required"] = json!(required);
    }
    table
}

fn integer(min: u64, max: Option<u64>, description: &str) -> Value {
    let mut schema = json!({"type": "integer", "minimum": min, "description": description});
    if let Some(max) = max {
        schema["maximum"] = json!(max);
    }
    schema
}

fn boolean(description: &str) -> Value {
    json!({"type": "boolean", "description": description})
}

fn strings(description: &str) -> Value {
    json!({"type": "array", "items": {"type": "string"}, "description": description})
}

fn gate() -> Value {
    table(
        "What must hold to enter (and stay in) the stage.",
        &[],
        vec![
            (
                "require",
                strings(
                    "Dotted Service field paths that must be present and non-empty, e.g. `links.runbook`.",
                ),
            ),
            (
                "no_open_incidents",
                boolean("No unresolved incident on the service."),
            ),
            (
                "no_active_dependents",
                boolean("No non-retired service depends on it."),
            ),
        ],
    )
}

/// The schema of svc.toml.
pub fn config() -> Value {
    let priority = json!({"type": "string", "pattern": "\\S"});
    let row = json!({"type": "array", "items": priority, "minItems": 3, "maxItems": 3});
    table(
        "svc repo configuration (svc.toml); it marks the repo root.",
        &[],
        vec![
            (
                "repo",
                table(
                    "The repo.",
                    &[],
                    vec![
                        (
                            "name",
                            json!({"type": "string", "description": "Repo name."}),
                        ),
                        ("timezone", time_zone()),
                        (
                            "include",
                            json!({
                                "type": "array",
                                "items": {"type": "string"},
                                "description": "Folders scanned recursively for *.yaml and *.yml records.",
                                "default": DEFAULT_INCLUDE,
                            }),
                        ),
                    ],
                ),
            ),
            (
                "lifecycle",
                table(
                    "Stages and gates.",
                    &[],
                    vec![
                        (
                            "stages",
                            json!({
                                "type": "array",
                                "items": {"type": "string", "pattern": "\\S"},
                                "minItems": 2,
                                "uniqueItems": true,
                                "description": "Ordered stages; the last one is terminal.",
                                "default": DEFAULT_STAGES,
                            }),
                        ),
                        (
                            "stale_after_days",
                            json!({
                                "type": "object",
                                "additionalProperties": integer(0, Some(u64::from(u32::MAX)), "Days."),
                                "description": "Days after which a service in a stage is stale, per stage.",
                            }),
                        ),
                        (
                            "gates",
                            json!({
                                "type": "object",
                                "additionalProperties": gate(),
                                "description": "A gate per stage; a table replaces that stage's default gate.",
                            }),
                        ),
                    ],
                ),
            ),
            (
                "limits",
                table(
                    "Limits on what svc reads.",
                    &[],
                    vec![
                        (
                            "max_file_bytes",
                            integer(1, None, "Largest record file read, in bytes."),
                        ),
                        ("max_files", integer(1, None, "Most record files read.")),
                        (
                            "max_depth",
                            integer(
                                1,
                                u64::try_from(MAX_DEPTH_LIMIT).ok(),
                                "Deepest nesting accepted in one record.",
                            ),
                        ),
                    ],
                ),
            ),
            (
                "priority",
                table(
                    "The priority matrix.",
                    &[],
                    vec![(
                        "matrix",
                        json!({
                            "type": "array",
                            "items": row,
                            "minItems": 3,
                            "maxItems": 3,
                            "description": "Rows: impact 1..3; columns: urgency 1..3.",
                        }),
                    )],
                ),
            ),
            (
                "sla",
                table(
                    "SLA settings.",
                    &[],
                    vec![(
                        "require_pause_reason",
                        boolean("A pause without `reason` is a schema error."),
                    )],
                ),
            ),
            (
                "incidents",
                table(
                    "Incident settings.",
                    &[],
                    vec![
                        (
                            "id_format",
                            json!({
                                "type": "string",
                                "description": "The ids `svc incident open` allocates.",
                                "default": DEFAULT_INCIDENT_ID_FORMAT,
                            }),
                        ),
                        (
                            "postmortem",
                            table(
                                "Which resolved incidents need a root cause or postmortem.",
                                &["priorities", "within_days"],
                                vec![
                                    ("priorities", strings("Priorities that need one.")),
                                    (
                                        "within_days",
                                        integer(0, Some(3650), "Days after resolution."),
                                    ),
                                ],
                            ),
                        ),
                    ],
                ),
            ),
            (
                "problems",
                table(
                    "Problem settings.",
                    &[],
                    vec![(
                        "recurring",
                        table(
                            "Incidents of one service and category that make a recurring problem.",
                            &["count", "days"],
                            vec![
                                ("count", integer(2, Some(1_000_000), "How many incidents.")),
                                ("days", integer(1, Some(3650), "Within how many days.")),
                            ],
                        ),
                    )],
                ),
            ),
            (
                "changes",
                table(
                    "Change settings.",
                    &[],
                    vec![(
                        "freeze",
                        json!({
                            "type": "array",
                            "items": table(
                                "A period in which normal and standard changes may not be planned.",
                                &["from", "to"],
                                vec![
                                    ("from", any_year_timestamp("Start, with an offset.")),
                                    ("to", any_year_timestamp("End (exclusive), with an offset.")),
                                    ("reason", json!({"type": "string", "description": "Why."})),
                                ],
                            ),
                            "description": "Change freezes (`[[changes.freeze]]`).",
                        }),
                    )],
                ),
            ),
        ],
    )
}
