"""Imaging targets: a point (a built-in site or LAT,LON) or an area (province or GeoJSON).

An area is represented by sample points on a regular latitude/longitude grid
inside its polygon, each weighted by the ground area it stands for (cos
latitude), so "share of the area" is an area-weighted share of the points.
A point target is the one-point case of the same thing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orbitview.util.errors import DataError, Problem, UsageError

AREA_POINTS = 1500
"""About how many sample points represent an area (spacing >= 1 km)."""
MIN_SPACING_DEG = 0.01


@dataclass(eq=False)
class Target:
    """Ground points to image, with their area weights (they sum to 1)."""

    name: str
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    weight: np.ndarray
    kind: str                   # "point" or "area"
    polygon: object = None      # shapely geometry of an area, lon/lat degrees
    spacing_deg: float = 0.0
    height_m: float = 0.0
    source: str = ""

    @property
    def itrs_km(self) -> np.ndarray:
        from orbitview.data.sites import ground_itrs_km
        return ground_itrs_km(self.lat_deg, self.lon_deg,
                              np.full(self.lat_deg.shape, float(self.height_m)))

    @property
    def enu(self) -> np.ndarray:
        from orbitview.data.sites import enu_basis
        return enu_basis(self.lat_deg, self.lon_deg)

    @property
    def centre(self) -> tuple[float, float]:
        """(lat, lon) of the weighted mean direction of the points."""
        v = self.itrs_km
        m = (v * self.weight).sum(axis=1)
        lat = np.degrees(np.arctan2(m[2], np.hypot(m[0], m[1])))
        return float(lat), float(np.degrees(np.arctan2(m[1], m[0])))

    @property
    def radius_deg(self) -> float:
        """Largest Earth central angle from the centre to a point (plus half a cell)."""
        lat0, lon0 = self.centre
        c = _unit(lat0, lon0)
        pts = _unit(self.lat_deg, self.lon_deg)
        angle = np.degrees(np.arccos(np.clip(c @ pts, -1, 1))).max()
        return float(angle + self.spacing_deg)

    @property
    def area_km2(self) -> float | None:
        if self.polygon is None:
            return None
        from pyproj import Geod
        return abs(Geod(ellps="WGS84").geometry_area_perimeter(self.polygon)[0]) / 1e6

    def label(self) -> str:
        if self.kind == "point":
            return (f"{self.name} ({self.lat_deg[0]:.4f}\u00b0N, {self.lon_deg[0]:.4f}\u00b0E)")
        return (f"{self.name} ({self.area_km2:,.0f} km\u00b2, {len(self.lat_deg)} sample points "
                f"every {self.spacing_deg:.3g}\u00b0)")


def _unit(lat_deg, lon_deg):
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    return np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def point_target(name: str, lat_deg: float, lon_deg: float, height_m: float = 0.0,
                 source: str = "") -> Target:
    return Target(name, np.array([float(lat_deg)]), np.array([float(lon_deg)]), np.ones(1),
                  "point", height_m=height_m, source=source)


def area_target(name: str, polygon, n_points: int = AREA_POINTS, source: str = "") -> Target:
    """Sample points on a regular grid inside ``polygon`` (lon/lat degrees)."""
    import shapely
    w, s, e, n = polygon.bounds
    mean_cos = np.cos(np.radians((s + n) / 2))
    spacing = max(np.sqrt(polygon.area * mean_cos / n_points), MIN_SPACING_DEG)
    lat = np.arange(s + spacing / 2, n, spacing)
    lon_step = spacing / max(mean_cos, 0.05)      # near-square cells on the ground
    lon = np.arange(w + lon_step / 2, e, lon_step)
    glon, glat = np.meshgrid(lon, lat)
    inside = shapely.contains_xy(polygon, glon, glat)
    if inside.sum() < 1:
        p = polygon.representative_point()
        plat, plon = np.array([p.y]), np.array([p.x])
    else:
        plat, plon = glat[inside], glon[inside]
    weight = np.cos(np.radians(plat))
    return Target(name, plat, plon, weight / weight.sum(), "area", polygon,
                  float(spacing), source=source)


def parse_target(text: str, n_points: int = AREA_POINTS) -> Target:
    """A built-in site, LAT,LON[,HEIGHT_M], a province or 'Pakistan', or a GeoJSON file."""
    from orbitview.data.regions import pakistan_polygon, province_polygons
    from orbitview.data.sites import load_sites, parse_lat_lon, parse_site
    raw = text.strip()
    key = raw.lower()
    if key in load_sites():
        site = parse_site(raw)
        return point_target(site.name, site.lat_deg, site.lon_deg, site.height_m, site.source)
    provinces = {name.lower(): name for name in province_polygons()}
    aliases = {"kp": "Khyber Pakhtunkhwa", "kpk": "Khyber Pakhtunkhwa",
               "gb": "Gilgit-Baltistan", "ajk": "Azad Jammu and Kashmir",
               "ict": "Islamabad Capital Territory"}
    if key in provinces or key in aliases:
        name = provinces.get(key) or aliases[key]
        return area_target(name, province_polygons()[name], n_points,
                           "Natural Earth admin-1 polygon (bundled)")
    if key == "pakistan":
        return area_target("Pakistan", pakistan_polygon(), n_points,
                           "Natural Earth admin-1 polygons (bundled)")
    if key.endswith((".geojson", ".json")) or Path(raw).is_file():
        return read_geojson_target(Path(raw), n_points)
    point = parse_lat_lon(raw, "target")        # numbers out of range: said as such
    if point is not None:
        lat, lon, height = point
        return point_target(f"{lat:.4f},{lon:.4f}", lat, lon, height, "given on the command line")
    try:
        site = parse_site(raw)
    except UsageError:
        import difflib
        names = [s.name for s in load_sites().values()] + list(province_polygons()) \
            + ["Pakistan"]
        close = difflib.get_close_matches(raw, names, n=3, cutoff=0.5)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        raise UsageError(
            f"unknown target {raw!r}.{hint}\n"
            "Fix: give a built-in site (" + ", ".join(s.name for s in load_sites().values())
            + "), a province (" + ", ".join(province_polygons()) + "), Pakistan, "
            "LAT,LON in degrees such as 24.86,67.00, or a GeoJSON polygon file.") from None
    return point_target(site.name, site.lat_deg, site.lon_deg, site.height_m, site.source)


def read_geojson_target(path: Path, n_points: int = AREA_POINTS) -> Target:
    """An area from a GeoJSON Polygon/MultiPolygon (geometry, Feature or FeatureCollection).

    All polygons in the file are joined into one area.  Problems name the file
    (and the line, for JSON syntax errors).
    """
    import shapely
    from shapely.geometry import shape
    from shapely.ops import unary_union
    if not path.is_file():
        raise UsageError(f"target file {str(path)!r} not found.\n"
                         "Fix: give the path of a GeoJSON file with a Polygon or MultiPolygon.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise DataError([Problem(path, e.lineno, f"not valid JSON: {e.msg} (column {e.colno})",
                                 "", "save the flood extent as GeoJSON (RFC 7946)")]) from None
    except UnicodeDecodeError:
        raise DataError([Problem(path, None, "not a text file", "",
                                 "give a GeoJSON file (RFC 7946)")]) from None
    geometries = []

    def collect(obj, where):
        if not isinstance(obj, dict):
            raise DataError([Problem(path, None, f"{where} is not a GeoJSON object", "",
                                     "give a Polygon, MultiPolygon, Feature or "
                                     "FeatureCollection")])
        kind = obj.get("type")
        if kind == "FeatureCollection":
            for i, f in enumerate(obj.get("features") or []):
                collect(f, f"feature {i}")
        elif kind == "Feature":
            if obj.get("geometry") is not None:
                collect(obj["geometry"], where)
        elif kind == "GeometryCollection":
            for i, g in enumerate(obj.get("geometries") or []):
                collect(g, f"{where} geometry {i}")
        elif kind in ("Polygon", "MultiPolygon"):
            try:
                geom = shape(obj)
            except Exception as e:   # shapely raises several types for bad coordinates
                raise DataError([Problem(path, None, f"{where}: {kind} coordinates are not "
                                         f"readable ({e})", "",
                                         "write rings of [longitude, latitude] pairs")]) from None
            geometries.append((geom, where))
        # Points and lines have no area: ignored, but an area must remain (checked below).

    collect(data, "the file")
    if not geometries:
        raise DataError([Problem(path, None, "no Polygon or MultiPolygon in the file", "",
                                 "an imaging target file needs an area (a Polygon); for a point "
                                 "give --target LAT,LON")])
    for geom, where in geometries:
        w, s, e, n = geom.bounds
        if not (-180 <= w <= e <= 180 and -90 <= s <= n <= 90):
            raise DataError([Problem(path, None, f"{where}: coordinates outside longitude "
                                     f"+-180 and latitude +-90 (bounds {w:g}, {s:g}, {e:g}, "
                                     f"{n:g})", "", "GeoJSON is [longitude, latitude] in "
                                     "degrees (WGS84); check the order and the CRS")])
    area = unary_union([shapely.make_valid(g) for g, _ in geometries])
    if area.is_empty or area.area == 0:
        raise DataError([Problem(path, None, "the polygons enclose no area", "",
                                 "check that each ring has at least three distinct corners")])
    names = [f.get("properties", {}).get("name") for f in data.get("features", [])
             if isinstance(f, dict) and isinstance(f.get("properties"), dict)] \
        if isinstance(data, dict) else []
    name = next((n for n in names if n), None) or path.stem
    return area_target(str(name), area, n_points, f"GeoJSON {path}")
