"""Schemathesis against the live WSGI application: for every operation of /api/openapi.json, requests
generated from the schema (valid and invalid) get no server error and no response outside the
schema. Bounded: 25 examples per operation (about 15 s on SQLite, 25 s on PostgreSQL).

The token belongs to an officer of unit P-A who also works for G1's leader in 2024: P-A's figures
are writable, P-B's readable but not writable (403), G2 out of scope (404), the proposals open to
the leader's officers readable — every response shape occurs. Path parameters are drawn
from the test world most of the time (G1/G2, 2024/2025, P-A/P-B/Q-C, I.1/I.2/II.1, people and
collectives of P-A and P-B), so that
requests reach real data, covenants, scores and figures, not only 404s.
"""

from __future__ import annotations

import zlib

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.awards.histories import WORKED
from thidua.api.endpoints import dec
from thidua.awards.dossiers import dossier_create
from thidua.awards.historyfile import history_read
from thidua.awards.models import Person
from thidua.awards.services import history_import
from tests.factories import RoleAssignmentFactory, UserFactory
from thidua.api.services import token_create
from thidua.conference import ballots as ballot_services
from thidua.conference.models import AwardForm, AwardProposal, BallotKind
from thidua.covenants.models import Result
from thidua.org.models import Role
from thidua.wsgi import application

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
MAX_EXAMPLES = 25
REAL = {"code": ["G1", "G2"], "year": [2024, 2025], "unit": ["P-A", "P-B", "Q-C"], "criterion": ["I.1", "I.2", "II.1"],
        "id": ["NV001", "NV005", "NV007", "TT01", "TT02"]}
FIELDS = ("target", "actual", "baseline", "points", "note")


def config() -> schemathesis.Config:
    sometimes = 0.9  # a real code most of the time, a generated one otherwise
    return schemathesis.Config.from_dict({
        "dictionaries": {name: {"values": values} for name, values in REAL.items()},
        "parameters": {f"path.{name}": {"dictionary": name, "probability": sometimes} for name in REAL},
    })


def _read_before_write(case) -> None:
    """Half of the writes to a real figure carry the value that is stored now as `previous`, as a
    client that reads before it writes: the generated values then reach the service and the
    database instead of stopping at the conflict check (409)."""
    body, params = case.body, case.path_parameters or {}
    if case.method not in ("PUT", "PATCH") or not isinstance(body, dict) or body.get("field") not in FIELDS:
        return
    if "previous" not in body or any(params.get(name) not in REAL[name] for name in REAL):
        return
    if zlib.crc32(repr(sorted(body.items(), key=str)).encode()) % 2:
        return
    result = Result.objects.filter(criterion__covenant__group_year__group__code=params["code"],
                                   criterion__covenant__group_year__year=params["year"],
                                   criterion__code=params["criterion"], unit__code=params["unit"]).first()
    current = getattr(result, body["field"]) if result else None
    body["previous"] = current if body["field"] == "note" else dec(current)


@pytest.fixture
def secret(world, g1_covenant) -> str:
    # A closed ballot (published counts) and an open one (hidden), and a proposal: every shape occurs.
    leader = world.leader_g1_2024
    closed = ballot_services.ballot_open(ballot=ballot_services.ballot_create(
        group_year=world.g1_2024, kind=BallotKind.LEADER, actor=leader), actor=leader)
    ballot_services.ballot_cast(ballot=closed, cast_by=world.head_a, voter_unit=world.a,
                                choices=[closed.options.get(unit=world.a).pk])
    ballot_services.ballot_close(ballot=closed, actor=leader)
    ballot_services.ballot_open(ballot=ballot_services.ballot_create(
        group_year=world.g1_2024, kind=BallotKind.ACCLAIM, actor=leader), actor=leader)
    AwardProposal.objects.create(group_year=world.g1_2024, unit=world.a, form=AwardForm.FLAG_PROVINCE, rank=1,
                                 total="141.44", basis="Xếp thứ nhất")
    # People and collectives of P-A (in scope) and P-B (not), and a dossier: the award resources answer too.
    history_import(history=history_read(text=WORKED, filename="worked.yaml"), filename="worked.yaml")
    dossier_create(person=Person.objects.get(external_id="NV001"), code="BK_TINH", year=2025, procedure="regular",
                   actor=world.officer_a)
    user = UserFactory(username="schemathesis")
    RoleAssignmentFactory(user=user, role=Role.UNIT_OFFICER, unit=world.a)
    RoleAssignmentFactory(user=user, role=Role.GROUP_LEADER_OFFICER, group=world.g1, year=2024, unit=world.a)
    _token, secret = token_create(user=user, name="schemathesis")
    return secret


# The schema as the running application serves it (no database needed to build it).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=config())


# The WSGI application closes the database connection after each request, as in production: the
# test's data must be committed for it to see them (hence transaction=True).
@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_openapi_schema(case, secret):
    _read_before_write(case)
    response = case.call(headers={"Authorization": f"Bearer {secret}"})
    case.validate_response(response, checks=CHECKS)
