"""dependency-guard: invented packages, look-alikes, risky sources and undeclared imports.

**What it finds.** In every dependency a change adds, wherever a Python project declares them:
`requirements*.txt` and pip-tools `*.in` files (options, markers, extras, hashes, `-e`),
`pyproject.toml` (`[project]` dependencies and extras, `[dependency-groups]`, `[build-system]
requires`, Poetry's, PDM's and uv's tables), `setup.cfg`, `Pipfile`, and `pip install` commands in
Dockerfiles, shell scripts, Makefiles and CI workflows (`*.yml`).
DW601: a package that is not on PyPI, judged offline against the snapshot of PyPI's project names
that diffwarden ships (its date is in the message). DW602: a package on PyPI whose name is one
typo (two letters swapped, a key replaced by its keyboard neighbour, a stray key added or
missing) away from one of the 2,000 most downloaded projects, or reads the same after folding
`-`/`_`/`.`, doubled letters, `rn`/`m`, `1`/`l`, `0`/`o` and a `python-` prefix, while it is not
among the 15,000 most downloaded itself.
DW603: a package source that bypasses PyPI's names: a VCS or direct URL, and `--index-url`,
`--extra-index-url`, `--find-links` or an added index table (Poetry, PDM, uv, a second Pipfile
source).

DW604: an import the change adds of a module outside the standard library that no dependency
the project declares provides (see below), and that is not the project's own.

**Why it matters in assistant-written code.** Assistants invent package names: studies of
generated code find that 5% to 20% of the packages it suggests do not exist, and that the same
invented names come back again and again, so attackers register them ("slopsquatting"). They
also misspell popular names and copy look-alikes from poisoned examples, and a typosquat runs its
code at install time. An extra index lets any name resolve from a second place, which is how
dependency confusion reaches private package names (and how `torchtriton` was hijacked in 2022).

**Bad**

```text
# requirements.txt
requests==2.32.3
reqeusts-toolbelt-pro>=1.0        # DW601: on no index
python-kubernetes                 # DW602: looks like kubernetes
--extra-index-url https://pkgs.example.com/simple   # DW603
```

**Good**

```text
requests==2.32.3
requests-toolbelt>=1.0
kubernetes
```

**Not flagged.** Lines the change does not add; the project itself (`-e .`, `.[dev]`, and
`myproject[extra]` in myproject's own `pyproject.toml`); local paths and archives (`./libs/core`,
`dist/*.whl`, `{ path = "../lib" }`, `name @ file:///...`): nothing there resolves by name, so
nothing can be confused; `-r`/`-c` includes (the included file is checked when it changes); VCS and
direct URLs pinned to a full commit hash or a `#sha256=` file hash (what they install cannot
change); arguments built from variables (`pip install $PACKAGE`); the primary `[[source]]` of a
Pipfile; names that are popular themselves (`panda` beside `pandas`); names under five letters for
the typo test; a digit added at the end (`httpx2`, `cbor2`: how forks are named); letters far apart
on the keyboard (`cymysql` is not a typo of `pymysql`); markdown (install instructions in docs name
the project's own, often unpublished, package). Names listed in a rule's `allow` option (globs, for
private packages) and index URLs whose host is in `allow-hosts` are accepted.
For DW604: the standard library (`sys.stdlib_module_names`, a shipped list on 3.9, and the
modules removed in 3.12 and 3.13); relative imports; imports under `try` whose handler catches
`ImportError` (or `Exception`, or all), and their fallbacks; a module imported that way anywhere
in the file; the body of `if TYPE_CHECKING:`; modules the file imported before the change; a
project that declares nothing readable (no declaration at all, `install_requires` in
`setup.py`, dynamic dependencies, a conda `environment.yml` on the way): without a list of
what is declared, nothing can be missing from it.

**DW604 and the project context.** DW604 judges a Python file against the project it belongs
to, read from the working tree as text (never run, never the network), once per run and only
when a file imports something outside the standard library. The project's root is the nearest
folder, from the file up, holding `pyproject.toml`, `setup.py`, `setup.cfg` or `.git`. Declared
are the dependencies in every folder on that way and in the root's direct subfolders
(`tests/requirements/*.txt`, `docs/requirements.txt`): `[project]` dependencies and extras,
`[dependency-groups]`, `[build-system] requires`, Poetry's, PDM's and uv's tables, setuptools'
`dynamic` dependency files, `requirements*.txt`/`*.in` and `requirements/`, `setup.cfg` and
`Pipfile`. A distribution provides its name with `-` read as `_` (`typing-extensions` ->
`typing_extensions`) or left out, without a `python-`/`py-` prefix or a `-python`/`-py` suffix
(`python-dateutil` -> `dateutil`), and the first parts of a namespace (`google-cloud-storage`
-> `google`, `ruamel.yaml` -> `ruamel`); a table in `hooks/_project.py` names the rest of the
well-known mismatches (`PyYAML` -> `yaml`, `beautifulsoup4` -> `bs4`, `Pillow` -> `PIL`,
`scikit-learn` -> `sklearn`, `opencv-python` -> `cv2`, `pyjwt` -> `jwt`, ...). The project's
own names are the modules and folders of every folder on the way, of the root and of `src/`,
and its `[project] name`. The message says which files were read and, when the module's name
is not a PyPI project either, that it may be invented (the snapshot is loaded for that only
when DW604 reports). The examples belong to the sample project in `hooks/samples/project/`,
which declares `requests`, `PyYAML`, `beautifulsoup4`, `Pillow`, `python-dateutil`,
`google-cloud-storage` and, as extras, `scikit-learn` and `opencv-python-headless`. The
`known-imports` option takes `module=distribution` entries for other mismatches
(`"fitz=PyMuPDF"`: accepted when `PyMuPDF` is declared) and bare module globs that are always
accepted (`"bpy"`, `"mycorp_*"`: modules the host application provides).

**Fix.** None automatic. Check a DW601 name by hand (`pip index versions NAME`); if it is a
private package, serve it from your own index only and list it in `allow`. Replace a DW602 name
with the popular project it imitates unless you meant the other one. For DW604, check that the
package exists and is the one you want, then declare it; map an import name that differs from
its distribution's with `known-imports`. Pin DW603 sources to a
commit or a hash, and prefer `--index-url` with a proxy that mirrors PyPI over
`--extra-index-url`.

**References.** CWE-829 (inclusion of functionality from an untrusted control sphere), CWE-1357
(reliance on insufficiently trustworthy component), CWE-494 (download of code without integrity
check); Spracklen et al., "We Have a Package for You! A Comprehensive Analysis of Package
Hallucinations by Code Generating LLMs" (USENIX Security 2025); PEP 503 (name normalisation),
PEP 508 (requirement strings), PEP 735 (dependency groups); Alex Birsan, "Dependency Confusion"
(2021). No bandit or ruff counterpart.
"""

from __future__ import annotations

import fnmatch
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Set, Tuple
from urllib.parse import urlsplit

from hooks.engine.prefilter import Prefilter
from hooks.engine.rule import Bad, Confidence, Finding, Ok, OptionValue, Severity, TextRule
from hooks.engine.source import is_python
from hooks.engine.lazyre import lazy_re

if TYPE_CHECKING:
    from hooks._dependencies import Declared
    from hooks._imports import Imported
    from hooks._project import Project, Projects
    from hooks._pypi import Snapshot

# every file name the guard may read; a folder of requirements (`requirements/dev.txt`) needs
# the plain `*.txt` and `*.in`
PREFILTER_NAMES = (
    "*requirements*.txt", "*requirements*.in", "*constraints*.txt", "*.txt", "*.in",
    "pyproject.toml", "Pipfile", "setup.cfg",
)  # fmt: skip
PREFILTER_BYTES = rb"\bpip[0-9.]*\s+install\b"
# the URL in `git+https://...`, `name @ https://...` or an index option
URL_IN_TEXT = lazy_re(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s;#]+")
# a URL pinned to one commit or one file's hash: what it installs cannot change
PINNED = lazy_re(r"@[0-9a-f]{40}\b|#sha(256|384|512)=[0-9a-f]{64,}")
# the files pre-commit passes to this hook alone (`.pre-commit-hooks.yaml`)
PRECOMMIT_FILES = (
    r"(^|/)([^/]*(requirements|constraints)[^/]*\.(txt|in)|requirements/[^/]*\.(txt|in)|"
    r"pyproject\.toml|setup\.cfg|Pipfile|(Dockerfile|Containerfile)[^/]*|[^/]*\.dockerfile|"
    r"[^/]*\.(sh|bash|zsh|mk|ya?ml|py|pyi)|Makefile|justfile)$"
)


def _allowed(name: str, options: Dict[str, OptionValue]) -> bool:
    from hooks._pypi import normalize

    patterns = options.get("allow", ())
    assert isinstance(patterns, tuple)
    return any(fnmatch.fnmatchcase(normalize(name), normalize(p)) for p in patterns)


class _DependencyRule(TextRule):
    """Reads the declarations of a dependency file; each rule judges them its own way."""

    prefilter_names = PREFILTER_NAMES
    prefilter = Prefilter(patterns=[PREFILTER_BYTES])
    confidence = Confidence.MEDIUM

    def wants(self, path: str, data: bytes) -> bool:
        from hooks._dependencies import kind_of

        return kind_of(path, data) is not None

    def scan(
        self, path: str, data: bytes, text: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        if text is None:
            return []
        from hooks._dependencies import declared

        found: List[Finding] = []
        for item in declared(path, text):
            if lines is None or item.line in lines:
                found.extend(self.judge(path, item))
        return found

    def judge(self, path: str, item: Declared) -> Iterator[Finding]:
        raise NotImplementedError


def _snapshot() -> Snapshot:
    from hooks._pypi import snapshot

    return snapshot()


class UnknownPackage(_DependencyRule):
    code = "DW601"
    name = "unknown-package"
    summary = (
        "A dependency names a package that is not on PyPI (offline snapshot): invented names "
        "are registered by attackers."
    )
    severity = Severity.HIGH
    cwe = (829, 1357)
    message = (
        "`{name}` is not on PyPI: absent from the snapshot of {date} ({count} projects){guess}; "
        "check it by hand with `pip index versions {name}`"
    )
    hint = "fix the name; if it is a private package, list it in this rule's `allow` option"
    options = {"allow": ()}
    examples = (
        Bad("requests==2.32.3\nfastjson-parser-utils>=1.2\n", ((2, 1),), path="requirements.txt"),
        Bad(
            "flask\nreqeusts\n",
            ((2, 1),),
            path="requirements-dev.txt",
            why="a misspelling nobody registered yet: reported once, with a guess",
        ),
        Bad(
            '[project]\nname = "app"\n'
            'dependencies = [\n  "httpx",\n  "openai-toolkit-helpers",\n]\n',
            ((5, 4),),
            path="pyproject.toml",
        ),
        Bad(
            "FROM python:3.12-slim\nRUN pip install --no-cache-dir langchain-memory-plus uvicorn\n",
            ((2, 32),),
            path="Dockerfile",
        ),
        Bad(
            "[options]\ninstall_requires =\n    numpy\n    torchvision-utils-extra\n",
            ((4, 5),),
            path="setup.cfg",
        ),
        Bad('[packages]\nrequests = "*"\npdf-table-extractorx = "*"\n', ((3, 1),), path="Pipfile"),
        Ok("requests>=2\nnumpy==1.26.4 --hash=sha256:0123abcd\n", path="requirements.txt"),
        Ok(
            "Django>=4.2\nPyYAML\nbeautifulsoup4[lxml]; python_version >= '3.9'\n",
            path="requirements.txt",
            why="names are normalised; markers and extras are read",
        ),
        Ok("-e .\n-r base.txt\n./libs/core\n", path="requirements.txt", why="local and includes"),
        Ok(
            '[project]\nname = "app"\n[project.optional-dependencies]\nall = ["app[cli]"]\n',
            path="pyproject.toml",
            why="the project's own extras",
        ),
        Ok("fastjson-parser-utils>=1.2\n", path="notes.txt", why="not a dependency file"),
        Ok(
            "steps:\n  - run: pip install $EXTRA_PACKAGES\n",
            path=".github/workflows/ci.yml",
            why="a variable",
        ),
        Ok(
            "mycorp-ml-core @ git+https://git.example.com/ml/core.git@v1.2\n",
            path="requirements.txt",
            why="fetched from its URL, not PyPI (DW603 reports the URL)",
        ),
    )

    def judge(self, path: str, item: Declared) -> Iterator[Finding]:
        if item.name is None or item.source or _allowed(item.name, self.opts):
            return
        snapshot = _snapshot()
        if snapshot.exists(item.name):
            return
        like = snapshot.lookalike(item.name)
        yield self.found(
            path, item.line, item.col, item.end_col, name=item.name, date=snapshot.date,
            count=f"{snapshot.count:,}", guess=f" (did you mean `{like}`?)" if like else "",
        )  # fmt: skip


class LookalikePackage(_DependencyRule):
    code = "DW602"
    name = "lookalike-package"
    summary = (
        "A dependency's name is one typo away from, or reads the same as, a popular package "
        "while being a different, little-used one."
    )
    severity = Severity.HIGH
    cwe = (829, 1357)
    message = (
        "`{name}` looks like `{popular}` (among the {top} most downloaded on PyPI) but is "
        "another, little-used package"
    )
    hint = "use the popular package if that is what you meant; list real ones in `allow`"
    options = {"allow": ()}
    examples = (
        Bad("requezts==2.31.0\n", ((1, 1),), path="requirements.txt", why="`z` beside `s`"),
        Bad("python-kubernetes\n", ((1, 1),), path="requirements.txt", why="a `python-` prefix"),
        Bad(
            '[project]\nname = "svc"\ndependencies = ["django-restframework>=3"]\n',
            ((3, 18),),
            path="pyproject.toml",
        ),
        Bad("RUN pip install scikit-learm\n", ((1, 17),), path="Dockerfile"),
        Bad("[packages]\nflask-cqlalchemy = '*'\n", ((2, 1),), path="Pipfile"),
        Ok("colorama==0.4.6\nrequests\ndjangorestframework\n", path="requirements.txt"),
        Ok("httpx2\ncbor2\n", path="requirements.txt", why="a digit at the end names a fork"),
        Ok("cymysql\n", path="requirements.txt", why="`c` is not a typo of `p`: far apart"),
        Ok("panda\n", path="requirements.txt", why="popular itself"),
        Ok("types-requests\npytest-xdist\n", path="requirements.txt", why="real companions"),
        Ok("six\nmock\n", path="requirements.txt", why="short names are left to DW601"),
        Ok("requests-toolbelt\n", path="requirements.in", why="more than one edit away"),
    )

    def judge(self, path: str, item: Declared) -> Iterator[Finding]:
        if item.name is None or item.source or _allowed(item.name, self.opts):
            return
        snapshot = _snapshot()
        if not snapshot.exists(item.name):
            return  # DW601 says it, with the same guess
        like = snapshot.lookalike(item.name)
        if like is not None:
            from hooks._pypi import TARGETS

            yield self.found(
                path, item.line, item.col, item.end_col, name=item.name, popular=like,
                top=f"{TARGETS:,}",
            )  # fmt: skip


class RiskySource(_DependencyRule):
    code = "DW603"
    name = "risky-package-source"
    summary = (
        "A dependency comes from a VCS or direct URL, or an index is added beside or instead "
        "of PyPI (dependency confusion)."
    )
    severity = Severity.MEDIUM
    cwe = (494, 829)
    message = "`{text}` is {source}"
    hint = "pin URLs to a commit or hash; serve private packages from one index that mirrors PyPI"
    options = {"allow-hosts": ()}
    examples = (
        Bad(
            "--extra-index-url https://pkgs.example.com/simple\nmycorp-auth\n",
            ((1, 19),),
            severity=Severity.HIGH,
            path="requirements.txt",
        ),
        Bad(
            "-e git+https://github.com/someone/tool.git#egg=tool\n",
            ((1, 4),),
            path="requirements/dev.in",
        ),
        Bad(
            "torch @ https://download.example.com/torch-2.3.0-cp311-linux_x86_64.whl\n",
            ((1, 1),),
            path="requirements.txt",
        ),
        Bad(
            "run: pip install -i https://mirror.example.net/simple httpx\n",
            ((1, 21),),
            path=".github/workflows/test.yml",
        ),
        Bad(
            '[tool.poetry.dependencies]\npython = "^3.10"\n'
            'tool = { git = "https://github.com/someone/tool.git" }\n',
            ((3, 1),),
            path="pyproject.toml",
        ),
        Bad(
            '[[tool.uv.index]]\nname = "corp"\nurl = "https://pkgs.example.com/simple"\n',
            ((3, 8),),
            severity=Severity.HIGH,
            path="pyproject.toml",
        ),
        Ok("requests==2.32.3\n-r base.txt\n-e .\n", path="requirements.txt"),
        Ok("./vendor/lib\ndist/app-1.0-py3-none-any.whl\n", path="requirements.txt"),
        Ok(
            '[tool.poetry.dependencies]\nlocal = { path = "../local" }\n',
            path="pyproject.toml",
            why="a local path",
        ),
        Ok(
            '[[source]]\nurl = "https://mirror.example.org/simple"\nname = "pypi"\n',
            path="Pipfile",
            why="the primary source",
        ),
        Ok("# --extra-index-url https://x.example.com/simple\n", path="requirements.txt"),
        Ok("pip install -e '.[dev]'\n", path="scripts/setup.sh"),
        Ok(
            "trustme @ git+https://github.com/python-trio/trustme@"
            "b3a767f336e20600f30c9ff78385a58352ff6ee3\n",
            path="dev-requirements.txt",
            why="pinned to a commit: what it installs cannot change",
        ),
    )

    def judge(self, path: str, item: Declared) -> Iterator[Finding]:
        if not item.source or ("URL" in item.source and PINNED.search(item.text)):
            return
        url = URL_IN_TEXT.search(item.text)
        hosts = self.opts.get("allow-hosts", ())
        assert isinstance(hosts, tuple)
        if url is not None and urlsplit(url.group()).hostname in hosts:
            return
        # an index beside PyPI is the dependency-confusion vector itself
        beside = "index" in item.source and "replaces" not in item.source
        severity = Severity.HIGH if beside else None
        yield self.found(
            path, item.line, item.col, item.end_col, severity, text=item.text, source=item.source
        )


# the standard library's most imported modules: an import of one of them alone does not make a
# file a candidate for DW604. All 300 would cost the clean commit's fast path 3 ms to compile
# the regex below, instead of 1; a file that imports only rarer ones is parsed, then passed.
COMMON_STDLIB = (
    "__future__ abc argparse ast asyncio base64 collections contextlib copy csv dataclasses "
    "datetime decimal enum errno functools glob hashlib http importlib inspect io itertools json "
    "logging math multiprocessing operator os pathlib pickle platform random re shlex shutil "
    "signal socket sqlite3 string struct subprocess sys tempfile textwrap threading time "
    "traceback types typing unittest urllib uuid warnings weakref"
).split()
_NOT_COMMON = rb"(?!(?:" + "|".join(COMMON_STDLIB).encode() + rb")\b)[A-Za-z_]"
# an import statement naming some other module (`import json, requests` included). Each
# starts with its keyword, so the regex engine skips from one occurrence to the next at C
# speed (a leading `^` is tried at every byte: 2 ms on the clean commit of bench c); the
# look-behinds keep out a keyword right after anything but a space, `;` or `:`, or one space
# after it (prose, comments, doctests, the `import` of `from typing import List`), much as a
# line-start anchor did.
IMPORTS_OUTSIDE_COMMON_STDLIB = (
    rb"from(?<![^\s;:]from)(?<![^\s;:][ \t]from)[ \t]+" + _NOT_COMMON,
    rb"import(?<![^\s;:]import)(?<![^\s;:][ \t]import)[ \t]+(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?"
    rb"[ \t]*,[ \t]*)*" + _NOT_COMMON,
)
CANDIDATE_IMPORTS = Prefilter(patterns=IMPORTS_OUTSIDE_COMMON_STDLIB)
# `from x import (` and `import x` name their module on their first line
IMPORT_WORD = lazy_re(rb"\bimport\b")


def _adds_import(data: bytes, lines: Set[int]) -> bool:
    """Does an added line hold an import? Cheap, so that most files are never parsed."""
    text = data.split(b"\n")
    return any(IMPORT_WORD.search(text[n - 1]) for n in lines if 0 < n <= len(text))


# the sample project the examples of DW604 belong to (it declares requests, PyYAML, ...)
SAMPLE = "hooks/samples/project/shop/views.py"


def _listed(files: Tuple[str, ...]) -> str:
    """The declaration files read, three at most: a message is one line."""
    more = f" and {len(files) - 3} more" if len(files) > 3 else ""
    return ", ".join(files[:3]) + more


class UndeclaredImport(TextRule):
    code = "DW604"
    name = "undeclared-import"
    summary = (
        "An added import of a module that no dependency the project declares provides: the "
        "usual sign of an invented or unvetted package."
    )
    severity = Severity.MEDIUM
    confidence = Confidence.MEDIUM
    cwe = (829, 1357)
    message = (
        "`{module}` is imported, but no dependency the project declares provides it "
        "(declared in {files}){pypi}{guess}"
    )
    hint = (
        "declare the package that provides it (check that it exists first), or name it in "
        "this rule's `known-imports` option"
    )
    options = {"known-imports": ()}
    prefilter = CANDIDATE_IMPORTS
    python_only = True
    examples = (
        Bad(
            "import requests\nimport reqeusts_toolbelt2\n",
            ((2, 8),),
            path=SAMPLE,
            why="an invented name beside a declared one",
        ),
        Bad("from fastjson_parser.utils import loads\n", ((1, 6),), path=SAMPLE),
        Bad("import os, yaml, langchain_memory\n", ((1, 18),), path=SAMPLE),
        Bad(
            "def thumbnail(path):\n    import cv3\n    return cv3.imread(path)\n",
            ((2, 12),),
            path=SAMPLE,
            why="a lazy import is still a dependency",
        ),
        Bad(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import mypy_boto3_s3\n"
            "else:\n    import boto3\n",
            ((5, 12),),
            path=SAMPLE,
            why="only the TYPE_CHECKING branch is for the type checker",
        ),
        Bad(
            "try:\n    import ujson as json\nexcept ValueError:\n    json = None\n",
            ((2, 12),),
            path=SAMPLE,
            why="a ValueError handler does not make the import optional",
        ),
        Ok(
            "import requests\nimport yaml\nfrom bs4 import BeautifulSoup\nfrom PIL import Image\n",
            path=SAMPLE,
            why="import names that differ from the distribution's, from the table",
        ),
        Ok(
            "from dateutil import parser\nfrom google.cloud import storage\nimport sklearn\n"
            "import cv2\n",
            path=SAMPLE,
            why="a `python-` prefix, a namespace, and optional dependencies",
        ),
        Ok(
            "from __future__ import annotations\nimport json, os.path, sqlite3\n"
            "import tomllib, distutils.core, curses\n",
            path=SAMPLE,
            why="the standard library, also modules 3.12 and 3.13 removed",
        ),
        Ok(
            "from . import models\nfrom .helpers import slugify\nimport shop.models\n"
            "from helpers import slugify\n",
            path=SAMPLE,
            why="the project's own package, relative imports and a module beside the file",
        ),
        Ok(
            "try:\n    import ujson as json\nexcept ImportError:\n    import json\n",
            path=SAMPLE,
            why="an optional dependency",
        ),
        Ok(
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from mypy_boto3_s3 import S3Client\n",
            path=SAMPLE,
            why="seen by the type checker only",
        ),
        Ok("# import reqeusts\ndoc = 'import reqeusts'\n", path=SAMPLE, why="text"),
        Ok("import reqeusts_toolbelt2\n", path="notes.txt", why="not Python"),
    )

    def __init__(self, options: Dict[str, OptionValue]) -> None:
        super().__init__(options)
        self._projects: Optional[Projects] = None  # made when a file first needs it

    def wants(self, path: str, data: bytes) -> bool:
        return is_python(path, data) and CANDIDATE_IMPORTS.matches(data)

    def state_for(self, path: str) -> str:
        context = self._context(path)
        return "" if context is None else context[0].stamp + "\0" + ",".join(sorted(context[1]))

    def scan(
        self, path: str, data: bytes, text: Optional[str], lines: Optional[Set[int]]
    ) -> List[Finding]:
        if text is None:
            return []
        if lines is not None and not _adds_import(data, lines):
            return []  # the file imports something, but not on a line the change adds
        context = self._context(path)
        if context is None:
            return []  # no project, or one that declares nothing readable: DW604 cannot know
        from hooks._imports import imports_in
        from hooks._stdlib import stdlib_names

        found = imports_in(text)
        # optional anywhere in the file, or imported before the change: not this change's news
        settled = {
            i.module for i in found if i.optional or (lines is not None and i.line not in lines)
        }
        stdlib = stdlib_names()
        candidates: Dict[str, Imported] = {}
        for item in found:
            if item.module not in settled and item.module not in stdlib:
                candidates.setdefault(item.module, item)
        if not candidates:
            return []
        project, own = context
        return [
            self._found(path, item, project, own)
            for item in candidates.values()
            if not self._known(item.module, project, own)
        ]

    def _context(self, path: str) -> Optional[Tuple[Project, Set[str]]]:
        """The file's project and the names importable from the folders on the way to it."""
        if self._projects is None:
            from hooks._project import Projects

            self._projects = Projects(self._mapped())
        folders = self._projects.folders(path)
        project = self._projects.project(folders) if folders else None
        if project is None:
            return None
        own = {n.lower() for folder in folders for n in self._projects.names_in(folder)}
        return project, own | {n.lower() for n in project.own}

    def _mapped(self) -> Dict[str, Tuple[str, ...]]:
        """`known-imports` entries `module=distribution`, as distribution -> modules."""
        mapped: Dict[str, Tuple[str, ...]] = {}
        for module, distribution in (e.partition("=")[::2] for e in self._known_imports()):
            if module.strip() and distribution.strip():
                from hooks._pypi import normalize

                key = normalize(distribution.strip())
                mapped[key] = (*mapped.get(key, ()), module.strip())
        return mapped

    def _known_imports(self) -> Tuple[str, ...]:
        entries = self.opts.get("known-imports", ())
        assert isinstance(entries, tuple)
        return entries

    def _known(self, module: str, project: Project, own: Set[str]) -> bool:
        lower = module.lower()
        if lower in project.provided or lower in own:
            return True
        bare = [e.strip() for e in self._known_imports() if "=" not in e]
        return any(fnmatch.fnmatchcase(module, pattern) for pattern in bare)

    def _found(self, path: str, item: Imported, project: Project, own: Set[str]) -> Finding:
        import difflib

        from hooks._pypi import normalize

        near = difflib.get_close_matches(item.module.lower(), sorted(project.provided), 1, 0.8)
        snapshot = _snapshot()
        absent = not snapshot.exists(normalize(item.module))
        return self.found(
            path, item.line, item.col, item.col + len(item.module), module=item.module,
            files=_listed(project.files), guess=f"; did you mean `{near[0]}`?" if near else "",
            pypi=f"; PyPI has no project of that name either (snapshot of {snapshot.date})"
            if absent else "",
        )  # fmt: skip
