"""Element sets: reading and validating TLE/3LE files, history, nearest epoch.

An :class:`ElementSet` is one set of mean elements for one object at one
epoch, with the ``sgp4`` ``Satrec`` built from it and the provenance of where
it came from.  Objects are keyed by NORAD catalog number, never by name.

This module never touches the network.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from sgp4.alpha5 import from_alpha5
from sgp4.api import WGS72, Satrec
from sgp4.conveniences import sat_epoch_datetime
from sgp4.earth_gravity import wgs72
from sgp4.io import compute_checksum, twoline2rv

from orbitview.util.errors import DataError, Problem
from orbitview.util.text import printable

HYPOTHETICAL = "HYPOTHETICAL"
"""Name prefix and international designator of the element sets 'orbitview design' makes."""
MAX_TLE_FILE_BYTES = 16 << 20
"""Largest bundled TLE file read (each holds one object's history: a few kilobytes)."""
STALE_AFTER_DAYS = 14.0
"""An element set older (or newer) than this at the time of use is stale."""

TLE_FIX = ("re-fetch the element set ('orbitview tle update NAME') or copy the "
           "lines again exactly as published; never retype TLE columns by hand.")


@dataclass(eq=False)
class ElementSet:
    """One set of mean elements for one object at one epoch."""

    norad_id: int
    name: str
    epoch: dt.datetime
    satrec: Satrec
    cospar_id: str = ""
    line1: str = ""
    line2: str = ""
    source: str = ""
    origin: str = ""
    """``file:line`` (or URL) the set was read from, for people."""
    extra: dict = field(default_factory=dict)
    origin_path: str = ""
    """The file (or URL) the set was read from."""
    origin_line: int | None = None
    """Its line in that file, when known."""

    @property
    def epoch_jd(self) -> float:
        return self.satrec.jdsatepoch + self.satrec.jdsatepochF

    def age_days(self, when: dt.datetime) -> float:
        """Signed age of this set at ``when``: positive when ``when`` is later."""
        return (when - self.epoch).total_seconds() / 86400.0

    @property
    def mean_motion_rev_per_day(self) -> float:
        return self.satrec.no_kozai * 1440.0 / (2.0 * np.pi)

    @property
    def is_deep_space(self) -> bool:
        """Period of 225 minutes or more: SGP4 uses its deep-space (SDP4) branch."""
        return self.mean_motion_rev_per_day <= 1440.0 / 225.0

    def __repr__(self) -> str:
        return (f"<ElementSet {self.norad_id} {self.name!r} "
                f"epoch {self.epoch:%Y-%m-%dT%H:%M:%SZ}>")

    def __getstate__(self):
        """Pickled without its ``Satrec`` (a C object pickle cannot carry): the TLE lines or
        OMM fields it was built from rebuild the same ``Satrec`` on unpickling, so element
        sets travel to dask workers (``orbitview.access.distributed``)."""
        if not (self.line1 and self.line2) and "omm" not in self.extra:
            raise TypeError(f"{self!r} has neither TLE lines nor OMM fields to rebuild it from")
        return {**self.__dict__, "satrec": None}

    def __setstate__(self, state):
        self.__dict__.update(state)
        if self.line1 and self.line2:
            self.satrec = Satrec.twoline2rv(self.line1, self.line2, WGS72)
        else:
            from sgp4 import omm
            fields = self.extra["omm"]
            self.satrec = Satrec()
            omm.initialize(self.satrec, {**fields, "NORAD_CAT_ID": str(
                self.norad_id if self.norad_id <= 339999 else 0)})


ELEMENT_RANGES = {"ECCENTRICITY": (0.0, 0.999999, ""), "INCLINATION": (0.0, 180.0, " deg"),
                  "RA_OF_ASC_NODE": (0.0, 360.0, " deg"),
                  "ARG_OF_PERICENTER": (0.0, 360.0, " deg"),
                  "MEAN_ANOMALY": (0.0, 360.0, " deg"), "MEAN_MOTION": (0.05, 20.0, " rev/day"),
                  "BSTAR": (-1.0, 1.0, " /earth radii"),
                  "MEAN_MOTION_DOT": (-1.0, 1.0, " rev/day^2"),
                  "MEAN_MOTION_DDOT": (-1.0, 1.0, " rev/day^3")}
"""The one set of range checks for element sets, whether read from TLE lines or OMM
(CelesTrak's field names; mean motion 0.05 to 20 rev/day spans a 20-day orbit to a
72-minute one)."""


def check_element_ranges(values: dict) -> list[str]:
    """What is out of :data:`ELEMENT_RANGES` in ``values`` (field name -> number)."""
    wrong = []
    for key, (lo, hi, unit) in ELEMENT_RANGES.items():
        value = values.get(key)
        if value is None:
            continue
        if not lo <= value <= hi:        # also catches NaN
            wrong.append(f"{key} {value:g}{unit} is outside {lo:g} to {hi:g}")
    return wrong


def tle_values(satrec) -> dict:
    """The mean elements of a Satrec in OMM's field names and units."""
    deg = 180.0 / np.pi
    return {"ECCENTRICITY": satrec.ecco, "INCLINATION": satrec.inclo * deg,
            "RA_OF_ASC_NODE": satrec.nodeo * deg, "ARG_OF_PERICENTER": satrec.argpo * deg,
            "MEAN_ANOMALY": satrec.mo * deg,
            "MEAN_MOTION": satrec.no_kozai * 1440.0 / (2.0 * np.pi), "BSTAR": satrec.bstar,
            "MEAN_MOTION_DOT": satrec.ndot * 1036800.0 / np.pi,
            "MEAN_MOTION_DDOT": satrec.nddot * 2985984000.0 / 2.0 / np.pi}


def _whole_number(text: str) -> bool:
    """ASCII digits only: '²' and '٣' pass ``str.isdigit`` but are no catalog number."""
    return text.isascii() and text.isdigit()


def cospar_from_tle(designator: str) -> str:
    """``'18056B  '`` -> ``'2018-056B'`` (TLE columns 10-17); '' if blank."""
    d = designator.strip()
    if len(d) < 5 or not d[:5].isdigit():
        return ""
    year = int(d[:2])
    year += 1900 if year >= 57 else 2000
    return f"{year}-{d[2:5]}{d[5:]}"


def _check_line(path, lineno, line, number, problems) -> bool:
    """Column layout and checksum of TLE line 1 or 2; append problems, True if fine."""
    ok = True
    odd = next((c for c in line if not " " <= c <= "~"), None)
    if odd is not None:
        problems.append(Problem(
            path, lineno,
            f"TLE line {number} holds the character {odd!r} at column {line.index(odd) + 1}; "
            "TLE lines are printable ASCII only (no tabs)",
            line.encode("ascii", "backslashreplace").decode(), TLE_FIX))
        return False
    if len(line) != 69:
        problems.append(Problem(
            path, lineno,
            f"TLE line {number} is {len(line)} characters long; it must be 69",
            _template(number, line), TLE_FIX))
        return False
    if not line[68].isdigit():
        problems.append(Problem(
            path, lineno, f"TLE line {number} has no checksum digit in column 69",
            line, TLE_FIX))
        return False
    computed = compute_checksum(line)
    if int(line[68]) != computed:
        problems.append(Problem(
            path, lineno,
            f"checksum of TLE line {number} is {line[68]} but its characters tally to "
            f"{computed}: the line was altered after it was published",
            line, TLE_FIX))
        ok = False
    return ok


def _template(number: int, line: str) -> str:
    from sgp4.io import LINE1, LINE2
    return f"expected: {LINE1 if number == 1 else LINE2}\n     got: {line}"


def _parse_pair(path, lineno, name, line1, line2, problems) -> ElementSet | None:
    """Validate one pair (``lineno`` is line 1's) and build its ElementSet."""
    ok1 = _check_line(path, lineno, line1, 1, problems)
    ok2 = _check_line(path, lineno + 1, line2, 2, problems)
    try:
        n1, n2 = from_alpha5(line1[2:7].strip()), from_alpha5(line2[2:7].strip())
    except (ValueError, IndexError):
        problems.append(Problem(
            path, lineno, f"catalog number {line1[2:7]!r} / {line2[2:7]!r} is neither digits "
            "nor Alpha-5", f"{line1}\n{line2}", TLE_FIX))
        return None
    if n1 != n2:
        problems.append(Problem(
            path, lineno + 1,
            f"line 1 is for catalog number {n1} but line 2 is for {n2}: "
            "the lines of two different objects were paired",
            f"{line1}\n{line2}", TLE_FIX))
        return None
    if not (ok1 and ok2):
        return None
    try:
        # sgp4's own parser checks the column template of both lines.
        twoline2rv(line1, line2, wgs72)
    except ValueError as e:
        problems.append(Problem(path, lineno, "TLE lines do not match the column format",
                                str(e), TLE_FIX))
        return None
    except (TypeError, ArithmeticError):
        pass        # impossible values (a negative mean motion): the range checks below say which
    evidence = f"{line1}\n{line2}"
    try:
        satrec = Satrec.twoline2rv(line1, line2, WGS72)
    except (ValueError, RuntimeError) as e:
        problems.append(Problem(path, lineno, f"sgp4 cannot read these lines ({e})",
                                evidence, TLE_FIX))
        return None
    wrong = check_element_ranges(tle_values(satrec))
    if not 1.0 <= satrec.epochdays < 367.0:
        wrong.append(f"epoch day of year {line1[20:32].strip()} is outside 1 to 366.99999999 "
                     "(columns 21-32 of line 1)")
    if wrong:
        problems.append(Problem(path, lineno, "impossible elements: " + "; ".join(wrong),
                                evidence, TLE_FIX))
        return None
    try:
        epoch = sat_epoch_datetime(satrec)
    except (ValueError, OverflowError) as e:
        problems.append(Problem(path, lineno, f"epoch {line1[18:32].strip()} is not a date "
                                f"({e})", evidence, TLE_FIX))
        return None
    if satrec.error:
        problems.append(Problem(path, lineno, f"SGP4 rejects these elements "
                                f"(error {satrec.error})", evidence, TLE_FIX))
        return None
    return ElementSet(
        norad_id=n1, name=name, epoch=epoch, satrec=satrec,
        cospar_id=cospar_from_tle(line1[9:17]), line1=line1, line2=line2,
        origin=f"{path}:{lineno}", origin_path=str(path), origin_line=lineno)


def parse_tle_text(text: str, path: Path | str) -> tuple[list[ElementSet], list[Problem]]:
    """Parse 3LE or 2LE text; return every valid set and every problem found.

    Line numbers in problems are 1-based lines of ``path``.  A bad set never
    hides its neighbours: parsing continues after it.
    """
    sets: list[ElementSet] = []
    problems: list[Problem] = []
    lines = text.splitlines()
    i = 0
    pending_name: tuple[int, str] | None = None
    while i < len(lines):
        raw = lines[i].rstrip()
        lineno = i + 1
        if not raw.strip():
            i += 1
            continue
        if raw.startswith("1 ") or raw.startswith("2 "):
            if raw.startswith("2 "):
                problems.append(Problem(
                    path, lineno, "TLE line 2 without a line 1 before it", raw, TLE_FIX))
                pending_name = None
                i += 1
                continue
            nxt = lines[i + 1].rstrip() if i + 1 < len(lines) else ""
            if not nxt.startswith("2 "):
                problems.append(Problem(
                    path, lineno, "TLE line 1 without its line 2",
                    f"{raw}\n{nxt or '(end of file)'}", TLE_FIX))
                pending_name = None
                i += 1
                continue
            name = pending_name[1] if pending_name else ""
            es = _parse_pair(path, lineno, name, raw, nxt, problems)
            if es is not None:
                sets.append(es)
            pending_name = None
            i += 2
            continue
        if pending_name is not None:
            problems.append(Problem(
                path, pending_name[0], "name line without its pair of TLE lines",
                pending_name[1], "add the two TLE lines under the name, or delete the name"))
        name = raw[2:] if raw.startswith("0 ") else raw
        pending_name = (lineno, printable(name.strip()))
        i += 1
    if pending_name is not None:
        problems.append(Problem(
            path, pending_name[0], "name line without its pair of TLE lines",
            pending_name[1], "add the two TLE lines under the name, or delete the name"))
    return sets, problems


PROVENANCE_COLUMNS = ("norad_id", "epoch_tle", "source")
PROVENANCE_FIX = ("one row per element set: norad_id,file,line,name_line,epoch_tle,epoch_utc,"
                  "source,repository,path,commit (see data/README.md)")


def read_provenance(path: Path) -> tuple[dict[tuple[int, str], dict[str, str]], list[Problem]]:
    """``provenance.csv`` as ({(norad_id, tle epoch field): row}, problems)."""
    from orbitview.util.csvfile import read_csv
    table = read_csv(path, PROVENANCE_COLUMNS, PROVENANCE_FIX,
                     missing_fix="restore provenance.csv: every bundled element set needs a "
                                 "row saying where it came from")
    rows, problems = {}, table.problems
    for line, row, raw in table.rows:
        if not row["norad_id"].isdecimal() or not row["norad_id"].isascii():
            problems.append(Problem(path, line, f"norad_id {row['norad_id'][:40]!r} is not a "
                                    "catalog number", raw, PROVENANCE_FIX))
            continue
        rows[(int(row["norad_id"]), row["epoch_tle"])] = row
    return rows, problems


def describe_source(row: dict[str, str] | None) -> str:
    if not row:
        return "unknown (no provenance entry)"
    text = row.get("source", "")
    if row.get("repository"):
        text += f" via {row['repository']}@{row.get('commit', '')[:8]}"
    return text


class ElementStore:
    """Every element set known, grouped by NORAD number, oldest epoch first.

    Adding is O(1); each history is sorted (and sets of the same epoch merged,
    the later-added one winning) once, when it is first read, so loading n sets
    takes O(n log n).
    """

    SAME_EPOCH_DAYS = 1e-8
    """Epochs closer than this (0.9 ms) are the same epoch seen twice."""

    def __init__(self, sets: list[ElementSet] = ()):
        self._sets: dict[int, list[ElementSet]] = {}
        self._sorted: set[int] = set()
        for es in sets:
            self.add(es)

    def add(self, es: ElementSet) -> None:
        self._sets.setdefault(es.norad_id, []).append(es)
        self._sorted.discard(es.norad_id)

    def history(self, norad_id: int) -> list[ElementSet]:
        sets = self._sets.get(norad_id)
        if not sets:
            return []
        if norad_id not in self._sorted:
            order = sorted(range(len(sets)), key=lambda k: (sets[k].epoch_jd, k))
            merged: list[ElementSet] = []
            for k in order:
                es = sets[k]
                if merged and es.epoch_jd - merged[-1].epoch_jd < self.SAME_EPOCH_DAYS:
                    merged[-1] = es        # the same epoch seen twice: the later source wins
                else:
                    merged.append(es)
            self._sets[norad_id] = merged
            self._sorted.add(norad_id)
        return self._sets[norad_id]

    @property
    def by_norad(self) -> dict[int, list[ElementSet]]:
        return {n: self.history(n) for n in self._sets}

    def latest(self, norad_id: int) -> ElementSet | None:
        history = self.history(norad_id)
        return history[-1] if history else None

    def __len__(self) -> int:
        return sum(len(self.history(n)) for n in self._sets)


def nearest_index(epochs_jd: np.ndarray, times_jd: np.ndarray) -> np.ndarray:
    """For each time, the index of the epoch nearest it (epochs sorted ascending)."""
    epochs_jd = np.asarray(epochs_jd, dtype=float)
    if len(epochs_jd) == 1:
        return np.zeros(np.shape(times_jd), dtype=int)
    midpoints = (epochs_jd[1:] + epochs_jd[:-1]) / 2.0
    return np.searchsorted(midpoints, times_jd, side="right")


def _norads_named_in(path: Path, text: str, sets) -> set[int]:
    """NORAD numbers a TLE file is about: its name, its sets, and any line 1/2 it holds."""
    found = {es.norad_id for es in sets}
    if path.stem.isdecimal() and path.stem.isascii():
        found.add(int(path.stem))
    for line in text.splitlines():
        if line[:2] in ("1 ", "2 "):
            try:
                found.add(from_alpha5(line[2:7].strip()))
            except (ValueError, IndexError):
                pass
    return found


def load_tle_dir(tle_dir: Path) -> tuple[ElementStore, list[Problem]]:
    """Read every ``*.tle`` in ``tle_dir`` with its ``provenance.csv``.

    A problem in a file affects only the objects that file is about
    (``Problem.affects``); every other file is read as usual.  ``unconfirmed/``
    is not read: it holds sets not proven to be Pakistani.
    """
    store = ElementStore()
    if not tle_dir.is_dir():
        return store, [Problem(tle_dir, None, "element-set directory not found", "",
                               "restore the tles/ directory of the data (reinstall orbitview "
                               "or fix ORBITVIEW_DATA_DIR)")]
    paths = sorted(tle_dir.glob("*.tle"))
    provenance, problems = read_provenance(tle_dir / "provenance.csv")
    check_rows = bool(provenance) or not problems
    from orbitview.util.files import read_input
    for path in paths:
        try:
            data = read_input(path, what="element file", max_bytes=MAX_TLE_FILE_BYTES,
                              fix="restore it from the bundled data (reinstall orbitview)")
        except DataError as e:             # not a regular file, too large, unreadable
            for p in e.problems:
                p.affects = frozenset(_norads_named_in(path, "", []))
            problems += e.problems
            continue
        except OSError as e:
            problems.append(Problem(path, None, f"cannot be read ({e.strerror or e})", "",
                                    "check the file's permissions",
                                    affects=_norads_named_in(path, "", [])))
            continue
        try:
            text = data.decode("ascii")
        except UnicodeDecodeError as e:
            line = data[:e.start].count(b"\n") + 1
            problems.append(Problem(path, line, f"not plain ASCII text (byte "
                                    f"{data[e.start]:#04x} at offset {e.start})", "", TLE_FIX,
                                    affects=_norads_named_in(
                                        path, data.decode("ascii", "replace"), [])))
            continue
        sets, found = parse_tle_text(text, path)
        if not sets and not found:
            found.append(Problem(path, None, "no element sets in the file", "",
                                 "copy the published lines into it, or delete the file"))
        for es in sets:
            row = provenance.get((es.norad_id, es.line1[18:32].strip()))
            if check_rows and row is None:
                found.append(Problem(
                    path, es.origin_line,
                    f"element set for {es.norad_id} at epoch {es.line1[18:32].strip()} "
                    "has no row in provenance.csv",
                    es.line1, "add a provenance.csv row saying where the set came from"))
            es.source = describe_source(row) if row or check_rows else \
                "unknown (provenance.csv unreadable: run 'orbitview data check')"
            store.add(es)
        affects = _norads_named_in(path, text, sets)
        for p in found:
            p.affects = frozenset(affects)
        problems += found
    return store, problems


# --------------------------------------------------------------------------- OMM

OMM_REQUIRED = ("OBJECT_NAME", "OBJECT_ID", "EPOCH", "MEAN_MOTION", "ECCENTRICITY",
                "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY",
                "NORAD_CAT_ID", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")
OMM_DEFAULTS = {"EPHEMERIS_TYPE": "0", "CLASSIFICATION_TYPE": "U", "ELEMENT_SET_NO": "999",
                "REV_AT_EPOCH": "0"}
OMM_FIX = ("fetch the element set again ('orbitview tle update NAME'), or correct the "
           "record: CelesTrak's OMM field names and units are documented at "
           "celestrak.org/NORAD/documentation/gp-data-formats.php")


OMM_MAX_FIELD_CHARS = 200


def omm_record_to_set(record, where: str, path,
                      line: int | None = None) -> tuple[ElementSet | None, list[Problem]]:
    """One OMM record (a mapping of CelesTrak's field names) -> ElementSet, or problems.

    The set keeps the record exactly as received (``extra["omm"]``: numbers stay
    numbers, a null stays null); defaults for absent optional fields are used
    only to initialise SGP4.
    """
    from sgp4 import omm
    if not isinstance(record, dict):
        return None, [Problem(path, line, f"OMM record {where} is not an object of fields",
                              repr(record)[:200], OMM_FIX)]
    fields = {}
    for k, v in record.items():
        if not isinstance(k, str):
            continue
        if isinstance(v, (dict, list)):
            return None, [Problem(path, line, f"OMM record {where}: {k[:40]} holds a "
                                  f"{type(v).__name__}, not a value", "", OMM_FIX)]
        text = ("" if v is None else str(v)).strip()
        if len(text) > OMM_MAX_FIELD_CHARS:
            return None, [Problem(path, line, f"OMM record {where}: {k[:40]} is "
                                  f"{len(text)} characters long (at most "
                                  f"{OMM_MAX_FIELD_CHARS})", "", OMM_FIX)]
        fields[k] = text
    missing = [k for k in OMM_REQUIRED if not fields.get(k)]
    if missing:
        return None, [Problem(path, line, f"OMM record {where} lacks {', '.join(missing)}",
                              _short(fields), OMM_FIX)]
    problems = []
    values = {}
    for key in ELEMENT_RANGES:
        try:
            values[key] = float(fields[key])
        except (ValueError, OverflowError):
            problems.append(Problem(path, line, f"OMM record {where}: {key} "
                                    f"{fields[key][:40]!r} is not a number", _short(fields),
                                    OMM_FIX))
    for wrong in check_element_ranges(values):
        problems.append(Problem(path, line, f"OMM record {where}: {wrong}", _short(fields),
                                OMM_FIX))
    norad_text = fields["NORAD_CAT_ID"]
    if not _whole_number(norad_text) or not 0 < int(norad_text) < 10**9:
        problems.append(Problem(path, line, f"OMM record {where}: NORAD_CAT_ID {norad_text!r} "
                                "is not a catalog number", _short(fields), OMM_FIX))
    epoch_text = fields["EPOCH"]
    try:
        epoch = dt.datetime.fromisoformat(epoch_text.rstrip("Z"))
        if epoch.tzinfo is not None or not 1957 <= epoch.year <= 2100:
            raise ValueError
    except ValueError:
        problems.append(Problem(path, line, f"OMM record {where}: EPOCH {epoch_text!r} is not "
                                "an ISO 8601 UTC time", _short(fields), OMM_FIX))
    for key, value in OMM_DEFAULTS.items():
        fields[key] = fields.get(key) or value
    if len(fields["CLASSIFICATION_TYPE"]) != 1:
        problems.append(Problem(path, line, f"OMM record {where}: CLASSIFICATION_TYPE "
                                f"{fields['CLASSIFICATION_TYPE']!r} is not one letter (U, C "
                                "or S)", _short(fields), OMM_FIX))
    for key in ("EPHEMERIS_TYPE", "ELEMENT_SET_NO", "REV_AT_EPOCH"):
        text = fields[key]
        if not (_whole_number(text) and int(text) < 10**9):
            problems.append(Problem(path, line, f"OMM record {where}: {key} {text!r} is not "
                                    "a whole number", _short(fields), OMM_FIX))
    if problems:
        return None, problems
    fields["EPOCH"] = epoch.strftime("%Y-%m-%dT%H:%M:%S.%f")
    norad = int(norad_text)
    satrec = Satrec()
    try:
        omm.initialize(satrec, {**fields, "NORAD_CAT_ID": str(norad if norad <= 339999 else 0)})
    except (ValueError, KeyError, TypeError, OverflowError) as e:
        return None, [Problem(path, line, f"OMM record {where}: sgp4 cannot use it ({e})",
                              _short(fields), OMM_FIX)]
    if satrec.error:
        return None, [Problem(path, line, f"OMM record {where}: SGP4 rejects these elements "
                              f"(error {satrec.error})", _short(fields), OMM_FIX)]
    es = ElementSet(norad_id=norad, name=printable(fields["OBJECT_NAME"]),
                    epoch=epoch.replace(tzinfo=dt.timezone.utc), satrec=satrec,
                    cospar_id=printable(fields["OBJECT_ID"]),
                    origin=f"{path}:{line}" if line else str(path),
                    extra={"omm": dict(record)}, origin_path=str(path), origin_line=line)
    return es, []


def _short(fields: dict) -> str:
    keys = ("OBJECT_NAME", "NORAD_CAT_ID", "EPOCH")
    return ", ".join(f"{k}={fields.get(k)!r}" for k in keys)


def json_items(text: str, path, fix: str) -> tuple[list[tuple[object, int]], Problem | None]:
    """The items of a JSON array (or the one JSON value) with the line each starts on.

    Never raises: malformed JSON, nesting deeper than Python can follow, and
    integers of thousands of digits come back as one located :class:`Problem`.
    """
    import json
    decoder = json.JSONDecoder()
    items: list[tuple[object, int]] = []
    line, pos = 1, 0
    n = len(text)

    def skip(i):
        while i < n and text[i] in " \t\r\n":
            i += 1
        return i

    def at(i):
        nonlocal line, pos
        line += text.count("\n", pos, i)
        pos = i
        return line

    i = skip(0)
    try:
        if i >= n or text[i] != "[":
            value, end = decoder.raw_decode(text, i)
            items.append((value, at(i)))
            i = skip(end)
        else:
            i = skip(i + 1)
            if i < n and text[i] == "]":
                i += 1
            else:
                while True:
                    value, end = decoder.raw_decode(text, i)
                    items.append((value, at(i)))
                    i = skip(end)
                    if i < n and text[i] == ",":
                        i = skip(i + 1)
                    elif i < n and text[i] == "]":
                        i += 1
                        break
                    else:
                        raise json.JSONDecodeError("expected ',' or ']'", text, i)
            i = skip(i)
        if i < n:
            raise json.JSONDecodeError("extra data after the JSON value", text, i)
    except json.JSONDecodeError as e:
        lines = text.splitlines()
        shown = lines[e.lineno - 1][:200] if 0 < e.lineno <= len(lines) else "(end of text)"
        return [], Problem(path, e.lineno, f"not valid JSON: {e.msg} (column {e.colno})",
                           shown, fix)
    except RecursionError:
        return [], Problem(path, at(i), "JSON nested too deeply to read", "", fix)
    except ValueError as e:          # an integer of more digits than Python converts
        return [], Problem(path, at(i), f"JSON value cannot be read ({e})"[:200], "", fix)
    return items, None


def parse_omm(text: str, path, fmt: str | None = None) -> tuple[list[ElementSet], list[Problem]]:
    """Parse CelesTrak OMM as JSON, CSV or XML (``fmt`` or guessed from the text)."""
    import io

    from sgp4 import omm
    stripped = text.lstrip()
    fmt = fmt or ("json" if stripped[:1] in "[{" else "xml" if stripped[:1] == "<" else "csv")
    sets, problems = [], []
    if fmt == "json":
        records, problem = json_items(text, path, OMM_FIX)
        if problem is not None:
            return [], [problem]
        items = [(r, f"#{i + 1}", line) for i, (r, line) in enumerate(records)]
    elif fmt == "csv":
        reader = omm.parse_csv(io.StringIO(text))
        try:
            items = [(row, f"line {reader.line_num}", reader.line_num) for row in reader]
        except csv.Error as e:
            return [], [Problem(path, None, f"not valid CSV: {e}", "", OMM_FIX)]
        if reader.fieldnames and "NORAD_CAT_ID" not in reader.fieldnames:
            return [], [Problem(path, 1, "CSV has no NORAD_CAT_ID column: not OMM",
                                ",".join(reader.fieldnames)[:200], OMM_FIX)]
    elif fmt == "xml":
        try:
            items = [(r, f"#{i + 1}", None)
                     for i, r in enumerate(omm.parse_xml(io.StringIO(text)))]
        except Exception as e:  # ElementTree raises ParseError, AttributeError on odd trees
            return [], [Problem(path, None, f"not valid OMM XML: {e}", text[:200], OMM_FIX)]
    else:
        raise ValueError(f"unknown OMM format {fmt!r}")
    if not items:
        problems.append(Problem(path, None, "no OMM records found", text[:200], OMM_FIX))
    for record, where, line in items:
        es, found = omm_record_to_set(record, where, path, line)
        problems += found
        if es is not None:
            sets.append(es)
    return sets, problems


def read_elements_text(text: str, path) -> tuple[list[ElementSet], list[Problem]]:
    """TLE/3LE/2LE or OMM (JSON, CSV, XML): whichever the text is."""
    head = text.lstrip()[:1]
    if (head and head in "[{<") or text.lstrip().startswith(("CCSDS_OMM_VERS", "OBJECT_NAME,")):
        return parse_omm(text, path)
    return parse_tle_text(text, path)


def is_hypothetical(obj) -> bool:
    """Whether an element set, a satellite or a name belongs to a generated design."""
    if isinstance(obj, str):
        return obj.upper().startswith(HYPOTHETICAL)
    sets = getattr(obj, "elements", None)
    if sets:
        return any(is_hypothetical(es) for es in sets)
    omm = getattr(obj, "extra", {}).get("omm", {})
    return (str(getattr(obj, "name", "")).upper().startswith(HYPOTHETICAL)
            or str(omm.get("OBJECT_ID", "")).upper() == HYPOTHETICAL)
