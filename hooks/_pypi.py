"""PyPI as the shipped snapshot knows it: which project names exist, which are most downloaded.

A private module of the dependency guard, imported only when a dependency file is in the change.
The snapshot lives in hooks/data/ and is written by tools/refresh_pypi_snapshot.py:

- `pypi-names.bloom`: every project name (PEP 503 normalised) in a Bloom filter. A JSON header
  line (date, count, size, hash count) and the bit array. A Bloom filter never says "absent" for
  a name it holds, so "unknown package" is never wrong about the snapshot; it says "present" for
  about one absent name in a thousand, which only lets that name pass.
- `pypi-popular.txt`: the most downloaded projects, most downloaded first, after a `#` line.

Loading reads the two files (about 1.7 MB) and builds nothing large: bench/snapshot.py measures it.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, Iterator, Optional, Set, Tuple

from hooks.engine.lazyre import lazy_re

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
NAMES_FILE = "pypi-names.bloom"
POPULAR_FILE = "pypi-popular.txt"
FORMAT = 1
# lookalikes are judged against the most downloaded few: the names worth squatting
TARGETS = 2000
# below this length one edit turns a name into another real word: only confusables count
MIN_EDIT_LENGTH = 5
# a folded name this short equals too many others (`can`, `spy`)
MIN_SKELETON = 4
# a typo hits a neighbouring key: substitutions and insertions are limited to those (and to
# doubling a letter), so `cymysql` is not taken for `pymysql`
KEYBOARD = ("1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm")
# what reads the same: `rn` and `m`, `1` and `l`, `0` and `o`, `vv` and `w`
CONFUSABLES = (("rn", "m"), ("vv", "w"), ("1", "l"), ("0", "o"))
PREFIXES = ("python-", "python", "py-")
DOUBLED = lazy_re(r"(.)\1+")
SEPARATORS = lazy_re(r"[-_.]+")


def normalize(name: str) -> str:
    """PEP 503: `Foo.Bar_baz` and `foo-bar-baz` are one project."""
    return SEPARATORS.sub("-", name).lower()


def skeleton(name: str) -> str:
    """What a reader sees: separators, doubled letters and confusable pairs folded."""
    folded = normalize(name)
    for prefix in PREFIXES:
        # `py-spy` keeps its prefix: `spy` alone would match every short word
        if folded.startswith(prefix) and len(folded) >= len(prefix) + MIN_SKELETON:
            folded = folded[len(prefix) :]
            break
    folded = folded.replace("-", "")
    for seen, same in CONFUSABLES:
        folded = folded.replace(seen, same)
    return DOUBLED.sub(r"\1", folded)


def _neighbours() -> Dict[str, str]:
    """The keys around each key of a QWERTY keyboard (same row and the rows above and below)."""
    found: Dict[str, str] = {}
    for row, keys in enumerate(KEYBOARD):
        for col, key in enumerate(keys):
            around = [
                KEYBOARD[r][c]
                for r in (row - 1, row, row + 1)
                for c in (col - 1, col, col + 1)
                if 0 <= r < len(KEYBOARD) and 0 <= c < len(KEYBOARD[r]) and (r, c) != (row, col)
            ]
            found[key] = "".join(around)
    return found


NEIGHBOURS = _neighbours()


def _near(name: str, i: int) -> Set[str]:
    """The keys a finger may hit by mistake at position `i`: the letters around it, their
    neighbours on the keyboard, and the same letter again."""
    around: Set[str] = set()
    for j in (i - 1, i):
        if 0 <= j < len(name):
            around |= {name[j], *NEIGHBOURS.get(name[j], "")}
    return around


def typos(name: str) -> Iterator[str]:
    """Every name one typo away from `name`: two letters swapped, a key hit beside the right
    one, a stray key (a neighbour, or the same key twice) added or missing. Digits added or
    dropped at the end are how forks are named (`httpx2`, `cbor2`), not typos: left out."""
    for i in range(len(name) + 1):
        head, tail = name[:i], name[i:]
        if tail:
            if len(tail) > 1:
                yield head + tail[1] + tail[0] + tail[2:]
            for ch in NEIGHBOURS.get(tail[0], ""):
                yield head + ch + tail[1:]
            # `name` has a stray key here if it sits by its neighbours
            if tail[0] in _near(name[:i] + tail[1:], i) and not (
                tail[0].isdigit() and i == len(name) - 1
            ):
                yield head + tail[1:]
        for ch in _near(name, i):
            if not (ch.isdigit() and not tail):
                yield head + ch + tail


@dataclass(frozen=True)
class BloomFilter:
    """A set of names as bits: no false "absent", a known rate of false "present"."""

    bits: bytes
    hashes: int

    @property
    def size(self) -> int:
        return len(self.bits) * 8

    def positions(self, name: str) -> Iterator[int]:
        digest = hashlib.blake2b(name.encode("utf-8"), digest_size=16).digest()
        first, second = int.from_bytes(digest[:8], "little"), int.from_bytes(digest[8:], "little")
        for i in range(self.hashes):
            yield (first + i * second) % self.size

    def __contains__(self, name: str) -> bool:
        return all(self.bits[p >> 3] & (1 << (p & 7)) for p in self.positions(name))

    @classmethod
    def build(cls, names: Iterable[str], count: int, error_rate: float) -> BloomFilter:
        """A filter sized for `count` names at `error_rate` false "present" answers."""
        size = math.ceil(-count * math.log(error_rate) / math.log(2) ** 2 / 8) * 8
        hashes = max(1, round(size / count * math.log(2)))
        bits = bytearray(size // 8)
        empty = cls(bytes(size // 8), hashes)
        for name in names:
            for p in empty.positions(name):
                bits[p >> 3] |= 1 << (p & 7)
        return cls(bytes(bits), hashes)


@dataclass(frozen=True)
class Snapshot:
    date: str
    count: int
    names: BloomFilter
    popular: Tuple[str, ...]

    def exists(self, name: str) -> bool:
        return normalize(name) in self.names

    @property
    def popular_set(self) -> FrozenSet[str]:
        return _popular_set(self.popular)

    def lookalike(self, name: str) -> Optional[str]:
        """The most downloaded project `name` can be mistaken for, unless it is popular itself."""
        name = normalize(name)
        if name in self.popular_set:
            return None
        targets = _targets(self.popular[:TARGETS])
        same = _skeletons(self.popular[:TARGETS]).get(skeleton(name))
        near = (
            [targets[n] for n in set(typos(name)) if n in targets]
            if len(name) >= MIN_EDIT_LENGTH
            else []
        )
        ranked = sorted({*near, *([same] if same is not None else [])})
        return self.popular[ranked[0]] if ranked else None


@lru_cache(maxsize=1)
def _popular_set(popular: Tuple[str, ...]) -> FrozenSet[str]:
    return frozenset(popular)


@lru_cache(maxsize=1)
def _targets(popular: Tuple[str, ...]) -> Dict[str, int]:
    """Each target name and its rank (0 is the most downloaded)."""
    return {name: rank for rank, name in enumerate(popular)}


@lru_cache(maxsize=1)
def _skeletons(popular: Tuple[str, ...]) -> Dict[str, int]:
    """The skeleton of each target, mapped to the best-ranked target that has it."""
    found: Dict[str, int] = {}
    for rank, name in enumerate(popular):
        folded = skeleton(name)
        if len(folded) >= MIN_SKELETON:
            found.setdefault(folded, rank)
    return found


def header(date: str, count: int, names: BloomFilter) -> bytes:
    fields = {"format": FORMAT, "date": date, "names": count, "hashes": names.hashes}
    return json.dumps(fields, sort_keys=True).encode("ascii") + b"\n"


class SnapshotError(Exception):
    """The shipped snapshot is missing or damaged: a broken install, said in one line."""


@lru_cache(maxsize=1)
def snapshot(folder: str = DATA) -> Snapshot:
    try:
        with open(os.path.join(folder, NAMES_FILE), "rb") as handle:
            fields = json.loads(handle.readline())
            bits = handle.read()
        with open(os.path.join(folder, POPULAR_FILE), encoding="utf-8") as handle:
            popular = tuple(line.strip() for line in handle if not line.startswith("#"))
        if fields["format"] != FORMAT or not bits:
            raise ValueError(f"format {fields['format']}")
        names = BloomFilter(bits, int(fields["hashes"]))
        return Snapshot(str(fields["date"]), int(fields["names"]), names, popular)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SnapshotError(f"cannot read the PyPI snapshot in {folder}: {exc}") from None
