import io
import re
import time
import unicodedata

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image

from congso.catalog.models import Procedure
from congso.catalog.posters import POSTER_TITLE, poster_context
from congso.catalog.views import qr
from congso.core.pdf import html_to_pdf
from congso.geo.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

PUBLIC = "https://dichvucong.camau.gov.vn"
SVG_PAGE_CSS = "@page { size: 60mm; margin: 5mm } svg { width: 50mm; height: 50mm }"
CHOOSE_CENTRE = "Hãy chọn trung tâm phục vụ trong danh sách."
UNKNOWN_CODES = "Mã thủ tục không có hoặc không còn áp dụng:"
NAMES = [
    "Đăng ký khai sinh",
    "Đăng ký kết hôn",
    "Đăng ký khai tử",
    "Liên thông các thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế "
    "cho trẻ em dưới 6 tuổi",
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của Việt Nam cấp "
    "hoặc chứng nhận",
    "Cấp bản sao trích lục hộ tịch",
    "Xác nhận thông tin hộ tịch",
    "Đăng ký giám hộ",
    "Đăng ký nhận cha, mẹ, con",
    "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và trường "
    "hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)",
    "Thay đổi, cải chính, bổ sung thông tin hộ tịch",
    "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
]


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.CONGSO_PUBLIC_BASE_URL = PUBLIC


@pytest.fixture
def procedures():
    """30 commune procedures, most popular first, and two that a poster must never offer by default."""
    made = [
        Procedure.objects.create(
            code=f"1.{1000 + number:06d}",
            name=NAMES[number % len(NAMES)],
            at_commune=True,
            popularity=100 - number,
        )
        for number in range(30)
    ]
    Procedure.objects.create(code="2.000001", name="Cấp giấy phép xây dựng", at_province=True, popularity=999)
    Procedure.objects.create(
        code="2.000002", name="Đăng ký lại khai sinh", at_commune=True, popularity=998, is_active=False
    )
    return made


@pytest.fixture
def dat_mui():
    return AdministrativeUnit.objects.get(code="32248")


def submission_url(code: str) -> str:
    return f"{PUBLIC}/thu-tuc/{code}/nop/"


def pdf_pages(pdf: bytes) -> list[tuple[str, Image.Image]]:
    """Each page's text (NFC, whitespace collapsed) and its picture at 216 dpi."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            text = unicodedata.normalize("NFC", page.get_textpage().get_text_range())
            pages.append((" ".join(text.split()), page.render(scale=3).to_pil()))
        return pages
    finally:
        document.close()


def read_qr_codes(image: Image.Image) -> list[zxingcpp.Barcode]:
    return zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)


@pytest.fixture
def staff_client(client, official):
    client.force_login(official)
    return client


def poster_get(client, unit: str, codes: str):
    return client.get(reverse("catalog:poster"), {"don-vi": unit, "ma": codes})


# --- QR codes of a procedure -------------------------------------------------------------------------------


def test_svg_qr_reads_back_as_the_submission_url(client, procedures):
    code = procedures[0].code
    response = client.get(reverse("catalog:procedure_qr", args=[code, "svg"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    pdf = html_to_pdf(f"<style>{SVG_PAGE_CSS}</style>{response.content.decode()}")
    [(_, image)] = pdf_pages(pdf)
    [found] = read_qr_codes(image)
    assert found.text == submission_url(code)
    assert found.ec_level == "H"


def test_png_qr_reads_back_as_the_submission_url(client, procedures):
    code = procedures[1].code
    response = client.get(reverse("catalog:procedure_qr", args=[code, "png"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"]
    [found] = read_qr_codes(Image.open(io.BytesIO(response.content)))
    assert found.text == submission_url(code)
    assert found.ec_level == "H"


@pytest.mark.parametrize(
    ("code", "fmt"), [("9.999999", "svg"), ("9.999999", "png"), ("2.000002", "svg"), ("1.001000", "gif")]
)
def test_qr_of_an_unknown_or_retired_procedure_is_a_vietnamese_404(client, procedures, code, fmt):
    response = client.get(reverse("catalog:procedure_qr", args=[code, fmt]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


# --- The poster form ---------------------------------------------------------------------------------------


def test_poster_form_offers_the_communes_and_the_most_requested_procedures(staff_client, procedures):
    response = staff_client.get(reverse("catalog:poster"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<option value="32248">Xã Đất Mũi</option>' in body
    assert '<option value="32002">Phường An Xuyên</option>' in body
    textarea = re.search(r'<textarea name="ma"[^>]*>(.*?)</textarea>', body, re.S).group(1)
    assert textarea.split() == [procedure.code for procedure in procedures[:12]]
    assert "2.000001" not in body  # province level
    assert "2.000002" not in body  # no longer in use
    assert not re.search(r"\sstyle=", body)
    for attrs in re.findall(r"<script([^>]*)>", body):
        assert "src=" in attrs


@pytest.mark.parametrize(
    ("unit", "codes", "message"),
    [
        ("", "1.001000", CHOOSE_CENTRE),
        ("99999", "1.001000", CHOOSE_CENTRE),
        ("01", "1.001000", CHOOSE_CENTRE),  # Hà Nội: a province, and not Cà Mau
        ("32248", " , \n", "Hãy nhập ít nhất một mã thủ tục."),
        ("32248", "1.001000, 9.999999\n2.000002", f"{UNKNOWN_CODES} 9.999999, 2.000002."),
        (
            "32248",
            ",".join(f"1.{1000 + number:06d}" for number in range(25)),
            "Một áp phích có tối đa 24 thủ tục; bạn đã nhập 25.",
        ),
    ],
)
def test_poster_form_explains_bad_input_in_vietnamese(staff_client, procedures, unit, codes, message):
    response = poster_get(staff_client, unit, codes)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert '<ul class="errorlist"' in body
    assert message in body


def test_poster_codes_may_be_on_lines_or_comma_separated_and_repeat(staff_client, procedures, dat_mui):
    form = qr.PosterForm({"don-vi": "32248", "ma": "1.001002\r\n1.001000, 1.001001;1.001002\n\n"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["unit"] == dat_mui
    codes = [procedure.code for procedure in form.cleaned_data["codes"]]
    assert codes == ["1.001002", "1.001000", "1.001001"]


# --- The poster itself -------------------------------------------------------------------------------------


def test_poster_pdf_is_a_vietnamese_a4_sheet_whose_codes_all_scan(staff_client, procedures):
    chosen = procedures[:12]
    response = poster_get(staff_client, "32248", "\n".join(procedure.code for procedure in chosen))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="ap-phich-32248.pdf"'
    assert response.content.startswith(b"%PDF-")

    document = pdfium.PdfDocument(response.content)
    assert len(document) == 1
    width, height = document[0].get_size()
    document.close()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4 portrait

    [(text, image)] = pdf_pages(response.content)
    assert "Quét mã QR để nộp hồ sơ trực tuyến" in text
    assert "Trung tâm Phục vụ hành chính công xã Đất Mũi" in text
    assert f"Tra cứu thủ tục, nộp và theo dõi hồ sơ tại {PUBLIC}" in text
    for procedure in chosen:
        assert f"{procedure.code} {procedure.name}" in text
    found = read_qr_codes(image)
    assert sorted(code.text for code in found) == sorted(submission_url(p.code) for p in chosen)
    assert {code.ec_level for code in found} == {"H"}


def test_a_poster_of_24_procedures_breaks_into_two_whole_sheets(staff_client, procedures):
    chosen = procedures[:24]
    started = time.perf_counter()
    response = poster_get(staff_client, "32002", ",".join(procedure.code for procedure in chosen))
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    pages = pdf_pages(response.content)
    assert len(pages) == 2
    for number, (text, image) in enumerate(pages, start=1):
        expected = chosen[(number - 1) * 12 : number * 12]
        # Every sheet is a whole poster: heading, centre, footer.
        assert POSTER_TITLE in text
        assert "Trung tâm Phục vụ hành chính công phường An Xuyên" in text
        assert f"Trang {number}/2" in text
        assert PUBLIC in text
        for procedure in expected:
            assert procedure.name in text
        # A QR cut by the page edge would not decode; each one is whole, inside the page, and large enough.
        found = read_qr_codes(image)
        assert sorted(code.text for code in found) == sorted(submission_url(p.code) for p in expected)
        dots_per_mm = image.width / 210
        for code in found:
            corners = [code.position.top_left, code.position.top_right, code.position.bottom_left]
            assert all(0 < c.x < image.width and 0 < c.y < image.height for c in corners)
            assert (code.position.top_right.x - code.position.top_left.x) / dots_per_mm > 25
    assert elapsed < 10  # typically about half a second


def test_poster_context_keeps_the_order_and_three_columns(procedures, dat_mui):
    context = poster_context(unit=dat_mui, procedures=procedures[:14])
    assert [len(row) for sheet in context["sheets"] for row in sheet] == [3, 3, 3, 3, 2]
    assert [card["code"] for sheet in context["sheets"] for row in sheet for card in row] == [
        procedure.code for procedure in procedures[:14]
    ]
    assert context["province_name"] == "Tỉnh Cà Mau"


def test_poster_is_for_officials_only(client, citizen, procedures):
    response = client.get(reverse("catalog:poster"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    client.force_login(citizen)
    response = client.get(reverse("catalog:poster"))
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()
