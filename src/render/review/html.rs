//! The review as one self-contained HTML file (SPEC §9): an askama template
//! (compiled in, escaping every value by default) over the [`Page`] view, with
//! inline CSS and inline SVG charts; no script, no font, no external fetch.

use std::io::{self, Write};

use askama::Template;

use super::view::Page;

/// The template of `templates/review.html`.
#[derive(Template)]
#[template(path = "review.html", escape = "html")]
struct ReviewHtml<'a> {
    page: &'a Page,
}

/// Writes `page` as HTML.
pub fn render(out: &mut impl Write, page: &Page) -> io::Result<()> {
    let html = ReviewHtml { page }
        .render()
        .map_err(|e| io::Error::other(e.to_string()))?;
    out.write_all(html.as_bytes())
}
