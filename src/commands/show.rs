//! `svc show <id>`: one service's card: stage and history (with notes), the
//! retirement record, the gates ahead, its policy and targets, open incidents
//! and the last 90 days' SLA figures.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use chrono::SecondsFormat;
use serde_json::json;

use super::Context;
use crate::cli::{ShowArgs, TableFormat};
use crate::lifecycle::{Neighbours, gate_failures};
use crate::model::service::HistoryEntry;
use crate::render::sla::{counted_duration, human_duration};
use crate::render::{json as json_out, sanitize};
use crate::sla::period::Period;
use crate::sla::report::{self, GroupBy, Options};

/// Runs `svc show`.
pub fn run(args: &ShowArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(args.format, TableFormat::Table)?;
    let repo = context.load()?;
    context.warn_about_problems(&repo);
    let service = &super::find_service(&repo, &args.id)?.record;
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
    let left_out = context.left_out(&repo);
    let (open, _) = report::open_incidents(&repo, &left_out, context.now, Some(&service.id));
    let options = Options {
        period: Period {
            since: context.now - chrono::Duration::days(90),
            until: context.now,
        },
        now: context.now,
        group_by: GroupBy::Service,
        service: Some(service.id.value.clone()),
    };
    let sla = report::build(&repo, &left_out, &options);
    let figures = sla.groups.first();
    // The SLA report leaves out a service without a policy, or one retired
    // before the period, unless it had incidents in it.
    let no_figures = if policy.is_none() {
        "no SLA figures (no policy and no incidents)"
    } else {
        "no SLA figures (retired before these 90 days, and no incidents in them)"
    };
    let retirement = service.retirement.as_ref();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
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
    writeln!(out, "{} ({})", sanitize(name), service.id.value)?;
    writeln!(
        out,
        "  owner {}, tier {}, policy {}",
        sanitize(service.owner.as_ref().map_or("-", |o| o.as_str())),
        service.tier,
        policy.map_or_else(
            || "-".to_string(),
            |p| format!("{} on {}", p.id.value, p.calendar_id())
        )
    )?;
    writeln!(out, "\nstage: {stage}")?;
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
            writeln!(out, "  {stage:<12} ok")?;
        } else {
            writeln!(out, "  {stage:<12} missing {}", missing.join(", "))?;
        }
    }
    // Counted time on a business calendar is working hours: shown in hours.
    let business_hours = policy.is_some_and(|p| p.calendar_id() != crate::model::policy::ALWAYS_ON);
    if let Some(policy) = policy {
        writeln!(out, "\ntargets ({}):", policy.id.value)?;
        for (priority, t) in policy
            .targets
            .iter()
            .filter_map(|(p, t)| Some((p, t.as_ref()?)))
        {
            writeln!(
                out,
                "  {priority:<4} response {:<10} resolution {}",
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
        writeln!(out, "  {} {} {resolution}", row.id, row.priority)?;
    }
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
