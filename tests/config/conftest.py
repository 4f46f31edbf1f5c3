import pytest

from config.celery import app
from tests.config.processes import RedisServer


@pytest.fixture
def own_broker(settings, monkeypatch):
    """A redis-server of this test's own, started; the app publishes to it for real (not
    eagerly). The test may stop() and start() it; it is stopped at the end."""
    server = RedisServer().start()
    # Read first: Celery loads its configuration from the settings on first use.
    saved = {name: app.conf[name] for name in ("broker_url", "task_always_eager")}
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = server.url
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)  # Celery prefers the variable to its setting
    saved_pool, saved_producers = app._pool, app.amqp._producer_pool
    app.conf.update(broker_url=server.url, task_always_eager=False)
    app._pool, app.amqp._producer_pool = None, None  # connect anew, to this server
    yield server
    app.conf.update(saved)
    app._pool, app.amqp._producer_pool = saved_pool, saved_producers
    server.stop()
