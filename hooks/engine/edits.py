"""Small, format-keeping edits of call nodes, for rules' fixes (see `Fix` in rule.py).

Each takes the call as the fixer hands it over and returns a new one. Commas carry the layout
of an argument list (the space after `a,`, the newline and indent of a one-per-line call, a
trailing comma), so adding or removing an argument moves commas, never rewrites whitespace.
"""

from __future__ import annotations

from typing import Any, List

from hooks.engine.lazy import cst


def _keyword_index(call: cst.Call, keyword: str) -> int:
    for index, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == keyword:
            return index
    return -1


def _without(call: cst.Call, index: int) -> cst.Call:
    args: List[cst.Arg] = list(call.args)
    removed = args.pop(index)
    if args and index == len(args):  # the last one went: its comma (or none) ends the list now
        args[-1] = args[-1].with_changes(comma=_closing(args[-1].comma, removed.comma))
    return call.with_changes(args=args)


def _closing(before: Any, removed: Any) -> Any:
    """The comma that ends the list when the argument after `before` goes: the removed one's
    layout (its newline before the closing parenthesis, or none), with the comment of the line
    before kept and the removed argument's own comment gone with it."""
    kept: Any = before.whitespace_after if isinstance(before, cst.Comma) else None
    commented = isinstance(kept, cst.ParenthesizedWhitespace) and kept.first_line.comment
    after = removed.whitespace_after if isinstance(removed, cst.Comma) else None
    if not isinstance(after, cst.ParenthesizedWhitespace):
        return before if commented else removed  # a comment needs its line to end after it
    first = kept.first_line if commented else cst.TrailingWhitespace()
    return removed.with_changes(whitespace_after=after.with_changes(first_line=first))


def without_keyword(call: cst.Call, keyword: str) -> cst.Call:
    """`f(a, verify=False)` -> `f(a)`; the call itself when there is no such argument."""
    index = _keyword_index(call, keyword)
    return call if index < 0 else _without(call, index)


def without_positional(call: cst.Call, position: int) -> cst.Call:
    """`f(a, b)` -> `f(a)` for position 1."""
    positional = [i for i, arg in enumerate(call.args) if arg.keyword is None and not arg.star]
    return _without(call, positional[position]) if position < len(positional) else call


def with_keyword(call: cst.Call, keyword: str, value: str) -> cst.Call:
    """Set `keyword=value` (value is source text): replaced in place, or added last.

    A list written one argument per line gets the new argument on a line of its own, and a
    trailing comma stays trailing.
    """
    expression = cst.parse_expression(value)
    args: List[cst.Arg] = list(call.args)
    index = _keyword_index(call, keyword)
    if index >= 0:
        args[index] = args[index].with_changes(value=expression)
        return call.with_changes(args=args)
    new = cst.Arg(
        value=expression,
        keyword=cst.Name(keyword),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )
    if args:
        last = args[-1]
        trailing = isinstance(last.comma, cst.Comma)
        between = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        if trailing and len(args) > 1 and isinstance(args[-2].comma, cst.Comma):
            between = args[-2].comma  # one per line: the same newline and indent
        elif trailing and isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace):
            # the only argument, on a line of its own: indent the new one as it is indented
            layout = call.whitespace_before_args.with_changes(first_line=cst.TrailingWhitespace())
            between = cst.Comma(whitespace_after=layout)
        if trailing:
            new = new.with_changes(comma=last.comma)
        args[-1] = last.with_changes(comma=between)
    args.append(new)
    return call.with_changes(args=args)


def with_argument(call: cst.Call, position: int, keyword: str, value: str) -> cst.Call:
    """Replace the value of the argument passed as `keyword=` or at `position`."""
    index = _keyword_index(call, keyword)
    if index < 0:
        positional = [i for i, arg in enumerate(call.args) if arg.keyword is None and not arg.star]
        if position >= len(positional):
            return call
        index = positional[position]
    args: List[cst.Arg] = list(call.args)
    args[index] = args[index].with_changes(value=cst.parse_expression(value))
    return call.with_changes(args=args)


def with_callee(call: cst.Call, dotted: str) -> cst.Call:
    """Call `dotted` (`secrets.SystemRandom().choice`) instead, with the same arguments."""
    return call.with_changes(func=cst.parse_expression(dotted))


def renamed(call: cst.Call, name: str) -> cst.Call:
    """`y.load(...)` -> `y.safe_load(...)`, `load(...)` -> `safe_load(...)`: the alias stays."""
    func = call.func
    if isinstance(func, cst.Attribute):
        return call.with_changes(func=func.with_changes(attr=cst.Name(name)))
    return call.with_changes(func=cst.Name(name))
