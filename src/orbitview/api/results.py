"""Answers that carry what they rest on, and travel to pandas, xarray and geopandas.

Every front-door call returns a :class:`Result`: its rows (the columns the CLI's CSV and
JSON give, times as aware UTC datetimes), the element sets behind it
(:class:`ElementInfo`: epoch, age, 90 % bound, held slot), and its warnings as data
(:class:`Note`), which the CLI prints and a notebook shows.  pandas, xarray and
geopandas are imported only by the converters, from the ``analysis`` extra.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orbitview.orbit.accuracy import ErrorBound, Staleness

ANALYSIS_EXTRA = 'pip install "orbitview[analysis]"'


def require(module: str, what: str):
    """Import ``module`` for ``what`` or say which extra brings it."""
    import importlib
    try:
        return importlib.import_module(module)
    except ImportError:
        from orbitview.util.errors import UsageError
        raise UsageError(f"{what} needs {module.split('.')[0]}, which is not installed.\n"
                         f"Fix: {ANALYSIS_EXTRA} (pandas, xarray, geopandas, netCDF4, "
                         "pyogrio).") from None


@dataclass(frozen=True)
class Note:
    """A warning or remark an answer carries (the CLI prints it once, on stderr).

    ``kind``: ``stale`` (old elements), ``sgp4`` (SGP4 failed), ``launch`` (before a
    launch), ``excluded`` (a satellite left out, and why), ``data`` (a data problem),
    ``geo`` (a geostationary satellite always or never in view), ``empty`` (nothing
    found), ``note`` (anything else the reader should hear), ``assumed`` (the instrument
    values an imaging rule assumes, not published).
    """

    kind: str
    text: str
    norad_id: int | None = None
    detail: Staleness | None = None
    """For ``stale`` notes: the :class:`~orbitview.orbit.accuracy.Staleness` (age, bound,
    hold) the text says, so that many can be said in one line."""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class ElementInfo:
    """What one satellite's part of an answer rests on."""

    norad_id: int | None
    name: str
    epoch_utc: dt.datetime | None
    """Epoch of the element set used (the newest used in the window)."""
    source: str
    age_days: float | None
    """Largest |time - epoch| over the answer, days."""
    bound: ErrorBound | None = None
    """:class:`~orbitview.orbit.accuracy.ErrorBound` at that age, or None."""
    held_slot_lon_deg: float | None = None
    """Longitude of the slot a station-kept GEO satellite is held at, or None."""
    hypothetical: bool = False

    @property
    def position_bound_km(self) -> float | None:
        return None if self.bound is None else round(self.bound.position_km, 1)

    @property
    def timing_bound_s(self) -> float | None:
        b = self.bound
        return None if b is None or b.timing_s is None else round(b.timing_s, 1)

    @property
    def phase_lost(self) -> bool:
        return bool(self.bound is not None and self.bound.phase_lost)

    def as_dict(self) -> dict:
        return {"norad_id": self.norad_id, "name": self.name, "epoch_utc": self.epoch_utc,
                "source": self.source, "epoch_age_days": None if self.age_days is None
                else round(self.age_days, 2), "position_bound_km": self.position_bound_km,
                "timing_bound_s": self.timing_bound_s, "phase_lost": self.phase_lost,
                "held_slot_lon_deg": self.held_slot_lon_deg,
                "hypothetical": self.hypothetical}


def element_info(sat, start: dt.datetime, end: dt.datetime, hold: bool = True) -> ElementInfo:
    """The :class:`ElementInfo` of ``sat`` over ``start``..``end``: the set nearest the
    window's far end from its epoch, the largest age, the bound there, the held slot."""
    from orbitview.data.elements import is_hypothetical
    from orbitview.orbit.accuracy import error_bound
    from orbitview.orbit.geohold import hold_for
    history = list(getattr(sat, "elements", []) or [])
    if not history:
        return ElementInfo(getattr(sat, "norad_id", None), sat.name, None, "", None)
    best = None
    for t in (start, end):
        es = min(history, key=lambda e: abs((e.epoch - t).total_seconds()))
        age = abs((t - es.epoch).total_seconds()) / 86400.0
        if best is None or age > best[1]:
            best = (es, age)
    assert best is not None             # history is not empty: the loop ran
    es, age = best
    record = getattr(sat, "record", None)
    held = hold_for(history, es, age, hold, record)
    hypothetical = is_hypothetical(es)
    bound = None if hypothetical else error_bound(history, age, held=held is not None,
                                                  element_set=es, record=record)
    return ElementInfo(sat.norad_id, sat.name, es.epoch, es.source, age, bound,
                       None if held is None else round(held.slot_lon_deg, 2), hypothetical)


@dataclass(eq=False, repr=False)
class Result:
    """An answer: rows, what they rest on, and what to say about them."""

    rows: list[dict]
    columns: list[str]
    elements: list[ElementInfo] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    """What was asked (site, window, rule, ...), as plain values."""
    left_out: list[str] = field(default_factory=list)
    """Objects left out because of a data problem (the CLI then exits 1)."""

    kind = "rows"
    """What a row is, in words ('passes', 'positions', ...)."""

    # ----------------------------------------------------------------------- sequence

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    def __getitem__(self, index):
        return self.rows[index]

    @property
    def warnings(self) -> list[str]:
        """The texts of the notes, in order."""
        return [n.text for n in self.notes]

    def records(self) -> list[dict]:
        """The rows with the documented columns only (what CSV and JSON give)."""
        return [{c: r.get(c) for c in self.columns} for r in self.rows]

    # ----------------------------------------------------------------------- converters

    def to_dataframe(self):
        """A pandas DataFrame of :meth:`records` (times tz-aware UTC); ``df.attrs`` holds
        :attr:`meta`, the element sets behind it and the notes."""
        pd = require("pandas", "to_dataframe()")
        frame = pd.DataFrame.from_records(self.records(), columns=self.columns)
        for c in self.columns:
            if frame[c].map(lambda v: isinstance(v, dt.datetime)).any():
                frame[c] = pd.to_datetime(frame[c], utc=True)
        frame.attrs.update(self.provenance())
        return frame

    def provenance(self) -> dict:
        """What the answer rests on, as plain values (for attrs and metadata)."""
        return {**{k: _plain(v) for k, v in self.meta.items()},
                "elements": [{k: _plain(v) for k, v in e.as_dict().items()}
                             for e in self.elements],
                "notes": [n.text for n in self.notes]}

    def to_geodataframe(self):
        """A geopandas GeoDataFrame (EPSG:4326) of the rows and their geometry."""
        gpd = require("geopandas", "to_geodataframe()")
        geometry = self.geometries()
        if geometry is None:
            raise TypeError(f"{type(self).__name__} has no geometry; use to_dataframe().")
        frame = self.to_dataframe()
        out = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
        out.attrs.update(frame.attrs)
        return out

    def geometries(self):
        """One shapely geometry per row (None: this kind of result has none)."""
        return None

    def to_xarray(self):
        raise TypeError(f"{type(self).__name__} is a table, not a grid or a time series; "
                        "use to_dataframe().")

    # ----------------------------------------------------------------------- display

    def summary(self) -> str:
        """One line: how many rows, of what, over what."""
        what = self.meta.get("title") or self.kind
        return f"{len(self.rows)} {self.kind}" + (f": {what}" if what != self.kind else "")

    def oldest(self) -> ElementInfo | None:
        ages = [(e.age_days, e) for e in self.elements if e.age_days is not None]
        return max(ages, key=lambda a: a[0])[1] if ages else None

    def __repr__(self) -> str:
        line = f"<{type(self).__name__}: {self.summary()}"
        old = self.oldest()
        if old is not None and old.bound is not None:
            line += f"; oldest elements {old.age_days:.0f} d ({old.name}, {old.bound.km_text()})"
        return line + (f"; {len(self.notes)} notes" if self.notes else "") + ">"

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(r.get(c)))}</td>"
                                        for c in self.columns) + "</tr>"
                       for r in self.rows[:20])
        more = (f"<p>... and {len(self.rows) - 20} more rows</p>"
                if len(self.rows) > 20 else "")
        notes = "".join(f"<li>{html.escape(n.text)}</li>" for n in self.notes)
        return (f"<p><b>{html.escape(type(self).__name__)}</b>: "
                f"{html.escape(self.summary())}</p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}"
                + (f"<ul>{notes}</ul>" if notes else ""))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%SZ")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _plain(value):
    """A value fit for attrs and JSON metadata: datetimes as ISO strings."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
