"""The permission matrix's world: two groups, two years, units in each, one named actor per role.

    Province P ─ units A, B             Province Q ─ units C, D
    G1 (organised by P)  2024: A leader, B deputy      2025: B leader, A member
    G2 (organised by Q)  2024: C leader, D member      2025: C, D
    Covenants with figures: G1 2024, G1 2025, G2 2024 (G2 2025 has none).
    G1 2024 and G2 2024 each hold a closed electronic ballot, an open one and an open paper
    ballot, a proposal, a veto, and one piece of evidence for the first unit's I.1.

Award history: the worked history file of tests/awards/histories.py (people NV001–NV007 of A and B,
collectives TT01 of A and TT02 of B) and NV900, TT09 of C. Dossiers: NV001's (unit A, with a
document), NV002's for Bà mẹ Việt Nam Anh hùng (unit A) and NV900's (unit C).

Actors (the matrix's columns): anonymous; outsider (logged in, no role); reader_g1 (reader of G1);
officer_a, head_a (unit A); officer_b (unit B); officer_c (unit C, group G2); leader_g1_2024
(officer of G1's leading unit in 2024 only); council_g1 (council member following G1);
board_p (Board officer of province P: G1); national_board (Board, the whole installation).
"""

from __future__ import annotations

from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.awards.histories import WORKED
from tests.conftest import G1_2024_COVENANT
from tests.factories import (
    GroupFactory,
    GroupYearFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UserFactory,
)
from thidua.awards import dossiers as dossier_services
from thidua.awards.historyfile import history_read
from thidua.awards.models import Person, TitleOrAward
from thidua.awards.services import history_import
from thidua.conference import ballots as ballot_services
from thidua.conference.models import AwardForm, AwardProposal, BallotKind, BallotMode
from thidua.conference.proposals import unit_veto_record
from thidua.covenants.fileformat import read_covenant
from thidua.covenants.models import Criterion
from thidua.covenants.services import covenant_import
from thidua.org.models import Position, Role
from thidua.reporting.evidence import evidence_add

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROVINCE_Q_HISTORY = """\
format: thidua-history/1
people:
  - {id: NV900, name: Cao Thị Quế, unit: Q-C, ratings: {2025: HTT}}
collectives:
  - {id: TT09, name: Huyện Cẩm Giang, unit: Q-C, ratings: {2025: HTXS}}
"""


def _covenant(group: str, year: int, units: tuple[str, str], names: tuple[str, str]) -> None:
    text = (G1_2024_COVENANT.replace("year: 2024", f"year: {year}")
            .replace("G1, name: Cụm thi đua số 1", f"{group}, name: Cụm thi đua số {group[1:]}")
            .replace("P-A", "@1").replace("P-B", "@2")
            .replace("Huyện Ánh Dương", names[0]).replace("Huyện Bình Minh", names[1])
            .replace("@1", units[0]).replace("@2", units[1]))
    # without `roles` the import keeps the positions recorded above (B leads G1 in 2025)
    text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("roles:"))
    filename = f"{group}-{year}.yaml"
    covenant_import(doc=read_covenant(text, filename=filename), filename=filename)


def _conference(group_year, *, leader, head, first_unit) -> dict[str, int]:
    """A closed ballot (published counts), an open one, an open paper ballot and a veto."""
    closed = ballot_services.ballot_open(ballot=ballot_services.ballot_create(
        group_year=group_year, kind=BallotKind.LEADER, actor=leader), actor=leader)
    ballot_services.ballot_cast(ballot=closed, cast_by=head, voter_unit=first_unit,
                                choices=[closed.options.get(unit=first_unit).pk])
    ballot_services.ballot_close(ballot=closed, actor=leader)
    opened = ballot_services.ballot_open(ballot=ballot_services.ballot_create(
        group_year=group_year, kind=BallotKind.ACCLAIM, actor=leader), actor=leader)
    paper = ballot_services.ballot_open(ballot=ballot_services.ballot_create(
        group_year=group_year, kind=BallotKind.DEPUTIES, mode=BallotMode.PAPER, actor=leader), actor=leader)
    AwardProposal.objects.create(group_year=group_year, unit=first_unit, form=AwardForm.FLAG_PROVINCE, rank=1,
                                 total="141.44", basis="Xếp thứ nhất")
    veto = unit_veto_record(group_year=group_year, unit=first_unit, kind="other", reason="Có sai phạm", actor=None)
    return {"closed": closed.pk, "open": opened.pk, "paper": paper.pk, "veto": veto.pk}


def _evidence(group: str, year: int, unit, actor) -> int:
    criterion = Criterion.objects.get(covenant__group_year__group__code=group, covenant__group_year__year=year,
                                      code="I.1")
    upload = SimpleUploadedFile("bao-cao.pdf", PDF, content_type="application/pdf")
    return evidence_add(criterion=criterion, unit=unit, upload=upload, actor=actor).pk


def _awards(w) -> dict[str, int]:
    for name, text in (("worked.yaml", WORKED), ("q.yaml", PROVINCE_Q_HISTORY)):
        history_import(history=history_read(text=text, filename=name), filename=name)
    mine = dossier_services.dossier_create(person=Person.objects.get(external_id="NV001"), code="BK_TINH", year=2025,
                                           procedure="regular", actor=w.officer_a)
    upload = SimpleUploadedFile("to-trinh.pdf", PDF, content_type="application/pdf")
    document = dossier_services.dossier_attach(dossier=mine, kind="to_trinh", upload=upload, actor=w.officer_a)
    theirs = dossier_services.dossier_create(person=Person.objects.get(external_id="NV900"), code="BK_TINH",
                                             year=2025, procedure="regular", actor=w.officer_c)
    mother = dossier_services.dossier_create(person=Person.objects.get(external_id="NV002"), code="BMVNAH",
                                             year=2025, procedure="bmvnah", actor=w.officer_a)
    grant = TitleOrAward.objects.get(person__external_id="NV001", code="BK_TINH", year=2019)
    return {"dossier_a": mine.pk, "dossier_c": theirs.pk, "document_a": document.pk, "grant_a": grant.pk,
            "dossier_mother": mother.pk}


def build_world() -> SimpleNamespace:
    p = UnitFactory(code="P", name="Tỉnh Phú An", kind="province")
    q = UnitFactory(code="Q", name="Tỉnh Quang Bình", kind="province")
    a = UnitFactory(code="P-A", name="Huyện Ánh Dương", short_name="Ánh Dương", parent=p)
    b = UnitFactory(code="P-B", name="Huyện Bình Minh", short_name="Bình Minh", parent=p)
    c = UnitFactory(code="Q-C", name="Huyện Cẩm Giang", short_name="Cẩm Giang", parent=q)
    d = UnitFactory(code="Q-D", name="Huyện Đông Sơn", short_name="Đông Sơn", parent=q)
    g1 = GroupFactory(code="G1", name="Cụm thi đua số 1", organiser_unit=p)
    g2 = GroupFactory(code="G2", name="Cụm thi đua số 2", organiser_unit=q)
    gy = {(g, y): GroupYearFactory(group=group, year=y)
          for g, group in (("G1", g1), ("G2", g2)) for y in (2024, 2025)}
    MembershipFactory(group_year=gy["G1", 2024], unit=a, position=Position.LEADER)
    MembershipFactory(group_year=gy["G1", 2024], unit=b, position=Position.DEPUTY)
    MembershipFactory(group_year=gy["G1", 2025], unit=b, position=Position.LEADER)
    MembershipFactory(group_year=gy["G1", 2025], unit=a)
    MembershipFactory(group_year=gy["G2", 2024], unit=c, position=Position.LEADER)
    MembershipFactory(group_year=gy["G2", 2024], unit=d)
    MembershipFactory(group_year=gy["G2", 2025], unit=c)
    MembershipFactory(group_year=gy["G2", 2025], unit=d)

    def actor(username: str, role: str | None = None, **scope):
        user = UserFactory(username=username)
        if role:
            RoleAssignmentFactory(user=user, role=role, **scope)
        return user

    w = SimpleNamespace(p=p, q=q, a=a, b=b, c=c, d=d, g1=g1, g2=g2, gy=gy)
    w.outsider = actor("outsider")
    w.reader_g1 = actor("reader_g1", Role.READER, group=g1)
    w.officer_a = actor("officer_a", Role.UNIT_OFFICER, unit=a)
    w.head_a = actor("head_a", Role.UNIT_HEAD, unit=a)
    w.officer_b = actor("officer_b", Role.UNIT_OFFICER, unit=b)
    w.officer_c = actor("officer_c", Role.UNIT_OFFICER, unit=c)
    w.head_c = actor("head_c", Role.UNIT_HEAD, unit=c)
    w.leader_g1_2024 = actor("leader_g1_2024", Role.GROUP_LEADER_OFFICER, group=g1, year=2024, unit=a)
    w.leader_g2 = actor("leader_g2", Role.GROUP_LEADER_OFFICER, group=g2, unit=c)
    w.council_g1 = actor("council_g1", Role.COUNCIL_MEMBER, group=g1)
    w.board_p = actor("board_p", Role.BOARD_OFFICER, unit=p)
    w.national_board = actor("national_board", Role.BOARD_OFFICER)
    w.national_board.is_staff = w.national_board.is_superuser = True  # Django's admin too
    w.national_board.save()

    _covenant("G1", 2024, ("P-A", "P-B"), ("Huyện Ánh Dương", "Huyện Bình Minh"))
    _covenant("G1", 2025, ("P-A", "P-B"), ("Huyện Ánh Dương", "Huyện Bình Minh"))
    _covenant("G2", 2024, ("Q-C", "Q-D"), ("Huyện Cẩm Giang", "Huyện Đông Sơn"))
    w.ids = {}
    for (group, first, head, leader) in (("G1", a, w.head_a, w.leader_g1_2024), ("G2", c, w.head_c, w.leader_g2)):
        for key, pk in _conference(gy[group, 2024], leader=leader, head=head, first_unit=first).items():
            w.ids[f"{group}_{key}"] = pk
    w.ids["G1_evidence"] = _evidence("G1", 2024, a, w.officer_a)
    w.ids["G1_2025_evidence"] = _evidence("G1", 2025, a, w.officer_a)
    w.ids["G2_evidence"] = _evidence("G2", 2024, c, w.officer_c)
    w.ids.update(_awards(w))
    return w
