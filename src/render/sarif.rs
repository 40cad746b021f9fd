//! SARIF 2.1.0 for GitHub code scanning (SPEC §2): every rule of the closed set in
//! `tool.driver.rules`, with its short description and its help (text and
//! Markdown) taken from docs/check.md, so the docs and the scanner's rule pages
//! cannot drift; each diagnostic a result at a relative URI and a 1-based region.

use std::io::{self, Write};

use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Rule, Severity};

/// docs/check.md, compiled in: the `### <rule> (<severity>)` sections are the
/// rules' help.
const CHECK_DOCS: &str = include_str!("../../docs/check.md");

/// The Markdown section of docs/check.md that documents `rule` (without its
/// heading), if there is one.
pub fn rule_help(rule: Rule) -> Option<&'static str> {
    let heading = format!("### {} (", rule.id());
    let start = CHECK_DOCS.find(&heading)?;
    let body_start = start + CHECK_DOCS[start..].find('\n')? + 1;
    let rest = &CHECK_DOCS[body_start..];
    let end = [rest.find("\n### "), rest.find("\n## ")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    Some(rest[..end].trim())
}

/// The SARIF log of `diagnostics`.
pub fn log(diagnostics: &[Diagnostic]) -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|rule| {
            let help = rule_help(*rule).unwrap_or(rule.summary());
            json!({
                "id": rule.id(),
                "name": rule.id(),
                "shortDescription": { "text": rule.summary() },
                "help": { "text": help, "markdown": help },
                "defaultConfiguration": { "level": level(rule.severity()) },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let index = Rule::ALL.iter().position(|r| *r == d.rule).unwrap_or(0);
            let text = match &d.help {
                Some(help) => format!("{}\nhelp: {help}", d.message),
                None => d.message.clone(),
            };
            json!({
                "ruleId": d.rule.id(),
                "ruleIndex": index,
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&d.file), "uriBaseId": "%SRCROOT%" },
                        "region": {
                            "startLine": d.pos.line + 1,
                            "startColumn": d.pos.col + 1,
                        },
                    },
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "svc",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
            },
            "results": results,
        }],
    })
}

/// Writes the SARIF log of `diagnostics`.
pub fn render(out: &mut impl Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    super::json::write(out, &log(diagnostics))
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A relative path as a URI reference: each segment percent-encoded where a URI
/// needs it, `/` kept.
fn uri(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    for byte in file.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_a_section_in_the_docs() {
        for rule in Rule::ALL {
            let help = rule_help(rule);
            assert!(
                help.is_some_and(|h| !h.is_empty()),
                "docs/check.md has no section `### {} (...)`",
                rule.id()
            );
        }
    }

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            uri("incidents/2026/INC-1.yaml"),
            "incidents/2026/INC-1.yaml"
        );
        assert_eq!(uri("services/a b.yaml"), "services/a%20b.yaml");
    }
}
