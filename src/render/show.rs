//! The cards of `svc show` for an incident, a change and a problem: plain structs
//! built once by the command, serialised as the JSON document and written as
//! text by the pure functions here. (The service card is in
//! `commands/show.rs`.) Record text is escaped so it cannot drive the terminal.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::sanitize as clean;
use super::sla::human_duration;

/// A target as the incident card shows it.
#[derive(Clone, Debug, Serialize)]
pub struct TargetView {
    /// Counted seconds so far (or to the end timestamp).
    pub counted_seconds: i64,
    /// The target.
    pub target_seconds: i64,
    /// Seconds left before the breach (negative once breached).
    pub left_seconds: i64,
    /// `met`, `breached` or `pending`.
    pub state: &'static str,
}

/// An escalation step now due.
#[derive(Clone, Debug, Serialize)]
pub struct EscalationView {
    /// Percentage of the target elapsed at which it applies.
    pub after_pct: f64,
    /// Who is told.
    pub notify: String,
}

/// The SLA side of an incident.
#[derive(Clone, Debug, Serialize)]
pub struct SlaView {
    /// The policy evaluated against.
    pub policy: String,
    /// Response target.
    pub response: TargetView,
    /// Resolution target.
    pub resolution: TargetView,
    /// The incident's state.
    pub state: &'static str,
    /// The escalation step due while the incident is open.
    pub escalation: Option<EscalationView>,
}

/// A window `{from, to}`; `to` is `None` for a running pause.
#[derive(Clone, Debug, Serialize)]
pub struct WindowView {
    /// Start.
    pub from: String,
    /// End.
    pub to: Option<String>,
    /// Why (pauses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `svc show INC-…`.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentCard {
    /// Id.
    pub incident: String,
    /// Title.
    pub title: Option<String>,
    /// Service id.
    pub service: Option<String>,
    /// Effective priority.
    pub priority: Option<String>,
    /// True when looked up in the priority matrix.
    pub priority_from_matrix: bool,
    /// Derived status.
    pub status: &'static str,
    /// Timestamps as written.
    pub opened_at: Option<String>,
    /// First response.
    pub acknowledged_at: Option<String>,
    /// Resolution.
    pub resolved_at: Option<String>,
    /// Closure.
    pub closed_at: Option<String>,
    /// The evaluation; `None` when the incident or a record it rests on has
    /// errors, or its service has no policy.
    pub sla: Option<SlaView>,
    /// Pauses.
    pub paused: Vec<WindowView>,
    /// Outages.
    pub outage: Vec<WindowView>,
    /// Category.
    pub category: Option<String>,
    /// Root cause.
    pub root_cause: Option<String>,
    /// Postmortem link.
    pub postmortem: Option<String>,
    /// Linked problem(s): its own `problem` and problems listing it.
    pub problems: Vec<String>,
    /// The change that caused it.
    pub caused_by_change: Option<String>,
    /// 1..5.
    pub satisfaction: Option<u8>,
    /// The customer's comment.
    pub feedback: Option<String>,
    /// Ids in other systems.
    pub external: BTreeMap<String, String>,
    /// Why the SLA part is missing, for people.
    #[serde(skip)]
    pub sla_note: Option<String>,
}

/// One history entry.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryView {
    /// The state entered.
    pub state: String,
    /// When, as written.
    pub at: Option<String>,
    /// Who.
    pub by: Option<String>,
    /// Why.
    pub note: Option<String>,
}

/// One approval of a change.
#[derive(Clone, Debug, Serialize)]
pub struct ApprovalView {
    /// Who.
    pub by: Option<String>,
    /// When.
    pub at: Option<String>,
    /// Note.
    pub note: Option<String>,
}

/// `svc show CHG-…`.
#[derive(Clone, Debug, Serialize)]
pub struct ChangeCard {
    /// Id.
    pub change: String,
    /// Title.
    pub title: Option<String>,
    /// Service id.
    pub service: Option<String>,
    /// `standard`, `normal` or `emergency`.
    #[serde(rename = "type")]
    pub change_type: String,
    /// `low`, `medium` or `high`.
    pub risk: String,
    /// Current state.
    pub state: Option<String>,
    /// Planned window.
    pub window: Option<WindowView>,
    /// How to undo it.
    pub rollback_plan: Option<String>,
    /// How to tell it worked.
    pub verification_plan: Option<String>,
    /// Approvals.
    pub approvals: Vec<ApprovalView>,
    /// When it was carried out.
    pub implemented: Option<WindowView>,
    /// Outcome.
    pub outcome: Option<String>,
    /// State history.
    pub history: Vec<HistoryView>,
    /// Incidents whose `caused_by_change` names it.
    pub incidents_caused: Vec<String>,
    /// Problems whose `fix_change` names it.
    pub fixes_problems: Vec<String>,
}

/// An incident as listed on a problem's card.
#[derive(Clone, Debug, Serialize)]
pub struct LinkedIncident {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Derived status.
    pub status: &'static str,
    /// SLA state, when it could be evaluated.
    pub sla: Option<&'static str>,
}

/// One improvement action.
#[derive(Clone, Debug, Serialize)]
pub struct ActionView {
    /// `A1`, ...
    pub id: String,
    /// What.
    pub title: Option<String>,
    /// Who.
    pub owner: Option<String>,
    /// By when.
    pub due: Option<String>,
    /// When done.
    pub done_at: Option<String>,
    /// Not done after its due date.
    pub overdue: bool,
}

/// `svc show PRB-…`.
#[derive(Clone, Debug, Serialize)]
pub struct ProblemCard {
    /// Id.
    pub problem: String,
    /// Title.
    pub title: Option<String>,
    /// Service id.
    pub service: Option<String>,
    /// Current state.
    pub state: Option<String>,
    /// Root cause.
    pub root_cause: Option<String>,
    /// Workaround.
    pub workaround: Option<String>,
    /// The change that fixes it.
    pub fix_change: Option<String>,
    /// Incidents linked either way.
    pub incidents: Vec<LinkedIncident>,
    /// Improvement actions.
    pub actions: Vec<ActionView>,
    /// The verification of the fix.
    pub verification: Option<ApprovalView>,
    /// State history.
    pub history: Vec<HistoryView>,
}

fn or_dash(value: Option<&str>) -> String {
    clean(value.unwrap_or("-")).into_owned()
}

fn line(out: &mut impl Write, label: &str, value: Option<&str>) -> io::Result<()> {
    if let Some(value) = value {
        writeln!(out, "  {label:<14}{}", clean(value))?;
    }
    Ok(())
}

fn target_text(name: &str, t: &TargetView, open: bool) -> String {
    let left = if open && t.state == "pending" {
        format!(", {} left", human_duration(t.left_seconds))
    } else if t.state == "breached" {
        format!(", over by {}", human_duration(-t.left_seconds))
    } else {
        String::new()
    };
    format!(
        "  {name:<12}{} of {}  {}{left}",
        human_duration(t.counted_seconds),
        human_duration(t.target_seconds),
        t.state
    )
}

fn history(out: &mut impl Write, entries: &[HistoryView]) -> io::Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    writeln!(out, "\nhistory:")?;
    let width = entries
        .iter()
        .map(|e| e.at.as_deref().map_or(1, str::len))
        .max()
        .unwrap_or(1);
    let states = entries
        .iter()
        .map(|e| e.state.chars().count())
        .max()
        .unwrap_or(1);
    for e in entries {
        let note = e
            .note
            .as_deref()
            .map(|n| format!("  note: {}", clean(n)))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<width$}  {:<states$} {}{note}",
            e.at.as_deref().unwrap_or("-"),
            clean(&e.state),
            or_dash(e.by.as_deref())
        )?;
    }
    Ok(())
}

/// Writes the incident card as text.
pub fn incident(out: &mut impl Write, card: &IncidentCard) -> io::Result<()> {
    writeln!(out, "{}  {}", card.incident, or_dash(card.title.as_deref()))?;
    let from = if card.priority_from_matrix {
        " (from the priority matrix)"
    } else {
        ""
    };
    writeln!(
        out,
        "  service {}, priority {}{from}, status {}",
        or_dash(card.service.as_deref()),
        or_dash(card.priority.as_deref()),
        card.status
    )?;
    writeln!(out)?;
    line(out, "opened", card.opened_at.as_deref())?;
    line(out, "acknowledged", card.acknowledged_at.as_deref())?;
    line(out, "resolved", card.resolved_at.as_deref())?;
    line(out, "closed", card.closed_at.as_deref())?;
    let open = card.resolved_at.is_none();
    match &card.sla {
        Some(sla) => {
            writeln!(out, "\nSLA (policy {}): {}", clean(&sla.policy), sla.state)?;
            writeln!(out, "{}", target_text("response", &sla.response, open))?;
            writeln!(out, "{}", target_text("resolution", &sla.resolution, open))?;
            if let Some(step) = &sla.escalation {
                writeln!(
                    out,
                    "  escalation  {} now (at {}%)",
                    clean(&step.notify),
                    step.after_pct
                )?;
            }
        }
        None => writeln!(
            out,
            "\nSLA: {}",
            card.sla_note.as_deref().unwrap_or("not evaluated")
        )?,
    }
    for (title, windows) in [("pauses", &card.paused), ("outages", &card.outage)] {
        if windows.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}:")?;
        for w in windows {
            let reason = w
                .reason
                .as_deref()
                .map(|r| format!("  {}", clean(r)))
                .unwrap_or_default();
            writeln!(
                out,
                "  {} to {}{reason}",
                w.from,
                w.to.as_deref().unwrap_or("now (running)")
            )?;
        }
    }
    writeln!(out)?;
    line(out, "category", card.category.as_deref())?;
    line(out, "root cause", card.root_cause.as_deref())?;
    line(out, "postmortem", card.postmortem.as_deref())?;
    if !card.problems.is_empty() {
        line(out, "problem", Some(&card.problems.join(", ")))?;
    }
    line(out, "caused by", card.caused_by_change.as_deref())?;
    if let Some(score) = card.satisfaction {
        line(out, "satisfaction", Some(&format!("{score} of 5")))?;
    }
    line(out, "feedback", card.feedback.as_deref())?;
    for (system, id) in &card.external {
        line(out, system, Some(id))?;
    }
    Ok(())
}

/// Writes the change card as text.
pub fn change(out: &mut impl Write, card: &ChangeCard) -> io::Result<()> {
    writeln!(out, "{}  {}", card.change, or_dash(card.title.as_deref()))?;
    writeln!(
        out,
        "  service {}, {} change, {} risk, state {}",
        or_dash(card.service.as_deref()),
        card.change_type,
        card.risk,
        or_dash(card.state.as_deref())
    )?;
    writeln!(out)?;
    let span = |w: &WindowView| format!("{} to {}", w.from, w.to.as_deref().unwrap_or("-"));
    line(out, "window", card.window.as_ref().map(span).as_deref())?;
    line(
        out,
        "implemented",
        card.implemented.as_ref().map(span).as_deref(),
    )?;
    line(out, "outcome", card.outcome.as_deref())?;
    line(out, "rollback", card.rollback_plan.as_deref())?;
    line(out, "verification", card.verification_plan.as_deref())?;
    writeln!(out, "\napprovals: {}", card.approvals.len())?;
    for a in &card.approvals {
        let note = a
            .note
            .as_deref()
            .map(|n| format!("  {}", clean(n)))
            .unwrap_or_default();
        writeln!(
            out,
            "  {}  {}{note}",
            a.at.as_deref().unwrap_or("-"),
            or_dash(a.by.as_deref())
        )?;
    }
    history(out, &card.history)?;
    writeln!(
        out,
        "\nincidents caused: {}",
        if card.incidents_caused.is_empty() {
            "none".to_string()
        } else {
            card.incidents_caused.join(", ")
        }
    )?;
    if !card.fixes_problems.is_empty() {
        writeln!(out, "fixes problems: {}", card.fixes_problems.join(", "))?;
    }
    Ok(())
}

/// Writes the problem card as text.
pub fn problem(out: &mut impl Write, card: &ProblemCard) -> io::Result<()> {
    writeln!(out, "{}  {}", card.problem, or_dash(card.title.as_deref()))?;
    writeln!(
        out,
        "  service {}, state {}",
        or_dash(card.service.as_deref()),
        or_dash(card.state.as_deref())
    )?;
    writeln!(out)?;
    line(out, "root cause", card.root_cause.as_deref())?;
    line(out, "workaround", card.workaround.as_deref())?;
    line(out, "fix change", card.fix_change.as_deref())?;
    if let Some(v) = &card.verification {
        let by =
            v.by.as_deref()
                .map(|b| format!(" by {}", clean(b)))
                .unwrap_or_default();
        let note = v
            .note
            .as_deref()
            .map(|n| format!(": {}", clean(n)))
            .unwrap_or_default();
        line(
            out,
            "verified",
            Some(&format!("{}{by}{note}", v.at.as_deref().unwrap_or("-"))),
        )?;
    }
    writeln!(out, "\nincidents: {}", card.incidents.len())?;
    for i in &card.incidents {
        writeln!(
            out,
            "  {}  {:<13} SLA {:<9} {}",
            i.id,
            i.status,
            i.sla.unwrap_or("-"),
            or_dash(i.title.as_deref())
        )?;
    }
    let open = card.actions.iter().filter(|a| a.done_at.is_none()).count();
    writeln!(out, "\nactions: {} ({open} open)", card.actions.len())?;
    for a in &card.actions {
        let state = match (&a.done_at, a.overdue) {
            (Some(done), _) => format!("done {done}"),
            (None, true) => "OVERDUE".to_string(),
            (None, false) => "open".to_string(),
        };
        writeln!(
            out,
            "  {:<4} due {:<10}  {:<26} {} ({})",
            clean(&a.id),
            a.due.as_deref().unwrap_or("-"),
            state,
            or_dash(a.title.as_deref()),
            or_dash(a.owner.as_deref())
        )?;
    }
    history(out, &card.history)
}
