"""When Earth-observation satellites can image a place or an area: imaging opportunities.

One call, :func:`opportunities`, answers it with the same search, rule and words as the
CLI's ``orbitview opportunities`` (which calls it): each opportunity's start and end, its
best instant, the off-nadir angle, the view and Sun angles, the GSD, the share of an area
it could image and the share seen so far, the element age and the 90 % timing bound, and
every assumed instrument value the rule rests on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from orbitview.api import inputs
from orbitview.api.common import launch_notes
from orbitview.api.question import Question
from orbitview.api.results import Note, Result, element_info
from orbitview.api.rules import Choice, choose
from orbitview.util.errors import UsageError
from orbitview.util.timeutil import iso

if TYPE_CHECKING:
    from orbitview.api.rules import AccessRule
    from orbitview.data.targets import Target

DEFAULT_DAYS = 7.0
"""Search length when neither ``end``, ``days`` nor ``hours`` is given (the CLI's --days)."""


@dataclass(eq=False, repr=False)
class Opportunities(Result):
    """Imaging opportunities on one target, in time order: one row per opportunity (the
    columns of ``orbitview opportunities --format csv``), with the target, the imaging
    rule (its assumed instrument values in ``notes`` and ``meta["assumptions"]``) and, for
    an area, when all of it had been within a field of regard (:attr:`seen`)."""

    target: Target | None = None
    """The :class:`~orbitview.data.targets.Target` (its sample points, polygon, kind)."""
    rule: AccessRule | None = None
    """The fleet's imaging rule (``rule.for_satellite(norad_id)`` per satellite)."""
    choice: Choice | None = None
    satellites: list = field(default_factory=list)
    seen: dict = field(default_factory=dict)
    """Area share seen by the end (``share_seen_pct``) and when all of it had been seen
    (``fully_seen_utc``, ``hours_to_full``; None: never in this window)."""

    kind = "opportunities"

    def summary(self) -> str:
        m = self.meta
        assert self.target is not None      # opportunities() sets it
        return (f"{len(self.rows)} imaging opportunities on {self.target.name}, "
                f"{iso(m['start'])} to {iso(m['end'])}")

    @property
    def assumptions(self) -> str:
        """The assumed instrument values the rule rests on, in one sentence ('' if none)."""
        return self.meta.get("assumptions") or ""

    def to_dataframe(self):
        """As :meth:`Result.to_dataframe`, with ``time_local`` kept in its zone."""
        frame = super().to_dataframe()
        if "time_local" in frame and len(frame):
            frame["time_local"] = frame["time_local"].dt.tz_convert(self.meta["zone"])
        return frame

    def geometries(self):
        """The sub-satellite point (shapely Point, lon/lat degrees) at each opportunity's
        best instant (``time_utc``); the imaged point is in ``point_lat_deg``,
        ``point_lon_deg``."""
        from shapely.geometry import Point

        from orbitview.orbit.propagate import propagate
        from orbitview.util.timeutil import timescale
        out: list = [None] * len(self.rows)
        by_norad = {s.norad_id: s for s in self.satellites}
        for norad in {r["norad_id"] for r in self.rows}:
            index = [i for i, r in enumerate(self.rows) if r["norad_id"] == norad]
            t = timescale().from_datetimes([self.rows[i]["time_utc"] for i in index])
            p = propagate([by_norad[norad]], t, hold=self.meta["hold"])
            for k, i in enumerate(index):
                out[i] = Point(float(p.lon_deg[0, k]), float(p.lat_deg[0, k]))
        return out

    def to_ics(self, stamp_utc: dt.datetime | None = None) -> bytes:
        """The calendar ``orbitview opportunities --format ics`` writes: one event per
        opportunity (``stamp_utc``: every event's DTSTAMP, default now)."""
        from orbitview.products.opportunities import opportunities_ics
        return opportunities_ics(self, stamp_utc)


def opportunities(satellites, target, start="now", end=None, *, days: float | None = None,
                  hours: float | None = None, max_off_nadir_deg: float | None = None,
                  min_sun_deg: float | None = None, max_view_zenith_deg: float | None = None,
                  elements=None, sensors=None, hold: bool = True, tz: str | None = None,
                  now: dt.datetime | None = None, catalog=None,
                  progress=None) -> Opportunities:
    """When ``satellites`` can image ``target`` from ``start`` for ``days`` (default 7; or
    ``hours``, or until ``end``), at what angle, in what light, and for an area how much
    of it and how soon all of it.

    ``target``: a built-in site, ``"lat,lon"``, a province (``"Sindh"``, ``"KP"``),
    ``"Pakistan"``, a GeoJSON polygon file, a ``(lat, lon)`` pair or a shapely polygon.
    The imaging rule is each instrument's (``data/sensors.csv``, ``sensors=`` files):
    field of regard (``max_off_nadir_deg`` replaces it), daylight for optical imagers
    (``min_sun_deg``), SAR incidence, and ``max_view_zenith_deg`` at the target.  Named
    satellites without an imager are refused; with ``orbitview.ALL`` they are left out
    and named in the notes.  Angles in degrees, times aware UTC; ``time_local`` in ``tz``
    (default Asia/Karachi).  ``progress(done, total)`` is told the satellites searched
    (:mod:`orbitview.util.progress`).

    >>> import orbitview as ov
    >>> ops = ov.opportunities("PRSC-EO1", "Gwadar", "2026-09-06T00:00Z", days=5)
    >>> [r["off_nadir_deg"] for r in ops][:3]  # doctest: +SKIP
    """
    from orbitview.access.opportunities import COLUMNS
    from orbitview.access.opportunities import opportunities as search
    from orbitview.data.localtime import PAKISTAN_ZONE, get_zone
    from orbitview.util.timeutil import check_supported
    q = Question.of(elements, sensors, hold, tz, catalog)
    t0 = q.when(start, None, now, "start")
    t1 = inputs.span(t0, end, hours, days, default_days=DEFAULT_DAYS, tz=q.sources.tz)
    check_supported(t0, t1, "the requested span")
    every = isinstance(satellites, str) and satellites.strip().lower() == inputs.ALL
    sats = q.satellites(satellites)
    instruments = q.sensors()
    if not every:
        _refuse_non_imagers(sats, instruments)
    where = inputs.target(target)
    choice = choose(sats, instruments, "imaging", max_off_nadir_deg=max_off_nadir_deg,
                    min_sun_deg=min_sun_deg, max_view_zenith_deg=max_view_zenith_deg,
                    leave_out_damaged=every)
    rule, used = choice.rule, choice.used
    launched, said = launch_notes(used, t0, t1, "no opportunity before the launch is listed")
    used = [s for s in used if launched.get(s.norad_id, t0) < t1]
    zone = get_zone(q.sources.tz or PAKISTAN_ZONE)
    rows, seen = search(used, where, t0, t1, rule, instruments, zone=zone, hold=q.hold,
                        progress=progress, starts=launched)
    notes = list(q.notes) + choice.notes + said
    stale = stale_note(rows)
    if stale is not None:
        notes.append(stale)
    note = choice.assumption_note
    if note:
        notes.append(Note("assumed", note))
    span_days = (t1 - t0).total_seconds() / 86400.0
    if not rows:
        notes.append(Note("empty", f"no imaging opportunity on {where.name} in "
                          f"{span_days:g} days under {rule.describe()}"))
    title = (f"Imaging opportunities on {where.label()}, {iso(t0)} + {span_days:g} d: "
             + ", ".join(s.name for s in choice.used))
    meta = {"target": where.name, "target_kind": where.kind, "start": t0, "end": t1,
            "days": span_days, "rule": rule.describe(), "access": "imaging access",
            "assumptions": note, "zone": zone, "hold": q.hold, "title": title}
    return Opportunities(rows, list(COLUMNS), [element_info(s, t0, t1, q.hold) for s in used],
                         notes, meta, q.left_out + choice.left_out, target=where, rule=rule,
                         choice=choice, satellites=used, seen=seen)


def _refuse_non_imagers(sats, instruments) -> None:
    """Satellites named one by one must be imagers: a data problem in an instrument row is
    raised as such, a satellite without an imager (or geostationary) is a usage error."""
    from orbitview.util.errors import DataError
    for s in sats:
        sensor = instruments.get(s.norad_id)
        if instruments.problems_for(s):
            raise DataError(instruments.problems_for(s))
        if sensor is None or not sensor.is_imaging or s.is_geo:
            raise UsageError(
                f"{s.name} has no imaging instrument ({s.record.purpose or 'purpose unknown'})"
                ".\nFix: name an Earth-observation satellite (PRSS-1, PakTES-1A, PRSC-EO1, "
                "PRSC-S1, HS-1, PRSC-EO3) or use --all.")


def stale_note(rows) -> Note | None:
    """One note naming each satellite whose element sets are stale, with the oldest age
    among its opportunities and the timing bound at that age (each row gives its own)."""
    from orbitview.data.elements import STALE_AFTER_DAYS
    worst: dict = {}
    for r in rows:
        if abs(r["epoch_age_days"]) > STALE_AFTER_DAYS and \
                abs(r["epoch_age_days"]) >= abs(worst.get(r["name"], {}).get("epoch_age_days",
                                                                               0)):
            worst[r["name"]] = r
    if not worst:
        return None
    parts = []
    for name, r in sorted(worst.items()):
        timing = ("timing unknown: too old to tell where on its orbit it is"
                  if r["timing_error"] == "unknown" else f"timing {r['timing_error']}")
        parts.append(f"{name} (up to {abs(r['epoch_age_days']):.0f} days, {timing})")
    return Note("stale", f"element sets are more than {STALE_AFTER_DAYS:.0f} days from the "
                "opportunities: " + "; ".join(parts) + ". Opportunities of these satellites "
                "are indicative only. Fix: 'orbitview tle update' when online.")
