"""What kind of untrusted source a value has, beyond origin.py's trust level.

Shared by dynamic-code and url-schemes (a private module: the registry skips names that start
with `_`). origin.py counts a function's parameters as untrusted, which is right for `eval` and
`exec`; for a module name or a URL, a parameter is more often the caller's configuration, and
only a value read from outside the program (a request, `input()`, argv, the environment, a
read) is worth a finding. origin.py says which in the source's wording, so that is read here;
an `Origin` field naming the kind of source would be better.
"""

from __future__ import annotations

from hooks.engine.trust import Origin, Trust

PARAMETER = "parameter "


def from_outside(found: Origin) -> bool:
    """Untrusted because of where it was read, not merely because it is a parameter."""
    return found.trust is Trust.UNTRUSTED and not found.source.startswith(PARAMETER)
