//! Findings: what `svc check` reports. A diagnostic is data, never an `Err`; a rule
//! that finds a problem returns one and the run goes on.

use serde::Serialize;

use crate::yaml::Pos;

/// How serious a finding is; errors make `svc check` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The repo is wrong and must be fixed.
    Error,
    /// Probably a mistake; does not fail the check.
    Warning,
}

impl Severity {
    /// The lower-case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem at one place in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Kebab-case rule id, as in SPEC §2 and docs/check.md.
    pub rule: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// File relative to the repo root, with `/` separators.
    pub file: String,
    /// Where in the file (0-based).
    pub pos: Pos,
    /// Lower-case description of the problem.
    pub message: String,
    /// How to fix it, when that can be guessed.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error of `rule` at `pos` in `file`.
    pub fn error(rule: &'static str, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: Severity::Error,
            file: file.to_string(),
            pos,
            message: message.into(),
            help: None,
        }
    }

    /// A warning of `rule` at `pos` in `file`.
    pub fn warning(rule: &'static str, file: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(rule, file, pos, message)
        }
    }

    /// Adds a `help:` line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a "did you mean" help when one of `candidates` is close to `given`.
    pub fn with_suggestion<'a>(
        self,
        given: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        match did_you_mean(given, candidates) {
            Some(best) => self.with_help(format!("did you mean `{best}`?")),
            None => self,
        }
    }
}

/// The candidate closest to `given`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let given_lower = given.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&given_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Sorts diagnostics into the stable report order: file, line, column, rule, message.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.pos, a.rule, &a.message).cmp(&(&b.file, b.pos, b.rule, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("gld", ["gold", "silver"]), Some("gold"));
        assert_eq!(did_you_mean("ownr", ["owner", "tier"]), Some("owner"));
        assert_eq!(did_you_mean("zzz", ["gold", "silver"]), None);
    }
}
