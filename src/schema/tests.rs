//! The schemas cannot drift from the decoders: every example record validates,
//! every wrong file of the corpora is rejected by both, each mapping of a record
//! has exactly the fields its decoder reads (probed with an unknown key), and
//! a wrong value put into any field is rejected by the schema only where the
//! decoder rejects it too. Validation is by the `jsonschema` crate, an
//! implementation independent of svc; `.ci/run` repeats the file checks with
//! Python's check-jsonschema.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::{Schema, all, find};
use crate::diagnostic::{Rule, Severity};
use crate::yaml::{self, Node};

/// YAML 1.2 core-schema typing of a plain scalar, as yaml-language-server and
/// check-jsonschema read it: null, booleans, integers, floats, else a string.
fn plain_scalar(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !unsigned.is_empty()
        && unsigned.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = text.parse::<i64>()
    {
        return json!(n);
    }
    for (prefix, radix) in [("0x", 16), ("0o", 8)] {
        if let Some(digits) = text.strip_prefix(prefix)
            && let Ok(n) = i64::from_str_radix(digits, radix)
        {
            return json!(n);
        }
    }
    if is_core_float(unsigned)
        && let Ok(n) = text.parse::<f64>()
        && n.is_finite()
    {
        return json!(n);
    }
    // `.inf` and `.nan` have no JSON form; as text they still fail every
    // number check, as the real values do.
    Value::String(text.to_string())
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` without a regex engine.
fn is_core_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match fraction {
        None => !whole.is_empty() && digits(whole),
        Some(fraction) => {
            digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty())
        }
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// A positioned YAML tree as the JSON instance a schema validator sees.
fn to_json(node: &Node) -> Value {
    match &node.value {
        yaml::Value::Scalar { text, quoted: true } => Value::String(text.clone()),
        yaml::Value::Scalar {
            text,
            quoted: false,
        } => plain_scalar(text),
        yaml::Value::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        yaml::Value::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(key, value)| {
                    let key = match &key.value {
                        yaml::Value::Scalar { text, .. } => text.clone(),
                        _ => String::new(),
                    };
                    (key, to_json(value))
                })
                .collect(),
        ),
    }
}

/// A TOML document as JSON (datetimes as their RFC 3339 text).
fn toml_to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(n) => json!(n),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => json!(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(
            table
                .iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// `(file relative to the repo, text)` of every record file under `repo`.
fn record_files(repo: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = walkdir::WalkDir::new(repo)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "yaml" || x == "yml")
        })
        .map(|e| {
            let file = e
                .path()
                .strip_prefix(repo)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (file, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

fn validator(schema: &Schema) -> jsonschema::Validator {
    jsonschema::validator_for(&schema.document)
        .unwrap_or_else(|e| panic!("{} does not compile: {e}", schema.kind))
}

fn schema_of_folder(file: &str) -> Schema {
    let folder = file.split('/').next().unwrap();
    let kind = crate::model::kind_of_folder(folder)
        .unwrap_or_else(|| panic!("{file} is in no record folder"));
    find(kind).unwrap()
}

fn instance(text: &str) -> Value {
    yaml::parse_document(text)
        .expect("the corpus is YAML")
        .map_or(Value::Null, |node| to_json(&node))
}

/// The errors the decoder reports for `text` as file `file`.
fn decoder_errors(file: &str, text: &str) -> Vec<crate::diagnostic::Diagnostic> {
    crate::model::decode_file(file, text)
        .1
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

fn problems(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_schema_is_a_valid_draft_2020_12_schema() {
    for schema in all() {
        assert_eq!(
            schema.document["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        if let Err(e) = jsonschema::meta::validate(&schema.document) {
            panic!("{}: {e}", schema.kind);
        }
        validator(&schema);
    }
}

#[test]
fn record_schemas_follow_the_model_kinds_and_fields() {
    let kinds: Vec<&str> = super::RECORDS.iter().map(|(kind, _, _)| *kind).collect();
    assert_eq!(kinds, crate::model::KINDS);
    let service = find("Service").unwrap().document;
    let fields: Vec<&str> = service["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(fields, crate::model::service::FIELDS);
    let statuses = &find("Incident").unwrap().document["properties"]["status"]["enum"];
    let mut expected = json!(crate::model::incident::STATUSES);
    expected.as_array_mut().unwrap().push(Value::Null);
    assert_eq!(statuses, &expected);
}

/// Every record of the example repo, of the tests' base repo, of the tricky
/// but clean hostile inputs and of the full samples validates against its
/// folder's schema and against the any-kind schema.
#[test]
fn every_clean_record_validates() {
    let any = validator(&find("record").unwrap());
    let hostile_clean = std::fs::read_to_string(root().join("tests/fixtures/hostile/expected.txt"))
        .unwrap()
        .lines()
        .filter(|l| l.ends_with(" clean"))
        .map(|l| l.split(' ').next().unwrap().to_string())
        .collect::<Vec<_>>();
    let mut checked = 0;
    for repo in [
        "examples/acme",
        "tests/fixtures/base",
        "tests/fixtures/schema/valid",
        "tests/fixtures/hostile",
    ] {
        for (file, text) in record_files(&root().join(repo)) {
            if repo.ends_with("hostile") && !hostile_clean.contains(&file) {
                continue;
            }
            assert!(
                decoder_errors(&file, &text).is_empty(),
                "{repo}/{file} should decode cleanly"
            );
            let value = instance(&text);
            let own = validator(&schema_of_folder(&file));
            assert_eq!(
                problems(&own, &value),
                Vec::<String>::new(),
                "{repo}/{file}"
            );
            assert_eq!(
                problems(&any, &value),
                Vec::<String>::new(),
                "{repo}/{file}"
            );
            checked += 1;
        }
    }
    assert!(checked > 70, "only {checked} records checked");
}

#[test]
fn every_svc_toml_validates() {
    let schema = validator(&find("svc.toml").unwrap());
    for file in [
        "examples/acme/svc.toml",
        "tests/fixtures/base/svc.toml",
        "tests/fixtures/schema/valid/svc.toml",
    ] {
        let text = std::fs::read_to_string(root().join(file)).unwrap();
        assert!(crate::model::config::parse(&text).1.is_empty(), "{file}");
        let value = toml_to_json(&toml::from_str::<toml::Value>(&text).unwrap());
        assert_eq!(problems(&schema, &value), Vec::<String>::new(), "{file}");
    }
}

/// What a JSON Schema cannot say, and so stays with `svc check` alone: the
/// schemas may accept these files, which the decoder rejects.
const ONLY_SVC_CHECK: [(&str, &str); 2] = [
    ("calendars/overlap.yaml", "ranges of one day overlap"),
    ("policies/huge-target.yaml", "a target over ten years"),
];

/// The hostile corpus: every file `svc check` rejects with a `schema` or
/// `timestamp` error at decoding is rejected by the schemas too, except the
/// few listed in [`ONLY_SVC_CHECK`] with the reason.
#[test]
fn the_hostile_corpus_is_rejected_by_the_schemas() {
    let expected =
        std::fs::read_to_string(root().join("tests/fixtures/hostile/expected.txt")).unwrap();
    let any = validator(&find("record").unwrap());
    let mut rejected = 0;
    for line in expected.lines().filter(|l| !l.starts_with('#')) {
        let Some((file, rule)) = line.split_once(' ') else {
            continue;
        };
        let text = std::fs::read(root().join("tests/fixtures/hostile").join(file)).unwrap();
        let text = String::from_utf8_lossy(&text);
        // Syntax errors never reach a schema: the YAML tooling refuses them.
        let Ok(tree) = yaml::parse_document(&text) else {
            continue;
        };
        if !matches!(rule, "schema" | "timestamp" | "id-mismatch") {
            continue;
        }
        if decoder_errors(file, &text).is_empty() {
            // A rule beyond decoding (timestamp order): not the schemas' part.
            continue;
        }
        let value = tree.as_ref().map_or(Value::Null, to_json);
        let own = validator(&schema_of_folder(file));
        let accepted_by = |v: &jsonschema::Validator| v.is_valid(&value);
        let exempt = ONLY_SVC_CHECK.iter().any(|(f, _)| *f == file);
        if accepted_by(&own) || accepted_by(&any) {
            assert!(
                exempt || rule == "timestamp" || rule == "id-mismatch",
                "{file} ({rule}) is accepted by the schema"
            );
        } else {
            assert!(
                !exempt,
                "{file} is rejected now: drop it from ONLY_SVC_CHECK"
            );
            rejected += 1;
        }
    }
    assert!(rejected >= 40, "only {rejected} hostile files rejected");
}

/// tests/fixtures/schema/invalid: one file per kind of `schema` error svc
/// reports (each file's first line says which); both the decoder and the
/// schema reject each.
#[test]
fn the_wrong_file_corpus_is_rejected_by_both() {
    let corpus = root().join("tests/fixtures/schema/invalid");
    let files = record_files(&corpus);
    assert!(files.len() >= 12, "the corpus shrank to {}", files.len());
    for (file, text) in files {
        let errors = decoder_errors(&file, &text);
        assert!(
            errors
                .iter()
                .any(|d| matches!(d.rule, Rule::Schema | Rule::Timestamp)),
            "{file}: svc reports {errors:?}"
        );
        let own = validator(&schema_of_folder(&file));
        assert!(
            !own.is_valid(&instance(&text)),
            "{file} is accepted by its schema"
        );
    }
}

/// A step into a JSON document.
#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn at_path<'v>(value: &'v mut Value, path: &[Step]) -> &'v mut Value {
    path.iter().fold(value, |value, step| match step {
        Step::Key(key) => &mut value[key.as_str()],
        Step::Index(i) => &mut value[*i],
    })
}

/// Every path to a value in `value`, parents first.
fn paths(value: &Value, prefix: Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let mut path = prefix.clone();
                path.push(Step::Key(key.clone()));
                out.push(path.clone());
                paths(child, path, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let mut path = prefix.clone();
                path.push(Step::Index(index));
                out.push(path.clone());
                paths(child, path, out);
            }
        }
        _ => {}
    }
}

/// The part of `schema` that describes `value` (following `anyOf` to the
/// branch of the value's type).
fn branch<'s>(schema: &'s Value, value: &Value) -> &'s Value {
    let Some(branches) = schema.get("anyOf").and_then(Value::as_array) else {
        return schema;
    };
    let json_type = match value {
        Value::Object(_) => "object",
        Value::Array(_) => "array",
        _ => return schema,
    };
    branches
        .iter()
        .find(|b| match &b["type"] {
            Value::String(t) => t == json_type,
            Value::Array(types) => types.iter().any(|t| t == json_type),
            _ => false,
        })
        .map_or(schema, |b| branch(b, value))
}

fn schema_at<'s>(schema: &'s Value, document: &Value, path: &[Step]) -> &'s Value {
    let mut schema = branch(schema, document);
    let mut value = document;
    for step in path {
        let (child_schema, child) = match step {
            Step::Key(key) => (
                schema["properties"]
                    .get(key)
                    .unwrap_or(&schema["additionalProperties"]),
                &value[key.as_str()],
            ),
            Step::Index(i) => (&schema["items"], &value[*i]),
        };
        schema = branch(child_schema, child);
        value = child;
    }
    schema
}

/// The samples with every field: `(file, kind, JSON of the record)`.
fn samples() -> Vec<(String, Schema, Value)> {
    record_files(&root().join("tests/fixtures/schema/valid"))
        .into_iter()
        .map(|(file, text)| {
            let schema = schema_of_folder(&file);
            (file, schema, instance(&text))
        })
        .collect()
}

/// The decoder's own list of the keys a mapping takes, from its help on an
/// unknown key; `None` when it reported none (a mapping with free-form keys).
fn decoder_keys(file: &str, document: &Value, path: &[Step]) -> Option<Vec<String>> {
    const PROBE: &str = "zz_probe_key";
    let mut probed = document.clone();
    at_path(&mut probed, path)
        .as_object_mut()
        .unwrap()
        .insert(PROBE.into(), json!(1));
    let errors = decoder_errors(file, &probed.to_string());
    let unknown = errors
        .iter()
        .find(|d| d.message == format!("unknown field `{PROBE}`"))?;
    let help = unknown.help.as_deref().unwrap_or_default();
    let keys = help
        .strip_prefix("expected one of: ")
        .unwrap_or_else(|| panic!("{file}: help `{help}` lists no keys"));
    let mut keys: Vec<String> = keys.split(", ").map(String::from).collect();
    keys.sort();
    Some(keys)
}

/// Each mapping of each sample takes exactly the keys its decoder reads: the
/// decoder's list (from its unknown-field help) equals the schema's properties,
/// and a free-form mapping is free-form in both.
#[test]
fn every_mapping_has_the_decoders_fields() {
    let mut mappings = 0;
    for (file, schema, document) in samples() {
        let mut all_paths = vec![Vec::new()];
        paths(&document, Vec::new(), &mut all_paths);
        for path in all_paths {
            let mut copy = document.clone();
            if !at_path(&mut copy, &path).is_object() {
                continue;
            }
            let part = schema_at(&schema.document, &document, &path);
            let schema_keys = (part["additionalProperties"] == json!(false)).then(|| {
                let mut keys: Vec<String> = part["properties"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect();
                keys.sort();
                keys
            });
            assert_eq!(
                decoder_keys(&file, &document, &path),
                schema_keys,
                "{file} at {path:?}"
            );
            mappings += 1;
        }
    }
    assert!(mappings >= 30, "only {mappings} mappings probed");
}

/// Decoder errors that a schema cannot see: the id against the file name,
/// checks that relate two fields or two list items, and `priority` without a
/// priority matrix (the schemas do not depend on svc.toml, so they take
/// `impact` and `urgency` in its place).
fn beyond_a_schema(diagnostic: &crate::diagnostic::Diagnostic) -> bool {
    diagnostic.rule == Rule::IdMismatch
        || diagnostic.message == "missing required field `priority`"
        || [
            "names the service itself",
            "only the last pause of an unresolved incident may still run",
            "so its last pause must end",
            "is used twice",
            "overlap",
        ]
        .iter()
        .any(|part| diagnostic.message.contains(part))
}

/// A wrong value in any field, a field removed, or null in its place: the
/// schema rejects it only where the decoder does (a schema never refuses what
/// svc takes), and it rejects every such decoder error a schema can express.
#[test]
fn every_field_rejects_what_its_decoder_rejects() {
    let mutations: [(&str, Option<Value>); 8] = [
        ("a mapping", Some(json!({"zz_probe_key": 1}))),
        ("a list", Some(json!(["zz"]))),
        ("an empty list", Some(json!([]))),
        ("text", Some(json!("zz probe"))),
        ("blank text", Some(json!(" "))),
        ("a number", Some(json!(7))),
        ("a boolean", Some(json!(true))),
        ("null", Some(Value::Null)),
    ];
    let mut cases = 0;
    for (file, schema, document) in samples() {
        let validator = validator(&schema);
        let mut all_paths = Vec::new();
        paths(&document, Vec::new(), &mut all_paths);
        for path in all_paths {
            let removal = (matches!(path.last(), Some(Step::Key(_))), None);
            for (what, replacement) in mutations.iter().cloned().chain([("removed", removal.1)]) {
                let mut mutated = document.clone();
                match replacement {
                    Some(value) => *at_path(&mut mutated, &path) = value,
                    None if removal.0 => {
                        let (last, parent) = path.split_last().unwrap();
                        if let Step::Key(key) = last {
                            at_path(&mut mutated, parent)
                                .as_object_mut()
                                .unwrap()
                                .remove(key);
                        }
                    }
                    None => continue,
                }
                let errors = decoder_errors(&file, &mutated.to_string());
                let schema_problems = problems(&validator, &mutated);
                let case = format!("{file} at {path:?} as {what}");
                if !schema_problems.is_empty() {
                    assert!(
                        !errors.is_empty(),
                        "{case}: the schema rejects what svc takes: {schema_problems:?}"
                    );
                }
                if errors.iter().any(|d| !beyond_a_schema(d)) {
                    assert!(
                        !schema_problems.is_empty(),
                        "{case}: the schema takes what svc rejects: {errors:?}"
                    );
                }
                cases += 1;
            }
        }
    }
    assert!(cases > 1000, "only {cases} cases");
}

/// svc.toml: each table of the full sample takes exactly the keys the config
/// reader knows (from its unknown-key help), and every schema problem is one
/// the reader reports too.
#[test]
fn every_svc_toml_table_has_the_readers_keys() {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/schema/valid/svc.toml")).unwrap();
    let document = toml_to_json(&toml::from_str::<toml::Value>(&text).unwrap());
    let schema = find("svc.toml").unwrap().document;
    let mut tables = vec![Vec::new()];
    paths(&document, Vec::new(), &mut tables);
    let mut probed = 0;
    for path in tables {
        let mut copy = document.clone();
        if !at_path(&mut copy, &path).is_object() {
            continue;
        }
        let part = schema_at(&schema, &document, &path);
        if part["additionalProperties"] != json!(false) {
            continue;
        }
        let mut expected: Vec<String> = part["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        expected.sort();
        at_path(&mut copy, &path)
            .as_object_mut()
            .unwrap()
            .insert("zz_probe_key".into(), json!(1));
        let toml_text = toml::to_string(&copy).unwrap();
        let (_, diagnostics) = crate::model::config::parse(&toml_text);
        let help = diagnostics
            .iter()
            .find(|d| d.message.contains("zz_probe_key"))
            .and_then(|d| d.help.clone())
            .unwrap_or_else(|| panic!("no unknown-key error at {path:?}"));
        let mut keys: Vec<String> = help
            .strip_prefix("expected one of: ")
            .unwrap_or_else(|| panic!("help `{help}` lists no keys"))
            .split(", ")
            .map(String::from)
            .collect();
        keys.sort();
        assert_eq!(keys, expected, "svc.toml at {path:?}");
        probed += 1;
    }
    assert!(probed >= 10, "only {probed} tables probed");
}

#[test]
fn yaml_scalars_are_typed_as_yaml_1_2_tools_type_them() {
    assert_eq!(plain_scalar("3"), json!(3));
    assert_eq!(plain_scalar("-3"), json!(-3));
    assert_eq!(plain_scalar("99.9"), json!(99.9));
    assert_eq!(plain_scalar("1e3"), json!(1000.0));
    assert_eq!(plain_scalar("yes"), json!("yes"));
    assert_eq!(
        plain_scalar("2026-03-02T09:14:00Z"),
        json!("2026-03-02T09:14:00Z")
    );
    assert_eq!(plain_scalar("99.9%"), json!("99.9%"));
    assert_eq!(plain_scalar(".nan"), json!(".nan"));
    assert_eq!(plain_scalar("~"), Value::Null);
    assert_eq!(plain_scalar("0x1F"), json!(31));
    assert!(!is_core_float("."));
    assert!(!is_core_float("1e"));
}

/// Time-zone names are matched as svc matches them: exactly.
#[test]
fn time_zones_are_the_ones_svc_accepts() {
    let zones = &super::records::time_zone()["enum"];
    let zones = zones.as_array().unwrap();
    assert!(zones.len() > 400);
    assert!(
        zones
            .iter()
            .all(|z| crate::model::calendar::parse_timezone(z.as_str().unwrap()).is_ok())
    );
    let lower_case_accepted = crate::model::calendar::parse_timezone("europe/berlin").is_ok();
    assert!(
        !lower_case_accepted,
        "svc takes lower-case zones: the enum must too"
    );
}
