//! `svc export backstage`: the catalog as one YAML stream of Backstage entities,
//! each document opened by `---` (docs/backstage.md). Every scalar goes through
//! the editor's quoting ([`crate::edit::quoting::yaml_scalar`]): plain where
//! YAML 1.1 and 1.2 read it back as the same string, double-quoted with escapes
//! otherwise, so a title such as `Payments: EU #2` or `yes` survives any reader.

use std::io::{self, Write};

use crate::edit::quoting::yaml_scalar;
use crate::export::backstage::{API_VERSION, Catalog, Component};

/// Writes every entity of `catalog`; nothing for an empty catalog.
pub fn render(out: &mut impl Write, catalog: &Catalog) -> io::Result<()> {
    for component in &catalog.components {
        entity(out, component)?;
    }
    Ok(())
}

fn entity(out: &mut impl Write, c: &Component) -> io::Result<()> {
    writeln!(out, "---")?;
    writeln!(out, "apiVersion: {API_VERSION}")?;
    writeln!(out, "kind: Component")?;
    writeln!(out, "metadata:")?;
    writeln!(out, "  name: {}", yaml_scalar(&c.name))?;
    if let Some(title) = &c.title {
        writeln!(out, "  title: {}", yaml_scalar(title))?;
    }
    if let Some(description) = &c.description {
        writeln!(out, "  description: {}", yaml_scalar(description))?;
    }
    if !c.annotations.is_empty() {
        writeln!(out, "  annotations:")?;
        for (key, value) in &c.annotations {
            writeln!(out, "    {}: {}", yaml_scalar(key), yaml_scalar(value))?;
        }
    }
    if !c.tags.is_empty() {
        writeln!(out, "  tags:")?;
        for tag in &c.tags {
            writeln!(out, "    - {}", yaml_scalar(tag))?;
        }
    }
    if !c.links.is_empty() {
        writeln!(out, "  links:")?;
        for link in &c.links {
            writeln!(out, "    - url: {}", yaml_scalar(&link.url))?;
            writeln!(out, "      title: {}", yaml_scalar(&link.title))?;
        }
    }
    writeln!(out, "spec:")?;
    writeln!(out, "  type: service")?;
    writeln!(out, "  lifecycle: {}", c.lifecycle)?;
    writeln!(out, "  owner: {}", yaml_scalar(&c.owner))?;
    if !c.depends_on.is_empty() {
        writeln!(out, "  dependsOn:")?;
        for reference in &c.depends_on {
            writeln!(out, "    - {}", yaml_scalar(reference))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::backstage::Link;

    fn render_one(component: Component) -> String {
        let catalog = Catalog {
            components: vec![component],
            skipped: vec![],
        };
        let mut out = Vec::new();
        render(&mut out, &catalog).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hostile_text_is_quoted_and_empty_parts_are_left_out() {
        let text = render_one(Component {
            name: "a".into(),
            title: Some("Payments: EU #2".into()),
            description: None,
            annotations: vec![],
            tags: vec![],
            links: vec![Link {
                url: "https://x.example/?a=1#b".into(),
                title: "yes".into(),
            }],
            lifecycle: "production",
            owner: "team-a".into(),
            depends_on: vec![],
        });
        assert_eq!(
            text,
            "---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: a\n  \
             title: \"Payments: EU #2\"\n  links:\n    - url: https://x.example/?a=1#b\n      \
             title: \"yes\"\nspec:\n  type: service\n  lifecycle: production\n  owner: team-a\n"
        );
    }
}
