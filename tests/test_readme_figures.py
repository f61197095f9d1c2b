"""scripts/readme_figures.py: the script that remakes the README's figures names each
command, makes what it is asked for, and refuses before any work when a piece is missing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "readme_figures.py"


def _run(*args, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_every_shown_image_has_a_recipe():
    """Every figure the README (docs/img/NAME.png) or a page of the documentation site
    (img/NAME.png, ../img/NAME.png) shows is one the script makes, and each it makes is
    shown somewhere."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\(docs/img/([\w-]+)\.png\)", readme))
    for page in (ROOT / "docs").rglob("*.md"):
        shown |= set(re.findall(r"\]\((?:\.\./)*img/([\w-]+)\.png\)",
                                page.read_text(encoding="utf-8")))
    listed = {line.split()[0] for line in _run("--list").stdout.splitlines()}
    assert shown and shown == listed


def test_one_figure_is_made_by_the_printed_command(tmp_path):
    done = _run("--only", "history", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert f"$ python -m orbitview history -o {tmp_path / 'history.png'}" in done.stdout
    from PIL import Image
    with Image.open(tmp_path / "history.png") as im:
        assert im.format == "PNG" and im.size == (1950, 1230)     # 13 x 8.2 in at 150 dpi
    assert [p.name for p in tmp_path.iterdir()] == ["history.png"]


def test_missing_browser_is_refused_before_any_work(tmp_path):
    done = _run("--only", "history", "--only", "map", "--out", str(tmp_path / "img"),
                env_extra={"ORBITVIEW_CHROMIUM": str(tmp_path / "no-such-chromium")})
    assert done.returncode == 1
    assert "cannot make map: " in done.stderr
    assert f"ORBITVIEW_CHROMIUM={tmp_path / 'no-such-chromium'} is not a file" in done.stderr
    assert "Fix: apt-get install chromium" in done.stderr
    assert not (tmp_path / "img").exists()                      # nothing made, not even history
    assert "$ python -m orbitview" not in done.stdout


def test_unknown_figure_name_lists_the_figures():
    done = _run("--only", "trackz")
    assert done.returncode == 2
    assert "no figure named trackz" in done.stderr and "tracks, history" in done.stderr
