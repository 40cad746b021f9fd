//! The small parsers of user input: durations, working ranges, report periods,
//! instants and timestamps must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use svc::model::calendar::parse_range;
use svc::model::decode::parse_duration;
use svc::sla::period::{parse_instant, parse_period};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_duration(text);
    let _ = parse_range(text);
    let _ = parse_period(text);
    let _ = parse_instant(text, chrono_tz_berlin());
    let document = format!("at: {text}\n");
    if let Ok(Some(node)) = svc::yaml::parse_document(&document) {
        if let Some(value) = node.get("at") {
            let mut decoder = svc::model::decode::Decoder::new("f.yaml");
            let _ = decoder.timestamp(value, "at");
            let _ = decoder.duration(value, "at");
            let _ = decoder.percent(value, "at");
        }
    }
});

fn chrono_tz_berlin() -> chrono_tz::Tz {
    chrono_tz::Tz::Europe__Berlin
}
