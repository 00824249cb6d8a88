import pytest

from congso.core.exceptions import ApplicationError
from congso.dossiers import workflow
from congso.dossiers.constants import NATIONAL_CODE, DossierStatus, EventKind
from congso.dossiers.models import Dossier, DossierEvent
from congso.dossiers.tests.factories import at

S = DossierStatus
ALLOWED = [(status, name) for name, move in workflow.TRANSITIONS.items() for status in sorted(move.sources)]
FORBIDDEN = [
    (status, name)
    for name, move in workflow.TRANSITIONS.items()
    for status in DossierStatus
    if status not in move.sources
]


def test_the_table_is_complete_and_consistent():
    assert len(ALLOWED) + len(FORBIDDEN) == len(DossierStatus) * len(workflow.TRANSITIONS)
    event_kind_length = DossierEvent._meta.get_field("kind").max_length
    for name, move in workflow.TRANSITIONS.items():
        assert move.name == name
        assert move.sources, name
        assert set(move.sources) <= set(DossierStatus)
        assert set(move.targets) <= set(DossierStatus)
        assert move.event in EventKind.values
        assert len(move.event) <= event_kind_length
    # Each transition writes its own kind of event.
    assert len({move.event for move in workflow.TRANSITIONS.values()}) == len(workflow.TRANSITIONS)


def test_closed_statuses_allow_nothing_and_every_open_status_allows_something():
    closed = {S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RETURNED}
    for status in DossierStatus:
        moves = workflow.available(Dossier(status=status))
        assert (not moves) == (status in closed), status


@pytest.mark.parametrize(("status", "name"), ALLOWED)
def test_ensure_allows_what_the_table_lists(status, name):
    assert workflow.ensure(Dossier(status=status), name) is workflow.TRANSITIONS[name]
    assert workflow.allowed(Dossier(status=status), name)


@pytest.mark.parametrize(("status", "name"), FORBIDDEN)
def test_ensure_refuses_everything_else_naming_the_current_status(status, name):
    dossier = Dossier(status=status)
    assert not workflow.allowed(dossier, name)
    with pytest.raises(ApplicationError) as excinfo:
        workflow.ensure(dossier, name)
    error = excinfo.value
    assert error.code == "transition_not_allowed"
    assert error.extra == {"status": status, "transition": name}
    assert str(dossier.get_status_display()) in error.message  # in Vietnamese: "đã xử lý xong"…
    assert str(workflow.TRANSITIONS[name].label) in error.message


def test_the_message_is_in_vietnamese_for_the_status():
    with pytest.raises(ApplicationError) as excinfo:
        workflow.ensure(Dossier(status=S.RETURNED), "approve")
    assert "đã trả kết quả" in excinfo.value.message


def test_an_unknown_transition_is_a_programming_error():
    with pytest.raises(KeyError):
        workflow.ensure(Dossier(status=S.PROCESSING), "publish")


def test_the_applicant_cannot_withdraw_once_the_result_is_ready():
    assert workflow.allowed(Dossier(status=S.FEES_DUE), "withdraw")
    assert not workflow.allowed(Dossier(status=S.RESULT_READY), "withdraw")
    assert workflow.TRANSITIONS["withdraw"].by_applicant


def test_a_refusal_after_appraisal_is_a_result_not_an_intake_refusal():
    assert workflow.TRANSITIONS["refuse_after_appraisal"].targets == (S.RESULT_READY,)
    assert NATIONAL_CODE[S.RESULT_READY] == 9
    assert workflow.TRANSITIONS["refuse_at_intake"].targets == (S.REFUSED,)


def test_supplement_received_resumes_intake_or_processing():
    never_accepted = Dossier(status=S.SUPPLEMENT_REQUESTED, received_at=None)
    accepted = Dossier(status=S.SUPPLEMENT_REQUESTED, received_at=at("2026-03-10 08:00"))
    assert workflow.target(never_accepted, "supplement_received") == S.SUBMITTED
    assert workflow.target(accepted, "supplement_received") == S.PROCESSING
    assert workflow.target(Dossier(status=S.FEES_DUE), "extend") == S.FEES_DUE  # keeps the status
    assert workflow.target(Dossier(status=S.PROCESSING), "approve") == S.RESULT_READY


def test_guards_read_the_dossier():
    dossier = Dossier(status=S.PROCESSING)
    assert not workflow.clock_is_paused(dossier)
    assert not workflow.was_extended(dossier)
    dossier.clock_paused_at = dossier.extended_at = at("2026-03-10 08:00")
    assert workflow.clock_is_paused(dossier)
    assert workflow.was_extended(dossier)
    dossier.due_at = at("2026-03-12 08:00")
    assert workflow.is_early(dossier, at=at("2026-03-11 16:00"))
    assert not workflow.is_early(dossier, at=at("2026-03-12 08:00"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "in_time"),
    [
        ("2026-03-16 08:00", True),  # Monday: exactly one working day before Tuesday 08:00
        ("2026-03-16 08:01", False),
        ("2026-03-13 08:00", True),  # Friday: the weekend is not worked: two working days are left
        ("2026-03-17 07:00", False),  # the last working day
    ],
)
def test_in_time_to_extend_means_a_whole_working_day_left(now, in_time):
    dossier = Dossier(status=S.PROCESSING, due_at=at("2026-03-17 08:00"))
    assert workflow.in_time_to_extend(dossier, at=at(now)) is in_time


def test_no_due_date_no_extension():
    assert not workflow.in_time_to_extend(Dossier(status=S.PROCESSING), at=at("2026-03-10 08:00"))
