"""The catalogue a question is answered from: bundled records, the user's store, element
files given with the question, and the instrument records that go with them.

Nothing is fetched here: refreshing element sets from CelesTrak is a separate, explicit
step (``orbitview tle update``, or the CLI's ``--refresh``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orbitview.api.inputs import Sources
from orbitview.api.results import Note

if TYPE_CHECKING:
    from orbitview.data.catalog import Catalog
    from orbitview.data.external import CatalogView

MAX_PROBLEM_NOTES = 6


def load(sources: Sources) -> tuple[Catalog | CatalogView, list[Note]]:
    """(catalog, notes): the bundled records with the user's store, plus stored CelesTrak
    groups and the objects of ``sources.elements``; every data problem as a note (the
    objects it affects are refused when asked for; the rest work)."""
    from orbitview.data.catalog import load_catalog
    catalog = load_catalog()
    notes = catalog_notes(catalog)
    view, more = with_external(catalog, sources.elements)
    return view, notes + more


def catalog_notes(catalog) -> list[Note]:
    """One note per data problem (the first few), then a count and where to see them all."""
    problems = catalog.problems
    notes = [Note("data", f"data problem in the {p.scope or 'data'}: {p.where}: {p.what}"[:300])
             for p in problems[:MAX_PROBLEM_NOTES]]
    if problems:
        more = len(problems) - MAX_PROBLEM_NOTES
        notes.append(Note("data", (f"... and {more} more. " if more > 0 else "")
                          + "Only the objects and names these files hold are affected; "
                          "'orbitview data check' shows the evidence and the fix for each."))
    return notes


def with_external(catalog, files=()) -> tuple[Catalog | CatalogView, list[Note]]:
    """The catalog plus stored CelesTrak groups and the objects of element ``files``."""
    from orbitview.data.freshness import stored_groups
    externals, problems = stored_groups()
    notes = [Note("data", f"stored group {p.where}: {p.what}. Fix: {p.fix}")
             for p in problems[:3]]
    if not files and not externals:
        return catalog, notes
    from orbitview.data.external import CatalogView, Resolver, read_elements_file
    externals += [ext for f in files for ext in read_elements_file(f)]
    return CatalogView(catalog, Resolver(catalog, externals)), notes


def sensors(catalog, sources: Sources):
    """The bundled instrument records plus those of ``sources.sensors``."""
    from orbitview.data.sensors import load_sensors
    return load_sensors(catalog, list(sources.sensors))
