"""Factories for test data, one module per app; import them from here."""

from .accounts import *  # noqa: F403
from .approvals import *  # noqa: F403
from .jobs import *  # noqa: F403
from .offers import *  # noqa: F403
from .referrals import *  # noqa: F403
