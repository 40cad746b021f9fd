//! `unknown-stage`: a service stage or history stage not listed in `svc.toml`.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::decode::Spanned;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let stages = &context.repo.config.stages;
    for service in &context.repo.services {
        let record = &service.record;
        let history = record.history.iter().map(|h| &h.stage);
        for stage in std::iter::once(&record.stage).chain(history) {
            if stages.iter().all(|s| *s != stage.value) {
                out.push(unknown(&service.file, stage, stages));
            }
        }
    }
}

fn unknown(file: &str, stage: &Spanned<String>, stages: &[String]) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        Rule::UnknownStage,
        file,
        stage.pos,
        format!("unknown stage `{}`", stage.value),
    );
    match crate::diagnostic::did_you_mean(&stage.value, stages.iter().map(String::as_str)) {
        Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
        None => diagnostic.with_help(format!("the stages in svc.toml are: {}", stages.join(", "))),
    }
}
