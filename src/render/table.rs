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

/// One CSV cell: text that comes from records, neutralised by
/// [`super::csv_text`], or a figure svc computed itself (a count, counted
/// seconds, a percentage, `true`), written as it is so that a negative number
/// stays a number in a spreadsheet.
#[derive(Clone, Debug, PartialEq)]
pub enum CsvCell {
    /// Text from records (ids, owners, priorities, names): neutralised.
    Text(String),
    /// A value svc computed: written as it is.
    Figure(String),
}

impl CsvCell {
    /// A cell of record text.
    pub fn text(text: impl Into<String>) -> CsvCell {
        CsvCell::Text(text.into())
    }

    /// A cell holding a figure svc computed (`None`: empty).
    pub fn figure(value: Option<impl ToString>) -> CsvCell {
        CsvCell::Figure(value.map(|v| v.to_string()).unwrap_or_default())
    }

    /// The cell as written.
    fn written(&self) -> std::borrow::Cow<'_, str> {
        match self {
            CsvCell::Text(text) => super::csv_text(text),
            // A figure is made by svc from numbers and its own words; escaping
            // it too costs nothing and keeps the guarantee unconditional.
            CsvCell::Figure(figure) => super::sanitize(figure),
        }
    }
}

/// A CSV document (RFC 4180 quoting by the csv crate): every record-text cell
/// neutralised against formula injection and terminal escapes (issue 11,
/// findings 8 and 9). The header is svc's own.
pub fn csv<R: IntoIterator<Item = CsvCell>>(
    out: &mut impl std::io::Write,
    header: &[&str],
    rows: impl Iterator<Item = R>,
) -> std::io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(header).map_err(std::io::Error::other)?;
    for row in rows {
        let cells: Vec<CsvCell> = row.into_iter().collect();
        writer
            .write_record(cells.iter().map(|cell| cell.written().into_owned()))
            .map_err(std::io::Error::other)?;
    }
    writer.flush()
}
