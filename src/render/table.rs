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
