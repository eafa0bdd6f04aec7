"""Backup and restore of the whole installation: every table and the uploaded files, in one file.

The archive (`thidua-backup/1`) is a ZIP holding:

    manifest.json            format, versions, the applied migrations, row counts, a SHA-256 and
                             a size for every other entry, and one SHA-256 over all of them
    data/<app.model>.json    the rows of each table, Django's JSON serialisation (primary keys
                             kept; users, groups, permissions and content types named by natural
                             keys so that the file loads on any database migrated to the same state)
    files/<path>             the files under MEDIA_ROOT (evidence), except pending Excel previews

It is portable between SQLite and PostgreSQL: figures travel as decimal strings, never as floats.
Content types and permissions are not copied (`migrate` creates them; rows refer to them by name),
nor are sessions (a restore logs everybody out).

Restore refuses, naming the file and the reason in Vietnamese, anything that is not such an
archive, an archive whose checksums do not match (damaged or altered), one made at another
migration state, and a database that already holds data unless told to replace it (`force`). The
rows are loaded in one transaction (foreign keys are checked at its end), PostgreSQL sequences are
reset, and the files are written only once the rows are committed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import uuid
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "thidua-backup/1"
MANIFEST = "manifest.json"
DATA_DIR = "data/"
FILES_DIR = "files/"
# Not copied: recreated by `migrate` (content types, permissions) or worthless elsewhere (sessions).
SKIPPED = ("contenttypes.contenttype", "auth.permission", "sessions.session")
# Never copied from MEDIA_ROOT: Excel uploads waiting for their preview to be confirmed.
SKIPPED_MEDIA = ("uploads",)
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore refused; the message is for the user, in Vietnamese."""


@dataclass
class BackupReport:
    path: Path
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# ------------------------------------------------------------------------------ what is copied


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete table of the project, in an order that loads (natural keys first)."""
    chosen = [
        model for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in SKIPPED
    ]
    by_app: dict[str, list] = {}
    for model in chosen:
        by_app.setdefault(model._meta.app_label, []).append(model)
    pairs = [(apps.get_app_config(label), model_list) for label, model_list in by_app.items()]
    return serializers.sort_dependencies(pairs, allow_cycles=True)


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """The migrations applied to the database, by app: what a backup's rows fit."""
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def unapplied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations of the installed code not yet applied to the database."""
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _media_files() -> list[tuple[str, Path]]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not path.is_symlink() and relative.parts[0] not in SKIPPED_MEDIA:
            found.append((relative.as_posix(), path))
    return found


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def _payload_digest(entries: dict[str, dict]) -> str:
    """One SHA-256 over every entry's name, size and SHA-256: the manifest's own seal. It detects
    damage and careless edits, not forgery (there is no secret key): keep backups where only the
    administrators can write."""
    lines = "".join(f"{name}\t{entries[name]['size']}\t{entries[name]['sha256']}\n" for name in sorted(entries))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------------------ backup


class _HashingWriter(io.RawIOBase):
    """Counts and hashes what goes into a ZIP entry as it is written."""

    def __init__(self, target):
        self.target, self.sha256, self.size = target, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.target.write(data)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def backup_create(*, path: Path | str, using: str = DEFAULT_DB_ALIAS) -> BackupReport:
    """Write the archive to `path` (via a temporary file beside it, renamed at the end). Reads in
    one transaction so that the rows are a consistent snapshot (REPEATABLE READ on PostgreSQL)."""
    path = Path(path)
    if pending := unapplied_migrations(using):
        raise BackupError(
            f"cơ sở dữ liệu chưa chạy {len(pending)} migration ({', '.join(pending[:3])}); chạy `thidua migrate` "
            "trước khi sao lưu để bản sao lưu khớp với phiên bản đang cài."
        )
    report = BackupReport(path=path)
    entries: dict[str, dict] = {}
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        # 0600 from the first byte: password hashes and two-factor secrets are in it
        handle = os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w+b")
        with handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            outermost = not connections[using].in_atomic_block
            with transaction.atomic(using=using):
                if outermost and connections[using].vendor == "postgresql":
                    with connections[using].cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                migrations = applied_migrations(using)
                for model in backed_up_models():
                    label = model._meta.label_lower
                    name = f"{DATA_DIR}{label}.json"
                    queryset = model._base_manager.using(using).order_by("pk")
                    with archive.open(_entry(name), "w") as raw:
                        hashing = _HashingWriter(raw)
                        text = io.TextIOWrapper(hashing, encoding="utf-8", newline="\n", write_through=True)
                        serializers.serialize("json", queryset.iterator(chunk_size=2000), stream=text,
                                              use_natural_foreign_keys=True)
                        text.flush()
                        text.detach()
                    report.rows[label] = queryset.count()
                    entries[name] = {"sha256": hashing.sha256.hexdigest(), "size": hashing.size}
            for relative, source in _media_files():
                name = f"{FILES_DIR}{relative}"
                with source.open("rb") as handle, archive.open(_entry(name), "w", force_zip64=True) as raw:
                    hashing = _HashingWriter(raw)
                    shutil.copyfileobj(handle, hashing, CHUNK)
                entries[name] = {"sha256": hashing.sha256.hexdigest(), "size": hashing.size}
                report.files += 1
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "versions": {"thidua": _version("thidua"), "django": django.__version__},
                "database": connections[using].vendor,
                "migrations": migrations,
                "rows": report.rows,
                "entries": entries,
                "payload_sha256": _payload_digest(entries),
            }
            archive.writestr(_entry(MANIFEST), json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True))
        os.chmod(partial, 0o600)  # for the administrators only (whatever the umask did)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return report


# ------------------------------------------------------------------------------ restore


@dataclass
class RestoreReport:
    created_at: str
    rows: dict[str, int]
    files: int
    replaced: bool

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _refuse(name: str, reason: str) -> BackupError:
    return BackupError(f"{name}: {reason} Không có thay đổi nào được ghi.")


def _open_archive(path: Path) -> tuple[zipfile.ZipFile, dict]:
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise _refuse(name, "không tìm thấy tệp.") from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(name, "không phải là bản sao lưu thidua (không đọc được tệp nén).") from None
    try:
        manifest = json.loads(archive.read(MANIFEST).decode("utf-8"))
    except KeyError:
        archive.close()
        raise _refuse(name, f"không phải là bản sao lưu thidua (thiếu {MANIFEST}).") from None
    except (ValueError, zipfile.BadZipFile, OSError):
        archive.close()
        raise _refuse(name, f"bản sao lưu bị hỏng ({MANIFEST} không đọc được).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        archive.close()
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise _refuse(name, f"định dạng «{found or 'không rõ'}» không phải {FORMAT}; phiên bản này không đọc được.")
    return archive, manifest


def _verify(archive: zipfile.ZipFile, manifest: dict, name: str) -> None:
    """Every entry present, of the declared size and SHA-256, and nothing else: a damaged or altered
    file is refused before anything is read from it."""
    entries = manifest.get("entries")
    try:
        sealed = isinstance(entries, dict) and _payload_digest(entries) == manifest.get("payload_sha256")
        # a seal over sizes that are not numbers is no table of contents either
        sealed = sealed and all(type(e["size"]) is int and e["size"] >= 0 and isinstance(e["sha256"], str)
                                for e in entries.values())
    except (KeyError, TypeError):
        sealed = False
    if not sealed:
        raise _refuse(name, "mục lục của bản sao lưu không khớp mã kiểm tra (tệp bị hỏng hoặc bị sửa).")
    present = {info.filename for info in archive.infolist()} - {MANIFEST}
    if missing := sorted(set(entries) - present):
        raise _refuse(name, f"bản sao lưu thiếu {len(missing)} phần (ví dụ {missing[0]}); tệp bị cắt cụt hoặc bị sửa.")
    if extra := sorted(present - set(entries)):
        raise _refuse(name, f"bản sao lưu có phần lạ không có trong mục lục ({extra[0]}); tệp bị sửa.")
    for entry in entries:
        _check_entry_path(entry, name)
        # a file whose name is also a folder of another entry could not be written
        parts = entry.split("/")
        if clash := next((f for f in ("/".join(parts[:i]) for i in range(2, len(parts))) if f in entries), None):
            raise _refuse(name, f"bản sao lưu có đường dẫn không hợp lệ ({clash} vừa là tệp vừa là thư mục).")
    for entry, expected in entries.items():
        digest, size = hashlib.sha256(), 0
        try:
            with archive.open(entry) as handle:
                while chunk := handle.read(CHUNK):
                    size += len(chunk)
                    if size > expected["size"]:
                        break  # bigger than declared: no need to read the rest
                    digest.update(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            raise _refuse(name, f"phần {entry} bị hỏng, không đọc được.") from None
        if size != expected["size"] or digest.hexdigest() != expected["sha256"]:
            raise _refuse(name, f"phần {entry} không khớp mã kiểm tra SHA-256 (tệp bị hỏng hoặc bị sửa).")


def _check_entry_path(entry: str, name: str) -> None:
    """Entries are data/<label>.json or files/<relative path>, never outside MEDIA_ROOT."""
    posix = PurePosixPath(entry)
    empty_or_dot = any(part in ("", ".", "..") for part in entry.split("/")[1:])  # "files/", "files/./a"
    if (posix.is_absolute() or ".." in posix.parts or "\\" in entry or empty_or_dot
            or not entry.startswith((DATA_DIR, FILES_DIR))):
        raise _refuse(name, f"bản sao lưu có đường dẫn không hợp lệ ({entry}).")


def _check_migrations(manifest: dict, name: str, using: str) -> None:
    here = applied_migrations(using)
    there = manifest.get("migrations") or {}
    if here == there:
        return
    only_there = sorted(f"{app}.{m}" for app, names in there.items() for m in names if m not in here.get(app, []))
    only_here = sorted(f"{app}.{m}" for app, names in here.items() for m in names if m not in there.get(app, []))
    details = []
    if only_there:
        details.append(f"bản sao lưu có {len(only_there)} migration mà cơ sở dữ liệu này chưa có ({', '.join(only_there[:3])})")
    if only_here:
        details.append(f"cơ sở dữ liệu này có {len(only_here)} migration mà bản sao lưu chưa có ({', '.join(only_here[:3])})")
    version = (manifest.get("versions") or {}).get("thidua") or "không rõ"
    raise _refuse(
        name,
        f"bản sao lưu được tạo ở lược đồ dữ liệu khác (thidua {version}): {'; '.join(details)}. "
        "Hãy khôi phục bằng đúng phiên bản thidua đã tạo bản sao lưu, trên cơ sở dữ liệu đã chạy "
        "`thidua migrate` đến cùng trạng thái.",
    )


def _tables(model_list: list[type[models.Model]]) -> list[str]:
    tables = []
    for model in model_list:
        tables.append(model._meta.db_table)
        tables += [f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many
                   if f.remote_field.through._meta.auto_created]
    return tables


def database_rows(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows in each table a backup holds (only the tables that have some)."""
    counts = {m._meta.label_lower: m._base_manager.using(using).count() for m in backed_up_models()}
    return {label: count for label, count in counts.items() if count}


def _flush(using: str) -> None:
    """Empty every table a backup holds, and the sessions (inside the caller's transaction)."""
    connection = connections[using]
    model_list = backed_up_models()
    tables = _tables(model_list) + [apps.get_model("sessions", "Session")._meta.db_table]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=False, allow_cascade=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # TRUNCATE refuses tables with pending deferred checks
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _load(archive: zipfile.ZipFile, manifest: dict, name: str, using: str) -> dict[str, int]:
    order = [m._meta.label_lower for m in backed_up_models()]  # what others name by natural key first
    labels = [e[len(DATA_DIR):].removesuffix(".json") for e in manifest["entries"] if e.startswith(DATA_DIR)]
    if unknown := sorted(set(labels) - set(order)):
        raise _refuse(name, f"bản sao lưu có bảng «{unknown[0]}» mà phiên bản này không có.")
    deferred = []
    loaded: dict[str, int] = {}
    for label in (label for label in order if label in labels):
        with archive.open(f"{DATA_DIR}{label}.json") as raw:
            stream = io.TextIOWrapper(raw, encoding="utf-8")
            for obj in serializers.deserialize("json", stream, using=using, handle_forward_references=True):
                obj.save(using=using)
                if obj.deferred_fields:
                    deferred.append(obj)
                loaded[label] = loaded.get(label, 0) + 1
    for obj in deferred:
        obj.save_deferred_fields(using=using)
    return loaded


def _stage_files(archive: zipfile.ZipFile, manifest: dict, staging: Path) -> list[str]:
    written = []
    for entry in sorted(e for e in manifest["entries"] if e.startswith(FILES_DIR)):
        relative = entry[len(FILES_DIR):]
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(entry) as source, target.open("wb") as handle:
            shutil.copyfileobj(source, handle, CHUNK)
        written.append(relative)
    return written


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), backed_up_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def backup_restore(*, path: Path | str, force: bool = False, using: str = DEFAULT_DB_ALIAS) -> RestoreReport:
    """Load an archive made by `backup_create` into this database (see the module's docstring)."""
    path = Path(path)
    name = path.name
    archive, manifest = _open_archive(path)
    with archive:
        _verify(archive, manifest, name)
        _check_migrations(manifest, name, using)
        existing = database_rows(using)
        if existing and not force:
            sample = ", ".join(f"{label} ({count})" for label, count in list(existing.items())[:3])
            raise _refuse(
                name,
                f"cơ sở dữ liệu đang có dữ liệu ({sum(existing.values())} dòng, ví dụ {sample}). Khôi phục sẽ "
                "thay thế toàn bộ; nếu chắc chắn, chạy lại với --force.",
            )
        media = Path(settings.MEDIA_ROOT)
        media.mkdir(parents=True, exist_ok=True)
        staging = media / f".restore-{uuid.uuid4().hex}"
        try:
            files = _stage_files(archive, manifest, staging)
            with transaction.atomic(using=using):
                if existing:
                    _flush(using)
                try:
                    loaded = _load(archive, manifest, name, using)
                    connections[using].check_constraints()
                except (DeserializationError, DatabaseError, ValueError, LookupError) as exc:
                    raise _refuse(name, f"dữ liệu trong bản sao lưu không nạp được ({exc}).") from exc
                _reset_sequences(using)
                expected = {label: count for label, count in (manifest.get("rows") or {}).items() if count}
                if loaded != expected:
                    raise _refuse(name, "số dòng nạp được không khớp với mục lục của bản sao lưu.")
                from thidua.audit.services import audit_log  # noqa: PLC0415 (audit imports models)

                audit_log(action="database.restored", summary=f"{name} ({manifest.get('created_at', '')})",
                          data={"file": name, "created_at": manifest.get("created_at"), "rows": sum(loaded.values()),
                                "files": len(files), "replaced": bool(existing)})
            for relative in files:  # the rows are committed: put their files in place
                target = media / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / relative, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return RestoreReport(created_at=manifest.get("created_at", ""), rows=loaded, files=len(files),
                         replaced=bool(existing))
