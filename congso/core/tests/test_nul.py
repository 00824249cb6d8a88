"""A NUL character never reaches a view (PostgreSQL refuses it in text: it was a 500 on many pages)."""

import pytest

pytestmark = pytest.mark.django_db


def test_nul_in_a_query_parameter_or_the_path_is_a_400(client):
    assert client.get("/thu-tuc/", {"q": "khai sinh\0"}).status_code == 400
    assert client.get("/thu-tuc/", {"q\0": "x"}).status_code == 400
    assert client.get("/don-vi/96%00/").status_code == 400
    assert client.get("/thu-tuc/", {"q": "khai sinh"}).status_code == 200


def test_nul_in_a_form_or_json_body_is_a_400(client):
    form = "application/x-www-form-urlencoded"
    assert client.post("/phan-anh-kien-nghi/gui/", "text=x%00", content_type=form).status_code == 400
    body = '{"dataValues": [{"value": "1\\u0000"}]}'
    response = client.post("/api/v1/dataValueSets", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "nul_character"


def test_the_api_lookup_with_nul_is_refused_before_the_database(client):
    response = client.get("/api/v1/dossiers/status", {"code": "H12\0", "key": "\0"})
    assert response.status_code == 400
