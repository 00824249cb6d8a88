"""The citizen's forms on the dossier page and the officials' feedback pages."""

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.translation import gettext

from congso.conftest import make_user
from congso.dossiers.constants import DossierStatus
from congso.dossiers.models import Dossier
from congso.dossiers.tests.factories import at, make_office
from congso.feedback.constants import FeedbackStatus, RatingLevel
from congso.feedback.models import Feedback, Rating
from congso.feedback.services import feedback_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(dossier):
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.RESULT_READY)
    dossier.refresh_from_db()
    return dossier


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_citizen_rates_from_the_dossier_page(client, citizen, finished):
    client.force_login(citizen)
    url = reverse("feedback:rate", args=[finished.code])
    assert client.get(url).status_code == 405
    response = client.post(url, {"level": RatingLevel.NOT_SATISFIED, "comment": "Phải đi lại 3 lần"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:detail", args=[finished.code])
    assert Rating.objects.get().level == RatingLevel.NOT_SATISFIED
    response = client.post(url, {"level": RatingLevel.SATISFIED})
    assert texts(response)[-1] == gettext("This dossier has already been rated.")
    assert Rating.objects.get().level == RatingLevel.NOT_SATISFIED


def test_rating_an_unfinished_dossier_says_why(client, citizen, dossier):
    client.force_login(citizen)
    response = client.post(reverse("feedback:rate", args=[dossier.code]), {"level": RatingLevel.SATISFIED})
    assert response.status_code == 302
    assert texts(response)
    assert not Rating.objects.exists()


def test_another_citizen_gets_404(client, finished):
    client.force_login(make_user("citizen.b@example.vn"))
    assert (
        client.post(reverse("feedback:rate", args=[finished.code]), {"level": "satisfied"}).status_code == 404
    )
    url = reverse("feedback:dossier_feedback", args=[finished.code])
    assert client.post(url, {"kind": "report", "text": "x"}).status_code == 404
    assert not Rating.objects.exists() and not Feedback.objects.exists()


def test_forms_need_the_csrf_token(citizen, finished):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert (
        client.post(reverse("feedback:rate", args=[finished.code]), {"level": "satisfied"}).status_code == 403
    )


def test_citizen_files_feedback_about_a_dossier(client, citizen, dossier):
    client.force_login(citizen)
    url = reverse("feedback:dossier_feedback", args=[dossier.code])
    response = client.post(url, {"kind": "report", "text": "Quá hạn mà chưa có kết quả"})
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.dossier == dossier and feedback.author == citizen
    assert "Quá hạn" in client.get(reverse("feedback:mine")).content.decode()


def test_citizen_files_feedback_about_an_office(client, citizen, office):
    client.force_login(citizen)
    url = reverse("feedback:new")
    assert client.get(url).status_code == 200
    response = client.post(url, {"office": office.pk, "kind": "proposal", "text": "Cần thêm chỗ ngồi chờ"})
    assert response.status_code == 302
    assert Feedback.objects.get().office == office


def test_dossier_panel(rf: RequestFactory, citizen, finished):
    request = rf.get("/")
    request.user = citizen
    html = render_to_string("feedback/portal/dossier_panel.html", {"dossier": finished}, request=request)
    assert reverse("feedback:rate", args=[finished.code]) in html
    assert "csrfmiddlewaretoken" in html
    Rating.objects.create(dossier=finished, user=citizen, level=RatingLevel.SATISFIED)
    html = render_to_string("feedback/portal/dossier_panel.html", {"dossier": finished}, request=request)
    assert reverse("feedback:rate", args=[finished.code]) not in html
    assert reverse("feedback:dossier_feedback", args=[finished.code]) in html


def test_official_list_is_scoped_and_highlights_overdue(client, citizen, dossier, official):
    overdue = feedback_submit(
        author=citizen, dossier=dossier, kind="report", text="cũ", at=at("2026-01-05 08:00")
    )
    feedback_submit(author=citizen, dossier=dossier, kind="report", text="mới")
    elsewhere = make_office("32248", "000.00.64.H12")
    theirs = feedback_submit(author=citizen, office=elsewhere, kind="report", text="xa")
    client.force_login(official)
    body = client.get(reverse("feedback:office_list")).content.decode()
    assert body.count('class="overdue"') == 1
    assert reverse("feedback:office_detail", args=[overdue.pk]) in body
    assert reverse("feedback:office_detail", args=[theirs.pk]) not in body


def test_citizen_cannot_open_the_official_list(client, citizen):
    client.force_login(citizen)
    assert client.get(reverse("feedback:office_list")).status_code == 403


def test_official_acknowledges_and_answers(client, citizen, dossier, official):
    feedback = feedback_submit(author=citizen, dossier=dossier, kind="report", text="Chờ lâu")
    client.force_login(official)
    assert client.get(reverse("feedback:office_detail", args=[feedback.pk])).status_code == 200
    client.post(reverse("feedback:office_acknowledge", args=[feedback.pk]))
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ACKNOWLEDGED
    response = client.post(reverse("feedback:office_detail", args=[feedback.pk]), {"answer": "Đã xử lý."})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED and feedback.answered_by == official
    client.force_login(citizen)
    assert "Đã xử lý." in client.get(reverse("feedback:mine")).content.decode()


def test_official_of_another_commune_gets_404(client, citizen, dossier, other_official):
    feedback = feedback_submit(author=citizen, dossier=dossier, kind="report", text="Chờ lâu")
    client.force_login(other_official)
    assert client.get(reverse("feedback:office_detail", args=[feedback.pk])).status_code == 404
    assert client.post(reverse("feedback:office_acknowledge", args=[feedback.pk])).status_code == 404
    response = client.post(reverse("feedback:office_detail", args=[feedback.pk]), {"answer": "x"})
    assert response.status_code == 404
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.RECEIVED
