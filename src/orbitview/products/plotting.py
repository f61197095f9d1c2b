"""Shared figure helpers: headless backend, house colours, saving."""

from __future__ import annotations

from pathlib import Path

FIGURE_SUFFIXES = (".png", ".svg", ".pdf")


def pyplot():
    """matplotlib.pyplot on the Agg backend unless a backend was chosen already."""
    import matplotlib
    if "matplotlib.pyplot" not in __import__("sys").modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def check_output(path: Path) -> Path:
    """A figure path orbitview may write (suffix, directory, regular file or nothing)."""
    from orbitview.util.atomic import check_output_path
    return check_output_path(Path(path), FIGURE_SUFFIXES)


def save_figure(fig, path: Path, dpi: int = 150) -> None:
    """Save atomically: a failed save never leaves a half-written file behind."""
    from orbitview.util.atomic import atomic_write
    path = check_output(path)
    try:
        atomic_write(path, lambda tmp: fig.savefig(tmp, dpi=dpi, format=path.suffix[1:].lower()))
    finally:
        pyplot().close(fig)
