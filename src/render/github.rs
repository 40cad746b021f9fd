//! GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=RULE::MESSAGE`,
//! the `help:` on a second line of the message, as in the human format.

use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};

/// Writes one annotation per diagnostic, escaped per GitHub's rules.
pub fn render(out: &mut impl Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            escape_property(&d.file),
            d.pos.line + 1,
            d.pos.col + 1,
            escape_property(d.rule.id()),
            escape_data(&message(d))
        )?;
    }
    Ok(())
}

/// The annotation text: the message, then `help: ...` on its own line.
fn message(d: &Diagnostic) -> String {
    match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    }
}

/// Escapes a message: `%`, CR and LF as GitHub asks, then every other
/// character that could drive the log viewer or reorder text (an escape
/// sequence, a bidi override) as `\u{1b}` ([`super::sanitize`]).
fn escape_data(text: &str) -> String {
    let escaped = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    super::sanitize(&escaped).into_owned()
}

/// Escapes a property value: as a message, plus `:` and `,`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Rule;
    use crate::yaml::Pos;

    #[test]
    fn annotations_escape_what_github_requires() {
        let d = Diagnostic::error(
            Rule::Schema,
            "a,b:c.yaml",
            Pos { line: 2, col: 4 },
            "100% bad\nline",
        );
        let mut out = Vec::new();
        render(&mut out, &[d]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=a%2Cb%3Ac.yaml,line=3,col=5,title=schema::100%25 bad%0Aline\n"
        );
    }

    #[test]
    fn annotations_carry_the_help_on_a_second_line() {
        let d = Diagnostic::error(
            Rule::Schema,
            "s.yaml",
            Pos { line: 0, col: 0 },
            "unknown field `ownr`",
        )
        .with_help("did you mean `owner`?");
        let mut out = Vec::new();
        render(&mut out, &[d]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=s.yaml,line=1,col=1,title=schema::unknown field `ownr`%0Ahelp: did you mean `owner`?\n"
        );
    }

    #[test]
    fn annotations_carry_no_terminal_escapes() {
        let d = Diagnostic::error(
            Rule::Schema,
            "x.yaml",
            Pos { line: 0, col: 0 },
            "title \u{1b}[31mred\r\n",
        );
        let mut out = Vec::new();
        render(&mut out, &[d]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=x.yaml,line=1,col=1,title=schema::title \\u{1b}[31mred%0D%0A\n"
        );
    }
}
