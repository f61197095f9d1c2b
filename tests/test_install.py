"""The wheel carries the bundled data, and an installed copy finds it.

Builds the wheel offline (--no-build-isolation uses the hatchling installed by
the test extras), installs it into a temporary --target and runs it from
another directory.
"""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(REPO)], check=True, capture_output=True)
    return next(out.glob("orbitview-*.whl"))


def test_wheel_contains_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "orbitview/_data/launches.csv" in names
    assert "orbitview/_data/tles/43530.tle" in names
    assert "orbitview/_data/tles/provenance.csv" in names


def test_installed_copy_uses_its_bundled_data(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("ORBITVIEW_DATA_DIR", None)
    code = ("import orbitview, orbitview.data.datadir as d; print(orbitview.__file__); "
            "print(d.data_dir()); print(len(orbitview.load_catalog()))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path, env=env, check=True)
    module, directory, count = result.stdout.split()
    assert module.startswith(str(target))
    assert directory == str(target / "orbitview" / "_data")
    assert count == "15"


def test_data_dir_override(tmp_path, monkeypatch):
    from orbitview.data.datadir import data_dir
    from orbitview.util.errors import UsageError
    monkeypatch.setenv("ORBITVIEW_DATA_DIR", str(tmp_path))
    with pytest.raises(UsageError, match="has no launches.csv"):
        data_dir()


def test_installed_copy_writes_an_offline_map(wheel, tmp_path):
    """The wheel carries Leaflet and the page files; the map command works from elsewhere."""
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("leaflet.js", "leaflet.css", "LICENSE", "VENDOR.json"):
        assert f"orbitview/products/webmap/vendor/leaflet/{name}" in names
    for name in ("page.js", "page.css", "template.html"):
        assert f"orbitview/products/webmap/{name}" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("ORBITVIEW_DATA_DIR", None)
    result = subprocess.run([sys.executable, "-m", "orbitview", "map", "PRSS-1", "--start",
                             "2026-11-21T00:00:00Z", "--hours", "1", "-o", "m.html"],
                            capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "Leaflet 1.9.4" in (tmp_path / "m.html").read_text(encoding="utf-8")
