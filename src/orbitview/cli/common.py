"""What every command shares: the root group, selection, warnings, common options.

Commands live in one module per group (``records``, ``elements``, ``observe``,
``coverage``); each parses options, calls the library and formats the result.
"""

from __future__ import annotations

import datetime as dt

import click

from orbitview.util.version import __version__
from orbitview.util.errors import UsageError
from orbitview.products.text import FORMATS, round_event_times  # noqa: F401  (shared by commands)
from orbitview.cli import params

FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(FORMATS), default="table",
                             show_default=True, help="Output format.")


HELP_ORDER = ("launches", "history", "tle", "positions", "track", "passes", "now", "sky", "look",
              "footprint", "coverage", "opportunities", "geo-belt", "map", "animate", "export",
              "info", "data")
"""Order of the root group's --help; commands not listed follow in registration order."""


class _Group(click.Group):
    def list_commands(self, ctx):
        names = list(self.commands)
        return sorted(names, key=lambda n: (HELP_ORDER.index(n) if n in HELP_ORDER
                                            else len(HELP_ORDER), names.index(n)))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orbitview")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def cli(ctx, debug):
    """Track Pakistan's satellites: launches, element sets, tracks, passes, coverage.

    Times are read and shown in a local zone (--tz, else the config file, else a
    built-in site's Asia/Karachi, else UTC) unless they carry an offset; 'now',
    'tonight' and '+2h' work too.  Everything works offline from the bundled data
    except 'orbitview tle update' and --refresh.
    """
    ctx.obj = {"debug": debug}


_LEFT_OUT: list[str] = []
"""Objects a command left out because of data problems; the command then exits 1."""
MAX_PROBLEM_WARNINGS = 6


def left_out() -> list[str]:
    return list(_LEFT_OUT)


def leave_out(what: str) -> None:
    _LEFT_OUT.append(what)


def _catalog():
    """The catalog, read once per command; every data problem is announced (one line
    each) on stderr the first time."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx is not None else None
    if root is not None and META_CATALOG in root.meta:
        return root.meta[META_CATALOG]
    catalog = _read_catalog()
    if root is not None:
        root.meta[META_CATALOG] = catalog
    return catalog


META_CATALOG = "orbitview.data.catalog"


def _read_catalog():
    from orbitview.data.catalog import load_catalog
    catalog = load_catalog()
    problems = catalog.problems
    for p in problems[:MAX_PROBLEM_WARNINGS]:
        _warn(f"data problem in the {p.scope or 'data'}: {p.where}: {p.what}"[:300])
    if problems:
        more = len(problems) - MAX_PROBLEM_WARNINGS
        _warn((f"... and {more} more. " if more > 0 else "")
              + "Only the objects and names these files hold are affected; "
              "'orbitview data check' shows the evidence and the fix for each.")
    from orbitview.cli.live import with_external        # objects of --elements files (live)
    return with_external(catalog)


def which(names, all_):
    """The satellites a command names: the names, or every one with element sets (--all)."""
    from orbitview.api.inputs import ALL
    if all_ and names:
        raise click.UsageError("give satellite names or --all, not both")
    if not all_ and not names:
        raise click.UsageError("name at least one satellite (e.g. PRSS-1 or 43530), or --all")
    return ALL if all_ else list(names)


def say(result) -> None:
    """Print a result's notes as warnings on stderr; objects it left out because of data
    problems make the command exit 1."""
    for n in result.notes:
        _warn(n.text)
    for name in result.left_out:
        leave_out(name)


def _select(names, all_, need_elements=True):
    """Satellites named on the command line, or every one with element sets (--all)."""
    if all_ and names:
        raise click.UsageError("give satellite names or --all, not both")
    if not all_ and not names:
        raise click.UsageError("name at least one satellite (e.g. PRSS-1 or 43530), or --all")
    catalog = _catalog()
    if all_:
        sats = catalog.with_elements()
        skipped = [s for s in catalog if not s.elements and not s.problems]
        if skipped:
            _warn("--all skips records without element sets: "
                  + ", ".join(s.name for s in skipped))
        for s in catalog:
            if s.problems:
                _warn(f"--all leaves out {s.name} ({s.norad_id}): {s.problems[0].where}: "
                      f"{s.problems[0].what}"[:300])
                leave_out(s.name)
        return sats
    sats = catalog.resolve_many(names)
    if need_elements:
        for s in sats:
            s.require_elements()
    return sats


_DEFERRED: list[str] = []
"""Warnings said once, after a command that succeeded (an error that stops it says more)."""


def defer_warning(text: str) -> None:
    if text not in _DEFERRED:
        _DEFERRED.append(text)


def deferred_warnings() -> list[str]:
    return list(_DEFERRED)


def _warn(text):
    click.echo(f"orbitview: warning: {text}", err=True)


MAX_EACH_WARNING = 12
"""Warnings printed one by one; a whole catalogue's gets one summary line for the rest."""


def _warn_all(messages, limit: int = MAX_EACH_WARNING) -> None:
    """Each warning on its line, up to ``limit``; the rest counted in one line by kind, so a
    10,000-object catalogue of stale sets is not 10,000 lines."""
    messages = list(messages)
    for m in messages[:limit]:
        _warn(m)
    rest = messages[limit:]
    if rest:
        stale = sum("stale beyond" in m for m in rest)
        failed = sum("SGP4 error" in m for m in rest)
        kinds = [f"{stale:,} stale element sets" if stale else "",
                 f"{failed:,} SGP4 failures" if failed else "",
                 f"{len(rest) - stale - failed:,} others" if len(rest) - stale - failed else ""]
        _warn(f"... and {len(rest):,} more like these ({', '.join(k for k in kinds if k)}); "
              "ask for fewer objects to see each one.")


def _window(at, before_min, after_min, step_s):
    """A time grid around ``at`` that contains ``at`` exactly; returns (t, at_index)."""
    import math
    from orbitview.util.timeutil import time_grid
    if before_min < 0 or after_min < 0:
        raise UsageError("--before and --after are minutes and cannot be negative.\n"
                         "Fix: give e.g. --before 45 --after 90.")
    n_before = math.ceil(before_min * 60.0 / step_s - 1e-9)
    start = at - dt.timedelta(seconds=n_before * step_s)
    end = at + dt.timedelta(seconds=after_min * 60.0)
    _check_window(start, end)
    return time_grid(start, end, step_s), n_before


def _check_window(start, end):
    """Refuse (usage error, exit 2) a span that leaves the supported dates."""
    from orbitview.util.timeutil import check_supported
    check_supported(start, end, "the requested span")



def coarser(value: float, factor: float) -> float:
    """``value * factor`` rounded up to two significant digits: a suggestion that fits."""
    import math
    need = value * factor
    scale = 10.0 ** (math.floor(math.log10(need)) - 1)
    return round(math.ceil(need / scale - 1e-9) * scale, 12)


def check_samples(sats, n_time: int, step_s: float, max_samples: float, why: str,
                  shorter: str = "a shorter --hours") -> None:
    """Refuse (usage error, exit 2) satellites x times beyond ``max_samples``, before any
    work, with the figure and a --step that fits; ``why`` says what the limit protects."""
    n_sat = len(sats)
    n = n_sat * n_time
    if n <= max_samples:
        return
    raise UsageError(f"{n_sat} satellite{'s' if n_sat != 1 else ''} x {n_time:,} times every "
                     f"{step_s:g} s is {n:,} samples, more than the {int(max_samples):,} "
                     f"{why}.\nFix: give --step {coarser(step_s, n / max_samples):g} or more, "
                     f"or {shorter}.")


def _r(value, digits):
    value = float(value)
    return None if value != value else round(value, digits)



def _rule(min_elevation, mask):
    from orbitview.access.rules import HorizonMask, VisibilityRule
    return VisibilityRule(min_elevation, HorizonMask.read(mask) if mask else None)


MIN_ELEVATION_OPTION = click.option(
    "--min-elevation", type=params.MIN_ELEVATION_DEG, default=10.0, show_default=True,
    help="Minimum elevation (deg) of the visibility rule.")
MASK_OPTION = click.option(
    "--mask", type=params.MASK_FILE,
    help="Horizon mask CSV (azimuth_deg,min_elevation_deg), combined with --min-elevation.")



# --------------------------------------------------------------------------- what every answer says

STATE_SAMPLES = 97
"""Times sampled to find SGP4 failures and stale elements over a command's span."""


def _state_warnings(sats, start, end) -> list[str]:
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
    from orbitview.cli.live import hold
    return propagate(sats, time_grid(start, max(end, start), step_s), hold=hold()).warnings()


BEFORE_LAUNCH = ("positions before then are extrapolated from later elements and describe "
                 "no real object")


def _launch_notes(sats, start, end, before: str = BEFORE_LAUNCH) -> dict:
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
            _warn(f"{s.name} had not launched by {iso(end)}: it was launched on {when}; "
                  f"{before}.")
        else:
            _warn(f"{s.name} was launched on {when}: it had not launched at {iso(start)}; "
                  f"{before}.")
    return launched
