"""The author is told when feedback is acknowledged and answered; answered feedback can be made public."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from congso.core.exceptions import ApplicationError
from congso.feedback.constants import FeedbackKind
from congso.feedback.services import feedback_acknowledge, feedback_answer, feedback_publish, feedback_submit
from congso.notifications.models import Message

pytestmark = pytest.mark.django_db


def mails(feedback):
    return Message.objects.filter(subject_type="feedback", subject_id=feedback.pk).order_by("id")


def test_the_author_is_told_once_per_step(citizen, dossier, official):
    feedback = feedback_submit(author=citizen, dossier=dossier, kind=FeedbackKind.REPORT, text="Chờ lâu")
    feedback_acknowledge(feedback=feedback, actor=official)
    feedback_answer(feedback=feedback, actor=official, answer="Đã trả kết quả ngày 10/3.")
    sent = list(mails(feedback))
    assert [m.template for m in sent] == ["feedback_acknowledged", "feedback_answered"]
    assert {m.recipient for m in sent} == {citizen.email}
    assert f"số {feedback.pk}" in sent[0].subject
    assert "Đã trả kết quả ngày 10/3." in sent[1].body
    assert "/phan-anh-kien-nghi/" in sent[1].body


def test_publish_only_answered_feedback_of_ones_units(citizen, office, official, other_official):
    feedback = feedback_submit(author=citizen, office=office, kind=FeedbackKind.PROPOSAL, text="Thêm ghế chờ")
    with pytest.raises(ApplicationError) as excinfo:
        feedback_publish(feedback=feedback, actor=official)
    assert excinfo.value.code == "not_answered"
    feedback_answer(feedback=feedback, actor=official, answer="Đã bổ sung 10 ghế.")
    with pytest.raises(PermissionDenied):
        feedback_publish(feedback=feedback, actor=other_official)
    feedback_publish(feedback=feedback, actor=official)
    feedback.refresh_from_db()
    assert feedback.published_at is not None
    feedback_publish(feedback=feedback, actor=official, publish=False)
    feedback.refresh_from_db()
    assert feedback.published_at is None


def test_the_public_list_shows_published_answers_with_the_name_masked(client, citizen, office, official):
    shown = feedback_submit(author=citizen, office=office, kind=FeedbackKind.PROPOSAL, text="Thêm ghế chờ")
    feedback_answer(feedback=shown, actor=official, answer="Đã bổ sung 10 ghế.", publish=True)
    hidden = feedback_submit(author=citizen, office=office, kind=FeedbackKind.REPORT, text="Bí mật riêng")
    feedback_answer(feedback=hidden, actor=official, answer="Đã xử lý.")
    page = client.get(reverse("feedback:published")).content.decode()
    assert "Thêm ghế chờ" in page and "Đã bổ sung 10 ghế." in page
    assert "Bí mật riêng" not in page
    assert "Nguyễn V. A." in page and "Nguyễn Văn A" not in page


def test_the_public_list_is_empty_at_first_and_its_queries_do_not_grow(
    client, citizen, office, official, django_assert_max_num_queries
):
    assert "Chưa có" in client.get(reverse("feedback:published")).content.decode()
    for n in range(3):
        item = feedback_submit(author=citizen, office=office, kind=FeedbackKind.PROPOSAL, text=f"Ý kiến {n}")
        feedback_answer(feedback=item, actor=official, answer="Đã xử lý.", publish=True)
    with django_assert_max_num_queries(4) as few:
        client.get(reverse("feedback:published"))
    for n in range(12):
        item = feedback_submit(author=citizen, office=office, kind=FeedbackKind.PROPOSAL, text=f"Thêm {n}")
        feedback_answer(feedback=item, actor=official, answer="Đã xử lý.", publish=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("feedback:published"))


def test_the_official_publishes_from_the_answer_form(client, citizen, office, official):
    feedback = feedback_submit(author=citizen, office=office, kind=FeedbackKind.PROPOSAL, text="Thêm ghế")
    client.force_login(official)
    url = reverse("feedback:office_detail", args=[feedback.pk])
    assert client.post(url, {"answer": "Đã bổ sung.", "publish": "on"}).status_code == 302
    feedback.refresh_from_db()
    assert feedback.published_at is not None
    client.post(reverse("feedback:office_publish", args=[feedback.pk]), {"publish": "0"})
    feedback.refresh_from_db()
    assert feedback.published_at is None
