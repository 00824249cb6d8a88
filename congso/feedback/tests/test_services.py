"""Ratings and feedback: who may, when, and the deadlines counted in working days."""

import pytest
from django.core.exceptions import PermissionDenied

from congso.conftest import make_user
from congso.core.exceptions import ApplicationError
from congso.dossiers.constants import DossierStatus
from congso.dossiers.models import Dossier
from congso.dossiers.tests.factories import at, make_office
from congso.feedback.constants import FeedbackKind, FeedbackStatus, RatingLevel
from congso.feedback.models import Rating
from congso.feedback.selectors import feedback_of_official, feedback_overdue
from congso.feedback.services import dossier_rate, feedback_acknowledge, feedback_answer, feedback_submit

pytestmark = pytest.mark.django_db


def finish(dossier, status=DossierStatus.RESULT_READY):
    Dossier.objects.filter(pk=dossier.pk).update(status=status)
    dossier.refresh_from_db()
    return dossier


# Rating


@pytest.mark.parametrize("status", [DossierStatus.RESULT_READY, DossierStatus.RETURNED])
def test_applicant_rates_a_finished_dossier(citizen, dossier, status):
    finish(dossier, status)
    rating = dossier_rate(dossier=dossier, user=citizen, level=RatingLevel.SATISFIED, comment=" Nhanh gọn ")
    assert rating.dossier == dossier
    assert rating.comment == "Nhanh gọn"
    assert rating.created_at is not None


@pytest.mark.parametrize(
    "status", [DossierStatus.SUBMITTED, DossierStatus.PROCESSING, DossierStatus.SUPPLEMENT_REQUESTED]
)
def test_an_unfinished_dossier_cannot_be_rated(citizen, dossier, status):
    finish(dossier, status)
    with pytest.raises(ApplicationError) as error:
        dossier_rate(dossier=dossier, user=citizen, level=RatingLevel.SATISFIED, comment="")
    assert error.value.code == "not_finished"
    assert not Rating.objects.exists()


def test_a_dossier_is_rated_once(citizen, dossier):
    finish(dossier)
    dossier_rate(dossier=dossier, user=citizen, level=RatingLevel.ACCEPTABLE, comment="")
    with pytest.raises(ApplicationError) as error:
        dossier_rate(dossier=dossier, user=citizen, level=RatingLevel.NOT_SATISFIED, comment="")
    assert error.value.code == "already_rated"
    assert Rating.objects.get().level == RatingLevel.ACCEPTABLE


def test_only_the_applicant_account_rates(dossier, official):
    finish(dossier)
    other_citizen = make_user("citizen.b@example.vn")
    for user in (other_citizen, official):
        with pytest.raises(PermissionDenied):
            dossier_rate(dossier=dossier, user=user, level=RatingLevel.SATISFIED, comment="")
    assert not Rating.objects.exists()


def test_rating_comment_is_limited_to_1000_characters(citizen, dossier):
    finish(dossier)
    with pytest.raises(ApplicationError):
        dossier_rate(dossier=dossier, user=citizen, level=RatingLevel.SATISFIED, comment="x" * 1001)
    dossier_rate(dossier=dossier, user=citizen, level=RatingLevel.SATISFIED, comment="x" * 1000)


def test_unknown_level_is_refused(citizen, dossier):
    finish(dossier)
    with pytest.raises(ApplicationError):
        dossier_rate(dossier=dossier, user=citizen, level="excellent", comment="")


# Feedback


def test_deadlines_are_working_days_across_a_weekend(citizen, dossier):
    friday = at("2026-03-06 10:00")
    feedback = feedback_submit(
        author=citizen, dossier=dossier, kind=FeedbackKind.REPORT, text="Chờ quá lâu", at=friday
    )
    assert feedback.office == dossier.office
    assert feedback.status == FeedbackStatus.RECEIVED
    assert feedback.acknowledge_due_at == at("2026-03-10 10:00")  # Saturday and Sunday do not count
    assert feedback.answer_due_at == at("2026-03-27 10:00")  # three working weeks


def test_free_standing_feedback_names_an_office(citizen, office):
    feedback = feedback_submit(author=citizen, office=office, kind=FeedbackKind.PROPOSAL, text="Thêm ghế")
    assert feedback.dossier is None and feedback.office == office
    with pytest.raises(ApplicationError):
        feedback_submit(author=citizen, kind=FeedbackKind.PROPOSAL, text="Thêm ghế")
    with pytest.raises(ApplicationError):
        feedback_submit(author=citizen, office=office, kind=FeedbackKind.PROPOSAL, text="   ")


def test_only_the_applicant_files_feedback_about_a_dossier(dossier):
    with pytest.raises(PermissionDenied):
        feedback_submit(author=make_user("citizen.b@example.vn"), dossier=dossier, kind="report", text="x")


def test_official_acknowledges_then_answers(citizen, dossier, official):
    feedback = feedback_submit(author=citizen, dossier=dossier, kind=FeedbackKind.REPORT, text="Chờ lâu")
    feedback_acknowledge(feedback=feedback, actor=official)
    assert feedback.status == FeedbackStatus.ACKNOWLEDGED
    assert feedback.acknowledged_by == official and feedback.acknowledged_at
    with pytest.raises(ApplicationError):
        feedback_acknowledge(feedback=feedback, actor=official)
    feedback_answer(feedback=feedback, actor=official, answer="Đã trả kết quả ngày 10/3.")
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED
    assert feedback.answered_by == official and feedback.answer == "Đã trả kết quả ngày 10/3."
    with pytest.raises(ApplicationError):
        feedback_answer(feedback=feedback, actor=official, answer="Lần nữa")


def test_answering_acknowledges_too(citizen, office, official):
    feedback = feedback_submit(author=citizen, office=office, kind=FeedbackKind.PROPOSAL, text="Thêm ghế")
    feedback_answer(feedback=feedback, actor=official, answer="Đã bổ sung.")
    assert feedback.acknowledged_at == feedback.answered_at
    assert feedback.acknowledged_by == official


def test_officials_of_other_units_cannot_handle_feedback(citizen, dossier, other_official):
    feedback = feedback_submit(author=citizen, dossier=dossier, kind=FeedbackKind.REPORT, text="Chờ lâu")
    for user in (other_official, citizen):
        with pytest.raises(PermissionDenied):
            feedback_acknowledge(feedback=feedback, actor=user)
        with pytest.raises(PermissionDenied):
            feedback_answer(feedback=feedback, actor=user, answer="?")
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.RECEIVED


def test_province_leader_may_answer_a_commune_feedback(citizen, dossier, leader):
    feedback = feedback_submit(author=citizen, dossier=dossier, kind=FeedbackKind.REPORT, text="Chờ lâu")
    feedback_answer(feedback=feedback, actor=leader, answer="Đã chỉ đạo xử lý.")
    assert feedback.status == FeedbackStatus.ANSWERED


def test_overdue_selector(citizen, dossier, official, other_official, office):
    received = at("2026-03-06 10:00")  # Friday
    late_ack, acked, answered = (
        feedback_submit(author=citizen, dossier=dossier, kind="report", text=str(i), at=received)
        for i in range(3)
    )
    feedback_acknowledge(feedback=acked, actor=official)
    feedback_answer(feedback=answered, actor=official, answer="Xong")
    fresh = feedback_submit(
        author=citizen, office=office, kind="report", text="mới", at=at("2026-03-10 09:00")
    )
    elsewhere = make_office("32248", "000.00.64.H12")
    feedback_submit(author=citizen, office=elsewhere, kind="report", text="xa", at=received)

    tuesday_noon = at("2026-03-10 12:00")  # acknowledgement due 10:00 passed; answers not yet due
    assert set(feedback_overdue(user=official, now=tuesday_noon)) == {late_ack}
    assert not feedback_overdue(user=other_official, now=tuesday_noon).filter(dossier=dossier).exists()

    later = at("2026-03-30 08:00")  # past 27/3 10:00: every open one is late, the answered one is not
    assert set(feedback_overdue(user=official, now=later)) == {late_ack, acked, fresh}
    flags = {f.pk: f.is_overdue for f in feedback_of_official(user=official, now=tuesday_noon)}
    assert flags == {late_ack.pk: True, acked.pk: False, answered.pk: False, fresh.pk: False}


def test_feedback_on_a_weekend_counts_from_monday(citizen, dossier):
    saturday = at("2026-03-07 09:00")
    feedback = feedback_submit(author=citizen, dossier=dossier, kind="report", text="x", at=saturday)
    # Counted from Monday's opening: two full working days end at Tuesday's closing.
    assert feedback.acknowledge_due_at == at("2026-03-10 17:00")
