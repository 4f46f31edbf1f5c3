"""`make bench-http`: the busy pages over HTTP, served by gunicorn with the production settings,
measured with wrk against a bare Django view in the same run, at 10,000 to 1,000,000 requests.

    python -m benchmarks.http [--sizes 10000,100000,1000000] [--duration 3] [--rounds 2] [--smoke]

For each size, in a child process of its own (one database per size):

1. The database ``<base>_<size>`` (``BENCH_HTTP_DATABASE_URL``, default
   postgres://root@127.0.0.1:5432/greenlight_bench_http; the name must contain "bench_http",
   because the benchmark drops and recreates it) is created, migrated and loaded by
   benchmarks/http/dataset.py, then VACUUM ANALYZEd and checked against the app's invariants.
   A database loaded by the same migrations less than 20 hours ago is reused (``--reload``
   forces a new load): its pending requests stay within their decision window for that long.
2. gunicorn serves benchmarks.http.settings (config.settings.production plus two bare views) on
   a free loopback port: the workers of gunicorn.conf.py, DEBUG off, the environment production requires
   (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL; plain http on loopback: no SSL redirect, no secure
   cookies), Celery tasks published to Redis (``CELERY_BROKER_URL``, default
   redis://127.0.0.1:6379/6; the run purges that queue afterwards, no worker consumes it).
   ``--server-env CONN_MAX_AGE=60`` passes settings to the server.
3. Each signed-in page is fetched with a session made server-side (SessionStore) and passed to
   wrk as a Cookie header; POSTs carry a csrftoken cookie and the X-CSRFToken header. Each page
   is run for ``--duration`` seconds at 8 connections, then the bare view (bare POST view for the
   POSTs), ``--rounds`` times; req/s is the median, its share is against the median of the bare
   runs paired with it. A last pass at 4 connections gives p50 and p99.
4. The approve POSTs (the request page's form, approvals:decide, and the email link,
   approvals:email_decision, not signed in) cycle over every pending seat (an undecided approver
   of an active step) so each POST decides a different one; the rows are put back as they were
   after every POST run. When a run sends more POSTs than there are seats, the rest take the
   refused path (a redirect with a message): the table says how many POSTs decided. Beside them,
   "signed-in write POST (floor)" (benchmarks/http/urls.py) reads the session and the user, commits
   one row and redirects: the least a decision does, measured against the same bare POST and
   printed with its share but no target (a reference, not a page), so that a decision's share can
   be read against the most any decision made through the framework's sign-in could reach here.
5. Each page's SQL is measured in-process with Django's test client (query count and SQL time,
   median of 5), and EXPLAIN (ANALYZE) of its slowest query names its scans: rendered (the page
   cache off, as on a reader's first visit or their first after a change; "render ms" is the
   whole in-process time of that render) and served from the reader's page cache ("kept").
   The HTTP runs repeat one reader's requests, so after each worker's first render they measure
   pages served from the cache (accounts.pagecache), as a reader meets them between changes.

``--smoke`` uses one tiny size and 1-second runs and falls back to a Python HTTP loop when wrk is
missing (tests/config/test_bench_http_smoke.py runs it).
"""

import argparse
import contextlib
import hashlib
import itertools
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/greenlight_bench_http"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/6"
FULL_SIZES = [10_000, 100_000, 1_000_000]
SMOKE_SIZE = 2_000
RELOAD_AFTER_HOURS = 20
GUNICORN_CONF = ROOT / "gunicorn.conf.py"  # the deployment's: workers, class, threads
SQL_REPS = 9
# Requests before the SQL is timed, so that it is timed as a worker's kept connection runs a page
# for the rest of its minute (CONN_MAX_AGE): psycopg prepares a statement once it has run
# prepare_threshold times (5, config.settings.base.with_prepared_statements), and PostgreSQL plans
# a prepared statement's first five runs with their values (a custom plan, planned again on every
# run) before it settles on the generic plan it keeps. Timing after six requests timed custom
# plans: each statement planned again, 0.1-0.6 ms each.
SQL_WARM_UP = 12

# The targets of issue "Enterprise scale": share of the bare view, latency, SQL.
PAGE_SHARE_TARGET = 10.0
POST_SHARE_TARGET = 25.0
P99_TARGET_MS = 50.0
SQL_TARGET_MS = 2.0
SEARCH_SQL_TARGET_MS = 5.0
GROWTH_TARGET = 1.5  # largest size's p50 over the smallest's
FLOOR_NAMES = ("bare view", "bare POST view")  # what every page's share is taken against


@dataclass
class Target:
    """One measured thing: a GET page or an approve POST."""

    name: str
    path: str
    cookie: str = ""
    method: str = "GET"
    pool: str = ""  # POSTs: the file of lines wrk cycles over
    body: str = ""
    search: bool = False
    reference: bool = False  # measured like a page and printed with its share, but no target


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


@dataclass
class Row:
    name: str
    method: str = "GET"
    rps: list[float] = field(default_factory=list)
    floor_rps: list[float] = field(default_factory=list)
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    floor_p50_ms: float = 0.0
    floor_p99_ms: float = 0.0
    queries: int = 0  # rendered: the page cache's key does not hold
    sql_ms: float = 0.0
    render_ms: float = 0.0  # in-process wall time of a render (Python and SQL)
    kept_queries: int = 0  # served from the reader's page cache
    kept_sql_ms: float = 0.0
    main_query_ms: float = 0.0
    scans: str = ""
    errors: int = 0
    decided: str = ""
    search: bool = False
    reference: bool = False

    @property
    def judged(self) -> bool:
        """Whether the issue's targets apply: not to the bare views nor to a reference."""
        return self.name not in FLOOR_NAMES and not self.reference

    @property
    def median_rps(self) -> float:
        return statistics.median(self.rps) if self.rps else 0.0

    @property
    def floor_median_rps(self) -> float:
        return statistics.median(self.floor_rps) if self.floor_rps else 0.0

    @property
    def share(self) -> float:
        return 100 * self.median_rps / self.floor_median_rps if self.floor_median_rps else 0.0


# ---------------------------------------------------------------------------------------------
# The parent: one child process per size, then the tables and the growth.


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.http", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", help="comma-separated request counts (default 10000,100000,1000000)")
    parser.add_argument("--duration", type=float, help="seconds per wrk run (default 3; 1 with --smoke)")
    parser.add_argument("--rounds", type=int, help="8-connection runs per page (default 2; 1 with --smoke)")
    parser.add_argument("--connections", type=int, default=8, help="for req/s (default 8)")
    parser.add_argument("--latency-connections", type=int, default=4, help="for p50/p99 (default 4)")
    parser.add_argument("--smoke", action="store_true", help="one tiny size, 1-second runs, wrk optional")
    parser.add_argument("--reload", action="store_true", help="load the data again even if it is recent")
    parser.add_argument("--pages", help="comma-separated parts of page names to measure (e.g. "
                        "'offer,inbox'); the bare views always run")
    parser.add_argument("--server-env", action="append", default=[], metavar="KEY=VALUE",
                        help="an environment variable for gunicorn, e.g. CONN_MAX_AGE=60 (repeatable)")
    parser.add_argument("--database-url",
                        default=os.environ.get("BENCH_HTTP_DATABASE_URL", DEFAULT_DATABASE_URL),
                        help="base database URL; the size is appended to its name")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.duration = args.duration or (1.0 if args.smoke else 3.0)
    args.rounds = args.rounds or (1 if args.smoke else 2)
    if args.child is not None:
        return child(args)

    sizes = [SMOKE_SIZE] if args.smoke and not args.sizes else (
        [int(s.replace("_", "")) for s in args.sizes.split(",")] if args.sizes else FULL_SIZES
    )
    wrk = shutil.which("wrk")
    if wrk is None and not args.smoke:
        sys.exit("wrk is missing: `make bench-http` installs it (Debian package wrk), or use --smoke")
    print("Greenlight HTTP benchmark")
    print(f"gunicorn {_gunicorn_summary(args.server_env)}, config.settings.production (+ bare views), "
          "loopback; "
          f"{'wrk' if wrk else 'Python HTTP loop (wrk missing)'}: {args.rounds} x {args.duration:g} s at "
          f"{args.connections} connections (req/s), 1 x {args.duration:g} s at {args.latency_connections} "
          f"(p50, p99); {os.cpu_count()} CPUs")
    if args.server_env:
        print(f"server environment: {' '.join(args.server_env)}")
    results = {}
    started = time.perf_counter()
    for size in sizes:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out_path = handle.name
        command = [sys.executable, "-m", "benchmarks.http", "--child", str(size), "--json", out_path,
                   "--duration", str(args.duration), "--rounds", str(args.rounds),
                   "--connections", str(args.connections),
                   "--latency-connections", str(args.latency_connections),
                   "--database-url", args.database_url]
        command += ["--smoke"] * args.smoke + ["--reload"] * args.reload
        if args.pages:
            command += ["--pages", args.pages]
        for item in args.server_env:
            command += ["--server-env", item]
        status = subprocess.call(command, cwd=ROOT)
        if status != 0:
            print(f"size {size:,}: the run failed (exit {status})")
            return status
        with open(out_path) as handle:
            data = json.load(handle)
        os.unlink(out_path)
        results[size] = [Row(**row) for row in data["rows"]]
    if len(results) > 1:
        print()
        print(format_growth(results))
    print(f"\ntotal {time.perf_counter() - started:.0f} s")
    return 0


def format_table(size: int, rows: list[Row]) -> str:
    header = ("page", "req/s", "p50 ms", "p99 ms", "% of bare", "queries", "SQL ms", "main q ms", "render ms",
              "kept q", "kept SQL", "targets")
    lines = []
    for row in rows:
        floor = row.name in FLOOR_NAMES
        lines.append((
            row.name, f"{row.median_rps:,.0f}", f"{row.p50_ms:.1f}", f"{row.p99_ms:.1f}",
            "100%" if floor else f"{row.share:.1f}%",
            "-" if floor else str(row.queries), "-" if floor else f"{row.sql_ms:.2f}",
            "-" if floor or row.method == "POST" else f"{row.main_query_ms:.2f}",
            "-" if floor else f"{row.render_ms:.1f}",
            "-" if floor or row.method == "POST" else str(row.kept_queries),
            "-" if floor or row.method == "POST" else f"{row.kept_sql_ms:.2f}",
            "reference: no target" if row.reference else "" if floor else
            "; ".join(f"{label} {'met' if ok else 'NOT met'}" for label, ok in targets(row)),
        ))
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header) - 1)]

    def fmt(line):
        cells = [line[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(line[1:-1], widths[1:], strict=True)]
        return "  ".join([*cells, line[-1]])

    rule = "-" * (sum(widths) + 2 * len(widths) + 40)
    table = [f"{size:,} approval requests", fmt(header), rule, *(fmt(line) for line in lines), rule]
    for row in rows:
        if row.decided:
            table.append(f"{row.name}: {row.decided}")
    for row in rows:
        if row.scans:
            table.append(f"EXPLAIN {row.name}: {row.scans}")
    table.append("queries, SQL ms, main q ms (its slowest statement), render ms: the page rendered (the "
                 "page cache off); kept q, kept SQL: served from the reader's page cache")
    checks = [ok for row in rows if row.judged for _, ok in targets(row)]
    table.append(f"targets: {sum(checks)} met, {len(checks) - sum(checks)} NOT met "
                 f"(share >= {PAGE_SHARE_TARGET:g}% of the bare view, POSTs >= {POST_SHARE_TARGET:g}% of the "
                 f"bare POST; p99 < {P99_TARGET_MS:g} ms at 4 connections; SQL < {SQL_TARGET_MS:g} ms, "
                 f"search < {SEARCH_SQL_TARGET_MS:g} ms)")
    return "\n".join(table)


def targets(row: Row) -> list[tuple[str, bool]]:
    post = row.method == "POST"
    share_target = POST_SHARE_TARGET if post else PAGE_SHARE_TARGET
    sql_target = SEARCH_SQL_TARGET_MS if row.search else SQL_TARGET_MS
    result = [
        (f"share>={share_target:g}%", row.share >= share_target),
        (f"p99<{P99_TARGET_MS:g}", row.p99_ms < P99_TARGET_MS),
        (f"SQL<{sql_target:g}", row.sql_ms < sql_target),
    ]
    if row.errors:
        result.append((f"{row.errors} errors", False))
    return result


def format_growth(results: dict[int, list[Row]]) -> str:
    sizes = sorted(results)
    labels = [f"{s // 1000:,}k" if s < 1_000_000 else f"{s // 1_000_000}M" for s in sizes]
    header = ["page"] + [f"p50 {label}" for label in labels] + [f"SQL {label}" for label in labels] + [
        "queries", "growth"]
    by_name = {size: {row.name: row for row in rows} for size, rows in results.items()}
    lines = []
    for row in results[sizes[0]]:
        if not row.judged:
            continue
        series = [by_name[size].get(row.name) for size in sizes]
        if any(r is None for r in series):
            continue
        p50 = [r.p50_ms for r in series]
        queries = [r.queries for r in series]
        ratio = p50[-1] / p50[0] if p50[0] else 0.0
        # "No page's time or query count grows with the rows": a count may fall at a larger size
        # (the search reads its rest in two more statements where the matches awaiting the
        # approver do not fill the first page, which happens at the smallest size), never rise.
        flat = ratio <= GROWTH_TARGET and all(
            later <= earlier for earlier, later in itertools.pairwise(queries)
        )
        lines.append([row.name, *(f"{v:.1f}" for v in p50), *(f"{r.sql_ms:.2f}" for r in series),
                      " -> ".join(map(str, queries)),
                      f"{ratio:.1f}x {'met' if flat else 'NOT met'}"])
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))]
    out = [f"How each page grows ({' -> '.join(labels)} requests): p50 ms at 4 connections, SQL ms, "
           f"queries; growth = p50 at the largest over the smallest (target <= {GROWTH_TARGET:g}x, "
           "queries never more at a larger size)"]
    out.append("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                         for i, (c, w) in enumerate(zip(header, widths, strict=True))))
    for line in lines:
        out.append("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                             for i, (c, w) in enumerate(zip(line, widths, strict=True))))
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# The child: one size.


def _database_url(base: str, suffix: str) -> str:
    parts = urlsplit(base)
    name = parts.path.lstrip("/") + f"_{suffix}"
    if "bench_http" not in name:
        sys.exit(f"the HTTP benchmark drops and recreates its databases: the name must contain "
                 f"'bench_http' (got {name!r})")
    return parts._replace(path=f"/{name}").geturl()


def _server_environment(args, database_url: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.http.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("BENCH_HTTP_SECRET_KEY") or secrets.token_urlsafe(50),
        # testserver: the in-process SQL measurement's test client.
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # Plain http on loopback, as docker compose runs it on localhost.
        "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER_URL,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DEBUG", None)
    for item in args.server_env:
        key, _, value = item.partition("=")
        env[key] = value
    return env


def _migrations_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.read_bytes())
    digest.update((HERE / "dataset.py").read_bytes())
    return digest.hexdigest()


def _prepare_database(database_url: str, size: int, *, reload: bool, out=print) -> None:
    """Create, migrate and load the size's database unless a recent load of the same schema
    and data set is there."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    connect = {"user": parts.username or None, "password": parts.password or None,
               "host": parts.hostname or None, "port": parts.port or None}
    expected = _migrations_hash()
    fresh = False
    if not reload:
        with contextlib.suppress(psycopg.OperationalError, psycopg.errors.UndefinedTable):
            conn = psycopg.connect(dbname=name, **connect)
            try:
                with conn.cursor() as cursor:
                    cursor.execute("SELECT size, schema_hash, loaded_at > now() - %s * interval '1 hour' "
                                   "FROM bench_http_meta", [RELOAD_AFTER_HOURS])
                    found = cursor.fetchone()
                    fresh = found is not None and found[0] == size and found[1] == expected and found[2]
            finally:
                conn.close()
    if fresh:
        out(f"  reusing {name} (loaded less than {RELOAD_AFTER_HOURS} hours ago; --reload to load again)")
        return
    conn = psycopg.connect(dbname="postgres", autocommit=True, **connect)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()
    started = time.perf_counter()
    subprocess.check_call(
        [sys.executable, "-c", "import sys; from benchmarks.http.run import _load_child; _load_child()",
         str(size)],
        # The loader sends several commands with their parameters in one string, which only
        # binding on the client allows (its statements run once each: nothing to prepare).
        cwd=ROOT, env={**os.environ, "BENCH_HTTP_LOAD_EXPECTED": expected, "DB_PREPARED_STATEMENTS": "false"},
    )
    out(f"  loaded {name} in {time.perf_counter() - started:.0f} s (migrate, load, VACUUM ANALYZE, checks)")


def _load_child() -> None:
    """Migrate and load (a process of its own: the measuring process starts on a loaded database)."""
    import django
    from django.core.management import call_command
    from django.db import connection

    size = int(sys.argv[1])
    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from benchmarks.http import dataset

    started = time.perf_counter()
    dataset.load(size)
    load_seconds = time.perf_counter() - started
    checked = time.perf_counter()
    lines = dataset.check(size)
    print(f"    invariants hold ({len(lines)} checks, {time.perf_counter() - checked:.0f} s): "
          + "; ".join(lines[-4:]))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_http_meta (size integer, schema_hash text, "
                       "loaded_at timestamptz, load_seconds float)")
        cursor.execute("INSERT INTO bench_http_meta VALUES (%s, %s, now(), %s)",
                       [size, os.environ["BENCH_HTTP_LOAD_EXPECTED"], load_seconds])


def child(args) -> int:
    size = args.child
    database_url = _database_url(args.database_url, "smoke" if args.smoke else str(size))
    env = _server_environment(args, database_url)
    os.environ.update(env)
    print(f"\n== {size:,} approval requests: {urlsplit(database_url).path.lstrip('/')}")
    _prepare_database(database_url, size, reload=args.reload)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    people = _people()
    targets_list, floor_get, floor_post, pool = _targets(people, port=None)
    if args.pages:
        targets_list = _selected(targets_list, args.pages)
        if not targets_list:
            sys.exit(f"--pages {args.pages!r} matches no page")
    compact_as_beat()  # a database reused from an earlier run keeps that run's touches and counts
    snapshot = PoolSnapshot(pool["request_ids"])
    snapshot.take()
    # Sessions and CSRF tokens are ready: measure SQL in-process first (POSTs are reset after).
    sql_rows = {t.name: measure_sql(t, snapshot) for t in targets_list}
    connection.close()

    port = _free_port()
    log_path = ROOT / "var" / f"bench-http-gunicorn-{size}.log"
    log_path.parent.mkdir(exist_ok=True)
    server = _start_gunicorn(env, port, log_path)
    rows = []
    try:
        base = f"http://127.0.0.1:{port}"
        _check_pages(base, targets_list + [floor_get])
        runner = WrkRunner(base) if shutil.which("wrk") else PythonRunner(base)
        rows = measure_http(runner, targets_list, floor_get, floor_post, args, snapshot)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        snapshot.restore()
        snapshot.drop()
        _purge_broker(env["CELERY_BROKER_URL"])
    for row in rows:
        for name, value in sql_rows.get(row.name, {}).items():
            setattr(row, name, value)
    print()
    print(format_table(size, rows))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"size": size, "rows": [asdict(row) for row in rows]}, handle)
    return 0


@dataclass
class BenchPeople:
    lead: object
    manager: object
    freelancer: object
    company_id: int


def _people() -> BenchPeople:
    from accounts.models import User

    lead = User.objects.select_related("membership").get(email="initech-lead-0@bench.test")
    return BenchPeople(
        lead=lead,
        manager=User.objects.get(email="initech-manager-0@bench.test"),
        freelancer=User.objects.filter(email__startswith="freelancer-").order_by("pk").first(),
        company_id=lead.membership.company_id,
    )


def _session_cookie(user, csrf_token: str) -> str:
    """A signed-in session made server-side, as Django's login() would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf_token}"


def _selected(targets: list[Target], pages: str) -> list[Target]:
    """The targets whose names contain one of ``pages``' comma-separated parts (any case); with
    an approve POST, the reference it is read against (signed-in write POST) too."""
    wanted = [part.strip().lower() for part in pages.split(",") if part.strip()]
    chosen = [t for t in targets if any(part in t.name.lower() for part in wanted)]
    if any(t.method == "POST" and not t.reference for t in chosen):
        chosen += [t for t in targets if t.reference and t not in chosen]
    return chosen


def _targets(people: BenchPeople, port):
    """The pages and POSTs, each with its cookie; the POST pools written to files."""
    from django.conf import settings
    from django.urls import reverse

    from accounts.models import User
    from approvals import tokens
    from approvals.models import ApprovalRequest, StepApprover

    csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked CSRF secret
    lead_cookie = _session_cookie(people.lead, csrf)
    manager_cookie = _session_cookie(people.manager, csrf)
    freelancer_cookie = _session_cookie(people.freelancer, csrf)
    dashboard = reverse("approvals:dashboard")
    # A request awaiting the lead, for the request page (left out of the POST pool).
    page_request = (
        ApprovalRequest.objects.filter(
            company_id=people.company_id, state="pending", step_approvers__approver=people.lead,
            step_approvers__decision="pending", step_approvers__step__state="active",
        ).order_by("-created_at").values_list("pk", flat=True).first()
    )
    targets = []
    for who, cookie in (("approver", lead_cookie), ("manager", manager_cookie)):
        for tab in ("pending", "approved", "declined", "expired", "used"):
            targets.append(Target(f"dashboard {who} {tab}", f"{dashboard}?tab={tab}", cookie))
    targets.append(
        Target("dashboard search (title)", f"{dashboard}?q=Data+engineer", lead_cookie, search=True)
    )
    targets.append(Target("request page", reverse("approvals:detail", args=[page_request]), lead_cookie))
    targets.append(Target("offer list (manager)", reverse("offers:offer_list"), manager_cookie))
    targets.append(Target("freelancer invitations", reverse("jobs:invitations"), freelancer_cookie))
    targets.append(Target("freelancer referrals", reverse("referrals:list"), freelancer_cookie))
    targets.append(Target("freelancer offers", reverse("offers:freelancer_offers"), freelancer_cookie))
    targets.append(Target("notifications inbox (approver)", reverse("notifications:list"), lead_cookie))

    # The POST pool: every undecided approver of an active step of a pending request, the
    # busiest company's first, then shuffled so that consecutive POSTs hit different requests.
    seats = list(
        StepApprover.objects.filter(decision="pending", step__state="active", request__state="pending")
        .exclude(request_id=page_request)
        .values_list("request_id", "step_id", "approver_id", "request__expires_at")
        .order_by("request_id", "id")[:50_000]
    )
    random.Random(12).shuffle(seats)
    approvers = User.objects.in_bulk({approver_id for _, _, approver_id, _ in seats})
    cookies = {pk: _session_cookie(user, csrf) for pk, user in approvers.items()}
    pool_dir = Path(tempfile.mkdtemp(prefix="bench-http-"))
    page_pool, email_pool = pool_dir / "decide.tsv", pool_dir / "email.tsv"
    with open(page_pool, "w") as page_file, open(email_pool, "w") as email_file:
        for request_id, step_id, approver_id, expires_at in seats:
            decide = reverse("approvals:decide", args=[request_id])
            page_file.write(f"{decide}\t{cookies[approver_id]}\t{csrf}\n")
            token = tokens.make_decision_token(
                approval_request=ApprovalRequest(pk=request_id, expires_at=expires_at),
                seat=StepApprover(step_id=step_id, approver_id=approver_id), action="approve",
            )
            email_file.write(f"{reverse('approvals:email_decision', args=[token])}\t"
                             f"{settings.CSRF_COOKIE_NAME}={csrf}\t{csrf}\n")
    bare_pool = pool_dir / "bare.tsv"
    bare_pool.write_text(f"{reverse('bench_bare_post')}\t{settings.CSRF_COOKIE_NAME}={csrf}\t{csrf}\n")
    targets.append(Target("approve POST (request page)", "", method="POST", pool=str(page_pool),
                          body="decision=approve&comment="))
    targets.append(
        Target("approve POST (email link)", "", method="POST", pool=str(email_pool), body="comment=")
    )
    write_pool = pool_dir / "signed-in-write.tsv"
    write_pool.write_text(f"{reverse('bench_signed_in_write')}\t{lead_cookie}\t{csrf}\n")
    targets.append(Target("signed-in write POST (floor)", "", method="POST", pool=str(write_pool),
                          reference=True))
    floor_get = Target("bare view", reverse("bench_bare"))
    floor_post = Target("bare POST view", "", method="POST", pool=str(bare_pool), body="")
    return targets, floor_get, floor_post, {"request_ids": sorted({s[0] for s in seats}), "seats": len(seats)}


def compact_as_beat() -> None:
    """One page touch per scope (accounts.pagecache) and one dashboard count row per key
    (approvals.services), as beat leaves them every minute."""
    from accounts.pagecache import compact_page_touches
    from approvals.services import dashboard_counts_compact

    compact_page_touches()
    dashboard_counts_compact()


class PoolSnapshot:
    """The pending requests the POSTs decide, saved and put back after each POST run: their
    rows, steps and approvers as they were, and the audit entries and notifications the
    decisions added removed (everything after the saved high-water marks)."""

    def __init__(self, request_ids):
        self.request_ids = list(request_ids)
        self.marks = {}

    def _cursor(self):
        from django.db import connection

        return connection.cursor()

    def take(self):
        with self._cursor() as cursor:
            self.drop()
            ids = self.request_ids
            cursor.execute("CREATE TABLE bench_http_snap_request AS SELECT id, state, decided_at, "
            "expires_at, "
                           "decided_by_names, decision_comment, updated_at FROM approvals_approvalrequest "
                           "WHERE id = ANY(%s)", [ids])
            cursor.execute("CREATE TABLE bench_http_snap_step AS SELECT id, state, activated_at, "
            "completed_at "
                           "FROM approvals_requeststep WHERE request_id = ANY(%s)", [ids])
            cursor.execute("CREATE TABLE bench_http_snap_seat AS SELECT id, decision, decided_at, comment "
                           "FROM approvals_stepapprover WHERE request_id = ANY(%s)", [ids])
            for table in ("approvals_approvaltransition", "accounts_notification"):
                cursor.execute(f"SELECT COALESCE(max(id), 0) FROM {table}")
                self.marks[table] = cursor.fetchone()[0]

    def decisions(self) -> int:
        """How many decisions were recorded since the snapshot (each is one audit entry)."""
        with self._cursor() as cursor:
            cursor.execute("SELECT count(*) FROM approvals_approvaltransition WHERE id > %s "
                           "AND name IN ('approve', 'decline')", [self.marks["approvals_approvaltransition"]])
            return cursor.fetchone()[0]

    def restore(self):
        if not self.marks:
            return
        with self._cursor() as cursor:
            cursor.execute("UPDATE approvals_approvalrequest r SET state = s.state, decided_at = "
            "s.decided_at, "
                           "expires_at = s.expires_at, decided_by_names = s.decided_by_names, "
                           "decision_comment = s.decision_comment, updated_at = s.updated_at "
                           "FROM bench_http_snap_request s WHERE r.id = s.id AND r.updated_at <> "
                           "s.updated_at")
            cursor.execute("UPDATE approvals_requeststep r SET state = s.state, activated_at = "
            "s.activated_at, "
                           "completed_at = s.completed_at FROM bench_http_snap_step s "
                           "WHERE r.id = s.id AND r.state <> s.state")
            cursor.execute("UPDATE approvals_stepapprover r SET decision = s.decision, decided_at "
            "= s.decided_at, "
                           "comment = s.comment FROM bench_http_snap_seat s "
                           "WHERE r.id = s.id AND r.decision <> s.decision")
            for table, mark in self.marks.items():
                cursor.execute(f"DELETE FROM {table} WHERE id > %s", [mark])
            cursor.execute("ANALYZE approvals_approvalrequest, approvals_requeststep, approvals_stepapprover")
        # What beat does every minute in production: the POSTs and the restore above touched the
        # busiest company's pages hundreds of times, and every key read counts its scope's rows.
        compact_as_beat()

    def drop(self):
        with self._cursor() as cursor:
            for table in ("request", "step", "seat"):
                cursor.execute(f"DROP TABLE IF EXISTS bench_http_snap_{table}")


# ---------------------------------------------------------------------------------------------
# In-process SQL: query count, SQL time, the slowest query's plan.


def measure_sql(target: Target, snapshot: PoolSnapshot) -> dict:
    """The target's query count, its SQL time (each statement timed around the driver call,
    median of SQL_REPS requests after SQL_WARM_UP) and its slowest SELECT's plan, for a page
    rendered (the page cache off: what a reader's first visit, or their first after a change,
    costs) and, for a GET, served from the reader's page cache (what every other visit costs)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    client = Client()
    if target.method == "GET":
        requests = [(target.path, target.cookie)] * (SQL_WARM_UP + SQL_REPS)
    else:
        count = SQL_WARM_UP + SQL_REPS
        # The pool's last lines (each a different seat), or a shorter pool's over again.
        last = Path(target.pool).read_text().splitlines()[-count:]
        lines = list(itertools.islice(itertools.cycle(last), count))
        requests = [tuple(line.split("\t")[:2]) for line in lines]
    statements = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - start, sql, params))

    def run(requests):
        counts, times, walls = [], [], []
        for i, (path, cookie) in enumerate(requests):
            client.cookies.clear()
            for part in cookie.split("; "):
                if part:
                    key, _, value = part.partition("=")
                    client.cookies[key] = value
            statements.clear()
            started = time.perf_counter()
            with connection.execute_wrapper(timed):
                if target.method == "GET":
                    response = client.get(path)
                else:
                    response = client.post(path, dict(p.split("=", 1) for p in target.body.split("&") if p))
            wall = (time.perf_counter() - started) * 1000
            if response.status_code not in (200, 302):
                raise RuntimeError(f"{target.name}: {target.method} {path} answered {response.status_code}")
            if i < SQL_WARM_UP:
                continue  # warm-up (and, with the page cache on, the render that fills it)
            counts.append(len(statements))
            times.append(sum(seconds for seconds, _, _ in statements) * 1000)
            walls.append(wall)
        return max(counts), statistics.median(times), statistics.median(walls)

    result = {}
    if target.method == "GET":
        result["kept_queries"], result["kept_sql_ms"], _ = run(requests)
    with override_settings(PAGE_CACHE_SECONDS=0):
        result["queries"], result["sql_ms"], result["render_ms"] = run(requests)
    if target.method == "GET":
        result["main_query_ms"], result["scans"] = _explain_slowest(list(statements))
    else:
        snapshot.restore()
    return result


def _explain_slowest(statements) -> tuple[float, str]:
    from django.db import connection

    selects = [s for s in statements if s[1].lstrip().upper().startswith("SELECT")
               and "django_session" not in s[1]]
    if not selects:
        return 0.0, ""
    _, sql, params = max(selects, key=lambda s: s[0])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    nodes = []

    def walk(node):
        kind = node.get("Node Type", "")
        if "Scan" in kind and "Relation Name" in node:
            index = f" using {node['Index Name']}" if node.get("Index Name") else ""
            nodes.append(f"{kind} on {node['Relation Name']}{index} ({node.get('Actual Rows', 0):,} rows)")
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    execution = plan[0].get("Execution Time", 0.0)
    seen = list(dict.fromkeys(nodes))
    return execution, f"slowest query {execution:.2f} ms: " + "; ".join(seen[:6])


# ---------------------------------------------------------------------------------------------
# Over HTTP.


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _gunicorn_summary(server_env: list[str]) -> str:
    """What gunicorn.conf.py gives under the server's environment (GUNICORN_* from --server-env)."""
    import runpy

    saved = dict(os.environ)
    os.environ.update(dict(item.partition("=")[::2] for item in server_env))
    try:
        conf = runpy.run_path(str(GUNICORN_CONF))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    threads = f" x {conf['threads']} threads" if conf["worker_class"] == "gthread" else ""
    return f"{conf['workers']} {conf['worker_class']} workers{threads} (gunicorn.conf.py)"


def _start_gunicorn(env: dict, port: int, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")  # noqa: SIM115 - the server writes to it until terminated
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--config", str(GUNICORN_CONF), "--log-level", "warning",
         "--backlog", "2048"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited: see {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not answer within 60 s")


def _check_pages(base: str, targets: list[Target]) -> None:
    """Every GET answers 200 with its page (a lost session would redirect to sign-in)."""
    for target in targets:
        if target.method != "GET":
            continue
        request = urllib.request.Request(base + target.path, headers={"Cookie": target.cookie})
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
            if response.status != 200 or response.url.rstrip("/").endswith("login") or not body:
                raise RuntimeError(
                    f"{target.name}: GET {target.path} answered {response.status} {response.url}"
                )


class WrkRunner:
    def __init__(self, base: str):
        self.base = base

    def run(self, target: Target, *, connections: int, duration: float) -> Run:
        command = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "10s"]
        if target.method == "GET":
            command += ["-s", str(HERE / "wrk_get.lua"), self.base + target.path]
            if target.cookie:
                command += ["-H", f"Cookie: {target.cookie}"]
        else:
            script = str(HERE / "wrk_post.lua")
            command += ["-s", script, self.base + "/", "--", target.pool, "1", target.body]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        line = next((line for line in output.splitlines() if line.startswith("BENCH_RESULT")), None)
        if line is None:
            raise RuntimeError(f"wrk printed no result for {target.name}:\n{output}")
        values = dict(part.split("=") for part in line.split()[1:])
        seconds = int(values["duration_us"]) / 1e6
        return Run(rps=int(values["requests"]) / seconds, p50_ms=int(values["p50_us"]) / 1000,
                   p99_ms=int(values["p99_us"]) / 1000, requests=int(values["requests"]),
                   errors=int(values["errors"]) + int(values["status_errors"]))


class PythonRunner:
    """The smoke run's stand-in for wrk: one thread per connection, a new connection per request
    (gunicorn's sync workers close each one anyway)."""

    def __init__(self, base: str):
        self.base = base
        self.host, self.port = urlsplit(base).hostname, urlsplit(base).port

    def run(self, target: Target, *, connections: int, duration: float) -> Run:
        import http.client

        if target.method == "GET":
            lines = [(target.path, target.cookie, "")]
        else:
            lines = [tuple(line.split("\t")) for line in Path(target.pool).read_text().splitlines()]
        latencies, errors = [], [0]
        lock = threading.Lock()
        counter = iter(range(10**9))
        deadline = time.perf_counter() + duration

        def worker():
            while time.perf_counter() < deadline:
                with lock:
                    path, cookie, token = lines[next(counter) % len(lines)]
                headers = {"Cookie": cookie} if cookie else {}
                body = None
                if target.method == "POST":
                    headers["X-CSRFToken"] = token
                    headers["Content-Type"] = "application/x-www-form-urlencoded"
                    body = target.body
                start = time.perf_counter()
                conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                try:
                    conn.request(target.method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    ok = response.status < 400
                except OSError:
                    ok = False
                finally:
                    conn.close()
                with lock:
                    latencies.append(time.perf_counter() - start)
                    errors[0] += not ok

        started = time.perf_counter()
        threads = [threading.Thread(target=worker) for _ in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        ordered = sorted(latencies) or [0.0]

        def percentile(p):
            return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

        return Run(rps=len(latencies) / seconds, p50_ms=percentile(50), p99_ms=percentile(99),
                   requests=len(latencies), errors=errors[0])


def measure_http(runner, targets, floor_get, floor_post, args, snapshot: PoolSnapshot) -> list[Row]:
    """Each page then its bare view, ``rounds`` times at 8 connections; then once each at 4."""
    rows = {t.name: Row(t.name, method=t.method, search=t.search, reference=t.reference) for t in targets}
    floors = {floor_get.name: Row(floor_get.name), floor_post.name: Row(floor_post.name, method="POST")}
    decided = {t.name: [] for t in targets if t.method == "POST" and not t.reference}
    floor_latency = {floor_get.name: [], floor_post.name: []}

    def run(target, connections):
        result = runner.run(target, connections=connections, duration=args.duration)
        if target.method == "POST" and target.name in decided:
            decided[target.name].append((snapshot.decisions(), result.requests))
            snapshot.restore()
        return result

    # Warm-up: every worker loads its templates and URL resolvers once.
    for target in [floor_get, *targets[:3]]:
        runner.run(target, connections=2, duration=1)
    started = time.perf_counter()
    for round_number in range(args.rounds):
        for target in targets:
            floor = floor_post if target.method == "POST" else floor_get
            page = run(target, args.connections)
            bare = run(floor, args.connections)
            row = rows[target.name]
            row.rps.append(page.rps)
            row.floor_rps.append(bare.rps)
            row.errors += page.errors
            floors[floor.name].rps.append(bare.rps)
            if args.smoke:  # no separate latency pass: the percentiles of this run
                row.p50_ms, row.p99_ms = page.p50_ms, page.p99_ms
                floor_latency[floor.name].append(bare)
        print(f"  round {round_number + 1} of {args.rounds} at {args.connections} connections: "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    for target in [] if args.smoke else targets:
        floor = floor_post if target.method == "POST" else floor_get
        page = run(target, args.latency_connections)
        bare = run(floor, args.latency_connections)
        row = rows[target.name]
        row.p50_ms, row.p99_ms = page.p50_ms, page.p99_ms
        row.floor_p50_ms, row.floor_p99_ms = bare.p50_ms, bare.p99_ms
        row.errors += page.errors
        floor_latency[floor.name].append(bare)
    if not args.smoke:
        elapsed = time.perf_counter() - started
        print(f"  latency pass at {args.latency_connections} connections: {elapsed:.0f} s")
    for name, runs in decided.items():
        # decisions / POSTs per run (the last run is the 4-connection one)
        # wrk counts the responses it read; requests still in flight when a run ends decide too.
        rows[name].decided = "decisions recorded / responses counted, per run: " + ", ".join(
            f"{d:,} / {n:,}" for d, n in runs
        ) + (" (fewer decisions than responses: some POSTs took the refused path, a redirect with "
             "a message, on a seat already decided)") * any(d < 0.9 * n for d, n in runs)
    for name, floor in floors.items():
        floor.floor_rps = floor.rps
        if floor_latency[name]:
            floor.p50_ms = statistics.median(run.p50_ms for run in floor_latency[name])
            floor.p99_ms = statistics.median(run.p99_ms for run in floor_latency[name])
    posts = [rows[t.name] for t in targets if t.method == "POST"]
    return [floors[floor_get.name], *(rows[t.name] for t in targets if t.method == "GET"),
            *([floors[floor_post.name], *posts] if posts else [])]


def _purge_broker(url: str) -> None:
    """Drop the delivery tasks the POSTs published: no worker consumes this broker here."""
    with contextlib.suppress(Exception):
        from config.celery import app

        app.conf.broker_url = url
        app.control.purge()


if __name__ == "__main__":
    sys.exit(main())
