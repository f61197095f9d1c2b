"""Where orbitview finds its data.

Resolution order, first match wins:

1. ``ORBITVIEW_DATA_DIR`` (a directory with ``launches.csv`` and ``tles/``);
2. the copy bundled inside the installed package (``orbitview/_data``);
3. ``data/`` of a source checkout (editable installs and running from a clone).

Element sets fetched by ``orbitview tle update`` go to a separate, writable
user directory (:func:`user_dir`), never into the package.
"""

from __future__ import annotations

import os
from pathlib import Path

from orbitview.util.errors import UsageError

PACKAGE_DIR = Path(__file__).resolve().parents[1]
_BUNDLED = PACKAGE_DIR / "_data"
_CHECKOUT = PACKAGE_DIR.parents[1] / "data"


def data_dir() -> Path:
    """Return the directory holding ``launches.csv`` and ``tles/``."""
    env = os.environ.get("ORBITVIEW_DATA_DIR")
    if env:
        path = Path(env).expanduser()
        if not (path / "launches.csv").is_file():
            raise UsageError(
                f"ORBITVIEW_DATA_DIR={env} has no launches.csv.\n"
                "Fix: point ORBITVIEW_DATA_DIR at a directory laid out like the bundled "
                "data (launches.csv and tles/), or unset it to use the bundled data.")
        return path
    for candidate in (_BUNDLED, _CHECKOUT):
        if (candidate / "launches.csv").is_file():
            return candidate
    raise UsageError(
        "orbitview's bundled data is missing (no launches.csv in "
        f"{_BUNDLED} or {_CHECKOUT}).\n"
        "Fix: reinstall with 'pip install --force-reinstall orbitview', or set "
        "ORBITVIEW_DATA_DIR.")


def user_dir() -> Path:
    """Writable directory for fetched element sets (``ORBITVIEW_USER_DIR`` or XDG)."""
    env = os.environ.get("ORBITVIEW_USER_DIR")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "orbitview"
