"""Review of the login hardening (issue #8): holes a stolen password or a crafted link could use."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD
from tests.two_factor import totp_code

LOGIN = "/dang-nhap/"
OFFICE = "10.1.2.3"


def password_login(username: str, address: str = OFFICE) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": TEST_PASSWORD}, REMOTE_ADDR=address)
    assert response.status_code == 302
    return client


@pytest.mark.real_two_factor
def test_a_key_seen_by_an_intruder_before_enrolment_is_not_the_key_the_officer_enrols(world):
    """Someone with the password opens the enrolment page and copies the key without confirming;
    when the officer enrols later in their own session, they get a fresh key, so the intruder's copy
    gives no valid code for the officer's confirmed device."""
    intruder = password_login("board_p")
    assert intruder.get(reverse("two_factor_enrol")).status_code == 200
    seen_key = TOTPDevice.objects.get(user=world.board_p, confirmed=False).key

    officer = password_login("board_p")
    assert officer.get(reverse("two_factor_enrol")).status_code == 200
    device = TOTPDevice.objects.filter(user=world.board_p, confirmed=False).order_by("-pk").first()
    assert device.key != seen_key
    response = officer.post(reverse("two_factor_enrol"), {"code": totp_code(device)})
    assert response.status_code == 302
    confirmed = TOTPDevice.objects.get(user=world.board_p, confirmed=True)
    assert confirmed.key != seen_key


@pytest.mark.real_two_factor
def test_the_enrolment_page_keeps_its_key_within_one_session(world):
    """Reloading the page (or a wrong code) must not change the key the officer already scanned."""
    officer = password_login("board_p")
    officer.get(reverse("two_factor_enrol"))
    first = TOTPDevice.objects.get(user=world.board_p, confirmed=False).key
    officer.get(reverse("two_factor_enrol"))
    officer.post(reverse("two_factor_enrol"), {"code": "000000"})
    assert TOTPDevice.objects.get(user=world.board_p, confirmed=False).key == first


@pytest.mark.parametrize("variant", ["BOARD_P", " board_p ", "Board_P"])
def test_case_and_space_variants_of_a_locked_username_do_not_log_in(world, variant):
    """The lockout is counted per username as typed; a variant must not be a way around it."""
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": "board_p", "password": "sai-mat-khau-123"}, REMOTE_ADDR=OFFICE)
    response = client.post(LOGIN, {"username": variant, "password": TEST_PASSWORD}, REMOTE_ADDR=OFFICE)
    assert response.status_code != 302


@pytest.mark.real_two_factor
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/",
                                    "https:evil.example", "\\\\evil.example"])
def test_the_second_factor_pages_never_send_the_browser_to_another_site(world, target):
    client = password_login("board_p")
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=world.board_p, confirmed=False)
    response = client.post(reverse("two_factor_enrol") + "?next=" + target, {"code": totp_code(device), "next": target})
    assert response.status_code == 302
    codes = client.get(response.url)
    assert target not in codes.content.decode()
    response = client.get(reverse("two_factor_verify"), {"next": target})
    assert response.status_code == 302 and response.url.startswith("/") and not response.url.startswith("//")
    assert "evil" not in response.url


# What THIDUA_BEHIND_PROXY=1 (one proxy) sets.
BEHIND_ONE_PROXY = {"THIDUA_PROXY_COUNT": 1}


def test_behind_a_proxy_a_forged_forwarded_address_does_not_dodge_the_lockout(world, settings):
    """The proxy appends the address it saw to whatever X-Forwarded-For the client sent: only that
    last entry is the client's. Taking the first would let a client pick a fresh address per try."""
    for key, value in BEHIND_ONE_PROXY.items():
        setattr(settings, key, value)
    proxy = "10.0.0.1"
    client = Client()
    for n in range(5):
        client.post(LOGIN, {"username": "board_p", "password": "sai-mat-khau-123"}, REMOTE_ADDR=proxy,
                    HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, {OFFICE}")
    response = client.post(LOGIN, {"username": "board_p", "password": TEST_PASSWORD}, REMOTE_ADDR=proxy,
                           HTTP_X_FORWARDED_FOR=f"6.6.6.99, {OFFICE}")
    assert response.status_code == 429


def test_behind_a_proxy_one_user_locked_at_one_office_is_not_locked_everywhere(world, settings):
    """A client that sends no X-Forwarded-For of its own: the proxy's single entry is its address,
    so the lockout stays with that address (not with an unknown address shared by everybody)."""
    for key, value in BEHIND_ONE_PROXY.items():
        setattr(settings, key, value)
    proxy = "10.0.0.1"
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": "board_p", "password": "sai-mat-khau-123"}, REMOTE_ADDR=proxy,
                    HTTP_X_FORWARDED_FOR="203.0.113.7")
    elsewhere = Client().post(LOGIN, {"username": "board_p", "password": TEST_PASSWORD}, REMOTE_ADDR=proxy,
                              HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert elsewhere.status_code == 302


@pytest.mark.real_two_factor
def test_a_staff_account_without_a_role_needs_the_second_factor_for_the_admin(world):
    """Django's admin edits every unit's data (within the account's permissions): a staff account
    must not reach it with the password alone, whatever its roles."""
    from tests.factories import UserFactory

    UserFactory(username="it.support", is_staff=True)
    client = password_login("it.support")
    response = client.get("/quan-tri/")
    assert response.status_code == 302 and response.url.startswith(reverse("two_factor_enrol"))


def test_a_password_made_of_the_full_name_is_refused(db):
    """Accounts carry their name in `full_name` (first_name and last_name stay empty): the rule
    "not too close to the full name" must look there."""
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    from tests.factories import UserFactory

    user = UserFactory(username="tuan.hm", full_name="Hoàng Minh Tuấn", first_name="", last_name="")
    with pytest.raises(ValidationError, match="Mật khẩu quá giống họ và tên"):
        password_validation.validate_password("Hoàng Minh Tuấn", user)
    with pytest.raises(ValidationError, match="Mật khẩu quá giống họ và tên"):
        password_validation.validate_password("hoangminhtuan", user)
