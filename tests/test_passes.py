"""The pass search for several satellites at once, against independent references.

References: skyfield's topocentric altitude sampled every second (a brute force with
no search at all), skyfield's ``is_sunlit`` and its apparent Sun altitude.
"""

import datetime as dt

import numpy as np
import pytest
from skyfield.api import EarthSatellite, load, wgs84

from orbitview.access.passes import find_passes
from orbitview.access.rules import ImagingRule, VisibilityRule, elevation_reach_deg, imaging_angles
from orbitview.data.ephemeris import ephemeris
from orbitview.data.sites import enu_basis, ground_itrs_km, parse_site

UTC = dt.timezone.utc
START = dt.datetime(2026, 9, 6, 6, tzinfo=UTC)      # the bundled LEO sets are days old here
EVENT_TOLERANCE_S = 0.1
"""The search's guarantee; the brute force is interpolated between its 1 s samples (its
own error is below 1e-3 s for these smooth elevation curves)."""
SUN_ELEVATION_TOLERANCE_DEG = 0.06
"""Rows round to 0.1 deg; orbitview's Sun is geometric, skyfield's apparent (aberration
0.006 deg, parallax 0.002 deg)."""


@pytest.fixture(scope="module")
def leo(catalog):
    return catalog.resolve_many(["PRSS-1", "PRSC-EO1", "PRSC-S1", "HS-1"])


@pytest.fixture(scope="module")
def search(leo):
    site = parse_site("Islamabad")
    return site, find_passes(leo, site, START, START + dt.timedelta(days=1), VisibilityRule(10))


def _brute_force(sat, site, start, hours):
    """AOS, LOS and TCA (s after start) of every pass, from skyfield's altitude each second."""
    ts = load.timescale(builtin=True)
    es = sat.elements[-1]
    seconds = np.arange(0, hours * 3600 + 1, 1.0)
    t = ts.utc(start.year, start.month, start.day, start.hour, 0, seconds)
    # As skyfield's find_events does: precession and nutation cancel between the
    # satellite and the site, so skip them (identity matrix, zero sidereal offset).
    t.gast, t.M, t.MT = t.tt * 0.0, np.identity(3), np.identity(3)
    alt = (EarthSatellite.from_satrec(es.satrec, ts)
           - wgs84.latlon(site.lat_deg, site.lon_deg, site.height_m)).at(t).altaz()[0].degrees
    f = alt - 10.0
    up = f >= 0
    k = np.flatnonzero(up[1:] != up[:-1])
    cross = seconds[k] + f[k] / (f[k] - f[k + 1])
    rises, sets = cross[up[k + 1]], cross[~up[k + 1]]
    rises = np.r_[0.0, rises] if up[0] else rises            # under way at the start
    sets = np.r_[sets, seconds[-1]] if up[-1] else sets
    tca = []
    for a, b in zip(rises, sets):
        j = int(np.ceil(a)) + int(np.argmax(alt[int(np.ceil(a)):int(b) + 1]))
        if 0 < j < len(alt) - 1 and a < j < b:
            f0, f1, f2 = alt[j - 1:j + 2]
            tca.append(j + 0.5 * (f0 - f2) / (f0 - 2 * f1 + f2))
        else:
            tca.append(float(j))
    return rises, sets, np.array(tca)


def test_several_satellites_against_one_second_brute_force(leo, search):
    site, rows = search
    assert len(rows) > 10
    for sat in leo:
        mine = [r for r in rows if r["norad_id"] == sat.norad_id]
        rises, sets, tca = _brute_force(sat, site, START, 24)
        assert len(mine) == len(rises), sat.name
        for row, a, b, c in zip(mine, rises, sets, tca):
            for key, expected in (("aos_utc", a), ("los_utc", b), ("tca_utc", c)):
                got = (row[key] - START).total_seconds()
                assert abs(got - expected) < EVENT_TOLERANCE_S, (sat.name, key, got, expected)


def test_one_search_equals_separate_searches(leo, search):
    site, rows = search
    separate = [r for sat in leo for r in find_passes(sat, site, START,
                                                      START + dt.timedelta(days=1),
                                                      VisibilityRule(10))]
    key = lambda r: (r["aos_utc"], r["norad_id"])       # noqa: E731
    assert sorted(separate, key=key) == rows


def test_a_search_in_groups_of_satellites_equals_one_search(leo, search, monkeypatch):
    """A large catalogue is searched group by group (memory holds one group): the rows are
    the one search's, in the same order."""
    from orbitview.access import passes
    site, rows = search
    # Room for one of these satellites' 1-day samples (about 300 each) per group.
    monkeypatch.setattr(passes, "CHUNK_BYTES", 400 * passes.BYTES_PER_SAMPLE)
    counts = [300] * len(leo)
    assert len(passes._groups(counts, [288.0] * len(leo), leo, 86400.0)) == len(leo)
    assert find_passes(leo, site, START, START + dt.timedelta(days=1), VisibilityRule(10)) == rows


def test_one_satellite_beyond_the_memory_budget_is_refused_up_front(catalog, monkeypatch):
    from orbitview.util.errors import UsageError
    monkeypatch.setenv("ORBITVIEW_MEMORY_GIB", "0.1")
    sat = catalog.resolve("PRSS-1")
    # 864,001 samples a tenth of a second apart: about 0.2 GiB, over the 0.1 GiB budget.
    with pytest.raises(UsageError, match=r"pass search of PRSS-1 over 1 days .*0\.2 GiB"
                                         r"(.|\n)*Fix: search at most about 0\.49 days"):
        find_passes([sat], parse_site("Islamabad"), START, START + dt.timedelta(days=1),
                    VisibilityRule(10), step_s=0.1)


def test_sunlight_and_sun_elevation_against_skyfield(catalog, search):
    site, rows = search
    ts = load.timescale(builtin=True)
    eph = ephemeris()
    observer = eph["earth"] + wgs84.latlon(site.lat_deg, site.lon_deg, site.height_m)
    assert {r["sunlit_at_tca"] for r in rows} == {True, False}
    for r in rows:
        t = ts.from_datetime(r["tca_utc"])
        sat = catalog.resolve(str(r["norad_id"]))
        es = min(sat.elements, key=lambda e: abs(e.age_days(r["tca_utc"])))
        position = EarthSatellite.from_satrec(es.satrec, ts).at(t)
        assert bool(position.is_sunlit(eph)) == r["sunlit_at_tca"]
        sun_alt = observer.at(t).observe(eph["sun"]).apparent().altaz()[0].degrees
        assert abs(sun_alt - r["site_sun_elevation_deg"]) < SUN_ELEVATION_TOLERANCE_DEG


def test_reach_bounds_hold_on_the_ellipsoid():
    # Every target within a rule's "certain" central angle has access, none beyond
    # "possible": checked on random ground points (heights -0.4 to 8.8 km) and
    # satellites from 300 km to GEO, through the rules' own margins.
    rng = np.random.default_rng(7)
    n = 200_000
    lat, lon = np.degrees(np.arcsin(rng.uniform(-1, 1, n))), rng.uniform(-180, 180, n)
    target = ground_itrs_km(lat, lon, rng.uniform(-400, 8800, n))
    enu = enu_basis(lat, lon)
    direction = rng.normal(size=(3, n))
    direction /= np.linalg.norm(direction, axis=0)
    radius = np.where(rng.random(n) < 0.8, rng.uniform(6670, 8000, n), 42164.0)
    sat = direction * radius
    cos = np.einsum("in,in->n", sat / radius, target / np.linalg.norm(target, axis=0))
    psi = np.degrees(np.arccos(np.clip(cos, -1, 1)))
    rules = [VisibilityRule(10.0), VisibilityRule(0.0), VisibilityRule(45.0),
             ImagingRule(max_off_nadir_deg=30.0), ImagingRule(swath_km=120.0),
             ImagingRule(max_off_nadir_deg=20.0, min_sun_elevation_deg=10.0)]
    sun = np.array([1.0, 0.0, 0.0])[:, None]
    for rule in rules:
        certain, possible = rule.reach_deg(radius, np.linalg.norm(target, axis=0))
        margin = rule.margin_deg_at(sat, target, enu, sun_itrs_unit=sun)
        assert np.all(margin[psi <= certain] >= 0), rule
        assert np.all(margin[psi > possible] < 0), rule
        near_edge = np.abs(psi - possible) < 1.0
        assert near_edge.any() and (margin[near_edge] >= 0).any(), rule
    assert elevation_reach_deg(6378.137 + 620.0, 6378.137, 0.0) == pytest.approx(
        np.degrees(np.arccos(6378.137 / (6378.137 + 620.0))))
    g = imaging_angles(sat[:, :3], target[:, :3], enu[:, :, :3])
    assert set(g) >= {"off_nadir_deg"}


def test_window_without_passes_and_imaging_rule(catalog):
    site = parse_site("Karachi")
    sat = catalog.resolve("PRSC-S1")
    assert find_passes([sat], site, START, START + dt.timedelta(minutes=5),
                       VisibilityRule(10)) == []
    # An optical imaging rule (Sun at the target) plugs into the same search: every
    # access window has the Sun up at Karachi.
    rule = ImagingRule(max_off_nadir_deg=30.0, min_sun_elevation_deg=10.0)
    rows = find_passes([sat], site, START, START + dt.timedelta(days=2), rule)
    assert rows and all(r["site_sun_elevation_deg"] >= 9.9 for r in rows)
