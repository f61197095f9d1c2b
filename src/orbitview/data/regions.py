"""Regions: Pakistan, its provinces and territories, and boxes, from the bundled basemap.

``basemap_data/`` holds a compact subset of Natural Earth (public domain) in cartopy's own
directory layout, built by ``scripts/build_basemap.py`` (see its ``PROVENANCE.json``): world
at 110m, South Asia at 10m, and polygons of Pakistan's provinces and territories.  The
figures draw it with :mod:`orbitview.products.basemap`; this module reads only the polygons.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from orbitview.util.errors import UsageError

BASEMAP_DIR = Path(__file__).resolve().parent / "basemap_data"
SOUTH_ASIA_10M = (50.0, 95.0, 5.0, 45.0)
"""W, E, S, N of the 10m layers; regions inside it are drawn at 10m."""

REGIONS = {
    "world": None,
    "pakistan": (59.0, 80.5, 22.0, 38.5),
}
PROVINCES = ("Punjab", "Sindh", "Khyber Pakhtunkhwa", "Balochistan", "Gilgit-Baltistan",
             "Azad Jammu and Kashmir", "Islamabad Capital Territory")
PROVINCE_ABBREVIATIONS = {"Punjab": "Punjab", "Sindh": "Sindh", "Khyber Pakhtunkhwa": "KP",
                          "Balochistan": "Balochistan", "Gilgit-Baltistan": "GB",
                          "Azad Jammu and Kashmir": "AJK",
                          "Islamabad Capital Territory": "ICT"}

LABEL_AT = {"Punjab": (72.6, 30.6), "Khyber Pakhtunkhwa": (72.1, 35.1),
            "Gilgit-Baltistan": (75.4, 36.2), "Azad Jammu and Kashmir": (74.0, 33.3)}
"""Label positions (lon, lat) chosen by hand where the automatic point sits on a city or
its label: GB's on Gilgit, AJK's between the Muzaffarabad and Islamabad labels."""

def parse_region(text: str | None):
    """'world', 'pakistan' or 'W,E,S,N' (degrees) -> None (global) or a WESN tuple."""
    text = (text or "world").strip().lower()
    if text in REGIONS:
        return REGIONS[text]
    try:
        w, e, s, n = (float(v) for v in text.split(","))
    except ValueError:
        raise UsageError(
            f"region {text!r} is not world, pakistan or W,E,S,N.\n"
            "Fix: give --region pakistan, or four numbers in degrees such as "
            "--region 60,80,23,38 (west, east, south, north).") from None
    if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
        raise UsageError(
            f"region {text!r} is not a box: need -180 <= W < E <= 180 and -90 <= S < N <= 90.\n"
            "Fix: give west, east, south, north in that order, e.g. 60,80,23,38.")
    return (w, e, s, n)


@functools.lru_cache(maxsize=1)
def province_polygons() -> dict:
    """{province or territory name: shapely (Multi)Polygon} in lon/lat degrees."""
    from shapely.geometry import shape
    data = json.loads((BASEMAP_DIR / "pakistan_admin1.geojson").read_text())
    return {f["properties"]["name"]: shape(f["geometry"]) for f in data["features"]}


@functools.lru_cache(maxsize=1)
def pakistan_polygon():
    """Pakistan (the areas it administers, as Natural Earth draws them), lon/lat."""
    from shapely.ops import unary_union
    return unary_union(list(province_polygons().values()))
