//! `svc list services|policies|calendars|incidents|changes|problems`: an
//! inventory, filtered by stage, owner, service, status, priority and period.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::{Value, json};

use super::Context;
use crate::cli::{ListArgs, ListKind, TableFormat};
use crate::diagnostic::suggestion;
use crate::error::UserError;
use crate::model::incident::STATUSES;
use crate::model::{change, problem};
use crate::render::{json as json_out, sanitize, table};
use crate::repo::Repo;
use crate::sla::period::Period;

/// Runs `svc list`.
pub fn run(args: &ListArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(args.format, TableFormat::Table)?;
    let repo = context.load()?;
    check_filters(args, &repo)?;
    let period = match (&args.period.period, &args.period.since, &args.period.until) {
        (None, None, None) => None,
        _ => Some(context.period(&args.period, &repo)?.period),
    };
    context.warn_about_problems(&repo);
    let (header, rows) = rows(args, &repo, period);
    let mut out = super::output::stdout();
    match format {
        TableFormat::Json => {
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
        }
        TableFormat::Table => {
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
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Refuses filters that cannot mean anything, instead of printing an empty
/// table: a filter the kind does not have, or a stage, owner, service, status
/// or priority that is not in the repo (with a did-you-mean).
fn check_filters(args: &ListArgs, repo: &Repo) -> Result<(), UserError> {
    let period_given =
        args.period.period.is_some() || args.period.since.is_some() || args.period.until.is_some();
    let filters = [
        ("--stage", args.stage.is_some()),
        ("--owner", args.owner.is_some()),
        ("--service", args.service.is_some()),
        ("--status", args.status.is_some()),
        ("--priority", args.priority.is_some()),
        ("--period/--since/--until", period_given),
    ];
    let (kind, takes): (&str, &[&str]) = match args.kind {
        ListKind::Policies => ("policies", &[]),
        ListKind::Calendars => ("calendars", &[]),
        ListKind::Services => ("services", &["--stage", "--owner", "--service"]),
        ListKind::Incidents => (
            "incidents",
            &[
                "--stage",
                "--owner",
                "--service",
                "--status",
                "--priority",
                "--period/--since/--until",
            ],
        ),
        ListKind::Changes | ListKind::Problems => (
            if args.kind == ListKind::Changes {
                "changes"
            } else {
                "problems"
            },
            &[
                "--stage",
                "--owner",
                "--service",
                "--status",
                "--period/--since/--until",
            ],
        ),
    };
    if let Some((flag, _)) = filters
        .iter()
        .find(|(flag, given)| *given && !takes.contains(flag))
    {
        let help = if takes.is_empty() {
            format!("{kind} take no filters")
        } else {
            format!("{kind} take {}", takes.join(", "))
        };
        return Err(UserError::with_help(
            format!("`{flag}` does not apply to {kind}"),
            help,
        ));
    }
    let unknown = |what: &str, given: &str, known: &mut Vec<&str>| {
        known.sort_unstable();
        known.dedup();
        let fallback = if known.is_empty() {
            format!("the repo has no {what}s")
        } else {
            format!("the {what}s are: {}", known.join(", "))
        };
        UserError::with_help(
            format!("unknown {what} `{given}`"),
            suggestion(given, known.iter().copied(), fallback),
        )
    };
    if let Some(stage) = &args.stage
        && repo.config.stage_index(stage).is_none()
    {
        // The stages are listed in svc.toml's order, not sorted.
        let stages = &repo.config.stages;
        return Err(UserError::with_help(
            format!("unknown stage `{stage}`"),
            suggestion(
                stage,
                stages.iter().map(String::as_str),
                format!("the stages in svc.toml are: {}", stages.join(", ")),
            ),
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
        // Records may name a service whose record is missing; listing them is
        // how one finds them.
        match args.kind {
            ListKind::Incidents => {
                ids.extend(repo.incidents.iter().filter_map(|i| i.record.service_id()))
            }
            ListKind::Changes => {
                ids.extend(repo.changes.iter().filter_map(|c| c.record.service_id()))
            }
            ListKind::Problems => {
                ids.extend(repo.problems.iter().filter_map(|p| p.record.service_id()))
            }
            _ => {}
        }
        if !ids.contains(&service.as_str()) {
            return Err(unknown("service", service, &mut ids));
        }
    }
    if let Some(status) = &args.status {
        let states: Vec<&str> = match args.kind {
            ListKind::Changes => change::STATES.to_vec(),
            ListKind::Problems => problem::STATES.to_vec(),
            _ => STATUSES.to_vec(),
        };
        if !states.contains(&status.as_str()) {
            return Err(UserError::with_help(
                format!("unknown status `{status}`"),
                suggestion(
                    status,
                    states.iter().copied(),
                    format!("use one of: {}", states.join(", ")),
                ),
            ));
        }
    }
    if let Some(priority) = &args.priority {
        let mut known: Vec<&str> = repo
            .incidents
            .iter()
            .filter_map(|i| i.record.priority_name())
            .chain(
                repo.policies
                    .iter()
                    .flat_map(|p| p.record.targets.keys().map(String::as_str)),
            )
            .collect();
        if !known.contains(&priority.as_str()) {
            return Err(unknown("priority", priority, &mut known));
        }
    }
    Ok(())
}

/// The rows of the listing, as JSON values (the table shows them as text).
fn rows(
    args: &ListArgs,
    repo: &Repo,
    period: Option<Period>,
) -> (Vec<&'static str>, Vec<Vec<Value>>) {
    let services: HashMap<&str, &crate::model::Service> = repo
        .services
        .iter()
        .map(|s| (s.record.id.as_str(), &s.record))
        .collect();
    // A record of another kind matches the service filters through its service.
    let service_matches = |service: Option<&str>| {
        let record = service.and_then(|id| services.get(id));
        args.service
            .as_deref()
            .is_none_or(|wanted| service == Some(wanted))
            && args.owner.as_deref().is_none_or(|wanted| {
                record.and_then(|s| s.owner.as_ref()).map(|o| o.as_str()) == Some(wanted)
            })
            && args
                .stage
                .as_deref()
                .is_none_or(|wanted| record.and_then(|s| s.stage_name()) == Some(wanted))
    };
    let in_period = |at: Option<chrono::DateTime<chrono::FixedOffset>>| {
        period.is_none_or(|p| at.is_some_and(|at| p.contains(at.to_utc())))
    };
    let status_matches = |status: Option<&str>| {
        args.status
            .as_deref()
            .is_none_or(|wanted| status == Some(wanted))
    };
    match args.kind {
        ListKind::Services => (
            vec!["id", "name", "stage", "owner", "tier", "policy", "file"],
            repo.services
                .iter()
                .filter(|located| service_matches(Some(located.record.id.as_str())))
                .map(|located| {
                    let (s, file) = (&located.record, &located.file);
                    vec![
                        json!(s.id.value),
                        json!(s.name),
                        json!(s.stage_name()),
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
            vec!["id", "service", "priority", "status", "opened_at", "title"],
            repo.incidents
                .iter()
                .map(|i| &i.record)
                .filter(|i| service_matches(i.service_id()))
                .filter(|i| status_matches(Some(i.derived_status())))
                .filter(|i| {
                    args.priority
                        .as_deref()
                        .is_none_or(|wanted| i.priority_name() == Some(wanted))
                })
                .filter(|i| in_period(i.opened()))
                .map(|i| {
                    vec![
                        json!(i.id.value),
                        json!(i.service_id()),
                        json!(i.priority_name()),
                        json!(i.derived_status()),
                        json!(i.opened_at.as_ref().map(|o| o.value.to_rfc3339())),
                        json!(i.title.as_ref().map(|t| &t.value)),
                    ]
                })
                .collect(),
        ),
        ListKind::Changes => (
            vec!["id", "service", "type", "state", "window_start", "title"],
            repo.changes
                .iter()
                .map(|c| &c.record)
                .filter(|c| service_matches(c.service_id()))
                .filter(|c| status_matches(c.state()))
                .filter(|c| {
                    in_period(
                        c.window
                            .as_ref()
                            .and_then(|w| w.start.as_ref())
                            .map(|s| s.value),
                    )
                })
                .map(|c| {
                    vec![
                        json!(c.id.value),
                        json!(c.service_id()),
                        json!(c.change_type.value),
                        json!(c.state()),
                        json!(
                            c.window
                                .as_ref()
                                .and_then(|w| w.start.as_ref())
                                .map(|s| s.value.to_rfc3339())
                        ),
                        json!(c.title.as_ref().map(|t| &t.value)),
                    ]
                })
                .collect(),
        ),
        ListKind::Problems => (
            vec![
                "id",
                "service",
                "state",
                "incidents",
                "actions_open",
                "title",
            ],
            repo.problems
                .iter()
                .map(|p| &p.record)
                .filter(|p| service_matches(p.service_id()))
                .filter(|p| status_matches(p.state()))
                .filter(|p| in_period(p.progress.as_ref().and_then(|g| g.created())))
                .map(|p| {
                    vec![
                        json!(p.id.value),
                        json!(p.service_id()),
                        json!(p.state()),
                        json!(p.incidents.len()),
                        json!(p.open_actions().count()),
                        json!(p.title.as_ref().map(|t| &t.value)),
                    ]
                })
                .collect(),
        ),
    }
}
