"""Launch records of Pakistani satellites, joined to their element sets.

``launches.csv`` holds one row per launched object; its columns are
documented in ``data/README.md``.  :func:`load_catalog` reads and validates
it, reads the element sets, joins the two by ``norad_id`` and returns a
:class:`Catalog` that resolves a satellite from any name, alias, NORAD number
or COSPAR id.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from .datadir import data_dir
from .elements import ElementSet, ElementStore, load_tle_dir
from .errors import DataError, NoElementsError, Problem, UnknownSatelliteError

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


def normalize(text: str) -> str:
    """Lower-case and drop everything but letters and digits: 'PRSS 1' -> 'prss1'."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


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
    """Read and validate ``launches.csv``; every problem is collected."""
    problems: list[Problem] = []
    records: list[LaunchRecord] = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        try:
            header = next(reader)
        except StopIteration:
            return [], [Problem(path, 1, "the file is empty", "",
                                f"start it with the header line: {','.join(COLUMNS)}")]
        header = [h.strip() for h in header]
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
        for row in reader:
            lineno = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            evidence = ",".join(row)
            if len(row) != len(header):
                problems.append(Problem(
                    path, lineno, f"row has {len(row)} fields but the header has "
                    f"{len(header)}", evidence,
                    "quote fields that contain commas (\"Jiuquan, China\") and give every "
                    "column a value, even if empty"))
                continue
            values = {h: cell.strip() for h, cell in zip(header, row)}
            record = _parse_row(path, lineno, values, evidence, problems)
            if record is not None:
                records.append(record)
    _check_unique(path, records, problems)
    return records, problems


def _parse_row(path, lineno, v, evidence, problems) -> LaunchRecord | None:
    ok = True

    def bad(what, fix):
        nonlocal ok
        ok = False
        problems.append(Problem(path, lineno, what, evidence, fix))

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
    if v.get("norad_id"):
        if not v["norad_id"].isdigit() or int(v["norad_id"]) == 0:
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
                    path, int(r.origin.rsplit(":", 1)[1]),
                    f"duplicate {key[0]} {key[1]}: also used by {seen[label].name} at "
                    f"{seen[label].origin}", "",
                    "each launched object gets one row; merge the two rows"))
            else:
                seen[label] = r
    names: dict[str, LaunchRecord] = {}
    for r in records:
        for text in [r.name, *r.aliases]:
            key = normalize(text)
            other = names.get(key)
            if other is not None and other is not r:
                problems.append(Problem(
                    path, int(r.origin.rsplit(":", 1)[1]),
                    f"name or alias {text!r} of {r.name} also names {other.name} "
                    f"({other.origin}), so it would be ambiguous", "",
                    "keep the name on one record and explain the other use in 'notes'"))
            names[key] = r


class Catalog:
    """Launch records joined to element sets, with lookup by any identifier."""

    def __init__(self, records: list[LaunchRecord], store: ElementStore,
                 directory: Path | None = None):
        self.directory = directory
        self.store = store
        self.satellites = [Satellite(r, list(store.history(r.norad_id)) if r.norad_id else [])
                           for r in sorted(records, key=lambda r: (r.launch_time, r.name))]
        self._keys: dict[str, Satellite] = {}
        for sat in self.satellites:
            r = sat.record
            keys = [r.name, *r.aliases]
            if r.norad_id:
                keys.append(str(r.norad_id))
            if r.cospar_id:
                keys += [r.cospar_id, r.cospar_id[2:]]  # 2018-056B and TLE-style 18056B
            for k in keys:
                self._keys.setdefault(normalize(k), sat)
            if r.norad_id:
                self._keys[str(r.norad_id)] = sat  # digits match exactly

    def resolve(self, query: str | int) -> Satellite:
        """The satellite named by a name, alias, NORAD number or COSPAR id.

        Matching ignores case and punctuation: ``'PRSS-1'``, ``'prss 1'``,
        ``43530`` and ``'2018-056B'`` are the same object.  Raises
        :class:`UnknownSatelliteError` with close matches otherwise.
        """
        text = str(query).strip()
        sat = self._keys.get(text.lstrip("0") if text.isdigit() else normalize(text))
        if sat is None:
            raise UnknownSatelliteError(text, self.names())
        return sat

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

    def with_elements(self) -> list[Satellite]:
        return [s for s in self.satellites if s.elements]

    def __iter__(self):
        return iter(self.satellites)

    def __len__(self) -> int:
        return len(self.satellites)


def check_data(directory: Path | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Run every data check; return the catalog (if readable) and all problems."""
    directory = Path(directory) if directory else data_dir()
    launches = directory / "launches.csv"
    problems: list[Problem] = []
    if not launches.is_file():
        return None, [Problem(launches, None, "file not found", "",
                              "restore launches.csv or set ORBITVIEW_DATA_DIR")]
    records, found = read_launches(launches)
    problems += found
    if (directory / "sensors.csv").is_file():   # imaging instruments (orbitview.sensors)
        from .sensors import known_names, read_sensors
        problems += read_sensors(directory / "sensors.csv", known_names(records))[1]
    store, found = load_tle_dir(directory / "tles")
    problems += found
    from . import sources  # element sets fetched by 'orbitview tle update'
    store, found = sources.merge_user_elements(store)
    problems += found
    by_norad = {r.norad_id: r for r in records if r.norad_id}
    for norad, history in store.by_norad.items():
        record = by_norad.get(norad)
        if record is None:
            problems.append(Problem(
                history[0].origin.rsplit(":", 1)[0], None,
                f"element sets for NORAD {norad} ({history[-1].name}) have no launch record",
                "", f"add a row with norad_id {norad} to launches.csv, or remove the file"))
            continue
        for es in history:
            if es.cospar_id and record.cospar_id and es.cospar_id != record.cospar_id:
                path, line = es.origin.rsplit(":", 1)
                problems.append(Problem(
                    path, int(line),
                    f"NORAD {norad} is {record.cospar_id} in {record.origin} but its element "
                    f"set says {es.cospar_id}", es.line1,
                    "one of the two is wrong: check the norad_id and cospar_id against "
                    "the SATCAT"))
    return Catalog(records, store, directory), problems


def load_catalog(directory: Path | str | None = None) -> Catalog:
    """Load and validate the launch records and element sets; join them.

    Raises :class:`~orbitview.errors.DataError` listing every problem if any
    file is malformed (run ``orbitview data check`` for the full report).
    """
    catalog, problems = check_data(Path(directory) if directory else None)
    if problems:
        raise DataError(problems)
    return catalog
