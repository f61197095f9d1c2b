"""Metadata beside a CSV file: ``FILE.csv.json``, what the CSV rests on.

A CSV holds numbers only (``pandas.read_csv(path)`` reads them as numbers, with no
option); what the numbers rest on (the access rule, the assumed instrument values, the
element sets, the window, what each column means and its unit) goes in a JSON file next
to it, named by adding ``.json`` to the CSV's name.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np

from orbitview.util.timeutil import iso

MAX_SIDECAR_BYTES = 16 << 20
"""A metadata file larger than this is not read (orbitview writes a few kilobytes)."""


def sidecar_path(path: Path | str) -> Path:
    """``cells.csv`` -> ``cells.csv.json``."""
    path = Path(path)
    return path.with_name(path.name + ".json")


def plain(value):
    """``value`` as JSON: aware datetimes as ISO 8601 (UTC with ``Z``), NaN as null,
    numpy scalars as numbers, tuples as lists, keys starting with ``_`` left out."""
    if isinstance(value, dt.datetime):
        return iso(value) if value.utcoffset() == dt.timedelta(0) \
            else value.isoformat(timespec="seconds")
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if not str(k).startswith("_")}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (str, int)):
        return value
    return str(value)


def sidecar_bytes(meta: dict) -> bytes:
    """The metadata file's content: ``meta`` as indented JSON (UTF-8)."""
    return (json.dumps(plain(meta), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def read_sidecar(path: Path | str) -> dict:
    """The metadata beside ``path`` ({} when there is none or it cannot be read: the CSV
    is complete without it)."""
    side = sidecar_path(path)
    try:
        if not side.is_file() or side.stat().st_size > MAX_SIDECAR_BYTES:
            return {}
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_bytes(path: Path | str, data: bytes) -> None:
    """``data`` written to ``path`` atomically (all or nothing), flushed to the disk."""
    from orbitview.util.atomic import atomic_write_bytes
    atomic_write_bytes(path, data)


def write_sidecar(path: Path | str, meta: dict) -> Path:
    """Write ``meta`` beside ``path`` (``FILE.json``); returns that file's path."""
    side = sidecar_path(path)
    write_bytes(side, sidecar_bytes(meta))
    return side
