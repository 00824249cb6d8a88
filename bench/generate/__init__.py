"""Province-size data for benchmarks: ``.venv/bin/python -m bench.generate --dossiers 1000000``.

One module per data family (``dossiers``, ``households``, ``datavalues``); each exposes
``generate(*, count, rng, now, log) -> dict`` and writes with PostgreSQL's COPY (``copy.CopyWriter``) or,
on SQLite, ``bulk_create``. ``reference.setup`` loads what they hang on (units, procedures, offices,
accounts).
"""
