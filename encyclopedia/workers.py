"""Render entries in worker processes, in parallel, each job under a CPU-time limit.

A pathological entry (deep nesting, a quadratic corner of the Markdown parser) is
stopped by a CPU-time timer in its worker (``ITIMER_PROF``, the clock ``RLIMIT_CPU``
uses, armed for each job) and reported as "too complex to render"; a wall-clock backstop
kills a worker that still does not answer (a C loop that never returns to Python), and a
fresh worker takes its place.  CPU time, unlike wall-clock time, holds on a busy machine.

Why not ``RLIMIT_CPU`` set to "CPU used so far + limit": the kernel checks that limit
against its tick-sampled CPU clock, which on a busy (virtual) machine runs seconds ahead
of the precise figure ``getrusage`` reports, so after a minute or so of rendering every
job was stopped at once.  A relative timer on the kernel's own clock cannot drift.

The limits are ``settings.RENDER_CPU_SECONDS`` and ``settings.RENDER_WALL_SECONDS``
(``IMMUNOREF_RENDER_CPU_SECONDS``, ``IMMUNOREF_RENDER_WALL_SECONDS``), read when jobs start.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Callable

from django.conf import settings

from .dependencies import dependencies_of
from .rendering import PageInfo, RenderContext, Renderer, RenderResult

TOO_COMPLEX = (
    "the entry is too complex to render (it hit the {seconds:g}-second CPU limit): look for very deep "
    "nesting, a very long run of unclosed brackets or backticks, or an oversized table, and simplify it"
)


class CpuLimitExceeded(BaseException):
    """Raised by the CPU timer.  Not an Exception, so no ``except Exception`` in Markdown,
    an extension or bleach can swallow it and carry on with half a document."""


@dataclass(frozen=True)
class Job:
    key: str
    body: str
    page: PageInfo
    sections_only: bool = False
    glossary_hash: str = ""  # with sections_only: also list what the text names (encyclopedia.dependencies)


@dataclass
class Outcome:
    key: str
    result: RenderResult | None = None
    sections: tuple[list[str], list[tuple[str, str]]] | None = None
    dependencies: dict | None = None
    failure: str = ""  # a message for the editor when the job could not finish


def _raise_cpu_exceeded(signum, frame):
    raise CpuLimitExceeded()


def too_complex(cpu_seconds: float) -> str:
    return TOO_COMPLEX.format(seconds=cpu_seconds)


def run_one(renderer: Renderer, job: Job, cpu_seconds: float) -> Outcome:
    """Run one job in this process under the CPU limit (the worker's inner step)."""
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    try:
        if job.sections_only:
            dependencies = dependencies_of(job.body, renderer.context.glossary, job.glossary_hash) \
                if job.glossary_hash else None
            return Outcome(job.key, sections=renderer.section_ids(job.body), dependencies=dependencies)
        return Outcome(job.key, result=renderer.render(job.body, job.page))
    except (CpuLimitExceeded, RecursionError, MemoryError):
        return Outcome(job.key, failure=too_complex(cpu_seconds))
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)


def _worker_main(connection, context: RenderContext, cpu_seconds: float) -> None:
    signal.signal(signal.SIGPROF, _raise_cpu_exceeded)
    signal.signal(signal.SIGXCPU, _raise_cpu_exceeded)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    renderer = Renderer(context)
    try:
        while True:
            job = connection.recv()
            if job is None:
                break
            try:
                outcome = run_one(renderer, job, cpu_seconds)
            except CpuLimitExceeded:  # the timer fired just as the job ended
                outcome = Outcome(job.key, failure=too_complex(cpu_seconds))
            except Exception as exc:  # a bug, not the editor's mistake: report it plainly
                outcome = Outcome(job.key, failure=f"the renderer failed unexpectedly ({type(exc).__name__}: {exc})")
            connection.send(outcome)
    except (EOFError, KeyboardInterrupt, BrokenPipeError):
        pass
    finally:
        os._exit(0)  # never run inherited finalizers (database connections belong to the parent)


class _Worker:
    def __init__(self, ctx, context: RenderContext, cpu_seconds: float):
        parent, child = ctx.Pipe()
        self.connection = parent
        self.process = ctx.Process(target=_worker_main, args=(child, context, cpu_seconds), daemon=True)
        self.process.start()
        child.close()
        self.job: Job | None = None
        self.started = 0.0

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.connection.send(None)
            except (BrokenPipeError, OSError):
                pass
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def run_jobs(
    jobs: list[Job],
    context: RenderContext,
    processes: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Outcome]:
    """Run jobs on up to ``processes`` workers (default: every core); results by job key."""
    outcomes: dict[str, Outcome] = {}
    if not jobs:
        return outcomes
    # Forked workers inherit the parent's database sockets but never touch them, and
    # leave with os._exit, so no finalizer of theirs can write to a shared connection.
    ctx = multiprocessing.get_context("fork")
    cpu_seconds, wall_seconds = settings.RENDER_CPU_SECONDS, settings.RENDER_WALL_SECONDS
    count = max(1, min(processes or os.cpu_count() or 1, len(jobs)))

    def start() -> _Worker:
        return _Worker(ctx, context, cpu_seconds)

    workers = [start() for _ in range(count)]
    queue = deque(jobs)
    total = len(jobs)
    try:
        while len(outcomes) < total:
            for worker in workers:
                if worker.job is None and queue:
                    worker.job = queue.popleft()
                    worker.started = time.monotonic()
                    worker.connection.send(worker.job)
            busy = {worker.connection: worker for worker in workers if worker.job is not None}
            for connection in wait(list(busy), timeout=0.5):
                worker = busy[connection]
                try:
                    outcome = connection.recv()
                except (EOFError, OSError):
                    outcome = Outcome(worker.job.key, failure=too_complex(cpu_seconds))
                    worker.stop(kill=True)
                    workers[workers.index(worker)] = start()
                outcomes[outcome.key] = outcome
                worker.job = None
                if on_progress:
                    on_progress(len(outcomes), total)
            now = time.monotonic()
            for index, worker in enumerate(workers):
                if worker.job is not None and now - worker.started > wall_seconds:
                    outcomes[worker.job.key] = Outcome(worker.job.key, failure=too_complex(cpu_seconds))
                    worker.stop(kill=True)
                    workers[index] = start()
                    if on_progress:
                        on_progress(len(outcomes), total)
    finally:
        for worker in workers:
            worker.stop()
    return outcomes
