"""The shared command line: `diffwarden` and every per-hook entry point are built from it.

Exit codes follow pre-commit: 0 clean, 1 something found, 2 a usage, config or input error.
No traceback reaches the user: unexpected errors become one line (DIFFWARDEN_DEBUG=1 shows more).
This module stays light: a clean commit is decided by the fast path before the engine
(command.py) is even imported.
"""

from __future__ import annotations

import os
import sys


from hooks import __version__
from hooks.engine import fastpath

# typing costs a few ms to import, and the fast path of a clean commit has about 30 to spend:
# the annotations are strings (see the __future__ import), so only the type checker needs it
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import List, Optional, Sequence

EXIT_CLEAN, EXIT_FOUND, EXIT_ERROR = 0, 1, 2
SEVERITIES = ("low", "medium", "high", "critical")


def _codes(value: str) -> List[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _is_count(value: str) -> bool:
    """A number of processes: 1 or more, in digits."""
    return value.isdigit() and int(value) > 0


def _positive(value: str) -> int:
    import argparse

    if not _is_count(value):
        raise argparse.ArgumentTypeError(
            f"expected a number of processes (1 or more), got {value!r}"
        )
    return int(value)


def build_parser(prog: str) -> argparse.ArgumentParser:
    import argparse  # with what it pulls in, a third of the clean commit's budget

    parser = argparse.ArgumentParser(
        prog=prog,
        description="Stop commits that add risky Python patterns. "
        "Reports only what the staged change adds unless --scope file is given.",
    )
    parser.add_argument(
        "files", nargs="*", help="files or folders to check (pre-commit passes them)"
    )
    parser.add_argument(
        "--select",
        type=_codes,
        action="extend",
        default=[],
        metavar="CODES",
        help="codes, code prefixes, rule or hook names to run (comma-separated)",
    )
    parser.add_argument(
        "--ignore",
        type=_codes,
        action="extend",
        default=[],
        metavar="CODES",
        help="codes, code prefixes, rule or hook names to skip",
    )
    parser.add_argument(
        "--scope",
        choices=("diff", "file"),
        default="diff",
        help="diff: only lines the change adds (default); file: whole files",
    )
    parser.add_argument(
        "--diff-base",
        metavar="REF",
        help="compare the working tree with REF instead of the staged change",
    )
    parser.add_argument(
        "--from-ref",
        metavar="REF",
        help="check the range FROM...TO (with --to-ref), each commit judged by its own provenance",
    )
    parser.add_argument("--to-ref", metavar="REF", help="the end of the range (see --from-ref)")
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    parser.add_argument("--output", metavar="FILE", help="write the report here, not to stdout")
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="a pyproject.toml with [tool.diffwarden] (default: the nearest one)",
    )
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        help="lowest severity that fails the run (default: low, or the config's)",
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="rewrite what has a safe fix, in place; exit 1 when a file changed",
    )
    parser.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix or --diff, also apply fixes that may change behaviour",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="print the unified diff --fix would make, and write nothing",
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        metavar="N",
        help="processes that share a big run's files (default: one per core, "
        "one under pre-commit, which runs several)",
    )
    parser.add_argument(
        "--message-file",
        metavar="FILE",
        help="the commit message being made, read for assistant trailers",
    )
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument(
        "--update-baseline",
        metavar="BASELINE",
        nargs="?",
        const=".secrets.baseline",
        help="record the secrets in FILES in a detect-secrets baseline "
        "(default .secrets.baseline) and exit",
    )
    parser.add_argument(
        "--demo", action="store_true", help="check the risky sample that ships with diffwarden"
    )
    parser.add_argument("--version", action="version", version=f"diffwarden {__version__}")
    return parser


def main(argv: Optional[Sequence[str]] = None, hook: Optional[str] = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    files, key = _plain_files(argv), hook or "diffwarden"
    if files is None and _plain_change(argv):
        # no files: the whole staged change, as the always-run hooks and commit-msg see it
        files, key = fastpath.staged_paths(), hook or fastpath.WHOLE_CHANGE
    # pre-commit's own command line, with no config to change the rules: settled here or not
    # at all, before argparse is imported
    shipped = fastpath.shipped(key) if files else None
    if shipped is not None and files and fastpath.certainly_clean(shipped, files):
        return EXIT_CLEAN
    prog = f"diffwarden-{hook}" if hook else "diffwarden"
    args = build_parser(prog).parse_args(argv)
    if shipped is None and _certainly_clean(args, hook):
        return EXIT_CLEAN
    from hooks.engine.methods_cache import compiled_once

    with compiled_once():  # the engine's, the hooks' and libcst's dataclasses
        return _run(args, hook, prog)


def _run(args: argparse.Namespace, hook: Optional[str], prog: str) -> int:
    from hooks.engine import command

    try:
        return command.run(args, hook)
    except command.USER_ERRORS as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except command.SelectionError as exc:
        print(
            f"{prog}: error: {exc} names no code, rule or hook (see --list-rules)", file=sys.stderr
        )
        return EXIT_ERROR
    except Exception as exc:  # the promise: no traceback, one line, a non-zero exit
        if os.environ.get("DIFFWARDEN_DEBUG"):
            raise
        print(
            f"{prog}: internal error: {type(exc).__name__}: {exc} "
            "(rerun with DIFFWARDEN_DEBUG=1 for details)",
            file=sys.stderr,
        )
        return EXIT_ERROR


def run_key(args: argparse.Namespace, hook: Optional[str]) -> List[str]:
    """Everything on the command line that decides which rules run, for the fast path's key."""
    decides = sorted((k, v) for k, v in vars(args).items() if k not in ("files", "jobs"))
    return [f"{k}={v}" for k, v in decides] + [f"hook={hook}"]


def _certainly_clean(args: argparse.Namespace, hook: Optional[str]) -> bool:
    """Can the fast path settle this run? Only a check whose clean outcome prints nothing
    qualifies: a JSON or SARIF report, an --output file and a usage error need the engine."""
    if args.demo or args.list_rules or args.update_baseline or not args.files:
        return False
    if args.format != "text" or args.output or bool(args.from_ref) != bool(args.to_ref):
        return False
    if args.unsafe_fixes and not (args.fix or args.diff):
        return False
    manifest = (
        None if args.no_cache else fastpath.cached(fastpath.default_folder(), run_key(args, hook))
    )
    if manifest is None and not (args.select or args.ignore or args.config):
        manifest = fastpath.shipped(hook or "diffwarden")
    return manifest is not None and fastpath.certainly_clean(manifest, args.files)


# options that change neither the rules nor what a clean run prints (nothing)
PLAIN_FLAGS = frozenset({"--no-cache", "--fix", "--diff"})


def _plain_files(argv: Sequence[str]) -> Optional[List[str]]:
    """The files of a command line that holds nothing else but PLAIN_FLAGS and a valid
    --scope, --diff-base or --jobs; None for any other, which argparse then reads. pre-commit's own
    command lines are of this kind, and argparse costs a clean commit a third of its time."""
    files: List[str] = []
    items = iter(argv)
    for item in items:
        name, equals, value = item.partition("=")
        if not item.startswith("-") and item:
            files.append(item)
        elif item == "--":
            files.extend(items)
        elif item in PLAIN_FLAGS:
            continue
        elif name in ("--scope", "--diff-base", "--jobs", "-j"):
            value = value if equals else next(items, "")
            if not value or not _plain_value(name, value):
                return None
        else:
            return None
    return files or None


def _plain_value(option: str, value: str) -> bool:
    """Would argparse take `value` for `option` (else it is left to say what is wrong)?"""
    if option == "--scope":
        return value in ("diff", "file")
    return _is_count(value) if option in ("--jobs", "-j") else True


def _plain_change(argv: Sequence[str]) -> bool:
    """A command line with no files that asks for the staged change with the default scope:
    PLAIN_FLAGS and a --message-file (which only says who wrote the change)."""
    items = iter(argv)
    for item in items:
        if item == "--message-file":
            if not next(items, ""):
                return False
        elif item not in PLAIN_FLAGS and not item.startswith("--message-file="):
            return False
    return True
