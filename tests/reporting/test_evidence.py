"""Evidence (minh chứng): what is accepted, where it is kept, who may add, remove and download it."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from thidua.audit.models import AuditEvent
from thidua.covenants.models import Criterion, Result
from thidua.reporting import evidence as ev
from thidua.reporting.evidence import evidence_add, evidence_remove, sniff_content_type
from thidua.reporting.models import Evidence, ReportStatus
from thidua.reporting.services import ReportingError, ReportLocked, lock_message, report_for, report_submit

# ------------------------------------------------------------------------------ tiny samples


def pdf_bytes(size: int = 0) -> bytes:
    body = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    return body + b"\0" * max(0, size - len(body))


PNG = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0" * 17
JPEG = b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 20 + b"\xff\xd9"
WEBP = b"RIFF\x1a\0\0\0WEBPVP8 " + b"\0" * 14
EXE = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0" + b"This program cannot be run in DOS mode." + b"\0" * 40
HTML = b"<!DOCTYPE html><html><body><script>alert('xin chao')</script></body></html>"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def zip_bytes(entries: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:
            archive.writestr(stored_first, entries[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
                      "word/document.xml": b"<w:document>B\xc3\xa1o c\xc3\xa1o</w:document>"})


def xlsx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def pptx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "ppt/presentation.xml": b"<presentation/>"})


def odt_bytes() -> bytes:
    return zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"},
                     stored_first="mimetype")


def ole2_bytes(stream: str) -> bytes:
    """An OLE2 container's magic, padding, and one directory entry's UTF-16LE name."""
    return OLE2 + b"\0" * 504 + stream.encode("utf-16-le") + b"\0" * 64


def zip_bomb_bytes() -> bytes:
    """201 MB of zeros declared inside a ~200 KB ZIP that looks like a Word document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w") as entry:
            megabyte = b"\0" * (1024 * 1024)
            for _ in range(201):
                entry.write(megabyte)
    return buffer.getvalue()


def corrupt_docx_bytes() -> bytes:
    """A docx whose document entry was damaged after writing (its CRC no longer matches)."""
    data = bytearray(zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"A" * 2000},
                               stored_first="word/document.xml"))
    start = data.index(b"word/document.xml") + len("word/document.xml")  # the local entry's data follows
    data[start + 2] ^= 0xFF
    return bytes(data)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


ACCEPTED = [
    ("bao-cao.pdf", pdf_bytes(), ev.PDF),
    ("anh-chup.png", PNG, ev.PNG),
    ("anh-hien-truong.jpg", JPEG, ev.JPEG),
    ("anh.webp", WEBP, ev.WEBP),
    ("bao-cao.docx", docx_bytes(), ev.DOCX),
    ("so-lieu.xlsx", xlsx_bytes(), ev.XLSX),
    ("trinh-chieu.pptx", pptx_bytes(), ev.PPTX),
    ("bao-cao.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
    ("cong-van.doc", ole2_bytes("WordDocument"), ev.DOC),
    ("bang-tinh.xls", ole2_bytes("Workbook"), ev.XLS),
    ("trinh-chieu.ppt", ole2_bytes("PowerPoint Document"), ev.PPT),
]


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """Uploads land in a temporary MEDIA_ROOT for each test."""
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


HTMX = {"HX-Request": "true"}


def criterion(code: str) -> Criterion:
    return Criterion.objects.get(covenant__group_year__group__code="G1", covenant__group_year__year=2024, code=code)


def add(world, *, name="bao-cao.pdf", content=None, code="I.1", unit=None, actor=None) -> Evidence:
    return evidence_add(criterion=criterion(code), unit=unit or world.a, upload=upload(name, pdf_bytes() if content is None else content),
                        actor=actor or world.officer_a)


def upload_url(unit="P-A", code="I.1"):
    return reverse("evidence_upload", args=("G1", 2024, unit, code))


def delete_url(item: Evidence, unit="P-A"):
    return reverse("evidence_delete", args=("G1", 2024, unit, item.pk))


def download_url(item: Evidence, unit="P-A"):
    return reverse("evidence_download", args=("G1", 2024, unit, item.pk))


def lock(world, covenant):
    """Head A sends the report: from then on it is not editable."""
    report = report_for(covenant=covenant, unit=world.a)
    return report_submit(report=report, actor=world.head_a)


# ------------------------------------------------------------------------------ sniffing (pure)


@pytest.mark.parametrize(("name", "content", "expected"), ACCEPTED, ids=[name for name, _, _ in ACCEPTED])
def test_each_accepted_kind_is_recognised_by_its_bytes(name, content, expected):
    names, mimetype, streams = None, None, set()
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype") if "mimetype" in names else None
    if content.startswith(OLE2):
        streams = {stream for stream, _ in ev.OLE2_STREAMS if stream.encode("utf-16-le") in content}
    assert sniff_content_type(content[:64], names, zip_mimetype=mimetype, ole2_streams=streams) == expected


@pytest.mark.parametrize(
    ("head", "names", "mimetype", "streams"),
    [
        (EXE, None, None, ()),
        (HTML, None, None, ()),
        (b"Plain text pretending to be %PDF-1.4", None, None, ()),
        (b"PK\x03\x04", ["readme.txt", "setup.exe"], None, ()),  # a plain ZIP
        (b"PK\x03\x04", ["word/document.xml"], None, ()),  # no [Content_Types].xml
        (b"PK\x03\x04", ["mimetype"], b"application/epub+zip", ()),  # an e-book, not a document
        (b"PK\x03\x04", ["mimetype"], b"application/vnd.oasis.opendocument.text\r\nX-Evil: 1", ()),
        (docx_bytes()[:64], None, None, ()),  # a ZIP whose entries were not listed
        (OLE2, None, None, ()),  # an OLE2 container without an Office stream: an .msi, say
        (b"RIFF\0\0\0\0WAVEfmt ", None, None, ()),
        (b"", None, None, ()),
    ],
)
def test_anything_else_is_not_recognised(head, names, mimetype, streams):
    assert sniff_content_type(head, names, zip_mimetype=mimetype, ole2_streams=streams) is None


def test_sizes_in_messages_read_the_vietnamese_way():
    assert ev.format_size(850) == "850 byte"
    assert ev.format_size(1_258_291) == "1,2 MB"
    assert ev.format_size(200 * 1024 * 1024) == "200 MB"


def test_a_name_keeps_no_folder_and_no_control_characters():
    assert ev.clean_name("C:\\Users\\cb\\Báo cáo\x00\n quý 1.pdf") == "Báo cáo quý 1.pdf"
    assert ev.clean_name("../../etc/passwd") == "passwd"
    assert ev.clean_name("") == "minh-chung"
    long_name = ev.clean_name("a" * 300 + ".pdf")
    assert len(long_name) == 255 and long_name.endswith(".pdf")


# ------------------------------------------------------------------------------ adding (service)


@pytest.mark.parametrize(("name", "content", "expected"), ACCEPTED, ids=[name for name, _, _ in ACCEPTED])
def test_officer_a_attaches_each_accepted_kind_and_the_browser_type_is_ignored(world, g1_covenant, media,
                                                                                 name, content, expected):
    item = evidence_add(criterion=criterion("I.1"), unit=world.a, actor=world.officer_a,
                        upload=upload(name, content, content_type="text/html"))
    assert item.content_type == expected
    assert item.original_name == name
    assert item.size == len(content)
    assert item.sha256 == hashlib.sha256(content).hexdigest()
    assert item.uploaded_by == world.officer_a
    assert Path(item.file.path).read_bytes() == content


def test_the_file_lands_under_media_root_with_a_random_name_never_under_static(world, g1_covenant, media, settings):
    item = add(world, name="Báo cáo quý 1.pdf")
    path = Path(item.file.path).resolve()
    assert path.is_relative_to(media.resolve() / "evidence")
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert "Báo" not in item.file.name and "pdf" not in item.file.name
    assert stored_files(media) == [path]


def test_the_result_row_is_created_when_the_unit_has_none_yet(world, g1_covenant, media):
    assert not Result.objects.filter(criterion=criterion("II.1"), unit=world.b).exists()
    item = add(world, code="II.1", unit=world.b, actor=world.officer_b)
    assert item.result == Result.objects.get(criterion=criterion("II.1"), unit=world.b)


def test_adding_to_an_existing_result_keeps_its_figures(world, g1_covenant, media):
    before = Result.objects.get(criterion=criterion("I.1"), unit=world.a)
    item = add(world)
    assert item.result_id == before.pk
    item.result.refresh_from_db()
    assert (item.result.target, item.result.actual, item.result.version) == (before.target, before.actual, before.version)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("bao-cao.exe", EXE, "application/x-msdownload"),
        ("bao-cao.pdf", EXE, "application/pdf"),  # an .exe renamed
        ("anh.png", HTML, "image/png"),  # a web page renamed
        ("bao-cao.docx", zip_bytes({"setup.exe": EXE}), ev.DOCX),  # a plain ZIP renamed
        ("cai-dat.doc", OLE2 + b"\0" * 600, "application/msword"),  # an OLE2 container, no Office stream
    ],
)
def test_a_file_that_is_not_an_accepted_kind_is_refused_whatever_its_name(world, g1_covenant, media,
                                                                          name, content, content_type):
    with pytest.raises(ReportingError) as refused:
        evidence_add(criterion=criterion("I.1"), unit=world.a, upload=upload(name, content, content_type),
                     actor=world.officer_a)
    assert str(refused.value) == (f"«{name}» không phải PDF, tài liệu Office (Word, Excel, PowerPoint, "
                                  "OpenDocument) hay ảnh (JPEG, PNG, WebP).")
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_an_empty_file_is_refused(world, g1_covenant, media):
    with pytest.raises(ReportingError, match="«trong.pdf» là tệp rỗng"):
        add(world, name="trong.pdf", content=b"")


def test_a_file_over_the_size_limit_is_refused(world, g1_covenant, media, settings):
    settings.THIDUA_EVIDENCE_MAX_BYTES = 1000
    add(world, name="vua-du.pdf", content=pdf_bytes(1000))
    with pytest.raises(ReportingError, match="«qua-lon.pdf» nặng 1.001 byte, vượt giới hạn 1.000 byte cho mỗi minh chứng."):
        add(world, name="qua-lon.pdf", content=pdf_bytes(1001))
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["vua-du.pdf"]
    assert len(stored_files(media)) == 1


def test_the_size_limit_holds_even_when_the_declared_size_lies(world, g1_covenant, media, settings):
    settings.THIDUA_EVIDENCE_MAX_BYTES = 1000
    lying = upload("bao-cao.pdf", pdf_bytes(5000))
    lying.size = 10
    with pytest.raises(ReportingError, match="«bao-cao.pdf» vượt giới hạn 1.000 byte cho mỗi minh chứng."):
        evidence_add(criterion=criterion("I.1"), unit=world.a, upload=lying, actor=world.officer_a)
    assert stored_files(media) == []


def test_the_default_size_limit_is_20_mb():
    assert ev.max_bytes() == 20 * 1024 * 1024


def test_a_zip_bomb_is_refused_by_its_declared_size_before_anything_is_unpacked(world, g1_covenant, media):
    bomb = zip_bomb_bytes()
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ReportingError, match=r"«bao-cao.docx» khai báo dung lượng giải nén 201 MB, vượt giới hạn 200 MB"):
        add(world, name="bao-cao.docx", content=bomb)
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("content", [corrupt_docx_bytes(), docx_bytes()[:100]], ids=["bad-crc", "truncated"])
def test_a_corrupt_office_file_is_refused(world, g1_covenant, media, content):
    with pytest.raises(ReportingError, match="«bao-cao.docx» bị hỏng hoặc không đọc được"):
        add(world, name="bao-cao.docx", content=content)
    assert stored_files(media) == []


@pytest.mark.parametrize("actor", ["leader_g1_2024", "board_p", "council_g1", "officer_b", "reader_g1"])
def test_only_the_units_own_officers_may_add_evidence(world, g1_covenant, media, actor):
    with pytest.raises(PermissionDenied):
        add(world, actor=getattr(world, actor))
    assert stored_files(media) == []


def test_the_unit_head_may_add_evidence_too(world, g1_covenant, media):
    assert add(world, actor=world.head_a).uploaded_by == world.head_a


def test_a_unit_outside_the_group_cannot_get_evidence_there(world, g1_covenant, media):
    with pytest.raises(ReportingError, match="không phải là thành viên"):
        add(world, unit=world.c, actor=world.officer_c)


def test_adding_and_removing_each_write_an_audit_event(world, g1_covenant, media, django_capture_on_commit_callbacks):
    item = add(world, name="Báo cáo.pdf")
    added = AuditEvent.objects.get(action="evidence.added")
    assert (added.actor, added.target_type, added.target_id) == (world.officer_a, "reporting.evidence", str(item.pk))
    assert added.data["sha256"] == item.sha256 and added.data["name"] == "Báo cáo.pdf"
    path = Path(item.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        evidence_remove(evidence=item, actor=world.head_a)
    removed = AuditEvent.objects.get(action="evidence.removed")
    assert (removed.actor, removed.target_id) == (world.head_a, str(item.pk))
    assert not Evidence.objects.exists()
    assert not path.exists()


def test_a_locked_report_refuses_adding_and_removing_with_the_lock_message(world, g1_covenant, media):
    item = add(world)
    report = lock(world, g1_covenant)
    with pytest.raises(ReportLocked) as refused:
        add(world, name="them.pdf")
    assert str(refused.value) == lock_message(report)
    with pytest.raises(ReportLocked):
        evidence_remove(evidence=item, actor=world.officer_a)
    assert list(Evidence.objects.all()) == [item]
    assert Path(item.file.path).exists()
    assert len(stored_files(media)) == 1
    assert not AuditEvent.objects.filter(action="evidence.removed").exists()


# ------------------------------------------------------------------------------ the views


def test_officer_a_uploads_by_htmx_and_gets_the_cell_back(client, world, g1_covenant, media):
    login(client, world.officer_a)
    response = client.post(upload_url(), {"file": upload("Báo cáo quý 1.pdf", pdf_bytes(1_258_291), "text/html")},
                           headers=HTMX)
    assert response.status_code == 200
    item = Evidence.objects.get()
    html = response.content.decode()
    assert f'id="evidence-{item.result.criterion.pk}"' in html
    assert download_url(item) in html and "Báo cáo quý 1.pdf" in html
    assert "1,2\xa0MB" in html
    assert delete_url(item) in html
    assert "<script" not in html and "style=" not in html


def test_a_plain_form_upload_redirects_back_to_the_data_entry_screen(client, world, g1_covenant, media):
    login(client, world.officer_a)
    response = client.post(upload_url(), {"file": upload("bao-cao.pdf", pdf_bytes())})
    assert response.status_code == 302
    assert response["Location"] == "/cum-khoi/G1/2024/so-lieu/P-A/"
    assert Evidence.objects.count() == 1


def test_a_refused_file_answers_with_the_reason_and_no_error_page(client, world, g1_covenant, media):
    login(client, world.officer_a)
    response = client.post(upload_url(), {"file": upload("bao-cao.pdf", EXE, "application/pdf")}, headers=HTMX)
    assert response.status_code == 200
    assert "«bao-cao.pdf» không phải PDF" in response.content.decode()
    response = client.post(upload_url(), {"file": upload("bao-cao.exe", EXE)}, follow=False)
    assert response.status_code == 302
    assert response["Location"] == "/cum-khoi/G1/2024/so-lieu/P-A/"
    assert not Evidence.objects.exists()
    assert stored_files(media) == []


def test_a_zip_bomb_and_an_oversized_file_get_an_answer_not_a_500(client, world, g1_covenant, media, settings):
    login(client, world.officer_a)
    response = client.post(upload_url(), {"file": upload("bao-cao.docx", zip_bomb_bytes())}, headers=HTMX)
    assert response.status_code == 200 and "vượt giới hạn 200 MB" in response.content.decode()
    settings.THIDUA_EVIDENCE_MAX_BYTES = 100
    response = client.post(upload_url(), {"file": upload("bao-cao.pdf", pdf_bytes(101))}, headers=HTMX)
    assert response.status_code == 200 and "«bao-cao.pdf» vượt giới hạn 100 byte" in response.content.decode()
    assert stored_files(media) == []


def test_an_upload_without_a_file_says_so(client, world, g1_covenant, media):
    login(client, world.officer_a)
    response = client.post(upload_url(), {}, headers=HTMX)
    assert "Chưa chọn tệp minh chứng" in response.content.decode()


def test_upload_and_delete_answer_only_post(client, world, g1_covenant, media):
    item = add(world)
    login(client, world.officer_a)
    assert client.get(upload_url()).status_code == 405
    assert client.get(delete_url(item)).status_code == 405


def test_an_unknown_criterion_is_not_found(client, world, g1_covenant, media):
    login(client, world.officer_a)
    assert client.post(upload_url(code="IX.9"), {"file": upload("a.pdf", pdf_bytes())}).status_code == 404


def test_officer_a_deletes_by_htmx_and_the_required_evidence_note_comes_back(client, world, g1_covenant, media,
                                                                            django_capture_on_commit_callbacks):
    Criterion.objects.filter(pk=criterion("I.1").pk).update(requires_evidence=True)
    item = add(world)
    path = Path(item.file.path)
    login(client, world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(item), headers=HTMX)
    assert response.status_code == 200
    assert "Bắt buộc có minh chứng" in response.content.decode()
    assert not Evidence.objects.exists() and not path.exists()
    assert AuditEvent.objects.filter(action="evidence.removed", actor=world.officer_a).count() == 1


def test_a_plain_form_delete_redirects_back(client, world, g1_covenant, media):
    item = add(world)
    login(client, world.head_a)
    response = client.post(delete_url(item))
    assert response.status_code == 302
    assert response["Location"] == "/cum-khoi/G1/2024/so-lieu/P-A/"
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("actor", ["officer_a", "head_a", "leader_g1_2024", "board_p", "national_board", "council_g1"])
def test_those_who_see_the_report_download_with_the_original_name(client, world, g1_covenant, media, actor):
    content = pdf_bytes()
    item = add(world, name="Báo cáo quý 1.pdf", content=content)
    login(client, getattr(world, actor))
    response = client.get(download_url(item))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('Báo cáo quý 1.pdf')}" in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_download_type_is_the_sniffed_one_not_the_browsers(client, world, g1_covenant, media):
    item = evidence_add(criterion=criterion("I.1"), unit=world.a, actor=world.officer_a,
                        upload=upload("so-lieu.xlsx", xlsx_bytes(), content_type="text/html"))
    login(client, world.officer_a)
    response = client.get(download_url(item))
    assert response["Content-Type"] == ev.XLSX
    assert response["Content-Disposition"] == 'attachment; filename="so-lieu.xlsx"'
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_reader_of_the_group_may_not_download_before_publication(client, world, g1_covenant, media):
    item = add(world)
    login(client, world.reader_g1)
    assert client.get(download_url(item)).status_code == 403


@pytest.mark.parametrize("actor", ["officer_b", "officer_c", "outsider"])
def test_those_outside_unit_a_get_404_by_page_by_htmx_and_by_direct_url(client, world, g1_covenant, media, actor):
    item = add(world, name="bi-mat.pdf")
    login(client, getattr(world, actor))
    page = client.get(reverse("data_entry", args=("G1", 2024, "P-A")))
    assert page.status_code == 404 and "bi-mat.pdf" not in page.content.decode()
    for headers in ({}, HTMX):
        assert client.get(download_url(item), headers=headers).status_code == 404
        assert client.post(upload_url(), {"file": upload("x.pdf", pdf_bytes())}, headers=headers).status_code == 404
        assert client.post(delete_url(item), headers=headers).status_code == 404
    assert list(Evidence.objects.all()) == [item]
    assert len(stored_files(media)) == 1


def test_officer_b_cannot_reach_unit_as_evidence_through_the_url_of_unit_b(client, world, g1_covenant, media):
    item = add(world)
    login(client, world.officer_b)
    assert client.get(download_url(item, unit="P-B")).status_code == 404
    assert client.post(delete_url(item, unit="P-B"), headers=HTMX).status_code == 404
    assert Evidence.objects.filter(pk=item.pk).exists()


def test_evidence_is_only_found_under_its_own_group_year_and_unit(client, world, g1_covenant, media):
    item = add(world, unit=world.b, actor=world.officer_b)
    login(client, world.board_p)
    assert client.get(download_url(item, unit="P-B")).status_code == 200
    assert client.get(download_url(item, unit="P-A")).status_code == 404
    assert client.get(reverse("evidence_download", args=("G1", 2025, "P-B", item.pk))).status_code == 404


@pytest.mark.parametrize("actor", ["leader_g1_2024", "board_p", "council_g1", "reader_g1"])
def test_those_who_may_see_but_not_change_get_403_on_upload_and_delete(client, world, g1_covenant, media, actor):
    item = add(world)
    login(client, getattr(world, actor))
    for headers in ({}, HTMX):
        assert client.post(upload_url(), {"file": upload("x.pdf", pdf_bytes())}, headers=headers).status_code == 403
        assert client.post(delete_url(item), headers=headers).status_code == 403
    assert list(Evidence.objects.all()) == [item]


def test_a_sent_report_refuses_upload_and_delete_with_the_lock_message(client, world, g1_covenant, media):
    item = add(world)
    report = lock(world, g1_covenant)
    assert report.status == ReportStatus.SUBMITTED
    message = lock_message(report)
    login(client, world.officer_a)
    response = client.post(upload_url(), {"file": upload("them.pdf", pdf_bytes())}, headers=HTMX)
    assert response.status_code == 200 and message in response.content.decode()
    response = client.post(delete_url(item), headers=HTMX)
    assert response.status_code == 200 and message in response.content.decode()
    response = client.post(delete_url(item), follow=True)
    assert message in [str(m) for m in response.context["messages"]]
    assert list(Evidence.objects.all()) == [item]
    assert len(stored_files(media)) == 1


def test_an_accepted_report_says_only_the_board_can_reopen_it(client, world, g1_covenant, media):
    from thidua.reporting.services import report_accept

    report = report_accept(report=lock(world, g1_covenant), actor=world.leader_g1_2024)
    login(client, world.officer_a)
    response = client.post(upload_url(), {"file": upload("them.pdf", pdf_bytes())}, headers=HTMX)
    assert lock_message(report) in response.content.decode()
    assert "Chỉ Ban Thi đua" in lock_message(report)
    assert not Evidence.objects.exists()


# ------------------------------------------------------------------------------ the cell


def cell(world, covenant, *, code="I.1", can_edit=True, **extra) -> str:
    found = criterion(code)
    result = Result.objects.filter(criterion=found, unit=world.a).first()
    return render_to_string("reporting/_evidence_cell.html", {
        "result": result, "criterion": found, "unit": world.a, "gy": world.g1_2024, "can_edit": can_edit, **extra})


def test_the_cell_offers_an_htmx_upload_form_targeting_its_own_wrapper(world, g1_covenant, media):
    html = cell(world, g1_covenant)
    wrapper = f"evidence-{criterion('I.1').pk}"
    assert f'id="{wrapper}"' in html
    assert 'enctype="multipart/form-data"' in html and 'hx-encoding="multipart/form-data"' in html
    assert f'hx-post="{upload_url()}"' in html and f'hx-target="#{wrapper}"' in html
    assert 'hx-swap="outerHTML"' in html
    assert "<script" not in html and "style=" not in html


def test_the_cell_without_edit_rights_lists_the_evidence_only(world, g1_covenant, media):
    item = add(world, name="ket-qua.pdf")
    html = cell(world, g1_covenant, can_edit=False)
    assert "ket-qua.pdf" in html and download_url(item) in html
    assert "<form" not in html


def test_the_cell_says_evidence_is_required_until_there_is_some(world, g1_covenant, media):
    Criterion.objects.filter(pk=criterion("I.2").pk).update(requires_evidence=True)
    assert "Bắt buộc có minh chứng" in cell(world, g1_covenant, code="I.2")
    assert "Bắt buộc có minh chứng" not in cell(world, g1_covenant, code="I.1")
    add(world, code="I.2")
    assert "Bắt buộc có minh chứng" not in cell(world, g1_covenant, code="I.2")


def test_the_cell_works_before_the_unit_has_a_result(world, g1_covenant, media):
    def render(can_edit):
        return render_to_string("reporting/_evidence_cell.html", {
            "result": None, "criterion": criterion("II.1"), "unit": world.b, "gy": world.g1_2024, "can_edit": can_edit})

    assert upload_url(unit="P-B", code="II.1") in render(True)
    assert "Chưa có minh chứng" in render(False) and "<form" not in render(False)


def test_the_data_entry_screen_shows_the_evidence_of_each_figure(client, world, g1_covenant, media):
    item = add(world, name="Báo cáo quý 1.pdf")
    login(client, world.officer_a)
    html = client.get(reverse("data_entry", args=("G1", 2024, "P-A"))).content.decode()
    assert "Báo cáo quý 1.pdf" in html and download_url(item) in html and upload_url(code="I.2") in html
