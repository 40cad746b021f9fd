//! Renderers for `svc export incidents`: JSON Lines and CSV from the same rows,
//! through one list of cells per row, so the two formats have the same columns
//! in the same order and cannot disagree (docs/warehouse.md).
//!
//! Conventions: timestamps are RFC 3339 in UTC to the second (`...Z`); a value
//! that is missing is `null` in JSON Lines and an empty cell in CSV; every key
//! is present in every JSON line. Record text in CSV is neutralised against
//! formula injection by [`CsvCell::text`]; JSON strings are escaped as in every
//! svc JSON output (`render::json`).

use std::collections::BTreeMap;
use std::io::{self, Write};

use chrono::{DateTime, FixedOffset, Utc};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::json as json_out;
use super::table::CsvCell;
use crate::export::incidents::{COLUMNS, IncidentExport, IncidentExportRow};
use crate::sla::evaluate::TargetResult;

/// One value of a row, typed so that each format writes it its own way.
#[derive(Clone, Debug, PartialEq)]
enum Cell<'a> {
    /// Text from the record (neutralised in CSV).
    Text(Option<&'a str>),
    /// A word svc itself writes (`met`, `resolved`, `matrix`).
    Word(Option<&'static str>),
    /// A count or a number of seconds.
    Int(Option<i64>),
    /// A flag.
    Bool(Option<bool>),
    /// An instant, written in UTC.
    Time(Option<DateTime<Utc>>),
    /// `external`: ids in other systems.
    Map(&'a BTreeMap<String, String>),
}

fn utc(at: Option<DateTime<FixedOffset>>) -> Option<DateTime<Utc>> {
    at.map(|t| t.to_utc())
}

fn time_text(at: DateTime<Utc>) -> String {
    super::timestamp(at, chrono_tz::Tz::UTC)
}

/// The cells of `row`, in the order of [`COLUMNS`].
fn cells<'a>(row: &'a IncidentExportRow<'a>, now: DateTime<Utc>) -> [Cell<'a>; COLUMNS.len()] {
    let i = row.incident;
    let text = |value: &'a Option<crate::model::decode::Spanned<String>>| {
        Cell::Text(value.as_ref().map(|v| v.value.as_str()))
    };
    let time = |value: &Option<crate::model::decode::Spanned<chrono::DateTime<FixedOffset>>>| {
        Cell::Time(utc(value.as_ref().map(|v| v.value)))
    };
    let count = |n: usize| Cell::Int(Some(i64::try_from(n).unwrap_or(i64::MAX)));
    let evaluation = row.sla.as_ref().map(|s| &s.evaluation);
    let target = |pick: fn(&crate::sla::evaluate::Evaluation) -> &TargetResult| {
        let result = evaluation.map(pick);
        [
            Cell::Int(result.map(|r| r.target_seconds)),
            Cell::Int(result.map(|r| r.counted_seconds)),
            Cell::Word(result.map(|r| r.state.as_str())),
        ]
    };
    let [response_target, response_counted, response_state] = target(|e| &e.response);
    let [resolution_target, resolution_counted, resolution_state] = target(|e| &e.resolution);
    [
        Cell::Text(Some(i.id.as_str())),
        Cell::Text(Some(row.service)),
        Cell::Text(row.owner),
        text(&i.title),
        Cell::Text(Some(row.priority)),
        Cell::Word(Some(row.priority_source())),
        Cell::Int(i.impact.as_ref().map(|v| i64::from(v.value))),
        Cell::Int(i.urgency.as_ref().map(|v| i64::from(v.value))),
        text(&i.category),
        Cell::Word(Some(i.derived_status())),
        time(&i.opened_at),
        time(&i.acknowledged_at),
        Cell::Time(utc(i.effective_acknowledgement())),
        time(&i.resolved_at),
        time(&i.closed_at),
        count(i.paused.len()),
        Cell::Int(Some(row.paused_seconds)),
        count(i.outage.len()),
        Cell::Int(Some(row.outage_seconds)),
        Cell::Int(i.satisfaction.as_ref().map(|v| i64::from(v.value))),
        text(&i.feedback),
        text(&i.problem),
        text(&i.caused_by_change),
        text(&i.root_cause),
        text(&i.postmortem),
        Cell::Text(row.sla.as_ref().map(|s| s.policy)),
        Cell::Bool(row.sla.as_ref().map(|s| s.business_hours)),
        response_target,
        response_counted,
        response_state,
        resolution_target,
        resolution_counted,
        resolution_state,
        Cell::Word(evaluation.map(|e| e.state.as_str())),
        Cell::Int(row.time_to_acknowledge_seconds),
        Cell::Int(row.time_to_resolve_seconds),
        Cell::Time(Some(now)),
        Cell::Map(&i.external),
    ]
}

/// One JSON line: the columns as keys, in order.
struct JsonRow<'a> {
    cells: [Cell<'a>; COLUMNS.len()],
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(COLUMNS.len()))?;
        for (key, cell) in COLUMNS.iter().zip(&self.cells) {
            match cell {
                Cell::Text(v) => map.serialize_entry(key, v)?,
                Cell::Word(v) => map.serialize_entry(key, v)?,
                Cell::Int(v) => map.serialize_entry(key, v)?,
                Cell::Bool(v) => map.serialize_entry(key, v)?,
                Cell::Time(v) => map.serialize_entry(key, &v.map(time_text))?,
                Cell::Map(v) => map.serialize_entry(key, v)?,
            }
        }
        map.end()
    }
}

/// JSON Lines: one object per incident, nothing else (what was left out goes
/// to stderr, as `svc sla` says it).
pub fn render_jsonl(out: &mut impl Write, export: &IncidentExport) -> io::Result<()> {
    for row in &export.rows {
        json_out::write_line(
            out,
            &JsonRow {
                cells: cells(row, export.now),
            },
        )?;
    }
    Ok(())
}

/// CSV with a header row of [`COLUMNS`]; `external` is a JSON object in one
/// cell (empty when the record has none).
pub fn render_csv(out: &mut impl Write, export: &IncidentExport) -> io::Result<()> {
    let rows = export.rows.iter().map(|row| {
        cells(row, export.now).map(|cell| match cell {
            Cell::Text(v) => CsvCell::text(v.unwrap_or_default()),
            Cell::Word(v) => CsvCell::figure(v),
            Cell::Int(v) => CsvCell::figure(v),
            Cell::Bool(v) => CsvCell::figure(v),
            Cell::Time(v) => CsvCell::figure(v.map(time_text)),
            Cell::Map(v) if v.is_empty() => CsvCell::text(""),
            Cell::Map(v) => CsvCell::text(serde_json::to_string(v).unwrap_or_default()),
        })
    });
    super::table::csv(out, &COLUMNS, rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Record, decode_file};

    fn incident(text: &str) -> crate::model::Incident {
        match decode_file("incidents/I-1.yaml", text) {
            (Some(Record::Incident(i)), d) if d.is_empty() => i,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn both_formats_have_the_columns_in_order_and_nulls_as_documented() {
        let record = incident(
            "kind: Incident\nid: I-1\nservice: s\ntitle: \"=1+1, \\\"x\\\"\"\npriority: P1\nopened_at: 2026-03-02T09:00:00+01:00\n",
        );
        let now = DateTime::parse_from_rfc3339("2026-03-03T00:00:00Z")
            .unwrap()
            .to_utc();
        let export = IncidentExport {
            period: crate::sla::period::Period {
                since: now,
                until: now,
            },
            now,
            rows: vec![IncidentExportRow {
                incident: &record,
                service: "s",
                owner: None,
                priority: "P1",
                sla: None,
                paused_seconds: 0,
                outage_seconds: 0,
                time_to_acknowledge_seconds: None,
                time_to_resolve_seconds: None,
            }],
            skipped: vec![],
        };
        let mut jsonl = Vec::new();
        render_jsonl(&mut jsonl, &export).unwrap();
        let line: serde_json::Value = serde_json::from_slice(&jsonl).unwrap();
        let keys: Vec<&str> = line
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, COLUMNS);
        assert_eq!(line["opened_at"], "2026-03-02T08:00:00Z");
        assert_eq!(line["state"], serde_json::Value::Null);
        assert_eq!(line["external"], serde_json::json!({}));
        assert_eq!(jsonl.iter().filter(|b| **b == b'\n').count(), 1);
        let mut csv = Vec::new();
        render_csv(&mut csv, &export).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some(COLUMNS.join(",").as_str()));
        let row = lines.next().unwrap();
        assert!(
            row.starts_with("I-1,s,,\"'=1+1, \"\"x\"\"\",P1,written,,,,open,2026-03-02T08:00:00Z,"),
            "{row}"
        );
        assert!(row.ends_with(",2026-03-03T00:00:00Z,"), "{row}");
    }
}
