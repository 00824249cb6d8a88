"""The world the authorisation matrix runs in: personas, objects owned by citizen A at unit X, and how
every URL parameter is filled. Shared by test_authz_matrix.py (and by the apps added later)."""

import dataclasses
import uuid

from django.contrib.auth import get_user_model

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
    for persona in (API_A, API_B):
        account = user(f"api-{persona[-1].lower()}@example.vn")
        api_users[persona] = account
        client = ApiClient.objects.create(name=f"App {persona}", user=account)
        tokens[persona] = api_token_issue(client=client)
    api_dossier = submit(version, office_x, channel=2, submitted_by=api_users[API_A])
    return World(
        users=users,
        tokens=tokens,
        unit_x=unit_x,
        hamlet_h=hamlet_h,
        dossier=dossier,
        api_dossier=api_dossier,
        draft=draft,
        feedback=feedback,
        procedure_code=version.procedure.code,
    )


def url_kwargs(name: str, kwargs: list[str], world: World) -> dict:
    """Fill the parameters of the URL named ``name`` with the objects of citizen A / unit X. One resolver per
    parameter name, with per-namespace and per-URL overrides where the same name means different things."""
    per_namespace = {
        ("catalog", "code"): world.procedure_code,
        ("dossiers:counter_new", "code"): world.procedure_code,
        ("geo", "code"): world.unit_x.code,
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
    if path == "/api/v1/dossiers/status":
        path += f"?code={world.dossier.code}&key={world.dossier.lookup_key}"
    for placeholder, value in values.items():
        if value is not None:
            path = path.replace(placeholder, str(value))
    if "{" in path:
        raise KeyError(f"no resolver for the parameters of {path}: add one in api_path_params")
    return path


def private_markers(world: World) -> list[str]:
    """Text only citizen A, the officials of X and the leader may see: A's dossier code, the applicant's
    name and ID number, A's feedback."""
    return [world.dossier.code, "Nguyễn Thị Hoa", "096190000123", world.feedback.text]
