"""The production settings as they are, plus the benchmark's URLconf (the bare views).

Everything else comes from the environment the benchmark sets (run.py: SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL, and plain http on loopback), so what is measured is what a
production deployment runs.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "benchmarks.http.urls"
