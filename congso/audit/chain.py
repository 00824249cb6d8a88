"""The tamper-evident audit log: append with :func:`audit_record`, check with :func:`chain_verify`.

Canonical serialisation of a row (what its SHA-256 covers)::

    {"action":…,"actor":<id or null>,"at":"<UTC ISO 8601, microseconds>","data":{…},"prev":"<hex>",
     "seq":<n>,"target_id":"…","target_type":"…"}

as JSON with sorted keys, no spaces and UTF-8 text. The first row's ``prev`` is 64 zeros (GENESIS).
"""

import dataclasses
import datetime
import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from congso.audit.models import AuditChainHead, AuditEvent

GENESIS = "0" * 64


def _json_safe(data) -> dict:
    """What the JSON column will give back: dates as strings, tuples as lists, keys as strings."""
    if data is None:
        return {}
    return _without_nul(json.loads(json.dumps(data, cls=DjangoJSONEncoder)))


def _without_nul(value):
    # PostgreSQL's jsonb refuses the NUL character: drop it rather than lose the event.
    if isinstance(value, str):
        return value.replace("\0", "")
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    return value


def canonical(*, seq, at, actor_id, action, target_type, target_id, data, prev_hash) -> bytes:
    at_utc = at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    body = {
        "seq": seq,
        "at": at_utc,
        "actor": actor_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "data": data,
        "prev": prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def event_hash(event: AuditEvent) -> str:
    payload = canonical(
        seq=event.seq,
        at=event.at,
        actor_id=event.actor_id,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        data=event.data,
        prev_hash=event.prev_hash,
    )
    return hashlib.sha256(payload).hexdigest()


def _target(target) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower[:64], str(target.pk)[:64]
    if isinstance(target, tuple):
        kind, ident = target
        return str(kind)[:64], str(ident)[:64]
    return "", str(target)[:64]


def audit_record(*, actor=None, action: str, target=None, data: dict | None = None) -> AuditEvent:
    """Append one event to the audit log and return it.

    ``actor``: a user (or None for the system, or an anonymous visitor); ``action``: a dotted name such as
    "dossier.viewed" or "auth.login"; ``target``: a model instance, a ``(type, id)`` pair or None; ``data``:
    a small JSON-able dict — never put unmasked personal data in it (the log cannot be edited afterwards).
    Runs in its own atomic block; when called inside a transaction that rolls back, the event is gone too
    (which keeps the chain whole: nothing was done)."""
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    target_type, target_id = _target(target)
    data = _json_safe(data)
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            AuditChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})
            head = AuditChainHead.objects.select_for_update().get(pk=1)
        # Microseconds survive every database's datetime column, so the stored value hashes the same.
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            action=action[:64],
            target_type=target_type,
            target_id=target_id,
            data=data,
            prev_hash=head.hash,
        )
        event.hash = event_hash(event)
        event.save()
        AuditChainHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


@dataclasses.dataclass(frozen=True)
class BrokenLink:
    event_id: int | None
    seq: int | None
    field: str  # "hash", "prev_hash", "seq" or "head"
    expected: str
    found: str


@dataclasses.dataclass(frozen=True)
class Verification:
    checked: int
    broken: BrokenLink | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def chain_verify(*, batch: int = 2000) -> Verification:
    """Walk the whole chain in order; stop at the first broken link. Memory stays flat (keyset pages)."""
    prev_hash, prev_seq, checked, last_seq = GENESIS, 0, 0, 0
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
        if not rows:
            break
        for event in rows:
            checked += 1
            if event.seq != prev_seq + 1:
                return Verification(
                    checked, BrokenLink(event.pk, event.seq, "seq", str(prev_seq + 1), str(event.seq))
                )
            if event.prev_hash != prev_hash:
                return Verification(
                    checked, BrokenLink(event.pk, event.seq, "prev_hash", prev_hash, event.prev_hash)
                )
            computed = event_hash(event)
            if computed != event.hash:
                return Verification(checked, BrokenLink(event.pk, event.seq, "hash", computed, event.hash))
            prev_hash, prev_seq = event.hash, event.seq
        last_seq = rows[-1].seq
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (prev_seq, prev_hash):
        # Rows were removed from the end (or the head was edited).
        return Verification(
            checked, BrokenLink(None, head.seq, "head", f"{head.seq}:{head.hash}", f"{prev_seq}:{prev_hash}")
        )
    return Verification(checked, None)
