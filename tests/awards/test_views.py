"""Award history pages: who sees whose history, the eligibility shown with its reasons, the list in
Vietnamese order with the units' lineage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.awards.histories import WORKED
from tests.factories import UnitFactory
from thidua.awards.historyfile import history_read
from thidua.awards.services import history_import
from thidua.org.models import LineageEvent, UnitLineage

pytestmark = pytest.mark.django_db

#: People beyond the worked file: one of province Q (unit Q-C), one recorded at a district merged
#: into P-A on 01/07/2025, one whose only gap to BK_TTG is the lower form (ND 152/2025 Art. 4).
MORE = """\
format: thidua-history/1
people:
  - {id: NV900, name: Cao Thị Quế, unit: Q-C, ratings: {2025: HTT}}
  - {id: NV800, name: Bùi Văn Sáp, unit: P-OLD, hired: 2000-01-01, ratings: {2024: HTXS}}
  - id: NV010
    name: Mai Văn Mười
    unit: P-A
    hired: 2000-01-01
    ratings: {2021: HTT, 2022: HTT, 2023: HTT, 2024: HTT, 2025: HTT}
    titles: [{year: 2021, code: CSTDCS}, {year: 2022, code: CSTDCS}, {year: 2023, code: CSTDCS}]
"""


@pytest.fixture
def histories(world):
    old = UnitFactory(code="P-OLD", name="Huyện Sáp Nhập", parent=world.p, valid_to=dt.date(2025, 6, 30))
    UnitLineage.objects.create(predecessor=old, successor=world.a, event=LineageEvent.MERGE, effective_on=dt.date(2025, 7, 1))
    for name, text in (("worked.yaml", WORKED), ("more.yaml", MORE)):
        history_import(history=history_read(text=text, filename=name), filename=name)
    world.old = old
    return world


def person_page(client, user, person: str, year: int | None = 2025):
    client.force_login(user)
    url = reverse("awards_person", args=(person,)) + (f"?nam={year}" if year else "")
    return client.get(url)


def row_of(page, code: str) -> str:
    """The text of one award code's row in the eligibility table."""
    html = page.content.decode()
    start = html.index(f'id="code-{code}"')
    return html[start : html.index("</tr>", start)]


def test_a_unit_officer_sees_a_person_of_their_unit_with_each_award_and_why(client, histories):
    page = person_page(client, histories.officer_a, "NV001")
    assert page.status_code == 200
    bk_ttg = row_of(page, "BK_TTG")
    assert "Đạt" in bk_ttg and "Không đạt" not in bk_ttg
    assert "Điều 73" in bk_ttg  # the reason cites the article
    html = page.content.decode()
    assert "Nghị định 152/2025" in html[html.index('id="basis"') :][:300]
    assert "123/QĐ-UBND" in html and "20/01/2020" in html and "Chủ tịch UBND tỉnh" in html
    grants = html[html.index('id="grants"') :]
    assert grants.index("2019") < grants.index("2021") < grants.index("2024")  # titles and awards by year


def test_a_no_names_the_missing_condition_and_its_years(client, histories):
    page = person_page(client, histories.officer_a, "NV004")
    ldtt = row_of(page, "LDTT")
    assert "Không đạt" in ldtt
    assert "15/08/2025" in ldtt  # hired under six months before the end of the year


def test_a_person_missing_only_the_lower_form_may_be_proposed_by_override(client, histories):
    bk_ttg = row_of(person_page(client, histories.officer_a, "NV010"), "BK_TTG")
    assert "Không đạt" in bk_ttg
    assert "Có thể đề nghị ngoại lệ" in bk_ttg


def test_the_assessment_year_is_chosen_and_an_old_year_uses_the_old_regime(client, histories):
    page = person_page(client, histories.officer_a, "NV002", year=2022)
    html = page.content.decode()
    assert "Nghị định 91/2017" in html[html.index('id="basis"') :][:300]
    assert "Không đạt" in row_of(page, "LDTT")  # rated HT in 2022


def test_initiatives_show_their_scope_and_the_award_that_used_them(client, histories):
    html = person_page(client, histories.officer_a, "NV003").content.decode()
    section = html[html.index('id="initiatives"') :]
    assert "SK-03" in section and "cấp cơ sở" in section and "Bằng khen cấp bộ, ban, ngành, tỉnh" in section


@pytest.mark.parametrize(
    ("actor", "person"),
    [("officer_a", "NV007"), ("officer_a", "NV900"), ("officer_b", "NV001"), ("board_p", "NV900"),
     ("outsider", "NV001"), ("reader_g1", "NV900"), ("reader_g1", "NV001")],  # readers read no people's records
)  # fmt: skip
def test_a_person_outside_the_users_units_is_not_found(client, histories, actor, person):
    assert person_page(client, getattr(histories, actor), person).status_code == 404


@pytest.mark.parametrize(("actor", "person"), [("officer_b", "NV007"), ("board_p", "NV001"), ("board_p", "NV007"),
                                               ("national_board", "NV900"), ("head_a", "NV006")])
def test_a_person_inside_the_users_units_is_shown(client, histories, actor, person):
    assert person_page(client, getattr(histories, actor), person).status_code == 200


def test_a_person_of_a_merged_unit_is_in_the_successors_scope_and_list(client, histories):
    assert person_page(client, histories.officer_a, "NV800").status_code == 200
    html = client.get(reverse("awards_list")).content.decode()
    section = html[html.index('id="unit-P-A"') :]
    assert "Bùi Văn Sáp" in section and "nay là" in section
    assert 'id="unit-P-OLD"' not in html  # listed under the successor, not the abolished unit


def test_the_list_holds_only_the_users_units_in_vietnamese_order(client, histories):
    client.force_login(histories.officer_a)
    html = client.get(reverse("awards_list")).content.decode()
    assert "Vũ Văn Giang" not in html and "Cao Thị Quế" not in html
    names = ["Bùi Văn Sáp", "Đỗ Thị Phương", "Hoàng Văn Em", "Lê Văn Cường", "Mai Văn Mười", "Nguyễn Văn An",
             "Phạm Thị Dung", "Trần Thị Bình"]  # fmt: skip
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)  # Đ after D and before H, not after Z


def test_the_list_search_ignores_tones(client, histories):
    client.force_login(histories.board_p)
    html = client.get(reverse("awards_list") + "?q=nguyen").content.decode()
    assert "Nguyễn Văn An" in html
    assert "Trần Thị Bình" not in html and "Vũ Văn Giang" not in html


def test_a_collective_page_shows_its_awards_and_members_are_out_of_other_units_reach(client, histories):
    client.force_login(histories.officer_a)
    page = client.get(reverse("awards_collective", args=("TT01",)) + "?nam=2025")
    assert page.status_code == 200
    assert "Không đạt" not in row_of(page, "CO_TINH")
    # NV010 of this file lifts the worked file's 4/6 members at LDTT to 5/7, past the 70 % line
    assert "5/7 thành viên (71,43%) đạt tiêu chuẩn Lao động tiên tiến năm 2025" in row_of(page, "TTLDXS")
    assert client.get(reverse("awards_collective", args=("TT02",))).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, histories):
    for url in (reverse("awards_list"), reverse("awards_person", args=("NV001",)), reverse("awards_statistics")):
        response = client.get(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_the_pages_read_as_many_queries_for_many_people_as_for_few(client, histories):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts() -> tuple[int, ...]:
        found = []
        for url in (reverse("awards_list"), reverse("awards_person", args=("NV001",)) + "?nam=2025",
                    reverse("awards_collective", args=("TT01",)) + "?nam=2025", reverse("awards_statistics")):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return tuple(found)

    client.force_login(histories.board_p)
    counts()  # the session's first save is not the pages' doing
    few = counts()
    many = "\n".join(
        f"  - {{id: X{n:03}, name: Người {n}, unit: P-A, direct_worker: {str(n % 2 == 0).lower()}, "
        f"ratings: {{2024: HTT, 2025: HTXS}}, titles: [{{year: 2025, code: LDTT}}], awards: [{{year: 2024, code: GIAY_KHEN}}]}}"
        for n in range(60)
    )  # fmt: skip
    history_import(history=history_read(text=f"format: thidua-history/1\npeople:\n{many}\n", filename="x.yaml"), filename="x.yaml")
    assert counts() == few  # no query per person, grant or unit


def test_a_unit_of_many_people_spreads_over_pages_in_order(client, histories):
    many = "\n".join(f"  - {{id: Y{n:03}, name: Người {n:03}, unit: P-B}}" for n in range(150))
    history_import(history=history_read(text=f"format: thidua-history/1\npeople:\n{many}\n", filename="y.yaml"), filename="y.yaml")
    client.force_login(histories.officer_b)
    first = client.get(reverse("awards_list")).content.decode()
    second = client.get(reverse("awards_list") + "?trang=2").content.decode()
    # P-B's collective TT02 first, then «Người 000…149» and NV007 Vũ Văn Giang (N before V), 100 a page
    assert "Người 098" in first and "Người 099" not in first and "Vũ Văn Giang" not in first
    assert "Người 099" in second and "Vũ Văn Giang" in second and "Người 098" not in second
    assert 'href="?trang=2"' in first
    assert 'id="unit-P-B"' in first and 'id="unit-P-B"' in second


def test_a_reader_lists_nobody_and_opens_no_statistics_of_people(client, histories):
    client.force_login(histories.reader_g1)
    assert "Chưa có cá nhân, tập thể nào trong phạm vi của bạn." in client.get(reverse("awards_list")).content.decode()
    page = client.get(reverse("awards_statistics"))
    assert page.context["forms"].total == 0
