"""Views built from the answers: the offline HTML map and the animation of the track map.

:func:`web_map` builds the self-contained page ``orbitview map`` writes (its tracks,
footprints, site passes and coverage layer computed here, the page only interpolates and
draws); :func:`animation` writes the GIF or MP4 ``orbitview animate`` writes.  Both
return what they rest on and their warnings as notes, as every answer does.
"""

from __future__ import annotations

import datetime as dt
import html as html_text
import math
from dataclasses import dataclass, field
from pathlib import Path

from orbitview.api import inputs
from orbitview.api.common import launch_notes, notes_of
from orbitview.api.filemeta import names_text
from orbitview.api.question import Question
from orbitview.api.results import Note, element_info
from orbitview.api.rules import choose
from orbitview.util.errors import UsageError
from orbitview.util.timeutil import iso

MAP_HOURS = 6.0
"""Length of the map's window when none is given."""
MAP_STEP_MAX_S = 120.0
"""Largest sample step of the page (it interpolates between samples; see webmap.page)."""
MAX_MAP_SAMPLES = 1_000_000
"""Satellite-time samples in one page: about 55 bytes each of HTML, and the browser holds
several times that; beyond it the page loads slowly or not at all."""
MAP_SAMPLES_WHY = "an offline page stays usable with (about 55 MB of HTML)"
FOOTPRINT_STEP_S = 120.0
"""Seconds between the footprints the page holds."""
SUN_STEP_S = 600.0
"""Seconds between the subsolar points the page's night side follows."""


class CoverageMetricError(UsageError):
    """A coverage metric asked to be shown first that the grid (of the other access kind)
    does not hold; ``metric``, ``access`` (the metric's) and ``grid`` say which."""

    def __init__(self, metric: str, cells):
        from orbitview.products.export.records import grid_metric
        m = grid_metric(metric)
        self.metric, self.access, self.cells = metric, m.access, cells
        others = ", ".join(x.option for x in cells.metrics)
        super().__init__(
            f"coverage_metric={metric!r} is a{'n' if m.access == 'imaging' else ''} "
            f"{m.access}-access metric, but {cells.source} is a grid of {cells.access} "
            f"access.\nFix: give one of {others}, or a grid of {m.access} access "
            f"(ov.coverage(..., access={m.access!r})).")


@dataclass
class WebMap:
    """The offline HTML map: :attr:`html` (one self-contained document), :meth:`save`,
    ``bytes(map)``; :attr:`notes` are the warnings of the answer, :attr:`meta` what it
    holds (satellites, times, passes, whether it is a catalogue view)."""

    html: str
    notes: list[Note] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)
    elements: list = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [n.text for n in self.notes]

    def __bytes__(self) -> bytes:
        return self.html.encode("utf-8")

    def save(self, path) -> Path:
        """Write the page to ``path`` (.html or .htm) atomically; returns the path."""
        from orbitview.util.atomic import atomic_write_text, check_output_path
        path = check_output_path(Path(path), (".html", ".htm"), "path")
        atomic_write_text(path, self.html)
        return path

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html_text.escape(self.html, quote=True)}" '
                'style="width:100%;height:600px;border:0"></iframe>')

    def __repr__(self) -> str:
        m = self.meta
        what = (f"{m['satellites']:,} satellites as a catalogue view" if m.get("catalogue")
                else f"{m['satellites']} satellites, {m['passes']} passes")
        return (f"<WebMap: {what}, {m['times']} times, {len(self.html) / 1e6:.1f} MB"
                + (f"; {len(self.notes)} notes" if self.notes else "") + ">")


def coverage_layer(coverage):
    """The cells of the map's coverage layer: from a coverage answer (``ov.coverage``), or
    read from a cell CSV (``orbitview coverage --grid-csv``, ``export coverage``)."""
    from orbitview.products.export.records import coverage_cells, read_grid_csv
    if coverage is None:
        return None
    if hasattr(coverage, "run") and hasattr(coverage, "cell_columns"):
        m = coverage.meta
        return coverage_cells(coverage.run, m["rule"], f"coverage of {m['region']}",
                              m.get("assumptions") or "")
    if isinstance(coverage, (str, Path)):
        return read_grid_csv(coverage)
    raise UsageError(f"coverage={coverage!r} is not a coverage layer.\nFix: give the answer "
                     "of ov.coverage(...) or the path of a cell CSV ('orbitview coverage "
                     "--grid-csv FILE').")


def shown_metric(cells, metric: str | None):
    """The column of ``metric`` (a ``--metric`` name) in ``cells``, or None for the
    default; a :class:`CoverageMetricError` when the grid does not hold it."""
    if metric is None:
        return None
    from orbitview.products.export.records import GRID_METRICS, grid_metric
    if metric not in {m.option for m in GRID_METRICS.values()}:
        raise UsageError(f"coverage_metric={metric!r} is not a coverage metric.\nFix: give "
                         "one of " + ", ".join(m.option for m in GRID_METRICS.values()) + ".")
    m = grid_metric(metric)
    if m.column not in cells.values:
        raise CoverageMetricError(metric, cells)
    return m.column


def pass_table_cells(rows, clock) -> list[dict]:
    """Each pass as 'orbitview passes' prints it in its compact table (the same code): local
    AOS, TCA and LOS with their dates, '*' where a pass is under way at an end of the
    window, AOS in UTC, the maximum elevation to 0.1 deg."""
    from orbitview.products.passtable import TIME_FORMATS, table_rows
    return [{"aos": t["aos"], "tca": t["tca"], "los": t["los"], "aos_utc": t["aos_utc_text"],
             "max_el": f"{t['max_el']:.1f}"} for t in table_rows(rows, clock, TIME_FORMATS[1])]


def _sun(t, times, step_s: float):
    from orbitview.products.export.records import subsolar_points
    k = max(1, round(SUN_STEP_S / step_s))
    index = sorted({*range(0, len(times), k), len(times) - 1})
    lat, lon = subsolar_points(t[index])
    return [times[i] for i in index], lat, lon


def _site_notes(table, sites) -> list[dict]:
    """The page's per-site notes: a geostationary satellite always or never in view."""
    out = []
    for n in table.notes:
        if n.kind != "geo":
            continue
        site = next((s for s in sites if f" visible from {s.name} (" in n.text), None)
        if site is not None:
            out.append({"site": site.name, "norad_id": n.norad_id, "text": n.text})
    return out


def web_map(satellites, start="now", end=None, *, hours: float | None = None,
            days: float | None = None, step_s: float = 60.0, sites=(), region="world",
            access: str | None = None, min_elevation_deg: float | None = None, mask=None,
            max_off_nadir_deg: float | None = None, min_sun_deg: float | None = None,
            coverage=None, coverage_metric: str | None = None, footprints: bool = True,
            elements=None, sensors=None, hold: bool = True, tz=None,
            now: dt.datetime | None = None, catalog=None) -> WebMap:
    """The self-contained HTML map of ``satellites`` from ``start`` (default: now) for
    ``hours`` or ``days`` (default 6 h; or until ``end``), positions every ``step_s``
    seconds (at most 120; the page interpolates): time slider, tracks, footprints under
    the access rule ``passes`` uses (``footprints=False`` leaves them out), the passes
    over ``sites`` with their table, the night side, and a coverage layer (``coverage``:
    an ``ov.coverage`` answer or a cell CSV; ``coverage_metric`` shown first).
    ``region`` sets the initial view (world, pakistan, a province, W,E,S,N).  More than
    300 satellites make a catalogue view (every position as a dot, nothing else; the
    notes name what it leaves out).  Works with the network off.

    >>> import orbitview as ov
    >>> page = ov.web_map(["PRSS-1", "PakSat-MM1"], "2026-11-21T00:00Z", hours=3,
    ...                   sites=["Islamabad"], region="Punjab")
    >>> page.save("map.html")                                          # doctest: +SKIP
    """
    from orbitview.api.common import window_grid
    from orbitview.api.figures import view_clock
    from orbitview.api.observe import passes as find
    from orbitview.orbit.propagate import propagate
    from orbitview.products.export.records import footprint_series
    from orbitview.products.export.records import tracks as track_records
    from orbitview.products.webmap import build_page, map_payload
    from orbitview.products.webmap.page import (
        CATALOGUE_ABOVE,
        MAX_CATALOGUE_SAMPLES,
        catalogue_data,
    )
    q = Question.of(elements, sensors, hold, tz, catalog)
    wheres = []
    for s in ([sites] if isinstance(sites, str) else list(sites)):
        where = inputs.site(s)
        if where not in wheres:
            wheres.append(where)
    extent = inputs.region(region).extent
    cells = coverage_layer(coverage)
    shown_first = shown_metric(cells, coverage_metric) if cells is not None else None
    t0 = q.when(start, wheres[0] if wheres else None, now, "start")
    t1 = inputs.span(t0, end, hours, days, default_days=MAP_HOURS / 24.0, tz=q.sources.tz)
    step = inputs.number(step_s, "step_s", 1.0, MAP_STEP_MAX_S)
    every = isinstance(satellites, str) and satellites.strip().lower() == inputs.ALL
    sats = q.satellites(satellites)
    catalogue = len(sats) > CATALOGUE_ABOVE
    t = window_grid(sats, t0, t1, step, MAX_CATALOGUE_SAMPLES if catalogue
                    else MAX_MAP_SAMPLES, MAP_SAMPLES_WHY)
    _, said = launch_notes(sats, t0, t1)
    prop = propagate(sats, t, hold=q.hold)
    notes = q.notes + said + notes_of(prop)
    times = prop.times_utc
    span_h = (times[-1] - times[0]).total_seconds() / 3600.0
    clock = view_clock(q.shown_in or q.sources.tz, wheres[0] if wheres else None)
    infos = [element_info(s, t0, t1, q.hold) for s in sats]
    sun = _sun(t, times, step)
    if catalogue:
        dropped = [name for name, given in (
            ("sites", bool(wheres)), ("coverage", cells is not None),
            ("coverage_metric", coverage_metric is not None),
            ("footprints", not footprints), ("access", access is not None),
            ("min_elevation_deg", min_elevation_deg is not None), ("mask", mask is not None),
            ("max_off_nadir_deg", max_off_nadir_deg is not None),
            ("min_sun_deg", min_sun_deg is not None)) if given]
        if dropped:
            notes.append(Note("catalogue", f"{len(sats):,} satellites (more than "
                              f"{CATALOGUE_ABOVE}) make a catalogue view: positions as dots, "
                              "without the tracks, footprints, passes and coverage layer a "
                              f"browser could not hold for so many; so {', '.join(dropped)} "
                              f"do not apply and were left out. Fix: name at most "
                              f"{CATALOGUE_ABOVE} satellites for them (passes: ov.passes)."))
        payload = map_payload([], sun=sun, region=extent, catalogue=catalogue_data(prop),
                              clock=clock,
                              title=f"{len(prop.names):,} satellites: {iso(times[0])} + "
                                    f"{span_h:g} h")
        meta = {"start": t0, "end": t1, "step_s": step, "satellites": len(prop.names),
                "times": len(times), "passes": 0, "catalogue": True}
        return WebMap(build_page(payload), notes, meta, list(q.left_out), infos)
    choice = choose(sats, q.sensors(), access, min_elevation_deg, mask, max_off_nadir_deg,
                    min_sun_deg, leave_out_damaged=every)
    rule = choice.rule
    notes += choice.notes
    rule_text = f"{choice.access_words}: {rule.describe()}"
    tracks = track_records(prop)
    fps = footprint_series(prop, rule, every=max(1, round(FOOTPRINT_STEP_S / step))) \
        if footprints else None
    rows, site_notes = [], []
    if wheres:
        table = find(choice.used, wheres, times[0], times[-1], access=access,
                     min_elevation_deg=min_elevation_deg, mask=mask,
                     max_off_nadir_deg=max_off_nadir_deg, min_sun_deg=min_sun_deg,
                     sensors=sensors, hold=q.hold, tz=clock, catalog=q.catalog)
        rows = [r for r in table.rows if r["tca_utc"] is not None]
        site_notes = _site_notes(table, wheres)
        for r, text in zip(rows, pass_table_cells(rows, clock)):
            r["table"] = text
    names = names_text([tr.name for tr in tracks]) if len(tracks) <= 4 else \
        f"{len(tracks)} satellites"
    payload = map_payload(
        tracks, fps, wheres, rows, site_notes, sun, cells, shown_first, extent, rule_text,
        title=f"{names}: {iso(times[0])} + {span_h:g} h", assumptions=choice.assumption_note,
        clock=clock)
    meta = {"start": t0, "end": t1, "step_s": step, "satellites": len(tracks),
            "times": len(times), "passes": len(rows), "catalogue": False,
            "rule": rule.describe(), "access": choice.access_words,
            "assumptions": choice.assumption_note}
    return WebMap(build_page(payload), notes, meta, q.left_out + choice.left_out, infos)


# --------------------------------------------------------------------------- animation

ANIMATION_HOURS = 2.0
"""Length of an animation when none is given."""
MP4_FIX = ("writing MP4 needs the ffmpeg that the imageio-ffmpeg package ships, and it "
           "is not installed.\nFix: pip install 'orbitview[video]' (or write a .gif).")


@dataclass
class AnimationFile:
    """What :func:`animation` wrote: the file, its frames, their size in pixels and the
    frame rate, and the notes of the answer (stale elements, SGP4 failures, launches)."""

    path: Path
    frames: int
    size_px: tuple[int, int]
    """Width and height of the frames, pixels."""
    fps: float
    notes: list[Note] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)
    elements: list = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [n.text for n in self.notes]

    def __fspath__(self) -> str:
        return str(self.path)

    def __repr__(self) -> str:
        return (f"<AnimationFile: {self.path}, {self.frames} frames of {self.size_px[0]}x"
                f"{self.size_px[1]} px at {self.fps:g} fps"
                + (f"; {len(self.notes)} notes" if self.notes else "") + ">")


def animation(satellites, path, start="now", end=None, *, hours: float | None = None,
              days: float | None = None, step_s: float | None = None, region="world",
              fps: float = 12.0, trail_min: float = 30.0, footprints: bool = False,
              access: str | None = None, min_elevation_deg: float | None = None, mask=None,
              max_off_nadir_deg: float | None = None, min_sun_deg: float | None = None,
              dpi: int = 100, progress=None, elements=None, sensors=None, hold: bool = True,
              tz=None, now: dt.datetime | None = None, catalog=None) -> AnimationFile:
    """An animation of the track map written to ``path`` (.gif through Pillow; .mp4 needs
    the ``video`` extra): ``satellites`` from ``start`` (default: now) for ``hours`` or
    ``days`` (default 2 h; or until ``end``), a frame every ``step_s`` seconds of orbit
    (default 30 on a regional map, 60 on the world) shown at ``fps``, each satellite
    trailing its last ``trail_min`` minutes, the night side, a clock in UTC and local
    time, and with ``footprints`` the footprints under the access rule ``passes`` uses.
    ``region``: world, pakistan, a province or W,E,S,N.  The memory it needs is checked
    first.  ``progress(done, total)`` is told each frame written (frames; the protocol of
    :mod:`orbitview.util.progress`, as for :func:`orbitview.coverage`).

    >>> import orbitview as ov
    >>> ov.animation(["PRSS-1", "HS-1"], "day.gif", "2026-11-21T00:00Z", hours=2,
    ...              region="pakistan")                                # doctest: +SKIP
    """
    import importlib.util
    import time

    from orbitview.api.figures import view_clock
    from orbitview.data.sites import load_sites
    from orbitview.products.animate import (
        MAX_FRAMES,
        Animation,
        frames_for,
        memory_bytes,
        write_gif,
        write_mp4,
    )
    from orbitview.util import budget
    from orbitview.util.atomic import check_output_path
    from orbitview.util.errors import OrbitviewError
    from orbitview.util.timeutil import check_supported
    path = check_output_path(Path(path), (".gif", ".mp4"), "path")
    q = Question.of(elements, sensors, hold, tz, catalog)
    reg = inputs.region(region)
    extent = reg.extent
    t0 = q.when(start, None, now, "start")
    t1 = inputs.span(t0, end, hours, days, default_days=ANIMATION_HOURS / 24.0,
                     tz=q.sources.tz)
    span_h = (t1 - t0).total_seconds() / 3600.0
    step = inputs.number(step_s if step_s is not None else (60.0 if extent is None else 30.0),
                         "step_s", 1.0, 3600.0)
    rate = inputs.number(fps, "fps", 1.0, 60.0)
    trail = inputs.number(trail_min, "trail_min", 0.0, 600.0)
    dots = int(inputs.number(dpi, "dpi", 20, 600))
    mp4 = path.suffix.lower() == ".mp4"
    if mp4 and importlib.util.find_spec("imageio_ffmpeg") is None:
        raise OrbitviewError(MP4_FIX)
    n_frames = int(math.floor(span_h * 3600.0 / step + 1e-9)) + 1
    if n_frames > MAX_FRAMES:
        raise UsageError(f"{n_frames} frames ({span_h:g} h every {step:g} s) is more than "
                         f"{MAX_FRAMES}.\nFix: give a larger step (--step; step_s=) or a shorter "
                         "span (--hours or --days).")
    if n_frames < 2:
        raise UsageError(f"--hours {span_h:g} is shorter than one --step of {step:g} s.\n"
                         "Fix: give a longer window or a smaller step.")
    check_supported(t0, t1, "the requested span")
    sats = q.satellites(satellites)
    _, said = launch_notes(sats, t0, t1)
    notes = q.notes + said
    rule, left_out = None, list(q.left_out)
    if footprints:
        every = isinstance(satellites, str) and satellites.strip().lower() == inputs.ALL
        choice = choose(sats, q.sensors(), access, min_elevation_deg, mask,
                        max_off_nadir_deg, min_sun_deg, leave_out_damaged=every)
        rule = choice.rule
        notes += choice.notes
        left_out += choice.left_out
    frames = frames_for(sats, t0, span_h, step, rule, hold=q.hold)
    notes += notes_of(frames.prop)
    started = time.perf_counter()
    movie = Animation(frames, extent, trail_min=trail, dpi=dots,
                      sites=load_sites().values() if reg.polygons else (),
                      clock=view_clock(q.shown_in or q.sources.tz))
    try:
        w, h = movie.size
        budget.require(memory_bytes(movie, gif=not mp4),
                       f"{'an MP4' if mp4 else 'a GIF'} of {len(movie)} frames of {w}x{h} px",
                       "give a larger --step, a shorter --hours or a lower --dpi"
                       + ("" if mp4 else ", or write .mp4 (its frames are streamed to ffmpeg)"))
        (write_mp4 if mp4 else write_gif)(movie, path, rate, progress)
        n = len(movie)
    finally:
        movie.close()
    spent = time.perf_counter() - started
    meta = {"start": t0, "end": t1, "step_s": step, "region": reg.name,
            "seconds_per_frame": spent / n, "satellites": list(frames.prop.names)}
    return AnimationFile(path, n, (w, h), rate, notes, meta, left_out,
                         [element_info(s, t0, t1, q.hold) for s in sats])
