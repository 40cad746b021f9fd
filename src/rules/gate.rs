//! `gate`: the gates of a service's stage (and of every earlier stage) do not hold.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::lifecycle::{GateFailure, gate_failures};

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let config = &context.records.config;
    for service in &context.records.services {
        let record = &service.record;
        let Some(stage) = record.stage() else {
            continue;
        };
        for failure in gate_failures(config, record, stage, &context.neighbours) {
            let help = match &failure {
                GateFailure::MissingField { path, .. } => format!("add `{path}` to the service"),
                GateFailure::OpenIncidents { .. } => "resolve the open incidents first".to_string(),
                GateFailure::ActiveDependents { .. } => {
                    "retire the dependents or drop this service from their `depends_on`".to_string()
                }
            };
            out.push(
                Diagnostic::error(
                    Rule::Gate,
                    &service.file,
                    stage.pos,
                    format!(
                        "service `{}` is `{}`, but {}",
                        record.id.value,
                        stage.value,
                        failure.describe()
                    ),
                )
                .with_help(help),
            );
        }
    }
}
