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
    /// Output format, before the command (`svc --format json check`); each
    /// command's own `--format` lists what it takes.
    #[arg(long, value_name = "FORMAT")]
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
    /// Print a report: lifecycle, changes, problems or the service review.
    Report(ReportArgs),
    /// Show one record: a service's card, an incident, a change or a problem.
    Show(ShowArgs),
    /// Record and move incidents: open, ack, pause, resume, resolve, close, outage.
    Incident(IncidentArgs),
    /// Record and move changes: new, approve, advance, cancel.
    Change(ChangeCommandArgs),
    /// Record and move problems: new, advance, action, link.
    Problem(ProblemArgs),
    /// Import incident history from another tool.
    Import(ImportArgs),
    /// Export records for a warehouse or a developer portal.
    Export(ExportArgs),
    /// Write JSON Schemas of every record kind and of svc.toml.
    Schema(SchemaArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Write man pages.
    Man(ManArgs),
    /// Create a new service repo: a commented svc.toml, an example calendar and
    /// policy, and the record folders.
    Init(InitArgs),
}

/// `--format` of `svc check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// rustc-like, with the source line and a caret.
    Human,
    /// An array of `{rule, severity, file, line, column, message, help}`.
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// JUnit XML, one test case per file (GitLab, Jenkins, Azure Pipelines).
    Junit,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
}

/// `--format` of the commands that print a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A table for people.
    Table,
    /// One JSON document.
    Json,
    /// CSV (RFC 4180).
    Csv,
    /// A Markdown table.
    Markdown,
}

/// `--format` of the commands that print a table or JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// A table (or card) for people.
    #[value(alias = "text")]
    Table,
    /// One JSON document.
    Json,
}

/// `--format` of `svc report review`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReviewFormat {
    /// One self-contained HTML file with charts.
    Html,
    /// Markdown (charts as tables).
    Markdown,
    /// One JSON document.
    Json,
}

/// `--format` of `svc export incidents`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// JSON Lines: one object per incident.
    Jsonl,
    /// CSV with a header row.
    Csv,
}

/// `svc check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Report only diagnostics in files changed since this Git revision.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Output format [default: human].
    #[arg(long, value_enum)]
    pub format: Option<CheckFormat>,
}

/// `svc list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// What to list.
    #[arg(value_enum)]
    pub kind: ListKind,
    /// Only services in this stage (and records on them).
    #[arg(long)]
    pub stage: Option<String>,
    /// Only services of this owner (and records on them).
    #[arg(long)]
    pub owner: Option<String>,
    /// Only this service (and records on it).
    #[arg(long)]
    pub service: Option<String>,
    /// Only incidents, changes or problems in this status or state.
    #[arg(long)]
    pub status: Option<String>,
    /// Only incidents of this (effective) priority.
    #[arg(long)]
    pub priority: Option<String>,
    /// Only records opened in a period.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output format [default: table].
    #[arg(long, value_enum)]
    pub format: Option<TableFormat>,
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
    /// Changes.
    Changes,
    /// Problems.
    Problems,
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

/// The period flags of SPEC §3.2, shared by every command that reports on a period.
#[derive(Debug, Default, Args)]
pub struct PeriodArgs {
    /// Report period: `2026-03`, `2026-Q1`, `2026-W09`, `2026`, or `this-month`,
    /// `last-month`, `this-quarter`, `last-quarter`, `this-week`, `last-week`,
    /// `this-year`, `last-year` (repo time zone, relative to --now).
    #[arg(long, conflicts_with_all = ["since", "until"])]
    pub period: Option<String>,
    /// Start of the period (date in the repo time zone, or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// End of the period, exclusive (date in the repo time zone, or RFC 3339).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

/// `svc sla`.
#[derive(Debug, Args)]
pub struct SlaArgs {
    /// The period.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Group the figures by service (default), policy, owner or priority.
    #[arg(long, value_enum, default_value_t = SlaGroupBy::Service)]
    pub group_by: SlaGroupBy,
    /// Only this service.
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// Show the per-incident rows instead of the figures (table, csv, markdown).
    #[arg(long)]
    pub detail: bool,
    /// List unresolved incidents with the time left before each breach.
    #[arg(long, conflicts_with_all = ["period", "since", "until", "group_by", "detail"])]
    pub open: bool,
    /// Exit 1 when any listed service misses an objective (with --open: when
    /// any listed incident has breached a target).
    #[arg(long)]
    pub fail_on_breach: bool,
    /// Output format [default: table].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
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
    /// Changes per service: counts by type and outcome, failure rate, lead
    /// time, incidents caused, and the next fortnight's changes.
    Changes(ChangesReportArgs),
    /// Open problems: age, incidents, open and overdue actions.
    Problems(ProblemsReportArgs),
    /// The service review pack: SLA, trend, error budget, breaches, CSAT,
    /// changes, problems and lifecycle per service.
    Review(ReviewArgs),
}

/// `svc report lifecycle`.
#[derive(Debug, Args)]
pub struct LifecycleReportArgs {
    /// Show only stale services.
    #[arg(long)]
    pub stale: bool,
    /// Output format [default: table].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
}

/// `svc report changes`.
#[derive(Debug, Args)]
pub struct ChangesReportArgs {
    /// The period (changes whose `implemented.start` lies in it).
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Only this service.
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// Output format [default: table].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
}

/// `svc report problems`.
#[derive(Debug, Args)]
pub struct ProblemsReportArgs {
    /// Only this service.
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// Output format [default: table].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
}

/// `svc report review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The period.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Only this service.
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// How many earlier periods the trend shows.
    #[arg(long, value_name = "N", default_value_t = 6)]
    pub trend: u32,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format [default: html].
    #[arg(long, value_enum)]
    pub format: Option<ReviewFormat>,
}

/// `svc show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A service, incident, change or problem id.
    pub id: String,
    /// Output format [default: table].
    #[arg(long, value_enum)]
    pub format: Option<TableFormat>,
}

/// Options shared by the commands that edit a record file.
#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// Print the change as a unified diff and write nothing.
    #[arg(long, conflicts_with = "commit")]
    pub dry_run: bool,
    /// Record the change as a Git commit of that file alone.
    #[arg(long)]
    pub commit: bool,
    /// The history timestamp (RFC 3339, or a date: midnight in the repo time
    /// zone; default: now).
    #[arg(long, value_name = "TIMESTAMP")]
    pub at: Option<String>,
    /// A note for the history entry.
    #[arg(long)]
    pub note: Option<String>,
}

/// `--dry-run` and `--commit`, for edits that take their own time flags.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Print the change as a unified diff and write nothing.
    #[arg(long, conflicts_with = "commit")]
    pub dry_run: bool,
    /// Record the change as a Git commit of that file alone.
    #[arg(long)]
    pub commit: bool,
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

/// `svc incident`.
#[derive(Debug, Args)]
pub struct IncidentArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: IncidentCommand,
}

/// The incident commands (SPEC §8).
#[derive(Debug, Subcommand)]
pub enum IncidentCommand {
    /// Open an incident: writes `incidents/<YYYY>/<id>.yaml` with the next id.
    Open(IncidentOpenArgs),
    /// Record the first response (`acknowledged_at`).
    Ack(IncidentAtArgs),
    /// Stop the SLA clock (append a running pause).
    Pause(IncidentPauseArgs),
    /// Start the SLA clock again (end the running pause).
    Resume(IncidentAtArgs),
    /// Record the resolution (`resolved_at`), with root cause and postmortem.
    Resolve(IncidentResolveArgs),
    /// Close the incident, with the customer's rating and comment.
    Close(IncidentCloseArgs),
    /// Record an outage window of the service.
    Outage(IncidentOutageArgs),
}

/// `svc incident open`.
#[derive(Debug, Args)]
pub struct IncidentOpenArgs {
    /// The affected service.
    #[arg(long)]
    pub service: String,
    /// What happened.
    #[arg(long)]
    pub title: String,
    /// Priority (a key of the service policy's targets).
    #[arg(long, conflicts_with_all = ["impact", "urgency"])]
    pub priority: Option<String>,
    /// Impact 1..3 (with --urgency, for the priority matrix).
    #[arg(long, requires = "urgency", value_parser = clap::value_parser!(u8).range(1..=3))]
    pub impact: Option<u8>,
    /// Urgency 1..3 (with --impact, for the priority matrix).
    #[arg(long, requires = "impact", value_parser = clap::value_parser!(u8).range(1..=3))]
    pub urgency: Option<u8>,
    /// Use this id instead of the next one of `[incidents] id_format`.
    #[arg(long)]
    pub id: Option<String>,
    /// A category, used to spot recurring incidents.
    #[arg(long)]
    pub category: Option<String>,
    /// When it was opened (RFC 3339 or a date; default: now).
    #[arg(long, value_name = "TIMESTAMP")]
    pub at: Option<String>,
    /// Shared write options.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// An incident command that only takes a time.
#[derive(Debug, Args)]
pub struct IncidentAtArgs {
    /// Incident id.
    pub id: String,
    /// When (RFC 3339 or a date; default: now).
    #[arg(long, value_name = "TIMESTAMP")]
    pub at: Option<String>,
    /// Shared write options.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `svc incident pause`.
#[derive(Debug, Args)]
pub struct IncidentPauseArgs {
    /// Incident id.
    pub id: String,
    /// Why the clock stops (e.g. `awaiting-customer`).
    #[arg(long)]
    pub reason: String,
    /// When (RFC 3339 or a date; default: now).
    #[arg(long, value_name = "TIMESTAMP")]
    pub at: Option<String>,
    /// Shared write options.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `svc incident resolve`.
#[derive(Debug, Args)]
pub struct IncidentResolveArgs {
    /// Incident id.
    pub id: String,
    /// Why it happened.
    #[arg(long, value_name = "TEXT")]
    pub root_cause: Option<String>,
    /// Link to the postmortem.
    #[arg(long, value_name = "URL")]
    pub postmortem: Option<String>,
    /// When (RFC 3339 or a date; default: now).
    #[arg(long, value_name = "TIMESTAMP")]
    pub at: Option<String>,
    /// Shared write options.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `svc incident close`.
#[derive(Debug, Args)]
pub struct IncidentCloseArgs {
    /// Incident id.
    pub id: String,
    /// The customer's rating, 1..5.
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
    pub satisfaction: Option<u8>,
    /// The customer's comment.
    #[arg(long, value_name = "TEXT")]
    pub feedback: Option<String>,
    /// When (RFC 3339 or a date; default: now).
    #[arg(long, value_name = "TIMESTAMP")]
    pub at: Option<String>,
    /// Shared write options.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `svc incident outage`.
#[derive(Debug, Args)]
pub struct IncidentOutageArgs {
    /// Incident id.
    pub id: String,
    /// When the service went down (RFC 3339 or a date).
    #[arg(long, value_name = "TIMESTAMP")]
    pub from: String,
    /// When it was back (RFC 3339 or a date).
    #[arg(long, value_name = "TIMESTAMP")]
    pub to: String,
    /// Shared write options.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `svc change`.
#[derive(Debug, Args)]
pub struct ChangeCommandArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: ChangeCommand,
}

/// The change commands (SPEC §6).
#[derive(Debug, Subcommand)]
pub enum ChangeCommand {
    /// Request a change: writes `changes/<id>.yaml` in state `requested`.
    New(ChangeNewArgs),
    /// Approve a change (from `requested`, move it to `approved`).
    Approve(ChangeApproveArgs),
    /// Move a change forward (or to a later state with --to).
    Advance(ChangeAdvanceArgs),
    /// Cancel a change that was not implemented.
    Cancel(ChangeCancelArgs),
}

/// Change types (SPEC §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChangeType {
    /// Pre-approved, low risk.
    Standard,
    /// Assessed and approved before it is implemented.
    Normal,
    /// Implemented first when it must be, approved after.
    Emergency,
}

/// Change risk levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChangeRisk {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

/// Change outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChangeOutcome {
    /// It worked.
    Successful,
    /// It failed.
    Failed,
    /// It was rolled back.
    RolledBack,
}

/// `svc change new`.
#[derive(Debug, Args)]
pub struct ChangeNewArgs {
    /// Change id (e.g. `CHG-2026-0012`).
    pub id: String,
    /// The service changed.
    #[arg(long)]
    pub service: String,
    /// What is changed.
    #[arg(long)]
    pub title: String,
    /// standard, normal or emergency.
    #[arg(long = "type", value_enum, default_value_t = ChangeType::Normal)]
    pub change_type: ChangeType,
    /// low, medium or high.
    #[arg(long, value_enum, default_value_t = ChangeRisk::Medium)]
    pub risk: ChangeRisk,
    /// The planned window, `START/END` (RFC 3339 each).
    #[arg(long, value_name = "START/END")]
    pub window: Option<String>,
    /// How to undo it.
    #[arg(long, value_name = "TEXT")]
    pub rollback_plan: Option<String>,
    /// How to tell it worked.
    #[arg(long, value_name = "TEXT")]
    pub verification_plan: Option<String>,
    /// Shared edit options.
    #[command(flatten)]
    pub change: ChangeArgs,
}

/// `svc change approve`.
#[derive(Debug, Args)]
pub struct ChangeApproveArgs {
    /// Change id.
    pub id: String,
    /// Who approves (default: Git's user.email, else $USER).
    #[arg(long, value_name = "EMAIL")]
    pub by: Option<String>,
    /// Shared edit options.
    #[command(flatten)]
    pub change: ChangeArgs,
}

/// `svc change advance`.
#[derive(Debug, Args)]
pub struct ChangeAdvanceArgs {
    /// Change id.
    pub id: String,
    /// Move to this later state.
    #[arg(long, value_name = "STATE")]
    pub to: Option<String>,
    /// The outcome (needed to enter `reviewed`).
    #[arg(long, value_enum)]
    pub outcome: Option<ChangeOutcome>,
    /// Shared edit options.
    #[command(flatten)]
    pub change: ChangeArgs,
}

/// `svc change cancel`.
#[derive(Debug, Args)]
pub struct ChangeCancelArgs {
    /// Change id.
    pub id: String,
    /// Why it is cancelled.
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// Shared edit options.
    #[command(flatten)]
    pub change: ChangeArgs,
}

/// `svc problem`.
#[derive(Debug, Args)]
pub struct ProblemArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: ProblemCommand,
}

/// The problem commands (SPEC §7).
#[derive(Debug, Subcommand)]
pub enum ProblemCommand {
    /// Record a problem: writes `problems/<id>.yaml` in state `new`.
    New(ProblemNewArgs),
    /// Move a problem forward (or to a later state with --to).
    Advance(ProblemAdvanceArgs),
    /// Add an improvement action, or mark one done.
    Action(ProblemActionArgs),
    /// Link an incident to the problem.
    Link(ProblemLinkArgs),
}

/// `svc problem new`.
#[derive(Debug, Args)]
pub struct ProblemNewArgs {
    /// Problem id (e.g. `PRB-2026-0003`).
    pub id: String,
    /// The affected service.
    #[arg(long)]
    pub service: String,
    /// What the problem is.
    #[arg(long)]
    pub title: String,
    /// An incident it caused (repeatable).
    #[arg(long = "incident", value_name = "ID")]
    pub incidents: Vec<String>,
    /// Shared edit options.
    #[command(flatten)]
    pub change: ChangeArgs,
}

/// `svc problem advance`.
#[derive(Debug, Args)]
pub struct ProblemAdvanceArgs {
    /// Problem id.
    pub id: String,
    /// Move to this later state.
    #[arg(long, value_name = "STATE")]
    pub to: Option<String>,
    /// The root cause (needed for `known-error`).
    #[arg(long, value_name = "TEXT")]
    pub root_cause: Option<String>,
    /// A workaround.
    #[arg(long, value_name = "TEXT")]
    pub workaround: Option<String>,
    /// Record the verification of the fix with this note (needed for `resolved`).
    #[arg(long, value_name = "TEXT")]
    pub verified_note: Option<String>,
    /// Shared edit options.
    #[command(flatten)]
    pub change: ChangeArgs,
}

/// `svc problem action`.
#[derive(Debug, Args)]
pub struct ProblemActionArgs {
    /// Problem id.
    pub id: String,
    /// Add an action with this title (needs --owner and --due).
    #[arg(long, value_name = "TITLE", conflicts_with = "done", requires_all = ["owner", "due"])]
    pub add: Option<String>,
    /// Who does it.
    #[arg(long)]
    pub owner: Option<String>,
    /// By when (a date in the repo time zone).
    #[arg(long, value_name = "DATE")]
    pub due: Option<String>,
    /// Mark this action done (`A1`, `A2`, ...).
    #[arg(long, value_name = "ACTION")]
    pub done: Option<String>,
    /// Shared edit options.
    #[command(flatten)]
    pub change: ChangeArgs,
}

/// `svc problem link`.
#[derive(Debug, Args)]
pub struct ProblemLinkArgs {
    /// Problem id.
    pub id: String,
    /// The incident to link.
    #[arg(long, value_name = "ID")]
    pub incident: String,
    /// Shared write options.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// `svc import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Where from.
    #[command(subcommand)]
    pub source: ImportSource,
}

/// Import sources.
#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// A ServiceNow incident export (list export or event log), CSV or a zip holding one.
    Servicenow(ServicenowArgs),
}

/// `svc import servicenow`.
#[derive(Debug, Args)]
pub struct ServicenowArgs {
    /// The export: a CSV file, or a zip holding one.
    pub file: PathBuf,
    /// The zone of the export's timestamps (default: the repo's).
    #[arg(long, value_name = "TZ")]
    pub timezone: Option<String>,
    /// Write a service file for each unknown service.
    #[arg(long)]
    pub create_services: bool,
    /// The policy of the services created.
    #[arg(long, value_name = "ID")]
    pub policy: Option<String>,
    /// Print the summary and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `svc export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export.
    #[command(subcommand)]
    pub what: ExportKind,
}

/// Exports.
#[derive(Debug, Subcommand)]
pub enum ExportKind {
    /// One row per incident with its SLA evaluation.
    Incidents(ExportIncidentsArgs),
    /// The services as Backstage `Component` entities, one YAML stream (its only
    /// format is YAML).
    Backstage,
}

/// `svc export incidents`.
#[derive(Debug, Args)]
pub struct ExportIncidentsArgs {
    /// The period.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Output format [default: jsonl].
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
}

/// `svc schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Only this kind (`Service`, `SlaPolicy`, `Calendar`, `Incident`, `Change`,
    /// `Problem`, or `svc.toml`).
    pub kind: Option<String>,
    /// Write one file per schema into this folder instead of stdout.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// `svc completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Shells `svc completions` writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell.
    Powershell,
}

/// `svc man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write the pages into this folder instead of printing `svc.1`.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}
