from django.core.management.base import BaseCommand

from congso.geo import services


class Command(BaseCommand):
    help = "Load the 34 provinces and 3,321 communes, and Cà Mau's boundaries and former units (idempotent)."

    def handle(self, *args, **options):
        national = services.units_load_national()
        camau = services.communes_load_camau()
        self.stdout.write(
            f"units: {national['created']} created, {national['updated']} updated; "
            f"Cà Mau: {camau['communes']} communes, {camau['former_units']} former units and "
            f"{camau['links']} succession links created"
        )
