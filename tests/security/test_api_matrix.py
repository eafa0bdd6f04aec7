"""The permission matrix of the REST API (issue #8): every operation of /api/openapi.json, every
role with its personal token, the allowed and the refused case, including another unit, another
group and another year. The same world and actors as the pages' matrix (test_permission_matrix.py).

Cells: 200, 401 (no token: the anonymous column), 403 (may see, may not do), 404 (outside scope:
existence not revealed), 409/422 (allowed in, refused by the data). Lists answer 200 to everyone
with a token; what they hold is checked in tests/api (test_scope.py, test_awards.py) and counted
here in `test_lists_hold_only_what_is_in_scope`.

Complete by construction: `test_every_operation_is_in_the_matrix` reads the OpenAPI document and
fails for an operation without a row. To register one, add one `op(...)` line.
"""

from __future__ import annotations

import json
from typing import NamedTuple

import pytest
from django.db import transaction

from tests.security.test_permission_matrix import COLUMNS
from thidua.api.api import api
from thidua.api.services import token_create

ALLOWED, REFUSED = {"200", "409", "422"}, {"401", "403", "404"}


class Op(NamedTuple):
    operation: str
    method: str
    path: str
    cells: str
    body: dict | None = None

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


def op(operation: str, method: str, path: str, cells: str, body: dict | None = None) -> Op:
    return Op(operation, method, path, " ".join(cells.split()), body)


NOTE = {"field": "note", "value": "Ghi chú qua API", "previous": None}

# columns:                                                                 anon out  rdr  offA hdA  offB offC ldr  cnl  brdP natB
OPERATIONS = [
    op("group_years_list", "GET", "/groups",                              "401  200  200  200  200  200  200  200  200  200  200"),
    op("group_year_detail", "GET", "/groups/G1/2024",                     "401  404  200  200  200  200  404  200  200  200  200"),
    op("group_year_detail", "GET", "/groups/G1/2025",                     "401  404  200  200  200  200  404  404  200  200  200"),
    op("group_year_detail", "GET", "/groups/G2/2024",                     "401  404  404  404  404  404  200  404  404  404  200"),
    op("covenant_detail", "GET", "/groups/G1/2024/covenant",              "401  404  200  200  200  200  404  200  200  200  200"),
    op("covenant_detail", "GET", "/groups/G2/2024/covenant",              "401  404  404  404  404  404  200  404  404  404  200"),
    op("scores", "GET", "/groups/G1/2024/scores",                         "401  404  200  200  200  200  404  200  200  200  200"),
    op("scores", "GET", "/groups/G1/2025/scores",                         "401  404  200  200  200  200  404  404  200  200  200"),
    op("scores", "GET", "/groups/G2/2024/scores",                         "401  404  404  404  404  404  200  404  404  404  200"),
    op("unit_results", "GET", "/groups/G1/2024/units/P-A/results",        "401  404  404  200  200  404  404  200  200  200  200"),
    op("unit_results", "GET", "/groups/G1/2024/units/P-B/results",        "401  404  404  404  404  200  404  200  200  200  200"),
    op("unit_results", "GET", "/groups/G1/2025/units/P-A/results",        "401  404  404  200  200  404  404  404  200  200  200"),
    op("unit_results", "GET", "/groups/G2/2024/units/Q-C/results",        "401  404  404  404  404  404  200  404  404  404  200"),
    op("unit_result_put", "PUT", "/groups/G1/2024/units/P-A/results/I.1", "401  404  403  200  200  404  404  403  403  403  403", NOTE),
    op("unit_result_put", "PUT", "/groups/G1/2024/units/P-B/results/I.1", "401  404  403  404  404  200  404  403  403  403  403", NOTE),
    op("unit_result_put", "PUT", "/groups/G1/2025/units/P-A/results/I.1", "401  404  403  200  200  404  404  404  403  403  403", NOTE),
    op("unit_result_put", "PUT", "/groups/G2/2024/units/Q-C/results/I.1", "401  404  404  404  404  404  200  404  404  404  403", NOTE),
    op("unit_result_patch", "PATCH", "/groups/G1/2024/units/P-A/results/I.1", "401  404  403  200  200  404  404  403  403  403  403", NOTE),
    op("unit_result_patch", "PATCH", "/groups/G2/2024/units/Q-C/results/I.1", "401  404  404  404  404  404  200  404  404  404  403", NOTE),
    op("ballots", "GET", "/groups/G1/2024/ballots",                       "401  404  200  200  200  200  404  200  200  200  200"),
    op("ballots", "GET", "/groups/G2/2024/ballots",                       "401  404  404  404  404  404  200  404  404  404  200"),
    op("proposals", "GET", "/groups/G1/2024/proposals",                   "401  404  403  403  403  403  404  200  403  200  200"),
    op("proposals", "GET", "/groups/G1/2025/proposals",                   "401  404  403  403  403  403  404  404  403  200  200"),
    op("proposals", "GET", "/groups/G2/2024/proposals",                   "401  404  404  404  404  404  403  404  404  404  200"),
    op("people_list", "GET", "/people",                                   "401  200  200  200  200  200  200  200  200  200  200"),
    op("person_detail", "GET", "/people/NV001",                           "401  404  404  200  200  404  404  200  200  200  200"),
    op("person_detail", "GET", "/people/NV007",                           "401  404  404  404  404  200  404  200  200  200  200"),
    op("person_detail", "GET", "/people/NV900",                           "401  404  404  404  404  404  200  404  404  404  200"),
    op("person_eligibility", "GET", "/people/NV001/eligibility",          "401  404  404  200  200  404  404  200  200  200  200"),
    op("person_eligibility", "GET", "/people/NV900/eligibility",          "401  404  404  404  404  404  200  404  404  404  200"),
    op("collectives_list", "GET", "/collectives",                         "401  200  200  200  200  200  200  200  200  200  200"),
    op("collective_detail", "GET", "/collectives/TT01",                   "401  404  404  200  200  404  404  200  200  200  200"),
    op("collective_detail", "GET", "/collectives/TT09",                   "401  404  404  404  404  404  200  404  404  404  200"),
    op("collective_eligibility", "GET", "/collectives/TT01/eligibility",  "401  404  404  200  200  404  404  200  200  200  200"),
    op("collective_eligibility", "GET", "/collectives/TT09/eligibility",  "401  404  404  404  404  404  200  404  404  404  200"),
    op("dossiers_list", "GET", "/dossiers",                               "401  200  200  200  200  200  200  200  200  200  200"),
    op("dossier_detail", "GET", "/dossiers/{dossier_a}",                  "401  404  404  200  200  404  404  200  200  200  200"),
    op("dossier_detail", "GET", "/dossiers/{dossier_c}",                  "401  404  404  404  404  404  200  404  404  404  200"),
    op("dossier_status", "GET", "/dossiers/{dossier_a}/status",           "401  404  404  200  200  404  404  200  200  200  200"),
    op("dossier_status", "GET", "/dossiers/{dossier_c}/status",           "401  404  404  404  404  404  200  404  404  404  200"),
]

# How many items each list holds for each actor (anonymous: no list at all).
# columns:       anon out  rdr  offA hdA  offB offC ldr  cnl  brdP natB
LISTS = {
    "/groups":      "-    0    2    2    2    2    2    1    2    2    4",
    "/people":      "-    0    0    6    6    1    1    7    7    7    8",
    "/collectives": "-    0    0    1    1    1    1    2    2    2    3",
    "/dossiers":    "-    0    0    2    2    0    1    2    2    2    3",
}


def _secret(world, actor: str) -> str | None:
    if actor == "anonymous":
        return None
    _token, secret = token_create(user=getattr(world, actor), name="Ma trận quyền")
    return secret


def call(client, world, actor: str, entry: Op):
    """`actor`'s answer to `entry`, with a fresh token; the request's changes are rolled back."""
    path = "/api" + entry.path.format(**world.ids)
    with transaction.atomic():
        secret = _secret(world, actor)
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        body = json.dumps(entry.body) if entry.body is not None else None
        response = client.generic(entry.method, path, body or "", content_type="application/json", headers=headers)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("entry", OPERATIONS, ids=[entry.id for entry in OPERATIONS])
def test_each_token_gets_what_the_matrix_says(matrix_world, db, client, entry):
    observed = " ".join(str(call(client, matrix_world, actor, entry).status_code) for actor in COLUMNS)
    assert observed == entry.cells, (
        f"\n{entry.id}\n  columns:  {' '.join(COLUMNS)}\n  expected: {entry.cells}\n  observed: {observed}")


@pytest.mark.parametrize("path", sorted(LISTS))
def test_lists_hold_only_what_is_in_scope(matrix_world, db, client, path):
    entry = op("", "GET", path + "?limit=500", "")
    observed = " ".join(
        "-" if actor == "anonymous" else str(call(client, matrix_world, actor, entry).json()["count"])
        for actor in COLUMNS)
    expected = " ".join(LISTS[path].split())
    assert observed == expected, f"\n{path}\n  columns:  {' '.join(COLUMNS)}\n  expected: {expected}\n  observed: {observed}"


def test_every_operation_is_in_the_matrix():
    schema = api.get_openapi_schema()
    operations = {details["operationId"] for methods in schema["paths"].values() for details in methods.values()}
    in_matrix = {entry.operation for entry in OPERATIONS}
    assert not sorted(operations - in_matrix), f"API operations without a row: {sorted(operations - in_matrix)}"
    assert not sorted(in_matrix - operations), f"rows for operations that no longer exist: {sorted(in_matrix - operations)}"


def test_every_operation_has_an_allowed_and_a_refused_case():
    """A list's refused case is an actor for whom it holds nothing (LISTS); any other operation's is
    a signed-in actor answered 403 or 404."""
    lists = {entry.operation: entry.path for entry in OPERATIONS if entry.path in LISTS}
    for name in sorted({entry.operation for entry in OPERATIONS}):
        cells = {cell for entry in OPERATIONS if entry.operation == name for cell in entry.cells.split()}
        assert cells & ALLOWED, f"{name}: nobody in the matrix may use it"
        if name in lists:
            assert "0" in LISTS[lists[name]].split(), f"{name}: the list holds something for every actor"
        else:
            assert cells & (REFUSED - {"401"}), f"{name}: no signed-in actor is refused"
