//! `svc problem new|advance|action|link` (SPEC §7): record a problem, move it
//! through `new → investigating → known-error → resolved → closed`, keep its
//! improvement actions and link its incidents. Every command is an edit through
//! [`record`](super::record), gated by `problem-state` as `svc check` runs it:
//! a known error needs a root cause, and a problem is resolved only once it is
//! verified and every action is done.

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use super::record::{self, Edits};
use super::write;
use crate::cli::{
    ChangeArgs, ProblemActionArgs, ProblemAdvanceArgs, ProblemArgs, ProblemCommand,
    ProblemLinkArgs, ProblemNewArgs,
};
use crate::edit::quoting::yaml_scalar;
use crate::edit::{HistoryEntry, Item, Route, Scalar};
use crate::error::UserError;
use crate::model::{Incident, Located, Problem};
use crate::repo::Repo;

/// Runs `svc problem`.
pub fn run(args: &ProblemArgs, context: &Context) -> Result<ExitCode> {
    match &args.command {
        ProblemCommand::New(args) => new(args, context),
        ProblemCommand::Advance(args) => advance(args, context),
        ProblemCommand::Action(args) => action(args, context),
        ProblemCommand::Link(args) => link(args, context),
    }
}

/// The incident `id` that `--incident` names: one that does not exist (or did
/// not load) is refused, as `svc check` would report the link as
/// `unknown-reference`.
fn incident<'r>(repo: &'r Repo, id: &str) -> Result<&'r Located<Incident>, UserError> {
    let found = record::find_in(repo, "Incident", &repo.incidents, |i| i.id.as_str(), id);
    record::given("--incident", id, found)
}

/// `svc problem new`: writes `problems/<id>.yaml` in state `new`.
fn new(args: &ProblemNewArgs, context: &Context) -> Result<ExitCode> {
    let id = args.id.as_str();
    let created = record::create::<Problem>(context, id, &args.service)?;
    for (i, given) in args.incidents.iter().enumerate() {
        incident(&created.session.repo, given)?;
        if args.incidents[..i].contains(given) {
            return Err(UserError::refused(
                format!("--incident {given} is given twice"),
                "name each incident once",
            )
            .into());
        }
    }
    let entry = created.entry(&args.change, context)?;
    created.write(template(args, &entry), &args.change, context)
}

/// The new problem file: the given fields, an `incidents` list that
/// `svc problem link` fills, and what each state needs.
fn template(args: &ProblemNewArgs, entry: &HistoryEntry) -> String {
    let id = &args.id;
    let incidents: Vec<String> = args.incidents.iter().map(|i| yaml_scalar(i)).collect();
    format!(
        "# Problem record (see docs/problems.md). What each state needs (rule problem-state):\n\
         #   known-error  a root_cause (`svc problem advance {id} --root-cause TEXT`)\n\
         #   resolved     a verification (`--verified-note TEXT`) and every action done\n\
         #                (`svc problem action {id} --done A1`)\n\
         kind: Problem\n\
         id: {id}\n\
         service: {service}\n\
         title: {title}\n\
         state: new\n\
         incidents: [{incidents}]      # more with `svc problem link {id} --incident ID`\n\
         {history}",
        service = yaml_scalar(&args.service),
        title = yaml_scalar(&args.title),
        incidents = incidents.join(", "),
        history = record::Created::<Problem>::history(entry),
    )
}

/// `svc problem advance`: moves forward, writing `root_cause`, `workaround` and
/// `verification: { at, by, note }` when given.
fn advance(args: &ProblemAdvanceArgs, context: &Context) -> Result<ExitCode> {
    let opened = record::open::<Problem>(context, &args.id)?;
    let id = opened.id();
    let current = opened.state()?;
    let target = opened.target(args.to.as_deref())?;
    let at = record::moment(&args.change, context)?;
    let mut edits = Edits::new(
        format!("advance problem `{id}` to `{target}`"),
        format!("svc: problem advance {id} to {target}"),
        format!("advanced `{id}` from `{current}` to `{target}`"),
    );
    for (key, given) in [
        ("root_cause", &args.root_cause),
        ("workaround", &args.workaround),
    ] {
        if let Some(text) = given {
            edits.set(record::route(key)?, Scalar::text(text.as_str()));
        }
    }
    if let Some(note) = &args.verified_note {
        edits
            .set(record::route("verification.at")?, Scalar::timestamp(&at))
            .set(
                record::route("verification.by")?,
                Scalar::text(write::author(&opened.session.root)),
            )
            .set(
                record::route("verification.note")?,
                Scalar::text(note.as_str()),
            );
    }
    edits.move_to(opened.entry(&target, &at, &args.change));
    opened.apply(&edits, &args.change, context)
}

/// `svc problem action`: `--add TITLE --owner O --due DATE` appends the next
/// `A<n>`; `--done A<n>` sets its `done_at` to `--at`.
fn action(args: &ProblemActionArgs, context: &Context) -> Result<ExitCode> {
    if args.change.note.is_some() {
        return Err(UserError::with_help(
            "`svc problem action` takes no --note",
            "an action has a title; put what else it needs in the title",
        )
        .into());
    }
    match (&args.add, &args.done) {
        (Some(title), None) => add_action(args, title, context),
        (None, Some(done)) => finish_action(args, done, context),
        _ => Err(UserError::with_help(
            "give --add TITLE (with --owner and --due) or --done ACTION",
            "e.g. `svc problem action PRB-2026-0003 --add \"Alert on expiry\" --owner team-a --due 2026-04-01`",
        )
        .into()),
    }
}

/// Appends the action `A<n>`, one past the highest `A<n>` of the problem.
fn add_action(args: &ProblemActionArgs, title: &str, context: &Context) -> Result<ExitCode> {
    if args.change.at.is_some() {
        return Err(UserError::with_help(
            "--at goes with --done: it is when the action was done",
            "leave out --at when adding an action; its date is --due",
        )
        .into());
    }
    // clap requires both with --add.
    let (Some(owner), Some(due)) = (&args.owner, &args.due) else {
        return Err(UserError::new("--add needs --owner and --due").into());
    };
    if chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").is_err() {
        return Err(UserError::with_help(
            format!("invalid --due `{due}`"),
            "give a date in the repo time zone, e.g. `2026-04-01`",
        )
        .into());
    }
    let opened = record::open::<Problem>(context, &args.id)?;
    let id = opened.id();
    let highest = opened
        .record()
        .actions
        .iter()
        .filter_map(|a| a.id.value.strip_prefix('A')?.parse::<u64>().ok())
        .max()
        .unwrap_or(0);
    let action = format!("A{}", highest + 1);
    let mut edits = Edits::new(
        format!("add action `{action}` to problem `{id}`"),
        format!("svc: problem action {id}"),
        format!("added action `{action}` to `{id}`, due {due}"),
    );
    edits.append(
        record::route("actions")?,
        Item::map([
            ("id", Scalar::text(action.as_str())),
            ("title", Scalar::text(title)),
            ("owner", Scalar::text(owner.as_str())),
            ("due", Scalar::timestamp(due.as_str())),
        ]),
    );
    opened.apply(&edits, &args.change, context)
}

/// Sets `done_at` of the action `done`.
fn finish_action(args: &ProblemActionArgs, done: &str, context: &Context) -> Result<ExitCode> {
    let opened = record::open::<Problem>(context, &args.id)?;
    let (problem, id) = (opened.record(), opened.id());
    if problem.invalid.has("actions") {
        return Err(UserError::refused(
            format!("the actions of problem `{id}` could not be read"),
            "run `svc check` and fix the file first",
        )
        .into());
    }
    let Some(index) = problem.actions.iter().position(|a| a.id.value == done) else {
        let ids = problem.actions.iter().map(|a| a.id.value.as_str());
        let help = crate::diagnostic::suggestion(
            done,
            ids,
            format!("run `svc show {id}` to see its actions"),
        );
        return Err(
            UserError::with_help(format!("problem `{id}` has no action `{done}`"), help).into(),
        );
    };
    if let Some(at) = &problem.actions[index].done_at {
        return Err(UserError::refused(
            format!(
                "action `{done}` of problem `{id}` is done already ({})",
                at.value.to_rfc3339()
            ),
            "nothing to do",
        )
        .into());
    }
    let at = record::moment(&args.change, context)?;
    let route = Route::root()
        .key("actions")
        .index(i64::try_from(index).unwrap_or(i64::MAX))
        .key("done_at");
    let mut edits = Edits::new(
        format!("mark action `{done}` of problem `{id}` done"),
        format!("svc: problem action {id}"),
        format!("marked action `{done}` of `{id}` done"),
    );
    edits.set(route, Scalar::timestamp(&at));
    opened.apply(&edits, &args.change, context)
}

/// `svc problem link`: appends the incident to `incidents`, unless it does not
/// exist or is linked already, either way.
fn link(args: &ProblemLinkArgs, context: &Context) -> Result<ExitCode> {
    let opened = record::open::<Problem>(context, &args.id)?;
    let (problem, id) = (opened.record(), opened.id());
    let found = incident(&opened.session.repo, &args.incident)?;
    let incident_id = found.record.id.as_str();
    let listed = problem.incidents.iter().any(|i| i.value == incident_id);
    let named = found.record.problem.as_ref().is_some_and(|p| p.value == id);
    if listed || named {
        let how = if listed {
            format!(
                "it is in the problem's `incidents` ({})",
                opened.located().file
            )
        } else {
            format!("the incident names it in `problem` ({})", found.file)
        };
        return Err(UserError::refused(
            format!("incident `{incident_id}` is linked to problem `{id}` already: {how}"),
            "nothing to do",
        )
        .into());
    }
    let mut edits = Edits::new(
        format!("link incident `{incident_id}` to problem `{id}`"),
        format!("svc: problem link {id}"),
        format!("linked `{incident_id}` to `{id}`"),
    );
    edits.append(
        record::route("incidents")?,
        Item::Scalar(Scalar::text(incident_id)),
    );
    // A link is no state move: no history entry, so no time and no note.
    let change = ChangeArgs {
        dry_run: args.write.dry_run,
        commit: args.write.commit,
        at: None,
        note: None,
    };
    opened.apply(&edits, &change, context)
}
