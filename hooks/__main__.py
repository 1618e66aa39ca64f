"""`python -m hooks` runs the all-in-one command."""

from __future__ import annotations

from hooks.engine.cli import main

raise SystemExit(main())
