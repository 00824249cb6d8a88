from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congso.core.exceptions import ApplicationError
from congso.indicators.metadata import METADATA_COLUMNS, metadata_import, metadata_rows_from_file


class Command(BaseCommand):
    help = (
        "Import a province's domains, reporting forms and data elements from CSV (columns: "
        + ", ".join(METADATA_COLUMNS)
        + ") or Excel (the same columns, or one sheet per kind: domains, forms, elements). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            counts = metadata_import(rows=metadata_rows_from_file(file.name, file.read_bytes()))
        except ApplicationError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"{counts['domain']} domains, {counts['form']} forms, {counts['element']} elements")
