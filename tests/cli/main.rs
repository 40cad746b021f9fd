//! Behaviour tests through the `svc` binary, one module per area.

mod common;
mod lifecycle;
mod sla;
