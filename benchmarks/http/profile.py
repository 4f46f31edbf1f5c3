"""Per-request Python time of the busy pages, in-process: the production settings (DEBUG off,
cached template loader, every middleware) on a database `make bench-http` loaded, each page
called through the WSGI handler as gunicorn calls it, with no network and no wrk.

    python -m benchmarks.http.profile --size 100000 --pages offer,inbox      # ms per request
    python -m benchmarks.http.profile --size 100000 --pages inbox --profile  # and cProfile's top
    python -m benchmarks.http.profile --size 100000 --pages "approve post" --profile  # the POSTs

It prints each page's median milliseconds over --requests calls (after a warm-up), of which SQL
(the time in the database driver) and the rest, Python; the bare view's beside them; and with
--profile the functions that cost the most (cumulative and own time), which is where to look
when a page is slow in Python rather than in SQL. The approve POSTs (named in --pages) each
decide a different pending seat, as in the HTTP runs, against the bare POST view; the decided rows
are put back afterwards.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time

from .run import DEFAULT_DATABASE_URL, ROOT, _database_url, _people, _server_environment


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.http.profile", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--size", default="100000", help="the loaded size (default 100000)")
    parser.add_argument("--pages", help="comma-separated parts of page names (default: all GET pages)")
    parser.add_argument("--requests", type=int, default=300, help="calls per page (default 300)")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions per page")
    parser.add_argument("--dump", help="with --profile: also write the last page's profile to this file")
    parser.add_argument("--top", type=int, default=25, help="functions shown with --profile")
    parser.add_argument("--statements", action="store_true",
                        help="also print each page's statements, in order, with their median ms")
    parser.add_argument("--database-url",
                        default=os.environ.get("BENCH_HTTP_DATABASE_URL", DEFAULT_DATABASE_URL))
    args = parser.parse_args(argv)
    args.server_env = []
    os.environ.update(_server_environment(args, _database_url(args.database_url, args.size)))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.client import RequestFactory

    from .run import PoolSnapshot, _selected, _targets

    app = WSGIHandler()
    targets, floor_get, floor_post, pool = _targets(_people(), port=None)
    targets = _selected(targets, args.pages) if args.pages else [t for t in targets if t.method == "GET"]
    posts = [t for t in targets if t.method == "POST" and not t.reference]
    references = [t for t in targets if t.reference]  # one line each, used over and over
    floors = [floor_get] if any(t.method == "GET" for t in targets) else []
    floors += [floor_post] if posts or references else []
    factory = RequestFactory()
    # A POST target's pool: (path, cookie, csrf token) per seat, each used once. The two approve
    # POSTs list the same seats: one takes them from the end, the other from the start.
    lines = {}
    for index, target in enumerate([*posts, *references, *floors[-1:]] if posts or references else []):
        with open(target.pool) as pool_file:
            seats = [line.split("\t") for line in pool_file.read().splitlines()]
        lines[target.name] = seats[::-1] if index % 2 else seats

    def call(target):
        if target.method == "POST":
            seats = lines[target.name]
            path, cookie, token = seats.pop() if len(seats) > 1 else seats[0]
            body = target.body.encode()
            environ = factory._base_environ(
                PATH_INFO=path, REQUEST_METHOD="POST", HTTP_COOKIE=cookie, HTTP_X_CSRFTOKEN=token,
                CONTENT_TYPE="application/x-www-form-urlencoded", CONTENT_LENGTH=str(len(body)),
                **{"wsgi.input": io.BytesIO(body)},
            )
        else:
            path, _, query = target.path.partition("?")
            environ = factory._base_environ(PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD="GET",
                                            HTTP_COOKIE=target.cookie or "")
        chunks = []
        response = app(environ, lambda status, headers, exc_info=None: chunks.append(status))
        body = b"".join(response)
        response.close()
        if not chunks[0].startswith("302" if target.method == "POST" and target not in floors else "200"):
            raise SystemExit(f"{target.name}: {chunks[0]}")
        return body

    snapshot = PoolSnapshot(pool["request_ids"]) if posts else None
    if snapshot:
        needed = len(posts) * (20 + args.requests * (2 if args.profile else 1))
        if pool["seats"] < needed:
            raise SystemExit(f"{pool['seats']} pending seats, {needed} POSTs asked: use fewer --requests")
        snapshot.take()
    try:
        return _measure(args, [*floors, *targets], floors, call, connection)
    finally:
        if snapshot:
            snapshot.restore()
            snapshot.drop()


def _measure(args, targets, floors, call, connection) -> int:
    sql_seconds = [0.0]

    statements = []  # this request's (sql, seconds), with --statements

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - started
            sql_seconds[0] += seconds
            statements.append((sql, seconds))

    print(f"{'page':<32}{'median ms':>10}{'SQL ms':>8}{'Python ms':>10}{'KB':>6}")
    for target in targets:
        for _ in range(20):
            body = call(target)
        times, sql_times, by_request = [], [], []
        with connection.execute_wrapper(timed):
            for _ in range(args.requests):
                sql_seconds[0] = 0.0
                statements.clear()
                started = time.perf_counter()
                call(target)
                times.append((time.perf_counter() - started) * 1000)
                sql_times.append(sql_seconds[0] * 1000)
                by_request.append(list(statements))
        python = [total - sql for total, sql in zip(times, sql_times, strict=True)]
        print(f"{target.name:<32}{statistics.median(times):>10.2f}{statistics.median(sql_times):>8.2f}"
              f"{statistics.median(python):>10.2f}{len(body) / 1024:>6.1f}")
        if args.statements:
            # The statements of the requests that ran the most common sequence, position by position.
            shapes = statistics.mode(len(run) for run in by_request)
            runs = [run for run in by_request if len(run) == shapes]
            for position, (sql, _) in enumerate(runs[0]):
                median = statistics.median(run[position][1] for run in runs) * 1000
                print(f"    {median:6.2f} ms  {' '.join(sql.split())[:140]}")
        if args.profile and target not in floors:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.requests):
                call(target)
            profiler.disable()
            if args.dump:
                profiler.dump_stats(args.dump)
            for order in ("cumulative", "tottime"):
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(args.top)
                print(out.getvalue().split("\n", 6)[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
