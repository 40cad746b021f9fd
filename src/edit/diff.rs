//! The unified diff that `--dry-run` prints instead of writing.

/// A unified diff of `old` and `new` with three lines of context, labelled
/// `a/<label>` and `b/<label>` as Git does.
pub fn unified_diff(label: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{label}"), &format!("b/{label}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_shows_only_the_changed_lines() {
        let diff = unified_diff("services/a.yaml", "a\nb\nc\n", "a\nB\nc\nd\n");
        assert_eq!(
            diff,
            "--- a/services/a.yaml\n+++ b/services/a.yaml\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n"
        );
    }
}
