//! `svc list services|policies|calendars|incidents`: a simple inventory.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::{Value, json};

use super::Context;
use crate::cli::{ListArgs, ListKind};
use crate::diagnostic::did_you_mean;
use crate::error::UserError;
use crate::render::{json as json_out, sanitize, table};
use crate::repo::Repo;

/// Runs `svc list`.
pub fn run(args: &ListArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(&["table", "json"])?;
    let repo = context.load()?;
    check_filters(args, &repo)?;
    context.warn_about_problems(&repo);
    let (header, rows) = rows(args, &repo);
    let mut out = super::output::stdout();
    if format == "json" {
        let items: Vec<Value> = rows
            .iter()
            .map(|row| {
                let object: serde_json::Map<String, Value> = header
                    .iter()
                    .zip(row)
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect();
                Value::Object(object)
            })
            .collect();
        json_out::write(&mut out, &items)?;
    } else {
        let mut t = table::new(&header);
        for row in &rows {
            t.add_row(row.iter().map(|v| match v {
                Value::String(s) => sanitize(s).into_owned(),
                Value::Null => "-".to_string(),
                other => other.to_string(),
            }));
        }
        writeln!(out, "{t}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Refuses filters that cannot mean anything, instead of printing an empty
/// table: a filter the kind does not have, or a stage, owner or service that is
/// not in the repo (with a did-you-mean).
fn check_filters(args: &ListArgs, repo: &Repo) -> Result<(), UserError> {
    let filters = [
        ("--stage", &args.stage),
        ("--owner", &args.owner),
        ("--service", &args.service),
    ];
    if let Some(kind) = match args.kind {
        ListKind::Policies => Some("policies"),
        ListKind::Calendars => Some("calendars"),
        ListKind::Services | ListKind::Incidents => None,
    } && let Some((flag, _)) = filters.iter().find(|(_, given)| given.is_some())
    {
        return Err(UserError::with_help(
            format!("`{flag}` does not apply to {kind}"),
            format!("`{flag}` filters services and incidents only"),
        ));
    }
    let unknown = |what: &str, given: &str, known: &mut Vec<&str>| {
        known.sort_unstable();
        known.dedup();
        let help = match did_you_mean(given, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if known.is_empty() => format!("the repo has no {what}s"),
            None => format!("the {what}s are: {}", known.join(", ")),
        };
        UserError::with_help(format!("unknown {what} `{given}`"), help)
    };
    if let Some(stage) = &args.stage
        && repo.config.stage_index(stage).is_none()
    {
        let stages = &repo.config.stages;
        // The stages are listed in svc.toml's order, not sorted.
        let help = match did_you_mean(stage, stages.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the stages in svc.toml are: {}", stages.join(", ")),
        };
        return Err(UserError::with_help(
            format!("unknown stage `{stage}`"),
            help,
        ));
    }
    if let Some(owner) = &args.owner {
        let mut owners: Vec<&str> = repo
            .services
            .iter()
            .filter_map(|s| s.record.owner.as_ref().map(|o| o.as_str()))
            .collect();
        if !owners.contains(&owner.as_str()) {
            return Err(unknown("owner", owner, &mut owners));
        }
    }
    if let Some(service) = &args.service {
        let mut ids: Vec<&str> = repo.services.iter().map(|s| s.record.id.as_str()).collect();
        if args.kind == ListKind::Incidents {
            // Incidents may name a service whose record is missing; listing
            // them is how one finds them.
            ids.extend(repo.incidents.iter().map(|i| i.record.service.as_str()));
        }
        if !ids.contains(&service.as_str()) {
            return Err(unknown("service", service, &mut ids));
        }
    }
    Ok(())
}

fn rows(args: &ListArgs, repo: &Repo) -> (Vec<&'static str>, Vec<Vec<Value>>) {
    let owners: HashMap<&str, Option<&str>> = repo
        .services
        .iter()
        .map(|s| {
            (
                s.record.id.as_str(),
                s.record.owner.as_ref().map(|o| o.as_str()),
            )
        })
        .collect();
    let stages: HashMap<&str, &str> = repo
        .services
        .iter()
        .map(|s| (s.record.id.as_str(), s.record.stage.as_str()))
        .collect();
    let owner_matches = |owner: Option<&str>| {
        args.owner
            .as_deref()
            .is_none_or(|wanted| owner == Some(wanted))
    };
    match args.kind {
        ListKind::Services => (
            vec!["id", "name", "stage", "owner", "tier", "policy", "file"],
            repo.services
                .iter()
                .filter(|located| {
                    let s = &located.record;
                    args.stage
                        .as_deref()
                        .is_none_or(|stage| s.stage.value == stage)
                        && owner_matches(s.owner.as_ref().map(|o| o.as_str()))
                        && args.service.as_deref().is_none_or(|id| s.id.value == id)
                })
                .map(|located| {
                    let (s, file) = (&located.record, &located.file);
                    vec![
                        json!(s.id.value),
                        json!(s.name),
                        json!(s.stage.value),
                        json!(s.owner.as_ref().map(|o| &o.value)),
                        json!(s.tier),
                        json!(s.policy.as_ref().map(|p| &p.value)),
                        json!(file),
                    ]
                })
                .collect(),
        ),
        ListKind::Policies => (
            vec!["id", "name", "calendar", "priorities"],
            repo.policies
                .iter()
                .map(|p| {
                    let p = &p.record;
                    let priorities: Vec<&str> = p.targets.keys().map(String::as_str).collect();
                    vec![
                        json!(p.id.value),
                        json!(p.name),
                        json!(p.calendar_id()),
                        json!(priorities.join(", ")),
                    ]
                })
                .collect(),
        ),
        ListKind::Calendars => (
            vec!["id", "timezone", "weekly_hours", "holidays"],
            repo.calendars
                .iter()
                .map(|c| {
                    let c = &c.record;
                    let minutes: u32 = c
                        .hours
                        .iter()
                        .flatten()
                        .map(|(s, e)| u32::from(e - s))
                        .sum();
                    vec![
                        json!(c.id.value),
                        json!(c.timezone.name()),
                        json!(f64::from(minutes) / 60.0),
                        json!(c.holidays.len()),
                    ]
                })
                .collect(),
        ),
        ListKind::Incidents => (
            vec!["id", "service", "priority", "status", "opened_at"],
            repo.incidents
                .iter()
                .map(|i| &i.record)
                .filter(|i| {
                    args.service
                        .as_deref()
                        .is_none_or(|id| i.service.value == id)
                })
                .filter(|i| {
                    args.owner.is_none()
                        || owner_matches(owners.get(i.service.as_str()).copied().flatten())
                })
                .filter(|i| {
                    args.stage.as_deref().is_none_or(|wanted| {
                        stages.get(i.service.as_str()).copied() == Some(wanted)
                    })
                })
                .map(|i| {
                    vec![
                        json!(i.id.value),
                        json!(i.service.value),
                        json!(i.priority.value),
                        json!(i.derived_status()),
                        json!(i.opened_at.value.to_rfc3339()),
                    ]
                })
                .collect(),
        ),
    }
}
