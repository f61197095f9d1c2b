"""orbitview: Pakistan's satellites, from launch records to ground tracks and coverage.

The front door, one call per question (nothing heavy is imported until used)::

    import orbitview as ov
    table = ov.passes("PRSS-1", "Lahore", "2026-09-07T00:00+05:00", days=3)
    table.to_dataframe()                     # pandas, with the 'analysis' extra
    ov.track_map(["PRSS-1", "PakSat-MM1"], "2026-09-07T06:00Z").savefig("tracks.png")

Every answer carries what it rests on (element epochs and ages, 90 % error bounds, held
slots, the access rule) and its warnings as data (``result.notes``).  Times are aware
datetimes in any zone, ISO strings with an offset, the CLI's words (``"now"``,
``"tonight"``, ``"+2h"``) or skyfield ``Time``; a naive datetime is refused.
"""

from __future__ import annotations

import importlib

from orbitview.util.version import __version__

_HOMES = {
    # the questions
    "positions": "orbitview.api.observe",
    "passes": "orbitview.api.observe",
    "look": "orbitview.api.observe",
    "now": "orbitview.api.observe",
    "sky_plot": "orbitview.api.observe",
    "footprints": "orbitview.api.observe",
    "footprint_map": "orbitview.api.observe",
    "position_chunks": "orbitview.api.observe",
    "track_map": "orbitview.api.figures",
    "launches": "orbitview.api.records",
    "error_bound": "orbitview.api.records",
    "history_figure": "orbitview.api.records",
    "element_status": "orbitview.api.records",
    "element_history": "orbitview.api.records",
    "element_history_figure": "orbitview.api.records",
    "update_elements": "orbitview.api.records",
    "info": "orbitview.api.records",
    "check_data": "orbitview.api.records",
    "geo_belt": "orbitview.api.beyond",
    "slot_history": "orbitview.api.beyond",
    "partners": "orbitview.api.beyond",
    "walker": "orbitview.api.beyond",
    "sun_synchronous": "orbitview.api.beyond",
    "design_sweep": "orbitview.api.beyond",
    "opportunities": "orbitview.api.imaging",
    "coverage": "orbitview.api.coverage",
    "tracks": "orbitview.api.exports",
    "swaths": "orbitview.api.exports",
    "web_map": "orbitview.api.products",
    "animation": "orbitview.api.products",
    # files for other tools
    "export": "orbitview.api.exports",
    "write": "orbitview.api.exports",
    # what they return
    "Result": "orbitview.api.results",
    "Note": "orbitview.api.results",
    "ElementInfo": "orbitview.api.results",
    "Positions": "orbitview.api.observe",
    "PassTable": "orbitview.api.observe",
    "LookAngles": "orbitview.api.observe",
    "NowTable": "orbitview.api.observe",
    "Footprints": "orbitview.api.observe",
    "PositionChunks": "orbitview.api.observe",
    "Figure": "orbitview.api.figures",
    "Launches": "orbitview.api.records",
    "ElementStatus": "orbitview.api.records",
    "ElementHistory": "orbitview.api.records",
    "ElementUpdates": "orbitview.api.records",
    "Info": "orbitview.api.records",
    "DataCheck": "orbitview.api.records",
    "GeoBelt": "orbitview.api.beyond",
    "Partners": "orbitview.api.beyond",
    "Design": "orbitview.api.beyond",
    "DesignSweep": "orbitview.api.beyond",
    "Opportunities": "orbitview.api.imaging",
    "CoverageGrid": "orbitview.api.coverage",
    "RevisitGrid": "orbitview.api.coverage",
    "Tracks": "orbitview.api.exports",
    "Swaths": "orbitview.api.exports",
    "Written": "orbitview.api.exports",
    "WebMap": "orbitview.api.products",
    "AnimationFile": "orbitview.api.products",
    # what they take
    "ALL": "orbitview.api.inputs",
    "when": "orbitview.api.inputs",
    "Site": "orbitview.data.sites",
    # the records and element sets
    "Catalog": "orbitview.data.catalog",
    "LaunchRecord": "orbitview.data.catalog",
    "Satellite": "orbitview.data.catalog",
    "load_catalog": "orbitview.data.catalog",
    "ElementSet": "orbitview.data.elements",
    "ElementStore": "orbitview.data.elements",
    "parse_tle_text": "orbitview.data.elements",
    # errors
    "OrbitviewError": "orbitview.util.errors",
    "DataError": "orbitview.util.errors",
    "NoElementsError": "orbitview.util.errors",
    "UnknownSatelliteError": "orbitview.util.errors",
    "UsageError": "orbitview.util.errors",
    "PropagationError": "orbitview.util.errors",
}

__all__ = sorted(_HOMES) + ["__version__"]


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'orbitview' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
