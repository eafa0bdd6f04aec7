"""thidua backup / thidua restore (issue #8): a round trip gives identical exports and scores, and a
wrong, damaged or foreign file, or a database that already holds data, is refused with a reason."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from thidua.audit import backup
from thidua.audit.models import AuditEvent
from thidua.covenants.models import Covenant, Criterion, Result
from thidua.org.models import Role, RoleAssignment, Unit, User
from thidua.reporting.evidence import evidence_add
from thidua.reporting.models import Evidence
from thidua.reporting.services import Edit, result_set

PDF = b"%PDF-1.4\n% minh chung\n" + b"x" * 300 + b"\n%%EOF\n"


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def covenants() -> list[tuple[str, int]]:
    return sorted(Covenant.objects.values_list("group_year__group__code", "group_year__year"))


def outputs() -> dict:
    """What the acceptance criterion compares: every group-year's export and scores."""
    return {(code, year): (run("export", code, year), run("score", code, year, "--json")) for code, year in covenants()}


def counts() -> dict[str, int]:
    return backup.database_rows()


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture
def filled(world, g1_covenant, media):
    """The demo installation, plus G1 2024 with a figure changed on screen and a piece of evidence."""
    run("demo")
    criterion = Criterion.objects.get(covenant=g1_covenant, code="I.1")
    result_set(edit=Edit(criterion=criterion, unit=world.a, field="actual", value=Result.objects.get(
        criterion=criterion, unit=world.a).actual + 1), actor=world.officer_a)
    evidence = evidence_add(criterion=criterion, unit=world.a, actor=world.officer_a,
                            upload=SimpleUploadedFile("Báo cáo quý 4.pdf", PDF, content_type="application/pdf"))
    (media / "uploads").mkdir(parents=True, exist_ok=True)
    (media / "uploads" / "pending").write_bytes(b"an Excel preview waiting for confirmation")
    return evidence


def empty_database(media: Path) -> None:
    """A fresh installation: migrated tables with nothing in them, no uploaded files."""
    call_command("flush", "--noinput", verbosity=0)
    for path in sorted(media.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert counts() == {}


def rewrite(source: Path, target: Path, *, change=None, manifest_change=None, drop: str | None = None) -> Path:
    """A copy of an archive with one entry altered (or dropped) and/or its manifest edited."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        manifest = json.loads(original.read(backup.MANIFEST))
        for info in original.infolist():
            if info.filename in (backup.MANIFEST, drop):
                continue
            data = original.read(info.filename)
            if change and info.filename == change[0]:
                data = change[1](data)
            copy.writestr(info.filename, data)
        if manifest_change:
            manifest_change(manifest)
        copy.writestr(backup.MANIFEST, json.dumps(manifest))
    return target


# ------------------------------------------------------------------------------ the round trip


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_gives_identical_exports_scores_and_files(filled, media, tmp_path):
    from django.contrib.auth.models import Group, Permission

    staff = Group.objects.create(name="Văn thư")
    staff.permissions.add(Permission.objects.get(codename="view_unit"))
    User.objects.get(username="officer_a").groups.add(staff)
    password = User.objects.get(username="officer_a").password
    highest_unit = Unit.objects.order_by("-pk").values_list("pk", flat=True).first()
    before, rows = outputs(), counts()
    evidence_path = filled.file.name
    assert len(before) >= 3 and rows["reporting.evidence"] == 1 and rows["org.user"] > 10

    # the evidence, and the documents of the demo's dossiers; not the pending Excel preview
    saved = sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()
                   and p.relative_to(media).parts[0] != "uploads")
    said = run("backup", str(tmp_path / "sao-luu.zip"))
    assert said.startswith(f"Đã sao lưu vào {tmp_path / 'sao-luu.zip'}:") and f" {len(saved)} tệp" in said
    empty_database(media)
    said = run("restore", str(tmp_path / "sao-luu.zip"))

    assert said.startswith(f"Đã khôi phục bản sao lưu {tmp_path / 'sao-luu.zip'} (tạo lúc ")
    assert outputs() == before
    restored = counts()
    assert restored.pop("audit.auditevent") == rows.pop("audit.auditevent") + 1  # the restore's own event
    assert restored == rows
    assert AuditEvent.objects.filter(action="database.restored").count() == 1
    evidence = Evidence.objects.get()
    assert evidence.file.name == evidence_path and (media / evidence_path).read_bytes() == PDF
    assert hashlib.sha256(PDF).hexdigest() == evidence.sha256
    assert not (media / "uploads").exists()  # pending previews are not part of a backup
    assert sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()) == saved
    assert sorted(p.name for p in media.iterdir()) == sorted({name.split("/")[0] for name in saved})  # no staging left
    officer = User.objects.get(username="officer_a")
    assert officer.password == password and officer.has_perm("org.view_unit")
    assert list(officer.groups.values_list("name", flat=True)) == ["Văn thư"]
    assert RoleAssignment.objects.filter(user=officer, role=Role.UNIT_OFFICER, unit__code="P-A").exists()
    # The sequences were reset: a new row gets a key after the restored ones.
    assert Unit.objects.create(code="MOI", name="Đơn vị mới", kind="district").pk > highest_unit


# ------------------------------------------------------------------------------ the archive


def test_the_manifest_names_the_format_the_migrations_the_counts_and_a_checksum_per_part(filled, media, tmp_path):
    report = backup.backup_create(path=tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        for name, entry in manifest["entries"].items():
            data = archive.read(name)
            assert (hashlib.sha256(data).hexdigest(), len(data)) == (entry["sha256"], entry["size"])
    assert (tmp_path / "b.zip").stat().st_mode & 0o777 == 0o600  # secrets inside: owner only
    assert manifest["format"] == "thidua-backup/1"
    assert manifest["migrations"] == backup.applied_migrations()
    assert {k: v for k, v in manifest["rows"].items() if v} == counts() == {k: v for k, v in report.rows.items() if v}
    assert manifest["versions"]["thidua"] and manifest["versions"]["django"]
    assert f"files/{filled.file.name}" in manifest["entries"]
    assert not any("uploads/" in name or "session" in name or "contenttype" in name for name in manifest["entries"])


def test_figures_travel_as_exact_decimal_strings(filled, media, tmp_path):
    backup.backup_create(path=tmp_path / "b.zip")
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        rows = json.loads(archive.read("data/covenants.result.json"))
    actuals = {row["fields"]["actual"] for row in rows if row["fields"]["actual"] is not None}
    assert actuals and all(isinstance(value, str) for value in actuals)
    assert "113.88" in {value.rstrip("0").rstrip(".") if "." in value else value for value in actuals}


# ------------------------------------------------------------------------------ refusals


@pytest.fixture
def archive(filled, media, tmp_path) -> Path:
    backup.backup_create(path=tmp_path / "b.zip")
    return tmp_path / "b.zip"


def refused(path: Path, message: str, **options) -> None:
    """Refused with `message`, before anything changed (these checks come before the check that
    the database is empty, so they hold on an empty database too)."""
    before = counts()
    with pytest.raises(CommandError, match=message) as caught:
        run("restore", str(path), **options)
    assert str(caught.value).endswith("Không có thay đổi nào được ghi.")
    assert counts() == before


def test_a_database_that_holds_data_is_not_overwritten_without_force(archive):
    Unit.objects.create(code="SAU", name="Đơn vị thêm sau khi sao lưu", kind="district")
    refused(archive, r"b.zip: cơ sở dữ liệu đang có dữ liệu \(\d+ dòng, ví dụ .*\)\. Khôi phục sẽ thay thế toàn bộ; "
                     r"nếu chắc chắn, chạy lại với --force\.")
    assert Unit.objects.filter(code="SAU").exists()


def test_with_force_the_database_is_replaced_by_the_backup(archive, media):
    before = outputs()
    Unit.objects.create(code="SAU", name="Đơn vị thêm sau khi sao lưu", kind="district")
    Result.objects.update(actual=1)
    said = run("restore", str(archive), force=True)
    assert said.startswith("Đã thay thế dữ liệu cũ bằng bản sao lưu")
    assert not Unit.objects.filter(code="SAU").exists()
    assert outputs() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"format: thidua-covenant/1\n", r"x.zip: không phải là bản sao lưu thidua \(không đọc được tệp nén\)\."),
        (b"", r"x.zip: không phải là bản sao lưu thidua"),
    ],
    ids=["a-yaml-file", "empty"],
)
def test_a_file_that_is_not_an_archive_is_refused(db, tmp_path, content, message):
    (tmp_path / "x.zip").write_bytes(content)
    refused(tmp_path / "x.zip", message)


def test_a_missing_file_is_refused(db, tmp_path):
    refused(tmp_path / "khong-co.zip", "khong-co.zip: không tìm thấy tệp.")


def test_a_zip_that_is_not_a_backup_is_refused(db, tmp_path):
    with zipfile.ZipFile(tmp_path / "x.zip", "w") as other:
        other.writestr("word/document.xml", "<w/>")
    refused(tmp_path / "x.zip", r"x.zip: không phải là bản sao lưu thidua \(thiếu manifest.json\)\.")


def test_another_format_version_is_refused(archive, tmp_path):
    rewrite(archive, tmp_path / "v2.zip", manifest_change=lambda m: m.update(format="thidua-backup/2"))
    refused(tmp_path / "v2.zip", "định dạng «thidua-backup/2» không phải thidua-backup/1; phiên bản này không đọc được.")


def test_a_damaged_part_is_refused_by_its_checksum(archive, tmp_path):
    def alter(data: bytes) -> bytes:
        return data.replace(b'"113.88', b'"999.88', 1) if b'"113.88' in data else data.replace(b"113.88", b"999.88", 1)

    rewrite(archive, tmp_path / "sua.zip", change=("data/covenants.result.json", alter))
    refused(tmp_path / "sua.zip", r"phần data/covenants.result.json không khớp mã kiểm tra SHA-256 \(tệp bị hỏng hoặc bị sửa\)")


def test_a_truncated_backup_is_refused(archive, tmp_path):
    data = archive.read_bytes()
    (tmp_path / "cut.zip").write_bytes(data[: len(data) // 2])
    refused(tmp_path / "cut.zip", "cut.zip: không phải là bản sao lưu thidua")


def test_a_part_removed_from_the_archive_is_refused(archive, tmp_path):
    rewrite(archive, tmp_path / "thieu.zip", drop="data/org.unit.json")
    refused(tmp_path / "thieu.zip", r"bản sao lưu thiếu 1 phần \(ví dụ data/org.unit.json\)")


def test_an_edited_manifest_is_refused_by_its_own_seal(archive, tmp_path):
    def lie(manifest):
        manifest["entries"]["data/org.unit.json"]["size"] += 1

    rewrite(archive, tmp_path / "lie.zip", manifest_change=lie)
    refused(tmp_path / "lie.zip", "mục lục của bản sao lưu không khớp mã kiểm tra")


@pytest.mark.parametrize("entries", [None, [], {"data/org.unit.json": "abc"}, {"data/org.unit.json": {}}])
def test_a_manifest_with_a_malformed_table_of_contents_is_refused(archive, tmp_path, entries):
    rewrite(archive, tmp_path / "bad.zip", manifest_change=lambda m: m.update(entries=entries))
    refused(tmp_path / "bad.zip", "mục lục của bản sao lưu không khớp mã kiểm tra")


def test_a_path_outside_the_files_folder_is_refused(archive, tmp_path):
    def escape(manifest):
        manifest["entries"]["files/../../evil"] = {"sha256": "0" * 64, "size": 1}
        manifest["payload_sha256"] = backup._payload_digest(manifest["entries"])

    rewrite(archive, tmp_path / "evil.zip", manifest_change=escape)
    with zipfile.ZipFile(tmp_path / "evil.zip", "a") as evil:
        evil.writestr("files/../../evil", b"x")
    refused(tmp_path / "evil.zip", r"đường dẫn không hợp lệ \(files/../../evil\)")
    assert not (tmp_path.parent / "evil").exists()


def test_a_backup_made_at_another_migration_state_is_refused(archive, tmp_path):
    def older(manifest):
        manifest["migrations"]["reporting"] = manifest["migrations"]["reporting"][:-1]

    rewrite(archive, tmp_path / "cu.zip", manifest_change=older)
    refused(tmp_path / "cu.zip", r"bản sao lưu được tạo ở lược đồ dữ liệu khác \(thidua .*\): cơ sở dữ liệu này có 1 "
                                 r"migration mà bản sao lưu chưa có \(reporting\.\d+_\w+\)\. Hãy khôi phục bằng đúng phiên bản")


@pytest.mark.django_db(transaction=True)
def test_rows_that_do_not_load_roll_everything_back_and_leave_no_file(archive, tmp_path, media):
    """Sealed correctly but inconsistent (a result naming a unit that is not in the file): the
    foreign-key check at the end of the transaction refuses it, and nothing stays behind."""

    def orphan(manifest):
        with zipfile.ZipFile(archive) as original:
            rows = json.loads(original.read("data/covenants.result.json"))
        rows[0]["fields"]["unit"] = 987654321
        data = json.dumps(rows).encode()
        manifest["entries"]["data/covenants.result.json"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        manifest["payload_sha256"] = backup._payload_digest(manifest["entries"])
        orphan.data = data

    rewrite(archive, tmp_path / "orphan.zip", manifest_change=orphan)
    rewrite(tmp_path / "orphan.zip", tmp_path / "orphan2.zip",
            change=("data/covenants.result.json", lambda _: orphan.data))
    empty_database(media)
    refused(tmp_path / "orphan2.zip", r"dữ liệu trong bản sao lưu không nạp được")
    assert counts() == {} and list(media.rglob("*")) == []
