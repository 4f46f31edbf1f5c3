"""Each person's time zone: stored as an IANA name on the user, used to show and email times.

Times are stored in UTC. Pages show them in the reader's zone because LocalTimeMiddleware
activates it for the request; emails are written before they are sent, so their times are
formatted here, in the recipient's zone, with the zone named.
"""

import datetime
import functools
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError

DEFAULT_TIME_ZONE = "UTC"


@functools.cache
def time_zone_names() -> frozenset[str]:
    # "localtime" and "Factory" are in the database but name no place a person lives in.
    return frozenset(available_timezones() - {"localtime", "Factory"})


def validate_time_zone(name: str) -> None:
    if name not in time_zone_names():
        raise ValidationError("“%(name)s” is not a time zone we know. Choose one from the list.",
                              params={"name": name}, code="invalid_time_zone")


def zone_of(user) -> ZoneInfo:
    """The user's zone; UTC for nobody (an email address without an account) or a stale name."""
    name = getattr(user, "time_zone", None) or DEFAULT_TIME_ZONE
    return ZoneInfo(name if name in time_zone_names() else DEFAULT_TIME_ZONE)


def format_for(user, when: datetime.datetime) -> str:
    """"Dec 6, 2026 14:00 CET": the moment in the user's zone, as pages show it, zone named."""
    local = when.astimezone(zone_of(user))
    return f"{local:%b} {local.day}, {local:%Y %H:%M} {local.tzname()}"
