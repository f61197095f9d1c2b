"""GeoJSON (RFC 7946) from plain records: one small function per kind, each returning bytes.

* Coordinates are ``[longitude, latitude]`` in WGS84 degrees (RFC 7946 section 4),
  with the height above the ellipsoid in metres as a third value where a
  satellite's position is meant (tracks, pass tracks).
* Lines are cut at the antimeridian into MultiLineStrings and rings that
  cross it or enclose a pole become (Multi)Polygons as section 3.1.9 says
  (:mod:`orbitview.products.export.geo`); exterior rings are counter-clockwise.
* Times are ISO 8601 UTC strings (``...Z``) in the properties, with the
  element sets (epoch, source, file) behind every satellite; a foreign member
  ``orbitview`` on the collection records how the file was made.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np

from orbitview.products.export.geo import split_line
from orbitview.util.timeutil import iso

LONLAT_DIGITS = 6
"""0.1 m: below any uncertainty orbitview has; RFC 7946 section 11.2 asks for no more."""
HEIGHT_DIGITS = 1


def _plain(value):
    if isinstance(value, dt.datetime):
        return iso(value) if value.utcoffset() == dt.timedelta(0) \
            else value.isoformat(timespec="seconds")
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    return value


def _iso_ms(t: dt.datetime) -> str:
    """ISO 8601 UTC, with milliseconds when the time is not on a whole second."""
    t = t.astimezone(dt.timezone.utc)
    if t.microsecond == 0:
        return iso(t)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def _position(lon, lat, height_m=None) -> list:
    out = [round(float(lon), LONLAT_DIGITS), round(float(lat), LONLAT_DIGITS)]
    if height_m is not None:
        out.append(round(float(height_m), HEIGHT_DIGITS))
    return out


def _collection(features: list[dict], meta: dict) -> bytes:
    doc = {"type": "FeatureCollection", "orbitview": _plain(meta), "features": features}
    return (json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            + "\n").encode("utf-8")


def _feature(geometry: dict | None, properties: dict) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": _plain(properties)}


def line_geometry(lon_deg, lat_deg, height_km=None, seconds=None):
    """(MultiLineString dict, per-part times in seconds) cut at the antimeridian."""
    carried = [v for v in (height_km, seconds) if v is not None]
    parts = split_line(lon_deg, lat_deg, *carried)
    coords, part_seconds = [], []
    for part in parts:
        x, y = part[0], part[1]
        h = part[2] if height_km is not None else None
        coords.append([_position(x[k], y[k], None if h is None else h[k] * 1000.0)
                       for k in range(len(x))])
        if seconds is not None:
            part_seconds.append(part[-1])
    return {"type": "MultiLineString", "coordinates": coords}, part_seconds


def polygon_geometry(shape, multi: bool = False) -> dict:
    """A shapely (Multi)Polygon as a GeoJSON geometry, coordinates rounded; with ``multi``
    always a MultiPolygon (a file whose features share one geometry type: GDAL and QGIS
    then read it as one layer of that type)."""
    from shapely.geometry.polygon import orient
    polys = list(getattr(shape, "geoms", [shape]))
    rings = []
    for p in polys:
        p = orient(p, 1.0)
        rings.append([[_position(x, y) for x, y in ring.coords]
                      for ring in (p.exterior, *p.interiors)])
    if len(rings) == 1 and not multi:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


def satellite_properties(track) -> dict:
    return {"name": track.name, "norad_id": track.norad_id, "cospar_id": track.cospar_id,
            "colour": track.colour, "element_sets": track.elements}


def bound_at(track, when):
    """The error bound of ``track`` nearest ``when`` (km, None when the phase is lost)."""
    if not track.bounds:
        return None, ""
    _, b = min(track.bounds, key=lambda tb: abs((tb[0] - when).total_seconds()))
    return (None if b.phase_lost else round(b.position_km, 1)), b.text()


# --------------------------------------------------------------------------- writers

def tracks(tracks_, meta: dict, lines: bool = True, points: bool = True) -> bytes:
    """Per satellite a ``track`` MultiLineString (with the time of every vertex) and a
    ``position`` Point per time step (height in metres), for time-aware GIS; ``lines`` or
    ``points`` False leaves that kind out (a file of one geometry type)."""
    features = []
    for tr in tracks_:
        if lines:
            features.append(_track_line(tr))
        if not points:
            continue
        for k, when in enumerate(tr.times_utc):
            if not tr.valid[k]:
                continue
            es = tr.elements[int(tr.element_index[k])]
            bound_km, _ = bound_at(tr, when)
            features.append(_feature(
                {"type": "Point", "coordinates": _position(tr.lon_deg[k], tr.lat_deg[k],
                                                           tr.altitude_km[k] * 1000.0)},
                {"feature": "position", "name": tr.name, "norad_id": tr.norad_id,
                 "time_utc": when, "lat_deg": round(float(tr.lat_deg[k]), LONLAT_DIGITS),
                 "lon_deg": round(float(tr.lon_deg[k]), LONLAT_DIGITS),
                 "altitude_km": round(float(tr.altitude_km[k]), 3),
                 "epoch_age_days": round(float(tr.epoch_age_days[k]), 4),
                 "element_epoch_utc": es["epoch_utc"], "element_source": es["source"],
                 "error_bound_km": bound_km}))
    return _collection(features, meta)


def _track_line(tr) -> dict:
    """A satellite's ``track`` feature: its MultiLineString and the time of each vertex."""
    secs = tr.seconds
    geometry, part_seconds = line_geometry(tr.lon_deg, tr.lat_deg, tr.altitude_km, secs)
    t0 = tr.times_utc[0]
    times = [[_iso_ms(t0 + dt.timedelta(seconds=float(s))) for s in part]
             for part in part_seconds]
    return _feature(geometry, {
        "feature": "track", **satellite_properties(tr), "start_utc": tr.times_utc[0],
        "end_utc": tr.times_utc[-1], "coordinate_times_utc": times,
        "max_epoch_age_days": round(float(np.nanmax(np.abs(tr.epoch_age_days))), 3),
        "error_bound": bound_at(tr, tr.times_utc[-1])[1], "hold": tr.hold,
        "sgp4_errors": tr.sgp4_errors})


def footprints(series, meta: dict, multi: bool = False) -> bytes:
    """A (Multi)Polygon per satellite and time, valid until the next time of the series
    (``multi``: every one a MultiPolygon)."""
    features = []
    for fs in series:
        for k, when in enumerate(fs.times_utc):
            shape = fs.shape(k)
            until = fs.times_utc[k + 1] if k + 1 < len(fs.times_utc) else when
            features.append(_feature(polygon_geometry(shape, multi), {
                "feature": "footprint", "name": fs.name, "norad_id": fs.norad_id,
                "colour": fs.colour, "time_utc": when, "valid_until_utc": until,
                "sub_lat_deg": round(float(fs.sub_lat_deg[k]), LONLAT_DIGITS),
                "sub_lon_deg": round(float(fs.sub_lon_deg[k]), LONLAT_DIGITS),
                "altitude_km": round(float(fs.altitude_km[k]), 3),
                "epoch_age_days": round(float(fs.epoch_age_days[k]), 4),
                "access": fs.kind, "rule": fs.rule}))
    return _collection(features, meta)


def swaths(bands, meta: dict, multi: bool = False) -> bytes:
    """Imaging bands along the tracks, one feature per satellite, band and piece of track
    (``multi``: every one a MultiPolygon)."""
    return _collection([_feature(polygon_geometry(b.geometry, multi), {
        "feature": "swath", "name": b.name, "norad_id": b.norad_id, "colour": b.colour,
        "band": b.band, "start_utc": b.start_utc, "end_utc": b.end_utc, "rule": b.rule,
        "assumed": "; ".join(b.assumptions)}) for b in bands], meta)


def coverage(cells, meta: dict, metric: str = "") -> bytes:
    """Grid cells as Polygons with every metric of the run as a property (null where a
    cell has none, e.g. never imaged), its access kind and rule; the collection's
    ``orbitview`` member names each metric's meaning and unit (``metric`` colours only
    KML and CZML)."""
    from shapely.geometry import box

    from orbitview.products.export.records import cell_value
    h = cells.resolution_deg / 2
    features = []
    for k in range(len(cells.lat_deg)):
        la, lo = float(cells.lat_deg[k]), float(cells.lon_deg[k])
        props = {"feature": "coverage_cell", "lat_deg": la, "lon_deg": lo}
        props.update({m.column: cell_value(m, v[k])
                      for m, v in zip(cells.metrics, cells.values.values())})
        props.update({"resolution_deg": cells.resolution_deg, "access": cells.access,
                      "rule": cells.rule})
        features.append(_feature(polygon_geometry(box(lo - h, la - h, lo + h, la + h)), props))
    return _collection(features, meta)


def passes(rows, segments, sites, meta: dict, site_points: bool = True) -> bytes:
    """Each pass as the sub-satellite track from AOS to LOS, and each site as a Point
    (``site_points`` False: the tracks alone, one geometry type)."""
    features = [_feature({"type": "Point", "coordinates": _position(s.lon_deg, s.lat_deg)},
                         {"feature": "site", "site": s.name, "lat_deg": s.lat_deg,
                          "lon_deg": s.lon_deg, "site_height_m": s.height_m})
                for s in sites] if site_points else []
    for r, seg in zip(rows, segments):
        geometry, _ = line_geometry(seg["lon_deg"], seg["lat_deg"], seg["altitude_km"])
        features.append(_feature(geometry, {"feature": "pass", **r}))
    return _collection(features, meta)


def pass_points(rows, positions, meta: dict) -> bytes:
    """Each pass as a Point where the satellite is at its culmination (TCA): ``positions``
    are (longitude, latitude, height km) per row, the height written in metres."""
    return _collection([_feature(
        {"type": "Point", "coordinates": _position(lon, lat, height_km * 1000.0)},
        {"feature": "pass_tca", "time_utc": r["tca_utc"], **r})
        for r, (lon, lat, height_km) in zip(rows, positions)], meta)


def opportunities(rows, meta: dict) -> bytes:
    """Each imaging opportunity as a Point where the target is imaged best."""
    return _collection([_feature(
        {"type": "Point", "coordinates": _position(r["point_lon_deg"], r["point_lat_deg"])},
        {"feature": "opportunity", **r}) for r in rows], meta)
