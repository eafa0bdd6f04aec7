"""The eligibility engine: who meets the standard route to each title and award in a year, and why.

Pure Python, no Django, no database: a `History` (thidua.awards.records) and an assessment year Y
in, an `Assessment` out. Every answer lists the conditions it checked (`checks`), says in
Vietnamese which were missing and in which years (`reasons`), cites the article, and carries the
legal basis in force for Y (`basis`). Articles, dates and numbers come from the rule set of Y
(thidua.awards.rules); nothing here depends on a date.

The reading implemented (issue #7; LEGAL.md §4, §5, §10):

* LDTT: rating of Y is HTT or better; hired at least `ldtt.new_hire_months` (6) months before the
  end of Y; not disciplined in Y (Luật Thi đua, khen thưởng 2022, Điều 24; Thông tư 01/2024).
* CSTDCS: the LDTT standard in Y, and either HTXS in Y or an unused initiative of any scope
  recognised in Y (Điều 23). Unit quota: at most `cstdcs.quota_pct` (15) % of the unit's LDTT of
  Y, reported as a unit warning, never as a "no".
* CSTD_TINH: CSTDCS in Y, Y−1 and Y−2, and an unused initiative of scope `tinh` or wider
  recognised within those years (Điều 22).
* BK_TINH: CSTDCS in Y and Y−1; or HTXS in Y and Y−1 with at least two unused initiatives
  recognised in those two years (Điều 74 khoản 1 điểm d).
* BK_TTG: a BK_TINH in some year A < Y; the years after A up to Y contain an unbroken run, ending
  at Y, of at least 5 years rated HTT or better; that run holds at least 3 CSTDCS (Điều 73 k1 b).
* HCLD3: a BK_TTG in some year A < Y; after A an unbroken run ending at Y of at least 5 years
  rated HTT or better, with at least one HTXS and at least 3 CSTDCS (Điều 44 khoản 1 điểm e).
* TTLDTT, TTLDXS, CO_TINH, CO_CP for collectives (Điều 25–28), with the numbers LEGAL.md tags
  [U]/[P] as settings; CO_TINH and CO_CP need the conference's acclaimed leading units.

What "CSTDCS in year X" means: for X < Y, the title recorded in the history (a decision, under
whatever regime was then in force); for X = Y, the title recorded or, when the year's decisions
are not yet made, the CSTDCS standard of Y computed above. "Unused" initiative: `used_by` is null;
the only exception is an initiative marked as used by the very title or award being assessed when
the history already records that title or award in Y (re-checking a decision after the fact).
A run is broken by a year below the run's minimum rating, a year without a rating, or (setting
`run.discipline_level`) a year with a discipline.

Decree 152/2025 Art. 4: a lower form is not a hard prerequisite. The engine still reports the
standard route; when the only missing condition is the lower form and the rule set says so
(`lower_form_not_required`), the answer is `override_possible` and says so, with the run and
counts an officer needs to record an override with a reason (the dossier work, later).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cached_property

from thidua.awards import codes
from thidua.awards.codes import (
    COLLECTIVE,
    COLLECTIVE_CODES,
    HT,
    HTXS,
    PERSON,
    PERSON_CODES,
    RATING_NAMES,
    SCOPE_NAMES,
    code_name,
    discipline_at_least,
    rating_at_least,
    scope_at_least,
)
from thidua.awards.records import CollectiveHistory, Grant, History, InitiativeRecord, PersonHistory
from thidua.awards.rules import RULE_SETS, RuleSet, rule_set_for
from thidua.lib.numbers import format_number, format_percent

__all__ = [
    "Assessment",
    "Check",
    "Eligibility",
    "UnitWarning",
    "collective_assess",
    "history_assess",
    "person_assess",
]

_HUNDRED = Decimal(100)


# --- Results --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """One condition of one route: met or not, in a Vietnamese phrase that names the years."""

    key: str  # rating, hired, discipline, second, cstdcs_years, initiative, htxs_years, prerequisite, run, ...
    met: bool
    text: str
    years: tuple[int, ...]  # the years the condition is about; when not met, the missing ones
    article: str
    route: str = ""  # for codes with alternatives (BK_TINH): "cách 1", "cách 2"
    prerequisite: bool = False  # a lower form (Decree 152/2025 Art. 4: not a hard prerequisite)

    @property
    def reason(self) -> str:
        verdict = "Đạt" if self.met else "Không đạt"
        route = f" ({self.route})" if self.route else ""
        return f"{verdict}{route}: {self.text} — {self.article}."


@dataclass(frozen=True, kw_only=True)
class Eligibility:
    id: str
    subject: str  # person | collective
    code: str
    year: int
    eligible: bool  # by the standard route
    reasons: tuple[str, ...]  # not eligible: every missing condition; eligible: the conditions met
    checks: tuple[Check, ...]  # every condition checked, met or not, of every route
    basis: str
    rule_set: str
    override_possible: bool = False  # only the lower form is missing and the rules allow that
    notes: tuple[str, ...] = ()  # "Lưu ý: …", also at the end of `reasons`

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "code": self.code, "eligible": self.eligible,
            "reasons": list(self.reasons), "basis": self.basis,
        }  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class UnitWarning:
    """A warning about a whole unit (the CSTDCS quota) or the year (the CO_CP ceiling)."""

    code: str
    year: int
    unit: str  # unit code; "" for the year as a whole
    text: str


@dataclass(frozen=True, kw_only=True)
class Assessment:
    year: int
    rule_set: RuleSet
    results: tuple[Eligibility, ...]
    warnings: tuple[UnitWarning, ...] = ()

    def to_json(self) -> list[dict[str, object]]:
        """`thidua eligibility --json`: `[{"id", "code", "eligible", "reasons", "basis"}]`."""
        return [result.to_json() for result in self.results]

    def result(self, *, id: str, code: str) -> Eligibility:
        for result in self.results:
            if result.id == id and result.code == code:
                return result
        raise KeyError((id, code))


# --- Small helpers --------------------------------------------------------------------------------


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _years(years: Iterable[int]) -> str:
    """`2021, 2023` or `2021–2025` when consecutive (more than two)."""
    ordered = sorted(set(years))
    if len(ordered) > 2 and ordered[-1] - ordered[0] == len(ordered) - 1:
        return f"{ordered[0]}–{ordered[-1]}"
    return ", ".join(str(year) for year in ordered)


def _span(first: int, last: int) -> str:
    return str(last) if first == last else f"{first}–{last}"


def _rating_phrase(rating: str | None) -> str:
    return "chưa có xếp loại" if rating is None else f"xếp loại {RATING_NAMES[rating]}"


def _minimum(rating: str) -> str:
    return RATING_NAMES[rating] if rating == HTXS else f"từ {RATING_NAMES[rating]} trở lên"


def _pct(part: int, whole: int) -> Decimal:
    return Decimal(part) * _HUNDRED / Decimal(whole)


def _ids(items: Iterable[str], limit: int = 8) -> str:
    items = list(items)
    shown = ", ".join(items[:limit])
    return shown + (f" và {len(items) - limit} người khác" if len(items) > limit else "")


def _route(routes: Sequence[tuple[str, list[Check]]]) -> tuple[bool, tuple[str, ...], tuple[Check, ...]]:
    """Eligible when every check of some route is met; the reasons of that route, else every miss."""
    for _label, checks in routes:
        if all(check.met for check in checks):
            return True, tuple(check.reason for check in checks), tuple(c for _, cs in routes for c in cs)
    reasons = tuple(check.reason for _, checks in routes for check in checks if not check.met)
    return False, reasons, tuple(c for _, cs in routes for c in cs)


# --- A person's history, read for one assessment year ---------------------------------------------


class _Person:
    """Look-ups over one person's history, and the CSTDCS standard of the assessment year."""

    def __init__(self, history: PersonHistory, *, year: int, rules: RuleSet) -> None:
        self.h = history
        self.year = year
        self.rules = rules
        self.grants: dict[tuple[str, int], Grant] = {}
        for grant in (*history.titles, *history.awards):
            self.grants.setdefault((grant.code, grant.year), grant)

    def rating(self, year: int) -> str | None:
        return self.h.ratings.get(year)

    def discipline(self, year: int, minimum: str | None) -> list[str]:
        """The discipline levels of `year` at or above `minimum` (None: discipline does not count)."""
        if minimum is None:
            return []
        return [d.level for d in self.h.discipline if d.year == year and discipline_at_least(d.level, minimum)]

    def granted(self, code: str, year: int) -> Grant | None:
        return self.grants.get((code, year))

    def grant_years(self, code: str, *, before: int) -> list[int]:
        return sorted(year for (c, year) in self.grants if c == code and year < before)

    def usable(self, initiative: InitiativeRecord, *, code: str) -> bool:
        """Unused, or used by the very title/award being assessed, already recorded in Y."""
        if initiative.used_by is None:
            return True
        return initiative.used_by == code and self.granted(code, self.year) is not None

    def initiatives(self, *, code: str, years: range, scope: str = codes.CO_SO) -> tuple[list[InitiativeRecord], list[InitiativeRecord]]:
        """(usable, already used) initiatives of at least `scope` recognised within `years`."""
        found = [i for i in self.h.initiatives if i.year in years and scope_at_least(i.scope, scope)]
        usable = [i for i in found if self.usable(i, code=code)]
        return usable, [i for i in found if not self.usable(i, code=code)]

    @cached_property
    def ldtt_checks(self) -> list[Check]:
        return _ldtt_checks(self, prefix="")

    @cached_property
    def ldtt_met(self) -> bool:
        return self.granted("LDTT", self.year) is not None or all(c.met for c in self.ldtt_checks)

    @cached_property
    def cstdcs_checks(self) -> list[Check]:
        return _cstdcs_checks(self)

    @cached_property
    def cstdcs_standard(self) -> bool:
        return all(c.met for c in self.cstdcs_checks)

    def cstdcs(self, year: int) -> bool:
        """CSTDCS in `year`: recorded; in the assessment year also the standard met."""
        if self.granted("CSTDCS", year) is not None:
            return True
        return year == self.year and self.cstdcs_standard

    def cstdcs_gap(self) -> str:
        """Why the assessment year's CSTDCS standard is not met, for chained reasons."""
        missing = "; ".join(c.text for c in self.cstdcs_checks if not c.met)
        return f"năm {self.year} chưa đạt tiêu chuẩn Chiến sĩ thi đua cơ sở: {missing}"


def _used_phrase(used: Sequence[InitiativeRecord]) -> str:
    if not used:
        return ""
    items = ", ".join(f"{i.id} ({i.year}) đã dùng cho {code_name(i.used_by or '')}" for i in used)
    return f"; sáng kiến {items}"


# --- Individual codes -----------------------------------------------------------------------------


def _ldtt_checks(p: _Person, *, prefix: str) -> list[Check]:
    y, rules = p.year, p.rules
    article, exclusions = rules.article("LDTT"), rules.article("LDTT.exclusions")
    minimum = rules["ldtt.min_rating"]
    rating = p.rating(y)
    checks = []
    if rating_at_least(rating, minimum):
        text = f"năm {y} {_rating_phrase(rating)}"
    elif rating is None:
        text = f"năm {y} chưa có xếp loại; cần {_minimum(minimum)}"
    else:
        text = f"năm {y} {_rating_phrase(rating)}, cần {_minimum(minimum)}"
    checks.append(Check(key="rating", met=rating_at_least(rating, minimum), text=prefix + text, years=(y,), article=article))

    months = rules["ldtt.new_hire_months"]
    hired = p.h.hired
    if hired is None:
        met, text = True, f"hồ sơ không ghi ngày tuyển dụng, coi như đã công tác đủ {months} tháng đến hết năm {y}"
    elif hired > dt.date(y, 12, 31):
        met, text = False, f"tuyển dụng ngày {_date(hired)}, sau năm {y}"
    elif _add_months(hired, months) <= dt.date(y + 1, 1, 1):
        met, text = True, f"tuyển dụng ngày {_date(hired)}, đủ {months} tháng công tác đến hết năm {y}"
    else:
        met, text = False, f"tuyển dụng ngày {_date(hired)}, chưa đủ {months} tháng công tác đến ngày 31/12/{y} (mới tuyển dụng)"
    checks.append(Check(key="hired", met=met, text=prefix + text, years=(y,), article=exclusions))

    minimum_level = rules["ldtt.discipline_level"]
    if minimum_level is not None:
        levels = p.discipline(y, minimum_level)
        if levels:
            names = ", ".join(codes.DISCIPLINE_NAMES[level] for level in levels)
            text = f"bị kỷ luật ({names}) trong năm {y}"
        else:
            text = f"không bị kỷ luật trong năm {y}"
        checks.append(Check(key="discipline", met=not levels, text=prefix + text, years=(y,), article=exclusions))
    return checks


def _cstdcs_checks(p: _Person) -> list[Check]:
    y, rules = p.year, p.rules
    checks = _ldtt_checks(p, prefix="tiêu chuẩn Lao động tiên tiến, ")
    article = rules.article("CSTDCS")
    htxs_route = rules["cstdcs.htxs_route"]
    rating = p.rating(y)
    usable, used = p.initiatives(code="CSTDCS", years=range(y, y + 1))
    if htxs_route and rating == HTXS:
        met, text = True, f"năm {y} xếp loại {RATING_NAMES[HTXS]}"
    elif usable:
        names = ", ".join(i.id for i in usable)
        met, text = True, f"có sáng kiến chưa sử dụng được công nhận năm {y} ({names})"
    else:
        either = f"không xếp loại {RATING_NAMES[HTXS]} và " if htxs_route else ""
        met = False
        text = f"năm {y} {either}không có sáng kiến chưa sử dụng được công nhận trong năm{_used_phrase(used)}"
    checks.append(Check(key="second", met=met, text=text, years=(y,), article=article))
    return checks


def _cstdcs_years_check(p: _Person, *, count: int, article: str, route: str = "") -> Check:
    y = p.year
    years = range(y - count + 1, y + 1)
    missing = [year for year in years if not p.cstdcs(year)]
    span = _span(years[0], y)
    if not missing:
        text = f"Chiến sĩ thi đua cơ sở {count} năm liên tục ({span})"
    else:
        text = f"cần Chiến sĩ thi đua cơ sở {count} năm liên tục {span}, thiếu năm {_years(missing)}"
        if y in missing:
            text += f" ({p.cstdcs_gap()})"
    return Check(key="cstdcs_years", met=not missing, text=text, years=tuple(missing or years), article=article, route=route)


def _cstd_tinh(p: _Person) -> list[tuple[str, list[Check]]]:
    y, rules = p.year, p.rules
    article = rules.article("CSTD_TINH")
    count = rules["cstd_tinh.cstdcs_years"]
    scope = rules["cstd_tinh.initiative_scope"]
    years = range(y - count + 1, y + 1)
    usable, used = p.initiatives(code="CSTD_TINH", years=years, scope=scope)
    span = _span(years[0], y)
    if usable:
        found = ", ".join(f"{i.id} ({i.year}, {SCOPE_NAMES[i.scope]})" for i in usable)
        text = f"có sáng kiến phạm vi ảnh hưởng từ {SCOPE_NAMES[scope]} trở lên được công nhận trong các năm {span} ({found})"
    else:
        text = (
            f"không có sáng kiến chưa sử dụng có phạm vi ảnh hưởng từ {SCOPE_NAMES[scope]} trở lên "
            f"được công nhận trong các năm {span}{_used_phrase(used)}"
        )
    initiative = Check(key="initiative", met=bool(usable), text=text, years=tuple(years), article=article)
    return [("", [_cstdcs_years_check(p, count=count, article=article), initiative])]


def _bk_tinh(p: _Person) -> list[tuple[str, list[Check]]]:
    y, rules = p.year, p.rules
    article = rules.article("BK_TINH")
    n_cstdcs = rules["bk_tinh.cstdcs_years"]
    first = [_cstdcs_years_check(p, count=n_cstdcs, article=article, route="cách 1")]

    n_htxs, n_initiatives = rules["bk_tinh.htxs_years"], rules["bk_tinh.initiatives"]
    years = range(y - n_htxs + 1, y + 1)
    span = _span(years[0], y)
    below = [year for year in years if p.rating(year) != HTXS]
    if not below:
        text = f"xếp loại {RATING_NAMES[HTXS]} {n_htxs} năm liên tục ({span})"
    else:
        detail = "; ".join(f"năm {year} {_rating_phrase(p.rating(year))}" for year in below)
        text = f"cần xếp loại {RATING_NAMES[HTXS]} {n_htxs} năm liên tục {span}: {detail}"
    htxs = Check(key="htxs_years", met=not below, text=text, years=tuple(below or years), article=article, route="cách 2")
    usable, used = p.initiatives(code="BK_TINH", years=years)
    found = f" ({', '.join(i.id for i in usable)})" if usable else ""
    if len(usable) >= n_initiatives:
        text = f"có {len(usable)} sáng kiến chưa sử dụng được công nhận trong các năm {span}{found}"
    else:
        text = (
            f"chỉ có {len(usable)} sáng kiến chưa sử dụng được công nhận trong các năm {span}{found}, "
            f"cần {n_initiatives}{_used_phrase(used)}"
        )
    initiatives = Check(
        key="initiatives", met=len(usable) >= n_initiatives, text=text, years=tuple(years), article=article, route="cách 2"
    )
    return [("cách 1", first), ("cách 2", [htxs, initiatives])]


@dataclass(frozen=True)
class _Run:
    years: tuple[int, ...]  # ascending, ending at the assessment year (empty when Y itself breaks)
    stop: str  # why the run does not reach further back


def _run(p: _Person, *, after: int | None, after_name: str) -> _Run:
    """The unbroken run of years ending at Y, after year `after`, rated `run.min_rating` or better."""
    minimum, level = p.rules["run.min_rating"], p.rules["run.discipline_level"]
    year, years = p.year, []
    while True:
        if after is not None and year <= after:
            stop = f"chuỗi tính từ sau năm được tặng {after_name} ({after})"
            break
        rating = p.rating(year)
        if not rating_at_least(rating, minimum):
            stop = f"năm {year} {_rating_phrase(rating)}"
            break
        levels = p.discipline(year, level)
        if levels:
            stop = f"năm {year} bị kỷ luật ({', '.join(codes.DISCIPLINE_NAMES[x] for x in levels)})"
            break
        years.append(year)
        year -= 1
    return _Run(years=tuple(reversed(years)), stop=stop)


def _chain(p: _Person, *, code: str, prerequisite: str, prefix: str) -> list[tuple[str, list[Check]]]:
    """BK_TTG (after BK_TINH) and HCLD3 (after BK_TTG): prerequisite, run, counts within the run."""
    y, rules = p.year, p.rules
    article = rules.article(code)
    name = code_name(prerequisite)
    earlier = p.grant_years(prerequisite, before=y)
    after = earlier[0] if earlier else None
    if earlier:
        text = f"đã được tặng {name} năm {_years(earlier)}"
    else:
        text = f"chưa được tặng {name} trước năm {y}"
    checks = [Check(key="prerequisite", met=bool(earlier), text=text, years=tuple(earlier), article=article, prerequisite=True)]

    run = _run(p, after=after, after_name=name)
    need = rules[f"{prefix}.run_years"]
    minimum = _minimum(rules["run.min_rating"])
    since = f" sau năm được tặng {name} ({after})" if after is not None else ""
    span = _span(run.years[0], y) if run.years else ""
    if len(run.years) >= need:
        text = f"{len(run.years)} năm liên tục ({span}) xếp loại {minimum}{since}, kết thúc năm {y}"
    else:
        have = f"chỉ có {len(run.years)} năm ({span})" if run.years else "không có năm nào"
        text = (
            f"cần ít nhất {need} năm liên tục xếp loại {minimum}{since}, kết thúc năm {y}; "
            f"{have} vì {run.stop}"
        )
    missing_years = tuple(range(y - need + 1, y + 1)) if len(run.years) < need else run.years
    checks.append(Check(key="run", met=len(run.years) >= need, text=text, years=missing_years, article=article))

    where = f"trong chuỗi năm {span}" if run.years else "trong chuỗi năm liên tục (chưa có năm nào)"
    if f"{prefix}.htxs_in_run" in rules.settings:  # HCLD3: at least one HTXS year in the run
        need_htxs = rules[f"{prefix}.htxs_in_run"]
        htxs = [year for year in run.years if p.rating(year) == HTXS]
        listed = f" ({_years(htxs)})" if htxs else ""
        if len(htxs) >= need_htxs:
            text = f"có {len(htxs)} năm xếp loại {RATING_NAMES[HTXS]} {where}{listed}"
        else:
            text = f"chỉ có {len(htxs)} năm xếp loại {RATING_NAMES[HTXS]} {where}{listed}, cần {need_htxs}"
        checks.append(Check(key="run_htxs", met=len(htxs) >= need_htxs, text=text, years=run.years, article=article))

    need_cstdcs = rules[f"{prefix}.cstdcs_in_run"]
    held = [year for year in run.years if p.cstdcs(year)]
    listed = f" ({_years(held)})" if held else ""
    if len(held) >= need_cstdcs:
        text = f"có {len(held)} lần Chiến sĩ thi đua cơ sở {where}{listed}"
    else:
        text = f"chỉ có {len(held)} lần Chiến sĩ thi đua cơ sở {where}{listed}, cần {need_cstdcs}"
    checks.append(Check(key="run_cstdcs", met=len(held) >= need_cstdcs, text=text, years=run.years, article=article))
    return [("", checks)]


def _person_routes(p: _Person, code: str) -> list[tuple[str, list[Check]]]:
    if code == "LDTT":
        return [("", p.ldtt_checks)]
    if code == "CSTDCS":
        return [("", p.cstdcs_checks)]
    if code == "CSTD_TINH":
        return _cstd_tinh(p)
    if code == "BK_TINH":
        return _bk_tinh(p)
    if code == "BK_TTG":
        return _chain(p, code="BK_TTG", prerequisite="BK_TINH", prefix="bk_ttg")
    if code == "HCLD3":
        return _chain(p, code="HCLD3", prerequisite="BK_TTG", prefix="hcld3")
    raise ValueError(f"Không xét điều kiện cho mã {code} đối với cá nhân")


def _notes(*, subject_grant: Grant | None, code: str, year: int, checks: Sequence[Check]) -> list[str]:
    notes = []
    if subject_grant is not None:
        decision = f" (quyết định số {subject_grant.decision})" if subject_grant.decision else ""
        notes.append(f"Lưu ý: hồ sơ đã ghi nhận {code_name(code)} năm {year}{decision}.")
    if any(check.key == "hired" and "không ghi ngày tuyển dụng" in check.text for check in checks):
        notes.append("Lưu ý: hồ sơ không ghi ngày tuyển dụng; cần kiểm tra thời gian công tác trong năm.")
    return notes


def _eligibility(
    *, id: str, subject: str, code: str, year: int, rules: RuleSet,
    routes: list[tuple[str, list[Check]]], notes: list[str],
) -> Eligibility:  # fmt: skip
    eligible, reasons, checks = _route(routes)
    override = False
    if not eligible and rules["lower_form_not_required"]:
        missing = [c for c in checks if not c.met]
        if missing and all(c.prerequisite for c in missing):
            override = True
            names = "; ".join(c.text for c in missing)
            notes = [
                *notes,
                f"Lưu ý: theo tiêu chuẩn thông thường chỉ thiếu hình thức khen thưởng mức thấp hơn ({names}); "
                f"theo {rules.article('lower_form')}, đây không phải điều kiện bắt buộc: cán bộ có thể "
                "ghi nhận đề nghị theo thành tích, kèm lý do.",
            ]
    return Eligibility(
        id=id, subject=subject, code=code, year=year, eligible=eligible,
        reasons=(*reasons, *notes), checks=checks, basis=rules.basis, rule_set=rules.key,
        override_possible=override, notes=tuple(notes),
    )  # fmt: skip


def person_assess(
    *, person: PersonHistory, year: int, rules: RuleSet | None = None, only: Sequence[str] = PERSON_CODES
) -> tuple[Eligibility, ...]:
    """Every individual code for one person in assessment year `year` (no unit quota: see
    `history_assess`)."""
    rules = rules or rule_set_for(year=year)
    p = _Person(person, year=year, rules=rules)
    results = []
    for code in only:
        routes = _person_routes(p, code)
        all_checks = [c for _, checks in routes for c in checks]
        notes = _notes(subject_grant=p.granted(code, year), code=code, year=year, checks=all_checks)
        results.append(
            _eligibility(id=person.id, subject=PERSON, code=code, year=year, rules=rules, routes=routes, notes=notes)
        )
    return tuple(results)


# --- Collective codes -----------------------------------------------------------------------------


class _Collective:
    def __init__(self, history: CollectiveHistory, *, members: Sequence[_Person], year: int, rules: RuleSet,
                 leading: bool) -> None:  # fmt: skip
        self.h = history
        self.year = year
        self.rules = rules
        self.members = list(members)
        self.rated = [m for m in self.members if m.rating(year) is not None]
        self.leading = leading
        self.grants = {(g.code, g.year): g for g in (*history.titles, *history.awards)}

    def rating(self) -> str | None:
        return self.h.ratings.get(self.year)


def _collective_rating_check(c: _Collective, *, minimum: str, article: str) -> Check:
    y, rating = c.year, c.rating()
    met = rating_at_least(rating, minimum)
    if met:
        text = f"tập thể năm {y} {_rating_phrase(rating)}"
    else:
        text = f"tập thể năm {y} {_rating_phrase(rating)}, cần {_minimum(minimum)}"
    return Check(key="rating", met=met, text=text, years=(y,), article=article)


def _collective_discipline_check(c: _Collective, *, article: str) -> list[Check]:
    level = c.rules["collective.discipline_level"]
    if level is None:
        return []
    y = c.year
    levels = [d.level for d in c.h.discipline if d.year == y and discipline_at_least(d.level, level)]
    if levels:
        text = f"tập thể bị kỷ luật ({', '.join(codes.DISCIPLINE_NAMES[x] for x in levels)}) trong năm {y}"
    else:
        text = f"tập thể không bị kỷ luật trong năm {y}"
    return [Check(key="collective_discipline", met=not levels, text=text, years=(y,), article=article)]


def _member_discipline_check(c: _Collective, *, level: str | None, article: str) -> list[Check]:
    if level is None:
        return []
    y = c.year
    hits = [(m.h.id, m.discipline(y, level)) for m in c.members]
    hits = [(pid, levels) for pid, levels in hits if levels]
    name = codes.DISCIPLINE_NAMES[level]
    if hits:
        who = "; ".join(f"{pid} ({', '.join(codes.DISCIPLINE_NAMES[x] for x in levels)})" for pid, levels in hits)
        text = f"có thành viên bị kỷ luật từ {name} trở lên trong năm {y}: {who}"
    else:
        text = f"không có thành viên bị kỷ luật từ {name} trở lên trong năm {y}"
    return [Check(key="member_discipline", met=not hits, text=text, years=(y,), article=article)]


def _members_share_check(
    c: _Collective, *, key: str, what: str, passing: Sequence[_Person], pct: Decimal, strict: bool, article: str
) -> Check:  # fmt: skip
    y, total = c.year, len(c.rated)
    if total == 0:
        text = f"không có thành viên nào được xếp loại năm {y} trong hồ sơ, không tính được tỷ lệ {what}"
        return Check(key=key, met=False, text=text, years=(y,), article=article)
    share = _pct(len(passing), total)
    met = share > pct if strict else share >= pct
    bound = f"quá {format_percent(pct)}" if strict else f"từ {format_percent(pct)} trở lên"
    count = f"{format_number(len(passing))}/{format_number(total)} thành viên ({format_percent(share)})"
    if met:
        text = f"{count} {what} năm {y}, {bound}"
    else:
        others = [m.h.id for m in c.rated if m not in passing]
        text = f"chỉ {count} {what} năm {y}, cần {bound}; chưa đạt: {_ids(others)}"
    return Check(key=key, met=met, text=text, years=(y,), article=article)


def _ttldtt(c: _Collective) -> list[tuple[str, list[Check]]]:
    rules, article = c.rules, c.rules.article("TTLDTT")
    checks = [_collective_rating_check(c, minimum=rules["ttldtt.min_rating"], article=article)]
    ldtt = [m for m in c.rated if m.ldtt_met]
    checks.append(_members_share_check(
        c, key="members_ldtt", what="đạt tiêu chuẩn Lao động tiên tiến", passing=ldtt,
        pct=rules["ttldtt.ldtt_pct"], strict=rules["ttldtt.ldtt_pct_strict"], article=article,
    ))  # fmt: skip
    checks += _member_discipline_check(c, level=rules["ttldtt.member_discipline_level"], article=article)
    checks += _collective_discipline_check(c, article=article)
    return [("", checks)]


def _ttldxs(c: _Collective) -> list[tuple[str, list[Check]]]:
    rules, article, y = c.rules, c.rules.article("TTLDXS"), c.year
    checks = [_collective_rating_check(c, minimum=rules["ttldxs.min_rating"], article=article)]
    complete = [m for m in c.rated if rating_at_least(m.rating(y), HT)]
    checks.append(_members_share_check(
        c, key="members_complete", what=f"xếp loại từ {RATING_NAMES[HT]} trở lên", passing=complete,
        pct=rules["ttldxs.complete_pct"], strict=False, article=article,
    ))  # fmt: skip
    ldtt = [m for m in c.rated if m.ldtt_met]
    checks.append(_members_share_check(
        c, key="members_ldtt", what="đạt tiêu chuẩn Lao động tiên tiến", passing=ldtt,
        pct=rules["ttldxs.ldtt_pct"], strict=False, article=article,
    ))  # fmt: skip
    if rules["ttldxs.requires_cstdcs"]:
        fighters = [m.h.id for m in c.members if m.cstdcs(y)]
        if fighters:
            text = f"có thành viên đạt Chiến sĩ thi đua cơ sở năm {y} ({_ids(fighters)})"
        else:
            text = f"không có thành viên nào đạt Chiến sĩ thi đua cơ sở năm {y}"
        checks.append(Check(key="members_cstdcs", met=bool(fighters), text=text, years=(y,), article=article))
    checks += _member_discipline_check(c, level=rules["ttldxs.member_discipline_level"], article=article)
    checks += _collective_discipline_check(c, article=article)
    return [("", checks)]


def _flag(c: _Collective, *, code: str, prefix: str) -> list[tuple[str, list[Check]]]:
    rules, article, y = c.rules, c.rules.article(code), c.year
    checks = []
    if rules[f"{prefix}.requires_leading_unit"]:
        if c.leading:
            text = f"được suy tôn đơn vị dẫn đầu cụm, khối thi đua năm {y}"
        else:
            text = f"không có kết quả suy tôn đơn vị dẫn đầu cụm, khối thi đua năm {y}"
        checks.append(Check(key="leading_unit", met=c.leading, text=text, years=(y,), article=article))
    checks.append(_collective_rating_check(c, minimum=rules[f"{prefix}.min_rating"], article=article))
    checks += _collective_discipline_check(c, article=article)
    return [("", checks)]


def _collective_routes(c: _Collective, code: str) -> list[tuple[str, list[Check]]]:
    if code == "TTLDTT":
        return _ttldtt(c)
    if code == "TTLDXS":
        return _ttldxs(c)
    if code == "CO_TINH":
        return _flag(c, code="CO_TINH", prefix="co_tinh")
    if code == "CO_CP":
        return _flag(c, code="CO_CP", prefix="co_cp")
    raise ValueError(f"Không xét điều kiện cho mã {code} đối với tập thể")


def collective_assess(
    *, collective: CollectiveHistory, history: History, year: int, rules: RuleSet | None = None,
    leading_units: Iterable[tuple[str, int]] = (), only: Sequence[str] = COLLECTIVE_CODES,
) -> tuple[Eligibility, ...]:  # fmt: skip
    """Every collective code for one collective in `year`; its members are read from `history`."""
    rules = rules or rule_set_for(year=year)
    members = [_Person(m, year=year, rules=rules) for m in history.members_of(collective)]
    leading = year in collective.leading_unit or (collective.id, year) in set(leading_units)
    c = _Collective(collective, members=members, year=year, rules=rules, leading=leading)
    results = []
    for code in only:
        routes = _collective_routes(c, code)
        notes = []
        if (grant := c.grants.get((code, year))) is not None:
            notes = _notes(subject_grant=grant, code=code, year=year, checks=())
        if code == "CO_CP":
            notes.append(
                f"Lưu ý: cần xác nhận tổ chức đảng, đoàn thể trong sạch, vững mạnh và các tiêu chuẩn khác "
                f"của {rules.article('CO_CP')}; hồ sơ quá trình không chứa các thông tin này."
            )
        results.append(
            _eligibility(id=collective.id, subject=COLLECTIVE, code=code, year=year, rules=rules, routes=routes, notes=notes)
        )
    return tuple(results)


# --- The whole history, with the quotas -----------------------------------------------------------


def _quota(count: int, pct: Decimal, rounding: str) -> int:
    mode = ROUND_FLOOR if rounding == "floor" else ROUND_HALF_UP
    return int((Decimal(count) * pct / _HUNDRED).quantize(Decimal(1), rounding=mode))


def _with_note(result: Eligibility, note: str) -> Eligibility:
    return Eligibility(
        id=result.id, subject=result.subject, code=result.code, year=result.year, eligible=result.eligible,
        reasons=(*result.reasons, note), checks=result.checks, basis=result.basis, rule_set=result.rule_set,
        override_possible=result.override_possible, notes=(*result.notes, note),
    )  # fmt: skip


def _cstdcs_quota(
    people: Sequence[PersonHistory], results: dict[tuple[str, str], Eligibility], *, year: int, rules: RuleSet
) -> list[UnitWarning]:
    by_unit: dict[str, list[PersonHistory]] = defaultdict(list)
    for person in people:
        by_unit[person.unit].append(person)
    pct, rounding = rules["cstdcs.quota_pct"], rules["cstdcs.quota_rounding"]
    warnings = []
    for unit, members in by_unit.items():
        ldtt = sum(1 for m in members if results[(m.id, "LDTT")].eligible)
        fighters = [m for m in members if results[(m.id, "CSTDCS")].eligible]
        limit = _quota(ldtt, pct, rounding)
        if len(fighters) <= limit:
            continue
        text = (
            f"Đơn vị {unit}: {format_number(len(fighters))} người đạt tiêu chuẩn Chiến sĩ thi đua cơ sở "
            f"năm {year}, vượt tỷ lệ {format_percent(pct)} của {format_number(ldtt)} người đạt Lao động "
            f"tiên tiến (tối đa {format_number(limit)} người) — {rules.article('CSTDCS.quota')}."
        )
        warnings.append(UnitWarning(code="CSTDCS", year=year, unit=unit, text=text))
        for m in fighters:
            results[(m.id, "CSTDCS")] = _with_note(results[(m.id, "CSTDCS")], f"Lưu ý: {text}")
    return warnings


def _co_cp_ceiling(
    collectives: Sequence[CollectiveHistory], results: dict[tuple[str, str], Eligibility], *, year: int,
    rules: RuleSet, leading: set[str],
) -> list[UnitWarning]:  # fmt: skip
    pct = rules["co_cp.max_pct_of_leaders"]
    eligible = [c for c in collectives if results[(c.id, "CO_CP")].eligible]
    limit = max(_quota(len(leading), pct, "floor"), rules["co_cp.ceiling_min"]) if leading else 0
    if len(eligible) <= limit:
        return []
    text = (
        f"Năm {year}: {format_number(len(eligible))} tập thể đạt điều kiện Cờ thi đua của Chính phủ, vượt "
        f"tỷ lệ {format_percent(pct)} của {format_number(len(leading))} đơn vị dẫn đầu cụm, khối "
        f"(tối đa {format_number(limit)}) — {rules.article('CO_CP')}."
    )
    for c in eligible:
        results[(c.id, "CO_CP")] = _with_note(results[(c.id, "CO_CP")], f"Lưu ý: {text}")
    return [UnitWarning(code="CO_CP", year=year, unit="", text=text)]


def history_assess(
    *, history: History, year: int, rules: RuleSet | None = None, table: tuple[RuleSet, ...] = RULE_SETS,
    leading_units: Iterable[tuple[str, int]] = (),
) -> Assessment:  # fmt: skip
    """Every person × individual code and every collective × collective code for year `year`.

    `rules`: the rule set to apply (default: the one of `table` in force for `year`);
    `leading_units`: (collective id, year) pairs the conferences acclaimed, besides those the
    history's collectives carry in `leading_unit`.
    """
    rules = rules or rule_set_for(year=year, table=table)
    leading_units = set(leading_units)
    results: dict[tuple[str, str], Eligibility] = {}
    for person in history.people:
        for result in person_assess(person=person, year=year, rules=rules):
            results[(person.id, result.code)] = result
    for collective in history.collectives:
        for result in collective_assess(
            collective=collective, history=history, year=year, rules=rules, leading_units=leading_units
        ):
            results[(collective.id, result.code)] = result
    warnings = _cstdcs_quota(history.people, results, year=year, rules=rules)
    leading = {c.id for c in history.collectives if year in c.leading_unit} | {
        cid for cid, y in leading_units if y == year
    }
    warnings += _co_cp_ceiling(history.collectives, results, year=year, rules=rules, leading=leading)
    ordered = [results[(p.id, code)] for p in history.people for code in PERSON_CODES]
    ordered += [results[(c.id, code)] for c in history.collectives for code in COLLECTIVE_CODES]
    return Assessment(year=year, rule_set=rules, results=tuple(ordered), warnings=tuple(warnings))
