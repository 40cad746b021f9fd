//! Tables for people (comfy-table), shared by the list and report commands.

use comfy_table::{ContentArrangement, Table, presets};

/// A table with svc's look; `header` names the columns.
pub fn new(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    table
}

/// Escapes a Markdown table cell.
pub fn markdown_cell(text: &str) -> String {
    super::sanitize(text)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
}

/// A Markdown pipe table.
pub fn markdown(
    out: &mut impl std::io::Write,
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> std::io::Result<()> {
    writeln!(out, "| {} |", header.join(" | "))?;
    writeln!(out, "|{}|", vec!["---"; header.len()].join("|"))?;
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| markdown_cell(c)).collect();
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

/// A CSV document (RFC 4180 quoting by the csv crate).
pub fn csv<R: IntoIterator<Item = String>>(
    out: &mut impl std::io::Write,
    header: &[&str],
    rows: impl Iterator<Item = R>,
) -> std::io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(header).map_err(std::io::Error::other)?;
    for row in rows {
        writer.write_record(row).map_err(std::io::Error::other)?;
    }
    writer.flush()
}
