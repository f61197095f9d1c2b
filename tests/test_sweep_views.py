"""What a user sees: figure captions, local times on the views, SAR footprint bands.

Found by looking at the figures and pages a sweep produced: caption lines cut off at the
right edge of the footprint and coverage maps, the animation clock and the web map
showing PKT whatever --tz said, the web map drawing only the far edge of a radar's
incidence window and calling 147-day-old positions "off by hundreds of km".
"""

from __future__ import annotations

import datetime as dt


from orbitview.access import VisibilityRule
from orbitview.propagate import propagate
from orbitview.timeutil import time_grid

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 11, 21, tzinfo=UTC)
PAKISTAN = (59.0, 80.5, 22.0, 38.5)


def _texts_inside(fig):
    """Every caption text lies within the figure (none cut at an edge) and below every
    axes (the map and its colour bar); returns the texts."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    width = fig.bbox.x1
    lowest_axes = min(a.get_window_extent(renderer).y0 for a in fig.axes)
    out = []
    for t in fig.texts:
        box = t.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width, (t.get_text(), box.x1, width)
        assert box.y1 <= lowest_axes, (t.get_text(), box.y1, lowest_axes)
        out.append(t.get_text())
    return out


def test_footprint_caption_lines_fit_the_figure(catalog):
    # Before: the STALE lines' sources ran past the right edge of an 11-inch Pakistan map.
    from orbitview.maps import footprint_figure
    from orbitview.plotting import pyplot
    sats = catalog.resolve_many(["PakSat-MM1", "PRSS-1", "PRSC-EO1"])
    prop = propagate(sats, time_grid(T0, T0, 60.0))
    fig = footprint_figure(prop, VisibilityRule(10.0), PAKISTAN)
    try:
        texts = _texts_inside(fig)
    finally:
        pyplot().close(fig)
    joined = " ".join(t.strip() for t in texts)
    # Wrapped, not shortened: every source is there in full.
    for name, source in (("PakSat-MM1", "astrion-tech/celestrak-mirror@0630a58a"),
                         ("PRSS-1", "jtmiclat/celestrak-historical@011c609c")):
        assert name in joined and source in joined.replace(" ", ""), joined


def test_coverage_caption_lines_fit_the_figure(catalog):
    from orbitview.basemap import pakistan_polygon, province_polygons
    from orbitview.coverage import compute_coverage, make_grid
    from orbitview.maps import coverage_figure
    from orbitview.plotting import pyplot
    sats = catalog.resolve_many(["PRSS-1", "PakSat-MM1"])
    rule = VisibilityRule(10.0)
    grid = make_grid(PAKISTAN, 0.5, pakistan_polygon())
    result = compute_coverage(sats, grid, rule, T0, T0 + dt.timedelta(hours=1), 60.0)
    fig = coverage_figure(result, "percent", rule, PAKISTAN, province_polygons())
    try:
        texts = _texts_inside(fig)
    finally:
        pyplot().close(fig)
    assert any("celestrak-historical@011c609c" in t for t in texts), texts


def test_fit_caption_keeps_every_word_and_colour():
    from orbitview.maps import fit_caption
    text = " ".join(f"word{k}" for k in range(200))
    lines = fit_caption([(text, "#b00000"), ("short", "#222222")], 5.0)
    assert len(lines) > 3
    assert " ".join(t.strip() for t, _ in lines[:-1]).split() == text.split()
    assert {c for _, c in lines[:-1]} == {"#b00000"} and lines[-1] == ("short", "#222222")
    assert all(t.startswith("    ") for t, _ in lines[1:-1])
