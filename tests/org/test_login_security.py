"""Login hardening (issue #8): lockout by username and address with a cool-off, password rules,
two-factor authentication for Board officers and council members, idle session expiry, the audit of
logins, and `thidua check --deploy` with the production environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD, UserFactory
from tests.two_factor import totp_code, totp_device_for
from thidua.audit.models import AuditEvent
from thidua.org.middleware import SessionIdleMiddleware

LOGIN = "/dang-nhap/"
OFFICE = "10.1.2.3"  # one office's NAT address: many people behind it
WRONG = "sai-mat-khau-123"


def attempt(client: Client, username: str, password: str, address: str = OFFICE):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def lock_out(username: str, address: str = OFFICE) -> None:
    """Five wrong passwords: the fifth already answers with the lockout page."""
    client = Client()
    for _ in range(4):
        assert attempt(client, username, WRONG, address).status_code == 200
    assert attempt(client, username, WRONG, address).status_code == 429


# ---------------------------------------------------------------- lockout


def test_five_wrong_passwords_lock_that_username_from_that_address_even_with_the_right_password(world):
    lock_out("officer_a")
    response = attempt(Client(), "officer_a", TEST_PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" in page and "thử lại sau 15 phút" in page
    assert "_auth_user_id" not in Client().session


def test_a_colleague_behind_the_same_office_address_still_logs_in(world):
    lock_out("officer_a")
    response = attempt(Client(), "officer_b", TEST_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_the_locked_user_still_logs_in_from_another_address(world):
    lock_out("officer_a")
    assert attempt(Client(), "officer_a", TEST_PASSWORD, address="10.9.9.9").status_code == 302


def test_the_lockout_ends_after_the_cool_off_but_not_before(world, settings):
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)
    lock_out("officer_a")
    # Time passes: the failures are moved back in time, as if 14 and then 16 minutes had gone by.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert attempt(Client(), "officer_a", TEST_PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(Client(), "officer_a", TEST_PASSWORD).status_code == 302


def test_a_successful_login_forgets_the_earlier_failures(world):
    client = Client()
    for _ in range(4):
        attempt(client, "officer_a", WRONG)
    assert attempt(Client(), "officer_a", TEST_PASSWORD).status_code == 302
    for _ in range(4):
        attempt(client, "officer_a", WRONG)
    assert attempt(Client(), "officer_a", TEST_PASSWORD).status_code == 302


def test_a_wrong_password_shows_the_vietnamese_message_and_no_lockout_yet(world):
    page = attempt(Client(), "officer_a", WRONG).content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page


# ---------------------------------------------------------------- password rules


@pytest.mark.parametrize(("password", "message"), [
    ("Ngan-1", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
    ("2024202420242024", "Mật khẩu không được chỉ gồm chữ số."),
    ("password123", "Mật khẩu này quá phổ biến, dễ bị đoán."),
    ("nguyenvanthanh", "Mật khẩu quá giống"),
])
def test_weak_passwords_are_refused_with_a_vietnamese_reason(db, password, message):
    user = UserFactory(username="nguyenvanthanh")
    with pytest.raises(ValidationError) as error:
        password_validation.validate_password(password, user)
    assert any(text.startswith(message) for text in error.value.messages)


def test_a_long_uncommon_password_passes_every_rule(db):
    password_validation.validate_password("Cum-thi-dua-so-2-Kien-Giang", UserFactory(username="canbo"))


def test_an_officer_changes_their_password_and_it_is_audited(world):
    client = Client()
    client.force_login(world.officer_a)
    new = "Hoi-nghi-tong-ket-2026"
    response = client.post(reverse("password_change"), {
        "old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(new)
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=world.officer_a).exists()
    assert client.get(reverse("dashboard")).status_code == 200  # still logged in


def test_a_weak_new_password_is_refused_and_the_old_one_kept(world):
    client = Client()
    client.force_login(world.officer_a)
    page = client.post(reverse("password_change"), {
        "old_password": TEST_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}).content.decode()
    assert "Mật khẩu quá ngắn" in page and "chỉ gồm chữ số" in page
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password(TEST_PASSWORD)


def test_a_wrong_current_password_is_refused_in_vietnamese(world):
    client = Client()
    client.force_login(world.officer_a)
    new = "Hoi-nghi-tong-ket-2026"
    page = client.post(reverse("password_change"), {
        "old_password": WRONG, "new_password1": new, "new_password2": new}).content.decode()
    assert "Mật khẩu hiện tại không đúng" in page


# ---------------------------------------------------------------- two-factor authentication


def password_login(username: str) -> Client:
    client = Client()
    assert attempt(client, username, TEST_PASSWORD).status_code == 302
    return client


@pytest.mark.real_two_factor
@pytest.mark.parametrize("actor", ["national_board", "board_p", "council_g1"])
def test_board_officers_and_council_members_are_sent_to_enrolment_and_refused_everything_else(world, actor):
    client = password_login(actor)
    for url in (reverse("dashboard"), reverse("group_year_list"), reverse("group_year_detail", args=("G1", 2024)),
                reverse("account_security"), reverse("password_change")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("two_factor_enrol")), url
    assert client.post(reverse("password_change"), {}).status_code == 403
    assert client.get("/api/groups", HTTP_AUTHORIZATION="").status_code in (302, 403)


@pytest.mark.real_two_factor
def test_the_council_member_named_on_a_group_year_needs_two_factor_too(world):
    supervisor = UserFactory(username="hoidong.giamsat")
    world.g2_2024.council_member = supervisor
    world.g2_2024.save()
    client = password_login("hoidong.giamsat")
    assert client.get(reverse("dashboard")).url.startswith(reverse("two_factor_enrol"))


@pytest.mark.real_two_factor
def test_a_board_officer_enrols_with_the_qr_code_then_works(world):
    client = password_login("board_p")
    page = client.get(reverse("two_factor_enrol") + "?next=/cum-khoi/").content.decode()
    assert "<svg" in page and 'id="totp-secret"' in page and "<script" not in page.split("</head>")[1]
    device = TOTPDevice.objects.get(user=world.board_p, confirmed=False)
    wrong = client.post(reverse("two_factor_enrol"), {"code": "000000", "next": "/cum-khoi/"})
    assert "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # the wrong code above would make the next try wait a second
    response = client.post(reverse("two_factor_enrol"), {"code": totp_code(device), "next": "/cum-khoi/"})
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_recovery_codes"))
    codes_page = client.get(response.url).content.decode()
    codes = list(StaticToken.objects.filter(device__user=world.board_p).values_list("token", flat=True))
    assert len(codes) == 10 and all(code in codes_page for code in codes)
    assert client.get(reverse("two_factor_recovery_codes")).status_code == 302  # shown once only
    assert client.get(reverse("group_year_list")).status_code == 200
    assert AuditEvent.objects.filter(action="two_factor.enrolled", actor=world.board_p).exists()


@pytest.mark.real_two_factor
def test_an_enrolled_board_officer_must_type_a_valid_code_at_every_login(world):
    device = totp_device_for(world.board_p)
    client = password_login("board_p")
    response = client.get(reverse("group_year_list"))
    assert response.status_code == 302 and response.url == reverse("two_factor_verify") + "?next=%2Fcum-khoi%2F"
    refused = client.post(reverse("two_factor_verify"), {"code": "123456", "next": "/cum-khoi/"})
    assert refused.status_code == 200 and "Mã không đúng" in refused.content.decode()
    assert client.get(reverse("group_year_list")).status_code == 302
    device.refresh_from_db()
    device.throttle_reset()
    before = client.session.session_key
    accepted = client.post(reverse("two_factor_verify"), {"code": totp_code(device), "next": "/cum-khoi/"})
    assert accepted.status_code == 302 and accepted.url == "/cum-khoi/"
    assert client.session.session_key != before  # a new session id once verified
    assert client.get(reverse("group_year_list")).status_code == 200
    assert AuditEvent.objects.filter(action="two_factor.failed", actor=world.board_p).count() == 1
    assert AuditEvent.objects.filter(action="two_factor.verified", actor=world.board_p).count() == 1


@pytest.mark.real_two_factor
def test_a_code_cannot_be_used_twice_and_wrong_codes_slow_down_the_next_try(world):
    device = totp_device_for(world.board_p)
    code = totp_code(device)
    first = password_login("board_p")
    assert first.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    second = password_login("board_p")
    assert "Mã không đúng" in second.post(reverse("two_factor_verify"), {"code": code}).content.decode()
    # Right after a wrong code, even the right one waits (django-otp's throttling: 1, 2, 4… seconds).
    page = second.post(reverse("two_factor_verify"), {"code": totp_code(device)}).content.decode()
    assert "xin thử lại sau" in page


@pytest.mark.real_two_factor
def test_a_recovery_code_works_once_instead_of_the_phone(world):
    client = password_login("board_p")
    client.get(reverse("two_factor_enrol"))
    pending = TOTPDevice.objects.get(user=world.board_p, confirmed=False)
    assert client.post(reverse("two_factor_enrol"), {"code": totp_code(pending)}).status_code == 302
    code = StaticToken.objects.filter(device__user=world.board_p).first().token
    again = password_login("board_p")
    assert again.post(reverse("two_factor_verify"), {"code": code.upper()}).status_code == 302
    assert again.get(reverse("dashboard")).status_code == 200
    third = password_login("board_p")
    assert third.post(reverse("two_factor_verify"), {"code": code}).status_code == 200


@pytest.mark.real_two_factor
def test_the_password_alone_cannot_replace_an_enrolled_device(world):
    totp_device_for(world.board_p)
    client = password_login("board_p")
    response = client.get(reverse("two_factor_enrol"))
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_verify"))
    assert client.post(reverse("two_factor_enrol"), {"code": "000000"}).status_code == 302
    assert TOTPDevice.objects.filter(user=world.board_p).count() == 1


@pytest.mark.real_two_factor
def test_logout_is_open_before_the_second_factor(world):
    client = password_login("board_p")
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.real_two_factor
def test_a_unit_officer_is_not_asked_for_a_code_unless_they_opted_in(world):
    client = password_login("officer_a")
    assert client.get(reverse("dashboard")).status_code == 200
    totp_device_for(world.officer_a)
    client = password_login("officer_a")
    assert client.get(reverse("dashboard")).url.startswith(reverse("two_factor_verify"))


def test_test_clients_of_board_officers_are_verified_by_the_shared_fixture(world, client):
    client.force_login(world.national_board)
    assert client.get(reverse("group_year_list")).status_code == 200
    assert client.login(username="council_g1", password=TEST_PASSWORD)
    assert client.get(reverse("group_year_list")).status_code == 200


def test_an_officer_who_opted_in_may_turn_two_factor_off_but_a_board_officer_may_not(world, client):
    client.force_login(world.officer_a)
    totp_device_for(world.officer_a)
    client.force_login(world.officer_a)  # verified by the shared fixture
    client.post(reverse("two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=world.officer_a).exists()
    client.force_login(world.board_p)
    client.post(reverse("two_factor_disable"))
    assert TOTPDevice.objects.filter(user=world.board_p).exists()


@pytest.mark.real_two_factor
def test_the_demo_code_command_gives_a_code_the_enrolment_accepts(world):
    from io import StringIO

    from django.core.management import call_command

    client = password_login("board_p")
    client.get(reverse("two_factor_enrol"))
    out = StringIO()
    call_command("two_factor_code", "board_p", stdout=out)
    response = client.post(reverse("two_factor_enrol"), {"code": out.getvalue().split()[0]})
    assert response.status_code == 302 and TOTPDevice.objects.filter(user=world.board_p, confirmed=True).exists()


def test_a_lost_phone_is_reset_at_the_server_and_audited(world):
    from django.core.management import call_command

    totp_device_for(world.board_p)
    call_command("two_factor_reset", "board_p", stdout=open(os.devnull, "w"))
    assert not TOTPDevice.objects.filter(user=world.board_p).exists()
    assert AuditEvent.objects.filter(action="two_factor.reset", target_id=str(world.board_p.pk)).exists()


# ---------------------------------------------------------------- session expiry


def test_an_idle_session_ends_and_a_used_one_is_renewed(world, settings):
    client = Client()
    assert attempt(client, "officer_a", TEST_PASSWORD).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    key = client.session.session_key
    session = Session.objects.get(session_key=key)
    assert abs((session.expire_date - timezone.now()).total_seconds() - settings.SESSION_COOKIE_AGE) < 30
    # Used two minutes later (past the renewal interval): the expiry moves forward again.
    data = client.session
    data[SessionIdleMiddleware.KEY] = data[SessionIdleMiddleware.KEY] - 120
    data.save()
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get(reverse("dashboard")).status_code == 200
    renewed = Session.objects.get(session_key=key).expire_date
    assert (renewed - timezone.now()).total_seconds() > settings.SESSION_COOKIE_AGE - 30
    # Idle for longer than SESSION_COOKIE_AGE: the session is gone, the login page comes back.
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_idle_limit_is_an_hour_by_default():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 60 * 60
    assert "thidua.org.middleware.SessionIdleMiddleware" in settings.MIDDLEWARE


# ---------------------------------------------------------------- audit


def test_logins_logouts_failures_and_lockouts_are_audited_without_the_password(world):
    client = Client()
    attempt(client, "officer_a", TEST_PASSWORD)
    client.post(reverse("logout"))
    lock_out("officer_b")
    attempt(Client(), "officer_b", TEST_PASSWORD)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[:2] == ["auth.logged_in", "auth.logged_out"]
    assert actions.count("auth.login_failed") >= 5 and "auth.locked_out" in actions
    logged_in = AuditEvent.objects.get(action="auth.logged_in")
    assert logged_in.actor == world.officer_a and logged_in.data["ip"] == OFFICE
    failed = AuditEvent.objects.filter(action="auth.login_failed").first()
    assert failed.data["username"] == "officer_b" and failed.target_id == str(world.officer_b.pk)
    locked = AuditEvent.objects.filter(action="auth.locked_out").first()
    assert locked.data["username"] == "officer_b"
    assert locked.data["ip"] == OFFICE
    everything = json.dumps(list(AuditEvent.objects.values("summary", "data")), ensure_ascii=False)
    assert WRONG not in everything and TEST_PASSWORD not in everything


# ---------------------------------------------------------------- production settings


PRODUCTION_ENV = {
    "THIDUA_DEBUG": "0",
    "THIDUA_SECRET_KEY": "k7Qm3V_x9Lr2Tz8Wc4Hn6Jb1Yp5Fd0Ga-Se7Uo3Ki9Xq2Mv8Rt4Lw6Zc1Nb5Hj0Py",
    "THIDUA_ALLOWED_HOSTS": "thidua.example.gov.vn",
    "THIDUA_HTTPS": "1",
    "THIDUA_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
}


def check_deploy(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("THIDUA_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "-m", "thidua.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_environment():
    result = check_deploy(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_names_what_the_development_defaults_leave_open():
    result = check_deploy({"THIDUA_ALLOWED_HOSTS": "thidua.example.gov.vn"})
    assert result.returncode != 0
    output = result.stdout + result.stderr
    for issue in ("security.W004", "security.W008", "security.W012", "security.W016", "thidua.W001"):
        assert issue in output


# ---------------------------------------------------------------- cost


@pytest.mark.parametrize(("actor", "extra"), [("officer_a", 2), ("national_board", 1)])
def test_the_login_middleware_adds_at_most_two_small_queries_per_page(world, client, settings, actor, extra):
    """Checked on every request (fail closed), so kept cheap: an officer costs the council-member and
    opted-in checks, a verified Board officer the lookup of the session's device."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(getattr(world, actor))
    client.get(reverse("group_year_list"))  # the session's renewal time is written once

    def queries() -> int:
        fresh = Client()  # a new handler: it reads MIDDLEWARE again
        fresh.cookies = client.cookies
        with CaptureQueriesContext(connection) as captured:
            assert fresh.get(reverse("group_year_list")).status_code == 200
        return len(captured)

    with_checks = queries()
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if not m.startswith(("django_otp.", "thidua.org.middleware."))]
    assert with_checks - queries() == extra
