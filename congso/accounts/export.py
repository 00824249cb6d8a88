"""A person's own data, for download (the data subject's right of access and portability): one ZIP with
``data.json`` (account, citizen profile, roles, consents, dossiers with their history, drafts, ratings,
feedback) and the files attached to their dossiers. Built in memory: a citizen's files are capped at
10 MB each and a person has a handful of dossiers."""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from congso.accounts.models import CitizenProfile, Consent, RoleBinding, User

USER_FIELDS = ["id", "email", "full_name", "phone", "date_joined", "last_login", "is_active"]


def _rows(queryset, exclude=()) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in exclude} for row in queryset.values()]


def personal_data(user: User) -> dict:
    from congso.dossiers.models import Dossier, DossierDocument, DossierDraft, DossierEvent
    from congso.feedback.models import Feedback, Rating

    dossiers = Dossier.objects.filter(applicant_user=user).order_by("pk")
    dossier_ids = list(dossiers.values_list("pk", flat=True))
    return {
        "exported_at": timezone.now(),
        "account": User.objects.filter(pk=user.pk).values(*USER_FIELDS).first(),
        "citizen_profile": CitizenProfile.objects.filter(user=user).values().first(),
        "roles": _rows(RoleBinding.objects.filter(user=user)),
        "consents": _rows(Consent.objects.filter(user=user)),
        "dossiers": _rows(dossiers, exclude={"idempotency_key"}),
        "dossier_documents": _rows(DossierDocument.objects.filter(dossier_id__in=dossier_ids)),
        "dossier_events": _rows(DossierEvent.objects.filter(dossier_id__in=dossier_ids)),
        "drafts": _rows(DossierDraft.objects.filter(user=user)),
        "ratings": _rows(Rating.objects.filter(user=user)),
        "feedback": _rows(Feedback.objects.filter(author=user)),
    }


def personal_data_zip(user: User) -> bytes:
    from congso.dossiers.models import DossierDocument

    data = personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, default=str)
        )
        documents = DossierDocument.objects.filter(dossier__applicant_user=user).select_related("dossier")
        for document in documents:
            if not document.file:
                continue
            try:
                with document.file.open("rb") as handle:
                    content = handle.read()
            except OSError:
                continue
            name = document.file.name.rsplit("/", 1)[-1]
            archive.writestr(f"documents/{document.dossier.code}/{document.pk}-{name}", content)
    return buffer.getvalue()
