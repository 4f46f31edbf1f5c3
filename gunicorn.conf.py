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
