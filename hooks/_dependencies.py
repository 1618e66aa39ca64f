"""Every dependency a file declares, with where it is written: the dependency guard's reader.

A private module, imported only when a dependency file is in the change. It reads
requirements files (`requirements*.txt`, pip-tools `*.in`), `pyproject.toml` (PEP 621
`[project]`, `[dependency-groups]`, `[build-system]`, Poetry, PDM and uv tables), `setup.cfg`,
`Pipfile`, and `pip install` commands in Dockerfiles, shell scripts, Makefiles and CI workflows.
Requirement strings are parsed by `packaging` (pip's own parser, PEP 508), TOML by
tomllib/tomli; neither runs anything. Positions are 1-based; a TOML value is found again in the
text by its quoted spelling, under the table that holds it.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from hooks.engine.lazyre import lazy_re

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REQUIREMENTS = (
    "*requirements*.txt", "*requirements*.in", "requirements/*.txt", "requirements/*.in",
    "*constraints*.txt",
)  # fmt: skip
SCRIPTS = (
    "Dockerfile", "Dockerfile.*", "*.dockerfile", "Containerfile", "*.sh", "*.bash", "*.zsh",
    "Makefile", "*.mk", "justfile", "*.yml", "*.yaml",
)  # fmt: skip
TOML_FILES = ("pyproject.toml", "Pipfile")
DEPENDENCY_FILES = (*REQUIREMENTS, *TOML_FILES, "setup.cfg")
# a script matters only where it installs something with pip
PIP_INSTALL = lazy_re(rb"\bpip[0-9.]*\s+install\b")
VCS = lazy_re(r"^(git|hg|svn|bzr)\+", re.IGNORECASE)
URL = lazy_re(r"^[a-z][a-z0-9+.-]*://|^file:", re.IGNORECASE)
ARCHIVE = lazy_re(r"\.(whl|tar\.gz|tgz|tar\.bz2|zip)$", re.IGNORECASE)
EGG = lazy_re(r"[#&]egg=([A-Za-z0-9._-]+)")
# `# comment` after whitespace, as pip strips it
COMMENT = lazy_re(r"(^|\s+)#.*$")
# pip options that take a value, and the ones among them that name where packages come from
VALUED = frozenset(
    "-r --requirement -c --constraint -e --editable -i --index-url --extra-index-url -f "
    "--find-links --trusted-host -t --target --prefix --root --src --platform --python-version "
    "--implementation --abi --cache-dir --log --proxy --timeout --retries --cert --client-cert "
    "--exists-action --no-binary --only-binary --upgrade-strategy --progress-bar -C "
    "--config-settings --global-option --install-option --hash --report --python "
    "--use-feature --progress-bar --root-user-action".split()
)
INDEXES = {
    "-i": "an index that replaces PyPI",
    "--index-url": "an index that replaces PyPI",
    "--extra-index-url": "an extra index beside PyPI (the same name may resolve on either)",
    "-f": "a find-links location",
    "--find-links": "a find-links location",
}
EDITABLE = frozenset({"-e", "--editable"})
THE_PROJECT = lazy_re(r"^\.(/)?(\[[^\]]*\])?$")
TOML_STRING = lazy_re(r'"((?:[^"\\\n]|\\.)*)"|\'([^\'\n]*)\'')
TOML_HEADER = lazy_re(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
TOML_KEY = lazy_re(r"^\s*(?:\"([^\"]+)\"|'([^']+)'|([A-Za-z0-9_.-]+))\s*=")
POETRY_DEPENDENCIES = lazy_re(
    r"^tool\.poetry\.(dependencies|dev-dependencies|group\.[^.]+\.dependencies)$"
)
PIPFILE_NOT_PACKAGES = frozenset({"source", "requires", "scripts", "pipenv"})
SOURCE_KEYS = ("git", "hg", "svn", "bzr", "url", "path", "file")


@dataclass(frozen=True)
class Declared:
    """One dependency (or package source) as written: a name to judge, a source to report."""

    line: int
    col: int
    text: str
    name: Optional[str]  # the project name as written, None when there is none
    source: str = ""  # what is risky about where it comes from ("a VCS URL"), or ""

    @property
    def end_col(self) -> int:
        return self.col + len(self.text)


def _matches(path: str, patterns: Tuple[str, ...]) -> bool:
    norm = path.replace("\\", "/")
    name = norm.rsplit("/", 1)[-1]
    return any(
        fnmatch.fnmatchcase(norm if "/" in p else name, p if "/" not in p else "*" + p)
        for p in patterns
    )


def kind_of(path: str, data: bytes) -> Optional[str]:
    """`requirements`, `pyproject`, `pipfile`, `setup.cfg` or `script`; None for other files."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    if name == "pyproject.toml":
        return "pyproject"
    if name == "Pipfile":
        return "pipfile"
    if name == "setup.cfg":
        return "setup.cfg"
    if _matches(path, REQUIREMENTS):
        return "requirements"
    if _matches(path, SCRIPTS) and PIP_INSTALL.search(data):
        return "script"
    return None


@lru_cache(maxsize=16)
def declared(path: str, text: str) -> Tuple[Declared, ...]:
    """What `path` declares (memoised: three rules read each file)."""
    kind = kind_of(path, text.encode("utf-8", "replace"))
    if kind == "requirements":
        return tuple(_requirements(text))
    if kind == "pyproject":
        return tuple(_pyproject(text))
    if kind == "pipfile":
        return tuple(_pipfile(text))
    if kind == "setup.cfg":
        return tuple(_setup_cfg(text))
    if kind == "script":
        return tuple(_scripts(text))
    return ()


def classify(text: str, line: int, col: int) -> Optional[Declared]:
    """A requirement, URL or path as pip reads it; None for what names nothing to install."""
    from packaging.requirements import InvalidRequirement, Requirement

    if "$" in text or THE_PROJECT.match(text):
        return None  # a variable we cannot read, or the project itself (`.`, `.[dev]`)
    egg = EGG.search(text)
    if VCS.match(text):
        return Declared(line, col, text, egg.group(1) if egg else None, "a VCS URL")
    if text.lower().startswith("file:"):
        return None
    if URL.match(text):
        return Declared(line, col, text, egg.group(1) if egg else None, "a direct URL")
    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None  # a local path (`./libs/core`), or not a requirement at all
    if requirement.url:
        if requirement.url.startswith("file:"):
            return None  # `name @ file:///...`: a local path
        where = "a VCS URL" if VCS.match(requirement.url) else "a direct URL"
        return Declared(line, col, text, requirement.name, where)
    if ARCHIVE.search(text):
        return None  # `dist/pkg-1.0-py3-none-any.whl`: a local archive, not a name
    return Declared(line, col, text, requirement.name)


def _logical_lines(text: str) -> Iterator[Tuple[int, List[Tuple[int, str]]]]:
    """(first line, [(line, text), ...]) for each line joined with its `\\` continuations."""
    parts: List[Tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if line.endswith("\\"):
            parts.append((number, line[:-1]))
            continue
        parts.append((number, line))
        yield parts[0][0], parts
        parts = []
    if parts:
        yield parts[0][0], parts


def _words(parts: List[Tuple[int, str]]) -> Iterator[Tuple[str, int, int]]:
    """(word, line, col) of each whitespace-separated word, quotes left as written."""
    for number, line in parts:
        for match in re.finditer(r"\S+", line):
            yield match.group(), number, match.start() + 1


def _requirements(text: str) -> Iterator[Declared]:
    for _, parts in _logical_lines(text):
        stripped = [(n, COMMENT.sub("", line)) for n, line in parts]
        yield from _pip_arguments(list(_words(stripped)), requirements_file=True)


def _pip_arguments(
    words: List[Tuple[str, int, int]], requirements_file: bool = False
) -> Iterator[Declared]:
    """What the arguments of `pip install` (or one requirements line) declare."""
    index = 0
    while index < len(words):
        word, line, col = words[index]
        option, _, value = word.partition("=")
        if option.startswith("-"):
            if option in VALUED and not value and index + 1 < len(words):
                index += 1
                value, line, col = words[index]
            elif value:
                col += len(option) + 1
            if option in INDEXES and value:
                yield Declared(line, col, value, None, INDEXES[option])
            elif option in EDITABLE and value:
                found = classify(value.strip("'\""), line, col)
                if found is not None:
                    yield found
            index += 1
            continue
        if requirements_file:
            # the requirement is everything up to its per-requirement options
            end = next((i for i in range(index, len(words)) if words[i][0].startswith("-")), None)
            chosen = words[index:end]
            joined = " ".join(w for w, _, _ in chosen)
            found = classify(joined, line, col)
            index = end if end is not None else len(words)
        else:
            found = classify(word.strip("'\""), line, col + (word[:1] in "'\""))
            index += 1
        if found is not None:
            yield found


def _scripts(text: str) -> Iterator[Declared]:
    """`pip install` commands in shell, Dockerfile, Makefile and CI text."""
    for _, parts in _logical_lines(text):
        words = list(_words(parts))
        for start, (word, _, _) in enumerate(words):
            if not re.fullmatch(r"pip[0-9.]*", word) or start + 1 >= len(words):
                continue
            if words[start + 1][0] != "install":
                continue
            arguments = []
            for item in words[start + 2 :]:
                if item[0] in ("&&", "||", ";", "|", ")") or item[0].startswith("#"):
                    break
                ended = item[0].endswith((";", ")"))
                arguments.append((item[0].rstrip(";)"), item[1], item[2]) if ended else item)
                if ended:
                    break
            yield from _pip_arguments(arguments)


def parse_toml(text: str) -> Optional[Dict[str, Any]]:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return None  # not valid TOML: other tools say so; nothing here can be located


def _table(document: Dict[str, Any], dotted: str) -> Any:
    value: Any = document
    for part in dotted.split("."):
        value = value.get(part, {}) if isinstance(value, dict) else {}
    return value


def _strings(value: Any) -> Iterator[str]:
    """The strings of a dependency list, or of a table of them (extras, groups); tables inside
    a list (`{include-group = "lint"}`) name no package."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            if not isinstance(item, dict):
                yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _headers(text: str) -> Iterator[Tuple[int, str, str]]:
    """(line number, enclosing table, line) for each line of a TOML text."""
    table = ""
    for number, line in enumerate(text.split("\n"), 1):
        header = TOML_HEADER.match(line)
        if header:
            table = ".".join(p.strip().strip("\"'") for p in header.group(1).split("."))
            continue
        yield number, table, line


# where PEP 508 strings live in pyproject.toml: table -> the keys holding them (None: every key)
PYPROJECT_LISTS: Dict[str, Optional[FrozenSet[str]]] = {
    "project": frozenset({"dependencies", "optional-dependencies"}),
    "project.optional-dependencies": None,
    "dependency-groups": None,
    "build-system": frozenset({"requires"}),
    "tool.pdm.dev-dependencies": None,
    "tool.uv": frozenset({"dev-dependencies", "constraint-dependencies", "override-dependencies"}),
}
PYPROJECT_INDEXES = frozenset({"tool.poetry.source", "tool.pdm.source", "tool.uv.index"})


def _pyproject(text: str) -> Iterator[Declared]:
    document = parse_toml(text)
    if document is None:
        return
    project = document.get("project")
    own = str(project.get("name", "")) if isinstance(project, dict) else ""
    key = ""
    for number, table, line in _headers(text):
        named = TOML_KEY.match(line)
        if named is not None:
            key = named.group(1) or named.group(2) or named.group(3)
        if table in PYPROJECT_LISTS:
            keys = PYPROJECT_LISTS[table]
            if keys is not None and key not in keys:
                continue
            values = set(_strings(_table(document, table if keys is None else f"{table}.{key}")))
            for value, col in _quoted(line):
                found = classify(value, number, col) if value in values else None
                if found is not None and not _is_own(found, own):
                    yield found
        elif POETRY_DEPENDENCIES.match(table) or table == "tool.uv.sources":
            yield from _keyed(document, table, number, line, skip={"python"})
        elif table in PYPROJECT_INDEXES:
            yield from _index(number, line)


def _is_own(found: Declared, own: str) -> bool:
    """`myproject[extra]` in myproject's own optional dependencies."""
    from hooks._pypi import normalize

    return bool(own) and found.name is not None and normalize(found.name) == normalize(own)


def _quoted(line: str) -> Iterator[Tuple[str, int]]:
    """(value, col of the value) of each TOML string on a line, up to a comment."""
    end = 0
    for match in TOML_STRING.finditer(line):
        if "#" in line[end : match.start()]:
            return
        end = match.end()
        value = match.group(1) if match.group(1) is not None else match.group(2)
        yield value, match.start() + 2


def _keyed(
    document: Dict[str, Any], table: str, number: int, line: str, skip: Set[str]
) -> Iterator[Declared]:
    """A `name = spec` line of Poetry, Pipfile or uv sources: the name, and a risky source."""
    key = TOML_KEY.match(line)
    if key is None:
        return
    name = key.group(1) or key.group(2) or key.group(3)
    if name.lower() in skip:
        return
    col = key.start(key.lastindex or 1) + 1
    spec = _table(document, table).get(name)
    source = ""
    if isinstance(spec, dict):
        kind = next((k for k in SOURCE_KEYS if k in spec), None)
        if kind in ("path", "file") and not URL.match(str(spec[kind])):
            return  # a local path: nothing resolves by name
        if kind in ("url", "file"):
            source = "a direct URL"
        elif kind is not None:
            source = "a VCS URL"
        elif "index" in spec and table == "tool.uv.sources":
            source = "a named index"
    if table == "tool.uv.sources":
        if source:
            yield Declared(number, col, name, None, source)
        return
    yield Declared(number, col, name, name, source)


def _index(number: int, line: str) -> Iterator[Declared]:
    key = TOML_KEY.match(line)
    if key is None or (key.group(3) or "") != "url":
        return
    for value, col in _quoted(line):
        yield Declared(number, col, value, None, "an extra package index")


def _pipfile(text: str) -> Iterator[Declared]:
    document = parse_toml(text)
    if document is None:
        return
    sources = 0
    for number, table, line in _headers(text):
        if table == "source":
            key = TOML_KEY.match(line)
            if key is not None and key.group(3) == "url":
                sources += 1
                if sources > 1:  # the first source is the primary index; more can confuse
                    yield from _index(number, line)
        elif table and table not in PIPFILE_NOT_PACKAGES and "." not in table:
            yield from _keyed(document, table, number, line, skip=set())


SETUP_CFG_KEYS = frozenset({"install_requires", "setup_requires", "tests_require"})


def _setup_cfg(text: str) -> Iterator[Declared]:
    """`[options] install_requires` and friends, and every `[options.extras_require]` key."""
    section, listing = "", False
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        header = re.match(r"^\[([^\]]+)\]", line)
        if header:
            section, listing = header.group(1).strip(), False
            continue
        if not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        value, col = line, 1
        if not line[:1].isspace():
            key, sep, rest = line.partition("=")
            key = key.strip()
            listing = bool(sep) and (
                (section == "options" and key in SETUP_CFG_KEYS)
                or section == "options.extras_require"
            )
            value, col = rest, line.index("=") + 2 if sep else 1
        if not listing:
            continue
        item = value.split(" #", 1)[0]
        start = len(item) - len(item.lstrip())
        if item.strip():
            found = classify(item.strip(), number, col + start)
            if found is not None:
                yield found
