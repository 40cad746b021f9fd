//! `svc incident ack|pause|resume|resolve|close|outage <id>`: each records one
//! step of an incident's life as a small edit of its file — a timestamp set, a
//! pause or an outage appended — and, where the file writes a `status`, keeps
//! it in step with the timestamps. The refusals SPEC §1's order rules imply come
//! from [`super::review`]; this module adds only the state checks `svc check`
//! cannot make (a second acknowledgement is not an error in a file, but
//! recording one would overwrite the first response).

use std::process::ExitCode;

use anyhow::Result;

use super::{Context, at_or_now, checks, find_incident, given_time, review, tell_warnings};
use crate::cli::{
    IncidentAtArgs, IncidentCloseArgs, IncidentOutageArgs, IncidentPauseArgs, IncidentResolveArgs,
    WriteArgs,
};
use crate::commands::write::{self, Change, Session};
use crate::edit::{Edit, Item, Route, Scalar};
use crate::error::UserError;
use crate::model::decode::Spanned;
use crate::model::incident::Timestamp;
use crate::model::{Incident, Located, Record};

/// One change to the incident file.
enum Step {
    /// Set the scalar at the route (in place, or as a new key).
    Set(&'static str, Scalar),
    /// Append an item to the list at the route.
    Append(&'static str, Item),
}

/// What one command asks of the incident it edits.
struct Request<'a> {
    /// The verb, as in `svc incident <verb>` and the commit message.
    verb: &'static str,
    /// What the verb does, for messages ("cannot {action} incident …").
    action: &'static str,
    /// The incident id given.
    id: &'a str,
    /// `--dry-run` and `--commit`.
    write: &'a WriteArgs,
}

impl<'a> Request<'a> {
    fn new(verb: &'static str, action: &'static str, id: &'a str, write: &'a WriteArgs) -> Self {
        Request {
            verb,
            action,
            id,
            write,
        }
    }

    /// Refuses to record `what` (`acknowledged`) a second time: the step was
    /// recorded `at`, and the commands record steps, never rewrite them.
    fn once(&self, what: &str, at: &Option<Spanned<Timestamp>>) -> Result<(), UserError> {
        match at {
            Some(at) => Err(refused(
                self,
                format!("it was {what} at {}", at.value.to_rfc3339()),
                "a step is recorded once; edit the file to correct it",
            )),
            None => Ok(()),
        }
    }
}

/// Runs `svc incident ack`: records the first response.
pub fn ack(args: &IncidentAtArgs, context: &Context) -> Result<ExitCode> {
    let request = Request::new("ack", "acknowledge", &args.id, &args.write);
    edit(&request, context, |incident, repo| {
        request.once("acknowledged", &incident.acknowledged_at)?;
        if let Some(at) = &incident.resolved_at {
            return Err(refused(
                &request,
                format!(
                    "it was resolved at {}, which was its first response",
                    at.value.to_rfc3339()
                ),
                "an acknowledgement after the resolution would not be a first response",
            ));
        }
        let (at, _) = at_or_now(args.at.as_deref(), context, repo.config.timezone)?;
        let done = format!("acknowledged {} at {at}", request.id);
        Ok((
            vec![Step::Set("acknowledged_at", Scalar::timestamp(at))],
            done,
        ))
    })
}

/// Runs `svc incident pause`: stops the SLA clock with a running pause.
pub fn pause(args: &IncidentPauseArgs, context: &Context) -> Result<ExitCode> {
    let request = Request::new("pause", "pause", &args.id, &args.write);
    if args.reason.trim().is_empty() {
        return Err(UserError::with_help(
            "--reason must not be empty",
            "say why the clock stops, e.g. `--reason awaiting-customer`",
        )
        .into());
    }
    edit(&request, context, |incident, repo| {
        if let Some(at) = &incident.resolved_at {
            return Err(refused(
                &request,
                format!(
                    "it was resolved at {}; its clock has stopped",
                    at.value.to_rfc3339()
                ),
                "a pause lies inside [opened_at, resolved_at]",
            ));
        }
        if let Some(running) = incident.open_pause() {
            return Err(refused(
                &request,
                format!(
                    "it is paused already, since {}{}",
                    running.from.value.to_rfc3339(),
                    reason_of(running.reason.as_deref())
                ),
                format!("resume it first: `svc incident resume {}`", request.id),
            ));
        }
        let (at, _) = at_or_now(args.at.as_deref(), context, repo.config.timezone)?;
        let done = format!("paused {} at {at} ({})", request.id, args.reason);
        let item = Item::map([
            ("from", Scalar::timestamp(at)),
            ("reason", Scalar::text(args.reason.clone())),
        ]);
        Ok((vec![Step::Append("paused", item)], done))
    })
}

/// Runs `svc incident resume`: ends the running pause.
pub fn resume(args: &IncidentAtArgs, context: &Context) -> Result<ExitCode> {
    let request = Request::new("resume", "resume", &args.id, &args.write);
    edit(&request, context, |incident, repo| {
        let Some(running) = incident.open_pause() else {
            return Err(refused(
                &request,
                "it is not paused".to_string(),
                format!(
                    "only a running pause (one without `to`) can end; pause it with `svc incident pause {} --reason R`",
                    request.id
                ),
            ));
        };
        let (at, _) = at_or_now(args.at.as_deref(), context, repo.config.timezone)?;
        let done = format!(
            "resumed {} at {at} (paused since {})",
            request.id,
            running.from.value.to_rfc3339()
        );
        Ok((
            vec![Step::Set("paused[-1].to", Scalar::timestamp(at))],
            done,
        ))
    })
}

/// Runs `svc incident resolve`: records the resolution, ending a running pause
/// at it (SPEC §1), with the root cause and the postmortem link when given.
pub fn resolve(args: &IncidentResolveArgs, context: &Context) -> Result<ExitCode> {
    let request = Request::new("resolve", "resolve", &args.id, &args.write);
    edit(&request, context, |incident, repo| {
        request.once("resolved", &incident.resolved_at)?;
        let (at, _) = at_or_now(args.at.as_deref(), context, repo.config.timezone)?;
        let mut steps = vec![Step::Set("resolved_at", Scalar::timestamp(at.clone()))];
        let mut done = format!("resolved {} at {at}", request.id);
        if let Some(running) = incident.open_pause() {
            steps.push(Step::Set("paused[-1].to", Scalar::timestamp(at.clone())));
            done += &format!(
                ", ending the pause that began at {}",
                running.from.value.to_rfc3339()
            );
        }
        if let Some(text) = &args.root_cause {
            steps.push(Step::Set("root_cause", Scalar::text(text.clone())));
        }
        if let Some(url) = &args.postmortem {
            steps.push(Step::Set("postmortem", Scalar::text(url.clone())));
        }
        Ok((steps, done))
    })
}

/// Runs `svc incident close`: records the closure, with the customer's rating
/// and comment when given.
pub fn close(args: &IncidentCloseArgs, context: &Context) -> Result<ExitCode> {
    let request = Request::new("close", "close", &args.id, &args.write);
    edit(&request, context, |incident, repo| {
        request.once("closed", &incident.closed_at)?;
        let (at, _) = at_or_now(args.at.as_deref(), context, repo.config.timezone)?;
        let mut steps = vec![Step::Set("closed_at", Scalar::timestamp(at.clone()))];
        if let Some(score) = args.satisfaction {
            steps.push(Step::Set("satisfaction", Scalar::Integer(i64::from(score))));
        }
        if let Some(text) = &args.feedback {
            steps.push(Step::Set("feedback", Scalar::text(text.clone())));
        }
        Ok((steps, format!("closed {} at {at}", request.id)))
    })
}

/// Runs `svc incident outage`: records a window in which the service was down.
pub fn outage(args: &IncidentOutageArgs, context: &Context) -> Result<ExitCode> {
    let request = Request::new("outage", "record an outage on", &args.id, &args.write);
    edit(&request, context, |incident, repo| {
        let tz = repo.config.timezone;
        let (from, _) = given_time("--from", &args.from, tz)?;
        let (to, _) = given_time("--to", &args.to, tz)?;
        let service = incident.service_id().unwrap_or("its service");
        let done = format!(
            "recorded an outage of {service} from {from} to {to} on {}",
            request.id
        );
        let item = Item::map([
            ("from", Scalar::timestamp(from)),
            ("to", Scalar::timestamp(to)),
        ]);
        Ok((vec![Step::Append("outage", item)], done))
    })
}

/// ` (reason)` for a message, or nothing.
fn reason_of(reason: Option<&str>) -> String {
    reason.map(|r| format!(" ({r})")).unwrap_or_default()
}

/// The refusal of a state check: `svc incident <verb> <id>` cannot, because `why`.
fn refused(request: &Request, why: String, help: impl Into<String>) -> UserError {
    UserError::refused(
        format!(
            "cannot {} incident `{}`: {why}; nothing was written",
            request.action, request.id
        ),
        help,
    )
}

/// The edit every verb shares: under the lock, finds the incident, lets `plan`
/// refuse or say what to change (and what to report once done), makes the
/// change through the editor (keeping a written `status` in step), refuses what
/// `svc check` would now report, and writes.
fn edit(
    request: &Request,
    context: &Context,
    plan: impl FnOnce(&Incident, &crate::repo::Repo) -> Result<(Vec<Step>, String), UserError>,
) -> Result<ExitCode> {
    let session = write::begin(context)?;
    let repo = &session.repo;
    let located = find_incident(repo, request.id)?;
    let (steps, done) = plan(&located.record, repo)?;
    let original = session.read(located)?;
    let text = String::from_utf8_lossy(&original);
    let edited = apply_steps(&session, located, &text, &steps)?;
    let what = format!("{} incident `{}`", request.action, request.id);
    let mut before = checks(repo, &located.record, &located.file, context.now);
    before.extend(
        repo.diagnostics
            .iter()
            .filter(|d| d.file == located.file)
            .cloned(),
    );
    let warnings = review(repo, &located.file, &edited, &before, &what, context.now)?;
    tell_warnings(context, &warnings);
    let change = Change {
        file: located.file.clone(),
        original: Some(&original),
        text: edited,
        message: format!("svc: incident {} {}", request.verb, located.record.id.value),
    };
    super::write(&session, &change, request.write, context, &done)?;
    Ok(ExitCode::SUCCESS)
}

/// `text` with `steps` made, and `status`, where the file writes one, moved on
/// with the timestamps (a written status must agree with them, SPEC §1).
fn apply_steps(
    session: &Session,
    located: &Located<Incident>,
    text: &str,
    steps: &[Step],
) -> Result<String> {
    let cannot = |e| write::cannot_edit(&located.file, e);
    let mut edit = Edit::new(text).map_err(cannot)?;
    for step in steps {
        match step {
            Step::Set(route, value) => {
                let route: Route = route.parse().map_err(cannot)?;
                edit.set(&route, value.clone()).map_err(cannot)?;
            }
            Step::Append(route, item) => {
                let route: Route = route.parse().map_err(cannot)?;
                edit.append(&route, item.clone()).map_err(cannot)?;
            }
        }
    }
    if located.record.status.is_some() {
        let config = &session.repo.config;
        let (record, _) = crate::model::decode_file_with(&located.file, edit.text(), config);
        if let Some(Record::Incident(edited)) = record {
            let derived = edited.derived_status();
            // Only a move this edit made: a `status: resolved` beside a
            // `closed_at` agrees already and is left as written.
            if derived != located.record.derived_status() {
                let route: Route = "status".parse().map_err(cannot)?;
                edit.set(&route, Scalar::text(derived)).map_err(cannot)?;
            }
        }
    }
    Ok(edit.finish().map_err(cannot)?)
}
