"""secrets: credentials and key files in the change, for every file, not only Python.

**What it finds.** DW501: a secret on a line the change adds, found by detect-secrets' own plugins
(AWS, Azure, GitHub, GitLab, Slack, Stripe, Twilio, OpenAI, PyPI, npm, SendGrid, private keys,
JWTs, basic auth in URLs, secret keywords, high-entropy strings...) with its heuristic filters,
plus our plugins for providers it lacks (Anthropic, Hugging Face, Google API keys, GCP
service-account files, Docker Hub, Databricks, database URLs with a password). DW502: a file that
holds credentials by its nature (`.env`, `id_rsa`, `*.pem` and `*.key` with a private key,
`*.p12`/`*.pfx`, service-account JSON, `.npmrc`/`.pypirc`/`.netrc`/`.git-credentials` with
tokens, kubeconfig, `*.tfstate`, shell history), whatever the content scan says.

A string written over several lines (Python literals joined side by side, with `+` or by a
backslash, a YAML folded scalar, a shell or Dockerfile line continued with `\\`, a Terraform or
shell heredoc given to a name, literals joined with `+` in JavaScript, TypeScript, Java, Go, C#,
Kotlin and Ruby or with `.` in PHP, a private key's block) is scanned whole when the change adds
any of its lines, and reported on its first line. Unquoted values of `.env` files, Dockerfiles
(`ENV`, `ARG`) and shell scripts are scanned as if quoted, and a Terraform `variable
"db_password"` block's string `default` as that name's value.

**Why it matters in assistant-written code.** Assistants paste keys from a chat into code,
write `.env` files, print tokens in debug code and copy connection strings into config. Once a
key is in a commit it is in every clone: it must be revoked, not just deleted.

**Bad**

```python
client = OpenAI(api_key="sk-proj-...")   # the real key, pasted from a chat
```

**Good**

```python
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
```

**Not flagged.** Placeholders (`<your-key-here>`, `${TOKEN}`, `xxxxxxxx`, `sk-...`,
`your-api-key`, `changeme`) and AWS's documented `...EXAMPLE` keys; environment lookups; UUIDs;
hex strings (digests, commits) unless a name on or just above the line says key, secret, token,
password, auth or credential; base64 images and certificate bodies; lock files, swagger files
and binary formats (as detect-secrets skips them); lines carrying detect-secrets'
`pragma: allowlist secret` (or `pragma: allowlist nextline secret` on the line before), and
secrets recorded in the `.secrets.baseline` that detect-secrets writes, so a team that uses
`detect-secrets-hook` today can switch without re-auditing. `.env.example`, `.env.sample` and
`.env.template` are not key files. In environment files and Dockerfiles: `${TOKEN}` and
`$TOKEN` references, empty values, paths (`PASSWORD_FILE=/run/secrets/db`), booleans, numbers
and versions.

**Python files** are read with `ast` too: a high-entropy string in a docstring, a regex (given
to `re.compile` and its kin, or to a `*_pattern`/`*_re` name), a digest (under a `*hash`,
`*digest`, `*sha256`... name, or digest-sized in a test file) is not a secret; a literal given to
a credential name (`api_key="..."`, `self.token = "..."`, `{"password": "..."}`) is one at any
entropy, judged as DW503 judges it (placeholders, messages and field names stay quiet). On such
a line DW503 stays quiet: one report per line, and DW501's names the provider and honours the
baseline and pragmas.

**Output never holds a secret:** only its kind, its place, its first characters and its length.

**Fix.** None automatic: revoke the key, then read it from the environment or a secret manager.

**References.** CWE-798 (hard-coded credentials), CWE-312 (cleartext storage of sensitive
information); detect-secrets; ruff S105-S107 and bandit B105-B107 for the Python-only part.
"""

from __future__ import annotations

import fnmatch
import hashlib
import io
import json
import os
import re
import sys
from contextlib import contextmanager
from functools import lru_cache
from types import ModuleType
from typing import Any, Dict, FrozenSet, Iterable, Iterator, List, NamedTuple, Optional, Set, Tuple

from hooks._secret_lines import Rewrite, key_blocks, quoted, rewrites_of, yaml_ends
from hooks._secret_python import PythonStrings, python_strings
from hooks.hardcoded_credentials import is_credential
from hooks.engine.prefilter import Prefilter
from hooks.engine.rule import Bad, Confidence, Finding, Ok, Severity, TextRule
from hooks.engine.source import is_python, lines_of
from hooks.engine.lazyre import lazy_re

# A line worth handing to detect-secrets: a secret-ish keyword, a long token that mixes cases or
# holds a digit, a URL with a password, or a PEM header. Cheap, and checked on raw bytes first: a
# file without any is not scanned and detect-secrets is not even imported.
KEYWORDS = (
    rb"(?i:pass(?:word|wd)?|pwd|secret|token|api_?key|apikey|private_?key|access_?key|credential"
    rb"|auth)"
)
# key headers: PEM's `-----BEGIN`, SSH2's `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----`, PuTTY's
SIGNS = KEYWORDS + rb"|://[^\s:/@]+:[^\s@/]+@|-----BEGIN|PRIVATE KEY|PuTTY-User-Key"
RUN = rb"[A-Za-z0-9+/=_\-]"
START = rb"(?<![A-Za-z0-9+/=_\-])"
# at least 20 token characters, holding a digit or mixing cases (not a plain snake_case word)
TOKEN = (
    START + rb"(?=" + RUN + rb"*[0-9])" + RUN + rb"{20,}"
    + rb"|" + START + rb"(?=" + RUN + rb"*[A-Z])(?=" + RUN + rb"*[a-z])" + RUN + rb"{20,}"
)  # fmt: skip
CANDIDATES = lazy_re(SIGNS + rb"|" + TOKEN)
# CANDIDATES.search(data) as a Prefilter, about ten times faster on a whole file: KEYWORDS as
# folded substrings, and TOKEN as whole runs of 20 or more token characters that hold a digit
# or mix cases (tests/test_secrets.py checks that both agree)
PREFILTER = Prefilter(
    folded=[
        b"pass", b"pwd", b"secret", b"token", b"api_key", b"apikey", b"private_key",
        b"privatekey", b"credential", b"auth",
    ],
    patterns=[rb"://[^\s:/@]+:[^\s@/]+@", rb"-----BEGIN", rb"PRIVATE KEY", rb"PuTTY-User-Key"],
    runs=[(START + RUN + rb"{20,}", rb"[0-9]|[A-Z].*[a-z]|[a-z].*[A-Z]")],
)  # fmt: skip
CANDIDATE_LINE = lazy_re(CANDIDATES.pattern.decode("ascii"))


WHOLE_TOKEN = lazy_re(r"[^\s'\"`,;]+")
PREFIX_ONLY = 8  # a "secret" this short is a plugin's captured prefix, not the secret
# kinds that match a shape, not a provider's format: they rank lower
GENERIC_KINDS = frozenset(
    {"Secret Keyword", "Base64 High Entropy String", "Hex High Entropy String"}
)
KEYWORD, HEX, BASE64, PRIVATE_KEY = (
    "Secret Keyword", "Hex High Entropy String", "Base64 High Entropy String", "Private Key"
)  # fmt: skip
# noisy, and not a credential
DISABLED_PLUGINS = ("IPPublicDetector",)

# Look-alikes: values that stand for a secret in docs, templates and examples. Nothing to revoke.
PLACEHOLDER_WORDS = frozenset(
    {"changeme", "change-me", "change_me", "password", "passw0rd", "secret", "postgres", "root",
     "admin", "example", "placeholder", "dummy", "redacted"}
)  # fmt: skip
REPEATED = lazy_re(r"(.)\1{7,}")  # xxxxxxxx, AKIAXXXXXXXXXXXXXXXX, 00000000
# ten letters of the alphabet in order: an alphabet (`"abc...xyz" "ABC...XYZ0123456789_"`),
# which detect-secrets' sequential-string filter drops only when the whole value is one
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
IN_ORDER = lazy_re("|".join(ALPHABET[i : i + 10] for i in range(17)), re.IGNORECASE)
# a hex string is a digest, a commit or an id unless a name near it says secret
SECRET_NAME = lazy_re(r"(?i)key|secret|token|pass|pwd|auth|credential")
OWN_NAME = lazy_re(r"""^\s*(?:export\s+|ENV\s+|ARG\s+|-\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]""")
NEUTRAL_NAMES = frozenset({"value", "default", "data", "text"})  # k8s `value:`, Terraform
# base64 that is public by nature: images (PNG, JPEG, GIF, WebP) and certificate bodies
IMAGES = ("iVBORw0KGgo", "/9j/", "R0lGOD", "UklGR")
PUBLIC_BLOCK = lazy_re(r"-{4,5} ?BEGIN (?:[A-Z0-9 ]*CERTIFICATE|[A-Z0-9 ]*PUBLIC KEY)")
BLOCK_EDGE = lazy_re(r"-{4,5} ?(?:BEGIN|END) ")
# a literal's closing quote and the operator that joins it to the next line's (`"sk-…" +`)
CHAIN_END = lazy_re(r"(?<=[\"'`])\s*[+.]$")
YAML_FILE = lazy_re(r"\.(?:ya?ml|eyaml)$", re.IGNORECASE)
# detect-secrets' is_indirect_reference matches `([^\v=!:]*)\s*(:=?|[!=]{1,3})\s*(...)`: its
# first group and spaces may be empty, so it matches where this does; without that group it
# is linear, where detect-secrets' backtracks over the whole line from every position (about
# 0.3 ms a line, 2 ms on a long one; tests/test_secrets.py checks that both agree)
INDIRECT_REFERENCE = lazy_re(r"(?::=?|[!=]{1,3})\s*[\w.-]+[\[\(][^\v]*[\]\)]")


class _Offline(ModuleType):
    """Stands in for `requests` while detect-secrets is imported: any use of it fails."""

    def __getattr__(self, name: str) -> "_Offline":
        return self  # `requests.Response` in a signature; never called: a hook has no network


@contextmanager
def _without_requests() -> Iterator[None]:
    """detect-secrets imports `requests` (a quarter of a second, most of its own import time)
    only to verify keys online, which a hook never does. Its modules get a stand-in that fails
    if used; code that imports `requests` later gets the real one."""
    if "requests" in sys.modules:
        yield
        return
    stand_in = _Offline("requests")
    sys.modules["requests"] = stand_in
    try:
        yield
    finally:
        if sys.modules.get("requests") is stand_in:
            del sys.modules["requests"]


@lru_cache(maxsize=1)
def _plugins() -> Tuple[Any, ...]:
    """detect-secrets configured once per process: every default plugin, no network verification.
    Called before any other use of detect-secrets, so that it is imported without `requests`."""
    with _without_requests():
        import detect_secrets.core.scan  # noqa: F401  # every module the hook uses
        import detect_secrets.filters.common  # noqa: F401  # imported by name on first scan
        import detect_secrets.transformers  # noqa: F401
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
        from detect_secrets.settings import configure_settings_from_baseline, get_plugins

        from hooks.detectors.providers import DETECTORS

        _ask_indirect_reference_only_when_it_can_hold()
        classes: List[type] = list(get_mapping_from_secret_type_to_class().values())
        names = [cls.__name__ for cls in classes]
        configure_settings_from_baseline(
            {"plugins_used": [{"name": n} for n in names if n not in DISABLED_PLUGINS]}
        )
        return (*get_plugins(), *(detector() for detector in DETECTORS))


def _ask_indirect_reference_only_when_it_can_hold() -> None:
    """Put a guard before detect-secrets' `is_indirect_reference` filter: its own function
    still decides, and is asked only about a line that INDIRECT_REFERENCE finds an indirect
    reference in (the same lines). The settings keep its name, so a baseline written here
    names detect-secrets' filter, as detect-secrets' own would."""
    from detect_secrets.filters import heuristic

    original = heuristic.is_indirect_reference
    if hasattr(original, "original"):
        return  # guarded already

    def is_indirect_reference(line: str) -> bool:
        return INDIRECT_REFERENCE.search(line) is not None and original(line)

    is_indirect_reference.original = original  # type: ignore[attr-defined]
    is_indirect_reference.__doc__ = original.__doc__
    heuristic.is_indirect_reference = is_indirect_reference


def _scan_lines(path: str, lines: List[str], numbers: List[int]) -> Iterator[Tuple[int, Any, Any]]:
    """(line number, plugin, detect-secrets' PotentialSecret) for each secret on the lines.

    This is detect-secrets' own per-line loop (core/scan.py), run only over the lines in scope,
    with the whole file as context so its filters and allowlist pragmas see what they expect.
    One change of order, not of result: its line filters run only on lines where a plugin found
    something, since one of them (`is_indirect_reference`) costs more than all plugins on a
    long line.
    """
    if not numbers:
        return  # nothing to scan: detect-secrets is not even imported
    from detect_secrets.core.scan import _is_filtered_out, _scan_line
    from detect_secrets.util.code_snippet import get_code_snippet

    plugins = _plugins()
    for number in numbers:
        line = lines[number - 1].rstrip()
        context = get_code_snippet(lines=lines, line_number=number)
        found = [
            (plugin, secret)
            for plugin in plugins
            for secret in _scan_line(plugin, path, line, number, context)
        ]
        if not found or _is_filtered_out(["line"], filename=path, line=line, context=context):
            continue  # the allowlist pragmas, among others
        for plugin, secret in found:
            if not _is_filtered_out(
                ["context"], filename=path, secret=secret.secret_value, plugin=plugin,
                line=line, context=context,
            ):  # fmt: skip
                yield number, plugin, secret


class Secret(NamedTuple):
    """One secret on one line: what DW501 reports and what a baseline records."""

    line: int
    col: int  # 1-based, of the whole token
    kind: str
    token: str  # the whole token, measured for the message
    hashed: str  # detect-secrets' hash of what its plugin captured
    end_line: int  # the last line of the string that holds it


def secrets_in(
    path: str, text: str, python: bool, numbers: Optional[Iterable[int]]
) -> List[Secret]:
    """The secrets on the given lines of a file (None: every line), look-alikes left out.

    A string written over several lines counts as one: it is scanned when the change adds any
    of its lines, and its secret is reported on its first line, spanning to its last.
    """
    lines = lines_of(text)
    every = range(1, len(lines) + 1)
    wanted = set(every) if numbers is None else set(every).intersection(numbers)
    strings = python_strings(path, text, None if numbers is None else wanted) if python else None
    ends = yaml_ends(text) if YAML_FILE.search(path) else {}
    rewrites = [
        r for r in _own_rewrites(path, lines, strings) if _touches(wanted, r.line, r.end_line)
    ]
    blocks = key_blocks(lines) if "PRIVATE KEY" in text else {}
    named = [(n.line, n.end_line) for n in strings.named] if strings is not None else []
    spans = [(r.line, r.end_line) for r in rewrites]
    spans += [s for s in [*named, *ends.items(), *blocks.items()] if _touches(wanted, *s)]
    # every line of a string the change touches, old ones too: a piece of a split secret gives
    # way to the whole, and a secret whole on an old line stays old (see _merged)
    scanned = wanted.union(*(range(first, last + 1) for first, last in spans))
    # detect-secrets reads a few thousand lines a second: give it only the candidates
    candidates = [n for n in sorted(scanned) if CANDIDATE_LINE.search(lines[n - 1])]
    rewrites = [r for r in rewrites if _differs(r, lines) and CANDIDATE_LINE.search(r.text)]
    if not candidates and not rewrites and not any(_touches(wanted, *n) for n in named):
        return []
    _plugins()
    if _skipped_file(path):
        return []
    found = _detected(path, lines, candidates, blocks)
    # a value of ours rewritten on its own line whose secret the line as written already gave:
    # scanned once (detect-secrets' own rewrites stay: a baseline may hold their hash)
    tokens: Dict[int, List[str]] = {}
    for secret in found:
        tokens.setdefault(secret.line, []).append(secret.token)
    rewrites = [
        r for r in rewrites
        if r.end_line > r.line or not any(t in r.text for t in tokens.get(r.line, ()))
    ]  # fmt: skip
    if not python:
        rewrites += _transformed(path, text, lines, ends, wanted)
    found = _merged(found, _detected_in(path, lines, rewrites))
    if strings is not None:
        found = _in_python(path, found, strings, wanted, lines)
    return [s for s in found if not _look_alike(s, lines)]


def _touches(wanted: Set[int], first: int, last: int) -> bool:
    return not wanted.isdisjoint(range(first, last + 1))


def _differs(rewrite: Rewrite, lines: List[str]) -> bool:
    return bool(rewrite.text.strip()) and rewrite.text.strip() != lines[rewrite.line - 1].strip()


def _own_rewrites(path: str, lines: List[str], strings: Optional[PythonStrings]) -> List[Rewrite]:
    """Python literals written over several lines; the values of environment files,
    Dockerfiles and shell scripts; heredocs and other languages' concatenated literals: each
    as one quoted line."""
    if strings is None:
        return rewrites_of(path, lines)
    return [Rewrite(j.line, j.end_line, j.col, quoted(j.value)) for j in strings.joined]


def _detected(
    path: str, lines: List[str], numbers: List[int], blocks: Dict[int, int]
) -> List[Secret]:
    """detect-secrets' findings on the lines as written; a private key spans its block."""
    found = []
    for number, plugin, secret in _scan_lines(path, lines, numbers):
        col, token = _whole_token(lines[number - 1], secret.secret_value or "")
        end = blocks.get(number, number) if plugin.secret_type == PRIVATE_KEY else number
        found.append(Secret(number, col, plugin.secret_type, token, secret.secret_hash, end))
    return found


def _detected_in(path: str, lines: List[str], rewrites: List[Rewrite]) -> List[Secret]:
    """detect-secrets' findings on rewritten lines, each placed where its token is whole on
    the first line of its string, or else at the string's start. An environment value given
    to a credential name is judged as DW503 judges it (`SECRET=false` is a setting)."""
    found = []
    for layer in _layers(rewrites):
        scanned = list(lines)
        for rewrite in layer.values():
            scanned[rewrite.line - 1] = rewrite.text
        for number, plugin, secret in _scan_lines(path, scanned, sorted(layer)):
            rewrite, value = layer[number], secret.secret_value or ""
            span = range(rewrite.line, rewrite.end_line + 1)
            if any(_allowlisted(path, lines, n) for n in span):
                continue  # the pragma is on a line as written, not in its rewrite
            if rewrite.name and plugin.secret_type == KEYWORD:
                if not is_credential(rewrite.name, value.strip("\"'")):
                    continue
            token = _whole_token(rewrite.text, value)[1]
            at = lines[number - 1].find(token) if token else -1
            col = at + 1 if at >= 0 else _first_piece(lines[number - 1], token) or rewrite.col
            kind, hashed = plugin.secret_type, secret.secret_hash
            found.append(Secret(number, col, kind, token, hashed, rewrite.end_line))
    return found


def _first_piece(line: str, token: str) -> int:
    """The column where `token` starts on a line that ends with its first piece (0: none)."""
    text = CHAIN_END.sub("", line.rstrip()).rstrip("\\\"'`").rstrip()
    for size in range(len(token) - 1, 3, -1):
        if text.endswith(token[:size]):
            return len(text) - size + 1
    return 0


def _layers(rewrites: List[Rewrite]) -> List[Dict[int, Rewrite]]:
    """The rewrites in groups without two on one line (`ENV A=x B=y` sets two values)."""
    layers: List[Dict[int, Rewrite]] = []
    for rewrite in rewrites:
        layer = next((layer for layer in layers if rewrite.line not in layer), None)
        if layer is None:
            layer = {}
            layers.append(layer)
        layer[rewrite.line] = rewrite
    return layers


def _merged(found: List[Secret], rewritten: List[Secret]) -> List[Secret]:
    """One report per secret: a piece of a split secret gives way to the whole, and a string's
    value gives way to a secret whole on one of its lines (reported there, or old there)."""
    spans = [r for r in rewritten if r.end_line > r.line]
    pieces = [
        s for s in found
        if not any(r.line <= s.line <= r.end_line and s.token != r.token and s.token in r.token
               for r in spans)
    ]  # fmt: skip
    wholes = [
        r for r in rewritten
        if r.end_line == r.line or not any(
            r.line <= s.line <= r.end_line and r.token in s.token for s in found
        )
    ]  # fmt: skip
    return pieces + wholes


def _transformed(
    path: str, text: str, lines: List[str], ends: Dict[int, int], wanted: Set[int]
) -> List[Rewrite]:
    """detect-secrets' rewrite of YAML and INI files into `key: "value"` lines, one per line.

    Its AWS, npm and entropy plugins want quoted values; YAML and INI leave them unquoted. A
    YAML value over several lines is rewritten on its key's line (`ends`: to its last line).
    """
    from detect_secrets.transformers import get_transformed_file

    handle = io.StringIO(text)
    handle.name = path  # detect-secrets picks a transformer by the name
    try:
        shaped = get_transformed_file(handle)  # type: ignore[arg-type]
    except (ValueError, LookupError, TypeError, AttributeError, RecursionError):
        return []  # a file its parsers choke on is scanned as written
    rewrites = []
    for number, line in enumerate((shaped or [])[: len(lines)], 1):
        rewrite = Rewrite(number, ends.get(number, number), _indent(lines[number - 1]), line)
        if _touches(wanted, number, rewrite.end_line) and _differs(rewrite, lines):
            if CANDIDATE_LINE.search(line):
                rewrites.append(rewrite)
    return rewrites


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip()) + 1


def _in_python(
    path: str, found: List[Secret], strings: PythonStrings, wanted: Set[int], lines: List[str]
) -> List[Secret]:
    """What the syntax tree adds: quiet literals are not secrets, and a literal given to a
    credential name is one, judged as DW503 judges it (detect-secrets' keyword regex
    steps aside on those lines)."""
    from detect_secrets.core.potential_secret import PotentialSecret

    judged = strings.judged_lines()
    kept = [
        s
        for s in found
        if not (s.kind in GENERIC_KINDS and strings.is_quiet(s.line, s.col))
        and not (s.kind == KEYWORD and s.line in judged)
    ]
    detected = {s.line for s in kept}
    for named in strings.named:
        spans = range(named.line, named.end_line + 1)
        if wanted.isdisjoint(spans) or not detected.isdisjoint(spans):
            continue  # out of scope, or detect-secrets' plugins already name it
        if _allowlisted(path, lines, named.line):
            continue
        col = _column_of(lines[named.line - 1], named.value, named.col)
        hashed = PotentialSecret.hash_secret(named.value)
        token = named.value.strip()  # a triple-quoted value: measured without its newlines
        kept.append(Secret(named.line, col, KEYWORD, token, hashed, named.end_line))
    return kept


def _allowlisted(path: str, lines: List[str], number: int) -> bool:
    """detect-secrets' `pragma: allowlist secret` on the line, or `nextline` on the one before."""
    from detect_secrets.filters.allowlist import is_line_allowlisted
    from detect_secrets.util.code_snippet import get_code_snippet

    context = get_code_snippet(lines=lines, line_number=number)
    return bool(is_line_allowlisted(path, lines[number - 1], context))


def _column_of(line: str, value: str, start: int) -> int:
    """The value's column on its line, or the literal's when it spans lines."""
    at = line.find(value, start - 1) if value else -1
    return at + 1 if at >= 0 else start


def _look_alike(secret: Secret, lines: List[str]) -> bool:
    """Placeholders, example keys, digests and public base64: shaped like a secret, not one."""
    if secret.kind != PRIVATE_KEY and placeholder(secret.token):
        return True
    if secret.kind == HEX:
        return not _named_secret(lines, secret.line)
    if secret.kind == BASE64:
        if IN_ORDER.search(secret.token):
            return True
        return secret.token.startswith(IMAGES) or _in_public_block(lines, secret.line)
    return False


def placeholder(value: str) -> bool:
    """A value that stands for a secret: `xxxxxxxx`, `sk-...`, `your-key`, `changeme`, AWS's
    documented `AKIAIOSFODNN7EXAMPLE`."""
    core = value.strip("\"'`")
    return (
        core.lower() in PLACEHOLDER_WORDS
        or "EXAMPLE" in core
        or core.endswith(("...", "\u2026"))
        or core.lower().startswith(("your-", "your_", "<your"))
        or REPEATED.search(core) is not None
    )


def _named_secret(lines: List[str], number: int) -> bool:
    """Does the line's own name (or, for `value:` and bare literals, the two lines above) say
    secret? Hex strings are mostly digests, commits and ids: only such a name makes one a key."""
    own = OWN_NAME.match(lines[number - 1])
    if own and own.group(1).lower() not in NEUTRAL_NAMES:
        return SECRET_NAME.search(own.group(1)) is not None
    return SECRET_NAME.search(" ".join(lines[max(0, number - 3) : number])) is not None


def _in_public_block(lines: List[str], number: int, reach: int = 200) -> bool:
    """Is line `number` inside a certificate or public-key block?"""
    for line in reversed(lines[max(0, number - reach) : number]):
        edge = BLOCK_EDGE.search(line)
        if edge is not None:
            return "END" not in edge.group() and PUBLIC_BLOCK.search(line) is not None
    return False


def _skipped_file(path: str) -> bool:
    """Files detect-secrets never scans: lock files, swagger files, images and archives."""
    from detect_secrets.filters.heuristic import is_lock_file, is_non_text_file, is_swagger_file

    return is_lock_file(path) or is_swagger_file(path) or is_non_text_file(path)


@lru_cache(maxsize=8)
def _baseline(path: str) -> FrozenSet[Tuple[str, str]]:
    """(file, hashed secret) pairs recorded in a detect-secrets baseline; empty if there is none.

    Read here rather than by the engine because only this hook knows the format.
    """
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError):
        return frozenset()
    results = document.get("results", {}) if isinstance(document, dict) else {}
    return frozenset(
        (_norm(name), entry.get("hashed_secret", ""))
        for name, entries in results.items()
        if isinstance(entries, list)
        for entry in entries
        if isinstance(entry, dict)
    )


@lru_cache(maxsize=8)
def _digest_of(path: str) -> str:
    """A file's SHA-256, read once per process; empty if there is no such file."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except OSError:
        return ""


def _norm(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def _whole_token(line: str, value: str) -> Tuple[int, str]:
    """1-based column and full text of the secret on `line`. Some plugins capture only a prefix
    (detect-secrets' GitHub plugin yields `ghp`): the message must measure the whole token.
    Captures from a rewritten line may carry a quote the rewrite added: it is not looked for."""
    value = value.strip("\"'")
    start = line.find(value) if value else -1
    if start < 0:
        return 1, value
    if len(value) >= PREFIX_ONLY:
        return start + 1, value
    token = WHOLE_TOKEN.match(line, start)
    return start + 1, token.group() if token else value


def redact(value: str) -> str:
    """Enough to recognise a secret, never enough to use it."""
    return f"`{value[:4]}…` ({len(value)} characters)"


class LeakedSecret(TextRule):
    prefilter = PREFILTER
    code = "DW501"
    name = "leaked-secret"
    summary = "A credential (API key, token, password, private key) is on a line the change adds."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (798,)
    message = "{kind} {preview}"
    hint = "revoke it, then read it from the environment or a secret manager"
    options = {"baseline": ".secrets.baseline"}
    examples = (
        Bad('AWS_KEY = "AKIAIOSFODNN7EXAMPLF"\n', ((1, 12),)),
        Bad("token: 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\n", ((1, 8),), path="ci.yml"),
        Bad(
            "ANTHROPIC_API_KEY=sk-ant-api03-" + "Xq7" * 31 + "AA\n",
            ((1, 19),),
            path=".envrc",
            why="a provider detect-secrets lacks",
        ),
        Bad(
            'DATABASE_URL = "postgres://app:S3cretPassw0rd@db.internal:5432/app"\n',
            ((1, 32),),
            why="a connection string with its password",
        ),
        Bad("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n", ((1, 6),), path="deploy.txt"),
        Bad(
            'import os\n\f\nTOKEN = "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"\n',
            ((3, 10),),
            why="after a form feed (a PEP 8 page break), lines are still counted as git does",
        ),
        Bad(
            "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: rsa-key\n",
            ((1, 6),),
            path="keys/deploy_key",
            why="an SSH2 key header has four dashes, not five",
        ),
        Bad(
            "env:\n  - name: AWS_SECRET_ACCESS_KEY\n"
            "    value: Jq8vT3kLm9Xp2Rz7Wn4Yb6Hc1Fd5Gs0Ea8Ku3Qi7\n",
            ((3, 12),),
            path="k8s/deploy.yaml",
            why="an unquoted YAML value, scanned as detect-secrets rewrites it",
        ),
        Bad(
            "[prod]\nsigning = Jq8vT3kLm9Xp2Rz7Wn4Yb6Hc1Fd5Gs0Ea8Ku3Qi7\n",
            ((2, 11),),
            path="config/app.ini",
            why="an unquoted INI value",
        ),
        Bad(
            'client = Client(api_key="j7FAc9QeWJ")\nSLACK_TOKEN = "a1b2c3d4e5"\n',
            ((1, 26), (2, 16)),
            why="in Python, a literal given to a credential name, whatever its entropy",
        ),
        Bad(
            'SESSION_SECRET = "8f3a2b1c9d4e5f60718293a4b5c6d7e8"\n',
            ((1, 19),),
            why="a hex string under a secret's name",
        ),
        Bad(
            'TOKEN = ("ghp_wWPw5k4aXcaT"\n         "4fNP0UcnZwJUVFk6LO0pINUx")\n',
            ((1, 11),),
            why="a token split over two literals: found whole, reported on its first line",
        ),
        Bad(
            "FROM python:3.12\nENV GITHUB_TOKEN=ghp_wWPw5k4aXcaT\\\n4fNP0UcnZwJUVFk6LO0pINUx\n",
            ((2, 18),),
            path="Dockerfile",
            why="a line continued with a backslash",
        ),
        Bad(
            "DB_PASSWORD=s3cr3t-value\nexport API_KEY=Jq8vT3kLm9Xp2Rz7Wn4Yb6Hc1Fd5Gs0Ea8Ku3Qi7\n",
            ((1, 13), (2, 16)),
            path="deploy/app.env",
            why="unquoted values of an environment file",
        ),
        Bad(
            "FROM python:3.12\nARG PASSWORD=hunter2-Sz9\n"
            "ENV APP=web SECRET_KEY=Jq8vT3kLm9Xp2Rz7Wn4Yb6Hc1Fd5Gs0Ea8Ku3Qi7\n",
            ((2, 14), (3, 24)),
            path="Dockerfile",
            why="unquoted `ARG` and `ENV` values",
        ),
        Bad(
            "locals {\n  db_password = <<-EOT\n    hunter2-Sz9-long\n  EOT\n}\n",
            ((2, 17),),
            path="infra/main.tf",
            why='a Terraform heredoc of one line: judged as `db_password = "..."` is',
        ),
        Bad(
            'const key = "ghp_wWPw5k4aXcaT" +\n  "4fNP0UcnZwJUVFk6LO0pINUx";\n',
            ((1, 14),),
            path="web/client.ts",
            why="literals joined with `+` over two lines",
        ),
        Ok('API_KEY = os.environ["API_KEY"]\n', why="read from the environment"),
        Ok(
            'const query = "SELECT id, api_token_hash FROM users " +\n'
            '  "WHERE id = ? AND password_reset_at IS NULL";\n',
            path="web/db.ts",
            why="a query written over two lines",
        ),
        Ok(
            'variable "token" {\n  default = <<EOT\n${TOKEN}\nEOT\n}\n',
            path="infra/variables.tf",
            why="a template reference in a heredoc",
        ),
        Ok(
            'URL_SAFE = ("abcdefghijklmnopqrstuvwxyz"\n'
            '            "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")\n',
            why="an alphabet, written over two lines",
        ),
        Ok(
            "API_TOKEN=${TOKEN}\nexport GITHUB_TOKEN=$TOKEN\nAPI_KEY=<your-key>\n"
            "PASSWORD=changeme\nSECRET_KEY=\nPASSWORD_FILE=/run/secrets/db\nSECRET=false\n"
            "TOKEN_TTL=3600\n",
            path="deploy/app.env",
            why="references, placeholders, empty values, paths, booleans and numbers",
        ),
        Ok(
            "FROM python:3.12\nARG VERSION=1.2.3\nENV PATH=/usr/local/bin:$PATH\n"
            "ENV API_TOKEN=${API_TOKEN} DEBUG=false\nARG PASSWORD\n",
            path="Dockerfile",
            why="a build argument without a default, and settings that are no secret",
        ),
        Ok('password = "<your-password-here>"\n', why="a placeholder"),
        Ok(
            'GITHUB_TOKEN = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"\n'
            'OPENAI_API_KEY = "sk-..."\n',
            why="placeholders of a provider's length and prefix",
        ),
        Ok("password: changeme\napi_key: your-api-key\n", path="config.yml", why="placeholders"),
        Ok(
            'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n'
            'AWS_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"\n',
            why="AWS's documented example keys",
        ),
        Ok('AWS_KEY = "AKIAIOSFODNN7EXAMPLF"  # pragma: allowlist secret\n'),
        Ok('request_id = "3f1c1f3e-8f5e-4d2b-9c1a-2b7e5d9a8c10"\n', why="a UUID"),
        Ok("token = ${GITHUB_TOKEN}\n", path="config.ini", why="a template reference"),
        Ok("def authenticate(user, password):\n    return check(user, password)\n"),
        Ok(
            'EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"\n',
            why="a digest: hex strings count only under a secret's name",
        ),
        Ok(
            '[{"commit": "b4ffde65f46336ab88eb53be808477a3936788b0"}]\n',
            path="tests/fixtures/commits.json",
            why="a git commit",
        ),
        Ok(
            '{"packages": {"node_modules/x": {"integrity": "sha512-z4PhNX7vuL3xVChQ1m2AB9Y'
            'g5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="}}}\n',
            path="package-lock.json",
            why="a lock file, which detect-secrets skips too",
        ),
        Ok(
            '{"image/png": "iVBORw0KGgoAAAANSUhEUgAAAPtYgjmUhBel31iEl2hpChYgCfrL1spNxnyVmihA/'
            '2O76UMFxFkM/R5Kjp1vR=="}\n',
            path="plot.json",
            why="a base64 image",
        ),
        Ok(
            'def login(user, password):\n    """Log in.\n\n'
            '    >>> login("admin", password="hunter2")\n    """\n',
            why="a docstring example",
        ),
        Ok(
            'def test_digest():\n    assert b64digest(b"abc") == '
            '"ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="\n',
            path="tests/test_digest.py",
            why="a digest in a test",
        ),
        Ok('GITHUB_TOKEN_PATTERN = "ghp_[A-Za-z0-9]{36}"\n', why="a regular expression"),
        Ok(
            'errors["password"] = "Password must be at least 12 characters"\n',
            why="a message, judged as DW503 judges it",
        ),
    )

    def wants(self, path: str, data: bytes) -> bool:
        return PREFILTER.matches(data)

    def state(self) -> str:
        """The baseline's content: findings cached before `--update-baseline` must not stay."""
        return _digest_of(str(self.opts["baseline"]))

    def scan(
        self, path: str, data: bytes, text: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        if text is None:
            return []
        known = _baseline(str(self.opts["baseline"]))
        secrets = secrets_in(path, text, is_python(path, data), lines)
        # one token, one place, hashed two ways (as written, and as detect-secrets' rewrite or
        # entropy plugin captured it, with a quote or a backslash): either hash in the baseline
        # covers it
        recorded = {(s.line, s.col) for s in secrets if (_norm(path), s.hashed) in known}
        found: Dict[Tuple[int, int], Finding] = {}
        written = lines_of(text)
        for secret in secrets:
            if (secret.line, secret.col) in recorded:
                continue
            severity = Severity.MEDIUM if secret.kind in GENERIC_KINDS else Severity.HIGH
            key = (secret.line, secret.col)
            if key not in found or found[key].severity < severity:  # the most specific kind wins
                end_col = secret.col + len(secret.token)
                if secret.end_line > secret.line:  # to the end of its string's last line
                    end_col = len(written[secret.end_line - 1].rstrip()) + 1
                found[key] = self.found(
                    path, secret.line, secret.col, end_col, severity, secret.end_line,
                    kind=secret.kind, preview=redact(secret.token),
                )  # fmt: skip
        return sorted(found.values(), key=lambda f: (f.line, f.col))


# Files that hold credentials by their nature. name pattern -> (what it is, content that proves it
# or None when the name is enough)
SENSITIVE_FILES: Tuple[Tuple[str, str, Optional[bytes]], ...] = (
    (".env", "an environment file", None),
    (".env.*", "an environment file", None),
    ("*.env", "an environment file", None),
    ("id_rsa", "an SSH private key", None),
    ("id_dsa", "an SSH private key", None),
    ("id_ecdsa", "an SSH private key", None),
    ("id_ed25519", "an SSH private key", None),
    ("*.pem", "a PEM file with a private key", b"PRIVATE KEY"),
    ("*.key", "a private key file", b"PRIVATE KEY"),
    ("*.p12", "a PKCS#12 key store", None),
    ("*.pfx", "a PKCS#12 key store", None),
    ("*.jks", "a Java key store", None),
    ("*.keystore", "a key store", None),
    ("*.ppk", "a PuTTY private key", None),
    ("*.asc", "an armored PGP private key", b"PRIVATE KEY BLOCK"),
    ("credentials.json", "a credentials file", None),
    ("*.json", "a GCP service-account key", b'"service_account"'),
    (".npmrc", "an npm config with a token", b"_authToken"),
    (".pypirc", "a PyPI config with a password", b"password"),
    (".netrc", "a netrc with a password", b"password"),
    ("_netrc", "a netrc with a password", b"password"),
    (".git-credentials", "stored git credentials", None),
    ("kubeconfig", "a Kubernetes config", None),
    ("*.kubeconfig", "a Kubernetes config", None),
    ("*.tfstate", "Terraform state (it holds every secret it manages)", None),
    ("*.tfstate.backup", "Terraform state (it holds every secret it manages)", None),
    (".bash_history", "a shell history", None),
    (".zsh_history", "a shell history", None),
    (".python_history", "a Python shell history", None),
    (".psql_history", "a psql history", None),
    (".mysql_history", "a MySQL history", None),
)
NOT_SENSITIVE = (".env.example", ".env.sample", ".env.template", ".env.dist", ".env.defaults")


def sensitive_kind(path: str, data: bytes) -> Optional[str]:
    """What kind of credential file `path` is, or None."""
    name = os.path.basename(path)
    if name in NOT_SENSITIVE or name.endswith(".pub"):
        return None
    if _norm(path).endswith(".kube/config"):
        return "a Kubernetes config"
    for pattern, kind, proof in SENSITIVE_FILES:
        if fnmatch.fnmatchcase(name, pattern) and (proof is None or proof in data):
            return kind
    return None


class SensitiveFile(TextRule):
    prefilter_names = (*(pattern for pattern, _, _ in SENSITIVE_FILES), "config")
    code = "DW502"
    name = "sensitive-file"
    summary = "A file that holds credentials by its nature (.env, id_rsa, *.p12...) is added."
    severity = Severity.HIGH
    confidence = Confidence.HIGH
    cwe = (312, 538)
    message = "`{name}` is {kind}; it must not be committed"
    hint = "remove it from the commit, add it to .gitignore, and revoke what it holds"
    reads_binary = True
    examples = (
        Bad("OPENAI_API_KEY=abc\n", ((1, 1),), path=".env"),
        Bad("DEBUG=1\n", ((1, 1),), path="deploy/.env.production", why="the name is enough"),
        Bad("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blb\n", ((1, 1),), path="keys/id_ed25519"),
        Bad("-----BEGIN PRIVATE KEY-----\nMIIE\n", ((1, 1),), path="tls/server.pem"),
        Bad('{"type": "service_account", "project_id": "p"}\n', ((1, 1),), path="sa.json"),
        Bad("//registry.npmjs.org/:_authToken=npm_x\n", ((1, 1),), path=".npmrc"),
        Bad('{"version": 4, "resources": []}\n', ((1, 1),), path="infra/terraform.tfstate"),
        Bad("PuTTY-User-Key-File-3: ssh-ed25519\n", ((1, 1),), path="keys/deploy.ppk"),
        Bad("-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQdGBF\n", ((1, 1),), path="release-key.asc"),
        Ok("OPENAI_API_KEY=\n", path=".env.example"),
        Ok("ssh-ed25519 AAAAC3Nz user@host\n", path="keys/id_ed25519.pub"),
        Ok("-----BEGIN CERTIFICATE-----\nMIIB\n", path="tls/ca.pem", why="a certificate only"),
        Ok('{"name": "app", "version": "1.0.0"}\n', path="package.json"),
        Ok("registry=https://registry.npmjs.org/\n", path=".npmrc", why="no token in it"),
        Ok("ENV = 'production'\n", path="settings/env.py"),
        Ok("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBF\n", path="release-key.asc"),
    )

    def wants(self, path: str, data: bytes) -> bool:
        return sensitive_kind(path, data) is not None

    def scan(
        self, path: str, data: bytes, text: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        kind = sensitive_kind(path, data)
        if kind is None:
            return []
        return [self.found(path, 1, 1, 1, name=os.path.basename(path), kind=kind)]


def _entries(path: str, data: bytes) -> List[Dict[str, Any]]:
    """A file's secrets as detect-secrets baseline entries (every line, no baseline applied)."""
    text = data.decode("utf-8", "replace")
    entries: Dict[Tuple[str, str], Dict[str, Any]] = {}
    for secret in secrets_in(_norm(path), text, is_python(path, data), None):
        entries.setdefault(
            (secret.kind, secret.hashed),
            {
                "type": secret.kind,
                "filename": _norm(path),
                "hashed_secret": secret.hashed,
                "is_verified": False,
                "line_number": secret.line,
            },
        )
    return list(entries.values())


def update_baseline(baseline: str, paths: List[str]) -> int:
    """Record the secrets of `paths` in a detect-secrets baseline; return how many it holds.

    The file stays stable under merges: entries already recorded keep their line numbers when
    the secret merely moved, results are sorted, and `generated_at` changes only with them.
    Files not given keep their entries; given files without secrets lose theirs.
    """
    from datetime import datetime, timezone

    _plugins()  # configures detect-secrets, whose settings the baseline records
    from detect_secrets.__version__ import VERSION
    from detect_secrets.settings import get_settings

    try:
        with open(baseline, encoding="utf-8") as handle:
            document: Dict[str, Any] = json.load(handle)
    except (OSError, ValueError):
        document = {}
    results: Dict[str, List[Dict[str, Any]]] = dict(document.get("results", {}))
    for path in paths:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        old = {(e["type"], e["hashed_secret"]): e for e in results.get(_norm(path), [])}
        new = [
            {**entry, "line_number": old.get(key, entry)["line_number"]}
            for entry in _entries(path, data)
            for key in [(entry["type"], entry["hashed_secret"])]
        ]
        results.pop(_norm(path), None)
        if new:
            results[_norm(path)] = sorted(new, key=lambda e: (e["line_number"], e["hashed_secret"]))
    settings = get_settings().json()
    changed = results != document.get("results")
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    updated = {
        "version": document.get("version", VERSION),
        "plugins_used": settings["plugins_used"],
        "filters_used": settings["filters_used"],
        "results": dict(sorted(results.items())),
        "generated_at": stamp
        if changed or "generated_at" not in document
        else document["generated_at"],
    }
    with open(baseline, "w", encoding="utf-8") as handle:
        json.dump(updated, handle, indent=2)
        handle.write("\n")
    return sum(len(entries) for entries in results.values())
