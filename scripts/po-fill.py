#!/usr/bin/env python3
"""Fill empty msgstr entries of a .po file from a YAML dictionary (Vietnamese msgid → translation).

    scripts/po-fill.py thidua/locale/en/LC_MESSAGES/django.po thidua/locale/en.yaml

The UI is written in Vietnamese (the source language); English is the translation. Untranslated
strings stay in Vietnamese, never empty. Prints the msgids still missing a translation.
"""

import sys
from pathlib import Path

import yaml


def unquote(line: str) -> str:
    return line[line.index('"') + 1 : line.rindex('"')].encode().decode("unicode_escape").encode("latin-1").decode()


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(po_path: str, dict_path: str) -> int:
    words = yaml.safe_load(Path(dict_path).read_text(encoding="utf-8")) or {}
    lines = Path(po_path).read_text(encoding="utf-8").splitlines()
    out, missing, i = [], [], 0
    fuzzy = False
    while i < len(lines):
        line = lines[i]
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True  # a guess by msgmerge: never trust it, translate again below
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
            fuzzy_at, fuzzy_line, fuzzy_len = len(out), line, 1 if flags else 0
            if flags:
                out.append("#, " + ", ".join(flags))
            i += 1
            continue
        if line.startswith("msgid "):
            block = [line]
            i += 1
            while i < len(lines) and lines[i].startswith('"'):
                block.append(lines[i])
                i += 1
            msgid = "".join(unquote(part) for part in block)
            if fuzzy and i < len(lines) and lines[i].startswith("msgid_plural "):
                # Plural entries are filled by hand (en.yaml says which): keep msgmerge's guess
                # marked fuzzy, so it is never used, and say the entry still needs a translation.
                out[fuzzy_at : fuzzy_at + fuzzy_len] = [fuzzy_line]
                missing.append(msgid + " (số nhiều / plural)")
                fuzzy = False
            out.extend(block)
            if i < len(lines) and lines[i].startswith("msgstr "):
                strblock = [lines[i]]
                i += 1
                while i < len(lines) and lines[i].startswith('"'):
                    strblock.append(lines[i])
                    i += 1
                current = "" if fuzzy else "".join(unquote(part) for part in strblock)
                if fuzzy and msgid and msgid not in words:
                    strblock = ['msgstr ""']
                if msgid and msgid in words:
                    out.append("msgstr " + quote(words[msgid]))
                else:
                    if msgid and not current:
                        missing.append(msgid)
                    out.extend(strblock)
            fuzzy = False
            continue
        out.append(line)
        i += 1
    text = "\n".join(out) + "\n"
    Path(po_path).write_text(text, encoding="utf-8")
    for msgid in missing:
        print("chưa dịch:", msgid)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
