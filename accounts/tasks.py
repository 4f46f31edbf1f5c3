"""Retry policy shared by every email task: provider errors are retried with backoff."""

from anymail.exceptions import AnymailError

EMAIL_TASK_OPTIONS = {
    "autoretry_for": (AnymailError, ConnectionError, TimeoutError, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 60 * 30,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
}
