"""Hostile command-line values: every one is refused at the boundary, before any work.

A value an option cannot take (not a number, NaN, infinite, zero for a step, out of
range, a date no calendar or ephemeris covers, a site off the globe, an output path that
is not a regular file) is a usage error: exit status 2, the option named, a ``Fix:``
line, no traceback.  Problems in files (a mask that is not UTF-8, a bad sites.csv row)
are data errors: exit status 1, naming the file and line.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import stat
import subprocess
import sys

import click
import pytest
from conftest import run_cli
from hypothesis import example, given, settings
from hypothesis import strategies as st

from orbitview.cli import params

T0 = "2026-09-07T00:00:00Z"


def assert_clean(status: int, err: str) -> None:
    """No traceback, no 'unexpected' internal error, a known exit status."""
    assert status in (0, 1, 2), (status, err)
    assert "Traceback" not in err and "unexpected" not in err and "a bug" not in err, err


def assert_usage(args, option: str, *fragments: str) -> str:
    status, out, err = run_cli(*args)
    assert_clean(status, err)
    assert status == 2, (args, status, err)
    assert f"Invalid value for {option}" in err or f"{option}" in err, err
    assert "Fix:" in err, err
    for f in fragments:
        assert f in err, (f, err)
    assert out == ""
    return err


FIG = "/nonexistent-dir-is-never-reached/x.png"

HOSTILE = [
    # positions
    (("positions", "PRSS-1", "--start", T0, "--hours", "1", "--step", "nan"), "'--step'",
     "'nan' is not a finite number"),
    (("positions", "PRSS-1", "--start", T0, "--hours", "1", "--step", "inf"), "'--step'",
     "not a finite number"),
    (("positions", "PRSS-1", "--start", T0, "--hours", "1", "--step", "0"), "'--step'",
     "0 is outside the supported range (at least 0.01 and at most 86400 s)"),
    (("positions", "PRSS-1", "--start", T0, "--hours", "1", "--step", "-5"), "'--step'",
     "-5 is outside"),
    (("positions", "PRSS-1", "--start", T0, "--hours", "1", "--step", "1e-6"), "'--step'",
     "1e-06 is outside"),
    (("positions", "PRSS-1", "--start", T0, "--hours", "nan"), "'--hours'", "not a finite"),
    (("positions", "PRSS-1", "--start", T0, "--hours", "1e9"), "'--hours'",
     "1e+09 is outside"),
    (("positions", "PRSS-1", "--start", T0, "--hours", "-1"), "'--hours'", "-1 is outside"),
    (("positions", "PRSS-1", "--start", "0001-01-01T00:00+05:00", "--hours", "1"),
     "'--start'", "falls outside the calendar once converted to UTC"),
    (("positions", "PRSS-1", "--start", "1850-01-01", "--hours", "1"), "'--start'",
     "is outside the dates orbitview supports, 1957-10-02 to 2053-09-30 UTC"),
    (("positions", "PRSS-1", "--start", "2060-01-01", "--hours", "1"), "'--start'",
     "2060-01-01T00:00:00Z is outside the dates orbitview supports"),
    (("positions", "PRSS-1", "--start", "2026-13-01"), "'--start'", "is not an ISO 8601 time"),
    (("positions", "PRSS-1", "--start", "9" * 5000), "'--start'", "is not an ISO 8601 time"),
    # track
    (("track", "PRSS-1", "--before", "nan", "-o", "x.png"), "'--before'", "not a finite"),
    (("track", "PRSS-1", "--after", "inf", "-o", "x.png"), "'--after'", "not a finite"),
    (("track", "PRSS-1", "--after", "-1", "-o", "x.png"), "'--after'", "-1 is outside"),
    (("track", "PRSS-1", "--orbits", "1e5", "-o", "x.png"), "'--orbits'",
     "100000 is outside the supported range (more than 0 and at most 50 orbits)"),
    (("track", "PRSS-1", "--orbits", "nan", "-o", "x.png"), "'--orbits'", "not a finite"),
    (("track", "PRSS-1", "--central-longitude", "nan", "-o", "x.png"),
     "'--central-longitude'", "not a finite"),
    (("track", "PRSS-1", "--central-longitude", "-inf", "-o", "x.png"),
     "'--central-longitude'", "not a finite"),
    (("track", "PRSS-1", "--central-longitude", "1000", "-o", "x.png"),
     "'--central-longitude'", "1000 is outside"),
    (("track", "PRSS-1", "--dpi", "0", "-o", "x.png"), "'--dpi'", "0 is outside"),
    (("track", "PRSS-1", "--dpi", "-5", "-o", "x.png"), "'--dpi'", "-5 is outside"),
    (("track", "PRSS-1", "--dpi", "100000", "-o", "x.png"), "'--dpi'",
     "100000 is outside the supported range (at least 20 and at most 600 dots per inch)"),
    (("track", "PRSS-1", "--dpi", "1" + "0" * 5000, "-o", "x.png"), "'--dpi'",
     "is not a whole number"),
    (("track", "PRSS-1", "--step", "0", "-o", "x.png"), "'--step'", "0 is outside"),
    (("track", "PRSS-1", "--region", "nan,80,20,30", "-o", "x.png"), "'--region'",
     "is not a box"),
    (("track", "PRSS-1", "--at", "2053-10-09T00:00:00Z", "-o", "x.png"), "'--at'",
     "outside the dates orbitview supports"),
    (("track", "PRSS-1", "-o", FIG), "'-o' / '--output'", "does not exist"),
    # passes, look, footprint, coverage
    (("passes", "PRSS-1", "--site", "33.68,73.05", "--days", "0"), "'--days'", "0 is outside"),
    (("passes", "PRSS-1", "--site", "33.68,73.05", "--days", "nan"), "'--days'", "not a finite"),
    (("passes", "PRSS-1", "--site", "33.68,73.05", "--days", "1e9"), "'--days'",
     "1e+09 is outside"),
    (("passes", "PRSS-1", "--site", "33.68,73.05", "--min-elevation", "nan"),
     "'--min-elevation'", "not a finite"),
    (("passes", "PRSS-1", "--site", "33.68,73.05", "--min-elevation", "91"),
     "'--min-elevation'", "91 is outside"),
    (("passes", "PRSS-1", "--site", "133,70"), "'--site'",
     "latitude 133 is outside -90 to 90 degrees"),
    (("passes", "PRSS-1", "--site", "33,70,nan"), "'--site'",
     "coordinates must be finite numbers"),
    (("passes", "PRSS-1", "--site", "33,70,inf"), "'--site'", "must be finite"),
    (("passes", "PRSS-1", "--site", "33,70,-1e6"), "'--site'",
     "height -1e+06 m is outside -500 to 9000 m"),
    (("passes", "PRSS-1", "--site", ""), "'--site'", "the site is empty"),
    (("passes", "PRSS-1", "--site", "33.68,73.05", "--start", "2053-09-29T12:00Z"), "",
     "the requested span 2053-09-29T12:00:00Z to 2053-09-30T12:00:00Z is outside the dates"),
    (("look", "PakSat-MM1", "--site", "24.86,67.0", "--at", "1899-01-01"), "'--at'",
     "outside the dates orbitview supports"),
    (("look", "PakSat-MM1", "--site", "24.86,67.0", "--mask", "/no/such/mask.csv"), "'--mask'",
     "does not exist"),
    (("footprint", "PakSat-MM1", "--dpi", "0", "-o", "x.png"), "'--dpi'", "0 is outside"),
    (("coverage", "PRSS-1", "--hours", "1e9"), "'--hours'", "1e+09 is outside"),
    (("coverage", "PRSS-1", "--hours", "0"), "'--hours'", "0 is outside"),
    (("coverage", "PRSS-1", "--resolution", "nan"), "'--resolution'", "not a finite"),
    (("coverage", "PRSS-1", "--resolution", "0"), "'--resolution'", "0 is outside"),
    (("coverage", "PRSS-1", "--step", "inf"), "'--step'", "not a finite"),
    # records and element sets
    (("launches", "--since", "0000"), "'--since'", "'0000' is not a calendar year"),
    (("launches", "--until", "nan"), "'--until'", "is not an ISO 8601 time"),
    (("history", "-o", "h.png", "--dpi", "100000"), "'--dpi'", "100000 is outside"),
    (("tle", "history", "PRSS-1", "-o", "h.png", "--dpi", "nan"), "'--dpi'",
     "'nan' is not a whole number"),
    (("tle", "status", "--at", "0001-01-01T00:00+05:00"), "'--at'",
     "falls outside the calendar"),
]


@pytest.mark.parametrize("args,option,fragment", HOSTILE,
                         ids=[" ".join(a[0][:1] + a[0][-2:]) for a in HOSTILE])
def test_hostile_value_is_refused_before_any_work(args, option, fragment, monkeypatch):
    # Data that cannot be read: a command that did any work before checking its options
    # would fail on the data instead of on the value.
    monkeypatch.setenv("ORBITVIEW_DATA_DIR", "/nonexistent/orbitview-data")
    if "the requested span" in fragment:      # checked after the options, before propagating
        monkeypatch.delenv("ORBITVIEW_DATA_DIR")
    assert_usage(args, option, fragment)


def test_values_at_the_ends_of_the_range_are_accepted(tmp_path):
    status, out, err = run_cli("positions", "PRSS-1", "--start", "2053-09-29T23:00:00Z",
                               "--hours", "1", "--step", "86400", "--format", "json")
    assert status == 0, err
    assert json.loads(out)[0]["time_utc"] == "2053-09-29T23:00:00Z"
    status, out, err = run_cli("positions", "PRSS-1", "--start", T0, "--hours", "0",
                               "--step", "0.01", "--format", "json")
    assert status == 0, err
    assert len(json.loads(out)) == 1


def test_non_utf8_mask_is_a_data_error_naming_the_file(tmp_path):
    mask = tmp_path / "mask.csv"
    mask.write_bytes(b"azimuth_deg,min_elevation_deg\n0,5\n90,\xff\xfe12\n")
    status, _, err = run_cli("look", "PakSat-MM1", "--site", "Karachi", "--at", T0,
                             "--mask", str(mask))
    assert_clean(status, err)
    assert status == 1
    assert f"{mask}:3: not UTF-8 text" in err and "Fix: save the file as UTF-8" in err


def test_bad_sites_csv_row_affects_only_that_site(data_copy):
    sites = data_copy / "sites.csv"
    rows = sites.read_text().splitlines()
    rows.append("Skardu,133,70,2228,Gilgit-Baltistan,made-up bad row for a test")
    sites.write_text("\n".join(rows) + "\n")
    status, _, err = run_cli("look", "PakSat-MM1", "--site", "Skardu", "--at", T0)
    assert_clean(status, err)
    assert status == 1
    assert f"{sites}:12: latitude 133 is outside -90 to 90 degrees" in err
    status, out, err = run_cli("look", "PakSat-MM1", "--site", "Karachi", "--at", T0,
                               "--format", "json")
    assert status == 0, err
    assert json.loads(out)[0]["site"] == "Karachi"


def test_southern_and_western_sites_are_labelled_so():
    from orbitview.data.sites import Site
    assert Site("Cape Town", -33.9, 18.4, 10).label() == \
        "Cape Town (33.9000\u00b0S, 18.4000\u00b0E, 10 m)"
    assert Site("Lima", -12.05, -77.04, 150).label() == \
        "Lima (12.0500\u00b0S, 77.0400\u00b0W, 150 m)"
    status, out, err = run_cli("look", "PakSat-MM1", "--site", "-33.9,18.4,10", "--at", T0)
    assert status == 0, err
    assert "(33.9000\u00b0S, 18.4000\u00b0E, 10 m)" in out


# --------------------------------------------------------------------------- output paths

def _figure_args(path):
    return ("history", "-o", str(path))


def test_symlink_output_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "real.png"
    target.write_bytes(b"precious")
    link = tmp_path / "link.png"
    link.symlink_to(target)
    err = assert_usage(_figure_args(link), "'-o' / '--output'", "is a symbolic link",
                       "only creates or replaces regular files")
    assert link.is_symlink() and target.read_bytes() == b"precious"
    assert "link.png" in err


def test_fifo_output_is_refused(tmp_path):
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    assert_usage(_figure_args(fifo), "'-o' / '--output'", "is a FIFO (named pipe)")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_device_output_is_refused(tmp_path):
    if os.geteuid() != 0:
        pytest.skip("creating a device node needs root")
    dev = tmp_path / "full.csv"
    os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 7))   # the same device as /dev/full
    assert_usage(("coverage", "PRSS-1", "--grid-csv", str(dev)), "'--grid-csv'",
                 "is a character device")
    assert stat.S_ISCHR(os.lstat(dev).st_mode)


def test_directory_output_is_refused(tmp_path):
    (tmp_path / "d.png").mkdir()
    assert_usage(_figure_args(tmp_path / "d.png"), "'-o' / '--output'", "is a directory")


def _limit_file_size():
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def test_write_failure_names_the_users_path_and_keeps_the_old_file(tmp_path):
    # A real write failure: the file-size limit (as a full disk would) stops the figure.
    out = tmp_path / "history.png"
    out.write_bytes(b"old figure")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    result = subprocess.run([sys.executable, "-m", "orbitview", "history", "-o", str(out)],
                            capture_output=True, text=True, env=env, cwd=tmp_path,
                            preexec_fn=_limit_file_size, timeout=300)
    assert result.returncode == 1, result.stderr
    assert f"orbitview: error: cannot write {out}: File too large" in result.stderr
    assert "the previous file (if any) is unchanged" in result.stderr
    assert "Fix: the file would exceed the file-size limit" in result.stderr
    assert "orbitview-tmp" not in result.stderr and "Traceback" not in result.stderr
    assert out.read_bytes() == b"old figure"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.png"]


def test_atomic_write_refuses_non_regular_targets_at_write_time(tmp_path):
    from orbitview.util.atomic import atomic_write_text
    from orbitview.util.errors import UsageError
    os.mkfifo(tmp_path / "f.json")
    with pytest.raises(UsageError, match="is a FIFO"):
        atomic_write_text(tmp_path / "f.json", "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


# --------------------------------------------------------------------------- fuzzing

CLI_FUZZ = settings(max_examples=max(25, settings.default.max_examples // 4))

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.floats(min_value=-1e6, max_value=1e6).map(lambda x: f"{x:.6g}"),
    st.integers(-10**40, 10**40).map(str),
    st.sampled_from(["nan", "-inf", "1e309", "0x10", "", " ", "1_0", "\u0663", "1e-320",
                     "9" * 5000]),
    st.text(max_size=12),
)


@pytest.mark.parametrize("ptype", [params.STEP_S, params.HOURS, params.COVERAGE_HOURS,
                                   params.DAYS, params.MINUTES, params.ORBITS,
                                   params.LONGITUDE, params.DPI, params.RESOLUTION_DEG,
                                   params.MIN_ELEVATION_DEG], ids=repr)
@settings(max_examples=max(50, settings.default.max_examples // 2))
@given(text=numbers)
def test_number_types_accept_only_finite_values_in_range(ptype, text):
    try:
        value = ptype.convert(text, None, None)
    except click.BadParameter as e:
        assert "Fix: give" in e.format_message()
        return
    assert value == value and abs(value) != float("inf")
    assert ptype.min is None or (value > ptype.min if ptype.min_open else value >= ptype.min)
    assert ptype.max is None or (value < ptype.max if ptype.max_open else value <= ptype.max)


@CLI_FUZZ
@given(option=st.sampled_from(["--step", "--hours"]), value=numbers)
@example(option="--step", value="1e-6")
@example(option="--hours", value="1e9")
def test_fuzz_positions_numbers(option, value):
    other = ("--hours", "0.02") if option == "--step" else ("--step", "86400")
    status, out, err = run_cli("positions", "PRSS-1", "--start", T0, *other, option, value,
                               "--format", "json")
    assert_clean(status, err)
    if status == 0:
        rows = json.loads(out)
        assert rows and all(-90 <= r["lat_deg"] <= 90 for r in rows)
    else:
        assert status == 2 and f"Invalid value for '{option}'" in err and "Fix:" in err


times = st.one_of(
    st.datetimes(timezones=st.timezones()).map(lambda t: t.isoformat()),
    st.datetimes().map(lambda t: t.isoformat(timespec="minutes") + "Z"),
    st.text(max_size=30),
    st.sampled_from(["now", "0001-01-01T00:00+05:00", "9999-12-31T23:59-05:00", "0000",
                     "2026-02-30", "2026-11-21T24:00Z", "--", ""]),
)


@CLI_FUZZ
@given(when=times)
@example(when="0001-01-01T00:00+05:00")
def test_fuzz_time_options(when):
    status, out, err = run_cli("positions", "PakSat-MM1", "--start", when, "--hours", "0",
                               "--format", "json")
    assert_clean(status, err)
    if status == 0:
        [row] = json.loads(out)
        assert "1957-10-02" <= row["time_utc"] <= "2053-09-30T00:00:00Z"
    else:
        assert status == 2 and "Invalid value for '--start'" in err and "Fix:" in err
    status, out, err = run_cli("tle", "status", "PRSS-1", "--at", when, "--format", "json")
    assert_clean(status, err)
    assert status in (0, 2)


@CLI_FUZZ
@given(lat=numbers, lon=numbers, height=numbers)
@example(lat="133", lon="70", height="0")
@example(lat="33", lon="70", height="nan")
def test_fuzz_sites(lat, lon, height):
    site = f"{lat},{lon},{height}"
    status, out, err = run_cli("look", "PakSat-MM1", "--site", site, "--at", T0,
                               "--format", "json")
    assert_clean(status, err)
    if status == 0:
        [row] = json.loads(out)
        assert -90 <= row["site_lat_deg"] <= 90 and -180 <= row["site_lon_deg"] < 180
        assert -500 <= row["site_height_m"] <= 9000
    else:
        assert status == 2 and "Invalid value for '--site'" in err and "Fix:" in err


def _commands(group, path=()):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, path + (name,))
        else:
            yield path + (name,), cmd


def test_every_numeric_option_of_every_command_is_checked():
    # Raw click FLOAT/INT accept NaN, inf and any size: every command uses the shared
    # types of orbitview.cli.params (or its own subclass of them) instead.
    from orbitview.cli import cli
    raw = [(" ".join(path), max(p.opts, key=len)) for path, cmd in _commands(cli)
           for p in cmd.params
           if isinstance(p.type, (click.types.FloatParamType, click.types.IntParamType))]
    assert raw == []
