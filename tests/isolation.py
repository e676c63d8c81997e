"""Run checks in forked children, killed after a timeout and a memory cap.

A SIGALRM cannot interrupt a long call into python-flint or z3, so the tests
that attack the engine (the battery, the mutants) contain a hang this way and
report it as a failure of the test, never as a verdict.

=====================  ===========================================================
``run_isolated``       one check in a child: (status, value)
``run_isolated_each``  several checks one after another in a child, each answered
                       on its own (a fork and a cold SymPy cache per check cost
                       about as much as a quick check itself)
=====================  ===========================================================

>>> run_isolated(lambda: 6 * 7, 60)
('ok', 42)
>>> [s for s, _ in run_isolated_each([lambda: 1, lambda: 1 / 0, lambda: 3], 60)]
['ok', 'error', 'ok']

A hang and a dead child are answered so, and the checks after them still run:

>>> import time
>>> [s for s, _ in run_isolated_each([lambda: time.sleep(60), lambda: os._exit(1),
...                                   lambda: 3], 1)]
['timeout', 'error', 'ok']
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import traceback
from typing import Any, Callable, Sequence

__all__ = ["run_isolated", "run_isolated_each"]

MEMORY_LIMIT = 4 * 2**30


def _answer(fn: Callable[[], Any]) -> bytes:
    try:
        out = fn()
        try:
            return pickle.dumps(("ok", out))
        except Exception as exc:  # noqa: BLE001
            return pickle.dumps(("error", f"result not picklable: {exc!r}"))
    except BaseException:  # noqa: BLE001
        return pickle.dumps(("error", traceback.format_exc()))


def _child(fns, conn):
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ValueError, OSError):
        pass
    for fn in fns:          # each answer as soon as it is known: a later hang keeps it
        conn.send_bytes(_answer(fn))
    conn.close()
    os._exit(0)


def _run_some(fns: Sequence[Callable[[], Any]], timeout: float) -> list[tuple[str, Any]]:
    """The answers of a prefix of ``fns`` run in one child: all of them, or up to and
    including the first that timed out or killed the child."""
    mp = multiprocessing.get_context("fork")
    recv, send = mp.Pipe(duplex=False)
    proc = mp.Process(target=_child, args=(list(fns), send), daemon=True)
    proc.start()
    send.close()
    out: list[tuple[str, Any]] = []
    try:
        while len(out) < len(fns):
            if not recv.poll(timeout):
                out.append(("timeout", f"no answer within {timeout:.0f} s"))
                break
            try:
                out.append(pickle.loads(recv.recv_bytes()))
            except EOFError:
                out.append(("error", "the child died without an answer"))
                break
    finally:
        recv.close()
        if out and out[-1][0] == "timeout":
            proc.kill()         # a hung child is not waited for
        proc.join(2)
        if proc.is_alive():
            proc.kill()
            proc.join()
    return out


def run_isolated_each(fns: Sequence[Callable[[], Any]],
                      timeout: float) -> list[tuple[str, Any]]:
    """(status, value) of each of ``fns``, status ok/error/timeout, run in order in a
    forked child; ``timeout`` bounds each one.  A check that hangs or kills its child
    is answered so, and the ones after it go on in a fresh child."""
    out: list[tuple[str, Any]] = []
    while len(out) < len(fns):
        out.extend(_run_some(fns[len(out):], timeout))
    return out


def run_isolated(fn: Callable[[], Any], timeout: float) -> tuple[str, Any]:
    """(status, value): status ok/error/timeout; the child is killed on timeout."""
    return run_isolated_each([fn], timeout)[0]
