//! `priority-matrix` (warning): an incident gives `priority`, `impact` and
//! `urgency`, and the priority is not the matrix's for that impact and urgency.
//! ServiceNow allows such an override; svc makes it visible. Without a matrix in
//! svc.toml there is nothing to disagree with.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::incident::PrioritySource;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let Some(matrix) = &context.records.config.priority_matrix else {
        return;
    };
    for incident in &context.records.incidents {
        let record = &incident.record;
        if record.priority_source != PrioritySource::Written {
            continue;
        }
        let (Some(priority), Some(impact), Some(urgency)) =
            (&record.priority, &record.impact, &record.urgency)
        else {
            continue;
        };
        let Some(expected) = matrix.lookup(impact.value, urgency.value) else {
            continue;
        };
        if expected == priority.value {
            continue;
        }
        out.push(
            Diagnostic::warning(
                Rule::PriorityMatrix,
                &incident.file,
                priority.pos,
                format!(
                    "`priority` is `{}`, but the priority matrix gives `{expected}` for impact {} and urgency {}",
                    priority.value, impact.value, urgency.value
                ),
            )
            .with_help(format!(
                "if the override is meant, leave it; otherwise set `priority: {expected}` or remove it to use the matrix"
            )),
        );
    }
}
