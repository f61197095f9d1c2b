"""The bundled Natural Earth basemap (public domain), drawn offline, never downloaded.

:func:`use_bundled_data` points cartopy's ``pre_existing_data_dir`` at
:data:`orbitview.data.regions.BASEMAP_DIR`, so the layers drawn here are read from disk.

Projecting the layers onto a map is most of the time a map takes to draw (0.26 s of
a world map's 1.1 s, cartopy cutting every outline at the map's seam).  The outlines a
map shows, projected, are kept in ``<user dir>/cache/basemap`` (:func:`projected`): the
next map with the same projection and view reads them back (well-known binary) instead
of projecting again.  The key holds everything the result depends on (projection, view,
source file's size and time, cartopy and shapely versions), so a cached layer is the one
cartopy would draw (tested pixel for pixel); a cache that cannot be read or written is
passed over, never an error.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

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

CACHE_VERSION = 1
CACHE_MAX_FILES = 64
"""Projected layers kept (the oldest go first): a few views of a few layers each."""


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

    def layer(category: str, name: str, **style) -> None:
        feature = cfeature.NaturalEarthFeature(category, name, scale)
        source = (BASEMAP_DIR / "shapefiles" / "natural_earth" / category /
                  f"ne_{scale}_{name}.shp")
        ax.add_geometries(projected(ax, feature.crs, source, feature.intersecting_geometries),
                          crs=ax.projection, **style)
    if scale == "10m":
        layer("physical", "land", facecolor=LAND, edgecolor="none", zorder=0.5)
        layer("physical", "lakes", facecolor=LAKE, edgecolor=COAST, linewidth=0.3, zorder=0.6)
    else:
        layer("cultural", "admin_0_countries", facecolor=LAND, edgecolor="none", zorder=0.5)
    layer("physical", "coastline", facecolor="none", edgecolor=COAST, linewidth=0.5,
          zorder=0.8)
    layer("cultural", "admin_0_boundary_lines_land", facecolor="none", edgecolor=BORDER,
          linewidth=0.6 if scale == "10m" else 0.4, zorder=0.9)
    if provinces is None:
        provinces = scale == "10m"
    if provinces:
        outlines = projected(ax, ccrs.PlateCarree(), BASEMAP_DIR / "pakistan_admin1.geojson",
                             lambda view: province_polygons().values(), whole=True)
        ax.add_geometries(outlines, crs=ax.projection, facecolor="none",
                          edgecolor=PROVINCE_EDGE, linewidth=0.6, linestyle=(0, (4, 2)),
                          zorder=0.95)
    return scale


def basemap_cache_dir() -> Path:
    """Where projected basemap layers are kept (under ``ORBITVIEW_USER_DIR``)."""
    from orbitview.data.datadir import user_dir
    return user_dir() / "cache" / "basemap"


def projected(ax, source_crs, source: Path, geometries, whole: bool = False) -> list:
    """The outlines ``geometries(view)`` gives for the map's view (W, E, S, N in
    ``source_crs``), projected onto ``ax``'s projection as cartopy would draw them;
    read from the cache when this projection and view were drawn before.

    ``whole``: the layer is drawn whole whatever the view (cartopy draws every
    geometry given to ``add_geometries``), so the view is not part of the key.

    The outlines are those of the view when this is called (cartopy chose them when
    drawing): set the map's extent first, as :func:`orbitview.products.maps.base_map`
    does.  Where the view cannot be worked out, the whole layer is used, as cartopy does.
    """
    try:
        view = ax.get_extent(source_crs)
    except ValueError:
        view = None
    path = _cache_path(ax.projection, None if whole else view, source)
    cached = _read_cached(path) if path is not None else None
    if cached is not None:
        return cached
    made = [ax.projection.project_geometry(g, source_crs) for g in geometries(view)]
    if path is not None:
        _write_cached(path, made)
    return made


def _cache_path(projection, view, source: Path) -> Path | None:
    import cartopy
    import pyproj
    import shapely

    from orbitview import __version__
    try:
        st = source.stat()
    except OSError:
        return None
    key = json.dumps([CACHE_VERSION, __version__, type(projection).__name__,
                      projection.proj4_init, float(getattr(projection, "threshold", 0.0)),
                      None if view is None else [round(float(v), 9) for v in view],
                      str(source.resolve()), st.st_size, st.st_mtime_ns, cartopy.__version__,
                      shapely.__version__, shapely.geos_version_string, pyproj.__version__,
                      pyproj.proj_version_str])
    return basemap_cache_dir() / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.npz"


def _read_cached(path: Path) -> list | None:
    import numpy as np
    import shapely
    try:
        with np.load(path, allow_pickle=False) as f:
            blob, ends = f["wkb"].tobytes(), f["ends"]
        starts = np.concatenate([[0], ends[:-1]])
        return list(shapely.from_wkb([blob[a:b] for a, b in zip(starts, ends)]))
    except Exception:        # noqa: BLE001 - missing, cut short or not ours: project again
        return None


def _write_cached(path: Path, geometries: list) -> None:
    import numpy as np
    import shapely

    from orbitview.util.atomic import atomic_write_stream
    parts = [bytes(b) for b in shapely.to_wkb(geometries)] if geometries else []
    ends = np.cumsum([len(b) for b in parts], dtype=np.int64)
    blob = np.frombuffer(b"".join(parts), dtype=np.uint8)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_stream(path, lambda f: np.savez(f, wkb=blob, ends=ends))
        kept = sorted(path.parent.glob("*.npz"), key=lambda p: p.stat().st_mtime_ns)
        for old in kept[:-CACHE_MAX_FILES]:
            old.unlink(missing_ok=True)
    except Exception:        # noqa: BLE001 - a cache that cannot be written is passed over
        pass


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
