"""The projected-basemap cache: a cached layer draws exactly what cartopy draws, and a
cache that is broken or cannot be written changes nothing but the time."""

from __future__ import annotations

import io

import numpy as np
import pytest

from orbitview.products import basemap
from orbitview.products.maps import base_map
from orbitview.products.plotting import pyplot

PAKISTAN = (60.5, 77.5, 23.5, 37.5)


def _pixels(extent, central=70.0) -> np.ndarray:
    from PIL import Image
    fig, _, _ = base_map(extent, central)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    pyplot().close(fig)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())))


@pytest.fixture()
def projections(monkeypatch):
    """How many basemap outlines cartopy projects (a counter around the real method;
    the map's own extent box, projected by ``get_extent``, is not counted)."""
    import inspect

    import cartopy.crs as ccrs
    calls = []
    real = ccrs.Projection.project_geometry

    def counted(self, geometry, src_crs=None):
        caller = inspect.currentframe().f_back
        if caller is not None and caller.f_code.co_filename == basemap.__file__:
            calls.append(1)
        return real(self, geometry, src_crs)
    monkeypatch.setattr(ccrs.Projection, "project_geometry", counted)
    return calls


@pytest.mark.parametrize("extent", [None, PAKISTAN], ids=["world", "pakistan"])
def test_a_cached_basemap_is_drawn_pixel_for_pixel_as_a_fresh_one(user_dir, projections,
                                                                  extent):
    cold = _pixels(extent)
    cold_calls = len(projections)
    assert cold_calls > 40
    files = sorted(basemap.basemap_cache_dir().glob("*.npz"))
    # Land or countries, coastline, borders; and the provinces over Pakistan.
    assert len(files) == (3 if extent is None else 5)
    warm = _pixels(extent)
    assert len(projections) == cold_calls                  # nothing projected again
    assert np.array_equal(cold, warm)
    assert sorted(basemap.basemap_cache_dir().glob("*.npz")) == files


def test_another_view_or_projection_is_another_entry(user_dir):
    _pixels(None, 70.0)
    first = set(basemap.basemap_cache_dir().glob("*.npz"))
    _pixels(None, 0.0)                      # another central longitude: another seam
    second = set(basemap.basemap_cache_dir().glob("*.npz"))
    assert len(second - first) == 3


def test_a_damaged_cache_is_projected_again_and_replaced(user_dir):
    reference = _pixels(PAKISTAN)
    files = sorted(basemap.basemap_cache_dir().glob("*.npz"))
    files[0].write_bytes(files[0].read_bytes()[:100])      # cut short, as by a full disk
    files[1].write_bytes(b"not a cache file")
    files[2].write_bytes(b"")
    assert np.array_equal(_pixels(PAKISTAN), reference)
    for f in files[:3]:
        with np.load(f, allow_pickle=False) as z:             # whole again
            assert z["ends"][-1] == z["wkb"].size


def test_a_cache_that_cannot_be_written_is_passed_over(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    monkeypatch.setenv("ORBITVIEW_USER_DIR", str(blocker))
    assert np.array_equal(_pixels(None), _pixels(None))
    assert blocker.read_text() == "x"


def test_the_cache_keeps_at_most_its_limit(user_dir, monkeypatch):
    monkeypatch.setattr(basemap, "CACHE_MAX_FILES", 4)
    _pixels(None, 70.0)
    _pixels(None, 10.0)
    assert len(list(basemap.basemap_cache_dir().glob("*.npz"))) == 4
