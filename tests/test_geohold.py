"""The GEO slot hold: the decision from history and record, better predictions than SGP4
drift, --no-hold."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from conftest import REPO, TESTDATA

from orbitview.data.elements import parse_tle_text
from orbitview.orbit import geohold
from orbitview.orbit.geohold import (
    apply_hold,
    decide,
    held_itrs_km,
    held_mask,
    hold_at,
    hold_for,
    mean_longitude_deg,
    record_refusal,
    station_keeping,
    why_not_held,
)
from orbitview.orbit.propagate import propagate
from orbitview.util.timeutil import time_grid, timescale

UTC = dt.timezone.utc
ACCURACY = TESTDATA / "accuracy"
CALIBRATION = REPO / "scripts" / "data" / "calibration"


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


# --------------------------------------------------------------------------- the decision

def _sets(path, norad_id):
    sets, problems = parse_tle_text(path.read_text(), path.name)
    assert not problems
    return [es for es in sets if es.norad_id == norad_id]


def test_paksat_mm1_is_held_from_its_history(catalog):
    sat = catalog.resolve("PakSat-MM1")
    decision = decide(sat)
    assert decision.kept and not decision.refused_by_record
    assert why_not_held(sat) is None
    assert decision.hold.slot_lon_deg == pytest.approx(38.2, abs=0.05)
    assert "38.19 E at 2026-05-29 and 38.20 E at 2026-09-07" in decision.reason
    assert hold_for(sat, sat.latest, 75.0) is not None
    assert hold_for(sat.elements, sat.latest, 75.0, record=sat.record) is not None
    assert hold_for(sat, sat.latest, 75.0, hold=False) is None
    assert hold_for(sat, sat.latest, 10.0) is None              # not stale yet


def test_paksat_mm1_is_held_from_may_28_where_two_newest_sets_refused():
    """Its 25 and 28 May 2026 sets moved 0.015 deg/day, above the old rule's 0.01 limit;
    inside the 0.5 deg box over three days, so station-kept."""
    may25 = _sets(CALIBRATION / "geo_8a74161_080000-095424_excerpt.tle", 59915)
    may28 = _sets(CALIBRATION / "geo_f2c6356_080000-096000_excerpt.tle", 59915)
    history = may25 + may28
    assert [f"{es.epoch:%m-%d}" for es in history] == ["05-25", "05-28"]
    moved = abs(mean_longitude_deg(history[1]) - mean_longitude_deg(history[0]))
    assert 0.01 < moved / 2.9 < 0.02
    assert decide(history).kept


def test_paksat_1r_is_not_held_and_says_why(catalog):
    """Its record (data/launches.csv) says it went to a graveyard orbit after its last set;
    its two sets, 300 days apart at 38 E, would otherwise count as station-kept."""
    sat = catalog.resolve("PakSat-1R")
    assert station_keeping(sat.elements) is not None           # the history alone: kept
    decision = decide(sat)
    assert not decision.kept and decision.refused_by_record
    reason = why_not_held(sat)
    assert reason == decision.reason
    assert reason.startswith("PakSat-1R (37779) is not held at a slot: its record "
                             "(data/launches.csv:5) says 'retired (graveyard orbit)'")
    assert "its last element set (2026-05-30) does not describe where it is now" in reason
    assert station_keeping(sat) is None
    assert station_keeping(sat.elements, record=sat.record) is None
    assert hold_for(sat, sat.latest, 100.0) is None
    assert hold_for(sat.elements, sat.latest, 100.0, record=sat.record) is None
    assert hold_for(sat.elements, sat.latest, 100.0, record="retired (graveyard orbit)") is None
    ages = np.array([100.0, 101.0])
    index = np.array([1, 1])
    assert held_mask(sat.elements, index, ages, record=sat.record) == (None, None)
    assert held_mask(sat, index, ages) == (None, None)
    assert held_mask(sat.elements, index, ages)[1] is not None  # no record: history decides


def test_apply_hold_takes_the_records(catalog):
    """propagate() must pass the records: apply_hold holds PakSat-1R only without them."""
    sats = catalog.resolve_many(["PakSat-MM1", "PakSat-1R"])
    t = time_grid(dt.datetime(2026, 11, 21, tzinfo=UTC), dt.datetime(2026, 11, 21, 2, tzinfo=UTC),
                  3600)
    prop = propagate(sats, t, hold=False)
    apply_hold(prop, records=[s.record for s in sats])
    assert prop.holds[0] is not None and prop.holds[1] is None
    raw = propagate(sats, t, hold=False)
    assert np.allclose(prop.lon_deg[1], raw.lon_deg[1])
    bare = propagate(sats, t, hold=False)
    apply_hold(bare)
    assert bare.holds[1] is not None
    with pytest.raises(ValueError, match="1 records for 2 satellites"):
        apply_hold(propagate(sats, t, hold=False), records=[None])


@pytest.mark.parametrize("status, refused", [
    ("active", False), ("", False), ("unknown (entered lunar orbit 2024-05-08)", False),
    ("retired", True), ("retired (graveyard orbit)", True), ("decayed 1990-12-08", True),
    ("relocated to 50 E", True), ("non-operational (in orbit)", True),
    ("Graveyard", True),
])
def test_the_rule_is_on_the_record_status(catalog, status, refused):
    mm1 = catalog.resolve("PakSat-MM1")
    assert (record_refusal(status) is not None) is refused
    record = dataclasses.replace(mm1.record, status=status)
    assert decide(mm1.elements, record).kept is not refused
    if refused:
        assert f"says '{status}'" in why_not_held(mm1.elements, record)
    moved = any(w in status.lower() for w in ("graveyard", "decayed", "relocated"))
    assert geohold.record_says_moved(status) is moved


def test_wildblue_1_is_not_held_across_its_relocation():
    """Real sets (tests/data/geohold/SOURCES.md): 111.2 W in May, 72.1 E and drifting in
    September 2026."""
    history = _sets(TESTDATA / "geohold" / "wildblue-1_29643.tle", 29643)
    assert len(history) == 4
    lons = [mean_longitude_deg(es) for es in history]
    assert lons[0] == pytest.approx(-111.2, abs=0.1) and lons[2] == pytest.approx(72.13, abs=0.1)
    # In May its two sets sat in one box: it looked station-kept (and the move broke that).
    assert decide(history[:2]).kept
    for n in (3, 4):
        d = decide(history[:n])
        assert not d.kept and not d.refused_by_record
        assert "drifting or relocated" in d.reason
    assert why_not_held(history[:3]).startswith(
        "its mean longitude moved from 111.20 W (2026-05-30) to 72.13 E (2026-09-06)")
    t = time_grid(dt.datetime(2026, 11, 1, tzinfo=UTC), dt.datetime(2026, 11, 1, 6, tzinfo=UTC),
                  3600)
    held, raw = propagate([history], t), propagate([history], t, hold=False)
    assert held.holds[0] is None
    assert np.allclose(held.lon_deg, raw.lon_deg)
    from orbitview.orbit.accuracy import bound_at
    b = bound_at(history, dt.datetime(2026, 11, 1, tzinfo=UTC))
    assert not b.held and b.orbit_class == "geo_unheld" and "drifting or relocated" in b.hold_note


def test_one_set_and_short_spans_are_not_held(catalog):
    mm1 = catalog.resolve("PakSat-MM1")
    assert why_not_held(mm1.elements[-1:]) == "one element set shows no station-keeping"
    assert "is not geosynchronous" in why_not_held(catalog.resolve("PRSS-1"))
    es = mm1.latest
    near = dataclasses.replace(es, epoch=es.epoch - dt.timedelta(days=1))
    assert "span 1.0 days" in why_not_held([near, es])


def test_hold_records_the_drift_across_its_box(catalog):
    hold = decide(catalog.resolve("PakSat-MM1")).hold
    lons = [mean_longitude_deg(es) for es in catalog.resolve("PakSat-MM1").elements]
    days = (catalog.resolve("PakSat-MM1").latest.epoch
            - catalog.resolve("PakSat-MM1").elements[0].epoch).total_seconds() / 86400
    assert hold.drift_deg_per_day == pytest.approx(abs(lons[1] - lons[0]) / days, rel=1e-9)
    assert geohold.SLOT_BOX_DEG == 0.5 and geohold.MIN_SPAN_DAYS == 2.0
