"""The partners figure: imaging revisit per province with and without partner satellites."""

from __future__ import annotations


def plot_comparison(rows: list[dict], title: str, caption: str):
    """Per region: mean revisit and longest wait, Pakistan's fleet beside fleet + partners."""
    import numpy as np

    from orbitview.products.plotting import pyplot
    plt = pyplot()
    regions = list(dict.fromkeys(r["region"] for r in rows if r["cells"]))
    fleets = list(dict.fromkeys(r["fleet"] for r in rows))
    colours = ["#8c6d31", "#1f77b4"]
    height = max(4.8, 0.62 * len(regions) + 3.4)
    fig, axes = plt.subplots(1, 2, figsize=(13.5, height), layout="constrained", sharey=True)
    y = np.arange(len(regions))
    for ax, column, what in ((axes[0], "mean_revisit_h", "mean revisit (hours)"),
                             (axes[1], "max_revisit_h", "longest wait for an image (hours)")):
        for k, fleet in enumerate(fleets):
            values = [next((r[column] for r in rows if r["region"] == g and r["fleet"] == fleet),
                           None) for g in regions]
            v = np.array([np.nan if x is None else x for x in values], float)
            bars = ax.barh(y + (k - 0.5) * 0.38, v, height=0.36, color=colours[k % 2],
                           label=fleet if ax is axes[0] else None)
            ax.bar_label(bars, labels=["never" if np.isnan(x) else f"{x:.1f}" for x in v],
                         padding=3, fontsize=8)
        ax.set_yticks(y, regions)
        ax.set_xlabel(what)
        ax.grid(axis="x", color="#eeeeee")
        ax.set_axisbelow(True)
        ax.set_xlim(0, np.nanmax([r[column] or 0 for r in rows]) * 1.18 or 1)
    fig.legend(loc="outside upper right", ncol=2, fontsize=9, frameon=False)
    axes[0].invert_yaxis()                 # the axes share y: invert once, first region on top
    axes[0].set_title("Mean revisit", loc="left", fontweight="bold")
    axes[1].set_title("Longest wait (worst cell)", loc="left", fontweight="bold")
    from orbitview.products.layout import caption_below
    caption_below(fig, caption, title=title, fontsize=7.5, grow=True)
    return fig
