"""Positions computed around reported statements (top-level ones, and the methods and body
statements inside them) equal libcst's whole-module positions, and the line span given to each
top-level statement holds every node inside it."""

from __future__ import annotations

import os
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from hooks.engine.positions import line_spans, positions
from hooks.engine.tree import children

STDLIB = Path(os.__file__).parent
SAMPLES = ["subprocess.py", "argparse.py", "dataclasses.py", "functools.py", "enum.py"]
ODD = (
    "# header comment\n\n@decorator(\n    1)\nclass A:  # x\n    def f(self): return g(1)\n"
    "x = 1; y = h(2)\n\n\n# footer\nif x:\n\tz = k(3)\r\nelse:\n\tpass\n"
)


NESTED = (
    "class A:\n"
    '    """doc"""\n'
    "    # a comment\n"
    "    @property\n"
    "    def f(self):  # trailing\n"
    "        x = g(1); y = h(\n"
    "  2,\n"
    "            k(3))\n"
    '        text = """\n'
    '  inside a string""" + m(4)\n'
    "        class B:\n"
    "        \tdef q(self):\n"
    "        \t    return n(5)\n"
    "    async def r(self):\r\n"
    "        if p(6):\r\n"
    "            return [s(7)\r\n"
    "                    for _ in t(8)]\r\n"
    "def one(): return u(9)\n"
)


def chains(module: cst.Module) -> "dict[cst.Call, tuple[cst.CSTNode, ...]]":
    """Each call, with the statements around it from the top-level one down (as the walk
    hands them to reports)."""
    found: "dict[cst.Call, tuple[cst.CSTNode, ...]]" = {}
    stack: "list[tuple[cst.CSTNode, tuple[cst.CSTNode, ...]]]" = [(module, ())]
    while stack:
        node, around = stack.pop()
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            around = (*around, node)
        if isinstance(node, cst.Call):
            found[node] = around
        stack.extend((child, around) for child in children(node))
    return found


@pytest.mark.parametrize("name", ["<nested>", "<odd>", *SAMPLES])
def test_positions_around_inner_statements_match_whole_module_positions(name: str) -> None:
    text = {"<nested>": NESTED, "<odd>": ODD}.get(name) or (STDLIB / name).read_text("utf-8")
    module = cst.parse_module(text)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    around = chains(module)
    assert len(around) >= 4 and max(len(chain) for chain in around.values()) >= 2
    # what a report needs: its node and statement; each chain alone in the small samples, all
    # at once (as the runner asks) in the large ones
    groups = [[chain] for chain in around.values()] if len(text) < 1000 else [around.values()]
    found = {}
    for group in groups:
        found.update(positions(module, text, group))
    assert [found[call] for call in around] == [expected[call] for call in around]
    assert [found[c[-1]] for c in around.values()] == [expected[c[-1]] for c in around.values()]


def calls(module: cst.Module) -> "list[cst.Call]":
    found = []

    class Collect(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            found.append(node)

    module.visit(Collect())
    return found


@pytest.mark.parametrize("name", ["<odd>", *SAMPLES])
def test_statement_local_positions_match_whole_module_positions(name: str) -> None:
    text = ODD if name == "<odd>" else (STDLIB / name).read_text(encoding="utf-8")
    module = cst.parse_module(text)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    found = positions(module, text, [(top,) for top in module.body])
    nodes = calls(module)
    assert len(nodes) >= 3
    assert [found[n] for n in nodes] == [expected[n] for n in nodes]
    assert [found[s] for s in module.body] == [expected[s] for s in module.body]


@pytest.mark.parametrize("name", ["<odd>", *SAMPLES])
def test_every_node_lies_in_the_line_span_of_its_top_level_statement(name: str) -> None:
    """The runner drops a report whose statement's span holds no added line before positioning
    it: that is only right if no node of the statement lies outside the span."""
    text = ODD if name == "<odd>" else (STDLIB / name).read_text(encoding="utf-8")
    module = cst.parse_module(text)
    where = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    spans = line_spans(module, text)
    assert spans is not None and list(spans) == list(module.body)
    checked = 0
    for top in module.body:
        first, last = spans[top]
        inside = [node for node in every_node(top) if node in where]
        assert all(first <= where[n].start.line and where[n].end.line <= last for n in inside)
        checked += len(inside)
    assert checked > len(module.body)


def every_node(top: cst.CSTNode) -> "list[cst.CSTNode]":
    """`top` and every node below it that the walk hands to rules."""
    found, stack = [], [top]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(children(node))
    return found
