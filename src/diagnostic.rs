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

/// Every rule of `svc check` (SPEC §2): a closed set, so no diagnostic can name a
/// rule that the docs, the SARIF `rules` array and the tests do not know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// `yaml-syntax`: The file is not one valid YAML document.
    YamlSyntax,
    /// `schema`: A required field is missing, a value has the wrong type, a field is unknown or an enum value is not allowed.
    Schema,
    /// `id-mismatch`: A record's id differs from its file name, or is malformed.
    IdMismatch,
    /// `duplicate-id`: Two records of one kind share an id.
    DuplicateId,
    /// `unknown-reference`: A reference names a record that does not exist.
    UnknownReference,
    /// `dependency-cycle`: Services depend on each other in a cycle.
    DependencyCycle,
    /// `unreadable`: The file cannot be read, or is not UTF-8.
    Unreadable,
    /// `timestamp`: A timestamp has no offset, or timestamps are out of order.
    Timestamp,
    /// `unknown-stage`: A stage is not one of svc.toml's lifecycle stages.
    UnknownStage,
    /// `history`: A history goes backwards, or does not end at the current stage or state.
    History,
    /// `gate`: A service's stage gates do not hold.
    Gate,
    /// `missing-target`: An incident's priority has no target in its service's policy.
    MissingTarget,
    /// `retired-service`: A record was opened after its service was retired.
    RetiredService,
    /// `business-days`: A policy on a business calendar uses `d` durations.
    BusinessDays,
    /// `future-timestamp`: A recorded fact lies after the current time.
    FutureTimestamp,
    /// `priority-matrix`: An incident's priority disagrees with the priority matrix.
    PriorityMatrix,
    /// `unknown-link`: A key under `links` is close to a known link name.
    UnknownLink,
    /// `unlisted-folder`: A folder outside `include` holds svc records.
    UnlistedFolder,
    /// `postmortem`: A resolved incident has neither a root cause nor a postmortem in time.
    Postmortem,
    /// `change-approval`: A change went ahead without the approval it needs.
    ChangeApproval,
    /// `change-plan`: An approved change lacks a rollback or verification plan.
    ChangePlan,
    /// `change-window`: A change window is missing, inverted or inside a freeze.
    ChangeWindow,
    /// `change-outcome`: An implemented change lacks its start, or a reviewed one its outcome.
    ChangeOutcome,
    /// `change-conflict`: Two open changes of one service have overlapping windows.
    ChangeConflict,
    /// `problem-state`: A problem's state lacks what it requires.
    ProblemState,
    /// `action-overdue`: An improvement action is not done after its due date.
    ActionOverdue,
    /// `recurring-incidents`: Incidents of one service and category recur without a linked problem.
    RecurringIncidents,
}

impl Rule {
    /// Every rule, in the order of SPEC §2 (docs/check.md lists them so).
    pub const ALL: [Rule; 27] = [
        Rule::YamlSyntax,
        Rule::Schema,
        Rule::IdMismatch,
        Rule::DuplicateId,
        Rule::UnknownReference,
        Rule::DependencyCycle,
        Rule::Unreadable,
        Rule::Timestamp,
        Rule::UnknownStage,
        Rule::History,
        Rule::Gate,
        Rule::MissingTarget,
        Rule::RetiredService,
        Rule::BusinessDays,
        Rule::FutureTimestamp,
        Rule::PriorityMatrix,
        Rule::UnknownLink,
        Rule::UnlistedFolder,
        Rule::Postmortem,
        Rule::ChangeApproval,
        Rule::ChangePlan,
        Rule::ChangeWindow,
        Rule::ChangeOutcome,
        Rule::ChangeConflict,
        Rule::ProblemState,
        Rule::ActionOverdue,
        Rule::RecurringIncidents,
    ];

    /// The kebab-case id printed in every output format.
    pub fn id(self) -> &'static str {
        match self {
            Rule::YamlSyntax => "yaml-syntax",
            Rule::Schema => "schema",
            Rule::IdMismatch => "id-mismatch",
            Rule::DuplicateId => "duplicate-id",
            Rule::UnknownReference => "unknown-reference",
            Rule::DependencyCycle => "dependency-cycle",
            Rule::Unreadable => "unreadable",
            Rule::Timestamp => "timestamp",
            Rule::UnknownStage => "unknown-stage",
            Rule::History => "history",
            Rule::Gate => "gate",
            Rule::MissingTarget => "missing-target",
            Rule::RetiredService => "retired-service",
            Rule::BusinessDays => "business-days",
            Rule::FutureTimestamp => "future-timestamp",
            Rule::PriorityMatrix => "priority-matrix",
            Rule::UnknownLink => "unknown-link",
            Rule::UnlistedFolder => "unlisted-folder",
            Rule::Postmortem => "postmortem",
            Rule::ChangeApproval => "change-approval",
            Rule::ChangePlan => "change-plan",
            Rule::ChangeWindow => "change-window",
            Rule::ChangeOutcome => "change-outcome",
            Rule::ChangeConflict => "change-conflict",
            Rule::ProblemState => "problem-state",
            Rule::ActionOverdue => "action-overdue",
            Rule::RecurringIncidents => "recurring-incidents",
        }
    }

    /// The severity SPEC §2 gives the rule. A few rules also raise the other
    /// severity in documented cases (a freeze overlap of an emergency change is
    /// a `change-window` warning).
    pub fn severity(self) -> Severity {
        match self {
            Rule::RetiredService
            | Rule::BusinessDays
            | Rule::FutureTimestamp
            | Rule::PriorityMatrix
            | Rule::UnknownLink
            | Rule::UnlistedFolder
            | Rule::Postmortem
            | Rule::ChangeConflict
            | Rule::ActionOverdue
            | Rule::RecurringIncidents => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// One sentence on what the rule finds (SARIF `shortDescription`).
    pub fn summary(self) -> &'static str {
        match self {
            Rule::YamlSyntax => "The file is not one valid YAML document.",
            Rule::Schema => {
                "A required field is missing, a value has the wrong type, a field is unknown or an enum value is not allowed."
            }
            Rule::IdMismatch => "A record's id differs from its file name, or is malformed.",
            Rule::DuplicateId => "Two records of one kind share an id.",
            Rule::UnknownReference => "A reference names a record that does not exist.",
            Rule::DependencyCycle => "Services depend on each other in a cycle.",
            Rule::Unreadable => "The file cannot be read, or is not UTF-8.",
            Rule::Timestamp => "A timestamp has no offset, or timestamps are out of order.",
            Rule::UnknownStage => "A stage is not one of svc.toml's lifecycle stages.",
            Rule::History => {
                "A history goes backwards, or does not end at the current stage or state."
            }
            Rule::Gate => "A service's stage gates do not hold.",
            Rule::MissingTarget => "An incident's priority has no target in its service's policy.",
            Rule::RetiredService => "A record was opened after its service was retired.",
            Rule::BusinessDays => "A policy on a business calendar uses `d` durations.",
            Rule::FutureTimestamp => "A recorded fact lies after the current time.",
            Rule::PriorityMatrix => "An incident's priority disagrees with the priority matrix.",
            Rule::UnknownLink => "A key under `links` is close to a known link name.",
            Rule::UnlistedFolder => "A folder outside `include` holds svc records.",
            Rule::Postmortem => {
                "A resolved incident has neither a root cause nor a postmortem in time."
            }
            Rule::ChangeApproval => "A change went ahead without the approval it needs.",
            Rule::ChangePlan => "An approved change lacks a rollback or verification plan.",
            Rule::ChangeWindow => "A change window is missing, inverted or inside a freeze.",
            Rule::ChangeOutcome => {
                "An implemented change lacks its start, or a reviewed one its outcome."
            }
            Rule::ChangeConflict => "Two open changes of one service have overlapping windows.",
            Rule::ProblemState => "A problem's state lacks what it requires.",
            Rule::ActionOverdue => "An improvement action is not done after its due date.",
            Rule::RecurringIncidents => {
                "Incidents of one service and category recur without a linked problem."
            }
        }
    }

    /// The rule with this id.
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|rule| rule.id() == id)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// One problem at one place in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The rule that found it.
    pub rule: Rule,
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
    pub fn error(rule: Rule, file: &str, pos: Pos, message: impl Into<String>) -> Self {
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
    pub fn warning(rule: Rule, file: &str, pos: Pos, message: impl Into<String>) -> Self {
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

    /// Adds a "did you mean" help when one of `candidates` is close to `given`,
    /// else `fallback`.
    pub fn with_suggestion_or<'a>(
        self,
        given: &str,
        candidates: impl IntoIterator<Item = &'a str>,
        fallback: impl Into<String>,
    ) -> Self {
        let help = suggestion(given, candidates, fallback);
        self.with_help(help)
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

/// `did you mean `X`?` when one of `candidates` is close to `given`, else `fallback`:
/// the help line of every suggestion svc makes, in diagnostics and refusals alike.
pub fn suggestion<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    fallback: impl Into<String>,
) -> String {
    match did_you_mean(given, candidates) {
        Some(best) => format!("did you mean `{best}`?"),
        None => fallback.into(),
    }
}

/// The candidate closest to `given`, if it is close enough to be a likely typo.
/// For many values over one candidate set, use a [`Suggester`]: it gives the
/// same answers, once per distinct value and within a bounded cost.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    Suggester::new(candidates).suggest(given)
}

/// Least Jaro-Winkler similarity for a suggestion.
const SIMILAR: f64 = 0.8;

/// Most candidates one [`Suggester`] compares a value with, over all values:
/// the hints of a repo with thousands of misspelt references stop there
/// instead of costing values × candidates comparisons (issue 11, finding 12:
/// 5,000 services each with a misspelt `depends_on` took 11.6 s). A normal
/// repo never comes near it: that is 50 distinct unknown references among
/// 5,000 services, or 500 among 500.
pub const SUGGESTION_BUDGET: usize = 250_000;

/// "Did you mean" for many values over one candidate set: the candidates are
/// lower-cased once, each distinct value is looked up once, a cheap bound on
/// the similarity skips candidates that cannot reach [`SIMILAR`] without
/// computing it, and all lookups together compare at most
/// [`SUGGESTION_BUDGET`] candidates. Its answers are those of comparing every
/// candidate (the bound never skips a candidate that would be suggested), until
/// the budget runs out; then values not yet seen get no suggestion.
///
/// Nothing is prepared until the first lookup: a check that finds no unknown
/// reference pays only for collecting the ids (issue 12's 5 % bound on
/// `svc check`), not for lower-casing and sorting 100,000 of them.
pub struct Suggester<'a> {
    /// The candidates as given, until the first lookup prepares them.
    given: Vec<&'a str>,
    /// Sort `given` (unstably, by text) before preparing it.
    sort: bool,
    candidates: Vec<Candidate<'a>>,
    seen: std::collections::HashMap<String, Option<&'a str>>,
    compared: usize,
}

/// One candidate, prepared for comparisons.
struct Candidate<'a> {
    text: &'a str,
    lower: String,
    /// Characters in `lower`.
    length: usize,
    /// `lower` sorted, for counting the characters two strings share.
    sorted: Vec<char>,
}

impl<'a> Suggester<'a> {
    /// A suggester over `candidates` (their order breaks ties, as in [`did_you_mean`]).
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        Suggester {
            given: candidates.into_iter().collect(),
            sort: false,
            candidates: Vec::new(),
            seen: std::collections::HashMap::new(),
            compared: 0,
        }
    }

    /// A suggester over `candidates` in sorted order (ties go to the last).
    pub fn sorted(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        Suggester {
            sort: true,
            ..Suggester::new(candidates)
        }
    }

    /// Lower-cases and indexes the candidates, once.
    fn prepare(&mut self) {
        if self.given.is_empty() {
            return;
        }
        let mut given = std::mem::take(&mut self.given);
        if self.sort {
            given.sort_unstable();
        }
        self.candidates = given
            .into_iter()
            .map(|text| {
                let lower = text.to_lowercase();
                let mut sorted: Vec<char> = lower.chars().collect();
                sorted.sort_unstable();
                Candidate {
                    text,
                    length: sorted.len(),
                    lower,
                    sorted,
                }
            })
            .collect();
    }

    /// The candidate closest to `given`, if it is close enough to be a likely typo.
    pub fn suggest(&mut self, given: &str) -> Option<&'a str> {
        if let Some(known) = self.seen.get(given) {
            return *known;
        }
        let best = self.search(given);
        self.seen.insert(given.to_string(), best);
        best
    }

    /// How many candidate comparisons all lookups made so far.
    pub fn comparisons(&self) -> usize {
        self.compared
    }

    fn search(&mut self, given: &str) -> Option<&'a str> {
        self.prepare();
        if self.compared.saturating_add(self.candidates.len()) > SUGGESTION_BUDGET {
            return None;
        }
        self.compared += self.candidates.len();
        let lower = given.to_lowercase();
        let mut sorted: Vec<char> = lower.chars().collect();
        sorted.sort_unstable();
        let mut best: Option<(f64, &'a str)> = None;
        let number = !lower.is_empty() && lower.chars().all(|c| c.is_ascii_digit());
        for candidate in &self.candidates {
            // A bare number is compared with every candidate (`1` means
            // `sev1` too); anything else only where the bound allows.
            if !number && !may_be_similar(&lower, &sorted, candidate) {
                continue;
            }
            let Some(score) = likely_meant(&lower, &candidate.lower) else {
                continue;
            };
            // `>=`: the last of equal scores wins, as `Iterator::max_by` does.
            if best.is_none_or(|(top, _)| score >= top) {
                best = Some((score, candidate.text));
            }
        }
        best.map(|(_, text)| text)
    }
}

/// False when `given` (lower-cased, and its characters sorted) cannot reach
/// [`SIMILAR`] with `candidate`, by a bound that needs no Jaro matching. Jaro
/// is (m/|a| + m/|b| + (m − t)/m) / 3 with m matching characters, so it is at
/// most (c/|a| + c/|b| + 1) / 3 where c counts the characters the two share;
/// Jaro-Winkler adds 0.1 · l · (1 − jaro) for a common prefix l ≤ 4 only when
/// jaro exceeds 0.7. So a score of 0.8 needs jaro ≥ (0.8 − 0.1 l) / (1 − 0.1 l)
/// and above 0.7.
fn may_be_similar(given: &str, sorted: &[char], candidate: &Candidate) -> bool {
    let (a, b) = (sorted.len(), candidate.length);
    if a == 0 || b == 0 {
        return a == b;
    }
    let prefix = given
        .chars()
        .zip(candidate.lower.chars())
        .take(4)
        .take_while(|(x, y)| x == y)
        .count() as f64;
    let needed = ((SIMILAR - 0.1 * prefix) / (1.0 - 0.1 * prefix)).max(0.7);
    let shared = shared_characters(sorted, &candidate.sorted) as f64;
    let bound = (shared / a as f64 + shared / b as f64 + 1.0) / 3.0;
    // A margin for rounding: only what surely falls short is skipped.
    bound >= needed - 1e-9
}

/// How many characters two sorted character lists share, with multiplicity.
fn shared_characters(a: &[char], b: &[char]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

/// How close `candidate` is to `given` (both lower-cased) when it is likely
/// what was meant, else `None`. A bare number means the candidate with that
/// number (`priority: 1` → `P1`). Otherwise the Jaro-Winkler similarity must be
/// at least 0.8 *and* the part where the words differ, after their common
/// start and end, must be mostly kept: Jaro-Winkler alone rates a shared
/// prefix so high that `team-nope` came out as `team-shop` (issue 18).
fn likely_meant(given: &str, candidate: &str) -> Option<f64> {
    let digits: String = candidate.chars().filter(char::is_ascii_digit).collect();
    if !given.is_empty() && given.chars().all(|c| c.is_ascii_digit()) && digits == given {
        return Some(1.0);
    }
    let score = strsim::jaro_winkler(given, candidate);
    (score >= SIMILAR && few_edits(given, candidate)).then_some(score)
}

/// True when the differing middles of `a` and `b` (after their common prefix
/// and suffix) are at most half edited, counting a swap of neighbours as one
/// edit: `ownr`/`owner` and `tema`/`team` are, `nope`/`shop` is not.
fn few_edits(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let shortest = a.len().min(b.len());
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(shortest - prefix)
        .take_while(|(x, y)| x == y)
        .count();
    let middle = |w: &[char]| w[prefix..w.len() - suffix].iter().collect::<String>();
    let (a, b) = (middle(&a), middle(&b));
    let longest = a.chars().count().max(b.chars().count());
    strsim::osa_distance(&a, &b) <= (longest / 2).max(1)
}

/// Sorts diagnostics into the stable report order: file, line, column, rule, message.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.pos, a.rule.id(), &a.message).cmp(&(&b.file, b.pos, b.rule.id(), &b.message))
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

    /// Issue 18: a shared prefix is not a typo, a bare number names its
    /// priority, and the good suggestions stay.
    #[test]
    fn dissimilar_words_are_not_suggested_and_numbers_find_their_priority() {
        let owners = ["team-shop", "team-payments", "team-sre"];
        assert_eq!(did_you_mean("team-nope", owners), None);
        assert_eq!(did_you_mean("team-shpo", owners), Some("team-shop"));
        assert_eq!(did_you_mean("tema-payments", owners), Some("team-payments"));
        let priorities = ["P1", "P2", "P3", "P4"];
        assert_eq!(did_you_mean("1", priorities), Some("P1"));
        assert_eq!(did_you_mean("p3", priorities), Some("P3"));
        assert_eq!(did_you_mean("7", priorities), None);
        for (given, meant) in [
            ("paymnts-api", "payments-api"),
            ("chekout", "checkout"),
            ("Europe/Berln", "Europe/Berlin"),
            ("opertional", "operational"),
            ("acknowleged_at", "acknowledged_at"),
            ("runbok", "runbook"),
        ] {
            assert_eq!(did_you_mean(given, [meant, "zzz"]), Some(meant), "{given}");
        }
    }

    /// The suggester answers as comparing every candidate with plain
    /// Jaro-Winkler does: the cheap bound never skips a suggestion.
    #[test]
    fn suggester_matches_the_exhaustive_search() {
        let exhaustive = |given: &str, candidates: &[&'static str]| {
            let given = given.to_lowercase();
            candidates
                .iter()
                .filter_map(|c| likely_meant(&given, &c.to_lowercase()).map(|s| (s, *c)))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, c)| c)
        };
        let candidates = [
            "payments-api",
            "payments-web",
            "auth",
            "search",
            "gold",
            "silver",
            "P1",
            "p2",
            "operational",
            "Europe/Berlin",
            "a",
            "ab",
            "abc",
            "ba",
            "checkout-web",
            "名前",
        ];
        let values = [
            "paymnts-api",
            "payments",
            "Auth",
            "serch",
            "gld",
            "P3",
            "opertional",
            "europe/berln",
            "b",
            "ba",
            "cab",
            "x",
            "",
            "checkout",
            "名",
            "payments-apii",
            "a-uth",
            "zzzzzzzz",
        ];
        for value in values {
            assert_eq!(
                did_you_mean(value, candidates),
                exhaustive(value, &candidates),
                "{value:?}"
            );
        }
    }

    /// 5,000 misspelt references over 5,000 ids: the comparisons stay within
    /// the budget, each distinct value is looked up once, and the early ones
    /// still get their suggestion.
    #[test]
    fn thousands_of_misspellings_cost_a_bounded_number_of_comparisons() {
        let ids: Vec<String> = (0..5_000).map(|i| format!("service-{i:04}")).collect();
        let mut suggester = Suggester::new(ids.iter().map(String::as_str));
        assert_eq!(suggester.suggest("servce-0001"), Some("service-0001"));
        for i in 0..5_000 {
            suggester.suggest(&format!("servce-{i:04}"));
            suggester.suggest(&format!("servce-{i:04}"));
        }
        assert!(
            suggester.comparisons() <= SUGGESTION_BUDGET,
            "{}",
            suggester.comparisons()
        );
        assert_eq!(suggester.suggest("servce-0001"), Some("service-0001"));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    proptest! {
        /// The bound in `may_be_similar` never changes a suggestion.
        #[test]
        fn suggester_answers_as_the_exhaustive_search(
            given in "[a-dA-D-]{0,8}",
            candidates in proptest::collection::vec("[a-d-]{0,8}", 0..12),
        ) {
            let exhaustive = candidates
                .iter()
                .filter_map(|c| super::likely_meant(&given.to_lowercase(), &c.to_lowercase()).map(|s| (s, c.as_str())))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, c)| c);
            prop_assert_eq!(super::did_you_mean(&given, candidates.iter().map(String::as_str)), exhaustive);
        }
    }
}
