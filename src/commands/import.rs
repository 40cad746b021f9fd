//! `svc import servicenow FILE`: incident history from a ServiceNow export
//! (SPEC §10; the mapping is `crate::import::servicenow`, the decisions are in
//! docs/import.md).
//!
//! Everything is decided before anything is written, under the repo's edit
//! lock: which incidents are new, which existing files need their imported
//! fields brought up to date (through the comment-preserving editor), which are
//! unchanged, which are skipped and why, and which services are created. Then
//! the files are written at once, each atomically, so an interrupted import
//! leaves every file old or new and a rerun completes it. An existing file
//! whose content would not change is not written at all (its mtime stays).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use chrono::Datelike as _;
use rayon::prelude::*;

use super::Context;
use super::write;
use crate::cli::{ChangeArgs, ImportArgs, ImportSource, NewArgs, ServicenowArgs};
use crate::edit::{HistoryEntry, write_atomic_all};
use crate::error::UserError;
use crate::import::render::{self, Links};
use crate::import::servicenow::{self, Imported, Parsed};
use crate::model::{Incident, Located};
use crate::repo::{self, Repo};

/// How many line numbers the summary shows per reason.
const LINES_SHOWN: usize = 5;

/// Runs `svc import`.
pub fn run(args: &ImportArgs, context: &Context) -> Result<ExitCode> {
    match &args.source {
        ImportSource::Servicenow(args) => servicenow(args, context),
    }
}

/// One file the import writes.
struct Planned {
    /// Relative to the repo root.
    file: String,
    /// What it holds now (None: a new file).
    original: Option<Vec<u8>>,
    text: String,
}

/// What became of one incident of the export.
enum Outcome {
    New(Planned),
    Updated(Planned),
    Unchanged,
    Skipped(&'static str, String),
}

/// The summary's figures.
#[derive(Default)]
struct Summary {
    written: usize,
    updated: usize,
    unchanged: usize,
    /// Reason → (count, first lines, notes).
    skipped: BTreeMap<&'static str, (usize, Vec<u64>)>,
    services_created: Vec<String>,
    services_unknown: Vec<String>,
    /// Why existing files were not updated, the first few.
    not_updated: Vec<String>,
}

impl Summary {
    fn skip(&mut self, reason: &'static str, line: u64) {
        let entry = self.skipped.entry(reason).or_default();
        entry.0 += 1;
        if entry.1.len() < LINES_SHOWN {
            entry.1.push(line);
        }
    }
}

fn servicenow(args: &ServicenowArgs, context: &Context) -> Result<ExitCode> {
    let shown = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {shown}"))?;
    let csv = if crate::import::is_zip(&bytes) {
        crate::import::unpack(&bytes).map_err(|e| {
            UserError::with_help(
                format!("{shown}: {e}"),
                "give the CSV itself, or a zip that holds just it",
            )
        })?
    } else {
        bytes
    };
    let session = write::begin(context)?;
    let (root, repo) = (&session.root, &session.repo);
    let zone = match &args.timezone {
        None => repo.config.timezone,
        Some(name) => name.parse::<chrono_tz::Tz>().map_err(|_| {
            UserError::with_help(
                format!("unknown time zone `{name}` for --timezone"),
                "give an IANA name such as `Europe/Berlin` or `UTC`",
            )
        })?,
    };
    if let Some(policy) = &args.policy
        && !repo.policies.iter().any(|p| p.record.id.value == *policy)
    {
        let help = super::unknown_policy_help(repo, policy);
        return Err(
            UserError::with_help(format!("no SLA policy `{policy}` for --policy"), help).into(),
        );
    }
    if !repo.config.include.iter().any(|f| f == "incidents") {
        return Err(UserError::refused(
            "svc.toml's `include` does not list `incidents`, so svc would not read imported incidents",
            "add \"incidents\" to `[repo] include` in svc.toml",
        )
        .into());
    }
    let parsed = servicenow::parse(&csv, zone).map_err(|e| {
        let help = match &e {
            servicenow::ImportError::MissingColumns(_) => {
                "export the incident table with at least `number` and `opened_at` (see docs/import.md)"
            }
            servicenow::ImportError::Csv(_) => "export the list again as CSV (comma-separated, UTF-8)",
        };
        UserError::with_help(format!("{shown}: {e}"), help)
    })?;
    let mut summary = Summary::default();
    for skipped in &parsed.skipped {
        summary.skip(skipped.reason.id(), skipped.line);
    }
    let services = plan_services(&parsed, repo, args, context, &mut summary)?;
    let known: HashSet<&str> = repo
        .services
        .iter()
        .map(|s| s.record.id.as_str())
        .chain(services.iter().map(|(id, _)| id.as_str()))
        .collect();
    let outcomes = plan_incidents(&parsed, &session, &known);
    let mut planned: Vec<Planned> = services.into_iter().map(|(_, p)| p).collect();
    for (incident, outcome) in parsed.incidents.iter().zip(outcomes) {
        match outcome {
            Outcome::New(p) => {
                summary.written += 1;
                planned.push(p);
            }
            Outcome::Updated(p) => {
                summary.updated += 1;
                planned.push(p);
            }
            Outcome::Unchanged => summary.unchanged += 1,
            Outcome::Skipped(reason, why) => {
                summary.skip(reason, incident.line);
                if !why.is_empty() && summary.not_updated.len() < LINES_SHOWN {
                    summary.not_updated.push(why);
                }
            }
        }
    }
    if !args.dry_run {
        write_all(root, &planned)?;
    }
    let mut out = super::output::stdout();
    out.write_all(summary_text(&shown, &parsed, &summary, args.dry_run).as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The service files to create (with `--create-services`), each checked
/// against the first stage's gate before anything is written; without the
/// flag, the unknown services are noted for the summary.
fn plan_services(
    parsed: &Parsed,
    repo: &Repo,
    args: &ServicenowArgs,
    context: &Context,
    summary: &mut Summary,
) -> Result<Vec<(String, Planned)>> {
    let known: HashSet<&str> = repo.services.iter().map(|s| s.record.id.as_str()).collect();
    let mut unknown: BTreeMap<&str, &str> = BTreeMap::new();
    for incident in &parsed.incidents {
        if !known.contains(incident.service.as_str()) {
            unknown
                .entry(incident.service.as_str())
                .or_insert(incident.service_name.as_str());
        }
    }
    if !args.create_services {
        summary.services_unknown = unknown.keys().map(|s| s.to_string()).collect();
        return Ok(Vec::new());
    }
    let first = &repo.config.stages[0];
    let at = context
        .now
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let by = write::author(&repo.root);
    let mut planned = Vec::new();
    for (id, name) in unknown {
        let file = format!("services/{id}.yaml");
        let taken = ["yaml", "yml"]
            .iter()
            .map(|ext| format!("services/{id}.{ext}"))
            .find(|f| repo.root.join(f).symlink_metadata().is_ok());
        if let Some(taken) = taken {
            return Err(UserError::refused(
                format!(
                    "{taken} exists but holds no service `{id}` svc could load; nothing was written"
                ),
                "run `svc check` and fix that file, then import again",
            )
            .into());
        }
        let new_args = NewArgs {
            id: id.to_string(),
            name: name.to_string(),
            owner: id.to_string(),
            policy: args.policy.clone(),
            description: None,
            change: ChangeArgs {
                dry_run: args.dry_run,
                commit: false,
                at: None,
                note: Some("created by svc import servicenow".into()),
            },
        };
        let entry = HistoryEntry {
            state: first.clone(),
            at: at.clone(),
            by: by.clone(),
            note: new_args.change.note.clone(),
        };
        let text = super::new::template(&repo.config, &new_args, &entry);
        let service = crate::lifecycle::transition::revalidate(&file, &text)?;
        // One service that cannot be created stops the whole import: none is
        // created and no incident written.
        super::new::require_first_gate(repo, &service).map_err(|e| match e.downcast::<UserError>() {
            Ok(refusal) => anyhow::Error::from(UserError {
                message: format!(
                    "{}\n--create-services creates every unknown service or none; nothing was written",
                    refusal.message
                ),
                ..refusal
            }),
            Err(other) => other,
        })?;
        summary.services_created.push(id.to_string());
        planned.push((
            id.to_string(),
            Planned {
                file,
                original: None,
                text,
            },
        ));
    }
    Ok(planned)
}

/// What to do with each incident of the export, in its order.
fn plan_incidents(
    parsed: &Parsed,
    session: &write::Session,
    known: &HashSet<&str>,
) -> Vec<Outcome> {
    let repo = &session.repo;
    let mut existing: HashMap<&str, &Located<Incident>> = HashMap::new();
    for located in &repo.incidents {
        existing
            .entry(located.record.id.as_str())
            .or_insert(located);
        existing
            .entry(crate::model::file_stem(&located.file))
            .or_insert(located);
    }
    let unloaded: HashSet<&str> = repo
        .unloaded
        .iter()
        .filter(|u| u.kind.as_deref().is_none_or(|k| k == "Incident"))
        .map(|u| crate::model::file_stem(&u.file))
        .collect();
    let problems: HashSet<&str> = repo.problems.iter().map(|p| p.record.id.as_str()).collect();
    let changes: HashSet<&str> = repo.changes.iter().map(|c| c.record.id.as_str()).collect();
    let has_matrix = repo.config.priority_matrix.is_some();
    parsed
        .incidents
        .par_iter()
        .map(|incident| {
            if !known.contains(incident.service.as_str()) {
                return Outcome::Skipped("unknown-service", String::new());
            }
            let priority_known = incident.priority.is_some()
                || (has_matrix && incident.impact.is_some() && incident.urgency.is_some());
            if !priority_known {
                return Outcome::Skipped("no-priority", String::new());
            }
            let links = Links {
                problem: incident
                    .problem_id
                    .as_deref()
                    .filter(|p| problems.contains(p))
                    .map(str::to_string),
                caused_by_change: [&incident.caused_by, &incident.rfc]
                    .into_iter()
                    .flatten()
                    .find(|c| changes.contains(c.as_str()))
                    .cloned(),
            };
            let fresh = render::new_file(incident, &links);
            match existing.get(incident.id.as_str()) {
                Some(located) => update_existing(session, located, incident, &links, fresh),
                None if unloaded.contains(incident.id.as_str()) => Outcome::Skipped(
                    "existing-file-has-errors",
                    format!("{}: its file does not load (run `svc check`)", incident.id),
                ),
                None => {
                    let year = incident
                        .opened_at
                        .with_timezone(&repo.config.timezone)
                        .year();
                    let file = format!("incidents/{year:04}/{}.yaml", incident.id);
                    if session.root.join(&file).symlink_metadata().is_ok() {
                        return Outcome::Skipped(
                            "existing-file-has-errors",
                            format!("{file} exists but svc did not load it"),
                        );
                    }
                    Outcome::New(Planned {
                        file,
                        original: None,
                        text: fresh,
                    })
                }
            }
        })
        .collect()
}

/// An incident already in the repo: unchanged when its file is what a fresh
/// import would write (the common re-import, decided without reading the file
/// again) or when every imported field already holds the export's value;
/// otherwise its imported fields set by the editor.
fn update_existing(
    session: &write::Session,
    located: &Located<Incident>,
    incident: &Imported,
    links: &Links,
    fresh: String,
) -> Outcome {
    if repo::digest(fresh.as_bytes()) == located.digest {
        return Outcome::Unchanged;
    }
    let not_updated =
        |why: String| Outcome::Skipped("not-updated", format!("{}: {why}", located.file));
    let bytes = match session.read(located) {
        Ok(bytes) => bytes,
        Err(e) => return not_updated(e.to_string()),
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return not_updated("not UTF-8".into());
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match render::update(text, &located.record, incident, links) {
        Ok(None) => Outcome::Unchanged,
        Ok(Some(updated)) => {
            let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
                "\u{feff}"
            } else {
                ""
            };
            Outcome::Updated(Planned {
                file: located.file.clone(),
                text: format!("{bom}{updated}"),
                original: Some(bytes),
            })
        }
        Err(e) => not_updated(e.to_string()),
    }
}

/// Writes the planned files: no path through a symbolic link, no file that
/// changed (or appeared) since svc read it, folders made as needed, then every
/// file atomically in one batch.
fn write_all(root: &std::path::Path, planned: &[Planned]) -> Result<()> {
    for plan in planned {
        repo::refuse_links(root, &plan.file)?;
        write::refuse_if_changed(
            root,
            &plan.file,
            plan.original.as_deref(),
            "run the import again",
        )?;
    }
    let mut folders: Vec<&std::path::Path> = planned
        .iter()
        .filter_map(|p| std::path::Path::new(&p.file).parent())
        .collect();
    folders.sort_unstable();
    folders.dedup();
    for folder in folders {
        let dir = root.join(folder);
        if !dir.exists() {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
    }
    let files: Vec<(std::path::PathBuf, &[u8])> = planned
        .iter()
        .map(|p| (root.join(&p.file), p.text.as_bytes()))
        .collect();
    write_atomic_all(&files)
        .context("cannot write the imported files (run the import again to complete it)")?;
    Ok(())
}

/// The summary on stdout.
fn summary_text(file: &str, parsed: &Parsed, summary: &Summary, dry_run: bool) -> String {
    let name = std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned());
    let mut text = format!(
        "{}: {}, {}, {}{}\n",
        crate::render::sanitize(&name),
        parsed.shape.name(),
        crate::render::count(parsed.rows, "row", "rows"),
        crate::render::count(parsed.incidents.len(), "incident", "incidents"),
        if dry_run {
            " (dry run: nothing was written)"
        } else {
            ""
        },
    );
    text += &format!("written: {}\n", summary.written);
    text += &format!("updated: {}\n", summary.updated);
    text += &format!("unchanged: {}\n", summary.unchanged);
    let skipped: usize = summary.skipped.values().map(|(n, _)| n).sum();
    text += &format!("skipped: {skipped}\n");
    for (reason, (count, lines)) in &summary.skipped {
        let mut shown: Vec<String> = lines.iter().map(u64::to_string).collect();
        if *count > lines.len() {
            shown.push("…".into());
        }
        let word = if lines.len() == 1 { "line" } else { "lines" };
        text += &format!("  {reason}: {count} ({word} {})\n", shown.join(", "));
    }
    for why in &summary.not_updated {
        text += &format!("  not updated: {}\n", crate::render::sanitize(why));
    }
    text += &format!(
        "services created: {}{}\n",
        summary.services_created.len(),
        listed(&summary.services_created)
    );
    text += &format!(
        "services unknown: {}{}\n",
        summary.services_unknown.len(),
        listed(&summary.services_unknown)
    );
    if !summary.services_unknown.is_empty() {
        text += "  (their incidents were skipped; give --create-services to create them)\n";
    }
    text
}

/// ` (a, b, c, …)` for up to ten ids, nothing for none.
fn listed(ids: &[String]) -> String {
    if ids.is_empty() {
        return String::new();
    }
    let mut shown: Vec<&str> = ids.iter().take(10).map(String::as_str).collect();
    if ids.len() > 10 {
        shown.push("…");
    }
    format!(" ({})", shown.join(", "))
}
