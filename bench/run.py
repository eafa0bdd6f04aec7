"""make bench: a national-scale year — 330 groups × 10 members × 80 criteria ≈ 264,000 results.

Times, on a fresh database (SQLite by default; DATABASE_URL for PostgreSQL):
  1. import   — the covenant files through the real import service (one transaction per file);
  2. floor    — reading every result row of every group from the database into Python tuples,
                with the same query the scorer issues;
  3. re-score — a full re-score and ranking of every group (read + engine + ranking);
and prints the ratio re-score / floor. Targets (issue #3): ratio ≤ 1,5 and re-score < 5 s.
Each figure is the best of --runs (default 5), floor and re-score taking turns; the CPU time of
the process is printed too, as a check when other work shares the machine.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

GROUPS, MEMBERS, CRITERIA = 330, 10, 80
METHODS = ("plan_ratio", "plan_ratio", "threshold", "vs_baseline", "rank", "manual")


def setup_django(var_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    os.environ["THIDUA_VAR_DIR"] = var_dir
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_doc(group_index: int, rng: random.Random):
    """One group-year covenant with 10 members, 4 contents × 20 criteria and a result per cell."""
    from thidua.covenants.fileformat import (
        ContentDoc, CovenantDoc, CriterionDoc, GroupDoc, MemberDoc, ResultDoc, RolesDoc,
    )

    units = [f"B{group_index:03d}-{m:02d}" for m in range(MEMBERS)]
    contents, results = [], []
    for c in range(4):
        criteria = []
        for k in range(CRITERIA // 4):
            code = f"{c + 1}.{k + 1}"
            method = METHODS[(c * 20 + k) % len(METHODS)]
            direction = "lower" if k % 7 == 3 and method != "manual" else "higher"
            params = {"plan_ratio": {"bonus_per_pct": Decimal("0.5"), "bonus_cap": Decimal(2)},
                      "threshold": {"threshold": Decimal(90)}, "rank": {"step": Decimal(1)}}.get(method, {})
            criteria.append(CriterionDoc(code=code, title=f"Tiêu chí {code}", max_points=Decimal(12), measure="%",
                                         direction=direction, aggregate="sum", method=method, params=params))
            for unit in units:
                figures = {"points": Decimal(rng.randint(0, 1200)) / 100} if method == "manual" else {
                    "target": Decimal(rng.randint(50, 500)),
                    "actual": Decimal(rng.randint(4000, 60000)) / 100,
                    "baseline": Decimal(rng.randint(50, 500)) if method == "vs_baseline" else None,
                }
                results.append(ResultDoc(unit=unit, criterion=code, **figures))
        contents.append(ContentDoc(code=str(c + 1), title=f"Nội dung {c + 1}", max_points=Decimal(240), criteria=tuple(criteria)))
    return CovenantDoc(
        group=GroupDoc(code=f"BENCH-{group_index:03d}", name=f"Cụm thi đua {group_index}", kind="cluster"),
        year=2026, scale=Decimal(1000),
        members=tuple(MemberDoc(code=u, name=f"Đơn vị {u}", kind="commune") for u in units),
        roles=RolesDoc(leader=units[0], deputies=(units[1],)), contents=tuple(contents), results=tuple(results),
    )


def timed(fn) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds of this process) of one call, after a full collection."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def best_of_alternating(runs: int, first, second) -> tuple[tuple[float, float], tuple[float, float]]:
    """The best (wall, CPU) of each of two functions over `runs` rounds of first-then-second: the
    machine is shared, so alternating lets a burst of load elsewhere hit both sides alike."""
    a, b = [], []
    for _ in range(runs):
        a.append(timed(first))
        b.append(timed(second))
    return (min(t[0] for t in a), min(t[1] for t in a)), (min(t[0] for t in b), min(t[1] for t in b))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=GROUPS)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="thidua-bench-") as var_dir:
        setup_django(var_dir)
        from django.db import connection

        from thidua.covenants.models import Covenant, Result
        from thidua.covenants.services import covenant_import
        from thidua.lib.numbers import format_number
        from thidua.scoring.selectors import read_results, scores_of

        rng = random.Random(2026)
        docs = [make_doc(i, rng) for i in range(args.groups)]
        start = time.perf_counter()
        for doc in docs:
            covenant_import(doc=doc, filename=f"{doc.group.code}.yaml")
        import_seconds = time.perf_counter() - start
        del docs

        year = Covenant.objects.filter(group_year__year=2026)
        ids = list(year.values_list("pk", flat=True))
        rows = Result.objects.count()

        def floor() -> None:
            assert sum(len(read_results(covenant_id)) for covenant_id in ids) == rows

        def rescore() -> None:
            assert len(scores_of(year)) == args.groups

        (floor_seconds, floor_cpu), (rescore_seconds, rescore_cpu) = best_of_alternating(args.runs, floor, rescore)
        ratio = rescore_seconds / floor_seconds

        def fmt(seconds: float) -> str:
            return format_number(Decimal(str(round(seconds, 3))))

        print(f"Cơ sở dữ liệu / database: {connection.vendor}")
        print(f"Quy mô / scale: {args.groups} cụm × {MEMBERS} đơn vị × {CRITERIA} tiêu chí = {format_number(rows)} kết quả")
        print(f"Nhập giao ước / import:          {fmt(import_seconds)} s")
        print(f"Sàn: đọc kết quả / floor (read): {fmt(floor_seconds)} s (CPU {fmt(floor_cpu)} s)")
        print(f"Chấm lại toàn bộ / full re-score: {fmt(rescore_seconds)} s (CPU {fmt(rescore_cpu)} s)")
        print(f"Tỷ lệ / ratio re-score ÷ floor:  {format_number(Decimal(str(round(ratio, 2))))} (mục tiêu ≤ 1,5; dưới 5 s)"
              f" · CPU {format_number(Decimal(str(round(rescore_cpu / floor_cpu, 2))))}")
        ok = ratio <= 1.5 and rescore_seconds < 5
        print("Đạt mục tiêu / target met" if ok else "CHƯA đạt mục tiêu / target NOT met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
