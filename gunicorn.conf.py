"""gunicorn's settings, read from this file in the working directory: the web container (Dockerfile,
docker compose) and `make bench-http` serve with them. Each can be overridden from the environment.

One sync worker per CPU: a page's time is mostly Python (templates, the ORM), which threads of one
process cannot run in parallel; on 2 CPUs, 2 gthread workers of 2 or 4 threads and 4 sync workers
served the busy pages no faster than 2 sync workers (README, Benchmarks). Each worker keeps its
database connection (CONN_MAX_AGE in the production settings).
"""

import os

workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 2))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))  # gthread only
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Garbage collection. A worker holds some 100,000 long-lived objects (Django's modules, settings,
# URL patterns, compiled templates); every full collection walked them all, 30 to 70 ms during
# which the worker answered nothing: a request caught behind one is a p99 outlier. Frozen objects
# are left out of every collection (gc.freeze): once when the worker has loaded the app, and once
# more after its first requests have filled the lazy caches (templates, URL resolvers, plans of
# the ORM's descriptors). Freezing is safe: what is frozen is never collected, and these objects
# live as long as the worker anyway. GC_FREEZE_AFTER=0 turns both off.
GC_FREEZE_AFTER = int(os.environ.get("GC_FREEZE_AFTER", "200"))


def post_worker_init(worker):
    if GC_FREEZE_AFTER:
        _freeze()


def post_request(worker, req, environ, resp):
    if GC_FREEZE_AFTER and worker.nr == GC_FREEZE_AFTER:
        _freeze()


def _freeze():
    import gc

    gc.collect()
    gc.freeze()
