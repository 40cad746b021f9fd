//! The catalog as Backstage `Component` entities (SPEC §10, docs/backstage.md).
//!
//! Each service becomes one entity. The lifecycle stage maps onto Backstage's
//! three conventional values around the **operating stage** (see
//! [`operating_stage`]): the stages before it are `experimental`, it is
//! `production`, the ones after it (deprecation and retirement) `deprecated`.
//! Names follow Backstage's rule for `metadata.name` (at most 63 characters of
//! `[A-Za-z0-9]` runs joined by `-`, `_` or `.`); an svc id that is longer gets
//! a shortened name with a hash of the id, and every entity carries the id it
//! came from in the `svc/id` annotation. A service left out of the SLA reports
//! for errors of its own (SPEC §3.4) is left out here too: its record cannot be
//! trusted to describe it.

use crate::model::config::Config;
use crate::model::{Records, Service};
use crate::sla::skip::{LeftOut, Skipped};

/// Backstage's `apiVersion` for catalog entities.
pub const API_VERSION: &str = "backstage.io/v1alpha1";

/// The most characters Backstage allows in `metadata.name`.
pub const MAX_NAME: usize = 63;

/// The annotation that names the svc service an entity came from.
pub const ID_ANNOTATION: &str = "svc/id";

/// The whole export: the entities and the services left out.
#[derive(Clone, Debug, PartialEq)]
pub struct Catalog {
    /// One entity per service, in service id order.
    pub components: Vec<Component>,
    /// Services left out for errors of their own, in file order.
    pub skipped: Vec<Skipped>,
}

/// One `kind: Component` entity.
#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    /// `metadata.name`: a valid Backstage name for the service id.
    pub name: String,
    /// `metadata.title`: the service's `name`, when it has one.
    pub title: Option<String>,
    /// `metadata.description`.
    pub description: Option<String>,
    /// `metadata.annotations`, in order.
    pub annotations: Vec<(String, String)>,
    /// `metadata.tags` (the tier: `tier-1`).
    pub tags: Vec<String>,
    /// `metadata.links`, in the order the service lists them.
    pub links: Vec<Link>,
    /// `spec.lifecycle`: `experimental`, `production` or `deprecated`.
    pub lifecycle: &'static str,
    /// `spec.owner`.
    pub owner: String,
    /// `spec.dependsOn`: `component:<name>` for each service depended on.
    pub depends_on: Vec<String>,
}

/// One entry of `metadata.links`.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// The URL.
    pub url: String,
    /// The key it had under the service's `links` (`runbook`).
    pub title: String,
}

/// The catalog of `records` as Backstage entities, leaving out the services
/// `left_out` names.
pub fn build(records: &Records, left_out: &LeftOut) -> Catalog {
    let config = &records.config;
    let operating = operating_stage(config);
    let mut skipped = Vec::new();
    let mut components = Vec::new();
    for located in &records.services {
        let service = &located.record;
        if let Some(entry) = left_out.own(&located.file, &service.id.value) {
            skipped.push(entry);
            continue;
        }
        components.push(component(service, config, operating));
    }
    components.sort_by(|a, b| a.name.cmp(&b.name));
    skipped.sort_by(|a, b| a.file.cmp(&b.file));
    Catalog {
        components,
        skipped,
    }
}

fn component(service: &Service, config: &Config, operating: Option<usize>) -> Component {
    let id = service.id.as_str();
    let non_empty = |text: Option<&str>| {
        text.map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let description = non_empty(service.document.get("description").and_then(|d| d.as_str()));
    let links = service
        .links
        .iter()
        .filter_map(|(key, url)| {
            let url = url.as_deref()?.trim();
            (!url.is_empty()).then(|| Link {
                url: url.to_string(),
                title: key.value.clone(),
            })
        })
        .collect();
    let mut depends_on: Vec<String> = Vec::new();
    for dependency in &service.depends_on {
        let reference = format!("component:{}", entity_name(&dependency.value));
        if !depends_on.contains(&reference) {
            depends_on.push(reference);
        }
    }
    Component {
        name: entity_name(id),
        title: non_empty(service.name.as_deref()),
        description,
        annotations: vec![(ID_ANNOTATION.to_string(), id.to_string())],
        tags: vec![format!("tier-{}", service.tier)],
        links,
        lifecycle: lifecycle(service.stage_name(), config, operating),
        owner: service
            .owner
            .as_ref()
            .map_or("", |o| o.as_str())
            .to_string(),
        depends_on,
    }
}

/// The index of the stage in which a service is in operation: the stage named
/// `operational` when svc.toml's stages have one (SPEC's default list does);
/// else the first stage before the terminal one with a gate of its own in
/// svc.toml (the gate is what makes a service fit to run); else the stage just
/// before the terminal one. `None` only for a single-stage lifecycle.
pub fn operating_stage(config: &Config) -> Option<usize> {
    let stages = &config.stages;
    if let Some(index) = config.stage_index("operational") {
        return Some(index);
    }
    let before_terminal = stages.len().checked_sub(1)?;
    stages[..before_terminal]
        .iter()
        .position(|stage| config.gates.contains_key(stage))
        .or_else(|| before_terminal.checked_sub(1))
}

/// `spec.lifecycle` for a service in `stage`. A stage svc.toml does not list
/// (an `unknown-stage` error in `svc check`) cannot be placed in the order and
/// is `experimental`: nothing vouches that it runs in production.
pub fn lifecycle(stage: Option<&str>, config: &Config, operating: Option<usize>) -> &'static str {
    let index = stage.and_then(|s| config.stage_index(s));
    match (index, operating) {
        (Some(index), Some(operating)) if index == operating => "production",
        (Some(index), Some(operating)) if index > operating => "deprecated",
        _ => "experimental",
    }
}

/// A valid Backstage `metadata.name` for the svc id `id`. A kebab id of at most
/// 63 characters already is one and is kept; a longer one is cut to 54
/// characters at a separator-free end and given `-` and 8 hex digits of a hash
/// of the whole id, so two long ids with one prefix stay apart. Characters
/// Backstage does not allow (only in an id `svc check` rejects) become `-`.
pub fn entity_name(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if cleaned == id && is_valid_name(id) {
        return id.to_string();
    }
    let separator = |c: char| matches!(c, '-' | '_' | '.');
    // Runs of separators (`a--b`) are not allowed either: keep the first.
    let mut stem = String::with_capacity(MAX_NAME);
    for c in cleaned.chars() {
        if stem.len() == MAX_NAME - 9 {
            break;
        }
        if separator(c) && stem.chars().next_back().is_none_or(separator) {
            continue;
        }
        stem.push(c);
    }
    let stem = stem.trim_end_matches(separator);
    let hash = fnv1a(id.as_bytes());
    if stem.is_empty() {
        format!("svc-{hash:08x}")
    } else {
        format!("{stem}-{hash:08x}")
    }
}

/// True for a name Backstage accepts in `metadata.name`.
pub fn is_valid_name(name: &str) -> bool {
    let separator = |c: char| matches!(c, '-' | '_' | '.');
    !name.is_empty()
        && name.len() <= MAX_NAME
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || separator(c))
        && !name.starts_with(separator)
        && !name.ends_with(separator)
        && !name
            .as_bytes()
            .windows(2)
            .any(|w| separator(char::from(w[0])) && separator(char::from(w[1])))
}

/// 32-bit FNV-1a: a stable hash (the same name on every machine and release).
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(toml: &str) -> Config {
        crate::model::config::parse(toml).0
    }

    #[test]
    fn default_stages_map_around_operational() {
        let config = Config::default();
        let operating = operating_stage(&config);
        let mapped: Vec<&str> = config
            .stages
            .iter()
            .map(|s| lifecycle(Some(s), &config, operating))
            .collect();
        assert_eq!(
            mapped,
            [
                "experimental",
                "experimental",
                "experimental",
                "experimental",
                "experimental",
                "production",
                "deprecated",
                "deprecated"
            ]
        );
        assert_eq!(
            lifecycle(Some("nowhere"), &config, operating),
            "experimental"
        );
        assert_eq!(lifecycle(None, &config, operating), "experimental");
    }

    #[test]
    fn custom_stages_use_the_first_gated_stage_else_the_one_before_the_end() {
        let gated = config(
            "[lifecycle]\nstages = [\"idea\", \"live\", \"sunset\", \"gone\"]\n\
             [lifecycle.gates.live]\nrequire = [\"owner\"]\n",
        );
        assert_eq!(operating_stage(&gated), Some(1));
        assert_eq!(lifecycle(Some("sunset"), &gated, Some(1)), "deprecated");
        let plain = config("[lifecycle]\nstages = [\"idea\", \"build\", \"live\", \"gone\"]\n");
        assert_eq!(operating_stage(&plain), Some(2));
    }

    #[test]
    fn names_are_valid_backstage_names() {
        assert_eq!(entity_name("payments-api"), "payments-api");
        let long = "a".repeat(60) + "-" + &"b".repeat(20);
        let name = entity_name(&long);
        assert!(is_valid_name(&name), "{name}");
        assert_eq!(name.len(), 63);
        assert_ne!(name, entity_name(&("a".repeat(60) + "-" + &"c".repeat(20))));
        let cut_at_separator = "x".repeat(53) + "-" + &"y".repeat(20);
        assert!(is_valid_name(&entity_name(&cut_at_separator)));
        for bad in ["", "-a", "a-", "a--b", "a b", &"a".repeat(64)] {
            assert!(!is_valid_name(bad), "{bad:?}");
            assert!(is_valid_name(&entity_name(bad)), "{bad:?}");
        }
    }
}
