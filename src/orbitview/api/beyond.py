"""Beyond the fleet: the geostationary neighbourhood, partner satellites, what-if designs.

Each function answers one question the CLI's ``geo-belt``, ``partners`` and ``design
walker|sso|sweep`` answer (they call these)::

    >>> import orbitview as ov
    >>> belt = ov.geo_belt("PakSat-MM1", within_deg=1, at="2026-05-30T17:52:52Z")  # doctest: +SKIP
    >>> belt.to_geodataframe()                                  # doctest: +SKIP
    >>> ov.walker("53:12/3/1", 550, "2026-11-21T00:00Z").to_json()  # doctest: +SKIP

Designs are HYPOTHETICAL and say so: in their names, in every row and in their element
information (``ElementInfo.hypothetical``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from orbitview.api import inputs
from orbitview.api.common import launch_notes
from orbitview.api.question import Question
from orbitview.api.results import ElementInfo, Note, Result, element_info
from orbitview.util.errors import UsageError
from orbitview.util.timeutil import iso

if TYPE_CHECKING:
    from orbitview.studies.geobelt import Belt, Reference

# --------------------------------------------------------------------------- geo-belt

GEO_COLUMNS = ["name", "norad_id", "cospar_id", "record", "owner", "mean_lon_deg",
               "separation_deg", "separation_km", "inclination_deg", "lat_excursion_deg",
               "eccentricity", "drift_deg_per_day", "status", "epoch_utc", "age_days",
               "position", "reference", "owner_source", "elements_source"]
SLOT_NEIGHBOURS_DEG = 1.0
"""Objects within this separation of the reference are drawn in the slot history."""


@dataclass(eq=False, repr=False)
class GeoBelt(Result):
    """Geostationary objects near a slot at one time, west to east: mean longitude (over a
    sidereal day), separation from the reference (deg and km along the arc),
    inclination, eccentricity, drift (deg/day) and station-keeping status, with the
    element set each rests on and how its position was found (SGP4 at the time, or
    held at its slot when the set is stale)."""

    reference: Reference | None = None
    """:class:`~orbitview.studies.geobelt.Reference`: the label and longitude surveyed."""
    belt: Belt | None = None
    """:class:`~orbitview.studies.geobelt.Belt`: the catalogue surveyed."""

    kind = "objects"

    def count_text(self) -> str:
        """'PakSat-MM1 and 17 neighbours' (as the figure counts them), or '18' around a
        longitude ('none' when nothing is listed)."""
        others = sum(not r["reference"] for r in self.rows)
        if not self.rows:
            return "none"
        if others == len(self.rows):
            return str(others)
        assert self.reference is not None       # geo_belt() sets it
        return f"{self.reference.label} and {others} neighbour{'s' if others != 1 else ''}"

    def summary(self) -> str:
        ref = self.reference
        assert ref is not None
        return (f"GEO objects within {self.meta['within_deg']:g} deg of {ref.label} "
                f"({ref.lon_deg:.3f} E) at {iso(self.meta['at'])}: {self.count_text()}")

    def caption(self) -> str:
        """What the columns mean and where the elements come from (the table's caption)."""
        from orbitview.studies.geobelt import STATUS_TEXT
        assert self.belt is not None            # geo_belt() sets it
        return ("status: " + "; ".join(f"{k}: {v}" for k, v in STATUS_TEXT.items())
                + ". separation_km: along the geostationary arc. owner: CelesTrak SATCAT "
                  "code where orbitview holds it with a source, else blank. Elements: "
                + self.belt.source + ".")

    def geometries(self):
        """Each object's mean sub-satellite point: its mean longitude on the equator (the
        daily mean latitude of a geostationary orbit), EPSG:4326."""
        from shapely.geometry import Point
        return [Point(r["mean_lon_deg"], 0.0) for r in self.rows]

    def plot(self):
        """Longitude x inclination of every object, labelled, with the reference's
        +-0.1 deg box; colour gives the status (a matplotlib Figure)."""
        from orbitview.products.geobelt_plot import plot_belt
        assert self.reference is not None and self.belt is not None
        return plot_belt(self.reference, self.rows, self.meta["within_deg"], self.meta["at"],
                         self.belt, [n.text for n in self.notes
                                     if n.kind in ("stale", "launch")])

    def plot_slot_history(self, near_deg: float = SLOT_NEIGHBOURS_DEG):
        """Mean longitude and inclination of the reference and its neighbours within
        ``near_deg`` at every stored epoch (a matplotlib Figure)."""
        from orbitview.products.geobelt_plot import plot_slot_history
        ref, belt = self.reference, self.belt
        assert ref is not None and belt is not None
        near = [r["norad_id"] for r in self.rows if abs(r["separation_deg"]) <= near_deg]
        # Every row is an object of the belt: by_norad finds each.
        objects = [o for o in map(belt.by_norad, near) if o is not None]
        objects.sort(key=lambda o: (o.norad_id != ref.norad_id, -len(o.history)))
        return plot_slot_history(objects, ref, self.meta["at"], belt)


def geo_belt(around="PakSat-MM1", within_deg: float = 5.0, at=None, *, geo_catalogue=None,
             tz: str | None = None, now: dt.datetime | None = None,
             catalog=None) -> GeoBelt:
    """Who shares the geostationary arc near a slot (the CLI's ``geo-belt``).

    ``around``: an object (name, NORAD number, COSPAR id or orbitview record: PakSat-MM1)
    or a longitude (a float in degrees east, or ``"38.2E"``, ``"70W"``); ``within_deg``:
    half-width of the longitude window (0 to 180); ``at``: the time surveyed (default:
    the newest epoch of the catalogue, where every set is fresh); ``geo_catalogue``: the
    TLE/3LE/OMM file surveyed (default: the bundled CelesTrak GROUP=geo file).  An object
    not yet launched at ``at`` is not listed, and a note says so.

    >>> import orbitview as ov
    >>> belt = ov.geo_belt("PakSat-MM1", 1.0, "2026-05-30T17:52:52Z")   # doctest: +SKIP
    >>> [(r["name"], r["separation_km"]) for r in belt]                  # doctest: +SKIP
    """
    from orbitview.studies.geobelt import load_belt, survey
    q = Question.of(None, None, True, tz, catalog)
    width = inputs.number(within_deg, "within_deg", lo=0.0, hi=180.0, positive=True)
    if isinstance(around, bool) or not isinstance(around, (str, int, float)):
        raise UsageError(f"around={around!r} is neither an object nor a longitude.\nFix: give "
                         "a name, NORAD number or COSPAR id (e.g. 'PakSat-MM1'), or a "
                         "longitude such as 38.2 or '70W'.")
    if isinstance(around, int):
        around = str(around)           # a whole number: a NORAD number, or up to 360 deg E
    belt = load_belt(geo_catalogue, q.catalog)
    t_at = belt.epochs[1].replace(microsecond=0) if at is None else \
        q.when(at, None, now, "at")
    ref, rows, warnings = survey(belt, t_at, around, width, q.catalog)
    notes = list(q.notes) + [Note("launch" if "had not launched" in w else "stale", w)
                             for w in warnings]
    meta = {"around": ref.label, "reference_lon_deg": ref.lon_deg, "within_deg": width,
            "at": t_at, "source": belt.source}
    return GeoBelt(rows, list(GEO_COLUMNS), [], notes, meta, left_out=list(q.left_out),
                   reference=ref, belt=belt)


def slot_history(around="PakSat-MM1", at=None, *, near_deg: float = SLOT_NEIGHBOURS_DEG,
                 geo_catalogue=None, tz: str | None = None, now: dt.datetime | None = None,
                 catalog=None):
    """The slot-history figure (the CLI's ``geo-belt --timeline``): mean longitude and
    inclination of ``around`` and its neighbours within ``near_deg`` at every stored
    epoch, with what SGP4 predicts from each set.  Returns a
    :class:`~orbitview.api.figures.Figure`."""
    from orbitview.api.figures import Figure
    belt = geo_belt(around, near_deg, at, geo_catalogue=geo_catalogue, tz=tz, now=now,
                    catalog=catalog)
    return Figure(belt.plot_slot_history(near_deg), list(belt.notes))


# --------------------------------------------------------------------------- partners

PARTNER_COLUMNS = ["region", "fleet", "satellites", "opportunities_per_day", "mean_revisit_h",
                   "max_revisit_h", "first_image_h", "never_imaged_pct", "cells"]
INSTRUMENT_COLUMNS = ["name", "norad_id", "kind", "rule", "basis", "instrument_source"]


@dataclass(eq=False, repr=False)
class Partners(Result):
    """Imaging revisit per region of Pakistan's imagers alone and with partner satellites
    (one row per region and fleet): opportunities per day, mean revisit and longest
    wait (h, area-weighted over the grid), time to the first image and the share never
    imaged.  ``instruments`` gives each partner's instrument values and their basis."""

    instruments: list = field(default_factory=list)
    fleet: list = field(default_factory=list)
    partners: list = field(default_factory=list)

    kind = "regions x fleets"

    def summary(self) -> str:
        m = self.meta
        return (f"imaging revisit {m['start']:%Y-%m-%d} + {m['days']:g} d over "
                f"{m['region']}: {len(self.fleet)} imagers alone and with "
                f"{len(self.partners)} partner{'s' if len(self.partners) != 1 else ''}")

    def plot(self):
        """Revisit per region, Pakistan's fleet beside fleet + partners (a Figure)."""
        from orbitview.products.partners_plot import plot_comparison
        return plot_comparison(self.rows, self.meta["figure_title"], self.meta["caption"])


def _partner_region(region):
    from orbitview.data.regions import REGIONS, pakistan_polygon, province_polygons
    key = str(region).strip().lower()
    provinces = province_polygons()
    if key == "pakistan":
        return "Pakistan", REGIONS["pakistan"], pakistan_polygon(), provinces
    match = {k.lower(): k for k in provinces}
    if key not in match:
        raise UsageError(f"--region {region!r} is neither pakistan nor a province.\n"
                         f"Fix: give one of pakistan, {', '.join(provinces)}.")
    polygon = provinces[match[key]]
    w, s, e, n = polygon.bounds
    return match[key], (w - 0.2, e + 0.2, s - 0.2, n + 0.2), polygon, {match[key]: polygon}


def partners(satellites=None, region="pakistan", start="now", *, days: float = 14.0,
             step_s: float = 10.0, resolution_deg: float = 0.1, engine=None, elements=None,
             sensors=None, tz: str | None = None, now: dt.datetime | None = None,
             catalog=None, progress=None) -> Partners:
    """How much more often Pakistan's provinces could be imaged with partner satellites
    (the CLI's ``partners``): imaging revisit per region over ``days`` from ``start``
    on a ``resolution_deg`` grid, Pakistan's imagers alone and with the partners.

    Partners are objects of ``elements`` (element files; default: CelesTrak's Earth
    resources group, bundled) with instrument rows in ``sensors`` (default:
    data/partner_sensors.csv, Gaofen-1/-2/-6); ``satellites`` names some of them (default:
    every such object).  ``region``: ``"pakistan"`` (every province) or one province.
    ``engine``: the coverage engine (None: this process; see
    :mod:`orbitview.access.distributed` for a dask cluster).  ``progress(done, total)``
    is told the time steps done after each chunk, over both runs
    (:mod:`orbitview.util.progress`).
    """
    from orbitview.access.coverage import make_grid, steps_between
    from orbitview.access.imaging import assumption_note, fleet_rule
    from orbitview.access.rules import VisibilityRule
    from orbitview.data.external import (
        CatalogView,
        ExternalSatellite,
        Resolver,
        read_elements_file,
    )
    from orbitview.data.sensors import load_sensors
    from orbitview.orbit.accuracy import window_summary
    from orbitview.studies.partners import (
        check_fleets,
        compare,
        default_paths,
        instrument_rows,
    )
    q = Question.of(None, None, True, tz, catalog)
    t0 = q.when(start, None, now, "start")
    n_days = inputs.number(days, "days", hi=366.0, positive=True)
    step = inputs.number(step_s, "step_s", positive=True)
    resolution = inputs.number(resolution_deg, "resolution_deg", hi=10.0, positive=True)
    bundled_elements, bundled_sensors = default_paths()
    user_elements = list(inputs.Sources.of(elements).elements)
    user_sensors = list(inputs.Sources.of(None, sensors).sensors)
    element_files = user_elements or [bundled_elements]
    sensor_paths = user_sensors or [bundled_sensors]
    base = getattr(q.catalog, "base", q.catalog)
    view = CatalogView(base, Resolver(base, [e for f in element_files
                                             for e in read_elements_file(f)]))
    # The bundled partner rows name objects of the bundled element file: with the user's
    # element file, its objects without a row are simply not partners.
    bundled_rows_only = bool(user_elements) and not user_sensors
    files = ", ".join(str(f) for f in user_elements)
    chosen = []
    if satellites is not None:
        chosen = view.resolve_many(inputs.strings(satellites))
        for s in chosen:
            if not isinstance(s, ExternalSatellite):
                raise UsageError(f"{s.name} is one of Pakistan's own satellites, not a partner."
                                 "\nFix: name objects of the --elements file, e.g. GAOFEN-1.")
            if user_elements and s not in view.resolver.extra:
                raise UsageError(f"{s.name} is not in the --elements file {files}.\nFix: add "
                                 "its element set to that file, or leave --elements out for "
                                 "the bundled Earth resources group.")
    partner_sensors = load_sensors(view, sensor_paths, skip_absent=bundled_rows_only)
    if bundled_rows_only and not any(e.norad_id in partner_sensors
                                     for e in view.resolver.extra):
        raise UsageError(f"the --elements file {files} holds none of the partner satellites "
                         "orbitview has instrument values for (the Gaofen series).\nFix: give "
                         "an --elements file that holds them (CelesTrak's Earth resources "
                         "group), or --sensors rows for objects of that file.")
    own = load_sensors(base)
    fleet_rule_, fleet, _ = fleet_rule(base.with_elements(), "imaging", VisibilityRule(), own)
    if satellites is not None:
        for s in chosen:
            if s.norad_id not in partner_sensors:
                raise UsageError(f"{s.name} ({s.norad_id}) has no instrument row in "
                                 f"{', '.join(map(str, sensor_paths))}.\nFix: add one (the "
                                 "columns of data/sensors.csv, every value with its basis).")
    else:
        chosen = [e for e in view.resolver.extra if e.norad_id in partner_sensors]
    all_rule, used, left = fleet_rule(list(fleet) + list(chosen), "imaging", VisibilityRule(),
                                      partner_sensors)
    partner_sats = [s for s in used if isinstance(s, ExternalSatellite)]
    notes = list(q.notes) + [Note("excluded", f"partner {s.name} left out: {why}", s.norad_id)
                             for s, why in left if isinstance(s, ExternalSatellite)]
    name, extent, polygon, polygons = _partner_region(region)
    grid = make_grid(extent, resolution, polygon)
    end = t0 + dt.timedelta(days=n_days)
    check_fleets(fleet, partner_sats)
    # A satellite launched after the window's start is left out of both fleets (its
    # imaging before the launch never happened), and said so.
    launched, said = launch_notes(list(fleet) + partner_sats, t0, end,
                                  "it is left out of both fleets of this comparison")
    notes += said
    fleet = [s for s in fleet if s.norad_id not in launched]
    partner_sats = [s for s in partner_sats if s.norad_id not in launched]
    from orbitview.util.progress import counting
    tick = counting(progress, 2 * steps_between(t0, end, step))     # fleet, fleet + partners
    rows = compare(fleet, partner_sats, fleet_rule_, all_rule, grid, polygons, t0, end, step,
                   engine, progress=tick)
    if name != "Pakistan":
        rows = [r for r in rows if r["region"] != "Pakistan"]
    instruments = instrument_rows(partner_sats, partner_sensors)
    note = assumption_note(all_rule, [s.name for s in used], above=0)
    caption = (f"Window {t0:%Y-%m-%d %H:%M} UTC + {n_days:g} days, step {step:g} s, grid "
               f"{resolution:g} deg, imaging access (field of regard and, for optical "
               f"instruments, Sun >= the instrument's minimum). Pakistan's imagers: "
               f"{', '.join(s.name for s in fleet) or 'none in orbit'}. Partners and the "
               "basis of their instrument values: " + "; ".join(f"{r['name']} ({r['basis']})"
                                                 for r in instruments) + ". " + note
               + " " + window_summary(list(fleet) + partner_sats, t0, end))
    meta = {"region": name, "start": t0, "end": end, "days": n_days, "step_s": step,
            "resolution_deg": resolution, "caption": caption,
            "title": f"Imaging revisit {t0:%Y-%m-%d} + {n_days:g} d: Pakistan's imagers "
                     "alone and with partner satellites",
            "figure_title": f"Imaging revisit over {name}: Pakistan's fleet alone and with "
                            f"{len(partner_sats)} partner satellites"}
    infos = [element_info(s, t0, end) for s in list(fleet) + partner_sats]
    return Partners(rows, list(PARTNER_COLUMNS), infos, notes, meta,
                    left_out=list(q.left_out), instruments=instruments, fleet=list(fleet),
                    partners=partner_sats)


# --------------------------------------------------------------------------- designs

DESIGN_TABLE_COLUMNS = ["name", "norad_id", "period_min", "inclination_deg", "raan_deg",
                        "mean_anomaly_deg"]


@dataclass(eq=False, repr=False)
class Design(Result):
    """A HYPOTHETICAL constellation: one row per generated satellite (catalog number from
    990000001 up, epoch, mean motion, period, inclination, node, mean anomaly), and the
    OMM records behind them (:meth:`to_json`, :meth:`element_sets`).  Not real
    satellites: every name starts with HYPOTHETICAL."""

    omm: list = field(default_factory=list)
    """The OMM records (CelesTrak's fields), one per satellite."""

    kind = "HYPOTHETICAL satellites"

    def summary(self) -> str:
        return (f"HYPOTHETICAL constellation: {self.meta['what']} ({len(self.rows)} "
                f"satellites, epoch {iso(self.meta['epoch'])})")

    def to_json(self) -> str:
        """The element sets as CelesTrak-style OMM JSON, readable by every command's
        ``--elements`` and by ``elements=`` of every front-door call."""
        from orbitview.orbit.design import to_json
        return to_json(self.omm)

    def element_sets(self) -> list:
        """The designs as :class:`~orbitview.data.elements.ElementSet` (pass them as
        satellites to any question: they stay marked HYPOTHETICAL)."""
        from orbitview.orbit.design import to_sets
        return to_sets(self.omm)

    def instrument_rows(self, instrument: str, *, catalog=None) -> tuple[str, str]:
        """(sensors.csv text, a description): every satellite given the imager of
        ``instrument`` (a satellite of data/sensors.csv, e.g. PRSC-EO1), values keeping
        their basis; for ``sensors=`` of a question or the CLI's ``--sensors``."""
        from orbitview.orbit.design import sensor_rows_like
        return sensor_rows_like(self.omm, instrument, Question.of(catalog=catalog).catalog)


def _design_epoch(epoch, now) -> dt.datetime:
    """The epoch given, else today 00:00 UTC."""
    if epoch is not None:
        return inputs.when(epoch, now=now, option="epoch")
    from orbitview.util.timeutil import now as clock
    today = (now or clock()).astimezone(dt.timezone.utc)
    return today.replace(hour=0, minute=0, second=0, microsecond=0)


def _design(records, what: str, epoch: dt.datetime) -> Design:
    from orbitview.orbit.design import design_rows
    rows = design_rows(records)
    for r in rows:
        r["epoch_utc"] = dt.datetime.fromisoformat(r["epoch_utc"][:19]).replace(
            tzinfo=dt.timezone.utc)
    infos = [ElementInfo(r["norad_id"], r["name"], r["epoch_utc"], "orbitview design", 0.0,
                         hypothetical=True) for r in rows]
    return Design(rows, list(rows[0]), infos, [], {"what": what, "epoch": epoch},
                  omm=records)


def _raan0(first_ltdn, epoch) -> float:
    from orbitview.orbit.design import parse_local_time, raan_for_ltdn_deg
    return 0.0 if first_ltdn is None else raan_for_ltdn_deg(
        epoch, parse_local_time(first_ltdn, "--first-ltdn"))


def walker(spec, altitude_km: float, epoch=None, *, pattern: str = "delta",
           first_ltdn: str | None = None, now: dt.datetime | None = None) -> Design:
    """A HYPOTHETICAL Walker constellation ``i:t/p/f`` (``"53:12/3/1"``: 12 satellites in 3
    planes at 53 deg, phasing 1) of circular orbits at ``altitude_km``, element sets at
    ``epoch`` (default: today 00:00 UTC).  ``pattern``: ``"delta"`` (nodes over 360 deg)
    or ``"star"`` (over 180 deg); ``first_ltdn`` (``"10:30"``) puts the first plane's
    descending node at that local mean solar time at the epoch.

    >>> import orbitview as ov
    >>> fleet = ov.walker("53:12/3/1", 550, "2026-11-21T00:00Z")       # doctest: +SKIP
    >>> ov.passes(fleet.element_sets(), "Lahore", "2026-11-21T00:00Z")  # doctest: +SKIP
    """
    from orbitview.orbit.design import WalkerSpec, parse_walker
    from orbitview.orbit.design import walker as generate
    ws = spec if isinstance(spec, WalkerSpec) else parse_walker(str(spec), pattern)
    altitude = inputs.number(altitude_km, "altitude_km")
    e = _design_epoch(epoch, now)
    records = generate(ws, altitude, e, raan0_deg=_raan0(first_ltdn, e))
    return _design(records, f"{ws} at {altitude:g} km", e)


def sun_synchronous(altitude_km: float, ltdn, per_plane: int = 1, epoch=None, *,
                    now: dt.datetime | None = None) -> Design:
    """HYPOTHETICAL sun-synchronous planes at ``altitude_km``, one per local time of the
    descending node (``ltdn``: ``"10:30"``, hours as a number, or a list of them),
    ``per_plane`` satellites each, element sets at ``epoch`` (default: today 00:00 UTC).
    """
    from orbitview.orbit.design import parse_local_time, sso_inclination_deg
    from orbitview.orbit.design import sun_synchronous as generate
    altitude = inputs.number(altitude_km, "altitude_km")
    times = [ltdn] if isinstance(ltdn, (str, int, float)) else list(ltdn)
    hours = [parse_local_time(t) for t in times]
    if isinstance(per_plane, bool) or not isinstance(per_plane, int):
        raise UsageError(f"per_plane={per_plane!r} is not a whole number.\n"
                         "Fix: give e.g. per_plane=2.")
    e = _design_epoch(epoch, now)
    records = generate(altitude, hours, per_plane, e)
    names = [t if isinstance(t, str) else f"{int(h):02d}:{round(h % 1 * 60) % 60:02d}"
             for t, h in zip(times, hours, strict=True)]
    return _design(records, f"sun-synchronous at {altitude:g} km (inclination "
                            f"{sso_inclination_deg(altitude, e):.3f} deg), descending nodes "
                            f"{', '.join(names)}", e)


# --------------------------------------------------------------------------- sweeps

SWEEP_COLUMNS = ["design", "satellites", "planes", "region", "mean_revisit_h", "max_revisit_h",
                 "first_image_h", "never_imaged_pct", "hypothetical", "meets_target"]


@dataclass(eq=False, repr=False)
class DesignSweep(Result):
    """Imaging revisit over Pakistan and its provinces of HYPOTHETICAL Walker designs of
    growing size: one row per design and region (mean revisit and longest wait in
    hours, time to the first image, % never imaged) and whether it meets the revisit
    target (the longest wait anywhere in the region at most ``target_revisit_h``)."""

    specs: list = field(default_factory=list)

    kind = "design x region rows"

    @property
    def smallest(self) -> dict | None:
        """The whole-country row of the smallest design meeting the target, or None."""
        from orbitview.studies.sweep import smallest_meeting
        return smallest_meeting(self.rows, self.meta["target_revisit_h"])

    def target_text(self) -> str:
        """The line naming the smallest design that meets the target ('' without one)."""
        from orbitview.studies.sweep import target_text
        return target_text(self.rows, self.meta["target_revisit_h"])

    def summary(self) -> str:
        regions = len(self.rows) // max(len(self.specs), 1)
        line = self.target_text()
        return (f"{len(self.specs)} HYPOTHETICAL designs x {regions} regions"
                + (f"; {line}" if line else ""))

    def plot(self):
        """Revisit against fleet size per plane count, and per province (a Figure)."""
        from orbitview.products.sweep_plot import plot_sweep
        return plot_sweep(self.rows, self.meta["figure_title"], self.meta["caption"],
                          target_max_revisit_h=self.meta["target_revisit_h"])


def _int_list(value, name: str) -> list[int]:
    from orbitview.orbit.design import parse_int_list
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        return parse_int_list(str(value), name)
    return parse_int_list(",".join(str(v) for v in value), name)


def design_sweep(altitude_km: float = 550.0, inclination=53.0, satellites=(4, 8, 12, 16, 24),
                 planes=(1, 2, 3, 4), *, instrument: str = "PRSC-EO1",
                 first_ltdn: str = "10:30", start=None, days: float = 14.0,
                 step_s: float = 30.0, resolution_deg: float = 0.25,
                 target_revisit_h: float | None = 24.0, engine=None,
                 now: dt.datetime | None = None, catalog=None, progress=None) -> DesignSweep:
    """Imaging revisit over Pakistan's provinces for HYPOTHETICAL Walker designs of every
    size in ``satellites`` and plane count in ``planes`` that divides it (the CLI's
    ``design sweep``), each satellite with ``instrument``'s imager.

    ``inclination``: degrees, or ``"sso"`` for the sun-synchronous inclination at the
    altitude; ``first_ltdn``: local mean solar time of the first plane's descending node
    at the start; ``start`` (default: today 00:00 UTC) is also the designs' epoch.
    ``target_revisit_h``: the revisit asked for (default 24 h: every cell imaged at
    least once a day, the window's ends included); each row says whether it is met, and
    :meth:`DesignSweep.target_text` names the smallest design that meets it (None: no
    target).  ``progress(done, total)`` is told the time steps done after each chunk,
    over every design (:mod:`orbitview.util.progress`).
    """
    from orbitview.access.coverage import make_grid, steps_between
    from orbitview.access.imaging import imaging_rule
    from orbitview.data.regions import REGIONS, pakistan_polygon, province_polygons
    from orbitview.data.sensors import load_sensors
    from orbitview.orbit.design import sso_inclination_deg
    from orbitview.studies.sweep import meets_target, sweep, sweep_configs
    q = Question.of(catalog=catalog)
    altitude = inputs.number(altitude_km, "altitude_km")
    t0 = _design_epoch(start, now)
    n_days = inputs.number(days, "days", hi=366.0, positive=True)
    step = inputs.number(step_s, "step_s", positive=True)
    resolution = inputs.number(resolution_deg, "resolution_deg", hi=10.0, positive=True)
    target = None if target_revisit_h is None else \
        inputs.number(target_revisit_h, "target_revisit_h", positive=True)
    end = t0 + dt.timedelta(days=n_days)
    if isinstance(inclination, str) and inclination.strip().lower() == "sso":
        incl = sso_inclination_deg(altitude, t0)
    else:
        try:
            value = float(inclination) if isinstance(inclination, str) else inclination
        except ValueError:
            value = inclination
        incl = inputs.number(value, "inclination", lo=0.0, hi=180.0)
        if not 0.0 < incl < 180.0:
            raise UsageError(f"inclination={inclination!r} is out of range.\nFix: give a "
                             "number between 0 and 180 (exclusive), or 'sso'.")
    specs, skipped = sweep_configs(_int_list(satellites, "satellites"),
                                   _int_list(planes, "planes"), incl)
    notes = list(q.notes) + [Note("note", f"skipped {s}") for s in skipped]
    sensor = load_sensors(q.catalog).get(q.catalog.resolve(instrument).norad_id)
    if sensor is None or not sensor.is_imaging:
        raise UsageError(f"{instrument} has no imaging instrument in data/sensors.csv.\n"
                         "Fix: give --instrument PRSS-1, PRSC-EO1, HS-1 or another imager.")
    grid = make_grid(REGIONS["pakistan"], resolution, pakistan_polygon())
    from orbitview.util.progress import counting
    tick = counting(progress, len(specs) * steps_between(t0, end, step))
    rows = sweep(specs, altitude, sensor, grid, province_polygons(), t0, end, step, engine,
                 progress=tick, raan0_deg=_raan0(first_ltdn, t0))
    for r in rows:
        r["meets_target"] = meets_target(r, target)
    rule = imaging_rule(sensor)
    assumed = ", ".join(rule.assumptions)
    what = (f"Walker designs at {altitude:g} km, {incl:.2f} deg, first plane's descending "
            f"node at {first_ltdn} local time at the start, each satellite with "
            f"{sensor.name}'s imager ({rule.describe()})")
    caption = (f"HYPOTHETICAL designs generated by 'orbitview design', not real satellites. "
               f"{what}. Window {t0:%Y-%m-%d} + {n_days:g} days, step {step:g} s, grid "
               f"{resolution:g} deg. Revisit counted between imaging opportunities (daylight "
               "and field of regard); longest wait includes the window's ends. "
               + (f"Assumed instrument values: {assumed}." if assumed else ""))
    meta = {"altitude_km": altitude, "inclination_deg": incl, "start": t0, "end": end,
            "days": n_days, "step_s": step, "resolution_deg": resolution,
            "instrument": sensor.name, "target_revisit_h": target, "what": what,
            "title": f"HYPOTHETICAL constellations: {what}", "caption": caption,
            "figure_title": f"HYPOTHETICAL constellations: imaging revisit over Pakistan "
                            f"against fleet size ({len(specs)} designs)"}
    return DesignSweep(rows, list(SWEEP_COLUMNS), [], notes, meta, specs=specs)
