//! `kind: SlaPolicy`: response and resolution targets per priority, objectives and
//! escalation steps.

use std::collections::BTreeMap;

use super::decode::{Decoder, Duration, Fields, Invalid, Spanned};
use crate::diagnostic::Rule;

/// The built-in calendar that counts every second.
pub const ALWAYS_ON: &str = "24x7";

/// An SLA policy.
#[derive(Clone, Debug)]
pub struct SlaPolicy {
    /// Lower-case kebab id.
    pub id: Spanned<String>,
    /// Display name.
    pub name: Option<String>,
    /// Calendar id; `None` means the built-in 24x7.
    pub calendar: Option<Spanned<String>>,
    /// Targets per priority (`P1`, ...), in key order; `None` for a priority
    /// whose targets are written but do not decode (reported once, at the
    /// policy, never again as `missing-target` on its incidents).
    pub targets: BTreeMap<String, Option<Targets>>,
    /// Objectives reported against (percentages 0–100).
    pub objectives: Objectives,
    /// Escalation steps, in the order written.
    pub escalation: Vec<EscalationStep>,
    /// Required fields that are missing and fields that did not decode.
    pub invalid: Invalid,
}

impl SlaPolicy {
    /// The calendar id this policy counts on (`24x7` when none is given).
    pub fn calendar_id(&self) -> &str {
        self.calendar
            .as_ref()
            .map_or(ALWAYS_ON, |c| c.value.as_str())
    }
}

/// Response and resolution targets for one priority.
#[derive(Clone, Debug)]
pub struct Targets {
    /// Where the priority key was written.
    pub pos: crate::yaml::Pos,
    /// Counted time allowed until the first response.
    pub response: Spanned<Duration>,
    /// Counted time allowed until resolution.
    pub resolution: Spanned<Duration>,
}

/// Optional objectives of a policy.
#[derive(Clone, Debug, Default)]
pub struct Objectives {
    /// Share of decided incidents that met both targets.
    pub compliance: Option<f64>,
    /// Availability per report period.
    pub availability: Option<f64>,
    /// Share of rated incidents scored 4 or 5.
    pub satisfaction: Option<f64>,
    /// Highest share of failed or rolled-back changes (lower is better).
    pub change_failure_rate: Option<f64>,
}

/// Who is told once the clock has run `after` percent of a target.
#[derive(Clone, Debug)]
pub struct EscalationStep {
    /// Percentage of the target elapsed.
    pub after: f64,
    /// Who is notified.
    pub notify: String,
}

pub(super) fn decode(
    decoder: &mut Decoder,
    fields: &mut Fields,
    id: Spanned<String>,
) -> Option<SlaPolicy> {
    let name = fields.get("name").and_then(|n| decoder.string(n, "name"));
    if let Some(n) = fields.get("description") {
        decoder.string(n, "description");
    }
    let calendar = fields
        .get("calendar")
        .and_then(|n| decoder.non_empty_string(n, "calendar"));
    let targets = fields
        .required(decoder, "targets", |d, n| Some(decode_targets(d, n)))
        .unwrap_or_default();
    let objectives = fields
        .get("objectives")
        .map(|n| decode_objectives(decoder, n))
        .unwrap_or_default();
    let escalation = fields
        .get("escalation")
        .map(|n| {
            decoder
                .list(n, "escalation")
                .unwrap_or_default()
                .iter()
                .filter_map(|step| decode_step(decoder, step))
                .collect()
        })
        .unwrap_or_default();
    Some(SlaPolicy {
        id,
        name: name.map(|n| n.value),
        calendar,
        targets,
        objectives,
        escalation,
        invalid: fields.invalid(),
    })
}

fn decode_targets(
    decoder: &mut Decoder,
    node: &crate::yaml::Node,
) -> BTreeMap<String, Option<Targets>> {
    let mut targets = BTreeMap::new();
    if decoder.fields(node, "targets").is_none() {
        return targets;
    }
    if node.as_map().is_some_and(<[_]>::is_empty) {
        decoder.push(
            crate::diagnostic::Diagnostic::error(
                Rule::Schema,
                decoder.file,
                node.pos,
                "a policy needs at least one priority target",
            )
            .with_help("add a target such as `P1: { response: 15m, resolution: 4h }`"),
        );
        return targets;
    }
    for (key, value) in node.as_map().unwrap_or_default() {
        let Some(priority) = decoder.string(key, "targets") else {
            continue;
        };
        let Some(mut fields) = decoder.fields(value, &format!("targets.{}", priority.value)) else {
            targets.insert(priority.value, None);
            continue;
        };
        let response = fields
            .require(decoder, "response", &format!("targets.{}", priority.value))
            .and_then(|n| decoder.duration(n, "response"));
        let resolution = fields
            .require(
                decoder,
                "resolution",
                &format!("targets.{}", priority.value),
            )
            .and_then(|n| decoder.duration(n, "resolution"));
        fields.finish(decoder);
        let decoded = match (response, resolution) {
            (Some(response), Some(resolution)) => Some(Targets {
                pos: key.pos,
                response,
                resolution,
            }),
            _ => None,
        };
        targets.insert(priority.value, decoded);
    }
    targets
}

fn decode_objectives(decoder: &mut Decoder, node: &crate::yaml::Node) -> Objectives {
    let Some(mut fields) = decoder.fields(node, "objectives") else {
        return Objectives::default();
    };
    let mut percent = |key: &'static str| {
        fields
            .get(key)
            .and_then(|n| decoder.percent(n, key))
            .map(|p| p.value)
    };
    let objectives = Objectives {
        compliance: percent("compliance"),
        availability: percent("availability"),
        satisfaction: percent("satisfaction"),
        change_failure_rate: percent("change_failure_rate"),
    };
    fields.finish(decoder);
    objectives
}

fn decode_step(decoder: &mut Decoder, node: &crate::yaml::Node) -> Option<EscalationStep> {
    let mut fields = decoder.fields(node, "escalation step")?;
    let after = fields
        .require(decoder, "after", "escalation step")
        .and_then(|n| decoder.percent_up_to(n, "after", None));
    let notify = fields
        .require(decoder, "notify", "escalation step")
        .and_then(|n| decoder.non_empty_string(n, "notify"));
    fields.finish(decoder);
    Some(EscalationStep {
        after: after?.value,
        notify: notify?.value,
    })
}
