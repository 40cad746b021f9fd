//! `svc show <id>`: any record by its id. A service's card: stage and history
//! (with notes), contacts and links, what it depends on and what depends on it,
//! the retirement record, the gates ahead, its policy and targets, open
//! incidents and the last 90 days' SLA figures — what on-call needs at 3 a.m.
//! An incident's, a change's or a problem's card (render/show.rs).

mod cards;

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use chrono::SecondsFormat;
use serde_json::json;

use super::Context;
use crate::cli::{ShowArgs, TableFormat};
use crate::error::UserError;
use crate::lifecycle::{Neighbours, gate_failures};
use crate::model::service::HistoryEntry;
use crate::model::{Located, Service};
use crate::render::show as render_show;
use crate::render::sla::{counted_duration, human_duration};
use crate::render::{json as json_out, sanitize};
use crate::report::problems::ProblemIndex;
use crate::sla::period::Period;
use crate::sla::report::{self, GroupBy, Options};

/// Runs `svc show`.
pub fn run(args: &ShowArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(args.format, TableFormat::Table)?;
    let repo = context.load()?;
    context.warn_about_problems(&repo);
    let id = args.id.as_str();
    let mut out = super::output::stdout();
    let json = format == TableFormat::Json;
    if let Some(incident) = one_of(&repo.incidents, id, "incident", |r| &r.id.value)? {
        let card = cards::incident(&repo, &context.left_out(&repo), incident, context.now);
        write_card(&mut out, json, &card, render_show::incident)?;
    } else if let Some(change) = one_of(&repo.changes, id, "change", |r| &r.id.value)? {
        let card = cards::change(&repo, change);
        write_card(&mut out, json, &card, render_show::change)?;
    } else if let Some(problem) = one_of(&repo.problems, id, "problem", |r| &r.id.value)? {
        let card = cards::problem(&repo, &context.left_out(&repo), problem, context.now);
        write_card(&mut out, json, &card, render_show::problem)?;
    } else {
        let service = find_any(&repo, id)?;
        drop(out);
        return service_card(&repo, &service.record, format, context);
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Writes `card` as JSON or as text.
fn write_card<T: serde::Serialize, W: Write>(
    out: &mut W,
    json: bool,
    card: &T,
    text: fn(&mut W, &T) -> std::io::Result<()>,
) -> Result<()> {
    if json {
        json_out::write(out, card)?;
    } else {
        text(out, card)?;
    }
    Ok(())
}

/// The record of `records` with this id; two with it are refused (exit 1),
/// since showing either would be a guess.
fn one_of<'r, T>(
    records: &'r [Located<T>],
    id: &str,
    kind: &str,
    id_of: impl Fn(&T) -> &String,
) -> Result<Option<&'r Located<T>>, UserError> {
    let found: Vec<&Located<T>> = records.iter().filter(|r| id_of(&r.record) == id).collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        many => Err(UserError::refused(
            format!(
                "{kind} id `{id}` is used by more than one file: {}",
                many.iter()
                    .map(|r| r.file.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            "give each record its own id (`svc check` reports it as duplicate-id)",
        )),
    }
}

/// The service `id`, or a usage error whose did-you-mean looks at every id.
fn find_any<'r>(repo: &'r crate::repo::Repo, id: &str) -> Result<&'r Located<Service>, UserError> {
    match super::find_service(repo, id) {
        Ok(service) => Ok(service),
        Err(error) if error.code == 2 && !error.message.contains("could not be loaded") => {
            let ids = repo
                .services
                .iter()
                .map(|s| s.record.id.as_str())
                .chain(repo.incidents.iter().map(|r| r.record.id.as_str()))
                .chain(repo.changes.iter().map(|r| r.record.id.as_str()))
                .chain(repo.problems.iter().map(|r| r.record.id.as_str()));
            Err(UserError::with_help(
                format!("no service, incident, change or problem `{id}`"),
                crate::diagnostic::suggestion(id, ids, "run `svc list` to see the ids"),
            ))
        }
        Err(error) => Err(error),
    }
}

/// Writes a service's card.
fn service_card(
    repo: &crate::repo::Repo,
    service: &Service,
    format: TableFormat,
    context: &Context,
) -> Result<ExitCode> {
    let config = &repo.config;
    let neighbours = Neighbours::new(config, &repo.services, &repo.incidents);
    let stage = service.stage_name().unwrap_or("-");
    let position = config
        .stage_index(stage)
        .map_or(config.stages.len(), |i| i + 1);
    // Cumulative, like `next_gate_ok` in the lifecycle report: what is missing
    // to reach each stage, earlier gates included, since a gate keeps holding
    // in every later stage (audit #18).
    let gates_ahead: Vec<(String, Vec<String>)> = config.stages
        [position.min(config.stages.len())..]
        .iter()
        .map(|stage| {
            let missing = gate_failures(config, service, stage, &neighbours)
                .into_iter()
                .map(|f| f.missing())
                .collect();
            (stage.clone(), missing)
        })
        .collect();
    let policy = service
        .policy
        .as_ref()
        .and_then(|p| repo.policies.iter().find(|x| x.record.id.value == p.value))
        .map(|p| &p.record);
    let left_out = context.left_out(repo);
    let (open, _) = report::open_incidents(repo, &left_out, context.now, Some(&service.id));
    let options = Options {
        period: Period {
            since: context.now - chrono::Duration::days(90),
            until: context.now,
        },
        now: context.now,
        group_by: GroupBy::Service,
        service: Some(service.id.value.clone()),
    };
    let sla = report::build(repo, &left_out, &options);
    // Every incident of the service, whenever it was opened: the problems
    // behind them are what its improvement work is about.
    let problems = ProblemIndex::new(repo, &left_out).links().count_for(
        repo.incidents
            .iter()
            .filter(|i| i.record.service_id() == Some(service.id.as_str()))
            .map(|i| i.record.id.as_str()),
    );
    let figures = sla.groups.first();
    // The SLA report leaves out a service without a policy, or one retired
    // before the period, unless it had incidents in it.
    let no_figures = if policy.is_none() {
        "no SLA figures (no policy and no incidents)"
    } else {
        "no SLA figures (retired before these 90 days, and no incidents in them)"
    };
    let retirement = service.retirement.as_ref();
    // Who is hurt when this service is down: the services that depend on it.
    let mut dependents: Vec<&str> = repo
        .services
        .iter()
        .filter(|s| {
            s.record
                .depends_on
                .iter()
                .any(|d| d.value == service.id.value)
        })
        .map(|s| s.record.id.as_str())
        .collect();
    dependents.sort_unstable();
    dependents.dedup();
    let mut out = super::output::stdout();
    let time =
        |t: chrono::DateTime<chrono::FixedOffset>| t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
    let at = |entry: &HistoryEntry| {
        entry
            .at_text
            .clone()
            .or_else(|| entry.at.as_ref().map(|a| time(a.value)))
    };
    if format == TableFormat::Json {
        let value = json!({
            "service": service.id.value,
            "name": service.name,
            "owner": service.owner.as_ref().map(|o| &o.value),
            "tier": service.tier,
            "contacts": { "oncall": service.contacts.oncall, "escalation": service.contacts.escalation },
            "links": service.links.iter().map(|(name, url)| (name.value.clone(), json!(url))).collect::<serde_json::Map<_, _>>(),
            "depends_on": service.depends_on.iter().map(|d| &d.value).collect::<Vec<_>>(),
            "dependents": dependents,
            "stage": stage,
            "history": service.history().iter().map(|h| json!({
                "stage": h.state.value, "at": at(h), "by": h.by, "note": h.note,
            })).collect::<Vec<_>>(),
            "retirement": retirement.map(|r| json!({
                "reason": r.reason.as_ref().map(|x| &x.value),
                "replaced_by": r.replaced_by.as_ref().map(|x| &x.value),
                "backup": r.backup, "migrated_to": r.migrated_to,
                "purged_at": r.purged_at.as_ref().map(|p| time(p.value)),
            })),
            "gates_ahead": gates_ahead.iter().map(|(stage, missing)| json!({
                "stage": stage, "ok": missing.is_empty(), "missing": missing,
            })).collect::<Vec<_>>(),
            "policy": policy.map(|p| json!({
                "id": p.id.value,
                "calendar": p.calendar_id(),
                "targets": p.targets.iter().filter_map(|(prio, t)| Some((prio, t.as_ref()?))).map(|(prio, t)| (prio.clone(), json!({
                    "response_seconds": t.response.seconds, "resolution_seconds": t.resolution.seconds,
                }))).collect::<serde_json::Map<_, _>>(),
            })),
            "open_incidents": open.iter().map(|r| json!({
                "id": r.id, "priority": r.priority, "resolution_left_seconds": r.resolution.seconds_left(),
            })).collect::<Vec<_>>(),
            "problems": { "linked": problems.all, "open": problems.open },
            "last_90_days": figures.map(|g| json!({
                "incidents": g.incidents, "met": g.met, "breached": g.breached, "pending": g.pending,
                "compliance_pct": g.compliance_pct, "mtta_seconds": g.mtta_seconds,
                "mttr_seconds": g.mttr_seconds, "availability_pct": g.availability_pct, "csat_pct": g.csat_pct,
            })),
        });
        json_out::write(&mut out, &value)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let name = service.name.as_deref().unwrap_or(&service.id);
    writeln!(out, "{} ({})", sanitize(name), sanitize(&service.id.value))?;
    writeln!(
        out,
        "  owner {}, tier {}, policy {}",
        sanitize(service.owner.as_ref().map_or("-", |o| o.as_str())),
        service.tier,
        policy.map_or_else(
            || "-".to_string(),
            |p| sanitize(&format!("{} on {}", p.id.value, p.calendar_id())).into_owned()
        )
    )?;
    let oncall = service.contacts.oncall.as_deref().unwrap_or("-");
    writeln!(out, "  on call {}", sanitize(oncall))?;
    if !service.contacts.escalation.is_empty() {
        writeln!(
            out,
            "  escalation {}",
            sanitize(&service.contacts.escalation.join(" -> "))
        )?;
    }
    for (name, url) in &service.links {
        writeln!(
            out,
            "  {:<10} {}",
            sanitize(&name.value),
            sanitize(url.as_deref().unwrap_or("-"))
        )?;
    }
    let list = |ids: Vec<&str>| {
        if ids.is_empty() {
            "none".to_string()
        } else {
            sanitize(&ids.join(", ")).into_owned()
        }
    };
    writeln!(
        out,
        "  depends on {}",
        list(service.depends_on.iter().map(|d| d.as_str()).collect())
    )?;
    writeln!(out, "  needed by  {}", list(dependents.clone()))?;
    writeln!(out, "\nstage: {}", sanitize(stage))?;
    // Times are shown as written, so `...Z` is shorter than `...+01:00`: the
    // columns are as wide as their widest entry.
    let times: Vec<String> = service
        .history()
        .iter()
        .map(|entry| at(entry).unwrap_or_else(|| "-".to_string()))
        .collect();
    let time_width = times.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    let stage_width = service
        .history()
        .iter()
        .map(|entry| entry.state.value.chars().count())
        .max()
        .unwrap_or(0)
        .max(12);
    for (entry, time) in service.history().iter().zip(&times) {
        let note = entry
            .note
            .as_deref()
            .map(|n| format!("  note: {}", sanitize(n)))
            .unwrap_or_default();
        writeln!(
            out,
            "  {time:<time_width$}  {:<stage_width$} {}{note}",
            sanitize(&entry.state.value),
            sanitize(entry.by.as_deref().unwrap_or(""))
        )?;
    }
    if let Some(r) = retirement {
        let value = |v: Option<&str>| sanitize(v.unwrap_or("-")).into_owned();
        writeln!(
            out,
            "\nretirement: {}{}",
            value(r.reason.as_ref().map(|x| x.value.as_str())),
            r.replaced_by
                .as_ref()
                .map(|x| format!(", replaced by {}", sanitize(&x.value)))
                .unwrap_or_default()
        )?;
        writeln!(out, "  backup      {}", value(r.backup.as_deref()))?;
        writeln!(out, "  migrated to {}", value(r.migrated_to.as_deref()))?;
        writeln!(
            out,
            "  purged at   {}",
            r.purged_at
                .as_ref()
                .map_or_else(|| "-".to_string(), |p| time(p.value))
        )?;
    }
    writeln!(out, "\ngates ahead:")?;
    if gates_ahead.is_empty() {
        writeln!(out, "  none (terminal stage)")?;
    }
    for (stage, missing) in &gates_ahead {
        if missing.is_empty() {
            writeln!(out, "  {:<12} ok", sanitize(stage))?;
        } else {
            let missing = missing.join(", ");
            writeln!(
                out,
                "  {:<12} missing {}",
                sanitize(stage),
                sanitize(&missing)
            )?;
        }
    }
    // Counted time on a business calendar is working hours: shown in hours.
    let business_hours = policy.is_some_and(|p| p.calendar_id() != crate::model::policy::ALWAYS_ON);
    if let Some(policy) = policy {
        writeln!(out, "\ntargets ({}):", sanitize(&policy.id.value))?;
        for (priority, t) in policy
            .targets
            .iter()
            .filter_map(|(p, t)| Some((p, t.as_ref()?)))
        {
            writeln!(
                out,
                "  {:<4} response {:<10} resolution {}",
                sanitize(priority),
                counted_duration(t.response.seconds, business_hours),
                counted_duration(t.resolution.seconds, business_hours)
            )?;
        }
    }
    writeln!(out, "\nopen incidents: {}", open.len())?;
    for row in &open {
        let left = row.resolution.seconds_left();
        let resolution = if left < 0 {
            format!(
                "resolution overdue by {}",
                counted_duration(-left, row.business_hours)
            )
        } else {
            format!(
                "resolution left {}",
                counted_duration(left, row.business_hours)
            )
        };
        writeln!(
            out,
            "  {} {} {resolution}",
            sanitize(&row.id),
            sanitize(&row.priority)
        )?;
    }
    writeln!(
        out,
        "\nproblems linked to its incidents: {} ({} open)",
        problems.all, problems.open
    )?;
    writeln!(out, "\nlast 90 days:")?;
    match figures {
        Some(g) => {
            let pct = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{v:.2}%"));
            let dur = |v: Option<i64>| v.map_or_else(|| "-".to_string(), human_duration);
            writeln!(
                out,
                "  {} incident{} ({} met, {} breached, {} pending), compliance {}, MTTA {}, MTTR {}, availability {}, CSAT {}",
                g.incidents,
                if g.incidents == 1 { "" } else { "s" },
                g.met,
                g.breached,
                g.pending,
                pct(g.compliance_pct),
                dur(g.mtta_seconds),
                dur(g.mttr_seconds),
                pct(g.availability_pct),
                pct(g.csat_pct)
            )?;
        }
        None => writeln!(out, "  {no_figures}")?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
