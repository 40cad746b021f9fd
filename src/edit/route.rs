//! Where an edit applies: a route of mapping keys and sequence indexes from the
//! document's root, written `lifecycle.history`, `paused[-1].to` or
//! `actions[2].done_at`. A negative index counts from the end of its sequence,
//! so `paused[-1]` is the last pause whatever the count. Routes stay symbolic
//! until an edit resolves them against the tree it is about to change.

use std::fmt;
use std::str::FromStr;

use super::EditError;

/// One step of a [`Route`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Segment {
    /// The value under this key of a mapping.
    Key(String),
    /// The item at this index of a sequence; negative counts from the end (`-1` is the last).
    Index(i64),
}

/// A path from the document's root to a node: keys and indexes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Route {
    /// The steps, from the root.
    pub segments: Vec<Segment>,
}

impl Route {
    /// The route of the root itself (no steps).
    pub fn root() -> Route {
        Route::default()
    }

    /// This route followed by the key `key`.
    pub fn key(mut self, key: &str) -> Route {
        self.segments.push(Segment::Key(key.to_string()));
        self
    }

    /// This route followed by the index `index` (negative counts from the end).
    pub fn index(mut self, index: i64) -> Route {
        self.segments.push(Segment::Index(index));
        self
    }

    /// The route without its last step, and that step; None for the root.
    pub fn split_last(&self) -> Option<(Route, &Segment)> {
        let (last, parent) = self.segments.split_last()?;
        Some((
            Route {
                segments: parent.to_vec(),
            },
            last,
        ))
    }

    /// True when `self` is `other` or lies below it.
    pub fn starts_with(&self, other: &Route) -> bool {
        self.segments.starts_with(&other.segments)
    }
}

impl FromStr for Route {
    type Err = EditError;

    /// Parses `a.b[2].c[-1]`: keys separated by dots, each optionally followed by
    /// `[N]` indexes. Keys are written bare, so a key holding `.` or `[` needs
    /// [`Route::key`] instead.
    fn from_str(text: &str) -> Result<Route, EditError> {
        let bad = || EditError::BadRoute(text.to_string());
        let mut route = Route::root();
        if text.is_empty() {
            return Ok(route);
        }
        for part in text.split('.') {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if key.is_empty() && (route.segments.is_empty() || rest.is_empty()) {
                return Err(bad());
            }
            if !key.is_empty() {
                route = route.key(key);
            }
            while !rest.is_empty() {
                let close = rest.find(']').ok_or_else(bad)?;
                let index: i64 = rest[1..close].parse().map_err(|_| bad())?;
                route = route.index(index);
                rest = &rest[close + 1..];
                if !rest.is_empty() && !rest.starts_with('[') {
                    return Err(bad());
                }
            }
        }
        Ok(route)
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => f.write_str(key)?,
                Segment::Key(key) => write!(f, ".{key}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_parse_keys_and_indexes_and_print_back() {
        for text in [
            "lifecycle.history",
            "paused[-1].to",
            "actions[2].done_at",
            "a[0][1]",
        ] {
            let route: Route = text.parse().unwrap();
            assert_eq!(route.to_string(), text);
        }
        let route: Route = "paused[-1].to".parse().unwrap();
        assert_eq!(
            route.segments,
            [
                Segment::Key("paused".into()),
                Segment::Index(-1),
                Segment::Key("to".into())
            ]
        );
        for bad in ["a..b", "a[x]", "a[1", "[0]", "a[0]b", ".a"] {
            assert!(bad.parse::<Route>().is_err(), "{bad}");
        }
    }
}
