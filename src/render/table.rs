//! Tables for people (comfy-table), shared by the list and report commands.

use std::sync::atomic::{AtomicU16, Ordering};

use comfy_table::{ColumnConstraint, ContentArrangement, Table, presets};

/// The width every table is fitted to, set once by the command layer from
/// `COLUMNS`; 0 when unset. One setting for every table of every command, so
/// no report can forget to fit.
static WIDTH: AtomicU16 = AtomicU16::new(0);

/// Fits every table to `width` columns (`COLUMNS`), whether stdout is a
/// terminal or not; `None` fits tables to the terminal when stdout is one and
/// leaves them at full width in a pipe or a file.
pub fn set_width(width: Option<u16>) {
    WIDTH.store(width.unwrap_or(0), Ordering::Relaxed);
}

/// A table with svc's look; `header` names the columns. It fits the width of
/// [`set_width`], else of the terminal: the first column (the id) keeps its
/// width, the others wrap at word boundaries, the widest first (comfy-table's
/// dynamic arrangement), and when even that cannot fit, columns are hidden from
/// the right. In a pipe it keeps full width.
pub fn new(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.to_vec());
    match WIDTH.load(Ordering::Relaxed) {
        0 => {}
        width => {
            table.set_width(width);
        }
    }
    if let Some(first) = table.column_mut(0) {
        first.set_constraint(ColumnConstraint::ContentWidth);
    }
    if let Some(width) = table.width() {
        hide_what_cannot_fit(&mut table, header, usize::from(width));
    }
    table
}

/// Hides columns from the right (the first columns matter most in every svc
/// table, the id first of all) until each shown column has room for the
/// longest word of its header: squeezed any narrower, a column shows one
/// letter a line and helps nobody. The id column is never hidden.
fn hide_what_cannot_fit(table: &mut Table, header: &[&str], width: usize) {
    // Each column costs its content, two spaces of padding and one border.
    let cost = |name: &str| {
        name.split_whitespace()
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(1)
            + 3
    };
    let mut shown = header.len();
    while shown > 1 && 1 + header[..shown].iter().map(|h| cost(h)).sum::<usize>() > width {
        shown -= 1;
        if let Some(column) = table.column_mut(shown) {
            column.set_constraint(ColumnConstraint::Hidden);
        }
    }
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
