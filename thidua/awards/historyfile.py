"""Read the award history file, format `thidua-history/1` (issue #7).

`history_read` turns the YAML text into a `History` (thidua.awards.records), refusing anything the
format does not allow; every problem is collected, not only the first, each with the file, the
1-based line, the field and a Vietnamese message, and the caller changes nothing when there is one
(`HistoryFileError.errors`). Pure Python, no Django: `thidua eligibility` reads a file without
touching the database, `thidua history import` hands the result to thidua.awards.services.

The format::

    format: thidua-history/1
    people:
      - id: NV001                     # required, unique in the file (people and collectives)
        name: Nguyễn Văn An           # required
        unit: P-A                     # required: unit code (a unit that no longer exists is fine)
        hired: 2015-03-01             # date of recruitment (YYYY-MM-DD or dd/mm/yyyy)
        ratings: {2023: HTT, 2024: HTXS}          # HTXS | HTT | HT | KHT
        titles: [{year: 2024, code: CSTDCS}]      # emulation titles (danh hiệu)
        awards: [{year: 2023, code: BK_TINH, decision: 123/QĐ-UBND}]   # forms of commendation
        initiatives: [{id: SK-01, year: 2024, scope: co_so, used_by: null}]
        discipline: [{year: 2022, level: khien_trach}]
    collectives:
      - id: TT01
        name: Phòng Kế toán
        unit: P-A
        ratings: {2024: HTXS}
        titles: [{year: 2024, code: TTLDXS}]

Keys added to the issue's list, all optional (an unknown key is still an error):

* people: `birth_year`, `position` (chức vụ), `direct_worker` (true/false: người lao động trực
  tiếp), `collective` (id of the collective of this file the person works in, when it is a part
  of a unit: a collective without `part_of` already counts every person of its unit);
* collectives: `part_of` (the part of the unit, e.g. "Phòng Kế toán"; empty: the whole unit) and
  `leading_unit: [YEAR, …]`, the years the cluster/block conference acclaimed it leading unit
  (suy tôn đơn vị dẫn đầu), which Cờ thi đua cấp tỉnh and Cờ thi đua của Chính phủ need;
* titles and awards: `decision` (also on titles), `decision_date`, `authority` (cấp quyết định),
  `basis` (căn cứ pháp lý; default: the legal basis in force, thidua.awards.rules);
* initiatives: `recognised_by` (cơ quan công nhận).

Values: ratings HTXS, HTT, HT, KHT; scopes co_so, tinh, toan_quoc; discipline levels khien_trach,
canh_cao, ha_bac_luong, giang_chuc, cach_chuc, buoc_thoi_viec; codes those of
thidua.awards.codes (a title in `titles`, a form of commendation in `awards`, each for the
subjects it applies to); `used_by` any code a person can receive, or null when unused. Collectives
take no `hired` and no `initiatives`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import yaml

from thidua.awards import codes
from thidua.awards.records import (
    CollectiveHistory,
    DisciplineRecord,
    Grant,
    History,
    InitiativeRecord,
    PersonHistory,
)
from thidua.covenants.fileformat import DecimalLoader, FileError

FORMAT = "thidua-history/1"
TOP_KEYS = ("format", "people", "collectives")
PERSON_KEYS = (
    "id", "name", "unit", "hired", "birth_year", "position", "direct_worker", "collective",
    "ratings", "titles", "awards", "initiatives", "discipline",
)  # fmt: skip
COLLECTIVE_KEYS = (
    "id", "name", "unit", "part_of", "ratings", "titles", "awards", "discipline", "leading_unit",
)  # fmt: skip
GRANT_KEYS = ("year", "code", "decision", "decision_date", "authority", "basis")
INITIATIVE_KEYS = ("id", "year", "scope", "used_by", "recognised_by")
DISCIPLINE_KEYS = ("year", "level")

_NULL_TAG = "tag:yaml.org,2002:null"
_YEAR = re.compile(r"[0-9]{4}")
_VN_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_SUBJECT_WORDS = {codes.PERSON: "cá nhân", codes.COLLECTIVE: "tập thể"}
_LIST_WORDS = {"people": "người", "collectives": "tập thể"}


class HistoryLoader(DecimalLoader):
    """SafeLoader with exact numbers (ints stay ints); dates as YAML reads them."""


class HistoryFileError(ValueError):
    """The file is not a valid `thidua-history/1` document; `errors` lists every problem found."""

    def __init__(self, errors: list[FileError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


# --- The node tree with its lines -----------------------------------------------------------------


@dataclass
class _Context:
    file: str
    loader: HistoryLoader
    errors: list[FileError] = field(default_factory=list)

    def error(self, *, line: int | None, field: str, message: str) -> None:
        self.errors.append(FileError(self.file, line, field, message))


@dataclass
class _Map:
    line: int
    prefix: str
    nodes: dict[str, yaml.Node] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)

    def get(self, key: str) -> yaml.Node | None:
        node = self.nodes.get(key)
        return None if node is None or _is_null(node) else node

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)

    def name(self, key: str) -> str:
        return self.prefix + key


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def _key_text(node: yaml.Node) -> str:
    return node.value if isinstance(node, yaml.ScalarNode) else "?"


def _as_map(
    node: yaml.Node, *, ctx: _Context, field: str, prefix: str, allowed: Sequence[str], unknown: str = ""
) -> _Map | None:
    if not isinstance(node, yaml.MappingNode):
        ctx.error(line=_line(node), field=field, message="phải là một bảng các trường (khóa: giá trị)")
        return None
    unknown = unknown or f"trường không hợp lệ; các trường được phép: {', '.join(allowed)}"
    mapping = _Map(line=_line(node), prefix=prefix)
    for key_node, value_node in node.value:
        key, key_line = _key_text(key_node), _line(key_node)
        if key not in allowed:
            ctx.error(line=key_line, field=prefix + key, message=unknown)
        elif key in mapping.nodes:
            ctx.error(line=key_line, field=prefix + key, message=f"trường bị lặp (đã có ở dòng {mapping.lines[key]})")
        else:
            mapping.nodes[key], mapping.lines[key] = value_node, key_line
    return mapping


def _bad(mapping: _Map, key: str, *, ctx: _Context, message: str) -> None:
    ctx.error(line=mapping.line_of(key), field=mapping.name(key), message=message)


def _require(mapping: _Map, keys: Sequence[str], *, ctx: _Context) -> None:
    for key in keys:
        if key not in mapping.nodes:
            ctx.error(line=mapping.line, field=mapping.name(key), message="thiếu trường bắt buộc")
        elif mapping.get(key) is None:
            _bad(mapping, key, ctx=ctx, message="không được để trống")


def _text(mapping: _Map, key: str, *, ctx: _Context) -> str:
    """The scalar's text as written (`id: 001` is "001"); "" when absent or null."""
    node = mapping.get(key)
    if node is None:
        return ""
    if not isinstance(node, yaml.ScalarNode):
        _bad(mapping, key, ctx=ctx, message="phải là văn bản")
        return ""
    return node.value.strip()


def _required_text(mapping: _Map, key: str, *, ctx: _Context) -> str:
    node = mapping.get(key)
    value = _text(mapping, key, ctx=ctx)
    if node is not None and isinstance(node, yaml.ScalarNode) and not value:
        _bad(mapping, key, ctx=ctx, message="không được để trống")
    return value


def _scalar(mapping: _Map, key: str, *, ctx: _Context) -> tuple[object, str] | None:
    node = mapping.get(key)
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode):
        _bad(mapping, key, ctx=ctx, message="phải là một giá trị đơn")
        return None
    try:
        return ctx.loader.construct_object(node), node.value
    except yaml.YAMLError as exc:
        _bad(mapping, key, ctx=ctx, message=f"không đọc được giá trị này ({getattr(exc, 'problem', None) or exc})")
        return None


def _year_value(text: str) -> int | None:
    return int(text) if _YEAR.fullmatch(text) else None


def _year(mapping: _Map, key: str, *, ctx: _Context) -> int:
    node = mapping.get(key)
    if node is None:
        return 0
    year = _year_value(node.value) if isinstance(node, yaml.ScalarNode) else None
    if year is None:
        _bad(mapping, key, ctx=ctx, message=f'năm phải là một số nguyên có 4 chữ số, không phải "{_key_text(node)}"')
        return 0
    return year


def _date(mapping: _Map, key: str, *, ctx: _Context) -> dt.date | None:
    found = _scalar(mapping, key, ctx=ctx)
    if found is None:
        return None
    value, text = found
    if type(value) is dt.date:
        return value
    match = _VN_DATE.fullmatch(text.strip())
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    _bad(mapping, key, ctx=ctx, message=f'ngày không hợp lệ: "{text}"; viết dạng YYYY-MM-DD (2015-03-01) hoặc dd/mm/yyyy')
    return None


def _bool(mapping: _Map, key: str, *, ctx: _Context) -> bool:
    found = _scalar(mapping, key, ctx=ctx)
    if found is None:
        return False
    value, text = found
    if not isinstance(value, bool):
        _bad(mapping, key, ctx=ctx, message=f'phải là true hoặc false, không phải "{text}"')
        return False
    return value


def _choice(mapping: _Map, key: str, *, ctx: _Context, choices: Sequence[str], what: str) -> str:
    value = _text(mapping, key, ctx=ctx)
    if value and value not in choices:
        _bad(mapping, key, ctx=ctx, message=f'{what} không hợp lệ ("{value}"); chọn một trong: {", ".join(choices)}')
    return value


def _items(mapping: _Map, key: str, *, ctx: _Context) -> list[yaml.Node]:
    node = mapping.get(key)
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        _bad(mapping, key, ctx=ctx, message="phải là một danh sách")
        return []
    return list(node.value)


def _rows(mapping: _Map, key: str, *, ctx: _Context, allowed: Sequence[str]) -> list[_Map]:
    rows = []
    for item in _items(mapping, key, ctx=ctx):
        row = _as_map(item, ctx=ctx, field=mapping.name(key), prefix=mapping.name(key) + ".", allowed=allowed)
        if row is not None:
            rows.append(row)
    return rows


# --- Reading --------------------------------------------------------------------------------------


def history_read(*, text: str, filename: str) -> History:
    """Parse and validate a `thidua-history/1` document; HistoryFileError lists every error."""
    try:
        loader = HistoryLoader(text)
        ctx = _Context(file=filename, loader=loader)
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise HistoryFileError([_syntax_error(exc, text=text, filename=filename)]) from None
    try:
        history = _read_document(node, ctx=ctx)
    finally:
        loader.dispose()
    if ctx.errors:
        raise HistoryFileError(sorted(ctx.errors, key=lambda error: error.line or 0))
    assert history is not None
    return history


def _syntax_error(exc: yaml.YAMLError, *, text: str, filename: str) -> FileError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line: int | None = mark.line + 1
    elif isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
    else:
        line = None
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
    return FileError(filename, line, "", f"tệp không phải YAML hợp lệ: {problem}")


def _read_document(node: yaml.Node | None, *, ctx: _Context) -> History | None:
    if node is None:
        ctx.error(line=None, field="", message=f"tệp rỗng; cần một hồ sơ quá trình dạng {FORMAT}")
        return None
    root = _as_map(node, ctx=ctx, field="", prefix="", allowed=TOP_KEYS)
    if root is None:
        return None
    if "format" not in root.nodes:
        ctx.error(line=root.line, field="format", message=f"thiếu trường format: {FORMAT}")
        return None
    value = _text(root, "format", ctx=ctx)
    if value != FORMAT:
        _bad(root, "format", ctx=ctx, message=f'định dạng không được hỗ trợ ("{value}"); cần format: {FORMAT}')
        return None
    seen: dict[str, tuple[str, int]] = {}
    collectives = tuple(
        _read_collective(row, ctx=ctx, seen=seen)
        for row in _rows(root, "collectives", ctx=ctx, allowed=COLLECTIVE_KEYS)
    )
    collective_ids = {c.id for c in collectives}
    people = tuple(
        _read_person(row, ctx=ctx, seen=seen, collectives=collective_ids)
        for row in _rows(root, "people", ctx=ctx, allowed=PERSON_KEYS)
    )
    return History(people=people, collectives=collectives)


def _claim_id(row: _Map, *, ctx: _Context, seen: dict[str, tuple[str, int]], what: str) -> str:
    ident = _required_text(row, "id", ctx=ctx)
    if not ident:
        return ident
    if ident in seen:
        other, line = seen[ident]
        _bad(row, "id", ctx=ctx, message=f'mã "{ident}" bị trùng (đã dùng cho {other} ở dòng {line})')
    else:
        seen[ident] = (what, row.line_of("id"))
    return ident


def _read_person(row: _Map, *, ctx: _Context, seen: dict[str, tuple[str, int]], collectives: set[str]) -> PersonHistory:
    _require(row, ("id", "name", "unit"), ctx=ctx)
    ident = _claim_id(row, ctx=ctx, seen=seen, what="một người")
    collective = _text(row, "collective", ctx=ctx) or None
    if collective is not None and collective not in collectives:
        _bad(row, "collective", ctx=ctx, message=f'tập thể "{collective}" không có trong danh sách collectives của tệp')
    birth_year = _year(row, "birth_year", ctx=ctx) or None
    return PersonHistory(
        id=ident,
        name=_required_text(row, "name", ctx=ctx),
        unit=_required_text(row, "unit", ctx=ctx),
        hired=_date(row, "hired", ctx=ctx),
        birth_year=birth_year,
        position=_text(row, "position", ctx=ctx),
        direct_worker=_bool(row, "direct_worker", ctx=ctx),
        collective=collective,
        ratings=_read_ratings(row, ctx=ctx),
        titles=_read_grants(row, "titles", ctx=ctx, subject=codes.PERSON),
        awards=_read_grants(row, "awards", ctx=ctx, subject=codes.PERSON),
        initiatives=_read_initiatives(row, ctx=ctx),
        discipline=_read_discipline(row, ctx=ctx),
        line=row.line,
        unit_line=row.line_of("unit"),
        given=frozenset(row.nodes),
    )


def _read_collective(row: _Map, *, ctx: _Context, seen: dict[str, tuple[str, int]]) -> CollectiveHistory:
    _require(row, ("id", "name", "unit"), ctx=ctx)
    ident = _claim_id(row, ctx=ctx, seen=seen, what="một tập thể")
    return CollectiveHistory(
        id=ident,
        name=_required_text(row, "name", ctx=ctx),
        unit=_required_text(row, "unit", ctx=ctx),
        part_of=_text(row, "part_of", ctx=ctx),
        ratings=_read_ratings(row, ctx=ctx),
        titles=_read_grants(row, "titles", ctx=ctx, subject=codes.COLLECTIVE),
        awards=_read_grants(row, "awards", ctx=ctx, subject=codes.COLLECTIVE),
        discipline=_read_discipline(row, ctx=ctx),
        leading_unit=_read_leading_unit(row, ctx=ctx),
        line=row.line,
        unit_line=row.line_of("unit"),
        given=frozenset(row.nodes),
    )


def _read_ratings(row: _Map, *, ctx: _Context) -> dict[int, str]:
    node = row.get("ratings")
    if node is None:
        return {}
    name = row.name("ratings")
    if not isinstance(node, yaml.MappingNode):
        _bad(row, "ratings", ctx=ctx, message="phải là một bảng năm: xếp loại, ví dụ {2024: HTT, 2025: HTXS}")
        return {}
    ratings: dict[int, str] = {}
    lines: dict[int, int] = {}
    for key_node, value_node in node.value:
        key, line = _key_text(key_node), _line(key_node)
        year = _year_value(key)
        if year is None:
            ctx.error(line=line, field=f"{name}.{key}", message=f'năm phải là một số nguyên có 4 chữ số, không phải "{key}"')
            continue
        value = value_node.value.strip() if isinstance(value_node, yaml.ScalarNode) and not _is_null(value_node) else ""
        if value not in codes.RATINGS:
            shown = f'"{value}"' if value else "để trống"
            ctx.error(
                line=_line(value_node), field=f"{name}.{year}",
                message=f"xếp loại không hợp lệ ({shown}); chọn một trong: {', '.join(codes.RATINGS)}",
            )  # fmt: skip
            continue
        if year in ratings:
            ctx.error(line=line, field=f"{name}.{year}", message=f"năm {year} bị lặp (đã có ở dòng {lines[year]})")
            continue
        ratings[year], lines[year] = value, line
    return ratings


def _read_grants(row: _Map, key: str, *, ctx: _Context, subject: str) -> tuple[Grant, ...]:
    kind = codes.TITLE if key == "titles" else codes.AWARD
    grants, seen = [], {}
    for item in _rows(row, key, ctx=ctx, allowed=GRANT_KEYS):
        _require(item, ("year", "code"), ctx=ctx)
        code = _text(item, "code", ctx=ctx)
        _check_code(item, "code", code=code, ctx=ctx, kind=kind, subject=subject)
        grant = Grant(
            code=code,
            year=_year(item, "year", ctx=ctx),
            decision=_text(item, "decision", ctx=ctx),
            decision_date=_date(item, "decision_date", ctx=ctx),
            authority=_text(item, "authority", ctx=ctx),
            basis=_text(item, "basis", ctx=ctx),
            line=item.line,
        )
        if grant.code and grant.year:
            pair = (grant.code, grant.year)
            if pair in seen:
                ctx.error(
                    line=item.line, field=row.name(key),
                    message=f"{codes.code_name(code)} năm {grant.year} bị lặp (đã có ở dòng {seen[pair]})",
                )  # fmt: skip
            seen.setdefault(pair, item.line)
        grants.append(grant)
    return tuple(grants)


def _check_code(item: _Map, key: str, *, code: str, ctx: _Context, kind: str | None, subject: str) -> None:
    if not code:
        return
    entry = codes.CODES.get(code)
    if entry is None:
        choices = ", ".join(codes.codes_for(kind=kind, subject=subject)) if kind else ", ".join(
            c for c in codes.CODES if subject in codes.CODES[c].subjects
        )
        _bad(item, key, ctx=ctx, message=f'mã danh hiệu, hình thức khen thưởng không hợp lệ ("{code}"); các mã: {choices}')
    elif subject not in entry.subjects:
        _bad(item, key, ctx=ctx, message=f"{entry.name} ({code}) không xét tặng cho {_SUBJECT_WORDS[subject]}")
    elif kind is not None and entry.kind != kind:
        where = "titles (danh hiệu thi đua)" if entry.kind == codes.TITLE else "awards (hình thức khen thưởng)"
        _bad(item, key, ctx=ctx, message=f"{entry.name} ({code}) ghi trong {where}")


def _read_initiatives(row: _Map, *, ctx: _Context) -> tuple[InitiativeRecord, ...]:
    initiatives, seen = [], {}
    for item in _rows(row, "initiatives", ctx=ctx, allowed=INITIATIVE_KEYS):
        _require(item, ("id", "year", "scope"), ctx=ctx)
        ident = _required_text(item, "id", ctx=ctx)
        if ident in seen:
            _bad(item, "id", ctx=ctx, message=f'sáng kiến "{ident}" bị lặp (đã có ở dòng {seen[ident]})')
        elif ident:
            seen[ident] = item.line_of("id")
        used_by = _text(item, "used_by", ctx=ctx) or None
        if used_by is not None:
            _check_code(item, "used_by", code=used_by, ctx=ctx, kind=None, subject=codes.PERSON)
        initiatives.append(
            InitiativeRecord(
                id=ident,
                year=_year(item, "year", ctx=ctx),
                scope=_choice(item, "scope", ctx=ctx, choices=codes.SCOPES, what="phạm vi ảnh hưởng"),
                used_by=used_by,
                recognised_by=_text(item, "recognised_by", ctx=ctx),
                line=item.line,
            )
        )
    return tuple(initiatives)


def _read_discipline(row: _Map, *, ctx: _Context) -> tuple[DisciplineRecord, ...]:
    records = []
    for item in _rows(row, "discipline", ctx=ctx, allowed=DISCIPLINE_KEYS):
        _require(item, ("year", "level"), ctx=ctx)
        records.append(
            DisciplineRecord(
                year=_year(item, "year", ctx=ctx),
                level=_choice(item, "level", ctx=ctx, choices=codes.DISCIPLINE_LEVELS, what="hình thức kỷ luật"),
                line=item.line,
            )
        )
    return tuple(records)


def _read_leading_unit(row: _Map, *, ctx: _Context) -> tuple[int, ...]:
    years: list[int] = []
    for node in _items(row, "leading_unit", ctx=ctx):
        year = _year_value(node.value) if isinstance(node, yaml.ScalarNode) else None
        if year is None:
            ctx.error(
                line=_line(node), field=row.name("leading_unit"),
                message=f'năm phải là một số nguyên có 4 chữ số, không phải "{_key_text(node)}"',
            )  # fmt: skip
        elif year in years:
            ctx.error(line=_line(node), field=row.name("leading_unit"), message=f"năm {year} bị lặp")
        else:
            years.append(year)
    return tuple(years)
