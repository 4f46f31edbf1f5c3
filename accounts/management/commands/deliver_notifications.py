from django.core.management.base import BaseCommand

from accounts import delivery


class Command(BaseCommand):
    help = (
        "One relay pass: email every notification that is due (pending, a retry whose backoff "
        "is over, or a claim left by a worker that died), and print what happened."
    )

    def handle(self, *args, **options):
        report = delivery.relay()
        self.stdout.write(f"Sent {report.sent}, retry later {report.retried}, failed {report.failed}.")
