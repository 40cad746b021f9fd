//! The JSON of `svc report review` with the keys of SPEC §9: each service's
//! `sla` is the object `svc sla --format json` gives for it (the same builder),
//! and a section with nothing to show is `null`, never omitted.

use std::io::{self, Write};

use chrono_tz::Tz;
use serde_json::{Map, Value, json};

use crate::render::changes::service_json as changes_json;
use crate::render::json as json_out;
use crate::render::sla::group_json;
use crate::report::review::{ProblemRef, Review, ServiceReview};

fn timestamp(at: chrono::DateTime<chrono::Utc>, tz: Tz) -> String {
    crate::render::timestamp(at, tz)
}

/// `[]` as `null`: a section with nothing to show (SPEC §9).
fn list_or_null(items: Vec<Value>) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        Value::Array(items)
    }
}

fn problem_ref_json(p: &ProblemRef) -> Value {
    json!({"problem": p.problem, "title": p.title, "state": p.state})
}

fn service_json(review: &Review, s: &ServiceReview, tz: Tz) -> Value {
    let sla = review
        .sla
        .groups
        .get(s.sla_index)
        .map_or(Value::Null, |g| group_json(&review.sla, g));
    let trend: Vec<Value> = s
        .trend
        .iter()
        .map(|t| {
            json!({
                "since": timestamp(t.period.since, tz),
                "until": timestamp(t.period.until, tz),
                "incidents": t.incidents,
                "compliance_pct": t.compliance_pct,
                "availability_pct": t.availability_pct,
                "mttr_seconds": t.mttr_seconds,
            })
        })
        .collect();
    let error_budget = s.error_budget.map_or(Value::Null, |b| {
        json!({
            "allowed_seconds": b.allowed_seconds,
            "used_seconds": b.used_seconds,
            "remaining_seconds": b.remaining_seconds,
        })
    });
    let breaches = s
        .breaches
        .iter()
        .map(|b| {
            json!({
                "id": b.id,
                "title": b.title,
                "priority": b.priority,
                "missed": b.missed(),
                "over_seconds": {"response": b.response_over, "resolution": b.resolution_over},
                "root_cause": b.root_cause,
                "postmortem": b.postmortem,
                "problem": b.problem,
            })
        })
        .collect();
    let feedback = s
        .feedback
        .iter()
        .map(|f| json!({"id": f.id, "satisfaction": f.satisfaction, "feedback": f.feedback}))
        .collect();
    let changes = s.changes.as_ref().map_or(Value::Null, changes_json);
    let problems = s.problems.as_ref().map_or(Value::Null, |p| {
        json!({
            "opened": p.opened.iter().map(problem_ref_json).collect::<Vec<_>>(),
            "resolved": p.resolved.iter().map(problem_ref_json).collect::<Vec<_>>(),
            "open": p.open.iter().map(|r| json!({
                "problem": r.problem,
                "title": r.title,
                "state": r.state,
                "age_days": r.age_days,
                "incidents": r.incidents,
                "actions_open": r.actions_open,
                "actions_overdue": r.actions_overdue,
            })).collect::<Vec<_>>(),
            "overdue_actions": p.overdue_actions.iter().map(|a| json!({
                "problem": a.problem,
                "action": a.action,
                "title": a.title,
                "owner": a.owner,
                "due": a.due.to_string(),
            })).collect::<Vec<_>>(),
        })
    });
    let lifecycle = s.lifecycle.as_ref().map_or(Value::Null, |l| {
        json!({
            "stage": l.stage,
            "since": l.since,
            "days_in_stage": l.days_in_stage,
            "stale": l.stale,
        })
    });
    let mut object = Map::new();
    for (key, value) in [
        ("service", json!(s.service)),
        ("sla", sla),
        ("trend", list_or_null(trend)),
        ("error_budget", error_budget),
        ("breaches", list_or_null(breaches)),
        ("feedback", list_or_null(feedback)),
        ("changes", changes),
        ("problems", problems),
        ("lifecycle", lifecycle),
    ] {
        object.insert(key.to_string(), value);
    }
    Value::Object(object)
}

/// The review as one JSON document (SPEC §9).
pub fn to_value(review: &Review, tz: Tz) -> Value {
    json!({
        "period": {
            "since": timestamp(review.period.since, tz),
            "until": timestamp(review.period.until, tz),
        },
        "now": timestamp(review.now, Tz::UTC),
        "services": review.services.iter().map(|s| service_json(review, s, tz)).collect::<Vec<_>>(),
        "skipped": review.skipped,
    })
}

/// Writes the review as one JSON document (SPEC §9).
pub fn render(out: &mut impl Write, review: &Review, tz: Tz) -> io::Result<()> {
    json_out::write(out, &to_value(review, tz))
}
