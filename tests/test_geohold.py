"""The GEO slot hold: detection from history, better predictions than SGP4 drift, --no-hold."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest

from orbitview.data.elements import parse_tle_text
from orbitview.orbit.geohold import (hold_at, held_itrs_km, mean_longitude_deg,
                               station_keeping)
from orbitview.orbit.propagate import propagate
from orbitview.util.timeutil import time_grid, timescale

from conftest import TESTDATA

UTC = dt.timezone.utc
ACCURACY = TESTDATA / "accuracy"


def _errors(older, newer, hold):
    """Max distance (km) over the newer set's first day: held older set and raw SGP4."""
    ts = timescale()
    t0 = ts.from_datetime(newer.epoch)
    t = ts.tt_jd(t0.tt + np.linspace(0.0, 1.0, 24, endpoint=False))
    truth = propagate([[newer]], t, hold=False).itrs_km[:, 0, :]
    raw = propagate([[older]], t, hold=False).itrs_km[:, 0, :]
    held = held_itrs_km(dataclasses.replace(hold, newest=older,
                                            slot_lon_deg=mean_longitude_deg(older)), t)
    return (np.linalg.norm(held - truth, axis=0).max(),
            np.linalg.norm(raw - truth, axis=0).max())


@pytest.mark.parametrize("name, slot_deg, inclination_held, held_max_km", [
    ("PakSat-MM1", 38.2, True, 100.0),    # 2026-05-29 set -> 2026-09-07 set, 100 days
    ("PakSat-1R", 38.0, False, 500.0),    # 2025-08-02 set -> 2026-05-30 set, 301 days
])
def test_bundled_history_held_slot_beats_sgp4_drift(catalog, name, slot_deg, inclination_held,
                                                    held_max_km):
    history = catalog.resolve(name).elements
    hold = station_keeping(history)
    assert hold is not None
    assert hold.slot_lon_deg == pytest.approx(slot_deg, abs=0.05)
    assert hold.inclination_held is inclination_held
    held_km, raw_km = _errors(history[0], history[1], hold)
    assert held_km < held_max_km
    assert raw_km > 20 * held_km


def test_geo_catalog_held_slot_beats_sgp4_drift():
    """95 geosynchronous objects, CelesTrak sets of 2026-05-30 against 2026-09-07."""
    old = {e.norad_id: e for e in parse_tle_text((ACCURACY / "geo_2026-05-30.tle").read_text(),
                                                 "old")[0]}
    new = parse_tle_text((ACCURACY / "geo_2026-09-07.tle").read_text(), "new")[0]
    better, kept = 0, 0
    for es in new:
        hold = station_keeping([old[es.norad_id], es])
        if hold is None:
            continue
        kept += 1
        held_km, raw_km = _errors(old[es.norad_id], es, hold)
        better += held_km < raw_km
    assert kept >= 80
    assert better / kept >= 0.95


def test_drifting_and_lone_sets_are_not_held(catalog):
    old = {e.norad_id: e for e in parse_tle_text((ACCURACY / "geo_2026-05-30.tle").read_text(),
                                                 "old")[0]}
    new = {e.norad_id: e for e in parse_tle_text((ACCURACY / "geo_2026-09-07.tle").read_text(),
                                                 "new")[0]}
    # INMARSAT 3-F1 (23839) drifted from 77 W to 180 E between the two sets.
    assert station_keeping([old[23839], new[23839]]) is None
    assert station_keeping(catalog.resolve("PakSat-MM1").elements[-1:]) is None
    assert station_keeping(catalog.resolve("PRSS-1").elements) is None


def test_propagate_holds_paksat_mm1_and_no_hold_drifts(catalog):
    """SGP4 drifts PakSat-MM1 from its 38.2 E slot to 42.5 E by 2026-11-21; the hold keeps it."""
    t = time_grid(dt.datetime(2026, 11, 21, tzinfo=UTC), dt.datetime(2026, 11, 22, tzinfo=UTC),
                  1800)
    sat = [catalog.resolve("PakSat-MM1")]
    held = propagate(sat, t, sunlit=True)
    raw = propagate(sat, t, sunlit=True, hold=False)
    assert np.all(np.abs(held.lon_deg - 38.2) < 0.1)
    assert np.all(np.abs(raw.lon_deg - 42.5) < 0.2)
    assert held.holds[0] is not None and "held at its 38.2 E slot" in held.messages[0][0]
    assert "held" not in raw.messages[0][0]
    # Sunlight of the held position equals skyfield's is_sunlit at the same place.
    assert held.sunlit.all()          # November: far from the equinox eclipse seasons


def test_hold_only_after_the_set_is_stale(catalog):
    sat = catalog.resolve("PakSat-MM1")
    epoch = sat.latest.epoch
    t = time_grid(epoch + dt.timedelta(days=1), epoch + dt.timedelta(days=2), 3600)
    fresh = propagate([sat], t)
    assert fresh.holds[0] is None
    assert np.allclose(fresh.lon_deg, propagate([sat], t, hold=False).lon_deg)


def test_hold_at_reproduces_the_set_over_its_first_day(catalog):
    es = catalog.resolve("PakSat-MM1").latest
    hold = hold_at(es, inclination_held=True)
    ts = timescale()
    t0 = ts.from_datetime(es.epoch)
    t = ts.tt_jd(t0.tt + np.linspace(0.0, 0.99, 12))
    direct = propagate([[es]], t, hold=False).itrs_km[:, 0, :]
    assert np.allclose(held_itrs_km(hold, t), direct, atol=1e-6)
