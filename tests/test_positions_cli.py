"""orbitview positions: rows, formats and values against skyfield's own EarthSatellite."""

import csv
import io
import json

import pytest
from conftest import run_cli
from skyfield.api import EarthSatellite, load, wgs84

from orbitview.data.ephemeris import ephemeris

# PRSS-1's newest bundled set (data/tles/43530.tle, CelesTrak via jtmiclat@011c609c).
L1 = "1 43530U 18056B   26177.97996134  .00000528  00000+0  72992-4 0  9993"
L2 = "2 43530  97.7822 245.5786 0001515  75.3640 284.7741 14.82001912429888"
ROUNDING_DEG = 1e-5   # the CLI prints latitude and longitude to 5 decimals


def test_positions_json_matches_skyfield():
    status, out, err = run_cli("positions", "PRSS-1", "--start", "2026-06-27T00:00:00Z",
                               "--end", "2026-06-27T00:02:00Z", "--step", "60",
                               "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    assert [r["time_utc"] for r in rows] == ["2026-06-27T00:00:00Z", "2026-06-27T00:01:00Z",
                                             "2026-06-27T00:02:00Z"]
    ts = load.timescale(builtin=True)
    sat = EarthSatellite(L1, L2, "PRSS-1", ts)
    for k, row in enumerate(rows):
        at = sat.at(ts.utc(2026, 6, 27, 0, k))
        geo = wgs84.geographic_position_of(at)
        assert row["norad_id"] == 43530 and row["name"] == "PRSS-1"
        assert row["lat_deg"] == pytest.approx(geo.latitude.degrees, abs=ROUNDING_DEG)
        assert row["lon_deg"] == pytest.approx(geo.longitude.degrees, abs=ROUNDING_DEG)
        assert row["altitude_km"] == pytest.approx(geo.elevation.km, abs=1e-3)
        assert row["sunlit"] is bool(at.is_sunlit(ephemeris()))
        assert row["epoch_age_days"] == pytest.approx((28 * 60 + 52) / 86400 + k / 1440, abs=6e-4)


def test_positions_csv_for_two_satellites_with_hours():
    status, out, err = run_cli("positions", "PRSS-1", "PakSat-MM1", "--start",
                               "2026-09-07T00:00:00Z", "--hours", "1", "--step", "600")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 14 and list(rows[0]) == ["time_utc", "norad_id", "name", "lat_deg",
                                                 "lon_deg", "altitude_km", "sunlit",
                                                 "epoch_age_days"]
    geo = [r for r in rows if r["name"] == "PakSat-MM1"]
    assert all(38.1 < float(r["lon_deg"]) < 38.3 for r in geo)
    # The stale PRSS-1 set is flagged on stderr with its age.
    assert "PRSS-1 (43530): element set epoch 2026-06-26T23:31:08Z is 72 days" in err


def test_positions_window_defaults_to_a_day_from_now(monkeypatch):
    # Like passes: --start defaults to now, the window to one day (every 60 s: 1441 rows).
    monkeypatch.setenv("ORBITVIEW_NOW", "2026-09-07T00:00:00Z")
    status, out, err = run_cli("positions", "PRSS-1", "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    assert len(rows) == 1441
    assert rows[0]["time_utc"] == "2026-09-07T00:00:00Z"
    assert rows[-1]["time_utc"] == "2026-09-08T00:00:00Z"


def test_positions_days_is_hours_over_24():
    by_days = run_cli("positions", "PRSS-1", "--start", "2026-09-07T00:00:00Z", "--days",
                      "0.5", "--step", "3600")
    by_hours = run_cli("positions", "PRSS-1", "--start", "2026-09-07T00:00:00Z", "--hours",
                       "12", "--step", "3600")
    assert by_days[0] == 0 and by_days == by_hours
    assert len(by_days[1].splitlines()) == 1 + 13


@pytest.mark.parametrize("span,named", [
    (("--end", "2026-09-08T00:00Z", "--hours", "1"), "--end and --hours"),
    (("--hours", "1", "--days", "1"), "--hours and --days"),
])
def test_positions_takes_at_most_one_of_end_hours_days(span, named):
    status, out, err = run_cli("positions", "PRSS-1", "--start", "2026-09-07", *span)
    assert status == 2 and out == ""
    assert f"give at most one of --end, --hours and --days, not {named}" in err


def test_positions_all_skips_records_without_elements():
    status, out, err = run_cli("positions", "--all", "--start", "2026-09-07T00:00:00Z",
                               "--hours", "0", "--format", "json")
    assert status == 0
    assert len(json.loads(out)) == 9
    assert "--all skips records without element sets: Badr-1, PakSat-1" in err
