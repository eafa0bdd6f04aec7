"""The criteria of the title "Bà mẹ Việt Nam Anh hùng" (Heroic Vietnamese Mother), LEGAL.md §5.5.

Pure Python. Source: the Ordinance on the state honorary title "Bà mẹ Việt Nam anh hùng" (2012,
amended 2013) as LEGAL.md summarises it, tagged [U] there: the Board checks the papers (martyr
certificates, invalid cards) at its appraisal step; this says which case the recorded facts meet.
A mother meets the standard when she
  a) had two or more children who died as martyrs; or
  b) had only two children, one a martyr and one a war invalid with a working-capacity loss of
     81 % or more; or
  c) had only one child, a martyr; or
  d) had one martyr child and a husband who died as a martyr; or
  đ) had one martyr child and died as a martyr herself; or
  e) is a war invalid with a loss of 81 % or more and had one martyr child.
Posthumous awards are allowed (LEGAL.md §5.5), so whether she is alive is not a condition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

SOURCE = "Pháp lệnh danh hiệu vinh dự Nhà nước “Bà mẹ Việt Nam anh hùng” (2012, sửa đổi 2013); LEGAL.md §5.5 [U]"


@dataclass(frozen=True, kw_only=True)
class MotherFacts:
    children: int = 0  # số con
    martyr_children: int = 0  # số con là liệt sĩ
    invalid_children_81: int = 0  # số con là thương binh suy giảm khả năng lao động từ 81 % trở lên
    husband_martyr: bool = False  # chồng là liệt sĩ
    self_martyr: bool = False  # bản thân là liệt sĩ
    self_invalid_81: bool = False  # bản thân là thương binh suy giảm khả năng lao động từ 81 % trở lên


LABELS = {
    "children": "Số con",
    "martyr_children": "Số con là liệt sĩ",
    "invalid_children_81": "Số con là thương binh suy giảm khả năng lao động từ 81% trở lên",
    "husband_martyr": "Chồng là liệt sĩ",
    "self_martyr": "Bản thân là liệt sĩ",
    "self_invalid_81": "Bản thân là thương binh suy giảm khả năng lao động từ 81% trở lên",
}


class FactsError(ValueError):
    pass


def facts_from(values: Mapping[str, object]) -> MotherFacts:
    """Facts from a form or JSON: counts are whole numbers ≥ 0, flags true/false; a clear
    Vietnamese message names the field otherwise."""
    parsed: dict[str, object] = {}
    for f in fields(MotherFacts):
        raw = values.get(f.name)
        if f.type == "bool":
            parsed[f.name] = raw in (True, "1", "on", "true", "True")
            continue
        text = str(raw if raw is not None else "0").strip() or "0"
        # ASCII digits only: "²".isdigit() is True but int("²") raises; a count is a few digits.
        if not (text.isascii() and text.isdigit()):
            raise FactsError(f"{LABELS[f.name]}: «{text[:20]}» không phải là số nguyên không âm.")
        if len(text) > 3:
            raise FactsError(f"{LABELS[f.name]}: «{text[:20]}» quá lớn.")
        parsed[f.name] = int(text)
    facts = MotherFacts(**parsed)
    counted = facts.martyr_children + facts.invalid_children_81
    if facts.children and counted > facts.children:
        raise FactsError(
            f"Số con là liệt sĩ và thương binh ({counted}) nhiều hơn số con ({facts.children})."
        )
    return facts


def bmvnah_assess(facts: MotherFacts) -> tuple[bool, tuple[str, ...]]:
    """(met, reasons): the cases met, or why none is, citing the source."""
    cases = (
        ("a", facts.martyr_children >= 2, f"có {facts.martyr_children} con là liệt sĩ (từ 2 con trở lên)"),
        ("b", facts.children == 2 and facts.martyr_children == 1 and facts.invalid_children_81 >= 1,
         "chỉ có 2 con, 1 con là liệt sĩ và 1 con là thương binh suy giảm khả năng lao động từ 81% trở lên"),
        ("c", facts.children == 1 and facts.martyr_children == 1, "chỉ có 1 con và người con đó là liệt sĩ"),
        ("d", facts.martyr_children >= 1 and facts.husband_martyr, "có con là liệt sĩ và chồng là liệt sĩ"),
        ("đ", facts.martyr_children >= 1 and facts.self_martyr, "có con là liệt sĩ và bản thân là liệt sĩ"),
        ("e", facts.martyr_children >= 1 and facts.self_invalid_81,
         "là thương binh suy giảm khả năng lao động từ 81% trở lên và có con là liệt sĩ"),
    )  # fmt: skip
    met = [f"Đạt (trường hợp {key}): {text} — {SOURCE}." for key, ok, text in cases if ok]
    if met:
        return True, tuple(met)
    if not facts.martyr_children:
        why = "chưa ghi nhận người con nào là liệt sĩ"
    else:
        why = (f"có {facts.martyr_children} con là liệt sĩ nhưng không thuộc trường hợp nào khác "
               "(chỉ có 1 con; 2 con với 1 thương binh từ 81%; chồng hoặc bản thân là liệt sĩ; bản thân là "
               "thương binh từ 81%)")  # fmt: skip
    return False, (f"Không đạt: {why} — {SOURCE}.",)
