"""Maps: seam splitting, the offline basemap, province polygons, the track figure."""

import datetime as dt
import warnings

import numpy as np
import pytest
from conftest import run_cli
from pyproj import Geod

from orbitview.data.regions import BASEMAP_DIR, pakistan_polygon, province_polygons
from orbitview.orbit.propagate import propagate
from orbitview.products.maps import split_at_seam, track_figure
from orbitview.util.timeutil import time_grid

UTC = dt.timezone.utc


def _max_span(pieces):
    return max((np.abs(np.diff(x)).max(initial=0) for x, _ in pieces), default=0)


def test_split_interpolates_the_crossing():
    # From 170E to 170W at latitudes 10 -> 20: crosses the 180 seam of a 0-centred map at 15.
    pieces = split_at_seam([160, 170, -170, -160], [5, 10, 20, 25], 0.0)
    assert len(pieces) == 2
    (x0, y0), (x1, y1) = pieces
    assert x0[-1] == 180 and y0[-1] == pytest.approx(15.0)
    assert x1[0] == -180 and y1[0] == pytest.approx(15.0)
    assert _max_span(pieces) <= 180


def test_split_relative_to_the_central_longitude():
    # Centred at 70E the seam is at 110W (250E); crossing 180 is nothing special.
    pieces = split_at_seam([170, 179, -179, -170], [0, 1, 2, 3], 70.0)
    assert len(pieces) == 1 and np.allclose(pieces[0][0], [100, 109, 111, 120])
    pieces = split_at_seam([-100, -105, -115, -120], [0, 1, 2, 3], 70.0)
    assert len(pieces) == 2


def test_nan_breaks_the_track():
    pieces = split_at_seam([10, 11, np.nan, 13, 14], [0, 1, 2, 3, 4], 0.0)
    assert [len(x) for x, _ in pieces] == [2, 2]


@pytest.fixture(scope="module")
def sso_day(catalog):
    t = time_grid(dt.datetime(2026, 9, 6, tzinfo=UTC), dt.datetime(2026, 9, 7, tzinfo=UTC), 30)
    return propagate(catalog.resolve_many(["PRSS-1", "PRSC-EO1", "PakSat-MM1"]), t)


@pytest.mark.parametrize("central", [0.0, 70.0, -110.0, 180.0])
def test_real_polar_tracks_never_span_more_than_180(sso_day, central):
    for i in range(2):
        pieces = split_at_seam(sso_day.lon_deg[i], sso_day.lat_deg[i], central)
        assert len(pieces) >= 14           # a day of ~15 orbits crosses the seam each orbit
        assert _max_span(pieces) <= 180.0
        # Each piece that ends on the edge ends exactly there.
        ends = [x[-1] for x, _ in pieces[:-1]]
        assert all(abs(e) == 180.0 for e in ends)


def test_province_polygons_match_official_areas():
    # Areas in km2: Pakistan Bureau of Statistics (Census 2017) for the provinces and
    # ICT; Governments of Gilgit-Baltistan and AJK for the territories.
    official = {"Punjab": 205_344, "Sindh": 140_914, "Khyber Pakhtunkhwa": 101_741,
                "Balochistan": 347_190, "Gilgit-Baltistan": 72_971,
                "Azad Jammu and Kashmir": 13_297, "Islamabad Capital Territory": 906}
    # Natural Earth 10m lines generalise the boundaries: provinces within 2 %; the small
    # territories, whose boundaries are mostly mountain lines, within 15 %.
    tolerance = {k: 0.02 for k in official}
    tolerance.update({"Gilgit-Baltistan": 0.15, "Azad Jammu and Kashmir": 0.15,
                      "Islamabad Capital Territory": 0.15})
    geod = Geod(ellps="WGS84")
    polygons = province_polygons()
    assert set(polygons) == set(official)
    for name, poly in polygons.items():
        area = abs(geod.geometry_area_perimeter(poly)[0]) / 1e6
        assert area == pytest.approx(official[name], rel=tolerance[name]), name
    # A partition: no overlaps, and their union is Pakistan.
    total = sum(p.area for p in polygons.values())
    assert total == pytest.approx(pakistan_polygon().area, rel=1e-6)


@pytest.mark.parametrize("lat,lon,province", [
    (31.5497, 74.3436, "Punjab"), (24.8607, 67.0011, "Sindh"), (34.0151, 71.5249,
    "Khyber Pakhtunkhwa"), (30.1798, 66.975, "Balochistan"), (35.9208, 74.308,
    "Gilgit-Baltistan"), (34.37, 73.4711, "Azad Jammu and Kashmir"),
    (33.6844, 73.0479, "Islamabad Capital Territory"), (25.1264, 62.3225, "Balochistan"),
    (30.1575, 71.5249, "Punjab"), (33.0, 70.07, "Khyber Pakhtunkhwa"),   # Multan; ex-FATA
])
def test_cities_fall_in_their_province(lat, lon, province):
    from shapely.geometry import Point
    inside = [k for k, p in province_polygons().items() if p.contains(Point(lon, lat))]
    assert inside == [province]


def test_basemap_is_bundled_and_never_downloads(sso_day):
    import cartopy
    from cartopy.io import DownloadWarning
    with warnings.catch_warnings():
        warnings.simplefilter("error", DownloadWarning)
        fig = track_figure(sso_day, 100, None)
        fig.canvas.draw()
        fig2 = track_figure(sso_day, 100, (59.0, 80.5, 22.0, 38.5))
        fig2.canvas.draw()
    assert cartopy.config["pre_existing_data_dir"] == str(BASEMAP_DIR)
    for name in ("physical/ne_10m_land.shp", "cultural/ne_110m_admin_0_countries.shp"):
        assert (BASEMAP_DIR / "shapefiles" / "natural_earth" / name).is_file()


def test_track_figure_content(sso_day):
    from cartopy.feature.nightshade import Nightshade
    fig = track_figure(sso_day, 100, None)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[:3] == ["PRSS-1 (43530)", "PRSC-EO1 (62725)", "PakSat-MM1 (59915)"]
    assert {"past track", "future track", "night at map time"} <= set(labels)
    assert any(isinstance(getattr(c, "_feature", None), Nightshade) for c in ax.collections)
    # Every drawn track segment stays within 180 degrees of longitude.
    for line in ax.get_lines():
        x = np.asarray(line.get_xdata(), dtype=float)
        if len(x) > 1:
            assert np.abs(np.diff(x)).max() <= 180.0
    caption = "\n".join(t.get_text() for t in fig.texts)
    assert "Map time 2026-09-06 00:50:00 UTC (2026-09-06 05:50 PKT)" in caption
    assert "STALE PRSS-1 (43530): elements of 2026-06-26 23:31 UTC, 72.0 days" in caption
    assert "PRSC-EO1 (62725): elements of 2026-09-06 05:21 UTC, 0.8 days" in caption
    assert "Source: CelesTrak GROUP=resource via astrion-tech/celestrak-mirror@0639269b" \
        in caption


def test_geo_drift_panel_when_a_day_is_shown(sso_day):
    # A panel beside the map, under the legend (it was an inset over the map's corner).
    fig = track_figure(sso_day, 0, None)
    panels = [a for a in fig.axes[1:] if a.get_title(loc="left") == "GEO drift over 24 h"]
    assert len(panels) == 1 and not fig.axes[0].child_axes
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert not panels[0].get_window_extent(renderer).overlaps(
        fig.axes[0].get_window_extent(renderer))
    x, y = panels[0].get_lines()[0].get_data()
    # PakSat-MM1 (inclination 0.037 deg, facts.md 2.9) stays within a few hundredths of a degree.
    assert np.abs(y).max() == pytest.approx(0.037, abs=0.01)
    assert np.abs(x).max() < 0.1


def test_track_cli(tmp_path):
    out = tmp_path / "t.png"
    status, stdout, err = run_cli("track", "PRSS-1", "PakSat-MM1", "--at",
                                  "2026-09-07T02:00:00Z", "--region", "pakistan", "-o", str(out))
    assert status == 0, err
    assert out.read_bytes()[:4] == b"\x89PNG"
    assert "warning: PRSS-1 (43530): element set epoch 2026-06-26T23:31:08Z is 72 days" in err


@pytest.mark.parametrize("args,status,message", [
    (("track", "ICUBE-Q", "-o", "x.png"), 1, "ICUBE-Q is in lunar orbit"),
    # Values the options cannot take are usage errors (exit 2), refused before any work.
    (("track", "PRSS-1", "--region", "asia", "-o", "x.png"), 2, "region 'asia' is not world"),
    (("track", "PRSS-1", "--region", "80,60,20,30", "-o", "x.png"), 2, "is not a box"),
    (("track", "PRSS-1", "-o", "x.jpeg"), 2, "cannot tell the format from the file name"),
    (("track", "PRSS-1", "--at", "next week", "-o", "x.png"), 2,
     "Invalid value for '--at': 'next week' is not an ISO"),
])
def test_track_errors(args, status, message):
    got, _, err = run_cli(*args)
    assert got == status and message in err and "Fix:" in err


def test_track_usage_errors():
    assert run_cli("track", "-o", "x.png")[0] == 2
    assert run_cli("track", "PRSS-1", "--all", "-o", "x.png")[0] == 2


@pytest.mark.parametrize("central", [70.0, 0.0])
def test_world_graticule_labels_each_meridian_once(sso_day, central):
    """On a world map centred at 70 E, -180 and 180 are one meridian inside the map: one
    '180°' label, not two drawn over each other; centred on 0 they are its two edges."""
    fig = track_figure(sso_day, 100, None, central_longitude=central)
    ax = fig.axes[0]
    fig.canvas.draw()
    positions = [round(float(x), 6) for x in ax.get_xticks()]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert len(set(positions)) == len(positions)
    assert labels.count("180°") == (1 if central == 70.0 else 2)


def test_tracks_over_a_box_between_samples():
    """A track that crosses a small box between two samples is over it (before: only the
    samples were tested, and Islamabad's box was 'not over' for a track drawn across it);
    checked against a fine resampling of the same straight segments."""
    from orbitview.products.maps import tracks_over, wrap180
    box = (72.5, 73.7, 33.2, 34.1)
    rng = np.random.default_rng(7)
    lat = np.cumsum(rng.uniform(-3, 3, (400, 12)), axis=1) + rng.uniform(25, 40, (400, 1))
    lon = wrap180(np.cumsum(rng.uniform(-4, 4, (400, 12)), axis=1) + rng.uniform(65, 80, (400, 1)))
    got = tracks_over(lat, lon, box)
    f = np.linspace(0, 1, 2001)[None, None, :]
    dense_lon = lon[:, :-1, None] + wrap180(np.diff(lon, axis=1))[:, :, None] * f
    dense_lat = lat[:, :-1, None] + np.diff(lat, axis=1)[:, :, None] * f
    x = wrap180(dense_lon - box[0])
    want = ((x >= 0) & (x <= box[1] - box[0]) & (dense_lat >= box[2])
            & (dense_lat <= box[3])).any(axis=(1, 2))
    assert got.sum() > 20 and (~got).sum() > 20
    assert np.array_equal(got, want)
    # Across the seam: a box at the antimeridian, a segment from 179.5 E to 179.5 W.
    assert tracks_over(np.array([[0.0, 0.0]]), np.array([[179.5, -179.5]]),
                       (179.8, 180.0, -1.0, 1.0)).tolist() == [True]
    assert tracks_over(np.array([[0.0, 0.0]]), np.array([[10.0, 11.0]]),
                       (12.0, 13.0, -1.0, 1.0)).tolist() == [False]
