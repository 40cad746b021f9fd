//! The stage machine and its gates (SPEC §4). Pure: it answers whether a service
//! may be in (or move to) a stage and what is missing; it never writes files.

pub mod report;
pub mod transition;

use std::collections::HashMap;

use crate::model::{Config, Incident, Located, Service};
use crate::yaml::{Node, Value};

/// Why a gate does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GateFailure {
    /// A required field path is missing or empty.
    MissingField {
        /// The stage whose gate requires it.
        stage: String,
        /// Dotted path.
        path: String,
        /// A key beside it that is probably the same field misspelt
        /// (`links.runbok` for `links.runbook`), as a dotted path.
        near_miss: Option<String>,
    },
    /// Unresolved incidents on the service.
    OpenIncidents {
        /// The stage whose gate forbids them.
        stage: String,
        /// Their ids.
        ids: Vec<String>,
    },
    /// Non-retired services that depend on it.
    ActiveDependents {
        /// The stage whose gate forbids them.
        stage: String,
        /// Their ids.
        ids: Vec<String>,
    },
}

impl GateFailure {
    /// The stage whose gate failed.
    pub fn stage(&self) -> &str {
        match self {
            GateFailure::MissingField { stage, .. }
            | GateFailure::OpenIncidents { stage, .. }
            | GateFailure::ActiveDependents { stage, .. } => stage,
        }
    }

    /// A short name of what is missing, as listed in `missing` of the lifecycle report.
    pub fn missing(&self) -> String {
        match self {
            GateFailure::MissingField { path, .. } => path.clone(),
            GateFailure::OpenIncidents { ids, .. } => {
                format!("no_open_incidents ({})", ids.join(", "))
            }
            GateFailure::ActiveDependents { ids, .. } => {
                format!("no_active_dependents ({})", ids.join(", "))
            }
        }
    }

    /// A sentence describing the failure.
    pub fn describe(&self) -> String {
        match self {
            GateFailure::MissingField {
                stage,
                path,
                near_miss,
            } => {
                let near = near_miss
                    .as_ref()
                    .map(|near| format!(" (there is `{near}`: misspelt?)"))
                    .unwrap_or_default();
                format!("the `{stage}` gate requires `{path}`, which is missing or empty{near}")
            }
            GateFailure::OpenIncidents { stage, ids } => {
                format!(
                    "the `{stage}` gate requires no open incidents, but {} open: {}",
                    ids.len(),
                    ids.join(", ")
                )
            }
            GateFailure::ActiveDependents { stage, ids } => format!(
                "the `{stage}` gate requires no active dependents, but {} on it: {}",
                match ids.len() {
                    1 => "1 service depends".to_string(),
                    n => format!("{n} services depend"),
                },
                ids.join(", ")
            ),
        }
    }
}

/// What gates look at beyond the service itself: its incidents and dependents.
pub struct Neighbours<'r> {
    open_incidents: HashMap<&'r str, Vec<&'r str>>,
    active_dependents: HashMap<&'r str, Vec<&'r str>>,
}

impl<'r> Neighbours<'r> {
    /// Indexes open incidents per service and non-retired dependents per service.
    pub fn new(
        config: &Config,
        services: &'r [Located<Service>],
        incidents: &'r [Located<Incident>],
    ) -> Self {
        let mut open_incidents: HashMap<&str, Vec<&str>> = HashMap::new();
        for incident in incidents {
            if let Some(service) = incident.record.service_id()
                && incident.record.is_unresolved()
            {
                open_incidents
                    .entry(service)
                    .or_default()
                    .push(incident.record.id.as_str());
            }
        }
        let terminal = config.terminal_stage();
        let mut active_dependents: HashMap<&str, Vec<&str>> = HashMap::new();
        for service in services.iter().filter(|s| !s.record.is_in(terminal)) {
            for dependency in &service.record.depends_on {
                active_dependents
                    .entry(dependency.as_str())
                    .or_default()
                    .push(service.record.id.as_str());
            }
        }
        Neighbours {
            open_incidents,
            active_dependents,
        }
    }
}

/// The stages whose gates a service in (or moving to) `target` must hold: every
/// stage up to and including `target`, in order — except the terminal stage,
/// which a service may reach from any stage without entering those in between,
/// so it is held to its own gate only (SPEC §4).
pub fn gated_stages<'c>(config: &'c Config, target: &str) -> &'c [String] {
    match config.stage_index(target) {
        Some(last) if last + 1 == config.stages.len() => &config.stages[last..],
        Some(last) => &config.stages[..=last],
        None => &[],
    }
}

/// Everything that keeps `service` from being in `target`: the gates of
/// [`gated_stages`], in stage order.
pub fn gate_failures(
    config: &Config,
    service: &Service,
    target: &str,
    neighbours: &Neighbours,
) -> Vec<GateFailure> {
    let mut failures = Vec::new();
    for stage in gated_stages(config, target) {
        let Some(gate) = config.gates.get(stage) else {
            continue;
        };
        for path in &gate.require {
            if !is_present(&service.document, path) {
                failures.push(GateFailure::MissingField {
                    stage: stage.clone(),
                    path: path.clone(),
                    near_miss: near_miss(&service.document, path),
                });
            }
        }
        let id = service.id.as_str();
        let listed = |index: &HashMap<&str, Vec<&str>>| {
            let mut ids: Vec<String> = index
                .get(id)
                .into_iter()
                .flatten()
                .map(|s| s.to_string())
                .collect();
            ids.sort();
            ids
        };
        if gate.no_open_incidents {
            let ids = listed(&neighbours.open_incidents);
            if !ids.is_empty() {
                failures.push(GateFailure::OpenIncidents {
                    stage: stage.clone(),
                    ids,
                });
            }
        }
        if gate.no_active_dependents {
            let ids = listed(&neighbours.active_dependents);
            let ids: Vec<String> = ids.into_iter().filter(|d| d != id).collect();
            if !ids.is_empty() {
                failures.push(GateFailure::ActiveDependents {
                    stage: stage.clone(),
                    ids,
                });
            }
        }
    }
    failures
}

/// A key beside the last segment of `path` that is close to it: the field the
/// user meant to write (`links.runbok` when `links.runbook` is required).
fn near_miss(document: &Node, path: &str) -> Option<String> {
    let (parent_path, last) = match path.rsplit_once('.') {
        Some((parent, last)) => (Some(parent), last),
        None => (None, path),
    };
    let mut parent = document;
    for key in parent_path.into_iter().flat_map(|p| p.split('.')) {
        parent = parent.get(key)?;
    }
    let keys = parent.as_map()?.iter().filter_map(|(k, _)| k.as_str());
    let keys: Vec<&str> = keys.filter(|k| *k != last).collect();
    let best = crate::diagnostic::did_you_mean(last, keys)?;
    Some(match parent_path {
        Some(parent) => format!("{parent}.{best}"),
        None => best.to_string(),
    })
}

/// True when the dotted `path` names a value in `document` that is not null or empty.
pub fn is_present(document: &Node, path: &str) -> bool {
    let mut node = document;
    for key in path.split('.') {
        match node.get(key) {
            Some(next) => node = next,
            None => return false,
        }
    }
    match &node.value {
        Value::Scalar { text, .. } => !node.is_null() && !text.trim().is_empty(),
        Value::Seq(items) => !items.is_empty(),
        Value::Map(entries) => !entries.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths_must_be_non_empty() {
        let doc = crate::yaml::parse_document("a:\n  b: x\n  c: ''\n  d: []\n  e: ~\n")
            .unwrap()
            .unwrap();
        assert!(is_present(&doc, "a.b"));
        assert!(!is_present(&doc, "a.c"));
        assert!(!is_present(&doc, "a.d"));
        assert!(!is_present(&doc, "a.e"));
        assert!(!is_present(&doc, "a.z"));
        assert!(!is_present(&doc, "a.b.c"));
    }
}
