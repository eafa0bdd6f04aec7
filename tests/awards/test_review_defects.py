"""Defects found in review of the award dossiers and history pages: bad input is a clear message
(never a 500), and a revoked award stays on record when a new decision is recorded for the same
year (Luật Thi đua, khen thưởng 2022, Chương VII; LEGAL.md §6.5)."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.awards.test_dossiers import MONDAY, make_person, walk_to_decision
from thidua.awards import dossiers as svc
from thidua.awards.models import Dossier, TitleOrAward

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def bk_tinh_dossier(world, external_id: str) -> Dossier:
    """A dossier proposing a person of unit A, CSTDCS in 2024 and 2025, for the province's Bằng khen of 2025."""
    person = make_person(world.a, external_id, ratings=[(2024, "HTT"), (2025, "HTXS")],
                         grants=[(2024, "CSTDCS"), (2025, "CSTDCS")])
    return svc.dossier_create(person=person, code="BK_TINH", year=2025, procedure="regular",
                              actor=world.officer_a, today=MONDAY)


@pytest.mark.parametrize("year", ["²", "²⁰²⁵"])
def test_a_year_of_superscript_digits_on_the_history_pages_falls_back_to_the_current_year(client, world, year):
    person = make_person(world.a, "NV21")
    client.force_login(world.officer_a)
    assert client.get(reverse("awards_person", args=[person.external_id]), {"nam": year}).status_code == 200
    assert client.get(reverse("awards_statistics"), {"nam": year}).status_code == 200


@pytest.mark.parametrize("year", ["²", "99999", "0", "1800"])
def test_a_new_dossier_with_an_impossible_year_is_refused_with_a_message(client, world, year):
    person = make_person(world.a, "NV22")
    client.force_login(world.officer_a)
    response = client.post(reverse("dossier_new"), {"subject": f"p:{person.pk}", "code": "LDTT", "year": year,
                                                    "procedure": "regular"})
    assert response.status_code == 400
    assert "không phải là năm" in response.content.decode() or "Năm thành tích" in response.content.decode()
    assert not Dossier.objects.filter(person=person).exists()


def test_the_service_refuses_an_impossible_year(world):
    person = make_person(world.a, "NV23")
    with pytest.raises(svc.DossierError, match="Năm thành tích"):
        svc.dossier_create(person=person, code="LDTT", year=40000, procedure="regular", actor=world.officer_a)


def test_a_new_decision_after_a_revocation_keeps_the_revoked_award_on_record(world):
    person = make_person(world.a, "NV24", ratings=[(2024, "HTT"), (2025, "HTXS")],
                         grants=[(2024, "CSTDCS"), (2025, "CSTDCS")])
    first = svc.dossier_create(person=person, code="BK_TINH", year=2025, procedure="regular",
                               actor=world.officer_a, today=MONDAY)
    walk_to_decision(world, first)
    decision = svc.dossier_decide(dossier=first, number="1/QĐ", date=dt.date(2026, 5, 4), actor=world.board_p)
    svc.award_revoke(grant=decision.grant, reason="Kê khai không trung thực", actor=world.board_p)
    second = svc.dossier_create(person=person, code="BK_TINH", year=2025, procedure="regular",
                                actor=world.officer_a, today=MONDAY)
    walk_to_decision(world, second)
    svc.dossier_decide(dossier=second, number="2/QĐ", date=dt.date(2026, 9, 1), actor=world.board_p)

    grants = TitleOrAward.objects.filter(person=person, code="BK_TINH", year=2025).order_by("pk")
    assert [(g.decision_number, g.revoke_reason) for g in grants] == [
        ("1/QĐ", "Kê khai không trung thực"), ("2/QĐ", "")]
    decision.refresh_from_db()
    assert decision.grant is not None and decision.grant.revoked_on is not None


def test_a_second_decision_for_an_award_not_revoked_is_still_refused(world):
    person = make_person(world.a, "NV25", ratings=[(2024, "HTT"), (2025, "HTXS")],
                         grants=[(2024, "CSTDCS"), (2025, "CSTDCS"), (2025, "BK_TINH")])
    dossier = svc.dossier_create(person=person, code="BK_TINH", year=2025, procedure="regular",
                                 actor=world.officer_a, today=MONDAY)
    walk_to_decision(world, dossier)
    with pytest.raises(svc.DossierError, match="Lịch sử đã ghi"):
        svc.dossier_decide(dossier=dossier, number="3/QĐ", date=dt.date(2026, 5, 4), actor=world.board_p)
    assert TitleOrAward.objects.filter(person=person, code="BK_TINH", year=2025).count() == 1


@pytest.mark.skipif("not __import__('django.db').db.connection.features.has_select_for_update",
                    reason="row locks: PostgreSQL only (SQLite serialises writers)")
@pytest.mark.django_db(transaction=True)
def test_two_officers_opening_the_same_dossier_at_once_make_one(transactional_db, world):
    """The check for a pending dossier of the same award and year waits for a transaction that is
    opening one (the nominee's row is locked), instead of reading past it."""
    import threading
    import time

    from django.db import connection, transaction

    person = make_person(world.a, "NV26")
    opened = threading.Event()
    outcome = {}

    def other_officer():
        try:
            with transaction.atomic():
                type(person).objects.select_for_update().get(pk=person.pk)
                outcome["first"] = svc.dossier_create(person=person, code="LDTT", year=2025, procedure="regular",
                                                      actor=world.officer_a)
                opened.set()
                time.sleep(0.5)  # still open while the second officer submits
        finally:
            opened.set()
            connection.close()

    thread = threading.Thread(target=other_officer)
    thread.start()
    opened.wait(5)
    with pytest.raises(svc.DossierError, match="đang xét"):
        svc.dossier_create(person=person, code="LDTT", year=2025, procedure="regular", actor=world.officer_a)
    thread.join()
    assert "first" in outcome
    assert Dossier.objects.filter(person=person, code="LDTT", year=2025).count() == 1


def test_a_consultation_started_from_a_page_read_before_is_not_started_twice(world):
    """Two Board officers open the dossier page; the second one's start finds it already started."""
    from tests.awards.test_dossiers import pdf
    from thidua.awards.models import DossierStep, StepAction

    dossier = bk_tinh_dossier(world, "NV27")
    for kind in ("to_trinh", "bao_cao_03"):
        svc.dossier_attach(dossier=dossier, kind=kind, upload=pdf(), actor=world.officer_a)
    svc.dossier_advance(dossier=dossier, actor=world.officer_a, today=MONDAY)
    read_before = Dossier.objects.get(pk=dossier.pk)
    svc.dossier_consultation(dossier=dossier, action="start", actor=world.board_p, today=MONDAY)
    with pytest.raises(svc.DossierError, match="Đã bắt đầu lấy ý kiến công khai"):
        svc.dossier_consultation(dossier=read_before, action="start", actor=world.board_p,
                                 today=dt.date(2026, 3, 4))
    assert Dossier.objects.get(pk=dossier.pk).consultation_from == MONDAY
    assert DossierStep.objects.filter(dossier=dossier, action=StepAction.CONSULTATION_START).count() == 1


@pytest.mark.parametrize("count", ["²", "9" * 5000])
def test_a_mothers_facts_with_a_count_that_is_no_number_are_refused_with_a_message(world, count):
    person = make_person(world.a, "NV28")
    dossier = svc.dossier_create(person=person, code="BMVNAH", year=2025, procedure="bmvnah",
                                 actor=world.officer_a, today=MONDAY)
    with pytest.raises(svc.DossierError, match="không phải là số nguyên không âm|quá lớn"):
        svc.dossier_record_facts(dossier=dossier, values={"children": count}, actor=world.officer_a)
    assert Dossier.objects.get(pk=dossier.pk).facts == {}


def test_revoking_a_lower_form_flags_a_later_award_already_decided_for_review(world):
    """LEGAL.md §6.5: a revoked prerequisite flags pending proposals *and later awards* for review."""
    from thidua.awards.models import DossierStatus

    decided = bk_tinh_dossier(world, "NV29")
    person = decided.person
    walk_to_decision(world, decided)
    svc.dossier_decide(dossier=decided, number="5/QĐ", date=dt.date(2026, 5, 4), actor=world.board_p)
    lower = TitleOrAward.objects.get(person=person, code="CSTDCS", year=2025)
    svc.award_revoke(grant=lower, reason="Hồ sơ giả mạo", actor=world.board_p)
    decided.refresh_from_db()
    assert decided.status == DossierStatus.DECIDED
    assert decided.flagged and "Hồ sơ giả mạo" in decided.flag_reason


def test_revoking_a_later_form_does_not_flag_an_earlier_award(world):
    decided = bk_tinh_dossier(world, "NV30")
    person = decided.person
    walk_to_decision(world, decided)
    svc.dossier_decide(dossier=decided, number="6/QĐ", date=dt.date(2026, 5, 4), actor=world.board_p)
    later = TitleOrAward.objects.create(person=person, code="LDTT", year=2026, decision_number="1/2026")
    svc.award_revoke(grant=later, reason="Nhầm năm", actor=world.board_p)
    decided.refresh_from_db()
    assert not decided.flagged


def test_a_council_member_of_another_year_does_not_act_on_a_unit_dossier(world):
    """A council member appointed for 2020 only is no member of the council that meets on 2025."""
    from tests.factories import RoleAssignmentFactory, UserFactory
    from thidua.awards.access import can_act
    from thidua.org.models import Role

    council_2020 = UserFactory(username="council_g1_2020")
    RoleAssignmentFactory(user=council_2020, role=Role.COUNCIL_MEMBER, group=world.g1, year=2020)
    person = make_person(world.a, "NV31")
    dossier = svc.dossier_create(person=person, code="LDTT", year=2025, procedure="regular",
                                 actor=world.officer_a, today=MONDAY)
    council_step = next(s for s in svc.steps_of(dossier) if s.role == Role.COUNCIL_MEMBER)
    assert can_act(world.council_g1, dossier, council_step)
    assert not can_act(council_2020, dossier, council_step)


@pytest.mark.parametrize("date, message", [
    (dt.date(2024, 12, 31), "trước năm thành tích 2025"),
    (dt.date(2026, 5, 5), "sau ngày hôm nay"),
])
def test_a_decision_dated_before_the_year_of_achievement_or_in_the_future_is_refused(world, date, message):
    dossier = bk_tinh_dossier(world, "NV32")
    person = dossier.person
    walk_to_decision(world, dossier)
    with pytest.raises(svc.DossierError, match=message):
        svc.dossier_decide(dossier=dossier, number="7/QĐ", date=date, actor=world.board_p, today=dt.date(2026, 5, 4))
    assert not TitleOrAward.objects.filter(person=person, code="BK_TINH").exists()


def test_ending_a_consultation_already_ended_says_so(world):
    from tests.awards.test_dossiers import pdf

    dossier = bk_tinh_dossier(world, "NV33")
    for kind in ("to_trinh", "bao_cao_03"):
        svc.dossier_attach(dossier=dossier, kind=kind, upload=pdf(), actor=world.officer_a)
    svc.dossier_advance(dossier=dossier, actor=world.officer_a, today=MONDAY)
    svc.dossier_consultation(dossier=dossier, action="start", actor=world.board_p, today=MONDAY)
    svc.dossier_consultation(dossier=dossier, action="end", actor=world.board_p, today=dossier.consultation_to)
    with pytest.raises(svc.DossierError, match="Đã kết thúc lấy ý kiến công khai"):
        svc.dossier_consultation(dossier=dossier, action="end", actor=world.board_p, today=dossier.consultation_to)
