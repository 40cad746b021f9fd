//! `unknown-stage`: a service stage or history stage not listed in `svc.toml`.
//! (A change's or a problem's state is one of a fixed list, checked while decoding.)

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::decode::Spanned;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let stages = &context.records.config.stages;
    for service in &context.records.services {
        let Some(lifecycle) = &service.record.lifecycle else {
            continue;
        };
        let history = lifecycle.history.iter().map(|h| &h.state);
        for stage in std::iter::once(&lifecycle.state).chain(history) {
            if stages.iter().all(|s| *s != stage.value) {
                out.push(unknown(&service.file, stage, stages));
            }
        }
    }
}

fn unknown(file: &str, stage: &Spanned<String>, stages: &[String]) -> Diagnostic {
    Diagnostic::error(
        Rule::UnknownStage,
        file,
        stage.pos,
        format!("unknown stage `{}`", stage.value),
    )
    .with_suggestion_or(
        &stage.value,
        stages.iter().map(String::as_str),
        format!("the stages in svc.toml are: {}", stages.join(", ")),
    )
}
