//! The links between problems and incidents. An incident names its problem
//! (`problem:`) or a problem lists its incidents (`incidents:`); either way is a
//! link, and a link made both ways is one link (SPEC §7). Built once from the
//! records a report uses, then asked per problem or per incident.

use std::collections::HashMap;

use crate::model::{Incident, Problem};

/// Every link between the given problems and incidents.
#[derive(Debug, Default)]
pub struct ProblemLinks<'r> {
    /// Problem id → the problem.
    problems: HashMap<&'r str, &'r Problem>,
    /// Problem id → its linked incident ids, sorted, each once.
    incidents_of: HashMap<&'r str, Vec<&'r str>>,
    /// Incident id → its linked problem ids, sorted, each once.
    problems_of: HashMap<&'r str, Vec<&'r str>>,
}

impl<'r> ProblemLinks<'r> {
    /// The links of `problems` and `incidents`. A problem's `incidents:` list
    /// links the ids it names; an incident's `problem:` links it to that problem
    /// when the problem is one of `problems`.
    pub fn new(
        problems: impl IntoIterator<Item = &'r Problem>,
        incidents: impl IntoIterator<Item = &'r Incident>,
    ) -> ProblemLinks<'r> {
        let problems: HashMap<&str, &Problem> =
            problems.into_iter().map(|p| (p.id.as_str(), p)).collect();
        let mut pairs: Vec<(&str, &str)> = problems
            .values()
            .flat_map(|p| p.incidents.iter().map(|i| (p.id.as_str(), i.as_str())))
            .collect();
        pairs.extend(incidents.into_iter().filter_map(|incident| {
            let problem = incident.problem.as_ref()?.as_str();
            problems
                .contains_key(problem)
                .then_some((problem, incident.id.as_str()))
        }));
        pairs.sort_unstable();
        pairs.dedup();
        let mut incidents_of: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut problems_of: HashMap<&str, Vec<&str>> = HashMap::new();
        for (problem, incident) in pairs {
            incidents_of.entry(problem).or_default().push(incident);
            problems_of.entry(incident).or_default().push(problem);
        }
        for list in problems_of.values_mut() {
            list.sort_unstable();
        }
        ProblemLinks {
            problems,
            incidents_of,
            problems_of,
        }
    }

    /// The incident ids linked to `problem`, sorted.
    pub fn incidents_of(&self, problem: &str) -> &[&'r str] {
        self.incidents_of.get(problem).map_or(&[], Vec::as_slice)
    }

    /// The problem ids linked to `incident`, sorted.
    pub fn problems_of(&self, incident: &str) -> &[&'r str] {
        self.problems_of.get(incident).map_or(&[], Vec::as_slice)
    }

    /// How many distinct problems are linked to any of `incidents`, and how
    /// many of those are open (any state but `closed`).
    pub fn count_for<'i>(&self, incidents: impl IntoIterator<Item = &'i str>) -> LinkedProblems {
        let mut ids: Vec<&str> = incidents
            .into_iter()
            .flat_map(|incident| self.problems_of(incident).iter().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let open = ids
            .iter()
            .filter(|id| self.problems.get(*id).is_some_and(|p| p.is_open()))
            .count();
        LinkedProblems {
            all: ids.len(),
            open,
        }
    }
}

/// A count of the problems linked to some incidents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkedProblems {
    /// Distinct problems linked.
    pub all: usize,
    /// Of those, the ones not closed.
    pub open: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Record, decode_file};

    fn problem(text: &str) -> Problem {
        match decode_file("problems/p.yaml", text).0 {
            Some(Record::Problem(p)) => p,
            other => panic!("not a problem: {other:?}"),
        }
    }

    fn incident(id: &str, problem: Option<&str>) -> Incident {
        let link = problem
            .map(|p| format!("problem: {p}\n"))
            .unwrap_or_default();
        let text = format!(
            "kind: Incident\nid: {id}\nservice: s\ntitle: t\npriority: P1\nopened_at: 2026-03-01T00:00:00Z\n{link}"
        );
        match decode_file(&format!("incidents/{id}.yaml"), &text).0 {
            Some(Record::Incident(i)) => i,
            other => panic!("not an incident: {other:?}"),
        }
    }

    #[test]
    fn a_link_made_both_ways_counts_once() {
        let open = problem(
            "kind: Problem\nid: PA\nservice: s\ntitle: t\nstate: new\nincidents: [I1, I2]\n",
        );
        let closed = problem(
            "kind: Problem\nid: PB\nservice: s\ntitle: t\nstate: closed\nincidents: [I2]\n",
        );
        let incidents = [
            incident("I1", None),
            incident("I2", Some("PA")),
            incident("I3", Some("PA")),
            // A problem that is not among the given ones links nothing.
            incident("I4", Some("PX")),
        ];
        let links = ProblemLinks::new([&open, &closed], &incidents);
        assert_eq!(links.incidents_of("PA"), ["I1", "I2", "I3"]);
        assert_eq!(links.incidents_of("PB"), ["I2"]);
        assert_eq!(links.problems_of("I2"), ["PA", "PB"]);
        assert!(links.problems_of("I4").is_empty());
        assert!(links.incidents_of("PX").is_empty());
        assert_eq!(
            links.count_for(["I1", "I2", "I4"]),
            LinkedProblems { all: 2, open: 1 }
        );
        assert_eq!(links.count_for(["I4"]), LinkedProblems::default());
    }
}
