"""A polar sky plot of one pass: the path across the sky, times, shadow entry.

North is up and azimuth runs clockwise (east to the right, as on a map of the
ground beneath the sky), the zenith in the centre and the horizon at the rim.
The satellite's path is drawn solid where it is sunlit, dashed where it is in
the Earth's shadow, and thick where you can see it by eye.
"""

from __future__ import annotations

import numpy as np

SUNLIT = "#e0a100"
SHADOW = "#7a7a7a"
VISIBLE = "#c05000"


def _runs(mask):
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)))


def sky_figure(sat, site, row, samples, clock, rule_text: str):
    """Figure of one pass (``row`` from find_passes + add_visibility, ``samples`` from
    :func:`orbitview.access.sighting.sample_pass`)."""
    import matplotlib.pyplot as plt

    from orbitview.access.sighting import compass
    from orbitview.util.timeutil import iso
    az = np.radians(samples["azimuth_deg"])
    r = 90.0 - samples["elevation_deg"]
    lit = np.asarray(samples["sunlit"], bool)
    visible = lit & (np.asarray(samples["sun_elevation_deg"]) < -6.0)
    times = samples["times"]

    fig = plt.figure(figsize=FIGSIZE_IN)
    ax = fig.add_axes((0.12, 0.25, 0.76, 0.64), projection="polar")
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    ax.set_rlim(0, 90)
    ax.set_rticks([0, 30, 60, 90])
    ax.set_yticklabels(["90°", "60°", "30°", "0°"], fontsize=8, color="#555555")
    ax.set_rlabel_position(112.5)
    ax.set_xticks(np.radians(np.arange(0, 360, 45)))
    ax.set_xticklabels(["N", "NE", "E", "SE", "S", "SW", "W", "NW"], fontsize=10)
    ax.grid(True, color="#cccccc", linewidth=0.6)

    for a, b in _runs(~lit):
        ax.plot(az[max(a - 1, 0):b], r[max(a - 1, 0):b], color=SHADOW, lw=1.6, ls="--",
                label="in the Earth's shadow" if a == _runs(~lit)[0][0] else None)
    for a, b in _runs(lit):
        ax.plot(az[a:b + 1], r[a:b + 1], color=SUNLIT, lw=1.8,
                label="sunlit" if a == _runs(lit)[0][0] else None)
    for a, b in _runs(visible):
        ax.plot(az[a:b], r[a:b], color=VISIBLE, lw=4.5, alpha=0.8, solid_capstyle="round",
                label="visible by eye" if a == _runs(visible)[0][0] else None)

    # Minute ticks along the path.
    seconds = np.asarray(samples["seconds"])
    start = times[0]
    offset = (60 - start.second - start.microsecond / 1e6) % 60
    for s in np.arange(offset, seconds[-1], 60.0):
        k = int(np.argmin(np.abs(seconds - s)))
        ax.plot(az[k], r[k], "o", ms=2.5, color="#333333")
        ax.annotate(clock.local(times[k]).strftime("%H:%M"), (az[k], r[k]),
                    textcoords="offset points", xytext=(4, 3), fontsize=6.5, color="#333333",
                    gid="site-label")

    def mark(t, marker, text, colour="#111111", offset=(8, -14), ha="left"):
        k = int(np.argmin([abs((x - t).total_seconds()) for x in times]))
        ax.plot(az[k], r[k], marker, ms=8, color=colour, mec="white", mew=0.8, zorder=5)
        ax.annotate(text, (az[k], r[k]), textcoords="offset points", xytext=offset, ha=ha,
                    fontsize=8.5, fontweight="bold", color=colour, zorder=6,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                          "alpha": 0.85}, gid="satellite-label",
                    arrowprops={"arrowstyle": "-", "color": colour, "lw": 0.6})

    mark(row["aos_utc"], "^", f"AOS {clock.local(row['aos_utc']):%H:%M:%S}")
    mark(row["tca_utc"], "o", f"max {row['max_elevation_deg']:.0f}° "
                              f"{clock.local(row['tca_utc']):%H:%M:%S}")
    mark(row["los_utc"], "s", f"LOS {clock.local(row['los_utc']):%H:%M:%S}")
    if row.get("shadow_entry_utc") is not None:
        mark(row["shadow_entry_utc"], "X",
             f"enters shadow {clock.local(row['shadow_entry_utc']):%H:%M:%S}", "#303080",
             offset=(-10, 12), ha="right")
    if row.get("shadow_exit_utc") is not None:
        mark(row["shadow_exit_utc"], "P",
             f"leaves shadow {clock.local(row['shadow_exit_utc']):%H:%M:%S}", "#303080",
             offset=(-10, 12), ha="right")
    legend = ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=8,
                       frameon=False, ncol=3, bbox_transform=fig.dpi_scale_trans,
                       borderaxespad=0.0)

    day = clock.local(row["aos_utc"])
    zone = day.tzname()
    title = fig.text(0.5, 0.0, f"{sat.name} over {site.name}, {day:%A %d %B %Y} ({zone})",
                     fontsize=12.5, fontweight="bold", ha="center", va="top",
                     transform=fig.dpi_scale_trans)
    bound = row.get("_bound")
    vis = ("visible by eye from "
           f"{clock.local(row['visible_start_utc']):%H:%M:%S} to "
           f"{clock.local(row['visible_end_utc']):%H:%M:%S}"
           if row.get("visible") else "not visible by eye (daylight or Earth's shadow)")
    lines = [
        f"Pass {clock.text(row['aos_utc'])} to {clock.local(row['los_utc']):%H:%M:%S} {zone} "
        f"({clock.name}), {compass(row['aos_azimuth_deg'])} to "
        f"{compass(row['los_azimuth_deg'])}, max elevation {row['max_elevation_deg']:.1f}°; "
        f"{vis}.",
        f"Site {site.label()}; pass rule {rule_text}. Centre: zenith; rim: horizon; "
        "azimuth clockwise from north.",
    ]
    es = sat.latest
    age = row["epoch_age_days"]
    text = (f"Elements {iso(es.epoch)} ({age:.1f} days old), {es.source or 'source unknown'}"
            + (f"; {bound.text()}" if bound is not None else "") + ".")
    lines.append(text)
    if row.get("magnitude") is not None:
        lines.append(f"Brightest magnitude {row['magnitude']:+.1f} "
                     f"(standard magnitude: {row['magnitude_source']}).")
    if getattr(sat, "label", None) and hasattr(sat, "source"):
        lines.append(f"{sat.name} ({sat.norad_id}) is from {sat.source}, not a Pakistani "
                     "record.")
    stale = age > 14
    coloured = []
    for line in lines:                       # the element lines are red when stale
        red = stale and line.startswith("Elements")
        coloured.append((line, "#b00000" if red else "#222222"))
    _lay_out(fig, ax, title, legend, coloured)
    return fig


FIGSIZE_IN = (7.2, 8.6)


def _lay_out(fig, ax, title, legend, caption) -> None:
    """Title, square sky, legend and caption stacked from their measured heights."""
    from orbitview.products.layout import (
        GAP_IN,
        PAD_IN,
        decorations_in,
        fit_lines,
        place_map_labels,
        renderer_of,
        write_caption,
    )
    r = renderer_of(fig)
    w, h = fig.get_size_inches()
    lines = fit_lines(caption, w - 2 * PAD_IN)
    _, cap_h = write_caption(fig, lines)
    title_h = title.get_window_extent(r).height / fig.dpi
    legend_h = legend.get_window_extent(r).height / fig.dpi
    for _ in range(2):                          # again at the final size of the sky
        left, bottom, right, top = decorations_in(ax, r, fig)
        room_h = (h - PAD_IN - title_h - GAP_IN - top - bottom - GAP_IN - legend_h - GAP_IN
                  - cap_h - PAD_IN)
        side = max(min(room_h, w - 2 * PAD_IN - 2 * max(left, right)), 1.0)
        y0 = PAD_IN + cap_h + GAP_IN + legend_h + GAP_IN + bottom
        ax.set_position(((w - side) / 2 / w, y0 / h, side / w, side / h))
    title.set_position((w / 2, h - PAD_IN))
    legend.set_bbox_to_anchor((w / 2, y0 - bottom - GAP_IN / 2), transform=fig.dpi_scale_trans)
    place_map_labels(ax, r)
