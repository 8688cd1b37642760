"""DocuSign JWT Studio benchmarks: runs every comparison against `dsjwt emulator` and writes
the report (docs/benchmarks.md, or a temp file with --short) with its plots.

Run it through `bash bench/run.sh [--short]`, which installs and builds what this needs.
Each comparison runs several times in one go (the tools interleaved, so background load hits
them alike); the report gives medians, min-max and ratios. A comparison that breaks (wrong
round-trip count, a failed command, a file of the wrong size) makes the exit code 1.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import pathlib
import platform
import re
import shutil
import signal
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
VENV_PY = BENCH / ".venv" / "bin" / "python"
NODE_DIR = BENCH / "node"
PROFILE = "release"  # --profile debug (the --short default) uses the builds `cargo build --all-targets` made
DSJWT = ROOT / "target" / PROFILE / "dsjwt"
APP = ROOT / "target" / "release" / "docusign-jwt-studio"
NDA = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01"
OFFER = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b02"
SENT_NDA_ENVELOPE = "e1a0c001-0000-4000-8000-000000000002"
PAGE_SIZE = 100  # EsignConfig::default().page_size
BIG_LIMITS = {"hourly": 1_000_000, "burst": 1_000_000, "envelope_get_hourly": 1_000_000,
              "envelope_get_burst": 1_000_000, "reset_counters": True}
MB = 1024 * 1024


class BenchFailure(Exception):
    """A comparison broke: the run exits 1."""


# ---------------------------------------------------------------------------------------------
# helpers

def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt_ms(s: float) -> str:
    ms = s * 1000
    return f"{ms:.0f}" if ms >= 100 else f"{ms:.1f}"


def fmt_mib(kb: float) -> str:
    return f"{kb / 1024:.1f}"


def spread(xs, f) -> str:
    """'median (min–max)' of xs formatted with f."""
    if not xs:
        return "—"
    if len(xs) == 1:
        return f(xs[0])
    return f"{f(med(xs))} ({f(min(xs))}–{f(max(xs))})"


def plural(n: int, word: str) -> str:
    if n == 1:
        return f"{n:,} {word}"
    return f"{n:,} {word}" + ("es" if word.endswith(("ch", "sh", "s", "x")) else "s")


def ratio(a: float, b: float) -> str:
    if not b or math.isnan(a) or math.isnan(b):
        return "—"
    return f"{a / b:.1f}×"


class Run:
    def __init__(self, wall: float, rss_kb: int, rc: int, out: str, err: str):
        self.wall, self.rss_kb, self.rc, self.out, self.err = wall, rss_kb, rc, out, err


def run_timed(cmd, env=None, timeout=900) -> Run:
    """Runs cmd under /usr/bin/time -v: wall time (perf_counter around the process) and peak RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        tpath = tf.name
    try:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-v", "-o", tpath, *map(str, cmd)], env=env,
                           capture_output=True, text=True, timeout=timeout)
        wall = time.perf_counter() - t0
        text = pathlib.Path(tpath).read_text()
    finally:
        os.unlink(tpath)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return Run(wall, int(m.group(1)) if m else 0, p.returncode, p.stdout, p.stderr)


def cmd_out(cmd, **kw) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw).stdout.strip()
    except Exception as e:  # noqa: BLE001
        return f"unknown ({e})"


# ---------------------------------------------------------------------------------------------
# the emulator

class Emulator:
    """`dsjwt emulator --grant-consent` (release build) in a temp folder; admin API helpers."""

    def __init__(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="dsjwt-bench-emu-"))
        self.proc = subprocess.Popen([str(DSJWT), "emulator", "--grant-consent", "--data-dir", str(self.dir / "emu")],
                                     stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise BenchFailure("dsjwt emulator exited before printing its ready line")
        self.info = json.loads(line)
        self.url = self.info["url"]
        self.ctx = ssl.create_default_context(cafile=self.info["ca_cert"])
        self.acc = self.info["account_id"]

    def admin(self, method: str, path: str, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}/__emulator/{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, context=self.ctx, timeout=120) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def clear_log(self):
        self.admin("DELETE", "requests")

    def requests(self):
        return self.admin("GET", "requests")

    def raise_limits(self):
        self.admin("POST", "limits", BIG_LIMITS)

    def advance(self, seconds: int):
        self.admin("POST", "clock", {"advance_seconds": seconds})

    def bulk(self, count: int, template_id: str | None, status="sent") -> list[str]:
        body = {"count": count, "status": status}
        if template_id:
            body["template_id"] = template_id
        return self.admin("POST", f"accounts/{self.acc}/envelopes/bulk", body)["envelope_ids"]

    def conn_flags(self, data_dir: pathlib.Path) -> list[str]:
        i = self.info
        return ["--integration-key", i["integration_key"], "--user-id", i["user_id"], "--private-key", i["private_key"],
                "--account-id", i["account_id"], "--base-uri", i["base_uri"], "--auth-server", i["url"],
                "--ca-cert", i["ca_cert"], "--data-dir", str(data_dir),
                # each process mints its own token whatever the machine's keyring holds, so the
                # counts do not depend on it (token reuse across processes: bench_token_processes)
                "--no-token-cache"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.dir, ignore_errors=True)


def rest_calls(reqs):
    return [r for r in reqs if r["path"].startswith("/restapi/")]


def is_template_check(q) -> bool:
    """The template filter's start-up check: `GET /restapi/v2.1/accounts/{id}/templates`."""
    return q["method"] == "GET" and q["path"].split("?")[0].endswith("/templates")


def token_calls(reqs):
    return [r for r in reqs if r["path"] == "/oauth/token"]


# ---------------------------------------------------------------------------------------------
# 1. health check, cold process

def bench_health(emu: Emulator, repeats: int, work: pathlib.Path) -> dict:
    conn = json.dumps(emu.info)
    data_dir = work / "health-ledger"
    tools = {
        f"dsjwt check (Rust, {PROFILE})": ([DSJWT, "check", *emu.conn_flags(data_dir), "--json"], None),
        "Python SDK docusign-esign": ([VENV_PY, BENCH / "sdk" / "py_check.py"], {"BENCH_CONN": conn}),
        "Node SDK docusign-esign": (["node", NODE_DIR / "check.js"], {"BENCH_CONN": conn, "NODE_EXTRA_CA_CERTS": emu.info["ca_cert"]}),
    }
    res = {name: {"wall": [], "rss": [], "calls": []} for name in tools}
    names = list(tools)
    for i in range(repeats + 1):  # round 0 warms the page cache and is not counted
        order = names[i % 3:] + names[:i % 3]
        for name in order:
            cmd, extra = tools[name]
            env = dict(os.environ, **(extra or {}))
            emu.clear_log()
            r = run_timed(cmd, env=env)
            reqs = emu.requests()
            if r.rc != 0:
                raise BenchFailure(f"health check with {name} failed (exit {r.rc}): {r.err[-800:]} {r.out[-800:]}")
            if name.startswith("dsjwt"):
                rep = json.loads(r.out)
                if not rep.get("ok"):
                    raise BenchFailure(f"dsjwt check reported not healthy: {r.out[:800]}")
                paths = [q["path"] for q in reqs]
                if len(reqs) != 2:
                    raise BenchFailure(f"dsjwt check made {len(reqs)} HTTP round trips, expected exactly 2: {paths}")
            if i == 0:
                continue
            res[name]["wall"].append(r.wall)
            res[name]["rss"].append(r.rss_kb)
            res[name]["calls"].append(len(reqs))
    log("health: " + ", ".join(f"{n}: {fmt_ms(med(v['wall']))} ms" for n, v in res.items()))
    return res


# ---------------------------------------------------------------------------------------------
# 2. token reuse (criterion, in process)

def bench_token_reuse(short: bool, work: pathlib.Path) -> dict:
    out = work / "token_reuse.json"
    env = dict(os.environ, BENCH_TOKEN_REUSE_OUT=str(out), BENCH_SHORT="1" if short else "0", CRITERION_HOME=str(work / "criterion"))
    if PROFILE == "release":
        cmd = ["cargo", "bench", "--locked", "-q", "-p", "studio-core", "--bench", "token_reuse"]
    else:  # the dev-profile build that `cargo build --all-targets` already made; `--bench`: criterion's timing mode
        cmd = ["cargo", "test", "--locked", "-q", "-p", "studio-core", "--bench", "token_reuse", "--", "--bench"]
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    if p.returncode != 0:
        raise BenchFailure(f"{' '.join(cmd)} failed (exit {p.returncode}):\n{p.stderr[-2000:]}\n{p.stdout[-2000:]}")
    counts = json.loads(out.read_text())
    timings = {}
    crit = work / "criterion" / "list_templates"
    for name in ("token_reused", "token_minted_per_call"):
        est = json.loads((crit / name / "new" / "estimates.json").read_text())
        sample = json.loads((crit / name / "new" / "sample.json").read_text())
        per_iter = [t / n for t, n in zip(sample["times"], sample["iters"])]  # ns per call, per sample
        timings[name] = {"median_ns": est["median"]["point_estimate"], "min_ns": min(per_iter), "max_ns": max(per_iter),
                         "samples": len(per_iter)}
    if counts["token_requests"] != 1:
        raise BenchFailure(f"token reuse: {counts['token_requests']} token requests for {counts['actions']} actions (goal 1)")
    log(f"token reuse: {counts}")
    return {"counts": counts, "timings": timings, "command": " ".join(cmd)}


def bench_token_processes(n: int, work: pathlib.Path) -> dict:
    """`bench/token_processes.py` inside scripts/with-keyring.sh: n processes with the token kept in
    the keyring, n with --no-token-cache; checks 1 token request for the first, n for the second."""
    emu = Emulator()
    try:
        emu.raise_limits()
        info = work / "emulator-info.json"
        info.write_text(json.dumps(emu.info))
        py = VENV_PY if VENV_PY.exists() else pathlib.Path(sys.executable)
        p = subprocess.run(["bash", "scripts/with-keyring.sh", str(py), str(BENCH / "token_processes.py"), str(DSJWT), str(info),
                            str(work / "token-ledger"), str(n)], cwd=ROOT, capture_output=True, text=True, timeout=3600)
        lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
        if not lines:
            raise BenchFailure(f"token reuse across processes: no result (exit {p.returncode}): {p.stderr[-600:]}")
        r = json.loads(lines[-1])
        if "error" in r:
            raise BenchFailure(f"token reuse across processes: {r['error']}")
    finally:
        emu.stop()
    if r["cached"]["token_requests"] != 1:
        raise BenchFailure(f"token reuse across processes: {r['cached']['token_requests']} token requests for {n} processes (goal 1)")
    if r["uncached"]["token_requests"] != n:
        raise BenchFailure(f"--no-token-cache: {r['uncached']['token_requests']} token requests for {n} processes (expected {n})")
    log(f"token across processes: {n} runs → {r['cached']['token_requests']} token request(s); "
        f"{fmt_ms(med(r['cached']['wall']))} vs {fmt_ms(med(r['uncached']['wall']))} ms per process")
    return r


# ---------------------------------------------------------------------------------------------
# 3. polling cost

CHANGED = 10  # envelopes of each template changed between cycle 1 and cycle 2


def watch_once(emu: Emulator, data_dir: pathlib.Path, template: str | None):
    cmd = [DSJWT, "watch", "envelope-status", "--once", "--interval", "1", *emu.conn_flags(data_dir)]
    if template:
        cmd += ["--template-id", template]
    emu.clear_log()
    r = run_timed(cmd)
    reqs = emu.requests()
    if r.rc != 0:
        raise BenchFailure(f"dsjwt watch failed (exit {r.rc}): {r.err[-1500:]}")
    # With a template filter, watch checks the template once before it arms (F47: templates are
    # per account): one GET of the account's template list (studio-core id_checks), one page per
    # 100 templates. That start-up call is not part of a cycle.
    rest = [q for q in rest_calls(reqs) if not (template and is_template_check(q))]
    odd = [q["path"] for q in rest if not q["path"].endswith("/envelopes") or q["method"] != "GET"]
    if odd:
        raise BenchFailure(f"dsjwt watch made calls other than listStatusChanges: {odd[:5]}")
    events = [ln for ln in r.out.splitlines() if ln.strip()]
    return {"rest": len(rest), "token": len(token_calls(reqs)), "all": len(reqs), "events": len(events),
            "wall": r.wall, "rss": r.rss_kb, "server_s": sum(q["duration_ms"] for q in reqs) / 1000}


def bench_polling(sizes, work: pathlib.Path) -> list[dict]:
    rows = []
    for n in sizes:
        emu = Emulator()
        try:
            emu.raise_limits()
            nda_ids = emu.bulk(n, NDA)
            offer_ids = emu.bulk(n, OFFER)
            emu.advance(600)
            d_all, d_nda = work / f"watch-all-{n}", work / f"watch-nda-{n}"
            c1_all = watch_once(emu, d_all, None)
            c1_nda = watch_once(emu, d_nda, NDA)
            # the next cycle, 10 minutes later: CHANGED envelopes of each template were opened
            emu.advance(600)
            for env_id in nda_ids[:CHANGED] + offer_ids[:CHANGED]:
                emu.admin("POST", f"accounts/{emu.acc}/envelopes/{env_id}/recipients/1/deliver")
            emu.advance(60)
            c2_all = watch_once(emu, d_all, None)
            c2_nda = watch_once(emu, d_nda, NDA)
        finally:
            emu.stop()
        # checks: every page of changes and nothing else
        if c1_nda["rest"] != math.ceil(n / PAGE_SIZE):
            raise BenchFailure(f"polling {n}: first cycle with the template filter made {c1_nda['rest']} calls, expected {math.ceil(n / PAGE_SIZE)}")
        if c1_all["rest"] > math.ceil((2 * n + 9) / PAGE_SIZE):
            raise BenchFailure(f"polling {n}: first cycle without filter made {c1_all['rest']} calls")
        if c1_nda["events"] != n:
            raise BenchFailure(f"polling {n}: first cycle with the template filter gave {c1_nda['events']} events, expected {n}")
        if c2_all["rest"] != 1 or c2_nda["rest"] != 1:
            raise BenchFailure(f"polling {n}: steady cycle made {c2_all['rest']} / {c2_nda['rest']} calls, expected 1")
        if c2_all["events"] != 2 * CHANGED or c2_nda["events"] != CHANGED:
            raise BenchFailure(f"polling {n}: steady cycle gave {c2_all['events']} / {c2_nda['events']} events, expected {2 * CHANGED} / {CHANGED}")
        for c in (c1_all, c1_nda, c2_all, c2_nda):
            if c["token"] != 1:
                raise BenchFailure(f"polling {n}: a watch process made {c['token']} token requests")
        rows.append({"n": n, "c1_all": c1_all, "c1_nda": c1_nda, "c2_all": c2_all, "c2_nda": c2_nda})
        log(f"polling {n}: cycle1 all={c1_all['rest']} nda={c1_nda['rest']}, cycle2 all={c2_all['rest']} nda={c2_nda['rest']}")
    return rows


# ---------------------------------------------------------------------------------------------
# 4. listing and download

LISTING_RSS_LIMIT_MIB = 40  # issue 14: flat, at most 40 MiB whatever the number of envelopes


def bench_listing(sizes, repeats: int, work: pathlib.Path) -> list[dict]:
    """`dsjwt action list-envelopes` over growing listings, as one JSON document and as JSON Lines."""
    emu = Emulator()
    rows = []
    try:
        emu.raise_limits()
        since = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
        have = 0
        for n in sizes:
            emu.bulk(n - have, NDA)  # the listing grows: each size adds to the envelopes already there
            have = n
            for mode in ("document", "jsonl"):
                extra = ["--jsonl"] if mode == "jsonl" else []
                walls, rsss, calls, server = [], [], [], []
                out_bytes = 0
                for i in range(repeats if n < 100_000 else 1):  # the largest listing once: it takes minutes
                    emu.clear_log()
                    r = run_timed([DSJWT, "action", *emu.conn_flags(work / "list-ledger"), "list-envelopes", "--from-date", since, *extra],
                                  timeout=3600)
                    reqs = emu.requests()
                    if r.rc != 0:
                        raise BenchFailure(f"list-envelopes {mode} {n} failed (exit {r.rc}): {r.out[:600]} {r.err[-600:]}")
                    if mode == "document":
                        got = json.loads(r.out).get("count")
                    else:
                        got = sum(1 for ln in r.out.splitlines() if ln.startswith("{\"") and "envelopeId" in ln)
                    if got != n:
                        raise BenchFailure(f"list-envelopes {mode} listed {got} envelopes, expected {n}")
                    walls.append(r.wall)
                    rsss.append(r.rss_kb)
                    calls.append(len(rest_calls(reqs)))
                    server.append(sum(q["duration_ms"] for q in reqs) / 1000)
                    out_bytes = len(r.out.encode())
                    del r
                if calls[0] != math.ceil(n / PAGE_SIZE):
                    raise BenchFailure(f"list-envelopes made {calls[0]} calls for {n} envelopes, expected {math.ceil(n / PAGE_SIZE)}")
                if max(rsss) > LISTING_RSS_LIMIT_MIB * 1024:
                    raise BenchFailure(f"list-envelopes {mode} over {n:,} envelopes peaked at {fmt_mib(max(rsss))} MiB RSS "
                                       f"(at most {LISTING_RSS_LIMIT_MIB} MiB)")
                cmd = "dsjwt action list-envelopes --from-date <10 min ago>" + (" --jsonl" if extra else "") + " <connection flags>"
                rows.append({"n": n, "mode": mode, "command": cmd, "wall": walls, "rss": rsss, "calls": calls,
                             "server": server, "out_bytes": out_bytes})
                log(f"listing {n} {mode}: {fmt_ms(med(walls))} ms, {fmt_mib(med(rsss))} MiB, {calls[0]} calls")
    finally:
        emu.stop()
    return rows


def bench_download(sizes_mb, repeats: int, work: pathlib.Path) -> list[dict]:
    emu = Emulator()
    rows = []
    try:
        emu.raise_limits()
        conn = json.dumps(emu.info)
        for size in sizes_mb:
            nbytes = size * MB
            doc = emu.admin("POST", f"accounts/{emu.acc}/envelopes/{SENT_NDA_ENVELOPE}/documents", {"size_bytes": nbytes})
            doc_id = doc["document_id"]
            res = {"dsjwt": {"wall": [], "rss": []}, "python": {"wall": [], "rss": []}}
            for i in range(repeats):
                for tool in (("dsjwt", "python") if i % 2 == 0 else ("python", "dsjwt")):
                    out = work / f"doc-{size}-{tool}.pdf"
                    if tool == "dsjwt":
                        cmd = [DSJWT, "action", *emu.conn_flags(work / "dl-ledger"), "download-document", SENT_NDA_ENVELOPE, doc_id, "--out", out]
                        env = None
                    else:
                        cmd = [VENV_PY, BENCH / "sdk" / "py_get_document.py", SENT_NDA_ENVELOPE, doc_id, out]
                        env = dict(os.environ, BENCH_CONN=conn)
                    r = run_timed(cmd, env=env)
                    if r.rc != 0:
                        raise BenchFailure(f"download {size} MB with {tool} failed (exit {r.rc}): {r.out[:500]} {r.err[-800:]}")
                    got = out.stat().st_size if out.exists() else -1
                    if got != nbytes:
                        raise BenchFailure(f"download {size} MB with {tool}: the file has {got} bytes, expected {nbytes}")
                    with open(out, "rb") as f:
                        if f.read(5) != b"%PDF-":
                            raise BenchFailure(f"download {size} MB with {tool}: not a PDF")
                    out.unlink()
                    res[tool]["wall"].append(r.wall)
                    res[tool]["rss"].append(r.rss_kb)
            rows.append({"mb": size, **res})
            log(f"download {size} MB: dsjwt {fmt_mib(med(res['dsjwt']['rss']))} MiB, python {fmt_mib(med(res['python']['rss']))} MiB")
    finally:
        emu.stop()
    return rows


# ---------------------------------------------------------------------------------------------
# 5. the desktop app

def proc_tree(root_pid: int) -> list[int]:
    """root_pid and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for d in pathlib.Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(d.name))
    out, todo = [], [root_pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def mem_of(pid: int) -> tuple[int, int]:
    """(RSS kB, PSS kB) of one process, from /proc/PID/smaps_rollup."""
    try:
        text = pathlib.Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    rss = re.search(r"^Rss:\s+(\d+) kB", text, re.M)
    pss = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return (int(rss.group(1)) if rss else 0, int(pss.group(1)) if pss else 0)


def process_role(pid: int) -> str:
    """What a process of the app's tree is: app, WebKit web / network process, or its name."""
    try:
        name = pathlib.Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"
    if name.startswith("docusign-jwt"):
        return "app"
    if name.startswith("WebKitWebProces"):
        return "WebKit web process"
    if name.startswith("WebKitNetworkPr"):
        return "WebKit network process"
    return name


def threads_of(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/task"))
    except OSError:
        return 0


def other_webkit_processes(tree) -> int:
    """WebKit web processes on the machine outside `tree` (another app's). Pages of the shared
    libraries they map too are split with them, so they lower this app's PSS (not its RSS)."""
    mine = set(tree)
    n = 0
    for d in pathlib.Path("/proc").iterdir():
        if d.name.isdigit() and int(d.name) not in mine:
            try:
                if (d / "comm").read_text().startswith("WebKitWebProces"):
                    n += 1
            except OSError:
                pass
    return n


def per_process(pids) -> dict:
    """{role: {"rss_kb", "pss_kb", "threads"}} over `pids` (D-Bus helpers left out), summed per role."""
    out: dict = {}
    for p in pids:
        role = process_role(p)
        if role in ("dbus-run-sessio", "dbus-daemon", "?"):
            continue
        rss, pss = mem_of(p)
        r = out.setdefault(role, {"rss_kb": 0, "pss_kb": 0, "threads": 0})
        r["rss_kb"] += rss
        r["pss_kb"] += pss
        r["threads"] += threads_of(p)
    return out


def screenshot_colours(display: str, win_id: str | None) -> int:
    """Distinct colours in a screenshot of the window (or the root window)."""
    from PIL import Image  # Pillow comes with matplotlib in bench/.venv
    import io
    target = win_id or "root"
    try:
        png = subprocess.run(["import", "-display", display, "-window", target, "png:-"], capture_output=True, timeout=20).stdout
    except subprocess.TimeoutExpired:
        return 0
    if not png:
        return 0
    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 16)
    return len(colours) if colours is not None else 1 << 16


def find_window(display: str, title: str) -> str | None:
    out = subprocess.run(["xwininfo", "-display", display, "-root", "-tree"], capture_output=True, text=True, timeout=10).stdout
    for line in out.splitlines():
        if f'"{title}"' in line:
            m = re.match(r"\s*(0x[0-9a-f]+)\s", line)
            g = re.search(r"(\d+)x(\d+)\+", line)
            if m and g and int(g.group(1)) > 100 and int(g.group(2)) > 100:
                return m.group(1)
    return None


def one_line(text: str, limit: int = 300) -> str:
    """An error for one table cell: its lines joined, `|` escaped, at most `limit` characters."""
    t = " ".join(ln.strip() for ln in text.splitlines() if ln.strip()).replace("|", "\\|")
    return t if len(t) <= limit else t[: limit - 1] + "…"


def start_xvfb(work: pathlib.Path):
    """A private Xvfb; returns (proc, ':N')."""
    r, w = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    num = b""
    deadline = time.time() + 20
    while time.time() < deadline:
        c = os.read(r, 16)
        if not c:
            break
        num += c
        if num.endswith(b"\n"):
            break
    os.close(r)
    if not num.strip():
        proc.kill()
        raise RuntimeError("Xvfb did not start")
    return proc, ":" + num.decode().strip()


def app_launch(display: str, work: pathlib.Path, idle_secs: float, shot: pathlib.Path | None) -> dict:
    """One cold start of the release app under Xvfb with a fresh profile. Returns timings and memory."""
    prof = pathlib.Path(tempfile.mkdtemp(prefix="app-", dir=work))
    home = prof / "home"
    for sub in ("data", ".config", ".cache", ".local/share", "run"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    os.chmod(home / "run", 0o700)
    env = dict(os.environ, DISPLAY=display, HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local/share"),
               XDG_RUNTIME_DIR=str(home / "run"))
    env.pop("WAYLAND_DISPLAY", None)
    cmd = [str(APP), "--data-dir", str(home / "data")]
    if shutil.which("dbus-run-session"):
        cmd = ["dbus-run-session", "--", *cmd]
    t0 = time.perf_counter()
    with open(prof / "stderr.log", "w") as errf:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=errf, start_new_session=True)
    res = {"window": None, "paint": None, "ipc": None}
    log_file = None
    try:
        win = None
        deadline = t0 + 90
        while time.perf_counter() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"the app exited with {proc.returncode}: {(prof / 'stderr.log').read_text()[-600:]}")
            now = time.perf_counter() - t0
            if win is None:
                win = find_window(display, "DocuSign JWT Studio")
                if win:
                    res["window"] = now
            if res["ipc"] is None:
                if log_file is None:
                    found = sorted((home / "data").rglob("studio.*.log"))  # the day's file (studio-core logging)
                    log_file = found[0] if found else None
                if log_file is not None and any("command=" in ln and re.search(r"\bok\b", ln) for ln in log_file.read_text(errors="replace").splitlines()):
                    res["ipc"] = time.perf_counter() - t0
            if win and res["paint"] is None:
                # first paint: the window's pixels are no longer one flat colour (text drawn)
                if screenshot_colours(display, win) >= 16:
                    res["paint"] = time.perf_counter() - t0
            if res["paint"] is not None and res["ipc"] is not None:
                break
            if res["paint"] is not None and time.perf_counter() - t0 > res["paint"] + 5:
                break  # the UI made no IPC call that was logged; go on without it
            time.sleep(0.02)
        if res["paint"] is None:
            raise RuntimeError(f"no painted window within 90 s (window seen: {win is not None})")
        time.sleep(idle_secs)
        app_pid = proc.pid
        tree = proc_tree(app_pid)
        mems = {p: mem_of(p) for p in tree}
        names = {}
        for p in tree:
            try:
                names[p] = pathlib.Path(f"/proc/{p}/comm").read_text().strip()
            except OSError:
                names[p] = "?"
        main = [p for p in tree if names[p].startswith("docusign-jwt")]
        res["main_rss_kb"] = sum(mems[p][0] for p in main)
        res["tree_rss_kb"] = sum(m[0] for p, m in mems.items() if names[p] not in ("dbus-run-sessio", "dbus-daemon"))
        res["tree_pss_kb"] = sum(m[1] for p, m in mems.items() if names[p] not in ("dbus-run-sessio", "dbus-daemon"))
        res["processes"] = sorted(n for p, n in names.items() if n not in ("dbus-run-sessio", "dbus-daemon"))
        res["per_process"] = per_process(tree)
        res["other_webkit"] = other_webkit_processes(tree)
        if shot is not None:  # best effort: the picture is for the report, not a figure
            try:
                subprocess.run(["import", "-display", display, "-window", win, str(shot)], capture_output=True, timeout=30)
            except subprocess.TimeoutExpired:
                pass
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        try:  # whatever of the group is left (WebKit processes)
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        shutil.rmtree(prof, ignore_errors=True)
    return res


def shown(p: pathlib.Path) -> str:
    """p relative to the repository when it is inside it."""
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(p)


def dir_size(p: pathlib.Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def bench_app(repeats: int, wizard_runs: int, idle_secs: float, work: pathlib.Path, build_status: str | None, shot: pathlib.Path | None) -> dict:
    out: dict = {"not_measured": None}
    if build_status:
        out["not_measured"] = build_status
        return out
    if not APP.exists():
        out["not_measured"] = f"{shown(APP)} does not exist (the app was not built)"
        return out
    out["binary_bytes"] = APP.stat().st_size
    stripped = work / "app-stripped"
    if shutil.which("strip") and subprocess.run(["strip", "-o", str(stripped), str(APP)], capture_output=True).returncode == 0:
        out["stripped_bytes"] = stripped.stat().st_size
        stripped.unlink()
    dist = ROOT / "ui" / "dist"
    out["ui_dist_bytes"] = dir_size(dist) if dist.is_dir() else None
    debs = sorted((ROOT / "target" / "release" / "bundle").rglob("*.deb")) if (ROOT / "target" / "release" / "bundle").is_dir() else []
    out["bundle"] = {d.name: d.stat().st_size for d in debs}
    for tool in ("Xvfb", "xwininfo", "import"):
        if not shutil.which(tool):
            out["launch_error"] = f"{tool} is not installed"
            return out
    launches = []
    out["launches_retried"] = []
    for i in range(repeats + 1):  # launch 0 warms the page cache and is not counted
        # One retry per launch: on the shared machine a launch can fail for reasons of its own
        # (its X server gone); the report names each retried launch and why. A second failure
        # stops the section and is reported as the error.
        for attempt in (1, 2):
            xvfb, display = start_xvfb(work)  # a fresh X server per launch: no window of an earlier launch
            try:
                launches.append(app_launch(display, work, idle_secs if i > 0 else 0.5, shot if i == repeats else None))
                break
            except Exception as e:  # noqa: BLE001
                why = one_line(str(e))
                if attempt == 1:
                    out["launches_retried"].append(why)
                else:
                    out["launch_error"] = why
            finally:
                xvfb.terminate()
                try:
                    xvfb.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    xvfb.kill()
        if out.get("launch_error"):
            break
    out["launches"] = launches[1:]
    # idle memory after the whole wizard (bench/app_wizard.py, WebDriver, inside a throw-away keyring)
    out["wizard"] = []
    driver = shutil.which("tauri-driver") or (str(pathlib.Path.home() / ".cargo/bin/tauri-driver") if (pathlib.Path.home() / ".cargo/bin/tauri-driver").exists() else None)
    missing = [n for n, ok in (("tauri-driver", driver), ("WebKitWebDriver", shutil.which("WebKitWebDriver")),
                               ("scripts/with-keyring.sh", (ROOT / "scripts" / "with-keyring.sh").exists())) if not ok]
    if missing:
        out["wizard_error"] = f"{', '.join(missing)} missing (bash scripts/app-setup.sh --e2e installs them)"
        return out
    wshot = shot.parent / "app-after-wizard.png" if shot is not None else work / "wizard.png"
    tries = 0
    while len(out["wizard"]) < wizard_runs and tries < wizard_runs + 2:  # a WebDriver hiccup gets another try
        tries += 1
        p = subprocess.run(["bash", "scripts/with-keyring.sh", str(VENV_PY), str(BENCH / "app_wizard.py"), str(APP), str(idle_secs), str(wshot)],
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
        lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
        r = json.loads(lines[-1]) if lines else {"error": one_line(f"exit {p.returncode}: {p.stderr[-400:]}")}
        if "error" in r:
            out.setdefault("wizard_retries", []).append(r["error"])
            log(f"app wizard try {tries} failed: {r['error']}")
            continue
        out["wizard"].append(r)
    if len(out["wizard"]) < wizard_runs:
        out["wizard_error"] = (out.get("wizard_retries") or ["?"])[-1]
    return out


# ---------------------------------------------------------------------------------------------
# plots

def plot_polling(rows, path: pathlib.Path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ns = [r["n"] for r in rows]
    fig, ax = plt.subplots(figsize=(8, 5.2), dpi=110)
    ax.plot(ns, ns, "o-", color="#c0392b", lw=2, label="per-envelope polling: 1 GET per watched envelope")
    ax.plot(ns, [r["c1_all"]["rest"] for r in rows], "s-", color="#2c3e50", lw=2,
            label="dsjwt watch, cycle 1: all 2N envelopes changed (no filter)")
    ax.plot(ns, [r["c1_nda"]["rest"] for r in rows], "^-", color="#2980b9", lw=2,
            label="dsjwt watch, cycle 1: the N watched envelopes changed (template filter)")
    ax.plot(ns, [r["c2_nda"]["rest"] for r in rows], "D-", color="#27ae60", lw=2,
            label=f"dsjwt watch, cycle 2 (steady): {CHANGED} watched envelopes changed, with or without filter")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("watched envelopes N (NDA template; the account also has N Offer Letter envelopes)")
    ax.set_ylabel("eSignature API calls per cycle (log)")
    ax.set_title("Polling cost per trigger cycle")
    ax.set_ylim(0.7, max(ns) * 2.5)
    ax.set_xticks(ns)
    ax.set_xticklabels([f"{n:,}" for n in ns])
    for n in ns:
        ax.annotate(f"{n:,}", (n, n), textcoords="offset points", xytext=(-6, 7), ha="right", fontsize=8, color="#c0392b")
    for r in rows:
        ax.annotate(str(r["c1_nda"]["rest"]), (r["n"], r["c1_nda"]["rest"]), textcoords="offset points", xytext=(6, -12), fontsize=8, color="#2980b9")
        ax.annotate(str(r["c2_nda"]["rest"]), (r["n"], r["c2_nda"]["rest"]), textcoords="offset points", xytext=(6, 5), fontsize=8, color="#27ae60")
        ax.annotate(str(r["c1_all"]["rest"]), (r["n"], r["c1_all"]["rest"]), textcoords="offset points", xytext=(-6, 7), ha="right", fontsize=8, color="#2c3e50")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def plot_download(rows, path: pathlib.Path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    sizes = [r["mb"] for r in rows]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.6), dpi=110)
    for tool, colour, label, marker in (("dsjwt", "#2980b9", "dsjwt action download-document", "o"),
                                        ("python", "#c0392b", "Python SDK get_document", "s")):
        rss = [med(r[tool]["rss"]) / 1024 for r in rows]
        lo = [min(r[tool]["rss"]) / 1024 for r in rows]
        hi = [max(r[tool]["rss"]) / 1024 for r in rows]
        ax.plot(sizes, rss, marker + "-", color=colour, lw=2, label=label)
        ax.fill_between(sizes, lo, hi, color=colour, alpha=0.15)
        for s, v in zip(sizes, rss):
            ax.annotate(f"{v:.0f}", (s, v), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8, color=colour)
        wall = [med(r[tool]["wall"]) for r in rows]
        ax2.plot(sizes, wall, marker + "-", color=colour, lw=2, label=label)
        for s, v in zip(sizes, wall):
            ax2.annotate(f"{v:.2f}", (s, v), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=8, color=colour)
    for a in (ax, ax2):
        a.set_xscale("log")
        a.set_xticks(sizes)
        a.set_xticklabels([f"{s} MiB" for s in sizes])
        a.set_xlabel("document size")
        a.grid(True, which="both", alpha=0.3)
        a.legend(fontsize=8, loc="upper left")
    ax.set_ylabel("peak RSS of the process (MiB)")
    ax.set_title("Memory while downloading one document")
    ax.set_ylim(0, max(max(r[t]["rss"]) for r in rows for t in ("dsjwt", "python")) / 1024 * 1.15)
    ax2.set_ylabel("wall time of the process (s)")
    ax2.set_title("Time (process start to file written)")
    ax2.set_ylim(0, max(max(r[t]["wall"]) for r in rows for t in ("dsjwt", "python")) * 1.15)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


# ---------------------------------------------------------------------------------------------
# the report

def machine_info() -> dict:
    cpu = "unknown"
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", pathlib.Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    os_name = "unknown"
    try:
        os_name = re.search(r'PRETTY_NAME="([^"]+)"', pathlib.Path("/etc/os-release").read_text()).group(1)
    except (OSError, AttributeError):
        pass
    return {"nproc": cmd_out(["nproc"]), "cpu": cpu, "memory": mem, "os": os_name, "kernel": platform.release()}


def versions() -> dict:
    def pkg_json_version(p):
        try:
            return json.loads(p.read_text())["version"]
        except (OSError, KeyError, ValueError):
            return "not installed"
    crit = "unknown"
    lock = (ROOT / "Cargo.lock").read_text()
    m = re.search(r'name = "criterion"\nversion = "([^"]+)"', lock)
    if m:
        crit = m.group(1)
    return {
        "rustc": cmd_out(["rustc", "--version"]),
        "dsjwt": cmd_out([str(DSJWT), "--version"]) + f" (target/{PROFILE})",
        "python": cmd_out([str(VENV_PY), "--version"]),
        "docusign-esign (PyPI)": cmd_out([str(VENV_PY), "-c", "import importlib.metadata as m; print(m.version('docusign-esign'))"]),
        "node": cmd_out(["node", "--version"]),
        "docusign-esign (npm)": pkg_json_version(NODE_DIR / "node_modules" / "docusign-esign" / "package.json"),
        "criterion": crit,
        "matplotlib": cmd_out([str(VENV_PY), "-c", "import matplotlib; print(matplotlib.__version__)"]),
    }


def loadavg() -> str:
    try:
        return " ".join(pathlib.Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def write_report(path: pathlib.Path, plots_rel: str, ctx: dict) -> None:
    """Writes the report to `path`. Each section's part sits between `<!-- bench:KEY begin ... -->`
    and `<!-- bench:KEY end -->`; the parts of sections this run did not run (`--only`) are kept
    from the report already at `path`, with the command and date that made them."""
    L: list[str] = []
    a = L.append
    short = ctx["short"]
    ran = ctx.get("ran", set(SECTIONS))
    made_by = f"`{ctx['command']}`, {ctx['date']}"

    def begin(key):
        a(f"{BLOCK_BEGIN.format(key=key)} made by {made_by} -->")

    def end(key):
        a(BLOCK_END.format(key=key))
        a("")

    def missing(key, v, what=""):
        """The line for a section without figures: not run (--only), or failed."""
        if key not in ran:
            a(f"{what}Not run: {v}.")
        else:
            a(f"{what}FAILED: {v}")
    a("# Benchmarks")
    a("")
    a(f"Made by `{ctx['command']}` on {ctx['date']} (the measurements took {ctx['elapsed']:.0f} s, after the builds). "
      + PROVENANCE_PLACEHOLDER)
    if short:
        a("")
        a("**Short mode** (`--short`): every comparison once, with small sizes"
          + (", debug builds" if PROFILE == "debug" else "") + ". A smoke test, not figures to quote.")
    a("")
    a("Figures are from a small, shared machine where other builds were running (load average "
      f"{ctx['load_start']} at the start, {ctx['load_end']} at the end): absolute times are noisy. Each "
      "comparison interleaves the tools within one run, so read the **ratios** and the **counts** "
      "(HTTP calls, tokens, bytes), which do not depend on load. Times are medians with min–max in "
      "brackets; memory is peak resident set size (RSS, `/usr/bin/time -v`) unless said otherwise.")
    a("")
    a(f"Everything runs against the local DocuSign emulator (`dsjwt emulator`, {PROFILE} build, real "
      "HTTPS on 127.0.0.1, a fresh emulator per section) with the default world and consent granted. "
      "The emulator's rate limits (3,000 calls per hour, 200 per 30 s burst, 100 GETs of one envelope "
      "per hour and 20 per burst) are raised for the bench with `POST /__emulator/limits` "
      "(`hourly`, `burst`, `envelope_get_hourly`, `envelope_get_burst` = 1,000,000): the bench measures "
      "calls and bytes, not the limits. The HTTP calls are counted in the emulator's request log "
      "(`GET /__emulator/requests`, cleared before each run).")
    a("")
    a("## Machine and versions")
    a("")
    m = ctx["machine"]
    a("| | |")
    a("|---|---|")
    a(f"| CPU | {m['cpu']} |")
    a(f"| cores (`nproc`) | {m['nproc']} |")
    a(f"| memory | {m['memory']} |")
    a(f"| OS | {m['os']}, Linux {m['kernel']} |")
    for k, v in ctx["versions"].items():
        a(f"| {k} | {v} |")
    a("")
    a("## Summary")
    a("")
    for key, s in ctx["summary"]:
        a(f"- {s}" + (f" {SUMMARY_TAG.format(key=key)}" if key else ""))
    a("")

    # 1
    a("## 1. Health check, cold process")
    a("")
    begin("health")
    a("JWT → `/oauth/token` → `/oauth/userinfo`, then the account and base URI checked locally; one "
      f"new process per run, the same emulator and key for all three. `dsjwt check --json` ({PROFILE} "
      "build; it also records both calls in its Go-Live ledger, a SQLite file) against tiny scripts "
      "doing the same with the official SDKs: `bench/sdk/py_check.py` (Python `docusign-esign`, "
      "`request_jwt_user_token` + `get_user_info`) and `bench/node/check.js` (Node `docusign-esign`, "
      "`requestJWTUserToken` + `getUserInfo`, `NODE_EXTRA_CA_CERTS` = the emulator's CA). "
      f"{plural(ctx['health_runs'], 'run')} each, interleaved, after one untimed warm-up run each. "
      "The bench fails if `dsjwt check` makes any number of HTTP round trips other than 2.")
    a("")
    h = ctx.get("health")
    if isinstance(h, dict):
        ours = h[next(iter(h))]
        a("| client | wall time, ms | peak RSS, MiB | HTTP round trips | time ÷ dsjwt | RSS ÷ dsjwt |")
        a("|---|---|---|---|---|---|")
        for name, v in h.items():
            calls = sorted(set(v["calls"]))
            a(f"| {name} | {spread(v['wall'], fmt_ms)} | {spread(v['rss'], fmt_mib)} | {', '.join(map(str, calls))} | "
              f"{ratio(med(v['wall']), med(ours['wall']))} | {ratio(med(v['rss']), med(ours['rss']))} |")
    else:
        missing("health", h)
    a("")
    end("health")

    # 2
    a("## 2. Token reuse")
    a("")
    begin("token")
    t = ctx.get("token")
    if isinstance(t, dict):
        c = t["counts"]
        a(f"In process (`{t['command']}`, criterion; source `crates/studio-core/benches/token_reuse.rs`). One "
          f"`EsignClient` makes {c['actions']:,} eSignature actions (`list_templates` and `get_envelope` in turn, "
          f"over the default world's envelopes) while the emulator's clock moves {c['step_seconds']} s after each "
          f"action, so they span {c['emulator_seconds_spanned'] // 60} min {c['emulator_seconds_spanned'] % 60} s "
          "of emulator time, within the 50 minutes a token is used (it is re-minted 10 minutes before it expires, "
          "judged by DocuSign's clock: the emulator's, read from each answer's `Date` header). "
          "`/oauth/token` requests are counted in the request log.")
        a("")
        a("| | value |")
        a("|---|---|")
        a(f"| actions (eSignature REST calls in the log) | {c['actions']:,} ({c['rest_calls']:,}) |")
        a(f"| `/oauth/token` requests (goal 1) | **{c['token_requests']}** |")
        a(f"| a client that requests a token per action (e.g. a script calling `request_jwt_user_token` each time) | {c['actions']:,} |")
        a(f"| wall time of the {c['actions']:,} actions | {c['wall_seconds']:.2f} s ({c['mean_ms_per_action']:.2f} ms per action, client and emulator in one process) |")
        a("")
        tr, tm = t["timings"]["token_reused"], t["timings"]["token_minted_per_call"]
        a("Criterion, one `list_templates` call (the HTTPS connection pool is shared, so the second row is "
          "the JWT signing and the `/oauth/token` round trip on top of the call):")
        a("")
        a("| one `list_templates` call | median, µs | min–max of the samples, µs | samples |")
        a("|---|---|---|---|")
        for label, v in (("token reused (one client)", tr), ("token minted first (a new client per call)", tm)):
            a(f"| {label} | {v['median_ns'] / 1000:.0f} | {v['min_ns'] / 1000:.0f}–{v['max_ns'] / 1000:.0f} | {v['samples']} |")
        a(f"| ratio minted ÷ reused | {tm['median_ns'] / tr['median_ns']:.1f}× | | |")
    else:
        missing("token", t)
    a("")
    end("token")
    begin("token_processes")
    tp = ctx.get("token_processes")
    a("**Across processes.** `bench/token_processes.py` (run inside `scripts/with-keyring.sh`: a throw-away "
      "D-Bus session and unlocked gnome-keyring) runs consecutive new `dsjwt action list-templates` processes "
      "against one emulator: first with the access token kept in the OS keyring (the default: reused until "
      "10 minutes before it expires), then the same number with `--no-token-cache`. `/oauth/token` requests "
      "are counted in the request log; time is the whole process (start, keyring lookup, call, ledger).")
    a("")
    if isinstance(tp, dict):
        a("| command (one new process each) | processes | `/oauth/token` requests | eSignature calls | wall time per process, ms |")
        a("|---|---|---|---|---|")
        for k in ("cached", "uncached"):
            v = tp[k]
            a(f"| `{v['command']}` | {v['runs']} | **{v['token_requests']}** | {v['rest_calls']} | {spread(v['wall'], fmt_ms)} |")
        a(f"| ratio without ÷ with the kept token | | | | {ratio(med(tp['uncached']['wall']), med(tp['cached']['wall']))} |")
    else:
        missing("token_processes", tp)
    a("")
    end("token_processes")

    # 3
    a("## 3. Polling cost")
    a("")
    begin("polling")
    a("`dsjwt watch envelope-status --once --interval 1 [--template-id NDA]` with a fresh `--data-dir` "
      "(so the first cycle looks back 24 h). For each N, a fresh emulator gets N envelopes from the NDA "
      "template (the watched ones) and N from the Offer Letter template (`POST /__emulator/accounts/{acc}/"
      "envelopes/bulk`, status `sent`); the clock moves 10 min; **cycle 1** runs (every envelope is a "
      f"change). Then the clock moves 10 min, {CHANGED} envelopes of each template are opened "
      "(`…/recipients/1/deliver`), the clock moves 1 min and **cycle 2** runs (the steady state). Calls "
      "are the eSignature calls in the request log (the bench fails if any is not `GET …/envelopes`, "
      "i.e. listStatusChanges; each process also makes 1 token request, not counted here). Per-envelope "
      "polling (one `GET /envelopes/{id}` per watched envelope per cycle) is computed: N calls per cycle.")
    a("")
    p = ctx.get("polling")
    if isinstance(p, list):
        a("| watched envelopes N | cycle 1, no filter (2N+2 changed) | cycle 1, template filter (N changed) | cycle 2, no filter (20 changed) | cycle 2, template filter (10 changed) | per-envelope polling | per-envelope ÷ ours (cycle 2) | cycle 1 filtered: wall s (emulator s) / peak RSS MiB |")
        a("|---|---|---|---|---|---|---|---|")
        for r in p:
            a(f"| {r['n']:,} | {plural(r['c1_all']['rest'], 'call')}, {r['c1_all']['events']:,} events | {plural(r['c1_nda']['rest'], 'call')}, "
              f"{r['c1_nda']['events']:,} events | {plural(r['c2_all']['rest'], 'call')}, {r['c2_all']['events']} events | "
              f"{plural(r['c2_nda']['rest'], 'call')}, {r['c2_nda']['events']} events | {r['n']:,} GETs | {r['n'] / r['c2_nda']['rest']:,.0f}× | "
              f"{r['c1_nda']['wall']:.2f} ({r['c1_nda']['server_s']:.2f}) / {fmt_mib(r['c1_nda']['rss'])} |")
        a("")
        a(f"Pages are of {PAGE_SIZE} envelopes (the client's page size). With the template filter only the "
          "watched template's changes come back (`custom_field=templateId=…`), so the cost is "
          "⌈changes ÷ 100⌉ calls whatever the number of envelopes watched; per-envelope polling grows with N "
          "(at DocuSign's minimum 15-minute interval, 1,000 watched envelopes would be 4,000 GETs an hour, "
          "over the 3,000-call hourly limit).")
        a("")
        a(f"![calls per cycle against envelopes]({plots_rel}/polling-calls.png)")
    else:
        missing("polling", p)
    a("")
    end("polling")

    # 4
    a("## 4. Listing and download")
    a("")
    begin("listing")
    li = ctx.get("listing")
    if isinstance(li, list):
        a("`dsjwt action list-envelopes --from-date <10 min ago>` (one JSON document, the default) and the same with "
          "`--jsonl` (one envelope per line) over listings of growing size (envelopes added with the bulk endpoint, "
          f"every page followed; {plural(len(li[0]['wall']), 'run')} each, the 100,000 listing once). Each page is written out and dropped "
          f"before the next is fetched, so peak RSS stays flat; the bench fails above {LISTING_RSS_LIMIT_MIB} MiB, "
          "on a wrong count, or on any number of calls other than one per page of 100.")
        a("")
        a("| envelopes | command | wall time, ms | of which the emulator answering, ms | peak RSS, MiB | eSignature calls (pages) | output |")
        a("|---|---|---|---|---|---|---|")
        for r in li:
            a(f"| {r['n']:,} | `{r['command']}` | {spread(r['wall'], fmt_ms)} | {spread(r['server'], fmt_ms)} | "
              f"**{spread(r['rss'], fmt_mib)}** | {r['calls'][0]} | {r['out_bytes'] / MB:.1f} MiB |")
        a("")
        a("\"The emulator answering\" is the sum of `duration_ms` (arrival to response head) over the calls in the "
          "request log (the emulator filters and sorts the account's envelopes once per listing, and each next page "
          "is a slice of that while nothing changed); the rest is the client: TLS, reading and decoding each page, recording each call in "
          "the Go-Live ledger, and writing. Before issue 14 the command kept every envelope in memory and built one "
          "JSON object: 305 MiB peak RSS at 10,000 envelopes, growing with the listing.")
    else:
        missing("listing", li, "Listing: ")
    a("")
    end("listing")
    begin("download")
    d = ctx.get("download")
    if isinstance(d, list):
        a("One document of exactly N bytes (the emulator's `POST /__emulator/accounts/{acc}/envelopes/{env}/documents "
          "{\"size_bytes\": N}`), downloaded to a file by a new process: `dsjwt action download-document ENV DOC --out FILE` "
          "(streams to disk) against `bench/sdk/py_get_document.py` (Python SDK `EnvelopesApi.get_document`, which returns "
          f"the whole body in memory, then writes it). Sizes and file contents are checked; {plural(ctx['download_runs'], 'run')} each, interleaved. "
          "Times are whole processes, so at small sizes they are mostly start-up (the Python SDK's imports take about 0.35 s).")
        a("")
        a("| size (MiB = 1,048,576 bytes) | dsjwt wall, s | Python SDK wall, s | time Python ÷ dsjwt | dsjwt peak RSS, MiB | Python SDK peak RSS, MiB | RSS Python ÷ dsjwt |")
        a("|---|---|---|---|---|---|---|")
        for r in d:
            ds, py = r["dsjwt"], r["python"]
            a(f"| {r['mb']} MiB | {spread(ds['wall'], lambda x: f'{x:.2f}')} | {spread(py['wall'], lambda x: f'{x:.2f}')} | "
              f"{ratio(med(py['wall']), med(ds['wall']))} | {spread(ds['rss'], fmt_mib)} | {spread(py['rss'], fmt_mib)} | "
              f"{ratio(med(py['rss']), med(ds['rss']))} |")
        a("")
        if len(d) > 1:
            a(f"![peak RSS and time against document size]({plots_rel}/download-rss.png)")
    else:
        missing("download", d, "Download: ")
    a("")
    end("download")

    # 5
    a("## 5. Desktop app")
    a("")
    begin("app")
    ap = ctx.get("app")
    a(("The release app (`cargo build --release -p docusign-jwt-studio --features custom-protocol`, after "
       "`npm --prefix ui ci && npm --prefix ui run build`; the UI is embedded in the binary)" if PROFILE == "release" else
       "The debug app (`target/debug/docusign-jwt-studio`, as `scripts/test.sh` builds it)") + ", started with a "
      "fresh `--data-dir`, `HOME` and XDG folders (so it opens on the first-run screen of the wizard) "
      "under a private Xvfb (1280×900) inside `dbus-run-session`. Measured from `spawn`: **window mapped** = "
      "`xwininfo -root -tree` lists a window titled \"DocuSign JWT Studio\"; **first paint** = a screenshot of "
      "that window (`import -window ID`) has at least 16 distinct colours (text drawn, not a flat "
      "background; polled back to back, each poll is one screenshot of ~50–150 ms, so it is an upper "
      "bound); **first IPC** = the app's log (`<data-dir>/…/studio.YYYY-MM-DD.log`) has its first `command=… ok` line, "
      "i.e. the UI's script ran and called the Rust side. **Idle memory**: after first paint the app is "
      "left alone for the stated seconds, then RSS and PSS (`/proc/PID/smaps_rollup`) are summed over the "
      "app and its WebKitGTK child processes (web and network processes). RSS counts the shared libraries "
      "in full in each process; PSS splits shared pages among every process that maps them, so it also "
      "moves with whatever else runs on the machine (other WebKit apps, for one).")
    a("")
    if not isinstance(ap, dict):
        missing("app", ap)
    elif ap.get("not_measured"):
        a(f"| | |\n|---|---|\n| every row | not measured: {ap['not_measured']} |")
    else:
        a("| | value |")
        a("|---|---|")
        a(f"| {PROFILE} binary (`{shown(APP)}`) | {ap['binary_bytes'] / MB:.1f} MiB"
          + (f" ({ap['stripped_bytes'] / MB:.1f} MiB stripped)" if ap.get("stripped_bytes") else "") + " |")
        if ap.get("ui_dist_bytes") is not None:
            a(f"| UI assets embedded (`ui/dist`) | {ap['ui_dist_bytes'] / 1024:.0f} KiB |")
        if ap.get("bundle"):
            for k, v in ap["bundle"].items():
                a(f"| bundle `{k}` | {v / MB:.1f} MiB |")
        else:
            a("| bundle (.deb) | not measured: no .deb in `target/release/bundle/deb/` (`bash scripts/package.sh` "
              "makes one; see the release build section below) |")
        ls = ap.get("launches") or []
        if ls:
            a(f"| cold start → window mapped, ms ({plural(len(ls), 'launch')}) | {spread([x['window'] for x in ls], fmt_ms)} |")
            a(f"| cold start → first paint, ms | {spread([x['paint'] for x in ls], fmt_ms)} |")
            ipc = [x["ipc"] for x in ls if x.get("ipc") is not None]
            a(f"| cold start → first IPC call logged, ms | {spread(ipc, fmt_ms) if ipc else 'not measured: no command line in the log'} |")
            a(f"| idle after {ctx['app_idle']:.0f} s on the wizard's first screen: app process RSS, MiB | {spread([x['main_rss_kb'] for x in ls], fmt_mib)} |")
            a(f"| same, app + WebKit processes, RSS / PSS, MiB | {spread([x['tree_rss_kb'] for x in ls], fmt_mib)} / {spread([x['tree_pss_kb'] for x in ls], fmt_mib)} |")
            a(f"| processes | {', '.join(ls[-1]['processes'])} |")
        if ap.get("launch_error"):
            a(f"| start-up figures | not measured: {ap['launch_error']} |")
        for why in ap.get("launches_retried") or []:
            a(f"| a launch that failed and was tried again | {why} |")
        wz = ap.get("wizard") or []
        if wz:
            a(f"| whole wizard driven by WebDriver, spawn → \"healthy\", s ({plural(len(wz), 'run')}) | {spread([x['wizard_seconds'] for x in wz], lambda v: f'{v:.1f}')} |")
            a(f"| idle {ctx['app_idle']:.0f} s **after the wizard** (sandbox running, connection saved, healthy): app process RSS, MiB | {spread([x['main_rss_kb'] for x in wz], fmt_mib)} |")
            a(f"| same, app + WebKit processes, RSS / PSS, MiB | {spread([x['tree_rss_kb'] for x in wz], fmt_mib)} / {spread([x['tree_pss_kb'] for x in wz], fmt_mib)} |")
        if ap.get("wizard_error"):
            a(f"| idle after the wizard | not measured: {ap['wizard_error']} |")
        pp_before = [x["per_process"] for x in ls if x.get("per_process")]
        pp_after = [x["per_process"] for x in wz if x.get("per_process")]
        shared = [x for x in ls + wz if x.get("other_webkit")]
        if ls or wz:
            a(f"| measurements taken while another app's WebKit web process ran (it shares library pages, so PSS reads lower) | "
              f"{len(shared)} of {len(ls) + len(wz)} |")
        if pp_before or pp_after:
            a("")
            a(f"Per process, idle (medians; PSS and RSS from `/proc/PID/smaps_rollup`, threads from `/proc/PID/task`): "
              f"**first-run screen** = the launches above, **after the wizard** = `bench/app_wizard.py`.")
            a("")
            a("| process | first-run screen: PSS / RSS, MiB | threads | after the wizard: PSS / RSS, MiB | threads |")
            a("|---|---|---|---|---|")
            roles = []
            for d_ in pp_before + pp_after:
                roles += [r_ for r_ in d_ if r_ not in roles]
            def cell(lst, role):
                vals = [d_[role] for d_ in lst if role in d_]
                if not vals:
                    return "—", "—"
                return (f"{fmt_mib(med([v['pss_kb'] for v in vals]))} / {fmt_mib(med([v['rss_kb'] for v in vals]))}",
                        f"{med([v['threads'] for v in vals]):.0f}")
            for role in roles:
                b_, bt = cell(pp_before, role)
                w_, wt = cell(pp_after, role)
                a(f"| {role} | {b_} | {bt} | {w_} | {wt} |")
            tot = lambda lst, k: med([sum(v[k] for v in d_.values()) for d_ in lst]) if lst else float("nan")
            both = lambda lst: f"**{fmt_mib(tot(lst, 'pss_kb'))}** / {fmt_mib(tot(lst, 'rss_kb'))}" if lst else "—"
            a(f"| **all** (goal: at most 150 MiB PSS before the wizard, 250 after) | {both(pp_before)} | | {both(pp_after)} | |")
        if ap.get("wizard_retries") and wz:
            last = ap["wizard_retries"][-1].split(" (still running")[0][:160]
            why = "; tauri-driver dropped a click while the app kept running" if "Remote end closed" in last else ""
            a(f"| WebDriver runs that failed and were run again | {len(ap['wizard_retries'])} (last: \"{last}\"{why}) |")
        a("")
        a("The after-the-wizard rows come from `bench/app_wizard.py`: the app started by tauri-driver and "
          "WebKitWebDriver (under its own Xvfb, inside `scripts/with-keyring.sh`: a throw-away D-Bus session "
          "and unlocked gnome-keyring, where the wizard saves the key), taken through every step of the "
          "first-run wizard with the built-in sandbox as `tests/e2e_app.rs` does (\"Allow\" on the consent "
          "page posted over HTTP), then left idle. The sandbox (the emulator) runs inside the app then, "
          "which is part of that memory, and the web process is under WebDriver automation, which may add a little.")
        if ctx.get("app_shot"):
            a("")
            a(f"![the app at first paint, under Xvfb]({plots_rel}/app-first-paint.png)")
        if wz and (pathlib.Path(ctx["plots_dir"]) / "app-after-wizard.png").exists():
            a("")
            a(f"![the app after the wizard, when its idle memory was taken]({plots_rel}/app-after-wizard.png)")
    a("")
    end("app")
    a("## Failures")
    a("")
    if ctx["failures"]:
        for f_ in ctx["failures"]:
            a(f"- {f_}")
    else:
        a("None: every comparison ran and every check held.")
    a("")
    # Sections other scripts own (between KEPT_BEGIN and KEPT_END markers, e.g. the release build's
    # sizes from scripts/package-smoke.sh's measurements) are carried over from the old file.
    L.extend(kept_sections(path))
    text = merge_earlier(L, path, ran, ctx.get("only_arg"))
    path.write_text(text)


KEPT_BEGIN = "<!-- kept by bench/run.sh: begin -->"
KEPT_END = "<!-- kept by bench/run.sh: end -->"
# The sections of the report, in the order they run (`--only` takes these names).
SECTIONS = ("health", "token", "polling", "token_processes", "listing", "download", "app")
BLOCK_BEGIN = "<!-- bench:{key} begin;"  # + " made by `CMD`, DATE -->"
BLOCK_END = "<!-- bench:{key} end -->"
BLOCK_RE = re.compile(r"^<!-- bench:(\w+) begin; made by (.*?) -->\n(.*?)^<!-- bench:\1 end -->$", re.S | re.M)
SUMMARY_TAG = "<!-- bench:{key} -->"
SUMMARY_RE = re.compile(r"^- (.*) <!-- bench:(\w+) -->$", re.M)
PROVENANCE_PLACEHOLDER = "<<provenance>>"
PART_NOTE = "*This part: made by "


def merge_earlier(lines: list[str], path: pathlib.Path, ran: set, only_arg: str | None) -> str:
    """The report text from this run's `lines`, where the sections this run did not run take their
    part (and their summary line) from the report already at `path`, if it has one. When the page
    then mixes runs, each part says which command made it and when."""
    text = "\n".join(lines)
    old = path.read_text() if path.exists() else ""
    old_blocks = {m.group(1): (m.group(2), m.group(3)) for m in BLOCK_RE.finditer(old)
                  if not m.group(3).startswith("Not run:")}
    if not old_blocks and old:
        old_blocks = legacy_blocks(old)
    old_summary = {m.group(2): m.group(1) for m in SUMMARY_RE.finditer(old)}
    if not old_summary and "## Summary\n\n" in old:  # a page without part marks: by the lines' openings
        for line in old.split("## Summary\n\n", 1)[1].split("\n\n", 1)[0].split("\n"):
            for key, opening in LEGACY_SUMMARY.items():
                if line.startswith("- " + opening):
                    old_summary[key] = line[2:]
    kept: list[str] = []

    def block(m):
        key, made_by, body = m.group(1), m.group(2), m.group(3)
        if key not in ran and key in old_blocks:
            made_by, body = old_blocks[key]
            kept.append(key)
        if body.startswith(PART_NOTE):  # an earlier merge's note: made again below
            body = body.split("\n", 2)[2] if body.count("\n") >= 2 else ""
        return f"<!-- bench:{key} begin; made by {made_by} -->\n\0{made_by}\0{body}<!-- bench:{key} end -->"

    text = BLOCK_RE.sub(block, text)
    # the summary: this run's line for each section it ran, the earlier line for each kept one
    start = text.index("## Summary\n\n") + len("## Summary\n\n")
    stop = text.index("\n\n", start) if "\n\n" in text[start:] else len(text)
    bullets = text[start:stop].split("\n") if stop > start else []
    untagged = [b for b in bullets if not SUMMARY_RE.match(b)]
    tagged = {m.group(2): m.group(1) for m in map(SUMMARY_RE.match, bullets) if m}
    for k in kept:
        if k in old_summary:
            tagged[k] = old_summary[k]
    bullets = untagged + [f"- {tagged[k]} {SUMMARY_TAG.format(key=k)}" for k in SECTIONS if k in tagged]
    text = text[:start] + "\n".join(bullets) + text[stop:]
    mixed = bool(kept)
    text = re.sub(r"\0(.*?)\0", (lambda m: f"{PART_NOTE}{m.group(1)}.*\n\n") if mixed else (lambda m: ""), text)
    if ran >= set(SECTIONS):
        provenance = "Every figure below comes from that one run; rerun the command to refresh this page and its plots."
    else:
        names = lambda keys: ", ".join(k for k in SECTIONS if k in keys)
        provenance = f"This run measured only {names(ran)} (`--only {only_arg}`)"
        if kept:
            provenance += (f"; the other parts ({names(kept)}) are kept from earlier runs, and each part says which "
                           "command made it and when")
        absent = set(SECTIONS) - ran - set(kept)
        if absent:
            provenance += f"; not run, and no earlier figures on this page: {names(absent)}"
        provenance += "."
        text = keep_known_versions(text, old)
    return text.replace(PROVENANCE_PLACEHOLDER, provenance, 1)


def keep_known_versions(text: str, old: str) -> str:
    """For a partial run: a version this run could not read (its tool is not built or installed
    here, e.g. the release dsjwt when only the app section ran) keeps the earlier page's value,
    which the kept parts were measured with."""
    unknown = lambda v: v.startswith("unknown") or v == "not installed"
    old_rows = dict(VERSION_ROW_RE.findall(old.split("## Summary", 1)[0])) if old else {}
    head, sep, rest = text.partition("## Summary")

    def row(m):
        key, value = m.group(1), m.group(2)
        earlier = old_rows.get(key)
        return f"| {key} | {earlier} |" if unknown(value) and earlier and not unknown(earlier) else m.group(0)

    return VERSION_ROW_RE.sub(row, head) + sep + rest


VERSION_ROW_RE = re.compile(r"^\| ([^|\n]+?) \| ([^|\n]+?) \|$", re.M)


# Where each section's part starts in a page written before the parts were marked: (heading, first
# line of the part or None for the heading's start); a part runs to the next part or heading.
LEGACY_PARTS = {"health": ("## 1. Health check, cold process", None), "token": ("## 2. Token reuse", None),
                "token_processes": ("## 2. Token reuse", "**Across processes.**"),
                "polling": ("## 3. Polling cost", None), "listing": ("## 4. Listing and download", None),
                "download": ("## 4. Listing and download", "One document of exactly N bytes"),
                "app": ("## 5. Desktop app", None)}


LEGACY_SUMMARY = {"health": "Health check, cold process", "token": "Token reuse:", "polling": "Polling:",
                  "listing": "Listing, peak RSS", "token_processes": "Token across processes", "download": "Download, peak RSS",
                  "app": "Desktop app:"}


def legacy_blocks(old: str) -> dict:
    """{section: (made by, text)} from a page written before the parts were marked (by heading)."""
    m = re.search(r"^Made by (`[^`]*`) on ([^(]*?) \(", old, re.M)
    made_by = f"{m.group(1)}, {m.group(2)}" if m else "an earlier run"
    out = {}
    for key, (heading, first) in LEGACY_PARTS.items():
        if heading + "\n" not in old:
            continue
        body = old.split(heading + "\n", 1)[1]
        body = re.split(r"^## |^<!-- kept by bench", body, maxsplit=1, flags=re.M)[0]
        starts = [f for h, f in LEGACY_PARTS.values() if h == heading and f]
        if first is None:
            for f in starts:  # up to the heading's next part
                body = body.split("\n" + f, 1)[0] + "\n"
        else:
            if "\n" + first not in body:
                continue
            body = first + body.split("\n" + first, 1)[1]
        out[key] = (made_by, body.strip("\n") + "\n\n")
    return out


def kept_sections(path: pathlib.Path) -> list[str]:
    """The marked sections of the report at `path` (or of docs/benchmarks.md), as lines."""
    src = path if path.exists() else ROOT / "docs" / "benchmarks.md"
    try:
        text = src.read_text()
    except OSError:
        return []
    out: list[str] = []
    while KEPT_BEGIN in text:
        start = text.index(KEPT_BEGIN)
        end = text.find(KEPT_END, start)
        if end < 0:
            break
        out.extend(text[start:end + len(KEPT_END)].split("\n"))
        out.append("")
        text = text[end + len(KEPT_END):]
    return out


# ---------------------------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--short", action="store_true", help="every comparison once, small sizes; report to a temp file")
    ap.add_argument("--out", help="report path (default docs/benchmarks.md, or a temp file with --short)")
    ap.add_argument("--app-build-status", help="file whose text says why the app was not built (empty: built)")
    ap.add_argument("--command", default="bash bench/run.sh")
    ap.add_argument("--profile", choices=("release", "debug"), help="which dsjwt and criterion build (default: release; debug with --short)")
    ap.add_argument("--only", help="comma list of sections to run (health, token, token_processes, polling, listing, download, app); "
                                   "the others are reported as not run")
    ap.add_argument("--app-binary", help="measure this app binary instead of target/PROFILE/docusign-jwt-studio (e.g. an older build)")
    args = ap.parse_args()
    short = args.short
    global PROFILE, DSJWT, APP
    PROFILE = args.profile or ("debug" if short else "release")
    DSJWT = ROOT / "target" / PROFILE / "dsjwt"
    APP = pathlib.Path(args.app_binary).resolve() if args.app_binary else ROOT / "target" / PROFILE / "docusign-jwt-studio"
    only = set(args.only.split(",")) if args.only else None
    if only is not None and not only <= set(SECTIONS):
        ap.error(f"--only: unknown section(s) {', '.join(sorted(only - set(SECTIONS)))} (known: {', '.join(SECTIONS)})")
    started = time.time()
    load_start = loadavg()
    work = pathlib.Path(tempfile.mkdtemp(prefix="dsjwt-bench-"))
    if args.out:
        out = pathlib.Path(args.out).resolve()
        plots = out.parent / (out.stem + "-plots") if short else out.parent / "benchmarks"
    elif short:
        tmp = pathlib.Path(tempfile.mkdtemp(prefix="dsjwt-bench-short-"))
        out, plots = tmp / "benchmarks.md", tmp / "benchmarks"
    else:
        out, plots = ROOT / "docs" / "benchmarks.md", ROOT / "docs" / "benchmarks"
    plots.mkdir(parents=True, exist_ok=True)
    if only is None or "app" in only:  # only this run's pictures (kept when the app section is not run)
        for old_png in ("app-first-paint.png", "app-after-wizard.png"):
            (plots / old_png).unlink(missing_ok=True)
    plots_rel = os.path.relpath(plots, out.parent)

    health_runs = 1 if short else 15
    download_runs = 1 if short else 3
    app_runs = 1 if short else 5
    app_idle = 3.0 if short else 10.0
    ctx: dict = {"short": short, "command": args.command, "failures": [], "summary": [], "health_runs": health_runs,
                 "download_runs": download_runs, "app_idle": app_idle, "load_start": load_start, "plots_dir": str(plots),
                 "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                 "machine": machine_info(), "versions": versions(),
                 "ran": set(SECTIONS) if only is None else only, "only_arg": args.only}

    def section(key, fn):
        if only is not None and key not in only:
            ctx[key] = f"this page was made with `--only {args.only}` and had no earlier figures for this part"
            return
        log(f"== {key}")
        try:
            ctx[key] = fn()
        except Exception as e:  # noqa: BLE001
            msg = str(e) if isinstance(e, BenchFailure) else f"{type(e).__name__}: {e}\n{traceback.format_exc()[-1500:]}"
            ctx[key] = msg.splitlines()[0] if msg else "failed"
            ctx["failures"].append(f"{key}: {msg}")
            log(f"FAILED {key}: {msg}")

    def health():
        emu = Emulator()
        try:
            return bench_health(emu, health_runs, work)
        finally:
            emu.stop()

    section("health", health)
    section("token", lambda: bench_token_reuse(short, work))
    section("polling", lambda: bench_polling([100] if short else [100, 1000, 10000], work))
    section("token_processes", lambda: bench_token_processes(3 if short else 100, work))
    section("listing", lambda: bench_listing([300] if short else [1000, 10000, 100000], 1 if short else 2, work))
    section("download", lambda: bench_download([1] if short else [1, 10, 100], download_runs, work))
    build_status = None
    if args.app_build_status and pathlib.Path(args.app_build_status).exists():
        build_status = pathlib.Path(args.app_build_status).read_text().strip() or None
    shot = plots / "app-first-paint.png"
    section("app", lambda: bench_app(app_runs, 1 if short else 3, app_idle, work, build_status, shot))
    ctx["app_shot"] = shot.exists() and isinstance(ctx.get("app"), dict) and bool(ctx["app"].get("launches"))
    summarize(ctx)

    ctx["load_end"] = loadavg()
    ctx["elapsed"] = time.time() - started
    write_report(out, plots_rel, ctx)
    shutil.rmtree(work, ignore_errors=True)
    log(f"report: {out}")
    log(f"plots: {plots}")
    if ctx["failures"]:
        log(f"{len(ctx['failures'])} comparison(s) failed:")
        for f_ in ctx["failures"]:
            print(f"  - {f_}", file=sys.stderr)
        return 1
    return 0


def summarize(ctx: dict) -> None:
    """Makes the plots of this run's sections and the summary lines, (section, text) each."""
    plots = pathlib.Path(ctx["plots_dir"])

    # plots
    if isinstance(ctx.get("polling"), list):
        try:
            plot_polling(ctx["polling"], plots / "polling-calls.png")
        except Exception as e:  # noqa: BLE001
            ctx["failures"].append(f"plot polling: {e}")
    if isinstance(ctx.get("download"), list) and len(ctx["download"]) > 1:
        try:
            plot_download(ctx["download"], plots / "download-rss.png")
        except Exception as e:  # noqa: BLE001
            ctx["failures"].append(f"plot download: {e}")

    # summary lines
    s = ctx["summary"]
    h = ctx.get("health")
    if isinstance(h, dict):
        names = list(h)
        ours = h[names[0]]
        s.append(("health", f"Health check, cold process: dsjwt {fmt_ms(med(ours['wall']))} ms / {fmt_mib(med(ours['rss']))} MiB, "
                 f"2 HTTP round trips; Python SDK {ratio(med(h[names[1]]['wall']), med(ours['wall']))} the time and "
                 f"{ratio(med(h[names[1]]['rss']), med(ours['rss']))} the memory; Node SDK "
                 f"{ratio(med(h[names[2]]['wall']), med(ours['wall']))} the time and {ratio(med(h[names[2]]['rss']), med(ours['rss']))} the memory."))
    t = ctx.get("token")
    if isinstance(t, dict):
        c = t["counts"]
        tr, tm = t["timings"]["token_reused"], t["timings"]["token_minted_per_call"]
        s.append(("token", f"Token reuse: {c['actions']:,} actions over {c['emulator_seconds_spanned'] // 60} min of emulator time → "
                 f"{c['token_requests']} token request; a reused token makes a call {tm['median_ns'] / tr['median_ns']:.1f}× cheaper than minting one first."))
    p = ctx.get("polling")
    if isinstance(p, list):
        s.append(("polling", "Polling: " + "; ".join(f"{r['n']:,} watched → {plural(r['c1_nda']['rest'], 'call')} when all changed, {r['c2_nda']['rest']} in a steady cycle "
                                          f"(per-envelope polling: {r['n']:,})" for r in p) + "."))
    li = ctx.get("listing")
    if isinstance(li, list):
        s.append(("listing", "Listing, peak RSS (document / --jsonl): " + "; ".join(
            f"{r['n']:,} envelopes {fmt_mib(med(r['rss']))}" + ("" if r["mode"] == "document" else " (jsonl)")
            for r in li) + f" MiB: flat, at most {LISTING_RSS_LIMIT_MIB} MiB."))
    tp = ctx.get("token_processes")
    if isinstance(tp, dict):
        s.append(("token_processes", f"Token across processes: {tp['cached']['runs']} `dsjwt action list-templates` processes → "
                 f"{tp['cached']['token_requests']} token request ({fmt_ms(med(tp['cached']['wall']))} ms per process; "
                 f"{tp['uncached']['token_requests']} requests and {fmt_ms(med(tp['uncached']['wall']))} ms with --no-token-cache)."))
    d = ctx.get("download")
    if isinstance(d, list):
        s.append(("download", "Download, peak RSS dsjwt vs Python SDK: " + "; ".join(
            f"{r['mb']} MiB: {fmt_mib(med(r['dsjwt']['rss']))} vs {fmt_mib(med(r['python']['rss']))} MiB" for r in d) + "."))
    a_ = ctx.get("app")
    if isinstance(a_, dict):
        if a_.get("not_measured"):
            s.append(("app", f"Desktop app: not measured: {a_['not_measured']}."))
        elif a_.get("launches"):
            ls = a_["launches"]
            s.append(("app", f"Desktop app: first paint {fmt_ms(med([x['paint'] for x in ls]))} ms after spawn, idle "
                     f"{fmt_mib(med([x['tree_pss_kb'] for x in ls]))} MiB PSS (app + WebKit), binary {a_['binary_bytes'] / MB:.1f} MiB."))
        else:
            s.append(("app", f"Desktop app: binary {a_['binary_bytes'] / MB:.1f} MiB; start-up not measured: {a_.get('launch_error')}."))
    if ctx["failures"]:
        s.insert(0, (None, f"**{len(ctx['failures'])} comparison(s) FAILED**, see the end of the page."))


if __name__ == "__main__":
    sys.exit(main())
