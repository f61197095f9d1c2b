"""The ``orbitview`` command: argument parsing, formats and exit codes only.

Exit status: 0 success, 1 a problem with data or values (one readable message
and the fix on stderr), 2 a usage error.  ``--debug`` shows tracebacks.
Each command group lives in its own module; importing them registers the
commands on the root group :data:`cli`.
"""

from __future__ import annotations

import sys

import click

from orbitview.cli import (  # noqa: F401
    beyond,
    completion,
    coverage,
    elements,
    imaging,
    live,  # (register commands)
    messages,
    observe,
    records,
    web,
)
from orbitview.cli.common import cli
from orbitview.util.errors import OrbitviewError, UsageError

cli.add_command(completion.command)
completion.attach(cli)             # every parameter's TAB candidates (orbitview completion)

__all__ = ["cli", "main"]


# --------------------------------------------------------------------------- entry point

def main(argv: list[str] | None = None) -> int:
    """Console-script entry point: one readable message on stderr and an exit status.

    0 success; 1 bad data, a failed download or a file that cannot be written;
    2 a usage error (unknown option, a value the option cannot take); 130 when
    interrupted.  A traceback is shown only with ``--debug``.
    """
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    messages.reset()
    try:
        status = cli.main(args=args, prog_name="orbitview", standalone_mode=False)
    except click.exceptions.Exit as e:
        return e.exit_code
    except click.ClickException as e:
        e.show()
        fix = messages.usage_fix(e)
        if fix:
            click.echo(fix, err=True)
        return e.exit_code
    except click.exceptions.Abort as e:
        if isinstance(e.__cause__, EOFError):
            # click turns any EOFError into Abort: an input that ended early is a data
            # error (exit 1), not an interruption by the user.
            if debug:
                raise e.__cause__ from None
            click.echo(f"orbitview: error: {describe_exception(e.__cause__)}", err=True)
            return 1
        click.echo("orbitview: interrupted; nothing was left half-written.", err=True)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (``orbitview positions ... | head``).
        _silence_stdout()
        return 0
    except Exception as e:  # noqa: BLE001 - the one place every failure is explained
        if debug:
            raise
        text = describe_exception(e)
        if text.startswith("unexpected "):
            saved = save_traceback(e, args)
            if saved is not None:
                text += f"\nIts traceback is saved in {saved}: attach it to the report."
        click.echo(f"orbitview: error: {text}", err=True)
        return 2 if isinstance(e, UsageError) else 1
    status = status if isinstance(status, int) else 0
    for text in messages.deferred_warnings():
        messages.warn(text)
    if status == 0 and messages.left_out():
        click.echo(f"orbitview: {len(messages.left_out())} object(s) left out because of data "
                   f"problems ({', '.join(messages.left_out())}); exit status 1.", err=True)
        return 1
    return status


def describe_exception(e: BaseException) -> str:
    """The text a user reads for ``e``: orbitview's own message, or a plain account."""
    if isinstance(e, OrbitviewError):
        return str(e)
    if isinstance(e, EOFError):
        detail = f" ({e})" if str(e) else ""
        return (f"an input ended before it was complete{detail}.\n"
                "Fix: check that the files the command reads (--elements, --sensors, the "
                "config file) are whole; 'orbitview --debug ...' shows where it was read.")
    if isinstance(e, MemoryError):
        return ("not enough memory for this request.\n"
                "Fix: ask for less (a shorter span, a larger --step or a coarser grid).")
    if isinstance(e, OSError):
        where = f" {e.filename}" if e.filename else ""
        return (f"cannot access{where}: {e.strerror or e}.\n"
                "Fix: check that the path exists and that you may read (or write) it.")
    return (f"unexpected {type(e).__name__}: {e}.\n"
            "Fix: this is a bug in orbitview; please report it with the output of the same "
            "command run as 'orbitview --debug ...'.")


def save_traceback(e: BaseException, args: list[str]):
    """The traceback of an unexpected error, with the command and the versions, written to
    ``last-error.txt`` in the user directory (a failure that happens once, under load or
    on another machine, can still be reported); its path, or None if it cannot be
    written."""
    import platform
    import traceback

    from orbitview.data.datadir import user_dir
    from orbitview.util.atomic import atomic_write_text
    from orbitview.util.version import __version__
    path = user_dir() / "last-error.txt"
    text = (f"orbitview {__version__}, Python {platform.python_version()}, "
            f"{platform.platform()}\ncommand: orbitview {' '.join(args)}\n\n"
            + "".join(traceback.format_exception(e)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, text)
    except Exception:  # noqa: BLE001 - the report must not fail the report
        return None
    return path


def _silence_stdout() -> None:
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
