"""flake8-shaped text: `path:line:col: DW102 message [CWE-78]`, the hint on the next line."""

from __future__ import annotations

from collections import Counter
from typing import List, Sequence

from hooks.engine.rule import Finding


def render(findings: Sequence[Finding], files_checked: int, scope: str) -> str:
    if not findings:
        return ""
    lines: List[str] = []
    for f in findings:
        cwe = f" [{', '.join(f'CWE-{n}' for n in f.cwe)}]" if f.cwe else ""
        lines.append(f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}{cwe}")
        lines.append(f"    {f.severity.label} · {f.name} · hint: {f.hint}")
    lines.append(summary(findings, scope))
    return "\n".join(lines) + "\n"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary(findings: Sequence[Finding], scope: str) -> str:
    """`diffwarden: 2 findings (1 high, 1 low) in 1 file; 1 file not checked; scope: ...`"""
    problems = [f for f in findings if f.blocking]
    parts = []
    if problems:
        counts = Counter(f.severity for f in problems)
        by_severity = ", ".join(f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True))
        files = _plural(len({f.path for f in problems}), "file")
        parts.append(f"{_plural(len(problems), 'finding')} ({by_severity}) in {files}")
    notes = {f.path for f in findings if not f.blocking}
    if notes:
        parts.append(f"{_plural(len(notes), 'file')} not checked")
    return f"diffwarden: {'; '.join(parts)}; scope: {scope}"
