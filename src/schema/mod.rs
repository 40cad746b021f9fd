//! JSON Schemas (draft 2020-12) of every record kind and of svc.toml (SPEC §11),
//! for editors that complete and validate YAML and TOML with them
//! (yaml-language-server, Taplo) and for `check-jsonschema` in pre-commit.
//!
//! A schema promises one thing: a file it rejects is one `svc check` rejects.
//! So each fragment accepts what the decoder accepts; what only the decoder can
//! judge (an id equal to its file name, overlapping ranges, timestamp order, a
//! target over ten years, the settings of a repo's own svc.toml) is left to
//! `svc check`. The schemas do not depend on a repo's svc.toml, so the copies
//! `svc init` writes never go stale when the configuration changes. Enumerations
//! come from the model's constants; `tests.rs` holds the field lists to the
//! decoders by probing them, and validates the example repo and a corpus of
//! wrong files with an independent JSON Schema implementation.

mod build;
mod config;
mod records;
#[cfg(test)]
mod tests;

use serde_json::{Map, Value, json};

/// One schema: the kind it describes, its file name and its JSON.
pub struct Schema {
    /// `Service`, ..., `Problem`, `record` (any record) or `svc.toml`.
    pub kind: &'static str,
    /// The file `svc schema --output` writes it to.
    pub file: &'static str,
    /// The schema document.
    pub document: Value,
}

/// The kinds `svc schema KIND` takes, in the order `--output` writes them.
pub const NAMES: [&str; 8] = [
    "Service",
    "SlaPolicy",
    "Calendar",
    "Incident",
    "Change",
    "Problem",
    "record",
    "svc.toml",
];

/// A record kind, its schema's file name and the schema's builder.
type RecordSchema = (&'static str, &'static str, fn() -> Value);

/// The record kinds with their file names and schema builders, in the order
/// of [`crate::model::KINDS`].
const RECORDS: [RecordSchema; 6] = [
    ("Service", "service.schema.json", records::service),
    ("SlaPolicy", "sla-policy.schema.json", records::policy),
    ("Calendar", "calendar.schema.json", records::calendar),
    ("Incident", "incident.schema.json", records::incident),
    ("Change", "change.schema.json", records::change),
    ("Problem", "problem.schema.json", records::problem),
];

/// The file of the schema that takes a record of any kind.
pub const RECORD_FILE: &str = "record.schema.json";
/// The file of the svc.toml schema.
pub const CONFIG_FILE: &str = "svc-toml.schema.json";

fn finish(title: &str, body: Value) -> Value {
    let mut document = Map::new();
    document.insert("$schema".into(), json!(build::DIALECT));
    document.insert("title".into(), json!(title));
    if let Value::Object(fields) = body {
        document.extend(fields);
    }
    Value::Object(document)
}

/// The schema of one record kind (`Service`, ...).
fn record_kind(kind: &str) -> Option<Schema> {
    let (kind, file, build) = RECORDS.iter().find(|(name, _, _)| *name == kind)?;
    Some(Schema {
        kind,
        file,
        document: finish(&format!("svc {kind}"), build()),
    })
}

/// A schema that takes a record of any kind, chosen by its `kind`: for files
/// kept outside their kind's folder, and for `svc schema` without a kind.
fn any_record() -> Schema {
    let defs: Map<String, Value> = RECORDS
        .iter()
        .map(|(kind, _, build)| (kind.to_string(), build()))
        .collect();
    let branches: Vec<Value> = RECORDS
        .iter()
        .map(|(kind, _, _)| {
            json!({
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {"$ref": format!("#/$defs/{kind}")},
            })
        })
        .collect();
    let kinds: Vec<&str> = RECORDS.iter().map(|(kind, _, _)| *kind).collect();
    Schema {
        kind: "record",
        file: RECORD_FILE,
        document: finish(
            "svc record (any kind)",
            json!({
                "type": "object",
                "description": "One svc record; `kind` says which.",
                "required": ["kind"],
                "properties": {"kind": {"enum": kinds}},
                "allOf": branches,
                "$defs": defs,
            }),
        ),
    }
}

fn config_schema() -> Schema {
    Schema {
        kind: "svc.toml",
        file: CONFIG_FILE,
        document: finish("svc.toml", config::config()),
    }
}

/// The schema named `name` (a record kind, `record` or `svc.toml`).
pub fn find(name: &str) -> Option<Schema> {
    match name {
        "record" => Some(any_record()),
        "svc.toml" => Some(config_schema()),
        kind => record_kind(kind),
    }
}

/// Every schema, in the order of [`NAMES`].
pub fn all() -> Vec<Schema> {
    NAMES.iter().filter_map(|name| find(name)).collect()
}

/// The schema file of each record folder (SPEC §1), for editor settings that
/// map file globs to schemas.
pub fn folder_files() -> impl Iterator<Item = (&'static str, &'static str)> {
    crate::model::FOLDERS
        .into_iter()
        .zip(RECORDS.iter().map(|(_, file, _)| *file))
}

/// The schema as the text written to a file: pretty JSON and a final newline.
pub fn to_text(schema: &Schema) -> String {
    let mut text = serde_json::to_string_pretty(&schema.document).unwrap_or_default();
    text.push('\n');
    text
}
