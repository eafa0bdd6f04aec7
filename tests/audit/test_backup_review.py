"""Restore refuses a sealed but malformed table of contents with a clear message, not a traceback."""

from __future__ import annotations

import hashlib
import zipfile

import pytest

from tests.audit.test_backup import archive, filled, media, refused, rewrite  # noqa: F401 (fixtures)
from thidua.audit import backup


def sealed_with(archive_path, target, extra: dict[str, bytes], *, size_of=len):
    """A copy of the archive with extra entries listed in a correctly re-sealed manifest."""

    def add(manifest):
        for name, data in extra.items():
            manifest["entries"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": size_of(data)}
        manifest["payload_sha256"] = backup._payload_digest(manifest["entries"])

    rewrite(archive_path, target, manifest_change=add)
    with zipfile.ZipFile(target, "a") as copy:
        for name, data in extra.items():
            copy.writestr(name, data)
    return target


def test_a_size_that_is_not_a_number_is_refused(archive, tmp_path):
    path = sealed_with(archive, tmp_path / "size.zip", {"files/note.txt": b"abc"}, size_of=lambda data: str(len(data)))
    refused(path, "mục lục của bản sao lưu")


@pytest.mark.parametrize("name", ["files/", "files/."])
def test_an_entry_naming_the_files_folder_itself_is_refused(archive, tmp_path, name):
    path = sealed_with(archive, tmp_path / "folder.zip", {name: b"x"})
    refused(path, "đường dẫn không hợp lệ", force=True)


def test_a_file_and_a_folder_of_the_same_name_are_refused(archive, tmp_path):
    path = sealed_with(archive, tmp_path / "clash.zip", {"files/a": b"x", "files/a/b": b"y"})
    refused(path, "đường dẫn không hợp lệ", force=True)


def test_the_backup_is_unreadable_to_others_while_it_is_being_written(filled, media, tmp_path, monkeypatch):
    """Password hashes and two-factor keys are in it: not even the half-written file may be readable
    by other accounts on the machine (it was made with the umask's 0644 and closed to 0600 at the end)."""
    import os
    import stat

    modes = []
    real_entry = backup._entry

    def spy(name):
        modes.extend(stat.S_IMODE(p.stat().st_mode) for p in tmp_path.glob(".b.zip.*.tmp"))
        return real_entry(name)

    monkeypatch.setattr(backup, "_entry", spy)
    old = os.umask(0o022)
    try:
        backup.backup_create(path=tmp_path / "b.zip")
    finally:
        os.umask(old)
    assert modes and all(mode & 0o077 == 0 for mode in modes)
    assert stat.S_IMODE((tmp_path / "b.zip").stat().st_mode) == 0o600
