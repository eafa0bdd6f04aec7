"""The ranking page's scored and rendered part, cached by a fingerprint of everything it shows.

Scoring a group-year and rendering its ranking, stage badges and charts is most of the page's cost
(issue #8 load test: a 13-member group is read, scored and rendered on every view). The result
depends only on the group-year's data, so it is kept in Django's cache under a key made of:

  * a digest of every row the page's figures come from — the group and group-year, the covenant,
    its contents, criteria, results, adjustments and stage scores, the memberships and their
    units — read in full (`SELECT *`, so a column added later is covered without a change here);
  * the units whose score sheets the viewer may open (they become links) and the language.

No invalidation is needed and none can be forgotten: any change to any of those rows, by any
path (web, Excel, API, import, admin, restore), gives another digest and the page is scored and
rendered afresh. A stale ranking is impossible by construction; the saving is that the read is
raw rows (no models, no engine, no template) when nothing changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connection

from thidua.covenants.models import Adjustment, Content, Covenant, Criterion, Result
from thidua.org.models import Group, GroupYear, Membership, Unit
from thidua.scoring.models import ScoreEntry

TIMEOUT = 15 * 60  # seconds; entries of superseded data simply age out


def _tables() -> dict:
    models = (Group, GroupYear, Covenant, Content, Criterion, Result, Adjustment, ScoreEntry, Membership, Unit)
    return {model: connection.ops.quote_name(model._meta.db_table) for model in models}


def _group_year_queries(t: dict) -> list[str]:
    """The group-year's own rows (group, group-year, covenant; members and their units): %s is
    the group-year's id."""
    return [
        f"SELECT gy.*, g.*, c.* FROM {t[GroupYear]} gy JOIN {t[Group]} g ON g.id = gy.group_id "
        f"LEFT JOIN {t[Covenant]} c ON c.group_year_id = gy.id WHERE gy.id = %s",
        f"SELECT m.*, u.* FROM {t[Membership]} m JOIN {t[Unit]} u ON u.id = m.unit_id WHERE m.group_year_id = %s "
        "ORDER BY m.id",
    ]


def _covenant_queries(t: dict) -> list[str]:
    """The covenant's rows (contents, criteria, results with their stage scores, adjustments): %s
    is the covenant's id. Joins rather than one statement per table: the database's planning
    time per statement is a good part of a cached page's cost."""
    return [
        f"SELECT n.*, k.* FROM {t[Content]} n LEFT JOIN {t[Criterion]} k ON k.content_id = n.id "
        "WHERE n.covenant_id = %s ORDER BY n.id, k.id",
        f"SELECT r.*, e.* FROM {t[Result]} r JOIN {t[Criterion]} k ON k.id = r.criterion_id "
        f"LEFT JOIN {t[ScoreEntry]} e ON e.result_id = r.id WHERE k.covenant_id = %s ORDER BY r.id, e.id",
        f"SELECT a.* FROM {t[Adjustment]} a WHERE a.covenant_id = %s ORDER BY a.id",
    ]


def data_fingerprint(group_year_id: int) -> str:
    """A digest of every row the ranking of this group-year is computed from."""
    t = _tables()
    digest = hashlib.blake2b(digest_size=20)
    covenant = f"(SELECT id FROM {t[Covenant]} WHERE group_year_id = %s)"
    parts = [(sql, group_year_id) for sql in _group_year_queries(t)]
    parts += [(sql.replace("%s", covenant), group_year_id) for sql in _covenant_queries(t)]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip, and PostgreSQL turns each row into text itself (`x::text`): far
            # cheaper than building Python values only to hash them, and on a busy machine every
            # round trip waits for the database to be scheduled. Sorted here: order is irrelevant.
            union = " UNION ALL ".join(f"SELECT {n} AS part, x::text AS row FROM ({sql}) x"
                                       for n, (sql, _) in enumerate(parts))
            cursor.execute(union, [param for _, param in parts])
            digest.update(repr(sorted(cursor.fetchall())).encode())
        else:
            for sql, param in parts:
                cursor.execute(sql, [param])
                digest.update(repr(cursor.fetchall()).encode())
                digest.update(b"\x00")
    return digest.hexdigest()


def cached_part(*, group_year: GroupYear, visible: Iterable[str], language: str, build: Callable[[], object]):
    """`build()`'s value for this group-year's current data, viewer's links and language."""
    links = hashlib.blake2b("\x1f".join(sorted(visible)).encode(), digest_size=12).hexdigest()
    key = f"thidua:ranking:{group_year.pk}:{data_fingerprint(group_year.pk)}:{links}:{language}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value
