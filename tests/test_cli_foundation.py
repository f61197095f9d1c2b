"""The real entry point: launches, history, tle status, info, exit codes."""

import csv
import io
import json
import re
import subprocess
import sys

import pytest
from conftest import run_cli


def test_launches_json_lists_every_record_with_types():
    status, out, err = run_cli("launches", "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    assert len(rows) == 15
    prss1 = next(r for r in rows if r["name"] == "PRSS-1")
    assert prss1["norad_id"] == 43530 and isinstance(prss1["norad_id"], int)
    assert prss1["cospar_id"] == "2018-056B"
    assert prss1["launch_utc"] == "2018-07-09T03:56Z"
    assert prss1["launch_vehicle"] == "Long March 2C" and prss1["launch_site"] == "Jiuquan"
    icubeq = next(r for r in rows if r["name"] == "ICUBE-Q")
    assert icubeq["norad_id"] is None and icubeq["cospar_id"] is None
    assert [r["launch_utc"][:4] for r in rows] == sorted(r["launch_utc"][:4] for r in rows)


def test_launches_csv_round_trips_and_filters():
    status, out, _ = run_cli("launches", "--format", "csv", "--since", "2018",
                             "--country", "china", "--orbit", "sso")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in rows] == ["PRSS-1", "PakTES-1A", "PRSC-EO1", "HS-1", "PRSC-EO2"]
    assert rows[0]["norad_id"] == "43530" and rows[0]["orbit_class"] == "SSO"


@pytest.mark.parametrize("args,names", [
    (("--until", "2001"), ["Badr-1", "PakSat-1", "Badr-B"]),
    (("--since", "2024-05-30", "--until", "2025-01-14"), ["PakSat-MM1", "PAUSAT-1"]),
    (("--vehicle", "long march 3b"), ["PakSat-1R", "PakSat-MM1"]),
    (("--site", "xichang", "--orbit", "GEO"), ["PakSat-1R", "PakSat-MM1"]),
    (("--status", "decayed"), ["Badr-1"]),
])
def test_launch_filters(args, names):
    status, out, _ = run_cli("launches", "--format", "json", *args)
    assert status == 0
    assert [r["name"] for r in json.loads(out)] == names


def test_launches_table_is_readable():
    status, out, _ = run_cli("launches")
    assert status == 0
    # PRSS-1 and PakTES-1A (2018-056B and 2018-056A) shared one Long March 2C.
    assert "Pakistani satellites: 15 satellites on 14 launches" in out
    assert "PakSat-MM1" in out and "Long March 3B" in out


def test_bad_filter_value_is_usage_error_with_fix():
    # A value the option cannot take is a usage error: exit 2, named option, no work done.
    status, _, err = run_cli("launches", "--orbit", "polar")
    assert status == 2
    assert "Invalid value for '--orbit': 'polar' is not one of" in err and "'lunar'" in err
    status, _, err = run_cli("launches", "--since", "last year")
    assert status == 2
    assert "Invalid value for '--since': 'last year' is not an ISO 8601 time" in err
    assert "Fix: write it like 2026-11-21T06:30:00Z" in err


def test_usage_error_is_exit_2():
    status, _, err = run_cli("launches", "--format", "xml")
    assert status == 2 and "Invalid value for '--format'" in err


def test_unknown_satellite_is_exit_1_without_traceback():
    status, _, err = run_cli("tle", "status", "PRSS-9")
    assert status == 1
    assert err.startswith("orbitview: error: unknown satellite 'PRSS-9'")
    assert "Traceback" not in err


def test_tle_status_ages_and_staleness():
    status, out, _ = run_cli("tle", "status", "PRSS-1", "PakSat-MM1", "ICUBE-Q",
                             "--at", "2026-09-10T02:21:37Z", "--format", "json")
    assert status == 0
    rows = {r["name"]: r for r in json.loads(out)}
    # PRSS-1 epoch 2026-06-26T23:31:08Z; PakSat-MM1 2026-09-07T02:21:37Z (SOURCES.md).
    assert rows["PRSS-1"]["newest_epoch_utc"] == "2026-06-26T23:31:08Z"
    assert rows["PRSS-1"]["stale"] is True
    assert rows["PRSS-1"]["epoch_age_days"] == pytest.approx(75.12, abs=0.01)
    assert rows["PakSat-MM1"]["epoch_age_days"] == pytest.approx(3.0, abs=0.001)
    assert rows["PakSat-MM1"]["stale"] is False
    assert rows["ICUBE-Q"]["newest_epoch_utc"] is None and "lunar" in rows["ICUBE-Q"]["note"]


def test_info_reports_data_dir_and_epoch_range():
    status, out, _ = run_cli("info")
    assert status == 0
    assert re.search(r"^launch records +15$", out, re.M)
    assert "2025-08-02T06:27:00Z to 2026-09-07T02:21:37Z" in out
    assert "2026-027C_67748.tle" in out
    for pkg in ("skyfield", "sgp4", "cartopy", "matplotlib", "numpy"):
        assert pkg in out


def test_history_figure_has_every_launch(tmp_path, catalog):
    import datetime as dt

    from orbitview.products.history_plot import plot_history
    fig = plot_history(catalog, today=dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc))
    timeline, by_country, pace = fig.axes
    labels = {t.get_text().rstrip(" *") for t in timeline.texts}
    assert {s.name for s in catalog} <= labels
    assert len(timeline.collections) == 15            # one marker per launch
    bars = {t.get_text(): p.get_width() for t, p in
            zip(by_country.get_yticklabels(), by_country.patches)}
    # Launches per country, not satellites: 2018-056 carried PRSS-1 and PakTES-1A.
    assert bars == {"China": 10, "USA": 2, "Kazakhstan": 1, "Russia": 1}
    texts = [t.get_text() for t in timeline.texts]
    assert "since 2018: 10 satellites on 9 launches (of 15 satellites on 14 launches)" in texts
    assert "5 launches in 28 years before 2018;\n9 in 8.9 years since" in \
        [t.get_text() for t in pace.texts]
    assert timeline.get_legend() is not None
    status, out, err = run_cli("history", "-o", str(tmp_path / "h.png"))
    assert status == 0, err
    assert (tmp_path / "h.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_history_rejects_unknown_suffix(tmp_path):
    status, _, err = run_cli("history", "-o", str(tmp_path / "h.gif"))
    assert status == 2 and "end the file name with .png, .svg, .pdf" in err


def test_python_dash_m_runs():
    result = subprocess.run([sys.executable, "-m", "orbitview", "--version"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "orbitview, version 0.1.0" in result.stdout


def test_tle_status_gives_the_90_percent_bound_at_each_age():
    """Wherever an age is shown, so is orbitview.orbit.accuracy's 90 % bound at that age;
    PakSat-MM1, station-kept, is bounded as held at its slot once stale."""
    from conftest import DATA

    from orbitview.data.catalog import load_catalog
    from orbitview.orbit.accuracy import error_bound
    status, out, _ = run_cli("tle", "status", "PRSS-1", "PakSat-MM1", "--at",
                             "2026-11-21T06:00:00Z", "--format", "json")
    assert status == 0
    rows = {r["name"]: r for r in json.loads(out)}
    catalog = load_catalog(DATA)
    prss1 = catalog.resolve("PRSS-1")
    b = error_bound(prss1, rows["PRSS-1"]["epoch_age_days"], element_set=prss1.latest)
    assert rows["PRSS-1"]["error_bound_km"] == pytest.approx(b.position_km, abs=0.1)
    assert rows["PRSS-1"]["error_bound_90"] == b.km_text()
    mm1 = catalog.resolve("PakSat-MM1")
    held = error_bound(mm1, rows["PakSat-MM1"]["epoch_age_days"], held=True,
                       element_set=mm1.latest)
    assert rows["PakSat-MM1"]["error_bound_90"] == held.km_text() + " (slot held)"
    assert rows["PakSat-MM1"]["error_bound_km"] < 200 < rows["PRSS-1"]["error_bound_km"]


@pytest.mark.parametrize("args", [
    ("history",),
    ("track", "PRSS-1", "--at", "2026-09-07T00:00:00Z"),
    ("footprint", "PakSat-MM1", "--at", "2026-09-07T00:00:00Z", "--region", "pakistan"),
    ("tle", "history", "PakSat-MM1"),
])
def test_file_writers_report_on_stderr_and_leave_stdout_empty(tmp_path, args):
    # Before: figure commands said 'wrote X' on stdout, coverage and design said
    # 'orbitview: wrote X' on stderr; stdout is for answers a pipe can read.
    path = tmp_path / "out.png"
    status, out, err = run_cli(*args, "-o", str(path))
    assert status == 0, err
    assert out == ""
    assert f"orbitview: wrote {path}" in err.splitlines()
    assert path.stat().st_size > 10_000


def test_warnings_and_notes_show_escape_codes_as_text(capsys):
    # Warnings quote object names and values of the user's files: a terminal escape in
    # one (an xterm 'set window title') reaches stderr as text, whatever said it.
    from orbitview.cli import messages
    messages.warn("STAR\x1b]0;pwned\x07LINK is stale")
    messages.note("\u202eevil")
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "STAR\\x1b]0;pwned\\x07LINK is stale" in err


def test_click_usage_errors_name_the_help_in_a_fix_line():
    status, _, err = run_cli("now", "--bogus")
    assert status == 2
    assert err.splitlines()[-1] == "Fix: see 'orbitview now --help' for the arguments and " \
                                   "options it takes."


def test_an_unexpected_error_keeps_its_traceback_for_the_report(monkeypatch, tmp_path):
    # A stand-in for a bug, or a library failing once under load: the message says it is
    # a bug, and the traceback (with the command and versions) is saved to attach.
    import tomllib

    from conftest import run_cli
    monkeypatch.setenv("ORBITVIEW_USER_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("ORBITVIEW_CONFIG", str(tmp_path / "config.toml"))
    (tmp_path / "config.toml").write_text('tz = "UTC"\n')

    def broken(text):
        raise RuntimeError("boom")
    monkeypatch.setattr(tomllib, "loads", broken)
    status, _, err = run_cli("config", "show")
    saved = tmp_path / "user" / "last-error.txt"
    assert status == 1, err
    assert "orbitview: error: unexpected RuntimeError: boom." in err
    assert f"Its traceback is saved in {saved}: attach it to the report." in err
    text = saved.read_text()
    assert "command: orbitview config show" in text
    assert "RuntimeError: boom" in text and "Traceback (most recent call last)" in text
