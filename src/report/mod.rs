//! The figures of the reports on changes and problems (SPEC §6, §7), computed
//! from the records into plain structs that every output format renders. Pure:
//! no I/O, no clock; what is left out follows SPEC §3.4 as in `svc sla`.

pub mod changes;
pub mod links;
pub mod problems;
pub mod review;
