import pytest

from accounts.mail import send_once
from accounts.models import SentEmail

pytestmark = pytest.mark.django_db


def test_send_once_sends_text_and_html_once_per_key(mailoutbox):
    args = {"key": "welcome:1", "template": "emails/test-welcome", "to": ["ada@example.test"],
            "context": {"name": "Ada"}}
    assert send_once(**args) is True
    assert send_once(**args) is False
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["ada@example.test"]
    assert message.subject == "Welcome, Ada"
    assert "Hello Ada" in message.body
    assert "<strong>Ada</strong>" in message.alternatives[0][0]
    record = SentEmail.objects.get(key="welcome:1")
    assert record.sent_at is not None and record.subject == "Welcome, Ada"
