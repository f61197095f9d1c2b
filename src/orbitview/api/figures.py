"""Figures from the front door: the same maps and plots the CLI saves, as matplotlib
figures (``fig.savefig(...)`` or shown in a notebook).  matplotlib and cartopy are
imported only here and below, when a figure is asked for."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

from orbitview.api import inputs
from orbitview.api.common import launch_notes, notes_of
from orbitview.api.question import Question
from orbitview.api.results import Note
from orbitview.util.errors import UsageError

if TYPE_CHECKING:
    from orbitview.data.localtime import Clock

TRACK_BYTES_PER_POINT = 400
"""Memory a track point costs from propagation to the drawn figure (propagation ~60 bytes;
matplotlib's paths, transformed copies and the seam splitting hold several more)."""
MOST_TRACK_MIN = 30 * 1440.0
"""The longest track a map draws, minutes (30 days)."""


def track_window(at: dt.datetime, before_min: float, after_min: float, step_s: float):
    """A time grid around ``at`` that contains ``at`` exactly; returns (t, at_index)."""
    from orbitview.util.timeutil import check_supported, time_grid
    if before_min < 0 or after_min < 0:
        raise UsageError("--before and --after are minutes and cannot be negative.\n"
                         "Fix: give e.g. --before 45 --after 90.")
    n_before = math.ceil(before_min * 60.0 / step_s - 1e-9)
    start = at - dt.timedelta(seconds=n_before * step_s)
    end = at + dt.timedelta(seconds=after_min * 60.0)
    check_supported(start, end, "the requested span")
    return time_grid(start, end, step_s), n_before


class Figure:
    """A matplotlib figure with the notes that go with it (stale elements, launches).

    ``figure`` is None when there was nothing to draw (no pass found): the notes then
    say why (a note of kind ``empty``) and :meth:`savefig` refuses."""

    def __init__(self, figure, notes: list[Note], propagation=None, meta=None,
                 left_out=None):
        self.figure, self.notes, self.propagation = figure, notes, propagation
        self.meta = dict(meta or {})
        """What was asked and found (site, window, rule, the pass drawn), as plain values."""
        self.left_out = list(left_out or [])
        """Objects left out because of a data problem (the CLI then exits 1)."""

    def __bool__(self) -> bool:
        return self.figure is not None

    def savefig(self, path, **options):
        from orbitview.products.plotting import save_figure
        if self.figure is None:
            raise UsageError(f"there is no figure to save: {self.warnings[-1]}\n"
                             "Fix: ask again with a longer window or a lower minimum "
                             "elevation.")
        save_figure(self.figure, path, **options)

    @property
    def warnings(self) -> list[str]:
        return [n.text for n in self.notes]

    def _repr_png_(self):
        import io
        if self.figure is None:
            return None
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=100)
        return buf.getvalue()

    def __repr__(self) -> str:
        if self.figure is None:
            return f"<Figure: nothing drawn; {len(self.notes)} notes>"
        return f"<Figure: {len(self.figure.axes)} axes; {len(self.notes)} notes>"


def track_map(satellites, at="now", *, before_min: float = 45.0, after_min: float = 95.0,
              orbits: float | None = None, step_s: float = 30.0, region="world",
              central_longitude: float | None = None, swath: bool = False,
              max_off_nadir_deg: float | None = None, min_sun_deg: float | None = None,
              elements=None, sensors=None, hold: bool = True, tz: str | None = None,
              now: dt.datetime | None = None, catalog=None) -> Figure:
    """Ground tracks around ``at``: past dashed, future solid, the terminator, a legend
    and a caption with every element set's epoch, age and 90 % bound (the CLI's
    ``track``).  ``orbits`` sets the future track to that many orbits of the slowest
    low-orbit satellite; ``swath`` draws imaging satellites' field of regard."""
    from orbitview.api.rules import choose
    from orbitview.orbit.propagate import propagate
    from orbitview.products.maps import DEFAULT_CENTRAL_LONGITUDE, track_figure
    from orbitview.util.budget import limit_bytes, require
    q = Question.of(elements, sensors, hold, tz, catalog)
    reg = inputs.region(region)
    t_at = q.when(at, None, now, "at")
    step = inputs.number(step_s, "step_s", positive=True)
    sats = q.satellites(satellites)
    if orbits is not None:
        periods = [1440.0 / s.latest.mean_motion_rev_per_day for s in sats
                   if not s.latest.is_deep_space]
        after_min = inputs.number(orbits, "orbits", positive=True) * (
            max(periods) if periods else 1436.0)
        if after_min > MOST_TRACK_MIN:
            raise UsageError(f"--orbits {orbits:g} is {after_min / 1440:.1f} days of track, "
                             f"more than the {MOST_TRACK_MIN / 1440:g} days a track covers."
                             "\nFix: give fewer orbits.")
    if central_longitude is not None and central_longitude >= 180:
        central_longitude -= 360.0
    points = ((before_min + after_min) * 60.0 / step + 2) * len(sats)
    require(points * TRACK_BYTES_PER_POINT, f"a track of {points:,.0f} points",
            f"give --step {step * points * TRACK_BYTES_PER_POINT / (0.9 * limit_bytes()):.3g} "
            "or larger, or a shorter --before/--after")
    t, at_index = track_window(t_at, before_min, after_min, step)
    _, notes = launch_notes(sats, t_at - dt.timedelta(minutes=before_min),
                            t_at + dt.timedelta(minutes=after_min))
    prop = propagate(sats, t, hold=q.hold)
    notes = q.notes + notes + notes_of(prop)
    swath_rule = None
    if swath:
        choice = choose(sats, q.sensors(), "imaging", max_off_nadir_deg=max_off_nadir_deg,
                        min_sun_deg=min_sun_deg)
        swath_rule = choice.rule
        notes += choice.notes
    fig = track_figure(prop, at_index, reg.extent,
                       central_longitude if central_longitude is not None
                       else DEFAULT_CENTRAL_LONGITUDE, swath_rule=swath_rule,
                       clock=view_clock(q.shown_in or q.sources.tz))
    return Figure(fig, notes, prop)


def view_clock(tz: str | Clock | None = None, site=None):
    """The zone a figure shows local times in: ``tz``, a built-in site's, else Pakistan's
    (the zone the maps are made for)."""
    from orbitview.data.localtime import PAKISTAN_ZONE, Clock, get_zone
    clock = tz if isinstance(tz, Clock) else inputs.clock(tz, site)
    if clock.why == "default":
        return Clock(get_zone(PAKISTAN_ZONE), "Pakistan's zone by default (--tz changes it)")
    return clock


def track_figure_of(prop, at_index: int = 0, region="world", central_longitude=None,
                    tz: str | None = None):
    """A ground-track figure of an existing propagation (``Positions.plot``)."""
    from orbitview.products.maps import DEFAULT_CENTRAL_LONGITUDE, track_figure
    reg = inputs.region(region)
    return track_figure(prop, at_index, reg.extent,
                        DEFAULT_CENTRAL_LONGITUDE if central_longitude is None
                        else central_longitude, clock=view_clock(tz))


def pass_sky_plot(table, index: int | None = None, rule_text: str | None = None):
    """The polar sky plot of pass ``index`` (default: the first that crosses the sky) of a
    :class:`~orbitview.api.observe.PassTable`, as a matplotlib figure.  A row without
    naked-eye visibility (a table asked for without ``visible=True``) gets it first, so
    the plot shows where the pass is sunlit and can be seen."""
    rows = [i for i, r in enumerate(table.rows) if r["tca_utc"] is not None]
    if not rows:
        raise UsageError("this table has no pass with a culmination to plot (a "
                         "geostationary satellite does not cross the sky).\nFix: ask for a "
                         "low-orbit satellite's passes.")
    i = rows[0] if index is None else index
    if not -len(table.rows) <= i < len(table.rows):
        raise UsageError(f"index {i} is not a row of this table of {len(table.rows)} "
                         f"passes.\nFix: give an index from 0 to {len(table.rows) - 1}.")
    row = table.rows[i]
    if row["tca_utc"] is None:
        raise UsageError(f"row {i} ({row['name']}) is a geostationary satellite in view all "
                         "along: it does not cross the sky.\nFix: give the index of a pass "
                         f"with a TCA, e.g. {rows[0]}.")
    sat = next(s for s in table.satellites if s.norad_id == row["norad_id"])
    meta = table.meta
    bound = table.bounds[i] if i < len(getattr(table, "bounds", []) or []) else None
    site = next((w for w in meta.get("sites") or [] if w.name == row.get("site")),
                meta["site"])
    return pass_figure(sat, site, row, meta["clock"], rule_text or meta["rule"],
                       hold=meta["hold"], bound=bound,
                       twilight=meta.get("twilight") or "civil")


def pass_figure(sat, site, row, clock, rule_text: str, hold: bool = True, bound=None,
                twilight: str = "civil"):
    """The polar sky plot of one pass row (``find_passes`` keys): the row gains naked-eye
    visibility (on a copy) when it lacks it, and ``bound`` goes in the caption."""
    from orbitview.access.sighting import add_visibility, load_magnitudes, sample_pass
    from orbitview.products.skyplot import sky_figure
    row = dict(row)
    if "visible" not in row:
        add_visibility([row], sat, site, twilight, load_magnitudes(), hold=hold)
    if bound is not None:
        row["_bound"] = bound
    samples = sample_pass(sat, site, row["aos_utc"], row["los_utc"], hold=hold)
    return sky_figure(sat, site, row, samples, clock, rule_text)
