//! `dependency-cycle`: `depends_on` forms a cycle. The services that depend on
//! each other in a circle form a strongly connected component of the
//! dependency graph; each component is reported once, on every service in it
//! (at the `depends_on` entry that continues the cycle shown), so whichever file
//! closed the cycle, `--changed-since` shows it (audit of issue 2, finding 5).
//!
//! The components are found by Tarjan's algorithm, iteratively (a 10,000-service
//! chain must not overflow the stack), in time linear in services plus
//! dependencies. One cycle per back edge, repeated on every member, once took
//! 2.5 GB for 2,000 services with 10 random dependencies each (issue 11,
//! finding 11): now each message is bounded, whatever the size of the component.

use std::collections::{HashMap, VecDeque};

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};

/// Longest cycle printed in full; a longer one is shortened in the middle.
const PRINTED_IN_FULL: usize = 20;
/// Services printed from the start of a shortened cycle.
const SHOWN_HEAD: usize = 8;
/// Services printed before the end of a shortened cycle.
const SHOWN_TAIL: usize = 2;
/// Members a component's message names before it says "and N more".
const NAMED_MEMBERS: usize = 10;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let mut ids: Vec<&str> = context.services.keys().copied().collect();
    ids.sort_unstable();
    let number: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    // Dependencies as node numbers, each distinct target once, with the index
    // of the first `depends_on` entry naming it (where the diagnostic points).
    let edges: Vec<Vec<(usize, usize)>> = ids
        .iter()
        .map(|id| {
            let mut targets: Vec<(usize, usize)> = Vec::new();
            for (entry, dependency) in context.services[id].record.depends_on.iter().enumerate() {
                if let Some(&target) = number.get(dependency.as_str())
                    && !targets.iter().any(|(t, _)| *t == target)
                {
                    targets.push((target, entry));
                }
            }
            targets
        })
        .collect();
    let targets: Vec<Vec<usize>> = edges
        .iter()
        .map(|e| e.iter().map(|(t, _)| *t).collect())
        .collect();
    for component in cyclic_components(&targets) {
        report(context, &ids, &edges, &targets, &component, out);
    }
}

/// The diagnostics of one cyclic component (its members sorted).
fn report(
    context: &Context,
    ids: &[&str],
    edges: &[Vec<(usize, usize)>],
    targets: &[Vec<usize>],
    component: &[usize],
    out: &mut Vec<Diagnostic>,
) {
    let cycle = shortest_cycle_through(targets, component, component[0]);
    let on_cycle: HashMap<usize, usize> = cycle.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let member = |node: usize| component.binary_search(&node).is_ok();
    // A component that is one plain circle: every member depends on exactly
    // one other member. Then each message shows the circle from its own service.
    let single_circle = cycle.len() == component.len()
        && component
            .iter()
            .all(|n| targets[*n].iter().filter(|t| member(**t)).count() == 1);
    let mut named: Vec<&str> = component
        .iter()
        .take(NAMED_MEMBERS)
        .map(|n| ids[*n])
        .collect();
    if component.len() > NAMED_MEMBERS {
        named.push("…");
    }
    for &node in component {
        let service = context.services[ids[node]];
        // The entry that continues the cycle shown, else the first that stays
        // inside the component.
        let next = match on_cycle.get(&node) {
            Some(&at) => cycle[(at + 1) % cycle.len()],
            None => targets[node]
                .iter()
                .copied()
                .find(|t| member(*t))
                .unwrap_or(node),
        };
        let pos = edges[node]
            .iter()
            .find(|(t, _)| *t == next)
            .and_then(|(_, entry)| service.record.depends_on.get(*entry))
            .map_or(service.record.id.pos, |d| d.pos);
        let start = on_cycle.get(&node).copied().unwrap_or(0);
        let shown = printed_cycle(&cycle, start, |n| ids[n]);
        let message = if single_circle {
            if cycle.len() <= PRINTED_IN_FULL {
                format!("`depends_on` forms a cycle: {shown}")
            } else {
                format!(
                    "`depends_on` forms a cycle of {} services: {shown}",
                    cycle.len()
                )
            }
        } else {
            format!(
                "`depends_on` ties {} services into cycles ({}); one of them: {shown}",
                component.len(),
                named.join(", ")
            )
        };
        out.push(
            Diagnostic::error(Rule::DependencyCycle, &service.file, pos, message)
                .with_help("remove one of these dependencies"),
        );
    }
}

/// `cycle` written from position `start` back to it (`a -> b -> a`); a cycle
/// longer than [`PRINTED_IN_FULL`] shows its first [`SHOWN_HEAD`] and last
/// [`SHOWN_TAIL`] services around `…`, so every message is bounded.
fn printed_cycle<'a>(cycle: &[usize], start: usize, id: impl Fn(usize) -> &'a str) -> String {
    let at = |offset: usize| id(cycle[(start + offset) % cycle.len()]);
    let n = cycle.len();
    let mut parts: Vec<&str> = Vec::new();
    if n <= PRINTED_IN_FULL {
        parts.extend((0..n).map(at));
    } else {
        parts.extend((0..SHOWN_HEAD).map(at));
        parts.push("…");
        parts.extend((n - SHOWN_TAIL..n).map(at));
    }
    parts.push(at(0));
    parts.join(" -> ")
}

/// The strongly connected components of the graph (`targets[v]`: the nodes `v`
/// depends on) that hold a cycle — two or more members, or one that depends on
/// itself — each with its members sorted, in order of their smallest member.
/// Tarjan's algorithm with an explicit stack: every node and edge is visited
/// once.
fn cyclic_components(targets: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = targets.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut calls: Vec<(usize, usize)> = Vec::new();
    let mut next_order = 0;
    let mut components = Vec::new();
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        calls.push((root, 0));
        while let Some(&mut (node, ref mut edge)) = calls.last_mut() {
            if let Some(&target) = targets[node].get(*edge) {
                *edge += 1;
                if order[target] == UNSEEN {
                    order[target] = next_order;
                    low[target] = next_order;
                    next_order += 1;
                    stack.push(target);
                    on_stack[target] = true;
                    calls.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(order[target]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                let mut component = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component.push(member);
                    if member == node {
                        break;
                    }
                }
                if component.len() > 1 || targets[node].contains(&node) {
                    component.sort_unstable();
                    components.push(component);
                }
            }
        }
    }
    components.sort_unstable_by_key(|c| c[0]);
    components
}

/// A shortest cycle through `start` inside `component` (sorted), as the nodes
/// from `start` on: a breadth-first search from `start` until an edge leads
/// back to it, linear in the component's edges.
fn shortest_cycle_through(targets: &[Vec<usize>], component: &[usize], start: usize) -> Vec<usize> {
    let member = |node: usize| component.binary_search(&node).is_ok();
    let mut parent: HashMap<usize, usize> = HashMap::from([(start, start)]);
    let mut queue = VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &target in &targets[node] {
            if target == start {
                let mut cycle = vec![node];
                let mut at = node;
                while at != start {
                    at = parent[&at];
                    cycle.push(at);
                }
                cycle.reverse();
                return cycle;
            }
            if member(target) && !parent.contains_key(&target) {
                parent.insert(target, node);
                queue.push_back(target);
            }
        }
    }
    // Not reached for a cyclic component; the start alone keeps the caller simple.
    vec![start]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_of_small_graphs() {
        // 0 -> 1 -> 0 (a circle), 2 -> 2 (a self-dependency), 3 -> 0 (outside),
        // 4 -> 5 -> 6 -> 4 and 5 -> 4 (two cycles in one component).
        let targets = vec![
            vec![1],
            vec![0],
            vec![2],
            vec![0],
            vec![5],
            vec![6, 4],
            vec![4],
        ];
        assert_eq!(
            cyclic_components(&targets),
            vec![vec![0, 1], vec![2], vec![4, 5, 6]]
        );
        assert_eq!(shortest_cycle_through(&targets, &[4, 5, 6], 4), vec![4, 5]);
        assert_eq!(shortest_cycle_through(&targets, &[2], 2), vec![2]);
        assert_eq!(shortest_cycle_through(&targets, &[0, 1], 1), vec![1, 0]);
    }

    #[test]
    fn long_cycles_are_printed_bounded() {
        let cycle: Vec<usize> = (0..10_000).collect();
        let names: Vec<String> = (0..10_000).map(|i| format!("s{i}")).collect();
        let shown = printed_cycle(&cycle, 5, |n| names[n].as_str());
        assert_eq!(
            shown,
            "s5 -> s6 -> s7 -> s8 -> s9 -> s10 -> s11 -> s12 -> … -> s3 -> s4 -> s5"
        );
        let short = printed_cycle(&[0, 1, 2], 1, |n| names[n].as_str());
        assert_eq!(short, "s1 -> s2 -> s0 -> s1");
    }

    /// 2,000 services with 10 pseudo-random dependencies each: one big
    /// component, found in one pass over the 20,000 edges.
    #[test]
    fn two_thousand_services_with_ten_random_dependencies() {
        let mut seed: u64 = 42;
        let mut random = |bound: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize % bound
        };
        let targets: Vec<Vec<usize>> = (0..2_000)
            .map(|_| (0..10).map(|_| random(2_000)).collect())
            .collect();
        let components = cyclic_components(&targets);
        let members: usize = components.iter().map(Vec::len).sum();
        assert!(members > 1_900 && members <= 2_000, "{members}");
        let biggest = components.iter().max_by_key(|c| c.len()).unwrap();
        let cycle = shortest_cycle_through(&targets, biggest, biggest[0]);
        // A random graph this dense has short cycles.
        assert!(cycle.len() <= 10, "{}", cycle.len());
    }
}
