import datetime
import re
import unicodedata

import pypdfium2 as pdfium
import pytest
from django.template.loader import render_to_string

from congso.accounts.constants import StaffRole
from congso.accounts.services import role_grant
from congso.conftest import make_user, unit
from congso.dossiers import transitions
from congso.dossiers.constants import EventKind, ResultDelivery
from congso.dossiers.legal_forms import (
    EARLY,
    LATE,
    ON_TIME,
    control_slip_pdf,
    control_slip_rows,
    form_context,
    step_result,
)
from congso.dossiers.tests.factories import at, make_office, make_version, submit

pytestmark = pytest.mark.django_db


ITEMS = ["Bản sao giấy chứng sinh có chứng thực", "Tờ khai có chữ ký của người yêu cầu"]
# The moves of the hand-built case, at fixed times (2026-03-10 is a Tuesday, no holiday near).
MOVES = [
    ("accept", at("2026-03-10 08:10")),
    ("start_processing", at("2026-03-10 08:20")),
    ("request_supplement", at("2026-03-10 09:00")),
    ("supplement_received", at("2026-03-12 10:00")),
    ("approve", at("2026-03-13 09:00")),
    ("return_result", at("2026-03-13 14:00")),
]
# Each event's step deadline, set by hand, and the result the slip must show.
EXPECTED = [
    (EventKind.SUBMITTED, at("2026-03-10 17:00"), ON_TIME),  # next at 10/03 08:10: same day
    (EventKind.ACCEPTED, at("2026-03-11 17:00"), EARLY),  # next at 10/03 08:20: a day earlier
    (EventKind.PROCESSING_STARTED, at("2026-03-10 08:30"), LATE),  # next at 10/03 09:00: after
    # Judged by its own moment (10/03 09:00), not by the supplement's arrival on 12/03.
    (EventKind.SUPPLEMENT_REQUESTED, at("2026-03-11 17:00"), EARLY),
    (EventKind.SUPPLEMENTED, at("2026-03-12 17:00"), LATE),  # next at 13/03 09:00
    (EventKind.APPROVED, at("2026-03-13 17:00"), ON_TIME),  # next at 13/03 14:00
    (EventKind.RETURNED, at("2026-03-20 17:00"), EARLY),  # last: returned_at 13/03 14:00
]


def pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    return unicodedata.normalize("NFC", text)


def move(name, dossier, staff, when):
    t = transitions
    common = {"dossier": dossier, "actor": staff, "at": when}
    match name:
        case "accept":
            return t.dossier_accept(**common)
        case "start_processing":
            return t.dossier_start_processing(**common)
        case "request_supplement":
            return t.dossier_request_supplement(items=ITEMS, reason="Hồ sơ thiếu giấy tờ", **common)
        case "supplement_received":
            return t.dossier_supplement_received(**common)
        case "approve":
            return t.dossier_approve(**common)
        case "return_result":
            return t.dossier_return_result(method=ResultDelivery.IN_PERSON, **common)
    raise AssertionError(name)


@pytest.fixture
def dossier(official, citizen):
    office = make_office("32002", "000.00.26.H12")  # the official's commune
    dossier = submit(
        make_version(days=5), office, channel=2, when=at("2026-03-10 08:00"), applicant_user=citizen
    )
    for name, when in MOVES:
        dossier = move(name, dossier, official, when)
    events = list(dossier.events.order_by("at", "id"))
    assert [event.kind for event in events] == [kind for kind, _due, _result in EXPECTED]
    for event, (_kind, due, _result) in zip(events, EXPECTED, strict=True):
        event.step_due_at = due
        event.save(update_fields=["step_due_at"])
    return dossier


@pytest.fixture
def stranger(db):
    """A one-stop officer of Xã Đất Mũi (32248): another commune."""
    user = make_user("motcua.datmui@example.vn")
    role_grant(user=user, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32248"))
    return user


def test_step_result_rule():
    due = at("2026-03-10 17:00")
    assert step_result(None, due) == ""
    assert step_result(due, due) == ON_TIME
    assert step_result(due, due + datetime.timedelta(microseconds=1)) == LATE
    assert step_result(due, at("2026-03-10 07:00")) == ON_TIME
    assert step_result(due, at("2026-03-09 16:59")) == EARLY
    # The calendar day is Việt Nam's: 00:30 on the 10th and 23:59 on the 9th share a UTC date, not a day.
    assert step_result(at("2026-03-10 00:30"), at("2026-03-09 23:59")) == EARLY


def test_control_slip_rows(dossier, official):
    rows = control_slip_rows(dossier, now=at("2026-04-01 08:00"))
    assert [row.result for row in rows] == [result for _kind, _due, result in EXPECTED]
    assert [row.number for row in rows] == list(range(1, 8))
    assert rows[1].step == "Tiếp nhận hồ sơ"
    assert rows[1].handed_by == official.full_name
    assert rows[1].received_by == official.full_name
    assert rows[1].at == "08:10 10/03/2026"
    assert rows[1].due == "17:00 11/03/2026"
    assert rows[-1].received_by == ""
    assert rows[0].unit == unit("32002").full_name


def test_last_step_of_an_unreturned_dossier_is_judged_at_now(dossier):
    dossier.events.filter(kind=EventKind.RETURNED).delete()
    dossier.returned_at = None
    rows = control_slip_rows(dossier, now=at("2026-03-13 18:00"))
    assert rows[-1].result == LATE  # approved step due 13/03 17:00, still not returned at 18:00
    rows = control_slip_rows(dossier, now=at("2026-03-13 16:00"))
    assert rows[-1].result == ON_TIME


def test_control_slip_pdf_shows_each_result_in_order(dossier):
    text = pdf_text(control_slip_pdf(dossier, now=at("2026-04-01 08:00")))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert dossier.code in text
    found = re.findall(rf"{EARLY}|{ON_TIME}|{LATE}", text)
    assert found == [result for _kind, _due, result in EXPECTED]


def test_control_slip_view(client, official, dossier):
    client.force_login(official)
    response = client.get(f"/can-bo/ho-so/{dossier.code}/phieu-kiem-soat.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert re.findall(rf"{EARLY}|{ON_TIME}|{LATE}", pdf_text(response.content))[:6] == [
        result for _kind, _due, result in EXPECTED[:6]
    ]


def test_form_02_lists_the_items(client, official, dossier):
    client.force_login(official)
    response = client.get(f"/can-bo/ho-so/{dossier.code}/mau-02.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    for item in ITEMS:
        assert item in " ".join(text.split())
    assert "Hồ sơ thiếu giấy tờ" in text
    assert dossier.code in text


def test_a_form_without_its_event_is_not_found(client, official, dossier):
    client.force_login(official)
    for number in ("03", "04", "05", "01", "99"):
        assert client.get(f"/can-bo/ho-so/{dossier.code}/mau-{number}.pdf").status_code == 404


@pytest.mark.parametrize(
    ("number", "setup", "expected"),
    [
        ("03", "refuse", ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Không thuộc thẩm quyền"]),
        ("04", "extend", ["VĂN BẢN XIN LỖI", "Cần xác minh thêm", "17 giờ 00 phút, ngày 20/03/2026"]),
        ("05", "stop", ["THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Người yêu cầu không bổ sung"]),
    ],
)
def test_forms_03_to_05(client, official, citizen, number, setup, expected):
    office = make_office("32002", "000.00.26.H12")
    dossier = submit(
        make_version(days=5), office, channel=2, when=at("2026-03-10 08:00"), applicant_user=citizen
    )
    t = transitions
    if setup == "refuse":
        t.dossier_refuse_at_intake(
            dossier=dossier, actor=official, reasons="Không thuộc thẩm quyền", at=at("2026-03-10 08:10")
        )
    else:
        t.dossier_accept(dossier=dossier, actor=official, at=at("2026-03-10 08:10"))
        if setup == "extend":
            t.dossier_extend(
                dossier=dossier,
                actor=official,
                new_due_at=at("2026-03-20 17:00"),
                reason="Cần xác minh thêm",
                at=at("2026-03-11 09:00"),
            )
        else:
            t.dossier_stop(
                dossier=dossier,
                actor=official,
                reason="Người yêu cầu không bổ sung",
                at=at("2026-03-11 09:00"),
            )
    client.force_login(official)
    response = client.get(f"/can-bo/ho-so/{dossier.code}/mau-{number}.pdf")
    assert response.status_code == 200
    text = " ".join(pdf_text(response.content).split())
    for fragment in expected:
        assert fragment in text


def test_another_commune_gets_404(client, stranger, dossier):
    client.force_login(stranger)
    assert client.get(f"/can-bo/ho-so/{dossier.code}/mau-02.pdf").status_code == 404
    assert client.get(f"/can-bo/ho-so/{dossier.code}/phieu-kiem-soat.pdf").status_code == 404


def test_a_citizen_may_not_print(client, citizen, dossier):
    client.force_login(citizen)
    assert client.get(f"/can-bo/ho-so/{dossier.code}/mau-02.pdf").status_code == 403


def test_notices_are_numbered_per_office_form_and_year(official):
    office = make_office("32002", "000.00.26.H12")
    version = make_version()
    numbers = []
    for day in ("2026-03-10 08:00", "2026-03-11 08:00"):
        dossier = submit(version, office, channel=2, when=at(day))
        transitions.dossier_refuse_at_intake(
            dossier=dossier, actor=official, reasons="Sai thẩm quyền", at=at(day)
        )
        numbers.append(form_context(dossier, "03")["form_number"])
    other = submit(version, office, channel=2, when=at("2026-03-12 08:00"))
    transitions.dossier_request_supplement(
        dossier=other, actor=official, items=["CCCD"], reason="Thiếu", at=at("2026-03-12 08:00")
    )
    late = submit(version, office, channel=2, when=at("2027-01-04 08:00"))
    transitions.dossier_refuse_at_intake(
        dossier=late, actor=official, reasons="Sai", at=at("2027-01-04 08:00")
    )
    assert numbers == ["1/2026", "2/2026"]
    assert form_context(other, "02")["form_number"] == "1/2026"  # each form counts on its own
    assert form_context(late, "03")["form_number"] == "1/2027"  # and starts again each year
    assert "Số: 1/2027" in render_to_string("dossiers/pdf/form_03.html", form_context(late, "03"))


def test_the_control_slip_names_route_steps_and_judges_them(official):
    from congso.dossiers import steps
    from congso.dossiers.constants import StepKind

    office = make_office("32002", "000.00.26.H12")
    version = make_version(days=10)
    version.route = [{"stage": 1, "label": "Thẩm định", "role": "one_stop_officer", "share": 50}]
    version.save(update_fields=["route"])
    dossier = submit(version, office, channel=2, when=at("2026-03-10 08:00"))
    transitions.dossier_accept(dossier=dossier, actor=official, at=at("2026-03-10 08:00"))
    transitions.dossier_start_processing(dossier=dossier, actor=official, at=at("2026-03-10 08:30"))
    step = dossier.steps.get()
    consult = steps.dossier_consult(
        dossier=dossier, actor=official, body="Công an xã", question="?", days=1, at=at("2026-03-10 09:00")
    )
    steps.consult_answer(step=consult, actor=official, answer="Đồng ý", at=at("2026-03-12 09:00"))  # late
    steps.step_complete(step=step, actor=official, at=at("2026-03-11 09:00"))  # long before its due
    assert consult.kind == StepKind.CONSULT
    rows = {row.step: row.result for row in control_slip_rows(dossier, now=at("2026-03-13 09:00"))}
    assert rows["Xin ý kiến cơ quan liên quan: Công an xã"] == ""
    assert rows["Nhận ý kiến cơ quan liên quan: Công an xã"] == "Quá hạn"
    assert rows["Hoàn thành bước xử lý: Thẩm định"] == "Trước hạn"
