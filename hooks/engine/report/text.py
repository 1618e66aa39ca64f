"""flake8-shaped text: `path:line:col: DW102 message [CWE-78]`, the hint on the next line."""

from __future__ import annotations

from collections import Counter
from typing import List, Sequence

from hooks.engine.rule import Finding, Severity


def render(findings: Sequence[Finding], files_checked: int, scope: str) -> str:
    if not findings:
        return ""
    lines: List[str] = []
    for f in findings:
        cwe = f" [{', '.join(f'CWE-{n}' for n in f.cwe)}]" if f.cwe else ""
        lines.append(f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}{cwe}")
        lines.append(f"    {f.severity.label} · {f.name} · hint: {f.hint}")
    counts = Counter(f.severity for f in findings)
    by_severity = ", ".join(
        f"{counts[s]} {s.label}" for s in sorted(counts, reverse=True) if s > Severity.INFO
    )
    notes = counts.get(Severity.INFO, 0)
    paths = len({f.path for f in findings})
    summary = f"diffwarden: {len(findings)} finding{'s' if len(findings) != 1 else ''}"
    summary += f" ({by_severity})" if by_severity else ""
    summary += f" in {paths} file{'s' if paths != 1 else ''}"
    summary += f", {notes} not checked" if notes else ""
    summary += f"; scope: {scope}"
    lines.append(summary)
    return "\n".join(lines) + "\n"
