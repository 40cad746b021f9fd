//! The one edit machinery of the records that move through states — changes
//! (SPEC §6) and problems (§7): find a record by id, plan its state move, build
//! the edit (the state, a history entry and any fields), decode the edited text
//! again, run the kind's gate — the very functions `svc check` runs, so a command
//! and the check can never disagree — and only then write through
//! [`write::apply`]. A change and a problem differ here only in data: the
//! [`Tracked`] implementations say which records, which machine, which rules.
//! A refusal at any step writes nothing.

use anyhow::Result;

use super::Context;
use super::write::{self, Change as FileChange, Session};
use crate::cli::ChangeArgs;
use crate::diagnostic::{Diagnostic, Severity};
use crate::edit::StateFields;
use crate::edit::{self, CHANGE_STATE, Edit, HistoryEntry, Item, PROBLEM_STATE, Route, Scalar};
use crate::error::UserError;
use crate::lifecycle::transition::{self, Subject};
use crate::model::progress::{Layout, Machine, Progress};
use crate::model::{self, Change, Config, Located, Problem, Record, Records};
use crate::repo::Repo;
use crate::rules;

/// A kind of record as the commands name it.
#[derive(Clone, Copy, Debug)]
pub struct Kind {
    /// The word in messages: `change`.
    pub noun: &'static str,
    /// The `kind:` its files declare: `Change`.
    pub kind: &'static str,
    /// Its folder, which is also what `svc list` calls it: `changes`.
    pub folder: &'static str,
}

/// Services, for [`find_in`].
pub const SERVICE: Kind = Kind {
    noun: "service",
    kind: "Service",
    folder: "services",
};

/// A record kind with a state machine that the edit commands move.
pub trait Tracked: Sized {
    /// How the commands name it.
    const KIND: Kind;
    /// Where its state and history are written.
    const FIELDS: StateFields;
    /// Its records in a repo.
    fn all(records: &Records) -> &[Located<Self>];
    /// Its id.
    fn id(&self) -> &str;
    /// Its state and history, when they decoded.
    fn progress(&self) -> Option<&Progress>;
    /// Its states (the config is there for kinds whose states it defines).
    fn machine(config: &Config) -> Machine;
    /// The record, when `record` is of this kind.
    fn from_record(record: Record) -> Option<Self>;
    /// What `svc check` says about this record alone that an edit can change:
    /// the kind's state rules, and `history`.
    fn gate(&self, file: &str, config: &Config) -> Vec<Diagnostic>;
}

/// The `history` diagnostics of `record`, part of every kind's gate.
fn history_problems<T: Tracked>(record: &T, file: &str, config: &Config) -> Vec<Diagnostic> {
    record.progress().map_or_else(Vec::new, |progress| {
        rules::history::problems(file, progress, Layout::RECORD, &T::machine(config))
    })
}

impl Tracked for Change {
    const KIND: Kind = Kind {
        noun: "change",
        kind: "Change",
        folder: "changes",
    };
    const FIELDS: StateFields = CHANGE_STATE;

    fn all(records: &Records) -> &[Located<Change>] {
        &records.changes
    }

    fn id(&self) -> &str {
        &self.id.value
    }

    fn progress(&self) -> Option<&Progress> {
        self.progress.as_ref()
    }

    fn machine(_: &Config) -> Machine {
        model::change::machine()
    }

    fn from_record(record: Record) -> Option<Change> {
        match record {
            Record::Change(change) => Some(change),
            _ => None,
        }
    }

    fn gate(&self, file: &str, config: &Config) -> Vec<Diagnostic> {
        let mut out = rules::change_approval::problems(self, file);
        out.extend(rules::change_plan::problems(self, file));
        out.extend(rules::change_window::problems(self, file, &config.freezes));
        out.extend(rules::change_outcome::problems(self, file));
        out.extend(history_problems(self, file, config));
        out
    }
}

impl Tracked for Problem {
    const KIND: Kind = Kind {
        noun: "problem",
        kind: "Problem",
        folder: "problems",
    };
    const FIELDS: StateFields = PROBLEM_STATE;

    fn all(records: &Records) -> &[Located<Problem>] {
        &records.problems
    }

    fn id(&self) -> &str {
        &self.id.value
    }

    fn progress(&self) -> Option<&Progress> {
        self.progress.as_ref()
    }

    fn machine(_: &Config) -> Machine {
        model::problem::machine()
    }

    fn from_record(record: Record) -> Option<Problem> {
        match record {
            Record::Problem(problem) => Some(problem),
            _ => None,
        }
    }

    fn gate(&self, file: &str, config: &Config) -> Vec<Diagnostic> {
        let mut out = rules::problem_state::problems(self, file);
        out.extend(history_problems(self, file, config));
        out
    }
}

/// The record of kind `T` with id `id`; see [`find_in`].
pub fn find<'r, T: Tracked>(repo: &'r Repo, id: &str) -> Result<&'r Located<T>, UserError> {
    find_in(repo, T::KIND, T::all(repo), |r| r.id(), id)
}

/// The record of `kind` with id `id` among `records`. An id two files share is
/// refused (exit 1) naming both, since an edit of either would be a guess
/// (audit #13); a file of this kind named after the id that did not load says
/// so and sends the user to `svc check`; an id that names nothing is a usage
/// error (exit 2) with a did-you-mean.
pub fn find_in<'r, T>(
    repo: &'r Repo,
    kind: Kind,
    records: &'r [Located<T>],
    id_of: impl Fn(&T) -> &str,
    id: &str,
) -> Result<&'r Located<T>, UserError> {
    let noun = kind.noun;
    let found: Vec<&Located<T>> = records.iter().filter(|r| id_of(&r.record) == id).collect();
    match found.as_slice() {
        [one] => return Ok(one),
        [_, _, ..] => {
            let files: Vec<&str> = found.iter().map(|r| r.file.as_str()).collect();
            return Err(UserError::refused(
                format!(
                    "{noun} id `{id}` is used by more than one file: {}",
                    files.join(" and ")
                ),
                format!("give each {noun} its own id (`svc check` reports it as duplicate-id)"),
            ));
        }
        [] => {}
    }
    // A record file is named after its id: one that failed to load and has
    // exactly this stem is the record asked for (audit #14: not any file whose
    // name merely contains the id). Its kind is the one it declares, else the
    // one its folder implies.
    let unloaded = repo.unloaded.iter().find(|u| {
        let declared = u
            .kind
            .as_deref()
            .or_else(|| u.file.split('/').next().and_then(model::kind_of_folder));
        declared.is_none_or(|k| k == kind.kind) && model::file_stem(&u.file) == id
    });
    if let Some(unloaded) = unloaded {
        return Err(UserError::with_help(
            format!(
                "{noun} `{id}` could not be loaded: {} has errors",
                unloaded.file
            ),
            "run `svc check` and fix the file first",
        ));
    }
    let ids = records.iter().map(|r| id_of(&r.record));
    let help = crate::diagnostic::suggestion(
        id,
        ids,
        format!("run `svc list {}` to see the ids", kind.folder),
    );
    Err(UserError::with_help(format!("no {noun} `{id}`"), help))
}

/// The state `record` moves to: `to`, else the next one (see
/// [`transition::target_state`]).
pub fn target<T: Tracked>(
    config: &Config,
    record: &T,
    to: Option<&str>,
) -> Result<String, UserError> {
    let current = current_state(record)?;
    let subject = Subject {
        kind: T::KIND.noun,
        id: record.id(),
        word: "state",
        field: T::FIELDS.state,
    };
    transition::target_state(&T::machine(config), current, subject, to)
}

/// The state `record` is in, or a refusal when it did not decode.
pub fn current_state<T: Tracked>(record: &T) -> Result<&str, UserError> {
    record
        .progress()
        .map(|p| p.state.value.as_str())
        .ok_or_else(|| {
            UserError::refused(
                format!(
                    "{} `{}` has no readable `{}`",
                    T::KIND.noun,
                    record.id(),
                    T::FIELDS.state
                ),
                "run `svc check` and fix the file first",
            )
        })
}

/// The time an edit records — `--at`, else now. Every timestamp the change and
/// problem commands write (history, approvals, `implemented`, `done_at`,
/// `verification.at`) comes from here, so they all read `--at` one way.
pub fn moment(args: &ChangeArgs, context: &Context) -> Result<String> {
    write::history_time(args, context)
}

/// The history entry of a move to `state` at `at`, by the user, with `--note`.
pub fn entry(session: &Session, state: &str, at: &str, args: &ChangeArgs) -> HistoryEntry {
    HistoryEntry {
        state: state.to_string(),
        at: at.to_string(),
        by: write::author(&session.root),
        note: args.note.clone(),
    }
}

/// One operation of an [`Edits`].
#[derive(Clone, Debug)]
enum Operation {
    Set(Route, Scalar),
    Append(Route, Item),
    Move(HistoryEntry),
}

/// What one command does to one record, in order: fields set, items appended,
/// and the state move (the state and its history entry).
#[derive(Clone, Debug)]
pub struct Edits {
    /// What is done, for refusals: `approve change \`CHG-1\``.
    pub doing: String,
    /// The commit message for `--commit`.
    pub message: String,
    operations: Vec<Operation>,
}

impl Edits {
    /// An empty edit described by `doing`, committed as `message`.
    pub fn new(doing: impl Into<String>, message: impl Into<String>) -> Edits {
        Edits {
            doing: doing.into(),
            message: message.into(),
            operations: Vec::new(),
        }
    }

    /// Sets the scalar at `route` (created when missing).
    pub fn set(&mut self, route: Route, value: Scalar) -> &mut Edits {
        self.operations.push(Operation::Set(route, value));
        self
    }

    /// Appends `item` to the sequence at `route` (created when missing).
    pub fn append(&mut self, route: Route, item: Item) -> &mut Edits {
        self.operations.push(Operation::Append(route, item));
        self
    }

    /// Moves the record to `entry.state`, appending `entry` to its history.
    pub fn move_to(&mut self, entry: HistoryEntry) -> &mut Edits {
        self.operations.push(Operation::Move(entry));
        self
    }

    /// The edited text of `text`, each operation in the file's own style.
    fn apply(&self, text: &str, fields: &StateFields) -> Result<String, edit::EditError> {
        let mut edit = Edit::new(text)?;
        for operation in &self.operations {
            match operation {
                Operation::Set(route, value) => {
                    edit.set(route, value.clone())?;
                }
                Operation::Append(route, item) => {
                    edit.append(route, item.clone())?;
                }
                Operation::Move(entry) => edit::move_to_state(&mut edit, fields, entry)?,
            }
        }
        edit.finish()
    }
}

/// A route from its dotted text (`implemented.start`). The routes are svc's own,
/// so a malformed one is a bug, reported as the editor reports it.
pub fn route(text: &str) -> Result<Route, UserError> {
    text.parse()
        .map_err(|e: edit::EditError| UserError::new(e.to_string()))
}

/// Edits `located`'s file as `edits` says, checks the result as `svc check`
/// would and writes it (see [`write::apply`]). Returns true when the file was
/// written (false for `--dry-run`).
pub fn edit<T: Tracked>(
    session: &Session,
    located: &Located<T>,
    edits: &Edits,
    args: &ChangeArgs,
    context: &Context,
) -> Result<bool> {
    let original = session.read(located)?;
    let text = String::from_utf8_lossy(&original);
    let edited = edits
        .apply(&text, &T::FIELDS)
        .map_err(|e| write::cannot_edit(&located.file, e))?;
    write_checked::<T>(
        session,
        &located.file,
        Some(&original),
        edited,
        edits,
        args,
        context,
    )
}

/// Writes the new file `file` holding `text`, checked as [`edit`] checks an edit.
pub fn create<T: Tracked>(
    session: &Session,
    file: &str,
    text: String,
    edits: &Edits,
    args: &ChangeArgs,
    context: &Context,
) -> Result<bool> {
    write_checked::<T>(session, file, None, text, edits, args, context)
}

/// Says what a command did on stderr, terminal-safe, when it wrote and unless
/// `--quiet`.
pub fn report(context: &Context, written: bool, message: &str) {
    if written && !context.global.quiet {
        eprintln!("{}", crate::render::sanitize(message));
    }
}

/// Decodes `text` as `file`, refuses it unless it is a `T` that decodes without
/// an error and passes its gate, and writes it. The gate's warnings are told
/// on stderr (unless `--quiet`) and do not stop the edit, as they do not fail
/// `svc check`.
fn write_checked<T: Tracked>(
    session: &Session,
    file: &str,
    original: Option<&[u8]>,
    text: String,
    edits: &Edits,
    args: &ChangeArgs,
    context: &Context,
) -> Result<bool> {
    let config = &session.repo.config;
    let record = decode_checked::<T>(file, &text, config, &edits.doing)?;
    let findings = record.gate(file, config);
    require_no_errors(&findings, file, &edits.doing)?;
    if !context.global.quiet {
        for warning in findings.iter().filter(|d| d.severity == Severity::Warning) {
            let line = format!("warning[{}]: {}", warning.rule, warning.message);
            eprintln!("{}", crate::render::sanitize(&line));
        }
    }
    let change = FileChange {
        file: file.to_string(),
        original,
        text,
        message: edits.message.clone(),
    };
    write::apply(&session.root, &change, args)
}

/// The record in the edited `text`, or a refusal naming the first error: svc
/// never writes a file that it, and so `svc check`, could not read back whole.
fn decode_checked<T: Tracked>(
    file: &str,
    text: &str,
    config: &Config,
    doing: &str,
) -> Result<T, UserError> {
    let (record, diagnostics) = model::decode_file_with(file, text, config);
    if let Some(error) = diagnostics.iter().find(|d| d.severity == Severity::Error) {
        return Err(UserError::refused(
            format!(
                "cannot {doing}: {file} would have an error ({} at line {}: {}); nothing was written",
                error.rule,
                error.pos.line + 1,
                error.message
            ),
            "run `svc check` and fix the file first",
        ));
    }
    record.and_then(T::from_record).ok_or_else(|| {
        UserError::refused(
            format!(
                "cannot {doing}: {file} would not hold a {}; nothing was written",
                T::KIND.kind
            ),
            "run `svc check`",
        )
    })
}

/// Refuses when `findings` hold an error, naming each rule and why (SPEC §6:
/// an edit that would make `svc check` fail is refused with the rule and why).
fn require_no_errors(findings: &[Diagnostic], file: &str, doing: &str) -> Result<(), UserError> {
    let errors: Vec<&Diagnostic> = findings
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = errors
        .iter()
        .map(|d| format!("  - {}: {}", d.rule, d.message))
        .collect();
    let mut helps: Vec<&str> = Vec::new();
    for help in errors.iter().filter_map(|d| d.help.as_deref()) {
        if !helps.contains(&help) {
            helps.push(help);
        }
    }
    Err(UserError::refused(
        format!(
            "cannot {doing}: `svc check` would fail on {file}\n{}",
            lines.join("\n")
        ),
        helps.join("; "),
    ))
}

/// Refuses an id that cannot name a record file (SPEC §1), or one of kind `T`
/// that exists already (loaded or not), and returns the new file's path.
pub fn new_file<T: Tracked>(repo: &Repo, root: &std::path::Path, id: &str) -> Result<String> {
    let Kind { noun, folder, .. } = T::KIND;
    // The id becomes a file name: only SPEC §1 ids, so never `/`, `\`, `..` or NUL.
    if !model::is_valid_id(id) {
        return Err(UserError::refused(
            format!("malformed {noun} id `{}`", id.escape_debug()),
            "ids start with a letter or digit and use only letters, digits, `.`, `_` and `-` (at most 128), e.g. `CHG-2026-0012`",
        )
        .into());
    }
    let loaded = T::all(repo).iter().find(|r| r.record.id() == id);
    let unloaded = repo
        .unloaded
        .iter()
        .find(|u| u.file.starts_with(&format!("{folder}/")) && model::file_stem(&u.file) == id);
    let taken = loaded
        .map(|r| r.file.clone())
        .or_else(|| unloaded.map(|u| u.file.clone()))
        .or_else(|| {
            ["yaml", "yml"]
                .iter()
                .map(|ext| format!("{folder}/{id}.{ext}"))
                .find(|file| root.join(file).exists())
        });
    if let Some(file) = taken {
        return Err(UserError::refused(
            format!("{noun} `{id}` already exists ({file})"),
            "choose another id, or edit the existing file",
        )
        .into());
    }
    Ok(format!("{folder}/{id}.yaml"))
}
