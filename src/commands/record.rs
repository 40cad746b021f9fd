//! The one edit machinery of the records that move through states — changes
//! (SPEC §6) and problems (§7): find a record by id, plan its state move, build
//! the edit (the state, a history entry and any fields), decode the edited text
//! again, run the kind's gate — the very functions `svc check` runs, so a command
//! and the check can never disagree — and only then write through
//! [`write::apply`]. A change and a problem differ here only in data: the
//! [`Tracked`] implementations say which records, which machine, which rules.
//! A refusal at any step writes nothing.

use std::marker::PhantomData;
use std::process::ExitCode;

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

/// A record kind with a state machine that the edit commands move.
pub trait Tracked: Sized {
    /// The `kind:` its files declare (`Change`).
    const KIND: &'static str;
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

/// Implements [`Tracked`] for a record kind from its data: the `Records` list,
/// the state fields, the machine and the gate function.
macro_rules! tracked {
    ($record:ident, $list:ident, $fields:expr, $machine:path, $gate:path) => {
        impl Tracked for $record {
            const KIND: &'static str = stringify!($record);
            const FIELDS: StateFields = $fields;

            fn all(records: &Records) -> &[Located<$record>] {
                &records.$list
            }

            fn id(&self) -> &str {
                &self.id.value
            }

            fn progress(&self) -> Option<&Progress> {
                self.progress.as_ref()
            }

            fn machine(_: &Config) -> Machine {
                $machine()
            }

            fn from_record(record: Record) -> Option<$record> {
                match record {
                    Record::$record(record) => Some(record),
                    _ => None,
                }
            }

            fn gate(&self, file: &str, config: &Config) -> Vec<Diagnostic> {
                $gate(self, file, config)
            }
        }
    };
}

tracked!(
    Change,
    changes,
    CHANGE_STATE,
    model::change::machine,
    change_gate
);
tracked!(
    Problem,
    problems,
    PROBLEM_STATE,
    model::problem::machine,
    problem_gate
);

/// A change's gate: every `change-*` error rule on the state it guards.
fn change_gate(change: &Change, file: &str, config: &Config) -> Vec<Diagnostic> {
    let mut out = rules::change_approval::problems(change, file);
    out.extend(rules::change_plan::problems(change, file));
    out.extend(rules::change_window::problems(
        change,
        file,
        &config.freezes,
    ));
    out.extend(rules::change_outcome::problems(change, file));
    out.extend(history_problems(change, file, config));
    out
}

/// A problem's gate: `problem-state`.
fn problem_gate(problem: &Problem, file: &str, config: &Config) -> Vec<Diagnostic> {
    let mut out = rules::problem_state::problems(problem, file);
    out.extend(history_problems(problem, file, config));
    out
}

/// The `history` diagnostics of `record`, part of every kind's gate.
fn history_problems<T: Tracked>(record: &T, file: &str, config: &Config) -> Vec<Diagnostic> {
    record.progress().map_or_else(Vec::new, |progress| {
        rules::history::problems(file, progress, Layout::RECORD, &T::machine(config))
    })
}

/// The word for records of `kind` in messages: `change`.
fn noun(kind: &str) -> String {
    kind.to_ascii_lowercase()
}

/// The folder of `kind` (SPEC §1), which is also what `svc list` calls it.
fn folder(kind: &str) -> &'static str {
    model::KINDS
        .iter()
        .position(|k| *k == kind)
        .map_or("", |i| model::FOLDERS[i])
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
    kind: &str,
    records: &'r [Located<T>],
    id_of: impl Fn(&T) -> &str,
    id: &str,
) -> Result<&'r Located<T>, UserError> {
    let noun = noun(kind);
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
        declared.is_none_or(|k| k == kind) && model::file_stem(&u.file) == id
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
        format!("run `svc list {}` to see the ids", folder(kind)),
    );
    Err(UserError::with_help(format!("no {noun} `{id}`"), help))
}

/// A record opened for an edit: the session (the repo lock held, the working
/// tree loaded after it was taken) and the record in it.
pub struct Opened<T> {
    /// The edit session.
    pub session: Session,
    index: usize,
    kind: PhantomData<T>,
}

/// Takes the edit lock, loads the repo and finds the `T` with id `id` (see
/// [`find`]).
pub fn open<T: Tracked>(context: &Context, id: &str) -> Result<Opened<T>> {
    let session = write::begin(context)?;
    let found = find::<T>(&session.repo, id)?;
    let index = T::all(&session.repo)
        .iter()
        .position(|r| std::ptr::eq(r, found))
        .unwrap_or_default();
    Ok(Opened {
        session,
        index,
        kind: PhantomData,
    })
}

impl<T: Tracked> Opened<T> {
    /// The record and its file.
    pub fn located(&self) -> &Located<T> {
        &T::all(&self.session.repo)[self.index]
    }

    /// The record.
    pub fn record(&self) -> &T {
        &self.located().record
    }

    /// Its id.
    pub fn id(&self) -> &str {
        self.record().id()
    }

    /// The state it is in, or a refusal when that did not decode.
    pub fn state(&self) -> Result<&str, UserError> {
        let record = self.record();
        record
            .progress()
            .map(|p| p.state.value.as_str())
            .ok_or_else(|| {
                UserError::refused(
                    format!(
                        "{} `{}` has no readable `{}`",
                        noun(T::KIND),
                        record.id(),
                        T::FIELDS.state
                    ),
                    "run `svc check` and fix the file first",
                )
            })
    }

    /// The state it moves to: `to`, else the next one (see
    /// [`transition::target_state`]).
    pub fn target(&self, to: Option<&str>) -> Result<String, UserError> {
        let noun = noun(T::KIND);
        let subject = Subject {
            kind: &noun,
            id: self.id(),
            word: "state",
            field: T::FIELDS.state,
        };
        let machine = T::machine(&self.session.repo.config);
        transition::target_state(&machine, self.state()?, subject, to)
    }

    /// The history entry of a move to `state` at `at`, by the user, with `--note`.
    pub fn entry(&self, state: &str, at: &str, args: &ChangeArgs) -> HistoryEntry {
        entry(&self.session, state, at, args)
    }

    /// Edits the record's file as `edits` says, checks the result as `svc
    /// check` would and writes it (see [`write::apply`]); once written, says
    /// `done` on stderr.
    pub fn apply(&self, edits: &Edits, args: &ChangeArgs, context: &Context) -> Result<ExitCode> {
        let located = self.located();
        let original = self.session.read(located)?;
        let text = String::from_utf8_lossy(&original);
        let edited = edits
            .apply(&text, &T::FIELDS)
            .map_err(|e| write::cannot_edit(&located.file, e))?;
        let written = write_checked::<T>(
            &self.session,
            &located.file,
            Some(&original),
            edited,
            edits,
            args,
            context,
        )?;
        report(context, written, &edits.done);
        Ok(ExitCode::SUCCESS)
    }
}

/// The time an edit records — `--at`, else now. Every timestamp the change and
/// problem commands write (history, approvals, `implemented`, `done_at`,
/// `verification.at`) comes from here, so they all read `--at` one way.
pub fn moment(args: &ChangeArgs, context: &Context) -> Result<String> {
    write::history_time(args, context)
}

/// The history entry of a move to `state` at `at`, by the user, with `--note`.
fn entry(session: &Session, state: &str, at: &str, args: &ChangeArgs) -> HistoryEntry {
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
    /// What is said on stderr once it is written.
    pub done: String,
    operations: Vec<Operation>,
}

impl Edits {
    /// An empty edit described by `doing`, committed as `message`, said to
    /// be `done` once written.
    pub fn new(
        doing: impl Into<String>,
        message: impl Into<String>,
        done: impl Into<String>,
    ) -> Edits {
        Edits {
            doing: doing.into(),
            message: message.into(),
            done: done.into(),
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

/// A new record of kind `T` about to be written: the session and the file.
pub struct Created<T> {
    /// The edit session.
    pub session: Session,
    /// The file to write (`changes/<id>.yaml`).
    pub file: String,
    id: String,
    kind: PhantomData<T>,
}

/// Takes the edit lock and loads the repo for a new `T` with id `id`, which
/// must name a record file (SPEC §1) that does not exist yet, loaded or not,
/// of a `service` that exists.
pub fn create<T: Tracked>(context: &Context, id: &str, service: &str) -> Result<Created<T>> {
    let noun = noun(T::KIND);
    let folder = folder(T::KIND);
    // The id becomes a file name: only SPEC §1 ids, so never `/`, `\`, `..` or NUL.
    if !model::is_valid_id(id) {
        return Err(UserError::refused(
            format!("malformed {noun} id `{}`", id.escape_debug()),
            "ids start with a letter or digit and use only letters, digits, `.`, `_` and `-` (at most 128), e.g. `CHG-2026-0012`",
        )
        .into());
    }
    let session = write::begin(context)?;
    let repo = &session.repo;
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
                .find(|file| session.root.join(file).exists())
        });
    if let Some(file) = taken {
        return Err(UserError::refused(
            format!("{noun} `{id}` already exists ({file})"),
            "choose another id, or edit the existing file",
        )
        .into());
    }
    given("--service", service, super::find_service(repo, service))?;
    Ok(Created {
        file: format!("{folder}/{id}.yaml"),
        session,
        id: id.to_string(),
        kind: PhantomData,
    })
}

impl<T: Tracked> Created<T> {
    /// The first history entry: the first state at `--at`, by the user.
    pub fn entry(&self, args: &ChangeArgs, context: &Context) -> Result<HistoryEntry> {
        let first = T::machine(&self.session.repo.config).first().to_string();
        Ok(entry(&self.session, &first, &moment(args, context)?, args))
    }

    /// The new file's `history` block holding `entry`, as the template's last lines.
    pub fn history(entry: &HistoryEntry) -> String {
        format!(
            "history:\n  - {}\n",
            entry.item(T::FIELDS.entry_key).flow(true)
        )
    }

    /// Writes `text` as the new file, checked as [`Opened::apply`] checks an
    /// edit, and says so on stderr.
    pub fn write(&self, text: String, args: &ChangeArgs, context: &Context) -> Result<ExitCode> {
        let (id, noun) = (&self.id, noun(T::KIND));
        let first = T::machine(&self.session.repo.config).first().to_string();
        let edits = Edits::new(
            format!("create {noun} `{id}`"),
            format!("svc: {noun} new {id}"),
            format!("created {} in state `{first}`", self.file),
        );
        let written =
            write_checked::<T>(&self.session, &self.file, None, text, &edits, args, context)?;
        report(context, written, &edits.done);
        Ok(ExitCode::SUCCESS)
    }
}

/// A record a flag names (`--service`, `--incident`), or why not: a record the
/// user points at from a flag must exist, and when it does not the command
/// refuses (exit 1) naming the flag, as `svc retire --replaced-by` does.
pub fn given<T>(flag: &str, value: &str, found: Result<T, UserError>) -> Result<T, UserError> {
    found.map_err(|e| UserError {
        message: format!("{flag} {value}: {}", e.message),
        code: 1,
        ..e
    })
}

/// Says what a command did on stderr, terminal-safe, when it wrote and unless
/// `--quiet`.
fn report(context: &Context, written: bool, message: &str) {
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
    let kind = noun(T::KIND);
    let record = transition::revalidate_as(file, &text, config, &kind, T::from_record)?;
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

/// Refuses when `findings` hold an error, naming each rule and why (SPEC §6:
/// an edit that would make `svc check` fail is refused with the rule and why).
/// `svc incident` refuses through it too, so every editing command says it alike.
pub fn require_no_errors(
    findings: &[Diagnostic],
    file: &str,
    doing: &str,
) -> Result<(), UserError> {
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::diagnostic::Rule;

    /// The rules a gate runs.
    const GATED: [Rule; 6] = [
        Rule::ChangeApproval,
        Rule::ChangePlan,
        Rule::ChangeWindow,
        Rule::ChangeOutcome,
        Rule::ProblemState,
        Rule::History,
    ];

    /// What `svc check` says about `file` under the gated rules.
    fn checked<'d>(diagnostics: &'d [Diagnostic], file: &str) -> Vec<&'d Diagnostic> {
        diagnostics
            .iter()
            .filter(|d| d.file == file && GATED.contains(&d.rule))
            .collect()
    }

    fn agree<T: Tracked>(repo: &Repo, diagnostics: &[Diagnostic]) -> usize {
        for located in T::all(repo) {
            let mut gate = located.record.gate(&located.file, &repo.config);
            crate::diagnostic::sort(&mut gate);
            let gate: Vec<&Diagnostic> = gate.iter().collect();
            assert_eq!(
                gate,
                checked(diagnostics, &located.file),
                "{}",
                located.file
            );
        }
        T::all(repo).len()
    }

    /// A command and `svc check` can never disagree: on acme with the test
    /// fixtures (a freeze violation, a conflicting pair) and on records broken
    /// in every gated way, each record's gate says exactly what the check says
    /// about it under the same rules.
    #[test]
    fn the_gate_is_what_svc_check_reports() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let copy = |from: &Path, to: &Path| {
            for entry in walk(from) {
                let target = to.join(entry.strip_prefix(from).unwrap());
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::copy(&entry, target).unwrap();
            }
        };
        copy(&manifest.join("examples/acme"), root);
        for fixture in ["freeze", "conflict"] {
            copy(
                &manifest.join("tests/fixtures/changes").join(fixture),
                &root.join("changes"),
            );
        }
        let broken = [
            (
                "changes/CHG-2026-0801.yaml",
                "kind: Change\nid: CHG-2026-0801\nservice: auth\ntitle: T\nstate: reviewed\n\
                 history:\n  - { state: approved, at: 2026-09-02T10:00:00+02:00 }\n  - { state: requested, at: 2026-09-01T10:00:00+02:00 }\n",
            ),
            (
                "changes/CHG-2026-0802.yaml",
                "kind: Change\nid: CHG-2026-0802\nservice: auth\ntitle: T\ntype: emergency\nstate: closed\n\
                 window: { start: 2026-09-02T10:00:00+02:00, end: 2026-09-01T10:00:00+02:00 }\n\
                 history:\n  - { state: closed, at: 2026-09-02T10:00:00+02:00 }\n",
            ),
            (
                "problems/PRB-2026-0801.yaml",
                "kind: Problem\nid: PRB-2026-0801\nservice: auth\ntitle: T\nstate: closed\n\
                 actions:\n  - { id: A1, title: X, owner: o, due: 2026-09-01 }\n\
                 history:\n  - { state: closed, at: 2026-09-02T10:00:00+02:00 }\n",
            ),
        ];
        for (file, text) in broken {
            std::fs::write(root.join(file), text).unwrap();
        }
        let repo = Repo::load(root, None).unwrap();
        let now = chrono::DateTime::parse_from_rfc3339("2026-10-01T00:00:00Z")
            .unwrap()
            .to_utc();
        let diagnostics = rules::check(&repo, now);
        let gated = diagnostics
            .iter()
            .filter(|d| GATED.contains(&d.rule) && d.rule != Rule::History)
            .count();
        assert!(
            gated >= 8,
            "the broken records are reported: {diagnostics:#?}"
        );
        assert_eq!(agree::<Change>(&repo, &diagnostics), 13 + 3 + 2);
        assert_eq!(agree::<Problem>(&repo, &diagnostics), 5 + 1);
    }

    /// Every file below `dir`.
    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
        out
    }
}
