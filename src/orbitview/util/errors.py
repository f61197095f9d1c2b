"""Exceptions that people read.

Every message follows one shape: what is wrong, with the offending value and
where it came from; the evidence; one concrete fix on the last line.  The CLI
prints ``str(error)`` and exits with status 1.

What reaches the screen is made safe in one place: ``str()`` of every
:class:`OrbitviewError` and :meth:`Problem.message` pass through
:func:`~orbitview.util.text.printable`, so control characters and terminal escape
codes in file names, evidence and values are shown escaped (``\\x1b``), never
acted on.  A :class:`DataError` of a huge bad file shows its first
:data:`MAX_PROBLEMS_SHOWN` problems and counts the rest.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from orbitview.util.text import printable

MAX_PROBLEMS_SHOWN = 20
"""A DataError's message shows at most this many problems (``problems`` keeps them all)."""
MAX_LINES_SHOWN = 80
"""... and stops adding problems once its message has this many lines."""


class OrbitviewError(Exception):
    """Base class of every error orbitview explains to its user.

    ``str()`` escapes control characters and terminal escape codes
    (:func:`~orbitview.util.text.printable`): a message may quote a file name or a
    value from a file, and neither may act on the user's terminal.
    """

    def __str__(self) -> str:
        return printable(super().__str__())


def problems_text(problems: list["Problem"], limit: int = MAX_PROBLEMS_SHOWN,
                  max_lines: int = MAX_LINES_SHOWN) -> str:
    """The messages of ``problems``, the first ``limit`` of them (fewer when they pass
    ``max_lines`` lines) and a count of the rest, naming their files."""
    shown, lines = [], 0
    for p in problems:
        if len(shown) >= limit or (shown and lines >= max_lines):
            break
        text = p.message()
        shown.append(text)
        lines += text.count("\n") + 2
    rest = problems[len(shown):]
    if rest:
        files = list(dict.fromkeys(str(p.path) for p in rest))
        where = files[0] if len(files) == 1 else f"{len(files)} files"
        shown.append(printable(
            f"... and {len(rest):,} more problem(s) in {where}, not shown (the first "
            f"{len(problems) - len(rest)} above show what is wrong).\n"
            "Fix: correct the problems above (the rest are most likely of the same kind), "
            "then run the command again."))
    return "\n\n".join(shown)


class DataError(OrbitviewError, ValueError):
    """A problem in a data file, located by file and line.

    ``problems`` holds every :class:`Problem` found, so that a checker can
    report them all instead of stopping at the first; the message shows the first
    :data:`MAX_PROBLEMS_SHOWN` and counts the rest (:func:`problems_text`).
    """

    def __init__(self, problems: list["Problem"]):
        self.problems = list(problems)
        super().__init__(problems_text(self.problems))


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
        # Escaped here too, so code that quotes a problem's parts (not its message())
        # cannot print a file's escape codes either.
        self.what = printable(what) if what else what
        self.evidence = printable(evidence) if evidence else evidence
        self.fix = printable(fix) if fix else fix
        self.affects = frozenset(affects)
        self.scope = scope
        """Where the file belongs: "bundled data" or "user store" (set by the checker)."""

    @property
    def where(self) -> str:
        """``file:line`` (or the file), safe to show (:func:`~orbitview.util.text.printable`)."""
        return printable(f"{self.path}:{self.line}" if self.line else str(self.path))

    def message(self) -> str:
        """``file:line: what``, the evidence indented, ``Fix: ...``; control characters
        and escape codes in any of them escaped (:func:`~orbitview.util.text.printable`)."""
        parts = [f"{self.where}: {self.what}"]
        if self.evidence:
            parts.append("\n".join("    " + s for s in str(self.evidence).splitlines()))
        if self.fix:
            parts.append(f"Fix: {self.fix}")
        return printable("\n".join(parts))

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
        self.text = printable(f"unknown satellite {query!r}. {hint}\n"
                              "Fix: run 'orbitview launches' to list every known name, or "
                              "give a NORAD number (43530) or COSPAR id (2018-056B).")
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
