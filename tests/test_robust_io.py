"""Hostile input at the library level: the atomic writer, reading only regular files of a
sane size, text made safe for a terminal, bounded error messages, the config file's locked
in-place edit, element-file identity, targets across the antimeridian, and exports of what
cannot be computed.  The CLI-level counterparts are in tests/test_hostile_newer.py."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import stat
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import PAKSAT_MM1_OMM

UTC = dt.timezone.utc
PROMPT_S = 5.0
"""A refusal by file type answers at once; a read that blocks on a FIFO never does."""


def _prompt(fn, *args, **kw):
    """Run ``fn`` in a thread; fail (instead of hanging) if it has not returned in time."""
    box = {}

    def run():
        try:
            box["value"] = fn(*args, **kw)
        except BaseException as e:       # noqa: BLE001 - handed back to the test
            box["error"] = e
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(PROMPT_S)
    assert not t.is_alive(), f"{fn.__name__} blocked for more than {PROMPT_S} s"
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _release_fifo(path):
    """Open a FIFO's write end once a reader waits (so a wrongly blocking reader ends)."""
    def run():
        deadline = time.monotonic() + PROMPT_S * 2
        while time.monotonic() < deadline:
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                time.sleep(0.01)
    threading.Thread(target=run, daemon=True).start()


# =========================================================================== atomic writes

def test_a_failed_write_keeps_the_old_file_and_says_so(tmp_path, monkeypatch):
    from orbitview.util import atomic
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    real_write = os.write
    calls = []

    def short_then_full(fd, data):          # a short write, then a full disk
        calls.append(len(data))
        if len(calls) == 1:
            return real_write(fd, bytes(data[:3]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(atomic.os, "write", short_then_full)
    with pytest.raises(atomic.OutputError, match=f"cannot write {target}: No space left") as e:
        atomic.atomic_write_bytes(target, b"x" * 10_000)
    assert "the previous file (if any) is unchanged" in str(e.value)
    assert "orbitview-tmp" not in str(e.value)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_a_failed_flush_of_a_stream_keeps_the_old_file(tmp_path, monkeypatch):
    from orbitview.util import atomic
    target = tmp_path / "grid.csv"
    target.write_bytes(b"old")
    real_fsync = os.fsync

    def fsync_fails(fd):                    # what a full disk or an NFS server can say last
        raise OSError(errno.EIO, os.strerror(errno.EIO))
    monkeypatch.setattr(atomic.os, "fsync", fsync_fails)
    with pytest.raises(atomic.OutputError, match="input/output error"):
        atomic.atomic_write_stream(target, lambda f: f.write(b"new" * 1000))
    monkeypatch.setattr(atomic.os, "fsync", real_fsync)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grid.csv"]


def test_a_callback_that_raises_changes_nothing(tmp_path):
    from orbitview.util.atomic import atomic_write, atomic_write_stream
    target = tmp_path / "fig.png"
    target.write_bytes(b"old")

    def half_then_fail(f):
        f.write(b"half")
        raise ValueError("the renderer gave up")
    with pytest.raises(ValueError, match="renderer"):
        atomic_write_stream(target, half_then_fail)

    def by_path(tmp):
        Path(tmp).write_bytes(b"half")
        raise RuntimeError("ffmpeg exited with status 1")
    with pytest.raises(RuntimeError, match="ffmpeg"):
        atomic_write(target, by_path)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fig.png"]


def test_the_file_is_synced_and_closed_before_it_replaces_the_old_one(tmp_path, monkeypatch):
    from orbitview.util import atomic
    events = []
    real_fsync, real_close, real_replace = os.fsync, os.close, os.replace
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (events.append("fsync"),
                                                        real_fsync(fd))[1])
    monkeypatch.setattr(atomic.os, "close", lambda fd: (events.append("close"),
                                                        real_close(fd))[1])
    monkeypatch.setattr(atomic.os, "replace", lambda a, b: (events.append("replace"),
                                                            real_replace(a, b))[1])
    atomic.atomic_write_text(tmp_path / "a.json", "{}")
    assert events[:3] == ["fsync", "close", "replace"]
    events.clear()
    atomic.atomic_write_stream(tmp_path / "b.csv", lambda f: f.write(b"a,b\n"))
    assert events[:3] == ["fsync", "close", "replace"]
    assert (tmp_path / "b.csv").read_bytes() == b"a,b\n"


def test_a_replaced_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path):
    from orbitview.util.atomic import atomic_write_bytes
    private = tmp_path / "config.toml"
    private.write_text("x")
    private.chmod(0o600)
    atomic_write_bytes(private, b"y")
    assert stat.S_IMODE(private.stat().st_mode) == 0o600 and private.read_bytes() == b"y"
    old = os.umask(0o027)
    try:
        atomic_write_bytes(tmp_path / "new.csv", b"z")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640


def test_stale_leftovers_are_removed_by_the_next_write_but_a_live_writers_are_not(tmp_path):
    pytest.importorskip("fcntl")
    import fcntl

    from orbitview.util.atomic import LEFTOVER_MIN_AGE_S, atomic_write_bytes
    old = time.time() - LEFTOVER_MIN_AGE_S - 3600
    stale = tmp_path / ".a.gif.k2j3h4.orbitview-tmp"           # a killed writer's
    stale.write_bytes(b"GIF89a half")
    os.utime(stale, (old, old))
    live = tmp_path / ".a.gif.live01.orbitview-tmp"            # a writer still at work
    live.write_bytes(b"GIF89a")
    os.utime(live, (old, old))
    fd = os.open(live, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    fresh = tmp_path / ".a.gif.fresh1.orbitview-tmp"           # just created, not locked yet
    fresh.write_bytes(b"")
    other = tmp_path / ".b.gif.k2j3h4.orbitview-tmp"           # another file's: not ours
    other.write_bytes(b"")
    os.utime(other, (old, old))
    try:
        atomic_write_bytes(tmp_path / "a.gif", b"GIF89a whole")
    finally:
        os.close(fd)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["a.gif", live.name, fresh.name, other.name])


def test_non_regular_targets_are_refused(tmp_path):
    from orbitview.util.atomic import atomic_write_bytes
    from orbitview.util.errors import UsageError
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link").symlink_to(tmp_path / "elsewhere")
    for name, kind in (("pipe", "FIFO"), ("link", "symbolic link")):
        with pytest.raises(UsageError, match=kind):
            atomic_write_bytes(tmp_path / name, b"x")
    assert not (tmp_path / "elsewhere").exists()


# =========================================================================== reading files

def test_special_files_are_refused_by_type_without_blocking(tmp_path):
    from orbitview.util.errors import DataError, UsageError
    from orbitview.util.files import read_input
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    _release_fifo(fifo)
    for path, kind in ((fifo, "a FIFO (named pipe)"), (zero, "a character device"),
                       (tmp_path, "a directory")):
        with pytest.raises(DataError) as e:
            _prompt(read_input, path, what="mask", max_bytes=1000, fix="give a file")
        assert f"{path}: mask is {kind}, not a regular file" in str(e.value), str(e.value)
        assert "Fix: give a file" in str(e.value)
        with pytest.raises(UsageError, match=re.escape(f"--mask '{path}' is {kind}")):
            _prompt(read_input, path, what="mask", max_bytes=1000, fix="give a file",
                    option="--mask")
    with pytest.raises(FileNotFoundError):
        read_input(tmp_path / "missing", what="mask", max_bytes=1000, fix="")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_files_beyond_the_readers_limit_are_refused_before_reading(tmp_path):
    from orbitview.util.errors import DataError
    from orbitview.util.files import read_input
    big = tmp_path / "big.tle"
    with open(big, "wb") as f:                       # sparse: 5 GB on paper, nothing on disk
        f.truncate(5 << 30)
    with pytest.raises(DataError, match=r"is larger than 1\.0 MiB \(5,120\.0 MiB\)"):
        read_input(big, what="element file", max_bytes=1 << 20, fix="x")
    small = tmp_path / "ok.tle"
    small.write_bytes(b"abc")
    assert read_input(small, what="element file", max_bytes=3, fix="x") == b"abc"


def test_read_csv_reports_special_files_as_problems(tmp_path):
    from orbitview.util.csvfile import read_csv
    fifo = tmp_path / "sensors.csv"
    os.mkfifo(fifo)
    table = _prompt(read_csv, fifo, ("name",), "fix")
    assert not table.rows and "is a FIFO (named pipe)" in table.problems[0].what


# =========================================================================== messages

OSC = "\x1b]0;pwned\x07"


def test_printable_escapes_what_a_terminal_would_act_on():
    from orbitview.util.text import printable
    assert printable(f"evil{OSC}.tle") == "evil\\x1b]0;pwned\\x07.tle"
    assert printable("a\r\x9bb\u202egnp.exe") == "a\\x0d\\x9bb\\u202egnp.exe"
    assert printable("bad byte \udcff") == "bad byte \\xff"          # surrogateescape'd
    assert printable("two\nlines\tand a tab, Ａ, ٣, °") == "two\nlines\tand a tab, Ａ, ٣, °"
    once = printable(f"x{OSC}")
    assert printable(once) == once


def test_errors_show_file_names_and_evidence_escaped():
    from orbitview.util.errors import DataError, Problem, UsageError
    e = DataError([Problem(f"/tmp/evil{OSC}.tle", 3, f"bad {OSC}", f"line {OSC}", "fix it")])
    text = str(e)
    assert "\x1b" not in text and "\x07" not in text
    assert "/tmp/evil\\x1b]0;pwned\\x07.tle:3: bad" in text
    assert "\x1b" not in str(UsageError(f"--tz {OSC}")) and "\x1b" not in \
        e.problems[0].message()


def test_a_data_error_of_a_huge_file_shows_the_first_problems_and_a_count():
    from orbitview.util.errors import MAX_PROBLEMS_SHOWN, DataError, Problem
    problems = [Problem("junk.tle", i, "name line without its pair of TLE lines",
                        f"junk line {i}", "add the two TLE lines") for i in range(1, 100_001)]
    text = str(DataError(problems))
    assert len(text.splitlines()) <= 100
    assert "junk.tle:1: name line" in text and f"junk.tle:{MAX_PROBLEMS_SHOWN + 1}:" not in text
    assert f"... and {100_000 - MAX_PROBLEMS_SHOWN:,} more problem(s) in junk.tle" in text
    assert text.rstrip().splitlines()[-1].startswith("Fix: ")


# =========================================================================== the config file

CONFIG_WITH_EXTRAS = ('# my station at home; do not lose this note\n'
                      'site = "Lahore"\n'
                      'min_elevaton = 5\n'
                      '\n[extra]\nfoo = 1\n')


def test_config_set_edits_only_its_line(tmp_path):
    import tomllib

    from orbitview.data.config import read_config, set_value
    path = tmp_path / "config.toml"
    path.write_text(CONFIG_WITH_EXTRAS)
    path.chmod(0o600)
    set_value("tz", "UTC", path)
    set_value("site", "Karachi", path)
    text = path.read_text()
    assert text == ('# my station at home; do not lose this note\n'
                    'site = "Karachi"\n'
                    'min_elevaton = 5\n'
                    'tz = "UTC"\n'
                    '\n[extra]\nfoo = 1\n')
    assert tomllib.loads(text)["extra"] == {"foo": 1}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    set_value("site", None, path)
    assert 'site' not in tomllib.loads(path.read_text())
    assert read_config(path).written == frozenset({"tz"})


def test_config_set_refuses_what_it_cannot_edit_on_one_line(tmp_path):
    from orbitview.data.config import ConfigError, set_value
    path = tmp_path / "config.toml"
    original = b'site = "Lahore"\n[tz]\nname = "UTC"\n'        # tz is a table here
    path.write_bytes(original)
    with pytest.raises(ConfigError, match=r"cannot change on its own line .*; nothing was "
                                          "written"):
        set_value("tz", "UTC", path)
    assert path.read_bytes() == original


def test_config_set_holds_the_lock_through_its_read_modify_write(tmp_path, monkeypatch):
    from filelock import FileLock, Timeout

    from orbitview.data import config
    from orbitview.util import atomic
    path = tmp_path / "config.toml"
    held = []
    real = atomic.atomic_write_text

    def check_then_write(p, text, **kw):
        other = FileLock(path.parent / f".{path.name}.lock", timeout=0)
        result = {}

        def try_lock():                      # another thread is another writer
            try:
                other.acquire()
                other.release()
                result["free"] = True
            except Timeout:
                result["free"] = False
        t = threading.Thread(target=try_lock)
        t.start()
        t.join()
        held.append(not result["free"])
        real(p, text, **kw)
    monkeypatch.setattr(atomic, "atomic_write_text", check_then_write)
    config.set_value("tz", "UTC", path)
    config.set_value("min_elevation", "5", path)
    assert held == [True, True]
    assert config.read_config(path).as_dict()["tz"] == "UTC"


def test_concurrent_config_set_keeps_every_key(tmp_path):
    """Processes racing to set different keys, 15 rounds: each key survives every round."""
    import subprocess
    import sys
    path = tmp_path / "config.toml"
    child = ("import sys; from pathlib import Path; from orbitview.data.config import set_value\n"
             "for i in range(15): set_value(sys.argv[1], sys.argv[2], Path(sys.argv[3]))\n")
    procs = [subprocess.Popen([sys.executable, "-c", child, k, v, str(path)])
             for k, v in (("tz", "UTC"), ("min_elevation", "5"), ("auto_update", "never"),
                          ("site", "Karachi"))]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0, 0]
    from orbitview.data.config import read_config
    assert read_config(path).written == {"tz", "min_elevation", "auto_update", "site"}


def test_config_special_files_are_problems_not_hangs(tmp_path):
    from orbitview.data.config import ConfigError, read_config, set_value
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.toml"
    zero.symlink_to("/dev/zero")
    for path, kind in ((fifo, "FIFO"), (zero, "character device"), (tmp_path, "directory")):
        config = _prompt(read_config, path)
        assert kind in config.problems[0].what and config.unreadable
        with pytest.raises(ConfigError, match=kind):
            _prompt(set_value, "tz", "UTC", path)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and zero.is_symlink()


# =========================================================================== element files

def _omm_file(path, **changes):
    path.write_text(json.dumps([{**PAKSAT_MM1_OMM, **changes}]))
    return path


def test_an_empty_element_file_is_called_empty(tmp_path):
    from orbitview.data.external import read_elements_file
    from orbitview.util.errors import DataError
    for text in ("", "\n  \n"):
        (tmp_path / "empty.tle").write_text(text)
        with pytest.raises(DataError, match="the element file is empty") as e:
            read_elements_file(tmp_path / "empty.tle")
        assert "JSON" not in str(e.value)


def test_an_element_file_that_is_not_a_regular_file_is_a_usage_error(tmp_path):
    from orbitview.data.external import read_elements_file
    from orbitview.util.errors import UsageError
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    _release_fifo(fifo)
    with pytest.raises(UsageError, match="--elements .* is a FIFO"):
        _prompt(read_elements_file, fifo)


def test_another_object_under_a_records_number_is_refused_naming_both(catalog, tmp_path):
    from orbitview.data.external import CatalogView, Resolver, read_elements_file
    from orbitview.util.errors import DataError
    # PakSat-MM1's elements, but PRSS-1's NORAD number and a third object's COSPAR id.
    path = _omm_file(tmp_path / "posing.json", NORAD_CAT_ID=43530, OBJECT_NAME="NOT PRSS",
                     OBJECT_ID="2019-074B")
    resolver = Resolver(catalog, read_elements_file(path))
    for query in ("PRSS-1", "43530", "2018-056B"):
        with pytest.raises(DataError) as e:
            resolver.resolve(query)
        text = str(e.value)
        for needle in ("posing.json", "NORAD 43530 is PRSS-1 (2018-056B)", "2019-074B",
                       "Fix: "):
            assert needle in text, text
    view = CatalogView(catalog, resolver)
    assert "PRSS-1" not in [s.name for s in view.with_elements()]       # left out of --all
    assert resolver.resolve("PakSat-MM1").require_elements()           # the rest works
    # The catalogue itself is untouched: without the file PRSS-1 is PRSS-1 again.
    prss1 = Resolver(catalog, []).resolve("PRSS-1")
    assert prss1.require_elements() and not prss1.problems
    assert all(es.cospar_id == "2018-056B" for es in prss1.elements)   # nothing merged in


def test_a_records_cospar_id_under_another_number_is_refused(catalog, tmp_path):
    from orbitview.data.external import CatalogView, Resolver, read_elements_file
    from orbitview.util.errors import DataError
    path = _omm_file(tmp_path / "twin.json", NORAD_CAT_ID=900001, OBJECT_NAME="TWIN")
    resolver = Resolver(catalog, read_elements_file(path))
    with pytest.raises(DataError, match="COSPAR id 2024-104A is PakSat-MM1 .* NORAD 900001"):
        resolver.resolve("900001").require_elements()
    assert all(s.norad_id != 900001 for s in CatalogView(catalog, resolver).with_elements())


def test_one_number_under_two_names_keeps_both_and_says_so(catalog, tmp_path):
    from orbitview.data.external import Resolver, read_elements_file
    rec = {**PAKSAT_MM1_OMM, "NORAD_CAT_ID": 900002, "OBJECT_ID": "2026-998A",
           "OBJECT_NAME": "FIRST NAME"}
    newer = {**rec, "OBJECT_NAME": "OTHER NAME", "EPOCH": "2026-09-08T02:21:37.775232"}
    (tmp_path / "two.json").write_text(json.dumps([rec, newer]))
    resolver = Resolver(catalog, read_elements_file(tmp_path / "two.json"))
    assert resolver.resolve("OTHER NAME") is resolver.resolve("first name") \
        is resolver.resolve("900002")
    [note] = resolver.notes
    assert "NORAD 900002 is named 'FIRST NAME'" in note and "'OTHER NAME'" in note


def test_names_from_element_files_carry_no_escape_codes(tmp_path):
    from orbitview.data.external import read_elements_file
    path = _omm_file(tmp_path / "esc.json", NORAD_CAT_ID=900003, OBJECT_ID="2026-997A",
                     OBJECT_NAME=f"STAR{OSC}LINK")
    [sat] = read_elements_file(path)
    assert sat.name == "STAR\\x1b]0;pwned\\x07LINK"


# =========================================================================== targets

EARTH_RADIUS_KM = 6371.0088
AREA_TOLERANCE = 0.01
"""The target's area is on the WGS84 ellipsoid; a sphere's differs by under 1 %."""


def _box(path, west, east, south, north):
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    path.write_text(json.dumps({"type": "Polygon", "coordinates": [ring]}))
    return path


def test_a_polygon_across_the_antimeridian_is_split_and_sampled_inside(tmp_path):
    from orbitview.data.targets import read_geojson_target
    t = read_geojson_target(_box(tmp_path / "am.geojson", 179.0, -179.0, -1.0, 1.0))
    sphere = EARTH_RADIUS_KM ** 2 * np.radians(2.0) * 2 * np.sin(np.radians(1.0))
    assert t.area_km2 == pytest.approx(sphere, rel=AREA_TOLERANCE)
    assert np.all(np.abs(t.lon_deg) >= 179.0) and np.all(np.abs(t.lat_deg) <= 1.0)
    assert (t.lon_deg > 0).any() and (t.lon_deg < 0).any()
    assert 1000 <= len(t.lat_deg) <= 2000 and t.spacing_deg < 0.1
    assert t.radius_deg < 2.0


def test_a_polygon_that_does_not_cross_is_as_before(tmp_path):
    from shapely.geometry import Polygon

    from orbitview.data.targets import read_geojson_target, split_at_antimeridian
    t = read_geojson_target(_box(tmp_path / "pk.geojson", 66.0, 71.0, 24.0, 28.0))
    assert 66.0 < t.lon_deg.min() and t.lon_deg.max() < 71.0
    poly = Polygon([(66, 24), (71, 24), (71, 28), (66, 28)])
    assert split_at_antimeridian(poly).equals(poly)


def test_a_near_global_polygon_is_refused_with_its_figures(tmp_path):
    from orbitview.data.targets import read_geojson_target
    from orbitview.util.errors import DataError
    for w, e in ((-179.9, 179.9), (-180.0, 180.0)):
        with pytest.raises(DataError, match=r"too large to be one place to image") as err:
            read_geojson_target(_box(tmp_path / "world.geojson", w, e, -89.0, 89.0))
        assert "world.geojson" in str(err.value) and "km2" in str(err.value)
    with pytest.raises(DataError, match="a ring goes once round a pole"):
        ring = [[lon, 80.0] for lon in (0, 90, 180, -90, 0)]
        (tmp_path / "cap.geojson").write_text(json.dumps({"type": "Polygon",
                                                          "coordinates": [ring]}))
        read_geojson_target(tmp_path / "cap.geojson")


def test_a_deeply_nested_geojson_is_a_data_error(tmp_path):
    from orbitview.data.targets import read_geojson_target
    from orbitview.util.errors import DataError
    path = tmp_path / "deep.geojson"
    path.write_text('{"type": "Polygon", "coordinates": ' + "[" * 100_000 + "]" * 100_000
                    + "}")
    with pytest.raises(DataError, match="deep.geojson: JSON nested too deeply"):
        read_geojson_target(path)


# =========================================================================== exports

def test_csv_of_no_passes_keeps_the_columns():
    from orbitview.products.export import tabular
    header = tabular.passes([], [], [], {}).decode().splitlines()
    assert header == [",".join(tabular.PASS_COLUMNS + ["wkt"])]


def test_czml_leaves_out_an_object_without_any_position(tmp_path):
    import warnings

    from orbitview.products.export import czml
    from orbitview.products.export.records import Track
    t0 = dt.datetime(2026, 6, 15, tzinfo=UTC)
    times = [t0 + dt.timedelta(minutes=k) for k in range(5)]
    nan = np.full(5, np.nan)

    def track(norad, itrs):
        return Track(name=f"S{norad}", norad_id=norad, cospar_id="", colour="#123456",
                     times_utc=times, lat_deg=itrs[:, 0] * 0, lon_deg=itrs[:, 0] * 0,
                     altitude_km=itrs[:, 0] * 0, itrs_km=itrs, epoch_age_days=nan.copy(),
                     element_index=np.zeros(5, int),
                     elements=[{"epoch_utc": t0, "source": "test", "origin": "test"}],
                     is_geo=False)
    dead = track(1, np.full((5, 3), np.nan))
    half = np.full((5, 3), np.nan)
    half[2:] = [7000.0, 0.0, 0.0]
    alive = track(2, half)
    meta = {"title": "t", "start_utc": times[0], "end_utc": times[-1]}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc = json.loads(czml.tracks([dead, alive], meta))
    ids = [p["id"] for p in doc]
    assert ids == ["document", "sat-2"]
    assert "Left out: S1 (1)" in doc[0]["description"]
    assert len(doc[1]["position"]["cartesian"]) == 3 * 4          # the 3 valid samples
