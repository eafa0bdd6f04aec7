"""Award statistics the seed reports judge by (issue #7): how many titles and awards of each form
and level per year, and the share that went to direct workers (người lao động trực tiếp) and to
small collectives (tập thể nhỏ), per unit and per cluster or block.

Pure Python, no Django: `GrantFact`s in, tables out; thidua.awards.selectors.grant_facts reads the
facts from the database within a user's scope. Percentages are `Decimal`, rounded half-up to two
places (thidua.lib.numbers); a share of nothing is None, shown as a dash, never 0 %.

Why these figures: Luật Thi đua, khen thưởng 2022, Điều 5 khoản 2 gives priority to direct workers;
the Kiên Giang cluster 2 review of 2017 names "tỷ lệ khen thưởng cá nhân trực tiếp lao động sản
xuất, công tác còn thấp" as a weakness, and the Đồng Nai cluster 2 review of 2020 says units
"chú trọng khen thưởng cho các tập thể nhỏ, người lao động trực tiếp".

A small collective is a collective that is a part of a unit (a phòng, tổ, đội: `part_of` set), not
the whole unit; the level of a form is the level that decides it (LEGAL.md §8).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from thidua.awards.codes import AWARD, CODES, COLLECTIVE, PERSON, TITLE, code_name
from thidua.lib.numbers import round_half_up

CO_SO, TINH, CHINH_PHU, NHA_NUOC = "co_so", "tinh", "chinh_phu", "nha_nuoc"
LEVELS = (CO_SO, TINH, CHINH_PHU, NHA_NUOC)
LEVEL_NAMES = {
    CO_SO: "Cấp cơ sở",
    TINH: "Cấp bộ, ban, ngành, tỉnh",
    CHINH_PHU: "Thủ tướng Chính phủ",
    NHA_NUOC: "Chủ tịch nước",
}
#: The deciding level of each code (LEGAL.md §4, §8): grassroots titles and Giấy khen by the head of
#: the agency; provincial titles, Bằng khen and TTLĐXS by the minister or provincial chair; the Prime
#: Minister's; orders and state honorary titles by the State President.
LEVEL_OF = {
    "LDTT": CO_SO, "CSTDCS": CO_SO, "TTLDTT": CO_SO, "GIAY_KHEN": CO_SO,
    "CSTD_TINH": TINH, "TTLDXS": TINH, "CO_TINH": TINH, "BK_TINH": TINH,
    "CSTD_TQ": CHINH_PHU, "CO_CP": CHINH_PHU, "BK_TTG": CHINH_PHU,
    "HCLD3": NHA_NUOC, "HCLD2": NHA_NUOC, "HCLD1": NHA_NUOC, "HCDL3": NHA_NUOC, "HCDL2": NHA_NUOC,
    "HCDL1": NHA_NUOC, "HCHCM": NHA_NUOC, "HCSV": NHA_NUOC, "AHLD": NHA_NUOC, "BMVNAH": NHA_NUOC,
}  # fmt: skip
#: Orders (Huân chương), medals (Huy chương) and state honorary titles not listed above, e.g. those
#: for resistance merit, are the State President's.
_STATE_PREFIXES = ("HC", "HUYC", "AH", "BM")


def level_of(code: str) -> str:
    """The deciding level of a code; a code the table does not know is taken by its kind of form."""
    if code in LEVEL_OF:
        return LEVEL_OF[code]
    return NHA_NUOC if code.startswith(_STATE_PREFIXES) else CO_SO

ALL, AWARDS, TITLES = "tat-ca", "khen-thuong", "danh-hieu"
KIND_NAMES = {AWARDS: "Hình thức khen thưởng", TITLES: "Danh hiệu thi đua", ALL: "Danh hiệu và hình thức khen thưởng"}


@dataclass(frozen=True, kw_only=True)
class GrantFact:
    """One title or award as the statistics count it."""

    code: str
    year: int
    subject: str  # PERSON | COLLECTIVE
    unit: str  # the unit code it was recorded with
    unit_name: str = ""
    groups: tuple[str, ...] = ()  # codes of the clusters/blocks the unit was a member of that year
    direct_worker: bool = False  # people only
    small_collective: bool = False  # collectives only: a part of a unit


def facts_of_kind(facts: Iterable[GrantFact], kind: str) -> list[GrantFact]:
    """Only forms of commendation (`khen-thuong`), only emulation titles (`danh-hieu`), or all."""
    wanted = {AWARDS: AWARD, TITLES: TITLE}.get(kind)
    return [f for f in facts if wanted is None or CODES[f.code].kind == wanted]


def share(part: int, whole: int) -> Decimal | None:
    """`part` as a percentage of `whole`, half-up to two places; None when there is no whole."""
    if whole == 0:
        return None
    return round_half_up(Decimal(part) * 100 / Decimal(whole))


# --- Per form and level, per year -----------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    key: str  # a code, or a level
    label: str
    level: str
    counts: tuple[int, ...]  # one per year of the table
    total: int


@dataclass(frozen=True)
class FormTable:
    years: tuple[int, ...]
    forms: tuple[CountRow, ...]  # forms that occur, by level then the catalogue's order
    levels: tuple[CountRow, ...]  # the four levels (those that occur)
    totals: tuple[int, ...]
    total: int


def counts_by_form(facts: Sequence[GrantFact]) -> FormTable:
    """How many of each form, and of each level, per year."""
    years = tuple(sorted({f.year for f in facts}))
    per_code: dict[str, Counter] = defaultdict(Counter)
    for f in facts:
        per_code[f.code][f.year] += 1
    order = list(CODES)
    codes_seen = sorted(per_code, key=lambda c: (LEVELS.index(level_of(c)), order.index(c) if c in order else len(order), c))
    forms = tuple(
        CountRow(key=c, label=code_name(c), level=level_of(c), counts=tuple(per_code[c][y] for y in years),
                 total=sum(per_code[c].values()))
        for c in codes_seen
    )  # fmt: skip
    levels = []
    for level in LEVELS:
        rows = [r for r in forms if r.level == level]
        if rows:
            counts = tuple(sum(r.counts[i] for r in rows) for i in range(len(years)))
            levels.append(CountRow(key=level, label=LEVEL_NAMES[level], level=level, counts=counts, total=sum(counts)))
    totals = tuple(sum(1 for f in facts if f.year == y) for y in years)
    return FormTable(years=years, forms=forms, levels=tuple(levels), totals=totals, total=len(facts))


# --- Shares: direct workers and small collectives -------------------------------------------------


@dataclass(frozen=True)
class ShareRow:
    key: str
    label: str
    people: int  # titles/awards to individuals
    direct: int  # of which to direct workers
    direct_pct: Decimal | None
    collectives: int  # titles/awards to collectives
    small: int  # of which to small collectives
    small_pct: Decimal | None
    total: int


def _share_row(key: str, label: str, facts: Sequence[GrantFact]) -> ShareRow:
    people = [f for f in facts if f.subject == PERSON]
    collectives = [f for f in facts if f.subject == COLLECTIVE]
    direct = sum(1 for f in people if f.direct_worker)
    small = sum(1 for f in collectives if f.small_collective)
    return ShareRow(
        key=key, label=label, people=len(people), direct=direct, direct_pct=share(direct, len(people)),
        collectives=len(collectives), small=small, small_pct=share(small, len(collectives)), total=len(facts),
    )  # fmt: skip


def _shares(
    facts: Sequence[GrantFact], keys_of: Callable[[GrantFact], Iterable[tuple[str, str]]], sort_key
) -> list[ShareRow]:
    buckets: dict[str, list[GrantFact]] = defaultdict(list)
    labels: dict[str, str] = {}
    for f in facts:
        for key, label in keys_of(f):
            buckets[key].append(f)
            labels.setdefault(key, label)
    return [_share_row(k, labels[k], buckets[k]) for k in sorted(buckets, key=lambda k: sort_key(k, labels[k]))]


def shares_by_year(facts: Sequence[GrantFact]) -> list[ShareRow]:
    return _shares(facts, lambda f: [(str(f.year), str(f.year))], lambda k, _label: k)


def shares_by_unit(facts: Sequence[GrantFact], *, sort_key=lambda label: label) -> list[ShareRow]:
    """Per unit as recorded (the unit of that year), units in the order of `sort_key(name)`."""
    return _shares(facts, lambda f: [(f.unit, f.unit_name or f.unit)], lambda _k, label: sort_key(label))


def shares_by_group(facts: Sequence[GrantFact], *, names: dict[str, str], sort_key=lambda label: label) -> list[ShareRow]:
    """Per cluster or block the unit was a member of in the grant's year; a unit in none is left out."""
    return _shares(facts, lambda f: [(g, names.get(g, g)) for g in f.groups], lambda _k, label: sort_key(label))


def share_total(facts: Sequence[GrantFact], *, label: str = "Tổng cộng") -> ShareRow:
    return _share_row("", label, facts)
