from django.conf import settings
from django.db.models import Q, QuerySet

from congso.dossiers.models import Dossier, DossierDraft, ReceivingOffice


def offices_for_citizens() -> QuerySet[ReceivingOffice]:
    """Every service centre of the province: a dossier is accepted whatever the applicant's residence."""
    province = settings.CONGSO_PROVINCE_CODE
    return (
        ReceivingOffice.objects.filter(Q(unit__code=province) | Q(unit__parent__code=province))
        .filter(unit__effective_to__isnull=True)
        .select_related("unit")
        .order_by("name")
    )


def dossiers_of_applicant(*, user) -> QuerySet[Dossier]:
    """A citizen's own dossiers ("Hồ sơ của tôi"), newest first."""
    return (
        Dossier.objects.filter(applicant_user=user)
        .select_related("procedure", "office")
        .order_by("-submitted_at")
    )


def dossier_for_applicant(*, user, code: str) -> Dossier:
    """One of the citizen's own dossiers; raises ``Dossier.DoesNotExist`` for anybody else's."""
    return Dossier.objects.select_related("procedure", "office", "office__unit", "version").get(
        applicant_user=user, code=code
    )


def dossier_public_lookup(*, code: str, lookup_key: str) -> Dossier | None:
    """The dossier whose code AND lookup key match (both are needed: the code alone reveals nothing). Only the
    code and the status are loaded: that is all a lookup may show, and loading the whole row with its e-form
    answers was four fifths of the lookup's time (bench/load, 1,000,000 dossiers)."""
    code, lookup_key = code.strip(), lookup_key.strip().upper()
    if not code or not lookup_key or "\x00" in code or "\x00" in lookup_key:
        return None  # PostgreSQL refuses NUL in text: such a code matches no dossier
    found = Dossier.objects.filter(code=code, lookup_key=lookup_key).only("code", "status").order_by()[:1]
    return next(iter(found), None)


def draft_for(*, user, token) -> DossierDraft:
    return DossierDraft.objects.select_related("version__procedure", "office").get(user=user, token=token)
