"""The demo conference of Kiên Giang emulation cluster no. 2 (seed 003): the 2017 summary on
24/01/2018 acclaimed Giồng Riềng, proposed awards within the quotas and handed 2018 to Châu Thành
(leader) and Hòn Đất (deputy). Loaded by `thidua demo` through the conference services
(thidua/demo/conference.py, conference.yaml) and checked against shared/data/seed_facts.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from thidua.audit.models import AuditEvent
from thidua.conference.models import AwardProposal, Ballot
from thidua.covenants.models import Covenant, CovenantStatus
from thidua.org.models import FlagHandover, GroupYear
from thidua.org.selectors import group_year_card

SEED_FACTS = Path(__file__).resolve().parents[3] / "shared" / "data" / "seed_facts.yaml"


@pytest.fixture
def demo(db):
    call_command("demo", stdout=open("/dev/null", "w"))


@pytest.fixture
def kien_giang_facts() -> dict:
    if not SEED_FACTS.exists():
        pytest.skip(f"{SEED_FACTS} is not available in this checkout")
    facts = yaml.safe_load(SEED_FACTS.read_text(encoding="utf-8"))
    return next(c for c in facts["clusters"] if c["source"].startswith("003_"))


def kg(year: int) -> GroupYear:
    return GroupYear.objects.get(group__code="KG-CTD2", year=year)


def criteria_codes(group_year: GroupYear) -> list[str]:
    covenant = Covenant.objects.get(group_year=group_year)
    return list(covenant.criteria.order_by("content__order", "order").values_list("code", flat=True))


def test_2018_has_the_leader_and_deputy_the_article_names(demo, kien_giang_facts):
    card = group_year_card(kg(2018))
    assert card.leader.label == kien_giang_facts["leader"][2018] == "Châu Thành"
    assert [u.label for u in card.deputies] == kien_giang_facts["deputies"][2018] == ["Hòn Đất"]
    named = [(m.unit.label, m.unit.name) for m in card.members]  # the article says "Thành phố Rạch Giá"
    assert len(named) == len(kien_giang_facts["members"])
    assert all(any(fact in names for names in named) for fact in kien_giang_facts["members"])


def test_2018_gets_a_draft_covenant_with_the_criteria_of_2017(demo):
    draft = Covenant.objects.get(group_year=kg(2018))
    assert draft.status == CovenantStatus.DRAFT
    assert criteria_codes(kg(2018)) == criteria_codes(kg(2017))
    assert len(criteria_codes(kg(2018))) > 0


def test_the_2017_proposals_are_the_provincial_flag_for_giong_rieng_and_a_merit_for_tan_hiep(demo, kien_giang_facts):
    proposals = [(p.get_form_display(), p.unit.short_name, p.rank, p.total, p.basis)
                 for p in AwardProposal.objects.filter(group_year=kg(2017)).select_related("unit").order_by("rank")]
    first, second = kien_giang_facts["ranking"]["results"][:2]
    assert [(form, unit) for form, unit, *_ in proposals] == [
        ("Cờ thi đua của Ủy ban nhân dân tỉnh", first["unit"]),  # Giồng Riềng, acclaimed leading unit
        ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", second["unit"]),  # Tân Hiệp: floor(30 % × 5) = 1
    ]
    assert [float(total) for *_, total, _ in proposals] == [first["points"], second["points"]] == [912.0, 911.43]
    assert proposals[0][4] == "Dẫn đầu cụm, được Hội nghị suy tôn; xếp thứ 1 với 912,00 điểm"
    assert proposals[1][4] == "Xếp thứ 2 với 911,43 điểm"


def test_the_cluster_has_no_flag_so_no_handover_is_recorded_and_the_demo_holds_no_ballots(demo):
    assert not FlagHandover.objects.filter(group_year__group__code="KG-CTD2").exists()
    assert not Ballot.objects.filter(group_year__group__code="KG-CTD2").exists()
    actions = set(AuditEvent.objects.filter(action__startswith="conference.").values_list("action", flat=True))
    assert actions == {"conference.proposals_built", "conference.rotated"}  # through the services


def test_loading_the_demo_twice_changes_nothing(demo):
    def state():
        return (AuditEvent.objects.count(), AwardProposal.objects.count(), Covenant.objects.count(),
                list(AwardProposal.objects.order_by("pk").values_list("pk", "unit__code", "form", "basis")))

    before = state()
    call_command("demo", stdout=open("/dev/null", "w"))
    assert state() == before


def test_only_the_cluster_organised_by_the_central_council_is_central(demo):
    from thidua.conference.proposals import award_forms_of, group_is_central
    from thidua.org.models import Group

    assert group_is_central(Group.objects.get(code="TW-TAYNAMBO"))  # organised by HDTDKT-TW
    assert award_forms_of(Group.objects.get(code="TW-TAYNAMBO")) == ("co_cp", "bk_ttg")
    assert [code for code in Group.objects.values_list("code", flat=True)
            if group_is_central(Group.objects.get(code=code))] == ["TW-TAYNAMBO"]
