"""The bundled Natural Earth basemap as GeoJSON for the HTML map (no tile server).

World layers at 110m, with the South Asia box replaced by the 10m layers
(the same split the PNG maps make by region), plus Pakistan's provinces and
territories.  Read from ``basemap_data`` (built by ``scripts/build_basemap.py``),
simplified to a few hundred metres and rounded, so a page stays small.
"""

from __future__ import annotations

import functools

from orbitview.data.regions import BASEMAP_DIR, SOUTH_ASIA_10M, province_polygons

SIMPLIFY_10M_DEG = 0.004
"""About 400 m: below a pixel until zoom 8 over Pakistan."""
DIGITS = 3


def _read(scale: str, category: str, name: str):
    import shapefile  # pyshp, a cartopy dependency
    from shapely.geometry import shape
    path = BASEMAP_DIR / "shapefiles" / "natural_earth" / category / f"ne_{scale}_{name}.shp"
    with shapefile.Reader(str(path)) as reader:
        return [shape(s.__geo_interface__) for s in reader.iterShapes()
                if s.shapeType != shapefile.NULL]


def _collection(geoms, properties=None) -> dict:
    import shapely
    from shapely.geometry import mapping
    feats = []
    for k, g in enumerate(geoms):
        if g.is_empty:
            continue
        g = shapely.set_precision(g, 10.0 ** -DIGITS)
        if g.is_empty:
            continue
        feats.append({"type": "Feature", "properties": (properties or [{}] * len(geoms))[k],
                      "geometry": _rounded(mapping(g))})
    return {"type": "FeatureCollection", "features": feats}


def _rounded(geometry: dict) -> dict:
    def walk(c):
        if isinstance(c, (list, tuple)) and c and isinstance(c[0], (int, float)):
            return [round(float(v), DIGITS) for v in c]
        return [walk(x) for x in c]
    if geometry["type"] == "GeometryCollection":
        return {"type": "GeometryCollection",
                "geometries": [_rounded(g) for g in geometry["geometries"]]}
    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


@functools.lru_cache(maxsize=1)
def basemap_geojson() -> dict:
    """{'land', 'lakes', 'coastline', 'borders', 'provinces'}: GeoJSON FeatureCollections."""
    from shapely.geometry import box
    w, e, s, n = SOUTH_ASIA_10M
    inner = box(w, s, e, n)

    def world(geoms):
        return [g.difference(inner) for g in geoms]

    def detail(geoms):
        return [g.intersection(inner).simplify(SIMPLIFY_10M_DEG) for g in geoms]

    provinces = province_polygons()
    return {
        "land": _collection(world(_read("110m", "cultural", "admin_0_countries"))
                            + detail(_read("10m", "physical", "land"))),
        "lakes": _collection(detail(_read("10m", "physical", "lakes"))),
        "coastline": _collection(world(_read("110m", "physical", "coastline"))
                                 + detail(_read("10m", "physical", "coastline"))),
        "borders": _collection(world(_read("110m", "cultural", "admin_0_boundary_lines_land"))
                               + detail(_read("10m", "cultural",
                                              "admin_0_boundary_lines_land"))),
        "provinces": _collection([g.simplify(SIMPLIFY_10M_DEG) for g in provinces.values()],
                                 [{"name": name} for name in provinces]),
    }


def label_points() -> list[dict]:
    """Where each province's name is written (the PNG maps' positions)."""
    from orbitview.data.regions import LABEL_AT, PROVINCE_ABBREVIATIONS
    out = []
    for name, poly in province_polygons().items():
        if name == "Islamabad Capital Territory":
            continue  # too small to label; the Islamabad site marker sits on it
        if name in LABEL_AT:
            lon, lat = LABEL_AT[name]
        else:
            p = poly.representative_point()
            lon, lat = p.x, p.y
        out.append({"name": name, "label": PROVINCE_ABBREVIATIONS[name],
                    "lat": round(float(lat), 3), "lon": round(float(lon), 3)})
    return out

