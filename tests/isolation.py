"""Run a check in a forked child, killed after a timeout and a memory cap.

A SIGALRM cannot interrupt a long call into python-flint or z3, so the tests
that attack the engine (the battery, the witness mutants) contain a hang this
way and report it as a failure of the test, never as a verdict.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import traceback

__all__ = ["run_isolated"]

MEMORY_LIMIT = 4 * 2**30


def _child(fn, conn):
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    except (ValueError, OSError):
        pass
    try:
        out = fn()
        try:
            payload = pickle.dumps(("ok", out))
        except Exception as exc:  # noqa: BLE001
            payload = pickle.dumps(("error", f"result not picklable: {exc!r}"))
    except BaseException:  # noqa: BLE001
        payload = pickle.dumps(("error", traceback.format_exc()))
    conn.send_bytes(payload)
    conn.close()
    os._exit(0)


def run_isolated(fn, timeout: float):
    """(status, value): status ok/error/timeout; the child is killed on timeout."""
    mp = multiprocessing.get_context("fork")
    recv, send = mp.Pipe(duplex=False)
    proc = mp.Process(target=_child, args=(fn, send), daemon=True)
    proc.start()
    send.close()
    try:
        if recv.poll(timeout):
            try:
                status, value = pickle.loads(recv.recv_bytes())
            except EOFError:
                status, value = "error", "the child died without an answer"
        else:
            status, value = "timeout", f"no answer within {timeout:.0f} s"
    finally:
        recv.close()
        proc.join(2)
        if proc.is_alive():
            proc.kill()
            proc.join()
    return status, value
