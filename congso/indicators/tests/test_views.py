import pytest
from django.urls import reverse

from congso.conftest import make_user
from congso.indicators.demo import load_demo
from congso.indicators.models import Alert, AlertRule, DataValue, ImportJob, ReportingForm
from congso.indicators.tasks import import_job_run

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The starter content and the demo values, once for the module (removed at the end)."""
    with django_db_blocker.unblock():
        load_demo()
    yield
    with django_db_blocker.unblock():
        from congso.indicators import models

        for model in (
            models.RollupValue,
            models.DataValue,
            models.FormCompletion,
            models.Alert,
            models.AlertRule,
            models.Target,
            models.Indicator,
            models.Legend,
            models.LegendSet,
            models.DataElement,
            models.Option,
            models.OptionSet,
            models.ReportingForm,
            models.Domain,
        ):
            model.objects.all().delete()


PAGES = [
    ("indicators:overview", []),
    ("indicators:indicator", ["DIGITAL_HH_COVERAGE"]),
    ("indicators:indicator", ["ON_TIME_RATE"]),
    ("indicators:indicator_data", ["EID_RATE"]),
    ("indicators:d766", []),
    ("indicators:completeness", []),
    ("indicators:alerts", []),
    ("indicators:upload", []),
    ("indicators:boundaries", []),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_leader_sees_every_page_and_citizen_gets_403(client, demo, leader, citizen, name, args):
    url = reverse(name, args=args)
    client.force_login(leader)
    assert client.get(url).status_code == 200
    client.force_login(citizen)
    assert client.get(url).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, demo):
    assert client.get(reverse("indicators:overview")).status_code == 302


def test_overview_shows_pillars_with_status_in_words(client, demo, leader):
    client.force_login(leader)
    html = client.get(reverse("indicators:overview")).content.decode()
    for text in ("Chính quyền số", "Kinh tế số", "Xã hội số", "Tỷ lệ hộ gia đình sử dụng nền tảng số"):
        assert text.lower() in html.lower()
    assert "rag-" in html and "mục tiêu" in html


def test_official_sees_only_their_commune(client, demo, official):
    client.force_login(official)
    html = client.get(reverse("indicators:overview")).content.decode()
    assert "An Xuyên" in html
    url = reverse("indicators:indicator", args=["ONLINE_RATE"])
    assert client.get(url + "?don-vi=32248").status_code == 404  # another commune
    assert client.get(url + "?don-vi=96").status_code == 404  # the province
    assert client.get(url + "?don-vi=32002").status_code == 200
    assert client.get(reverse("indicators:d766") + "?don-vi=32248").status_code == 404


def test_drill_down_province_commune_hamlet(client, demo, leader):
    client.force_login(leader)
    url = reverse("indicators:indicator", args=["DIGITAL_HH_COVERAGE"])
    province = client.get(url).content.decode()
    assert "?don-vi=32248" in province and "data-map" in province
    commune = client.get(url + "?don-vi=32248").content.decode()
    assert "32248-01" not in commune or "Ấp" in commune or "Khóm" in commune
    data = client.get(
        reverse("indicators:indicator_data", args=["DIGITAL_HH_COVERAGE"]) + "?don-vi=32248"
    ).json()
    assert data["children"] and all(c["code"].startswith("32248-") for c in data["children"])
    assert any(p["value"] is not None for p in data["series"])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports(client, demo, leader, fmt):
    client.force_login(leader)
    for url in (
        reverse("indicators:overview"),
        reverse("indicators:indicator", args=["ONLINE_RATE"]),
        reverse("indicators:d766"),
        reverse("indicators:completeness"),
        reverse("indicators:alerts"),
    ):
        response = client.get(url + f"?xuat={fmt}")
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]


def test_d766_marks_what_is_not_measured(client, demo, leader):
    client.force_login(leader)
    html = client.get(reverse("indicators:d766")).content.decode()
    assert "ước tính" in html.lower()
    assert html.count("chưa có số liệu") >= 3


@pytest.mark.parametrize(("name", "args"), [p for p in PAGES if p[0] != "indicators:boundaries"])
def test_dashboards_use_a_constant_number_of_queries(
    client, demo, leader, django_assert_max_num_queries, name, args
):
    client.force_login(leader)
    url = reverse(name, args=args)
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(18):  # a commune: other size, same count
        assert client.get(url + "?don-vi=32248").status_code == 200


def test_completeness_lists_who_has_not_reported(client, demo, leader):
    client.force_login(leader)
    from congso.indicators import periods

    last_quarter = max(DataValue.objects.filter(element__code="ADULTS").values_list("period", flat=True))
    response = client.get(
        reverse("indicators:completeness") + f"?loai=quarterly&ky={last_quarter}&bieu=F_EID"
    )
    assert response.status_code == 200
    missing = response.context["page"].paginator.count
    reported = DataValue.objects.filter(element__code="ADULTS", period=last_quarter).count()
    assert missing == 64 - reported > 0
    assert periods.parse(last_quarter)


def test_alert_inbox_acknowledge_assign_resolve(client, demo, leader, official):
    rule = AlertRule.objects.get(kind="below_target")
    alert = Alert.objects.create(
        rule=rule, unit=official.role_bindings.get().unit, period="2026M01", message="Thấp"
    )
    client.force_login(leader)
    base = reverse("indicators:alert_action", args=[alert.pk, "xac-nhan"])
    assert client.post(base).status_code == 302
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.assignee == leader
    client.post(reverse("indicators:alert_action", args=[alert.pk, "giao"]), {"assignee": official.pk})
    alert.refresh_from_db()
    assert alert.assignee == official
    stranger = make_user("stranger@example.vn")
    response = client.post(
        reverse("indicators:alert_action", args=[alert.pk, "giao"]), {"assignee": stranger.pk}
    )
    alert.refresh_from_db()
    assert response.status_code == 302 and alert.assignee == official
    client.post(reverse("indicators:alert_action", args=[alert.pk, "xu-ly"]), {"note": "Đã nhắc xã"})
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.resolution_note == "Đã nhắc xã"


def test_alert_of_another_commune_is_404(client, demo, official):
    rule = AlertRule.objects.get(kind="below_target")
    from congso.conftest import unit

    alert = Alert.objects.create(rule=rule, unit=unit("32248"), period="2026M01", message="Thấp")
    client.force_login(official)
    assert client.post(reverse("indicators:alert_action", args=[alert.pk, "xac-nhan"])).status_code == 404
    assert "Thấp" not in client.get(reverse("indicators:alerts")).content.decode()


def test_excel_template_upload_and_job_page(client, demo, leader, django_capture_on_commit_callbacks):
    client.force_login(leader)
    content = client.get(reverse("indicators:template", args=["F_ENTERPRISE"])).content
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    ws = wb.active
    ws["B2"] = "2024Q4"
    assert ws.cell(4, 3).value == "ENTERPRISES"
    ws.cell(6, 3, 42)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "bao-cao.xlsx"
    form = ReportingForm.objects.get(code="F_ENTERPRISE")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("indicators:upload"), {"form": form.pk, "file": out, "strategy": "CREATE_AND_UPDATE"}
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (
        'http-equiv="refresh"' in client.get(response["Location"]).content.decode()
    )  # waiting: refreshes itself
    import_job_run.call(job_id=job.pk)
    job.refresh_from_db()
    page = client.get(response["Location"]).content.decode()
    assert job.status == "done", job.error
    assert job.summary["importCount"]["imported"] == 1
    assert "http-equiv" not in page
    assert DataValue.objects.get(element__code="ENTERPRISES", period="2024Q4").value == 42
