"""Objects beyond the Pakistani records: element files and CelesTrak groups.

``--elements FILE`` (3LE/TLE, OMM JSON/CSV/XML) and groups fetched with
``orbitview tle update --group NAME`` add objects that have no launch record.
Each becomes an :class:`ExternalSatellite`, which works wherever a catalog
:class:`~orbitview.data.catalog.Satellite` does (propagation, passes, maps) and
says plainly that it is not a Pakistani record.  :class:`Resolver` looks a
query up in the catalog and in every external source at once: a name that
matches objects from two sources is an error listing both, never a silent pick.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from orbitview.data.elements import ElementSet, ElementStore
from orbitview.util.errors import DataError, NoElementsError, Problem, UnknownSatelliteError, UsageError

NOT_PAKISTANI = "not a Pakistani record"


@dataclass
class _Record:
    """The few launch-record fields other modules read, for an object without one."""

    name: str
    norad_id: int | None
    cospar_id: str
    orbit_class: str = ""
    purpose: str = ""
    status: str = ""
    aliases: list = field(default_factory=list)
    origin: str = ""


@dataclass(eq=False)
class ExternalSatellite:
    """An object known only from element sets (a file or a CelesTrak group)."""

    name: str
    norad_id: int
    cospar_id: str
    elements: list[ElementSet]
    source: str
    """Where the sets came from: 'elements file stations.tle' or 'CelesTrak group stations'."""
    pakistani: bool = False

    def __post_init__(self):
        self.elements.sort(key=lambda es: es.epoch_jd)
        latest = self.elements[-1]
        geo = latest.is_deep_space and abs(latest.mean_motion_rev_per_day - 1.0027) < 0.05
        self.record = _Record(self.name, self.norad_id, self.cospar_id,
                              "GEO" if geo else "", origin=self.source)

    @property
    def latest(self) -> ElementSet:
        return self.elements[-1]

    @property
    def is_geo(self) -> bool:
        return self.record.orbit_class == "GEO"

    @property
    def label(self) -> str:
        """'CSS (TIANHE) (48274; CelesTrak group stations, not a Pakistani record)'."""
        return f"{self.name} ({self.norad_id}; {self.source}, {NOT_PAKISTANI})"

    def require_elements(self) -> list[ElementSet]:
        return self.elements

    def why_no_elements(self) -> str:
        return ""

    def __repr__(self) -> str:
        return f"<ExternalSatellite {self.name} {self.norad_id} from {self.source}>"


def satellites_from_sets(sets: list[ElementSet], source: str) -> list[ExternalSatellite]:
    """Group element sets by NORAD number into external satellites (newest name wins)."""
    store = ElementStore(sets)
    out = []
    for norad, history in store.by_norad.items():
        latest = history[-1]
        name = latest.name.strip() or str(norad)
        out.append(ExternalSatellite(name, norad, latest.cospar_id, list(history), source))
    return out


def read_elements_file(path: Path | str) -> list[ExternalSatellite]:
    """Every object in a 3LE/TLE or OMM (JSON, CSV, XML) file; problems are errors."""
    from orbitview.data.elements import read_elements_text
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"--elements {str(path)!r}: no such file.\n"
                         "Fix: give the path of a 3LE/TLE or OMM (JSON, CSV, XML) file.") from None
    except IsADirectoryError:
        raise UsageError(f"--elements {str(path)!r} is a directory.\n"
                         "Fix: give the path of one element-set file.") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DataError([Problem(path, None, f"not UTF-8 text (byte {e.start})", "",
                                 "give a 3LE/TLE or OMM text file as CelesTrak publishes it")]
                        ) from None
    sets, problems = read_elements_text(text, path)
    if problems:
        raise DataError(problems)
    if not sets:
        raise DataError([Problem(path, None, "no element sets found", text[:200],
                                 "give a 3LE/TLE or OMM file (CelesTrak GP format)")])
    for es in sets:
        es.source = es.source or f"elements file {path.name}"
    return satellites_from_sets(sets, f"elements file {path.name}")


class Resolver:
    """Look up objects in the catalog and in external sources, refusing ambiguity."""

    def __init__(self, catalog, externals: list[ExternalSatellite] = ()):
        self.catalog = catalog
        self.externals = list(externals)
        by_norad = {s.norad_id for s in catalog if s.norad_id}
        # An external object that is also a catalog record is the catalog record: merge its
        # newer sets into the record instead of listing it twice.
        self.extra: list[ExternalSatellite] = []
        merged: dict[int, ExternalSatellite] = {}
        for ext in self.externals:             # one object from two sources is one object
            if ext.norad_id in merged:
                first = merged[ext.norad_id]
                known = {round(es.epoch_jd, 8) for es in first.elements}
                first.elements += [es for es in ext.elements
                                   if round(es.epoch_jd, 8) not in known]
                first.elements.sort(key=lambda es: es.epoch_jd)
                if ext.source not in first.source:
                    first.source = f"{first.source}; {ext.source}"
            else:
                merged[ext.norad_id] = ext
        self.externals = list(merged.values())
        for ext in self.externals:
            if ext.norad_id in by_norad:
                sat = catalog.resolve(str(ext.norad_id))
                known = {round(es.epoch_jd, 8) for es in sat.elements}
                sat.elements += [es for es in ext.elements if round(es.epoch_jd, 8) not in known]
                sat.elements.sort(key=lambda es: es.epoch_jd)
            else:
                self.extra.append(ext)

    def _external_matches(self, query: str) -> list[ExternalSatellite]:
        from orbitview.util.names import normalize
        text = query.strip()
        if text.isdecimal() and text.isascii():
            return [e for e in self.extra if e.norad_id == int(text)]
        key = normalize(text)
        out = []
        for e in self.extra:
            keys = {normalize(e.name)} | {normalize(part) for part in _name_parts(e.name)}
            if e.cospar_id:
                keys |= {normalize(e.cospar_id), normalize(e.cospar_id[2:])}
            if key in keys:
                out.append(e)
        return out

    def resolve(self, query):
        text = str(query).strip()
        unknown = None
        try:
            record = self.catalog.resolve(text)
        except UnknownSatelliteError as e:
            record, unknown = None, e
        external = self._external_matches(text)
        # A well-known object (orbitview.data.aliases: bundled sets, or none) is the one of
        # an element file or stored group when they hold it: theirs are the sets given.
        norad = record.norad_id if getattr(record, "well_known", False) else \
            getattr(unknown, "norad_id", None)
        if norad is not None:
            held = [e for e in self.extra if e.norad_id == norad]
            if held:
                record = None
                external += [e for e in held[:1] if e not in external]
            elif unknown is not None and not external:
                raise unknown                       # says how to get its sets
        found = ([record] if record is not None else []) + external
        if len(found) > 1:
            listing = "\n".join(f"  - {_describe(s)}" for s in found)
            raise UsageError(
                f"{text!r} names {len(found)} different objects:\n{listing}\n"
                "Fix: ask by NORAD number (e.g. "
                f"{', '.join(str(s.norad_id) for s in found if s.norad_id)}) to choose one.")
        if found:
            return found[0]
        names = {**self.catalog.name_owners(), **{e.name: e.name for e in self.extra}}
        raise UnknownSatelliteError(text, names)

    def resolve_many(self, queries) -> list:
        out = []                        # Catalog.resolve_many's loop, over self.resolve
        for q in queries:
            sat = self.resolve(q)
            if sat not in out:
                out.append(sat)
        return out


def _name_parts(name: str) -> list[str]:
    """'BADR-7 (ARABSAT-6B)' -> ['BADR-7', 'ARABSAT-6B']: either part names the object."""
    import re
    return [p.strip() for p in re.split(r"[()]", name) if p.strip()]


def _describe(sat) -> str:
    if isinstance(sat, ExternalSatellite):
        return f"{sat.name} (NORAD {sat.norad_id}, {sat.cospar_id or 'no COSPAR id'}) from " \
               f"{sat.source}, {NOT_PAKISTANI}"
    r = sat.record
    return (f"{sat.name} (NORAD {sat.norad_id or 'unknown'}, {r.cospar_id or 'no COSPAR id'}), "
            f"Pakistani launch record {r.origin}")


def require(sat) -> list[ElementSet]:
    """The element sets of a catalog or external object (raises NoElementsError)."""
    if isinstance(sat, ExternalSatellite):
        return sat.elements
    if not sat.elements:
        raise NoElementsError(sat.why_no_elements())
    return sat.elements


class CatalogView:
    """A catalog whose lookups also reach external objects (see :class:`Resolver`)."""

    def __init__(self, catalog, resolver: Resolver):
        self._catalog = catalog
        self.resolver = resolver

    @property
    def base(self):
        """The catalog of orbitview's own records under this view."""
        return self._catalog

    def __getattr__(self, name):
        return getattr(self._catalog, name)

    def __iter__(self):
        return iter(self._catalog)

    def __len__(self) -> int:
        return len(self._catalog)

    def resolve(self, query):
        return self.resolver.resolve(query)

    def with_elements(self) -> list:
        """The records with element sets, then every object of the --elements files (--all)."""
        return self._catalog.with_elements() + list(self.resolver.extra)

    def resolve_many(self, queries):
        return self.resolver.resolve_many(queries)

    def names(self) -> list[str]:
        return self._catalog.names() + [e.name for e in self.resolver.extra]
