"""The cell CSV of a coverage run (``orbitview coverage --grid-csv``): one row per analysed
cell, its centre and its metrics, written block by block and atomically."""

from __future__ import annotations

GRID_CSV_COLUMNS = ["lat_deg", "lon_deg", "coverage_percent", "accesses", "max_gap_min",
                    "mean_gap_min"]
"""Columns of a radio-access grid (:class:`~orbitview.access.coverage.CoverageResult`)."""
REVISIT_CSV_COLUMNS = ["lat_deg", "lon_deg", "opportunities", "first_image_h",
                       "mean_revisit_h", "max_revisit_h", "daylight_share_pct"]
"""Columns of an imaging-access grid (:class:`~orbitview.access.revisit.RevisitResult`)."""
DIGITS = {"lat_deg": 5, "lon_deg": 5, "coverage_percent": 3, "accesses": None,
          "opportunities": None, "daylight_share_pct": 1}
"""Decimals written per column (None: a whole number); 2 for the others."""


def columns_for(result) -> list[str]:
    """The columns of ``result``'s access kind (imaging results carry ``max_revisit_h``)."""
    return list(REVISIT_CSV_COLUMNS if hasattr(result, "max_revisit_h") else GRID_CSV_COLUMNS)


def write_grid_csv(path, result, columns=None, meta: dict | None = None,
                   block: int = 65_536) -> int:
    """Per-cell metrics of ``result`` as CSV, written block by block (atomically: all or
    nothing); returns the number of cells written.

    ``columns`` defaults to those of the result's access kind.  The file holds the header
    and numbers only (``pandas.read_csv(path)`` reads numbers); ``meta`` (the access rule,
    the assumed instrument values, units, element sets) is written beside it as
    ``FILE.json`` (:mod:`orbitview.products.export.sidecar`).  Empty cells: no value (a
    cell never imaged has no time to its first image).
    """
    import csv
    import io

    import numpy as np

    from orbitview.products.export.sidecar import write_sidecar
    from orbitview.util.atomic import atomic_write_stream
    columns = list(columns or columns_for(result))
    grid = result.grid
    lat, lon = grid.cell_lat, grid.cell_lon
    values = {"lat_deg": lat, "lon_deg": lon}
    values.update({c: getattr(result, c) for c in columns if c not in values})

    def write(binary):
        f = io.TextIOWrapper(binary, newline="", encoding="utf-8")
        out = csv.writer(f, lineterminator="\n")
        out.writerow(columns)
        for a in range(0, len(lat), block):
            parts = []
            for c in columns:
                v = values[c]
                if v is None:
                    parts.append([""] * len(lat[a:a + block]))
                    continue
                chunk = v[a:a + block]
                digits = DIGITS.get(c, 2)
                chunk = chunk.tolist() if digits is None else np.round(chunk, digits)
                parts.append(["" if x != x else x for x in np.asarray(chunk).tolist()])
            out.writerows(zip(*parts, strict=True))
        f.flush()
        f.detach()              # atomic_write_stream flushes, syncs and closes the file
    atomic_write_stream(path, write)
    if meta is not None:
        write_sidecar(path, meta)
    return len(lat)
