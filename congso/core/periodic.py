"""Helpers for the clock-driven work that ``manage.py periodic`` runs every minute."""

from django.db import IntegrityError, transaction

from congso.core.models import PeriodicMarker


def once(name: str, stamp: str) -> bool:
    """True the first time it is called with this ``stamp`` for ``name`` (e.g. the day "2026-11-27" for daily
    work), False after, whatever the process. Two processes racing: exactly one gets True."""
    with transaction.atomic():
        updated = PeriodicMarker.objects.filter(name=name).exclude(value=stamp).update(value=stamp)
        if updated:
            return True
        if PeriodicMarker.objects.filter(name=name).exists():
            return False
        try:
            with transaction.atomic():
                PeriodicMarker.objects.create(name=name, value=stamp)
        except IntegrityError:
            return False
        return True


def marker(name: str) -> str | None:
    """The value last recorded for ``name`` (None: never), for work that marks itself only once it is done."""
    return PeriodicMarker.objects.filter(name=name).values_list("value", flat=True).first()


def mark(name: str, value: str) -> None:
    PeriodicMarker.objects.update_or_create(name=name, defaults={"value": value})
