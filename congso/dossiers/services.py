"""Every write to a dossier goes through here."""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.catalog.constants import Channel
from congso.catalog.models import DossierComponent, ProcedureVersion
from congso.core import calendar
from congso.core.exceptions import ApplicationError
from congso.core.storage import stored_files
from congso.dossiers.constants import LOOKUP_ALPHABET, LOOKUP_KEY_LENGTH, DossierStatus, EventKind
from congso.dossiers.models import Dossier, DossierDocument, DossierEvent, DossierSequence, ReceivingOffice
from congso.sync.services import sync_dossier

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    kind: str = "person"


@dataclass(frozen=True)
class PreparedDocument:
    """A checked upload, ready to store (see ``congso.core.uploads.clean_upload``)."""

    label: str
    content: ContentFile
    content_type: str
    size: int
    sha256: str
    field_name: str = ""
    component: DossierComponent | None = None
    page_count: int | None = None
    extra: dict = field(default_factory=dict)


def office_next_number(*, office: ReceivingOffice, day) -> int:
    """The next number of ``office`` on ``day``, under a row lock; call it inside the transaction that uses
    the number."""
    try:
        with transaction.atomic():
            sequence, _created = DossierSequence.objects.select_for_update().get_or_create(
                office_code=office.code, day=day
            )
    except IntegrityError:  # another transaction created the row first: wait for its lock
        sequence = DossierSequence.objects.select_for_update().get(office_code=office.code, day=day)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def form_next_number(*, office: ReceivingOffice, form: str, year: int) -> str:
    """The number printed on a notice (Mẫu 02–05) of ``office``: "<n>/<year>", counted per form and year.
    Shares the locked sequence table with dossier codes, under the key "<office code>/<form>" on 1 January."""
    number = office_next_number(office=ReceivingOffice(code=f"{office.code}/{form}"), day=date(year, 1, 1))
    return f"{number}/{year}"


def dossier_code(*, office: ReceivingOffice, day, number: int) -> str:
    """``<office code>-<YYMMDD>-<NNNN>``, e.g. ``000.00.12.H12-250801-0001``."""
    return f"{office.code}-{day:%y%m%d}-{number:04d}"


def new_lookup_key() -> str:
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(LOOKUP_KEY_LENGTH))


def due_for(*, version: ProcedureVersion, channel: int, start: datetime) -> datetime | None:
    """The legal deadline from ``start`` for this channel, or None when the procedure does not state it fully
    (we never invent a unit)."""
    times = {t.channel: t for t in version.processing_times.all()}
    time = times.get(channel) or times.get(Channel.IN_PERSON)
    if time is None or time.value is None or not time.unit:
        return None
    return calendar.due_at(start=start, value=time.value, unit=time.unit)


@transaction.atomic
def dossier_submit(
    *,
    version: ProcedureVersion,
    office: ReceivingOffice,
    channel: int,
    applicant: Applicant,
    form_data: dict,
    documents: list[PreparedDocument] = (),
    submitted_by=None,
    applicant_user=None,
    idempotency_key: str = "",
    at: datetime | None = None,
) -> Dossier:
    """Create a dossier with its code, deadline, documents and first event, all or nothing.

    Online (channel 2) it waits for acceptance (status 1); at the counter or by post it is received at once
    (status 2). The deadline counts from the next working moment after receipt (after closing time: the next
    working morning). Retrying with the same ``idempotency_key`` returns the dossier already created.
    """
    if channel not in Channel.values:
        raise ApplicationError(_("Unknown submission channel."), code="channel")
    if not version.procedure.is_active:
        raise ApplicationError(_("This procedure is no longer in use."), code="procedure_inactive")
    if idempotency_key and submitted_by is not None:
        existing = Dossier.objects.filter(submitted_by=submitted_by, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    now = at or timezone.now()
    day = timezone.localdate(now)
    online = channel == Channel.ONLINE
    number = office_next_number(office=office, day=day)
    dossier = Dossier.objects.create(
        code=dossier_code(office=office, day=day, number=number),
        lookup_key=new_lookup_key(),
        version=version,
        procedure=version.procedure,
        office=office,
        channel=channel,
        status=DossierStatus.SUBMITTED if online else DossierStatus.RECEIVED,
        applicant_kind=applicant.kind,
        applicant_name=applicant.name.strip(),
        applicant_id_number=applicant.id_number,
        applicant_phone=applicant.phone,
        applicant_email=applicant.email,
        applicant_address=applicant.address,
        applicant_user=applicant_user,
        submitted_by=submitted_by,
        form_data=form_data,
        idempotency_key=idempotency_key,
        submitted_at=now,
        received_at=None if online else now,
        due_at=due_for(version=version, channel=channel, start=now),
    )
    with stored_files() as saved:
        for document in documents:
            stored = DossierDocument(
                dossier=dossier,
                component=document.component,
                field_name=document.field_name,
                label=document.label,
                content_type=document.content_type,
                size=document.size,
                sha256=document.sha256,
                page_count=document.page_count,
            )
            saved.save(stored.file, document.content.name, document.content)
            stored.save()
    DossierEvent.objects.create(
        dossier=dossier,
        kind=EventKind.SUBMITTED if online else EventKind.RECEIVED,
        at=now,
        actor=submitted_by,
        unit=office.unit,
        status_to=dossier.status,
        step_due_at=dossier.due_at,
    )
    notify_applicant(dossier=dossier, template="dossier_submitted" if online else "dossier_received")
    sync_dossier(dossier)  # to the national portal, when configured
    return dossier


def notify_applicant(*, dossier: Dossier, template: str, event_key: str = "") -> None:
    """E-mail and SMS to the applicant, written to the outbox in this transaction and sent after commit; one
    message per channel and event, however often this is called. ``event_key`` names the event (e.g. the
    DossierEvent's id) when the same status can be reached twice (a second supplement request)."""
    from congso.dossiers.receipts import tracking_url
    from congso.notifications.constants import MessageChannel
    from congso.notifications.services import notification_send

    context = {
        "code": dossier.code,
        "procedure_name": dossier.procedure.name,
        "due_at": dossier.due_at,
        "status_label": dossier.get_status_display(),
        "lookup_url": tracking_url(dossier),
    }
    for channel, recipient in (
        (MessageChannel.EMAIL, dossier.applicant_email),
        (MessageChannel.SMS, dossier.applicant_phone),
    ):
        if not recipient:
            continue
        try:
            notification_send(
                channel=channel,
                recipient=recipient,
                template=template,
                context=context,
                dedup_key=f"dossier:{dossier.pk}:{template}:{event_key or dossier.status}:{channel}",
                subject_type="dossier",
                subject_id=dossier.pk,
            )
        except ApplicationError:
            # A malformed address must not stop the dossier: the counter still has the receipt to hand over.
            logger.warning("dossier %s: no %s notification (recipient refused)", dossier.code, channel)
