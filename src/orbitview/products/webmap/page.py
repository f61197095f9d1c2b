"""Build the HTML map page from plain records (see :mod:`orbitview.products.export.records`)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import numpy as np

from orbitview.data.elements import STALE_AFTER_DAYS
from orbitview.products.export.geo import split_line, unwrap_lon
from orbitview.products.unknowns import unknown_text
from orbitview.util.timeutil import iso
from orbitview.util.version import __version__

HERE = Path(__file__).resolve().parent
VENDOR = HERE / "vendor" / "leaflet"

MAX_CATALOGUE_SAMPLES = 5_000_000
"""Satellite-time samples in a catalogue page: 4 bytes each (packed), about 27 MB of HTML."""
CATALOGUE_ABOVE = 300
"""Above this many satellites the page is a catalogue view: every satellite's position
on one canvas, interpolated between samples, without tracks, footprints or labels."""
NO_POSITION = -32768
"""The packed value of a position SGP4 could not compute."""
MAP_STEP_MAX_S = 120.0
"""Largest sample step: cubic interpolation between samples 120 s apart stays within
about 60 m of SGP4 for low orbits (tested in the browser against 'orbitview positions')."""
ONLINE_TILES = {
    "name": "OpenStreetMap (online)",
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": "&copy; OpenStreetMap contributors",
}


def _ms(t: dt.datetime) -> int:
    return int(round(t.timestamp() * 1000))


def _r(values, digits: int) -> list:
    """Rounded floats for JSON, None for NaN."""
    a = np.round(np.asarray(values, float), digits)
    return [None if v != v else float(v) for v in a.ravel()]


def _runs(index: np.ndarray) -> list[list[int]]:
    """[[first sample, value], ...] where ``index`` changes value."""
    index = np.asarray(index)
    starts = np.flatnonzero(np.r_[True, index[1:] != index[:-1]])
    return [[int(s), int(index[s])] for s in starts]


def _track_payload(track, footprint=None) -> dict:
    secs = track.seconds
    step = float(secs[1] - secs[0]) if len(secs) > 1 else 0.0
    pieces = [[[round(float(b), 4), round(float(a), 4)] for a, b in zip(x, y)]
              for x, y in split_line(track.lon_deg, track.lat_deg)]
    out = {
        "name": track.name, "norad_id": track.norad_id, "cospar_id": track.cospar_id,
        "colour": track.colour, "geo": track.is_geo,
        "t0_ms": _ms(track.times_utc[0]), "step_s": step, "n": len(secs),
        "xyz_km": _r(track.itrs_km, 3),
        "element_runs": _runs(track.element_index),
        "elements": [{"epoch_utc": iso(e["epoch_utc"]), "epoch_ms": _ms(e["epoch_utc"]),
                      "source": e["source"], "origin": e["origin"]} for e in track.elements],
        "track": pieces,
        "max_age_days": round(float(np.nanmax(np.abs(track.epoch_age_days))), 2),
        "sgp4_errors": track.sgp4_errors,
        "hold": track.hold,
        "bounds": {"t_ms": [_ms(t) for t, _ in track.bounds],
                   "km": [None if b.phase_lost else round(b.position_km, 1)
                          for _, b in track.bounds],
                   "timing_s": [None if b.timing_s is None or b.phase_lost
                                else round(b.timing_s, 1) for _, b in track.bounds],
                   "phase_lost": [b.phase_lost for _, b in track.bounds],
                   "unknown": [unknown_text(b, at=t) if b.phase_lost else None
                               for t, b in track.bounds],
                   "basis": track.bounds[-1][1].basis if track.bounds else ""},
    }
    if footprint is not None and len(footprint.times_utc):
        out["footprint"] = {
            "t_ms": [_ms(t) for t in footprint.times_utc],
            "sub_lat": _r(footprint.sub_lat_deg, 4),
            **_edge_payload(footprint, footprint.ring_lon_deg, footprint.ring_lat_deg),
            "rule": footprint.rule, "kind": footprint.kind,
        }
        if footprint.inner_lon_deg is not None:     # a radar: the band between two edges
            out["footprint"]["inner"] = _edge_payload(footprint, footprint.inner_lon_deg,
                                                      footprint.inner_lat_deg)
    return out


def _edge_payload(footprint, lon_deg, lat_deg) -> dict:
    """Edge points as longitudes relative to the sub-point (unwrapped) and latitudes."""
    rel = np.array([unwrap_lon(row) for row in lon_deg])
    rel = rel - footprint.sub_lon_deg[:, None]
    rel -= 360.0 * np.round(rel[:, :1] / 360.0)      # first edge point within +-180
    return {"rel_lon": [_r(row, 3) for row in rel], "lat": [_r(row, 3) for row in lat_deg]}


def _bound_near(tracks, norad_id, when):
    """The 90 % bound a track carries nearest ``when`` (None: no track or no bounds)."""
    track = next((t for t in tracks if t.norad_id == norad_id), None)
    if track is None or not track.bounds:
        return None
    return min(track.bounds, key=lambda tb: abs((tb[0] - when).total_seconds()))[1]


def _pass_payload(p) -> dict:
    return {"name": p["name"], "norad_id": p["norad_id"],
            "aos_ms": _ms(p["aos_utc"]), "tca_ms": _ms(p["tca_utc"]),
            "los_ms": _ms(p["los_utc"]),
            "max_elevation_deg": p["max_elevation_deg"],
            "aos_azimuth_deg": p["aos_azimuth_deg"],
            "los_azimuth_deg": p["los_azimuth_deg"],
            "sunlit_at_tca": p["sunlit_at_tca"],
            "in_progress_at_start": p["in_progress_at_start"],
            "in_progress_at_end": p["in_progress_at_end"],
            "unknown": False, "table": p.get("table")}


def _unknown_pass(found) -> dict:
    """The one row of a satellite whose passes over a site have unknown times (``found``:
    its (pass, bound) pairs), as 'orbitview passes' prints it: after the others, 'unknown
    (elements N d old)' in place of its times, no elevation; ``count`` passes."""
    p, bound = max(found, key=lambda pb: abs(pb[1].age_days))
    first, last = found[0][0], found[-1][0]
    return {"name": p["name"], "norad_id": p["norad_id"], "aos_ms": _ms(first["aos_utc"]),
            "tca_ms": None, "los_ms": _ms(last["los_utc"]), "max_elevation_deg": None,
            "aos_azimuth_deg": None, "los_azimuth_deg": None, "sunlit_at_tca": None,
            "in_progress_at_start": False, "in_progress_at_end": False, "unknown": True,
            "count": len(found),
            "table": {"aos": unknown_text(bound, at=p["aos_utc"]), "tca": "unknown",
                      "los": "unknown",
                      "aos_utc": "unknown", "max_el": ""}}


def _sites_payload(sites, passes, notes, tracks=()) -> list[dict]:
    """Each site, its passes and its notes.  The passes of a satellite whose position is
    unknown at them (its bound phase lost) are one row after the others, flagged
    ``unknown``, as 'orbitview passes' prints them; a geostationary satellite's note says
    its visibility, or that it is unknown."""
    out = []
    for site in sites:
        rows, lost = [], {}
        for p in (p for p in passes if p["site"] == site.name):
            b = _bound_near(tracks, p["norad_id"], p["aos_utc"])
            if b is not None and b.phase_lost:
                lost.setdefault(p["norad_id"], []).append((p, b))
            else:
                rows.append(_pass_payload(p))
        rows += [_unknown_pass(found) for found in lost.values()]
        # A geostationary satellite's note as the pass table words it (ov.passes says
        # 'whether it is visible ... is unknown' where its position is).
        said = [n["text"] for n in notes if n["site"] == site.name]
        out.append({"name": site.name, "lat": site.lat_deg, "lon": site.lon_deg,
                    "height_m": site.height_m, "passes": rows, "notes": said})
    return out


def _coverage_payload(cells, metric: str | None = None) -> dict:
    """The coverage layer: per metric its label (with unit), colour scale and each cell's
    colour (None where the cell has no value, e.g. never imaged); ``metric`` (a column)
    is shown first, by default the one ``coverage`` maps for the grid's access kind."""
    from matplotlib import colormaps
    from matplotlib.colors import Normalize, to_hex

    from orbitview.products.export.records import DEFAULT_METRIC, metric_range
    metrics = {}
    for m in cells.metrics:
        values = np.asarray(cells.values[m.column], float)
        vmin, vmax = metric_range(m, values)
        cmap = colormaps[m.cmap]
        rgba = cmap(Normalize(vmin, vmax)(values))
        metrics[m.column] = {
            "label": m.label, "name": m.name, "units": m.units, "option": m.option,
            "blank": m.blank, "vmin": vmin, "vmax": vmax,
            "values": _r(values, 2),
            "colours": [to_hex(c) if v == v else None for c, v in zip(rgba, values)],
            "ramp": [to_hex(cmap(v)) for v in np.linspace(0, 1, 11)],
            "empty": int(np.isnan(values).sum()),
        }
    return {"lat": _r(cells.lat_deg, 5), "lon": _r(cells.lon_deg, 5),
            "resolution_deg": cells.resolution_deg, "source": cells.source,
            "access": cells.access, "rule": cells.rule, "note": cells.note,
            "metric": metric or DEFAULT_METRIC[cells.access], "metrics": metrics}


def catalogue_data(prop) -> dict:
    """Every satellite of a large catalogue at every time, packed for the canvas view.

    Latitude and longitude in hundredths of a degree (about 1 km) as little-endian
    int16, time-major (all satellites at the first time, then the next), base64;
    :data:`NO_POSITION` where SGP4 failed.  Names, NORAD numbers and element epochs
    come along for the hover text, with each one's 90 % error bound
    (:mod:`orbitview.orbit.accuracy`) at the map time farthest from its epoch.
    """
    import base64
    times = prop.times_utc

    def pack(values, wrap=False):
        v = np.asarray(values, float).T                       # (n_time, n_sat)
        if wrap:
            v = (v + 180.0) % 360.0 - 180.0
        out = np.where(np.isnan(v), NO_POSITION, np.round(v * 100.0)).astype("<i2")
        return base64.b64encode(np.ascontiguousarray(out).tobytes()).decode("ascii")

    from orbitview.orbit.accuracy import error_bound
    epochs = [_ms(h[int(ix[-1])].epoch) for h, ix in zip(prop.elements, prop.set_index)]
    # Each object's 90 % bound at the map time farthest from its set's epoch: whole km,
    # or -1 where it is phase lost (where on its orbit the object is, is unknown: no dot).
    ages = np.abs(prop.epoch_age_days)
    bound_km = []
    holds = prop.holds or [None] * len(prop.elements)
    records = prop.records or [None] * len(prop.elements)
    for h, ix, age, hold, record in zip(prop.elements, prop.set_index, ages, holds, records):
        j = int(np.nanargmax(age)) if np.isfinite(age).any() else 0
        es = h[int(ix[j])]
        held = hold is not None and int(ix[j]) == len(h) - 1
        b = error_bound(h, float(age[j]), held=held, element_set=es,
                        record=record)
        bound_km.append(-1 if b.phase_lost else int(round(b.position_km)))
    return {"n_sat": len(prop.names), "n_time": len(times), "t0_ms": _ms(times[0]),
            "step_s": (times[1] - times[0]).total_seconds() if len(times) > 1 else 0.0,
            "names": list(prop.names), "norad_ids": [int(n) for n in prop.norad_ids],
            "epoch_ms": epochs, "bound_km": bound_km, "lat_cdeg": pack(prop.lat_deg),
            "lon_cdeg": pack(prop.lon_deg, wrap=True), "no_position": NO_POSITION}


def map_payload(tracks, footprints=None, sites=(), passes=(), notes=(), sun=None,
                coverage=None, coverage_metric: str | None = None, region=None,
                rule_text: str = "", title: str = "", assumptions: str = "",
                clock=None, catalogue: dict | None = None) -> dict:
    """Everything the page draws, as JSON-ready data.

    ``sun`` is ``(times_utc, subsolar_lat_deg, subsolar_lon_deg)``; ``clock`` (a
    :class:`orbitview.data.localtime.Clock`, default Pakistan's) is the zone local times
    are shown in, with every offset change of the window; ``catalogue``
    (:func:`catalogue_data`) replaces the tracks for a large catalogue.
    """
    from orbitview.products.webmap.basemap_layers import basemap_geojson, label_points
    footprints = {f.norad_id: f for f in (footprints or [])}
    if catalogue is not None:
        start = dt.datetime.fromtimestamp(catalogue["t0_ms"] / 1000, dt.timezone.utc)
        end = start + dt.timedelta(seconds=catalogue["step_s"] * (catalogue["n_time"] - 1))
    else:
        start, end = tracks[0].times_utc[0], tracks[0].times_utc[-1]
    payload = {
        "title": title, "generator": f"orbitview {__version__}",
        "start_ms": _ms(start), "end_ms": _ms(end),
        "start_utc": iso(start), "end_utc": iso(end),
        "stale_after_days": STALE_AFTER_DAYS, "rule": rule_text, "assumptions": assumptions,
        "region": list(region) if region is not None else None,
        "satellites": [_track_payload(t, footprints.get(t.norad_id)) for t in tracks],
        "sites": _sites_payload(sites, passes, notes, tracks or ()),
        "basemap": basemap_geojson(), "province_labels": label_points(),
        "online_tiles": ONLINE_TILES,
        "coverage": _coverage_payload(coverage, coverage_metric) if coverage else None,
    }
    payload["clock"] = _clock_payload(clock, start, end)
    if catalogue is not None:
        payload["catalogue"] = catalogue
    if sun is not None:
        times, lat, lon = sun
        payload["sun"] = {"t_ms": [_ms(t) for t in times], "lat": _r(lat, 4), "lon": _r(lon, 4)}
    return payload


def _clock_payload(clock, start, end) -> dict:
    """The local zone: its name, why it was chosen and its offsets over the window."""
    from orbitview.data.localtime import PAKISTAN_ZONE, Clock, get_zone, zone_changes
    clock = clock or Clock(get_zone(PAKISTAN_ZONE), "default")
    return {"zone": clock.name, "describe": clock.describe(start), "why": clock.why,
            "changes": [{"from_ms": _ms(t), "offset_ms": offset_s * 1000, "abbr": abbr}
                        for t, offset_s, abbr in zone_changes(clock.zone, start, end)]}


def _script_json(data: dict) -> str:
    """JSON safe inside a <script> element."""
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def build_page(payload: dict) -> str:
    """The complete HTML document: Leaflet, styles, data and the page script inlined."""
    template = (HERE / "template.html").read_text(encoding="utf-8")
    vendor = json.loads((VENDOR / "VENDOR.json").read_text())
    parts = {
        "TITLE": html.escape(payload["title"] or "orbitview map"),
        "LEAFLET_CSS": (VENDOR / "leaflet.css").read_text(encoding="utf-8"),
        "LEAFLET_JS": (VENDOR / "leaflet.js").read_text(encoding="utf-8"),
        "LEAFLET_VERSION": f"Leaflet {vendor['version']} ({vendor['license']})",
        "PAGE_CSS": (HERE / "page.css").read_text(encoding="utf-8"),
        "PAGE_JS": (HERE / "page.js").read_text(encoding="utf-8"),
        "DATA": _script_json(payload),
    }
    return re.sub(r"\{\{([A-Z_]+)\}\}", lambda m: parts[m.group(1)], template)
