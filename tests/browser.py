"""A real headless Chromium (Debian's ``chromium``) driven by Playwright, network blocked.

The browser tests skip only when the browser truly is not there, and never in
CI: with ``CI=true`` a missing browser, Playwright or CesiumJS fails the test,
because ``.ci/run`` installs all three (tests/test_webmap.py runs pytest with each
missing to check it).  ``ORBITVIEW_CHROMIUM`` names another browser binary.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


INSTALL = "install it with 'apt-get install chromium' and 'pip install -e .[test]'"


def chromium_path() -> str | None:
    """ORBITVIEW_CHROMIUM when set (and nothing else: a browser asked for by name that is
    not there is missing), else Debian's chromium on PATH or in /usr/bin."""
    asked = os.environ.get("ORBITVIEW_CHROMIUM")
    candidates = [asked] if asked else [shutil.which("chromium"), "/usr/bin/chromium"]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def missing_chromium() -> str:
    asked = os.environ.get("ORBITVIEW_CHROMIUM")
    return (f"ORBITVIEW_CHROMIUM={asked} is not a file" if asked
            else "Debian's chromium browser is not installed")


def unavailable(reason: str, fix: str = INSTALL):
    """Skip on a developer machine (saying ``fix``); fail in CI (``CI=true``), where
    .ci/run installs everything the browser and video tests need."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must run every test (.ci/run installs Debian's chromium, "
                    "the test extras and CesiumJS)", pytrace=False)
    pytest.skip(f"{reason}; {fix} to run this test")


class Page:
    """One page in a fresh profile, every request leaving file:// blocked and recorded."""

    def __init__(self, context):
        self.context = context
        self.blocked: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []

        def route(r):
            if r.request.url.startswith(("file://", "data:")):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()
        context.route("**/*", route)
        self.page = context.new_page()
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, path: Path):
        self.page.goto(Path(path).resolve().as_uri())
        self.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=30_000)
        return self.page


@pytest.fixture(scope="session", name="playwright_session")
def playwright_session_fixture():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed")
    if chromium_path() is None:
        unavailable(missing_chromium())
    with sync_playwright() as p:
        yield p


@pytest.fixture(name="browser_page")
def browser_page_fixture(playwright_session, tmp_path):
    """A fresh --user-data-dir per test, offline, with a fixed viewport."""
    context = playwright_session.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=chromium_path(), args=CHROMIUM_FLAGS,
        headless=True, offline=True, viewport={"width": 1400, "height": 850},
        timezone_id="UTC")
    try:
        yield Page(context)
    finally:
        context.close()
