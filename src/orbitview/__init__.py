"""orbitview: Pakistan's satellites, from launch records to ground tracks and coverage.

The importable API (no matplotlib or cartopy is imported until you plot)::

    import orbitview as ov
    catalog = ov.load_catalog()
    prss1 = catalog.resolve("PRSS-1")

See the README's "Python API" section for propagation and maps.
"""

__version__ = "0.1.0"

from orbitview.data.catalog import Catalog, LaunchRecord, Satellite, load_catalog  # noqa: E402
from orbitview.data.elements import ElementSet, ElementStore, parse_tle_text  # noqa: E402
from orbitview.util.errors import (DataError, NoElementsError, OrbitviewError,  # noqa: E402
                     UnknownSatelliteError, UsageError)

__all__ = [
    "Catalog", "LaunchRecord", "Satellite", "load_catalog", "ElementSet", "ElementStore",
    "parse_tle_text", "DataError", "NoElementsError", "OrbitviewError",
    "UnknownSatelliteError", "UsageError",
]
