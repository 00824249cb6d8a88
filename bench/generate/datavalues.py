"""Indicator data values (congso.indicators): one value per data element, commune and month over three
years, for the IOC dashboard benchmark. Skipped with a message until the indicators app's models and data
elements are there (``manage.py demo_load`` loads its elements)."""

import datetime
import time

from ._ready import models_ready


def _months(now, count: int):
    year, month = now.year, now.month
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        start = datetime.date(year, month, 1)
        end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        yield f"{year}{month:02d}", start, end


def generate(*, count: int, rng, now, log) -> dict:
    """``count``: the most values to write (0: one per element, commune and month)."""
    ready = models_ready("indicators", "congso.indicators.models", ["DataElement", "DataValue"])
    if isinstance(ready, str):
        log(f"  data values: skipped: app not ready ({ready})")
        return {"skipped": ready}
    DataElement, DataValue = ready
    from django.db import transaction

    from congso.geo.models import AdministrativeUnit

    from .copy import CopyWriter

    elements = list(DataElement.objects.filter(option_set__isnull=True).values_list("pk", flat=True))
    if not elements:
        try:  # the app's own demo loader (idempotent) brings its data elements
            from congso.indicators.demo import load_demo

            log(f"  data values: indicators demo: {load_demo()}")
        except Exception as exc:  # the app is being built
            log(f"  data values: indicators demo not loaded ({type(exc).__name__}: {str(exc)[:120]})")
        elements = list(DataElement.objects.filter(option_set__isnull=True).values_list("pk", flat=True))
    if not elements:
        log("  data values: skipped: app not ready (no data elements; run manage.py demo_load)")
        return {"skipped": "no data elements"}
    communes = list(
        AdministrativeUnit.objects.filter(level="commune", parent__code="96").values_list("pk", flat=True)
    )
    started = time.perf_counter()
    writer = CopyWriter(DataValue, batch=50_000)
    existing = DataValue.objects.count()
    try:
        with transaction.atomic():
            for period, start, end in _months(now, 36):
                for element in elements:
                    for unit in communes:
                        if count and writer.written + len(writer.rows) >= count:
                            break
                        writer.add(
                            {"element_id": element, "unit_id": unit, "period": period, "period_start": start,
                             "period_end": end, "option": "", "value": float(rng.randint(0, 500)),
                             "source": "bench", "created_at": now, "updated_at": now}
                        )  # fmt: skip
            writer.flush()
        writer.reset_sequence()
    except Exception as exc:  # e.g. values already there (unique constraint), or the model changed
        log(f"  data values: skipped: app not ready or data present ({type(exc).__name__}: {str(exc)[:200]})")
        return {"skipped": str(exc)[:200], "existing": existing}
    took = time.perf_counter() - started
    log(f"  data values: {writer.written:,} in {took:.1f} s")
    return {"datavalues": writer.written, "total_s": took}
