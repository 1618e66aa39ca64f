"""Rebuild the PyPI snapshot that the dependency guard ships (hooks/data/).

Run by a maintainer, never by the tests or the hooks, from lists saved beforehand: this script
reads files only, so it runs the same with or without a network.

    python tools/refresh_pypi_snapshot.py --tsv pypi.tsv [--date 2026-11-25]
    python tools/refresh_pypi_snapshot.py --names simple.json --popular top.txt

- `--names`: every project name on PyPI: the index's project list saved as PEP 691 JSON
  (`Accept: application/vnd.pypi.simple.v1+json` on the simple index), or one name a line.
- `--popular`: the most downloaded projects, most downloaded first: one name a line, or the JSON
  of a monthly download ranking (`{"rows": [{"project": ...}, ...]}`).
- `--tsv`: both at once, as columns `name`, ..., `rank_among_15000_most_downloaded`, with a
  header line (the package list this workplace keeps has that shape).

The date defaults to the day the names file was last modified; give `--date` when it was
downloaded on another day. The filter is sized for its name count at one false "present" in a
thousand.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
from typing import Dict, List, Sequence, Set, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from hooks._pypi import (  # noqa: E402  (the hooks of this checkout, not an installed copy)
    DATA,
    NAMES_FILE,
    POPULAR_FILE,
    BloomFilter,
    header,
    normalize,
)

ERROR_RATE = 0.001


def read_tsv(path: str) -> Tuple[Set[str], List[str]]:
    names: Set[str] = set()
    ranks: Dict[str, int] = {}
    with open(path, encoding="utf-8") as handle:
        columns = handle.readline().rstrip("\n").split("\t")
        rank_column = next(i for i, c in enumerate(columns) if c.startswith("rank"))
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            name = normalize(fields[0])
            names.add(name)
            if len(fields) > rank_column and fields[rank_column].isdigit():
                ranks.setdefault(name, int(fields[rank_column]))
    return names, sorted(ranks, key=lambda n: (ranks[n], n))


def read_names(path: str) -> Set[str]:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if text.lstrip().startswith("{"):
        return {normalize(p["name"]) for p in json.loads(text)["projects"]}
    return {normalize(line.strip()) for line in text.splitlines() if line.strip()}


def read_popular(path: str) -> List[str]:
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if text.lstrip().startswith("{"):
        ordered = [row["project"] for row in json.loads(text)["rows"]]
    else:
        ordered = [line.strip() for line in text.splitlines() if line.strip()]
    seen: Dict[str, None] = {}
    for name in ordered:
        seen.setdefault(normalize(name), None)
    return list(seen)


def write(folder: str, date: str, names: Set[str], popular: List[str]) -> Tuple[int, int]:
    """Write both files atomically; their sizes in bytes."""
    bloom = BloomFilter.build(sorted(names), len(names), ERROR_RATE)
    targets = (
        (NAMES_FILE, header(date, len(names), bloom) + bloom.bits),
        (
            POPULAR_FILE,
            (f"# the {len(popular)} most downloaded PyPI projects, as of {date}\n").encode()
            + "".join(f"{name}\n" for name in popular).encode(),
        ),
    )
    sizes = []
    for name, data in targets:
        final = os.path.join(folder, name)
        with open(final + ".tmp", "wb") as handle:
            handle.write(data)
        os.replace(final + ".tmp", final)
        sizes.append(len(data))
    return sizes[0], sizes[1]


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tsv", help="names and download ranks in one file")
    parser.add_argument("--names", help="every project name: PEP 691 JSON or one a line")
    parser.add_argument("--popular", help="most downloaded first: one a line, or JSON rows")
    parser.add_argument("--date", help="the day the lists were taken (YYYY-MM-DD)")
    parser.add_argument("--out", default=DATA, help="where to write (default: hooks/data)")
    args = parser.parse_args(argv)
    if args.tsv:
        names, popular = read_tsv(args.tsv)
        source = args.tsv
    elif args.names and args.popular:
        names, popular = read_names(args.names), read_popular(args.popular)
        source = args.names
    else:
        parser.error("give --tsv, or --names and --popular")
    date = args.date or datetime.date.fromtimestamp(os.stat(source).st_mtime).isoformat()
    names.update(popular)
    bloom_size, popular_size = write(args.out, date, names, popular)
    print(
        f"{len(names)} names ({bloom_size} bytes), {len(popular)} popular "
        f"({popular_size} bytes), as of {date}, in {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
