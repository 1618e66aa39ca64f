"""`--fix --unsafe-fixes` over a copy of this interpreter's standard library: issue 4's guarantees
checked at scale, and how long fixing takes.

    .venv/bin/python bench/fix_corpus.py [--sample N] [--keep DIR]

The standard library (site-packages out, test folders in: they hold the odd encodings and
layouts) is copied into a temporary folder, and one `diffwarden --scope file --no-cache --fix
--unsafe-fixes --format json` process (timed) fixes it and reports what is left. Then: every file
Python parsed must still parse; every rewritten file must have had a fixable finding (its
original bytes are checked again, in a folder of their own), so a file without one kept every
byte; and no rewritten file may keep a fixable finding. Only the fix run reads the whole library:
the checks around it read the rewritten files alone. Prints the counts and the fix run's wall
time; exits 1 when a guarantee is broken. `--sample N` takes N files (half of them mentioning
something a rule fixes, chosen evenly in name order); tests/test_fix_corpus.py runs a sample of
60 the same way.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# words of the calls the rules fix: a sample needs files that have something to fix
FIX_WORDS = (
    b"shell=True", b"random.", b"urlopen(", b"extractall(", b"extract(", b"etree",
    b"minidom", b"xml.sax", b"yaml.load", b"verify=False", b"Environment(", b"torch.load",
    b"create_connection(", b"HTTPConnection(", b"smtplib", b"ftplib",
)  # fmt: skip
NO_CONFIG = "[project]\nname = 'corpus'\n"


Finding = Dict[str, object]


@dataclass
class Result:
    files: int = 0
    with_findings: int = 0
    fixable: int = 0
    changed: int = 0
    fixes: int = 0
    seconds: float = 0.0
    not_fixed: List[str] = field(default_factory=list)  # what the fixer said it could not do
    broken: List[str] = field(default_factory=list)  # broken guarantees: must stay empty


def stdlib_files(max_size: Optional[int] = None) -> List[str]:
    """Python files of the standard library, relative to it, in name order."""
    top = sysconfig.get_paths()["stdlib"]
    found = []
    for folder, subfolders, names in os.walk(top):
        subfolders[:] = sorted(d for d in subfolders if d not in ("site-packages", "__pycache__"))
        for name in sorted(names):
            path = os.path.join(folder, name)
            if name.endswith(".py") and (max_size is None or os.path.getsize(path) <= max_size):
                found.append(os.path.relpath(path, top))
    return found


def sample(files: Sequence[str], size: int) -> List[str]:
    """`size` files, half of them mentioning a fixed call, each half spread evenly by name."""
    top = sysconfig.get_paths()["stdlib"]
    with_words, without = [], []
    for name in files:
        with open(os.path.join(top, name), "rb") as handle:
            data = handle.read()
        (with_words if any(w in data for w in FIX_WORDS) else without).append(name)
    chosen = _spread(with_words, size // 2)
    return sorted(chosen + _spread(without, size - len(chosen)))


def _spread(items: Sequence[str], count: int) -> List[str]:
    if count >= len(items):
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def copy(files: Sequence[str], folder: str) -> None:
    top = sysconfig.get_paths()["stdlib"]
    for name in files:
        target = os.path.join(folder, "lib", name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(os.path.join(top, name), target)
    with open(os.path.join(folder, "pyproject.toml"), "w", encoding="utf-8") as handle:
        handle.write(NO_CONFIG)


def _diffwarden(
    folder: str, paths: Sequence[str], *args: str
) -> Tuple[Dict[str, List[Finding]], str]:
    """Run diffwarden in `folder` over `paths`: each file's findings of its JSON report (paths
    as given), and what it said on stderr; raises when it fails."""
    environment = {**os.environ, "PYTHONPATH": ROOT}
    run = subprocess.run(
        [sys.executable, "-m", "hooks", "--scope", "file", "--no-cache", "--format", "json",
         *args, *paths],
        cwd=folder, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        check=False,
    )  # fmt: skip
    if run.returncode not in (0, 1):
        raise RuntimeError(f"diffwarden failed: {run.stderr.strip()}")
    found: Dict[str, List[Finding]] = {}
    for finding in json.loads(run.stdout)["findings"]:
        found.setdefault(os.path.normpath(str(finding["path"])), []).append(finding)
    return found, run.stderr


def _fixable(found: Sequence[Finding]) -> Set[str]:
    return {str(f["code"]) for f in found if f["fix"] != "none"}


def _parses(data: bytes) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ast.parse(data)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return False
    return True


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def run_corpus(files: Sequence[str], folder: str) -> Result:
    """Copy, fix, and hold the result to the guarantees."""
    copy(files, folder)
    paths = [os.path.join("lib", name) for name in files]
    before = {path: _read(os.path.join(folder, path)) for path in paths}
    start = time.perf_counter()
    left, said = _diffwarden(folder, ["lib"], "--fix", "--unsafe-fixes")
    result = Result(files=len(paths), seconds=time.perf_counter() - start)
    for line in said.splitlines():
        if line.startswith("diffwarden: fixed "):
            result.fixes += int(line.split()[2])
        elif line.startswith("diffwarden: "):
            result.not_fixed.append(line[len("diffwarden: ") :])
    changed = [p for p in paths if _read(os.path.join(folder, p)) != before[p]]
    result.changed = len(changed)
    result.with_findings = len(set(left) | set(changed))
    result.fixable = len({p for p in left if _fixable(left[p])} | set(changed))
    for path in paths:
        if _parses(before[path]) and not _parses(_read(os.path.join(folder, path))):
            result.broken.append(f"{path}: parsed before the fix, not after")
    for path in changed:
        if _fixable(left.get(path, [])):
            codes = ", ".join(sorted(_fixable(left[path])))
            result.broken.append(f"{path}: still fixable after the fix ({codes})")
        original = os.path.join(folder, "orig", path)
        os.makedirs(os.path.dirname(original), exist_ok=True)
        with open(original, "wb") as handle:
            handle.write(before[path])
    originals = [os.path.join("orig", path) for path in changed]
    had = _diffwarden(folder, originals)[0] if originals else {}
    for path in changed:
        if not _fixable(had.get(os.path.join("orig", path), [])):
            result.broken.append(f"{path}: rewritten without a fixable finding")
    return result


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, help="fix N files instead of all of them")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR (kept) instead of a temp dir")
    args = parser.parse_args(argv)
    files = stdlib_files()
    if args.sample:
        files = sample(files, args.sample)
    folder = args.keep or tempfile.mkdtemp(prefix="diffwarden-fix-corpus-")
    try:
        result = run_corpus(files, folder)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"Python {sys.version.split()[0]} standard library: {result.files} files")
    print(f"  with findings: {result.with_findings}, with a fixable finding: {result.fixable}")
    print(f"  rewritten: {result.changed} files, {result.fixes} fixes, in {result.seconds:.1f} s")
    print(f"  not fixed, as the fixer said ({len(result.not_fixed)}):")
    for line in result.not_fixed:
        print(f"    {line}")
    print(f"  broken guarantees: {len(result.broken)}")
    for line in result.broken:
        print(f"    {line}")
    return 1 if result.broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
