"""Worked history files. Units P-A and P-B are those of the `world` fixture (tests/conftest.py).

WORKED, assessed for 2025 (Nghị định 152/2025/NĐ-CP) — what each person shows:

NV001 Nguyễn Văn An      BK_TINH 2019, HTT+ 2020–2025, CSTDCS 2021, 2023 + HTXS 2025 → BK_TTG yes;
                         CSTDCS 2024 recorded + 2025 standard → BK_TINH yes (cách 1).
NV002 Trần Thị Bình      BK_TINH 2018, HT in 2022 breaks the run → BK_TTG no (2023–2025 only).
NV003 Lê Văn Cường       HTT 2025, its 2025 initiative already used for a Bằng khen → CSTDCS no.
NV004 Phạm Thị Dung      hired 15/08/2025 → LDTT no (under six months).
NV005 Hoàng Văn Em       khiển trách in 2025 → LDTT no; LDTT 2024 yes.
NV006 Đỗ Thị Phương      BK_TTG 2019, HTT 2020–2024, HTXS 2025, CSTDCS 2021, 2023 → HCLD3 yes;
                         no BK_TINH of her own is needed for it.
NV007 Vũ Văn Giang       P-B, Phòng Kế toán (TT02); CSTDCS 2023, 2024 + HTXS 2025 and a provincial
                         initiative of 2024 → CSTD_TINH yes.
TT01 (whole P-A)         HTXS 2025, acclaimed leading unit 2025 → CO_TINH, CO_CP yes; 4/6 members
                         at LDTT (66,67 %) → TTLDTT yes, TTLDXS no (under 70 %).
TT02 (Phòng Kế toán, P-B) one member, NV007 → TTLDTT yes.

Assessed for 2022 (the old regime, Nghị định 91/2017/NĐ-CP): NV001 LDTT yes; NV002 LDTT no (HT).
"""

WORKED = """\
format: thidua-history/1
people:
  - id: NV001
    name: Nguyễn Văn An
    unit: P-A
    hired: 2010-03-01
    birth_year: 1980
    position: Chuyên viên
    direct_worker: false
    ratings: {2019: HTT, 2020: HTT, 2021: HTXS, 2022: HTT, 2023: HTXS, 2024: HTXS, 2025: HTXS}
    titles:
      - {year: 2021, code: CSTDCS, decision: 15/QĐ-UBND}
      - {year: 2023, code: CSTDCS}
      - {year: 2024, code: CSTDCS}
    awards:
      - {year: 2019, code: BK_TINH, decision: 123/QĐ-UBND, decision_date: 2020-01-20, authority: Chủ tịch UBND tỉnh}
  - id: NV002
    name: Trần Thị Bình
    unit: P-A
    hired: 01/09/2012
    ratings: {2018: HTT, 2019: HTT, 2020: HTT, 2021: HTT, 2022: HT, 2023: HTT, 2024: HTT, 2025: HTXS}
    titles: [{year: 2023, code: CSTDCS}, {year: 2024, code: CSTDCS}, {year: 2020, code: CSTDCS}]
    awards: [{year: 2018, code: BK_TINH, decision: 45/QĐ-UBND}]
  - id: NV003
    name: Lê Văn Cường
    unit: P-A
    hired: 2015-05-10
    ratings: {2024: HTT, 2025: HTT}
    initiatives:
      - {id: SK-03, year: 2025, scope: co_so, used_by: BK_TINH, recognised_by: Hội đồng sáng kiến cơ sở}
  - id: NV004
    name: Phạm Thị Dung
    unit: P-A
    hired: 2025-08-15
    ratings: {2025: HTXS}
  - id: NV005
    name: Hoàng Văn Em
    unit: P-A
    hired: 2016-01-04
    direct_worker: true
    ratings: {2024: HTT, 2025: HTT}
    discipline: [{year: 2025, level: khien_trach}]
  - id: NV006
    name: Đỗ Thị Phương
    unit: P-A
    hired: 2008-08-01
    ratings: {2020: HTT, 2021: HTT, 2022: HTT, 2023: HTT, 2024: HTT, 2025: HTXS}
    titles: [{year: 2021, code: CSTDCS}, {year: 2023, code: CSTDCS}]
    awards: [{year: 2019, code: BK_TTG, decision: 789/QĐ-TTg}]
  - id: NV007
    name: Vũ Văn Giang
    unit: P-B
    collective: TT02
    hired: 2011-02-01
    ratings: {2023: HTT, 2024: HTT, 2025: HTXS}
    titles: [{year: 2023, code: CSTDCS}, {year: 2024, code: CSTDCS}]
    initiatives: [{id: SK-07, year: 2024, scope: tinh, used_by: null}]
collectives:
  - id: TT01
    name: UBND huyện Ánh Dương
    unit: P-A
    ratings: {2024: HTT, 2025: HTXS}
    titles: [{year: 2024, code: TTLDTT}]
    leading_unit: [2025]
  - id: TT02
    name: Phòng Kế toán Bình Minh
    unit: P-B
    part_of: Phòng Kế toán
    ratings: {2025: HTT}
"""

EXPECTED_2025 = {
    ("NV001", "BK_TTG"): True, ("NV001", "BK_TINH"): True, ("NV001", "CSTDCS"): True,
    ("NV002", "BK_TTG"): False, ("NV002", "LDTT"): True,
    ("NV003", "LDTT"): True, ("NV003", "CSTDCS"): False,
    ("NV004", "LDTT"): False, ("NV004", "CSTDCS"): False,
    ("NV005", "LDTT"): False,
    ("NV006", "HCLD3"): True, ("NV006", "BK_TTG"): False,
    ("NV007", "CSTD_TINH"): True,
    ("TT01", "TTLDTT"): True, ("TT01", "TTLDXS"): False, ("TT01", "CO_TINH"): True, ("TT01", "CO_CP"): True,
    ("TT02", "TTLDTT"): True,
}  # fmt: skip
