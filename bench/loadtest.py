"""make loadtest: gunicorn with PostgreSQL on loopback, loaded by wrk (issue #8, "Load").

What it does, in one run:
  1. builds a database of its own (`<database>_loadtest` beside DATABASE_URL's, dropped and made
     anew each run): a 13-member cluster with a full covenant (3 contents, 34 criteria, all five
     scoring methods, a result for every member × criterion, adjustments), imported from a covenant
     file with `thidua import`; a group leader officer and a unit officer, each logged in with a
     real session (Django's login on a request), and the CSRF token the data-entry page gives;
  2. starts gunicorn on 127.0.0.1 (a free port) with the production settings plus two URLs, the
     floors (bench/loadtest_settings.py): the smallest Django view, served by the same workers;
  3. runs wrk, bounded in time and in number of requests, against
       floor     the minimal view (short text, no session, no database),
       floor_login  the same view behind the login, with the session cookie,
       ranking   the ranking page of the 13-member group (group leader officer),
       entry     the unit's data-entry page (unit officer),
       save      the data-entry screen's htmx cell save (POST, session cookie + CSRF header), each
                 connection alternating two values in a cell of its own and sending the value it
                 saw as `previous`, so that every save is a valid change (bench/loadtest/save.lua);
  4. checks the saves in the database (one ResultChange per save wrk counted as saved) and prints
     requests per second, p50 and p95 latency, the ratios to the floors, the CPU each request
     cost (gunicorn, PostgreSQL, wrk) and the targets.

Exit status: 1 when any request failed (non-2xx, socket error, timeout, refused save) or the
database disagrees with the count of saves; the targets themselves are reported, not enforced.

    scripts/loadtest [--duration 10] [--connections 4] [--only floor,ranking] [--no-cache]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LUA_DIR = Path(__file__).resolve().parent / "loadtest"
YEAR = 2026
GROUP = "LT-CUM13"
MEMBERS = 13
# (content code, number of criteria, max points of each): 600 + 300 + 100 = 1000 points.
CONTENTS = (("I", 12, 50), ("II", 12, 25), ("III", 10, 10))
METHODS = ("plan_ratio", "threshold", "vs_baseline", "rank", "manual")
SAVE_START, SAVE_A, SAVE_B = "100", "101", "102"  # the save cells' actual (target 100): no outlier
FLOOR_PATH = "/__loadtest/floor/"
FLOOR_LOGIN_PATH = "/__loadtest/floor-login/"
SETTINGS = os.environ.get("THIDUA_LOADTEST_SETTINGS", "bench.loadtest_settings")

# Targets on the 2-core machine (issue #8).
RANKING_P95_RATIO_MAX = 4.0
RANKING_RPS_MIN = 150.0
SAVE_P95_MS_MAX = 150.0


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ the database


def loadtest_url(base_url: str) -> tuple[str, str]:
    """The load test's own database beside DATABASE_URL's: (its URL, its name)."""
    parts = urllib.parse.urlsplit(base_url)
    name = parts.path.lstrip("/") + "_loadtest"
    return urllib.parse.urlunsplit(parts._replace(path="/" + name)), name


def recreate_database(base_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")


def covenant_yaml(save_unit: str, save_criteria: list[str]) -> str:
    """A full covenant of a 13-member cluster as a `thidua-covenant/1` file. Figures vary by unit
    and criterion (deterministically) so that the ranking has no ties to speak of; the save cells
    start at target 100, actual 100."""
    units = [f"LT-DV{m:02d}" for m in range(1, MEMBERS + 1)]
    lines = [
        "format: thidua-covenant/1",
        f"group: {{code: {GROUP}, name: Cụm thi đua kiểm tra tải, kind: cluster, organiser: UBND tỉnh kiểm tra}}",
        f"year: {YEAR}",
        "scale: 1000",
        "members:",
        *[f"  - {{code: {u}, name: Huyện số {i + 1}, kind: district}}" for i, u in enumerate(units)],
        f"roles: {{leader: {units[0]}, deputies: [{units[1]}, {units[2]}]}}",
        "contents:",
    ]
    results, n = [], 0
    for content, count, max_points in CONTENTS:
        lines += [f'  - code: "{content}"', f"    title: Nội dung {content}", f"    max_points: {count * max_points}",
                  "    criteria:"]
        for k in range(1, count + 1):
            code, method = f"{content}.{k}", METHODS[n % len(METHODS)]
            direction = "lower" if method in ("vs_baseline", "threshold") and k % 2 else "higher"
            params = {"plan_ratio": "{bonus_per_pct: 0.5, bonus_cap: 5}", "threshold": "{threshold: 90}",
                      "rank": "{step: 2}"}.get(method, "{}")
            lines += [f'      - code: "{code}"', f"        title: Tiêu chí {code} của giao ước kiểm tra tải",
                      f"        max_points: {max_points}", "        measure: \"%\"",
                      f"        direction: {direction}", "        aggregate: sum", f"        method: {method}",
                      f"        params: {params}"]
            for m, unit in enumerate(units):
                seed = (n * 37 + m * 11) % 97
                if method == "manual":
                    row = f"points: {max_points * (50 + seed // 2) // 100}"
                elif unit == save_unit and code in save_criteria:
                    row = f"target: 100, actual: {SAVE_START}"
                else:
                    row = f"target: {80 + seed}, actual: {70 + (seed * 7) % 60}.5"
                    if method == "vs_baseline":
                        row += f", baseline: {60 + seed}"
                results.append(f'  - {{unit: {unit}, criterion: "{code}", {row}}}')
            n += 1
    lines += ["results:", *results, "adjustments:",
              f"  - {{unit: {units[4]}, points: 5, reason: Điểm thưởng sáng kiến}}",
              f"  - {{unit: {units[7]}, points: -3, reason: Nộp báo cáo chậm}}"]
    return "\n".join(lines) + "\n"


def save_criteria_codes(connections: int) -> list[str]:
    """One non-manual criterion per connection for the save test (each cell has one writer)."""
    codes, n = [], 0
    for content, count, _ in CONTENTS:
        for k in range(1, count + 1):
            if METHODS[n % len(METHODS)] != "manual":
                codes.append(f"{content}.{k}")
            n += 1
    if connections > len(codes):
        raise SystemExit(f"at most {len(codes)} connections (one cell each for the saves)")
    return codes[:connections]


@dataclass
class Fixture:
    ranking_path: str
    entry_path: str
    save_prefix: str
    save_unit: str
    leader_session: str
    officer_session: str


def build_data(var_dir: Path, save_criteria: list[str]) -> Fixture:
    """Migrate, import the covenant file, create the two users with their roles and sessions."""
    os.environ["THIDUA_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import login
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.http import HttpRequest

    from thidua.org.models import Group, Role, RoleAssignment, Unit, User

    call_command("migrate", verbosity=0)
    # As in production (make install): hashed, compressed static files, served by WhiteNoise.
    call_command("collectstatic", interactive=False, verbosity=0)
    save_unit = "LT-DV05"
    path = var_dir / f"{GROUP}-{YEAR}.yaml"
    path.write_text(covenant_yaml(save_unit, save_criteria), encoding="utf-8")
    call_command("import", str(path))

    leader = User.objects.create_user(username="loadtest.cumtruong", password=None, full_name="Cán bộ cụm trưởng")
    RoleAssignment.objects.create(user=leader, role=Role.GROUP_LEADER_OFFICER, group=Group.objects.get(code=GROUP),
                                  year=YEAR)
    officer = User.objects.create_user(username="loadtest.canbo", password=None, full_name="Cán bộ đơn vị")
    RoleAssignment.objects.create(user=officer, role=Role.UNIT_OFFICER, unit=Unit.objects.get(code=save_unit))

    def session_for(user) -> str:
        # Django's own login() on a request, as the login form does after the password check.
        request = HttpRequest()
        request.session = SessionStore()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session.save()
        return request.session.session_key

    base = f"/cum-khoi/{GROUP}/{YEAR}"
    return Fixture(
        ranking_path=f"{base}/xep-hang/", entry_path=f"{base}/so-lieu/{save_unit}/",
        save_prefix=f"{base}/so-lieu/{save_unit}/o/", save_unit=save_unit,
        leader_session=session_for(leader), officer_session=session_for(officer),
    )


def saved_changes(save_unit: str, save_criteria: list[str]) -> int:
    from thidua.reporting.models import ResultChange

    return ResultChange.objects.filter(result__unit__code=save_unit, result__criterion__code__in=save_criteria,
                                       field="actual", source="web").count()


# ------------------------------------------------------------------------------ gunicorn and wrk


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, cookie: str = "") -> tuple[int, str, list[str]]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers.get_all("Set-Cookie") or []
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(errors="replace"), []


def wait_ready(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if fetch(base + FLOOR_PATH)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn not ready after 60 s:\n{log.read_text()[-3000:]}")


def csrf_of(base: str, fixture: Fixture) -> str:
    """The data-entry page as a browser gets it: its csrftoken cookie (the header htmx sends
    carries the masked form of the same secret; Django accepts either)."""
    status, body, cookies = fetch(base + fixture.entry_path, cookie=f"sessionid={fixture.officer_session}")
    if status != 200 or "hx-post" not in body:
        raise SystemExit(f"the data-entry page answered {status} to the unit officer")
    for cookie in cookies:
        if match := re.match(r"csrftoken=([^;]+)", cookie):
            return match.group(1)
    raise SystemExit("the data-entry page set no csrftoken cookie")


def cpu_seconds(*, parent: int | None = None, cmdline_has: bytes | None = None) -> float:
    """User + system CPU time so far (Linux /proc) of the processes whose parent is `parent`
    (gunicorn's workers) or whose command line contains `cmdline_has` (the PostgreSQL backends
    serving the load test's database: persistent connections, so they live through a run).
    CPU per request is what a page costs whatever else the machine is doing, unlike req/s."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if parent is not None and int(fields[1]) != parent:  # fields[1]: the parent's pid
                continue
            if cmdline_has is not None and cmdline_has not in (entry / "cmdline").read_bytes():
                continue
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def children_cpu_seconds() -> float:
    """CPU time of this process's finished children (wrk)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Figures:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    failures: int
    detail: dict
    cpu_ms: float = 0.0  # gunicorn workers' CPU per request
    db_cpu_ms: float = 0.0  # PostgreSQL backends' CPU per request
    wrk_cpu_ms: float = 0.0  # the load generator's CPU per request

    @property
    def capacity(self) -> float:
        """Requests per second two cores would serve if the machine ran nothing else: the CPU
        the server, the database and wrk spent per request, measured, divided into 2 × 1000 ms."""
        spent = self.cpu_ms + self.db_cpu_ms + self.wrk_cpu_ms
        return (os.cpu_count() or 1) * 1000 / spent if spent else 0.0
    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def run_wrk(name: str, url: str, *, script: str, cookie: str, duration: int, connections: int, threads: int,
            max_requests: int, extra_env: dict[str, str] | None = None, headers: list[str] = ()) -> Figures:
    env = {**os.environ, "LOADTEST_LUA_DIR": str(LUA_DIR),
           "LOADTEST_MAX_REQUESTS_PER_THREAD": str(max(1, max_requests // threads)), **(extra_env or {})}
    command = ["wrk", "--threads", str(threads), "--connections", str(connections), "--duration", f"{duration}s",
               "--timeout", "10s", "--script", str(LUA_DIR / script)]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    for header in headers:
        command += ["--header", header]
    out = subprocess.run([*command, url], env=env, capture_output=True, text=True, timeout=duration + 60)
    line = next((l for l in out.stdout.splitlines() if l.startswith("LOADTEST_JSON ")), None)
    if out.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed for {name} (exit {out.returncode}):\n{out.stdout}\n{out.stderr}")
    data = json.loads(line.removeprefix("LOADTEST_JSON "))
    # Every request wrk sent but did not see answered (stopped at the time limit) is not counted.
    failures = data["non2xx"] + data["invalid"] + data["socket_errors"] + data["timeouts"]
    return Figures(name=name, requests=data["requests"], seconds=data["duration_us"] / 1e6,
                   p50_ms=data["p50_us"] / 1000, p95_ms=data["p95_us"] / 1000, p99_ms=data["p99_us"] / 1000,
                   failures=failures, detail=data)


def fmt(value: float, places: int = 1) -> str:
    """Vietnamese style (decimal comma, dot for thousands), like the rest of the project's output."""
    text = f"{value:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run (default 10)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of unmeasured load per page first")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections (default 4)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads for the GET pages (default 2)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="bound on requests per run")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("THIDUA_GUNICORN_WORKERS", 2)))
    parser.add_argument("--gunicorn-threads", type=int, default=int(os.environ.get("THIDUA_GUNICORN_THREADS", 4)))
    parser.add_argument("--no-cache", action="store_true", help="serve without the ranking cache (a dummy cache)")
    parser.add_argument("--only", default="", help="comma-separated subset of floor,floor_login,ranking,entry,save")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name the PostgreSQL server (scripts/loadtest starts scripts/pg)")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: scripts/install-system-deps loadtest")
    db_url, db_name = loadtest_url(base_url)
    save_criteria = save_criteria_codes(args.connections)
    var_dir = Path(tempfile.mkdtemp(prefix="thidua-loadtest-"))
    server = None
    try:
        say(f"loadtest: database {db_name} (new), covenant of {MEMBERS} members")
        recreate_database(base_url, db_name)
        os.environ["DATABASE_URL"] = db_url
        fixture = build_data(var_dir, save_criteria)
        from django.db import connection

        connection.close()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = var_dir / "gunicorn.log"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "THIDUA_VAR_DIR": str(var_dir),
               "DATABASE_URL": db_url, "THIDUA_LOADTEST_NO_CACHE": "1" if args.no_cache else "0"}
        say(f"loadtest: gunicorn --workers {args.workers} --threads {args.gunicorn_threads} on {base}")
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "thidua.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(args.workers), "--threads", str(args.gunicorn_threads), "--no-control-socket",
             "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_ready(base, server, log)
        csrf = csrf_of(base, fixture)
        for who, path, session in (("ranking", fixture.ranking_path, fixture.leader_session),
                                   ("entry", fixture.entry_path, fixture.officer_session)):
            status = fetch(base + path, cookie=f"sessionid={session}")[0]
            if status != 200:
                raise SystemExit(f"{who}: {path} answered {status}")

        leader_cookie = f"sessionid={fixture.leader_session}"
        officer_cookie = f"sessionid={fixture.officer_session}; csrftoken={csrf}"
        save_env = {"LOADTEST_SAVE_PREFIX": fixture.save_prefix, "LOADTEST_SAVE_CRITERIA": ",".join(save_criteria),
                    "LOADTEST_SAVE_START": SAVE_START, "LOADTEST_SAVE_VALUE_A": SAVE_A, "LOADTEST_SAVE_VALUE_B": SAVE_B}
        plan = {
            # No session cookie: the floor is what any request costs before a page does anything.
            "floor": dict(url=base + FLOOR_PATH, script="get.lua", cookie=""),
            "floor_login": dict(url=base + FLOOR_LOGIN_PATH, script="get.lua", cookie=leader_cookie),
            "ranking": dict(url=base + fixture.ranking_path, script="get.lua", cookie=leader_cookie),
            "entry": dict(url=base + fixture.entry_path, script="get.lua", cookie=officer_cookie),
            # One wrk thread per connection: each connection owns one cell (save.lua).
            "save": dict(url=base + fixture.save_prefix, script="save.lua", cookie=officer_cookie,
                         extra_env=save_env, headers=[f"X-CSRFToken: {csrf}"], threads=args.connections),
        }
        only = [name for name in args.only.split(",") if name] or list(plan)
        results: dict[str, Figures] = {}
        for name in only:
            spec = dict(plan[name])
            threads = spec.pop("threads", min(args.threads, args.connections))
            if args.warmup and name != "save":  # saves are measured from the first (all must be valid)
                run_wrk(name, duration=args.warmup, connections=args.connections, threads=threads,
                        max_requests=args.max_requests, **spec)
            say(f"loadtest: {name} — {args.duration} s, {args.connections} connections")
            db_marker = f" {db_name} ".encode()
            before = (cpu_seconds(parent=server.pid), cpu_seconds(cmdline_has=db_marker), children_cpu_seconds())
            figures = run_wrk(name, duration=args.duration, connections=args.connections, threads=threads,
                              max_requests=args.max_requests, **spec)
            after = (cpu_seconds(parent=server.pid), cpu_seconds(cmdline_has=db_marker), children_cpu_seconds())
            answered = max(1, figures.detail["responses"])
            # max(0, …): a backend that ended during the run takes its CPU time with it.
            figures.cpu_ms, figures.db_cpu_ms, figures.wrk_cpu_ms = (
                max(0.0, 1000 * (b - a) / answered) for a, b in zip(before, after, strict=True))
            results[name] = figures
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        server = None

        problems = []
        if "save" in results:
            os.environ["DATABASE_URL"] = db_url
            stored = saved_changes(fixture.save_unit, save_criteria)
            counted = results["save"].detail["responses"] - results["save"].detail["non2xx"] - results["save"].detail["invalid"]
            results["save"].detail["stored"] = stored
            # wrk stops at the time limit with up to one save per connection sent but its answer
            # unread: those may be stored. Anything else is a lost or an extra write.
            if not counted <= stored <= counted + args.connections:
                problems.append(f"saves: wrk counted {counted} saved, the database holds {stored} changes")
        report(results, args, problems)
        errors = [f"{f.name}: {f.failures} failed ({f.detail})" for f in results.values() if f.failures]
        for line in errors + problems:
            print(f"LỖI / ERROR: {line}")
        return 1 if errors or problems else 0
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)


def report(results: dict[str, Figures], args, problems: list[str]) -> None:
    labels = {"floor": "sàn / floor (minimal view)", "floor_login": "sàn đăng nhập / floor + login",
              "ranking": "xếp hạng / ranking (13 units)",
              "entry": "nhập số liệu / data entry", "save": "lưu ô / figure save (POST)"}
    floor = results.get("floor")
    print()
    print(f"Máy / machine: {os.cpu_count()} CPU, load average at the end {Path('/proc/loadavg').read_text().split()[0]}"
          " — other work on the machine lowers req/s and raises latency.")
    print("CPU ms per request: app = gunicorn's workers, db = PostgreSQL's backends, wrk = the load generator;"
          " 2-core cap. = 2 × 1000 ms ÷ their sum (req/s with the machine to itself, an estimate).")
    if os.environ.get("THIDUA_DB_CONN_MAX_AGE", "0") == "0":
        print("(THIDUA_DB_CONN_MAX_AGE=0: a database backend per request, whose CPU is not counted: db and"
              " 2-core cap. are not meaningful in this run)")
    print(f"Tải / load: wrk, {args.connections} kết nối / connections, {args.duration} s mỗi trang / per page; "
          f"gunicorn {args.workers} workers × {args.gunicorn_threads} threads; PostgreSQL on 127.0.0.1; "
          f"database connections kept {os.environ.get('THIDUA_DB_CONN_MAX_AGE', '0')} s"
          f"{'; NO CACHE' if args.no_cache else ''}")
    print(f"{'':32} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'requests':>9} {'errors':>7}"
          f" {'p95 ÷ floor':>12} {'req/s ÷ floor':>14}{' p95÷login' if 'floor_login' in results else ''}"
          f" {'CPU ms app':>11} {'db':>6} {'wrk':>6} {'2-core cap.':>11}")
    for name, f in results.items():
        logged_in = results.get("floor_login")
        ratios = (f" {fmt(f.p95_ms / floor.p95_ms, 2):>12} {fmt(f.rps / floor.rps, 3):>14}"
                  if floor and name != "floor" else f" {'':>12} {'':>14}")
        if logged_in:
            ratios += (f" {fmt(f.p95_ms / logged_in.p95_ms, 2):>9}" if name not in ("floor", "floor_login")
                       else f" {'':>9}")
        print(f"{labels[name]:32} {fmt(f.rps):>9} {fmt(f.p50_ms, 2):>8} {fmt(f.p95_ms, 2):>8} {fmt(f.p99_ms, 2):>8}"
              f" {f.requests:>9} {f.failures:>7}{ratios} {fmt(f.cpu_ms, 2):>11} {fmt(f.db_cpu_ms, 2):>6}"
              f" {fmt(f.wrk_cpu_ms, 2):>6} {fmt(f.capacity, 0):>11}")
    print()
    verdicts = []
    if "ranking" in results and floor:
        r = results["ranking"]
        ratio = r.p95_ms / floor.p95_ms
        verdicts.append((f"ranking p95 ≤ {fmt(RANKING_P95_RATIO_MAX)} × floor p95: {fmt(ratio, 2)} ×",
                         ratio <= RANKING_P95_RATIO_MAX))
        verdicts.append((f"ranking ≥ {fmt(RANKING_RPS_MIN, 0)} req/s: {fmt(r.rps)}", r.rps >= RANKING_RPS_MIN))
    if "save" in results:
        s = results["save"]
        verdicts.append((f"save p95 < {fmt(SAVE_P95_MS_MAX, 0)} ms: {fmt(s.p95_ms, 2)} ms", s.p95_ms < SAVE_P95_MS_MAX))
        verdicts.append((f"saves valid: {s.detail['responses'] - s.failures} saved, "
                         f"{s.detail.get('stored', '?')} changes in the database", not s.failures and not problems))
    for text, ok in verdicts:
        print(f"  [{'đạt / met' if ok else 'CHƯA ĐẠT / NOT MET'}] {text}")


if __name__ == "__main__":
    sys.exit(main())
