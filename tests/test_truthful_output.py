"""What every answer says, whatever its size: SGP4 failures, stale elements, launch dates,
times rounded (not truncated) to the second, durations equal to LOS - AOS, counts."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import run_cli
from sgp4.io import fix_checksum

UTC = dt.timezone.utc


def test_pass_times_are_rounded_and_durations_match(catalog):
    from orbitview.access.passes import find_passes
    from orbitview.access.rules import VisibilityRule
    from orbitview.data.sites import parse_site
    t0 = dt.datetime(2026, 9, 6, tzinfo=UTC)
    status, out, err = run_cli("passes", "PRSS-1", "PRSC-EO1", "HS-1", "--site", "Islamabad",
                               "--start", "2026-09-06T00:00Z", "--days", "2", "--access", "radio",
                               "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    raw = find_passes(catalog.resolve_many(["PRSS-1", "PRSC-EO1", "HS-1"]),
                      parse_site("Islamabad"), t0, t0 + dt.timedelta(days=2), VisibilityRule())
    assert len(rows) == len(raw) > 10
    raw.sort(key=lambda r: r["aos_utc"])
    for row, r in zip(rows, raw):
        for key in ("aos_utc", "tca_utc", "los_utc"):
            shown = dt.datetime.fromisoformat(row[key].replace("Z", "+00:00"))
            # Rounded to the nearest second: within half a second of the engine's time.
            assert abs((shown - r[key]).total_seconds()) <= 0.5, (key, row, r)
        aos, los = (dt.datetime.fromisoformat(row[k].replace("Z", "+00:00"))
                    for k in ("aos_utc", "los_utc"))
        assert row["duration_s"] == (los - aos).total_seconds()


def test_no_passes_still_says_the_elements_are_stale():
    # PakTES-1A's newest set is from 2026-06-26; this hour has no pass over Gwadar.
    status, out, err = run_cli("passes", "PakTES-1A", "--site", "Gwadar", "--start",
                               "2026-11-21T02:00Z", "--days", "0.04", "--access", "radio",
                               "--format", "json")
    assert status == 0, err
    assert json.loads(out) == []
    assert "PakTES-1A (43529): element set epoch 2026-06-26T22:47:59Z is 147 days" in err
    assert "no passes of PakTES-1A over Gwadar from 2026-11-21T02:00:00Z" in err


@pytest.fixture()
def decaying(data_copy):
    """PRSS-1's set with BSTAR 0.5: SGP4 reports it decayed (error 6) within ten days."""
    path = data_copy / "tles" / "43530.tle"
    lines = path.read_text().splitlines()
    lines[4] = fix_checksum(lines[4][:53] + " 50000-0" + lines[4][61:])
    path.write_text("\n".join(lines) + "\n")        # same epoch: provenance.csv still fits
    return data_copy


def test_sgp4_failure_is_stated_by_look_and_passes(decaying):
    status, out, err = run_cli("look", "PRSS-1", "--site", "Karachi", "--at",
                               "2026-07-10T00:00Z")
    assert status == 1
    assert "SGP4 cannot compute PRSS-1 (43530) at 2026-07-10T00:00:00Z" in err
    assert "SGP4 error 6 (mrt is less than 1.0 which indicates the satellite has decayed)" in err
    assert "Fix: choose a time nearer the element epoch" in err and out == ""
    status, out, err = run_cli("passes", "PRSS-1", "--site", "Karachi", "--start",
                               "2026-07-08T00:00Z", "--days", "3", "--access", "radio",
                               "--format", "json")
    assert status == 0, err
    assert "PRSS-1 (43530): SGP4 error 6" in err
    assert "those positions are NaN" in err


def test_passes_before_launch_say_it_had_not_launched():
    # PRSS-1 was launched 2018-07-09T03:56Z (launches.csv).
    status, out, err = run_cli("passes", "PRSS-1", "--site", "Karachi", "--start",
                               "2018-07-08T00:00Z", "--days", "3", "--access", "radio",
                               "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    assert rows and all(r["aos_utc"] >= "2018-07-09T03:56:00Z" for r in rows)
    assert "PRSS-1 was launched on 2018-07-09T03:56Z: it had not launched at " \
           "2018-07-08T00:00:00Z; no pass before the launch is listed." in err
    status, out, err = run_cli("passes", "PRSS-1", "--site", "Karachi", "--start",
                               "2018-01-01T00:00Z", "--days", "3", "--access", "radio",
                               "--format", "json")
    assert status == 0 and json.loads(out) == []
    assert "PRSS-1 had not launched by 2018-01-04T00:00:00Z" in err
    status, out, err = run_cli("positions", "PRSS-1", "--start", "2018-01-01", "--hours", "0")
    assert status == 0
    assert "describe no real object" in err


def test_geo_coverage_is_complete_by_count_not_by_float(catalog):
    # 97 time steps: 97 * (100 / 97) is 99.99999999999999 in floating point.
    from orbitview.access.coverage import compute_coverage, make_grid
    from orbitview.access.rules import VisibilityRule
    from orbitview.data.regions import REGIONS, pakistan_polygon, province_polygons
    from orbitview.products.maps import coverage_figure
    start = dt.datetime(2026, 9, 7, 3, tzinfo=UTC)
    grid = make_grid(REGIONS["pakistan"], 1.0, pakistan_polygon())
    result = compute_coverage(catalog.resolve_many(["PakSat-MM1"]), grid, VisibilityRule(),
                              start, start + dt.timedelta(seconds=96 * 30), 30)
    assert result.n_time == 97 and result.coverage_percent.min() < 100.0
    fig = coverage_figure(result, "percent", VisibilityRule(), REGIONS["pakistan"],
                          province_polygons())
    assert any("Geostationary PakSat-MM1 stand above" in t.get_text() for t in fig.texts)
