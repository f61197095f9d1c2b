"""What a command says besides its answer: warnings and notes on stderr, warnings said
once at the end, and the objects left out because of data problems (exit status 1)."""

from __future__ import annotations

import click

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
    click.echo(f"orbitview: warning: {text}", err=True)


def note(text) -> None:
    click.echo(f"orbitview: note: {text}", err=True)


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


def say(result) -> None:
    """Print a front-door result's notes as warnings; objects it left out because of data
    problems make the command exit 1."""
    for n in result.notes:
        warn(n.text)
    for name in result.left_out:
        leave_out(name)
