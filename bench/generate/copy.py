"""Fast inserts: PostgreSQL ``COPY … FROM STDIN`` (psycopg's ``cursor.copy``); on SQLite, bulk_create."""

import datetime
import json

from django.db import connection
from django.db.models import NOT_PROVIDED


class CopyWriter:
    """Collects rows (dicts keyed by column name) for one model's table and writes them in batches.

    Columns missing from a row take the field's default (or NULL). ``id`` may be given explicitly; call
    ``reset_sequence()`` afterwards on PostgreSQL so that later inserts do not collide.
    """

    def __init__(self, model, *, batch: int = 20_000):
        self.model = model
        self.batch = batch
        self.rows: list[dict] = []
        self.written = 0
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for field in self.fields:
            if field.default is not NOT_PROVIDED:
                value = field.default() if callable(field.default) else field.default
                self.defaults[field.column] = value
            elif not field.null and field.get_internal_type() in {"CharField", "TextField", "EmailField"}:
                self.defaults[field.column] = ""
            else:
                self.defaults[field.column] = None
        self.postgres = connection.vendor == "postgresql"

    def add(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if self.postgres:
            self._copy()
        else:
            objects = []
            for row in self.rows:
                values = {f.attname: row.get(f.column, self.defaults[f.column]) for f in self.fields}
                if values.get("id") is None:
                    values.pop("id", None)
                objects.append(self.model(**values))
            self.model.objects.bulk_create(objects, batch_size=2000)
        self.written += len(self.rows)
        self.rows = []

    def _copy(self) -> None:
        columns = [c for c in self.columns if c != "id" or "id" in self.rows[0]]
        table = self.model._meta.db_table
        sql = f'COPY "{table}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in columns)}) FROM STDIN'
        defaults = [self.defaults[c] for c in columns]
        # Only JSON and interval columns need converting; psycopg's C dumpers take the rest as they are.
        kinds = {f.column: f.get_internal_type() for f in self.fields}
        convert = [i for i, c in enumerate(columns) if kinds[c] in {"JSONField", "DurationField"}]
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in self.rows:
                values = [row.get(c, d) for c, d in zip(columns, defaults, strict=True)]
                for i in convert:
                    values[i] = _pg(values[i])
                copy.write_row(values)

    def reset_sequence(self) -> None:
        if not self.postgres:
            return
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            sequence = connection.ops.quote_name(table)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST(MAX(id), 1)) FROM " + sequence,  # noqa: S608 - a table name
                [sequence],
            )


def _pg(value):
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime.timedelta):
        return f"{value.total_seconds()} seconds"
    return value


def next_id(model) -> int:
    """The first free primary key of ``model``'s table (for rows written with explicit ids)."""
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
