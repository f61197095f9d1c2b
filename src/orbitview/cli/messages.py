"""What a command says besides its answer: warnings and notes on stderr, warnings said
once at the end, and the objects left out because of data problems (exit status 1)."""

from __future__ import annotations

import click

from orbitview.util.text import printable

MAX_EACH_WARNING = 12
"""Warnings printed one by one; a whole catalogue's gets one summary line for the rest."""

_LEFT_OUT: list[str] = []
"""Objects a command left out because of data problems; the command then exits 1."""
_DEFERRED: list[str] = []
"""Warnings said once, after a command that succeeded (an error that stops it says more)."""


def reset() -> None:
    """Forget what the last command said (the entry point calls this per invocation)."""
    _LEFT_OUT.clear()
    _DEFERRED.clear()


def left_out() -> list[str]:
    return list(_LEFT_OUT)


def leave_out(what: str) -> None:
    _LEFT_OUT.append(what)


def defer_warning(text: str) -> None:
    if text not in _DEFERRED:
        _DEFERRED.append(text)


def deferred_warnings() -> list[str]:
    return list(_DEFERRED)


def warn(text) -> None:
    # Object names and values from the user's files may hold escape codes: shown as text.
    click.echo(f"orbitview: warning: {printable(text)}", err=True)


def note(text) -> None:
    click.echo(f"orbitview: note: {printable(text)}", err=True)


def warn_all(messages, limit: int = MAX_EACH_WARNING) -> None:
    """Each warning on its line, up to ``limit``; the rest counted in one line by kind, so a
    10,000-object catalogue of stale sets is not 10,000 lines."""
    messages = list(messages)
    for m in messages[:limit]:
        warn(m)
    rest = messages[limit:]
    if rest:
        stale = sum("stale beyond" in m for m in rest)
        failed = sum("SGP4 error" in m for m in rest)
        kinds = [f"{stale:,} stale element sets" if stale else "",
                 f"{failed:,} SGP4 failures" if failed else "",
                 f"{len(rest) - stale - failed:,} others" if len(rest) - stale - failed else ""]
        warn(f"... and {len(rest):,} more like these ({', '.join(k for k in kinds if k)}); "
             "ask for fewer objects to see each one.")


def usage_fix(error) -> str | None:
    """The 'Fix:' line for one of click's own usage errors (unknown option, bad choice,
    missing argument), which have none; None when the message already gives one."""
    if not isinstance(error, click.UsageError) or "Fix:" in error.format_message():
        return None
    ctx = getattr(error, "ctx", None)
    path = ctx.command_path if ctx is not None else "orbitview"
    return f"Fix: see '{path} --help' for the arguments and options it takes."


META_VERBOSE = "orbitview.verbose"


def verbose() -> bool:
    """Whether the command was asked to say every stale element set (``--verbose``)."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.find_root().meta.get(META_VERBOSE))


def said(notes) -> list[str]:
    """The texts to print for ``notes``, stale element sets said once: one line naming how
    many, the oldest, the largest bounds and the fix, where the first of them stood (every
    one with ``--verbose``); each satellite's own age and bound stay in the answer's table
    or caption."""
    from orbitview.orbit.accuracy import stale_summary
    notes = list(notes)
    stale = [n for n in notes if getattr(n, "kind", "") == "stale"
             and getattr(n, "detail", None) is not None]
    if len(stale) < 2 or verbose():
        return [getattr(n, "text", str(n)) for n in notes]
    out, done = [], False
    for n in notes:
        if n in stale:
            if not done:
                out.append(stale_summary([s.detail for s in stale]))
                done = True
            continue
        out.append(getattr(n, "text", str(n)))
    return out


def say(result) -> None:
    """Print a front-door result's notes as warnings (stale element sets said once, see
    :func:`said`); objects it left out because of data problems make the command exit 1."""
    warn_all(said(result.notes))
    for name in result.left_out:
        leave_out(name)
