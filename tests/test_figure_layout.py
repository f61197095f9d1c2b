"""Figure layout, checked from what matplotlib renders (``get_window_extent`` and
``get_tightbbox`` with the figure's renderer): every figure kind, maps over several
regions, has nothing over its map or plot axes, nothing over anything else and nothing
outside the figure; labels drawn on a map stay inside it and apart.

Bundled data and fixed times only, so every run draws the same figures.  Before this
test, captions were stacked at fixed fractions of the figure: on a tall region the
caption covered a third of the heat map, on Pakistan its first line sat on the longitude
labels, and province names were written outside the map.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 11, 21, 5, 0, tzinfo=UTC)
TOUCH_PX = 0.5
"""Boxes that share an edge (to half a pixel: extents are rounded to pixels) touch, they
do not overlap."""

PROVINCE_PAD_DEG = 0.3


def _province_boxes():
    from orbitview.data.regions import province_polygons
    out = {}
    for name, poly in province_polygons().items():
        w, s, e, n = poly.bounds
        out[name] = (round(w - PROVINCE_PAD_DEG, 2), round(e + PROVINCE_PAD_DEG, 2),
                     round(s - PROVINCE_PAD_DEG, 2), round(n + PROVINCE_PAD_DEG, 2))
    return out


REGIONS = {"world": None, "pakistan": (59.0, 80.5, 22.0, 38.5), **_province_boxes(),
           "punjab-box": (69.0, 76.0, 27.5, 34.5),     # the box of the issue
           "wide-strip": (40.0, 100.0, 20.0, 32.0), "tall-box": (66.0, 71.0, 23.0, 37.0),
           "south-atlantic": (-20.0, 40.0, -35.0, 10.0)}
REGIONAL = [k for k in REGIONS if k != "world"]
SOME = ["pakistan", "Sindh", "Islamabad Capital Territory", "punjab-box", "wide-strip",
        "south-atlantic"]
"""The regions the slower kinds (coverage, animation) are drawn over."""


# --------------------------------------------------------------------------- the checks

def _shrunk(box):
    from matplotlib.transforms import Bbox
    return Bbox.from_extents(box.x0 + TOUCH_PX, box.y0 + TOUCH_PX, box.x1 - TOUCH_PX,
                             box.y1 - TOUCH_PX)


def _overlap(a, b) -> bool:
    return _shrunk(a).overlaps(_shrunk(b))


def _inside(box, outer) -> bool:
    return (box.x0 >= outer.x0 - TOUCH_PX and box.y0 >= outer.y0 - TOUCH_PX
            and box.x1 <= outer.x1 + TOUCH_PX and box.y1 <= outer.y1 + TOUCH_PX)


def _text_box(t, renderer):
    """A text's own box (and its background box), without an annotation's arrow."""
    from matplotlib.text import Annotation, Text
    if isinstance(t, Annotation):
        t.update_positions(renderer)
    box = Text.get_window_extent(t, renderer)
    patch = t.get_bbox_patch()
    if patch is not None:
        t.update_bbox_position_size(renderer)
        box = box.union([box, patch.get_window_extent(renderer)])
    return box


def _drawn(t, frame, renderer) -> bool:
    """Whether matplotlib draws the text: visible, not empty, and (an annotation
    clipped to the axes) its point on the axes."""
    from matplotlib.text import Annotation
    if not t.get_visible() or not t.get_text().strip():
        return False
    if isinstance(t, Annotation) and t.get_annotation_clip() is not False:
        xycoords = t.xycoords
        transform = xycoords if hasattr(xycoords, "transform") else \
            t.axes.transData if xycoords == "data" else None
        if transform is not None:
            x, y = transform.transform(t.xy)
            return frame.x0 - 1 <= x <= frame.x1 + 1 and frame.y0 - 1 <= y <= frame.y1 + 1
    return True


def _titles(ax):
    # matplotlib keeps the left and right titles as private attributes; a rename fails here.
    return [t for t in (ax.title, ax._left_title, ax._right_title)
            if t.get_visible() and t.get_text()]


def _body(ax, renderer):
    """An axes' frame with its tick labels, axis labels, titles and secondary axes."""
    from matplotlib.transforms import Bbox
    boxes = [ax.get_window_extent(renderer)]
    if ax.axison:
        for axis in (ax.xaxis, ax.yaxis):
            b = axis.get_tightbbox(renderer)
            if b is not None and b.width > 0:
                boxes.append(b)
        for child in ax.child_axes:
            boxes.append(child.get_tightbbox(renderer))
    boxes += [t.get_window_extent(renderer) for t in _titles(ax)]
    return Bbox.union(boxes)


def _assert_apart(pieces: dict, what: str) -> None:
    for (na, a), (nb, b) in itertools.combinations(pieces.items(), 2):
        assert not _overlap(a, b), f"{what}: {na} {a.bounds} overlaps {nb} {b.bounds}"


def check_map_figure(fig) -> dict:
    """Every piece around the map outside it, apart and inside the figure; every label on
    the map inside it and apart.  Returns the pieces (name -> display Bbox)."""
    from cartopy.mpl.geoaxes import GeoAxes
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    page = fig.bbox
    [ax] = [a for a in fig.axes if isinstance(a, GeoAxes)]
    frame = ax.get_window_extent(r)
    pieces = {"longitude labels": ax.xaxis.get_tightbbox(r),
              "latitude labels": ax.yaxis.get_tightbbox(r)}
    for t in _titles(ax):
        pieces[f"title {t.get_text()[:30]!r}"] = t.get_window_extent(r)
    legend = ax.get_legend()
    if legend is not None:
        pieces["legend"] = legend.get_window_extent(r)
    for k, leg in enumerate(fig.legends):
        pieces[f"figure legend {k}"] = leg.get_window_extent(r)
    for k, t in enumerate(fig.texts):
        if t.get_visible() and t.get_text().strip():
            pieces[f"figure text {k} {t.get_text()[:30]!r}"] = t.get_window_extent(r)
    for k, other in enumerate(a for a in fig.axes if a is not ax):
        box = other.get_tightbbox(r)
        if box is not None and box.width > 0:
            pieces[f"axes {k} {other.get_title(loc='left') or other.get_ylabel()!r}"] = box
    for name, box in pieces.items():
        assert _inside(box, page), f"{name} {box.bounds} is outside the figure {page.bounds}"
        assert not _overlap(box, frame), f"{name} {box.bounds} is over the map {frame.bounds}"
    _assert_apart(pieces, "around the map")
    labels = {}
    for k, t in enumerate(ax.texts):
        if _drawn(t, frame, r):
            box = _text_box(t, r)
            assert _inside(box, frame), (f"map label {t.get_text()!r} {box.bounds} is not "
                                         f"inside the map {frame.bounds}")
            labels[f"{k} {t.get_text()!r}"] = box
    _assert_apart(labels, "on the map")
    return pieces


def check_plot_figure(fig) -> dict:
    """Captions, titles and legends outside every plot (its frame, tick labels, axis
    labels and titles), apart from each other and inside the figure; plots apart."""
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    page = fig.bbox
    bodies = {f"plot {k} {a.get_title(loc='left') or a.get_ylabel()!r}": _body(a, r)
              for k, a in enumerate(fig.axes)}
    pieces = {}
    for k, t in enumerate(fig.texts):
        if t.get_visible() and t.get_text().strip():
            pieces[f"figure text {k} {t.get_text()[:30]!r}"] = t.get_window_extent(r)
    for k, leg in enumerate(fig.legends):
        pieces[f"figure legend {k}"] = leg.get_window_extent(r)
    for k, a in enumerate(fig.axes):
        leg = a.get_legend()
        if leg is not None and not _inside(leg.get_window_extent(r), a.get_window_extent(r)):
            pieces[f"legend of plot {k}"] = leg.get_window_extent(r)     # placed outside
    for name, box in {**bodies, **pieces}.items():
        assert _inside(box, page), f"{name} {box.bounds} is outside the figure {page.bounds}"
    for name, box in pieces.items():
        for plot, body in bodies.items():
            assert not _overlap(box, body), f"{name} {box.bounds} is over {plot} {body.bounds}"
    _assert_apart(pieces, "around the plots")
    _assert_apart(bodies, "plots")
    for a in fig.axes:
        frame = a.get_window_extent(r)
        for t in a.texts:
            if _drawn(t, frame, r):
                box = _text_box(t, r)
                assert _inside(box, page), f"{t.get_text()!r} {box.bounds} is outside the figure"
    return pieces


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    from orbitview.products.plotting import pyplot
    pyplot().close("all")


# --------------------------------------------------------------------------- maps

NAMES = ["PRSS-1", "PRSC-EO1", "HS-1", "PakSat-MM1", "PakTES-1A", "PRSC-S1"]


@pytest.fixture(scope="module")
def tracks(catalog):
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    t = time_grid(T0 - dt.timedelta(minutes=45), T0 + dt.timedelta(hours=24), 60.0)
    return propagate(catalog.resolve_many(NAMES), t)


@pytest.fixture(scope="module")
def sites():
    from orbitview.data.sites import load_sites
    return list(load_sites().values())


@pytest.mark.parametrize("region", list(REGIONS))
def test_track_figure_layout(tracks, sites, region):
    from orbitview.products.maps import track_figure
    fig = track_figure(tracks, 45, REGIONS[region])
    pieces = check_map_figure(fig)
    assert "legend" in pieces and any(k.startswith("figure text") for k in pieces)
    if region == "pakistan":
        shown = {t.get_text() for t in fig.axes[0].texts
                 if t.get_gid() == "province-label" and t.get_visible()}
        assert {"Punjab", "Sindh", "Balochistan", "KP", "GB", "AJK"} <= shown


@pytest.mark.parametrize("region", ["world", "pakistan", "Khyber Pakhtunkhwa",
                                    "Gilgit-Baltistan", "Islamabad Capital Territory",
                                    "punjab-box", "wide-strip", "south-atlantic"])
def test_footprint_figure_layout(catalog, sites, region):
    from orbitview.access.rules import VisibilityRule
    from orbitview.orbit.propagate import propagate
    from orbitview.products.maps import footprint_figure
    from orbitview.util.timeutil import time_grid
    prop = propagate(catalog.resolve_many(["PakSat-MM1", "PRSS-1", "PRSC-EO1"]),
                     time_grid(T0, T0, 60.0))
    fig = footprint_figure(prop, VisibilityRule(10.0), REGIONS[region],
                           sites=sites if region == "pakistan" else ())
    check_map_figure(fig)


def _grid_for(extent):
    """A grid of about 24 x 24 cells over ``extent`` (0.1 deg at the finest)."""
    from orbitview.access.coverage import make_grid
    from orbitview.data.regions import pakistan_polygon
    w, e, s, n = extent
    resolution = max(0.1, round(max(e - w, n - s) / 24.0, 1))
    return make_grid(extent, resolution, pakistan_polygon() if extent == REGIONS["pakistan"]
                     else None)


@pytest.mark.parametrize("region", SOME)
def test_radio_coverage_figure_layout(catalog, sites, region):
    from orbitview.access.coverage import compute_coverage
    from orbitview.access.rules import VisibilityRule
    from orbitview.data.regions import province_polygons
    from orbitview.products.maps import coverage_figure
    extent = REGIONS[region]
    rule = VisibilityRule(10.0)
    result = compute_coverage(catalog.resolve_many(["PRSS-1", "PRSC-EO1", "HS-1"]),
                              _grid_for(extent), rule, T0, T0 + dt.timedelta(hours=3), 120.0)
    pakistan = region == "pakistan"
    fig = coverage_figure(result, "max-gap", rule, extent,
                          province_polygons() if pakistan else None,
                          sites=sites if pakistan else (), target_min=60.0)
    pieces = check_map_figure(fig)
    bar = fig.axes[1]
    assert bar.get_ylim()[0] == 0.0                              # the scale starts at zero
    assert any(t.get_text().startswith("target 60 min") for t in bar.texts)
    assert any(k.startswith("axes") for k in pieces)


@pytest.fixture(scope="module")
def imaging(catalog):
    from orbitview.access.imaging import imaging_rule
    from orbitview.access.rules import RuleBySatellite
    from orbitview.data.sensors import load_sensors
    sensors = load_sensors(catalog)
    sats = catalog.resolve_many(["PRSC-EO1", "PRSC-S1", "PRSC-EO3", "PRSS-1"])
    return sats, RuleBySatellite({s.norad_id: imaging_rule(sensors[s.norad_id]) for s in sats})


@pytest.mark.parametrize("region", SOME)
def test_imaging_coverage_figure_layout(imaging, sites, region):
    from orbitview.access.revisit import compute_revisit
    from orbitview.data.regions import province_polygons
    from orbitview.products.maps import revisit_figure
    sats, rule = imaging
    extent = REGIONS[region]
    rev = compute_revisit(sats, _grid_for(extent), rule, T0, T0 + dt.timedelta(days=1), 60.0)
    pakistan = region == "pakistan"
    metric = "first-image" if region in ("Sindh", "wide-strip") else "max-revisit"
    fig = revisit_figure(rev, metric, extent, province_polygons() if pakistan else None,
                         sites=sites if pakistan else (), target_h=12.0)
    check_map_figure(fig)
    assert fig.axes[1].get_ylim()[0] == 0.0


@pytest.mark.parametrize("region", ["world", "pakistan", "Sindh", "punjab-box",
                                    "south-atlantic"])
def test_animation_frame_layout(catalog, sites, region):
    """The still part of a frame is laid out like a map; the moving labels of every frame
    are inside the map, apart from each other and from the names written on the map."""
    from orbitview.products.animate import Animation, frames_for
    movie = Animation(frames_for(catalog.resolve_many(NAMES), T0, 3.0, 600.0),
                      REGIONS[region], sites=sites if region == "pakistan" else ())
    try:
        pieces = check_map_figure(movie.fig)
        captions = [k for k in pieces if k.startswith("figure text")]
        assert 1 <= len(captions) <= 4, captions                  # a few lines, not ten
        r = movie.fig.canvas.get_renderer()
        frame = movie.ax.get_window_extent(r)
        still = [tuple(_text_box(t, r).extents) for t in movie.ax.texts if _drawn(t, frame, r)]
        for k in range(len(movie)):
            movie.draw_frame(k)
            boxes = [s["label_at"] + (s["label_at"][0] + s["label_size"].width,
                                      s["label_at"][1] + s["label_size"].height)
                     for s in movie.sats if s["label_at"] is not None]
            boxes += [s["pointer_label_at"] for s in movie.sats
                      if s["pointer_label_at"] is not None]
            for b in boxes:
                assert frame.x0 <= b[0] and b[2] <= frame.x1 and frame.y0 <= b[1] \
                    and b[3] <= frame.y1, (k, b, frame.bounds)
            for a, b in itertools.chain(itertools.combinations(boxes, 2),
                                        itertools.product(boxes, still)):
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), \
                    (k, a, b)
    finally:
        movie.close()


# --------------------------------------------------------------------------- other figures

def test_history_figure_layout(catalog):
    from orbitview.products.history_plot import plot_history
    check_plot_figure(plot_history(catalog, dt.datetime(2026, 11, 21, tzinfo=UTC)))


@pytest.mark.parametrize("name", ["PakSat-1R", "PRSC-S1"])
def test_element_history_figure_layout(catalog, name):
    from orbitview.products.history_plot import element_history, plot_element_history
    sat = catalog.resolve(name)
    check_plot_figure(plot_element_history(sat, element_history(sat)))


@pytest.mark.parametrize("site, start", [("Lahore", dt.datetime(2026, 5, 30, 15, 30,
                                                                 tzinfo=UTC)),
                                          ("Karachi", dt.datetime(2026, 5, 30, 12, 0,
                                                                  tzinfo=UTC))])
def test_sky_figure_layout(site, start):
    from conftest import TESTDATA

    from orbitview.access.passes import find_passes
    from orbitview.access.rules import VisibilityRule
    from orbitview.access.sighting import add_visibility, sample_pass
    from orbitview.data.external import read_elements_file
    from orbitview.data.localtime import Clock, get_zone
    from orbitview.data.sites import parse_site
    from orbitview.products.skyplot import sky_figure
    css = next(s for s in read_elements_file(TESTDATA / "catalogs" / "stations.tle")
               if s.norad_id == 48274)
    where = parse_site(site)
    rows = find_passes(css, where, start, start + dt.timedelta(hours=12), VisibilityRule(10))
    row = rows[0]
    add_visibility([row], css, where)
    fig = sky_figure(css, where, row, sample_pass(css, where, row["aos_utc"], row["los_utc"]),
                     Clock(get_zone("Asia/Karachi")), "elevation >= 10°")
    check_plot_figure(fig)
    ax = fig.axes[0]
    marks = [t for t in ax.texts if t.get_gid() == "satellite-label"]
    assert marks and all(t.get_visible() for t in marks)          # AOS, max, LOS kept


@pytest.fixture(scope="module")
def belt(catalog):
    from orbitview.studies.geobelt import load_belt
    return load_belt(None, catalog)


def test_geo_belt_figures_layout(belt, catalog):
    from orbitview.products.geobelt_plot import plot_belt, plot_slot_history
    from orbitview.studies.geobelt import survey
    at = belt.epochs[1]
    ref, rows, _ = survey(belt, at, "PakSat-MM1", 5.0, catalog)
    check_plot_figure(plot_belt(ref, rows, 5.0, at, belt))
    near = [belt.by_norad(r["norad_id"]) for r in rows if abs(r["separation_deg"]) <= 1.0]
    near.sort(key=lambda o: (o.norad_id != ref.norad_id, -len(o.history)))   # as the CLI
    assert len(near) >= 2
    check_plot_figure(plot_slot_history(near, ref, at, belt))


def _sweep_rows():
    """A sweep's rows as ``design sweep`` makes them: 4, 8 and 12 satellites in 1-3 planes,
    Pakistan and two provinces."""
    rows = []
    for n in (4, 8, 12):
        for p in (1, 2, 3):
            if n % p:
                continue
            design = f"walker-{n}-{p}"
            worst = 60.0 / n * (1.0 + 0.3 * (p == 1))
            for region, scale in (("Pakistan", 1.0), ("Punjab", 0.9), ("Sindh", 1.1)):
                rows.append({"design": design, "satellites": n, "planes": p,
                             "region": region, "mean_revisit_h": 0.4 * worst * scale,
                             "max_revisit_h": worst * scale, "first_image_h": 2.0,
                             "never_imaged_pct": 0.0, "hypothetical": True})
    return rows


def test_design_sweep_figure_layout_marks_the_target():
    from orbitview.products.sweep_plot import plot_sweep
    from orbitview.studies.sweep import COUNTRY_REGIONS, meets_target, smallest_meeting
    rows = _sweep_rows()
    best = smallest_meeting(rows, 8.0)
    assert (best["satellites"], best["planes"]) == (8, 2)         # 7.5 h; 8 in 1 plane: 9.75
    assert {r["design"]: meets_target(r, 8.0) for r in rows
            if r["region"] in COUNTRY_REGIONS} == {
        "walker-4-1": False, "walker-4-2": False, "walker-8-1": False, "walker-8-2": True,
        "walker-12-1": True, "walker-12-2": True, "walker-12-3": True}
    fig = plot_sweep(rows, "HYPOTHETICAL constellations: revisit against fleet size",
                     "HYPOTHETICAL designs. " * 12, target_max_revisit_h=8.0)
    check_plot_figure(fig)
    ax_max = fig.axes[1]
    assert any(t.get_text().strip() == "target 8 h" for t in ax_max.texts)
    ringed = [line for line in ax_max.get_lines()
              if line.get_label().startswith("smallest meeting")]
    assert len(ringed) == 1 and list(ringed[0].get_xdata()) == [8]
    caption = " ".join(t.get_text().strip() for t in fig.texts)
    assert "met by 4 of 7 designs; the smallest is walker-8-2" in caption
    assert smallest_meeting(rows, 1.0) is None
    assert smallest_meeting(rows, None) is None


def test_partners_figure_layout():
    from orbitview.products.partners_plot import plot_comparison
    rows = []
    for region in ("Pakistan", "Punjab", "Sindh", "Khyber Pakhtunkhwa", "Balochistan",
                   "Gilgit-Baltistan", "Azad Jammu and Kashmir"):
        for fleet, factor in (("Pakistan's fleet", 1.0), ("fleet + partners", 0.4)):
            rows.append({"region": region, "fleet": fleet, "cells": 10,
                         "mean_revisit_h": 20.0 * factor, "max_revisit_h": 50.0 * factor})
    fig = plot_comparison(rows, "Imaging revisit over Pakistan: Pakistan's fleet beside "
                          "fleet + partners (14 days)", "Caption words. " * 60)
    check_plot_figure(fig)


# --------------------------------------------------------------------------- the checker

def test_the_check_finds_a_caption_over_the_map(tracks):
    """The check itself: a caption moved onto the map, or a province name moved off it,
    is reported (so a passing test means something)."""
    from orbitview.products.maps import track_figure
    fig = track_figure(tracks, 45, REGIONS["pakistan"])
    caption = next(t for t in fig.texts if t.get_gid() == "caption")
    x, y = caption.get_position()
    caption.set_position((x + 1.0, y + 3.0))                       # inches: onto the map
    with pytest.raises(AssertionError, match="is over the map"):
        check_map_figure(fig)
    caption.set_position((x, y))
    province = next(t for t in fig.axes[0].texts if t.get_gid() == "province-label"
                    and t.get_visible())
    province.set_position((95.0, 30.0))                            # east of the map
    with pytest.raises(AssertionError, match="is not inside the map"):
        check_map_figure(fig)


def test_map_height_follows_the_region(tracks):
    """A tall region makes a narrower figure, not a taller map than the cap."""
    from orbitview.products.maps import MAX_REGION_MAP_HEIGHT_IN, track_figure
    fig = track_figure(tracks, 45, REGIONS["tall-box"])
    fig.canvas.draw()
    ax = fig.axes[0]
    box = ax.get_window_extent(fig.canvas.get_renderer())
    assert box.height / fig.dpi == pytest.approx(MAX_REGION_MAP_HEIGHT_IN, abs=0.02)
    assert box.width / box.height == pytest.approx(5.0 / 14.0, rel=0.01)
    assert fig.get_size_inches()[0] < 11.0
    assert np.isclose(fig.get_size_inches()[1] * fig.dpi, fig.bbox.height)
