"""Is this change assistant-written? Signals from the environment, the git identity and the
commit message, kept as data in one place.

Signals only ever tighten the policy: every one of them can be faked or stripped, so their
absence proves nothing and their presence never relaxes a check. A repository can also declare
`profile = "strict"` for every change.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from typing import List, Mapping, Optional, Sequence, Tuple

# environment variables that agent CLIs set in the shells they run commands in
AGENT_ENVIRONMENT: Tuple[Tuple[str, str], ...] = (
    ("CLAUDECODE", "Claude Code"),
    ("CLAUDE_CODE_ENTRYPOINT", "Claude Code"),
    ("CODEX_SANDBOX", "OpenAI Codex CLI"),
    ("CODEX_SANDBOX_NETWORK_DISABLED", "OpenAI Codex CLI"),
    ("GEMINI_CLI", "Gemini CLI"),
    ("CURSOR_AGENT", "Cursor agent"),
    ("AIDER_MODEL", "aider"),
    ("AI_AGENT", "an AI agent"),
)
# author or committer identities of assistants and their bot accounts (regular expressions)
AGENT_IDENTITIES: Tuple[Tuple[str, str], ...] = (
    (r"\(aider\)", "aider"),
    (r"copilot-swe-agent\[bot\]|Copilot <", "GitHub Copilot agent"),
    (r"devin-ai-integration\[bot\]", "Devin"),
    (r"claude\[bot\]|noreply@anthropic\.com", "Claude"),
    (r"cursoragent@cursor\.com|cursor-agent", "Cursor agent"),
    (r"openai-codex|codex\[bot\]", "OpenAI Codex"),
    (r"google-labs-jules\[bot\]", "Jules"),
)
# commit message lines that assistants add (regular expressions, matched per line)
AGENT_TRAILERS: Tuple[Tuple[str, str], ...] = (
    (r"^Co-authored-by:.*\b(Claude|Cursor Agent|Copilot|Codex|Gemini|Devin|aider)\b", "trailer"),
    (r"^Generated (with|by) .*\b(Claude|Copilot|Cursor|Codex|Gemini|aider)\b", "trailer"),
    (r"^aider: ", "aider message prefix"),
)
PROFILES = ("standard", "strict")
Table = Tuple[Tuple[str, str], ...]


@dataclass(frozen=True)
class Signals:
    """The tables in use: the ones above, plus what `[tool.diffwarden.provenance]` adds."""

    environment: Table = AGENT_ENVIRONMENT
    identities: Table = AGENT_IDENTITIES
    trailers: Table = AGENT_TRAILERS

    def extended(self, environment: Sequence[str], identities: Sequence[str],
                 trailers: Sequence[str]) -> Signals:  # fmt: skip
        def configured(values: Sequence[str]) -> Table:
            return tuple((value, "configured") for value in values)

        return Signals(
            self.environment + configured(environment),
            self.identities + configured(identities),
            self.trailers + tuple((value, "configured trailer") for value in trailers),
        )


DEFAULT_SIGNALS = Signals()


@dataclass(frozen=True)
class Provenance:
    profile: str
    signal: str  # what chose the profile, for the one line the user reads
    # a range judged commit by commit: its assistant-written commits (sha, signal), oldest first,
    # and how many commits it has; empty when one profile judges the whole change
    assistant: Tuple[Tuple[str, str], ...] = ()
    commits: int = 0

    @property
    def strict(self) -> bool:
        return self.profile == "strict"

    @property
    def per_commit(self) -> bool:
        """Is each finding judged by the commit that made it (strict only for an assistant's)?"""
        return bool(self.assistant)

    def describe(self) -> str:
        if not self.per_commit:
            return f"profile {self.profile} ({self.signal})"
        count = len(self.assistant)
        more = f"; and {count - 1} more" if count > 1 else ""
        return (
            f"profile strict for {count} of {_commits_count(self.commits)} ({self.signal}{more}), "
            "standard for the rest"
        )


def _commits_count(count: int) -> str:
    return f"{count} commit{'' if count == 1 else 's'}"


def from_environment(
    environ: Mapping[str, str], signals: Signals = DEFAULT_SIGNALS
) -> Optional[str]:
    for variable, agent in signals.environment:
        if environ.get(variable):
            return f"{agent}: {variable} is set"
    return None


def from_identity(identity: str, signals: Signals = DEFAULT_SIGNALS) -> Optional[str]:
    for pattern, agent in signals.identities:
        if re.search(pattern, identity, re.IGNORECASE):
            return f"{agent}: the identity is {identity.strip()}"
    return None


def from_message(message: str, signals: Signals = DEFAULT_SIGNALS) -> Optional[str]:
    for line in message.splitlines():
        for pattern, what in signals.trailers:
            if re.search(pattern, line.strip(), re.IGNORECASE):
                return f"commit message {what}: {line.strip()[:60]}"
    return None


def _git_identities() -> str:
    """The author and committer of the commit being made, as git will record them."""
    found = []
    for variable in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        result = subprocess.run(
            ["git", "var", variable], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False
        )
        found.append(result.stdout.decode("utf-8", "replace").rsplit(">", 1)[0] + ">")
    return "\n".join(found)


def decide(
    declared: str,
    environ: Mapping[str, str],
    message: str = "",
    identities: Optional[str] = None,
    signals: Signals = DEFAULT_SIGNALS,
) -> Provenance:
    """The profile for the running change: declared strict, or strict by the first signal."""
    if declared == "strict":
        return Provenance("strict", "declared in the config")
    found: Sequence[Optional[str]] = (
        from_environment(environ, signals),
        from_message(message, signals),
        from_identity(identities if identities is not None else _git_identities(), signals),
    )
    for signal in found:
        if signal:
            return Provenance("strict", signal)
    return Provenance("standard", "no assistant signal")


def decide_range(
    declared: str,
    environ: Mapping[str, str],
    from_ref: str,
    to_ref: str,
    signals: Signals = DEFAULT_SIGNALS,
) -> Provenance:
    """The profile for a range (pre-push, CI): strict for all of it when it is declared or when
    the process checking it runs under an agent; otherwise each commit is judged by its own
    author, committer and message, and the findings by the commit that made them (the runner
    asks `Scope.made_by`). The signal names the first assistant-written commit.
    """
    decided = decide(declared, environ, identities="", signals=signals)
    if decided.strict:
        return decided
    commits = _commits(from_ref, to_ref)
    assistant = []
    for sha, identities, message in commits:
        signal = from_message(message, signals) or from_identity(identities, signals)
        if signal:
            assistant.append((sha, signal))
    if not assistant:
        return Provenance("standard", f"no assistant signal in {_commits_count(len(commits))}")
    sha, signal = assistant[0]
    return Provenance("strict", f"commit {sha[:10]}, {signal}", tuple(assistant), len(commits))


def _commits(from_ref: str, to_ref: str) -> List[Tuple[str, str, str]]:
    """(sha, "author\ncommitter", message) of each commit in from..to, oldest first."""
    result = subprocess.run(
        ["git", "log", "--reverse", "-z", "--format=%H%x1f%an <%ae>%n%cn <%ce>%x1f%B",
         f"{from_ref}..{to_ref}", "--"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    records = result.stdout.decode("utf-8", "replace").split("\0")
    commits = [tuple(record.split("\x1f", 2)) for record in records if record.count("\x1f") >= 2]
    return [(sha, identities, message) for sha, identities, message in commits]


def commit_message(path: Optional[str]) -> str:
    """The message being committed, at the commit-msg stage (pre-commit passes its file)."""
    if not path or not os.path.isfile(path):
        return ""
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read()
