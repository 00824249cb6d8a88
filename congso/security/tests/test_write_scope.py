"""Writes with a well-formed request that names another unit's objects: what the matrix's empty POSTs cannot
show. An official or team member outside unit X / hamlet H must change nothing there."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from congso.security.tests import authz
from congso.security.tests.authz import CITIZEN_B, OFFICIAL_X, OFFICIAL_Y, TEAM_H, TEAM_OTHER
from congso.security.tests.test_authz_matrix import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return authz.build_world()


def _workbook_for_x(world, value: int) -> SimpleUploadedFile:
    from congso.indicators.excel import form_template

    content = form_template(form=world.objects["form"], units=[world.unit_x], period=world.objects["period"])
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content))
    sheet = book.active
    for row in sheet.iter_rows():
        if row[0].value == world.unit_x.code:
            row[2].value = value
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile(
        "bieu-mau.xlsx",
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _upload(world, persona, value: int):
    from congso.indicators.models import DataValue, ImportJob
    from congso.indicators.services import import_job_process

    response = client_for(world, persona).post(
        reverse("indicators:upload"),
        {
            "form": world.objects["form"].pk,
            "file": _workbook_for_x(world, value),
            "strategy": "CREATE_AND_UPDATE",
        },
    )
    assert response.status_code == 302, response.content[:500]
    job = ImportJob.objects.filter(created_by=world.users[persona]).latest("pk")
    import_job_process(job=job)  # what the background task does
    return DataValue.objects.get(element__code="E_AUTHZ", unit=world.unit_x, period=world.objects["period"])


def test_an_official_of_x_imports_the_figures_of_x(world):
    assert _upload(world, OFFICIAL_X, 77).value == 77


# Found by this test: the Excel import wrote any unit's values (the official of Y overwrote X's 42 with 999);
# import_job_process now passes the uploader's units.
def test_an_official_of_y_cannot_import_the_figures_of_x(world):
    assert _upload(world, OFFICIAL_Y, 999).value == 42


def test_a_team_member_cannot_sync_a_visit_to_another_hamlets_household(world):
    from congso.outreach.models import Visit

    household = world.objects["household"]
    visit = {
        "id": "6f1c7a52-3c1e-4f7e-9a55-0d3c2b1a9e01",
        "household": str(household.pk),
        "visited_at": "2026-11-20T09:00:00+07:00",
        "outcome": "met",
        "members_present": 2,
        "note": "",
    }
    response = client_for(world, TEAM_OTHER).post(
        "/api/v1/outreach/sync", json.dumps({"visits": [visit]}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["visits"][0]["status"] == "error"
    assert not Visit.objects.filter(household=household).exists()
    client_for(world, TEAM_H).post(
        "/api/v1/outreach/sync", json.dumps({"visits": [visit]}), content_type="application/json"
    )
    assert Visit.objects.filter(household=household).exists()  # the member of H may


def test_an_official_of_y_cannot_merge_the_households_of_h(world):
    from congso.outreach.models import Household

    response = client_for(world, OFFICIAL_Y).post(
        reverse("outreach:merge"),
        {"survivor": world.objects["household"].pk, "duplicate": world.objects["household_twin"].pk},
    )
    assert response.status_code == 404
    twin = world.objects["household_twin"]
    assert Household.objects.get(pk=twin.pk).merged_into_id is None
    client_for(world, OFFICIAL_X).post(
        reverse("outreach:merge"), {"survivor": world.objects["household"].pk, "duplicate": twin.pk}
    )
    assert Household.objects.get(pk=twin.pk).merged_into_id == world.objects["household"].pk


def test_an_alert_of_x_cannot_be_assigned_to_an_official_of_y(world):
    alert = world.objects["alert"]
    client_for(world, OFFICIAL_X).post(
        reverse("indicators:alert_action", args=[alert.pk, "giao"]), {"assignee": world.users[OFFICIAL_Y].pk}
    )
    alert.refresh_from_db()
    assert alert.assignee_id is None
    client_for(world, OFFICIAL_X).post(
        reverse("indicators:alert_action", args=[alert.pk, "giao"]), {"assignee": world.users[OFFICIAL_X].pk}
    )
    alert.refresh_from_db()
    assert alert.assignee_id == world.users[OFFICIAL_X].pk


def _resource_fields(unit) -> dict:
    return {
        "kind": "counter",
        "name": "Quầy mới",
        "unit": unit.pk,
        "address": "",
        "slot_minutes": 30,
        "capacity": 1,
        "horizon_days": 30,
        "is_active": "on",
    }


def test_an_official_opens_a_place_only_in_their_units(world):
    from congso.appointments.models import Resource

    url = reverse("appointments:office_new")
    client_for(world, OFFICIAL_Y).post(url, _resource_fields(world.unit_x))
    assert not Resource.objects.filter(name="Quầy mới").exists()
    client_for(world, OFFICIAL_X).post(url, _resource_fields(world.unit_x))
    assert Resource.objects.filter(name="Quầy mới", unit=world.unit_x).exists()  # the same form works for X


def test_a_citizen_cannot_book_with_another_citizens_dossier(world):
    from congso.appointments.models import Booking

    booking = world.objects["booking"]
    slot = booking.starts_at.astimezone(booking.starts_at.tzinfo).strftime("%Y%m%d%H%M")
    url = reverse("appointments:book", args=[world.objects["resource"].pk]) + f"?luc={slot}"
    fields = {"name": "Trần Văn Bình", "phone": "0912000111", "purpose": "Nộp hồ sơ", "procedure_code": ""}
    client_for(world, CITIZEN_B).post(url, {**fields, "dossier": world.dossier.pk})
    assert not Booking.objects.filter(dossier=world.dossier).exists()
    client_for(world, CITIZEN_B).post(url, fields)  # the same request without A's dossier books
    assert Booking.objects.filter(user=world.users[CITIZEN_B], dossier=None).exists()


def test_an_official_of_y_cannot_import_a_statement_for_x(world):
    from congso.payments.models import StatementImport

    before = StatementImport.objects.count()
    content = "Ngày giao dịch;Số tiền ghi có;Nội dung chuyển khoản;Mã giao dịch\n26/11/2026;1000;x;FT1\n"
    upload = SimpleUploadedFile("saoke.csv", content.encode("utf-8-sig"), content_type="text/csv")
    url = reverse("payments:statements")
    client_for(world, OFFICIAL_Y).post(url, {"unit": world.unit_x.pk, "file": upload})
    assert StatementImport.objects.count() == before
    upload.seek(0)
    client_for(world, OFFICIAL_X).post(url, {"unit": world.unit_x.pk, "file": upload})
    assert StatementImport.objects.count() == before + 1  # the same upload by X is taken
