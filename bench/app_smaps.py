"""Where the desktop app's memory goes: PSS per process and per mapping, on the first-run screen.

    bench/.venv/bin/python bench/app_smaps.py [--app BINARY] [--launches N] [--top N] [VAR=VALUE ...]

Starts the release app (or BINARY) N times the way bench.py's section 5 does (a private Xvfb,
a fresh profile, `dbus-run-session`), waits for first paint, leaves it idle 10 s, then reads
`/proc/PID/smaps` of the app and of its WebKit web and network processes and sums PSS by what
is mapped (the app's binary, WebKitGTK, JavaScriptCore, mesa's GL driver and libLLVM, the flite
libraries WebKit links, other libraries, heap and anonymous memory). VAR=VALUE pairs are added
to the app's environment (e.g. `GDK_GL=` to set one of the variables the app then leaves
alone, see crates/studio-core/src/webview_env.rs). Prints a Markdown table of the medians and
the largest mappings of the last launch; the screenshot of the last launch goes to
`--shot` (default: none) so it can be looked at.
"""
from __future__ import annotations

import argparse
import collections
import os
import pathlib
import re
import statistics
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import bench  # noqa: E402


def category(name: str) -> str:
    """What a mapping (its path, or [heap], [anon], ...) is, for the table."""
    if "webkit2gtk" in name:
        return "WebKitGTK (libwebkit2gtk)"
    if "javascriptcoregtk" in name:
        return "JavaScriptCore"
    if re.search(r"libLLVM|/dri/|libGL|libEGL|libgbm|libdrm|libglapi|libz3|libsensors|libxcb-(dri|glx|present|sync)", name):
        return "mesa GL (libLLVM, the driver)"
    if "flite" in name:
        return "flite (speech synthesis, linked by WebKit)"
    if name == str(bench.APP):
        return "the app's binary"
    if name in ("[anon]", "[heap]") or name.startswith("[stack"):
        return "heap and anonymous"
    if "SYSV" in name:
        return "X shared memory (the window's image)"
    if "/fonts/" in name:
        return "fonts"
    if name.startswith("/usr/lib") or name.startswith("/lib"):
        return "other libraries (GTK, GLib, ICU, cairo, ...)"
    return "other"


def smaps(pid: int) -> tuple[dict, dict]:
    """({mapping: PSS kB}, {mapping: private kB}) of one process."""
    pss: collections.Counter = collections.Counter()
    private: collections.Counter = collections.Counter()
    name = None
    try:
        text = pathlib.Path(f"/proc/{pid}/smaps").read_text()
    except OSError:
        return {}, {}
    for line in text.splitlines():
        m = re.match(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$", line)
        if m:
            name = m.group(1).strip() or "[anon]"
            continue
        m = re.match(r"^(Pss|Private_Clean|Private_Dirty):\s+(\d+) kB", line)
        if m and name is not None:
            (pss if m.group(1) == "Pss" else private)[name] += int(m.group(2))
    return dict(pss), dict(private)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--app", help="the app binary (default: target/release/docusign-jwt-studio)")
    ap.add_argument("--launches", type=int, default=2)
    ap.add_argument("--top", type=int, default=8, help="largest mappings listed per process")
    ap.add_argument("--shot", help="save a screenshot of the last launch's window here (PNG)")
    ap.add_argument("env", nargs="*", help="VAR=VALUE added to the app's environment")
    args = ap.parse_args()
    bench.APP = pathlib.Path(args.app).resolve() if args.app else bench.ROOT / "target" / "release" / "docusign-jwt-studio"
    for pair in args.env:
        var, sep, value = pair.partition("=")
        if not sep:
            ap.error(f"not VAR=VALUE: {pair}")
        os.environ[var] = value

    captured: list[dict] = []
    per_process = bench.per_process

    def llvm_sharers(pids, paths) -> int:
        """Processes outside the app's tree (Xvfb's GLX, other apps) that map the libLLVM files in
        `paths` (the ones the app's processes map): PSS splits those pages with them."""
        n = 0
        for d in pathlib.Path("/proc").iterdir():
            if d.name.isdigit() and int(d.name) not in pids:
                try:
                    maps = (d / "maps").read_text()
                except OSError:
                    continue
                n += any(path in maps for path in paths)
        return n

    sharers: list[int] = []

    def capture(pids):  # bench.app_launch calls this while the app is idle and alive
        out = {}
        for p in pids:
            role = bench.process_role(p)
            if role in ("dbus-run-sessio", "dbus-daemon", "?"):
                continue
            out[role] = smaps(p)
        captured.append(out)
        paths = {n for pss, _ in out.values() for n in pss if "libLLVM" in n}
        sharers.append(llvm_sharers(set(pids), paths) if paths else 0)
        return per_process(pids)

    bench.per_process = capture
    work = pathlib.Path(tempfile.mkdtemp(prefix="app-smaps-"))
    for i in range(args.launches):
        xvfb, display = bench.start_xvfb(work)
        try:
            shot = pathlib.Path(args.shot) if args.shot and i == args.launches - 1 else None
            r = bench.app_launch(display, work, 10.0, shot)
        finally:
            xvfb.terminate()
            xvfb.wait()
        print(f"launch {i + 1}: first paint {r['paint'] * 1000:.0f} ms, PSS " + ", ".join(
            f"{role} {v['pss_kb'] / 1024:.1f}" for role, v in r["per_process"].items())
            + f", all {r['tree_pss_kb'] / 1024:.1f} MiB; other apps' WebKit web processes: {r['other_webkit']}; "
            f"processes outside the app mapping libLLVM (Xvfb's GLX, other apps): {sharers[-1]}", file=sys.stderr)

    roles = [r for r in captured[-1]]
    table: dict = {}
    for role in roles:
        for launch in captured:
            c: collections.Counter = collections.Counter()
            for name, kb in launch.get(role, ({}, {}))[0].items():
                c[category(name)] += kb
            for cat_, kb in c.items():
                table.setdefault(cat_, {}).setdefault(role, []).append(kb)
    cell = lambda cat_, role: statistics.median(table[cat_].get(role, [0])) / 1024
    cats = sorted(table, key=lambda k: -sum(cell(k, r) for r in roles))
    print(f"PSS, MiB (median of {len(captured)} launches, idle 10 s on the first-run screen)"
          + (f", with {' '.join(args.env)}" if args.env else "") + ":\n")
    print("| mapped | " + " | ".join(roles) + " | all |")
    print("|---" * (len(roles) + 2) + "|")
    for k in cats:
        print(f"| {k} | " + " | ".join(f"{cell(k, r):.1f}" for r in roles) + f" | {sum(cell(k, r) for r in roles):.1f} |")
    totals = [sum(cell(k, r) for k in cats) for r in roles]
    print("| **total** | " + " | ".join(f"**{t:.1f}**" for t in totals) + f" | **{sum(totals):.1f}** |")
    print("\nLargest mappings of the last launch (PSS / private, MiB):")
    for role in roles:
        pss, private = captured[-1][role]
        print(f"- {role}: " + "; ".join(f"{pathlib.Path(n).name or n} {kb / 1024:.1f} / {private.get(n, 0) / 1024:.1f}"
                                        for n, kb in sorted(pss.items(), key=lambda kv: -kv[1])[:args.top]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
