"""The geostationary neighbourhood (orbitview geo-belt)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json

import numpy as np
import pytest
from conftest import DATA, run_cli

UTC = dt.timezone.utc
GEO_SHA256 = "6b7cab661f54dd5c6e44166c7653be5897a3ab2e3d9a1adfeb944b022bcfb033"
"""shared/reference/catalogs/SOURCES.md: CelesTrak GROUP=geo, mirror commit 8c4fbeb."""

MEAN_LON_TOL_DEG = 2e-4
"""orbitview's mean longitude vs skyfield's own EarthSatellite + wgs84 over the same day:
same SGP4, frames agree to ~1e-6 deg; the rest is the circular mean of 48 samples."""
DRIFT_J2_TOL_DEG_PER_DAY = 0.02
"""Drift vs (Kozai mean motion - Earth rotation): they differ by the J2 secular rates of
node, perigee and mean anomaly, 3/2 n J2 (R/a)^2 ~ 0.013 deg/day at the GEO radius."""


@pytest.fixture(scope="module")
def belt(catalog):
    from orbitview.studies.geobelt import load_belt
    return load_belt(None, catalog)


def test_bundled_catalogue_is_the_exact_celestrak_file():
    raw = (DATA / "catalogs" / "geo.tle").read_bytes()
    assert hashlib.sha256(raw).hexdigest() == GEO_SHA256
    assert raw.count(b"\r\n") == raw.count(b"\n") == 3 * 574   # CRLF kept, 574 objects
    assert GEO_SHA256 in (DATA / "catalogs" / "SOURCES.md").read_text()


def test_belt_joins_catalogue_and_bundled_history(belt):
    assert len(belt.objects) == 574
    mm1 = belt.by_norad(59915)
    assert mm1.record == "PakSat-MM1"
    # geo.tle's set of 2026-05-30 plus the bundled 2026-05-29 and 2026-09-07 sets
    assert [es.epoch.date() for es in mm1.history] == [
        dt.date(2026, 5, 29), dt.date(2026, 5, 30), dt.date(2026, 9, 7)]
    # geo.tle's BADR-5 (36592) is Arabsat's, not an orbitview record
    assert belt.by_norad(36592).record == ""


def test_mean_longitude_matches_skyfield_independently(belt):
    """Circular mean of skyfield's own wgs84 sub-point longitude over the same sidereal day."""
    from skyfield.api import EarthSatellite, wgs84

    from orbitview.studies.geobelt import SIDEREAL_DAY_D, mean_states
    from orbitview.util.timeutil import timescale
    ts = timescale()
    picks = [belt.by_norad(n).history[-1] for n in (59915, 37779, 39509, 20776, 38014)]
    centre = np.array([ts.from_datetime(es.epoch).tt for es in picks])
    state = mean_states(picks, centre)
    for es, c, lon in zip(picks, centre, state.lon_deg):
        sat = EarthSatellite(es.line1, es.line2, es.name, ts)
        t = ts.tt_jd(c + (np.arange(48) - 24 + 0.5) * SIDEREAL_DAY_D / 48)
        sky = wgs84.subpoint_of(sat.at(t)).longitude.radians
        expected = np.degrees(np.arctan2(np.sin(sky).mean(), np.cos(sky).mean()))
        assert lon == pytest.approx(expected, abs=MEAN_LON_TOL_DEG), es.name


def test_drift_agrees_with_mean_motion(belt):
    from orbitview.studies.geobelt import SIDEREAL_DAY_D, mean_states
    from orbitview.util.timeutil import timescale
    ts = timescale()
    sets = [o.history[-1] for o in belt.objects]
    state = mean_states(sets, np.array([ts.from_datetime(es.epoch).tt for es in sets]))
    n_deg_per_day = np.array([np.degrees(es.satrec.no_kozai) * 1440.0 for es in sets])
    expected = n_deg_per_day - 360.0 / SIDEREAL_DAY_D
    ok = np.isfinite(state.drift_deg_per_day)
    assert ok.sum() >= 570
    assert np.max(np.abs(state.drift_deg_per_day[ok] - expected[ok])) < \
        DRIFT_J2_TOL_DEG_PER_DAY
    # the catalogue holds drifting objects too: some move degrees per day
    assert np.sum(np.abs(state.drift_deg_per_day[ok]) > 1.0) >= 5


def test_classification_thresholds():
    from orbitview.studies.geobelt import classify
    got = classify([0.001, -0.04, 0.04, 0.06, -3.0], [0.05, 0.29, 0.31, 0.01, 0.0])
    assert list(got) == ["station-kept", "station-kept", "E-W kept", "drifting",
                         "drifting"]


def test_kept_slots_hold_across_their_own_history(belt):
    """PakSat-MM1 (May -> September 2026) and PakSat-1R (August 2025 -> May 2026): each set
    classifies as kept, and the mean longitude stayed within 0.1 deg over the months between
    them; SGP4 from the older set alone drifts away over the same span."""
    from orbitview.studies.geobelt import slot_history
    for norad in (59915, 37779):
        h = slot_history(belt.by_norad(norad), continue_days=30.0)
        assert set(h["status"]) <= {"station-kept", "E-W kept"}
        assert np.ptp(h["lon_deg"]) < 0.1
        drifted = max(abs(lon[-1] - lon[0]) for _, lon in h["tracks"])
        assert drifted > 0.2          # ... while 30 days of unkept SGP4 leaves the box
    pak1r = slot_history(belt.by_norad(37779))
    # PakSat-1R stopped north-south keeping: inclination 0.02 -> 0.64 deg
    assert pak1r["inclination_deg"][0] < 0.05 < 0.6 < pak1r["inclination_deg"][-1]


def test_survey_around_paksat_mm1(belt, catalog):
    from orbitview.studies.geobelt import GEO_RADIUS_KM, survey
    at = dt.datetime(2026, 5, 30, 17, 52, 52, tzinfo=UTC)
    ref, rows, warnings = survey(belt, at, "PakSat-MM1", 5.0, catalog)
    assert ref.norad_id == 59915 and ref.lon_deg == pytest.approx(38.18, abs=0.02)
    assert warnings == []
    ids = [r["norad_id"] for r in rows]
    # the neighbours at 37.8-39.0 E, PakSat-1R 0.2 deg west of PakSat-MM1
    assert {39509, 37779, 59915, 42814, 44034}.issubset(ids)
    seps = [r["separation_deg"] for r in rows]
    assert seps == sorted(seps) and max(map(abs, seps)) <= 5.0
    for r in rows:
        assert r["separation_km"] == pytest.approx(np.radians(abs(r["separation_deg"]))
                                                   * GEO_RADIUS_KM, abs=1.0)
    me = next(r for r in rows if r["reference"])
    assert me["separation_deg"] == 0.0 and me["owner"] == "PAKI"
    pak1r = next(r for r in rows if r["norad_id"] == 37779)
    assert pak1r["separation_deg"] == pytest.approx(-0.22, abs=0.02)
    assert pak1r["status"] == "E-W kept"     # inclination 0.64 deg
    # owners only where the sourced table has them; never from a name
    assert next(r for r in rows if r["norad_id"] == 42814)["owner"] == "GREC"
    assert next(r for r in rows if r["norad_id"] == 44800)["owner"] is None


def test_survey_by_longitude_and_stale_hold(belt):
    from orbitview.studies.geobelt import survey
    at = dt.datetime(2026, 11, 21, tzinfo=UTC)
    ref, rows, warnings = survey(belt, at, "38.2E", 0.5)
    assert ref.norad_id is None and ref.lon_deg == pytest.approx(38.2)
    assert warnings and "held at their mean longitude" in warnings[0]
    athena = next(r for r in rows if r["norad_id"] == 39509)
    assert athena["position"].startswith("held at its mean longitude of 2026-05-30")
    assert athena["mean_lon_deg"] == pytest.approx(37.79, abs=0.01)


@pytest.mark.parametrize("text,expected", [
    ("38.2", 38.2), ("38.2E", 38.2), ("38.2 e", 38.2), ("70W", -70.0), ("-70", -70.0),
    ("350", -10.0), ("38.2\u00b0E", 38.2), ("59915", None), ("PakSat-MM1", None),
    ("-70W", None), ("nan", None), ("", None)])
def test_parse_longitude(text, expected):
    from orbitview.studies.geobelt import parse_longitude
    got = parse_longitude(text)
    assert got == (None if expected is None else pytest.approx(expected))


def _two_entries(tmp_path, name_a, name_b):
    """Two real geo.tle entries (element lines untouched) under chosen names."""
    lines = (DATA / "catalogs" / "geo.tle").read_text().splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith("1 42814"))
    j = next(k for k, line in enumerate(lines) if line.startswith("1 39509"))
    text = "\n".join([name_a, lines[i], lines[i + 1], name_b, lines[j], lines[j + 1]]) + "\n"
    path = tmp_path / "twins.tle"
    path.write_text(text)
    return path


def test_ambiguous_name_lists_both(tmp_path):
    path = _two_entries(tmp_path, "TWIN", "TWIN")
    status, out, err = run_cli("geo-belt", "--elements", str(path), "--around", "twin")
    assert status == 2
    assert "'twin' names 2 different objects" in err and "42814" in err and "39509" in err
    assert "Fix: ask by NORAD number" in err


def test_cli_csv_and_figures(tmp_path):
    png, timeline = tmp_path / "belt.png", tmp_path / "slot.png"
    status, out, err = run_cli("geo-belt", "--around", "PakSat-MM1", "--within", "5",
                               "-o", str(png), "--timeline", str(timeline),
                               "--format", "csv")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 18
    mm1 = next(r for r in rows if r["norad_id"] == "59915")
    assert mm1["reference"] == "True" and mm1["status"] == "station-kept"
    for p in (png, timeline):
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 50_000


def test_cli_table_keeps_the_element_age_in_80_columns(monkeypatch):
    # The age of each set at the survey time is what says how good a longitude is: it was
    # the first column left out of a narrow table.
    monkeypatch.setenv("COLUMNS", "80")
    status, out, err = run_cli("geo-belt", "--around", "PakSat-MM1", "--within", "1")
    assert status == 0, err
    lines = out.splitlines()
    assert lines[2].rstrip() == ("name                  NORAD  lon °E   sep °  "
                                 "drift °/d  status        age d")
    assert lines[5].rstrip() == ("PAKSAT-MM1            59915  38.175   0.000    -0.0099  "
                                 "station-kept    0.2")
    assert "Left out to fit 80 columns: ecc, owner, sep km, incl °, epoch" in out
    # ... and --wide, which that line offers, shows every column.
    status, out, err = run_cli("geo-belt", "--around", "PakSat-MM1", "--within", "1", "--wide")
    assert status == 0, err
    # The count is the figure's: the neighbours, besides the reference itself.
    assert out.splitlines()[0].strip() == ("GEO objects within 1 deg of PakSat-MM1 (38.175 E) "
                                           "at 2026-05-30T17:52:52Z: PakSat-MM1 and 4 neighbours")
    header = next(line for line in out.splitlines() if "NORAD" in line)
    assert [h.strip() for h in header.strip("┃ ").split("┃")] == [
        "name", "NORAD", "owner", "lon °E", "sep °", "sep km", "incl °", "ecc", "drift °/d",
        "status", "epoch", "age d"]
    assert "Left out" not in out


def test_cli_json_by_norad_number():
    status, out, err = run_cli("geo-belt", "--around", "37779", "--within", "0.3",
                               "--format", "json")
    assert status == 0, err
    rows = json.loads(out)
    # Athena-Fidus 0.17 deg west, PakSat-MM1 0.22 deg east of PakSat-1R
    assert [r["norad_id"] for r in rows] == [39509, 37779, 59915]
    assert rows[1]["reference"] is True
    assert rows[0]["separation_deg"] < 0 < rows[2]["separation_deg"]


@pytest.mark.parametrize("args,code,text", [
    (["--within", "0"], 2, "--within"),
    (["--within", "nan"], 2, "not a finite number"),
    (["--around", "PakSat-MM2"], 1, "Did you mean"),
    (["--around", "PRSS-1"], 2, "PRSS-1 (43530) is not geostationary"),
    (["--around", "400E"], 2, "longitude '400E' is out of range"),
    (["--around", "400.5"], 2, "longitude '400.5' is out of range"),
    (["--around", "12345"], 2, "NORAD 12345 is not in the GEO catalogue"),
])
def test_cli_errors(args, code, text):
    status, out, err = run_cli("geo-belt", *args)
    assert status == code
    assert text in err


def test_an_object_without_a_norad_number_is_refused_with_a_fix(belt, catalog):
    from orbitview.studies.geobelt import resolve_object
    from orbitview.util.errors import UsageError
    # Before: "ICUBE-Q (None) has no element set in the GEO catalogue ...".
    with pytest.raises(UsageError) as e:
        resolve_object(belt, "ICUBE-Q", catalog)
    assert str(e.value) == (
        "ICUBE-Q has no NORAD catalog number, so no element set places it on the "
        "geostationary arc (ICUBE-Q is in lunar orbit; SGP4 element sets do not apply).\n"
        "Fix: give a geostationary object (e.g. PakSat-MM1 or 37779) or a longitude such as "
        "38.2E.")


def test_objects_not_yet_launched_are_not_listed(belt, catalog):
    import warnings

    from orbitview.studies.geobelt import survey
    at = dt.datetime(2020, 1, 1, tzinfo=UTC)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)     # NaN means are expected here
        ref, rows, said = survey(belt, at, "PakSat-MM1", 1.0, catalog)
    # Before: PakSat-MM1 'station-kept' at 38.18 E four years before its launch.
    assert ref.norad_id == 59915 and ref.lon_deg == pytest.approx(38.18, abs=0.02)
    assert 59915 not in [r["norad_id"] for r in rows]
    assert 37779 in [r["norad_id"] for r in rows]          # PakSat-1R, launched 2011
    assert said[0] == ("PakSat-MM1 had not launched by 2020-01-01T00:00:00Z: it was launched "
                       "on 2024-05-30T12:12Z; it is not listed, and the survey is centred on "
                       "the slot its later element sets give.")
    assert said[1].startswith(f"{len(rows)} of {len(rows)} objects have element sets more")
    mm1 = belt.by_norad(59915)
    assert mm1.not_launched_by(dt.datetime(2024, 5, 30, 12, 12, tzinfo=UTC)) is None
    athena = belt.by_norad(39509)                          # 2014-006B, no orbitview record
    assert athena.not_launched_by(at) is None
    assert athena.not_launched_by(dt.datetime(2013, 12, 31, tzinfo=UTC)) == \
        "it was launched in 2014 (COSPAR 2014-006B)"


def test_corrupted_catalogue_names_file_and_line(tmp_path):
    lines = (DATA / "catalogs" / "geo.tle").read_text().splitlines()
    lines[4] = lines[4][:20] + "X" + lines[4][21:]        # line 2 of the second entry
    bad = tmp_path / "geo.tle"
    bad.write_text("\n".join(lines) + "\n")
    status, out, err = run_cli("geo-belt", "--elements", str(bad))
    assert status == 1
    assert f"{bad}:5" in err and "Fix:" in err


def test_labels_do_not_overlap(belt, catalog):
    from orbitview.products.geobelt_plot import plot_belt
    from orbitview.studies.geobelt import survey
    at = belt.epochs[1]
    ref, rows, _ = survey(belt, at, "PakSat-MM1", 5.0, catalog)
    fig = plot_belt(ref, rows, 5.0, at, belt)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    names = {r["name"] for r in rows}
    boxes = [t.get_window_extent(renderer) for t in ax.texts
             if t.get_text().split(" [")[0].split("\n")[0] in names]
    assert len(boxes) == len(rows)
    frame = ax.get_window_extent(renderer)
    for k, a in enumerate(boxes):
        assert frame.x0 <= a.x0 and a.x1 <= frame.x1
        for b in boxes[k + 1:]:
            assert not a.overlaps(b)
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_owner_table_matches_the_catalogue(belt):
    """Every sourced owner row names the object the catalogue has under that NORAD number."""
    rows = list(csv.DictReader(open(DATA / "geo_owners.csv", encoding="utf-8")))
    assert len(rows) >= 10
    for row in rows:
        obj = belt.by_norad(int(row["norad_id"]))
        assert obj is not None, row
        assert row["name"] in {es.name for es in obj.history}, row
        assert "satcat.csv at commit" in row["source"]


def test_one_set_drift_foretells_who_stays_in_the_slot():
    """95 objects with real CelesTrak sets of 2026-05-30 and 2026-09-07 (tests/data/accuracy,
    provenance in its SOURCES.md): of those one May set calls kept, at least 95 % were within
    0.5 deg of the same mean longitude 100 days later (the rest were moved by manoeuvres no
    set can foresee); every one it calls drifting had moved more than 1 deg."""
    from orbitview.data.elements import parse_tle_text
    from orbitview.studies.geobelt import classify, mean_states, wrap180
    from orbitview.util.timeutil import timescale
    here = DATA.parent / "tests" / "data" / "accuracy"
    ts = timescale()

    def states(name):
        sets, problems = parse_tle_text((here / name).read_text(), here / name)
        assert problems == []
        sets = {es.norad_id: es for es in sets}
        st = mean_states(list(sets.values()),
                         np.array([ts.from_datetime(es.epoch).tt for es in sets.values()]))
        return {n: (st.lon_deg[k], st.drift_deg_per_day[k], np.degrees(es.satrec.inclo))
                for k, (n, es) in enumerate(sets.items())}
    may, sep = states("geo_2026-05-30.tle"), states("geo_2026-09-07.tle")
    common = sorted(set(may) & set(sep))
    assert len(common) == 95
    moved = np.array([abs(wrap180(sep[n][0] - may[n][0])) for n in common])
    status = classify([may[n][1] for n in common], [may[n][2] for n in common])
    kept = status != "drifting"
    assert kept.sum() >= 80 and (~kept).sum() >= 5
    assert np.mean(moved[kept] <= 0.5) >= 0.95
    assert np.all(moved[~kept] > 1.0)
