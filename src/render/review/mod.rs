//! Renderers of `svc report review`: JSON (SPEC §9 keys), Markdown and HTML,
//! all from one [`crate::report::review::Review`]; Markdown and HTML share the
//! formatted [`view::Page`], so they show the same content.

pub mod chart;
pub mod html;
pub mod json;
pub mod markdown;
pub mod view;
