import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from congso.catalog.constants import Channel, OnlineLevel, TimeUnit
from congso.catalog.importers import IMPORT_COLUMNS, procedures_load_shared
from congso.catalog.models import FeeItem, Procedure, ProcedureVersion, ProcessingTime
from congso.catalog.tests.test_importers import FIXTURE_FILES, snapshot

pytestmark = pytest.mark.django_db

GOOD_ROWS = [
    # an update of a procedure of the national list, and a new one
    [
        "1.001193",
        "Thủ tục đăng ký khai sinh",
        "Hộ tịch",
        "Cấp xã",
        "UBND xã Đất Mũi",
        "1 ngày làm việc",
        "Miễn phí",
        "Toàn trình",
    ],
    [
        "2.000001",
        "Thủ tục thử nghiệm của xã",
        "",
        "Cấp Xã",
        "",
        "Trực tuyến: 3 ngày làm việc | Trực tiếp: 5 ngày làm việc",
        "Lệ phí : 8.000 Đồng",
        "một phần",
    ],
]
BAD_ROWS = [
    # row 2: good
    GOOD_ROWS[0],
    # row 3: no code; row 4: a code of the old format; row 5: the code of row 2 again
    ["", "Thủ tục không mã", "", "", "", "", "", ""],
    ["1.00119", "Thủ tục mã ngắn", "", "", "", "", "", ""],
    ["1.001193", "Thủ tục đăng ký khai sinh (lần hai)", "", "", "", "", "", ""],
    # row 6: unknown online level; row 7: a deadline in words; row 8: a fee in words; row 9: no name, no level
    ["1.000894", "Thủ tục đăng ký kết hôn", "", "", "", "", "", "mức 4"],
    ["1.000656", "Thủ tục đăng ký khai tử", "", "", "", "trong ngày", "", ""],
    ["1.004884", "Thủ tục đăng ký lại khai sinh", "", "", "", "", "theo quy định", ""],
    ["1.004885", "", "", "Cấp huyện", "", "", "", ""],
]
EXPECTED_ERRORS = [
    ("Dòng 3:", "thiếu mã thủ tục"),
    ("Dòng 4:", "mã thủ tục “1.00119” sai định dạng"),
    ("Dòng 5:", "mã thủ tục 1.001193 trùng với dòng 2"),
    ("Dòng 6:", "mức độ “mức 4” không hợp lệ"),
    ("Dòng 7:", "không đọc được thời hạn giải quyết “trong ngày”"),
    ("Dòng 8:", "không đọc được phí, lệ phí “theo quy định”"),
    ("Dòng 9:", "thiếu tên thủ tục; cấp thực hiện không rõ: “Cấp huyện”"),
]


def write_csv(path, rows, header=IMPORT_COLUMNS):
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path, rows, header=IMPORT_COLUMNS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def run(path, *args) -> str:
    out = StringIO()
    call_command("catalog_import", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def national(db):
    procedures_load_shared(paths=FIXTURE_FILES)


@pytest.mark.parametrize("write", [write_csv, write_xlsx])
def test_bad_rows_are_all_listed_and_nothing_is_imported(national, tmp_path, write):
    path = write(tmp_path / f"danh-sach.{'csv' if write is write_csv else 'xlsx'}", BAD_ROWS)
    before = snapshot()
    out = StringIO()
    with pytest.raises(CommandError, match="Có 7 dòng lỗi: không nhập dòng nào"):
        call_command("catalog_import", str(path), stdout=out)
    lines = [line.strip() for line in out.getvalue().splitlines() if line.strip().startswith("Dòng")]
    assert len(lines) == len(EXPECTED_ERRORS)
    for line, (number, reason) in zip(lines, EXPECTED_ERRORS, strict=True):
        assert line.startswith(number)
        assert reason in line
    assert snapshot() == before


def test_row_numbers_are_those_of_the_spreadsheet(db, tmp_path):
    # a cell with line breaks is still one row; an empty row still counts
    rows = [
        ["2.000002", "Tên\ntrên hai dòng", "", "", "", "", "", ""],
        [""] * 8,
        ["x", "Tên", "", "", "", "", "", ""],
    ]
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("catalog_import", str(write_csv(tmp_path / "a.csv", rows)), stdout=out)
    assert "Dòng 4: mã thủ tục “x” sai định dạng" in out.getvalue()


def test_dry_run_writes_nothing(national, tmp_path):
    before = snapshot()
    out = run(write_csv(tmp_path / "tot.csv", GOOD_ROWS), "--dry-run")
    assert "Chạy thử, chưa ghi gì: sẽ tạo 1, sẽ cập nhật 1, 0 không đổi." in out
    assert "Dòng 2 · 1.001193: cơ quan thực hiện, mức độ, thời hạn" in out
    assert "Dòng 3 · 2.000001: tạo mới" in out
    assert snapshot() == before


def test_good_file_imports(national, tmp_path):
    out = run(write_xlsx(tmp_path / "tot.xlsx", GOOD_ROWS))
    assert "Đã tạo 1, đã cập nhật 1, 0 không đổi." in out
    birth = Procedure.objects.get(code="1.001193")
    assert (birth.implementing_agency, birth.online_level) == ("UBND xã Đất Mũi", OnlineLevel.FULL)
    assert birth.field == "Hộ tịch"
    # a deadline without a channel holds for every channel
    times = ProcessingTime.objects.filter(version__procedure=birth)
    assert sorted(times.values_list("channel", "value", "unit")) == [
        (channel, 1, TimeUnit.WORKING_DAYS) for channel in Channel
    ]
    new = Procedure.objects.get(code="2.000001")
    assert (new.name, new.at_commune, new.online_level) == (
        "Thủ tục thử nghiệm của xã",
        True,
        OnlineLevel.PARTIAL,
    )
    assert new.source == "catalog_import: tot.xlsx"
    version = new.versions.get(number=1)
    assert version.processing_raw == "Trực tuyến: 3 ngày làm việc | Trực tiếp: 5 ngày làm việc"
    assert sorted(version.processing_times.values_list("channel", "value")) == [(1, 5), (2, 3)]
    assert list(FeeItem.objects.filter(version=version).values_list("name", "amount_vnd", "channel")) == [
        ("Lệ phí", 8000, None)
    ]
    # the same file again changes nothing
    before = snapshot()
    assert "Đã tạo 0, đã cập nhật 0, 2 không đổi." in run(tmp_path / "tot.xlsx")
    assert snapshot() == before


def test_structured_versions_keep_their_deadlines(national, tmp_path):
    version = ProcedureVersion.objects.get(procedure__code="1.001193")
    version.is_structured = True
    version.save()
    held = list(version.processing_times.values_list("channel", "value", "unit"))
    out = run(write_csv(tmp_path / "tot.csv", GOOD_ROWS[:1]))
    assert "phiên bản đã được nhập đầy đủ bằng tay" in out
    assert list(version.processing_times.values_list("channel", "value", "unit")) == held
    assert Procedure.objects.get(code="1.001193").online_level == OnlineLevel.FULL


def test_vietnamese_headings_and_number_cells(db, tmp_path):
    header = ["Mã thủ tục", "Tên thủ tục", "Lĩnh vực", "Cấp thực hiện", "Mức độ"]
    # Excel keeps 1.001190 typed in a number cell as 1.00119
    path = write_xlsx(
        tmp_path / "ds.xlsx", [[1.00119, "Thủ tục thử", "Hộ tịch", "Cấp xã", "Toàn trình"]], header
    )
    run(path)
    assert Procedure.objects.get(code="1.001190").field == "Hộ tịch"


def test_unreadable_files(db, tmp_path):
    with pytest.raises(CommandError, match="Thiếu cột bắt buộc: ten_thu_tuc"):
        run(write_csv(tmp_path / "a.csv", [["1.001193"]], header=["ma_thu_tuc"]))
    (tmp_path / "b.csv").write_bytes("ma_thu_tuc,ten_thu_tuc\n1.001193,Thủ tục\n".encode("utf-16"))
    with pytest.raises(CommandError, match="UTF-8"):
        run(tmp_path / "b.csv")
    (tmp_path / "a.txt").write_text("ma_thu_tuc,ten_thu_tuc\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Chỉ nhận tệp \.csv hoặc \.xlsx"):
        run(tmp_path / "a.txt")
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        run(tmp_path / "none.csv")
