"""The geostationary neighbourhood: who shares the arc near a slot, and how they move.

A geostationary satellite is described by its *mean* sub-satellite longitude
(averaged over one sidereal day, which removes the daily figure-eight that
inclination and eccentricity draw), its inclination and eccentricity, and the
rate at which the mean longitude drifts (deg/day).  Operators keep a slot
within about +-0.1 deg by manoeuvring every week or two; between manoeuvres
the drift is a few thousandths of a degree per day.  An object left alone
drifts: the Earth's ellipticity accelerates it towards 75 E or 105 W, and one
raised to a graveyard orbit drifts west by degrees per day.

Everything here comes from element sets through SGP4 (the same propagation
as every other command).  One set cannot prove station-keeping; its drift
rate can: a drift below :data:`KEPT_MAX_DRIFT_DEG_PER_DAY` at the set's epoch
is what a kept satellite shows, and tested on 95 pairs of real CelesTrak sets
three months apart it separates the objects that stayed in their slot from
those that moved (see ``tests/test_geobelt.py``).  The classes follow ESA's
*Classification of Geosynchronous Objects*: C1 (kept in longitude and
inclination, inclination below 0.3 deg), C2 (kept in longitude only) and D
(drifting); an object librating about a stable point also drifts slowly and
one set cannot tell it from C2, so that class is named for what is seen.

Operator or country is shown only from :data:`OWNERS_FILE`, a small table of
CelesTrak SATCAT owner codes with their source; it is never guessed from a
name (geo.tle's "BADR-5" is an Arabsat satellite).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from orbitview.data.elements import STALE_AFTER_DAYS, ElementSet, ElementStore, nearest_index
from orbitview.util.errors import DataError, Problem, UsageError

GEO_RADIUS_KM = 42164.17
"""Radius of the geostationary orbit: 1 deg of longitude is 735.9 km along it."""
SIDEREAL_DAY_D = 0.99726956633
SAMPLES_PER_DAY = 48
"""Positions per sidereal day averaged into one mean longitude."""
KEPT_MAX_DRIFT_DEG_PER_DAY = 0.05
"""Largest mean-longitude drift of a station-kept object.  A slot kept within +-0.1 deg
with a manoeuvre every two weeks needs at most ~0.03 deg/day; natural and graveyard drifts
are 0.1 to several deg/day.  On the 95 pairs of sets in the tests, every object that moved
more than 0.5 deg in three months either drifted faster than 0.25 deg/day at the first set
or was moved by a manoeuvre, which no single set can foresee."""
NS_KEPT_MAX_INCLINATION_DEG = 0.3
"""ESA's class C1 (north-south kept too) has inclination below 0.3 deg."""
BOX_HALF_WIDTH_DEG = 0.1
"""The usual +-0.1 deg station-keeping box (east-west, and north-south in latitude)."""

STATUS_KEPT = "station-kept"
STATUS_EW = "E-W kept"
STATUS_DRIFT = "drifting"
STATUS_TEXT = {
    STATUS_KEPT: f"drift <= {KEPT_MAX_DRIFT_DEG_PER_DAY:g} deg/day and inclination < "
                 f"{NS_KEPT_MAX_INCLINATION_DEG:g} deg (ESA class C1)",
    STATUS_EW: f"drift <= {KEPT_MAX_DRIFT_DEG_PER_DAY:g} deg/day, inclination >= "
               f"{NS_KEPT_MAX_INCLINATION_DEG:g} deg (ESA C2; a librating object looks the "
               "same in one set)",
    STATUS_DRIFT: f"drift > {KEPT_MAX_DRIFT_DEG_PER_DAY:g} deg/day (ESA class D)",
}
NEAR_GEO_REV_PER_DAY = (0.9, 1.1)
"""Mean motions of the objects a catalogue puts on the arc: near one revolution a sidereal
day (CelesTrak's geo group takes 0.99 to 1.01; the margin keeps drifting objects).  A
catalogue's other objects (a LEO group given as the catalogue) are not on the arc."""
OWNERS_FILE = "geo_owners.csv"
OWNER_CODES_URL = "https://celestrak.org/satcat/sources.php"


# --------------------------------------------------------------------------- the catalogue

@dataclass(eq=False)
class BeltObject:
    """One object of a GEO catalogue with every element set known for it."""

    norad_id: int
    name: str
    history: list[ElementSet]
    cospar_id: str = ""
    record: str = ""
    """Name of the orbitview launch record (a Pakistani object), '' otherwise."""
    launch_utc: str = ""
    """The record's launch time as written in launches.csv ('' for other objects)."""
    launch_time: dt.datetime | None = None
    """The record's launch instant (midnight UTC when only the date is known)."""
    launch_time_known: bool = True

    def not_launched_by(self, at: dt.datetime) -> str | None:
        """Why the object was not yet in orbit at ``at`` ('it was launched on 2024-05-30T12:12Z';
        for an object without an orbitview record, from the year of its COSPAR id), or None
        (in orbit then, as far as the records tell)."""
        if self.launch_time is not None:
            if at >= self.launch_time:
                return None
            when = self.launch_utc if self.launch_time_known else \
                f"{self.launch_utc} (time of day unknown)"
            return f"it was launched on {when}"
        year = self.cospar_id[:4]
        if len(self.cospar_id) > 5 and year.isdigit() and self.cospar_id[4] == "-" and \
                at < dt.datetime(int(year), 1, 1, tzinfo=dt.timezone.utc):
            return f"it was launched in {year} (COSPAR {self.cospar_id})"
        return None

    def set_at(self, when_jd: float) -> ElementSet:
        return self.history[int(nearest_index([es.epoch_jd for es in self.history],
                                              np.array([when_jd]))[0])]


@dataclass
class Belt:
    """A GEO catalogue joined to orbitview's own element sets."""

    objects: list[BeltObject]
    source: str
    """Where the catalogue came from, for captions."""
    epochs: tuple[dt.datetime, dt.datetime]
    """Oldest and newest epoch of the catalogue file's own sets."""
    path: Path | None = None
    owners: dict[int, dict] = field(default_factory=dict)
    not_geo: int = 0
    """Objects of the catalogue file left off the arc: not near-geostationary."""

    def by_norad(self, norad_id: int) -> BeltObject | None:
        return next((o for o in self.objects if o.norad_id == norad_id), None)


def bundled_catalogue() -> Path:
    from orbitview.data.datadir import data_dir
    return data_dir() / "catalogs" / "geo.tle"


def read_catalogue(path: Path) -> list[ElementSet]:
    """Every element set in a 3LE/TLE/OMM file; any bad entry is an error naming its line."""
    from orbitview.data.external import read_elements_file
    return [es for sat in read_elements_file(path) for es in sat.elements]


def read_owners(path: Path) -> dict[int, dict]:
    """The sourced owner table: {norad_id: {"satcat_owner": code, "source": text}}."""
    if not path.is_file():
        return {}
    out, problems = {}, []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        for row in reader:
            norad = (row.get("norad_id") or "").strip()
            if not norad.isdigit() or not (row.get("satcat_owner") or "").strip() \
                    or not (row.get("source") or "").strip():
                problems.append(Problem(path, reader.line_num, "a row needs a NORAD number, an "
                                        "owner code and its source", str(row),
                                        "fill norad_id, satcat_owner and source"))
                continue
            out[int(norad)] = {"satcat_owner": row["satcat_owner"].strip(),
                               "source": row["source"].strip()}
    if problems:
        raise DataError(problems)
    return out


def load_belt(path: Path | str | None = None, catalog=None) -> Belt:
    """A GEO catalogue (``path``, default the bundled CelesTrak geo group) joined by NORAD
    number to orbitview's own element sets (bundled history and ``tle update`` store)."""
    from orbitview.data.datadir import data_dir
    if catalog is None:
        from orbitview.data.catalog import load_catalog
        catalog = load_catalog()
    path = Path(path) if path else bundled_catalogue()
    sets = read_catalogue(path)
    epochs = (min(es.epoch for es in sets), max(es.epoch for es in sets))
    store = ElementStore(sets)
    lo, hi = NEAR_GEO_REV_PER_DAY
    near_geo = [h for h in store.by_norad.values() if lo <= h[-1].mean_motion_rev_per_day <= hi]
    not_geo = len(store.by_norad) - len(near_geo)
    store = ElementStore([es for history in near_geo for es in history])
    records = {}
    for sat in catalog:
        if sat.norad_id and sat.elements and (sat.is_geo or sat.norad_id in store.by_norad):
            for es in sat.elements:
                store.add(es)
            records[sat.norad_id] = sat.record
    objects = []
    for norad, history in store.by_norad.items():
        newest = history[-1]
        r = records.get(norad)
        objects.append(BeltObject(norad, newest.name, history, newest.cospar_id,
                                  r.name if r else "", r.launch_utc if r else "",
                                  r.launch_time if r else None,
                                  r.launch_time_known if r else True))
    label = ("CelesTrak GROUP=geo as bundled (data/catalogs/geo.tle)"
             if path == bundled_catalogue() else str(path))
    return Belt(objects, label, epochs, path, read_owners(data_dir() / OWNERS_FILE), not_geo)


# --------------------------------------------------------------------------- mean states

@contextlib.contextmanager
def nan_expected():
    """Silence numpy's warnings where NaN is an expected answer: a set SGP4 cannot carry
    to a time gives NaN positions, and their means and maxima are NaN (said in words by
    the caller, never as 'RuntimeWarning: Mean of empty slice' with a source path)."""
    with warnings.catch_warnings(), np.errstate(invalid="ignore", divide="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _circular_mean_deg(lon_deg: np.ndarray, axis: int = -1) -> np.ndarray:
    rad = np.radians(lon_deg)
    with nan_expected():
        mean = np.degrees(np.arctan2(np.nanmean(np.sin(rad), axis=axis),
                                     np.nanmean(np.cos(rad), axis=axis)))
    return wrap180(mean)


def wrap180(deg):
    """Degrees into [-180, 180)."""
    return (np.asarray(deg, dtype=float) + 180.0) % 360.0 - 180.0


def earth_fixed_km(sets: list[ElementSet], tt: np.ndarray) -> np.ndarray:
    """ITRS positions (3, n_set, n_time) in km: set i propagated to the TT Julian dates
    ``tt[i]`` (shape (n_set, n_time)), by the same SGP4 and frame path as
    :func:`orbitview.orbit.propagate.propagate`; NaN where SGP4 fails."""
    from orbitview.orbit.frames import gmst_rad, sgp4_jd, teme_to_itrs
    from orbitview.util.timeutil import timescale
    tt = np.asarray(tt, dtype=float)
    n_set, n_time = tt.shape
    t = timescale().tt_jd(tt.ravel())
    jd, fr = sgp4_jd(t)
    r = np.empty((n_set * n_time, 3))
    for i, es in enumerate(sets):
        part = slice(i * n_time, (i + 1) * n_time)
        error, r[part], _ = es.satrec.sgp4_array(jd[part], fr[part])
        r[part][error != 0] = np.nan
    return teme_to_itrs(r, gmst_rad(t)).reshape(3, n_set, n_time)


@dataclass
class MeanState:
    """Daily-mean geostationary quantities of n sets, each at its own centre time."""

    lon_deg: np.ndarray
    """Mean sub-satellite longitude over the sidereal day centred on the time."""
    drift_deg_per_day: np.ndarray
    """Change of the mean longitude from the day before the time to the day after."""
    lat_excursion_deg: np.ndarray
    """Largest |latitude| (geocentric) over the centred day: the north-south box used."""
    radius_km: np.ndarray


def mean_states(sets: list[ElementSet], centre_tt) -> MeanState:
    """Mean longitude, drift and latitude excursion of each set at its centre time (TT JD).

    Samples span one sidereal day either side of the centre; the mean longitude is
    the circular mean over the middle day, the drift the difference between the
    means over the day before and the day after, divided by their separation.
    """
    n = SAMPLES_PER_DAY
    offsets = (np.arange(2 * n) - n + 0.5) * (SIDEREAL_DAY_D / n)
    tt = np.asarray(centre_tt, dtype=float)[:, None] + offsets[None, :]
    xyz = earth_fixed_km(sets, tt)
    lon = np.degrees(np.arctan2(xyz[1], xyz[0]))
    rho = np.hypot(xyz[0], xyz[1])
    lat = np.degrees(np.arctan2(xyz[2], rho))
    middle = slice(n // 2, n // 2 + n)
    before = _circular_mean_deg(lon[:, :n])
    after = _circular_mean_deg(lon[:, n:])
    with nan_expected():
        excursion = np.nanmax(np.abs(lat[:, middle]), axis=1) if len(sets) else np.empty(0)
        radius = np.nanmean(np.sqrt(rho * rho + xyz[2] ** 2)[:, middle], axis=1) \
            if len(sets) else np.empty(0)
    return MeanState(_circular_mean_deg(lon[:, middle]), wrap180(after - before) / SIDEREAL_DAY_D,
                     excursion, radius)


def classify(drift_deg_per_day, inclination_deg) -> np.ndarray:
    """Station-keeping status of each object (see :data:`STATUS_TEXT`)."""
    drift = np.abs(np.asarray(drift_deg_per_day, dtype=float))
    incl = np.asarray(inclination_deg, dtype=float)
    kept = drift <= KEPT_MAX_DRIFT_DEG_PER_DAY
    return np.where(kept & (incl < NS_KEPT_MAX_INCLINATION_DEG), STATUS_KEPT,
                    np.where(kept, STATUS_EW, STATUS_DRIFT))


# --------------------------------------------------------------------------- the survey

@dataclass
class Reference:
    """Where the survey is centred: an object of the belt or a bare longitude."""

    label: str
    lon_deg: float
    norad_id: int | None = None


_LON_SUFFIX = {"E": 1.0, "W": -1.0}


def parse_longitude(text: str) -> float | None:
    """'38.2', '38.2E', '70.5 W', '-70.5' -> degrees east in [-180, 180); None if not a
    longitude.  A whole number above 360 is a NORAD number, not a longitude."""
    t = str(text).strip().upper().replace("\u00b0", "")
    sign = 1.0
    suffixed = t[-1:] in _LON_SUFFIX
    if suffixed:
        sign, t = _LON_SUFFIX[t[-1]], t[:-1].strip()
        if t.startswith("-"):
            return None
    try:
        value = float(t)
    except ValueError:
        return None
    if not np.isfinite(value):
        return None
    if abs(value) > 360.0:
        if suffixed or not value.is_integer():      # 400E, 400.5: no NORAD number either
            raise UsageError(f"longitude {text!r} is out of range.\nFix: give a longitude "
                             "from 180W to 180E (or 0 to 360 east), e.g. 38.2E.")
        return None
    return float(wrap180(sign * value))


def resolve_object(belt: Belt, text: str, catalog=None) -> BeltObject:
    """The belt object named by a name, NORAD number or COSPAR id, or by an orbitview
    launch record (PakSat-MM1 -> 59915), through the one resolver every command uses: a
    name that means two objects is an error listing both; no silent pick."""
    from orbitview.data.external import Resolver, satellites_from_sets
    query = str(text).strip()
    if query.isdigit():
        obj = belt.by_norad(int(query))
        if obj is None:
            raise UsageError(f"NORAD {query} is not in the GEO catalogue ({belt.source}).\n"
                             "Fix: give a longitude (e.g. 38.2E) or an object listed by "
                             "'orbitview geo-belt --within 180 --format csv'.")
        return obj
    if catalog is None:
        from orbitview.data.catalog import load_catalog
        catalog = load_catalog()
    records = {s.norad_id for s in catalog if s.norad_id}
    others = satellites_from_sets([es for o in belt.objects if o.norad_id not in records
                                   for es in o.history], belt.source)
    sat = Resolver(catalog, others).resolve(query)
    if sat.norad_id is None:
        why = f" ({sat.why_no_elements()})" if hasattr(sat, "why_no_elements") else ""
        raise UsageError(f"{sat.name} has no NORAD catalog number, so no element set places it "
                         f"on the geostationary arc{why}.\nFix: give a geostationary object "
                         "(e.g. PakSat-MM1 or 37779) or a longitude such as 38.2E.")
    obj = belt.by_norad(sat.norad_id)
    if obj is None and getattr(sat, "elements", None) and not sat.latest.is_deep_space:
        raise UsageError(f"{sat.name} ({sat.norad_id}) is not geostationary: it circles the "
                         f"Earth {sat.latest.mean_motion_rev_per_day:.1f} times a day, so it "
                         "has no place on the geostationary arc.\nFix: choose a geostationary "
                         "object (e.g. PakSat-MM1 or 37779), or give a longitude such as 38.2E.")
    if obj is None:
        raise UsageError(f"{sat.name} ({sat.norad_id}) has no element set in the GEO "
                         f"catalogue ({belt.source}) or in orbitview's data.\nFix: choose a "
                         "geostationary object, or give a longitude.")
    return obj


def survey(belt: Belt, at: dt.datetime, around: str | float, within_deg: float,
           catalog=None) -> tuple[Reference, list[dict], list[str]]:
    """Every object whose mean longitude at ``at`` lies within ``within_deg`` of the reference.

    Returns the reference, one row per object (west to east) and warnings.  Positions
    come from the set whose epoch is nearest ``at``; where that set is older (or newer)
    than :data:`~orbitview.data.elements.STALE_AFTER_DAYS`, a station-kept object is held at
    its mean longitude of the set's epoch (SGP4 would carry it away from the slot its
    operator keeps), and any other object is carried by SGP4 with a warning.
    """
    from orbitview.util.timeutil import iso, timescale
    if not 0.0 < within_deg <= 180.0:
        raise UsageError(f"--within {within_deg:g} deg is outside 0 to 180.\n"
                         "Fix: give e.g. --within 5.")
    from orbitview.orbit.frames import sgp4_jd
    ts = timescale()
    t_at = ts.from_datetime(at)
    at_tt = float(t_at.tt)
    whole, fraction = sgp4_jd(t_at)
    objs = belt.objects
    sets = [o.set_at(float(whole[0] + fraction[0])) for o in objs]
    epoch_tt = np.array([ts.from_datetime(es.epoch).tt for es in sets])
    age_days = np.array([es.age_days(at) for es in sets])
    at_epoch = mean_states(sets, epoch_tt)
    at_time = mean_states(sets, np.full(len(sets), at_tt))
    incl = np.array([np.degrees(es.satrec.inclo) for es in sets])
    status = classify(at_epoch.drift_deg_per_day, incl)
    stale = np.abs(age_days) > STALE_AFTER_DAYS
    held = stale & (status != STATUS_DRIFT)
    lon = np.where(held, at_epoch.lon_deg, at_time.lon_deg)

    if isinstance(around, (int, float)):
        ref = Reference(f"{_lon_text(float(around))}", float(wrap180(around)))
    else:
        value = parse_longitude(around)
        if value is not None:
            ref = Reference(_lon_text(value), value)
        else:
            obj = resolve_object(belt, around, catalog)
            i = objs.index(obj)
            if not np.isfinite(lon[i]):
                raise UsageError(f"SGP4 cannot propagate {obj.name} ({obj.norad_id}) to "
                                 f"{iso(at)}.\nFix: choose a time nearer its epoch "
                                 f"{iso(sets[i].epoch)}.")
            ref = Reference(obj.record or obj.name, float(lon[i]), obj.norad_id)

    sep = wrap180(lon - ref.lon_deg)
    near = np.flatnonzero(np.abs(sep) <= within_deg + 1e-9)
    # An object not yet launched at the time was not on the arc: not listed, but said.
    why_not = {int(i): objs[i].not_launched_by(at) for i in near}
    inside = np.array([i for i in near if why_not[int(i)] is None], dtype=int)
    warnings = launch_warnings([(objs[i], why) for i, why in why_not.items() if why], at,
                               within_deg, ref)
    if belt.not_geo:
        lo, hi = NEAR_GEO_REV_PER_DAY
        warnings.insert(0, f"{belt.not_geo:,} object{'s' if belt.not_geo != 1 else ''} of "
                        f"{belt.source} {'are' if belt.not_geo != 1 else 'is'} not near "
                        f"geostationary (mean motion outside {lo:g} to {hi:g} rev/day) and "
                        "left off the arc.")
    rows = []
    for i in inside[np.argsort(sep[inside])]:
        o, es = objs[i], sets[i]
        owner = belt.owners.get(o.norad_id, {})
        if not stale[i]:
            basis = "SGP4 at the time"
        elif held[i]:
            basis = (f"held at its mean longitude of {es.epoch:%Y-%m-%d} "
                     f"(set {abs(age_days[i]):.0f} days old)")
        else:
            basis = f"SGP4 extrapolated {abs(age_days[i]):.0f} days"
        rows.append({
            "name": o.name, "norad_id": o.norad_id, "cospar_id": o.cospar_id or None,
            "record": o.record or None, "owner": owner.get("satcat_owner"),
            "mean_lon_deg": round(float(lon[i]), 3),
            "separation_deg": round(float(sep[i]), 3),
            "separation_km": round(float(np.radians(abs(sep[i])) * GEO_RADIUS_KM), 0),
            "inclination_deg": round(float(incl[i]), 3),
            "eccentricity": round(float(es.satrec.ecco), 5),
            "lat_excursion_deg": round(float(at_time.lat_excursion_deg[i]), 3)
            if not held[i] else round(float(at_epoch.lat_excursion_deg[i]), 3),
            "drift_deg_per_day": round(float(at_epoch.drift_deg_per_day[i]), 4),
            "status": str(status[i]),
            "epoch_utc": es.epoch.replace(microsecond=0),
            "age_days": round(float(age_days[i]), 1),
            "position": basis,
            "reference": o.norad_id == ref.norad_id,
            "owner_source": owner.get("source"),
            "elements_source": es.source or es.origin,
        })
    n_stale = int(stale[inside].sum())
    if n_stale:
        warnings.append(
            f"{n_stale} of {len(inside)} objects have element sets more than "
            f"{STALE_AFTER_DAYS:.0f} days from {iso(at)}: station-kept ones are held at their "
            "mean longitude of the set's epoch, the others carried by SGP4 (a drift "
            "extrapolated that far can be off by degrees). Fix: 'orbitview tle update' when "
            "online, or give --at near the catalogue's epoch.")
    return ref, rows, warnings


MOST_NAMED = 5
"""Objects without an orbitview record named in the note on objects not yet launched."""


def launch_warnings(unlaunched, at: dt.datetime, within_deg: float, ref: Reference) -> list[str]:
    """What to say of objects in the window not yet launched at ``at``: one sentence per
    orbitview record (the reference too), one for the others together."""
    from orbitview.util.timeutil import iso
    out, others = [], []
    for obj, why in unlaunched:
        if not obj.record:
            others.append(obj)
            continue
        centred = (" the survey is centred on the slot its later element sets give"
                   if obj.norad_id == ref.norad_id else "")
        out.append(f"{obj.record} had not launched by {iso(at)}: {why}; it is not listed"
                   + (f", and{centred}" if centred else "") + ".")
    if others:
        named = ", ".join(o.name for o in others[:MOST_NAMED]) + (
            f" and {len(others) - MOST_NAMED} more" if len(others) > MOST_NAMED else "")
        out.append(f"{len(others)} object{'s' if len(others) != 1 else ''} within "
                   f"{within_deg:g} deg had not launched by {iso(at)} (by the year of their "
                   f"COSPAR id) and {'are' if len(others) != 1 else 'is'} not listed: "
                   f"{named}.")
    return out


def _lon_text(lon: float) -> str:
    return f"{abs(lon):.2f}\u00b0 {'E' if lon >= 0 else 'W'}"


# --------------------------------------------------------------------------- history

def slot_history(obj: BeltObject, until: dt.datetime | None = None,
                 continue_days: float = 30.0, step_days: float = 1.0) -> dict:
    """Mean longitude and inclination at every stored epoch of ``obj``, and what SGP4
    predicts from each set until the next one (at most ``continue_days``).

    Returns {"epochs": [...], "lon_deg": array, "inclination_deg": array,
    "drift_deg_per_day": array, "status": array, "tracks": [(times, lon_deg), ...]}.
    """
    from orbitview.util.timeutil import timescale
    ts = timescale()
    history = obj.history
    epoch_tt = np.array([ts.from_datetime(es.epoch).tt for es in history])
    state = mean_states(history, epoch_tt)
    incl = np.array([np.degrees(es.satrec.inclo) for es in history])
    tracks = []
    for k, es in enumerate(history):
        end = history[k + 1].epoch if k + 1 < len(history) else (until or es.epoch)
        days = min(max((end - es.epoch).total_seconds() / 86400.0, 0.0), continue_days)
        if days < step_days:
            continue
        offsets = np.arange(0.0, days + 1e-9, step_days)
        track = mean_states([es] * len(offsets), epoch_tt[k] + offsets)
        times = [es.epoch + dt.timedelta(days=float(d)) for d in offsets]
        tracks.append((times, track.lon_deg))
    return {"epochs": [es.epoch for es in history], "lon_deg": state.lon_deg,
            "inclination_deg": incl, "drift_deg_per_day": state.drift_deg_per_day,
            "status": classify(state.drift_deg_per_day, incl), "tracks": tracks}
