"""The ranking page's cached part (thidua.scoring.ranking_cache): never stale, whatever changes."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import TEST_PASSWORD, MembershipFactory, UnitFactory
from thidua.covenants.models import Adjustment, Content, Covenant, Criterion, Result
from thidua.reporting import services
from thidua.scoring.models import ScoreEntry
from thidua.scoring.ranking_cache import data_fingerprint


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def ranking_page(client, user) -> str:
    assert client.login(username=user.username, password=TEST_PASSWORD)
    response = client.get(reverse("ranking", args=("G1", 2024)))
    assert response.status_code == 200
    return response.content.decode()


def test_a_figure_saved_after_the_ranking_was_shown_is_on_the_next_view(client, world, g1_covenant):
    before = ranking_page(client, world.officer_a)
    assert "141,44" in before  # P-A's total (tests/conftest.py)
    services.result_set(
        edit=services.Edit(criterion=Criterion.objects.get(covenant=g1_covenant, code="II.1"), unit=world.a,
                           field="points", value=Decimal(30), previous=Decimal(45)),
        actor=world.officer_a,
    )
    after = ranking_page(client, world.officer_a)
    assert "126,44" in after and "141,44" not in after  # 45 manual points became 30


def test_the_cached_page_is_the_page_rendered_afresh(client, world, g1_covenant):
    first = ranking_page(client, world.officer_a)
    cached = ranking_page(client, world.officer_a)
    cache.clear()
    fresh = ranking_page(client, world.officer_a)

    def stable(page: str) -> str:  # the CSP nonce and the masked CSRF token are new on every response
        return re.sub(r'(nonce="|"X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*"', "", page)

    assert "<table" in first
    assert stable(first) == stable(cached) == stable(fresh)


def test_viewers_with_different_links_do_not_share_a_cached_page(client, world, g1_covenant):
    leader_page = ranking_page(client, world.leader_g1_2024)
    officer_page = ranking_page(client, world.officer_a)
    sheet_b = reverse("score_sheet", args=("G1", 2024, "P-B"))
    assert sheet_b in leader_page  # the leader reads every member's figures
    assert sheet_b not in officer_page  # P-A's officer reads only P-A's


def test_the_same_data_gives_the_same_fingerprint(world, g1_covenant):
    assert data_fingerprint(world.g1_2024.pk) == data_fingerprint(world.g1_2024.pk)


CHANGES = {
    "a result's figure": lambda cov, w: Result.objects.filter(criterion__covenant=cov, unit=w.a, criterion__code="I.1")
    .update(actual=Decimal("112.89")),
    "a result's figure without a new version": lambda cov, w: Result.objects.filter(
        criterion__covenant=cov, unit=w.b, criterion__code="I.2").update(baseline=Decimal(36)),
    "a new result": lambda cov, w: Result.objects.create(criterion=Criterion.objects.get(covenant=cov, code="II.1"),
                                                         unit=w.b, points=Decimal(10)),
    "a deleted result": lambda cov, w: Result.objects.filter(criterion__covenant=cov, unit=w.b,
                                                             criterion__code="I.1").delete(),
    "an adjustment": lambda cov, w: Adjustment.objects.create(covenant=cov, unit=w.b, points=Decimal(-2),
                                                              reason="Nộp báo cáo chậm"),
    "a stage score": lambda cov, w: ScoreEntry.objects.create(
        result=Result.objects.get(criterion__covenant=cov, unit=w.a, criterion__code="II.1"), stage="self",
        points=Decimal(40)),
    "a criterion's rule": lambda cov, w: Criterion.objects.filter(covenant=cov, code="I.1").update(
        max_points=Decimal(61)),
    "a content's maximum": lambda cov, w: Content.objects.filter(covenant=cov, code="II").update(
        max_points=Decimal(399)),
    "the covenant's scale": lambda cov, w: Covenant.objects.filter(pk=cov.pk).update(scale=Decimal(100)),
    "a unit's name": lambda cov, w: type(w.a).objects.filter(pk=w.a.pk).update(short_name="Ánh Dương Mới"),
    "a new member": lambda cov, w: MembershipFactory(group_year=w.g1_2024, unit=UnitFactory(code="P-D")),
    "the group's name": lambda cov, w: type(w.g1).objects.filter(pk=w.g1.pk).update(name="Cụm số 1 (mới)"),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_to_what_the_ranking_shows_gives_another_fingerprint(world, g1_covenant, change):
    before = data_fingerprint(world.g1_2024.pk)
    CHANGES[change](g1_covenant, world)
    assert data_fingerprint(world.g1_2024.pk) != before


def test_another_group_years_changes_leave_the_fingerprint_alone(world, g1_covenant):
    before = data_fingerprint(world.g1_2024.pk)
    Adjustment.objects.filter(covenant=g1_covenant).delete()  # none: nothing changes
    type(world.c).objects.filter(pk=world.c.pk).update(short_name="Cẩm Giang Mới")  # a unit of G2 only
    assert data_fingerprint(world.g1_2024.pk) == before
