"""What a command loads: only what it uses (start-up time is measured in
scripts/bench_startup.py, never here), and the time scale built without skyfield.api."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import REPO

AT = "2026-09-07T00:00:00Z"

NOT_USED = {
    "rich.console": "tables are drawn by orbitview.products.tables",
    "skyfield.api": "the time scale is built from skyfield.timelib (timeutil.timescale)",
    "urllib.request": "only downloads need the network modules",
    "numpy.ma": "np.unique imports it; nothing here needs masked arrays",
    "matplotlib": "no figure",
    "cartopy": "no map",
}


def _modules_after(*args: str) -> set[str]:
    """Modules loaded by a fresh process that runs ``orbitview ARGS``."""
    code = ("import io, contextlib, json, sys\n"
            "from orbitview.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()), "
            "contextlib.redirect_stderr(io.StringIO()):\n"
            f"    status = main({list(args)!r})\n"
            "print(json.dumps([status, sorted(sys.modules)]))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO, env={"PATH": "", "HOME": str(REPO / "tests"),
                                                    "ORBITVIEW_USER_DIR": "/nonexistent"})
    status, modules = json.loads(out.stdout)
    assert status == 0, out.stderr
    return set(modules)


@pytest.mark.parametrize("args", [
    ("launches",),
    ("tle", "status", "--at", AT),
    ("look", "PakSat-MM1", "--site", "Karachi", "--at", AT),
    ("passes", "PRSS-1", "--site", "Islamabad", "--start", AT, "--days", "1"),
    ("passes", "PRSS-1", "--site", "Islamabad", "--start", AT, "--access", "radio"),
], ids=["launches", "tle-status", "look", "passes-imaging", "passes-radio"])
def test_commands_load_only_what_they_use(args):
    loaded = _modules_after(*args)
    wrongly = {m: why for m, why in NOT_USED.items() if m in loaded}
    assert not wrongly, wrongly


def test_timescale_is_skyfields_builtin_one():
    from skyfield.api import load

    from orbitview.util.timeutil import timescale
    ours, theirs = timescale(), load.timescale(builtin=True)
    for a, b in zip(ours.delta_t_table, theirs.delta_t_table):
        assert np.array_equal(a, b)
    assert np.array_equal(ours.leap_dates, theirs.leap_dates)
    assert np.array_equal(ours.leap_offsets, theirs.leap_offsets)
    # Times across leap seconds and the span orbitview supports: the same TT and UT1.
    seconds = np.linspace(0, 3.0e9, 1001)
    t_ours, t_theirs = ours.utc(1957, 10, 2, 0, 0, seconds), theirs.utc(1957, 10, 2, 0, 0, seconds)
    assert np.array_equal(t_ours.tt, t_theirs.tt)
    assert np.array_equal(t_ours.ut1, t_theirs.ut1)
