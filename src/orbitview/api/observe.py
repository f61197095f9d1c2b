"""Where satellites are and who sees them: positions, passes, look angles, where each one
is now, footprints and the sky plot of a pass.

Each function answers one question, with the same rules the CLI uses (it calls these):
station-kept geostationary satellites held at their slot (``hold=False`` for raw SGP4),
times as aware instants, and every stale element set, SGP4 failure and pre-launch time
said in the result's notes.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from orbitview.api import inputs
from orbitview.api.common import launch_notes, notes_of, state_notes
from orbitview.api.question import Question
from orbitview.api.results import Note, Result, element_info
from orbitview.api.rules import Choice, choose, radio_rule
from orbitview.util.errors import PropagationError, UsageError
from orbitview.util.timeutil import iso, round_event_times

if TYPE_CHECKING:
    from orbitview.api.rules import AccessRule
    from orbitview.data.catalog import Satellite
    from orbitview.data.elements import ElementSet
    from orbitview.data.external import ExternalSatellite
    from orbitview.orbit.accuracy import ErrorBound
    from orbitview.orbit.geohold import Hold
    from orbitview.orbit.propagate import RunNotes
    from orbitview.orbit.sgp4run import Propagation
    from orbitview.products.export.records import FootprintSeries

STALE_DAYS = 14.0


# --------------------------------------------------------------------------- passes

PASS_COLUMNS = ["norad_id", "name", "aos_utc", "tca_utc", "los_utc", "aos_local", "tca_local",
                "los_local", "timezone", "max_elevation_deg", "aos_azimuth_deg",
                "los_azimuth_deg", "direction", "duration_s", "sunlit_at_tca",
                "site_sun_elevation_deg", "epoch_age_days", "timing_bound_s",
                "position_bound_km", "phase_lost", "in_progress_at_start",
                "in_progress_at_end"]
VISIBLE_COLUMNS = ["visible", "visible_start_utc", "visible_end_utc", "visible_s",
                   "shadow_entry_utc", "magnitude", "magnitude_source"]
TWILIGHTS = {"civil": -6.0, "nautical": -12.0, "astronomical": -18.0}


@dataclass(eq=False, repr=False)
class PassTable(Result):
    """Passes over a site: one row per pass, AOS/TCA/LOS in UTC and local time, maximum
    elevation, direction, sunlight, element age and the 90 % timing and position bounds.
    A geostationary satellite in view all window long is one row without a TCA.  A row
    whose bound is phase lost (``phase_lost``) keeps SGP4's times, flagged: where on its
    orbit the satellite is cannot be said, so the CLI's table, the calendar and the sky
    plot do not give them as facts."""

    satellites: list = field(default_factory=list)
    bounds: list = field(default_factory=list)
    """The :class:`~orbitview.orbit.accuracy.ErrorBound` of each row (None: none)."""
    choice: Choice | None = None

    kind = "passes"

    def summary(self) -> str:
        m = self.meta
        over = ", ".join(w.name for w in m.get("sites") or [m["site"]])
        return (f"{len(self.rows)} passes over {over}, {iso(m['start'])} to "
                f"{iso(m['end'])} ({m['rule']})")

    def geometries(self):
        """Each pass's sub-satellite track from AOS to LOS (a LineString; a point for a
        geostationary row)."""
        from shapely.geometry import LineString, Point

        from orbitview.products.export.records import pass_tracks
        out = []
        for r in self.rows:
            if r["tca_utc"] is None:
                lat, lon = _subpoint(self.satellites, r, self.meta["hold"])
                out.append(Point(lon, lat))
                continue
            track = pass_tracks(self.satellites, [r], hold=self.meta["hold"])[0]
            out.append(LineString(list(zip(track["lon_deg"], track["lat_deg"]))))
        return out

    def plot(self, index: int | None = None, **options):
        """The polar sky plot of pass ``index`` (default: the first with a TCA whose time
        is known).  A pass whose time is unknown (``phase_lost``: where on its orbit the
        satellite is cannot be said) is not drawn: asked for, it is refused with why."""
        from orbitview.api.figures import pass_sky_plot
        if index is None:
            culminate = [k for k, r in enumerate(self.rows) if r["tca_utc"] is not None]
            index = next((k for k in culminate if not self.rows[k].get("phase_lost")),
                         culminate[0] if culminate else None)
        if index is not None and -len(self.rows) <= index < len(self.rows) \
                and self.rows[index].get("phase_lost"):
            from orbitview.products.unknowns import reason
            r, b = self.rows[index], self.bounds[index]
            sat = next((s for s in self.satellites if s.norad_id == r["norad_id"]), None)
            why = reason(r["name"], b, getattr(sat, "record", None), r["aos_utc"])
            raise UsageError(
                f"pass {index} of this table ({r['name']}) cannot be drawn: {why}, so its "
                "time and path across the sky are unknown.\nFix: plot a row whose "
                "phase_lost is False, or fetch current elements ('orbitview tle update "
                f"{r['norad_id']}' when online) and ask again.")
        return pass_sky_plot(self, index, **options)


def _subpoint(sats, row, hold):
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    sat = next(s for s in sats if s.norad_id == row["norad_id"])
    p = propagate([sat], time_grid(row["aos_utc"], row["aos_utc"], 1.0), hold=hold)
    return float(p.lat_deg[0, 0]), float(p.lon_deg[0, 0])


def passes(satellites, site, start="now", end=None, *, days: float | None = None,
           hours: float | None = None, access: str | None = None,
           min_elevation_deg: float | None = None, mask=None,
           max_off_nadir_deg: float | None = None, min_sun_deg: float | None = None,
           visible: bool = False, twilight: str = "civil", elements=None, sensors=None,
           hold: bool = True, tz: str | None = None, now: dt.datetime | None = None,
           catalog=None) -> PassTable:
    """Every pass of ``satellites`` over ``site`` from ``start`` (default: now) for
    ``days`` (default 1; or ``hours``, or until ``end``; ``start="tonight"`` searches
    sunset to sunrise at the site).

    ``site`` may be a list of sites: the passes over each, in AOS order, each row naming
    its site (the columns then begin with ``site``, ``site_lat_deg``, ``site_lon_deg``,
    ``site_height_m``; every row carries them).  ``access``: ``"radio"`` (elevation >=
    ``min_elevation_deg``, default 10, and the horizon ``mask``) or ``"imaging"`` (the
    instrument's field of regard, daylight for optical imagers); default: imaging for
    Earth-observation satellites, radio for the others.  ``visible=True`` keeps the
    passes one can see by eye (sunlit satellite, dark sky per ``twilight``).
    Geostationary satellites in view all along get one row.

    >>> import orbitview as ov
    >>> table = ov.passes("PRSS-1", "Islamabad", "2026-09-07T00:00Z", days=1, access="radio")
    >>> [r["max_elevation_deg"] for r in table][:2]  # doctest: +SKIP
    >>> ov.passes("PRSS-1", ["Islamabad", "Karachi"], "2026-09-07T00:00Z").to_dataframe()
    ... # doctest: +SKIP
    """
    from orbitview.access.passes import find_passes, geo_visibility
    q = Question.of(elements, sensors, hold, tz, catalog)
    several = _several_sites(site)
    wheres = _unique([inputs.site(s) for s in site]) if several else [inputs.site(site)]
    where = wheres[0]
    t0 = q.when(start, where, now, "start")
    t1 = inputs.span(t0, end, hours, days, tz=q.sources.tz, at_site=where)
    if twilight not in TWILIGHTS:
        raise UsageError(f"twilight={twilight!r} is not civil, nautical or astronomical.\n"
                         "Fix: give twilight='civil' (Sun below -6 deg), 'nautical' (-12) or "
                         "'astronomical' (-18).")
    sats = q.satellites(satellites)
    if visible and access is None:
        access = "radio"                 # seeing it by eye is about elevation, not imaging
    choice = choose(sats, q.sensors(), access, min_elevation_deg, mask, max_off_nadir_deg,
                    min_sun_deg, leave_out_damaged=isinstance(satellites, str)
                    and satellites.strip().lower() == inputs.ALL)
    rule, sats = choice.rule, choice.used
    notes = list(q.notes) + choice.notes
    notes += state_notes(sats, t0, t1, q.hold)
    launched, said = launch_notes(sats, t0, t1, "no pass before the launch is listed")
    notes += said
    sats = [s for s in sats if launched.get(s.norad_id, t0) <= t1]
    rows, geo, empty = [], [], []
    for here in wheres:
        found, searched = [], []
        for sat in sats:
            if sat.latest.is_deep_space and sat.norad_id not in launched:
                own = rule.for_satellite(sat)
                state = geo_visibility(sat, here, t0, t1, own, hold=q.hold)
                if state is not None:
                    geo.append(Note("geo", _geo_note(sat, here, state, own, t0, q.hold),
                                    sat.norad_id))
                    if state["visible"] == "continuously":
                        found.append(_always_up(sat, t0, t1, state))
                    continue
            searched.append(sat)
        if searched:
            found += find_passes(searched, here, t0, t1, rule, hold=q.hold)   # one search
        found = [r for r in found if r["aos_utc"] >= launched.get(r["norad_id"], t0)]
        round_event_times(found)
        if visible:
            found = _sighting(found, sats, here, twilight, q.hold)
        for r in found:
            r.update(site=here.name, site_lat_deg=here.lat_deg, site_lon_deg=here.lon_deg,
                     site_height_m=here.height_m)
        if not found:
            empty.append(here)
        rows += found
    rows.sort(key=lambda r: (r["aos_utc"], wheres.index(next(w for w in wheres
                                                             if w.name == r["site"]))))
    notes += geo
    for here in empty:
        notes.append(Note("empty", f"no {'visible ' if visible else ''}passes of "
                          f"{', '.join(s.name for s in sats) or 'any satellite'} over "
                          f"{here.name} from {iso(t0)} to {iso(t1)} ({rule.describe()})."))
    clock = q.clock(where)
    bounds = pass_extras(rows, sats, clock, q.hold)
    columns = ((SITE_COLUMNS if several else []) + PASS_COLUMNS
               + (VISIBLE_COLUMNS if visible else []))
    meta = {"site": where, "sites": wheres, "start": t0, "end": t1, "rule": rule.describe(),
            "access": choice.access_words, "visible": visible, "twilight": twilight,
            "clock": clock, "hold": q.hold,
            "assumptions": choice.assumption_note}
    return PassTable(rows, columns, [element_info(s, t0, t1, q.hold) for s in sats], notes,
                     meta, satellites=sats, bounds=bounds, choice=choice,
                     left_out=q.left_out + choice.left_out)


SITE_COLUMNS = ["site", "site_lat_deg", "site_lon_deg", "site_height_m"]
"""Columns that name the site of a pass (first when :func:`passes` is given several)."""


def _several_sites(value) -> bool:
    """A list (or tuple) of sites rather than one site given as (lat, lon[, h])."""
    from orbitview.data.sites import Site
    if isinstance(value, (str, Site)) or not isinstance(value, (list, tuple)):
        return False
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    if numbers and value:
        return False
    if not value:
        raise UsageError("the list of sites is empty.\nFix: name at least one site "
                         "(e.g. 'Islamabad', or 'lat,lon').")
    return True


def _unique(sites: list) -> list:
    """Each site once (a repeat would list every pass twice)."""
    out = []
    for s in sites:
        if s not in out:
            out.append(s)
    return out


def _geo_note(sat, where, state, rule, t0, hold) -> str:
    """The note of a geostationary satellite always (or never) in view: its elevation
    range, or, when where on its orbit it is cannot be said, that this is unknown."""
    from orbitview.access.passes import geo_note
    from orbitview.orbit.accuracy import error_bound
    from orbitview.orbit.geohold import hold_for
    from orbitview.products.unknowns import reason
    age = sat.latest.age_days(t0)
    held = hold_for(sat, sat.latest, age, hold)
    bound = error_bound(sat, age, held=held is not None)
    if not bound.phase_lost:
        return geo_note(sat, where, state, rule)
    why = reason(sat.name, bound, getattr(sat, "record", None), t0)
    return (f"{sat.name} ({sat.norad_id}): {why}, so whether it is visible from "
            f"{where.name} ({rule.describe()}) is unknown")


def _always_up(sat, t0, t1, state) -> dict:
    return {"norad_id": sat.norad_id, "name": sat.name, "aos_utc": t0, "tca_utc": None,
            "los_utc": t1, "max_elevation_deg": round(state["max_elevation_deg"], 2),
            "aos_azimuth_deg": None, "los_azimuth_deg": None,
            "duration_s": int((t1 - t0).total_seconds()), "sunlit_at_tca": None,
            "site_sun_elevation_deg": None, "epoch_age_days": round(sat.latest.age_days(t0), 2),
            "in_progress_at_start": True, "in_progress_at_end": True}


def _sighting(rows, sats, where, twilight, hold):
    """Naked-eye visibility added to each pass; only the visible passes kept."""
    from orbitview.access.sighting import add_visibility, load_magnitudes
    magnitudes = load_magnitudes()
    by_norad = {s.norad_id: s for s in sats}
    for norad in {r["norad_id"] for r in rows}:
        add_visibility([r for r in rows if r["norad_id"] == norad], by_norad[norad], where,
                       twilight, magnitudes, hold=hold)
    return [r for r in rows if r.get("visible")]


def pass_extras(rows, sats, clock, hold: bool = True) -> list:
    """Add local times, direction and the 90 % bounds to pass rows; the bounds, per row."""
    from orbitview.access.sighting import direction
    from orbitview.orbit.accuracy import error_bound
    from orbitview.orbit.geohold import hold_for
    by_norad = {s.norad_id: s for s in sats}
    cache, bounds = {}, []
    for r in rows:
        sat = by_norad.get(r["norad_id"])
        for key in ("aos", "tca", "los"):
            t = r.get(f"{key}_utc")
            r[f"{key}_local"] = clock.local(t) if t is not None else None
        r["timezone"] = clock.name
        r["direction"] = direction(r)
        bound = None
        if sat is not None:
            cached = (sat.norad_id, round(r["epoch_age_days"], 1))
            if cached not in cache:
                held = hold_for(sat, sat.latest, r["epoch_age_days"], hold)
                cache[cached] = error_bound(sat, r["epoch_age_days"], held=held is not None)
            bound = cache[cached]
        r["timing_bound_s"] = (None if bound is None or bound.timing_s is None
                               else round(bound.timing_s, 1))
        r["position_bound_km"] = None if bound is None else round(bound.position_km, 1)
        r["phase_lost"] = bool(bound is not None and bound.phase_lost)
        bounds.append(bound)
    return bounds


# --------------------------------------------------------------------------- look

LOOK_COLUMNS = ["time_utc", "norad_id", "name", "site", "site_lat_deg", "site_lon_deg",
                "site_height_m", "azimuth_deg", "elevation_deg", "range_km", "visible", "rule",
                "elements_epoch_utc", "epoch_age_days", "source", "local_time", "timezone",
                "held_slot_lon_deg", "position_bound_km", "timing_bound_s",
                "pointing_bound_deg", "phase_lost"]


@dataclass(eq=False, repr=False)
class LookAngles(Result):
    """Where to point a dish or telescope at one instant: azimuth, elevation, range, with
    the element set, the held slot and the 90 % bound as pointing degrees.  When the
    bound is phase lost (``row["phase_lost"]``) where on its orbit the satellite is cannot
    be said: the angles are SGP4's from a set that no longer places it, not where to
    point (the CLI says 'unknown')."""

    satellite: Satellite | ExternalSatellite | None = None
    bound: ErrorBound | None = None
    hold: Hold | None = None
    element_set: ElementSet | None = None

    kind = "look angles"

    @property
    def row(self) -> dict:
        return self.rows[0]

    def summary(self) -> str:
        r = self.row
        if r.get("phase_lost"):
            from orbitview.products.unknowns import unknown_text
            return (f"{r['name']} from {r['site']} at {iso(r['time_utc'])}: azimuth, "
                    "elevation and range "
                    + unknown_text(self.bound, getattr(self.satellite, "record", None),
                                   r["time_utc"]))
        return (f"{r['name']} from {r['site']} at {iso(r['time_utc'])}: azimuth "
                f"{r['azimuth_deg']:.2f}, elevation {r['elevation_deg']:.2f} deg, "
                f"range {r['range_km']:.0f} km")


def look(satellite, site, at="now", *, min_elevation_deg: float | None = None, mask=None,
         elements=None, hold: bool = True, tz: str | None = None,
         now: dt.datetime | None = None, catalog=None) -> LookAngles:
    """Azimuth, elevation and range of one satellite from ``site`` at ``at``."""
    from orbitview.access.passes import site_view
    from orbitview.orbit.accuracy import error_bound
    from orbitview.orbit.geohold import hold_for
    from orbitview.util.timeutil import timescale
    q = Question.of(elements, None, hold, tz, catalog)
    where = inputs.site(site)
    t_at = q.when(at, where, now, "at")
    [sat] = q.satellites(satellite if not isinstance(satellite, (list, tuple))
                         else list(satellite)[:1])
    rule = radio_rule(min_elevation_deg, mask)
    _, notes = launch_notes([sat], t_at, t_at, "this is where it would be had it been in orbit")
    t = timescale().from_datetime(t_at)
    t = t.ts.tt_jd([t.tt])
    az, el, rng = site_view(sat, where, t, hold=q.hold)
    if not all(math.isfinite(float(v[0])) for v in (az, el, rng)):
        raise PropagationError(
            f"SGP4 cannot compute {sat.name} ({sat.norad_id}) at {iso(t_at)}: "
            + "; ".join(n.text for n in state_notes([sat], t_at, t_at, q.hold)) + ".\n"
            "Fix: choose a time nearer the element epoch, or fetch current elements with "
            f"'orbitview tle update {sat.norad_id}' (a decayed object has none).")
    es = min(sat.elements, key=lambda e: abs(e.age_days(t_at)))
    age = es.age_days(t_at)
    clock = q.clock(where)
    held = hold_for(sat, es, age, q.hold)
    bound = error_bound(sat, age, held=held is not None, element_set=es)
    row = {"time_utc": t_at, "norad_id": sat.norad_id, "name": sat.name, "site": where.name,
           "site_lat_deg": where.lat_deg, "site_lon_deg": where.lon_deg,
           "site_height_m": where.height_m,
           "azimuth_deg": round(float(az[0]), 3), "elevation_deg": round(float(el[0]), 3),
           "range_km": round(float(rng[0]), 3),
           "visible": bool(rule.margin_deg(az, el)[0] >= 0),
           "rule": rule.describe(), "elements_epoch_utc": es.epoch.replace(microsecond=0),
           "epoch_age_days": round(age, 2), "source": es.source,
           "local_time": clock.local(t_at).isoformat(), "timezone": clock.name,
           "held_slot_lon_deg": None if held is None else round(held.slot_lon_deg, 2),
           "position_bound_km": round(bound.position_km, 1),
           "timing_bound_s": None if bound.timing_s is None else round(bound.timing_s, 1),
           "pointing_bound_deg": round(bound.pointing_deg(float(rng[0])), 3),
           "phase_lost": bool(bound.phase_lost)}
    if bound.phase_lost:
        from orbitview.products.unknowns import reason
        notes.append(Note("stale", f"at {iso(t_at)}, "
                          f"{reason(sat.name, bound, getattr(sat, 'record', None), t_at)}"
                          f", so its azimuth, elevation and range from {where.name} are "
                          "unknown. Fix: 'orbitview tle update' when online.", sat.norad_id))
    elif abs(age) > STALE_DAYS:
        notes.append(Note("stale", f"{sat.name}'s element set is {abs(age):.0f} days from "
                          f"{iso(t_at)}: {bound.text()}, {row['pointing_bound_deg']:.2f} deg of "
                          f"pointing from {where.name}. Fix: 'orbitview tle update' when online.",
                          sat.norad_id))
    info = element_info(sat, t_at, t_at, q.hold)
    meta = {"site": where, "at": t_at, "rule": rule.describe(), "clock": clock, "hold": q.hold}
    return LookAngles([row], list(LOOK_COLUMNS), [info], q.notes + notes, meta, satellite=sat,
                      bound=bound, hold=held, element_set=es)


# --------------------------------------------------------------------------- positions

POSITION_COLUMNS = ["time_utc", "norad_id", "name", "lat_deg", "lon_deg", "altitude_km",
                    "sunlit", "epoch_age_days"]


@dataclass(eq=False, repr=False)
class Positions(Result):
    """Sub-satellite points over time: arrays of shape (satellite, time) with the
    :class:`~orbitview.orbit.sgp4run.Propagation` behind them."""

    propagation: Propagation | None = None

    kind = "positions"

    # A property over Result's field, which mypy refuses ("Dataclass attribute may only be
    # overridden by another attribute"); it works: __init__ sets the field through the
    # setter, and the rows are built from the propagation when first read.
    @property  # type: ignore[misc]
    def rows(self) -> list[dict]:
        """One row per satellite and time, time-major (built when first asked for: arrays
        of a long window need not become dicts)."""
        if self._rows is None:
            self._rows: list[dict] | None = position_rows(self.propagation)
        return self._rows

    @rows.setter
    def rows(self, value) -> None:
        self._rows = list(value) if value else None

    def records(self) -> list[dict]:
        """One row per satellite and time, time-major (built when first asked for)."""
        return self.rows

    def __iter__(self):
        return iter(self.records())

    def __getitem__(self, index):
        return self.records()[index]

    @property
    def times_utc(self) -> list[dt.datetime]:
        assert self.propagation is not None     # position_chunks() sets it
        return self.propagation.times_utc

    def summary(self) -> str:
        p = self.propagation
        assert p is not None
        return (f"{len(p.names)} satellites x {len(p.times_utc)} times, "
                f"{iso(p.times_utc[0])} to {iso(p.times_utc[-1])}")

    def __len__(self) -> int:
        p = self.propagation
        assert p is not None
        return len(p.names) * len(p.times_utc)

    def to_xarray(self):
        """An xarray Dataset on (satellite, time): lat_deg, lon_deg, altitude_km, sunlit,
        epoch_age_days, with units and the element sets in attrs."""
        xr = require_xarray()
        p = self.propagation
        assert p is not None
        times = np.array([t.replace(tzinfo=None) for t in p.times_utc], "datetime64[ns]")
        coords = {"satellite": p.names, "time": times,
                  "norad_id": ("satellite", np.array(p.norad_ids))}

        def var(values, units, long_name):
            return (("satellite", "time"), values, {"units": units, "long_name": long_name})
        data = {"lat_deg": var(p.lat_deg, "degrees_north", "WGS84 geodetic latitude"),
                "lon_deg": var(p.lon_deg, "degrees_east", "longitude"),
                "altitude_km": var(p.altitude_km, "km", "height above the WGS84 ellipsoid"),
                "epoch_age_days": var(p.epoch_age_days, "days",
                                      "time minus the epoch of the element set used")}
        if p.sunlit is not None:
            data["sunlit"] = (("satellite", "time"), p.sunlit, {"long_name": "in sunlight"})
        ds = xr.Dataset(data, coords=coords)
        ds["time"].attrs["timezone"] = "UTC"
        ds.attrs.update({k: str(v) for k, v in self.provenance().items()})
        return ds

    def geometries(self):
        from shapely.geometry import Point
        return [Point(r["lon_deg"], r["lat_deg"]) if r["lat_deg"] is not None else None
                for r in self.records()]

    def plot(self, at_index: int = 0, region="world", **options):
        """A ground-track map of these positions, the satellites marked at ``at_index``."""
        from orbitview.api.figures import track_figure_of
        return track_figure_of(self.propagation, at_index, region, **options)


def require_xarray():
    from orbitview.api.results import require
    return require("xarray", "to_xarray()")


def _r(value, digits):
    value = float(value)
    return None if value != value else round(value, digits)


def position_rows(prop) -> list[dict]:
    """The rows of ``orbitview positions`` for a propagation, time-major."""
    age = prop.epoch_age_days
    rows = []
    for j, when in enumerate(prop.times_utc):
        for i in range(len(prop.names)):
            lat = prop.lat_deg[i, j]
            rows.append({"time_utc": when, "norad_id": prop.norad_ids[i],
                         "name": prop.names[i], "lat_deg": _r(lat, 5),
                         "lon_deg": _r(prop.lon_deg[i, j], 5),
                         "altitude_km": _r(prop.altitude_km[i, j], 3),
                         "sunlit": None if lat != lat or prop.sunlit is None
                         else bool(prop.sunlit[i, j]),
                         "epoch_age_days": round(float(age[i, j]), 3)})
    return rows


POSITION_CHUNK_ROWS = 20_000
"""Rows propagated at once when positions are read chunk by chunk (memory holds one chunk)."""


@dataclass(eq=False, repr=False)
class PositionChunks:
    """A positions question, its rows propagated chunk by chunk: iterate for one
    :class:`Positions` per chunk (steps ``start + j * step_s``, every satellite), so that
    memory holds one chunk however long the window.

    :attr:`notes` are what is known before any row (objects skipped, launches); the SGP4
    failures and stale element sets of the whole run are :meth:`run_notes`, once the
    chunks have been read (each said once, whatever the number of chunks).
    """

    satellites: list
    start: dt.datetime
    end: dt.datetime
    step_s: float
    n_steps: int
    """Time steps from start to end inclusive (as ``time_grid`` makes them)."""
    sunlit: bool = True
    hold: bool = True
    chunk_rows: int = POSITION_CHUNK_ROWS
    notes: list = field(default_factory=list)
    elements: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    left_out: list = field(default_factory=list)
    _run: RunNotes | None = None
    _ids: tuple = ((), ())

    @property
    def n_rows(self) -> int:
        """Rows in all: steps x satellites."""
        return self.n_steps * len(self.satellites)

    def time(self, step: int) -> dt.datetime:
        """The time of step ``step``: ``start + step * step_s``."""
        return self.start + dt.timedelta(seconds=step * self.step_s)

    def __iter__(self):
        per_chunk = max(1, int(self.chunk_rows) // max(1, len(self.satellites)))
        for a in range(0, self.n_steps, per_chunk):
            yield self.chunk(a, min(a + per_chunk, self.n_steps))

    def chunk(self, first: int, stop: int) -> Positions:
        """Steps ``first`` to ``stop - 1`` as :class:`Positions` (its notes: see
        :meth:`run_notes`)."""
        from orbitview.orbit.propagate import RunNotes, propagate
        from orbitview.util.timeutil import time_grid
        prop = propagate(self.satellites, time_grid(self.time(first), self.time(stop - 1),
                                                    self.step_s),
                         sunlit=self.sunlit, hold=self.hold)
        said = RunNotes.of(prop, first)
        self._run = said if self._run is None else self._run.merge(said)
        self._ids = (prop.names, prop.norad_ids)
        meta = {**self.meta, "start": self.time(first), "end": self.time(stop - 1)}
        return Positions([], list(POSITION_COLUMNS), self.elements, [], meta,
                         propagation=prop)

    def whole(self) -> Positions:
        """Every step in one :class:`Positions`, with every note of the run."""
        out = self.chunk(0, self.n_steps)
        out.meta = dict(self.meta)
        out.notes = list(self.notes) + self.run_notes()
        out.left_out = list(self.left_out)
        return out

    def run_notes(self) -> list[Note]:
        """SGP4 failures and stale element sets over the chunks read so far, per
        satellite (its failures, then its staleness), in the words ``propagate`` uses."""
        if self._run is None:
            return []
        names, norads = self._ids
        out = []
        for norad, lines in zip(norads, self._run.messages(names, norads, self.n_steps,
                                                           self.time)):
            out += [Note("sgp4" if "SGP4 error" in m else "stale", m, norad) for m in lines]
        return out

    def __repr__(self) -> str:
        return (f"<PositionChunks: {len(self.satellites)} satellites x {self.n_steps:,} "
                f"times, {iso(self.start)} to {iso(self.end)}, "
                f"{self.chunk_rows:,} rows a chunk>")


def position_chunks(satellites, start="now", end=None, *, hours: float | None = None,
                    days: float | None = None, step_s: float = 60.0, sunlit: bool = True,
                    chunk_rows: int = POSITION_CHUNK_ROWS, elements=None, hold: bool = True,
                    tz: str | None = None, now: dt.datetime | None = None,
                    catalog=None) -> PositionChunks:
    """The question :func:`positions` answers, set up to be read chunk by chunk (about
    ``chunk_rows`` rows at a time): for windows too long to hold at once.

    >>> import orbitview as ov
    >>> for chunk in ov.position_chunks("PRSS-1", "2026-09-07T00:00Z", days=30, step_s=1):
    ...     frame = chunk.to_dataframe()                  # doctest: +SKIP
    """
    from orbitview.access.coverage import steps_between
    from orbitview.util.timeutil import check_supported
    q = Question.of(elements, None, hold, tz, catalog)
    t0 = q.when(start, None, now, "start")
    t1 = inputs.span(t0, end, hours, days, tz=q.sources.tz)
    check_supported(t0, t1, "the requested span")
    step = inputs.number(step_s, "step_s", positive=True)
    size = inputs.number(chunk_rows, "chunk_rows", positive=True)
    sats = q.satellites(satellites)
    _, notes = launch_notes(sats, t0, t1)
    meta = {"start": t0, "end": t1, "step_s": step, "hold": q.hold}
    return PositionChunks(sats, t0, t1, step, steps_between(t0, t1, step), bool(sunlit),
                          q.hold, int(size), q.notes + notes,
                          [element_info(s, t0, t1, q.hold) for s in sats], meta,
                          list(q.left_out))


def positions(satellites, start="now", end=None, *, hours: float | None = None,
              days: float | None = None, step_s: float = 60.0, sunlit: bool = True,
              elements=None, hold: bool = True, tz: str | None = None,
              now: dt.datetime | None = None, catalog=None) -> Positions:
    """Sub-satellite points (WGS84 latitude, longitude, altitude), sunlight and element
    age of ``satellites`` every ``step_s`` seconds from ``start`` (default: now) to
    ``end`` (or for ``hours`` or ``days``; default one day, or the span a word such as
    ``"tonight"`` names).  The CLI's ``positions``; for windows too long to hold at once,
    :func:`position_chunks` gives the same rows chunk by chunk.

    >>> import orbitview as ov
    >>> where = ov.positions("PRSS-1", "2026-09-07T00:00Z", hours=1, step_s=600)
    >>> where.to_xarray()["lat_deg"].sel(satellite="PRSS-1")        # doctest: +SKIP
    """
    return position_chunks(satellites, start, end, hours=hours, days=days, step_s=step_s,
                           sunlit=sunlit, elements=elements, hold=hold, tz=tz, now=now,
                           catalog=catalog).whole()


# --------------------------------------------------------------------------- now

NOW_COLUMNS = ["norad_id", "name", "time_utc", "lat_deg", "lon_deg", "altitude_km", "over",
               "sunlit", "elevation_deg", "azimuth_deg", "range_km", "next_aos_utc",
               "next_max_elevation_deg", "next_pass", "epoch_utc", "epoch_age_days",
               "position_bound_km", "timing_bound_s", "phase_lost"]
NEXT_PASS_SEARCH_DAYS = 2.0
"""How far ahead :func:`now` looks for each low-orbit satellite's next pass, days."""


@dataclass(eq=False, repr=False)
class NowTable(Result):
    """Where each satellite is at one instant: sub-point, the place below it, sunlight,
    and from a site its elevation, azimuth, range and next pass ("always up" / "never up"
    for a geostationary satellite), with the element age and the 90 % bound.  Where the
    bound is phase lost (``phase_lost``: where on its orbit the satellite is cannot be
    said) the row keeps SGP4's numbers, flagged; the CLI's table says 'unknown'."""

    satellites: list = field(default_factory=list)
    bounds: list = field(default_factory=list)
    """The :class:`~orbitview.orbit.accuracy.ErrorBound` of each row."""
    holds: list = field(default_factory=list)
    """The :class:`~orbitview.orbit.geohold.Hold` of each row (None: SGP4 as it is)."""
    upcoming: dict = field(default_factory=dict)
    """Passes found from the site, by NORAD number (what :meth:`at` reuses)."""
    question: dict = field(default_factory=dict)
    """The settings of the question (rule, hold, zone, catalogue), which :meth:`at` asks
    again with."""

    kind = "satellites now"

    def summary(self) -> str:
        m = self.meta
        where = f" from {m['site'].name}" if m.get("site") is not None else ""
        return f"{len(self.rows)} satellites at {iso(m['at'])}{where}"

    def geometries(self):
        """Each satellite's sub-point (a Point; None where SGP4 failed)."""
        from shapely.geometry import Point
        return [Point(r["lon_deg"], r["lat_deg"]) if r["lat_deg"] == r["lat_deg"] else None
                for r in self.rows]

    def at(self, when) -> NowTable:
        """The same question at another instant (``now --watch`` asks it every second),
        reusing the passes already found."""
        return now(self.satellites, when, self.meta.get("site"), upcoming=self.upcoming,
                   **self.question)


def now(satellites=inputs.ALL, at="now", site=None, *, min_elevation_deg: float | None = None,
        mask=None, search_days: float = NEXT_PASS_SEARCH_DAYS, upcoming: dict | None = None,
        elements=None, hold: bool = True, tz: str | None = None,
        now: dt.datetime | None = None, catalog=None) -> NowTable:
    """Where each of ``satellites`` (default: every one with element sets) is at ``at``
    (default: now): sub-point (deg), altitude (km), the province or country below,
    sunlight; with a ``site``, its elevation and azimuth (deg) and range (km), and its next
    pass above ``min_elevation_deg`` (default 10) and the horizon ``mask`` within
    ``search_days``, or "always up" /
    "never up" for a geostationary satellite (from the held positions ``look`` uses).

    ``upcoming``: the passes of an earlier answer (``result.upcoming``), to skip the
    search when the same satellites are asked about again a moment later (or use
    :meth:`NowTable.at`).

    >>> import orbitview as ov
    >>> table = ov.now(["PRSS-1", "PakSat-MM1"], "2026-11-21T09:30Z", "Lahore")
    >>> [(r["name"], r["next_pass"]) for r in table]                    # doctest: +SKIP
    """
    from orbitview.studies.now import now_rows, upcoming_passes
    q = Question.of(elements, None, hold, tz, catalog)
    where = None if site is None else inputs.site(site)
    t_at = q.when(at, where, now, "at")
    days = inputs.number(search_days, "search_days", positive=True)
    sats = q.satellites(satellites)
    rule = radio_rule(min_elevation_deg, mask) if where is not None else None
    _, notes = launch_notes(sats, t_at, t_at, "this is where it would be had it been in orbit")
    if upcoming is None:
        upcoming = upcoming_passes(sats, t_at, where, rule, days, hold=q.hold)
        for found in upcoming.values():
            round_event_times(found)               # the times passes gives for them
    rows, _ = now_rows(sats, t_at, where, rule, days, upcoming=upcoming, hold=q.hold)
    bounds = [r.pop("bound") for r in rows]
    holds = [r.pop("held") for r in rows]
    for r, b in zip(rows, bounds):
        r["phase_lost"] = bool(b is not None and b.phase_lost)
    notes += state_notes(sats, t_at, t_at, q.hold)
    clock = q.clock(where)
    meta = {"at": t_at, "site": where, "rule": None if rule is None else rule.describe(),
            "clock": clock, "hold": q.hold, "search_days": days}
    question = {"min_elevation_deg": min_elevation_deg, "mask": mask, "search_days": days,
                "elements": elements, "hold": q.hold, "tz": tz, "catalog": q.catalog}
    return NowTable(rows, list(NOW_COLUMNS), [element_info(s, t_at, t_at, q.hold)
                                              for s in sats],
                    q.notes + notes, meta, list(q.left_out), satellites=sats, bounds=bounds,
                    holds=holds, upcoming=upcoming, question=question)


# --------------------------------------------------------------------------- footprints

FOOTPRINT_COLUMNS = ["time_utc", "norad_id", "name", "sub_lat_deg", "sub_lon_deg",
                     "altitude_km", "kind", "rule", "edge_km", "edge_min_km", "edge_max_km",
                     "near_edge_km", "epoch_age_days", "position_bound_km",
                     "held_slot_lon_deg", "phase_lost"]
FOOTPRINT_BEARINGS = 180
"""Edge points of each footprint (every 2 degrees of bearing, as the footprint map draws)."""


@dataclass(eq=False, repr=False)
class Footprints(Result):
    """Where each satellite gives access at one instant (or at each step of a window): its
    sub-point and the ground edge where the access rule is just met (radio: the elevation
    circle; imaging: the field of regard; a radar: the far and near edges of its incidence
    window), with the geodesic distance from the sub-point to the edge (km, solved to
    0.5 km) and the 90 % bound of the position."""

    propagation: Propagation | None = None
    series: list[FootprintSeries | None] = field(default_factory=list)
    """One :class:`~orbitview.products.export.records.FootprintSeries` per satellite asked
    for (None for one the rule leaves out): its edges at every time of the answer."""
    rule: AccessRule | None = None
    choice: Choice | None = None
    cells: list = field(default_factory=list)
    """Per row, (index into :attr:`series`, index of the time in that series; None where
    SGP4 failed)."""

    kind = "footprints"

    def summary(self) -> str:
        m = self.meta
        if m.get("end") is None:
            return f"{len(self.rows)} footprints at {iso(m['at'])} ({m['rule']})"
        return (f"{len(self.rows)} footprints every {m['step_s']:g} s, {iso(m['at'])} to "
                f"{iso(m['end'])} ({m['rule']})")

    def geometries(self):
        """Each footprint as a shapely (Multi)Polygon in longitude/latitude, cut at the
        antimeridian and closed round a pole as the GeoJSON and KML exports cut it (a
        radar's is the band between its edges); None where SGP4 failed."""
        out = []
        for i, k in self.cells:
            fs = self.series[i]
            out.append(None if fs is None or k is None else fs.shape(k))
        return out

    def plot(self, region="world", *, central_longitude: float | None = None, sites=None,
             tz=None):
        """The footprint map (the CLI's ``footprint``): edges on a map of ``region``, a
        geostationary satellite's elevation contours over a regional map, built-in sites
        (or ``sites``) marked; times in UTC and in ``tz`` (default Pakistan's)."""
        from orbitview.api.figures import view_clock
        from orbitview.data.sites import load_sites
        from orbitview.products.maps import DEFAULT_CENTRAL_LONGITUDE, footprint_figure
        assert self.propagation is not None     # footprints() sets it
        if self.meta.get("end") is not None:
            raise UsageError(f"plot() draws one instant; this answer holds footprints at "
                             f"{len(self.propagation.times_utc)} times.\nFix: ask "
                             "ov.footprints(satellites, at) for the instant to draw.")
        reg = inputs.region(region)
        if central_longitude is not None and central_longitude >= 180:
            central_longitude -= 360.0
        marks = load_sites().values() if sites is None else [inputs.site(s) for s in sites]
        return footprint_figure(self.propagation, self.rule, reg.extent,
                                DEFAULT_CENTRAL_LONGITUDE if central_longitude is None
                                else central_longitude, sites=marks,
                                clock=view_clock(tz if tz is not None else self.meta["tz"]))


WINDOW_BEARINGS = 48
"""Edge points of each footprint over a window (as the exports write them: a 2000 km circle
then sags < 5 km between points)."""
MAX_WINDOW_SAMPLES = 2_000_000
"""Satellite-time footprints in one answer over a window (what an export holds)."""


def footprints(satellites, at="now", end=None, *, hours: float | None = None,
               days: float | None = None, step_s: float = 60.0,
               access: str | None = None, min_elevation_deg: float | None = None,
               mask=None, max_off_nadir_deg: float | None = None,
               min_sun_deg: float | None = None, n_bearings: int | None = None,
               max_samples: float = MAX_WINDOW_SAMPLES, elements=None, sensors=None,
               hold: bool = True, tz: str | None = None, now: dt.datetime | None = None,
               catalog=None) -> Footprints:
    """The footprint of each of ``satellites`` at ``at`` (default: now): one row per
    satellite with its sub-point, the access rule, and the distance (km) from the
    sub-point to the edge of the footprint (mean, least and greatest over bearings; a
    radar's near edge too); ``geometries()`` are the footprint polygons, ``plot()`` the map.

    With ``end``, ``hours`` or ``days`` the footprints are those of a window from ``at``,
    every ``step_s`` seconds (what ``orbitview export footprints`` writes): one row per
    satellite and time, satellite by satellite; at most ``max_samples`` of them.
    ``n_bearings``: edge points per footprint (default 180 at one instant, as the
    footprint map draws it; 48 over a window, as the exports write it).

    ``access``: ``"radio"`` (elevation >= ``min_elevation_deg``, default 10, and the
    horizon ``mask``) or ``"imaging"`` (the instrument's field of regard, widened or
    narrowed by ``max_off_nadir_deg``; the Sun is not applied to the edge, the map shades
    where it is too low); default: imaging for Earth-observation satellites, radio for
    the others.

    >>> import orbitview as ov
    >>> fp = ov.footprints(["PakSat-MM1", "PRSS-1"], "2026-09-07T03:00Z", access="radio")
    >>> fp.to_geodataframe().area                                       # doctest: +SKIP
    >>> fp.plot(region="pakistan").savefig("footprints.png")           # doctest: +SKIP
    >>> ov.footprints("PRSS-1", "2026-09-07T03:00Z", hours=1, step_s=60)  # doctest: +SKIP
    """
    from orbitview.api.common import window_grid
    from orbitview.orbit.propagate import propagate
    from orbitview.products.export.records import footprint_series
    from orbitview.util.timeutil import time_grid
    q = Question.of(elements, sensors, hold, tz, catalog)
    t_at = q.when(at, None, now, "at")
    window = end is not None or hours is not None or days is not None
    t_end = inputs.span(t_at, end, hours, days, tz=q.sources.tz) if window else None
    step = inputs.number(step_s, "step_s", 0.01, 86_400.0) if window else None
    bearings = int(inputs.number(n_bearings if n_bearings is not None else
                                 WINDOW_BEARINGS if window else FOOTPRINT_BEARINGS,
                                 "n_bearings", 8, 3600))
    sats = q.satellites(satellites)
    choice = choose(sats, q.sensors(), access, min_elevation_deg, mask, max_off_nadir_deg,
                    min_sun_deg, require_imager=False)
    if not choice.used:                 # the evidence goes with the refusal, not before it
        raise UsageError("none of the satellites asked for can image ("
                         + "; ".join(n.text for n in choice.notes) + ").\nFix: name "
                         "Earth-observation satellites (PRSS-1, PRSC-EO1, HS-1, ...), or ask for "
                         "radio access (--access radio, or access='radio').")
    rule, sats = choice.rule, choice.used
    if t_end is not None and step is not None:      # a window: both are set just then
        t = window_grid(sats, t_at, t_end, step, max_samples, "an export holds (beyond it "
                        "files grow past what viewers open)")
    else:
        # One instant, as time_grid makes it: whole and fraction of the day kept apart (a
        # single TT Julian date put 21:30:00 at 21:29:59.99996, shown as 21:29:59).
        t = time_grid(t_at, t_at, 1.0)
    _, said = launch_notes(sats, t_at, t_end or t_at)
    prop = propagate(sats, t, hold=q.hold)
    by_norad = {fs.norad_id: fs for fs in footprint_series(prop, rule, n_bearings=bearings)}
    infos = [element_info(s, t_at, t_end or t_at, q.hold) for s in sats]
    rows, series, cells = [], [], []
    for i, sat in enumerate(sats):
        fs = by_norad.get(int(prop.norad_ids[i]))
        own = rule.for_satellite(sat) if hasattr(rule, "for_satellite") else rule
        series.append(fs)
        if not window:
            rows.append(_footprint_row(sat, t_at, fs, 0, own,
                                       float(prop.epoch_age_days[i, 0]), infos[i]))
            cells.append((i, 0 if fs is not None and len(fs.times_utc) else None))
            continue
        if fs is None:
            continue                    # no footprint series for it: no rows
        for k, when in enumerate(fs.times_utc):
            rows.append(_footprint_row(sat, when, fs, k, own, float(fs.epoch_age_days[k]),
                                       infos[i]))
            cells.append((i, k))
    meta = {"at": t_at, "end": t_end, "step_s": step, "rule": rule.describe(),
            "access": choice.access_words, "hold": q.hold, "tz": q.shown_in or q.sources.tz,
            "assumptions": choice.assumption_note}
    return Footprints(rows, list(FOOTPRINT_COLUMNS), infos,
                      q.notes + choice.notes + said + notes_of(prop), meta,
                      q.left_out + choice.left_out, propagation=prop, series=series,
                      rule=rule, choice=choice, cells=cells)


def footprint_map(satellites, at="now", *, region="world",
                  central_longitude: float | None = None, sites=None,
                  access: str | None = None, min_elevation_deg: float | None = None,
                  mask=None, max_off_nadir_deg: float | None = None,
                  min_sun_deg: float | None = None, elements=None, sensors=None,
                  hold: bool = True, tz: str | None = None, now: dt.datetime | None = None,
                  catalog=None):
    """The footprint map of ``satellites`` at ``at`` (the CLI's ``footprint``):
    :func:`footprints` drawn on ``region`` (``"pakistan"`` adds a geostationary
    satellite's elevation contours), as a :class:`~orbitview.api.figures.Figure` with the
    notes of the answer.

    >>> import orbitview as ov
    >>> ov.footprint_map("PakSat-MM1", "2026-09-07T03:00Z", region="pakistan"
    ...                  ).savefig("mm1.png")                             # doctest: +SKIP
    """
    from orbitview.api.figures import Figure
    result = footprints(satellites, at, access=access, min_elevation_deg=min_elevation_deg,
                        mask=mask, max_off_nadir_deg=max_off_nadir_deg,
                        min_sun_deg=min_sun_deg, elements=elements, sensors=sensors,
                        hold=hold, tz=tz, now=now, catalog=catalog)
    fig = result.plot(region, central_longitude=central_longitude, sites=sites)
    return Figure(fig, result.notes, result.propagation, meta=result.meta,
                  left_out=result.left_out)


def _edge_km(sub_lat, sub_lon, ring_lon, ring_lat) -> np.ndarray:
    """Geodesic distances (km, WGS84) from the sub-point to each edge point."""
    from cartopy.geodesic import Geodesic
    ends = np.column_stack([ring_lon, ring_lat])
    return Geodesic().inverse(np.array([[sub_lon, sub_lat]]), ends)[:, 0] / 1000.0


def _footprint_row(sat, when, fs, k, own, age, info) -> dict:
    row = {"time_utc": when, "norad_id": sat.norad_id, "name": sat.name,
           "sub_lat_deg": None, "sub_lon_deg": None, "altitude_km": None,
           "kind": getattr(own, "kind", "radio"), "rule": own.describe(), "edge_km": None,
           "edge_min_km": None, "edge_max_km": None, "near_edge_km": None,
           "epoch_age_days": round(age, 2), "position_bound_km": info.position_bound_km,
           "held_slot_lon_deg": info.held_slot_lon_deg, "phase_lost": info.phase_lost}
    if fs is None or not len(fs.times_utc):
        return row                                  # SGP4 failed: no position, no edge
    lat, lon = float(fs.sub_lat_deg[k]), float(fs.sub_lon_deg[k])
    edge = _edge_km(lat, lon, fs.ring_lon_deg[k], fs.ring_lat_deg[k])
    row.update(sub_lat_deg=round(lat, 4), sub_lon_deg=round(lon, 4),
               altitude_km=round(float(fs.altitude_km[k]), 1),
               edge_km=round(float(edge.mean()), 1), edge_min_km=round(float(edge.min()), 1),
               edge_max_km=round(float(edge.max()), 1))
    if fs.inner_lon_deg is not None:
        near = _edge_km(lat, lon, fs.inner_lon_deg[k], fs.inner_lat_deg[k])
        row["near_edge_km"] = round(float(near.mean()), 1)
    return row


# --------------------------------------------------------------------------- sky

SKY_SEARCH_DAYS = 2.0
"""How far ahead :func:`sky_plot` looks for the next pass, days."""


def sky_plot(satellite, site, start="now", end=None, *, days: float | None = None,
             hours: float | None = None, visible: bool = False, twilight: str = "civil",
             min_elevation_deg: float | None = None, mask=None, elements=None,
             hold: bool = True, tz: str | None = None, now: dt.datetime | None = None,
             catalog=None):
    """The polar sky plot of the next pass of ``satellite`` over ``site`` from ``start``
    (default: now) within ``days`` (default 2, or the span a word such as ``"tonight"``
    names; or ``hours``, or until ``end``): its path across the sky, sunlit or in the
    Earth's shadow, the stretch visible by eye, AOS, culmination and LOS in local time.
    ``visible=True``: the next pass one can see by eye (dark sky per ``twilight``).

    Returns a :class:`~orbitview.api.figures.Figure` (``.savefig(path)``; ``.meta["pass"]``
    is the pass drawn, a row as :func:`passes` gives it).  No pass in the window is an
    answer, not an error: the figure is then None (``bool(fig)`` is False) and a note of
    kind ``empty`` says what was searched.  Nor is a pass drawn when where on its orbit
    the satellite is cannot be said (its 90 % bound is phase lost): the figure is None
    and a note of kind ``unknown`` says why.  A geostationary satellite crosses no sky:
    :func:`look` says where to point.

    >>> import orbitview as ov
    >>> fig = ov.sky_plot("PRSS-1", "Lahore", "2026-11-21T12:00+05:00", visible=True)
    >>> fig.savefig("prss1-sky.png") if fig else print(fig.warnings[-1])  # doctest: +SKIP
    """
    from orbitview.access.passes import find_passes
    from orbitview.access.sighting import add_visibility, load_magnitudes
    from orbitview.api.figures import Figure, pass_figure
    q = Question.of(elements, None, hold, tz, catalog)
    where = inputs.site(site)
    t0 = q.when(start, where, now, "start")
    t1 = inputs.span(t0, end, hours, days, default_days=SKY_SEARCH_DAYS, tz=q.sources.tz,
                     at_site=where)
    if twilight not in TWILIGHTS:
        raise UsageError(f"twilight={twilight!r} is not civil, nautical or astronomical.\n"
                         "Fix: give twilight='civil' (Sun below -6 deg), 'nautical' (-12) or "
                         "'astronomical' (-18).")
    [sat] = q.satellites(satellite if not isinstance(satellite, (list, tuple))
                         else list(satellite)[:1])
    if sat.latest.is_deep_space:
        raise UsageError(f"{sat.name} is a geostationary (or high) satellite: it does not cross "
                         "the sky in a pass.\nFix: use 'orbitview look "
                         f"{sat.norad_id} --site {where.name}' for where to point.")
    rule = radio_rule(min_elevation_deg, mask)
    launched, notes = launch_notes([sat], t0, t1, "no pass before the launch is listed")
    rows = [r for r in find_passes(sat, where, t0, t1, rule, hold=q.hold)
            if r["aos_utc"] >= launched.get(sat.norad_id, t0)]
    round_event_times(rows)                       # the times passes prints
    add_visibility(rows, sat, where, twilight, load_magnitudes(), hold=q.hold)
    if visible:
        rows = [r for r in rows if r["visible"]]
    # Stale elements and SGP4 failures as passes says them: over the plotted pass when
    # there is one, else over the window.
    span: tuple[dt.datetime, dt.datetime] = \
        (rows[0]["aos_utc"], rows[0]["los_utc"]) if rows else (t0, t1)
    notes = q.notes + notes + state_notes([sat], *span, q.hold)
    clock = q.clock(where)
    meta = {"site": where, "start": t0, "end": t1, "rule": rule.describe(),
            "visible": visible, "twilight": twilight, "clock": clock, "hold": q.hold,
            "pass": None}
    # Where on its orbit it is cannot be said: the time and path of a pass (or that there
    # is none) would be a guess, drawn as a fact.  Said like an empty window: no figure.
    first = dict(rows[0]) if rows else {"norad_id": sat.norad_id, "aos_utc": t0,
                                        "tca_utc": t0, "los_utc": t0,
                                        "epoch_age_days": sat.latest.age_days(t0)}
    [bound] = pass_extras([first], [sat], clock, q.hold)
    # SGP4 itself fails where no pass was found (a decayed object): no position to be
    # uncertain about, so say there is no pass, with SGP4's warning above it.
    failed = not rows and any(n.kind == "sgp4" and n.norad_id == sat.norad_id for n in notes)
    if bound is not None and bound.phase_lost and not failed:
        from orbitview.orbit.accuracy import update_fix
        from orbitview.products.unknowns import reason
        meta["fix"] = update_fix(sat.latest, sat.norad_id)
        why = reason(sat.name, bound, getattr(sat, "record", None), first["aos_utc"])
        notes.append(Note("unknown", f"the {'next visible' if visible else 'next'} pass of "
                          f"{sat.name} over {where.name} from {t0:%Y-%m-%d %H:%M} UTC cannot be "
                          f"drawn: {why}, so its time and path across the sky are unknown.",
                          sat.norad_id))
        return Figure(None, notes, meta=meta, left_out=q.left_out)
    if not rows:
        if failed:
            from orbitview.orbit.accuracy import update_fix
            meta["fix"] = update_fix(sat.latest, sat.norad_id)
        notes.append(Note("empty", f"no {'visible ' if visible else ''}pass of {sat.name} "
                          f"over {where.name} between {t0:%Y-%m-%d %H:%M} and "
                          f"{t1:%Y-%m-%d %H:%M} UTC ({rule.describe()})"
                          + ("; SGP4 cannot compute its position there." if failed else "."),
                          sat.norad_id))
        return Figure(None, notes, meta=meta, left_out=q.left_out)
    row = rows[0]
    [bound] = pass_extras([row], [sat], clock, q.hold)
    meta["pass"] = row
    fig = pass_figure(sat, where, row, clock, rule.describe(), hold=q.hold, bound=bound,
                      twilight=twilight)
    return Figure(fig, notes, meta=meta, left_out=q.left_out)
