import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from congso.accounts.constants import StaffRole
from congso.accounts.services import role_grant
from congso.conftest import make_user, unit
from congso.core.exceptions import ApplicationError
from congso.dossiers import transitions, workflow
from congso.dossiers.constants import DossierOutcome, DossierStatus, EventKind, ResultDelivery
from congso.dossiers.models import Dossier, DossierEvent, ReceivingOffice
from congso.dossiers.services import PreparedDocument
from congso.dossiers.tests.factories import at, make_office, make_version, submit
from congso.notifications.models import Message

pytestmark = pytest.mark.django_db

S = DossierStatus
PHONE = "0912345678"  # the applicant's, in factories.submit
START = at("2026-03-10 08:00")  # a Tuesday; no holiday for weeks
STEP = datetime.timedelta(minutes=10)


def call(name, dossier, *, staff, applicant, when):
    """Make the move ``name`` with valid arguments."""
    common = {"dossier": dossier, "at": when}
    t = transitions
    match name:
        case "accept":
            return t.dossier_accept(actor=staff, **common)
        case "refuse_at_intake":
            return t.dossier_refuse_at_intake(actor=staff, reasons="Không thuộc thẩm quyền", **common)
        case "request_supplement":
            return t.dossier_request_supplement(
                actor=staff, items=["Bản sao giấy chứng sinh"], reason="Thiếu giấy tờ", **common
            )
        case "supplement_received":
            return t.dossier_supplement_received(actor=staff, **common)
        case "forward":
            competent = ReceivingOffice.objects.filter(code="000.00.64.H12").first() or make_office()
            return t.dossier_forward(
                actor=staff, office=competent, reason="Thuộc thẩm quyền xã khác", **common
            )
        case "assign":
            return t.dossier_assign(actor=staff, officer=staff, **common)
        case "start_processing":
            return t.dossier_start_processing(actor=staff, **common)
        case "request_fees":
            return t.dossier_request_fees(actor=staff, amount_vnd=8000, **common)
        case "fees_paid":
            return t.dossier_fees_paid(actor=staff, **common)
        case "extend":
            new_due_at = dossier.due_at + datetime.timedelta(days=2) if dossier.due_at else when
            return t.dossier_extend(actor=staff, new_due_at=new_due_at, reason="Cần xác minh thêm", **common)
        case "stop":
            return t.dossier_stop(actor=staff, reason="Người yêu cầu không bổ sung", **common)
        case "withdraw":
            return t.dossier_withdraw(actor=applicant, **common)
        case "approve":
            return t.dossier_approve(actor=staff, **common)
        case "refuse_after_appraisal":
            return t.dossier_refuse_after_appraisal(actor=staff, reasons="Không đủ điều kiện", **common)
        case "return_result":
            return t.dossier_return_result(actor=staff, method=ResultDelivery.IN_PERSON, **common)
    raise AssertionError(f"no call for {name}")


# How to reach each status through the services themselves, from an online submission.
PATHS = {
    S.SUBMITTED: [],
    S.RECEIVED: ["accept"],
    S.REFUSED: ["refuse_at_intake"],
    S.PROCESSING: ["accept", "start_processing"],
    S.SUPPLEMENT_REQUESTED: ["accept", "start_processing", "request_supplement"],
    S.FEES_DUE: ["accept", "start_processing", "request_fees"],
    S.WITHDRAWN: ["withdraw"],
    S.STOPPED: ["accept", "start_processing", "stop"],
    S.RESULT_READY: ["accept", "start_processing", "approve"],
    S.RETURNED: ["accept", "start_processing", "approve", "return_result"],
}
ALLOWED = [(status, name) for name, move in workflow.TRANSITIONS.items() for status in sorted(move.sources)]
FORBIDDEN = [
    (status, name)
    for name, move in workflow.TRANSITIONS.items()
    for status in DossierStatus
    if status not in move.sources
]


@pytest.fixture
def office():
    return make_office("32002", "000.00.26.H12")  # the official's commune


@pytest.fixture
def version():
    return make_version(days=5)


@pytest.fixture
def reach(version, office, official, citizen):
    """A dossier of ``citizen`` brought to ``status`` by ``official``; returns it and the next free moment."""

    def reach(status):
        dossier = submit(version, office, channel=2, when=START, applicant_user=citizen)
        when = START
        for name in PATHS[status]:
            when += STEP
            dossier = call(name, dossier, staff=official, applicant=citizen, when=when)
        assert dossier.status == status
        return dossier, when + STEP

    return reach


def snapshot(dossier):
    return (
        model_to_dict(Dossier.objects.get(pk=dossier.pk)),
        list(DossierEvent.objects.filter(dossier=dossier).values_list("pk", flat=True)),
        Message.objects.count(),
    )


def sms(dossier):
    return Message.objects.filter(
        subject_type="dossier", subject_id=dossier.pk, channel="sms", recipient=PHONE
    )


def test_every_status_and_every_transition_is_exercised():
    assert set(PATHS) == set(DossierStatus)
    assert {name for _status, name in ALLOWED} == set(workflow.TRANSITIONS)


@pytest.mark.parametrize(("status", "name"), ALLOWED)
def test_every_allowed_move(reach, official, citizen, office, status, name):
    dossier, when = reach(status)
    events_before = DossierEvent.objects.filter(dossier=dossier).count()
    expected = workflow.target(dossier, name)
    dossier = call(name, dossier, staff=official, applicant=citizen, when=when)
    assert dossier.status == expected
    assert Dossier.objects.get(pk=dossier.pk).status == expected
    assert DossierEvent.objects.filter(dossier=dossier).count() == events_before + 1
    event = DossierEvent.objects.filter(dossier=dossier).latest("id")
    assert event.kind == workflow.TRANSITIONS[name].event
    assert event.at == when
    assert event.actor == (citizen if name == "withdraw" else official)
    assert event.unit == office.unit
    assert (event.status_from, event.status_to) == (status, expected)


@pytest.mark.parametrize(("status", "name"), FORBIDDEN)
def test_every_forbidden_move_raises_and_changes_nothing(reach, official, citizen, status, name):
    dossier, when = reach(status)
    before = snapshot(dossier)
    with pytest.raises(ApplicationError) as excinfo:
        call(name, dossier, staff=official, applicant=citizen, when=when)
    assert excinfo.value.code == "transition_not_allowed"
    assert str(Dossier(status=status).get_status_display()) in excinfo.value.message
    assert snapshot(dossier) == before


def test_the_row_is_locked_before_the_status_is_read(reach, official):
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite serialises writers without row locks")
    dossier, when = reach(S.SUBMITTED)
    with CaptureQueriesContext(connection) as queries:
        transitions.dossier_accept(dossier=dossier, actor=official, at=when)
    sqls = [query["sql"] for query in queries]
    lock = next(i for i, sql in enumerate(sqls) if "FOR UPDATE" in sql and '"dossiers_dossier"' in sql)
    update = next(i for i, sql in enumerate(sqls) if sql.startswith('UPDATE "dossiers_dossier"'))
    assert lock < update


# Intake


def test_accept_sets_the_deadline_from_acceptance(version, office, official):
    dossier = submit(version, office, channel=2, when=at("2026-03-13 18:30"))  # Friday evening, online
    dossier = transitions.dossier_accept(
        dossier=dossier, actor=official, note="Đủ", at=at("2026-03-16 09:00")
    )
    assert dossier.status == S.RECEIVED
    assert dossier.national_status == 2
    assert dossier.received_at == at("2026-03-16 09:00")
    assert dossier.due_at == at("2026-03-23 09:00")  # 5 working days from Monday 09:00
    event = dossier.events.latest("id")
    assert event.kind == EventKind.ACCEPTED
    assert event.note == "Đủ"
    assert event.step_due_at == dossier.due_at


def test_refusal_at_intake_needs_reasons(reach, official):
    dossier, when = reach(S.SUBMITTED)
    before = snapshot(dossier)
    with pytest.raises(ApplicationError) as excinfo:
        transitions.dossier_refuse_at_intake(dossier=dossier, actor=official, reasons="  ", at=when)
    assert excinfo.value.code == "required"
    assert snapshot(dossier) == before
    dossier = transitions.dossier_refuse_at_intake(
        dossier=dossier, actor=official, reasons="Không thuộc thẩm quyền", at=when
    )
    assert dossier.status == S.REFUSED
    assert dossier.national_status == 3
    assert dossier.events.latest("id").data == {"reasons": "Không thuộc thẩm quyền", "form_number": "1/2026"}


def test_a_supplement_asked_at_intake_returns_to_intake_and_does_not_touch_the_clock(reach, official):
    dossier, when = reach(S.SUBMITTED)
    dossier = transitions.dossier_request_supplement(
        dossier=dossier, actor=official, items=["Giấy chứng sinh", ""], reason="Thiếu", at=when
    )
    assert dossier.clock_paused_at is None
    event = dossier.events.latest("id")
    assert event.data["at_intake"] is True
    assert event.data["items"] == ["Giấy chứng sinh"]
    assert event.step_due_at is None
    dossier = transitions.dossier_supplement_received(
        dossier=dossier, actor=official, at=at("2026-03-12 10:00")
    )
    assert dossier.status == S.SUBMITTED
    assert dossier.paused_working_time == datetime.timedelta()
    dossier = transitions.dossier_accept(dossier=dossier, actor=official, at=at("2026-03-12 10:00"))
    assert dossier.due_at == at("2026-03-19 10:00")


# Supplements and the clock


@pytest.fixture
def processing(version, office, official, citizen):
    """Received at the counter Tuesday 10 March 08:00, 5 working days: due Tuesday 17 March 08:00."""
    dossier = submit(version, office, channel=1, when=START, applicant_user=citizen)
    dossier = transitions.dossier_start_processing(dossier=dossier, actor=official, at=at("2026-03-10 09:00"))
    assert dossier.due_at == at("2026-03-17 08:00")
    return dossier


def ask(dossier, official, when, items=("Bản sao CCCD",)):
    return transitions.dossier_request_supplement(
        dossier=dossier, actor=official, items=list(items), reason="Thiếu bản sao", at=at(when)
    )


def test_pause_pushes_the_due_date_by_the_working_time_waited_across_a_weekend(processing, official):
    dossier = ask(processing, official, "2026-03-13 15:00")  # Friday
    assert dossier.status == S.SUPPLEMENT_REQUESTED
    assert dossier.national_status == 5
    assert dossier.clock_paused_at == at("2026-03-13 15:00")
    requested = dossier.events.latest("id")
    assert requested.step_due_at == at("2026-03-13 08:00")  # 3 working days after receipt: asked late
    assert requested.data["rule"] == "pause"
    dossier = transitions.dossier_supplement_received(
        dossier=dossier, actor=official, at=at("2026-03-16 09:00")
    )
    # Waited Friday 15:00–17:00 and Monday 07:00–09:00: 4 working hours, the weekend not counted.
    assert dossier.paused_working_time == datetime.timedelta(hours=4)
    assert dossier.clock_paused_at is None
    assert dossier.status == S.PROCESSING
    # Tuesday 08:00 + 4 working hours: 08:00–11:30 and 13:30–14:00.
    assert dossier.due_at == at("2026-03-17 14:00")
    event = dossier.events.latest("id")
    assert event.kind == EventKind.SUPPLEMENTED
    assert event.data["waited_seconds"] == 4 * 3600
    assert event.data["due_before"] == at("2026-03-17 08:00").isoformat()
    assert event.step_due_at == dossier.due_at


def test_restart_counts_the_whole_time_again_from_the_supplement(processing, official, version):
    version.supplement_rule = "restart"
    version.save(update_fields=["supplement_rule"])
    dossier = ask(processing, official, "2026-03-13 15:00")
    dossier = transitions.dossier_supplement_received(
        dossier=dossier, actor=official, at=at("2026-03-16 09:00")
    )
    assert dossier.due_at == at("2026-03-23 09:00")  # 5 working days from Monday 09:00
    assert dossier.paused_working_time == datetime.timedelta(hours=4)  # kept for the national scoring
    assert dossier.events.latest("id").data["rule"] == "restart"


def test_a_second_supplement_request_is_allowed_but_flagged(processing, official):
    dossier = ask(processing, official, "2026-03-11 09:00")
    assert dossier.events.latest("id").data["second_request"] is False
    dossier = transitions.dossier_supplement_received(
        dossier=dossier, actor=official, at=at("2026-03-11 10:00")
    )
    dossier = ask(dossier, official, "2026-03-12 09:00", items=["Tờ khai"])
    assert dossier.status == S.SUPPLEMENT_REQUESTED
    assert dossier.supplement_requests == 2
    assert dossier.events.latest("id").data["second_request"] is True


def test_a_supplement_request_lists_its_items_and_reason(processing, official):
    for items, reason in (([], "Thiếu"), (["  "], "Thiếu"), (["Tờ khai"], "")):
        before = snapshot(processing)
        with pytest.raises(ApplicationError):
            transitions.dossier_request_supplement(
                dossier=processing, actor=official, items=items, reason=reason, at=at("2026-03-11 09:00")
            )
        assert snapshot(processing) == before


def test_stopping_a_waiting_dossier_closes_the_wait(processing, official):
    dossier = ask(processing, official, "2026-03-11 09:00")
    dossier = transitions.dossier_stop(
        dossier=dossier, actor=official, reason="Quá hạn bổ sung", at=at("2026-03-11 11:00")
    )
    assert dossier.status == S.STOPPED
    assert dossier.national_status == 8
    assert dossier.clock_paused_at is None
    assert dossier.paused_working_time == datetime.timedelta(hours=2)
    assert dossier.events.latest("id").data == {"reason": "Quá hạn bổ sung", "form_number": "1/2026"}


# Apology and new date (Mẫu 04)


def extend(dossier, official, when, new_due_at="2026-03-20 17:00"):
    return transitions.dossier_extend(
        dossier=dossier, actor=official, new_due_at=at(new_due_at), reason="Cần xác minh", at=at(when)
    )


def test_extend_once_at_least_a_working_day_before(processing, official):
    dossier = extend(processing, official, "2026-03-16 08:00")  # exactly one working day left
    assert dossier.due_at == at("2026-03-20 17:00")
    assert dossier.extended_at == at("2026-03-16 08:00")
    assert dossier.status == S.PROCESSING
    event = dossier.events.latest("id")
    assert event.kind == EventKind.EXTENDED
    assert (event.status_from, event.status_to) == (S.PROCESSING, S.PROCESSING)
    assert event.data["due_before"] == at("2026-03-17 08:00").isoformat()
    assert event.step_due_at == at("2026-03-20 17:00")
    before = snapshot(dossier)
    with pytest.raises(ApplicationError) as excinfo:
        extend(dossier, official, "2026-03-16 09:00", new_due_at="2026-03-25 17:00")
    assert excinfo.value.code == "already_extended"
    assert snapshot(dossier) == before


@pytest.mark.parametrize(
    "when", ["2026-03-16 08:01", "2026-03-16 16:00", "2026-03-17 07:30", "2026-03-18 09:00"]
)
def test_no_extension_on_the_last_working_day_or_later(processing, official, when):
    before = snapshot(processing)
    with pytest.raises(ApplicationError) as excinfo:
        extend(processing, official, when)
    assert excinfo.value.code == "too_late_to_extend"
    assert "17/03/2026" in excinfo.value.message
    assert snapshot(processing) == before


def test_the_new_date_must_be_later(processing, official):
    with pytest.raises(ApplicationError) as excinfo:
        extend(processing, official, "2026-03-11 09:00", new_due_at="2026-03-17 08:00")
    assert excinfo.value.code == "new_date_not_later"
    assert processing.extended_at is None


def test_no_extension_without_a_due_date(office, official):
    dossier = submit(make_version(code="1.000001", unit=""), office, channel=1, when=START)
    with pytest.raises(ApplicationError) as excinfo:
        extend(dossier, official, "2026-03-11 09:00")
    assert excinfo.value.code == "no_due_date"


# Assignment, fees, results


def test_assign_an_officer_of_the_unit(processing, official, leader):
    colleague = make_user("chuyenvien@example.vn", full_name="Phạm Văn E")
    role_grant(user=colleague, role=StaffRole.DEPARTMENT_OFFICER, unit=unit("32002"))
    messages = Message.objects.count()
    dossier = transitions.dossier_assign(dossier=processing, actor=leader, officer=colleague)
    assert dossier.assigned_to == colleague
    assert dossier.status == S.PROCESSING
    event = dossier.events.latest("id")
    assert event.data == {"officer": colleague.pk, "officer_name": "Phạm Văn E"}
    assert event.actor == leader
    assert Message.objects.count() == messages  # internal: the applicant is not told


def test_an_officer_of_another_commune_cannot_be_assigned(processing, official):
    elsewhere = make_user("khac@example.vn")
    role_grant(user=elsewhere, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32248"))
    with pytest.raises(ApplicationError) as excinfo:
        transitions.dossier_assign(dossier=processing, actor=official, officer=elsewhere)
    assert excinfo.value.code == "officer_out_of_scope"
    assert Dossier.objects.get(pk=processing.pk).assigned_to is None


def test_fees_due_then_paid(processing, official):
    dossier = transitions.dossier_request_fees(dossier=processing, actor=official, amount_vnd=8000)
    assert dossier.national_status == 6
    assert dossier.events.latest("id").data == {"amount_vnd": 8000}
    dossier = transitions.dossier_fees_paid(dossier=dossier, actor=official)
    assert dossier.status == S.PROCESSING


def test_start_processing_is_due_the_same_day_or_the_next_morning(version, office, official):
    before_cutoff = submit(version, office, channel=1, when=at("2026-03-10 14:59"))
    after_cutoff = submit(version, office, channel=1, when=at("2026-03-13 15:30"))  # Friday
    for dossier, due in ((before_cutoff, "2026-03-10 17:00"), (after_cutoff, "2026-03-16 11:30")):
        dossier = transitions.dossier_start_processing(dossier=dossier, actor=official)
        assert dossier.events.latest("id").step_due_at == at(due)


@pytest.fixture
def result_pdf(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.4 ket qua"
    return PreparedDocument(
        label="Giấy khai sinh (bản điện tử)",
        content=ContentFile(content, name="ket-qua.pdf"),
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def test_approve_with_the_electronic_result_then_return_it_online_early(processing, official, result_pdf):
    dossier = transitions.dossier_approve(
        dossier=processing, actor=official, result=result_pdf, at=at("2026-03-12 10:00")
    )
    assert dossier.status == S.RESULT_READY
    assert dossier.national_status == 9
    assert dossier.outcome == DossierOutcome.APPROVED
    assert dossier.processing_ended_at == at("2026-03-12 10:00")
    assert dossier.result_document.label == "Giấy khai sinh (bản điện tử)"
    assert dossier.result_document.file.read() == b"%PDF-1.4 ket qua"
    approved = dossier.events.latest("id")
    assert approved.data["early"] is True
    assert approved.data["on_time"] is True
    dossier = transitions.dossier_return_result(
        dossier=dossier, actor=official, method=ResultDelivery.ONLINE, at=at("2026-03-12 11:00")
    )
    assert dossier.status == S.RETURNED
    assert dossier.national_status == 10
    assert dossier.returned_at == at("2026-03-12 11:00")
    assert dossier.result_delivery == ResultDelivery.ONLINE
    assert dossier.events.latest("id").data == {"method": "online", "early": True}


def test_online_return_needs_an_electronic_result(processing, official):
    dossier = transitions.dossier_approve(dossier=processing, actor=official)
    for method, code in ((ResultDelivery.ONLINE, "no_result_file"), ("fax", "delivery_method")):
        before = snapshot(dossier)
        with pytest.raises(ApplicationError) as excinfo:
            transitions.dossier_return_result(dossier=dossier, actor=official, method=method)
        assert excinfo.value.code == code
        assert snapshot(dossier) == before
    dossier = transitions.dossier_return_result(dossier=dossier, actor=official, method=ResultDelivery.POST)
    assert dossier.result_delivery == ResultDelivery.POST


def test_refusal_after_appraisal_is_a_result_to_return(processing, official):
    dossier = transitions.dossier_refuse_after_appraisal(
        dossier=processing, actor=official, reasons="Không đủ điều kiện", at=at("2026-03-18 09:00")
    )
    assert dossier.status == S.RESULT_READY
    assert dossier.outcome == DossierOutcome.REFUSED
    assert dossier.processing_ended_at == at("2026-03-18 09:00")
    event = dossier.events.latest("id")
    assert event.kind == EventKind.REFUSED
    assert event.data["reasons"] == "Không đủ điều kiện"
    assert event.data["on_time"] is False  # after Tuesday 17 March 08:00
    dossier = transitions.dossier_return_result(
        dossier=dossier, actor=official, method=ResultDelivery.IN_PERSON
    )
    assert dossier.status == S.RETURNED


# Permissions


@pytest.fixture
def officer_elsewhere():
    user = make_user("xa.khac@example.vn")
    role_grant(user=user, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32248"))  # Xã Đất Mũi
    return user


@pytest.mark.parametrize("name", sorted(set(workflow.TRANSITIONS) - {"withdraw"}))
def test_an_officer_of_another_commune_may_do_nothing(reach, officer_elsewhere, citizen, name):
    status = sorted(workflow.TRANSITIONS[name].sources)[0]
    dossier, when = reach(status)
    before = snapshot(dossier)
    with pytest.raises(PermissionDenied):
        call(name, dossier, staff=officer_elsewhere, applicant=citizen, when=when)
    assert snapshot(dossier) == before


def test_citizens_and_team_members_cannot_accept(reach, citizen, team_member):
    dossier, when = reach(S.SUBMITTED)
    for user in (citizen, team_member):
        with pytest.raises(PermissionDenied):
            transitions.dossier_accept(dossier=dossier, actor=user, at=when)
    assert Dossier.objects.get(pk=dossier.pk).status == S.SUBMITTED


def test_the_province_leader_may_act_on_a_commune_dossier(reach, leader):
    dossier, when = reach(S.SUBMITTED)
    assert transitions.dossier_accept(dossier=dossier, actor=leader, at=when).status == S.RECEIVED


def test_only_the_applicant_withdraws(reach, official, leader, citizen):
    dossier, when = reach(S.PROCESSING)
    other_citizen = make_user("citizen.b@example.vn")
    for user in (official, leader, other_citizen):
        with pytest.raises(PermissionDenied):
            transitions.dossier_withdraw(dossier=dossier, actor=user, at=when)
    dossier = transitions.dossier_withdraw(
        dossier=dossier, actor=citizen, reason="Không còn nhu cầu", at=when
    )
    assert dossier.status == S.WITHDRAWN
    assert dossier.national_status == 7
    assert dossier.events.latest("id").note == "Không còn nhu cầu"


def test_nobody_withdraws_a_dossier_without_an_applicant_account(version, office, citizen):
    dossier = submit(version, office, channel=1, when=START)
    with pytest.raises(PermissionDenied):
        transitions.dossier_withdraw(dossier=dossier, actor=citizen)


def test_may_act_answers_for_the_views(reach, official, citizen, officer_elsewhere):
    dossier, _when = reach(S.PROCESSING)
    assert transitions.may_act(user=official, dossier=dossier, transition="approve")
    assert not transitions.may_act(user=officer_elsewhere, dossier=dossier, transition="approve")
    assert not transitions.may_act(user=citizen, dossier=dossier, transition="approve")
    assert transitions.may_act(user=citizen, dossier=dossier, transition="withdraw")
    assert not transitions.may_act(user=official, dossier=dossier, transition="withdraw")


# Notifications


def test_the_applicant_is_told_of_visible_changes_only(reach, official, citizen):
    dossier, when = reach(S.SUBMITTED)
    assert sms(dossier).count() == 1  # the submission's own message
    dossier = transitions.dossier_accept(dossier=dossier, actor=official, at=when)
    assert sms(dossier).count() == 2
    assert "duoc tiep nhan" in sms(dossier).latest("id").body  # the status label, without diacritics
    dossier = transitions.dossier_assign(dossier=dossier, actor=official, officer=official, at=when)
    dossier = transitions.dossier_start_processing(dossier=dossier, actor=official, at=when)
    assert sms(dossier).count() == 2  # internal steps
    dossier = transitions.dossier_request_supplement(
        dossier=dossier, actor=official, items=["Tờ khai"], reason="Thiếu", at=when
    )
    assert sms(dossier).count() == 3
    assert "bo sung" in sms(dossier).latest("id").body


def test_a_retried_or_refused_move_sends_nothing_more(reach, official, django_capture_on_commit_callbacks):
    dossier, when = reach(S.SUBMITTED)
    with django_capture_on_commit_callbacks() as callbacks:
        dossier = transitions.dossier_accept(dossier=dossier, actor=official, at=when)
    assert len(callbacks) == 1  # the send task, queued for after the commit
    messages = Message.objects.filter(subject_type="dossier", subject_id=dossier.pk).count()
    with pytest.raises(ApplicationError):  # a double click: the dossier is no longer "submitted"
        transitions.dossier_accept(dossier=dossier, actor=official, at=when)
    assert Message.objects.filter(subject_type="dossier", subject_id=dossier.pk).count() == messages


def test_every_notifying_move_writes_a_message_and_the_others_do_not(reach, official, citizen):
    for status, name in ALLOWED:
        dossier, when = reach(status)
        before = Message.objects.filter(subject_id=dossier.pk).count()
        call(name, dossier, staff=official, applicant=citizen, when=when)
        after = Message.objects.filter(subject_id=dossier.pk).count()
        status_changed = (
            workflow.target(Dossier(status=status, received_at=dossier.received_at), name) != status
        )
        if not workflow.TRANSITIONS[name].notifies:
            assert after == before, (status, name)
        elif status_changed:
            assert after == before + 1, (status, name)  # the applicant has a phone, no e-mail


def test_a_second_supplement_request_is_sent_to_the_applicant_too(processing, official):
    first = ask(processing, official, "2026-03-11 09:00")
    transitions.dossier_supplement_received(dossier=first, actor=official, at=at("2026-03-11 10:00"))
    before = Message.objects.filter(subject_id=processing.pk).count()
    second = ask(first, official, "2026-03-11 11:00")
    assert second.supplement_requests == 2
    assert Message.objects.filter(subject_id=processing.pk).count() == before + 1
