//! An imported incident as record text: a new file in the layout `svc incident
//! open` writes (the same scalar writers, `edit::quoting` and `edit::Item`),
//! and, for an incident already in the repo, the comment-preserving edit
//! (`edit::Edit`) that brings only its imported fields up to date.
//!
//! An existing file is compared field by field with its decoded record, and
//! only a field whose value differs is set, so a re-import of the same export
//! leaves the file byte-identical and a newer export touches just the lines
//! that changed; comments, notes and fields added by hand stay. A field the
//! newer export no longer has is kept (the editor never deletes), and pauses
//! only grow: recorded pauses that the export contradicts are refused, not
//! rewritten, since someone may have corrected them by hand.

use chrono::{DateTime, FixedOffset, SecondsFormat};

use super::servicenow::{Imported, Pause};
use crate::edit::quoting::{timestamp_scalar, yaml_scalar};
use crate::edit::{Edit, EditError, Item, Route, Scalar};
use crate::model::Incident;

/// The links to records in the repo that the export's ids turned out to name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Links {
    /// A Problem id (from `problem_id`).
    pub problem: Option<String>,
    /// A Change id (from `caused_by`, else `rfc`).
    pub caused_by_change: Option<String>,
}

/// Why an existing file was not brought up to date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpdateError {
    /// The file's pauses are not a beginning of the export's.
    PausesDiffer,
    /// The editor refused the layout.
    Edit(EditError),
}

impl std::fmt::Display for UpdateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UpdateError::PausesDiffer => {
                write!(f, "its pauses differ from the export's (edited by hand?)")
            }
            UpdateError::Edit(e) => write!(f, "{e}"),
        }
    }
}

/// An instant as svc writes it: seconds, `Z` for UTC, else the offset.
pub fn timestamp(at: &DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The pause as a sequence item: `{ from, to, reason }`.
fn pause_item(pause: &Pause) -> Item {
    let mut pairs = vec![("from", Scalar::timestamp(timestamp(&pause.from)))];
    if let Some(to) = &pause.to {
        pairs.push(("to", Scalar::timestamp(timestamp(to))));
    }
    pairs.push(("reason", Scalar::text(&pause.reason)));
    Item::map(pairs)
}

/// The new record file of `incident`.
pub fn new_file(incident: &Imported, links: &Links) -> String {
    let id = &incident.id;
    let mut text = format!(
        "# Incident record imported from ServiceNow by `svc import servicenow` (see docs/import.md).\n\
         # Record what happens next with `svc incident ack|pause|resume|resolve|close|outage {id}`.\n\
         kind: Incident\n\
         id: {id}\n\
         service: {service}\n\
         title: {title}\n",
        service = yaml_scalar(&incident.service),
        title = yaml_scalar(&incident.title),
    );
    if let Some(priority) = &incident.priority {
        text += &format!("priority: {}\n", yaml_scalar(priority));
    }
    if let Some(impact) = incident.impact {
        text += &format!("impact: {impact}\n");
    }
    if let Some(urgency) = incident.urgency {
        text += &format!("urgency: {urgency}\n");
    }
    if let Some(category) = &incident.category {
        text += &format!("category: {}\n", yaml_scalar(category));
    }
    let times = [
        ("opened_at", Some(&incident.opened_at)),
        ("acknowledged_at", incident.acknowledged_at.as_ref()),
        ("resolved_at", incident.resolved_at.as_ref()),
        ("closed_at", incident.closed_at.as_ref()),
    ];
    for (key, at) in times {
        if let Some(at) = at {
            text += &format!("{key}: {}\n", timestamp_scalar(&timestamp(at)));
        }
    }
    text += &format!("status: {}\n", incident.status());
    if !incident.paused.is_empty() {
        text += "paused:\n";
        for pause in &incident.paused {
            text += &format!("  - {}\n", pause_item(pause).flow(true));
        }
    }
    if let Some(problem) = &links.problem {
        text += &format!("problem: {}\n", yaml_scalar(problem));
    }
    if let Some(change) = &links.caused_by_change {
        text += &format!("caused_by_change: {}\n", yaml_scalar(change));
    }
    text += "external:\n";
    for (key, value) in incident.external() {
        text += &format!("  {key}: {}\n", yaml_scalar(value));
    }
    text
}

/// `original`, the file of `existing`, with its imported fields set to those of
/// `incident`; None when every one of them already holds the export's value.
pub fn update(
    original: &str,
    existing: &Incident,
    incident: &Imported,
    links: &Links,
) -> Result<Option<String>, UpdateError> {
    let mut sets: Vec<(String, Scalar)> = Vec::new();
    let mut text_field = |key: &str, old: Option<&str>, new: Option<&str>| {
        if let Some(new) = new
            && old != Some(new)
        {
            sets.push((key.to_string(), Scalar::text(new)));
        }
    };
    let value =
        |s: &Option<crate::model::decode::Spanned<String>>| s.as_ref().map(|s| s.value.clone());
    text_field(
        "service",
        value(&existing.service).as_deref(),
        Some(&incident.service),
    );
    text_field(
        "title",
        value(&existing.title).as_deref(),
        Some(&incident.title),
    );
    let written_priority = match existing.priority_source {
        crate::model::incident::PrioritySource::Written => value(&existing.priority),
        crate::model::incident::PrioritySource::Matrix => None,
    };
    text_field(
        "priority",
        written_priority.as_deref(),
        incident.priority.as_deref(),
    );
    text_field(
        "category",
        value(&existing.category).as_deref(),
        incident.category.as_deref(),
    );
    text_field(
        "problem",
        value(&existing.problem).as_deref(),
        links.problem.as_deref(),
    );
    text_field(
        "caused_by_change",
        value(&existing.caused_by_change).as_deref(),
        links.caused_by_change.as_deref(),
    );
    for (key, new) in incident.external() {
        let old = existing.external.get(key).map(String::as_str);
        text_field(&format!("external.{key}"), old, Some(new));
    }
    let levels = [
        (
            "impact",
            existing.impact.as_ref().map(|s| s.value),
            incident.impact,
        ),
        (
            "urgency",
            existing.urgency.as_ref().map(|s| s.value),
            incident.urgency,
        ),
    ];
    for (key, old, new) in levels {
        if let Some(new) = new
            && old != Some(new)
        {
            sets.push((key.to_string(), Scalar::Integer(i64::from(new))));
        }
    }
    let instant = |s: &Option<crate::model::decode::Spanned<DateTime<FixedOffset>>>| {
        s.as_ref().map(|s| s.value)
    };
    let times = [
        (
            "opened_at",
            instant(&existing.opened_at),
            Some(incident.opened_at),
        ),
        (
            "acknowledged_at",
            instant(&existing.acknowledged_at),
            incident.acknowledged_at,
        ),
        (
            "resolved_at",
            instant(&existing.resolved_at),
            incident.resolved_at,
        ),
        (
            "closed_at",
            instant(&existing.closed_at),
            incident.closed_at,
        ),
    ];
    // Same instant, same value: an offset rewritten by hand is kept.
    for (key, old, new) in times {
        if let Some(new) = new
            && old != Some(new)
        {
            sets.push((key.to_string(), Scalar::timestamp(timestamp(&new))));
        }
    }
    // The status of the merged timestamps (the file's kept where the export has none).
    let status = if incident.closed_at.is_some() || existing.closed_at.is_some() {
        "closed"
    } else if incident.resolved_at.is_some() || existing.resolved_at.is_some() {
        "resolved"
    } else if incident.acknowledged_at.is_some() || existing.acknowledged_at.is_some() {
        "acknowledged"
    } else {
        "open"
    };
    if value(&existing.status).as_deref() != Some(status) {
        sets.push(("status".into(), Scalar::text(status)));
    }
    let (pause_sets, appends) = pause_changes(existing, &incident.paused)?;
    if sets.is_empty() && pause_sets.is_empty() && appends.is_empty() {
        return Ok(None);
    }
    let mut edit = Edit::new(original).map_err(UpdateError::Edit)?;
    for (key, scalar) in sets.into_iter().chain(pause_sets) {
        let route: Route = key.parse().map_err(UpdateError::Edit)?;
        edit.set(&route, scalar).map_err(UpdateError::Edit)?;
    }
    let paused = Route::root().key("paused");
    for item in appends {
        edit.append(&paused, item).map_err(UpdateError::Edit)?;
    }
    let text = edit.finish().map_err(UpdateError::Edit)?;
    Ok((text != original).then_some(text))
}

/// The edits that bring the file's pauses to the export's: the end of a pause
/// that was still running, then the pauses that are new.
type PauseEdits = (Vec<(String, Scalar)>, Vec<Item>);

/// See [`PauseEdits`]; refused when the file's pauses are not a beginning of
/// the export's.
fn pause_changes(existing: &Incident, paused: &[Pause]) -> Result<PauseEdits, UpdateError> {
    let mut sets = Vec::new();
    let count = existing.paused.len();
    for (index, old) in existing.paused.iter().enumerate() {
        let new = paused.get(index).ok_or(UpdateError::PausesDiffer)?;
        if old.from.value != new.from {
            return Err(UpdateError::PausesDiffer);
        }
        match (&old.to, &new.to) {
            (Some(a), Some(b)) if a.value == *b => {}
            (None, None) => {}
            (None, Some(end)) if index + 1 == count => {
                sets.push((
                    format!("paused[{index}].to"),
                    Scalar::timestamp(timestamp(end)),
                ));
            }
            _ => return Err(UpdateError::PausesDiffer),
        }
    }
    let appends = paused.iter().skip(count).map(pause_item).collect();
    Ok((sets, appends))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::servicenow::parse;
    use chrono_tz::Tz;

    const LOG: &str = "number,incident_state,sys_mod_count,sys_updated_at,opened_at,resolved_at,closed_at,assignment_group,category,subcategory,priority,impact,urgency,problem_id\n\
        INC1,New,0,1/1/2020 10:00,1/1/2020 10:00,?,?,Group 1,Category 2,Sub 3,2 - High,1 - High,2 - Medium,Problem ID 4\n\
        INC1,Awaiting User Info,1,1/1/2020 11:00,1/1/2020 10:00,?,?,Group 1,Category 2,Sub 3,2 - High,1 - High,2 - Medium,Problem ID 4\n";

    fn imported(csv: &str) -> Imported {
        parse(csv.as_bytes(), Tz::UTC).unwrap().incidents.remove(0)
    }

    fn decoded(text: &str) -> Incident {
        match crate::model::decode_file("incidents/2020/INC1.yaml", text) {
            (Some(crate::model::Record::Incident(i)), diagnostics) => {
                assert!(diagnostics.is_empty(), "{diagnostics:?}");
                i
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_new_file_reads_back_as_the_imported_incident() {
        let incident = imported(LOG);
        let text = new_file(&incident, &Links::default());
        assert_eq!(
            text,
            "# Incident record imported from ServiceNow by `svc import servicenow` (see docs/import.md).\n\
             # Record what happens next with `svc incident ack|pause|resume|resolve|close|outage INC1`.\n\
             kind: Incident\nid: INC1\nservice: group-1\ntitle: Category 2 / Sub 3\npriority: P2\n\
             impact: 1\nurgency: 2\ncategory: Category 2\nopened_at: 2020-01-01T10:00:00Z\n\
             acknowledged_at: 2020-01-01T11:00:00Z\nstatus: acknowledged\n\
             paused:\n  - { from: 2020-01-01T11:00:00Z, reason: awaiting-user-info }\n\
             external:\n  servicenow_number: INC1\n  servicenow_problem_id: Problem ID 4\n"
        );
        let record = decoded(&text);
        assert_eq!(record.derived_status(), "acknowledged");
        assert_eq!(
            update(&text, &record, &incident, &Links::default()),
            Ok(None)
        );
    }

    #[test]
    fn a_newer_export_sets_only_what_changed_and_keeps_comments() {
        let incident = imported(LOG);
        let text = new_file(&incident, &Links::default()).replace(
            "title: Category 2 / Sub 3\n",
            "title: Category 2 / Sub 3  # called the vendor (by hand)\n",
        );
        let newer = format!(
            "{LOG}INC1,Resolved,2,1/1/2020 12:00,1/1/2020 10:00,1/1/2020 12:00,?,Group 1,Category 2,Sub 3,2 - High,1 - High,2 - Medium,Problem ID 4\n"
        );
        let links = Links {
            problem: Some("PRB-1".into()),
            caused_by_change: None,
        };
        let updated = update(&text, &decoded(&text), &imported(&newer), &links)
            .unwrap()
            .unwrap();
        assert!(updated.contains("title: Category 2 / Sub 3  # called the vendor (by hand)\n"));
        assert!(updated.contains("status: resolved\n"));
        assert!(updated.contains("resolved_at: 2020-01-01T12:00:00Z\n"));
        assert!(updated.contains("  - { from: 2020-01-01T11:00:00Z, reason: awaiting-user-info, to: 2020-01-01T12:00:00Z }\n"), "{updated}");
        assert!(updated.contains("problem: PRB-1\n"));
    }

    #[test]
    fn pauses_the_export_contradicts_are_refused() {
        let incident = imported(LOG);
        let text = new_file(&incident, &Links::default())
            .replace("from: 2020-01-01T11:00:00Z", "from: 2020-01-01T10:30:00Z");
        let other = update(&text, &decoded(&text), &incident, &Links::default());
        assert_eq!(other, Err(UpdateError::PausesDiffer));
    }
}
