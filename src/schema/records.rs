//! The schema of each record kind (SPEC §1), field by field as the decoders in
//! `model/` read them. Enumerations come from the model's own constants
//! (`change::TYPES`, `problem::STATES`, ...), time zones from chrono-tz's list
//! and the timestamp years from the decoder's bounds; the field lists are held
//! to the decoders by the tests in `schema/tests.rs`.

use serde_json::{Value, json};

use super::build::{
    date, duration, integer, list, map_of, non_empty, object, one_of, optional, percent,
    string_matching, text, text_matching, timestamp,
};
use crate::model::config::DEFAULT_STAGES;
use crate::model::{change, incident, problem, service};

/// Ids of every record (SPEC §1).
const ID: &str = "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";
/// Lower-case kebab ids of services, policies and calendars.
const KEBAB_ID: &str = "^[a-z0-9]+(-[a-z0-9]+)*$";

fn head(kind: &str, kebab: bool) -> Vec<(&'static str, Value)> {
    let id = if kebab {
        let mut id = text_matching(KEBAB_ID, "Lower-case kebab id, equal to the file name.");
        id["maxLength"] = json!(128);
        id
    } else {
        text_matching(ID, "Id, equal to the file name.")
    };
    vec![
        (
            "apiVersion",
            json!({"const": "svc/v1", "description": "Optional; `svc/v1`."}),
        ),
        (
            "kind",
            json!({"const": kind, "description": "The record kind."}),
        ),
        ("id", id),
    ]
}

/// A state named in a history entry, or a service's stage: any non-blank
/// text, with `suggested` for an editor to complete (a repo may configure its
/// own stages; `unknown-stage` and `history` in `svc check` judge the name).
fn named_state(suggested: &[&str], description: &str) -> Value {
    json!({
        "anyOf": [{"enum": suggested}, non_empty(description)],
        "description": description,
    })
}

fn stage() -> Value {
    named_state(
        &DEFAULT_STAGES,
        "A lifecycle stage (one of svc.toml's `lifecycle.stages`).",
    )
}

/// A history list whose entries name their state under `entry_key`.
fn history(entry_key: &'static str, state: Value) -> Value {
    list(
        object(
            "One history entry.",
            &[entry_key, "at"],
            vec![
                (entry_key, state),
                ("at", timestamp("When it was entered.")),
                ("by", text("Who.")),
                ("note", text("Why.")),
            ],
        ),
        "The states entered, oldest first (appended by svc).",
    )
}

/// `kind: Service`.
pub fn service() -> Value {
    let mut fields = head("Service", true);
    fields.extend([
        ("name", text("Display name.")),
        ("description", text("What the service does.")),
        ("owner", non_empty("Owning team.")),
        ("tier", integer(1, 4, "1 (most critical) .. 4; default 3.")),
        ("policy", non_empty("SlaPolicy id.")),
        (
            "depends_on",
            list(non_empty("A Service id."), "Services this one depends on."),
        ),
        (
            "contacts",
            object(
                "Who is called.",
                &[],
                vec![
                    ("oncall", text("The on-call address.")),
                    (
                        "escalation",
                        json!({"anyOf": [
                            text("Who is told next."),
                            list(text("An address."), "Who is told next, in order."),
                        ]}),
                    ),
                ],
            ),
        ),
        (
            "links",
            map_of(
                optional(text("A URL.")),
                "Named links (runbook, dashboard, repo, docs, status, ...).",
            ),
        ),
        (
            "lifecycle",
            object(
                "Stage and history.",
                &["stage"],
                vec![("stage", stage()), ("history", history("stage", stage()))],
            ),
        ),
        ("retirement", retirement()),
    ]);
    object(
        "A service in the catalog (svc Service record).",
        &["kind", "id", "owner", "lifecycle"],
        fields,
    )
}

fn retirement() -> Value {
    let mut retirement = object(
        "The retirement record (required once retired).",
        &[],
        vec![
            (
                "reason",
                one_of(&service::RETIREMENT_REASONS, "Why it was retired."),
            ),
            (
                "replaced_by",
                non_empty("The successor Service id (required when the reason is `replaced`)."),
            ),
            (
                "data",
                object(
                    "What became of the data.",
                    &[],
                    vec![
                        ("migrated_to", text("Where the data went.")),
                        ("backup", text("Where the backup is kept.")),
                        ("purged_at", timestamp("When the data was purged.")),
                    ],
                ),
            ),
        ],
    );
    retirement["if"] =
        json!({"properties": {"reason": {"const": "replaced"}}, "required": ["reason"]});
    retirement["then"] = json!({
        "required": ["replaced_by"],
        "properties": {"replaced_by": {"not": {"type": "null"}}},
    });
    retirement
}

/// `kind: SlaPolicy`.
pub fn policy() -> Value {
    let mut fields = head("SlaPolicy", true);
    let targets = object(
        "Counted time allowed for one priority.",
        &["response", "resolution"],
        vec![
            (
                "response",
                duration("Until the first response, e.g. `15m`."),
            ),
            ("resolution", duration("Until resolution, e.g. `4h`.")),
        ],
    );
    let mut targets = map_of(targets, "Targets per priority (`P1`, `P2`, ...).");
    targets["minProperties"] = json!(1);
    let objective = |what: &str| percent(Some(100), what);
    fields.extend([
        ("name", text("Display name.")),
        ("description", text("What the policy is for.")),
        (
            "calendar",
            non_empty("A Calendar id, or the built-in `24x7` (the default)."),
        ),
        ("targets", targets),
        (
            "objectives",
            object(
                "Objectives reported against.",
                &[],
                vec![
                    (
                        "compliance",
                        objective("Share of decided incidents that met both targets."),
                    ),
                    ("availability", objective("Availability per report period.")),
                    (
                        "satisfaction",
                        objective("Share of rated incidents scored 4 or 5."),
                    ),
                    (
                        "change_failure_rate",
                        objective("Highest share of failed or rolled-back changes."),
                    ),
                ],
            ),
        ),
        (
            "escalation",
            list(
                object(
                    "Who is told once the clock has run this far.",
                    &["after", "notify"],
                    vec![
                        (
                            "after",
                            percent(None, "Share of the target elapsed, e.g. `50%`."),
                        ),
                        ("notify", non_empty("Who is notified.")),
                    ],
                ),
                "Escalation steps.",
            ),
        ),
    ]);
    object(
        "An SLA policy (svc SlaPolicy record).",
        &["kind", "id", "targets"],
        fields,
    )
}

/// `kind: Calendar`.
pub fn calendar() -> Value {
    let mut fields = head("Calendar", true);
    let clock = "([01][0-9]|2[0-3]):[0-5][0-9]";
    let range = string_matching(
        &format!("^\\s*{clock}\\s*-\\s*({clock}|24:00)\\s*$"),
        "A working range like `09:00-17:30` (`24:00` allowed as an end).",
    );
    let days: Vec<(&str, Value)> = crate::model::calendar::WEEKDAYS
        .iter()
        .map(|day| {
            (
                *day,
                list(range.clone(), "Working ranges of the day, not overlapping."),
            )
        })
        .collect();
    let mut hours = object(
        "Local working ranges per weekday; a missing day has none.",
        &[],
        days,
    );
    // A calendar with no working hours is refused: its clock would never run.
    hours["anyOf"] = crate::model::calendar::WEEKDAYS
        .iter()
        .map(|day| json!({"required": [day], "properties": {*day: {"type": "array", "minItems": 1}}}))
        .collect();
    let holiday = json!({"anyOf": [
        date("A holiday."),
        object(
            "A named holiday.",
            &["date"],
            vec![("date", date("The date.")), ("name", text("Its name."))],
        ),
    ]});
    fields.extend([
        ("timezone", time_zone()),
        ("hours", hours),
        (
            "holidays",
            list(holiday, "Whole local dates without working hours."),
        ),
    ]);
    object(
        "A business calendar (svc Calendar record).",
        &["kind", "id", "timezone", "hours"],
        fields,
    )
}

/// An IANA time-zone name: the names chrono-tz knows, which are the ones svc accepts.
pub fn time_zone() -> Value {
    let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    json!({"enum": names, "description": "An IANA time-zone name, e.g. `Europe/Berlin`."})
}

/// `kind: Incident`.
pub fn incident() -> Value {
    let mut fields = head("Incident", false);
    let window = |what: &str, to_required: bool| {
        let required: &[&str] = if to_required {
            &["from", "to"]
        } else {
            &["from"]
        };
        let mut entries = vec![("from", timestamp("Start.")), ("to", timestamp("End."))];
        entries.push(if to_required {
            ("note", text("A note."))
        } else {
            (
                "reason",
                text("Why the clock stopped, e.g. `awaiting-customer`."),
            )
        });
        object(what, required, entries)
    };
    fields.extend([
        ("service", non_empty("The affected Service id.")),
        ("title", non_empty("What happened.")),
        (
            "priority",
            non_empty("A key of the service policy's targets (or give impact and urgency with a priority matrix)."),
        ),
        ("impact", integer(1, 3, "1 (highest) .. 3.")),
        ("urgency", integer(1, 3, "1 (highest) .. 3.")),
        ("opened_at", timestamp("When it was opened.")),
        ("acknowledged_at", timestamp("The first response.")),
        ("resolved_at", timestamp("The resolution.")),
        ("closed_at", timestamp("The closure.")),
        (
            "status",
            one_of(&incident::STATUSES, "Optional; must agree with the timestamps."),
        ),
        (
            "paused",
            list(
                window(
                    "A pause of the SLA clock; the last pause of an unresolved incident may lack `to`.",
                    false,
                ),
                "Clock-stopped windows.",
            ),
        ),
        (
            "outage",
            list(window("The service was down.", true), "Outage windows."),
        ),
        ("satisfaction", integer(1, 5, "The customer's rating, 1..5.")),
        ("feedback", text("The customer's comment.")),
        ("category", text("Used to spot recurring incidents.")),
        ("root_cause", text("Why it happened.")),
        ("postmortem", text("Link to the postmortem.")),
        ("description", text("More detail.")),
        ("reporter", text("Who reported it.")),
        ("assignee", text("Who works on it.")),
        ("problem", non_empty("The Problem id behind it.")),
        ("caused_by_change", non_empty("The Change id that caused it.")),
        (
            "external",
            map_of(
                text("An id in another system."),
                "Ids in other systems (never checked as references).",
            ),
        ),
    ]);
    let mut schema = object(
        "An incident (svc Incident record).",
        &["kind", "id", "service", "title", "opened_at"],
        fields,
    );
    // `priority`, or `impact` and `urgency` for svc.toml's priority matrix
    // (without a matrix `svc check` asks for `priority`).
    schema["anyOf"] = json!([
        {"required": ["priority"], "properties": {"priority": {"not": {"type": "null"}}}},
        {"required": ["impact", "urgency"], "properties": {
            "impact": {"not": {"type": "null"}},
            "urgency": {"not": {"type": "null"}},
        }},
    ]);
    schema
}

/// The fields a Change and a Problem share: service, title, state, history.
fn progress_record(kind: &str, states: &[&str]) -> Vec<(&'static str, Value)> {
    let mut fields = head(kind, false);
    let state = || one_of(states, "The current state.");
    fields.extend([
        ("service", non_empty("The Service id.")),
        ("title", non_empty("What it is about.")),
        ("state", state()),
        (
            "history",
            history("state", named_state(states, "A state entered.")),
        ),
        ("description", text("More detail.")),
    ]);
    fields
}

/// `kind: Change`.
pub fn change() -> Value {
    let mut fields = progress_record("Change", &change::STATES);
    let span = |what: &str| {
        object(
            what,
            &[],
            vec![("start", timestamp("Start.")), ("end", timestamp("End."))],
        )
    };
    fields.extend([
        (
            "type",
            one_of(
                &change::TYPES,
                "standard, normal (the default) or emergency.",
            ),
        ),
        (
            "risk",
            one_of(&change::RISKS, "low, medium (the default) or high."),
        ),
        ("window", span("The planned implementation window.")),
        ("rollback_plan", text("How to undo it.")),
        ("verification_plan", text("How to tell it worked.")),
        ("cancel_reason", text("Why it was cancelled.")),
        (
            "approvals",
            list(
                object(
                    "One approval.",
                    &["by", "at"],
                    vec![
                        ("by", non_empty("Who approved.")),
                        ("at", timestamp("When.")),
                        ("note", text("A note, e.g. the CAB meeting.")),
                    ],
                ),
                "Approvals.",
            ),
        ),
        ("implemented", span("When it was really carried out.")),
        (
            "outcome",
            one_of(&change::OUTCOMES, "How the implementation went."),
        ),
    ]);
    object(
        "A change to a service (svc Change record).",
        &["kind", "id", "service", "title", "state"],
        fields,
    )
}

/// `kind: Problem`.
pub fn problem() -> Value {
    let mut fields = progress_record("Problem", &problem::STATES);
    fields.extend([
        (
            "incidents",
            list(non_empty("An Incident id."), "The incidents it caused."),
        ),
        ("root_cause", text("Why it happens.")),
        ("workaround", text("How to live with it meanwhile.")),
        ("fix_change", non_empty("The Change id that fixes it.")),
        (
            "actions",
            list(
                object(
                    "An improvement action.",
                    &["id", "title", "owner", "due"],
                    vec![
                        ("id", non_empty("`A1`, `A2`, ...")),
                        ("title", non_empty("What is to be done.")),
                        ("owner", non_empty("Who does it.")),
                        ("due", date("By when (a date in the repo time zone).")),
                        ("done_at", timestamp("When it was done.")),
                    ],
                ),
                "Improvement actions.",
            ),
        ),
        (
            "verification",
            object(
                "The check that the fix works.",
                &["at"],
                vec![
                    ("at", timestamp("When the fix was verified.")),
                    ("by", text("By whom.")),
                    ("note", text("What was seen.")),
                ],
            ),
        ),
    ]);
    object(
        "A problem behind incidents (svc Problem record).",
        &["kind", "id", "service", "title", "state"],
        fields,
    )
}
