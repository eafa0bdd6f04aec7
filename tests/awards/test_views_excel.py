"""Importing lists on the web: the template, upload → preview → confirm, all or nothing, and only
for the units the uploader works for."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.awards.test_excel import FILLED, fill, snapshot
from thidua.audit.models import AuditEvent
from thidua.awards import excel
from thidua.awards.models import AnnualRating, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, data: bytes, name: str = "ds.xlsx"):
    return client.post(reverse("awards_excel"), {"tep": SimpleUploadedFile(name, data)})


def test_an_officer_downloads_the_template(client, world):
    client.force_login(world.officer_a)
    response = client.get(reverse("awards_excel_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mau-danh-sach-khen-thuong.xlsx"')
    assert response.content[:2] == b"PK"


@pytest.mark.parametrize("actor", ["reader_g1", "council_g1", "outsider"])
def test_those_who_only_read_cannot_import(client, world, media, actor):
    client.force_login(getattr(world, actor))
    assert client.get(reverse("awards_excel")).status_code == 403
    assert client.get(reverse("awards_excel_template")).status_code == 403
    assert upload(client, fill(excel.history_template(), FILLED)).status_code == 403
    assert not Person.objects.exists()


def test_an_upload_is_previewed_and_written_only_on_confirmation(client, world, media):
    client.force_login(world.officer_a)
    preview = upload(client, fill(excel.history_template(), FILLED))
    assert preview.status_code == 200
    assert "ds.xlsx: đã nhập 2 cá nhân (2 mới); 1 tập thể (1 mới)" in preview.content.decode()
    assert not Person.objects.exists()  # the preview wrote nothing
    done = client.post(reverse("awards_excel_confirm"), {"token": preview.context["token"]})
    assert done.status_code == 302 and done["Location"] == reverse("awards_list")
    assert Person.objects.filter(unit=world.a).count() == 2
    assert AnnualRating.objects.filter(person__external_id="001").count() == 2
    event = AuditEvent.objects.get(action="awards.history_imported")
    assert event.actor == world.officer_a
    again = client.post(reverse("awards_excel_confirm"), {"token": preview.context["token"]})
    assert again.status_code == 302 and again["Location"] == reverse("awards_excel")  # the token is used up


def test_an_upload_with_an_error_shows_every_error_and_writes_nothing(client, world, media):
    client.force_login(world.officer_a)
    rows = {**FILLED, excel.PEOPLE: [*FILLED[excel.PEOPLE], ["003", "Lê Văn Cần", "P-B"]]}
    before = snapshot()
    preview = upload(client, fill(excel.history_template(), rows))
    html = preview.content.decode()
    assert "ds.xlsx, sheet «Cá nhân», dòng 4, cột «Mã đơn vị»: đơn vị «P-B» (Huyện Bình Minh) ngoài phạm vi bạn được nhập." in html
    assert preview.context["token"] is None and 'id="confirm-form"' not in html
    assert snapshot() == before


def test_a_board_officer_imports_for_every_unit_of_the_province(client, world, media):
    client.force_login(world.board_p)
    rows = {excel.PEOPLE: [["003", "Lê Văn Cần", "P-B"], ["004", "Mai Thị Lan", "P-A"]]}
    preview = upload(client, fill(excel.history_template(), rows))
    assert preview.context["parsed"].errors == []
    client.post(reverse("awards_excel_confirm"), {"token": preview.context["token"]})
    assert set(Person.objects.values_list("unit__code", flat=True)) == {"P-A", "P-B"}
    rows = {excel.PEOPLE: [["005", "Cao Văn Quang", "Q-C"]]}
    assert upload(client, fill(excel.history_template(), rows)).context["parsed"].errors  # province Q is not theirs


def test_a_file_that_is_not_a_workbook_is_refused(client, world, media):
    client.force_login(world.officer_a)
    preview = upload(client, b"%PDF-1.7 not a spreadsheet", name="ds.pdf")
    assert "ds.pdf: chỉ nhận tệp .xlsx (Excel) hoặc .ods (LibreOffice)." in preview.content.decode()
    assert preview.context["token"] is None


def test_a_file_over_five_megabytes_is_refused_before_it_is_read(client, world, media):
    client.force_login(world.officer_a)
    page = upload(client, b"PK\x03\x04" + b"0" * (5 * 1024 * 1024 + 10))
    assert "Tệp lớn hơn 5 MB, không nhận." in page.content.decode()
    assert not Person.objects.exists()


def test_an_upload_needs_the_csrf_token(world, media):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_a)
    assert upload(client, fill(excel.history_template(), FILLED)).status_code == 403
    assert not Person.objects.exists()


def test_previews_never_confirmed_are_removed_after_a_day(client, world, media):
    import os
    import time

    client.force_login(world.officer_a)
    first = upload(client, fill(excel.history_template(), FILLED))
    stale = media / "uploads" / first.context["token"]
    old = time.time() - 2 * 24 * 60 * 60
    os.utime(stale, (old, old))
    client.logout()
    client.force_login(world.board_p)  # another session previews another file
    upload(client, fill(excel.history_template(), FILLED))
    assert not stale.exists()
