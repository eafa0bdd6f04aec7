"""The reminders' SMTP server comes from the environment (README → deployment)."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'thidua.settings'; django.setup();"
    "from django.core.mail import mailers; m = mailers.default;"
    "print(type(m).__module__, getattr(m, 'host', None), getattr(m, 'port', None), getattr(m, 'use_tls', None))"
)


def _mailer_with(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_EMAIL")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_smtp_server_named_in_the_environment_is_the_one_used() -> None:
    out = _mailer_with(
        THIDUA_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        THIDUA_EMAIL_HOST="mail.example.gov.vn", THIDUA_EMAIL_PORT="587", THIDUA_EMAIL_TLS="1",
    )  # fmt: skip

    assert out == "django.core.mail.backends.smtp mail.example.gov.vn 587 True"


def test_without_an_smtp_server_the_console_backend_takes_no_options() -> None:
    assert _mailer_with().startswith("django.core.mail.backends.console ")
