"""Exceptions that people read.

Every message follows one shape: what is wrong, with the offending value and
where it came from; the evidence; one concrete fix on the last line.  The CLI
prints ``str(error)`` and exits with status 1.
"""

from __future__ import annotations

import difflib
from pathlib import Path


class OrbitviewError(Exception):
    """Base class of every error orbitview explains to its user."""


class DataError(OrbitviewError, ValueError):
    """A problem in a data file, located by file and line.

    ``problems`` holds every :class:`Problem` found, so that a checker can
    report them all instead of stopping at the first.
    """

    def __init__(self, problems: list["Problem"]):
        self.problems = list(problems)
        super().__init__("\n\n".join(p.message() for p in self.problems))


class Problem:
    """One located data problem: ``file:line: what`` + evidence + fix.

    ``path`` is a file path or a URL (kept exactly as given); ``affects`` holds
    the keys of what the problem makes unusable (NORAD numbers of the objects a
    bad element file holds, lower-case site names, ...), so that everything
    else keeps working.
    """

    def __init__(self, path: Path | str, line: int | None, what: str,
                 evidence: str = "", fix: str = "", affects=(), scope: str = ""):
        self.path = path if isinstance(path, Path) or "://" in str(path) else Path(path)
        self.line = line
        self.what = what
        self.evidence = evidence
        self.fix = fix
        self.affects = frozenset(affects)
        self.scope = scope
        """Where the file belongs: "bundled data" or "user store" (set by the checker)."""

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def message(self) -> str:
        parts = [f"{self.where}: {self.what}"]
        if self.evidence:
            parts.append("\n".join("    " + s for s in self.evidence.splitlines()))
        if self.fix:
            parts.append(f"Fix: {self.fix}")
        return "\n".join(parts)

    def __repr__(self) -> str:
        return f"Problem({self.where!r}, {self.what!r})"


class UnknownSatelliteError(OrbitviewError, KeyError):
    """A name, alias, NORAD number or COSPAR id that matches no record."""

    def __init__(self, query: str, candidates: list[str] | dict[str, str]):
        """``candidates``: known names, or a mapping of every name and alias to the name of
        its object, so that an object is suggested once ('PRSS-1', not also 'PRSS 1')."""
        self.query = query
        owner = candidates if isinstance(candidates, dict) else {c: c for c in candidates}
        close = difflib.get_close_matches(query, list(owner), n=12, cutoff=0.5)
        if not close:
            lowered = query.lower()
            close = [c for c in owner if lowered and lowered in c.lower()]
        close = list(dict.fromkeys(owner[c] for c in close))[:4]
        self.suggestions = close
        hint = (f"Did you mean {', '.join(repr(c) for c in close)}?" if close
                else "No close match.")
        self.text = (f"unknown satellite {query!r}. {hint}\n"
                     "Fix: run 'orbitview launches' to list every known name, or give "
                     "a NORAD number (43530) or COSPAR id (2018-056B).")
        super().__init__(self.text)

    def __str__(self) -> str:  # KeyError would quote the whole message
        return self.text


class NoElementsError(OrbitviewError, LookupError):
    """A satellite that is known but has no element set to propagate."""


class UsageError(OrbitviewError, ValueError):
    """A bad value given on the command line or to an API function."""


class PropagationError(OrbitviewError):
    """SGP4 cannot compute an object at the time asked (decayed, far from its epoch)."""


class DownloadError(OrbitviewError):
    """A failed fetch from an element-set server; nothing was written."""
