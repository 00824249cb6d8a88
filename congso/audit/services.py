import datetime
import ipaddress
import logging

from django.db import transaction
from django.utils import timezone

from congso.accounts.constants import StaffRole
from congso.accounts.models import User
from congso.audit.chain import audit_record
from congso.audit.models import PersonalDataAccess
from congso.audit.selectors import DigestFigures, leader_digest_figures
from congso.core.masking import mask_applicant
from congso.core.ratelimit import client_ip
from congso.dossiers.models import Dossier
from congso.notifications.services import notification_send

logger = logging.getLogger(__name__)


def personal_data_viewed(*, user: User, dossier: Dossier, what: str, request=None) -> PersonalDataAccess:
    """Record that ``user`` saw the personal data of ``dossier`` in the view ``what`` (e.g. "dossier_detail").

    The access row plus one event of the chained audit log (a locked read of the chain head, an INSERT and an
    UPDATE) when ``dossier.office`` is already loaded (``office_dossier`` loads it). The applicant is stored
    masked; the IP address is the request's REMOTE_ADDR, kept only when it is valid."""
    ip = None
    if request is not None:
        try:
            ip = str(ipaddress.ip_address(client_ip(request)))
        except ValueError:
            ip = None
    with transaction.atomic(savepoint=False):
        access = PersonalDataAccess.objects.create(
            viewer=user,
            dossier=dossier,
            unit_id=dossier.office.unit_id,
            applicant=mask_applicant(name=dossier.applicant_name, id_number=dossier.applicant_id_number)[
                :200
            ],
            what=what[:50],
            ip_address=ip,
        )
        # The access log is pruned after its retention period; the chained audit log keeps the fact.
        audit_record(
            actor=user,
            action="personal_data.viewed",
            target=dossier,
            data={"what": access.what, "unit": access.unit_id, "access": access.pk, "ip": ip or ""},
        )
    return access


def unit_leaders():
    """Active accounts holding the unit-leader role somewhere."""
    return (
        User.objects.filter(is_active=True, role_bindings__role=StaffRole.UNIT_LEADER)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def leader_digest_dedup_key(*, leader: User, day: datetime.date) -> str:
    return f"audit:leader_digest:{leader.pk}:{day.isoformat()}"


@transaction.atomic
def leader_digest_send(*, leader: User, now: datetime.datetime | None = None):
    """Queue today's digest for one unit leader: at most one e-mail per leader per local day, however often
    it runs (the outbox's deduplication key). Returns the message."""
    now = now or timezone.now()
    figures: DigestFigures = leader_digest_figures(user=leader, now=now)
    return notification_send(
        channel="email",
        recipient=leader.email,
        template="leader_digest",
        context={"leader": leader, "figures": figures},
        dedup_key=leader_digest_dedup_key(leader=leader, day=figures.day),
        subject_type="user",
        subject_id=leader.pk,
    )


def leader_digests_send(*, now: datetime.datetime | None = None) -> int:
    """Queue the daily digest for every unit leader; returns how many leaders were handled. A failure for
    one leader (e.g. a malformed address) is logged and does not stop the others."""
    now = now or timezone.now()
    count = 0
    for leader in unit_leaders().iterator():
        try:
            leader_digest_send(leader=leader, now=now)
        except Exception:
            logger.exception("leader digest for user %s failed", leader.pk)
            continue
        count += 1
    return count
