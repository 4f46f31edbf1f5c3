"""Offer email subjects are plain text: a title with "&" or quotes reads as typed."""

import pytest

from tests.factories import sent_offer

pytestmark = pytest.mark.django_db


def test_offer_sent_subject_is_not_html_escaped(
    manager, approval, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent_offer(sent_by=manager, approval_request=approval, title="R&D \"lead\"")
    message = mailoutbox[-1]
    assert message.subject.endswith('sent you an offer: R&D "lead"')
    assert "R&amp;D" in message.alternatives[0][0]
