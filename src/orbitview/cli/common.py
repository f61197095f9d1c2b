"""What every command shares: the root group, selection, warnings, common options.

Commands live in one module per group (``records``, ``elements``, ``observe``,
``coverage``); each parses options, calls the library and formats the result.
"""

from __future__ import annotations

import datetime as dt

import click

from orbitview.cli import messages, session
from orbitview.products.text import FORMATS, round_event_times  # noqa: F401  (shared by commands)
from orbitview.util.errors import UsageError
from orbitview.util.version import __version__

HELP_ORDER = ("launches", "history", "tle", "positions", "track", "passes", "now", "sky", "look",
              "footprint", "coverage", "opportunities", "geo-belt", "map", "animate", "export",
              "info", "data")
"""Order of the root group's --help; commands not listed follow in registration order."""


class OrderedGroup(click.Group):
    def list_commands(self, ctx):
        names = list(self.commands)
        return sorted(names, key=lambda n: (HELP_ORDER.index(n) if n in HELP_ORDER
                                            else len(HELP_ORDER), names.index(n)))


@click.group(cls=OrderedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orbitview")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def cli(ctx, debug):
    """Track Pakistan's satellites: launches, element sets, tracks, passes, coverage.

    Times are read and shown in a local zone (--tz, else the config file, else a
    built-in site's Asia/Karachi, else UTC) unless they carry an offset; 'now',
    'tonight' and '+2h' work too.  Everything works offline from the bundled data
    except 'orbitview tle update' and --refresh.  'orbitview COMMAND --help' shows each
    command's options and examples; 'orbitview completion bash' completes names with TAB.

    \b
    Examples:
      orbitview launches
      orbitview passes PRSS-1 --site Lahore
      orbitview now --site Islamabad
    """
    ctx.obj = {"debug": debug}


def which(names, all_):
    """The satellites a command names: the names, or every one with element sets (--all)."""
    from orbitview.api.inputs import ALL
    if all_ and names:
        raise click.UsageError("give satellite names or --all, not both")
    if not all_ and not names:
        raise click.UsageError("name at least one satellite (e.g. PRSS-1 or 43530), or --all")
    return ALL if all_ else list(names)


def select(names, all_, need_elements=True):
    """Satellites named on the command line, or every one with element sets (--all)."""
    if all_ and names:
        raise click.UsageError("give satellite names or --all, not both")
    if not all_ and not names:
        raise click.UsageError("name at least one satellite (e.g. PRSS-1 or 43530), or --all")
    catalog = session.catalog()
    if all_:
        sats = catalog.with_elements()
        skipped = [s for s in catalog if not s.elements and not s.problems]
        if skipped:
            messages.warn("--all skips records without element sets: "
                  + ", ".join(s.name for s in skipped))
        for s in catalog:
            if s.problems:
                messages.warn(f"--all leaves out {s.name} ({s.norad_id}): {s.problems[0].where}: "
                      f"{s.problems[0].what}"[:300])
                messages.leave_out(s.name)
        return sats
    sats = catalog.resolve_many(names)
    if need_elements:
        for s in sats:
            s.require_elements()
    return sats


def time_window(at, before_min, after_min, step_s):
    """A time grid around ``at`` that contains ``at`` exactly; returns (t, at_index)."""
    import math

    from orbitview.util.timeutil import time_grid
    if before_min < 0 or after_min < 0:
        raise UsageError("--before and --after are minutes and cannot be negative.\n"
                         "Fix: give e.g. --before 45 --after 90.")
    n_before = math.ceil(before_min * 60.0 / step_s - 1e-9)
    start = at - dt.timedelta(seconds=n_before * step_s)
    end = at + dt.timedelta(seconds=after_min * 60.0)
    check_window(start, end)
    return time_grid(start, end, step_s), n_before


def check_window(start, end):
    """Refuse (usage error, exit 2) a span that leaves the supported dates."""
    from orbitview.util.timeutil import check_supported
    check_supported(start, end, "the requested span")


def rounded(value, digits):
    value = float(value)
    return None if value != value else round(value, digits)




# --------------------------------------------------------------------------- what every answer says

STATE_SAMPLES = 97
"""Times sampled to find SGP4 failures and stale elements over a command's span."""


def state_warnings(sats, start, end) -> list[str]:
    """SGP4 failures and stale elements over [start, end], whatever a command finds.

    A command whose answer is empty (no passes, no opportunities) must still say
    that the elements behind it were stale or that SGP4 failed; this samples the
    span coarsely and returns propagate's own messages.
    """
    from orbitview.orbit.propagate import propagate
    from orbitview.util.timeutil import time_grid
    if not sats:
        return []
    span_s = (end - start).total_seconds()
    step_s = max(span_s / (STATE_SAMPLES - 1), 1.0) if span_s > 0 else 1.0
    grid = time_grid(start, max(end, start), step_s)
    return propagate(sats, grid, hold=session.hold()).warnings()


BEFORE_LAUNCH = ("positions before then are extrapolated from later elements and describe "
                 "no real object")


def launch_notes(sats, start, end, before: str = BEFORE_LAUNCH) -> dict:
    """{norad_id: launch time} of satellites launched after ``start``, each announced.

    Before its launch an object did not exist: positions there are extrapolated from
    later elements, and passes there never happened.
    """
    from orbitview.util.timeutil import iso
    launched = {}
    for s in sats:
        r = s.record
        if getattr(r, "launch_time", None) is None or r.launch_time <= start:
            continue                    # launched before, or an object of unknown launch
        launched[s.norad_id] = r.launch_time
        when = r.launch_utc if r.launch_time_known else f"{r.launch_utc} (time of day unknown)"
        if r.launch_time > end:
            messages.warn(f"{s.name} had not launched by {iso(end)}: it was launched on {when}; "
                  f"{before}.")
        else:
            messages.warn(f"{s.name} was launched on {when}: it had not launched at {iso(start)}; "
                  f"{before}.")
    return launched


# --------------------------------------------------------------------------- long runs

def progress_display(what: str, unit: str = "time steps", clock=None, stream=None):
    """A context giving ``progress(done, total)`` for the library (the protocol of
    :mod:`orbitview.util.progress`), rendered on stderr.

    Whether stderr is a terminal or not, a run measured to need more than about ten
    seconds more is announced with its estimate (one line, from the measured cost per
    chunk).  Then on a terminal a transient bar shows the share done and the time to go;
    otherwise a line every ten seconds says the same, and one line says when it is done.
    ``clock`` (seconds; default the monotonic clock) is for tests.
    """
    import contextlib
    import sys

    from orbitview.util.progress import Estimator

    @contextlib.contextmanager
    def display():
        err = stream or sys.stderr
        terminal = hasattr(err, "isatty") and err.isatty()
        estimator = Estimator(what, unit, clock=clock)
        state: dict = {}

        def say(text):
            if "bar" in state:
                state["bar"].console.print(f"orbitview: {text}", markup=False,
                                           highlight=False)
            else:
                click.echo(f"orbitview: {text}", file=err)

        def progress(done, total):
            events = estimator.report(done, total)
            for kind, e in events:
                if kind == "estimate":
                    say(e.estimate_text())
                elif kind == "update" and not terminal:
                    say(e.update_text())
                elif kind == "done":
                    say(e.done_text())
            if not terminal:
                return
            if "bar" not in state:
                if done >= total:
                    return
                from rich.console import Console
                from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
                state["bar"] = Progress(TextColumn("{task.description}"), BarColumn(),
                                        TaskProgressColumn(), TextColumn("{task.fields[left]}"),
                                        console=Console(file=err), transient=True)
                state["bar"].start()
                state["task"] = state["bar"].add_task(what, total=total, left="")
            last = estimator.last
            left = "" if last is None or last.remaining_s is None else \
                f"about {duration_text(last.remaining_s)} to go"
            state["bar"].update(state["task"], completed=done, total=total, left=left)

        from orbitview.util.progress import duration_text
        try:
            yield progress
        finally:
            if "bar" in state:
                state["bar"].stop()
    return display()
