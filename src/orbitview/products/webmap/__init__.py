"""One self-contained HTML page: an interactive map that works with the network off.

Everything the page needs is inlined: Leaflet (vendored from the npm registry
by ``scripts/vendor_leaflet.py``, see ``vendor/leaflet/VENDOR.json``), the
bundled Natural Earth basemap as vector layers, and the numbers orbitview
computed: Earth-fixed positions of every satellite at a fixed step,
antimeridian-split ground tracks, footprint edges, passes over sites, the
subsolar point, and optionally a coverage grid.  JavaScript only
interpolates between those samples (cubic Lagrange in the Earth-fixed frame,
then WGS84 geodetic coordinates) and draws; it computes no orbit.
"""

from orbitview.products.webmap.page import MAP_STEP_MAX_S, build_page, map_payload

__all__ = ["MAP_STEP_MAX_S", "build_page", "map_payload"]
