//! `dependency-cycle`: `depends_on` forms a cycle. Each cycle is reported on every
//! service in it, at the `depends_on` entry that continues the cycle, with the
//! whole cycle printed from that service on: whichever file closed the cycle,
//! `--changed-since` shows it (audit of issue 2, finding 5). A cycle longer than
//! [`PRINTED_IN_FULL`] is printed in full only at its alphabetically first service.

use std::collections::{BTreeSet, HashMap};

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};

/// Longest cycle printed in every one of its diagnostics.
const PRINTED_IN_FULL: usize = 20;

#[derive(Clone, Copy, PartialEq)]
enum Mark {
    Unvisited,
    OnPath,
    Done,
}

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let mut ids: Vec<&str> = context.services.keys().copied().collect();
    ids.sort_unstable();
    let mut marks: HashMap<&str, Mark> = ids.iter().map(|id| (*id, Mark::Unvisited)).collect();
    let mut cycles: Vec<Vec<&str>> = Vec::new();
    for start in &ids {
        if marks[start] != Mark::Unvisited {
            continue;
        }
        // Iterative depth-first search: a 10,000-service chain must not overflow the stack.
        let mut path: Vec<(&str, usize)> = vec![(start, 0)];
        marks.insert(start, Mark::OnPath);
        while let Some((node, next)) = path.last_mut() {
            let dependencies = &context.services[*node].record.depends_on;
            let Some(dependency) = dependencies.get(*next) else {
                marks.insert(node, Mark::Done);
                path.pop();
                continue;
            };
            *next += 1;
            let target = dependency.as_str();
            match marks.get(target).copied() {
                Some(Mark::Unvisited) => {
                    marks.insert(target, Mark::OnPath);
                    path.push((target, 0));
                }
                Some(Mark::OnPath) => {
                    let from = path.iter().position(|(n, _)| *n == target).unwrap_or(0);
                    cycles.push(path[from..].iter().map(|(n, _)| *n).collect());
                }
                _ => {}
            }
        }
    }
    // The same cycle can be met from several back edges; keep one copy of each,
    // written from its alphabetically first service.
    let cycles: BTreeSet<Vec<&str>> = cycles
        .into_iter()
        .map(|mut cycle| {
            let first = cycle
                .iter()
                .enumerate()
                .min_by_key(|(_, id)| **id)
                .map_or(0, |(i, _)| i);
            cycle.rotate_left(first);
            cycle
        })
        .collect();
    for cycle in cycles {
        let first_file = &context.services[cycle[0]].file;
        for start in 0..cycle.len() {
            let at = |offset: usize| cycle[(start + offset) % cycle.len()];
            let service = context.services[at(0)];
            let next = at(1);
            let pos = service
                .record
                .depends_on
                .iter()
                .find(|d| d.as_str() == next)
                .map_or(service.record.id.pos, |d| d.pos);
            // Every message of a short cycle prints all of it; a long one is
            // printed in full once, or a 10,000-service cycle would print
            // 10,000 × 10,000 ids.
            let message = if start == 0 || cycle.len() <= PRINTED_IN_FULL {
                let printed: Vec<&str> = (0..=cycle.len()).map(at).collect();
                format!("`depends_on` forms a cycle: {}", printed.join(" -> "))
            } else {
                format!(
                    "`depends_on` forms a cycle of {} services: {} -> {} -> … -> {} (printed in full at {first_file})",
                    cycle.len(),
                    at(0),
                    at(1),
                    at(0)
                )
            };
            out.push(
                Diagnostic::error(Rule::DependencyCycle, &service.file, pos, message)
                    .with_help("remove one of these dependencies"),
            );
        }
    }
}
