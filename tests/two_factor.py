"""Test helpers for the second factor: a user's authenticator device and the code it would show.

Tests that log a Board officer or council member in through the test client get a verified session
from the autouse fixture in tests/conftest.py (`verified_test_logins`); the browser journeys type
the code computed here (tests/e2e/conftest.py). Tests of the second factor itself opt out with
`@pytest.mark.real_two_factor`.
"""

from __future__ import annotations

import time

from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

TEST_REMOTE_ADDR = "127.0.0.1"


def totp_device_for(user) -> TOTPDevice:
    """The user's confirmed authenticator (made on first use, as if enrolled)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Điện thoại (kiểm thử)", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """A code the server will accept now: the current time step (shifted by the device's drift),
    or a later one inside the tolerance when that step was used already (codes cannot be replayed);
    if every step of the window is used, wait for the next one."""
    while True:
        device.refresh_from_db()
        centre = (int(time.time()) - device.t0) // device.step + device.drift
        # From the centre up: a step boundary passing before the server checks keeps it in the window.
        for t in range(centre, centre + device.tolerance + 1):
            if t > device.last_t:
                return str(hotp(device.bin_key, t, digits=device.digits)).zfill(device.digits)
        time.sleep(1)


def mark_verified(client, user) -> None:
    """Mark a test client's session as having passed the second factor with `user`'s device."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device_for(user).persistent_id
    session.save()


def login_request() -> HttpRequest:
    """The request django-axes needs to see when the test client logs in with a password."""
    request = HttpRequest()
    request.method = "POST"
    request.path = request.path_info = "/dang-nhap/"
    request.META.update({"REMOTE_ADDR": TEST_REMOTE_ADDR, "HTTP_USER_AGENT": "Django test client"})
    return request
