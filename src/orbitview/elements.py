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
from sgp4.api import Satrec, WGS72
from sgp4.conveniences import sat_epoch_datetime
from sgp4.io import compute_checksum, twoline2rv
from sgp4.earth_gravity import wgs72

from .errors import DataError, Problem

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
    """``file:line`` (or URL) the set was read from."""
    extra: dict = field(default_factory=dict)

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
    satrec = Satrec.twoline2rv(line1, line2, WGS72)
    if satrec.error:
        problems.append(Problem(path, lineno, f"SGP4 rejects these elements "
                                f"(error {satrec.error})", f"{line1}\n{line2}", TLE_FIX))
        return None
    return ElementSet(
        norad_id=n1, name=name, epoch=sat_epoch_datetime(satrec), satrec=satrec,
        cospar_id=cospar_from_tle(line1[9:17]), line1=line1, line2=line2,
        origin=f"{path}:{lineno}")


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
        pending_name = (lineno, name.strip())
        i += 1
    if pending_name is not None:
        problems.append(Problem(
            path, pending_name[0], "name line without its pair of TLE lines",
            pending_name[1], "add the two TLE lines under the name, or delete the name"))
    return sets, problems


def read_provenance(path: Path) -> dict[tuple[int, str], dict[str, str]]:
    """``provenance.csv`` as {(norad_id, tle epoch field): row}."""
    if not path.is_file():
        return {}
    with open(path, newline="") as f:
        return {(int(r["norad_id"]), r["epoch_tle"]): r for r in csv.DictReader(f)}


def describe_source(row: dict[str, str] | None) -> str:
    if not row:
        return "unknown (no provenance entry)"
    text = row.get("source", "")
    if row.get("repository"):
        text += f" via {row['repository']}@{row.get('commit', '')[:8]}"
    return text


class ElementStore:
    """Every element set known, grouped by NORAD number, oldest epoch first."""

    def __init__(self, sets: list[ElementSet] = ()):
        self.by_norad: dict[int, list[ElementSet]] = {}
        for es in sets:
            self.add(es)

    def add(self, es: ElementSet) -> None:
        history = self.by_norad.setdefault(es.norad_id, [])
        for i, old in enumerate(history):
            if abs(old.epoch_jd - es.epoch_jd) < 1e-8:
                history[i] = es  # the same epoch seen twice: later source wins
                break
        else:
            history.append(es)
        history.sort(key=lambda e: e.epoch_jd)

    def history(self, norad_id: int) -> list[ElementSet]:
        return self.by_norad.get(norad_id, [])

    def latest(self, norad_id: int) -> ElementSet | None:
        history = self.history(norad_id)
        return history[-1] if history else None

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_norad.values())


def nearest_index(epochs_jd: np.ndarray, times_jd: np.ndarray) -> np.ndarray:
    """For each time, the index of the epoch nearest it (epochs sorted ascending)."""
    epochs_jd = np.asarray(epochs_jd, dtype=float)
    if len(epochs_jd) == 1:
        return np.zeros(np.shape(times_jd), dtype=int)
    midpoints = (epochs_jd[1:] + epochs_jd[:-1]) / 2.0
    return np.searchsorted(midpoints, times_jd, side="right")


def load_tle_dir(tle_dir: Path) -> tuple[ElementStore, list[Problem]]:
    """Read every ``*.tle`` in ``tle_dir`` with its ``provenance.csv``.

    ``unconfirmed/`` is not read: it holds sets not proven to be Pakistani.
    """
    provenance = read_provenance(tle_dir / "provenance.csv")
    store = ElementStore()
    problems: list[Problem] = []
    for path in sorted(tle_dir.glob("*.tle")):
        try:
            text = path.read_text(encoding="ascii")
        except UnicodeDecodeError as e:
            problems.append(Problem(path, None, f"not plain ASCII text ({e.reason} at byte "
                                    f"{e.start})", "", TLE_FIX))
            continue
        sets, found = parse_tle_text(text, path)
        problems.extend(found)
        for es in sets:
            row = provenance.get((es.norad_id, es.line1[18:32].strip()))
            if provenance and row is None:
                problems.append(Problem(
                    path, int(es.origin.rsplit(":", 1)[1]),
                    f"element set for {es.norad_id} at epoch {es.line1[18:32].strip()} "
                    "has no row in provenance.csv",
                    es.line1, "add a provenance.csv row saying where the set came from"))
            es.source = describe_source(row)
            store.add(es)
    return store, problems
