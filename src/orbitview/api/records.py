"""The records behind everything: launches, element sets, the data directory.

Each function answers one question the CLI's ``launches``, ``history``, ``tle status``,
``tle history``, ``tle update``, ``info`` and ``data check`` answer (they call these):

    >>> import orbitview as ov
    >>> ov.launches(since=2018, orbit="SSO").to_dataframe()            # doctest: +SKIP
    >>> ov.element_status(["PRSS-1", "PakSat-MM1"], "2026-09-10T00:00Z")  # doctest: +SKIP
    >>> ov.check_data().ok                                               # doctest: +SKIP

Every data problem is data too: a row of ``launches.csv`` that cannot be read is named
in ``left_out`` (the CLI then exits 1); ``check_data()`` lists every problem with its
file, line, evidence and fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orbitview.api import inputs
from orbitview.api.question import Question
from orbitview.api.results import ElementInfo, Note, Result
from orbitview.util.errors import UsageError
from orbitview.util.timeutil import iso

if TYPE_CHECKING:
    from orbitview.data.catalog import Catalog, LaunchRecord, Satellite
    from orbitview.data.external import ExternalSatellite
    from orbitview.orbit.accuracy import ErrorBound

# --------------------------------------------------------------------------- the 90 % bound


def bound_of(sat, at: dt.datetime, hold: bool = True, element_set=None):
    """(ErrorBound, Hold or None): the 90 % error bound of a position of ``sat`` at ``at``
    predicted from ``element_set`` (default: the set nearest ``at``, as propagation picks
    it), and the geostationary slot hold that position gets (None: SGP4 as it is).

    Every bound the record answers show (``tle status``) comes from
    :func:`orbitview.orbit.accuracy.bound_at`, the function the calibration tests.
    """
    from orbitview.orbit.accuracy import bound_at, error_bound
    from orbitview.orbit.geohold import hold_for
    if element_set is None:
        bound = bound_at(sat, at, hold)
        es = min(sat.elements, key=lambda e: abs((e.epoch - at).total_seconds()))
        return bound, hold_for(sat, es, es.age_days(at), hold)
    age = element_set.age_days(at)
    held = hold_for(sat, element_set, age, hold)
    return error_bound(sat, age, held=held is not None, element_set=element_set), held


def error_bound(satellite, at="now", *, hold: bool = True, elements=None, tz=None,
                now: dt.datetime | None = None, catalog=None):
    """The 90 % error bound of where orbitview puts ``satellite`` at ``at``: an
    :class:`~orbitview.orbit.accuracy.ErrorBound` (``position_km``, ``timing_s``,
    ``phase_lost``, ``basis``: which model and data give it), the one ``tle status``,
    ``look``, ``passes`` and the maps state, calibrated per orbit class and age on real
    CelesTrak element sets (see the Accuracy page).

    >>> import orbitview as ov
    >>> b = ov.error_bound("PakSat-MM1", "2026-11-21T00:00Z")
    >>> b.position_km < 200 and b.held
    True
    """
    from orbitview.orbit.accuracy import bound_at
    q = Question.of(elements, None, hold, tz, catalog)
    [sat] = q.satellites(satellite if not isinstance(satellite, (list, tuple))
                         else list(satellite)[:1])
    return bound_at(sat, q.when(at, None, now, "at"), q.hold)


# --------------------------------------------------------------------------- launches

LAUNCH_COLUMNS = ["name", "aliases", "cospar_id", "norad_id", "launch_utc", "launch_vehicle",
                  "launch_site", "launch_country", "orbit_class", "operator", "builder",
                  "partner_country", "purpose", "status", "uncertain", "notes", "source"]
LAUNCH_TABLE_COLUMNS = ["name", "launch_utc", "launch_vehicle", "launch_site",
                        "launch_country", "orbit_class", "norad_id", "cospar_id", "status"]


@dataclass(eq=False, repr=False)
class Launches(Result):
    """Launch records of Pakistani satellites, oldest first: one row per launched object
    with every column of ``data/launches.csv`` (``launch_utc`` as recorded: a date when
    only the day is known; lists for aliases, uncertain columns and sources)."""

    launch_records: list = field(default_factory=list)
    """The :class:`~orbitview.data.catalog.LaunchRecord` of each row."""

    kind = "launch records"

    def summary(self) -> str:
        from orbitview.data.catalog import satellites_on_launches
        return satellites_on_launches(self.launch_records)

    def to_dataframe(self):
        """The rows as a DataFrame, plus ``launch_time_utc`` (tz-aware; midnight UTC where
        only the date is known) and ``launch_time_known`` after ``launch_utc``."""
        from orbitview.api.results import require
        frame = super().to_dataframe()
        pd = require("pandas", "to_dataframe()")
        at = frame.columns.get_loc("launch_utc") + 1
        frame.insert(at, "launch_time_known", [r.launch_time_known for r in self.launch_records])
        frame.insert(at, "launch_time_utc",
                     pd.to_datetime([r.launch_time for r in self.launch_records], utc=True))
        return frame

    def plot(self, today=None, *, now: dt.datetime | None = None):
        """The launch-history figure of these records (see :func:`history_figure`)."""
        return _history(self.launch_records, today, now, list(self.notes))


def _year_or_date(value, name: str, end: bool) -> dt.datetime | None:
    from orbitview.util.timeutil import parse_year_or_date
    if value is None:
        return None
    if isinstance(value, bool):
        raise UsageError(f"{name}={value!r} is not a year or a date.\n"
                         f"Fix: give e.g. {name}=2018 or {name}='2018-07-09'.")
    if isinstance(value, int):
        value = f"{value:04d}" if 0 <= value <= 9999 else str(value)
    if isinstance(value, dt.datetime):
        return inputs.when(value, option=name)
    if isinstance(value, dt.date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise UsageError(f"{name}={value!r} is not a year or a date.\n"
                         f"Fix: give e.g. {name}=2018 or {name}='2018-07-09'.")
    return parse_year_or_date(value, name, end=end)


def launches(since=None, until=None, vehicle: str | None = None, site: str | None = None,
             country: str | None = None, orbit: str | None = None,
             status: str | None = None, *, catalog=None) -> Launches:
    """The launch history of Pakistani satellites, oldest first (the CLI's ``launches``).

    ``since``/``until``: a year (``2018``: from its first instant / to its last), a date
    (``"2018-07-01"``, a UTC day, inclusive) or an aware datetime.  ``vehicle``, ``site``,
    ``country`` and ``status`` keep records whose value contains the text (any case);
    ``orbit`` is an orbit class (LEO, SSO, MEO, HEO, GTO, GEO, lunar).  A row of
    ``launches.csv`` that cannot be read is left out and named in ``left_out``.

    >>> import orbitview as ov
    >>> [r["name"] for r in ov.launches(vehicle="long march 3b")]   # doctest: +SKIP
    ['PakSat-1R', 'PakSat-MM1']
    """
    from orbitview.data.catalog import ORBIT_CLASSES
    t0 = _year_or_date(since, "since", end=False)
    t1 = _year_or_date(until, "until", end=True)
    if t0 is not None and t1 is not None and t0 > t1:
        raise UsageError(f"since {iso(t0)} is after until {iso(t1)}, so no launch could "
                         "match.\nFix: give the earlier date to since.")
    if orbit is not None:
        match = {c.lower(): c for c in ORBIT_CLASSES}.get(str(orbit).strip().lower())
        if match is None:
            raise UsageError(f"orbit={orbit!r} is not an orbit class.\n"
                             f"Fix: give one of {', '.join(ORBIT_CLASSES)}.")
        orbit = match
    q = Question.of(catalog=catalog)
    base = getattr(q.catalog, "base", q.catalog)
    records = [s.record for s in base]
    if t0 is not None:
        records = [r for r in records if r.launch_time >= t0]
    if t1 is not None:
        records = [r for r in records if r.launch_time <= t1]
    if orbit:
        records = [r for r in records if r.orbit_class == orbit]
    for text, attr in ((vehicle, "launch_vehicle"), (site, "launch_site"),
                       (country, "launch_country"), (status, "status")):
        if text:
            records = [r for r in records if str(text).lower() in getattr(r, attr).lower()]
    meta = {"since": t0, "until": t1, "vehicle": vehicle, "site": site, "country": country,
            "orbit": orbit, "status": status}
    return Launches([r.as_dict() for r in records], list(LAUNCH_COLUMNS), [], list(q.notes),
                    meta, left_out=rows_left_out(base), launch_records=records)


def rows_left_out(catalog) -> list[str]:
    """The rows of the catalog's ``launches.csv`` that could not be read: the name in the
    row where it can be read, else ``launches.csv:LINE``."""
    import csv
    from pathlib import Path
    directory = getattr(catalog, "directory", None)
    if directory is None:
        return []
    path = Path(directory) / "launches.csv"
    kept = {getattr(s.record, "line", None) for s in catalog}
    out = []
    for p in getattr(catalog, "problems", []):
        if p.path != path or (p.line is not None and p.line in kept):
            continue                       # another file, or a row that was read
        if p.line is None or p.line == 1:  # the file or its header
            if kept:
                continue                   # (an unknown column: every row was read)
            label = f"{path.name} (every row)"
        else:
            first = next(csv.reader([p.evidence]), [""])[0].strip() if p.evidence else ""
            label = first or f"{path.name}:{p.line}"
        if label and label not in out:
            out.append(label)
    return out


def history_figure(today=None, *, catalog=None, now: dt.datetime | None = None):
    """The launch-history figure (the CLI's ``history``): every launch since 1990 by
    launch site, launch country and orbit class, the launches per country and the pace,
    drawn up to ``today`` (default: now).  Returns a
    :class:`~orbitview.api.figures.Figure`.

    >>> import orbitview as ov
    >>> ov.history_figure("2026-11-21T00:00Z").savefig("history.png")   # doctest: +SKIP
    """
    q = Question.of(catalog=catalog)
    base = getattr(q.catalog, "base", q.catalog)
    return _history([s.record for s in base], today, now, list(q.notes))


@dataclass
class _Carrier:
    record: LaunchRecord


def _history(records, today, now, notes):
    from orbitview.api.figures import Figure
    from orbitview.products.history_plot import plot_history
    day = inputs.when("now" if today is None else today, now=now, option="today")
    fig = plot_history([_Carrier(r) for r in records], today=day)
    return Figure(fig, notes)


# --------------------------------------------------------------------------- tle status

STATUS_COLUMNS = ["norad_id", "name", "element_sets", "newest_epoch_utc", "epoch_age_days",
                  "error_bound_km", "error_bound_90", "stale", "source", "note", "slot_held"]


@dataclass(eq=False, repr=False)
class ElementStatus(Result):
    """The newest element set of each object: its epoch, its age at the time asked, the
    90 % error bound of positions at that age (km, and as text; ``error_bound_km`` is
    None when the bound is the whole orbit), whether a geostationary slot is held, and
    a note (current, STALE beyond 14 days, why there are no sets, a data problem)."""

    satellites: list = field(default_factory=list)
    bounds: list[ErrorBound | None] = field(default_factory=list)
    """The :class:`~orbitview.orbit.accuracy.ErrorBound` of each row (None: no sets)."""

    kind = "objects"

    def summary(self) -> str:
        stale = sum(bool(r["stale"]) for r in self.rows)
        none = sum(r["stale"] is None for r in self.rows)
        return (f"{len(self.rows)} objects at {iso(self.meta['at'])}: {stale} stale, "
                f"{none} without usable sets")


def element_status(satellites=None, at="now", *, elements=None, hold: bool = True,
                   tz: str | None = None, now: dt.datetime | None = None,
                   catalog=None) -> ElementStatus:
    """Newest element epoch of each object, its age at ``at`` (default: now) and the 90 %
    error bound of positions at that age; stale beyond 14 days (the CLI's ``tle status``).

    ``satellites``: names, NORAD numbers, COSPAR ids or objects; None (or
    :data:`~orbitview.api.inputs.ALL`) for every launch record, with or without sets.
    An object whose data have a problem gets a row saying so and is named in
    ``left_out``.

    >>> import orbitview as ov
    >>> s = ov.element_status("PRSS-1", "2026-09-10T00:00Z")          # doctest: +SKIP
    >>> s[0]["epoch_age_days"], s[0]["error_bound_90"]                  # doctest: +SKIP
    """
    from orbitview.data.elements import STALE_AFTER_DAYS
    q = Question.of(elements, None, hold, tz, catalog)
    t_at = q.when(at, None, now, "at")
    if satellites is None or (isinstance(satellites, str)
                              and satellites.strip().lower() == inputs.ALL):
        sats = list(q.catalog)
    else:
        sats = list(dict.fromkeys(q.satellites(satellites, need_elements=False)))
    rows, bounds, infos, left_out = [], [], [], []
    for sat in sats:
        latest = sat.latest
        row = {"norad_id": sat.norad_id, "name": sat.name,
               "element_sets": len(sat.elements), "error_bound_km": None,
               "error_bound_90": None, "slot_held": None}
        bound = None
        problems = getattr(sat, "problems", [])
        if problems:
            p = problems[0]
            row.update(newest_epoch_utc=None, epoch_age_days=None, stale=None, source=None,
                       note=f"DATA PROBLEM ({p.scope}) {p.where}: {p.what}"[:200])
            row["_style"] = "red"
            left_out.append(sat.name)
        elif latest is None:
            row.update(newest_epoch_utc=None, epoch_age_days=None, stale=None,
                       source=None, note=sat.why_no_elements())
        else:
            age = latest.age_days(t_at)
            bound, held = bound_of(sat, t_at, q.hold, latest)
            stale = abs(age) > STALE_AFTER_DAYS
            row.update(newest_epoch_utc=latest.epoch.replace(microsecond=0),
                       epoch_age_days=round(age, 2), stale=stale, source=latest.source,
                       error_bound_km=None if bound.phase_lost else round(bound.position_km, 1),
                       error_bound_90=bound.km_text() + (" (slot held)" if held else ""),
                       note=f"STALE: {abs(age):.0f} days from {iso(t_at)}" if stale
                       else "current", slot_held=held is not None)
            if stale:
                row["_style"] = "yellow"
            infos.append(ElementInfo(sat.norad_id, sat.name, latest.epoch, latest.source, age,
                                     bound, None if held is None
                                     else round(held.slot_lon_deg, 2)))
        rows.append(row)
        bounds.append(bound)
    meta = {"at": t_at, "hold": q.hold, "stale_after_days": STALE_AFTER_DAYS}
    return ElementStatus(rows, list(STATUS_COLUMNS), infos, list(q.notes), meta,
                         left_out=q.left_out + left_out, satellites=sats, bounds=bounds)


# --------------------------------------------------------------------------- tle history

HISTORY_COLUMNS = ["epoch_utc", "perigee_km", "apogee_km", "inclination_deg", "longitude_deg",
                   "manoeuvre", "source"]


@dataclass(eq=False, repr=False)
class ElementHistory(Result):
    """Every stored element set of one object: perigee and apogee altitude (km, sgp4's
    own), inclination, the sub-satellite longitude at the epoch of a deep-space set,
    and the likely manoeuvres between sets (a change drag and natural drift cannot
    explain)."""

    satellite: Satellite | ExternalSatellite | None = None

    kind = "element sets"

    def summary(self) -> str:
        s = self.satellite
        assert s is not None                # element_history() sets it
        return f"{len(self.rows)} element sets of {s.name} ({s.norad_id})"

    def plot(self):
        """Perigee/apogee, inclination and (GEO) longitude across the stored sets."""
        from orbitview.api.figures import Figure
        from orbitview.products.history_plot import plot_element_history
        return Figure(plot_element_history(self.satellite, self.meta["history"]),
                      list(self.notes))


def element_history(satellite, *, elements=None, catalog=None) -> ElementHistory:
    """Every stored element set of ``satellite`` with its orbit and the likely manoeuvres
    between sets (the CLI's ``tle history``, whose figure is ``.plot()``); each likely
    manoeuvre is also a note.

    >>> import orbitview as ov
    >>> ov.element_history("PakSat-1R").plot().savefig("paksat1r.png")   # doctest: +SKIP
    """
    from orbitview.products.history_plot import element_history as history_rows
    q = Question.of(elements, None, True, None, catalog)
    if isinstance(satellite, (list, tuple)):
        if len(satellite) != 1:
            raise UsageError("element_history takes one satellite.\nFix: give one name, "
                             "e.g. element_history('PakSat-1R').")
        satellite = satellite[0]
    [sat] = q.satellites(satellite)
    history = history_rows(sat)
    rows = [{"epoch_utc": r["epoch"], "perigee_km": round(r["perigee_km"], 3),
             "apogee_km": round(r["apogee_km"], 3),
             "inclination_deg": round(r["inclination_deg"], 4),
             "longitude_deg": None if r["longitude_deg"] is None
             else round(r["longitude_deg"], 4),
             "manoeuvre": r["manoeuvre"] or None, "source": r["source"]} for r in history]
    notes = list(q.notes) + [
        Note("note", f"{sat.name}: {r['manoeuvre']} before the set of {iso(r['epoch'])}",
             sat.norad_id) for r in history if r["manoeuvre"]]
    return ElementHistory(rows, list(HISTORY_COLUMNS), [], notes, {"history": history},
                          left_out=list(q.left_out), satellite=sat)


def element_history_figure(satellite, *, elements=None, catalog=None):
    """The figure of ``tle history``: :meth:`ElementHistory.plot` of
    :func:`element_history`."""
    return element_history(satellite, elements=elements, catalog=catalog).plot()


# --------------------------------------------------------------------------- tle update

UPDATE_COLUMNS = ["norad_id", "name", "status", "epoch_utc", "note"]


@dataclass(eq=False, repr=False)
class ElementUpdates(Result):
    """What a fetch from CelesTrak did, per object: updated, unchanged, skipped (fetched
    within two hours) or FAILED (nothing of that object was changed)."""

    failures: list[str] = field(default_factory=list)
    """'NAME (NORAD): why' of each failed fetch."""
    total: int = 0

    kind = "fetches"

    def summary(self) -> str:
        done = sum(r["status"] == "updated" for r in self.rows)
        return f"{done} of {self.total} objects updated, {len(self.failures)} failed"


def update_elements(satellites=None, *, fmt: str = "omm", force: bool = False,
                    progress=None, catalog=None) -> ElementUpdates:
    """Fetch current element sets from CelesTrak into the user store (the CLI's ``tle
    update``): the only function that uses the network, and only when called.

    ``satellites``: names, NORAD numbers or COSPAR ids, or
    :data:`~orbitview.api.inputs.ALL` (every record with a NORAD number).  ``fmt``:
    ``"omm"`` (any catalog number) or ``"tle"``; ``force`` fetches even within two
    hours of the last fetch.  ``progress()`` is called after each object.  A failed fetch
    changes nothing of its object and is a row with status FAILED.
    """
    from orbitview.data.sources import StoreError, base_url, update_one
    from orbitview.util.atomic import OutputError
    from orbitview.util.errors import DownloadError
    if fmt not in ("omm", "tle"):
        raise UsageError(f"fmt={fmt!r} is not omm or tle.\nFix: give fmt='omm' or 'tle'.")
    if satellites is None:
        raise UsageError("name at least one satellite (e.g. PRSS-1 or 43530), or pass "
                         "orbitview.ALL.\nFix: e.g. update_elements('PRSS-1').")
    base_url()                          # a malformed ORBITVIEW_CELESTRAK_URL stops here
    q = Question.of(catalog=catalog)
    every = isinstance(satellites, str) and satellites.strip().lower() == inputs.ALL
    if every:
        sats = [s for s in q.catalog if s.norad_id]
    else:
        sats = q.catalog.resolve_many(inputs.strings(satellites))
    for s in sats:
        if s.norad_id is None:
            raise UsageError(f"{s.name} has no NORAD catalog number, so CelesTrak cannot be "
                             "asked for it.\nFix: add its norad_id to launches.csv once known.")
        from orbitview.data.external import ExternalSatellite
        if isinstance(s, ExternalSatellite):        # a group's or a file's object
            import re
            group = re.search(r"CelesTrak group (\S+)", s.source)
            raise UsageError(
                f"{s.name} ({s.norad_id}) is not a Pakistani record ({s.source}): 'tle update "
                "NAME' fetches the sets of orbitview's own records into their store.\nFix: "
                f"fetch its CelesTrak group once when online, 'orbitview tle update --group "
                f"{group.group(1) if group else 'NAME'}', or give a current file with "
                "--elements FILE.")
    rows, failures = [], []
    for s in sats:
        record = getattr(s, "record", None)
        try:
            row = update_one(s.norad_id, fmt, force,
                             expected_cospar=getattr(record, "cospar_id", ""),
                             expected_from=getattr(record, "origin", "") or "launches.csv")
        except (DownloadError, StoreError, OutputError) as e:
            failures.append(f"{s.name} ({s.norad_id}): {e}")
            row = {"norad_id": s.norad_id, "status": "FAILED", "note": str(e).splitlines()[0]}
        row["name"] = s.name
        rows.append(row)
        if progress is not None:
            progress()
    notes = [Note("note", f"{r['name']} ({r['norad_id']}) skipped: {r['note']}", r["norad_id"])
             for r in rows if r["status"] == "skipped"]
    return ElementUpdates(rows, list(UPDATE_COLUMNS), [], list(q.notes) + notes,
                          {"format": fmt, "force": force}, failures=failures, total=len(sats))


# --------------------------------------------------------------------------- info

PACKAGES = ("skyfield", "sgp4", "numpy", "matplotlib", "cartopy", "shapely", "jplephem",
            "click", "rich")


@dataclass(eq=False, repr=False)
class Info(Result):
    """Versions, the data directory in use and what it holds (the CLI's ``info``): rows
    are the lines of the table (``item``, ``value``); :meth:`as_dict` is ``--format
    json``."""

    data: dict = field(default_factory=dict)

    kind = "items"

    def as_dict(self) -> dict:
        """Versions, directories, counts and the epoch range, as plain values."""
        return dict(self.data)

    def summary(self) -> str:
        d = self.data
        return (f"orbitview {d['orbitview']}, {d['launch_records']} launch records, "
                f"{d['element_sets']} element sets, data in {d['data_directory']}")


def info(*, catalog=None) -> Info:
    """Versions of orbitview and what it runs on, the data directory in use, the launch
    records and element sets it holds, their epoch range, and what is not loaded.

    >>> import orbitview as ov
    >>> ov.info().as_dict()["element_epochs"]                           # doctest: +SKIP
    """
    import importlib.metadata as md
    import sys

    from orbitview.data.catalog import count_launches, satellites_on_launches
    from orbitview.data.datadir import data_dir, user_dir
    from orbitview.orbit.backend import backend_name
    from orbitview.util.version import __version__
    versions: dict[str, str | None] = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            versions[pkg] = None
    q = Question.of(catalog=catalog)
    cat = q.catalog
    records = [s.record for s in cat]
    epochs = [es.epoch for s in cat for es in s.elements]
    unconfirmed_dir = data_dir() / "tles" / "unconfirmed"
    unconfirmed = ([p.name for p in sorted(unconfirmed_dir.glob("*.tle"))]
                   if unconfirmed_dir.is_dir() else None)
    data: dict[str, Any] = {"orbitview": __version__, "versions": versions,
            "python": sys.version.split()[0],
            "data_directory": str(data_dir()), "user_directory": str(user_dir()),
            "launch_records": len(cat), "launches": count_launches(records),
            "objects_with_element_sets": len(cat.with_elements()),
            "element_sets": sum(len(s.elements) for s in cat),
            "element_epochs": {"first_utc": min(epochs), "last_utc": max(epochs)}
            if epochs else None,
            "without_element_sets": [s.name for s in cat if not s.elements],
            "not_loaded_unconfirmed": unconfirmed,
            "data_problems": len(getattr(cat, "problems", [])),
            "sgp4_backend": backend_name()}
    rows = [("orbitview", __version__)]
    rows += [(pkg, v or "not installed") for pkg, v in versions.items()]
    rows.append(("python", data["python"]))
    rows.append(("SGP4 back end", data["sgp4_backend"]))
    rows += [
        ("data directory", data["data_directory"]),
        ("user directory", data["user_directory"]),
        ("launch records", str(len(cat))),
        ("launches", satellites_on_launches(records)),
        ("with element sets", f"{data['objects_with_element_sets']} objects, "
                              f"{data['element_sets']} sets"),
        ("element epochs", f"{iso(min(epochs))} to {iso(max(epochs))}" if epochs else "none"),
        ("without element sets", ", ".join(data["without_element_sets"])),
    ]
    if unconfirmed is not None:
        rows.append(("not loaded (unconfirmed)", ", ".join(unconfirmed)))
    return Info([{"item": k, "value": v} for k, v in rows], ["item", "value"], [],
                list(q.notes), {}, data=data)


# --------------------------------------------------------------------------- data check

PROBLEM_COLUMNS = ["file", "line", "what", "evidence", "fix", "scope"]


@dataclass(eq=False, repr=False)
class DataCheck(Result):
    """Every problem in the bundled data, the user store and the config file (the CLI's
    ``data check``): one row per problem with its file, line, what is wrong, the evidence
    and the fix; ``ok`` when there is none.  Everything a problem does not name is
    usable."""

    counts: dict = field(default_factory=dict)
    places: dict = field(default_factory=dict)
    """data_directory, user_store, config_file: the places checked."""
    scopes: dict = field(default_factory=dict)
    """Each scope of problems ('bundled data', 'user store', 'your config file') -> its
    place, in the order problems are listed."""
    problems: list = field(default_factory=list)
    """The :class:`~orbitview.util.errors.Problem` of each row."""
    catalog: Catalog | None = None

    kind = "problems"

    @property
    def ok(self) -> bool:
        return not self.rows

    def summary(self) -> str:
        if self.ok:
            return (f"ok: {self.counts['launch_records']} launch records, "
                    f"{self.counts['element_sets']} element sets")
        return f"{len(self.rows)} problem(s): " + ", ".join(
            f"{n} in {scope}" for scope, n in self.counts["problems_by_scope"].items() if n)

    def as_dict(self) -> dict:
        """``data check --format json``: ok, the places checked, counts and the problems."""
        return {"ok": self.ok, **{k: str(v) for k, v in self.places.items()},
                **{k: v for k, v in self.counts.items()}, "problems": self.records()}


def check_data(directory=None) -> DataCheck:
    """Check launches.csv, sites.csv, sensors.csv, the element sets, the user store and the
    config file; every problem is a row ({file, line, what, evidence, fix, scope}).

    >>> import orbitview as ov
    >>> check = ov.check_data()
    >>> check.ok, [(p["file"], p["line"]) for p in check]               # doctest: +SKIP
    """
    from pathlib import Path

    from orbitview.data.catalog import BUNDLED, USER_STORE
    from orbitview.data.catalog import check_data as run_checks
    from orbitview.data.config import SCOPE as CONFIG
    from orbitview.data.config import read_config
    from orbitview.data.datadir import data_dir
    from orbitview.data.sources import elements_dir
    directory = Path(directory) if directory is not None else data_dir()
    catalog, problems = run_checks(directory)
    config = read_config()               # the user's config file: its problems too
    problems = list(problems) + list(config.problems)
    order = {BUNDLED: 0, USER_STORE: 1, CONFIG: 2}
    problems.sort(key=lambda p: order.get(p.scope, 3))       # stable: file order kept
    rows = [{"file": str(p.path), "line": p.line, "what": p.what,
             "evidence": p.evidence or None, "fix": p.fix or None, "scope": p.scope}
            for p in problems]
    places = {"data_directory": directory, "user_store": elements_dir(),
              "config_file": config.path}
    counts = {"launch_records": len(catalog) if catalog is not None else 0,
              "element_sets": sum(len(s.elements) for s in catalog) if catalog else 0,
              "objects_with_element_sets": len(catalog.with_elements()) if catalog else 0,
              "problems_by_scope": {scope: sum(p.scope == scope for p in problems)
                           for scope in (BUNDLED, USER_STORE, CONFIG)}}
    return DataCheck(rows, list(PROBLEM_COLUMNS), [], [], {"directory": directory},
                     counts=counts, places=places,
                     scopes={BUNDLED: directory, USER_STORE: elements_dir(),
                             CONFIG: config.path},
                     problems=problems, catalog=catalog)
