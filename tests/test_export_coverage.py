"""``export coverage`` computes what ``coverage`` computes, for both access kinds.

The reference is the coverage command's own ``--grid-csv`` for the same options, read
back with the csv module; GeoJSON with json + shapely, KML with lxml.  Imaging access
is the default for imagers (PRSS-1 and HS-1, data/sensors.csv), as ``coverage`` has it.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import run_cli
from shapely.geometry import shape

START = "2026-11-21T00:00:00Z"
IMAGERS = ["PRSS-1", "HS-1"]
WINDOW = ["--start", START, "--days", "1", "--resolution", "1"]
IMAGING_COLUMNS = ["opportunities", "first_image_h", "mean_revisit_h", "max_revisit_h",
                   "daylight_share_pct"]
RADIO_COLUMNS = ["coverage_percent", "accesses", "max_gap_min", "mean_gap_min"]
GRID_ROUNDING = {"daylight_share_pct": 0.05, "coverage_percent": 0.0005}
"""Half the last digit 'coverage --grid-csv' writes (1 decimal for the daylight share, 3 for
coverage percent, 2 for the others); the export writes 3 decimals (half of 0.001 more)."""
RULE = ("PRSS-1: off-nadir <= 35\u00b0, sun >= 10\u00b0; "
        "HS-1: off-nadir <= 30\u00b0, sun >= 10\u00b0")
"""data/sensors.csv: PRSS-1 +-35 deg roll, HS-1 +-30 deg, Sun 10 deg above the target (assumed)."""
KML = {"k": "http://www.opengis.net/kml/2.2"}


def _grid(tmp_path, *extra, names=IMAGERS):
    path = tmp_path / "grid.csv"
    status, _, err = run_cli("coverage", *names, *WINDOW, *extra, "--grid-csv", str(path),
                             "--format", "json")
    assert status == 0, err
    text = path.read_text(encoding="utf-8")
    assert not text.startswith("#")                 # numbers only: notes in FILE.json
    side = json.loads((tmp_path / "grid.csv.json").read_text(encoding="utf-8"))
    return list(csv.DictReader(io.StringIO(text))), side["assumed"]


def _export(tmp_path, fmt, *extra, names=IMAGERS, window=WINDOW, name="coverage"):
    path = tmp_path / f"{name}.{fmt}"
    status, out, err = run_cli("export", "coverage", *names, *window, *extra, "-o", str(path))
    assert status == 0, err
    assert f"orbitview: wrote {path}" in err and "coverage of PRSS-1, HS-1 as " + fmt in err
    assert out == ""
    return path


@pytest.fixture(scope="module")
def imaging_grid(tmp_path_factory):
    return _grid(tmp_path_factory.mktemp("grid"))


def _same_cells(exported: list[dict], grid: list[dict], columns):
    assert len(exported) == len(grid) > 50
    blanks = 0
    for e, g in zip(exported, grid):
        assert (float(e["lat_deg"]), float(e["lon_deg"])) == (float(g["lat_deg"]),
                                                              float(g["lon_deg"]))
        for c in columns:
            if g[c] == "":
                assert e[c] in ("", None), (c, e, g)        # no value in both (never imaged)
                blanks += 1
            else:
                tolerance = GRID_ROUNDING.get(c, 0.005) + 0.0005
                assert float(e[c]) == pytest.approx(float(g[c]), abs=tolerance), (c, e, g)
    return blanks


def test_csv_is_the_imaging_grid_of_coverage_by_default(tmp_path, imaging_grid):
    grid, note = imaging_grid
    text = _export(tmp_path, "csv").read_text(encoding="utf-8")
    header = text.splitlines()[0]
    assert header == ",".join(["lat_deg", "lon_deg", *IMAGING_COLUMNS, "resolution_deg",
                               "access", "rule"])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert _same_cells(rows, grid, IMAGING_COLUMNS) > 0     # some cells never imaged in 1 day
    assert {r["access"] for r in rows} == {"imaging"}
    assert {r["rule"] for r in rows} == {RULE}
    assert {r["resolution_deg"] for r in rows} == {"1.0"}
    assert note.startswith("Assumed instrument values (not published")
    assert all(r["opportunities"].isdigit() for r in rows)      # counts are whole numbers


def test_csv_radio_access_is_the_radio_grid(tmp_path):
    grid, note = _grid(tmp_path, "--access", "radio")
    assert note == ""
    rows = list(csv.DictReader(io.StringIO(_export(tmp_path, "csv", "--access",
                                                   "radio").read_text())))
    assert list(rows[0])[:6] == ["lat_deg", "lon_deg", *RADIO_COLUMNS]
    assert _same_cells(rows, grid, RADIO_COLUMNS) == 0       # radio grids have every value
    assert {r["access"] for r in rows} == {"radio"}
    assert {r["rule"] for r in rows} == {"elevation >= 10\u00b0"}


def test_geojson_names_metrics_units_and_rule(tmp_path, imaging_grid):
    grid, _ = imaging_grid
    doc = json.loads(_export(tmp_path, "geojson").read_text())
    meta = doc["orbitview"]
    assert meta["access_kind"] == "imaging"
    assert meta["access"] == f"imaging access: {RULE}"
    assert meta["assumed"].startswith("Assumed instrument values (not published")
    assert meta["metric"] == "max_revisit_h"                   # as 'coverage' maps by default
    assert meta["step_s"] == 10.0 and meta["hours"] == 24.0    # coverage's imaging defaults
    assert meta["start_utc"] == START and meta["end_utc"] == "2026-11-22T00:00:00Z"
    assert meta["metrics"] == {
        "opportunities": {"option": "opportunities", "label": "imaging opportunities (count)",
                          "units": "count", "blank": ""},
        "first_image_h": {"option": "first-image", "label": "time to first image (hours)",
                          "units": "hours", "blank": "never imaged"},
        "mean_revisit_h": {"option": "mean-revisit", "label": "mean revisit interval (hours)",
                           "units": "hours", "blank": "imaged fewer than twice"},
        "max_revisit_h": {"option": "max-revisit", "label": "longest wait for an image (hours)",
                          "units": "hours", "blank": ""},
        "daylight_share_pct": {"option": "daylight-share",
                               "label": "passes in reach with enough daylight (% of all)",
                               "units": "% of all",
                               "blank": "never in reach, or no Sun limit (radar)"}}
    props = [f["properties"] for f in doc["features"]]
    _same_cells(props, grid, IMAGING_COLUMNS)
    for f in doc["features"]:
        cell = shape(f["geometry"])
        assert cell.area == pytest.approx(1.0)
        assert (cell.centroid.x, cell.centroid.y) == pytest.approx(
            (f["properties"]["lon_deg"], f["properties"]["lat_deg"]))
        assert f["properties"]["access"] == "imaging" and f["properties"]["rule"] == RULE


def test_kml_colours_the_metric_with_unit_and_a_class_for_never_imaged(tmp_path, imaging_grid):
    from lxml import etree
    grid, _ = imaging_grid
    root = etree.fromstring(_export(tmp_path, "kml", "--metric", "first-image").read_bytes())
    legend = root.find(".//k:Folder[k:name='Legend']", KML)
    names = [p.findtext("k:name", namespaces=KML) for p in legend.iterfind("k:Placemark", KML)]
    assert len(names) == 9
    assert all(n.endswith(" hours: time to first image (first_image_h)") for n in names[:8])
    assert names[8] == "no value: never imaged (first_image_h)"
    cells = root.find(".//k:Folder[k:name='coverage cells (first_image_h)']", KML)
    placemarks = cells.findall("k:Placemark", KML)
    assert len(placemarks) == len(grid)
    never = [p for p in placemarks if "<td>never imaged</td>" in p.findtext(
        "k:description", namespaces=KML)]
    assert len(never) == sum(r["first_image_h"] == "" for r in grid) > 0
    # The never-imaged cells share the legend's grey class; the others a colour class.
    grey = legend.findall("k:Placemark", KML)[8].findtext("k:styleUrl", namespaces=KML)
    assert {p.findtext("k:styleUrl", namespaces=KML) for p in never} == {grey}


def test_options_as_coverage_takes_them(tmp_path):
    """--max-off-nadir and --min-sun reach the imaging rule; --min-elevation asks for radio."""
    rows = list(csv.DictReader(io.StringIO(_export(
        tmp_path, "csv", "--max-off-nadir", "10", "--min-sun", "20").read_text())))
    assert {r["rule"] for r in rows} == {"PRSS-1 and HS-1: off-nadir <= 10\u00b0, sun >= 20\u00b0"}
    rows = list(csv.DictReader(io.StringIO(_export(
        tmp_path, "csv", "--min-elevation", "25").read_text())))
    assert {(r["access"], r["rule"]) for r in rows} == {("radio", "elevation >= 25\u00b0")}


@pytest.mark.parametrize("args, message", [
    (["coverage", "PRSS-1", "--metric", "max-gap"],
     "--metric max-gap is a radio metric but the access is imaging"),
    (["coverage", "PRSS-1", "--access", "radio", "--metric", "max-revisit"],
     "--metric max-revisit is an imaging metric but the access is radio"),
    (["coverage", "PRSS-1", "--hours", "5", "--days", "1"], "give --hours or --days, not both"),
    (["coverage", "PRSS-1", "--days", "400"], "400 is outside the supported range"),
    (["coverage", "PRSS-1", "--workers", "2"], "--workers sets the size of the --dask cluster"),
    (["tracks", "PRSS-1", "--days", "8"],
     "8 is outside the supported range (more than 0 and at most 7 days)"),
    (["tracks", "PRSS-1", "--hours", "5", "--days", "1"], "give --hours or --days, not both"),
    (["tracks", "PRSS-1", "--target", "Sindh"], "--target does nothing for 'export tracks'"),
    (["tracks", "PRSS-1", "--dask"], "--dask does nothing for 'export tracks'"),
    (["tracks", "PRSS-1", "--hours", "200"],
     "200 is outside the supported range (more than 0 and at most 168 h)"),
])
def test_usage_errors(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    status, _, err = run_cli("export", *args, "--start", START, "-o", "x.csv")
    assert status == 2 and message in err, err
    assert list(tmp_path.iterdir()) == []


def test_dask_gives_the_same_file(tmp_path):
    """--dask runs the coverage engine on a LocalCluster of real worker processes."""
    window = ["--start", START, "--hours", "6", "--resolution", "1"]
    local = _export(tmp_path, "csv", window=window).read_bytes()
    status, out, err = run_cli("export", "coverage", *IMAGERS, *window, "--dask", "--workers",
                               "1", "-o", str(tmp_path / "dask.csv"))
    assert status == 0, err
    assert "running on dask, 1 worker" in err
    assert (tmp_path / "dask.csv").read_bytes() == local
