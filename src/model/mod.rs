//! The typed records of a service repo (SPEC §1) and how each is decoded from a
//! positioned YAML tree. Nothing here touches the file system.

pub mod calendar;
pub mod change;
pub mod config;
pub mod decode;
pub mod incident;
pub mod policy;
pub mod problem;
pub mod progress;
mod records;
pub mod service;

use crate::diagnostic::{Diagnostic, Rule};
use crate::yaml::{self, Node, Pos};
use decode::{Decoder, Spanned};

pub use calendar::Calendar;
pub use change::Change;
pub use config::Config;
pub use incident::Incident;
pub use policy::SlaPolicy;
pub use problem::Problem;
pub use records::{Records, Unloaded};
pub use service::Service;

/// The record kinds svc knows.
pub const KINDS: [&str; 6] = [
    "Service",
    "SlaPolicy",
    "Calendar",
    "Incident",
    "Change",
    "Problem",
];

/// The folder of each kind (SPEC §1), in the order of [`KINDS`].
pub const FOLDERS: [&str; 6] = [
    "services",
    "policies",
    "calendars",
    "incidents",
    "changes",
    "problems",
];

/// The kind whose default folder is `folder`.
pub fn kind_of_folder(folder: &str) -> Option<&'static str> {
    FOLDERS
        .iter()
        .position(|f| *f == folder)
        .map(|index| KINDS[index])
}

/// One decoded record of any kind.
#[derive(Clone, Debug)]
pub enum Record {
    /// `kind: Service`
    Service(Service),
    /// `kind: SlaPolicy`
    Policy(SlaPolicy),
    /// `kind: Calendar`
    Calendar(Calendar),
    /// `kind: Incident`
    Incident(Incident),
    /// `kind: Change`
    Change(Change),
    /// `kind: Problem`
    Problem(Problem),
}

/// A record together with the file it came from.
#[derive(Clone, Debug)]
pub struct Located<T> {
    /// File relative to the repo root.
    pub file: String,
    /// The record.
    pub record: T,
    /// A fingerprint of the bytes the record was decoded from, so an edit can
    /// tell whether the file changed after svc loaded it.
    pub digest: u64,
}

/// Parses and decodes one record file against the default svc.toml. Returns the
/// record (when its kind could be told, so that it can take part in cross-record
/// checks) and the file's diagnostics.
pub fn decode_file(file: &str, text: &str) -> (Option<Record>, Vec<Diagnostic>) {
    decode_file_with(file, text, &Config::default())
}

/// [`decode_file`] against `config`: its nesting limit, priority matrix and
/// pause rule.
pub fn decode_file_with(
    file: &str,
    text: &str,
    config: &Config,
) -> (Option<Record>, Vec<Diagnostic>) {
    let mut decoder = Decoder::new(file);
    let record = match yaml::parse_document_limited(text, config.max_depth) {
        Ok(Some(root)) => decode_record(&mut decoder, &root, config),
        Ok(None) => decoder.schema(
            Pos::default(),
            "the file is empty; expected one record with a `kind`",
        ),
        Err(e) => {
            decoder.push(Diagnostic::error(Rule::YamlSyntax, file, e.pos, e.message));
            None
        }
    };
    (record, decoder.diagnostics)
}

fn decode_record(decoder: &mut Decoder, root: &Node, config: &Config) -> Option<Record> {
    if root.as_map().is_none() {
        return decoder.schema(
            root.pos,
            format!(
                "the file must hold a mapping (`kind: ...` and its fields), found {}",
                root.type_name()
            ),
        );
    }
    let mut fields = decoder.fields(root, "the file")?;
    if let Some(version) = fields.get("apiVersion")
        && let Some(version) = decoder.string(version, "apiVersion")
        && version.value != "svc/v1"
    {
        decoder.push(
            Diagnostic::error(
                Rule::Schema,
                decoder.file,
                version.pos,
                format!("unsupported `apiVersion` `{}`", version.value),
            )
            .with_help("use `apiVersion: svc/v1` or leave it out"),
        );
    }
    let kind_node = fields.require(decoder, "kind", "")?;
    let kind = decoder.one_of(kind_node, "kind", &KINDS)?;
    // A record without an id is still checked: it is known by its file name,
    // which its id must equal anyway.
    let kebab = matches!(kind.value.as_str(), "Service" | "SlaPolicy" | "Calendar");
    let id = match fields.required(decoder, "id", |d, n| d.string(n, "id")) {
        Some(id) => check_id(decoder, id, kebab),
        None => Spanned::new(file_stem(decoder.file).to_string(), root.pos),
    };
    let record = match kind.value.as_str() {
        "Service" => Some(Record::Service(service::decode(
            decoder,
            &mut fields,
            id,
            root,
        ))),
        "SlaPolicy" => policy::decode(decoder, &mut fields, id).map(Record::Policy),
        "Calendar" => calendar::decode(decoder, &mut fields, id).map(Record::Calendar),
        "Incident" => Some(Record::Incident(incident::decode(
            decoder,
            &mut fields,
            id,
            config,
        ))),
        "Change" => Some(Record::Change(change::decode(decoder, &mut fields, id))),
        _ => Some(Record::Problem(problem::decode(decoder, &mut fields, id))),
    };
    fields.finish(decoder);
    record
}

/// Local midnight of `date` in `tz` as an instant (the first valid instant when
/// a DST change skips midnight).
pub fn local_midnight(date: chrono::NaiveDate, tz: chrono_tz::Tz) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let mut time = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    for _ in 0..48 {
        if let Some(at) = tz.from_local_datetime(&time).earliest() {
            return at.to_utc();
        }
        time += chrono::Duration::minutes(30);
    }
    chrono::Utc.from_utc_datetime(&time)
}

/// True for ids of SPEC §1: `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`.
pub fn is_valid_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// True for lower-case kebab ids (`payments-api`).
pub fn is_kebab_id(id: &str) -> bool {
    is_valid_id(id)
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Checks an id's shape and that it equals the file stem (`id-mismatch`).
fn check_id(decoder: &mut Decoder, id: Spanned<String>, kebab: bool) -> Spanned<String> {
    let stem = file_stem(decoder.file);
    let problem = if !is_valid_id(&id) {
        Some((
            format!("malformed id `{}`", id.value),
            "ids start with a letter or digit and use only letters, digits, `.`, `_` and `-` (at most 128)".to_string(),
        ))
    } else if kebab && !is_kebab_id(&id) {
        Some((
            format!("id `{}` is not lower-case kebab case", id.value),
            format!("use an id like `{}`", to_kebab(&id)),
        ))
    } else if id.value != stem {
        // Suggest taking the file name as the id only when it would be a valid id.
        let stem_is_an_id = if kebab {
            is_kebab_id(stem)
        } else {
            is_valid_id(stem)
        };
        let help = if stem_is_an_id {
            format!("rename the file to `{}.yaml` or set `id: {stem}`", id.value)
        } else {
            format!("rename the file to `{}.yaml`", id.value)
        };
        Some((
            format!("id `{}` differs from the file name `{stem}`", id.value),
            help,
        ))
    } else {
        None
    };
    if let Some((message, help)) = problem {
        decoder.push(
            Diagnostic::error(Rule::IdMismatch, decoder.file, id.pos, message).with_help(help),
        );
    }
    id
}

/// The file name of `file` without `.yaml` / `.yml`: the id its record should have.
pub fn file_stem(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
        .unwrap_or(name)
}

fn to_kebab(id: &str) -> String {
    let mut out = String::new();
    for c in id.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_shapes() {
        assert!(is_valid_id("INC-2026-0042"));
        assert!(!is_valid_id("../x"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id(&"a".repeat(129)));
        assert!(is_kebab_id("payments-api"));
        assert!(!is_kebab_id("Payments_API"));
        assert!(!is_kebab_id("a--b"));
    }
}
