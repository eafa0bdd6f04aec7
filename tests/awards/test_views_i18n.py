"""The new pages read in English once a person picks English with the language switch: a person's
award history, the dossier inbox and a dossier, and the two-factor enrolment. Vietnamese stays the
default (thidua.lib.middleware.VietnameseFirstLocaleMiddleware)."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

import pytest
from tests.awards.test_dossiers import make_person
from tests.awards.test_views import histories  # noqa: F401  (fixture)
from tests.factories import TEST_PASSWORD
from thidua.awards import dossiers as svc

pytestmark = pytest.mark.django_db


def in_english(client: Client) -> None:
    """Pick English as a person does: the language switch in the page footer."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_persons_award_history_reads_in_english_after_the_switch(client, histories):  # noqa: F811
    client.force_login(histories.officer_a)
    url = reverse("awards_person", args=("NV001",)) + "?nam=2025"
    assert "Điều kiện xét tặng năm" in client.get(url).content.decode()
    in_english(client)
    page = client.get(url).content.decode()
    assert "Eligibility for" in page and "Emulation titles and forms of commendation" in page
    assert "Điều kiện xét tặng năm" not in page and "Danh hiệu thi đua, hình thức khen thưởng" not in page


def test_the_dossier_inbox_and_a_dossier_read_in_english_with_working_days_in_the_plural(client, world):
    nominee = make_person(world.a, ratings=[(2024, "HTT"), (2025, "HTXS")], grants=[(2024, "CSTDCS"), (2025, "CSTDCS")])
    dossier = svc.dossier_create(person=nominee, code="BK_TINH", year=2025, procedure="regular", actor=world.officer_a)
    client.force_login(world.officer_a)
    in_english(client)
    inbox = client.get(reverse("dossier_inbox")).content.decode()
    assert "Dossiers waiting for you" in inbox and "Hồ sơ chờ bạn xử lý" not in inbox
    assert "10 working days left" in inbox or "9 working days left" in inbox
    detail = client.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert "Processing history" in detail and "Process the step" in detail and "Documents" in detail
    assert "Quá trình xử lý" not in detail
    assert "The unit prepares and submits the dossier" in detail  # the step, named in the workflow
    assert '<tr data-kind="bao_cao_03"><td>Individual achievement report (Form 03)' in detail  # a required document
    refused = client.post(reverse("dossier_new"), {"subject": "", "code": "BK_TINH", "year": "2025"})
    assert refused.status_code == 400 and "No individual or collective chosen to propose." in refused.content.decode()


@pytest.mark.real_two_factor
def test_the_two_factor_enrolment_reads_in_english_with_its_error(world):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # chosen earlier with the switch on this computer
    assert client.post(reverse("login"), {"username": "board_p", "password": TEST_PASSWORD}).status_code == 302
    page = client.get(reverse("two_factor_enrol")).content.decode()
    assert "Install an authenticator app on your phone" in page and "Confirm and turn on" in page
    assert "Cài một ứng dụng xác thực" not in page
    wrong = client.post(reverse("two_factor_enrol"), {"code": "000000"}).content.decode()
    assert "The code is wrong" in wrong


def test_the_account_page_reads_in_english(client, world):
    client.force_login(world.officer_a)
    in_english(client)
    page = client.get(reverse("account_security")).content.decode()
    assert "Two-factor authentication" in page and "Change password" in page
    assert "Xác thực hai bước" not in page
