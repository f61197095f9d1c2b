"""CZML (CesiumJS's time-dynamic scene format) from plain records, via czml3.

A document packet sets Cesium's clock to the window.  Each satellite is a
packet with Earth-fixed (``referenceFrame: FIXED``) position samples in
metres, as orbitview computed them, interpolated by Lagrange polynomials of
degree 5, an availability interval, a point, a label and a path (one orbit
behind and ahead).  Footprints and swath pieces are available for their own
time spans, passes are links drawn from the site to the satellite between
AOS and LOS (references to both positions), coverage cells are coloured
rectangles.  Rings stay unwrapped (a globe has no seam); a footprint that
encloses a pole is drawn as a closed outline, as Cesium polygons cannot hold
a pole.

Times where SGP4 could not compute a position (NaN) are left out of the samples;
a satellite with no position at all in the window gets no packet, and the
document's description names it and why (CZML cannot hold a position without
samples).
"""

from __future__ import annotations

import datetime as dt
import html
import json

import numpy as np

from orbitview.products.export.geo import ring_winding_deg
from orbitview.util.timeutil import iso

INTERPOLATION_DEGREE = 5


def _offset(x: float, y: float):
    from czml3.types import Cartesian2Value
    return Cartesian2Value(values=[x, y])


def _rgba(hex_rgb: str, alpha: int = 255) -> list[int]:
    h = hex_rgb.lstrip("#")
    return [int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16), alpha]


def _interval(start: dt.datetime, end: dt.datetime) -> str:
    return f"{iso(start)}/{iso(end)}"


def _describe(rows: dict) -> str:
    cells = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
                    for k, v in rows.items() if v not in (None, ""))
    return f"<table>{cells}</table>"


def _document(meta: dict, start: dt.datetime, end: dt.datetime, description: str = ""):
    from czml3 import Packet
    from czml3.properties import Clock
    return Packet(id="document", name=meta.get("title", "orbitview"), version="1.0",
                  description=description or _describe(
                      {k: v for k, v in meta.items() if isinstance(v, (str, int, float))}),
                  clock=Clock(interval=_interval(start, end), currentTime=iso(start),
                              multiplier=60, range="LOOP_STOP", step="SYSTEM_CLOCK_MULTIPLIER"))


def _left_out_note(left_out: list[str]) -> str:
    """The document description's line naming satellites without a position (or '')."""
    if not left_out:
        return ""
    return ("<p>Left out: " + html.escape(", ".join(left_out)) + ": SGP4 could not compute "
            "any position of them in this window (decayed, or too far from their element "
            "sets' epochs).</p>")


def _finish(packets) -> bytes:
    doc = [json.loads(p.to_json()) for p in packets]
    return (json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _satellite_packet(pid, name, colour, times, itrs_km, availability, description,
                      period_s: float | None = None):
    """A satellite: FIXED position samples (m) with Lagrange interpolation, point, label, path."""
    from czml3 import Packet
    from czml3.properties import (
        Color,
        Label,
        Path,
        Point,
        PolylineMaterial,
        Position,
        SolidColorMaterial,
    )
    ok = ~np.isnan(itrs_km[:, 0])
    epoch = times[0]
    samples = []
    for t, xyz in zip(np.asarray(times, object)[ok], itrs_km[ok]):
        samples += [round((t - epoch).total_seconds(), 3),
                    *(round(float(v) * 1000.0, 1) for v in xyz)]
    lead = trail = float(period_s) if period_s else None
    return Packet(
        id=pid, name=name, description=description, availability=availability,
        position=Position(epoch=iso(epoch), referenceFrame="FIXED", cartesian=samples,
                          interpolationAlgorithm="LAGRANGE",
                          interpolationDegree=INTERPOLATION_DEGREE),
        point=Point(color=Color(rgba=_rgba(colour)), pixelSize=9,
                    outlineColor=Color(rgba=[255, 255, 255, 255]), outlineWidth=1.5),
        label=Label(text=name, font="13px sans-serif", fillColor=Color(rgba=_rgba(colour)),
                    outlineColor=Color(rgba=[0, 0, 0, 255]), outlineWidth=2,
                    style="FILL_AND_OUTLINE", pixelOffset=_offset(12, 0), horizontalOrigin="LEFT"),
        path=Path(material=PolylineMaterial(solidColor=SolidColorMaterial(
                      color=Color(rgba=_rgba(colour, 200)))),
                  width=1.5, leadTime=lead, trailTime=trail, resolution=60))


def _ring_packet(pid, parent, name, colour, lon, lat, availability, description, alpha=60,
                 hole=None):
    """A ring on the ground: a filled polygon (less ``hole``, an inner ring (lon, lat) such
    as a radar's near edge), or a closed outline when it encloses a pole."""
    from czml3 import Packet
    from czml3.properties import (
        Color,
        Material,
        Polygon,
        Polyline,
        PolylineMaterial,
        PositionList,
        PositionListOfLists,
        SolidColorMaterial,
    )
    lon = [round(float(v), 6) for v in lon]
    lat = [round(float(v), 6) for v in lat]
    if abs(ring_winding_deg(lon)) > 180.0:
        coords = [v for a, b in zip(lon + lon[:1], lat + lat[:1]) for v in (a, b, 0.0)]
        return Packet(id=pid, parent=parent, name=name, availability=availability,
                      description=description,
                      polyline=Polyline(positions=PositionList(cartographicDegrees=coords),
                                        width=2, clampToGround=True,
                                        material=PolylineMaterial(solidColor=SolidColorMaterial(
                                            color=Color(rgba=_rgba(colour)))),
                                        arcType="GEODESIC"))
    coords = [v for a, b in zip(lon, lat) for v in (a, b, 0.0)]
    holes = None
    if hole is not None:
        holes = PositionListOfLists(cartographicDegrees=[
            [v for a, b in zip(*hole) for v in (round(float(a), 6), round(float(b), 6), 0.0)]])
    return Packet(id=pid, parent=parent, name=name, availability=availability,
                  description=description,
                  polygon=Polygon(positions=PositionList(cartographicDegrees=coords), holes=holes,
                                  material=Material(solidColor=SolidColorMaterial(
                                      color=Color(rgba=_rgba(colour, alpha)))),
                                  outline=True, outlineColor=Color(rgba=_rgba(colour)),
                                  height=0.0))


def _folder(pid, name):
    from czml3 import Packet
    return Packet(id=pid, name=name)


def _period_s(track) -> float | None:
    r = np.linalg.norm(track.itrs_km, axis=1)
    r = r[~np.isnan(r)]
    if track.is_geo or len(track.times_utc) < 3 or not len(r):
        return None
    return float(2 * np.pi * np.sqrt(r.mean() ** 3 / 398600.4418))


def _valid_samples(itrs_km) -> bool:
    """Whether an (n, 3) position array holds at least one computed position."""
    a = np.asarray(itrs_km, float).reshape(-1, 3)
    return bool(len(a)) and bool((~np.isnan(a[:, 0])).any())


def _label(name, norad_id) -> str:
    return f"{name} ({norad_id})"


# --------------------------------------------------------------------------- writers

def _meta_description(meta: dict, left_out: list[str]) -> str:
    return _describe({k: v for k, v in meta.items()
                      if isinstance(v, (str, int, float))}) + _left_out_note(left_out)


def tracks(tracks_, meta: dict) -> bytes:
    start = meta.get("start_utc") or tracks_[0].times_utc[0]
    end = meta.get("end_utc") or tracks_[0].times_utc[-1]
    usable = [tr for tr in tracks_ if _valid_samples(tr.itrs_km)]
    left_out = [_label(tr.name, tr.norad_id) for tr in tracks_ if tr not in usable]
    packets = [_document(meta, start, end, _meta_description(meta, left_out))]
    for tr in usable:
        es = tr.elements[-1]
        bound = tr.bounds[-1][1].text() if tr.bounds else ""
        ages = np.abs(np.asarray(tr.epoch_age_days, float))
        ages = ages[~np.isnan(ages)]
        packets.append(_satellite_packet(
            f"sat-{tr.norad_id}", tr.name, tr.colour, tr.times_utc, tr.itrs_km,
            _interval(start, end),
            _describe({"NORAD": tr.norad_id, "COSPAR": tr.cospar_id,
                       "elements epoch (UTC)": iso(es["epoch_utc"]),
                       "greatest age (days)": f"{ages.max():.2f}" if len(ages) else "",
                       "error bound": bound, "source": es["source"], "file": es["origin"],
                       "hold": tr.hold}), _period_s(tr)))
    return _finish(packets)


def footprints(series, meta: dict) -> bytes:
    usable = [fs for fs in series if len(fs.times_utc)]
    left_out = [_label(fs.name, fs.norad_id) for fs in series if not len(fs.times_utc)]
    times = [t for fs in usable for t in fs.times_utc]
    start = meta.get("start_utc") or (min(times) if times else None)
    end = meta.get("end_utc") or (max(times) if times else None)
    if start is None:
        raise ValueError("a CZML footprint export needs start_utc and end_utc in meta "
                         "when no satellite has a footprint")
    packets = [_document(meta, start, end, _meta_description(meta, left_out))]
    for fs in usable:
        parent = f"footprints-{fs.norad_id}"
        packets.append(_folder(parent, f"{fs.name} footprints ({fs.rule})"))
        for k, when in enumerate(fs.times_utc):
            until = fs.times_utc[k + 1] if k + 1 < len(fs.times_utc) else when
            packets.append(_ring_packet(
                f"{parent}-{k}", parent, f"{fs.name} {iso(when)}", fs.colour,
                fs.ring_lon_deg[k], fs.ring_lat_deg[k], _interval(when, until),
                _describe({"time (UTC)": iso(when), "access": fs.kind, "rule": fs.rule,
                           "element age (days)": f"{fs.epoch_age_days[k]:.2f}"}),
                hole=None if fs.inner_lon_deg is None else
                (fs.inner_lon_deg[k], fs.inner_lat_deg[k])))
    return _finish(packets)


def swaths(bands, meta: dict) -> bytes:
    start = meta.get("start_utc") or min(b.start_utc for b in bands)
    end = meta.get("end_utc") or max(b.end_utc for b in bands)
    packets = [_document(meta, start, end)]
    parents = set()
    for k, b in enumerate(bands):
        parent = f"swaths-{b.norad_id}-{b.band}"
        if parent not in parents:
            parents.add(parent)
            packets.append(_folder(parent, f"{b.name} {b.band.replace('_', ' ')}"))
        for j, poly in enumerate(getattr(b.geometry, "geoms", [b.geometry])):
            x, y = poly.exterior.coords.xy
            packets.append(_ring_packet(
                f"{parent}-{k}-{j}", parent, f"{b.name} {iso(b.start_utc)}", b.colour,
                list(x)[:-1], list(y)[:-1], _interval(b.start_utc, b.end_utc),
                _describe({"band": b.band, "rule": b.rule, "assumed": "; ".join(b.assumptions)}),
                alpha=90))
    return _finish(packets)


def coverage(cells, meta: dict, metric: str = "") -> bytes:
    """Cells as rectangles coloured by ``metric`` (a column; default the first), every
    metric in each description; the document names the metric, its unit, the access and
    the colour ramp.  Cells without a value (never imaged, ...) are grey."""
    from czml3 import Packet
    from czml3.properties import (
        Color,
        Material,
        Rectangle,
        RectangleCoordinates,
        SolidColorMaterial,
    )
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    from orbitview.products.export.records import GRID_METRICS, metric_range
    m = GRID_METRICS[metric or next(iter(cells.values))]
    values = np.asarray(cells.values[m.column], float)
    norm = Normalize(*metric_range(m, values))
    cmap = colormaps[m.cmap]

    def rgb(f):
        return ",".join(str(int(c * 255)) for c in cmap(f)[:3])
    ramp = "".join(f"<tr><td style='background:rgb({rgb(f)})"
                   f"'>&nbsp;&nbsp;&nbsp;</td><td>{norm.inverse(f):.4g} {html.escape(m.units)}"
                   f"</td></tr>" for f in np.linspace(0, 1, 6))
    if np.isnan(values).any():
        ramp += (f"<tr><td style='background:rgb(158,158,158)'>&nbsp;&nbsp;&nbsp;</td>"
                 f"<td>{html.escape(m.blank or 'no value')}</td></tr>")
    start = meta.get("start_utc")
    end = meta.get("end_utc")
    packets = [_document(meta, start, end, _describe(
        {k: v for k, v in meta.items() if isinstance(v, (str, int, float))})
        + f"<p>{html.escape(m.label)} ({html.escape(m.column)}), "
          f"{html.escape(cells.access)} access</p><table>{ramp}</table>")]
    h = cells.resolution_deg / 2
    for k in range(len(values)):
        la, lo_ = float(cells.lat_deg[k]), float(cells.lon_deg[k])
        rgba = ([158, 158, 158, 110] if values[k] != values[k] else
                [int(round(c * 255)) for c in cmap(norm(values[k]))[:3]] + [190])
        packets.append(Packet(
            id=f"cell-{k}", name=f"{la:.3f}, {lo_:.3f}",
            description=_describe(cells.describe_cell(k)),
            rectangle=Rectangle(coordinates=RectangleCoordinates(
                wsenDegrees=[lo_ - h, la - h, lo_ + h, la + h]),
                material=Material(solidColor=SolidColorMaterial(color=Color(rgba=rgba))),
                fill=True)))
    return _finish(packets)


def passes(rows, segments, sites, meta: dict) -> bytes:
    """Sites, the satellites during their passes, and a site-satellite link per pass."""
    from czml3 import Packet
    from czml3.properties import (
        Color,
        Label,
        Point,
        Polyline,
        PolylineMaterial,
        Position,
        PositionList,
        SolidColorMaterial,
    )
    start, end = meta["start_utc"], meta["end_utc"]
    packets = [_document(meta, start, end)]
    for s in sites:
        packets.append(Packet(
            id=f"site-{s.name}", name=s.name,
            position=Position(cartographicDegrees=[s.lon_deg, s.lat_deg, s.height_m]),
            point=Point(color=Color(rgba=[255, 255, 255, 255]), pixelSize=7,
                        outlineColor=Color(rgba=[0, 0, 0, 255]), outlineWidth=2),
            label=Label(text=s.name, font="12px sans-serif", pixelOffset=_offset(10, 0),
                        horizontalOrigin="LEFT", fillColor=Color(rgba=[255, 255, 255, 255]))))
    by_sat: dict[int, list] = {}
    for r, seg in zip(rows, segments):
        by_sat.setdefault(r["norad_id"], []).append((r, seg))
    for norad, items in by_sat.items():
        items.sort(key=lambda rs: rs[0]["aos_utc"])
        times, xyz = [], []
        for _, seg in items:
            for t, p in zip(seg["times_utc"], seg["itrs_km"]):
                if (not times or t > times[-1]) and not np.isnan(np.asarray(p, float)).any():
                    times.append(t)
                    xyz.append(p)
        r0 = items[0][0]
        if not times:                        # no position to draw the link to: the site
            continue                         # packets stay, the rows are in the other formats
        colour = r0.get("_colour", "#d62728")
        packets.append(_satellite_packet(
            f"sat-{norad}", r0["name"], colour, times, np.array(xyz),
            [_interval(r["aos_utc"], r["los_utc"]) for r, _ in items],
            _describe({"NORAD": norad, "passes": len(items)})))
        for k, (r, _) in enumerate(items):
            packets.append(Packet(
                id=f"pass-{norad}-{r['site']}-{k}", name=f"{r['name']} over {r['site']}",
                availability=_interval(r["aos_utc"], r["los_utc"]),
                description=_describe({key: iso(v) if isinstance(v, dt.datetime) else v
                                       for key, v in r.items() if not key.startswith("_")}),
                polyline=Polyline(positions=PositionList(
                    references=[f"site-{r['site']}#position", f"sat-{norad}#position"]),
                    width=2, arcType="NONE", material=PolylineMaterial(
                        solidColor=SolidColorMaterial(color=Color(rgba=_rgba(colour)))))))
    return _finish(packets)


def opportunities(rows, meta: dict) -> bytes:
    from czml3 import Packet
    from czml3.properties import Color, Label, Point, Position
    packets = [_document(meta, meta["start_utc"], meta["end_utc"])]
    for k, r in enumerate(rows):
        colour = r.get("_colour", "#1f77b4")
        packets.append(Packet(
            id=f"opportunity-{k}", name=f"{r['name']} {iso(r['time_utc'])}",
            availability=_interval(r["start_utc"], r["end_utc"]),
            description=_describe({key: v.isoformat() if isinstance(v, dt.datetime) else v
                                   for key, v in r.items() if not key.startswith("_")}),
            position=Position(cartographicDegrees=[r["point_lon_deg"], r["point_lat_deg"], 0.0]),
            point=Point(color=Color(rgba=_rgba(colour)), pixelSize=10),
            label=Label(text=r["name"], font="12px sans-serif", pixelOffset=_offset(10, 0),
                        horizontalOrigin="LEFT", fillColor=Color(rgba=_rgba(colour)))))
    return _finish(packets)
