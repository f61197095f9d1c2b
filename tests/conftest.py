"""Shared fixtures: bundled data, isolated user directory, broken data copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
TESTDATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory, monkeypatch):
    """No test reads the user's real directories or a stray data override."""
    monkeypatch.setenv("ORBITVIEW_USER_DIR", str(tmp_path_factory.mktemp("user")))
    monkeypatch.delenv("ORBITVIEW_DATA_DIR", raising=False)
    monkeypatch.setenv("ORBITVIEW_CELESTRAK_URL", "http://127.0.0.1:9/unreachable")
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture()
def data_copy(tmp_path, monkeypatch):
    """A writable copy of the bundled data, used via ORBITVIEW_DATA_DIR."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    monkeypatch.setenv("ORBITVIEW_DATA_DIR", str(target))
    return target


@pytest.fixture(scope="session")
def catalog():
    from orbitview.catalog import load_catalog
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
