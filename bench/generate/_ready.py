"""Whether another team's app is ready for a data family: installed, models importable, tables there."""

import importlib


def models_ready(app_label: str, module: str, names: list[str]):
    """The model classes, or a string saying why the family is skipped."""
    from django.apps import apps
    from django.db import connection

    if not apps.is_installed(f"congso.{app_label}"):
        return "app not installed"
    try:
        models = importlib.import_module(module)
        classes = [getattr(models, name) for name in names]
    except (ImportError, AttributeError) as exc:
        return f"models not ready ({exc})"
    tables = set(connection.introspection.table_names())
    missing = [c._meta.db_table for c in classes if c._meta.db_table not in tables]
    if missing:
        return f"tables missing ({', '.join(missing)}): migrations not applied"
    return classes
