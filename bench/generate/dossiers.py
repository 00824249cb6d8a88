"""Dossiers: ``count`` over three years across Cà Mau's 64 communes and the province's centre.

The mix: procedures weighted toward the curated, structured ones (civil status, certification: most of a
commune's traffic), then a long tail of the catalogue's commune- and province-level procedures; channels
(online, at the counter, by post); statuses (mostly returned; a few refused, withdrawn or stopped; the
recent ones open, some of them overdue); about one in eight finished late; and the events of each life
(submitted or received, accepted, processing ended, returned). Each (office, day) numbering continues in
``DossierSequence``, so a live submission today gets the next free code.
"""

import datetime
import time
from collections import defaultdict

NAMES_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô"]
NAMES_MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hoàng", "Quốc", "Thu"]
NAMES_GIVEN = ["Hoa", "Nam", "Mai", "Tuấn", "Tư", "Lan", "Hùng", "Dũng", "Hạnh", "Phúc", "Sơn", "Yến"]
LOOKUP_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SPAN_DAYS = 3 * 365
LOCAL = datetime.timedelta(hours=7)  # Asia/Ho_Chi_Minh, for the day in the code


def status_and_times(rng, now, span_days=SPAN_DAYS):
    """(status, submitted_at, received_at, due_at, processing_ended_at, returned_at): a realistic mix."""
    from congso.dossiers.constants import DossierStatus as S

    r = rng.random()
    day = datetime.timedelta(days=1)
    if r < 0.90:  # finished: mostly returned, a few refused, withdrawn or stopped
        submitted = now - datetime.timedelta(seconds=rng.uniform(3 * 86400, span_days * 86400))
        status = S.RETURNED if r < 0.87 else rng.choice([S.REFUSED, S.WITHDRAWN, S.STOPPED])
        if status == S.REFUSED:
            return status, submitted, None, None, None, None
        received = submitted + datetime.timedelta(minutes=rng.uniform(5, 600))
        due = received + rng.randint(2, 15) * day
        ended = received + (due - received) * rng.uniform(0.3, 1.1)  # > 1: late (about one in eight)
        returned = ended + datetime.timedelta(hours=rng.uniform(1, 48)) if status == S.RETURNED else None
        return status, submitted, received, due, ended if status == S.RETURNED else None, returned
    if r < 0.92:  # result ready, waiting to be collected
        submitted = now - rng.uniform(2, 30) * day
        received = submitted + datetime.timedelta(minutes=30)
        ended = now - rng.uniform(0, 2) * day
        return S.RESULT_READY, submitted, received, received + rng.randint(3, 15) * day, ended, None
    if r < 0.93:  # submitted online, waiting for acceptance
        return S.SUBMITTED, now - rng.uniform(0, 3) * day, None, None, None, None
    status = rng.choices(
        [S.RECEIVED, S.PROCESSING, S.FEES_DUE, S.SUPPLEMENT_REQUESTED], weights=[15, 40, 5, 10]
    )[0]
    submitted = now - rng.uniform(0, 40) * day
    received = submitted + datetime.timedelta(minutes=rng.uniform(5, 600))
    kind = rng.random()
    if kind < 0.25:  # overdue
        due = now - rng.uniform(0.1, 20) * day
    elif kind < 0.35:  # due within a working day
        due = now + rng.uniform(0.05, 0.9) * day
    else:
        due = now + rng.uniform(1.5, 15) * day
    return status, submitted, received, due, None, None


MORNING = (7 * 60, 11 * 60 + 30)
AFTERNOON = (13 * 60 + 30, 17 * 60)


def to_office_hours(moment, rng):
    """The latest moment at or before ``moment`` inside a counter's opening hours (07:00–11:30 and
    13:30–17:00 local time, Monday to Friday, and Saturday mornings as many communes do), at a random minute
    of such a half-day."""
    local = moment + LOCAL
    day = local.date()
    for _ in range(8):
        if day.weekday() <= 5:
            start, end = MORNING if day.weekday() == 5 else rng.choice([MORNING, AFTERNOON])
            minute = rng.uniform(start, end)
            candidate = datetime.datetime.combine(day, datetime.time(), local.tzinfo)
            candidate += datetime.timedelta(minutes=minute)
            if candidate <= local:
                return candidate - LOCAL
        day -= datetime.timedelta(days=1)
    return moment


def procedure_mix(rng):
    """[(version_id, procedure_id)] and their weights: curated first, then the catalogue's long tail."""
    from congso.catalog.models import ProcedureVersion

    versions = list(
        ProcedureVersion.objects.filter(number=1, procedure__is_active=True)
        .filter(procedure__at_commune=True)
        .values_list("pk", "procedure_id", "is_structured")
    )
    versions += list(
        ProcedureVersion.objects.filter(number=1, procedure__is_active=True, procedure__at_commune=False)
        .filter(procedure__at_province=True)
        .values_list("pk", "procedure_id", "is_structured")[:300]
    )
    if not versions:
        everything = ProcedureVersion.objects.filter(number=1)
        versions = list(everything.values_list("pk", "procedure_id", "is_structured"))
    rng.shuffle(versions)
    pairs, weights = [], []
    for rank, (pk, procedure_id, structured) in enumerate(versions, start=1):
        pairs.append((pk, procedure_id))
        # Zipf-like tail; the structured (curated) procedures are the commune counters' daily bread.
        weights.append(3.0 if structured else 1.0 / rank**0.8)
    return pairs, weights


def generate(*, count: int, rng, now, log, events: bool = True) -> dict:
    from django.db import connection, transaction

    from congso.catalog.constants import Channel
    from congso.dossiers.constants import DossierStatus as S
    from congso.dossiers.constants import EventKind
    from congso.dossiers.models import Dossier, DossierEvent, DossierSequence, ReceivingOffice

    from .copy import CopyWriter, next_id

    offices = list(ReceivingOffice.objects.order_by("code").values_list("pk", "code", "unit_id"))
    if not offices:
        raise SystemExit("no receiving offices: reference data missing")
    # Busier communes and the province centre: a few offices take much more than others.
    office_weights = [rng.uniform(0.5, 2.0) for _ in offices]
    pairs, weights = procedure_mix(rng)
    channels = [Channel.ONLINE.value, Channel.IN_PERSON.value, Channel.POST.value]
    channel_weights = [45, 50, 5]
    numbers = defaultdict(int)
    for office_code, day, last in DossierSequence.objects.values_list("office_code", "day", "last_number"):
        numbers[office_code, day] = last
    dossiers = CopyWriter(Dossier)
    event_rows = CopyWriter(DossierEvent, batch=50_000)
    first_id = next_id(Dossier)
    started = time.perf_counter()
    batch = 200_000
    done = 0
    late = 0
    while done < count:
        size = min(batch, count - done)
        with transaction.atomic():
            picked_offices = rng.choices(offices, weights=office_weights, k=size)
            picked_versions = rng.choices(pairs, weights=weights, k=size)
            picked_channels = rng.choices(channels, weights=channel_weights, k=size)
            for i in range(size):
                office_pk, office_code, unit_id = picked_offices[i]
                version_id, procedure_id = picked_versions[i]
                status, submitted, received, due, ended, returned = status_and_times(rng, now)
                channel = picked_channels[i]
                if channel != Channel.ONLINE and status == S.SUBMITTED:
                    channel = Channel.ONLINE.value  # only online dossiers wait for acceptance
                if channel != Channel.ONLINE:  # the counter's opening hours, earlier the same or a past day
                    shift = to_office_hours(submitted, rng) - submitted
                    submitted, received, due, ended, returned = (
                        t + shift if t else t for t in (submitted, received, due, ended, returned)
                    )
                day = (submitted + LOCAL).date()
                numbers[office_code, day] += 1
                pk = first_id + done + i
                if ended and due and ended > due:
                    late += 1
                dossiers.add(
                    {
                        "id": pk,
                        "created_at": submitted,
                        "updated_at": returned or ended or received or submitted,
                        "code": f"{office_code}-{day:%y%m%d}-{numbers[office_code, day]:04d}",
                        "lookup_key": "".join(rng.choices(LOOKUP_ALPHABET, k=6)),
                        "version_id": version_id,
                        "procedure_id": procedure_id,
                        "office_id": office_pk,
                        "channel": channel,
                        "status": status,
                        "applicant_kind": "person",
                        "applicant_name": f"{rng.choice(NAMES_FAMILY)} {rng.choice(NAMES_MIDDLE)} "
                        f"{rng.choice(NAMES_GIVEN)}",
                        "applicant_id_number": f"0961{rng.randrange(10**8):08d}",
                        "applicant_phone": f"09{rng.randrange(10**8):08d}",
                        "form_data": {},
                        "submitted_at": submitted,
                        "received_at": received,
                        "due_at": due,
                        "processing_ended_at": ended,
                        "returned_at": returned,
                        "paused_working_time": datetime.timedelta(0),
                        "supplement_requests": 1 if status == S.SUPPLEMENT_REQUESTED else 0,
                    }
                )
                if not events:
                    continue
                first = EventKind.SUBMITTED if channel == Channel.ONLINE else EventKind.RECEIVED
                event_rows.add(
                    {"dossier_id": pk, "kind": first, "at": submitted, "unit_id": unit_id,
                     "status_to": S.SUBMITTED if channel == Channel.ONLINE else S.RECEIVED, "data": {}}
                )  # fmt: skip
                if status == S.REFUSED:
                    event_rows.add(
                        {"dossier_id": pk, "kind": EventKind.REFUSED_AT_INTAKE, "at": submitted,
                         "unit_id": unit_id, "status_from": S.SUBMITTED, "status_to": S.REFUSED, "data": {}}
                    )  # fmt: skip
                    continue
                if received and channel == Channel.ONLINE:
                    event_rows.add(
                        {"dossier_id": pk, "kind": EventKind.ACCEPTED, "at": received, "unit_id": unit_id,
                         "status_from": S.SUBMITTED, "status_to": S.RECEIVED, "step_due_at": due, "data": {}}
                    )  # fmt: skip
                if ended:
                    event_rows.add(
                        {"dossier_id": pk, "kind": EventKind.APPROVED, "at": ended, "unit_id": unit_id,
                         "status_from": S.PROCESSING, "status_to": S.RESULT_READY, "data": {}}
                    )  # fmt: skip
                if returned:
                    event_rows.add(
                        {"dossier_id": pk, "kind": EventKind.RETURNED, "at": returned, "unit_id": unit_id,
                         "status_from": S.RESULT_READY, "status_to": S.RETURNED, "data": {}}
                    )  # fmt: skip
            dossiers.flush()
            event_rows.flush()
        done += size
        elapsed = time.perf_counter() - started
        log(f"  … {done:,} dossiers, {event_rows.written:,} events ({elapsed:.0f} s)")
    dossiers.reset_sequence()
    event_rows.reset_sequence()
    # Continue each office's daily numbering where the generated codes stopped.
    sequences = CopyWriter(DossierSequence)
    existing = set(DossierSequence.objects.values_list("office_code", "day"))
    with transaction.atomic():
        for (office_code, day), last in numbers.items():
            if (office_code, day) in existing:
                DossierSequence.objects.filter(office_code=office_code, day=day).update(last_number=last)
            else:
                sequences.add({"office_code": office_code, "day": day, "last_number": last})
        sequences.flush()
    sequences.reset_sequence()
    inserted = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "dossiers": count,
        "events": event_rows.written,
        "late": late,
        "offices": len(offices),
        "procedures": len(pairs),
        "insert_s": inserted,
        "total_s": time.perf_counter() - started,
    }
