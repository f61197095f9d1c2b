"""Animations: frames drawn by blitting equal a full redraw, markers sit where orbitview
puts the satellites, the GIF and MP4 files hold every frame at the requested rate."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from conftest import run_cli

UTC = dt.timezone.utc
START = dt.datetime(2026, 11, 21, 5, 0, tzinfo=UTC)
NAMES = ["PRSS-1", "PRSC-EO1", "HS-1"]


@pytest.fixture(scope="module")
def movie(catalog):
    from orbitview.products.animate import Animation, frames_for
    from orbitview.data.regions import REGIONS
    frames = frames_for(catalog.resolve_many(NAMES), START, 0.5, 30.0)
    m = Animation(frames, REGIONS["pakistan"])
    yield m
    m.close()


def test_frames_sample_the_window(movie):
    assert len(movie) == 61                                  # 30 min every 30 s
    times = [movie.times[j] for j in movie.frames.frame_index]
    assert times[0] == START and times[-1] == START + dt.timedelta(minutes=30)
    assert all(b - a == dt.timedelta(seconds=30) for a, b in zip(times, times[1:]))
    # Trails are sampled finer than the frames (every 15 s here) so they stay smooth.
    assert movie.times[1] - movie.times[0] == dt.timedelta(seconds=15)


@pytest.mark.parametrize("k", [0, 35, 60])
def test_blitted_frame_equals_a_full_redraw(movie, k):
    blit = movie.frame(k).astype(int)
    full = movie.frame_full_redraw(k).astype(int)
    assert blit.shape == full.shape
    differ = np.abs(blit - full).max(axis=2) > 8
    assert differ.mean() < 0.001, differ.mean()           # antialiasing at most


def test_marker_pixels_are_where_orbitview_puts_the_satellite(movie):
    """At 05:17:30 HS-1 is over Kashmir: its marker is drawn in its colour at its position."""
    from matplotlib.colors import to_rgb
    k = 35
    rgb = movie.frame(k)
    j = int(movie.frames.frame_index[k])
    i = movie.prop.names.index("HS-1")
    lat, lon = movie.prop.lat_deg[i, j], movie.prop.lon_deg[i, j]
    assert 59 < lon < 80.5 and 22 < lat < 38.5
    x, y = movie.ax.transData.transform((lon - movie.central, lat))
    h = rgb.shape[0]
    pixel = rgb[int(round(h - y)), int(round(x))]
    want = np.round(np.array(to_rgb(movie.sats[i]["colour"])) * 255)
    assert np.abs(pixel - want).max() <= 3


def test_satellites_off_the_map_get_an_edge_pointer_with_distance(movie):
    movie.frame(35)
    off = {s["pointer_label"].get_text().split("\n")[0]: s for s in movie.sats
           if s["pointer_label"].get_text()}
    assert set(off) == {"PRSS-1", "PRSC-EO1"}
    for s in off.values():
        km = float(s["pointer_label"].get_text().split("\n")[1].replace(",", "").split()[0])
        assert 0 < km < 20_040                              # half the Earth's circumference
        (px,), (py,) = s["pointer"].get_data()
        w, e, south, north = movie.extent
        assert south < py < north and w - movie.central < px < e - movie.central


def test_gif_holds_every_frame_at_the_frame_rate(tmp_path):
    from PIL import Image
    path = tmp_path / "pass.gif"
    status, out, err = run_cli("animate", *NAMES, "--region", "pakistan", "--start",
                               "2026-11-21T05:00:00Z", "--hours", "0.25", "--fps", "8",
                               "-o", str(path))
    assert status == 0, err
    assert "31 frames" in err and "s per frame" in err and out == ""
    with Image.open(path) as im:
        assert im.n_frames == 31
        assert im.info["duration"] == 130 and im.info["loop"] == 0    # 1/8 s in 1/100 s
        im.seek(15)
        frame = np.array(im.convert("RGB"))
    # The legend's PRSS-1 colour (#d62728) survives the shared palette exactly.
    assert (np.abs(frame.astype(int) - [214, 39, 40]).max(axis=2) == 0).sum() > 20


def test_mp4_plays_back_with_the_same_frames(tmp_path):
    try:
        import imageio_ffmpeg
    except ImportError:                 # a skip on a developer machine, a failure in CI
        from browser import unavailable
        unavailable("imageio-ffmpeg (the video extra) is not installed",
                    "pip install -e .[test]")
    path = tmp_path / "day.mp4"
    status, out, err = run_cli("animate", "PRSS-1", "PakSat-MM1", "--start",
                               "2026-11-21T05:00:00Z", "--hours", "0.5", "--step", "60",
                               "--fps", "10", "-o", str(path))
    assert status == 0, err
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = reader.__next__()
    frames = list(reader)
    assert len(frames) == 31 and meta["fps"] == 10
    w, h = meta["size"]
    assert w % 2 == 0 and h % 2 == 0 and w > 1000


def test_mp4_without_imageio_ffmpeg_says_how_to_get_it(tmp_path, monkeypatch):
    import importlib.util
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "imageio_ffmpeg" else real(name, *a))
    status, _, err = run_cli("animate", "PRSS-1", "--start", "2026-11-21T05:00:00Z",
                             "-o", str(tmp_path / "day.mp4"))
    assert status == 1
    assert "imageio-ffmpeg" in err and "pip install 'orbitview[video]'" in err
    assert not (tmp_path / "day.mp4").exists()


@pytest.mark.parametrize("args, message", [
    (["--fps", "0"], "0 is outside the supported range (at least 1 and at most 60"),
    (["--step", "nan"], "'nan' is not a finite number"),
    (["--hours", "168", "--step", "10"], "frames (168 h every 10 s) is more than 2000"),
    (["--trail", "-5"], "-5 is outside the supported range"),
])
def test_bad_values_are_refused_before_any_work(tmp_path, args, message):
    status, _, err = run_cli("animate", "PRSS-1", "--start", "2026-11-21T05:00:00Z", *args,
                             "-o", str(tmp_path / "a.gif"))
    assert status == 2 and message in err and "Fix:" in err
    assert not (tmp_path / "a.gif").exists()


def test_output_must_be_gif_or_mp4(tmp_path):
    status, _, err = run_cli("animate", "PRSS-1", "-o", str(tmp_path / "a.avi"))
    assert status == 2 and ".gif" in err and ".mp4" in err
