"""Animations: frames drawn by blitting equal a full redraw, markers sit where orbitview
puts the satellites, the GIF and MP4 files hold every frame at the requested rate."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from conftest import run_cli

UTC = dt.timezone.utc
START = dt.datetime(2026, 11, 21, 5, 0, tzinfo=UTC)
WORLD_DAY_START = dt.datetime(2026, 9, 7, 5, 0, tzinfo=UTC)
NAMES = ["PRSS-1", "PRSC-EO1", "HS-1"]


@pytest.fixture(scope="module")
def movie(catalog):
    from orbitview.data.regions import REGIONS
    from orbitview.products.animate import Animation, frames_for
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


def _pixel_at(movie, k, name):
    """(pixel at satellite ``name``'s SGP4 position in frame ``k``, its colour, lat, lon)."""
    from matplotlib.colors import to_rgb
    rgb = movie.frame(k)
    j = int(movie.frames.frame_index[k])
    i = movie.prop.names.index(name)
    lat, lon = movie.prop.lat_deg[i, j], movie.prop.lon_deg[i, j]
    x, y = movie.ax.transData.transform((lon - movie.central, lat))
    h = rgb.shape[0]
    pixel = rgb[int(round(h - y)), int(round(x))]
    return pixel, np.round(np.array(to_rgb(movie.sats[i]["colour"])) * 255), lat, lon


def test_marker_pixels_are_where_orbitview_puts_the_satellite(catalog):
    """At 05:45:30 on 2026-09-07 PRSC-EO1 (elements a day old) is over Pakistan: its marker
    is drawn in its colour at its position."""
    from orbitview.data.regions import REGIONS
    from orbitview.products.animate import Animation, frames_for
    fresh = Animation(frames_for(catalog.resolve_many(["PRSC-EO1"]),
                                 dt.datetime(2026, 9, 7, 5, 30, tzinfo=UTC), 0.5, 30.0),
                      REGIONS["pakistan"])
    try:
        pixel, want, lat, lon = _pixel_at(fresh, 31, "PRSC-EO1")
        assert 59 < lon < 80.5 and 22 < lat < 38.5
        assert np.abs(pixel - want).max() <= 3
    finally:
        fresh.close()


def test_no_marker_where_the_position_is_unknown(movie):
    """At 05:17:30 on 2026-11-21 SGP4 puts HS-1 over Kashmir, but its elements are 147 days
    old and its 90 % bound is phase lost: no marker (this test once asked for one there)."""
    pixel, want, lat, lon = _pixel_at(movie, 35, "HS-1")
    assert 59 < lon < 80.5 and 22 < lat < 38.5
    assert np.abs(pixel - want).max() > 30
    assert len(movie.sats[movie.prop.names.index("HS-1")]["marker"].get_xdata()) == 0


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


# --------------------------------------------------------------------------- colours, writers

NIGHT_ELEVATION_DEG = -0.83


def _sun_elevation_deg(lat_deg, lon_deg, sun_lat_deg, sun_lon_deg):
    """Elevation of the Sun (deg, spherical Earth) at a point."""
    lat, lon = np.radians(lat_deg), np.radians(lon_deg)
    slat, slon = np.radians(sun_lat_deg), np.radians(sun_lon_deg)
    return np.degrees(np.arcsin(np.sin(lat) * np.sin(slat)
                                + np.cos(lat) * np.cos(slat) * np.cos(lon - slon)))


@pytest.mark.parametrize("sun_lat, sun_lon, central", [
    (-20.2, 155.0, 70.0),       # November: the night holds the north pole
    (23.4, -30.0, 0.0),         # June: the south pole
    (0.3, 100.0, 70.0),         # an equinox: no pole, the night crosses the map's seam
    (-0.5, -170.0, -110.0),
])
def test_night_path_is_where_the_sun_is_down(sun_lat, sun_lon, central):
    """The night is drawn where the Sun is below -0.83 deg, checked on a 2-degree grid of
    the whole map (away from the edge, where the path's 1-degree steps decide)."""
    from orbitview.products.animate import night_path
    from orbitview.products.maps import wrap180
    path = night_path(sun_lat, sun_lon, central)
    lat, lon = np.meshgrid(np.arange(-89.0, 90.0, 2.0), np.arange(-179.0, 180.0, 2.0))
    elevation = _sun_elevation_deg(lat, lon, sun_lat, sun_lon)
    x = wrap180(lon - central)
    inside = path.contains_points(np.column_stack([x.ravel(), lat.ravel()])).reshape(lat.shape)
    clear = np.abs(elevation - NIGHT_ELEVATION_DEG) > 1.5
    assert np.array_equal(inside[clear], (elevation < NIGHT_ELEVATION_DEG)[clear])


@pytest.fixture(scope="module")
def world_day(catalog, tmp_path_factory):
    """A day over the world every 10 minutes, written as a GIF."""
    from orbitview.products.animate import Animation, frames_for, write_gif
    # 2026-09-07: every set is 73 days old or newer, so every position is known (at
    # 2026-11-21, START, PakTES-1A, HS-1 and PAUSAT-1 are phase lost and get no marker).
    movie = Animation(frames_for(catalog.resolve_many(["PRSS-1", "PakTES-1A", "HS-1",
                                                       "PRSC-EO1", "PAUSAT-1"]),
                                 WORLD_DAY_START, 24.0, 600.0), None)
    path = tmp_path_factory.mktemp("gif") / "day.gif"
    reports = []
    write_gif(movie, path, 10.0, report=reports.append)
    yield movie, path, reports
    movie.close()


def test_each_satellite_keeps_its_colour_by_night_and_day(world_day):
    """Every satellite's marker is drawn in its own colour in the GIF, in frames where it is
    in the night as in frames where it is in daylight (before: a palette made from 16
    sample frames turned PakTES-1A's green near-black and HS-1's cyan blue at night)."""
    from matplotlib.colors import to_rgb
    from PIL import Image
    movie, path, _ = world_day
    h = movie.size[1]
    frame = movie.ax.get_window_extent(movie.fig.canvas.get_renderer())
    seen = {s["i"]: {"night": 0, "day": 0} for s in movie.sats}
    with Image.open(path) as gif:
        for k in range(len(movie)):
            gif.seek(k)
            rgb = np.asarray(gif.convert("RGB")).astype(int)
            j = int(movie.frames.frame_index[k])
            xs = movie.ax.transData.transform(np.column_stack([movie.x[:, j], movie.y[:, j]]))
            for s in movie.sats:
                i = s["i"]
                px, py = xs[i]
                others = np.delete(xs, i, axis=0)
                if not np.isfinite(px) or (np.hypot(*(others - xs[i]).T) < 16).any():
                    continue                       # another marker is on it
                if min(px - frame.x0, frame.x1 - px, py - frame.y0, frame.y1 - py) < 8:
                    continue                       # on the map's frame line (the seam)
                elevation = _sun_elevation_deg(movie.y[i, j], movie.x[i, j] + movie.central,
                                               movie.sun_lat[k], movie.sun_lon[k])
                if abs(elevation - NIGHT_ELEVATION_DEG) < 2.0:
                    continue
                want = np.round(np.array(to_rgb(s["colour"])) * 255).astype(int)
                got = rgb[int(round(h - py)), int(round(px))]
                assert np.array_equal(got, want), (movie.prop.names[i], k, elevation, got)
                seen[i]["night" if elevation < NIGHT_ELEVATION_DEG else "day"] += 1
    for i, counts in seen.items():
        assert counts["night"] >= 3 and counts["day"] >= 3, (movie.prop.names[i], counts)


def test_gif_frames_are_the_frames_drawn(world_day):
    """The GIF written frame by frame (each after the first: the changed rectangle, the
    unchanged pixels transparent) decodes, frame by frame, to the frames drawn, each pixel
    at its nearest palette colour."""
    from PIL import Image

    from orbitview.products.animate import GifWriter, frame_palette
    movie, path, _ = world_day
    first = movie.draw_frame(0)[:, :, :3].copy()
    palette = frame_palette(movie, first)
    import io
    lookup = GifWriter(io.BytesIO(), movie.size, palette, 10)
    with Image.open(path) as gif:
        assert gif.n_frames == len(movie) == 145
        assert gif.info["loop"] == 0 and gif.info["duration"] == 100
        for k in (0, 1, 2, 70, 144):
            gif.seek(k)
            decoded = np.asarray(gif.convert("RGB"))
            want = palette[lookup.indices(movie.draw_frame(k))]
            assert np.array_equal(decoded, want), k


def test_progress_reports_frames_and_an_estimate(world_day):
    _, _, reports = world_day
    assert [r.done for r in reports] == list(range(1, 146))
    assert {r.total for r in reports} == {145}
    assert all(a.elapsed_s <= b.elapsed_s for a, b in zip(reports, reports[1:]))
    assert reports[-1].remaining_s == 0.0 and reports[0].remaining_s > 0.0
    assert reports[9].text().startswith("10 of 145 frames, ") and "s left" in reports[9].text()



def test_the_front_door_reports_frames_as_coverage_reports_steps(tmp_path):
    # ov.animation's progress= follows orbitview.util.progress's protocol, progress(done,
    # total), as ov.coverage and ov.opportunities do: 'orbitview animate' shows it with
    # the same display (an estimate, then a bar or a line every ten seconds).
    import orbitview as ov
    calls = []
    done = ov.animation(NAMES, tmp_path / "p.gif", "2026-11-21T05:00:00Z", hours=0.1,
                        region="pakistan", step_s=60, progress=lambda d, t: calls.append((d, t)))
    assert done.frames == 7 and calls == [(k, 7) for k in range(1, 8)]

FILE_SIZE_LIMIT_SCRIPT = """
import datetime as dt, os, resource, signal, sys
from orbitview.data.catalog import load_catalog
from orbitview.products.animate import Animation, frames_for, write_gif, write_mp4
from orbitview.util.atomic import OutputError
movie = Animation(frames_for([load_catalog().resolve("PRSS-1")],
                             dt.datetime(2026, 11, 21, 5, tzinfo=dt.timezone.utc), 0.5, 30.0),
                  None)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)       # a write past the limit fails (EFBIG)
resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))
for name, write in (("day.mp4", write_mp4), ("day.gif", write_gif)):
    try:
        write(movie, name, 10.0)
    except OutputError as e:
        print(f"{name}: {e}".replace("\\n", " | "))
    else:
        print(f"{name}: written")
"""


def test_a_write_that_fails_raises_and_keeps_the_earlier_file(tmp_path):
    """ffmpeg stopped by a file-size limit (as a full disk would stop it), and a GIF write
    that fails, raise OutputError naming the file; the animation written before stays as
    it was and no temporary file is left (it replaces the target only on success)."""
    pytest.importorskip("imageio_ffmpeg")
    import os
    import subprocess
    import sys
    for name in ("day.mp4", "day.gif"):
        (tmp_path / name).write_bytes(b"the animation of yesterday")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-c", FILE_SIZE_LIMIT_SCRIPT], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    said = dict(line.split(": ", 1) for line in done.stdout.splitlines())
    assert said["day.mp4"].startswith("cannot write day.mp4: ffmpeg was stopped by SIGXFSZ")
    assert said["day.gif"].startswith("cannot write day.gif: File too large")
    for message in said.values():
        assert "the previous file (if any) is unchanged" in message
        assert "Fix: the file would exceed the file-size limit (ulimit -f)" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["day.gif", "day.mp4"]
    for name in ("day.mp4", "day.gif"):
        assert (tmp_path / name).read_bytes() == b"the animation of yesterday"
