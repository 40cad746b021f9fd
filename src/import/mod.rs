//! Importing incident history from other tools (SPEC §10). Pure: bytes in,
//! records out. `commands/import.rs` reads the file, decides what to write and
//! writes it; nothing here touches the file system.
//!
//! - [`servicenow`] turns a ServiceNow CSV export (list or event log) into
//!   [`servicenow::Imported`] incidents and the rows it skipped, with reasons.
//! - [`render`] writes an imported incident as a new record file, and plans the
//!   comment-preserving edit of an existing one.
//! - [`unpack`] takes the one CSV out of a zip, since that is how such exports
//!   are mailed around.

pub mod render;
pub mod servicenow;

use std::io::Read as _;

/// The four bytes every zip file starts with (a local file header).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The largest CSV svc takes out of a zip: a guard against a zip bomb, well
/// above the largest real export seen (the 40 MB event log).
pub const MAX_UNPACKED_BYTES: u64 = 2 << 30;

/// True when `bytes` are a zip archive rather than CSV text.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC)
}

/// The CSV inside the zip archive `bytes`: its one `*.csv` entry (or its one
/// entry of any name, when it holds a single file). Anything else is an error
/// saying what the archive holds.
pub fn unpack(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("not a zip archive svc can read: {e}"))?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .filter(|name| !name.ends_with('/'))
        .map(|name| name.to_string())
        .collect();
    let csvs: Vec<&String> = names
        .iter()
        .filter(|name| name.to_ascii_lowercase().ends_with(".csv"))
        .collect();
    let chosen = match (csvs.as_slice(), names.as_slice()) {
        ([one], _) => (*one).clone(),
        ([], [only]) => only.clone(),
        ([], _) => {
            return Err(format!(
                "the zip holds no .csv file (it holds {})",
                listed(&names)
            ));
        }
        (many, _) => {
            let many: Vec<String> = many.iter().map(|s| (*s).clone()).collect();
            return Err(format!(
                "the zip holds {} CSV files ({}); svc imports one at a time",
                many.len(),
                listed(&many)
            ));
        }
    };
    let entry = archive
        .by_name(&chosen)
        .map_err(|e| format!("cannot read `{chosen}` in the zip: {e}"))?;
    let mut out = Vec::new();
    entry
        .take(MAX_UNPACKED_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot unpack `{chosen}`: {e}"))?;
    if out.len() as u64 > MAX_UNPACKED_BYTES {
        return Err(format!(
            "`{chosen}` unpacks to more than {} GiB",
            MAX_UNPACKED_BYTES >> 30
        ));
    }
    Ok(out)
}

/// Up to five names, quoted, for a message.
fn listed(names: &[String]) -> String {
    if names.is_empty() {
        return "nothing".into();
    }
    let mut shown: Vec<String> = names.iter().take(5).map(|n| format!("`{n}`")).collect();
    if names.len() > 5 {
        shown.push(format!("and {} more", names.len() - 5));
    }
    shown.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut buffer);
        for (name, text) in files {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            writer.start_file(*name, options).unwrap();
            writer.write_all(text.as_bytes()).unwrap();
        }
        writer.finish().unwrap();
        buffer.into_inner()
    }

    #[test]
    fn the_one_csv_of_a_zip_is_unpacked() {
        let bytes = zip_of(&[("README.txt", "hi"), ("log.csv", "number\nINC1\n")]);
        assert!(is_zip(&bytes));
        assert_eq!(unpack(&bytes).unwrap(), b"number\nINC1\n");
    }

    #[test]
    fn a_zip_with_two_csvs_or_none_is_an_error_naming_what_it_holds() {
        let two = zip_of(&[("a.csv", "x"), ("b.csv", "y")]);
        assert_eq!(
            unpack(&two).unwrap_err(),
            "the zip holds 2 CSV files (`a.csv`, `b.csv`); svc imports one at a time"
        );
        let none = zip_of(&[("a.txt", "x"), ("b.txt", "y")]);
        assert_eq!(
            unpack(&none).unwrap_err(),
            "the zip holds no .csv file (it holds `a.txt`, `b.txt`)"
        );
        assert!(unpack(b"PK\x03\x04garbage").is_err());
        assert!(!is_zip(b"number,opened_at\n"));
    }
}
