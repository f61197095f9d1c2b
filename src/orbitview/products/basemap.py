"""The bundled Natural Earth basemap (public domain), drawn offline, never downloaded.

:func:`use_bundled_data` points cartopy's ``pre_existing_data_dir`` at
:data:`orbitview.data.regions.BASEMAP_DIR`, so the layers drawn here are read from disk.
"""

from __future__ import annotations

from orbitview.data.regions import (
    BASEMAP_DIR,
    LABEL_AT,
    PROVINCE_ABBREVIATIONS,
    SOUTH_ASIA_10M,
    province_polygons,
)

LAND = "#efeadf"
OCEAN = "#d7e6f0"
LAKE = "#d7e6f0"
COAST = "#6b7b88"
BORDER = "#555555"
PROVINCE_EDGE = "#8a6d3b"



def use_bundled_data() -> None:
    """Make cartopy read Natural Earth layers from the bundle first."""
    import cartopy
    cartopy.config["pre_existing_data_dir"] = str(BASEMAP_DIR)


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


def label_provinces(ax, fontsize: float = 8.0, extent=None) -> None:
    """Write each province's name at a point inside it, and inside the map.

    With ``extent`` (W, E, S, N) a province the map shows only in part is named at a
    point of the part shown (its hand-chosen point when that is inside); one the map does
    not show is not named.  Whether the name fits inside the map frame is decided once
    the figure is laid out (:func:`orbitview.products.layout.place_map_labels`).
    """
    import cartopy.crs as ccrs
    import matplotlib.patheffects as pe
    from shapely.geometry import Point, box
    shown = box(*(extent[0], extent[2], extent[1], extent[3])) if extent is not None else None
    for name, poly in province_polygons().items():
        if name == "Islamabad Capital Territory":
            continue  # too small to label over the map; named in the caption instead
        part = poly if shown is None else poly.intersection(shown)
        if part.is_empty or part.area < 0.05:                      # square degrees
            continue
        if name in LABEL_AT and part.contains(Point(*LABEL_AT[name])):
            lon, lat = LABEL_AT[name]
        else:
            if part.geom_type == "MultiPolygon":
                part = max(part.geoms, key=lambda g: g.area)
            p = part.representative_point()
            lon, lat = p.x, p.y
        ax.text(lon, lat, PROVINCE_ABBREVIATIONS[name], transform=ccrs.PlateCarree(),
                fontsize=fontsize, color="#6d5a2f", ha="center", va="center", style="italic",
                zorder=2.5, gid="province-label",
                path_effects=[pe.withStroke(linewidth=2, foreground="white")])
