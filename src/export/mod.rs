//! `svc export` (SPEC §10): the evaluated incidents as plain rows for DuckDB,
//! Spark or a warehouse, and the services as Backstage entities. Pure: each
//! builder takes loaded records and returns a result struct that the renderers
//! of `render::export` write; formats live at the edge, the model inside.

pub mod backstage;
pub mod incidents;
