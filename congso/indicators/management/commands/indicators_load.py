from django.core.management.base import BaseCommand

from congso.indicators.metadata import starter_load


class Command(BaseCommand):
    help = (
        "Load or update the starter indicators, forms, elements, targets and alert rules (data/starter.json)."
    )

    def handle(self, *args, **options):
        counts = starter_load()
        self.stdout.write(
            f"{counts['forms']} forms, {counts['elements']} elements, {counts['indicators']} indicators"
        )
