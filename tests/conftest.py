"""Shared fixtures: bundled data, isolated user directory, broken data copies."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Hypothesis: CI must not pass or fail by luck, so CI=true runs a fixed, derandomised
# profile (the same examples every run, no example database); a local run explores
# more, at random, and keeps what it finds in .hypothesis/.  Every failure ever found
# is kept in the tests as an explicit @example.  HYPOTHESIS_PROFILE overrides.
settings.register_profile("ci", derandomize=True, database=None, max_examples=200,
                          deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=600, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", max_examples=5000, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev"))

# Markers, so that a developer can run the quick suite alone
# (pytest -m "not slow and not browser and not dask"); CI runs everything.
SLOW_FILES = {"test_hostile_newer.py", "test_fuzz.py", "test_install.py",
              "test_memory_bounds.py"}
"""Files whose tests start many processes or build wheels: minutes, not seconds."""


def pytest_collection_modifyitems(config, items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "browser_page" in fixtures or "playwright_session" in fixtures:
            item.add_marker(pytest.mark.browser)
        if item.path.name == "test_distributed.py" or "dask" in item.name.lower() \
                or "cluster" in fixtures:
            item.add_marker(pytest.mark.dask)
        if item.path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
TESTDATA = Path(__file__).resolve().parent / "data"


# PakSat-MM1's newest bundled TLE (data/tles/59915.tle) written as CelesTrak OMM fields.
PAKSAT_MM1_OMM = {
    "OBJECT_NAME": "PAKSAT-MM1", "OBJECT_ID": "2024-104A", "EPOCH": "2026-09-07T02:21:37.775232",
    "MEAN_MOTION": 1.00269514, "ECCENTRICITY": 0.0001995, "INCLINATION": 0.037,
    "RA_OF_ASC_NODE": 224.0079, "ARG_OF_PERICENTER": 305.2912, "MEAN_ANOMALY": 250.4932,
    "EPHEMERIS_TYPE": 0, "CLASSIFICATION_TYPE": "U", "NORAD_CAT_ID": 59915, "ELEMENT_SET_NO": 999,
    "REV_AT_EPOCH": 834, "BSTAR": 0, "MEAN_MOTION_DOT": 1.36e-6, "MEAN_MOTION_DDOT": 0}


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    """No test reads the user's real directories or a stray data override."""
    monkeypatch.setenv("ORBITVIEW_USER_DIR", str(tmp_path_factory.mktemp("user")))
    monkeypatch.delenv("ORBITVIEW_DATA_DIR", raising=False)
    monkeypatch.setenv("ORBITVIEW_CELESTRAK_URL", "http://127.0.0.1:9/unreachable")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("ORBITVIEW_CONFIG", str(tmp_path_factory.mktemp("config") / "config.toml"))
    monkeypatch.delenv("ORBITVIEW_NOW", raising=False)


@pytest.fixture()
def user_dir(tmp_path, monkeypatch):
    """An empty user directory (element store) for this test."""
    d = tmp_path / "user"
    monkeypatch.setenv("ORBITVIEW_USER_DIR", str(d))
    return d


@pytest.fixture()
def server(monkeypatch):
    """A gp.php look-alike on 127.0.0.1 (tests/gpserver.py) that orbitview fetches from."""
    from gpserver import Server
    s = Server()
    monkeypatch.setenv("ORBITVIEW_CELESTRAK_URL", s.url)
    yield s
    s.close()


@pytest.fixture()
def data_copy(tmp_path, monkeypatch):
    """A writable copy of the bundled data, used via ORBITVIEW_DATA_DIR."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv("ORBITVIEW_DATA_DIR", str(target))
    return target


@pytest.fixture(scope="session")
def catalog():
    from orbitview.data.catalog import load_catalog
    return load_catalog(DATA)


def run_cli(*args: str):
    """Run the real entry point in-process; return (exit status, stdout, stderr)."""
    import contextlib
    import io

    from orbitview.cli import main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


# Headless Chromium for the browser tests (tests/browser.py), one Playwright per session.
from browser import browser_page_fixture, playwright_session_fixture  # noqa: E402,F401
