"""`python -m hooks` runs the all-in-one command.

`python -m` puts the current folder first on sys.path, and a hook runs in the repository it
checks: that repository's json.py or typing.py would be imported, and run, in place of the
standard library's. The entry goes before anything else is imported (even `__future__`).
"""

import os
import sys

if sys.path and sys.path[0] and os.path.realpath(sys.path[0]) == os.path.realpath(os.getcwd()):
    del sys.path[0]

from hooks.engine.cli import main  # noqa: E402

raise SystemExit(main())
