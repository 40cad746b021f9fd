//! The command line, as clap derive types. No logic lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// svc: validate a service repo, compute SLA compliance, manage the service lifecycle.
#[derive(Debug, Parser)]
#[command(name = "svc", version, about, propagate_version = true)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Flags shared by every command (SPEC §5).
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The repo root (holds svc.toml); default: $SVC_REPO if set and not empty, else
    /// search upwards from the working directory.
    #[arg(long, global = true, value_name = "DIR")]
    pub repo: Option<PathBuf>,
    /// Output format (check: human, json, github; list: table, json).
    #[arg(long, global = true, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Use this RFC 3339 timestamp as the current time.
    #[arg(long, global = true, value_name = "TIMESTAMP")]
    pub now: Option<String>,
    /// Read the repo as of this Git revision instead of the working tree.
    #[arg(long, global = true, value_name = "REV")]
    pub rev: Option<String>,
    /// Print only results and errors: no summary or progress.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// When to use colour (NO_COLOR is honoured by `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the repo and report every problem (exit 1 on errors).
    Check(CheckArgs),
    /// List the records of one kind.
    List(ListArgs),
    /// Compute SLA compliance per service for a period (or the open incidents).
    Sla(SlaArgs),
    /// Create a service in the first lifecycle stage.
    New(NewArgs),
    /// Move a service to its next lifecycle stage (or a later one with --to).
    Advance(AdvanceArgs),
    /// Retire a service: fill its retirement record and move it to the terminal stage.
    Retire(RetireArgs),
    /// Print a report (`svc report lifecycle`).
    Report(ReportArgs),
    /// Show one service's card: stage, history, gates ahead, policy, open incidents, SLA.
    Show(ShowArgs),
    /// Create a new service repo: a commented svc.toml and the four folders.
    Init(InitArgs),
}

/// `svc check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Report only diagnostics in files changed since this Git revision.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
}

/// `svc list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// What to list.
    #[arg(value_enum)]
    pub kind: ListKind,
    /// Only services in this stage (and incidents on them).
    #[arg(long)]
    pub stage: Option<String>,
    /// Only services of this owner (and incidents on them).
    #[arg(long)]
    pub owner: Option<String>,
    /// Only this service (and incidents on it).
    #[arg(long)]
    pub service: Option<String>,
}

/// Record kinds for `svc list`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListKind {
    /// Services.
    Services,
    /// SLA policies.
    Policies,
    /// Calendars.
    Calendars,
    /// Incidents.
    Incidents,
}

/// `svc init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the repo (default: the working directory).
    pub dir: Option<PathBuf>,
    /// Repo name for svc.toml (default: the directory name).
    #[arg(long)]
    pub name: Option<String>,
}

/// `svc sla`.
#[derive(Debug, Args)]
pub struct SlaArgs {
    /// Report period: `2026-03`, `2026-Q1`, `2026-W09` or `2026` (repo time zone).
    #[arg(long, conflicts_with_all = ["since", "until"])]
    pub period: Option<String>,
    /// Start of the period (date in the repo time zone, or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// End of the period, exclusive (date in the repo time zone, or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Group the figures by service (default), policy, owner or priority.
    #[arg(long, value_enum, default_value_t = SlaGroupBy::Service)]
    pub group_by: SlaGroupBy,
    /// Only this service.
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// Add the per-incident rows to table, csv and markdown output.
    #[arg(long)]
    pub detail: bool,
    /// List unresolved incidents with the time left before each breach.
    #[arg(long, conflicts_with_all = ["period", "since", "until", "group_by", "detail"])]
    pub open: bool,
    /// Exit 1 when any listed service misses an objective (with --open: when
    /// any listed incident has breached a target).
    #[arg(long)]
    pub fail_on_breach: bool,
}

/// `--group-by` for `svc sla`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SlaGroupBy {
    /// One row per service.
    Service,
    /// One row per SLA policy.
    Policy,
    /// One row per owner.
    Owner,
    /// One row per priority.
    Priority,
}

/// `svc report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Which report.
    #[command(subcommand)]
    pub report: ReportKind,
}

/// The reports.
#[derive(Debug, Subcommand)]
pub enum ReportKind {
    /// Services by stage: owner, time in stage, stale flag, next stage's gates.
    Lifecycle(LifecycleReportArgs),
}

/// `svc report lifecycle`.
#[derive(Debug, Args)]
pub struct LifecycleReportArgs {
    /// Show only stale services.
    #[arg(long)]
    pub stale: bool,
}

/// `svc show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Service id.
    pub id: String,
}

/// Options shared by the commands that edit a service file.
#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// Print the change as a unified diff and write nothing.
    #[arg(long, conflicts_with = "commit")]
    pub dry_run: bool,
    /// Record the change as a Git commit of that file alone.
    #[arg(long)]
    pub commit: bool,
    /// The history timestamp (RFC 3339; default: now).
    #[arg(long, value_name = "TIMESTAMP")]
    pub at: Option<String>,
    /// A note for the history entry.
    #[arg(long)]
    pub note: Option<String>,
}

/// `svc new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// Service id (lower-case kebab case, e.g. `payments-api`).
    pub id: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// Owning team.
    #[arg(long)]
    pub owner: String,
    /// SLA policy id.
    #[arg(long)]
    pub policy: Option<String>,
    /// One-sentence description.
    #[arg(long)]
    pub description: Option<String>,
    /// Shared edit options.
    #[command(flatten)]
    pub change: ChangeArgs,
}

/// `svc advance`.
#[derive(Debug, Args)]
pub struct AdvanceArgs {
    /// Service id.
    pub id: String,
    /// Move to this later stage, checking every gate on the way.
    #[arg(long, value_name = "STAGE")]
    pub to: Option<String>,
    /// Shared edit options.
    #[command(flatten)]
    pub change: ChangeArgs,
}

/// `svc retire`.
#[derive(Debug, Args)]
pub struct RetireArgs {
    /// Service id.
    pub id: String,
    /// Why the service is retired.
    #[arg(long, value_enum)]
    pub reason: RetirementReason,
    /// The service that replaces it (required with `--reason replaced`).
    #[arg(long, value_name = "ID")]
    pub replaced_by: Option<String>,
    /// Where the data backup is kept (`retirement.data.backup`).
    #[arg(long, value_name = "LOCATION")]
    pub backup: Option<String>,
    /// Where the data went (`retirement.data.migrated_to`).
    #[arg(long, value_name = "TARGET")]
    pub migrated_to: Option<String>,
    /// When the data was purged (RFC 3339; `retirement.data.purged_at`).
    #[arg(long, value_name = "TIMESTAMP")]
    pub purged_at: Option<String>,
    /// Shared edit options.
    #[command(flatten)]
    pub change: ChangeArgs,
}

/// Retirement reasons (SPEC §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RetirementReason {
    /// The contract ended.
    ContractEnded,
    /// Demand changed.
    DemandChanged,
    /// A regulation requires it.
    Regulatory,
    /// Replaced by another service.
    Replaced,
    /// Something else.
    Other,
}

impl RetirementReason {
    /// The value written to the file.
    pub fn as_str(self) -> &'static str {
        match self {
            RetirementReason::ContractEnded => "contract-ended",
            RetirementReason::DemandChanged => "demand-changed",
            RetirementReason::Regulatory => "regulatory",
            RetirementReason::Replaced => "replaced",
            RetirementReason::Other => "other",
        }
    }
}
