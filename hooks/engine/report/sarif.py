"""SARIF 2.1.0 for GitHub code scanning: rules with CWE tags and security-severity, results with
stable partial fingerprints (they ignore line numbers, so moving code does not reopen alerts)."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from typing import Any, Dict, List, Sequence, Tuple, Type, Union
from urllib.parse import quote

from hooks import __version__
from hooks.engine.rule import ENGINE_CHECKS, EngineCheck, Finding, Rule, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVEL = {
    Severity.INFO: "note",
    Severity.LOW: "note",
    Severity.MEDIUM: "warning",
    Severity.HIGH: "error",
    Severity.CRITICAL: "error",
}
SECURITY_SEVERITY = {
    Severity.INFO: "0.0",
    Severity.LOW: "3.0",
    Severity.MEDIUM: "5.5",
    Severity.HIGH: "8.0",
    Severity.CRITICAL: "9.5",
}
Described = Union[Type[Rule], EngineCheck]


def _rule(rule: Described) -> Dict[str, Any]:
    tags = ["security", *(f"external/cwe/cwe-{n}" for n in rule.cwe)]
    precision = rule.confidence.label if isinstance(rule, type) else "very-high"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.summary},
        "help": {
            "text": f"Fix: {rule.hint}. Documentation: docs/rules/{rule.code}.md",
            "markdown": f"**Fix:** {rule.hint}\n\nSee `docs/rules/{rule.code}.md`.",
        },
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "tags": tags,
            "precision": precision,
            "security-severity": SECURITY_SEVERITY[rule.severity],
        },
    }


def _fingerprints(findings: Sequence[Finding]) -> List[str]:
    """Hash of code, path, message and the occurrence number among identical ones."""
    seen: Counter[Tuple[str, str, str]] = Counter()
    prints = []
    for f in findings:
        key = (f.code, f.path, f.message)
        digest = hashlib.sha256("\0".join([*key, str(seen[key])]).encode()).hexdigest()
        seen[key] += 1
        prints.append(digest[:32])
    return prints


def render(
    findings: Sequence[Finding], files_checked: int, scope: str, rules: Sequence[Type[Rule]]
) -> str:
    described: List[Described] = [*rules, *ENGINE_CHECKS]
    index = {rule.code: i for i, rule in enumerate(described)}
    results = []
    for finding, fingerprint in zip(findings, _fingerprints(findings)):
        results.append(
            {
                "ruleId": finding.code,
                "ruleIndex": index[finding.code],
                "level": LEVEL[finding.severity],
                "message": {"text": f"{finding.message}. Fix: {finding.hint}"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {
                                "uri": quote(finding.path.replace(os.sep, "/")),
                                "uriBaseId": "%SRCROOT%",
                            },
                            "region": {
                                "startLine": finding.line,
                                "startColumn": finding.col,
                                "endLine": finding.end_line,
                                "endColumn": max(finding.end_col, finding.col),
                            },
                        }
                    }
                ],
                "partialFingerprints": {"diffwarden/v1": fingerprint},
                "properties": {
                    "severity": finding.severity.label,
                    "confidence": finding.confidence.label,
                    "security-severity": SECURITY_SEVERITY[finding.severity],
                },
            }
        )
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "diffwarden",
                        "version": __version__,
                        "rules": [_rule(rule) for rule in described],
                    }
                },
                "results": results,
                "properties": {"scope": scope, "files": files_checked},
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"
