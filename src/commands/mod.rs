//! One module per command; each is `fn run(args, &Context) -> Result<ExitCode>`.
//! Commands are the only code that reads the clock, the environment or stdout.

mod advance;
mod change;
mod check;
mod completions;
mod export;
mod import;
mod incident;
mod init;
mod list;
mod new;
mod output;
mod problem;
mod progress;
mod record;
mod report;
mod retire;
mod review;
mod schema;
mod show;
mod sla;
mod write;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use chrono::{DateTime, Datelike as _, FixedOffset, Utc};

use clap::ValueEnum;

use crate::cli::{Cli, ColorChoice, Command, GlobalArgs, PeriodArgs};
use crate::error::UserError;
use crate::model::{Located, Service};
use crate::repo::{self, Repo};
use crate::sla::period::{self, Request, Resolved};
use crate::sla::skip::{LeftOut, Skipped};

/// Exit code 1: the command ran and found problems.
pub const PROBLEMS: u8 = 1;

/// Runs the command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let context = Context::new(cli.global)?;
    crate::render::table::set_width(columns());
    if !prints_report(&cli.command) {
        context.refuse_format()?;
    }
    match cli.command {
        Command::Check(args) => check::run(&args, &context),
        Command::List(args) => list::run(&args, &context),
        Command::Sla(args) => sla::run(&args, &context),
        Command::Report(args) => report::run(&args, &context),
        Command::Show(args) => show::run(&args, &context),
        Command::Export(args) => export::run(&args, &context),
        Command::New(args) => new::run(&args, &context),
        Command::Advance(args) => advance::run(&args, &context),
        Command::Retire(args) => retire::run(&args, &context),
        Command::Incident(args) => incident::run(&args, &context),
        Command::Change(args) => change::run(&args, &context),
        Command::Problem(args) => problem::run(&args, &context),
        Command::Import(args) => import::run(&args, &context),
        Command::Schema(args) => schema::run(&args, &context),
        Command::Completions(args) => completions::run_completions(&args),
        Command::Man(args) => completions::run_man(&args),
        Command::Init(args) => init::run(&args, &context),
    }
}

/// `COLUMNS`, when it holds a usable width (20 or more): tables are fitted to
/// it even in a pipe, so a script or a test can ask for a width; unset, they
/// fit the terminal, or keep full width in a pipe (docs/output.md).
fn columns() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|text| text.trim().parse::<u16>().ok())
        .filter(|width| *width >= 20)
}

/// True for the commands that print a report and so take a `--format`.
fn prints_report(command: &Command) -> bool {
    matches!(
        command,
        Command::Check(_)
            | Command::List(_)
            | Command::Sla(_)
            | Command::Report(_)
            | Command::Show(_)
            | Command::Export(_)
    )
}

/// The resolved global options.
pub struct Context {
    /// The raw global flags.
    pub global: GlobalArgs,
    /// The current time (`--now` or the clock).
    pub now: DateTime<Utc>,
    /// True once the command chose a machine-readable format: no progress bar
    /// then, since a script may read the same terminal.
    machine_output: std::cell::Cell<bool>,
    /// The repo time zone, once a repo is loaded (dates in `--at`).
    zone: std::cell::Cell<Option<chrono_tz::Tz>>,
}

impl Context {
    fn new(global: GlobalArgs) -> Result<Self> {
        let now = match &global.now {
            None => Utc::now(),
            Some(text) => flag_timestamp("--now", text)?.with_timezone(&Utc),
        };
        Ok(Context {
            global,
            now,
            machine_output: std::cell::Cell::new(false),
            zone: std::cell::Cell::new(None),
        })
    }

    /// The repo root: `--repo`, else `SVC_REPO`, else found upwards from the
    /// working directory. An empty `SVC_REPO` counts as unset, as shells and CI
    /// systems often export variables that way (`SVC_REPO= svc check`).
    pub fn root(&self) -> Result<PathBuf> {
        let cwd = std::env::current_dir()?;
        let from_env = std::env::var_os("SVC_REPO")
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from);
        let explicit = self.global.repo.clone().or(from_env);
        Ok(repo::find_root(&cwd, explicit.as_deref())?)
    }

    /// Refuses `--rev` for commands that edit the working tree.
    pub fn require_work_tree(&self) -> Result<()> {
        match &self.global.rev {
            Some(_) => Err(UserError::with_help(
                "--rev cannot be used with a command that edits files",
                "leave out --rev: edits apply to the working tree",
            )
            .into()),
            None => Ok(()),
        }
    }

    /// Loads the repo (from `--rev` when given), with a progress bar on stderr
    /// when that is a terminal and loading takes more than a second.
    pub fn load(&self) -> Result<Repo> {
        let root = self.root()?;
        self.load_root(&root)
    }

    /// Loads the repo at `root`; see [`Context::load`].
    pub fn load_root(&self, root: &std::path::Path) -> Result<Repo> {
        let show = progress::wanted(
            self.global.quiet,
            self.machine_output.get(),
            std::io::stderr().is_terminal(),
        );
        let repo = progress::while_loading(show, |progress| {
            Repo::load_counting(root, self.global.rev.as_deref(), progress)
        })?;
        self.zone.set(Some(repo.config.timezone));
        Ok(repo)
    }

    /// The time zone of the repo loaded last, if any.
    pub fn zone(&self) -> Option<chrono_tz::Tz> {
        self.zone.get()
    }

    /// The command's format: its own `--format`, else one given before the
    /// command (`svc --format json check`), else `default`. A format the
    /// command does not take is a usage error naming the ones it does (SPEC §5).
    pub fn format<F: ValueEnum + Copy>(&self, own: Option<F>, default: F) -> Result<F> {
        let chosen = match (own, &self.global.format) {
            (Some(format), _) => format,
            (None, None) => default,
            (None, Some(given)) => F::from_str(given, false).map_err(|_| {
                let names: Vec<String> = F::value_variants()
                    .iter()
                    .filter_map(|v| v.to_possible_value())
                    .map(|v| v.get_name().to_string())
                    .collect();
                UserError::with_help(
                    format!("unknown format `{given}` for this command"),
                    format!("use one of: {}", names.join(", ")),
                )
            })?,
        };
        let name = chosen
            .to_possible_value()
            .map(|v| v.get_name().to_string())
            .unwrap_or_default();
        self.machine_output
            .set(!matches!(name.as_str(), "table" | "human" | "markdown"));
        Ok(chosen)
    }

    /// Refuses a `--format` given to a command that prints no report.
    pub fn refuse_format(&self) -> Result<(), UserError> {
        match &self.global.format {
            None => Ok(()),
            Some(given) => Err(UserError::with_help(
                format!("this command takes no --format (got `{given}`)"),
                "leave out --format: the command prints no report",
            )),
        }
    }

    /// Check errors do not stop a report, but the user hears about them on
    /// stderr (for reports that leave nothing out; the SLA reports say what
    /// they left out with [`Context::report_skipped`]).
    pub fn warn_about_problems(&self, repo: &Repo) {
        let errors: Vec<_> = repo
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diagnostic::Severity::Error)
            .collect();
        if errors.is_empty() || self.global.quiet {
            return;
        }
        let files: std::collections::BTreeSet<&str> =
            errors.iter().map(|d| d.file.as_str()).collect();
        eprintln!(
            "warning: {} in {}; records that could not be read are left out (run `svc check`)",
            crate::render::count(errors.len(), "error", "errors"),
            crate::render::count(files.len(), "file", "files"),
        );
    }

    /// The records a report leaves out (SPEC §3.4): those whose files have
    /// errors in `svc check` at this `--now`.
    pub fn left_out(&self, repo: &Repo) -> LeftOut {
        let diagnostics = crate::rules::check(repo, self.now);
        LeftOut::new(repo, &diagnostics)
    }

    /// Says on stderr what a report left out, unless `--quiet`.
    pub fn report_skipped(&self, skipped: &[Skipped]) {
        if self.global.quiet {
            return;
        }
        if let Some(summary) = crate::sla::skip::summary(skipped) {
            eprintln!("warning: {}", crate::render::sanitize(&summary));
        }
    }

    /// The period of `args` for `repo` (SPEC §3.2), relative periods judged at
    /// `--now` in the repo time zone.
    pub fn period(&self, args: &PeriodArgs, repo: &Repo) -> Result<Resolved, UserError> {
        let earliest = repo
            .incidents
            .iter()
            .filter_map(|i| i.record.opened())
            .map(|at| at.to_utc())
            .min();
        self.period_from(args, repo, earliest)
    }

    /// [`Context::period`] whose default starts in the month of `earliest`
    /// (a report on other records than incidents starts at its own first one).
    pub fn period_from(
        &self,
        args: &PeriodArgs,
        repo: &Repo,
        earliest: Option<DateTime<Utc>>,
    ) -> Result<Resolved, UserError> {
        let request = Request {
            period: args.period.as_deref(),
            since: args.since.as_deref(),
            until: args.until.as_deref(),
        };
        period::resolve(request, repo.config.timezone, self.now, earliest)
            .map_err(|(message, help)| UserError::with_help(message, help))
    }

    /// Whether to colour stdout.
    pub fn color(&self) -> bool {
        match self.global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// A timestamp flag's value (`--now`, `--at`, `--purged-at`): RFC 3339 with an
/// offset, in the years svc computes correctly (1970 to 2099, as in records);
/// anything else is a usage error (exit 2).
pub fn flag_timestamp(flag: &str, text: &str) -> Result<DateTime<FixedOffset>, UserError> {
    let at = DateTime::parse_from_rfc3339(text).map_err(|_| {
        UserError::with_help(
            format!("invalid {flag} `{text}`"),
            "give an RFC 3339 timestamp with an offset, e.g. `2026-10-01T09:00:00+02:00`",
        )
    })?;
    if !crate::model::decode::year_in_range(at.year()) {
        return Err(UserError::with_help(
            format!(
                "{flag} `{text}` is out of range: svc accepts years {} to {}",
                crate::model::decode::MIN_YEAR,
                crate::model::decode::MAX_YEAR
            ),
            "the time-zone rules svc knows end in 2099; give a timestamp in that range",
        ));
    }
    Ok(at)
}

/// Exit code for "found problems" when `problems` is true, else success.
pub fn exit_code(problems: bool) -> ExitCode {
    if problems {
        ExitCode::from(PROBLEMS)
    } else {
        ExitCode::SUCCESS
    }
}

/// The help line for a `--policy` that names no SLA policy of `repo`: the
/// likely meant id, or where to find the ids.
pub fn unknown_policy_help(repo: &Repo, policy: &str) -> String {
    let ids = repo.policies.iter().map(|p| p.record.id.as_str());
    match crate::diagnostic::did_you_mean(policy, ids) {
        Some(best) => format!("did you mean `{best}`?"),
        None => "run `svc list policies` to see the ids".to_string(),
    }
}

/// The service `id` and its file; see [`record::find_in`] (unknown: exit 2 with a
/// did-you-mean; shared by two files: refused, exit 1).
pub fn find_service<'r>(repo: &'r Repo, id: &str) -> Result<&'r Located<Service>, UserError> {
    record::find_in(repo, "Service", &repo.services, |s| s.id.as_str(), id)
}
