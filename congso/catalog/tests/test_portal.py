import json

import pytest
from django.urls import reverse

from congso.catalog.curated import CURATED_JSON, procedures_load_curated
from congso.catalog.models import Procedure, ProcedureVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedures():
    """The curated procedures as the national database names them, plus a few neighbours."""
    names = {
        "1.001193": ("Thủ tục đăng ký khai sinh", "Hộ tịch"),
        "1.004884": ("Thủ tục đăng ký lại khai sinh", "Hộ tịch"),
        "1.000894": ("Thủ tục đăng ký kết hôn", "Hộ tịch"),
        "1.000656": ("Thủ tục đăng ký khai tử", "Hộ tịch"),
        "2.000815": ("Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực"),
        "2.000884": ("Chứng thực chữ ký trong các giấy tờ, văn bản", "Chứng thực"),
        "1.004222": ("Đăng ký thường trú", "Đăng ký, quản lý cư trú"),
        "1.004194": ("Đăng ký tạm trú", "Đăng ký, quản lý cư trú"),
        "1.004873": ("Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", "Hộ tịch"),
        "1.013124": ("Thủ tục thẩm định kế hoạch ứng phó sự cố tràn dầu", "Ứng phó sự cố tràn dầu"),
    }
    for code, (name, field) in names.items():
        Procedure.objects.create(
            code=code, name=name, field=field, at_commune=code != "1.013124", levels="Cấp xã", source="test"
        )
    report = procedures_load_curated()
    assert report == {"structured": 8, "kept": 0, "missing": 0}
    return names


def test_curated_load_is_idempotent_and_never_rewrites_a_structured_version(procedures):
    version = ProcedureVersion.objects.get(procedure__code="1.001193")
    version.steps = "edited by an official"
    version.save()
    assert procedures_load_curated() == {"structured": 0, "kept": 8, "missing": 0}
    version.refresh_from_db()
    assert version.steps == "edited by an official"
    assert version.components.count() == 3


def test_curated_file_covers_the_commune_favourites():
    codes = {item["code"] for item in json.loads(CURATED_JSON.read_text())["procedures"]}
    # birth, marriage, death, copies, signatures, residence
    assert {"1.001193", "1.000894", "1.000656", "2.000815", "2.000884", "1.004222"} <= codes


def test_list_and_search(client, procedures, django_assert_max_num_queries):
    response = client.get(reverse("catalog:procedure_list"))
    assert response.status_code == 200
    assert response.context["page"].object_list[0].code == "1.001193"  # the most used first
    client.get(reverse("catalog:procedure_list"), {"q": "khai sinh"})  # builds the index
    with django_assert_max_num_queries(3):
        response = client.get(reverse("catalog:procedure_list"), {"q": "dang ky khai sinh"})
    codes = [p.code for p in response.context["page"].object_list]
    assert codes[0] == "1.001193"
    assert "1.000894" not in codes


def test_filters(client, procedures):
    response = client.get(reverse("catalog:procedure_list"), {"linh-vuc": "Chứng thực"})
    assert {p.code for p in response.context["page"].object_list} == {"2.000815", "2.000884"}
    response = client.get(reverse("catalog:procedure_list"), {"cap": "xa", "q": "ung pho"})
    assert response.context["page"].paginator.count == 0
    assert "Không tìm thấy thủ tục" in response.content.decode()
    response = client.get(reverse("catalog:procedure_list"), {"muc-do": "toan_trinh", "cap": "bogus"})
    assert "1.000894" not in {p.code for p in response.context["page"].object_list}


def test_htmx_gets_only_the_results(client, procedures):
    response = client.get(reverse("catalog:procedure_list"), {"q": "ket hon"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "Thủ tục đăng ký kết hôn" in body


def test_detail_says_what_to_bring_how_long_how_much(client, procedures, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        response = client.get(reverse("catalog:procedure_detail", args=["1.004222"]))
    body = response.content.decode()
    assert "Đăng ký thường trú" in body
    assert "Tờ khai thay đổi thông tin cư trú" in body
    assert "7 ngày làm việc" in body
    assert "20.000 đồng" in body
    assert "10.000 đồng" in body
    assert "Nộp hồ sơ trực tuyến" in body
    assert reverse("catalog:procedure_submit", args=["1.004222"]) in body


def test_detail_of_a_free_procedure(client, procedures):
    body = client.get(reverse("catalog:procedure_detail", args=["1.001193"])).content.decode()
    assert "Miễn phí" in body
    assert "Giấy chứng sinh" in body
    assert "1 bản chính" in body


def test_unknown_procedure_is_a_vietnamese_404(client, procedures):
    response = client.get(reverse("catalog:procedure_detail", args=["9.999999"]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    assert client.get(reverse("catalog:procedure_submit", args=["9.999999"])).status_code == 404


def test_submission_page_renders_the_eform(client, procedures):
    response = client.get(reverse("catalog:procedure_submit", args=["1.001193"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Họ, chữ đệm, tên của trẻ" in body
    assert 'name="child_birth_date"' in body
    assert 'type="file"' in body


def test_api_search_and_detail(client, procedures):
    response = client.get("/api/v1/procedures", {"q": "khai sinh"})
    assert response.status_code == 200
    data = response.json()
    assert data["items"][0]["code"] == "1.001193"
    assert data["count"] == 2
    detail = client.get("/api/v1/procedures/1.004194").json()
    assert detail["name"] == "Đăng ký tạm trú"
    version = detail["current_version"]
    assert version["is_structured"] is True
    assert {(f["channel"], f["amount_vnd"]) for f in version["fees"]} == {(1, 15000), (2, 7000)}
    assert [t["value"] for t in version["processing_times"]] == [3.0, 3.0]
    assert client.get("/api/v1/procedures/0.000000").status_code == 404
