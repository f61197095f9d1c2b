"""Imaging instruments of Pakistan's Earth-observation satellites, with provenance.

``sensors.csv`` holds one row per imaging satellite: the kind of instrument
and the handful of numbers that decide what it can image (swath, maximum
off-nadir angle, radar incidence window and look sides, minimum Sun
elevation, ground sample distance at nadir).  Almost none of them are
published, so every value carries its basis (``published``, ``derived`` or
``assumed``) and a source: for an assumed value, the reasoning behind it.
Columns are documented in ``data/README.md``.

:func:`read_sensors` validates the file like ``launches.csv`` (every problem
with file and line); :func:`load_sensors` joins the rows to the catalog;
:meth:`Sensor.rule` builds the :class:`~orbitview.access.rules.ImagingRule`, which
carries the list of assumed values that every output built on it repeats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from orbitview.util.errors import DataError, Problem

KINDS = ("optical", "hyperspectral", "SAR", "none")
BASES = ("published", "derived", "assumed")
SIDES = ("left", "right", "both")

PARAMETERS = {
    # column: (basis column, source column, (low, high) or None for text, label, unit)
    "swath_km": ("swath_km_basis", "swath_km_source", (0.1, 3000.0), "swath", " km"),
    "max_off_nadir_deg": ("max_off_nadir_deg_basis", "max_off_nadir_deg_source",
                          (0.0, 70.0), "max off-nadir", "\u00b0"),
    "incidence_min_deg": ("incidence_basis", "incidence_source", (0.0, 89.0),
                          "incidence from", "\u00b0"),
    "incidence_max_deg": ("incidence_basis", "incidence_source", (0.0, 89.0),
                          "incidence to", "\u00b0"),
    "look_sides": ("look_sides_basis", "look_sides_source", None, "look sides", ""),
    "min_sun_elevation_deg": ("min_sun_elevation_deg_basis", "min_sun_elevation_deg_source",
                              (-18.0, 90.0), "min sun elevation", "\u00b0"),
    "gsd_m": ("gsd_m_basis", "gsd_m_source", (0.01, 10000.0), "nadir GSD", " m"),
}
COLUMNS = ("name", "kind", "kind_basis", "kind_source",
           "swath_km", "swath_km_basis", "swath_km_source",
           "max_off_nadir_deg", "max_off_nadir_deg_basis", "max_off_nadir_deg_source",
           "incidence_min_deg", "incidence_max_deg", "incidence_basis", "incidence_source",
           "look_sides", "look_sides_basis", "look_sides_source",
           "min_sun_elevation_deg", "min_sun_elevation_deg_basis",
           "min_sun_elevation_deg_source",
           "gsd_m", "gsd_m_basis", "gsd_m_source", "notes")


@dataclass(frozen=True)
class Value:
    """One instrument value with its provenance; ``value`` is None when unknown."""

    value: float | str | None
    basis: str = ""
    source: str = ""

    @property
    def assumed(self) -> bool:
        return self.basis == "assumed"


@dataclass(eq=False)
class Sensor:
    """One row of ``sensors.csv``, parsed."""

    name: str
    kind: Value
    values: dict[str, Value] = field(default_factory=dict)
    notes: str = ""
    origin: str = ""
    norad_id: int | None = None

    def __getitem__(self, column: str):
        """The bare value of a column (None when unknown)."""
        return self.values[column].value

    @property
    def is_imaging(self) -> bool:
        return self.kind.value != "none"

    @property
    def is_optical(self) -> bool:
        return self.kind.value in ("optical", "hyperspectral")

    def assumed(self, columns=None) -> list[str]:
        """Short texts naming each assumed value (of ``columns``, default all)."""
        out = []
        if self.kind.assumed:
            out.append(f"{self.name} instrument kind {self.kind.value}")
        inc = [c for c in ("incidence_min_deg", "incidence_max_deg")
               if columns is None or c in columns]
        for column, v in self.values.items():
            if v.value is None or not v.assumed or (columns is not None and column not in columns):
                continue
            if column in inc:
                if column == "incidence_min_deg":
                    out.append(f"{self.name} incidence {self['incidence_min_deg']:g}-"
                               f"{self['incidence_max_deg']:g}\u00b0")
                continue
            label, unit = PARAMETERS[column][3], PARAMETERS[column][4]
            text = f"{v.value:g}" if isinstance(v.value, float) else str(v.value)
            out.append(f"{self.name} {label} {text}{unit}")
        return out



def _number(text: str):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_sensors(path: Path, known_names=None) -> tuple[list[Sensor], list[Problem]]:
    """Read and validate ``sensors.csv``; every problem is collected.

    ``known_names`` maps normalised names and aliases to launch-record names;
    each row must name a launch record.  Rows are read by
    :func:`orbitview.util.csvfile.read_csv`, so undecodable bytes, huge fields and bad
    field counts are located problems too.
    """
    from orbitview.util.csvfile import read_csv
    from orbitview.util.names import normalize
    table = read_csv(path, COLUMNS, "write the row as documented in data/README.md",
                     "restore sensors.csv from the bundled data")
    problems: list[Problem] = list(table.problems)
    sensors: list[Sensor] = []
    unknown = [h for h in table.header if h not in COLUMNS]
    if unknown:
        problems.append(Problem(path, 1, f"unknown column(s): {', '.join(unknown)}",
                                ",".join(table.header), "rename to one of the documented "
                                f"columns ({', '.join(COLUMNS)}); see data/README.md"))
    seen: dict[str, str] = {}
    for lineno, v, evidence in table.rows:
        sensor = _parse_row(path, lineno, v, evidence, problems, known_names)
        if sensor is None:
            continue
        key = normalize(sensor.name)
        if key in seen:
            problems.append(Problem(path, lineno, f"{sensor.name} already has a row "
                                    f"({seen[key]})", evidence, "keep one row per satellite",
                                    affects={sensor_key(sensor.name)}))
            continue
        seen[key] = sensor.origin
        sensors.append(sensor)
    return sensors, problems


def _parse_row(path, lineno, v, evidence, problems, known_names) -> Sensor | None:
    from orbitview.util.names import normalize
    ok = True

    affects = {sensor_key(known_names.get(normalize(v["name"]), v["name"])
                          if known_names is not None else v["name"])}

    def bad(what, fix):
        nonlocal ok
        ok = False
        problems.append(Problem(path, lineno, what, evidence, fix, affects=affects))

    name = v["name"]
    if not name:
        bad("the name is empty", "name the satellite as in launches.csv")
    elif known_names is not None and normalize(name) not in known_names:
        import difflib
        close = difflib.get_close_matches(name, sorted(set(known_names.values())), n=3,
                                          cutoff=0.5)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        bad(f"satellite {name!r} is not in launches.csv{hint}",
            "use the name (or an alias) of a launch record")
    else:
        name = known_names[normalize(name)] if known_names is not None else name
    kind = v["kind"]
    if kind not in KINDS:
        bad(f"unknown kind {kind!r}", f"use one of {', '.join(KINDS)}")
    if kind and kind != "none" and v["kind_basis"] not in BASES:
        bad(f"kind_basis {v['kind_basis']!r} is not one of {', '.join(BASES)}",
            "say whether the instrument kind is published, derived or assumed")
    values: dict[str, Value] = {}
    for column, (basis_col, source_col, limits, label, unit) in PARAMETERS.items():
        text, basis, source = v[column], v[basis_col], v[source_col]
        if not text:
            shared = column.startswith("incidence") and \
                (v["incidence_min_deg"] or v["incidence_max_deg"] or column.endswith("max_deg"))
            if basis and not shared:
                bad(f"{basis_col} is {basis!r} but {column} is empty",
                    f"give {column} a value, or leave {basis_col} empty when it is unknown")
            values[column] = Value(None, "", source)
            continue
        if limits is None:
            value = text
            if column == "look_sides" and text not in SIDES:
                bad(f"look_sides {text!r} is not one of {', '.join(SIDES)}",
                    "write left, right or both")
        else:
            value = _number(text)
            if value is None:
                bad(f"{column} {text!r} is not a finite number",
                    f"write the {label} in{unit or ' units'} as a plain number, e.g. 30")
            elif not limits[0] <= value <= limits[1]:
                bad(f"{column} {text} is outside {limits[0]:g} to {limits[1]:g}",
                    f"give the {label} in{unit or ' units'}; check the unit")
        if basis not in BASES:
            bad(f"{basis_col} {basis!r} for {column} {text} is not one of {', '.join(BASES)}",
                "every value needs a basis: published (a source states it), derived "
                "(computed from published data) or assumed (say why in the source column)")
        if not source:
            bad(f"{source_col} is empty for {column} {text}",
                "name the source, or for an assumed value the reasoning behind it")
        values[column] = Value(value, basis, source)
    lo, hi = values["incidence_min_deg"].value, values["incidence_max_deg"].value
    if (lo is None) != (hi is None):
        bad("give both incidence_min_deg and incidence_max_deg, or neither",
            "a radar's incidence window has two ends, e.g. 20 and 45")
    elif isinstance(lo, float) and isinstance(hi, float) and lo >= hi:
        bad(f"incidence_min_deg {lo:g} is not below incidence_max_deg {hi:g}",
            "write the near (smaller) incidence angle first")
    if kind == "SAR":
        if lo is None:
            bad("a SAR row needs incidence_min_deg and incidence_max_deg",
                "give the incidence window in degrees (an assumed one if not published)")
        if values["look_sides"].value is None:
            bad("a SAR row needs look_sides", "write left, right or both")
        if values["min_sun_elevation_deg"].value is not None:
            bad("a SAR row has a min_sun_elevation_deg, but a radar needs no daylight",
                "leave min_sun_elevation_deg empty for a radar")
    elif kind in ("optical", "hyperspectral"):
        if values["max_off_nadir_deg"].value is None and values["swath_km"].value is None:
            bad(f"{kind} row has neither max_off_nadir_deg nor swath_km, so it could "
                "image nothing", "give a maximum off-nadir angle or a nadir swath "
                "(assumed if not published)")
        if values["min_sun_elevation_deg"].value is None:
            bad(f"{kind} row has no min_sun_elevation_deg", "give the lowest Sun elevation "
                "at which it images (10 is the usual assumption)")
        if lo is not None:
            bad(f"an {kind} row has a radar incidence window",
                "leave incidence_min_deg and incidence_max_deg empty, or set kind SAR")
    elif kind == "none" and any(x.value is not None for x in values.values()):
        bad("kind is none but instrument values are given",
            "set the kind of instrument, or clear the values")
    if not ok:
        return None
    return Sensor(name, Value(kind, v["kind_basis"], v["kind_source"]), values, v["notes"],
                  f"{path}:{lineno}")


def sensors_path(directory: Path | None = None) -> Path:
    from orbitview.data.datadir import data_dir
    return Path(directory or data_dir()) / "sensors.csv"


def sensor_key(name: str) -> tuple:
    """The ``Problem.affects`` key of a satellite's sensors.csv row (not its elements: a bad
    instrument row must not stop radio passes)."""
    from orbitview.util.names import normalize
    return ("sensors", normalize(name))


class SensorTable(dict):
    """Instruments keyed by NORAD number (or name without one), with the file's problems.

    A problem in one row affects only that satellite's imaging
    (:meth:`problems_for`); a problem that names no satellite (an unreadable
    row, a bad header) affects them all.
    """

    def __init__(self, sensors=(), problems=()):
        super().__init__(sensors)
        self.problems = list(problems)

    def problems_for(self, sat) -> list:
        key = sensor_key(sat.name)
        return [p for p in self.problems if not p.affects or key in p.affects]


def load_sensors(catalog, extra=(), skip_absent: bool = False) -> SensorTable:
    """Instruments of the catalog's satellites, keyed by NORAD number (or name without one).

    Rows with problems are left out and their problems kept (:class:`SensorTable`);
    a data directory without ``sensors.csv`` has no instruments (radio access only).
    ``extra`` are user files in the same columns (``--sensors FILE``) whose rows may name
    any object the catalog resolves, also those of ``--elements`` files (partner
    satellites, generated designs); a row there replaces the bundled row of its satellite.
    ``skip_absent``: rows of ``extra`` naming objects the catalog does not hold are skipped
    rather than refused (bundled partner rows read with another element file).
    """
    path = sensors_path(catalog.directory)
    out = SensorTable()
    if path.is_file():
        sensors, problems = read_sensors(path, known_names(s.record for s in catalog))
        out.problems += problems
        for sensor in sensors:
            sat = catalog.resolve(sensor.name)
            sensor.norad_id = sat.norad_id
            out[sat.norad_id if sat.norad_id else sat.name] = sensor
    if extra:
        names = known_names([s.record for s in catalog]
                            + [e.record for e in getattr(getattr(catalog, "resolver", None),
                                                         "extra", ())])
        for extra_path in extra:
            sensors, problems = read_sensors(Path(extra_path), names)
            if skip_absent:
                from orbitview.util.names import normalize
                listed, _ = read_sensors(Path(extra_path))
                absent = {sensor_key(r.name) for r in listed if normalize(r.name) not in names}
                problems = [p for p in problems if not set(p.affects) & absent]
            if problems:                 # the user's own file: every problem is an error
                raise DataError(problems)
            for sensor in sensors:
                sat = catalog.resolve(sensor.name)
                sensor.norad_id = sat.norad_id
                out[sat.norad_id if sat.norad_id else sat.name] = sensor
    return out


def known_names(records) -> dict[str, str]:
    """Normalised names and aliases of launch records -> the record's name."""
    from orbitview.util.names import normalize
    out = {}
    for r in records:
        for text in (r.name, *r.aliases):
            out.setdefault(normalize(text), r.name)
    return out
