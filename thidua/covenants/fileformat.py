"""Read and write the covenant file, format `thidua-covenant/1` (docs: COVENANT_FORMAT.md).

`read_covenant` turns the YAML text into frozen dataclasses, refusing anything the format does not
allow; every problem is collected (not only the first) with the file, the 1-based line, the field
and a Vietnamese message. `write_covenant` writes a document back in the same shape, so that
`read_covenant(write_covenant(doc)) == doc`.

Numbers are `Decimal`s exactly as written (`178.5` → Decimal("178.5")), never binary floats; codes
and texts are the scalar's text as written (`code: 1.1` → "1.1"). An error's `field` is the key
(`target`), prefixed inside `group`, `roles` and `params` (`group.kind`, `params.step`); a whole
row that repeats another is reported on the row with the list's name (`results`). Pure Python: no
Django here, the importer maps these documents to the models.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml

from thidua.lib.numbers import format_number
from thidua.scoring import methods

FORMAT = "thidua-covenant/1"
GROUP_KINDS = ("cluster", "block")
MEMBER_KINDS = (
    "province", "district", "commune", "ward", "special_zone",
    "department", "agency", "enterprise", "organisation",
)  # fmt: skip
DEFAULT_SCALE = Decimal(1000)
_GROUP_KIND_TEXT = "loại cụm/khối (cluster: cụm, block: khối)"

TOP_KEYS = (
    "format", "group", "year", "scale", "members", "roles", "contents", "results", "adjustments",
)  # fmt: skip
GROUP_KEYS = ("code", "name", "kind", "organiser")
MEMBER_KEYS = ("code", "name", "kind")
ROLES_KEYS = ("leader", "deputies")
CONTENT_KEYS = ("code", "title", "max_points", "criteria")
CRITERION_KEYS = (
    "code", "title", "max_points", "measure", "direction", "aggregate", "method", "params",
)  # fmt: skip
RESULT_KEYS = ("unit", "criterion", "target", "actual", "baseline", "points", "note")
ADJUSTMENT_KEYS = ("unit", "points", "reason")


# --- The document -----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GroupDoc:
    code: str
    name: str
    kind: str  # cluster | block
    organiser: str = ""


@dataclass(frozen=True, kw_only=True)
class MemberDoc:
    code: str
    name: str
    kind: str  # one of MEMBER_KINDS


@dataclass(frozen=True, kw_only=True)
class RolesDoc:
    leader: str | None = None
    deputies: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CriterionDoc:
    code: str
    title: str
    max_points: Decimal
    measure: str = ""
    direction: str = methods.HIGHER
    aggregate: str = "none"
    method: str
    params: dict[str, Decimal | str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ContentDoc:
    code: str
    title: str
    max_points: Decimal
    criteria: tuple[CriterionDoc, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ResultDoc:
    unit: str
    criterion: str
    target: Decimal | None = None
    actual: Decimal | None = None
    baseline: Decimal | None = None
    points: Decimal | None = None
    note: str | None = None
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class AdjustmentDoc:
    unit: str
    points: Decimal
    reason: str
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class CovenantDoc:
    format: str = FORMAT
    group: GroupDoc
    year: int
    scale: Decimal = DEFAULT_SCALE
    members: tuple[MemberDoc, ...]
    roles: RolesDoc = RolesDoc()
    contents: tuple[ContentDoc, ...]
    results: tuple[ResultDoc, ...] = ()
    adjustments: tuple[AdjustmentDoc, ...] = ()
    warnings: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class FileError:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"dòng {self.line}")
        if self.field:
            parts.append(f'trường "{self.field}"')
        return f"{', '.join(parts)}: {self.message}"


class CovenantFileError(ValueError):
    """The file is not a valid `thidua-covenant/1` document; `errors` lists every problem found."""

    def __init__(self, errors: list[FileError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = errors


# --- YAML with exact numbers ------------------------------------------------------------------

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_NULL_TAG = "tag:yaml.org,2002:null"
_DECIMAL_DIGITS = re.compile(r"[-+]?[0-9]+")


class DecimalLoader(yaml.SafeLoader):
    """SafeLoader whose numbers come from the scalar text: ints stay int, floats become Decimal."""


class _NumberError(yaml.constructor.ConstructorError):
    """A number the covenant does not accept; the message is for the user, in Vietnamese."""


def _number_problem(node: yaml.ScalarNode, message: str) -> _NumberError:
    return _NumberError(None, None, message, node.start_mark)


def _construct_int(loader: DecimalLoader, node: yaml.ScalarNode) -> int:
    text = node.value.replace("_", "")
    if not _DECIMAL_DIGITS.fullmatch(text):
        raise _number_problem(node, f'số phải viết ở dạng thập phân, không phải "{node.value}"')
    return int(text, 10)


def _construct_float(loader: DecimalLoader, node: yaml.ScalarNode) -> Decimal:
    if node.value.lstrip("+-").lower() in (".inf", ".nan"):
        raise _number_problem(node, f"không chấp nhận giá trị vô hạn hoặc NaN ({node.value})")
    try:
        return Decimal(node.value.replace("_", ""))
    except InvalidOperation:
        raise _number_problem(node, f'số không hợp lệ: "{node.value}"') from None


DecimalLoader.add_constructor(_INT_TAG, _construct_int)
DecimalLoader.add_constructor(_FLOAT_TAG, _construct_float)


# --- Reading: the node tree with its lines ----------------------------------------------------


@dataclass
class _Context:
    file: str
    loader: DecimalLoader
    errors: list[FileError] = field(default_factory=list)

    def error(self, *, line: int | None, field: str, message: str) -> None:
        self.errors.append(FileError(self.file, line, field, message))


@dataclass
class _Map:
    """One YAML mapping: its line, the prefix of its field names, value nodes and key lines."""

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


def _as_map(
    node: yaml.Node,
    *,
    ctx: _Context,
    line: int,
    field: str,
    prefix: str,
    allowed: Sequence[str],
    unknown: str = "",
) -> _Map | None:
    if not isinstance(node, yaml.MappingNode):
        ctx.error(line=line, field=field, message="phải là một bảng các trường (khóa: giá trị)")
        return None
    unknown = unknown or f"trường không hợp lệ; các trường được phép: {', '.join(allowed)}"
    mapping = _Map(line=line, prefix=prefix)
    for key_node, value_node in node.value:
        key, key_line = _key_text(key_node), _line(key_node)
        if key not in allowed:
            ctx.error(line=key_line, field=prefix + key, message=unknown)
        elif key in mapping.nodes:
            message = f"trường bị lặp (đã có ở dòng {mapping.lines[key]})"
            ctx.error(line=key_line, field=prefix + key, message=message)
        else:
            mapping.nodes[key], mapping.lines[key] = value_node, key_line
    return mapping


def _bad(mapping: _Map, key: str, *, ctx: _Context, message: str) -> None:
    """Report a problem with the value of `key` at the line of that key."""
    ctx.error(line=mapping.line_of(key), field=mapping.name(key), message=message)


def _key_text(node: yaml.Node) -> str:
    return node.value if isinstance(node, yaml.ScalarNode) else "?"


def _require(mapping: _Map, keys: Iterable[str], *, ctx: _Context) -> None:
    for key in keys:
        if key not in mapping.nodes:
            ctx.error(line=mapping.line, field=mapping.name(key), message="thiếu trường bắt buộc")
        elif mapping.get(key) is None:
            _bad(mapping, key, ctx=ctx, message="không được để trống")


def _text(
    mapping: _Map, key: str, *, ctx: _Context, required: bool = False, default: str | None = ""
) -> str | None:
    """A text as written in the file; a plain `1.1` or `yes` is the text "1.1" or "yes"."""
    node = mapping.get(key)
    if node is None:
        return default
    if not isinstance(node, yaml.ScalarNode):
        _bad(mapping, key, ctx=ctx, message="phải là văn bản")
        return default
    if required and not node.value.strip():
        _bad(mapping, key, ctx=ctx, message="không được để trống")
        return default
    return node.value


def _code(mapping: _Map, key: str, *, ctx: _Context) -> str:
    return _text(mapping, key, ctx=ctx, required=True) or ""


def _choice(
    mapping: _Map, key: str, *, ctx: _Context, choices: Sequence[str], what: str, default: str = ""
) -> str:
    value = _text(mapping, key, ctx=ctx, default=None)
    if value is None:
        return default
    if value not in choices:
        message = f'{what} không hợp lệ ("{value}"); chọn một trong: {", ".join(choices)}'
        _bad(mapping, key, ctx=ctx, message=message)
    return value


def _scalar_value(mapping: _Map, key: str, *, ctx: _Context) -> tuple[object, str] | None:
    """The constructed value of a scalar and its text; None (error reported) when not possible."""
    node = mapping.get(key)
    if node is None:
        return None
    if not isinstance(node, yaml.ScalarNode):
        _bad(mapping, key, ctx=ctx, message="phải là một giá trị đơn")
        return None
    try:
        return ctx.loader.construct_object(node), node.value
    except _NumberError as exc:
        message = str(exc.problem)
    except yaml.YAMLError as exc:
        message = f"không đọc được giá trị này ({getattr(exc, 'problem', None) or exc})"
    _bad(mapping, key, ctx=ctx, message=message)
    return None


# What the database keeps exactly on both engines: SQLite stores decimals as REAL (15 significant
# digits), PostgreSQL as numeric with fixed decimals. A finer figure would be rounded silently on
# import and scored differently from the file, so the file is refused instead.
FIGURE_PLACES = 6  # target, actual, baseline
POINTS_PLACES = 4  # max_points, manual points
ADJUSTMENT_PLACES = 2  # bonus/penalty points are given in hundredths
MAX_SIGNIFICANT_DIGITS = 15


def precision_problem(value: Decimal, places: int) -> str | None:
    sign, digits, exponent = value.normalize().as_tuple()
    if isinstance(exponent, int) and -exponent > places:
        return f"có quá {places} chữ số thập phân ({value}); hệ thống không lưu chính xác được"
    significant = len(digits) + max(exponent, 0) if isinstance(exponent, int) else len(digits)
    if significant > MAX_SIGNIFICANT_DIGITS:
        return f"có quá {MAX_SIGNIFICANT_DIGITS} chữ số ({value}); hệ thống không lưu chính xác được"
    return None


def _number(mapping: _Map, key: str, *, ctx: _Context, places: int | None = None) -> Decimal | None:
    """A number as written; with `places`, refused when finer than the database keeps."""
    found = _scalar_value(mapping, key, ctx=ctx)
    if found is None:
        return None
    value, text = found
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        message = f'phải là một số, không phải "{text}" (dấu chấm thập phân, ví dụ 178.5)'
        _bad(mapping, key, ctx=ctx, message=message)
        return None
    number = Decimal(value)
    if places is not None and (problem := precision_problem(number, places)):
        _bad(mapping, key, ctx=ctx, message=problem)
        return None
    return number


def _year(mapping: _Map, *, ctx: _Context) -> int:
    found = _scalar_value(mapping, "year", ctx=ctx)
    if found is None:
        return 0
    value, text = found
    if isinstance(value, bool) or not isinstance(value, int) or not 1000 <= value <= 9999:
        message = f'năm phải là một số nguyên có 4 chữ số, không phải "{text}"'
        _bad(mapping, "year", ctx=ctx, message=message)
        return 0
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
    """The mappings of a list such as `members`; each row's line is the line of its first key."""
    rows = []
    for item in _items(mapping, key, ctx=ctx):
        row = _as_map(item, ctx=ctx, line=_line(item), field=key, prefix="", allowed=allowed)
        if row is not None:
            rows.append(row)
    return rows


def _claim(code: str, *, seen: dict[str, int], line: int, ctx: _Context, what: str) -> None:
    """Remember a code, reporting it when it was already declared."""
    if not code:
        return
    if code in seen:
        message = f'{what} "{code}" bị trùng (đã khai báo ở dòng {seen[code]})'
        ctx.error(line=line, field="code", message=message)
    else:
        seen[code] = line


# --- Reading: the sections --------------------------------------------------------------------


def read_covenant(text: str, *, filename: str) -> CovenantDoc:
    """Parse and validate a `thidua-covenant/1` document; CovenantFileError lists every error."""
    try:
        loader = DecimalLoader(text)
        ctx = _Context(file=filename, loader=loader)
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise CovenantFileError([_syntax_error(exc, text=text, filename=filename)]) from None
    try:
        doc = _read_document(node, ctx=ctx)
    finally:
        loader.dispose()
    if ctx.errors:
        raise CovenantFileError(sorted(ctx.errors, key=lambda error: error.line or 0))
    assert doc is not None
    return doc


def _syntax_error(exc: yaml.YAMLError, *, text: str, filename: str) -> FileError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line: int | None = mark.line + 1
    elif isinstance(exc, yaml.reader.ReaderError):  # a control character, found before parsing
        line = text.count("\n", 0, exc.position) + 1
    else:
        line = None
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
    return FileError(filename, line, "", f"tệp không phải YAML hợp lệ: {problem}")


def _read_document(node: yaml.Node | None, *, ctx: _Context) -> CovenantDoc | None:
    if node is None:
        ctx.error(line=None, field="", message=f"tệp rỗng; cần một giao ước dạng {FORMAT}")
        return None
    root = _as_map(node, ctx=ctx, line=_line(node), field="", prefix="", allowed=TOP_KEYS)
    if root is None or not _check_format(root, ctx=ctx):
        return None
    _require(root, ("format", "group", "year", "members", "contents"), ctx=ctx)
    group = _read_group(root, ctx=ctx)
    members = _read_members(root, ctx=ctx)
    member_codes = {member.code for member in members}
    roles = _read_roles(root, ctx=ctx, members=member_codes, group_kind=group.kind)
    broken: set[str] = set()
    contents = _read_contents(root, ctx=ctx, broken=broken)
    criteria: dict[str, CriterionDoc] = {}
    for content in contents:
        for criterion in content.criteria:
            criteria.setdefault(criterion.code, criterion)  # the first of duplicates counts
    year = _year(root, ctx=ctx)
    scale = _scale(root, ctx=ctx)
    return CovenantDoc(
        format=FORMAT,
        group=group,
        year=year,
        scale=scale,
        members=members,
        roles=roles,
        contents=contents,
        results=_read_results(
            root, ctx=ctx, members=member_codes, criteria=criteria, broken=broken
        ),
        adjustments=_read_adjustments(root, ctx=ctx, members=member_codes),
        warnings=_warnings(contents, scale=scale),
    )


def _scale(root: _Map, *, ctx: _Context) -> Decimal:
    scale = _number(root, "scale", ctx=ctx)
    if scale is None:
        return DEFAULT_SCALE
    if scale <= 0:
        message = f"điểm chuẩn phải lớn hơn 0 ({_plain(scale)})"
        _bad(root, "scale", ctx=ctx, message=message)
    return scale


def _check_format(root: _Map, *, ctx: _Context) -> bool:
    if "format" not in root.nodes:
        ctx.error(line=root.line, field="format", message=f"thiếu trường format: {FORMAT}")
        return False
    value = _text(root, "format", ctx=ctx, default=None)
    if value != FORMAT:
        message = f'định dạng không được hỗ trợ ("{value or ""}"); cần format: {FORMAT}'
        _bad(root, "format", ctx=ctx, message=message)
        return False
    return True


def _section(root: _Map, key: str, *, ctx: _Context, allowed: Sequence[str]) -> _Map | None:
    """A named mapping such as `group:`; its fields are called `group.code`, `group.name`…"""
    node = root.get(key)
    if node is None:
        return None
    line = root.line_of(key)
    return _as_map(node, ctx=ctx, line=line, field=key, prefix=f"{key}.", allowed=allowed)


def _read_group(root: _Map, *, ctx: _Context) -> GroupDoc:
    group = _section(root, "group", ctx=ctx, allowed=GROUP_KEYS)
    if group is None:
        return GroupDoc(code="", name="", kind="")
    _require(group, ("code", "name", "kind"), ctx=ctx)
    return GroupDoc(
        code=_code(group, "code", ctx=ctx),
        name=_text(group, "name", ctx=ctx, required=True) or "",
        kind=_choice(group, "kind", ctx=ctx, choices=GROUP_KINDS, what=_GROUP_KIND_TEXT),
        organiser=_text(group, "organiser", ctx=ctx) or "",
    )


def _read_members(root: _Map, *, ctx: _Context) -> tuple[MemberDoc, ...]:
    members, seen = [], {}
    for row in _rows(root, "members", ctx=ctx, allowed=MEMBER_KEYS):
        _require(row, MEMBER_KEYS, ctx=ctx)
        member = MemberDoc(
            code=_code(row, "code", ctx=ctx),
            name=_text(row, "name", ctx=ctx, required=True) or "",
            kind=_choice(row, "kind", ctx=ctx, choices=MEMBER_KINDS, what="loại đơn vị"),
        )
        _claim(member.code, seen=seen, line=row.line_of("code"), ctx=ctx, what="mã đơn vị")
        members.append(member)
    return tuple(members)


def _role_titles(group_kind: str) -> tuple[str, str]:
    return ("khối trưởng", "khối phó") if group_kind == "block" else ("cụm trưởng", "cụm phó")


def _read_roles(root: _Map, *, ctx: _Context, members: set[str], group_kind: str) -> RolesDoc:
    roles = _section(root, "roles", ctx=ctx, allowed=ROLES_KEYS)
    if roles is None:
        return RolesDoc()
    leader_title, deputy_title = _role_titles(group_kind)
    leader = _text(roles, "leader", ctx=ctx, required=True, default=None) or None
    if leader is not None and leader not in members:
        message = f'{leader_title} "{leader}" không phải là đơn vị thành viên'
        _bad(roles, "leader", ctx=ctx, message=message)
    deputies: list[str] = []
    for item in _items(roles, "deputies", ctx=ctx):
        line = _line(item)
        if not isinstance(item, yaml.ScalarNode) or _is_null(item):
            message = "mỗi phần tử phải là một mã đơn vị"
            ctx.error(line=line, field="roles.deputies", message=message)
            continue
        code = item.value
        if code not in members:
            message = f'{deputy_title} "{code}" không phải là đơn vị thành viên'
        elif code == leader:
            message = f'"{code}" vừa là {leader_title} vừa là {deputy_title}'
        elif code in deputies:
            message = f'{deputy_title} "{code}" bị lặp'
        else:
            message = ""
        if message:
            ctx.error(line=line, field="roles.deputies", message=message)
        deputies.append(code)
    return RolesDoc(leader=leader, deputies=tuple(deputies))


def _read_contents(root: _Map, *, ctx: _Context, broken: set[str]) -> tuple[ContentDoc, ...]:
    contents, seen_contents, seen_criteria = [], {}, {}
    for row in _rows(root, "contents", ctx=ctx, allowed=CONTENT_KEYS):
        _require(row, CONTENT_KEYS, ctx=ctx)
        code = _code(row, "code", ctx=ctx)
        _claim(code, seen=seen_contents, line=row.line_of("code"), ctx=ctx, what="mã nội dung")
        criteria = []
        for criterion_row in _rows(row, "criteria", ctx=ctx, allowed=CRITERION_KEYS):
            errors_before = len(ctx.errors)
            criterion = _read_criterion(criterion_row, ctx=ctx)
            if len(ctx.errors) > errors_before:
                broken.add(criterion.code)
            line = criterion_row.line_of("code")
            _claim(criterion.code, seen=seen_criteria, line=line, ctx=ctx, what="mã tiêu chí")
            criteria.append(criterion)
        contents.append(
            ContentDoc(
                code=code,
                title=_text(row, "title", ctx=ctx, required=True) or "",
                max_points=_max_points(row, ctx=ctx),
                criteria=tuple(criteria),
            )
        )
    return tuple(contents)


def _max_points(row: _Map, *, ctx: _Context) -> Decimal:
    value = _number(row, "max_points", ctx=ctx, places=POINTS_PLACES)
    if value is not None and value < 0:
        message = f"điểm tối đa không được âm ({_plain(value)})"
        _bad(row, "max_points", ctx=ctx, message=message)
    return Decimal(0) if value is None else value


def _read_criterion(row: _Map, *, ctx: _Context) -> CriterionDoc:
    _require(row, ("code", "title", "max_points", "method"), ctx=ctx)
    method = _choice(row, "method", ctx=ctx, choices=methods.METHODS, what="phương pháp chấm điểm")
    return CriterionDoc(
        code=_code(row, "code", ctx=ctx),
        title=_text(row, "title", ctx=ctx, required=True) or "",
        max_points=_max_points(row, ctx=ctx),
        measure=_text(row, "measure", ctx=ctx) or "",
        direction=_choice(
            row, "direction", ctx=ctx, choices=methods.DIRECTIONS, what="chiều đánh giá",
            default=methods.HIGHER,
        ),  # fmt: skip
        aggregate=_choice(
            row, "aggregate", ctx=ctx, choices=methods.AGGREGATES, what="cách tổng hợp",
            default="none",
        ),  # fmt: skip
        method=method,
        params=_read_params(row, method=method, ctx=ctx),
    )


def _read_params(row: _Map, *, method: str, ctx: _Context) -> dict[str, Decimal | str]:
    if method not in methods.METHODS:
        return {}  # the unknown method is reported; its parameters cannot be judged
    allowed = sorted(methods.METHOD_PARAMS[method])
    if allowed:
        unknown = (
            f"tham số không dùng cho phương pháp {method}; "
            f"tham số được phép: {', '.join(allowed)}"
        )
    else:
        unknown = f"phương pháp {method} không có tham số"
    node, line = row.get("params"), row.line_of("params")
    if node is None:
        params_map: _Map | None = _Map(line=line, prefix="params.")
    else:
        params_map = _as_map(
            node, ctx=ctx, line=line, field="params", prefix="params.", allowed=allowed,
            unknown=unknown,
        )  # fmt: skip
    if params_map is None:
        return {}
    required = sorted(methods.REQUIRED_PARAMS.get(method, ()))
    for key in required:
        if params_map.get(key) is None:
            message = f"phương pháp {method} cần tham số {key}"
            _bad(params_map, key, ctx=ctx, message=message)
    params: dict[str, Decimal | str] = {}
    for key in params_map.nodes:
        if key == "by":
            value = _choice(
                params_map, "by", ctx=ctx, choices=methods.RANK_BY, what="cách xếp hạng (by)"
            )
        else:
            value = _number(params_map, key, ctx=ctx)
        if value is not None and value != "":
            params[key] = value
    return params


def _read_results(
    root: _Map,
    *,
    ctx: _Context,
    members: set[str],
    criteria: dict[str, CriterionDoc],
    broken: set[str],
) -> tuple[ResultDoc, ...]:
    results, seen = [], {}
    for row in _rows(root, "results", ctx=ctx, allowed=RESULT_KEYS):
        _require(row, ("unit", "criterion"), ctx=ctx)
        result = ResultDoc(
            unit=_member_ref(row, "unit", ctx=ctx, members=members),
            criterion=_code(row, "criterion", ctx=ctx),
            target=_number(row, "target", ctx=ctx, places=FIGURE_PLACES),
            actual=_number(row, "actual", ctx=ctx, places=FIGURE_PLACES),
            baseline=_number(row, "baseline", ctx=ctx, places=FIGURE_PLACES),
            points=_number(row, "points", ctx=ctx, places=POINTS_PLACES),
            note=_text(row, "note", ctx=ctx, default=None),
            line=row.line,
        )
        criterion = criteria.get(result.criterion)
        if result.criterion and criterion is None:
            message = f'tiêu chí "{result.criterion}" không có trong giao ước'
            _bad(row, "criterion", ctx=ctx, message=message)
        # A criterion with errors of its own is not used to judge the results.
        usable = criterion if criterion is not None and criterion.code not in broken else None
        _check_result(result, row=row, criterion=usable, ctx=ctx)
        key = (result.unit, result.criterion)
        if all(key) and key in seen:
            message = (
                f'kết quả của đơn vị "{result.unit}" cho tiêu chí "{result.criterion}" bị trùng '
                f"(đã có ở dòng {seen[key]})"
            )
            ctx.error(line=row.line, field="results", message=message)
        seen.setdefault(key, row.line)
        results.append(result)
    return tuple(results)


def _member_ref(row: _Map, key: str, *, ctx: _Context, members: set[str]) -> str:
    code = _code(row, key, ctx=ctx)
    if code and code not in members:
        message = f'đơn vị "{code}" không phải là thành viên của cụm/khối'
        _bad(row, key, ctx=ctx, message=message)
    return code


def _check_result(
    result: ResultDoc, *, row: _Map, criterion: CriterionDoc | None, ctx: _Context
) -> None:
    target = result.target
    if target is not None and target < 0:
        message = f"chỉ tiêu kế hoạch không được âm ({_plain(target)})"
        _bad(row, "target", ctx=ctx, message=message)
    if criterion is None:
        return
    method = criterion.method
    if target == 0 and methods.uses_pct_of_plan(method, criterion.params):
        message = (
            f"chỉ tiêu kế hoạch bằng 0 không dùng được cho phương pháp {method} "
            "(cần tính % kế hoạch)"
        )
        _bad(row, "target", ctx=ctx, message=message)
    points = result.points
    if points is None:
        return
    if method != methods.MANUAL:
        message = (
            "chỉ tiêu chí chấm thủ công (manual) mới nhận điểm; "
            f"tiêu chí {criterion.code} dùng {method}"
        )
        _bad(row, "points", ctx=ctx, message=message)
    elif not 0 <= points <= criterion.max_points:
        message = (
            f"điểm phải từ 0 đến {_plain(criterion.max_points)} (điểm tối đa của tiêu chí "
            f"{criterion.code}), không phải {_plain(points)}"
        )
        _bad(row, "points", ctx=ctx, message=message)


def _read_adjustments(root: _Map, *, ctx: _Context, members: set[str]) -> tuple[AdjustmentDoc, ...]:
    adjustments = []
    for row in _rows(root, "adjustments", ctx=ctx, allowed=ADJUSTMENT_KEYS):
        _require(row, ADJUSTMENT_KEYS, ctx=ctx)
        points = _number(row, "points", ctx=ctx, places=ADJUSTMENT_PLACES)
        adjustments.append(
            AdjustmentDoc(
                unit=_member_ref(row, "unit", ctx=ctx, members=members),
                points=Decimal(0) if points is None else points,
                reason=_text(row, "reason", ctx=ctx, required=True) or "",
                line=row.line,
            )
        )
    return tuple(adjustments)


def _warnings(contents: Sequence[ContentDoc], *, scale: Decimal) -> tuple[str, ...]:
    warnings = []
    for content in contents:
        total = sum((criterion.max_points for criterion in content.criteria), Decimal(0))
        if total != content.max_points:
            warnings.append(
                f"Tổng điểm các tiêu chí của nội dung {content.code} ({format_number(total)}) "
                f"khác điểm tối đa của nội dung ({format_number(content.max_points)})"
            )
    total = sum((content.max_points for content in contents), Decimal(0))
    if total != scale:
        warnings.append(
            f"Tổng điểm các nội dung ({format_number(total)}) khác điểm chuẩn của giao ước "
            f"({format_number(scale)})"
        )
    return tuple(warnings)


# --- Writing ----------------------------------------------------------------------------------

_RESOLVER = yaml.resolver.Resolver()
_PLAIN_FLOW = re.compile(r"[^\W_][\w .\-/()%+&–]*")
_PLAIN_BLOCK = re.compile(r"[^\W_][\w .,\-/()%+&–]*")
_TO_ESCAPE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def _plain(number: Decimal | int) -> str:
    """Plain digits, never an exponent: Decimal("1E+3") → "1000", Decimal("178.5") → "178.5"."""
    if isinstance(number, bool) or not isinstance(number, int | Decimal):
        raise TypeError(f"not a number: {number!r}")
    if isinstance(number, int):
        return str(number)
    if not number.is_finite():
        raise ValueError(f"not a finite number: {number}")
    return format(abs(number) if number.is_zero() else number, "f")


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _string(text: str, *, flow: bool, quote: bool = False) -> str:
    """`text` plain when YAML reads it back as this very string, otherwise double-quoted."""
    pattern = _PLAIN_FLOW if flow else _PLAIN_BLOCK
    plain = (
        not quote
        and pattern.fullmatch(text) is not None
        and not text.endswith(" ")
        and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _RESOLVER.DEFAULT_SCALAR_TAG
    )
    return text if plain else '"' + _TO_ESCAPE.sub(lambda m: _escape(m.group()), text) + '"'


def _value(value: Decimal | int | str, *, flow: bool) -> str:
    return _string(value, flow=flow) if isinstance(value, str) else _plain(value)


def _flow_map(pairs: Iterable[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"


def _flow_rows(key: str, rows: Sequence[str]) -> list[str]:
    """A top-level list written one flow mapping per line."""
    return [f"{key}:"] + [f"  - {row}" for row in rows] if rows else [f"{key}: []"]


def write_covenant(doc: CovenantDoc) -> str:
    """The document as `thidua-covenant/1` YAML text (UTF-8 text, keys in the order of the spec)."""
    lines = [f"format: {_string(doc.format, flow=False)}"]
    lines += _write_group(doc.group)
    lines += [f"year: {doc.year}", f"scale: {_plain(doc.scale)}"]
    lines += _flow_rows("members", [_write_member(member) for member in doc.members])
    lines += _write_roles(doc.roles)
    if not doc.contents:
        lines.append("contents: []")
    else:
        lines.append("contents:")
        for content in doc.contents:
            lines += _write_content(content)
    if doc.results:
        lines += _flow_rows("results", [_write_result(result) for result in doc.results])
    if doc.adjustments:
        lines += _flow_rows("adjustments", [_write_adjustment(item) for item in doc.adjustments])
    return "\n".join(lines) + "\n"


def _write_group(group: GroupDoc) -> list[str]:
    lines = [
        "group:",
        f"  code: {_string(group.code, flow=False)}",
        f"  name: {_string(group.name, flow=False)}",
        f"  kind: {_string(group.kind, flow=False)}",
    ]
    if group.organiser:
        lines.append(f"  organiser: {_string(group.organiser, flow=False)}")
    return lines


def _write_member(member: MemberDoc) -> str:
    return _flow_map(
        (key, _string(getattr(member, key), flow=True)) for key in ("code", "name", "kind")
    )


def _write_roles(roles: RolesDoc) -> list[str]:
    if roles.leader is None and not roles.deputies:
        return []
    lines = ["roles:"]
    if roles.leader is not None:
        lines.append(f"  leader: {_string(roles.leader, flow=False)}")
    if roles.deputies:
        deputies = ", ".join(_string(code, flow=True) for code in roles.deputies)
        lines.append(f"  deputies: [{deputies}]")
    return lines


def _write_content(content: ContentDoc) -> list[str]:
    lines = [
        f"  - code: {_string(content.code, flow=False, quote=True)}",
        f"    title: {_string(content.title, flow=False)}",
        f"    max_points: {_plain(content.max_points)}",
    ]
    if not content.criteria:
        return lines + ["    criteria: []"]
    lines.append("    criteria:")
    for criterion in content.criteria:
        lines += _write_criterion(criterion)
    return lines


def _write_criterion(criterion: CriterionDoc) -> list[str]:
    lines = [
        f"      - code: {_string(criterion.code, flow=False, quote=True)}",
        f"        title: {_string(criterion.title, flow=False)}",
        f"        max_points: {_plain(criterion.max_points)}",
    ]
    if criterion.measure:
        lines.append(f"        measure: {_string(criterion.measure, flow=False)}")
    lines += [
        f"        direction: {_string(criterion.direction, flow=False)}",
        f"        aggregate: {_string(criterion.aggregate, flow=False)}",
        f"        method: {_string(criterion.method, flow=False)}",
    ]
    if criterion.params:
        params = _flow_map(
            (_string(key, flow=True), _value(value, flow=True))
            for key, value in sorted(criterion.params.items(), key=_param_order)
        )
        lines.append(f"        params: {params}")
    return lines


# The order COVENANT_FORMAT.md writes parameters in. A fixed order makes the export the same
# bytes whichever database stored the criterion (PostgreSQL's jsonb keeps its own key order).
_PARAM_ORDER = (
    "penalty_per_pct", "bonus_per_pct", "bonus_cap", "threshold", "partial", "by", "step",
    "min_points",
)


def _param_order(item: tuple[str, object]) -> tuple[int, str]:
    key = item[0]
    return (_PARAM_ORDER.index(key) if key in _PARAM_ORDER else len(_PARAM_ORDER), key)


def _write_result(result: ResultDoc) -> str:
    pairs = [
        ("unit", _string(result.unit, flow=True)),
        ("criterion", _string(result.criterion, flow=True, quote=True)),
    ]
    for key in ("target", "actual", "baseline", "points"):
        value = getattr(result, key)
        if value is not None:
            pairs.append((key, _plain(value)))
    if result.note is not None:
        pairs.append(("note", _string(result.note, flow=True)))
    return _flow_map(pairs)


def _write_adjustment(adjustment: AdjustmentDoc) -> str:
    return _flow_map(
        [
            ("unit", _string(adjustment.unit, flow=True)),
            ("points", _plain(adjustment.points)),
            ("reason", _string(adjustment.reason, flow=True)),
        ]
    )
