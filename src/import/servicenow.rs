//! A ServiceNow incident export (CSV) to incidents, by SPEC §10's mapping.
//!
//! Two shapes arrive: the **list export** (one row per incident, what a list
//! view's "Export → CSV" gives) and the **event log** (one row per update of an
//! incident, several per `number`, as in the public "incident management process
//! enriched event log"). A file in which some `number` occurs twice is an event
//! log. Its rows are put in order per incident by `sys_mod_count`, then
//! `sys_updated_at`, then their place in the file; the last row gives the
//! fields, and the states the rows pass through give the acknowledgement and
//! the pauses.
//!
//! `?` (ServiceNow's missing value) and an empty cell are the same: missing.
//! Timestamps are local wall-clock times in the zone given; a time that falls in
//! a DST gap is read with the offset in force just before the gap (02:30 on a
//! spring-forward night in Berlin is 03:30+02:00, the instant a clock that was
//! not moved would show), and a time that a fold repeats is the first of the
//! two instants — so every run reads a file the same way.
//!
//! What cannot be imported is skipped and counted by reason, with the file
//! lines it came from: a row with a date svc cannot read (the row alone; the
//! incident's other events still count), an incident without `opened_at`,
//! resolved before it was opened, closed before it was resolved, or with a
//! `number` that is not an svc id.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, Offset as _, TimeZone as _, Utc};
use chrono_tz::Tz;

/// The columns without which nothing can be imported.
pub const REQUIRED_COLUMNS: [&str; 2] = ["number", "opened_at"];

/// The further columns an event log needs: its order and its states.
pub const EVENT_LOG_COLUMNS: [&str; 2] = ["incident_state", "sys_updated_at"];

/// The external keys the import writes, after the ServiceNow column they hold.
pub const EXTERNAL_NUMBER: &str = "servicenow_number";
/// `problem_id` as written in the export.
pub const EXTERNAL_PROBLEM: &str = "servicenow_problem_id";
/// `rfc` as written in the export.
pub const EXTERNAL_RFC: &str = "servicenow_rfc";
/// `caused_by` as written in the export.
pub const EXTERNAL_CAUSED_BY: &str = "servicenow_caused_by";

/// The service of incidents without an assignment group.
pub const UNASSIGNED: &str = "unassigned";

/// Which of the two export shapes a file has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One row per incident.
    List,
    /// Several rows per incident, one per update.
    EventLog,
}

impl Shape {
    /// The shape's name in the summary.
    pub fn name(self) -> &'static str {
        match self {
            Shape::List => "list export",
            Shape::EventLog => "event log",
        }
    }
}

/// Why a row (or an incident) was not imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// A date cell svc cannot read (this row alone is skipped).
    BadDate,
    /// `number` is missing or not an svc id.
    BadNumber,
    /// No `opened_at`.
    NoOpenedAt,
    /// Resolved (or closed, without a resolution) before it was opened.
    ResolvedBeforeOpened,
    /// Closed before it was resolved.
    ClosedBeforeResolved,
}

impl SkipReason {
    /// The reason's id in the summary and the docs.
    pub fn id(self) -> &'static str {
        match self {
            SkipReason::BadDate => "bad-date",
            SkipReason::BadNumber => "bad-number",
            SkipReason::NoOpenedAt => "no-opened-at",
            SkipReason::ResolvedBeforeOpened => "resolved-before-opened",
            SkipReason::ClosedBeforeResolved => "closed-before-resolved",
        }
    }
}

/// A row (or, for the reasons of a whole incident, the incident's last row)
/// that was not imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Why.
    pub reason: SkipReason,
    /// The 1-based line of the file where the row starts (the header is line 1).
    pub line: u64,
    /// The incident's `number`, when it had one.
    pub number: Option<String>,
}

/// A pause of the SLA clock taken from the event log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pause {
    /// Entering the `Awaiting …` state.
    pub from: DateTime<FixedOffset>,
    /// Leaving it; None while an unresolved incident still waits.
    pub to: Option<DateTime<FixedOffset>>,
    /// The state, kebab-cased (`awaiting-user-info`).
    pub reason: String,
}

/// One incident as the export gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    /// `number`: the record id.
    pub id: String,
    /// `assignment_group`, kebab-cased (`unassigned` when missing).
    pub service: String,
    /// The group as written, for the name of a service created for it.
    pub service_name: String,
    /// `short_description`, else `category / subcategory`.
    pub title: String,
    /// `P<N>` from `N - Name`.
    pub priority: Option<String>,
    /// 1..3 from `N - Name`.
    pub impact: Option<u8>,
    /// 1..3 from `N - Name`.
    pub urgency: Option<u8>,
    /// `category`.
    pub category: Option<String>,
    /// `opened_at`.
    pub opened_at: DateTime<FixedOffset>,
    /// From the event log: the first event in a working state, kept within
    /// `[opened_at, resolved_at]`.
    pub acknowledged_at: Option<DateTime<FixedOffset>>,
    /// `resolved_at`, else `closed_at`.
    pub resolved_at: Option<DateTime<FixedOffset>>,
    /// `closed_at`.
    pub closed_at: Option<DateTime<FixedOffset>>,
    /// From the event log: the `Awaiting …` spans, clipped and merged.
    pub paused: Vec<Pause>,
    /// `problem_id` as written (a Problem id only if the repo has one).
    pub problem_id: Option<String>,
    /// `rfc` as written (a Change id only if the repo has one).
    pub rfc: Option<String>,
    /// `caused_by` as written (a Change id only if the repo has one).
    pub caused_by: Option<String>,
    /// The 1-based line of the row that gave the fields.
    pub line: u64,
}

impl Imported {
    /// The status the timestamps imply (SPEC §1).
    pub fn status(&self) -> &'static str {
        crate::model::incident::status_of(
            self.closed_at.is_some(),
            self.resolved_at.is_some(),
            self.acknowledged_at.is_some(),
        )
    }

    /// The ids in ServiceNow, for `external`.
    pub fn external(&self) -> BTreeMap<&'static str, &str> {
        let mut external = BTreeMap::new();
        external.insert(EXTERNAL_NUMBER, self.id.as_str());
        let optional = [
            (EXTERNAL_PROBLEM, &self.problem_id),
            (EXTERNAL_RFC, &self.rfc),
            (EXTERNAL_CAUSED_BY, &self.caused_by),
        ];
        for (key, value) in optional {
            if let Some(value) = value {
                external.insert(key, value.as_str());
            }
        }
        external
    }
}

/// What a file gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// The file's shape.
    pub shape: Shape,
    /// Data rows read (the header not counted).
    pub rows: usize,
    /// The incidents, in id order.
    pub incidents: Vec<Imported>,
    /// What was skipped, in file order.
    pub skipped: Vec<Skipped>,
}

/// Why a file could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// Columns the import needs are not in the header.
    MissingColumns(Vec<String>),
    /// The CSV itself is broken (an unclosed quote, a row of another width).
    Csv(String),
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::MissingColumns(columns) => {
                let names: Vec<String> = columns.iter().map(|c| format!("`{c}`")).collect();
                write!(
                    f,
                    "the export lacks the required {} {}",
                    if columns.len() == 1 {
                        "column"
                    } else {
                        "columns"
                    },
                    names.join(", ")
                )
            }
            ImportError::Csv(what) => write!(f, "the export is not CSV svc can read: {what}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// The columns the mapping reads, by position in the header.
struct Columns {
    number: usize,
    opened_at: usize,
    state: Option<usize>,
    mod_count: Option<usize>,
    updated_at: Option<usize>,
    resolved_at: Option<usize>,
    closed_at: Option<usize>,
    group: Option<usize>,
    short_description: Option<usize>,
    category: Option<usize>,
    subcategory: Option<usize>,
    priority: Option<usize>,
    impact: Option<usize>,
    urgency: Option<usize>,
    problem_id: Option<usize>,
    rfc: Option<usize>,
    caused_by: Option<usize>,
}

/// One data row, its dates read.
struct Row {
    line: u64,
    /// Place in the file, the last tie-breaker of the event order.
    index: usize,
    cells: csv::StringRecord,
    mod_count: Option<u64>,
    updated_at: Option<DateTime<FixedOffset>>,
    opened_at: Option<DateTime<FixedOffset>>,
    resolved_at: Option<DateTime<FixedOffset>>,
    closed_at: Option<DateTime<FixedOffset>>,
}

/// Reads `bytes`, a ServiceNow incident export, with its timestamps in `zone`.
pub fn parse(bytes: &[u8], zone: Tz) -> Result<Parsed, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| ImportError::Csv(e.to_string()))?
        .clone();
    let find = |name: &str| header.iter().position(|h| h.trim() == name);
    let missing: Vec<String> = REQUIRED_COLUMNS
        .iter()
        .filter(|c| find(c).is_none())
        .map(|c| c.to_string())
        .collect();
    let (Some(number), Some(opened_at)) = (find("number"), find("opened_at")) else {
        return Err(ImportError::MissingColumns(missing));
    };
    let columns = Columns {
        number,
        opened_at,
        state: find("incident_state"),
        mod_count: find("sys_mod_count"),
        updated_at: find("sys_updated_at"),
        resolved_at: find("resolved_at"),
        closed_at: find("closed_at"),
        group: find("assignment_group"),
        short_description: find("short_description"),
        category: find("category"),
        subcategory: find("subcategory"),
        priority: find("priority"),
        impact: find("impact"),
        urgency: find("urgency"),
        problem_id: find("problem_id"),
        rfc: find("rfc"),
        caused_by: find("caused_by"),
    };
    let mut skipped = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut count = 0;
    let mut record = csv::StringRecord::new();
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| ImportError::Csv(e.to_string()))?;
        if !more {
            break;
        }
        count += 1;
        let line = record.position().map_or(0, csv::Position::line);
        // A blank line at the end of a hand-edited file is no row.
        if record.len() == 1 && record.get(0).is_some_and(|c| c.trim().is_empty()) {
            count -= 1;
            continue;
        }
        let date = |column: Option<usize>| -> Result<Option<DateTime<FixedOffset>>, ()> {
            match column.and_then(|c| value(&record, c)) {
                None => Ok(None),
                Some(text) => parse_time(text, zone).map(Some).ok_or(()),
            }
        };
        let dates = (
            date(columns.updated_at),
            date(Some(columns.opened_at)),
            date(columns.resolved_at),
            date(columns.closed_at),
        );
        let number_text = value(&record, columns.number).map(str::to_string);
        let (Ok(updated_at), Ok(opened), Ok(resolved), Ok(closed)) = dates else {
            skipped.push(Skipped {
                reason: SkipReason::BadDate,
                line,
                number: number_text,
            });
            continue;
        };
        let number_ok = number_text
            .as_deref()
            .is_some_and(crate::model::is_valid_id);
        if !number_ok {
            skipped.push(Skipped {
                reason: SkipReason::BadNumber,
                line,
                number: number_text,
            });
            continue;
        }
        rows.push(Row {
            line,
            index: rows.len(),
            mod_count: columns
                .mod_count
                .and_then(|c| value(&record, c))
                .and_then(|t| t.parse().ok()),
            updated_at,
            opened_at: opened,
            resolved_at: resolved,
            closed_at: closed,
            cells: std::mem::take(&mut record),
        });
    }
    let mut by_number: HashMap<&str, Vec<&Row>> = HashMap::new();
    for row in &rows {
        if let Some(number) = value(&row.cells, columns.number) {
            by_number.entry(number).or_default().push(row);
        }
    }
    let shape = if by_number.values().any(|rows| rows.len() > 1) {
        Shape::EventLog
    } else {
        Shape::List
    };
    if shape == Shape::EventLog {
        let missing: Vec<String> = EVENT_LOG_COLUMNS
            .iter()
            .filter(|c| find(c).is_none())
            .map(|c| c.to_string())
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns(missing));
        }
    }
    let mut incidents = Vec::with_capacity(by_number.len());
    for (number, mut events) in by_number {
        events.sort_by(|a, b| {
            (a.mod_count, a.updated_at, a.index).cmp(&(b.mod_count, b.updated_at, b.index))
        });
        match incident(number, &events, &columns, shape) {
            Ok(imported) => incidents.push(imported),
            Err(skip) => skipped.push(skip),
        }
    }
    incidents.sort_by(|a, b| a.id.cmp(&b.id));
    skipped.sort_by_key(|s| s.line);
    Ok(Parsed {
        shape,
        rows: count,
        incidents,
        skipped,
    })
}

/// The incident `number` from its `events`, in order (at least one).
fn incident(
    number: &str,
    events: &[&Row],
    columns: &Columns,
    shape: Shape,
) -> Result<Imported, Skipped> {
    let Some(last) = events.last() else {
        return Err(Skipped {
            reason: SkipReason::BadNumber,
            line: 0,
            number: Some(number.to_string()),
        });
    };
    let skip = |reason| Skipped {
        reason,
        line: last.line,
        number: Some(number.to_string()),
    };
    let cell = |column: Option<usize>| column.and_then(|c| value(&last.cells, c));
    let opened_at = last.opened_at.ok_or_else(|| skip(SkipReason::NoOpenedAt))?;
    let resolved_at = last.resolved_at.or(last.closed_at);
    if resolved_at.is_some_and(|r| r < opened_at) {
        return Err(skip(SkipReason::ResolvedBeforeOpened));
    }
    if let (Some(resolved), Some(closed)) = (resolved_at, last.closed_at)
        && closed < resolved
    {
        return Err(skip(SkipReason::ClosedBeforeResolved));
    }
    let group = cell(columns.group);
    let service = group.map_or_else(|| UNASSIGNED.to_string(), service_id);
    let category = cell(columns.category).map(str::to_string);
    let title = match cell(columns.short_description) {
        Some(text) => text.to_string(),
        None => {
            let parts: Vec<&str> = [cell(columns.category), cell(columns.subcategory)]
                .into_iter()
                .flatten()
                .collect();
            if parts.is_empty() {
                number.to_string()
            } else {
                parts.join(" / ")
            }
        }
    };
    let level = |column| cell(column).and_then(leading_number);
    let (mut acknowledged_at, mut paused) = (None, Vec::new());
    if shape == Shape::EventLog {
        let states: Vec<(Option<&str>, Option<DateTime<FixedOffset>>)> = events
            .iter()
            .map(|e| (columns.state.and_then(|c| value(&e.cells, c)), e.updated_at))
            .collect();
        acknowledged_at = acknowledgement(&states, opened_at, resolved_at);
        paused = pauses(&states, opened_at, resolved_at);
    }
    Ok(Imported {
        id: number.to_string(),
        service,
        service_name: group.unwrap_or("Unassigned").to_string(),
        title,
        priority: level(columns.priority).map(|n| format!("P{n}")),
        impact: level(columns.impact).filter(|n| (1..=3).contains(n)),
        urgency: level(columns.urgency).filter(|n| (1..=3).contains(n)),
        category,
        opened_at,
        acknowledged_at,
        resolved_at,
        closed_at: last.closed_at,
        paused,
        problem_id: cell(columns.problem_id).map(str::to_string),
        rfc: cell(columns.rfc).map(str::to_string),
        caused_by: cell(columns.caused_by).map(str::to_string),
        line: last.line,
    })
}

/// The first event in a working state (not New, Resolved or Closed), kept
/// within `[opened_at, resolved_at]`.
fn acknowledgement(
    states: &[(Option<&str>, Option<DateTime<FixedOffset>>)],
    opened_at: DateTime<FixedOffset>,
    resolved_at: Option<DateTime<FixedOffset>>,
) -> Option<DateTime<FixedOffset>> {
    let first = states.iter().find_map(|(state, at)| match (state, at) {
        (Some(state), Some(at)) if is_working(state) => Some(*at),
        _ => None,
    })?;
    let at = first.max(opened_at);
    Some(resolved_at.map_or(at, |resolved| at.min(resolved)))
}

/// The spans spent in an `Awaiting …` state — from the event that enters one to
/// the next event in another state — clipped to `[opened_at, resolved_at]` and
/// merged (`sla::merge_spans`). A span still running at the last event runs to
/// `resolved_at`, or stays open on an unresolved incident. A merged pause takes
/// the reason of the first span in it.
fn pauses(
    states: &[(Option<&str>, Option<DateTime<FixedOffset>>)],
    opened_at: DateTime<FixedOffset>,
    resolved_at: Option<DateTime<FixedOffset>>,
) -> Vec<Pause> {
    // An open end, as an instant later than any the export can hold.
    let open_end = Utc
        .with_ymd_and_hms(9999, 1, 1, 0, 0, 0)
        .single()
        .map_or(opened_at, |t| t.fixed_offset());
    let mut spans: Vec<(DateTime<FixedOffset>, DateTime<FixedOffset>, String)> = Vec::new();
    let mut current: Option<(DateTime<FixedOffset>, &str)> = None;
    for (state, at) in states {
        // An event without a time moves no boundary.
        let Some(at) = *at else { continue };
        let state = state.unwrap_or("");
        match current {
            Some((_, waiting)) if waiting == state => {}
            _ => {
                if let Some((from, waiting)) = current.take() {
                    spans.push((from, at, kebab(waiting)));
                }
                if is_awaiting(state) {
                    current = Some((at, state));
                }
            }
        }
    }
    if let Some((from, waiting)) = current {
        spans.push((from, open_end, kebab(waiting)));
    }
    let hi = resolved_at.unwrap_or(open_end);
    let merged = crate::sla::merge_spans(spans.iter().map(|(f, t, _)| (*f, *t)), opened_at, hi);
    merged
        .into_iter()
        .map(|(from, to)| {
            // The first span (in time) that reaches into this merged one.
            let reason = spans
                .iter()
                .filter(|(f, t, _)| *t > from && *f < to)
                .min_by_key(|(f, _, _)| *f)
                .map_or_else(|| "awaiting".to_string(), |(_, _, r)| r.clone());
            Pause {
                from,
                to: (to != open_end).then_some(to),
                reason,
            }
        })
        .collect()
}

/// True for a state in which someone works on the incident.
fn is_working(state: &str) -> bool {
    !matches!(
        state.trim().to_ascii_lowercase().as_str(),
        "new" | "resolved" | "closed" | "canceled" | "cancelled"
    )
}

/// True for the `Awaiting …` states.
fn is_awaiting(state: &str) -> bool {
    state
        .trim()
        .get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("awaiting"))
}

/// The cell at `column`, trimmed; None when absent, empty or `?`.
fn value(record: &csv::StringRecord, column: usize) -> Option<&str> {
    let text = record.get(column)?.trim();
    (!text.is_empty() && text != "?").then_some(text)
}

/// `N` of `N - Name` (or a bare `N`).
fn leading_number(text: &str) -> Option<u8> {
    let digits: &str = text.split(" - ").next()?.trim();
    digits.parse::<u8>().ok().filter(|n| *n > 0)
}

/// `text` as a lower-case kebab service id; an id with nothing left is
/// `unassigned`. Ids are cut to 64 characters at a dash or letter boundary.
pub fn service_id(text: &str) -> String {
    let id = kebab(text);
    if id.is_empty() {
        UNASSIGNED.to_string()
    } else {
        id
    }
}

/// Lower-case ASCII letters and digits, every other run as one `-`, at most 64.
fn kebab(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.truncate(64);
    out.trim_end_matches('-').to_string()
}

/// A timestamp as ServiceNow writes it — `d/m/yyyy HH:MM` (the event log) or
/// `yyyy-mm-dd HH:MM:SS` (a list export), seconds optional in both — read as a
/// wall-clock time in `zone`; None when it is neither or lies outside svc's years.
pub fn parse_time(text: &str, zone: Tz) -> Option<DateTime<FixedOffset>> {
    const FORMATS: [&str; 4] = [
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
    ];
    let text = text.trim();
    let naive = FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())?;
    if !crate::model::decode::year_in_range(chrono::Datelike::year(&naive)) {
        return None;
    }
    let instant = local_instant(naive, zone)?;
    Some(instant.with_timezone(&zone).fixed_offset())
}

/// The instant of the wall-clock time `naive` in `zone`: the only one; the
/// first of two in a fold; in a gap, `naive` read with the offset in force just
/// before the gap.
fn local_instant(naive: NaiveDateTime, zone: Tz) -> Option<DateTime<Utc>> {
    use chrono::LocalResult;
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) => Some(t.to_utc()),
        LocalResult::Ambiguous(first, second) => Some(first.to_utc().min(second.to_utc())),
        LocalResult::None => {
            // Gaps are at most a few hours; step back until the clock exists.
            let before = (1..=48).find_map(|quarter| {
                zone.from_local_datetime(&(naive - Duration::minutes(15 * quarter)))
                    .earliest()
            })?;
            let offset = before.offset().fix();
            Some(offset.from_local_datetime(&naive).single()?.to_utc())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "number,incident_state,sys_mod_count,sys_updated_at,opened_at,resolved_at,closed_at,assignment_group,category,subcategory,priority,impact,urgency,problem_id,rfc,caused_by\n";

    fn utc(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn one(csv: &str) -> Imported {
        let parsed = parse(csv.as_bytes(), Tz::UTC).unwrap();
        assert_eq!(parsed.incidents.len(), 1, "{parsed:?}");
        parsed.incidents[0].clone()
    }

    #[test]
    fn an_event_log_takes_fields_from_its_last_row_in_mod_count_order() {
        let csv = format!(
            "{HEADER}\
             INC1,Closed,3,5/3/2016 12:00,29/2/2016 01:16,29/2/2016 11:29,5/3/2016 12:00,Group 56,Category 55,Sub 1,3 - Moderate,2 - Medium,2 - Medium,Problem ID 2,?,?\n\
             INC1,New,0,29/2/2016 01:23,29/2/2016 01:16,?,?,?,Category 9,?,4 - Low,3 - Low,3 - Low,?,?,?\n\
             INC1,Active,1,29/2/2016 02:00,29/2/2016 01:16,?,?,Group 56,Category 55,?,3 - Moderate,2 - Medium,2 - Medium,?,?,?\n\
             INC1,Awaiting User Info,2,29/2/2016 03:00,29/2/2016 01:16,?,?,Group 56,Category 55,?,3 - Moderate,2 - Medium,2 - Medium,?,?,?\n"
        );
        let parsed = parse(csv.as_bytes(), Tz::UTC).unwrap();
        assert_eq!(parsed.shape, Shape::EventLog);
        assert_eq!(parsed.rows, 4);
        let i = &parsed.incidents[0];
        assert_eq!(i.service, "group-56");
        assert_eq!(i.title, "Category 55 / Sub 1");
        assert_eq!(i.priority.as_deref(), Some("P3"));
        assert_eq!((i.impact, i.urgency), (Some(2), Some(2)));
        assert_eq!(i.opened_at, utc("2016-02-29T01:16:00Z"));
        assert_eq!(i.acknowledged_at, Some(utc("2016-02-29T02:00:00Z")));
        assert_eq!(i.resolved_at, Some(utc("2016-02-29T11:29:00Z")));
        // Awaiting from 03:00 until the next event (12:00 on 5/3), clipped at resolution.
        assert_eq!(
            i.paused,
            vec![Pause {
                from: utc("2016-02-29T03:00:00Z"),
                to: Some(utc("2016-02-29T11:29:00Z")),
                reason: "awaiting-user-info".into()
            }]
        );
        assert_eq!(i.problem_id.as_deref(), Some("Problem ID 2"));
        assert_eq!(i.status(), "closed");
    }

    #[test]
    fn a_list_export_has_no_acknowledgement_or_pauses_and_reads_iso_dates() {
        let csv = "number,incident_state,opened_at,resolved_at,short_description,priority\n\
                   INC7,Awaiting Vendor,2026-03-02 09:14:00,,Card payments failing,1 - Critical\n\
                   INC8,Active,2026-03-02 10:00:00,?,,2 - High\n";
        let parsed = parse(csv.as_bytes(), Tz::UTC).unwrap();
        assert_eq!(parsed.shape, Shape::List);
        let a = &parsed.incidents[0];
        assert_eq!(a.title, "Card payments failing");
        assert_eq!(a.service, "unassigned");
        assert_eq!((a.acknowledged_at, a.paused.len()), (None, 0));
        assert_eq!(a.status(), "open");
        // No short description and no category: the number is the title.
        assert_eq!(parsed.incidents[1].title, "INC8");
    }

    #[test]
    fn closed_without_resolved_is_resolved_at_closing() {
        let i =
            one("number,opened_at,resolved_at,closed_at\nINC1,1/1/2020 10:00,?,2/1/2020 10:00\n");
        assert_eq!(i.resolved_at, Some(utc("2020-01-02T10:00:00Z")));
        assert_eq!(i.closed_at, i.resolved_at);
    }

    #[test]
    fn the_acknowledgement_is_kept_within_opening_and_resolution() {
        let early = "number,incident_state,sys_updated_at,opened_at,resolved_at\n\
                     INC1,Active,1/1/2020 09:00,1/1/2020 10:00,1/1/2020 12:00\n\
                     INC1,Resolved,1/1/2020 12:00,1/1/2020 10:00,1/1/2020 12:00\n";
        assert_eq!(
            one(early).acknowledged_at,
            Some(utc("2020-01-01T10:00:00Z"))
        );
        let late = "number,incident_state,sys_updated_at,opened_at,resolved_at\n\
                    INC1,New,1/1/2020 10:00,1/1/2020 10:00,1/1/2020 12:00\n\
                    INC1,Active,1/1/2020 13:00,1/1/2020 10:00,1/1/2020 12:00\n";
        assert_eq!(one(late).acknowledged_at, Some(utc("2020-01-01T12:00:00Z")));
        let never = "number,incident_state,sys_updated_at,opened_at,resolved_at\n\
                     INC1,New,1/1/2020 10:00,1/1/2020 10:00,1/1/2020 12:00\n\
                     INC1,Resolved,1/1/2020 12:00,1/1/2020 10:00,1/1/2020 12:00\n";
        assert_eq!(one(never).acknowledged_at, None);
    }

    #[test]
    fn awaiting_spans_are_clipped_and_merged_and_an_open_one_stays_open() {
        let csv = "number,incident_state,sys_updated_at,opened_at,resolved_at\n\
                   INC1,Awaiting User Info,1/1/2020 09:00,1/1/2020 10:00,?\n\
                   INC1,Awaiting Vendor,1/1/2020 11:00,1/1/2020 10:00,?\n\
                   INC1,Active,1/1/2020 12:00,1/1/2020 10:00,?\n\
                   INC1,Awaiting Problem,1/1/2020 13:00,1/1/2020 10:00,?\n";
        let i = one(csv);
        assert_eq!(
            i.paused,
            vec![
                Pause {
                    from: utc("2020-01-01T10:00:00Z"),
                    to: Some(utc("2020-01-01T12:00:00Z")),
                    reason: "awaiting-user-info".into()
                },
                Pause {
                    from: utc("2020-01-01T13:00:00Z"),
                    to: None,
                    reason: "awaiting-problem".into()
                },
            ]
        );
        assert_eq!(i.status(), "acknowledged");
    }

    #[test]
    fn skipped_rows_carry_their_reason_and_line() {
        let csv = "number,opened_at,resolved_at,closed_at\n\
                   INC1,?,?,?\n\
                   INC2,2/1/2020 10:00,1/1/2020 10:00,?\n\
                   INC3,31/2/2020 10:00,?,?\n\
                   ../x,1/1/2020 10:00,?,?\n\
                   INC5,1/1/2020 10:00,3/1/2020 10:00,2/1/2020 10:00\n\
                   INC6,1/1/2020 10:00,?,?\n";
        let parsed = parse(csv.as_bytes(), Tz::UTC).unwrap();
        let reasons: Vec<(SkipReason, u64)> =
            parsed.skipped.iter().map(|s| (s.reason, s.line)).collect();
        assert_eq!(
            reasons,
            vec![
                (SkipReason::NoOpenedAt, 2),
                (SkipReason::ResolvedBeforeOpened, 3),
                (SkipReason::BadDate, 4),
                (SkipReason::BadNumber, 5),
                (SkipReason::ClosedBeforeResolved, 6),
            ]
        );
        assert_eq!(parsed.incidents.len(), 1);
        assert_eq!(parsed.rows, 6);
    }

    #[test]
    fn missing_columns_are_named() {
        let error = parse(b"id,opened\nINC1,x\n", Tz::UTC).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the export lacks the required columns `number`, `opened_at`"
        );
        let log = "number,opened_at\nINC1,1/1/2020 10:00\nINC1,1/1/2020 10:00\n";
        assert_eq!(
            parse(log.as_bytes(), Tz::UTC).unwrap_err(),
            ImportError::MissingColumns(vec!["incident_state".into(), "sys_updated_at".into()])
        );
    }

    #[test]
    fn bom_crlf_quoted_newlines_and_no_rows_are_read() {
        let csv = "\u{feff}number,opened_at,short_description\r\nINC1,1/1/2020 10:00,\"two\r\nlines, \"\"quoted\"\"\"\r\n";
        let i = one(csv);
        assert_eq!(i.title, "two\r\nlines, \"quoted\"");
        let empty = parse(b"number,opened_at\n", Tz::UTC).unwrap();
        assert_eq!((empty.rows, empty.incidents.len()), (0, 0));
    }

    #[test]
    fn times_in_dst_gaps_and_folds_are_read_the_same_way_every_time() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        // 2016-03-27 02:30 does not exist in Berlin: read with +01:00.
        assert_eq!(
            parse_time("27/3/2016 02:30", berlin).unwrap().to_rfc3339(),
            "2016-03-27T03:30:00+02:00"
        );
        // 2016-10-30 02:30 happens twice: the first, in summer time.
        assert_eq!(
            parse_time("30/10/2016 02:30", berlin).unwrap().to_rfc3339(),
            "2016-10-30T02:30:00+02:00"
        );
        assert_eq!(
            parse_time("2016-07-01 08:00:00", berlin)
                .unwrap()
                .to_rfc3339(),
            "2016-07-01T08:00:00+02:00"
        );
        assert!(parse_time("2016-13-01 08:00:00", berlin).is_none());
        assert!(parse_time("1/1/1960 08:00", berlin).is_none());
    }

    #[test]
    fn groups_become_kebab_service_ids() {
        assert_eq!(service_id("Group 56"), "group-56");
        assert_eq!(service_id("  Service Desk (EMEA) "), "service-desk-emea");
        assert_eq!(service_id("ÄÖÜ"), "unassigned");
        let long = service_id(&"ab ".repeat(60));
        assert!(
            crate::model::is_kebab_id(&long) && long.len() <= 64,
            "{long}"
        );
    }
}
