//! `recurring-incidents` (warning): `count` incidents of one service and category
//! opened within `days` spans of 24 h (svc.toml `[problems] recurring`), none of
//! them linked to a problem (by `problem:` on the incident or `incidents:` on a
//! problem). Reported once per service and category, on the latest incident of
//! the latest such run, with the `svc problem new` command that links them.
//!
//! One pass: the incidents are grouped by service and category and sorted by
//! `opened_at`, and a window slides over each group — linear in the incidents
//! after the sort, no pairwise comparison.

use std::collections::{HashMap, HashSet};

use chrono::Datelike;

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::incident::Timestamp;
use crate::model::{Incident, Located};

/// An incident with its opening time.
type Opened<'r> = (Timestamp, &'r Located<Incident>);

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let Some(recurring) = context.records.config.recurring else {
        return;
    };
    let count = usize::try_from(recurring.count)
        .unwrap_or(usize::MAX)
        .max(2);
    let span = chrono::Duration::days(i64::from(recurring.days));
    let linked: HashSet<&str> = context
        .records
        .problems
        .iter()
        .flat_map(|p| p.record.incidents.iter().map(|i| i.as_str()))
        .collect();
    let mut groups: HashMap<(&str, &str), Vec<Opened>> = HashMap::new();
    for incident in &context.records.incidents {
        let record = &incident.record;
        let (Some(service), Some(category), Some(opened)) =
            (record.service_id(), &record.category, record.opened())
        else {
            continue;
        };
        if record.problem.is_some()
            || record.invalid.has("problem")
            || linked.contains(record.id.as_str())
            || category.trim().is_empty()
        {
            continue;
        }
        groups
            .entry((service, category.value.as_str()))
            .or_default()
            .push((opened, incident));
    }
    let next_problem = next_problem_id(context, context.now.year());
    let mut found: Vec<((&str, &str), &[Opened])> = Vec::new();
    for (key, group) in &mut groups {
        group.sort_by(|a, b| (a.0, &a.1.record.id.value).cmp(&(b.0, &b.1.record.id.value)));
        let mut first = 0;
        let mut latest: Option<(usize, usize)> = None;
        for last in 0..group.len() {
            while group[last].0 - group[first].0 > span {
                first += 1;
            }
            if last + 1 - first >= count {
                latest = Some((first, last));
            }
        }
        if let Some((first, last)) = latest {
            found.push((*key, &group[first..=last]));
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    for ((service, category), run) in found {
        let Some((_, latest)) = run.last() else {
            continue;
        };
        let ids: Vec<&str> = run.iter().map(|(_, i)| i.record.id.as_str()).collect();
        let shown: Vec<&str> = ids.iter().rev().take(10).rev().copied().collect();
        let links: String = shown.iter().map(|id| format!(" --incident {id}")).collect();
        let pos = latest
            .record
            .category
            .as_ref()
            .map_or(latest.record.id.pos, |c| c.pos);
        out.push(
            Diagnostic::warning(
                Rule::RecurringIncidents,
                &latest.file,
                pos,
                format!(
                    "{} incidents of service `{service}` in category `{category}` within {} days ({}), none linked to a problem",
                    ids.len(),
                    recurring.days,
                    shown.join(", ")
                ),
            )
            .with_help(format!(
                "find the cause they share: `svc problem new {next_problem} --service {service} --title \"Recurring {category}\"{links}`"
            )),
        );
    }
}

/// A free problem id for the suggestion: `PRB-<year>-<n>` one past the highest
/// of that form in the repo.
fn next_problem_id(context: &Context, year: i32) -> String {
    let prefix = format!("PRB-{year}-");
    let highest = context
        .records
        .problems
        .iter()
        .filter_map(|p| p.record.id.value.strip_prefix(&prefix)?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    format!("{prefix}{:04}", highest + 1)
}
