"""Processing by several agencies (stages in sequence, steps in parallel, shares of time), consultations with
a deadline, forwarding to the competent office, and the system's own fee moves."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congso.accounts.constants import StaffRole
from congso.accounts.services import role_grant
from congso.catalog.route import validate_route
from congso.conftest import make_user, unit
from congso.core import calendar
from congso.core.exceptions import ApplicationError
from congso.dossiers import steps, transitions
from congso.dossiers.constants import DossierStatus, EventKind, StepKind, StepStatus
from congso.dossiers.models import Dossier, ProcessingStep, ReceivingOffice
from congso.dossiers.queues import office_dossiers
from congso.dossiers.tests.factories import at, make_office, make_version, submit
from congso.geo.constants import UnitLevel
from congso.geo.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

START = at("2026-03-10 08:00")  # a Tuesday
ROUTE = [
    {"stage": 1, "label": "Thẩm định hồ sơ", "role": "department_officer", "share": 60},
    {"stage": 1, "label": "Xác minh thực địa", "role": "department_officer", "share": 40},
    {"stage": 2, "label": "Lãnh đạo phê duyệt", "role": "unit_leader", "share": 30},
]


@pytest.fixture
def office():
    return make_office("32002", "000.00.26.H12")


@pytest.fixture
def specialist(db):
    user = make_user("chuyenmon@example.vn", full_name="Phạm Văn E")
    role_grant(user=user, role=StaffRole.DEPARTMENT_OFFICER, unit=unit("32002"))
    return user


@pytest.fixture
def chief(db):
    user = make_user("chutich@example.vn", full_name="Đặng Thị G")
    role_grant(user=user, role=StaffRole.UNIT_LEADER, unit=unit("32002"))
    return user


@pytest.fixture
def processing(office, official):
    version = make_version(days=10)
    version.route = ROUTE
    version.save(update_fields=["route"])
    dossier = submit(version, office, channel=2, when=START)
    transitions.dossier_accept(dossier=dossier, actor=official, at=START + datetime.timedelta(minutes=10))
    transitions.dossier_start_processing(
        dossier=dossier, actor=official, at=START + datetime.timedelta(minutes=20)
    )
    return dossier


def _share(dossier, step) -> Decimal:
    begun = START + datetime.timedelta(minutes=20)
    total = calendar.working_time_between(begun, end=dossier.due_at)
    return Decimal(calendar.working_time_between(begun, end=step.due_at) / total * 100).quantize(
        Decimal("0.1")
    )


def test_the_route_is_planned_when_processing_starts(processing):
    planned = list(processing.steps.order_by("stage", "position"))
    assert [(s.stage, s.label, s.status) for s in planned] == [
        (1, "Thẩm định hồ sơ", StepStatus.ACTIVE),
        (1, "Xác minh thực địa", StepStatus.ACTIVE),
        (2, "Lãnh đạo phê duyệt", StepStatus.WAITING),
    ]
    assert all(s.unit_id == processing.office.unit_id for s in planned)
    # Parallel steps count their share from the stage's start; the next stage starts after the longest one.
    assert [_share(processing, s) for s in planned] == [Decimal("60.0"), Decimal("40.0"), Decimal("90.0")]
    assert all(s.due_at < processing.due_at for s in planned)


def test_a_version_without_a_route_has_no_steps(office, official):
    dossier = submit(make_version(), office, channel=2, when=START)
    transitions.dossier_accept(dossier=dossier, actor=official, at=START)
    transitions.dossier_start_processing(dossier=dossier, actor=official, at=START)
    assert not dossier.steps.exists()
    transitions.dossier_approve(dossier=dossier, actor=official, at=START + datetime.timedelta(hours=1))


def test_stages_run_in_order_and_approval_waits_for_them(processing, specialist, chief):
    first, second, approval = processing.steps.order_by("stage", "position")
    with pytest.raises(ApplicationError) as excinfo:
        transitions.dossier_approve(dossier=processing, actor=chief, at=START + datetime.timedelta(hours=1))
    assert excinfo.value.code == "steps_open"
    assert "Thẩm định hồ sơ" in excinfo.value.message
    with pytest.raises(ApplicationError) as excinfo:
        steps.step_complete(step=approval, actor=chief, at=START + datetime.timedelta(hours=1))
    assert excinfo.value.code == "early"

    steps.step_complete(
        step=first, actor=specialist, note="Đủ điều kiện", at=START + datetime.timedelta(hours=2)
    )
    approval.refresh_from_db()
    assert approval.status == StepStatus.WAITING  # the parallel step is still open
    steps.step_complete(step=second, actor=specialist, at=START + datetime.timedelta(hours=3))
    approval.refresh_from_db()
    assert approval.status == StepStatus.ACTIVE
    assert approval.started_at == START + datetime.timedelta(hours=3)

    steps.step_complete(step=approval, actor=chief, at=START + datetime.timedelta(hours=4))
    transitions.dossier_approve(dossier=processing, actor=chief, at=START + datetime.timedelta(hours=5))
    assert Dossier.objects.get(pk=processing.pk).status == DossierStatus.RESULT_READY
    done = processing.events.filter(kind=EventKind.STEP_DONE).order_by("id")
    assert [e.data["label"] for e in done] == ["Thẩm định hồ sơ", "Xác minh thực địa", "Lãnh đạo phê duyệt"]
    assert all(e.data["on_time"] is True and e.step_due_at is not None for e in done)


def test_a_step_is_finished_only_by_its_role_and_once(processing, official, specialist):
    first = processing.steps.order_by("stage", "position").first()
    with pytest.raises(PermissionDenied):
        steps.step_complete(step=first, actor=official)  # one-stop officer, not the specialist
    stranger = make_user("other@example.vn")
    role_grant(user=stranger, role=StaffRole.DEPARTMENT_OFFICER, unit=unit("32248"))
    with pytest.raises(PermissionDenied):
        steps.step_complete(step=first, actor=stranger)
    steps.step_complete(step=first, actor=specialist)
    with pytest.raises(ApplicationError) as excinfo:
        steps.step_complete(step=first, actor=specialist)
    assert excinfo.value.code == "step_done"


def test_a_late_step_says_so(processing, specialist):
    first = processing.steps.order_by("stage", "position").first()
    late = first.due_at + datetime.timedelta(days=1)
    steps.step_complete(step=first, actor=specialist, at=late)
    first.refresh_from_db()
    assert first.on_time is False
    assert processing.events.filter(kind=EventKind.STEP_DONE).latest("id").data["on_time"] is False


def test_a_supplement_wait_moves_the_steps_deadlines(processing, official, specialist):
    first = processing.steps.order_by("stage", "position").first()
    due_before = first.due_at
    asked = START + datetime.timedelta(hours=1)
    transitions.dossier_request_supplement(
        dossier=processing, actor=official, items=["CCCD"], reason="Thiếu", at=asked
    )
    with pytest.raises(ApplicationError) as excinfo:
        steps.step_complete(step=first, actor=specialist)  # nobody works on it meanwhile
    assert excinfo.value.code == "not_processing"
    transitions.dossier_supplement_received(dossier=processing, actor=official, at=at("2026-03-12 08:00"))
    first.refresh_from_db()
    waited = calendar.working_time_between(asked, end=at("2026-03-12 08:00"))
    assert calendar.working_time_between(due_before, end=first.due_at) == waited


def test_a_consultation_has_its_own_deadline(processing, official):
    asked = START + datetime.timedelta(hours=1)
    consult = steps.dossier_consult(
        dossier=processing,
        actor=official,
        body="Công an xã",
        question="Xác nhận nơi cư trú?",
        days=3,
        at=asked,
    )
    assert consult.kind == StepKind.CONSULT
    assert consult.due_at == calendar.add_working_days(asked, days=3)
    assert processing.events.filter(kind=EventKind.CONSULT_ASKED).count() == 1
    with pytest.raises(ApplicationError) as excinfo:
        steps.consult_answer(step=consult, actor=official, answer="  ")
    assert excinfo.value.code == "answer"
    steps.consult_answer(step=consult, actor=official, answer="Đúng địa chỉ", at=consult.due_at)
    event = processing.events.filter(kind=EventKind.CONSULT_ANSWERED).get()
    assert event.data["on_time"] is True
    assert event.note == "Đúng địa chỉ"


@pytest.mark.parametrize(
    ("body", "question", "days", "code"),
    [("", "Câu hỏi", 3, "body"), ("Công an", "", 3, "question"), ("Công an", "Câu hỏi", 0, "days"),
     ("Công an", "Câu hỏi", 31, "days")],
)  # fmt: skip
def test_a_consultation_needs_a_body_a_question_and_a_deadline(
    processing, official, body, question, days, code
):
    with pytest.raises(ApplicationError) as excinfo:
        steps.dossier_consult(dossier=processing, actor=official, body=body, question=question, days=days)
    assert excinfo.value.code == code
    assert not processing.steps.filter(kind=StepKind.CONSULT).exists()


def test_no_consultation_before_processing(office, official):
    dossier = submit(make_version(), office, channel=2, when=START)
    with pytest.raises(ApplicationError) as excinfo:
        steps.dossier_consult(dossier=dossier, actor=official, body="Công an", question="?", days=3)
    assert excinfo.value.code == "not_processing"


@pytest.mark.parametrize(
    "route",
    [
        "x",
        [{"stage": 1, "label": "", "role": "unit_leader", "share": 10}],
        [{"stage": 0, "label": "A", "role": "unit_leader", "share": 10}],
        [{"stage": 1, "label": "A", "role": "team_member", "share": 10}],
        [{"stage": 1, "label": "A", "role": "unit_leader", "share": 101}],
        [{"stage": 1, "label": "A", "role": "unit_leader", "share": "nan"}],
        [{"stage": 1, "label": "A", "role": "unit_leader", "share": 10, "unit": "moon"}],
        [
            {"stage": 1, "label": "A", "role": "unit_leader", "share": 70},
            {"stage": 2, "label": "B", "role": "unit_leader", "share": 40},
        ],
    ],
)
def test_broken_routes_are_refused(route):
    with pytest.raises(ValidationError):
        validate_route(route)


def test_a_province_step_goes_to_the_province(office, official):
    version = make_version(days=10)
    version.route = [{"stage": 1, "label": "Sở Tư pháp thẩm định", "role": "department_officer", "share": 50,
                      "unit": "province"}]  # fmt: skip
    version.full_clean(exclude=["procedure"])
    version.save(update_fields=["route"])
    dossier = submit(version, office, channel=2, when=START)
    transitions.dossier_accept(dossier=dossier, actor=official, at=START)
    transitions.dossier_start_processing(dossier=dossier, actor=official, at=START)
    assert dossier.steps.get().unit.code == "96"


# Forwarding to the competent office


def test_forward_moves_the_dossier_to_the_competent_office(office, official):
    dossier = submit(make_version(), office, channel=2, when=START)
    competent = make_office("32248", "000.00.64.H12")
    other = make_user("datmui@example.vn")
    role_grant(user=other, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32248"))
    transitions.dossier_forward(
        dossier=dossier, actor=official, office=competent, reason="Nơi cư trú ở Đất Mũi"
    )
    dossier.refresh_from_db()
    assert dossier.office == competent
    assert dossier.code.startswith("000.00.26.H12")  # the code stays
    event = dossier.events.latest("id")
    assert event.kind == EventKind.FORWARDED
    assert event.unit == office.unit
    assert event.data["to_office"] == "000.00.64.H12"
    assert not office_dossiers(user=official).filter(pk=dossier.pk).exists()
    assert office_dossiers(user=other).filter(pk=dossier.pk).exists()


def test_forward_within_the_province_only_with_a_reason(office, official):
    dossier = submit(make_version(), office, channel=2, when=START)
    hanoi = AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE, parent__code="01").first()
    far = ReceivingOffice.objects.create(unit=hanoi, code="000.00.01.H26", name="Trung tâm Hà Nội")
    with pytest.raises(ApplicationError) as excinfo:
        transitions.dossier_forward(dossier=dossier, actor=official, office=far, reason="Sai nơi")
    assert excinfo.value.code == "other_province"
    with pytest.raises(ApplicationError) as excinfo:
        transitions.dossier_forward(dossier=dossier, actor=official, office=office, reason="Sai nơi")
    assert excinfo.value.code == "same_office"
    with pytest.raises(ApplicationError) as excinfo:
        transitions.dossier_forward(dossier=dossier, actor=official, office=make_office(), reason=" ")
    assert excinfo.value.code == "required"
    assert Dossier.objects.get(pk=dossier.pk).office == office


# The system's own moves


def test_the_system_records_fees_but_makes_no_other_move(processing):
    transitions.dossier_request_fees(dossier=processing, actor=None, amount_vnd=50000)
    transitions.dossier_fees_paid(dossier=processing, actor=None, note="VietQR")
    event = processing.events.latest("id")
    assert (event.kind, event.actor) == (EventKind.FEES_PAID, None)
    with pytest.raises(PermissionDenied):
        transitions.dossier_stop(dossier=processing, actor=None, reason="x")


# The officer's page


def test_the_page_shows_the_steps_and_finishes_one(client, processing, specialist):
    client.force_login(specialist)
    page = client.get(reverse("dossiers:office_detail", args=[processing.code]))
    assert page.status_code == 200
    assert "Thẩm định hồ sơ" in page.content.decode()
    first = processing.steps.order_by("stage", "position").first()
    response = client.post(
        reverse("dossiers:step_done", args=[processing.code, first.pk]), {"text": "Đủ điều kiện"}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.note, first.finished_by) == (StepStatus.DONE, "Đủ điều kiện", specialist)


def test_a_step_of_another_dossier_or_unit_is_not_found(client, processing, specialist):
    other_office = make_office()
    outsider = make_user("x@example.vn")
    role_grant(user=outsider, role=StaffRole.DEPARTMENT_OFFICER, unit=other_office.unit)
    client.force_login(outsider)
    first = processing.steps.first()
    response = client.post(reverse("dossiers:step_done", args=[processing.code, first.pk]), {"text": "x"})
    assert response.status_code == 404
    assert ProcessingStep.objects.get(pk=first.pk).status == StepStatus.ACTIVE


def test_consult_and_forward_from_the_page(client, office, official, processing):
    client.force_login(official)
    response = client.post(
        reverse("dossiers:consult", args=[processing.code]),
        {"body": "Phòng Tư pháp", "text": "Ý kiến về hồ sơ?", "days": "2"},
    )
    assert response.status_code == 302
    assert processing.steps.filter(kind=StepKind.CONSULT, label="Phòng Tư pháp").exists()
    fresh = submit(make_version("1.000894", "Đăng ký kết hôn"), office, channel=2, when=START)
    competent = make_office()
    bad = client.post(reverse("dossiers:act", args=[fresh.code, "forward"]), {"office": "x", "text": "Lý do"})
    assert bad.status_code == 302
    assert Dossier.objects.get(pk=fresh.pk).office == office
    good = client.post(
        reverse("dossiers:act", args=[fresh.code, "forward"]), {"office": competent.pk, "text": "Lý do"}
    )
    assert good.status_code == 302
    assert Dossier.objects.get(pk=fresh.pk).office == competent
