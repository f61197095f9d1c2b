"""The bundled JPL DE421 excerpt: the Sun (and Earth) offline, never downloaded.

``ephemeris_data/`` holds the excerpt built by ``scripts/build_ephemeris.py`` (see its
``PROVENANCE.json``).
"""

from __future__ import annotations

import functools
from pathlib import Path

EPHEMERIS_FILE = "de421_excerpt.bsp"


def ephemeris():
    """The bundled JPL DE421 excerpt (Sun, Earth, Earth-Moon barycentre): offline Sun."""
    return _ephemeris()


@functools.lru_cache(maxsize=1)
def _ephemeris():
    from skyfield.jpllib import SpiceKernel  # reads a file on disk, as the package is
    return SpiceKernel(str(Path(__file__).resolve().parent / "ephemeris_data" / EPHEMERIS_FILE))
