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


def longest_path(start: str, out: dict[str, list[str]], weight: dict[str, float]) -> tuple[float, list[str]]:
    """The heaviest path from `start` once cycles are broken (back edges dropped), without recursion."""
    order: list[str] = []  # post-order of an iterative DFS
    state: dict[str, int] = {start: 1}  # 1 on the stack, 2 done
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
            continue  # a back edge: a loop (e.g. supplement and back) is counted once
        else:
            dag[node].append(child)
            if child not in state:
                state[child] = 1
                stack.append((child, iter(out.get(child, ()))))
    best: dict[str, tuple[float, str | None]] = {}
    for node in order:  # successors come first in post-order
        tail = max(((best[c][0], c) for c in dag[node]), default=(0.0, None))
        best[node] = (weight.get(node, 0.0) + tail[0], tail[1])
    path, cursor = [], start
    node_or_none: str | None = cursor
    while node_or_none is not None:
        path.append(node_or_none)
        node_or_none = best[node_or_none][1]
    return best[start][0], path
