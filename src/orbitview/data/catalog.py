"""Launch records of Pakistani satellites, joined to their element sets.

``launches.csv`` holds one row per launched object; its columns are
documented in ``data/README.md``.  :func:`load_catalog` reads and validates
it, reads the element sets, joins the two by ``norad_id`` and returns a
:class:`Catalog` that resolves a satellite from any name, alias, NORAD number
or COSPAR id.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from orbitview.data.datadir import data_dir
from orbitview.data.elements import ElementSet, ElementStore, load_tle_dir
from orbitview.util.errors import (
    DataError,
    NoElementsError,
    Problem,
    UnknownSatelliteError,
    UsageError,
)
from orbitview.util.names import normalize

COLUMNS = (
    "name", "aliases", "cospar_id", "norad_id", "launch_utc", "launch_vehicle",
    "launch_site", "launch_country", "orbit_class", "operator", "builder",
    "partner_country", "purpose", "status", "uncertain", "notes", "source",
)
REQUIRED = ("name", "launch_utc", "orbit_class")
ORBIT_CLASSES = ("LEO", "SSO", "MEO", "HEO", "GTO", "GEO", "lunar")
PKT = dt.timezone(dt.timedelta(hours=5), "PKT")

_COSPAR = re.compile(r"^(\d{4})-(\d{3})([A-Z]{1,3})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$")


@dataclass(eq=False)
class LaunchRecord:
    """One row of ``launches.csv`` with parsed values."""

    name: str
    aliases: list[str]
    cospar_id: str
    norad_id: int | None
    launch_utc: str
    launch_time: dt.datetime
    """Launch instant, UTC; midnight when only the date is known."""
    launch_time_known: bool
    launch_vehicle: str
    launch_site: str
    launch_country: str
    orbit_class: str
    operator: str
    builder: str
    partner_country: str
    purpose: str
    status: str
    uncertain: list[str]
    notes: str
    source: list[str]
    origin: str = ""

    @property
    def line(self) -> int | None:
        """Line of ``launches.csv`` the record was read from."""
        tail = self.origin.rsplit(":", 1)[-1]
        return int(tail) if tail.isdecimal() else None

    def as_dict(self) -> dict:
        """Machine-readable form: the CSV columns, numbers as numbers, '' as None."""
        out = {}
        for column in COLUMNS:
            value = getattr(self, column)
            if isinstance(value, list):
                value = value or None
            elif value == "":
                value = None
            out[column] = value
        return out


@dataclass(eq=False)
class Satellite:
    """A launch record joined to its element-set history (possibly empty)."""

    record: LaunchRecord
    elements: list[ElementSet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Data problems that make this object's element sets unusable (file:line and fix)."""

    @property
    def name(self) -> str:
        return self.record.name

    @property
    def norad_id(self) -> int | None:
        return self.record.norad_id

    @property
    def latest(self) -> ElementSet | None:
        return self.elements[-1] if self.elements else None

    @property
    def is_geo(self) -> bool:
        return self.record.orbit_class == "GEO"

    def why_no_elements(self) -> str:
        r = self.record
        if r.orbit_class == "lunar":
            return f"{r.name} is in lunar orbit; SGP4 element sets do not apply"
        if r.norad_id is None:
            return f"{r.name} has no confirmed NORAD catalog number"
        if r.status.startswith("decayed"):
            return f"{r.name} ({r.norad_id}) {r.status}; no element set is bundled"
        return (f"no element set is bundled for {r.name} ({r.norad_id}); "
                f"its status is '{r.status}'")

    def require_elements(self) -> list[ElementSet]:
        if self.problems:
            raise DataError(self.problems)
        if not self.elements:
            raise NoElementsError(
                f"{self.why_no_elements()}.\n"
                "Fix: choose a satellite listed by 'orbitview tle status', or fetch its "
                f"elements with 'orbitview tle update {self.norad_id or self.name}'.")
        return self.elements

    def __repr__(self) -> str:
        return f"<Satellite {self.name} {self.norad_id} ({len(self.elements)} element sets)>"


def _parse_launch(text: str) -> tuple[dt.datetime, bool] | None:
    try:
        return _parse_launch_strict(text)
    except ValueError:  # a well-formed but impossible date such as 2001-13-10
        return None


def _parse_launch_strict(text: str) -> tuple[dt.datetime, bool] | None:
    if _DATE.match(text):
        return dt.datetime.fromisoformat(text).replace(tzinfo=dt.timezone.utc), False
    if _DATETIME.match(text):
        return dt.datetime.fromisoformat(text[:-1]).replace(tzinfo=dt.timezone.utc), True
    return None


def _split(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split(";") if p.strip()]


def read_launches(path: Path) -> tuple[list[LaunchRecord], list[Problem]]:
    """Read and validate ``launches.csv``; every problem is collected.

    A bad row is left out and reported; the other rows are read as usual.
    """
    from orbitview.util.csvfile import read_csv
    table = read_csv(path, (), f"see data/README.md for the columns ({', '.join(COLUMNS)})",
                     missing_fix="restore launches.csv or set ORBITVIEW_DATA_DIR")
    problems = table.problems
    header = table.header
    if not header:
        return [], problems
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in COLUMNS if c not in header]
    if unknown:
        problems.append(Problem(
            path, 1, f"unknown column(s): {', '.join(unknown)}", ",".join(header),
            f"rename to one of the documented columns ({', '.join(COLUMNS)}); "
            "see data/README.md"))
    if missing:
        problems.append(Problem(
            path, 1, f"missing column(s): {', '.join(missing)}", ",".join(header),
            "add the column(s) to the header (values may be empty); see data/README.md"))
    if any(c not in header for c in REQUIRED):
        return [], problems
    records: list[LaunchRecord] = []
    for lineno, values, raw in table.rows:
        record = _parse_row(path, lineno, values, raw, problems)
        if record is not None:
            records.append(record)
    _check_unique(path, records, problems)
    return records, problems


def record_keys(name: str, aliases=(), norad_id=None, cospar_id: str = "") -> set:
    """Every lookup key of a record: folded names and aliases, its NORAD number."""
    keys = {normalize(t) for t in [name, *aliases]} - {""}
    if norad_id:
        keys.add(int(norad_id))
    if cospar_id:
        keys |= {normalize(cospar_id), normalize(cospar_id[2:])}
    return keys


def _parse_row(path, lineno, v, evidence, problems) -> LaunchRecord | None:
    ok = True
    norad_text = v.get("norad_id", "")
    affects = record_keys(v.get("name", ""), _split(v.get("aliases")),
                          int(norad_text) if norad_text.isdecimal() and norad_text.isascii()
                          else None, v.get("cospar_id", ""))

    def bad(what, fix):
        nonlocal ok
        ok = False
        problems.append(Problem(path, lineno, what, evidence, fix, affects))

    if not v.get("name"):
        bad("the name is empty", "give every record a name")
    launch = _parse_launch(v.get("launch_utc", ""))
    if launch is None:
        bad(f"launch_utc {v.get('launch_utc', '')!r} is not an ISO 8601 UTC date",
            "write YYYY-MM-DD when only the date is known, else YYYY-MM-DDTHH:MM[:SS]Z "
            "(UTC, with the Z)")
    elif launch[0] > dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1):
        bad(f"launch_utc {v['launch_utc']} is in the future",
            "list only objects that have been launched")
    orbit = v.get("orbit_class", "")
    if orbit not in ORBIT_CLASSES:
        bad(f"unknown orbit_class {orbit!r}",
            f"use one of {', '.join(ORBIT_CLASSES)}")
    norad = None
    for text in [v.get("name", ""), *_split(v.get("aliases"))]:
        if text and not normalize(text):
            bad(f"name or alias {text!r} has no letter or digit, so it could never be looked up",
                "write names with letters or digits; put other text in 'notes'")
    if v.get("norad_id"):
        if not (v["norad_id"].isdecimal() and v["norad_id"].isascii()) \
                or int(v["norad_id"]) == 0 or len(v["norad_id"]) > 9:
            bad(f"norad_id {v['norad_id']!r} is not a positive whole number",
                "write the NORAD catalog number in digits (e.g. 43530), or leave it empty "
                "when unknown")
        else:
            norad = int(v["norad_id"])
    cospar = v.get("cospar_id", "")
    m = _COSPAR.match(cospar)
    if cospar and not m:
        bad(f"cospar_id {cospar!r} is not of the form YYYY-NNNP",
            "write the international designator like 2018-056B, or leave it empty")
    elif m and launch and int(m.group(1)) != launch[0].year:
        bad(f"cospar_id {cospar} is from {m.group(1)} but launch_utc is "
            f"{v['launch_utc']}", "one of the two is wrong: check both against the SATCAT")
    uncertain = _split(v.get("uncertain"))
    for col in uncertain:
        if col not in COLUMNS:
            bad(f"'uncertain' names {col!r}, which is not a column",
                "list column names separated by ';' (e.g. 'launch_utc; builder')")
    if not ok:
        return None
    return LaunchRecord(
        name=v["name"], aliases=_split(v.get("aliases")), cospar_id=cospar,
        norad_id=norad, launch_utc=v["launch_utc"], launch_time=launch[0],
        launch_time_known=launch[1], launch_vehicle=v.get("launch_vehicle", ""),
        launch_site=v.get("launch_site", ""), launch_country=v.get("launch_country", ""),
        orbit_class=orbit, operator=v.get("operator", ""), builder=v.get("builder", ""),
        partner_country=v.get("partner_country", ""), purpose=v.get("purpose", ""),
        status=v.get("status", ""), uncertain=uncertain, notes=v.get("notes", ""),
        source=_split(v.get("source")), origin=f"{path}:{lineno}")


def _check_unique(path, records, problems) -> None:
    seen: dict[str, LaunchRecord] = {}
    for r in records:
        keys = {("norad_id", str(r.norad_id)) if r.norad_id else None,
                ("cospar_id", r.cospar_id) if r.cospar_id else None}
        for key in filter(None, keys):
            label = f"{key[0]}={key[1]}"
            if label in seen:
                problems.append(Problem(
                    path, r.line,
                    f"duplicate {key[0]} {key[1]}: also used by {seen[label].name} at "
                    f"{seen[label].origin}", "",
                    "each launched object gets one row; merge the two rows",
                    affects=record_keys(r.name, r.aliases, r.norad_id, r.cospar_id)
                    | record_keys(seen[label].name, seen[label].aliases,
                                  seen[label].norad_id, seen[label].cospar_id)))
            else:
                seen[label] = r
    names: dict[str, LaunchRecord] = {}
    for r in records:
        for text in [r.name, *r.aliases]:
            key = normalize(text)
            other = names.get(key)
            if key and other is not None and other is not r:
                problems.append(Problem(
                    path, r.line,
                    f"name or alias {text!r} of {r.name} also names {other.name} "
                    f"({other.origin}), so it would be ambiguous", "",
                    "keep the name on one record and explain the other use in 'notes'",
                    affects={key}))
            names[key] = r


def launch_key(record: LaunchRecord) -> tuple:
    """What identifies the launch a record rode on: the COSPAR launch (2018-056 of
    2018-056A and 2018-056B), else the launch time and vehicle."""
    if record.cospar_id:
        return ("cospar", record.cospar_id[:8])          # YYYY-NNN
    return ("time", record.launch_utc, record.launch_vehicle.lower())


def count_launches(records) -> int:
    """Launches among ``records``: PRSS-1 and PakTES-1A shared one Long March 2C."""
    return len({launch_key(r) for r in records})


def satellites_on_launches(records) -> str:
    """'15 satellites on 14 launches' (singular where it is one)."""
    records = list(records)
    n, k = len(records), count_launches(records)
    return (f"{n} satellite{'s' if n != 1 else ''} on {k} launch{'es' if k != 1 else ''}")


class Catalog:
    """Launch records joined to element sets, with lookup by any identifier.

    ``problems`` holds every data problem found while loading.  Each affects only
    what it names (``Problem.affects``): a bad element file blocks the objects it
    holds, a bad launches.csv row the names in it; everything else works.
    """

    def __init__(self, records: list[LaunchRecord], store: ElementStore,
                 directory: Path | None = None, problems=()):
        self.directory = directory
        self.store = store
        self.problems = list(problems)
        self._problem_keys: dict = {}
        for p in self.problems:
            for key in p.affects:
                self._problem_keys.setdefault(key, []).append(p)
        self.satellites = [
            Satellite(r, list(store.history(r.norad_id)) if r.norad_id else [],
                      list(self._problem_keys.get(r.norad_id, [])) if r.norad_id else [])
            for r in sorted(records, key=lambda r: (r.launch_time, r.name))]
        self._keys: dict[str, Satellite] = {}
        self._well_known = None
        for sat in self.satellites:
            r = sat.record
            keys = [r.name, *r.aliases]
            if r.cospar_id:
                keys += [r.cospar_id, r.cospar_id[2:]]  # 2018-056B and TLE-style 18056B
            for k in keys:
                if normalize(k):
                    self._keys.setdefault(normalize(k), sat)
            if r.norad_id:
                self._keys[str(r.norad_id)] = sat  # digits match exactly

    def resolve(self, query: str | int) -> Satellite:
        """The satellite named by a name, alias, NORAD number or COSPAR id.

        Matching folds case, accents and punctuation (Unicode-aware):
        ``'PRSS-1'``, ``'prss 1'``, ``43530`` and ``'2018-056B'`` are the same
        object.  A query with no letter or digit is a :class:`UsageError`; an
        unknown one raises :class:`UnknownSatelliteError` with close matches; a
        name whose launch record has a data problem raises :class:`DataError`.
        """
        text = str(query).strip()
        shown = text if len(text) <= 60 else text[:57] + "..."
        problem_key: str | int
        if text.isdecimal():
            try:
                problem_key = int(text)
            except ValueError:          # thousands of digits
                raise UnknownSatelliteError(shown, []) from None
            key = str(problem_key)
        else:
            key = problem_key = normalize(text)
        if not key:
            raise UsageError(
                f"satellite name {shown!r} has no letter or digit to look up.\n"
                "Fix: give a name (PRSS-1), a NORAD number (43530) or a COSPAR id "
                "(2018-056B); 'orbitview launches' lists them.")
        sat = self._keys.get(key)
        problems = self._problem_keys.get(problem_key, [])
        if problems and (sat is None or all(sat.norad_id not in p.affects for p in problems)):
            raise DataError(problems)
        if sat is None:
            # Not a Pakistani record: a well-known object (data/aliases.csv, the bundled
            # stations group) before "No close match" (see orbitview.data.aliases).
            found = self.well_known().resolve(text, lambda n: self._keys.get(str(n)))
            if found is not None:
                return found
            error = UnknownSatelliteError(shown, self.name_owners())
            if not error.suggestions:
                error = UnknownSatelliteError(shown, {**self.name_owners(),
                                                      **{n: n for n in self.well_known().names()}})
            raise error
        return sat

    def well_known(self):
        """The well-known objects of this catalog's data directory
        (:class:`orbitview.data.aliases.WellKnown`), read when first asked for."""
        if self._well_known is None:
            from orbitview.data.aliases import WellKnown
            self._well_known = WellKnown(self.directory or data_dir())
        return self._well_known

    def resolve_many(self, queries) -> list[Satellite]:
        out = []
        for q in queries:
            sat = self.resolve(q)
            if sat not in out:
                out.append(sat)
        return out

    def names(self) -> list[str]:
        out = []
        for s in self.satellites:
            out += [s.name, *s.record.aliases]
        return out

    def name_owners(self) -> dict[str, str]:
        """Every name and alias -> the name of its satellite (suggestions name each once)."""
        return {n: s.name for s in self.satellites for n in (s.name, *s.record.aliases)}

    def with_elements(self) -> list[Satellite]:
        """Satellites whose element sets can be used (some, and no data problem)."""
        return [s for s in self.satellites if s.elements and not s.problems]

    def __iter__(self):
        return iter(self.satellites)

    def __len__(self) -> int:
        return len(self.satellites)


BUNDLED = "bundled data"
USER_STORE = "user store"


def check_data(directory: Path | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Run every data check; return the catalog and all problems, each with its ``scope``.

    Never raises for a damaged file: the problems say what is wrong and where,
    and the catalog holds everything that is good.
    """
    from orbitview.data import sources  # element sets fetched by 'orbitview tle update'
    from orbitview.data.sites import read_sites
    directory = Path(directory) if directory else data_dir()
    records, problems = read_launches(directory / "launches.csv")
    if (directory / "sensors.csv").is_file():   # imaging instruments (orbitview.data.sensors)
        from orbitview.data.sensors import known_names, read_sensors
        problems += read_sensors(directory / "sensors.csv", known_names(records))[1]
    store, found = load_tle_dir(directory / "tles")
    problems += found
    problems += read_sites(directory / "sites.csv")[1]
    for p in problems:
        p.scope = BUNDLED
    store, found = sources.merge_user_elements(store)
    for p in found:
        p.scope = USER_STORE
    problems += found
    user_root = str(sources.elements_dir())
    by_norad = {r.norad_id: r for r in records if r.norad_id}
    for norad, history in store.by_norad.items():
        record = by_norad.get(norad)
        scope = USER_STORE if history[0].origin_path.startswith(user_root) else BUNDLED
        if record is None:
            problems.append(Problem(
                history[0].origin_path, None,
                f"element sets for NORAD {norad} ({history[-1].name}) have no launch record",
                "", f"add a row with norad_id {norad} to launches.csv, or remove the file",
                affects={norad}))
            problems[-1].scope = scope
            continue
        for es in history:
            if es.cospar_id and record.cospar_id and es.cospar_id != record.cospar_id:
                problems.append(Problem(
                    es.origin_path, es.origin_line,
                    f"NORAD {norad} is {record.cospar_id} in {record.origin} but its element "
                    f"set says {es.cospar_id[:20]}", es.line1,
                    "one of the two is wrong: check the norad_id and cospar_id against "
                    "the SATCAT", affects={norad}))
                problems[-1].scope = (USER_STORE if es.origin_path.startswith(user_root)
                                      else BUNDLED)
    return Catalog(records, store, directory, problems), problems


def load_catalog(directory: Path | str | None = None, strict: bool = False) -> Catalog:
    """Load and validate the launch records and element sets; join them.

    Problems in the data affect only what they name: ``catalog.problems``
    lists them, and an affected satellite raises :class:`DataError` when its
    elements are needed.  With ``strict=True`` any problem raises
    :class:`~orbitview.util.errors.DataError` listing every one (what
    ``orbitview data check`` reports).
    """
    catalog, problems = check_data(Path(directory) if directory else None)
    if strict and problems:
        raise DataError(problems)
    return catalog
