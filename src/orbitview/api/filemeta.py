"""What a written file says about itself: the ``orbitview`` member of a GeoJSON file, the
KML and CZML document description, a GeoPackage layer's metadata, a CSV's ``FILE.json``
and a NetCDF file's global attributes all come from :func:`file_meta`."""

from __future__ import annotations

MOST_NAMES = 5
"""Names listed in a title or a 'wrote' line; more are counted ("409 satellites")."""


def names_text(names) -> str:
    """``PRSS-1, HS-1``, or ``409 satellites`` beyond :data:`MOST_NAMES` (``no satellite``
    for none)."""
    names = list(dict.fromkeys(names))
    if not names:
        return "no satellite"
    if len(names) <= MOST_NAMES:
        return ", ".join(names)
    return f"{len(names):,} satellites"


def satellites_of(result) -> list[dict]:
    """Each satellite behind ``result`` with its element sets: every set a propagation
    used (epoch, source, file) when the result has one, else the set nearest the window's
    far end with its age and 90 % bound."""
    prop = getattr(result, "propagation", None)
    if prop is not None:
        return [{"name": n, "norad_id": int(k),
                 "element_sets": [{"epoch_utc": es.epoch, "source": es.source,
                                   "origin": es.origin} for es in prop.elements[i]]}
                for i, (n, k) in enumerate(zip(prop.names, prop.norad_ids))]
    out = []
    for e in result.elements:
        d = e.as_dict()
        out.append({"name": d.pop("name"), "norad_id": d.pop("norad_id"),
                    "element_sets": [d]})
    return out


def file_meta(kind: str, result, start, end, names, rule_text: str = "",
              assumed: str = "", **extra) -> dict:
    """The metadata of a file of ``kind`` written from ``result`` over ``start``..``end``:
    title, what made it, the window, the access rule (``rule_text``) and the assumed
    instrument values, the satellites written (``names``) with their element sets, and
    the warnings the answer carries; ``extra`` adds what the kind needs (step, grid)."""
    from orbitview.util.version import __version__
    return {"title": f"orbitview {kind}: {names_text(names)}", "kind": kind,
            "generator": f"orbitview {__version__}", "start_utc": start, "end_utc": end,
            **({"step_s": extra.pop("step_s")} if "step_s" in extra else {}),
            "access": rule_text, "assumed": assumed,
            "satellites": satellites_of(result),
            "warnings": [n.text for n in result.notes if n.kind != "assumed"], **extra}


def coverage_meta(grid) -> dict:
    """The metadata of a coverage grid's files (the cell CSV, ``export coverage``): the
    window, step, region and cell size, the access kind and rule, the metric a map colours
    first and the meaning, unit and blank of every metric."""
    from orbitview.products.export.records import coverage_cells, grid_metric
    m = grid.meta
    cells = coverage_cells(grid.run, grid.rule.describe(), note=m.get("assumptions") or "")
    return file_meta("coverage", grid, m["start"], m["end"], m["satellites"],
                     f"{m['access']}: {m['rule']}", m.get("assumptions") or "",
                     step_s=m["step_s"], hours=m["hours"], region=m["region"],
                     resolution_deg=m["resolution_deg"], access_kind=cells.access,
                     rule=m["rule"], metric=grid_metric(m["metric"]).column,
                     metrics={x.column: {"option": x.option, "label": x.label,
                                         "units": x.units, "blank": x.blank}
                              for x in cells.metrics})
