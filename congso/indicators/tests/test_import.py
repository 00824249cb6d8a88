import json

import pytest

from congso.indicators.models import DataValue, FormCompletion, RollupValue

from .factories import make_client, make_element, make_form, make_option_set

pytestmark = pytest.mark.django_db
URL = "/api/v1/dataValueSets"


@pytest.fixture
def setup():
    form = make_form("F_TRADE", "quarterly")
    other = make_form("F_OTHER", "quarterly")
    make_element("SHOPS", form, "last", value_type="integer")
    make_element("SALES", form, option_set=make_option_set())
    make_element("SECRET", other)
    _client, token = make_client(forms=[form])
    return token


def post(client, token, body, *, content_type="application/json", **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(
        f"{URL}?{query}", data, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def doc(*values, period="2026Q1", unit="32002"):
    return {"dataSet": "F_TRADE", "period": period, "orgUnit": unit, "dataValues": list(values)}


def test_json_import_creates_values_rolls_up_and_completes(client, setup):
    response = post(
        client,
        setup,
        doc(
            {"dataElement": "SHOPS", "value": "12"},
            {"dataElement": "SALES", "categoryOptionCombo": "M", "value": "3.5"},
        ),
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "SUCCESS"
    assert body["importCount"] == {"imported": 2, "updated": 0, "ignored": 0, "deleted": 0}
    assert DataValue.objects.get(element__code="SHOPS").value == 12
    assert RollupValue.objects.get(element__code="SHOPS", unit__code="96", period="2026").value == 12
    assert FormCompletion.objects.filter(form__code="F_TRADE", unit__code="32002", period="2026Q1").exists()


def test_csv_import(client, setup):
    csv = (
        "dataelement,period,orgunit,categoryoptioncombo,attroptioncombo,value,storedby,lastupdated,comment,followup\n"
        "SHOPS,2026Q1,32002,,,5,an,,ghi chú,false\n"
        "SALES,2026Q1,32248,F,,7,,,,\n"
    )
    body = post(client, setup, csv, content_type="text/csv").json()
    assert body["importCount"]["imported"] == 2
    assert DataValue.objects.get(element__code="SHOPS").comment == "ghi chú"


def test_dry_run_changes_nothing(client, setup):
    body = post(client, setup, doc({"dataElement": "SHOPS", "value": "12"}), dryRun="true").json()
    assert body["importCount"]["imported"] == 1 and body["dryRun"] is True
    assert not DataValue.objects.exists()
    assert not RollupValue.objects.exists() and not FormCompletion.objects.exists()


def test_strategies(client, setup):
    value = {"dataElement": "SHOPS", "value": "1"}
    assert post(client, setup, doc(value), importStrategy="UPDATE").json()["importCount"]["ignored"] == 1
    assert post(client, setup, doc(value), importStrategy="CREATE").json()["importCount"]["imported"] == 1
    again = post(client, setup, doc({**value, "value": "2"}), importStrategy="CREATE").json()
    assert again["importCount"]["ignored"] == 1 and "đã có" in again["conflicts"][0]["value"]
    assert (
        post(client, setup, doc({**value, "value": "3"}), importStrategy="UPDATE").json()["importCount"][
            "updated"
        ]
        == 1
    )
    assert DataValue.objects.get().value == 3
    assert post(client, setup, doc(value), importStrategy="DELETE").json()["importCount"]["deleted"] == 1
    assert not DataValue.objects.exists()
    assert not RollupValue.objects.exists()


def test_conflicts_are_explained_in_vietnamese_and_ignored(client, setup):
    body = post(client, setup, doc(
        {"dataElement": "NOPE", "value": "1"},
        {"dataElement": "SHOPS", "orgUnit": "99999", "value": "1"},
        {"dataElement": "SHOPS", "period": "2026M01", "value": "1"},
        {"dataElement": "SHOPS", "period": "2026Q9", "value": "1"},
        {"dataElement": "SHOPS", "value": "mười"},
        {"dataElement": "SHOPS", "value": "1.5"},
        {"dataElement": "SALES", "value": "1"},
        {"dataElement": "SALES", "categoryOptionCombo": "X", "value": "1"},
        {"dataElement": "SHOPS", "value": "4"},
    )).json()  # fmt: skip
    assert body["status"] == "WARNING"
    assert body["importCount"] == {"imported": 1, "updated": 0, "ignored": 8, "deleted": 0}
    messages = " | ".join(c["value"] for c in body["conflicts"])
    for fragment in ("không tồn tại", "không phải là số", "số nguyên", "không phải là kỳ", "phân tổ"):
        assert fragment in messages


def test_token_writes_only_its_forms(client, setup):
    body = post(client, setup, doc({"dataElement": "SECRET", "value": "1"})).json()
    assert body["status"] == "ERROR" and body["importCount"]["ignored"] == 1
    assert "không được phép" in body["conflicts"][0]["value"]
    assert not DataValue.objects.exists()


def test_without_token_401_and_bad_documents_400(client, setup):
    assert client.post(URL, "{}", content_type="application/json").status_code == 401
    assert post(client, "cs_wrong", doc()).status_code == 401
    assert post(client, setup, "not json").status_code == 400
    assert post(client, setup, {"dataValues": 3}).status_code == 400
    assert post(client, setup, doc(), importStrategy="MERGE").status_code == 400


def test_export_returns_only_granted_forms(client, setup):
    post(client, setup, doc({"dataElement": "SHOPS", "value": "12"}))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {setup}"}
    body = client.get(f"{URL}?dataSet=F_TRADE&period=2026Q1&orgUnit=32002", **auth).json()
    assert body["dataValues"][0]["dataElement"] == "SHOPS" and body["dataValues"][0]["value"] == "12"
    assert client.get(f"{URL}?dataSet=F_OTHER&period=2026Q1&orgUnit=32002", **auth).json()["dataValues"] == []
    assert client.get(f"{URL}?dataSet=F_TRADE&period=bad&orgUnit=32002", **auth).status_code == 400


def test_official_reports_only_for_their_units(setup, official):
    from congso.accounts.selectors import user_units
    from congso.indicators.services import Row, data_values_import

    units = set(user_units(user=official).values_list("pk", flat=True))
    rows = [Row("SHOPS", "2026Q1", "32002", value="1"), Row("SHOPS", "2026Q1", "32248", value="1")]
    summary = data_values_import(rows=rows, allowed_units=units)
    assert summary["importCount"]["imported"] == 1
    assert "không được phép báo cáo cho đơn vị" in summary["conflicts"][0]["value"]
