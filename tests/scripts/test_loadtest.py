"""The load test's pieces that can break quietly (make loadtest itself is not part of make test):
its covenant file is valid and full, its floor view touches nothing, and the save sequence its
wrk script sends (bench/loadtest/save.lua) is a valid change every time."""

from decimal import Decimal

from django.test import RequestFactory
from django.urls import reverse

from bench import loadtest
from bench.loadtest_urls import floor
from tests.factories import TEST_PASSWORD, RoleAssignmentFactory, UserFactory
from thidua.covenants.fileformat import read_covenant
from thidua.covenants.models import Result
from thidua.covenants.services import covenant_import
from thidua.org.models import Role, Unit
from thidua.reporting.models import ResultChange


def test_the_load_tests_covenant_is_a_full_13_member_covenant():
    criteria = loadtest.save_criteria_codes(4)
    doc = read_covenant(loadtest.covenant_yaml("LT-DV05", criteria), filename="loadtest.yaml")
    assert len(doc.members) == 13
    codes = [c.code for content in doc.contents for c in content.criteria]
    assert len(codes) == 34 and sum(Decimal(c.max_points) for c in doc.contents) == doc.scale == 1000
    assert {c.method for content in doc.contents for c in content.criteria} == set(loadtest.METHODS)
    assert len(doc.results) == 13 * 34  # a result for every member and criterion


def test_the_floor_answers_without_touching_the_database():
    # No `db` fixture: pytest-django makes any database access here an error.
    response = floor(RequestFactory().get("/__loadtest/floor/"))
    assert response.status_code == 200 and response.content == b"ok"


def test_each_save_of_the_wrk_sequence_is_a_valid_change(client, db):
    """save.lua: start at SAVE_START, alternate SAVE_A and SAVE_B, send the last value as previous."""
    criteria = loadtest.save_criteria_codes(1)
    covenant_import(doc=read_covenant(loadtest.covenant_yaml("LT-DV05", criteria), filename="lt.yaml"),
                    filename="lt.yaml")
    officer = UserFactory(username="canbo_lt")
    RoleAssignmentFactory(user=officer, role=Role.UNIT_OFFICER, unit=Unit.objects.get(code="LT-DV05"))
    assert client.login(username=officer.username, password=TEST_PASSWORD)
    url = reverse("cell_save", args=(loadtest.GROUP, loadtest.YEAR, "LT-DV05", criteria[0]))
    previous = loadtest.SAVE_START
    for n in range(4):
        value = (loadtest.SAVE_A, loadtest.SAVE_B)[n % 2]
        response = client.post(url, {"field": "actual", "value": value, "previous": previous}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and 'class="msg ok"' in response.content.decode()
        previous = value
    result = Result.objects.get(unit__code="LT-DV05", criterion__code=criteria[0])
    assert result.actual == Decimal(loadtest.SAVE_B)
    assert ResultChange.objects.filter(result=result, source="web").count() == 4
    # A save with a stale `previous` is refused: the wrk script counts it as an error.
    stale = client.post(url, {"field": "actual", "value": "150", "previous": loadtest.SAVE_START})
    assert 'class="msg error"' in stale.content.decode()
