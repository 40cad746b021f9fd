//! `svc incident …` (SPEC §8): open an incident and record what happens to it —
//! the first response, pauses of the SLA clock, the resolution, the closure and
//! outage windows — from a terminal or a chat-ops bot, without hand-writing YAML.
//!
//! Every command runs in an edit session (`write::begin`: the repo lock, then
//! the load) and writes through the comment-preserving editor and
//! `write::apply`. What a command may write is decided in one way: the edited
//! text is decoded and put through the checks `svc check` runs on an incident
//! ([`review`]); an error the file did not have before refuses the command,
//! naming the rule, so a command and `svc check` can never disagree. Only the
//! few refusals that are not errors in `svc check` — acknowledging twice,
//! pausing a paused incident — are explicit state checks first (`update`).

mod open;
mod update;

use std::collections::HashMap;
use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;

use super::Context;
use super::record;
use super::write::{self, Change, Session};
use crate::cli::{ChangeArgs, IncidentArgs, IncidentCommand, WriteArgs};
use crate::diagnostic::{Diagnostic, Rule, Severity};
use crate::error::UserError;
use crate::model::incident::Timestamp;
use crate::model::{Incident, Located, Record, Records};
use crate::render::sanitize;
use crate::repo::Repo;
use crate::rules;

/// Runs `svc incident`.
pub fn run(args: &IncidentArgs, context: &Context) -> Result<ExitCode> {
    match &args.command {
        IncidentCommand::Open(args) => open::run(args, context),
        IncidentCommand::Ack(args) => update::ack(args, context),
        IncidentCommand::Pause(args) => update::pause(args, context),
        IncidentCommand::Resume(args) => update::resume(args, context),
        IncidentCommand::Resolve(args) => update::resolve(args, context),
        IncidentCommand::Close(args) => update::close(args, context),
        IncidentCommand::Outage(args) => update::outage(args, context),
    }
}

/// A time flag's value (`write::given_time`): an RFC 3339 timestamp with an
/// offset, kept exactly as written (its offset is what the user meant to
/// record), or a date, which is local midnight in the repo time zone `tz`,
/// written with that zone's offset; with the instant it names. Anything else
/// is a usage error (exit 2).
fn given_time(flag: &str, text: &str, tz: Tz) -> Result<(String, Timestamp), UserError> {
    let written = write::given_time(flag, text, Some(tz))?;
    let at = DateTime::parse_from_rfc3339(&written)
        .map_err(|_| UserError::new(format!("invalid {flag} `{text}`")))?;
    Ok((written, at))
}

/// `at` in the repo time zone `tz`, to the second, as svc writes it.
fn written(at: DateTime<Utc>, tz: Tz) -> (String, Timestamp) {
    let local = at.with_timezone(&tz).fixed_offset();
    let text = local.to_rfc3339_opts(SecondsFormat::Secs, true);
    // Parsed back, so the instant is exactly what the file will say.
    let at = DateTime::parse_from_rfc3339(&text).unwrap_or(local);
    (text, at)
}

/// `--at` when given (see [`given_time`]), else now (`--now` or the clock) in
/// the repo time zone.
fn at_or_now(
    at: Option<&str>,
    context: &Context,
    tz: Tz,
) -> Result<(String, Timestamp), UserError> {
    match at {
        Some(text) => given_time("--at", text, tz),
        None => Ok(written(context.now, tz)),
    }
}

/// `--dry-run` and `--commit` as the write path takes them (incident commands
/// carry their times in their own flags, and write no history note).
fn write_options(write: &WriteArgs) -> ChangeArgs {
    ChangeArgs {
        dry_run: write.dry_run,
        commit: write.commit,
        at: None,
        note: None,
    }
}

/// The incident `id`, ready to be edited: found as every record is
/// (`record::find_in`: a usage error with a did-you-mean for an unknown id, a
/// refusal for an id two files share, `svc check` for a file that did not
/// load), and refused (exit 1) when its file has errors of its own, since svc
/// edits only a record it has read in full.
fn find_incident<'r>(repo: &'r Repo, id: &str) -> Result<&'r Located<Incident>, UserError> {
    let located = record::find_in(repo, "Incident", &repo.incidents, |i| i.id.as_str(), id)?;
    let broken = repo
        .diagnostics
        .iter()
        .any(|d| d.file == located.file && d.severity == Severity::Error);
    if broken {
        return Err(has_errors(id, &located.file));
    }
    Ok(located)
}

/// The refusal for an incident whose file has errors of its own.
fn has_errors(id: &str, file: &str) -> UserError {
    UserError::refused(
        format!(
            "incident `{id}` has errors in {file}; svc edits only a record it can read in full"
        ),
        "run `svc check` and fix the file first",
    )
}

/// What `svc check` says about one incident read from `file`, beyond what
/// decoding found: the order rules (`timestamp`), `missing-target` against its
/// service's policy, and `future-timestamp`.
fn checks(
    records: &Records,
    incident: &Incident,
    file: &str,
    now: DateTime<Utc>,
) -> Vec<Diagnostic> {
    let mut out = rules::timestamp::problems(incident, file, now);
    // The first record of an id, as `svc check` resolves references.
    let policy = incident
        .service_id()
        .and_then(|id| records.services.iter().find(|s| s.record.id.value == id))
        .and_then(|service| service.record.policy.as_ref())
        .and_then(|id| {
            records
                .policies
                .iter()
                .find(|p| p.record.id.value == id.value)
        });
    if let Some(policy) = policy {
        out.extend(rules::missing_target::problems(incident, file, policy));
    }
    out.extend(rules::future_timestamp::incident_problems(
        incident, file, now,
    ));
    out
}

/// Decodes `text`, the incident svc is about to write to `file`, and runs
/// [`checks`] on it. Returns the diagnostics that `before` (what `svc check`
/// said about the file as it was) does not hold: any error among them refuses
/// the command (exit 1, naming the rule, as `svc change` and `svc problem`
/// refuse), and the warnings are for stderr.
fn review(
    repo: &Repo,
    file: &str,
    text: &str,
    before: &[Diagnostic],
    what: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Diagnostic>, UserError> {
    let (decoded, mut after) = crate::model::decode_file_with(file, text, &repo.config);
    match decoded {
        Some(Record::Incident(incident)) => after.extend(checks(repo, &incident, file, now)),
        _ => {
            return Err(UserError::refused(
                format!("cannot {what}: the result would not read back as an incident"),
                "this is a bug in svc; please report it",
            ));
        }
    }
    // Positions move with the edit; a problem is the same one when its rule,
    // severity and message are.
    let key = |d: &Diagnostic| (d.rule, d.severity, d.message.clone());
    let mut known: HashMap<(Rule, Severity, String), usize> = HashMap::new();
    for diagnostic in before {
        *known.entry(key(diagnostic)).or_default() += 1;
    }
    let mut new: Vec<Diagnostic> = after
        .into_iter()
        .filter(|d| match known.get_mut(&key(d)) {
            Some(count) if *count > 0 => {
                *count -= 1;
                false
            }
            _ => true,
        })
        .collect();
    crate::diagnostic::sort(&mut new);
    record::require_no_errors(&new, file, what)?;
    Ok(new)
}

/// Says on stderr (unless `--quiet`) what `svc check` will now warn about
/// that it did not before, e.g. a time in the future.
fn tell_warnings(context: &Context, warnings: &[Diagnostic]) {
    if context.global.quiet {
        return;
    }
    for warning in warnings.iter().filter(|d| d.severity == Severity::Warning) {
        let line = format!("warning[{}]: {}", warning.rule, warning.message);
        eprintln!("{}", sanitize(&line));
    }
}

/// Writes `change` through `write::apply` (`--dry-run`, the changed-under-you
/// check, the atomic write, `--commit`) while `session` holds the lock, then
/// says `done` on stderr unless `--quiet`. Returns true when it was written.
fn write(
    session: &Session,
    change: &Change,
    options: &WriteArgs,
    context: &Context,
    done: &str,
) -> Result<bool> {
    pause_before_write_for_tests();
    let written = write::apply(&session.root, change, &write_options(options))?;
    if written && !context.global.quiet {
        eprintln!("{}", sanitize(done));
    }
    Ok(written)
}

/// The hook of the "changed while svc was working" tests, compiled into debug
/// builds only (the ones `cargo test` runs): with
/// `SVC_TEST_PAUSE_BEFORE_WRITE_MS` set, svc says so on stderr and sleeps after
/// it read the file and computed the edit, so a test can change the file in
/// between and see the write refused.
#[cfg(debug_assertions)]
fn pause_before_write_for_tests() {
    let Some(millis) = std::env::var("SVC_TEST_PAUSE_BEFORE_WRITE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    else {
        return;
    };
    eprintln!("svc-test: paused before writing");
    std::thread::sleep(std::time::Duration::from_millis(millis));
}

#[cfg(not(debug_assertions))]
fn pause_before_write_for_tests() {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A command and `svc check` can never disagree: on acme and on incidents
    /// broken in every way the order rules see (and with priorities without a
    /// target, and times after now), what [`checks`] says about each incident
    /// is exactly what `svc check` reports for it under the same rules.
    #[test]
    fn the_checks_of_one_incident_are_what_svc_check_reports() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
        for entry in walkdir::WalkDir::new(&acme) {
            let entry = entry.unwrap();
            let target = root.join(entry.path().strip_prefix(&acme).unwrap());
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(target).unwrap();
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
        let head = "kind: Incident\nservice: payments-api\ntitle: T\n";
        let broken = [
            "priority: P1\nopened_at: 2026-09-30T10:00:00Z\nacknowledged_at: 2026-09-30T09:00:00Z\n",
            "priority: P9\nopened_at: 2026-09-30T10:00:00Z\nclosed_at: 2026-09-30T11:00:00Z\n",
            "priority: P2\nopened_at: 2026-09-30T10:00:00Z\nstatus: resolved\npaused:\n  \
             - { from: 2026-09-30T09:00:00Z, to: 2026-09-30T09:30:00Z }\n  \
             - { from: 2026-09-30T11:00:00Z, to: 2026-09-30T12:00:00Z }\n  \
             - { from: 2026-09-30T11:30:00Z }\n",
            "priority: P3\nopened_at: 2026-09-30T10:00:00Z\nresolved_at: 2026-09-30T12:00:00Z\n\
             paused:\n  - { from: 2026-09-30T11:00:00Z, to: 2026-09-30T13:00:00Z }\n\
             outage:\n  - { from: 2026-09-30T11:00:00Z, to: 2026-09-30T10:00:00Z }\n",
            "priority: P4\nopened_at: 2026-12-30T10:00:00Z\nacknowledged_at: 2026-12-30T11:00:00Z\n",
        ];
        for (n, body) in broken.iter().enumerate() {
            let id = format!("INC-2026-09{n:02}");
            let text = format!("{head}id: {id}\n{body}");
            std::fs::write(root.join(format!("incidents/2026/{id}.yaml")), text).unwrap();
        }
        let repo = Repo::load(root, None).unwrap();
        let now = DateTime::parse_from_rfc3339("2026-10-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let rules = [Rule::Timestamp, Rule::MissingTarget, Rule::FutureTimestamp];
        let reported = rules::check(&repo, now);
        let in_scope = reported.iter().filter(|d| rules.contains(&d.rule)).count();
        assert!(
            in_scope >= 10,
            "the broken incidents are reported: {reported:#?}"
        );
        for located in &repo.incidents {
            let mut ours = checks(&repo, &located.record, &located.file, now);
            crate::diagnostic::sort(&mut ours);
            let theirs: Vec<Diagnostic> = reported
                .iter()
                .filter(|d| d.file == located.file && rules.contains(&d.rule))
                .cloned()
                .collect();
            assert_eq!(ours, theirs, "{}", located.file);
        }
        assert_eq!(repo.incidents.len(), 73 + broken.len());
    }

    #[test]
    fn a_date_is_local_midnight_in_the_repo_zone_and_a_timestamp_stays_as_written() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let (text, at) = given_time("--at", "2026-03-02", berlin).unwrap();
        assert_eq!(text, "2026-03-02T00:00:00+01:00");
        assert_eq!(at.to_rfc3339(), "2026-03-02T00:00:00+01:00");
        let (summer, _) = given_time("--at", "2026-07-01", berlin).unwrap();
        assert_eq!(summer, "2026-07-01T00:00:00+02:00");
        let (utc, _) = given_time("--at", "2026-07-01", Tz::UTC).unwrap();
        assert_eq!(utc, "2026-07-01T00:00:00Z");
        let (kept, _) = given_time("--at", "2026-03-02T09:14:30.5-04:00", berlin).unwrap();
        assert_eq!(kept, "2026-03-02T09:14:30.5-04:00");
        for bad in [
            "2026-03-02T09:14:00",
            "02.03.2026",
            "2026-02-30",
            "2200-01-01",
            "",
        ] {
            let error = given_time("--at", bad, berlin).unwrap_err();
            assert_eq!(error.code, 2, "{bad}");
        }
    }

    #[test]
    fn now_is_written_in_the_repo_zone_to_the_second() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let now = DateTime::parse_from_rfc3339("2026-10-01T12:00:00.75Z")
            .unwrap()
            .to_utc();
        assert_eq!(written(now, berlin).0, "2026-10-01T14:00:00+02:00");
        assert_eq!(written(now, Tz::UTC).0, "2026-10-01T12:00:00Z");
    }
}
