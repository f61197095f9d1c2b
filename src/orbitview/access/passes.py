"""Passes of satellites over a ground site under an access rule: one search for all.

A pass is an interval where the rule's :meth:`margin_deg_at` is >= 0.  The
search runs for every satellite at once in a few large vectorised stages;
each stage is one SGP4 call per satellite and one rule evaluation per
satellite, whatever the number of passes, its times turned into SGP4's
Julian dates and GMST by arithmetic (no skyfield ``Time`` per stage).  A
catalogue of thousands is searched in groups of satellites whose samples fit
:data:`CHUNK_BYTES` (each satellite's passes do not depend on the others'), so
that memory holds one group however large the catalogue:

1. **Samples** every twentieth of an orbit (skyfield's ``find_events`` step;
   at most 6 hours).
2. **Culminations**: every local maximum of the sampled elevation is refined
   by grids of :data:`GRID_POINTS` times closing in on it, then a parabola
   through the best three.  Maxima of satellites too far from the site for
   the rule ever to be met in between (the Earth central angle moves at most
   at the orbit's angular rate plus the Earth's) are skipped.
3. **Edges**: wherever the margin changes sign between neighbouring known
   times (samples and culminations), grids close in on the crossing to
   :data:`EVENT_TOLERANCE_S`, then it is interpolated linearly.

A pass that rises and sets between two samples is found through its
culmination; so is any dip of the margin below zero that a grid reveals.
TCA is the highest elevation within the pass.  Sunlight at TCA and the Sun's
elevation at the site come from one ephemeris evaluation for all passes, at
the hourly anchors either side of each TCA only.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from orbitview.data.sites import Site, enu_basis
from orbitview.util.errors import UsageError

SAMPLES_PER_ORBIT = 20
MAX_SAMPLE_STEP_S = 6 * 3600.0
GRID_POINTS = 7
"""Times per refinement grid (ends included): each stage narrows a crossing 6-fold and a
culmination 3-fold (7 points were as fast as 5 and 6 % faster than 9, 2026-12-05: the
evaluations, not the stages, cost)."""
EVENT_TOLERANCE_S = 0.1
"""AOS and LOS are bracketed to twice this, then interpolated: within it for any
continuous margin, far better for a smooth one."""
EARTH_ROTATION_RAD_S = 7.2921159e-5
BYTES_PER_SAMPLE = 256
"""Peak memory of the search per sample (measured: about 230 bytes, every stage's arrays and
skyfield's times included)."""
CHUNK_BYTES = 64 * 2**20
"""Memory of one search over a group of satellites: a catalogue of thousands is searched
group by group, so that memory holds one group's samples however many satellites."""


def site_view(sat, site: Site, t, hold: bool = True):
    """(azimuth_deg, elevation_deg, range_km) of ``sat`` from ``site`` at Time array ``t``
    (station-kept GEO satellites held at their slot unless ``hold=False``)."""
    from orbitview.access.rules import look_angles
    from orbitview.orbit.propagate import propagate
    enu = enu_basis(site.lat_deg, site.lon_deg)
    return look_angles(site.itrs_km[:, None], enu,
                       propagate([sat], t, hold=hold).itrs_km[:, 0, :])


# --------------------------------------------------------------------------- geometry

class _View:
    """Satellites seen from one site at any seconds after ``start``, all satellites at once.

    Points are given as ``owner`` (satellite index, ascending) and ``seconds`` (within
    ``span_s`` of ``start``); each evaluation is one SGP4 call per satellite and one rule
    call per satellite, with times turned into SGP4's Julian dates and GMST by arithmetic
    (:class:`~orbitview.orbit.frames.UtcSeconds`), not a skyfield ``Time`` each.
    """

    def __init__(self, histories, rules, site: Site, start: dt.datetime, span_s: float,
                 hold: bool = True, records=None):
        from orbitview.orbit.frames import UtcSeconds
        self.histories, self.rules, self.start, self.hold = histories, rules, start, hold
        self.records = records or [None] * len(histories)
        self.clock = UtcSeconds(start, span_s)
        self.site = site.itrs_km[:, None]
        self.enu = enu_basis([site.lat_deg], [site.lon_deg])
        self.needs_sun = any(r.needs_sun for r in rules)
        self.needs_velocity = any(getattr(r, "needs_velocity", False) for r in rules)

    def sun_itrs_unit(self, seconds: np.ndarray, theta: np.ndarray) -> np.ndarray:
        """Earth-fixed unit vectors (3, n) towards the Sun at ``seconds`` (GMST ``theta``)."""
        from orbitview.orbit.frames import sun_teme_km_tt, teme_to_itrs
        sun_teme = sun_teme_km_tt(self.clock.tt(seconds), self.clock.ts)
        return teme_to_itrs(sun_teme.T / np.linalg.norm(sun_teme, axis=0)[:, None], theta)

    def __call__(self, owner: np.ndarray, seconds: np.ndarray, full: bool = False) -> dict:
        """``margin_deg``, ``elevation_deg`` and ``itrs_km`` (3, n) at each point; with
        ``full`` also ``azimuth_deg``, ``range_km``, ``r_teme_km`` (3, n), ``set_index``,
        GMST ``theta_rad`` and SGP4's Julian dates ``jd`` + ``fr``."""
        from orbitview.access.rules import elevation_deg, look_angles
        from orbitview.orbit.frames import teme_to_itrs
        from orbitview.orbit.propagate import history_teme
        n = len(seconds)
        out = {"margin_deg": np.empty(n), "elevation_deg": np.empty(0),
               "itrs_km": np.empty((3, 0))}
        if n == 0:
            return out
        clock = self.clock
        theta = clock.gmst_rad(seconds)
        jd, fr = clock.sgp4_jd(seconds)           # once for all satellites (elementwise)
        r_teme = np.empty((n, 3))
        v_teme = np.empty((n, 3)) if self.needs_velocity else None
        set_index = np.zeros(n, int)
        bounds = np.searchsorted(owner, np.arange(len(self.histories) + 1))
        for i, history in enumerate(self.histories):
            a, b = bounds[i], bounds[i + 1]
            if a < b:
                _, r_teme[a:b], set_index[a:b], v, _ = history_teme(
                    history, lambda a=a, b=b: clock.time(seconds[a:b]), hold=self.hold,
                    velocity=self.needs_velocity, record=self.records[i],
                    jd_fr=(jd[a:b], fr[a:b]))
                if self.needs_velocity:
                    v_teme[a:b] = v
        xyz = teme_to_itrs(r_teme, theta)
        if full:
            az, el, rng = look_angles(self.site, self.enu, xyz)
        else:
            el = elevation_deg(self.site, self.enu, xyz)
        sun = self.sun_itrs_unit(seconds, theta) if self.needs_sun else None
        velocity = None
        if self.needs_velocity:
            # Earth-fixed velocity: the rotated TEME velocity less the frame's rotation.
            velocity = teme_to_itrs(v_teme, theta)
            velocity[0] += EARTH_ROTATION_RAD_S * xyz[1]
            velocity[1] -= EARTH_ROTATION_RAD_S * xyz[0]
        margin = out["margin_deg"]
        for i, rule in enumerate(self.rules):
            a, b = bounds[i], bounds[i + 1]
            if a < b:
                margin[a:b] = rule.margin_deg_at(
                    xyz[:, a:b], self.site, self.enu,
                    sun_itrs_unit=None if sun is None else sun[:, a:b],
                    sat_velocity_itrs_km_s=None if velocity is None else velocity[:, a:b])
        margin[np.isnan(margin)] = -180.0                 # SGP4 failure: no access
        el[np.isnan(el)] = -180.0
        out["elevation_deg"] = el
        out["itrs_km"] = xyz
        if full:
            out.update(azimuth_deg=az, range_km=rng, r_teme_km=r_teme.T, set_index=set_index,
                       theta_rad=theta, jd=jd, fr=fr)
        return out


# --------------------------------------------------------------------------- search

def find_passes(satellites, site: Site, start: dt.datetime, end: dt.datetime, rule,
                step_s: float | None = None, hold: bool = True) -> list[dict]:
    """Every pass of each satellite over ``site`` between ``start`` and ``end``, by AOS.

    ``satellites`` is one :class:`~orbitview.data.catalog.Satellite` or a list of
    them; ``rule`` an access rule (:mod:`orbitview.access.rules`), asked
    ``for_satellite`` once per satellite.  A pass in progress at ``start``
    (or at ``end``) starts (ends) there and is flagged.  ``step_s`` overrides
    the sampling step.  Station-kept geostationary satellites are held at their slot
    as :func:`~orbitview.orbit.propagate.propagate` holds them, unless ``hold=False``.
    """
    sats = [satellites] if hasattr(satellites, "require_elements") else list(satellites)
    span = (end - start).total_seconds()
    if span <= 0:
        raise UsageError("the pass search window is empty.\nFix: give --days > 0.")
    if not sats:
        return []
    histories = [s.require_elements() for s in sats]
    steps = [step_s or min(MAX_SAMPLE_STEP_S, _period_s(h) / SAMPLES_PER_ORBIT)
             for h in histories]
    counts = [int(np.ceil(span / s - 1e-9)) + 1 for s in steps]
    groups = _groups(counts, steps, sats, span)
    if len(groups) == 1:
        return _search(sats, histories, steps, counts, site, start, span, rule, hold)
    out: list[dict] = []
    for a, b in groups:
        out += _search(sats[a:b], histories[a:b], steps[a:b], counts[a:b], site, start, span,
                       rule, hold)
    out.sort(key=lambda r: (r["aos_utc"], r["norad_id"] or 0))      # as _rows sorts a group
    return out


def _groups(counts: list[int], steps: list[float], sats, span_s: float
            ) -> list[tuple[int, int]]:
    """Consecutive satellites (index ranges) whose samples fit :data:`CHUNK_BYTES` (or a
    quarter of the memory budget, when that is less); one satellite that needs more than
    that is a group of its own, refused beyond the budget."""
    from orbitview.util import budget
    per_group = max(1, min(CHUNK_BYTES, budget.limit_bytes() // 4) // BYTES_PER_SAMPLE)
    groups: list[tuple[int, int]] = []
    a, held = 0, 0
    for i, n in enumerate(counts):
        if n > per_group:
            days = budget.limit_bytes() / BYTES_PER_SAMPLE * steps[i] / 86400
            budget.require(n * BYTES_PER_SAMPLE,
                           f"the pass search of {sats[i].name} over {span_s / 86400:g} days "
                           f"({n:,} samples)", "search at most about "
                           f"{f'{days:.0f}' if days >= 10 else f'{days:.2g}'} days at once")
        if held and held + n > per_group:
            groups.append((a, i))
            a, held = i, 0
        held += n
    groups.append((a, len(counts)))
    return groups


def _search(sats, histories, steps, counts, site: Site, start: dt.datetime, span: float, rule,
            hold: bool) -> list[dict]:
    """:func:`find_passes` over one group of satellites, all at once."""
    rules = [rule.for_satellite(s) for s in sats]
    view = _View(histories, rules, site, start, span, hold=hold,
                 records=[getattr(s, "record", None) for s in sats])

    # 1. Samples.
    owner = np.repeat(np.arange(len(sats)), counts)
    seconds = np.concatenate([np.linspace(0.0, span, c) for c in counts])
    sampled = view(owner, seconds)

    # 2. Culminations.
    peaks = _culminations(view, owner, seconds, sampled, steps, histories, rules, site)

    # 3. Edges between neighbouring known times.
    known_owner = np.concatenate([owner, peaks["owner"]])
    known_s = np.concatenate([seconds, peaks["seconds"]])
    known_m = np.concatenate([sampled["margin_deg"], peaks["margin_deg"]])
    order = np.lexsort((known_s, known_owner))
    known_owner, known_s, known_m = known_owner[order], known_s[order], known_m[order]
    crossings = _edges(view, known_owner, known_s, known_m)

    # 4. Passes: rises and sets in order, with passes under way at either end.
    first, last = _segment_edges(known_owner)
    open_start = known_owner[first & (known_m >= 0)]
    open_end = known_owner[last & (known_m >= 0)]
    ev_owner = np.concatenate([open_start, crossings["owner"], open_end])
    ev_s = np.concatenate([np.zeros(len(open_start)), crossings["seconds"],
                           np.full(len(open_end), span)])
    ev_rise = np.concatenate([np.ones(len(open_start), bool), crossings["rising"],
                              np.zeros(len(open_end), bool)])
    ev_at_end = np.r_[np.ones(len(open_start), bool), np.zeros(len(crossings["seconds"]), bool),
                      np.ones(len(open_end), bool)]
    order = np.lexsort((ev_s, ev_owner))
    ev_owner, ev_s, ev_rise, ev_at_end = (v[order] for v in (ev_owner, ev_s, ev_rise, ev_at_end))
    passes = {"owner": ev_owner[ev_rise], "aos": ev_s[ev_rise], "los": ev_s[~ev_rise],
              "started": ev_at_end[ev_rise], "ended": ev_at_end[~ev_rise]}
    return _rows(view, sats, histories, start, passes, peaks)


def _period_s(history) -> float:
    return 86400.0 / history[-1].mean_motion_rev_per_day


def _max_angular_rate_rad_s(history) -> float:
    """Upper bound of how fast the sub-satellite direction turns (rad/s): the fastest
    orbital angular rate (at perigee) of any set, 10 % added for perturbations, plus the
    Earth's rotation."""
    rates = []
    for es in history:
        n, e = es.satrec.no_kozai / 60.0, es.satrec.ecco
        rates.append(n * (1.0 + e) ** 2 / (1.0 - e * e) ** 1.5)
    return 1.1 * max(rates) + EARTH_ROTATION_RAD_S


def _apogee_km(history) -> float:
    return max((es.satrec.alta + 1.0) * es.satrec.radiusearthkm for es in history) * 1.01


def _segment_edges(owner):
    first = np.r_[True, owner[1:] != owner[:-1]]
    last = np.r_[owner[1:] != owner[:-1], True]
    return first, last


def _culminations(view, owner, seconds, sampled, steps, histories, rules, site) -> dict:
    """Refine every sampled local maximum of elevation that the rule could reach."""
    el = sampled["elevation_deg"]
    first, last = _segment_edges(owner)
    prev = np.r_[-np.inf, el[:-1]]
    nxt = np.r_[el[1:], -np.inf]
    prev[first], nxt[last] = -np.inf, -np.inf
    peak = (el > prev) & (el >= nxt)
    # The bracket of a sampled maximum is its two neighbours (or itself at an end).
    k = np.flatnonzero(peak)
    lo_k, hi_k = np.where(first[k], k, k - 1), np.where(last[k], k, k + 1)
    # Maxima the rule cannot reach are dropped as soon as a grid shows it: between
    # points ``spacing`` apart the central angle to the site shrinks by at most
    # rate * spacing / 2.
    site_itrs = view.site[:, 0]                  # computed once (a skyfield call each time)
    site_r = float(np.linalg.norm(site_itrs))
    possible = np.array([rule.reach_deg(_apogee_km(h), site_r)[1]
                         for h, rule in zip(histories, rules)])
    rate_deg_s = np.degrees([_max_angular_rate_rad_s(h) for h in histories])

    def reachable(p_owner, xyz, spacing_s):
        psi = _central_angle_deg(xyz, site_itrs).reshape(len(p_owner), -1).min(axis=1)
        return psi - rate_deg_s[p_owner] * spacing_s / 2.0 <= possible[p_owner]

    sample_psi = _central_angle_deg(sampled["itrs_km"], site_itrs)
    closest = np.minimum.reduce([sample_psi[lo_k], sample_psi[k], sample_psi[hi_k]])
    step = np.asarray(steps)[owner[k]]
    keep = closest - rate_deg_s[owner[k]] * step / 2.0 <= possible[owner[k]]
    # The first grid's ends (and its middle, for a maximum inside) are samples already.
    k, lo_k, hi_k = k[keep], lo_k[keep], hi_k[keep]
    known_f = np.full((len(k), GRID_POINTS), np.nan)
    known_xyz = np.empty((3, len(k), GRID_POINTS))
    known_f[:, 0], known_xyz[:, :, 0] = el[lo_k], sampled["itrs_km"][:, lo_k]
    known_f[:, -1], known_xyz[:, :, -1] = el[hi_k], sampled["itrs_km"][:, hi_k]
    inside = (lo_k < k) & (k < hi_k)
    known_f[inside, GRID_POINTS // 2] = el[k[inside]]
    known_xyz[:, inside, GRID_POINTS // 2] = sampled["itrs_km"][:, k[inside]]
    p_owner, t_peak = _refine_maximum(view, owner[k], seconds[lo_k], seconds[hi_k], reachable,
                                      known_f, known_xyz)
    at_peak = view(p_owner, t_peak)
    return {"owner": p_owner, "seconds": t_peak, "margin_deg": at_peak["margin_deg"],
            "elevation_deg": at_peak["elevation_deg"]}


def _central_angle_deg(sat_itrs_km, site_itrs_km):
    """Earth central angle (deg) between a site and satellites (3, n); 180 where NaN."""
    cos = (site_itrs_km / np.linalg.norm(site_itrs_km)) @ sat_itrs_km \
        / np.linalg.norm(sat_itrs_km, axis=0)
    psi = np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    psi[np.isnan(psi)] = 180.0
    return psi


def _grid(lo, hi):
    """(n, GRID_POINTS) evenly spaced times from lo to hi (rows), ends included."""
    return lo[:, None] + (hi - lo)[:, None] * np.linspace(0.0, 1.0, GRID_POINTS)


def _refine_maximum(view, owner, lo, hi, reachable, known_f, known_xyz):
    """Times of the highest elevation in each [lo, hi] (a bracketed unimodal maximum).

    Returns ``(owner, seconds)`` of the maxima that ``reachable(owner, xyz,
    spacing_s)`` keeps at every stage.  ``known_f`` (n, GRID_POINTS) holds the
    elevations already known at the first grids' points (NaN where not) and
    ``known_xyz`` (3, n, GRID_POINTS) their positions: they are not evaluated again, nor
    are each later grid's ends and (for a maximum inside its grid) middle, points of the
    grid before.
    """
    width = 4.0 * EVENT_TOLERANCE_S
    mid = GRID_POINTS // 2
    while len(lo):
        x = _grid(lo, hi)
        f, xyz = known_f, known_xyz
        need = np.isnan(f)
        at = view(np.repeat(owner, need.sum(axis=1)), x[need])
        f[need] = at["elevation_deg"]
        xyz[:, need] = at["itrs_km"]
        keep = reachable(owner, xyz.reshape(3, -1), (hi - lo) / (GRID_POINTS - 1))
        owner, x, f, xyz = owner[keep], x[keep], f[keep], xyz[:, keep]
        j = np.argmax(f, axis=1)
        rows = np.arange(len(owner))
        jl, jh = np.maximum(j - 1, 0), np.minimum(j + 1, GRID_POINTS - 1)
        if np.max(x[:, -1] - x[:, 0], initial=0.0) <= width:
            # Parabola through the best point and its neighbours (equally spaced).
            f0, f1, f2 = f[rows, jl], f[rows, j], f[rows, jh]
            denom = f0 - 2.0 * f1 + f2
            inner = (jl < j) & (j < jh) & (denom < 0)
            shift = np.where(inner, 0.5 * (f0 - f2) / np.where(inner, denom, 1.0), 0.0)
            return owner, x[rows, j] + shift * (x[rows, jh] - x[rows, j])
        lo, hi = x[rows, jl], x[rows, jh]
        known_f = np.full_like(f, np.nan)
        known_xyz = np.empty_like(xyz)
        known_f[:, 0], known_xyz[:, :, 0] = f[rows, jl], xyz[:, rows, jl]
        known_f[:, -1], known_xyz[:, :, -1] = f[rows, jh], xyz[:, rows, jh]
        inside = (jl < j) & (j < jh)
        known_f[inside, mid] = f[rows[inside], j[inside]]
        known_xyz[:, inside, mid] = xyz[:, rows[inside], j[inside]]
    return owner, lo


def _edges(view, owner, seconds, margin) -> dict:
    """Every zero crossing of the margin between neighbouring known times, refined."""
    same = owner[1:] == owner[:-1]
    change = same & ((margin[1:] >= 0) != (margin[:-1] >= 0))
    k = np.flatnonzero(change)
    b_owner, lo, hi = owner[k], seconds[k], seconds[k + 1]
    f_lo, f_hi = margin[k], margin[k + 1]
    while len(lo) and np.max(hi - lo) > 2.0 * EVENT_TOLERANCE_S:
        x = _grid(lo, hi)
        inner = x[:, 1:-1]
        f_inner = view(np.repeat(b_owner, GRID_POINTS - 2),
                       inner.ravel())["margin_deg"].reshape(inner.shape)
        f = np.concatenate([f_lo[:, None], f_inner, f_hi[:, None]], axis=1)
        # Every sign change in a grid is a crossing of its own (usually one per grid).
        row, j = np.nonzero((f[:, 1:] >= 0) != (f[:, :-1] >= 0))
        b_owner, lo, hi = b_owner[row], x[row, j], x[row, j + 1]
        f_lo, f_hi = f[row, j], f[row, j + 1]
    rising = f_lo < 0
    crossing = lo + (hi - lo) * np.clip(f_lo / np.where(f_lo != f_hi, f_lo - f_hi, 1.0), 0, 1)
    # A rise is the first time with margin >= 0: the crossing itself.
    return {"owner": b_owner, "seconds": crossing, "rising": rising}


# --------------------------------------------------------------------------- rows

def _rows(view, sats, histories, start, passes, peaks) -> list[dict]:
    """Pass rows: events, look angles, sunlight and data age, from one evaluation."""
    from orbitview.access.rules import sun_elevation_deg
    from orbitview.orbit.frames import in_sunlight, sun_teme_km_tt, teme_to_itrs
    owner, aos, los = passes["owner"], passes["aos"], passes["los"]
    m = len(aos)
    if m == 0:
        return []
    # TCA: the highest culmination inside the pass (the first of equals).
    tca, has_peak = aos.copy(), np.zeros(m, bool)
    p_pass = _pass_of(owner, aos, los, peaks["owner"], peaks["seconds"])
    inside = np.flatnonzero(p_pass >= 0)
    if len(inside):
        order = np.lexsort((-inside, peaks["elevation_deg"][inside], p_pass[inside]))
        best = inside[order]
        last = np.r_[p_pass[best][1:] != p_pass[best][:-1], True]
        tca[p_pass[best[last]]] = peaks["seconds"][best[last]]
        has_peak[p_pass[best[last]]] = True
    points = np.stack([aos, tca, los], axis=1).ravel()
    at = view(np.repeat(owner, 3), points, full=True)
    az, el, rng = (at[k].reshape(m, 3) for k in ("azimuth_deg", "elevation_deg", "range_km"))
    # Without a culmination inside, the elevation is monotonic: TCA is the higher end.
    column = np.where(has_peak, 1, np.where(el[:, 2] > el[:, 0], 2, 0))
    tca = np.where(column == 2, los, np.where(column == 0, aos, tca))
    row = 3 * np.arange(m) + column
    # The Sun at TCA only: sunlight of the satellite and the Sun's elevation at the site.
    sun_teme = sun_teme_km_tt(view.clock.tt(points[row]), view.clock.ts)
    lit = in_sunlight(at["r_teme_km"][:, row], sun_teme)
    sun_elevation = sun_elevation_deg(
        view.enu, teme_to_itrs(sun_teme.T / np.linalg.norm(sun_teme, axis=0)[:, None],
                               at["theta_rad"][row]))
    age = (at["jd"][row] + at["fr"][row]).tolist()
    set_index = at["set_index"][row].tolist()
    aos_s, tca_s, los_s = aos.tolist(), tca.tolist(), los.tolist()
    max_el = el[np.arange(m), column].tolist()
    aos_az, los_az = az[:, 0].tolist(), az[:, 2].tolist()
    lit_l, sun_l = lit.tolist(), sun_elevation.tolist()
    started, ended = passes["started"].tolist(), passes["ended"].tolist()
    out = []
    for i, o in enumerate(owner.tolist()):
        sat = sats[o]
        es = histories[o][set_index[i]]
        out.append({
            "norad_id": sat.norad_id, "name": sat.name,
            "aos_utc": start + dt.timedelta(seconds=aos_s[i]),
            "tca_utc": start + dt.timedelta(seconds=tca_s[i]),
            "los_utc": start + dt.timedelta(seconds=los_s[i]),
            "max_elevation_deg": round(max_el[i], 2),
            "aos_azimuth_deg": round(aos_az[i], 1),
            "los_azimuth_deg": round(los_az[i], 1),
            "duration_s": round(los_s[i] - aos_s[i], 1),
            "sunlit_at_tca": bool(lit_l[i]),
            "site_sun_elevation_deg": round(sun_l[i], 1),
            "epoch_age_days": round(age[i] - es.epoch_jd, 2),
            "in_progress_at_start": bool(started[i]),
            "in_progress_at_end": bool(ended[i]),
        })
    out.sort(key=lambda r: (r["aos_utc"], r["norad_id"] or 0))
    return out


def _pass_of(owner, aos, los, p_owner, p_seconds) -> np.ndarray:
    """Index of the pass (``owner``, [``aos``, ``los``]; in (owner, aos) order, not
    overlapping) that holds each point (``p_owner``, ``p_seconds``), -1 for none."""
    n = len(owner)
    # Passes and points in one (owner, time) order, a pass's AOS before a point at its time.
    key_owner = np.concatenate([owner, p_owner])
    key_time = np.concatenate([aos, p_seconds])
    kind = np.r_[np.zeros(n, int), np.ones(len(p_owner), int)]
    order = np.lexsort((kind, key_time, key_owner))
    latest = np.where(order < n, order, -1)
    np.maximum.accumulate(latest, out=latest)       # passes are in the same order
    candidate = np.empty(len(order), int)
    candidate[order] = latest
    candidate = candidate[n:]
    pick = np.maximum(candidate, 0)
    ok = (candidate >= 0) & (owner[pick] == p_owner) & (p_seconds <= los[pick])
    return np.where(ok, candidate, -1)


def geo_note(sat, site: Site, state: dict, rule) -> str:
    """The sentence passes and the web map give for a :func:`geo_visibility` state."""
    return (f"{sat.name} ({sat.norad_id}) is {state['visible']} visible from {site.name} "
            f"({rule.describe()}): elevation {state['min_elevation_deg']:.2f} to "
            f"{state['max_elevation_deg']:.2f} deg")


def geo_visibility(sat, site: Site, start, end, rule, hold: bool = True) -> dict | None:
    """For a satellite that never rises or sets: a note on its constant visibility."""
    span = (end - start).total_seconds()
    view = _View([sat.require_elements()], [rule.for_satellite(sat)], site, start, span,
                 hold=hold, records=[getattr(sat, "record", None)])
    seconds = np.linspace(0, span, 49)
    at = view(np.zeros(len(seconds), int), seconds)
    margin, el = at["margin_deg"], at["elevation_deg"]
    if np.all(margin >= 0):
        return {"visible": "continuously", "min_elevation_deg": float(el.min()),
                "max_elevation_deg": float(el.max())}
    if np.all(margin < 0):
        return {"visible": "never", "min_elevation_deg": float(el.min()),
                "max_elevation_deg": float(el.max())}
    return None
