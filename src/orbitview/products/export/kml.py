"""KML (OGC KML 2.2 with Google's gx extensions) from plain records, via simplekml.

Google Earth animates what carries time: each satellite is a ``gx:Track``
(one ``<when>`` and one ``<gx:coord>`` lon/lat/height per time step, height
above the ellipsoid), footprints and swath pieces carry a ``TimeSpan``, and
passes the span from AOS to LOS, so the time slider plays them.  Every
satellite has its own style (colour of its line, icon and polygons), and a
``Legend`` folder names each with its NORAD id, element set, age and error
bound.  Geometry on the ground is cut at the antimeridian like the GeoJSON.
"""

from __future__ import annotations

import datetime as dt
import html

import numpy as np

from orbitview.products.export.geo import split_line
from orbitview.util.timeutil import iso

ICON = "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
FILL_ALPHA = 70
"""Of 255: polygons stay see-through over imagery."""


def _kml_colour(hex_rgb: str, alpha: int = 255) -> str:
    import simplekml
    return simplekml.Color.changealphaint(alpha, simplekml.Color.hex(hex_rgb.lstrip("#")))


def _style(colour: str, width: float = 2.0, fill: bool = False, fill_alpha: int = FILL_ALPHA):
    import simplekml
    style = simplekml.Style()
    style.linestyle.color = _kml_colour(colour)
    style.linestyle.width = width
    style.iconstyle.color = _kml_colour(colour)
    style.iconstyle.icon.href = ICON
    style.iconstyle.scale = 0.9
    style.labelstyle.scale = 0.9
    style.polystyle.color = _kml_colour(colour, fill_alpha if fill else 0)
    style.polystyle.outline = 1
    return style


def _describe(rows: dict) -> str:
    """A small HTML table for a balloon."""
    cells = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>"
                    for k, v in rows.items() if v not in (None, ""))
    return f"<table>{cells}</table>"


def _document(meta: dict):
    import simplekml
    kml = simplekml.Kml(name=meta.get("title", "orbitview"))
    kml.document.description = _describe({k: v for k, v in meta.items()
                                          if isinstance(v, (str, int, float))})
    return kml


def _legend(kml, entries):
    """``entries``: (name, style, description, (lon, lat) or None)."""
    folder = kml.newfolder(name="Legend")
    for name, style, text, where in entries:
        point = folder.newpoint(name=name, coords=[where] if where else [(0.0, 0.0)])
        point.style = style
        point.description = text
        if where is None:
            point.visibility = 0
    return folder


def _add_polygon(container, shape, name, style, begin=None, end=None, description=""):
    """A shapely (Multi)Polygon as a Placemark (MultiGeometry when it has parts)."""
    polys = list(getattr(shape, "geoms", [shape]))
    target = container.newmultigeometry(name=name) if len(polys) > 1 else None
    for p in polys:
        outer = [(round(x, 6), round(y, 6)) for x, y in p.exterior.coords]
        inner = [[(round(x, 6), round(y, 6)) for x, y in r.coords] for r in p.interiors]
        pol = (target or container).newpolygon(name=name, outerboundaryis=outer,
                                               innerboundaryis=inner)
        if target is None:
            target = pol
    target.style = style
    target.description = description
    if begin is not None:
        target.timespan.begin = iso(begin)
        target.timespan.end = iso(end if end is not None else begin)
    return target


def _add_lines(container, lon, lat, name, style, height_km=None, begin=None, end=None):
    import simplekml
    parts = split_line(lon, lat, *([height_km] if height_km is not None else []))
    for part in parts:
        x, y = part[0], part[1]
        h = part[2] * 1000.0 if height_km is not None else np.zeros(len(x))
        coords = [(round(float(a), 6), round(float(b), 6), round(float(c), 1))
                  for a, b, c in zip(x, y, h)]
        line = container.newlinestring(name=name, coords=coords)
        line.style = style
        line.tessellate = 1
        line.altitudemode = (simplekml.AltitudeMode.absolute if height_km is not None
                             else simplekml.AltitudeMode.clamptoground)
        if begin is not None:
            line.timespan.begin = iso(begin)
            line.timespan.end = iso(end)


def _satellite_text(tr) -> str:
    es = tr.elements[-1]
    bound = tr.bounds[-1][1].text() if tr.bounds else ""
    return _describe({"NORAD": tr.norad_id, "COSPAR": tr.cospar_id,
                      "elements epoch (UTC)": iso(es["epoch_utc"]),
                      "greatest age (days)": f"{np.nanmax(np.abs(tr.epoch_age_days)):.2f}",
                      "error bound": bound, "source": es["source"], "file": es["origin"],
                      "hold": tr.hold})


def _finish(kml) -> bytes:
    return kml.kml().encode("utf-8")


# --------------------------------------------------------------------------- writers

def tracks(tracks_, meta: dict) -> bytes:
    """A gx:Track per satellite (animated) and its ground track clamped to the ground."""
    import simplekml
    kml = _document(meta)
    styles = {tr.norad_id: _style(tr.colour) for tr in tracks_}
    _legend(kml, [(f"{tr.name} ({tr.norad_id})", styles[tr.norad_id], _satellite_text(tr),
                   (float(tr.lon_deg[0]), float(tr.lat_deg[0])) if tr.valid[0] else None)
                  for tr in tracks_])
    for tr in tracks_:
        folder = kml.newfolder(name=tr.name)
        ok = tr.valid
        track = folder.newgxtrack(name=f"{tr.name} ({tr.norad_id})")
        track.newwhen([iso(t) for t, good in zip(tr.times_utc, ok) if good])
        track.newgxcoord([(round(float(x), 6), round(float(y), 6), round(float(h) * 1000.0, 1))
                          for x, y, h in zip(tr.lon_deg[ok], tr.lat_deg[ok],
                                             tr.altitude_km[ok])])
        track.altitudemode = simplekml.AltitudeMode.absolute
        track.style = styles[tr.norad_id]
        track.description = _satellite_text(tr)
        ground = folder.newfolder(name="ground track")
        _add_lines(ground, tr.lon_deg, tr.lat_deg, f"{tr.name} ground track",
                   styles[tr.norad_id])
    return _finish(kml)


def footprints(series, meta: dict) -> bytes:
    """A polygon per satellite and time with a TimeSpan until the next time."""
    kml = _document(meta)
    styles = {fs.norad_id: _style(fs.colour, 1.5, fill=True) for fs in series}
    _legend(kml, [(f"{fs.name} ({fs.norad_id})", styles[fs.norad_id],
                   _describe({"access": fs.kind, "rule": fs.rule}), None) for fs in series])
    for fs in series:
        folder = kml.newfolder(name=f"{fs.name} footprints")
        for k, when in enumerate(fs.times_utc):
            until = fs.times_utc[k + 1] if k + 1 < len(fs.times_utc) else when
            shape = fs.shape(k)
            _add_polygon(folder, shape, f"{fs.name} {iso(when)}", styles[fs.norad_id], when,
                         until, _describe({"time (UTC)": iso(when), "rule": fs.rule,
                                           "altitude (km)": f"{fs.altitude_km[k]:.1f}",
                                           "element age (days)":
                                               f"{fs.epoch_age_days[k]:.2f}"}))
    return _finish(kml)


def swaths(bands, meta: dict) -> bytes:
    kml = _document(meta)
    styles = {b.norad_id: _style(b.colour, 1.0, fill=True) for b in bands}
    seen = {}
    for b in bands:
        seen.setdefault(b.norad_id, b)
    _legend(kml, [(f"{b.name} ({b.norad_id})", styles[b.norad_id],
                   _describe({"rule": b.rule, "assumed": "; ".join(b.assumptions)}), None)
                  for b in seen.values()])
    folders = {}
    for b in bands:
        key = (b.norad_id, b.band)
        if key not in folders:
            folders[key] = kml.newfolder(name=f"{b.name} {b.band.replace('_', ' ')}")
        _add_polygon(folders[key], b.geometry, f"{b.name} {iso(b.start_utc)}",
                     styles[b.norad_id], b.start_utc, b.end_utc,
                     _describe({"band": b.band, "from (UTC)": iso(b.start_utc),
                                "to (UTC)": iso(b.end_utc), "rule": b.rule}))
    return _finish(kml)


BLANK_COLOUR = "#9e9e9e"
"""Cells without a value (never imaged, ...): grey, their meaning in the legend."""


def coverage(cells, meta: dict, metric: str = "", bins: int = 8) -> bytes:
    """Cells as polygons coloured by ``metric`` (a column; default the first), every
    metric in the balloon, and a legend folder of the colour classes with the metric's
    meaning, unit and access kind (and a grey class for cells without a value)."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex
    from shapely.geometry import box

    from orbitview.products.export.records import GRID_METRICS, metric_range
    kml = _document(meta)
    m = GRID_METRICS[metric or next(iter(cells.values))]
    values = np.asarray(cells.values[m.column], float)
    lo, hi = metric_range(m, values)
    edges = np.linspace(lo, hi, bins + 1)
    cmap = colormaps[m.cmap]
    colours = [to_hex(cmap((k + 0.5) / bins)) for k in range(bins)]
    styles = [_style(c, 0.5, fill=True, fill_alpha=192) for c in colours]
    blank = _style(BLANK_COLOUR, 0.5, fill=True, fill_alpha=96)
    title = f"{m.name} ({m.column}), {cells.access} access"
    entries = [(f"{edges[k]:.4g} to {edges[k + 1]:.4g} {m.units}: {m.name} ({m.column})",
                styles[k], title, None) for k in range(bins)]
    empty = np.isnan(values)
    if empty.any():
        entries.append((f"no value: {m.blank or 'none'} ({m.column})", blank, title, None))
    _legend(kml, entries)
    folder = kml.newfolder(name=f"coverage cells ({m.column})")
    folder.description = _describe({"coloured by": f"{m.label}, {m.column}",
                                    "access": f"{cells.access}: {cells.rule}"})
    h = cells.resolution_deg / 2
    klass = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, bins - 1)
    for k in range(len(values)):
        la, lo_ = float(cells.lat_deg[k]), float(cells.lon_deg[k])
        _add_polygon(folder, box(lo_ - h, la - h, lo_ + h, la + h), f"{la:.3f}, {lo_:.3f}",
                     blank if empty[k] else styles[int(klass[k])],
                     description=_describe(cells.describe_cell(k)))
    return _finish(kml)


def passes(rows, segments, sites, meta: dict) -> bytes:
    """Sites as points; each pass the ground track from AOS to LOS with that TimeSpan."""
    import simplekml
    kml = _document(meta)
    site_style = simplekml.Style()
    site_style.iconstyle.icon.href = ICON
    styles = {}
    for r in rows:
        styles.setdefault(r["norad_id"], _style(r.get("_colour", "#d62728"), 3.0))
    _legend(kml, [(f"{r['name']} ({r['norad_id']})", styles[r["norad_id"]], "", None)
                  for r in {r["norad_id"]: r for r in rows}.values()])
    for s in sites:
        folder = kml.newfolder(name=f"passes over {s.name}")
        point = folder.newpoint(name=s.name, coords=[(s.lon_deg, s.lat_deg)])
        point.style = site_style
        for r, seg in zip(rows, segments):
            if r["site"] != s.name:
                continue
            sub = folder.newfolder(name=f"{r['name']} {iso(r['aos_utc'])}")
            _add_lines(sub, seg["lon_deg"], seg["lat_deg"], f"{r['name']} pass",
                       styles[r["norad_id"]], begin=r["aos_utc"], end=r["los_utc"])
            for line in sub.features:
                line.description = _describe({k: iso(v) if isinstance(v, dt.datetime) else v
                                              for k, v in r.items() if not k.startswith("_")})
    return _finish(kml)


def opportunities(rows, meta: dict) -> bytes:
    kml = _document(meta)
    styles = {}
    for r in rows:
        styles.setdefault(r["norad_id"], _style(r.get("_colour", "#1f77b4")))
    _legend(kml, [(f"{r['name']} ({r['norad_id']})", styles[r["norad_id"]], "", None)
                  for r in {r["norad_id"]: r for r in rows}.values()])
    folder = kml.newfolder(name="opportunities")
    for r in rows:
        point = folder.newpoint(name=f"{r['name']} {iso(r['time_utc'])}",
                                coords=[(r["point_lon_deg"], r["point_lat_deg"])])
        point.style = styles[r["norad_id"]]
        point.timespan.begin = iso(r["start_utc"])
        point.timespan.end = iso(r["end_utc"])
        point.description = _describe({k: iso(v) if isinstance(v, dt.datetime) and
                                       v.utcoffset() == dt.timedelta(0) else
                                       (v.isoformat() if isinstance(v, dt.datetime) else v)
                                       for k, v in r.items() if not k.startswith("_")})
    return _finish(kml)
