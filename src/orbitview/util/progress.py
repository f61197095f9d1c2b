"""How long a long run will take: estimates from the measured cost of its chunks.

Every engine that works chunk by chunk reports as it goes, through one protocol:
``progress(done, total)``, the units of work done so far (time steps, rows, objects) out
of a total known from the start, called after each chunk.  The API functions that run
such engines take that callable as ``progress=`` (:func:`orbitview.coverage`,
:func:`orbitview.partners`, :func:`orbitview.design_sweep`, ...).

:class:`Estimator` turns those reports into :class:`Estimate`\\ s and says when one is
worth telling: once a run is measured to need more than :data:`SAY_AFTER_S` seconds more,
an ``"estimate"`` event (said once, before most of the work), then an ``"update"`` every
:data:`EVERY_S` seconds and ``"done"`` at the end.  The first chunk's time is not used
for the rate: it also pays for setting the run up (grids, station positions), which the
other chunks do not repeat.  Whoever shows progress (the CLI: a line on stderr, a bar on a
terminal) renders the events; the clock is an argument, so a test gives it a fake one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

SAY_AFTER_S = 10.0
"""Runs measured to need at least this many more seconds are announced with an estimate."""
EVERY_S = 10.0
"""Seconds between updates of an announced run."""
MIN_MEASURED_S = 2.0
"""Seconds of chunks (after the first) timed before an estimate is made: enough chunks that
one cheap or dear chunk (a satellite far from the region, or over it) does not decide."""


def duration_text(seconds: float) -> str:
    """'8 s', '3 min 20 s', '1 h 05 min': the precision a person plans with."""
    s = max(0.0, float(seconds))
    if s < 59.5:
        return f"{s:.0f} s"
    if s < 599.5:
        minutes, rest = divmod(round(s), 60)
        return f"{minutes} min" + (f" {rest:02d} s" if rest else "")
    if s < 3570:
        return f"{round(s / 60.0)} min"
    hours, rest = divmod(round(s / 60.0), 60)
    return f"{hours} h {rest:02d} min"


@dataclass(frozen=True)
class Estimate:
    """Where a run stands: ``done`` of ``total`` units after ``elapsed_s`` seconds; the
    seconds still to go, from the measured cost per chunk (None until measured)."""

    what: str
    done: int
    total: int
    elapsed_s: float
    remaining_s: float | None
    chunk_s: float | None
    """Measured seconds per chunk (the first chunk left out)."""
    chunks_left: int | None
    unit: str = "steps"

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    def estimate_text(self) -> str:
        """The line said once: how long, and what it rests on."""
        return (f"{self.what} will take about {duration_text(self.remaining_s or 0.0)} more "
                f"({self.chunks_left:,} chunks of work left at {self.chunk_s:.2g} s each, "
                f"measured on the chunks done so far; {self.done:,} of {self.total:,} "
                f"{self.unit} done)")

    def update_text(self) -> str:
        left = (f", about {duration_text(self.remaining_s)} to go"
                if self.remaining_s is not None else "")
        return (f"{self.what}: {100.0 * self.fraction:.0f} % done ({self.done:,} of "
                f"{self.total:,} {self.unit}) after {duration_text(self.elapsed_s)}{left}")

    def done_text(self) -> str:
        return f"{self.what}: done in {duration_text(self.elapsed_s)}"


class Estimator:
    """Reports ``(done, total)`` in, events to show out (see the module's text).

    ``clock`` gives seconds (default: :func:`time.monotonic`); ``say_after_s`` and
    ``every_s`` as :data:`SAY_AFTER_S` and :data:`EVERY_S`; ``unit`` names what is
    counted ('time steps', 'rows', 'objects').
    """

    def __init__(self, what: str = "the run", unit: str = "steps", clock=None,
                 say_after_s: float = SAY_AFTER_S, every_s: float = EVERY_S):
        self.what, self.unit = what, unit
        self.clock = clock or time.monotonic
        self.say_after_s, self.every_s = say_after_s, every_s
        self._start = self.clock()
        self._first: tuple[float, int] | None = None      # (time, done) of the first chunk
        self._chunks = 0
        self._said_at: float | None = None
        self._last: Estimate | None = None
        self._announced = False
        self.events: list[tuple[str, Estimate]] = []
        """Every event returned so far, in order."""

    def estimate(self, done: int, total: int, now: float | None = None) -> Estimate:
        """Where the run stands after ``done`` of ``total`` units (no event)."""
        now = self.clock() if now is None else now
        elapsed = now - self._start
        remaining = chunk_s = chunks_left = None
        if self._first is not None and done > self._first[1]:
            t1, d1 = self._first
            measured_s = now - t1
            measured_chunks = self._chunks - 1
            if measured_chunks >= 1 and measured_s >= MIN_MEASURED_S:
                rate = (done - d1) / measured_s if measured_s > 0 else float("inf")
                per_chunk = (done - d1) / measured_chunks if measured_chunks else done - d1
                remaining = (total - done) / rate if rate > 0 else 0.0
                chunk_s = measured_s / measured_chunks if measured_chunks else measured_s
                chunks_left = -(-(total - done) // max(per_chunk, 1))
        return Estimate(self.what, done, total, elapsed, remaining, chunk_s,
                        None if chunks_left is None else int(chunks_left), self.unit)

    def report(self, done: int, total: int) -> list[tuple[str, Estimate]]:
        """The events of one report: ``("estimate", e)`` once the run is measured to need
        ``say_after_s`` or more, ``("update", e)`` every ``every_s`` after it, ``("done", e)``
        when ``done >= total`` (only for an announced run)."""
        now = self.clock()
        if done > 0:
            self._chunks += 1
            if self._first is None:
                self._first = (now, done)
        e = self.estimate(done, total, now)
        self._last = e
        out: list[tuple[str, Estimate]] = []
        if done >= total:
            if self._announced:
                out.append(("done", e))
        elif not self._announced:
            if e.remaining_s is not None and e.remaining_s >= self.say_after_s:
                self._announced, self._said_at = True, now
                out.append(("estimate", e))
        elif now - self._said_at >= self.every_s:
            self._said_at = now
            out.append(("update", e))
        self.events += out
        return out

    @property
    def announced(self) -> bool:
        return self._announced

    @property
    def last(self) -> Estimate | None:
        return self._last


def counting(progress, total: int):
    """``progress(done, total)`` from an engine that reports increments (``tick(n)``: n
    more units done), for runs made of several engine runs of known total size."""
    if progress is None:
        return None
    done = [0]

    def tick(n):
        done[0] += n
        progress(done[0], total)
    return tick
