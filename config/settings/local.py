"""Local development: the embedded default. Debug pages only with DEBUG=true set by hand, so
`make run` shows the app's own 404 and 500 pages; static files come from whitenoise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
# Serve static/ as edited, without a new collectstatic, even with DEBUG off.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
