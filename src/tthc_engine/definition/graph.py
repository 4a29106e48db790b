"""Graph helpers for the semantic checks: reachability and the heaviest path, both without recursion.

A 1 MiB file can hold thousands of states in a chain, so nothing here recurses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator


def closure(start: set[str], edges: dict[str, set[str]]) -> set[str]:
    seen = set(start)
    todo = list(start)
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def longest_path_to(
    start: str, out: dict[str, list[str]], weight: dict[str, float], goals: set[str]
) -> tuple[float, list[str]] | None:
    """The heaviest path from `start` that ends in one of `goals` once cycles are broken (back edges
    dropped), without recursion; None when no goal is reached. Ties go to the first edge declared."""
    order: list[str] = []
    state: dict[str, int] = {start: 1}
    stack: list[tuple[str, Iterator[str]]] = [(start, iter(out.get(start, ())))]
    dag: dict[str, list[str]] = defaultdict(list)
    while stack:
        node, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            state[node] = 2
            order.append(node)
        elif state.get(child) == 1:
            continue
        else:
            dag[node].append(child)
            if child not in state:
                state[child] = 1
                stack.append((child, iter(out.get(child, ()))))
    best: dict[str, tuple[float, str | None]] = {}
    for node in order:
        tail: tuple[float, str | None] | None = (0.0, None) if node in goals else None
        for child in dag[node]:
            if child in best and (tail is None or best[child][0] > tail[0]):
                tail = (best[child][0], child)
        if tail is not None:
            best[node] = (weight.get(node, 0.0) + tail[0], tail[1])
    if start not in best:
        return None
    path: list[str] = []
    cursor: str | None = start
    while cursor is not None:
        path.append(cursor)
        cursor = best[cursor][1]
    return best[start][0], path
