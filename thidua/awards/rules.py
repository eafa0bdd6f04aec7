"""The rule table: which legal basis governs an assessment year, its articles and its numbers.

Rules are data (LEGAL.md §0, §10): one `RuleSet` per legal basis with its dates, the article each
condition cites, and the numbers LEGAL.md marks uncertain ([U]) or partly verified ([P]) as named
settings. The eligibility engine (thidua.awards.eligibility) has no date, article or number of its
own: it reads them from the rule set of the assessment year, so a new decree or a province's own
quota is a row or a setting here, never a branch in code.

The three rule sets (LEGAL.md §0.1):

* `nd91-2017`: Luật Thi đua, khen thưởng 2003 (sửa đổi, bổ sung 2013), Nghị định 91/2017/NĐ-CP,
  Thông tư 12/2019/TT-BNV, for assessment years up to 2023;
* `nd98-2023`: Luật Thi đua, khen thưởng 2022, Nghị định 98/2023/NĐ-CP, Thông tư 01/2024/TT-BNV,
  in force 01/01/2024–30/06/2025;
* `nd152-2025`: Luật Thi đua, khen thưởng 2022, Nghị định 152/2025/NĐ-CP, Thông tư 15/2025/TT-BNV,
  from 01/07/2025.

An assessment year is judged by the rule set in force on its last day (31/12/Y): 2023 and before
by the old regime, 2024 by Nghị định 98/2023, 2025 and after by Nghị định 152/2025. A title or
award stored without its legal basis gets the one in force on its decision date (or at the end of
its year). Past titles keep their value across regimes (LEGAL.md §0.1 "Software implication").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from types import MappingProxyType

from thidua.awards.codes import CANH_CAO, DISCIPLINE_LEVELS, HTT, HTXS, KHIEN_TRACH, RATINGS, SCOPES, TINH

LAW_2022 = "Luật Thi đua, khen thưởng 2022"
LAW_2003 = "Luật Thi đua, khen thưởng 2003 (sửa đổi, bổ sung 2013)"
ND91 = "Nghị định 91/2017/NĐ-CP"


@dataclass(frozen=True, slots=True)
class Setting:
    """One parameter of the rules: its default, what it means (Vietnamese) and how sure it is."""

    default: object
    meaning: str
    tag: str  # [V] verified, [P] partly verified, [U] unverified (LEGAL.md §0)


#: Every setting a rule set carries, with the value used unless a rule set or the installation
#: (settings.THIDUA_AWARD_RULES) says otherwise. `None` for a discipline level: discipline does
#: not count for that condition.
SETTINGS: Mapping[str, Setting] = MappingProxyType({
    "ldtt.min_rating": Setting(HTT, "Xếp loại tối thiểu để đạt Lao động tiên tiến", "[V]"),
    "ldtt.new_hire_months": Setting(6, "Số tháng công tác tối thiểu tính đến hết năm (người mới tuyển dụng)", "[V]"),
    "ldtt.discipline_level": Setting(KHIEN_TRACH, "Kỷ luật từ mức này trở lên trong năm thì không xét Lao động tiên tiến", "[U]"),
    "cstdcs.htxs_route": Setting(True, "Hoàn thành xuất sắc nhiệm vụ (không cần sáng kiến) đủ điều kiện thứ hai của Chiến sĩ thi đua cơ sở", "[V]"),
    "cstdcs.quota_pct": Setting(Decimal(15), "Tỷ lệ tối đa Chiến sĩ thi đua cơ sở trên số Lao động tiên tiến của đơn vị (%)", "[U]"),
    "cstdcs.quota_rounding": Setting("floor", "Làm tròn số người tối đa theo tỷ lệ (floor: làm tròn xuống, half_up: làm tròn)", "[U]"),
    "cstd_tinh.cstdcs_years": Setting(3, "Số năm liên tục Chiến sĩ thi đua cơ sở, kết thúc năm xét", "[P]"),
    "cstd_tinh.initiative_scope": Setting(TINH, "Phạm vi ảnh hưởng tối thiểu của sáng kiến", "[P]"),
    "bk_tinh.cstdcs_years": Setting(2, "Số lần liên tục Chiến sĩ thi đua cơ sở, kết thúc năm xét (cách 1)", "[V]"),
    "bk_tinh.htxs_years": Setting(2, "Số năm liên tục Hoàn thành xuất sắc nhiệm vụ, kết thúc năm xét (cách 2)", "[V]"),
    "bk_tinh.initiatives": Setting(2, "Số sáng kiến chưa sử dụng được công nhận trong các năm đó (cách 2)", "[V]"),
    "run.min_rating": Setting(HTT, "Xếp loại tối thiểu của mỗi năm trong chuỗi năm liên tục", "[V]"),
    "run.discipline_level": Setting(KHIEN_TRACH, "Kỷ luật từ mức này trở lên làm gián đoạn chuỗi năm liên tục", "[U]"),
    "bk_ttg.run_years": Setting(5, "Số năm liên tục tối thiểu sau Bằng khen cấp bộ, ban, ngành, tỉnh", "[V]"),
    "bk_ttg.cstdcs_in_run": Setting(3, "Số lần Chiến sĩ thi đua cơ sở trong chuỗi năm đó", "[V]"),
    "hcld3.run_years": Setting(5, "Số năm liên tục tối thiểu sau Bằng khen của Thủ tướng Chính phủ", "[V]"),
    "hcld3.htxs_in_run": Setting(1, "Số năm Hoàn thành xuất sắc nhiệm vụ tối thiểu trong chuỗi năm đó", "[V]"),
    "hcld3.cstdcs_in_run": Setting(3, "Số lần Chiến sĩ thi đua cơ sở trong chuỗi năm đó", "[V]"),
    "ttldtt.min_rating": Setting(HTT, "Xếp loại tối thiểu của tập thể (hoàn thành tốt nhiệm vụ, kế hoạch)", "[U]"),
    "ttldtt.ldtt_pct": Setting(Decimal(50), "Tỷ lệ thành viên đạt Lao động tiên tiến (%)", "[U]"),
    "ttldtt.ldtt_pct_strict": Setting(True, "Phải vượt (quá) tỷ lệ trên, không chỉ bằng", "[U]"),
    "ttldtt.member_discipline_level": Setting(CANH_CAO, "Không có thành viên bị kỷ luật từ mức này trở lên trong năm", "[U]"),
    "ttldxs.min_rating": Setting(HTXS, "Xếp loại tối thiểu của tập thể (hoàn thành xuất sắc nhiệm vụ)", "[P]"),
    "ttldxs.complete_pct": Setting(Decimal(100), "Tỷ lệ thành viên hoàn thành nhiệm vụ trở lên (%)", "[P]"),
    "ttldxs.ldtt_pct": Setting(Decimal(70), "Tỷ lệ thành viên đạt Lao động tiên tiến, tối thiểu (%)", "[P]"),
    "ttldxs.requires_cstdcs": Setting(True, "Có ít nhất một thành viên đạt Chiến sĩ thi đua cơ sở", "[U]"),
    "ttldxs.member_discipline_level": Setting(CANH_CAO, "Không có thành viên bị kỷ luật từ mức này trở lên trong năm", "[U]"),
    "collective.discipline_level": Setting(KHIEN_TRACH, "Tập thể bị kỷ luật từ mức này trở lên trong năm thì không xét danh hiệu", "[U]"),
    "co_tinh.requires_leading_unit": Setting(True, "Phải được suy tôn dẫn đầu cụm, khối thi đua trong năm", "[P]"),
    "co_tinh.min_rating": Setting(HTXS, "Xếp loại tối thiểu của tập thể", "[U]"),
    "co_cp.requires_leading_unit": Setting(True, "Phải được suy tôn dẫn đầu cụm, khối thi đua trong năm", "[V]"),
    "co_cp.min_rating": Setting(HTXS, "Xếp loại tối thiểu của tập thể", "[U]"),
    "co_cp.max_pct_of_leaders": Setting(Decimal(20), "Tỷ lệ tối đa trên số đơn vị dẫn đầu cụm, khối trong năm (%)", "[U]"),
    "co_cp.ceiling_min": Setting(1, "Số tập thể tối thiểu được đề nghị dù tỷ lệ trên cho ra ít hơn (1 mỗi tỉnh mỗi năm)", "[U]"),
    "lower_form_not_required": Setting(False, "Hình thức khen thưởng mức thấp hơn không phải điều kiện bắt buộc (cho phép đề nghị ngoại lệ)", "[V]"),
})  # fmt: skip

_CHOICES: Mapping[str, tuple[object, ...]] = {
    "ldtt.min_rating": RATINGS, "run.min_rating": RATINGS, "ttldtt.min_rating": RATINGS,
    "ttldxs.min_rating": RATINGS, "co_tinh.min_rating": RATINGS, "co_cp.min_rating": RATINGS,
    "cstd_tinh.initiative_scope": SCOPES,
    "ldtt.discipline_level": (*DISCIPLINE_LEVELS, None), "run.discipline_level": (*DISCIPLINE_LEVELS, None),
    "ttldtt.member_discipline_level": (*DISCIPLINE_LEVELS, None),
    "ttldxs.member_discipline_level": (*DISCIPLINE_LEVELS, None),
    "collective.discipline_level": (*DISCIPLINE_LEVELS, None),
    "cstdcs.quota_rounding": ("floor", "half_up"),
}  # fmt: skip


class RuleError(ValueError):
    """A rule table or setting the engine cannot use; the message is Vietnamese."""


@dataclass(frozen=True, kw_only=True)
class RuleSet:
    key: str
    name: str  # the implementing decree, for short ("Nghị định 152/2025/NĐ-CP")
    basis: str  # the legal basis in force, as answers cite it
    effective_from: dt.date | None  # None: open start
    effective_to: dt.date | None  # None: still in force
    articles: Mapping[str, str]  # condition → article cited
    settings: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        merged = {name: setting.default for name, setting in SETTINGS.items()}
        for name, value in self.settings.items():
            merged[name] = _checked(name, value)
        object.__setattr__(self, "settings", MappingProxyType(merged))
        missing = sorted(set(ARTICLE_KEYS) - set(self.articles))
        if missing:
            raise RuleError(f"Bộ quy tắc {self.key} thiếu căn cứ cho: {', '.join(missing)}")

    def __getitem__(self, name: str) -> object:
        return self.settings[name]

    def article(self, key: str) -> str:
        return self.articles[key]

    def in_force_on(self, day: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


#: The conditions that cite an article; every rule set names all of them.
ARTICLE_KEYS = (
    "LDTT", "LDTT.exclusions", "CSTDCS", "CSTDCS.quota", "CSTD_TINH", "BK_TINH", "BK_TTG", "HCLD3",
    "TTLDTT", "TTLDXS", "CO_TINH", "CO_CP", "consumption", "lower_form",
)  # fmt: skip


def _checked(name: str, value: object) -> object:
    if name not in SETTINGS:
        raise RuleError(f'Không có tham số "{name}"; các tham số: {", ".join(SETTINGS)}')
    default = SETTINGS[name].default
    if name in _CHOICES:
        if value not in _CHOICES[name]:
            allowed = ", ".join("không áp dụng (null)" if c is None else str(c) for c in _CHOICES[name])
            raise RuleError(f'Tham số "{name}" không nhận giá trị {value!r}; chọn một trong: {allowed}')
        return value
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise RuleError(f'Tham số "{name}" phải là true hoặc false, không phải {value!r}')
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise RuleError(f'Tham số "{name}" phải là số nguyên không âm, không phải {value!r}')
        return value
    if isinstance(default, Decimal):
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise RuleError(f'Tham số "{name}" phải là một số (ví dụ "15"), không phải {value!r}')
        number = Decimal(str(value))
        if not number.is_finite() or not 0 <= number <= 100:
            raise RuleError(f'Tham số "{name}" là tỷ lệ phần trăm từ 0 đến 100, không phải {value!r}')
        return number
    raise RuleError(f'Tham số "{name}" không đặt được')  # pragma: no cover - every setting is typed


# --- The table ------------------------------------------------------------------------------------

_ARTICLES_2022 = {
    "LDTT": f"{LAW_2022}, Điều 24 khoản 1",
    "CSTDCS": f"{LAW_2022}, Điều 23",
    "CSTDCS.quota": f"tỷ lệ do bộ, ngành, tỉnh quy định; mức 15% theo {ND91}, Điều 9 khoản 3",
    "CSTD_TINH": f"{LAW_2022}, Điều 22",
    "BK_TINH": f"{LAW_2022}, Điều 74 khoản 1 điểm d",
    "BK_TTG": f"{LAW_2022}, Điều 73 khoản 1 điểm b",
    "HCLD3": f"{LAW_2022}, Điều 44 khoản 1 điểm e",
    "TTLDTT": f"{LAW_2022}, Điều 28",
    "TTLDXS": f"{LAW_2022}, Điều 27",
    "CO_TINH": f"{LAW_2022}, Điều 26",
    "CO_CP": f"{LAW_2022}, Điều 25 khoản 1",
    "consumption": f"{LAW_2022}, Điều 5 khoản 2",
}

RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet(
        key="nd91-2017",
        name=ND91,
        basis=f"{LAW_2003}; {ND91}; Thông tư 12/2019/TT-BNV",
        effective_from=None,
        effective_to=dt.date(2023, 12, 31),
        articles={
            # The 2003 Law numbers the individual and collective titles as the 2022 Law does
            # (Điều 22–28); the certificates are its Điều 71–72. [U]: not in LEGAL.md's sources.
            "LDTT": f"{LAW_2003}, Điều 24; {ND91}",
            "LDTT.exclusions": "Thông tư 12/2019/TT-BNV",
            "CSTDCS": f"{LAW_2003}, Điều 23; {ND91}",
            "CSTDCS.quota": f"{ND91}, Điều 9 khoản 3",
            "CSTD_TINH": f"{LAW_2003}, Điều 22; {ND91}",
            "BK_TINH": f"{LAW_2003}, Điều 72; {ND91}",
            "BK_TTG": f"{LAW_2003}, Điều 71; {ND91}",
            "HCLD3": f"{LAW_2003} và {ND91} (Huân chương Lao động hạng Ba)",
            "TTLDTT": f"{LAW_2003}, Điều 28; {ND91}",
            "TTLDXS": f"{LAW_2003}, Điều 27; {ND91}",
            "CO_TINH": f"{LAW_2003}, Điều 26; {ND91}, Điều 12",
            "CO_CP": f"{LAW_2003}, Điều 25; {ND91}",
            "consumption": f"{LAW_2003} và {ND91} (nguyên tắc khen thưởng)",
            "lower_form": ND91,
        },
        settings={},
    ),
    RuleSet(
        key="nd98-2023",
        name="Nghị định 98/2023/NĐ-CP",
        basis=f"{LAW_2022} (Luật số 06/2022/QH15); Nghị định 98/2023/NĐ-CP; Thông tư 01/2024/TT-BNV",
        effective_from=dt.date(2024, 1, 1),
        effective_to=dt.date(2025, 6, 30),
        articles={
            **_ARTICLES_2022,
            "LDTT.exclusions": "Thông tư 01/2024/TT-BNV",
            "lower_form": "Nghị định 98/2023/NĐ-CP",
        },
        settings={},
    ),
    RuleSet(
        key="nd152-2025",
        name="Nghị định 152/2025/NĐ-CP",
        basis=f"{LAW_2022} (Luật số 06/2022/QH15); Nghị định 152/2025/NĐ-CP; Thông tư 15/2025/TT-BNV",
        effective_from=dt.date(2025, 7, 1),
        # The vbpl.vn record gives 01/03/2027 as an end-of-effect date (LEGAL.md §0.1, "watch it");
        # until its successor is known the decree stays the rule set of every later year.
        effective_to=None,
        articles={
            **_ARTICLES_2022,
            "LDTT.exclusions": "Thông tư 15/2025/TT-BNV, kế thừa Thông tư 01/2024/TT-BNV",
            "lower_form": "Nghị định 152/2025/NĐ-CP, Điều 4",
        },
        settings={"lower_form_not_required": True},
    ),
)


def rule_set_on(*, day: dt.date, table: tuple[RuleSet, ...] = RULE_SETS) -> RuleSet:
    """The rule set in force on `day` (a decision date)."""
    for rule_set in table:
        if rule_set.in_force_on(day):
            return rule_set
    raise RuleError(f"Không có bộ quy tắc nào có hiệu lực ngày {day:%d/%m/%Y}")


def rule_set_for(*, year: int, table: tuple[RuleSet, ...] = RULE_SETS) -> RuleSet:
    """The rule set that judges assessment year `year`: the one in force on 31/12 of that year."""
    return rule_set_on(day=dt.date(year, 12, 31), table=table)


def rule_set_override(*, rule_set: RuleSet, settings: Mapping[str, object]) -> RuleSet:
    """`rule_set` with some settings changed (a province's own quota, a confirmed number)."""
    return replace(rule_set, settings={**rule_set.settings, **settings})


def rule_table_override(
    *, overrides: Mapping[str, Mapping[str, object]], table: tuple[RuleSet, ...] = RULE_SETS
) -> tuple[RuleSet, ...]:
    """The table with installation overrides: `{"*": {...}, "nd152-2025": {...}}`, the key of a
    rule set winning over "*"."""
    unknown = sorted(set(overrides) - {"*"} - {rule_set.key for rule_set in table})
    if unknown:
        raise RuleError(f"Không có bộ quy tắc: {', '.join(unknown)}")
    return tuple(
        rule_set_override(
            rule_set=rule_set, settings={**overrides.get("*", {}), **overrides.get(rule_set.key, {})}
        )
        for rule_set in table
    )
