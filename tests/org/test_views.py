"""Every organisation page with every role: what each actor may open, and the 404 outside scope."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

PAGES = {
    "dashboard": ("dashboard", ()),
    "groups": ("group_year_list", ()),
    "g1_2024": ("group_year_detail", ("G1", 2024)),
    "g2_2024": ("group_year_detail", ("G2", 2024)),
    "unit_a": ("unit_detail", ("P-A",)),
    "unit_b": ("unit_detail", ("P-B",)),
    "unit_c": ("unit_detail", ("Q-C",)),
}

# actor → pages it may open; every other page answers 404.
ALLOWED = {
    "national_board": {"dashboard", "groups", "g1_2024", "g2_2024", "unit_a", "unit_b", "unit_c"},
    "board_p": {"dashboard", "groups", "g1_2024", "unit_a", "unit_b"},
    "council_g1": {"dashboard", "groups", "g1_2024", "unit_a", "unit_b"},
    "leader_g1_2024": {"dashboard", "groups", "g1_2024", "unit_a", "unit_b"},  # members of the group they lead
    "officer_a": {"dashboard", "groups", "g1_2024", "unit_a"},
    "head_a": {"dashboard", "groups", "g1_2024", "unit_a"},
    "officer_b": {"dashboard", "groups", "g1_2024", "unit_b"},
    "officer_c": {"dashboard", "groups", "g2_2024", "unit_c"},
    "reader_g1": {"dashboard", "groups", "g1_2024", "unit_a", "unit_b"},
    "outsider": {"dashboard", "groups"},
}


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


@pytest.mark.parametrize("actor", sorted(ALLOWED))
@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_role_opens_exactly_its_pages(client, world, actor, page):
    login(client, getattr(world, actor))
    name, args = PAGES[page]
    response = client.get(reverse(name, args=args))
    assert response.status_code == (200 if page in ALLOWED[actor] else 404)


@pytest.mark.parametrize("page", sorted(PAGES))
def test_anonymous_visitors_are_sent_to_login(client, world, page):
    name, args = PAGES[page]
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_group_lists_show_only_groups_in_scope(client, world):
    login(client, world.officer_c)
    page = client.get(reverse("group_year_list") + "?nam=2024").content.decode()
    assert "Cụm thi đua số 2" in page
    assert "Cụm thi đua số 1" not in page


def test_group_year_page_names_leader_and_deputy(client, world):
    login(client, world.officer_a)
    page = client.get(reverse("group_year_detail", args=("G1", 2024))).content.decode()
    assert 'id="leader">Huyện Ánh Dương' in page
    assert 'id="deputies">Huyện Bình Minh' in page


def test_members_outside_scope_are_listed_without_links(client, world):
    login(client, world.officer_a)
    page = client.get(reverse("group_year_detail", args=("G1", 2024))).content.decode()
    assert reverse("unit_detail", args=("P-A",)) in page
    assert reverse("unit_detail", args=("P-B",)) not in page
    assert "Huyện Bình Minh" in page


def test_the_dashboard_opens_on_the_latest_year_with_groups(client, world, settings):
    settings.THIDUA_CURRENT_YEAR = 2030
    login(client, world.officer_c)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Năm 2024" in page and "Cụm thi đua số 2" in page


def test_pages_are_in_vietnamese_by_default_and_english_on_request(client, world):
    login(client, world.officer_a)
    assert "Đăng xuất" in client.get(reverse("dashboard")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log out" in client.get(reverse("dashboard")).content.decode()


def test_a_wrong_password_gets_a_vietnamese_message(client, world):
    response = client.post(reverse("login"), {"username": "officer_a", "password": "sai-mat-khau"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


@pytest.mark.parametrize("actor", ["officer_a", "board_p", "reader_g1", "leader_g1_2024"])
def test_django_admin_is_only_for_staff_of_the_board(client, world, actor):
    login(client, getattr(world, actor))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/login/" in response.url


def test_django_admin_opens_for_a_staff_board_officer(client, world):
    world.national_board.is_staff = world.national_board.is_superuser = True
    world.national_board.save()
    login(client, world.national_board)
    assert client.get(reverse("admin:org_unit_changelist")).status_code == 200
