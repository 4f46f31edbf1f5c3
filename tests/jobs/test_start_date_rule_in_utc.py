"""The earliest start date is UTC's today whatever zone the request runs in, so a form checked in
the reader's zone and a task checking later without one give the same answer."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jobs.terms import earliest_start_date


# At any moment at least one of these two zones is on another calendar day than UTC.
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_earliest_start_date_is_todays_date_in_utc_in_any_active_zone(zone):
    with timezone.override(ZoneInfo(zone)):
        assert earliest_start_date() == datetime.datetime.now(datetime.UTC).date()
