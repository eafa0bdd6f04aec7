"""The vocabulary of award history: ratings, initiative scopes, discipline levels, award codes.

Pure Python, no Django: the history file reader, the eligibility engine and the models all take
their codes from here, so a code the file accepts is a code the database stores and the engine
knows (LEGAL.md §1, §4, §5; GLOSSARY.md). Codes are what files and JSON carry; every user sees the
Vietnamese name.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Annual task ratings (đánh giá, xếp loại hằng năm), best first ---------------------------------

HTXS = "HTXS"
HTT = "HTT"
HT = "HT"
KHT = "KHT"
RATINGS = (HTXS, HTT, HT, KHT)
RATING_RANK = {KHT: 0, HT: 1, HTT: 2, HTXS: 3}
RATING_NAMES = {
    HTXS: "Hoàn thành xuất sắc nhiệm vụ",
    HTT: "Hoàn thành tốt nhiệm vụ",
    HT: "Hoàn thành nhiệm vụ",
    KHT: "Không hoàn thành nhiệm vụ",
}


def rating_at_least(rating: str | None, minimum: str) -> bool:
    """True when `rating` is `minimum` or better (HTXS > HTT > HT > KHT); no rating is never enough."""
    return rating is not None and RATING_RANK[rating] >= RATING_RANK[minimum]


# --- Initiative scope (phạm vi ảnh hưởng của sáng kiến), narrowest first ---------------------------

CO_SO = "co_so"
TINH = "tinh"
TOAN_QUOC = "toan_quoc"
SCOPES = (CO_SO, TINH, TOAN_QUOC)
SCOPE_RANK = {CO_SO: 0, TINH: 1, TOAN_QUOC: 2}
SCOPE_NAMES = {CO_SO: "cấp cơ sở", TINH: "cấp bộ, ban, ngành, tỉnh", TOAN_QUOC: "toàn quốc"}


def scope_at_least(scope: str, minimum: str) -> bool:
    return SCOPE_RANK[scope] >= SCOPE_RANK[minimum]


# --- Discipline levels (hình thức kỷ luật), lightest first -----------------------------------------

KHIEN_TRACH = "khien_trach"
CANH_CAO = "canh_cao"
DISCIPLINE_LEVELS = (
    KHIEN_TRACH, CANH_CAO, "ha_bac_luong", "giang_chuc", "cach_chuc", "buoc_thoi_viec",
)  # fmt: skip
DISCIPLINE_RANK = {level: rank for rank, level in enumerate(DISCIPLINE_LEVELS)}
DISCIPLINE_NAMES = {
    KHIEN_TRACH: "khiển trách",
    CANH_CAO: "cảnh cáo",
    "ha_bac_luong": "hạ bậc lương",
    "giang_chuc": "giáng chức",
    "cach_chuc": "cách chức",
    "buoc_thoi_viec": "buộc thôi việc",
}


def discipline_at_least(level: str, minimum: str) -> bool:
    return DISCIPLINE_RANK[level] >= DISCIPLINE_RANK[minimum]


# --- Titles (danh hiệu thi đua) and forms of commendation (hình thức khen thưởng) ------------------

PERSON = "person"
COLLECTIVE = "collective"
TITLE = "title"  # danh hiệu thi đua: the `titles` list of the history file
AWARD = "award"  # hình thức khen thưởng: the `awards` list


@dataclass(frozen=True, slots=True)
class AwardCode:
    code: str
    name: str
    kind: str  # TITLE | AWARD
    subjects: tuple[str, ...]  # PERSON and/or COLLECTIVE


_BOTH = (PERSON, COLLECTIVE)
_CATALOGUE = (
    # Individual emulation titles (Luật Thi đua, khen thưởng 2022, Điều 21–24)
    AwardCode("LDTT", "Lao động tiên tiến", TITLE, (PERSON,)),
    AwardCode("CSTDCS", "Chiến sĩ thi đua cơ sở", TITLE, (PERSON,)),
    AwardCode("CSTD_TINH", "Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh", TITLE, (PERSON,)),
    AwardCode("CSTD_TQ", "Chiến sĩ thi đua toàn quốc", TITLE, (PERSON,)),
    # Collective emulation titles (Điều 25–28)
    AwardCode("TTLDTT", "Tập thể lao động tiên tiến", TITLE, (COLLECTIVE,)),
    AwardCode("TTLDXS", "Tập thể lao động xuất sắc", TITLE, (COLLECTIVE,)),
    AwardCode("CO_TINH", "Cờ thi đua cấp bộ, ban, ngành, tỉnh", TITLE, (COLLECTIVE,)),
    AwardCode("CO_CP", "Cờ thi đua của Chính phủ", TITLE, (COLLECTIVE,)),
    # Forms of commendation (Điều 9): certificates and orders, for individuals and collectives
    AwardCode("GIAY_KHEN", "Giấy khen", AWARD, _BOTH),
    AwardCode("BK_TINH", "Bằng khen cấp bộ, ban, ngành, tỉnh", AWARD, _BOTH),
    AwardCode("BK_TTG", "Bằng khen của Thủ tướng Chính phủ", AWARD, _BOTH),
    AwardCode("HCLD3", "Huân chương Lao động hạng Ba", AWARD, _BOTH),
    AwardCode("HCLD2", "Huân chương Lao động hạng Nhì", AWARD, _BOTH),
    AwardCode("HCLD1", "Huân chương Lao động hạng Nhất", AWARD, _BOTH),
    AwardCode("HCDL3", "Huân chương Độc lập hạng Ba", AWARD, _BOTH),
    AwardCode("HCDL2", "Huân chương Độc lập hạng Nhì", AWARD, _BOTH),
    AwardCode("HCDL1", "Huân chương Độc lập hạng Nhất", AWARD, _BOTH),
    AwardCode("HCHCM", "Huân chương Hồ Chí Minh", AWARD, _BOTH),
    AwardCode("HCSV", "Huân chương Sao vàng", AWARD, _BOTH),
    AwardCode("AHLD", "Anh hùng Lao động", AWARD, _BOTH),
    AwardCode("BMVNAH", "Bà mẹ Việt Nam Anh hùng", AWARD, (PERSON,)),
    # Commendation for resistance merit (khen thưởng thành tích kháng chiến; Luật Điều 8, Điều 9)
    AwardCode("HCKC1", "Huân chương Kháng chiến hạng Nhất", AWARD, _BOTH),
    AwardCode("HCKC2", "Huân chương Kháng chiến hạng Nhì", AWARD, _BOTH),
    AwardCode("HCKC3", "Huân chương Kháng chiến hạng Ba", AWARD, _BOTH),
    AwardCode("HUYCKC1", "Huy chương Kháng chiến hạng Nhất", AWARD, (PERSON,)),
    AwardCode("HUYCKC2", "Huy chương Kháng chiến hạng Nhì", AWARD, (PERSON,)),
)
CODES: dict[str, AwardCode] = {entry.code: entry for entry in _CATALOGUE}

#: What the eligibility engine answers for, in the order of `thidua eligibility` (issue #7).
PERSON_CODES = ("LDTT", "CSTDCS", "CSTD_TINH", "BK_TINH", "BK_TTG", "HCLD3")
COLLECTIVE_CODES = ("TTLDTT", "TTLDXS", "CO_TINH", "CO_CP")


def code_name(code: str) -> str:
    """The Vietnamese name of a code ("Bằng khen của Thủ tướng Chính phủ"), the code if unknown."""
    entry = CODES.get(code)
    return entry.name if entry else code


def codes_for(*, kind: str, subject: str) -> tuple[str, ...]:
    return tuple(c.code for c in _CATALOGUE if c.kind == kind and subject in c.subjects)
