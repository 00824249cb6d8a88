from django.core.management.base import BaseCommand

from congso.sync.services import sync_retry_due


class Command(BaseCommand):
    help = (
        "Queue again the national-portal (DVCQG) pushes that are due: failed pushes whose retry time "
        "has come (1, 5, 30 minutes, 2, 6, 12, 24 hours after each failure), and pushes whose task was "
        "lost or whose worker stopped midway. The task worker (manage.py db_worker) then sends them. "
        "Run it once a minute from cron or a systemd timer. Safe to run on several machines at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000, help="at most this many rows per run")

    def handle(self, *args, limit: int, **options):
        queued = sync_retry_due(limit=limit)
        if options["verbosity"] >= 1:
            self.stdout.write(f"national sync queued again: {queued}")
