"""secrets: credentials and key files in the change, for every file, not only Python.

**What it finds.** DW501: a secret on a line the change adds, found by detect-secrets' own plugins
(AWS, Azure, GitHub, GitLab, Slack, Stripe, Twilio, OpenAI, PyPI, npm, SendGrid, private keys,
JWTs, basic auth in URLs, secret keywords, high-entropy strings...) with its heuristic filters,
plus our plugins for providers it lacks (Anthropic, Hugging Face, Google API keys, GCP
service-account files, Docker Hub, Databricks, database URLs with a password). DW502: a file that
holds credentials by its nature (`.env`, `id_rsa`, `*.pem` and `*.key` with a private key,
`*.p12`/`*.pfx`, service-account JSON, `.npmrc`/`.pypirc`/`.netrc`/`.git-credentials` with
tokens, kubeconfig, `*.tfstate`, shell history), whatever the content scan says.

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

**Not flagged.** Placeholders (`<your-key-here>`, `${TOKEN}`, `xxxx`), environment lookups,
UUIDs, lock files, lines carrying detect-secrets' `pragma: allowlist secret` (or
`pragma: allowlist nextline secret` on the line before), and secrets recorded in the
`.secrets.baseline` that detect-secrets writes, so a team that uses `detect-secrets-hook` today can
switch without re-auditing. `.env.example`, `.env.sample` and `.env.template` are not key files.

**Output never holds a secret:** only its kind, its place, its first characters and its length.

**Fix.** None automatic: revoke the key, then read it from the environment or a secret manager.

**References.** CWE-798 (hard-coded credentials), CWE-312 (cleartext storage of sensitive
information); detect-secrets; ruff S105-S107 and bandit B105-B107 for the Python-only part.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
from functools import lru_cache
from typing import Any, Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from hooks.engine.cli import hook_entry
from hooks.engine.prefilter import Prefilter
from hooks.engine.rule import Bad, Confidence, Finding, Ok, Severity, TextRule

# A line worth handing to detect-secrets: a secret-ish keyword, a long token that mixes cases or
# holds a digit, a URL with a password, or a PEM header. Cheap, and checked on raw bytes first: a
# file without any is not scanned and detect-secrets is not even imported.
KEYWORDS = rb"(?i:pass(?:word|wd)?|pwd|secret|token|api_?key|apikey|private_?key|credential|auth)"
SIGNS = KEYWORDS + rb"|://[^\s:/@]+:[^\s@/]+@|-----BEGIN"
RUN = rb"[A-Za-z0-9+/=_\-]"
START = rb"(?<![A-Za-z0-9+/=_\-])"
# at least 20 token characters, holding a digit or mixing cases (not a plain snake_case word)
TOKEN = (
    START + rb"(?=" + RUN + rb"*[0-9])" + RUN + rb"{20,}"
    + rb"|" + START + rb"(?=" + RUN + rb"*[A-Z])(?=" + RUN + rb"*[a-z])" + RUN + rb"{20,}"
)  # fmt: skip
CANDIDATES = re.compile(SIGNS + rb"|" + TOKEN)
# CANDIDATES.search(data) as a Prefilter, about ten times faster on a whole file: KEYWORDS as
# folded substrings, and TOKEN as whole runs of 20 or more token characters that hold a digit
# or mix cases (tests/test_secrets.py checks that both agree)
PREFILTER = Prefilter(
    folded=[
        b"pass", b"pwd", b"secret", b"token", b"api_key", b"apikey", b"private_key",
        b"privatekey", b"credential", b"auth",
    ],
    patterns=[rb"://[^\s:/@]+:[^\s@/]+@", rb"-----BEGIN"],
    runs=[(START + RUN + rb"{20,}", rb"[0-9]|[A-Z].*[a-z]|[a-z].*[A-Z]")],
)  # fmt: skip
CANDIDATE_LINE = re.compile(CANDIDATES.pattern.decode("ascii"))


WHOLE_TOKEN = re.compile(r"[^\s'\"`,;]+")
PREFIX_ONLY = 8  # a "secret" this short is a plugin's captured prefix, not the secret
# kinds that match a shape, not a provider's format: they rank lower
GENERIC_KINDS = frozenset(
    {"Secret Keyword", "Base64 High Entropy String", "Hex High Entropy String"}
)
# noisy, and not a credential
DISABLED_PLUGINS = ("IPPublicDetector",)


@lru_cache(maxsize=1)
def _plugins() -> Tuple[Any, ...]:
    """detect-secrets configured once per process: every default plugin, no network verification."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.settings import configure_settings_from_baseline, get_plugins

    from hooks.detectors.providers import DETECTORS

    classes: List[type] = list(get_mapping_from_secret_type_to_class().values())
    names = [cls.__name__ for cls in classes]
    configure_settings_from_baseline(
        {"plugins_used": [{"name": n} for n in names if n not in DISABLED_PLUGINS]}
    )
    return (*get_plugins(), *(detector() for detector in DETECTORS))


def _scan_lines(path: str, lines: List[str], numbers: List[int]) -> Iterator[Tuple[int, Any, Any]]:
    """(line number, plugin, detect-secrets' PotentialSecret) for each secret on the lines.

    This is detect-secrets' own per-line loop (core/scan.py), run only over the lines in scope,
    with the whole file as context so its filters and allowlist pragmas see what they expect.
    """
    if not numbers:
        return  # nothing to scan: detect-secrets is not even imported
    from detect_secrets.core.scan import _is_filtered_out, _scan_line
    from detect_secrets.util.code_snippet import get_code_snippet

    plugins = _plugins()
    for number in numbers:
        line = lines[number - 1].rstrip()
        context = get_code_snippet(lines=lines, line_number=number)
        if _is_filtered_out(["line"], filename=path, line=line, context=context):
            continue
        for plugin in plugins:
            for secret in _scan_line(plugin, path, line, number, context):
                if not _is_filtered_out(
                    ["context"], filename=path, secret=secret.secret_value, plugin=plugin,
                    line=line, context=context,
                ):  # fmt: skip
                    yield number, plugin, secret


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


def _norm(path: str) -> str:
    return os.path.normpath(path).replace(os.sep, "/")


def _whole_token(line: str, value: str) -> Tuple[int, str]:
    """1-based column and full text of the secret on `line`. Some plugins capture only a prefix
    (detect-secrets' GitHub plugin yields `ghp`): the message must measure the whole token."""
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
        Ok('API_KEY = os.environ["API_KEY"]\n', why="read from the environment"),
        Ok('password = "<your-password-here>"\n', why="a placeholder"),
        Ok('AWS_KEY = "AKIAIOSFODNN7EXAMPLF"  # pragma: allowlist secret\n'),
        Ok('request_id = "3f1c1f3e-8f5e-4d2b-9c1a-2b7e5d9a8c10"\n', why="a UUID"),
        Ok("token = ${GITHUB_TOKEN}\n", path="config.ini", why="a template reference"),
        Ok("def authenticate(user, password):\n    return check(user, password)\n"),
    )

    def wants(self, path: str, data: bytes) -> bool:
        return PREFILTER.matches(data)

    def scan(
        self, path: str, data: bytes, text: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        if text is None:
            return []
        all_lines = text.splitlines()
        wanted = range(1, len(all_lines) + 1) if lines is None else sorted(lines)
        # detect-secrets reads a few thousand lines a second: give it only the candidates
        candidates = CANDIDATE_LINE.search
        numbers = [n for n in wanted if n <= len(all_lines) and candidates(all_lines[n - 1])]
        known = _baseline(str(self.opts["baseline"]))
        found: Dict[Tuple[int, int], Finding] = {}
        for number, plugin, secret in _scan_lines(path, all_lines, numbers):
            if (_norm(path), secret.secret_hash) in known:
                continue
            line = all_lines[number - 1]
            col, value = _whole_token(line, secret.secret_value or "")
            kind = plugin.secret_type
            severity = Severity.MEDIUM if kind in GENERIC_KINDS else Severity.HIGH
            key = (number, col)
            if key not in found or found[key].severity < severity:  # the most specific kind wins
                found[key] = self.found(
                    path, number, col, col + len(value), severity, kind=kind, preview=redact(value)
                )
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
        Ok("OPENAI_API_KEY=\n", path=".env.example"),
        Ok("ssh-ed25519 AAAAC3Nz user@host\n", path="keys/id_ed25519.pub"),
        Ok("-----BEGIN CERTIFICATE-----\nMIIB\n", path="tls/ca.pem", why="a certificate only"),
        Ok('{"name": "app", "version": "1.0.0"}\n', path="package.json"),
        Ok("registry=https://registry.npmjs.org/\n", path=".npmrc", why="no token in it"),
        Ok("ENV = 'production'\n", path="settings/env.py"),
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


def _entries(path: str, text: str) -> List[Dict[str, Any]]:
    """A file's secrets as detect-secrets baseline entries (every line, no baseline applied)."""
    lines = text.splitlines()
    numbers = [n for n in range(1, len(lines) + 1) if CANDIDATE_LINE.search(lines[n - 1])]
    entries = {
        (secret.type, secret.secret_hash): {
            "type": secret.type,
            "filename": _norm(path),
            "hashed_secret": secret.secret_hash,
            "is_verified": False,
            "line_number": number,
        }
        for number, _, secret in _scan_lines(_norm(path), lines, numbers)
    }
    return list(entries.values())


def update_baseline(baseline: str, paths: List[str]) -> int:
    """Record the secrets of `paths` in a detect-secrets baseline; return how many it holds.

    The file stays stable under merges: entries already recorded keep their line numbers when
    the secret merely moved, results are sorted, and `generated_at` changes only with them.
    Files not given keep their entries; given files without secrets lose theirs.
    """
    from datetime import datetime, timezone

    from detect_secrets.__version__ import VERSION
    from detect_secrets.settings import get_settings

    try:
        with open(baseline, encoding="utf-8") as handle:
            document: Dict[str, Any] = json.load(handle)
    except (OSError, ValueError):
        document = {}
    results: Dict[str, List[Dict[str, Any]]] = dict(document.get("results", {}))
    _plugins()  # configures detect-secrets, whose settings the baseline records
    for path in paths:
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        old = {(e["type"], e["hashed_secret"]): e for e in results.get(_norm(path), [])}
        new = [
            {**entry, "line_number": old.get(key, entry)["line_number"]}
            for entry in _entries(path, data.decode("utf-8", "replace"))
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


main = hook_entry(__name__)
