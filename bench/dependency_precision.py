"""How often the dependency guard is wrong about real dependencies.

Every installed distribution of a site-packages folder declares what it needs (`Requires-Dist`
in its METADATA); each of those lists is turned into a requirements file and run through the
real engine, and so is every requirements*.txt, pyproject.toml, setup.cfg and Pipfile found in
the folder. A folder of wheels (a local package index) works too: each wheel's METADATA is
read from the archive, nothing is installed. The packages were installed from PyPI, so a DW601
is either a false positive or a dependency that really is not on PyPI (check it with
`pip index versions NAME`); DW602 and DW603 findings are listed for a person to judge.

    python bench/dependency_precision.py [SITE_PACKAGES_OR_WHEEL_FOLDER ...]
    (default: this interpreter's site-packages)
"""

from __future__ import annotations

import collections
import os
import sys
import sysconfig
import zipfile
from email.parser import HeaderParser
from typing import Counter, Iterator, List, Sequence, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from hooks import dependency_guard  # noqa: E402  (the hooks of this checkout)
from hooks._dependencies import kind_of  # noqa: E402
from hooks.engine.config import Config  # noqa: E402
from hooks.engine.registry import rules_of  # noqa: E402
from hooks.engine.rule import Finding  # noqa: E402
from hooks.engine.runner import Runner  # noqa: E402
from hooks.engine.scope import Scope  # noqa: E402
from hooks.engine.source import Source  # noqa: E402


def _as_requirements(where: str, metadata: str) -> Iterator[Source]:
    lines = HeaderParser().parsestr(metadata).get_all("Requires-Dist") or []
    if lines:
        text = "".join(f"{line}\n" for line in lines)
        yield Source(f"{where}/requirements.txt", text.encode("utf-8"))


def requires_dist(site: str) -> Iterator[Source]:
    """One requirements file per distribution, from its METADATA (installed, or in a wheel)."""
    for folder, _, names in os.walk(site):
        for entry in sorted(names):
            path = os.path.join(folder, entry)
            if entry == "METADATA" and folder.endswith(".dist-info"):
                with open(path, encoding="utf-8", errors="replace") as handle:
                    yield from _as_requirements(os.path.relpath(folder, site), handle.read())
            elif entry.endswith(".whl"):
                with zipfile.ZipFile(path) as wheel:
                    inside = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
                    if inside:
                        text = wheel.read(inside[0]).decode("utf-8", "replace")
                        yield from _as_requirements(entry, text)


def shipped_files(site: str) -> Iterator[Source]:
    """Dependency files that packages ship inside site-packages."""
    for folder, _, names in os.walk(site):
        for name in names:
            path = os.path.join(folder, name)
            if name.endswith((".txt", ".in", ".toml", ".cfg")) or name == "Pipfile":
                with open(path, "rb") as handle:
                    data = handle.read()
                if kind_of(path, data) is not None and b"\0" not in data[:8192]:
                    yield Source(os.path.relpath(path, site), data)


def run(sources: Sequence[Source]) -> List[Finding]:
    rules = [(rule, dict(rule.options)) for rule in rules_of(dependency_guard)]
    return Runner(rules=rules, config=Config(), scope_factory=Scope).run(sources)


def declared_count(sources: Sequence[Source]) -> Tuple[int, int]:
    from hooks._dependencies import declared

    named = [
        item
        for source in sources
        for item in declared(source.path, source.data.decode("utf-8", "replace"))
    ]
    return len(named), len({item.name.lower() for item in named if item.name})


def main(argv: Sequence[str]) -> int:
    folders = list(argv) or [sysconfig.get_paths()["purelib"]]
    metadata = [source for site in folders for source in requires_dist(site)]
    shipped = [source for site in folders for source in shipped_files(site)]
    for label, sources in (("Requires-Dist", metadata), ("shipped files", shipped)):
        found = run(sources)
        total, distinct = declared_count(sources)
        codes: Counter[str] = collections.Counter(f.code for f in found)
        print(
            f"{label}: {len(sources)} files, {total} declarations ({distinct} distinct names); "
            f"findings: {dict(sorted(codes.items())) or 'none'}"
        )
        for finding in found:
            print(
                f"  {finding.path}:{finding.line}:{finding.col}: {finding.code} {finding.message}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
