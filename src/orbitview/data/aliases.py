"""Well-known objects by name: the space stations and partner satellites people ask for.

A name that matches no launch record is looked up here before orbitview says it does
not know it (:meth:`orbitview.data.catalog.Catalog.resolve` asks :class:`WellKnown`):

1. ``data/aliases.csv``: a few sourced names (Tiangong, CSS, ISS, GF-1, ...) of objects
   that are not Pakistani records, each with its NORAD number (taken from a cited
   element file, never guessed; columns in ``data/README.md``);
2. the objects of the bundled CelesTrak ``stations`` group (``data/catalogs/stations.tle``),
   by name, either part of a name such as ``CSS (TIANHE)``, NORAD number or COSPAR id.

Either way the answer is an :class:`~orbitview.data.external.ExternalSatellite` whose
element sets come from a bundled catalogue (``data/catalogs/*.tle``): marked "not a
Pakistani record", never part of ``--all``, and as old as the bundled file (commands
warn, as for every bundled set).  An alias whose object no bundled file holds raises
:class:`WellKnownWithoutElements` naming how to get its sets (``orbitview tle update
--group NAME`` or ``--elements FILE``).  Element files and stored groups that hold the
same object come first (:class:`~orbitview.data.external.Resolver`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from orbitview.util.errors import Problem, UnknownSatelliteError, UsageError
from orbitview.util.names import normalize

ALIASES_FILE = "aliases.csv"
COLUMNS = ("name", "aliases", "norad_id", "group", "source", "note")
CATALOGS_DIR = "catalogs"
NAMED_GROUPS = ("stations",)
"""Bundled groups whose every object is known by name in every command."""
SEARCHED_GROUPS = ("stations", "resource", "geo")
"""Bundled groups searched, in this order, for the element sets of an alias's object."""


@dataclass(frozen=True)
class Alias:
    """One row of ``data/aliases.csv``."""

    name: str
    aliases: tuple[str, ...]
    norad_id: int
    group: str
    """The CelesTrak group that holds the object (``stations``, ``resource``), or ''."""
    source: str
    note: str
    origin: str
    """``path:line`` of the row."""

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def read_aliases(path: Path | str) -> tuple[list[Alias], list[Problem]]:
    """The rows of an aliases file; a bad row is left out and named (file:line, fix)."""
    from orbitview.util.csvfile import read_csv
    path = Path(path)
    table = read_csv(path, ("name", "norad_id"),
                     f"see data/README.md for the columns ({', '.join(COLUMNS)})",
                     missing_fix="restore data/aliases.csv")
    problems = list(table.problems)
    out: list[Alias] = []
    seen: dict[str, Alias] = {}
    for line, v, raw in table.rows:
        norad = v.get("norad_id", "")
        if not (norad.isdecimal() and norad.isascii() and 0 < int(norad) and len(norad) <= 9):
            problems.append(Problem(path, line, f"norad_id {norad!r} is not a NORAD number",
                                    raw, "write the NORAD number of the element file the "
                                    "source column cites (never a guess), or remove the row"))
            continue
        if not normalize(v.get("name", "")):
            problems.append(Problem(path, line, "the name is empty", raw,
                                    "give every row the object's name"))
            continue
        row = Alias(v["name"], tuple(a.strip() for a in v.get("aliases", "").split(";")
                                     if normalize(a)), int(norad), v.get("group", ""),
                    v.get("source", ""), v.get("note", ""), f"{path}:{line}")
        clash = [n for n in row.names() if normalize(n) in seen
                 and seen[normalize(n)].norad_id != row.norad_id]
        if clash:
            other = seen[normalize(clash[0])]
            problems.append(Problem(path, line, f"name {clash[0]!r} also names {other.name} "
                                    f"({other.origin})", raw,
                                    "keep each name on one row"))
            continue
        for n in row.names():
            seen[normalize(n)] = row
        out.append(row)
    return out, problems


class WellKnownWithoutElements(UnknownSatelliteError):
    """A well-known name (``data/aliases.csv``) whose object no bundled file holds a set of.

    An :class:`UnknownSatelliteError` (so lookups that go on to element files and stored
    groups still do), with ``norad_id`` for them and a message that says how to get sets.
    """

    def __init__(self, query: str, alias: Alias):
        self.query = query
        self.norad_id = alias.norad_id
        self.alias = alias
        self.suggestions = [alias.name]
        fetch = (f"fetch its CelesTrak group once when online, 'orbitview tle update --group "
                 f"{alias.group}', or give" if alias.group else "give")
        named = (f"{alias.name} (NORAD {alias.norad_id}; {Path(alias.origin).name}) is"
                 if normalize(query) == normalize(alias.name) else
                 f"{query!r} is {alias.name} (NORAD {alias.norad_id}; "
                 f"{Path(alias.origin).name}),")
        self.text = (f"{named} not a Pakistani record, and no element set of it is held "
                     "here.\n"
                     f"Fix: {fetch} a file of its element sets with --elements FILE (e.g. "
                     f"CelesTrak's GP data for CATNR={alias.norad_id}).")
        Exception.__init__(self, self.text)


class WellKnown:
    """The well-known objects of one data directory, read when first asked for."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self._aliases: list[Alias] | None = None
        self._groups: dict[str, list] = {}
        self.problems: list[Problem] = []

    # ------------------------------------------------------------------ sources

    def aliases(self) -> list[Alias]:
        if self._aliases is None:
            path = self.directory / ALIASES_FILE
            if path.is_file():
                self._aliases, found = read_aliases(path)
                self.problems += found
            else:
                self._aliases = []
        return self._aliases

    def group(self, name: str) -> list:
        """The objects of the bundled group file ``catalogs/<name>.tle`` ([] if absent)."""
        if name not in self._groups:
            self._groups[name] = self._read_group(name)
        return self._groups[name]

    def _read_group(self, name: str) -> list:
        from orbitview.data.elements import read_elements_text
        from orbitview.data.external import satellites_from_sets
        path = self.directory / CATALOGS_DIR / f"{name}.tle"
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return []
        sets, problems = read_elements_text(text, path)
        self.problems += problems
        if not sets:
            return []
        newest = max(es.epoch for es in sets)
        file_source = (f"elements file {path.name} (bundled with orbitview: CelesTrak "
                       f"GROUP={name} of {newest:%Y-%m-%d})")
        for es in sets:
            es.source = file_source
        sats = satellites_from_sets(sets, f"bundled CelesTrak group {name} of "
                                          f"{newest:%Y-%m-%d} ({CATALOGS_DIR}/{path.name})")
        for sat in sats:
            sat.well_known = True
        return sats

    def names(self) -> dict[str, str]:
        """Every well-known name -> the name of its object (suggestions, completion)."""
        out = {n: a.name for a in self.aliases() for n in a.names()}
        for group in NAMED_GROUPS:
            for sat in self.group(group):
                out.setdefault(sat.name, sat.name)
        return out

    # ------------------------------------------------------------------ lookup

    def alias(self, query: str) -> Alias | None:
        key = normalize(query)
        return next((a for a in self.aliases() if key and key in {normalize(n) for n in
                                                                     a.names()}), None)

    def by_norad(self, norad_id: int):
        """The bundled object with this NORAD number, or None."""
        for group in SEARCHED_GROUPS:
            for sat in self.group(group):
                if sat.norad_id == norad_id:
                    return sat
        return None

    def resolve(self, query: str, record_of=None):
        """The object a well-known name names, or None when it is not one.

        ``record_of(norad_id)`` gives a launch record of that number (or None): an alias
        of a Pakistani object is that record.  Raises :class:`WellKnownWithoutElements`
        for an alias whose object no bundled file holds, and :class:`UsageError` for a
        name that several objects of the stations group share ('CSS')."""
        text = str(query).strip()
        alias = self.alias(text)
        if alias is not None:
            record = record_of(alias.norad_id) if record_of is not None else None
            if record is not None:
                return record
            sat = self.by_norad(alias.norad_id)
            if sat is None:
                raise WellKnownWithoutElements(text, alias)
            return sat
        found = [s for group in NAMED_GROUPS for s in self.group(group) if _matches(s, text)]
        if len(found) > 1:
            listing = "\n".join(f"  - {s.name} (NORAD {s.norad_id}, {s.cospar_id}) from "
                                f"{s.source}, not a Pakistani record" for s in found)
            raise UsageError(f"{text!r} names {len(found)} different objects:\n{listing}\n"
                             "Fix: ask by NORAD number (e.g. "
                             f"{', '.join(str(s.norad_id) for s in found)}) to choose one.")
        return found[0] if found else None


def _matches(sat, text: str) -> bool:
    if text.isdecimal() and text.isascii():
        return sat.norad_id == int(text)
    key = normalize(text)
    names = [sat.name, *[p.strip() for p in re.split(r"[()]", sat.name) if p.strip()]]
    keys = {normalize(n) for n in names}
    if sat.cospar_id:
        keys |= {normalize(sat.cospar_id), normalize(sat.cospar_id[2:])}
    return bool(key) and key in keys
