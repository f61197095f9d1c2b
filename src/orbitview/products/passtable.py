"""Pass tables for people: the cells, title and caption the CLI prints and the web map
lists, and the calendar a pass table becomes."""

from __future__ import annotations

TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%m-%d %H:%M:%S", "%m-%d %H:%M")
"""Local times from full to compact; every one carries its date."""
PASS_TABLE_DROP = ["aos_utc_text", "sun_el", "aos_az", "los_az", "duration", "age",
                   "vis_from", "vis_until", "magnitude", "bound"]
"""Columns of the pass table left out first to last when the terminal is narrow."""
TWILIGHT_SUN_DEG = {"civil": -6, "nautical": -12, "astronomical": -18}
HEADERS = {"name": "name", "aos": "AOS", "tca": "TCA", "los": "LOS", "max_el": "max el°",
           "dir": "dir", "vis": "by eye", "vis_from": "seen from", "vis_until": "until",
           "magnitude": "mag", "bound": "±", "aos_utc_text": "AOS UTC", "sun_el": "sun el°",
           "aos_az": "AOS az°", "los_az": "LOS az°", "duration": "s", "age": "age d"}
STYLES = {"max_el": "1", "aos_az": "0", "los_az": "0", "duration": "0", "sun_el": "0",
          "age": "1"}


def visibility_word(r) -> str:
    """'always up', 'yes', 'part', 'likely', 'no: day' or 'no: shadow' for a pass row."""
    if r.get("tca_utc") is None:
        return "always up"
    if "visible" in r:
        if r["visible"]:
            whole = (abs((r["visible_start_utc"] - r["aos_utc"]).total_seconds()) <= 2
                     and abs((r["visible_end_utc"] - r["los_utc"]).total_seconds()) <= 2)
            return "yes" if whole else "part"
        if r["site_sun_elevation_deg"] is not None and r["site_sun_elevation_deg"] >= -6:
            return "no: day"
        return "no: shadow"
    if r.get("sunlit_at_tca") and (r.get("site_sun_elevation_deg") or 0) < -6:
        return "likely"
    return "no: day" if (r.get("site_sun_elevation_deg") or -90) >= -6 else "no: shadow"


def table_rows(rows, clock, time_format, bounds=None, records=None) -> list[dict]:
    """The cells of the pass table, times in ``clock``'s zone as ``time_format``.

    With ``bounds`` (one :class:`~orbitview.orbit.accuracy.ErrorBound` per row), the
    passes of a satellite whose bound is phase lost (where on its orbit it is cannot be
    said) are not listed one by one at times that would be guesses: after the others,
    one row per such satellite says 'unknown (elements N d old)' in place of its times,
    angles and visibility (``records``: NORAD number -> launch record, to say when a
    record says it was moved).  CSV and JSON keep every pass, with ``phase_lost``."""
    bounds = bounds if bounds is not None else [None] * len(rows)
    out, lost = [], {}
    for r, bound in zip(rows, bounds):
        if bound is not None and bound.phase_lost:
            lost.setdefault(r["norad_id"], []).append((r, bound))
            continue

        def fmt(t):
            return "" if t is None else clock.local(t).strftime(time_format)
        always = r["tca_utc"] is None                  # GEO: the window, said by 'always up'
        out.append({
            "name": r["name"],
            "aos": ("* " if r["in_progress_at_start"] and not always else "") + fmt(r["aos_utc"]),
            "tca": fmt(r["tca_utc"]) if r["tca_utc"] else "-",
            "los": fmt(r["los_utc"]) + (" *" if r["in_progress_at_end"] and not always else ""),
            "max_el": r["max_elevation_deg"],
            "dir": r.get("direction", ""),
            "vis": visibility_word(r),
            "vis_from": fmt(r.get("visible_start_utc")),
            "vis_until": fmt(r.get("visible_end_utc")),
            "magnitude": "" if r.get("magnitude") is None else f"{r['magnitude']:+.1f}",
            "bound": "" if bound is None else (bound.timing_text() or bound.km_text()),
            "aos_utc_text": r["aos_utc"].strftime("%m-%d %H:%M:%S"),
            "sun_el": r["site_sun_elevation_deg"],
            "aos_az": r["aos_azimuth_deg"], "los_az": r["los_azimuth_deg"],
            "duration": r["duration_s"], "age": r["epoch_age_days"],
            "_style": "yellow" if abs(r["epoch_age_days"]) > 14 else None})
    out += [unknown_row(found, (records or {}).get(norad)) for norad, found in lost.items()]
    return out


def unknown_row(found, record=None) -> dict:
    """The one table row of a satellite whose passes' times are unknown (``found``:
    its (row, bound) pairs): its name, 'unknown (elements N d old)' for the times, blank
    angles."""
    from orbitview.products.unknowns import unknown_text
    r, bound = max(found, key=lambda rb: abs(rb[1].age_days))
    return {"name": r["name"], "aos": unknown_text(bound, record, r["aos_utc"]),
            "tca": "unknown", "los": "unknown", "max_el": None, "dir": "", "vis": "unknown",
            "vis_from": "", "vis_until": "", "magnitude": "", "bound": "unknown",
            "aos_utc_text": "unknown",
            "sun_el": None, "aos_az": None, "los_az": None, "duration": None,
            "age": r["epoch_age_days"], "_style": "yellow"}


def records_of(table) -> dict:
    """NORAD number -> launch record of each satellite of a pass table (None: none)."""
    return {s.norad_id: getattr(s, "record", None) for s in table.satellites}


def columns_and_headers(table) -> tuple[list[str], dict]:
    """The table's columns (most important first) and their headers with the zone."""
    m = table.meta
    visible = m["visible"]
    headers = dict(HEADERS, vis="visible" if visible else "by eye")
    cols = ["name", "aos", "tca", "los", "max_el", "dir", "vis"]
    if visible:
        cols += ["vis_from", "vis_until"]
        if any(r.get("magnitude") is not None for r in table.rows):
            cols.append("magnitude")
    cols += ["bound", "aos_utc_text", "aos_az", "los_az", "duration", "sun_el", "age"]
    abbr = m["clock"].abbreviation(m["start"])
    for h in ("aos", "tca", "los", "vis_from", "vis_until"):
        headers[h] = f"{headers[h]} {abbr}"
    return cols, headers


def title(table) -> str:
    m = table.meta
    clock, where = m["clock"], m["site"]
    return (f"{'Visible passes' if m['visible'] else 'Passes'} over {where.label()}, "
            f"{clock.text(m['start'], seconds=False)} to {clock.text(m['end'], seconds=False)} "
            f"{clock.abbreviation(m['start'])}, {m['access']}: {m['rule']}")


def caption_lines(table) -> list[str]:
    """What the table's caption says: marks, the zone, each satellite's element age and
    bound, sources of objects not in orbitview's records, magnitudes, assumptions."""
    m, rows = table.meta, table.rows
    clock, where = m["clock"], m["site"]
    lines = (["* pass already under way at the start (or still under way at the end)."]
             if any((r["in_progress_at_start"] or r["in_progress_at_end"]) and r.get("tca_utc")
                    for r in rows) else [])
    if m["visible"]:
        lines.append(f"visible: satellite sunlit while the Sun at {where.name} is below "
                     f"{TWILIGHT_SUN_DEG[m['twilight']]} deg ({m['twilight']} twilight); part "
                     "= it enters or leaves the Earth's shadow during the pass.")
    else:
        lines.append("by eye: 'likely' = satellite sunlit at TCA with the Sun below -6 deg at "
                     "the site (--visible checks the whole pass).")
    lines.append(f"Times in {clock.describe(m['start'])}, {clock.why}; ± = 90 % bound on the "
                 "timing from the element age (orbitview.orbit.accuracy).")
    for s in table.satellites:
        mine = [b for r, b in zip(rows, table.bounds) if r["norad_id"] == s.norad_id and b]
        lost = [(r, b) for r, b in zip(rows, table.bounds)
                if r["norad_id"] == s.norad_id and b and b.phase_lost]
        if lost:
            lines.append(unknown_caption(s, lost, len(mine), any(
                r["tca_utc"] is None for r in rows if r["norad_id"] == s.norad_id)))
        elif mine:
            # The oldest pass bounds them all; the warning on stderr gives the age at the
            # far end of the window, which may lie past the last pass.
            ages = [abs(b.age_days) for b in mine]
            b = max(mine, key=lambda x: abs(x.age_days))
            if b.timing_s is not None and b.timing_s > 60 or b.phase_lost:
                if max(ages) - min(ages) >= 0.05:
                    lines.append(f"{s.name}: elements {min(ages):.1f}-{max(ages):.1f} days "
                                 f"old at these passes; at the oldest, {b.text()}.")
                else:
                    lines.append(f"{s.name}: elements {max(ages):.1f} days old at this pass: "
                                 f"{b.text()}.")
        if getattr(s, "source", None) and hasattr(s, "label"):
            lines.append(f"{s.name} ({s.norad_id}): from {s.source}, not a Pakistani record.")
    if any(r.get("magnitude") is not None for r in rows):
        sources = sorted({r["magnitude_source"] for r in rows if r.get("magnitude_source")})
        lines.append("mag: brightest while visible, from the standard magnitude of "
                     + "; ".join(sources) + " (diffuse-sphere phase law).")
    if m.get("assumptions"):
        lines.append(m["assumptions"])
    return lines


def unknown_caption(sat, lost, found: int, always: bool = False) -> str:
    """The caption line of a satellite whose passes' times are unknown (``lost``: their
    (row, bound) pairs, of ``found`` passes in all)."""
    from orbitview.products.unknowns import reason
    r, worst = max(lost, key=lambda rb: abs(rb[1].age_days))
    why = reason(sat.name, worst, getattr(sat, "record", None), r["aos_utc"])
    if always:
        return (f"{sat.name}: {why}, so whether it is in view is unknown (--format csv/json "
                "gives SGP4's answer, with phase_lost).")
    some = (f"{len(lost)} of its {found} passes" if len(lost) < found
            else f"its {found} pass{'es' if found != 1 else ''}")
    return (f"{sat.name}: {why}, so the times and angles of {some} are not shown "
            "(--format csv/json gives SGP4's, with phase_lost).")


def passes_ics(table, stamp=None) -> bytes:
    """The pass table as an iCalendar file: one VEVENT per pass, AOS to LOS, with the
    maximum elevation, direction, visibility and the element age's bound.

    A pass from stale elements says so in its title ('PRSS-1 pass, max 25° NE→SSE
    (elements 158 d old, ±20 min)').  Passes whose times are unknown (phase lost: where on
    its orbit the satellite is cannot be said) are left out: one event over the whole
    window per such satellite says how many were left out and why."""
    from orbitview.data.localtime import now_utc
    from orbitview.products.export.ics import event_uid, events_to_ics
    from orbitview.products.unknowns import note_event, title_suffix
    m = table.meta
    where, clock, visible = m["site"], m["clock"], m["visible"]
    events, lost = [], {}
    for r, bound in zip(table.rows, table.bounds):
        if r.get("tca_utc") is None:
            continue                         # a GEO satellite that is always up: no event
        if bound is not None and bound.phase_lost:
            lost.setdefault(r["norad_id"], []).append((r, bound))
            continue
        vis = visibility_word(r)
        summary = f"{r['name']} pass, max {r['max_elevation_deg']:.0f}\u00b0 {r['direction']}"
        if visible and r.get("visible"):
            summary += " (visible" + (f", mag {r['magnitude']:+.1f}" if r.get("magnitude")
                                      is not None else "") + ")"
        summary += title_suffix(bound, r["aos_utc"])
        lines = [f"Site: {where.label()}",
                 f"AOS {clock.text(r['aos_utc'], zone=True)} at azimuth "
                 f"{r['aos_azimuth_deg']:.0f}\u00b0",
                 f"TCA {clock.text(r['tca_utc'], zone=True)}, max elevation "
                 f"{r['max_elevation_deg']:.1f}\u00b0",
                 f"LOS {clock.text(r['los_utc'], zone=True)} at azimuth "
                 f"{r['los_azimuth_deg']:.0f}\u00b0",
                 f"Direction {r['direction']}; visibility: {vis}"]
        if r.get("visible"):
            lines.append(f"Visible from {clock.text(r['visible_start_utc'], zone=True)} to "
                         f"{clock.text(r['visible_end_utc'], zone=True)}")
        if bound is not None:
            lines.append(f"Elements {r['epoch_age_days']:.1f} days old: {bound.text()}")
        events.append({"uid": event_uid(r["norad_id"], r["aos_utc"].isoformat(), where.name),
                       "start_utc": r["aos_utc"], "end_utc": r["los_utc"], "summary": summary,
                       "description": "\n".join(lines), "location": where.label(),
                       "geo": (where.lat_deg, where.lon_deg)})
    records = records_of(table)
    for norad, found in lost.items():
        events.append({**note_event(found[0][0]["name"], norad, [b for _, b in found],
                                    records.get(norad), len(found), m["start"], m["end"],
                                    ("pass", "passes"), where.name),
                       "location": where.label(), "geo": (where.lat_deg, where.lon_deg)})
    return events_to_ics(events, f"orbitview passes over {where.name}", stamp or now_utc())
