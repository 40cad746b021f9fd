//! `svc change new|approve|advance|cancel` (SPEC §6): request a change, approve
//! it, move it through `approved → scheduled → implemented → reviewed → closed`,
//! or cancel it. Every command is an edit through [`record`](super::record), so
//! each `change-*` rule is a gate on the state it guards: what `svc check` would
//! reject is refused, naming the rule, and nothing is written.

use std::process::ExitCode;

use anyhow::Result;
use clap::ValueEnum;

use super::Context;
use super::record::{self, Edits};
use super::write;
use crate::cli::{
    ChangeAdvanceArgs, ChangeApproveArgs, ChangeCancelArgs, ChangeCommand, ChangeCommandArgs,
    ChangeNewArgs,
};
use crate::edit::quoting::yaml_scalar;
use crate::edit::{HistoryEntry, Item, Scalar};
use crate::error::UserError;
use crate::model::Change;

/// Runs `svc change`.
pub fn run(args: &ChangeCommandArgs, context: &Context) -> Result<ExitCode> {
    match &args.command {
        ChangeCommand::New(args) => new(args, context),
        ChangeCommand::Approve(args) => approve(args, context),
        ChangeCommand::Advance(args) => advance(args, context),
        ChangeCommand::Cancel(args) => cancel(args, context),
    }
}

/// The name a value of a clap enum has on the command line and in the file
/// (`rolled-back`).
fn name_of<E: ValueEnum>(value: &E) -> String {
    value
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// `svc change new`: writes `changes/<id>.yaml` in state `requested`.
fn new(args: &ChangeNewArgs, context: &Context) -> Result<ExitCode> {
    let id = args.id.as_str();
    let created = record::create::<Change>(context, id, &args.service)?;
    let repo = &created.session.repo;
    let service = super::find_service(repo, &args.service)?;
    if service.record.is_in(repo.config.terminal_stage()) {
        return Err(UserError::refused(
            format!(
                "service `{}` is retired; a change to it cannot be requested",
                args.service
            ),
            "request the change against the service that replaced it",
        )
        .into());
    }
    let window = args.window.as_deref().map(window_of).transpose()?;
    let entry = created.entry(&args.change, context)?;
    created.write(template(args, window, &entry), &args.change, context)
}

/// `--window START/END`: two RFC 3339 timestamps, kept as written. That the
/// end is not before the start is the `change-window` rule's to say.
fn window_of(text: &str) -> Result<(String, String), UserError> {
    let Some((start, end)) = text.split_once('/') else {
        return Err(UserError::with_help(
            format!("invalid --window `{text}`"),
            "give START/END, e.g. `2026-03-05T22:00:00+01:00/2026-03-05T23:00:00+01:00`",
        ));
    };
    Ok((
        write::given_timestamp("--window", start)?,
        write::given_timestamp("--window", end)?,
    ))
}

/// The new change file: the given fields, commented hints for the plans and
/// the window when they are not given yet, and what each state needs.
fn template(
    args: &ChangeNewArgs,
    window: Option<(String, String)>,
    entry: &HistoryEntry,
) -> String {
    let id = &args.id;
    let window = match window {
        Some((start, end)) => format!("window:\n  start: {start}\n  end: {end}\n"),
        None => "# window:                      # the planned implementation window\n\
                 #   start: 2026-03-05T22:00:00+01:00\n\
                 #   end: 2026-03-05T23:00:00+01:00\n"
            .to_string(),
    };
    let plan = |key: &str, given: &Option<String>, hint: &str| match given {
        Some(text) => format!("{key}: {}\n", yaml_scalar(text)),
        None => format!("# {key}: {hint}\n"),
    };
    format!(
        "# Change record (see docs/changes.md). What each state needs (rules change-*):\n\
         #   approved     an approval (normal changes; `svc change approve {id}`),\n\
         #                a rollback_plan and a verification_plan (normal and emergency)\n\
         #   scheduled    a window\n\
         #   implemented  implemented.start (`svc change advance {id}` sets it)\n\
         #   reviewed     an outcome (`--outcome`); an emergency change's approval\n\
         kind: Change\n\
         id: {id}\n\
         service: {service}\n\
         title: {title}\n\
         {change_type:<30}# standard | normal | emergency\n\
         {risk:<30}# low | medium | high\n\
         state: requested\n\
         {window}\
         {rollback}\
         {verification}\
         {history}",
        service = yaml_scalar(&args.service),
        title = yaml_scalar(&args.title),
        change_type = format!("type: {}", name_of(&args.change_type)),
        risk = format!("risk: {}", name_of(&args.risk)),
        rollback = plan(
            "rollback_plan",
            &args.rollback_plan,
            "How to undo the change."
        ),
        verification = plan(
            "verification_plan",
            &args.verification_plan,
            "How to tell it worked."
        ),
        history = record::Created::<Change>::history(entry),
    )
}

/// `svc change approve`: appends an approval and, from `requested`, moves to
/// `approved`.
fn approve(args: &ChangeApproveArgs, context: &Context) -> Result<ExitCode> {
    let opened = record::open::<Change>(context, &args.id)?;
    let id = opened.id();
    let state = opened.state()?;
    if ["closed", "cancelled"].contains(&state) {
        return Err(UserError::refused(
            format!("change `{id}` is `{state}`; there is nothing left to approve"),
            "request a new change",
        )
        .into());
    }
    let at = record::moment(&args.change, context)?;
    let by = args
        .by
        .clone()
        .unwrap_or_else(|| write::author(&opened.session.root));
    let mut approval = vec![
        ("by", Scalar::text(by.as_str())),
        ("at", Scalar::timestamp(&at)),
    ];
    if let Some(note) = &args.change.note {
        approval.push(("note", Scalar::text(note.as_str())));
    }
    let moves = state == "requested";
    let done = if moves {
        format!("approved `{id}` by {by}: `requested` to `approved`")
    } else {
        format!("approved `{id}` by {by} (it stays `{state}`)")
    };
    let mut edits = Edits::new(
        format!("approve change `{id}`"),
        format!("svc: change approve {id}"),
        done,
    );
    edits.append(record::route("approvals")?, Item::map(approval));
    if moves {
        edits.move_to(opened.entry("approved", &at, &args.change));
    }
    opened.apply(&edits, &args.change, context)
}

/// `svc change advance`: moves forward; entering `implemented` sets
/// `implemented.start` and entering `reviewed` sets `implemented.end`, each to
/// `--at` unless written already; `--outcome` writes `outcome`.
fn advance(args: &ChangeAdvanceArgs, context: &Context) -> Result<ExitCode> {
    let opened = record::open::<Change>(context, &args.id)?;
    let (change, id) = (opened.record(), opened.id());
    let current = opened.state()?;
    let target = opened.target(args.to.as_deref())?;
    if target == "cancelled" {
        return Err(UserError::refused(
            format!("`svc change advance` does not cancel; change `{id}` stays `{current}`"),
            format!("use `svc change cancel {id} --reason TEXT`, which records why"),
        )
        .into());
    }
    let machine = crate::model::change::machine();
    let enters = |state: &str| machine.reached(&target, state) && !machine.reached(current, state);
    if args.outcome.is_some() && !machine.reached(&target, "implemented") {
        return Err(UserError::refused(
            format!("change `{id}` would be `{target}`; only an implemented change has an outcome"),
            "give --outcome when the change is implemented or reviewed",
        )
        .into());
    }
    let at = record::moment(&args.change, context)?;
    let mut edits = Edits::new(
        format!("advance change `{id}` to `{target}`"),
        format!("svc: change advance {id} to {target}"),
        format!("advanced `{id}` from `{current}` to `{target}`"),
    );
    if enters("implemented") && change.implemented_start().is_none() {
        edits.set(record::route("implemented.start")?, Scalar::timestamp(&at));
    }
    if enters("reviewed") && change.implemented_end().is_none() {
        edits.set(record::route("implemented.end")?, Scalar::timestamp(&at));
    }
    if let Some(outcome) = &args.outcome {
        edits.set(record::route("outcome")?, Scalar::text(name_of(outcome)));
    }
    edits.move_to(opened.entry(&target, &at, &args.change));
    opened.apply(&edits, &args.change, context)
}

/// `svc change cancel`: moves a change that was not implemented to `cancelled`
/// and records why in `cancel_reason`.
fn cancel(args: &ChangeCancelArgs, context: &Context) -> Result<ExitCode> {
    let opened = record::open::<Change>(context, &args.id)?;
    let id = opened.id();
    let current = opened.state()?;
    if opened.record().reached("implemented") {
        return Err(UserError::refused(
            format!("change `{id}` is `{current}`; a change that was implemented cannot be cancelled"),
            format!(
                "record what happened instead, e.g. `svc change advance {id} --to reviewed --outcome rolled-back`"
            ),
        )
        .into());
    }
    let target = opened.target(Some("cancelled"))?;
    let at = record::moment(&args.change, context)?;
    let mut edits = Edits::new(
        format!("cancel change `{id}`"),
        format!("svc: change cancel {id}"),
        format!("cancelled `{id}` (it was `{current}`)"),
    );
    edits.set(
        record::route("cancel_reason")?,
        Scalar::text(args.reason.as_str()),
    );
    edits.move_to(opened.entry(&target, &at, &args.change));
    opened.apply(&edits, &args.change, context)
}
