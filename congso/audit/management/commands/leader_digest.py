from django.core.management.base import BaseCommand

from congso.audit.services import leader_digests_send


class Command(BaseCommand):
    help = (
        "Queue the daily digest e-mail for every unit leader: dossiers received today, overdue, due within "
        "one working day, and this month's on-time rates per unit and per officer. At most one e-mail per "
        "leader per day, however often it runs. Run it once each morning from cron (30 7 * * 1-5 cd "
        "/srv/congso && .venv/bin/python manage.py leader_digest); the task worker sends the e-mails."
    )

    def handle(self, *args, **options):
        handled = leader_digests_send()
        if options["verbosity"] >= 1:
            self.stdout.write(f"leader digests queued: {handled}")
