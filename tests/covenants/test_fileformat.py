"""The covenant file `thidua-covenant/1`: reading, validation messages and the round trip."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua.covenants.fileformat import (
    FORMAT,
    GROUP_KINDS,
    MEMBER_KINDS,
    AdjustmentDoc,
    ContentDoc,
    CovenantDoc,
    CovenantFileError,
    CriterionDoc,
    FileError,
    GroupDoc,
    MemberDoc,
    ResultDoc,
    RolesDoc,
    read_covenant,
    write_covenant,
)
from thidua.scoring import methods

FILENAME = "KG-CTD2-2017.yaml"

COVENANT = """\
format: thidua-covenant/1
group:
  code: KG-CTD2
  name: Cụm thi đua số 2
  kind: cluster
  organiser: UBND tỉnh Kiên Giang
year: 2017
scale: 1000
members:
  - {code: KG-TANHIEP, name: Huyện Tân Hiệp, kind: district}
  - {code: KG-GIONGRIENG, name: Huyện Giồng Riềng, kind: district}
  - {code: KG-HONDAT, name: Huyện Hòn Đất, kind: district}
roles:
  leader: KG-TANHIEP
  deputies: [KG-GIONGRIENG]
contents:
  - code: "I"
    title: Thi đua thực hiện nhiệm vụ phát triển kinh tế - xã hội, đảm bảo quốc phòng - an ninh
    max_points: 600
    criteria:
      - code: "I.1"
        title: Thu ngân sách nhà nước trên địa bàn
        max_points: 60
        measure: tỷ đồng
        direction: higher
        aggregate: sum
        method: plan_ratio
        params: {penalty_per_pct: 1, bonus_per_pct: 0.5, bonus_cap: 10}
      - code: "I.2"
        title: Tỷ lệ hộ nghèo
        max_points: 40
        measure: "%"
        direction: lower
        aggregate: mean
        method: threshold
        params: {partial: 20}
      - code: "I.3"
        title: Giải ngân vốn đầu tư công
        max_points: 50
        measure: tỷ đồng
        method: rank
        params: {by: pct_of_plan, step: 5, min_points: 10}
      - code: "I.9"
        title: Số vụ tai nạn giao thông
        max_points: 450
        direction: lower
        method: vs_baseline
  - code: "II"
    title: Công tác xây dựng Đảng, chính quyền
    max_points: 400
    criteria:
      - code: "II.1"
        title: Tự chấm, chấm chéo, thẩm định
        max_points: 50
        method: manual
results:
  - {unit: KG-TANHIEP, criterion: "I.1", target: 150, actual: 178.5}
  - {unit: KG-GIONGRIENG, criterion: "I.1", target: 925.128, actual: 900}
  - {unit: KG-TANHIEP, criterion: "I.2", target: 3.5, actual: 2.75}
  - {unit: KG-TANHIEP, criterion: "I.3", target: 1200, actual: 1250.4}
  - {unit: KG-TANHIEP, criterion: "I.9", actual: 31, baseline: 35, note: Giảm 4 vụ}
  - {unit: KG-TANHIEP, criterion: "II.1", points: 45}
  - {unit: KG-HONDAT, criterion: "II.1", points: 47.5}
adjustments:
  - {unit: KG-HONDAT, points: -5, reason: Nộp báo cáo chậm}
"""


def line_of(text: str, anchor: str, *, last: bool = False) -> int:
    """The 1-based line of the first (or last) line of `text` that contains `anchor`."""
    numbers = [n for n, line in enumerate(text.splitlines(), start=1) if anchor in line]
    assert numbers, f"{anchor!r} is not in the text"
    return numbers[-1] if last else numbers[0]


def replaced(old: str, new: str) -> str:
    assert COVENANT.count(old) >= 1, old
    return COVENANT.replace(old, new, 1)


def errors_of(text: str) -> list[FileError]:
    with pytest.raises(CovenantFileError) as caught:
        read_covenant(text, filename=FILENAME)
    return caught.value.errors


# --- Reading a valid file -----------------------------------------------------------------------


def test_a_complete_document_with_every_method_reads_into_exact_decimals() -> None:
    doc = read_covenant(COVENANT, filename=FILENAME)

    assert doc.format == FORMAT
    assert doc.group == GroupDoc(
        code="KG-CTD2", name="Cụm thi đua số 2", kind="cluster", organiser="UBND tỉnh Kiên Giang"
    )
    assert (doc.year, doc.scale) == (2017, Decimal(1000))
    assert [m.code for m in doc.members] == ["KG-TANHIEP", "KG-GIONGRIENG", "KG-HONDAT"]
    assert doc.members[1] == MemberDoc(code="KG-GIONGRIENG", name="Huyện Giồng Riềng", kind="district")
    assert doc.roles == RolesDoc(leader="KG-TANHIEP", deputies=("KG-GIONGRIENG",))
    criteria = {c.code: c for content in doc.contents for c in content.criteria}
    assert {c.method for c in criteria.values()} == set(methods.METHODS)
    assert criteria["I.1"].params == {
        "penalty_per_pct": Decimal(1), "bonus_per_pct": Decimal("0.5"), "bonus_cap": Decimal(10)
    }  # fmt: skip
    assert criteria["I.2"] == CriterionDoc(
        code="I.2", title="Tỷ lệ hộ nghèo", max_points=Decimal(40), measure="%", direction="lower",
        aggregate="mean", method="threshold", params={"partial": Decimal(20)},
    )  # fmt: skip
    assert criteria["I.3"].params == {"by": "pct_of_plan", "step": Decimal(5), "min_points": Decimal(10)}
    assert criteria["I.9"].direction == "lower" and criteria["I.9"].aggregate == "none"
    assert criteria["II.1"].params == {} and criteria["II.1"].measure == ""
    first, second = doc.results[:2]
    assert first == ResultDoc(
        unit="KG-TANHIEP", criterion="I.1", target=Decimal(150), actual=Decimal("178.5")
    )
    assert str(first.actual) == "178.5" and str(second.target) == "925.128"
    assert all(isinstance(r.target, Decimal | None) for r in doc.results)
    assert doc.results[4].note == "Giảm 4 vụ" and doc.results[4].baseline == Decimal(35)
    assert doc.results[6].points == Decimal("47.5")
    assert doc.adjustments == (
        AdjustmentDoc(unit="KG-HONDAT", points=Decimal(-5), reason="Nộp báo cáo chậm"),
    )


def test_result_and_adjustment_rows_remember_their_line() -> None:
    doc = read_covenant(COVENANT, filename=FILENAME)

    assert doc.results[0].line == line_of(COVENANT, "target: 150")
    assert doc.adjustments[0].line == line_of(COVENANT, "reason: Nộp báo cáo chậm")


def test_sums_that_differ_from_the_maximum_are_warnings_not_errors() -> None:
    doc = read_covenant(COVENANT, filename=FILENAME)

    assert doc.warnings == (
        "Tổng điểm các tiêu chí của nội dung II (50) khác điểm tối đa của nội dung (400)",
    )
    doc = read_covenant(COVENANT.replace("max_points: 400", "max_points: 390.5"), filename=FILENAME)
    assert "Tổng điểm các nội dung (990,5) khác điểm chuẩn của giao ước (1.000)" in doc.warnings


def test_optional_parts_take_their_defaults() -> None:
    text = """\
format: thidua-covenant/1
group: {code: 7, name: Khối các sở, kind: block}
year: 2025
members:
  - {code: 1.10, name: Sở Tài chính, kind: department}
contents:
  - code: 1
    title: Nội dung
    max_points: 1000
    criteria:
      - {code: 1.1, title: Tiêu chí, max_points: 1000, method: threshold}
"""
    doc = read_covenant(text, filename="x.yaml")

    assert doc.group == GroupDoc(code="7", name="Khối các sở", kind="block", organiser="")
    assert doc.scale == Decimal(1000) and doc.roles == RolesDoc(leader=None, deputies=())
    assert doc.members[0].code == "1.10"
    assert doc.contents[0].code == "1"
    criterion = doc.contents[0].criteria[0]
    assert (criterion.code, criterion.measure, criterion.direction, criterion.aggregate) == (
        "1.1", "", "higher", "none"
    )  # fmt: skip
    assert criterion.params == {} and doc.results == () and doc.adjustments == ()


def test_a_zero_target_is_fine_for_a_method_that_does_not_use_pct_of_plan() -> None:
    doc = read_covenant(replaced("target: 3.5", "target: 0"), filename=FILENAME)

    assert doc.results[2].target == Decimal(0)


def test_negative_actual_and_baseline_are_allowed() -> None:
    doc = read_covenant(replaced("actual: 31, baseline: 35", "actual: -3, baseline: -2.5"), filename=FILENAME)

    assert (doc.results[4].actual, doc.results[4].baseline) == (Decimal(-3), Decimal("-2.5"))


# --- Errors -------------------------------------------------------------------------------------

TOP = "format: thidua-covenant/1"
SECOND_CRITERION_I1 = """        method: manual
      - code: "I.1"
        title: Trùng mã
        max_points: 0
        method: manual
"""

# (id, old text, new text, anchor of the expected line, expected field, part of the message)
ERROR_CASES = [
    ("not yaml", "  kind: cluster", "  kind: cluster: x", "kind: cluster: x", "", "không phải YAML"),
    ("wrong format", TOP, "format: thidua-covenant/2", "format:", "format", "không được hỗ trợ"),
    ("missing format", TOP + "\n", "", "group:", "format", "thiếu trường format"),
    ("unknown top key", "scale: 1000", "scale: 1000\ncolour: red", "colour", "colour", "không hợp lệ"),
    ("unknown group key", "  organiser:", "  organizer:", "organizer", "group.organizer", "không hợp lệ"),
    ("unknown member key", "kind: district}", "kind: district, rank: 1}", "rank: 1", "rank", "được phép"),
    ("unknown criterion key", "        aggregate: sum", "        weight: 2", "weight", "weight", "không hợp lệ"),
    ("unknown result key", "actual: 178.5}", "actual: 178.5, score: 3}", "score", "score", "không hợp lệ"),
    ("repeated key", "  kind: cluster", "  kind: cluster\n  name: Khác", "name: Khác", "group.name", "bị lặp"),
    ("missing group name", "  name: Cụm thi đua số 2\n", "", "group:", "group.name", "thiếu trường bắt buộc"),
    ("missing method", "        method: manual\n", "", 'code: "II.1"', "method", "thiếu trường bắt buộc"),
    ("missing title", "        title: Tỷ lệ hộ nghèo\n", "", 'code: "I.2"', "title", "thiếu trường bắt buộc"),
    ("empty reason", "reason: Nộp báo cáo chậm", 'reason: ""', "reason", "reason", "không được để trống"),
    ("missing reason", ", reason: Nộp báo cáo chậm", "", "points: -5", "reason", "thiếu trường bắt buộc"),
    ("text for a number", "target: 150", "target: nhiều", "nhiều", "target", 'phải là một số, không phải "nhiều"'),
    ("comma decimal", "actual: 178.5", 'actual: "178,5"', "178,5", "actual", "phải là một số"),
    ("year not whole", "year: 2017", "year: 2017.5", "year:", "year", "năm phải là một số nguyên"),
    ("year as text", "year: 2017", "year: năm 2017", "year:", "year", "năm phải là một số nguyên"),
    ("infinite", "actual: 900", "actual: .inf", ".inf", "actual", "vô hạn"),
    ("hexadecimal", "actual: 900", "actual: 0x384", "0x384", "actual", "thập phân"),
    ("member kind", "kind: district}", "kind: city}", "city", "kind", 'loại đơn vị không hợp lệ ("city")'),
    ("group kind", "kind: cluster", "kind: cụm", "kind: cụm", "group.kind", "loại cụm/khối"),
    ("unknown method", "method: threshold", "method: ratio", "ratio", "method", "phương pháp chấm điểm"),
    ("unknown direction", "direction: lower\n        aggregate: mean", "direction: down\n        aggregate: mean",
     "down", "direction", "chiều đánh giá không hợp lệ"),  # fmt: skip
    ("unknown aggregate", "aggregate: sum", "aggregate: total", "total", "aggregate", "cách tổng hợp"),
    ("unknown param", "{partial: 20}", "{partial: 20, step: 2}", "partial", "params.step", "phương pháp threshold"),
    ("param for manual", "        method: manual\n", "        method: manual\n        params: {step: 1}\n",
     "step: 1", "params.step", "không có tham số"),  # fmt: skip
    ("missing step", "by: pct_of_plan, step: 5, ", "by: pct_of_plan, ", "by: pct", "params.step", "cần tham số step"),
    ("missing params of rank", "        params: {by: pct_of_plan, step: 5, min_points: 10}\n", "",
     'code: "I.3"', "params.step", "cần tham số step"),  # fmt: skip
    ("wrong by", "by: pct_of_plan", "by: percent", "percent", "params.by", "actual, pct_of_plan"),
    ("param as text", "bonus_cap: 10", "bonus_cap: mười", "mười", "params.bonus_cap", "phải là một số"),
    ("negative max_points", "max_points: 40", "max_points: -40", "-40", "max_points", "không được âm (-40)"),
    ("non-positive scale", "scale: 1000", "scale: 0", "scale", "scale", "lớn hơn 0"),
    ("duplicate member", "  - {code: KG-HONDAT, name: Huyện Hòn Đất, kind: district}\n",
     "  - {code: KG-HONDAT, name: Huyện Hòn Đất, kind: district}\n"
     "  - {code: KG-HONDAT, name: Hòn Đất, kind: district}\n",
     "name: Hòn Đất,", "code", 'mã đơn vị "KG-HONDAT" bị trùng'),  # fmt: skip
    ("duplicate content", '- code: "II"', '- code: "I"', 'code: "I"', "code", 'mã nội dung "I" bị trùng'),
    ("duplicate criterion", "        method: manual\n", SECOND_CRITERION_I1, '- code: "I.1"', "code",
     'mã tiêu chí "I.1" bị trùng'),  # fmt: skip
    ("duplicate result", "adjustments:", '  - {unit: KG-TANHIEP, criterion: "I.1", actual: 2}\nadjustments:',
     "actual: 2}", "results", "bị trùng (đã có ở dòng"),  # fmt: skip
    ("leader not a member", "leader: KG-TANHIEP", "leader: KG-RACHGIA", "leader", "roles.leader",
     'cụm trưởng "KG-RACHGIA" không phải là đơn vị thành viên'),  # fmt: skip
    ("deputy not a member", "[KG-GIONGRIENG]", "[KG-GIONGRIENG, KG-XYZ]", "deputies", "roles.deputies",
     'cụm phó "KG-XYZ" không phải là đơn vị thành viên'),  # fmt: skip
    ("leader also deputy", "[KG-GIONGRIENG]", "[KG-GIONGRIENG, KG-TANHIEP]", "deputies", "roles.deputies",
     '"KG-TANHIEP" vừa là cụm trưởng vừa là cụm phó'),  # fmt: skip
    ("result unit not a member", "{unit: KG-HONDAT, criterion", "{unit: KG-XYZ, criterion", "KG-XYZ", "unit",
     'đơn vị "KG-XYZ" không phải là thành viên'),  # fmt: skip
    ("undefined criterion", 'criterion: "I.2"', 'criterion: "I.7"', "I.7", "criterion",
     'tiêu chí "I.7" không có trong giao ước'),  # fmt: skip
    ("adjustment unit not a member", "{unit: KG-HONDAT, points: -5", "{unit: KG-ABC, points: -5", "KG-ABC",
     "unit", 'đơn vị "KG-ABC" không phải là thành viên'),  # fmt: skip
    ("negative target", "target: 150", "target: -5", "target: -5", "target",
     "chỉ tiêu kế hoạch không được âm (-5)"),  # fmt: skip
    ("zero target for plan_ratio", "target: 150", "target: 0", "target: 0", "target", "phương pháp plan_ratio"),
    ("zero target for rank by pct", "target: 1200", "target: 0", "target: 0", "target", "phương pháp rank"),
    ("points above max", '"II.1", points: 45', '"II.1", points: 55', "points: 55", "points", "từ 0 đến 50"),
    ("negative points", "points: 47.5", "points: -1", "points: -1", "points", "không phải -1"),
    ("points on a non-manual criterion", "actual: 178.5}", "actual: 178.5, points: 10}", "points: 10", "points",
     "chỉ tiêu chí chấm thủ công (manual) mới nhận điểm"),  # fmt: skip
]


@pytest.mark.parametrize(
    ("old", "new", "anchor", "field", "message"),
    [case[1:] for case in ERROR_CASES],
    ids=[case[0] for case in ERROR_CASES],
)
def test_each_error_is_reported_with_its_line_field_and_a_vietnamese_message(
    old: str, new: str, anchor: str, field: str, message: str
) -> None:
    text = replaced(old, new)

    errors = errors_of(text)

    assert len(errors) == 1, [str(error) for error in errors]
    (error,) = errors
    assert (error.file, error.line, error.field) == (FILENAME, line_of(text, anchor, last=True), field)
    assert message in error.message


def test_an_error_reads_as_file_line_field_and_message() -> None:
    (error,) = errors_of(replaced("target: 150", "target: -5"))

    assert str(error) == (
        f'{FILENAME}, dòng {line_of(COVENANT, "target: 150")}, trường "target": '
        "chỉ tiêu kế hoạch không được âm (-5)"
    )


def test_several_errors_are_all_reported_at_once_in_file_order() -> None:
    text = (
        COVENANT.replace("year: 2017", "year: hai nghìn")
        .replace("kind: district}", "kind: town}", 1)
        .replace("method: threshold", "method: ratio")
        .replace("target: 150", "target: -1")
        .replace('"II.1", points: 45', '"II.1", points: 99')
        .replace("reason: Nộp báo cáo chậm", "reason: ")
    )

    with pytest.raises(CovenantFileError) as caught:
        read_covenant(text, filename=FILENAME)

    errors = caught.value.errors
    assert [(error.line, error.field) for error in errors] == [
        (line_of(text, "year:"), "year"),
        (line_of(text, "town"), "kind"),
        (line_of(text, "method: ratio"), "method"),
        (line_of(text, "target: -1"), "target"),
        (line_of(text, "points: 99"), "points"),
        (line_of(text, "reason:"), "reason"),
    ]
    assert str(caught.value).splitlines() == [str(error) for error in errors]


def test_a_file_that_is_not_a_mapping_or_is_empty_is_refused() -> None:
    assert errors_of("")[0].message.startswith("tệp rỗng")
    assert errors_of("- a\n- b\n")[0].line == 1
    assert "không phải YAML" in errors_of("a: [1\n")[0].message


# --- Writing and the round trip -----------------------------------------------------------------


def test_writing_the_fixture_gives_the_same_shape_as_the_spec() -> None:
    text = write_covenant(read_covenant(COVENANT, filename=FILENAME))

    assert text.splitlines()[:2] == ["format: thidua-covenant/1", "group:"]
    assert "  - {unit: KG-TANHIEP, criterion: \"I.1\", target: 150, actual: 178.5}" in text
    assert "  - {unit: KG-GIONGRIENG, criterion: \"I.1\", target: 925.128, actual: 900}" in text
    assert "  - {unit: KG-HONDAT, points: -5, reason: Nộp báo cáo chậm}" in text
    assert "  - {code: KG-TANHIEP, name: Huyện Tân Hiệp, kind: district}" in text
    assert '  - code: "I"\n' in text and "      - code: \"I.1\"\n" in text
    assert "        params: {penalty_per_pct: 1, bonus_per_pct: 0.5, bonus_cap: 10}" in text
    assert '        measure: "%"' in text
    keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert keys == [
        "format", "group", "year", "scale", "members", "roles", "contents", "results", "adjustments"
    ]  # fmt: skip


def test_the_fixture_survives_a_round_trip() -> None:
    doc = read_covenant(COVENANT, filename=FILENAME)
    text = write_covenant(doc)

    assert read_covenant(text, filename=FILENAME) == doc
    assert write_covenant(read_covenant(text, filename=FILENAME)) == text


def test_parameters_are_written_in_the_spec_order_whatever_order_they_were_stored_in() -> None:
    # PostgreSQL's jsonb gives keys back in its own order; the export must not depend on it.
    doc = read_covenant(COVENANT, filename=FILENAME)
    content = doc.contents[0]
    shuffled = CriterionDoc(**{
        **content.criteria[0].__dict__,
        "params": dict(reversed(list(content.criteria[0].params.items()))),
    })
    contents = (ContentDoc(**{**content.__dict__, "criteria": (shuffled, *content.criteria[1:])}), *doc.contents[1:])
    reordered = CovenantDoc(**{**doc.__dict__, "contents": contents})

    assert list(shuffled.params) == ["bonus_cap", "bonus_per_pct", "penalty_per_pct"]
    assert write_covenant(reordered) == write_covenant(doc)


def test_decimals_are_written_as_plain_numbers_and_awkward_strings_are_quoted() -> None:
    doc = read_covenant(COVENANT, filename=FILENAME)
    group = GroupDoc(code="1.1", name="yes", kind="cluster", organiser="#x")
    doc = CovenantDoc(
        group=group, year=2017, scale=Decimal("1E+3"), members=doc.members, roles=doc.roles,
        contents=doc.contents, results=(ResultDoc(unit="KG-TANHIEP", criterion="I.1", actual=Decimal("1E-2")),),
    )  # fmt: skip

    text = write_covenant(doc)

    assert "scale: 1000\n" in text and "actual: 0.01}" in text
    assert '  code: "1.1"\n  name: "yes"\n' in text and '  organiser: "#x"\n' in text
    assert read_covenant(text, filename="x.yaml") == doc


def test_writing_refuses_a_number_that_is_not_finite() -> None:
    doc = read_covenant(COVENANT, filename=FILENAME)
    broken = CovenantDoc(
        group=doc.group, year=doc.year, scale=Decimal("Infinity"), members=doc.members, contents=()
    )

    with pytest.raises(ValueError, match="finite"):
        write_covenant(broken)


AWKWARD = [
    "1.1", "yes", "No", "null", "~", "I", "#x", ": a", "a: b", "a #b", "- a", "[x]", "{y}", "'q'", '"d"',
    "@x", "`b", "!t", "&a", "*a", "%", "|", ">", "? q", "2017-01-01", "1_000", "0x1F", ".inf", "NaN",
    "on", "<<", "=", " lead", "trail ", "a,b", "tab\tx", "line\nbreak", "\ufeffbom", "nul\x00", "é\u2028",
    "Huyện Tân Hiệp", "Sở Giáo dục và Đào tạo", "UBND tỉnh Kiên Giang", "-5", "1e3", "",
]  # fmt: skip

texts = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=12))
names = texts.filter(lambda text: text.strip() != "")
# Within what the database keeps exactly (fileformat.FIGURE_PLACES, POINTS_PLACES).
figures = st.decimals(
    min_value=-(10**8), max_value=10**8, places=6, allow_nan=False, allow_infinity=False
)  # fmt: skip
adjustment_points = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
non_negative = st.decimals(min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)


@st.composite
def criteria(draw: st.DrawFn, code: str) -> CriterionDoc:
    method = draw(st.sampled_from(methods.METHODS))
    params: dict[str, Decimal | str] = {}
    for key in sorted(methods.METHOD_PARAMS[method]):
        if key in methods.REQUIRED_PARAMS.get(method, ()) or draw(st.booleans()):
            params[key] = draw(st.sampled_from(methods.RANK_BY)) if key == "by" else draw(figures)
    return CriterionDoc(
        code=code, title=draw(names), max_points=draw(non_negative), measure=draw(texts),
        direction=draw(st.sampled_from(methods.DIRECTIONS)),
        aggregate=draw(st.sampled_from(methods.AGGREGATES)), method=method, params=params,
    )  # fmt: skip


@st.composite
def results(draw: st.DrawFn, unit: str, criterion: CriterionDoc) -> ResultDoc:
    maybe = st.none() | figures
    target = draw(st.none() | non_negative)
    if target == 0 and methods.uses_pct_of_plan(criterion.method, criterion.params):
        target = Decimal(1)
    points = None
    if criterion.method == methods.MANUAL:
        points = draw(st.none() | st.sampled_from([Decimal(0), criterion.max_points, (criterion.max_points / 3).quantize(Decimal('0.0001'), rounding='ROUND_DOWN')]))
    return ResultDoc(
        unit=unit, criterion=criterion.code, target=target, actual=draw(maybe), baseline=draw(maybe),
        points=points, note=draw(st.none() | texts),
    )  # fmt: skip


@st.composite
def covenants(draw: st.DrawFn) -> CovenantDoc:
    codes = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    members = tuple(
        MemberDoc(code=code, name=draw(names), kind=draw(st.sampled_from(MEMBER_KINDS))) for code in codes
    )
    leader = draw(st.none() | st.sampled_from(codes))
    deputies = tuple(draw(st.lists(st.sampled_from(codes), unique=True)))
    deputies = tuple(code for code in deputies if code != leader)
    criterion_codes = draw(st.lists(names, max_size=5, unique=True))
    content_codes = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    all_criteria = [draw(criteria(code)) for code in criterion_codes]
    contents = tuple(
        ContentDoc(
            code=code, title=draw(names), max_points=draw(non_negative),
            criteria=tuple(all_criteria[index :: len(content_codes)]),
        )  # fmt: skip
        for index, code in enumerate(content_codes)
    )
    pairs = [(unit, criterion) for unit in codes for criterion in all_criteria]
    chosen = draw(st.lists(st.sampled_from(pairs), unique_by=lambda p: (p[0], p[1].code))) if pairs else []
    adjustments = draw(
        st.lists(st.builds(AdjustmentDoc, unit=st.sampled_from(codes), points=adjustment_points, reason=names), max_size=2)
    )
    return CovenantDoc(
        group=GroupDoc(
            code=draw(names), name=draw(names), kind=draw(st.sampled_from(GROUP_KINDS)), organiser=draw(texts)
        ),
        year=draw(st.integers(min_value=1000, max_value=9999)),
        scale=draw(non_negative.filter(lambda scale: scale > 0)),
        members=members,
        roles=RolesDoc(leader=leader, deputies=deputies),
        contents=contents,
        results=tuple(draw(results(unit, criterion)) for unit, criterion in chosen),
        adjustments=tuple(adjustments),
    )


@settings(max_examples=150, deadline=None)
@given(covenants())
def test_any_valid_document_survives_writing_and_reading_back(doc: CovenantDoc) -> None:
    text = write_covenant(doc)

    assert read_covenant(text, filename="generated.yaml") == doc
    assert write_covenant(read_covenant(text, filename="generated.yaml")) == text


@settings(max_examples=200, deadline=None)
@given(st.lists(names, min_size=1, max_size=3, unique=True), names)
def test_awkward_codes_and_texts_come_back_as_the_same_strings(codes: list[str], text: str) -> None:
    members = tuple(MemberDoc(code=code, name=text, kind="ward") for code in codes)
    criterion = CriterionDoc(code=codes[0], title=text, max_points=Decimal(10), measure=text, method="manual")
    doc = CovenantDoc(
        group=GroupDoc(code=text, name=text, kind="cluster", organiser=text), year=2026,
        members=members, roles=RolesDoc(leader=codes[0], deputies=tuple(codes[1:])),
        contents=(ContentDoc(code=text, title=text, max_points=Decimal(10), criteria=(criterion,)),),
        results=(ResultDoc(unit=codes[-1], criterion=codes[0], points=Decimal("2.5"), note=text),),
        adjustments=(AdjustmentDoc(unit=codes[0], points=Decimal("-0.25"), reason=text),),
    )  # fmt: skip

    assert read_covenant(write_covenant(doc), filename="awkward.yaml") == doc


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ('{unit: A, criterion: "I.1", target: 100, actual: 80.5549999}', "actual", "quá 6 chữ số thập phân"),
        ('{unit: A, criterion: "I.1", target: 1234567890123456}', "target", "quá 15 chữ số"),
    ],
)
def test_figures_finer_than_the_database_keeps_are_refused_not_rounded(row, field, message) -> None:
    text = f"""\
format: thidua-covenant/1
group: {{code: G, name: Cụm, kind: cluster}}
year: 2024
members: [{{code: A, name: Huyện A, kind: district}}]
contents:
  - code: "I"
    title: Kinh tế
    max_points: 100
    criteria: [{{code: "I.1", title: Thu ngân sách, max_points: 100, method: plan_ratio}}]
results:
  - {row}
"""
    with pytest.raises(CovenantFileError) as caught:
        read_covenant(text, filename="tinh-chinh-xac.yaml")
    error = caught.value.errors[0]
    assert (error.line, error.field) == (11, field) and message in error.message
