import pytest
from django.test import RequestFactory

from congso.audit.chain import GENESIS
from congso.audit.models import AuditChainHead, PersonalDataAccess
from congso.audit.services import personal_data_viewed
from congso.core.masking import mask_applicant, mask_id_number, mask_name
from congso.dossiers.queues import office_dossier
from congso.dossiers.tests.factories import make_office, make_version, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier():
    return submit(make_version(), make_office("32002", "000.00.26.H12"))


def test_a_view_is_recorded_with_the_applicant_masked(official, dossier, django_assert_num_queries):
    AuditChainHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})  # as after migrate
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    loaded = office_dossier(user=official, code=dossier.code)

    # The access row, then the audit chain: the locked head, the event, the new head.
    with django_assert_num_queries(4):
        access = personal_data_viewed(user=official, dossier=loaded, what="dossier_detail", request=request)

    access = PersonalDataAccess.objects.get(pk=access.pk)
    assert access.viewer == official
    assert access.dossier == dossier
    assert access.unit.code == "32002"
    assert access.what == "dossier_detail"
    assert access.ip_address == "203.0.113.7"
    assert access.applicant == "Nguyễn T. H. · 096*******23"
    assert "Hoa" not in access.applicant
    assert "096190000123" not in access.applicant


def test_an_invalid_remote_address_is_not_stored(official, dossier):
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-ip")
    access = personal_data_viewed(user=official, dossier=dossier, what="dossier_detail", request=request)
    assert access.ip_address is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Nguyễn Thị Hoa", "Nguyễn T. H."),
        ("Lê", "Lê"),
        ("  ", ""),
        ("Công ty TNHH An Phát", "Công t. T. A. P."),
    ],
)
def test_mask_name(name, expected):
    assert mask_name(name) == expected


def test_mask_id_number():
    assert mask_id_number("096190000123") == "096*******23"
    assert mask_id_number("1234") == "****"
    assert mask_applicant(name="Trần Văn Nam", id_number="") == "Trần V. N."
