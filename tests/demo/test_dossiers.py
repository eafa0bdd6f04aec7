"""The demo's award dossiers (thidua/demo/dossiers.py): the Kiên Giang cluster 2 conference's
proposals on their way to the Board, and one overdue individual dossier at its unit."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from thidua.audit.models import AuditEvent
from thidua.awards.dossiers import days_left, missing_documents
from thidua.awards.models import Dossier, DossierDocument, DossierStep
from thidua.demo.dossiers import demo_pdf
from thidua.org.models import User
from thidua.reporting.evidence import evidence_inspect


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db):
    call_command("demo", stdout=io.StringIO())


def inbox(client, username: str):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("dossier_inbox"))
    assert response.status_code == 200
    return response.context


def conference_dossiers():
    return Dossier.objects.filter(group_year__group__code="KG-CTD2", group_year__year=2017, proposal__isnull=False)


def test_the_conference_proposals_became_dossiers_for_cluster_2_in_2017(demo):
    opened = sorted(conference_dossiers().values_list("unit__code", "code", "collective__external_id"))
    assert opened == [("KG-GIONGRIENG", "CO_TINH", "TT-KG-GIONGRIENG"), ("KG-TANHIEP", "BK_TINH", "TT-KG-TANHIEP")]


def test_the_conference_dossiers_went_through_the_unit_and_the_cluster_and_wait_for_the_board(demo):
    for dossier in conference_dossiers():
        assert dossier.step == "ban" and dossier.pending
        assert set(dossier.documents.values_list("kind", flat=True)) == {"to_trinh", "bao_cao_02", "bien_ban_cum"}
        moves = list(dossier.steps.filter(action="advance").values_list("from_step", "to_step", "actor__username"))
        assert moves == [("don_vi", "cum", {"KG-GIONGRIENG": "canbo.giongrieng", "KG-TANHIEP": "canbo.tanhiep"}[dossier.unit.code]),
                         ("cum", "ban", "cumtruong.tanhiep")]


@pytest.mark.parametrize("username", ["ban.kiengiang", "bantdkt"])
def test_the_board_inbox_shows_the_two_conference_dossiers_as_its_own(client, demo, username):
    context = inbox(client, username)
    mine = sorted(row.dossier.unit.code for row in context["mine"])
    assert mine == ["KG-GIONGRIENG", "KG-TANHIEP"]
    assert not any(row.overdue for row in context["mine"])


def test_the_unit_officer_sees_the_overdue_individual_dossier_missing_the_initiative(client, demo):
    context = inbox(client, "canbo.giongrieng")
    (row,) = context["mine"]
    dossier = row.dossier
    assert (dossier.person.name, dossier.code, dossier.year, dossier.step) == ("Nguyễn Văn Hậu", "CSTD_TINH", 2017, "don_vi")
    assert missing_documents(dossier) == ["sang_kien"]
    assert days_left(dossier) < 0
    assert [r.dossier.code for r in context["others"]] == ["CO_TINH"]


def test_the_attached_demo_pdfs_pass_the_evidence_check(demo):
    assert DossierDocument.objects.count() == 8
    for document in DossierDocument.objects.all():
        assert document.content_type == "application/pdf"
        assert document.file.read().startswith(b"%PDF-1.4")
    assert evidence_inspect(upload=demo_pdf("to_trinh")).content_type == "application/pdf"


def test_every_dossier_move_is_audited(demo):
    assert AuditEvent.objects.filter(action="dossier.advance").count() == DossierStep.objects.filter(action="advance").count() == 4
    assert AuditEvent.objects.filter(action="dossier.document_added").count() == 8


def test_loading_the_demo_twice_changes_nothing(demo):
    def counts():
        return (Dossier.objects.count(), DossierStep.objects.count(), DossierDocument.objects.count(),
                AuditEvent.objects.count(), sorted(Dossier.objects.values_list("pk", "step", "status", "due_on")))

    before = counts()
    call_command("demo", stdout=io.StringIO())
    assert counts() == before
