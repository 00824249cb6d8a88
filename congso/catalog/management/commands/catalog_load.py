import time
from pathlib import Path

from django.core.management.base import BaseCommand

from congso.catalog.importers import SHARED_FILES, procedures_load_shared


class Command(BaseCommand):
    help = (
        "Load the national procedure extracts in data/procedures/ (2,849 procedures with their deadlines, "
        "fees and texts). Idempotent: a second run changes nothing. Hand-structured versions are left alone."
    )

    def add_arguments(self, parser):
        for key, path in SHARED_FILES.items():
            parser.add_argument(
                f"--{key.replace('_', '-')}", type=Path, default=path, help=f"default: {path.name}"
            )

    def handle(self, *args, **options):
        started = time.monotonic()
        report = procedures_load_shared(paths={key: options[key] for key in SHARED_FILES})
        seconds = time.monotonic() - started
        self.stdout.write(
            f"procedures: {report['procedures']} in the files ({report['dvcqg_rows']} + {report['bqp_rows']} "
            f"rows, {report['cap_xa_rows']} commune rows merged, {report['crawl_errors']} crawl errors kept "
            "with their list columns only); "
            f"{report['created']} created, {report['updated']} updated"
        )
        self.stdout.write(
            f"versions: {report['versions_created']} created, {report['versions_updated']} updated, "
            f"{report['structured_skipped']} structured by hand and left alone; "
            f"{report['versions_refilled']} (re)filled with {report['times']} deadlines, "
            f"{report['fees']} fees and {report['components']} components"
        )
        self.stdout.write(
            f"parsed in full: deadlines {report['times_parsed']}/{report['times_total']} rows, "
            f"fees {report['fees_parsed']}/{report['fees_total']} rows"
        )
        self.stdout.write(self.style.SUCCESS(f"done in {seconds:.1f} s"))
