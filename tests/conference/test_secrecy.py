"""The ballot is secret by construction: after real votes, the database holds nothing — no column,
key, order or timestamp — that pairs a voter with a choice (issue acceptance)."""

from __future__ import annotations

import json
import random

import pytest
from django.apps import apps
from django.db import connection, models

from tests.conference.test_ballots import five_members, open_ballot, option, vote
from tests.factories import TEST_PASSWORD, RoleAssignmentFactory, UserFactory
from thidua.audit.models import AuditEvent
from thidua.conference import ballots as svc
from thidua.conference.models import (
    Ballot,
    BallotKind,
    BallotOption,
    BallotParticipation,
    BallotReceipt,
    Electorate,
)
from thidua.org.models import Role

VOTER_FIELDS = {"voter_unit", "voter_user", "cast_by"}
TIMESTAMPS = (models.DateTimeField, models.DateField, models.TimeField)


@pytest.fixture
def g(world):
    return five_members(world)


# The same five voters and choices, cast in two different orders on two ballots.
CHOICES = {"a": "b", "b": "b", "d": "d", "e": "b", "f": None}


def run_acclaim(g, order: str) -> Ballot:
    ballot = open_ballot(g)
    for voter in order:
        choice = CHOICES[voter]
        vote(g, ballot, voter, *([getattr(g, choice)] if choice else []))
    svc.ballot_close(ballot=ballot, actor=g.leader)
    ballot.refresh_from_db()
    return ballot


def _relates_to(field, model) -> bool:
    return field.is_relation and field.related_model is model


def conference_models():
    return list(apps.get_app_config("conference").get_models())


def test_no_table_holds_both_a_voter_and_a_choice(g):
    run_acclaim(g, "abdef")
    for model in conference_models():
        fields = model._meta.get_fields()
        names = {f.name for f in fields}
        has_voter = bool(names & VOTER_FIELDS)
        has_choice = any(_relates_to(f, BallotOption) for f in fields) or any(
            word in name for name in names - VOTER_FIELDS for word in ("option", "choice", "vote", "tall"))
        assert not (has_voter and has_choice), f"{model.__name__} pairs a voter with a choice"


def test_who_took_part_is_stored_with_nothing_else(g):
    run_acclaim(g, "abdef")
    concrete = {f.name for f in BallotParticipation._meta.concrete_fields}
    assert concrete == {"id", "ballot", "voter_unit", "voter_user", "cast_by"}
    assert not any(isinstance(f, TIMESTAMPS) for f in BallotParticipation._meta.concrete_fields)


@pytest.mark.parametrize("model", [BallotOption, BallotReceipt])
def test_the_counts_and_the_receipts_carry_no_time_and_no_link_to_a_voter(model):
    fields = model._meta.get_fields()
    assert not any(isinstance(f, TIMESTAMPS) for f in fields)
    assert not any(_relates_to(f, BallotParticipation) for f in fields)
    assert not {f.name for f in fields} & VOTER_FIELDS
    # …and nothing in the app points from a participation to a receipt or a count, or back.
    for other in conference_models():
        for field in other._meta.get_fields():
            if _relates_to(field, model):
                assert other in (Ballot, model) or field.auto_created, f"{other.__name__}.{field.name}"


def test_the_receipts_hold_only_a_hash(g):
    ballot = open_ballot(g)
    code = vote(g, ballot, "a", g.b)
    row = BallotReceipt.objects.values().get()
    assert set(row) == {"id", "ballot_id", "code_hash"} and code not in json.dumps(row)


def test_the_same_votes_in_another_order_leave_exactly_the_same_counts(g):
    first = run_acclaim(g, "abdef")
    second = run_acclaim(g, "fedba")
    def tally(b):
        return [(o.order, o.label, o.votes) for o in BallotOption.objects.filter(ballot=b).order_by("order")]

    assert tally(first) == tally(second)
    def counts(b):
        return (b.electorate_size, b.cast_count, b.blank_count, b.invalid_count)

    assert counts(first) == counts(second) == (5, 5, 1, 0)
    # The option rows are the only place choices live, and they are identical apart from their ballot.
    assert dict(first.options.values_list("unit__code", "votes")) == {"P-A": 0, "P-B": 3, "P-D": 1, "P-E": 0, "P-F": 0}


def test_neither_keys_nor_the_physical_order_replay_the_voting_order(world):
    council = []
    for index in range(30):
        member = UserFactory(username=f"hoidong_{index:02d}")
        RoleAssignmentFactory(user=member, role=Role.COUNCIL_MEMBER, group=world.g1, year=2024)
        council.append(member)
    g = five_members(world)
    ballot = open_ballot(g, kind=BallotKind.PROPOSALS, electorate=Electorate.COUNCIL)
    assert ballot.electorate_size == 31  # the 30 and council_g1
    yes, no = ballot.options.get(label="Đồng ý").pk, ballot.options.get(label="Không đồng ý").pk
    rng = random.Random(2024)
    voting_order = rng.sample(council, len(council))  # people vote as they arrive, not by account number
    receipts = []
    for member in voting_order:
        code = svc.ballot_cast(ballot=ballot, cast_by=member, voter_user=member, choices=[rng.choice([yes, no])])
        receipts.append(svc._receipt_hash(ballot.pk, code))
    voters_in_order = [m.pk for m in voting_order]
    participations = BallotParticipation.objects.filter(ballot=ballot)
    by_key = list(participations.order_by("pk").values_list("voter_user_id", flat=True))
    assert sorted(by_key) == sorted(voters_in_order) and by_key != voters_in_order
    stored = BallotReceipt.objects.filter(ballot=ballot)
    receipts_by_key = list(stored.order_by("pk").values_list("code_hash", flat=True))
    assert sorted(receipts_by_key) == sorted(receipts) and receipts_by_key != receipts
    # The keys are random, not a sequence: they do not even rise by one.
    keys = sorted(BallotParticipation.objects.filter(ballot=ballot).values_list("pk", flat=True))
    assert any(b - a != 1 for a, b in zip(keys, keys[1:], strict=False))
    # On SQLite the random key is the rowid itself: no hidden sequential row number replays the order.
    from django.db import connection

    if connection.vendor == "sqlite":
        for table in ("conference_ballotparticipation", "conference_ballotreceipt"):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT rowid, id FROM {table}")  # noqa: S608 (fixed table names)
                assert all(rowid == key for rowid, key in cursor.fetchall())


def test_the_audit_records_who_took_part_and_never_what_they_chose(g, world):
    acclaim = run_acclaim(g, "abdef")
    proposals = open_ballot(g, kind=BallotKind.PROPOSALS, electorate=Electorate.COUNCIL)
    svc.ballot_cast(ballot=proposals, cast_by=world.council_g1, voter_user=world.council_g1,
                    choices=[proposals.options.get(label="Không đồng ý").pk])
    for ballot in (acclaim, proposals):
        events = AuditEvent.objects.filter(target_type="conference.ballot", target_id=str(ballot.pk))
        chosen = BallotOption.objects.filter(ballot=ballot, votes__gt=0)
        labels = [o.label for o in chosen]
        for event in events:
            text = json.dumps(event.data, ensure_ascii=False)
            assert not any(label in text for label in labels), event.action
            assert not any(word in key for key in event.data for word in ("option", "choice", "vote"))
            if event.action == "ballot.participated":
                assert set(event.data) <= {"unit", "member"}
                assert not any(label in event.summary for label in labels if label in ("Đồng ý", "Không đồng ý"))
                assert not any(str(o.pk) in text for o in chosen)
    participated = AuditEvent.objects.filter(action="ballot.participated", target_id=str(acclaim.pk))
    assert sorted(e.data["unit"] for e in participated) == ["P-A", "P-B", "P-D", "P-E", "P-F"]
    assert {e.data["member"] for e in AuditEvent.objects.filter(action="ballot.participated",
                                                                target_id=str(proposals.pk))} == {"council_g1"}


def test_nothing_in_the_voters_session_or_cookies_records_the_choice(client, g):
    ballot = open_ballot(g)
    assert client.login(username="head_b", password=TEST_PASSWORD)
    chosen = option(ballot, g.d)
    response = client.post(f"/cum-khoi/G1/2024/bo-phieu/{ballot.pk}/gui-phieu/", {"unit": "P-B", "choice": [chosen]})
    assert response.status_code == 200
    # The login's own keys only (the idle timeout's renewal time, the second factor's device id).
    login_keys = {"_auth_user_id", "_auth_user_backend", "_auth_user_hash", "thidua_last_renewed", "otp_device_id"}
    assert set(client.session.keys()) <= login_keys
    assert isinstance(client.session.get("thidua_last_renewed", 0), int)  # a time, nothing of the vote
    assert "messages" not in response.cookies
    assert "Đông Hải" not in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is PostgreSQL's row-version writer")
@pytest.mark.django_db(transaction=True)  # each vote its own transaction, as in production
def test_after_closing_no_count_row_was_last_written_by_a_voter(g):
    ballot = run_acclaim(g, "abdef")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT xmin::text FROM {BallotOption._meta.db_table} WHERE ballot_id = %s",
                       [ballot.pk])
        writers = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"SELECT xmin::text FROM {Ballot._meta.db_table} WHERE id = %s", [ballot.pk])
        closing = cursor.fetchone()[0]
    assert writers == {closing}
