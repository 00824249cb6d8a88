import csv
import unicodedata
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from congso.catalog.constants import Channel, TimeUnit
from congso.catalog.importers import (
    NO_INFORMATION,
    SEVERAL_TIMES_NOTE,
    SHARED_FILES,
    ParsedComponent,
    ParsedTime,
    bqp_legal_basis,
    parse_bqp_components,
    parse_fees,
    parse_levels,
    parse_processing_times,
    procedures_load_shared,
    times_by_channel,
)
from congso.catalog.models import DossierComponent, FeeItem, Procedure, ProcedureVersion, ProcessingTime

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_FILES = {
    "dvcqg": FIXTURES / "tthc_dvcqg_7nganh.csv",
    "cap_xa": FIXTURES / "tthc_cap_xa.csv",
    "bqp": FIXTURES / "tthc_bqp.csv",
}
IN_PERSON, ONLINE, POST = Channel.IN_PERSON, Channel.ONLINE, Channel.POST
WD, DAYS, HOURS, NO_UNIT = TimeUnit.WORKING_DAYS, TimeUnit.DAYS, TimeUnit.HOURS, TimeUnit.UNSPECIFIED


def fixture_rows(key: str) -> dict[str, dict[str, str]]:
    with FIXTURE_FILES[key].open(encoding="utf-8", newline="") as fh:
        return {row["ma_thu_tuc"]: row for row in csv.DictReader(fh)}


# --- parsers: every string below is copied from the data files


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Trực tuyến: 5 Ngày làm việc | Trực tiếp: 5 Ngày làm việc",
            [(ONLINE, Decimal(5), WD), (IN_PERSON, Decimal(5), WD)],
        ),
        ("Trực tiếp: 30 Ngày làm việc", [(IN_PERSON, Decimal(30), WD)]),
        # khai sinh: the source gives no unit, and none is invented
        (
            "Trực tuyến: 1 | Dịch vụ bưu chính: 1 | Trực tiếp: 1",
            [(ONLINE, Decimal(1), NO_UNIT), (POST, Decimal(1), NO_UNIT), (IN_PERSON, Decimal(1), NO_UNIT)],
        ),
        ("Trực tiếp: 10 Ngày | Trực tiếp: 10 Ngày", [(IN_PERSON, Decimal(10), DAYS)] * 2),
        ("Trực tiếp: 1 Ngày làm việc | Trực tuyến: 02 Giờ", [(IN_PERSON, 1, WD), (ONLINE, 2, HOURS)]),
        (
            "Trực tiếp: 01 Giờ | Trực tiếp: 0.5 Giờ",
            [(IN_PERSON, 1, HOURS), (IN_PERSON, Decimal("0.5"), HOURS)],
        ),
        ("Trực tuyến: 1.5 Ngày làm việc", [(ONLINE, Decimal("1.5"), WD)]),
        ("Trực tiếp: 0,5 ngày làm việc", [(IN_PERSON, Decimal("0.5"), WD)]),
        ("Trực tiếp: 4 Giờ làm việc", [(IN_PERSON, 4, HOURS)]),
        ("Trực tiếp: 0 Giờ", [(IN_PERSON, 0, HOURS)]),
        ("5 ngày làm việc", [(None, 5, WD)]),  # officials' lists: no channel
        ("", []),
    ],
)
def test_processing_times(text, expected):
    parsed = parse_processing_times(text)
    assert [(t.channel, t.value, t.unit) for t in parsed] == expected
    assert all(t.parsed for t in parsed)


@pytest.mark.parametrize(
    "text",
    [
        "Trực tiếp: 6 Tháng",  # there is no month unit: never turn it into days
        "Trực tiếp: 10-25",
        "Trực tuyến: Không có thông tin",
        "Trực tiếp: Không quy định",
        "Trực tiếp: Chậm nhất là ngay trước khi tàu rời cảng",
    ],
)
def test_processing_times_not_understood_keep_the_text(text):
    [time] = parse_processing_times(text)
    assert time.value is None
    assert time.unit == NO_UNIT
    assert time.raw == text.split(": ", 1)[1]


def test_processing_times_read_decomposed_text():
    [time] = parse_processing_times(unicodedata.normalize("NFD", "Trực tuyến: 5 Ngày làm việc"))
    assert (time.channel, time.value, time.unit) == (ONLINE, 5, WD)


def test_one_time_per_channel():
    times = parse_processing_times(
        "Trực tuyến: 5 Ngày làm việc | Trực tiếp: 5 Ngày làm việc | Trực tuyến: 3 Ngày làm việc"
        " | Trực tiếp: 5 Ngày làm việc | Trực tiếp: "
    )
    by_channel = {t.channel: t for t in times_by_channel(times)}
    assert by_channel[IN_PERSON] == ParsedTime(IN_PERSON, Decimal(5), WD, "5 Ngày làm việc")
    assert by_channel[ONLINE] == ParsedTime(
        ONLINE, None, NO_UNIT, "5 Ngày làm việc | 3 Ngày làm việc", SEVERAL_TIMES_NOTE
    )
    # a time that names no channel holds for each
    assert [t.channel for t in times_by_channel(parse_processing_times("3 ngày làm việc"))] == list(Channel)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Trực tuyến: Miễn phí | Dịch vụ bưu chính: Miễn phí | Trực tiếp: Miễn phí",
            [(ONLINE, "Miễn phí", 0), (POST, "Miễn phí", 0), (IN_PERSON, "Miễn phí", 0)],
        ),
        ("Trực tiếp: Phí : 0 Đồng", [(IN_PERSON, "Phí", 0)]),
        ("Trực tiếp: Phí : Không Đồng", [(IN_PERSON, "Phí", 0)]),
        ("Lệ phí : 8.000 Đồng", [(None, "Lệ phí", 8000)]),
        ("Trực tiếp: Miễn phí(Không có)", [(IN_PERSON, "Miễn phí", 0)]),
        ("Miễn phíTrong thời hạn 20 ngày làm việc, kể từ ngày nhận đủ hồ sơ", [(None, "Miễn phí", 0)]),
        (
            "Trực tuyến: 200,000 Việt Nam Đồng(200.000 đồng/ hộ chiếu. Trường hợp cấp lại do bị hỏng hoặc bị "
            "mất: 400.000đ/hộ chiếu (Thông tư số 25/2021/TT-BTC ngày 07/4/2021 của Bộ Tài chính).)",
            [(ONLINE, "Phí, lệ phí", 200_000)],
        ),
        ("Trực tiếp: 800,000 Việt Nam ĐồngPhí: 800.000 đồng/hồ sơ", [(IN_PERSON, "Phí, lệ phí", 800_000)]),
        ("Trực tiếp: 1,200,000 VNĐ(Phí thẩm định)", [(IN_PERSON, "Phí, lệ phí", 1_200_000)]),
        (
            "Trực tiếp: Phí : 2.000.000 Đồng (Thẩm định cấp phép sử dụng vật liệu nổ công nghiệp phục vụ  "
            "nghiên cứu, kiểm định, thử nghiệm)\n"
            "Phí : 3.500.000 Đồng (Thẩm định cấp phép sử dụng vật liệu nổ công nghiệp phục vụ tìm kiếm, "
            "thăm dò, khai thác trên đất liền)",
            [(IN_PERSON, "Phí", 2_000_000), (IN_PERSON, "Phí", 3_500_000)],
        ),
        ("50.000 đồng", [(None, "Phí, lệ phí", 50_000)]),
        ("Trực tiếp:  | Trực tuyến:  | Dịch vụ bưu chính: ", []),
        ("", []),
    ],
)
def test_fees(text, expected):
    parsed = parse_fees(text)
    assert [(f.channel, f.name, f.amount_vnd) for f in parsed] == expected
    assert all(f.raw for f in parsed)


def test_fee_description_and_foreign_currency_are_kept():
    first, second = parse_fees(
        "Trực tiếp: Phí : 0.5 USD (Người nước ngoài dưới 16 tuổi)\n"
        "Lệ phí : 01 USD (Người nước ngoài từ 16 tuổi trở lên)"
    )
    assert (first.name, first.amount, first.currency, first.amount_vnd) == (
        "Phí",
        Decimal("0.5"),
        "USD",
        None,
    )
    assert first.note == "(Người nước ngoài dưới 16 tuổi)"
    assert first.raw == "Phí : 0.5 USD (Người nước ngoài dưới 16 tuổi)"
    assert (second.name, second.amount, second.currency) == ("Lệ phí", 1, "USD")
    [fee] = parse_fees("Trực tiếp: 200,000 Việt Nam Đồng(200.000 đồng/ hộ chiếu.)Nộp hồ sơ trực tiếp tại Cục")
    assert fee.note == "(200.000 đồng/ hộ chiếu.)Nộp hồ sơ trực tiếp tại Cục"


@pytest.mark.parametrize(
    "text",
    [
        "Trực tiếp: Phí : Mức thu bằng 50% mức thu phí quy định tại Mục I và Mục II Biểu mức thu phí",
        "Trực tiếp: Phí :  Đồng (Theo quy định của Bộ Tài chính)",
        "Trực tiếp: Phí : o Đồng",
        # the portal says free and then lists prices: claim neither
        "Trực tuyến: Miễn phí(20.000.000 đồng/lần)",
        # a few "VNĐ" that are thousands or dollars at source
        "Trực tiếp: 135 VNĐ(Lệ phí cấp giấy phép lái xe: 135.000 đồng/lần.)",
        "Trực tiếp: 155 VNĐ(Thẻ tạm trú có thời hạn từ trên 02 năm đến 05 năm: 155 USD/thẻ.)",
    ],
)
def test_fees_not_understood_keep_the_text(text):
    [fee] = parse_fees(text)
    assert fee.amount_vnd is None
    assert fee.raw == text.split(": ", 1)[1].strip()


def test_no_information_fee():
    [fee] = parse_fees(
        "Trực tiếp: Không có thông tin- Công an cấp tỉnh: 10 ngày kể từ ngày nhận đủ hồ sơ hợp lệ."
    )
    assert (fee.name, fee.amount) == (NO_INFORMATION, None)
    assert fee.note == "- Công an cấp tỉnh: 10 ngày kể từ ngày nhận đủ hồ sơ hợp lệ."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cấp xã", (False, False, True)),
        ("Cấp Xã", (False, False, True)),
        ("Cấp bộ, Cấp tỉnh, Cấp xã", (True, True, True)),
        ("Cấp Bộ, Cấp Tỉnh, Cấp Xã, Cơ quan khác", (True, True, True)),
        ("Cấp tỉnh, Cơ quan khác", (False, True, False)),
        ("Cơ quan khác", (False, False, False)),
        ("", (False, False, False)),
    ],
)
def test_levels(text, expected):
    assert parse_levels(text) == expected


def test_defence_components_and_legal_basis():
    row = fixture_rows("bqp")["1.013124"]
    assert parse_bqp_components(row["thanh_phan_ho_so_json"]) == [
        ParsedComponent("Văn bản đề nghị thẩm định và phê duyệt kế hoạch ứng phó sự cố tràn dầu.", 1, 0),
        ParsedComponent(
            "Kế hoạch ứng phó sự cố tràn dầu theo mẫu quy định tại Phụ lục II ban hành kèm theo Quyết định "
            "số 12/2021/QĐ-TTg ngày 24/3/2021 của Thủ tướng Chính phủ",
            1,
            0,
            template_name="5-PHLCII.doc",
        ),
    ]
    assert bqp_legal_basis(row["can_cu_phap_ly_json"]).startswith(
        "- Quyết định số 12/2021/QĐ-TTg ngày 24/3/2021 của Thủ tướng Chính phủ ban hành Quy chế"
    )


# --- loading the shared files


@pytest.fixture
def loaded(db):
    return procedures_load_shared(paths=FIXTURE_FILES)


def snapshot() -> list:
    return [
        list(model.objects.order_by("pk").values())
        for model in (Procedure, ProcedureVersion, ProcessingTime, FeeItem, DossierComponent)
    ]


def test_load_keeps_codes_and_names_as_published(loaded):
    main, bqp = fixture_rows("dvcqg"), fixture_rows("bqp")
    assert loaded["procedures"] == Procedure.objects.count() == len(main) + len(bqp) == 7
    assert ProcedureVersion.objects.filter(number=1).count() == 7
    for code, row in {**main, **bqp}.items():
        procedure = Procedure.objects.get(code=code)
        assert procedure.name == (row["ten_thu_tuc"] or row["ten_thu_tuc_danh_sach"])
    # decomposed at source, and kept so; search still folds it
    cooperative = Procedure.objects.get(code="2.002226")
    assert cooperative.name == main["2.002226"]["ten_thu_tuc"]
    assert cooperative.name != unicodedata.normalize("NFC", cooperative.name)
    assert cooperative.search_name == "thong bao thanh lap/thay doi to hop tac"


def test_load_twice_changes_nothing(loaded):
    before = snapshot()
    again = procedures_load_shared(paths=FIXTURE_FILES)
    assert {k: again[k] for k in ("created", "updated", "versions_created", "versions_updated")} == {
        "created": 0,
        "updated": 0,
        "versions_created": 0,
        "versions_updated": 0,
    }
    assert again["versions_refilled"] == again["times"] == again["fees"] == 0
    assert snapshot() == before


def test_load_repairs_what_changed(loaded):
    Procedure.objects.filter(code="1.001193").update(name="sửa tay")
    version = ProcedureVersion.objects.get(procedure__code="1.001193")
    version.processing_times.filter(channel=IN_PERSON).update(value=9)
    report = procedures_load_shared(paths=FIXTURE_FILES)
    assert (report["updated"], report["versions_refilled"]) == (1, 1)
    assert Procedure.objects.get(code="1.001193").name == "Thủ tục đăng ký khai sinh"
    assert version.processing_times.get(channel=IN_PERSON).value == 1


def test_commune_rows_are_merged_onto_their_procedure(loaded):
    row = fixture_rows("cap_xa")["2.002226"]
    procedure = Procedure.objects.get(code="2.002226")
    version = procedure.versions.get()
    assert procedure.source == "chatbot-tthc/chatbot_tthc: tthc_dvcqg_7nganh.csv, tthc_cap_xa.csv"
    assert version.steps == row["trinh_tu_thuc_hien"]
    assert version.components_raw == row["thanh_phan_ho_so_raw"]
    assert not version.components.exists()  # flattened at source: no structure is invented
    assert "Chọn cơ quan thực hiện" not in version.result_description  # the crawled page footer
    assert (procedure.at_central, procedure.at_province, procedure.at_commune) == (True, False, True)
    [time] = version.processing_times.all()
    assert (time.channel, time.value, time.unit, time.raw) == (IN_PERSON, 1, NO_UNIT, "1")


def test_main_file_fields(loaded):
    birth = Procedure.objects.get(code="1.001193")
    assert birth.field == "Hộ tịch"
    assert birth.issuing_body == "Bộ Tư pháp"
    # the detail page says "Không có thông tin": the official list names the agency
    assert birth.implementing_agency == "Ủy ban nhân dân cấp xã"
    assert birth.source_url.startswith("https://dichvucong.gov.vn/thu-tuc-hanh-chinh/")
    assert "ok: mã trên trang chi tiết khớp" in birth.source_note
    assert "53229487610b07e0d7127f529b87c333f19aeb1e" in birth.source_note
    version = birth.versions.get()
    assert version.publication_decision == "163/QĐ-BTP"
    assert version.processing_raw == "Trực tuyến: 1 | Dịch vụ bưu chính: 1 | Trực tiếp: 1"
    assert sorted(version.fees.values_list("channel", "amount_vnd")) == [(1, 0), (2, 0), (3, 0)]
    passport = Procedure.objects.get(code="1.001471").versions.get()
    online = passport.processing_times.get(channel=ONLINE)
    assert (online.value, online.raw, online.note) == (
        None,
        "5 Ngày làm việc | 3 Ngày làm việc",
        SEVERAL_TIMES_NOTE,
    )
    assert set(passport.fees.values_list("amount_vnd", flat=True)) == {200_000}


def test_crawl_errors_keep_only_the_list_columns(loaded):
    row = fixture_rows("dvcqg")["1.014208"]
    procedure = Procedure.objects.get(code="1.014208")
    assert (
        procedure.name
        == row["ten_thu_tuc_danh_sach"]
        == "Đánh giá tác động chuyển, xử lý dữ liệu xuyên biên giới"
    )
    assert (procedure.field, procedure.issuing_body, procedure.levels) == ("Dữ liệu", "Bộ Công an", "")
    assert procedure.source_url == ""
    assert "LỖI crawl" in procedure.source_note
    version = procedure.versions.get()
    assert (version.steps, version.processing_raw, version.fees_raw, version.publication_decision) == (
        "",
    ) * 4
    assert not version.processing_times.exists()


def test_defence_procedures(loaded):
    plan = Procedure.objects.get(code="1.013124")
    assert plan.issuing_body == "Bộ Quốc phòng"
    assert plan.source == "nhdandz/ThuTucHanhChinh: tthc_bqp.csv"
    assert "936e184ef5b6afd7debfecf42e66888c4d6174ba" in plan.source_note
    version = plan.versions.get()
    assert list(
        version.components.values_list("position", "originals", "certified_copies", "template_name")
    ) == [
        (1, 1, 0, ""),
        (2, 1, 0, "5-PHLCII.doc"),
    ]
    assert version.components_raw == ""
    assert version.result_description == "Quyết định phê duyệt kế hoạch ứng phó sự cố tràn dầu."
    boarding = Procedure.objects.get(code="1.013576")
    assert (boarding.at_commune, boarding.levels) == (True, "Cấp Xã")
    fees = boarding.versions.get().fees.all()
    assert [(f.name, f.amount_vnd) for f in fees] == [("Phí", None), ("Lệ phí", None)]  # dollars
    assert fees[0].raw == "Phí : 0.5 USD (Người nước ngoài dưới 16 tuổi)"


def test_versions_structured_by_hand_are_left_alone(loaded):
    version = ProcedureVersion.objects.get(procedure__code="1.001193")
    version.is_structured = True
    version.steps = "Bước 1: nộp tờ khai."
    version.save()
    version.processing_times.all().delete()
    ProcessingTime.objects.create(version=version, channel=IN_PERSON, value=1, unit=WD)
    report = procedures_load_shared(paths=FIXTURE_FILES)
    assert report["structured_skipped"] == 1
    version.refresh_from_db()
    assert version.steps == "Bước 1: nộp tờ khai."
    assert list(version.processing_times.values_list("channel", "value", "unit")) == [(IN_PERSON, 1, WD)]


@pytest.mark.django_db
def test_full_load_of_the_shipped_files():
    assert all(path.is_file() for path in SHARED_FILES.values())
    report = procedures_load_shared()
    assert (
        report["procedures"] == Procedure.objects.count() == 2849
    )  # 2,642 + 207; the 571 commune rows merge
    assert report["crawl_errors"] == 17
    assert Procedure.objects.get(code="1.001193").name == "Thủ tục đăng ký khai sinh"
    assert Procedure.objects.filter(at_commune=True).count() == 571 + 85
    assert ProcedureVersion.objects.count() == 2849


@pytest.mark.django_db
def test_load_command_prints_counts_and_timing():
    out = StringIO()
    call_command("catalog_load", stdout=out, **FIXTURE_FILES)
    assert "procedures: 7 in the files (5 + 2 rows, 2 commune rows merged, 1 crawl errors" in out.getvalue()
    assert "7 created, 0 updated" in out.getvalue()
    assert "done in " in out.getvalue()
