"""Vietnamese ORDER BY on both databases: ICU `vi-x-icu` on PostgreSQL, our key as SQLite's `vi`."""

from __future__ import annotations

from django.db import connection
from django.db.backends.signals import connection_created
from django.db.models.functions import Collate

from thidua.lib.collation import vi_compare


def _register(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation("vi", vi_compare)


def register_sqlite_collation() -> None:
    connection_created.connect(_register, dispatch_uid="thidua-vi-collation")


def vi_order(field: str) -> Collate:
    """`queryset.order_by(vi_order("name"))`: Vietnamese alphabetical order, the same on both DBs."""
    return Collate(field, "vi-x-icu" if connection.vendor == "postgresql" else "vi")
