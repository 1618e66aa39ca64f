"""What the web-flow hooks (DW130-DW138) find on real web code, every finding listed for judging.

    .venv/bin/python bench/webflows.py > webflows.md

Corpora: Django's own source (`django/` of the sdist compare.py uses), the Flask and FastAPI
sdists (Flask's examples and tests; FastAPI's `docs_src/`, about a thousand small handlers written
as users write them), and this venv's site-packages (requests, urllib3, pip, ...). The sdists are
fetched once into bench/.cache with compare.py's `sdist`. Each corpus is scanned once with
`diffwarden --scope file --no-cache --format json --select <codes>` and the wall time is printed
(a machine shared with other work makes it a rough figure).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import sysconfig
from typing import List, Tuple

from compare import DJANGO_VERSION, execute, python_files, sdist, tool

CODES = "DW130,DW131,DW132,DW133,DW134,DW135,DW136,DW137,DW138"
SDISTS = (("flask", "3.1.0", ""), ("fastapi", "0.115.6", ""), ("django", DJANGO_VERSION, "django"))


def corpora() -> List[Tuple[str, str]]:
    """(name, folder) of every corpus."""
    found = [
        (f"{name} {version}", os.path.join(sdist(name, version), sub))
        for name, version, sub in SDISTS
    ]
    found.append(("site-packages", sysconfig.get_paths()["purelib"]))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--select", default=CODES, help="diffwarden codes (default: DW130-DW138)")
    args = parser.parse_args()
    print("| corpus | .py files | findings | by code | seconds |\n|---|---|---|---|---|")
    listed = []
    for name, folder in corpora():
        argv = [tool("diffwarden"), "--scope", "file", "--no-cache", "--format", "json"]
        text, seconds = execute("diffwarden", [*argv, "--select", args.select, folder], folder)
        found = [f for f in json.loads(text)["findings"] if f["code"] >= "DW100"]
        codes = collections.Counter(f["code"] for f in found)
        by_code = ", ".join(f"{c} {n}" for c, n in sorted(codes.items())) or "-"
        files = sum(1 for _ in python_files(folder))
        print(f"| {name} | {files} | {len(found)} | {by_code} | {seconds:.0f} |")
        for f in found:
            path = os.path.relpath(f["path"], folder)
            listed.append(f"- {name}: `{path}:{f['line']}` {f['code']} {f['message']}")
    print("\n" + "\n".join(listed))


if __name__ == "__main__":
    main()
