//! `kind: Calendar`: working hours per weekday in an IANA time zone, and holidays.

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::decode::{Decoder, Fields, Spanned};
use crate::diagnostic::{Diagnostic, Rule};
use crate::yaml::{Node, Pos};

/// Weekday keys, Monday first.
pub const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A business calendar.
#[derive(Clone, Debug)]
pub struct Calendar {
    /// Lower-case kebab id.
    pub id: Spanned<String>,
    /// IANA zone the hours are written in.
    pub timezone: Tz,
    /// Working ranges per weekday (Monday first), in minutes after local midnight;
    /// sorted, non-overlapping, `end` may be 1440 (`24:00`).
    pub hours: [Vec<(u16, u16)>; 7],
    /// Whole local dates without working hours.
    pub holidays: Vec<NaiveDate>,
}

pub(super) fn decode(
    decoder: &mut Decoder,
    fields: &mut Fields,
    id: Spanned<String>,
) -> Option<Calendar> {
    let timezone = fields
        .require(decoder, "timezone", "")
        .and_then(|n| timezone(decoder, n));
    let hours = fields
        .require(decoder, "hours", "")
        .and_then(|n| decode_hours(decoder, n));
    let holidays = fields
        .get("holidays")
        .map(|n| decode_holidays(decoder, n))
        .unwrap_or_default();
    Some(Calendar {
        id,
        timezone: timezone?,
        hours: hours?,
        holidays,
    })
}

/// Parses an IANA zone name, with a did-you-mean on a miss.
pub fn timezone(decoder: &mut Decoder, node: &Node) -> Option<Tz> {
    let name = decoder.string(node, "timezone")?;
    match parse_timezone(&name) {
        Ok(tz) => Some(tz),
        Err(diagnostic) => {
            decoder.push(diagnostic.into_diagnostic(decoder.file, name.pos));
            None
        }
    }
}

/// An unknown time-zone name and the closest known one.
pub struct UnknownZone {
    message: String,
    suggestion: Option<&'static str>,
}

impl UnknownZone {
    /// The `schema` diagnostic for this name at `pos` in `file`.
    pub fn into_diagnostic(self, file: &str, pos: Pos) -> Diagnostic {
        let diagnostic = Diagnostic::error(Rule::Schema, file, pos, self.message);
        match self.suggestion {
            Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
            None => {
                diagnostic.with_help("use an IANA time-zone name such as `Europe/Berlin` or `UTC`")
            }
        }
    }
}

/// Looks up an IANA zone name.
pub fn parse_timezone(name: &str) -> Result<Tz, UnknownZone> {
    name.parse::<Tz>().map_err(|_| UnknownZone {
        message: format!("unknown time zone `{name}`"),
        suggestion: crate::diagnostic::did_you_mean(
            name,
            chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()),
        ),
    })
}

fn decode_hours(decoder: &mut Decoder, node: &Node) -> Option<[Vec<(u16, u16)>; 7]> {
    let mut fields = decoder.fields(node, "hours")?;
    let mut hours: [Vec<(u16, u16)>; 7] = Default::default();
    for (index, day) in WEEKDAYS.iter().enumerate() {
        let Some(list) = fields.get(day) else {
            continue;
        };
        let key = format!("hours.{day}");
        let mut ranges: Vec<(u16, u16, Pos)> = decoder
            .list(list, &key)
            .unwrap_or_default()
            .iter()
            .filter_map(|item| {
                let text = decoder.string(item, &key)?;
                match parse_range(&text) {
                    Some((start, end)) => Some((start, end, item.pos)),
                    None => decoder.schema(
                        item.pos,
                        format!("`{key}` must hold ranges like `09:00-17:30` (start before end, `24:00` allowed as an end), found `{}`", text.value),
                    ),
                }
            })
            .collect();
        ranges.sort_by_key(|r| (r.0, r.1));
        for pair in ranges.windows(2) {
            if pair[1].0 < pair[0].1 {
                decoder.schema::<()>(pair[1].2, format!("working ranges on `{day}` overlap"));
            }
        }
        hours[index] = ranges.into_iter().map(|(s, e, _)| (s, e)).collect();
    }
    fields.finish(decoder);
    if hours.iter().all(Vec::is_empty) {
        return decoder.schema(
            node.pos,
            "the calendar has no working hours, so its clock would never run",
        );
    }
    Some(hours)
}

/// Parses `HH:MM-HH:MM` into minutes after midnight; `24:00` only as an end.
pub fn parse_range(text: &str) -> Option<(u16, u16)> {
    let (start, end) = text.trim().split_once('-')?;
    let start = parse_clock(start.trim())?;
    let end = parse_clock(end.trim())?;
    (start < end && start < 1440).then_some((start, end))
}

fn parse_clock(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    match (h, m) {
        (24, 0) => Some(1440),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

fn decode_holidays(decoder: &mut Decoder, node: &Node) -> Vec<NaiveDate> {
    let items = decoder.list(node, "holidays").unwrap_or_default();
    items
        .iter()
        .filter_map(|item| {
            if item.as_map().is_some() {
                let mut fields = decoder.fields(item, "holidays")?;
                let date = fields
                    .require(decoder, "date", "holiday")
                    .and_then(|n| decoder.date(n, "date"));
                if let Some(n) = fields.get("name") {
                    decoder.string(n, "name");
                }
                fields.finish(decoder);
                date.map(|d| d.value)
            } else {
                decoder.date(item, "holidays").map(|d| d.value)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("09:00-17:30"), Some((540, 1050)));
        assert_eq!(parse_range("00:00-24:00"), Some((0, 1440)));
        assert_eq!(parse_range("18:00-09:00"), None);
        assert_eq!(parse_range("24:00-24:00"), None);
        assert_eq!(parse_range("9:00-17:00"), None);
        assert_eq!(parse_range("09:60-10:00"), None);
    }
}
