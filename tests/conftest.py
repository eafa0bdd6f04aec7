"""Shared fixtures: a small world of units and groups, and one named actor per role.

The world (years 2024–2025):
    Province P ─ units A, B          Province Q ─ unit C
    Group G1 (organised by P): 2024 members A (leader), B (deputy); 2025 members A, B
    Group G2 (organised by Q): 2024 member C

Actors: national_board (Board, whole installation), board_p (Board of P), council_g1, leader_g1_2024
(leader officer of G1 in 2024), officer_a, head_a (unit A), officer_b, officer_c, reader_g1, outsider.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.factories import (
    GroupFactory,
    GroupYearFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UserFactory,
)
from thidua.org.models import Position, Role

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses async contexts.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Real hashers are slow on purpose; tests need many logins."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    # Files the tests write (evidence, dossier documents, the demo's PDFs) go to a folder of the
    # run's own, never into the developer's var/files; tests that need a clean folder still set
    # their own through the `settings` fixture.
    from django.conf import settings

    config._thidua_files = tempfile.mkdtemp(prefix="thidua-test-files-")
    settings.MEDIA_ROOT = Path(config._thidua_files)
    config.addinivalue_line("markers", "real_two_factor: test clients log in without the automatic second factor")


def pytest_unconfigure(config):
    if getattr(config, "_thidua_files", None):
        shutil.rmtree(config._thidua_files, ignore_errors=True)


@pytest.fixture(autouse=True)
def verified_test_logins(request, monkeypatch):
    """The test client as people log in, with the second factor already passed.

    - `client.login(...)` hands django-axes a request (as the login form does), so lockout stays on;
    - after `client.login` / `client.force_login`, a user who needs the second factor (Board officers,
      council members) gets a confirmed device and a verified session, as after typing the code.
    The second factor's own tests opt out with `@pytest.mark.real_two_factor`.
    """
    from django.test import Client

    from tests.two_factor import login_request, mark_verified

    real_login, real_private_login = Client.login, Client._login

    def login(self, **credentials):
        credentials.setdefault("request", login_request())
        return real_login(self, **credentials)

    def _login(self, user, backend=None):
        real_private_login(self, user, backend)
        from thidua.org.two_factor import needs_verification

        if needs_verification(user):
            mark_verified(self, user)

    monkeypatch.setattr(Client, "login", login)
    if request.node.get_closest_marker("real_two_factor") is None:
        monkeypatch.setattr(Client, "_login", _login)


@pytest.fixture
def world(db):
    p = UnitFactory(code="P", name="Tỉnh Phú An", kind="province")
    q = UnitFactory(code="Q", name="Tỉnh Quang Bình", kind="province")
    a = UnitFactory(code="P-A", name="Huyện Ánh Dương", short_name="Ánh Dương", parent=p)
    b = UnitFactory(code="P-B", name="Huyện Bình Minh", short_name="Bình Minh", parent=p)
    c = UnitFactory(code="Q-C", name="Huyện Cẩm Giang", short_name="Cẩm Giang", parent=q)
    g1 = GroupFactory(code="G1", name="Cụm thi đua số 1", organiser_unit=p)
    g2 = GroupFactory(code="G2", name="Cụm thi đua số 2", organiser_unit=q)
    g1_2024 = GroupYearFactory(group=g1, year=2024)
    g1_2025 = GroupYearFactory(group=g1, year=2025)
    g2_2024 = GroupYearFactory(group=g2, year=2024)
    MembershipFactory(group_year=g1_2024, unit=a, position=Position.LEADER)
    MembershipFactory(group_year=g1_2024, unit=b, position=Position.DEPUTY)
    MembershipFactory(group_year=g1_2025, unit=a)
    MembershipFactory(group_year=g1_2025, unit=b)
    MembershipFactory(group_year=g2_2024, unit=c)

    def actor(username: str, role: str | None = None, **scope) -> object:
        user = UserFactory(username=username)
        if role:
            RoleAssignmentFactory(user=user, role=role, **scope)
        return user

    return SimpleNamespace(
        p=p, q=q, a=a, b=b, c=c, g1=g1, g2=g2, g1_2024=g1_2024, g1_2025=g1_2025, g2_2024=g2_2024,
        national_board=actor("national_board", Role.BOARD_OFFICER),
        board_p=actor("board_p", Role.BOARD_OFFICER, unit=p),
        council_g1=actor("council_g1", Role.COUNCIL_MEMBER, group=g1),
        leader_g1_2024=actor("leader_g1_2024", Role.GROUP_LEADER_OFFICER, group=g1, year=2024, unit=a),
        officer_a=actor("officer_a", Role.UNIT_OFFICER, unit=a),
        head_a=actor("head_a", Role.UNIT_HEAD, unit=a),
        officer_b=actor("officer_b", Role.UNIT_OFFICER, unit=b),
        officer_c=actor("officer_c", Role.UNIT_OFFICER, unit=c),
        reader_g1=actor("reader_g1", Role.READER, group=g1),
        outsider=actor("outsider"),
    )


G1_2024_COVENANT = """\
format: thidua-covenant/1
group: {code: G1, name: Cụm thi đua số 1, kind: cluster, organiser: UBND tỉnh Phú An}
year: 2024
scale: 1000
members:
  - {code: P-A, name: Huyện Ánh Dương, kind: district}
  - {code: P-B, name: Huyện Bình Minh, kind: district}
roles: {leader: P-A, deputies: [P-B]}
contents:
  - code: "I"
    title: Phát triển kinh tế - xã hội
    max_points: 600
    criteria:
      - {code: "I.1", title: Thu ngân sách, max_points: 60, measure: tỷ đồng, aggregate: sum, method: plan_ratio, params: {penalty_per_pct: 1, bonus_per_pct: 0.5, bonus_cap: 10}}
      - {code: "I.2", title: Tai nạn giao thông, max_points: 30, measure: vụ, direction: lower, method: vs_baseline}
  - code: "II"
    title: Xây dựng hệ thống chính trị
    max_points: 400
    criteria:
      - {code: "II.1", title: Xây dựng Đảng, max_points: 50, method: manual}
results:
  - {unit: P-A, criterion: "I.1", target: 100, actual: 112.88}
  - {unit: P-B, criterion: "I.1", target: 150, actual: 140}
  - {unit: P-A, criterion: "I.2", actual: 31, baseline: 35}
  - {unit: P-B, criterion: "I.2", actual: 40, baseline: 35}
  - {unit: P-A, criterion: "II.1", points: 45}
"""


@pytest.fixture
def g1_covenant(world):
    """A small scored covenant for G1 in 2024: A 141,44 points (first), B 79,04 (second)."""
    from thidua.covenants.fileformat import read_covenant
    from thidua.covenants.services import covenant_import

    covenant_import(doc=read_covenant(G1_2024_COVENANT, filename="g1-2024.yaml"), filename="g1-2024.yaml")
    world.g1_2024.refresh_from_db()
    return world.g1_2024.covenant
