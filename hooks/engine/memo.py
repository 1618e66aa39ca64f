"""Answers of depth-capped walks over names, remembered per node for the scope they are asked in.

`values.is_constant`, `origin.origin_of` and a few rules follow a name to every value it is
assigned, which follow names again, up to a depth cap. Without remembering, a name assigned n
times costs n**depth (a test module that reassigns one variable fifty times never finishes).
The answer depends only on the node, the depth left and the scopes around it, and those are
fixed for the innermost scope, so it is kept there and every answer stays what it was. Keys hold
the node itself (libcst nodes hash by identity), so a node made and dropped by a rule cannot
leave its answer to another that reuses its id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Hashable, Sequence, Tuple, TypeVar

if TYPE_CHECKING:
    from hooks.engine.bindings import ScopeBindings

T = TypeVar("T")
Walk = Callable[[Any, Any, int], T]


def remembered(
    scopes: Sequence[ScopeBindings], key: Tuple[Hashable, ...], compute: Callable[[], T]
) -> T:
    """compute(), or what it gave for `key` before in the innermost of `scopes`."""
    if not scopes:
        return compute()
    memo = scopes[-1].memo
    if key in memo:
        found: T = memo[key]
        return found
    found = memo[key] = compute()
    return found


def per_node(walk: Walk[T]) -> Walk[T]:
    """For a rule's `method(self, node, depth)` that reads nothing but the node and the scopes."""

    def remembering(rule: Any, node: Any, depth: int) -> T:
        key = (walk, rule, node, depth)
        return remembered(rule.ctx.scopes, key, lambda: walk(rule, node, depth))

    remembering.__doc__ = walk.__doc__
    remembering.__name__ = walk.__name__
    return remembering
