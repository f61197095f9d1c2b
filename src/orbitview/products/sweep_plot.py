"""The design sweep's figure: revisit against fleet size, per plane count and province."""

from __future__ import annotations

from orbitview.products.maps import COLOURS
from orbitview.products.plotting import pyplot
from orbitview.studies.sweep import COUNTRY_REGIONS as COUNTRY
from orbitview.studies.sweep import meets_target, smallest_meeting

TARGET_COLOUR = "#c0392b"


def plot_sweep(rows: list[dict], title: str, caption: str, *,
               target_max_revisit_h: float | None = None):
    """Revisit against fleet size: Pakistan's mean and longest revisit per plane count,
    and each province's mean revisit for the best design of each fleet size.

    A target for the longest wait (hours) is drawn on its panel with the smallest design
    that meets it (:func:`orbitview.studies.sweep.smallest_meeting`, the rule the table
    uses) ringed and named; the caption says how many meet it."""
    plt = pyplot()
    from matplotlib.ticker import FuncFormatter
    fig, (ax_mean, ax_max, ax_prov) = plt.subplots(1, 3, figsize=(15.5, 5.8),
                                                   layout="constrained")
    from matplotlib.ticker import MaxNLocator
    hours = FuncFormatter(lambda v, _: f"{v:g}")
    for ax in (ax_mean, ax_max, ax_prov):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    country = [r for r in rows if r["region"] in COUNTRY]
    planes = sorted({r["planes"] for r in country})
    for k, p in enumerate(planes):
        mine = sorted((r for r in country if r["planes"] == p), key=lambda r: r["satellites"])
        x = [r["satellites"] for r in mine]
        style = {"marker": "o", "color": COLOURS[k % len(COLOURS)],
                 "label": f"{p} plane{'s' if p > 1 else ''}"}
        ax_mean.plot(x, [_nan(r["mean_revisit_h"]) for r in mine], **style)
        ax_max.plot(x, [_nan(r["max_revisit_h"]) for r in mine], **style)
    for ax, what in ((ax_mean, "mean revisit over Pakistan (h, area-weighted)"),
                     (ax_max, "longest wait anywhere in Pakistan (h)")):
        ax.set_xlabel("satellites in the constellation")
        ax.set_ylabel(what)
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(hours)
        ax.yaxis.set_minor_formatter(hours)
        ax.grid(color="#eeeeee", which="both")
        ax.axhline(24.0, color="#888888", ls="--", lw=0.8)
        on_target = ax is ax_max and target_max_revisit_h is not None and \
            abs(target_max_revisit_h - 24.0) < 2.0       # the target's own label says it
        if not on_target:
            ax.text(ax.get_xlim()[1], 24.0, "1 day ", ha="right", va="bottom", fontsize=8,
                    color="#666666")
    best_row = smallest_meeting(rows, target_max_revisit_h)
    for ax, target, column in ((ax_max, target_max_revisit_h, "max_revisit_h"),):
        if target is None:
            continue
        ax.axhline(target, color=TARGET_COLOUR, lw=1.4, zorder=1.5)
        # At the left end: the large fleets, at the right, end near the target.
        ax.text(ax.get_xlim()[0], target, f" target {target:g} h", ha="left", va="top",
                fontsize=8, color=TARGET_COLOUR, fontweight="bold")
        if best_row is not None:
            value = _nan(best_row[column])
            ax.plot(best_row["satellites"], value, "o", ms=15, mfc="none",
                    mec=TARGET_COLOUR, mew=2.0, zorder=5,
                    label=f"smallest meeting the target: {best_row['satellites']} satellites, "
                          f"{best_row['planes']} plane{'s' if best_row['planes'] > 1 else ''}")
    # Mean revisit falls with fleet size: its lower left is clear of the curves. The
    # longest wait may not fall (one plane stays at its gap): there matplotlib picks the
    # corner with the least overlap with the curves and the target's ring.
    ax_mean.legend(fontsize=8, title="Walker planes", title_fontsize=8, loc="lower left")
    ax_max.legend(fontsize=8, title="Walker planes", title_fontsize=8, loc="best")
    ax_mean.set_title("Mean revisit", loc="left", fontweight="bold")
    ax_max.set_title("Longest wait (worst cell)", loc="left", fontweight="bold")
    best = {}
    for r in country:                  # per size: the design with the shortest longest wait
        key = (r["never_imaged_pct"] or 0.0, _inf(r["max_revisit_h"]),
               _inf(r["mean_revisit_h"]))
        if r["satellites"] not in best or key < best[r["satellites"]][0]:
            best[r["satellites"]] = (key, r)
    best = {n: r for n, (_, r) in best.items()}
    regions = [r["region"] for r in rows if r["design"] == country[0]["design"]
               and r["region"] not in ("Pakistan", "all cells")]
    sizes = sorted(best)
    for k, region in enumerate(regions):
        y = [_nan(next(r["mean_revisit_h"] for r in rows if r["design"] == best[n]["design"]
                       and r["region"] == region)) for n in sizes]
        ax_prov.plot(sizes, y, marker=".", color=COLOURS[k % len(COLOURS)], label=region)
    ax_prov.set_yscale("log")
    ax_prov.yaxis.set_major_formatter(hours)
    ax_prov.yaxis.set_minor_formatter(hours)
    ax_prov.set_xlabel("satellites (the plane count with the shortest longest wait)")
    ax_prov.set_ylabel("mean revisit (h)")
    ax_prov.grid(color="#eeeeee", which="both")
    ax_prov.legend(fontsize=7.5, loc="upper right")
    ax_prov.set_title("Per province", loc="left", fontweight="bold")
    caption += (" Satellites in one plane pass minutes apart: that lowers the mean revisit "
                "but not the longest wait.")
    never = [r["design"] for r in country if r["never_imaged_pct"] == 100.0]
    if never:
        caption += (" Never over Pakistan in daylight within the window (no mean revisit; "
                    f"the longest wait is the window): {', '.join(never)}.")
    if target_max_revisit_h is not None:
        ok = {r["design"]: bool(meets_target(r, target_max_revisit_h)) for r in country}
        wanted = f"longest wait \u2264 {target_max_revisit_h:g} h"
        caption += (f" Target {wanted} over the whole country: met by {sum(ok.values())} of "
                    f"{len(ok)} designs" + (
                        f"; the smallest is {best_row['design']} ({best_row['satellites']} "
                        f"satellites in {best_row['planes']} planes), ringed." if best_row
                        else "; by none." ))
    from orbitview.products.layout import caption_below
    caption_below(fig, caption, title=title, fontsize=7.5, grow=True)
    return fig


def _nan(value) -> float:
    return float("nan") if value is None else float(value)


def _inf(value) -> float:
    v = _nan(value)
    return float("inf") if v != v else v
