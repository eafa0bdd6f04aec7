"""The dossier pages: the inbox per role with overdue items first, a dossier's page and its actions,
the bulk proposal from a conference, and scope (404 outside it, 403 for an action one may not take)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.awards.test_dossiers import TINY_PDF, make_person
from thidua.awards import dossiers as svc
from thidua.awards.models import Dossier, DossierStatus
from thidua.conference.models import AwardProposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def dossier(world):
    nominee = make_person(world.a, ratings=[(2024, "HTT"), (2025, "HTXS")], grants=[(2024, "CSTDCS"), (2025, "CSTDCS")])
    return svc.dossier_create(person=nominee, code="BK_TINH", year=2025, procedure="regular", actor=world.officer_a)


def test_the_inbox_puts_overdue_dossiers_first_with_days_left(client, world, dossier):
    other = make_person(world.a, "NV09")
    late = svc.dossier_create(person=other, code="LDTT", year=2025, procedure="regular", actor=world.officer_a,
                              today=dt.date(2020, 1, 6))
    client.force_login(world.officer_a)
    page = client.get(reverse("dossier_inbox")).content.decode()
    assert page.index(f'data-dossier="{late.pk}"') < page.index(f'data-dossier="{dossier.pk}"')
    assert "Quá hạn" in page and late.due_on.strftime("%d/%m/%Y") in page
    assert "Còn 10 ngày làm việc" in page or "Còn 9 ngày làm việc" in page


def test_the_inbox_shows_nothing_of_another_unit(client, world, dossier):
    client.force_login(world.officer_c)
    page = client.get(reverse("dossier_inbox")).content.decode()
    assert f'data-dossier="{dossier.pk}"' not in page


def test_a_dossier_outside_scope_is_not_found(client, world, dossier):
    for user in (world.officer_c, world.reader_g1, world.officer_b):
        client.force_login(user)
        assert client.get(reverse("dossier_detail", args=[dossier.pk])).status_code == 404
        assert client.post(reverse("dossier_advance", args=[dossier.pk])).status_code == 404


def test_acting_on_a_step_of_another_role_is_forbidden(client, world, dossier):
    client.force_login(world.council_g1)
    assert client.get(reverse("dossier_detail", args=[dossier.pk])).status_code == 200
    assert client.post(reverse("dossier_advance", args=[dossier.pk])).status_code == 403


def test_advancing_without_documents_says_what_is_missing(client, world, dossier):
    client.force_login(world.officer_a)
    response = client.post(reverse("dossier_advance", args=[dossier.pk]), follow=True)
    assert "Còn thiếu: Tờ trình đề nghị khen thưởng kèm danh sách (Mẫu 01); Báo cáo thành tích cá nhân (Mẫu 03)" in (
        response.content.decode())
    dossier.refresh_from_db()
    assert dossier.step == "don_vi"


def test_the_unit_uploads_and_sends_on_and_the_board_returns_with_a_reason(client, world, dossier):
    client.force_login(world.officer_a)
    for kind in ("to_trinh", "bao_cao_03"):
        upload = SimpleUploadedFile(f"{kind}.pdf", TINY_PDF, content_type="application/pdf")
        client.post(reverse("dossier_attach", args=[dossier.pk]), {"kind": kind, "file": upload})
    page = client.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert "to_trinh.pdf" in page
    document = dossier.documents.get(kind="to_trinh")
    download = client.get(reverse("dossier_document", args=[dossier.pk, document.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == TINY_PDF
    client.post(reverse("dossier_advance", args=[dossier.pk]))
    dossier.refresh_from_db()
    assert dossier.step == "ban"
    client.force_login(world.board_p)
    client.post(reverse("dossier_return", args=[dossier.pk]), {"reason": "Thiếu xác nhận của thủ trưởng"})
    dossier.refresh_from_db()
    assert (dossier.step, dossier.status) == ("don_vi", DossierStatus.RETURNED)
    client.force_login(world.officer_a)
    page = client.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert "Thiếu xác nhận của thủ trưởng" in page and "Đủ điều kiện" in page


def test_a_unit_officer_opens_a_dossier_from_the_form(client, world):
    person = make_person(world.a, "NV05")
    client.force_login(world.officer_a)
    response = client.post(reverse("dossier_new"), {"subject": f"p:{person.pk}", "code": "LDTT", "year": "2025",
                                                    "procedure": "regular", "summary": "Hoàn thành tốt nhiệm vụ"})
    dossier = Dossier.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == reverse("dossier_detail", args=[dossier.pk])
    refused = client.post(reverse("dossier_new"), {"subject": f"p:{person.pk}", "code": "BMVNAH", "year": "2025",
                                                   "procedure": "regular"})
    assert refused.status_code == 400
    assert "Bà mẹ Việt Nam Anh hùng đi theo thủ tục «Xét tặng danh hiệu Bà mẹ Việt Nam Anh hùng»" in (
        refused.content.decode())


def test_the_conference_page_opens_dossiers_for_its_list(client, world):
    AwardProposal.objects.create(group_year=world.g1_2024, unit=world.a, form="bk_tinh", rank=1)
    url = reverse("dossier_from_conference", args=["G1", 2024])
    client.force_login(world.officer_a)
    assert client.get(url).status_code == 403
    client.force_login(world.leader_g1_2024)
    assert "Chưa lập" in client.get(url).content.decode()
    client.post(url)
    dossier = Dossier.objects.get(proposal__unit=world.a)
    assert dossier.source == "conference" and dossier.group_year == world.g1_2024
    assert reverse("dossier_detail", args=[dossier.pk]) in client.get(url).content.decode()


def test_the_board_revokes_an_award_from_the_dossier_page_and_the_dossier_is_flagged(client, world, dossier):
    grant = dossier.person.grants.get(code="CSTDCS", year=2024)
    url = reverse("award_revoke", args=[dossier.pk, grant.pk])
    client.force_login(world.officer_a)
    assert client.post(url, {"reason": "Kê khai sai"}).status_code == 403
    client.force_login(world.board_p)
    page = client.post(url, {"reason": "Kê khai sai"}, follow=True).content.decode()
    assert "1 hồ sơ đang xét cần xem lại" in page
    assert "Hồ sơ cần xem lại" in page and "Chiến sĩ thi đua cơ sở năm 2024" in page
    assert "Chưa đủ điều kiện" in page


def test_the_unit_withdraws_its_dossier_with_a_reason(client, world, dossier):
    client.force_login(world.board_p)
    assert client.post(reverse("dossier_withdraw", args=[dossier.pk]), {"reason": "x"}).status_code == 403
    client.force_login(world.officer_a)
    page = client.post(reverse("dossier_withdraw", args=[dossier.pk]), {"reason": ""}, follow=True).content.decode()
    assert "Cần ghi lý do rút hồ sơ." in page
    client.post(reverse("dossier_withdraw", args=[dossier.pk]), {"reason": "Đã chuyển công tác"})
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.WITHDRAWN


def test_the_inbox_reads_the_same_number_of_queries_for_3_or_30_dossiers(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        client.force_login(world.board_p)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dossier_inbox")).status_code == 200
        return len(queries)

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            svc.dossier_create(person=make_person(world.a, f"Q{i:03d}"), code="LDTT", year=2025,
                               procedure="regular", actor=world.officer_a)

    add(3, 0)
    count()  # the first request of a session also reads and renews the session
    few = count()
    add(27, 3)
    assert count() == few


def test_the_unit_records_the_mothers_facts_and_the_page_shows_the_case_met(client, world):
    mother = make_person(world.a, "BM02")
    dossier = svc.dossier_create(person=mother, code="BMVNAH", year=2025, procedure="bmvnah", actor=world.officer_a)
    client.force_login(world.officer_a)
    page = client.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert "Chưa ghi thông tin về các con" in page and 'id="override"' not in page
    client.post(reverse("dossier_facts", args=[dossier.pk]), {"children": "1", "martyr_children": "1"})
    page = client.get(reverse("dossier_detail", args=[dossier.pk])).content.decode()
    assert "Đạt (trường hợp c): chỉ có 1 con và người con đó là liệt sĩ" in page
    client.force_login(world.officer_c)
    assert client.post(reverse("dossier_facts", args=[dossier.pk]), {"children": "2"}).status_code == 404
