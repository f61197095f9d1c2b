"""Imaging targets: a point (a built-in site or LAT,LON) or an area (province or GeoJSON).

An area is represented by sample points on a regular latitude/longitude grid
inside its polygon, each weighted by the ground area it stands for (cos
latitude), so "share of the area" is an area-weighted share of the points.
A point target is the one-point case of the same thing.

A GeoJSON polygon's edges run the short way round, as map tools draw them: an edge
whose ends are more than 180 deg of longitude apart crosses the antimeridian, and
the polygon is cut there into pieces within +-180 deg before it is sampled (a box
from 179 E to 179 W is 2 deg wide, not 358).  Areas are computed on the WGS84
ellipsoid (pyproj's geodesic area), never in degrees.  A target that is not one
place to image (larger than :data:`MAX_TARGET_AREA_KM2`, or reaching more than
:data:`MAX_TARGET_RADIUS_DEG` from its centre: a near-global polygon) is refused with
its figures before any work.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orbitview.util.errors import DataError, Problem, UsageError

AREA_POINTS = 1500
"""About how many sample points represent an area (spacing >= 1 km)."""
MIN_SPACING_DEG = 0.01
MAX_TARGET_AREA_KM2 = 20e6
"""Largest area target (Russia, the largest country, is 17.1 million km2)."""
MAX_TARGET_RADIUS_DEG = 40.0
"""Largest Earth central angle (4,450 km) from an area target's centre to its farthest
point: beyond it a polygon is not one place to image but most of a hemisphere."""
MAX_GEOJSON_BYTES = 64 << 20
"""Largest GeoJSON target file read (a detailed country outline is a few MiB)."""
GEOJSON_FIX = "give a GeoJSON file (RFC 7946) with a Polygon or MultiPolygon"


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
    """Sample points on a regular grid inside ``polygon`` (lon/lat degrees within +-180;
    a polygon across the antimeridian comes as pieces, see :func:`split_at_antimeridian`).

    Each piece is sampled within its own bounds, so two pieces at +-180 deg are not
    sampled as the band between them.
    """
    import shapely
    w, s, e, n = polygon.bounds
    mean_cos = np.cos(np.radians((s + n) / 2))
    spacing = max(np.sqrt(polygon.area * mean_cos / n_points), MIN_SPACING_DEG)
    lon_step = spacing / max(mean_cos, 0.05)      # near-square cells on the ground
    lats, lons = [], []
    for piece in getattr(polygon, "geoms", [polygon]):
        pw, ps, pe, pn = piece.bounds
        # One grid for all pieces (anchored at the whole area's corner), cut to each.
        lat = s + spacing / 2 + spacing * np.arange(np.floor((ps - s) / spacing),
                                                     np.ceil((pn - s) / spacing))
        lon = w + lon_step / 2 + lon_step * np.arange(np.floor((pw - w) / lon_step),
                                                       np.ceil((pe - w) / lon_step))
        glon, glat = np.meshgrid(lon, lat)
        inside = shapely.contains_xy(piece, glon, glat)
        lats.append(glat[inside])
        lons.append(glon[inside])
    plat = np.concatenate(lats) if lats else np.zeros(0)
    plon = np.concatenate(lons) if lons else np.zeros(0)
    if len(plat) < 1:
        p = polygon.representative_point()
        plat, plon = np.array([p.y]), np.array([p.x])
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
    if key.endswith((".geojson", ".json")) or (raw and os.path.lexists(raw)):
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
    from shapely.geometry import shape
    from shapely.ops import unary_union

    from orbitview.util.files import read_input
    try:
        raw = read_input(path, what="target file", max_bytes=MAX_GEOJSON_BYTES,
                         fix=GEOJSON_FIX, option="--target")
    except FileNotFoundError:
        raise UsageError(f"target file {str(path)!r} not found.\n"
                         "Fix: give the path of a GeoJSON file with a Polygon or MultiPolygon.") \
            from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except json.JSONDecodeError as e:
        raise DataError([Problem(path, e.lineno, f"not valid JSON: {e.msg} (column {e.colno})",
                                 "", "save the flood extent as GeoJSON (RFC 7946)")]) from None
    except UnicodeDecodeError:
        raise DataError([Problem(path, None, "not a text file", "",
                                 "give a GeoJSON file (RFC 7946)")]) from None
    except RecursionError:
        raise DataError([Problem(path, None, "JSON nested too deeply to read (GeoJSON needs "
                                 "four levels of brackets for a MultiPolygon)", "",
                                 GEOJSON_FIX)]) from None
    except ValueError as e:          # an integer of more digits than Python converts
        raise DataError([Problem(path, None, f"JSON value cannot be read ({e})"[:200], "",
                                 GEOJSON_FIX)]) from None
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

    try:
        collect(data, "the file")
    except RecursionError:
        raise DataError([Problem(path, None, "GeoJSON nested too deeply to read", "",
                                 GEOJSON_FIX)]) from None
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
    pieces = []
    for geom, where in geometries:
        try:
            pieces.append(split_at_antimeridian(geom))
        except ValueError as e:
            raise DataError([Problem(path, None, f"{where}: {e}", "",
                                     "cut the polygon in two at the pole (or at the "
                                     "antimeridian), or give the area you mean")]) from None
    area = unary_union(pieces)
    if area.is_empty or area.area == 0:
        raise DataError([Problem(path, None, "the polygons enclose no area", "",
                                 "check that each ring has at least three distinct corners")])
    names = [f.get("properties", {}).get("name") for f in data.get("features", [])
             if isinstance(f, dict) and isinstance(f.get("properties"), dict)] \
        if isinstance(data, dict) else []
    name = next((n for n in names if n), None) or path.stem
    from orbitview.util.text import printable
    target = area_target(printable(str(name))[:200], area, n_points, f"GeoJSON {path}")
    _check_size(path, target, geometries)
    return target


def _check_size(path: Path, target: Target, geometries) -> None:
    """Refuse an area target that is not one place to image, with its figures."""
    area_km2, radius = target.area_km2, target.radius_deg
    if area_km2 <= MAX_TARGET_AREA_KM2 and radius <= MAX_TARGET_RADIUS_DEG:
        return
    w, s, e, n = (min(g.bounds[0] for g, _ in geometries), min(g.bounds[1] for g, _ in geometries),
                  max(g.bounds[2] for g, _ in geometries), max(g.bounds[3] for g, _ in geometries))
    crossing = any(_crosses(g) for g, _ in geometries)
    how = (f"its edges span {w:g} to {e:g} deg of longitude (the long way round, nearly the "
           "whole Earth; taken the short way, across the antimeridian, as map tools draw "
           "them, it is " if crossing else "it is ")
    raise DataError([Problem(
        path, None,
        f"the target is too large to be one place to image: {how}{area_km2:,.0f} km2 reaching "
        f"{radius:.0f} deg ({radius * 111.2:,.0f} km) from its centre{')' if crossing else ''}, "
        "beyond the limits of "
        f"{MAX_TARGET_AREA_KM2 / 1e6:g} million km2 and {MAX_TARGET_RADIUS_DEG:g} deg "
        f"(bounds {w:g}, {s:g}, {e:g}, {n:g})", "",
        "give the area you mean as a smaller polygon (a country, a flood extent), with "
        "its edges under 180 deg of longitude long; for a whole region's revisit use "
        "'orbitview coverage --access imaging --region W,E,S,N'")])


def _crosses(geom) -> bool:
    """Whether an edge of ``geom`` spans more than 180 deg of longitude.  An edge from
    -180 to 180 runs along the antimeridian (RFC 7946 cuts polygons there: the world is
    [-180, 180]), not across it."""
    for poly in getattr(geom, "geoms", [geom]):
        for ring in [poly.exterior, *poly.interiors]:
            lon = np.asarray(ring.coords)[:, 0]
            if len(lon) < 2:
                continue
            seam = (np.abs(lon[:-1]) == 180.0) & (np.abs(lon[1:]) == 180.0)
            if (np.abs(np.diff(lon))[~seam] > 180.0).any():
                return True
    return False


def _unwrapped(ring) -> np.ndarray:
    """Ring coordinates with longitudes continued across +-180 deg (each edge the short
    way); ValueError when the ring goes once round a pole (it then does not close)."""
    xy = np.asarray(ring.coords, float)[:, :2].copy()
    xy[:, 0] = np.unwrap(xy[:, 0], period=360.0)
    if abs(xy[-1, 0] - xy[0, 0]) > 180.0:
        raise ValueError("a ring goes once round a pole (its edges, each taken the short way, "
                         "circle the Earth): orbitview cannot tell which side of it is meant")
    xy[-1] = xy[0]
    return xy


def split_at_antimeridian(geom):
    """A (Multi)Polygon in lon/lat degrees with every edge taken the short way (an edge
    more than 180 deg of longitude long crosses the antimeridian), cut at +-180 deg into
    valid pieces within [-180, 180]; a polygon that crosses nothing comes back as it was
    (made valid).  ValueError for a ring round a pole."""
    import shapely
    from shapely.affinity import translate
    from shapely.geometry import Polygon, box
    from shapely.ops import unary_union
    if not _crosses(geom):
        return shapely.make_valid(geom)
    out = []
    for poly in getattr(geom, "geoms", [geom]):
        shell = _unwrapped(poly.exterior)
        centre = shell[:, 0].mean()
        holes = []
        for ring in poly.interiors:
            hole = _unwrapped(ring)
            hole[:, 0] -= 360.0 * np.round((hole[:, 0].mean() - centre) / 360.0)
            holes.append(hole)
        whole = shapely.make_valid(Polygon(shell, holes))
        for k in (-2, -1, 0, 1, 2):
            shift = 360.0 * k
            piece = whole.intersection(box(-180.0 + shift, -90.0, 180.0 + shift, 90.0))
            if not piece.is_empty and piece.area > 0:
                out.append(translate(piece, xoff=-shift))
    return shapely.make_valid(unary_union(out))
