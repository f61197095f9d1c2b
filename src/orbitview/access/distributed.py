"""Runs that outgrow one machine: the coverage engine's chunks on a dask cluster.

The coverage engine (:mod:`orbitview.access.coverage`) cuts a window into chunks of
time steps and reduces each to a partial result that merges associatively with
its neighbours (per-cell counts, first and last access, the gaps between, the
longest).  This module only *drives* that engine; it computes nothing itself:

1. the prepared problem (satellites, grid cells in tiles, access rule, times)
   is sent once to every worker;
2. consecutive engine chunks are grouped into tasks; each task reduces its
   chunks in order on a worker and returns one partial;
3. neighbouring partials are merged pairwise on the workers, as a tree, so
   the client receives one partial;
4. the client turns it into the same :class:`~orbitview.access.coverage.CoverageResult`
   a single process would, equal to it exactly (the merge is exact integer
   arithmetic on step indices).

A worker that dies mid-run loses its tasks; the scheduler runs them again on
another worker (tasks are pure functions of the problem and a span of steps),
so the result does not change.

``dask`` and ``distributed`` are optional (``pip install "orbitview[dask]"``);
nothing here imports them until a cluster is asked for.
"""

from __future__ import annotations

import contextlib
import math
import os

from orbitview.util.errors import OrbitviewError, UsageError

TASKS_PER_WORKER = 8
"""Tasks per worker: enough that a slow or lost worker delays the run by a fraction."""
CONNECT_TIMEOUT_S = 10.0


class ClusterError(OrbitviewError):
    """The dask cluster cannot be reached or cannot run orbitview."""


def _require_dask():
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise UsageError("--dask and --scheduler need dask.distributed, which is not "
                         "installed.\nFix: pip install \"orbitview[dask]\" (or "
                         "pip install \"dask[distributed]\").") from None


# --------------------------------------------------------------------------- the plan

def group_chunks(chunks: list[tuple[int, int]], n_tasks: int) -> list[list[tuple[int, int]]]:
    """Consecutive chunks in ``n_tasks`` groups of nearly equal numbers of steps."""
    n_tasks = max(1, min(int(n_tasks), len(chunks)))
    total = chunks[-1][1] - chunks[0][0]
    groups, current, done = [], [], 0
    for a, b in chunks:
        current.append((a, b))
        done += b - a
        if len(groups) < n_tasks - 1 and done >= total * (len(groups) + 1) / n_tasks:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def reduce_span(problem, chunks: list[tuple[int, int]]):
    """One task: the engine's partials of consecutive ``chunks``, merged in order."""
    return problem.reduce(chunks)


def merge_pair(earlier, later):
    """Two neighbouring partials as one (the engine's associative merge)."""
    return earlier.merge(later)


def run_local(problem, progress=None):
    """The merged partial of every chunk, in this process (what ``compute_coverage`` does)."""
    return problem.reduce(problem.chunks(), progress)


def run_on_cluster(problem, client, n_tasks: int | None = None, progress=None):
    """The merged partial of every chunk, computed on ``client``'s workers.

    The problem is scattered once to every worker; ``n_tasks`` (default
    :data:`TASKS_PER_WORKER` per worker) tasks reduce runs of chunks; a tree of
    pairwise merges on the workers leaves one partial, which is gathered.
    ``progress``, if given, is called with the number of steps of each task done.
    """
    from distributed import as_completed
    chunks = problem.chunks()
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    groups = group_chunks(chunks, n_tasks or TASKS_PER_WORKER * workers)
    [problem_future] = client.scatter([problem], broadcast=True, hash=False)
    level = [client.submit(reduce_span, problem_future, g, pure=False, retries=2)
             for g in groups]
    steps = {f.key: g[-1][1] - g[0][0] for f, g in zip(level, groups)}
    merges = []
    tree = list(level)
    while len(tree) > 1:
        nxt = [client.submit(merge_pair, tree[i], tree[i + 1], pure=False, retries=2)
               for i in range(0, len(tree) - 1, 2)]
        if len(tree) % 2:
            nxt.append(tree[-1])
        merges += nxt
        tree = nxt
    if progress is not None:
        for future in as_completed(level, loop=client.loop):
            progress(steps[future.key])
    total = tree[0].result()
    client.cancel(level + merges + [problem_future])
    return total


def compute(problem, client=None, n_tasks: int | None = None, progress=None):
    """The :class:`~orbitview.access.coverage.CoverageResult` of ``problem``, in this process or on
    ``client``'s cluster; both give the same numbers."""
    total = run_local(problem, progress) if client is None else \
        run_on_cluster(problem, client, n_tasks, progress)
    return problem.result(total)


def coverage_runner(client, n_tasks: int | None = None):
    """A function with :func:`orbitview.access.coverage.compute_coverage`'s signature that runs on
    ``client``'s cluster (for views such as :func:`orbitview.access.revisit.compute_revisit`)."""
    def run(satellites, grid, rule, start, end, step_s, progress=None, hold=True,
            refine_s=None):
        from orbitview.access.coverage import CoverageProblem, steps_between
        problem = CoverageProblem(satellites, grid, rule, start, step_s,
                                  steps_between(start, end, step_s), hold=hold,
                                  refine_s=refine_s)
        return compute(problem, client, n_tasks, progress)
    return run


# --------------------------------------------------------------------------- clusters

def _orbitview_version() -> str:
    from orbitview.util.version import __version__
    return __version__


@contextlib.contextmanager
def cluster_client(workers: int | None = None, scheduler: str | None = None):
    """A dask client: on a new ``LocalCluster`` of ``workers`` single-threaded processes on
    this machine, or on the existing cluster whose scheduler listens at ``scheduler``
    (``tcp://HOST:PORT``).  Closes what it started; checks that every worker runs the
    same orbitview."""
    _require_dask()
    with _dask_settings():
        with _cluster_client(workers, scheduler) as client:
            yield client


DASK_SETTINGS = ("scheduler", "shuffle")
"""dask's global settings a distributed client changes while it is the default."""


@contextlib.contextmanager
def _dask_settings():
    """dask's global settings as they were, whatever the clients opened inside did: a
    client that fails or closes early can leave 'scheduler' set to a distributed client
    that no longer exists, and xarray in the same process then fails ('Requested
    dask.distributed scheduler but no Client active')."""
    import dask
    saved = {k: dask.config.get(k, None) for k in DASK_SETTINGS}
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                dask.config.config.pop(key, None)
            else:
                dask.config.set({key: value})


@contextlib.contextmanager
def _cluster_client(workers, scheduler):
    import logging

    from distributed import Client, LocalCluster
    cluster = None
    if scheduler:
        try:
            # dask's global settings are put back when it closes (_dask_settings).
            client = _connect(Client, scheduler)
        except (OSError, TimeoutError) as e:
            raise ClusterError(f"cannot reach the dask scheduler at {scheduler} ({e}).\n"
                               "Fix: start one ('dask scheduler', then 'dask worker "
                               f"{scheduler}' on each machine) or check the address.") from None
        except Exception as e:  # noqa: BLE001 - whatever answers there is not a dask scheduler
            # Bytes that are not dask's protocol fail in its frame or message decoding
            # (struct.error, msgpack's errors, a handshake that is not a mapping, ...).
            kind = type(e).__name__ if type(e).__module__ == "builtins" else \
                f"{type(e).__module__}.{type(e).__name__}"
            raise ClusterError(f"the dask scheduler address {scheduler} answers with bytes that "
                               f"are not dask's protocol ({kind}: {e}): something else listens "
                               "there.\nFix: check the address and port (a dask scheduler "
                               "listens on 8786 unless told otherwise; 'dask scheduler' prints "
                               "its address).") from None
    else:
        n = workers or max(1, (os.cpu_count() or 1))
        cluster, client = _start_local(n, LocalCluster, Client, logging.ERROR)
    try:
        if scheduler:
            _check_workers(client, scheduler)
        yield client
    finally:
        # The answer is already had: a cluster that fails while shutting down (a busy
        # machine; distributed asserts its state there) does not take it away.
        _close(client, cluster)


FAILED_CLOSE_TIMEOUT_S = 2.0
"""How long closing a client that failed to connect may take."""


def _connect(client_class, scheduler: str):
    """A client of the scheduler at ``scheduler``.  One whose constructor fails is closed
    here and now (within :data:`FAILED_CLOSE_TIMEOUT_S`), and the failure raised: left to
    the garbage collector, its close can run inside a later cluster's start-up in this
    process and deadlock there (seen once in the test suite)."""
    made: list = []

    class Tracked(client_class):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    try:
        return Tracked(scheduler, timeout=CONNECT_TIMEOUT_S)
    except BaseException:
        for half in made:
            try:
                half.close(timeout=FAILED_CLOSE_TIMEOUT_S)
            except Exception:  # noqa: BLE001 - closing what failed to connect
                pass
        raise
    finally:
        made.clear()


LOCAL_START_TRIES = 2
"""A local cluster whose worker processes fail to start (a machine too busy to answer
the nanny in time) is started once more before the run is refused."""


def _start_local(n: int, local_cluster, client_class, log_level):
    """A LocalCluster of ``n`` single-threaded worker processes and its client, checked
    (every worker runs this orbitview); tried :data:`LOCAL_START_TRIES` times."""
    failure: BaseException | None = None
    for _ in range(LOCAL_START_TRIES):
        cluster = client = None
        try:
            cluster = local_cluster(n_workers=n, threads_per_worker=1, processes=True,
                                    dashboard_address=":0", silence_logs=log_level)
            client = client_class(cluster, set_as_default=False)
            _check_workers(client, None)
            return cluster, client
        except ClusterError:
            _close(client, cluster)
            raise
        except Exception as e:  # noqa: BLE001 - distributed's start-up failures vary
            failure = e
            _close(client, cluster)
    raise ClusterError(f"the local dask cluster of {n} worker processes did not start "
                       f"({type(failure).__name__}: {failure}; tried {LOCAL_START_TRIES} "
                       "times).\nFix: give fewer --workers, wait for the machine to be less "
                       "busy, or run without --dask (the same numbers, in this process).")


def _close(client, cluster) -> None:
    for thing in (client, cluster):
        if thing is not None:
            try:
                thing.close()
            except Exception:  # noqa: BLE001 - closing what failed to start
                pass


def _check_workers(client, scheduler) -> None:
    mine = _orbitview_version()
    if scheduler:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
        except (TimeoutError, OSError):
            raise ClusterError(f"the dask scheduler at {scheduler} has no workers.\nFix: "
                               f"start some with 'dask worker {scheduler}'.") from None
    try:
        versions = client.run(_orbitview_version)
    except Exception as e:  # noqa: BLE001 - a worker without orbitview fails to unpickle
        raise ClusterError(f"the workers of {scheduler or 'the local cluster'} cannot run "
                           f"orbitview ({type(e).__name__}: {e}).\nFix: pip install the same "
                           f"orbitview ({mine}) on every worker machine.") from None
    wrong = {w: v for w, v in versions.items() if v != mine}
    if wrong:
        listed = ", ".join(f"{w} has {v}" for w, v in sorted(wrong.items()))
        raise ClusterError(f"workers run a different orbitview than this one ({mine}): "
                           f"{listed}.\nFix: install orbitview {mine} on every worker.")


def describe_cluster(client) -> str:
    """'2 workers (2 threads) at tcp://127.0.0.1:8786'."""
    info = client.scheduler_info()
    workers = info.get("workers", {})
    threads = sum(w.get("nthreads", 1) for w in workers.values())
    return f"{len(workers)} workers ({threads} threads) at {info.get('address', '?')}"


def estimate_seconds(seconds_per_chunk: float, n_chunks: int, workers: int,
                     efficiency: float = 1.0) -> float:
    """Wall time of ``n_chunks`` at a measured cost per chunk on ``workers`` workers that
    scale with the measured ``efficiency`` (speed-up / workers)."""
    return seconds_per_chunk * n_chunks / max(workers * efficiency, 1e-9)


def chunk_count(n_steps: int, steps_per_chunk: int) -> int:
    return math.ceil(n_steps / max(1, steps_per_chunk))
