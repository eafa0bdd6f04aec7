"""The demo: the five clusters of the seed articles, their years, movements and demo accounts.

`demo_load()` is idempotent: it creates or updates by codes, so running it again changes nothing.
Everything it loads lives in this package (org.yaml, covenants/*.yaml), not in ../shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from thidua.org import services
from thidua.org.models import Group, LineageEvent, Unit, User

DEMO_DIR = Path(__file__).resolve().parent
DEMO_PASSWORD = "ThiDua@2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    roles: str


def _read(name: str) -> dict[str, Any]:
    return yaml.safe_load((DEMO_DIR / name).read_text(encoding="utf-8"))


def _units(data: dict[str, Any]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for row in data["units"]:
        units[row["code"]] = services.unit_upsert(
            code=row["code"], name=row["name"], short_name=row.get("short_name", ""), kind=row["kind"],
            parent=units[row["parent"]] if row.get("parent") else None,
            valid_from=row.get("valid_from"), valid_to=row.get("valid_to"),
        )
    return units


def _lineage(data: dict[str, Any], units: dict[str, Unit]) -> None:
    lineage = data["lineage"]
    successor_of: dict[str, Unit] = {}
    for edge in lineage["provinces"]:
        successor = units[edge["successor"]]
        successor_of[edge["predecessor"]] = successor
        services.unit_lineage_record(
            predecessor=units[edge["predecessor"]], successor=successor, event=LineageEvent.MERGE,
            effective_on=lineage["effective_on"], legal_basis=lineage["province_basis"],
        )
    for unit in units.values():
        if unit.kind == "district" and unit.parent and unit.parent.code in successor_of:
            services.unit_lineage_record(
                predecessor=unit, successor=successor_of[unit.parent.code], event=LineageEvent.ABOLISH,
                effective_on=lineage["effective_on"], legal_basis=lineage["district_basis"],
            )


def _movements(data: dict[str, Any]) -> dict[str, Any]:
    return {
        row["name"]: services.movement_upsert(name=row["name"], level=row["level"], launched_by=row.get("launched_by", ""))
        for row in data["movements"]
    }


def _groups(data: dict[str, Any], units: dict[str, Unit]) -> dict[str, Group]:
    return {
        row["code"]: services.group_upsert(
            code=row["code"], name=row["name"], kind=row["kind"], level=row["level"],
            organiser=row.get("organiser", ""), organiser_unit=units.get(row.get("organiser_unit")),
            flag_kind=row.get("flag_kind", ""),
        )
        for row in data["groups"]
    }


def _users(data: dict[str, Any], units: dict[str, Unit], groups: dict[str, Group], password: str) -> dict[str, User]:
    users: dict[str, User] = {}
    for row in data["users"]:
        user, created = User.objects.get_or_create(username=row["username"])
        user.full_name = row.get("full_name", "")
        user.position = row.get("position", "")
        user.is_superuser = user.is_staff = bool(row.get("superuser"))
        if created or not user.check_password(password):
            user.set_password(password)
        user.save()
        for role in row["roles"]:
            services.role_assign(
                user=user, role=role["role"], unit=units.get(role.get("unit")),
                group=groups.get(role.get("group")), year=role.get("year"),
            )
        users[user.username] = user
    return users


def _group_years(
    data: dict[str, Any], units: dict[str, Unit], groups: dict[str, Group], movements: dict[str, Any],
    users: dict[str, User],
) -> None:
    for row in data["groups"]:
        group = groups[row["code"]]
        for year, spec in row["years"].items():
            spec = spec or {}
            group_year = services.group_year_upsert(
                group=group, year=year,
                council_member=users.get(spec.get("council_user")),
                council_member_name=spec.get("council_member_name", ""),
                conference_date=spec.get("conference_date"),
                conference_place=spec.get("conference_place", ""),
                note=spec.get("note", row.get("note", "")),
            )
            services.group_year_set_members(
                group_year=group_year, members=[units[code] for code in spec.get("members", row["members"])],
                leader=units.get(spec.get("leader")), deputies=[units[code] for code in spec.get("deputies", [])],
            )
            if flag := spec.get("flag"):
                services.flag_handover_record(
                    group_year=group_year, to_unit=units[flag["to"]], from_unit=units.get(flag.get("from")),
                    handed_on=flag.get("on"),
                )
            for name in spec.get("movements", []):
                services.movement_link_group_year(movement=movements[name], group_year=group_year)


@transaction.atomic
def demo_load(*, password: str = DEMO_PASSWORD) -> None:
    """Load (or refresh) the demo organisation and accounts, then every demo covenant."""
    data = _read("org.yaml")
    units = _units(data)
    _lineage(data, units)
    movements = _movements(data)
    groups = _groups(data, units)  # before the accounts whose roles name them
    users = _users(data, units, groups, password)  # before the group-years that name council members
    _group_years(data, units, groups, movements, users)
    for hook in DEMO_HOOKS:
        hook()


def _covenants() -> None:
    """Import every demo covenant file (thidua-covenant/1) in covenants/, in name order."""
    from thidua.covenants.fileformat import read_covenant
    from thidua.covenants.services import covenant_import

    for path in sorted((DEMO_DIR / "covenants").glob("*.yaml")):
        covenant_import(doc=read_covenant(path.read_text(encoding="utf-8"), filename=path.name), filename=path.name)


# The stages of the cycle after the organisation, in order (covenants, then results, ballots…).
def _conference() -> None:
    """The Kiên Giang 2017 conference: proposals and the rotation to 2018 (thidua/demo/conference.py)."""
    from thidua.demo.conference import demo_conference  # imports the conference app's services

    demo_conference()


def _award_history() -> None:
    """People and collectives with their titles and awards (history.yaml, thidua-history/1)."""
    from thidua.awards.historyfile import history_read
    from thidua.awards.services import history_import

    path = DEMO_DIR / "history.yaml"
    history_import(history=history_read(text=path.read_text(encoding="utf-8"), filename=path.name), filename=path.name)


def _dossiers() -> None:
    """Award dossiers on their way for the inbox (thidua/demo/dossiers.py), after the history."""
    from thidua.demo.dossiers import demo_dossiers

    demo_dossiers()


DEMO_HOOKS: list = [_covenants, _conference, _award_history, _dossiers]


def demo_logins() -> list[DemoLogin]:
    rows = _read("org.yaml")["users"]
    return [
        DemoLogin(row["username"], row.get("full_name", ""), ", ".join(_role_label(r) for r in row["roles"]))
        for row in rows
    ]


def _role_label(role: dict[str, Any]) -> str:
    from thidua.org.models import Role

    scope = role.get("group") or role.get("unit") or "toàn hệ thống"
    year = f" {role['year']}" if role.get("year") else ""
    return f"{Role(role['role']).label} ({scope}{year})"


