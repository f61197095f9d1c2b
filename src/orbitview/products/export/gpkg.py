"""GeoPackage (OGC 12-128r18) from GeoDataFrames: one layer per geometry type, through
GDAL (pyogrio), each layer with what it rests on in its metadata.

Tracks are a ``tracks`` layer of MultiLineStrings and a ``samples`` layer of Points,
footprints and swaths MultiPolygons, coverage cells Polygons with their metrics, passes
MultiLineStrings (their sites a Point layer), opportunities Points.  Columns that hold
lists or mappings (element sets, vertex times) are written as JSON text; times as
UTC date-times.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from orbitview.products.export.sidecar import plain


def _column_fit(frame):
    """A copy of ``frame`` whose columns GDAL can store: lists and mappings as JSON text,
    times with another offset than UTC as ISO 8601 text."""
    import pandas as pd
    out = frame.copy()
    for c in out.columns:
        if c == out.geometry.name:
            continue
        col = out[c]
        if isinstance(col.dtype, pd.DatetimeTZDtype):
            if str(col.dt.tz) not in ("UTC", "utc"):
                out[c] = col.map(lambda v: None if pd.isna(v) else v.isoformat())
            continue
        if col.dtype == object and col.map(lambda v: isinstance(v, (list, tuple, dict))).any():
            out[c] = col.map(lambda v: json.dumps(plain(v), ensure_ascii=False)
                             if isinstance(v, (list, tuple, dict)) else v)
        elif col.dtype == object and col.map(lambda v: hasattr(v, "isoformat")).any():
            out[c] = col.map(lambda v: plain(v) if hasattr(v, "isoformat") else v)
    return out


def write_layers(path: Path | str, layers: dict, meta: dict) -> None:
    """Write each GeoDataFrame of ``layers`` (name -> frame, EPSG:4326) as a layer of the
    GeoPackage ``path``; ``meta`` goes in every layer's metadata (key ``orbitview``)."""
    import pyogrio
    text = json.dumps(plain(meta), ensure_ascii=False)
    for name, frame in layers.items():
        pyogrio.write_dataframe(_column_fit(frame), str(path), layer=name, driver="GPKG",
                                metadata={"orbitview": text}, promote_to_multi=False)


def to_bytes(layers: dict, meta: dict) -> bytes:
    """The GeoPackage of ``layers`` as bytes (written to a temporary file and read)."""
    with tempfile.TemporaryDirectory(prefix="orbitview-") as tmp:
        path = Path(tmp) / "export.gpkg"
        write_layers(path, layers, meta)
        return path.read_bytes()
