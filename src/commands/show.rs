//! `svc show <id>`: one service's card: stage and history, the gates ahead, its
//! policy and targets, open incidents and the last 90 days' SLA figures.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use chrono::SecondsFormat;
use serde_json::json;

use super::Context;
use crate::cli::ShowArgs;
use crate::lifecycle::{Neighbours, gate_failures};
use crate::render::sla::human_duration;
use crate::render::{json as json_out, sanitize};
use crate::sla::period::Period;
use crate::sla::report::{self, GroupBy, Options};

/// Runs `svc show`.
pub fn run(args: &ShowArgs, context: &Context) -> Result<ExitCode> {
    let format = context.format(&["text", "json"])?;
    let repo = context.load()?;
    context.warn_about_problems(&repo);
    let service = &super::find_service(&repo, &args.id)?.record;
    let config = &repo.config;
    let neighbours = Neighbours::new(config, &repo.services, &repo.incidents);
    let position = config
        .stage_index(&service.stage)
        .map_or(config.stages.len(), |i| i + 1);
    let gates_ahead: Vec<(String, Vec<String>)> = config.stages
        [position.min(config.stages.len())..]
        .iter()
        .map(|stage| {
            let missing = gate_failures(config, service, stage, &neighbours)
                .into_iter()
                .filter(|f| f.stage() == stage)
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
    let (open, _) = report::open_incidents(&repo, context.now, Some(&service.id));
    let options = Options {
        period: Period {
            since: context.now - chrono::Duration::days(90),
            until: context.now,
        },
        now: context.now,
        group_by: GroupBy::Service,
        service: Some(service.id.value.clone()),
    };
    let sla = report::build(&repo, &options);
    let figures = sla.groups.first();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let time =
        |t: chrono::DateTime<chrono::FixedOffset>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    if format == "json" {
        let value = json!({
            "service": service.id.value,
            "name": service.name,
            "owner": service.owner.as_ref().map(|o| &o.value),
            "tier": service.tier,
            "stage": service.stage.value,
            "history": service.history.iter().map(|h| json!({
                "stage": h.stage.value, "at": h.at.as_ref().map(|a| time(a.value)), "by": h.by,
            })).collect::<Vec<_>>(),
            "gates_ahead": gates_ahead.iter().map(|(stage, missing)| json!({
                "stage": stage, "ok": missing.is_empty(), "missing": missing,
            })).collect::<Vec<_>>(),
            "policy": policy.map(|p| json!({
                "id": p.id.value,
                "calendar": p.calendar_id(),
                "targets": p.targets.iter().map(|(prio, t)| (prio.clone(), json!({
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
    writeln!(out, "\nstage: {}", service.stage.value)?;
    for entry in &service.history {
        writeln!(
            out,
            "  {}  {:<12} {}",
            entry
                .at
                .as_ref()
                .map_or_else(|| "-".to_string(), |a| time(a.value)),
            entry.stage.value,
            sanitize(entry.by.as_deref().unwrap_or(""))
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
    if let Some(policy) = policy {
        writeln!(out, "\ntargets ({}):", policy.id.value)?;
        for (priority, t) in &policy.targets {
            writeln!(
                out,
                "  {priority:<4} response {:<10} resolution {}",
                human_duration(t.response.seconds),
                human_duration(t.resolution.seconds)
            )?;
        }
    }
    writeln!(out, "\nopen incidents: {}", open.len())?;
    for row in &open {
        writeln!(
            out,
            "  {} {} resolution left {}",
            row.id,
            row.priority,
            human_duration(row.resolution.seconds_left())
        )?;
    }
    writeln!(out, "\nlast 90 days:")?;
    match figures {
        Some(g) => {
            let pct = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{v:.2}%"));
            let dur = |v: Option<i64>| v.map_or_else(|| "-".to_string(), human_duration);
            writeln!(
                out,
                "  {} incidents ({} met, {} breached, {} pending), compliance {}, MTTA {}, MTTR {}, availability {}, CSAT {}",
                g.incidents,
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
        None => writeln!(out, "  no SLA figures (no policy and no incidents)")?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
