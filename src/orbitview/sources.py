"""The one place that downloads element sets, and the user's element store.

Nothing here runs implicitly: only ``orbitview tle update`` fetches.  Fetched
sets live in :func:`orbitview.datadir.user_dir` ``/elements``, never in the
installed package.
"""

from __future__ import annotations

from .datadir import user_dir
from .elements import ElementStore, parse_tle_text
from .errors import Problem


def elements_dir():
    return user_dir() / "elements"


def merge_user_elements(store: ElementStore) -> tuple[ElementStore, list[Problem]]:
    """Add the element sets fetched into the user directory to ``store``."""
    problems: list[Problem] = []
    directory = elements_dir()
    if not directory.is_dir():
        return store, problems
    for path in sorted(directory.glob("*.tle")):
        sets, found = parse_tle_text(path.read_text(encoding="ascii", errors="replace"), path)
        problems += found
        for es in sets:
            es.source = es.source or f"fetched into {directory}"
            store.add(es)
    return store, problems
