import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from congso.catalog.eform import UPLOAD_MAX_BYTES, build_form, validate_schema

SCHEMA = [
    {"name": "full_name", "type": "text", "label": "Họ và tên", "max_length": 50},
    {"name": "citizen_id", "type": "citizen_id", "label": "Số định danh cá nhân"},
    {"name": "phone", "type": "phone", "label": "Số điện thoại"},
    {"name": "email", "type": "email", "label": "Thư điện tử", "required": False},
    {"name": "birth_date", "type": "date", "label": "Ngày sinh"},
    {"name": "sex", "type": "choice", "label": "Giới tính", "choices": [["nam", "Nam"], ["nu", "Nữ"]]},
    {"name": "pages", "type": "number", "label": "Số trang", "min": 1, "max": 10},
    {"name": "address", "type": "address", "label": "Nơi cư trú"},
    {"name": "proof", "type": "upload", "label": "Giấy tờ", "component": 1, "required": False},
]
GOOD = {
    "full_name": "Nguyễn Thị Hoa",
    "citizen_id": "096190000123",
    "phone": "0912345678",
    "email": "",
    "birth_date": "15/03/1990",
    "sex": "nu",
    "pages": "3",
    "address_commune": "32248",
    "address_hamlet": "32248-01",
    "address_street": "Số 5, đường Mũi",
}

pytestmark = pytest.mark.django_db


def form_for(data, files=None):
    return build_form(SCHEMA, province_code="96")(data=data, files=files)


def test_valid_input_gives_storable_json():
    form = form_for(GOOD)
    assert form.is_valid(), form.errors
    assert form.cleaned_json() == {
        "full_name": "Nguyễn Thị Hoa",
        "citizen_id": "096190000123",
        "phone": "0912345678",
        "email": "",
        "birth_date": "1990-03-15",
        "sex": "nu",
        "pages": "3",
        "address": {"commune_code": "32248", "hamlet_code": "32248-01", "street": "Số 5, đường Mũi"},
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("citizen_id", "12345", "12 chữ số"),
        ("citizen_id", "09619000012a", "12 chữ số"),
        ("phone", "12345", "10 chữ số"),
        ("birth_date", "31/02/1990", "ngày hợp lệ"),
        ("sex", "khac", "Hãy chọn"),
        ("pages", "11", "nhỏ hơn hoặc bằng với 10"),
        ("full_name", "", "bắt buộc"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(field, value, message):
    form = form_for({**GOOD, field: value})
    assert not form.is_valid()
    assert message in " ".join(form.errors[field]), form.errors[field]


def test_hamlet_must_belong_to_the_commune():
    form = form_for({**GOOD, "address_commune": "32002"})  # hamlet of Đất Mũi, commune An Xuyên
    assert not form.is_valid()
    assert "không thuộc" in " ".join(form.errors["address"])


def test_upload_size_is_capped():
    big = SimpleUploadedFile("a.pdf", b"x" * (UPLOAD_MAX_BYTES + 1), content_type="application/pdf")
    form = form_for(GOOD, files={"proof": big})
    assert not form.is_valid()
    assert "quá lớn" in " ".join(form.errors["proof"])


def test_address_widget_lists_camau_communes_and_hamlets():
    html = str(form_for(None)["address"])
    assert "Xã Đất Mũi" in html
    assert 'value="32248-01"' in html
    assert "Phường Hoàn Kiếm" not in html


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ([{"name": "A", "type": "text", "label": "x"}], "chữ thường"),
        (
            [{"name": "a", "type": "text", "label": "x"}, {"name": "a", "type": "text", "label": "y"}],
            "hai lần",
        ),
        ([{"name": "a", "type": "colour", "label": "x"}], "không hợp lệ"),
        ([{"name": "a", "type": "text", "label": ""}], "nhãn"),
        ([{"name": "a", "type": "choice", "label": "x"}], "danh sách"),
        ([{"name": "a", "type": "text", "label": "x", "colour": 1}], "khóa"),
        ({"name": "a"}, "danh sách"),
    ],
)
def test_bad_schemas_are_rejected(schema, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_schema(schema)
    assert message in " ".join(excinfo.value.messages)


def test_a_procedure_may_accept_office_files_for_one_upload():
    from congso.core.tests.test_uploads import make_docx

    schema = [{"name": "request", "type": "upload", "label": "Đơn đề nghị", "accept": ["pdf", "docx"]}]
    form_class = build_form(schema, province_code="96")
    assert 'accept=".pdf,.docx"' in str(form_class()["request"])
    docx = SimpleUploadedFile("don.docx", make_docx())
    assert form_class(data={}, files={"request": docx}).is_valid()
    photo = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    form = form_class(data={}, files={"request": photo})
    assert not form.is_valid()  # a photo is not what this field accepts
    assert "Chỉ nhận: DOCX, PDF" in " ".join(form.errors["request"])


def test_groups_split_the_form_into_parts():
    from congso.catalog.eform import field_groups

    schema = [
        {"name": "a", "type": "text", "label": "A", "group": "Người yêu cầu"},
        {"name": "b", "type": "text", "label": "B"},
        {"name": "c", "type": "text", "label": "C", "group": "Giấy tờ"},
    ]
    groups = field_groups(build_form(schema, province_code="96")())
    assert [(title, [f.name for f in fields]) for title, fields in groups] == [
        ("Người yêu cầu", ["a", "b"]),
        ("Giấy tờ", ["c"]),
    ]
    with pytest.raises(ValidationError):
        validate_schema([{"name": "a", "type": "upload", "label": "A", "accept": ["exe"]}])
