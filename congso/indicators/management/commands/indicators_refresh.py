import datetime

from django.core.management.base import BaseCommand

from congso.indicators import periods
from congso.indicators.computed import computed_run
from congso.indicators.rollup import rollup_refresh


class Command(BaseCommand):
    help = "Run the computed sources for the given months (e.g. 2026M03) and rebuild the whole roll-up."

    def add_arguments(self, parser):
        parser.add_argument("months", nargs="*")

    def handle(self, *args, months, **options):
        for key in months:
            self.stdout.write(
                f"{key}: {computed_run(period=periods.parse(key), refresh=False)} computed values"
            )
        started = datetime.datetime.now(datetime.UTC)
        rows = rollup_refresh()
        seconds = (datetime.datetime.now(datetime.UTC) - started).total_seconds()
        self.stdout.write(f"{rows:,} roll-up rows in {seconds:.1f} s")
