import pytest
from django.urls import reverse

from congso.geo.models import AdministrativeUnit

pytestmark = pytest.mark.django_db


def test_unit_list_shows_the_64_communes_with_hamlet_counts(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("geo:unit_list"))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == 64
    assert len(page.object_list) == 64
    body = response.content.decode()
    assert "Xã Đất Mũi" in body
    assert "Xã, phường của Tỉnh Cà Mau" in body
    dat_mui = next(u for u in page.object_list if u.code == "32248")
    assert dat_mui.hamlet_count == AdministrativeUnit.objects.filter(parent__code="32248").count()


def test_query_count_does_not_grow_with_the_list(client, django_assert_num_queries):
    client.get(reverse("home"))  # warms the cached province of the header
    with django_assert_num_queries(2):  # count + page
        client.get(reverse("geo:unit_list"), {"q": "dat mui"})
    with django_assert_num_queries(2):
        client.get(reverse("geo:unit_list"))


def test_search_without_accents_and_by_type(client):
    response = client.get(reverse("geo:unit_list"), {"q": "dat mui"})
    assert [u.code for u in response.context["page"].object_list] == ["32248"]
    response = client.get(reverse("geo:unit_list"), {"loai": "phuong"})
    assert response.context["page"].paginator.count == 9
    response = client.get(reverse("geo:unit_list"), {"q": "32002"})
    assert [u.full_name for u in response.context["page"].object_list] == ["Phường An Xuyên"]


def test_search_with_no_result_shows_the_empty_state(client):
    response = client.get(reverse("geo:unit_list"), {"q": "không có xã này", "loai": "khong-hop-le"})
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị nào" in response.content.decode()


def test_htmx_request_gets_only_the_rows(client):
    response = client.get(reverse("geo:unit_list"), {"q": "an xuyen"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "Phường An Xuyên" in body


def test_unit_detail_shows_hamlets_and_predecessors(client):
    response = client.get(reverse("geo:unit_detail", args=["32047"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Xã U Minh" in body
    assert "Xã Khánh Thuận" in body
    assert "Dữ liệu demo" not in body  # the commune itself is real
    hamlet = AdministrativeUnit.objects.filter(parent__code="32047").first()
    assert hamlet.full_name in body


def test_hamlet_detail_is_marked_demo(client):
    response = client.get(reverse("geo:unit_detail", args=["32248-01"]))
    assert response.status_code == 200
    assert "Dữ liệu demo" in response.content.decode()


def test_unknown_unit_is_a_vietnamese_404(client):
    response = client.get(reverse("geo:unit_detail", args=["99999"]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_api_lists_communes(client):
    response = client.get("/api/v1/units/communes", {"q": "dat mui"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "32248",
            "name": "Đất Mũi",
            "full_name": "Xã Đất Mũi",
            "unit_type": "xa",
            "level": "commune",
            "parent_code": "96",
            "hamlet_count": AdministrativeUnit.objects.filter(parent__code="32248").count(),
        }
    ]
    assert client.get("/api/v1/units/99999").status_code == 404
    assert client.get("/api/v1/units/96").json()["full_name"] == "Tỉnh Cà Mau"
