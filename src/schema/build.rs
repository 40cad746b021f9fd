//! The building blocks of the record schemas: one JSON Schema fragment per kind
//! of value the decoders in `model/` accept, each written to accept what the
//! decoder accepts (`Decoder::string` takes any non-null scalar, so a text field
//! also takes `123` and `true`; a null optional field counts as absent).

use serde_json::{Map, Value, json};

use crate::model::decode::{MAX_YEAR, MIN_YEAR};

/// The JSON Schema dialect of every schema svc writes (SPEC §11).
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// Text: any scalar, as `Decoder::string` reads the scalar's text whatever it
/// looks like.
pub fn text(description: &str) -> Value {
    json!({"type": ["string", "number", "boolean"], "description": description})
}

/// Text that must not be blank (`Decoder::non_empty_string`).
pub fn non_empty(description: &str) -> Value {
    json!({"type": ["string", "number", "boolean"], "pattern": "\\S", "description": description})
}

/// A string that must match `pattern`: for values no YAML scalar of another
/// type can spell (a clock range, a duration).
pub fn string_matching(pattern: &str, description: &str) -> Value {
    json!({"type": "string", "pattern": pattern, "description": description})
}

/// Text matching `pattern` when it is a string (an id may be written `123`).
pub fn text_matching(pattern: &str, description: &str) -> Value {
    json!({"type": ["string", "number", "boolean"], "pattern": pattern, "description": description})
}

/// One of `values` (`Decoder::one_of`: the exact text).
pub fn one_of(values: &[&str], description: &str) -> Value {
    json!({"enum": values, "description": description})
}

/// A whole number in `min..=max`, written unquoted (`Decoder::integer`).
pub fn integer(min: i64, max: i64, description: &str) -> Value {
    json!({"type": "integer", "minimum": min, "maximum": max, "description": description})
}

/// A list of `items`.
pub fn list(items: Value, description: &str) -> Value {
    json!({"type": "array", "items": items, "description": description})
}

/// A mapping with exactly these fields (an unknown field is a `schema` error);
/// `required` must be present and not null.
pub fn object(description: &str, required: &[&str], fields: Vec<(&str, Value)>) -> Value {
    let mut properties = Map::new();
    for (name, schema) in fields {
        let schema = if required.contains(&name) {
            schema
        } else {
            optional(schema)
        };
        properties.insert(name.to_string(), schema);
    }
    let mut object = json!({
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": false,
    });
    if !required.is_empty() {
        object["required"] = json!(required);
    }
    object
}

/// A mapping with free-form keys whose values are `values` (`links`,
/// `targets`, `external`).
pub fn map_of(values: Value, description: &str) -> Value {
    json!({"type": "object", "additionalProperties": values, "description": description})
}

/// `schema`, or null: the decoders read a null optional field as absent
/// (`Fields::get`), as the `svc new` template's empty `oncall:` relies on.
pub fn optional(mut schema: Value) -> Value {
    let null_type = json!({"type": "null"});
    if let Some(any) = schema.get_mut("anyOf").and_then(Value::as_array_mut) {
        any.push(null_type);
        return schema;
    }
    if let Some(values) = schema.get_mut("enum").and_then(Value::as_array_mut) {
        values.push(Value::Null);
        return schema;
    }
    match schema.get_mut("type") {
        Some(Value::Array(types)) => types.push(json!("null")),
        Some(single @ Value::String(_)) => *single = json!([single.clone(), "null"]),
        _ => return json!({"anyOf": [schema, null_type]}),
    }
    schema
}

/// A percentage, `99.9%` or a plain number, from 0 up to `max` (none for an
/// escalation step, which may come after the breach at `150%`). Strings are
/// matched as `Decoder::percent_up_to` reads them: trimmed, an optional `%`.
pub fn percent(max: Option<u32>, description: &str) -> Value {
    let (number, pattern) = match max {
        Some(100) => (
            json!({"type": "number", "minimum": 0, "maximum": 100}),
            "^\\s*\\+?(0*(100(\\.0*)?|[0-9]{1,2}(\\.[0-9]*)?)|\\.[0-9]+)\\s*%?\\s*$",
        ),
        _ => (
            json!({"type": "number", "minimum": 0}),
            "^\\s*\\+?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)\\s*%?\\s*$",
        ),
    };
    json!({
        "anyOf": [number, {"type": "string", "pattern": pattern}],
        "description": description,
    })
}

/// A duration as `parse_duration` reads it: units d, h, m, s, largest first,
/// each at most once, and not zero.
pub fn duration(description: &str) -> Value {
    let n = "[0-9]{1,12}";
    let pattern =
        format!("^\\s*({n}d({n}h)?({n}m)?({n}s)?|{n}h({n}m)?({n}s)?|{n}m({n}s)?|{n}s)\\s*$");
    json!({
        "type": "string",
        "pattern": pattern,
        "not": {"pattern": "^\\s*(0+[dhms])+\\s*$"},
        "description": description,
    })
}

/// Month and day of a date, each month with its own length (29 February is
/// left to the decoder, which knows leap years). `pad` is the leading zero
/// pattern: `0` where RFC 3339 requires it, `0?` for `%m-%d`.
fn month_day(pad: &str) -> String {
    format!(
        "(({pad}[13578]|1[02])-({pad}[1-9]|[12][0-9]|3[01])|({pad}[469]|11)-({pad}[1-9]|[12][0-9]|30)|{pad}2-({pad}[1-9]|1[0-9]|2[0-9]))"
    )
}

/// An RFC 3339 timestamp with an offset, as `Decoder::timestamp` accepts it:
/// `T`, `t` or a space between date and time, fractions of any length, `Z`,
/// `z` or an offset up to ±23:59, years from [`MIN_YEAR`] to [`MAX_YEAR`], no
/// leap second.
pub fn timestamp(description: &str) -> Value {
    let years = digit_range(&MIN_YEAR.to_string(), &MAX_YEAR.to_string());
    timestamp_in(&years, description)
}

/// An RFC 3339 timestamp with an offset in any four-digit year: svc.toml's
/// freeze periods are read by chrono alone, without the records' year bounds.
pub fn any_year_timestamp(description: &str) -> Value {
    timestamp_in("[0-9]{4}", description)
}

fn timestamp_in(years: &str, description: &str) -> Value {
    let clock = "([01][0-9]|2[0-3]):[0-5][0-9]";
    let pattern = format!(
        "^\\s*{years}-{}[Tt ]{clock}:[0-5][0-9](\\.[0-9]+)?([Zz]|[+\\-\u{2212}]{clock})\\s*$",
        month_day("0")
    );
    string_matching(&pattern, description)
}

/// A calendar date `YYYY-MM-DD` (`Decoder::date`).
pub fn date(description: &str) -> Value {
    string_matching(
        &format!("^\\s*[0-9]{{4}}-{}\\s*$", month_day("0?")),
        description,
    )
}

/// A regular expression matching the decimal numbers from `low` to `high`,
/// which have the same number of digits: the year range of a timestamp comes
/// from the decoder's own bounds, so the two cannot disagree.
pub fn digit_range(low: &str, high: &str) -> String {
    let (low, high) = (low.as_bytes(), high.as_bytes());
    if low.len() != high.len() || low > high {
        return "[0-9]+".to_string();
    }
    format!("({})", range(low, high))
}

fn range(low: &[u8], high: &[u8]) -> String {
    let Some((&first_low, rest_low)) = low.split_first() else {
        return String::new();
    };
    let (first_high, rest_high) = (high[0], &high[1..]);
    if first_low == first_high {
        return format!("{}{}", char::from(first_low), range(rest_low, rest_high));
    }
    let any = "[0-9]".repeat(rest_low.len());
    let zeros = vec![b'0'; rest_low.len()];
    let nines = vec![b'9'; rest_low.len()];
    let low_full = rest_low == zeros.as_slice();
    let high_full = rest_high == nines.as_slice();
    let mut parts = Vec::new();
    let (mut from, mut to) = (first_low, first_high);
    if !low_full {
        parts.push(format!(
            "{}{}",
            char::from(first_low),
            range(rest_low, &nines)
        ));
        from += 1;
    }
    let upper = (!high_full).then(|| {
        to -= 1;
        format!("{}{}", char::from(first_high), range(&zeros, rest_high))
    });
    if from <= to {
        let class = if from == to {
            char::from(from).to_string()
        } else {
            format!("[{}-{}]", char::from(from), char::from(to))
        };
        parts.push(format!("{class}{any}"));
    }
    parts.extend(upper);
    if parts.len() == 1 {
        parts.remove(0)
    } else {
        format!("({})", parts.join("|"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_ranges_cover_exactly_the_range() {
        let pattern = full_match(&digit_range("1970", "2999"));
        for year in 1000..=9999 {
            assert_eq!(
                pattern(&year.to_string()),
                (1970..=2999).contains(&year),
                "{year}"
            );
        }
        let pattern = full_match(&digit_range("1970", "2099"));
        assert!(pattern("2099") && !pattern("2100") && !pattern("1969"));
    }

    /// A matcher for the whole text against `pattern`, by the JSON Schema
    /// crate the schema tests use (ECMA 262 regular expressions).
    fn full_match(pattern: &str) -> impl Fn(&str) -> bool + use<> {
        let validator = jsonschema::validator_for(&json!({
            "type": "string",
            "pattern": format!("^{pattern}$"),
        }))
        .unwrap();
        move |text| validator.is_valid(&json!(text))
    }
}
