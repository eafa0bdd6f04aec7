"""Award statistics: counts per form, level and year; shares to direct workers and small
collectives, per year, unit and cluster; the page within the user's scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.awards.test_views import histories  # noqa: F401  (fixture)
from thidua.awards import statistics as stats
from thidua.awards.codes import COLLECTIVE, PERSON
from thidua.awards.statistics import GrantFact
from thidua.lib.collation import vi_sort_key


def person(code: str, year: int, unit: str = "A", *, direct: bool = False, groups=("G1",)) -> GrantFact:
    return GrantFact(code=code, year=year, subject=PERSON, unit=unit, unit_name=f"Huyện {unit}", groups=groups,
                     direct_worker=direct)  # fmt: skip


def collective(code: str, year: int, unit: str = "A", *, small: bool = False, groups=("G1",)) -> GrantFact:
    return GrantFact(code=code, year=year, subject=COLLECTIVE, unit=unit, unit_name=f"Huyện {unit}", groups=groups,
                     small_collective=small)  # fmt: skip


#: Kiên Giang-like 2017 (illustrative numbers): 8 individual awards, 1 to a direct worker (12,5 %);
#: 3 collective awards, 2 to small collectives (66,67 %).
FACTS_2017 = [
    *[person("GIAY_KHEN", 2017) for _ in range(4)], person("GIAY_KHEN", 2017, direct=True),
    person("BK_TINH", 2017, "B"), person("BK_TINH", 2017, "B"), person("CSTDCS", 2017, "B"),
    collective("GIAY_KHEN", 2017, small=True), collective("BK_TINH", 2017, "B", small=True),
    collective("CO_TINH", 2017, "B"),
]  # fmt: skip


def test_a_share_is_a_decimal_percentage_rounded_half_up_and_none_of_nothing():
    assert stats.share(1, 8) == Decimal("12.50")
    assert stats.share(2, 3) == Decimal("66.67")
    assert stats.share(1, 6) == Decimal("16.67")
    assert stats.share(0, 5) == Decimal("0.00")
    assert stats.share(0, 0) is None


def test_shares_count_direct_workers_among_individuals_and_small_collectives_among_collectives():
    total = stats.share_total(FACTS_2017)
    assert (total.people, total.direct, total.direct_pct) == (8, 1, Decimal("12.50"))
    assert (total.collectives, total.small, total.small_pct) == (3, 2, Decimal("66.67"))
    assert total.total == 11


def test_shares_per_unit_and_per_group():
    by_unit = {row.key: row for row in stats.shares_by_unit(FACTS_2017)}
    assert (by_unit["A"].people, by_unit["A"].direct_pct, by_unit["A"].small_pct) == (5, Decimal("20.00"), Decimal("100.00"))
    assert (by_unit["B"].people, by_unit["B"].direct_pct, by_unit["B"].small_pct) == (3, Decimal("0.00"), Decimal("50.00"))
    facts = [person("LDTT", 2017, groups=("G1", "K2")), person("LDTT", 2017, "C", direct=True, groups=())]
    by_group = {row.key: row for row in stats.shares_by_group(facts, names={"G1": "Cụm 1", "K2": "Khối 2"})}
    assert set(by_group) == {"G1", "K2"}  # a unit in no group that year is left out
    assert by_group["K2"].label == "Khối 2" and by_group["K2"].people == 1


def test_counts_per_form_and_level_per_year():
    facts = [*FACTS_2017, person("BK_TTG", 2018), person("HCLD3", 2018), person("GIAY_KHEN", 2018)]
    table = stats.counts_by_form(facts)
    assert table.years == (2017, 2018)
    forms = {row.key: row for row in table.forms}
    assert forms["GIAY_KHEN"].counts == (6, 1) and forms["GIAY_KHEN"].total == 7
    assert forms["BK_TTG"].level == stats.CHINH_PHU and forms["HCLD3"].level == stats.NHA_NUOC
    levels = {row.key: row.counts for row in table.levels}
    assert levels == {stats.CO_SO: (7, 1), stats.TINH: (4, 0), stats.CHINH_PHU: (0, 1), stats.NHA_NUOC: (0, 1)}
    assert table.totals == (11, 3) and table.total == 14
    assert [row.key for row in table.forms][:2] == ["CSTDCS", "GIAY_KHEN"]  # grassroots first, catalogue order


def test_the_deciding_level_of_forms():
    assert stats.level_of("LDTT") == stats.CO_SO
    assert stats.level_of("TTLDXS") == stats.TINH  # the minister or provincial chair (LEGAL.md §8)
    assert stats.level_of("CO_CP") == stats.CHINH_PHU
    assert stats.level_of("BMVNAH") == stats.NHA_NUOC
    assert stats.level_of("HCKC1") == stats.NHA_NUOC  # an order not in the table: the State President's


def test_only_forms_of_commendation_or_only_titles():
    assert {f.code for f in stats.facts_of_kind(FACTS_2017, stats.AWARDS)} == {"GIAY_KHEN", "BK_TINH"}
    assert {f.code for f in stats.facts_of_kind(FACTS_2017, stats.TITLES)} == {"CSTDCS", "CO_TINH"}
    assert len(stats.facts_of_kind(FACTS_2017, stats.ALL)) == len(FACTS_2017)


def test_units_are_listed_in_vietnamese_order():
    facts = [person("LDTT", 2017, "X"), person("LDTT", 2017, "Y")]
    facts = [GrantFact(**{**f.__dict__, "unit_name": name}) for f, name in zip(facts, ["Tân Hiệp", "Châu Thành"], strict=True)]
    assert [row.label for row in stats.shares_by_unit(facts, sort_key=vi_sort_key)] == ["Châu Thành", "Tân Hiệp"]


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans()), max_size=40))
def test_shares_add_up_and_stay_within_bounds(rows):
    facts = [
        person("LDTT", 2020, direct=flag) if is_person else collective("TTLDTT", 2020, small=flag)
        for is_person, flag, _ in rows
    ]
    total = stats.share_total(facts)
    assert total.people + total.collectives == total.total == len(facts)
    for pct in (total.direct_pct, total.small_pct):
        assert pct is None or Decimal(0) <= pct <= Decimal(100)


# --- The page --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_counts_only_the_users_units(client, histories):  # noqa: F811
    client.force_login(histories.officer_a)
    page = client.get(reverse("awards_statistics") + "?nam=2024")
    assert page.status_code == 200
    forms = page.context["forms"]
    bk = next(row for row in forms.forms if row.key == "BK_TINH")
    assert bk.total == 2  # NV001 2019 and NV002 2018 of unit A; nobody of B or Q-C
    units = [row.label for row in page.context["by_unit"]]
    assert units == ["Huyện Ánh Dương"]
    html = page.content.decode()
    assert "Vũ Văn Giang" not in html


@pytest.mark.django_db
def test_the_page_shows_shares_in_vietnamese_figures(client, histories):  # noqa: F811
    client.force_login(histories.board_p)
    page = client.get(reverse("awards_statistics") + "?nam=2024&loai=danh-hieu")
    by_unit = {row.key: row for row in page.context["by_unit"]}
    # 2024 titles in P: A — NV001 CSTDCS, NV002 CSTDCS, TT01 TTLDTT; B — NV007 CSTDCS
    assert (by_unit["P-A"].people, by_unit["P-A"].collectives, by_unit["P-B"].people) == (2, 1, 1)
    assert by_unit["P-A"].direct_pct == Decimal("0.00") and by_unit["P-A"].small_pct == Decimal("0.00")
    groups = {row.key: row for row in page.context["by_group"]}
    assert groups["G1"].total == 4  # A and B were members of G1 in 2024
    assert groups["G1"].label == "Cụm thi đua số 1 (G1)"  # several provinces have a «Cụm thi đua số 1»
    html = page.content.decode()
    row_a = html[html.index('data-key="P-A"', html.index('id="shares-unit"')) :]
    row_a = row_a[: row_a.index("</tr>")]
    assert '<td class="num">0%</td>' in row_a
    row_b = html[html.index('data-key="P-B"', html.index('id="shares-unit"')) :]
    assert '<td class="num">–</td>' in row_b[: row_b.index("</tr>")]  # no collective award in B: no share, not 0 %
