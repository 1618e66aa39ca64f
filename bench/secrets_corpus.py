"""A labeled corpus of leaked secrets and look-alikes, written at run time from a fixed seed.

    .venv/bin/python bench/secrets_corpus.py OUT_DIR      # write it, with OUT_DIR/labels.json

No file of the corpus is committed and nothing in it is a real credential: every key is made
when the corpus is written, from its provider's documented format and `random.Random(SEED)`, so
the numbers of bench/secrets_quality.py are reproducible and this repository holds no key-shaped
text (diffwarden scans bench/ in CI). Every true secret is labeled with its file, its lines and
its type; every look-alike (text a scanner must NOT flag) with its file, lines and category.

Decisions a reader may not share, so they are stated: a well-known default such as `changeme`,
`postgres` or `user:password@localhost` is a look-alike (placeholder), not a leaked secret: there
is nothing to revoke, and weak defaults are DW503's business. Docstring and documentation
examples are look-alikes. A real-format key on a line with detect-secrets' allowlist pragma is a
look-alike (category `allowlisted`): both tools promise to stay quiet there.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import itertools
import json
import os
import random
import re
import string
import struct
import sys
import zlib
from dataclasses import dataclass, field
from functools import partial
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple, Union

SEED = 20250501
UPPER_DIGITS = string.ascii_uppercase + string.digits
ALNUM = string.ascii_letters + string.digits
URL_SAFE = ALNUM + "_-"
HEX = "0123456789abcdef"
PASSWORD_CHARS = ALNUM + "-_.!@"
# detect-secrets' pragma, assembled so that this file's own lines are not allowlisted by it
PRAGMA = "pragma: " + "allowlist secret"
PRAGMA_NEXT = "pragma: " + "allowlist nextline secret"
# key headers assembled too: this file must pass diffwarden's own scan (see url_with_login)
PRIVATE = "PRIVATE" + " KEY"
PUTTY = "PuTTY-User-" + "Key-File-2"
LOCAL_DB = "localhost:5432/app"
SECRETS_DIR = "/run/secrets/"  # apart: one string `NAME=/run/secrets/x` is base64-shaped


@dataclass(frozen=True)
class Label:
    """Lines `start`..`end` of `path` hold one true secret (`secret`) or one look-alike."""

    path: str
    start: int
    end: int
    secret: bool
    kind: str  # the secret's type (aws-access-key...) or the look-alike's category
    file_kind: str  # py, yaml, json, env, ini, sh, dockerfile, tf, ipynb, lock, ...
    detail: str = ""  # the variant: a private key's format, what a look-alike is


@dataclass(frozen=True)
class CorpusFile:
    """A file of the corpus; `key_file`: DW502 must flag it (by its name or content).
    `before`: its text before the change, for the files of the split-string scenario."""

    path: str
    file_kind: str
    key_file: bool
    before: Optional[str] = None


@dataclass(eq=False)
class Mark:
    """What a group of lines holds; lines that share a mark form one label."""

    secret: bool
    kind: str
    detail: str = ""


class Doc:
    """A file being written, line by line, with the marks of its lines."""

    def __init__(self) -> None:
        self.lines: List[str] = []
        self.marked: List[Tuple[int, Mark]] = []

    def add(self, *lines: str, mark: Optional[Mark] = None) -> None:
        for line in lines:
            self.lines.append(line)
            if mark is not None:
                self.marked.append((len(self.lines), mark))

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def labels(self, path: str, file_kind: str) -> List[Label]:
        spans: Dict[Mark, List[int]] = {}
        for number, mark in self.marked:
            spans.setdefault(mark, []).append(number)
        return [
            Label(path, min(n), max(n), m.secret, m.kind, file_kind, m.detail)
            for m, n in spans.items()
        ]


@dataclass(frozen=True)
class Value:
    """A named value, written in each file kind's own syntax (an assignment, a key...).

    A dict is an object (a service-account key file): JSON text in the file's own style.
    `allow` puts detect-secrets' allowlist pragma on its line.
    """

    name: str
    value: Union[str, Dict[str, str]]
    mark: Mark
    allow: bool = False


@dataclass(frozen=True)
class Line:
    """A line already in its file kind's syntax."""

    text: str
    mark: Optional[Mark] = None


Entry = Union[Value, Line]


# ---- true secrets, from each provider's documented format ---------------------------------


def pick(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


def random_bytes(rng: random.Random, count: int) -> bytes:
    return bytes(rng.randrange(256) for _ in range(count))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def wrapped(data: bytes, width: int = 64) -> List[str]:
    text = base64.b64encode(data).decode("ascii")
    return [text[i : i + width] for i in range(0, len(text), width)]


def password(rng: random.Random, length: int = 16) -> str:
    """A generated password: starts with a letter so that YAML and shells read it plainly."""
    return rng.choice(string.ascii_letters) + pick(rng, PASSWORD_CHARS, length - 1)


def pem(label: str, body: bytes) -> str:
    return "\n".join([f"-----BEGIN {label}-----", *wrapped(body), f"-----END {label}-----"])


def private_key(rng: random.Random, variant: str) -> str:
    """A private key in one of the formats detect-secrets' PrivateKeyDetector documents."""
    der = b"\x30\x82\x04\xa4\x02\x01\x00\x02\x82\x01\x01\x00" + random_bytes(rng, 564)
    if variant == "rsa":
        return pem("RSA " + PRIVATE, der)
    if variant == "pkcs8":
        return pem(PRIVATE, b"\x30\x82\x04\xbe\x02\x01\x00\x30\x0d" + random_bytes(rng, 567))
    if variant == "ec":
        return pem("EC " + PRIVATE, b"\x30\x77\x02\x01\x01\x04\x20" + random_bytes(rng, 112))
    if variant == "openssh":
        return pem("OPENSSH " + PRIVATE, b"openssh-key-v1\x00" + random_bytes(rng, 561))
    if variant == "pgp":
        check = base64.b64encode(random_bytes(rng, 3)).decode("ascii")
        return "\n".join(
            [f"-----BEGIN PGP {PRIVATE} BLOCK-----", "", *wrapped(b"\x95\x03\x98\x04"
             + random_bytes(rng, 572)), "=" + check, f"-----END PGP {PRIVATE} BLOCK-----"]
        )  # fmt: skip
    if variant == "ssh2":
        return "\n".join(
            [f"---- BEGIN SSH2 ENCRYPTED {PRIVATE} ----", 'Comment: "rsa-key-20240611"',
             *wrapped(b"\x3f\x6f\xf9\xeb" + random_bytes(rng, 572)),
             f"---- END SSH2 ENCRYPTED {PRIVATE} ----"]
        )  # fmt: skip
    public, private = wrapped(random_bytes(rng, 276)), wrapped(random_bytes(rng, 660))
    return "\n".join(
        [f"{PUTTY}: ssh-rsa", "Encryption: none", "Comment: rsa-key-20240611",
         f"Public-Lines: {len(public)}", *public, f"Private-Lines: {len(private)}", *private,
         "Private-MAC: " + pick(rng, HEX, 40)]
    )  # fmt: skip


KEY_FORMATS = ("rsa", "pkcs8", "ec", "openssh", "pgp", "ssh2", "putty")


def jwt(rng: random.Random) -> str:
    """header.payload.signature, base64url: detect-secrets checks that the parts are JSON."""
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {"sub": str(rng.randrange(10**6, 10**7)), "role": "service", "iat": 1718000000}
    parts = [json.dumps(p, separators=(",", ":")).encode() for p in (header, claims)]
    return ".".join([*(b64url(p) for p in parts), b64url(random_bytes(rng, 32))])


def service_account(rng: random.Random) -> Dict[str, str]:
    """A GCP service-account key file (its documented fields, shortened to what matters)."""
    project = f"billing-prod-{rng.randrange(100000, 999999)}"
    key = private_key(rng, "pkcs8") + "\n"
    return {
        "type": "service_account",
        "project_id": project,
        "private_key_id": pick(rng, HEX, 40),
        "private_key": key,
        "client_email": f"deployer@{project}.iam.gserviceaccount.com",
        "client_id": str(rng.randrange(10**20, 10**21)),
        "token_uri": "https://oauth2.googleapis.com/token",
    }


def url_with_login(scheme: str, user: str, secret: str, rest: str) -> str:
    """A URL with a login in it, built so that no such URL is written in this file."""
    return f"{scheme}://{user}:{secret}@{rest}"


def database_url(rng: random.Random) -> str:
    scheme, port = rng.choice(
        [("postgres", 5432), ("postgresql+psycopg2", 5432), ("mysql", 3306),
         ("mongodb+srv", 27017), ("redis", 6379)]
    )  # fmt: skip
    user = rng.choice(["app", "billing", "reporting", "svc_api"])
    return url_with_login(
        scheme, user, password(rng, 18), f"db-{rng.randrange(1, 9)}.internal:{port}/app"
    )


def slack(rng: random.Random) -> str:
    team, bot = rng.randrange(10**10, 10**11), rng.randrange(10**12, 10**13)
    return f"xox{rng.choice('bp')}-{team}-{bot}-{pick(rng, ALNUM, 24)}"


def openai(rng: random.Random) -> str:
    """A project key, shaped as detect-secrets' OpenAI plugin expects (`T3BlbkFJ` inside)."""
    return (
        "sk-proj-"
        + pick(rng, URL_SAFE, 54)
        + pick(rng, ALNUM, 20)
        + "T3BlbkFJ"
        + pick(rng, ALNUM, 74)
    )


def npm(rng: random.Random, variant: int) -> str:
    token = "npm_" + pick(rng, ALNUM, 36)
    return token if variant == 0 else "//registry.npmjs.org/:_authToken=" + token


@dataclass(frozen=True)
class SecretType:
    """A kind of credential: the names it is usually stored under and how one is made."""

    name: str
    names: Tuple[str, ...]
    make: Callable[[random.Random, int], Union[str, Dict[str, str]]]
    ours: bool = False  # a provider detect-secrets lacks, detected by hooks/detectors


SECRET_TYPES: Tuple[SecretType, ...] = (
    SecretType("aws-access-key", ("AWS_ACCESS_KEY_ID",),
               lambda r, v: "AKIA" + pick(r, UPPER_DIGITS, 16)),
    SecretType("aws-secret-key", ("AWS_SECRET_ACCESS_KEY",),
               lambda r, v: pick(r, ALNUM + "+/", 40)),
    SecretType("github-token", ("GITHUB_TOKEN", "GH_TOKEN"),
               lambda r, v: "ghp_" + pick(r, ALNUM, 36)),
    SecretType("gitlab-token", ("GITLAB_TOKEN", "GITLAB_PAT"),
               lambda r, v: "glpat-" + pick(r, URL_SAFE, 20)),
    SecretType("slack-token", ("SLACK_BOT_TOKEN", "SLACK_TOKEN"), lambda r, v: slack(r)),
    SecretType("stripe-key", ("STRIPE_SECRET_KEY", "STRIPE_API_KEY"),
               lambda r, v: "sk_live_" + pick(r, ALNUM, 24)),
    SecretType("twilio-key", ("TWILIO_API_KEY", "TWILIO_KEY_SID"),
               lambda r, v: "SK" + pick(r, HEX, 32)),
    SecretType("openai-key", ("OPENAI_API_KEY",), lambda r, v: openai(r)),
    SecretType("pypi-token", ("PYPI_TOKEN", "TWINE_PASSWORD"),
               lambda r, v: "pypi-AgEIcHlwaS5vcmc" + pick(r, URL_SAFE, 150)),
    SecretType("npm-token", ("NPM_TOKEN", "NODE_AUTH_TOKEN"), npm),
    SecretType("sendgrid-key", ("SENDGRID_API_KEY",),
               lambda r, v: "SG." + pick(r, URL_SAFE, 22) + "." + pick(r, URL_SAFE, 43)),
    SecretType("private-key", ("PRIVATE_KEY", "SSH_KEY", "TLS_KEY"),
               lambda r, v: private_key(r, KEY_FORMATS[v % len(KEY_FORMATS)])),
    SecretType("jwt", ("SERVICE_JWT", "AUTH_TOKEN"), lambda r, v: jwt(r)),
    SecretType("basic-auth-url", ("PIP_INDEX_URL", "REGISTRY_URL"),
               lambda r, v: url_with_login("https", "deploy", pick(r, ALNUM, 20),
                                           "pypi.internal.example/simple/")),
    SecretType("password", ("DB_PASSWORD", "ADMIN_PASSWORD", "SMTP_PASSWORD"),
               lambda r, v: password(r)),
    SecretType("high-entropy-base64", ("SIGNING_KEY", "ENCRYPTION_KEY", "SESSION_SECRET"),
               lambda r, v: base64.urlsafe_b64encode(random_bytes(r, 32)).decode("ascii")),
    SecretType("high-entropy-hex", ("WEBHOOK_SECRET", "HMAC_KEY", "API_SECRET"),
               lambda r, v: pick(r, HEX, 64)),
    SecretType("anthropic-key", ("ANTHROPIC_API_KEY", "CLAUDE_KEY"),
               lambda r, v: "sk-ant-api03-" + pick(r, URL_SAFE, 93) + "AA", ours=True),
    SecretType("huggingface-token", ("HF_TOKEN", "HUGGINGFACE_HUB_TOKEN"),
               lambda r, v: "hf_" + pick(r, string.ascii_letters, 34), ours=True),
    SecretType("google-api-key", ("GOOGLE_API_KEY", "MAPS_KEY"),
               lambda r, v: "AIza" + pick(r, URL_SAFE, 35), ours=True),
    SecretType("gcp-service-account", ("GOOGLE_CREDENTIALS", "SA_INFO"),
               lambda r, v: service_account(r), ours=True),
    SecretType("dockerhub-token", ("DOCKERHUB_TOKEN", "DOCKER_PAT"),
               lambda r, v: "dckr_pat_" + pick(r, URL_SAFE, 27), ours=True),
    SecretType("databricks-token", ("DATABRICKS_TOKEN",),
               lambda r, v: "dapi" + pick(r, HEX, 32), ours=True),
    SecretType("database-url", ("DATABASE_URL", "SQLALCHEMY_DATABASE_URI"),
               lambda r, v: database_url(r), ours=True),
)  # fmt: skip
TYPES_BY_NAME = {t.name: t for t in SECRET_TYPES}


KEY_HEADERS = {
    "rsa": "RSA PRIVATE", "pkcs8": "BEGIN PRIVATE", "ec": "EC PRIVATE", "openssh": "OPENSSH",
    "pgp": "PGP PRIVATE", "ssh2": "SSH2 ENCRYPTED", "putty": "PuTTY",
}  # fmt: skip


def detail_of(kind: str, value: Union[str, Dict[str, str]]) -> str:
    """The variant worth naming in a report: a private key's format."""
    if kind != "private-key" or not isinstance(value, str):
        return ""
    first = value.split("\n", 1)[0]
    return next((f for f in KEY_FORMATS if KEY_HEADERS[f] in first), "")


def secrets_for(rng: random.Random, variant: int, keys: Iterator[int]) -> List[Value]:
    """One secret of every type, under a name picked for this file. Private keys take their
    format in turn from `keys`, so that every format appears about as often."""
    values = []
    for kind in SECRET_TYPES:
        value = kind.make(rng, next(keys) if kind.name == "private-key" else variant)
        mark = Mark(True, kind.name, detail_of(kind.name, value))
        values.append(Value(rng.choice(kind.names), value, mark))
    return values


# ---- look-alikes -------------------------------------------------------------------------


def hex_of(text: str, algorithm: str = "sha256") -> str:
    return hashlib.new(algorithm, text.encode()).hexdigest()


def uuid_from(rng: random.Random) -> str:
    h = pick(rng, HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


def png_base64(rng: random.Random, size: int = 8) -> str:
    """A real PNG (size x size, RGB), base64: what notebooks store for every plot."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    rows = b"".join(b"\x00" + random_bytes(rng, size * 3) for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
    return base64.b64encode(data + chunk(b"IEND", b"")).decode("ascii")


def certificate(rng: random.Random) -> str:
    return pem("CERTIFICATE", b"\x30\x82\x03\x2f\x30\x82\x02\x17\xa0\x03" + random_bytes(rng, 500))


def aws_example_key() -> str:
    """AWS's documented example access key id (docs.aws.amazon.com): public, not a secret."""
    return "AKIA" + "IOSFODNN7EXAMPLE"


def aws_example_secret() -> str:
    return "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"


def look(category: str, detail: str = "") -> Mark:
    return Mark(False, category, detail)


def lookalike_values(rng: random.Random) -> List[Value]:
    """Text shaped like a secret that is not one, under the names such text is stored under."""
    pixel = "data:image/png;base64," + png_base64(rng, 1)
    return [
        Value("API_KEY", "<your-api-key-here>", look("placeholder", "<your-api-key-here>")),
        Value("SECRET_KEY", "x" * 40, look("placeholder", "xxxx...")),
        Value("DB_PASSWORD", "${DB_PASSWORD}", look("placeholder", "${VAR}")),
        Value("SMTP_PASSWORD", "{{ smtp_password }}", look("placeholder", "{{ template }}")),
        Value("ADMIN_PASSWORD", "changeme", look("placeholder", "changeme")),
        Value("OPENAI_API_KEY", "sk-...", look("placeholder", "sk-...")),
        Value("GITHUB_TOKEN", "ghp_" + "x" * 36, look("placeholder", "ghp_xxxx... full length")),
        Value("HF_TOKEN", "hf_" + "x" * 34, look("placeholder", "hf_xxxx... full length")),
        Value("BACKUP_AWS_KEY_ID", "AKIA" + "X" * 16, look("placeholder", "AKIAXXXX...")),
        Value("ANTHROPIC_API_KEY", "sk-ant-api03-...", look("placeholder", "sk-ant-api03-...")),
        Value("AWS_ACCESS_KEY_ID", aws_example_key(), look("aws-example", "access key id")),
        Value("AWS_SECRET_ACCESS_KEY", aws_example_secret(), look("aws-example", "secret key")),
        Value("GIT_COMMIT", pick(rng, HEX, 40), look("git-sha")),
        Value("ARCHIVE_SHA256", hex_of("app-1.4.2.tar.gz"), look("hash", "sha256")),
        Value("REQUEST_ID", uuid_from(rng), look("uuid")),
        Value("TOKEN_HANDLER", "PasswordResetTokenGeneratorForStaffAccounts",
              look("identifier")),
        Value("DESCRIPTION", "Lorem ipsum dolor sit amet, consectetur adipiscing elit",
              look("lorem")),
        Value("PLACEHOLDER_IMAGE", pixel, look("data-uri")),
        Value("GITHUB_TOKEN_PATTERN", "ghp_[A-Za-z0-9]{36}", look("regex")),
        Value("READONLY_DATABASE_URL", "postgres://reader@db.internal:5432/app",
              look("db-url", "no password")),
        Value("REPLICA_DATABASE_URL", "postgres://app:${DB_PASSWORD}@replica.internal/app",
              look("db-url", "password from the environment")),
        Value("MODEL_LOADER", "hf_hub_download", look("identifier", "hf_ prefix")),
        Value("DEPLOY_PUBLIC_KEY", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"
              + b64url(random_bytes(rng, 32)) + " deploy@ci", look("public", "ssh public key")),
        Value("CA_CERT", certificate(rng), look("public", "certificate")),
    ]  # fmt: skip


def allowlisted_values(rng: random.Random) -> List[Value]:
    """Real-format keys on lines with detect-secrets' pragma: both tools must stay quiet."""
    return [
        Value("LEGACY_" + t.names[0], t.make(rng, 0), look("allowlisted", t.name), allow=True)
        for t in (TYPES_BY_NAME[n] for n in ("aws-access-key", "github-token", "anthropic-key"))
    ]


# ---- how each file kind writes a value ---------------------------------------------------


def pretty(obj: Dict[str, str]) -> List[str]:
    return json.dumps(obj, indent=2).splitlines()


def one_line(value: Union[str, Dict[str, str]]) -> str:
    """The value on one line: objects as compact JSON, a PEM with `\\n` escapes."""
    return json.dumps(value) if isinstance(value, dict) else value.replace("\n", "\\n")


def yaml_scalar(value: str) -> str:
    plain = re.fullmatch(r"[A-Za-z0-9_/.][^#'\"]*", value) and ": " not in value
    return value if plain and not value.endswith(":") else json.dumps(value)


def comment(entry: Value) -> str:
    return f"  # {PRAGMA}" if entry.allow else ""


Renderer = Callable[[Doc, Sequence[Entry], int], None]


def render_py(doc: Doc, entries: Sequence[Entry], variant: int) -> None:
    """Module constants (variant 0) or a settings dict (variant 1)."""
    doc.add('"""Settings of the billing service."""', "", "import os", "")
    lines = [e for e in entries if isinstance(e, Line)]
    for line in lines:
        doc.add(line.text, mark=line.mark)
    values = [e for e in entries if isinstance(e, Value)]
    if variant == 1:
        doc.add("SETTINGS = {")
    for i, e in enumerate(values):
        target = f'    "{e.name.lower()}": ' if variant == 1 else f"{e.name} = "
        end = "," if variant == 1 else ""
        if isinstance(e.value, dict):
            first, *rest = pretty(e.value)
            doc.add(target + first, *rest[:-1], rest[-1] + end, mark=e.mark)
        elif "\n" in e.value:
            first, *rest = e.value.split("\n")
            doc.add(target + '"""' + first, *rest[:-1], rest[-1] + '"""' + end, mark=e.mark)
        else:
            doc.add(target + json.dumps(e.value) + end + comment(e), mark=e.mark)
        if i % 4 == 3:
            filler = PY_FILLER[i // 4 % len(PY_FILLER)]
            name, _, value = filler.partition(" = ")
            doc.add(f'    "{name.lower()}": {value},' if variant == 1 else filler)
    if variant == 1:
        doc.add("}")


def render_yaml(doc: Doc, entries: Sequence[Entry], variant: int) -> None:
    """A flat mapping (variant 0) or a Kubernetes Deployment's env list (variant 1)."""
    for line in (e for e in entries if isinstance(e, Line)):
        doc.add(line.text, mark=line.mark)
    values = [e for e in entries if isinstance(e, Value)]
    if variant == 1:
        doc.add("apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: billing",
                "spec:", "  template:", "    spec:", "      containers:",
                "        - name: billing", "          image: acme/billing:1.4.2",
                "          env:")  # fmt: skip
    else:
        doc.add("service: billing", "replicas: 3")
    pad = "            " if variant == 1 else ""
    for e in values:
        name = e.name if variant == 1 else e.name.lower()
        head = f"{pad}value:" if variant == 1 else f"{name}:"
        if variant == 1:
            doc.add(f"          - name: {name}")
        if isinstance(e.value, dict) or "\n" in e.value:
            body = pretty(e.value) if isinstance(e.value, dict) else e.value.split("\n")
            doc.add(head + " |", *(f"{pad}  {b}" if b else "" for b in body), mark=e.mark)
        else:
            doc.add(f"{head} {yaml_scalar(e.value)}{comment(e)}", mark=e.mark)


def json_members(doc: Doc, values: Sequence[Value], indent: str) -> None:
    for i, e in enumerate(values):
        end = "," if i < len(values) - 1 else ""
        head = f'{indent}"{e.name.lower()}": '
        if isinstance(e.value, dict):
            first, *rest = pretty(e.value)
            doc.add(head + first, *(indent + r for r in rest[:-1]), indent + rest[-1] + end,
                    mark=e.mark)  # fmt: skip
        else:
            doc.add(head + json.dumps(e.value) + end, mark=e.mark)


def render_json(doc: Doc, entries: Sequence[Entry], variant: int) -> None:
    """A flat object (variant 0) or one nested two levels down (variant 1)."""
    values = [e for e in entries if isinstance(e, Value) and not e.allow]
    if variant == 1:
        doc.add("{", '  "services": {', '    "billing": {')
        json_members(doc, values, "      ")
        doc.add("    }", "  }", "}")
    else:
        doc.add("{")
        json_members(doc, values, "  ")
        doc.add("}")


def shell_word(value: str) -> str:
    return json.dumps(value) if re.search(r"[\s#]", value) else value


def render_env(doc: Doc, entries: Sequence[Entry], variant: int) -> None:
    """NAME=value (variant 0) or NAME="value" (variant 1); a PEM with `\\n` escapes."""
    doc.add("# billing service", "APP_ENV=production")
    for e in entries:
        if isinstance(e, Line):
            doc.add(e.text, mark=e.mark)
            continue
        if isinstance(e.value, dict):
            text = f"{e.name}='{one_line(e.value)}'"
        elif "\n" in e.value or variant == 1:
            text = f'{e.name}="{one_line(e.value)}"'
        else:
            text = f"{e.name}={shell_word(e.value)}"
        doc.add(text + comment(e), mark=e.mark)


def render_ini(doc: Doc, entries: Sequence[Entry], variant: int) -> None:
    """`key = value` (variant 0) or `key: value` (variant 1), continuation lines for a PEM."""
    sep = " = " if variant == 0 else ": "
    doc.add("[app]", "name = billing", "")
    for i, e in enumerate(entries):
        if i % 8 == 0 and i:
            doc.add("", f"[section{i // 8}]")
        if isinstance(e, Line):
            doc.add(e.text, mark=e.mark)
            continue
        name = e.name.lower()
        if isinstance(e.value, dict):
            doc.add(name + sep + one_line(e.value), mark=e.mark)
        elif "\n" in e.value:
            first, *rest = e.value.split("\n")
            doc.add(name + sep + first, *("    " + r if r else "" for r in rest), mark=e.mark)
        else:
            doc.add(name + sep + e.value + comment(e), mark=e.mark)


def render_sh(doc: Doc, entries: Sequence[Entry], variant: int) -> None:
    """export NAME="value" (variant 0) or NAME='value' (variant 1); heredocs for files."""
    doc.add("#!/usr/bin/env bash", "set -euo pipefail", "")
    for e in entries:
        if isinstance(e, Line):
            doc.add(e.text, mark=e.mark)
            continue
        if isinstance(e.value, dict) or "\n" in e.value:
            body = pretty(e.value) if isinstance(e.value, dict) else e.value.split("\n")
            target = f'"$HOME/.config/billing/{e.name.lower()}"'
            doc.add(f"cat > {target} <<'EOF'", *body, "EOF", mark=e.mark)
        elif variant == 0:
            doc.add(f'export {e.name}="{e.value}"{comment(e)}', mark=e.mark)
        else:
            doc.add(f"{e.name}='{e.value}'{comment(e)}", mark=e.mark)
    doc.add("", 'exec ./bin/deploy "$@"')


def render_dockerfile(doc: Doc, entries: Sequence[Entry], variant: int) -> None:
    """ENV (variant 0) or ARG (variant 1); files written with RUN echo or a COPY heredoc."""
    doc.add("FROM python:3.12-slim", "WORKDIR /app")
    word = "ENV" if variant == 0 else "ARG"
    for e in entries:
        if isinstance(e, Line):
            doc.add(e.text, mark=e.mark)
            continue
        if e.allow:
            doc.add(f"# {PRAGMA_NEXT}")
        if isinstance(e.value, dict):
            doc.add(f"{word} {e.name}='{one_line(e.value)}'", mark=e.mark)
        elif "\n" in e.value and variant == 0:
            doc.add(f'RUN echo "{one_line(e.value)}" > /root/{e.name.lower()}', mark=e.mark)
        elif "\n" in e.value:
            doc.add(f"COPY <<EOF /root/{e.name.lower()}", *e.value.split("\n"), "EOF",
                    mark=e.mark)  # fmt: skip
        else:
            doc.add(f"{word} {e.name}={shell_word(e.value)}", mark=e.mark)
    doc.add("COPY . .", 'CMD ["python", "-m", "billing"]')


def render_tf(doc: Doc, entries: Sequence[Entry], variant: int) -> None:
    """A locals block (variant 0) or one variable per value with a default (variant 1)."""
    for line in (e for e in entries if isinstance(e, Line)):
        doc.add(line.text, mark=line.mark)
    values = [e for e in entries if isinstance(e, Value)]
    if variant == 0:
        doc.add("locals {")
    for e in values:
        name = e.name.lower()
        head = f"  {name} = " if variant == 0 else "  default = "
        if variant == 1:
            doc.add(f'variable "{name}" {{', "  type = string")
        if isinstance(e.value, dict) or "\n" in e.value:
            body = pretty(e.value) if isinstance(e.value, dict) else e.value.split("\n")
            doc.add(head + "<<-EOT", *("    " + b for b in body), "  EOT", mark=e.mark)
        else:
            doc.add(head + json.dumps(e.value) + comment(e), mark=e.mark)
        if variant == 1:
            doc.add("}")
    if variant == 0:
        doc.add("}")


@dataclass
class Cell:
    """A notebook code cell: source lines, printed lines, and a plot (PNG, base64) if any."""

    source: List[Tuple[str, Optional[Mark]]]
    output: List[Tuple[str, Optional[Mark]]] = field(default_factory=list)
    image: Optional[Tuple[str, Mark]] = None


def write_cell(doc: Doc, cell: Cell, number: int, last: bool) -> None:
    """One code cell in nbformat 4, as Jupyter writes it: indent 1, one JSON string a line."""

    def strings(items: Sequence[Tuple[str, Optional[Mark]]], indent: str, printed: bool) -> None:
        for i, (text, mark) in enumerate(items):
            more = i < len(items) - 1
            text = text + "\n" if more or printed else text
            doc.add(indent + json.dumps(text) + ("," if more else ""), mark=mark)

    doc.add("  {", '   "cell_type": "code",', f'   "execution_count": {number},',
            '   "metadata": {},')  # fmt: skip
    if cell.output:
        doc.add('   "outputs": [', "    {", '     "name": "stdout",',
                '     "output_type": "stream",', '     "text": [')  # fmt: skip
        strings(cell.output, "      ", printed=True)
        doc.add("     ]", "    }", "   ],")
    elif cell.image:
        doc.add('   "outputs": [', "    {", '     "data": {')
        doc.add(f'      "image/png": "{cell.image[0]}",', mark=cell.image[1])
        doc.add('      "text/plain": [', '       "<Figure size 640x480 with 1 Axes>"', "      ]",
                "     },", '     "metadata": {},', '     "output_type": "display_data"', "    }",
                "   ],")  # fmt: skip
    else:
        doc.add('   "outputs": [],')
    doc.add('   "source": [')
    strings(cell.source, "    ", printed=False)
    doc.add("   ]", "  }" + ("" if last else ","))


def value_cell(e: Value, variant: int) -> Cell:
    """An assignment (variant 0), or a print of the value and what it printed (variant 1)."""
    text = pretty(e.value) if isinstance(e.value, dict) else e.value.split("\n")
    if variant == 1:
        source = [("import os", None), (f'print(os.environ["{e.name}"])', None)]
        return Cell(source, [(t, e.mark) for t in text])
    if len(text) == 1:
        return Cell([(f"{e.name} = {json.dumps(e.value)}", e.mark)])
    if isinstance(e.value, dict):
        return Cell([(f"{e.name} = {text[0]}", e.mark), *((t, e.mark) for t in text[1:])])
    middle = [(t, e.mark) for t in text[1:-1]]
    return Cell([(f'{e.name} = """{text[0]}', e.mark), *middle, (text[-1] + '"""', e.mark)])


def line_cell(line: Line) -> Cell:
    """`out:TEXT` is printed output, `image:B64` a plot, anything else a line of source."""
    if line.text.startswith("image:") and line.mark is not None:
        return Cell([("df.plot()", None)], image=(line.text[len("image:") :], line.mark))
    if line.text.startswith("out:"):
        return Cell([("show()", None)], [(line.text[len("out:") :], line.mark)])
    return Cell([(line.text, line.mark)])


def render_ipynb(doc: Doc, entries: Sequence[Entry], variant: int) -> None:
    """A notebook with a cell per value (no pragma: a JSON string cannot hold a comment)."""
    cells = [value_cell(e, variant) for e in entries if isinstance(e, Value) and not e.allow]
    cells.extend(line_cell(e) for e in entries if isinstance(e, Line))
    doc.add("{", ' "cells": [')
    for i, cell in enumerate(cells):
        write_cell(doc, cell, i + 1, i == len(cells) - 1)
    doc.add(" ],", ' "metadata": {', '  "kernelspec": {', '   "display_name": "Python 3",',
            '   "language": "python",', '   "name": "python3"', "  }", " },",
            ' "nbformat": 4,', ' "nbformat_minor": 5', "}")  # fmt: skip


RENDERERS: Dict[str, Renderer] = {
    "py": render_py,
    "yaml": render_yaml,
    "json": render_json,
    "env": render_env,
    "ini": render_ini,
    "sh": render_sh,
    "dockerfile": render_dockerfile,
    "tf": render_tf,
    "ipynb": render_ipynb,
}
PY_FILLER = ("TIMEOUT_SECONDS = 30", 'LOG_LEVEL = "info"', 'REGIONS = ["eu-west-1", "us-east-1"]',
             "RETRIES = 3")  # fmt: skip

# file kind -> (files with secrets, variant 0 and 1), file with look-alikes
PATHS: Dict[str, Tuple[Tuple[str, str], str]] = {
    "py": (("app/settings.py", "services/billing/config.py"), "app/client.py"),
    "yaml": (("deploy/values.yaml", "k8s/deployment.yaml"), "config/defaults.yaml"),
    "json": (("config/app.json", "config/services.json"), "config/defaults.json"),
    "env": ((".env", "deploy/.env.production"), ".env.example"),
    "ini": (("config/app.ini", "config/services.ini"), "config/defaults.ini"),
    "sh": (("scripts/deploy.sh", "scripts/release.sh"), "scripts/bootstrap.sh"),
    "dockerfile": (("Dockerfile", "docker/worker.Dockerfile"), "docker/base.Dockerfile"),
    "tf": (("infra/main.tf", "infra/modules/db/variables.tf"), "infra/variables.tf"),
    "ipynb": (("notebooks/explore.ipynb", "notebooks/debug-auth.ipynb"), "notebooks/report.ipynb"),
}
KEY_FILES = {".env", "deploy/.env.production", "config/app.json", "config/services.json"}


def kind_lookalikes(kind: str, rng: random.Random) -> List[Entry]:
    """Look-alikes only one file kind has: its own way to name a secret without holding it."""
    sha, sha2 = pick(rng, HEX, 40), pick(rng, HEX, 40)
    digest = hex_of("python-3.12.4.tar.xz")
    # a fresh mark for every line: lines that share a mark are one label
    env, tmpl = partial(look, "env-lookup"), partial(look, "env-lookup", "template reference")
    example = partial(look, "docstring-example")
    if kind == "py":
        return [
            Line('API_KEY = os.environ["BILLING_API_KEY"]', env()),
            Line('GITHUB_TOKEN = os.getenv("GITHUB_TOKEN", "")', env()),
            Line("SECRET_KEY = settings.SECRET_KEY", look("env-lookup", "indirection")),
            Line('AWS_KEY_RE = re.compile(r"(?:AKIA|ASIA)[0-9A-Z]{16}")', look("regex")),
            Line('JWT_RE = re.compile(r"eyJ[\\w-]+\\.[\\w-]+\\.[\\w-]*")', look("regex")),
            Line(f'EMPTY_SHA256 = "{hashlib.sha256(b"").hexdigest()}"', look("hash", "sha256")),
            Line('NAMESPACE = uuid.UUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")', look("uuid")),
            Line("def login(username: str, password: str) -> None:", look("identifier")),
            Line('    """Log in.', None),
            Line('    >>> login("admin", {}="hunter2")'.format("password"), example()),
            Line('    >>> Client({}="your-api-key")'.format("api_key"), example()),
            Line('    """', None),
            Line('    password = getpass.getpass("Password: ")', env()),
            Line("def test_password_reset_token_expires_after_password_change() -> None:",
                 look("identifier")),
            Line("    assert reset_token_for(user) != previous_password_reset_token", None),
        ]  # fmt: skip
    if kind == "yaml":
        return [Line("# defaults; real values come from the environment")]
    if kind == "json":
        return [
            Value("apiKey", "${API_KEY}", tmpl()),
            Value("password", "", look("placeholder", "empty")),
            Value("sha", sha, look("git-sha")),
        ]
    if kind == "env":
        return [
            Line("OPENAI_API_KEY=", look("placeholder", "empty")),
            Line("DATABASE_URL=" + url_with_login("postgres", "user", "password", LOCAL_DB),
                 look("placeholder", "user:password@localhost")),
            Line("AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}", tmpl()),
            Line("export GITHUB_TOKEN=$GH_TOKEN", env()),
            Line("API_KEY=<your-api-key>", look("placeholder")),
            Line("ADMIN_PASSWORD=changeme", look("placeholder", "changeme")),
            Line("DB_PASSWORD_FILE=" + SECRETS_DIR + "db_password", look("identifier", "a path")),
            Line("AUTH_ENABLED=true", look("setting", "boolean")),
            Line("TOKEN_TTL_SECONDS=3600", look("setting", "number")),
            Line("SECRET_ROTATION=false", look("setting", "boolean")),
        ]  # fmt: skip
    if kind == "ini":
        return [
            Line("replica_password = %(DB_PASSWORD)s", tmpl()),
            Line("token_file = /run/secrets/api_token", look("identifier", "a path")),
            Line("hash = sha256:" + digest, look("hash", "sha256")),
        ]
    if kind == "sh":
        return [
            Line('export GITHUB_TOKEN="$(gh auth token)"', env()),
            Line("DB_PASSWORD=$(openssl rand -base64 24)", env()),
            Line('echo "$DOCKERHUB_TOKEN" | docker login --username ci --password-stdin', env()),
            Line('curl -fsS -H "Authorization: Bearer ${API_TOKEN}" https://api.example.com/me',
                 env()),
            Line(f'echo "{digest}  Python-3.12.4.tar.xz" | sha256sum -c -', look("hash")),
            Line(f"git checkout {sha}", look("git-sha")),
            Line("export DB_PASSWORD_FILE=/run/secrets/db_password", look("identifier", "a path")),
            Line("TOKEN_TTL=3600", look("setting", "number")),
            Line("export AUTH_REQUIRED=true", look("setting", "boolean")),
        ]  # fmt: skip
    if kind == "dockerfile":
        return [
            Line(f"FROM python:3.12-slim@sha256:{hex_of('python:3.12-slim')} AS build",
                 look("hash", "image digest")),
            Line("ARG NPM_TOKEN", env()),
            Line(f"ENV PYTHON_SHA256={digest}", look("hash", "sha256")),
            Line('RUN --mount=type=secret,id=npm NPM_TOKEN="$(cat /run/secrets/npm)" npm ci',
                 env()),
            Line("ENV API_KEY=${API_KEY}", tmpl()),
            Line(f"LABEL org.opencontainers.image.revision={sha2}", look("git-sha")),
            Line("ENV PATH=/usr/local/bin:$PATH", look("setting", "PATH")),
            Line("ARG VERSION=1.2.3", look("setting", "version")),
            Line("ENV DB_PASSWORD_FILE=/run/secrets/db_password", look("identifier", "a path")),
            Line("ENV AUTH_ENABLED=true TOKEN_TTL=3600", look("setting", "boolean, number")),
            Line("ARG GITHUB_TOKEN=$GH_TOKEN", env()),
        ]  # fmt: skip
    if kind == "tf":
        return [
            Line('variable "db_password" {'),
            Line("  type      = string"),
            Line("  sensitive = true"),
            Line("}"),
            Line('resource "aws_db_instance" "main" {'),
            Line("  password   = var.db_password", env()),
            Line("  kms_key_id = aws_kms_key.db.arn", look("identifier")),
            Line("}"),
            Line('module "vpc" {'),
            Line(f'  source = "git::https://github.com/acme/tf-modules.git//vpc?ref={sha}"',
                 look("git-sha")),
            Line("}"),
            Line('resource "aws_lambda_function" "api" {'),
            Line("  environment {"),
            Line("    variables = {"),
            Line("      API_KEY = data.aws_secretsmanager_secret_version.api.secret_string",
                 env()),
            Line("    }"),
            Line("  }"),
            Line("}"),
        ]  # fmt: skip
    return [  # ipynb
        Line('token = os.environ["HF_TOKEN"]', env()),
        Line(f"out:{uuid_from(rng)}", look("uuid")),
        Line(f"out:{hashlib.sha256(b'train.parquet').hexdigest()}", look("hash")),
        Line("out:Lorem ipsum dolor sit amet, consectetur adipiscing elit", look("lorem")),
        Line("image:" + png_base64(rng), look("data-uri", "plot (image/png)")),
    ]


# ---- files beyond the nine kinds: lock files, fixtures, docs, key files --------------------


def lock_files() -> Iterator[Tuple[str, str, Doc]]:
    """Dependency pins and their hashes, as package managers write them."""
    packages = [("certifi", "2024.6.2"), ("idna", "3.7"), ("requests", "2.32.3"),
                ("urllib3", "2.2.2"), ("charset-normalizer", "3.3.2")]  # fmt: skip
    doc = Doc()
    for name, version in packages:
        doc.add("[[package]]", f'name = "{name}"', f'version = "{version}"',
                "optional = false", 'python-versions = ">=3.8"', "files = [")  # fmt: skip
        for file in (f"{name}-{version}-py3-none-any.whl", f"{name}-{version}.tar.gz"):
            doc.add(f'    {{file = "{file}", hash = "sha256:{hex_of(file)}"}},',
                    mark=look("hash", "poetry.lock"))  # fmt: skip
        doc.add("]", "")
    doc.add("[metadata]", 'lock-version = "2.0"', 'python-versions = "^3.9"')
    doc.add(f'content-hash = "{hex_of("pyproject")}"', mark=look("hash", "poetry.lock"))
    yield "poetry.lock", "lock", doc

    doc = Doc()
    doc.add("{", '  "name": "web",', '  "lockfileVersion": 3,', '  "packages": {')
    npm_packages = [("react", "18.3.1"), ("scheduler", "0.23.2"), ("loose-envify", "1.4.0"),
                    ("js-tokens", "4.0.0")]  # fmt: skip
    for i, (name, version) in enumerate(npm_packages):
        integrity = base64.b64encode(hashlib.sha512(name.encode()).digest()).decode()
        doc.add(
            f'    "node_modules/{name}": {{',
            f'      "version": "{version}",',
            f'      "resolved": "https://registry.npmjs.org/{name}/-/{name}-{version}.tgz",',
        )
        doc.add(f'      "integrity": "sha512-{integrity}"', mark=look("hash", "npm integrity"))
        doc.add("    }" + ("," if i < len(npm_packages) - 1 else ""))
    doc.add("  }", "}")
    yield "web/package-lock.json", "lock", doc

    doc = Doc()
    for name, version in packages:
        wheel = f"{name}-{version}-py3-none-any.whl"
        doc.add(f"{name}=={version} \\")
        doc.add(f"    --hash=sha256:{hex_of(wheel)}", mark=look("hash", "requirements"))
    yield "requirements.txt", "lock", doc

    doc = Doc()
    doc.add("repos:")
    for repo in ("pre-commit/pre-commit-hooks", "astral-sh/ruff-pre-commit", "Yelp/detect-secrets"):
        doc.add(f"  - repo: https://github.com/{repo}")
        doc.add(f"    rev: {hex_of(repo, 'sha1')}", mark=look("git-sha", "pinned rev"))
        doc.add("    hooks:", "      - id: " + repo.split("/")[1])
    yield ".pre-commit-config.yaml", "lock", doc


def fixture_files(rng: random.Random) -> Iterator[Tuple[str, str, Doc]]:
    """Test fixtures full of digests and ids: the hex strings entropy detectors love."""
    doc = Doc()
    doc.add('"""Known digests of the sample payloads."""', "", "DIGESTS = {")
    for payload in ("", "abc", "hello world", "The quick brown fox"):
        for algorithm in ("md5", "sha1", "sha256", "sha512"):
            digest = hex_of(payload, algorithm)
            doc.add(f'    ("{algorithm}", "{payload}"): "{digest}",', mark=look("hash", algorithm))
    doc.add("}")
    yield "tests/fixtures/digests.py", "fixture", doc

    doc = Doc()
    doc.add("[")
    for i in range(4):
        doc.add("  {")
        doc.add(f'    "id": "{uuid_from(rng)}",', mark=look("uuid"))
        doc.add(f'    "commit": "{pick(rng, HEX, 40)}",', mark=look("git-sha"))
        doc.add(f'    "tree": "{pick(rng, HEX, 40)}",', mark=look("git-sha"))
        doc.add(f'    "etag": "W/{pick(rng, HEX, 32)}"', mark=look("hash", "etag"))
        doc.add("  }" + ("," if i < 3 else ""))
    doc.add("]")
    yield "tests/fixtures/commits.json", "fixture", doc


def doc_files() -> Iterator[Tuple[str, str, Doc]]:
    """A quickstart page: how to pass keys, shown with placeholders and AWS's example key."""
    doc = Doc()
    doc.add("# Quickstart", "", "Put your keys in the environment:", "", "```sh")
    doc.add('export OPENAI_API_KEY="sk-..."', mark=look("placeholder", "sk-..."))
    doc.add('export ANTHROPIC_API_KEY="<your-anthropic-key>"', mark=look("placeholder"))
    doc.add(f"export AWS_ACCESS_KEY_ID={aws_example_key()}", mark=look("aws-example"))
    doc.add(f"export AWS_SECRET_ACCESS_KEY={aws_example_secret()}", mark=look("aws-example"))
    doc.add("```", "", "```python")
    doc.add('client = Anthropic(api_key=os.environ["ANTHROPIC_API_KEY"])', mark=look("env-lookup"))
    login = url_with_login("postgresql", "user", "password", "localhost/app")
    doc.add(f'engine = create_engine("{login}")',
            mark=look("placeholder", "user:password@localhost"))  # fmt: skip
    doc.add("```", "")
    doc.add("A Hugging Face token is `hf_` and 34 letters, such as `hf_" + "x" * 34 + "`.",
            mark=look("docstring-example"))  # fmt: skip
    yield "docs/quickstart.md", "md", doc


def workflow_file() -> Iterator[Tuple[str, str, Doc]]:
    """A GitHub Actions workflow: secrets by reference, actions pinned by commit."""
    doc = Doc()
    doc.add("name: ci", "on: [push]", "jobs:", "  test:", "    runs-on: ubuntu-latest",
            "    steps:")  # fmt: skip
    pinned, secret_ref = ("git-sha", "pinned action"), ("env-lookup", "${{ secrets.X }}")
    doc.add(f"      - uses: actions/checkout@{hex_of('checkout', 'sha1')}", mark=look(*pinned))
    doc.add(f"      - uses: docker/login-action@{hex_of('login', 'sha1')}", mark=look(*pinned))
    doc.add("        with:", "          username: ${{ vars.DOCKERHUB_USERNAME }}")
    doc.add("          password: ${{ secrets.DOCKERHUB_TOKEN }}", mark=look(*secret_ref))
    doc.add("      - run: make test", "        env:")
    doc.add("          OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}", mark=look(*secret_ref))
    login = url_with_login("postgres", "postgres", "postgres", "localhost:5432/test")
    doc.add("          DATABASE_URL: " + login,
            mark=look("placeholder", "CI container"))  # fmt: skip
    doc.add("      - uses: actions/cache@v4", "        with:", "          path: ~/.cache/pip")
    doc.add("          key: ${{ runner.os }}-pip-${{ hashFiles('**/requirements.txt') }}",
            mark=look("env-lookup", "cache key"))  # fmt: skip
    doc.add("    services:", "      postgres:", "        image: postgres:16", "        env:")
    doc.add("          POSTGRES_PASSWORD: postgres", mark=look("placeholder", "CI container"))
    yield ".github/workflows/ci.yml", "yaml", doc


def page_break_file(rng: random.Random) -> Iterator[Tuple[str, str, Doc]]:
    """A module with form-feed page breaks (^L, which PEP 8 allows): a plain character to git
    and detect-secrets, a line break to `str.splitlines`. A file kind of its own, so that its
    effect shows apart."""
    doc = Doc()
    doc.add('"""Legacy helpers, a page per section."""', "", "import os", "", "\f")
    for index, name in enumerate(("aws-access-key", "github-token", "anthropic-key")):
        kind = TYPES_BY_NAME[name]
        doc.add(f"# ---- section {index + 1}", "")
        doc.add(f"{kind.names[0]} = {json.dumps(kind.make(rng, 0))}", mark=Mark(True, name))
        doc.add("", "\f")
    yield "legacy/pages.py", "py-formfeed", doc


# a private key of every format as a file of its own, where it is written over many lines
KEY_FILE_FORMATS = (
    ("deploy/id_rsa", "openssh"),
    ("certs/server.key", "pkcs8"),
    ("certs/legacy.key", "rsa"),
    ("certs/ecdsa.key", "ec"),
    ("keys/release-signing.asc", "pgp"),
    ("keys/tectia_ssh2.key", "ssh2"),
    ("keys/deploy.ppk", "putty"),
)


def key_files(rng: random.Random) -> Iterator[Tuple[str, str, bool, Doc]]:
    """Files that are credentials by name (DW502), and files with such names that are not."""
    for path, variant in KEY_FILE_FORMATS:
        doc = Doc()
        doc.add(*private_key(rng, variant).split("\n"), mark=Mark(True, "private-key", variant))
        yield path, "keyfile", True, doc
    doc = Doc()
    doc.add("registry=https://registry.npmjs.org/")
    doc.add(npm(rng, 1), mark=Mark(True, "npm-token"))
    yield ".npmrc", "keyfile", True, doc
    doc = Doc()
    doc.add(*pretty(service_account(rng)), mark=Mark(True, "gcp-service-account"))
    yield "gcp/sa-key.json", "keyfile", True, doc
    doc = Doc()
    state = {"version": 4, "resources": [{"type": "random_password", "name": "db",
             "instances": [{"attributes": {"result": password(rng, 24)}}]}]}  # fmt: skip
    lines = json.dumps(state, indent=2).split("\n")
    for line in lines:
        doc.add(line, mark=Mark(True, "password", "tfstate") if '"result"' in line else None)
    yield "infra/terraform.tfstate", "keyfile", True, doc
    doc = Doc()
    doc.add("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ" + b64url(random_bytes(rng, 96)) + " ci@acme",
            mark=look("public", "ssh public key"))  # fmt: skip
    yield "deploy/id_rsa.pub", "keyfile", False, doc
    doc = Doc()
    doc.add(*certificate(rng).split("\n"), mark=look("public", "certificate"))
    yield "certs/ca.pem", "keyfile", False, doc
    doc = Doc()
    doc.add("registry=https://registry.npmjs.org/", "@acme:registry=https://npm.pkg.github.com/")
    yield "frontend/.npmrc", "keyfile", False, doc
    doc = Doc()
    doc.add("{", '  "name": "web",', '  "version": "1.4.2",', '  "private": true', "}")
    yield "web/package.json", "keyfile", False, doc


# ---- strings written over several lines, and the change that adds their later lines ------


class Change:
    """A file before and after a change that rewrites the later lines of some strings."""

    def __init__(self) -> None:
        self.after, self.before = Doc(), Doc()

    def add(self, *lines: str, mark: Optional[Mark] = None) -> None:
        self.after.add(*lines, mark=mark)
        self.before.add(*lines)

    def change(self, after: str, before: str, mark: Optional[Mark] = None) -> None:
        self.after.add(after, mark=mark)
        self.before.add(before)


def halves(rng: random.Random, kind: str) -> Tuple[str, str, str, Mark]:
    """A secret of `kind` cut in two, a different second half (its value before the change),
    and its mark."""
    value = TYPES_BY_NAME[kind].make(rng, 0)
    assert isinstance(value, str)
    cut = len(value) // 2
    return value[:cut], value[cut:], pick(rng, ALNUM, len(value) - cut), Mark(True, kind, "split")


def split_files(rng: random.Random) -> Iterator[Tuple[str, Change]]:
    """Secrets whose string spans lines (implicit concatenation, a backslash inside a literal or
    at the end of a shell line, YAML quoted and folded scalars, Terraform heredocs, Python and
    TypeScript literals joined with `+`) or sit apart from their name (a Terraform variable's
    default), and look-alikes written the same way. The change rewrites only
    the later line of each string: in diff scope its first line is old. A file kind of its own
    (`split`), so that it shows apart."""
    doc = Change()
    doc.add('"""Settings, wrapped at 79 columns."""', "")
    for kind in ("github-token", "anthropic-key", "aws-secret-key"):
        head, tail, old, mark = halves(rng, kind)
        doc.add(f"{TYPES_BY_NAME[kind].names[0]} = (", f'    "{head}"', mark=mark)
        doc.change(f'    "{tail}"', f'    "{old}"', mark=mark)
        doc.add(")")
    head, tail, old, mark = halves(rng, "slack-token")
    doc.add(f'SLACK_TOKEN = "{head}\\', mark=mark)
    doc.change(f'{tail}"', f'{old}"', mark=mark)
    digest = hex_of("billing-2.4.0.tar.gz")
    doc.add("EXPECTED_SHA256 = (", f'    "{digest[:32]}"', mark=(sha := look("hash", "split")))
    doc.change(f'    "{digest[32:]}"', f'    "{hex_of("old")[32:]}"', mark=sha)
    doc.add(")", 'DOCS_URL = (', '    "https://docs.example.com/api/authentication"',
            mark=(url := look("identifier", "split URL")))  # fmt: skip
    doc.change('    "#personal-access-tokens"', '    "#tokens"', mark=url)
    doc.add(")")
    doc.add('TOKEN_ALPHABET = ("abcdefghijklmnopqrstuvwxyz"', mark=(abc := look("alphabet")))
    doc.change('                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")',
               '                  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")', mark=abc)  # fmt: skip
    head, tail, old, mark = halves(rng, "huggingface-token")
    doc.add("HF_TOKEN = (", f'    "{head}" +', mark=mark)
    doc.change(f'    "{tail}"', f'    "{old}"', mark=mark)
    doc.add(")")
    head, tail, old, mark = halves(rng, "openai-key")
    doc.add(f'OPENAI_API_KEY = "{head}" + \\', mark=mark)
    doc.change(f'    "{tail}"', f'    "{old}"', mark=mark)
    doc.add('USERS_QUERY = ("SELECT id, email FROM users WHERE api_token_hash = %s " +',
            mark=(sql := look("lorem", "split SQL")))  # fmt: skip
    doc.change('               "AND password_reset_at IS NULL")',
               '               "AND deleted_at IS NULL")', mark=sql)  # fmt: skip
    head, tail, _, _ = halves(rng, "github-token")
    doc.add(f'GITHUB_TOKEN = ("{head}" + TOKEN_SUFFIX +', mark=(var := look("env-lookup", "chain")))
    doc.change(f'                "{tail}")', f'                "{tail[::-1]}")', mark=var)
    yield "app/wrapped.py", doc

    doc = Change()
    doc.add("#!/usr/bin/env bash", "set -euo pipefail")
    head, tail, old, mark = halves(rng, "github-token")
    doc.add(f'curl -fsS -H "Authorization: Bearer {head}\\', mark=mark)
    doc.change(f'{tail}" https://api.github.com/user', f'{old}" https://api.github.com/user',
               mark=mark)  # fmt: skip
    head, tail, old, mark = halves(rng, "stripe-key")
    doc.add(f"export STRIPE_SECRET_KEY={head}\\", mark=mark)
    doc.change(tail, old, mark=mark)
    env = look("env-lookup", "split")
    doc.add('curl -fsS -H "Authorization: Bearer ${GITHUB_TOKEN}" \\', mark=env)
    doc.change("  https://api.github.com/user/repos", "  https://api.github.com/user", mark=env)
    yield "scripts/wrapped.sh", doc

    doc = Change()
    doc.add("FROM python:3.12-slim")
    head, tail, old, mark = halves(rng, "huggingface-token")
    doc.add(f"ENV HF_TOKEN={head}\\", mark=mark)
    doc.change(tail, old, mark=mark)
    head, tail, old, mark = halves(rng, "high-entropy-base64")
    doc.add(f"ENV APP_ENV=production SIGNING_KEY={head}\\", mark=mark)
    doc.change(tail, old, mark=mark)
    setting = look("setting", "split")
    doc.add("ENV PATH=/opt/venv/bin:$PATH \\", mark=setting)
    doc.change("    PIP_NO_CACHE_DIR=1", "    PIP_NO_CACHE_DIR=0", mark=setting)
    yield "deploy/Dockerfile.worker", doc

    doc = Change()
    doc.add("service:", "  name: billing")
    head, tail, old, mark = halves(rng, "dockerhub-token")
    doc.add(f'  registry_token: "{head}\\', mark=mark)
    doc.change(f'    {tail}"', f'    {old}"', mark=mark)
    secret = password(rng)
    doc.add("  password: >-", mark=(mark := Mark(True, "password", "split")))
    doc.change(f"    {secret}", f"    {password(rng)}", mark=mark)
    doc.add("  description: >-", mark=(text := look("lorem", "split")))
    doc.change("    Rotate the API token every 90 days.", "    Rotate it yearly.", mark=text)
    yield "deploy/wrapped.yaml", doc

    doc = Change()
    doc.add("locals {")
    for kind, opener, indent, closer in (
        ("password", "  db_password = <<-EOT", "    ", "  EOT"),
        ("high-entropy-base64", "  signing_key = <<EOT", "", "EOT"),
    ):
        value, old_value = (TYPES_BY_NAME[kind].make(rng, 0) for _ in range(2))
        doc.add(opener, mark=(mark := Mark(True, kind, "heredoc")))
        doc.change(f"{indent}{value}", f"{indent}{old_value}", mark=mark)
        doc.add(closer, mark=mark)
    doc.add("  api_token = <<-EOT", mark=(env := look("env-lookup", "heredoc")))
    doc.change("    ${var.api_token}", "    ${var.token}", mark=env)
    doc.add("  EOT", mark=env)
    doc.add("  admin_password = trimspace(<<-EOT", mark=(default := look("placeholder", "heredoc")))
    doc.change("    changeme", "    postgres", mark=default)
    doc.add("  EOT", "  )", mark=default)
    doc.add("  user_data = <<-EOT", "    #!/bin/bash", mark=(script := look("setting", "heredoc")))
    doc.change("    apt-get install -y nginx", "    apt-get install -y apache2", mark=script)
    doc.add("    systemctl enable --now nginx", "  EOT", mark=script)
    doc.add("}")
    doc.add('variable "db_password" {', "  type      = string", "  sensitive = true")
    secret = password(rng)
    doc.change(f'  default   = "{secret}"', f'  default   = "{password(rng)}"',
               mark=Mark(True, "password", "variable"))  # fmt: skip
    doc.add("}", 'variable "region" {', "  type    = string")
    doc.change('  default = "eu-central-1"', '  default = "eu-west-1"',
               mark=look("setting", "variable"))  # fmt: skip
    doc.add("}", 'variable "admin_password" {', "  type    = string")
    doc.change('  default = "changeme"', '  default = "postgres"',
               mark=look("placeholder", "variable"))  # fmt: skip
    doc.add("}")
    yield "infra/wrapped.tf", doc

    doc = Change()
    doc.add("// Keys wrapped at 100 columns, as a formatter leaves them.")
    for kind, operator_first in (("anthropic-key", False), ("aws-secret-key", True)):
        head, tail, old, mark = halves(rng, kind)
        name = TYPES_BY_NAME[kind].names[0]
        ends, starts = ("", "+ ") if operator_first else (" +", "")
        doc.add(f'export const {name} = "{head}"{ends}', mark=mark)
        doc.change(f'  {starts}"{tail}";', f'  {starts}"{old}";', mark=mark)
    doc.add('const query = "SELECT id, email FROM users WHERE api_token_hash = $1 " +',
            mark=(sql := look("lorem", "split SQL")))  # fmt: skip
    doc.change('  "AND password_reset_at IS NULL";', '  "AND deleted_at IS NULL";', mark=sql)
    doc.add('const docsUrl = "https://docs.example.com/api/authentication" +',
            mark=(url := look("identifier", "split URL")))  # fmt: skip
    doc.change('  "#personal-access-tokens";', '  "#tokens";', mark=url)
    doc.add('const TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyz" +', mark=(abc := look("alphabet")))
    doc.change('  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";', '  "ABCDEFGHIJKLMNOPQRSTUVWXYZ";',
               mark=abc)  # fmt: skip
    yield "web/src/wrapped.ts", doc


# ---- the corpus --------------------------------------------------------------------------


def write_corpus(root: str, seed: int = SEED) -> Tuple[List[CorpusFile], List[Label]]:
    """Write the corpus under `root`; return its files and labels. Same seed, same bytes."""
    rng = random.Random(seed)
    keys = itertools.count()
    files: List[CorpusFile] = []
    labels: List[Label] = []

    def save(
        path: str, file_kind: str, key_file: bool, doc: Doc, before: Optional[str] = None
    ) -> None:
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full) or root, exist_ok=True)
        text = doc.text()
        if path.endswith(".json") or path.endswith(".ipynb"):
            json.loads(text)  # the corpus must be what it claims to be
        with open(full, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        files.append(CorpusFile(path, file_kind, key_file, before))
        labels.extend(doc.labels(path, file_kind))

    for kind, (secret_paths, lookalike_path) in PATHS.items():
        for variant, path in enumerate(secret_paths):
            doc = Doc()
            RENDERERS[kind](doc, secrets_for(rng, variant, keys), variant)
            save(path, kind, path in KEY_FILES, doc)
        doc = Doc()
        entries: List[Entry] = [*kind_lookalikes(kind, rng), *lookalike_values(rng)]
        entries.extend(allowlisted_values(rng))
        RENDERERS[kind](doc, entries, 0)
        save(lookalike_path, kind, False, doc)
    for path, file_kind, doc in (*workflow_file(), *lock_files(), *fixture_files(rng)):
        save(path, file_kind, False, doc)
    for path, file_kind, doc in doc_files():
        save(path, file_kind, False, doc)
    for path, file_kind, key_file, doc in key_files(rng):
        save(path, file_kind, key_file, doc)
    for path, file_kind, doc in page_break_file(rng):
        save(path, file_kind, False, doc)
    for path, change in split_files(rng):  # last: the files above keep their bytes
        save(path, "split", False, change.after, change.before.text())
    return files, labels


def main(argv: Sequence[str]) -> int:
    """Write the corpus and its labels to a folder, for reading it or for another tool."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", help="the folder to write the corpus and labels.json into")
    out_dir = parser.parse_args(argv).out_dir
    files, labels = write_corpus(out_dir)
    with open(os.path.join(out_dir, "labels.json"), "w", encoding="utf-8") as handle:
        json.dump({"files": [f.__dict__ for f in files], "labels": [x.__dict__ for x in labels]},
                  handle, indent=1)  # fmt: skip
    secrets = sum(x.secret for x in labels)
    print(f"{len(files)} files, {secrets} secrets, {len(labels) - secrets} look-alikes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
