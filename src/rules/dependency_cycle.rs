//! `dependency-cycle`: `depends_on` forms a cycle. Each cycle is reported once, at
//! the `depends_on` entry of its alphabetically first service, with the cycle printed.

use std::collections::HashMap;

use super::Context;
use crate::diagnostic::Diagnostic;

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
    for mut cycle in cycles {
        let first = cycle
            .iter()
            .enumerate()
            .min_by_key(|(_, id)| **id)
            .map_or(0, |(i, _)| i);
        cycle.rotate_left(first);
        let service = context.services[cycle[0]];
        let next = cycle.get(1).copied().unwrap_or(cycle[0]);
        let pos = service
            .record
            .depends_on
            .iter()
            .find(|d| d.as_str() == next)
            .map_or(service.record.id.pos, |d| d.pos);
        let printed: Vec<&str> = cycle.iter().copied().chain([cycle[0]]).collect();
        out.push(
            Diagnostic::error(
                "dependency-cycle",
                &service.file,
                pos,
                format!("`depends_on` forms a cycle: {}", printed.join(" -> ")),
            )
            .with_help("remove one of these dependencies"),
        );
    }
}
