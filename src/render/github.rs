//! GitHub Actions workflow commands: `::error file=F,line=L,col=C,title=RULE::MESSAGE`.

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
            escape_data(&d.message)
        )?;
    }
    Ok(())
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
