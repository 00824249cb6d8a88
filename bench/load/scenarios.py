"""The scenarios. Each ``setup_<name>(ctx)`` returns a ``make_request(i) -> Request`` function, or a string
saying why it is skipped (an app not ready yet). ``ctx`` is the Context below, built once per run."""

import io
import json
import random
import uuid
from dataclasses import dataclass, field

from bench.load.driver import Request

OFFICER = "motcua.anxuyen@congso.local"  # one-stop officer of commune 32002 (An Xuyên)
LEADER = "lanhdao.tinh@congso.local"  # the province's leader (IOC dashboard)
TEAM_MEMBER = "tocns.datmui@congso.local"  # community digital team member, hamlet 32248-01
SUBMIT_PROCEDURE = "1.004194"  # Đăng ký tạm trú: a curated e-form with addresses and a required upload
SUBMIT_OFFICE_UNIT = "32002"
QUEUES = [
    "cho-tiep-nhan", "moi-tiep-nhan", "dang-xu-ly", "cho-bo-sung",
    "sap-den-han", "qua-han", "cho-tra", "da-tra",
]  # fmt: skip
SEARCHES = [
    "khai sinh", "dang ky khai sinh", "Đăng ký khai sinh", "đăng kí khai sinh", "khai snh", "ket hon",
    "chung thuc ban sao", "chứng thực chữ kí", "thuong tru", "giay phep xay dung", "ho kinh doanh",
    "bao tro xa hoi", "nguoi co cong", "xac nhan tinh trang hon nhan", "trich luc ho tich", "dat dai",
]  # fmt: skip
IOC_URL_NAMES = ["indicators:dashboard", "indicators:home", "indicators:index", "indicators:overview"]


@dataclass
class Context:
    port: int
    rng: random.Random
    lookups: list[tuple[str, str]] = field(default_factory=list)
    sessions: dict[str, str] = field(default_factory=dict)
    token: str = ""
    office_code: str = ""
    png: bytes = b""


def session_for(email: str) -> str:
    """A signed-in session for ``email`` written straight to the session store (no password, no MFA: the
    benchmark server runs with CONGSO_STAFF_MFA_REQUIRED=false)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from congso.accounts.models import User

    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def build_context(port: int, seed: int = 7) -> Context:
    from django.db import connection

    from congso.accounts.models import User
    from congso.api.auth import api_token_issue
    from congso.api.models import ApiClient
    from congso.dossiers.models import ReceivingOffice

    ctx = Context(port=port, rng=random.Random(seed))  # noqa: S311 - load test data
    with connection.cursor() as cursor:
        # A sample spread over the whole table (not only the newest rows in cache).
        cursor.execute(
            "SELECT code, lookup_key FROM dossiers_dossier WHERE id % 97 = 0 ORDER BY id LIMIT 20000"
        )
        ctx.lookups = cursor.fetchall()
        if not ctx.lookups:
            cursor.execute("SELECT code, lookup_key FROM dossiers_dossier LIMIT 20000")
            ctx.lookups = cursor.fetchall()
    ctx.rng.shuffle(ctx.lookups)
    for email in (OFFICER, LEADER, TEAM_MEMBER):
        if User.objects.filter(email=email).exists():
            ctx.sessions[email] = session_for(email)
    user, _ = User.objects.get_or_create(email="bench-api@congso.local")
    client, _ = ApiClient.objects.get_or_create(name="bench", defaults={"user": user})
    ctx.token = api_token_issue(client=client)
    office = ReceivingOffice.objects.filter(unit__code=SUBMIT_OFFICE_UNIT).first()
    ctx.office_code = office.code if office else ""
    ctx.png = small_png()
    return ctx


def small_png() -> bytes:
    from PIL import Image

    # A noisy 320×320 image: about 300 KB, like a phone's cropped scan (congso re-encodes every image).
    noise = random.Random(1).randbytes(320 * 320 * 3)  # noqa: S311 - test data
    buffer = io.BytesIO()
    Image.frombytes("RGB", (320, 320), noise).save(buffer, format="PNG")
    return buffer.getvalue()


def multipart(payload: dict, files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="payload"\r\n'
        f"Content-Type: application/json\r\n\r\n".encode()
        + json.dumps(payload).encode()
        + b"\r\n"
    ]
    for name, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def cookie(ctx: Context, email: str) -> dict:
    return {"Cookie": f"sessionid={ctx.sessions[email]}"}


# --- The scenarios --------------------------------------------------------------------------------------


def setup_healthz(ctx):
    return lambda i: Request("GET", "/healthz")


def setup_lookup_api(ctx):
    if not ctx.lookups:
        return "no dossiers"

    def make(i):
        code, key = ctx.lookups[i % len(ctx.lookups)]
        return Request("GET", f"/api/v1/dossiers/status?code={code}&key={key}")

    return make


def setup_lookup_page(ctx):
    if not ctx.lookups:
        return "no dossiers"

    def make(i):
        code, key = ctx.lookups[i % len(ctx.lookups)]
        return Request("GET", f"/tra-cuu/?ma={code}&khoa={key}")

    return make


def setup_catalogue_search(ctx):
    from urllib.parse import quote

    return lambda i: Request("GET", f"/thu-tuc/?q={quote(SEARCHES[i % len(SEARCHES)])}")


def submission_request(ctx, *, key: str | None = None, phone: str = "0912345678", email: str = "") -> Request:
    import datetime

    address = {
        "commune_code": SUBMIT_OFFICE_UNIT,
        "hamlet_code": f"{SUBMIT_OFFICE_UNIT}-01",
        "street": "12 Lý Thường Kiệt",
    }
    payload = {
        "procedure": SUBMIT_PROCEDURE,
        "office": ctx.office_code,
        "applicant": {"name": "Nguyễn Thị Hoa", "id_number": "096190000123", "phone": phone, "email": email},
        "answers": {
            "applicant_name": "Nguyễn Thị Hoa",
            "applicant_id": "096190000123",
            "applicant_phone": phone,
            "applicant_email": email,
            "applicant_address": address,
            "stay_address": {**address, "street": "45 Nguyễn Tất Thành"},
            "stay_until": (datetime.date.today() + datetime.timedelta(days=180)).isoformat(),
        },
    }
    body, content_type = multipart(
        payload, {"housing_proof": ("hop-dong-thue-nha.png", ctx.png, "image/png")}
    )
    headers = {
        "Authorization": f"Bearer {ctx.token}",
        "Content-Type": content_type,
        "Idempotency-Key": key or f"bench-{uuid.uuid4().hex}",
    }
    return Request("POST", "/api/v1/dossiers", body, headers, expect=(200, 201))


def setup_submission(ctx):
    if not ctx.office_code:
        return f"no receiving office for {SUBMIT_OFFICE_UNIT}"
    return lambda i: submission_request(ctx)


def setup_officer_queue(ctx):
    if OFFICER not in ctx.sessions:
        return f"no account {OFFICER}"
    headers = cookie(ctx, OFFICER)
    return lambda i: Request("GET", f"/can-bo/ho-so/?hang-doi={QUEUES[i % len(QUEUES)]}", headers=headers)


def setup_ioc_dashboard(ctx):
    from django.urls import NoReverseMatch, reverse

    for name in IOC_URL_NAMES:
        try:
            url = reverse(name)
            break
        except NoReverseMatch:
            continue
    else:
        return f"app not ready (no URL named {' / '.join(IOC_URL_NAMES)})"
    if LEADER not in ctx.sessions:
        return f"no account {LEADER}"
    headers = cookie(ctx, LEADER)
    return lambda i: Request("GET", url, headers=headers)


def setup_outreach_sync(ctx, visits: int = 1000):
    """A phone's batch of ``visits`` visits to households of the member's hamlets (session + CSRF)."""
    from django.apps import apps

    if not apps.is_installed("congso.outreach") or TEAM_MEMBER not in ctx.sessions:
        return "app not ready (outreach not installed or no team member account)"
    try:
        from congso.accounts.models import User
        from congso.outreach import selectors
        from congso.outreach.models import Household

        member = User.objects.get(email=TEAM_MEMBER)
        hamlets = selectors.member_hamlets(user=member)
        households = [
            str(pk) for pk in Household.objects.filter(hamlet__in=hamlets).values_list("pk", flat=True)
        ]
    except Exception as exc:  # the app is being built: say so, do not stop the run
        return f"app not ready ({type(exc).__name__}: {exc})"
    if not households:
        return "app not ready (no households in the team member's hamlets: run bench.generate)"
    from django.utils import timezone

    csrf = uuid.uuid4().hex  # an unmasked 32-character secret, as cookie and header
    headers = {
        "Cookie": f"sessionid={ctx.sessions[TEAM_MEMBER]}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/json",
    }

    def make(i):
        now = timezone.now()
        batch = [
            {
                "id": str(uuid.uuid4()),
                "household": ctx.rng.choice(households),
                "visited_at": (now - timezone.timedelta(minutes=ctx.rng.randint(1, 600))).isoformat(),
                "outcome": ctx.rng.choice(["met", "met", "met", "absent"]),
                "members_present": ctx.rng.randint(0, 4),
                "note": "",
            }
            for _ in range(visits)
        ]
        body = json.dumps({"households": [], "visits": batch, "events": []}).encode()
        return Request("POST", "/api/v1/outreach/sync", body, headers)

    return make


SCENARIOS = {
    "healthz": ("trivial view (/healthz)", setup_healthz),
    "lookup_api": ("dossier lookup by code (API)", setup_lookup_api),
    "lookup_page": ("dossier lookup by code (page)", setup_lookup_page),
    "catalogue_search": ("catalogue search (page)", setup_catalogue_search),
    "submission": ("submission + 300 KB PNG (API)", setup_submission),
    "officer_queue": ("officer's queue (signed in)", setup_officer_queue),
    "ioc_dashboard": ("IOC dashboard (leader)", setup_ioc_dashboard),
    "outreach_sync": ("outreach sync, 1,000 visits", setup_outreach_sync),
}

# The busiest hour's mix (shares of requests): citizens look up and search far more than they submit;
# officers work their queues.
MIX = {
    "lookup_page": 25,
    "lookup_api": 15,
    "catalogue_search": 25,
    "officer_queue": 20,
    "submission": 5,
    "ioc_dashboard": 5,
    "healthz": 5,
}
