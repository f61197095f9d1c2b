"""What-if constellations: generated element sets must be the orbits asked for."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest
from conftest import run_cli

UTC = dt.timezone.utc
EPOCH = dt.datetime(2026, 11, 21, tzinfo=UTC)

RADIUS_TOL_KM = 2.0
"""Orbit-average geocentric radius minus the equatorial radius vs the altitude asked for:
SGP4's J2 short-period terms move the mean radius by ~0.5 km at 550 km."""
ANGLE_TOL_DEG = 0.05
"""Osculating node, inclination and argument of latitude at the epoch vs the design: J2
short-period oscillations are ~0.01-0.03 deg in low orbit."""
PHASE_TOL_DEG = 0.02
"""Phase from node-crossing times: interpolating a crossing at 1/2000 of an orbit is good to
~0.001 deg; the nodal period differs from the mean-motion period by J2 terms common to all."""
NODE_RATE_TOL = 1e-3
"""Relative error of the measured nodal rate of a sun-synchronous design (fit over 120 days
of osculating nodes, whose short-period wobble is ~0.01 deg)."""
LTDN_TOL_MIN = 1.5
"""Local mean time of the descending node, measured from SGP4 positions: the osculating
node wobbles by ~0.02 deg (5 s of time); interpolating the crossing at 10 s steps adds ~1 s;
the mean Sun and the node both turn 0.9856 deg/day, so it stays put for months."""


def _teme_state(sets, when):
    """Positions and velocities (TEME, km and km/s) of every set at ``when`` (datetimes)."""
    from orbitview.orbit.frames import sgp4_jd
    from orbitview.util.timeutil import timescale
    t = timescale().from_datetimes(list(when))
    jd, fr = sgp4_jd(t)
    out = []
    for es in sets:
        e, r, v = es.satrec.sgp4_array(jd, fr)
        assert not e.any()
        out.append((r, v))
    return out


def _node_incl_u(r, v):
    h = np.cross(r, v)
    h /= np.linalg.norm(h, axis=-1, keepdims=True)
    node = np.degrees(np.arctan2(h[..., 0], -h[..., 1])) % 360.0
    incl = np.degrees(np.arccos(h[..., 2]))
    n = np.stack([np.cos(np.radians(node)), np.sin(np.radians(node)), np.zeros_like(node)], -1)
    cos_u = np.einsum("...i,...i->...", r, n) / np.linalg.norm(r, axis=-1)
    sin_u = r[..., 2] / np.linalg.norm(r, axis=-1) / np.sin(np.radians(incl))
    return node, incl, np.degrees(np.arctan2(sin_u, cos_u)) % 360.0


def _wrap(deg):
    return (np.asarray(deg) + 180.0) % 360.0 - 180.0


@pytest.mark.parametrize("text,total,planes,phasing", [
    ("53:12/3/1", 12, 3, 1), (" 97.6 : 24 / 6 / 0 ", 24, 6, 0), ("45:1/1/0", 1, 1, 0)])
def test_parse_walker(text, total, planes, phasing):
    from orbitview.orbit.design import parse_walker
    spec = parse_walker(text)
    assert (spec.total, spec.planes, spec.phasing) == (total, planes, phasing)
    assert spec.per_plane * spec.planes == spec.total


@pytest.mark.parametrize("text,message", [
    ("53/12/3/1", "is not Walker notation"), ("53:12/5/1", "do not divide into 5 equal"),
    ("53:12/3/3", "phasing factor must be 0 to 2"), ("190:12/3/1", "outside 0 to 180"),
    ("0:12/3/1", "outside 0 to 180"), ("53:0/1/0", "at least one satellite")])
def test_parse_walker_errors(text, message):
    from orbitview.orbit.design import parse_walker
    from orbitview.util.errors import UsageError
    with pytest.raises(UsageError, match=message):
        parse_walker(text)


def test_walker_geometry_by_propagation():
    """53:12/3/1 at 550 km: altitude, inclination, planes 120 deg apart, 90 deg within a
    plane, 30 deg (f * 360 / t) between neighbouring planes, measured from SGP4."""
    from sgp4.earth_gravity import wgs72

    from orbitview.orbit.design import parse_walker, to_sets, walker
    sets = to_sets(walker(parse_walker("53:12/3/1"), 550.0, EPOCH))
    assert len(sets) == 12 and all(es.name.startswith("HYPOTHETICAL") for es in sets)
    period_min = 1440.0 / sets[0].mean_motion_rev_per_day
    when = [EPOCH + dt.timedelta(minutes=float(m)) for m in np.linspace(0, period_min, 200)]
    states = _teme_state(sets, when)
    for r, _ in states:
        mean_radius = np.linalg.norm(r, axis=1).mean()
        assert mean_radius - wgs72.radiusearthkm == pytest.approx(550.0, abs=RADIUS_TOL_KM)
    node, incl, u = (np.array(x) for x in zip(*[_node_incl_u(r[0], v[0]) for r, v in states]))
    assert np.allclose(incl, 53.0, atol=ANGLE_TOL_DEG)
    planes = node.reshape(3, 4)
    assert np.allclose(_wrap(planes - planes[:, :1]), 0.0, atol=ANGLE_TOL_DEG)
    assert np.allclose(_wrap(np.diff(planes[:, 0]) - 120.0), 0.0, atol=ANGLE_TOL_DEG)
    # Phasing: when each satellite crosses its ascending node (where every one of them has
    # the same short-period perturbation), as a fraction of the orbit.
    step_min = period_min / 2000.0
    when = [EPOCH + dt.timedelta(minutes=float(m))
            for m in np.arange(0.0, 2.1 * period_min, step_min)]
    crossings = []
    for r, _ in _teme_state(sets, when):
        z = r[:, 2]
        k = np.flatnonzero((z[:-1] < 0) & (z[1:] >= 0))[:2]
        crossings.append((k + z[k] / (z[k] - z[k + 1])) * step_min)
    nodal_period = np.mean([c[1] - c[0] for c in crossings])
    phase = [-360.0 * c[0] / nodal_period for c in crossings]   # argument of latitude at epoch
    slots = np.array(phase).reshape(3, 4)
    assert np.allclose(_wrap(np.diff(slots, axis=1) - 90.0), 0.0, atol=PHASE_TOL_DEG)
    assert np.allclose(_wrap(np.diff(slots[:, 0]) - 30.0), 0.0, atol=PHASE_TOL_DEG)


def test_star_pattern_spreads_nodes_over_180_degrees():
    from orbitview.orbit.design import parse_walker, to_sets, walker
    sets = to_sets(walker(parse_walker("86.4:6/6/2", "star"), 780.0, EPOCH))
    node = np.array([_node_incl_u(r[0], v[0])[0] for r, v in _teme_state(sets, [EPOCH])])
    assert np.allclose(_wrap(np.diff(node) - 30.0), 0.0, atol=ANGLE_TOL_DEG)


def test_mean_motion_matches_altitude():
    """SGP4's own mean semi-major axis equals the equatorial radius plus the altitude, and the
    Kozai mean motion is close to Kepler's for that radius (J2 makes it differ by ~0.1 %)."""
    from sgp4.earth_gravity import wgs72

    from orbitview.orbit.design import mean_motion_rev_per_day
    for h, i in ((550.0, 53.0), (700.0, 98.2), (1200.0, 30.0)):
        n = mean_motion_rev_per_day(h, i, EPOCH)
        a = wgs72.radiusearthkm + h
        kepler = math.sqrt(wgs72.mu / a ** 3) * 86400.0 / (2 * math.pi)
        assert n == pytest.approx(kepler, rel=3e-3)
        from orbitview.orbit.design import _satrec
        s = _satrec(EPOCH, i, n * 2 * math.pi / 1440.0)
        assert s.a * wgs72.radiusearthkm - wgs72.radiusearthkm == pytest.approx(h, abs=1e-6)


def test_sso_inclination_closed_form_and_node_rate():
    """Inclination within 0.05 deg of the J2-only closed form (SGP4 adds J2^2 and J4), and
    the node measured from 120 days of SGP4 positions turns 360 deg per tropical year."""
    from sgp4.earth_gravity import wgs72

    from orbitview.orbit.design import (
        TROPICAL_YEAR_D,
        sso_inclination_deg,
        sun_synchronous,
        to_sets,
    )
    h = 550.0
    a = wgs72.radiusearthkm + h
    n = math.sqrt(wgs72.mu / a ** 3)
    rate = 2 * math.pi / (TROPICAL_YEAR_D * 86400.0)
    closed = math.degrees(math.acos(-rate / (1.5 * n * wgs72.j2 * (wgs72.radiusearthkm / a)
                                             ** 2)))
    incl = sso_inclination_deg(h, EPOCH)
    assert 97.5 < incl < 97.7 and incl == pytest.approx(closed, abs=0.05)
    es = to_sets(sun_synchronous(h, [10.5], 1, EPOCH))[0]
    days = np.arange(0, 121, 5.0)
    (r, v), = _teme_state([es], [EPOCH + dt.timedelta(days=float(d)) for d in days])
    node = np.unwrap(np.radians(_node_incl_u(r, v)[0]))
    slope = np.polyfit(days, np.degrees(node), 1)[0]
    assert slope == pytest.approx(360.0 / TROPICAL_YEAR_D, rel=NODE_RATE_TOL)


def _descending_node_local_times(es, start, hours=24.0):
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    t = time_grid(start, start + dt.timedelta(hours=hours), 10.0)
    p = propagate([[es]], t)
    lat, lon = p.lat_deg[0], p.lon_deg[0]
    k = np.flatnonzero((lat[:-1] > 0) & (lat[1:] <= 0))
    f = lat[k] / (lat[k] - lat[k + 1])
    times = p.times_utc
    crossing = [times[i] + (times[i + 1] - times[i]) * float(x) for i, x in zip(k, f)]
    dlon = _wrap(lon[k + 1] - lon[k])
    node_lon = lon[k] + f * dlon
    from orbitview.orbit.design import local_time_of_node_h
    return local_time_of_node_h(node_lon, np.array(crossing))


@pytest.mark.parametrize("ltdn", [10.5, 13.75, 22.0])
def test_sso_descending_node_local_time_holds(ltdn):
    from orbitview.orbit.design import sun_synchronous, to_sets
    es = to_sets(sun_synchronous(550.0, [ltdn], 1, EPOCH))[0]
    for offset_days in (0, 90):
        lt = _descending_node_local_times(es, EPOCH + dt.timedelta(days=offset_days))
        assert len(lt) >= 14                        # ~15 orbits a day
        err_min = _wrap((lt - ltdn) * 15.0) / 15.0 * 60.0
        assert np.all(np.abs(err_min) < LTDN_TOL_MIN), (offset_days, err_min)


def test_sso_planes_and_phasing():
    from orbitview.orbit.design import sun_synchronous
    recs = sun_synchronous(600.0, [10.5, 13.5], 3, EPOCH)
    assert len(recs) == 6
    raan = np.array([r["RA_OF_ASC_NODE"] for r in recs]).reshape(2, 3)
    assert np.allclose(_wrap(raan[1] - raan[0]), 45.0)          # 3 hours of local time
    assert [r["MEAN_ANOMALY"] for r in recs[:3]] == [0.0, 120.0, 240.0]


def test_omm_round_trip_and_marker(tmp_path):
    """The JSON written is CelesTrak-style OMM that sgp4's own reader and orbitview's read
    back to identical orbits; every record says it is hypothetical."""
    from sgp4 import omm
    from sgp4.api import Satrec

    from orbitview.orbit.design import NORAD_BASE, is_hypothetical, to_sets
    out = tmp_path / "walker.json"
    status, stdout, err = run_cli("design", "walker", "53:12/3/1", "--altitude", "550",
                                  "--epoch", "2026-11-21", "-o", str(out), "--format", "json")
    assert status == 0, err
    rows = json.loads(stdout)
    assert len(rows) == 12 and all(r["hypothetical"] is True for r in rows)
    records = json.loads(out.read_text())
    assert all(r["OBJECT_ID"] == "HYPOTHETICAL" and "not a real satellite" in r["COMMENT"]
               and r["NORAD_CAT_ID"] > NORAD_BASE for r in records)
    from orbitview.data.elements import read_elements_text
    sets, problems = read_elements_text(out.read_text(), out)
    assert not problems and all(is_hypothetical(es) for es in sets)
    for rec, es in zip(records, sets):
        ref = Satrec()
        omm.initialize(ref, {**{k: str(v) for k, v in rec.items()}, "NORAD_CAT_ID": "0"})
        for minutes in (0.0, 1440.0):
            assert np.allclose(ref.sgp4_tsince(minutes)[1], es.satrec.sgp4_tsince(minutes)[1],
                               atol=1e-6)
    assert [es.name for es in sets] == [es.name for es in to_sets(records)]


def test_sensors_out_copies_the_instrument_with_its_basis(tmp_path):
    from orbitview.data.sensors import read_sensors
    sensors = tmp_path / "fleet_sensors.csv"
    status, _, err = run_cli("design", "sso", "--altitude", "550", "--ltdn", "10:30",
                             "--per-plane", "2", "--epoch", "2026-11-21", "-o",
                             str(tmp_path / "sso.json"), "--instrument", "PRSS-1",
                             "--sensors-out", str(sensors))
    assert status == 0, err
    rows, problems = read_sensors(sensors, None)
    assert not problems and len(rows) == 2
    assert rows[0].name == "HYPOTHETICAL SSO 10:30 P1-1"
    assert rows[0]["swath_km"] == 60.0 and rows[0].values["swath_km"].basis == "published"
    assert rows[0].values["max_off_nadir_deg"].assumed


@pytest.mark.parametrize("args,message", [
    (["walker", "53:12/5/1", "--altitude", "550"], "do not divide"),
    (["walker", "53:12/3/1", "--altitude", "100"], "--altitude"),
    (["walker", "53:12/3/1", "--altitude", "nan"], "not a finite number"),
    (["sso", "--altitude", "550", "--ltdn", "25:00"], "not a time of day"),
    (["sso", "--altitude", "550", "--ltdn", "10:30", "--per-plane", "0"], "--per-plane"),
    (["walker", "53:12/3/1", "--altitude", "550", "--instrument", "PakSat-MM1",
      "--sensors-out", "x.csv"], "has no imaging instrument"),
])
def test_design_errors(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = run_cli("design", *args)
    assert status == 2 or (status == 1 and "imaging" in message)
    assert message in err


def test_coverage_of_a_design_says_hypothetical(tmp_path):
    """Every output built on generated sets carries the marker: title, caption, CSV column
    and the map's caption."""
    import csv
    import io
    fleet = tmp_path / "w.json"
    assert run_cli("design", "walker", "53:6/2/1", "--altitude", "550", "--epoch",
                   "2026-11-21", "-o", str(fleet))[0] == 0
    args = ["coverage", "--elements", str(fleet), "990000001", "990000004", "--start",
            "2026-11-21", "--hours", "3", "--resolution", "0.5"]
    status, out, err = run_cli(*args, "--format", "csv")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(r["hypothetical"] == "True" for r in rows)
    status, out, err = run_cli(*args, "-o", str(tmp_path / "c.png"))
    assert status == 0, err
    assert out.startswith("HYPOTHETICAL fleet: Coverage") or "HYPOTHETICAL fleet" in out
    assert "2 of the 2 satellites are designs generated by 'orbitview design'" in \
        " ".join(out.split())
    # a real fleet carries no such column
    status, out, _ = run_cli("coverage", "PRSS-1", "--start", "2026-09-01", "--hours", "3",
                             "--resolution", "0.5", "--format", "csv")
    assert "hypothetical" not in out.splitlines()[0]


# --------------------------------------------------------------------------- sweeps

def test_sweep_configs_skip_uneven_planes():
    from orbitview.studies.sweep import sweep_configs
    specs, skipped = sweep_configs([4, 6], [1, 2, 4], 53.0)
    assert [(s.total, s.planes, s.phasing) for s in specs] == [(4, 1, 0), (4, 2, 1), (4, 4, 1),
                                                              (6, 1, 0), (6, 2, 1)]
    assert skipped == ["6 satellites in 4 planes (not a whole number per plane)"]


def test_sweep_more_satellites_never_wait_longer(catalog):
    """53:4/2/0 holds the satellites of 53:2/2/0 plus two more, so no cell can wait longer
    or see fewer opportunities; the sweep's rows agree with compute_revisit run directly."""
    from orbitview.access.coverage import make_grid
    from orbitview.data.regions import REGIONS, pakistan_polygon, province_polygons
    from orbitview.data.sensors import load_sensors
    from orbitview.orbit.design import WalkerSpec
    from orbitview.studies.sweep import sweep
    sensor = load_sensors(catalog)[catalog.resolve("PRSC-EO1").norad_id]
    grid = make_grid(REGIONS["pakistan"], 0.5, pakistan_polygon())
    end = EPOCH + dt.timedelta(days=3)
    rows = sweep([WalkerSpec(53.0, 2, 2, 0), WalkerSpec(53.0, 4, 2, 0)], 550.0, sensor, grid,
                 province_polygons(), EPOCH, end, 60.0)
    small = {r["region"]: r for r in rows if r["satellites"] == 2}
    big = {r["region"]: r for r in rows if r["satellites"] == 4}
    assert len(small) == len(big) == 8 and all(r["hypothetical"] for r in rows)
    compared = [region for region in small if small[region]["max_revisit_h"] is not None]
    assert len(compared) >= 6              # Islamabad has no 0.5 deg cell centre
    for region in compared:
        assert big[region]["max_revisit_h"] <= small[region]["max_revisit_h"]
        assert big[region]["never_imaged_pct"] <= small[region]["never_imaged_pct"]
    assert big["Pakistan"]["max_revisit_h"] < small["Pakistan"]["max_revisit_h"]


def test_sweep_cli(tmp_path):
    import csv
    import io
    png = tmp_path / "sweep.png"
    status, out, err = run_cli("design", "sweep", "--start", "2026-11-21", "--days", "2",
                               "--step", "60", "--resolution", "0.5", "--satellites", "2,4",
                               "--planes", "1,2", "-o", str(png), "--format", "csv")
    assert status == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["design"] for r in rows} == {"53:2/1/0", "53:2/2/1", "53:4/1/0", "53:4/2/1"}
    assert all(r["hypothetical"] == "True" for r in rows)
    assert png.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("args,message", [
    (["--satellites", "3", "--planes", "2"], "divides evenly"),
    (["--satellites", "4,x"], "not a list of whole numbers"),
    (["--inclination", "abc"], "not a number"),
    (["--instrument", "PakSat-MM1"], "has no imaging instrument"),
])
def test_sweep_errors(args, message):
    status, _, err = run_cli("design", "sweep", "--days", "1", *args)
    assert status == 2 and message in err


def test_designs_are_not_called_stale():
    """A generated set a year after its epoch is still the design (no real satellite to drift
    from): no staleness warning with an error bound and 'tle update' advice."""
    from orbitview.orbit.design import parse_walker, to_sets, walker
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    sets = to_sets(walker(parse_walker("53:2/2/1"), 550.0, EPOCH))
    t = time_grid(EPOCH + dt.timedelta(days=365), EPOCH + dt.timedelta(days=365, hours=1), 600)
    p = propagate([[es] for es in sets], t)
    assert p.warnings() == [] and np.isfinite(p.lat_deg).all()
