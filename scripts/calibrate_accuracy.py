"""Calibrate the 90 % error bound per orbit class and element age on real CelesTrak pairs.

Reads every element set under scripts/data/calibration/ (provenance in its SOURCES.md)
plus the repository's own real sets (data/catalogs, data/tles, scripts/data/starlink.tle,
tests/data/accuracy), builds every (older set -> newer set) pair of one object (same NORAD
and COSPAR id), measures the error of the older set at the newer epoch
(orbitview.orbit.accuracy.pair_error; for station-kept GEO objects beyond 14 days the held slot,
as orbitview predicts), splits *objects* into a fit half and a held-out half by a hash of
the NORAD id, fits the constants of scripts/accuracy_model_draft.py on the fit half, and
prints, for the held-out half, class x age band -> pairs, coverage of the 90 % bound and
median bound / actual, for today's model (orbitview.orbit.accuracy.error_bound) and the new one.
Then: the GEO slot-hold rule (two newest sets vs the object's history), the relocated
GEO objects, and the phase-lost threshold.  Run from the repository root:

    python scripts/calibrate_accuracy.py            # about 1 minute
    python scripts/calibrate_accuracy.py --constants   # also print the fitted dict

It reads no clock and no network.
"""

from __future__ import annotations

import argparse
import math
import sys
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

import accuracy_model_draft as model  # noqa: E402
from orbitview.orbit import accuracy as acc  # noqa: E402
from orbitview.data.elements import STALE_AFTER_DAYS, parse_tle_text  # noqa: E402
from orbitview.orbit.geohold import (  # noqa: E402
    NS_KEPT_MAX_CHANGE_DEG, NS_KEPT_MAX_INCLINATION_DEG, hold_at, held_itrs_km,
    is_geosynchronous, mean_longitude_deg, station_keeping,
)

CAL = ROOT / "scripts" / "data" / "calibration"
REPO_SOURCES = [ROOT / "data" / "catalogs" / "geo.tle", ROOT / "data" / "catalogs" / "resource.tle",
                ROOT / "scripts" / "data" / "starlink.tle",
                *sorted((ROOT / "data" / "tles").glob("*.tle")),
                *sorted((ROOT / "tests" / "data" / "accuracy").glob("*.tle"))]
BANDS = ((1.0, 7.0), (7.0, 30.0), (30.0, 90.0), (90.0, 150.0))
MIN_CELL = 10
TAU = 0.90
"""Quantile fitted (the bound is a 90 % bound)."""


def fit_half(norad_id: int) -> bool:
    """Deterministic split of objects: CRC32 of the NORAD id, even -> fit, odd -> held out."""
    return zlib.crc32(str(norad_id).encode()) % 2 == 0


# ------------------------------------------------------------------------------ data

def load_sets():
    """Every set, deduplicated by (NORAD, COSPAR, epoch); problems listed, none dropped silently."""
    files = sorted(CAL.glob("*.tle")) + REPO_SOURCES
    by_obj: dict[tuple[int, str], dict[int, object]] = defaultdict(dict)
    problems, conflicts, n_read = [], [], 0
    for path in files:
        sets, probs = parse_tle_text(path.read_text(encoding="ascii"), path)
        problems += [(path, p) for p in probs]
        for es in sets:
            n_read += 1
            key = (es.norad_id, es.cospar_id)
            t = round(es.epoch_jd * 86400.0)
            old = by_obj[key].get(t)
            if old is not None and (old.line1, old.line2) != (es.line1, es.line2):
                conflicts.append((key, old.origin, es.origin))
            by_obj[key].setdefault(t, es)
    histories = {k: [v[t] for t in sorted(v)] for k, v in by_obj.items()}
    return files, histories, problems, conflicts, n_read


# ------------------------------------------------------------------------------ pairs

@dataclass
class Pair:
    p: acc.PairError
    history: list               # sets of the object up to and including the older one
    cls: str = ""               # new model's class (hold decided from history)
    err_new_km: float = 0.0     # what orbitview predicts under the new hold rule
    err_old_km: float = 0.0     # ... under today's rule (two newest sets)
    old_held: bool = False
    new_held: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def drag(self) -> float:
        return acc.drag_scale_s_per_day2(self.p.older)


_LON: dict[tuple, float] = {}


def mean_lon(es) -> float:
    key = (es.norad_id, es.epoch_jd)
    if key not in _LON:
        _LON[key] = mean_longitude_deg(es)
    return _LON[key]


def history_kept(history) -> bool:
    geo = [es for es in history if is_geosynchronous(es)]
    if len(geo) < 2:
        return False
    return model.slot_kept([mean_lon(es) for es in geo], [es.epoch_jd for es in geo])


def ns_kept(history) -> bool:
    inc = [math.degrees(es.satrec.inclo) for es in history]
    return max(inc) < NS_KEPT_MAX_INCLINATION_DEG and max(inc) - min(inc) < NS_KEPT_MAX_CHANGE_DEG


_HELD: dict[tuple, float] = {}


def held_error_km(older, newer, inclination_held: bool) -> float:
    """Largest distance over a day between the older set held at its slot and the newer set."""
    key = (older.norad_id, older.epoch_jd, newer.epoch_jd, inclination_held)
    if key not in _HELD:
        from orbitview.orbit.propagate import propagate
        from orbitview.util.timeutil import timescale
        ts = timescale()
        hold = hold_at(older, inclination_held)
        t0 = ts.from_datetime(newer.epoch)
        t = ts.tt_jd(t0.tt + np.linspace(0.0, 1.0, 24, endpoint=False))
        truth = propagate([[newer]], t, hold=False).itrs_km[:, 0, :]
        _HELD[key] = float(np.nanmax(np.linalg.norm(held_itrs_km(hold, t) - truth, axis=0)))
    return _HELD[key]


def classify(es, history) -> str:
    held = is_geosynchronous(es) and history_kept(history)
    return model.orbit_class(es.mean_motion_rev_per_day, math.degrees(es.satrec.inclo),
                             es.satrec.ecco, acc.drag_scale_s_per_day2(es), held)


def build_pairs(histories) -> list[Pair]:
    out = []
    for key, hist in histories.items():
        for j in range(1, len(hist)):
            for i in range(j):
                older, newer = hist[i], hist[j]
                age = (newer.epoch - older.epoch).total_seconds() / 86400.0
                if age < 0.5:
                    continue
                p = acc.pair_error(older, newer)
                if not np.isfinite(p.total_km):
                    continue
                before = hist[:i + 1]
                pr = Pair(p, before, classify(older, before))
                pr.err_new_km = pr.err_old_km = p.total_km
                if is_geosynchronous(older) and is_geosynchronous(newer):
                    pr.new_held = pr.cls == "geo_held"
                    old_hold = station_keeping(before) if len(before) >= 2 else None
                    pr.old_held = old_hold is not None
                    stale = age > STALE_AFTER_DAYS
                    if pr.new_held and stale:
                        pr.err_new_km = held_error_km(older, newer, ns_kept(before))
                    if pr.old_held and stale:
                        pr.err_old_km = held_error_km(older, newer, old_hold.inclination_held)
                out.append(pr)
    return out


def band_of(age: float):
    for lo, hi in BANDS:
        if lo <= age < hi or (hi == BANDS[-1][1] and age == hi):
            return (lo, hi)
    return None


# ------------------------------------------------------------------------------ fit

def fit_class(age, err, drag=None, tau=TAU):
    """Quantile regression of log error on log hypot(floor, growth * age**power).

    Pinball loss at ``tau`` minimised over a grid (floor and growth on log grids, power
    0.2 to 2.5), then refined once on a finer grid around the best point; numpy only.
    """
    age = np.maximum(np.asarray(age, float), 1.0)
    le = np.log(np.maximum(np.asarray(err, float), 1e-3))
    la = np.log(age)
    ld = (np.zeros_like(la) if drag is None else
          np.log(np.maximum(drag, model.DRAG_FLOOR_S_PER_DAY2) / model.D_REF_S_PER_DAY2))
    best_q = (np.inf, None)
    for q in ((0.0,) if drag is None else (0.0, 0.25, 0.5, 0.75, 1.0)):
        r = _fit_q(le, la + 0.0, q * ld, tau)
        if r[0] < best_q[0]:
            best_q = (r[0], r[1] + (q,))
    f, g, p, q = best_q[1]
    return (round(float(np.exp(f)), 3), round(float(np.exp(g)), 5), round(float(p), 3),
            round(float(q), 2))


def _fit_q(le, la, qld, tau):
    def search(lf, lg, pw):
        best = (np.inf, None)
        for p in pw:
            grow = lg[:, None, None] + p * la[None, None, :] + qld[None, None, :]
            curve = 0.5 * np.logaddexp(2 * lf[None, :, None], 2 * grow)  # (g, f, n)
            r = le[None, None, :] - curve
            loss = np.maximum(tau * r, (tau - 1) * r).sum(axis=2)
            k = np.unravel_index(np.argmin(loss), loss.shape)
            if loss[k] < best[0]:
                best = (loss[k], (lf[k[1]], lg[k[0]], p))
        return best

    lo, hi = np.log(max(np.exp(le).min(), 1e-2)), np.log(np.exp(le).max())
    _, (lf, lg, p) = search(np.linspace(lo, hi, 60), np.linspace(lo - 12, hi + 3, 120),
                            np.arange(0.2, 2.51, 0.05))
    return search(np.linspace(lf - 0.3, lf + 0.3, 31), np.linspace(lg - 0.5, lg + 0.5, 51),
                  np.arange(max(0.2, p - 0.05), p + 0.051, 0.01))


BORROW = {"heo": "geo_unheld", "deep_other": "geo_unheld", "geo_unheld": "geo_held"}


def _fit_one(prs, cls, min_band_pairs):
    age = np.array([p.p.age_days for p in prs])
    err = np.array([p.err_new_km for p in prs])
    drag = np.array([p.drag for p in prs])
    const = fit_class(age, err, drag if cls.startswith("leo") else None)
    shape = model.bound_km(np.full(len(age), cls, object), age, drag, {cls: const},
                           {cls: (1.0, 1.0, 1.0, 1.0)})
    sc = []
    for lo, hi in BANDS:
        m = (age >= lo) & (age <= hi if hi == BANDS[-1][1] else age < hi)
        sc.append(float(np.quantile(err[m] / shape[m], TAU)) if m.sum() >= min_band_pairs
                  else None)
    return const, sc


def fit_constants(pairs, min_pairs=15, min_band_pairs=8, folds=5):
    """Per class: the curve and band scales on all fit objects, then each band scale
    multiplied by the 90 % quantile of out-of-fold error / bound (objects of the fit half
    in ``folds`` groups by NORAD id; each group predicted by constants fitted without it),
    so that the bound carries the object-to-object spread a new object brings."""
    by = defaultdict(list)
    for pr in pairs:
        if fit_half(pr.p.norad_id) and pr.p.age_days >= 1.0:
            by[pr.cls].append(pr)
    const, scales, borrowed = {}, {}, {}
    for cls in model.CLASSES:
        prs = by.get(cls, [])
        if len(prs) < min_pairs:
            continue
        const[cls], sc = _fit_one(prs, cls, min_band_pairs)
        fold = np.array([(zlib.crc32(str(p.p.norad_id).encode()) // 2) % folds for p in prs])
        ratio = np.full(len(prs), np.nan)
        for k in range(folds):
            train = [p for p, f in zip(prs, fold) if f != k]
            test = [i for i, f in enumerate(fold) if f == k]
            if len(train) < min_pairs or not test:
                continue
            c_k, s_k = _fit_one(train, cls, min_band_pairs)
            if all(v is None for v in s_k):
                continue
            for i in test:
                p = prs[i]
                b = model.bound_km(cls, p.p.age_days, p.drag, {cls: c_k}, {cls: tuple(s_k)})
                ratio[i] = p.err_new_km / b
        age = np.array([p.p.age_days for p in prs])
        out = []
        for (lo, hi), v in zip(BANDS, sc):
            m = (age >= lo) & (age <= hi if hi == BANDS[-1][1] else age < hi) & np.isfinite(ratio)
            infl = float(np.quantile(ratio[m], TAU)) if m.sum() >= min_band_pairs else 1.0
            out.append(None if v is None else round(v * max(infl, 1.0), 3))
        scales[cls] = tuple(out)
    for cls in model.CLASSES:
        if cls not in const:
            src = BORROW.get(cls, "leo_other")
            while src not in const:
                src = BORROW.get(src, "leo_other")
            const[cls], scales[cls], borrowed[cls] = const[src], scales[src], src
    return const, scales, borrowed, {c: len(v) for c, v in by.items()}


# ------------------------------------------------------------------------------ tables

def old_bound_km(pr: Pair) -> tuple[float, bool]:
    b = acc.error_bound(pr.history, pr.p.age_days, held=pr.old_held and
                        pr.p.age_days > STALE_AFTER_DAYS, element_set=pr.history[-1])
    return b.position_km, b.phase_lost


def table(rows, title):
    """rows: (cls, band, covered, ratio, phase_lost)."""
    cells = defaultdict(list)
    for r in rows:
        cells[(r[0], r[1])].append(r)
    print(f"\n{title}")
    print(f"{'class':<21}{'age band (d)':>13}{'pairs':>7}{'covered':>9}{'median bound/actual':>21}"
          f"{'phase lost':>12}")
    for cls in model.CLASSES:
        for band in BANDS:
            rs = cells.get((cls, band))
            if not rs:
                continue
            cov = 100.0 * np.mean([r[2] for r in rs])
            med = np.median([r[3] for r in rs])
            lost = sum(r[4] for r in rs)
            flag = "" if len(rs) >= MIN_CELL else "  (< 10 pairs)"
            print(f"{cls:<21}{f'{band[0]:.0f}-{band[1]:.0f}':>13}{len(rs):>7}{cov:>8.1f}%"
                  f"{med:>21.2f}{lost:>12}{flag}")
    return cells


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--constants", action="store_true", help="print the fitted constants dict")
    args = ap.parse_args(argv)

    files, histories, problems, conflicts, n_read = load_sets()
    multi = {k: h for k, h in histories.items() if len(h) >= 2}
    print(f"read {n_read} element sets from {len(files)} files: {len(histories)} objects, "
          f"{len(multi)} with two or more epochs")
    print(f"entries not kept: {len(problems)} (page-edge fragments and the like; listed "
          f"in SOURCES.md); same epoch with different lines: {len(conflicts)}")
    for c in conflicts:
        print("  conflict:", c)

    pairs = build_pairs(multi)
    in_band = [pr for pr in pairs if band_of(pr.p.age_days)]
    print(f"pairs: {len(pairs)} with age >= 0.5 d; {len(in_band)} in the bands "
          f"{', '.join(f'{a:.0f}-{b:.0f}' for a, b in BANDS)} d; "
          f"{sum(pr.p.age_days < 1 for pr in pairs)} under 1 d, "
          f"{sum(pr.p.age_days > 150 for pr in pairs)} over 150 d (outside the bands)")

    const, scales, borrowed, n_fit = fit_constants(pairs)
    print("\nfit pairs per class (age >= 1 d): "
          + ", ".join(f"{c} {n_fit.get(c, 0)}" for c in model.CLASSES))
    if borrowed:
        print("classes without enough fit pairs carry another's constants: "
              + ", ".join(f"{c} <- {s}" for c, s in borrowed.items()))
    same = const == model.CONSTANTS and scales == model.BAND_SCALE
    if args.constants or not same:
        print("\nCONSTANTS = {  # class: (floor_km, growth_km, power, drag_power)")
        for c in model.CLASSES:
            print(f"    {c!r}: {const[c]},")
        print("}")
        print("BAND_SCALE = {  # class: scale at the middle of 1-7, 7-30, 30-90, 90-150 d")
        for c in model.CLASSES:
            print(f"    {c!r}: {scales[c]},")
        print("}")
        if not same:
            print("NOTE: scripts/accuracy_model_draft.py holds other constants; the tables "
                  "below use the ones just fitted")

    held_out = [pr for pr in in_band if not fit_half(pr.p.norad_id)]
    print(f"\nheld-out objects: {len({pr.p.norad_id for pr in held_out})}, pairs "
          f"{len(held_out)}")

    old_rows, new_rows = [], []
    for pr in held_out:
        band = band_of(pr.p.age_days)
        ob, lost = old_bound_km(pr)
        old_rows.append((pr.cls, band, pr.err_old_km <= ob, ob / max(pr.err_old_km, 1e-3),
                         lost))
        nb = model.bound_km(pr.cls, pr.p.age_days, pr.drag, const, scales)
        nlost = False
        if not pr.history[-1].is_deep_space:
            n = pr.history[-1].mean_motion_rev_per_day
            nlost = bool(model.phase_lost(model.timing_bound_s(nb, n), n))
        new_rows.append((pr.cls, band, pr.err_new_km <= nb, nb / max(pr.err_new_km, 1e-3),
                         nlost))
    old_cells = table(old_rows, "TODAY'S MODEL (orbitview.orbit.accuracy.error_bound), held-out objects")
    new_cells = table(new_rows, "NEW MODEL (scripts/accuracy_model_draft.py), held-out objects")

    check(old_cells, new_cells, old_rows, new_rows)
    geo_study(pairs)
    relocated(multi)
    phase_study(pairs, const, scales)
    pakistan(pairs, const, scales)


def check(old_cells, new_cells, old_rows, new_rows):
    bad = []
    for key, rs in new_cells.items():
        if len(rs) >= MIN_CELL:
            cov = 100 * np.mean([r[2] for r in rs])
            if not 85.0 <= cov <= 95.0:
                bad.append(f"{key[0]} {key[1][0]:.0f}-{key[1][1]:.0f} d: {cov:.1f} %")
    print("\ncells with >= 10 held-out pairs outside 85-95 %: " + (", ".join(bad) or "none"))
    print("median bound/actual per class (all held-out pairs in bands), today -> new:")
    for cls in model.CLASSES:
        o = [r[3] for r in old_rows if r[0] == cls]
        n = [r[3] for r in new_rows if r[0] == cls]
        if o:
            print(f"  {cls:<21} {np.median(o):8.2f} -> {np.median(n):6.2f}"
                  f"{'   LARGER' if np.median(n) > np.median(o) else ''}  ({len(o)} pairs)")


def geo_study(pairs):
    geo = [pr for pr in pairs if is_geosynchronous(pr.p.older) and is_geosynchronous(pr.p.newer)
           and pr.p.age_days >= 1.0]
    print(f"\nGEO SLOT HOLD: {len(geo)} geosynchronous pairs (age >= 1 d)")
    for name, sel in (("today (two newest sets)", lambda pr: pr.old_held),
                      ("history box (new)", lambda pr: pr.new_held)):
        held = [pr for pr in geo if sel(pr)]
        stale = [pr for pr in held if pr.p.age_days > STALE_AFTER_DAYS]
        err = [held_error_km(pr.p.older, pr.p.newer, ns_kept(pr.history)) for pr in stale]
        raw = [pr.p.total_km for pr in stale]
        un = [pr.p.total_km for pr in geo if not sel(pr) and pr.p.age_days > STALE_AFTER_DAYS]
        print(f"  {name:<25} held {len(held):4d} of {len(geo)} pairs "
              f"({len({pr.p.norad_id for pr in held})} objects); beyond 14 d: {len(stale)} held, "
              f"median error held {np.median(err) if err else float('nan'):7.1f} km "
              f"(raw SGP4 on the same pairs {np.median(raw) if raw else float('nan'):7.1f} km, "
              f"90 % {np.percentile(err, 90) if err else float('nan'):7.1f} vs "
              f"{np.percentile(raw, 90) if raw else float('nan'):7.1f}); unheld pairs {len(un)}, "
              f"median raw error {np.median(un) if un else float('nan'):7.1f} km")
    both = [pr for pr in geo if pr.new_held and not pr.old_held]
    print(f"  held by the history rule but not by today's: {len(both)} pairs of "
          f"{len({pr.p.norad_id for pr in both})} objects "
          f"({', '.join(sorted({str(pr.p.norad_id) for pr in both})[:12])}"
          f"{' ...' if len({pr.p.norad_id for pr in both}) > 12 else ''})")
    rev = [pr for pr in geo if pr.old_held and not pr.new_held]
    print(f"  held by today's rule but not by the history rule: {len(rev)} pairs of "
          f"{len({pr.p.norad_id for pr in rev})} objects")


def relocated(histories):
    print("\nRELOCATED GEO OBJECTS (mean longitude changed by more than 1 deg between epochs):")
    found = []
    for (nid, cospar), hist in histories.items():
        geo = [es for es in hist if is_geosynchronous(es)]
        if len(geo) < 2:
            continue
        lons = [mean_lon(es) for es in geo]
        for a, b, la, lb in zip(geo, geo[1:], lons, lons[1:]):
            d = (lb - la + 180.0) % 360.0 - 180.0
            if abs(d) > 1.0:
                days = (b.epoch - a.epoch).total_seconds() / 86400
                found.append((abs(d) / days, nid, cospar, a.name.strip(), a, b, la, lb, d, days))
    found.sort(reverse=True)
    for rate, nid, cospar, name, a, b, la, lb, d, days in found[:15]:
        print(f"  {nid} ({cospar}) {name}: {la:+8.2f} deg at {a.epoch:%Y-%m-%d %H:%M} -> "
              f"{lb:+8.2f} at {b.epoch:%Y-%m-%d %H:%M} ({d:+.2f} deg in {days:.1f} d, "
              f"{d / days:+.3f} deg/day; {a.origin_path.split('/')[-1]} -> "
              f"{b.origin_path.split('/')[-1]})")
    print(f"  {len({f[1] for f in found})} objects in all")


def phase_study(pairs, const, scales):
    leo = [pr for pr in pairs if not pr.p.older.is_deep_space and pr.p.age_days >= 1.0]
    frac = np.array([abs(pr.p.timing_s) / pr.p.period_s for pr in leo])
    print(f"\nPHASE LOST: {len(leo)} low-orbit pairs; |timing error| / period: "
          f"median {np.median(frac):.4f}, 99 % {np.percentile(frac, 99):.3f}, max {frac.max():.3f}; "
          f"beyond 0.25: {np.sum(frac > 0.25)}, beyond 0.35 (ambiguous): {np.sum(frac > 0.35)}")
    old_lost = [(pr, f) for pr, f in zip(leo, frac) if old_bound_km(pr)[1]]
    print(f"  today's model declares the phase lost (bound >= 1/2 period) for {len(old_lost)} "
          f"pairs; the actual error was under a quarter orbit for "
          f"{sum(f < 0.25 for _, f in old_lost)}, under 0.05 orbit for "
          f"{sum(f < 0.05 for _, f in old_lost)}")
    for thr in (0.1, 0.25, 0.5):
        lost = []
        for pr, f in zip(leo, frac):
            n = pr.p.older.mean_motion_rev_per_day
            tb = model.timing_bound_s(model.bound_km(pr.cls, pr.p.age_days, pr.drag, const, scales), n)
            if tb >= thr * pr.p.period_s:
                lost.append(f)
        over = [f for f in lost if f > thr]
        print(f"  new model, threshold {thr:.2f} period: {len(lost)} pairs declared lost; "
              f"of those, actual beyond {thr:.2f}: {len(over)}")


def pakistan(pairs, const, scales):
    print("\nPAKISTANI OBJECTS (all pairs, fit or held-out):")
    for nid in (62725, 65055, 68835, 43529, 43530, 59915, 37779):
        prs = [pr for pr in pairs if pr.p.norad_id == nid and pr.p.age_days >= 1.0]
        for pr in prs:
            ob, lost = old_bound_km(pr)
            nb = model.bound_km(pr.cls, pr.p.age_days, pr.drag, const, scales)
            print(f"  {nid} {pr.p.older.epoch:%Y-%m-%d}->{pr.p.newer.epoch:%Y-%m-%d} "
                  f"{pr.p.age_days:6.1f} d {pr.cls:<20} error {pr.err_new_km:9.1f} km "
                  f"(today's rule {pr.err_old_km:9.1f}); bound today {ob:9.1f}"
                  f"{' (phase lost)' if lost else ''}, new {nb:9.1f}")


if __name__ == "__main__":
    main()
