import pytest
from django.urls import reverse

from congso.catalog.curated import procedures_load_curated
from congso.catalog.models import Procedure, ProcedureVersion
from congso.conftest import make_user

pytestmark = pytest.mark.django_db
INLINES = ("components", "processing_times", "fees")
EMPTY_FORMSET = {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000}


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("admin@example.vn", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def birth():
    procedure = Procedure.objects.create(code="1.001193", name="Thủ tục đăng ký khai sinh", field="Hộ tịch")
    procedures_load_curated()
    return procedure


def test_admin_pages_are_in_vietnamese(admin_client, birth):
    body = admin_client.get(reverse("admin:catalog_procedure_changelist")).content.decode()
    assert "Thủ tục hành chính" in body
    assert "1.001193" in body
    version = ProcedureVersion.objects.get(procedure=birth)
    response = admin_client.get(reverse("admin:catalog_procedureversion_change", args=[version.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Thành phần hồ sơ" in body
    assert "Giấy chứng sinh" in body


def test_admin_refuses_a_broken_eform(admin_client, birth):
    version = ProcedureVersion.objects.get(procedure=birth)
    url = reverse("admin:catalog_procedureversion_change", args=[version.pk])
    data = {
        "procedure": birth.pk,
        "number": 1,
        "supplement_rule": "pause",
        "form_schema": '[{"name": "x", "type": "colour", "label": "X"}]',
        **{f"{prefix}-{key}": value for prefix in INLINES for key, value in EMPTY_FORMSET.items()},
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "không hợp lệ" in response.content.decode()
    version.refresh_from_db()
    assert version.form_schema[0]["name"] == "applicant_name"
