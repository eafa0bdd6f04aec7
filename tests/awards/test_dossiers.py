"""Award dossiers through their configured steps (issue #7): documents, deadlines in working days,
returns with reasons, public consultation, the engine's standard route, decisions into the
history, revocation flagging what relied on it, the bulk proposal from a conference, and scope."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from thidua.audit.models import AuditEvent
from thidua.awards import dossiers as svc
from thidua.awards.access import dossiers_for
from thidua.awards.models import (
    AnnualRating,
    Collective,
    Dossier,
    DossierStatus,
    DossierStep,
    Person,
    TitleOrAward,
)
from thidua.awards.selectors import history_of
from thidua.awards.workflows import PROCEDURE_NAMES, WORKFLOW_SETS
from thidua.conference.models import AwardProposal

pytestmark = pytest.mark.django_db

TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
MONDAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="tai-lieu.pdf"):
    return SimpleUploadedFile(name, TINY_PDF, content_type="application/pdf")


def make_person(unit, id="NV01", *, ratings=(), grants=()):
    person = Person.objects.create(external_id=id, name=f"Nguyễn Văn {id}", unit=unit, hired_on=dt.date(2010, 1, 1))
    for year, rating in ratings:
        AnnualRating.objects.create(person=person, year=year, rating=rating)
    for year, code in grants:
        TitleOrAward.objects.create(person=person, year=year, code=code, decision_number=f"{year}/{code}")
    return person


@pytest.fixture
def nominee(world):
    """Eligible for Bằng khen tỉnh 2025 by the standard route: CSTĐCS in 2024 and 2025."""
    return make_person(world.a, ratings=[(2024, "HTT"), (2025, "HTXS")], grants=[(2024, "CSTDCS"), (2025, "CSTDCS")])


def actors(world):
    return {"unit_officer": world.officer_a, "group_leader_officer": world.leader_g1_2024,
            "board_officer": world.board_p, "council_member": world.council_g1}


def walk_to_decision(world, dossier, *, start=MONDAY):
    """Attach what each step needs, hold the consultation, and advance up to the deciding step."""
    day = start
    if dossier.code == "BMVNAH" and not dossier.facts:
        svc.dossier_record_facts(dossier=dossier, values={"children": "3", "martyr_children": "2"},
                                 actor=world.officer_a)
    while not svc.current_step(dossier).decides:
        step = svc.current_step(dossier)
        actor = actors(world)[step.role]
        for kind in svc.missing_documents(dossier):
            svc.dossier_attach(dossier=dossier, kind=kind, upload=pdf(f"{kind}.pdf"), actor=actor)
        if step.consultation_days(dossier.code) and not dossier.consultation_closed:
            if dossier.consultation_from is None:
                svc.dossier_consultation(dossier=dossier, action="start", actor=actor, today=day)
            day = dossier.consultation_to
            svc.dossier_consultation(dossier=dossier, action="end", actor=actor, today=day)
        svc.dossier_advance(dossier=dossier, actor=actor, today=day)
    return dossier


def test_a_new_dossier_is_due_in_working_days_across_tet(world, nominee):
    dossier = svc.dossier_create(person=nominee, code="BK_TINH", year=2025, procedure="regular",
                                 actor=world.officer_a, today=dt.date(2026, 2, 12))
    assert dossier.status == DossierStatus.DRAFT
    assert dossier.step == "don_vi"
    # 10 working days from Thursday 12/02/2026: Tết (16–20/02) and four weekends skipped.
    assert dossier.due_on == dt.date(2026, 3, 5)
    assert svc.days_left(dossier, today=dt.date(2026, 3, 6)) == -1


def test_a_missing_document_blocks_the_step_and_names_it(world, nominee):
    dossier = svc.dossier_create(person=nominee, code="BK_TINH", year=2025, procedure="regular",
                                 actor=world.officer_a, today=MONDAY)
    svc.dossier_attach(dossier=dossier, kind="to_trinh", upload=pdf(), actor=world.officer_a)
    with pytest.raises(svc.DossierError) as refused:
        svc.dossier_advance(dossier=dossier, actor=world.officer_a, today=MONDAY)
    assert "Còn thiếu: Báo cáo thành tích cá nhân (Mẫu 03)" in str(refused.value)
    assert "Tờ trình" not in str(refused.value)
    dossier.refresh_from_db()
    assert dossier.step == "don_vi"


def test_a_collective_needs_the_collective_report(world):
    collective = Collective.objects.create(external_id="TT-A", name="Huyện Ánh Dương", unit=world.a)
    dossier = svc.dossier_create(collective=collective, code="BK_TINH", year=2025, procedure="regular",
                                 actor=world.officer_a, today=MONDAY)
    assert svc.missing_documents(dossier) == ["to_trinh", "bao_cao_02"]


def test_the_regular_route_ends_with_the_award_in_the_history(world, nominee):
    dossier = svc.dossier_create(person=nominee, code="BK_TINH", year=2025, procedure="regular",
                                 actor=world.officer_a, today=MONDAY)
    walk_to_decision(world, dossier)
    keys = list(DossierStep.objects.filter(dossier=dossier, action="advance").values_list("to_step", flat=True))
    assert keys == ["ban", "hoi_dong", "quyet_dinh"]  # no cluster: the unit proposed directly
    decision = svc.dossier_decide(dossier=dossier, number="123/QĐ-UBND", date=dt.date(2026, 4, 10),
                                  actor=world.board_p)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DECIDED
    assert decision.authority == "Chủ tịch Ủy ban nhân dân tỉnh"
    person = history_of(people=Person.objects.filter(pk=nominee.pk)).people[0]
    assert ("BK_TINH", 2025, "123/QĐ-UBND") in {(g.code, g.year, g.decision) for g in person.awards}
    assert AuditEvent.objects.filter(action="dossier.decide", target_id=str(dossier.pk)).exists()


@pytest.mark.parametrize("procedure,code,steps", [
    ("adhoc", "GIAY_KHEN", ["don_vi", "ban", "quyet_dinh"]),
    ("simplified", "BK_TINH", ["don_vi", "quyet_dinh"]),
    ("bmvnah", "BMVNAH", ["don_vi", "ban", "hoi_dong", "trung_uong", "quyet_dinh"]),
    ("resistance", "HCKC3", ["don_vi", "ban", "trung_uong", "quyet_dinh"]),
])
def test_every_procedure_reaches_a_decision(world, nominee, procedure, code, steps):
    dossier = svc.dossier_create(person=nominee, code=code, year=2025, procedure=procedure,
                                 actor=world.officer_a, today=MONDAY)
    assert [s.key for s in svc.steps_of(dossier)] == steps
    walk_to_decision(world, dossier)
    svc.dossier_decide(dossier=dossier, number="9/QĐ", date=dt.date(2026, 5, 4), actor=world.board_p)
    assert TitleOrAward.objects.filter(person=nominee, code=code, year=2025, revoked_on=None).exists()


def test_bmvnah_is_decided_by_the_president_and_asks_for_the_martyr_papers(world, nominee):
    dossier = svc.dossier_create(person=nominee, code="BMVNAH", year=2025, procedure="bmvnah",
                                 actor=world.officer_a, today=MONDAY)
    assert "liet_si" in svc.missing_documents(dossier)
    walk_to_decision(world, dossier)
    decision = svc.dossier_decide(dossier=dossier, number="1/QĐ-CTN", date=dt.date(2026, 6, 1), actor=world.board_p)
    assert decision.authority == "Chủ tịch nước"


def test_a_procedure_for_other_codes_is_refused(world, nominee):
    with pytest.raises(svc.DossierError, match="chỉ dùng cho: Bà mẹ Việt Nam Anh hùng"):
        svc.dossier_create(person=nominee, code="BK_TINH", year=2025, procedure="bmvnah", actor=world.officer_a)


def test_a_return_needs_a_reason_and_goes_back_one_step(world, nominee):
    dossier = svc.dossier_create(person=nominee, code="BK_TINH", year=2025, procedure="regular",
                                 actor=world.officer_a, today=MONDAY)
    for kind in ("to_trinh", "bao_cao_03"):
        svc.dossier_attach(dossier=dossier, kind=kind, upload=pdf(), actor=world.officer_a)
    svc.dossier_advance(dossier=dossier, actor=world.officer_a, today=MONDAY)
    with pytest.raises(svc.DossierError, match="Cần ghi lý do trả lại"):
        svc.dossier_return(dossier=dossier, reason="  ", actor=world.board_p)
    svc.dossier_return(dossier=dossier, reason="Báo cáo thiếu số liệu năm 2024", actor=world.board_p,
                       today=dt.date(2026, 3, 4))
    dossier.refresh_from_db()
    assert (dossier.step, dossier.status) == ("don_vi", DossierStatus.RETURNED)
    assert dossier.due_on == dt.date(2026, 3, 18)
    assert dossier.steps.last().reason == "Báo cáo thiếu số liệu năm 2024"


def test_the_board_must_hold_the_consultation_before_moving_on(world, nominee):
    dossier = svc.dossier_create(person=nominee, code="BK_TINH", year=2025, procedure="regular",
                                 actor=world.officer_a, today=MONDAY)
    for kind in ("to_trinh", "bao_cao_03"):
        svc.dossier_attach(dossier=dossier, kind=kind, upload=pdf(), actor=world.officer_a)
    svc.dossier_advance(dossier=dossier, actor=world.officer_a, today=MONDAY)
    with pytest.raises(svc.DossierError, match="Cần lấy ý kiến công khai 5 ngày làm việc"):
        svc.dossier_advance(dossier=dossier, actor=world.board_p, today=MONDAY)
    svc.dossier_consultation(dossier=dossier, action="start", actor=world.board_p, today=MONDAY)
    assert dossier.consultation_to == dt.date(2026, 3, 9)
    with pytest.raises(svc.DossierError, match="Chưa hết thời gian lấy ý kiến công khai \\(đến ngày 09/03/2026\\)"):
        svc.dossier_consultation(dossier=dossier, action="end", actor=world.board_p, today=dt.date(2026, 3, 6))
    svc.dossier_consultation(dossier=dossier, action="end", actor=world.board_p, today=dt.date(2026, 3, 9))
    svc.dossier_advance(dossier=dossier, actor=world.board_p, today=dt.date(2026, 3, 9))
    assert dossier.step == "hoi_dong"


def test_the_standard_route_or_an_override_with_a_reason_is_needed_at_the_board(world):
    newcomer = make_person(world.a, "NV02", ratings=[(2025, "HTT")])
    dossier = svc.dossier_create(person=newcomer, code="BK_TINH", year=2025, procedure="regular",
                                 actor=world.officer_a, today=MONDAY)
    result = svc.dossier_eligibility(dossier)
    assert not result.eligible and any("Chiến sĩ thi đua cơ sở" in r for r in result.reasons)
    walk = lambda: walk_to_decision(world, dossier)  # noqa: E731
    with pytest.raises(svc.DossierError, match="Điều 4"):
        walk()
    with pytest.raises(PermissionDenied):
        svc.dossier_override(dossier=dossier, reason="Thành tích đột xuất", actor=world.officer_a)
    svc.dossier_override(dossier=dossier, reason="Cứu người trong lũ tháng 9/2025", actor=world.board_p)
    walk()
    assert dossier.step == "quyet_dinh"


def test_revoking_an_award_flags_the_pending_dossiers_that_relied_on_it(world):
    # BK_TINH 2019, then six years HTT or better with three CSTĐCS: BK_TTG 2025 by the standard route.
    person = make_person(
        world.a, "NV03", ratings=[(y, "HTT") for y in range(2019, 2026)],
        grants=[(2019, "BK_TINH"), (2021, "CSTDCS"), (2023, "CSTDCS"), (2025, "CSTDCS")],
    )
    pm = svc.dossier_create(person=person, code="BK_TTG", year=2025, procedure="regular", actor=world.officer_a)
    adhoc = svc.dossier_create(person=person, code="GIAY_KHEN", year=2025, procedure="adhoc", actor=world.officer_a)
    assert svc.dossier_eligibility(pm).eligible
    grant = TitleOrAward.objects.get(person=person, code="BK_TINH")
    with pytest.raises(PermissionDenied):
        svc.award_revoke(grant=grant, reason="Kê khai không trung thực", actor=world.officer_a)
    flagged = svc.award_revoke(grant=grant, reason="Kê khai không trung thực", actor=world.board_p)
    assert [d.pk for d in flagged] == [pm.pk]
    pm.refresh_from_db(), adhoc.refresh_from_db()
    assert pm.flagged and "Bằng khen cấp bộ, ban, ngành, tỉnh năm 2019" in pm.flag_reason
    assert "Kê khai không trung thực" in pm.flag_reason
    assert "theo tiêu chuẩn thông thường hồ sơ không còn đủ điều kiện" in pm.flag_reason  # the engine's word
    assert "BK_TINH" not in {g.code for g in history_of(people=Person.objects.filter(pk=person.pk)).people[0].awards}
    assert not adhoc.flagged
    assert not svc.dossier_eligibility(pm).eligible
    grant.refresh_from_db()
    assert grant.revoked_on is not None


def test_dossiers_come_from_the_conference_list_once(world):
    AwardProposal.objects.create(group_year=world.g1_2024, unit=world.a, form="bk_tinh", rank=1, basis="Xếp thứ 1")
    AwardProposal.objects.create(group_year=world.g1_2024, unit=world.b, form="bk_tinh", rank=2, status="withdrawn")
    with pytest.raises(PermissionDenied):
        svc.dossiers_from_conference(group_year=world.g1_2024, actor=world.officer_a)
    created, notes = svc.dossiers_from_conference(group_year=world.g1_2024, actor=world.leader_g1_2024,
                                                  today=MONDAY)
    assert [(d.unit.code, d.code, d.collective.name) for d in created] == [("P-A", "BK_TINH", "Huyện Ánh Dương")]
    assert [s.key for s in svc.steps_of(created[0])] == ["don_vi", "cum", "ban", "hoi_dong", "quyet_dinh"]
    again, notes = svc.dossiers_from_conference(group_year=world.g1_2024, actor=world.leader_g1_2024)
    assert again == [] and "đã có hồ sơ" in notes[0]


def test_the_cluster_leader_acts_on_the_cluster_step(world):
    AwardProposal.objects.create(group_year=world.g1_2024, unit=world.a, form="bk_tinh", rank=1)
    (dossier,), _ = svc.dossiers_from_conference(group_year=world.g1_2024, actor=world.board_p, today=MONDAY)
    for kind in svc.missing_documents(dossier):
        svc.dossier_attach(dossier=dossier, kind=kind, upload=pdf(), actor=world.officer_a)
    svc.dossier_advance(dossier=dossier, actor=world.officer_a, today=MONDAY)
    assert dossier.step == "cum"
    with pytest.raises(PermissionDenied):
        svc.dossier_advance(dossier=dossier, actor=world.officer_a)
    with pytest.raises(svc.DossierError, match="Biên bản họp và kết quả bỏ phiếu của cụm"):
        svc.dossier_advance(dossier=dossier, actor=world.leader_g1_2024)


def test_another_units_officer_neither_sees_nor_acts(world, nominee):
    dossier = svc.dossier_create(person=nominee, code="BK_TINH", year=2025, procedure="regular",
                                 actor=world.officer_a, today=MONDAY)
    assert dossier in dossiers_for(world.officer_a)
    assert dossier in dossiers_for(world.board_p)
    assert dossier not in dossiers_for(world.officer_c)
    assert dossier not in dossiers_for(world.reader_g1)
    assert dossier not in dossiers_for(world.board_p.__class__.objects.get(username="outsider"))
    with pytest.raises(PermissionDenied):
        svc.dossier_attach(dossier=dossier, kind="to_trinh", upload=pdf(), actor=world.officer_c)
    with pytest.raises(PermissionDenied):
        svc.dossier_create(person=nominee, code="LDTT", year=2025, procedure="regular", actor=world.officer_c)


def test_a_stale_copy_cannot_move_the_dossier_twice(world, nominee):
    dossier = svc.dossier_create(person=nominee, code="BK_TINH", year=2025, procedure="regular",
                                 actor=world.officer_a, today=MONDAY)
    for kind in ("to_trinh", "bao_cao_03"):
        svc.dossier_attach(dossier=dossier, kind=kind, upload=pdf(), actor=world.officer_a)
    stale = Dossier.objects.get(pk=dossier.pk)
    svc.dossier_advance(dossier=dossier, actor=world.officer_a, today=MONDAY)
    with pytest.raises(svc.DossierError, match="vừa được người khác xử lý"):
        svc.dossier_advance(dossier=stale, actor=world.officer_a, today=MONDAY)


def test_a_file_that_is_not_a_document_is_refused(world, nominee):
    dossier = svc.dossier_create(person=nominee, code="BK_TINH", year=2025, procedure="regular",
                                 actor=world.officer_a)
    fake = SimpleUploadedFile("to-trinh.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(svc.DossierError, match="«to-trinh.pdf» không phải"):
        svc.dossier_attach(dossier=dossier, kind="to_trinh", upload=fake, actor=world.officer_a)
    assert not dossier.documents.exists()


def test_the_workflow_data_cites_its_basis_and_has_every_procedure():
    for workflow in WORKFLOW_SETS:
        assert set(workflow.procedures) == set(PROCEDURE_NAMES)
        for procedure in workflow.procedures.values():
            assert procedure.article and procedure.steps[-1].decides
            assert all(step.article and step.days > 0 for step in procedure.steps)
    assert "152/2025" in WORKFLOW_SETS[-1].basis


def test_deadlines_are_settings(world, nominee, settings):
    settings.THIDUA_DOSSIER_WORKFLOW = {"*": {"regular.don_vi.days": 1}}
    dossier = svc.dossier_create(person=nominee, code="BK_TINH", year=2025, procedure="regular",
                                 actor=world.officer_a, today=dt.date(2026, 2, 13))
    assert dossier.due_on == dt.date(2026, 2, 23)


def test_required_documents_follow_the_award_code(world, nominee):
    cstdcs = svc.dossier_create(person=nominee, code="CSTDCS", year=2025, procedure="regular", actor=world.officer_a)
    assert svc.missing_documents(cstdcs) == ["to_trinh", "bao_cao_03", "sang_kien"]
    adhoc = svc.dossier_create(person=nominee, code="GIAY_KHEN", year=2025, procedure="adhoc", actor=world.officer_a)
    assert svc.missing_documents(adhoc) == ["to_trinh", "tom_tat"]
    resistance = svc.dossier_create(person=nominee, code="HUYCKC2", year=2025, procedure="resistance",
                                    actor=world.officer_a)
    assert svc.missing_documents(resistance) == ["to_trinh", "ban_khai_khang_chien", "giay_to_khang_chien"]


def test_bmvnah_stops_at_the_appraisal_unless_a_case_of_the_ordinance_is_met(world):
    mother = make_person(world.a, "BM01")
    dossier = svc.dossier_create(person=mother, code="BMVNAH", year=2025, procedure="bmvnah", actor=world.officer_a)
    assert not svc.dossier_eligibility(dossier).eligible
    svc.dossier_record_facts(dossier=dossier, values={"children": "3", "martyr_children": "1"}, actor=world.officer_a)
    for kind in svc.missing_documents(dossier):
        svc.dossier_attach(dossier=dossier, kind=kind, upload=pdf(), actor=world.officer_a)
    svc.dossier_advance(dossier=dossier, actor=world.officer_a, today=MONDAY)
    with pytest.raises(svc.DossierError, match="Chưa đủ tiêu chuẩn Bà mẹ Việt Nam Anh hùng. Không đạt: có 1 con"):
        svc.dossier_advance(dossier=dossier, actor=world.board_p, today=MONDAY)
    with pytest.raises(svc.DossierError, match="không đề nghị ngoài tiêu chuẩn"):
        svc.dossier_override(dossier=dossier, reason="x", actor=world.board_p)
    with pytest.raises(svc.DossierError, match="Số con là liệt sĩ: «hai» không phải là số nguyên không âm"):
        svc.dossier_record_facts(dossier=dossier, values={"martyr_children": "hai"}, actor=world.board_p)
    svc.dossier_record_facts(dossier=dossier, values={"children": "3", "martyr_children": "1", "husband_martyr": "1"},
                             actor=world.board_p)
    svc.dossier_advance(dossier=dossier, actor=world.board_p, today=MONDAY)
    assert dossier.step == "hoi_dong"
    assert "trường hợp d" in svc.dossier_eligibility(dossier).reasons[0]
