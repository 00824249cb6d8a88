import datetime
import io
import unicodedata

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from congso.dossiers import transitions
from congso.dossiers.register import COLUMNS, HEADER_ROW, register_dossiers
from congso.dossiers.tests.factories import VN, at, make_office, make_version, submit

pytestmark = pytest.mark.django_db

URL = "/can-bo/so-theo-doi/"


def naive(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(tzinfo=None)


@pytest.fixture
def dossiers(official):
    version = make_version(days=3)
    office = make_office("32002", "000.00.26.H12")  # the official's commune
    other = make_office("32248", "000.00.01.H12")  # another commune
    first = submit(version, office, when=at("2026-03-10 08:00"))  # at the counter: received at once
    transitions.dossier_start_processing(dossier=first, actor=official, at=at("2026-03-10 09:30"))
    transitions.dossier_approve(dossier=first, actor=official, at=at("2026-03-11 10:00"))
    transitions.dossier_return_result(
        dossier=first, actor=official, method="in_person", at=at("2026-03-11 15:00")
    )
    second = submit(version, office, when=at("2026-03-12 14:00"))
    outside = submit(version, office, when=at("2026-03-16 08:00"))
    online = submit(version, office, channel=2, when=at("2026-03-11 08:00"))  # never accepted
    elsewhere = submit(version, other, when=at("2026-03-11 08:00"))
    first.refresh_from_db()
    return {"first": first, "second": second, "outside": outside, "online": online, "elsewhere": elsewhere}


def test_the_register_is_scoped_and_ordered(official, dossiers):
    found = register_dossiers(
        user=official, date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 15)
    )
    assert [dossier.code for dossier in found] == [dossiers["first"].code, dossiers["second"].code]


def test_the_workbook(client, official, dossiers):
    client.force_login(official)
    response = client.get(URL, {"tu": "2026-03-01", "den": "2026-03-15", "dinh-dang": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    assert headers == [header for header, _width in COLUMNS]
    assert all(cell.font.bold for cell in sheet[HEADER_ROW])
    assert sheet.column_dimensions["C"].width == 40
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert len(rows) == 2
    first, second = dossiers["first"], dossiers["second"]
    assert rows[0][:7] == [
        1,
        first.code,
        "Thủ tục đăng ký khai sinh",
        1,
        "Nguyễn Thị Hoa",
        "09******78",
        "Ủy ban nhân dân " + first.office.unit.full_name[:1].lower() + first.office.unit.full_name[1:],
    ]
    received, due, sent, result, returned = rows[0][7:12]
    assert received == datetime.datetime(2026, 3, 10, 8, 0)
    assert due == naive(first.due_at.astimezone(VN))
    assert sent == datetime.datetime(2026, 3, 10, 9, 30)
    assert result == datetime.datetime(2026, 3, 11, 10, 0)
    assert returned == datetime.datetime(2026, 3, 11, 15, 0)
    assert all(type(value) is datetime.datetime for value in (received, due, sent, result, returned))
    assert sheet.cell(row=HEADER_ROW + 1, column=8).number_format == "dd/mm/yyyy hh:mm"
    assert rows[1][0] == 2
    assert rows[1][1] == second.code
    assert rows[1][7] == datetime.datetime(2026, 3, 12, 14, 0)
    assert rows[1][9:12] == [None, None, None]


def test_the_pdf(client, official, dossiers):
    client.force_login(official)
    response = client.get(URL, {"tu": "2026-03-01", "den": "2026-03-15", "dinh-dang": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    document = pdfium.PdfDocument(response.content)
    width, height = document[0].get_size()
    assert width > height  # landscape
    text = unicodedata.normalize("NFC", "\n".join(page.get_textpage().get_text_range() for page in document))
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Từ ngày 01/03/2026 đến ngày 15/03/2026" in text
    assert dossiers["first"].code in text
    assert dossiers["elsewhere"].code not in text
    assert dossiers["outside"].code not in text


def test_another_commune_sees_only_its_own(client, dossiers):
    from congso.accounts.constants import StaffRole
    from congso.accounts.services import role_grant
    from congso.conftest import make_user, unit

    stranger = make_user("motcua.datmui@example.vn")
    role_grant(user=stranger, role=StaffRole.ONE_STOP_OFFICER, unit=unit("32248"))
    client.force_login(stranger)
    response = client.get(URL, {"tu": "2026-03-01", "den": "2026-03-15"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = [row[1] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert codes == [dossiers["elsewhere"].code]


def test_bad_ranges_are_refused(client, official):
    client.force_login(official)
    assert client.get(URL, {"tu": "2026-03-15", "den": "2026-03-01"}).status_code == 400
    assert client.get(URL, {"tu": "2024-01-01", "den": "2026-03-01"}).status_code == 400
    assert client.get(URL, {"tu": "hôm qua"}).status_code == 400
    assert client.get(URL, {"dinh-dang": "docx"}).status_code == 400
    assert client.get(URL).status_code == 200  # the current month


def test_a_citizen_may_not_download(client, citizen):
    client.force_login(citizen)
    assert client.get(URL).status_code == 403
