import unicodedata
from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image

from congso.catalog.constants import Channel, TimeUnit
from congso.catalog.models import DossierComponent, FeeItem, Procedure, ProcedureVersion, ProcessingTime
from congso.dossiers.constants import DossierStatus
from congso.dossiers.models import Dossier, DossierDocument, ReceivingOffice
from congso.dossiers.receipts import (
    format_duration,
    format_moment,
    format_vnd,
    receipt_context,
    receipt_pdf,
    tracking_url,
)
from congso.geo.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

PUBLIC = "https://dichvucong.camau.gov.vn"
CODE = "000.00.01.H12-260303-0007"
KEY = "K7M2QX"
TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
PROCEDURE_NAME = "Đăng ký khai sinh"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED = datetime(2026, 3, 3, 1, 5, tzinfo=UTC)  # 08:05 in Việt Nam
DUE = datetime(2026, 3, 12, 16, 30, tzinfo=VN)
COMPONENTS = [
    ("Tờ khai đăng ký khai sinh theo mẫu", 1, None, None),
    ("Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp", 1, None, None),
    ("Giấy chứng nhận kết hôn của cha, mẹ trẻ em (nếu có)", None, 1, 1),
    ("Văn bản ủy quyền có chứng thực, nếu người đi đăng ký không phải là cha, mẹ", 1, 1, None),
]


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.CONGSO_PUBLIC_BASE_URL = f"{PUBLIC}/"


@pytest.fixture
def office():
    return ReceivingOffice.objects.create(
        unit=AdministrativeUnit.objects.get(code="32248"),
        code="000.00.01.H12",
        name="Trung tâm Phục vụ hành chính công xã Đất Mũi",
        address="Ấp Ông Trang, xã Đất Mũi, tỉnh Cà Mau",
    )


@pytest.fixture
def version():
    procedure = Procedure.objects.create(code="1.001193", name=PROCEDURE_NAME, at_commune=True)
    version = ProcedureVersion.objects.create(procedure=procedure, is_structured=True)
    for position, (name, originals, certified, photocopies) in enumerate(COMPONENTS):
        DossierComponent.objects.create(
            version=version,
            position=position,
            name=name,
            originals=originals,
            certified_copies=certified,
            photocopies=photocopies,
            required=position < 2,
        )
    ProcessingTime.objects.create(
        version=version, channel=Channel.IN_PERSON, value=7, unit=TimeUnit.WORKING_DAYS
    )
    FeeItem.objects.create(version=version, position=0, name="Lệ phí đăng ký khai sinh", amount_vnd=0)
    FeeItem.objects.create(
        version=version,
        position=1,
        channel=Channel.IN_PERSON,
        name="Phí cấp bản sao trích lục",
        amount_vnd=8000,
    )
    FeeItem.objects.create(
        version=version, position=2, channel=Channel.ONLINE, name="Phí trực tuyến", amount_vnd=4000
    )
    return version


@pytest.fixture
def make_dossier(office, version):
    def make(**fields) -> Dossier:
        values = {
            "code": CODE,
            "lookup_key": KEY,
            "version": version,
            "procedure": version.procedure,
            "office": office,
            "channel": Channel.IN_PERSON,
            "status": DossierStatus.RECEIVED,
            "applicant_name": "Nguyễn Thị Ánh Tuyết",
            "applicant_id_number": "096185001234",
            "applicant_phone": "0912345678",
            "applicant_email": "tuyet@example.vn",
            "applicant_address": "Ấp Mũi, xã Đất Mũi, tỉnh Cà Mau",
            "submitted_at": RECEIVED,
            "received_at": RECEIVED,
            "due_at": DUE,
        }
        return Dossier.objects.create(**(values | fields))

    return make


def pdf_pages(pdf: bytes, *, scale: float = 0) -> list[tuple[str, Image.Image | None]]:
    """Each page's text (NFC, whitespace collapsed) and, with a scale, its picture."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            text = unicodedata.normalize("NFC", page.get_textpage().get_text_range())
            pages.append((" ".join(text.split()), page.render(scale=scale).to_pil() if scale else None))
        return pages
    finally:
        document.close()


def page_size_mm(pdf: bytes) -> list[tuple[float, float]]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [(page.get_width() / 72 * 25.4, page.get_height() / 72 * 25.4) for page in document]
    finally:
        document.close()


def receipt_text(dossier: Dossier) -> str:
    [(text, _)] = pdf_pages(receipt_pdf(dossier))
    return text


# --- The receipt -------------------------------------------------------------------------------------------


def test_receipt_is_one_a5_page_with_every_field_of_form_01(make_dossier):
    pdf = receipt_pdf(make_dossier())
    assert pdf.startswith(b"%PDF-")
    [(width, height)] = page_size_mm(pdf)
    assert width == pytest.approx(148, abs=1)
    assert height == pytest.approx(210, abs=1)
    [(text, _)] = pdf_pages(pdf)
    for expected in [
        "ỦY BAN NHÂN DÂN XÃ ĐẤT MŨI",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ ĐẤT MŨI",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Đất Mũi, ngày 03 tháng 03 năm 2026",
        TITLE,
        f"Mã hồ sơ: {CODE}",
        "Quét mã để tra cứu hồ sơ",
        f"Mã tra cứu: {KEY}",
        "Chủ hồ sơ: Nguyễn Thị Ánh Tuyết",
        # The applicant's own paper: ID number and phone in full.
        "Số định danh cá nhân: 096185001234",
        "Số điện thoại: 0912345678",
        "Thư điện tử: tuyet@example.vn",
        "Địa chỉ: Ấp Mũi, xã Đất Mũi, tỉnh Cà Mau",
        f"Nội dung yêu cầu giải quyết: {PROCEDURE_NAME}",
        "TT Tên giấy tờ Bản chính Bản sao Bản chụp",
        "1 Tờ khai đăng ký khai sinh theo mẫu 1",
        "4 Văn bản ủy quyền có chứng thực, nếu người đi đăng ký không phải là cha, mẹ (nếu có) 1 1",
        "Số lượng hồ sơ: 01 bộ",
        "Thời hạn giải quyết: 07 ngày làm việc",
        "Thời gian nhận hồ sơ: 08 giờ 05 phút, ngày 03/03/2026",
        "Thời gian trả kết quả: 16 giờ 30 phút, ngày 12/03/2026",
        "Nơi nhận kết quả: Trung tâm Phục vụ hành chính công xã Đất Mũi, Ấp Ông Trang, xã Đất Mũi, "
        "tỉnh Cà Mau",
        "Lệ phí đăng ký khai sinh: Miễn phí",
        "Phí cấp bản sao trích lục: 8.000 đồng",
        "NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên)",
        "NGƯỜI TIẾP NHẬN (Ký và ghi rõ họ tên)",
        "Trang 1/1",
    ]:
        assert expected in text
    # "(nếu có)" is not repeated for a name that already says it, nor added to a required document.
    assert "trẻ em (nếu có) (nếu có)" not in text
    assert "theo mẫu (nếu có)" not in text
    assert "Phí trực tuyến" not in text  # the online channel's fee
    assert "Hồ sơ nộp trực tuyến" not in text


def test_receipt_barcode_and_qr_scan_back(make_dossier):
    dossier = make_dossier()
    [(_, image)] = pdf_pages(receipt_pdf(dossier), scale=4)
    found = zxingcpp.read_barcodes(
        image, formats=(zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.QRCode)
    )
    [barcode] = [code for code in found if code.format == zxingcpp.BarcodeFormat.Code128]
    [qr] = [code for code in found if code.format == zxingcpp.BarcodeFormat.QRCode]
    assert barcode.text == CODE
    assert qr.text == f"{PUBLIC}/tra-cuu/?ma={CODE}&khoa={KEY}" == tracking_url(dossier)
    assert qr.ec_level == "H"
    # Printed at least 0.25 mm a module: at 288 dpi the bars span over 70 mm.
    dots_per_mm = image.width / 148
    assert (barcode.position.top_right.x - barcode.position.top_left.x) / dots_per_mm > 70


def test_online_dossier_not_yet_accepted_shows_when_it_was_submitted(make_dossier):
    submitted = datetime(2026, 3, 2, 21, 40, tzinfo=VN)
    text = receipt_text(
        make_dossier(
            channel=Channel.ONLINE,
            status=DossierStatus.SUBMITTED,
            submitted_at=submitted,
            received_at=None,
            due_at=None,
        )
    )
    assert "Thời gian nộp hồ sơ trực tuyến: 21 giờ 40 phút, ngày 02/03/2026" in text
    assert "Thời gian nhận hồ sơ" not in text
    assert "NGƯỜI NỘP HỒ SƠ Hồ sơ nộp trực tuyến" in text
    assert "NGƯỜI TIẾP NHẬN (Ký và ghi rõ họ tên)" in text
    # No processing time of its own: the one at the counter, which the deadline is computed from.
    assert "Thời hạn giải quyết: 07 ngày làm việc" in text
    assert "Phí trực tuyến: 4.000 đồng" in text
    assert "Phí cấp bản sao trích lục" not in text


def test_online_dossier_once_accepted_shows_when_it_was_received(make_dossier):
    text = receipt_text(
        make_dossier(channel=Channel.ONLINE, submitted_at=RECEIVED - timezone.timedelta(days=1))
    )
    assert "Thời gian nhận hồ sơ: 08 giờ 05 phút, ngày 03/03/2026" in text
    assert "Hồ sơ nộp trực tuyến" in text


def test_unknown_deadline_time_and_fees_are_never_invented(make_dossier, version):
    version.processing_times.all().delete()
    version.fees.all().delete()
    version.is_structured = False
    version.save(update_fields=["is_structured"])
    text = receipt_text(make_dossier(due_at=None, applicant_email=""))
    assert "Thời gian trả kết quả: Sẽ thông báo sau" in text
    assert "Thời hạn giải quyết: Theo quy định" in text
    assert "Phí, lệ phí: Theo quy định" in text
    assert "Thư điện tử: ……………" in text


def test_without_structured_components_the_documents_received_are_listed(make_dossier, version):
    version.components.all().delete()
    dossier = make_dossier()
    for label, pages in [("Tờ khai đăng ký khai sinh", 1), ("Giấy chứng sinh", None)]:
        DossierDocument.objects.create(
            dossier=dossier,
            label=label,
            file="dossiers/x.pdf",
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
            page_count=pages,
        )
    text = receipt_text(dossier)
    assert "TT Tên giấy tờ Hình thức" in text
    assert "1 Tờ khai đăng ký khai sinh Bản điện tử (1 trang)" in text
    assert "2 Giấy chứng sinh Bản điện tử" in text


def test_a_long_component_list_flows_onto_a_second_page(make_dossier, version):
    for position in range(4, 24):
        DossierComponent.objects.create(
            version=version,
            position=position,
            name=f"Giấy tờ kèm theo số {position + 1} theo quy định",
            originals=1,
        )
    pdf = receipt_pdf(make_dossier())
    assert page_size_mm(pdf) == [pytest.approx((148, 210), abs=1)] * 2
    [(first, _), (second, _)] = pdf_pages(pdf)
    whole = f"{first} {second}"
    for position in range(1, 25):
        assert whole.count(f"{position} ") >= 1
    assert "Giấy tờ kèm theo số 24 theo quy định" in whole
    # The table's header repeats, the signatures stay together, and every page says whose paper it is.
    assert second.count("TT Tên giấy tờ Bản chính Bản sao Bản chụp") == 1
    assert "NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên) NGƯỜI TIẾP NHẬN (Ký và ghi rõ họ tên)" in second
    assert f"Mã hồ sơ {CODE}" in first
    assert f"Mã hồ sơ {CODE}" in second
    assert "Trang 2/2" in second


# --- Pieces ------------------------------------------------------------------------------------------------


def test_tracking_url_encodes_the_code_and_key(settings):
    settings.CONGSO_PUBLIC_BASE_URL = "https://dvc.example.vn/"
    dossier = Dossier(code="A&B 1", lookup_key="K=2")
    assert tracking_url(dossier) == "https://dvc.example.vn/tra-cuu/?ma=A%26B+1&khoa=K%3D2"


def test_context_says_what_the_template_prints(make_dossier, official):
    dossier = make_dossier()
    dossier.events.create(kind="received", at=RECEIVED, actor=official)
    context = receipt_context(dossier)
    assert context["receiver_name"] == "Trần Thị B"
    assert context["processing_time"] == "07 ngày làm việc"
    assert [fee["amount"] for fee in context["fees"]] == ["Miễn phí", "8.000 đồng"]
    assert "<svg" in context["barcode"]
    assert "<svg" in context["qr"]


@pytest.mark.parametrize(
    ("amount", "words"),
    [(0, "Miễn phí"), (8000, "8.000 đồng"), (1_500_000, "1.500.000 đồng"), (500, "500 đồng")],
)
def test_format_vnd(amount, words):
    assert format_vnd(amount) == words


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [
        (Decimal("7.00"), TimeUnit.WORKING_DAYS, "07 ngày làm việc"),
        (Decimal("15"), TimeUnit.DAYS, "15 ngày"),
        (Decimal("0.50"), TimeUnit.WORKING_DAYS, "0,5 ngày làm việc"),
        (Decimal("4"), TimeUnit.HOURS, "04 giờ làm việc"),
    ],
)
def test_format_duration(value, unit, words):
    assert format_duration(value, unit) == words


def test_format_moment_is_in_vietnam_time_whatever_zone_is_active():
    with timezone.override(ZoneInfo("Europe/Paris")):
        assert format_moment(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == "00 giờ 00 phút, ngày 01/01/2027"
