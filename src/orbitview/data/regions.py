"""The bundled Natural Earth basemap (public domain): drawn offline, never downloaded.

``basemap_data/`` holds a compact subset in cartopy's own directory layout,
built by ``scripts/build_basemap.py`` (see its ``PROVENANCE.json``): world at
110m, South Asia at 10m, and polygons of Pakistan's provinces and
territories.  :func:`use_bundled_data` points cartopy's
``pre_existing_data_dir`` at it, so the layers drawn here are read from disk.
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

LAND = "#efeadf"
OCEAN = "#d7e6f0"
LAKE = "#d7e6f0"
COAST = "#6b7b88"
BORDER = "#555555"
PROVINCE_EDGE = "#8a6d3b"


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


def use_bundled_data() -> None:
    """Make cartopy read Natural Earth layers from the bundle first."""
    import cartopy
    cartopy.config["pre_existing_data_dir"] = str(BASEMAP_DIR)


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


def scale_for(extent) -> str:
    if extent is None:
        return "110m"
    w, e, s, n = extent
    W, E, S, N = SOUTH_ASIA_10M
    return "10m" if (w >= W and e <= E and s >= S and n <= N) else "110m"


def add_basemap(ax, extent=None, provinces: bool | None = None) -> str:
    """Draw ocean, land, lakes, coastline and borders on a cartopy GeoAxes.

    Returns the Natural Earth scale used.  Pakistan's provinces are drawn when
    ``provinces`` is true (default: when the 10m South Asia layers are used).
    """
    import cartopy.crs as ccrs
    import cartopy.feature as cfeature
    use_bundled_data()
    scale = scale_for(extent)
    ax.set_facecolor(OCEAN)
    if scale == "10m":
        land = cfeature.NaturalEarthFeature("physical", "land", "10m")
        ax.add_feature(land, facecolor=LAND, edgecolor="none", zorder=0.5)
        ax.add_feature(cfeature.NaturalEarthFeature("physical", "lakes", "10m"),
                       facecolor=LAKE, edgecolor=COAST, linewidth=0.3, zorder=0.6)
    else:
        countries = cfeature.NaturalEarthFeature("cultural", "admin_0_countries", "110m")
        ax.add_feature(countries, facecolor=LAND, edgecolor="none", zorder=0.5)
    ax.add_feature(cfeature.NaturalEarthFeature("physical", "coastline", scale),
                   facecolor="none", edgecolor=COAST, linewidth=0.5, zorder=0.8)
    ax.add_feature(cfeature.NaturalEarthFeature("cultural", "admin_0_boundary_lines_land",
                                                scale),
                   facecolor="none", edgecolor=BORDER, linewidth=0.6 if scale == "10m" else 0.4,
                   zorder=0.9)
    if provinces is None:
        provinces = scale == "10m"
    if provinces:
        ax.add_geometries(list(province_polygons().values()), crs=ccrs.PlateCarree(),
                          facecolor="none", edgecolor=PROVINCE_EDGE, linewidth=0.6,
                          linestyle=(0, (4, 2)), zorder=0.95)
    return scale


def label_provinces(ax, fontsize: float = 8.0) -> None:
    """Write each province's name at a point inside it."""
    import cartopy.crs as ccrs
    import matplotlib.patheffects as pe
    for name, poly in province_polygons().items():
        if name == "Islamabad Capital Territory":
            continue  # too small to label over the map; named in the caption instead
        if name in LABEL_AT:
            lon, lat = LABEL_AT[name]
        else:
            p = poly.representative_point()
            lon, lat = p.x, p.y
        ax.text(lon, lat, PROVINCE_ABBREVIATIONS[name], transform=ccrs.PlateCarree(),
                fontsize=fontsize, color="#6d5a2f", ha="center", va="center", style="italic",
                zorder=2.5, path_effects=[pe.withStroke(linewidth=2, foreground="white")])
