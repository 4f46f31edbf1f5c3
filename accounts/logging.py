"""Structured log lines: one ``event=... key=value ...`` line per state change or delivery.

``log_event("approval.transition", object="approval_request:42", actor=7, outcome="ok")`` logs
``event=approval.transition object=approval_request:42 actor=7 outcome=ok`` on the logger
``greenlight.approval``, so operators can grep one event or filter one area.
"""

import json
import logging


def _value(value) -> str:
    text = "" if value is None else str(value)
    # Quote only what would break the key=value reading (spaces, quotes, '=' or nothing at all).
    if not text or any(char in text for char in ' "=\n'):
        return json.dumps(text, ensure_ascii=False)
    return text


def log_event(event: str, *, level: int = logging.INFO, **fields) -> None:
    """Log one line: ``event=<event>`` then each field as ``key=value``, in the order given."""
    area = event.split(".", 1)[0]
    parts = [f"event={event}", *(f"{key}={_value(value)}" for key, value in fields.items())]
    logging.getLogger(f"greenlight.{area}").log(level, " ".join(parts))


def actor_label(user) -> str:
    """How a log line names who acted: the user's id, or ``system`` for beat and admin sweeps."""
    return "system" if user is None else str(user.pk)
