"""What every question resolves first: the sources, the catalogue and the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from orbitview.api import inputs
from orbitview.api.catalog import load
from orbitview.api.catalog import sensors as load_sensors
from orbitview.api.results import Note

if TYPE_CHECKING:
    from orbitview.data.catalog import Catalog
    from orbitview.data.external import CatalogView
    from orbitview.data.localtime import Clock


@dataclass
class Question:
    """What every question resolves first: the sources, the catalog and the clock."""

    sources: inputs.Sources
    catalog: Catalog | CatalogView
    notes: list[Note] = field(default_factory=list)
    shown_in: Clock | None = None
    """A :class:`~orbitview.data.localtime.Clock` given for ``tz`` (the CLI's, which knows
    why its zone was chosen), else None."""
    left_out: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, elements=None, sensors=None, hold=True, tz=None, catalog=None) -> Question:
        from orbitview.data.localtime import Clock
        shown_in = tz if isinstance(tz, Clock) else None
        if shown_in is not None:
            tz = None if shown_in.why == "default" else shown_in.name
        sources = inputs.Sources.of(elements, sensors, hold, tz)
        if catalog is not None:
            return cls(sources, catalog, shown_in=shown_in)
        cat, notes = load(sources)
        return cls(sources, cat, notes, shown_in)

    @property
    def hold(self) -> bool:
        return self.sources.hold

    def satellites(self, value, need_elements: bool = True) -> list:
        sats, notes, left_out = inputs.satellites(value, self.catalog, need_elements)
        self.notes += [Note("note", n) for n in notes]
        self.left_out += left_out
        return sats

    def sensors(self):
        return load_sensors(self.catalog, self.sources)

    def clock(self, site=None):
        if self.shown_in is not None and self.shown_in.why != "default":
            return self.shown_in
        return inputs.clock(self.sources.tz, site)

    def when(self, value, site=None, now=None, option="time"):
        return inputs.when(value, self.sources.tz, site, now, option)
