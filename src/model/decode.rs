//! Turning a positioned YAML tree into typed values while collecting every problem.
//!
//! Each converter returns `None` after recording a located diagnostic, so one file
//! can report all its problems at once instead of stopping at the first, as serde
//! would.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Timelike};

use crate::diagnostic::{Diagnostic, Rule};
use crate::yaml::{Node, Pos, Value};

/// A value with the position it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The decoded value.
    pub value: T,
    /// Where it was written (0-based).
    pub pos: Pos,
}

impl<T> Spanned<T> {
    /// Pairs a value with a position.
    pub fn new(value: T, pos: Pos) -> Self {
        Spanned { value, pos }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// A duration as written (`1h30m`), in seconds, and whether it used days.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Duration {
    /// Total seconds; `d` counts 24 h.
    pub seconds: i64,
    /// True when the text used the `d` unit (see the `business-days` rule).
    pub uses_days: bool,
}

/// Parses `15m`, `4h`, `1h30m`, `3d`, `90s`: units d, h, m, s, largest first, each once.
pub fn parse_duration(text: &str) -> Option<Duration> {
    const UNITS: [(char, i64); 4] = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    let mut next_unit = 0;
    let mut seconds: i64 = 0;
    let mut uses_days = false;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 12 {
            return None;
        }
        let number: i64 = rest[..digits].parse().ok()?;
        let unit = rest[digits..].chars().next()?;
        let index = UNITS[next_unit..].iter().position(|(u, _)| *u == unit)? + next_unit;
        seconds = seconds.checked_add(number.checked_mul(UNITS[index].1)?)?;
        uses_days |= unit == 'd';
        next_unit = index + 1;
        rest = &rest[digits + unit.len_utf8()..];
    }
    Some(Duration { seconds, uses_days })
}

/// Longest response or resolution target: ten years.
pub const MAX_TARGET_SECONDS: i64 = 3650 * 86_400;
/// Earliest year a timestamp may have; anything earlier is a typo.
pub const MIN_YEAR: i32 = 1970;
/// Latest year a timestamp (in a record, `--now`, `--at`, `--since`,
/// `--until`, `--period`) may have. chrono-tz holds no DST rules after 2099
/// (Berlin is on +01:00 all summer of 2100), so counted business time beyond it
/// would be wrong by an hour a day, and a `--now` of year 9999 in a far zone
/// printed a year no RFC 3339 reader accepts (issue 11, finding 13). svc
/// refuses what it cannot compute instead (docs/format.md, "Timestamps").
pub const MAX_YEAR: i32 = 2099;

/// True for a year svc computes correctly ([`MIN_YEAR`] to [`MAX_YEAR`]).
pub fn year_in_range(year: i32) -> bool {
    (MIN_YEAR..=MAX_YEAR).contains(&year)
}

/// Collects the diagnostics of one file while its records are decoded.
pub struct Decoder<'a> {
    /// File relative to the repo root.
    pub file: &'a str,
    /// Everything found so far.
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Decoder<'a> {
    /// A decoder for `file`.
    pub fn new(file: &'a str) -> Self {
        Decoder {
            file,
            diagnostics: Vec::new(),
        }
    }

    /// Records a `schema` error and returns `None` for convenient early exits.
    pub fn schema<T>(&mut self, pos: Pos, message: impl Into<String>) -> Option<T> {
        self.diagnostics
            .push(Diagnostic::error(Rule::Schema, self.file, pos, message));
        None
    }

    /// Records a finished diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn wrong_type<T>(&mut self, node: &Node, key: &str, expected: &str) -> Option<T> {
        self.schema(
            node.pos,
            format!("`{key}` must be {expected}, found {}", found(node)),
        )
    }

    /// The fields of a mapping node, or a schema error naming `key`.
    pub fn fields<'n>(&mut self, node: &'n Node, key: &str) -> Option<Fields<'n>> {
        match &node.value {
            Value::Map(entries) => Some(Fields {
                pos: node.pos,
                entries,
                used: vec![false; entries.len()],
                known: Vec::new(),
                invalid: Vec::new(),
            }),
            _ => self.wrong_type(node, key, "a mapping"),
        }
    }

    /// A string scalar.
    pub fn string(&mut self, node: &Node, key: &str) -> Option<Spanned<String>> {
        match node.as_str() {
            Some(text) => Some(Spanned::new(text.to_string(), node.pos)),
            None => self.wrong_type(node, key, "a string"),
        }
    }

    /// A string scalar that is not empty or blank (a required name or id).
    pub fn non_empty_string(&mut self, node: &Node, key: &str) -> Option<Spanned<String>> {
        let text = self.string(node, key)?;
        if text.trim().is_empty() {
            return self.schema(node.pos, format!("`{key}` must not be empty"));
        }
        Some(text)
    }

    /// A list of nodes.
    pub fn list<'n>(&mut self, node: &'n Node, key: &str) -> Option<&'n [Node]> {
        match &node.value {
            Value::Seq(items) => Some(items),
            _ => self.wrong_type(node, key, "a list"),
        }
    }

    /// A list of strings.
    pub fn strings(&mut self, node: &Node, key: &str) -> Vec<Spanned<String>> {
        let items = self.list(node, key).unwrap_or_default();
        items
            .iter()
            .filter_map(|item| self.string(item, key))
            .collect()
    }

    /// A list of strings that are not empty or blank.
    pub fn non_empty_strings(&mut self, node: &Node, key: &str) -> Vec<Spanned<String>> {
        let items = self.list(node, key).unwrap_or_default();
        items
            .iter()
            .filter_map(|item| self.non_empty_string(item, key))
            .collect()
    }

    /// One of `allowed`, with a did-you-mean on a miss.
    pub fn one_of(&mut self, node: &Node, key: &str, allowed: &[&str]) -> Option<Spanned<String>> {
        let value = self.string(node, key)?;
        if allowed.contains(&value.as_str()) {
            return Some(value);
        }
        let diagnostic = Diagnostic::error(
            Rule::Schema,
            self.file,
            node.pos,
            format!(
                "`{key}` must be one of {}, found `{}`",
                allowed.join(", "),
                value.value
            ),
        )
        .with_suggestion(&value, allowed.iter().copied());
        self.push(diagnostic);
        None
    }

    /// An integer in `min..=max`.
    pub fn integer(&mut self, node: &Node, key: &str, min: i64, max: i64) -> Option<Spanned<i64>> {
        let Some(text) = node
            .as_str()
            .filter(|_| matches!(node.value, Value::Scalar { quoted: false, .. }))
        else {
            return self.wrong_type(node, key, "a whole number");
        };
        match text.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Some(Spanned::new(n, node.pos)),
            Ok(n) => self.schema(
                node.pos,
                format!("`{key}` must be between {min} and {max}, found {n}"),
            ),
            Err(_) => self.schema(
                node.pos,
                format!("`{key}` must be a whole number, found `{text}`"),
            ),
        }
    }

    /// A percentage: `99.9%` or a plain number, 0 to 100.
    pub fn percent(&mut self, node: &Node, key: &str) -> Option<Spanned<f64>> {
        self.percent_up_to(node, key, Some(100.0))
    }

    /// A percentage of at least 0 and at most `max` (no upper bound with `None`:
    /// an escalation step may come after the target is breached, at `150%`).
    pub fn percent_up_to(
        &mut self,
        node: &Node,
        key: &str,
        max: Option<f64>,
    ) -> Option<Spanned<f64>> {
        let Some(text) = node.as_str() else {
            return self.wrong_type(node, key, "a percentage like `99.9%`");
        };
        let number = text.trim().strip_suffix('%').unwrap_or(text.trim());
        let in_range = |n: f64| n.is_finite() && n >= 0.0 && max.is_none_or(|max| n <= max);
        match number.trim().parse::<f64>() {
            Ok(n) if in_range(n) => Some(Spanned::new(n, node.pos)),
            Ok(_) => self.schema(
                node.pos,
                match max {
                    Some(max) => {
                        format!("`{key}` must be between 0% and {max}%, found `{text}`")
                    }
                    None => format!("`{key}` must be a percentage of 0% or more, found `{text}`"),
                },
            ),
            Err(_) => self.schema(
                node.pos,
                format!("`{key}` must be a percentage like `99.9%`, found `{text}`"),
            ),
        }
    }

    /// A duration like `1h30m`.
    pub fn duration(&mut self, node: &Node, key: &str) -> Option<Spanned<Duration>> {
        let text = self.string(node, key)?;
        match parse_duration(&text) {
            Some(d) if d.seconds == 0 => self.schema(
                node.pos,
                format!(
                    "`{key}` must be longer than 0s: a zero target is breached by every incident"
                ),
            ),
            Some(d) if d.seconds > MAX_TARGET_SECONDS => self.schema(
                node.pos,
                format!(
                    "`{key}` is `{}`, longer than the 3650 days (10 years) a target may be",
                    text.value
                ),
            ),
            Some(d) => Some(Spanned::new(d, node.pos)),
            None => {
                let diagnostic = Diagnostic::error(
                    Rule::Schema,
                    self.file,
                    node.pos,
                    format!("`{key}` must be a duration, found `{}`", text.value),
                )
                .with_help("write a duration like `15m`, `4h`, `1h30m`, `3d` or `90s`");
                self.push(diagnostic);
                None
            }
        }
    }

    /// An RFC 3339 timestamp with an offset. A timestamp without one is a `timestamp` error.
    pub fn timestamp(&mut self, node: &Node, key: &str) -> Option<Spanned<DateTime<FixedOffset>>> {
        let text = self.string(node, key)?;
        let text = text.trim();
        if let Ok(at) = DateTime::parse_from_rfc3339(text) {
            let problem = if at.nanosecond() >= 1_000_000_000 {
                Some(
                    "is a leap second, which svc cannot place on the timeline; write `:59` or the next `:00`",
                )
            } else if !year_in_range(at.year()) {
                Some(
                    "is out of range: svc accepts years 1970 to 2099, the years whose time-zone rules it knows",
                )
            } else {
                None
            };
            return match problem {
                None => Some(Spanned::new(at, node.pos)),
                Some(problem) => {
                    let message = format!("`{key}` {text} {problem}");
                    self.push(Diagnostic::error(
                        Rule::Timestamp,
                        self.file,
                        node.pos,
                        message,
                    ));
                    None
                }
            };
        }
        let naive = [
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S%.f",
        ]
        .iter()
        .any(|format| NaiveDateTime::parse_from_str(text, format).is_ok());
        let date_only = NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok();
        let diagnostic = if naive || date_only {
            Diagnostic::error(
                Rule::Timestamp,
                self.file,
                node.pos,
                format!("`{key}` has no UTC offset: `{text}`"),
            )
            .with_help(format!(
                "add the offset it was written in, e.g. `{}Z` or `{}+01:00`",
                complete_time(text),
                complete_time(text)
            ))
        } else {
            Diagnostic::error(
                Rule::Schema,
                self.file,
                node.pos,
                format!("`{key}` must be an RFC 3339 timestamp, found `{text}`"),
            )
            .with_help("write it like `2026-03-02T09:14:00+01:00`")
        };
        self.push(diagnostic);
        None
    }

    /// A calendar date `YYYY-MM-DD`.
    pub fn date(&mut self, node: &Node, key: &str) -> Option<Spanned<NaiveDate>> {
        let text = self.string(node, key)?;
        match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(date) => Some(Spanned::new(date, node.pos)),
            Err(_) => self.schema(
                node.pos,
                format!(
                    "`{key}` must be a date like `2026-12-24`, found `{}`",
                    text.value
                ),
            ),
        }
    }
}

/// The node as named after "found" in a wrong-type message: the value itself for
/// a scalar (quoted when it was written quoted, since that is what makes `"2"` a
/// string), else its type.
fn found(node: &Node) -> String {
    const LONGEST: usize = 40;
    let shorten = |text: &str| -> String {
        if text.chars().count() > LONGEST {
            text.chars().take(LONGEST).chain(['…']).collect()
        } else {
            text.to_string()
        }
    };
    match &node.value {
        Value::Scalar { text, quoted: true } => format!("{:?}", shorten(text)),
        Value::Scalar { text, .. } if !node.is_null() => format!("`{}`", shorten(text)),
        _ => node.type_name().to_string(),
    }
}

fn complete_time(text: &str) -> String {
    if text.len() == 10 {
        format!("{text}T00:00:00")
    } else {
        text.replace(' ', "T")
    }
}

/// The entries of one mapping, handed out by key; whatever is never asked for is
/// an unknown field.
pub struct Fields<'n> {
    /// Where the mapping starts (missing fields are reported here).
    pub pos: Pos,
    entries: &'n [(Node, Node)],
    used: Vec<bool>,
    known: Vec<&'static str>,
    invalid: Vec<&'static str>,
}

/// The fields of a record that are required but missing, or written but not
/// decodable. A record keeps everything else that decoded, so every check that
/// does not depend on one of these fields still runs (SPEC §2: "a value that
/// fails to decode does not hide the checks of the other fields"); the checks
/// that do depend on one ask here and skip the record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Invalid(Vec<&'static str>);

impl Invalid {
    /// True when `key` is missing or did not decode.
    pub fn has(&self, key: &str) -> bool {
        self.0.contains(&key)
    }

    /// True when any of `keys` is missing or did not decode.
    pub fn any(&self, keys: &[&str]) -> bool {
        keys.iter().any(|key| self.has(key))
    }

    /// True when every field decoded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Marks `key` as invalid.
    pub fn add(&mut self, key: &'static str) {
        if !self.has(key) {
            self.0.push(key);
        }
    }
}

impl<'n> Fields<'n> {
    /// The value of `key`, if present and not null.
    pub fn get(&mut self, key: &'static str) -> Option<&'n Node> {
        self.known.push(key);
        let index = self
            .entries
            .iter()
            .position(|(k, _)| k.as_str() == Some(key))?;
        self.used[index] = true;
        let value = &self.entries[index].1;
        (!value.is_null()).then_some(value)
    }

    /// The value of `key`, or a schema error at the mapping when it is missing.
    pub fn require(
        &mut self,
        decoder: &mut Decoder,
        key: &'static str,
        within: &str,
    ) -> Option<&'n Node> {
        let value = self.get(key);
        if value.is_none() {
            let location = if within.is_empty() {
                String::new()
            } else {
                format!(" in `{within}`")
            };
            decoder.schema::<()>(
                self.pos,
                format!("missing required field `{key}`{location}"),
            );
        }
        value
    }

    /// The value of `key` converted by `convert`; a key that is written but
    /// does not convert (or converts with an error) is marked invalid.
    pub fn decode<T>(
        &mut self,
        decoder: &mut Decoder,
        key: &'static str,
        convert: impl FnOnce(&mut Decoder, &'n Node) -> Option<T>,
    ) -> Option<T> {
        let node = self.get(key)?;
        self.convert(decoder, key, node, convert)
    }

    /// Like [`Fields::decode`] for a required key: a missing one is a schema
    /// error at the mapping and marked invalid.
    pub fn required<T>(
        &mut self,
        decoder: &mut Decoder,
        key: &'static str,
        convert: impl FnOnce(&mut Decoder, &'n Node) -> Option<T>,
    ) -> Option<T> {
        let Some(node) = self.require(decoder, key, "") else {
            self.invalid.push(key);
            return None;
        };
        self.convert(decoder, key, node, convert)
    }

    fn convert<T>(
        &mut self,
        decoder: &mut Decoder,
        key: &'static str,
        node: &'n Node,
        convert: impl FnOnce(&mut Decoder, &'n Node) -> Option<T>,
    ) -> Option<T> {
        let before = decoder.diagnostics.len();
        let value = convert(decoder, node);
        let failed = decoder.diagnostics[before..]
            .iter()
            .any(|d| d.severity == crate::diagnostic::Severity::Error);
        if value.is_none() || failed {
            self.invalid.push(key);
        }
        value
    }

    /// Marks `key` as invalid (a cross-field check of the record failed on it).
    pub fn mark_invalid(&mut self, key: &'static str) {
        self.invalid.push(key);
    }

    /// The keys marked invalid so far.
    pub fn invalid(&self) -> Invalid {
        let mut invalid = Invalid::default();
        for key in &self.invalid {
            invalid.add(key);
        }
        invalid
    }

    /// Reports every key that no `get` asked for as an unknown field.
    pub fn finish(self, decoder: &mut Decoder) {
        for ((key, _), used) in self.entries.iter().zip(&self.used) {
            if *used {
                continue;
            }
            let name = key.as_str().unwrap_or("");
            let diagnostic = Diagnostic::error(
                Rule::Schema,
                decoder.file,
                key.pos,
                format!("unknown field `{name}`"),
            )
            .with_suggestion(name, self.known.iter().copied());
            let diagnostic = if diagnostic.help.is_none() {
                diagnostic.with_help(format!("expected one of: {}", self.known.join(", ")))
            } else {
                diagnostic
            };
            decoder.push(diagnostic);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_unit() {
        let seconds = |t| parse_duration(t).map(|d| d.seconds);
        assert_eq!(seconds("15m"), Some(900));
        assert_eq!(seconds("4h"), Some(14_400));
        assert_eq!(seconds("1h30m"), Some(5_400));
        assert_eq!(seconds("3d"), Some(259_200));
        assert_eq!(seconds("90s"), Some(90));
        assert_eq!(seconds("0s"), Some(0));
        assert_eq!(seconds("1d2h3m4s"), Some(93_784));
        assert!(parse_duration("3d").is_some_and(|d| d.uses_days));
    }

    fn decode_timestamp(text: &str) -> (Option<i32>, Vec<&'static str>) {
        let node = crate::yaml::parse_document(&format!("at: {text}\n"))
            .unwrap()
            .unwrap();
        let mut decoder = Decoder::new("f.yaml");
        let at = decoder.timestamp(node.get("at").unwrap(), "at");
        (
            at.map(|a| a.value.year()),
            decoder.diagnostics.iter().map(|d| d.rule.id()).collect(),
        )
    }

    #[test]
    fn timestamps_out_of_range_or_on_a_leap_second_are_refused() {
        assert_eq!(
            decode_timestamp("2026-06-30T23:59:59Z"),
            (Some(2026), vec![])
        );
        assert_eq!(
            decode_timestamp("2016-12-31T23:59:60Z"),
            (None, vec!["timestamp"])
        );
        assert_eq!(
            decode_timestamp("0000-01-01T00:00:00Z"),
            (None, vec!["timestamp"])
        );
        assert_eq!(
            decode_timestamp("9999-12-31T23:59:59Z"),
            (None, vec!["timestamp"])
        );
        assert_eq!(
            decode_timestamp("2026-03-02T09:14:00"),
            (None, vec!["timestamp"])
        );
        assert_eq!(decode_timestamp("yesterday"), (None, vec!["schema"]));
    }

    #[test]
    fn zero_and_absurd_targets_are_refused() {
        for text in ["0s", "0h0m", "99999999d", "3651d"] {
            let node = crate::yaml::parse_document(&format!("t: {text}\n"))
                .unwrap()
                .unwrap();
            let mut decoder = Decoder::new("f.yaml");
            assert!(
                decoder.duration(node.get("t").unwrap(), "t").is_none(),
                "{text}"
            );
            assert_eq!(decoder.diagnostics.len(), 1);
        }
    }

    #[test]
    fn malformed_durations_are_refused() {
        for text in [
            "",
            "h",
            "15",
            "15x",
            "30m1h",
            "1h1h",
            "-5m",
            "1.5h",
            "99999999999999d",
        ] {
            assert_eq!(parse_duration(text), None, "{text}");
        }
    }
}
