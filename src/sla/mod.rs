//! SLA arithmetic (SPEC §3): business calendars and counted time, incident
//! evaluation, report periods and the figures per service. Pure: no I/O, no clock.

pub mod calendar;
pub mod evaluate;
pub mod period;
pub mod report;
