"""Households (congso.outreach): ``count`` households spread over Cà Mau's hamlets, for the outreach sync
benchmark (a team member's phone pulls its hamlet's households). COPY on PostgreSQL (bulk_create on
SQLite). Skipped with a message until the outreach
app's models are there."""

import time
import uuid

from ._ready import models_ready


def generate(*, count: int, rng, now, log) -> dict:
    ready = models_ready("outreach", "congso.outreach.models", ["Household"])
    if isinstance(ready, str):
        log(f"  households: skipped: app not ready ({ready})")
        return {"skipped": ready}
    (Household,) = ready
    from django.db import transaction

    from congso.geo.models import AdministrativeUnit

    from .copy import CopyWriter
    from .dossiers import NAMES_FAMILY, NAMES_GIVEN, NAMES_MIDDLE

    hamlets = list(AdministrativeUnit.objects.filter(level="hamlet").values_list("pk", flat=True))
    if not hamlets:
        log("  households: skipped: no hamlets")
        return {"skipped": "no hamlets"}
    started = time.perf_counter()
    writer = CopyWriter(Household, batch=50_000)
    fields = list(Household._meta.concrete_fields)
    done = 0
    try:
        with transaction.atomic():
            for _ in range(count):
                members = rng.randint(1, 7)
                household = Household(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    hamlet_id=rng.choice(hamlets),
                    house_number=f"{rng.randint(1, 400)}",
                    head_name=" ".join(rng.choice(p) for p in (NAMES_FAMILY, NAMES_MIDDLE, NAMES_GIVEN)),
                    phone=f"09{rng.randrange(10**8):08d}" if rng.random() < 0.8 else "",
                    members=members,
                    adults=max(1, members - rng.randint(0, 3)),
                    created_at=now,
                    updated_at=now,
                )
                household.set_keys()  # the folded search keys, as save() would
                writer.add({f.column: getattr(household, f.attname) for f in fields})
            writer.flush()
        done = writer.written
    except Exception as exc:  # another team's model changing under us: report, do not stop the run
        log(f"  households: skipped: app not ready ({type(exc).__name__}: {exc})")
        return {"skipped": str(exc), "households": done}
    took = time.perf_counter() - started
    log(f"  households: {done:,} in {took:.1f} s")
    return {"households": done, "total_s": took}
