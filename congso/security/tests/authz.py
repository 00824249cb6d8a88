"""The world the authorisation matrix runs in: personas, objects owned by citizen A at unit X, and how
every URL parameter is filled. Shared by test_authz_matrix.py (and by the apps added later)."""

import dataclasses
import datetime
import uuid

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from congso.accounts.constants import StaffRole
from congso.accounts.services import role_grant
from congso.api.auth import api_token_issue
from congso.api.models import ApiClient
from congso.conftest import PASSWORD
from congso.dossiers.models import DossierDraft
from congso.dossiers.tests.factories import make_office, make_version, submit
from congso.dossiers.transitions import dossier_request_supplement
from congso.feedback.services import feedback_submit
from congso.geo.models import AdministrativeUnit

User = get_user_model()

# Personas. "X" is Phường An Xuyên (32002), "Y" Xã Đất Mũi (32248); H is a hamlet of X.
ANON = "anonymous"
CITIZEN_A = "citizen A"
CITIZEN_B = "citizen B"
OFFICIAL_X = "official of X"
OFFICIAL_Y = "official of Y"
TEAM_H = "team member of H"
TEAM_OTHER = "team member of another hamlet"
LEADER = "leader"
PERSONAS = (ANON, CITIZEN_A, CITIZEN_B, OFFICIAL_X, OFFICIAL_Y, TEAM_H, TEAM_OTHER, LEADER)
# API clients (bearer tokens): A submitted the dossier through the API, B did not.
API_ANON = "no token"
API_A = "client A"
API_B = "client B"
API_PERSONAS = (API_ANON, API_A, API_B)


@dataclasses.dataclass
class World:
    users: dict
    tokens: dict
    unit_x: AdministrativeUnit
    hamlet_h: AdministrativeUnit
    dossier: object  # citizen A's dossier at X's office
    api_dossier: object  # submitted by API client A
    draft: DossierDraft
    feedback: object
    procedure_code: str
    api_clients: dict
    objects: dict = dataclasses.field(default_factory=dict)  # the objects of the apps added later, by name


def _hamlet_of(commune_code: str) -> AdministrativeUnit:
    return (
        AdministrativeUnit.objects.filter(parent__code=commune_code, level="hamlet").order_by("code").first()
    )


def build_world() -> World:
    def user(email, **extra):
        return User.objects.create_user(email, PASSWORD, **extra)

    unit_x = AdministrativeUnit.objects.get(code="32002")
    unit_y = AdministrativeUnit.objects.get(code="32248")
    hamlet_h = _hamlet_of("32002")
    other_hamlet = _hamlet_of("32248")
    users = {
        CITIZEN_A: user("a@example.vn", full_name="Nguyễn Thị Hoa"),
        CITIZEN_B: user("b@example.vn", full_name="Trần Văn Bình"),
        OFFICIAL_X: user("ox@example.vn"),
        OFFICIAL_Y: user("oy@example.vn"),
        TEAM_H: user("th@example.vn"),
        TEAM_OTHER: user("to@example.vn"),
        LEADER: user("leader@example.vn"),
    }
    role_grant(user=users[OFFICIAL_X], role=StaffRole.ONE_STOP_OFFICER, unit=unit_x)
    role_grant(user=users[OFFICIAL_X], role=StaffRole.DEPARTMENT_OFFICER, unit=unit_x)
    role_grant(user=users[OFFICIAL_Y], role=StaffRole.ONE_STOP_OFFICER, unit=unit_y)
    role_grant(user=users[OFFICIAL_Y], role=StaffRole.DEPARTMENT_OFFICER, unit=unit_y)
    role_grant(user=users[TEAM_H], role=StaffRole.TEAM_MEMBER, unit=hamlet_h)
    role_grant(user=users[TEAM_OTHER], role=StaffRole.TEAM_MEMBER, unit=other_hamlet)
    role_grant(user=users[LEADER], role=StaffRole.UNIT_LEADER, unit=AdministrativeUnit.objects.get(code="96"))

    version = make_version()
    office_x = make_office("32002", "000.00.26.H12")
    make_office("32248", "000.00.64.H12")
    dossier = submit(version, office_x, applicant_user=users[CITIZEN_A])
    # A supplement request, so that the notice (Mẫu 02) exists for those allowed to print it.
    dossier = dossier_request_supplement(
        dossier=dossier, actor=users[OFFICIAL_X], items=["Bản sao giấy chứng sinh"], reason="Bản chụp bị mờ."
    )
    draft = DossierDraft.objects.create(
        token=uuid.uuid4(), user=users[CITIZEN_A], version=version, office=office_x, form_data={}
    )
    feedback = feedback_submit(
        author=users[CITIZEN_A], kind="report", text="Cán bộ hẹn trả kết quả nhưng chưa trả.", dossier=dossier
    )
    tokens = {}
    api_users = {}
    api_clients = {}
    for persona in (API_A, API_B):
        account = user(f"api-{persona[-1].lower()}@example.vn")
        api_users[persona] = account
        client = ApiClient.objects.create(name=f"App {persona}", user=account)
        api_clients[persona] = client
        tokens[persona] = api_token_issue(client=client)
    api_dossier = submit(version, office_x, channel=2, submitted_by=api_users[API_A])
    world = World(
        users=users,
        tokens=tokens,
        unit_x=unit_x,
        hamlet_h=hamlet_h,
        dossier=dossier,
        api_dossier=api_dossier,
        draft=draft,
        feedback=feedback,
        procedure_code=version.procedure.code,
        api_clients=api_clients,
    )
    _programme(world)
    _appointments(world)
    _payments(world)
    _outreach(world)
    _indicators(world)
    return world


# Payment gateway whose secret the matrix configures (an unsigned callback must be refused with 401).
GATEWAY = "fake"


def _programme(world: World) -> None:
    """A plan of unit X with a task (one progress report with a file) and a project."""
    from congso.programme.constants import FundingSource, Pillar, TaskStatus
    from congso.programme.models import Plan, Project, ProjectYear, Task, TaskUpdate

    year = timezone.localdate().year
    plan = Plan.objects.create(
        name="Kế hoạch CĐS An Xuyên", year=year, decision_number="01/KH-UBND", unit=world.unit_x
    )
    task = Task.objects.create(
        plan=plan, code="NV-1", name="Số hoá hồ sơ hộ tịch", pillar=Pillar.GOVERNMENT, lead_unit=world.unit_x,
        due_date=datetime.date(year, 12, 31),
    )  # fmt: skip
    update = TaskUpdate(
        task=task,
        date=timezone.localdate(),
        percent=40,
        status=TaskStatus.IN_PROGRESS,
        created_by=world.users[OFFICIAL_X],
    )
    update.evidence_file.save("bien-ban.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    update.save()
    project = Project.objects.create(
        plan=plan, code="DA-AX", name="Wifi công cộng An Xuyên", owner_unit=world.unit_x,
        funding_source=FundingSource.COMMUNE, approved_total=500_000, start_year=year, end_year=year + 1,
    )  # fmt: skip
    ProjectYear.objects.create(project=project, year=year, allocated=200_000, committed=0, disbursed=0)
    world.objects.update(task=task, task_update=update, project=project)


def _appointments(world: World) -> None:
    """A counter of unit X, a booking of citizen A there, a closed day, and A's signed cancel token."""
    from congso.appointments.constants import BookingStatus, ResourceKind
    from congso.appointments.models import Blackout, Booking, Resource
    from congso.appointments.services import cancel_token
    from congso.core import calendar

    resource = Resource.objects.create(
        unit=world.unit_x,
        kind=ResourceKind.COUNTER,
        name="Quầy tiếp nhận An Xuyên",
        slot_minutes=30,
        capacity=2,
    )
    working = calendar.current_calendar()
    day = working.next_working_day(working.next_working_day(timezone.localdate()))
    starts_at = datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=timezone.get_current_timezone())
    booking = Booking.objects.create(
        resource=resource, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=30), seat=1,
        status=BookingStatus.BOOKED, user=world.users[CITIZEN_A], name="Nguyễn Thị Hoa", phone=BOOKING_PHONE,
        purpose="Nộp hồ sơ khai sinh", check_in_code="AX7K2M",
    )  # fmt: skip
    blackout = Blackout.objects.create(
        resource=resource,
        date=working.next_working_day(day),
        reason="Mất điện",
        created_by=world.users[OFFICIAL_X],
    )
    world.objects.update(
        resource=resource, booking=booking, blackout=blackout, booking_token=cancel_token(booking)
    )


BOOKING_PHONE = "0987654321"


def _payments(world: World) -> None:
    """A fee request on a dossier of citizen A at X's office, paid at the counter (its receipt exists),
    and an applied bank statement of X with a line waiting for a person."""
    from congso.payments import reconciliation, services
    from congso.payments.tests.factories import issue, processing_dossier

    official = world.users[OFFICIAL_X]
    dossier = processing_dossier(official, applicant_user=world.users[CITIZEN_A])
    fee = issue(dossier, official)
    fee = services.fee_request_pay_at_counter(request=fee, actor=official)
    content = "\n".join(
        [
            "SAO KÊ TÀI KHOẢN 999932002",
            "",
            "Ngày giao dịch;Số tiền ghi có;Nội dung chuyển khoản;Mã giao dịch",
            "26/11/2026;58000;chuyen tien le phi ho so;FT900",
        ]
    ).encode("utf-8-sig")
    statement = reconciliation.statement_preview(
        actor=official, unit=world.unit_x, filename="saoke.csv", content=content
    )
    statement = reconciliation.statement_apply(statement=statement, actor=official)
    world.objects.update(
        fee=fee, fee_dossier=dossier, statement=statement, statement_line=statement.lines.get()
    )


HOUSEHOLD_HEAD = "Lê Văn Mười"
HOUSEHOLD_PHONE = "0911222333"


def _outreach(world: World) -> None:
    """Two households of hamlet H that look like one (a duplicate to merge), one with a conflicting edit."""
    from congso.outreach.constants import ConflictStatus
    from congso.outreach.models import Household, HouseholdConflict

    household = Household.objects.create(
        hamlet=world.hamlet_h, house_number="7", head_name=HOUSEHOLD_HEAD, phone=HOUSEHOLD_PHONE, members=4
    )
    twin = Household.objects.create(hamlet=world.hamlet_h, house_number="7", head_name=HOUSEHOLD_HEAD)
    conflict = HouseholdConflict.objects.create(
        household=household,
        submitted_by=world.users[TEAM_H],
        base_version=1,
        server_version=2,
        data={"members": 5},
        status=ConflictStatus.OPEN,
    )
    world.objects.update(household=household, household_twin=twin, conflict=conflict)


VALUE_STORED_BY = "so-lieu-cho-ung-dung-A"  # read through the API only by client A, granted the form
ALERT_MESSAGE = "Tỷ lệ hồ sơ trực tuyến của Phường An Xuyên dưới mục tiêu"


def _indicators(world: World) -> None:
    """A form and an indicator; a value of X; API client A may write the form; an alert of X; an Excel
    import of the official of X."""
    from congso.indicators.constants import AlertKind
    from congso.indicators.models import Alert, AlertRule, DataValue, FormGrant, ImportJob
    from congso.indicators.periods import containing, previous
    from congso.indicators.tests.factories import make_element, make_form, make_indicator

    form = make_form("F_AUTHZ")
    element = make_element("E_AUTHZ", form)
    indicator = make_indicator("I_AUTHZ", "#{E_AUTHZ}", frequency="monthly")
    period = previous(containing(timezone.localdate(), "monthly"))
    DataValue.objects.create(
        element=element, unit=world.unit_x, period=period.key, period_start=period.start,
        period_end=period.end, value=42, stored_by=VALUE_STORED_BY,
    )  # fmt: skip
    FormGrant.objects.create(client=world.api_clients[API_A], form=form)
    rule = AlertRule.objects.create(name="Dưới mục tiêu", kind=AlertKind.BELOW_TARGET, indicator=indicator)
    alert = Alert.objects.create(rule=rule, unit=world.unit_x, period=period.key, message=ALERT_MESSAGE)
    job = ImportJob(form=form, created_by=world.users[OFFICIAL_X], summary={})
    job.file.save("bieu-mau.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    job.save()
    world.objects.update(form=form, indicator=indicator, period=period.key, alert=alert, import_job=job)


def url_kwargs(name: str, kwargs: list[str], world: World) -> dict:
    """Fill the parameters of the URL named ``name`` with the objects of citizen A / unit X. One resolver per
    parameter name, with per-namespace and per-URL overrides where the same name means different things."""
    per_namespace = {
        ("catalog", "code"): world.procedure_code,
        ("dossiers:counter_new", "code"): world.procedure_code,
        ("geo", "code"): world.unit_x.code,
        # programme
        ("programme:task_detail", "pk"): world.objects["task"].pk,
        ("programme:evidence", "pk"): world.objects["task_update"].pk,
        ("programme:project_detail", "pk"): world.objects["project"].pk,
        # appointments: a place's pk, except a booking's and a closed day's
        ("appointments", "pk"): world.objects["resource"].pk,
        ("appointments:confirmation", "pk"): world.objects["booking"].pk,
        ("appointments:office_no_show", "pk"): world.objects["booking"].pk,
        ("appointments:office_blackout_remove", "pk"): world.objects["blackout"].pk,
        ("appointments", "token"): world.objects["booking_token"],
        # payments
        ("payments:issue", "code"): world.objects["fee_dossier"].code,
        ("payments", "reference"): world.objects["fee"].reference,
        ("payments", "key"): world.objects["fee"].verify_key,
        ("payments:statement", "pk"): world.objects["statement"].pk,
        ("payments:resolve", "pk"): world.objects["statement_line"].pk,
        # outreach: hamlet H for a team member's list, unit X for the supervisors' pages
        ("outreach:hamlet", "code"): world.hamlet_h.code,
        ("outreach", "code"): world.unit_x.code,
        ("outreach:visit_new", "pk"): world.objects["household"].pk,
        ("outreach:conflict_resolve", "pk"): world.objects["conflict"].pk,
        # indicators
        ("indicators:indicator", "code"): world.objects["indicator"].code,
        ("indicators:indicator_data", "code"): world.objects["indicator"].code,
        ("indicators:template", "code"): world.objects["form"].code,
        ("indicators:alert_action", "pk"): world.objects["alert"].pk,
        ("indicators:alert_action", "action"): "xac-nhan",
        ("indicators:job", "pk"): world.objects["import_job"].pk,
    }
    generic = {
        "code": world.dossier.code,
        "token": world.draft.token,
        "pk": world.feedback.pk,
        "step_id": _step_id(world),
        "name": "accept",
        "number": "02",
        "fmt": "svg",
    }
    namespace = name.split(":")[0] if ":" in name else ""
    values = {}
    for kwarg in kwargs:
        for key in ((name, kwarg), (namespace, kwarg)):
            if key in per_namespace:
                values[kwarg] = per_namespace[key]
                break
        else:
            if kwarg not in generic:
                raise KeyError(
                    f"no resolver for the URL parameter {kwarg!r} of {name}: add one in authz.url_kwargs"
                )
            values[kwarg] = generic[kwarg]
    return values


def _step_id(world: World) -> int:
    step = world.dossier.steps.order_by("pk").first()
    return step.pk if step else 999_999


def api_path_params(path: str, world: World) -> str:
    values = {
        "{code}": world.api_dossier.code if path.startswith("/api/v1/dossiers") else None,
    }
    if path.startswith("/api/v1/units"):
        values["{code}"] = world.unit_x.code
    if path.startswith("/api/v1/procedures"):
        values["{code}"] = world.procedure_code
    if path.startswith("/api/v1/appointments"):
        values["{resource_id}"] = world.objects["resource"].pk
    if path.startswith("/api/v1/payments"):
        values["{name}"] = GATEWAY
    if path == "/api/v1/outreach/coverage":
        path += f"?unit={world.unit_x.code}"
    if path == "/api/v1/dataValueSets":
        form, period = world.objects["form"].code, world.objects["period"]
        path += f"?dataSet={form}&period={period}&orgUnit={world.unit_x.code}"
    if path == "/api/v1/dossiers/status":
        path += f"?code={world.dossier.code}&key={world.dossier.lookup_key}"
    for placeholder, value in values.items():
        if value is not None:
            path = path.replace(placeholder, str(value))
    if "{" in path:
        raise KeyError(f"no resolver for the parameters of {path}: add one in api_path_params")
    return path


def api_body(method: str, path: str, world: World) -> dict:
    """The JSON body sent to an operation: an empty object, or a valid one naming H's objects where the
    operation looks them up in the caller's scope (so that a member of another hamlet is refused them)."""
    if (method, path) == ("POST", "/api/v1/outreach/households/candidates"):
        return {"hamlet": world.hamlet_h.code, "head_name": HOUSEHOLD_HEAD, "phone": HOUSEHOLD_PHONE}
    return {}


# Who may see citizen A's dossier at X: A, the officials of X and the province's leader.
MAY_SEE_A = frozenset({CITIZEN_A, OFFICIAL_X, LEADER})
# Who may see the households of hamlet H: its team member and the supervisors of X.
MAY_SEE_H = frozenset({TEAM_H, OFFICIAL_X, LEADER})
# Who may see unit X's internal work (its plan's tasks, its alerts): the officials of X and the leader.
MAY_SEE_X = frozenset({OFFICIAL_X, LEADER})


def private_markers(world: World) -> dict[str, frozenset]:
    """Text that only some personas may see, with who may: A's dossier codes, the applicant's name and ID
    number, A's feedback, the phone of A's booking (the signed ticket link shows it masked); the head and
    phone of a household of H; X's task and alert."""
    markers = dict.fromkeys(
        [
            world.dossier.code,
            "Nguyễn Thị Hoa",
            "096190000123",
            world.feedback.text,
            world.objects["fee_dossier"].code,
            BOOKING_PHONE,
        ],
        MAY_SEE_A,
    )
    markers.update(dict.fromkeys([HOUSEHOLD_HEAD, HOUSEHOLD_PHONE], MAY_SEE_H))
    markers.update(dict.fromkeys([world.objects["task"].name, ALERT_MESSAGE], MAY_SEE_X))
    markers[VALUE_STORED_BY] = frozenset({API_A, OFFICIAL_X, LEADER})
    return markers
