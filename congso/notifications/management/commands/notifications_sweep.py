from django.core.management.base import BaseCommand

from congso.notifications.services import messages_retry_due


class Command(BaseCommand):
    help = (
        "Queue again the notifications that are due: failed messages whose retry time has come (1, 5, 30 "
        "minutes, 2, 6, 12 hours after each failure), and messages whose task was lost or whose worker "
        "stopped midway. The task worker (manage.py db_worker) then sends them. The Tasks API does not retry "
        "by itself, so run this once a minute from cron (* * * * * cd /srv/congso && .venv/bin/python "
        "manage.py notifications_sweep) or a systemd timer (OnCalendar=minutely). Safe to run on several "
        "machines at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000, help="at most this many messages per run")

    def handle(self, *args, limit: int, **options):
        queued = messages_retry_due(limit=limit)
        if options["verbosity"] >= 1:
            self.stdout.write(f"notifications queued again: {queued}")
