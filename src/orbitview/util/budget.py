"""Memory bounds: estimate what a request needs before allocating it.

Commands estimate the memory a request needs from its size (cells, time
steps, satellites) before any large allocation.  Work that can run in
bounded chunks (coverage, positions written as CSV or JSON) is chunked;
what cannot is refused when it would pass :func:`limit_bytes`, with the
figure and a coarser request that fits.
"""

from __future__ import annotations

import os

from orbitview.util.errors import UsageError

DEFAULT_LIMIT_GIB = 3.0
LIMIT_ENV = "ORBITVIEW_MEMORY_GIB"


def limit_bytes() -> int:
    """The most memory one request may plan to use: 3 GiB, or ``ORBITVIEW_MEMORY_GIB``."""
    text = os.environ.get(LIMIT_ENV, "")
    try:
        gib = float(text) if text else DEFAULT_LIMIT_GIB
    except ValueError:
        gib = float("nan")
    if not 0.1 <= gib <= 1024:
        raise UsageError(f"{LIMIT_ENV}={text!r} is not a memory size between 0.1 and 1024 "
                         "GiB.\nFix: give e.g. ORBITVIEW_MEMORY_GIB=8, or unset it.")
    return int(gib * 2**30)


def gib(n_bytes: float) -> str:
    return f"{n_bytes / 2**30:.1f} GiB"


def require(n_bytes: float, what: str, fix: str) -> None:
    """Raise UsageError when ``what`` would need more than :func:`limit_bytes`."""
    limit = limit_bytes()
    if n_bytes > limit:
        raise UsageError(f"{what} would need about {gib(n_bytes)} of memory, more than the "
                         f"{gib(limit)} orbitview allows itself ({LIMIT_ENV}).\nFix: {fix}.")
