"""The read-only project context of DW604: what the repository of a checked file declares.

A private module of the dependency guard, imported only when a Python file imports a module
outside the standard library. It reads the project's files as text (TOML, requirements, INI)
and lists folders; it never runs `setup.py` and never asks the network. One `Projects` lives
for one run, so each project is read once however many of its files are checked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Dict, FrozenSet, Iterator, List, Optional, Set, Tuple

from hooks._dependencies import declared, kind_of, parse_toml

from hooks.engine.lazyre import lazy_re

# a folder holding one of these is the project's root: the walk up from a file stops there
ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
# declarations this module cannot read (conda's): a project with one gets no context
OPAQUE = ("environment.yml", "environment.yaml")
# install_requires in setup.py is code, never run here: its dependencies cannot be known
SETUP_PY_REQUIRES = lazy_re(r"\b(install_requires|requires)\s*=")
# the distributions whose import names are not their own (PEP 503 normalised -> import
# names); names that are only the distribution's with `-` as `_`, a `python-`/`py-` prefix or
# a `-python`/`-py` suffix dropped, or the first parts of a dotted or dashed namespace
# (`google-cloud-storage` -> `google`) are derived, not listed
KNOWN_IMPORTS: Dict[str, Tuple[str, ...]] = {
    "attrs": ("attr",),
    "beautifulsoup4": ("bs4",),
    "dnspython": ("dns",),
    "django-filter": ("django_filters",),
    "djangorestframework": ("rest_framework",),
    "gitpython": ("git",),
    "google-api-python-client": ("googleapiclient",),
    "grpcio": ("grpc",),
    "matplotlib": ("mpl_toolkits", "pylab"),
    "mysqlclient": ("MySQLdb",),
    "opencv-contrib-python": ("cv2",),
    "opencv-contrib-python-headless": ("cv2",),
    "opencv-python": ("cv2",),
    "opencv-python-headless": ("cv2",),
    "pillow": ("PIL",),
    "protobuf": ("google",),
    "pycryptodome": ("Crypto",),
    "pycryptodomex": ("Cryptodome",),
    "pygithub": ("github",),
    "pyjwt": ("jwt",),
    "pymongo": ("bson", "gridfs"),
    "pymupdf": ("fitz",),
    "pynacl": ("nacl",),
    "pyopenssl": ("OpenSSL",),
    "pyserial": ("serial",),
    "pysocks": ("socks", "sockshandler"),
    "pywin32": ("win32api", "win32con", "win32com", "win32gui", "pywintypes", "pythoncom"),
    "pyyaml": ("yaml", "_yaml"),
    "pyzmq": ("zmq",),
    "scikit-image": ("skimage",),
    "scikit-learn": ("sklearn",),
    "setuptools": ("pkg_resources", "_distutils_hack"),
    "websocket-client": ("websocket",),
}
AFFIXES = ("python", "py")


@dataclass(frozen=True)
class Project:
    """What one project declares, and the names it holds itself at its root."""

    root: str
    files: Tuple[str, ...]  # the declaration files read, relative to the root
    provided: FrozenSet[str]  # lower-cased import names the declared distributions give
    own: FrozenSet[str]  # top-level modules and packages at the root, in src/, and its name

    @property
    def stamp(self) -> str:
        """Everything that decides DW604's findings here (part of the cache key)."""
        return "\n".join([self.root, *self.files, *sorted(self.provided), *sorted(self.own)])


def import_names(distribution: str, known: Dict[str, Tuple[str, ...]] = KNOWN_IMPORTS) -> Set[str]:
    """The lower-cased top-level names a distribution may be imported as."""
    from hooks._pypi import normalize

    name = normalize(distribution)
    parts = name.split("-")
    names = {m.lower() for m in known.get(name, ())} | {"".join(parts), "_".join(parts)}
    while len(parts) > 1 and parts[0] in AFFIXES:
        parts = parts[1:]
    while len(parts) > 1 and parts[-1] in AFFIXES:
        parts = parts[:-1]
    names.update("_".join(parts[:end]) for end in range(1, len(parts) + 1))
    return names


def module_names(folder: str) -> Set[str]:
    """The top-level names importable from `folder`: modules, extensions and folders (a
    folder without `__init__.py` is a namespace package)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return set()
    found = set()
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            found.add(entry.name)
        elif entry.name.endswith((".py", ".pyi", ".so", ".pyd")):
            found.add(entry.name.split(".", 1)[0])
    return found


class Projects:
    """The projects of one run, each read once; folders are listed once too."""

    def __init__(self, known: Dict[str, Tuple[str, ...]]) -> None:
        self.known = {**KNOWN_IMPORTS, **known}
        self._projects: Dict[str, Optional[Project]] = {}
        self._names: Dict[str, Set[str]] = {}
        self._folders: Dict[str, List[str]] = {}

    def folders(self, path: str) -> List[str]:
        """The folders from `path`'s own up to its project's root; empty when no folder on
        the way is one (a loose file belongs to no project). Looked up once per folder."""
        folder = os.path.dirname(os.path.abspath(path))
        if folder not in self._folders:
            self._folders[folder] = self._up_from(folder)
        return self._folders[folder]

    @staticmethod
    def _up_from(folder: str) -> List[str]:
        found = []
        while True:
            found.append(folder)
            if any(os.path.exists(os.path.join(folder, m)) for m in ROOT_MARKERS):
                return found
            parent = os.path.dirname(folder)
            if parent == folder:
                return []
            folder = parent

    def names_in(self, folder: str) -> Set[str]:
        if folder not in self._names:
            self._names[folder] = module_names(folder)
        return self._names[folder]

    def project(self, folders: List[str]) -> Optional[Project]:
        """The project whose root is the last of `folders`, with what every folder on the way
        declares; None when nothing is declared or a declaration cannot be read."""
        key = "\0".join(folders)
        if key not in self._projects:
            self._projects[key] = self._read(folders)
        return self._projects[key]

    def _read(self, folders: List[str]) -> Optional[Project]:
        """The declarations of every folder on the way (one that cannot be read voids the
        context) and those the root's subfolders hold (`tests/requirements/`, `docs/`)."""
        root = folders[-1]
        nearby = [os.path.join(root, name) for name in sorted(self.names_in(root))]
        files: List[str] = []
        provided: Set[str] = set()
        own = self.names_in(root) | module_names(os.path.join(root, "src"))
        for folder in [*folders, *(f for f in nearby if f not in folders and os.path.isdir(f))]:
            on_the_way = folder in folders
            for path in _declaration_files(folder):
                text = _read_text(path)
                if text is None or _opaque(path, text):
                    if on_the_way:
                        return None
                    continue
                names = [d.name for d in declared(path, text) if d.name]
                for extra in _dynamic_files(path, text):
                    more = _read_text(os.path.join(folder, extra))
                    if more is not None:
                        names += [d.name for d in declared("requirements.txt", more) if d.name]
                if on_the_way:
                    own.update(_own_name(path, text))
                if names:
                    files.append(os.path.relpath(path, root).replace(os.sep, "/"))
                for name in names:
                    provided.update(import_names(name, self.known))
        if not provided:
            return None  # nothing declared anywhere: DW604 cannot tell what is missing
        return Project(root, tuple(files), frozenset(provided), frozenset(own))


def _declaration_files(folder: str) -> Iterator[str]:
    """The dependency files in `folder` (and its `requirements/`), and those it cannot read."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return
    for name in names:
        path = os.path.join(folder, name)
        if name in OPAQUE or name == "setup.py":
            yield path
        elif name == "requirements" and os.path.isdir(path):
            for inner in sorted(os.listdir(path)):
                if kind_of(f"requirements/{inner}", b"") == "requirements":
                    yield os.path.join(path, inner)
        elif kind_of(name, b"") is not None and os.path.isfile(path):
            yield path


def _read_text(path: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def _opaque(path: str, text: str) -> bool:
    """A declaration that is code or conda's: what it declares cannot be read here."""
    name = os.path.basename(path)
    if name in OPAQUE:
        return True
    if name == "setup.py":
        return bool(SETUP_PY_REQUIRES.search(text))
    if name == "pyproject.toml":
        document = _toml(text)
        project = document.get("project", {})
        dynamic = project.get("dynamic", []) if isinstance(project, dict) else []
        return "dependencies" in dynamic and not _dynamic_files(path, text)
    return False


def _dynamic_files(path: str, text: str) -> List[str]:
    """setuptools' `dynamic` dependencies read from files (`{file = [...]}`)."""
    if os.path.basename(path) != "pyproject.toml":
        return []
    dynamic = _toml(text).get("tool", {}).get("setuptools", {}).get("dynamic", {})
    spec = dynamic.get("dependencies", {}) if isinstance(dynamic, dict) else {}
    listed = spec.get("file", []) if isinstance(spec, dict) else []
    return [listed] if isinstance(listed, str) else [str(f) for f in listed]


def _own_name(path: str, text: str) -> Set[str]:
    """The project's own distribution name, as an import name (`my-app` -> `my_app`)."""
    from hooks._pypi import normalize

    if os.path.basename(path) != "pyproject.toml":
        return set()
    document = _toml(text)
    project = document.get("project", {})
    poetry = document.get("tool", {}).get("poetry", {})
    names = [part.get("name") for part in (project, poetry) if isinstance(part, dict)]
    return {normalize(n).replace("-", "_") for n in names if isinstance(n, str)}


@lru_cache(maxsize=8)
def _toml(text: str) -> Dict[str, Any]:
    return parse_toml(text) or {}
