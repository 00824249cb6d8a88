"""Sign-in through the national identity provider (VNeID) as an OpenID Connect provider, against a fake
provider served by a real HTTP server thread: discovery, JWKS, token and userinfo endpoints, RS256 ID tokens.
"""

import base64
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from congso.accounts.constants import IdentityLevel
from congso.accounts.models import CitizenProfile, User
from congso.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

CLIENT_ID = "congso-camau"
CLIENT_SECRET = "bi-mat-cua-ung-dung"


def b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class FakeVneid:
    """A tiny OpenID Connect provider. ``authorize()`` plays the citizen signing in at VNeID."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key-1"
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                path = urlparse(self.path).path
                if path == "/.well-known/openid-configuration":
                    return self.reply(200, provider.discovery())
                if path == "/jwks":
                    public = provider.key.public_key().public_numbers()
                    jwk = {"kty": "RSA", "kid": provider.kid, "use": "sig", "alg": "RS256"}
                    return self.reply(200, {"keys": [{**jwk, "n": b64(public.n), "e": b64(public.e)}]})
                if path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        return self.reply(401, {"error": "invalid_token"})
                    return self.reply(200, provider.tokens[token])
                return self.reply(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                if urlparse(self.path).path != "/token":
                    return self.reply(404, {"error": "not_found"})
                grant = provider.codes.pop(form.get("code", ""), None)
                if (
                    grant is None
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                    or form.get("redirect_uri") != grant["redirect_uri"]
                ):
                    return self.reply(400, {"error": "invalid_grant"})
                access_token = uuid.uuid4().hex
                provider.tokens[access_token] = grant["claims"]
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        "iss": provider.issuer,
                        "aud": CLIENT_ID,
                        "iat": now,
                        "exp": now + 300,
                        "nonce": grant["nonce"],
                        **grant["claims"],
                    },
                    provider.key,
                    algorithm="RS256",
                    headers={"kid": provider.kid},
                )
                return self.reply(
                    200,
                    {
                        "access_token": access_token,
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": id_token,
                    },
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "acr_values_supported": ["vneid-level-1", "vneid-level-2"],
        }

    def authorize(self, location: str, claims: dict) -> dict:
        """The citizen signs in at VNeID: returns the query string VNeID redirects back with."""
        url = urlparse(location)
        assert f"{url.scheme}://{url.netloc}{url.path}" == f"{self.issuer}/authorize"
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        assert query["client_id"] == CLIENT_ID
        assert query["response_type"] == "code"
        assert "openid" in query["scope"].split()
        code = uuid.uuid4().hex
        self.codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "nonce": query.get("nonce"),
            "claims": claims,
        }
        return {"code": code, "state": query["state"]}


@pytest.fixture
def vneid(settings):
    provider = FakeVneid()
    provider.thread.start()
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "vneid",
                    "name": "VNeID",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": provider.issuer, "token_auth_method": "client_secret_post"},
                }
            ],
        }
    }
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


def sign_in(client, vneid: FakeVneid, claims: dict):
    start = client.post("/accounts/oidc/vneid/login/")
    assert start.status_code == 302
    back = vneid.authorize(start["Location"], claims)
    response = client.get("/accounts/oidc/vneid/login/callback/", back)
    if response.status_code == 302 and response["Location"] == "/accounts/3rdparty/signup/":
        # First sign-in: the sign-up form asks for consent to personal-data processing.
        page = client.get("/accounts/3rdparty/signup/")
        assert "91/2025/QH15" in page.content.decode()
        response = client.post("/accounts/3rdparty/signup/", {"email": claims["email"], "consent": "on"})
    return response


def claims(sub="vneid-0961", acr="vneid-level-2", email="hoa@example.vn"):
    return {"sub": sub, "acr": acr, "email": email, "email_verified": True, "name": "Nguyễn Thị Hoa"}


def test_a_full_round_trip_signs_the_citizen_in_at_level_2(client, vneid):
    response = sign_in(client, vneid, claims())
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="hoa@example.vn")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert CitizenProfile.objects.get(user=user).identity_level == IdentityLevel.VNEID_LEVEL_2
    # The token endpoint was really called, with the code and the client's credentials.
    assert vneid.token_requests[-1]["client_id"] == CLIENT_ID
    assert "code_verifier" in vneid.token_requests[-1]  # PKCE
    assert AuditEvent.objects.filter(action="identity.level_changed", actor=user).exists()
    assert client.get("/tai-khoan/").status_code == 200
    assert user.consents.get().text_version == "2026-01"


def test_the_level_follows_the_latest_sign_in(client, vneid):
    sign_in(client, vneid, claims())
    client.logout()
    sign_in(client, vneid, claims(acr="vneid-level-1"))
    user = User.objects.get(email="hoa@example.vn")
    assert CitizenProfile.objects.get(user=user).identity_level == IdentityLevel.VNEID_LEVEL_1


def test_an_unknown_assurance_is_level_0(client, vneid):
    sign_in(client, vneid, claims(acr="something-else"))
    user = User.objects.get(email="hoa@example.vn")
    assert CitizenProfile.objects.get(user=user).identity_level == IdentityLevel.NONE


def test_a_forged_state_is_refused(client, vneid):
    start = client.post("/accounts/oidc/vneid/login/")
    back = vneid.authorize(start["Location"], claims())
    response = client.get("/accounts/oidc/vneid/login/callback/", {**back, "state": "forged"})
    assert "_auth_user_id" not in client.session
    assert response.status_code in {200, 400, 401, 403}
    assert not User.objects.filter(email="hoa@example.vn").exists()


def test_off_when_not_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    assert client.post("/accounts/oidc/vneid/login/").status_code == 404
