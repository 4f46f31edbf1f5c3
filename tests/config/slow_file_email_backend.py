"""A stand-in email provider for the worker fault tests: Django's file backend, a little slow
(SLOW_EMAIL_SECONDS a message), so that a worker can be killed in the middle of a batch."""

import os
import time

from django.core.mail.backends import filebased


class EmailBackend(filebased.EmailBackend):
    def write_message(self, message):
        time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "0.02")))
        super().write_message(message)
