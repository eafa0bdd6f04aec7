"""Personal API tokens: created with a secret shown once, stored hashed, used, revoked; the command."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.api.conftest import bearer
from thidua.api import services
from thidua.api.models import ApiToken
from thidua.audit.models import AuditEvent


def test_a_token_is_stored_as_the_hash_of_its_secret_never_the_secret(world):
    token, secret = services.token_create(user=world.officer_a, name="Phần mềm tổng hợp")
    token.refresh_from_db()
    assert len(secret) >= 40
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:8]
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().first().values()]
    assert secret not in stored
    # The audit names the token, never its secret.
    events = AuditEvent.objects.filter(action="api_token.created")
    assert events.count() == 1 and events.get().target_id == str(token.pk)
    assert secret not in json.dumps(list(AuditEvent.objects.values("summary", "data")), ensure_ascii=False)


def test_a_token_authenticates_then_stops_working_once_revoked(client, world):
    token, secret = services.token_create(user=world.officer_a, name="Tích hợp")
    assert token.last_used_at is None
    response = client.get("/api/groups", headers=bearer(secret))
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None

    services.token_revoke(token=token, actor=world.officer_a)
    response = client.get("/api/groups", headers=bearer(secret))
    assert response.status_code == 401
    assert "thu hồi" in response.json()["detail"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.actor == world.officer_a and secret not in json.dumps(event.data)
    with pytest.raises(services.ApiTokenError, match="đã bị thu hồi"):
        services.token_revoke(token=token, actor=world.officer_a)


@pytest.mark.parametrize("header", [
    None,
    "Bearer",
    "Bearer khong-phai-ma-that-abcdefghijklmnopqrstuvwxyz",
    "Basic b2ZmaWNlcl9hOk1hdC1raGF1LXRodS0yMDI2",
    "Bearer abc\u0000defghijklmnopqrstuvwxyz0123456789",
])
def test_missing_unknown_or_malformed_tokens_get_401(client, world, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/groups", headers=headers)
    assert response.status_code == 401
    assert "mã truy cập" in response.json()["detail"]


def test_a_token_with_the_right_prefix_but_a_wrong_secret_gets_401(client, world):
    _token, secret = services.token_create(user=world.officer_a, name="Tích hợp")
    forged = secret[:8] + ("A" if secret[8] != "A" else "B") + secret[9:]
    assert client.get("/api/groups", headers=bearer(forged)).status_code == 401


def test_a_deactivated_user_s_token_gets_401(client, world):
    _token, secret = services.token_create(user=world.officer_a, name="Tích hợp")
    world.officer_a.is_active = False
    world.officer_a.save()
    assert client.get("/api/groups", headers=bearer(secret)).status_code == 401


def test_a_session_login_is_not_enough_for_the_api(client, world):
    client.force_login(world.officer_a)
    assert client.get("/api/groups").status_code == 401


def test_a_token_needs_a_name(world):
    with pytest.raises(services.ApiTokenError, match="tên gợi nhớ"):
        services.token_create(user=world.officer_a, name="  ")


def test_the_command_creates_lists_and_revokes_tokens(client, world):
    out = io.StringIO()
    call_command("api-token", "create", "officer_a", "Phần mềm của huyện", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(user=world.officer_a)
    assert token.name == "Phần mềm của huyện" and token.prefix == secret[:8]
    assert client.get("/api/groups", headers=bearer(secret)).status_code == 200

    listing = io.StringIO()
    call_command("api-token", "list", stdout=listing)
    assert token.prefix in listing.getvalue() and secret not in listing.getvalue()

    call_command("api-token", "revoke", token.prefix, stdout=io.StringIO())
    assert client.get("/api/groups", headers=bearer(secret)).status_code == 401
    with pytest.raises(CommandError, match="đã bị thu hồi"):
        call_command("api-token", "revoke", token.prefix)
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("api-token", "create", "khong-co-ai", "Thử")
    with pytest.raises(CommandError, match="tiền tố"):
        call_command("api-token", "revoke", "zzzzzzzz")
