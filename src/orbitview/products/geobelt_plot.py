"""The GEO belt's figures: the arc around a slot, and each object's slot history."""

from __future__ import annotations

import datetime as dt

import numpy as np

from orbitview.studies.geobelt import (
    BOX_HALF_WIDTH_DEG,
    GEO_RADIUS_KM,
    NS_KEPT_MAX_INCLINATION_DEG,
    OWNER_CODES_URL,
    OWNERS_FILE,
    STATUS_DRIFT,
    STATUS_EW,
    STATUS_KEPT,
    STATUS_TEXT,
    Belt,
    BeltObject,
    Reference,
    slot_history,
)

STATUS_COLOURS = {STATUS_KEPT: "#1a9850", STATUS_EW: "#2c6fbb", STATUS_DRIFT: "#d95f02"}


def place_labels(ax, points, texts, fontsize=8, avoid=(), **text_kw):
    """Write ``texts`` next to ``points`` (data coordinates) without overlapping each
    other, the points or the boxes in ``avoid`` (display-coordinate Bboxes).

    Tries offsets of growing distance around each point, in order; a label placed away
    from its point gets a thin leader line.  Returns the Annotation artists.
    """
    from matplotlib.transforms import Bbox
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    to_px = fig.dpi / 72.0
    pts_px = ax.transData.transform(np.asarray(points, dtype=float))
    marker_px = 5 * to_px
    taken = [Bbox.from_extents(x - marker_px, y - marker_px, x + marker_px, y + marker_px)
             for x, y in pts_px] + list(avoid)
    frame = ax.get_window_extent(renderer)
    angles = np.radians([0, 30, -30, 60, -60, 90, -90, 150, -150, 180, 120, -120])
    out = []
    for (x, y), (_px, _py), text in zip(points, pts_px, texts):
        placed = None
        for radius in (7, 14, 24, 36, 50, 66, 84, 104):
            for a in angles:
                dx, dy = radius * np.cos(a), radius * np.sin(a)
                ha = "left" if dx > 1 else "right" if dx < -1 else "center"
                va = "bottom" if dy > 1 else "top" if dy < -1 else "center"
                ann = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points",
                                  ha=ha, va=va, fontsize=fontsize, **text_kw)
                box = ann.get_window_extent(renderer).expanded(1.04, 1.1)
                inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                          and box.y1 <= frame.y1)
                if inside and not any(box.overlaps(b) for b in taken):
                    placed = (ann, box, radius)
                    break
                ann.remove()
            if placed:
                break
        if placed is None:              # crowded: put it at the first spot, accept overlap
            ann = ax.annotate(text, (x, y), xytext=(7, 0), textcoords="offset points",
                              ha="left", va="center", fontsize=fontsize, **text_kw)
            placed = (ann, ann.get_window_extent(renderer), 7)
        ann, box, radius = placed
        if radius > 14:
            ann.arrow_patch = None
            ax.annotate("", (x, y), xytext=ann.xyann, textcoords="offset points",
                        arrowprops={"arrowstyle": "-", "color": "#888888", "lw": 0.6,
                                    "shrinkA": 0, "shrinkB": 3})
        taken.append(box)
        out.append(ann)
    return out


def plot_belt(ref: Reference, rows: list[dict], within_deg: float, at: dt.datetime,
              belt: Belt, warnings=()):
    """Longitude x inclination of every object in the window, labelled, with the
    reference's +-0.1 deg station-keeping box; colour gives the status."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import FuncFormatter

    from orbitview.products.plotting import pyplot
    from orbitview.util.timeutil import iso
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(13, 7.2), layout="constrained")
    lon = np.array([r["mean_lon_deg"] for r in rows], dtype=float)
    incl = np.array([r["inclination_deg"] for r in rows], dtype=float)
    floor = 0.005
    y = np.maximum(incl, floor)
    y_top = max(20.0, float(y.max()) * 2.0) if len(y) else 20.0
    ax.set_yscale("log")
    ax.set_ylim(floor * 0.7, y_top)
    half = within_deg + max(0.15, 0.06 * within_deg)
    ax.set_xlim(ref.lon_deg - half, ref.lon_deg + half)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}\u00b0"))
    ax.add_patch(Rectangle((ref.lon_deg - BOX_HALF_WIDTH_DEG, floor * 0.7),
                           2 * BOX_HALF_WIDTH_DEG, BOX_HALF_WIDTH_DEG - floor * 0.7,
                           facecolor="#fde0c5", edgecolor="#b35806", lw=1.2, zorder=1))
    ax.axvline(ref.lon_deg, color="#b35806", lw=0.8, ls=":", zorder=1)
    ax.axhline(NS_KEPT_MAX_INCLINATION_DEG, color="#999999", lw=0.6, ls="--", zorder=1)
    ax.text(ax.get_xlim()[1], NS_KEPT_MAX_INCLINATION_DEG * 1.05,
            f"above {NS_KEPT_MAX_INCLINATION_DEG:g}\u00b0: not kept north-south ",
            fontsize=7.5, color="#777777", va="bottom", ha="right")
    for r, x, yy in zip(rows, lon, y):
        colour = STATUS_COLOURS[r["status"]]
        marker, size = ("*", 260) if r["reference"] else ("D", 80) if r["record"] else ("o", 45)
        ax.scatter(x, yy, s=size, marker=marker, color=colour, edgecolor="black",
                   linewidth=0.6, zorder=4)
    texts = []
    for r in rows:
        text = r["name"]
        if r["owner"]:
            text += f" [{r['owner']}]"
        if r["status"] == STATUS_DRIFT:
            text += f"\n{r['drift_deg_per_day']:+.2f}\u00b0/day"
        texts.append(text)
    order = sorted(range(len(rows)), key=lambda i: (not rows[i]["reference"],
                                                    not rows[i]["record"], -y[i]))
    ax.set_xlabel("mean sub-satellite longitude (\u00b0 E)")
    ax.set_ylabel("inclination (\u00b0, log scale; the latitude excursion is about the same)")
    sec = ax.secondary_xaxis("top", functions=(lambda v: v - ref.lon_deg,
                                               lambda v: v + ref.lon_deg))
    sec.set_xlabel(f"separation from {ref.label} (\u00b0; 1\u00b0 = "
                   f"{np.radians(1) * GEO_RADIUS_KM:.0f} km along the geostationary arc)")
    ax.grid(color="#eeeeee", lw=0.6, which="both")
    handles = [Line2D([], [], marker="o", ls="", color=c, markeredgecolor="black",
                      label=f"{s}: {STATUS_TEXT[s]}") for s, c in STATUS_COLOURS.items()
               if any(r["status"] == s for r in rows)]
    handles += [Line2D([], [], marker="D", ls="", color="white", markeredgecolor="black",
                       label="orbitview launch record (Pakistan's)"),
                Rectangle((0, 0), 1, 1, facecolor="#fde0c5", edgecolor="#b35806",
                          label=f"\u00b1{BOX_HALF_WIDTH_DEG:g}\u00b0 box around {ref.label}")]
    legend = ax.legend(handles=handles, loc="upper right", fontsize=8, framealpha=0.95)
    n_objects = len(rows) - sum(r["reference"] for r in rows)
    ax.set_title(f"Geostationary neighbours of {ref.label} ({ref.lon_deg:.2f}\u00b0 E): "
                 f"{n_objects} objects within \u00b1{within_deg:g}\u00b0 at {iso(at)}",
                 loc="left", fontsize=12, fontweight="bold")
    first, last = belt.epochs
    age = (at - last).total_seconds() / 86400.0
    when = ("the time shown is the newest epoch" if abs(age) < 0.5 else
            f"the time shown is {abs(age):.0f} days {'after' if age > 0 else 'before'} the "
            "newest epoch")
    caption = (f"Elements: {belt.source}, {len(belt.objects)} objects, epochs "
               f"{first:%Y-%m-%d} to {last:%Y-%m-%d} ({when}); orbitview's own sets are used "
               "where nearer in time. Mean longitude: average over one sidereal day (SGP4). "
               "Status from each set's drift at its epoch. [CODE]: CelesTrak SATCAT owner "
               f"code where orbitview holds it with a source ({OWNERS_FILE}; codes at "
               f"{OWNER_CODES_URL}); none is guessed from a name. "
               + " ".join(warnings))
    from orbitview.products.layout import caption_below
    caption_below(fig, caption, fontsize=7.5, grow=True)
    # Labels last, on the final layout: the box and the legend are measured where they are.
    from matplotlib.transforms import Bbox
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box_px = ax.transData.transform([[ref.lon_deg - BOX_HALF_WIDTH_DEG, floor * 0.7],
                                     [ref.lon_deg + BOX_HALF_WIDTH_DEG, BOX_HALF_WIDTH_DEG]])
    place_labels(ax, [(lon[i], y[i]) for i in order], [texts[i] for i in order],
                 fontsize=8.5, avoid=[Bbox(box_px), legend.get_window_extent(renderer)],
                 bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                       "alpha": 0.8})
    return fig


def plot_slot_history(objects: list[BeltObject], ref: Reference, until: dt.datetime,
                      belt: Belt, continue_days: float = 30.0):
    """Mean longitude and inclination of ``objects`` at every stored epoch, with what
    SGP4 predicts from each set for up to ``continue_days`` (the drift that
    station-keeping takes out), around the reference's +-0.1 deg box."""
    import matplotlib.dates as mdates

    from orbitview.products.maps import COLOURS
    from orbitview.products.plotting import pyplot
    from orbitview.util.timeutil import iso
    plt = pyplot()
    fig, (ax, ax_i) = plt.subplots(2, 1, figsize=(12, 7.5), sharex=True, layout="constrained",
                                   height_ratios=[2.2, 1])
    lons = []
    for k, obj in enumerate(objects):
        colour = COLOURS[k % len(COLOURS)]
        h = slot_history(obj, until, continue_days)
        label = (obj.record or obj.name) + f" ({obj.norad_id}, {len(obj.history)} set"\
            + ("s)" if len(obj.history) > 1 else ")")
        marker = "D" if obj.record else "o"
        ax.plot(h["epochs"], h["lon_deg"], marker, color=colour, ms=7, mec="black",
                mew=0.6, label=label, zorder=4)
        if len(h["epochs"]) > 1:
            ax.plot(h["epochs"], h["lon_deg"], "-", color=colour, lw=1.2, zorder=3)
        for times, lon in h["tracks"]:
            ax.plot(times, lon, ":", color=colour, lw=1.2, zorder=2)
        ax_i.plot(h["epochs"], h["inclination_deg"], marker + "-", color=colour, ms=6,
                  mec="black", mew=0.6)
        lons.extend(h["lon_deg"])
    ax.axhspan(ref.lon_deg - BOX_HALF_WIDTH_DEG, ref.lon_deg + BOX_HALF_WIDTH_DEG,
               color="#fde0c5", zorder=0, label=f"\u00b1{BOX_HALF_WIDTH_DEG:g}\u00b0 around "
               f"{ref.label} ({ref.lon_deg:.2f}\u00b0 E)")
    ax.plot([], [], ":", color="#555555",
            label=f"SGP4 from each set ({continue_days:g} days at most): the drift that "
                  "station-keeping takes out")
    lo, hi = np.nanmin(lons + [ref.lon_deg]), np.nanmax(lons + [ref.lon_deg])
    pad = max(0.15, 0.15 * (hi - lo))
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_ylabel("mean longitude (\u00b0 E)")
    ax_i.set_ylabel("inclination (\u00b0)")
    ax.legend(loc="upper left", fontsize=8, framealpha=0.95)
    for a in (ax, ax_i):
        a.grid(color="#eeeeee", lw=0.6)
    locator = mdates.AutoDateLocator(maxticks=9)
    ax_i.xaxis.set_major_locator(locator)
    ax_i.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax_i.set_xlabel("element set epoch (UTC)")
    ax.set_title(f"The slot of {ref.label} over time: mean longitude at each element set",
                 loc="left", fontsize=12, fontweight="bold")
    caption = (f"Each marker is one element set (its mean longitude over the sidereal day at "
               f"its epoch); objects within 1\u00b0 of {ref.label} with their stored history. "
               f"Sources: {belt.source} and orbitview's bundled element history. Drawn "
               f"{iso(until)}. A set is a snapshot: between two markers the satellite was "
               "manoeuvred back into its box; the dotted lines show why a stale set must not "
               "be extrapolated for a station-kept satellite.")
    from orbitview.products.layout import caption_below
    caption_below(fig, caption, fontsize=7.5, grow=True)
    return fig
