//! `svc show <id>` for every kind: the service card's on-call facts, and the
//! cards of an incident, a change and a problem.

use crate::common::{copy_repo, example, svc};

const NOW: &str = "--now=2026-10-01T00:00:00Z";

#[test]
fn the_service_card_has_what_on_call_needs() {
    let run = svc(&example(), &[NOW, "show", "payments-api"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for line in [
        "  on call payments-oncall@acme.example",
        "  runbook    https://wiki.acme.example/payments/runbook",
        "  depends on auth",
        "  needed by  checkout-web, mobile-bff",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    let json = svc(
        &example(),
        &[NOW, "show", "payments-api", "--format", "json"],
    )
    .json();
    assert_eq!(
        json["dependents"],
        serde_json::json!(["checkout-web", "mobile-bff"])
    );
    assert_eq!(json["depends_on"], serde_json::json!(["auth"]));
    assert_eq!(json["contacts"]["oncall"], "payments-oncall@acme.example");
    assert_eq!(
        json["links"]["runbook"],
        "https://wiki.acme.example/payments/runbook"
    );
}

#[test]
fn an_incident_card_shows_counted_times_against_its_targets() {
    let json = svc(
        &example(),
        &[NOW, "show", "INC-2026-0001", "--format", "json"],
    )
    .json();
    assert_eq!(json["incident"], "INC-2026-0001");
    assert_eq!(json["status"], "closed");
    assert_eq!(json["sla"]["policy"], "gold");
    assert_eq!(json["sla"]["state"], "met");
    assert_eq!(json["sla"]["response"]["target_seconds"], 9 * 3600);
    assert_eq!(json["paused"][0]["reason"], "awaiting-customer");
    assert_eq!(json["satisfaction"], 5);
}

#[test]
fn an_open_incident_card_shows_time_left_and_the_escalation_due() {
    let repo = copy_repo(&example());
    std::fs::write(
        repo.path().join("incidents/2026/INC-2026-0900.yaml"),
        "kind: Incident\nid: INC-2026-0900\nservice: payments-api\ntitle: Card errors\npriority: P1\n\
         opened_at: 2026-09-30T22:00:00Z\npaused:\n  - { from: 2026-09-30T23:00:00Z, reason: awaiting-vendor }\n",
    )
    .unwrap();
    let run = svc(repo.path(), &[NOW, "show", "INC-2026-0900"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // platinum, 24x7: response 15m is breached after two hours open (the pause
    // began after the target was already past).
    assert!(
        run.stdout
            .contains("response    1h 00m of 0h 15m  breached, over by 0h 45m"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("now (running)  awaiting-vendor"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("escalation  head-of-ops now"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unknown_id_suggests_ids_of_every_kind() {
    let run = svc(&example(), &[NOW, "show", "INC-2026-00O1"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("no service, incident, change or problem `INC-2026-00O1`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `INC-2026-"),
        "{}",
        run.stderr
    );
}

/// The clock of the incident card tests: noon after the incident's night.
const LATER: &str = "--now=2026-10-01T12:00:00Z";

/// Runs `svc incident …` with `args` and asserts that it worked.
fn incident(repo: &std::path::Path, args: &[&str]) {
    let mut full = vec![LATER, "-q", "incident"];
    full.extend(args);
    let run = svc(repo, &full);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
}

#[test]
fn the_card_of_an_incident_recorded_with_the_commands_follows_each_step() {
    let repo = copy_repo(&example());
    let opened = svc(
        repo.path(),
        &[
            LATER,
            "incident",
            "open",
            "--service",
            "payments-api",
            "--title",
            "Wallet payments failing",
            "--priority",
            "P2",
            "--category",
            "wallet",
            "--at",
            "2026-09-30T23:00:00Z",
        ],
    );
    assert_eq!(opened.code, 0, "{}", opened.stderr);
    let id = opened.stdout.trim().to_string();
    let card = |format: &str| {
        let run = svc(repo.path(), &[LATER, "show", &id, "--format", format]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run
    };
    // Open: platinum P2 (24x7, response 30m, resolution 8h), 13 hours in.
    let json = card("json").json();
    assert_eq!(json["status"], "open");
    // Kept exactly as given.
    assert_eq!(json["opened_at"], "2026-09-30T23:00:00Z");
    assert_eq!(json["category"], "wallet");
    assert_eq!(json["sla"]["response"]["state"], "breached");
    assert_eq!(
        json["sla"]["resolution"]["left_seconds"],
        8 * 3600 - 13 * 3600
    );
    let text = card("table").stdout;
    assert!(
        text.contains("  service payments-api, priority P2, status open\n"),
        "{text}"
    );

    // Acknowledged, then paused: the clock stops at the pause, which runs.
    incident(repo.path(), &["ack", &id, "--at", "2026-09-30T23:20:00Z"]);
    incident(
        repo.path(),
        &[
            "pause",
            &id,
            "--reason",
            "awaiting-customer",
            "--at",
            "2026-10-01T02:00:00Z",
        ],
    );
    let json = card("json").json();
    assert_eq!(json["status"], "acknowledged");
    assert_eq!(json["sla"]["response"]["state"], "met");
    assert_eq!(json["sla"]["response"]["counted_seconds"], 20 * 60);
    assert_eq!(json["sla"]["resolution"]["counted_seconds"], 3 * 3600);
    assert_eq!(
        json["paused"],
        serde_json::json!([{
            "from": "2026-10-01T02:00:00Z", "to": null, "reason": "awaiting-customer"
        }])
    );
    let text = card("table").stdout;
    assert!(
        text.contains("2026-10-01T02:00:00Z to now (running)  awaiting-customer"),
        "{text}"
    );
    assert!(
        text.contains("resolution  3h 00m of 8h 00m  pending, 5h 00m left"),
        "{text}"
    );

    // An outage, then resumed: the pause ends and the outage is listed.
    incident(
        repo.path(),
        &[
            "outage",
            &id,
            "--from",
            "2026-09-30T22:50:00Z",
            "--to",
            "2026-09-30T23:40:00Z",
        ],
    );
    incident(
        repo.path(),
        &["resume", &id, "--at", "2026-10-01T10:00:00Z"],
    );
    let json = card("json").json();
    assert_eq!(json["paused"][0]["to"], "2026-10-01T10:00:00Z");
    assert_eq!(
        json["outage"],
        serde_json::json!([{ "from": "2026-09-30T22:50:00Z", "to": "2026-09-30T23:40:00Z" }])
    );
    // 3 h before the pause and 2 h since it ended.
    assert_eq!(json["sla"]["resolution"]["counted_seconds"], 5 * 3600);
    let text = card("table").stdout;
    assert!(
        text.contains("outages:\n  2026-09-30T22:50:00Z to 2026-09-30T23:40:00Z\n"),
        "{text}"
    );

    // Resolved and closed with the customer's word.
    incident(
        repo.path(),
        &[
            "resolve",
            &id,
            "--at",
            "2026-10-01T11:00:00Z",
            "--root-cause",
            "Wallet token expired",
        ],
    );
    incident(
        repo.path(),
        &[
            "close",
            &id,
            "--at",
            "2026-10-01T11:30:00Z",
            "--satisfaction",
            "3",
            "--feedback",
            "slow",
        ],
    );
    let json = card("json").json();
    assert_eq!(json["status"], "closed");
    assert_eq!(json["sla"]["state"], "met");
    // 12 h from opening to resolution, less the 8 h pause.
    assert_eq!(json["sla"]["resolution"]["counted_seconds"], 4 * 3600);
    assert_eq!(json["root_cause"], "Wallet token expired");
    assert_eq!(json["satisfaction"], 3);
    assert_eq!(json["feedback"], "slow");
}

#[test]
fn a_change_card_names_the_incidents_it_caused() {
    let run = svc(&example(), &[NOW, "show", "CHG-2026-0003"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for line in [
        "CHG-2026-0003  Move checkout feature flags to the new flag service\n",
        "  service checkout-web, normal change, medium risk, state closed\n",
        "  outcome       rolled-back\n",
        "  2026-02-24T14:00:00+01:00  cab@acme.example  CAB 2026-08\n",
        "  2026-03-02T11:00:00+01:00  reviewed    cab@acme.example  note: rolled back after INC-2026-0018\n",
        "incidents caused: INC-2026-0018\n",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    let json = svc(
        &example(),
        &[NOW, "show", "CHG-2026-0003", "--format", "json"],
    )
    .json();
    assert_eq!(json["change"], "CHG-2026-0003");
    assert_eq!(json["outcome"], "rolled-back");
    assert_eq!(
        json["incidents_caused"],
        serde_json::json!(["INC-2026-0018"])
    );
    assert_eq!(json["history"].as_array().unwrap().len(), 6);
}

#[test]
fn a_problem_card_lists_the_incidents_linked_either_way() {
    // INC-2026-0056 and -0057 are listed by the problem; -0068 and -0069 name it.
    let run = svc(&example(), &[NOW, "show", "PRB-2026-0004"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for line in [
        "  fix change    CHG-2026-0011\n",
        "incidents: 4\n",
        "  INC-2026-0056  closed        SLA met       Address autocomplete down\n",
        "  INC-2026-0069  open          SLA breached  Address autocomplete down\n",
        "actions: 2 (1 open)\n",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    let json = svc(
        &example(),
        &[NOW, "show", "PRB-2026-0004", "--format", "json"],
    )
    .json();
    let ids: Vec<&str> = json["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "INC-2026-0056",
            "INC-2026-0057",
            "INC-2026-0068",
            "INC-2026-0069"
        ]
    );
    assert_eq!(json["fix_change"], "CHG-2026-0011");
    assert_eq!(json["actions"][1]["done_at"], serde_json::Value::Null);
}
