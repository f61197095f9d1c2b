"""Propagation accuracy: Vallado's verification set, the TEME->ITRS reference case,
vectorised against per-element results, nearest-epoch choice, SGP4 failures."""

import datetime as dt
from importlib.resources import files

import numpy as np
import pytest
from sgp4.api import Satrec
from sgp4.conveniences import sat_epoch_datetime
from skyfield.api import EarthSatellite, wgs84

from orbitview.data.elements import ElementSet
from orbitview.data.ephemeris import ephemeris
from orbitview.orbit.frames import teme_to_itrs_matrix
from orbitview.orbit.propagate import propagate
from orbitview.orbit.sgp4run import sgp4_teme
from orbitview.util.timeutil import time_grid, timescale

UTC = dt.timezone.utc

VALLADO_TOLERANCE_KM = 2e-7
"""sgp4's own test tolerance for tcppver.out (its fields are printed to 1e-8 km)."""
APPENDIX_C_TOLERANCE_KM = 0.025
"""Vallado et al. 2006 apply polar motion (xp=-0.140682", yp=0.333309"; 0.36" x 10,208 km
= 18 m); orbitview, like skyfield's EarthSatellite, does not. UT1 tables add < 1 m."""
SAME_PATH_TOLERANCE_DEG = 1e-9
"""Vectorised and per-element paths run the same arithmetic; differences are rounding."""


def _vallado_cases():
    tle = files("sgp4").joinpath("SGP4-VER.TLE").read_text().splitlines()
    out = files("sgp4").joinpath("tcppver.out").read_text().replace("\r", "").splitlines()
    expected, current = {}, None
    for line in out:
        if line.endswith("xx"):
            current = int(line.split()[0])
            expected[current] = []
        else:
            expected[current].append([float(v) for v in line.split()[:4]])
    cases = []
    lines = iter(tle)
    for line1 in lines:
        if line1.startswith("1 "):
            line2 = next(lines)
            satrec = Satrec.twoline2rv(line1, line2[:69])
            cases.append((satrec, np.array(expected[satrec.satnum])))
    return cases


VALLADO = _vallado_cases()


def _es(satrec):
    return ElementSet(norad_id=satrec.satnum, name=str(satrec.satnum),
                      epoch=sat_epoch_datetime(satrec), satrec=satrec)


@pytest.mark.parametrize("satrec,expected", VALLADO, ids=[str(s.satnum) for s, _ in VALLADO])
def test_vallado_verification_through_orbitview(satrec, expected):
    tsince_min = expected[:, 0]
    whole, fraction = np.divmod(tsince_min / 1440.0, 1.0)
    jd = satrec.jdsatepoch + whole
    fr = satrec.jdsatepochF + fraction
    error, r, _ = sgp4_teme([[_es(satrec)]], jd, fr)
    ok = error[0] == 0
    # Rows in tcppver.out stop where SGP4 reports an error; orbitview gives NaN there.
    assert np.all(np.isnan(r[0][~ok]))
    assert np.abs(r[0][ok] - expected[ok, 1:4]).max(initial=0) < VALLADO_TOLERANCE_KM


def test_vallado_case_count():
    assert len(VALLADO) == 33


def test_teme_to_itrs_appendix_c():
    # Vallado, Crawford, Hujsak, Kelso (2006), AIAA 2006-6753, Appendix C:
    # 2004-04-06 07:51:28.386009 UTC.
    t = timescale().utc(2004, 4, 6, 7, 51, 28.386009)
    r_teme = np.array([5094.18016210, 6127.64465950, 6380.34453270])
    r_itrs = teme_to_itrs_matrix(t) @ r_teme
    expected = np.array([-1033.4793830, 7901.2952754, 6380.3565958])
    assert np.linalg.norm(r_itrs - expected) < APPENDIX_C_TOLERANCE_KM


@pytest.fixture(scope="module")
def day_grid():
    return time_grid(dt.datetime(2026, 9, 6, tzinfo=UTC), dt.datetime(2026, 9, 7, tzinfo=UTC),
                     30.0)


def test_vectorised_equals_per_element(catalog, day_grid, monkeypatch):
    # The same SGP4 as skyfield's (the sgp4 back end): this checks the frames and the
    # geodetic conversion to rounding; astroz's agreement with sgp4 (within 1 m) is
    # tests/test_sgp4_backend.py's.
    monkeypatch.setenv("ORBITVIEW_SGP4_BACKEND", "sgp4")
    sats = catalog.resolve_many(["PRSS-1", "PRSC-EO1", "PakSat-MM1", "PRSC-S1", "HS-1"])
    prop = propagate(sats, day_grid, sunlit=True)
    assert prop.lat_deg.shape == (5, len(day_grid))
    eph = ephemeris()
    for i, sat in enumerate(sats):
        es = sat.elements[prop.set_index[i][0]]
        reference = EarthSatellite.from_satrec(es.satrec, day_grid.ts)
        for j in (0, 1234, len(day_grid) - 1):      # element by element, scalar Time
            at = reference.at(day_grid[j])
            geo = wgs84.geographic_position_of(at)
            assert abs(geo.latitude.degrees - prop.lat_deg[i, j]) < SAME_PATH_TOLERANCE_DEG
            dlon = (geo.longitude.degrees - prop.lon_deg[i, j] + 180) % 360 - 180
            assert abs(dlon) < SAME_PATH_TOLERANCE_DEG
            assert abs(geo.elevation.km - prop.altitude_km[i, j]) < 1e-6
            assert bool(at.is_sunlit(eph)) == bool(prop.sunlit[i, j])


def test_geodetic_altitudes_are_physical(catalog, day_grid):
    prop = propagate(catalog.resolve_many(["PRSS-1", "PakSat-MM1"]), day_grid)
    # facts.md 2.7 and 2.9: PRSS-1 ~619-621 km mean altitude (geodetic varies with
    # latitude: the ellipsoid's polar radius is 21 km less than its equatorial radius, so
    # heights over the poles read up to ~21 km higher); PakSat-MM1 35780 x 35797 km at 38.18 E.
    assert 615 < np.nanmin(prop.altitude_km[0]) and np.nanmax(prop.altitude_km[0]) < 660
    equator = np.abs(prop.lat_deg[0]) < 5
    assert np.nanmax(prop.altitude_km[0][equator]) < 630
    assert np.nanmax(np.abs(prop.lat_deg[0])) == pytest.approx(180 - 97.78, abs=0.1)
    assert 35770 < np.nanmin(prop.altitude_km[1]) < np.nanmax(prop.altitude_km[1]) < 35810
    assert np.nanmean(prop.lon_deg[1]) == pytest.approx(38.18, abs=0.05)


def test_nearest_epoch_is_used(catalog):
    eo1 = catalog.resolve("PRSC-EO1")
    epochs = [es.epoch for es in eo1.elements]           # 05-29, 06-26, 09-06
    middle = epochs[1] + (epochs[2] - epochs[1]) / 2
    t = time_grid(middle - dt.timedelta(seconds=90), middle + dt.timedelta(seconds=90), 60.0)
    prop = propagate([eo1], t)
    assert prop.set_index[0].tolist() == [1, 1, 2, 2]
    ages = prop.epoch_age_days[0]
    assert ages[0] > 0 and ages[-1] < 0                  # after set 1, before set 2
    assert abs(ages[2]) == pytest.approx((epochs[2] - epochs[1]).total_seconds() / 172800,
                                         abs=1e-3)   # half the gap between the epochs
    # A position equals the one from that set alone.
    alone = propagate([[eo1.elements[2]]], t)
    assert np.allclose(alone.lat_deg[0, 2:], prop.lat_deg[0, 2:], atol=1e-12)


def test_stale_warning_carries_age(catalog):
    t = time_grid(dt.datetime(2026, 11, 21, tzinfo=UTC), dt.datetime(2026, 11, 21, 0, 10,
                                                                     tzinfo=UTC), 60.0)
    prop = propagate([catalog.resolve("PRSS-1")], t)
    [message] = prop.messages[0]
    assert message.startswith("PRSS-1 (43530): element set epoch 2026-06-26T23:31:08Z is 147 "
                              "days from the times asked for (stale beyond 14 days)")
    assert prop.epoch_age_days[0, 0] == pytest.approx(147.02, abs=0.01)


def test_sgp4_errors_become_nan_and_a_message():
    # Vallado case 28872 decays (error 6) 50 minutes into tcppver.out's span.
    satrec = next(s for s, _ in VALLADO if s.satnum == 28872)
    es = _es(satrec)
    start = es.epoch
    t = time_grid(start, start + dt.timedelta(minutes=120), 60.0)
    prop = propagate([[es]], t)
    bad = np.isnan(prop.lat_deg[0])
    assert bad.any() and not bad[0]
    assert set(prop.error_code[0][bad]) == {6}
    assert any("SGP4 error 6" in m and "decayed" in m and "positions are NaN" in m
               for m in prop.messages[0])


def test_blocks_give_identical_results(catalog, day_grid, monkeypatch):
    # Blocks only split the same arithmetic: results are bit for bit the same, with a
    # satellite whose times span two element sets (PRSC-EO1 here) among them.
    import orbitview.orbit.sgp4run as p
    sats = catalog.resolve_many(["PRSS-1", "PakSat-MM1", "PRSC-EO1"])
    t = time_grid(dt.datetime(2026, 7, 31, tzinfo=UTC), dt.datetime(2026, 8, 2, tzinfo=UTC),
                  60.0)
    whole = propagate(sats, t, sunlit=True)
    assert len(set(whole.set_index[2])) == 2
    monkeypatch.setattr(p, "BLOCK_POINTS", 500)
    blocks = propagate(sats, t, sunlit=True)
    for name in ("lat_deg", "lon_deg", "altitude_km", "itrs_km", "error_code", "set_index",
                 "sunlit"):
        assert np.array_equal(getattr(whole, name), getattr(blocks, name)), name


def test_a_history_changed_in_place_is_propagated_anew(catalog):
    """What propagate keeps per element sets (orbitview.orbit.sgp4run.histories_of, the
    slot hold's candidates) follows a history whose list of sets changed in place, as
    ``tle update`` changes it: the answer is that of a first call over the new sets."""
    import dataclasses

    from orbitview.orbit.sgp4run import clear_cache
    geo, leo, other = catalog.resolve_many(["PakSat-MM1", "PRSS-1", "PRSC-EO1"])
    sats = [dataclasses.replace(geo, elements=list(geo.elements)),
            dataclasses.replace(leo, elements=list(leo.elements)),
            dataclasses.replace(leo, elements=[leo.elements[-1]])]
    t = time_grid(dt.datetime(2026, 12, 1, tzinfo=UTC), dt.datetime(2026, 12, 1, 1, tzinfo=UTC),
                  600.0)
    before = propagate(sats, t)
    assert before.holds[0] is not None and len(sats[0].elements) >= 2
    sats[0].elements[:] = sats[0].elements[-1:]          # one set: nothing shows a slot
    sats[1].elements[-1] = sats[1].elements[0]           # another set in the newest's place
    sats[2].elements[0] = other.elements[-1]             # another object's set
    after = propagate(sats, t)
    clear_cache()
    fresh = propagate(sats, t)
    assert after.holds == fresh.holds == [None, None, None]
    assert after.messages == fresh.messages
    assert after.norad_ids == fresh.norad_ids == [geo.norad_id, leo.norad_id, other.norad_id]
    for name in ("lat_deg", "lon_deg", "altitude_km", "itrs_km", "error_code", "set_index"):
        assert np.array_equal(getattr(after, name), getattr(fresh, name), equal_nan=True), name
    assert not np.array_equal(after.itrs_km, before.itrs_km)
