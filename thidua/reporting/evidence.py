"""Evidence (minh chứng): supporting documents attached to one figure of a unit's report.

A file is accepted by what its bytes are, never by its name or the browser's content type: PDF,
images (JPEG, PNG, WebP), Office Open XML and OpenDocument files (ZIP containers, checked for
corruption and for zip bombs by their declared sizes) and legacy Microsoft Office files (OLE2
containers holding a Word, Excel or PowerPoint stream). Files are stored under MEDIA_ROOT with a
random name (Evidence.file's upload_to), outside the static tree, and are downloaded only through a
view that checks the access policy.

Evidence is added and removed only by the unit's own officers and head, and only while the unit's
report is editable; every change writes an audit event in the same transaction.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from thidua.audit.services import audit_log
from thidua.covenants.models import Criterion, Result
from thidua.lib.numbers import format_number
from thidua.org import policy
from thidua.org.models import Membership, Unit, User
from thidua.reporting.models import EDITABLE, Evidence, UnitReport
from thidua.reporting.services import ReportingError, ReportLocked, lock_message, report_for

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # settings.THIDUA_EVIDENCE_MAX_BYTES overrides it
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024  # declared total of a ZIP's entries: above it, a zip bomb
ZIP_MAX_ENTRIES = 10_000
HEAD_BYTES = 64

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# The part of an OOXML package that says what it is, in the order they are looked for.
_OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
# The stream that makes an OLE2 container a Word, Excel (97+, then 5/95) or PowerPoint file. An
# OLE2 container without one (an .msi installer, a Visio drawing…) is not accepted.
OLE2_STREAMS = (("WordDocument", DOC), ("Workbook", XLS), ("Book", XLS), ("PowerPoint Document", PPT))
# Directory entries hold stream names in UTF-16LE; they are searched for in the raw bytes.
_OLE2_MARKERS = tuple((name, name.encode("utf-16-le")) for name, _ in OLE2_STREAMS)
_OLE2_MARKER_SPAN = max(len(marker) for _, marker in _OLE2_MARKERS)
_ODF_MIMETYPE = re.compile(r"application/vnd\.oasis\.opendocument\.[a-z0-9.+-]+")

CHANGE_DENIED = "Chỉ cán bộ và thủ trưởng của đơn vị được thêm, xóa minh chứng của đơn vị."
ACCEPTED_TEXT = "PDF, tài liệu Office (Word, Excel, PowerPoint, OpenDocument) hay ảnh (JPEG, PNG, WebP)"


def sniff_content_type(
    head: bytes,
    zip_names: Collection[str] | None = None,
    *,
    zip_mimetype: bytes | None = None,
    ole2_streams: Collection[str] = (),
) -> str | None:
    """The content type of an accepted file from its first bytes, or None if it is not accepted.

    For a ZIP container, `zip_names` lists its entries and `zip_mimetype` is the content of its
    `mimetype` entry (OpenDocument); for an OLE2 container, `ole2_streams` names the Office streams
    found in it. Without them, ZIP and OLE2 containers are not accepted.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(ZIP_MAGIC) and zip_names is not None:
        names = set(zip_names)
        if "[Content_Types].xml" in names:
            for prefix, content_type in _OOXML_PARTS:
                if any(name.startswith(prefix) for name in names):
                    return content_type
        if "mimetype" in names and zip_mimetype is not None:
            declared = zip_mimetype.decode("ascii", errors="replace").strip()
            if _ODF_MIMETYPE.fullmatch(declared):
                return declared
        return None
    if head.startswith(OLE2_MAGIC):
        for stream, content_type in OLE2_STREAMS:
            if stream in ole2_streams:
                return content_type
    return None


def format_size(size: int) -> str:
    """`850 byte`, `12,5 KB`, `1,2 MB`, `200 MB`: sizes in messages, in Vietnamese notation."""
    value = Decimal(size)
    for unit in ("byte", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{format_number(value, max_places=1)} {unit}"
        value /= 1024
    raise AssertionError("unreachable")  # pragma: no cover


def max_bytes() -> int:
    return getattr(settings, "THIDUA_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class Inspected:
    """What an upload was found to be: its sniffed type, its real size and its SHA-256."""

    content_type: str
    size: int
    sha256: str


def clean_name(name: str | None) -> str:
    """The name shown and given back on download: no folders, no control characters, ≤ 255 chars."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip(" .")
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem[: 254 - len(ext)]}.{ext}" if dot and len(ext) < 20 else name[:255]
    return name or "minh-chung"


def _zip_contents(upload: UploadedFile, name: str) -> tuple[list[str], bytes | None]:
    """The entry names of a ZIP container and its `mimetype` entry, after checking that it is sound
    and not a zip bomb. Decompression is bounded by the declared sizes, checked first."""
    corrupt = ReportingError(f"«{name}» bị hỏng hoặc không đọc được (tệp nén không hợp lệ).")
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            if len(infos) > ZIP_MAX_ENTRIES:
                raise ReportingError(f"«{name}» chứa quá nhiều tệp con ({len(infos)}); không nhận tệp này.")
            declared = sum(info.file_size for info in infos)
            if declared > ZIP_MAX_UNCOMPRESSED:
                raise ReportingError(
                    f"«{name}» khai báo dung lượng giải nén {format_size(declared)}, vượt giới hạn "
                    f"{format_size(ZIP_MAX_UNCOMPRESSED)}; không nhận tệp này."
                )
            if archive.testzip() is not None:  # reads every entry, checking its CRC
                raise corrupt
            names = [info.filename for info in infos]
            mimetype = None
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    mimetype = entry.read(100)
    except ReportingError:
        raise
    except Exception as exc:  # noqa: BLE001 - untrusted input: any failure to read it is a refusal
        raise corrupt from exc
    finally:
        upload.seek(0)
    return names, mimetype


def evidence_inspect(*, upload: UploadedFile) -> Inspected:
    """Read the upload in chunks (size, SHA-256, first bytes) and decide what it is. Raises
    ReportingError, naming the file, for anything empty, too large, corrupt or not accepted."""
    name = clean_name(upload.name)
    limit = max_bytes()
    too_large = f"«{name}» vượt giới hạn {format_size(limit)} cho mỗi minh chứng."
    if upload.size is not None and upload.size > limit:
        raise ReportingError(f"«{name}» nặng {format_size(upload.size)}, vượt giới hạn {format_size(limit)} "
                             "cho mỗi minh chứng.")
    digest = hashlib.sha256()
    size = 0
    head = b""
    window = b""
    ole2_streams: set[str] = set()
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            raise ReportingError(too_large)
        digest.update(chunk)
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        if head.startswith(OLE2_MAGIC):
            window = window[-_OLE2_MARKER_SPAN:] + chunk
            ole2_streams.update(stream for stream, marker in _OLE2_MARKERS if marker in window)
    upload.seek(0)
    if size == 0:
        raise ReportingError(f"«{name}» là tệp rỗng.")
    zip_names, zip_mimetype = _zip_contents(upload, name) if head.startswith(ZIP_MAGIC) else (None, None)
    content_type = sniff_content_type(head, zip_names, zip_mimetype=zip_mimetype, ole2_streams=ole2_streams)
    if content_type is None:
        raise ReportingError(f"«{name}» không phải {ACCEPTED_TEXT}.")
    return Inspected(content_type=content_type, size=size, sha256=digest.hexdigest())


# ------------------------------------------------------------------------------ add, remove


def _check_may_change(*, actor: User | None, unit: Unit, criterion: Criterion) -> None:
    if actor is None or not policy.can_enter_unit_data(actor, unit):
        raise PermissionDenied(CHANGE_DENIED)
    if not Membership.objects.filter(group_year_id=criterion.covenant.group_year_id, unit=unit).exists():
        raise ReportingError(f"{unit} không phải là thành viên của cụm, khối này.")


def _check_editable(report: UnitReport | None) -> None:
    if report is not None and report.status not in EDITABLE:
        raise ReportLocked(lock_message(report))


def _editable_report(*, criterion: Criterion, unit: Unit) -> UnitReport:
    """The unit's report, locked for this transaction (on databases that lock rows), if editable."""
    report = report_for(covenant=criterion.covenant, unit=unit)
    report = UnitReport.objects.select_for_update().get(pk=report.pk)
    _check_editable(report)
    return report


def evidence_add(
    *,
    result: Result | None = None,
    criterion: Criterion | None = None,
    unit: Unit | None = None,
    upload: UploadedFile,
    actor: User | None,
) -> Evidence:
    """Attach an uploaded file to a figure: `result`, or `criterion` and `unit` (the result row is
    created if the unit has none yet). Refused unless the actor enters the unit's data and the
    unit's report is editable; the file is checked (see evidence_inspect) before anything is stored."""
    if result is not None:
        criterion, unit = result.criterion, result.unit
    if criterion is None or unit is None:
        raise TypeError("evidence_add needs a result, or a criterion and a unit")
    _check_may_change(actor=actor, unit=unit, criterion=criterion)
    _check_editable(UnitReport.objects.filter(covenant=criterion.covenant, unit=unit).first())  # fail early
    checked = evidence_inspect(upload=upload)
    name = clean_name(upload.name)
    evidence = None
    try:
        with transaction.atomic():
            _editable_report(criterion=criterion, unit=unit)
            result, _ = Result.objects.get_or_create(criterion=criterion, unit=unit)
            evidence = Evidence(result=result, original_name=name, content_type=checked.content_type,
                                size=checked.size, sha256=checked.sha256, uploaded_by=actor)
            evidence.file.save(name, upload, save=False)  # upload_to gives evidence/<random>
            evidence.save()
            audit_log(action="evidence.added", actor=actor, target=evidence,
                      summary=f"{unit.code} {criterion.code}: {name}",
                      data={"result": result.pk, "name": name, "content_type": checked.content_type,
                            "size": checked.size, "sha256": checked.sha256})
    except BaseException:
        if evidence is not None and evidence.file.name:
            evidence.file.storage.delete(evidence.file.name)  # nothing stored without its row
        raise
    return evidence


def evidence_remove(*, evidence: Evidence, actor: User | None) -> None:
    """Delete a document from a figure while the unit's report is editable; the stored file goes
    once the transaction commits."""
    result = evidence.result
    _check_may_change(actor=actor, unit=result.unit, criterion=result.criterion)
    with transaction.atomic():
        _editable_report(criterion=result.criterion, unit=result.unit)
        audit_log(action="evidence.removed", actor=actor, target=evidence,
                  summary=f"{result.unit.code} {result.criterion.code}: {evidence.original_name}",
                  data={"result": result.pk, "name": evidence.original_name, "sha256": evidence.sha256,
                        "size": evidence.size})
        storage, stored = evidence.file.storage, evidence.file.name
        deleted, _ = Evidence.objects.filter(pk=evidence.pk).delete()
        if not deleted:
            raise ReportingError(f"Minh chứng «{evidence.original_name}» đã bị xóa trước đó.")
        transaction.on_commit(lambda: storage.delete(stored))
