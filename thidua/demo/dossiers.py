"""Demo step: award dossiers on their way, so the dossier inbox (/ho-so-khen-thuong/) is not empty.

Kiên Giang, Cụm thi đua số 2, 2017 (seed 003; conference.yaml): the conference's proposals
(Cờ thi đua of the province for Giồng Riềng, the acclaimed leading unit; Bằng khen of the provincial
chair for Tân Hiệp) are opened as dossiers by the cluster leader's officer through
`dossiers_from_conference`, completed by each unit (Mẫu 01, Mẫu 02), sent on by the cluster
(biên bản của cụm) and wait for the Board's appraisal. One person of the demo history, Nguyễn Văn
Hậu (Giồng Riềng, Chiến sĩ thi đua cơ sở 2015–2017 and an initiative recognised at provincial
level in 2017, history.yaml), is proposed for Chiến sĩ thi đua cấp tỉnh 2017; the unit has
attached Mẫu 01 and Mẫu 03 but not the recognition of the initiative, and the unit step is overdue.

Illustrative (minh họa): the articles say nothing of dossiers. The individual dossier, every
processing date and the attached files are invented: the dates are counted back from the day the
demo is loaded, so that the inbox shows deadlines (one overdue); the files are one-page PDFs that
say they are demo documents.

Everything goes through the dossier services (audited). Each move is made only from the state
before it (a dossier already moved, by this step or by someone using the demo, is left alone), so
loading the demo twice records nothing new.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

GROUP, YEAR = "KG-CTD2", 2017
CLUSTER_OFFICER = "cumtruong.tanhiep"  # group_leader_officer of KG-CTD2 for 2017 (org.yaml)
UNIT_OFFICERS = {"KG-GIONGRIENG": "canbo.giongrieng", "KG-TANHIEP": "canbo.tanhiep"}
PERSON, PERSON_CODE = "KG-GR-001", "CSTD_TINH"  # Nguyễn Văn Hậu (history.yaml)
PERSON_ATTACHED = ("to_trinh", "bao_cao_03")  # the initiative's recognition (sang_kien) is missing

# Calendar days before the load day (illustrative): opened, sent by the unit, sent by the cluster.
CONFERENCE_DAYS = (10, 8, 6)
PERSON_OPENED = 35  # the unit step allows 10 working days: overdue on any day, Tết included


def demo_pdf(title: str) -> SimpleUploadedFile:
    """A valid one-page PDF (header, objects, xref table, trailer) saying it is a demo document; the
    evidence check (thidua.reporting.evidence) accepts it as application/pdf."""
    text = f"Tai lieu minh hoa (demo thidua): {title}"
    text = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 12 Tf 50 780 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return SimpleUploadedFile(f"{title}.pdf", bytes(body), content_type="application/pdf")


def _attach_missing(dossier, kinds, actor) -> None:
    from thidua.awards.dossiers import dossier_attach

    attached = set(dossier.documents.values_list("kind", flat=True))
    for kind in kinds:
        if kind not in attached:
            dossier_attach(dossier=dossier, kind=kind, upload=demo_pdf(kind), actor=actor)


def _step(dossier, *, at: str, actor, kinds, today: dt.date) -> None:
    """At step `at` (and not finished): attach what the step needs, then send the dossier on."""
    from thidua.awards.dossiers import dossier_advance, required_documents

    if dossier.step != at or not dossier.pending:
        return
    _attach_missing(dossier, kinds or required_documents(dossier), actor)
    dossier_advance(dossier=dossier, actor=actor, today=today)


def _conference_dossiers(users, today: dt.date) -> None:
    from thidua.awards.dossiers import dossiers_from_conference
    from thidua.awards.models import Dossier
    from thidua.conference.models import AwardProposal, ProposalStatus
    from thidua.org.models import GroupYear

    group_year = GroupYear.objects.get(group__code=GROUP, year=YEAR)
    opened, by_unit, by_cluster = (today - dt.timedelta(days=d) for d in CONFERENCE_DAYS)
    waiting = AwardProposal.objects.filter(group_year=group_year, status=ProposalStatus.PROPOSED,
                                           dossiers__isnull=True)  # fmt: skip
    if waiting.exists():
        dossiers_from_conference(group_year=group_year, actor=users[CLUSTER_OFFICER], today=opened)
    dossiers = Dossier.objects.filter(group_year=group_year, proposal__isnull=False).select_related("unit", "group_year")
    for dossier in dossiers.order_by("pk"):
        officer = users.get(UNIT_OFFICERS.get(dossier.unit.code, ""))
        if officer is None:
            continue
        _step(dossier, at="don_vi", actor=officer, kinds=(), today=by_unit)
        _step(dossier, at="cum", actor=users[CLUSTER_OFFICER], kinds=(), today=by_cluster)


def _person_dossier(users, today: dt.date) -> None:
    from thidua.awards.dossiers import dossier_create
    from thidua.awards.models import Dossier, Person

    person = Person.objects.get(external_id=PERSON)
    officer = users[UNIT_OFFICERS[person.unit.code]]
    dossier = Dossier.objects.filter(person=person, code=PERSON_CODE, year=YEAR).first()
    if dossier is None:
        dossier = dossier_create(
            person=person, code=PERSON_CODE, year=YEAR, procedure="regular", actor=officer,
            today=today - dt.timedelta(days=PERSON_OPENED),
            summary="Ba năm liền Chiến sĩ thi đua cơ sở (2015–2017), sáng kiến cấp tỉnh năm 2017 (minh họa).",
        )  # fmt: skip
    if dossier.step == "don_vi" and dossier.pending:
        _attach_missing(dossier, PERSON_ATTACHED, officer)


def demo_dossiers(*, today: dt.date | None = None) -> None:
    """Open and move the demo dossiers (after the conference and the award history are loaded)."""
    from thidua.org.models import User

    today = today or timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=[CLUSTER_OFFICER, *UNIT_OFFICERS.values()])}
    _conference_dossiers(users, today)
    _person_dossier(users, today)
