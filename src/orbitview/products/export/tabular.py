"""CSV from plain records: one row per position, footprint, band piece, cell, pass or
opportunity.  Shapes travel as WKT in a ``wkt`` column (longitude first), which
QGIS's delimited-text reader and most GIS tools read as geometry."""

from __future__ import annotations

import datetime as dt

from orbitview.products.export.geo import split_line
from orbitview.products.text import to_csv

TRACK_COLUMNS = ["time_utc", "norad_id", "name", "lat_deg", "lon_deg", "altitude_km",
                 "x_km", "y_km", "z_km", "epoch_age_days", "element_epoch_utc",
                 "element_source", "error_bound_km"]


def _bytes(rows, columns) -> bytes:
    return to_csv(rows, columns).encode("utf-8")


def _wkt(shape) -> str:
    return shape.wkt if shape is not None else ""


def tracks(tracks_, meta: dict) -> bytes:
    """The columns of ``orbitview positions`` plus Earth-fixed x, y, z and provenance."""
    return _bytes(track_rows(tracks_), TRACK_COLUMNS)


def track_rows(tracks_) -> list[dict]:
    """The rows of :func:`tracks`: one per satellite and valid time, time-major."""
    from orbitview.products.export.geojson import bound_at
    rows = []
    for tr in tracks_:
        for k, when in enumerate(tr.times_utc):
            if not tr.valid[k]:
                continue
            es = tr.elements[int(tr.element_index[k])]
            x, y, z = tr.itrs_km[k]
            rows.append({"time_utc": when, "norad_id": tr.norad_id, "name": tr.name,
                         "lat_deg": round(float(tr.lat_deg[k]), 6),
                         "lon_deg": round(float(tr.lon_deg[k]), 6),
                         "altitude_km": round(float(tr.altitude_km[k]), 3),
                         "x_km": round(float(x), 3), "y_km": round(float(y), 3),
                         "z_km": round(float(z), 3),
                         "epoch_age_days": round(float(tr.epoch_age_days[k]), 4),
                         "element_epoch_utc": es["epoch_utc"], "element_source": es["source"],
                         "error_bound_km": bound_at(tr, when)[0]})
    rows.sort(key=lambda r: (r["time_utc"], r["norad_id"]))
    return rows


def footprints(series, meta: dict) -> bytes:
    rows = [{"time_utc": when, "norad_id": fs.norad_id, "name": fs.name,
             "sub_lat_deg": round(float(fs.sub_lat_deg[k]), 6),
             "sub_lon_deg": round(float(fs.sub_lon_deg[k]), 6),
             "altitude_km": round(float(fs.altitude_km[k]), 3), "access": fs.kind,
             "rule": fs.rule, "epoch_age_days": round(float(fs.epoch_age_days[k]), 4),
             "wkt": _wkt(fs.shape(k))}
            for fs in series for k, when in enumerate(fs.times_utc)]
    return _bytes(rows, ["time_utc", "norad_id", "name", "sub_lat_deg", "sub_lon_deg",
                         "altitude_km", "access", "rule", "epoch_age_days", "wkt"])


def swaths(bands, meta: dict) -> bytes:
    rows = [{"norad_id": b.norad_id, "name": b.name, "band": b.band, "start_utc": b.start_utc,
             "end_utc": b.end_utc, "rule": b.rule, "assumed": "; ".join(b.assumptions),
             "wkt": _wkt(b.geometry)} for b in bands]
    return _bytes(rows, ["norad_id", "name", "band", "start_utc", "end_utc", "rule", "assumed",
                         "wkt"])


def coverage(cells, meta: dict, metric: str = "") -> bytes:
    """The columns of ``coverage --grid-csv`` for the run's access kind (empty where a
    cell has no value), then the cell size, the access kind and the rule."""
    from orbitview.products.export.records import cell_value
    rows = []
    metrics = list(zip(cells.metrics, cells.values.values()))
    for k in range(len(cells.lat_deg)):
        row = {"lat_deg": round(float(cells.lat_deg[k]), 5),
               "lon_deg": round(float(cells.lon_deg[k]), 5)}
        row.update({m.column: cell_value(m, v[k]) for m, v in metrics})
        row.update({"resolution_deg": cells.resolution_deg, "access": cells.access,
                    "rule": cells.rule})
        rows.append(row)
    return _bytes(rows, ["lat_deg", "lon_deg", *cells.values, "resolution_deg", "access",
                         "rule"])


PASS_COLUMNS = ["site", "site_lat_deg", "site_lon_deg", "site_height_m", "norad_id", "name",
                "aos_utc", "tca_utc", "los_utc", "max_elevation_deg", "aos_azimuth_deg",
                "los_azimuth_deg", "duration_s", "sunlit_at_tca", "site_sun_elevation_deg",
                "epoch_age_days", "in_progress_at_start", "in_progress_at_end"]
"""Columns of a pass row when none are given: fixed, so a window without a pass still
gives the header a reader expects."""


def passes(rows, segments, sites, meta: dict, columns: list[str] | None = None) -> bytes:
    """The pass rows (site first, then the columns of ``orbitview passes``) and the
    ground track of each pass as a WKT MultiLineString.  The columns are ``columns``
    (``orbitview export`` gives those of its pass table), else :data:`PASS_COLUMNS` and
    any further ones the rows carry, whether or not there is a pass."""
    if columns is None:
        columns = PASS_COLUMNS + [c for c in dict.fromkeys(k for r in rows for k in r)
                                  if c not in PASS_COLUMNS and not c.startswith("_")]
    out = []
    for r, seg in zip(rows, segments):
        lines = [f"({', '.join(f'{x:.6f} {y:.6f}' for x, y in zip(p[0], p[1]))})"
                 for p in split_line(seg["lon_deg"], seg["lat_deg"])]
        out.append({**r, "wkt": f"MULTILINESTRING ({', '.join(lines)})"})
    return _bytes(out, columns + ["wkt"])


def opportunities(rows, meta: dict) -> bytes:
    from orbitview.access.opportunities import COLUMNS
    out = [{**r, "time_local": r["time_local"].isoformat(timespec="seconds")
            if isinstance(r.get("time_local"), dt.datetime) else r.get("time_local"),
            "wkt": f"POINT ({r['point_lon_deg']:.6f} {r['point_lat_deg']:.6f})"}
           for r in rows]
    return _bytes(out, COLUMNS + ["wkt"])

