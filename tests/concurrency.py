"""Running service calls truly at once, for the race tests on the real PostgreSQL."""

import threading

from django.db import connection


def run_together(*calls, timeout: float = 30) -> list[tuple[str, object]]:
    """Start every call at the same moment, each in a thread with its own database connection.

    Returns, in call order, ("ok", result) or ("error", exception): the outcome is what a
    race test checks. Tests using it need ``django_db(transaction=True)``.
    """
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, object]] = [("error", TimeoutError("did not finish"))] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def outcomes(results) -> list[str]:
    """"ok" for each call that succeeded, the error's message for each that was refused."""
    return ["ok" if kind == "ok" else str(value) for kind, value in results]
