"""The launch-history figure: where Pakistan's satellites were launched from, and when."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from orbitview.data.catalog import launch_key, satellites_on_launches
from orbitview.products.plotting import pyplot

ORBIT_MARKERS = {"LEO": "o", "SSO": "s", "MEO": "P", "HEO": "X", "GTO": "v", "GEO": "D",
                 "lunar": "*"}
COUNTRY_COLOURS = {"China": "#c0392b", "USA": "#2c6fbb", "Russia": "#7d3c98",
                   "Kazakhstan": "#16a085"}
FALLBACK_COLOUR = "#7f8c8d"


STRETCH_FROM = dt.datetime(2018, 1, 1, tzinfo=dt.timezone.utc)
STRETCH_BEFORE = 0.3


def _stretched_scale(boundary: dt.datetime, factor: float):
    """A date scale drawn ``factor`` times narrower before ``boundary``."""
    import matplotlib.dates as mdates
    import numpy as np
    from matplotlib.scale import FuncScale
    b = mdates.date2num(boundary)

    def forward(x):
        x = np.asarray(x, dtype=float)
        return np.where(x < b, b + (x - b) * factor, x)

    def inverse(x):
        x = np.asarray(x, dtype=float)
        return np.where(x < b, b + (x - b) / factor, x)

    return FuncScale(None, (forward, inverse))


def _site_label(record) -> str:
    site = record.launch_site.split(" LC-")[0].split(" (")[0]
    return f"{site}\n({record.launch_country})" if record.launch_country else site


def plot_history(catalog, today: dt.datetime, figsize=(13, 8.2)):
    """Return a matplotlib Figure of every launch record in ``catalog``.

    Top: a timeline from 1990 to ``today`` with one row per launch site, the
    marker colour giving the launch country and its shape the orbit class,
    each launch labelled with the satellite name.  Bottom left: launches per
    launch country; bottom right: the cumulative count, which shows the pace
    after 2018.
    """
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator
    plt = pyplot()

    records = [s.record for s in catalog]
    fig = plt.figure(figsize=figsize, layout="constrained")
    grid = fig.add_gridspec(2, 2, height_ratios=[2.3, 1], width_ratios=[1, 1.9])
    ax = fig.add_subplot(grid[0, :])
    ax_country = fig.add_subplot(grid[1, 0])
    ax_pace = fig.add_subplot(grid[1, 1])

    # Rows: one per launch site, ordered by first use.
    sites: list[str] = []
    for r in records:
        label = _site_label(r)
        if label not in sites:
            sites.append(label)
    y_of = {s: i for i, s in enumerate(sites)}
    start = dt.datetime(1988, 7, 1, tzinfo=dt.timezone.utc)   # room for the Badr-1 label

    ax.axvspan(dt.datetime(2018, 1, 1, tzinfo=dt.timezone.utc), today, color="#f4f1e6",
               zorder=0)
    since_2018 = [r for r in records if r.launch_time.year >= 2018]
    ax.text(dt.datetime(2018, 3, 1, tzinfo=dt.timezone.utc), len(sites) - 0.45,
            f"since 2018: {satellites_on_launches(since_2018)} "
            f"(of {satellites_on_launches(records)})", fontsize=9,
            color="#6b5d2e", va="top")
    # Stagger labels of launches that sit close together on the same row.
    placed: dict[int, list] = {}
    for r in records:
        y = y_of[_site_label(r)]
        colour = COUNTRY_COLOURS.get(r.launch_country, FALLBACK_COLOUR)
        ax.scatter(r.launch_time, y, marker=ORBIT_MARKERS.get(r.orbit_class, "o"), s=90,
                   color=colour, edgecolor="black", linewidth=0.6, zorder=3)
        near = [t for t in placed.get(y, []) if abs((r.launch_time - t).days) < 330]
        level = len(near)
        placed.setdefault(y, []).append(r.launch_time)
        dy = 0.2 + 0.24 * level
        if level:
            ax.plot([r.launch_time] * 2, [y + 0.12, y + dy], color="#888888", lw=0.6,
                    zorder=2)
        ax.text(r.launch_time, y + dy, r.name + ("" if r.launch_time_known else " *"),
                fontsize=8.5, ha="center", va="bottom", zorder=4)
    ax.set_yticks(range(len(sites)), sites, fontsize=8.5)
    ax.set_ylim(-0.6, len(sites) - 0.2)
    ax.set_xscale(_stretched_scale(STRETCH_FROM, STRETCH_BEFORE))
    ax.set_xlim(start, today + dt.timedelta(days=200))
    ticks = [dt.datetime(y, 1, 1, tzinfo=dt.timezone.utc)
             for y in [*range(1990, STRETCH_FROM.year - 2, 5), *range(STRETCH_FROM.year,
                                                                    today.year + 1, 2)]]
    ax.set_xticks(ticks, [f"{t.year}" for t in ticks])
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    ax.set_title("Pakistan's satellites: every launch since Badr-1 (1990), by launch site",
                 loc="left", fontsize=13, fontweight="bold")
    ax.set_xlabel(f"launch date (UTC); the time axis is compressed {1 / STRETCH_BEFORE:.1f}x "
                  f"before {STRETCH_FROM.year}, the pace panel below is linear", fontsize=9)

    countries = [c for c in COUNTRY_COLOURS if any(r.launch_country == c for r in records)]
    countries += sorted({r.launch_country for r in records} - set(countries) - {""})
    classes = [c for c in ORBIT_MARKERS if any(r.orbit_class == c for r in records)]
    handles = [Line2D([], [], marker="o", ls="", color=COUNTRY_COLOURS.get(c, FALLBACK_COLOUR),
                      markeredgecolor="black", label=f"launched from {c}") for c in countries]
    handles += [Line2D([], [], marker=ORBIT_MARKERS[c], ls="", color="white",
                       markeredgecolor="black", label=f"orbit: {c}") for c in classes]
    ax.legend(handles=handles, loc="upper left", fontsize=8, ncol=2, framealpha=0.95,
              title="colour = launch country, shape = orbit class", title_fontsize=8)

    # Launches, not satellites: PRSS-1 and PakTES-1A shared one Long March 2C.
    first_of_launch = {}
    for r in records:
        first_of_launch.setdefault(launch_key(r), r)
    launches = sorted(first_of_launch.values(), key=lambda r: r.launch_time)
    counts = Counter(r.launch_country or "unknown" for r in launches)
    order = sorted(counts, key=lambda c: (-counts[c], c))
    bars = ax_country.barh(order, [counts[c] for c in order],
                           color=[COUNTRY_COLOURS.get(c, FALLBACK_COLOUR) for c in order])
    ax_country.bar_label(bars, padding=3, fontsize=9)
    ax_country.invert_yaxis()
    ax_country.set_xlabel("launches")
    ax_country.set_title("Launches by launch country", loc="left", fontsize=10)
    ax_country.set_xlim(0, max(counts.values()) * 1.2)

    times = [r.launch_time for r in launches]
    ax_pace.step([start, *times, today], [0, *range(1, len(times) + 1), len(times)],
                 where="post", color="#2c3e50")
    ax_pace.fill_between([start, *times, today], [0, *range(1, len(times) + 1), len(times)],
                         step="post", color="#2c3e50", alpha=0.12)
    for year in (2018,):
        before = sum(t.year < year for t in times)
        ax_pace.axvline(dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc), color="#6b5d2e",
                        ls="--", lw=0.8)
        span_before = year - 1990
        span_after = max((today - dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc)).days
                         / 365.25, 1e-9)
        ax_pace.text(dt.datetime(1991, 1, 1, tzinfo=dt.timezone.utc), len(times) * 0.92,
                     f"{before} launches in {span_before} years before {year};\n"
                     f"{len(times) - before} in {span_after:.1f} years since",
                     fontsize=8.5, color="#6b5d2e", va="top", ha="left")
    ax_pace.set_xlim(start, today + dt.timedelta(days=200))
    ax_pace.xaxis.set_major_locator(mdates.YearLocator(4))
    ax_pace.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax_pace.set_ylabel("cumulative launches")
    ax_pace.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax_pace.set_title("Pace of launches", loc="left", fontsize=10)
    ax_pace.grid(color="#eeeeee", lw=0.6)

    from orbitview.products.layout import caption_below
    caption_below(fig, f"Data: orbitview launches.csv ({satellites_on_launches(records)}; "
                  "sources per record; shared launches counted once). "
                  "* launch time of day unknown or disputed. "
                  f"Made {today:%Y-%m-%d} with orbitview.", colour="#555555")
    return fig


# --------------------------------------------------------------------------- element history

DRAG_CAN_LOWER_KM_PER_DAY = 0.2
"""Most a LEO orbit here loses to drag in a day; faster or upward changes are manoeuvres."""
GEO_INCLINATION_DRIFT_DEG_PER_DAY = 0.0027
"""Natural inclination growth of an uncontrolled GEO satellite (about 0.75-0.95 deg/year)."""


def element_history(sat) -> list[dict]:
    """Perigee/apogee altitude, inclination and (GEO) longitude of every stored set.

    Altitudes come from sgp4's own ``altp``/``alta`` (Earth radii above its
    WGS72 equator), longitudes from propagating each set at its own epoch.
    A change between consecutive sets that drag cannot explain (a rise in
    mean altitude, a fall faster than ``DRAG_CAN_LOWER_KM_PER_DAY``, or an
    inclination change beyond natural drift) is flagged as a likely manoeuvre.
    """
    import numpy as np

    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import timescale
    rows = []
    ts = timescale()
    for es in sat.elements:
        s = es.satrec
        r_km = s.radiusearthkm
        row = {"epoch": es.epoch, "perigee_km": s.altp * r_km, "apogee_km": s.alta * r_km,
               "inclination_deg": float(np.degrees(s.inclo)), "source": es.source,
               "longitude_deg": None, "manoeuvre": ""}
        if es.is_deep_space:
            t = ts.from_datetime(es.epoch)
            p = propagate([[es]], ts.tt_jd([t.tt]))
            row["longitude_deg"] = float(p.lon_deg[0, 0])
        rows.append(row)
    for prev, row in zip(rows, rows[1:]):
        days = max((row["epoch"] - prev["epoch"]).total_seconds() / 86400.0, 1e-6)
        mean_prev = (prev["perigee_km"] + prev["apogee_km"]) / 2
        mean_now = (row["perigee_km"] + row["apogee_km"]) / 2
        change = mean_now - mean_prev
        reasons = []
        if change > 1.0:
            reasons.append(f"mean altitude rose {change:.1f} km (drag cannot raise an orbit)")
        elif change < -(1.0 + DRAG_CAN_LOWER_KM_PER_DAY * days):
            reasons.append(f"mean altitude fell {-change:.1f} km in {days:.0f} days")
        di = row["inclination_deg"] - prev["inclination_deg"]
        if abs(di) > 0.05 + GEO_INCLINATION_DRIFT_DEG_PER_DAY * days:
            reasons.append(f"inclination changed {di:+.2f} deg in {days:.0f} days")
        row["manoeuvre"] = "likely manoeuvre: " + "; ".join(reasons) if reasons else ""
    return rows


def plot_element_history(sat, rows):
    """Figure of perigee/apogee, inclination and (GEO) longitude across the stored sets."""
    import matplotlib.dates as mdates
    plt = pyplot()
    geo = any(r["longitude_deg"] is not None for r in rows)
    n = 3 if geo else 2
    fig, axes = plt.subplots(n, 1, figsize=(10, 2.6 * n + 1.2), sharex=True,
                             layout="constrained")
    epochs = [r["epoch"] for r in rows]
    ax = axes[0]
    ax.plot(epochs, [r["apogee_km"] for r in rows], "o-", color="#c0392b", label="apogee")
    ax.plot(epochs, [r["perigee_km"] for r in rows], "s-", color="#2c6fbb", label="perigee")
    ax.set_ylabel("altitude (km)")
    ax.legend(loc="best", fontsize=8)
    axes[1].plot(epochs, [r["inclination_deg"] for r in rows], "o-", color="#2c3e50")
    axes[1].set_ylabel("inclination (deg)")
    if geo:
        axes[2].plot(epochs, [r["longitude_deg"] for r in rows], "D-", color="#16a085")
        axes[2].set_ylabel("sub-satellite longitude (deg E)")
    for r in rows:
        if r["manoeuvre"]:
            for a in axes:
                a.axvline(r["epoch"], color="#e67e22", ls="--", lw=1)
            axes[0].annotate("likely manoeuvre", (r["epoch"], axes[0].get_ylim()[1]),
                             fontsize=8, color="#e67e22", ha="right", va="top", rotation=90)
    for a in axes:
        a.grid(color="#eeeeee")
        for r in rows:
            a.axvline(r["epoch"], color="#dddddd", lw=0.5, zorder=0)
    if max(epochs) - min(epochs) < dt.timedelta(days=1):
        # One epoch (or a few within hours): a day either side, so that the date axis has
        # a range to pick ticks in (a zero-width one gets matplotlib's UserWarning).
        middle = min(epochs) + (max(epochs) - min(epochs)) / 2
        axes[-1].set_xlim(middle - dt.timedelta(days=1), middle + dt.timedelta(days=1))
    locator = mdates.AutoDateLocator(maxticks=8)
    axes[-1].xaxis.set_major_locator(locator)
    axes[-1].xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    axes[-1].set_xlabel("element set epoch (UTC)")
    fig.suptitle(f"{sat.name} ({sat.norad_id}): {len(rows)} stored element sets",
                 x=0.01, ha="left", fontweight="bold")
    notes = [r["manoeuvre"] + f" (before {r['epoch']:%Y-%m-%d})" for r in rows if r["manoeuvre"]]
    first, last = rows[0], rows[-1]
    span = (last["epoch"] - first["epoch"]).days
    summary = (f"Over {span} days: perigee {first['perigee_km']:.1f} -> {last['perigee_km']:.1f} "
               f"km, inclination {first['inclination_deg']:.3f} -> "
               f"{last['inclination_deg']:.3f} deg.")
    rate = (last["inclination_deg"] - first["inclination_deg"]) / max(span, 1) * 365.25
    if geo and rate > 0.3:
        summary += (f" Inclination grows {rate:.2f} deg/year: the natural drift of a GEO "
                    "satellite without north-south station-keeping.")
    from orbitview.products.layout import caption_below
    caption_below(fig, summary + ("  " + "; ".join(notes) if notes else
                                  "  No change beyond drag and natural drift."),
                  fontsize=8, colour="#333333", grow=True)
    return fig
